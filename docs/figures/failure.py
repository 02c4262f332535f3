"""Pictures for docs/guide/failure.md: removal curves by mode, and the crack of a fuse cascade with its I-V staircase.

OUTDIR = docs/guide/img
"""

import sys
from pathlib import Path

from matplotlib.figure import Figure

import nanograph as ng
from nanograph.analysis.failure import fuse_cascade, removal_curve
from nanograph.plotting.failure import draw_cascade

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/guide/img")
out.mkdir(parents=True, exist_ok=True)

sticks = ng.generate_sticks(15, box=8, rng=2)
network = ng.junction_node_network(sticks, rw=1.0, rj=1.0)

ax = Figure(figsize=(5, 3.4), dpi=120).subplots()
for mode in ("random", "betweenness", "current"):
    curve = removal_curve(network, mode=mode, fraction=0.6 if mode == "random" else 0.15, steps=12, rng=1, pairs=32)
    g = curve.conductance / curve.conductance[0]
    ax.plot(curve.fraction_removed, g, "o-", ms=3, label=f"{mode} (fails at {curve.failure_fraction:.3f})")
ax.set_xlabel("fraction of junctions removed")
ax.set_ylabel("$G / G_0$")
ax.set_title("removal curves, $n l^2 = 15$, $L = 8$", fontsize=10)
ax.legend(fontsize=8)
ax.figure.savefig(out / "failure-removal.png", bbox_inches="tight")

cascade = fuse_cascade(network, 0.05, spread=0.5, rng=3)
figure = Figure(figsize=(10, 4.2), dpi=120)
left, right = figure.subplots(1, 2)
draw_cascade(network, cascade, sticks=sticks, ax=left)
volts, amps, g_after = cascade.voltage, cascade.current, cascade.conductance
xs, ys = [0.0], [0.0]
for v, i, g in zip(volts, amps, g_after, strict=True):  # ramp up to the failure, then the drop at fixed V
    xs += [v, v]
    ys += [i, v * g]
right.plot(xs, ys, "-", lw=1)
right.set_xlabel("voltage (V)")
right.set_ylabel("current (A)")
right.set_title(f"I–V staircase: {len(volts)} failures, peak {amps.max():.3g} A", fontsize=10)
figure.savefig(out / "failure-cascade.png", bbox_inches="tight")
