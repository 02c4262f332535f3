"""Effective medium theory (EMT) of regular random resistor networks, via Foster's theorem.

Tarasevich, Vodolazskaya & Eserkepov 2025 (``emt-foster``). On a network where every node has degree ``z``
and edge conductances are i.i.d. with density ``f_G``, the effective-medium conductance ``g_m`` is the root
of Eq. (3)

.. math:: \\int f_G(g)\\, \\frac{g_m - g}{g + g_m (z/2 - 1)}\\, dg = 0 .

:func:`effective_conductance` solves it for any ``z > 2`` and any distribution given as a
:class:`ConductanceMixture` (point masses plus a continuous density) or as samples. The paper's closed
forms for random nanowire networks (RNNs) are separate functions, each naming its equation:

=========================================  ================================================================
:func:`three_regular_gm`                   Eq. (21): 3-regular closure of the junction-node network
:func:`three_regular_rw0_gm`               the ``Rw → 0`` limit of Eq. (21): ``g_m Rj = 2 n l²/π − 2``
:func:`junction_only_gm`                   Eq. (26), the paper's ``Rw = 0`` result (segment term dropped)
:func:`large_rj_gm`                        Eq. (24): ``g_m = sqrt(4 n l²/(π Rj Rw))``
:func:`seamless_gm`                        Eq. (28): 4-regular closure of the seamless network (``Rj = 0``)
:func:`lattice_gm`                         Eq. (3) on a ``z``-regular lattice with every edge from Eq. (13)
=========================================  ================================================================

Units: ``density`` is the dimensionless ``n l²`` (``l`` the wire length), ``rw`` the resistance of a whole
wire (ohm), ``rj`` the junction resistance (ohm); ``g_m`` is in siemens. Segment conductances follow
Eq. (14): ``g = 1/(rw s)`` for a segment of length ``s`` (in wire lengths) with ``s`` exponential of mean
``⟨l⟩ = π/(2 n l²)`` (Eqs. 11–12), i.e. ``g = κ/t`` with ``t ~ Exp(1)`` and the *segment scale*
``κ = 2 n l²/(π rw)``. Its EMT term has the closed form (with ``c = z/2 − 1``, ``β = κ/(c g_m)``)

.. math:: E\\left[\\frac{g_m - g}{g + c g_m}\\right] = \\frac{1}{c}\\left[1 - (1 + c)\\, \\beta e^{\\beta} E_1(\\beta)\\right],

from which Eqs. (21) and (28) follow; :func:`scaled_exp1` is ``x e^x E_1(x)``.

Slips of the paper handled here (``FORMULAS.md`` §D): Eq. (21) has no root for ``n l² ≤ π``; its large-density
constants (Eqs. 22, 29) are 3.27838 and 1.63919, not 3.275 and 1.637; Table 2 is reproduced only without the
factor ``(1 − π/(2 n l²))⁻¹`` (``closure_factor=False``); Eq. (26) is not the ``Rw → 0`` limit of Eq. (21).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nanograph._lazy import lazy_module
from nanograph.errors import InvalidInputError
from nanograph.validation import nonnegative, positive

integrate = lazy_module("scipy.integrate")
optimize = lazy_module("scipy.optimize")
special = lazy_module("scipy.special")

__all__ = [
    "ConductanceMixture",
    "EMTResult",
    "effective_conductance",
    "emt_residual",
    "scaled_exp1",
    "segment_scale",
    "segment_conductance_pdf",
    "three_regular_distribution",
    "seamless_distribution",
    "lattice_distribution",
    "three_regular_gm",
    "disordered_three_regular_distribution",
    "disordered_three_regular_gm",
    "three_regular_rw0_gm",
    "junction_only_gm",
    "large_rj_gm",
    "seamless_gm",
    "lattice_gm",
    "large_density_constant",
    "LATTICE_DEGREE",
    "LATTICE_SHEET_FACTOR",
    "lattice_sheet_conductance",
    "table2_fit",
]

#: Degree ``z`` of every node of the four lattices of :mod:`nanograph.graphs.lattices`.
LATTICE_DEGREE = {"square": 4, "kagome": 4, "honeycomb": 3, "triangular": 6}

#: Sheet conductance of a lattice with identical edges ``g``, divided by ``g``: ``σ = Σ_b g d_bx² / A_cell``
#: (a uniform field is an exact solution on all four lattices): square 1, kagome √3/2 (the paper's
#: ``R□ = 2/(√3 g_m)``), honeycomb 1/√3, triangular √3.
LATTICE_SHEET_FACTOR = {
    "square": 1.0,
    "kagome": math.sqrt(3) / 2,
    "honeycomb": 1 / math.sqrt(3),
    "triangular": math.sqrt(3),
}


def _degree(z: float) -> float:
    z = positive("z (node degree)", z)
    if z <= 2:
        raise InvalidInputError(f"z (node degree) must exceed 2 for Eq. (3) to have a finite root, got {z!r}")
    return z


def scaled_exp1(x: float | np.ndarray) -> float | np.ndarray:
    """``x e^x E_1(x)`` for ``x > 0``: increases from 0 (``x → 0``) to 1 (``x → ∞``).

    ``E_1`` is the exponential integral (printed ``Ei_1`` in the paper's Eq. 21). Uses the asymptotic
    series ``Σ_k (−1)^k k!/x^k`` (17 terms, error < 1e-16) above ``x = 60`` where ``e^x`` would lose range.

    Examples
    --------
    >>> round(float(scaled_exp1(1.0)), 12)
    0.596347362323
    """
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    big = x > 60
    small = ~big
    out[small] = x[small] * np.exp(x[small]) * special.exp1(x[small])
    xb = x[big]
    term = np.ones_like(xb)
    total = np.ones_like(xb)
    for k in range(1, 17):
        term = -term * k / xb
        total += term
    out[big] = total
    return out[()] if out.ndim == 0 else out


@dataclass(frozen=True)
class ConductanceMixture:
    """An edge-conductance distribution: point masses plus a weighted continuous density.

    ``f_G(g) = Σ_i w_i δ(g − g_i) + w_c p(g)``, with ``Σ w_i + w_c = 1`` and ``∫ p = 1`` over ``support``.

    Attributes
    ----------
    atoms : tuple of (float, float)
        ``(conductance, weight)`` pairs; a conductance may be 0 (an open edge, e.g. a closure edge) or
        ``inf`` (a short, e.g. a junction with ``Rj = 0``).
    density : callable or None
        ``p(g)``, vectorised over an array of conductances (S⁻¹ per S), normalised on ``support``.
    density_weight : float
        ``w_c``.
    support : (float, float)
        Integration range of ``p`` (S); ``(0, inf)`` by default.
    scale : float
        A typical conductance of the continuous part (S), where the root search starts and the integral
        is split (default 1).
    """

    atoms: tuple[tuple[float, float], ...] = ()
    density: Callable[[np.ndarray], np.ndarray] | None = None
    density_weight: float = 0.0
    support: tuple[float, float] = (0.0, math.inf)
    scale: float = 1.0
    _values: np.ndarray = field(init=False, repr=False)
    _weights: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        atoms = np.asarray(self.atoms, dtype=float).reshape(-1, 2)
        values, weights = atoms[:, 0], atoms[:, 1]
        if np.any(np.isnan(values)) or np.any(values < 0):
            raise InvalidInputError("atoms: conductances must be >= 0 (0 = open, inf = short)")
        if np.any(~np.isfinite(weights)) or np.any(weights < 0) or self.density_weight < 0:
            raise InvalidInputError("atoms/density_weight: weights must be finite and >= 0")
        total = weights.sum() + self.density_weight
        if not math.isclose(total, 1.0, rel_tol=0, abs_tol=1e-12):
            raise InvalidInputError(f"weights must sum to 1 (atoms + density_weight), got {total!r}")
        if (self.density is None) != (self.density_weight == 0):
            raise InvalidInputError("give a density together with a positive density_weight, or neither")
        lo, hi = self.support
        if not (0 <= lo < hi):
            raise InvalidInputError(f"support must be (lo, hi) with 0 <= lo < hi, got {self.support!r}")
        positive("scale", self.scale)
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "_weights", weights)

    @classmethod
    def from_samples(cls, samples: Sequence[float] | np.ndarray) -> ConductanceMixture:
        """The empirical distribution of ``samples`` (S): one atom of weight ``1/len`` per sample."""
        g = np.asarray(samples, dtype=float).ravel()
        if not len(g):
            raise InvalidInputError("samples: give at least one conductance")
        values, counts = np.unique(g, return_counts=True)
        finite = values[np.isfinite(values) & (values > 0)]
        scale = float(np.median(finite)) if len(finite) else 1.0
        return cls(tuple(zip(values, counts / len(g), strict=True)), scale=scale)

    @property
    def open_fraction(self) -> float:
        """Weight of the atom at ``g = 0``."""
        return float(self._weights[self._values == 0].sum())

    @property
    def short_fraction(self) -> float:
        """Weight of the atom at ``g = inf``."""
        return float(self._weights[np.isinf(self._values)].sum())

    def expect(self, term: Callable[[np.ndarray], np.ndarray]) -> float:
        """``∫ f_G(g) term(g) dg``: atoms summed exactly, the density by adaptive quadrature."""
        total = float(np.dot(self._weights, term(self._values))) if len(self._values) else 0.0
        if self.density is not None:
            lo, hi = self.support
            split = min(max(self.scale, lo), hi) if math.isinf(hi) else None
            pieces = [(lo, split), (split, hi)] if split is not None and lo < split < hi else [(lo, hi)]
            for a, b in pieces:
                value, _ = integrate.quad(
                    lambda g: float(self.density(np.asarray(g)) * term(np.asarray(g))),
                    a, b, epsabs=1e-14, epsrel=1e-12, limit=400,
                )  # fmt: skip
                total += self.density_weight * value
        return total


def _emt_term(gm: float, c: float) -> Callable[[np.ndarray], np.ndarray]:
    """The integrand of Eq. (3), ``(g_m − g)/(g + c g_m)``, with its limits at ``g = 0`` and ``g = inf``."""

    def term(g: np.ndarray) -> np.ndarray:
        g = np.asarray(g, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = (gm - g) / (g + c * gm)
        return np.where(np.isinf(g), -1.0, out)

    return term


def emt_residual(gm: float, distribution: ConductanceMixture, z: float) -> float:
    """Left-hand side of Eq. (3) at ``g_m`` (dimensionless); zero at the effective-medium conductance.

    Increases with ``g_m`` from ``p_0/c − (1 − p_0)`` to ``(1 − p_∞)/c − p_∞`` (``c = z/2 − 1``; ``p_0``,
    ``p_∞`` the open and short fractions).
    """
    return distribution.expect(_emt_term(float(gm), _degree(z) / 2 - 1))


@dataclass(frozen=True)
class EMTResult:
    """The effective-medium conductance and the check of its equation.

    Attributes
    ----------
    g_m : float
        Effective-medium conductance (S).
    residual : float
        Left-hand side of Eq. (3) at ``g_m`` (dimensionless).
    z : float
        Node degree.
    """

    g_m: float
    residual: float
    z: float


def effective_conductance(
    distribution: ConductanceMixture | Sequence[float] | np.ndarray, z: float, *, tol: float = 1e-12
) -> EMTResult:
    """Root ``g_m`` of the EMT condition, Eq. (3), for a ``z``-regular network.

    Parameters
    ----------
    distribution : ConductanceMixture or array_like
        Edge-conductance distribution (S), or samples of it.
    z : float
        Degree of every node, ``> 2`` (3 for the 3-regular closure, 4 for the seamless closure).
    tol : float
        Largest accepted ``|residual|`` of Eq. (3) at the returned root.

    Returns
    -------
    EMTResult

    Raises
    ------
    InvalidInputError
        If the open fraction ``p_0 ≥ 1 − 2/z`` (the effective medium does not conduct: ``g_m = 0``) or the
        short fraction ``p_∞ ≥ 2/z`` (``g_m = inf``); or if the root misses ``tol``.

    Notes
    -----
    Eq. (3) is increasing in ``g_m`` (each term has derivative ``g (1 + c)/(g + c g_m)² ≥ 0``), so the root
    is unique; it is bracketed by scanning decades from the distribution's ``scale`` and polished by Brent's
    method on ``log g_m``.

    Examples
    --------
    Half the edges open, half of conductance 1, on a square lattice (``z = 4``): the bond-percolation
    threshold of EMT, ``g_m → 0``, is reached exactly at ``p_0 = 1/2``; at ``p_0 = 1/4``, ``g_m = 1/2``:

    >>> mix = ConductanceMixture(((0.0, 0.25), (1.0, 0.75)))
    >>> round(effective_conductance(mix, z=4).g_m, 12)
    0.5
    """
    z = _degree(z)
    if not isinstance(distribution, ConductanceMixture):
        distribution = ConductanceMixture.from_samples(distribution)
    c = z / 2 - 1
    p0, pinf = distribution.open_fraction, distribution.short_fraction
    if p0 >= 1 - 2 / z - 1e-15:
        raise InvalidInputError(
            f"open (g = 0) fraction {p0:.6g} >= 1 - 2/z = {1 - 2 / z:.6g}: below the EMT percolation point the "
            "effective medium does not conduct (g_m = 0); raise the density or the degree z"
        )
    if pinf >= 2 / z - 1e-15:
        raise InvalidInputError(
            f"short (g = inf) fraction {pinf:.6g} >= 2/z = {2 / z:.6g}: the shorts percolate (g_m = inf)"
        )

    def f(log_gm: float) -> float:
        return distribution.expect(_emt_term(math.exp(log_gm), c))

    lo = hi = math.log(distribution.scale)
    step = math.log(10.0)
    for _ in range(700):
        if f(lo) < 0:
            break
        lo -= step
    for _ in range(700):
        if f(hi) > 0:
            break
        hi += step
    if not (f(lo) < 0 < f(hi)) and f(lo) != 0 and f(hi) != 0:
        raise InvalidInputError("could not bracket the root of Eq. (3); check the distribution's scale")
    log_gm = optimize.brentq(f, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500)
    gm = math.exp(log_gm)
    residual = f(log_gm)
    if abs(residual) > tol:
        raise InvalidInputError(f"Eq. (3) residual {residual:.3g} at g_m = {gm:.6g} exceeds tol = {tol:.3g}")
    return EMTResult(g_m=gm, residual=residual, z=z)


# --- Random nanowire networks: the paper's distributions ----------------------------------------------------


def segment_scale(density: float, rw: float = 1.0) -> float:
    """``κ = 2 n l²/(π Rw)`` (S): conductance of a segment of the mean length ``⟨l⟩ = π/(2 n l²)`` (Eq. 12)."""
    return 2 * positive("density", density) / (math.pi * positive("rw", rw))


def segment_conductance_pdf(g: float | np.ndarray, density: float, rw: float = 1.0) -> float | np.ndarray:
    """Eq. (14): PDF of the conductance of a wire segment, ``f₃(g) = κ/g² · exp(−κ/g)``, ``κ = 2nl²/(πRw)``.

    Examples
    --------
    >>> from scipy.integrate import quad
    >>> round(quad(segment_conductance_pdf, 0, float("inf"), args=(10.0,))[0], 10)
    1.0
    """
    kappa = segment_scale(density, rw)
    g = np.asarray(g, dtype=float)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        out = np.where(g > 0, kappa / g**2 * np.exp(-kappa / np.where(g > 0, g, 1.0)), 0.0)
    return out[()] if out.ndim == 0 else out


def _closure_fraction_ok(density: float) -> None:
    if density <= math.pi / 2:
        raise InvalidInputError(
            f"density n l² = {density!r} <= π/2: fewer than one contact per wire on average (Eq. 5), "
            "the closure edge fractions of Eqs. (8)-(9) are negative; use a larger density"
        )


def three_regular_distribution(
    density: float, rw: float = 1.0, rj: float = 1.0, *, closure_factor: bool = True
) -> ConductanceMixture:
    """Eq. (15): edge conductances of the 3-regular closure of a random nanowire network.

    Junctions ``1/Rj`` with weight 1/3, closure edges ``0`` with weight ``π/(3 n l²)`` (Eq. 9), segments
    from Eq. (14) with weight ``2/3 − π/(3 n l²)`` (Eq. 8). With ``closure_factor=False`` the closure edges
    are left out (weights 1/3 and 2/3): this is the variant of Eq. (21) without ``(1 − π/(2 n l²))⁻¹``.
    """
    density, rw = positive("density", density), positive("rw", rw)
    rj = nonnegative("rj", rj)
    closure = math.pi / (3 * density) if closure_factor else 0.0
    if closure_factor:
        _closure_fraction_ok(density)
    junction = math.inf if rj == 0 else 1 / rj
    kappa = segment_scale(density, rw)
    return ConductanceMixture(
        atoms=((junction, 1 / 3), (0.0, closure)),
        density=lambda g: segment_conductance_pdf(g, density, rw),
        density_weight=1 - 1 / 3 - closure,
        scale=kappa,
    )


def seamless_distribution(density: float, rw: float = 1.0, *, closure_factor: bool = True) -> ConductanceMixture:
    """Eq. (27): the 4-regular closure of a seamless network: closure edges ``π/(2 n l²)``, segments the rest."""
    density, rw = positive("density", density), positive("rw", rw)
    closure = math.pi / (2 * density) if closure_factor else 0.0
    if closure_factor:
        _closure_fraction_ok(density)
    return ConductanceMixture(
        atoms=((0.0, closure),),
        density=lambda g: segment_conductance_pdf(g, density, rw),
        density_weight=1 - closure,
        scale=segment_scale(density, rw),
    )


def lattice_distribution(density: float, rw: float = 1.0) -> ConductanceMixture:
    """Every edge a segment of Eq. (13)/(14): the lattices of the paper's Fig. 3 (``n = π/(2⟨l⟩)``)."""
    return seamless_distribution(density, rw, closure_factor=False)


def _equal_weight_values(name: str, value, n: int) -> np.ndarray:
    """Equal-weight representative resistances (ohm): a number, samples, or a distribution's quantiles."""
    if hasattr(value, "quantiles"):
        return np.asarray(value.quantiles(n), dtype=float)
    values = np.atleast_1d(np.asarray(value, dtype=float)).ravel()
    if not len(values) or np.any(~np.isfinite(values)) or np.any(values < 0):
        raise InvalidInputError(f"{name} must be finite resistances >= 0 (ohm), got {value!r}")
    return values


def disordered_three_regular_distribution(
    density: float, rw, rj, *, closure_factor: bool = True, n_quantiles: int = 256
) -> ConductanceMixture:
    """Eq. (15) with disorder: the 3-regular closure when wire and junction resistances are distributed.

    Junctions carry ``1/Rj`` with ``Rj`` from its distribution (weight 1/3 in all); each segment is a wire
    piece of exponential length (Eq. 11) on a wire of whole-wire resistance ``Rw`` from its distribution, so
    the segment density is Eq. (14) averaged over ``Rw``: ``f(g) = ⟨κ/g² exp(−κ/g)⟩_Rw``, ``κ = 2nl²/(π Rw)``.
    Closure edges as in Eq. (9). Wire and junction disorder are independent, as Eq. (3) assumes.

    Parameters
    ----------
    density : float
        ``n l²``.
    rw : float, array_like or distribution
        Whole-wire resistance ``Rw`` (ohm, > 0): one value, equal-weight samples (e.g. ``rw l`` of every
        stick), or an object with ``quantiles(n)``.
    rj : float, array_like or distribution
        Junction resistance (ohm, >= 0): one value, samples, or a distribution with ``quantiles(n)``
        (:class:`~nanograph.model.LogNormalResistance`, ...).
    closure_factor : bool
        Keep the closure edges (Eq. 9), as in :func:`three_regular_distribution`.
    n_quantiles : int
        Representative values per distribution (mid-quantiles).

    Returns
    -------
    ConductanceMixture

    Examples
    --------
    With one value each it is Eq. (21):

    >>> mix = disordered_three_regular_distribution(20.0, 1.0, 2.0)
    >>> round(effective_conductance(mix, 3).g_m / three_regular_gm(20.0, 1.0, 2.0), 10)
    1.0
    """
    density = positive("density", density)
    wires = _equal_weight_values("rw", rw, n_quantiles)
    if np.any(wires <= 0):
        raise InvalidInputError("rw: whole-wire resistances must be > 0 (ohm)")
    junctions = _equal_weight_values("rj", rj, n_quantiles)
    closure = math.pi / (3 * density) if closure_factor else 0.0
    if closure_factor:
        _closure_fraction_ok(density)
    with np.errstate(divide="ignore"):
        g_junction = np.where(junctions > 0, 1 / np.where(junctions > 0, junctions, 1.0), math.inf)
    kappas = 2 * density / (math.pi * wires)

    def segment_pdf(g: np.ndarray) -> np.ndarray:
        g = np.asarray(g, dtype=float)[..., None]
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            values = np.where(g > 0, kappas / g**2 * np.exp(-kappas / np.where(g > 0, g, 1.0)), 0.0)
        return values.mean(axis=-1)

    atoms = tuple((float(g), 1 / 3 / len(g_junction)) for g in g_junction) + ((0.0, closure),)
    return ConductanceMixture(
        atoms=atoms, density=segment_pdf, density_weight=1 - 1 / 3 - closure, scale=float(np.median(kappas))
    )


def disordered_three_regular_gm(density: float, rw, rj, *, closure_factor: bool = True) -> float:
    """EMT edge conductance ``g_m`` (S) of the 3-regular closure with distributed ``Rw`` and ``Rj``.

    The root of Eq. (3) (``z = 3``) for :func:`disordered_three_regular_distribution`; equal to Eq. (21) when
    both are single values.

    Parameters
    ----------
    density : float
        ``n l²`` (> π with the closure edges).
    rw : float, array_like or distribution
        Whole-wire resistance ``Rw`` (ohm): one value, equal-weight samples, or an object with ``quantiles(n)``.
    rj : float, array_like or distribution
        Junction resistance (ohm), likewise.
    closure_factor : bool
        Keep the closure edges of Eq. (9).

    Returns
    -------
    float
        ``g_m`` (S).

    Examples
    --------
    Log-normal junctions at a fixed median raise the mean junction conductance ``⟨1/Rj⟩ = e^{σ²/2}/median``,
    and ``g_m`` with it (by less: Eq. 3 weights the small conductances more than an arithmetic mean does):

    >>> from nanograph.model import LogNormalResistance
    >>> g0 = disordered_three_regular_gm(30.0, 1.0, 1.0)
    >>> g1 = disordered_three_regular_gm(30.0, 1.0, LogNormalResistance(1.0, 1.0))
    >>> 1 < g1 / g0 < math.exp(0.5)
    True
    """
    mix = disordered_three_regular_distribution(density, rw, rj, closure_factor=closure_factor)
    return effective_conductance(mix, 3).g_m


# --- Closed forms ------------------------------------------------------------------------------------------


def _solve_decreasing(func: Callable[[float], float], start: float) -> float:
    """Root of a function of ``g_m`` that decreases from positive to negative, searched on ``log g_m``."""
    lo = hi = math.log(start)
    while func(math.exp(lo)) <= 0:
        lo -= math.log(10)
    while func(math.exp(hi)) >= 0:
        hi += math.log(10)
    return math.exp(optimize.brentq(lambda t: func(math.exp(t)), lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps))


def _closure_factor(density: float, equation: str, fix: str) -> float:
    """The closure factor ``(1 − π/(2 n l²))⁻¹`` of Eqs. (21) and (28); those have no root for ``n l² <= π``."""
    if density <= math.pi:
        raise InvalidInputError(f"{equation} has no root for n l² <= π (got density = {density!r}): {fix}", "density")
    return 1 / (1 - math.pi / (2 * density))


def three_regular_gm(density: float, rw: float = 1.0, rj: float = 1.0, *, closure_factor: bool = True) -> float:
    """Eq. (21): ``g_m`` of the 3-regular closure of a random nanowire network (S).

    ``2a E_1(2a) e^{2a} = (g_m Rj + 1)/(g_m Rj + 2) · (1 − π/(2 n l²))⁻¹`` with ``a = 2 n l²/(π Rw g_m)``.

    Parameters
    ----------
    density : float
        ``n l²`` (dimensionless); must exceed π with the factor.
    rw, rj : float
        Wire resistance (ohm, whole wire, > 0) and junction resistance (ohm, >= 0).
    closure_factor : bool
        Keep the factor ``(1 − π/(2 n l²))⁻¹`` (the paper's equation, exact for its Eq. 15 distribution).
        ``False`` drops it (the closure edges neglected): the variant that reproduces Table 2.

    Returns
    -------
    float
        The EMT edge conductance ``g_m`` (siemens) of the 3-regular closure.

    Raises
    ------
    InvalidInputError
        For ``n l² <= π`` with the factor: the right-hand side exceeds 1 > left-hand side, no root.

    Examples
    --------
    >>> round(three_regular_gm(1e9, rw=1.0, rj=0.0) / (2e9 / math.pi), 5)   # Eq. (22): 3.27838
    3.27838
    """
    density, rw = positive("density", density), positive("rw", rw)
    rj = nonnegative("rj", rj)
    factor = 1.0
    if closure_factor:
        factor = _closure_factor(density, "Eq. (21)", "the right-hand side is at least (1/2)(1 - π/(2 n l²))⁻¹ >= 1 > "
                                 "left-hand side; use density > π or closure_factor=False")  # fmt: skip
    kappa = segment_scale(density, rw)

    def excess(gm: float) -> float:
        x = gm * rj
        return float(scaled_exp1(2 * kappa / gm)) - (x + 1) / (x + 2) * factor

    return _solve_decreasing(excess, kappa)


def three_regular_rw0_gm(density: float, rj: float = 1.0) -> float:
    """The ``Rw → 0`` limit of Eq. (21): ``g_m Rj = 2 n l²/π − 2`` (S).

    As ``Rw → 0`` the segment term ``2a E_1(2a) e^{2a} → 1``, so ``(x + 1)/(x + 2) = 1 − π/(2 n l²)``.
    This differs from the paper's Eq. (26), which drops the segment term instead of taking its limit
    (infinitely conducting segments contribute −1 each to Eq. 3, not 0). Positive for ``n l² > π``.

    Examples
    --------
    >>> round(three_regular_rw0_gm(10 * math.pi, rj=1.0), 12)
    18.0
    """
    density, rj = positive("density", density), positive("rj", rj)
    if density <= math.pi:
        raise InvalidInputError(f"g_m Rj = 2 n l²/π - 2 is not positive for n l² <= π (got {density!r})")
    return (2 * density / math.pi - 2) / rj


def junction_only_gm(density: float, rj: float = 1.0) -> float:
    """Eq. (26), the paper's ``Rw = 0`` result: ``g_m Rj = (n l² − 2π)/(n l² + π)`` (S).

    Obtained from Eq. (19) by deleting the segment term (Eq. 25); it saturates at ``1/Rj`` and is not the
    ``Rw → 0`` limit of Eq. (21) (see :func:`three_regular_rw0_gm`). Positive for ``n l² > 2π``.

    Examples
    --------
    >>> round(junction_only_gm(5 * math.pi, rj=2.0), 12)   # (5π − 2π)/(5π + π)/2
    0.25
    """
    density, rj = positive("density", density), positive("rj", rj)
    if density <= 2 * math.pi:
        raise InvalidInputError(f"Eq. (26) gives g_m <= 0 for n l² <= 2π (got density = {density!r})")
    return (density - 2 * math.pi) / (density + math.pi) / rj


def large_rj_gm(density: float, rw: float = 1.0, rj: float = 1.0) -> float:
    """Eq. (24), large ``Rj``: ``g_m = sqrt(4 n l²/(π Rj Rw))`` (S), i.e. ``sqrt(2 κ/Rj)``.

    Follows from Eq. (21) without the closure factor when ``g_m ≪ κ`` (``2a E_1(2a) e^{2a} ≈ 1 − 1/(2a)``)
    and ``g_m Rj ≫ 2``.
    """
    return math.sqrt(4 * positive("density", density) / (math.pi * positive("rj", rj) * positive("rw", rw)))


def seamless_gm(density: float, rw: float = 1.0, *, closure_factor: bool = True) -> float:
    """Eq. (28): ``g_m`` of the 4-regular closure of a seamless network (``Rj = 0``) (S).

    ``b E_1(b) e^b = ½ (1 − π/(2 n l²))⁻¹`` with ``b = 2 n l²/(π Rw g_m)``.

    Parameters
    ----------
    density : float
        ``n l² > 0`` (``> π`` with the closure factor).
    rw : float
        Resistance of a whole wire ``Rw`` (ohm).
    closure_factor : bool
        Keep the factor ``(1 − π/(2 n l²))⁻¹`` of the closure; without it Eq. (28) is the square lattice
        of :func:`lattice_gm` (``z = 4``).

    Returns
    -------
    float
        ``g_m`` (S).

    Examples
    --------
    >>> round(seamless_gm(1e9) / (2e9 / math.pi), 5)   # Eq. (29): 1.63919
    1.63919
    """
    density, rw = positive("density", density), positive("rw", rw)
    factor = 1.0
    if closure_factor:
        factor = _closure_factor(density, "Eq. (28)", "use density > π or closure_factor=False (the square lattice: "
                                 "the 4-regular form without the factor)")  # fmt: skip
    kappa = segment_scale(density, rw)
    return _solve_decreasing(lambda gm: float(scaled_exp1(kappa / gm)) - 0.5 * factor, kappa)


def lattice_gm(density: float, z: float, rw: float = 1.0) -> float:
    """EMT ``g_m`` of a ``z``-regular lattice whose edges are all segments of Eq. (13) (S).

    Eq. (3) with ``c = z/2 − 1`` reduces to ``β e^β E_1(β) = 1/(1 + c) = 2/z`` with ``β = κ/(c g_m)``. For
    ``z = 4`` this is Eq. (28) without the closure factor: ``g_m = 1.63919 κ = 1.0435 n`` at ``Rw = 1``.

    Parameters
    ----------
    density : float
        Density ``n l² > 0`` setting the segment conductance scale ``κ`` of Eq. (13).
    z : float
        Node degree of the lattice (``> 2``; :data:`LATTICE_DEGREE` lists the paper's lattices).
    rw : float
        Resistance of a whole wire ``Rw`` (ohm).

    Returns
    -------
    float
        ``g_m`` (S).

    Examples
    --------
    >>> round(lattice_gm(1.0, z=4) / 1.0, 4)    # Fig. 3: 1.0435 n
    1.0435
    """
    z = _degree(z)
    kappa = segment_scale(density, rw)
    c = z / 2 - 1
    beta = optimize.brentq(lambda b: float(scaled_exp1(b)) - 2 / z, 1e-12, 1e3, xtol=1e-15, rtol=1e-15)
    return kappa / (c * beta)


def lattice_sheet_conductance(lattice: str, g: float) -> float:
    """Sheet conductance (S per square) of ``lattice`` with identical edges ``g`` (S); see LATTICE_SHEET_FACTOR."""
    if lattice not in LATTICE_SHEET_FACTOR:
        raise InvalidInputError(f"lattice must be one of {sorted(LATTICE_SHEET_FACTOR)}, got {lattice!r}")
    return LATTICE_SHEET_FACTOR[lattice] * g


def large_density_constant(z: int = 3) -> float:
    """Exact large-density constant ``C`` of ``g_m Rw = C · 2 n l²/π`` at ``Rj = 0``: Eqs. (22) and (29).

    Both reduce to ``β e^β E_1(β) = 1/2``: ``C = 2/β* = 3.27838`` for the 3-regular closure (Eq. 22,
    printed 3.275) and ``C = 1/β* = 1.63919`` for the seamless 4-regular closure (Eq. 29, printed 1.637).

    Parameters
    ----------
    z : {3, 4}
        Degree of the regular closure: 3 for junction-resistance networks (Eq. 22), 4 for seamless ones (Eq. 29).

    Returns
    -------
    float
        ``C`` (dimensionless): ``g_m Rw / (2 n l²/π)`` as ``n l² → ∞``.

    Raises
    ------
    InvalidInputError
        If ``z`` is not 3 or 4.

    Examples
    --------
    >>> round(large_density_constant(3), 5), round(large_density_constant(4), 5)
    (3.27838, 1.63919)
    """
    if z not in (3, 4):
        raise InvalidInputError(f"z must be 3 (Eq. 22) or 4 (Eq. 29), got {z!r}")
    beta = optimize.brentq(lambda b: float(scaled_exp1(b)) - 0.5, 1e-6, 10.0, xtol=1e-15, rtol=1e-15)
    return (2.0 if z == 3 else 1.0) / beta


def table2_fit(
    rj: float,
    *,
    x_range: tuple[float, float] = (10.0, 200.0),
    n_points: int = 20,
    rw: float = 1.0,
    closure_factor: bool = False,
) -> tuple[float, float]:
    """Least-squares fit of Eq. (23), ``log10 g_m = A log10(4 n l²/(π Rw)) + B``, to Eq. (21): Table 2.

    The paper does not state the density range of its fit. ``x = 4 n l²/(π Rw)`` log-spaced over
    ``x_range = (10, 200)`` (``n l²`` from 7.9 to 157 at ``Rw = 1``) with Eq. (21) *without* the closure factor
    reproduces every row of Table 2 (``A`` within 0.003, ``B`` within 0.006); with the factor the slopes come
    out ≈ 0.71–1.05 (``FORMULAS.md`` §D).

    Returns
    -------
    (A, B) : (float, float)

    Examples
    --------
    >>> a, b = table2_fit(100.0)
    >>> round(a, 3), round(b, 3)          # Table 2 prints 0.501, -1.001
    (0.5, -1.001)
    """
    lo, hi = (positive("x_range", v) for v in x_range)
    if not (lo < hi and n_points >= 2):
        raise InvalidInputError(f"x_range must be increasing and n_points >= 2, got {x_range!r}, {n_points!r}")
    x = np.logspace(math.log10(lo), math.log10(hi), int(n_points))
    gm = [three_regular_gm(math.pi * rw * xi / 4, rw, rj, closure_factor=closure_factor) for xi in x]
    slope, intercept = np.polyfit(np.log10(x), np.log10(gm), 1)
    return float(slope), float(intercept)
