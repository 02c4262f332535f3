"""Mean-field formulas of the MFA paper: Eqs. (10), (15), (17), the Rs = 0 limit, Eqs. (16), (18)-(21)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from nanograph.errors import InvalidInputError
from nanograph.physics.mfa import (
    backbone_fraction,
    backbone_fraction_finite,
    mean_contacts,
    mean_current_factor,
    mfa_conductivity,
    percolation_threshold_scaling,
    rs0_conductivity,
)
from nanograph.published import mfa as published


def paper_bracket(n, delta):
    """``1 - (2/Delta) (lambda_1 - 1)(lambda_1^(N+1) - 1)/(lambda_1 (lambda_1^N + 1))`` as printed (Eqs. 13-14, 51)."""
    mu = 2 + delta / (n + 1)
    lam = (mu + math.sqrt(mu * mu - 4)) / 2
    return 1 - 2 / delta * (lam - 1) * (lam ** (n + 1) - 1) / (lam * (lam**n + 1))


def segment_currents(n, delta):
    """Currents of Eq. (48) summed over the segments by brute force: the segment average, Eq. (49)."""
    mu = 2 + delta / (n + 1)
    lam = (mu + math.sqrt(mu * mu - 4)) / 2
    k = np.arange(n + 1)
    return np.mean(1 - (lam**k + lam**n * lam ** (-k)) / (1 + lam**n))


# --- the current factor B(Nj, Delta) ------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 7, 20, 60])
@pytest.mark.parametrize("delta", [0.01, 1.0, 25.0])
def test_current_factor_matches_paper_lambda_form_and_segment_sum(n, delta):
    b = mean_current_factor(n, delta)
    assert b == pytest.approx(paper_bracket(n, delta), rel=1e-9)
    assert b == pytest.approx(segment_currents(n, delta), rel=1e-9)


@pytest.mark.parametrize("delta", [1e-9, 1e-3, 1.0, 1e3, 1e9])
def test_stick_with_zero_or_one_contact_carries_no_current(delta):
    assert mean_current_factor(np.array([0, 1]), delta) == pytest.approx([0.0, 0.0], abs=1e-15)


def test_current_factor_limits():
    n = np.array([2.0, 5.0, 50.0, 400.0])
    # Delta -> 0: B / Delta -> N (N - 1) / (12 (N + 1)), to relative O(Delta N).
    small = mean_current_factor(n, 1e-12) / 1e-12
    assert small == pytest.approx(n * (n - 1) / (12 * (n + 1)), rel=1e-9)
    # Delta -> inf: the junctions are negligible, the two dead-end segments carry nothing: B -> (N - 1)/(N + 1).
    assert mean_current_factor(n, 1e15) == pytest.approx((n - 1) / (n + 1), rel=1e-6)


def test_current_factor_no_overflow_for_huge_lambda_power():
    # lambda_1^N overflows a double for N log(lambda_1) > 709: here ~ 3e4.
    assert math.isfinite(mean_current_factor(1e6, 1e9))
    n, delta = 1e6, 1e9
    mu = 2 + delta / (n + 1)
    lam = (mu + math.sqrt(mu * mu - 4)) / 2
    # lambda^N = inf: A = (lambda - 1)(lambda^(N+1) - 1)/(lambda (lambda^N + 1)) -> lambda - 1.
    assert mean_current_factor(n, delta) == pytest.approx(1 - 2 * (lam - 1) / delta, rel=1e-12)


@given(st.floats(2.0, 500.0), st.floats(-9.0, 9.0))
def test_current_factor_between_zero_and_junction_free_limit(n, log_delta):
    b = mean_current_factor(n, 10.0**log_delta)
    assert 0 <= b <= (n - 1) / (n + 1) * (1 + 1e-12)


def test_current_factor_increases_with_delta_for_fixed_contacts():
    deltas = np.logspace(-9, 9, 200)
    b = mean_current_factor(30.0, deltas)
    assert np.all(np.diff(b) > 0)


# --- conductivity formulas ----------------------------------------------------------------------------------


def test_formula10_poisson_equals_explicit_sum():
    density, delta, odf = 12.0, 2.0, "cross:omega=0.5"
    mean = mean_contacts(density, odf)
    k = np.arange(0, 200)
    pmf = stats.poisson.pmf(k, mean)
    brackets = np.array([paper_bracket(int(kk), delta) for kk in k])
    expected = density * (1 + delta) / delta * 0.5 * np.sum(pmf[2:] * brackets[2:])  # Eq. (54): from Nj = 2
    assert mfa_conductivity(density, delta, odf, formula=10) == pytest.approx(expected, rel=1e-10)


def test_formula10_binomial_tends_to_poisson():
    kwargs = {"formula": 10, "odf": "irregular-cross:eps=0.2"}
    poisson = mfa_conductivity(20.0, 1.0, contacts="poisson", **kwargs)
    small = mfa_conductivity(20.0, 1.0, contacts="binomial", n_sticks=40, **kwargs)
    large = mfa_conductivity(20.0, 1.0, contacts="binomial", n_sticks=200_000, **kwargs)
    assert abs(large - poisson) < 1e-4 * poisson < abs(small - poisson)


def test_formula15_is_formula10_with_contacts_at_their_mean():
    density, delta = 30.0, 3.0
    b = mean_current_factor(mean_contacts(density), delta)
    assert mfa_conductivity(density, delta, formula=15) == pytest.approx(density * (1 + delta) / delta * 0.5 * b)


@pytest.mark.parametrize("formula", [10, 15])
def test_delta_to_zero_gives_rs0_limit(formula):
    # Eq. (15) as Delta -> 0 tends to the Rs = 0 result with Nj at its mean; Eq. (10) (Poisson) to Eq. (66)
    # with the corrected D of Eq. (65).
    contacts = "poisson" if formula == 10 else "mean"
    for odf in ("isotropic", "cross:omega=0.5", "cos2m:m=10"):
        density = np.array([4.0, 10.0, 40.0, 200.0])
        limit = rs0_conductivity(density, odf, contacts=contacts)
        for delta, tol in ((1e-3, 2e-2), (1e-6, 2e-5), (1e-9, 2e-8)):
            value = mfa_conductivity(density, delta, odf, formula=formula)
            assert value == pytest.approx(limit, rel=tol * 10), (odf, delta)


def test_rs0_limit_eq65_sign_and_eq67():
    x = np.array([0.01, 0.5, 3.0, 40.0])
    k = np.arange(0, 400)
    brute = [np.sum(stats.poisson.pmf(k, xi) * k * (k - 1) / (k + 1)) for xi in x]  # the series (64)
    isotropic_density = x * math.pi / 2
    d = rs0_conductivity(isotropic_density) * 12 / (isotropic_density * 0.5)
    assert d == pytest.approx(brute, rel=1e-12)
    printed = x - 2 - 2 * (1 - np.exp(-x)) / x  # Eq. (65) as printed: wrong sign
    assert not np.allclose(printed, brute)
    big = np.array([1e3, 1e4])
    assert rs0_conductivity(big) == pytest.approx(big**2 / (12 * math.pi), rel=4 / big.min())  # Eq. (67)
    # The printed mean <cos^2> n l^2 = n l^2 / 2 would give n l^2 <cos^2> n l^2/(2 12) = (n l^2)^2/48, not (67).
    assert not np.allclose(big**2 / 48, big**2 / (12 * math.pi), rtol=0.1)


def test_delta_to_infinity_junction_free_limit():
    density = np.array([10.0, 50.0])
    mean = mean_contacts(density)
    value = mfa_conductivity(density, 1e12, formula=15)
    assert value == pytest.approx(density * 0.5 * (mean - 1) / (mean + 1), rel=1e-5)


def test_formula17_is_asymptotic():
    density = 200.0
    for delta in (1.0, 10.0, 100.0):
        f10 = mfa_conductivity(density, delta, formula=10)
        f17 = mfa_conductivity(density, delta, formula=17)
        assert abs(f17 - f10) / f10 < 0.02 * math.sqrt(1 / delta) + 0.01
    # Invalid for small Delta, where the bracket turns negative: NaN, as documented.
    assert math.isnan(mfa_conductivity(density, 1e-6, formula=17))


@pytest.mark.parametrize("formula", [10, 15, 17])
def test_vectorised_and_stable_over_delta_range(formula):
    density = np.linspace(5, 100, 7)[:, None]
    delta = np.logspace(-9, 9, 19)[None, :]
    values = mfa_conductivity(density, delta, formula=formula)
    if formula == 17:
        mean = density * 2 / np.pi
        invalid = 2 / np.sqrt(delta * mean) * (1 + 3 / (8 * mean)) > 1
        assert np.array_equal(np.isnan(values), invalid) and np.all(values[~invalid] >= 0)
    assert values.shape == (7, 19) and np.all(np.isfinite(values) | (formula == 17))
    if formula != 17:
        assert np.all(values > 0)
        for i in range(7):
            assert values[i] == pytest.approx(
                [mfa_conductivity(float(density[i, 0]), d, formula=formula) for d in delta[0]]
            )


def test_more_alignment_lowers_junction_dominated_conductivity():
    # Fig. 7: for Delta << 1 the conductivity decreases from isotropic to the perfect cross.
    dens = 100.0
    iso, irr, cross = (mfa_conductivity(dens, 1e-6, o) for o in ("isotropic", "irregular-cross:eps=22.5deg", "cross"))
    assert iso > irr > cross
    far = [mfa_conductivity(dens, 1e6, o) for o in ("isotropic", "cross")]
    assert far[0] == pytest.approx(far[1], rel=0.01)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"density": 10.0, "delta": 0.0}, "delta must be"),
        ({"density": -1.0, "delta": 1.0}, "density must be"),
        ({"density": 10.0, "delta": 1.0, "formula": 16}, "formula must be one of"),
        ({"density": 10.0, "delta": 1.0, "formula": 10, "contacts": "gauss"}, "contacts must be"),
        ({"density": 10.0, "delta": 1.0, "formula": 10, "contacts": "binomial"}, "n_sticks"),
        ({"density": 10.0, "delta": 1.0, "odf": "crosss"}, "valid names"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        mfa_conductivity(**kwargs)


# --- Eqs. (16), (18)-(21) -----------------------------------------------------------------------------------


def test_mean_contacts_eq16():
    assert mean_contacts(np.array([1.0, 7.0]), "cross:omega=0.5") == pytest.approx([0.5, 3.5])
    assert mean_contacts(7.0) == pytest.approx(14 / math.pi)


def test_threshold_scaling_eq18():
    assert percolation_threshold_scaling("isotropic") == pytest.approx(published.THRESHOLD_ISOTROPIC, rel=1e-12)
    cross = percolation_threshold_scaling("cross:omega=0.5")
    assert cross == pytest.approx(published.THRESHOLD_ISOTROPIC * 4 / math.pi, rel=1e-12)  # 7.18, not 6.1934
    assert cross - published.THRESHOLD_PERFECT_CROSS == pytest.approx(0.984, abs=0.001)
    assert percolation_threshold_scaling("cross", n0=1.0) == pytest.approx(2.0)
    with pytest.raises(InvalidInputError, match="never percolate"):
        percolation_threshold_scaling("cross:omega=1")


def test_backbone_eq19_to_eq21_for_many_sticks():
    for odf in ("isotropic", "cross:omega=0.5", "cos2m:m=10"):
        density = np.array([2.0, 6.0, 20.0, 80.0])
        n_sticks = 1_000_000
        p = mean_contacts(density, odf) / n_sticks
        assert backbone_fraction_finite(n_sticks, p) == pytest.approx(backbone_fraction(density, odf), rel=1e-5)


def test_backbone_eq20_isotropic_and_small_density_series():
    d = np.array([1e-6, 1e-3, 0.04, 0.5, 5.0, 50.0])
    x = 2 * d / math.pi
    printed = 1 - math.pi / d + (1 + math.pi / d) * np.exp(-2 * d / math.pi)  # Eq. (20), cancels at small d
    ours = backbone_fraction(d)
    assert ours[3:] == pytest.approx(printed[3:], rel=1e-12)
    assert ours[:3] == pytest.approx(x[:3] ** 2 / 6 - x[:3] ** 3 / 12 + x[:3] ** 4 / 40, rel=1e-6)
    assert np.all(np.diff(ours) > 0) and np.all((0 <= ours) & (ours < 1))
    # Fig. 3: cross-alignment slightly decreases the backbone fraction.
    assert backbone_fraction(20.0, "cross:omega=0.5") < backbone_fraction(20.0)


def test_backbone_finite_checks_p():
    with pytest.raises(InvalidInputError, match="p must lie"):
        backbone_fraction_finite(10, 1.5)
    assert backbone_fraction_finite(10, 1.0) == pytest.approx(1 - 2 / 10)


def test_outside_validity_is_nan_and_valid_values_unchanged():
    # Eq. (15) at <Nj> < 1 was negative (-0.0109 at n l^2 = 1, Delta = 1): NaN now, and NaN for nearly parallel sticks.
    assert math.isnan(mfa_conductivity(1.0, 1.0))
    assert math.isnan(mfa_conductivity(10.0, 1.0, "von-mises:kappa=1e7"))
    assert math.isnan(mfa_conductivity(3.0, 1e-9, formula=17))
    # At <Nj> = 1 exactly (n l^2 = pi/2), B(1) = 0; above, Eq. (15) is n l^2 (1 + D)/D <cos^2> B(<Nj>, D).
    assert mfa_conductivity(math.pi / 2, 1.0) == pytest.approx(0.0, abs=1e-15)
    for density, delta in [(2.0, 1.0), (10.0, 1e-3), (50.0, 1e3)]:
        expected = density * (1 + delta) / delta * 0.5 * mean_current_factor(density * 2 / math.pi, delta)
        assert mfa_conductivity(density, delta) == pytest.approx(expected, rel=1e-12)
    # Eq. (10) stays non-negative (sticks with 0 or 1 contacts carry no current): never NaN.
    assert mfa_conductivity(0.5, 1.0, formula=10) >= 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: mfa_conductivity([10.0, 0.0], 1.0), r"^density\[1\] must be a finite number > 0, got 0.0$"),
        (lambda: backbone_fraction([[1.0, -1.0]]), r"^density\[1\] must be a finite number >= 0, got -1.0$"),
        (lambda: backbone_fraction([1.0, np.inf]), r"^density\[1\] = .*inf.* must be finite"),
        (lambda: mfa_conductivity(True, 1.0), r"^density must be a real number"),
        (lambda: mean_contacts(-1.0), r"^density must be a finite number >= 0, got -1.0$"),
    ],
)
def test_array_inputs_name_the_bad_entry(call, message):
    with pytest.raises(InvalidInputError, match=message) as info:
        call()
    assert info.value.parameter == "density"


def test_validated_arrays_keep_their_shape_and_values():
    density = np.array([[2.0, 6.0], [20.0, 80.0]])
    assert backbone_fraction(density).shape == (2, 2)
    assert backbone_fraction(density)[1, 0] == backbone_fraction(20.0)
    assert isinstance(backbone_fraction(20.0), float)
