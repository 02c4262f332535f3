import numpy as np
import pytest
from conftest import random_sticks
from hypothesis import given
from hypothesis import strategies as st

from nanograph import InvalidInputError, Sticks, build_network, junction_node_network, solve_network, wire_node_network
from nanograph.analysis.backbone import Role, current_backbone, find_backbone
from nanograph.graphs.network import EdgeKind

B, D, I = Role.BACKBONE, Role.DEAD_END, Role.ISOLATED  # noqa: E741

# A: across the unit box at y = 0.5 (bar contacts at arc 0.1 and 1.1, length 1.2).
ACROSS = [-0.1, 0.5, 1.1, 0.5]


def test_stick_hanging_off_the_backbone():
    s = Sticks([ACROSS, [0.5, 0.3, 0.5, 0.9]], box=1)  # the hanger meets A at arc 0.6, its own arc 0.2
    for net in (junction_node_network(s), wire_node_network(s)):
        bb = find_backbone(net, s)
        assert bb.percolates
        assert bb.stick_role.tolist() == [B, D]
        assert bb.counts()["sticks"] == {"backbone": 1, "dead_end": 1, "isolated": 0}
    bb = find_backbone(junction_node_network(s), s)
    # Backbone wire: A between its bar contacts (length 1); dead: A's two 0.1 ends and the whole hanger 0.6.
    assert bb.lengths["backbone"] == pytest.approx(1.0)
    assert bb.lengths["dead_end"] == pytest.approx(0.2 + 0.6)
    assert bb.lengths["isolated"] == 0
    junction = bb.network.edge_kind == EdgeKind.JUNCTION
    assert bb.edge_role[junction].tolist() == [D]
    assert bb.counts()["edges"] == {"backbone": 4, "dead_end": 1, "isolated": 0}  # 2 segments + 2 bar contacts


def test_loop_attached_at_one_node_is_a_dead_end():
    # B meets A once; B, C, E form a triangle away from A: the loop hangs on the single junction A-B.
    sticks = Sticks([ACROSS, [0.3, 0.4, 0.3, 0.9], [0.2, 0.8, 0.7, 0.8], [0.25, 0.6, 0.6, 0.95]], box=1)
    for net in (junction_node_network(sticks), wire_node_network(sticks)):
        bb = find_backbone(net, sticks)
        assert bb.stick_role.tolist() == [B, D, D, D]
        sol = solve_network(net)
        assert np.all(np.abs(sol.currents[bb.edge_role != B]) < 1e-12)


def test_loop_through_two_contacts_is_backbone_only_with_wire_resistance():
    # B and C both cross A (at x = 0.3 and 0.7) and each other above it: in the junction-node form they
    # bypass A's segment 0.3..0.7 (current flows); in the wire-node form A is one node and the triangle
    # A-B-C hangs on it (no current).
    sticks = Sticks([ACROSS, [0.3, 0.4, 0.6, 0.9], [0.7, 0.4, 0.4, 0.9]], box=1)
    jn = find_backbone(junction_node_network(sticks), sticks)
    wn = find_backbone(wire_node_network(sticks), sticks)
    assert jn.stick_role.tolist() == [B, B, B]
    assert wn.stick_role.tolist() == [B, D, D]
    for bb in (jn, wn):
        sol = solve_network(bb.network)
        assert np.array_equal(current_backbone(sol, 1e-9), bb.backbone_edges)


def test_two_clusters_one_spanning():
    sticks = Sticks([ACROSS, [0.5, 0.3, 0.5, 0.9], [0.1, 0.1, 0.4, 0.1], [0.2, 0.0, 0.3, 0.2]], box=1)
    bb = find_backbone(junction_node_network(sticks), sticks)
    assert bb.stick_role.tolist() == [B, D, I, I]
    assert bb.lengths["isolated"] == pytest.approx(sticks.lengths[2:].sum())
    assert sum(bb.lengths.values()) == pytest.approx(sticks.lengths.sum())
    assert bb.fractions()["sticks"]["isolated"] == 0.5


def test_not_percolating_everything_isolated():
    sticks = Sticks([[-0.1, 0.5, 0.4, 0.5], [0.6, 0.5, 1.1, 0.5]], box=1)
    bb = find_backbone(junction_node_network(sticks), sticks)
    assert not bb.percolates
    assert set(bb.stick_role.tolist()) == {I} and set(bb.edge_role.tolist()) == {I}
    assert solve_network(bb.backbone_network).conductance == 0.0
    assert bb.summary()["backbone_length_fraction"] == 0.0


def test_periodic_x_is_refused_clearly():
    net = junction_node_network(random_sticks(1, 30, (3.0, 3.0), periodic=(True, True)))
    with pytest.raises(InvalidInputError, match="bus-bar"):
        find_backbone(net)


def test_sticks_must_match_the_network():
    s = Sticks([ACROSS], box=1)
    with pytest.raises(InvalidInputError, match="sticks"):
        find_backbone(junction_node_network(s), Sticks([ACROSS, ACROSS], box=1))


# --- random networks: against networkx blocks, against solved currents, conductance -----------------


def _networkx_backbone(net) -> np.ndarray:
    import networkx as nx

    proper = (net.edge_conductance > 0) & (net.edges[:, 0] != net.edges[:, 1])
    graph = nx.Graph()
    graph.add_nodes_from(range(net.n_nodes))
    graph.add_edges_from(map(tuple, net.edges[proper].tolist()))
    left, right = (int(v) for v in net.electrodes)
    graph.add_edge(left, right)
    for block in nx.biconnected_component_edges(graph):
        pairs = {frozenset(e) for e in block}
        if frozenset((left, right)) in pairs:
            return proper & np.array([frozenset(e) in pairs for e in net.edges.tolist()])
    return np.zeros(net.n_edges, dtype=bool)


@given(seed=st.integers(0, 10_000), density=st.floats(3.0, 12.0), side=st.floats(2.0, 5.0), form=st.sampled_from(
    ["wire-node", "junction-node"]), periodic_y=st.booleans())  # fmt: skip
def test_backbone_is_the_block_of_the_electrodes(seed, density, side, form, periodic_y):
    n = int(density * side * side)
    sticks = random_sticks(seed, n, (side, side), periodic=(False, periodic_y))
    net = build_network(sticks, form)
    bb = find_backbone(net, sticks)
    assert np.array_equal(bb.backbone_edges, _networkx_backbone(net))
    assert sum(bb.lengths.values()) == pytest.approx(sticks.lengths.sum())


@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
@pytest.mark.parametrize("seed", range(6))
def test_topological_and_current_backbones_agree(form, seed):
    sticks = random_sticks(seed, 260, (5.0, 5.0), periodic=(False, True))
    net = build_network(sticks, form, rw=1.0, rj=1.0)
    # Generic conductances: no balanced bridge, so the current-carrying set is exactly the backbone.
    rng = np.random.default_rng(seed)
    generic = net.replace(edge_conductance=net.edge_conductance * rng.uniform(0.5, 2.0, net.n_edges))
    bb = find_backbone(generic, sticks)
    sol = solve_network(generic)
    assert bb.percolates == sol.percolates
    assert np.array_equal(current_backbone(sol, 1e-9), bb.backbone_edges)
    # Equal resistances: currents never leave the backbone; zero-current backbone edges are balanced bridges.
    bb, sol = find_backbone(net, sticks), solve_network(net)
    carrying = current_backbone(sol, 1e-9)
    assert not np.any(carrying & ~bb.backbone_edges)
    assert np.all(np.abs(sol.currents[bb.backbone_edges & ~carrying]) < 1e-9 * sol.current)


@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
def test_backbone_alone_has_the_whole_conductance(form):
    sticks = random_sticks(7, 300, (6.0, 6.0), periodic=(False, True))
    net = build_network(sticks, form, rw=2.0, rj=1.0, re=0.5)
    bb = find_backbone(net, sticks)
    whole, alone = solve_network(net), solve_network(bb.backbone_network)
    assert bb.percolates and whole.percolates
    assert alone.conductance == pytest.approx(whole.conductance, rel=1e-10)
    assert bb.backbone_network.n_edges == int(bb.backbone_edges.sum()) < net.n_edges
    assert np.array_equal(
        bb.backbone_network.electrodes, [bb.backbone_network.n_nodes - 2, bb.backbone_network.n_nodes - 1]
    )


def test_zero_resistances_and_closures():
    sticks = random_sticks(3, 300, (5.0, 5.0), periodic=(False, False))
    seamless = junction_node_network(sticks, rw=1.0, rj=0.0)
    bb = find_backbone(seamless, sticks)
    assert np.array_equal(bb.backbone_edges, _networkx_backbone(seamless))
    assert sum(bb.lengths.values()) == pytest.approx(sticks.lengths.sum())
    # A zero-conductance edge is never backbone.
    net = junction_node_network(sticks)
    g = net.edge_conductance.copy()
    g[0] = 0.0
    bb0 = find_backbone(net.replace(edge_conductance=g), sticks)
    assert bb0.edge_role[0] != Role.BACKBONE


def test_cli_backbone_json(tmp_path, capsys):
    import json

    from nanograph import generate_sticks, save_sticks
    from nanograph.cli import main

    path = tmp_path / "sticks.npz"
    save_sticks(path, generate_sticks(9, box=6, periodic=(False, True), rng=4))
    assert main(["backbone", str(path), "--box", "6", "--periodic", "y", "--json", "--ids"]) == 0
    record = json.loads(capsys.readouterr().out)
    for key in ("backbone_sticks", "backbone_length_fraction", "backbone_conductance", "counts", "fractions",
                "lengths", "length_fractions"):  # fmt: skip
        assert key in record
    assert record["backbone_conductance"] == pytest.approx(record["conductance"], rel=1e-10)
    assert sum(record["counts"]["sticks"].values()) == record["n_sticks"]
    ids = record["backbone_sticks"]
    assert len(ids) == record["n_backbone_sticks"] == record["counts"]["sticks"]["backbone"] > 0
    assert ids == sorted(set(ids)) and 0 <= ids[0] and ids[-1] < record["n_sticks"]
    assert main(["backbone", str(path), "--box", "6", "--form", "wire-node"]) == 0
    assert "backbone" in capsys.readouterr().out
