"""Commands ``percolation`` (threshold by Newman--Ziff counts) and ``backbone`` (backbone and dead ends)."""

from __future__ import annotations

import math

from nanograph.cli._common import (
    BoxOrSizes,
    add_command,
    add_deprecated,
    add_output,
    add_resistances,
    add_seed,
    add_sticks_input,
    emit,
    fresh_seed,
    load_sticks_argument,
    resistances,
    versioned,
)
from nanograph.errors import InvalidInputError

ORDER = 40


def threshold_record(runs_by_size: list, estimator: str, points: int = 41) -> dict:
    """The ``percolation`` JSON record from :class:`~nanograph.analysis.percolation.ThresholdRuns` of several L.

    ``threshold`` is the crossing (or mean) estimate of the one size, or the finite-size extrapolation
    (correction ``L^-(2 + 1/nu)`` for the crossing estimator, ``L^-(1/nu)`` for the mean) of several.
    """
    import numpy as np

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


def _sizes(args) -> list:
    """The boxes of ``percolation``: ``--boxes L1 L2 ...`` (several sizes), else the one ``--box``."""
    if args.boxes is not None and args.box is not None:
        raise InvalidInputError("give --box (one box) or --boxes (several sizes), not both")
    if args.boxes is not None:
        return list(args.boxes)
    return [args.box[0] if len(args.box) == 1 else tuple(args.box)] if args.box is not None else [16.0]


def _periodic_y(args) -> bool:
    """Whether the y axis is periodic: ``--periodic y`` (the span default) or ``none`` (an open square)."""
    periodic = args.periodic
    flag = args.flag_names.get("periodic", "--periodic") if hasattr(args, "flag_names") else "--periodic"
    if args.criterion == "span":
        if periodic not in (None, "y", "none"):
            raise InvalidInputError(f"--periodic {periodic}: --criterion span has bus bars (x open): use y or none")
        return periodic != "none"
    if periodic not in (None, "xy"):
        shown = flag if flag != "--periodic" else f"--periodic {periodic}"
        raise InvalidInputError(f"{shown} applies to --criterion span only (wrap-* criteria use a periodic box, xy)")
    return True


def _cmd_percolation(args) -> int:
    from nanograph.analysis.percolation import UNIVERSAL_CROSSING, threshold_runs
    from nanograph.geometry.sticks import as_rng
    from nanograph.physics.mfa import percolation_threshold_scaling

    if args.runs < 2:
        raise InvalidInputError(f"--runs must be at least 2 (the error bars need two realizations), got {args.runs}")
    periodic_y = _periodic_y(args)
    estimator = args.estimator
    if estimator == "auto":
        estimator = "crossing" if args.criterion in UNIVERSAL_CROSSING and args.criterion != "span" else "mean"
    if estimator == "crossing" and args.criterion == "span" and periodic_y:
        raise InvalidInputError(
            "--estimator crossing has no universal crossing value for --criterion span on a cylinder: "
            "use --estimator mean, or --periodic none (an open square)"
        )
    sizes = _sizes(args)
    # Without --seed, draw fresh entropy and report it, so the run can be repeated with --seed.
    seed = fresh_seed(args.seed)
    children = as_rng(seed).spawn(len(sizes))
    runs = [
        threshold_runs(
            box,
            criterion=args.criterion,
            runs=args.runs,
            odf=args.odf,
            length=args.length,
            periodic_y=periodic_y,
            rng=child,
        )  # fmt: skip
        for box, child in zip(sizes, children, strict=True)
    ]
    record = threshold_record(runs, estimator)
    record.update(eq18_threshold=percolation_threshold_scaling(args.odf))
    record = versioned(record, seed=seed)
    emit(args, record, lambda: _print_threshold(record, estimator, seed))
    return 0


def _print_threshold(record: dict, estimator: str, seed: int) -> None:
    print(f"percolation threshold of {record['odf']} sticks, criterion {record['criterion']}, seed {seed}")
    print(f"{'L':>6} | {'runs':>6} | {'mean first density':>20} | {'crossing density':>20}")
    for s in record["sizes"]:
        cross = f"{s['crossing_density']:.4f} ± {s['crossing_error']:.4f}" if s["crossing_density"] else "-"
        mean = f"{s['mean_density']:.4f} ± {s['mean_density_error']:.4f}"
        print(f"{s['box'][0]:>6g} | {s['runs']:>6} | {mean:>20} | {cross:>20}")
    how = "extrapolated" if record["extrapolation"] else "at this size"
    print(f"threshold n_c l^2 = {record['threshold']:.4f} ± {record['threshold_error']:.4f} ({estimator}, {how}); "
          f"Eq. (18) of the MFA paper: {record['eq18_threshold']:.4f}")  # fmt: skip


def _cmd_backbone(args) -> int:
    from nanograph.analysis.backbone import find_backbone
    from nanograph.graphs.builders import build_network
    from nanograph.linalg.solve import solve_network

    sticks = load_sticks_argument(args)
    if sticks.periodic[0]:
        raise InvalidInputError("backbone needs bus bars: x must be open (use --periodic y or none)")
    values = resistances(args, sticks)
    net = build_network(sticks, args.form, rw=values["rw"], rj=values["rj"], re=values["re"])
    bb = find_backbone(net, sticks)
    whole = solve_network(net, solver=args.solver)
    alone = solve_network(bb.backbone_network, solver=args.solver)
    summary = bb.summary()
    summary.pop("backbone_sticks", None)  # the id list (205 KB for the README case) only with --ids
    if args.ids:
        summary["backbone_sticks"] = bb.backbone_sticks.tolist()
    record = versioned({
        "form": args.form, "n_sticks": len(sticks), "density": sticks.density, "box": list(sticks.box),
        "periodic": list(sticks.periodic), "rj": values["rj"], "rw": values["rw"] if args.form == "junction-node" else None,
        "re": values["re"], **summary,
        "backbone_conductance": alone.conductance, "conductance": whole.conductance,
    })  # fmt: skip
    emit(args, record, lambda: _print_backbone(record, bb, whole, alone, sticks, args.form))
    return 0


def _print_backbone(record, bb, whole, alone, sticks, form) -> None:
    print(f"{len(sticks)} sticks, n l^2 = {sticks.density:.4g}, {form}; percolates: {bb.percolates}")
    print(f"{'':<10} | {'sticks':>8} | {'edges':>8} | {'nodes':>8} | {'length':>10} | {'length %':>8}")
    counts, lengths, lf = record["counts"], record["lengths"], record["length_fractions"]
    for role in ("backbone", "dead_end", "isolated"):
        print(f"{role:<10} | {counts['sticks'][role]:>8} | {counts['edges'][role]:>8} | {counts['nodes'][role]:>8} | "
              f"{lengths[role]:>10.4g} | {100 * lf[role]:>8.2f}")  # fmt: skip
    print(f"conductance: whole network {whole.conductance:.8g} S, backbone alone {alone.conductance:.8g} S")


def register(sub) -> None:
    """Add ``percolation`` and ``backbone`` to the subparsers ``sub``."""
    p = add_command(sub, "percolation", "percolation threshold n_c l^2 by Newman-Ziff counts, with P(n l^2) curves",
                    "nanograph percolation --odf cross:omega=0.5 --boxes 16 32 --runs 200 --seed 1 --json",
                    _cmd_percolation)  # fmt: skip
    p.add_argument("--box", type=float, nargs="+", default=None, metavar="L", action=BoxOrSizes, sizes="boxes",
                   help="one box side L. Default 16")  # fmt: skip
    p.add_argument("--boxes", type=float, nargs="+", default=None, metavar="L",
                   help="several box sides L1 L2 ... (finite-size extrapolation)")  # fmt: skip
    p.add_argument("--runs", type=int, default=100, help="realizations per box (at least 2). Default 100")
    add_seed(p)
    p.add_argument("--odf", default="isotropic", help="orientation distribution spec. Default isotropic")
    p.add_argument("--length", default="1", help="stick length or distribution spec (<l> units). Default 1")
    p.add_argument("--criterion", default="wrap-x", choices=["span", "wrap-x", "wrap-y", "wrap-either", "wrap-both"],
                   help="span: bus bars (y periodic unless --periodic none); wrap-*: periodic box. Default wrap-x")  # fmt: skip
    p.add_argument("--periodic", choices=["none", "x", "y", "xy"], default=None,
                   help="span: y (a cylinder, default) or none (an open square); wrap-*: xy (the default)")  # fmt: skip
    add_deprecated(p, "--open-y", "periodic", "--periodic none", convert=lambda values, current: "none", nargs=0)
    p.add_argument("--estimator", choices=["auto", "crossing", "mean"], default="auto",
                   help="crossing: where P equals its universal value (isotropic or 90-degree symmetric ODFs); "
                        "mean: mean first-percolation density. Default auto (crossing for wrap-*)")  # fmt: skip
    add_output(p)

    p = add_command(sub, "backbone", "current-carrying backbone, dead ends and isolated clusters of a stick file",
                    "nanograph backbone sticks.npz --periodic y --form junction-node --json",
                    _cmd_backbone)  # fmt: skip
    add_sticks_input(p)
    p.add_argument("--form", choices=["wire-node", "junction-node"], default="junction-node",
                   help="graph form. Default junction-node")  # fmt: skip
    add_resistances(p)
    p.add_argument("--ids", action="store_true", help="with --json: also the list of backbone stick ids")
    add_output(p)
