"""Jagota & Scheinfeld 2020: the sorted expected adjacency matrix — Figs. 2, 4 and 6.

Full run (``nanograph reproduce sorted-adjacency``): Fig. 4 over CN = 7..200 with M = 30 samples per point,
Fig. 6 over alpha in 5-degree steps with M = 30 at CN = 50 (l = 0.1 throughout, N = CN / l^2 up to 20 000
sticks); a few minutes on two cores. ``--quick`` uses smaller ensembles and grids.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from nanograph.analysis.expected_adjacency import expected_adjacency, sigma_star
from nanograph.analysis.sorted_adjacency import paper_network, sampled_conductances, sorted_adjacency
from nanograph.published import mfa
from nanograph.published import sorted_adjacency as pub
from nanograph.reproduce import Check, Report, experiment


def _slope(cn: np.ndarray, sigma: np.ndarray) -> float:
    return float(np.polyfit(np.log(cn), np.log(sigma), 1)[0])


def _figure4(report: Report, quick: bool, out: Path) -> None:
    length = pub.LENGTH
    cns = np.array([8.0, 15.0, 30.0, 60.0]) if quick else np.array([7, 10, 15, 20, 30, 50, 75, 100, 150, 200.0])
    samples = 3 if quick else pub.SAMPLES
    rows = []
    for k, cn in enumerate(cns):
        n = int(round(cn / length**2))
        star = sigma_star(cn, length, rj=pub.RJ, re=pub.RE).sigma_star
        mc = sampled_conductances(n, length, samples=samples, rj=pub.RJ, re=pub.RE, rng=1000 + k)
        rows.append((cn, star, mc.mean(), mc.std(ddof=1) / math.sqrt(samples)))
    cn, star, mean, err = (np.array(c) for c in zip(*rows, strict=True))
    report.text.append(f"Fig. 4 (isotropic, l = 0.1, M = {samples}): CN | sigma* Rj | sigma_hat Rj | s.e. | ratio")
    report.text += [f"  {c:6.1f} | {s:10.4g} | {m:10.4g} | {e:8.2g} | {s / m:6.3f}" for c, s, m, e in rows]
    bound = bool(np.all(star >= mean - 3 * err))
    report.checks.append(Check("Eq. (11): sigma* >= E sigma at every CN", "yes", "yes" if bound else "no",
                               "3 s.e.", bound))  # fmt: skip
    high = cn >= cns[len(cns) // 2]
    report.checks.append(Check.close("Fig. 4: exponent of sigma* in CN (upper half of the CN range)",
                                     pub.EXPONENT_ASYMPTOTIC, _slope(cn[high], star[high]), abs_tol=0.1))  # fmt: skip
    report.checks.append(Check.close("Fig. 4: local exponent of sigma_hat, two largest CN", pub.EXPONENT_ASYMPTOTIC,
                                     _slope(cn[-2:], mean[-2:]), abs_tol=0.3,
                                     note="in CN the local slope of (CN - CN_c)^2 is 2 CN/(CN - CN_c): 2 from above"))  # fmt: skip
    medium = (cn >= 10) & (cn <= 30)
    if medium.sum() >= 2:
        excess = cn[medium] - mfa.THRESHOLD_ISOTROPIC
        report.checks.append(Check.close("Fig. 4: exponent of sigma_hat in CN - CN_c at medium CN (10-30)",
                                         pub.EXPONENT_MEDIUM, _slope(excess, mean[medium]), abs_tol=0.25,
                                         note="CN_c = 5.6372858 (infinite system, Mertens & Moore); finite "
                                              "l = 0.1 shifts the threshold"))  # fmt: skip
    report.figures.append(_plot_figure4(cn, star, mean, err, out / "fig4_sigma_vs_cn.png"))


def _plot_figure4(cn, star, mean, err, path: Path) -> Path:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.5, 4))
    ax = fig.add_subplot()
    ax.loglog(cn, star, "o-", label="sigma* = sigma(E A*)")
    ax.errorbar(cn, mean, yerr=err, fmt="s--", label="Monte Carlo mean")
    ax.set_xlabel("CN = N l^2")
    ax.set_ylabel("sigma Rj")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def _figure6(report: Report, quick: bool, out: Path) -> None:
    length, cn = pub.LENGTH, pub.FIG6_CN
    n = int(round(cn / length**2))
    samples = 2 if quick else pub.SAMPLES
    grid = np.array([15, 45, 75]) if quick else np.arange(5, 90, 5)
    iso_star = sigma_star(cn, length).sigma_star
    iso_mean, iso_se = _mean_and_error(sampled_conductances(n, length, samples=samples, rng=7))
    report.text.append(f"Fig. 6 (CN = {cn:g}, l = {length}, M = {samples}): isotropic sigma* = {iso_star:.4g}, "
                       f"sigma_hat = {iso_mean:.4g} ± {iso_se:.2g}")  # fmt: skip
    curves = {}
    for family in ("theta1", "theta2"):
        stars, means, errors = [], [], []
        for k, alpha in enumerate(grid):
            spec = f"{family}:alpha={alpha}deg"
            stars.append(sigma_star(cn, length, spec).sigma_star)
            mean, error = _mean_and_error(sampled_conductances(n, length, spec, samples=samples, rng=100 * k + 3))
            means.append(mean)
            errors.append(error)
        stars, means, errors = np.array(stars), np.array(means), np.array(errors)
        curves[family] = (stars, means)
        report.text.append(f"  {family}: alpha | sigma* | sigma_hat | s.e.")
        report.text += [f"    {a:5.1f} | {s:9.4g} | {m:9.4g} | {e:.2g}"
                        for a, s, m, e in zip(grid, stars, means, errors, strict=True)]  # fmt: skip
        best_star, best = grid[np.argmax(stars)], int(np.argmax(means))
        report.text.append(
            f"  {family}: optimum alpha sigma* {best_star} deg, sigma_hat {grid[best]} deg; "
            f"max/isotropic sigma* {stars.max() / iso_star:.3f}, sigma_hat {means[best] / iso_mean:.3f}"
        )
        # The gain is a property of the real conductance: decided on the Monte Carlo mean, significant at
        # 3 combined standard errors; sigma* (a bound, ~10 % above sigma_hat at CN = 50) is shown beside it.
        margin = 3 * np.hypot(errors[best], iso_se)
        gains = bool(means[best] - iso_mean > margin)
        expected = family == "theta2"
        report.checks.append(Check(
            f"Fig. 6: {family} gains over isotropic (sigma_hat at its optimum)", "yes" if expected else "no",
            f"{'yes' if gains else 'no'} ({means[best] / iso_mean:.3f}x)", f"3 s.e. = {margin / iso_mean:.3f}x",
            gains == expected,
            note=f"sigma* at its optimum: {stars.max() / iso_star:.3f}x isotropic. Caption and Ref. [10]: gain only "
                 "in Theta2; Sec. IV.B's sentence swaps them",
        ))  # fmt: skip
        report.checks.append(Check(f"Fig. 6: {family} optima of sigma* and sigma_hat within a few degrees",
                                   "within a few deg", f"{abs(best_star - grid[best])} deg", "<= grid step",
                                   abs(best_star - grid[best]) <= (grid[1] - grid[0])))  # fmt: skip
    report.figures.append(_plot_figure6(grid, curves, iso_star, iso_mean, out / "fig6_orientation.png"))


def _mean_and_error(values: np.ndarray) -> tuple[float, float]:
    """Mean and its standard error (0 for a single value)."""
    values = np.asarray(values, dtype=float)
    error = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0
    return float(values.mean()), float(error)


def _plot_figure6(grid, curves, iso_star, iso_mc, path: Path) -> Path:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.8))
    for k, (family, (stars, means)) in enumerate(curves.items()):
        ax = fig.add_subplot(1, 2, k + 1)
        ax.plot(grid, stars, "o-", label="sigma*")
        ax.plot(grid, means, "s--", label="Monte Carlo")
        ax.axhline(iso_star, color="C0", lw=0.8)
        ax.axhline(iso_mc, color="C1", lw=0.8)
        ax.set_title(family)
        ax.set_xlabel("alpha (deg)")
        ax.set_ylabel("sigma Rj")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def _figure2(report: Report, out: Path) -> None:
    from matplotlib.figure import Figure

    n, length = pub.FIG2_N, pub.FIG2_LENGTH
    sampled = sorted_adjacency(paper_network(n, length, rng=2)).toarray()
    expected = expected_adjacency(n, length).toarray()
    fig = Figure(figsize=(9, 4.2))
    for k, (title, a) in enumerate((("sampled A*", sampled), ("E A*", expected))):
        ax = fig.add_subplot(1, 2, k + 1)
        image = ax.imshow(a[:n, :n], cmap="viridis", interpolation="nearest")
        fig.colorbar(image, ax=ax, shrink=0.8)
        ax.set_title(f"{title}, N = {n}, l = {length}")
    fig.tight_layout()
    path = out / "fig2_sorted_adjacency.png"
    fig.savefig(path, dpi=110)
    report.figures.append(path)
    inside = np.abs(np.subtract.outer(np.arange(n), np.arange(n))) <= length * (n + 1)
    share = sampled[:n, :n][inside].sum() / sampled[:n, :n].sum()
    report.checks.append(Check.close("Fig. 2: share of sampled contacts inside the band of E A*", 1.0, share,
                                     abs_tol=0.02, note="outside only when two centres stray from their mean "
                                                        "rank position"))  # fmt: skip


@experiment(
    "sorted-adjacency", pub.PAPER, "Figs. 2, 4, 6: sigma* = sigma(E A*) vs Monte Carlo, density and orientation"
)
def run(quick: bool, out: Path) -> Report:
    report = Report("sorted-adjacency")
    _figure2(report, out)
    _figure4(report, quick, out)
    _figure6(report, quick, out)
    return report
