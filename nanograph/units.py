"""Physical quantities with units: a small, strict parser for the inputs of a film.

Every physical input of nanograph may carry a unit, in Python and on the command line: ``"20um"``,
``"50 nm"``, ``"10ohm"``, ``"50mg/m^2"``, ``"1.59e-8 ohm*m"``, ``"10.49 g/cm^3"``. :func:`parse_quantity`
turns such a text into a number in SI units (metre, kilogram, ohm) after checking its dimension, so that
``length = "20ohm"`` is a one-line error naming ``length``.

Grammar: a number (``1``, ``-2.5``, ``.5``, ``1e-8``; no ``_`` separators, no hex, no ``nan``/``inf``)
followed, with or without a space, by a unit expression: factors joined by ``*``, ``·`` or a space and
divided by ``/`` (each ``/`` divides by the one factor after it), each factor a unit with an optional SI
prefix and an optional integer power ``^n`` or ``**n``. Units: ``m``, ``g``, ``ohm`` (also ``Ω``), ``S``
(siemens, ``1/ohm``) and ``sq`` (a square, dimensionless: ``ohm/sq``). Prefixes: ``p n u µ μ m c d k M G``.

Why not pint: importing pint and building its registry takes about 0.2–0.4 s, which every CLI call and every
worker process would pay against a start-up budget of 0.3 s for ``import nanograph``; the handful of units a
film needs is served exactly by the 100 lines here (measured in ``benchmarks/startup.py``).

Examples
--------
>>> parse_quantity("50mg/m^2", "areal_mass_density")
5e-05
>>> parse_quantity("20 um", "length")
2e-05
"""

from __future__ import annotations

import math
import re

from nanograph.errors import InvalidInputError

__all__ = ["DIMENSIONS", "parse_number", "parse_quantity", "has_unit", "format_dimension"]

#: Dimension of each physical parameter as powers of (metre, kilogram, ohm).
DIMENSIONS: dict[str, tuple[int, int, int]] = {
    "length": (1, 0, 0),
    "diameter": (1, 0, 0),
    "box": (1, 0, 0),
    "mean_free_path": (1, 0, 0),
    "resistance": (0, 0, 1),
    "rj": (0, 0, 1),
    "re": (0, 0, 1),
    "rw": (-1, 0, 1),
    "resistivity": (1, 0, 1),
    "mass_density": (-3, 1, 0),
    "areal_mass_density": (-2, 1, 0),
    "sheet_resistance": (0, 0, 1),
    "dimensionless": (0, 0, 0),
}

# Unit symbol: (power of ten to SI, dimension). Scales are kept as integer powers of ten and applied once,
# so that "10.49 g/cm^3" gives exactly 10490.0.
_UNITS: dict[str, tuple[int, tuple[int, int, int]]] = {
    "m": (0, (1, 0, 0)),
    "g": (-3, (0, 1, 0)),
    "ohm": (0, (0, 0, 1)),
    "Ω": (0, (0, 0, 1)),
    "S": (0, (0, 0, -1)),
    "sq": (0, (0, 0, 0)),
}
_PREFIXES = {"p": -12, "n": -9, "u": -6, "µ": -6, "μ": -6, "m": -3, "c": -2, "d": -1, "k": 3, "M": 6, "G": 9}
_NUMBER = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_FACTOR = re.compile(r"([^\W\d_]+|Ω)(?:(?:\^|\*\*)([+-]?\d+))?")


def parse_number(text: str, name: str) -> float:
    """A plain finite number from ``text`` (strict: no ``_`` separators, ``nan`` or ``inf``).

    Parameters
    ----------
    text : str
        The text, e.g. ``"0.25"`` or ``"1e-8"``.
    name : str
        The parameter it gives (named in the error).

    Returns
    -------
    float

    Raises
    ------
    InvalidInputError
        If ``text`` is not exactly one number.

    Examples
    --------
    >>> parse_number(" 2.5e3", "box")
    2500.0
    """
    match = _NUMBER.fullmatch(text.strip() if isinstance(text, str) else "")
    if not match:
        raise InvalidInputError(f"{name}: expected a number, got {text!r}")
    value = float(match.group(1))
    if not math.isfinite(value):
        raise InvalidInputError(f"{name}: {text!r} is not a finite number")
    return value


def _unit(symbol: str, name: str, text: str) -> tuple[int, tuple[int, int, int]]:
    if symbol in _UNITS:
        return _UNITS[symbol]
    if len(symbol) > 1 and symbol[0] in _PREFIXES and symbol[1:] in _UNITS:
        exponent, dim = _UNITS[symbol[1:]]
        return _PREFIXES[symbol[0]] + exponent, dim
    raise InvalidInputError(
        f"{name}: unknown unit {symbol!r} in {text!r}; known units: m, g, ohm, S, sq with SI prefixes"
    )


def _unit_expression(expr: str, name: str, text: str) -> tuple[int, tuple[int, int, int]]:
    """Power of ten to SI and dimension of a unit expression such as ``mg/m^2`` or ``ohm*m``."""
    scale, dim = 0, [0, 0, 0]
    tokens = re.split(r"\s*([*·/]|\s)\s*", expr.strip())
    sign = 1
    for token in tokens:
        if token in ("*", "·", " ", ""):
            continue
        if token == "/":
            sign = -1
            continue
        match = _FACTOR.fullmatch(token)
        if not match:
            raise InvalidInputError(f"{name}: cannot read the unit {expr!r} in {text!r}")
        factor, fdim = _unit(match.group(1), name, text)
        power = sign * int(match.group(2) or 1)
        scale += factor * power
        dim = [d + power * f for d, f in zip(dim, fdim, strict=True)]
        sign = 1
    return scale, (dim[0], dim[1], dim[2])


def format_dimension(dim: tuple[int, int, int]) -> str:
    """``(1, 0, 1)`` as ``"m·ohm"``: the SI unit of a dimension, for error messages."""
    parts = [f"{u}" + (f"^{p}" if p != 1 else "") for u, p in zip(("m", "kg", "ohm"), dim, strict=True) if p]
    return "·".join(parts) or "dimensionless"


def has_unit(value) -> bool:
    """Whether ``value`` is a text that carries a unit after its number (``"20um"`` yes, ``"20"`` or ``20`` no)."""
    if not isinstance(value, str):
        return False
    match = _NUMBER.match(value)
    return bool(match) and bool(value[match.end() :].strip())


def parse_quantity(value, name: str, dimension: str | None = None) -> float:
    """A physical quantity in SI units, its dimension checked.

    Parameters
    ----------
    value : float, int or str
        A number (returned as is: its unit is the caller's default) or a text with a unit such as ``"20um"``.
    name : str
        The parameter it gives: named in errors and, when ``dimension`` is None, the key of
        :data:`DIMENSIONS` that gives its dimension.
    dimension : str, optional
        A key of :data:`DIMENSIONS` (default ``name``).

    Returns
    -------
    float
        The value in SI units (m, kg, ohm and their products), or the bare number.

    Raises
    ------
    InvalidInputError
        Text that is not a number with a known unit, a unit of the wrong dimension, or a non-finite value.

    Examples
    --------
    >>> parse_quantity("1.59e-8 ohm*m", "resistivity")
    1.59e-08
    >>> parse_quantity("10.49 g/cm^3", "mass_density")
    10490.0
    >>> parse_quantity("20ohm", "length")
    Traceback (most recent call last):
    ...
    nanograph.errors.InvalidInputError: length: '20ohm' has the dimension ohm, expected m
    """
    want = DIMENSIONS[dimension or name]
    if isinstance(value, bool):
        raise InvalidInputError(f"{name}: expected a number or a quantity with a unit, got {value!r}")
    if isinstance(value, int | float) or hasattr(value, "dtype"):
        number = float(value)
        if not math.isfinite(number):
            raise InvalidInputError(f"{name}: {value!r} is not a finite number")
        return number
    if not isinstance(value, str):
        raise InvalidInputError(f"{name}: expected a number or a text such as '20um', got {type(value).__name__}")
    match = _NUMBER.match(value)
    if not match:
        raise InvalidInputError(f"{name}: expected a number with an optional unit, got {value!r}")
    number = float(match.group(1))
    rest = value[match.end() :].strip()
    if not rest:
        return parse_number(value, name)
    scale, dim = _unit_expression(rest, name, value)
    if dim != want:
        raise InvalidInputError(
            f"{name}: {value!r} has the dimension {format_dimension(dim)}, expected {format_dimension(want)}"
        )
    result = number * 10.0**scale if scale >= 0 else number / 10.0 ** (-scale)
    if not math.isfinite(result):
        raise InvalidInputError(f"{name}: {value!r} is not a finite quantity")
    return result
