"""The canonical arrays and both graph forms, and their igraph / networkx views."""

import math

import numpy as np
import pytest
from conftest import SQRT2, random_sticks

import nanograph as ng
from nanograph import (
    EdgeKind,
    InvalidInputError,
    Network,
    NodeKind,
    Sticks,
    build_network,
    from_igraph,
    from_networkx,
    generate_sticks,
    junction_node_network,
    laplacian,
    to_igraph,
    to_networkx,
    wire_node_network,
)

ARRAYS = ("node_position", "node_kind", "node_stick", "edges", "edge_kind", "edge_conductance", "edge_length",
          "edge_stick", "edge_shift", "electrodes", "stick_end_nodes", "dead_end_lengths")  # fmt: skip


def test_junction_node_structure_of_crossing_pair(crossing_pair):
    net = junction_node_network(crossing_pair, rw=0.3, rj=2.0, re=0.7)
    # Contacts: A @ left bar (arc 0.5), A @ junction (2.0), B @ junction, B @ right bar; then 2 electrodes.
    assert net.n_nodes == 6
    assert net.edge_counts() == {"junction": 1, "segment": 2, "electrode": 2, "closure": 0}
    seg = net.edge_kind == EdgeKind.SEGMENT
    np.testing.assert_allclose(np.sort(net.edge_length[seg]), [SQRT2 / 2, 1.5])
    np.testing.assert_allclose(np.sort(net.edge_conductance[seg]), np.sort(1 / (0.3 * np.array([1.5, SQRT2 / 2]))))
    np.testing.assert_allclose(net.dead_end_lengths, [[0.5, 0.3], [SQRT2 / 2, SQRT2 / 2]])
    assert net.node_kind[net.electrodes].tolist() == [NodeKind.ELECTRODE] * 2
    np.testing.assert_allclose(net.node_position[1], [1.5, 0.5])


def test_seamless_nodes_have_degree_four_in_the_bulk():
    s = generate_sticks(20.0, box=6, periodic=True, rng=3)
    net = junction_node_network(s, rw=1.0, rj=0.0)
    # Every merged contact joins two sticks: 4 segment ends, one fewer for each stick it ends.
    ends = np.bincount(net.stick_end_nodes[net.stick_end_nodes >= 0].ravel(), minlength=net.n_nodes)
    np.testing.assert_array_equal(net.degree, 4 - ends)
    assert np.mean(net.degree == 4) > 0.5
    assert net.n_nodes == len(__import__("nanograph").find_contacts(s))


def test_wire_node_edges_and_conductances(ladder):
    net = wire_node_network(ladder, rj=2.0, re=0.5)
    assert net.n_nodes == 6
    assert net.edge_counts()["junction"] == 4 and net.edge_counts()["electrode"] == 3
    np.testing.assert_allclose(net.edge_conductance[net.edge_kind == EdgeKind.JUNCTION], 0.5)
    np.testing.assert_allclose(net.edge_conductance[net.edge_kind == EdgeKind.ELECTRODE], 2.0)


def test_forms_share_contacts():
    s = generate_sticks(10.0, box=5, rng=2)
    wn, jn = build_network(s, "wire-node"), build_network(s, "junction-node")
    assert wn.edge_counts()["junction"] == jn.edge_counts()["junction"]
    assert wn.edge_counts()["electrode"] == jn.edge_counts()["electrode"]
    # Segments per stick = contacts - 1 for every stick with a contact.
    k = np.bincount(jn.node_stick[jn.node_kind == NodeKind.CONTACT], minlength=len(s))
    electrode_contacts = np.bincount(jn.edge_stick[jn.edge_kind == EdgeKind.ELECTRODE, 0], minlength=len(s))
    np.testing.assert_array_equal(k, ng.find_contacts(s).contacts_per_stick(len(s)) + electrode_contacts)
    assert jn.edge_counts()["segment"] == int(np.sum(np.maximum(k - 1, 0)))
    with pytest.raises(InvalidInputError, match="form"):
        build_network(s, "node-junction")


def test_dead_end_lengths_add_up():
    s = generate_sticks(8.0, box=6, rng=4)
    net = junction_node_network(s)
    used = np.bincount(net.edge_stick[net.edge_kind == EdgeKind.SEGMENT, 0],
                       weights=net.edge_length[net.edge_kind == EdgeKind.SEGMENT], minlength=len(s))  # fmt: skip
    has = ~np.isnan(net.dead_end_lengths[:, 0])
    np.testing.assert_allclose(used[has] + net.dead_end_lengths[has].sum(axis=1), s.lengths[has])
    assert np.all(net.stick_end_nodes[~has] == -1)


@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
@pytest.mark.parametrize("periodic", [(False, False), (False, True), (True, True)])
def test_graph_views_round_trip(form, periodic):
    s = random_sticks(5, 150, (5.0, 4.0), periodic=periodic)
    net = build_network(s, form, rw=0.5, rj=2.0)
    for to, back in ((to_igraph, from_igraph), (to_networkx, from_networkx)):
        again = back(to(net))
        for name in ARRAYS:
            a, b = getattr(net, name), getattr(again, name)
            assert (a is None and b is None) or np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
        assert again.box == net.box and again.periodic == net.periodic and again.form == net.form


def test_graph_views_keep_parallel_edges_and_attributes():
    s = Sticks([[0.2, 0.5, 1.8, 1.5], [1.0, 1.5, 2.6, 0.5]], box=2, periodic=True)  # two junctions, one pair
    net = wire_node_network(s, rj=4.0)
    g = to_igraph(net)
    assert g.ecount() == 2 and g.is_multiple().count(True) == 1
    assert g.es["conductance"] == [0.25, 0.25] and sorted(zip(g.es["shift_x"], g.es["shift_y"], strict=True)) == [(-1, 0), (0, 0)]
    nx_graph = to_networkx(net)
    assert nx_graph.number_of_edges(0, 1) == 2
    assert nx_graph.nodes[0]["kind"] == "wire"
    e = next(iter(nx_graph.edges(data=True)))[2]
    assert set(e) >= {"kind", "conductance", "length", "stick_i", "stick_j"}


def test_laplacian_matches_networkx():
    import networkx as nx

    net = junction_node_network(generate_sticks(6.0, box=4, rng=1))
    g = nx.Graph()
    g.add_nodes_from(range(net.n_nodes))
    for (a, b), w in zip(net.edges.tolist(), net.edge_conductance, strict=False):
        if a != b:
            old = g.get_edge_data(a, b, {"weight": 0.0})["weight"]
            g.add_edge(a, b, weight=old + w)
    expected = nx.laplacian_matrix(g, nodelist=range(net.n_nodes), weight="weight").toarray()
    np.testing.assert_allclose(laplacian(net.n_nodes, net.edges, net.edge_conductance).toarray(), expected, atol=1e-9)


def test_network_validation():
    net = junction_node_network(generate_sticks(4.0, box=3, rng=0))
    with pytest.raises(InvalidInputError, match="conductance"):
        net.replace(edge_conductance=-net.edge_conductance)
    with pytest.raises(InvalidInputError, match="node ids"):
        net.replace(edges=net.edges + net.n_nodes)
    assert isinstance(net.replace(), Network)


def test_periodic_network_has_no_electrodes():
    s = generate_sticks(8.0, box=4, periodic=True, rng=1)
    net = junction_node_network(s)
    assert net.electrodes is None and net.edge_counts()["electrode"] == 0
    assert math.isclose(net.box[0], 4.0)


def test_from_edges_builds_the_wheatstone_bridge_by_hand():
    from nanograph.linalg.resistance import edge_resistances, effective_resistance
    from nanograph.linalg.solve import solve_network

    g = np.array([1.0, 0.5, 0.5, 1.0, 1.0])  # A-C, A-D, C-B, D-B, C-D; A, B, C, D = 0, 1, 2, 3
    bridge = Network.from_edges(4, [[0, 2], [0, 3], [2, 1], [3, 1], [2, 3]], g)
    assert bridge.node_kind.tolist() == [NodeKind.CONTACT] * 4 and bridge.electrodes is None
    np.testing.assert_allclose(effective_resistance(bridge, [0, 1]), [7 / 5])  # by hand: V_C = 4/7, V_D = 3/7
    np.testing.assert_allclose(g * edge_resistances(bridge), [11 / 15, 7 / 15, 7 / 15, 11 / 15, 0.6])
    wired = Network.from_edges(4, [[0, 2], [0, 3], [2, 1], [3, 1], [2, 3]], g, electrodes=(0, 1))
    assert wired.node_kind[[0, 1]].tolist() == [NodeKind.ELECTRODE] * 2
    assert solve_network(wired).conductance == pytest.approx(5 / 7)
    loop = Network.from_edges(2, [[0, 1], [0, 1], [1, 1]], 2.0, edge_kind=EdgeKind.SEGMENT)
    assert loop.edge_conductance.tolist() == [2.0] * 3 and loop.edge_counts()["segment"] == 3
    assert from_networkx(to_networkx(loop)).edges.tolist() == loop.edges.tolist()


@pytest.mark.parametrize(
    "args, kwargs, match",
    [((-1, [], []), {}, "n_nodes"), ((2.0, [], []), {}, "n_nodes"), ((3, [0, 1, 2], 1.0), {}, "edges"),
     ((3, [[0, 1.5]], 1.0), {}, "edges"), ((3, [[0, 3]], 1.0), {}, "node ids"), ((3, [[0, 1]], [1, 2]), {}, "conductance"),
     ((3, [[0, 1]], -1.0), {}, "conductance"), ((3, [[0, 1]], 1.0), {"electrodes": (0, 5)}, "electrodes"),
     ((3, [[0, 1]], 1.0), {"position": np.zeros((2, 2))}, "position")],
)  # fmt: skip
def test_from_edges_bad_input_names_the_parameter(args, kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        Network.from_edges(*args, **kwargs)


def test_graphs_not_made_by_nanograph_are_a_clear_error():
    import igraph
    import networkx as nx

    for graph, convert in ((nx.path_graph(3), from_networkx), (nx.MultiGraph([(0, 1)]), from_networkx),
                           (nx.Graph([("a", "b")]), from_networkx), (igraph.Graph.Ring(4), from_igraph)):  # fmt: skip
        with pytest.raises(InvalidInputError, match=r"graph .*Network\.from_edges"):
            convert(graph)
