"""Cross-aligned sticks: orientation moments, contacts per stick, and the MFA conductivity vs a direct solve.

Run: python examples/orientation_study.py [output.png]
"""

import sys

import numpy as np
from matplotlib.figure import Figure

from nanograph.geometry.contacts import find_contacts
from nanograph.geometry.odf import parse_odf
from nanograph.geometry.sticks import generate_sticks
from nanograph.graphs.builders import junction_node_network
from nanograph.linalg.solve import solve_network
from nanograph.physics.mfa import mean_contacts, mfa_conductivity

SPECS = ["isotropic", "irregular-cross:eps=22.5deg", "cos2m:m=10", "irregular-cross:eps=5.625deg", "cross:omega=0.5"]
DENSITY, BOX, DELTA = 20.0, 10.0, 1.0  # n l^2, box side / l, Delta = Rs / Rj

print(f"{'odf':<30} {'<S^2>':>7} {'<|sin|>':>8} {'<Nj> Eq.16':>10} {'<Nj> direct':>11} {'MFA (15)':>9} {'direct':>8}")
for spec in SPECS:
    odf = parse_odf(spec)
    sticks = generate_sticks(DENSITY, box=BOX, odf=odf, periodic=True, rng=7)
    contacts = find_contacts(sticks)
    per_stick = contacts.contacts_per_stick(len(sticks)).mean()
    # Rj = 1, a whole unit stick has Rs = rw * l = Delta; sigma (Rs + Rj) from the periodic sheet conductance.
    solution = solve_network(junction_node_network(sticks, rw=DELTA, rj=1.0, contacts=contacts))
    direct = solution.sheet_conductance * (1 + DELTA)
    mfa = mfa_conductivity(DENSITY, DELTA, odf, formula=15)
    print(f"{spec:<30} {odf.mean_s2:7.4f} {odf.mean_abs_sin_difference:8.5f} {mean_contacts(DENSITY, odf):10.3f} "
          f"{per_stick:11.3f} {mfa:9.4g} {direct:8.4g}")  # fmt: skip

fig = Figure(figsize=(5, 3.6), layout="constrained")
ax = fig.add_subplot()
density = np.linspace(5, 100, 200)
for spec in SPECS[::2]:
    ax.plot(density, mfa_conductivity(density, 1e-6, spec) / density, label=f"{spec}, Δ = 1e-6")
ax.set(xlabel="n l²", ylabel="σ (Rs + Rj) / n l²", title="MFA Eq. (15)")
ax.legend(fontsize=7)
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "orientation_study.png")
