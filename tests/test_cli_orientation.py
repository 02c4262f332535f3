"""Commands ``odf`` and ``mfa``."""

import json
import math

import pytest

from nanograph.cli import main
from nanograph.physics.mfa import mfa_conductivity


def test_odf_json_moments(capsys):
    assert main(["odf", "cos2m:m=10", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["mean_abs_sin"] == pytest.approx(13855460621 / (7699613922 * math.pi), abs=1e-15)
    assert record["mean_S2"] == pytest.approx(11 / 12, abs=1e-15)
    assert record["mean_cos2"] == 0.5


def test_odf_table_with_contacts(capsys):
    assert main(["odf", "cross:omega=0.5", "--density", "10"]) == 0
    out = capsys.readouterr().out
    assert "mean_contacts" in out and " 5\n" in out


def test_odf_bad_spec_lists_names_and_parameters(capsys):
    assert main(["odf", "crosss:omega=0.5"]) == 2
    err = capsys.readouterr().err
    assert "valid names: isotropic" in err and "cross:omega=F" in err and "Traceback" not in err


def test_mfa_json_grid(capsys):
    args = ["mfa", "--odf", "irregular-cross:eps=22.5deg", "--density", "10", "50", "--delta", "1e-6", "1", "1e6"]
    assert main([*args, "--formula", "10", "--contacts", "binomial", "--box", "8", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [(r["density"], r["delta"]) for r in record["rows"]] == [(d, x) for d in (10, 50) for x in (1e-6, 1, 1e6)]
    row = record["rows"][4]
    expected = mfa_conductivity(50, 1, "irregular-cross:eps=22.5deg", formula=10, contacts="binomial", n_sticks=3200)
    assert row["sigma"] == pytest.approx(expected, rel=1e-14)
    assert record["box"] == 8 and record["contacts"] == "binomial"


def test_mfa_table_and_errors(capsys):
    assert main(["mfa", "--density", "20", "--delta", "1", "--formula", "17"]) == 0
    assert "Eq. (17)" in capsys.readouterr().out
    assert main(["mfa", "--density", "20", "--delta", "0"]) == 2
    assert "delta must be" in capsys.readouterr().err


def test_mfa_outside_validity_prints_null_with_a_note(capsys):
    assert main(["mfa", "--density", "1", "3", "--delta", "1", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["rows"][0]["sigma"] is None and "<Nj>" in record["note"]
    assert record["rows"][1]["sigma"] == pytest.approx(mfa_conductivity(3.0, 1.0))
    assert main(["mfa", "--formula", "17", "--density", "3", "--delta", "1e-9"]) == 0
    out = capsys.readouterr().out
    assert "n/a" in out and "Eq. (17) needs" in out and "e+" not in out
    assert main(["mfa", "--density", "3", "--delta", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["note"] is None


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["--box", "8"], "--box"),
        (["--contacts", "binomial"], "--contacts"),
        (["--formula", "10", "--box", "8"], "--contacts binomial"),
        (["--formula", "10", "--contacts", "binomial", "--box", "0"], "--box"),
    ],
)
def test_mfa_refuses_flags_it_would_ignore(capsys, argv, flag):
    assert main(["mfa", "--density", "3", "--delta", "1", *argv]) == 2
    err = capsys.readouterr().err
    assert flag in err and len(err.strip().splitlines()) == 1, err
