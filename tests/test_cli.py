import json

import numpy as np
import pytest

from nanograph.cli import main


def test_run_writes_table_and_picture(tmp_path, capsys):
    assert main(["run", "--density", "8", "--box", "6", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "conductance G (S)" in out and "junction-node" in out
    assert (tmp_path / "network.png").stat().st_size > 10_000
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [r["form"] for r in summary["results"]] == ["wire-node", "junction-node"]
    assert summary["seed"] == 0 and summary["nanograph_version"]


def test_generate_solve_draw(tmp_path, capsys):
    sticks = tmp_path / "s.npz"
    assert main(["generate", "--density", "12", "--box", "6", "4", "--seed", "3", "-o", str(sticks)]) == 0
    capsys.readouterr()
    assert (
        main(["solve", str(sticks), "--rj", "2", "--rw", "0.5", "--re", "0.1", "--form", "junction-node", "--json"])
        == 0
    )
    record = json.loads(capsys.readouterr().out)
    for key in ("conductance", "percolates", "n_sticks", "n_junctions", "n_nodes", "n_edges"):
        assert key in record
    assert record["n_sticks"] == 12 * 24 and record["percolates"] and record["conductance"] > 0
    assert record["box"] == [6.0, 4.0]
    assert main(["solve", str(sticks), "--form", "wire-node", "--periodic-y", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["periodic"] == [False, True]
    for color in ("current", "form"):
        png = tmp_path / f"{color}.png"
        assert main(["draw", str(sticks), "-o", str(png), "--color-by", color]) == 0
        assert png.stat().st_size > 10_000


def test_csv_needs_box_and_errors_are_one_line(tmp_path, capsys):
    csv = tmp_path / "s.csv"
    csv.write_text("x0,y0,x1,y1\n-0.5,0.5,1.5,0.5\n")
    assert main(["solve", str(csv), "--json"]) == 2
    err = capsys.readouterr().err
    assert "error" in err and "--box" in err and "Traceback" not in err
    assert main(["solve", str(csv), "--box", "1", "--rj", "1", "--rw", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["resistance"] == pytest.approx(4.0)
    assert main(["solve", str(csv), "--box", "1", "--rw", "-1"]) == 2
    assert "rw" in capsys.readouterr().err


def test_generate_csv_with_length_distribution_and_periodic(tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["generate", "--n-sticks", "50", "--box", "5", "--length", "gamma:mean=1,std=0.2",
                 "--periodic", "xy", "--seed", "1", "-o", str(out)]) == 0  # fmt: skip
    assert np.loadtxt(out, delimiter=",", skiprows=2).shape == (50, 4)  # a '# nanograph {...}' line, then the header


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    assert "example:" in capsys.readouterr().out


def test_every_command_has_an_example():
    from nanograph.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"run", "generate", "solve", "draw", "reproduce"} <= set(commands)
    for name, sub in commands.items():
        assert sub.epilog and sub.epilog.startswith(f"example: nanograph {name}"), name


def test_reproduce_unknown_name_is_one_line_error(capsys):
    assert main(["reproduce", "no-such-experiment"]) == 2
    err = capsys.readouterr().err
    assert "unknown experiment 'no-such-experiment'" in err and "Traceback" not in err


def test_json_output_is_valid_json_with_null_for_non_finite(capsys):
    from nanograph.cli._common import print_json

    print_json({"mean_gR": np.float64("nan"), "g": [1.0, float("inf")], "n": np.int64(3), "ok": True})
    assert json.loads(capsys.readouterr().out) == {"mean_gR": None, "g": [1.0, None], "n": 3, "ok": True}


def test_unwritable_output_is_a_one_line_error(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("")
    assert main(["generate", "--density", "2", "--box", "3", "-o", str(tmp_path / "missing" / "x.npz")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nanograph generate: error:") and err.count("\n") == 1 and "missing" in err
    assert main(["run", "--density", "2", "--box", "3", "--out", str(afile / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nanograph run: error:") and err.count("\n") == 1


def test_draw_refuses_unknown_image_suffix_before_work(tmp_path, capsys):
    sticks = tmp_path / "s.npz"
    assert main(["generate", "--density", "2", "--box", "3", "--seed", "1", "-o", str(sticks)]) == 0
    capsys.readouterr()
    assert main(["draw", str(sticks), "-o", str(tmp_path / "net.xyz")]) == 2
    err = capsys.readouterr().err
    assert "-o/--output" in err and ".png" in err and err.count("\n") == 1
    assert not (tmp_path / "net.xyz").exists()


def test_warnings_are_one_line(tmp_path, capsys, monkeypatch):
    sticks = tmp_path / "s.npz"
    assert main(["generate", "--density", "5", "--box", "4", "--seed", "1", "-o", str(sticks)]) == 0
    capsys.readouterr()
    # --rj 1e9 once warned (12.6 decades of edge conductance); the stiff segments are now contracted: no warning.
    assert main(["solve", str(sticks), "--rj", "1e9"]) == 0
    assert capsys.readouterr().err == ""

    import nanograph.cli.network as network_commands

    def warns(args):
        import warnings

        warnings.warn("a warning\nspread over lines", RuntimeWarning, stacklevel=1)
        return 0

    monkeypatch.setattr(network_commands, "_cmd_solve", warns)
    assert main(["solve", str(sticks)]) == 0
    err = capsys.readouterr().err
    assert err == "nanograph solve: warning: a warning spread over lines\n"


def test_run_seamless_shows_wire_node_as_not_applicable(tmp_path, capsys):
    assert main(["run", "--density", "6", "--box", "4", "--rj", "0", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "n/a: wire-node:" in out and "--re > 0" in out
    wire, junction = json.loads((tmp_path / "summary.json").read_text())["results"]
    assert "skipped" in wire and junction["conductance"] > 0
    assert main(["run", "--density", "6", "--box", "4", "--rj", "0", "--rw", "0", "--out", str(tmp_path)]) == 2
    assert "--rj" in capsys.readouterr().err


def test_reproduce_help_example_names_a_registered_experiment():
    from nanograph.cli import build_parser
    from nanograph.reproduce import experiments

    epilog = build_parser()._subparsers._group_actions[0].choices["reproduce"].epilog
    name = epilog.split("nanograph reproduce ")[1].split()[0]
    assert name in experiments()


def _write_csv(path, rows):
    path.write_text("x0,y0,x1,y1\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    return path


def test_solve_json_carries_accuracy(tmp_path, capsys):
    csv = _write_csv(tmp_path / "s.csv", [[-0.5, 0.5, 1.5, 0.5], [0.5, -0.2, 0.5, 1.2]])
    assert main(["solve", str(csv), "--box", "1", "--rw", "1e-14", "--json"]) == 0  # stiff: contracted
    record = json.loads(capsys.readouterr().out)
    assert 0 <= record["accuracy"] < 1e-6
    assert record["resistance"] == pytest.approx(2.0, rel=1e-12)  # re + re, the wire resistance vanishes


def test_inaccurate_solve_exits_1_with_one_line(tmp_path, capsys):
    # A stick joining both bus bars through 1e-15 ohm pieces beside a 1 ohm junction path: the stiff edges
    # cannot be contracted (they would short the electrodes), so no number is presented.
    csv = _write_csv(tmp_path / "s.csv", [[-0.5, 0.5, 1.5, 0.5], [0.5, -0.2, 0.5, 1.2]])
    assert main(["solve", str(csv), "--box", "1", "--rw", "1e-15", "--re", "1e-15", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("nanograph solve: error: the conductance is accurate to only")
    assert captured.err.count("\n") == 1


@pytest.mark.parametrize("periodic", [[], ["--periodic-x"], ["--periodic-y"], ["--periodic-x", "--periodic-y"]])
@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
def test_solve_junction_free_file_gives_zero(tmp_path, capsys, periodic, form):
    csv = _write_csv(tmp_path / "s.csv", [[0.2, 0.2, 0.8, 0.2], [0.2, 0.6, 0.8, 0.6]])
    assert main(["solve", str(csv), "--box", "1", "--form", form, *periodic, "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["percolates"] is False and record["conductance"] == 0.0 and record["resistance"] is None
