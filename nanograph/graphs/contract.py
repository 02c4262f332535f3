"""Exact treatment of zero resistances: merge the nodes that a zero-resistance edge joins.

A zero resistance is an infinite conductance; putting a huge number in the Laplacian instead would ruin
its conditioning and silently bias the result. Here the endpoints of every zero-resistance edge become
one node. Along periodic axes the merged nodes may sit in different image frames; the frame offset of
every member is found on a breadth-first spanning forest (pointer jumping, vectorised) so that the
periodic shifts of the surviving edges stay exact.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import SingularSystemError

__all__ = ["contract_zero_edges", "image_offsets"]


def image_offsets(n: int, edges: np.ndarray, shift: np.ndarray, root: np.ndarray) -> np.ndarray:
    """Integer image offset of each node relative to the root of its component, on a spanning forest.

    Parameters
    ----------
    n : int
        Number of nodes.
    edges : ndarray, shape (E, 2)
        Edges defining the components.
    shift : ndarray, shape (E, 2) (or (E, 1))
        Image shift of each edge's head as seen from its tail.
    root : ndarray, shape (n,)
        Root node of each node's component (a node of that component).

    Returns
    -------
    ndarray, shape like ``(n, shift.shape[1])``
        Node ``v`` lies at ``position[v] + offset[v] * box`` in its root's frame, following tree edges.
        An edge ``(a, b)`` with ``offset[b] - offset[a] != shift`` closes a loop that wraps the box.
    """
    if not np.any(shift):
        return np.zeros((n, shift.shape[1]), dtype=np.int64)
    # Breadth-first forest from a virtual super-root joined to every component root.
    roots = np.unique(root)
    a = np.concatenate([edges[:, 0], np.full(len(roots), n)])
    b = np.concatenate([edges[:, 1], roots])
    graph = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(n + 1, n + 1)).tocsr()
    _, pred = csgraph.breadth_first_order(graph, n, directed=False, return_predecessors=True)
    parent = pred[:n].astype(np.int64)
    orphan = (parent < 0) | (parent == n)
    parent[orphan] = np.flatnonzero(orphan)  # roots point to themselves
    # Shift from parent to child along the tree edge; an edge may be stored in either direction.
    keys = np.concatenate([edges[:, 0] * n + edges[:, 1], edges[:, 1] * n + edges[:, 0]])
    vals = np.concatenate([shift, -shift])
    order = np.argsort(keys, kind="stable")
    keys, vals = keys[order], vals[order]
    child = np.flatnonzero(~orphan)
    step = np.zeros((n, shift.shape[1]), dtype=np.int64)
    step[child] = vals[np.searchsorted(keys, parent[child] * n + child)]
    # Pointer jumping: offset(v) = sum of the steps on the path from the root to v.
    offset, jump = step, parent
    while np.any(jump != jump[jump]):
        offset, jump = offset + offset[jump], jump[jump]
    return offset


def contract_zero_edges(
    n_nodes: int,
    edges: np.ndarray,
    edge_shift: np.ndarray,
    zero: np.ndarray,
    protected: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merge the endpoints of the edges flagged ``zero``.

    Parameters
    ----------
    n_nodes : int
        Number of nodes before merging.
    edges, edge_shift : ndarray, shape (E, 2)
        Edges and their periodic image shifts.
    zero : ndarray of bool, shape (E,)
        Edges of zero resistance.
    protected : ndarray of int, optional
        Nodes that must stay distinct (the two electrodes).

    Returns
    -------
    node_map : ndarray, shape (n_nodes,)
        New node id of each old node; new ids are numbered by their lowest old member.
    representative : ndarray, shape (n_new,)
        Lowest old node of each new node (its position is the merged node's position).
    keep : ndarray of bool, shape (E,)
        Edges that survive (all but the zero ones).
    new_shift : ndarray, shape (E_kept, 2)
        Periodic shifts of the surviving edges in the frames of the merged nodes.

    Raises
    ------
    SingularSystemError
        If protected nodes merge (zero resistances short the electrodes) or a zero-resistance loop
        wraps a periodic axis (infinite conductance).
    """
    keep = ~zero
    if not zero.any():
        return np.arange(n_nodes), np.arange(n_nodes), keep, edge_shift
    ze = edges[zero]
    graph = sparse.coo_matrix((np.ones(len(ze)), (ze[:, 0], ze[:, 1])), shape=(n_nodes, n_nodes))
    _, labels = csgraph.connected_components(graph, directed=False)
    lowest = np.full(labels.max() + 1, n_nodes, dtype=np.int64)
    np.minimum.at(lowest, labels, np.arange(n_nodes))
    order = np.argsort(lowest, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    node_map = rank[labels]
    representative = lowest[order]
    if protected is not None and len(np.unique(node_map[protected])) < len(protected):
        raise SingularSystemError(
            "zero resistances (rw, rj or re = 0) connect the two electrodes directly: the conductance "
            "is infinite; give the zero resistance a positive value"
        )
    offset = image_offsets(n_nodes, ze, edge_shift[zero], representative[node_map])
    if np.any(offset[ze[:, 1]] - offset[ze[:, 0]] != edge_shift[zero]):
        raise SingularSystemError("a loop of zero-resistance edges wraps the periodic box: the conductance is infinite")
    kept = edges[keep]
    new_shift = edge_shift[keep] + offset[kept[:, 0]] - offset[kept[:, 1]]
    return node_map, representative, keep, new_shift
