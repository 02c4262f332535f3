"""Close a junction-node network (3-regular) and a seamless one (4-regular); compare with Eqs. (8)-(9).

Run: python examples/closure.py
"""

import nanograph as ng
from nanograph.transforms import predicted_edge_fractions, regular_closure

density = 20.0
sticks = ng.generate_sticks(density, box=12, periodic=(False, True), rng=2)

for rj, re, label in [
    (1.0, 1.0, "junction-node, Rj = 1"),
    (0.0, 1.0, "seamless, Re = 1"),
    (0.0, 0.0, "seamless, Re = 0"),
]:
    network = ng.junction_node_network(sticks, rw=1.0, rj=rj, re=re)
    closure = regular_closure(network)
    before, after = ng.solve_network(network), ng.solve_network(closure.network)
    print(f"{label}: z = {closure.degree}, degrees of the contact nodes {closure.degree_counts}")
    print(
        f"  {len(closure.closure_edges)} closure edges ({closure.n_self_loops} self-loops), "
        f"{closure.n_isolated_sticks} isolated sticks, bus-bar degrees {closure.electrode_degrees}"
    )
    print(f"  conductance open {before.conductance:.12g} S, closed {after.conductance:.12g} S")
    predicted = predicted_edge_fractions(density, closure.degree)
    for kind in ("junction", "segment", "closure"):
        print(f"  {kind:>8} edges: {closure.edge_fractions[kind]:.4f} (Eqs. 8-9, periodic box: {predicted[kind]:.4f})")
