"""Effective medium theory against direct Kirchhoff solves: a random lattice and a random nanowire network.

Run: python examples/emt_vs_direct.py [output.png]
"""

import sys

import numpy as np
from matplotlib.figure import Figure

from nanograph.geometry.sticks import generate_sticks
from nanograph.graphs.builders import junction_node_network
from nanograph.graphs.lattices import lattice_network
from nanograph.linalg.solve import solve_network
from nanograph.physics import emt
from nanograph.transforms import regular_closure

# 1. Square lattice, every edge a wire segment of Eq. (13): EMT predicts sheet conductance 1.0435 n.
n = 20.0
runs = [solve_network(lattice_network("square", 48, density=n, rng=seed)).sheet_conductance for seed in range(4)]
print(f"square lattice, n = {n:g}: direct {np.mean(runs):.3f} S, EMT {emt.lattice_gm(n, z=4):.3f} S")

# 2. Random nanowire network (Rj = Rw = 1): direct vs the EMT network (same structure, every edge g_m).
densities, direct, emt_open, emt_closed = [8.0, 12.0, 16.0, 20.0], [], [], []
for density in densities:
    network = junction_node_network(generate_sticks(density, box=10, rng=7), rw=1.0, rj=1.0)
    closed = regular_closure(network).network
    gm = emt.three_regular_gm(density, rw=1.0, rj=1.0)  # Eq. (21)
    direct.append(solve_network(network).conductance)
    emt_open.append(solve_network(network.replace(edge_conductance=np.full(network.n_edges, gm))).conductance)
    emt_closed.append(solve_network(closed.replace(edge_conductance=np.full(closed.n_edges, gm))).conductance)
    print(
        f"n l² = {density:4g}: g_m = {gm:.3f} S, G direct {direct[-1]:.3f} S, "
        f"EMT/direct open {emt_open[-1] / direct[-1]:.2f}, closed {emt_closed[-1] / direct[-1]:.2f}"
    )

fig = Figure(figsize=(5, 3.5))
ax = fig.add_subplot()
ax.plot(densities, direct, "o-", label="direct")
ax.plot(densities, emt_open, "s--", label="EMT network, open")
ax.plot(densities, emt_closed, "^--", label="EMT network, 3-regular closure")
ax.set_xlabel("n l²")
ax.set_ylabel("conductance G (S)")
ax.legend()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "emt_vs_direct.png", bbox_inches="tight")
