"""Command ``reproduce``: every published table and figure of the three papers, published vs computed."""

from __future__ import annotations

from pathlib import Path

from nanograph.cli._common import add_command, add_output, print_json, versioned
from nanograph.errors import InvalidInputError

ORDER = 90


def _cmd_reproduce(args) -> int:
    from nanograph.reproduce import experiments, format_report, run_experiment

    registry = experiments()
    if args.list:
        if args.json:
            print_json(versioned({"experiments": list(registry)}))
        elif not args.quiet:
            width = max((len(n) for n in registry), default=0)
            for name, exp in registry.items():
                print(f"{name:<{width}}  [{exp.paper}] {exp.description}")
        return 0
    if args.name is None:
        raise InvalidInputError("name an experiment (or `all`), or use --list")
    names = list(registry) if args.name == "all" else [args.name]
    reports = []
    for name in names:
        report = run_experiment(name, quick=args.quick, out=args.out)
        reports.append(report)
        if not (args.json or args.quiet):
            print(format_report(report), flush=True)
            print()
    missed = [r.name for r in reports if not r.ok]
    if args.json:
        print_json(versioned({"quick": args.quick, "out": args.out, "missed": missed,
                              "reports": [r.to_dict() for r in reports]}))  # fmt: skip
    if missed and not args.json:
        print(f"missed a tolerance: {', '.join(missed)}" + (" (quick run: not an error)" if args.quick else ""))
    return 1 if missed and not args.quick else 0


def register(sub) -> None:
    """Add ``reproduce`` to the subparsers ``sub``."""
    p = add_command(sub, "reproduce", "reproduce a published table or figure (or all); prints published vs computed",
                    "nanograph reproduce emt-foster --quick --out out/reproduce", _cmd_reproduce)  # fmt: skip
    p.add_argument("name", nargs="?", help="experiment name (see --list), or `all`")
    p.add_argument("--list", action="store_true", help="list the registered experiments")
    p.add_argument("--quick", action="store_true", help="smaller ensembles; misses are reported, exit code 0")
    p.add_argument("--out", type=Path, default=Path("out/reproduce"), help="figure folder. Default out/reproduce")
    add_output(p, "print the reports as one JSON object (with nanograph_version); figures are still written")
