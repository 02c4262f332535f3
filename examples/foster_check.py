"""Foster's theorem on a random nanowire network: sum of g R over the edges is |V| - c, exactly.

Run: python examples/foster_check.py
"""

import numpy as np

import nanograph as ng
from nanograph.linalg.foster import foster_check
from nanograph.transforms import regular_closure

sticks = ng.generate_sticks(density=30, box=10, periodic=(False, True), rng=1)
closed = regular_closure(ng.junction_node_network(sticks, rw=1.0, rj=1.0)).network
check = foster_check(closed)  # exact R on every edge: one factorisation + selected inversion
print(
    f"{check.n_nodes} nodes, {check.n_edges} edges, {check.n_components} component(s), "
    f"{check.seconds['factor'] + check.seconds['edges']:.2f} s"
)
print(
    f"sum g R = {check.foster_sum:.9f}, |V| - c = {check.expected_sum}, relative residual {check.relative_residual:.1e}"
)
print(f"mean g/(g + G') = {check.mean_gR:.5f}; 3-regular: 2/z = {check.regular_mean:.5f} (Eq. 17)")
for kind, mean in check.kind_means.items():
    q = np.quantile(check.values(kind), [0.1, 0.5, 0.9])
    print(f"  {kind:>9}: mean {mean:.4f}, deciles 10/50/90 % = {q[0]:.3f} / {q[1]:.3f} / {q[2]:.3f}")
