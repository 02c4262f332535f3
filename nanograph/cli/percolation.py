"""Commands ``percolation`` (threshold by Newman--Ziff counts) and ``backbone`` (backbone and dead ends)."""

from __future__ import annotations

import math

import numpy as np

from nanograph.cli._common import add_command, add_resistances, add_sticks_input, load_sticks_argument, print_json
from nanograph.errors import InvalidInputError

ORDER = 40


def threshold_record(runs_by_size: list, estimator: str, points: int = 41) -> dict:
    """The ``percolation`` JSON record from :class:`~nanograph.analysis.percolation.ThresholdRuns` of several L.

    ``threshold`` is the crossing (or mean) estimate of the one size, or the finite-size extrapolation
    (correction ``L^-(2 + 1/nu)`` for the crossing estimator, ``L^-(1/nu)`` for the mean) of several.
    """
    from nanograph.analysis.percolation import NU, extrapolate_threshold

    sizes = []
    for runs in runs_by_size:
        mean, mean_err = runs.mean_density
        cross, cross_err = runs.crossing_density() if estimator == "crossing" else (None, None)
        d = runs.densities
        grid = np.linspace(d.min() - 0.1 * np.ptp(d), d.max() + 0.1 * np.ptp(d), points)
        p, err = runs.probability(grid)
        sizes.append({
            "box": list(runs.box), "runs": runs.runs, "mean_density": mean, "mean_density_error": mean_err,
            "crossing_density": cross, "crossing_error": cross_err,
            "curve": {"density": grid, "probability": p, "error": err, "ensemble": "canonical"},
        })  # fmt: skip
    key, error_key = (
        ("crossing_density", "crossing_error") if estimator == "crossing" else ("mean_density", "mean_density_error")
    )
    estimates = [s[key] for s in sizes]
    errors = [s[error_key] for s in sizes]
    fit = None
    if len(sizes) == 1:
        threshold, threshold_error = estimates[0], errors[0]
    else:
        exponent = 2 + 1 / NU if estimator == "crossing" else 1 / NU
        lengths = [math.sqrt(s["box"][0] * s["box"][1]) for s in sizes]
        result = extrapolate_threshold(lengths, estimates, errors, exponent)
        threshold, threshold_error = result.threshold, result.threshold_error
        fit = {"exponent": exponent, "slope": result.slope, "chi2_per_dof": result.chi2_per_dof}
    first = runs_by_size[0]
    return {
        "threshold": threshold, "threshold_error": threshold_error, "estimator": estimator,
        "criterion": first.criterion, "odf": first.odf, "sizes": sizes, "extrapolation": fit,
    }  # fmt: skip


def _cmd_percolation(args) -> int:
    from nanograph.analysis.percolation import UNIVERSAL_CROSSING, threshold_runs
    from nanograph.geometry.sticks import as_rng
    from nanograph.physics.mfa import percolation_threshold_scaling

    if args.runs < 2:
        raise InvalidInputError(f"--runs must be at least 2 (the error bars need two realizations), got {args.runs}")
    if args.open_y and args.criterion != "span":
        raise InvalidInputError("--open-y applies to --criterion span only (wrap-* criteria use a periodic box)")
    estimator = args.estimator
    if estimator == "auto":
        estimator = "crossing" if args.criterion in UNIVERSAL_CROSSING and args.criterion != "span" else "mean"
    if estimator == "crossing" and args.criterion == "span" and not args.open_y:
        raise InvalidInputError(
            "--estimator crossing has no universal crossing value for --criterion span on a cylinder: "
            "use --estimator mean, or --open-y (an open square)"
        )
    # Without --seed, draw fresh entropy and report it, so the run can be repeated with --seed.
    seed = np.random.SeedSequence().entropy if args.seed is None else args.seed
    children = as_rng(seed).spawn(len(args.box))
    runs = [
        threshold_runs(
            box,
            criterion=args.criterion,
            runs=args.runs,
            odf=args.odf,
            length=args.length,
            periodic_y=not args.open_y,
            rng=child,
        )  # fmt: skip
        for box, child in zip(args.box, children, strict=True)
    ]
    record = threshold_record(runs, estimator)
    record.update(seed=seed, eq18_threshold=percolation_threshold_scaling(args.odf))
    if args.json:
        print_json(record)
        return 0
    print(f"percolation threshold of {record['odf']} sticks, criterion {record['criterion']}, seed {seed}")
    print(f"{'L':>6} | {'runs':>6} | {'mean first density':>20} | {'crossing density':>20}")
    for s in record["sizes"]:
        cross = f"{s['crossing_density']:.4f} ± {s['crossing_error']:.4f}" if s["crossing_density"] else "-"
        mean = f"{s['mean_density']:.4f} ± {s['mean_density_error']:.4f}"
        print(f"{s['box'][0]:>6g} | {s['runs']:>6} | {mean:>20} | {cross:>20}")
    how = "extrapolated" if record["extrapolation"] else "at this size"
    print(f"threshold n_c l^2 = {record['threshold']:.4f} ± {record['threshold_error']:.4f} ({estimator}, {how}); "
          f"Eq. (18) of the MFA paper: {record['eq18_threshold']:.4f}")  # fmt: skip
    return 0


def _cmd_backbone(args) -> int:
    from nanograph.analysis.backbone import find_backbone
    from nanograph.graphs.builders import build_network
    from nanograph.linalg.solve import solve_network

    sticks = load_sticks_argument(args)
    if sticks.periodic[0]:
        raise InvalidInputError("backbone needs bus bars: drop --periodic-x (use --periodic-y for a periodic y axis)")
    net = build_network(sticks, args.form, rw=args.rw, rj=args.rj, re=args.re)
    bb = find_backbone(net, sticks)
    whole = solve_network(net, solver=args.solver)
    alone = solve_network(bb.backbone_network, solver=args.solver)
    record = {
        "form": args.form, "n_sticks": len(sticks), "density": sticks.density, "box": list(sticks.box),
        "periodic": list(sticks.periodic), "rj": args.rj, "rw": args.rw if args.form == "junction-node" else None,
        "re": args.rj if args.re is None else args.re, **bb.summary(),
        "backbone_conductance": alone.conductance, "conductance": whole.conductance,
    }  # fmt: skip
    if args.json:
        print_json(record)
        return 0
    print(f"{len(sticks)} sticks, n l^2 = {sticks.density:.4g}, {args.form}; percolates: {bb.percolates}")
    print(f"{'':<10} | {'sticks':>8} | {'edges':>8} | {'nodes':>8} | {'length':>10} | {'length %':>8}")
    counts, lengths, lf = record["counts"], record["lengths"], record["length_fractions"]
    for role in ("backbone", "dead_end", "isolated"):
        print(f"{role:<10} | {counts['sticks'][role]:>8} | {counts['edges'][role]:>8} | {counts['nodes'][role]:>8} | "
              f"{lengths[role]:>10.4g} | {100 * lf[role]:>8.2f}")  # fmt: skip
    print(f"conductance: whole network {whole.conductance:.8g} S, backbone alone {alone.conductance:.8g} S")
    return 0


def register(sub) -> None:
    """Add ``percolation`` and ``backbone`` to the subparsers ``sub``."""
    p = add_command(sub, "percolation", "percolation threshold n_c l^2 by Newman-Ziff counts, with P(n l^2) curves",
                    "nanograph percolation --odf cross:omega=0.5 --box 16 32 --runs 200 --seed 1 --json",
                    _cmd_percolation)  # fmt: skip
    p.add_argument("--box", type=float, nargs="+", default=[16.0], metavar="L",
                   help="box sides L (several: finite-size extrapolation). Default 16")  # fmt: skip
    p.add_argument("--runs", type=int, default=100, help="realizations per box (at least 2). Default 100")
    p.add_argument("--seed", type=int, default=None,
                   help="random seed (omit: fresh entropy, reported as the seed so the run can be repeated)")  # fmt: skip
    p.add_argument("--odf", default="isotropic", help="orientation distribution spec. Default isotropic")
    p.add_argument("--length", default="1", help="stick length or distribution spec. Default 1")
    p.add_argument("--criterion", default="wrap-x", choices=["span", "wrap-x", "wrap-y", "wrap-either", "wrap-both"],
                   help="span: bus bars (y periodic unless --open-y); wrap-*: periodic box. Default wrap-x")  # fmt: skip
    p.add_argument("--open-y", action="store_true", help="with --criterion span: open y axis (a square)")
    p.add_argument("--estimator", choices=["auto", "crossing", "mean"], default="auto",
                   help="crossing: where P equals its universal value (isotropic or 90-degree symmetric ODFs); "
                        "mean: mean first-percolation density. Default auto (crossing for wrap-*)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = add_command(sub, "backbone", "current-carrying backbone, dead ends and isolated clusters of a stick file",
                    "nanograph backbone sticks.npz --periodic-y --form junction-node --json",
                    _cmd_backbone)  # fmt: skip
    add_sticks_input(p)
    p.add_argument("--form", choices=["wire-node", "junction-node"], default="junction-node",
                   help="graph form. Default junction-node")  # fmt: skip
    add_resistances(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
