"""Effective medium theory: the root of Eq. (3), the paper's closed forms and their limits."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanograph.errors import InvalidInputError
from nanograph.physics.emt import (
    ConductanceMixture,
    effective_conductance,
    emt_residual,
    junction_only_gm,
    large_density_constant,
    large_rj_gm,
    lattice_distribution,
    lattice_gm,
    scaled_exp1,
    seamless_distribution,
    seamless_gm,
    segment_conductance_pdf,
    table2_fit,
    three_regular_distribution,
    three_regular_gm,
    three_regular_rw0_gm,
)
from nanograph.published import emt_foster as published

# --- the general solver ------------------------------------------------------------------------------------


@pytest.mark.parametrize("z", [3, 4, 6])
@pytest.mark.parametrize("p0", [0.0, 0.1, 0.25])
def test_bond_dilution_by_hand(z, p0):
    # open fraction p0, the rest conductance 1: p0/c + (1 - p0)(g - 1)/(1 + c g) = 0  =>  g = 1 - p0 z/(z - 2)
    if p0 >= 1 - 2 / z:
        pytest.skip("below the EMT threshold")
    result = effective_conductance(ConductanceMixture(((0.0, p0), (1.0, 1 - p0))), z)
    assert result.g_m == pytest.approx(1 - p0 * z / (z - 2), rel=1e-13)
    assert abs(result.residual) <= 1e-12


def test_identical_edges_are_their_own_medium():
    assert effective_conductance([2.5, 2.5, 2.5], z=3).g_m == pytest.approx(2.5, rel=1e-14)


def test_two_values_on_the_square_lattice():
    # z = 4, half a, half b: the classic EMT result g_m = sqrt(a b).
    assert effective_conductance(ConductanceMixture(((1.0, 0.5), (9.0, 0.5))), z=4).g_m == pytest.approx(3.0)


def test_samples_equal_their_mixture():
    a = effective_conductance([1.0, 1.0, 4.0, 0.0, 2.0], z=5).g_m
    b = effective_conductance(ConductanceMixture(((1.0, 0.4), (4.0, 0.2), (0.0, 0.2), (2.0, 0.2))), z=5).g_m
    assert a == pytest.approx(b, rel=1e-14)


def test_below_threshold_and_short_percolation_are_errors():
    with pytest.raises(InvalidInputError, match="1 - 2/z"):
        effective_conductance(ConductanceMixture(((0.0, 0.5), (1.0, 0.5))), z=4)
    with pytest.raises(InvalidInputError, match="shorts percolate"):
        effective_conductance(ConductanceMixture(((math.inf, 0.7), (1.0, 0.3))), z=3)
    with pytest.raises(InvalidInputError, match="exceed 2"):
        effective_conductance([1.0], z=2)
    with pytest.raises(InvalidInputError, match="sum to 1"):
        ConductanceMixture(((1.0, 0.5),))


@given(
    values=st.lists(st.floats(1e-6, 1e6), min_size=1, max_size=8),
    open_fraction=st.floats(0.0, 0.3),
    z=st.floats(2.2, 10.0),
)
def test_root_residual_and_monotonicity(values, open_fraction, z):
    if open_fraction >= 1 - 2 / z:
        return
    w = (1 - open_fraction) / len(values)
    mix = ConductanceMixture(((0.0, open_fraction), *((v, w) for v in values)))
    result = effective_conductance(mix, z)
    assert abs(result.residual) <= 1e-12
    assert 0 < result.g_m <= max(values) * (1 + 1e-12)
    assert emt_residual(result.g_m * 0.9, mix, z) < 0 < emt_residual(result.g_m * 1.1, mix, z)


@pytest.mark.parametrize("density", [4.0, 10.0, 50.0, 400.0])
@pytest.mark.parametrize("rj", [0.0, 0.01, 1.0, 100.0])
def test_continuous_density_root_residual(density, rj):
    result = effective_conductance(three_regular_distribution(density, rw=1.0, rj=rj), z=3)
    assert abs(result.residual) <= 1e-12


def test_segment_pdf_is_normalised_with_the_right_mean_inverse():
    from scipy.integrate import quad

    # E[1/g] = Rw <l> = Rw π/(2 n l²)  (Eq. 12)
    assert quad(segment_conductance_pdf, 0, np.inf, args=(7.0, 2.0))[0] == pytest.approx(1.0, abs=1e-10)
    mean_inverse = quad(lambda g: segment_conductance_pdf(g, 7.0, 2.0) / g, 0, np.inf)[0]
    assert mean_inverse == pytest.approx(2.0 * math.pi / 14.0, rel=1e-9)


def test_scaled_exp1_branches_agree():
    from scipy.special import exp1

    x = np.linspace(55.0, 300.0, 50)
    assert np.allclose(scaled_exp1(x), x * np.exp(x) * exp1(x), rtol=1e-14, atol=0)
    assert scaled_exp1(1e-12) < 1e-10 and scaled_exp1(1e8) == pytest.approx(1.0, abs=1e-8)


# --- closed forms against the general solver ---------------------------------------------------------------


@pytest.mark.parametrize("density", [3.5, 6.0, 20.0, 150.0])
@pytest.mark.parametrize("rj", [0.0, 0.5, 10.0])
@pytest.mark.parametrize("factor", [True, False])
def test_eq21_equals_the_general_root(density, rj, factor):
    closed = three_regular_gm(density, rw=1.3, rj=rj, closure_factor=factor)
    general = effective_conductance(three_regular_distribution(density, 1.3, rj, closure_factor=factor), z=3)
    assert closed == pytest.approx(general.g_m, rel=1e-11)


@pytest.mark.parametrize("density", [3.5, 12.0, 300.0])
def test_eq28_and_lattices_equal_the_general_root(density):
    assert seamless_gm(density, 0.7) == pytest.approx(
        effective_conductance(seamless_distribution(density, 0.7), z=4).g_m, rel=1e-11
    )
    for z in (3, 4, 6):
        assert lattice_gm(density, z) == pytest.approx(
            effective_conductance(lattice_distribution(density), z).g_m, rel=1e-11
        )


def test_eq21_has_no_root_at_or_below_pi():
    with pytest.raises(InvalidInputError, match="no root"):
        three_regular_gm(math.pi, rw=1.0, rj=1.0)
    with pytest.raises(InvalidInputError):
        effective_conductance(three_regular_distribution(math.pi, 1.0, 1.0), z=3)  # p0 = 1/3 = 1 - 2/z
    assert three_regular_gm(math.pi * 1.001, rw=1.0, rj=1.0) > 0
    assert three_regular_gm(math.pi, rw=1.0, rj=1.0, closure_factor=False) > 0


def test_large_density_constants_eqs_22_29():
    c22, c29 = large_density_constant(3), large_density_constant(4)
    assert c22 == pytest.approx(3.27838, abs=5e-6) and c29 == pytest.approx(1.63919, abs=5e-6)
    assert c22 == pytest.approx(2 * c29, rel=1e-15)
    assert abs(c22 - published.EQ22_CONSTANT) / c22 == pytest.approx(0.00103, abs=2e-5)  # the paper's 0.1% slip
    assert three_regular_gm(1e9, rw=1.0, rj=0.0) / (2e9 / math.pi) == pytest.approx(c22, rel=1e-8)
    assert seamless_gm(1e9) / (2e9 / math.pi) == pytest.approx(c29, rel=1e-8)
    assert lattice_gm(1.0, 4) == pytest.approx(2 * c29 / math.pi, rel=1e-13)  # Fig. 3: 1.0435 n


@pytest.mark.parametrize("density", [5.0, 30.0, 200.0])
def test_rw_to_zero_limit_of_eq21_is_not_eq26(density):
    limit = three_regular_rw0_gm(density, rj=2.0)
    assert limit == pytest.approx((2 * density / math.pi - 2) / 2.0)
    assert three_regular_gm(density, rw=1e-9, rj=2.0) == pytest.approx(limit, rel=1e-6)
    if density > 2 * math.pi:
        eq26 = junction_only_gm(density, rj=2.0)
        assert eq26 == pytest.approx((density - 2 * math.pi) / (density + math.pi) / 2.0)
        assert eq26 < 0.5 < limit  # Eq. (26) saturates at 1/Rj; the true limit grows like n l²


def test_eq24_is_the_large_rj_asymptote():
    for rj in (1e3, 1e5):
        ratio = three_regular_gm(1e3, rw=1.0, rj=rj, closure_factor=False) / large_rj_gm(1e3, 1.0, rj)
        assert ratio == pytest.approx(1.0, abs=3 / math.sqrt(rj))
    assert large_rj_gm(math.pi, rw=1.0, rj=4.0) == pytest.approx(1.0)


def test_closed_form_input_errors():
    with pytest.raises(InvalidInputError, match="rw"):
        three_regular_gm(10.0, rw=0.0)
    with pytest.raises(InvalidInputError, match="2π"):
        junction_only_gm(6.0)
    with pytest.raises(InvalidInputError, match="density"):
        seamless_gm(-1.0)


# --- Table 2 -----------------------------------------------------------------------------------------------


def test_table2_is_reproduced_without_the_closure_factor():
    for rj, (a_pub, b_pub, _) in published.TABLE2.items():
        a, b = table2_fit(rj)
        assert abs(a - a_pub) <= published.TABLE2_TOLERANCE_A, (rj, a)
        assert abs(b - b_pub) <= published.TABLE2_TOLERANCE_B, (rj, b)


def test_table2_slopes_are_far_from_one_half_with_the_factor():
    slopes = [table2_fit(rj, closure_factor=True)[0] for rj in (1, 100)]
    assert min(slopes) > 0.6


def test_cli_emt(capsys):
    import json

    from nanograph.cli import main

    assert main(["emt", "--model", "kagome-lattice", "--density", "10", "20", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [r["density"] for r in record["results"]] == [10.0, 20.0]
    row = record["results"][0]
    assert row["g_m"] == pytest.approx(lattice_gm(10.0, 4)) and row["z"] == 4
    assert row["sheet_conductance"] == pytest.approx(math.sqrt(3) / 2 * row["g_m"])
    assert main(["emt", "--model", "three-regular-rw0", "--density", str(10 * math.pi), "--rj", "2"]) == 0
    assert "9" in capsys.readouterr().out  # g_m = (20 - 2)/2
    assert main(["emt", "--model", "three-regular", "--density", "10", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["sheet_conductance"] is None


def test_cli_emt_reports_unused_resistances_as_null_and_names_flags(capsys):
    import json

    from nanograph.cli import main

    assert main(["emt", "--model", "seamless", "--density", "10", "--rw", "2", "--rj", "5", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    row = record["results"][0]
    assert record["rj"] is None and record["rw"] == 2.0 and row["g_m_rj"] is None
    assert row["g_m_rw"] == pytest.approx(2 * seamless_gm(10.0, 2.0))
    assert main(["emt", "--model", "junction-only", "--density", "10", "--rj", "2", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["rw"] is None and record["results"][0]["g_m_rw"] is None
    assert record["results"][0]["g_m_rj"] == pytest.approx(2 * junction_only_gm(10.0, 2.0))
    assert main(["emt", "--model", "junction-only", "--density", "10"]) == 0
    assert "--rw not used" in capsys.readouterr().out
    assert main(["emt", "--density", "1"]) == 2
    err = capsys.readouterr().err
    # The library names its parameters (density, closure_factor); the CLI maps them to --density and --model.
    assert "--model three-regular-no-factor" in err and "use --density > π" in err and err.count("\n") == 1
    # Eq. (28) without the closure factor is the square lattice, which the error suggests.
    assert seamless_gm(10.0, closure_factor=False) == pytest.approx(lattice_gm(10.0, 4), rel=1e-12)


def test_cli_emt_no_root_suggests_the_model_without_the_factor(capsys):
    from nanograph.cli import main

    assert main(["emt", "--density", "1"]) == 2
    assert "--model three-regular-no-factor" in capsys.readouterr().err
