"""The model of what is simulated: wire populations, junctions, electrodes, the box, and their resistances.

One frozen, self-validating :class:`Film` holds every parameter of a realization; every layer takes it
(stick placement, the graph builders, closure, EMT and MFA, sweeps, the ``film`` command), so each parameter
has one home and one meaning:

- ``rw`` is always the resistance of a unit length of wire (ohm per box unit, or ohm/m where a unit is
  given). The resistance of a whole wire of mean length is ``Film.rw_wire`` (``⟨l⟩ rw``), under its own name.
- ``re`` (a stick-electrode contact) defaults to the junction model; :func:`contact_resistance` is the only
  place that resolves it.
- Errors name the Python parameter (``length``, ``rj``, ...), never a command-line flag.

Units. Every length, resistance, resistivity and mass may carry a unit (``"20um"``, ``"10ohm"``,
``"50mg/m^2"``; :mod:`nanograph.units`). A film is *physical* when its wire length carries a unit: its box
unit is then the mean length ``⟨l⟩`` of the first population (``Film.unit``, metres), and bare numbers for
other lengths mean multiples of it. Without a unit everything is in box units, as before.

Areal mass density (films issue §4): ``n = amd / (ρ_m ⟨π D²/4 · l⟩)`` with exact means over independent
length and diameter distributions, ``⟨D² l⟩ = ⟨D²⟩⟨l⟩``.

Examples
--------
A silver film, datasheet values:

>>> film = Film(WirePopulation(length="20um", diameter="50nm", material="Ag", areal_mass_density="50mg/m^2"),
...             box="200um", junctions="10ohm")
>>> round(film.density, 1), film.n_sticks, round(film.rw_wire, 1)
(48.6, 4855, 162.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from nanograph import validation
from nanograph.errors import InvalidInputError
from nanograph.geometry.budget import check_stick_budget
from nanograph.geometry.lengths import FixedLength, LengthDistribution, UniformLength, parse_length
from nanograph.geometry.odf import OrientationDistribution, parse_odf
from nanograph.published.materials import MATERIALS
from nanograph.units import has_unit, parse_quantity

__all__ = [
    "Material",
    "ResistanceDistribution",
    "LogNormalResistance",
    "UniformResistance",
    "EmpiricalResistance",
    "parse_resistance",
    "JunctionModel",
    "BusBars",
    "Electrode",
    "Electrodes",
    "as_electrodes",
    "WirePopulation",
    "Film",
    "contact_resistance",
    "size_effect_factor",
    "MAX_STICKS",
    "PERIODIC",
]

#: Largest number of sticks a film may ask for before anything is allocated (about 10 GB of junction-node
#: network at n l² = 50); pass ``max_sticks`` to raise it.
MAX_STICKS = 20_000_000

#: Periodicity spellings: ``none``, ``x``, ``y``, ``xy``.
PERIODIC = {"none": (False, False), "x": (True, False), "y": (False, True), "xy": (True, True)}


# --- Materials ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Material:
    """A wire material: resistivity, mass density and electron mean free path (SI units).

    Parameters
    ----------
    name : str
        Label (a preset name: ``Ag``, ``Cu``, ``Au``, ``Ni``; see :mod:`nanograph.published.materials`).
    resistivity : float or None
        Bulk resistivity ``ρ`` (ohm m), > 0; None when unknown (then ``rw`` must be given).
    mass_density : float, optional
        ``ρ_m`` (kg/m^3), > 0; None when unknown (then no areal mass density).
    mean_free_path : float, optional
        Electron mean free path ``λ`` (m), for :func:`size_effect_factor`.
    """

    name: str
    resistivity: float | None
    mass_density: float | None = None
    mean_free_path: float | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for name in ("resistivity", "mass_density"):  # either may be unknown (None) for a custom material
            if getattr(self, name) is not None:
                set_(self, name, validation.positive(name, parse_quantity(getattr(self, name), name)))
        if self.mean_free_path is not None:
            mfp = parse_quantity(self.mean_free_path, "mean_free_path")
            set_(self, "mean_free_path", validation.positive("mean_free_path", mfp))

    @classmethod
    def preset(cls, name: str, *, resistivity=None, mass_density=None) -> Material:
        """A preset material (``Ag``, ``Cu``, ``Au``, ``Ni``), with optional overrides of its constants."""
        if name not in MATERIALS:
            raise InvalidInputError(f"material must be one of {', '.join(MATERIALS)} or a Material, got {name!r}")
        values = dict(MATERIALS[name])
        if resistivity is not None:
            values["resistivity"] = resistivity
        if mass_density is not None:
            values["mass_density"] = mass_density
        return cls(name, **values)


def size_effect_factor(diameter, material: Material, model: str = "fuchs-sondheimer", *,
                       specularity: float = 0.0, grain_reflection: float = 0.3) -> np.ndarray:  # fmt: skip
    """``ρ(D)/ρ₀``: the resistivity increase of a thin wire of diameter ``D`` (m).

    Parameters
    ----------
    diameter : float or ndarray
        Wire diameters (m), > 0.
    material : Material
        Needs ``mean_free_path`` ``λ``.
    model : str
        ``"fuchs-sondheimer"``: surface scattering, Dingle's thick-wire form of the Fuchs-Sondheimer theory,
        ``1 + (3/4)(1 − p) λ/D`` (R. B. Dingle, *Proc. R. Soc. A* 201, 545 (1950), Eq. 4.14), with the
        specularity ``p``; or ``"mayadas-shatzkes"``: grain-boundary scattering with grains of size ``D``,
        ``1/[1 − 3α/2 + 3α² − 3α³ ln(1 + 1/α)]``, ``α = (λ/D) R/(1 − R)`` (A. F. Mayadas, M. Shatzkes,
        *Phys. Rev. B* 1, 1382 (1970), Eq. 9), with the reflection coefficient ``R``.
    specularity, grain_reflection : float
        ``p`` in ``[0, 1]`` and ``R`` in ``[0, 1)``.

    Returns
    -------
    ndarray
        The factor (>= 1) for each diameter.

    Examples
    --------
    >>> ag = Material.preset("Ag")
    >>> round(float(size_effect_factor(50e-9, ag)), 3)   # 1 + 0.75 * 53.3/50
    1.8
    """
    if material.mean_free_path is None:
        raise InvalidInputError(f"size_effect needs the mean_free_path of material {material.name!r}")
    d = np.asarray(diameter, dtype=float)
    ratio = material.mean_free_path / d
    if model == "fuchs-sondheimer":
        p = validation.number("specularity", specularity, low=0.0)
        if p > 1:
            raise InvalidInputError(f"specularity must be in [0, 1], got {specularity!r}")
        return 1.0 + 0.75 * (1.0 - p) * ratio
    if model == "mayadas-shatzkes":
        r = validation.number("grain_reflection", grain_reflection, low=0.0)
        if r >= 1:
            raise InvalidInputError(f"grain_reflection must be in [0, 1), got {grain_reflection!r}")
        alpha = ratio * r / (1.0 - r)
        if r == 0:
            return np.ones_like(d)
        return 1.0 / (1.0 - 1.5 * alpha + 3 * alpha**2 - 3 * alpha**3 * np.log1p(1.0 / alpha))
    raise InvalidInputError(f"size_effect must be 'fuchs-sondheimer', 'mayadas-shatzkes' or None, got {model!r}")


# --- Junction resistance distributions ------------------------------------------------------------------


class ResistanceDistribution:
    """A distribution of resistances (ohm), sampled with a passed ``numpy.random.Generator``."""

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def mean(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def quantiles(self, n: int = 256) -> np.ndarray:
        """``n`` equal-weight representative values (mid-quantiles), for averages such as EMT's Eq. (3)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def scaled(self, factor: float) -> ResistanceDistribution:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class LogNormalResistance(ResistanceDistribution):
    """Log-normal resistances: ``ln R ~ Normal(ln median, sigma²)`` (ohm).

    Parameters
    ----------
    median : float
        Median ``R`` (ohm), > 0.
    sigma : float
        Standard deviation of ``ln R``, >= 0 (0 is the constant ``median``).
    """

    median: float
    sigma: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "median", validation.positive("rj median", self.median, unit="ohm"))
        object.__setattr__(self, "sigma", validation.nonnegative("rj sigma", self.sigma))

    def sample(self, size, rng):
        return self.median * np.exp(self.sigma * rng.standard_normal(size))

    @property
    def mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2)

    def quantiles(self, n: int = 256) -> np.ndarray:
        from scipy.special import ndtri

        return self.median * np.exp(self.sigma * ndtri((np.arange(n) + 0.5) / n))

    def scaled(self, factor):
        return LogNormalResistance(self.median * factor, self.sigma)


@dataclass(frozen=True)
class UniformResistance(ResistanceDistribution):
    """Resistances uniform on ``[low, high]`` (ohm), ``0 <= low <= high``."""

    low: float
    high: float

    def __post_init__(self) -> None:
        low = validation.nonnegative("rj low", self.low, unit="ohm")
        high = validation.nonnegative("rj high", self.high, unit="ohm")
        if high < low:
            raise InvalidInputError(f"rj uniform needs low <= high, got low={low!r}, high={high!r}")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def sample(self, size, rng):
        return rng.uniform(self.low, self.high, size)

    @property
    def mean(self) -> float:
        return 0.5 * (self.low + self.high)

    def quantiles(self, n: int = 256) -> np.ndarray:
        return self.low + (self.high - self.low) * (np.arange(n) + 0.5) / n

    def scaled(self, factor):
        return UniformResistance(self.low * factor, self.high * factor)


@dataclass(frozen=True, eq=False)
class EmpiricalResistance(ResistanceDistribution):
    """Resistances resampled (with replacement) from measured values (ohm), each >= 0."""

    values: np.ndarray

    def __post_init__(self) -> None:
        values = validation.float_array("rj values", self.values)
        if not len(values):
            raise InvalidInputError("rj values: give at least one measured resistance")
        object.__setattr__(self, "values", values)

    def sample(self, size, rng):
        return self.values[rng.integers(0, len(self.values), size)]

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    def quantiles(self, n: int = 256) -> np.ndarray:
        return np.array(self.values)

    def scaled(self, factor):
        return EmpiricalResistance(self.values * factor)


_DISTRIBUTIONS = {
    "lognormal": (LogNormalResistance, ("median", "sigma")),
    "uniform": (UniformResistance, ("low", "high")),
}


def parse_resistance(value, name: str = "rj") -> float | ResistanceDistribution:
    """A resistance (ohm) or a distribution of them, from a number, a quantity or a spec.

    Parameters
    ----------
    value : float, str or ResistanceDistribution
        ``10``, ``"10ohm"``, ``"lognormal:median=10ohm,sigma=0.5"``, ``"uniform:low=5,high=15"``, or
        ``"resample:values.csv"`` / ``"resample:1,2,3"`` (measured values, ohm).
    name : str
        The parameter (named in errors).

    Returns
    -------
    float or ResistanceDistribution

    Examples
    --------
    >>> parse_resistance("lognormal:median=10ohm,sigma=0.5")
    LogNormalResistance(median=10.0, sigma=0.5)
    """
    if isinstance(value, ResistanceDistribution):
        return value
    if not isinstance(value, str) or ":" not in value:
        return validation.resistance(name, parse_quantity(value, name, "resistance"))
    family, _, rest = value.strip().partition(":")
    if family == "resample":
        return _resample(rest, name)
    if family not in _DISTRIBUTIONS:
        raise InvalidInputError(f"{name}: unknown distribution {family!r}; use lognormal:median=…,sigma=…, "
                                "uniform:low=…,high=… or resample:FILE")  # fmt: skip
    cls, keys = _DISTRIBUTIONS[family]
    pairs = [p.partition("=") for p in rest.split(",") if p.strip()]
    params = {k.strip(): v.strip() for k, _, v in pairs}
    if len(params) != len(pairs) or set(params) != set(keys):
        raise InvalidInputError(f"{name} {value!r} needs exactly the parameters {', '.join(keys)}")
    dims = {"median": "resistance", "low": "resistance", "high": "resistance", "sigma": "dimensionless"}
    return cls(**{k: parse_quantity(params[k], f"{name} {k}", dims[k]) for k in keys})


def _resample(rest: str, name: str) -> EmpiricalResistance:
    from pathlib import Path

    path = Path(rest)
    if path.suffix and path.is_file():
        try:
            values = np.loadtxt(path, delimiter=",", ndmin=1).ravel()
        except ValueError as exc:
            raise InvalidInputError(f"{name}: cannot read measured resistances from {rest!r}: {exc}") from None
    else:
        values = np.array([parse_quantity(v, name, "resistance") for v in rest.split(",") if v.strip()])
    return EmpiricalResistance(values)


# --- Junctions and electrodes --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class JunctionModel:
    """Resistance of the wire-wire junctions: a constant, a distribution, a per-junction array, or a table.

    Exactly one of the fields is given (``JunctionModel(10.0)`` is the constant).

    Parameters
    ----------
    rj : float or str, optional
        One resistance for every junction (ohm; a unit allowed); 0 merges the two contacts.
    distribution : ResistanceDistribution or str, optional
        Resistances drawn independently per junction with the ``rng`` of the build.
    values : array_like, optional
        One resistance per junction, aligned with :func:`~nanograph.geometry.contacts.find_contacts` of the
        sticks it is used with, in that order (pairs ``i < j`` sorted by ``i``, then ``j``, then image shift).
    by_pair : mapping, optional
        ``{(population_a, population_b): resistance or distribution}`` by population names; unordered pairs.
    """

    rj: float | None = None
    distribution: ResistanceDistribution | None = None
    values: np.ndarray | None = None
    by_pair: Mapping | None = None

    def __post_init__(self) -> None:
        given = [f for f in ("rj", "distribution", "values", "by_pair") if getattr(self, f) is not None]
        if len(given) != 1:
            raise InvalidInputError(
                f"junctions: give exactly one of rj, distribution, values, by_pair; got {given or 'none'}"
            )
        set_ = object.__setattr__
        if self.rj is not None:
            value = parse_resistance(self.rj)
            if isinstance(value, ResistanceDistribution):
                set_(self, "rj", None)
                set_(self, "distribution", value)
            else:
                set_(self, "rj", value)
        if self.distribution is not None:
            set_(self, "distribution", parse_resistance(self.distribution))
        if self.values is not None:
            set_(self, "values", validation.float_array("rj", self.values))
        if self.by_pair is not None:
            table = {}
            for key, value in dict(self.by_pair).items():
                if not (isinstance(key, tuple) and len(key) == 2):
                    raise InvalidInputError(f"rj by_pair keys must be (population, population) pairs, got {key!r}")
                table[tuple(sorted(map(str, key)))] = parse_resistance(value, f"rj{list(key)}")
            set_(self, "by_pair", table)

    @classmethod
    def of(cls, value) -> JunctionModel:
        """A junction model from a shorthand: a number or quantity, a distribution spec, an array, a mapping."""
        if isinstance(value, JunctionModel):
            return value
        if isinstance(value, Mapping):
            return cls(by_pair=value)
        if isinstance(value, np.ndarray | list | tuple):
            return cls(values=value)
        if isinstance(value, ResistanceDistribution):
            return cls(distribution=value)
        return cls(rj=value)

    @property
    def constant(self) -> float | None:
        """The one resistance of every junction (ohm), or None when they differ."""
        return self.rj

    @property
    def mean(self) -> float:
        """Mean junction resistance (ohm) (over the table's entries for ``by_pair``)."""
        if self.rj is not None:
            return self.rj
        if self.distribution is not None:
            return self.distribution.mean
        if self.values is not None:
            return float(np.mean(self.values)) if len(self.values) else math.nan
        means = [v.mean if isinstance(v, ResistanceDistribution) else v for v in self.by_pair.values()]
        return float(np.mean(means))

    def resistances(self, pair_i, pair_j, names, rng: np.random.Generator | None) -> np.ndarray:
        """Resistance of each junction (ohm), shape (M,).

        Parameters
        ----------
        pair_i, pair_j : ndarray of int, shape (M,)
            Population index of the two sticks of each junction.
        names : sequence of str
            Population names, indexed by those indices (for ``by_pair``).
        rng : numpy.random.Generator or None
            Source of the draws of a distribution (required then).
        """
        m = len(pair_i)
        if self.rj is not None:
            return np.full(m, self.rj)
        if self.values is not None:
            return validation.float_array("rj", self.values, length=m, what="junction of find_contacts(sticks)")
        if self.distribution is not None:
            return self.distribution.sample(m, _need_rng(rng, "rj"))
        out = np.empty(m)
        for (a, b), value in self.by_pair.items():
            ia, ib = _population_index(names, a), _population_index(names, b)
            mask = ((pair_i == ia) & (pair_j == ib)) | ((pair_i == ib) & (pair_j == ia))
            out[mask] = (
                value.sample(int(mask.sum()), _need_rng(rng, "rj"))
                if isinstance(value, ResistanceDistribution)
                else value
            )
        covered = np.zeros(m, bool)
        for a, b in self.by_pair:
            ia, ib = _population_index(names, a), _population_index(names, b)
            covered |= ((pair_i == ia) & (pair_j == ib)) | ((pair_i == ib) & (pair_j == ia))
        if not covered.all():
            k = int(np.flatnonzero(~covered)[0])
            raise InvalidInputError(
                f"rj by_pair has no entry for the pair ({names[pair_i[k]]!r}, {names[pair_j[k]]!r})"
            )
        return out


def _population_index(names, name: str) -> int:
    if name not in names:
        raise InvalidInputError(f"rj by_pair names population {name!r}; the film has {', '.join(names)}")
    return list(names).index(name)


def _need_rng(rng, name: str) -> np.random.Generator:
    if rng is None:
        raise InvalidInputError(f"{name} is a distribution: pass rng (a seed or numpy Generator) to draw it")
    return rng


@dataclass(frozen=True)
class BusBars:
    """The two bus bars at ``x = 0`` and ``x = Lx`` (the default electrodes; none in a periodic-x box).

    Parameters
    ----------
    re : float, str or ResistanceDistribution, optional
        Resistance of a stick-electrode contact (ohm, a unit allowed, or a distribution drawn per contact).
        Default: the junction model's (see :func:`contact_resistance`).
    """

    re: float | ResistanceDistribution | None = None

    def __post_init__(self) -> None:
        if self.re is not None:
            object.__setattr__(self, "re", parse_resistance(self.re, "re"))


def _segment_array(segments, name: str) -> tuple[np.ndarray, bool]:
    """Segments as an (S, 4) float array ``x0, y0, x1, y1`` and whether they were given with units (then metres)."""
    rows = np.asarray(segments, dtype=object)
    if rows.ndim == 1 and rows.size == 4:
        rows = rows.reshape(1, 4)
    if rows.ndim != 2 or rows.shape[1] != 4:
        raise InvalidInputError(f"electrode {name!r}: segments must be x0, y0, x1, y1 per segment, shape (S, 4)")
    units = {has_unit(v) for v in rows.ravel()}
    if len(units) > 1:
        raise InvalidInputError(f"electrode {name!r}: give every segment coordinate with a unit, or none")
    values = np.array([[parse_quantity(v, "electrodes", "length") for v in row] for row in rows], float)
    if not np.all(np.isfinite(values)):
        raise InvalidInputError(f"electrode {name!r}: segment coordinates must be finite")
    return values, units == {True}


@dataclass(frozen=True, eq=False)
class Electrode:
    """One electrode: one or more straight segments (on the box boundary or inside it) and/or probed sticks.

    A stick crossing (or ending on) one of the segments contacts the electrode there, through ``re``. A probed
    stick is contacted at its midpoint. All the contacts of one electrode are at one potential (a perfect
    conductor).

    Parameters
    ----------
    segments : array_like, shape (S, 4), optional
        ``x0, y0, x1, y1`` of each segment: box units, or quantities (``"2um"``) for a physical
        :class:`Film` (every coordinate with a unit, or none). A segment may have zero length (a point).
    sticks : array_like of int, optional
        Stick ids contacted at their midpoints (a probe on wires).
    re : float, str or ResistanceDistribution, optional
        Contact resistance of this electrode's contacts (ohm); default the electrode set's, else the junction
        model's (:func:`contact_resistance`).
    name : str
        Label (named in errors; ``A``, ``B``, ... for the four-probe layouts).

    Examples
    --------
    >>> e = Electrode([[0, 4, 0, 6]], name="left pad")
    >>> e.segments.tolist()
    [[0.0, 4.0, 0.0, 6.0]]
    """

    segments: np.ndarray | None = None
    sticks: np.ndarray | None = None
    re: float | ResistanceDistribution | None = None
    name: str = "electrode"
    physical: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "name", str(self.name))
        if self.segments is None and self.sticks is None:
            raise InvalidInputError(f"electrode {self.name!r}: give segments or sticks")
        values, physical = (np.zeros((0, 4)), False)
        if self.segments is not None:
            values, physical = _segment_array(self.segments, self.name)
        values.setflags(write=False)
        set_(self, "segments", values)
        set_(self, "physical", physical)
        sticks = np.zeros(0, np.int64) if self.sticks is None else np.asarray(self.sticks).ravel()
        if sticks.size and (sticks.dtype.kind not in "iu" or sticks.min() < 0):
            raise InvalidInputError(f"electrode {self.name!r}: sticks must be non-negative stick ids")
        sticks = np.unique(sticks.astype(np.int64))
        sticks.setflags(write=False)
        set_(self, "sticks", sticks)
        if self.re is not None:
            set_(self, "re", parse_resistance(self.re, "re"))

    def in_box_units(self, unit: float | None) -> Electrode:
        """The electrode with its segments in box units (``unit``: metres per box unit of a physical film)."""
        if not self.physical:
            return self
        if unit is None:
            raise InvalidInputError(f"electrode {self.name!r} has segments with a unit but length does not: give "
                                    "length with a unit (e.g. '20um')")  # fmt: skip
        return Electrode(self.segments / unit, self.sticks, self.re, self.name)


def _check_electrode_geometry(electrodes: tuple[Electrode, ...], box: tuple[float, float] | None) -> None:
    """Refuse segments outside the box and electrodes whose segments touch each other (one-line errors)."""
    from nanograph.geometry.contacts import segments_touch

    if box is not None:
        for e in electrodes:
            s = e.segments
            outside = (s[:, [0, 2]] < 0) | (s[:, [0, 2]] > box[0]) | (s[:, [1, 3]] < 0) | (s[:, [1, 3]] > box[1])
            if outside.any():
                raise InvalidInputError(f"electrodes: electrode {e.name!r} has a segment outside the box "
                                        f"[0, {box[0]:g}] x [0, {box[1]:g}]")  # fmt: skip
    for a, first in enumerate(electrodes):
        for second in electrodes[a + 1 :]:
            touch = segments_touch(first.segments, second.segments)
            shared = np.intersect1d(first.sticks, second.sticks)
            if touch.any() or len(shared):
                raise InvalidInputError(f"electrodes: electrodes {first.name!r} and {second.name!r} overlap (they "
                                        "would short each other); move them apart")  # fmt: skip


@dataclass(frozen=True, eq=False)
class Electrodes:
    """A set of ``k`` electrodes (terminals), in order: the input of a multi-terminal measurement.

    Parameters
    ----------
    items : Electrode or sequence of Electrode
        The electrodes; their names must be distinct, their segments must not touch each other.
    re : float, str or ResistanceDistribution, optional
        Contact resistance of every electrode without its own ``re`` (ohm); default the junction model's.

    Examples
    --------
    >>> four = Electrodes.van_der_pauw(16.0, contacts="midpoints", contact_size=0.8)
    >>> four.names, four.items[0].segments.tolist()
    (('A', 'B', 'C', 'D'), [[7.6, 0.0, 8.4, 0.0]])
    """

    items: tuple[Electrode, ...]
    re: float | ResistanceDistribution | None = None

    def __post_init__(self) -> None:
        items = (self.items,) if isinstance(self.items, Electrode) else tuple(self.items)
        if not items or not all(isinstance(e, Electrode) for e in items):
            raise InvalidInputError("electrodes must be one or more Electrode objects")
        names = [e.name for e in items]
        if len(set(names)) != len(names):
            raise InvalidInputError(f"electrodes need distinct names, got {names}")
        _check_electrode_geometry(items, None)
        object.__setattr__(self, "items", items)
        if self.re is not None:
            object.__setattr__(self, "re", parse_resistance(self.re, "re"))

    def __len__(self) -> int:
        return len(self.items)

    @property
    def names(self) -> tuple[str, ...]:
        """Electrode names, in order."""
        return tuple(e.name for e in self.items)

    def in_box(self, box: tuple[float, float], unit: float | None = None) -> Electrodes:
        """The set in box units, checked against the box ``(Lx, Ly)`` (segments outside it are refused)."""
        converted = Electrodes(tuple(e.in_box_units(unit) for e in self.items), self.re)
        _check_electrode_geometry(converted.items, box)
        return converted

    @classmethod
    def van_der_pauw(cls, box, contacts: str = "midpoints", contact_size: float | None = None,
                     re=None) -> Electrodes:  # fmt: skip
        """Four boundary contacts ``A, B, C, D`` in order around the box (counter-clockwise).

        Parameters
        ----------
        box : float or (float, float)
            ``L`` or ``(Lx, Ly)`` (box units).
        contacts : {"midpoints", "corners"}
            ``"midpoints"``: segments of length ``contact_size`` centred on the midpoints of the bottom (A),
            right (B), top (C) and left (D) sides. ``"corners"``: segments of length ``contact_size`` on the
            bottom side touching the lower-left (A) and lower-right (B) corners, and on the top side touching
            the upper-right (C) and upper-left (D) corners.
        contact_size : float, optional
            Length of each contact segment (box units); default ``0.05 · L`` (``L`` the shorter side).
        re : float, optional
            Contact resistance (ohm); default the junction model's.

        Returns
        -------
        Electrodes
        """
        lx, ly = (float(box), float(box)) if np.ndim(box) == 0 else (float(box[0]), float(box[1]))
        size = 0.05 * min(lx, ly) if contact_size is None else validation.positive("contact_size", contact_size)
        contacts = validation.choice("contacts", contacts, ("midpoints", "corners"))
        limit = min(lx, ly) if contacts == "midpoints" else lx / 2
        if size >= limit:
            raise InvalidInputError(f"contact_size must be below {limit:g} for {contacts} contacts in a {lx:g} x "
                                    f"{ly:g} box (the contacts would touch), got {size:g}")  # fmt: skip
        h = size / 2
        if contacts == "midpoints":
            segments = ([lx / 2 - h, 0, lx / 2 + h, 0], [lx, ly / 2 - h, lx, ly / 2 + h],
                        [lx / 2 + h, ly, lx / 2 - h, ly], [0, ly / 2 + h, 0, ly / 2 - h])  # fmt: skip
        else:
            segments = ([0, 0, size, 0], [lx - size, 0, lx, 0], [lx, ly, lx - size, ly], [size, ly, 0, ly])
        return cls(tuple(Electrode([s], name=n) for s, n in zip(segments, "ABCD", strict=True)), re)


def contact_resistance(re, rj):
    """The stick-electrode contact resistance: ``re``, or by default the junction resistance ``rj``.

    The one place where ``re`` defaults to ``rj``. A junction model that is an array or a table has no one
    value for the electrodes: ``re`` must be given then.

    Parameters
    ----------
    re : float, array, ResistanceDistribution or None
        The contact resistance asked for (ohm), or one per electrode contact.
    rj : float, JunctionModel, ResistanceDistribution
        The junction resistance (ohm) or model.

    Returns
    -------
    float or ResistanceDistribution

    Examples
    --------
    >>> contact_resistance(None, 2.0), contact_resistance(0.5, 2.0)
    (2.0, 0.5)
    """
    if re is not None:
        return re if np.ndim(re) else parse_resistance(re, "re")  # an array: one per contact, checked by the builder
    if isinstance(rj, JunctionModel):
        if rj.rj is not None:
            return rj.rj
        if rj.distribution is not None:
            return rj.distribution
        raise InvalidInputError("re must be given when rj is a per-junction array or a table by population pair")
    return parse_resistance(rj, "rj")


# --- Wire populations ----------------------------------------------------------------------------------


def _length_spec(value, name: str) -> tuple[LengthDistribution, bool]:
    """A length distribution and whether it was given with a unit (then in metres)."""
    if isinstance(value, LengthDistribution):
        return value, False
    if isinstance(value, str) and ":" in value:
        family, _, rest = value.strip().partition(":")
        pairs = [p.partition("=") for p in rest.split(",") if p.strip()]
        units = {has_unit(v.strip()) for _, _, v in pairs}
        if units == {True}:
            rest = ",".join(f"{k.strip()}={parse_quantity(v.strip(), name, 'length')!r}" for k, _, v in pairs)
        elif len(units) > 1:
            raise InvalidInputError(f"{name} {value!r}: give every parameter with a unit, or none")
        return _parse_length(f"{family}:{rest}", name), units == {True}
    if has_unit(value):
        return FixedLength(validation.positive(name, parse_quantity(value, name, "length"))), True
    return _parse_length(value, name), False


def _parse_length(spec, name: str) -> LengthDistribution:
    try:
        return parse_length(spec)
    except InvalidInputError as exc:
        raise InvalidInputError(str(exc).replace("length", name, 1), name) from None


def _scaled_length(dist: LengthDistribution, factor: float) -> LengthDistribution:
    """The distribution of ``factor * l`` (every parameter of the length families is a length)."""
    return replace(dist, **{k: getattr(dist, k) * factor for k in dist.__dataclass_fields__ if not k.startswith("_")})


@dataclass(frozen=True, eq=False)
class WirePopulation:
    """One population of wires: how many, how long, how oriented, how thick, of what.

    Give at most one of ``count``, ``density`` and ``areal_mass_density``.

    Parameters
    ----------
    count : int, optional
        Number of wires ``N``.
    density : float, optional
        ``n ⟨l⟩²`` of this population (its own mean length): ``N = density · A / ⟨l⟩²``.
    areal_mass_density : float or str, optional
        Mass per film area (kg/m² or with a unit, ``"50mg/m^2"``); needs a diameter, a mass density and
        physical lengths.
    length : float, str or LengthDistribution
        Wire length: a number (box units), a quantity (``"20um"``), or a distribution spec
        (``"lognormal:mean=20um,std=5um"``, see :func:`~nanograph.geometry.lengths.parse_length`).
    odf : str or OrientationDistribution
        Orientation distribution (default isotropic).
    diameter : float, str or LengthDistribution, optional
        Wire diameter, fixed or a distribution (like ``length``; a bare number means box units).
    material : str or Material, optional
        ``"Ag"``, ``"Cu"``, ``"Au"``, ``"Ni"`` or a :class:`Material`.
    resistivity, mass_density : float or str, optional
        Override the material's (ohm m, kg/m³; units allowed).
    rw : float or str, optional
        Resistance per unit length of wire (ohm per box unit, or ``"8.1e6 ohm/m"``); overrides the value
        ``ρ / (π D²/4)`` derived from resistivity and diameter. Default 1 ohm per box unit for a film without
        units or material.
    size_effect : str, optional
        ``"fuchs-sondheimer"`` or ``"mayadas-shatzkes"`` (:func:`size_effect_factor`); off by default.
    name : str
        Label (used by ``JunctionModel.by_pair``).
    """

    count: int | None = None
    density: float | None = None
    areal_mass_density: float | str | None = None
    length: float | str | LengthDistribution = 1.0
    odf: str | OrientationDistribution = "isotropic"
    diameter: float | str | LengthDistribution | None = None
    material: str | Material | None = None
    resistivity: float | str | None = None
    mass_density: float | str | None = None
    rw: float | str | None = None
    size_effect: str | None = None
    name: str = "wires"
    # Whether length, diameter and rw were given with units (derived from the inputs; kept by ``replace``).
    physical: bool | None = None
    diameter_physical: bool | None = None
    rw_physical: bool | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        given = [f for f in ("count", "density", "areal_mass_density") if getattr(self, f) is not None]
        if len(given) > 1:
            raise InvalidInputError(f"give one of count, density and areal_mass_density, got {', '.join(given)}")
        if self.count is not None:
            set_(self, "count", validation.count("count", self.count))
        if self.density is not None:
            set_(self, "density", validation.nonnegative("density", self.density))
        if self.areal_mass_density is not None:
            amd = parse_quantity(self.areal_mass_density, "areal_mass_density")
            set_(self, "areal_mass_density", validation.nonnegative("areal_mass_density", amd))
        length, physical = _length_spec(self.length, "length")
        set_(self, "length", length)
        set_(self, "physical", physical if self.physical is None else bool(self.physical or physical))
        set_(self, "odf", parse_odf(self.odf))
        if self.diameter is not None:
            diameter, d_physical = _length_spec(self.diameter, "diameter")
            set_(self, "diameter", diameter)
            keep = self.diameter_physical
            set_(self, "diameter_physical", d_physical if keep is None else bool(keep or d_physical))
        self._set_material()
        if self.rw is not None:
            rw = parse_quantity(self.rw, "rw")
            set_(self, "rw_physical", has_unit(self.rw) if self.rw_physical is None else bool(self.rw_physical))
            set_(self, "rw", validation.nonnegative("rw", rw, unit="ohm per unit length"))
        if self.size_effect is not None and (self.material is None or self.diameter is None):
            raise InvalidInputError("size_effect needs a material and a diameter")
        if not isinstance(self.name, str) or not self.name:
            raise InvalidInputError(f"name must be a non-empty string, got {self.name!r}")

    def _set_material(self) -> None:
        material = self.material
        if isinstance(material, str):
            material = Material.preset(material, resistivity=self.resistivity, mass_density=self.mass_density)
        elif material is None and (self.resistivity is not None or self.mass_density is not None):
            material = Material("custom", self.resistivity, self.mass_density)
        elif isinstance(material, Material) and (self.resistivity is not None or self.mass_density is not None):
            material = replace(material, resistivity=self.resistivity or material.resistivity,
                               mass_density=self.mass_density or material.mass_density)  # fmt: skip
        elif material is not None and not isinstance(material, Material):
            raise InvalidInputError(f"material must be a preset name or a Material, got {type(material).__name__}")
        object.__setattr__(self, "material", material)


# --- The film ----------------------------------------------------------------------------------------------


def _as_populations(populations) -> tuple[WirePopulation, ...]:
    if isinstance(populations, WirePopulation):
        populations = (populations,)
    populations = tuple(populations)
    if not populations or not all(isinstance(p, WirePopulation) for p in populations):
        raise InvalidInputError("populations must be one or more WirePopulation objects")
    names = [p.name for p in populations]
    if len(set(names)) != len(names):
        raise InvalidInputError(f"populations need distinct names, got {names}")
    return populations


def _as_periodic(periodic) -> tuple[bool, bool]:
    if isinstance(periodic, str):
        if periodic not in PERIODIC:
            raise InvalidInputError(f"periodic must be one of {', '.join(PERIODIC)}, got {periodic!r}")
        return PERIODIC[periodic]
    if isinstance(periodic, bool | np.bool_):
        return (bool(periodic), bool(periodic))
    values = tuple(periodic)
    if len(values) != 2 or not all(isinstance(v, bool | np.bool_) for v in values):
        raise InvalidInputError(f"periodic must be none|x|y|xy, a bool or two bools, got {periodic!r}")
    return (bool(values[0]), bool(values[1]))


def as_electrodes(electrodes, box: tuple[float, float], unit: float | None = None) -> BusBars | Electrodes:
    """Electrodes as given to a film or a builder: bus bars, or an :class:`Electrodes` set in box units checked
    against the box ``(Lx, Ly)`` (``unit``: metres per box unit of a physical film)."""
    if isinstance(electrodes, BusBars):
        return electrodes
    if isinstance(electrodes, Electrode) or (
        isinstance(electrodes, list | tuple) and electrodes and all(isinstance(e, Electrode) for e in electrodes)
    ):
        electrodes = Electrodes(electrodes)
    if not isinstance(electrodes, Electrodes):
        raise InvalidInputError(f"electrodes must be BusBars, Electrodes or Electrode objects, got "
                                f"{type(electrodes).__name__}")  # fmt: skip
    return electrodes.in_box(box, unit)


@dataclass(frozen=True, eq=False)
class Film:
    """What is simulated: wire populations in a box, with their junctions and electrodes.

    Parameters
    ----------
    populations : WirePopulation or sequence of them
        The wires.
    box : float, str or (float, float)
        ``L`` or ``(Lx, Ly)``: box units (multiples of ``⟨l⟩`` for a physical film) or quantities (``"200um"``).
    periodic : str or (bool, bool)
        ``"none"``, ``"x"``, ``"y"`` or ``"xy"``. Open x: bus bars at ``x = 0`` and ``x = Lx``.
    junctions : JunctionModel, float, str, array or mapping
        The junction resistances (see :meth:`JunctionModel.of`); default 1 ohm.
    electrodes : BusBars, Electrodes, Electrode or sequence of Electrode
        The electrodes and their contact resistance ``re``: the two bus bars (default), or ``k`` electrodes
        of any shape (segments in box units or with units, probed sticks), checked against the box.
    form : str
        ``"junction-node"`` (wire resistance kept) or ``"wire-node"`` (junctions only).
    max_sticks : int
        Refuse a film that needs more sticks (:data:`MAX_STICKS`).

    Attributes
    ----------
    unit : float or None
        Metres per box unit (the first population's mean length) for a physical film, else None.
    size : (float, float)
        ``(Lx, Ly)`` in box units.
    counts : tuple of int
        Number of sticks of each population (the expected numbers, rounded).
    expected_counts : tuple of float
        The expected numbers before rounding (``density · A / ⟨l⟩²`` or ``amd · A / ⟨m⟩``).
    """

    populations: tuple[WirePopulation, ...]
    box: float | str | tuple = 16.0
    periodic: str | tuple[bool, bool] = "none"
    junctions: JunctionModel | float | str = 1.0
    electrodes: BusBars | Electrodes = field(default_factory=BusBars)
    form: str = "junction-node"
    max_sticks: int = MAX_STICKS
    unit: float | None = field(init=False, default=None)
    size: tuple[float, float] = field(init=False, default=(1.0, 1.0))
    counts: tuple[int, ...] = field(init=False, default=())
    expected_counts: tuple[float, ...] = field(init=False, default=())
    specified: dict = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        populations = _as_populations(self.populations)
        set_(self, "specified", {"populations": populations, "box": self.box})
        physical = {p.physical for p in populations}
        if len(physical) > 1:
            raise InvalidInputError("length: give every population's length with a unit, or none")
        unit = populations[0].length.mean if physical == {True} else None
        set_(self, "unit", unit)
        set_(self, "populations", tuple(self._to_box_units(p) for p in populations))
        set_(self, "size", self._box_size())
        set_(self, "periodic", _as_periodic(self.periodic))
        set_(self, "junctions", JunctionModel.of(self.junctions))
        set_(self, "electrodes", as_electrodes(self.electrodes, self.size, self.unit))
        set_(self, "form", validation.choice("form", self.form, ("junction-node", "wire-node")))
        set_(self, "max_sticks", validation.count("max_sticks", self.max_sticks))
        set_(self, "expected_counts", tuple(self._expected_count(p) for p in self.populations))
        amount = next(
            (f for f in ("areal_mass_density", "density", "count") if getattr(populations[0], f) is not None), "count"
        )
        given = self.populations[0].density  # the film's own density can be inf/inf for absurd boxes
        check_stick_budget(sum(self.expected_counts), self.density if given is None else given, name=amount)
        set_(self, "counts", tuple(_rounded_count(c) for c in self.expected_counts))
        if sum(self.counts) > self.max_sticks:
            raise InvalidInputError(
                f"the film needs {sum(self.counts):,} sticks, more than max_sticks = {self.max_sticks:,} "
                "(about 0.5 kB each in the junction-node network); lower the density or the box, or raise max_sticks",
                "max_sticks",
            )
        for p in self.populations:
            if self.form == "junction-node":
                self._rw_of(p)  # refuse a population with no wire resistance now, not at build time

    # Resolution of the inputs into box units.
    def _to_box_units(self, p: WirePopulation) -> WirePopulation:
        set_ = object.__setattr__
        q = replace(p)  # re-validated copy; then converted in place before it is frozen for good
        if self.unit is not None:
            set_(q, "length", _scaled_length(p.length, 1 / self.unit))
            if p.diameter is not None and p.diameter_physical:
                set_(q, "diameter", _scaled_length(p.diameter, 1 / self.unit))
            if p.rw is not None and p.rw_physical:
                set_(q, "rw", p.rw * self.unit)
        elif p.diameter is not None and p.diameter_physical:
            raise InvalidInputError("diameter has a unit but length does not: give length with a unit (e.g. '20um')")
        return q

    def _box_size(self) -> tuple[float, float]:
        values = self.box if isinstance(self.box, tuple | list | np.ndarray) else (self.box, self.box)
        if len(values) != 2:
            raise InvalidInputError(f"box must be L or (Lx, Ly), got {self.box!r}")
        sides = []
        for value in values:
            if has_unit(value):
                if self.unit is None:
                    raise InvalidInputError("box has a unit but length does not: give length with a unit (e.g. '20um')")
                value = parse_quantity(value, "box") / self.unit
            sides.append(
                validation.positive("box", value if not isinstance(value, str) else parse_quantity(value, "box"))
            )
        return (sides[0], sides[1])

    def _expected_count(self, p: WirePopulation) -> float:
        area = self.size[0] * self.size[1]
        if p.count is not None:
            return float(p.count)
        if p.density is not None:
            with np.errstate(over="ignore"):  # tiny lengths overflow to inf: refused by the budget check
                return float(p.density * np.float64(self.size[0] / p.length.mean) * (self.size[1] / p.length.mean))
        if p.areal_mass_density is not None:
            return p.areal_mass_density * area * self.unit**2 / self._mass_per_wire(p)
        raise InvalidInputError(f"population {p.name!r}: give count, density or areal_mass_density")

    def _mass_per_wire(self, p: WirePopulation) -> float:
        """Mean mass of one wire (kg): ``ρ_m π/4 ⟨D²⟩ ⟨l⟩``."""
        if self.unit is None or p.diameter is None or p.material is None:
            raise InvalidInputError("areal_mass_density needs physical lengths (with a unit), a diameter and a material "
                                    "(or mass_density)")  # fmt: skip
        if p.material.mass_density is None:
            raise InvalidInputError("areal_mass_density needs mass_density (or a material preset)")
        mean_d2 = _second_moment(p.diameter) * self.unit**2
        return p.material.mass_density * math.pi / 4 * mean_d2 * p.length.mean * self.unit

    def _rw_of(self, p: WirePopulation) -> float | None:
        """``rw`` of a population with one value (ohm per box unit), or None when it varies with the diameter."""
        if p.rw is not None:
            return p.rw
        if self.form == "wire-node":
            return 0.0
        if p.material is None and self.unit is None:
            return 1.0  # the dimensionless default, as in junction_node_network(sticks)
        if p.material is None or p.material.resistivity is None or p.diameter is None or self.unit is None:
            raise InvalidInputError(
                f"population {p.name!r}: give rw (ohm per unit length), or resistivity (or a material) with a "
                "diameter and physical lengths"
            )
        if isinstance(p.diameter, FixedLength) and p.size_effect is None:
            return float(_rw_from(p.material.resistivity, p.diameter.length * self.unit) * self.unit)
        return None

    # Derived quantities.
    @property
    def names(self) -> tuple[str, ...]:
        """Population names."""
        return tuple(p.name for p in self.populations)

    @property
    def n_sticks(self) -> int:
        """Total number of sticks ``N``."""
        return int(sum(self.counts))

    @property
    def mean_length(self) -> float:
        """Number-weighted mean stick length ``⟨l⟩`` (box units)."""
        n = np.array(self.expected_counts, float)
        means = np.array([p.length.mean for p in self.populations])
        return float(np.dot(n, means) / n.sum()) if n.sum() else float(means[0])

    @property
    def density(self) -> float:
        """``n ⟨l⟩²`` of the whole film (expected, before rounding ``N``), with ``⟨l⟩`` over all its sticks."""
        return sum(self.expected_counts) * self.mean_length**2 / (self.size[0] * self.size[1])

    @property
    def rw(self) -> float | None:
        """Resistance of a unit length of wire (ohm per box unit), if one value holds for every wire."""
        values = {self._rw_of(p) for p in self.populations}
        return values.pop() if len(values) == 1 and None not in values else None

    @property
    def rw_wire(self) -> float | None:
        """Resistance of a whole wire of the mean length, ``⟨l⟩ rw`` (ohm), if ``rw`` is one value."""
        rw = self.rw
        return None if rw is None else float(rw * self.mean_length)

    @property
    def re(self):
        """The stick-electrode contact resistance (ohm or a distribution), resolved by :func:`contact_resistance`."""
        return contact_resistance(self.electrodes.re, self.junctions)

    def stick_rw(self, population: np.ndarray, diameter: np.ndarray) -> np.ndarray:
        """``rw`` of each stick (ohm per box unit) from its population and diameter (box units), shape (N,).

        ``rw = ρ(D) / (π D²/4)``, ``ρ(D)`` the bulk resistivity times the size effect when asked for.
        """
        out = np.empty(len(population))
        for k, p in enumerate(self.populations):
            mine = population == k
            value = self._rw_of(p)
            if value is not None:
                out[mine] = value
                continue
            d_m = diameter[mine] * self.unit
            rho = p.material.resistivity * (
                size_effect_factor(d_m, p.material, p.size_effect) if p.size_effect else 1.0
            )
            out[mine] = _rw_from(rho, d_m) * self.unit
        return out

    def with_changes(self, **changes) -> Film:
        """A copy with some parameters replaced (re-validated; populations and box as originally given)."""
        fields = {k: getattr(self, k) for k in ("periodic", "junctions", "electrodes", "form", "max_sticks")}
        fields.update(self.specified)
        fields.update(changes)
        return Film(**fields)

    def with_population(self, index: int = 0, **changes) -> Film:
        """A copy with population ``index`` changed, e.g. ``with_population(0, areal_mass_density="80mg/m^2")``.

        Giving one of ``count``, ``density`` and ``areal_mass_density`` replaces the amount given before.
        """
        populations = list(self.specified["populations"])
        if {"count", "density", "areal_mass_density"} & set(changes):
            changes = {"count": None, "density": None, "areal_mass_density": None, **changes}
        populations[index] = replace(populations[index], **changes)
        return self.with_changes(populations=tuple(populations))

    def describe(self) -> dict:
        """The film's parameters as plain values (SI where physical), for provenance records."""
        record = {
            "populations": [_describe_population(p, c) for p, c in zip(self.populations, self.counts, strict=True)],
            "box": list(self.size), "unit_m": self.unit, "periodic": list(self.periodic), "form": self.form,
            "density": self.density, "n_sticks": self.n_sticks, "rj": _describe_resistance(self.junctions),
            "re": _describe_resistance(self.electrodes.re) if self.electrodes.re is not None else "rj",
        }  # fmt: skip
        return record


def _describe_population(p: WirePopulation, count: int) -> dict:
    return {
        "name": p.name, "count": count, "length": repr(p.length), "odf": p.odf.spec(),
        "diameter": None if p.diameter is None else repr(p.diameter),
        "material": None if p.material is None else p.material.name,
        "resistivity_ohm_m": None if p.material is None else p.material.resistivity,
        "rw": p.rw, "size_effect": p.size_effect,
    }  # fmt: skip


def _describe_resistance(value) -> object:
    if isinstance(value, JunctionModel):
        if value.rj is not None:
            return value.rj
        if value.distribution is not None:
            return repr(value.distribution)
        if value.values is not None:
            return f"per-junction array ({len(value.values)} values)"
        return {
            f"{a}-{b}": (v if not isinstance(v, ResistanceDistribution) else repr(v))
            for (a, b), v in value.by_pair.items()
        }
    return value if not isinstance(value, ResistanceDistribution) else repr(value)


def _rounded_count(value: float) -> int:
    if not math.isfinite(value) or value > 1e15:
        raise InvalidInputError(f"the film needs {value:.3g} sticks: lower the density or the box")
    return int(round(value))


def _rw_from(resistivity, diameter_m):
    """``ρ / (π D²/4)`` (ohm/m)."""
    return resistivity / (math.pi / 4 * np.asarray(diameter_m, dtype=float) ** 2)


def _second_moment(dist: LengthDistribution) -> float:
    """``⟨D²⟩`` of a length distribution, by Gauss quadrature of its samples' quantiles where not closed-form."""
    if isinstance(dist, FixedLength):
        return dist.length**2
    if isinstance(dist, UniformLength):
        return (dist.low**2 + dist.low * dist.high + dist.high**2) / 3
    std = getattr(dist, "std", None)
    if std is not None:  # mean/std families
        return dist.mean**2 + std**2
    rng = np.random.default_rng(0)  # deterministic Monte Carlo for the remaining families
    sample = dist.sample(1_000_000, rng)
    return float(np.mean(sample**2))
