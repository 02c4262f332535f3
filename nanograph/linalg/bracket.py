"""A certified interval for the conductance of a network from any approximate potential.

Two variational principles bound the conductance ``G`` of a resistor network from both sides
(Doyle & Snell, *Random Walks and Electric Networks*, 1984, ch. 1.3.5; Bollobás, *Modern Graph
Theory*, 1998, ch. IX.2; the formula sheet, ``docs/theory/formulas.md``):

* **Dirichlet** (upper bound). Every potential ``phi`` that takes the right boundary values (``V`` on
  the left electrode, 0 on the right one; in the periodic geometry, any periodic potential with the drop
  ``V`` per period carried by the edge EMFs) has an energy no smaller than the true one:
  ``G V^2 <= sum_e g_e (phi_t - phi_h + emf_e)^2``.
* **Thomson** (lower bound). Every flow ``f`` without divergence at the free nodes satisfies
  ``G V^2 >= 2 c - sum_e f_e^2 / g_e`` with ``c = sum_e f_e (phi_t - phi_h + emf_e)`` (which does not
  depend on the free values of ``phi``); the best scale of ``f`` gives ``G >= c^2 / (V^2 sum_e f_e^2 / g_e)``.
  With bus bars ``c = I V`` and this is Thomson's ``R <= sum_e r_e f_e^2 / I^2``.

The flow is made from the approximate currents ``i = g (phi_t - phi_h + emf)``: the divergence they
leave at the free nodes is routed to the fixed nodes (the electrodes, or the grounded node of each
periodic component) along a breadth-first spanning forest, leaves first, one tree level at a time.
Both ends are exact for exact arithmetic; the width is second order in the error of ``phi``, so the
direct solution gives a width near rounding. A rounding allowance, the textbook bound of the pairwise
sums (``(log2 E + 24) eps`` times the sum of the absolute terms), is added to each end.

Conventions as everywhere in nanograph: edges carry conductances ``g >= 0``; parallel edges add;
zero-conductance edges and self-loops carry no current and are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError
from nanograph.graphs.network import Network
from nanograph.linalg.laplacian import scatter_add

__all__ = ["ConductanceBracket", "RoutingForest", "routing_forest", "conductance_bracket", "system_graph"]


@dataclass(frozen=True)
class ConductanceBracket:
    """A certified interval ``lower <= G <= upper`` for a network's conductance.

    Attributes
    ----------
    lower : float
        Thomson lower bound on the conductance (S).
    upper : float
        Dirichlet upper bound on the conductance (S).
    """

    lower: float
    upper: float

    @property
    def conductance(self) -> float:
        """Midpoint of the interval (S); it is within ``(upper - lower) / 2`` of the conductance."""
        return 0.5 * (self.lower + self.upper)

    @property
    def relative_width(self) -> float:
        """``(upper - lower) / upper`` (0 when ``upper`` is 0, i.e. for a network that carries no current)."""
        return (self.upper - self.lower) / self.upper if self.upper > 0 else 0.0

    def __contains__(self, value: float) -> bool:
        return self.lower <= value <= self.upper


@dataclass(frozen=True, eq=False)
class RoutingForest:
    """Breadth-first spanning forest of the current-carrying components, rooted at the fixed nodes.

    Attributes
    ----------
    parent : ndarray of int, shape (V,)
        Parent of each node in the forest (negative for the roots and for nodes outside it).
    levels : list of ndarray
        Non-root nodes at depth 1, 2, ... (the deepest last).
    edge_child : ndarray of int, shape (E_active,)
        For each active edge, the node whose link to its parent it belongs to (-1 if none); parallel
        edges between a node and its parent share the link in proportion to their conductance.
    edge_sign : ndarray of float, shape (E_active,)
        ``+1`` if the edge points from the parent to the child, ``-1`` the other way, 0 off the forest.
    link_conductance : ndarray, shape (V,)
        Total conductance (S) of the edges between each node and its parent.
    """

    parent: np.ndarray
    levels: list
    edge_child: np.ndarray
    edge_sign: np.ndarray
    link_conductance: np.ndarray


def system_graph(network: Network, system) -> tuple[np.ndarray, np.ndarray]:
    """Edges ``(E', 2)`` and conductances (S) of the graph ``system`` was reduced from.

    That is the network itself, or the network with its stiff edges contracted when the solver merged
    some (``system.edges`` / ``system.conductance``, in the ids of ``system.unknown``).
    """
    edges = getattr(system, "edges", None)
    if edges is None:
        return network.edges, network.edge_conductance
    return edges, system.conductance


def _active_parts(network: Network, system):
    """Active edges ``(E_a, 2)``, their conductances, EMFs (V), and the free-node mask."""
    act = system.active_edge
    edges, g = system_graph(network, system)
    return edges[act], g[act], system.emf[act], system.unknown >= 0


def routing_forest(network: Network, system) -> RoutingForest:
    """Spanning forest along which :func:`conductance_bracket` routes the divergence residual.

    Parameters
    ----------
    network : Network
        The network.
    system : KirchhoffSystem
        Its reduced system from :func:`~nanograph.linalg.solve.kirchhoff_system` (which edges carry
        current, which nodes are free).

    Returns
    -------
    RoutingForest
        One multi-source breadth-first tree over the active edges from all fixed nodes (compiled
        ``scipy.sparse.csgraph.dijkstra`` with ``unweighted=True, min_only=True``).
    """
    edges, g, _, free = _active_parts(network, system)
    n = len(system.unknown)
    fixed_active = np.flatnonzero((~free) & np.isfinite(system.potentials))
    parent = np.full(n, -9999, dtype=np.int64)
    if not len(edges) or not len(fixed_active):
        return RoutingForest(parent, [], np.full(len(edges), -1), np.zeros(len(edges)), np.zeros(n))
    graph = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n)).tocsr()
    dist, pred, _ = csgraph.dijkstra(
        graph, directed=False, indices=fixed_active, unweighted=True, min_only=True, return_predecessors=True
    )
    parent[:] = pred
    reached = np.isfinite(dist) & (dist > 0)
    nodes = np.flatnonzero(reached)
    depth = dist[nodes].astype(np.int64)
    order = np.argsort(depth, kind="stable")
    nodes, depth = nodes[order], depth[order]
    cuts = np.flatnonzero(np.diff(depth)) + 1
    levels = np.split(nodes, cuts) if len(nodes) else []
    t, h = edges[:, 0], edges[:, 1]
    child_is_head = parent[h] == t
    child_is_tail = (parent[t] == h) & ~child_is_head
    edge_child = np.where(child_is_head, h, np.where(child_is_tail, t, -1))
    edge_sign = np.where(child_is_head, 1.0, np.where(child_is_tail, -1.0, 0.0))
    on = edge_child >= 0
    link = scatter_add(edge_child[on], g[on], n)
    return RoutingForest(parent, levels, edge_child, edge_sign, link)


def _route(forest: RoutingForest, residual: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Edge flows (A) whose divergence cancels ``residual`` (net current out of each free node)."""
    acc = residual.copy()
    parent = forest.parent
    for nodes in reversed(forest.levels):  # leaves first: a level is final once the deeper ones are in
        np.add.at(acc, parent[nodes], acc[nodes])
    on = forest.edge_child >= 0
    child = forest.edge_child[on]
    delta = np.zeros(len(g))
    # Push acc[child] from the parent into the child, shared by parallel edges in proportion to g.
    delta[on] = forest.edge_sign[on] * acc[child] * g[on] / forest.link_conductance[child]
    return delta


def _allowance(n_terms: int, scale: float) -> float:
    """Rounding bound of a pairwise floating-point sum of ``n_terms`` terms with absolute sum ``scale``."""
    return (math.log2(max(n_terms, 2)) + 24) * np.finfo(float).eps * scale


def conductance_bracket(
    network: Network,
    potentials: np.ndarray,
    voltage: float = 1.0,
    *,
    system=None,
    forest: RoutingForest | None = None,
) -> ConductanceBracket:
    """Certified lower and upper bounds on the conductance from an approximate potential.

    Parameters
    ----------
    network : Network
        Bus-bar or periodic-x network.
    potentials : ndarray, shape (V',)
        Any potentials (V) of the system's nodes (the network's nodes, unless the solver contracted stiff
        edges: see :func:`system_graph`) holding the fixed values of ``system.potentials`` at the fixed
        nodes (the electrodes, the grounded nodes); the free values may be anything finite. Values
        outside the current-carrying components are ignored (they may be NaN).
    voltage : float
        The applied potential difference (V), the same as for ``system``.
    system : KirchhoffSystem, optional
        :func:`~nanograph.linalg.solve.kirchhoff_system` of ``network`` at ``voltage``; built if omitted.
    forest : RoutingForest, optional
        :func:`routing_forest` of the same system, to reuse across many brackets (an iterative solve).

    Returns
    -------
    ConductanceBracket
        ``lower <= G <= upper`` (S): Thomson's and Dirichlet's principles (module docstring), each end
        widened by its rounding allowance. ``[0, 0]`` for a network that carries no current. If the system
        contracted stiff edges, the interval is that of the contracted graph, whose conductance is at least
        the network's (Rayleigh): ``upper`` still bounds the network's conductance.

    Raises
    ------
    InvalidInputError
        ``potentials`` of the wrong length, or not finite on the current-carrying components, or not
        holding the fixed values.

    Examples
    --------
    Two 1 S resistors in series (G = 0.5 S); a wrong middle potential still brackets G:

    >>> net = Network.from_edges(3, [[0, 1], [1, 2]], 1.0, electrodes=(0, 2))
    >>> b = conductance_bracket(net, np.array([1.0, 0.6, 0.0]))
    >>> bool(b.lower <= 0.5 <= b.upper), round(b.upper, 12), round(b.lower, 12)
    (True, 0.52, 0.5)
    """
    from nanograph.linalg.solve import kirchhoff_system

    system = kirchhoff_system(network, voltage) if system is None else system
    phi = np.asarray(potentials, dtype=float)
    if phi.shape != system.unknown.shape:
        raise InvalidInputError(
            f"potentials must have shape {system.unknown.shape} (the system's nodes), got {phi.shape}"
        )
    if not system.percolates:
        return ConductanceBracket(0.0, 0.0)
    forest = routing_forest(network, system) if forest is None else forest
    edges, g, emf, free = _active_parts(network, system)
    t, h = edges[:, 0], edges[:, 1]
    fixed = (~free) & np.isfinite(system.potentials)
    if not np.all(np.isfinite(phi[t])) or not np.all(np.isfinite(phi[h])):
        raise InvalidInputError("potentials must be finite on the current-carrying components")
    if not np.array_equal(phi[fixed], system.potentials[fixed]):
        raise InvalidInputError("potentials must hold the fixed values (electrodes, grounded nodes)")
    drop = phi[t] - phi[h] + emf
    current = g * drop
    n = len(phi)
    net_out = scatter_add(t, current, n) - scatter_add(h, current, n)
    flow = current + _route(forest, np.where(free, net_out, 0.0), g)
    v2 = float(voltage) ** 2
    energy = float(np.sum(current * drop))
    dissipation = float(np.sum(flow * flow / g))
    work = float(np.sum(flow * drop))
    size = np.abs(phi[t]) + np.abs(phi[h]) + np.abs(emf)
    slack = _allowance(len(g), float(np.sum((np.abs(current) + np.abs(flow)) * size)))
    upper = (energy + slack) / v2
    lower = max(work * work / dissipation - slack, 0.0) / v2 if dissipation > 0 else 0.0
    return ConductanceBracket(lower=float(lower), upper=float(upper))
