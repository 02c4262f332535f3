"""Benchmark of the MFA formulas and ODF moments: vectorised grids, median of repeats.

Run: python benchmarks/mfa.py  (prints a table, writes benchmarks/results/mfa.json)
"""

import json
import platform
import time
from pathlib import Path

import numpy as np

from nanograph.geometry.odf import parse_odf
from nanograph.physics.mfa import mfa_conductivity

OUT = Path(__file__).resolve().parent / "results" / "mfa.json"


def median_seconds(func, repeats=5):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main():
    density = np.linspace(5, 200, 200)[:, None]
    delta = np.logspace(-9, 9, 50)[None, :]
    rows = []
    for formula, contacts in ((15, "poisson"), (17, "poisson"), (10, "poisson"), (10, "binomial")):
        kwargs = {"formula": formula, "contacts": contacts, "n_sticks": 200 * 32 * 32}
        seconds = median_seconds(lambda kwargs=kwargs: mfa_conductivity(density, delta, "cos2m:m=10", **kwargs))
        rows.append({"case": f"Eq. ({formula}) {contacts if formula == 10 else ''}".strip(), "points": 200 * 50,
                     "seconds": seconds})  # fmt: skip
    for spec in ("cos2m:m=10", "cos2m:m=0.5", "von-mises:kappa=1000", "double-gaussian:sigma=0.5deg"):
        seconds = median_seconds(lambda spec=spec: parse_odf(spec).mean_abs_sin_difference)  # fresh object: no cache
        rows.append({"case": f"<|sin|> {spec}", "points": 1, "seconds": seconds})
    print(f"{'case':<40} {'points':>7} {'seconds':>10}")
    for row in rows:
        print(f"{row['case']:<40} {row['points']:>7} {row['seconds']:>10.4f}")
    meta = {"machine": platform.platform(), "python": platform.python_version(), "note": "shared 2-core machine"}
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
