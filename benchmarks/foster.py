"""Exact Foster check at scale: effective resistance of every edge by selected inversion; print a table, write JSON.

Cases (isotropic unit sticks, bus bars at x = 0 and x = L, Rj = Rw = 1, the 3-regular closure of the
junction-node network, seed 1): ``n l² = 30`` and ``L`` in {16, 32, 64}. Each case runs in a fresh process
(its own peak memory): build (sticks, contacts, network, closure), ``factor`` (components, grounded
Laplacian, CHOLMOD with METIS ordering, Takahashi selected inversion) and ``edges`` (look-up of every
edge). The largest network done in 10 minutes is extrapolated from a power-law fit of the total time
against the number of nodes over the measured cases (said so in the output).

``--compare`` times selected inversion against one batched solve per edge on a small network (``L = 4``),
same process, as a ratio; ``--orderings`` compares METIS and AMD on the L = 32 case, with and without the
closure edges in the pattern.

Usage::

    python benchmarks/foster.py            # L = 16, 32, 64 + comparisons
    python benchmarks/foster.py --boxes 16 32 64 128
    python benchmarks/foster.py --quick    # L = 16, 32 + comparisons
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

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "foster.json"
DENSITY = 30.0


def _closed_network(box: float, seed: int = 1):
    from nanograph.geometry.sticks import generate_sticks
    from nanograph.graphs.builders import junction_node_network
    from nanograph.transforms import regular_closure

    sticks = generate_sticks(DENSITY, box=box, rng=seed)
    return regular_closure(junction_node_network(sticks, rw=1.0, rj=1.0))


def _case(box: float) -> dict:
    """One exact all-edge Foster check on the closed network."""
    from nanograph.linalg.foster import foster_check

    t0 = time.perf_counter()
    closure = _closed_network(box)
    t1 = time.perf_counter()
    check = foster_check(closure.network)
    t2 = time.perf_counter()
    return {
        "box": box,
        "density": DENSITY,
        "n_nodes": check.n_nodes,
        "n_edges": check.n_edges,
        "degrees": list(check.degrees),
        "relative_residual": check.relative_residual,
        "mean_gR": check.mean_gR,
        "seconds": {"build": t1 - t0, **check.seconds, "check": t2 - t1, "total": t2 - t0},
        "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
    }


def _compare(box: float = 4.0) -> dict:
    """Selected inversion vs one solve per edge (batched right-hand sides), same factor, same process."""
    from nanograph.linalg.resistance import edge_resistances

    net = _closed_network(box).network
    times, values = {}, {}
    for method in ("selinv", "solves"):
        t0 = time.perf_counter()
        values[method] = edge_resistances(net, method=method)
        times[method] = time.perf_counter() - t0
    finite = np.isfinite(values["selinv"])
    diff = np.max(np.abs(values["selinv"][finite] - values["solves"][finite]) / values["solves"][finite].max())
    return {
        "box": box, "n_nodes": net.n_nodes, "n_edges": net.n_edges, "seconds": times,
        "ratio_solves_over_selinv": times["solves"] / times["selinv"], "max_relative_difference": float(diff),
    }  # fmt: skip


def _orderings(box: float = 32.0) -> list[dict]:
    """Factor + selected inversion time and fill for METIS / AMD, with and without zero-conductance edges."""
    from nanograph.linalg.resistance import _GroundedInverse

    net = _closed_network(box).network
    rows = []
    for zero_edges in (False, True):
        for ordering in ("metis", "amd"):
            t0 = time.perf_counter()
            grounded = _GroundedInverse(net, "selinv", ordering=ordering, zero_edges=zero_edges)
            rows.append({"ordering": ordering, "closure_edges_in_pattern": zero_edges,
                         "factor_nnz": len(grounded._z), "seconds": time.perf_counter() - t0})  # fmt: skip
            del grounded
    return rows


def _in_subprocess(kind: str, box: float) -> dict | list:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(box)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def _ten_minute_estimate(cases: list[dict], memory_gb: float = 20.0) -> dict:
    """Largest network in 10 minutes: power laws of time and peak memory against nodes, the tighter bound.

    Fitted on the two largest cases (the small ones are dominated by fixed costs and by other jobs' load).
    """
    cases = sorted(cases, key=lambda c: c["n_nodes"])[-2:]
    nodes = np.array([c["n_nodes"] for c in cases], dtype=float)
    nodes_per_l2 = nodes[-1] / cases[-1]["box"] ** 2
    out = {
        "method": "extrapolated (not run): power laws through the two largest measured cases",
        "memory_limit_gb": memory_gb,
    }
    for name, values, limit in (("time", [c["seconds"]["total"] for c in cases], 600.0),
                                ("memory", [c["peak_rss_gb"] for c in cases], memory_gb)):  # fmt: skip
        exponent, log_a = np.polyfit(np.log(nodes), np.log(values), 1)
        out[f"{name}_exponent"] = float(exponent)
        out[f"{name}_bound_nodes"] = float(np.exp((np.log(limit) - log_a) / exponent))
    out["n_nodes"] = min(out["time_bound_nodes"], out["memory_bound_nodes"])
    out["box"] = float(np.sqrt(out["n_nodes"] / nodes_per_l2))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="L = 16 and 32 only")
    parser.add_argument("--boxes", type=float, nargs="+", default=[16.0, 32.0, 64.0], metavar="L",
                        help="box sides to run (n l^2 = 30). Default 16 32 64")  # fmt: skip
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, box = args.child[0], float(args.child[1])
        print(json.dumps({"case": _case, "compare": _compare, "orderings": _orderings}[kind](box)))
        return 0
    boxes = (16.0, 32.0) if args.quick else tuple(args.boxes)
    cases = []
    print(f"exact Foster check, closed junction-node network, n l^2 = {DENSITY:g}, bus bars, Rj = Rw = 1")
    print(f"{'L':>4} | {'nodes':>9} | {'edges':>9} | {'build':>6} | {'factor+selinv':>13} | {'edges':>6} | "
          f"{'total':>6} | {'peak GB':>7} | residual")  # fmt: skip
    for box in boxes:
        c = _in_subprocess("case", box)
        cases.append(c)
        s = c["seconds"]
        print(f"{box:4.0f} | {c['n_nodes']:9d} | {c['n_edges']:9d} | {s['build']:6.2f} | {s['factor']:13.2f} | "
              f"{s['edges']:6.2f} | {s['total']:6.2f} | {c['peak_rss_gb']:7.2f} | {c['relative_residual']:.1e}")  # fmt: skip
    estimate = _ten_minute_estimate(cases)
    print(f"10 minutes, {estimate['method']}: time bound ~{estimate['time_bound_nodes'] / 1e6:.1f} M nodes "
          f"(exponent {estimate['time_exponent']:.2f}), {estimate['memory_limit_gb']:g} GB bound "
          f"~{estimate['memory_bound_nodes'] / 1e6:.1f} M nodes (exponent {estimate['memory_exponent']:.2f}): "
          f"~{estimate['n_nodes'] / 1e6:.1f} M nodes, L ~ {estimate['box']:.0f} at n l^2 = {DENSITY:g}")  # fmt: skip
    compare = _in_subprocess("compare", 4.0)
    print(f"L = 4 ({compare['n_edges']} edges): selinv {compare['seconds']['selinv']:.3f} s, batched solves "
          f"{compare['seconds']['solves']:.3f} s: ratio {compare['ratio_solves_over_selinv']:.0f}x "
          f"(max rel. difference {compare['max_relative_difference']:.1e})")  # fmt: skip
    orderings = _in_subprocess("orderings", 32.0)
    for row in orderings:
        print(f"L = 32 ordering {row['ordering']:5s} closure edges in pattern {row['closure_edges_in_pattern']!s:5s}: "
              f"nnz(L) {row['factor_nnz'] / 1e6:6.1f} M, factor + selinv {row['seconds']:6.2f} s")  # fmt: skip
    record = {
        "machine": {"platform": platform.platform(), "python": platform.python_version()},
        "note": "wall seconds on a shared 2-core machine (other jobs running: timings are upper bounds)",
        "cases": cases, "ten_minutes": estimate, "selinv_vs_solves": compare, "orderings": orderings,
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
