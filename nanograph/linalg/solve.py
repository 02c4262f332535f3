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

Every solve reports two checks: the Kirchhoff current-law residual at the free nodes (relative to the
total current) and the power balance ``sum g_e dV_e^2 = G V^2`` (relative error).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError
from nanograph.graphs.contract import image_offsets
from nanograph.graphs.network import Network
from nanograph.linalg.factor import factorize
from nanograph.linalg.laplacian import reduced_laplacian, scatter_add

__all__ = ["Solution", "KirchhoffSystem", "kirchhoff_system", "solve_network", "edge_windings"]


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
        Node potentials (V); NaN for nodes outside the current-carrying components. In the periodic
        geometry these are the periodic parts ``phi`` (the full potential is ``phi - voltage x / Lx``).
    currents : ndarray, shape (E,)
        Current on each edge from tail to head (A); 0 outside the current-carrying components.
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
        Its floor is set by rounding of the potentials, about ``eps * max(g) * V / I``: very short wire
        segments (huge ``g``) put it near 1e-11 in dense junction-node networks.
    power_balance_error : float
        ``|sum g dV^2 - G V^2| / (G V^2)`` (0 when no current flows).
    accuracy : float
        Expected relative accuracy of the conductance, ``eps * max(g) / min(g)`` over the solved edges:
        the backward error of any Cholesky or LU factorisation is about ``eps * max(g)`` on every entry,
        which the smallest conductances feel most. Short wire segments with ``rw << rj`` make it large
        (a ``RuntimeWarning`` is issued above 1e-6); use the wire-node form in that limit.
    n_unknowns : int
        Size of the factored system.
    backend : str
        ``"cholmod"``, ``"superlu"`` or ``"none"``.
    timings : dict
        Seconds spent in ``assemble``, ``factor`` and ``solve``.
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

    @property
    def resistance(self) -> float:
        """``1 / conductance`` (ohm); infinite when the network does not percolate."""
        return 1.0 / self.conductance if self.conductance > 0 else float("inf")


def edge_windings(network: Network) -> np.ndarray:
    """Signed number of times each edge crosses the periodic x boundary going from tail to head.

    Uses the image of each node's position in the box: ``w = m_head + shift_x - m_tail`` with
    ``m = floor(x / Lx)``.
    """
    m = np.floor(network.node_position[:, 0] / network.box[0]).astype(np.int64)
    return m[network.edges[:, 1]] + network.edge_shift[:, 0] - m[network.edges[:, 0]]


def _components(network: Network, conducting: np.ndarray) -> np.ndarray:
    e = network.edges[conducting]
    n = network.n_nodes
    graph = sparse.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    return csgraph.connected_components(graph, directed=False)[1]


def _boundary_conditions(network: Network, conducting: np.ndarray, labels: np.ndarray, voltage: float):
    """Fixed potentials (NaN where free), labels of the current-carrying components, edge EMFs (V)."""
    n = network.n_nodes
    fixed = np.full(n, np.nan)
    if network.electrodes is not None:
        left, right = network.electrodes
        fixed[left], fixed[right] = voltage, 0.0
        active_label = [labels[left]] if labels[left] == labels[right] else []
        return fixed, active_label, np.zeros(network.n_edges)
    if not network.periodic[0]:
        raise InvalidInputError("a network without electrodes must be periodic in x to be solved")
    # A component carries current iff one of its loops winds around x: find such loops on a spanning forest.
    winding = edge_windings(network)
    e = network.edges[conducting]
    lowest = np.full(labels.max() + 1, n)
    np.minimum.at(lowest, labels, np.arange(n))
    offset = image_offsets(n, e, winding[conducting][:, None], lowest[labels])[:, 0]
    wraps = offset[e[:, 1]] - offset[e[:, 0]] != winding[conducting]
    active_label = np.unique(labels[e[wraps, 0]])
    fixed[lowest[active_label]] = 0.0  # ground one node per wrapping component
    return fixed, active_label, voltage * winding


def _expected_accuracy(g: np.ndarray) -> float:
    """``eps * max(g) / min(g)``, with a warning when the conductance may be inaccurate beyond 1e-6."""
    if not len(g):
        return 0.0
    accuracy = float(np.finfo(float).eps * g.max() / g.min())
    if accuracy > 1e-6:
        warnings.warn(
            f"edge conductances span {np.log10(g.max() / g.min()):.1f} decades: the conductance is accurate "
            f"to about {accuracy:.0e} (relative); consider the wire-node form when rw << rj",
            RuntimeWarning,
            stacklevel=4,
        )
    return accuracy


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

    Attributes
    ----------
    lower : scipy.sparse.csc_matrix or None
        Lower triangle of the Laplacian restricted to the free nodes of the current-carrying components
        (Dirichlet nodes eliminated); ``None`` when there is nothing to solve.
    rhs : ndarray
        Currents injected into the free nodes by the fixed potentials and the boundary EMFs (A).
    unknown : ndarray of int64, shape (V,)
        Index of each node among the unknowns, -1 for fixed or current-free nodes.
    potentials : ndarray, shape (V,)
        Fixed potentials (V), 0 at the free nodes, NaN outside the current-carrying components.
    emf : ndarray, shape (E,)
        Electromotive force on each edge (V): ``voltage * winding`` in the periodic geometry, else 0.
    active_edge : ndarray of bool, shape (E,)
        Conducting edges of the current-carrying components.
    percolates : bool
        Whether any component carries current.
    accuracy : float
        ``eps * max(g) / min(g)`` over the active edges (see :class:`Solution`).
    """

    lower: sparse.csc_matrix | None
    rhs: np.ndarray
    unknown: np.ndarray
    potentials: np.ndarray
    emf: np.ndarray
    active_edge: np.ndarray
    percolates: bool
    accuracy: float

    @property
    def n_unknowns(self) -> int:
        """Size of the system."""
        return len(self.rhs)


def kirchhoff_system(network: Network, voltage: float = 1.0) -> KirchhoffSystem:
    """Reduce Kirchhoff's equations of ``network`` to a symmetric positive-definite system.

    Only the current-carrying components are kept: the one holding both electrodes (bus bars), or those
    that wrap around the periodic x axis (each grounded at its lowest node).

    Parameters
    ----------
    network : Network
        Bus-bar or periodic-x network.
    voltage : float
        Potential difference (V).

    Returns
    -------
    KirchhoffSystem
    """
    if not (np.isfinite(voltage) and voltage != 0):
        raise InvalidInputError(f"voltage must be a finite non-zero number (V), got {voltage!r}")
    n = network.n_nodes
    edges, g = network.edges, network.edge_conductance
    conducting = (g > 0) & (edges[:, 0] != edges[:, 1])
    labels = _components(network, conducting)
    fixed, active_label, emf = _boundary_conditions(network, conducting, labels, voltage)
    active_node = np.isin(labels, active_label)
    unknown_mask = active_node & np.isnan(fixed)
    unknown = np.full(n, -1, dtype=np.int64)
    n_unknowns = int(unknown_mask.sum())
    unknown[unknown_mask] = np.arange(n_unknowns)
    active_edge = conducting & active_node[edges[:, 0]]
    potentials = np.where(active_node, np.nan_to_num(fixed), np.nan)
    lower, rhs = None, np.zeros(0)
    if n_unknowns:
        lower, rhs = _dirichlet_system(
            unknown, n_unknowns, edges[active_edge], g[active_edge], potentials, emf[active_edge]
        )
    return KirchhoffSystem(
        lower=lower,
        rhs=rhs,
        unknown=unknown,
        potentials=potentials,
        emf=emf,
        active_edge=active_edge,
        percolates=bool(len(active_label)),
        accuracy=_expected_accuracy(g[active_edge]),
    )


def solve_network(
    network: Network, voltage: float = 1.0, *, solver: str = "auto", ordering: str = "amd", mode: str = "auto"
) -> Solution:
    """Solve Kirchhoff's equations of ``network``.

    Parameters
    ----------
    network : Network
        Bus-bar network (``network.electrodes`` set) or periodic-x network (``electrodes is None``).
    voltage : float
        Potential difference between the electrodes, or drop per period across periodic x (V).
    solver, ordering, mode
        Passed to :func:`~nanograph.linalg.factor.factorize` (CHOLMOD by default).

    Returns
    -------
    Solution

    Examples
    --------
    >>> from nanograph.geometry.sticks import Sticks
    >>> from nanograph.graphs.builders import junction_node_network
    >>> s = Sticks([[-0.5, 0.5, 1.5, 0.5]], box=1)          # one stick across the box
    >>> sol = solve_network(junction_node_network(s, rw=2.0, rj=1.0, re=0.25))
    >>> round(sol.resistance, 12)                             # 0.25 + 2.0 * 1 + 0.25
    2.5
    """
    t0 = time.perf_counter()
    system = kirchhoff_system(network, voltage)
    potentials = system.potentials.copy()
    backend = "none"
    t1 = t2 = time.perf_counter()
    if system.n_unknowns:
        solve, backend = factorize(system.lower, solver=solver, ordering=ordering, mode=mode)
        t2 = time.perf_counter()
        potentials[system.unknown >= 0] = solve(system.rhs)
        del solve  # release the factor before the currents are formed
    t3 = time.perf_counter()

    n = network.n_nodes
    edges, g, emf, active_edge = network.edges, network.edge_conductance, system.emf, system.active_edge
    currents = np.zeros(network.n_edges)
    drop = potentials[edges[active_edge, 0]] - potentials[edges[active_edge, 1]] + emf[active_edge]
    currents[active_edge] = g[active_edge] * drop
    if network.electrodes is not None:
        left = network.electrodes[0]
        total = currents[edges[:, 0] == left].sum() - currents[edges[:, 1] == left].sum()
    else:
        total = float(np.dot(currents, emf)) / voltage  # current times windings through x = 0
    total = float(total)
    conductance = total / voltage if system.percolates else 0.0

    # Checks: Kirchhoff's current law at free nodes and the power balance.
    net_out = scatter_add(edges[:, 0], currents, n) - scatter_add(edges[:, 1], currents, n)
    kcl = float(np.max(np.abs(net_out[system.unknown >= 0]), initial=0.0) / abs(total)) if total else 0.0
    power = float(np.dot(g[active_edge], drop**2))
    expected = conductance * voltage**2
    balance = abs(power - expected) / expected if expected > 0 else 0.0
    lx, ly = network.box
    return Solution(
        network=network,
        voltage=float(voltage),
        potentials=potentials,
        currents=currents,
        current=total,
        conductance=conductance,
        sheet_conductance=conductance * lx / ly,
        percolates=system.percolates,
        kcl_residual=kcl,
        power_balance_error=balance,
        accuracy=system.accuracy,
        n_unknowns=system.n_unknowns,
        backend=backend,
        timings={"assemble": t1 - t0, "factor": t2 - t1, "solve": t3 - t2},
    )
