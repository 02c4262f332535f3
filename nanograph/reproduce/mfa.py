"""Experiment ``mfa``: Table 1 and the direct computations (Figs. 2, 4-7) of the MFA paper.

Direct conductivity (the paper's Sec. 2.3): unit sticks (``l = 1``) with centres uniform in an ``L x L``
box, periodic in x and y; junction resistance ``Rj = 1``, wire resistance ``rw = Delta`` per unit length,
so a whole stick has ``Rs = rw l = Delta``. The periodic-x solve of :func:`solve_network` gives the sheet
conductance ``sigma`` (current per unit width for a unit drop per unit length); the reported quantity
is ``sigma (Rs + Rj) = sigma (1 + Delta)``, the dimensionless conductivity of Eqs. (10)-(17).

Form per ``Delta``: the junction-node form for ``Delta >= 1e-3``; for ``Delta = 1e-6`` the segment
conductances ``1/(rw s)`` reach 1e10 and the junction-node system is stiff (``Solution.accuracy``
~1e-5..1e-4 and a warning), so the wire-node form is solved instead: it is exact for ``Rs = 0``, and the
``Rs = 1e-6`` correction is of relative order ``Delta <Nj> / 12 < 1e-5``, far below the run-to-run
scatter. The ``Delta = 1e-3`` column (Fig. 2) is solved in the junction-node form on the same sticks.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nanograph.geometry.contacts import find_contacts
from nanograph.geometry.odf import CosinePower, DensityODF, IrregularCross, PerfectCross, parse_odf
from nanograph.geometry.sticks import generate_sticks
from nanograph.graphs.builders import junction_node_network, wire_node_network
from nanograph.linalg.solve import solve_network
from nanograph.physics.mfa import mfa_conductivity
from nanograph.published import mfa as published
from nanograph.reproduce import Check, Report, experiment

__all__ = ["DirectResult", "direct_conductivity", "run_mfa_reproduction"]

#: Below this Delta the Rs = 0 (wire-node) solve is used (see the module docstring).
RS0_BELOW = 1e-5

FIGURE_ODFS = {
    "Fig. 4": ("cross:omega=0.5",),
    "Fig. 5": ("irregular-cross:eps=5.625deg", "irregular-cross:eps=22.5deg"),
    "Fig. 6": ("cos2m:m=10",),
}
FIG7_ODFS = (
    "isotropic",
    "irregular-cross:eps=22.5deg",
    "cos2m:m=10",
    "irregular-cross:eps=5.625deg",
    "cross:omega=0.5",
)


@dataclass(frozen=True)
class DirectResult:
    """``sigma (Rs + Rj)`` of ``runs`` networks: ``values[run, k]`` for ``deltas[k]`` (same sticks per run)."""

    odf: str
    density: float
    box: float
    deltas: tuple[float, ...]
    values: np.ndarray
    seconds: float
    accuracy: float = 0.0

    def mean(self, delta: float) -> float:
        """Mean over runs."""
        return float(self.values[:, self.deltas.index(delta)].mean())

    def standard_error(self, delta: float) -> float:
        """Standard error of the mean over runs."""
        v = self.values[:, self.deltas.index(delta)]
        return float(v.std(ddof=1) / math.sqrt(len(v))) if len(v) > 1 else float("nan")


def direct_conductivity(odf: str, density: float, box: float, deltas, runs: int, seed: int = 0) -> DirectResult:
    """Direct ``sigma (Rs + Rj)`` of ``runs`` periodic networks (``l = 1``, ``Rj = 1``, ``Rs = Delta``).

    Each run draws its sticks from ``SeedSequence([seed, run])`` and solves them for every ``Delta``;
    ``Delta < 1e-5`` is solved in the ``Rs = 0`` wire-node form, the rest in the junction-node form.
    The worst expected relative accuracy of the solves (:attr:`Solution.accuracy`) is kept in ``accuracy``
    (their stiffness warnings are not repeated).
    """
    t0 = time.perf_counter()
    deltas = tuple(float(d) for d in deltas)
    values = np.zeros((runs, len(deltas)))
    accuracy = 0.0
    for run in range(runs):
        rng = np.random.default_rng(np.random.SeedSequence([seed, run]))
        sticks = generate_sticks(density, box=box, odf=odf, periodic=True, rng=rng)
        contacts = find_contacts(sticks)
        for k, delta in enumerate(deltas):
            if delta < RS0_BELOW:
                network = wire_node_network(sticks, rj=1.0, contacts=contacts)
            else:
                network = junction_node_network(sticks, rw=delta, rj=1.0, contacts=contacts)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                solution = solve_network(network)
            values[run, k] = solution.sheet_conductance * (1 + delta)
            accuracy = max(accuracy, solution.accuracy)
    return DirectResult(odf, float(density), float(box), deltas, values, time.perf_counter() - t0, accuracy)


def _seed(odf: str, density: float, box: float) -> int:
    return int.from_bytes(f"{odf}|{density:g}|{box:g}".encode()[:8].ljust(8, b"\0"), "little") % 2**31


def _table1_checks() -> list[Check]:
    checks = []
    iso = parse_odf("isotropic")
    abs_sin, s2 = published.TABLE1_ISOTROPIC
    checks.append(Check.close("Table 1 (2) <|sin(a1-a2)|> = 2/pi", abs_sin, iso.mean_abs_sin_difference, abs_tol=1e-12))
    checks.append(Check.close("Table 1 (2) <S^2> = 1/2", s2, iso.mean_s2, abs_tol=1e-12))
    for omega in (0.5, 0.3):
        cross = PerfectCross(omega)
        x_stick = float(np.dot(cross.atoms[1], np.abs(np.sin(0.0 - cross.atoms[0]))))
        checks.append(
            Check.close(
                f"Table 1 (4) omega={omega}: 1 - omega = <|sin|> of an x-stick", 1 - omega, x_stick, abs_tol=1e-12,
                note=f"the population mean (Eq. 9) is 2 omega (1 - omega) = {cross.mean_abs_sin_difference:.4g}; "
                "Table 1's 1 - omega holds for a stick along x only, so the two agree at omega = 1/2 alone",
            )
        )  # fmt: skip
        checks.append(Check.close(f"Table 1 (4) omega={omega}: <S^2> = 1", 1.0, cross.mean_s2, abs_tol=1e-12))
    for eps, label in ((math.pi / 32, "pi/32"), (math.pi / 8, "pi/8")):
        odf = IrregularCross(eps)
        independent = DensityODF(odf.pdf, breakpoints=tuple(x for p in odf.pieces for x in p))
        checks.append(
            Check.close(
                f"Table 1 (5) eps={label}: closed-form <|sin|> vs quadrature of Eq. (9)",
                odf.mean_abs_sin_difference, independent.mean_abs_sin_difference, abs_tol=1e-12,
            )
        )  # fmt: skip
        checks.append(
            Check.close(
                f"Table 1 (5) eps={label}: 1/2 + sin(4 eps)/(8 eps) vs quadrature of Eq. (8)",
                odf.mean_s2, independent.mean_s2, abs_tol=1e-12,
            )
        )  # fmt: skip
    checks.append(Check.close("Fig. 5 caption <S^2>, eps = pi/8", published.FIG5_CAPTION_S2_EPS_PI_8,
                              IrregularCross(math.pi / 8).mean_s2, abs_tol=5e-4))  # fmt: skip
    narrow = IrregularCross(math.pi / 32).mean_s2
    checks.append(
        Check(
            "Fig. 5 caption <S^2>, eps = pi/32", published.FIG5_CAPTION_S2_EPS_PI_32, narrow, "slip (see note)",
            abs(narrow - 0.987) < 5e-4,
            note=f"printed 0.687 is a slip: Eq. (8) gives 1/2 + sin(pi/8)/(pi/4) = {narrow:.5f} (digit 9 read as 6)",
        )
    )  # fmt: skip
    m10 = CosinePower(10)
    checks.append(
        Check.close(
            "Table 1 (6) m=10 <|sin|> = 13855460621/(7699613922 pi)", published.TABLE1_COS2M10_MEAN_ABS_SIN,
            m10.mean_abs_sin_difference, abs_tol=1e-9,
            note="exact value 0.5727988621212; the printed decimal 0.5727988619 is 2.2e-10 low",
        )
    )  # fmt: skip
    checks.append(Check.close("Table 1 (6) m=10 <S^2> = (m+1)/(m+2)", 11 / 12, m10.mean_s2, abs_tol=1e-12))
    checks.append(Check.close("Fig. 6 caption <S^2>, m = 10", published.FIG6_CAPTION_S2_M10, m10.mean_s2, abs_tol=5e-4))
    return checks


def _plot_direct(ax, results: list[DirectResult], odf: str, deltas, densities_curve):
    colors = {d: c for d, c in zip(deltas, ("tab:blue", "tab:orange", "tab:green", "tab:red"), strict=False)}
    for delta in deltas:
        curve = mfa_conductivity(densities_curve, delta, odf, formula=15)
        ax.plot(densities_curve, curve, color=colors[delta], label=f"MFA (15), Δ = {delta:g}")
        pts = [r for r in results if r.odf == odf]
        ax.errorbar([r.density for r in pts], [r.mean(delta) for r in pts], yerr=[r.standard_error(delta) for r in pts],
                    fmt="o", mfc="none", color=colors[delta], label=f"direct, Δ = {delta:g}")  # fmt: skip
    ax.set_xlabel("n l²")
    ax.set_ylabel("σ (Rs + Rj)")
    ax.set_title(odf)
    ax.legend(fontsize=7)
    return ax


def _figure(path: Path, panels: int):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.2 * panels, 4.2), layout="constrained")
    return fig, [fig.add_subplot(1, panels, k + 1) for k in range(panels)]


def run_mfa_reproduction(out: Path, *, box: float, small_box: float, densities, runs: int) -> Report:
    """Table 1 and Figs. 2, 4-7 with the given ensemble (``nanograph reproduce mfa`` picks the sizes)."""
    report = Report("mfa", checks=_table1_checks())
    deltas = published.DIRECT_DELTAS
    densities = tuple(float(d) for d in densities)
    t0 = time.perf_counter()
    results: list[DirectResult] = []
    for odfs in FIGURE_ODFS.values():
        for odf in odfs:
            extra = (published.FIG2_DELTA,) if odf == "cross:omega=0.5" else ()
            for density in densities:
                results.append(direct_conductivity(odf, density, box, deltas + extra, runs, _seed(odf, density, box)))
    small = [direct_conductivity("cross:omega=0.5", d, small_box, (deltas[0],), runs, _seed("cross", d, small_box))
             for d in densities]  # fmt: skip
    iso = direct_conductivity("isotropic", densities[-1], box, deltas, runs, _seed("isotropic", densities[-1], box))

    # Table of direct vs MFA (15).
    report.text.append(f"direct sigma (Rs + Rj): L = {box:g}, periodic, {runs} runs per density; MFA = Eq. (15)")
    report.text.append(f"{'odf':<30} {'n l^2':>6} {'Delta':>7} {'direct':>10} {'s.e.':>8} {'MFA(15)':>10} {'dev':>7}")
    for r in results:
        for delta in r.deltas:
            mfa = mfa_conductivity(r.density, delta, r.odf, formula=15)
            report.text.append(
                f"{r.odf:<30} {r.density:>6g} {delta:>7.0e} {r.mean(delta):>10.5g} {r.standard_error(delta):>8.2g} "
                f"{mfa:>10.5g} {r.mean(delta) / mfa - 1:>+7.1%}"
            )

    # Figs. 4-6: junction-dominated networks lie below the MFA (the paper's accuracy analysis).
    for fig, odfs in FIGURE_ODFS.items():
        for odf in odfs:
            rows = [r for r in results if r.odf == odf]
            below = sum(r.mean(deltas[0]) < mfa_conductivity(r.density, deltas[0], odf, formula=15) for r in rows)
            report.checks.append(
                Check(
                    f"{fig} {odf}, Delta = 1e-6: direct below MFA (15)",
                    "below at every density",
                    f"below at {below}/{len(rows)}",
                    "all",
                    below == len(rows),
                )  # fmt: skip
            )
            top = rows[-1]
            mfa = mfa_conductivity(top.density, 1.0, odf, formula=15)
            report.checks.append(
                Check.close(
                    f"{fig} {odf}, Delta = 1, n l^2 = {top.density:g}: direct / MFA (15)", 1.0, top.mean(1.0) / mfa,
                    rel_tol=0.15, note="'fairly close quantitative agreement' (no number printed); tolerance ours",
                )
            )  # fmt: skip

    # Fig. 5: the width of the irregular cross.
    narrow, wide = (
        next(r for r in results if r.odf == o and r.density == densities[-1]) for o in FIGURE_ODFS["Fig. 5"]
    )
    for delta in (deltas[0], deltas[2]):
        ratio = wide.mean(delta) / narrow.mean(delta)
        mfa_ratio = mfa_conductivity(densities[-1], delta, wide.odf) / mfa_conductivity(
            densities[-1], delta, narrow.odf
        )
        report.checks.append(
            Check.close(
                f"Fig. 5 n l^2 = {densities[-1]:g}, Delta = {delta:g}: sigma(eps = pi/8) / sigma(eps = pi/32)",
                mfa_ratio, ratio, rel_tol=0.05,
                note="published: MFA (15) ratio. The text says the wider distribution conducts less when junctions "
                "dominate; the MFA (more contacts for the wider one) and the direct results say it conducts more"
                if delta < 1 else "the width matters little when junctions do not dominate",
            )
        )  # fmt: skip

    # Fig. 2: Delta = 1e-3 is already the Delta << 1 limit; finite-size effect L small vs L.
    cross = [r for r in results if r.odf == "cross:omega=0.5"]
    worst = max(abs(r.mean(1e-3) - r.mean(1e-6)) / r.standard_error(1e-6) for r in cross)
    report.checks.append(
        Check(
            "Fig. 2: Delta = 1e-3 vs 1e-6 (L = box), max |difference| / s.e.",
            "within statistical error",
            round(worst, 3),
            "< 3 s.e.",
            worst < 3,
        )  # fmt: skip
    )
    difference = sum(s.mean(1e-6) - r.mean(1e-6) for s, r in zip(small, cross, strict=True))
    spread = math.sqrt(
        sum(s.standard_error(1e-6) ** 2 + r.standard_error(1e-6) ** 2 for s, r in zip(small, cross, strict=True))
    )
    z = difference / spread
    ratio = np.mean([s.mean(1e-6) / r.mean(1e-6) for s, r in zip(small, cross, strict=True)])
    report.checks.append(
        Check(
            f"Fig. 2: sigma(L = {small_box:g}) / sigma(L = {box:g}), Delta = 1e-6, mean over densities",
            "< 1 (grows with L)", f"{ratio:.4f} (z = {z:+.1f})", "not above by 3 s.e.", bool(z < 3),
            note="z = summed difference small - large over its standard error; the increase with L is "
            + ("resolved" if z < -3 else "not resolved at this ensemble size (consistent within the scatter)"),
        )
    )  # fmt: skip

    # Fig. 7: large-density ODF dependence (MFA) and the direct isotropic vs cross at the largest density.
    top = densities[-1]
    big = 100.0
    spread = {d: [mfa_conductivity(big, d, o) for o in FIG7_ODFS] for d in deltas}
    report.text.append(f"Fig. 7 (MFA 15, n l^2 = {big:g}), odfs {', '.join(FIG7_ODFS)}:")
    for d, values in spread.items():
        report.text.append(f"  Delta = {d:g}: " + ", ".join(f"{v:.4g}" for v in values))
    far = spread[deltas[2]]
    report.checks.append(
        Check(
            "Fig. 7 Delta = 1e6: ODF has no visible effect (MFA, max/min - 1)",
            "negligible",
            round(max(far) / min(far) - 1, 5),
            "< 1%",
            max(far) / min(far) - 1 < 0.01,
        )  # fmt: skip
    )
    near = spread[deltas[0]]
    report.checks.append(
        Check(
            "Fig. 7 Delta = 1e-6: decreases from isotropic to cross (MFA)",
            "decreasing",
            "decreasing" if all(np.diff(near) < 0) else "not monotone",
            "order",
            bool(all(np.diff(near) < 0)),
        )  # fmt: skip
    )
    cross_top = next(r for r in cross if r.density == top)
    report.checks.append(
        Check(
            f"Fig. 7 direct n l^2 = {top:g}, Delta = 1e-6: isotropic above cross",
            "isotropic > cross",
            f"{iso.mean(1e-6):.4g} vs {cross_top.mean(1e-6):.4g}",
            "order",
            iso.mean(1e-6) > cross_top.mean(1e-6),
        )  # fmt: skip
    )
    worst = max(r.accuracy for r in results)
    report.text.append(f"direct computations took {time.perf_counter() - t0:.1f} s; worst expected relative "
                       f"accuracy of a solve (eps max g / min g) {worst:.1e}")  # fmt: skip

    # Figures.
    curve = np.linspace(max(1.0, 0.5 * densities[0]), 1.1 * densities[-1], 200)
    for fig_name, odfs in FIGURE_ODFS.items():
        fig, axes = _figure(out, len(odfs))
        for ax, odf in zip(axes, odfs, strict=True):
            _plot_direct(ax, results, odf, deltas, curve)
            ax.set_yscale("log")
        path = out / f"{fig_name.replace('. ', '').lower()}.png"
        fig.savefig(path, dpi=110)
        report.figures.append(path)
    fig, (ax,) = _figure(out, 1)
    ax.errorbar(
        densities,
        [r.mean(1e-6) for r in cross],
        [r.standard_error(1e-6) for r in cross],
        fmt="o-",
        label=f"L = {box:g}, Δ = 1e-6",
    )
    ax.errorbar(
        densities,
        [r.mean(1e-3) for r in cross],
        [r.standard_error(1e-3) for r in cross],
        fmt="s--",
        mfc="none",
        label=f"L = {box:g}, Δ = 1e-3",
    )
    ax.errorbar(densities, [s.mean(1e-6) for s in small], [s.standard_error(1e-6) for s in small], fmt="^:", label=f"L = {small_box:g}, Δ = 1e-6")  # fmt: skip
    ax.set(xlabel="n l²", ylabel="σ (Rs + Rj)", title="cross ω = 1/2 (Fig. 2)")
    ax.legend()
    fig.savefig(out / "fig2.png", dpi=110)
    report.figures.append(out / "fig2.png")
    fig, (ax,) = _figure(out, 1)
    s2 = [parse_odf(o).mean_s2 for o in FIG7_ODFS]
    for d, values in spread.items():
        ax.plot(s2, np.array(values) / values[0], "o-", label=f"MFA (15), Δ = {d:g}")
    ax.set(xlabel="<S²>", ylabel=f"σ(ODF) / σ(isotropic), n l² = {big:g}", title="Fig. 7")
    ax.legend()
    fig.savefig(out / "fig7.png", dpi=110)
    report.figures.append(out / "fig7.png")
    return report


@experiment("mfa", published.PAPER, "Table 1 moments; direct sigma(Rs+Rj) vs MFA Eq. (15), Figs. 2, 4-7")
def reproduce_mfa(quick: bool, out: Path) -> Report:
    """Quick: ``L = 10`` (vs 5), densities 10 and 30, 2 runs. Full: the paper's ``L = 32`` (vs 8), 10 runs."""
    if quick:
        return run_mfa_reproduction(out, box=10, small_box=5, densities=(10, 30), runs=2)
    return run_mfa_reproduction(
        out, box=published.DIRECT_BOX, small_box=published.DIRECT_SMALL_BOX, densities=(8, 10, 15, 20, 30, 50),
        runs=published.DIRECT_RUNS,
    )  # fmt: skip
