"""Topology of stick networks: hand-solved graphs, then networkx and igraph on small random networks."""

import json

import networkx as nx
import numpy as np
import pytest

from nanograph.analysis.topology import (
    TopologyGraph,
    algebraic_connectivity,
    clustering,
    cyclomatic_number,
    degree_histogram,
    diameter_bounds,
    kirchhoff_index,
    network_topology,
    topology_graph,
)
from nanograph.cli import main
from nanograph.errors import InvalidInputError
from nanograph.geometry.io import save_sticks
from nanograph.geometry.sticks import Sticks, generate_sticks
from nanograph.graphs.builders import build_network


def _graph(n, edges, g=None):
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    g = np.ones(len(edges)) if g is None else np.asarray(g, dtype=float)
    return TopologyGraph(n, edges, g, np.arange(n))


def _nx(graph: TopologyGraph) -> nx.Graph:
    out = nx.Graph()
    out.add_nodes_from(range(graph.n_nodes))
    out.add_edges_from(graph.edges.tolist())
    return out


# --- tiny graphs solved by hand ---------------------------------------------------------------------------


def test_path_of_three():
    g = _graph(3, [[0, 1], [1, 2]])
    assert degree_histogram(g).tolist() == [0, 2, 1]
    assert cyclomatic_number(g) == 0
    assert clustering(g)[:2] == (0.0, 0.0)
    assert kirchhoff_index(g)[0] == pytest.approx(1 + 1 + 2)  # R(0,1) + R(1,2) + R(0,2)
    assert algebraic_connectivity(g) == pytest.approx(1.0)  # path P3: eigenvalues 0, 1, 3
    assert diameter_bounds(g) == (2, 2)


def test_square_with_a_diagonal_and_a_parallel_edge():
    # 0-1-2-3-0 plus 0-2 and a second 0-1: E = 6, V = 4, c = 1 -> 3 loops
    g = _graph(4, [[0, 1], [1, 2], [2, 3], [3, 0], [0, 2], [0, 1]], [1, 1, 1, 1, 1, 1])
    assert cyclomatic_number(g) == 3
    assert degree_histogram(g).tolist() == [0, 0, 1, 2, 1]  # multigraph degrees 4, 3, 3, 2
    average, transitivity, local = clustering(g)  # simple degrees 3, 2, 3, 2; two triangles
    assert local.tolist() == pytest.approx([2 / 3, 1, 2 / 3, 1])
    assert transitivity == pytest.approx(3 * 2 / 8)
    # conductance weights: the parallel edge doubles 0-1, so the index drops below the unit one
    assert kirchhoff_index(g, "conductance")[0] < kirchhoff_index(g, "unit")[0]


def test_components_are_summed_and_isolated_nodes_count():
    # a triangle (Kf = 3 * 2/3 = 2) and a single edge (Kf = 1) and a lone node
    g = _graph(6, [[0, 1], [1, 2], [2, 0], [3, 4]])
    total, per = kirchhoff_index(g)
    assert total == pytest.approx(3.0) and sorted(per.tolist()) == pytest.approx([0.0, 1.0, 2.0])
    assert cyclomatic_number(g) == 1  # 4 - 6 + 3
    assert algebraic_connectivity(g) == pytest.approx(3.0)  # the triangle K3
    assert diameter_bounds(g) == (1, 2)


def test_conductance_weights_give_ohms():
    g = _graph(2, [[0, 1], [0, 1]], [0.5, 1.5])  # 2 S in parallel
    assert kirchhoff_index(g, "conductance")[0] == pytest.approx(0.5)
    assert algebraic_connectivity(g, "conductance") == pytest.approx(4.0)  # 2 g
    assert kirchhoff_index(g, "unit")[0] == pytest.approx(1.0)


def test_electrodes_and_self_loops_are_left_out():
    sticks = Sticks([[-0.2, 0.5, 0.6, 0.5], [0.5, 0.1, 0.5, 0.9], [0.4, 0.3, 1.2, 0.3]], box=1)
    net = build_network(sticks, "wire-node")
    assert topology_graph(net).n_nodes == 3
    assert topology_graph(net, electrodes=True).n_nodes == net.n_nodes


def test_bad_weights():
    with pytest.raises(InvalidInputError, match="^weights must be one of"):
        network_topology(build_network(generate_sticks(3, box=3, rng=1), "wire-node"), weights="ohm")


# --- networkx and igraph on small random stick networks -------------------------------------------------------


@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
@pytest.mark.parametrize("seed", [1, 2])
def test_against_networkx(form, seed):
    net = build_network(generate_sticks(5, box=5, rng=seed), form, rw=1.0, rj=1.0)
    t = network_topology(net)
    graph = topology_graph(net)
    multi = nx.MultiGraph()
    multi.add_nodes_from(range(graph.n_nodes))
    multi.add_edges_from(graph.edges.tolist())
    simple = _nx(graph)
    largest = simple.subgraph(max(nx.connected_components(simple), key=len))
    assert t.degree_histogram.tolist() == nx.degree_histogram(multi)
    assert t.clustering == pytest.approx(nx.average_clustering(simple), abs=1e-12)
    assert t.transitivity == pytest.approx(nx.transitivity(simple), abs=1e-12)
    n_comp = nx.number_connected_components(simple)
    assert t.cyclomatic_number == multi.number_of_edges() - multi.number_of_nodes() + n_comp
    assert t.kirchhoff_index_largest == pytest.approx(nx.effective_graph_resistance(largest), rel=1e-9)
    dense = sum(
        nx.effective_graph_resistance(simple.subgraph(c)) for c in nx.connected_components(simple) if len(c) > 1
    )
    assert t.kirchhoff_index == pytest.approx(dense, rel=1e-9)
    assert t.algebraic_connectivity == pytest.approx(nx.laplacian_spectrum(largest)[1], rel=1e-8, abs=1e-12)
    assert t.diameter_lower <= nx.diameter(largest) <= t.diameter_upper


def test_against_igraph_and_lanczos_on_a_larger_component():
    ig = pytest.importorskip("igraph")
    net = build_network(generate_sticks(6, box=9, rng=3), "junction-node", rw=1.0, rj=1.0)
    graph = topology_graph(net)
    simple = _nx(graph)
    nodes = sorted(max(nx.connected_components(simple), key=len))
    assert len(nodes) > 400  # the Lanczos path of algebraic_connectivity
    t = network_topology(net)
    h = ig.Graph(n=graph.n_nodes, edges=graph.edges.tolist())
    assert t.transitivity == pytest.approx(h.transitivity_undirected(), abs=1e-12)
    assert t.clustering == pytest.approx(h.transitivity_avglocal_undirected(mode="zero"), abs=1e-12)
    big = h.induced_subgraph(nodes)
    assert t.diameter_lower <= big.diameter() <= t.diameter_upper
    lap = np.asarray(big.laplacian(), dtype=float)
    assert t.algebraic_connectivity == pytest.approx(np.linalg.eigvalsh(lap)[1], rel=1e-7)
    pinv = np.linalg.pinv(lap)
    assert t.kirchhoff_index_largest == pytest.approx(len(nodes) * np.trace(pinv), rel=1e-8)


# --- command line ---------------------------------------------------------------------------------------------


def test_cli_json(tmp_path, capsys):
    sticks = generate_sticks(5, box=5, rng=1)
    path = tmp_path / "sticks.npz"
    save_sticks(path, sticks)
    assert main(["topology", str(path), "--form", "wire-node", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    keys = {"nanograph_version", "degree_histogram", "clustering", "cyclomatic_number", "kirchhoff_index",
            "algebraic_connectivity", "diameter_estimate", "diameter_upper_bound"}  # fmt: skip
    assert keys <= set(record)
    t = network_topology(build_network(sticks, "wire-node"))
    assert record["cyclomatic_number"] == t.cyclomatic_number
    assert record["degree_histogram"] == t.degree_histogram.tolist()
    assert main(["topology", str(path), "--quiet"]) == 0 and capsys.readouterr().out == ""
    assert main(["topology", str(path)]) == 0 and "Kirchhoff" in capsys.readouterr().out


@pytest.mark.parametrize("seed", [3, 4])
def test_both_forms_have_the_same_loops(seed):
    # junction-node: V = 2J, E = J + sum over sticks with contacts of (k_s - 1), so E - V + c = J - N + c as wire-node
    sticks = generate_sticks(6, box=6, rng=seed)
    wire, junction = (network_topology(build_network(sticks, form)) for form in ("wire-node", "junction-node"))
    assert wire.cyclomatic_number == junction.cyclomatic_number > 0
    assert junction.clustering == 0.0  # no triangles among contacts
