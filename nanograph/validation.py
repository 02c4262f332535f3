"""Validation of numbers and choices: the one home of nanograph's input checks.

Every check raises :class:`~nanograph.errors.InvalidInputError` with a one-line message that names the
Python parameter (``rj``, ``box``, ``density``, ...); the command line maps parameter names to its flags.
Text is read strictly (:func:`~nanograph.units.parse_number`: no ``_`` separators, no ``nan``), booleans
and complex numbers are refused rather than cast.

Examples
--------
>>> resistance("rj", "10")
10.0
>>> positive("box", -1)
Traceback (most recent call last):
...
nanograph.errors.InvalidInputError: box must be a finite number > 0, got -1
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.units import parse_number

__all__ = ["number", "positive", "nonnegative", "resistance", "choice", "count", "float_array"]


def number(name: str, value, *, low: float | None = None, strict_low: bool = False, unit: str = "") -> float:
    """``value`` as a finite float, optionally bounded below.

    Parameters
    ----------
    name : str
        The parameter (named in the error).
    value : float, int, numpy scalar or str
        The value; text is parsed strictly.
    low : float, optional
        Lower bound.
    strict_low : bool
        Whether ``low`` itself is excluded.
    unit : str
        Unit named in the error (e.g. ``"ohm"``).

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        Not a real number, not finite, or below the bound.
    """
    if isinstance(value, bool | complex | np.complexfloating) or (
        hasattr(value, "dtype") and value.dtype.kind not in "iuf"
    ):
        raise InvalidInputError(f"{name} must be a real number, got {value!r}")
    if isinstance(value, str):
        result = parse_number(value, name)
    else:
        try:
            result = float(value)
        except (TypeError, ValueError):
            raise InvalidInputError(f"{name} must be a number, got {value!r}") from None
    bound = ""
    if low is not None:
        bound = f" {'>' if strict_low else '>='} {low:g}"
    bad = not math.isfinite(result) or (low is not None and (result < low or (strict_low and result == low)))
    if bad:
        suffix = f" ({unit})" if unit else ""
        raise InvalidInputError(f"{name} must be a finite number{bound}{suffix}, got {value!r}")
    return result


def positive(name: str, value, unit: str = "") -> float:
    """``value`` as a finite float ``> 0`` (see :func:`number`)."""
    return number(name, value, low=0.0, strict_low=True, unit=unit)


def nonnegative(name: str, value, unit: str = "") -> float:
    """``value`` as a finite float ``>= 0`` (see :func:`number`)."""
    return number(name, value, low=0.0, unit=unit)


def resistance(name: str, value) -> float:
    """A resistance (ohm): finite and ``>= 0``; 0 merges the nodes it joins."""
    return nonnegative(name, value, unit="ohm")


def count(name: str, value) -> int:
    """A non-negative integer (booleans and non-integral floats refused)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer | float):
        raise InvalidInputError(f"{name} must be a non-negative integer, got {value!r}")
    if not math.isfinite(value) or int(value) != value or value < 0:
        raise InvalidInputError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def choice(name: str, value, choices: Iterable[str]) -> str:
    """``value`` if it is one of ``choices``."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        raise InvalidInputError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def float_array(name: str, value, *, length: int | None = None, low: float | None = 0.0, what: str = "") -> np.ndarray:
    """A 1-D float array (copied, read-only), each entry finite and ``>= low``.

    Parameters
    ----------
    name : str
        The parameter (named in the error).
    value : array_like
        The values.
    length : int, optional
        The required length; ``what`` says what the entries are aligned with.
    low : float or None
        Lower bound of every entry (default 0); None for none.
    what : str
        What one entry belongs to, for the error (e.g. ``"junction of find_contacts(sticks)"``).

    Returns
    -------
    ndarray of float, read-only
    """
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":
        raise InvalidInputError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    array = np.array(array, dtype=float, copy=True).reshape(-1) if array.ndim <= 1 else array
    if array.ndim != 1:
        raise InvalidInputError(f"{name} must be one-dimensional, got shape {np.shape(value)}")
    if length is not None and len(array) != length:
        raise InvalidInputError(f"{name} has {len(array)} values, expected {length} (one per {what or 'entry'})")
    bad = ~np.isfinite(array) | ((array < low) if low is not None else False)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        bound = "" if low is None else f" and >= {low:g}"
        raise InvalidInputError(f"{name}[{i}] = {float(array[i])!r} must be finite{bound}", name)
    array.flags.writeable = False
    return array
