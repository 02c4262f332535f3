"""Pictures for docs/teaching/foster.md: a 4-node example, a closed network, g/(g+G') per kind, timings.

OUTDIR = docs/teaching/img
"""

import json
import sys
import time
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import nanograph as ng
from nanograph.graphs.network import EdgeKind, Network
from nanograph.linalg.foster import foster_check
from nanograph.linalg.resistance import edge_resistances
from nanograph.transforms import regular_closure

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/teaching/img")
out.mkdir(parents=True, exist_ok=True)

# 1. Four nodes: a square A-C-B-D with the bridge C-D (the Wheatstone bridge of the page), g R on every edge.
position = np.array([[0.0, 0.5], [2.0, 0.5], [1.0, 1.0], [1.0, 0.0]])
edges = np.array([[0, 2], [0, 3], [2, 1], [3, 1], [2, 3]])
g = np.array([1.0, 0.5, 0.5, 1.0, 1.0])
bridge = Network.from_edges(4, edges, g, position=position, box=(2, 1))
gr = g * edge_resistances(bridge)
ax = Figure(figsize=(5, 3.2), dpi=120).subplots()
for (a, b), ge, value in zip(edges, g, gr, strict=True):
    (x0, y0), (x1, y1) = position[a], position[b]
    ax.plot([x0, x1], [y0, y1], color="tab:blue", lw=1 + 2 * ge)
    ax.text((x0 + x1) / 2 + 0.05, (y0 + y1) / 2, f"g = {ge:g}\ngR = {value:.4f}", fontsize=8, va="center")
for name, (x, y) in zip("ABCD", position, strict=True):
    ax.plot(x, y, "o", color="k", ms=8)
    ax.text(x, y + 0.08, name, ha="center", fontsize=10, weight="bold")
ax.set_title(f"Σ g R = {gr.sum():.12g} = |V| − 1 = 3", fontsize=10, pad=14)
ax.set_ylim(-0.15, 1.2)
ax.set_axis_off()
ax.figure.savefig(out / "foster-four-nodes.png", bbox_inches="tight")

# 2. A small network and its 3-regular closure: sticks, contact nodes by degree, closure edges as arcs.
sticks = ng.generate_sticks(6, box=4, periodic=(False, True), rng=11)
closure = regular_closure(ng.junction_node_network(sticks, rw=1.0, rj=1.0))
net = closure.network
fig = Figure(figsize=(10, 4.8), dpi=120)
for ax, closed in zip(fig.subplots(1, 2), (False, True), strict=True):
    for x0, y0, x1, y1 in sticks.endpoints:
        ax.plot([x0, x1], [y0, y1], color="0.75", lw=1)
    degree = (net if closed else closure.source).degree
    contact = net.node_kind == ng.NodeKind.CONTACT
    for d, color in ((1, "tab:red"), (2, "tab:orange"), (3, "tab:green")):
        on = contact & (degree == d)
        ax.plot(*net.node_position[on].T, "o", ms=3.5, color=color, label=f"degree {d} ({on.sum()})", ls="none")
    if closed:
        for a, b in net.edges[closure.closure_edges]:
            (x0, y0), (x1, y1) = net.node_position[a], net.node_position[b]
            mid = np.array([(x0 + x1) / 2, (y0 + y1) / 2]) + 0.15 * np.array([-(y1 - y0), x1 - x0])
            t = np.linspace(0, 1, 20)[:, None]
            arc = (1 - t) ** 2 * [x0, y0] + 2 * t * (1 - t) * mid + t**2 * [x1, y1]
            ax.plot(*arc.T, ls="--", lw=0.8, color="tab:purple")
    ax.axvline(0, color="k", lw=3)
    ax.axvline(sticks.box[0], color="k", lw=3)
    ax.set_aspect("equal")
    ax.set_xlim(-0.8, sticks.box[0] + 0.8)
    ax.set_ylim(0, sticks.box[1])
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title("closed: every contact node has degree 3" if closed else "junction-node network", fontsize=10)
fig.savefig(out / "foster-closure.png", bbox_inches="tight")

# 3. g/(g + G') per edge kind on a closed network at n l² = 30.
sticks = ng.generate_sticks(30, box=10, periodic=(False, True), rng=1)
check = foster_check(regular_closure(ng.junction_node_network(sticks, rw=1.0, rj=1.0)).network)
ax = Figure(figsize=(6, 3.8), dpi=120).subplots()
bins = np.linspace(0, 1, 51)
for kind in (EdgeKind.JUNCTION, EdgeKind.SEGMENT, EdgeKind.ELECTRODE):
    values = check.values(kind)
    ax.hist(
        values,
        bins=bins,
        histtype="step",
        lw=1.5,
        label=f"{kind.name.lower()} ({len(values)}), mean {values.mean():.3f}",
    )
ax.axvline(check.mean_gR, color="k", ls="--", label=f"mean over all edges {check.mean_gR:.4f} (2/3: Eq. 17)")
ax.set_yscale("log")
ax.set_xlabel("g / (g + G')  =  g R_eff")
ax.set_ylabel("edges")
ax.set_title(f"closed network, n l² = 30, L = 10: {len(check.values('closure'))} closure edges at 0", fontsize=9)
ax.legend(fontsize=7)
ax.figure.savefig(out / "foster-distribution.png", bbox_inches="tight")

# 4. Time of the exact all-edge check against network size (this build) and the benchmark's larger cases.
ax = Figure(figsize=(5.5, 3.8), dpi=120).subplots()
sizes, seconds = [], []
for box in (4, 8, 12, 16):
    closed = regular_closure(ng.junction_node_network(ng.generate_sticks(30, box=box, rng=1))).network
    t0 = time.perf_counter()
    foster_check(closed)
    sizes.append(closed.n_nodes)
    seconds.append(time.perf_counter() - t0)
ax.loglog(sizes, seconds, "o-", label="this docs build")
bench = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "foster.json"
if bench.exists():
    cases = json.loads(bench.read_text())["cases"]
    ax.loglog([c["n_nodes"] for c in cases], [c["seconds"]["factor"] + c["seconds"]["edges"] for c in cases], "s--",
              label="benchmarks/foster.py (shared 2-core machine)")  # fmt: skip
ax.set_xlabel("nodes |V| (closed junction-node network, n l² = 30)")
ax.set_ylabel("seconds: factor + selected inversion + edges")
ax.legend(fontsize=8)
ax.grid(True, which="both", alpha=0.3)
ax.figure.savefig(out / "foster-timing.png", bbox_inches="tight")
