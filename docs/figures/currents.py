"""Pictures for docs/guide/currents.md: 1/f noise against density (junction and wire parts), a potential map.

OUTDIR = docs/guide/img
"""

import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import nanograph as ng
from nanograph.analysis.currents import hot_spots, potential_map, relative_noise

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/guide/img")
out.mkdir(parents=True, exist_ok=True)

# 1. Relative noise S_R/R^2 against n l^2: junction noise (s_j = 1) and wire noise (s_w = 1 per unit length)
#    separately, rj = rw = 1, L = 8, mean of 4 realizations.
densities = [6, 8, 10, 14, 20, 30]
parts = {"junction": [], "segment": []}
for density in densities:
    runs = {"junction": [], "segment": []}
    for seed in range(4):
        sol = ng.solve_network(ng.junction_node_network(ng.generate_sticks(density, box=8, rng=seed)))
        if not sol.percolates:
            continue
        noise = relative_noise(sol, junction=1.0, wire=1.0)
        for kind in runs:
            runs[kind].append(noise.parts[kind])
    for kind in parts:
        parts[kind].append(np.mean(runs[kind]))
ax = Figure(figsize=(5, 3.4), dpi=120).subplots()
ax.loglog(densities, parts["junction"], "o-", label="junctions ($s_j = 1$)")
ax.loglog(densities, parts["segment"], "s-", label="wires ($s_w = 1$ per unit length)")
ax.set_xlabel("density $n l^2$")
ax.set_ylabel("$S_R / R^2$")
ax.set_title("1/f noise of the film, $R_j = r_w = 1$, $L = 8$", fontsize=10)
ax.legend(fontsize=8)
ax.figure.savefig(out / "currents-noise-density.png", bbox_inches="tight")

# 2. Potential on a 48 x 48 grid, with the ten hottest edges.
sticks = ng.generate_sticks(15, box=8, rng=1)
sol = ng.solve_network(ng.junction_node_network(sticks))
grid = potential_map(sol, 48)
top = hot_spots(sol, 10)
ax = Figure(figsize=(5, 4.2), dpi=120).subplots()
image = ax.pcolormesh(grid.x_edges, grid.y_edges, grid.values, cmap="viridis")
ax.figure.colorbar(image, ax=ax, label="potential (V)")
ax.scatter(top.position[:, 0], top.position[:, 1], s=30, facecolors="none", edgecolors="red", label="hot spots")
ax.set_aspect("equal")
ax.set_title("mean node potential per cell, $n l^2 = 15$", fontsize=10)
ax.legend(fontsize=8, loc="upper right")
ax.figure.savefig(out / "currents-potential-map.png", bbox_inches="tight")
