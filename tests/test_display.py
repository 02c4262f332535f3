"""Notebook display: one-line reprs, HTML summary tables, to_pandas, laplacian(Network), Backbone.summary(ids=)."""

import math

import numpy as np
import pytest

from nanograph import junction_node_network
from nanograph._display import format_value, html_table, periodic_name, summary_repr
from nanograph.analysis.backbone import find_backbone
from nanograph.linalg.foster import foster_check
from nanograph.linalg.laplacian import laplacian
from nanograph.linalg.solve import solve_network
from nanograph.transforms.closure import regular_closure
from tests.conftest import SQRT2, crossing_pair_sticks

RW, RJ, RE = 1.0, 2.0, 0.5
# crossing pair (conftest): L -re- a0 -(1.5 rw)- a1 -rj- b1 -(sqrt2/2 rw)- b0 -re- R, a path of 5 edges
PATH_R = 2 * RE + RW * (1.5 + SQRT2 / 2) + RJ


def _short(obj, *numbers):
    text = repr(obj)
    assert "\n" not in text and len(text) < 400, text
    assert "array" not in text and "[[" not in text, text
    for number in numbers:
        assert number in text, (number, text)
    html = obj._repr_html_()
    assert html.startswith("<table") and html.endswith("</table>") and "array(" not in html
    return text


@pytest.fixture
def pair_network():
    return junction_node_network(crossing_pair_sticks(), rw=RW, rj=RJ, re=RE)


def test_display_helpers():
    assert format_value(1 / 3) == "0.333333" and format_value(True) == "True" and format_value(np.int64(7)) == "7"
    assert format_value((2.0, 1.0)) == "2 x 1" and format_value(math.inf) == "inf"
    assert summary_repr("X", [("a", "line\nbreak")]) == "X(a=line break)"
    assert len(summary_repr("X", [("a", "y" * 50)] * 20)) == 400
    assert "&lt;b&gt;" in html_table("X", [("k", "<b>")])
    assert [periodic_name(p) for p in ((False, False), (True, False), (False, True), (True, True))] == [
        "none", "x", "y", "xy"]  # fmt: skip


def test_sticks_and_network_reprs(pair_network):
    sticks = crossing_pair_sticks()
    _short(sticks, "n_sticks=2", "box=2 x 1", "periodic=none", f"density={sticks.density:.6g}")
    text = _short(pair_network, "form=junction-node", "n_nodes=6", "n_edges=5", "electrodes=2")
    assert "junction 1" in text and "segment 2" in text


def test_solution_repr_carries_the_conductance(pair_network):
    solution = solve_network(pair_network)
    assert solution.resistance == pytest.approx(PATH_R, rel=1e-12)
    _short(solution, f"conductance_S={1 / PATH_R:.6g}", "percolates=True", "n_unknowns=")


def test_backbone_repr_summary_and_table(pair_network):
    bb = find_backbone(pair_network, crossing_pair_sticks())
    _short(bb, "percolates=True", "backbone_sticks=2", "dead_end_sticks=0", "backbone_edges=5")
    assert "backbone_sticks" not in bb.summary()
    assert bb.summary(ids=True)["backbone_sticks"] == [0, 1]
    frame = bb.to_pandas()
    assert list(frame.columns) == ["stick", "role", "length"]
    assert frame["role"].tolist() == ["backbone", "backbone"]
    assert frame["length"].to_numpy() == pytest.approx([2.3, 1.5 * SQRT2], rel=1e-12)


def test_backbone_table_names_dead_ends_and_isolated_sticks():
    from nanograph import Sticks

    # the crossing pair, a stick hanging off A (dead end) and a stick far from both (isolated)
    sticks = Sticks([[-0.5, 0.5, 1.8, 0.5], [1.0, 0.0, 2.5, 1.5], [0.8, 0.2, 0.8, 0.8], [1.2, 0.85, 1.6, 0.95]],
                    box=(2.0, 1.0))  # fmt: skip
    frame = find_backbone(junction_node_network(sticks, rw=RW, rj=RJ, re=RE), sticks).to_pandas()
    assert frame["role"].tolist() == ["backbone", "backbone", "dead_end", "isolated"]


def test_foster_check_per_edge_table(pair_network):
    check = foster_check(pair_network)
    _short(check, "foster_sum=5", "expected_sum=5", "n_edges=5")
    frame = check.to_pandas()
    assert list(frame.columns) == ["edge", "kind", "g", "R", "gR"] and len(frame) == 5
    # a tree: every edge's effective resistance is its own resistance, g R = 1
    assert frame["gR"].to_numpy() == pytest.approx(np.ones(5), rel=1e-12)
    assert frame["R"].to_numpy() == pytest.approx(1 / pair_network.edge_conductance, rel=1e-12)
    assert sorted(frame["kind"].astype(str)) == ["electrode", "electrode", "junction", "segment", "segment"]


def test_closure_repr_and_zero_conductance_edges_in_foster_table(pair_network):
    closure = regular_closure(pair_network)
    _short(closure, "degree=3", f"n_closure_edges={len(closure.closure_edges)}")
    frame = foster_check(closure.network).to_pandas()
    closing = frame[frame["kind"] == "closure"]
    assert len(closing) == len(closure.closure_edges) and closing["R"].isna().all() and (closing["gR"] == 0).all()


def test_film_result_runs_table():
    from nanograph.analysis.film import simulate_film
    from nanograph.model import Film, WirePopulation

    result = simulate_film(Film(WirePopulation(density=8), box=4, junctions=1.0), 2, rng=5, predict=False)
    _short(result, "runs=2", "seed=5", f"n_percolating={result.n_percolating}")
    frame = result.to_pandas()
    assert list(frame.columns)[:3] == ["run", "conductance", "sheet_resistance"] and len(frame) == 2
    assert frame["conductance"].tolist() == [r.conductance for r in result.runs]


def test_sweep_summary_and_store(tmp_path):
    from nanograph.ensemble import ResultsStore, SweepGrid, run_sweep

    grid = SweepGrid.from_mapping({"density": [6], "box": 3, "runs": 2, "seed": 3})
    summary = run_sweep(grid, tmp_path / "s.sqlite", executor="serial")
    _short(summary, "computed=2", "total=2", "errors=0")
    with ResultsStore(tmp_path / "s.sqlite") as store:
        _short(store, "rows=2", "ok=2", "errors=0")
        frame = store.to_pandas()
        assert frame.equals(store.frame()) and len(frame) == 2 and "run" in frame.columns
    assert summary.to_pandas().equals(frame)
    assert "closed" in repr(store)


def test_laplacian_of_a_network_equals_the_array_form(pair_network):
    net = pair_network
    by_arrays = laplacian(net.n_nodes, net.edges, net.edge_conductance)
    assert (laplacian(net) != by_arrays).nnz == 0
    from nanograph import InvalidInputError

    with pytest.raises(InvalidInputError, match="network alone"):
        laplacian(net, net.edges, net.edge_conductance)
    with pytest.raises(InvalidInputError, match="needs edges"):
        laplacian(3)
