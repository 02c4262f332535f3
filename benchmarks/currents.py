"""Time the current analytics, the failure analyses and the spanning-tree count at n l^2 = 30, L = 32.

Targets (issue 15): every analysis in seconds; a factor update (CHOLMOD rank-1 downdate) at least 10x faster
per removal than a refactorisation, measured in one run on one network. The per-removal cost of each method is
the slope between two cascade lengths (so the first factorisation and the set-up cancel), with no checks
against fresh solves (``check_every=0``); the checks' own cost is reported apart.

Usage::

    python benchmarks/currents.py            # L = 32, n l^2 = 30, junction-node
    python benchmarks/currents.py --quick    # L = 16
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import nanograph as ng
from nanograph.analysis import currents as ca
from nanograph.analysis.failure import fuse_cascade, removal_curve
from nanograph.analysis.spanning import spanning_tree_count

OUT = Path(__file__).resolve().parent / "results" / "currents.json"


def _time(func):
    t0 = time.perf_counter()
    value = func()
    return time.perf_counter() - t0, value


def _per_removal(net, method: str, k1: int, k2: int) -> tuple[float, float]:
    t1, c1 = _time(lambda: fuse_cascade(net, 0.05, spread=0.5, rng=1, method=method, check_every=0, max_failures=k1))
    t2, c2 = _time(lambda: fuse_cascade(net, 0.05, spread=0.5, rng=1, method=method, check_every=0, max_failures=k2))
    assert len(c2.failed_edges) == k2, "the cascade opened early; lower k2"
    return (t2 - t1) / (k2 - k1), t1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    box, density = (16, 30.0) if args.quick else (32, 30.0)
    sticks = ng.generate_sticks(density, box=box, rng=1)
    t_build, net = _time(lambda: ng.junction_node_network(sticks, rw=1.0, rj=1.0))
    t_solve, sol = _time(lambda: ng.solve_network(net))
    row = {"box": box, "density": density, "n_nodes": net.n_nodes, "n_edges": net.n_edges, "build_s": t_build,
           "solve_s": t_solve}  # fmt: skip
    analyses = {
        "edge_flow": lambda: ca.edge_flow(sol),
        "resistance_sensitivity": lambda: ca.resistance_sensitivity(sol),
        "relative_noise": lambda: ca.relative_noise(sol, junction=1.0, wire=1.0),
        "hot_spots_k10": lambda: ca.hot_spots(sol, 10),
        "current_distribution": lambda: ca.current_distribution(sol),
        "tortuosity": lambda: ca.tortuosity(sol),
        "potential_map_64": lambda: ca.potential_map(sol, 64),
        "betweenness_electrodes": lambda: ca.current_flow_betweenness(net, pairs="electrodes"),
        "betweenness_32_pairs": lambda: ca.current_flow_betweenness(net, pairs=32, rng=0),
        "spanning_tree_count": lambda: spanning_tree_count(net),
        "removal_curve_random_5_steps": lambda: removal_curve(net, fraction=0.2, steps=5, rng=0),
    }
    row["seconds"] = {name: _time(func)[0] for name, func in analyses.items()}
    row["sum_rule_residual"] = ca.resistance_sensitivity(sol).residual
    update, setup_update = _per_removal(net, "update", 1, 41)
    refactor, setup_refactor = _per_removal(net, "refactor", 1, 4)
    t_check, checked = _time(lambda: fuse_cascade(net, 0.05, spread=0.5, rng=1, check_every=10, max_failures=40))
    row["cascade"] = {
        "update_per_removal_s": update,
        "refactor_per_removal_s": refactor,
        "speedup": refactor / update,
        "setup_s": {"update": setup_update, "refactor": setup_refactor},
        "with_checks_every_10_s": t_check,
        "max_update_error": checked.max_update_error,
    }
    row["machine"] = platform.platform()
    print(json.dumps(row, indent=2))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(row, indent=2) + "\n")


if __name__ == "__main__":
    main()
