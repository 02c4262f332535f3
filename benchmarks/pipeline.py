"""Time every stage of the nanograph pipeline and its peak memory; print a table, write JSON.

Stages: generate sticks -> find contacts (sticks and bus bars) -> build the network -> assemble the
reduced Laplacian -> CHOLMOD factor -> solve. Each case runs in a fresh process so that its peak resident
memory (``ru_maxrss``, which includes CHOLMOD's own allocations and the ~100 MB of the imported Python
stack) is its own. ``bare`` is a separate CHOLMOD factor + solve of the same reduced Laplacian timed in the
same process, for the ratio ``total / bare``. Each process runs the pipeline twice: the table shows the
second (warm, as every realization after the first in a sweep) with the first's total beside it (cold:
loading numba's cached kernels and first-touch memory), and the peak memory of the first.

Usage::

    python benchmarks/pipeline.py                 # L in {16, 32, 64} x n l^2 in {10, 30, 100}, both forms
    python benchmarks/pipeline.py --quick         # L in {16, 32}, n l^2 in {10, 30}
    python benchmarks/pipeline.py --case 32 30 junction-node --repeat 3
    python benchmarks/pipeline.py --options       # CHOLMOD ordering x mode at L = 32, n l^2 = 30
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
DEFAULT_OUT = HERE / "results" / "pipeline.json"


def _pipeline(box: float, density: float, form: str, seed: int, ordering: str, mode: str) -> dict:
    """One pipeline run; returns stage timings (s) and sizes."""
    import nanograph as ng
    from nanograph.linalg.factor import factorize

    t0 = time.perf_counter()
    sticks = ng.generate_sticks(density, box=box, rng=seed)
    t1 = time.perf_counter()
    contacts = ng.find_contacts(sticks)
    electrode_contacts = ng.find_electrode_contacts(sticks)
    t2 = time.perf_counter()
    if form == "wire-node":
        net = ng.wire_node_network(sticks, contacts=contacts, electrode_contacts=electrode_contacts)
    else:
        net = ng.junction_node_network(sticks, contacts=contacts, electrode_contacts=electrode_contacts)
    t3 = time.perf_counter()
    sol = ng.solve_network(net, ordering=ordering, mode=mode)
    t4 = time.perf_counter()
    record = {
        "n_sticks": len(sticks),
        "n_junctions": len(contacts),
        "n_nodes": net.n_nodes,
        "n_edges": net.n_edges,
        "n_unknowns": sol.n_unknowns,
        "conductance": sol.conductance,
        "generate": t1 - t0,
        "contacts": t2 - t1,
        "build": t3 - t2,
        "assemble": sol.timings["assemble"],
        "factor": sol.timings["factor"],
        "solve": sol.timings["solve"],
        "total": t4 - t0,
    }
    del sol
    system = ng.kirchhoff_system(net)  # the same reduced Laplacian the solve factored
    if system.n_unknowns:
        tb = time.perf_counter()
        solve, _ = factorize(system.lower, ordering=ordering, mode=mode)
        solve(system.rhs)
        record["bare_factor_solve"] = time.perf_counter() - tb
        record["total_over_bare"] = record["total"] / record["bare_factor_solve"]
    return record


def run_case(box: float, density: float, form: str, seed: int, ordering: str, mode: str) -> dict:
    """A cold run (fresh process: library loading, first-touch memory) then a warm one, as in a sweep."""
    cold = _pipeline(box, density, form, seed, ordering, mode)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    warm = _pipeline(box, density, form, seed, ordering, mode)
    warm.update(
        cold_total=cold["total"],
        cold_total_over_bare=cold.get("total_over_bare"),
        peak_rss_mb=peak,
        bytes_per_node=peak * 2**20 / warm["n_nodes"],
    )
    return warm


def _child(args: list[str], timeout: float | None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["killed"])[-1]
        return {"error": f"exit {proc.returncode}: {tail}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _print_table(rows: list[dict]) -> None:
    cols = ["box", "density", "form", "ordering", "mode", "n_sticks", "n_junctions", "n_nodes", "generate", "contacts",
            "build", "assemble", "factor", "solve", "total", "bare_factor_solve", "total_over_bare", "cold_total",
            "cold_total_over_bare", "peak_rss_mb", "bytes_per_node"]  # fmt: skip
    head = ["L", "nl2", "form", "order", "mode", "sticks", "junctions", "nodes", "gen", "contacts", "build", "assemble",
            "factor", "solve", "total", "bare f+s", "tot/bare", "cold total", "cold/bare", "peak MB", "B/node"]  # fmt: skip

    def fmt(v):
        if isinstance(v, float) and v.is_integer() and v < 1000:
            return f"{v:g}"
        if isinstance(v, float):
            return f"{v:.3f}" if v < 100 else f"{v:.0f}"
        return str(v)

    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for r in rows:
        if "error" in r:
            print(f"{r['box']:g} | {r['density']:g} | {r['form']} | {r['error']}")
        else:
            print(" | ".join(fmt(r.get(c, "")) for c in cols))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="L in {16, 32}, n l^2 in {10, 30}")
    p.add_argument("--case", nargs=3, action="append", metavar=("L", "DENSITY", "FORM"), help="run only this case")
    p.add_argument("--repeat", type=int, default=1, help="runs per case (the fastest is reported)")
    p.add_argument("--ordering", default="amd")
    p.add_argument("--mode", default="auto")
    p.add_argument("--options", action="store_true", help="compare CHOLMOD orderings and modes at L=32, n l^2=30")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per case")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    p.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        box, density, form, seed, ordering, mode = args.child
        print(json.dumps(run_case(float(box), float(density), form, int(seed), ordering, mode)))
        return 0

    if args.options:
        grid = [(32.0, 30.0, form, o, m) for form in ("wire-node", "junction-node")
                for o in ("amd", "metis", "nesdis") for m in ("auto", "supernodal", "simplicial")]  # fmt: skip
    elif args.case:
        grid = [(float(b), float(d), f, args.ordering, args.mode) for b, d, f in args.case]
    else:
        sizes = (16.0, 32.0) if args.quick else (16.0, 32.0, 64.0)
        densities = (10.0, 30.0) if args.quick else (10.0, 30.0, 100.0)
        grid = [
            (b, d, f, args.ordering, args.mode)
            for b in sizes
            for d in densities
            for f in ("wire-node", "junction-node")
        ]
    rows = []
    for box, density, form, ordering, mode in grid:
        runs = [
            _child([str(box), str(density), form, str(args.seed), ordering, mode], args.timeout)
            for _ in range(args.repeat)
        ]
        ok = [r for r in runs if "error" not in r]
        best = min(ok, key=lambda r: r["total"]) if ok else runs[0]
        best.update(box=box, density=density, form=form, ordering=ordering, mode=mode)
        rows.append(best)
        print(f"  done L={box:g} n l^2={density:g} {form} {ordering}/{mode}: "
              f"{best.get('total', float('nan')):.2f} s {best.get('error', '')}", file=sys.stderr, flush=True)  # fmt: skip
    _print_table(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    meta = {"python": platform.python_version(), "machine": platform.machine(), "cpus": __import__("os").cpu_count()}
    args.output.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
