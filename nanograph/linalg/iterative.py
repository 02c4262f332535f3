"""Preconditioned conjugate gradients with a certified conductance bracket: memory O(unknowns).

The reduced Kirchhoff system of :func:`~nanograph.linalg.solve.kirchhoff_system` (symmetric positive
definite, Dirichlet nodes eliminated) is solved by conjugate gradients (Hestenes & Stiefel 1952) with one
of three preconditioners:

* ``"cg-amg"``: one V-cycle of smoothed-aggregation algebraic multigrid (Vanek, Mandel & Brezina 1996,
  via pyamg). The wire-node system is well conditioned and this is all it needs (strength threshold 0);
  on junction-node systems a threshold of 0.1 lets the aggregation follow the stiff edges, whichever
  kind they are, and wins where the junctions dominate (``rw <s> > rj``).
* ``"cg-twolevel"`` (junction-node form): a two-level method built on the sticks. The *smoother* solves
  exactly the tridiagonal band of the matrix in the node order of the builder (by stick, then by arc
  position): that band is each stick's chain of contacts, joined by its wire segments, with the
  junction and electrode conductances on the diagonal (LAPACK ``pttrf``/``pttrs``, O(n)). The *coarse
  space* holds one unknown per stick (the potential constant along the stick), whose Galerkin matrix
  ``P^T A P`` is the wire-node Laplacian of the junctions, solved by one smoothed-aggregation V-cycle.
  Combined symmetrically and multiplicatively (smooth, coarse-correct, smooth) or additively.
* ``"cg-jacobi"``: diagonal scaling, a baseline.

CG stops on the conductance, not on the residual: at iterations where the preconditioned residual
``r.z`` (an estimate of the squared energy error) is below ``rtol`` times the energy, the certified
bracket of :mod:`nanograph.linalg.bracket` is evaluated, and CG stops once its relative width
``(upper - lower) / upper`` is at most ``rtol``. All brackets of one run are intersected (each is
certified). Conventions as everywhere in nanograph: edges carry conductances; parallel edges add.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from nanograph.errors import BackendUnavailableError, InvalidInputError
from nanograph.graphs.network import EdgeKind, Network
from nanograph.linalg.bracket import ConductanceBracket, conductance_bracket, routing_forest, system_graph

__all__ = ["IterativeSolution", "ITERATIVE_METHODS", "solve_iterative", "amg_preconditioner",
           "two_level_preconditioner", "stick_aggregates", "segment_stiffness"]  # fmt: skip

ITERATIVE_METHODS = ("auto", "cg-amg", "cg-twolevel", "cg-jacobi")
AMG_STRENGTH_THETA = 0.1
TWOLEVEL_MIN_STIFFNESS = 5.0
PYAMG_INSTALL_HINT = "pyamg is not installed; install it with: pip install pyamg"


@dataclass(frozen=True, eq=False)
class IterativeSolution:
    """Result of an iterative Kirchhoff solve, with its certified conductance bracket.

    Attributes
    ----------
    network : Network
        The solved network.
    voltage : float
        Applied potential difference (V).
    potentials : ndarray, shape (V,)
        Node potentials of the last iterate (V); NaN outside the current-carrying components.
    currents : ndarray, shape (E,)
        ``g * (phi_tail - phi_head + emf)`` on each edge (A); 0 outside the current-carrying components,
        NaN on edges the solver contracted as stiff (see :func:`~nanograph.linalg.bracket.system_graph`).
    conductance : float
        Midpoint of the bracket (S); within ``(conductance_upper - conductance_lower) / 2`` of the truth.
    conductance_lower, conductance_upper : float
        Certified Thomson and Dirichlet bounds on the conductance (S).
    relative_width : float
        ``(conductance_upper - conductance_lower) / conductance_upper``.
    sheet_conductance : float
        ``conductance * Lx / Ly`` (S per square).
    percolates : bool
        A component carries current.
    converged : bool
        ``relative_width <= rtol`` was reached within ``maxiter`` iterations.
    iterations : int
        CG iterations done.
    residual : float
        ``||b - A x|| / ||b||`` of the reduced system at the last iterate.
    rtol : float
        The requested relative width.
    n_unknowns : int
        Size of the reduced system.
    method : str
        ``"cg-amg"``, ``"cg-twolevel"``, ``"cg-jacobi"`` or ``"none"``.
    n_brackets : int
        Brackets evaluated.
    timings : dict
        Seconds spent in ``assemble``, ``setup`` (preconditioner) and ``solve`` (CG and brackets).
    """

    network: Network
    voltage: float
    potentials: np.ndarray
    currents: np.ndarray
    conductance: float
    conductance_lower: float
    conductance_upper: float
    relative_width: float
    sheet_conductance: float
    percolates: bool
    converged: bool
    iterations: int
    residual: float
    rtol: float
    n_unknowns: int
    method: str
    n_brackets: int = 0
    timings: dict = field(default_factory=dict)

    @property
    def resistance(self) -> float:
        """``1 / conductance`` (ohm); infinite when the network does not percolate."""
        return 1.0 / self.conductance if self.conductance > 0 else float("inf")

    @property
    def accuracy(self) -> float:
        """Certified relative accuracy of :attr:`conductance`: half the bracket's relative width."""
        return 0.5 * self.relative_width if self.percolates else 0.0

    @property
    def accurate(self) -> bool:
        """Whether the bracket converged and :attr:`accuracy` is within the solver's ``ACCURACY_THRESHOLD``."""
        from nanograph.linalg.solve import ACCURACY_THRESHOLD

        return self.converged and self.accuracy <= ACCURACY_THRESHOLD

    def check(self) -> IterativeSolution:
        """``self`` if :attr:`accurate`, else :class:`~nanograph.errors.InaccurateSolutionError` (as ``Solution.check``)."""
        from nanograph.errors import InaccurateSolutionError

        if not self.accurate:
            raise InaccurateSolutionError(
                f"the iterative conductance bracket is {self.relative_width:.2g} wide after {self.iterations} "
                f"iterations (converged: {self.converged}); lower rtol or raise maxiter"
            )
        return self


def _import_pyamg():
    try:
        import pyamg
    except ImportError:
        raise BackendUnavailableError(PYAMG_INSTALL_HINT) from None
    return pyamg


def _symmetric(lower: sparse.spmatrix) -> sparse.csr_matrix:
    """The full symmetric matrix (CSR) from its lower triangle."""
    lower = sparse.csr_matrix(lower)
    return (lower + lower.T - sparse.diags(lower.diagonal())).tocsr()


def amg_preconditioner(
    matrix: sparse.csr_matrix, *, theta: float = AMG_STRENGTH_THETA
) -> Callable[[np.ndarray], np.ndarray]:
    """One smoothed-aggregation V-cycle (pyamg) as a preconditioner of an SPD ``matrix``.

    Parameters
    ----------
    matrix : scipy.sparse.csr_matrix
        Full symmetric positive-definite matrix.
    theta : float
        Strength-of-connection threshold (pyamg's ``symmetric`` measure): couplings weaker than ``theta``
        times the geometric mean of their diagonals are ignored when aggregating. 0.1 (the default) keeps
        junction-node systems of any ``rw / rj`` at 10-20 iterations (measured); 0 suits the wire-node one.

    Returns
    -------
    callable
        ``apply(r)`` returning the V-cycle's approximation of ``matrix^-1 r`` (symmetric in ``r``).

    Raises
    ------
    BackendUnavailableError
        pyamg is not installed.
    """
    pyamg = _import_pyamg()
    strength = ("symmetric", {"theta": theta})
    hierarchy = pyamg.smoothed_aggregation_solver(matrix, symmetry="hermitian", strength=strength, max_coarse=500)
    cycle = hierarchy.aspreconditioner(cycle="V")
    return cycle.matvec


def stick_aggregates(network: Network, system) -> np.ndarray | None:
    """The stick of each unknown, numbered ``0 .. m-1`` (the coarse space of ``"cg-twolevel"``).

    Parameters
    ----------
    network : Network
        The network.
    system : KirchhoffSystem
        Its reduced system.

    Returns
    -------
    ndarray of int or None
        Aggregate of each unknown; ``None`` when some unknown lies on no stick (a hand-built network) or
        when every stick holds a single unknown (the wire-node form), where sticks give no coarse space.
    """
    contraction = getattr(system, "contraction", None)
    node_stick = network.node_stick if contraction is None else network.node_stick[contraction.representative]
    stick = node_stick[system.unknown >= 0]
    if not len(stick) or stick.min() < 0:
        return None
    _, aggregate = np.unique(stick, return_inverse=True)
    return aggregate if aggregate.max() + 1 < len(stick) else None


def _tridiagonal_solver(matrix: sparse.csr_matrix) -> Callable[[np.ndarray], np.ndarray]:
    """Exact solve with the tridiagonal band of an SPD, diagonally dominant ``matrix`` (LAPACK pttrf)."""
    from scipy.linalg import lapack

    d, e, info = lapack.dpttrf(matrix.diagonal(), matrix.diagonal(1))
    if info != 0:
        raise InvalidInputError(f"the tridiagonal band of the matrix is not positive definite (pttrf info {info})")

    def solve(r: np.ndarray) -> np.ndarray:
        return lapack.dpttrs(d, e, r)[0]

    return solve


def two_level_preconditioner(
    matrix: sparse.csr_matrix, aggregates: np.ndarray, *, combine: str = "multiplicative"
) -> Callable[[np.ndarray], np.ndarray]:
    """Chain smoother plus one-unknown-per-stick coarse space (see the module docstring).

    Parameters
    ----------
    matrix : scipy.sparse.csr_matrix
        Full SPD reduced Laplacian in the builder's node order (by stick, then arc position).
    aggregates : ndarray of int, shape (n,)
        Coarse unknown (stick) of each unknown, from :func:`stick_aggregates`.
    combine : {"multiplicative", "additive"}
        ``S + C (I - A S)`` symmetrised (smooth, coarse-correct, smooth), or ``S + P A_c^-1 P^T``.

    Returns
    -------
    callable
        ``apply(r)``: a symmetric positive-definite approximation of ``matrix^-1 r``.
    """
    if combine not in ("multiplicative", "additive"):
        raise InvalidInputError(f"combine must be 'multiplicative' or 'additive', got {combine!r}")
    n = matrix.shape[0]
    smooth = _tridiagonal_solver(matrix)
    prolong = sparse.csr_matrix((np.ones(n), (np.arange(n), aggregates)), shape=(n, int(aggregates.max()) + 1))
    m = prolong.shape[1]
    coarse = amg_preconditioner((prolong.T @ matrix @ prolong).tocsr(), theta=0.0)

    def correct(r: np.ndarray) -> np.ndarray:  # P A_c^-1 P^T r, with P and P^T as gather / scatter-add
        return coarse(np.bincount(aggregates, weights=r, minlength=m))[aggregates]

    def additive(r: np.ndarray) -> np.ndarray:
        return smooth(r) + correct(r)

    def multiplicative(r: np.ndarray) -> np.ndarray:
        x = smooth(r)
        x += correct(r - matrix @ x)
        x += smooth(r - matrix @ x)
        return x

    return multiplicative if combine == "multiplicative" else additive


def _preconditioner(method: str, matrix, network, system):
    if method == "cg-jacobi":
        inverse_diagonal = 1.0 / matrix.diagonal()
        return lambda r: inverse_diagonal * r
    aggregates = stick_aggregates(network, system)
    if method == "cg-amg":
        # theta 0 for the wire-node form (10-12 iterations; 0.1 took 2-10x more), 0.1 for junction-node ones.
        return amg_preconditioner(matrix, theta=0.0 if aggregates is None else AMG_STRENGTH_THETA)
    if aggregates is None:
        raise InvalidInputError("method 'cg-twolevel' needs a junction-node network (several contacts per stick)")
    return two_level_preconditioner(matrix, aggregates)


def _choose_method(method: str, network: Network, system) -> str:
    if method not in ITERATIVE_METHODS:
        raise InvalidInputError(f"method must be one of {ITERATIVE_METHODS}, got {method!r}")
    if method != "auto":
        return method
    if stick_aggregates(network, system) is None:
        return "cg-amg"
    return "cg-twolevel" if segment_stiffness(network) >= TWOLEVEL_MIN_STIFFNESS else "cg-amg"


def segment_stiffness(network: Network) -> float:
    """Median wire-segment conductance over median junction conductance (``~ rj / (rw <s>)``); NaN if none.

    Parameters
    ----------
    network : Network
        A junction-node network.

    Returns
    -------
    float
        Large when the wires conduct much better than the junctions (``rw << rj``), where the two-level
        method wins; small when the junctions dominate, where smoothed aggregation wins.
    """
    g, kind = network.edge_conductance, network.edge_kind
    segment, junction = g[kind == EdgeKind.SEGMENT], g[kind == EdgeKind.JUNCTION]
    if not len(segment) or not len(junction) or np.median(junction) == 0:
        return float("nan")
    return float(np.median(segment) / np.median(junction))


def _validate(rtol: float, maxiter: int) -> None:
    if not (isinstance(rtol, (int, float)) and 0 < rtol < 1):
        raise InvalidInputError(f"rtol must be a relative width in (0, 1), got {rtol!r}")
    if isinstance(maxiter, bool) or not isinstance(maxiter, (int, np.integer)) or maxiter < 1:
        raise InvalidInputError(f"maxiter must be a positive integer, got {maxiter!r}")


class _Certifier:
    """Evaluates brackets along the CG iterates when they may be tight enough; keeps their intersection."""

    def __init__(self, network, system, voltage, rtol):
        self.network, self.system, self.voltage, self.rtol = network, system, voltage, rtol
        self.forest = routing_forest(network, system)
        self.free = system.unknown >= 0
        self.lower, self.upper, self.count = 0.0, np.inf, 0

    def potentials(self, x: np.ndarray) -> np.ndarray:
        phi = self.system.potentials.copy()
        phi[self.free] = x
        return phi

    def __call__(self, x: np.ndarray, rz: float, last: bool) -> bool:
        energy = self.upper * self.voltage**2
        if not last and np.isfinite(energy) and rz > self.rtol * energy:
            return False
        b = conductance_bracket(self.network, self.potentials(x), self.voltage, system=self.system, forest=self.forest)
        self.count += 1
        self.lower, self.upper = max(self.lower, b.lower), min(self.upper, b.upper)
        return self.bracket.relative_width <= self.rtol

    @property
    def bracket(self) -> ConductanceBracket:
        return ConductanceBracket(self.lower, self.upper)


def _pcg(matrix, rhs, precondition, maxiter: int, certify: _Certifier):
    """Preconditioned CG from ``x = 0``, stopped by ``certify``; returns ``(x, iterations, converged)``."""
    x = np.zeros(len(rhs))
    r = rhs.copy()
    z = precondition(r)
    p = z.copy()
    rz = float(r @ z)
    for k in range(maxiter + 1):
        if certify(x, rz, last=k == maxiter or rz <= 0):
            return x, k, True
        if k == maxiter or rz <= 0:
            break
        q = matrix @ p
        alpha = rz / float(p @ q)
        x += alpha * p
        r -= alpha * q
        z = precondition(r)
        rz_new = float(r @ z)
        p *= rz_new / rz
        p += z
        rz = rz_new
    return x, k, False


def solve_iterative(
    network: Network,
    voltage: float = 1.0,
    *,
    method: str = "auto",
    rtol: float = 1e-8,
    maxiter: int = 2000,
    system=None,
) -> IterativeSolution:
    """Solve Kirchhoff's equations by preconditioned CG until the conductance bracket is ``rtol`` wide.

    Parameters
    ----------
    network : Network
        Bus-bar or periodic-x network.
    voltage : float
        Potential difference between the electrodes, or drop per period across periodic x (V).
    method : {"auto", "cg-amg", "cg-twolevel", "cg-jacobi"}
        Preconditioner (module docstring); ``"auto"`` takes ``"cg-twolevel"`` for junction-node networks
        whose wires conduct better than their junctions (:func:`segment_stiffness` at least
        ``TWOLEVEL_MIN_STIFFNESS`` = 5, i.e. ``rw <s> < rj / 5``) and ``"cg-amg"`` otherwise.
    rtol : float
        Requested relative width ``(upper - lower) / upper`` of the certified bracket, in (0, 1).
    maxiter : int
        Most CG iterations. When it is reached a ``RuntimeWarning`` is issued and the best bracket so far
        is returned with ``converged=False``.
    system : KirchhoffSystem, optional
        :func:`~nanograph.linalg.solve.kirchhoff_system` of ``network`` at ``voltage``, if already built.

    Returns
    -------
    IterativeSolution

    Raises
    ------
    InvalidInputError
        ``rtol`` not in (0, 1), ``maxiter`` not a positive integer, an unknown ``method``.
    BackendUnavailableError
        pyamg is missing (``"cg-amg"``, ``"cg-twolevel"``).

    Examples
    --------
    >>> net = Network.from_edges(4, [[0, 1], [1, 2], [1, 3], [3, 2]], 1.0, electrodes=(0, 2))
    >>> sol = solve_iterative(net, method="cg-jacobi", rtol=1e-10)
    >>> sol.converged, round(sol.conductance, 9), sol.conductance_lower <= 0.6 <= sol.conductance_upper
    (True, 0.6, True)
    """
    from threadpoolctl import threadpool_limits

    from nanograph.linalg.solve import kirchhoff_system

    _validate(rtol, maxiter)
    t0 = time.perf_counter()
    system = kirchhoff_system(network, voltage) if system is None else system
    chosen = _choose_method(method, network, system) if system.n_unknowns else "none"
    t1 = t2 = time.perf_counter()
    certify = _Certifier(network, system, voltage, rtol)
    x, iterations, converged, residual = np.zeros(0), 0, True, 0.0
    if system.n_unknowns:
        with threadpool_limits(limits=1, user_api="blas"):
            matrix = _symmetric(system.lower)
            precondition = _preconditioner(chosen, matrix, network, system)
            t2 = time.perf_counter()
            x, iterations, converged = _pcg(matrix, system.rhs, precondition, maxiter, certify)
        norm = np.linalg.norm(system.rhs)
        residual = float(np.linalg.norm(system.rhs - matrix @ x) / norm) if norm > 0 else 0.0
    elif system.percolates:
        certify(x, 0.0, last=True)
    t3 = time.perf_counter()
    return _result(network, system, voltage, certify, x, chosen, iterations, converged, residual, rtol,
                   {"assemble": t1 - t0, "setup": t2 - t1, "solve": t3 - t2})  # fmt: skip


def _lift(network: Network, system, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Potentials of the network's nodes and currents on its edges from potentials of the system's nodes.

    Nodes merged as stiff share their group's potential; the currents on merged edges are NaN (they are
    not resolved by the contracted system).
    """
    edges, g = system_graph(network, system)
    act = system.active_edge
    kept = np.zeros(len(edges))
    kept[act] = g[act] * (phi[edges[act, 0]] - phi[edges[act, 1]] + system.emf[act])
    contraction = getattr(system, "contraction", None)
    if contraction is None or len(contraction.node_map) == len(phi) and contraction.keep.all():
        return phi, kept
    currents = np.full(network.n_edges, np.nan)
    currents[contraction.keep] = kept
    return phi[contraction.node_map], currents


def _result(network, system, voltage, certify, x, method, iterations, converged, residual, rtol, timings):
    bracket = certify.bracket if system.percolates else ConductanceBracket(0.0, 0.0)
    if not converged:
        warnings.warn(
            f"CG ({method}) stopped after {iterations} iterations (maxiter) with a conductance bracket of relative "
            f"width {bracket.relative_width:.1e} > rtol = {rtol:.0e}; the result is not converged",
            RuntimeWarning,
            stacklevel=3,
        )
    phi, currents = _lift(network, system, certify.potentials(x))
    lx, ly = network.box
    return IterativeSolution(
        network=network,
        voltage=float(voltage),
        potentials=phi,
        currents=currents,
        conductance=bracket.conductance,
        conductance_lower=bracket.lower,
        conductance_upper=bracket.upper,
        relative_width=bracket.relative_width,
        sheet_conductance=bracket.conductance * lx / ly,
        percolates=system.percolates,
        converged=bool(converged),
        iterations=int(iterations),
        residual=residual,
        rtol=float(rtol),
        n_unknowns=system.n_unknowns,
        method=method,
        n_brackets=certify.count,
        timings=timings,
    )
