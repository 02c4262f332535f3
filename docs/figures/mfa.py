"""MFA pictures for docs/theory/mfa.md: the ODFs and sigma (Rs + Rj) of Eq. (15) for three Delta.

OUTDIR = docs/theory/img
"""

import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from nanograph.geometry.odf import parse_odf
from nanograph.physics.mfa import mfa_conductivity, rs0_conductivity

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/theory/img")
out.mkdir(parents=True, exist_ok=True)
specs = ["isotropic", "double-gaussian:sigma=15.65deg", "irregular-cross:eps=22.5deg", "irregular-cross:eps=5.625deg",
         "cos2m:m=10", "von-mises:kappa=4"]  # fmt: skip

fig = Figure(figsize=(6, 3.6), layout="constrained")
ax = fig.add_subplot()
alpha = np.linspace(-np.pi / 2, np.pi / 2, 721)
for spec in specs:
    ax.plot(np.degrees(alpha), parse_odf(spec).pdf(alpha), label=spec)
ax.set(xlabel="α (degrees)", ylabel="f(α) (1/rad)", title="orientation distributions")
ax.legend(fontsize=7)
fig.savefig(out / "mfa-odfs.png", dpi=110)

fig = Figure(figsize=(6, 3.8), layout="constrained")
ax = fig.add_subplot()
density = np.linspace(3, 100, 300)
for delta, style in ((1e-6, "-"), (1.0, "--"), (1e6, ":")):
    for spec, color in (("isotropic", "tab:blue"), ("cross:omega=0.5", "tab:red")):
        ax.plot(density, mfa_conductivity(density, delta, spec), style, color=color, label=f"{spec}, Δ = {delta:g}")
ax.plot(density, rs0_conductivity(density, "isotropic"), "k", lw=0.6, label="Rs = 0, Eq. (66) corrected")
ax.set(xlabel="n l²", ylabel="σ (Rs + Rj)", yscale="log", title="MFA, Eq. (15)")
ax.legend(fontsize=7)
fig.savefig(out / "mfa-sigma.png", dpi=110)
