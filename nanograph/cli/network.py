"""Commands ``run``, ``generate``, ``solve`` and ``draw``: sticks, graph forms and Kirchhoff conductance."""

from __future__ import annotations

import json
import time
import warnings
from pathlib import Path

from nanograph.cli._common import (
    add_command,
    add_resistances,
    add_sticks_input,
    check_image_suffix,
    load_sticks_argument,
    print_json,
    to_json_value,
)
from nanograph.errors import InvalidInputError, SingularSystemError
from nanograph.geometry.contacts import find_contacts
from nanograph.geometry.io import save_sticks
from nanograph.geometry.sticks import Sticks, generate_sticks
from nanograph.graphs.builders import FORMS, build_network
from nanograph.linalg.solve import InaccurateSolutionError, InaccurateSolutionWarning, Solution, solve_network

ORDER = 10


def _periodic(text: str) -> tuple[bool, bool]:
    return ("x" in text, "y" in text)


def _solve(sticks: Sticks, form: str, args) -> tuple[Solution, dict]:
    t0 = time.perf_counter()
    contacts = find_contacts(sticks)
    t1 = time.perf_counter()
    net = build_network(sticks, form, rw=args.rw, rj=args.rj, re=args.re, contacts=contacts)
    t2 = time.perf_counter()
    with warnings.catch_warnings():  # an inaccurate solution is refused just below, in one line
        warnings.simplefilter("ignore", InaccurateSolutionWarning)
        sol = solve_network(net, solver=args.solver)
    sol.check()  # InaccurateSolutionError: `main` prints one line and exits 1
    t3 = time.perf_counter()
    record = {
        "form": form,
        "conductance": sol.conductance,
        "sheet_conductance": sol.sheet_conductance,
        "resistance": sol.resistance if sol.percolates else None,
        "percolates": sol.percolates,
        "n_sticks": len(sticks),
        "n_junctions": len(contacts),
        "n_nodes": net.n_nodes,
        "n_edges": net.n_edges,
        "n_unknowns": sol.n_unknowns,
        "density": sticks.density,
        "box": list(sticks.box),
        "periodic": list(sticks.periodic),
        "rj": args.rj,
        "rw": args.rw if form == "junction-node" else None,
        "re": args.rj if args.re is None else args.re,
        "kcl_residual": sol.kcl_residual,
        "power_balance_error": sol.power_balance_error,
        "accuracy": sol.accuracy,
        "backend": sol.backend,
        "seconds": {"contacts": t1 - t0, "build": t2 - t1, **sol.timings, "total": t3 - t0},
    }
    return sol, record


def _cmd_generate(args) -> int:
    box = tuple(args.box)
    sticks = generate_sticks(
        args.density, n_sticks=args.n_sticks, box=box, length=args.length, odf=args.odf,
        periodic=_periodic(args.periodic), rng=args.seed,
    )  # fmt: skip
    save_sticks(args.output, sticks)
    print(f"wrote {len(sticks)} sticks (n l^2 = {sticks.density:.4g}, box {sticks.box}) to {args.output}")
    return 0


def _cmd_solve(args) -> int:
    sticks = load_sticks_argument(args)
    _, record = _solve(sticks, args.form, args)
    if args.json:
        print_json(record)
    else:
        _print_table([record])
    return 0


def _cmd_draw(args) -> int:
    check_image_suffix(args.output)
    sticks = load_sticks_argument(args)
    solution = _solve(sticks, args.form, args)[0] if args.color_by == "current" else None
    network = None if solution else build_network(sticks, args.form, rw=args.rw, rj=args.rj, re=args.re)
    from nanograph.plotting.draw import draw_network

    ax = draw_network(sticks, solution, network=network, color_by=args.color_by)
    ax.set_title(f"{len(sticks)} sticks, {args.form}")
    ax.figure.savefig(args.output, bbox_inches="tight")
    print(f"wrote {args.output}")
    return 0


def _print_table(records: list[dict]) -> None:
    rows = [
        ("form", lambda r: r["form"]),
        ("sticks N", lambda r: f"{r['n_sticks']}"),
        ("density n l^2", lambda r: f"{r['density']:.4g}"),
        ("junctions", lambda r: f"{r['n_junctions']}"),
        ("nodes / edges", lambda r: f"{r['n_nodes']} / {r['n_edges']}"),
        ("percolates", lambda r: str(r["percolates"])),
        ("conductance G (S)", lambda r: f"{r['conductance']:.8g}"),
        ("sheet conductance (S/sq)", lambda r: f"{r['sheet_conductance']:.8g}"),
        ("KCL residual (rel.)", lambda r: f"{r['kcl_residual']:.1e}"),
        ("power balance (rel.)", lambda r: f"{r['power_balance_error']:.1e}"),
        ("accuracy of G (rel.)", lambda r: f"{r['accuracy']:.1e}"),
        ("solver", lambda r: r["backend"]),
        ("time total (s)", lambda r: f"{r['seconds']['total']:.3f}"),
    ]
    width = max(len(name) for name, _ in rows)
    cols = [[fmt(r) if "skipped" not in r or name == "form" else "n/a" for r in records] for name, fmt in rows]
    cw = max(len(c) for col in cols for c in col)
    for (name, _), col in zip(rows, cols, strict=False):
        print(f"{name:<{width}} | " + " | ".join(f"{c:>{cw}}" for c in col))
    for r in records:
        if "skipped" in r:
            print(f"n/a: {r['form']}: {r['skipped']}")


def _cmd_run(args) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sticks = generate_sticks(args.density, box=args.box, periodic=(False, args.periodic_y), rng=args.seed)
    records, solutions, inaccurate = [], {}, []
    for form in FORMS:
        try:
            solutions[form], record = _solve(sticks, form, args)
        except SingularSystemError as exc:  # e.g. rj = re = 0 shorts the wire-node form: show n/a, keep the other
            why = (
                " (the wire-node form has no wire resistance: with --rj 0 it needs --re > 0)"
                if form == "wire-node"
                else ""
            )
            record = {"form": form, "skipped": f"{exc}{why}", "rj": args.rj, "rw": args.rw, "re": args.re}
        except InaccurateSolutionError as exc:  # no number shown for it; the command exits 1 below
            record = {"form": form, "skipped": str(exc), "rj": args.rj, "rw": args.rw, "re": args.re}
            inaccurate.append(form)
        records.append(record)
    if not solutions and inaccurate:
        raise InaccurateSolutionError(f"{', '.join(inaccurate)}: {records[-1]['skipped']}")
    if not solutions:
        raise InvalidInputError(
            f"--rj {args.rj}, --rw {args.rw}, --re {args.rj if args.re is None else args.re}: both graph forms are shorted (infinite conductance); "
            "give --rj, --rw and --re positive values"
        )
    print(
        f"nanograph run: {len(sticks)} unit sticks, n l^2 = {args.density}, box {args.box} x {args.box}, "
        f"seed {args.seed}, Rj = {args.rj}, rw = {args.rw}, Re = {args.re if args.re is not None else args.rj}"
    )
    _print_table(records)
    save_sticks(out / "sticks.npz", sticks)
    (out / "summary.json").write_text(json.dumps(to_json_value(records), indent=2, allow_nan=False))
    from nanograph.plotting.draw import draw_network

    form = "junction-node" if "junction-node" in solutions else next(iter(solutions))
    ax = draw_network(sticks, solutions[form], color_by="current")
    ax.set_title(f"{form} currents, n l² = {args.density}, L = {args.box}")
    ax.figure.savefig(out / "network.png", bbox_inches="tight")
    print(f"wrote {out / 'network.png'}, {out / 'summary.json'} and {out / 'sticks.npz'}")
    return 1 if inaccurate else 0  # a form whose conductance could not be computed accurately: tolerance missed


def register(sub) -> None:
    """Add ``run``, ``generate``, ``solve`` and ``draw`` to the subparsers ``sub``."""
    p = add_command(sub, "run", "the main job on defaults: generate, solve both forms, print a table, draw",
                    "nanograph run --density 20 --box 16 --seed 3", _cmd_run)  # fmt: skip
    p.add_argument("--density", type=float, default=10.0, help="n l^2 (sticks per l^2). Default 10")
    p.add_argument("--box", type=float, default=16.0, help="box side L (stick length 1). Default 16")
    p.add_argument("--seed", type=int, default=0, help="random seed. Default 0")
    p.add_argument("--periodic-y", action="store_true", help="periodic in y")
    p.add_argument("--out", default="out", help="folder for network.png, summary.json, sticks.npz. Default out/")
    add_resistances(p)

    p = add_command(sub, "generate", "generate random sticks and save them (.npz or .csv)",
                    "nanograph generate --density 30 --box 32 --seed 1 -o sticks.npz", _cmd_generate)  # fmt: skip
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--density", type=float, help="dimensionless density n <l>^2")
    size.add_argument("--n-sticks", type=int, help="number of sticks N")
    p.add_argument("--box", type=float, nargs="+", required=True, metavar="L", help="box side L, or Lx Ly")
    p.add_argument("--length", default="1", help="stick length or distribution, e.g. 1, uniform:low=0.5,high=1.5, "
                   "normal:loc=1,scale=0.2, lognormal:mean=1,std=0.3, gamma:mean=1,std=0.3. Default 1")  # fmt: skip
    p.add_argument("--odf", default="isotropic", help="orientation distribution spec. Default isotropic")
    p.add_argument("--periodic", choices=["none", "x", "y", "xy"], default="none", help="periodic axes. Default none")
    p.add_argument("--seed", type=int, default=None, help="random seed (omit for fresh entropy)")
    p.add_argument("-o", "--output", type=Path, required=True, help="output file, .npz or .csv")

    p = add_command(sub, "solve", "conductance of a stick file by Kirchhoff (CHOLMOD)",
                    "nanograph solve sticks.npz --rj 1 --rw 1 --form junction-node --json",
                    _cmd_solve)  # fmt: skip
    add_sticks_input(p)
    p.add_argument("--form", choices=FORMS, default="junction-node", help="graph form. Default junction-node")
    add_resistances(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = add_command(sub, "draw", "draw a stick file, coloured by current or showing the graph form",
                    "nanograph draw sticks.npz -o net.png", _cmd_draw)  # fmt: skip
    add_sticks_input(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="image file (.png, .pdf, .svg)")
    p.add_argument("--color-by", choices=["current", "form", "none"], default="current", help="Default current")
    p.add_argument("--form", choices=FORMS, default="junction-node", help="graph form. Default junction-node")
    add_resistances(p)
