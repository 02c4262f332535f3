"""Command ``failure``: removal curves (random, by current, by betweenness) and the fuse-model cascade."""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

from nanograph.choices import FORMS
from nanograph.cli._common import (
    add_command,
    add_resistances,
    add_sticks_input,
    check_image_suffix,
    load_sticks_argument,
    print_json,
    resistances,
)
from nanograph.cli.currents import flagged
from nanograph.errors import InvalidInputError

ORDER = 46

_FLAGS = {
    "fraction": "--fraction",
    "steps": "--steps",
    "pairs": "--pairs",
    "threshold": "--threshold",
    "spread": "--spread",
    "max_drive": "--max-drive",
    "check_every": "--check-every",
    "kinds": "--kinds",
    "method": "--method",
}


def _removal(network, args, sticks=None) -> tuple[dict, int]:
    from nanograph.analysis.failure import removal_curve

    curve = removal_curve(network, mode=args.mode, target=args.target, fraction=args.fraction, steps=args.steps,
                          rng=args.seed, pairs=args.pairs, solver=args.solver)  # fmt: skip
    record = {
        "mode": curve.mode,
        "target": curve.target,
        "fraction_removed": curve.fraction_removed,
        "conductance": curve.conductance,
        "failure_fraction": curve.failure_fraction,
        "n_elements": curve.n_elements,
    }
    return record, 0


def _cascade(network, args, sticks=None) -> tuple[dict, int]:
    from nanograph.analysis.failure import fuse_cascade

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="no current-carrying edge can fail")
        c = fuse_cascade(network, args.threshold, quantity=args.quantity, drive=args.drive, spread=args.spread,
                         kinds=args.kinds, rng=args.seed, max_drive=args.max_drive, method=args.method,
                         check_every=args.check_every, solver=args.solver)  # fmt: skip
    record = {
        "mode": "cascade",
        "failed_edges": c.failed_edges,
        "voltage": c.voltage,
        "current": c.current,
        "conductance": c.conductance,
        "avalanche": c.avalanche,
        "n_failures": len(c.failed_edges),
        "opened": c.opened,
        "reason": c.reason,
        "initial_conductance": c.initial_conductance,
        "peak_current": float(c.current.max()) if len(c.current) else None,
        "breakdown_voltage": float(c.voltage.max()) if len(c.voltage) else None,
        "threshold": args.threshold,
        "quantity": c.quantity,
        "drive": c.drive,
        "spread": args.spread,
        "method": c.method,
        "max_update_error": c.max_update_error,
    }
    if c.reason == "never":
        print("nanograph failure: error: no current-carrying edge can fail (infinite thresholds): the cascade "
              "would never end; stopped", file=sys.stderr)  # fmt: skip
        return record, 1
    if args.crack:
        _draw_crack(network, c, args, sticks)
        record["crack_image"] = str(args.crack)
    return record, 0


def _draw_crack(network, cascade, args, sticks) -> None:
    from nanograph.plotting.failure import draw_cascade

    ax = draw_cascade(network, cascade, sticks=sticks)
    ax.figure.savefig(args.crack, bbox_inches="tight")


def _cmd_failure(args) -> int:
    from nanograph.graphs.builders import build_network

    if args.crack:
        check_image_suffix(args.crack, "--crack")
    if args.mode == "cascade" and args.threshold is None:
        raise InvalidInputError("--mode cascade needs --threshold (A, or W with --quantity power)")
    sticks = load_sticks_argument(args)
    t0 = time.perf_counter()
    r = resistances(args, sticks)
    network = build_network(sticks, args.form, rw=r["rw"], rj=r["rj"], re=r["re"])
    try:
        record, status = (_cascade if args.mode == "cascade" else _removal)(network, args, sticks)
    except InvalidInputError as exc:
        raise InvalidInputError(flagged(str(exc), _FLAGS)) from None
    import nanograph

    record = {"nanograph_version": nanograph.__version__, "seed": args.seed, "form": args.form, **record,
              "n_sticks": len(sticks), "n_edges": network.n_edges, "rj": args.rj,
              "rw": r["rw"] if args.form == "junction-node" else None, "re": r["re"],
              "timings": time.perf_counter() - t0}  # fmt: skip
    if args.json:
        print_json(record)
    elif not args.quiet:
        _print(record)
    return status


def _print(record: dict) -> None:
    if record["mode"] == "cascade":
        print(f"fuse cascade ({record['quantity']} thresholds, {record['drive']} ramp, {record['method']}): "
              f"{record['n_failures']} failures, {record['reason']}")  # fmt: skip
        if record["n_failures"]:
            print(f"peak current {record['peak_current']:.6g} A, breakdown voltage {record['breakdown_voltage']:.6g} V")
            print("  #   edge     voltage (V)  current (A)  G after (S)")
            for k, (e, v, i, g) in enumerate(
                zip(record["failed_edges"], record["voltage"], record["current"], record["conductance"], strict=True)
            ):
                if k < 10 or k == record["n_failures"] - 1:
                    print(f"{k:>3} {e:>6}  {v:>12.6g} {i:>12.6g} {g:>12.6g}")
        return
    print(f"removal of {record['target']} ({record['mode']}), failure at fraction {record['failure_fraction']:.4g}")
    print("fraction removed | conductance (S)")
    for f, g in zip(record["fraction_removed"], record["conductance"], strict=True):
        print(f"{f:>16.4f} | {g:.6g}")


def register(sub) -> None:
    """Add ``failure`` to the subparsers ``sub``."""
    p = add_command(
        sub,
        "failure",
        "robustness: conductance as junctions or wires are removed, or the fuse-model burn-out cascade",
        "nanograph failure sticks.npz --box 16 --mode random --fraction 0.2 --steps 20 --seed 3 --json\n"
        "         nanograph failure sticks.npz --box 16 --mode cascade --threshold 0.05 --json",
        _cmd_failure,
    )
    add_sticks_input(p)
    p.add_argument("--form", choices=FORMS, default="junction-node", help="graph form. Default junction-node")
    add_resistances(p)
    p.add_argument("--mode", choices=["random", "current", "betweenness", "cascade"], default="random",
                   help="removal order, or the fuse cascade. Default random")  # fmt: skip
    p.add_argument("--target", choices=["junctions", "wires"], default="junctions",
                   help="what a removal takes away. Default junctions")  # fmt: skip
    p.add_argument("--fraction", type=float, default=0.5, help="largest removed fraction, in [0, 1]. Default 0.5")
    p.add_argument("--steps", type=int, default=20, help="points of the removal curve (one solve each). Default 20")
    p.add_argument("--pairs", type=int, default=64, help="sampled pairs of the betweenness order. Default 64")
    p.add_argument("--seed", type=int, default=None, help="random seed (omit for fresh entropy)")
    p.add_argument("--threshold", type=float, help="cascade: failure threshold of every edge (A, or W)")
    p.add_argument("--quantity", choices=["current", "power"], default="current",
                   help="cascade: what the threshold limits. Default current")  # fmt: skip
    p.add_argument("--drive", choices=["voltage", "current"], default="voltage",
                   help="cascade: ramp of the voltage or of the total current. Default voltage")  # fmt: skip
    p.add_argument("--spread", type=float, default=0.0,
                   help="cascade: thresholds times uniform numbers in [1 - s, 1 + s], s in [0, 1). Default 0")  # fmt: skip
    p.add_argument("--kinds", nargs="+", choices=["junction", "segment", "electrode"],
                   help="cascade: edge kinds that can fail. Default all")  # fmt: skip
    p.add_argument("--max-drive", type=float, help="cascade: stop before a failure needing more drive (V or A)")
    p.add_argument("--method", choices=["auto", "update", "refactor"], default="auto",
                   help="cascade: CHOLMOD downdates or refactorisation after every failure. Default auto (update)")  # fmt: skip
    p.add_argument("--check-every", type=int, default=100,
                   help="cascade: compare with a fresh solve every so many failures. Default 100")  # fmt: skip
    p.add_argument("--crack", type=Path, metavar="IMAGE", help="cascade: draw the failed edges (the crack)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors (the exit status tells)")
