"""Foster's theorem as probability: P(edge in a random spanning tree) = g R, checked by Wilson's sampler.

Run: python examples/spanning_trees.py
"""

import numpy as np

import nanograph as ng
from nanograph.analysis.spanning import spanning_tree_count, spanning_tree_edge_frequencies

sticks = ng.generate_sticks(density=6, box=5, rng=1)
network = ng.wire_node_network(sticks, rj=1.0, re=0.5)
count = spanning_tree_count(network)  # Kirchhoff: the weighted number of spanning forests, from one factorisation
print(f"{network.n_nodes} nodes, {network.n_edges} edges, {count.n_components} component(s)")
print(f"log of the weighted number of spanning forests: {count.log_count:.6f}")

freq = spanning_tree_edge_frequencies(network, 1000, rng=2)  # Wilson's algorithm, 1000 forests
print(f"tree edges per forest: {freq.tree_edges_mean:g} (always |V| - c = {freq.expected_tree_edges})")
print(f"Foster's sum of g R: {freq.exact.sum():.9f}")
worst = int(np.argmax(np.abs(freq.z)))
print(f"largest |z| of an edge's frequency against g R: {freq.max_abs_z:.2f} "
      f"(edge {worst}: {freq.frequency[worst]:.3f} sampled, g R = {freq.exact[worst]:.3f})")  # fmt: skip
