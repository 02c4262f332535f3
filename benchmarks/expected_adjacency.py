"""σ* = σ(E A*) against a Monte Carlo mean of M = 30 sampled networks, in one run (Jagota & Scheinfeld 2020).

Asymptotic costs at fixed stick length l (K = l N the half-band width, CN = N l^2):

* σ*: the two generating rows of E A* are O(K + N) probability evaluations (each an interpolation in a table
  of F(u) built once per orientation distribution); the folded band Cholesky is O(N K^2 / 2) = O(CN N^2 / 2)
  time and O(N K / 2) memory.
* Monte Carlo: per sample, sticks and contacts O(N + N CN) with the grid search, then a sparse Cholesky of the
  2-D wire-node graph (nested-dissection fill, about O(N^1.5 CN^0.75)); times M samples.

Usage::

    python benchmarks/expected_adjacency.py               # CN = 50, N = 5000, l = 0.1, M = 30
    python benchmarks/expected_adjacency.py --cn 100 --samples 30
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from nanograph.analysis import expected_intersection
from nanograph.analysis.expected_adjacency import expected_adjacency, expected_conductance
from nanograph.analysis.sorted_adjacency import sampled_conductances

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cn", type=float, default=50.0)
    parser.add_argument("--length", type=float, default=0.1)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--odf", default="isotropic")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of the (fast) sigma* timing; best is kept")
    args = parser.parse_args()
    n = int(round(args.cn / args.length**2))

    expected_intersection._table.cache_clear()
    t0 = time.perf_counter()
    ea = expected_adjacency(n, args.length, args.odf)
    cold_result = expected_conductance(ea)
    cold = time.perf_counter() - t0  # includes building the table of F(u) for this ODF
    warm = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = expected_conductance(expected_adjacency(n, args.length, args.odf))
        warm.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    sampled = sampled_conductances(n, args.length, args.odf, samples=args.samples, rng=1)
    mc = time.perf_counter() - t0
    record = {
        "cn": args.cn, "n_wires": n, "length": args.length, "odf": args.odf, "samples": args.samples,
        "sigma_star": result.sigma_star, "sigma_star_cold_check": cold_result.sigma_star,
        "monte_carlo_mean": float(sampled.mean()),
        "monte_carlo_std_error": float(sampled.std(ddof=1) / np.sqrt(args.samples)),
        "band_width": result.band_width, "n_unknowns": result.n_unknowns,
        "sigma_star_seconds_cold": cold, "sigma_star_seconds_warm": min(warm),
        "sigma_star_timings_warm": result.timings, "monte_carlo_seconds": mc,
        "speedup_cold": mc / cold, "speedup_warm": mc / min(warm),
        "machine": platform.processor() or platform.machine(), "note": "2 shared cores, other jobs running",
    }  # fmt: skip
    print(f"CN = {args.cn:g}, N = {n}, l = {args.length}, odf {args.odf}, band K = {result.band_width}")
    print("quantity               | value       | seconds")
    print(f"sigma* (cold, +table)  | {cold_result.sigma_star:11.6g} | {cold:8.3f}")
    print(f"sigma* (warm)          | {result.sigma_star:11.6g} | {min(warm):8.3f}")
    print(f"Monte Carlo M = {args.samples:<3d}    | {sampled.mean():11.6g} | {mc:8.3f}")
    print(f"speed-up: {mc / min(warm):.0f}x warm, {mc / cold:.0f}x cold (paper: about 100x)")
    out = HERE / "results" / "expected_adjacency.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
