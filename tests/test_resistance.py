"""Effective resistances (selected inversion, solves, JL estimate) and Foster's theorem."""

import math

import numpy as np
import pytest
from conftest import random_sticks
from hypothesis import given
from hypothesis import strategies as st
from nanograph._selinv import takahashi

from nanograph import InvalidInputError
from nanograph.graphs.builders import junction_node_network, wire_node_network
from nanograph.graphs.network import EdgeKind, Network
from nanograph.linalg.foster import foster_check
from nanograph.linalg.laplacian import laplacian
from nanograph.linalg.resistance import (
    conducting_components,
    edge_resistances,
    effective_resistance,
    estimate_edge_resistances,
)


def graph(n_nodes, edges, conductance, kind=EdgeKind.JUNCTION):
    """An abstract network: ``n_nodes`` nodes, the given edges and conductances (S)."""
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    e = len(edges)
    return Network(
        form="graph", node_position=np.zeros((n_nodes, 2)), node_kind=np.zeros(n_nodes),
        node_stick=np.arange(n_nodes), edges=edges, edge_kind=np.full(e, kind), edge_conductance=conductance,
        edge_length=np.zeros(e), edge_stick=np.zeros((e, 2)), edge_shift=np.zeros((e, 2)), box=(1, 1),
        periodic=(False, False),
    )  # fmt: skip


def pinv_resistance(net, u, v):
    """Reference: dense pseudo-inverse of the Laplacian (block pseudo-inverse per component)."""
    pinv = np.linalg.pinv(laplacian(net.n_nodes, net.edges, net.edge_conductance).toarray())
    labels = conducting_components(net)[1]
    r = pinv[u, u] + pinv[v, v] - 2 * pinv[u, v]
    return np.where(labels[u] == labels[v], np.where(u == v, 0.0, r), np.inf)


# --- exact small cases, by hand ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["selinv", "solves"])
def test_triangle(method):
    tri = graph(3, [[0, 1], [1, 2], [2, 0]], np.ones(3))
    np.testing.assert_allclose(edge_resistances(tri, method=method), [2 / 3] * 3, rtol=1e-14)
    check = foster_check(tri, method=method)
    assert check.foster_sum == pytest.approx(2.0, rel=1e-14)
    assert check.regular_degree == 2 and check.regular_mean == 1.0


@pytest.mark.parametrize("method", ["selinv", "solves"])
def test_wheatstone_bridge(method):
    # A=0, B=1, C=2, D=3; resistances AC=1, AD=2, CB=2, DB=1, bridge CD=1 ohm. Node potentials with 1 V
    # across AB: C = 4/7, D = 3/7, current 5/7 A, so R_AB = 7/5 ohm.
    net = graph(4, [[0, 2], [0, 3], [2, 1], [3, 1], [2, 3]], [1.0, 0.5, 0.5, 1.0, 1.0])
    assert effective_resistance(net, [0, 1], method=method)[0] == pytest.approx(1.4, rel=1e-14)
    # Balanced (all 1 ohm): R_AB = 1; across the bridge 1 || 2 || 2 = 1/2 ohm.
    balanced = graph(4, net.edges, np.ones(5))
    np.testing.assert_allclose(effective_resistance(balanced, [[0, 1], [2, 3]], method=method), [1.0, 0.5])


def test_petersen_graph_unit_edges():
    # Edge-transitive with 10 nodes and 15 edges: Foster gives R = (10 - 1)/15 = 3/5 ohm on every edge.
    outer = [[i, (i + 1) % 5] for i in range(5)]
    spokes = [[i, i + 5] for i in range(5)]
    inner = [[5 + i, 5 + (i + 2) % 5] for i in range(5)]
    petersen = graph(10, outer + spokes + inner, np.ones(15))
    np.testing.assert_allclose(edge_resistances(petersen), 0.6, rtol=1e-13)
    np.testing.assert_allclose(pinv_resistance(petersen, petersen.edges[:, 0], petersen.edges[:, 1]), 0.6)
    check = foster_check(petersen)
    assert check.regular_degree == 3 and check.mean_gR == pytest.approx(check.regular_mean * 9 / 10)


@pytest.mark.parametrize("method", ["selinv", "solves"])
def test_multigraph_self_loop_parallel_and_zero_edges(method):
    # 0 =(1 S, 3 S)= 1 -(2 S)- 2, a 5 S self-loop at 1, a 0 S edge 0-2, node 3 alone, a 0 S edge 2-3.
    net = graph(4, [[0, 1], [0, 1], [1, 1], [1, 2], [0, 2], [2, 3]], [1.0, 3.0, 5.0, 2.0, 0.0, 0.0])
    np.testing.assert_allclose(edge_resistances(net, method=method), [0.25, 0.25, 0.0, 0.5, 0.75, np.inf], rtol=1e-14)
    check = foster_check(net, method=method)
    assert check.n_components == 2 and check.expected_sum == 2
    assert check.foster_sum == pytest.approx(2.0, rel=1e-14)  # 1/4 + 3/4 + 0 + 1 + 0 + 0
    assert effective_resistance(net, [[3, 3], [0, 3]]).tolist() == [0.0, math.inf]


def test_electrode_nodes_count_as_nodes(crossing_pair):
    net = junction_node_network(crossing_pair, rw=1.0, rj=2.0, re=0.5)
    check = foster_check(net)  # a path of 5 edges through 6 nodes (electrodes included): every R = 1/g
    assert (check.n_nodes, check.n_components) == (6, 1)
    np.testing.assert_allclose(check.g_r, 1.0)
    assert check.degrees == (2,)  # the electrodes (degree 1) are left out


def test_takahashi_matches_the_inverse_of_a_small_matrix():
    # Tridiagonal SPD A = L D L' (no fill): Z on the pattern against numpy's inverse.
    n = 6
    a = np.diag(np.full(n, 3.0)) - np.diag(np.ones(n - 1), 1) - np.diag(np.ones(n - 1), -1)
    d, lower = np.zeros(n), np.eye(n)
    for j in range(n):  # LDL' by hand
        d[j] = a[j, j] - np.sum(lower[j, :j] ** 2 * d[:j])
        for i in range(j + 1, n):
            lower[i, j] = (a[i, j] - np.sum(lower[i, :j] * lower[j, :j] * d[:j])) / d[j]
    indptr = np.array([2 * j for j in range(n)] + [2 * n - 1], dtype=np.int64)
    rows = np.array([r for j in range(n) for r in ((j, j + 1) if j < n - 1 else (j,))], dtype=np.int64)
    cols = np.repeat(np.arange(n), np.diff(indptr))
    ld = np.where(rows == cols, d[cols], lower[rows, cols])
    np.testing.assert_allclose(takahashi(indptr, rows, ld), np.linalg.inv(a)[rows, cols], rtol=1e-14)
    with pytest.raises(ValueError, match="not closed"):  # column 0 needs (2, 1), absent from the pattern
        takahashi(np.array([0, 3, 4, 5], dtype=np.int64), np.array([0, 1, 2, 1, 2], dtype=np.int64), np.ones(5))


# --- against a dense reference ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_against_dense_pseudo_inverse_on_small_networks(seed):
    rng = np.random.default_rng(seed)
    sticks = random_sticks(rng, 40, (4.0, 4.0), periodic=(False, True))
    net = junction_node_network(sticks, rw=rng.uniform(0.1, 10), rj=rng.uniform(0.1, 10), re=rng.uniform(0, 1))
    u, v = net.edges[:, 0], net.edges[:, 1]
    expected = pinv_resistance(net, u, v)
    for method in ("selinv", "solves"):
        np.testing.assert_allclose(edge_resistances(net, method=method), expected, rtol=1e-9, atol=0)
    pairs = rng.integers(0, net.n_nodes, size=(50, 2))  # mostly off the factor's pattern: solves
    np.testing.assert_allclose(
        effective_resistance(net, pairs), pinv_resistance(net, pairs[:, 0], pairs[:, 1]), rtol=1e-9
    )


# --- properties ----------------------------------------------------------------------------------------------


@st.composite
def connected_multigraphs(draw):
    """A random spanning tree plus extra edges (parallel edges, self-loops, zero conductances)."""
    n = draw(st.integers(2, 14))
    parents = [draw(st.integers(0, i - 1)) for i in range(1, n)]
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    edges = [(p, i) for i, p in enumerate(parents, start=1)] + extra
    positive = st.floats(1e-3, 1e3)
    g = [draw(positive) for _ in parents] + [draw(st.one_of(st.just(0.0), positive)) for _ in extra]
    return graph(n, edges, np.array(g))


@given(connected_multigraphs())
def test_foster_sum_on_random_connected_multigraphs(net):
    check = foster_check(net)
    assert check.n_components == 1
    assert check.relative_residual <= 1e-9


@given(connected_multigraphs(), st.data())
def test_resistance_is_a_metric(net, data):
    n = net.n_nodes
    triples = np.array(data.draw(st.lists(st.tuples(*[st.integers(0, n - 1)] * 3), min_size=1, max_size=10)))
    u, v, w = triples.T
    r = lambda a, b: effective_resistance(net, np.column_stack([a, b]))  # noqa: E731
    ruv, rvw, ruw = r(u, v), r(v, w), r(u, w)
    assert np.all(ruv >= 0) and np.all((ruv == 0) == (u == v))
    np.testing.assert_allclose(ruv, r(v, u), rtol=1e-12)
    assert np.all(ruw <= (ruv + rvw) * (1 + 1e-10))


@given(connected_multigraphs(), st.data())
def test_rayleigh_monotonicity(net, data):
    edge = data.draw(st.integers(0, net.n_edges - 1))
    factor = data.draw(st.floats(1.0, 100.0))
    g = net.edge_conductance.copy()
    g[edge] = g[edge] * factor + (factor - 1)  # raise one conductance (a zero one too)
    before, after = edge_resistances(net), edge_resistances(net.replace(edge_conductance=g))
    assert np.all(after <= before * (1 + 1e-10))


# --- randomized estimate ---------------------------------------------------------------------------------------


def test_jl_estimate_is_unbiased_within_its_stated_error():
    sticks = random_sticks(7, 300, (8.0, 8.0), periodic=(False, True))
    net = junction_node_network(sticks, rw=1.0, rj=1.0)
    exact = edge_resistances(net)
    est = estimate_edge_resistances(net, n_probes=200, rng=11)
    assert est.relative_std == pytest.approx(0.1)
    finite = np.isfinite(exact) & (exact > 0)
    np.testing.assert_array_equal(np.isinf(est.values), np.isinf(exact))
    rel = est.values[finite] / exact[finite] - 1
    assert abs(rel.mean()) < 5 * est.relative_std / math.sqrt(finite.sum())  # unbiased (~independent edges)
    # Rademacher probes: variance (2/k)(1 - sum x_i^4/|x|^4) <= 2/k per edge (0 on bridges, whose x is one edge).
    assert 0.01 < rel.std() < 1.05 * est.relative_std


def test_jl_estimate_zero_and_infinite_cases():
    net = graph(4, [[0, 1], [1, 1], [2, 3], [1, 2]], [2.0, 1.0, 1.0, 0.0])
    est = estimate_edge_resistances(net, n_probes=8, rng=0)
    assert est.values[1] == 0 and est.values[3] == math.inf
    np.testing.assert_allclose(est.values[[0, 2]], [0.5, 1.0])  # bridges: every probe is exact


# --- input errors ----------------------------------------------------------------------------------------


def test_bad_inputs_name_the_parameter(crossing_pair):
    net = wire_node_network(crossing_pair)
    with pytest.raises(InvalidInputError, match="pairs"):
        effective_resistance(net, [[0, 1, 2]])
    with pytest.raises(InvalidInputError, match="pairs"):
        effective_resistance(net, [[0, 99]])
    with pytest.raises(InvalidInputError, match="method"):
        edge_resistances(net, method="dense")
    with pytest.raises(InvalidInputError, match="n_probes"):
        estimate_edge_resistances(net, n_probes=0)


def test_network_of_single_node_components_needs_no_factor():
    # Regression: nothing to factor (every component is one node) must not fail.
    net = graph(3, [[0, 0], [1, 2]], [1.0, 0.0])
    assert edge_resistances(net).tolist() == [0.0, math.inf]
    check = foster_check(net)
    assert (check.foster_sum, check.n_components, check.relative_residual) == (0.0, 3, 0.0)


@pytest.mark.parametrize(("rw", "rj"), [(1e-6, 1.0), (1.0, 1e-6), (1e3, 1e-3)])
def test_foster_holds_with_conductances_over_many_decades(rw, rj):
    from nanograph.geometry.sticks import generate_sticks
    from nanograph.transforms import regular_closure

    sticks = generate_sticks(30, box=6, periodic=(False, True), rng=3)
    closed = regular_closure(junction_node_network(sticks, rw=rw, rj=rj)).network
    assert foster_check(closed).relative_residual <= 1e-9
