"""Current analytics: hand-solved circuits first, then properties (Cohn's sum rule, noise scaling), then the CLI."""

import json
import math

import numpy as np
import pytest
from conftest import SQRT2
from hypothesis import given
from hypothesis import strategies as st

from nanograph.analysis.currents import (
    current_distribution,
    current_flow_betweenness,
    edge_flow,
    edge_geometry,
    hot_spots,
    noise_amplitudes,
    potential_map,
    relative_noise,
    resistance_sensitivity,
    tortuosity,
)
from nanograph.cli import main
from nanograph.errors import InvalidInputError, NotPercolatingError
from nanograph.geometry.io import save_sticks
from nanograph.geometry.sticks import Sticks, generate_sticks
from nanograph.graphs.builders import junction_node_network, wire_node_network
from nanograph.graphs.network import EdgeKind, Network
from nanograph.linalg.solve import solve_network


def series(resistances, voltage=1.0):
    n = len(resistances)
    edges = [[k, k + 1] for k in range(n)]
    net = Network.from_edges(n + 1, edges, 1 / np.asarray(resistances, float), electrodes=(0, n))
    return solve_network(net, voltage=voltage)


def parallel(resistances):
    n = len(resistances)
    net = Network.from_edges(2, [[0, 1]] * n, 1 / np.asarray(resistances, float), electrodes=(0, 1))
    return solve_network(net)


# -- hand-solved circuits ---------------------------------------------------------------------------------
def test_edge_flow_of_two_resistors_in_series():
    flow = edge_flow(series([1.0, 2.0], voltage=3.0))  # I = 1 A
    assert flow.current == pytest.approx([1, 1], abs=1e-12)
    assert flow.drop == pytest.approx([1, 2], abs=1e-12)
    assert flow.power == pytest.approx([1, 2], abs=1e-12)
    assert flow.total_power == pytest.approx(3.0, abs=1e-12) and flow.total_current == pytest.approx(1.0)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_n_equal_resistors_in_series_and_in_parallel_have_noise_s_over_n(n):
    for sol in (series([2.0] * n), parallel([2.0] * n)):
        assert relative_noise(sol, junction=0.6).relative == pytest.approx(0.6 / n, rel=1e-12)
    assert resistance_sensitivity(series([2.0] * n)).values == pytest.approx(np.ones(n), rel=1e-12)
    assert resistance_sensitivity(parallel([2.0] * n)).values == pytest.approx(np.full(n, 1 / n**2), rel=1e-12)


def test_two_different_resistors_in_series_and_in_parallel():
    r1, r2, s1, s2 = 1.0, 3.0, 0.2, 0.5
    amp = np.array([s1, s2])
    expected_series = (r1**2 * s1 + r2**2 * s2) / (r1 + r2) ** 2
    assert relative_noise(series([r1, r2]), amplitude=amp).relative == pytest.approx(expected_series, rel=1e-12)
    g1, g2 = 1 / r1, 1 / r2  # parallel: the dual formula with conductances
    expected_parallel = (g1**2 * s1 + g2**2 * s2) / (g1 + g2) ** 2
    assert relative_noise(parallel([r1, r2]), amplitude=amp).relative == pytest.approx(expected_parallel, rel=1e-12)
    sens = resistance_sensitivity(parallel([r1, r2]))  # dR/dr_1 = (g1/(g1+g2))^2
    assert sens.values == pytest.approx([(g1 / (g1 + g2)) ** 2, (g2 / (g1 + g2)) ** 2], rel=1e-12)
    assert sens.sum_rule == pytest.approx(r1 * r2 / (r1 + r2), rel=1e-12) and sens.residual < 1e-12


def test_balanced_bridge_edge_has_no_sensitivity_and_counts_as_zero_current():
    # A=0, B=1 electrodes; C=2, D=3: A-C 1, C-B 2, A-D 1, D-B 2 and the bridge C-D balanced.
    net = Network.from_edges(4, [[0, 2], [2, 1], [0, 3], [3, 1], [2, 3]], [1, 0.5, 1, 0.5, 1], electrodes=(0, 1))
    sol = solve_network(net)
    assert resistance_sensitivity(sol).values[4] == pytest.approx(0.0, abs=1e-24)
    dist = current_distribution(sol)
    assert dist.n_zero == 1 and dist.values == pytest.approx([0.5] * 4)
    assert dist.survival[-1] == 1.0 and dist.moment(2.0) == pytest.approx(1.0)


def test_single_stick_parts_tortuosity_and_potential_map():
    rw, re, s_wire, s_el = 2.0, 0.25, 0.3, 0.1
    sticks = Sticks([[-0.5, 0.5, 1.5, 0.5]], box=1)
    sol = solve_network(junction_node_network(sticks, rw=rw, re=re))
    r = 2 * re + rw
    noise = relative_noise(sol, junction=5.0, wire=s_wire, electrode=s_el)
    assert noise.parts["junction"] == 0.0
    assert noise.parts["segment"] == pytest.approx(s_wire / 1.0 * (rw / r) ** 2, rel=1e-12)
    assert noise.parts["electrode"] == pytest.approx(2 * s_el * (re / r) ** 2, rel=1e-12)
    assert noise.relative == pytest.approx(sum(noise.parts.values()), rel=1e-14)
    assert tortuosity(sol) == pytest.approx(1.0, rel=1e-12)
    grid = potential_map(sol, bins=(2, 1))  # contact nodes at x = 0 (phi = 1 - re/r) and x = 1 (re/r)
    assert grid.values[0] == pytest.approx([1 - re / r, re / r], rel=1e-12) and grid.counts.tolist() == [[1, 1]]


def test_crossing_pair_tortuosity_is_the_path_length_over_the_box(crossing_pair):
    sol = solve_network(junction_node_network(crossing_pair, rw=0.3, rj=2.0, re=0.7))
    assert tortuosity(sol) == pytest.approx((1.5 + SQRT2 / 2) / 2.0, rel=1e-12)
    mid, length = edge_geometry(sol.network)
    junction = sol.network.edge_kind == EdgeKind.JUNCTION
    assert mid[junction][0] == pytest.approx([1.5, 0.5]) and length[junction] == pytest.approx([0.0], abs=1e-12)
    assert np.all(length[sol.network.edge_kind == EdgeKind.ELECTRODE] == 0)


def test_periodic_x_power_balance_and_full_potential_map():
    sticks = generate_sticks(10, box=6, periodic=(True, True), rng=2)
    sol = solve_network(junction_node_network(sticks))
    flow = edge_flow(sol)
    assert flow.total_power == pytest.approx(sol.current * sol.voltage, rel=1e-10)
    assert resistance_sensitivity(sol).residual < 1e-9 and tortuosity(sol) >= 1.0
    grid = potential_map(sol, (6, 1)).values[0]  # the full potential falls by V across the period
    assert np.all(np.diff(grid) < 0) and grid[0] - grid[-1] == pytest.approx(5 / 6, abs=0.2)


def test_hot_spots_rank_by_power_and_by_current():
    net = Network.from_edges(
        4, [[0, 1], [1, 2], [1, 2], [2, 3]], [1.0, 1.0, 1.0, 1 / 3], position=[[0, 0], [1, 0], [2, 0], [3, 0]],
        electrodes=(0, 3),
    )  # fmt: skip
    sol = solve_network(net)  # R = 1 + 0.5 + 3: the 3-ohm edge dissipates most, the parallel pair least
    top = hot_spots(sol, 2, by="power")
    assert top.edges.tolist() == [3, 0] and top.value == pytest.approx([3 / 4.5, 1 / 4.5])
    assert top.position[0] == pytest.approx([2.5, 0.0])
    by_current = hot_spots(sol, 4, by="current")
    assert by_current.edges.tolist() == [0, 3, 1, 2] and by_current.value == pytest.approx([1, 1, 0.5, 0.5])
    record = hot_spots(sol, 10).records()[0]
    assert record == {"edge": 3, "kind": "junction", "x": 2.5, "y": 0.0, "power": pytest.approx(3 / 4.5)}
    assert len(hot_spots(sol, 0).edges) == 0


def test_noise_amplitudes_follow_hooges_law_for_wire_segments(crossing_pair):
    net = junction_node_network(crossing_pair, rw=1.0, rj=1.0)
    s = noise_amplitudes(net, junction=2.0, wire=0.5, electrode=0.1)
    seg = net.edge_kind == EdgeKind.SEGMENT
    assert s[seg] == pytest.approx(0.5 / net.edge_length[seg])
    assert s[net.edge_kind == EdgeKind.JUNCTION] == pytest.approx([2.0])


# -- betweenness ------------------------------------------------------------------------------------------
def _weighted_graph(seed=0):
    nx = pytest.importorskip("networkx")
    graph = nx.connected_watts_strogatz_graph(12, 4, 0.3, seed=seed)
    edges = np.array(graph.edges())
    w = np.random.default_rng(seed).uniform(0.5, 2.0, len(edges))
    for (u, v), x in zip(edges, w, strict=True):
        graph[u][v]["weight"] = x
    return nx, graph, Network.from_edges(12, edges, w)


def test_all_pairs_betweenness_against_networkx():
    nx, graph, net = _weighted_graph()
    b = current_flow_betweenness(net, batch=7)
    # networkx halves the unnormalised edge sums and leaves out the pairs a node is an end of.
    ref_edge = nx.edge_current_flow_betweenness_centrality(graph, normalized=False, weight="weight")
    ref_edge = np.array([ref_edge.get((u, v), ref_edge.get((v, u))) for u, v in net.edges])
    assert b.edge == pytest.approx(2 * ref_edge, rel=1e-9)
    ref_node = nx.current_flow_betweenness_centrality(graph, normalized=False, weight="weight")
    assert b.node == pytest.approx(np.array([ref_node[v] for v in range(12)]) + 11, rel=1e-9)
    assert b.n_pairs == 66 and b.exact and b.stick is None


def test_path_betweenness_by_hand_and_sampled_pairs_converge():
    net = Network.from_edges(3, [[0, 1], [1, 2]], 1.0)
    b = current_flow_betweenness(net)
    assert b.edge == pytest.approx([2, 2]) and b.node == pytest.approx([2, 3, 2])
    _, _, net = _weighted_graph(1)
    exact = current_flow_betweenness(net)
    sampled = current_flow_betweenness(net, pairs=4000, rng=2, batch=500)
    assert not sampled.exact
    assert sampled.edge == pytest.approx(exact.edge, rel=0.08) and sampled.node == pytest.approx(exact.node, rel=0.05)


def test_electrode_pair_betweenness_is_the_current_share(ladder):
    net = wire_node_network(ladder, rj=1.0)
    b = current_flow_betweenness(net, pairs="electrodes")
    sol = solve_network(net)
    assert b.edge == pytest.approx(np.abs(sol.currents) / sol.current)
    assert b.node[net.electrodes].tolist() == [1.0, 1.0] and b.n_pairs == 1
    assert b.stick[0] == pytest.approx(b.node[0])  # a wire node's throughput is its stick's


# -- properties -------------------------------------------------------------------------------------------
def _random_network(seed, rj, rw, form="junction-node"):
    sticks = generate_sticks(9.0, box=4.0, rng=seed)
    if form == "wire-node":
        return wire_node_network(sticks, rj=rj)
    return junction_node_network(sticks, rw=rw, rj=rj)


@given(seed=st.integers(0, 10_000), rj=st.floats(0.05, 20), rw=st.floats(0.05, 20), c=st.floats(1e-3, 1e3))
def test_cohn_sum_rule_and_noise_scale_invariance(seed, rj, rw, c):
    sol = solve_network(_random_network(seed, rj, rw))
    if not sol.percolates:
        return
    tolerance = max(1e-9, 100 * sol.accuracy)  # short wire segments limit the accuracy (Solution.accuracy)
    sens = resistance_sensitivity(sol)
    assert sens.sum_rule == pytest.approx(sol.resistance, rel=tolerance) and sens.residual < tolerance
    noise = relative_noise(sol, junction=1.0, wire=0.7, electrode=0.2)
    scaled = relative_noise(solve_network(_random_network(seed, c * rj, c * rw)), junction=1.0, wire=0.7, electrode=0.2)
    assert scaled.relative == pytest.approx(noise.relative, rel=10 * tolerance)
    assert noise.relative == pytest.approx(sum(noise.parts.values()), rel=1e-12)
    # noise never exceeds the largest amplitude, and the film averages: below that of one element
    assert 0 < noise.relative <= noise.amplitude.max()
    assert tortuosity(sol) >= 1.0 - 1e-12


@given(seed=st.integers(0, 10_000))
def test_sensitivities_are_finite_difference_derivatives(seed):
    net = _random_network(seed, 1.0, 1.0, form="wire-node")
    sol = solve_network(net)
    if not sol.percolates:
        return
    values = resistance_sensitivity(sol).values
    e = int(np.argmax(values))
    h = 1e-6
    r = 1 / net.edge_conductance
    r[e] += h
    bumped = solve_network(net.replace(edge_conductance=1 / r)).resistance
    assert (bumped - sol.resistance) / h == pytest.approx(values[e], rel=1e-4)


# -- bad input --------------------------------------------------------------------------------------------
def test_bad_inputs_name_the_parameter():
    sol = series([1.0, 1.0])
    with pytest.raises(InvalidInputError, match="^junction must be"):
        relative_noise(sol, junction=-1.0)
    with pytest.raises(InvalidInputError, match="^wire must be"):
        relative_noise(sol, wire=math.nan)
    with pytest.raises(InvalidInputError, match="^amplitude must be"):
        relative_noise(sol, amplitude=[1.0])
    with pytest.raises(InvalidInputError, match="^k must be"):
        hot_spots(sol, -1)
    with pytest.raises(InvalidInputError, match="^quantity must be"):
        current_distribution(sol, quantity="heat")
    with pytest.raises(InvalidInputError, match="^pairs must be"):
        current_flow_betweenness(sol.network, pairs=0)
    with pytest.raises(InvalidInputError, match="^bins must be"):
        potential_map(sol, bins=0)
    open_circuit = Network.from_edges(3, [[0, 1]], 1.0, electrodes=(0, 2))
    with pytest.raises(NotPercolatingError, match="^solution"):
        resistance_sensitivity(solve_network(open_circuit))


# -- command line -----------------------------------------------------------------------------------------
@pytest.fixture
def sticks_file(tmp_path):
    sticks = generate_sticks(12, box=6, rng=4)
    path = tmp_path / "sticks.npz"
    save_sticks(path, sticks)
    return sticks, path


def test_cli_json_keys_and_values(sticks_file, capsys, tmp_path):
    sticks, path = sticks_file
    grid = tmp_path / "phi.npz"
    argv = ["currents", str(path), "--box", "6", "--rj", "2", "--rw", "1", "--noise-junction", "1",
            "--noise-wire", "0", "--top", "3", "--json", "--potential-map", str(grid), "--grid", "12", "6"]  # fmt: skip
    assert main(argv) == 0
    record = json.loads(capsys.readouterr().out)
    for key in (
        "nanograph_version",
        "resistance_ohm",
        "sum_r_sensitivity",
        "noise_relative",
        "top_edges",
        "tortuosity",
    ):
        assert key in record
    sol = solve_network(junction_node_network(sticks, rw=1.0, rj=2.0))
    assert record["resistance_ohm"] == pytest.approx(sol.resistance, rel=1e-12)
    assert record["sum_r_sensitivity"] == pytest.approx(sol.resistance, rel=1e-9)
    assert record["noise_relative"] == pytest.approx(relative_noise(sol).relative, rel=1e-12)
    assert record["noise_wire_part"] == 0.0 and len(record["top_edges"]) == 3
    assert np.load(grid)["potential"].shape == (6, 12)


def test_cli_errors(sticks_file, capsys, tmp_path):
    _, path = sticks_file
    assert main(["currents", str(path), "--noise-junction", "-1"]) == 2
    assert "--noise-junction must be" in capsys.readouterr().err
    empty = tmp_path / "empty.npz"
    save_sticks(empty, Sticks([[1.0, 1.0, 1.5, 1.0]], box=6))
    assert main(["currents", str(empty)]) == 1
    assert "does not percolate" in capsys.readouterr().err
    assert main(["currents", str(path), "--top", "2"]) == 0
    assert "top edges by power" in capsys.readouterr().out


def test_cli_quiet_prints_nothing(sticks_file, capsys):
    _, path = sticks_file
    for argv in (["currents", str(path)], ["failure", str(path), "--steps", "2", "--seed", "1"],
                 ["spanning-trees", str(path), "--spanning-trees", "5", "--seed", "1"]):  # fmt: skip
        assert main([*argv, "--quiet"]) == 0
        assert capsys.readouterr().out == ""
