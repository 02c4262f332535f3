"""Finite-size extrapolation ``y(L) = y_inf + a L^(-w)`` and the statistics to decide against a reference.

Used to close the papers' open discrepancies (``docs/theory/*.md``, sections "Open discrepancies,
decided"): the percolation threshold of sticks, estimated at several box sides ``L``, and lattice
conductivities whose boundary layers shift them by ``O(1/L)``.

* :func:`fit_finite_size` -- weighted least squares of ``y_inf + a L^(-w)``, with ``w`` fixed (linear) or
  fitted (three parameters, Gauss--Newton via :func:`scipy.optimize.curve_fit`), the goodness of fit and its
  p-value.
* :func:`pooled_crossing_density` -- the universal-crossing threshold estimator (Newman & Ziff 2001) from
  several first-percolation counts per realization (wrapping along x and along y of one torus): the mean of
  their canonical probabilities crosses the universal value, and the error comes from the spread of that
  per-realization mean, so the correlation of the counts is accounted for.
* :func:`runs_to_resolve` -- how many realizations make a difference ``z`` standard errors large.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nanograph.errors import InvalidInputError

__all__ = ["FiniteSizeFit", "fit_finite_size", "pooled_crossing_density", "runs_to_resolve"]


@dataclass(frozen=True)
class FiniteSizeFit:
    """Result of :func:`fit_finite_size`: ``y(L) = limit + amplitude * L^(-exponent)``.

    Attributes
    ----------
    limit, limit_error : float
        ``y_inf`` and its standard error (from the inverse Fisher matrix with the given errors).
    amplitude, amplitude_error : float
        ``a`` and its standard error.
    exponent, exponent_error : float
        ``w``; its error is 0 when it was fixed.
    chi2, dof : float, int
        Weighted residual sum of squares and degrees of freedom (sizes minus fitted parameters).
    p_value : float
        Probability of a ``chi2`` at least this large if the form holds (NaN when ``dof = 0``).
    sizes : tuple of float
        The sizes fitted.
    """

    limit: float
    limit_error: float
    amplitude: float
    amplitude_error: float
    exponent: float
    exponent_error: float
    chi2: float
    dof: int
    p_value: float
    sizes: tuple[float, ...]

    def z_score(self, reference: float) -> float:
        """``(reference - limit) / limit_error``: how many standard errors ``reference`` lies from the limit."""
        return (reference - self.limit) / self.limit_error

    def as_dict(self) -> dict:
        """Plain-number dict (JSON)."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def _arrays(sizes, values, errors) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    size, y, s = (np.asarray(a, dtype=float).ravel() for a in (sizes, values, errors))
    if not (len(size) == len(y) == len(s)):
        raise InvalidInputError("sizes, values and errors must have the same length")
    if np.any(~np.isfinite(size)) or np.any(size <= 0):
        raise InvalidInputError(f"sizes must be positive finite box sides, got {size.tolist()}")
    if np.any(~np.isfinite(s)) or np.any(s <= 0):
        raise InvalidInputError(f"errors must be positive finite standard errors, got {s.tolist()}")
    if np.any(~np.isfinite(y)):
        raise InvalidInputError(f"values must be finite, got {y.tolist()}")
    return size, y, s


def _result(size, y, s, params, cov, exponent_fixed: float | None) -> FiniteSizeFit:
    from scipy import stats

    if exponent_fixed is None:
        limit, amp, w = params
        w_err = math.sqrt(cov[2, 2])
    else:
        (limit, amp), w, w_err = params, exponent_fixed, 0.0
    resid = (y - limit - amp * size**-w) / s
    chi2 = float(resid @ resid)
    dof = len(size) - len(params)
    p = float(stats.chi2.sf(chi2, dof)) if dof > 0 else math.nan
    return FiniteSizeFit(float(limit), float(math.sqrt(cov[0, 0])), float(amp), float(math.sqrt(cov[1, 1])),
                         float(w), float(w_err), chi2, int(dof), p, tuple(float(v) for v in size))  # fmt: skip


def fit_finite_size(
    sizes, values, errors, *, exponent: float | None = None, exponent_guess: float = 1.0
) -> FiniteSizeFit:
    """Weighted least-squares fit of ``y(L) = y_inf + a L^(-w)`` to finite-size estimates.

    Parameters
    ----------
    sizes : array_like
        Box sides ``L`` (> 0).
    values, errors : array_like
        Estimates ``y(L)`` and their standard errors (> 0), independent between sizes.
    exponent : float, optional
        Fixed correction exponent ``w`` (e.g. ``1/nu = 3/4`` for a percolation estimator that shifts like
        the correlation length, 1 for a boundary layer). Default: fit ``w`` too (needs three sizes; four or
        more for a goodness of fit).
    exponent_guess : float
        Starting value of ``w`` when it is fitted.

    Returns
    -------
    FiniteSizeFit
        The limit ``y_inf``, amplitude ``a`` and exponent ``w`` with standard errors (``absolute_sigma``:
        the errors are taken as known, not rescaled by ``chi2``), ``chi2``, degrees of freedom, p-value.

    Raises
    ------
    InvalidInputError
        Arrays of different lengths, non-positive sizes or errors, too few sizes for the parameters, or a
        fit of ``w`` that does not converge.

    Examples
    --------
    >>> fit = fit_finite_size([8, 16, 32, 64], [6.1, 5.85, 5.725, 5.6625], [0.01] * 4, exponent=1.0)
    >>> round(fit.limit, 6), round(fit.amplitude, 6), fit.dof
    (5.6, 4.0, 2)
    """
    from scipy import optimize

    size, y, s = _arrays(sizes, values, errors)
    if exponent is not None:
        if not (math.isfinite(exponent) and exponent > 0):
            raise InvalidInputError(f"exponent must be a positive finite number, got {exponent!r}")
        if len(size) < 2:
            raise InvalidInputError("fit_finite_size with a fixed exponent needs at least 2 sizes")
        design = np.column_stack([np.ones_like(size), size**-exponent]) / s[:, None]
        params, *_ = np.linalg.lstsq(design, y / s, rcond=None)
        return _result(size, y, s, params, np.linalg.inv(design.T @ design), float(exponent))
    if len(size) < 3:
        raise InvalidInputError("fit_finite_size with a fitted exponent needs at least 3 sizes")
    w0 = float(exponent_guess)
    x0 = size**-w0
    start_amp = np.polyfit(x0, y, 1, w=1 / s)
    try:
        params, cov = optimize.curve_fit(
            lambda L, c, a, w: c + a * L**-w, size, y, p0=[start_amp[1], start_amp[0], w0], sigma=s,
            absolute_sigma=True, maxfev=20000,
        )  # fmt: skip
    except (RuntimeError, optimize.OptimizeWarning) as err:
        raise InvalidInputError(f"fit_finite_size: the exponent fit did not converge ({err}); fix exponent") from None
    if not np.all(np.isfinite(cov)):
        raise InvalidInputError("fit_finite_size: the exponent is not determined by these sizes; fix exponent")
    return _result(size, y, s, params, cov, None)


def pooled_crossing_density(counts, unit: float, level: float) -> tuple[float, float]:
    """Density where the mean canonical percolation probability of several criteria equals ``level``.

    Realization ``r`` has first-percolation counts ``N*_rk`` for criteria ``k`` (e.g. wrapping along x and
    along y of a square torus, which share the universal value ``level`` by symmetry). In the canonical
    ensemble (Poisson number of sticks of mean ``n/unit``) criterion ``k`` holds with probability
    ``P_rk(n) = P(Poisson(n/unit) >= N*_rk)``; the estimator is the root of ``mean_rk P_rk(n) = level``
    (Newman & Ziff 2001). Its standard error is the spread of the per-realization means ``mean_k P_rk`` at
    the root over ``sqrt(runs)``, divided by the slope ``dP/dn``.

    Parameters
    ----------
    counts : array_like of int, shape (runs,) or (runs, k)
        First-percolation counts (>= 1), one column per criterion.
    unit : float
        Density ``<l>^2 / (Lx Ly)`` of one stick.
    level : float
        Probability at the threshold, in (0, 1).

    Returns
    -------
    density, error : float
        Crossing density ``n <l>^2`` and its standard error (NaN with one realization).

    Raises
    ------
    InvalidInputError
        Counts below 1, a non-positive ``unit`` or a ``level`` outside (0, 1).

    Examples
    --------
    >>> d, e = pooled_crossing_density([[10, 12], [12, 10]], unit=0.5, level=0.5)
    >>> 5.0 < d < 6.0
    True
    """
    from scipy import optimize, stats

    c = np.asarray(counts, dtype=float)
    c = c[:, None] if c.ndim == 1 else c
    if c.ndim != 2 or not c.size or np.any(c < 1):
        raise InvalidInputError("counts must be first-percolation counts >= 1, shape (runs,) or (runs, k)")
    if not (math.isfinite(unit) and unit > 0):
        raise InvalidInputError(f"unit must be a positive density of one stick, got {unit!r}")
    if not 0 < level < 1:
        raise InvalidInputError(f"level must lie in (0, 1), got {level!r}")

    def mean_p(density: float) -> np.ndarray:
        return stats.poisson.sf(c - 1, density / unit).mean(axis=1)

    lo, hi = c.min() * unit * 0.5, c.max() * unit * 1.5
    root = optimize.brentq(lambda d: mean_p(d).mean() - level, lo, hi, xtol=1e-12)
    runs = c.shape[0]
    spread = mean_p(root).std(ddof=1) / math.sqrt(runs) if runs > 1 else math.nan
    slope = stats.poisson.pmf(c - 1, root / unit).mean() / unit
    return float(root), float(spread / slope)


def runs_to_resolve(sd_per_run: float, difference: float, *, z: float = 3.0) -> int:
    """Realizations needed for ``difference`` to be ``z`` standard errors: ``ceil((z sd / difference)^2)``.

    Parameters
    ----------
    sd_per_run : float
        Standard deviation of one realization's value (of the difference, for paired samples).
    difference : float
        The effect to resolve (same unit).
    z : float
        Number of standard errors asked for.

    Returns
    -------
    int

    Examples
    --------
    >>> runs_to_resolve(0.3, 0.01, z=3)
    8100
    """
    if not (math.isfinite(sd_per_run) and sd_per_run > 0):
        raise InvalidInputError(f"sd_per_run must be a positive finite number, got {sd_per_run!r}")
    if not (math.isfinite(difference) and difference != 0):
        raise InvalidInputError(f"difference must be a non-zero finite number, got {difference!r}")
    return int(math.ceil((z * sd_per_run / abs(difference)) ** 2 - 1e-9))
