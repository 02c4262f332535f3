"""Argument helpers shared by the command modules of :mod:`nanograph.cli`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from nanograph.geometry.io import load_sticks
from nanograph.geometry.sticks import Sticks
from nanograph.linalg.factor import SOLVERS

__all__ = ["add_command", "add_resistances", "add_sticks_input", "load_sticks_argument", "print_json"]


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
    p.add_argument("--rj", type=float, default=1.0, help="junction resistance Rj (ohm; 0 = seamless). Default 1")
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


def print_json(record) -> None:
    """Print ``record`` as one JSON document (NumPy scalars and arrays converted)."""
    print(json.dumps(record, default=_to_builtin))


def _to_builtin(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
