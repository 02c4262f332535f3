"""The EMT paper's Table 1 films: silver-nanowire films of the literature, from datasheet to ohm per square.

For each film of Table 1 (mean length, mean diameter, the range of areal mass density), at the geometric mean
of its amd range: ``n l²`` from the amd (films issue §4), the sheet resistance simulated with bus bars and in the
periodic-x geometry, and the EMT and MFA predictions. The paper gives no sheet resistances for these films and
no junction resistance, so ``Rj = 10`` ohm (annealed AgNW junctions) is assumed and the only published statement
checked is the paper's reading of the table: "the typical number density n l0² is few tens, while the maximal
value in the exceptional cases may reach several hundreds".
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from nanograph.analysis.film import simulate_film
from nanograph.model import Film, WirePopulation
from nanograph.published import emt_foster as published
from nanograph.published.materials import EMT_TABLE1_FILMS
from nanograph.reproduce import Check, Report, experiment

#: Junction resistance assumed for the Table 1 films (ohm): the paper gives none.
ASSUMED_RJ = 10.0


def _film(length_um: float, diameter_nm: float, amd_mg: float, box: float, periodic: str = "none") -> Film:
    wires = WirePopulation(length=f"{length_um}um", diameter=f"{diameter_nm}nm", material="Ag",
                           areal_mass_density=f"{amd_mg}mg/m^2")  # fmt: skip
    return Film(wires, box=box, periodic=periodic, junctions=ASSUMED_RJ)


def _densities() -> list[tuple[str, float, float]]:
    """``(reference, n l² at the low end, n l² at the high end)`` of every Table 1 film."""
    rows = []
    for ref, length, diameter, (low, high) in EMT_TABLE1_FILMS:
        rows.append((ref, _film(length, diameter, low, 10).density, _film(length, diameter, high, 10).density))
    return rows


def _plot(rows, path: Path) -> Path:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3.8), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(rows))
    for key, marker, label in (("bus", "o", "simulated, bus bars"), ("periodic", "^", "simulated, periodic x"),
                               ("emt", "s", "EMT"), ("mfa", "d", "MFA Eq. (15)")):  # fmt: skip
        ax.plot(x, [r[key] for r in rows], marker, label=label)
    ax.set_xticks(x, [f"{r['length']:g} µm\n{r['diameter']:g} nm" for r in rows], fontsize=6)
    ax.set(ylabel="R_s (Ω/sq)", yscale="log", title=f"EMT paper Table 1 films at the mid amd, Rj = {ASSUMED_RJ:g} Ω")
    ax.legend(fontsize=7)
    fig.savefig(path, dpi=200)
    return path


@experiment("films", published.PAPER, "Table 1 AgNW films: n l² from the amd; R_s simulated (bus bars, periodic), EMT, MFA")
def table1_films(quick: bool, out: Path) -> Report:
    """Table 1's films through ``nanograph film``: densities, sheet resistances and the two predictions."""
    report = Report("films")
    densities = _densities()
    report.text.append("Table 1: reference | <l> | <d> | n l^2 over the amd range")
    for (ref, length, diameter, _), (_, low, high) in zip(EMT_TABLE1_FILMS, densities, strict=True):
        report.text.append(f"  {ref:<22} {length:5.1f} um {diameter:5.0f} nm  {low:7.1f} .. {high:7.1f}")
    typical = float(np.median([math.sqrt(low * high) for _, low, high in densities]))
    largest = max(high for _, _, high in densities)
    report.checks.append(Check("Table 1 reading: typical n l0^2 is 'few tens' (10-100)", "few tens", f"{typical:.3g}",
                               "10 <= median <= 100", 10 <= typical <= 100))  # fmt: skip
    report.checks.append(Check("Table 1 reading: the maximum reaches 'several hundreds'", "several hundreds",
                               f"{largest:.3g}", ">= 200", largest >= 200))  # fmt: skip
    box, runs = (4.0, 2) if quick else (8.0, 4)
    rows = []
    for (ref, length, diameter, (low, high)), (_, d_low, d_high) in zip(EMT_TABLE1_FILMS, densities, strict=True):
        amd = math.sqrt(low * high)
        if math.sqrt(d_low * d_high) > (60 if quick else 250):
            continue  # the densest films (n l^2 in the hundreds) take minutes each; listed above, not simulated
        bus = simulate_film(_film(length, diameter, amd, box), runs, rng=1).summary()
        periodic = simulate_film(_film(length, diameter, amd, box, "x"), runs, rng=1, predict=False).summary()
        rows.append({"ref": ref, "length": length, "diameter": diameter, "amd": amd, "density": bus["density"],
                     "bus": bus["sheet_resistance_ohm_sq"], "bus_err": bus["sheet_resistance_ohm_sq_err"],
                     "periodic": periodic["sheet_resistance_ohm_sq"], "emt": bus["emt_sheet_resistance_ohm_sq"],
                     "mfa": bus["mfa_sheet_resistance_ohm_sq"], "t": bus["transmittance"]})  # fmt: skip
    report.text.append(f"R_s (ohm/sq) at the geometric-mean amd, Rj = {ASSUMED_RJ:g} ohm (assumed), L = {box:g} <l>, "
                       f"{runs} runs: amd | n l^2 | bus bars | periodic x | EMT | MFA | T")  # fmt: skip
    for r in rows:
        report.text.append(f"  {r['ref']:<22} {r['amd']:6.1f} mg/m^2 {r['density']:7.1f}  {r['bus']:8.3g} ± "
                           f"{r['bus_err']:.2g}  {r['periodic']:8.3g}  {r['emt']:8.3g}  {r['mfa']:8.3g}  {r['t']:.3f}")  # fmt: skip
    if rows:
        ratio = float(np.median([r["periodic"] / r["bus"] for r in rows]))
        report.checks.append(Check.close("periodic-x vs bus-bar R_s (median ratio), same films", 1.0, ratio,
                                         rel_tol=0.15,
                                         note="finite-size: bus-bar contacts and dead ends at the bars"))  # fmt: skip
        report.figures.append(_plot(rows, Path(out) / "table1_films.png"))
    return report
