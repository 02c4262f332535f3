"""Optics of a nanowire film: area fraction, transmittance and the figures of merit.

- **Area fraction** ``AF``: the fraction of the film covered by wires seen from above. Counting every wire,
  ``AF₀ = Σ_k D_k l_k / A`` (``N D ⟨l⟩ / A`` for equal wires). Overlaps removed exactly to first order from
  the junctions: two wires of diameters ``D_i, D_j`` crossing at angle ``θ`` overlap on a rhombus of area
  ``D_i D_j / |sin θ|``, so ``AF = AF₀ − Σ_junctions D_i D_j / (|sin θ_ij| A)`` (triple overlaps, of order
  ``AF³``, neglected).
- **Transmittance** ``T = exp(−Q_ext · AF)``: Beer–Lambert attenuation of the projected wire area with the
  extinction efficiency ``Q_ext`` (``DEFAULT_Q_EXT`` and its sources in :mod:`nanograph.published.materials`).
- **Bulk figure of merit** (S. De, J. N. Coleman, *ACS Nano* 4, 2713 (2010), Eq. 1 inverted):
  ``σ_DC/σ_op = Z₀ / (2 R_s (T^−½ − 1))``, ``Z₀ = 376.73`` ohm.
- **Percolative figure of merit** (S. De, P. J. King, P. E. Lyons, U. Khan, J. N. Coleman, *ACS Nano* 4,
  7064 (2010), Eq. 4): in the percolative regime ``T = [1 + (1/Π) (Z₀/R_s)^{1/(n+1)}]^−2``; :func:`percolative_fit`
  fits ``Π`` and the percolation exponent ``n`` to an ``(R_s, T)`` curve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nanograph import validation
from nanograph.errors import InvalidInputError
from nanograph.published.materials import DEFAULT_Q_EXT, Z0_OHM

__all__ = ["area_fraction", "transmittance", "figure_of_merit", "PercolativeFit", "percolative_fit"]


def area_fraction(sticks, contacts=None, *, overlaps: bool = True) -> float:
    """Fraction of the box covered by the wires (projected area over box area).

    Parameters
    ----------
    sticks : Sticks
        Sticks with diameters (:attr:`Sticks.diameter`, box units; a film's sticks have them).
    contacts : Contacts, optional
        Junctions of the sticks (:func:`~nanograph.geometry.contacts.find_contacts`), needed to remove the
        overlaps; searched when not given.
    overlaps : bool
        Remove the junction overlaps (default) or count every wire fully (``N D ⟨l⟩ / A``).

    Returns
    -------
    float
        The area fraction (dimensionless, in ``[0, 1)`` for real films).

    Raises
    ------
    InvalidInputError
        If the sticks carry no diameters.

    Examples
    --------
    >>> import numpy as np
    >>> from nanograph.geometry.sticks import Sticks
    >>> s = Sticks([[0, 1, 2, 1], [1, 0, 1, 2]], box=2, diameter=np.array([0.1, 0.1]))
    >>> round(area_fraction(s, overlaps=False), 6), round(area_fraction(s), 6)   # 0.4/4, minus 0.01/4
    (0.1, 0.0975)
    """
    d = np.asarray(sticks.diameter, dtype=float)
    if len(d) and np.any(np.isnan(d)):
        raise InvalidInputError("sticks: area_fraction needs the diameter of every stick (sticks of a Film have them)")
    area = sticks.box[0] * sticks.box[1]
    covered = float(np.dot(d, sticks.lengths))
    if overlaps and len(d):
        if contacts is None:
            from nanograph.geometry.contacts import find_contacts

            contacts = find_contacts(sticks)
        i, j = contacts.stick_i, contacts.stick_j
        sin = np.abs(np.sin(sticks.angles[i] - sticks.angles[j]))
        with np.errstate(divide="ignore"):
            rhombus = np.where(sin > 0, d[i] * d[j] / np.maximum(sin, 1e-300), 0.0)
        # A rhombus cannot exceed the shorter of the two wire areas it belongs to.
        cap = np.minimum(d[i] * sticks.lengths[i], d[j] * sticks.lengths[j])
        covered -= float(np.sum(np.minimum(rhombus, cap)))
    return covered / area


def transmittance(area_fraction: float | np.ndarray, q_ext: float = DEFAULT_Q_EXT) -> float | np.ndarray:
    """Optical transmittance ``T = exp(−Q_ext · AF)`` of a film of area fraction ``AF``.

    Parameters
    ----------
    area_fraction : float or ndarray
        ``AF`` (dimensionless, >= 0).
    q_ext : float
        Extinction efficiency of a wire (dimensionless, > 0); see :mod:`nanograph.published.materials`.

    Returns
    -------
    float or ndarray
        ``T`` in ``(0, 1]``.

    Examples
    --------
    >>> round(transmittance(0.05, q_ext=2.0), 6)
    0.904837
    """
    q = validation.positive("q_ext", q_ext)
    af = np.asarray(area_fraction, dtype=float)
    if np.any(~np.isfinite(af)) or np.any(af < 0):
        raise InvalidInputError(f"area_fraction must be finite and >= 0, got {area_fraction!r}")
    out = np.exp(-q * af)
    return float(out) if out.ndim == 0 else out


def figure_of_merit(sheet_resistance: float | np.ndarray, transmittance: float | np.ndarray) -> float | np.ndarray:
    """De–Coleman bulk figure of merit ``σ_DC/σ_op = Z₀ / (2 R_s (T^−½ − 1))``.

    Parameters
    ----------
    sheet_resistance : float or ndarray
        ``R_s`` (ohm/sq), > 0.
    transmittance : float or ndarray
        ``T`` in ``(0, 1)``.

    Returns
    -------
    float or ndarray
        The dimensionless figure of merit (inf for ``T = 1``, NaN where ``R_s`` is infinite).

    Examples
    --------
    >>> round(figure_of_merit(10.0, 0.9), 2)       # 376.73 / (2 * 10 * (0.9**-0.5 - 1))
    348.23
    """
    rs = np.asarray(sheet_resistance, dtype=float)
    t = np.asarray(transmittance, dtype=float)
    if np.any(rs <= 0) or np.any(np.isnan(rs)):
        raise InvalidInputError(f"sheet_resistance must be > 0, got {sheet_resistance!r}")
    if np.any((t <= 0) | (t > 1)):
        raise InvalidInputError(f"transmittance must be in (0, 1], got {transmittance!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = Z0_OHM / (2 * rs * (t**-0.5 - 1))
    out = np.where(np.isinf(rs), np.nan, out)
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class PercolativeFit:
    """Fit of ``T^−½ − 1 = (1/Π) (Z₀/R_s)^{1/(n+1)}`` (De et al. 2010, Eq. 4).

    Attributes
    ----------
    figure_of_merit : float
        The percolative figure of merit ``Π`` (dimensionless).
    exponent : float
        The percolation exponent ``n``.
    n_points : int
        Points used.
    """

    figure_of_merit: float
    exponent: float
    n_points: int


def percolative_fit(sheet_resistance, transmittance) -> PercolativeFit:
    """Fit the percolative figure of merit ``Π`` and exponent ``n`` to an ``(R_s, T)`` curve.

    A straight line of ``log(T^−½ − 1)`` against ``log(Z₀/R_s)``: slope ``1/(n+1)``, intercept ``−log Π``.

    Parameters
    ----------
    sheet_resistance, transmittance : array_like
        At least two films (ohm/sq, and ``T`` in ``(0, 1)``), with finite ``R_s``.

    Returns
    -------
    PercolativeFit

    Examples
    --------
    >>> rs = np.array([10.0, 30.0, 100.0])
    >>> t = (1 + (1 / 20) * (376.730313668 / rs) ** (1 / 3)) ** -2      # Pi = 20, n = 2
    >>> fit = percolative_fit(rs, t)
    >>> round(fit.figure_of_merit, 6), round(fit.exponent, 6)
    (20.0, 2.0)
    """
    rs = np.asarray(sheet_resistance, dtype=float).ravel()
    t = np.asarray(transmittance, dtype=float).ravel()
    ok = np.isfinite(rs) & (rs > 0) & (t > 0) & (t < 1)
    if ok.sum() < 2 or len(np.unique(rs[ok])) < 2:
        raise InvalidInputError("percolative_fit needs at least two films with different finite sheet resistances")
    x = np.log(Z0_OHM / rs[ok])
    y = np.log(t[ok] ** -0.5 - 1)
    slope, intercept = np.polyfit(x, y, 1)
    if slope <= 0:
        raise InvalidInputError(
            "percolative_fit: T does not fall with 1/R_s; the films are not in the percolative regime"
        )
    return PercolativeFit(float(math.exp(-intercept)), float(1 / slope - 1), int(ok.sum()))
