import math

import numpy as np
import pytest

from nanograph import (
    GammaLength,
    InvalidInputError,
    Isotropic,
    LogNormalLength,
    Sticks,
    TruncatedNormalLength,
    UniformLength,
    generate_sticks,
    parse_length,
    parse_odf,
)


def test_same_seed_same_sticks_and_known_values():
    a = generate_sticks(5.0, box=(4, 3), rng=123)
    b = generate_sticks(5.0, box=(4, 3), rng=np.random.default_rng(123))
    np.testing.assert_array_equal(a.endpoints, b.endpoints)
    assert len(a) == 60  # round(5 * 4 * 3 / 1)
    # Draw order is part of the contract: centre x, centre y, angles, lengths.
    rng = np.random.default_rng(123)
    cx = rng.uniform(0, 4, 60)
    np.testing.assert_allclose(a.centres[:, 0], cx, rtol=0, atol=1e-12)
    assert not np.array_equal(a.endpoints, generate_sticks(5.0, box=(4, 3), rng=124).endpoints)


def test_geometry_of_generated_sticks():
    s = generate_sticks(n_sticks=1000, box=10, length=2.0, rng=1)
    np.testing.assert_allclose(s.lengths, 2.0)
    assert np.all((s.centres >= 0) & (s.centres < 10))
    assert np.all((s.angles >= -math.pi / 2) & (s.angles < math.pi / 2))
    assert s.density == pytest.approx(1000 * 4 / 100)


@pytest.mark.parametrize(
    "dist, mean, std",
    [
        (UniformLength(0.5, 1.5), 1.0, 1 / math.sqrt(12)),
        (LogNormalLength(1.0, 0.3), 1.0, 0.3),
        (GammaLength(2.0, 0.5), 2.0, 0.5),
        (TruncatedNormalLength(0.5, 1.0), TruncatedNormalLength(0.5, 1.0).mean, None),
    ],
)
def test_length_distributions_sample_their_moments(dist, mean, std):
    x = dist.sample(200_000, np.random.default_rng(0))
    assert np.all(x > 0)
    assert dist.mean == pytest.approx(mean)
    assert x.mean() == pytest.approx(mean, rel=5e-3)
    if std is not None:
        assert x.std() == pytest.approx(std, rel=2e-2)


def test_truncated_normal_mean_closed_form():
    # loc = 0: half-normal, mean = scale * sqrt(2 / pi).
    assert TruncatedNormalLength(0.0, 2.0).mean == pytest.approx(2 * math.sqrt(2 / math.pi))


def test_parse_length_specs():
    assert parse_length("1.5").mean == 1.5
    assert parse_length("lognormal:mean=2,std=0.5") == LogNormalLength(2.0, 0.5)
    assert isinstance(parse_length("normal:loc=1,scale=0.2"), TruncatedNormalLength)
    with pytest.raises(InvalidInputError, match="valid forms"):
        parse_length("weibull:k=2")
    with pytest.raises(InvalidInputError, match="parameters"):
        parse_length("gamma:mean=1")


def test_density_with_length_distribution_uses_mean_length():
    s = generate_sticks(10.0, box=20, length="uniform:low=1,high=3", rng=0)
    assert len(s) == round(10 * 400 / 4)


def test_odf_interface_and_specs():
    odf = parse_odf("isotropic")
    assert isinstance(odf, Isotropic)
    assert odf.mean_abs_sin_difference == pytest.approx(2 / math.pi, abs=1e-15)
    assert odf.mean_cos2 == 0.5 and odf.mean_s2 == 0.5
    a = odf.sample(100_000, np.random.default_rng(1))
    assert abs(np.mean(np.cos(a) ** 2) - 0.5) < 0.01
    with pytest.raises(InvalidInputError, match="valid names: isotropic"):
        parse_odf("crosss:omega=0.5")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"density": -1.0}, "density"),
        ({"density": float("nan")}, "density"),
        ({"density": 1.0, "box": -2}, "box"),
        ({"density": 1.0, "box": (1, float("nan"))}, "box"),
        ({"density": 1.0, "length": -1.0}, "length"),
        ({"density": 1.0, "n_sticks": 3}, "exactly one"),
        ({"n_sticks": 2.5}, "n_sticks"),
    ],
)
def test_bad_generation_input_names_the_parameter(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        generate_sticks(**kwargs)


def test_sticks_validation():
    with pytest.raises(InvalidInputError, match="shape"):
        Sticks(np.zeros((3, 3)), box=1)
    with pytest.raises(InvalidInputError, match="stick 1 has a NaN"):
        Sticks([[0, 0, 1, 1], [0, np.nan, 1, 1]], box=1)
    with pytest.raises(InvalidInputError, match="stick 0 has zero length"):
        Sticks([[1, 1, 1, 1]], box=1)


def test_translated_wraps_centres_into_periodic_box():
    s = generate_sticks(3.0, box=5, periodic=True, rng=2)
    t = s.translated((4.0, -3.0))
    assert np.all((t.centres >= 0) & (t.centres < 5))
    np.testing.assert_allclose(t.lengths, s.lengths)


def test_stick_centres_must_lie_in_the_box_along_open_axes():
    with pytest.raises(InvalidInputError, match=r"^box 8 x 8: 1 stick centre\(s\) lie outside it.*placed in$") as info:
        Sticks(np.array([[20, 20, 21, 21.0]]), box=8)
    assert info.value.parameter == "box"  # the library names the parameter; the CLI maps it to --box
    assert Sticks([[-0.5 - 1e-12, 1.0, 0.5, 1.0]], box=1).centres[0, 0] < 0  # a rounding error past x = 0: allowed
    with pytest.raises(InvalidInputError, match="outside"):
        Sticks([[-0.5, 1.0, 0.5 - 1e-6, 1.0]], box=1)
    s = Sticks([[20, 0.5, 21, 0.5]], box=(8, 1), periodic=(True, False))  # a periodic image is allowed
    assert s.periodic == (True, False)
    with pytest.raises(InvalidInputError, match="outside"):
        Sticks([[20, 20, 21, 21.0]], box=8, periodic=(True, False))


@pytest.mark.parametrize("rng", [-1, "a", 1.5, True, [-3]])
def test_bad_rng_names_rng_and_seed(rng):
    with pytest.raises(InvalidInputError, match=r"^rng must be None, a non-negative integer"):
        generate_sticks(1.0, box=2, rng=rng)


@pytest.mark.parametrize("periodic", ["q", (True,), (1, 2), None])
def test_bad_periodic_names_periodic(periodic):
    with pytest.raises(InvalidInputError, match="periodic must be a bool or a pair"):
        generate_sticks(1.0, box=2, periodic=periodic, rng=1)


@pytest.mark.parametrize("spec", ["0", "-1", "nan", "inf", 0, -1.0, float("nan")])
def test_bad_fixed_length_says_positive_not_unknown(spec):
    with pytest.raises(InvalidInputError, match=r"^length must be a positive finite number"):
        parse_length(spec)


@pytest.mark.parametrize(
    "spec, match",
    [("lognormal:mean=1,mean=2", "needs exactly the parameters mean, std"), ("gamma:mean", "key=number"),
     (None, "must be a positive number, uniform:")],
)  # fmt: skip
def test_bad_length_spec_names_length(spec, match):
    with pytest.raises(InvalidInputError, match=match):
        parse_length(spec)


def test_cli_length_zero_is_a_one_line_error(tmp_path, capsys):
    from nanograph.cli import main

    assert main(["generate", "--density", "1", "--box", "2", "--length", "0", "-o", str(tmp_path / "s.npz")]) == 2
    err = capsys.readouterr().err
    assert "--length" in err and "positive" in err and "unknown" not in err


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_sticks": float("inf")}, "^n_sticks must be a non-negative integer, got inf$"),
     ({"density": True}, "^density must be a real number"), ({"density": -2}, "^density must be a finite number >= 0")],
)  # fmt: skip
def test_generation_numbers_are_checked_by_name(kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        generate_sticks(box=2, rng=1, **kwargs)
