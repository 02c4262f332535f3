"""Exact treatment of zero resistances: merge the nodes that a zero-resistance edge joins.

A zero resistance is an infinite conductance; putting a huge number in the Laplacian instead would ruin
its conditioning and silently bias the result. Here the endpoints of every zero-resistance edge become
one node. Along periodic axes the merged nodes may sit in different image frames; the frame offset of
every member is found on a breadth-first spanning forest (pointer jumping, vectorised) so that the
periodic shifts of the surviving edges stay exact.

:func:`contract_edges` merges any flagged set of edges; :func:`~nanograph.linalg.solve.solve_network` uses it
to contract *stiff* edges (resistance tiny beside the largest of their component), leaving alone the groups
that would join the two electrodes or close a loop around the periodic box (``conflicts="skip"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError, SingularSystemError
from nanograph.graphs.components import component_labels, lowest_nodes

__all__ = ["Contraction", "contract_edges", "contract_zero_edges", "image_offsets"]


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


@dataclass(frozen=True, eq=False)
class Contraction:
    """Result of :func:`contract_edges`: how the nodes of a graph were merged.

    Attributes
    ----------
    node_map : ndarray of int64, shape (V,)
        New node id of each old node; new ids are numbered by their lowest old member.
    representative : ndarray of int64, shape (V_new,)
        Lowest old node of each new node.
    merged : ndarray of bool, shape (E,)
        Edges whose endpoints were merged (the requested ones less those of refused groups).
    keep : ndarray of bool, shape (E,)
        Edges that survive (``~merged``).
    offset : ndarray of int64, shape (V, k)
        Image offset of each old node relative to its new node's representative, along the merged edges.
    new_shift : ndarray, shape (E_kept, k)
        Shifts of the surviving edges in the frames of the merged nodes: ``shift + offset[tail] -
        offset[head]``.
    refused : int
        Number of groups left unmerged because they would join two protected nodes or close a loop that
        wraps the box (only with ``conflicts="skip"``).
    """

    node_map: np.ndarray
    representative: np.ndarray
    merged: np.ndarray
    keep: np.ndarray
    offset: np.ndarray
    new_shift: np.ndarray
    refused: int = 0

    @property
    def n_nodes(self) -> int:
        """Number of nodes after merging."""
        return len(self.representative)


def _groups(n_nodes: int, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group label of every node (connected components of ``edges``) and the lowest node of each group."""
    labels = component_labels(n_nodes, edges)
    return labels, lowest_nodes(labels)


def _conflicting_groups(n_nodes, edges, shift, merge, protected):
    """Labels of the groups that join two protected nodes, and of those whose merged loops wrap the box."""
    labels, lowest = _groups(n_nodes, edges[merge])
    me = edges[merge]
    offset = image_offsets(n_nodes, me, shift[merge], lowest[labels])
    wraps = np.any(offset[me[:, 1]] - offset[me[:, 0]] != shift[merge], axis=1)
    wrapping = np.unique(labels[me[wraps, 0]])
    shorting = np.zeros(0, dtype=np.int64)
    if protected is not None and len(protected):
        groups, counts = np.unique(labels[np.unique(protected)], return_counts=True)
        shorting = groups[counts > 1]
    return labels, shorting, wrapping


def contract_edges(
    n_nodes: int,
    edges: np.ndarray,
    edge_shift: np.ndarray,
    merge: np.ndarray,
    protected: np.ndarray | None = None,
    *,
    conflicts: str = "raise",
) -> Contraction:
    """Merge the endpoints of the edges flagged ``merge`` (exact for zero resistances).

    Parameters
    ----------
    n_nodes : int
        Number of nodes before merging.
    edges : ndarray of int, shape (E, 2)
        Edges.
    edge_shift : ndarray of int, shape (E, k)
        Periodic image shift (or winding number) of each edge's head as seen from its tail.
    merge : ndarray of bool, shape (E,)
        Edges to contract.
    protected : ndarray of int, optional
        Nodes that must stay distinct (the two electrodes).
    conflicts : {"raise", "skip"}
        What to do with a group of merged edges that would join two protected nodes or close a loop
        wrapping the periodic box: raise :class:`SingularSystemError`, or leave that group unmerged.

    Returns
    -------
    Contraction

    Raises
    ------
    SingularSystemError
        With ``conflicts="raise"``: protected nodes merge, or a loop of merged edges wraps a periodic axis.
    """
    merge = np.asarray(merge, dtype=bool)
    if conflicts not in ("raise", "skip"):
        raise InvalidInputError(f"conflicts must be 'raise' or 'skip', got {conflicts!r}")
    refused = 0
    if merge.any():
        labels, shorting, wrapping = _conflicting_groups(n_nodes, edges, edge_shift, merge, protected)
        if conflicts == "raise" and len(shorting):
            raise SingularSystemError(
                "zero resistances (rw, rj or re = 0) connect the two electrodes directly: the conductance "
                "is infinite; give the zero resistance a positive value"
            )
        if conflicts == "raise" and len(wrapping):
            raise SingularSystemError(
                "a loop of zero-resistance edges wraps the periodic box: the conductance is infinite"
            )
        bad = np.union1d(shorting, wrapping)
        refused = len(bad)
        if refused:
            merge = merge & ~np.isin(labels[edges[:, 0]], bad)
    keep = ~merge
    if not merge.any():
        ids = np.arange(n_nodes)
        offset = np.zeros((n_nodes, edge_shift.shape[1]), dtype=np.int64)
        return Contraction(ids, ids, merge, keep, offset, edge_shift[keep], refused)
    me = edges[merge]
    labels, lowest = _groups(n_nodes, me)
    order = np.argsort(lowest, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    node_map = rank[labels]
    representative = lowest[order]
    offset = image_offsets(n_nodes, me, edge_shift[merge], representative[node_map])
    kept = edges[keep]
    new_shift = edge_shift[keep] + offset[kept[:, 0]] - offset[kept[:, 1]]
    return Contraction(node_map, representative, merge, keep, offset, new_shift, refused)


def contract_zero_edges(
    n_nodes: int,
    edges: np.ndarray,
    edge_shift: np.ndarray,
    zero: np.ndarray,
    protected: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merge the endpoints of the edges flagged ``zero`` (:func:`contract_edges` as a tuple).

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
    c = contract_edges(n_nodes, edges, edge_shift, zero, protected)
    return c.node_map, c.representative, c.keep, c.new_shift
