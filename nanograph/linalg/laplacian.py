"""Weighted graph Laplacians assembled directly from edge arrays (no per-edge Python loop).

Conventions: edges carry conductances ``g >= 0``; parallel edges add; self-loops contribute nothing;
zero-conductance edges are legal and contribute nothing. ``L = B^T diag(g) B`` with ``B`` the oriented
incidence matrix (+1 at the tail, -1 at the head), so ``(L v)_i`` is the current leaving node ``i`` at potentials ``v``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from nanograph.errors import InvalidInputError

if TYPE_CHECKING:
    from nanograph.graphs.network import Network

__all__ = ["laplacian", "reduced_laplacian", "scatter_add"]


def scatter_add(index: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """Float array of length ``size`` with ``weights`` summed at ``index`` (``np.bincount``, never int)."""
    return np.bincount(index, weights=weights, minlength=size).astype(float, copy=False)


def laplacian(
    n_nodes: int | Network, edges: np.ndarray | None = None, conductance: np.ndarray | None = None
) -> sparse.csr_matrix:
    """Full symmetric Laplacian ``L = B^T diag(g) B`` (S), shape ``(n_nodes, n_nodes)``.

    Parameters
    ----------
    n_nodes : int or Network
        Number of nodes ``V``; or a :class:`~nanograph.graphs.network.Network`, whose ``n_nodes``, ``edges``
        and ``edge_conductance`` are used (then ``edges`` and ``conductance`` are not given).
    edges : ndarray of int, shape (E, 2)
        ``(tail, head)`` node pairs in ``0 .. V-1``; parallel edges add, self-loops contribute nothing.
    conductance : ndarray of float, shape (E,)
        Conductance ``g`` of each edge (S), non-negative; zero-conductance edges are legal and add nothing.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``L`` with ``L[i, i]`` the total conductance at node ``i`` and ``L[i, j] = -`` (sum of the
        conductances between ``i`` and ``j``); every row sums to 0, so ``(L v)_i`` is the current leaving
        node ``i`` at potentials ``v`` (A per V).

    Raises
    ------
    InvalidInputError
        A network given together with ``edges`` or ``conductance``, or an integer ``n_nodes`` without them.

    Examples
    --------
    >>> laplacian(2, np.array([[0, 1], [0, 1]]), np.array([1.0, 2.0])).toarray()
    array([[ 3., -3.],
           [-3.,  3.]])
    """
    if hasattr(n_nodes, "edge_conductance"):  # a Network (duck-typed: linalg reads its arrays only)
        if edges is not None or conductance is not None:
            raise InvalidInputError("laplacian: give a network alone, or n_nodes with edges and conductance")
        n_nodes, edges, conductance = n_nodes.n_nodes, n_nodes.edges, n_nodes.edge_conductance
    elif edges is None or conductance is None:
        raise InvalidInputError("laplacian: n_nodes needs edges and conductance (or pass a network alone)")
    t, h = edges[:, 0], edges[:, 1]
    off = t != h
    g = conductance[off]
    rows = np.concatenate([t[off], h[off]])
    cols = np.concatenate([h[off], t[off]])
    diag = scatter_add(rows, np.concatenate([g, g]), n_nodes)
    data = np.concatenate([-g, -g, diag])
    ids = np.arange(n_nodes)
    return sparse.coo_matrix(
        (data, (np.concatenate([rows, ids]), np.concatenate([cols, ids]))), shape=(n_nodes, n_nodes)
    ).tocsr()


def reduced_laplacian(
    unknown: np.ndarray, n_unknowns: int, edges: np.ndarray, conductance: np.ndarray
) -> sparse.csc_matrix:
    """Lower triangle (CSC) of the Laplacian restricted to the unknown nodes (Dirichlet elimination).

    Parameters
    ----------
    unknown : ndarray of int64, shape (V,)
        Index of each node among the unknowns, -1 for a fixed-potential or excluded node.
    n_unknowns : int
        Number of unknowns.
    edges, conductance : ndarray
        Edges (E, 2) and conductances (E,) (S); edges to fixed nodes add to the diagonal only.

    Returns
    -------
    scipy.sparse.csc_matrix
        Lower triangle (diagonal included) of the SPD reduced Laplacian, as CHOLMOD reads it.
    """
    ut, uh = unknown[edges[:, 0]], unknown[edges[:, 1]]
    diag = scatter_add(ut[ut >= 0], conductance[ut >= 0], n_unknowns)
    diag += scatter_add(uh[uh >= 0], conductance[uh >= 0], n_unknowns)
    both = (ut >= 0) & (uh >= 0) & (ut != uh)
    lo = np.minimum(ut[both], uh[both])
    hi = np.maximum(ut[both], uh[both])
    # Self-loops among unknowns added 2g to the diagonal above; take it back.
    loop = (ut >= 0) & (ut == uh)
    diag -= 2 * scatter_add(ut[loop], conductance[loop], n_unknowns)
    ids = np.arange(n_unknowns)
    rows = np.concatenate([hi, ids])
    cols = np.concatenate([lo, ids])
    data = np.concatenate([-conductance[both], diag])
    return sparse.csc_matrix((data, (rows, cols)), shape=(n_unknowns, n_unknowns))
