"""Iterative solves with a certified bracket against CHOLMOD: iterations, time, peak memory, agreement.

For every case (form, box L, density n l^2, rw / rj) the same network is solved twice, each in a fresh
process so that its peak resident memory (``ru_maxrss``, including CHOLMOD's and pyamg's allocations and
the ~100 MB of the imported Python stack) is its own: once by ``solve_network`` (CHOLMOD) and once by
``solve_iterative`` (PCG, ``rtol`` = relative width of the certified bracket). The table shows the CG
iterations, the bracket's relative width, the agreement ``|G_cg - G_direct| / G_direct`` and the direct
solve's own stated accuracy (which, for stiff systems, is the larger error of the two).

Usage::

    python benchmarks/iterative.py                  # the default sweep (a few minutes on 2 cores)
    python benchmarks/iterative.py --quick          # a smaller one
    python benchmarks/iterative.py --case junction-node 32 30 1.0
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "iterative.json"
RATIOS = (1e-6, 1e-3, 1.0, 1e3, 1e6)


def _network(form: str, box: float, density: float, ratio: float, seed: int):
    import nanograph as ng

    sticks = ng.generate_sticks(density, box=box, rng=seed)
    return ng.build_network(sticks, form, rw=ratio, rj=1.0)


def _run_one(form: str, box: float, density: float, ratio: float, solver: str, seed: int, rtol: float) -> dict:
    """Build and solve one network; returns timings (s), sizes and results."""
    import warnings

    import nanograph as ng
    from nanograph.linalg.iterative import solve_iterative

    warnings.simplefilter("ignore", RuntimeWarning)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    net = _network(form, box, density, ratio, seed)
    t0 = time.perf_counter()
    if solver == "cholmod":
        sol = ng.solve_network(net)
        record = {"conductance": sol.conductance, "accuracy": sol.accuracy}
    else:
        sol = solve_iterative(net, rtol=rtol)
        record = {
            "conductance": sol.conductance,
            "lower": sol.conductance_lower,
            "upper": sol.conductance_upper,
            "relative_width": sol.relative_width,
            "iterations": sol.iterations,
            "n_brackets": sol.n_brackets,
            "method": sol.method,
            "converged": sol.converged,
            "setup_s": sol.timings["setup"],
        }
    record["solve_s"] = time.perf_counter() - t0
    record["n_unknowns"] = sol.n_unknowns
    record["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record["build_peak_mb"] = base / 1024
    return record


def _in_subprocess(args: list[str]) -> dict:
    cmd = [sys.executable, __file__, "--child", *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_case(form: str, box: float, density: float, ratio: float, seed: int, rtol: float) -> dict:
    """Direct and iterative solves of one case, each in its own process."""
    args = [form, str(box), str(density), repr(ratio)]
    direct = _in_subprocess([*args, "cholmod", str(seed), repr(rtol)])
    iterative = _in_subprocess([*args, "cg", str(seed), repr(rtol)])
    agreement = abs(iterative["conductance"] - direct["conductance"]) / direct["conductance"]
    return {"form": form, "box": box, "density": density, "rw_over_rj": ratio, "seed": seed,
            "direct": direct, "iterative": iterative, "agreement": agreement}  # fmt: skip


def sweep(quick: bool) -> list[tuple]:
    """Cases: iterations against size, density and rw / rj."""
    boxes, densities = ((8, 16), (10, 30)) if quick else ((8, 16, 32), (10, 30))
    cases = [("wire-node", b, d, 1.0) for b in (*boxes, 64) for d in densities]
    cases += [("junction-node", b, d, 1.0) for b in boxes for d in densities]
    cases += [("junction-node", boxes[-1], 30, r) for r in RATIOS if r != 1.0]
    return cases


def _table(rows: list[dict]) -> str:
    head = (f"{'form':14s} {'L':>4s} {'nl2':>4s} {'rw/rj':>6s} {'unknowns':>9s} {'method':12s} {'iter':>4s} "
            f"{'width':>8s} {'agree':>8s} {'acc_dir':>8s} {'t_cg':>7s} {'t_dir':>7s} {'MB_cg':>6s} {'MB_dir':>6s}")  # fmt: skip
    lines = [head, "-" * len(head)]
    for r in rows:
        it, d = r["iterative"], r["direct"]
        lines.append(
            f"{r['form']:14s} {r['box']:4g} {r['density']:4g} {r['rw_over_rj']:6.0e} {it['n_unknowns']:9d} "
            f"{it['method']:12s} {it['iterations']:4d} {it['relative_width']:8.1e} {r['agreement']:8.1e} "
            f"{d['accuracy']:8.0e} {it['solve_s']:7.2f} {d['solve_s']:7.2f} {it['peak_mb']:6.0f} {d['peak_mb']:6.0f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller sweep")
    parser.add_argument("--case", nargs=4, metavar=("FORM", "L", "DENSITY", "RW_OVER_RJ"), help="one case")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rtol", type=float, default=1e-8, help="relative width of the bracket (default 1e-8)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--child", nargs=7, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        form, box, density, ratio, solver, seed, rtol = args.child
        print(json.dumps(_run_one(form, float(box), float(density), float(ratio), solver, int(seed), float(rtol))))
        return 0
    if args.case:
        cases = [(args.case[0], float(args.case[1]), float(args.case[2]), float(args.case[3]))]
    else:
        cases = sweep(args.quick)
    rows = []
    for form, box, density, ratio in cases:
        rows.append(run_case(form, box, density, ratio, args.seed, args.rtol))
        print(_table(rows[-1:]).splitlines()[-1] if rows[1:] else _table(rows), flush=True)
    print()
    print(_table(rows))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    import nanograph

    meta = {"nanograph_version": nanograph.__version__, "machine": platform.platform(), "rtol": args.rtol}
    args.out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
