"""Film pictures for docs/theory/films.md: EMT against direct simulation as junction disorder grows, and the
R_s–amd and R_s–T curves of a silver-nanowire film with error bands from realizations.

Prints the EMT-disorder table that the page quotes. OUTDIR = docs/theory/img
"""

import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter

from nanograph.analysis.film import simulate_film
from nanograph.model import Film, LogNormalResistance, WirePopulation

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/theory/img")
out.mkdir(parents=True, exist_ok=True)

# 1. EMT with log-normal junctions (median 10 ohm, sigma 0..2) against direct solves, n l^2 = 30, L = 8 <l>.
sigmas = [0.0, 0.5, 1.0, 1.5, 2.0]
rows = []
for sigma in sigmas:
    junctions = 10.0 if sigma == 0 else LogNormalResistance(10.0, sigma)
    film = Film(WirePopulation(density=30.0, rw=20.0), box=8, junctions=junctions)
    result = simulate_film(film, 4, rng=11)
    rs, err = result.mean("sheet_resistance")
    emt, _ = result.mean("emt_sheet_resistance")
    rows.append((sigma, rs, err, emt, emt / rs))
print("| σ of ln Rj | R_s direct (Ω/sq) | EMT (Ω/sq) | EMT / direct |")
print("|---|---|---|---|")
for sigma, rs, err, emt, ratio in rows:
    print(f"| {sigma:.1f} | {rs:.3g} ± {err:.2g} | {emt:.3g} | {ratio:.3f} |")

fig = Figure(figsize=(5.5, 3.5), layout="constrained")
ax = fig.add_subplot()
s = np.array(rows)
ax.errorbar(s[:, 0], s[:, 1], yerr=s[:, 2], fmt="o-", label="direct (4 realizations)")
ax.yaxis.set_major_formatter(ScalarFormatter())
ax.yaxis.set_minor_formatter(NullFormatter())
ax.plot(s[:, 0], s[:, 3], "s--", label="EMT, Eq. (3) with the Rj distribution")
ax.set(xlabel="σ of ln Rj (median 10 Ω)", ylabel="sheet resistance R_s (Ω/sq)", yscale="log",
       title="n⟨l⟩² = 30, Rw = 20 Ω, L = 8⟨l⟩")  # fmt: skip
ax.legend(fontsize=8)
fig.savefig(out / "films-emt-disorder.png", dpi=200)

# 2. A silver film (l = 20 um, D = 50 nm, Rj = 10 ohm): R_s against amd and against T.
amds = [15, 20, 30, 45, 70, 100]
curve = []
for amd in amds:
    film = Film(WirePopulation(length="20um", diameter="50nm", material="Ag", areal_mass_density=f"{amd}mg/m^2"),
                box="120um", junctions="10ohm")  # fmt: skip
    result = simulate_film(film, 3, rng=5, predict=False)
    rs, err = result.mean("sheet_resistance")
    t, _ = result.mean("transmittance")
    curve.append((amd, rs, err, t))
c = np.array(curve)
fig = Figure(figsize=(8, 3.3), layout="constrained")
left, right = fig.subplots(1, 2)
left.errorbar(c[:, 0], c[:, 1], yerr=c[:, 2], fmt="o-")
left.set(xlabel="areal mass density (mg/m²)", ylabel="R_s (Ω/sq)", xscale="log", yscale="log", title="Ag, 20 µm × 50 nm")
for axis in (left.xaxis, left.yaxis, right.yaxis):
    axis.set_major_formatter(ScalarFormatter())
    axis.set_minor_formatter(NullFormatter())
left.xaxis.set_major_locator(FixedLocator(amds))
right.errorbar(c[:, 3] * 100, c[:, 1], yerr=c[:, 2], fmt="o-")
right.set(xlabel="transmittance T (%), Q_ext = 2", ylabel="R_s (Ω/sq)", yscale="log", title="R_s–T")
fig.savefig(out / "films-rs-amd-t.png", dpi=200)
