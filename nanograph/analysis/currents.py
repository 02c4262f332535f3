"""Current analytics of a solved network, as data: edge quantities, hot spots, betweenness, noise.

Everything here reads a :class:`~nanograph.linalg.solve.Solution` (or, for the all-pairs betweenness, a
:class:`~nanograph.graphs.network.Network` and one factorisation) and returns arrays; nothing loops over
edges in Python.

Definitions (edge ``e`` from tail ``a`` to head ``b``, conductance ``g_e``, resistance ``r_e = 1/g_e``):

* **current** ``i_e`` (A, tail to head), **voltage drop** ``u_e = phi_a - phi_b + emf_e`` (V), **power**
  ``p_e = i_e u_e = g_e u_e^2`` (W).
* **Cohn's theorem** (Cohn 1950): the sensitivity of the two-terminal resistance ``R`` to one element is
  ``dR/dr_e = (i_e / I)^2`` for a total current ``I``. Since ``R`` is homogeneous of degree 1 in the
  ``r_e``, Euler's relation gives the **sum rule** ``sum_e r_e dR/dr_e = R`` (the power balance
  ``sum_e r_e i_e^2 = R I^2``), checked on every call.
* **1/f noise** (Rammal, Tannous, Breton & Tremblay 1985): independent resistance fluctuations of relative
  spectral density ``s_e = S_{r_e} / r_e^2`` add up to the relative noise of the film
  ``S_R / R^2 = sum_e r_e^2 i_e^4 s_e / (I^4 R^2) = sum_e s_e (r_e dR/dr_e / R)^2``; ``n`` equal elements
  in series or in parallel give ``s / n``. Hooge's law makes the noise of a wire inversely proportional
  to its volume, so a wire segment of length ``l`` gets ``s_e = s_wire / l`` (``s_wire``: a unit length);
  junctions and electrode contacts get one amplitude each.
* **Tortuosity** ``tau = sum_e |i_e| l_e / (I L_x)`` with ``l_e`` the straight length of the edge. A
  potential flow has no circulating loops, so it decomposes into source-to-drain paths ``p`` carrying
  ``f_p`` (``sum f_p = I``) and ``sum_e |i_e| l_e = sum_p f_p len(p)``: ``tau L_x`` is the current-weighted
  mean length of the current paths, which is also their **power-weighted** mean length (every path drops
  the full voltage, so it dissipates ``f_p V``). A straight wire across the box has ``tau = 1``.
* **Current-flow betweenness** (Newman 2005; Brandes & Fleischer 2005): a unit current from ``s`` to ``t``
  on every unordered node pair of the main component; an edge scores ``sum_{s<t} |i_e^{st}|``, a node its
  throughput ``sum_{s<t} tau_v^{st}`` with ``tau_v = (1/2) sum_{e at v} |i_e|`` (1 at ``s`` and ``t``), a
  stick half the score of its contact edges (junctions and electrode contacts).

References
----------
R. M. Cohn, "The resistance of an electrical network", Proc. AMS 1, 316 (1950).
R. Rammal, C. Tannous, P. Breton, A.-M. S. Tremblay, "Flicker (1/f) noise in percolation networks",
Phys. Rev. Lett. 54, 1718 (1985).
M. E. J. Newman, "A measure of betweenness centrality based on random walks", Soc. Networks 27, 39 (2005).
U. Brandes, D. Fleischer, "Centrality measures based on current flow", STACS 2005, LNCS 3404, 533.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError, NotPercolatingError
from nanograph.geometry.sticks import as_rng
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.linalg.factor import factorize
from nanograph.linalg.laplacian import reduced_laplacian, scatter_add
from nanograph.linalg.solve import Solution, edge_windings, solve_network

__all__ = [
    "EdgeFlow",
    "edge_flow",
    "edge_geometry",
    "CurrentDistribution",
    "current_distribution",
    "HotSpots",
    "hot_spots",
    "Sensitivity",
    "resistance_sensitivity",
    "Noise",
    "noise_amplitudes",
    "relative_noise",
    "tortuosity",
    "PotentialMap",
    "potential_map",
    "Betweenness",
    "current_flow_betweenness",
    "SUM_RULE_TOLERANCE",
]

#: Largest relative residual of Cohn's sum rule accepted without a warning (besides ``100 * accuracy``).
SUM_RULE_TOLERANCE = 1e-9

_QUANTITIES = ("current", "power", "drop")


@dataclass(frozen=True, eq=False)
class EdgeFlow:
    """Per-edge current, voltage drop and dissipated power of a solution.

    Attributes
    ----------
    current : ndarray, shape (E,)
        ``i_e`` from tail to head (A); 0 outside the current-carrying component.
    drop : ndarray, shape (E,)
        ``u_e = phi_tail - phi_head + emf_e`` (V); 0 outside the current-carrying component.
    power : ndarray, shape (E,)
        ``p_e = i_e u_e`` (W), non-negative.
    resistance : ndarray, shape (E,)
        ``r_e = 1 / g_e`` (ohm); ``inf`` for zero-conductance edges.
    total_current : float
        ``I`` (A).
    voltage : float
        Applied voltage ``V`` (V).
    """

    current: np.ndarray
    drop: np.ndarray
    power: np.ndarray
    resistance: np.ndarray
    total_current: float
    voltage: float

    @property
    def total_power(self) -> float:
        """``sum_e p_e`` (W), equal to ``I V``."""
        return float(self.power.sum())


def _percolating(solution: Solution) -> Solution:
    if not isinstance(solution, Solution):
        raise InvalidInputError(f"solution must be a nanograph Solution, got {type(solution).__name__}")
    if not solution.percolates or solution.current == 0:
        raise NotPercolatingError("solution: no current flows (the network does not percolate)")
    return solution


def edge_flow(solution: Solution) -> EdgeFlow:
    """Current, voltage drop and power of every edge.

    Parameters
    ----------
    solution : Solution
        A percolating solution (bus bars or periodic x).

    Returns
    -------
    EdgeFlow

    Raises
    ------
    NotPercolatingError
        If no current flows.

    Examples
    --------
    >>> from nanograph.graphs.network import Network
    >>> from nanograph.linalg.solve import solve_network
    >>> net = Network.from_edges(3, [[0, 1], [1, 2]], [1.0, 0.5], electrodes=(0, 2))
    >>> flow = edge_flow(solve_network(net, voltage=3.0))
    >>> flow.current.round(12).tolist(), flow.power.round(12).tolist()
    ([1.0, 1.0], [1.0, 2.0])
    """
    solution = _percolating(solution)
    network = solution.network
    e, g = network.edges, network.edge_conductance
    phi = np.nan_to_num(solution.potentials, nan=0.0)
    emf = solution.voltage * edge_windings(network) if network.electrodes is None else 0.0
    active = ~np.isnan(solution.potentials[e[:, 0]])
    drop = np.where(active, phi[e[:, 0]] - phi[e[:, 1]] + emf, 0.0)
    with np.errstate(divide="ignore"):
        r = np.where(g > 0, 1.0 / np.where(g > 0, g, 1.0), np.inf)
    return EdgeFlow(
        current=solution.currents,
        drop=drop,
        power=solution.currents * drop,
        resistance=r,
        total_current=float(solution.current),
        voltage=float(solution.voltage),
    )


def edge_geometry(network: Network) -> tuple[np.ndarray, np.ndarray]:
    """Midpoint and straight length of every edge, in box coordinates.

    An electrode node stands for a whole bus bar: an edge to it ends at the bar, level with its other end.
    Periodic images are followed (``edge_shift``) and midpoints wrapped into the box along periodic axes.

    Parameters
    ----------
    network : Network
        Any network with node positions.

    Returns
    -------
    midpoint : ndarray, shape (E, 2)
        Middle of each edge (box units): the contact point of a junction, the middle of a wire segment.
    length : ndarray, shape (E,)
        Straight length of each edge (box units): a segment's wire length, 0 for junction-node junctions and
        electrode contacts; in the wire-node form a junction spans the centres of its two sticks.
    """
    p, e = network.node_position, network.edges
    box = np.asarray(network.box)
    a = p[e[:, 0]].copy()
    b = p[e[:, 1]] + network.edge_shift * box
    kind = network.node_kind
    for end, other in ((a, b), (b, a)):
        bar = kind[e[:, 0] if end is a else e[:, 1]] == NodeKind.ELECTRODE
        end[bar, 1] = other[bar, 1]
    mid = 0.5 * (a + b)
    for axis in (0, 1):
        if network.periodic[axis]:
            mid[:, axis] = np.mod(mid[:, axis], box[axis])
    return mid, np.hypot(*(b - a).T)


@dataclass(frozen=True, eq=False)
class CurrentDistribution:
    """Distribution of an edge quantity over the current-carrying edges.

    Attributes
    ----------
    quantity : str
        ``"current"`` (``|i_e| / I``), ``"power"`` (``p_e / P``) or ``"drop"`` (``|u_e| / V``).
    values : ndarray
        The non-zero normalised values, sorted in decreasing order.
    survival : ndarray
        ``P(X >= values[k])`` among the non-zero values (the tail, for a log-log plot).
    bin_edges : ndarray
        Logarithmically spaced bin edges spanning ``values``.
    density : ndarray
        Histogram of ``values`` normalised as a probability density over ``bin_edges``.
    n_zero : int
        Edges of the selection carrying no current (dead ends, balanced bridges): below ``1e-12`` of the
        largest value or below the rounding floor ``64 eps g_e V`` of the current.
    """

    quantity: str
    values: np.ndarray
    survival: np.ndarray
    bin_edges: np.ndarray
    density: np.ndarray
    n_zero: int

    def moment(self, q: float) -> float:
        """``sum_e x_e^q`` over the non-zero values (the multifractal moments of the current distribution)."""
        return float(np.sum(self.values**q))


def _normalised(flow: EdgeFlow, quantity: str) -> np.ndarray:
    if quantity not in _QUANTITIES:
        raise InvalidInputError(f"quantity must be one of {_QUANTITIES}, got {quantity!r}")
    if quantity == "current":
        return np.abs(flow.current) / abs(flow.total_current)
    if quantity == "power":
        return flow.power / flow.total_power
    return np.abs(flow.drop) / abs(flow.voltage)


def _normalised_floor(flow: EdgeFlow, quantity: str, current_noise: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The rounding floor of ``_normalised`` values, from the floor of the currents (A)."""
    if quantity == "current":
        return current_noise / abs(flow.total_current)
    if quantity == "power":
        return current_noise * np.abs(flow.drop[keep]) / flow.total_power
    return current_noise * np.where(np.isfinite(flow.resistance[keep]), flow.resistance[keep], 0.0) / abs(flow.voltage)


def _kind_mask(network: Network, kinds) -> np.ndarray:
    if kinds is None:
        return np.ones(network.n_edges, dtype=bool)
    names = [kinds] if isinstance(kinds, str) else list(kinds)
    valid = [k.name.lower() for k in EdgeKind]
    bad = [k for k in names if k not in valid]
    if bad:
        raise InvalidInputError(f"kinds must be edge kinds {valid}, got {bad}")
    return np.isin(network.edge_kind, [EdgeKind[k.upper()] for k in names])


def current_distribution(
    solution: Solution, *, quantity: str = "current", bins: int = 30, kinds=None
) -> CurrentDistribution:
    """Histogram and tail of the normalised edge currents, powers or voltage drops.

    Parameters
    ----------
    solution : Solution
        A percolating solution.
    quantity : {"current", "power", "drop"}
        ``|i_e| / I``, ``p_e / P`` or ``|u_e| / V``.
    bins : int
        Number of logarithmic bins (>= 1).
    kinds : str or sequence of str, optional
        Edge kinds to keep (``"junction"``, ``"segment"``, ``"electrode"``, ``"closure"``); default all.

    Returns
    -------
    CurrentDistribution

    Raises
    ------
    InvalidInputError
        An unknown ``quantity`` or kind, or ``bins < 1``.
    NotPercolatingError
        If no current flows.
    """
    if int(bins) != bins or bins < 1:
        raise InvalidInputError(f"bins must be a positive integer, got {bins!r}")
    flow = edge_flow(solution)
    keep = _kind_mask(solution.network, kinds)
    x = _normalised(flow, quantity)[keep]
    # Rounding of the potentials leaves currents of about eps * g_e * V on current-free edges.
    noise = 64 * np.finfo(float).eps * solution.network.edge_conductance[keep] * abs(flow.voltage)
    floor = np.maximum(1e-12 * x.max(initial=0.0), _normalised_floor(flow, quantity, noise, keep))
    nonzero = np.sort(x[x > floor])[::-1]
    survival = np.arange(1, len(nonzero) + 1) / max(len(nonzero), 1)
    if len(nonzero):
        lo, hi = nonzero[-1], nonzero[0]
        edges = np.geomspace(lo, hi * (1 + 1e-12), int(bins) + 1) if hi > lo else np.array([lo, hi * 2 or 1.0])
        density = np.histogram(nonzero, bins=edges, density=True)[0]
    else:
        edges, density = np.zeros(0), np.zeros(0)
    return CurrentDistribution(quantity, nonzero, survival, edges, density, int(len(x) - len(nonzero)))


@dataclass(frozen=True, eq=False)
class HotSpots:
    """The ``k`` edges carrying the largest current or power.

    Attributes
    ----------
    edges : ndarray of int, shape (k,)
        Edge ids, largest first.
    value : ndarray, shape (k,)
        ``|i_e| / I`` (``by="current"``) or ``p_e / P`` (``by="power"``).
    kind : ndarray of int8, shape (k,)
        :class:`~nanograph.graphs.network.EdgeKind` of each.
    position : ndarray, shape (k, 2)
        Midpoint of each edge (see :func:`edge_geometry`).
    by : str
        ``"current"`` or ``"power"``.
    """

    edges: np.ndarray
    value: np.ndarray
    kind: np.ndarray
    position: np.ndarray
    by: str

    def records(self) -> list[dict]:
        """One dict per hot spot: ``edge``, ``kind`` (name), ``x``, ``y`` and the value under ``by``."""
        names = [EdgeKind(int(k)).name.lower() for k in self.kind]
        return [
            {"edge": int(e), "kind": n, "x": float(p[0]), "y": float(p[1]), self.by: float(v)}
            for e, n, p, v in zip(self.edges, names, self.position, self.value, strict=True)
        ]


def hot_spots(solution: Solution, k: int = 10, *, by: str = "power") -> HotSpots:
    """The ``k`` edges with the largest current or dissipated power, with their positions.

    Parameters
    ----------
    solution : Solution
        A percolating solution.
    k : int
        Number of edges (>= 0; fewer if the network has fewer edges).
    by : {"power", "current"}
        Ranking quantity (normalised by the total power or current).

    Returns
    -------
    HotSpots

    Raises
    ------
    InvalidInputError
        A negative ``k`` or an unknown ``by``.
    NotPercolatingError
        If no current flows.
    """
    if int(k) != k or k < 0:
        raise InvalidInputError(f"k must be a non-negative integer, got {k!r}")
    if by not in ("power", "current"):
        raise InvalidInputError(f"by must be 'power' or 'current', got {by!r}")
    x = _normalised(edge_flow(solution), by)
    k = min(int(k), len(x))
    top = np.argpartition(-x, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
    top = top[np.lexsort((top, -x[top]))]
    mid = edge_geometry(solution.network)[0]
    return HotSpots(top, x[top], solution.network.edge_kind[top], mid[top], by)


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """Cohn's sensitivities ``dR/dr_e = (i_e / I)^2`` and their sum rule.

    Attributes
    ----------
    values : ndarray, shape (E,)
        ``dR/dr_e`` (dimensionless); 0 on edges that carry no current.
    resistance : float
        ``R = V / I`` (ohm).
    sum_rule : float
        ``sum_e r_e dR/dr_e`` (ohm), equal to ``R`` (Euler's relation for a degree-1 homogeneous ``R``).
    residual : float
        ``|sum_rule - R| / R``.
    """

    values: np.ndarray
    resistance: float
    sum_rule: float
    residual: float


def resistance_sensitivity(solution: Solution) -> Sensitivity:
    """Sensitivity of the resistance to every element, ``dR/dr_e = (i_e/I)^2`` (Cohn's theorem).

    The sum rule ``sum_e r_e dR/dr_e = R`` is checked on every call; a ``RuntimeWarning`` is issued when
    its residual exceeds ``max(SUM_RULE_TOLERANCE, 100 * solution.accuracy)``.

    Parameters
    ----------
    solution : Solution
        A percolating solution.

    Returns
    -------
    Sensitivity

    Raises
    ------
    NotPercolatingError
        If no current flows.

    Examples
    --------
    Two resistors of 1 and 3 ohm in series: ``R = 4``, every ``dR/dr = 1``.

    >>> from nanograph.graphs.network import Network
    >>> from nanograph.linalg.solve import solve_network
    >>> s = resistance_sensitivity(solve_network(Network.from_edges(3, [[0, 1], [1, 2]], [1, 1 / 3], electrodes=(0, 2))))
    >>> s.values.round(12).tolist(), round(s.sum_rule, 12)
    ([1.0, 1.0], 4.0)
    """
    flow = edge_flow(solution)
    values = (flow.current / flow.total_current) ** 2
    r = solution.resistance
    finite = np.isfinite(flow.resistance)
    total = float(np.dot(flow.resistance[finite], values[finite]))
    residual = abs(total - r) / r
    if residual > max(SUM_RULE_TOLERANCE, 100 * solution.accuracy):
        warnings.warn(f"Cohn's sum rule missed: sum r dR/dr = {total!r} against R = {r!r}", RuntimeWarning, 2)
    return Sensitivity(values=values, resistance=r, sum_rule=total, residual=residual)


@dataclass(frozen=True, eq=False)
class Noise:
    """Relative 1/f noise ``S_R / R^2`` of the film and its parts.

    Attributes
    ----------
    relative : float
        ``S_R / R^2 = sum_e s_e (r_e i_e^2 / (R I^2))^2`` (units of ``s_e``, e.g. 1/Hz at 1 Hz).
    parts : dict
        The sum restricted to each edge kind (``"junction"``, ``"segment"``, ``"electrode"``, ...); the parts
        add up to ``relative``.
    contribution : ndarray, shape (E,)
        Each edge's term.
    amplitude : ndarray, shape (E,)
        ``s_e`` used for each edge.
    """

    relative: float
    parts: dict
    contribution: np.ndarray
    amplitude: np.ndarray


def _amplitude(name: str, value: float) -> float:
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise InvalidInputError(f"{name} must be a finite relative noise amplitude >= 0, got {value!r}")
    return value


def noise_amplitudes(network: Network, *, junction: float = 1.0, wire: float = 0.0, electrode: float = 0.0):
    """Relative noise amplitude ``s_e`` of every edge from one amplitude per kind (Hooge's law for wires).

    Parameters
    ----------
    network : Network
        The network.
    junction, electrode : float
        ``s_e`` of every junction and every electrode contact (>= 0).
    wire : float
        Relative noise of a unit length of wire (>= 0); a segment of length ``l`` gets ``wire / l``.

    Returns
    -------
    ndarray, shape (E,)
        ``s_e``; 0 for closure edges (and for segments of zero length).
    """
    junction = _amplitude("junction", junction)
    wire = _amplitude("wire", wire)
    electrode = _amplitude("electrode", electrode)
    kind, length = network.edge_kind, network.edge_length
    s = np.zeros(network.n_edges)
    s[kind == EdgeKind.JUNCTION] = junction
    s[kind == EdgeKind.ELECTRODE] = electrode
    seg = (kind == EdgeKind.SEGMENT) & (length > 0)
    s[seg] = wire / length[seg]
    return s


def relative_noise(
    solution: Solution, *, junction: float = 1.0, wire: float = 0.0, electrode: float = 0.0, amplitude=None
) -> Noise:
    """Relative 1/f resistance noise ``S_R/R^2 = sum_e r_e^2 i_e^4 s_e / (I^4 R^2)`` (Rammal et al. 1985).

    Parameters
    ----------
    solution : Solution
        A percolating solution.
    junction, wire, electrode : float
        Amplitudes per kind, as in :func:`noise_amplitudes` (ignored when ``amplitude`` is given).
    amplitude : array_like, shape (E,), optional
        ``s_e`` of every edge (>= 0), instead of the amplitudes per kind.

    Returns
    -------
    Noise

    Raises
    ------
    InvalidInputError
        A negative or non-finite amplitude, or ``amplitude`` of the wrong shape.
    NotPercolatingError
        If no current flows.

    Examples
    --------
    Four equal junctions in series: ``s / 4``.

    >>> from nanograph.graphs.network import Network
    >>> from nanograph.linalg.solve import solve_network
    >>> net = Network.from_edges(5, [[0, 1], [1, 2], [2, 3], [3, 4]], 2.0, electrodes=(0, 4))
    >>> round(relative_noise(solve_network(net), junction=1.0).relative, 12)
    0.25
    """
    network = solution.network if isinstance(solution, Solution) else None
    flow = edge_flow(solution)
    if amplitude is None:
        s = noise_amplitudes(network, junction=junction, wire=wire, electrode=electrode)
    else:
        s = np.asarray(amplitude, dtype=float)
        if s.shape != (network.n_edges,) or not np.all(np.isfinite(s)) or np.any(s < 0):
            raise InvalidInputError(f"amplitude must be {network.n_edges} finite values >= 0 (one per edge)")
    share = np.zeros(network.n_edges)  # r_e i_e^2 / (R I^2) = r_e dR/dr_e / R
    finite = np.isfinite(flow.resistance)
    share[finite] = flow.resistance[finite] * flow.current[finite] ** 2 / (solution.resistance * flow.total_current**2)
    contribution = s * share**2
    parts = {k.name.lower(): float(contribution[network.edge_kind == k].sum()) for k in EdgeKind}
    return Noise(float(contribution.sum()), parts, contribution, s)


def tortuosity(solution: Solution) -> float:
    """Mean length of the current paths over the box length, ``sum_e |i_e| l_e / (I L_x)``.

    See the module docstring: this is the current- (and power-) weighted mean length of the
    source-to-drain paths of the flow, divided by ``L_x``; 1 for a straight wire across the box. In the
    wire-node form the paths run between stick centres (a coarse version).

    Parameters
    ----------
    solution : Solution
        A percolating solution.

    Returns
    -------
    float
        ``tau >= 1`` in the junction-node form (dimensionless).

    Raises
    ------
    NotPercolatingError
        If no current flows.
    """
    flow = edge_flow(solution)
    length = edge_geometry(solution.network)[1]
    return float(np.dot(np.abs(flow.current), length) / (abs(flow.total_current) * solution.network.box[0]))


@dataclass(frozen=True, eq=False)
class PotentialMap:
    """Electric potential on a grid of cells.

    Attributes
    ----------
    values : ndarray, shape (ny, nx)
        Mean potential (V) of the current-carrying nodes in each cell; NaN where the cell holds none.
        Row ``j`` is ``y`` in ``[y_edges[j], y_edges[j+1])``.
    x_edges, y_edges : ndarray
        Cell boundaries (box units).
    counts : ndarray of int, shape (ny, nx)
        Nodes averaged in each cell.
    """

    values: np.ndarray
    x_edges: np.ndarray
    y_edges: np.ndarray
    counts: np.ndarray


def potential_map(solution: Solution, bins: int | tuple[int, int] = 64) -> PotentialMap:
    """Potential of the film on a grid: the mean node potential in every cell.

    Junction-node nodes are contact points on the wires (dense); wire-node nodes are stick centres.
    Electrode nodes and current-free components are left out. In the periodic-x geometry the potentials
    fall by about ``V`` across the box and jump back by ``V`` at the cut ``x = 0`` (the edges with an EMF).

    Parameters
    ----------
    solution : Solution
        A solution.
    bins : int or (int, int)
        Cells along x and y (``nx, ny``), each >= 1.

    Returns
    -------
    PotentialMap

    Raises
    ------
    InvalidInputError
        If ``bins`` is not one or two positive integers.
    """
    nb = np.broadcast_to(np.asarray(bins), (2,))
    if not np.all(nb == np.round(nb)) or np.any(nb < 1):
        raise InvalidInputError(f"bins must be one or two positive integers (nx, ny), got {bins!r}")
    network = solution.network
    lx, ly = network.box
    keep = ~np.isnan(solution.potentials) & (network.node_kind != NodeKind.ELECTRODE)
    xy = network.node_position[keep]
    x_edges, y_edges = np.linspace(0, lx, int(nb[0]) + 1), np.linspace(0, ly, int(nb[1]) + 1)
    args = (xy[:, 1], xy[:, 0])
    phi = solution.potentials[keep]
    counts = np.histogram2d(*args, bins=(y_edges, x_edges))[0]
    sums = np.histogram2d(*args, bins=(y_edges, x_edges), weights=phi)[0]
    with np.errstate(invalid="ignore"):
        values = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return PotentialMap(values, x_edges, y_edges, counts.astype(np.int64))


@dataclass(frozen=True, eq=False)
class Betweenness:
    """Current-flow betweenness of edges, nodes and sticks.

    Attributes
    ----------
    edge : ndarray, shape (E,)
        ``sum_{s<t} |i_e^{st}|`` for unit currents (A per A); 0 outside the main component.
    node : ndarray, shape (V,)
        ``sum_{s<t} tau_v^{st}`` (throughput; 1 for each pair the node is an end of).
    stick : ndarray, shape (N,) or None
        Half the sum of ``edge`` over the junction and electrode contacts of each stick; ``None`` when the
        network has no sticks.
    n_pairs : int
        Unordered pairs summed over (all pairs of the main component, or one for ``pairs="electrodes"``).
    exact : bool
        ``False`` when estimated from sampled pairs (the sums are then scaled to all pairs).
    """

    edge: np.ndarray
    node: np.ndarray
    stick: np.ndarray | None
    n_pairs: int
    exact: bool


def _main_component(network: Network):
    """Node mask of the main component (the electrodes' one, else the largest) and its edges' mask."""
    e, g = network.edges, network.edge_conductance
    conducting = (g > 0) & (e[:, 0] != e[:, 1])
    n = network.n_nodes
    graph = sparse.coo_matrix((np.ones(int(conducting.sum())), (e[conducting, 0], e[conducting, 1])), shape=(n, n))
    labels = csgraph.connected_components(graph, directed=False)[1]
    main = labels[network.electrodes[0]] if network.electrodes is not None else np.bincount(labels).argmax()
    nodes = labels == main
    return nodes, conducting & nodes[e[:, 0]]


def _stick_scores(network: Network, edge_score: np.ndarray) -> np.ndarray | None:
    sticks = network.edge_stick
    if not len(sticks) or sticks.max() < 0:
        return None
    contact = np.isin(network.edge_kind, [EdgeKind.JUNCTION, EdgeKind.ELECTRODE])
    ids = sticks[contact].ravel()
    w = np.repeat(edge_score[contact], 2)
    n_sticks = int(max(sticks.max(), network.node_stick.max(initial=-1))) + 1
    return 0.5 * scatter_add(ids[ids >= 0], w[ids >= 0], n_sticks)


def _node_throughput(network: Network, edge_abs: np.ndarray) -> np.ndarray:
    e = network.edges
    return 0.5 * (scatter_add(e[:, 0], edge_abs, network.n_nodes) + scatter_add(e[:, 1], edge_abs, network.n_nodes))


def _electrode_betweenness(network: Network) -> Betweenness:
    solution = solve_network(network)
    flow = edge_flow(solution)
    edge = np.abs(flow.current / flow.total_current)
    node = _node_throughput(network, edge)
    node[network.electrodes] = 1.0
    return Betweenness(edge, node, _stick_scores(network, edge), 1, True)


def current_flow_betweenness(network: Network, *, pairs: str | int = "all", rng=None, batch: int = 256) -> Betweenness:
    """Current-flow (random-walk) betweenness of every edge, node and stick (Newman 2005).

    Parameters
    ----------
    network : Network
        Any network; pairs are taken in its main component (the electrodes' component, else the largest).
    pairs : "all", "electrodes" or int
        ``"all"``: exact, every unordered pair (Brandes & Fleischer: one solve per edge of the main
        component, then a sort per edge; ``O(E V log V)``, for small networks). ``"electrodes"``: the one
        pair of bus bars (one solve: the electrode-to-electrode current share of every element). An int
        ``k``: ``k`` pairs drawn uniformly, ``k`` solves, the sums scaled to all pairs (unbiased).
    rng : None, int or numpy.random.Generator
        Source of the sampled pairs.
    batch : int
        Right-hand sides solved at once.

    Returns
    -------
    Betweenness

    Raises
    ------
    InvalidInputError
        Bad ``pairs`` or ``batch``; ``pairs="electrodes"`` on a network without electrodes.
    NotPercolatingError
        ``pairs="electrodes"`` and no current flows.
    """
    if int(batch) != batch or batch < 1:
        raise InvalidInputError(f"batch must be a positive integer, got {batch!r}")
    if isinstance(pairs, str):
        if pairs == "electrodes":
            if network.electrodes is None:
                raise InvalidInputError("pairs='electrodes' needs a network with electrodes (bus bars)")
            return _electrode_betweenness(network)
        if pairs != "all":
            raise InvalidInputError(f"pairs must be 'all', 'electrodes' or a positive integer, got {pairs!r}")
    elif isinstance(pairs, bool) or int(pairs) != pairs or pairs < 1:
        raise InvalidInputError(f"pairs must be 'all', 'electrodes' or a positive integer, got {pairs!r}")
    nodes, active = _main_component(network)
    ids = np.flatnonzero(nodes)
    n = len(ids)
    unknown = np.full(network.n_nodes, -1, dtype=np.int64)
    unknown[ids[1:]] = np.arange(n - 1)  # grounded at the component's lowest node
    edge = np.zeros(network.n_edges)
    node = np.zeros(network.n_nodes)
    total_pairs = n * (n - 1) // 2
    if n >= 2:
        e, g = network.edges[active], network.edge_conductance[active]
        solve = factorize(reduced_laplacian(unknown, n - 1, e, g))[0]
        if pairs == "all":
            edge[active] = _all_pairs_edge(solve, unknown[ids], unknown[e], g, int(batch))
            node = _node_throughput(network, edge)
            node[ids] += 0.5 * (n - 1)  # each of the n - 1 pairs a node ends counts 1, not 1/2
        else:
            edge, node = _sampled_pairs(network, solve, ids, unknown, active, int(pairs), as_rng(rng), int(batch))
            edge, node = edge * total_pairs / int(pairs), node * total_pairs / int(pairs)
    return Betweenness(edge, node, _stick_scores(network, edge), total_pairs, pairs == "all")


def _unit_columns(index_a, index_b, m):
    """Dense ``(m, k)`` columns ``e_a - e_b`` in unknown space (index -1 = the ground, left out)."""
    k = len(index_a)
    rhs = np.zeros((m, k))
    cols = np.arange(k)
    rhs[index_a[index_a >= 0], cols[index_a >= 0]] += 1.0
    rhs[index_b[index_b >= 0], cols[index_b >= 0]] -= 1.0
    return rhs


def _potentials(solve, rhs):
    """Solutions with one zero row appended (row -1 is the ground)."""
    m, k = rhs.shape
    return np.vstack([solve(rhs).reshape(m, k), np.zeros((1, k))])


def _all_pairs_edge(solve, node_unknown, edge_unknown, g, batch):
    """``sum_{s<t} |F[e, s] - F[e, t]|`` with ``F[e, :] = g_e (Z[a, :] - Z[b, :])`` (one solve per edge)."""
    m = len(node_unknown) - 1
    out = np.empty(len(g))
    n = len(node_unknown)
    weight = 2.0 * np.arange(n) - n + 1  # sum_{s<t} |y_s - y_t| = sum_k (2k - n + 1) y_(k), y sorted
    for start in range(0, len(g), batch):
        a, b = edge_unknown[start : start + batch, 0], edge_unknown[start : start + batch, 1]
        x = _potentials(solve, _unit_columns(a, b, m))[node_unknown]  # (n, k): Z[:, a] - Z[:, b] on the nodes
        rows = np.sort(x * g[start : start + batch], axis=0)
        out[start : start + batch] = weight @ rows
    return out


def _sampled_pairs(network, solve, ids, unknown, active, n_pairs, rng, batch):
    n = len(ids)
    s = rng.integers(0, n, n_pairs)
    t = (s + rng.integers(1, n, n_pairs)) % n  # uniform over t != s
    e, g = network.edges, network.edge_conductance
    ea, eb = unknown[e[active, 0]], unknown[e[active, 1]]
    incidence = sparse.csr_matrix(
        (np.ones(2 * int(active.sum())), (np.concatenate([e[active, 0], e[active, 1]]),
                                           np.tile(np.arange(int(active.sum())), 2))),
        shape=(network.n_nodes, int(active.sum())),
    )  # fmt: skip
    edge = np.zeros(network.n_edges)
    node = np.zeros(network.n_nodes)
    m = n - 1
    for start in range(0, n_pairs, batch):
        ss, tt = ids[s[start : start + batch]], ids[t[start : start + batch]]
        x = _potentials(solve, _unit_columns(unknown[ss], unknown[tt], m))
        current = np.abs(g[active][:, None] * (x[ea] - x[eb]))  # (E_active, k)
        edge[active] += current.sum(axis=1)
        tau = 0.5 * (incidence @ current)  # (V, k)
        cols = np.arange(len(ss))
        tau[ss, cols] = 1.0
        tau[tt, cols] = 1.0
        node += tau.sum(axis=1)
    return edge, node
