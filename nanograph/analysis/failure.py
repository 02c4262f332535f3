"""Robustness and failure of a bus-bar film: removal curves and the fuse-model burn-out cascade.

**Removal curves.** Junctions (edges of kind ``junction``) or whole wires (every edge of a stick) are
removed in an order — random, by current (adaptive: the elements carrying the most current in the present
state go first, the currents re-solved after every step) or by current-flow betweenness (sampled pairs,
computed once) — and the conductance is solved after every step. The **failure percolation point** is the
smallest removed fraction that disconnects the electrodes, found exactly for the realised order by
bisection on connectivity (no solves): removing more never reconnects.

**Fuse model** (de Arcangelis, Redner & Herrmann 1985). Every edge has a threshold ``t_e`` on its current
``|i_e|`` or its power ``p_e``; the drive (voltage between the bus bars, or total current) is ramped
quasi-statically. With the unit-voltage solution of the present network, edge ``e`` fails at the voltage
``V_e = t_e / |i_e(1)|`` (current threshold) or ``V_e = sqrt(t_e / p_e(1))`` (power threshold), i.e. at the
drive ``D_e = V_e`` (voltage ramp) or ``D_e = G V_e`` (current ramp). The edge with the smallest ``D_e``
fails; if ``D_e`` is not above the present drive it fails at once (an avalanche at constant drive),
otherwise the drive is raised to ``D_e``. This repeats until the electrodes are disconnected. The
failure sequence and the I–V staircase (voltage, current before and conductance after each failure)
are recorded.

**Fast updates.** Removing edge ``e = (a, b)`` changes the reduced Laplacian by the rank-1 term
``-g_e (u_a - u_b)(u_a - u_b)^T``: CHOLMOD's downdate (scikit-sparse ``Factor.update_inplace(C,
subtract=True)``) updates ``L D L^T`` in the time of a few solves instead of a refactorisation. The reduced
system stays positive definite: an edge that carries current and is a bridge separates a part holding the
left bar from one holding the right bar, and bridges to dead ends carry no current and never fail. Every
``check_every`` failures the conductance is compared with a fresh solve (``max_update_error``).
Measured (``benchmarks/currents.py``, junction-node, ``n l^2 = 30``, ``L = 32``: 578 k nodes, 836 k edges,
one run on a shared 2-core machine under heavy load): 0.41 s per failure with a downdate (the rank-1
update plus the one solve every failure needs) against 10.4 s with a refactorisation, **25x**; the checks
against fresh solves agreed to 2.4e-11.

References
----------
L. de Arcangelis, S. Redner, H. J. Herrmann, "A random fuse model for breaking processes", J. Phys. Lett.
46, L585 (1985). T. A. Davis, W. W. Hager, "Modifying a sparse Cholesky factorization", SIAM J. Matrix
Anal. Appl. 20, 606 (1999).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.analysis.currents import current_flow_betweenness
from nanograph.errors import InvalidInputError, NotPercolatingError
from nanograph.geometry.sticks import as_rng
from nanograph.graphs.network import EdgeKind, Network
from nanograph.linalg.factor import cholesky_factor, cholmod_available, factorize
from nanograph.linalg.laplacian import reduced_laplacian
from nanograph.linalg.solve import kirchhoff_system, solve_network

__all__ = ["RemovalCurve", "removal_curve", "Cascade", "fuse_cascade", "REMOVAL_MODES", "TARGETS"]

REMOVAL_MODES = ("random", "current", "betweenness")
TARGETS = ("junctions", "wires")


def _bus_bars(network: Network) -> Network:
    if not isinstance(network, Network):
        raise InvalidInputError(f"network must be a nanograph Network, got {type(network).__name__}")
    if network.electrodes is None:
        raise InvalidInputError("network must have electrodes (bus bars: sticks open in x)")
    return network


def _connected(network: Network, g: np.ndarray) -> bool:
    """Whether positive conductances ``g`` join the two electrodes."""
    e, n = network.edges, network.n_nodes
    keep = g > 0
    graph = sparse.coo_matrix((np.ones(int(keep.sum())), (e[keep, 0], e[keep, 1])), shape=(n, n))
    labels = csgraph.connected_components(graph, directed=False)[1]
    left, right = network.electrodes
    return bool(labels[left] == labels[right])


# -- removal curves ---------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class RemovalCurve:
    """Conductance against the fraction of removed junctions or wires.

    Attributes
    ----------
    mode : str
        ``"random"``, ``"current"`` or ``"betweenness"``.
    target : str
        ``"junctions"`` or ``"wires"``.
    fraction_removed : ndarray, shape (steps + 1,)
        Removed fraction of the elements at each point (0 first).
    conductance : ndarray, shape (steps + 1,)
        Conductance between the bus bars (S).
    order : ndarray of int
        Elements (edge ids, or stick ids) in the order they were removed, as far as the curve went
        (the whole order for ``random`` and ``betweenness``).
    failure_fraction : float
        Smallest removed fraction (along ``order``) that disconnects the electrodes; NaN when they stay
        connected as far as ``order`` goes, 0 when they were never connected.
    n_elements : int
        Number of junctions or wires that could be removed.
    """

    mode: str
    target: str
    fraction_removed: np.ndarray
    conductance: np.ndarray
    order: np.ndarray
    failure_fraction: float
    n_elements: int


def _elements(network: Network, target: str) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Element ids and the (elements x edges) membership matrix: which edges each element takes away."""
    if target == "junctions":
        ids = np.flatnonzero(network.edge_kind == EdgeKind.JUNCTION)
        member = sparse.csr_matrix((np.ones(len(ids)), (np.arange(len(ids)), ids)), shape=(len(ids), network.n_edges))
        return ids, member
    sticks = network.edge_stick
    n_sticks = int(max(sticks.max(initial=-1), network.node_stick.max(initial=-1))) + 1
    rows = sticks.ravel()
    cols = np.repeat(np.arange(network.n_edges), 2)
    keep = rows >= 0
    member = sparse.csr_matrix((np.ones(int(keep.sum())), (rows[keep], cols[keep])), shape=(n_sticks, network.n_edges))
    member.data[:] = 1.0  # a segment lists its stick twice
    return np.arange(n_sticks), member


def _removed_conductance(network: Network, member: sparse.csr_matrix, removed: np.ndarray) -> np.ndarray:
    gone = np.zeros(member.shape[0])
    gone[removed] = 1.0
    return np.where(member.T @ gone > 0, 0.0, network.edge_conductance)


def _failure_count(network: Network, member, order: np.ndarray) -> int | None:
    """Smallest ``c`` with ``order[:c]`` removed disconnecting the electrodes (None if even all of it does not)."""
    if not _connected(network, network.edge_conductance):
        return 0
    if _connected(network, _removed_conductance(network, member, order)):
        return None
    lo, hi = 0, len(order)  # connected at lo, disconnected at hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _connected(network, _removed_conductance(network, member, order[:mid])):
            lo = mid
        else:
            hi = mid
    return hi


def _element_load(network: Network, member, target: str, currents: np.ndarray) -> np.ndarray:
    """Current carried by each element: ``|i_e|`` of a junction, half the contact currents of a wire."""
    load = np.abs(currents)
    if target == "wires":
        contact = np.isin(network.edge_kind, [EdgeKind.JUNCTION, EdgeKind.ELECTRODE])
        return 0.5 * (member @ np.where(contact, load, 0.0))
    return member @ load


def removal_curve(
    network: Network,
    *,
    mode: str = "random",
    target: str = "junctions",
    fraction: float = 1.0,
    steps: int = 20,
    rng=None,
    pairs: int = 64,
    solver: str = "auto",
) -> RemovalCurve:
    """Conductance as junctions or wires are removed, and the failure percolation point.

    Parameters
    ----------
    network : Network
        A bus-bar network (either form).
    mode : {"random", "current", "betweenness"}
        Removal order: uniformly random; adaptive by current (largest first, re-solved after each step);
        by current-flow betweenness of the intact network (``pairs`` sampled pairs), largest first.
    target : {"junctions", "wires"}
        Remove junction edges, or whole sticks (all their edges).
    fraction : float
        Largest removed fraction, in [0, 1].
    steps : int
        Equal steps up to ``fraction`` (>= 1); one solve each (a refactorisation: removals may leave
        floating clusters, which a factor update cannot drop).
    rng : None, int or numpy.random.Generator
        Randomness of the order (``random``) and of the sampled pairs (``betweenness``).
    pairs : int
        Sampled pairs of the betweenness (``mode="betweenness"``).
    solver : str
        Linear solver back-end.

    Returns
    -------
    RemovalCurve

    Raises
    ------
    InvalidInputError
        Unknown ``mode``/``target``, ``fraction`` outside [0, 1], ``steps < 1``, no electrodes.
    """
    network = _bus_bars(network)
    if mode not in REMOVAL_MODES:
        raise InvalidInputError(f"mode must be one of {REMOVAL_MODES}, got {mode!r}")
    if target not in TARGETS:
        raise InvalidInputError(f"target must be one of {TARGETS}, got {target!r}")
    if not (0.0 <= float(fraction) <= 1.0):
        raise InvalidInputError(f"fraction must be in [0, 1], got {fraction!r}")
    if isinstance(steps, bool) or int(steps) != steps or steps < 1:
        raise InvalidInputError(f"steps must be a positive integer, got {steps!r}")
    rng = as_rng(rng)
    ids, member = _elements(network, target)
    m = len(ids)
    counts = np.round(np.linspace(0.0, float(fraction), int(steps) + 1) * m).astype(np.int64)
    if mode == "random":
        order = rng.permutation(m)
    elif mode == "betweenness":
        b = current_flow_betweenness(network, pairs=int(pairs), rng=rng)
        score = b.edge[ids] if target == "junctions" else (b.stick if b.stick is not None else np.zeros(m))
        order = np.lexsort((np.arange(m), -score))
    g0 = solve_network(network, solver=solver)
    conductance = [g0.conductance]
    if mode == "current":
        order, conductance = _adaptive_by_current(network, member, target, counts, g0, solver)
    else:
        for c in counts[1:]:
            g = _removed_conductance(network, member, order[:c])
            conductance.append(solve_network(network.replace(edge_conductance=g), solver=solver).conductance)
    fail = _failure_count(network, member, order)
    failure = np.nan if fail is None else fail / max(m, 1)
    return RemovalCurve(mode, target, counts / max(m, 1), np.asarray(conductance), order, failure, m)


def _adaptive_by_current(network, member, target, counts, solution, solver):
    removed = np.zeros(0, dtype=np.int64)
    conductance = [solution.conductance]
    alive = np.ones(member.shape[0], dtype=bool)
    for c in counts[1:]:
        k = int(c - len(removed))
        load = _element_load(network, member, target, solution.currents)
        candidates = np.flatnonzero(alive)
        pick = candidates[np.lexsort((candidates, -load[candidates]))[:k]]
        alive[pick] = False
        removed = np.concatenate([removed, pick])
        g = _removed_conductance(network, member, removed)
        solution = solve_network(network.replace(edge_conductance=g), solver=solver)
        conductance.append(solution.conductance)
    return removed, conductance


# -- fuse model -------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Cascade:
    """A burn-out cascade of the fuse model, from the intact film until it opens.

    Attributes
    ----------
    failed_edges : ndarray of int
        Edges in the order they failed.
    voltage : ndarray
        Voltage between the bus bars at each failure (V).
    current : ndarray
        Total current just before each failure (A).
    conductance : ndarray
        Conductance just after each failure (S); 0 after the last one when the film opened.
    avalanche : ndarray of bool
        Whether the failure happened without raising the drive (caused by the previous one).
    thresholds : ndarray, shape (E,)
        Threshold of every edge (A for ``quantity="current"``, W for ``"power"``; ``inf``: never fails).
    quantity, drive : str
        ``"current"`` or ``"power"``; ``"voltage"`` or ``"current"``.
    opened : bool
        The electrodes got disconnected.
    reason : str
        ``"opened"``, ``"max_drive"``, ``"max_failures"`` or ``"never"`` (no current-carrying edge can fail:
        the cascade would never end).
    initial_conductance : float
        Conductance of the intact film (S).
    method : str
        ``"update"`` (CHOLMOD downdates) or ``"refactor"``.
    max_update_error : float
        Largest relative difference of the conductance against a fresh solve at the checks (0 if none).
    """

    failed_edges: np.ndarray
    voltage: np.ndarray
    current: np.ndarray
    conductance: np.ndarray
    avalanche: np.ndarray
    thresholds: np.ndarray
    quantity: str
    drive: str
    opened: bool
    reason: str
    initial_conductance: float
    method: str
    max_update_error: float


def _thresholds(network: Network, threshold, spread: float, kinds, rng) -> np.ndarray:
    t = np.asarray(threshold, dtype=float)
    if t.ndim == 0:
        t = np.full(network.n_edges, float(t))
    if t.shape != (network.n_edges,) or np.any(np.isnan(t)) or np.any(t <= 0):
        raise InvalidInputError(
            f"threshold must be a number > 0 or {network.n_edges} of them (one per edge; inf allowed)"
        )
    if not (0.0 <= float(spread) < 1.0):
        raise InvalidInputError(f"spread must be in [0, 1), got {spread!r}")
    if spread:
        t = t * as_rng(rng).uniform(1.0 - spread, 1.0 + spread, network.n_edges)
    if kinds is not None:
        names = [kinds] if isinstance(kinds, str) else list(kinds)
        valid = [k.name.lower() for k in EdgeKind]
        if any(k not in valid for k in names):
            raise InvalidInputError(f"kinds must be edge kinds {valid}, got {names}")
        t = np.where(np.isin(network.edge_kind, [EdgeKind[k.upper()] for k in names]), t, np.inf)
    return t


class _UnitVoltageSystem:
    """The reduced Kirchhoff system at 1 V, factored once and downdated (or refactored) as edges fail."""

    def __init__(self, network: Network, method: str, solver: str) -> None:
        self.network = network
        system = kirchhoff_system(network, 1.0)
        self.unknown, self.rhs = system.unknown, system.rhs.copy()
        self.fixed = np.nan_to_num(system.potentials)  # 1 V at the left bar, 0 elsewhere outside the unknowns
        self.g = np.where(system.active_edge, network.edge_conductance, 0.0)
        self.method, self.solver = method, solver
        self.n_factorizations = 0
        self.refactor()

    def refactor(self) -> None:
        """Factor the reduced Laplacian of the present conductances afresh."""
        m = len(self.rhs)
        self.solve = None
        if not m:
            return
        keep = self.g > 0
        lower = reduced_laplacian(self.unknown, m, self.network.edges[keep], self.g[keep])
        if self.method == "update":
            self.factor = cholesky_factor(lower, mode="simplicial")
            self.solve = self.factor.solve_A
            if not hasattr(getattr(self.factor, "backend", self.factor), "update_inplace"):
                self.method = "refactor"  # a scikit-sparse without rank-1 updates (the 0.5 API)
        else:
            self.solve = factorize(lower, solver=self.solver)[0]
        self.n_factorizations += 1

    def potentials(self) -> np.ndarray:
        """Node potentials at 1 V (V)."""
        phi = self.fixed.copy()
        if self.solve is not None:
            phi[self.unknown >= 0] = self.solve(self.rhs)
        return phi

    def remove(self, edge: int) -> None:
        """Take edge ``edge`` out of the system: a rank-1 downdate (or a new factorisation)."""
        g, (a, b) = self.g[edge], self.network.edges[edge]
        self.g[edge] = 0.0
        ua, ub = self.unknown[a], self.unknown[b]
        for u, other in ((ua, b), (ub, a)):  # a fixed neighbour stops injecting current
            if u >= 0 and self.unknown[other] < 0:
                self.rhs[u] -= g * self.fixed[other]
        rows = [u for u in (ua, ub) if u >= 0]
        if not rows or g == 0:
            return
        if self.method == "refactor":
            self.refactor()
            return
        values = np.array([1.0, -1.0][: len(rows)]) * np.sqrt(g)
        column = sparse.csc_matrix((values, (rows, np.zeros(len(rows), dtype=np.int64))), shape=(len(self.rhs), 1))
        getattr(self.factor, "backend", self.factor).update_inplace(column, subtract=True)


def _unit_flow(system: _UnitVoltageSystem):
    """Edge currents and powers at 1 V, and the total current (A)."""
    net = system.network
    phi = system.potentials()
    drop = phi[net.edges[:, 0]] - phi[net.edges[:, 1]]
    current = system.g * drop
    left = net.electrodes[0]
    total = float(current[net.edges[:, 0] == left].sum() - current[net.edges[:, 1] == left].sum())
    return current, current * drop, total


def _critical_drive(current, power, total, thresholds, quantity, drive):
    """Drive at which each edge reaches its threshold (``inf`` for edges without current)."""
    load = np.abs(current) if quantity == "current" else power
    floor = 1e-12 * load.max(initial=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        volts = thresholds / load if quantity == "current" else np.sqrt(thresholds / power)
    volts = np.where(load > floor, volts, np.inf)
    return volts * total if drive == "current" else volts


def _choose_method(method: str) -> str:
    if method not in ("auto", "update", "refactor"):
        raise InvalidInputError(f"method must be 'auto', 'update' or 'refactor', got {method!r}")
    if method == "auto":
        return "update" if cholmod_available() else "refactor"
    if method == "update" and not cholmod_available():
        raise InvalidInputError("method='update' needs CHOLMOD (scikit-sparse); use method='refactor'")
    return method


def fuse_cascade(
    network: Network,
    threshold,
    *,
    quantity: str = "current",
    drive: str = "voltage",
    spread: float = 0.0,
    kinds=None,
    rng=None,
    max_drive: float | None = None,
    max_failures: int | None = None,
    method: str = "auto",
    check_every: int = 100,
    solver: str = "auto",
) -> Cascade:
    """Burn-out cascade of the fuse model under a quasi-static voltage or current ramp, until the film opens.

    Parameters
    ----------
    network : Network
        A bus-bar network (either form).
    threshold : float or array_like, shape (E,)
        Failure threshold of every edge (> 0; ``inf`` never fails): A on ``|i_e|`` or W on ``p_e``.
    quantity : {"current", "power"}
        What the threshold limits.
    drive : {"voltage", "current"}
        Ramp of the voltage between the bus bars, or of the total current.
    spread : float
        Disorder in [0, 1): thresholds multiplied by independent uniform numbers in ``[1 - spread, 1 + spread]``.
    kinds : str or sequence of str, optional
        Edge kinds that can fail (e.g. ``"junction"``); the others get an infinite threshold. Default all.
    rng : None, int or numpy.random.Generator
        Randomness of the thresholds (``spread > 0``).
    max_drive : float, optional
        Stop before a failure that needs a larger drive (V or A); default: ramp until the film opens.
    max_failures : int, optional
        Stop after this many failures; default the number of current-carrying edges.
    method : {"auto", "update", "refactor"}
        ``"update"``: CHOLMOD rank-1 downdates (``"auto"`` when scikit-sparse is there); ``"refactor"``: a
        new factorisation after every failure.
    check_every : int
        Compare the conductance with a fresh solve every so many failures (0: never); a difference above
        ``1e-8`` (relative) triggers a refactorisation.
    solver : str
        Linear solver back-end of the refactorisations and checks.

    Returns
    -------
    Cascade

    Raises
    ------
    InvalidInputError
        A threshold that is not positive, ``spread`` outside [0, 1), unknown ``quantity``/``drive``/``method``,
        no electrodes.
    NotPercolatingError
        If no current flows through the intact network.

    Examples
    --------
    Two parallel resistors of 1 and 2 ohm with 1 A thresholds: the 1-ohm one fails at 1 V, then the other at 2 V.

    >>> from nanograph.graphs.network import Network
    >>> net = Network.from_edges(2, [[0, 1], [0, 1]], [1.0, 0.5], electrodes=(0, 1))
    >>> c = fuse_cascade(net, 1.0)
    >>> c.failed_edges.tolist(), c.voltage.round(12).tolist(), c.opened
    ([0, 1], [1.0, 2.0], True)
    """
    network = _bus_bars(network)
    if quantity not in ("current", "power"):
        raise InvalidInputError(f"quantity must be 'current' or 'power', got {quantity!r}")
    if drive not in ("voltage", "current"):
        raise InvalidInputError(f"drive must be 'voltage' or 'current', got {drive!r}")
    if isinstance(check_every, bool) or int(check_every) != check_every or check_every < 0:
        raise InvalidInputError(f"check_every must be an integer >= 0, got {check_every!r}")
    if max_drive is not None and not float(max_drive) > 0:
        raise InvalidInputError(f"max_drive must be > 0 (V or A), got {max_drive!r}")
    thresholds = _thresholds(network, threshold, spread, kinds, rng)
    method = _choose_method(method)
    system = _UnitVoltageSystem(network, method, solver)
    flow = _unit_flow(system)
    g0 = flow[2]
    if not g0 > 0:
        raise NotPercolatingError("network: no current flows between the electrodes (it does not percolate)")
    limit = int((system.g > 0).sum()) if max_failures is None else int(max_failures)
    history, reason, worst = _ramp(network, system, flow, thresholds, quantity, drive, max_drive, limit, check_every)
    failed, volts, amps, cond, aval = (np.asarray(col) for col in zip(*history, strict=True)) if history else (
        np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool))  # fmt: skip
    if reason == "never":
        warnings.warn("no current-carrying edge can fail (infinite thresholds): the cascade would never end; "
                      "stopped", RuntimeWarning, stacklevel=2)  # fmt: skip
    return Cascade(failed.astype(np.int64), volts, amps, cond, aval.astype(bool), thresholds, quantity, drive,
                   reason == "opened", reason, g0, system.method, worst)  # fmt: skip


def _ramp(network, system, flow, thresholds, quantity, drive, max_drive, limit, check_every):
    """The quasi-static ramp: a list of (edge, voltage, current, conductance after, avalanche), why it stopped."""
    current, power, total = flow
    g0, level, worst = total, 0.0, 0.0
    alive = network.edge_conductance.copy()
    history = []
    for step in range(limit):
        crit = _critical_drive(current, power, total, thresholds, quantity, drive)
        edge = int(np.argmin(crit))
        if not np.isfinite(crit[edge]):
            return history, "never", worst
        avalanche = bool(crit[edge] <= level)
        if not avalanche:
            if max_drive is not None and crit[edge] > max_drive:
                return history, "max_drive", worst
            level = float(crit[edge])
        volts = level if drive == "voltage" else level / total  # total: the conductance before the failure
        amps = volts * total
        system.remove(edge)
        alive[edge] = 0.0
        current, power, total = _unit_flow(system)
        opened = total < 1e-6 * g0 and not _connected(network, alive)
        history.append((edge, volts, amps, 0.0 if opened else total, avalanche))
        if opened:
            return history, "opened", worst
        if check_every and (step + 1) % check_every == 0:
            fresh = solve_network(network.replace(edge_conductance=alive), solver=system.solver).conductance
            error = abs(total - fresh) / fresh
            worst = max(worst, error)
            if error > 1e-8:
                system.refactor()
                current, power, total = _unit_flow(system)
    return history, "max_failures", worst
