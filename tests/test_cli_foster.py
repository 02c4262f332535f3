"""The ``nanograph foster`` command: JSON contract, closure choice, errors."""

import json

import pytest

from nanograph.cli import main
from nanograph.geometry.io import save_sticks
from nanograph.geometry.sticks import generate_sticks
from nanograph.graphs.builders import junction_node_network
from nanograph.linalg.solve import solve_network

KEYS = {"foster_sum", "n_nodes", "n_components", "relative_residual", "degrees", "conductance", "mean_gR",
        "mean_gR_by_kind"}  # fmt: skip


@pytest.fixture
def sticks_file(tmp_path):
    sticks = generate_sticks(12, box=6, periodic=(False, True), rng=4)
    path = tmp_path / "sticks.npz"
    save_sticks(path, sticks)
    return sticks, path


def _run(capsys, *argv):
    assert main(["foster", *map(str, argv), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_three_regular_closure_json(sticks_file, capsys):
    sticks, path = sticks_file
    record = _run(capsys, path, "--periodic-y", "--rj", 2, "--rw", 1, "--closure", 3)
    assert KEYS <= set(record)
    assert record["degrees"] == [3] and record["regular_mean"] == pytest.approx(2 / 3)
    assert record["foster_sum"] == pytest.approx(record["n_nodes"] - record["n_components"], rel=1e-9)
    assert record["relative_residual"] < 1e-9
    assert record["mean_gR_by_kind"]["closure"] == 0.0
    direct = solve_network(junction_node_network(sticks, rw=1.0, rj=2.0)).conductance
    assert record["conductance"] == pytest.approx(direct, rel=1e-12)  # the closure changes nothing


def test_seamless_closure_reports_bus_bar_contacts(sticks_file, capsys):
    _, path = sticks_file
    regular = _run(capsys, path, "--periodic-y", "--rj", 0, "--re", 0, "--closure", 4)
    assert regular["degrees"] == [4] and regular["n_irregular_nodes"] == 0
    with_re = _run(capsys, path, "--periodic-y", "--rj", 0, "--re", 1, "--closure", 4)
    assert with_re["degrees"] == [3, 4] and with_re["n_irregular_nodes"] > 0
    assert with_re["regular_mean"] is None


def test_open_network_and_table(sticks_file, capsys):
    _, path = sticks_file
    record = _run(capsys, path, "--periodic-y", "--closure", "none")
    assert "closure" not in record["mean_gR_by_kind"] and record["relative_residual"] < 1e-9
    assert main(["foster", str(path), "--periodic-y", "--closure", "3"]) == 0
    assert "relative residual" in capsys.readouterr().out


@pytest.mark.parametrize(("rj", "closure", "message"), [(1, "4", "needs --rj 0"), (0, "3", "--rj > 0")])
def test_closure_and_rj_must_agree(sticks_file, capsys, rj, closure, message):
    _, path = sticks_file
    assert main(["foster", str(path), "--rj", str(rj), "--closure", closure]) == 2
    assert message in capsys.readouterr().err


def test_empty_network_json_is_valid_with_null_mean(tmp_path, capsys):
    import numpy as np

    from nanograph.geometry.sticks import Sticks

    path = save_sticks(tmp_path / "empty.npz", Sticks(np.zeros((0, 4)), box=8))
    assert main(["foster", str(path), "--closure", "3", "--json"]) == 0
    text = capsys.readouterr().out
    assert "NaN" not in text and json.loads(text)["mean_gR"] is None
    assert main(["foster", str(path), "--closure", "3"]) == 0
    assert "n/a (no edges)" in capsys.readouterr().out


def test_spanning_trees_keys(tmp_path, capsys):
    # small, and rw such that wire segments and junctions have similar conductances: Wilson's walks stay short
    path = tmp_path / "small.npz"
    save_sticks(path, generate_sticks(5, box=3, periodic=(False, True), rng=4))
    argv = (path, "--periodic-y", "--rj", 1, "--rw", 10, "--spanning-trees", 200, "--seed", 5)
    record = _run(capsys, *argv)
    assert record["seed"] == 5 and record["n_trees"] == 200
    assert record["tree_edges_mean"] == record["expected_tree_edges"] == record["n_nodes"] - record["n_components"]
    assert record["tree_edges_err"] == 0.0  # every spanning forest has |V| - c edges
    assert 0 < record["edge_probability_max_z"] < 6
    assert _run(capsys, *argv)["edge_probability_max_z"] == record["edge_probability_max_z"]  # the seed repeats
    assert "tree_edges_mean" not in _run(capsys, path, "--periodic-y", "--rw", 10)


def test_spanning_trees_must_be_positive(sticks_file, capsys):
    _, path = sticks_file
    assert main(["foster", str(path), "--spanning-trees", "0"]) == 2
    assert "--spanning-trees must be a positive integer" in capsys.readouterr().err
