"""The sheet-conductivity tensor ``σ`` of a sample in a box periodic in x and in y.

A uniform field ``E`` is applied through the periodic boundaries: every edge that winds ``w_x`` times
around x and ``w_y`` times around y carries the electromotive force ``E_x L_x w_x + E_y L_y w_y``, and the
periodic part ``φ`` of the potential solves Kirchhoff's equations ``L φ = B^T g emf`` (each connected
component grounded at one node). One factorisation serves both drives, ``E = e_x`` and ``E = e_y`` (two
right-hand sides).

The mean current density is ``j = σ E`` with

    σ_ab = (1/A) Σ_e g_e Δ_e^(a) Δ_e^(b),     Δ_e^(a) = φ_t - φ_h + emf_e  (drive ``E = e_a``),

the Dirichlet energy of the two solutions (stationary at the exact potentials, so its error is second order
in theirs), symmetric by construction. The current through the periodic boundaries gives it to first order,
``σ_ba = (1/A) Σ_e i_e^(a) L_b w_b,e`` (``j_b = I_b / L_other``); the difference of the two is
:attr:`ConductivityTensor.current_error`. For a box open along x, ``σ_xx`` equals the periodic-x sheet
conductance of :func:`~nanograph.linalg.solve.solve_network` (``G L_x / L_y``).

Units: a 2-D sheet conductivity, current per unit width per unit field, in siemens (S, ohm^-1 per square)
when resistances are in ohms; independent of the box unit.

Stiff edges (resistance below :data:`~nanograph.linalg.solve.STIFF_RATIO` times the largest of their
component) are contracted, as in :func:`~nanograph.linalg.solve.solve_network`; by Rayleigh's monotonicity
law the contracted network's ``σ_xx`` and ``σ_yy`` are upper bounds, high by at most the contracted
resistances' relative share (below ``1e-9`` per edge).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks
from nanograph.graphs.builders import build_network
from nanograph.graphs.contract import contract_edges
from nanograph.graphs.network import Network
from nanograph.linalg.accuracy import AccuracyChecked, rounding_accuracy
from nanograph.linalg.factor import factorize
from nanograph.linalg.laplacian import reduced_laplacian, scatter_add
from nanograph.linalg.solve import STIFF_RATIO

__all__ = ["ConductivityTensor", "conductivity_tensor", "sheet_conductivity_tensor", "edge_windings_xy"]



@dataclass(frozen=True, eq=False)
class ConductivityTensor(AccuracyChecked):
    """The 2 x 2 sheet-conductivity tensor of a periodic sample, its principal axes and checks.

    Attributes
    ----------
    sigma : ndarray, shape (2, 2)
        ``[[σ_xx, σ_xy], [σ_xy, σ_yy]]`` (S).
    current_error : float
        ``max |σ_current - σ| / max(σ_xx, σ_yy)``: the current-based tensor against the energy-based one.
    accuracy : float
        Expected relative accuracy: rounding estimate ``eps max(g)/min(g)`` plus :attr:`current_error`.
    n_unknowns : int
        Size of the factored system.
    n_contracted : int
        Edges contracted as stiff.
    backend : str
        Linear solver back-end.
    timings : dict
        Seconds in ``assemble``, ``factor``, ``solve``.
    """

    SUBJECT = "the conductivity tensor"

    sigma: np.ndarray
    current_error: float
    accuracy: float
    n_unknowns: int
    n_contracted: int
    backend: str
    timings: dict = field(default_factory=dict)

    @property
    def sigma_xx(self) -> float:
        """``σ_xx`` (S)."""
        return float(self.sigma[0, 0])

    @property
    def sigma_yy(self) -> float:
        """``σ_yy`` (S)."""
        return float(self.sigma[1, 1])

    @property
    def sigma_xy(self) -> float:
        """``σ_xy = σ_yx`` (S)."""
        return float(self.sigma[0, 1])

    @property
    def principal(self) -> tuple[float, float, float]:
        """``(σ_1, σ_2, θ)``: principal values ``σ_1 >= σ_2`` (S) and the angle of ``σ_1``'s axis to x (degrees,
        in ``(-90, 90]``)."""
        values, vectors = np.linalg.eigh(self.sigma)
        angle = math.degrees(math.atan2(vectors[1, 1], vectors[0, 1]))
        angle = angle - 180 if angle > 90 else angle + 180 if angle <= -90 else angle
        return float(values[1]), float(values[0]), float(angle)

    @property
    def anisotropy_ratio(self) -> float:
        """``σ_1 / σ_2`` (>= 1; infinite when ``σ_2 = 0``)."""
        s1, s2, _ = self.principal
        return s1 / s2 if s2 > 0 else (math.inf if s1 > 0 else math.nan)

    def record(self) -> dict:
        """The tensor as plain values (S, degrees)."""
        s1, s2, angle = self.principal
        ratio = self.sigma_yy / self.sigma_xx if self.sigma_xx > 0 else math.nan
        return {
            "sigma_xx": self.sigma_xx, "sigma_yy": self.sigma_yy, "sigma_xy": self.sigma_xy,
            "sigma_yy_over_xx": ratio, "anisotropy_ratio": self.anisotropy_ratio,
            "principal_sigma": [s1, s2], "principal_angle_deg": angle,
            "current_error": self.current_error, "accuracy": self.accuracy,
        }  # fmt: skip


def edge_windings_xy(network: Network) -> np.ndarray:
    """Signed number of times each edge crosses the periodic x and y boundaries going from tail to head.

    ``w = m_head + shift - m_tail`` with ``m = floor(position / side)`` per axis (as
    :func:`~nanograph.linalg.solve.edge_windings` does for x).

    Returns
    -------
    ndarray of int64, shape (E, 2)
    """
    m = np.floor(network.node_position / np.asarray(network.box)).astype(np.int64)
    return m[network.edges[:, 1]] + network.edge_shift - m[network.edges[:, 0]]


def _labels(n: int, edges: np.ndarray) -> np.ndarray:
    graph = sparse.coo_matrix((np.ones(len(edges)), tuple(edges.T)), shape=(n, n))
    return csgraph.connected_components(graph, directed=False)[1]


def _contract(network: Network, winding: np.ndarray):
    """Contract stiff edges (leaving alone groups whose loops wrap the box): graph arrays and the contraction."""
    g, edges = network.edge_conductance, network.edges
    conducting = (g > 0) & ((edges[:, 0] != edges[:, 1]) | np.any(winding != 0, axis=1))
    labels = _labels(network.n_nodes, edges[conducting])
    stiff = np.zeros(len(edges), dtype=bool)
    if conducting.any():
        gmin = np.full(labels.max() + 1, np.inf)
        np.minimum.at(gmin, labels[edges[conducting, 0]], g[conducting])
        stiff[conducting] = g[conducting] * STIFF_RATIO > gmin[labels[edges[conducting, 0]]]
    c = contract_edges(network.n_nodes, edges, winding, stiff, None, conflicts="skip")
    return c.node_map[edges[c.keep]], g[c.keep], c.new_shift, c


def conductivity_tensor(network: Network, *, solver: str = "auto", ordering: str = "amd",
                        mode: str = "auto") -> ConductivityTensor:  # fmt: skip
    """The sheet-conductivity tensor of a network in a box periodic in x and y (module notes).

    Parameters
    ----------
    network : Network
        Periodic in both axes, without electrodes; conductances on edges, parallel edges add.
    solver, ordering, mode : str
        As for :func:`~nanograph.linalg.solve.solve_network`.

    Returns
    -------
    ConductivityTensor

    Raises
    ------
    InvalidInputError
        A box not periodic in both axes, or a network with electrodes.

    Examples
    --------
    A 4 x 4 periodic square lattice of 2 S bonds: ``σ = 2 I``.

    >>> n, ids = 4, np.arange(16).reshape(4, 4)
    >>> edges = np.concatenate([np.c_[ids.ravel(), np.roll(ids, -1, 0).ravel()],
    ...                         np.c_[ids.ravel(), np.roll(ids, -1, 1).ravel()]])
    >>> shift = np.zeros((32, 2), int); shift[:16, 0] = (ids // 4 == 3).ravel(); shift[16:, 1] = (ids % 4 == 3).ravel()
    >>> pos = np.c_[ids.ravel() // 4, ids.ravel() % 4].astype(float)
    >>> net = Network.from_edges(16, edges, 2.0, position=pos, box=4).replace(edge_shift=shift, periodic=(True, True))
    >>> conductivity_tensor(net).sigma.round(12).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """
    if tuple(network.periodic) != (True, True):
        raise InvalidInputError(f"periodic: the conductivity tensor needs a box that wraps around both x and y, "
                                f"got {tuple(network.periodic)}")  # fmt: skip
    if network.electrodes is not None and len(network.electrodes):
        raise InvalidInputError("network: the conductivity tensor is measured without electrodes (a field through "
                                "the periodic boundaries); build the network without electrodes")  # fmt: skip
    t0 = time.perf_counter()
    lx, ly = network.box
    edges, g, winding, c = _contract(network, edge_windings_xy(network))
    n = c.n_nodes
    conducting = (g > 0) & ((edges[:, 0] != edges[:, 1]) | np.any(winding != 0, axis=1))
    e, g, winding = edges[conducting], g[conducting], winding[conducting]
    labels = _labels(n, e)
    lowest = np.full(labels.max() + 1 if n else 0, n)
    np.minimum.at(lowest, labels, np.arange(n))
    unknown_mask = np.ones(n, dtype=bool)
    unknown_mask[lowest] = False  # ground every component at its lowest node
    unknown = np.full(n, -1, dtype=np.int64)
    unknown[unknown_mask] = np.arange(int(unknown_mask.sum()))
    emf = winding * np.array([lx, ly])  # (E, 2): unit field along x, along y
    ut, uh = unknown[e[:, 0]], unknown[e[:, 1]]
    n_unknowns = int(unknown_mask.sum())
    rhs = np.zeros((n_unknowns, 2))
    for a in (0, 1):
        drive = g * emf[:, a]
        rhs[:, a] = scatter_add(ut[ut >= 0], -drive[ut >= 0], n_unknowns) + scatter_add(uh[uh >= 0], drive[uh >= 0],
                                                                                         n_unknowns)  # fmt: skip
    t1 = t2 = time.perf_counter()
    phi, backend = np.zeros((n, 2)), "none"
    if n_unknowns:
        solve, backend = factorize(reduced_laplacian(unknown, n_unknowns, e, g), solver=solver, ordering=ordering,
                                   mode=mode)  # fmt: skip
        t2 = time.perf_counter()
        phi[unknown_mask] = np.asarray(solve(rhs)).reshape(n_unknowns, 2)
    drop = phi[e[:, 0]] - phi[e[:, 1]] + emf  # (E, 2)
    area = lx * ly
    sigma = (drop * g[:, None]).T @ drop / area
    by_current = (drop * g[:, None]).T @ emf / area  # [a, b]: current of drive a through the b boundary
    scale = max(sigma[0, 0], sigma[1, 1], 0.0)
    current_error = float(np.max(np.abs(by_current - sigma)) / scale) if scale > 0 else 0.0
    accuracy = rounding_accuracy(labels, e, g) + current_error
    timings = {"assemble": t1 - t0, "factor": t2 - t1, "solve": time.perf_counter() - t2}
    return ConductivityTensor(0.5 * (sigma + sigma.T), current_error, accuracy, n_unknowns, int(c.merged.sum()),
                              backend, timings)  # fmt: skip


def sheet_conductivity_tensor(sticks: Sticks, *, form: str = "junction-node", rw: float = 1.0, rj: float = 1.0,
                              solver: str = "auto") -> ConductivityTensor:  # fmt: skip
    """The sheet-conductivity tensor of sticks in a box periodic in x and y.

    Parameters
    ----------
    sticks : Sticks
        Periodic in both axes.
    form : {"junction-node", "wire-node"}
        Graph form.
    rw, rj : float
        Resistance of a unit length of wire (ohm per box unit) and of a junction (ohm).
    solver : str
        Linear solver back-end.

    Returns
    -------
    ConductivityTensor

    Raises
    ------
    InvalidInputError
        Sticks not periodic in both axes.
    """
    if not isinstance(sticks, Sticks):
        raise InvalidInputError(f"sticks must be a nanograph Sticks object, got {type(sticks).__name__}")
    if tuple(sticks.periodic) != (True, True):
        raise InvalidInputError(f"periodic: the conductivity tensor needs sticks that wrap around both x and y, "
                                f"got {tuple(sticks.periodic)}")  # fmt: skip
    return conductivity_tensor(build_network(sticks, form, rw=rw, rj=rj), solver=solver)
