"""One command-line vocabulary, the same behaviour in every command, and provenance (issue 13 §1-3)."""

import argparse
import json

import numpy as np
import pytest

from nanograph import __version__
from nanograph.cli import build_parser, main

#: Each concept and its one spelling; a flag named on the right must not appear in any command.
CONCEPTS = {
    "box": "--box",
    "boxes": "--boxes",
    "periodic": "--periodic",
    "density": "--density",
    "n_sticks": "--n-sticks",
    "max_sticks": "--max-sticks",
    "closure": "--closure",
    "seed": "--seed",
    "form": "--form",
    "runs": "--runs",
    "json": "--json",
    "quiet": "--quiet",
}
#: Spellings that mean one of the concepts above and so must not be visible flags.
FORBIDDEN = {
    "--periodic-x": "--periodic", "--periodic-y": "--periodic", "--open-y": "--periodic", "--cn": "--density",
    "--n-wires": "--n-sticks", "--max-wires": "--max-sticks", "--nsticks": "--n-sticks", "--graph-form": "--form",
    "--random-seed": "--seed", "--realizations": "--runs", "--size": "--box", "--sizes": "--boxes",
}  # fmt: skip
#: Choices of the flags whose values are names, the same set in every command.
CHOICES = {
    "--periodic": {"none", "x", "y", "xy"},
    "--form": {"wire-node", "junction-node"},
    "--closure": {"none", "3", "4"},
}


def _commands() -> dict[str, argparse.ArgumentParser]:
    return dict(build_parser()._subparsers._group_actions[0].choices)


def _visible(parser: argparse.ArgumentParser):
    return [a for a in parser._actions if a.option_strings and a.help is not argparse.SUPPRESS]


def test_no_concept_is_spelled_two_ways_and_no_flag_means_two_things():
    dests: dict[str, set[str]] = {}
    problems = []
    for name, parser in _commands().items():
        for action in _visible(parser):
            long = [o for o in action.option_strings if o.startswith("--")]
            for option in long:
                if option in FORBIDDEN:
                    problems.append(f"{name}: {option} (use {FORBIDDEN[option]})")
                dests.setdefault(option, set()).add(action.dest)
            for concept, flag in CONCEPTS.items():
                if action.dest == concept and flag not in long and action.dest != "box":
                    problems.append(f"{name}: {'/'.join(long)} gives {concept} (spell it {flag})")
            if long and long[0] in CHOICES and action.choices is not None:
                got = {str(c) for c in action.choices}
                if got != CHOICES[long[0]] and not got < CHOICES[long[0]]:
                    problems.append(f"{name}: {long[0]} choices {sorted(got)}, expected {sorted(CHOICES[long[0]])}")
    for option, names in dests.items():
        if len(names) > 1 and not {option.lstrip("-").replace("-", "_")} >= names:
            problems.append(f"{option} stores into {sorted(names)}")
    assert not problems, "\n".join(problems)


def test_box_is_one_box_everywhere():
    for parser in _commands().values():
        for action in _visible(parser):
            old_sizes = type(action).__name__ == "BoxOrSizes"  # several values: the deprecated sizes, warned
            if "--box" in action.option_strings and action.nargs == "+" and not old_sizes:
                with pytest.raises(SystemExit):  # three values are never one box
                    parser.parse_args(
                        ["x.npz", "--box", "1", "2", "3"] if _needs_file(parser) else ["--box", "1", "2", "3"]
                    )


def _needs_file(parser) -> bool:
    return any(a.dest == "sticks" for a in parser._actions)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_json_and_quiet(name):
    options = {o for a in _visible(_commands()[name]) for o in a.option_strings}
    assert {"--json", "--quiet"} <= options, name


def test_every_command_with_randomness_has_seed():
    for name in ("run", "generate", "percolation", "sweep", "expected-adjacency", "film", "failure"):
        options = {o for a in _visible(_commands()[name]) for o in a.option_strings}
        assert "--seed" in options, name


def _write(tmp_path, capsys):
    path = tmp_path / "s.npz"
    assert main(["generate", "--density", "8", "--box", "5", "-o", str(path), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    return path


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_json_outputs_carry_the_version_and_the_seed(tmp_path, capsys):
    path = _write(tmp_path, capsys)
    cases = {
        ("generate", "--density", "4", "--box", "3", "-o", str(tmp_path / "g.npz"), "--seed", "5"): 5,
        ("solve", str(path)): None,
        ("draw", str(path), "-o", str(tmp_path / "d.png")): None,
        ("run", "--density", "5", "--box", "4", "--out", str(tmp_path / "out"), "--seed", "2"): 2,
        ("foster", str(path)): None,
        ("backbone", str(path)): None,
        ("percolation", "--box", "4", "--runs", "2", "--seed", "3"): 3,
        ("emt", "--density", "10"): None,
        ("odf", "isotropic"): None,
        ("mfa", "--density", "10", "--delta", "1"): None,
        ("reproduce", "--list"): None,
    }
    for argv, seed in cases.items():
        record = _json(capsys, [*argv, "--json"])
        assert record["nanograph_version"] == __version__, argv
        if seed is not None:
            assert record["seed"] == seed, argv


def test_generate_without_seed_records_the_fresh_entropy_and_it_regenerates(tmp_path, capsys):
    from nanograph import load_sticks

    record = _json(capsys, ["generate", "--density", "6", "--box", "4", "-o", str(tmp_path / "a.npz"), "--json"])
    seed = record["seed"]
    assert isinstance(seed, int) and seed > 2**32
    stored = load_sticks(tmp_path / "a.npz")
    assert stored.info["seed"] == seed and stored.info["nanograph_version"] == __version__
    assert stored.info["seed_given"] is False and stored.info["parameters"]["density"] == 6
    assert main(["generate", "--density", "6", "--box", "4", "-o", str(tmp_path / "b.npz"), "--seed", str(seed),
                 "--quiet"]) == 0  # fmt: skip
    np.testing.assert_array_equal(load_sticks(tmp_path / "b.npz").endpoints, stored.endpoints)


def test_run_summary_and_picture_carry_the_seed(tmp_path, capsys):
    from nanograph.plotting.style import read_png_metadata

    assert main(["run", "--density", "5", "--box", "4", "--seed", "7", "--out", str(tmp_path), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["seed"] == 7 and summary["nanograph_version"] == __version__
    assert summary["parameters"]["density"] == 5 and summary["units"]["rw"] == "ohm per unit length"
    assert read_png_metadata(tmp_path / "network.png")["seed"] == 7


def test_draw_png_and_svg_metadata(tmp_path, capsys):
    from nanograph.plotting.style import read_png_metadata

    path = _write(tmp_path, capsys)
    assert main(["draw", str(path), "-o", str(tmp_path / "d.png"), "--rj", "2ohm", "--quiet", "--dpi", "60"]) == 0
    meta = read_png_metadata(tmp_path / "d.png")
    assert meta["nanograph_version"] == __version__ and meta["rj"] == 2.0
    assert meta["sticks_file"]["seed"] == load_seed(path)
    assert main(["draw", str(path), "-o", str(tmp_path / "d.svg"), "--color-by", "form", "--quiet"]) == 0
    assert f"nanograph {__version__}" in (tmp_path / "d.svg").read_text()


def load_seed(path):
    from nanograph import load_sticks

    return load_sticks(path).info["seed"]


def test_timings_not_seconds(tmp_path, capsys):
    path = _write(tmp_path, capsys)
    for argv in (["solve", str(path)], ["foster", str(path)]):
        record = _json(capsys, [*argv, "--json"])
        assert "timings" in record and "seconds" not in record


def test_backbone_ids_only_on_request(tmp_path, capsys):
    path = _write(tmp_path, capsys)
    plain = _json(capsys, ["backbone", str(path), "--json"])
    assert "backbone_sticks" not in plain and plain["n_backbone_sticks"] >= 0
    with_ids = _json(capsys, ["backbone", str(path), "--json", "--ids"])
    assert len(with_ids["backbone_sticks"]) == plain["n_backbone_sticks"]


# Old spellings: still work, one warning line naming the new spelling, same result.
@pytest.mark.parametrize(
    "old, new",
    [
        (["--periodic-y"], ["--periodic", "y"]),
        (["--periodic-x", "--periodic-y"], ["--periodic", "xy"]),
    ],
)
def test_old_periodic_spellings_warn_and_agree(tmp_path, capsys, old, new):
    path = _write(tmp_path, capsys)
    assert main(["solve", str(path), *old, "--json"]) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == len(old) and all("deprecated" in line and "--periodic" in line for line in lines)
    assert json.loads(out)["conductance"] == _json(capsys, ["solve", str(path), *new, "--json"])["conductance"]


def test_old_expected_adjacency_spellings_warn_and_agree(capsys):
    new = _json(capsys, ["expected-adjacency", "--density", "20", "--length", "0.2", "--json"])
    assert main(["expected-adjacency", "--cn", "20", "--length", "0.2", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "--cn is deprecated" in err and "use --density" in err
    assert json.loads(out)["sigma_star"] == new["sigma_star"]
    assert main(["expected-adjacency", "--cn", "-1"]) == 2  # a refusal names what was typed, in one line
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("nanograph expected-adjacency: error: --cn")


def test_percolation_box_and_boxes(capsys):
    new = _json(capsys, ["percolation", "--boxes", "4", "5", "--runs", "2", "--seed", "1", "--json"])
    assert [s["box"][0] for s in new["sizes"]] == [4, 5]
    assert main(["percolation", "--box", "4", "5", "--runs", "2", "--seed", "1", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["threshold"] == new["threshold"] and "use --boxes 4 5" in err
    assert main(["percolation", "--box", "4", "--boxes", "5", "--runs", "2"]) == 2
    assert main(["percolation", "--criterion", "span", "--open-y", "--runs", "2", "--box", "4", "--quiet"]) == 0
    assert "use --periodic none" in capsys.readouterr().err


def test_sweep_closure_names_match_foster(tmp_path, capsys):
    argv = ["sweep", "--density", "6", "--boxes", "4", "--executor", "serial", "--quiet"]
    assert main([*argv, "--closure", "3", "--store", str(tmp_path / "a.sqlite")]) == 0
    assert main([*argv, "--closure", "4", "--store", str(tmp_path / "b.sqlite")]) == 2  # 4 needs --rj 0
    assert "--rj 0" in capsys.readouterr().err
    assert main([*argv, "--closure", "regular", "--store", str(tmp_path / "c.sqlite")]) == 0
    assert "--closure 3" in capsys.readouterr().err


# Exit codes: 0 ok, 1 computation failed or tolerance missed, 2 bad input (docs/guide/index.md, "Every command").
def test_exit_codes(tmp_path, capsys):
    csv = tmp_path / "s.csv"
    csv.write_text("x0,y0,x1,y1\n-0.5,0.5,1.5,0.5\n0.5,-0.2,0.5,1.2\n")
    assert main(["solve", str(csv), "--box", "1", "--quiet"]) == 0
    assert main(["solve", str(csv), "--box", "1", "--rw", "1e-15", "--re", "1e-15", "--quiet"]) == 1
    assert main(["solve", str(csv), "--quiet"]) == 2  # a CSV needs --box
    assert main(["solve", str(tmp_path / "missing.npz")]) == 2
    with pytest.raises(SystemExit) as stop:  # argparse: unknown flag, bad choice, bad unit
        main(["solve", str(csv), "--rj", "20um"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "rj: '20um' has the dimension m, expected ohm" in err


def test_solve_in_physical_units(tmp_path, capsys):
    sticks = tmp_path / "p.npz"
    assert main(["generate", "--density", "20", "--length", "20um", "--box", "100um", "--seed", "1",
                 "-o", str(sticks), "--quiet"]) == 0  # fmt: skip
    by_material = _json(capsys, ["solve", str(sticks), "--resistivity", "1.59e-8ohm*m", "--diameter", "50nm",
                                 "--rj", "10ohm", "--json"])  # fmt: skip
    rw_si = 1.59e-8 / (np.pi / 4 * 50e-9**2)
    assert by_material["unit_m"] == pytest.approx(20e-6)
    assert by_material["rw_per_length_ohm_m"] == pytest.approx(rw_si, rel=1e-12)
    assert by_material["rw"] == pytest.approx(rw_si * 20e-6, rel=1e-12)  # ohm per <l> = 162 ohm
    assert by_material["re"] == 10.0
    by_rw = _json(capsys, ["solve", str(sticks), "--rw", f"{rw_si!r}ohm/m", "--rj", "10", "--json"])
    assert by_rw["conductance"] == pytest.approx(by_material["conductance"], rel=1e-12)
    # Sheet resistance R_s = R W / L = 1 / (G Lx / Ly); a square box: 1 / G.
    assert by_material["sheet_resistance_ohm_sq"] == pytest.approx(1 / by_material["conductance"], rel=1e-12)
    # The same sticks as a CSV in micrometres, read with --unit um: the same sheet resistance.
    from nanograph import load_sticks

    s = load_sticks(sticks)
    csv = tmp_path / "p.csv"
    np.savetxt(csv, s.endpoints * 20, delimiter=",")
    from_csv = _json(capsys, ["solve", str(csv), "--box", "100", "--unit", "um", "--resistivity", "1.59e-8ohm*m",
                              "--diameter", "50nm", "--rj", "10ohm", "--json"])  # fmt: skip
    assert from_csv["sheet_resistance_ohm_sq"] == pytest.approx(by_material["sheet_resistance_ohm_sq"], rel=1e-9)
    assert from_csv["rw"] == pytest.approx(rw_si * 1e-6, rel=1e-12)


def test_solve_units_refusals_name_the_flag(tmp_path, capsys):
    path = _write(tmp_path, capsys)
    for argv, start in [
        (["--rw", "8e6ohm/m"], "--rw"),
        (["--resistivity", "1e-8ohm*m"], "--diameter: needed"),
        (["--resistivity", "1e-8ohm*m", "--diameter", "50nm"], "--resistivity"),
        (["--unit", "um", "--resistivity", "1e-8ohm*m", "--diameter", "50nm", "--rw", "2"], "--rw"),
        (["--unit", "um", "--resistivity", "1e-8ohm*m", "--diameter", "50"], "--diameter"),
    ]:
        assert main(["solve", str(path), *argv]) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"nanograph solve: error: {start}"), err
