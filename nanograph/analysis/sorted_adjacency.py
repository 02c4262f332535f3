"""Sampled networks in Jagota & Scheinfeld's setting, their sorted adjacency ``A*`` and conductance ``σ(A)``.

The setting (Sec. II.A): unit square, periodic in y, bus bars at ``x = 0, 1``, sticks of length ``l``,
wire-node network (wire resistance ignored) with junction resistance ``Rj`` and stick-electrode resistance
``Re``. ``A*`` (Eq. 5) is the ``(N+2) x (N+2)`` adjacency with the sticks ranked by the x of their centre and
the left and right electrodes last. ``σ`` is the current at 1 V.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from nanograph.errors import InvalidInputError
from nanograph.geometry.odf import OrientationDistribution
from nanograph.geometry.sticks import Sticks, as_rng, generate_sticks
from nanograph.graphs.builders import wire_node_network
from nanograph.graphs.components import component_labels, shared_component
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.linalg.factor import factorize
from nanograph.linalg.solve import solve_network
from nanograph.validation import count

__all__ = ["paper_sticks", "paper_network", "sorted_adjacency", "adjacency_conductance", "sampled_conductances"]

RJ, RE = 1.0, 0.01


def paper_sticks(n_wires: int, length: float, odf: str | OrientationDistribution = "isotropic", *, rng=None) -> Sticks:
    """``n_wires`` sticks of ``length`` in the unit square, periodic in y, open in x (bus bars at 0 and 1)."""
    return generate_sticks(n_sticks=n_wires, box=1.0, length=length, odf=odf, periodic=(False, True), rng=rng)


def paper_network(
    n_wires: int,
    length: float,
    odf: str | OrientationDistribution = "isotropic",
    *,
    rj: float = RJ,
    re: float = RE,
    rng=None,
) -> Network:
    """A sampled wire-node network of the paper's setting (``Rj`` between sticks, ``Re`` to the electrodes).

    Sorted-adjacency paper Sec. II.A: ``n_wires`` sticks in the unit square, periodic in y, bus bars at
    ``x = 0`` and ``x = 1``; wire resistance is ignored (junction-dominated), so ``CN = N l^2``.

    Parameters
    ----------
    n_wires : int
        Number of sticks ``N``.
    length : float
        Stick length ``l`` in units of the box side (the paper uses ``l = 0.1``).
    odf : str or OrientationDistribution
        Orientation distribution of the sticks (spec string or object), angle to the x axis.
    rj : float
        Stick-stick junction resistance (ohm); the paper's 1 ohm by default.
    re : float
        Stick-electrode contact resistance (ohm); the paper's 0.01 ohm by default.
    rng : None, int or numpy.random.Generator
        Source of randomness (SPEC 7).

    Returns
    -------
    Network
        A wire-node network (one node per stick) with the two bus-bar electrodes, ready for
        :func:`sorted_adjacency` or :func:`~nanograph.linalg.solve.solve_network`.

    Raises
    ------
    InvalidInputError
        Invalid stick parameters (see :func:`~nanograph.geometry.sticks.generate_sticks`) or resistances.
    """
    return wire_node_network(paper_sticks(n_wires, length, odf, rng=rng), rj=rj, re=re)


def sorted_adjacency(network: Network) -> sparse.csr_matrix:
    """The sorted adjacency ``A*`` (Eq. 5) of a wire-node network with two electrodes.

    Sticks are ranked by the x of their centre; the left and right electrodes are the last two rows. Entry
    ``(i, j)`` counts the contacts between the two (0 or 1 for sticks of length ``<= 1/2``).

    Parameters
    ----------
    network : Network
        A wire-node network (one node per stick) with its two electrodes.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (N + 2, N + 2)
        Symmetric ``A*``: rows ``0..N-1`` the sticks by increasing centre x, then the left and right
        electrodes.

    Raises
    ------
    InvalidInputError
        If ``network`` is not a wire-node network with two electrodes.

    Examples
    --------
    >>> net = paper_network(200, 0.2, rng=1)
    >>> a = sorted_adjacency(net)
    >>> a.shape, (a != a.T).nnz
    ((202, 202), 0)
    """
    if network.form != "wire-node" or network.electrodes is None:
        raise InvalidInputError("sorted_adjacency needs a wire-node network with two electrodes (bus bars)")
    wires = np.flatnonzero(network.node_kind == NodeKind.WIRE)
    n = len(wires)
    rank = np.full(network.n_nodes, -1, dtype=np.int64)
    rank[wires[np.argsort(network.node_position[wires, 0], kind="stable")]] = np.arange(n)
    rank[network.electrodes] = [n, n + 1]
    keep = (rank[network.edges[:, 0]] >= 0) & (rank[network.edges[:, 1]] >= 0)
    keep &= np.isin(network.edge_kind, [EdgeKind.JUNCTION, EdgeKind.ELECTRODE])
    i, j = rank[network.edges[keep, 0]], rank[network.edges[keep, 1]]
    ones = np.ones(len(i))
    upper = sparse.coo_matrix((ones, (i, j)), shape=(n + 2, n + 2))
    return (upper + upper.T).tocsr()


def adjacency_conductance(adjacency, *, rj: float = RJ, re: float = RE) -> float:
    """``σ(A)``: current at 1 V between the last two nodes of a (weighted) adjacency matrix.

    Entries between sticks are junctions of conductance ``A_ij / rj``, entries to the last two rows
    (left, right electrode) contacts of ``A_ij / re``; an expected adjacency gives the weighted network of
    Eq. (4)/(6). Only the part connected to both electrodes is solved (0 if they are not connected).

    Parameters
    ----------
    adjacency : array_like or scipy.sparse matrix, shape (N + 2, N + 2)
        Symmetric (weighted) adjacency, for instance :func:`sorted_adjacency` (``A*``, Eq. 5) or the expected
        ``E A*`` (Eq. 6): rows ``0..N-1`` the sticks, then the left and right electrodes. Only the upper
        triangle is read; the diagonal is ignored.
    rj : float
        Stick-stick junction resistance (ohm) of a unit entry.
    re : float
        Stick-electrode contact resistance (ohm) of a unit entry.

    Returns
    -------
    float
        ``σ(A)``, the conductance (siemens) between the two electrodes, i.e. the current (A) at 1 V; 0.0 when
        no path joins them.

    Raises
    ------
    InvalidInputError
        If ``adjacency`` is not square or has fewer than three rows (``N >= 1`` sticks plus two electrodes).

    Examples
    --------
    >>> a = np.zeros((3, 3)); a[0, 1] = a[1, 0] = a[0, 2] = a[2, 0] = 1   # one stick touching both bars
    >>> adjacency_conductance(a, rj=1.0, re=0.5)                          # 0.5 + 0.5 ohm in series
    1.0
    """
    a = sparse.csr_matrix(adjacency, dtype=float)
    if a.shape[0] != a.shape[1] or a.shape[0] < 3:
        raise InvalidInputError(f"adjacency must be square (N+2) x (N+2) with N >= 1, got {a.shape}")
    n = a.shape[0] - 2
    a = sparse.triu(a, k=1).tocoo()
    weight = a.data / np.where((a.row >= n) | (a.col >= n), re, rj)
    graph = sparse.coo_matrix((weight, (a.row, a.col)), shape=(n + 2, n + 2)).tocsr()
    cluster = shared_component(component_labels(n + 2, np.column_stack([a.row, a.col])), n, n + 1)
    if not cluster[n]:
        return 0.0
    unknown = np.flatnonzero(cluster[:n])
    full = (graph + graph.T).tocsr()
    sub = full[unknown][:, unknown]
    degree = np.asarray(full[unknown].sum(axis=1)).ravel()
    lower = sparse.tril(sparse.diags(degree) - sub).tocsc()
    rhs = np.asarray(full[unknown][:, [n]].todense()).ravel()
    solve, _ = factorize(lower)
    v = solve(rhs)
    g_left = rhs
    return float(np.dot(g_left, 1.0 - v))


def sampled_conductances(
    n_wires: int,
    length: float,
    odf: str | OrientationDistribution = "isotropic",
    *,
    samples: int = 30,
    rj: float = RJ,
    re: float = RE,
    rng=None,
) -> np.ndarray:
    """Monte Carlo ``σ(A_m)``, ``m = 1..samples``: the terms of ``σ̂`` (Eq. 3); independent seeds by spawning.

    Each sample is a fresh :func:`paper_network` solved by Kirchhoff; non-percolating samples count as 0.
    Their mean is the Monte Carlo estimate ``σ̂ = (1/M) Σ_m σ(A_m)`` of ``E σ`` (Eq. 3).

    Parameters
    ----------
    n_wires : int
        Number of sticks ``N`` per sample.
    length : float
        Stick length ``l`` in units of the box side.
    odf : str or OrientationDistribution
        Orientation distribution of the sticks (spec string or object).
    samples : int
        Number of independent samples ``M`` (the paper uses 30); a positive integer.
    rj : float
        Stick-stick junction resistance (ohm).
    re : float
        Stick-electrode contact resistance (ohm).
    rng : None, int or numpy.random.Generator
        Source of randomness (SPEC 7); one seed is drawn from it and spawned into ``samples`` streams.

    Returns
    -------
    ndarray of float, shape (samples,)
        ``σ(A_m)``: conductance (siemens, current at 1 V) of each sample, 0.0 where it does not percolate.

    Raises
    ------
    InvalidInputError
        If ``samples`` is not a positive integer, or the network parameters are invalid.
    """
    if count("samples", samples) < 1:
        raise InvalidInputError(f"samples must be a positive integer, got {samples!r}")
    seeds = np.random.SeedSequence(as_rng(rng).integers(2**63)).spawn(int(samples))
    return np.array(
        [
            solve_network(paper_network(n_wires, length, odf, rj=rj, re=re, rng=np.random.default_rng(s))).conductance
            for s in seeds
        ]
    )
