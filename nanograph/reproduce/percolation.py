"""Percolation threshold (MFA paper Eq. 18, Mertens & Moore) and backbone fractions (MFA paper Eqs. 19-21).

``percolation``: the isotropic threshold of widthless sticks by Newman--Ziff counts on tori, estimated where
the wrapping probability ``R_x(n l^2)`` equals its universal value 0.521058 and extrapolated in ``L``; the
perfect cross (ODF 4, omega = 1/2) against the paper's 6.1934; Eq. (18) ``n_c = n0/<|sin(a1 - a2)|>`` across
the ODF family. Full run (L = 16 and 32, 4000 runs each; the cross at L = 32, 3000 runs): 682 s measured on a
shared 2-core machine at load 5.7 (n_c = 5.6345 ± 0.0048; cross 6.2056 ± 0.0051).

``backbone``: bus bars, y periodic, junction-node form, L = 32 with 10 runs per density as in the paper
(quick: L = 12, 2 runs). The measured fraction of wire length between each stick's extreme contacts is what
Eq. (19) counts; the measured current-carrying (backbone) length fraction is what the paper compares
with Eq. (20): equal for ``n >~ 2 n_c``, far below it near the threshold where dead-end clusters abound.
Full run: 20-30 s measured (shared 2-core machine).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from nanograph.analysis.backbone import find_backbone
from nanograph.analysis.percolation import NU, UNIVERSAL_CROSSING, extrapolate_threshold, threshold_runs
from nanograph.geometry.odf import parse_odf
from nanograph.geometry.sticks import as_rng, generate_sticks
from nanograph.graphs.builders import junction_node_network
from nanograph.physics.mfa import backbone_fraction, backbone_fraction_finite, percolation_threshold_scaling
from nanograph.published import mfa as published
from nanograph.reproduce import Check, Report, experiment

#: ODFs of the MFA paper (all symmetric under a 90-degree turn, so the universal crossing applies).
ODF_FAMILY = ("isotropic", "cross:omega=0.5", "irregular-cross:eps=0.19634954", "cos2m:m=10",
              f"double-gaussian:sigma={published.DOUBLE_GAUSSIAN_SIGMA:.8f},mu=0")  # fmt: skip


def _crossing(box: float, runs: int, odf: str, rng) -> tuple[float, float]:
    return _runs(box, runs, odf, rng).crossing_density()


def _runs(box: float, runs: int, odf: str, rng):
    return threshold_runs(box, criterion="wrap-x", runs=runs, odf=odf, rng=rng)


def _probability_figure(runs_by_size: dict, out: Path) -> Path:
    """P(n l^2) (wrapping along x, canonical ensemble) with one-standard-error bands for every box size."""
    from nanograph.plotting.backend import require_matplotlib

    figure_class = require_matplotlib()[0]
    fig = figure_class(figsize=(5.5, 4))
    ax = fig.add_subplot()
    grid = np.linspace(4.5, 7.0, 101)
    for box, runs in runs_by_size.items():
        prob, err = runs.probability(grid)
        ax.plot(grid, prob, label=f"L = {box} ({runs.runs} runs)")
        ax.fill_between(grid, prob - err, prob + err, alpha=0.3)
    ax.axvline(published.THRESHOLD_ISOTROPIC, color="k", lw=0.8, ls="--", label="n_c l² = 5.6372858")
    ax.axhline(UNIVERSAL_CROSSING["wrap-x"], color="grey", lw=0.8, ls=":", label="R_x = 0.521058")
    ax.set_xlabel("n l²")
    ax.set_ylabel("P(wrapping along x)")
    ax.legend(fontsize=8)
    path = out / "wrapping_probability.png"
    fig.savefig(path, bbox_inches="tight")
    return path


@experiment("percolation", published.PAPER, "threshold of isotropic sticks, perfect cross 6.19, Eq. (18) across ODFs")
def percolation_experiment(quick: bool, out: Path) -> Report:
    report = Report("percolation")
    t0 = time.perf_counter()
    rng = as_rng(20260418)
    sizes, runs = ((16,), 150) if quick else ((16, 32), 4000)
    runs_by_size = {
        box: _runs(box, runs, "isotropic", child) for box, child in zip(sizes, rng.spawn(len(sizes)), strict=True)
    }
    estimates = [r.crossing_density() for r in runs_by_size.values()]
    report.figures.append(_probability_figure(runs_by_size, out))
    rows = [
        f"  L = {box}: n_c(L) = {est:.4f} ± {err:.4f} ({runs} runs)"
        for box, (est, err) in zip(sizes, estimates, strict=True)
    ]
    if len(sizes) > 1:
        fit = extrapolate_threshold(sizes, *zip(*estimates, strict=True), exponent=2 + 1 / NU)
        value, error, how = fit.threshold, fit.threshold_error, f"extrapolated in L^-(2+1/nu) from L = {sizes}"
        tolerance = 0.01
    else:
        (value, error), how = estimates[0], f"L = {sizes[0]}, no extrapolation (quick)"
        tolerance = 3 * error
    report.checks.append(Check.close(
        "isotropic threshold n_c l^2 (Eq. 18; Mertens & Moore)", published.THRESHOLD_ISOTROPIC, value,
        abs_tol=tolerance, note=f"R_x = 0.521058 crossing, {how}; standard error {error:.4f}",
    ))  # fmt: skip
    report.text += ["isotropic threshold by size:", *rows]

    cross_box, cross_runs = (16, 150) if quick else (32, 3000)
    cross, cross_err = _crossing(cross_box, cross_runs, "cross:omega=0.5", rng.spawn(1)[0])
    eq18_cross = percolation_threshold_scaling("cross:omega=0.5")
    report.checks.append(Check.close(
        "perfect-cross threshold (ODF 4, omega = 1/2)", published.THRESHOLD_PERFECT_CROSS, cross,
        abs_tol=max(3 * cross_err, 0.01),
        note=f"L = {cross_box}, {cross_runs} runs, s.e. {cross_err:.4f}. Eq. (18) with n0 from the isotropic value "
        f"predicts {eq18_cross:.3f}, {100 * (eq18_cross / cross - 1):.0f}% too high (docs/theory/slips.md)",
    ))  # fmt: skip

    family_box, family_runs = (10, 40) if quick else (24, 600)
    lines = [f"Eq. (18) across the ODF family (L = {family_box}, {family_runs} runs, R_x crossing; n0 = 5.6373 x 2/pi):",
             f"  {'ODF':<40} | <|sin|> | Eq. (18) | simulated       | Eq.18/sim - 1"]  # fmt: skip
    for odf, child in zip(ODF_FAMILY, rng.spawn(len(ODF_FAMILY)), strict=True):
        est, err = _crossing(family_box, family_runs, odf, child)
        eq18 = percolation_threshold_scaling(odf)
        mean_sin = parse_odf(odf).mean_abs_sin_difference
        lines.append(
            f"  {odf:<40} | {mean_sin:.4f}  | {eq18:8.4f} | {est:.4f} ± {err:.4f} | {100 * (eq18 / est - 1):+6.1f}%"
        )
    lines.append("  Eq. (18) holds for nearly isotropic ODFs and fails for cross-like ones, where sticks of one family "
                 "never meet each other: <|sin|> overweights the crossings that matter.")  # fmt: skip
    report.text += lines
    report.text.append(f"runtime {time.perf_counter() - t0:.1f} s")
    return report


def _backbone_measurements(box: float, density: float, runs: int, rng) -> np.ndarray:
    """Per run: backbone length fraction, backbone stick fraction, between-extreme-contacts length fraction."""
    rows = []
    for child in rng.spawn(runs):
        sticks = generate_sticks(density, box=box, periodic=(False, True), rng=child)
        net = junction_node_network(sticks)
        bb = find_backbone(net, sticks)
        dead = net.dead_end_lengths  # NaN for a stick without contacts: all of it is outside any contact pair
        dangling = np.where(np.isnan(dead[:, 0]), sticks.lengths, np.nansum(dead, axis=1))
        between = 1 - dangling.sum() / sticks.lengths.sum()
        rows.append((bb.length_fractions()["backbone"], bb.fractions()["sticks"]["backbone"], between))
    return np.array(rows)


@experiment(
    "backbone", published.PAPER, "backbone length fraction vs Eqs. (19)-(21); where the dense-network formula fails"
)
def backbone_experiment(quick: bool, out: Path) -> Report:
    report = Report("backbone")
    t0 = time.perf_counter()
    rng = as_rng(20260419)
    box, runs = (12, 2) if quick else (published.DIRECT_BOX, published.DIRECT_RUNS)
    n_c = published.THRESHOLD_ISOTROPIC
    densities = (6.0, 8.0, 2 * n_c, 20.0, 40.0) if quick else (6.0, 7.0, 8.0, 10.0, 2 * n_c, 15.0, 20.0, 30.0, 50.0)
    # Boundary effect of the open x axis: sticks near a bar miss the neighbours beyond it, O(1/L) (0.005 at L = 16).
    tolerance = 0.02 if quick else 0.01
    lines = [f"L = {box} (bus bars, y periodic), junction-node, {runs} runs per density:",
             f"  {'n l^2':>6} | backbone length | Eq. (20) | between contacts | Eq. (19) | backbone sticks"]  # fmt: skip
    figure_rows = []
    for density, child in zip(densities, rng.spawn(len(densities)), strict=True):
        m = _backbone_measurements(box, density, runs, child).mean(axis=0)
        n_sticks = round(density * box * box)
        p = parse_odf("isotropic").mean_abs_sin_difference / (box * box)
        eq19, eq20 = float(backbone_fraction_finite(n_sticks, p)), float(backbone_fraction(density))
        figure_rows.append((density, *m, eq19, eq20))
        lines.append(f"  {density:6.2f} | {m[0]:15.4f} | {eq20:8.4f} | {m[2]:16.4f} | {eq19:8.4f} | {m[1]:.4f}")
        report.checks.append(Check.close(
            f"wire between extreme contacts, n l^2 = {density:.2f} (Eq. 19)", eq19, m[2], abs_tol=tolerance,
            note="" if density != densities[0] else "N = n L^2 sticks, p = (2/pi)/L^2; open-x boundary lowers it by O(1/L)",
        ))  # fmt: skip
        if density >= 2 * n_c - 1e-9:
            report.checks.append(Check.close(
                f"backbone length fraction, n l^2 = {density:.2f} >= 2 n_c (Eq. 20)", eq20, m[0], abs_tol=tolerance,
                note="" if density > 2 * n_c else "the paper: excellent agreement for n >~ 2 n_c",
            ))  # fmt: skip
    lines.append("  Below 2 n_c the current-carrying length falls far below Eq. (20): whole dead-end branches and "
                 "clusters hang on the backbone, which the mean-field count (only the two end pieces per stick) "
                 "ignores; the stick fraction stays high because a backbone stick needs only one current-carrying "
                 "segment.")  # fmt: skip
    report.text += lines
    report.figures.append(_backbone_figure(np.array(figure_rows), box, out))
    report.text.append(f"runtime {time.perf_counter() - t0:.1f} s")
    return report


def _backbone_figure(rows: np.ndarray, box: float, out: Path) -> Path:
    from matplotlib.figure import Figure

    ax = Figure(figsize=(5.5, 4), dpi=120).subplots()
    dense = np.linspace(rows[0, 0], rows[-1, 0], 200)
    ax.plot(dense, backbone_fraction(dense), color="0.3", label="Eq. (20)")
    ax.plot(rows[:, 0], rows[:, 1], "o", label="backbone length (current-carrying)")
    ax.plot(rows[:, 0], rows[:, 3], "s", mfc="none", label="wire between extreme contacts")
    ax.plot(rows[:, 0], rows[:, 2], "^", label="backbone sticks")
    ax.axvline(2 * published.THRESHOLD_ISOTROPIC, color="0.7", ls=":", label=r"$2 n_c$")
    ax.set_xlabel(r"$n l^2$")
    ax.set_ylabel("fraction")
    ax.set_title(f"backbone fraction, L = {box}")
    ax.legend(fontsize="small")
    path = out / "backbone_fraction.png"
    ax.figure.savefig(path, bbox_inches="tight")
    return path


__all__ = ["percolation_experiment", "backbone_experiment", "ODF_FAMILY"]
