"""Sorted expected adjacency (Jagota & Scheinfeld 2020): probabilities, E A*, σ* and the bound σ* >= E σ."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nanograph.analysis.expected_adjacency import expected_adjacency, expected_conductance, sigma_star
from nanograph.analysis.expected_intersection import (
    chord_length,
    electrode_probability,
    intersection_probability,
    sector_unit_probability,
)
from nanograph.analysis.sorted_adjacency import (
    adjacency_conductance,
    paper_network,
    sampled_conductances,
    sorted_adjacency,
)
from nanograph.errors import InvalidInputError
from nanograph.geometry.contacts import find_contacts
from nanograph.geometry.sticks import Sticks
from nanograph.linalg.solve import solve_network


def test_chord_length_by_hand():
    # horizontal and vertical unit sticks: they cross for a unit window while |x| <= 1/2
    assert chord_length(0.3, 0.0, math.pi / 2) == pytest.approx(1.0)
    assert chord_length(0.6, 0.0, math.pi / 2) == 0.0
    # parallel sticks never cross
    assert chord_length(0.1, 0.3, 0.3) == 0.0
    # +-45 degrees: height sqrt2, ramp from x = 0 to sqrt2/2
    assert chord_length(0.2, math.pi / 4, -math.pi / 4) == pytest.approx(math.sqrt(2) - 0.4)


def _crossing_frequency(x, length, odf_angles, rng, trials):
    """Monte Carlo: two sticks x apart, uniform y offset in a unit period, crossing tested by find_contacts."""
    a1, a2 = odf_angles(trials), odf_angles(trials)
    y2 = rng.uniform(0, 1, trials)
    d1 = 0.5 * length * np.column_stack([np.cos(a1), np.sin(a1)])
    d2 = 0.5 * length * np.column_stack([np.cos(a2), np.sin(a2)])
    hits = 0
    for k in range(trials):
        c1, c2 = np.array([0.5, 0.5]), np.array([0.5 + x, y2[k]])
        s = Sticks(np.vstack([np.hstack([c1 - d1[k], c1 + d1[k]]), np.hstack([c2 - d2[k], c2 + d2[k]])]),
                   box=(2.0, 1.0), periodic=(False, True))  # fmt: skip
        hits += len(find_contacts(s, method="pairs")) > 0
    return hits / trials


@pytest.mark.parametrize("odf", ["isotropic", "theta2:alpha=40deg"])
def test_intersection_probability_against_monte_carlo(odf):
    rng = np.random.default_rng(5)
    from nanograph.geometry.odf import parse_odf

    dist = parse_odf(odf)
    length, trials = 0.3, 4000
    for x in (0.02, 0.12):
        p = float(intersection_probability(x, length, odf))
        f = _crossing_frequency(x, length, lambda n: dist.sample(n, rng), rng, trials)
        assert abs(f - p) < 4 * math.sqrt(p * (1 - p) / trials) + 1e-3


def test_intersection_probability_table_matches_direct_quadrature():
    for odf in ("isotropic", "theta2:alpha=60deg", "theta1:alpha=30deg", "cross:omega=0.5"):
        x = np.linspace(0.0, 0.1, 37)
        table = intersection_probability(x, 0.1, odf)
        direct = intersection_probability(x, 0.1, odf, method="direct")
        assert np.abs(table - direct).max() < 1e-9


def test_intersection_probability_integrates_to_mean_abs_sin():
    # int P(x) dx over the real line = l^2 <|sin(theta_i - theta_j)|> (the parallelogram area)
    x, w = np.polynomial.legendre.leggauss(200)
    for odf, mean_sin in (("isotropic", 2 / math.pi), ("theta2:alpha=45deg", (math.pi / 2 - 1) / (math.pi**2 / 8))):
        parts = []
        for lo, hi in ((0, 0.025), (0.025, 1 / 30), (1 / 30, 0.05), (0.05, 0.1)):
            xs = lo + (hi - lo) * (x + 1) / 2
            parts.append((hi - lo) / 2 * np.dot(w, intersection_probability(xs, 0.1, odf, method="direct")))
        assert 2 * sum(parts) == pytest.approx(0.01 * mean_sin, abs=1e-8)


def test_electrode_probability_isotropic_and_atoms():
    d = np.array([0.0, 0.01, 0.03, 0.05, 0.07])
    expected = np.where(2 * d / 0.1 <= 1, 2 / math.pi * np.arccos(np.minimum(2 * d / 0.1, 1)), 0)
    assert np.allclose(electrode_probability(d, 0.1), expected, atol=1e-12)
    # Θ1(60 deg): cos = 1/2, touches while d <= l/4
    assert electrode_probability([0.024, 0.026], 0.1, "theta1:alpha=60deg").tolist() == [1.0, 0.0]


def test_length_above_half_refused():
    with pytest.raises(InvalidInputError, match="h <= 1"):
        intersection_probability(0.1, 0.6)


def test_row_sums_match_mean_degree():
    n, length = 4000, 0.1
    ea = expected_adjacency(n, length)
    bulk = ea.mean_degree[ea.band_width : n - ea.band_width]
    assert np.allclose(bulk, bulk[0])  # constant diagonals
    cn = n * length**2
    assert bulk[0] == pytest.approx(2 * cn / math.pi, rel=0.02)  # 2 CN / pi up to O(l) and O(1/N)
    trapezoid = (n + 1) * length**2 * 2 / math.pi - 8 * length / math.pi**2
    assert bulk[0] == pytest.approx(trapezoid, rel=1e-5)


def test_sparse_matrix_has_the_generating_rows():
    ea = expected_adjacency(300, 0.2, "theta2:alpha=50deg")
    a = ea.toarray()
    assert a.shape == (302, 302) and np.allclose(a, a.T)
    k = ea.band_width
    assert np.allclose(np.diag(a, 3)[: 300 - 3], ea.wire_row[2])
    assert np.all(np.diag(a[:300, :300], k + 1) == 0)
    assert np.allclose(a[:300, 300], ea.electrode_row)
    assert np.allclose(a[:300, 301], ea.electrode_row[::-1])


@pytest.mark.parametrize(("n", "length", "odf"), [(30, 0.3, "isotropic"), (31, 0.2, "theta1:alpha=40deg"),
                                                  (120, 0.1, "theta2:alpha=70deg")])  # fmt: skip
def test_sigma_star_matches_dense_solve(n, length, odf):
    ea = expected_adjacency(n, length, odf)
    banded = expected_conductance(ea, rj=2.0, re=0.05, method="band").sigma_star
    cg = expected_conductance(ea, rj=2.0, re=0.05)
    a = ea.toarray()
    g = np.zeros((n + 2, n + 2))
    g[:n, :n] = a[:n, :n] / 2.0
    g[:n, n:] = a[:n, n:] / 0.05
    laplacian = np.diag(g[:n].sum(axis=1)) - g[:n, :n]
    v = np.linalg.solve(laplacian, g[:n, n])
    dense = float(np.dot(g[:n, n], 1 - v))
    assert banded == pytest.approx(dense, rel=1e-10)
    assert cg.method == "cg" and cg.iterations > 0 and cg.error_bound <= 1e-12 * dense
    assert abs(cg.sigma_star - dense) <= cg.error_bound + 1e-13 * dense
    assert np.allclose(cg.potentials, np.linalg.solve(laplacian, g[:n, n]), atol=1e-10)
    assert adjacency_conductance(a, rj=2.0, re=0.05) == pytest.approx(dense, rel=1e-10)


def test_sorted_adjacency_conductance_equals_network_conductance():
    net = paper_network(400, 0.15, rng=7)
    a = sorted_adjacency(net)
    assert adjacency_conductance(a) == pytest.approx(solve_network(net).conductance, rel=1e-10)
    order = np.argsort(net.node_position[:400, 0])
    assert a.shape == (402, 402) and np.all(np.diff(net.node_position[order, 0]) >= 0)


def test_sigma_star_is_an_upper_bound_on_the_mean():
    n, length = 1500, 0.1  # CN = 15
    sampled = sampled_conductances(n, length, samples=8, rng=11)
    star = sigma_star(n * length**2, length).sigma_star
    assert star > sampled.mean() + 3 * sampled.std(ddof=1) / math.sqrt(len(sampled))


def test_sigma_star_scales_like_cn_squared_at_high_density():
    low, high = sigma_star(60, 0.1).sigma_star, sigma_star(120, 0.1).sigma_star
    assert math.log(high / low) / math.log(2) == pytest.approx(2.0, abs=0.1)


@pytest.mark.parametrize(("n", "length", "odf"), [(5000, 0.1, "isotropic"), (3000, 0.04, "theta2:alpha=50deg")])
def test_conjugate_gradients_agree_with_the_band_cholesky_at_size(n, length, odf):
    ea = expected_adjacency(n, length, odf)
    band = expected_conductance(ea, method="band")
    cg = expected_conductance(ea)
    assert cg.sigma_star == pytest.approx(band.sigma_star, rel=1e-12)
    assert cg.error_bound <= 1e-12 * cg.sigma_star and cg.n_unknowns == n and band.n_unknowns == n // 2
    assert np.allclose(cg.potentials, band.potentials, atol=1e-11)
    assert np.allclose(cg.potentials + cg.potentials[::-1], 1.0)  # mirror symmetry V_i + V_{N+1-i} = 1


@pytest.mark.parametrize("rtol", [1e-3, 1e-6, 1e-9])
def test_conjugate_gradient_error_bound_holds_when_stopped_early(rtol):
    ea = expected_adjacency(2000, 0.05)
    exact = expected_conductance(ea, method="band").sigma_star
    loose = expected_conductance(ea, rtol=rtol)
    assert loose.error_bound <= rtol * loose.sigma_star
    assert abs(loose.sigma_star - exact) <= loose.error_bound * (1 + 1e-6) + 1e-12 * exact


def test_no_stick_touches_an_electrode_gives_zero_current():
    ea = expected_adjacency(2, 0.5)  # centres at 1/3, 2/3: l/2 = 1/4 short of both electrodes
    assert not ea.electrode_row.any()
    for method, bound in (("cg", 0.0), ("band", None)):
        result = expected_conductance(ea, method=method)
        assert result.sigma_star == 0.0 and result.error_bound == bound


def test_expected_conductance_rejects_bad_method_and_rtol():
    ea = expected_adjacency(50, 0.2)
    with pytest.raises(InvalidInputError, match="method"):
        expected_conductance(ea, method="lu")
    with pytest.raises(InvalidInputError, match="rtol"):
        expected_conductance(ea, rtol=0.0)


def test_conjugate_gradient_bound_holds_against_an_extended_precision_solve():
    n, length = 1200, 0.06  # CN = 4.3, below the sampled threshold: the worst-conditioned regime
    ea = expected_adjacency(n, length, "theta2:alpha=50deg")
    cg = expected_conductance(ea)
    ext = np.longdouble
    g, a = ea.wire_row.astype(ext), (ea.electrode_row / 0.01).astype(ext)
    rank = np.arange(n)
    gap = np.abs(rank[:, None] - rank[None, :])
    wires = np.where((gap >= 1) & (gap <= len(g)), g[np.clip(gap - 1, 0, len(g) - 1)], ext(0))
    laplacian = np.diag(wires.sum(axis=1) + a + a[::-1]) - wires
    v = np.linalg.solve(laplacian.astype(float), a.astype(float)).astype(ext)
    for _ in range(3):  # iterative refinement with extended-precision residuals
        v += np.linalg.solve(laplacian.astype(float), (a - laplacian @ v).astype(float)).astype(ext)
    exact = float(a @ (1 - v))
    assert cg.error_bound <= 1e-12 * exact
    assert abs(cg.sigma_star - exact) <= cg.error_bound


def test_cli_reports_the_solver_and_its_error_bound(capsys):
    import json

    from nanograph.cli import main

    assert main(["expected-adjacency", "--n-wires", "800", "--length", "0.1", "--json"]) == 0
    cg = json.loads(capsys.readouterr().out)
    assert main(["expected-adjacency", "--n-wires", "800", "--length", "0.1", "--method", "band", "--json"]) == 0
    band = json.loads(capsys.readouterr().out)
    assert cg["method"] == "cg" and cg["iterations"] > 0 and 0 < cg["error_bound"] <= 1e-12 * cg["sigma_star"]
    assert band["method"] == "band" and band["n_unknowns"] == 400
    assert band["iterations"] is None and band["error_bound"] is None  # a direct solve: no iteration, no bound
    assert cg["sigma_star"] == pytest.approx(band["sigma_star"], rel=1e-12)
    assert {"sigma_star", "band_width", "truncation", "n_unknowns", "timings"} <= cg.keys()


@pytest.mark.parametrize("odf", ["isotropic", "theta2:alpha=80deg", "theta2:alpha=45deg", "theta2:alpha=12deg"])
def test_sector_closed_inner_integral_matches_both_quadratures(odf):
    x = np.linspace(0.0, 0.1, 41)
    sector = intersection_probability(x, 0.1, odf, method="sector")
    assert np.array_equal(sector, intersection_probability(x, 0.1, odf))  # the default for sector ODFs
    assert np.abs(sector - intersection_probability(x, 0.1, odf, method="direct")).max() < 1e-9
    assert np.abs(sector - intersection_probability(x, 0.1, odf, method="table")).max() < 1e-9


@pytest.mark.parametrize("alpha_deg", [90, 70, 45, 20])
def test_sector_probability_integrates_to_mean_abs_sin(alpha_deg):
    # 2 int_0^1 F(u) du = <|sin(theta_i - theta_j)|> = (2 alpha - sin 2 alpha) / (2 alpha^2) for Θ2(alpha)
    alpha = math.radians(alpha_deg)
    c = math.cos(alpha)
    breaks = [b for b in (c, (1 - c) / 2, (1 + c) / 2, 1 / 3, 1 / 2) if 0 < b < 1]
    # adaptive: F(u) has a u^2 log u term at u = 0 that slows a fixed Gauss rule to 1e-10
    total, _ = quad(lambda u: float(sector_unit_probability(u, alpha)), 0, 1, points=breaks, epsabs=1e-14, limit=200)
    assert 2 * total == pytest.approx((2 * alpha - math.sin(2 * alpha)) / (2 * alpha**2), abs=1e-11)
    assert sector_unit_probability(0.0, math.pi / 2) == pytest.approx(8 / math.pi**2, abs=1e-13)


def _adaptive_isotropic_unit_probability(u):
    """F(u) for isotropic sticks by nested adaptive quadrature of the folded double integral (c = sin phi)."""

    def inner(beta):
        if beta <= 0:
            return 0.0
        ramp = lambda phi: min(1.0, max(0.0, (math.sin(phi) + beta - 2 * u) / (2 * beta)))  # noqa: E731
        kinks = [math.asin(c) for c in (2 * u - beta, 2 * u + beta) if beta < c < 1]
        return quad(ramp, math.asin(beta), math.pi / 2, points=kinks or None, epsabs=1e-15, epsrel=1e-13, limit=200)[0]

    kinks = [b for b in (u, 1 - 2 * u, 2 * u - 1) if 0 < b < 1]
    return 8 / math.pi**2 * quad(inner, 0, 1, points=kinks or None, epsabs=1e-15, epsrel=1e-13, limit=200)[0]


def test_sector_probability_matches_adaptive_quadrature():
    for u in (0.1, 0.4, 0.6):
        assert sector_unit_probability(u, math.pi / 2) == pytest.approx(
            _adaptive_isotropic_unit_probability(u), abs=3e-12
        )


def test_sector_method_refuses_other_orientations():
    with pytest.raises(InvalidInputError, match="sector"):
        intersection_probability(0.01, 0.1, "theta1:alpha=30deg", method="sector")


def test_probability_table_is_built_once_per_orientation_and_reused_across_sizes():
    from nanograph.analysis import expected_intersection

    expected_intersection._table.cache_clear()
    first = expected_adjacency(300, 0.2, "cos2m:m=2")
    expected_adjacency(900, 0.1, "cos2m:m=2")  # other N and l: same F(u), no new table
    info = expected_intersection._table.cache_info()
    assert info.misses == 1 and info.hits >= 1
    ranks = np.array([1, 11, 31, 51])
    direct = intersection_probability(ranks / 301, 0.2, "cos2m:m=2", method="direct")
    assert np.abs(first.wire_row[ranks - 1] - direct).max() < 1e-9


@pytest.mark.slow
@pytest.mark.parametrize("odf", ["von-mises:kappa=8,mu=0deg", "cos2m:m=3", "double-gaussian:sigma=15.65deg,mu=0deg"])
def test_adaptive_table_meets_its_tolerance_for_peaked_and_kinked_densities(odf):
    from nanograph.analysis import expected_intersection as ei
    from nanograph.geometry.odf import parse_odf

    measure = ei._measure_of(parse_odf(odf))
    table = ei._Table(measure, ei.TABLE_POINTS, ei.QUADRATURE_NODES)
    u = np.linspace(0, table.reach, 241)[:-1]
    reference = ei._unit_probability(u, measure, 24)
    assert np.abs(table(u) - reference).max() < 5e-9  # tolerance 1e-9 plus the quadrature's own ~3e-9


@pytest.mark.parametrize("length", [0, -0.1, 0.6, float("nan"), "x"])
def test_bad_length_is_refused_by_name(length):
    with pytest.raises(InvalidInputError, match="length"):
        sigma_star(50, length)
    with pytest.raises(InvalidInputError, match="length"):
        expected_adjacency(100, length)


def test_parallel_sticks_are_named_as_the_cause():
    with pytest.raises(InvalidInputError, match="odf = 'theta1:alpha=0deg' makes every stick parallel") as info:
        sigma_star(20, 0.1, "theta1:alpha=0")
    assert info.value.parameter == "odf"


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["--n-wires", "0"], "--n-wires"),
        (["--cn", "-5"], "--cn"),
        (["--samples", "0"], "--samples"),
        (["--length", "0"], "--length"),
        (["--length", "0.001"], "--max-sticks"),
        (["--odf", "theta1:alpha=0"], "--odf"),
    ],
)
def test_cli_refusals_name_the_flag(capsys, argv, flag):
    from nanograph.cli import main

    assert main(["expected-adjacency", *argv]) == 2
    err = capsys.readouterr().err
    assert flag in err and len(err.strip().splitlines()) == 1, err
