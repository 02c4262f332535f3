"""The reproduce registry, its table format and exit codes, and `nanograph reproduce all --quick`."""

import json
import math

import pytest

import nanograph.reproduce as reproduce
from nanograph.cli import main
from nanograph.errors import InvalidInputError
from nanograph.reproduce import Check, Report, experiment, experiments, format_report


@pytest.fixture
def registry(monkeypatch):
    """A private copy of the registry, so test experiments do not leak into other tests."""
    experiments()  # import every experiment module first
    monkeypatch.setattr(reproduce, "_REGISTRY", dict(reproduce._REGISTRY))
    return reproduce._REGISTRY


def test_check_close_absolute_and_relative_tolerances():
    assert Check.close("q", published=3.275, computed=3.2784, abs_tol=0.005).ok
    assert not Check.close("q", published=3.275, computed=3.2884, abs_tol=0.005).ok
    rel = Check.close("q", published=-200.0, computed=-203.9, rel_tol=0.02)
    assert rel.ok and rel.tolerance == "rel 2%"
    assert not Check.close("q", published=-200.0, computed=-204.1, rel_tol=0.02).ok
    assert not Check.close("q", published=1.0, computed=math.nan, abs_tol=1.0).ok  # NaN never passes
    assert not Check.close("q", published=1.0, computed=math.inf, rel_tol=10.0).ok
    with pytest.raises(InvalidInputError, match="exactly one"):
        Check.close("q", published=1.0, computed=1.0)
    with pytest.raises(InvalidInputError, match="exactly one"):
        Check.close("q", published=1.0, computed=1.0, abs_tol=1, rel_tol=1)


def test_format_report_is_an_aligned_table_with_notes_and_figures(tmp_path):
    report = Report(
        "demo",
        [Check.close("EMT constant, Eq. (22)", 3.275, 3.27838, abs_tol=0.005, note="slip: 3.27838 exactly"),
         Check.close("Table 2, square", 1.0, 1.2, rel_tol=0.05),
         Check("Fig. 4 trend", "below MFA", "below MFA", "same words", True)],
        [tmp_path / "fig.png"],
        ["free text line"],
    )  # fmt: skip
    lines = format_report(report).splitlines()
    assert lines[0] == "== demo =="
    header, rule, *rows = lines[1:6]
    assert [c.strip() for c in header.split("|")] == ["quantity", "published", "nanograph", "tolerance", "ok"]
    assert set(rule) <= {"-", "+"} and len(rule) >= len(header.rstrip())
    assert [row.index("|") for row in rows] == [header.index("|")] * 3  # aligned columns
    assert rows[0].rstrip().endswith("ok") and rows[1].rstrip().endswith("MISS")
    assert "3.27838" in rows[0] and "rel 5%" in rows[1]
    assert lines[6:] == ["notes:", "  [1] EMT constant, Eq. (22): slip: 3.27838 exactly", "free text line",
                         f"figure: {tmp_path / 'fig.png'}"]  # fmt: skip
    assert not report.ok and report.to_dict()["checks"][1]["ok"] is False


def test_registering_a_name_twice_is_an_error(registry):
    @experiment("test-twice", "test paper", "registered once")
    def once(quick, out):
        return Report("test-twice")

    with pytest.raises(InvalidInputError, match="twice"):
        experiment("test-twice", "test paper", "again")(once)


def test_exit_status_misses_fail_full_runs_only(registry, tmp_path, capsys):
    seen = {}

    @experiment("test-miss", "test paper", "always misses")
    def miss(quick, out):
        seen["quick"], seen["out"] = quick, out
        return Report("test-miss", [Check.close("x", 1.0, 2.0, abs_tol=0.1)])

    assert main(["reproduce", "test-miss", "--out", str(tmp_path)]) == 1
    assert seen == {"quick": False, "out": tmp_path / "test-miss"} and seen["out"].is_dir()
    assert "missed a tolerance: test-miss" in capsys.readouterr().out
    assert main(["reproduce", "test-miss", "--quick", "--out", str(tmp_path)]) == 0
    assert "quick run: not an error" in capsys.readouterr().out
    assert main(["reproduce", "test-miss", "--quick", "--json", "--out", str(tmp_path)]) == 0
    (report,) = json.loads(capsys.readouterr().out)["reports"]
    assert report["name"] == "test-miss" and report["ok"] is False


def test_list_json_names_every_registered_experiment(capsys):
    assert main(["reproduce", "--list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["experiments"] == list(experiments())
    assert main(["reproduce", "--list"]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in experiments())


def test_reproduce_all_quick_runs_every_experiment(tmp_path, capsys):
    assert main(["reproduce", "all", "--quick", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for name in experiments():
        assert f"== {name} ==" in out
        assert (tmp_path / name).is_dir()
    assert out.count("quantity") >= len(experiments())
