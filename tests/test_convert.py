"""igraph / networkx views of a Network and networks from any graph (nanograph.graphs.convert)."""

import io

import igraph
import networkx as nx
import numpy as np
import pytest
from conftest import random_sticks
from hypothesis import given
from hypothesis import strategies as st

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks
from nanograph.graphs.builders import build_network, wire_node_network
from nanograph.graphs.convert import edge_table, from_igraph, from_networkx, node_table, to_igraph, to_networkx
from nanograph.graphs.network import Network, NodeKind
from nanograph.linalg.foster import foster_check
from nanograph.linalg.resistance import effective_resistance
from nanograph.linalg.solve import solve_network

ARRAYS = ("node_position", "node_kind", "node_stick", "edges", "edge_kind", "edge_conductance", "edge_length",
          "edge_stick", "edge_shift", "electrodes", "stick_end_nodes", "dead_end_lengths")  # fmt: skip
SCALARS = (str, int, float, bool)


def assert_same_network(a: Network, b: Network, rtol: float = 0.0) -> None:
    for name in ARRAYS:
        x, y = getattr(a, name), getattr(b, name)
        if x is None or y is None:
            assert x is None and y is None, name
        elif rtol and x.dtype.kind == "f":
            np.testing.assert_allclose(x, y, rtol=rtol, err_msg=name)
        else:
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), name
    assert (a.form, a.box, a.periodic) == (b.form, b.box, b.periodic)


# --- textbook graphs in: Foster on the Petersen graph, the Wheatstone bridge by hand -----------------------


@pytest.mark.parametrize("how", [{"conductance": 1.0}, {"conductance": "weight"}, {"resistance": "r"},
                                 {"resistance": 1}])  # fmt: skip
def test_petersen_graph_foster_sum_is_9_and_every_edge_has_r_three_fifths(how):
    g = nx.petersen_graph()
    nx.set_edge_attributes(g, 1.0, "weight")
    nx.set_edge_attributes(g, 1.0, "r")
    net = from_networkx(g, **how)
    assert (net.n_nodes, net.n_edges, net.form) == (10, 15, "graph")
    check = foster_check(net)
    assert check.foster_sum == pytest.approx(9.0, rel=1e-12)  # |V| - c = 10 - 1
    np.testing.assert_allclose(check.g_r, 3 / 5, rtol=1e-12)  # edge-transitive: 9 shared by 15 edges


def test_petersen_graph_from_igraph():
    check = foster_check(from_igraph(igraph.Graph.Famous("Petersen"), conductance=1.0))
    assert check.foster_sum == pytest.approx(9.0, rel=1e-12)
    np.testing.assert_allclose(check.g_r, 3 / 5, rtol=1e-12)


def wheatstone_bridge() -> nx.Graph:
    """A-C 1 S, A-D 0.5 S, C-B 0.5 S, D-B 1 S, C-D 1 S: by hand V_C = 4/7, V_D = 3/7, G_AB = 5/7 S."""
    g = nx.Graph()
    for u, v, r in [("A", "C", 1.0), ("A", "D", 2.0), ("C", "B", 2.0), ("D", "B", 1.0), ("C", "D", 1.0)]:
        g.add_edge(u, v, ohm=r)
    return g


def test_wheatstone_bridge_by_resistance_attribute_and_named_electrodes():
    g = wheatstone_bridge()
    net = from_networkx(g, resistance="ohm", electrodes=("A", "B"))
    order = list(g)  # node i of the network is the i-th node of the graph
    a, b = order.index("A"), order.index("B")
    assert net.electrodes.tolist() == [a, b] and net.node_kind[[a, b]].tolist() == [NodeKind.ELECTRODE] * 2
    solution = solve_network(net)
    assert solution.conductance == pytest.approx(5 / 7, rel=1e-12)
    np.testing.assert_allclose(solution.potentials[[order.index("C"), order.index("D")]], [4 / 7, 3 / 7])
    np.testing.assert_allclose(effective_resistance(net, [a, b]), [7 / 5])


def test_multigraph_parallel_edges_add_and_directed_edges_count_once():
    m = nx.MultiDiGraph([(0, 1, {"g": 1.0}), (0, 1, {"g": 2.0}), (1, 0, {"g": 3.0})])
    net = from_networkx(m, conductance="g", electrodes=(0, 1))
    assert net.n_edges == 3 and solve_network(net).conductance == pytest.approx(6.0)


def test_positions_come_from_pos_or_x_y():
    g = nx.path_graph(3)
    nx.set_node_attributes(g, {0: (0.0, 1.0), 1: (2.0, 3.0), 2: (4.0, 5.0)}, "pos")
    assert from_networkx(g, conductance=1).node_position.tolist() == [[0, 1], [2, 3], [4, 5]]
    h = igraph.Graph.Ring(3)
    h.vs["x"], h.vs["y"] = [1.0, 2.0, 3.0], [0.0, 0.0, 1.0]
    assert from_igraph(h, conductance=1).node_position[:, 0].tolist() == [1, 2, 3]


def test_igraph_electrodes_by_vertex_name():
    h = igraph.Graph.Ring(4)
    h.vs["name"] = ["a", "b", "c", "d"]
    h.es["R"] = [1.0, 1.0, 1.0, 1.0]
    net = from_igraph(h, resistance="R", electrodes=("a", "c"))
    assert net.electrodes.tolist() == [0, 2] and solve_network(net).conductance == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [({}, r"graph .*conductance=.*Network\.from_edges"), ({"conductance": 1, "resistance": 1}, "one of"),
     ({"conductance": "missing"}, "conductance: some edges lack the attribute 'missing'"),
     ({"resistance": "label"}, "resistance: the attribute 'label' must hold numbers"),
     ({"resistance": 0.0}, "resistance must be positive"), ({"conductance": -1.0}, "conductance"),
     ({"conductance": True}, "conductance must be"), ({"conductance": 1, "electrodes": (0, 9)}, "electrodes"),
     ({"conductance": 1, "electrodes": (0,)}, "electrodes"), ({"electrodes": (0, 1)}, "electrodes needs")],
)  # fmt: skip
def test_foreign_graph_errors_name_the_parameter(kwargs, match):
    g = nx.path_graph(3)
    nx.set_edge_attributes(g, "x", "label")
    with pytest.raises(InvalidInputError, match=match):
        from_networkx(g, **kwargs)


def test_foreign_igraph_errors_name_the_parameter():
    with pytest.raises(InvalidInputError, match=r"graph .*Network\.from_edges"):
        from_igraph(igraph.Graph.Ring(4))
    with pytest.raises(InvalidInputError, match="weight"):
        from_igraph(igraph.Graph.Ring(4), conductance="weight")
    with pytest.raises(InvalidInputError, match="electrodes"):
        from_igraph(igraph.Graph.Ring(4), conductance=1.0, electrodes=(0, 4))


# --- nanograph networks out: plain attributes, electrode flags, solutions -----------------------------------


@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
def test_views_hold_only_scalar_attributes_and_flag_electrodes(form):
    net = build_network(random_sticks(3, 60, (4.0, 3.0), periodic=(False, True)), form, rw=0.5, rj=2.0)
    g = to_networkx(net)
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, SCALARS) for v in data.values())
    for *_, data in g.edges(keys=True, data=True):
        assert all(isinstance(v, SCALARS) for v in data.values())
    assert all(isinstance(v, SCALARS) for v in g.graph.values())
    flagged = [n for n, bar in g.nodes(data="electrode") if bar]
    assert flagged == net.electrodes.tolist() == [i for i, bar in enumerate(to_igraph(net).vs["electrode"]) if bar]
    # centralities without the bus bars: drop the flagged nodes
    inner = g.subgraph(n for n, bar in g.nodes(data="electrode") if not bar)
    assert inner.number_of_nodes() == net.n_nodes - 2


def test_views_carry_potential_and_current_of_a_solution(crossing_pair):
    net = wire_node_network(crossing_pair, rj=1.0)  # bar - A - B - bar, three 1-ohm contacts in series
    solution = solve_network(net)
    g, h = to_networkx(net, solution), to_igraph(net, solution)
    np.testing.assert_allclose([g.nodes[i]["potential"] for i in range(net.n_nodes)], solution.potentials)
    np.testing.assert_allclose(h.es["current"], solution.currents)
    np.testing.assert_allclose(np.abs(h.es["current"]), 1 / 3)
    with pytest.raises(InvalidInputError, match="solution"):
        to_networkx(wire_node_network(Sticks([[0.2, 0.2, 0.4, 0.4]], box=(2, 1))), solution)


def test_tables_match_the_arrays():
    net = wire_node_network(Sticks([[0.2, 0.5, 1.8, 1.5], [1.0, 1.5, 2.6, 0.5]], box=2, periodic=True), rj=4.0)
    nodes, edges = node_table(net), edge_table(net)
    assert nodes["node_id"] == [0, 1] and nodes["kind"] == ["wire", "wire"] and nodes["electrode"] == [False] * 2
    shifts = sorted(zip(edges["shift_x"], edges["shift_y"], strict=True))
    assert edges["conductance"] == [0.25, 0.25] and shifts == [(-1, 0), (0, 0)]


# --- round trips: views, and files written and read back by networkx and igraph -----------------------------


@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
@pytest.mark.parametrize("periodic", [(False, False), (True, True)])
def test_views_round_trip_through_graphml_and_gml(form, periodic, tmp_path):
    net = build_network(random_sticks(5, 80, (4.0, 3.0), periodic=periodic), form, rw=0.5, rj=2.0)
    assert_same_network(from_networkx(to_networkx(net)), net)
    assert_same_network(from_igraph(to_igraph(net)), net)
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(net), buffer)
    buffer.seek(0)
    assert_same_network(from_networkx(nx.read_graphml(buffer, force_multigraph=True)), net)
    text = "\n".join(nx.generate_gml(to_networkx(net)))
    assert_same_network(from_networkx(nx.parse_gml(text)), net)
    nx.write_graphml(to_networkx(net), tmp_path / "net.graphml")
    assert_same_network(from_igraph(igraph.Graph.Read_GraphML(str(tmp_path / "net.graphml"))), net)


def test_igraph_view_written_by_igraph_reads_back(tmp_path):
    net = build_network(random_sticks(1, 50, (3.0, 3.0), periodic=(True, True)), "wire-node", rj=3.0)
    to_igraph(net).write_graphml(str(tmp_path / "net.graphml"))  # igraph writes 15 significant digits
    back = nx.read_graphml(tmp_path / "net.graphml", force_multigraph=True)
    assert_same_network(from_networkx(back), net, rtol=1e-14)
    assert_same_network(from_igraph(igraph.Graph.Read_GraphML(str(tmp_path / "net.graphml"))), net, rtol=1e-14)


def test_a_file_read_as_a_simple_graph_is_refused():
    net = wire_node_network(Sticks([[0.2, 0.5, 1.8, 1.5], [1.0, 1.5, 2.6, 0.5]], box=2, periodic=True))
    g = nx.Graph(to_networkx(net))  # the two parallel junctions collapse into one edge
    with pytest.raises(InvalidInputError, match="multigraph"):
        from_networkx(g)


@given(n=st.integers(1, 6), pairs=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=12),
       g=st.floats(0.0, 1e6))  # fmt: skip
def test_any_multigraph_round_trips_through_graphml(n, pairs, g):
    pairs = [(a % n, b % n) for a, b in pairs]
    net = Network.from_edges(n, np.array(pairs, dtype=int).reshape(-1, 2), g, electrodes=(0, n - 1) if n > 1 else None)
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(net), buffer)
    buffer.seek(0)
    back = nx.read_graphml(buffer, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (net.n_nodes, net.n_edges)
    assert_same_network(from_networkx(back), net)
