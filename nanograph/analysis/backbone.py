"""The current-carrying backbone between the bus bars, the dead ends and the isolated clusters.

Definition (topological, no solve). Join the two electrodes by a virtual edge. An edge can carry current
between the electrodes iff it lies on a simple path from one electrode to the other, i.e. iff it lies in the
same *biconnected component* (block) as the virtual edge. That block, without the virtual edge, is the
**backbone**. Everything else in the electrodes' connected component is a **dead end**: the dangling
stick ends beyond a stick's extreme contacts (:attr:`Network.dead_end_lengths`), dangling sticks and
branches, and loops or whole clusters attached to the backbone at one node (an articulation point).
Components that do not hold both electrodes are **isolated** (so, when the network does not percolate,
everything is isolated). Zero-conductance edges (closures) and self-loops never carry current: they are
dead ends or isolated by the component they sit in.

With generic conductances every backbone edge carries a non-zero current and no other edge does
(:func:`current_backbone` checks this on a solution). Exact zeros inside the backbone come from balanced
(Wheatstone) bridges, and these are *common* in the wire-node form with one ``rj`` for every junction (about
half of small random percolating networks have some): there :func:`current_backbone` is a subset of
:func:`find_backbone`; compare the two with generic (e.g. randomly perturbed) conductances.

Algorithm, vectorised, ``O(E log V)``: a depth-first tree from the left electrode (SciPy), subtree ranges in
preorder by pointer jumping over next siblings, Hopcroft--Tarjan low points as range minima (a sparse
table), and the block of the virtual edge as the subtree of its head minus the subtrees of the blocks
hanging below it (a difference array).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks
from nanograph.graphs.components import component_labels, conducting_edges, shared_component
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.linalg.solve import Solution

__all__ = ["Role", "Backbone", "find_backbone", "current_backbone"]


class Role(IntEnum):
    """What a node, edge or stick is to the current between the electrodes."""

    BACKBONE = 0  #: carries current (lies on a simple path between the electrodes)
    DEAD_END = 1  #: connected to the electrodes but carries no current
    ISOLATED = 2  #: in a component that does not join both electrodes


_NAMES = tuple(role.name.lower() for role in Role)


def _subtree_ends(parent_pos: np.ndarray) -> np.ndarray:
    """End (exclusive) of each node's subtree in preorder, from the preorder positions of the parents."""
    m = len(parent_pos)
    child = np.arange(1, m)
    by_parent = np.lexsort((child, parent_pos[1:]))  # children grouped by parent, in preorder
    kids = child[by_parent]
    end = np.full(m, -1, dtype=np.int64)
    same = parent_pos[kids[1:]] == parent_pos[kids[:-1]]
    end[kids[:-1][same]] = kids[1:][same]  # a subtree ends where the next sibling starts
    end[0] = m
    # Otherwise it ends where its parent's subtree ends: resolve by pointer jumping.
    pointer = parent_pos.copy()
    pending = np.flatnonzero(end < 0)
    while len(pending):
        target = pointer[pending]
        done = end[target] >= 0
        end[pending[done]] = end[target[done]]
        pending = pending[~done]
        pointer[pending] = pointer[pointer[pending]]
    return end


def _range_min(values: np.ndarray, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """``min(values[start:stop])`` for every pair (non-empty ranges), by a sparse table."""
    length = stop - start
    level = np.floor(np.log2(length)).astype(np.int64)
    out = np.empty(len(start), dtype=values.dtype)
    table = values
    for k in range(int(level.max(initial=0)) + 1):
        if k:
            half = 1 << (k - 1)
            table = np.minimum(table[:-half], table[half:])  # table[i] = min(values[i : i + 2**k])
        sel = level == k
        out[sel] = np.minimum(table[start[sel]], table[stop[sel] - (1 << k)])
    return out


def _backbone_edge_mask(n: int, edges: np.ndarray, left: int, right: int) -> np.ndarray:
    """Edges in the block of the virtual edge ``(left, right)``; ``edges`` must be proper (no self-loops)."""
    a = np.concatenate([edges[:, 0], [left]])
    b = np.concatenate([edges[:, 1], [right]])
    graph = sparse.coo_matrix((np.ones(2 * len(a)), (np.r_[a, b], np.r_[b, a])), shape=(n, n)).tocsr()
    order, pred = csgraph.depth_first_order(graph, left, directed=True, return_predecessors=True)
    pre = np.full(n, -1, dtype=np.int64)
    pre[order] = np.arange(len(order))
    if pre[right] < 0:
        return np.zeros(len(edges), dtype=bool)
    parent_pos = np.zeros(len(order), dtype=np.int64)
    parent_pos[1:] = pre[pred[order[1:]]]
    end = _subtree_ends(parent_pos)
    # Low point: the earliest preorder position reachable from a subtree by one non-tree edge. Counting
    # tree edges to parents too changes low(v) only to pre(parent(v)), which leaves every test below intact.
    pa, pb = pre[a], pre[b]
    reached = pa >= 0
    direct = np.arange(len(order))
    np.minimum.at(direct, pa[reached], pb[reached])
    np.minimum.at(direct, pb[reached], pa[reached])
    low = _range_min(direct, np.arange(len(order)), end)
    # Tree edge (parent(v), v) opens a new block iff nothing in v's subtree reaches above parent(v).
    head = np.zeros(len(order), dtype=bool)
    head[1:] = low[1:] >= parent_pos[1:]
    r = pre[right]
    positions = np.arange(len(order))
    top = int(np.max(np.flatnonzero(head & (positions <= r) & (end > r))))  # head of the block of (left, right)
    inner = np.flatnonzero(head[top + 1 : end[top]]) + top + 1
    cover = np.zeros(len(order) + 1, dtype=np.int64)
    np.add.at(cover, inner, 1)
    np.add.at(cover, end[inner], -1)
    in_block = np.cumsum(cover[:-1]) == 0
    in_block[:top] = False
    in_block[end[top] :] = False
    deeper = np.maximum(pa[:-1], pb[:-1])
    return (deeper >= 0) & in_block[np.maximum(deeper, 0)]


@dataclass(frozen=True, eq=False)
class Backbone:
    """Backbone / dead-end / isolated classification of a bus-bar network (see the module docstring).

    Attributes
    ----------
    network : Network
        The classified network.
    edge_role, node_role : ndarray of int8, shapes (E,) and (V,)
        :class:`Role` of every edge and node (a node is backbone when a backbone edge touches it).
    stick_role : ndarray of int8, shape (N,)
        :class:`Role` of every stick: backbone if it carries current anywhere.
    stick_length : ndarray, shape (N,)
        Length of every stick (NaN where unknown: pass ``sticks`` to :func:`find_backbone`).
    percolates : bool
        A component joins the two electrodes.
    """

    network: Network
    edge_role: np.ndarray
    node_role: np.ndarray
    stick_role: np.ndarray
    stick_length: np.ndarray
    percolates: bool

    @property
    def backbone_edges(self) -> np.ndarray:
        """Mask of the backbone edges, shape (E,)."""
        return self.edge_role == Role.BACKBONE

    @property
    def backbone_sticks(self) -> np.ndarray:
        """Ids of the sticks that carry current."""
        return np.flatnonzero(self.stick_role == Role.BACKBONE)

    def counts(self) -> dict[str, dict[str, int]]:
        """Number of edges, nodes and sticks of each role: ``{"edges": {"backbone": ..., ...}, ...}``."""
        return {
            what: dict(zip(_NAMES, np.bincount(roles, minlength=3).tolist(), strict=True))
            for what, roles in (("edges", self.edge_role), ("nodes", self.node_role), ("sticks", self.stick_role))
        }

    def fractions(self) -> dict[str, dict[str, float]]:
        """:meth:`counts` divided by the totals (NaN for an empty set)."""
        out = {}
        for what, counts in self.counts().items():
            total = sum(counts.values())
            out[what] = {k: (v / total if total else float("nan")) for k, v in counts.items()}
        return out

    @cached_property
    def lengths(self) -> dict[str, float]:
        """Total wire length of each role (box units).

        Junction-node form: wire segments by their edge's role; the dangling pieces beyond each stick's
        extreme contacts are dead ends (isolated on an isolated stick); any wire not in a segment (a stick
        with fewer than two contacts, or merged contacts when ``rw = 0``) takes its stick's role. Wire-node
        form (no wire pieces in the graph): whole sticks by their role.
        """
        net, n = self.network, len(self.stick_role)
        per_role = np.zeros(3)
        if net.form == "junction-node" and net.dead_end_lengths is not None:
            seg = net.edge_kind == EdgeKind.SEGMENT
            np.add.at(per_role, self.edge_role[seg], net.edge_length[seg])
            in_segments = np.bincount(net.edge_stick[seg, 0], weights=net.edge_length[seg], minlength=n)
            dangling = np.nansum(net.dead_end_lengths, axis=1)
            dangling_role = np.where(self.stick_role == Role.ISOLATED, Role.ISOLATED, Role.DEAD_END)
            np.add.at(per_role, dangling_role, dangling)
            rest = self.stick_length - dangling - in_segments
            rest[np.abs(rest) <= 1e-12 * self.stick_length] = 0.0  # round-off; NaN (unknown length) stays
            np.add.at(per_role, self.stick_role, rest)
        else:
            np.add.at(per_role, self.stick_role, self.stick_length)
        return dict(zip(_NAMES, per_role.tolist(), strict=True))

    def length_fractions(self) -> dict[str, float]:
        """:attr:`lengths` divided by the total wire length."""
        total = sum(self.lengths.values())
        return {k: (v / total if total > 0 else float("nan")) for k, v in self.lengths.items()}

    @cached_property
    def backbone_network(self) -> Network:
        """The backbone alone: its nodes (renumbered in order, electrodes kept) and edges.

        Solvable by :func:`~nanograph.linalg.solve.solve_network`, with the conductance of the whole
        network. ``node_stick`` and ``edge_stick`` keep the original stick ids.
        """
        net = self.network
        keep_node = self.node_role == Role.BACKBONE
        keep_node[net.electrodes] = True
        new_id = np.cumsum(keep_node) - 1
        keep = self.backbone_edges
        return Network(
            form=net.form,
            node_position=net.node_position[keep_node],
            node_kind=net.node_kind[keep_node],
            node_stick=net.node_stick[keep_node],
            edges=new_id[net.edges[keep]],
            edge_kind=net.edge_kind[keep],
            edge_conductance=net.edge_conductance[keep],
            edge_length=net.edge_length[keep],
            edge_stick=net.edge_stick[keep],
            edge_shift=net.edge_shift[keep],
            box=net.box,
            periodic=net.periodic,
            electrodes=new_id[net.electrodes],
            params={**net.params, "backbone_of": f"{net.n_nodes} nodes, {net.n_edges} edges"},
        )

    def summary(self, ids: bool = False) -> dict:
        """Counts, fractions and lengths per role as one JSON-ready dictionary.

        Parameters
        ----------
        ids : bool
            Also ``"backbone_sticks"``, the list of backbone stick ids (long for a large network: 205 kB of
            JSON for 30 k sticks); left out by default.
        """
        lengths = self.lengths
        out = {
            "percolates": self.percolates,
            "n_backbone_sticks": int(np.count_nonzero(self.stick_role == Role.BACKBONE)),
            "backbone_stick_fraction": self.fractions()["sticks"]["backbone"],
            "backbone_length": lengths["backbone"],
            "backbone_length_fraction": self.length_fractions()["backbone"],
            "counts": self.counts(),
            "fractions": self.fractions(),
            "lengths": lengths,
            "length_fractions": self.length_fractions(),
        }
        if ids:
            out["backbone_sticks"] = self.backbone_sticks.tolist()
        return out

    def to_pandas(self):
        """One row per stick: ``stick`` (id), ``role`` (``backbone``, ``dead_end`` or ``isolated``), ``length``.

        Returns
        -------
        pandas.DataFrame
            ``length`` in box units (NaN where unknown, see :attr:`stick_length`).

        Raises
        ------
        BackendUnavailableError
            When pandas is not installed.
        """
        from nanograph._display import require_pandas

        pd = require_pandas("Backbone.to_pandas")
        role = pd.Categorical.from_codes(self.stick_role.astype(np.int64), categories=list(_NAMES))
        return pd.DataFrame({"stick": np.arange(len(self.stick_role)), "role": role, "length": self.stick_length})

    def _display(self) -> list[tuple[str, object]]:
        counts, lf = self.counts(), self.length_fractions()
        n = len(self.stick_role)
        return [("percolates", self.percolates), ("sticks", n), ("backbone_sticks", counts["sticks"]["backbone"]),
                ("dead_end_sticks", counts["sticks"]["dead_end"]), ("isolated_sticks", counts["sticks"]["isolated"]),
                ("backbone_edges", counts["edges"]["backbone"]), ("edges", len(self.edge_role)),
                ("backbone_length_fraction", lf["backbone"])]  # fmt: skip

    def __repr__(self) -> str:
        """One line: percolation, stick counts per role, backbone edges, backbone length fraction (no id lists)."""
        from nanograph._display import summary_repr

        return summary_repr("Backbone", self._display())

    def _repr_html_(self) -> str:
        from nanograph._display import html_table

        return html_table("Backbone", self._display())


def _n_sticks(network: Network, sticks: Sticks | None) -> int:
    if network.stick_end_nodes is not None:
        n = len(network.stick_end_nodes)
    else:
        n = int(max(network.node_stick.max(initial=-1), network.edge_stick.max(initial=-1)) + 1)
    if sticks is None:
        return n
    if len(sticks) < n or (network.stick_end_nodes is not None and len(sticks) != n):
        raise InvalidInputError(f"sticks has {len(sticks)} sticks, but the network was built from {n}")
    return len(sticks)


def _stick_lengths(network: Network, sticks: Sticks | None, n: int) -> np.ndarray:
    if sticks is not None:
        return sticks.lengths
    if network.form != "junction-node" or network.dead_end_lengths is None or network.params.get("rw") == 0:
        return np.full(n, np.nan)
    seg = network.edge_kind == EdgeKind.SEGMENT
    in_segments = np.bincount(network.edge_stick[seg, 0], weights=network.edge_length[seg], minlength=n)
    return in_segments + network.dead_end_lengths.sum(axis=1)  # NaN for a stick without contacts


def find_backbone(network: Network, sticks: Sticks | None = None) -> Backbone:
    """Classify every edge, node and stick of a bus-bar network as backbone, dead end or isolated.

    Parameters
    ----------
    network : Network
        Wire-node or junction-node network with bus bars (``network.electrodes`` set).
    sticks : Sticks, optional
        The sticks the network was built from; gives the stick lengths (otherwise taken from the
        junction-node segments and dangling ends, NaN for a stick with no contact or in wire-node form).

    Returns
    -------
    Backbone

    Raises
    ------
    InvalidInputError
        For a periodic-x network: with no electrodes, the current is driven by an EMF across the boundary
        and "the path between the electrodes" has no meaning; use bus bars (x open, y periodic if wanted).

    Examples
    --------
    A stick across the box with a second stick hanging off it (a dead end):

    >>> from nanograph.graphs.builders import junction_node_network
    >>> s = Sticks([[-0.1, 0.5, 1.1, 0.5], [0.5, 0.3, 0.5, 0.9]], box=1)
    >>> bb = find_backbone(junction_node_network(s), s)
    >>> bb.stick_role.tolist(), round(bb.length_fractions()["backbone"], 6)
    ([0, 1], 0.555556)
    """
    if network.electrodes is None:
        raise InvalidInputError(
            "find_backbone needs bus-bar electrodes; this network is periodic in x (current driven across the "
            "periodic boundary), where the backbone is not defined: build it with x open (periodic=(False, True))"
        )
    n_sticks = _n_sticks(network, sticks)
    stick_length = _stick_lengths(network, sticks, n_sticks)
    edges, g = network.edges, network.edge_conductance
    conducting = conducting_edges(edges, g)
    left, right = (int(e) for e in network.electrodes)
    in_cluster = shared_component(component_labels(network.n_nodes, edges, conducting), left, right)
    percolates = bool(in_cluster[left])

    backbone = np.zeros(network.n_edges, dtype=bool)
    if percolates:
        backbone[conducting] = _backbone_edge_mask(network.n_nodes, edges[conducting], left, right)
    edge_role = np.where(in_cluster[edges[:, 0]], Role.DEAD_END, Role.ISOLATED).astype(np.int8)
    edge_role[backbone] = Role.BACKBONE
    node_role = np.where(in_cluster, Role.DEAD_END, Role.ISOLATED).astype(np.int8)
    node_role[edges[backbone].ravel()] = Role.BACKBONE

    stick_role = np.full(n_sticks, Role.ISOLATED, dtype=np.int8)
    for column in (0, 1):
        stick = network.edge_stick[:, column]
        ok = stick >= 0
        np.minimum.at(stick_role, stick[ok], edge_role[ok])
    if network.stick_end_nodes is not None:  # sticks whose contacts merged away (rj = 0, rw = 0)
        ends = network.stick_end_nodes
        for column in (0, 1):
            has = ends[:, column] >= 0
            np.minimum.at(stick_role, np.flatnonzero(has), np.maximum(node_role[ends[has, column]], Role.DEAD_END))
    else:
        wire = network.node_kind == NodeKind.WIRE
        np.minimum.at(stick_role, network.node_stick[wire], np.maximum(node_role[wire], Role.DEAD_END))
    return Backbone(network, edge_role, node_role, stick_role, stick_length, percolates)


def current_backbone(solution: Solution, rtol: float = 1e-9) -> np.ndarray:
    """Edges whose current magnitude exceeds ``rtol`` times the total current (a mask, shape (E,)).

    The solved counterpart of :func:`find_backbone`'s backbone: with generic conductances the two agree;
    edges of the topological backbone that fall below ``rtol`` are balanced bridges (or the tolerance is
    above the round-off of the solve, ``solution.kcl_residual``).

    Parameters
    ----------
    solution : Solution
        A solved network (:func:`~nanograph.linalg.solve.solve_network`).
    rtol : float
        Threshold relative to the total current ``|solution.current|`` (dimensionless, in ``(0, 1)``).

    Returns
    -------
    ndarray of bool, shape (E,)
        ``True`` for the edges of ``solution.network`` that carry current; all ``False`` if the network
        does not percolate.

    Raises
    ------
    InvalidInputError
        If ``rtol`` is not in ``(0, 1)``.
    """
    if not (0 < rtol < 1):
        raise InvalidInputError(f"rtol must be in (0, 1), got {rtol!r}")
    if not solution.percolates:
        return np.zeros(solution.network.n_edges, dtype=bool)
    return np.abs(solution.currents) > rtol * abs(solution.current)
