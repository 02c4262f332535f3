"""The ``nanograph`` command line. Every command has ``--help`` with an example; errors print one line.

Each module of this package that defines ``register(subparsers)`` contributes commands; ``ORDER`` (an int,
default 100) sorts them in ``nanograph --help``.

Examples
--------
    nanograph run                                    # generate, solve both forms, table + picture
    nanograph generate --density 30 --box 32 --seed 1 -o sticks.npz
    nanograph solve sticks.npz --rj 1 --rw 1 --form junction-node --json
    nanograph draw sticks.npz -o net.png --color-by current
    nanograph reproduce --list
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from nanograph.errors import NanographError

__all__ = ["main"]


def _command_modules() -> list:
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    modules = [m for m in modules if hasattr(m, "register")]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def build_parser() -> argparse.ArgumentParser:
    """The full ``nanograph`` argument parser, with every command module registered."""
    parser = argparse.ArgumentParser(
        prog="nanograph",
        description="Random nanowire (stick) networks: generate, build wire-node / junction-node graphs, solve, "
        "analyse, reproduce the papers.",
        epilog="Start with `nanograph run`; every command has --help with an example.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _command_modules():
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nanograph`` command."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except NanographError as exc:
        print(f"nanograph {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
