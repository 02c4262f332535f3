"""nanograph.analysis.finite_size and nanograph.reproduce.finite_size: exact cases first, then statistics."""

import math

import numpy as np
import pytest
from scipy import stats

from nanograph import InvalidInputError
from nanograph.analysis.finite_size import fit_finite_size, pooled_crossing_density, runs_to_resolve
from nanograph.analysis.percolation import first_percolation_count
from nanograph.geometry.sticks import Sticks, as_rng, generate_sticks
from nanograph.graphs.lattices import LATTICES, lattice_network
from nanograph.linalg.solve import solve_network
from nanograph.physics.emt import LATTICE_SHEET_FACTOR
from nanograph.reproduce.finite_size import lattice_slope_samples, torus_lattice_network, wrapping_counts

SIZES = np.array([8.0, 16.0, 32.0, 64.0, 128.0])

# --- fit_finite_size ---------------------------------------------------------------------------------


def test_fixed_exponent_recovers_exact_data():
    y = 5.6 + 4.0 / SIZES  # 6.1, 5.85, 5.725, 5.6625, 5.63125
    fit = fit_finite_size(SIZES, y, np.full(5, 0.01), exponent=1.0)
    assert fit.limit == pytest.approx(5.6, abs=1e-12)
    assert fit.amplitude == pytest.approx(4.0, abs=1e-10)
    assert fit.chi2 == pytest.approx(0.0, abs=1e-16) and fit.dof == 3 and fit.exponent_error == 0


def test_fixed_exponent_two_sizes_is_the_line_through_them():
    # y = c + a / L through (10, 2) and (20, 1.5): a = 10, c = 1; errors set the limit's error by hand:
    # c = 2 y(20) - y(10), so its variance is 4 s20^2 + s10^2.
    fit = fit_finite_size([10, 20], [2.0, 1.5], [0.3, 0.1], exponent=1.0)
    assert fit.limit == pytest.approx(1.0) and fit.amplitude == pytest.approx(10.0)
    assert fit.limit_error == pytest.approx(math.sqrt(4 * 0.1**2 + 0.3**2))
    assert math.isnan(fit.p_value) and fit.dof == 0


def test_free_exponent_recovers_a_plus_b_L_to_the_minus_w():
    y = 6.19 + 3.0 * SIZES**-0.75
    fit = fit_finite_size(SIZES, y, np.full(5, 1e-3), exponent_guess=1.2)
    assert (fit.limit, fit.amplitude, fit.exponent) == pytest.approx((6.19, 3.0, 0.75), abs=1e-7)
    assert fit.exponent_error > 0 and fit.dof == 2


def test_limit_errors_are_calibrated():
    """Pulls (fit - truth)/error of noisy data are N(0, 1): mean within 0.15, sd within 15 % (400 fits)."""
    rng = np.random.default_rng(3)
    err = 0.02 * np.ones(5)
    pulls = []
    for _ in range(400):
        y = 1.0 + 0.5 / SIZES + rng.normal(0, err)
        fit = fit_finite_size(SIZES, y, err, exponent=1.0)
        pulls.append((fit.limit - 1.0) / fit.limit_error)
    assert abs(np.mean(pulls)) < 0.15 and abs(np.std(pulls) - 1) < 0.15


def test_z_score_and_dict():
    fit = fit_finite_size([10, 20], [2.0, 1.5], [0.3, 0.1], exponent=1.0)
    assert fit.z_score(1.0 + 2 * fit.limit_error) == pytest.approx(2.0)
    assert fit.as_dict()["sizes"] == [10.0, 20.0]


@pytest.mark.parametrize(
    "args, kwargs",
    [
        (([8, 16], [1, 2], [0.1, 0.1]), {}),  # free exponent needs three sizes
        (([8], [1], [0.1]), {"exponent": 1.0}),
        (([8, 16], [1, 2], [0.1, 0.0]), {"exponent": 1.0}),
        (([8, 16], [1, 2, 3], [0.1, 0.1]), {"exponent": 1.0}),
        (([8, -16], [1, 2], [0.1, 0.1]), {"exponent": 1.0}),
        (([8, 16], [1, 2], [0.1, 0.1]), {"exponent": -1.0}),
    ],
)
def test_fit_rejects_bad_input(args, kwargs):
    with pytest.raises(InvalidInputError):
        fit_finite_size(*args, **kwargs)


# --- pooled_crossing_density and runs_to_resolve ------------------------------------------------------


def test_crossing_of_identical_counts_is_the_poisson_root():
    # Every realization percolates at N* = 10, unit 0.5: the root solves P(Poisson(2 d) >= 10) = 0.5.
    d, err = pooled_crossing_density([10, 10, 10], unit=0.5, level=0.5)
    assert stats.poisson.sf(9, d / 0.5) == pytest.approx(0.5, abs=1e-10)
    assert err == pytest.approx(0.0, abs=1e-12)


def test_pooling_two_equal_columns_changes_nothing_and_one_run_has_no_error():
    c = np.array([9, 12, 10, 14])
    one = pooled_crossing_density(c, 0.25, 0.52)
    two = pooled_crossing_density(np.column_stack([c, c]), 0.25, 0.52)
    assert two == pytest.approx(one)
    assert math.isnan(pooled_crossing_density([[9, 11]], 0.25, 0.52)[1])


@pytest.mark.parametrize("counts, unit, level", [([0, 3], 0.5, 0.5), ([3, 4], 0.0, 0.5), ([3, 4], 0.5, 1.0)])
def test_crossing_rejects_bad_input(counts, unit, level):
    with pytest.raises(InvalidInputError):
        pooled_crossing_density(counts, unit, level)


def test_runs_to_resolve():
    assert runs_to_resolve(0.3, 0.01, z=3) == 8100
    assert runs_to_resolve(1.0, -0.5, z=2) == 16
    with pytest.raises(InvalidInputError):
        runs_to_resolve(1.0, 0.0)


# --- torus lattices and samples ----------------------------------------------------------------------


@pytest.mark.parametrize("lattice", sorted(LATTICES))
def test_torus_identical_edges_give_the_exact_sheet_conductance(lattice):
    net = torus_lattice_network(lattice, 7, conductance=1.5)
    degree = np.bincount(net.edges.ravel(), minlength=net.n_nodes)
    assert set(degree.tolist()) == {LATTICES[lattice][0]}
    sol = solve_network(net)
    assert sol.sheet_conductance == pytest.approx(1.5 * LATTICE_SHEET_FACTOR[lattice], rel=1e-12)


def test_torus_random_edges_lie_between_the_wiener_bounds():
    net = torus_lattice_network("square", 12, density=1.0, rng=5)
    g = net.edge_conductance
    sigma = solve_network(net).sheet_conductance
    assert 1 / np.mean(1 / g) < sigma < np.mean(g)


def test_torus_rejects_bad_lattice():
    with pytest.raises(InvalidInputError):
        torus_lattice_network("hexagonal", 8)


def test_slope_samples_are_the_solves_of_the_spawned_realizations():
    got = lattice_slope_samples("square", 6, "bars-open-y", runs=2, rng=11)
    children = as_rng(11).spawn(2)
    want = [solve_network(lattice_network("square", 6, density=1.0, periodic_y=False, rng=c)).sheet_conductance
            for c in children]  # fmt: skip
    assert got.tolist() == pytest.approx(want, rel=1e-14)
    with pytest.raises(InvalidInputError):
        lattice_slope_samples("square", 6, "bars", runs=1)


def test_wrapping_counts_are_the_counts_of_the_first_block():
    """With one block (a large guess) the counts are those of the spawned child's sticks, x and y."""
    got = wrapping_counts(3.0, runs=3, density_guess=30.0, rng=4)
    for row, child in zip(got, as_rng(4).spawn(3), strict=True):
        s = generate_sticks(n_sticks=math.ceil(1.25 * 30.0 * 9), box=3.0, periodic=True, rng=child)
        s = Sticks(s.endpoints, (3.0, 3.0), (True, True))
        assert row.tolist() == [first_percolation_count(s, "wrap-x"), first_percolation_count(s, "wrap-y")]


def test_wrapping_counts_extend_the_block_when_needed():
    got = wrapping_counts(3.0, runs=5, density_guess=0.5, rng=4)  # first block ~6 sticks: must grow
    assert got.shape == (5, 2) and (got > 11).all()
