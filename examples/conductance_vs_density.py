"""Conductance against density in both graph forms, averaged over seeds (a small ensemble).

Run: python examples/conductance_vs_density.py
"""

import numpy as np

import nanograph as ng

root = np.random.SeedSequence(7)
print("n l^2 | wire-node G (S) | junction-node G (S) | runs percolating")
for density in (6.0, 8.0, 12.0, 20.0):
    rows = []
    for seed in root.spawn(5):
        sticks = ng.generate_sticks(density, box=8, rng=np.random.default_rng(seed))
        contacts = ng.find_contacts(sticks)
        rows.append([ng.solve_network(ng.build_network(sticks, form, contacts=contacts)).conductance
                     for form in ("wire-node", "junction-node")])  # fmt: skip
    g = np.array(rows)
    print(f"{density:5g} | {g[:, 0].mean():15.4f} | {g[:, 1].mean():19.4f} | {np.count_nonzero(g[:, 0])}/5")
