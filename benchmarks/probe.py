"""Cost of lab measurements (k x k matrix, van der Pauw, conductivity tensor) against one bus-bar solve.

For each box (``L = 8, 16, 32`` at ``n l^2 = 30`` by default) one film of sticks is drawn in an open box and
one in a box periodic in x and y (same density and seed). Measured on them, interleaved round by round in one
process so that machine load affects all alike:

* ``bus bars`` -- the reference: full bus bars on the left and right sides, :func:`solve_network` (one
  factorisation, one solve), on the open film;
* ``matrix k=8`` -- eight contacts of size ``0.05 L`` spread evenly around the boundary,
  :func:`conductance_matrix` (one factorisation, 7 solves), on the open film;
* ``van der Pauw`` -- :func:`four_probe` with midpoint contacts (4 x 4 matrix, 3 solves, three four-terminal
  resistances and the root of van der Pauw's equation), on the open film;
* ``bus bars (xy)`` -- the reference for the tensor: :func:`solve_network` on the periodic film (one EMF
  across periodic x);
* ``tensor`` -- :func:`conductivity_tensor` on the periodic film (one factorisation, two EMFs).

Each case is timed as build (graph with its electrodes) + measure; reported are the medians over ``--repeat``
rounds (after one traced warm-up round that also pays the lazy imports), the ratio of each total to its
bus-bar reference from the same run, and the peak of memory traced by ``tracemalloc`` during the warm-up call (Python and NumPy allocations; CHOLMOD's factor, allocated in C, is not
traced, so it is a lower bound that compares like with like). Output: a table and
``benchmarks/results/probe.json``.

Usage::

    python benchmarks/probe.py                       # L = 8, 16, 32, n l^2 = 30, 3 rounds
    python benchmarks/probe.py --boxes 16 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "probe.json"
FORM = "junction-node"


def _ring_contacts(box: float, k: int, size: float):
    """``k`` boundary segments of length ``size`` centred at equal arc lengths around the square ``box``."""
    from nanograph.model import Electrode, Electrodes

    electrodes = []
    for j, s in enumerate((np.arange(k) + 0.5) * 4 * box / k):
        side, t = divmod(float(s), box)
        lo, hi = max(t - size / 2, 0.0), min(t + size / 2, box)
        seg = {0: [lo, 0, hi, 0], 1: [box, lo, box, hi], 2: [box - lo, box, box - hi, box],
               3: [0, box - lo, 0, box - hi]}[int(side)]  # fmt: skip
        electrodes.append(Electrode([seg], name=f"P{j}"))
    return Electrodes(tuple(electrodes))


def _cases(open_sticks, periodic_sticks, box: float):
    import nanograph as ng
    from nanograph.analysis.tensor import conductivity_tensor
    from nanograph.analysis.vanderpauw import four_probe
    from nanograph.linalg.multiterminal import conductance_matrix

    ring = _ring_contacts(box, 8, 0.05 * box)
    return {
        "bus bars": lambda: ng.solve_network(ng.build_network(open_sticks, FORM, rw=1.0, rj=1.0)).check(),
        "matrix k=8": lambda: conductance_matrix(
            ng.build_network(open_sticks, FORM, rw=1.0, rj=1.0, electrodes=ring)
        ).check(),  # fmt: skip
        "van der Pauw": lambda: four_probe(open_sticks, contacts="midpoints", form=FORM, rw=1.0, rj=1.0),
        "bus bars (xy)": lambda: ng.solve_network(ng.build_network(periodic_sticks, FORM, rw=1.0, rj=1.0)).check(),
        "tensor": lambda: conductivity_tensor(ng.build_network(periodic_sticks, FORM, rw=1.0, rj=1.0)).check(),
    }


REFERENCE = {"bus bars": "bus bars", "matrix k=8": "bus bars", "van der Pauw": "bus bars",
             "bus bars (xy)": "bus bars (xy)", "tensor": "bus bars (xy)"}  # fmt: skip


def _timed(func) -> tuple[object, float]:
    """Value and seconds of one call."""
    t0 = time.perf_counter()
    value = func()
    return value, time.perf_counter() - t0


def _traced_peak(func) -> float:
    """Peak of the memory traced by ``tracemalloc`` during one call (MiB)."""
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def _value(name: str, result) -> float:
    """The headline number of a case: a sheet resistance (ohm/sq) or ``σ_yy/σ_xx``."""
    if name.startswith("bus bars"):
        return 1.0 / result.sheet_conductance
    if name == "van der Pauw":
        return result.sheet_resistance
    if name == "tensor":
        return result.sigma_yy / result.sigma_xx
    return float(np.max(np.diag(result.conductance)))


def run_box(box: float, density: float, repeat: int, seed: int) -> dict:
    import nanograph as ng

    open_sticks = ng.generate_sticks(density, box=box, rng=seed)
    periodic_sticks = ng.generate_sticks(density, box=box, periodic=True, rng=seed)
    cases = _cases(open_sticks, periodic_sticks, box)
    peaks = {name: _traced_peak(func) for name, func in cases.items()}  # also the warm-up (lazy imports)
    seconds = {name: [] for name in cases}
    values = {}
    for _ in range(repeat):
        for name, func in cases.items():
            result, t = _timed(func)
            seconds[name].append(t)
            values[name] = _value(name, result)
    median = {name: statistics.median(t) for name, t in seconds.items()}
    return {
        "box": box, "density": density, "n_sticks": len(open_sticks), "repeat": repeat,
        "median_seconds": median, "all_seconds": seconds,
        "ratio_to_bus_bars": {name: median[name] / median[REFERENCE[name]] for name in cases},
        "peak_traced_mib": peaks,
        "value": values,
    }  # fmt: skip


def _print(row: dict) -> None:
    print(f"\nn l^2 = {row['density']:g}, L = {row['box']:g}: {row['n_sticks']} sticks, {FORM}, "
          f"median of {row['repeat']} interleaved rounds")  # fmt: skip
    print(f"{'case':<14} {'total (s)':>10} {'/ bus bars':>11} {'peak (MiB)':>11}  value")
    labels = {"bus bars": "R_s (ohm/sq)", "bus bars (xy)": "R_s (ohm/sq)", "van der Pauw": "R_s (ohm/sq)",
              "tensor": "σ_yy/σ_xx", "matrix k=8": "max G_ii (S)"}  # fmt: skip
    for name, t in row["median_seconds"].items():
        print(f"{name:<14} {t:10.3f} {row['ratio_to_bus_bars'][name]:11.2f} {row['peak_traced_mib'][name]:11.1f}  "
              f"{labels[name]} = {row['value'][name]:.5g}")  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boxes", type=float, nargs="+", default=[8.0, 16.0, 32.0])
    parser.add_argument("--density", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    rows = []
    for box in args.boxes:
        rows.append(run_box(box, args.density, args.repeat, args.seed))
        _print(rows[-1])
    record = {
        "form": FORM, "rw": 1.0, "rj": 1.0, "seed": args.seed, "rows": rows,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "machine": platform.platform(), "python": platform.python_version(),
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
