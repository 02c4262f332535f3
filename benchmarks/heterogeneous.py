"""Cost of heterogeneous resistances against the scalar pipeline; print a table, write JSON.

The same sticks (n l^2 = 30, L = 32 by default) are built and solved three ways, interleaved in one process so
that machine load affects all alike: ``scalar`` (``rw``, ``rj`` numbers), ``arrays`` (``rw`` per stick, ``rj``
per junction, ``re`` per electrode contact, all drawn log-normally) and ``film`` (a :class:`~nanograph.Film`
with a log-normal junction model and a diameter distribution, resolved by the builder). Reported: the median of
each stage over ``--repeat`` rounds and the ratios to ``scalar`` from the same run (the films issue asks for at
most 1.10 at this size).

Usage::

    python benchmarks/heterogeneous.py                  # L = 32, n l^2 = 30, 5 rounds
    python benchmarks/heterogeneous.py --box 16 --repeat 9
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "heterogeneous.json"


def _timed(func):
    t0 = time.perf_counter()
    value = func()
    return value, time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--box", type=float, default=32.0)
    parser.add_argument("--density", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    import nanograph as ng

    sticks = ng.generate_sticks(args.density, box=args.box, rng=1)
    contacts = ng.find_contacts(sticks)
    left, right = ng.find_electrode_contacts(sticks)
    rng = np.random.default_rng(2)
    rw = rng.lognormal(0.0, 0.3, len(sticks))
    rj = rng.lognormal(0.0, 1.0, len(contacts))
    re = rng.lognormal(0.0, 1.0, len(left) + len(right))
    film = ng.Film(ng.WirePopulation(density=args.density, rw=1.0), box=args.box,
                   junctions=ng.LogNormalResistance(1.0, 1.0))  # fmt: skip
    cases = {
        "scalar": lambda: ng.junction_node_network(sticks, rw=1.0, rj=1.0, contacts=contacts),
        "arrays": lambda: ng.junction_node_network(sticks, rw=rw, rj=rj, re=re, contacts=contacts),
        "film": lambda: ng.build_network(sticks, film=film, contacts=contacts, rng=3),
    }
    times = {name: {"build": [], "solve": []} for name in cases}
    for _ in range(args.repeat):
        for name, build in cases.items():
            network, t_build = _timed(build)
            _, t_solve = _timed(lambda network=network: ng.solve_network(network))
            times[name]["build"].append(t_build)
            times[name]["solve"].append(t_solve)
    median = {name: {k: statistics.median(v) for k, v in t.items()} for name, t in times.items()}
    for m in median.values():
        m["total"] = m["build"] + m["solve"]
    base = median["scalar"]
    print(f"n l^2 = {args.density:g}, L = {args.box:g}: {len(sticks)} sticks, {len(contacts)} junctions, "
          f"median of {args.repeat} interleaved rounds")  # fmt: skip
    print(f"{'case':<8} {'build (s)':>10} {'solve (s)':>10} {'total (s)':>10} {'total / scalar':>15}")
    for name, m in median.items():
        print(f"{name:<8} {m['build']:10.3f} {m['solve']:10.3f} {m['total']:10.3f} {m['total'] / base['total']:15.3f}")
    record = {
        "box": args.box, "density": args.density, "repeat": args.repeat, "n_sticks": len(sticks),
        "n_junctions": len(contacts), "median_seconds": median,
        "ratio_total_to_scalar": {name: m["total"] / base["total"] for name, m in median.items()},
        "machine": platform.platform(), "python": platform.python_version(),
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
