"""Find the current-carrying backbone of a network near the threshold and draw it by role and by current.

Run: python examples/backbone_picture.py [output.png]
"""

import sys

from matplotlib.figure import Figure

import nanograph as ng
from nanograph.analysis.backbone import find_backbone
from nanograph.plotting.backbone import draw_backbone

sticks = ng.generate_sticks(density=7, box=10, periodic=(False, True), rng=7)  # just above n_c l² = 5.64
network = ng.junction_node_network(sticks, rw=1.0, rj=1.0)
backbone = find_backbone(network, sticks)
for role, count in backbone.counts()["sticks"].items():
    print(f"{role:>9}: {count:4d} sticks, {100 * backbone.length_fractions()[role]:5.1f}% of the wire length")

whole = ng.solve_network(network)
alone = ng.solve_network(backbone.backbone_network)
print(f"conductance: whole network {whole.conductance:.6g} S, backbone alone {alone.conductance:.6g} S")

fig = Figure(figsize=(11, 5), dpi=120)
left, right = fig.subplots(1, 2)
draw_backbone(backbone, sticks, ax=left).set_title("roles")
draw_backbone(backbone, sticks, whole, color_by="current", ax=right).set_title("current magnitude")
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "backbone_picture.png", bbox_inches="tight")
