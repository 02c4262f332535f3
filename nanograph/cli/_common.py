"""Argument helpers shared by the command modules of :mod:`nanograph.cli`."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from nanograph.errors import InvalidInputError
from nanograph.geometry.io import load_sticks
from nanograph.geometry.sticks import Sticks
from nanograph.linalg.factor import SOLVERS

__all__ = [
    "IMAGE_SUFFIXES",
    "add_command",
    "add_resistances",
    "add_sticks_input",
    "check_image_suffix",
    "load_sticks_argument",
    "print_json",
    "to_json_value",
]

#: Image file suffixes matplotlib writes with its default back-end (``savefig`` picks the format from the suffix).
IMAGE_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg", ".eps", ".ps", ".tif", ".tiff", ".webp")


def add_command(sub, name: str, help: str, example: str, func) -> argparse.ArgumentParser:
    """Add command ``name`` to ``sub`` with a one-line ``help``, an ``example`` epilog and handler ``func``."""
    p = sub.add_parser(
        name, help=help, description=help, epilog=f"example: {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    p.set_defaults(func=func)
    return p


def add_resistances(p: argparse.ArgumentParser) -> None:
    """``--rj``, ``--rw``, ``--re`` and ``--solver``."""
    p.add_argument(
        "--rj",
        type=float,
        default=1.0,
        help="junction resistance Rj (ohm; 0 = seamless, where the wire-node form needs --re > 0). Default 1",
    )
    p.add_argument(
        "--rw", type=float, default=1.0, help="resistance of a unit length of wire (ohm per length). Default 1"
    )
    p.add_argument("--re", type=float, default=None, help="stick-electrode contact resistance (ohm). Default: Rj")
    p.add_argument("--solver", choices=SOLVERS, default="auto", help="linear solver back-end. Default auto (CHOLMOD)")


def add_sticks_input(p: argparse.ArgumentParser) -> None:
    """The positional sticks file with ``--box``, ``--periodic-y`` and ``--periodic-x``."""
    p.add_argument("sticks", type=Path, help="sticks file: .npz (array 'sticks', N x 4) or .csv (x0,y0,x1,y1)")
    p.add_argument("--box", type=float, nargs="+", metavar="L", help="box side L, or Lx Ly (default: from the .npz)")
    p.add_argument("--periodic-y", action="store_true", help="periodic in y (bus bars at x = 0 and x = Lx)")
    p.add_argument(
        "--periodic-x", action="store_true", help="periodic in x: potential drop across the x boundary, no electrodes"
    )


def load_sticks_argument(args: argparse.Namespace) -> Sticks:
    """Load the sticks named by :func:`add_sticks_input`'s arguments."""
    periodic = (args.periodic_x, args.periodic_y) if (args.periodic_x or args.periodic_y) else None
    return load_sticks(args.sticks, box=tuple(args.box) if args.box else None, periodic=periodic)


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
