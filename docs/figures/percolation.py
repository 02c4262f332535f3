"""Pictures for docs/guide/percolation.md: a network by role and by current, and P(n l^2) for two sizes.

OUTDIR = docs/guide/img
"""

import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import nanograph as ng
from nanograph.analysis.backbone import find_backbone
from nanograph.analysis.percolation import UNIVERSAL_CROSSING, threshold_runs
from nanograph.plotting.backbone import draw_backbone
from nanograph.published.mfa import THRESHOLD_ISOTROPIC

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/guide/img")
out.mkdir(parents=True, exist_ok=True)

sticks = ng.generate_sticks(density=7, box=10, periodic=(False, True), rng=7)
network = ng.junction_node_network(sticks)
backbone = find_backbone(network, sticks)
fig = Figure(figsize=(11, 5), dpi=110)
left, right = fig.subplots(1, 2)
draw_backbone(backbone, sticks, ax=left).set_title("n l² = 7, L = 10: roles")
draw_backbone(backbone, sticks, ng.solve_network(network), color_by="current", ax=right).set_title("current")
fig.savefig(out / "backbone-roles.png", bbox_inches="tight")

ax = Figure(figsize=(5.5, 4), dpi=110).subplots()
grid = np.linspace(4.0, 7.5, 80)
for box, runs in ((8, 200), (16, 100)):
    p, err = threshold_runs(box, criterion="wrap-x", runs=runs, rng=box).probability(grid)
    ax.fill_between(grid, p - err, p + err, alpha=0.3)
    ax.plot(grid, p, label=f"L = {box} ({runs} runs)")
ax.axhline(UNIVERSAL_CROSSING["wrap-x"], color="0.5", ls=":", label="R_x at threshold")
ax.axvline(THRESHOLD_ISOTROPIC, color="0.3", ls="--", label="n_c l² = 5.6373")
ax.set_xlabel("n l²")
ax.set_ylabel("P(wraps along x)")
ax.legend(fontsize="small")
ax.figure.savefig(out / "wrapping-probability.png", bbox_inches="tight")
