"""Experiment ``emt-foster``: the EMT/Foster paper (Tarasevich et al. 2025), every number it prints.

1. The large-density constants of Eqs. (22) and (29), computed exactly beside the printed ones.
2. Table 2: the fit of Eq. (23) to Eq. (21), per ``Rj``.
3. Fig. 3: square and kagome lattices (plus honeycomb and triangular) in bus-bar geometry with edges from
   Eq. (13): fitted slopes of the sheet conductance against ``n = π/(2⟨l⟩)`` vs the published and EMT
   slopes; the identical-edge sheet resistances ``1/g`` and ``2/(√3 g)``.
4. Fig. 4: random nanowire networks, direct conductance vs the EMT network (same structure, every edge
   ``g_m`` of Eq. 21) on the open network, its 3-regular closure and its backbone.
5. The closure: edge fractions vs Eqs. (8)–(9), the degree set, and Foster's theorem (Eq. 17).

Full run: lattices ``L = 32, 64, 128`` with 10 runs; random networks ``L = 32`` with 10 runs per density
(about 15 min on 2 shared cores: the random networks; the lattices take 14 s). ``--quick``: small sizes and 2 runs, a few seconds.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np

from nanograph.analysis.backbone import find_backbone
from nanograph.geometry.sticks import generate_sticks
from nanograph.graphs.builders import junction_node_network
from nanograph.graphs.lattices import lattice_network
from nanograph.linalg.foster import foster_check
from nanograph.linalg.solve import solve_network
from nanograph.physics import emt
from nanograph.published import emt_foster as published
from nanograph.reproduce import Check, Report, experiment
from nanograph.transforms import predicted_edge_fractions, regular_closure

#: Table 2 fit range used here: x = 4 n l²/(π Rw) log-spaced over [10, 200] (n l² = 7.9–157 at Rw = 1).
TABLE2_X_RANGE = (10.0, 200.0)
TABLE2_POINTS = 20
#: Fig. 3 abscissae n = π/(2⟨l⟩) (G is proportional to n for every realisation, so these only add samples).
FIG3_DENSITIES = (10.0, 20.0, 30.0, 40.0, 50.0)
#: Fig. 4 densities n l² and resistances (ohm): Rj = Rw = Re = 1.
FIG4_DENSITIES = (10.0, 15.0, 20.0, 30.0, 40.0)
FIG4_RJ = FIG4_RW = 1.0


def _constants(report: Report) -> None:
    c22, c29 = emt.large_density_constant(3), emt.large_density_constant(4)
    slip = "exact root of β e^β E1(β) = 1/2; the printed value is {:.2%} low (docs/theory/slips.md)"
    report.checks += [
        Check.close("Eq. (22) g_m Rw / (2 n l²/π), Rj = 0", published.EQ22_CONSTANT, c22, abs_tol=0.005,
                    note=slip.format(1 - published.EQ22_CONSTANT / c22)),
        Check.close("Eq. (22) g_m Rw / (n l²)", published.EQ22_SLOPE, 2 * c22 / math.pi, abs_tol=0.01),
        Check.close("Eq. (29) g_m Rw / (2 n l²/π), seamless", published.EQ29_CONSTANT, c29, abs_tol=0.005,
                    note=slip.format(1 - published.EQ29_CONSTANT / c29)),
        Check.close("Eq. (29) g_m Rw / (n l²)", published.EQ29_SLOPE, 2 * c29 / math.pi, abs_tol=0.005),
    ]  # fmt: skip


def _table2(report: Report) -> None:
    where = (
        f"Eq. (21) without (1 - π/(2 n l²))⁻¹, x = 4 n l²/(π Rw) log-spaced on [{TABLE2_X_RANGE[0]:g}, "
        f"{TABLE2_X_RANGE[1]:g}], {TABLE2_POINTS} points"
    )
    with_factor = []
    for rj, (a_pub, b_pub, c_pub) in published.TABLE2.items():
        a, b = emt.table2_fit(rj, x_range=TABLE2_X_RANGE, n_points=TABLE2_POINTS)
        report.checks.append(Check.close(f"Table 2 A, Rj = {rj}", a_pub, a, abs_tol=published.TABLE2_TOLERANCE_A,
                                         note=where if rj == 1 else ""))  # fmt: skip
        report.checks.append(Check.close(f"Table 2 B, Rj = {rj}", b_pub, b, abs_tol=published.TABLE2_TOLERANCE_B))
        report.checks.append(
            Check.close(f"Table 2 10^(-2B), Rj = {rj}", c_pub, 10 ** (-2 * b), rel_tol=0.05,
                        note="the printed column is 10^(-2B) of the printed B, rounded" if rj == 1 else "")
        )  # fmt: skip
        with_factor.append(f"Rj={rj}: A={emt.table2_fit(rj, x_range=TABLE2_X_RANGE, closure_factor=True)[0]:.3f}")
    report.text.append("Table 2 with the factor (1 - π/(2 n l²))⁻¹ kept, same range: " + ", ".join(with_factor))


def _fit_through_origin(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.dot(x, y) / np.dot(x, x))


def _lattices(report: Report, quick: bool, out: Path) -> None:
    sizes = (16,) if quick else published.FIG3_SIZES
    runs = 2 if quick else published.FIG3_RUNS
    densities = FIG3_DENSITIES[::2] if quick else FIG3_DENSITIES
    ss = np.random.SeedSequence(20250217)
    curves = {}
    for lattice in emt.LATTICE_DEGREE:
        emt_slope = emt.lattice_sheet_conductance(lattice, emt.lattice_gm(1.0, emt.LATTICE_DEGREE[lattice]))
        for size in sizes:
            x, y = [], []
            for n in densities:
                for seed in ss.spawn(runs):
                    net = lattice_network(lattice, size, density=n, rng=np.random.default_rng(seed))
                    x.append(n)
                    y.append(solve_network(net).sheet_conductance)
            x, y = np.array(x), np.array(y)
            slope = _fit_through_origin(x, y)
            se = float(np.std(y / x, ddof=1) / math.sqrt(len(y)))
            curves[(lattice, size)] = (densities, [y[x == n].mean() for n in densities])
            report.text.append(f"Fig. 3 {lattice} L={size}: slope {slope:.4f} ± {se:.4f} (EMT {emt_slope:.4f})")
            if size != sizes[-1]:
                continue
            note = f"L = {size}, {runs} runs x {len(densities)} densities; ± {se:.4f} (1 s.e.)"
            if lattice == "square":
                report.checks.append(Check.close("Fig. 3 square slope", published.FIG3_SQUARE_SLOPE, slope,
                                                 rel_tol=0.02, note=note))  # fmt: skip
            if lattice == "kagome":
                report.checks.append(Check.close("Fig. 3 kagome slope", published.FIG3_KAGOME_SLOPE, slope,
                                                 rel_tol=0.02, note=note))  # fmt: skip
            theory = {"square": published.FIG3_SQUARE_THEORY, "kagome": published.FIG3_KAGOME_THEORY}.get(lattice)
            rounding = "the paper's theory slope uses the rounded 1.04 (unrounded 1.0435)"
            if theory is not None:
                report.checks.append(Check.close(f"Fig. 3 {lattice} EMT slope", theory, emt_slope, abs_tol=0.005,
                                                 note=rounding))  # fmt: skip
            report.checks.append(
                Check.close(f"Fig. 3 {lattice} slope vs nanograph EMT", emt_slope, slope, rel_tol=0.03,
                            note=f"z = {emt.LATTICE_DEGREE[lattice]}; {note}")
            )  # fmt: skip
    for lattice in ("square", "kagome"):
        for size in sizes:
            g = 1.7
            sol = solve_network(lattice_network(lattice, size, conductance=g))
            exact = 1 / g if lattice == "square" else 2 / (math.sqrt(3) * g)
            report.checks.append(Check.close(f"sheet resistance, identical g, {lattice} L={size}", exact,
                                             1 / sol.sheet_conductance, rel_tol=1e-9))  # fmt: skip
    report.figures.append(_plot_lattices(curves, sizes[-1], out / "fig3_lattices.png"))


def _plot_lattices(curves: dict, size: int, path: Path) -> Path:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.5, 4))
    ax = fig.add_subplot()
    for (lattice, s), (x, y) in curves.items():
        if s != size:
            continue
        line = ax.plot(x, y, "o", label=f"{lattice}")[0]
        slope = emt.lattice_sheet_conductance(lattice, emt.lattice_gm(1.0, emt.LATTICE_DEGREE[lattice]))
        ax.plot([0, max(x)], [0, slope * max(x)], "-", color=line.get_color(), lw=0.8)
    ax.set_xlabel("n = π / (2⟨l⟩)")
    ax.set_ylabel("sheet conductance (S)")
    ax.set_title(f"Fig. 3: lattices L = {size}, edges from Eq. (13); lines: EMT")
    ax.legend()
    fig.savefig(path, dpi=110)
    return path


def _with_gm(network, gm: float):
    return network.replace(edge_conductance=np.full(network.n_edges, gm))


def _random_networks(report: Report, quick: bool, out: Path) -> None:
    box = 10.0 if quick else float(published.FIG4_BOX)
    runs = 2 if quick else published.FIG4_RUNS
    densities = (10.0, 20.0) if quick else FIG4_DENSITIES
    ss = np.random.SeedSequence(4)
    rows = []
    for density in densities:
        gm = emt.three_regular_gm(density, FIG4_RW, FIG4_RJ)
        ratios = {"open": [], "closed": [], "backbone": []}
        direct_values = []
        for seed in ss.spawn(runs):
            sticks = generate_sticks(density, box=box, rng=np.random.default_rng(seed))
            net = junction_node_network(sticks, rw=FIG4_RW, rj=FIG4_RJ)
            direct = solve_network(net).conductance
            if direct == 0:
                continue
            direct_values.append(direct)
            closed = regular_closure(net).network
            ratios["open"].append(solve_network(_with_gm(net, gm)).conductance / direct)
            ratios["closed"].append(solve_network(_with_gm(closed, gm)).conductance / direct)
            backbone = find_backbone(net).backbone_network
            ratios["backbone"].append(solve_network(_with_gm(backbone, gm)).conductance / direct)
        mean = {k: float(np.mean(v)) for k, v in ratios.items()}
        rows.append((density, float(np.mean(direct_values)), gm, mean))
        report.text.append(
            f"Fig. 4 n l²={density:g} L={box:g} ({len(direct_values)} runs): direct G = {np.mean(direct_values):.4g} S,"
            f" g_m = {gm:.4g} S; EMT/direct: open {mean['open']:.3f}, closed {mean['closed']:.3f},"
            f" backbone {mean['backbone']:.3f}"
        )
    setup = f"n l² = {', '.join(f'{d:g}' for d in densities)}; L = {box:g}, {runs} runs; Rj = Rw = Re = 1"
    closed_ratio = float(np.mean([r[3]["closed"] for r in rows]))
    report.checks.append(
        Check.close("Fig. 4 EMT / direct, closed 3-regular network", published.FIG4_EMT_OVER_DIRECT, closed_ratio,
                    rel_tol=0.25, note=f"every edge of the closed network (closure edges too) set to g_m of "
                    f"Eq. (21), the EMT network proper; mean over {setup}")
    )  # fmt: skip
    open_ratio = float(np.mean([r[3]["open"] for r in rows]))
    same = max(abs(r[3]["backbone"] / r[3]["open"] - 1) for r in rows)
    report.checks.append(
        Check("Fig. 4 EMT on backbone only / EMT on open network", "1", f"1 ± {same:.1e}", "rel 1e-9", same < 1e-9,
              note="dead ends carry no current whatever their conductance, so removing them cannot explain "
              "the factor 2 (the paper's explanation)")
    )  # fmt: skip
    report.text.append(
        f"Fig. 4 EMT / direct on the open (unclosed) structure: {open_ratio:.3f} (below 1, not 2): the factor 2 "
        "is reproduced by the closed network, where the g_m closure edges short the wire ends; the paper's "
        "dead-end explanation does not hold (docs/theory/emt-foster.md)"
    )
    report.figures.append(_plot_random(rows, box, out / "fig4_random_networks.png"))


def _plot_random(rows: list, box: float, path: Path) -> Path:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.5, 4))
    ax = fig.add_subplot()
    d = [r[0] for r in rows]
    direct = np.array([r[1] for r in rows])
    ax.plot(d, direct, "o-", label="direct")
    for key, marker in (("open", "s"), ("closed", "^"), ("backbone", "v")):
        ax.plot(d, direct * np.array([r[3][key] for r in rows]), marker + "--", label=f"EMT network, {key}")
    ax.set_xlabel("n l²")
    ax.set_ylabel("conductance G (S)")
    ax.set_title(f"Fig. 4: random nanowire networks, L = {box:g}, Rj = Rw = 1")
    ax.legend()
    fig.savefig(path, dpi=110)
    return path


def _closure_and_foster(report: Report, quick: bool) -> None:
    box = 8.0 if quick else 16.0
    density = 20.0
    runs = 2 if quick else 5
    fractions = {"junction": [], "segment": [], "closure": []}
    checks = []
    for seed in np.random.SeedSequence(9).spawn(runs):
        sticks = generate_sticks(density, box=box, periodic=True, rng=np.random.default_rng(seed))
        closure = regular_closure(junction_node_network(sticks, rw=1.0, rj=1.0))
        for kind in fractions:
            fractions[kind].append(closure.edge_fractions[kind])
        checks.append((closure, foster_check(closure.network)))
    predicted = predicted_edge_fractions(density, 3)
    for kind, eq in (("junction", "(7)"), ("segment", "(8)"), ("closure", "(9)")):
        report.checks.append(
            Check.close(f"Eq. {eq} {kind} edge fraction, n l² = {density:g}", predicted[kind],
                        float(np.mean(fractions[kind])), rel_tol=0.03,
                        note=f"periodic L = {box:g}, {runs} runs" if kind == "junction" else "")
        )  # fmt: skip
    closure, check = checks[0]
    report.checks.append(Check("closed network degree set", "{3}", str(set(closure.degrees)), "exact",
                               closure.degrees == (3,)))  # fmt: skip
    worst = max(c.relative_residual for _, c in checks)
    report.checks.append(Check("Foster Σ g R = |V| - c, closed network", "0", f"{worst:.2e}", "rel 1e-9", worst < 1e-9,
                               note="largest relative residual over the runs"))  # fmt: skip
    expected = 2 / 3 * (1 - check.n_components / check.n_nodes)
    report.checks.append(Check.close("Eq. (17) mean g/(g+G'), closed", 2 / 3, check.mean_gR, rel_tol=0.01,
                                     note=f"exact (|V| - c)/|E| = {expected:.6f} with c = {check.n_components}"))  # fmt: skip
    means = ", ".join(f"{k} {v:.4f}" for k, v in check.kind_means.items())
    report.text.append(f"Eq. (17) per kind, closed periodic network n l² = {density:g}: {means}")


@experiment(
    "emt-foster",
    published.PAPER,
    "EMT via Foster: Eqs. (22), (29), Table 2, lattices (Fig. 3), random networks (Fig. 4), closure and Foster",
)
def emt_foster(quick: bool, out: Path) -> Report:
    """Run every part; see the module docstring."""
    report = Report("emt-foster")
    for name, part in (
        ("constants", lambda: _constants(report)),
        ("table 2", lambda: _table2(report)),
        ("lattices", lambda: _lattices(report, quick, out)),
        ("random networks", lambda: _random_networks(report, quick, out)),
        ("closure and Foster", lambda: _closure_and_foster(report, quick)),
    ):
        t0 = time.perf_counter()
        part()
        report.text.append(f"[{name}: {time.perf_counter() - t0:.1f} s]")
    return report
