"""Regular closures: degrees, bus-bar contacts, isolated sticks, fractions (Eqs. 8-9), unchanged conductance."""

import math

import numpy as np
import pytest
from conftest import random_sticks
from hypothesis import given
from hypothesis import strategies as st

from nanograph import InvalidInputError, Sticks, find_contacts
from nanograph.geometry.sticks import generate_sticks
from nanograph.graphs.builders import junction_node_network, wire_node_network
from nanograph.graphs.network import EdgeKind, NodeKind
from nanograph.linalg.foster import foster_check
from nanograph.linalg.resistance import conducting_components
from nanograph.linalg.solve import solve_network
from nanograph.transforms import predicted_edge_fractions, regular_closure


def test_crossing_pair_closure_is_parallel_to_the_segment(crossing_pair):
    # Stick A: left-bar contact then junction; stick B: junction then right-bar contact. Two contacts each,
    # so each closure edge is parallel to the stick's one segment; every contact node gets degree 3.
    net = junction_node_network(crossing_pair, rw=1.0, rj=2.0, re=0.5)
    closure = regular_closure(net)
    closed = closure.network
    assert closure.degree == 3 and closure.degrees == (3,) and closure.is_regular
    assert closure.electrode_degrees == (1, 1)
    assert closure.closure_stick.tolist() == [0, 1] and closure.n_self_loops == 0
    seg = closed.edges[closed.edge_kind == EdgeKind.SEGMENT]
    np.testing.assert_array_equal(np.sort(closed.edges[closure.closure_edges], axis=1), np.sort(seg, axis=1))
    assert np.all(closed.edge_conductance[closure.closure_edges] == 0)
    np.testing.assert_array_equal(closed.edge_stick[closure.closure_edges], [[0, 0], [1, 1]])
    np.testing.assert_array_equal(closed.edges[: net.n_edges], net.edges)  # source edges keep their ids
    assert solve_network(closed).conductance == solve_network(net).conductance


def test_single_contact_stick_gets_a_self_loop_and_isolated_stick_nothing():
    sticks = Sticks(
        [[0.2, 0.5, 2.8, 0.5], [1.0, 0.1, 1.0, 0.9], [2.0, 0.2, 2.5, 0.2]],  # rail, one rung, a lone stick
        box=(3.0, 1.0), periodic=(True, True),
    )  # fmt: skip
    closure = regular_closure(junction_node_network(sticks, rw=1.0, rj=1.0))
    assert closure.n_isolated_sticks == 1 and closure.closure_stick.tolist() == [0, 1]
    assert closure.n_self_loops == 2  # the rail and the rung each have one contact
    assert closure.degree_counts == {3: 2}  # junction + self-loop counted twice
    check = foster_check(closure.network)
    assert check.foster_sum == pytest.approx(1.0) and check.n_components == 1


def test_seamless_bus_bar_contacts_have_degree_3_unless_re_is_zero():
    sticks = generate_sticks(12, box=6, periodic=(False, True), rng=5)
    with_re = regular_closure(junction_node_network(sticks, rw=1.0, rj=0.0, re=1.0))
    closed = with_re.network
    assert with_re.degree == 4 and with_re.degrees == (3, 4) and not with_re.is_regular
    irregular = with_re.irregular_nodes
    # exactly the contact nodes that carry an electrode edge
    at_bar = np.unique(closed.edges[closed.edge_kind == EdgeKind.ELECTRODE])
    at_bar = at_bar[closed.node_kind[at_bar] != NodeKind.ELECTRODE]
    np.testing.assert_array_equal(irregular, at_bar)
    assert np.all(closed.degree[irregular] == 3)
    merged = regular_closure(junction_node_network(sticks, rw=1.0, rj=0.0, re=0.0))
    assert merged.degrees == (4,) and len(merged.irregular_nodes) == 0
    three = regular_closure(junction_node_network(sticks, rw=1.0, rj=1.0, re=1.0))
    assert three.degrees == (3,)  # bus-bar contacts: electrode edge in place of the junction


def test_seamless_nodes_map_back_to_the_two_crossing_sticks():
    sticks = generate_sticks(8, box=5, periodic=True, rng=2)
    closure = regular_closure(junction_node_network(sticks, rw=1.0, rj=0.0))
    ns = closure.node_sticks
    assert np.all(ns[:, 1] >= 0)  # every seamless contact lies on two sticks
    c = find_contacts(sticks)
    crossing = set(
        zip(np.minimum(c.stick_i, c.stick_j).tolist(), np.maximum(c.stick_i, c.stick_j).tolist(), strict=True)
    )
    assert set(map(tuple, ns.tolist())) <= crossing and len(ns) == len(c)


@pytest.mark.parametrize("rj", [1.0, 0.0])
def test_closure_shift_joins_the_extreme_contacts_in_one_frame(rj):
    sticks = generate_sticks(10, box=4, periodic=True, rng=9)
    closure = regular_closure(junction_node_network(sticks, rw=1.0, rj=rj))
    net = closure.network
    e = net.edges[closure.closure_edges]
    span = net.node_position[e[:, 1]] + net.edge_shift[closure.closure_edges] * 4.0 - net.node_position[e[:, 0]]
    ends = sticks.endpoints[closure.closure_stick]
    direction = (ends[:, 2:] - ends[:, :2]) / sticks.lengths[closure.closure_stick, None]
    cross = span[:, 0] * direction[:, 1] - span[:, 1] * direction[:, 0]
    assert np.all(np.abs(cross) < 1e-9)  # along the stick
    assert np.all(np.hypot(*span.T) <= sticks.lengths[closure.closure_stick] + 1e-9)  # within it


def test_edge_fractions_against_eqs_8_and_9():
    density = 30.0
    sticks = generate_sticks(density, box=10, periodic=True, rng=4)
    closure = regular_closure(junction_node_network(sticks, rw=1.0, rj=1.0))
    got, expected = closure.edge_fractions, predicted_edge_fractions(density)
    # Every junction has two contacts; a stick with k >= 1 contacts has k - 1 segments and 1 closure: 3M edges.
    assert got["junction"] == pytest.approx(1 / 3, abs=1e-15)
    assert got["segment"] + got["closure"] == pytest.approx(2 / 3, abs=1e-15)
    # Closure fraction N/(3M) with M ~ N <k>/2 junctions (3000 sticks: ~1 % relative fluctuation).
    assert got["closure"] == pytest.approx(expected["closure"], rel=0.04)
    seamless = regular_closure(junction_node_network(sticks, rw=1.0, rj=0.0))
    assert seamless.degrees == (4,)
    assert seamless.edge_fractions["closure"] == pytest.approx(
        predicted_edge_fractions(density, 4)["closure"], rel=0.04
    )


def test_non_current_carrying_clusters_are_closed_but_not_joined():
    sticks = generate_sticks(5.0, box=8, periodic=(False, True), rng=1)  # below threshold: many clusters
    net = junction_node_network(sticks, rw=1.0, rj=1.0)
    closure = regular_closure(net)
    assert closure.degrees == (3,)
    assert conducting_components(closure.network)[0] == conducting_components(net)[0] > 3
    assert solve_network(closure.network).conductance == solve_network(net).conductance


def test_invalid_inputs(crossing_pair):
    with pytest.raises(InvalidInputError, match="junction-node"):
        regular_closure(wire_node_network(crossing_pair))
    closed = regular_closure(junction_node_network(crossing_pair)).network
    with pytest.raises(InvalidInputError, match="already"):
        regular_closure(closed)
    with pytest.raises(InvalidInputError, match="degree"):
        predicted_edge_fractions(10, 5)
    with pytest.raises(InvalidInputError, match="density"):
        predicted_edge_fractions(-1)


@given(
    st.integers(0, 2**32 - 1),
    st.integers(5, 60),
    st.sampled_from([0.0, 0.3, 1.0, 10.0]),
    st.sampled_from([0.0, 0.5, 2.0]),
    st.booleans(),
)
def test_closure_preserves_conductance_and_foster(seed, n, rj, re, periodic_y):
    sticks = random_sticks(seed, n, (3.0, 3.0), periodic=(False, periodic_y))
    net = junction_node_network(sticks, rw=1.0, rj=rj, re=re)
    closure = regular_closure(net)
    assert len(closure.closure_edges) + closure.n_isolated_sticks == n
    if re > 0 or rj > 0:
        assert closure.degrees in ((), (closure.degree,), (3, 4))
    before, after = solve_network(net), solve_network(closure.network)
    assert after.conductance == pytest.approx(before.conductance, rel=1e-12, abs=0)
    check = foster_check(closure.network)
    assert check.relative_residual <= 1e-9
    assert check.n_components == conducting_components(net)[0]
    assert math.isclose(check.values("closure").sum(), 0.0)
