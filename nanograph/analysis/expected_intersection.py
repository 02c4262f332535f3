"""Intersection probabilities of two random sticks at a given x-separation (Jagota & Scheinfeld 2020).

Two sticks of length ``l`` with angles ``theta_i, theta_j`` to the x axis and centres ``x`` apart in x meet
for a window of y-offsets of length ``h(x, theta_i, theta_j)`` (Eqs. 15–16). In a box periodic in y with
unit period and uniform centres the offset is uniform, so the probability that they meet is the mean window
(Eq. 17)

    P(x) = E[h(x, theta_i, theta_j)],    theta_i, theta_j independent from the ODF,

and a stick whose centre is ``d`` from an electrode touches it when ``(l/2) cos theta >= d`` (Eq. 19).

The window is the vertical chord, at abscissa ``x``, of the parallelogram of relative centre positions at
which the sticks cross: a trapezoid in ``x`` of height ``H = l |sin(theta_i - theta_j)| / max(cos)``,
plateau half-width ``a = (l/2)|cos theta_i - cos theta_j|`` and support half-width
``s = (l/2)(cos theta_i + cos theta_j)``. This is Eqs. (15)–(16) rewritten so that it also holds for a
vertical stick (where Eq. 16 reads ``0 * inf``). Since ``H <= 2 l``, the window never exceeds the period for
``l <= 1/2`` (the assumption ``h <= 1`` behind Eqs. 15–17); longer sticks are refused.

Numerical method (its error is measured in ``tests/test_expected_adjacency.py``): ``P(x) = l F(x/l)`` with
``F`` the unit-length function. ``F(u)`` is a double integral over the two angles whose integrand is smooth
except on known curves: ``theta_i = +-theta_j`` (the ``|sin|`` and the ``max``), and the three curves where
the clipped ramp of the trapezoid switches, ``cos theta_i = 2u - cos theta_j``, ``cos theta_j - 2u`` and
``cos theta_j + 2u``. For every outer angle the inner interval ``[-pi/2, pi/2]`` is cut at these points and
at the ODF's piece ends; the outer interval is cut where the inner cuts appear, vanish or collide
(``cos theta_j`` equal to ``u``, ``2u``, ``|2u - 1|``, ``2u +- cos b``, ``cos b - 2u`` for every ODF break
``b``). Every piece gets Gauss–Legendre after the map ``t -> (2 + 3t - t^3)/4`` that makes square-root end
behaviour smooth. Atoms are summed exactly. With the default 20 nodes per piece the absolute error of
``F`` is below 1e-8 (so below 1e-9 for ``P`` at ``l = 0.1``); it falls roughly as ``n^-7``.

Uniform sectors (isotropic, Θ2): the inner integral in closed form. For an ODF uniform on ``[-alpha, alpha]``
average first over the signs of the two angles: with ``a = |theta_i|``, ``b = |theta_j|`` uniform on
``[0, alpha]``, ``E_signs |sin(theta_i - theta_j)| = max(sin a cos b, cos a sin b)``, so on ``a <= b`` the
integrand is ``sin b * clip((cos a + cos b - 2u) / (2 cos b), 0, 1)``. With ``c = cos a``, ``beta = cos b``:

    F(u) = (2 / alpha^2) int_{cos alpha}^1 I(u, beta) d beta,
    I(u, beta) = int_beta^1 clip((c + beta - 2u) / (2 beta), 0, 1) dc / sqrt(1 - c^2)
               = [-sqrt(1 - c^2) + (beta - 2u) arcsin c]_lo^hi / (2 beta) + arccos(hi),

``lo = clip(2u - beta, beta, 1)``, ``hi = clip(2u + beta, beta, 1)``. ``I`` is elementary and smooth in
``beta`` except at ``beta = u, 1 - 2u, 2u - 1`` (kinks and square roots), so the outer integral is
Gauss–Legendre on those pieces after the same cubic map, ``SECTOR_NODES`` nodes each: absolute error of
``F`` about 1e-12 (measured against a 60-node rule and against the double quadrature), at ``O(1)`` cost per
separation, so no table is needed (``F(0) = 8/pi^2`` for isotropic sticks).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.geometry.odf import Isotropic, OrientationDistribution, UniformSector, parse_odf, wrap_angle
from nanograph.validation import number

__all__ = [
    "check_length",
    "chord_length",
    "intersection_probability",
    "electrode_probability",
    "max_cosine",
    "sector_unit_probability",
    "QUADRATURE_NODES",
]

HALF_PI = math.pi / 2
#: Gauss–Legendre nodes per smooth piece of the angular integrals.
QUADRATURE_NODES = 14
#: Interpolation points per piece of ``F(u)`` in the cached table, the interpolation error allowed on ``F``
#: (checked midway between nodes; pieces are halved until it holds) and the narrowest piece (of the reach).
TABLE_POINTS = 17
TABLE_TOLERANCE = 1e-9
_MIN_PIECE = 1e-9
#: Gauss–Legendre nodes per smooth piece of the one-dimensional integral of the uniform-sector ODFs.
SECTOR_NODES = 40
_CHUNK_EVALUATIONS = 2_000_000
_GRADING = (0.2, 0.04, 0.008, 0.0016)


@lru_cache(maxsize=8)
def _mapped_rule(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre on ``[0, 1]`` after the cubic map ``(2 + 3t - t^3)/4`` (nodes, weights)."""
    t, w = np.polynomial.legendre.leggauss(n)
    return (2 + 3 * t - t**3) / 4, 3 * (1 - t * t) / 4 * w


def _pieces_rule(breaks: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes, weights and row of every node on the non-empty intervals between consecutive ``breaks``.

    ``breaks`` has shape (R, B), each row sorted; empty intervals (repeated cuts) get no nodes.
    """
    x, w = _mapped_rule(n)
    lo, hi = breaks[:, :-1], breaks[:, 1:]
    row, col = np.nonzero(hi > lo)
    a, width = lo[row, col][:, None], (hi - lo)[row, col][:, None]
    return (a + width * x).ravel(), (width * w).ravel(), np.repeat(row, n)


def chord_length(u: np.ndarray, theta_i: np.ndarray, theta_j: np.ndarray) -> np.ndarray:
    """Window of y-offsets in which two unit sticks ``u`` apart in x cross (Eqs. 15–16 with ``l = 1``).

    Parameters
    ----------
    u : array_like
        x-separation of the centres divided by the stick length.
    theta_i, theta_j : array_like
        Angles to the x axis (radians); all three broadcast.

    Returns
    -------
    ndarray
        ``h`` divided by the stick length.

    Examples
    --------
    >>> float(chord_length(0.0, 0.0, math.pi / 2))     # a horizontal and a vertical stick, same centre
    1.0
    >>> round(float(chord_length(0.4, math.pi / 4, -math.pi / 4)), 12) == round(math.sqrt(2) - 0.8, 12)
    True
    """
    ci, cj = np.cos(np.asarray(theta_i, dtype=float)), np.cos(np.asarray(theta_j, dtype=float))
    big, small = np.maximum(ci, cj), np.minimum(ci, cj)
    sin_diff = np.abs(np.sin(np.subtract(theta_i, theta_j, dtype=float)))
    shape = np.broadcast_shapes(np.shape(u), sin_diff.shape)
    height = np.divide(sin_diff, big, out=np.zeros(shape), where=big > 1e-300)
    excess = 0.5 * (ci + cj) - np.abs(u)
    ramp = np.divide(excess, small, out=np.broadcast_to(excess >= 0, shape).astype(float), where=small > 1e-300)
    return height * np.clip(ramp, 0.0, 1.0)


def _acos_cuts(c: np.ndarray) -> np.ndarray:
    """``+-arccos(c)`` where ``0 <= c <= 1``, else 0 (a harmless repeated cut); last axis doubled."""
    inside = (c >= 0) & (c <= 1)
    t = np.where(inside, np.arccos(np.clip(c, 0.0, 1.0)), 0.0)
    return np.concatenate([t, -t], axis=-1)


class _Measure:
    """An ODF as atoms plus a density on smooth pieces, with the angles where it is not smooth."""

    def __init__(self, odf: OrientationDistribution):
        self.odf = odf
        self.atom_angles, self.atom_masses = (np.asarray(a, dtype=float) for a in odf.atoms)
        self.pieces = [(float(a), float(b)) for a, b in odf.pieces if b > a]
        self.continuous = bool(self.pieces)
        ends = [e for p in self.pieces for e in p] + [-HALF_PI, HALF_PI]
        special = np.concatenate([ends, self.atom_angles])
        self.special_cosines = np.unique(np.clip(np.cos(special), 0.0, 1.0))
        # Where F(u) itself may be non-smooth: piece ends where the density jumps, atoms and +-pi/2 (the
        # ends a quadrature rule merely splits a smooth density at are smooth points of F).
        inner = np.array([e for e in ends if abs(e) < HALF_PI])
        jumps = inner[
            np.abs(self.density(inner - 1e-9) - self.density(inner + 1e-9)) > 1e-6 * (1 + self.density(inner))
        ]
        self.jump_cosines = np.unique(np.clip(np.cos(np.concatenate([jumps, self.atom_angles, [HALF_PI]])), 0.0, 1.0))
        # Nearly vertical pairs make the integrand singular at the corners (+-pi/2, +-pi/2) (a ratio of two
        # small cosines): cuts graded geometrically towards +-pi/2 restore fast convergence there.
        if self.continuous_near_vertical():
            ends += [sign * (HALF_PI - g) for g in _GRADING for sign in (1, -1)]
        self.breaks = np.unique(ends)
        self.symmetric = self._is_symmetric()

    def _is_symmetric(self) -> bool:
        """Whether the ODF is even in the angle (then half the outer integral suffices)."""
        atoms = {round(float(a), 12): float(m) for a, m in zip(self.atom_angles, self.atom_masses, strict=True)}
        mirror = {
            round(float(wrap_angle(-a)), 12): float(m) for a, m in zip(self.atom_angles, self.atom_masses, strict=True)
        }
        if atoms.keys() != mirror.keys() or any(abs(atoms[k] - mirror[k]) > 1e-14 for k in atoms):
            return False
        probe = np.linspace(-HALF_PI, HALF_PI, 257)[1:-1]
        density = self.density(probe)
        return bool(np.allclose(density, density[::-1], rtol=1e-12, atol=1e-14))

    def continuous_near_vertical(self) -> bool:
        """Whether the continuous part reaches ``+-pi/2`` with a non-zero density."""
        edge = np.array([-HALF_PI + 1e-9, HALF_PI - 1e-9])
        return self.continuous and bool(np.any(self.density(edge) > 0))

    def density(self, theta: np.ndarray) -> np.ndarray:
        """The continuous density at ``theta``, zero outside the pieces."""
        inside = np.zeros(np.shape(theta), dtype=bool)
        for a, b in self.pieces:
            inside |= (theta >= a) & (theta <= b)
        if not inside.any():
            return np.zeros(np.shape(theta))
        return np.where(inside, self.odf.pdf(np.where(inside, theta, 0.0)), 0.0)

    def outer_rule(self, u: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Outer angles, weights and the index of their ``u`` (continuous part, then atoms)."""
        k = len(u)
        nodes, weights, owner = [], [], []
        if self.continuous:
            uu = u[:, None]
            c = self.special_cosines[None, :]
            cuts = np.concatenate([uu, 2 * uu, 2 * uu - 1, 1 - 2 * uu, 2 * uu - c, c - 2 * uu, c + 2 * uu], axis=1)
            atoms = np.clip(np.concatenate([self.atom_angles, -self.atom_angles]), -HALF_PI, HALF_PI)
            fixed = np.concatenate([self.breaks, atoms, [0.0]])
            breaks = np.sort(
                np.concatenate([_acos_cuts(cuts), np.broadcast_to(fixed, (k, len(fixed)))], axis=1), axis=1
            )
            if self.symmetric:  # chord_length(-a, -b) = chord_length(a, b): integrate theta_j >= 0, doubled
                breaks = np.maximum(breaks, 0.0)
            t, w, row = _pieces_rule(breaks, n)
            w = w * self.density(t) * (2.0 if self.symmetric else 1.0)
            keep = w > 0
            nodes.append(t[keep]), weights.append(w[keep]), owner.append(row[keep])
        m = len(self.atom_angles)
        if m:
            nodes.append(np.tile(self.atom_angles, k)), weights.append(np.tile(self.atom_masses, k))
            owner.append(np.repeat(np.arange(k), m))
        return np.concatenate(nodes), np.concatenate(weights), np.concatenate(owner)

    def inner_rule(self, u: np.ndarray, theta_j: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Inner angles, weights and the index of their outer angle; ``u`` given per outer angle."""
        nodes, weights, owner = [], [], []
        if self.continuous:
            uu, cj, tj = u[:, None], np.cos(theta_j)[:, None], theta_j[:, None]
            cuts = np.concatenate([2 * uu - cj, cj - 2 * uu, cj + 2 * uu], axis=1)
            fixed = np.broadcast_to(self.breaks, (len(theta_j), len(self.breaks)))
            breaks = np.sort(np.concatenate([_acos_cuts(cuts), tj, -tj, fixed], axis=1), axis=1)
            t, w, row = _pieces_rule(breaks, n)
            w = w * self.density(t)
            keep = w > 0
            nodes.append(t[keep]), weights.append(w[keep]), owner.append(row[keep])
        m = len(self.atom_angles)
        if m:
            (
                nodes.append(np.tile(self.atom_angles, len(theta_j))),
                weights.append(np.tile(self.atom_masses, len(theta_j))),
            )
            owner.append(np.repeat(np.arange(len(theta_j)), m))
        return np.concatenate(nodes), np.concatenate(weights), np.concatenate(owner)


@lru_cache(maxsize=64)
def _measure(odf: OrientationDistribution) -> _Measure:
    return _Measure(odf)


def _measure_of(odf) -> _Measure:
    odf = parse_odf(odf)
    try:
        return _measure(odf)
    except TypeError:  # an unhashable user ODF
        return _Measure(odf)


def max_cosine(odf: str | OrientationDistribution = "isotropic") -> float:
    """Largest ``cos theta`` on the support of the ODF: sticks ``x`` apart never meet beyond ``x = l * this``."""
    m = _measure_of(odf)
    values = list(np.cos(m.atom_angles))
    for a, b in m.pieces:
        values += [math.cos(a), math.cos(b)] + ([1.0] if a <= 0 <= b else [])
    return float(max(values)) if values else 0.0


def _unit_probability(u: np.ndarray, measure: _Measure, n: int) -> np.ndarray:
    """``F(u) = E[chord_length(u, theta_i, theta_j)]`` for every ``u`` (1-D, ``0 <= u``)."""
    out = np.empty(len(u))
    theta_j, _, _ = measure.outer_rule(u[:1], n)
    theta_i, _, _ = measure.inner_rule(np.repeat(u[:1], len(theta_j)), theta_j, n)
    step = max(1, _CHUNK_EVALUATIONS // max(len(theta_i), 1))
    for start in range(0, len(u), step):
        part = u[start : start + step]
        theta_j, w_j, u_of_j = measure.outer_rule(part, n)
        theta_i, w_i, j_of_i = measure.inner_rule(part[u_of_j], theta_j, n)
        values = w_i * w_j[j_of_i] * chord_length(part[u_of_j][j_of_i], theta_i, theta_j[j_of_i])
        out[start : start + step] = np.bincount(u_of_j[j_of_i], values, minlength=len(part))
    return out


def sector_unit_probability(u: np.ndarray | float, alpha: float, nodes: int = SECTOR_NODES) -> np.ndarray:
    """``F(u)`` for sticks uniform on ``[-alpha, alpha]`` (Θ2; ``alpha = pi/2`` is isotropic), unit length.

    The one-dimensional integral of the module docstring (inner integral in closed form).

    Parameters
    ----------
    u : array_like
        x-separation of the centres divided by the stick length, ``u >= 0``.
    alpha : float
        Half-width of the sector (radians), ``0 < alpha <= pi/2``.
    nodes : int
        Gauss–Legendre nodes per smooth piece.

    Returns
    -------
    ndarray
        ``F(u) = P(x = u l) / l``, same shape as ``u``.

    Examples
    --------
    >>> round(float(sector_unit_probability(0.0, math.pi / 2)), 14) == round(8 / math.pi**2, 14)
    True
    """
    u = np.asarray(u, dtype=float)
    flat = np.abs(u.ravel())
    floor = math.cos(alpha)
    ones = np.ones_like(flat)
    cuts = np.stack([floor * ones, flat, 1 - 2 * flat, 2 * flat - 1, ones], axis=1)
    beta, weight, row = _pieces_rule(np.sort(np.clip(cuts, floor, 1.0), axis=1), int(nodes))
    twice_u = 2 * flat[row]
    lo, hi = np.clip(twice_u - beta, beta, 1.0), np.clip(twice_u + beta, beta, 1.0)
    ramp = np.sqrt(1 - lo * lo) - np.sqrt(1 - hi * hi) + (beta - twice_u) * (np.arccos(lo) - np.arccos(hi))
    inner = ramp / (2 * beta) + np.arccos(hi)
    return (2 / alpha**2 * np.bincount(row, weight * inner, minlength=len(flat))).reshape(u.shape)


def _sector_half_width(odf: OrientationDistribution) -> float | None:
    """``alpha`` if the ODF is uniform on ``[-alpha, alpha]`` (isotropic: ``pi/2``), else None."""
    if isinstance(odf, Isotropic):
        return HALF_PI
    if isinstance(odf, UniformSector):
        return float(odf.alpha)
    return None


def _separation_breaks(measure: _Measure, reach: float) -> np.ndarray:
    """Values of ``u`` in ``[0, reach]`` where ``F`` may be non-smooth: two outer cuts coincide or one hits 0 or 1."""
    lines = [(1.0, 0.0), (2.0, 0.0), (2.0, -1.0), (-2.0, 1.0), (0.0, 0.0), (0.0, 1.0)]
    for c in measure.jump_cosines:
        lines += [(2.0, -c), (-2.0, c), (2.0, c), (0.0, c)]
    slope, offset = np.array(lines).T
    s1, s2 = np.meshgrid(slope, slope)
    o1, o2 = np.meshgrid(offset, offset)
    differ = s1 != s2
    u = (o2 - o1)[differ] / (s1 - s2)[differ]
    u = np.unique(np.round(u[(u > 1e-12) & (u < reach - 1e-12)], 12))
    return np.concatenate([[0.0], u, [reach]])


class _Table:
    """``F(u)`` interpolated on pieces in ``u`` (mapped Chebyshev–Lobatto points, barycentric).

    The pieces start at the values of ``u`` where ``F`` may be non-smooth because of a jump of the density
    or an atom (:func:`_separation_breaks`); a piece is halved until the interpolant agrees with ``F``
    computed at check points midway between its nodes to ``TABLE_TOLERANCE``.
    """

    def __init__(self, measure: _Measure, points: int, nodes: int, tolerance: float = TABLE_TOLERANCE):
        self.reach = max_cosine(measure.odf)
        t = np.cos(np.pi * np.arange(points) / (points - 1))[::-1]
        self.t = t
        self.bary = np.where(np.arange(points) % 2, -1.0, 1.0)
        self.bary[[0, -1]] *= 0.5
        check = np.cos(np.pi * (np.arange(points - 1) + 0.5) / (points - 1))[:: max(1, (points - 1) // 4)]
        ratio = self.bary / (check[:, None] - t[None, :])
        breaks = _separation_breaks(measure, self.reach)
        pending, accepted = np.stack([breaks[:-1], breaks[1:]], axis=1), []
        while len(pending):
            lo, width = pending[:, :1], pending[:, 1:] - pending[:, :1]
            grid = np.concatenate([t, check])
            f = _unit_probability((lo + width * (2 + 3 * grid - grid**3) / 4).ravel(), measure, nodes)
            f = f.reshape(len(pending), len(grid))
            values, exact = f[:, :points], f[:, points:]
            error = np.abs(values @ ratio.T / ratio.sum(axis=1) - exact).max(axis=1)
            good = (error <= tolerance) | (width[:, 0] <= _MIN_PIECE * max(self.reach, 1e-300))
            accepted += [(row[0], row[1], v) for row, v in zip(pending[good], values[good], strict=True)]
            mid = pending[~good].mean(axis=1)
            pending = np.concatenate([np.stack([pending[~good, 0], mid], 1), np.stack([mid, pending[~good, 1]], 1)])
        accepted.sort(key=lambda piece: piece[0])
        self.breaks = np.array([piece[0] for piece in accepted] + [accepted[-1][1]])
        self.values = np.array([piece[2] for piece in accepted])

    def __call__(self, u: np.ndarray) -> np.ndarray:
        piece = np.clip(np.searchsorted(self.breaks, u, side="right") - 1, 0, len(self.breaks) - 2)
        lo, hi = self.breaks[piece], self.breaks[piece + 1]
        y = np.clip((u - lo) / (hi - lo), 0.0, 1.0)
        t = 2 * np.sin(np.arcsin(2 * y - 1) / 3)  # inverse of (2 + 3t - t^3)/4
        diff = t[:, None] - self.t[None, :]
        exact = diff == 0
        diff[exact] = 1.0
        ratio = self.bary / diff
        out = (ratio * self.values[piece]).sum(axis=1) / ratio.sum(axis=1)
        hit = exact.any(axis=1)
        out[hit] = self.values[piece[hit]][exact[hit]]
        return np.where(u < self.reach, out, 0.0)


@lru_cache(maxsize=64)
def _table(odf: OrientationDistribution, points: int, nodes: int) -> _Table:
    return _Table(_measure_of(odf), points, nodes)


def intersection_probability(
    separation: np.ndarray | float,
    length: float,
    odf: str | OrientationDistribution = "isotropic",
    *,
    method: str = "auto",
) -> np.ndarray:
    """Probability that two sticks whose centres are ``separation`` apart in x cross (Eqs. 15–17).

    The y-offset is uniform on a unit period (box periodic in y, Jagota & Scheinfeld 2020, Sec. III.A).
    ``P(x) = l F(x/l)`` with ``F`` independent of ``l``.

    Parameters
    ----------
    separation : array_like
        x-distance of the two centres (box units, unit box width).
    length : float
        Stick length ``l`` (box units), ``0 < l <= 1/2`` (so that the window ``h <= 1``).
    odf : str or OrientationDistribution
        Orientation distribution of both sticks.
    method : {"auto", "sector", "table", "direct"}
        ``"sector"``: the one-dimensional integral with the inner integral in closed form (module
        docstring), only for isotropic and Θ2 sticks (absolute error of ``F`` about 1e-12, no table).
        ``"direct"``: the piecewise double quadrature of the module docstring at every separation (absolute
        error of ``F`` about 3e-9). ``"table"``: ``F`` interpolated from a table built once per
        ODF and cached (``TABLE_POINTS`` mapped Chebyshev points per piece in ``u``, pieces halved until
        the interpolation error is below ``TABLE_TOLERANCE`` = 1e-9 in ``F``; with the quadrature's own
        error, below 5e-9 in ``F``, so below 3e-9 in ``P`` for ``l <= 1/2``). ``"auto"`` (default): ``"sector"`` where it applies,
        else ``"table"`` (atoms-only ODFs are summed exactly in every method).

    Returns
    -------
    ndarray
        ``P(w_i ∩ w_j | x_ij)``, same shape as ``separation``.

    Examples
    --------
    >>> p = intersection_probability([0.0, 0.05, 0.1], 0.1)
    >>> bool(p[0] > p[1] > p[2] == 0.0), round(float(p[0]), 9)        # F(0) = 8/pi^2 (isotropic)
    (True, 0.081056947)
    """
    length = check_length(length)
    x = np.abs(np.asarray(separation, dtype=float))
    if not np.all(np.isfinite(x)):
        raise InvalidInputError("separation must be finite (box units)")
    if method not in ("auto", "sector", "table", "direct"):
        raise InvalidInputError(f"method must be 'auto', 'sector', 'table' or 'direct', got {method!r}")
    odf = parse_odf(odf)
    alpha = _sector_half_width(odf)
    if method == "sector" and alpha is None:
        raise InvalidInputError(f"method 'sector' needs an isotropic or theta2 ODF, got {odf.spec()!r}")
    u = (x / length).ravel()
    result = np.zeros(u.shape)
    reach = u < max_cosine(odf)
    if reach.any():
        if alpha is not None and method in ("auto", "sector"):
            result[reach] = sector_unit_probability(u[reach], alpha)
        elif method == "direct" or not _measure_of(odf).continuous:  # atoms only: exact and cheap
            result[reach] = _unit_probability(u[reach], _measure_of(odf), QUADRATURE_NODES)
        else:
            try:
                table = _table(odf, TABLE_POINTS, QUADRATURE_NODES)
            except TypeError:  # an unhashable user ODF: no cache
                table = _Table(_measure_of(odf), TABLE_POINTS, QUADRATURE_NODES)
            result[reach] = table(u[reach])
    return length * result.reshape(x.shape)


def electrode_probability(
    distance: np.ndarray | float,
    length: float,
    odf: str | OrientationDistribution = "isotropic",
    *,
    nodes: int = 2 * QUADRATURE_NODES,
) -> np.ndarray:
    """Probability that a stick whose centre is ``distance`` from an electrode line touches it (Eq. 19).

    ``P((l/2) cos theta >= d)``: the left electrode with ``d = x_i``, the right one with ``d = 1 - x_i``.
    With the centres at ``x_i = i/(N + 1)`` this is Eq. (19), ``P(cos theta >= 2i/(l (N + 1)))``.

    Parameters
    ----------
    distance : float or array_like
        Distance ``d`` of the stick centre from the electrode line, in units of the (unit) box side; the
        sign is ignored.
    length : float
        Stick length ``l`` in box units, ``0 < l <= 1/2``.
    odf : str or OrientationDistribution
        Orientation distribution of ``theta``, the angle (radians) to the x axis.
    nodes : int
        Gauss-Legendre nodes per integration interval (continuous piece of the ODF within the window).

    Returns
    -------
    ndarray of float
        Probability (dimensionless, in ``[0, 1]``), with the shape of ``distance``.

    Raises
    ------
    InvalidInputError
        Non-finite ``distance``, ``length`` outside ``(0, 1/2]``, or unknown ODF.

    Examples
    --------
    >>> electrode_probability([0.0, 0.025, 0.06], 0.1).round(12).tolist()   # isotropic: (2/pi) arccos(2d/l)
    [1.0, 0.666666666667, 0.0]
    """
    length = check_length(length)
    d = np.asarray(distance, dtype=float)
    if not np.all(np.isfinite(d)):
        raise InvalidInputError("distance must be finite (box units)")
    m = _measure_of(odf)
    threshold = np.clip(2 * np.abs(d.ravel()) / length, 0.0, None)
    half = np.where(threshold <= 1, np.arccos(np.minimum(threshold, 1.0)), -1.0)
    total = (m.atom_masses[None, :] * (np.cos(m.atom_angles)[None, :] >= threshold[:, None] - 1e-15)).sum(axis=1)
    for a, b in m.pieces:
        lo, hi = np.maximum(a, -half), np.minimum(b, half)
        ok = hi > lo
        if ok.any():
            t, w, row = _pieces_rule(np.stack([lo[ok], hi[ok]], axis=1), int(nodes))
            total[np.flatnonzero(ok)] += np.bincount(row, w * m.density(t), minlength=int(ok.sum()))
    return np.clip(total, 0.0, 1.0).reshape(d.shape)


def check_length(length: float) -> float:
    """A validated stick length ``0 < l <= 1/2`` (box widths of the unit box), as a float.

    Parameters
    ----------
    length : float
        Stick length in box widths.

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Not a finite number, or outside ``(0, 1/2]``: Eqs. (15)-(17) assume the crossing window ``h <= 1``.

    Examples
    --------
    >>> check_length("0.25")
    0.25
    """
    value = number("length", length)
    if not (0 < value <= 0.5):
        raise InvalidInputError(
            f"length must be in (0, 1/2] of the unit box (box widths), got {length!r}: Eqs. (15)-(17) assume the "
            "crossing window h <= 1 (one period in y), which holds for l <= 1/2"
        )
    return value
