"""Generate a random stick network, solve it in both graph forms, and draw the currents.

Run: python examples/quickstart.py [output.png]
"""

import sys

import nanograph as ng
from nanograph.plotting.draw import draw_network

sticks = ng.generate_sticks(density=12, box=10, rng=2024)  # n l^2 = 12, unit sticks, 10 x 10 box
print(f"{len(sticks)} sticks, {len(ng.find_contacts(sticks))} junctions")

for form in ("wire-node", "junction-node"):
    network = ng.build_network(sticks, form, rw=1.0, rj=1.0)
    solution = ng.solve_network(network)
    print(f"{form:>13}: {network.n_nodes:6d} nodes, {network.n_edges:6d} edges, G = {solution.conductance:.6f} S")

ax = draw_network(sticks, solution, color_by="current")
ax.figure.savefig(sys.argv[1] if len(sys.argv) > 1 else "quickstart.png", bbox_inches="tight")
