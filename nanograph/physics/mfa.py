"""Mean-field approximation (MFA) for the conductivity of random stick networks with any orientation distribution.

All results are dimensionless: ``sigma (Rs + Rj)`` (sheet conductance times the resistance of one whole
stick, ``Rs``, plus one junction, ``Rj``), as a function of the density ``n l^2``, the resistance ratio
``Delta = Rs / Rj`` and the ODF, through ``<cos^2 alpha>`` and the mean number of contacts per stick
``<Nj> = n l^2 <|sin(alpha_1 - alpha_2)|>`` (Eq. 16).

A stick with ``Nj`` contacts carries, averaged over its ``Nj + 1`` segments, the current (Eq. 51)
``<i> = V0 l cos(alpha) / (L Rs) * B(Nj, Delta)``. With ``lambda_1 = exp(2x)``,
``sinh(x) = sqrt(Delta / (Nj + 1)) / 2`` (Eqs. 13-14), Eq. (50) simplifies to

    ``B(Nj, Delta) = [Nj - tanh(Nj x) / tanh(x)] / (Nj + 1)``,

which :func:`mean_current_factor` evaluates without overflow of ``lambda_1^Nj`` and without the
cancellation of ``1 - (2/Delta) A`` at small ``Delta`` (a Taylor series where ``Nj x < 0.02``).
``B(0) = B(1) = 0``: sticks with fewer than two contacts carry no current, as the paper notes.

Then (Eq. 54) ``sigma (Rs + Rj) = n l^2 (1 + Delta)/Delta <cos^2 alpha> E[B(Nj, Delta)]``:

* ``formula=10`` -- ``E`` over the binomial ``Bin(N, p = <Nj>/N)`` (``N`` sticks) or the Poisson
  (``<Nj>``) distribution of ``Nj``. The paper prints Eq. (10) as ``1 - (2/Delta) sum_{Nj>=2} f A``;
  that form equals Eq. (54) only if the sum starts at ``Nj = 0`` (since ``(2/Delta) A = 1`` for
  ``Nj = 0, 1``), which is what is computed here.
* ``formula=15`` -- ``Nj`` replaced by its mean ``<Nj>`` (the paper's working formula). Negative for
  ``<Nj> < 1``, where it has no meaning: :func:`mfa_conductivity` returns NaN there.
* ``formula=17`` -- the asymptotic form ``1 - 2/sqrt(Delta <Nj>) (1 + 3/(8 <Nj>))`` of the bracket:
  valid only for ``Delta <Nj> >> 1`` (it turns negative for small ``Delta``, where
  :func:`mfa_conductivity` returns NaN, and is not better than Eq. (15) at ``Delta = 1`` for ``n l^2 <= 100``).

``Rs = 0`` limit (Eqs. 56-67): ``sigma Rj = n l^2 <cos^2 alpha> E[Nj (Nj - 1)/(Nj + 1)] / 12``, which is
:func:`mfa_conductivity` at ``Delta -> 0``. With Poisson(``x = <Nj>``) contacts
``E[...] = D(x) = x - 2 + 2 (1 - e^{-x}) / x`` -- the printed Eq. (65) has the last sign wrong and
uses ``x = <cos^2 alpha> n l^2``; only ``x = <Nj>`` gives Eq. (67), ``sigma Rj = (n l^2)^2 / (12 pi)``
for isotropic sticks.

References
----------
Tarasevich, Eserkepov, Vodolazskaya, *Electrical conductivity of randomly placed linear wires: a mean
field approach*; equation numbers are the paper's. ``FORMULAS.md`` §B and §D list the slips.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from nanograph._lazy import lazy_module
from nanograph.errors import InvalidInputError
from nanograph.geometry.odf import OrientationDistribution, parse_odf
from nanograph.published.mfa import THRESHOLD_ISOTROPIC
from nanograph.validation import float_array, nonnegative, positive

stats = lazy_module("scipy.stats")

__all__ = [
    "MFA_FORMULAS",
    "mean_contacts",
    "mean_current_factor",
    "mfa_conductivity",
    "rs0_conductivity",
    "percolation_threshold_scaling",
    "backbone_fraction_finite",
    "backbone_fraction",
]

#: The MFA formulas of the paper that :func:`mfa_conductivity` evaluates.
MFA_FORMULAS = (10, 15, 17)

# tanh(sqrt(u))/sqrt(u) = sum_j _TANH_SERIES[j] u^j
_TANH_SERIES = np.array([1.0, -1 / 3, 2 / 15, -17 / 315, 62 / 2835, -1382 / 155925, 21844 / 6081075])


def _as_odf(odf) -> OrientationDistribution:
    return parse_odf(odf)


def _values(name: str, value, *, strict: bool = False) -> np.ndarray:
    """``value`` (a number or an array of any shape) as a float array whose every entry is finite and ``>= 0``
    (``> 0`` when ``strict``), checked by :mod:`nanograph.validation`."""
    check = positive if strict else nonnegative
    if np.ndim(value) == 0:
        return np.asarray(check(name, value))
    flat = float_array(name, np.ravel(value), low=None)  # real and finite
    bad = np.flatnonzero(flat <= 0 if strict else flat < 0)
    if len(bad):
        check(f"{name}[{int(bad[0])}]", float(flat[bad[0]]))  # raises, naming the entry
    return flat.reshape(np.shape(value))


def _scalar_or_array(value: np.ndarray):
    return float(value) if np.ndim(value) == 0 else value


def mean_contacts(density: ArrayLike, odf: str | OrientationDistribution = "isotropic") -> float | np.ndarray:
    """Mean number of contacts per stick ``<Nj> = n l^2 <|sin(alpha_1 - alpha_2)|>`` (MFA paper Eq. 16).

    Parameters
    ----------
    density : float or array_like
        Dimensionless density ``n l^2``.
    odf : str or OrientationDistribution
        Orientation distribution (spec string or object).

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> round(mean_contacts(10.0, "isotropic"), 10)   # 20/pi
    6.3661977237
    >>> mean_contacts(10.0, "cross:omega=0.5")
    5.0
    """
    return _scalar_or_array(_values("density", density) * _as_odf(odf).mean_abs_sin_difference)


def _tanh_ratio_deficit(n: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``n - tanh(n x)/tanh(x)`` for ``n >= 0``, ``x > 0``, accurate also where it is tiny (``n x -> 0``)."""
    out = np.empty(np.broadcast(n, x).shape)
    n, x = np.broadcast_arrays(n, x)
    small = np.maximum(n, 1.0) * x < 0.02
    ns, u = n[small], x[small] ** 2
    powers = u[:, None] ** np.arange(len(_TANH_SERIES))
    t_x = powers @ _TANH_SERIES
    # T(u) - T(n^2 u) = sum_j t_j u^j (1 - n^(2j)): no cancellation between the two series.
    diff = (powers[:, 1:] * (1 - ns[:, None] ** (2 * np.arange(1, len(_TANH_SERIES))))) @ _TANH_SERIES[1:]
    out[small] = ns * diff / t_x
    nl, xl = n[~small], x[~small]
    out[~small] = nl - np.tanh(nl * xl) / np.tanh(xl)
    return out


def mean_current_factor(n_contacts: ArrayLike, delta: ArrayLike) -> float | np.ndarray:
    """``B(Nj, Delta) = <i> L Rs / (V0 l cos alpha)``: segment-averaged current of a stick (MFA paper Eq. 50/51).

    ``B = 1 - (2/Delta) (lambda_1 - 1)(lambda_1^(Nj+1) - 1) / (lambda_1 (lambda_1^Nj + 1))`` with
    ``lambda_1`` from Eqs. (13)-(14), evaluated as ``[Nj - tanh(Nj x)/tanh(x)]/(Nj + 1)``,
    ``sinh x = sqrt(Delta/(Nj + 1))/2``: no overflow for any ``Nj`` and full relative accuracy as
    ``Delta -> 0`` (where ``B -> Delta Nj (Nj - 1) / (12 (Nj + 1))``) and ``Delta -> inf`` (where
    ``B -> (Nj - 1)/(Nj + 1)``).

    Parameters
    ----------
    n_contacts : float or array_like
        Number of contacts on the stick ``Nj >= 0`` (real values allowed, as in Eq. 15).
    delta : float or array_like
        ``Delta = Rs / Rj > 0``.

    Returns
    -------
    float or ndarray
        Zero for ``Nj = 0`` and ``Nj = 1``.

    Examples
    --------
    >>> [round(mean_current_factor(n, 1.0), 12) for n in (0, 1)]
    [0.0, 0.0]
    >>> round(mean_current_factor(50, 1e-9) / 1e-9, 7), round(50 * 49 / (12 * 51), 7)   # Delta -> 0
    (4.003268, 4.003268)
    """
    n = _values("n_contacts", n_contacts)
    d = _values("delta", delta, strict=True)
    x = np.arcsinh(0.5 * np.sqrt(d / (n + 1)))
    return _scalar_or_array(_tanh_ratio_deficit(n, x) / (n + 1))


def _contact_distribution(mean: np.ndarray, contacts: str, n_sticks: int | None, width: int):
    """``(k, pmf)`` of shape ``(M, width)`` covering all but ~1e-20 of each distribution's mass."""
    spread = 12 * np.sqrt(mean) + 30
    start = np.floor(np.maximum(mean - spread, 0))
    k = start[:, None] + np.arange(width)
    if contacts == "poisson":
        pmf = stats.poisson.pmf(k, mean[:, None])
    else:
        pmf = stats.binom.pmf(k, n_sticks, (mean / n_sticks)[:, None])
    return k, pmf


def mfa_conductivity(
    density: ArrayLike,
    delta: ArrayLike,
    odf: str | OrientationDistribution = "isotropic",
    *,
    formula: int | str = 15,
    contacts: str = "poisson",
    n_sticks: int | None = None,
) -> float | np.ndarray:
    """Dimensionless MFA conductivity ``sigma (Rs + Rj)`` (MFA paper Eqs. 10, 15, 17).

    ``sigma`` is the sheet conductance (S per square), ``Rs`` the resistance of one whole stick of
    length ``l`` (``rw l``), ``Rj`` one junction, ``Delta = Rs / Rj``. Broadcasts over ``density`` and
    ``delta``.

    Parameters
    ----------
    density : float or array_like
        ``n l^2 > 0``.
    delta : float or array_like
        ``Delta = Rs / Rj > 0`` (stable from 1e-9 to 1e9 and beyond).
    odf : str or OrientationDistribution
        Orientation distribution (enters through ``<cos^2 alpha>`` and ``<|sin(alpha_1 - alpha_2)|>``).
    formula : {10, 15, 17}
        10: average over the distribution of contacts per stick (Eq. 10 in the consistent form of
        Eq. 54); 15: contacts replaced by their mean (Eq. 15); 17: asymptotic form (Eq. 17, valid
        for ``Delta <Nj> >> 1`` only).
    contacts : {"poisson", "binomial"}
        Distribution of contacts for ``formula=10``: Poisson with mean ``<Nj>``, or ``Bin(N, <Nj>/N)``.
    n_sticks : int, optional
        ``N = n L^2``, the number of sticks, required for the binomial distribution.

    Returns
    -------
    float or ndarray
        ``sigma (Rs + Rj)``; NaN where the formula is outside its validity and would be negative:
        Eq. (15) for ``<Nj> < 1`` (a stick with fewer than one contact on average), Eq. (17) where its
        bracket ``1 - 2/sqrt(Delta <Nj>) (1 + 3/(8 <Nj>))`` is negative. Eq. (10) is valid everywhere.
        Values inside the validity are the paper's equations, unchanged.

    Raises
    ------
    InvalidInputError
        Non-positive density or ``delta``, unknown formula or contacts, binomial without ``n_sticks``.

    Examples
    --------
    >>> round(mfa_conductivity(50.0, 1.0, "cross:omega=0.5"), 6)
    28.663985
    >>> s = mfa_conductivity([10.0, 50.0], [[1e-6], [1e6]], formula=10)   # shape (2, 2)
    >>> s.shape
    (2, 2)
    >>> mfa_conductivity(1.0, 1.0)   # <Nj> = 2/pi < 1: Eq. (15) has no meaning
    nan
    """
    odf = _as_odf(odf)
    try:
        formula = int(formula)
    except (TypeError, ValueError):
        formula = -1
    if formula not in MFA_FORMULAS:
        raise InvalidInputError(f"formula must be one of {MFA_FORMULAS} (MFA paper equation), got {formula!r}")
    if contacts not in ("poisson", "binomial"):
        raise InvalidInputError(f"contacts must be 'poisson' or 'binomial', got {contacts!r}")
    n_l2 = _values("density", density, strict=True)
    d = _values("delta", delta, strict=True)
    n_l2, d = np.broadcast_arrays(n_l2, d)
    mean = n_l2 * odf.mean_abs_sin_difference
    prefactor = n_l2 * (1 + d) / d * odf.mean_cos2
    if formula == 15:
        result = np.where(mean >= 1, prefactor * mean_current_factor(mean, d), np.nan)
    elif formula == 17:
        with np.errstate(divide="ignore", invalid="ignore"):
            bracket = 1 - 2 / np.sqrt(d * mean) * (1 + 3 / (8 * mean))
        result = np.where(bracket >= 0, prefactor * bracket, np.nan)
    else:
        if contacts == "binomial":
            if n_sticks is None or int(n_sticks) != n_sticks or n_sticks < 2:
                raise InvalidInputError(
                    "n_sticks: the binomial distribution of contacts needs n_sticks = n L^2 >= 2, an int"
                )
            if np.any(mean > n_sticks):
                raise InvalidInputError(
                    f"n_sticks: mean contacts {mean.max():.4g} exceed n_sticks = {n_sticks}: use more sticks"
                )
        result = np.empty(mean.shape)
        flat_mean, flat_d, flat_out = mean.ravel(), d.ravel(), result.reshape(-1)
        width = int(np.ceil(2 * (12 * np.sqrt(flat_mean.max(initial=0)) + 30))) + 1
        for lo in range(0, flat_mean.size, 4096):
            part = slice(lo, lo + 4096)
            k, pmf = _contact_distribution(flat_mean[part], contacts, n_sticks, width)
            flat_out[part] = np.sum(pmf * mean_current_factor(k, flat_d[part, None]), axis=1)
        result = prefactor * result
    return _scalar_or_array(result)


def rs0_conductivity(
    density: ArrayLike, odf: str | OrientationDistribution = "isotropic", *, contacts: str = "poisson"
) -> float | np.ndarray:
    """``sigma Rj`` of perfectly conducting sticks, ``Rs = 0`` (MFA paper Eqs. 62-67, corrected).

    ``sigma Rj = n l^2 <cos^2 alpha> E[Nj (Nj - 1)/(Nj + 1)] / 12``, the ``Delta -> 0`` limit of
    :func:`mfa_conductivity`. ``contacts="poisson"`` gives Eqs. (64)-(66),
    ``E = D(x) = x - 2 + 2(1 - e^{-x})/x`` with ``x = <Nj>`` (Eq. 65 with its sign corrected and its mean
    ``<cos^2 alpha> n l^2`` replaced by ``<Nj>``, the only reading that gives Eq. 67) -- the limit of
    formula 10; ``contacts="mean"`` gives ``x (x - 1)/(x + 1)``, the limit of formula 15. Both tend to
    ``n l^2 <cos^2 alpha> <Nj> / 12`` (Eq. 67: ``(n l^2)^2 / (12 pi)`` for isotropic sticks).

    Parameters
    ----------
    density : float or array_like
        Dimensionless density ``n l^2 > 0``.
    odf : str or OrientationDistribution
        Orientation distribution (enters through ``<cos^2 alpha>`` and ``<|sin(alpha_1 - alpha_2)|>``).
    contacts : {"poisson", "mean"}
        ``"poisson"``: average over Poisson(``<Nj>``) contacts per stick (Eqs. 64-66, limit of Eq. 10);
        ``"mean"``: contacts replaced by their mean (limit of Eq. 15).

    Returns
    -------
    float or ndarray
        Dimensionless ``sigma Rj`` (``sigma`` the sheet conductance in S per square, ``Rj`` in ohm), with the
        shape of ``density``. With ``contacts="mean"`` it is negative for ``<Nj> < 1``.

    Raises
    ------
    InvalidInputError
        Non-positive or non-finite density, unknown ``contacts`` or ODF.

    Examples
    --------
    >>> round(rs0_conductivity(1000.0) / (1000.0**2 / (12 * math.pi)), 4)   # -> Eq. (67)
    0.9969
    """
    odf = _as_odf(odf)
    n_l2 = _values("density", density, strict=True)
    x = n_l2 * odf.mean_abs_sin_difference
    if contacts == "poisson":
        expectation = x - 2 - 2 * np.expm1(-x) / x
    elif contacts == "mean":
        expectation = x * (x - 1) / (x + 1)
    else:
        raise InvalidInputError(f"contacts must be 'poisson' or 'mean', got {contacts!r}")
    return _scalar_or_array(n_l2 * odf.mean_cos2 * expectation / 12)


def percolation_threshold_scaling(odf: str | OrientationDistribution, n0: float | None = None) -> float:
    """Percolation threshold ``n_c l^2 = n0 / <|sin(alpha_1 - alpha_2)|>`` (MFA paper Eq. 18).

    ``n0`` defaults to the value that reproduces the isotropic threshold of widthless sticks,
    ``5.6372858 x 2/pi`` (Mertens & Moore 2012). With it the perfect cross gets 7.18, while the
    paper quotes 6.1934 from simulation: Eq. (18) with one ``n0`` is only a scaling estimate.

    Parameters
    ----------
    odf : str or OrientationDistribution
        Orientation distribution (enters through ``<|sin(alpha_1 - alpha_2)|>``).
    n0 : float, optional
        Critical mean number of contacts per stick (dimensionless, > 0); default ``5.6372858 x 2/pi``.

    Returns
    -------
    float
        Estimated threshold ``n_c l^2`` (dimensionless density).

    Raises
    ------
    InvalidInputError
        Non-positive ``n0``, unknown ODF, or an ODF with ``<|sin(alpha_1 - alpha_2)|> = 0`` (parallel sticks).

    Examples
    --------
    >>> round(percolation_threshold_scaling("isotropic"), 7)
    5.6372858
    >>> round(percolation_threshold_scaling("cross:omega=0.5"), 3)
    7.178
    """
    if n0 is None:
        n0 = THRESHOLD_ISOTROPIC * 2 / math.pi
    n0 = float(_values("n0", n0, strict=True))
    mean = _as_odf(odf).mean_abs_sin_difference
    if mean <= 0:
        raise InvalidInputError("this ODF has <|sin(alpha_1 - alpha_2)|> = 0: parallel sticks never percolate")
    return n0 / mean


def _one_minus_two_over_x(x: np.ndarray) -> np.ndarray:
    """``1 - 2/x + (1 + 2/x) e^{-x} = 1 + e^{-x} - 2 (1 - e^{-x})/x``, with a series for small ``x``."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = 1 + np.exp(-x) + 2 * np.expm1(-x) / x
    j = np.arange(2, 9)
    coeff = (-1.0) ** j * (j - 1) / np.array([math.factorial(int(v) + 1) for v in j])
    series = (np.asarray(x)[..., None] ** j) @ coeff
    return np.where(x < 0.05, series, direct)


def backbone_fraction_finite(n_sticks: ArrayLike, p: ArrayLike) -> float | np.ndarray:
    """Backbone fraction of ``N`` sticks that meet pairwise with probability ``p`` (MFA paper Eq. 19).

    ``Pbb = 1 - 2/(N p) + (1 + 2(1 - p)/(N p)) (1 - p)^(N - 1)`` (Kim & Nam 2018): the expected
    fraction of a stick's length between its two extreme contacts.

    Parameters
    ----------
    n_sticks : float or array_like
        Number of sticks ``N > 0``.
    p : float or array_like
        Probability that two given sticks meet, in ``(0, 1]`` (``N p`` is about the mean contacts per stick).

    Returns
    -------
    float or ndarray
        ``Pbb`` (dimensionless fraction of stick length), broadcast over ``n_sticks`` and ``p``.

    Raises
    ------
    InvalidInputError
        Non-positive or non-finite ``n_sticks``, or ``p`` outside ``(0, 1]``.

    Examples
    --------
    >>> round(backbone_fraction_finite(100, 0.05), 6)   # N p = 5 contacts per stick
    0.6086
    """
    n = _values("n_sticks", n_sticks, strict=True)
    p = np.asarray(p, dtype=float)
    if not np.all((p > 0) & (p <= 1)):
        raise InvalidInputError(f"p must lie in (0, 1], got {p!r}")
    np_ = n * p
    tail = np.exp((n - 1) * np.log1p(-p)) if np.all(p < 1) else np.where(p < 1, (1 - p) ** (n - 1), 0.0)
    return _scalar_or_array(1 - 2 / np_ + (1 + 2 * (1 - p) / np_) * tail)


def backbone_fraction(density: ArrayLike, odf: str | OrientationDistribution = "isotropic") -> float | np.ndarray:
    """Backbone fraction of a dense network, ``Pbb = 1 - 2/x + (1 + 2/x) e^{-x}``, ``x = <Nj>`` (Eqs. 20/21).

    Eq. (20) is the isotropic case, ``x = 2 n l^2 / pi``. It ignores the percolation threshold; it
    agrees with simulations for ``n >~ 2 n_c``.

    Parameters
    ----------
    density : float or array_like
        Dimensionless density ``n l^2 >= 0``.
    odf : str or OrientationDistribution
        Orientation distribution; ``<Nj> = n l^2 <|sin(alpha_1 - alpha_2)|>`` (Eq. 21).

    Returns
    -------
    float or ndarray
        ``Pbb`` (dimensionless fraction of stick length in the backbone), with the shape of ``density``;
        0 at zero density.

    Raises
    ------
    InvalidInputError
        Negative or non-finite density, or unknown ODF.

    Examples
    --------
    >>> round(backbone_fraction(20.0), 6)   # Eq. (20): 1 - pi/20 + (1 + pi/20) exp(-40/pi)
    0.842924
    """
    x = _values("density", density) * _as_odf(odf).mean_abs_sin_difference
    return _scalar_or_array(_one_minus_two_over_x(x))
