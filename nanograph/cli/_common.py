"""Argument helpers shared by the command modules of :mod:`nanograph.cli`.

One vocabulary for every command (the house style's table): ``--box L | --box LX LY`` (one box; several
sizes are ``--boxes``), ``--periodic none|x|y|xy``, ``--density`` (n⟨l⟩²), ``--n-sticks``, ``--rj``/``--rw``/
``--re`` (each may carry a unit), ``--seed``, ``--json``, ``--quiet``. Old spellings are kept for one minor
version through :func:`add_deprecated`: they still work, and the command prints one line naming the new one.
"""

from __future__ import annotations

import argparse
import json
import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from nanograph._version import __version__
from nanograph.choices import PERIODIC_CHOICES, SOLVERS
from nanograph.errors import InvalidInputError

if TYPE_CHECKING:  # the numerical modules load in the handlers, not when the parser is built
    from nanograph.geometry.sticks import Sticks

__all__ = [
    "IMAGE_SUFFIXES",
    "PERIODIC_CHOICES",
    "BoxOrSizes",
    "add_box",
    "add_command",
    "add_deprecated",
    "add_output",
    "add_periodic",
    "add_resistances",
    "add_seed",
    "add_sticks_input",
    "check_image_suffix",
    "emit",
    "flag",
    "fresh_seed",
    "load_sticks_argument",
    "print_json",
    "resistances",
    "to_json_value",
    "versioned",
]

#: Image file suffixes matplotlib writes with its default back-end (``savefig`` picks the format from the suffix).
IMAGE_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg", ".eps", ".ps", ".tif", ".tiff", ".webp")


class _Default(float):
    """A default value that can be told apart from the same number typed by the user (``args.rw is DEFAULT_RW``)."""


#: Default of ``--rw`` (1 ohm per box unit).
DEFAULT_RW = _Default(1.0)


def add_command(sub, name: str, help: str, example: str, func) -> argparse.ArgumentParser:
    """Add command ``name`` to ``sub`` with a one-line ``help``, an ``example`` epilog and handler ``func``.

    The handler is wrapped so that, once it has returned, every deprecated spelling the user typed (see
    :func:`add_deprecated`) is reported as one warning line naming the new spelling. (After the command, so
    that a refused input still prints exactly one error line.)
    """
    p = sub.add_parser(
        name, help=help, description=help, epilog=f"example: {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    p.set_defaults(func=_warning_deprecations(func))
    return p


def _warning_deprecations(func):
    def run(args: argparse.Namespace) -> int:
        code = func(args)
        for old, new in dict.fromkeys(getattr(args, "_deprecated", ())):
            warnings.warn(f"{old} is deprecated and will be removed in the next minor version; use {new}",
                          FutureWarning, stacklevel=2)  # fmt: skip
        return code

    run.__wrapped__ = func
    return run


class _DeprecatedAction(argparse.Action):
    """An old spelling: stores ``convert(value)`` into the new ``dest`` and records the deprecation.

    Errors about ``dest`` then name the flag the user typed (``flag_names``), so a refusal of ``--cn -5`` says
    ``--cn``, not ``--density``.
    """

    def __init__(self, option_strings, dest, *, new: str, convert=None, **kwargs) -> None:
        self.new, self.convert = new, convert
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        value = self.convert(values, getattr(namespace, self.dest, None)) if self.convert else values
        setattr(namespace, self.dest, value)
        namespace._deprecated = [*getattr(namespace, "_deprecated", ()), (option_string, self.new)]
        namespace.flag_names = {**getattr(namespace, "flag_names", {}), self.dest: option_string}


def add_deprecated(p, flag: str, dest: str, new: str, *, convert=None, nargs=None, type=None, metavar=None) -> None:
    """Keep the old spelling ``flag`` of ``dest`` working for one minor version (hidden from ``--help``).

    Parameters
    ----------
    p : argparse.ArgumentParser or argument group
        Where the new flag lives.
    flag : str
        The old spelling, e.g. ``"--cn"``.
    dest : str
        The destination of the new flag (``"density"``).
    new : str
        The new spelling as the user should type it (``"--density"``), named in the warning.
    convert : callable, optional
        ``convert(values, current)`` -> the value to store (e.g. ``--open-y`` -> ``"none"``).
    nargs, type, metavar
        As for :meth:`argparse.ArgumentParser.add_argument`; ``nargs=0`` for a switch.
    """
    kwargs = {"nargs": nargs, "type": type, "metavar": metavar}
    p.add_argument(flag, dest=dest, action=_DeprecatedAction, new=new, convert=convert, help=argparse.SUPPRESS,
                   default=argparse.SUPPRESS, **{k: v for k, v in kwargs.items() if v is not None})  # fmt: skip


def flag(args: argparse.Namespace, dest: str) -> str:
    """The flag the user typed for ``dest`` (an old spelling when they used one), for error messages."""
    return getattr(args, "flag_names", {}).get(dest, "--" + dest.replace("_", "-"))


def add_output(p, json_help: str = "print one JSON object (with nanograph_version)") -> None:
    """``--json`` (machine-readable output) and ``--quiet`` (print nothing on success)."""
    p.add_argument("--json", action="store_true", help=json_help)
    p.add_argument("--quiet", action="store_true", help="print nothing on success (errors still go to stderr)")


def add_seed(p, default: int | None = None) -> None:
    """``--seed``: the root seed; omitted, fresh entropy is drawn and reported as the seed."""
    what = f"Default {default}" if default is not None else "omit for fresh entropy, reported as 'seed'"
    p.add_argument("--seed", type=int, default=default, help=f"random seed ({what})")


def fresh_seed(seed: int | None) -> int:
    """``seed``, or fresh entropy from the operating system when None: the seed a command reports and uses.

    Examples
    --------
    >>> fresh_seed(3)
    3
    >>> fresh_seed(None) > 2**64
    True
    """
    from nanograph.ensemble.seeds import root_entropy

    return root_entropy(seed)


class _BoxAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if len(values) > 2:
            parser.error(f"{option_string} takes L or LX LY (one box), got {len(values)} values; "
                         "several sizes are --boxes")  # fmt: skip
        setattr(namespace, self.dest, values)


def add_box(p, *, required: bool = False, default=None, help: str | None = None, type=float) -> None:
    """``--box L`` or ``--box LX LY``: always one box (a third value is an error naming ``--boxes``)."""
    p.add_argument("--box", type=type, nargs="+", action=_BoxAction, metavar="L", required=required,
                   default=default, help=help or "box side L, or LX LY")  # fmt: skip


class BoxOrSizes(argparse.Action):
    """``--box L`` is one size; several values keep their old meaning (several sizes, now ``--boxes``) for one
    minor version, with a deprecation line. ``sizes`` names the destination of the sizes (``--boxes``'s)."""

    def __init__(self, option_strings, dest, *, sizes: str, **kwargs) -> None:
        self.sizes = sizes
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if len(values) == 1:
            setattr(namespace, self.dest, list(values))
            return
        setattr(namespace, self.sizes, list(values))
        joined = " ".join(f"{v:g}" for v in values)
        namespace._deprecated = [*getattr(namespace, "_deprecated", ()),
                                 (f"--box {joined} (several sizes)", f"--boxes {joined}")]  # fmt: skip


def _add_axis(axis: str):
    def convert(values, current) -> str:
        axes = set() if current in (None, "none") else set(current)
        return "".join(a for a in "xy" if a in axes | {axis})

    return convert


def add_periodic(p, *, default: str | None = "none", help: str | None = None, old_flags: bool = True) -> None:
    """``--periodic none|x|y|xy``, with the old ``--periodic-x`` / ``--periodic-y`` switches (deprecated)."""
    p.add_argument("--periodic", choices=PERIODIC_CHOICES, default=default,
                   help=help or f"periodic axes (x periodic: no bus bars). Default {default}")  # fmt: skip
    if old_flags:
        for axis in "xy":
            add_deprecated(p, f"--periodic-{axis}", "periodic", f"--periodic {axis} (or xy)", convert=_add_axis(axis),
                           nargs=0)  # fmt: skip


def _quantity_type(name: str, dimension: str, *, keep_units: bool = False):
    """An argparse type: a number (the command's default unit) or a quantity such as ``10ohm``.

    With ``keep_units`` a value with a unit is kept as text (resolved later, once the stick file's unit is
    known); otherwise it is converted to SI here.
    """
    from nanograph.units import has_unit, parse_quantity

    def parse(text: str):
        try:
            if keep_units and has_unit(text):
                parse_quantity(text, name, dimension)  # checks the dimension now
                return text
            return parse_quantity(text, name, dimension)
        except InvalidInputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = name
    return parse


def add_resistances(p: argparse.ArgumentParser) -> None:
    """``--rj``, ``--rw``, ``--re`` (each may carry a unit: ``10ohm``, ``8e6ohm/m``) and ``--solver``."""
    p.add_argument(
        "--rj",
        type=_quantity_type("rj", "resistance"),
        default=1.0,
        help="junction resistance Rj (ohm, or e.g. 10ohm; 0 = seamless, where the wire-node form needs --re > 0). "
        "Default 1",
    )
    p.add_argument(
        "--rw",
        type=_quantity_type("rw", "rw", keep_units=True),
        default=DEFAULT_RW,
        help="resistance of a unit length of wire (ohm per box unit, or e.g. 8e6ohm/m for a file with a unit). "
        "Default 1",
    )
    p.add_argument("--re", type=_quantity_type("re", "resistance"), default=None,
                   help="stick-electrode contact resistance (ohm, or e.g. 5ohm). Default: Rj")  # fmt: skip
    p.add_argument("--solver", choices=SOLVERS, default="auto", help="linear solver back-end. Default auto (CHOLMOD)")


def resistances(args: argparse.Namespace, sticks: Sticks | None = None) -> dict:
    """``rj``, ``rw`` (ohm per box unit) and ``re`` of a command, with ``re`` resolved by the model.

    ``re`` defaults to ``rj`` in :func:`nanograph.model.contact_resistance` only. A ``--rw`` with a unit
    (ohm/m) needs the stick file's unit (metres per box unit, ``sticks.info['unit_m']``); ``--resistivity``
    and ``--diameter`` (where the command has them) give ``rw = ρ / (π D²/4)`` through
    :class:`nanograph.model.WirePopulation`.

    Returns
    -------
    dict
        ``rj``, ``rw``, ``re`` (ohm, ohm per box unit, ohm) and ``rw_per_length_ohm_m`` (None without a unit).
    """
    from nanograph.model import contact_resistance

    unit = None if sticks is None else sticks.info.get("unit_m")
    rw, rw_si = _wire_resistance(args, unit)
    return {"rj": args.rj, "rw": rw, "re": contact_resistance(args.re, args.rj), "rw_per_length_ohm_m": rw_si}


def _wire_resistance(args: argparse.Namespace, unit: float | None) -> tuple[float, float | None]:
    from nanograph.model import Film, Material, WirePopulation
    from nanograph.units import has_unit, parse_quantity

    resistivity, diameter = getattr(args, "resistivity", None), getattr(args, "diameter", None)
    physical = has_unit(args.rw) or resistivity is not None or diameter is not None
    if not physical:
        return float(args.rw), (float(args.rw) / unit if unit else None)
    if (resistivity is None) != (diameter is None):
        missing, example = ("resistivity", "1.59e-8ohm*m") if resistivity is None else ("diameter", "50nm")
        raise InvalidInputError(f"{missing}: needed with the other of resistivity and diameter (rw = resistivity / "
                                f"(pi D^2 / 4)), e.g. {example}", parameter=missing)  # fmt: skip
    if unit is None:
        raise InvalidInputError(
            f"{'resistivity' if resistivity is not None else 'rw'}: a resistance per metre (or resistivity and "
            "diameter) needs a stick file with a unit: a .npz written with one, or --unit for a CSV (e.g. --unit um)"
        )
    if resistivity is not None:
        if args.rw is not DEFAULT_RW:
            raise InvalidInputError("rw: give --rw, or --resistivity with --diameter, not both")
        # The model derives rw = resistivity / (pi D^2 / 4): a one-wire film of <l> = 1 m gives it in ohm/m.
        # (mass_density is not used by rw; WirePopulation(resistivity=...) alone refuses its missing mass density.)
        material = Material("wire", resistivity=resistivity, mass_density=1.0)
        population = WirePopulation(count=1, length="1m", diameter=_with_unit(diameter), material=material)
        rw_si = Film(population, box=1.0).rw
        if rw_si is None:
            raise InvalidInputError(f"diameter: give one diameter (e.g. 50nm), got {diameter!r}")
    else:
        rw_si = parse_quantity(args.rw, "rw")
    return rw_si * unit, rw_si


def _with_unit(diameter: str) -> str:
    from nanograph.units import has_unit

    if not has_unit(diameter):
        raise InvalidInputError(f"diameter: {diameter!r} needs a unit (e.g. 50nm)")
    return diameter


def add_sticks_input(p: argparse.ArgumentParser) -> None:
    """The positional sticks file with ``--box``, ``--periodic`` and ``--unit`` (old ``--periodic-x/-y`` kept)."""
    p.add_argument("sticks", type=Path, help="sticks file: .npz (array 'sticks', N x 4) or .csv (x0,y0,x1,y1)")
    add_box(p, help="box side L, or LX LY, in the file's coordinates (default: from the .npz)")
    add_periodic(
        p, default=None, help="periodic axes: none, x (no bus bars), y or xy. Default: from the .npz, else none"
    )
    p.add_argument("--unit", default=None,
                   help="length of one coordinate unit, e.g. um or 20um (default: stored in the .npz, else none)")  # fmt: skip


def load_sticks_argument(args: argparse.Namespace) -> Sticks:
    """Load the sticks named by :func:`add_sticks_input`'s arguments (with the unit in ``info['unit_m']``)."""
    from nanograph.geometry.io import load_sticks
    from nanograph.model import PERIODIC

    periodic = None if args.periodic is None else PERIODIC[args.periodic]
    unit = getattr(args, "unit", None)
    return load_sticks(args.sticks, box=tuple(args.box) if args.box else None, periodic=periodic,
                       unit=None if unit is None else _unit_length(unit))  # fmt: skip


def _unit_length(text: str) -> float:
    """``um`` or ``20um`` as metres (a bare unit means one of it)."""
    from nanograph.units import parse_quantity

    text = text.strip()
    return parse_quantity(text if text[:1].isdigit() or text[:1] == "." else f"1{text}", "unit", "length")


def check_image_suffix(path: Path | str, flag: str = "-o/--output") -> Path:
    """Refuse an image path whose suffix matplotlib cannot write, before any work is done.

    Parameters
    ----------
    path : Path or str
        The image file the user asked for.
    flag : str
        The command-line flag that gave ``path`` (named in the error).

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    InvalidInputError
        If the suffix is not one of :data:`IMAGE_SUFFIXES`.

    Examples
    --------
    >>> check_image_suffix("net.png").name
    'net.png'
    """
    path = Path(path)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise InvalidInputError(
            f"{flag} {str(path)!r}: unknown image type {path.suffix or '(no suffix)'!r}; "
            f"end the file name with one of {', '.join(IMAGE_SUFFIXES)}"
        )
    return path


def to_json_value(value):
    """``value`` with NumPy scalars/arrays, paths and tuples made JSON-native and non-finite floats made ``None``.

    Parameters
    ----------
    value : object
        A record: dicts, lists, tuples, NumPy scalars and arrays, paths, numbers, strings, ``None``.

    Returns
    -------
    object
        The same structure built from ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` and ``None``,
        with NaN and +-inf replaced by ``None`` (JSON has no non-finite numbers).

    Examples
    --------
    >>> import numpy as np
    >>> to_json_value({"g": np.float64("nan"), "x": np.arange(2), "inf": float("inf")})
    {'g': None, 'x': [0, 1], 'inf': None}
    """
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "tolist"):  # NumPy scalar or array
        return to_json_value(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(record) -> None:
    """Print ``record`` as one valid JSON document (NumPy values converted; NaN and +-inf written as null)."""
    print(json.dumps(to_json_value(record), allow_nan=False))


def versioned(record: dict, **provenance) -> dict:
    """``record`` with ``nanograph_version`` first, then ``provenance`` (e.g. ``seed=...``), then its keys."""
    return {"nanograph_version": __version__, **provenance, **record}


def emit(args: argparse.Namespace, record: dict, text=None) -> None:
    """Print a command's result: ``record`` as JSON with ``--json``, nothing with ``--quiet``, else ``text()``.

    ``record`` should already carry ``nanograph_version`` (:func:`versioned`); it is added when missing.
    """
    if getattr(args, "json", False):
        print_json(record if "nanograph_version" in record else versioned(record))
    elif not getattr(args, "quiet", False) and text is not None:
        text()
