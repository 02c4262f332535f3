"""Spanning trees: the matrix-tree count on graphs counted by hand, Wilson's sampler against exact probabilities."""

import json
import math

import numpy as np
import pytest
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.analysis.spanning import sample_spanning_tree, spanning_tree_count, spanning_tree_edge_frequencies
from nanograph.cli import main
from nanograph.errors import InvalidInputError
from nanograph.geometry.io import save_sticks
from nanograph.geometry.sticks import generate_sticks
from nanograph.graphs.builders import wire_node_network
from nanograph.graphs.network import Network

K4 = [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]


def test_tree_counts_by_hand():
    assert spanning_tree_count(Network.from_edges(4, K4, 1.0)).count == pytest.approx(16)  # Cayley: 4^2
    cycle = Network.from_edges(5, [[k, (k + 1) % 5] for k in range(5)], 1.0)
    assert spanning_tree_count(cycle).count == pytest.approx(5)
    a, b, c = 2.0, 3.0, 5.0  # weighted triangle: every pair of edges is a tree
    assert spanning_tree_count(Network.from_edges(3, [[0, 1], [1, 2], [0, 2]], [a, b, c])).count == pytest.approx(
        a * b + b * c + c * a
    )
    pair = Network.from_edges(2, [[0, 1], [0, 1], [1, 1]], [1.5, 2.5, 9.0])  # parallel edges add, loops never count
    assert spanning_tree_count(pair).count == pytest.approx(4.0)
    two = Network.from_edges(6, [[0, 1], [1, 2], [0, 2], [3, 4], [4, 5], [3, 5], [2, 3]], [1, 1, 1, 1, 1, 1, 0])
    result = spanning_tree_count(two)  # a zero conductance joins nothing: forests of two triangles, 3 * 3
    assert result.count == pytest.approx(9) and result.n_components == 2 and result.n_tree_edges == 4
    empty = spanning_tree_count(Network.from_edges(3, np.zeros((0, 2)), []))
    assert empty.log_count == 0.0 and empty.n_tree_edges == 0


def test_tree_count_against_networkx():
    nx = pytest.importorskip("networkx")
    graph = nx.connected_watts_strogatz_graph(14, 4, 0.4, seed=3)
    edges = np.array(graph.edges())
    w = np.random.default_rng(1).uniform(0.2, 3.0, len(edges))
    for (u, v), x in zip(edges, w, strict=True):
        graph[u][v]["weight"] = x
    expected = nx.number_of_spanning_trees(graph, weight="weight")
    assert spanning_tree_count(Network.from_edges(14, edges, w)).log_count == pytest.approx(
        math.log(expected), rel=1e-10
    )


def _is_spanning_forest(net, mask):
    n = net.n_nodes
    e = net.edges[mask]
    graph = sparse.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    c_forest = csgraph.connected_components(graph, directed=False)[0]
    usable = net.edges[(net.edge_conductance > 0) & (net.edges[:, 0] != net.edges[:, 1])]
    full = sparse.coo_matrix((np.ones(len(usable)), (usable[:, 0], usable[:, 1])), shape=(n, n))
    c_graph = csgraph.connected_components(full, directed=False)[0]
    return c_forest == c_graph and mask.sum() == n - c_graph  # spanning and acyclic


def test_samples_are_spanning_forests():
    net = wire_node_network(generate_sticks(6, box=5, rng=2))
    forests = sample_spanning_tree(net, rng=3, size=20)
    assert forests.shape == (20, net.n_edges)
    assert all(_is_spanning_forest(net, f) for f in forests)
    assert np.array_equal(sample_spanning_tree(net, rng=7), sample_spanning_tree(net, rng=7))


def test_weighted_triangle_tree_probabilities():
    a, b, c = 1.0, 2.0, 4.0
    net = Network.from_edges(3, [[0, 1], [1, 2], [0, 2]], [a, b, c])
    n = 6000
    forests = sample_spanning_tree(net, rng=11, size=n)
    total = a * b + b * c + c * a
    missing = (~forests).argmax(axis=1)  # the edge left out names the tree
    for edge, weight in enumerate([b * c, a * c, a * b]):  # the tree without edge e has weight of the other two
        p = weight / total
        assert abs(np.mean(missing == edge) - p) < 4.5 * math.sqrt(p * (1 - p) / n)


def test_uniform_trees_of_k4_are_equally_likely():
    net = Network.from_edges(4, K4, 1.0)
    n = 4800
    forests = sample_spanning_tree(net, rng=5, size=n)
    keys, counts = np.unique(np.packbits(forests, axis=1), axis=0, return_counts=True)
    assert len(keys) == 16
    chi2 = np.sum((counts - n / 16) ** 2 / (n / 16))
    assert chi2 < 40.0  # 15 degrees of freedom: P(chi2 > 40) ~ 5e-4


def test_edge_frequencies_match_g_r_and_fosters_sum():
    net = wire_node_network(generate_sticks(6, box=5, rng=1), rj=1.0, re=0.5)
    freq = spanning_tree_edge_frequencies(net, 1500, rng=4)
    assert freq.tree_edges_mean == freq.expected_tree_edges and freq.tree_edges_err == 0.0
    assert freq.exact.sum() == pytest.approx(freq.expected_tree_edges, rel=1e-9)  # Foster
    assert freq.max_abs_z < 4.5  # ~100 edges, a few-sigma worst case


def test_bad_inputs():
    net = Network.from_edges(2, [[0, 1]], 1.0)
    with pytest.raises(InvalidInputError, match="^n_trees must be"):
        spanning_tree_edge_frequencies(net, 0)
    with pytest.raises(InvalidInputError, match="^size must be"):
        sample_spanning_tree(net, size=0)


def test_cli(tmp_path, capsys):
    path = tmp_path / "sticks.npz"
    save_sticks(path, generate_sticks(6, box=4, rng=2))
    assert main(["spanning-trees", str(path), "--spanning-trees", "300", "--seed", "1", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["tree_edges_mean"] == record["expected_tree_edges"] and record["tree_edges_err"] == 0
    assert record["edge_probability_max_z"] < 5 and record["seed"] == 1 and "nanograph_version" in record
    assert record["foster_sum"] == pytest.approx(record["expected_tree_edges"], rel=1e-9)
    assert main(["spanning-trees", str(path), "--spanning-trees", "0"]) == 2
    assert "--spanning-trees must be a positive integer" in capsys.readouterr().err
