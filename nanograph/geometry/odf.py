"""Orientation distribution functions (ODFs) of stick angles.

A stick is undirected, so its orientation is an angle ``alpha`` in ``[-pi/2, pi/2)`` measured from the
x axis (the direction of the applied current). An ODF is an object that samples such angles from a
``numpy.random.Generator`` and reports its density and the moments the theories need:

* ``mean_cos2``  -- ``<cos^2 alpha>`` (MFA paper Eq. 7),
* ``mean_s2``    -- ``<S^2> = <cos^2 2 alpha>`` (MFA paper Eq. 8),
* ``mean_abs_sin_difference`` -- ``<|sin(alpha_1 - alpha_2)|>`` for two independent sticks (MFA paper
  Eq. 9); the mean number of contacts per stick is ``n l^2`` times this (Eq. 16).

ODFs are named by spec strings (``"isotropic"``, later ``"cross:omega=0.5"``, ...) parsed by
:func:`parse_odf`; new families register themselves with :func:`register_odf`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable

import numpy as np

from nanograph.errors import InvalidInputError

__all__ = ["OrientationDistribution", "Isotropic", "parse_odf", "register_odf", "odf_names"]


class OrientationDistribution(ABC):
    """Interface of an orientation distribution of stick angles on ``[-pi/2, pi/2)``."""

    #: Name used in spec strings (``parse_odf``).
    name: str = ""

    @abstractmethod
    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``size`` angles (radians, in ``[-pi/2, pi/2)``) using ``rng``."""

    @abstractmethod
    def pdf(self, alpha: np.ndarray) -> np.ndarray:
        """Probability density (1/rad) at ``alpha`` (radians, ``[-pi/2, pi/2)``)."""

    @property
    @abstractmethod
    def mean_cos2(self) -> float:
        """``<cos^2 alpha>`` (MFA paper Eq. 7)."""

    @property
    @abstractmethod
    def mean_s2(self) -> float:
        """``<S^2> = <cos^2(2 alpha)>`` (MFA paper Eq. 8)."""

    @property
    @abstractmethod
    def mean_abs_sin_difference(self) -> float:
        """``<|sin(alpha_1 - alpha_2)|>`` of two independent angles (MFA paper Eq. 9)."""

    def spec(self) -> str:
        """The spec string that :func:`parse_odf` turns back into this distribution."""
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Isotropic(OrientationDistribution):
    """Uniform angles, density ``1/pi`` on ``[-pi/2, pi/2)`` (MFA paper Eq. 2).

    Examples
    --------
    >>> odf = Isotropic()
    >>> round(odf.mean_abs_sin_difference, 12) == round(2 / math.pi, 12)
    True
    """

    name = "isotropic"

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        return rng.uniform(-math.pi / 2, math.pi / 2, size)

    def pdf(self, alpha: np.ndarray) -> np.ndarray:
        return np.full(np.shape(alpha), 1 / math.pi)

    @property
    def mean_cos2(self) -> float:
        return 0.5

    @property
    def mean_s2(self) -> float:
        return 0.5

    @property
    def mean_abs_sin_difference(self) -> float:
        return 2 / math.pi

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Isotropic)

    def __hash__(self) -> int:
        return hash(self.name)


_REGISTRY: dict[str, Callable[..., OrientationDistribution]] = {}


def register_odf(name: str, factory: Callable[..., OrientationDistribution]) -> None:
    """Make ``name`` usable in spec strings; ``factory(**params)`` builds the distribution."""
    _REGISTRY[name] = factory


def odf_names() -> list[str]:
    """Names accepted by :func:`parse_odf`."""
    return sorted(_REGISTRY)


def _parse_value(text: str) -> float:
    """A number with an optional ``deg`` or ``rad`` suffix, returned in radians for ``deg``."""
    text = text.strip()
    scale = 1.0
    if text.endswith("deg"):
        text, scale = text[:-3], math.pi / 180
    elif text.endswith("rad"):
        text = text[:-3]
    return float(text) * scale


def parse_odf(spec: str | OrientationDistribution) -> OrientationDistribution:
    """Build an orientation distribution from a spec string ``name[:key=value,...]``.

    Angles take a ``deg`` or ``rad`` suffix (radians when none is given).

    Raises
    ------
    InvalidInputError
        Unknown name or malformed/unknown parameters; the message lists the valid names.

    Examples
    --------
    >>> parse_odf("isotropic")
    Isotropic()
    """
    if isinstance(spec, OrientationDistribution):
        return spec
    name, _, rest = str(spec).strip().partition(":")
    if name not in _REGISTRY:
        raise InvalidInputError(
            f"unknown orientation distribution {name!r} in odf spec {spec!r}; valid names: {', '.join(odf_names())}"
        )
    params: dict[str, float] = {}
    for item in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = item.partition("=")
        if not eq:
            raise InvalidInputError(f"odf spec {spec!r}: parameter {item!r} is not of the form key=value")
        try:
            params[key.strip()] = _parse_value(value)
        except ValueError:
            raise InvalidInputError(f"odf spec {spec!r}: {value!r} is not a number") from None
    try:
        return _REGISTRY[name](**params)
    except TypeError as exc:
        raise InvalidInputError(f"odf spec {spec!r}: {exc}") from None


register_odf("isotropic", Isotropic)
