"""Spanning (wrapping) probability P(n l^2) of isotropic sticks for two box sizes, and the threshold.

Newman-Ziff: each realization adds sticks one at a time and records the count at which a cluster first
wraps around the torus along x; the probability curves at every density follow from those counts.

Run: python examples/percolation_curve.py [output.png]
"""

import sys

import numpy as np
from matplotlib.figure import Figure

from nanograph.analysis.percolation import UNIVERSAL_CROSSING, threshold_runs
from nanograph.published.mfa import THRESHOLD_ISOTROPIC

ax = Figure(figsize=(5.5, 4), dpi=120).subplots()
grid = np.linspace(4.0, 7.5, 80)
for box, runs in ((8, 150), (16, 80)):
    result = threshold_runs(box, criterion="wrap-x", runs=runs, rng=box)
    p, err = result.probability(grid)
    ax.fill_between(grid, p - err, p + err, alpha=0.3)
    ax.plot(grid, p, label=f"L = {box} ({runs} runs)")
    estimate, error = result.crossing_density()
    print(f"L = {box:2d}: n_c(L) = {estimate:.3f} ± {error:.3f}  (mean first density {result.mean_density[0]:.3f})")
ax.axhline(UNIVERSAL_CROSSING["wrap-x"], color="0.5", ls=":", label="R_x at threshold (0.521)")
ax.axvline(THRESHOLD_ISOTROPIC, color="0.3", ls="--", label=f"n_c l² = {THRESHOLD_ISOTROPIC}")
ax.set_xlabel("n l²")
ax.set_ylabel("probability of wrapping along x")
ax.legend(fontsize="small")
ax.figure.savefig(sys.argv[1] if len(sys.argv) > 1 else "percolation_curve.png", bbox_inches="tight")
