"""Kirchhoff solve of a network: node potentials, edge currents, conductance.

Two geometries:

* **bus bars** (x open): the left electrode is held at ``voltage``, the right one at 0. Only the
  connected component holding both electrodes is solved (Dirichlet nodes eliminated, the reduced
  Laplacian is symmetric positive definite and factored by CHOLMOD). If no component holds both, the
  network does not percolate: ``conductance = 0`` and ``percolates = False``, without a solver error.
* **periodic** (x periodic, no electrodes): a potential drop ``voltage`` per period is applied across
  the periodic x boundary (an electromotive force ``voltage * w_e`` on every edge that crosses it ``w_e``
  times). Only components that wrap around x carry current; each is grounded at one node. The total
  current is the current through the plane ``x = 0``.

Degenerate networks (no nodes, no edges, no junction, no electrode contact) do not percolate and give
``conductance = 0`` in every geometry.

**Stiff systems.** A Cholesky (or LU) factorisation has a backward error of about ``eps * max(g)`` on
every entry, which the smallest conductances feel most: with ``rw << rj`` the short wire segments of the
junction-node form leave no correct digit (``rw = 1e-14, rj = 1`` gave G 2.6x too high). Therefore every
edge whose resistance is below :data:`STIFF_RATIO` times the largest resistance of its connected component
is *contracted*: its endpoints become one node of the solved system, exactly as a zero resistance is
(:func:`~nanograph.graphs.contract.contract_edges`). The currents on the contracted edges then follow from
a second, well-conditioned solve over the contracted edges alone (Kirchhoff's current law at their nodes),
and the energy they neglect bounds the error (Thomson's principle, Rayleigh monotonicity):

    R' <= R <= R' + E / I'^2,     E = sum over contracted edges of r_e i_e^2,

with ``R'`` and ``I'`` the resistance and current of the contracted network. The reported conductance is
``1 / (R' + E / I'^2)``: exact to first order in the contracted resistances, never above the exact value,
and wrong by at most ``E / (I' V)`` (:attr:`Solution.contraction_error`). As ``rw -> 0`` the result
approaches the wire-node answer smoothly (linearly in ``rw``).

**Energy, not current.** The conductance is the Dirichlet energy of the computed potentials,
``G = sum g dV^2 / V^2``, which is stationary at the exact potentials: its error is second order in theirs,
where the current leaving an electrode has a first-order error (the difference is
:attr:`Solution.power_balance_error`). Measured against exact rational solves of junction-node networks for
``rw = 1e-2 .. 1e-14`` (``rj = 1``): relative errors at most 1.7e-13 (``docs/guide/reliability.md``).

Every solve reports three checks: the Kirchhoff current-law residual at the free nodes (relative to the
total current), the power balance ``sum g_e dV_e^2 = G V^2`` (relative error), and the expected relative
accuracy of the conductance, :attr:`Solution.accuracy`. Beyond :data:`ACCURACY_THRESHOLD` the solve warns
(:class:`InaccurateSolutionWarning`), :attr:`Solution.accurate` is False and :meth:`Solution.check` raises
:class:`InaccurateSolutionError`.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from nanograph.errors import (
    InaccurateSolutionError,
    InaccurateSolutionWarning,
    InvalidInputError,
    SingularSystemError,
)
from nanograph.graphs.components import component_labels, component_minimum
from nanograph.graphs.contract import Contraction, contract_edges, image_offsets
from nanograph.graphs.network import Network
from nanograph.linalg.factor import SOLVERS, factorize
from nanograph.linalg.laplacian import reduced_laplacian, scatter_add

__all__ = [
    "ACCURACY_THRESHOLD",
    "STIFF_RATIO",
    "ORDERINGS",
    "MODES",
    "ITERATIVE_SOLVERS",
    "InaccurateSolutionError",
    "InaccurateSolutionWarning",
    "Solution",
    "KirchhoffSystem",
    "kirchhoff_system",
    "solve_network",
    "edge_windings",
]

#: Relative accuracy of the conductance beyond which a solution is flagged inaccurate.
ACCURACY_THRESHOLD = 1e-6
#: Edges with a resistance below this fraction of the largest resistance of their component are contracted.
#: With it the conductances left in a component span at most 9 decades, so the rounding estimate
#: ``eps * max(g) / min(g)`` stays below 2.3e-7, under :data:`ACCURACY_THRESHOLD`.
STIFF_RATIO = 1e-9
#: CHOLMOD fill-reducing orderings accepted by ``ordering``.
ORDERINGS = ("amd", "metis", "nesdis", "colamd", "natural", "best", "default")
#: CHOLMOD factorisation kinds accepted by ``mode``.
MODES = ("auto", "supernodal", "simplicial")

_EPS = float(np.finfo(float).eps)


def _read_only(array: np.ndarray) -> np.ndarray:
    out = np.asarray(array).view()
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class Solution:
    """Result of a Kirchhoff solve.

    Attributes
    ----------
    network : Network
        The solved network.
    voltage : float
        Applied potential difference (V).
    potentials : ndarray, shape (V,)
        Node potentials (V), read-only; NaN for nodes outside the current-carrying components. In the
        periodic geometry these are the periodic parts ``phi`` (the full potential is ``phi - voltage x / Lx``).
    currents : ndarray, shape (E,)
        Current on each edge from tail to head (A), read-only; 0 outside the current-carrying components.
        Where edges were contracted these are the currents of the contracted network (they add up to
        ``current`` within ``contraction_error``).
    current : float
        Total current between the electrodes (or through the periodic x boundary) (A).
    conductance : float
        ``current / voltage`` (S).
    sheet_conductance : float
        ``conductance * Lx / Ly`` (S per square).
    percolates : bool
        A cluster connects the electrodes (or wraps the periodic x axis).
    kcl_residual : float
        Largest current imbalance at a free node divided by the total current (0 when none flows).
        Its floor is set by rounding of the potentials, about ``eps * max(g) * V / I``.
    power_balance_error : float
        ``|P - I V| / (I V)`` with ``P = sum g dV^2`` the power dissipated in the solved (uncontracted) edges
        and ``I`` the current leaving the left electrode (through x = 0 when periodic); 0 when no current
        flows. It is the first-order error a current-based conductance ``I / V`` would have; ``conductance``
        is taken from ``P`` (the Dirichlet energy), whose error is second order.
    accuracy : float
        Expected relative accuracy of the conductance: the rounding estimate ``eps * max(g) / min(g)``
        over the solved edges of each current-carrying component (the backward error of a Cholesky or LU
        factorisation is about ``eps * max(g)`` on every entry), plus ``contraction_error``. A conservative
        estimate: against exact rational solves the energy-based conductance was within 2e-13 wherever this
        was at most 4e-7. Beyond :data:`ACCURACY_THRESHOLD` the solution is not :attr:`accurate`.
    n_unknowns : int
        Size of the factored system.
    backend : str
        ``"cholmod"``, ``"superlu"`` or ``"none"``.
    timings : dict
        Seconds spent in ``assemble``, ``factor`` and ``solve``.
    contraction_error : float
        Bound on the relative error of ``conductance`` from contracting stiff edges (0 when none was).
    n_contracted : int
        Number of edges contracted because of their tiny resistance (see the module notes).
    """

    network: Network
    voltage: float
    potentials: np.ndarray
    currents: np.ndarray
    current: float
    conductance: float
    sheet_conductance: float
    percolates: bool
    kcl_residual: float
    power_balance_error: float
    accuracy: float
    n_unknowns: int
    backend: str
    timings: dict = field(default_factory=dict)
    contraction_error: float = 0.0
    n_contracted: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "potentials", _read_only(self.potentials))
        object.__setattr__(self, "currents", _read_only(self.currents))

    @property
    def resistance(self) -> float:
        """``1 / conductance`` (ohm); infinite when the network does not percolate."""
        return 1.0 / self.conductance if self.conductance > 0 else float("inf")

    @property
    def accurate(self) -> bool:
        """Whether :attr:`accuracy` is within :data:`ACCURACY_THRESHOLD` (1e-6 relative)."""
        return bool(self.accuracy <= ACCURACY_THRESHOLD)

    def _display(self) -> list[tuple[str, object]]:
        net = self.network
        return [("conductance_S", self.conductance), ("sheet_conductance_S_sq", self.sheet_conductance),
                ("resistance_ohm", self.resistance), ("percolates", self.percolates), ("accuracy", self.accuracy),
                ("voltage_V", self.voltage), ("current_A", self.current), ("backend", self.backend),
                ("n_unknowns", self.n_unknowns), ("network", f"{net.form}, {net.n_nodes} nodes, {net.n_edges} edges")]  # fmt: skip

    def __repr__(self) -> str:
        """One line: conductance, sheet conductance, resistance, percolation, accuracy, back-end (no arrays)."""
        from nanograph._display import summary_repr

        return summary_repr("Solution", self._display())

    def _repr_html_(self) -> str:
        from nanograph._display import html_table

        return html_table("Solution", self._display())

    def check(self, threshold: float = ACCURACY_THRESHOLD) -> Solution:
        """Return ``self``, or raise when the conductance is not accurate to ``threshold``.

        Parameters
        ----------
        threshold : float
            Largest acceptable relative accuracy (default :data:`ACCURACY_THRESHOLD`).

        Returns
        -------
        Solution
            ``self``, so that ``solve_network(net).check().conductance`` reads naturally.

        Raises
        ------
        InaccurateSolutionError
            If :attr:`accuracy` exceeds ``threshold``.
        """
        if not self.accuracy <= threshold:
            raise InaccurateSolutionError(_inaccurate_message(self.accuracy, threshold))
        return self


def _inaccurate_message(accuracy: float, threshold: float = ACCURACY_THRESHOLD) -> str:
    return (f"the conductance is accurate to only about {accuracy:.1e} (relative), beyond the {threshold:.0e} "
            "threshold: the edge conductances of a current-carrying component span too many decades and "
            "could not be contracted (stiff edges would short the electrodes or wrap the box)")  # fmt: skip


def edge_windings(network: Network) -> np.ndarray:
    """Signed number of times each edge crosses the periodic x boundary going from tail to head.

    Uses the image of each node's position in the box: ``w = m_head + shift_x - m_tail`` with
    ``m = floor(x / Lx)``.

    Parameters
    ----------
    network : Network
        Any network (the windings are meaningful where x is periodic).

    Returns
    -------
    ndarray of int64, shape (E,)
    """
    m = np.floor(network.node_position[:, 0] / network.box[0]).astype(np.int64)
    return m[network.edges[:, 1]] + network.edge_shift[:, 0] - m[network.edges[:, 0]]


#: Range of ``|voltage|`` (V) whose currents and powers (``g dV^2``) stay finite for any realistic network.
MIN_VOLTAGE, MAX_VOLTAGE = 1e-100, 1e100

#: Iterative solvers (:func:`~nanograph.linalg.iterative.solve_iterative`): CG with a certified conductance bracket;
#: ``cg`` picks the preconditioner by itself.
ITERATIVE_SOLVERS = ("cg", "cg-amg", "cg-twolevel", "cg-jacobi")

#: Bytes of CHOLMOD factor per unknown, measured (README performance tables): wire-node systems fill densely
#: (15 kB per node at n l^2 = 100, L = 64), junction-node ones stay near 900 B.
FACTOR_BYTES_PER_UNKNOWN = {"wire-node": 15e3, "junction-node": 900.0}


def _check_names(solver: str, ordering: str, mode: str) -> None:
    for name, value, allowed in (("solver", solver, SOLVERS + ITERATIVE_SOLVERS), ("ordering", ordering, ORDERINGS),
                                 ("mode", mode, MODES)):  # fmt: skip
        if not isinstance(value, str) or value not in allowed:
            raise InvalidInputError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")


def _check_electrodes(network: Network) -> np.ndarray | None:
    """The electrodes as two distinct node ids, or None; a clear error otherwise."""
    electrodes = network.electrodes
    if electrodes is None:
        return None
    e = np.asarray(electrodes)
    n = network.n_nodes
    if e.shape != (2,) or not np.issubdtype(e.dtype, np.integer) or e.min() < 0 or e.max() >= n:
        raise InvalidInputError(f"network.electrodes must be two node ids in 0..{n - 1}, got {e.tolist()!r}")
    if e[0] == e[1]:
        raise SingularSystemError(f"network.electrodes are both node {int(e[0])}: the electrodes are shorted "
                                  "(infinite conductance); give two different nodes")  # fmt: skip
    return e.astype(np.int64)


@dataclass(frozen=True, eq=False)
class _Graph:
    """Plain arrays of a resistor graph: edges, conductances, windings (periodic x) and electrodes."""

    n: int
    edges: np.ndarray
    g: np.ndarray
    winding: np.ndarray
    electrodes: np.ndarray | None

    @property
    def conducting(self) -> np.ndarray:
        """Edges that can carry current: positive conductance, not a self-loop unless it winds around x."""
        return (self.g > 0) & ((self.edges[:, 0] != self.edges[:, 1]) | (self.winding != 0))


def _stiff_edges(graph: _Graph) -> tuple[np.ndarray, np.ndarray]:
    """Conducting edges with ``r_e < STIFF_RATIO * max r`` over their connected component, and the labels."""
    conducting = graph.conducting
    e, g = graph.edges[conducting], graph.g[conducting]
    labels = component_labels(graph.n, e)
    stiff = np.zeros(len(graph.edges), dtype=bool)
    if not len(e):
        return stiff, labels
    gmin = component_minimum(labels, e, g)
    stiff[conducting] = g * STIFF_RATIO > gmin[labels[e[:, 0]]]
    return stiff, labels


def _contract(graph: _Graph) -> tuple[_Graph, Contraction, np.ndarray | None]:
    """The graph with its stiff edges contracted (groups that would short the electrodes left alone).

    Also returns the component labels of the nodes when nothing was contracted (else None).
    """
    stiff, labels = _stiff_edges(graph)
    c = contract_edges(graph.n, graph.edges, graph.winding[:, None], stiff, graph.electrodes, conflicts="skip")
    if not c.merged.any():
        return graph, c, labels
    electrodes = None if graph.electrodes is None else c.node_map[graph.electrodes]
    small = _Graph(c.n_nodes, c.node_map[graph.edges[c.keep]], graph.g[c.keep], c.new_shift[:, 0], electrodes)
    return small, c, None


def _boundary_conditions(graph: _Graph, conducting: np.ndarray, labels: np.ndarray, voltage: float):
    """Fixed potentials (NaN where free), labels of the current-carrying components, edge EMFs (V)."""
    n = graph.n
    fixed = np.full(n, np.nan)
    if graph.electrodes is not None:
        left, right = graph.electrodes
        fixed[left], fixed[right] = voltage, 0.0
        active_label = np.array([labels[left]] if labels[left] == labels[right] else [], dtype=np.int64)
        return fixed, active_label, np.zeros(len(graph.edges))
    if n == 0:
        return fixed, np.zeros(0, dtype=np.int64), np.zeros(len(graph.edges))
    # A component carries current iff one of its loops winds around x: find such loops on a spanning forest.
    e, winding = graph.edges[conducting], graph.winding[conducting]
    lowest = np.full(labels.max() + 1, n)
    np.minimum.at(lowest, labels, np.arange(n))
    offset = image_offsets(n, e, winding[:, None], lowest[labels])[:, 0]
    wraps = offset[e[:, 1]] - offset[e[:, 0]] != winding
    active_label = np.unique(labels[e[wraps, 0]])
    fixed[lowest[active_label]] = 0.0  # ground one node per wrapping component
    return fixed, active_label, voltage * graph.winding


def _rounding_accuracy(labels: np.ndarray, edges: np.ndarray, g: np.ndarray) -> float:
    """``eps * max(g) / min(g)`` over the edges of each component, the worst component."""
    if not len(g):
        return 0.0
    comp = labels[edges[:, 0]]
    size = comp.max() + 1
    gmax, gmin = np.zeros(size), np.full(size, np.inf)
    np.maximum.at(gmax, comp, g)
    np.minimum.at(gmin, comp, g)
    used = gmax > 0
    return float(_EPS * np.max(gmax[used] / gmin[used]))


def _dirichlet_system(unknown, n_unknowns, edges, g, potentials, emf):
    """Reduced Laplacian (lower triangle) and right-hand side: currents injected by fixed nodes and EMFs."""
    lower = reduced_laplacian(unknown, n_unknowns, edges, g)
    ut, uh = unknown[edges[:, 0]], unknown[edges[:, 1]]
    vt = np.where(ut < 0, potentials[edges[:, 0]], 0.0)
    vh = np.where(uh < 0, potentials[edges[:, 1]], 0.0)
    drive = g * emf
    rhs = scatter_add(ut[ut >= 0], (g * vh - drive)[ut >= 0], n_unknowns)
    rhs += scatter_add(uh[uh >= 0], (g * vt + drive)[uh >= 0], n_unknowns)
    return lower, rhs


@dataclass(frozen=True, eq=False)
class KirchhoffSystem:
    """The reduced symmetric positive-definite system ``lower x = rhs`` of a network (before factoring).

    Nodes and edges are those of the network after its stiff edges were contracted (:attr:`contraction`;
    none were when :attr:`n_contracted` is 0, and then they are the network's own).

    Attributes
    ----------
    lower : scipy.sparse.csc_matrix or None
        Lower triangle of the Laplacian restricted to the free nodes of the current-carrying components
        (Dirichlet nodes eliminated); ``None`` when there is nothing to solve.
    rhs : ndarray
        Currents injected into the free nodes by the fixed potentials and the boundary EMFs (A).
    unknown : ndarray of int64, shape (V',)
        Index of each (contracted) node among the unknowns, -1 for fixed or current-free nodes.
    potentials : ndarray, shape (V',)
        Fixed potentials (V), 0 at the free nodes, NaN outside the current-carrying components.
    emf : ndarray, shape (E',)
        Electromotive force on each kept edge (V): ``voltage * winding`` in the periodic geometry, else 0.
    active_edge : ndarray of bool, shape (E',)
        Conducting kept edges of the current-carrying components.
    percolates : bool
        Whether any component carries current.
    accuracy : float
        Rounding estimate ``eps * max(g) / min(g)`` over the active edges of each component (see
        :class:`Solution`).
    edges : ndarray of int64, shape (E', 2)
        Kept edges in contracted node ids.
    conductance : ndarray, shape (E',)
        Their conductances (S).
    contraction : Contraction or None
        How the network's nodes were merged (``node_map`` from network nodes to the nodes above).
    """

    lower: sparse.csc_matrix | None
    rhs: np.ndarray
    unknown: np.ndarray
    potentials: np.ndarray
    emf: np.ndarray
    active_edge: np.ndarray
    percolates: bool
    accuracy: float
    edges: np.ndarray | None = None
    conductance: np.ndarray | None = None
    contraction: Contraction | None = None

    @property
    def n_unknowns(self) -> int:
        """Size of the system."""
        return len(self.rhs)

    @property
    def n_contracted(self) -> int:
        """Number of network edges contracted as stiff."""
        return 0 if self.contraction is None else int(self.contraction.merged.sum())


def _reduce(graph: _Graph, voltage: float, contraction: Contraction, labels: np.ndarray | None) -> KirchhoffSystem:
    """The Dirichlet-reduced system of a (contracted) graph; ``labels``: its components, if known."""
    conducting = graph.conducting
    if labels is None:
        labels = component_labels(graph.n, graph.edges, conducting)
    fixed, active_label, emf = _boundary_conditions(graph, conducting, labels, voltage)
    active_node = np.isin(labels, active_label)
    unknown_mask = active_node & np.isnan(fixed)
    unknown = np.full(graph.n, -1, dtype=np.int64)
    n_unknowns = int(unknown_mask.sum())
    unknown[unknown_mask] = np.arange(n_unknowns)
    active_edge = conducting & active_node[graph.edges[:, 0]]
    potentials = np.where(active_node, np.nan_to_num(fixed), np.nan)
    e, g = graph.edges[active_edge], graph.g[active_edge]
    lower, rhs = None, np.zeros(0)
    if n_unknowns:
        lower, rhs = _dirichlet_system(unknown, n_unknowns, e, g, potentials, emf[active_edge])
    return KirchhoffSystem(
        lower=lower, rhs=rhs, unknown=unknown, potentials=potentials, emf=emf, active_edge=active_edge,
        percolates=bool(len(active_label)), accuracy=_rounding_accuracy(labels, e, g),
        edges=graph.edges, conductance=graph.g, contraction=contraction,
    )  # fmt: skip


def _network_graph(network: Network) -> _Graph:
    electrodes = _check_electrodes(network)
    if electrodes is None and not network.periodic[0]:
        raise InvalidInputError("a network without electrodes must be periodic in x to be solved")
    winding = edge_windings(network) if electrodes is None else np.zeros(network.n_edges, dtype=np.int64)
    return _Graph(network.n_nodes, network.edges, network.edge_conductance, winding, electrodes)


def kirchhoff_system(network: Network, voltage: float = 1.0) -> KirchhoffSystem:
    """Reduce Kirchhoff's equations of ``network`` to a symmetric positive-definite system.

    Stiff edges are contracted first (see the module notes); only the current-carrying components are
    kept: the one holding both electrodes (bus bars), or those that wrap around the periodic x axis (each
    grounded at its lowest node).

    Parameters
    ----------
    network : Network
        Bus-bar or periodic-x network.
    voltage : float
        Potential difference (V).

    Returns
    -------
    KirchhoffSystem

    Raises
    ------
    InvalidInputError
        A non-finite or zero ``voltage``, bad electrode ids, or an open-x network without electrodes.
    SingularSystemError
        Both electrodes are the same node.
    """
    if not (np.isfinite(voltage) and voltage != 0):
        raise InvalidInputError(f"voltage must be a finite non-zero number (V), got {voltage!r}")
    if not MIN_VOLTAGE <= abs(voltage) <= MAX_VOLTAGE:  # currents and powers would over- or underflow
        raise InvalidInputError(
            f"voltage = {voltage!r} V is outside {MIN_VOLTAGE:g}..{MAX_VOLTAGE:g} V, where currents and powers stay "
            "finite; the solve is linear: solve at 1 V and scale the potentials and currents"
        )
    small, contraction, labels = _contract(_network_graph(network))
    return _reduce(small, voltage, contraction, labels)


def _contracted_currents(system: KirchhoffSystem, x: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Potentials of the contracted nodes and currents on the kept edges."""
    potentials = system.potentials.copy()
    if x is not None:
        potentials[system.unknown >= 0] = x
    edges, act = system.edges, system.active_edge
    currents = np.zeros(len(edges))
    drop = potentials[edges[act, 0]] - potentials[edges[act, 1]] + system.emf[act]
    currents[act] = system.conductance[act] * drop
    return potentials, currents


def _stiff_currents(network, system, kept_currents, active_old, grounds, factor_args):
    """Currents on the contracted edges and the potential corrections of their nodes (a second solve).

    The contracted edges of each group must carry away the net current that the kept edges bring into
    each member node: ``L_s delta = b`` over the group, grounded at its electrode or lowest node.
    """
    c = system.contraction
    edges, g = network.edges, network.edge_conductance
    inner = c.merged & active_old[edges[:, 0]]
    delta = np.zeros(network.n_nodes)
    currents = np.zeros(network.n_edges)
    if not inner.any():
        return currents, delta
    kept = edges[c.keep]
    n = network.n_nodes
    inflow = scatter_add(kept[:, 1], kept_currents, n) - scatter_add(kept[:, 0], kept_currents, n)
    members = np.zeros(n, dtype=bool)
    members[edges[inner].ravel()] = True
    members[grounds] = False
    unknown = np.full(n, -1, dtype=np.int64)
    unknown[members] = np.arange(members.sum())
    e, gs = edges[inner], g[inner]
    lower = reduced_laplacian(unknown, int(members.sum()), e, gs)
    solve, _ = factorize(lower, **factor_args)
    delta[members] = solve(inflow[members])
    currents[inner] = gs * (delta[e[:, 0]] - delta[e[:, 1]])
    return currents, delta


def _inner_grounds(network: Network, contraction: Contraction) -> np.ndarray:
    """One old node per contracted node, held at 0 in the second solve: its electrode, or its lowest member."""
    grounds = contraction.representative.copy()
    if network.electrodes is not None:
        grounds[contraction.node_map[network.electrodes]] = network.electrodes
    return grounds


def _checks(network, system, currents, potentials_old, total, kept_power, conductance_c, voltage):
    """KCL residual at the free nodes (relative) and power balance of the solved edges (relative)."""
    n, edges = network.n_nodes, network.edges
    net_out = scatter_add(edges[:, 0], currents, n) - scatter_add(edges[:, 1], currents, n)
    free = ~np.isnan(potentials_old)
    if network.electrodes is not None:
        free[network.electrodes] = False
    else:
        c = system.contraction
        grounded = np.flatnonzero(~np.isnan(system.potentials) & (system.unknown < 0))
        free[c.representative[grounded]] = False
    kcl = float(np.max(np.abs(net_out[free]), initial=0.0) / abs(total)) if total else 0.0
    expected = conductance_c * voltage**2
    balance = abs(kept_power - expected) / expected if expected > 0 else 0.0
    return kcl, balance


def _warn_if_inaccurate(accuracy: float) -> None:
    if accuracy > ACCURACY_THRESHOLD:
        warnings.warn(_inaccurate_message(accuracy) + "; Solution.check() raises", InaccurateSolutionWarning,
                      stacklevel=3)  # fmt: skip


def solve_network(
    network: Network, voltage: float = 1.0, *, solver: str = "auto", ordering: str = "amd", mode: str = "auto"
) -> Solution:
    """Solve Kirchhoff's equations of ``network``.

    Stiff edges (resistance below :data:`STIFF_RATIO` times the largest of their component) are contracted
    and their neglected energy bounds the error (see the module notes); the result's :attr:`Solution.accuracy`
    says how many digits are right, and :meth:`Solution.check` raises beyond :data:`ACCURACY_THRESHOLD`.

    Parameters
    ----------
    network : Network
        Bus-bar network (``network.electrodes`` set) or periodic-x network (``electrodes is None``).
    voltage : float
        Potential difference between the electrodes, or drop per period across periodic x (V).
    solver : {"auto", "cholmod", "superlu", "cg", "cg-amg", "cg-twolevel", "cg-jacobi"}
        Linear solver: a direct factorisation (:func:`~nanograph.linalg.factor.factorize`; CHOLMOD by default), or
        conjugate gradients with a certified conductance bracket (:data:`ITERATIVE_SOLVERS`; the result is then an
        :class:`~nanograph.linalg.iterative.IterativeSolution` with the same ``conductance``, ``percolates``,
        ``potentials``, ``currents``, ``accuracy`` and ``check()``, plus ``conductance_lower``/``conductance_upper``).
        ``"auto"`` factors unless the estimated factor (:data:`FACTOR_BYTES_PER_UNKNOWN`) would not fit in 80 % of
        the machine's memory, and iterates then.
    ordering : str
        CHOLMOD fill-reducing ordering, one of :data:`ORDERINGS`.
    mode : {"auto", "supernodal", "simplicial"}
        CHOLMOD factorisation kind.

    Returns
    -------
    Solution

    Raises
    ------
    InvalidInputError
        An unknown ``solver``, ``ordering`` or ``mode``, a bad ``voltage`` or electrode ids (checked
        before anything is solved).
    SingularSystemError
        Both electrodes are the same node, or the system is not positive definite.

    Warns
    -----
    InaccurateSolutionWarning
        When :attr:`Solution.accuracy` exceeds :data:`ACCURACY_THRESHOLD`.

    Examples
    --------
    >>> from nanograph.geometry.sticks import Sticks
    >>> from nanograph.graphs.builders import junction_node_network
    >>> s = Sticks([[-0.5, 0.5, 1.5, 0.5]], box=1)          # one stick across the box
    >>> sol = solve_network(junction_node_network(s, rw=2.0, rj=1.0, re=0.25))
    >>> round(sol.resistance, 12)                             # 0.25 + 2.0 * 1 + 0.25
    2.5
    """
    _check_names(solver, ordering, mode)
    t0 = time.perf_counter()
    system = kirchhoff_system(network, voltage)
    if solver in ITERATIVE_SOLVERS or (solver == "auto" and _factor_too_big(network, system)):
        from nanograph.linalg.iterative import solve_iterative

        method = "auto" if solver in ("cg", "auto") else solver
        return solve_iterative(network, voltage, method=method, system=system)
    factor_args = {"solver": solver, "ordering": ordering, "mode": mode}
    t1 = t2 = time.perf_counter()
    x, backend = None, "none"
    if system.n_unknowns:
        solve, backend = factorize(system.lower, **factor_args)
        t2 = time.perf_counter()
        x = solve(system.rhs)
        del solve  # release the factor before the currents are formed
    small_potentials, small_currents = _contracted_currents(system, x)
    t3 = time.perf_counter()
    return _solution(network, system, voltage, small_potentials, small_currents, factor_args, backend,
                     {"assemble": t1 - t0, "factor": t2 - t1, "solve": t3 - t2})  # fmt: skip


def _factor_too_big(network: Network, system) -> bool:
    """Whether the estimated CHOLMOD factor would not fit in 80 % of this machine's memory."""
    from nanograph.geometry.budget import machine_memory

    per = FACTOR_BYTES_PER_UNKNOWN.get(network.form, FACTOR_BYTES_PER_UNKNOWN["wire-node"])
    return system.n_unknowns * per > 0.8 * machine_memory()


def _solution(network, system, voltage, small_potentials, small_currents, factor_args, backend, timings):
    """Map the contracted solution back to the network, add the stiff currents, the checks and the bound."""
    c = system.contraction
    act = system.active_edge
    if network.electrodes is not None:
        left = c.node_map[network.electrodes[0]]
        e = system.edges
        total = float(small_currents[e[:, 0] == left].sum() - small_currents[e[:, 1] == left].sum())
    else:
        total = float(np.dot(small_currents, system.emf)) / voltage  # current times windings through x = 0
    power = float(np.dot(small_currents[act] ** 2, 1.0 / system.conductance[act])) if act.any() else 0.0
    conductance_c = power / voltage**2 if system.percolates else 0.0  # Dirichlet energy: second-order accurate
    potentials = small_potentials[c.node_map] + voltage * c.offset[:, 0]
    currents = np.zeros(network.n_edges)
    currents[c.keep] = small_currents
    active_old = ~np.isnan(potentials)
    stiff_currents, delta = _stiff_currents(network, system, small_currents, active_old,
                                            _inner_grounds(network, c), factor_args)  # fmt: skip
    currents[c.merged] = stiff_currents[c.merged]
    merged = c.merged & active_old[network.edges[:, 0]]
    neglected = float(np.dot(currents[merged] ** 2, 1.0 / network.edge_conductance[merged])) if merged.any() else 0.0
    bound = neglected / power if power > 0 else 0.0
    conductance = conductance_c / (1.0 + bound)
    kcl, balance = _checks(network, system, currents, potentials, total, power, total / voltage, voltage)
    accuracy = system.accuracy + bound
    _warn_if_inaccurate(accuracy)
    lx, ly = network.box
    return Solution(
        network=network, voltage=float(voltage), potentials=potentials + delta, currents=currents,
        current=conductance * voltage, conductance=conductance, sheet_conductance=conductance * lx / ly,
        percolates=system.percolates, kcl_residual=kcl, power_balance_error=balance, accuracy=accuracy,
        n_unknowns=system.n_unknowns, backend=backend, timings=timings, contraction_error=bound,
        n_contracted=int(merged.sum()),
    )  # fmt: skip
