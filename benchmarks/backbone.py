"""Time the backbone + dead-end classification (and, for scale, a Newman-Ziff threshold realization).

Target (issue 4): classification at n l^2 = 30, L = 32 in under 2 s. ``find_backbone`` is timed on a network
already built (the build and contacts are the pipeline's, see ``benchmarks/pipeline.py``); the igraph
biconnected decomposition of the same graph and a CHOLMOD solve are timed beside it for comparison.

Usage::

    python benchmarks/backbone.py            # L = 32, n l^2 = 30, both forms, 3 repeats
    python benchmarks/backbone.py --quick    # L = 16
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

import nanograph as ng
from nanograph.analysis.backbone import find_backbone
from nanograph.analysis.percolation import threshold_runs

OUT = Path(__file__).resolve().parent / "results" / "backbone.json"


def _best(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def _igraph_blocks(net) -> None:
    import igraph

    graph = igraph.Graph(n=net.n_nodes, edges=np.vstack([net.edges, net.electrodes[None, :]]))
    graph.biconnected_components()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    box, density = (16, 30.0) if args.quick else (32, 30.0)
    sticks = ng.generate_sticks(density, box=box, periodic=(False, True), rng=1)
    rows = []
    for form in ("wire-node", "junction-node"):
        net = ng.build_network(sticks, form)
        bb = find_backbone(net, sticks)
        rows.append({
            "form": form, "box": box, "density": density, "n_nodes": net.n_nodes, "n_edges": net.n_edges,
            "find_backbone_s": _best(lambda net=net: find_backbone(net, sticks).lengths, args.repeat),
            "igraph_blocks_s": _best(lambda net=net: _igraph_blocks(net), 1),
            "solve_s": _best(lambda net=net: ng.solve_network(net), 1),
            "backbone_length_fraction": bb.length_fractions()["backbone"],
        })  # fmt: skip
    nz_box = 16 if args.quick else 32
    t0 = time.perf_counter()
    threshold_runs(nz_box, criterion="wrap-x", runs=10, rng=2)
    per_run = (time.perf_counter() - t0) / 10
    print(f"backbone classification, L = {box}, n l^2 = {density} (best of {args.repeat}; machine may be shared)")
    print(f"{'form':>14} | {'nodes':>8} | {'edges':>8} | find_backbone | igraph blocks | CHOLMOD solve")
    for r in rows:
        print(f"{r['form']:>14} | {r['n_nodes']:>8} | {r['n_edges']:>8} | {r['find_backbone_s']:>11.3f} s | "
              f"{r['igraph_blocks_s']:>11.3f} s | {r['solve_s']:>11.3f} s")  # fmt: skip
    print(f"Newman-Ziff threshold realization (torus L = {nz_box}, wrap-x): {per_run:.3f} s per run")
    OUT.parent.mkdir(exist_ok=True)
    record = {"machine": platform.platform(), "processor": platform.processor(), "backbone": rows,
              "threshold_seconds_per_run": {"box": nz_box, "seconds": per_run}}  # fmt: skip
    OUT.write_text(json.dumps(record, indent=2))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
