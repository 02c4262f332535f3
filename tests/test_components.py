"""Connected components of edge arrays (nanograph.graphs.components): hand cases, then a union-find property."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanograph import InvalidInputError
from nanograph.graphs.components import (
    component_labels,
    component_minimum,
    conducting_edges,
    connected_components,
    lowest_nodes,
    shared_component,
)


def test_path_and_isolated_node():
    # 0 - 1 - 2, 3 alone, 4 with a self-loop: three components, numbered by lowest node.
    edges = np.array([[1, 2], [0, 1], [4, 4]])
    n, labels = connected_components(5, edges)
    assert n == 3 and labels.tolist() == [0, 0, 0, 1, 2]
    assert lowest_nodes(labels).tolist() == [0, 3, 4]


def test_mask_drops_edges_and_parallel_edges_count_once():
    edges = np.array([[0, 1], [0, 1], [2, 3]])
    assert component_labels(4, edges, mask=[True, False, False]).tolist() == [0, 0, 1, 2]
    assert component_labels(4, edges, mask=[False, True, True]).tolist() == [0, 0, 1, 1]
    assert component_labels(4, edges, mask=np.zeros(3, dtype=bool)).tolist() == [0, 1, 2, 3]


def test_empty_graphs():
    n, labels = connected_components(0, np.zeros((0, 2), dtype=np.int64))
    assert n == 0 and labels.shape == (0,) and lowest_nodes(labels).shape == (0,)
    assert component_labels(3, np.zeros((0, 2), dtype=np.int64)).tolist() == [0, 1, 2]


def test_conducting_edges_refuse_zero_conductance_and_self_loops():
    edges = np.array([[0, 1], [1, 1], [1, 2], [2, 3]])
    mask = conducting_edges(edges, np.array([1.0, 5.0, 0.0, 1e-300]))
    assert mask.tolist() == [True, False, False, True]
    assert component_labels(4, edges, mask).tolist() == [0, 0, 1, 1]


def test_component_minimum_and_shared_component():
    edges = np.array([[0, 1], [1, 2], [3, 4]])
    labels = component_labels(6, edges)
    assert component_minimum(labels, edges, np.array([2.0, 0.5, 3.0])).tolist() == [0.5, 3.0, np.inf]
    assert shared_component(labels, 2, 0).tolist() == [True, True, True, False, False, False]
    assert not shared_component(labels, 0, 3).any()
    assert shared_component(labels, 5, 5).tolist() == [False] * 5 + [True]


def test_bad_shapes_name_the_parameter():
    with pytest.raises(InvalidInputError, match=r"^edges must have shape \(E, 2\)"):
        component_labels(3, np.array([0, 1]))
    with pytest.raises(InvalidInputError, match=r"^mask has shape \(1,\), expected \(2,\)"):
        component_labels(3, np.array([[0, 1], [1, 2]]), mask=[True])


def _union_find(n, edges):
    parent = list(range(n))

    def root(v):
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for a, b in edges:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    return [root(v) for v in range(n)]


@given(st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20))))  # fmt: skip
def test_labels_match_union_find(case):
    n, pairs = case
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    count, labels = connected_components(n, edges)
    roots = _union_find(n, pairs)
    # Same partition, labels numbered in order of each component's lowest node (= the union-find root).
    assert count == len(set(roots))
    order = sorted(set(roots))
    assert labels.tolist() == [order.index(r) for r in roots]
    assert lowest_nodes(labels).tolist() == order
