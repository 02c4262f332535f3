"""Pictures for docs/guide/spanning-trees.md: spanning trees sampled by Wilson's algorithm on a small stick network.

OUTDIR = docs/guide/img
"""

import sys
from pathlib import Path

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

import nanograph as ng
from nanograph.analysis.spanning import sample_spanning_tree, spanning_tree_edge_frequencies

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/guide/img")
out.mkdir(parents=True, exist_ok=True)

sticks = ng.generate_sticks(5, box=4, rng=3)
network = ng.wire_node_network(sticks, rj=1.0)
contacts = ng.find_contacts(sticks)
n_junctions = len(contacts)  # wire-node edges: the junctions first, then the electrode contacts
forests = sample_spanning_tree(network, rng=1, size=3)
figure = Figure(figsize=(10, 3.6), dpi=120)
for ax, forest in zip(figure.subplots(1, 3), forests, strict=True):
    ax.add_collection(LineCollection(sticks.endpoints.reshape(-1, 2, 2), colors="0.8", linewidths=0.8))
    tree = np.flatnonzero(forest[:n_junctions])
    points = contacts.point[tree]
    centres = network.node_position
    pairs = network.edges[tree]
    ax.add_collection(LineCollection(np.stack([centres[pairs[:, 0]], points], 1), colors="tab:green", lw=1.4))
    ax.add_collection(LineCollection(np.stack([points, centres[pairs[:, 1]]], 1), colors="tab:green", lw=1.4))
    ax.plot(*centres[: len(sticks)].T, ".", color="k", ms=3)
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 4)
    ax.set_aspect("equal")
    ax.set_title(f"{forest.sum()} tree edges", fontsize=9)
figure.suptitle("three spanning forests of one wire-node network (Wilson's algorithm)", fontsize=10)
figure.savefig(out / "spanning-trees-samples.png", bbox_inches="tight")

freq = spanning_tree_edge_frequencies(network, 2000, rng=2)
ax = Figure(figsize=(4.2, 4), dpi=120).subplots()
err = np.sqrt(freq.exact * (1 - freq.exact) / freq.n_trees)
ax.errorbar(freq.exact, freq.frequency, yerr=2 * err, fmt=".", ms=4, lw=0.6)
ax.plot([0, 1], [0, 1], "k--", lw=0.8)
ax.set_xlabel("$g_e R_e$ (exact)")
ax.set_ylabel("frequency in 2000 sampled forests")
ax.set_title(f"max |z| = {freq.max_abs_z:.2f}; Σ g R = {freq.exact.sum():.6g} = |V| − c", fontsize=9)
ax.figure.savefig(out / "spanning-trees-frequencies.png", bbox_inches="tight")
