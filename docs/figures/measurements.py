"""σ_yy/σ_xx against alignment, and van der Pauw on aligned films, for docs/theory/measurements.md.

OUTDIR = docs/theory/img

Jagota's Θ2 (angles uniform on ``[-α, α]``), ``n l^2 = 20``, ``L = 8``, ``rw = rj = 1`` (``Δ = Rs/Rj = 1``),
junction-node form, a few realizations per ``α``: the tensor of sticks periodic in x and y, and van der Pauw's
``R_s`` (midpoint contacts of ``0.25 L``) of sticks in an open box with the same seed. The MFA curve is
``<sin²α>/<cos²α>`` (Eq. 15 with the ODF rotated by 90°; every other factor is invariant). Prints the table
quoted on the page.
"""

import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from nanograph.analysis.tensor import sheet_conductivity_tensor
from nanograph.analysis.vanderpauw import four_probe
from nanograph.geometry.odf import parse_odf
from nanograph.geometry.sticks import generate_sticks
from nanograph.physics.mfa import mfa_conductivity

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/theory/img")
out.mkdir(parents=True, exist_ok=True)
DENSITY, BOX, SEEDS = 20.0, 8.0, (1, 2, 3)
ALPHAS = (20, 30, 45, 60, 75, 90)

rows = []
for alpha in ALPHAS:
    odf = parse_odf(f"theta2:alpha={alpha}deg")
    ratio, montgomery, sxx = [], [], []
    for seed in SEEDS:
        s = sheet_conductivity_tensor(generate_sticks(DENSITY, box=BOX, odf=odf, periodic=True, rng=seed)).sigma
        ratio.append(s[1, 1] / s[0, 0])
        sxx.append(s[0, 0])
        vdp = four_probe(generate_sticks(DENSITY, box=BOX, odf=odf, rng=seed), contact_size=0.25 * BOX)
        montgomery.append(vdp.sheet_resistance * np.sqrt(np.linalg.det(s)))
    c = odf.mean_cos2
    sigma_xx_mfa = float(mfa_conductivity(DENSITY, 1.0, odf)) / 2.0  # σ (Rs + Rj) with Rs = Rj = 1 ohm
    rows.append((alpha, np.mean(ratio), np.std(ratio), (1 - c) / c, np.mean(sxx), sigma_xx_mfa, np.mean(montgomery)))

print("| α (deg) | σ_yy/σ_xx, network | MFA <sin²α>/<cos²α> | σ_xx (S), network | MFA σ_xx (S) | R_s(vdP) √det σ |")
print("|---|---|---|---|---|---|")
for alpha, mean, sd, mfa, net_xx, sxx, mont in rows:
    print(f"| {alpha} | {mean:.3f} ± {sd:.3f} | {mfa:.3f} | {net_xx:.3f} | {sxx:.3f} | {mont:.3f} |")

a = np.array(rows)
fig = Figure(figsize=(6, 3.8), layout="constrained")
ax = fig.add_subplot()
grid = np.linspace(5, 90, 200)
ax.plot(grid, [(1 - parse_odf(f"theta2:alpha={g}deg").mean_cos2) / parse_odf(f"theta2:alpha={g}deg").mean_cos2
               for g in grid], "k-", lw=1, label="MFA: <sin²α>/<cos²α>")  # fmt: skip
ax.errorbar(a[:, 0], a[:, 1], yerr=a[:, 2], fmt="o", color="tab:blue", capsize=3,
            label=f"network tensor, n l² = {DENSITY:g}, L = {BOX:g}")  # fmt: skip
ax.set(xlabel="Θ2 half-width α (degrees)", ylabel="σ_yy / σ_xx", ylim=(0, 1.1),
       title="anisotropy of aligned films")  # fmt: skip
ax.legend(fontsize=8)
fig.savefig(out / "measurements-anisotropy.png", dpi=110)
