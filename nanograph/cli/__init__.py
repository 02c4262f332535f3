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
import os
import pkgutil
import re
import sys
import warnings

from nanograph._version import __version__
from nanograph.errors import InaccurateSolutionError, NanographError

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
    parser.add_argument("--version", action="version", version=f"nanograph {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _command_modules():
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nanograph`` command.

    Errors (bad input, files that cannot be read or written) print one line ``nanograph <cmd>: error: ...`` and
    return 2; a result that could not be computed to its stated accuracy
    (:class:`~nanograph.linalg.solve.InaccurateSolutionError`) prints one such line and returns 1; warnings
    print one line ``nanograph <cmd>: warning: ...``.
    """
    args = build_parser().parse_args(argv)
    prefix = f"nanograph {args.command}"
    with warnings.catch_warnings():
        warnings.showwarning = _one_line_warning(prefix)
        try:
            return args.func(args)
        except InaccurateSolutionError as exc:  # computed, but not to the promised accuracy: exit 1, no number
            print(f"{prefix}: error: {exc}", file=sys.stderr)
            return 1
        except NanographError as exc:
            print(f"{prefix}: error: {flag_message(args, exc)}", file=sys.stderr)
        except KeyboardInterrupt:  # Ctrl-C: one line and the shell's convention 128 + SIGINT
            print(f"{prefix}: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:  # the reader (e.g. `| head`) closed stdout: stop quietly, as a shell tool does
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        except OSError as exc:
            print(f"{prefix}: error: {_describe_os_error(exc)}", file=sys.stderr)
        return 2


def flag_message(args: argparse.Namespace, exc: Exception) -> str:
    """The library's message with its leading Python parameter replaced by the command's flag.

    The library names parameters (``areal_mass_density: ...``); a command maps them to its flags through
    ``flag_names`` (set with ``set_defaults``), or the flag is the parameter with dashes when the command has it.
    """
    message = str(exc)
    parameter = getattr(exc, "parameter", None)
    if not parameter:
        return message
    flag = getattr(args, "flag_names", {}).get(parameter)
    if flag is None and hasattr(args, parameter):
        flag = "--" + parameter.replace("_", "-")
    if flag is None:
        return message
    return re.sub(rf"(?<![\w-]){re.escape(parameter)}(?![\w])", flag, message)


def _one_line_warning(prefix: str):
    def show(message, category, filename, lineno, file=None, line=None) -> None:
        text = " ".join(str(message).split())
        print(f"{prefix}: warning: {text}", file=sys.stderr if file is None else file)

    return show


def _describe_os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return f"{reason}; check the paths given on the command line"
    fix = {
        FileNotFoundError: "create the folder first, or give a path that exists",
        PermissionError: "choose a location you can write to",
        IsADirectoryError: "give a file name, not a folder",
        NotADirectoryError: "a part of the path is a file, not a folder; choose another path",
    }.get(type(exc), "check the path")
    return f"{reason}: {exc.filename}; {fix}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
