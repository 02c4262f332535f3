"""Connected components of an edge-array graph: the one home of nanograph's component labelling.

A graph here is plain arrays, as everywhere in nanograph: ``n_nodes`` and an ``(E, 2)`` integer edge array,
optionally with a boolean mask choosing the edges that connect (e.g. the conducting ones). Parallel edges
and self-loops are legal; a node without a chosen edge is a component of its own. Labels come from
:func:`scipy.sparse.csgraph.connected_components` (undirected), so they are numbered ``0 .. C-1`` in the
order of each component's lowest node.

Examples
--------
>>> import numpy as np
>>> edges = np.array([[0, 1], [2, 3], [1, 1]])
>>> component_labels(5, edges).tolist()
[0, 0, 1, 1, 2]
>>> component_labels(5, edges, mask=[False, True, True]).tolist()
[0, 1, 2, 2, 3]
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError

__all__ = [
    "component_labels",
    "connected_components",
    "conducting_edges",
    "lowest_nodes",
    "component_minimum",
    "shared_component",
]


def connected_components(n_nodes: int, edges: np.ndarray, mask: np.ndarray | None = None) -> tuple[int, np.ndarray]:
    """Number of connected components and the component of every node.

    Parameters
    ----------
    n_nodes : int
        Number of nodes ``V``.
    edges : ndarray of int, shape (E, 2)
        Edge endpoints (undirected; parallel edges and self-loops allowed).
    mask : ndarray of bool, shape (E,), optional
        The edges that connect; all of them by default.

    Returns
    -------
    n_components : int
        ``C``; an isolated node counts as one.
    labels : ndarray of int32, shape (V,)
        Component of each node, ``0 .. C-1`` numbered by lowest node.

    Raises
    ------
    InvalidInputError
        If ``edges`` is not ``(E, 2)`` or ``mask`` does not have one entry per edge.

    Examples
    --------
    >>> connected_components(3, np.array([[0, 2]]))
    (2, array([0, 1, 0], dtype=int32))
    """
    edges = np.asarray(edges)
    if edges.ndim != 2 or edges.shape[1] != 2:
        raise InvalidInputError(f"edges must have shape (E, 2), got {edges.shape}")
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (len(edges),):
            raise InvalidInputError(f"mask has shape {mask.shape}, expected ({len(edges)},) (one per edge)")
        edges = edges[mask]
    graph = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n_nodes, n_nodes))
    n_components, labels = csgraph.connected_components(graph, directed=False)
    return int(n_components), labels


def component_labels(n_nodes: int, edges: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """The component of every node (:func:`connected_components` without the count).

    Parameters
    ----------
    n_nodes : int
        Number of nodes ``V``.
    edges : ndarray of int, shape (E, 2)
        Edge endpoints (undirected).
    mask : ndarray of bool, shape (E,), optional
        The edges that connect; all of them by default.

    Returns
    -------
    ndarray of int32, shape (V,)
        Component labels ``0 .. C-1``, numbered by lowest node.

    Examples
    --------
    >>> component_labels(4, np.array([[3, 1]])).tolist()
    [0, 1, 2, 1]
    """
    return connected_components(n_nodes, edges, mask)[1]


def conducting_edges(edges: np.ndarray, conductance: np.ndarray) -> np.ndarray:
    """Edges that can carry current between two nodes: positive conductance (S) and not a self-loop.

    Zero-conductance edges are legal in a network but join nothing electrically.

    Parameters
    ----------
    edges : ndarray of int, shape (E, 2)
        Edge endpoints.
    conductance : ndarray of float, shape (E,)
        Edge conductances (S).

    Returns
    -------
    ndarray of bool, shape (E,)

    Examples
    --------
    >>> conducting_edges(np.array([[0, 1], [1, 1], [1, 2]]), np.array([1.0, 2.0, 0.0])).tolist()
    [True, False, False]
    """
    edges = np.asarray(edges)
    return (np.asarray(conductance) > 0) & (edges[:, 0] != edges[:, 1])


def lowest_nodes(labels: np.ndarray) -> np.ndarray:
    """The lowest node of each component (its natural root or ground).

    Parameters
    ----------
    labels : ndarray of int, shape (V,)
        Component labels ``0 .. C-1`` (as from :func:`component_labels`).

    Returns
    -------
    ndarray of int64, shape (C,)

    Examples
    --------
    >>> lowest_nodes(np.array([0, 1, 0, 2, 1])).tolist()
    [0, 1, 3]
    """
    n = len(labels)
    lowest = np.full(labels.max(initial=-1) + 1, n, dtype=np.int64)
    np.minimum.at(lowest, labels, np.arange(n))
    return lowest


def component_minimum(labels: np.ndarray, edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The smallest edge value over each component (``inf`` where a component has no edge).

    Parameters
    ----------
    labels : ndarray of int, shape (V,)
        Component labels, from the same ``edges``.
    edges : ndarray of int, shape (E, 2)
        Edges inside the components (each edge's tail names its component).
    values : ndarray of float, shape (E,)
        One value per edge (e.g. conductances, S).

    Returns
    -------
    ndarray of float, shape (C,)

    Examples
    --------
    >>> e = np.array([[0, 1], [1, 2], [3, 4]])
    >>> component_minimum(component_labels(5, e), e, np.array([2.0, 0.5, 3.0])).tolist()
    [0.5, 3.0]
    """
    minimum = np.full(labels.max(initial=-1) + 1, np.inf)
    np.minimum.at(minimum, labels[edges[:, 0]], values)
    return minimum


def shared_component(labels: np.ndarray, a: int, b: int) -> np.ndarray:
    """Nodes of the component that holds both ``a`` and ``b`` (e.g. the two electrodes); none if they differ.

    Parameters
    ----------
    labels : ndarray of int, shape (V,)
        Component labels.
    a, b : int
        Two nodes.

    Returns
    -------
    ndarray of bool, shape (V,)
        All False when ``a`` and ``b`` lie in different components (no path joins them).

    Examples
    --------
    >>> labels = component_labels(4, np.array([[0, 1], [1, 3]]))
    >>> shared_component(labels, 0, 3).tolist(), bool(shared_component(labels, 0, 2).any())
    ([True, True, False, True], False)
    """
    if labels[a] != labels[b]:
        return np.zeros(len(labels), dtype=bool)
    return labels == labels[a]
