"""Connectivity percolation of sticks: clusters, spanning and wrapping, and the percolation threshold.

Criteria (``criterion`` argument):

* ``"span"`` -- bus bars (x open): a cluster touches both the left (``x = 0``) and right (``x = Lx``) bars.
* ``"wrap-x"``, ``"wrap-y"`` -- periodic axis: a cluster wraps around the box along x (y), i.e. it holds a
  closed loop whose *unwrapped* displacement has a non-zero x (y) component.
* ``"wrap-either"`` -- a cluster wraps along x or y; ``"wrap-both"`` -- one cluster wraps along x and along y
  (Newman & Ziff 2001, ``R^(e)`` and ``R^(b)``; a loop along a diagonal counts for both axes).

Wrapping is decided by displacement, never by a heuristic such as touching opposite sides: the image
offset of every stick is computed on a spanning forest (:func:`~nanograph.graphs.contract.image_offsets`),
and a junction whose two sticks' offsets differ from its own image shift closes a wrapping loop.

Threshold (Newman--Ziff for sticks). Sticks ``0, 1, 2, ...`` of a realization are added one at a time;
the *first percolation count* ``N*`` is the smallest ``k`` for which sticks ``0..k-1`` percolate. A junction
of sticks ``i < j`` is present from ``k = j + 1`` on, so ``N*`` is the bottleneck (minimax) of junction times:
for spanning, the largest time on the minimum-spanning-tree path between the bus bars; for wrapping, the
earliest time of a non-tree junction of the minimum spanning forest that closes a wrapping loop (any
minimum spanning forest restricted to times ``<= k`` spans the clusters present at ``k``). Both give exactly the
count of the one-at-a-time procedure (tested against it), in ``O(E log E)`` per realization. ``"wrap-both"``
(a per-cluster property) uses bisection over ``k``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph import validation
from nanograph._lazy import lazy_module
from nanograph.errors import InvalidInputError, NotPercolatingError
from nanograph.geometry.contacts import Contacts, find_contacts, find_electrode_contacts
from nanograph.geometry.lengths import parse_length
from nanograph.geometry.odf import parse_odf
from nanograph.geometry.sticks import Sticks, as_box, as_rng, generate_sticks
from nanograph.graphs.components import component_labels, lowest_nodes
from nanograph.graphs.contract import image_offsets
from nanograph.published.mfa import THRESHOLD_ISOTROPIC

optimize = lazy_module("scipy.optimize")
stats = lazy_module("scipy.stats")

__all__ = [
    "CRITERIA",
    "UNIVERSAL_CROSSING",
    "NU",
    "DENSITY_CAP_FACTOR",
    "Clusters",
    "ThresholdRuns",
    "ThresholdFit",
    "label_clusters",
    "percolates",
    "first_percolation_count",
    "threshold_runs",
    "extrapolate_threshold",
]

CRITERIA = ("span", "wrap-x", "wrap-y", "wrap-either", "wrap-both")

#: Correlation-length exponent of 2D percolation.
NU = 4.0 / 3.0

#: :func:`threshold_runs` stops a realization (NotPercolatingError) at this multiple of the threshold expected
#: from Eq. (18) of the MFA paper, unless ``max_density`` is given.
DENSITY_CAP_FACTOR = 10.0

#: Probability at the threshold in the infinite square system (canonical ensemble), for an isotropic (or
#: 90-degree symmetric) ODF: Cardy's 1/2 for crossing an open square; Pinson's torus values (Newman & Ziff
#: 2001, Eqs. 2-4) for wrapping. ``"span"`` with periodic y (a cylinder) has a different value: not listed.
UNIVERSAL_CROSSING = {"span": 0.5, "wrap-x": 0.521058290, "wrap-y": 0.521058290,
                      "wrap-either": 0.690473725, "wrap-both": 0.351642855}  # fmt: skip


def _not_percolating(message: str, parameter: str) -> NotPercolatingError:
    """A :class:`NotPercolatingError` carrying the parameter to change, which the command line maps to its flag."""
    error = NotPercolatingError(message)
    error.parameter = parameter
    return error


def _check_criterion(criterion: str, periodic: tuple[bool, bool]) -> None:
    if criterion not in CRITERIA:
        raise InvalidInputError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    if criterion == "span" and periodic[0]:
        raise InvalidInputError("criterion 'span' needs bus bars (x open); use a 'wrap-*' criterion for periodic x")
    needs = {"wrap-x": periodic[0], "wrap-y": periodic[1], "wrap-either": any(periodic), "wrap-both": all(periodic)}
    if not needs.get(criterion, True):
        raise InvalidInputError(
            f"criterion {criterion!r} needs the periodic axes it names, but periodic = {periodic}; "
            "generate the sticks with periodic=True"
        )


def _stick_graph(sticks: Sticks, contacts: Contacts | None, with_bars: bool):
    """Edges among sticks (and the bus-bar node ``N``), their image shifts and appearance times.

    Both bus bars are one node ``N``: a contact with the right bar carries an x shift of one box, so a
    bar-to-bar path becomes a loop of x winding 1 (spanning is wrapping of this graph).
    """
    if contacts is None:
        contacts = find_contacts(sticks)
    n = len(sticks)
    a, b = contacts.stick_i.astype(np.int64), contacts.stick_j.astype(np.int64)
    shift = np.asarray(contacts.shift, dtype=np.int64).reshape(-1, 2)
    time = np.maximum(a, b) + 1
    if with_bars:
        left, right = find_electrode_contacts(sticks)
        bars = np.concatenate([left.stick, right.stick]).astype(np.int64)
        a = np.concatenate([a, bars])
        b = np.concatenate([b, np.full(len(bars), n)])
        bar_shift = np.zeros((len(bars), 2), dtype=np.int64)
        bar_shift[len(left) :, 0] = 1
        shift = np.concatenate([shift, bar_shift])
        time = np.concatenate([time, bars + 1])
    return n + (1 if with_bars else 0), np.column_stack([a, b]), shift, time


def _windings(n: int, edges: np.ndarray, shift: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Winding vector of the loop each edge closes on a spanning forest (0 for forest edges)."""
    offset = image_offsets(n, edges, shift, lowest_nodes(labels)[labels])
    return shift - (offset[edges[:, 1]] - offset[edges[:, 0]])


@dataclass(frozen=True, eq=False)
class Clusters:
    """Connected clusters of sticks.

    Attributes
    ----------
    labels : ndarray of int64, shape (N,)
        Cluster of each stick, numbered ``0, 1, ...`` in order of their lowest stick.
    sizes : ndarray of int64, shape (n_clusters,)
        Number of sticks in each cluster.
    touches_left, touches_right : ndarray of bool, shape (n_clusters,)
        The cluster contacts the left (right) bus bar (all False when x is periodic).
    wraps : ndarray of bool, shape (n_clusters, 2)
        The cluster wraps around the periodic x (column 0) or y (column 1) axis.
    periodic : (bool, bool)
        Periodicity of the box.
    """

    labels: np.ndarray
    sizes: np.ndarray
    touches_left: np.ndarray
    touches_right: np.ndarray
    wraps: np.ndarray
    periodic: tuple[bool, bool] = (False, False)

    @property
    def n_clusters(self) -> int:
        """Number of clusters (an isolated stick is a cluster)."""
        return len(self.sizes)

    @property
    def spans(self) -> np.ndarray:
        """Clusters touching both bus bars, shape (n_clusters,)."""
        return self.touches_left & self.touches_right

    def percolating(self, criterion: str = "span") -> np.ndarray:
        """Clusters that percolate by ``criterion`` (see the module docstring), shape (n_clusters,)."""
        _check_criterion(criterion, self.periodic)
        if criterion == "span":
            return self.spans
        if criterion == "wrap-x":
            return self.wraps[:, 0]
        if criterion == "wrap-y":
            return self.wraps[:, 1]
        if criterion == "wrap-either":
            return self.wraps.any(axis=1)
        return self.wraps.all(axis=1)


def label_clusters(sticks: Sticks, contacts: Contacts | None = None) -> Clusters:
    """Label the connected clusters of sticks, with their bus-bar contacts and wrapping axes.

    Parameters
    ----------
    sticks : Sticks
        Sticks in an open or periodic box.
    contacts : Contacts, optional
        Precomputed :func:`~nanograph.geometry.contacts.find_contacts` result.

    Returns
    -------
    Clusters

    Examples
    --------
    >>> s = Sticks([[-0.2, 0.5, 0.8, 0.5], [0.3, 0.1, 1.1, 0.9], [0.1, 0.9, 0.3, 0.9]], box=1)
    >>> c = label_clusters(s)
    >>> c.labels.tolist(), c.spans.tolist()
    ([0, 0, 1], [True, False])
    """
    n = len(sticks)
    _, edges, shift, _ = _stick_graph(sticks, contacts, with_bars=False)
    labels = component_labels(n, edges).astype(np.int64)
    n_clusters = int(labels.max(initial=-1) + 1)
    sizes = np.bincount(labels, minlength=n_clusters)
    touches = [np.zeros(n_clusters, dtype=bool), np.zeros(n_clusters, dtype=bool)]
    if not sticks.periodic[0]:
        for side, bar in zip(touches, find_electrode_contacts(sticks), strict=True):
            side[labels[bar.stick]] = True
    wraps = np.zeros((n_clusters, 2), dtype=bool)
    if any(sticks.periodic) and len(edges):
        winding = _windings(n, edges, shift, labels)
        for axis in (0, 1):
            wraps[labels[edges[winding[:, axis] != 0, 0]], axis] = True
    return Clusters(labels, sizes, touches[0], touches[1], wraps, sticks.periodic)


def percolates(sticks: Sticks, criterion: str = "span", contacts: Contacts | None = None) -> bool:
    """Whether some cluster of ``sticks`` percolates by ``criterion`` (``"span"`` needs bus bars).

    Parameters
    ----------
    sticks : Sticks
        The sticks, with their box and periodicity.
    criterion : str
        One of :data:`CRITERIA`: ``"span"`` (x open: a cluster touches both bus bars) or a ``"wrap-*"``
        criterion (the axes it names periodic).
    contacts : Contacts, optional
        Precomputed contacts of ``sticks`` (found when not given).

    Returns
    -------
    bool

    Raises
    ------
    InvalidInputError
        Unknown criterion, or a criterion the periodicity of ``sticks`` does not allow.

    Examples
    --------
    >>> percolates(Sticks([[-0.1, 0.5, 1.1, 0.5]], box=1))
    True
    """
    return bool(label_clusters(sticks, contacts).percolating(criterion).any())


def _first_wrap_time(n: int, edges: np.ndarray, shift: np.ndarray, time: np.ndarray, axes: tuple[int, ...]) -> int:
    """Earliest time at which a loop winding along one of ``axes`` exists (-1 if never)."""
    if not len(edges):
        return -1
    # Unique weights 1..E in (time, index) order: a unique minimum spanning forest whose edges map back.
    order = np.argsort(time, kind="stable")
    rank = np.empty(len(time), dtype=np.int64)
    rank[order] = np.arange(1, len(time) + 1)
    lo, hi = np.minimum(edges[:, 0], edges[:, 1]), np.maximum(edges[:, 0], edges[:, 1])
    proper = lo != hi  # a self-loop (a stick meeting its own image) is a loop by itself
    key = lo * n + hi
    first = np.full(len(time), False)
    sel = np.flatnonzero(proper)
    sel = sel[np.argsort(rank[sel])]
    _, keep = np.unique(key[sel], return_index=True)
    first[sel[keep]] = True  # parallel duplicates after the first are never forest edges
    graph = sparse.coo_matrix((rank[first].astype(float), (lo[first], hi[first])), shape=(n, n)).tocsr()
    tree = csgraph.minimum_spanning_tree(graph).tocoo()
    in_tree = np.zeros(len(time), dtype=bool)
    in_tree[order[tree.data.astype(np.int64) - 1]] = True
    labels = component_labels(n, edges, in_tree)
    offset = image_offsets(n, edges[in_tree], shift[in_tree], lowest_nodes(labels)[labels])
    winding = shift - (offset[edges[:, 1]] - offset[edges[:, 0]])
    closing = (winding[:, list(axes)] != 0).any(axis=1) & ~in_tree
    return int(time[closing].min()) if closing.any() else -1


def _first_both_time(n: int, edges: np.ndarray, shift: np.ndarray, time: np.ndarray) -> int:
    """Earliest time at which one cluster wraps along x and along y (bisection over the time)."""

    def wraps_both(t: int) -> bool:
        present = time <= t
        e, s = edges[present], shift[present]
        if not len(e):
            return False
        labels = component_labels(n, e)
        winding = _windings(n, e, s, labels)
        x = np.zeros(labels.max() + 1, dtype=bool)
        y = np.zeros_like(x)
        x[labels[e[winding[:, 0] != 0, 0]]] = True
        y[labels[e[winding[:, 1] != 0, 0]]] = True
        return bool((x & y).any())

    lo, hi = 0, int(time.max(initial=0))
    if not wraps_both(hi):
        return -1
    while hi - lo > 1:  # invariant: not at lo, wraps at hi
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if wraps_both(mid) else (mid, hi)
    return hi


def first_percolation_count(sticks: Sticks, criterion: str = "span", contacts: Contacts | None = None) -> int:
    """Smallest ``k`` such that the first ``k`` sticks percolate by ``criterion``; -1 if all of them do not.

    The Newman--Ziff count of one realization (see the module docstring for the exact equivalence).

    Parameters
    ----------
    sticks : Sticks
        Sticks in the order they are added.
    criterion : str
        One of :data:`CRITERIA`.
    contacts : Contacts, optional
        Precomputed contacts of all the sticks.

    Returns
    -------
    int
        The count ``N*`` (``1 <= N* <= len(sticks)``); -1 if all the sticks together do not percolate.

    Raises
    ------
    InvalidInputError
        Unknown ``criterion``, or one the periodicity of ``sticks`` does not allow ("span" needs an open x,
        "wrap-*" the periodic axes they name).

    Examples
    --------
    >>> s = Sticks([[0.2, 0.2, 0.2, 0.8], [-0.1, 0.3, 0.3, 0.3], [0.1, 0.7, 1.1, 0.7]], box=1)
    >>> first_percolation_count(s, "span")
    3
    """
    _check_criterion(criterion, sticks.periodic)
    if criterion == "span":
        n, edges, shift, time = _stick_graph(sticks, contacts, with_bars=True)
        return _first_wrap_time(n, edges, shift, time, (0,))
    n, edges, shift, time = _stick_graph(sticks, contacts, with_bars=False)
    if criterion == "wrap-both":
        return _first_both_time(n, edges, shift, time)
    axes = {"wrap-x": (0,), "wrap-y": (1,)}.get(criterion, tuple(a for a in (0, 1) if sticks.periodic[a]))
    return _first_wrap_time(n, edges, shift, time, axes)


@dataclass(frozen=True, eq=False)
class ThresholdRuns:
    """First-percolation counts of independent realizations in one box.

    Attributes
    ----------
    counts : ndarray of int64, shape (runs,)
        Newman--Ziff count ``N*`` of each realization.
    box : (float, float)
        ``(Lx, Ly)``.
    criterion : str
        The percolation criterion.
    odf : str
        Spec string of the orientation distribution.
    mean_length_sq : float
        ``<l>^2`` of the stick lengths (sets the density unit ``n <l>^2``).
    params : dict
        Everything else that made the runs (seed, periodicity, length spec).
    """

    counts: np.ndarray
    box: tuple[float, float]
    criterion: str
    odf: str
    mean_length_sq: float = 1.0
    params: dict = field(default_factory=dict)

    @property
    def runs(self) -> int:
        """Number of realizations."""
        return len(self.counts)

    @property
    def unit(self) -> float:
        """Density ``n <l>^2`` of one stick in the box."""
        return self.mean_length_sq / (self.box[0] * self.box[1])

    @property
    def densities(self) -> np.ndarray:
        """First-percolation density ``N* <l>^2 / (Lx Ly)`` of each realization."""
        return self.counts * self.unit

    @property
    def mean_density(self) -> tuple[float, float]:
        """Mean first-percolation density and its standard error."""
        d = self.densities
        return float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else math.nan

    def probability(self, density: np.ndarray | float, ensemble: str = "canonical") -> tuple[np.ndarray, np.ndarray]:
        """Percolation probability ``P(n l^2)`` and its standard error at ``density``.

        ``ensemble="canonical"``: a Poisson number of sticks of mean ``density / unit`` (centres of a Poisson
        point process; exact given the counts, ``P = mean_r P(Poisson >= N*_r)``). ``"microcanonical"``: exactly
        ``round(density / unit)`` sticks, as :func:`generate_sticks` places them (``P = mean_r [N*_r <= N]``).
        """
        x = np.atleast_1d(np.asarray(density, dtype=float))
        counts = self.counts[:, None]
        if ensemble == "canonical":
            samples = stats.poisson.sf(counts - 1, x[None, :] / self.unit)
        elif ensemble == "microcanonical":
            samples = (counts <= np.rint(x[None, :] / self.unit)).astype(float)
        else:
            raise InvalidInputError(f"ensemble must be 'canonical' or 'microcanonical', got {ensemble!r}")
        p = samples.mean(axis=0)
        err = samples.std(axis=0, ddof=1) / math.sqrt(self.runs) if self.runs > 1 else np.full_like(p, np.nan)
        return p, err

    def crossing_density(self, level: float | None = None) -> tuple[float, float]:
        """Density where the canonical ``P(n l^2)`` equals ``level``, and its standard error.

        ``level`` defaults to :data:`UNIVERSAL_CROSSING` of the criterion (valid for square boxes and
        isotropic or 90-degree-symmetric ODFs), whose crossing point converges to the threshold much faster
        than the mean (Newman & Ziff 2001). The error is the probability's standard error divided by its
        slope ``dP/dn = mean_r pmf(N*_r - 1) / unit``.
        """
        if level is None:
            if self.criterion not in UNIVERSAL_CROSSING or (self.criterion == "span" and self.params.get("periodic_y")):
                raise InvalidInputError(
                    f"level: no universal crossing value for {self.criterion!r} with a periodic y axis: give level, "
                    "use mean_density, or count the runs in an open square (threshold_runs with periodic_y=False)"
                )
            level = UNIVERSAL_CROSSING[self.criterion]
        lo, hi = self.densities.min() * 0.5, self.densities.max() * 1.5
        root = optimize.brentq(lambda d: self.probability(d)[0][0] - level, lo, hi, xtol=1e-12)
        _, err = self.probability(root)
        slope = stats.poisson.pmf(self.counts - 1, root / self.unit).mean() / self.unit
        return float(root), float(err[0] / slope)


def threshold_runs(
    box: float | tuple[float, float],
    *,
    criterion: str = "wrap-x",
    runs: int = 100,
    odf: str = "isotropic",
    length: float | str = 1.0,
    periodic_y: bool = True,
    max_density: float | None = None,
    rng: None | int | np.random.Generator = None,
) -> ThresholdRuns:
    """Newman--Ziff counts of ``runs`` realizations: add sticks one at a time until they percolate.

    Parameters
    ----------
    box : float or (float, float)
        ``L`` or ``(Lx, Ly)`` in units of the mean stick length.
    criterion : str
        ``"span"`` (bus bars; y periodic when ``periodic_y``) or a ``"wrap-*"`` criterion (periodic box).
    runs : int
        Number of realizations.
    odf : str
        Orientation distribution spec (see :func:`~nanograph.geometry.odf.parse_odf`).
    length : float or str
        Stick length or length distribution spec.
    periodic_y : bool
        For ``"span"``: periodic in y (else an open square).
    max_density : float, optional
        Largest density ``n <l>^2`` drawn in one realization: a realization that has not percolated by then
        raises :class:`~nanograph.errors.NotPercolatingError`. Default :data:`DENSITY_CAP_FACTOR` times the
        threshold expected from Eq. (18) of the MFA paper
        (:func:`~nanograph.physics.mfa.percolation_threshold_scaling`). Sticks are drawn in blocks of 1.5 times
        that expected threshold, the block doubling until the realization percolates or reaches the cap.
    rng : None, int or Generator
        Source of randomness; realization ``r`` uses the ``r``-th spawned child, so runs are reproducible.

    Returns
    -------
    ThresholdRuns

    Raises
    ------
    NotPercolatingError
        If the ODF makes every stick parallel (``<|sin(alpha_1 - alpha_2)|> = 0``), or a realization has not
        percolated at ``max_density``.
    """
    if validation.count("runs", runs) < 1:
        raise InvalidInputError(f"runs must be a positive integer, got {runs!r}")
    if criterion not in CRITERIA:
        raise InvalidInputError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    lx, ly = as_box(box)
    periodic = (False, bool(periodic_y)) if criterion == "span" else (True, True)
    orientation = parse_odf(odf)
    lengths = parse_length(length)
    if min(lx, ly) < lengths.mean:
        raise InvalidInputError(
            f"box must be at least one mean stick length ({lengths.mean:g}) on each side, got {(lx, ly)}"
        )
    mean_sin = orientation.mean_abs_sin_difference
    if mean_sin <= 1e-12:
        raise _not_percolating(
            f"odf = {orientation.spec()!r} makes every stick parallel: no junctions, so no criterion percolates; "
            "use an orientation distribution with a spread of angles",
            "odf",
        )
    expected = THRESHOLD_ISOTROPIC * (2 / math.pi) / mean_sin
    cap_origin = "given"
    if max_density is None:
        max_density, cap_origin = DENSITY_CAP_FACTOR * expected, f"{DENSITY_CAP_FACTOR:g} x the expected {expected:.4g}"
    max_density = validation.positive("max_density", max_density, unit="n <l>^2")
    unit = lx * ly / lengths.mean**2
    cap = max(int(math.floor(max_density * unit)), 1)
    block = min(max(int(math.ceil(1.5 * expected * unit)), 1), cap)
    counts = np.empty(int(runs), dtype=np.int64)
    for r, child in enumerate(as_rng(rng).spawn(int(runs))):
        endpoints = np.zeros((0, 4))
        target = block
        while True:
            more = generate_sticks(n_sticks=target - len(endpoints), box=(lx, ly), length=lengths, odf=orientation,
                                   periodic=periodic, rng=child)  # fmt: skip
            endpoints = np.concatenate([endpoints, more.endpoints])
            count = first_percolation_count(Sticks(endpoints, (lx, ly), periodic), criterion)
            if count > 0:
                counts[r] = count
                break
            if target >= cap:
                raise _not_percolating(
                    f"realization {r} of odf = {orientation.spec()!r} sticks has not percolated (criterion = "
                    f"{criterion!r}) at density n <l>^2 = max_density = {max_density:.4g} ({cap_origin}); this "
                    "orientation distribution may not percolate along that direction: try another criterion, or "
                    "pass a larger max_density",
                    "criterion",
                )
            target = min(2 * target, cap)
    params = {"periodic_y": periodic[1], "length": repr(lengths), "runs": int(runs), "max_density": max_density}
    return ThresholdRuns(counts, (lx, ly), criterion, orientation.spec(), lengths.mean**2, params)


@dataclass(frozen=True)
class ThresholdFit:
    """Finite-size extrapolation ``n_c(L) = n_c + a L^(-exponent)`` (weighted least squares).

    Attributes
    ----------
    threshold, threshold_error : float
        Extrapolated ``n_c l^2`` and its standard error.
    slope : float
        The amplitude ``a``.
    exponent : float
        The correction exponent used.
    chi2_per_dof : float
        Goodness of fit (NaN with two sizes).
    """

    threshold: float
    threshold_error: float
    slope: float
    exponent: float
    chi2_per_dof: float


def extrapolate_threshold(sizes, estimates, errors, exponent: float = 1.0 / NU) -> ThresholdFit:
    """Extrapolate finite-size threshold estimates to ``L -> infinity``.

    Parameters
    ----------
    sizes, estimates, errors : array_like
        Box sides ``L``, estimates ``n_c(L)`` and their standard errors (at least two sizes).
    exponent : float
        Correction exponent: ``1/nu = 3/4`` for the mean first-percolation density; for the
        universal-crossing estimator of wrapping the leading corrections are much smaller
        (Newman & Ziff 2001 found ``L^(-2-1/nu)`` on lattices).

    Returns
    -------
    ThresholdFit
        Weighted least-squares fit of ``n_c(L) = n_c + a L^(-exponent)``: the extrapolated threshold and its
        standard error, the slope ``a``, the exponent and ``chi2`` per degree of freedom (NaN for two sizes).

    Raises
    ------
    InvalidInputError
        Fewer than two sizes, arrays of different lengths, or non-positive errors.

    Examples
    --------
    >>> fit = extrapolate_threshold([16, 32, 64], [6.0, 5.8, 5.7], [0.01, 0.01, 0.01], exponent=1.0)
    >>> round(fit.threshold, 4)
    5.6
    """
    x = np.asarray(sizes, dtype=float) ** -exponent
    y, s = np.asarray(estimates, dtype=float), np.asarray(errors, dtype=float)
    if len(x) < 2 or not (len(x) == len(y) == len(s)) or np.any(s <= 0):
        raise InvalidInputError("extrapolate_threshold needs >= 2 sizes with positive errors, all the same length")
    design = np.column_stack([np.ones_like(x), x]) / s[:, None]
    coef, *_ = np.linalg.lstsq(design, y / s, rcond=None)
    cov = np.linalg.inv(design.T @ design)
    resid = (y - coef[0] - coef[1] * x) / s
    dof = len(x) - 2
    chi2 = float(resid @ resid / dof) if dof else math.nan
    return ThresholdFit(float(coef[0]), float(math.sqrt(cov[0, 0])), float(coef[1]), float(exponent), chi2)
