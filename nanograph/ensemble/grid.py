"""Parameter grids of a sweep: the Cartesian product of the values of each parameter, validated up front.

A grid names a list of values for any of the :data:`GRID_PARAMETERS` (a single value is a list of one),
the parameters of the orientation distribution (``odf_params``, e.g. ``omega = [0.1, 0.3]`` with
``odf = "cross"``), the number of ``runs`` per grid point, the root ``seed`` and the per-realization
``analyses``. Every value is checked with the same parsers the rest of nanograph uses before any work
starts, so a typo in the last value of a long list fails at once with a message naming it.

A grid comes from keyword arguments (:meth:`SweepGrid.from_mapping`), a TOML file (:func:`load_grid`) or the
``nanograph sweep`` flags. A TOML grid file holds the same keys at top level::

    density = [8, 10, 12]
    box = 16
    form = ["wire-node", "junction-node"]
    odf = "isotropic"
    runs = 20
    seed = 3
    analyses = ["conductance"]

    [odf_params]          # optional: expands odf = "cross" into cross:omega=0.1, cross:omega=0.3
    omega = [0.1, 0.3]
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path

from nanograph import validation
from nanograph.errors import InvalidInputError
from nanograph.geometry.lengths import parse_length
from nanograph.geometry.odf import parse_odf
from nanograph.graphs.builders import FORMS
from nanograph.model import PERIODIC as _PERIODIC_AXES
from nanograph.model import BusBars, Film, WirePopulation, contact_resistance

__all__ = ["GRID_PARAMETERS", "GEOMETRY_PARAMETERS", "CLOSURES", "PERIODIC", "SweepGrid", "load_grid", "point_film"]

#: Grid parameters in column order, with their defaults. ``re = None`` means "equal to rj".
GRID_PARAMETERS: dict[str, object] = {
    "density": None,
    "box": 16.0,
    "length": "1",
    "odf": "isotropic",
    "periodic": "none",
    "form": "junction-node",
    "rj": 1.0,
    "rw": 1.0,
    "re": None,
    "closure": "none",
}

#: The parameters that decide the sticks; realizations that share them share their random streams.
GEOMETRY_PARAMETERS = ("density", "box", "length", "odf", "periodic")

#: Closures a grid may ask for (``regular`` needs :mod:`nanograph.transforms.closure`).
CLOSURES = ("none", "regular")

#: Periodic axes, as in ``nanograph generate --periodic``.
PERIODIC = tuple(_PERIODIC_AXES)

_OTHER_KEYS = ("runs", "seed", "analyses", "odf_params")


def _as_list(name: str, value) -> list:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise InvalidInputError(f"grid parameter {name!r} has an empty list of values; give at least one")
    return values


def _number(name: str, value, *, positive: bool = False) -> float:
    try:
        return validation.number(name, value, low=0.0, strict_low=positive)
    except InvalidInputError as exc:
        raise InvalidInputError(f"grid parameter {name!r}: {str(exc).removeprefix(name + ' ')}", name) from None


def _choice(name: str, value, choices) -> str:
    if value not in choices:
        raise InvalidInputError(f"grid parameter {name!r}: {value!r} is not one of {', '.join(choices)}")
    return value


def _closure(value) -> str:
    value = _choice("closure", value, CLOSURES)
    if value == "regular":
        try:
            import nanograph.transforms.closure  # noqa: F401
        except ImportError:
            raise InvalidInputError(
                "grid parameter 'closure': 'regular' needs nanograph.transforms.closure, which this installation "
                "lacks; use closure = none"
            ) from None
    return value


def _spec(name: str, value, parse) -> str:
    text = str(value).strip()
    parse(text)  # raises InvalidInputError naming the spec
    return text


_VALIDATORS = {
    "density": lambda v: _number("density", v),
    "box": lambda v: _number("box", v, positive=True),
    "length": lambda v: _spec("length", v, parse_length),
    "odf": lambda v: str(v).strip(),  # checked after the odf parameters are attached
    "periodic": lambda v: _choice("periodic", v, PERIODIC),
    "form": lambda v: _choice("form", v, FORMS),
    "rj": lambda v: _number("rj", v),
    "rw": lambda v: _number("rw", v),
    "re": lambda v: None if v is None or v == "rj" else _number("re", v),
    "closure": _closure,
}


def _with_odf_params(odf: str, params: dict[str, float]) -> str:
    if not params:
        return odf
    items = ",".join(f"{k}={v!r}" for k, v in params.items())
    return f"{odf},{items}" if ":" in odf else f"{odf}:{items}"


@dataclass(frozen=True)
class SweepGrid:
    """A validated sweep: values per grid parameter, ODF parameters, runs, root seed and analyses.

    Build it with :meth:`from_mapping`, :func:`load_grid` or directly (``SweepGrid({"density": [8, 10]}, runs=3)``);
    every way validates the same, and refuses combinations that fail for every realization (``closure =
    regular`` with a form other than junction-node, the ``backbone`` analysis with ``periodic`` x, ``rj = rw = re
    = 0``). :meth:`points` lists the grid points.

    Attributes
    ----------
    values : dict
        Tuple of values of each of :data:`GRID_PARAMETERS` (defaults filled in).
    odf_params : dict
        Tuple of values of each parameter of the orientation distribution (each becomes a column).
    runs : int
        Realizations per grid point.
    seed : int or None
        Root seed; ``None`` draws fresh entropy when the sweep starts (and the store keeps it).
    analyses : tuple of str
        Names of per-realization analyses (:func:`~nanograph.ensemble.analyses.analysis_names`).

    Examples
    --------
    >>> grid = SweepGrid.from_mapping({"density": [8, 10], "box": 4, "form": ["wire-node", "junction-node"],
    ...                                "runs": 3, "seed": 1})
    >>> len(grid.points()), grid.n_realizations
    (4, 12)
    >>> grid.points()[0]["density"], grid.points()[0]["re"]
    (8.0, 1.0)
    """

    values: dict
    odf_params: dict = field(default_factory=dict)
    runs: int = 1
    seed: int | None = None
    analyses: tuple[str, ...] = ("conductance",)

    def __post_init__(self) -> None:
        """Validate and normalise every field, whichever way the grid was built (``SweepGrid(...)`` included)."""
        from nanograph.ensemble.analyses import check_analyses

        if not isinstance(self.values, dict):
            raise InvalidInputError(
                f"grid values must be a dict of parameter -> value(s), got {type(self.values).__name__}"
            )
        unknown = set(self.values) - set(GRID_PARAMETERS)
        if unknown:
            raise InvalidInputError(
                f"unknown grid parameter(s) {', '.join(sorted(unknown))}; grid parameters: {', '.join(GRID_PARAMETERS)}"
                f" (runs, seed, analyses and odf_params are separate fields)"
            )
        if self.values.get("density") is None:
            raise InvalidInputError("the grid needs at least one density (n l^2), e.g. density = [8, 10, 12]")
        values = {}
        for name, default in GRID_PARAMETERS.items():
            raw = self.values.get(name, default)
            values[name] = tuple(dict.fromkeys(_VALIDATORS[name](v) for v in _as_list(name, raw)))
        odf_params = {}
        for name, raw in dict(self.odf_params or {}).items():
            if name in GRID_PARAMETERS or name in _OTHER_KEYS or name in ("run", "status"):
                raise InvalidInputError(f"odf parameter {name!r} clashes with a grid column; rename it")
            odf_params[name] = tuple(dict.fromkeys(_odf_value(name, v) for v in _as_list(name, raw)))
        if isinstance(self.runs, bool) or not isinstance(self.runs, int) or self.runs < 1:
            raise InvalidInputError(f"runs must be a whole number >= 1, got {self.runs!r}")
        seed = self.seed
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
            raise InvalidInputError(f"seed must be a whole number >= 0 (or omitted), got {seed!r}")
        analyses = tuple(dict.fromkeys(_as_list("analyses", self.analyses)))
        check_analyses(analyses)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "odf_params", odf_params)
        object.__setattr__(self, "analyses", analyses)
        points = self.points()
        for odf in {p["odf"] for p in points}:
            _spec("odf", odf, parse_odf)
        _check_combinations(points, analyses)

    @classmethod
    def from_mapping(cls, mapping: dict) -> SweepGrid:
        """Validate a grid given as a mapping of parameter names to a value or a list of values.

        Parameters
        ----------
        mapping : dict
            Any of :data:`GRID_PARAMETERS` (a value or a list of values; ``density`` is required), and
            optionally ``runs``, ``seed``, ``analyses`` and ``odf_params``.

        Returns
        -------
        SweepGrid

        Raises
        ------
        InvalidInputError
            Unknown keys, a missing ``density``, any invalid value, or a combination that cannot work
            (the message names it).
        """
        unknown = set(mapping) - set(GRID_PARAMETERS) - set(_OTHER_KEYS)
        if unknown:
            raise InvalidInputError(
                f"unknown grid key(s) {', '.join(sorted(unknown))}; valid keys: "
                f"{', '.join([*GRID_PARAMETERS, *_OTHER_KEYS])}"
            )
        values = {k: v for k, v in mapping.items() if k in GRID_PARAMETERS}
        return cls(values, mapping.get("odf_params") or {}, mapping.get("runs", 1), mapping.get("seed"),
                   mapping.get("analyses", ("conductance",)))  # fmt: skip

    def points(self) -> list[dict]:
        """Every grid point as a dict (grid parameters in column order, then the ODF parameters).

        ``re`` is resolved (``None`` becomes the point's ``rj``) and ``odf`` is the full spec string with
        the ODF parameters attached.
        """
        names = list(self.values) + list(self.odf_params)
        out = []
        for combo in itertools.product(*self.values.values(), *self.odf_params.values()):
            point = dict(zip(names, combo, strict=True))
            extra = {k: point[k] for k in self.odf_params}
            point["odf"] = _with_odf_params(point["odf"], extra)
            point["re"] = contact_resistance(point["re"], point["rj"])
            out.append(point)
        return out

    @property
    def n_realizations(self) -> int:
        """Number of rows the sweep produces (grid points times runs)."""
        return len(self.points()) * self.runs

    @property
    def columns(self) -> list[str]:
        """Names of the grid-parameter columns of the results."""
        return [*GRID_PARAMETERS, *self.odf_params]

    def to_mapping(self) -> dict:
        """The grid as the mapping :meth:`from_mapping` takes (lists of values; ``re = None`` means ``rj``)."""
        mapping = {k: list(v) for k, v in self.values.items()}
        mapping.update(runs=self.runs, seed=self.seed, analyses=list(self.analyses))
        if self.odf_params:
            mapping["odf_params"] = {k: list(v) for k, v in self.odf_params.items()}
        return mapping


def _odf_value(name: str, value) -> float:
    if isinstance(value, bool):
        raise InvalidInputError(f"odf parameter {name!r}: expected a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInputError(f"odf parameter {name!r}: expected a number, got {value!r}") from None
    if not math.isfinite(number):
        raise InvalidInputError(f"odf parameter {name!r}: expected a finite number, got {value!r}")
    return number


def _check_combinations(points: list[dict], analyses: tuple[str, ...]) -> None:
    """Refuse grid points that fail for every realization, before any work starts (one message per kind)."""
    for p in points:
        if p["closure"] == "regular" and p["form"] != "junction-node":
            raise InvalidInputError(
                f"closure = regular needs form = junction-node (it joins the extreme contacts of every stick), "
                f"got form = {p['form']}; drop {p['form']} from the forms or use closure = none"
            )
        if "backbone" in analyses and "x" in p["periodic"]:
            raise InvalidInputError(
                f"the backbone analysis needs bus bars at x = 0 and x = L, got periodic = {p['periodic']}; "
                "use periodic = none or y with it"
            )
        if p["rj"] == p["rw"] == p["re"] == 0:
            raise InvalidInputError(
                "rj = rw = re = 0 makes every resistance zero (the conductance is infinite); give rj, rw or re "
                "a positive value"
            )


def load_grid(path: str | Path, **overrides) -> SweepGrid:
    """Read a TOML grid file (keys as in :class:`SweepGrid`); ``overrides`` replace keys of the file.

    Parameters
    ----------
    path : str or Path
        The TOML file (top-level keys: any of :data:`GRID_PARAMETERS`, ``runs``, ``seed``, ``analyses``,
        and an optional ``[odf_params]`` table).
    **overrides
        Keys replacing those of the file (``None`` values are ignored), e.g. the ``nanograph sweep`` flags.

    Returns
    -------
    SweepGrid
        The validated grid.

    Raises
    ------
    InvalidInputError
        If the file is missing, is not valid TOML, or holds an invalid grid.
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    path = Path(path)
    try:
        mapping = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise InvalidInputError(f"grid file {str(path)!r} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(f"grid file {str(path)!r} is not valid TOML: {exc}") from None
    mapping.update({k: v for k, v in overrides.items() if v is not None})
    return SweepGrid.from_mapping(mapping)


def point_film(point: dict) -> Film:
    """The typed model of a grid point: one population of sticks, its box, junctions and bus bars.

    Parameters
    ----------
    point : dict
        A grid point (:meth:`SweepGrid.points`, or a results row's grid columns).

    Returns
    -------
    Film
        With ``rw`` (ohm per box unit), ``rj`` and ``re`` (ohm) of the point; ``Film.rw_wire`` is the
        whole-wire resistance that EMT and MFA formulas take.

    Examples
    --------
    >>> film = point_film({"density": 6.0, "box": 4.0, "length": "1", "odf": "isotropic", "periodic": "none",
    ...                    "form": "junction-node", "rj": 2.0, "rw": 3.0, "re": None, "closure": "none"})
    >>> film.n_sticks, film.rw_wire, film.re
    (96, 3.0, 2.0)
    """
    population = WirePopulation(density=point["density"], length=point["length"], odf=point["odf"], rw=point["rw"])
    return Film(population, box=point["box"], periodic=point["periodic"], junctions=point["rj"],
                electrodes=BusBars(re=point["re"]), form=point["form"])  # fmt: skip
