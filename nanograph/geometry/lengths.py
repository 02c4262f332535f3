"""Stick length distributions.

Every distribution samples positive lengths from a ``numpy.random.Generator`` and reports its mean
(the ``l`` of the dimensionless density ``n <l>^2``). Lengths are in the same unit as the box.
Spec strings for the command line: ``1.5`` (fixed), ``uniform:low=0.5,high=1.5``,
``normal:loc=1,scale=0.3`` (truncated at 0), ``lognormal:mean=1,std=0.3``, ``gamma:mean=1,std=0.3``.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from nanograph._lazy import lazy_module
from nanograph.errors import InvalidInputError
from nanograph.validation import number, positive

special = lazy_module("scipy.special")

__all__ = [
    "LengthDistribution",
    "FixedLength",
    "UniformLength",
    "TruncatedNormalLength",
    "LogNormalLength",
    "GammaLength",
    "parse_length",
]


#: A truncated normal with ``loc`` more than this many ``scale`` below 0 is refused: its inverse-CDF sampling on
#: ``(Phi(-loc/scale), 1)`` would have too few distinct doubles left (Q(5) = 2.9e-7 keeps 10 digits).
MAX_STANDARD_DEVIATIONS = 5.0
#: Largest ``std / mean`` of the mean/std families (log-normal, gamma) that floating point samples faithfully.
MAX_RELATIVE_SPREAD = 1e6


class LengthDistribution(ABC):
    """Interface of a distribution of stick lengths (positive, box units)."""

    @abstractmethod
    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``size`` lengths using ``rng``."""

    @property
    @abstractmethod
    def mean(self) -> float:
        """Mean length ``<l>``."""


@dataclass(frozen=True)
class FixedLength(LengthDistribution):
    """Every stick has length ``length``. Draws nothing from the generator."""

    length: float = 1.0

    def __post_init__(self) -> None:
        positive("length", self.length)

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        return np.full(size, float(self.length))

    @property
    def mean(self) -> float:
        return float(self.length)


@dataclass(frozen=True)
class UniformLength(LengthDistribution):
    """Lengths uniform on ``[low, high]``, ``0 < low <= high``."""

    low: float
    high: float

    def __post_init__(self) -> None:
        positive("low", self.low)
        if not self.high >= self.low:
            raise InvalidInputError(f"high must be >= low, got low={self.low}, high={self.high}")

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        return rng.uniform(self.low, self.high, size)

    @property
    def mean(self) -> float:
        return 0.5 * (self.low + self.high)


@dataclass(frozen=True)
class TruncatedNormalLength(LengthDistribution):
    """Normal(``loc``, ``scale``) truncated to positive lengths, sampled by inverting its CDF."""

    loc: float
    scale: float

    def __post_init__(self) -> None:
        positive("scale", self.scale)
        number("loc", self.loc)
        if self.loc / self.scale < -MAX_STANDARD_DEVIATIONS:  # Phi(-loc/scale) rounds to 1: nothing left above 0
            raise InvalidInputError(
                f"length normal:loc={self.loc:g},scale={self.scale:g} has loc more than {MAX_STANDARD_DEVIATIONS:g} "
                "standard deviations below 0: nothing positive is left to draw; use a positive loc",
                "length",
            )

    @property
    def _lower_tail(self) -> float:
        """``Phi(-loc/scale)``: probability mass removed by the truncation."""
        return float(special.ndtr(-self.loc / self.scale))

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        u = rng.uniform(self._lower_tail, 1.0, size)
        lengths = self.loc + self.scale * special.ndtri(u)
        # u can round onto the truncation point; never return a zero or negative length.
        return np.maximum(lengths, np.nextafter(0.0, 1.0))

    @property
    def mean(self) -> float:
        a = -self.loc / self.scale
        phi = math.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)
        return self.loc + self.scale * phi / (1 - self._lower_tail)


@dataclass(frozen=True)
class _MeanStdLength(LengthDistribution):
    """A positive distribution given by the mean and standard deviation of the length."""

    mean_length: float
    std: float

    def __post_init__(self) -> None:
        positive("mean", self.mean_length)
        positive("std", self.std)
        if self.std / self.mean_length > MAX_RELATIVE_SPREAD:  # the shape parameters would over- or underflow
            raise InvalidInputError(
                f"length: std/mean = {self.std / self.mean_length:.3g} exceeds {MAX_RELATIVE_SPREAD:g}: lengths "
                "spread over more decades than floating point can draw; use a smaller std",
                "length",
            )

    @property
    def mean(self) -> float:
        return float(self.mean_length)


@dataclass(frozen=True)
class LogNormalLength(_MeanStdLength):
    """Log-normal lengths with the given ``mean`` and standard deviation ``std`` of the length."""

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        sigma2 = math.log1p((self.std / self.mean_length) ** 2)
        mu = math.log(self.mean_length) - 0.5 * sigma2
        return rng.lognormal(mu, math.sqrt(sigma2), size)


@dataclass(frozen=True)
class GammaLength(_MeanStdLength):
    """Gamma-distributed lengths with the given ``mean`` and standard deviation ``std``."""

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        shape = (self.mean_length / self.std) ** 2
        return rng.gamma(shape, self.std**2 / self.mean_length, size)


_LENGTH_SPECS = {
    "uniform": (UniformLength, ("low", "high")),
    "normal": (TruncatedNormalLength, ("loc", "scale")),
    "lognormal": (LogNormalLength, ("mean", "std")),
    "gamma": (GammaLength, ("mean", "std")),
}


def parse_length(spec: str | float | LengthDistribution) -> LengthDistribution:
    """Build a length distribution from a number or a spec string such as ``lognormal:mean=1,std=0.3``.

    Parameters
    ----------
    spec : str, float or LengthDistribution
        A fixed length (a positive number, or its text such as ``"1.5"``), a spec ``family:key=value,...``
        with the families ``uniform:low=…,high=…``, ``normal:loc=…,scale=…`` (truncated at 0),
        ``lognormal:mean=…,std=…`` and ``gamma:mean=…,std=…`` (box units), or a
        :class:`LengthDistribution` (returned as is).

    Returns
    -------
    LengthDistribution

    Raises
    ------
    InvalidInputError
        A non-positive or non-finite length, an unknown family, or missing/unknown/non-numeric parameters;
        the message names ``length`` and lists the valid forms.

    Examples
    --------
    >>> parse_length("2").mean
    2.0
    >>> parse_length("uniform:low=0.5,high=1.5").mean
    1.0
    """
    if isinstance(spec, LengthDistribution):
        return spec
    forms = "a positive number, " + ", ".join(f"{k}:{'=…,'.join(v[1])}=…" for k, v in _LENGTH_SPECS.items())
    if isinstance(spec, (int, float, np.integer, np.floating)) and not isinstance(spec, bool):
        value = float(spec)
    elif isinstance(spec, str):
        try:
            value = float(spec.strip())
        except ValueError:
            value = None
    else:
        raise InvalidInputError(f"length must be {forms}; got {spec!r}")
    if value is not None:
        try:
            return FixedLength(positive("length", value))
        except InvalidInputError:  # the same check, in the words that tell it from an unknown distribution
            raise InvalidInputError(f"length must be a positive finite number, got {spec!r}") from None
    name, _, rest = spec.strip().partition(":")
    if name not in _LENGTH_SPECS:
        raise InvalidInputError(f"length: unknown distribution {spec!r}; valid forms: {forms}")
    cls, keys = _LENGTH_SPECS[name]
    pairs = [p.partition("=") for p in rest.split(",") if p.strip()]
    try:
        params = {k.strip(): float(v) for k, _, v in pairs}
    except ValueError:
        raise InvalidInputError(f"length {spec!r}: parameters must be key=number", "length") from None
    if len(params) != len(pairs) or set(params) != set(keys):
        raise InvalidInputError(f"length {spec!r} needs exactly the parameters {', '.join(keys)}", "length")
    return cls(*(params[k] for k in keys))
