"""Certified conductance bracket: hand-solved circuits, then hypothesis properties, then stick networks."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanograph import (
    InvalidInputError,
    Network,
    generate_sticks,
    junction_node_network,
    solve_network,
    wire_node_network,
)
from nanograph.linalg.bracket import conductance_bracket, routing_forest
from nanograph.linalg.solve import kirchhoff_system

# Wheatstone bridge A, B, C, D = 0, 1, 2, 3, electrodes A (1 V) and B (0 V): by hand, V_C = 4/7,
# V_D = 3/7, current out of A = (1 - 4/7) + 0.5 (1 - 3/7) = 5/7, so G = 5/7 S.
BRIDGE = ([[0, 2], [0, 3], [2, 1], [3, 1], [2, 3]], [1, 0.5, 0.5, 1, 1])
BRIDGE_G = 5 / 7


def bridge():
    return Network.from_edges(4, *BRIDGE, electrodes=(0, 1))


def test_bridge_exact_potentials_give_a_tight_bracket():
    b = conductance_bracket(bridge(), np.array([1.0, 0.0, 4 / 7, 3 / 7]))
    assert b.lower <= BRIDGE_G <= b.upper
    assert b.relative_width < 1e-13


def test_bridge_wrong_potentials_still_bracket():
    b = conductance_bracket(bridge(), np.array([1.0, 0.0, 0.5, 0.5]))
    # Dirichlet energy of that potential: 0.25 + 0.125 + 0.125 + 0.25 + 0 = 0.75.
    assert b.upper == pytest.approx(0.75, rel=1e-12)
    assert b.lower <= BRIDGE_G < b.upper and b.lower > 0.5


def test_series_pair_with_wrong_middle_potential():
    net = Network.from_edges(3, [[0, 1], [1, 2]], 1.0, electrodes=(0, 2))
    b = conductance_bracket(net, np.array([1.0, 0.6, 0.0]))
    assert b.upper == pytest.approx(0.52, rel=1e-12)  # 0.4^2 + 0.6^2
    assert b.lower == pytest.approx(0.5, rel=1e-12)  # the routed flow is the exact one here
    assert 0.5 in b


def test_parallel_edges_share_the_routed_flow():
    # Two parallel 1 S edges then one 2 S edge: G = 1 S; a bad middle potential still brackets it.
    net = Network.from_edges(3, [[0, 1], [0, 1], [1, 2]], [1.0, 1.0, 2.0], electrodes=(0, 2))
    b = conductance_bracket(net, np.array([1.0, 0.9, 0.0]))
    assert b.lower <= 1.0 <= b.upper
    exact = conductance_bracket(net, np.array([1.0, 0.5, 0.0]))
    assert exact.relative_width < 1e-13 and 1.0 in exact


def test_non_percolating_network_is_zero():
    net = Network.from_edges(4, [[0, 2], [3, 1]], 1.0, electrodes=(0, 1))
    b = conductance_bracket(net, np.array([1.0, 0.0, 0.3, 0.2]))
    assert (b.lower, b.upper, b.relative_width) == (0.0, 0.0, 0.0)


def test_bad_potentials_are_refused():
    with pytest.raises(InvalidInputError, match="potentials must have shape"):
        conductance_bracket(bridge(), np.zeros(3))
    with pytest.raises(InvalidInputError, match="fixed values"):
        conductance_bracket(bridge(), np.array([0.9, 0.0, 0.5, 0.5]))
    with pytest.raises(InvalidInputError, match="finite"):
        conductance_bracket(bridge(), np.array([1.0, 0.0, np.nan, 0.5]))


def test_voltage_scales_out():
    b1 = conductance_bracket(bridge(), np.array([1.0, 0.0, 0.5, 0.5]))
    b3 = conductance_bracket(bridge(), np.array([3.0, 0.0, 1.5, 1.5]), voltage=3.0)
    assert b3.lower == pytest.approx(b1.lower, rel=1e-12) and b3.upper == pytest.approx(b1.upper, rel=1e-12)


def test_forest_reaches_every_free_node():
    net = bridge()
    system = kirchhoff_system(net)
    forest = routing_forest(net, system)
    reached = np.concatenate(forest.levels)
    assert sorted(reached.tolist()) == [2, 3]
    assert np.all(np.isin(forest.parent[reached], [0, 1, 2, 3]))


@st.composite
def random_networks(draw):
    n = draw(st.integers(3, 12))
    m = draw(st.integers(2, 30))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=m, max_size=m))
    g = draw(st.lists(st.floats(0.1, 10.0), min_size=m, max_size=m))
    return Network.from_edges(n, edges, g, electrodes=(0, n - 1))


@given(random_networks(), st.integers(0, 2**31 - 1))
def test_bracket_contains_the_direct_solution(net, seed):
    sol = solve_network(net)
    system = kirchhoff_system(net)
    exact = conductance_bracket(net, np.nan_to_num(sol.potentials), system=system)
    assert exact.lower <= sol.conductance <= exact.upper
    assert exact.relative_width < 1e-10
    # Any other potential with the same boundary values brackets the same conductance.
    rng = np.random.default_rng(seed)
    noisy = np.nan_to_num(sol.potentials) + np.where(system.unknown >= 0, rng.normal(0, 0.3, net.n_nodes), 0.0)
    b = conductance_bracket(net, noisy, system=system)
    assert b.lower <= sol.conductance <= b.upper
    assert b.relative_width >= exact.relative_width - 1e-12


CASES = [(form, periodic) for form in ("wire-node", "junction-node") for periodic in (False, True)]


@pytest.mark.parametrize(("form", "periodic"), CASES)
def test_stick_networks_direct_solution_is_bracketed_tightly(form, periodic):
    sticks = generate_sticks(12, box=6, periodic=(periodic, False), rng=7)
    build = wire_node_network if form == "wire-node" else junction_node_network
    net = build(sticks, rj=1.0) if form == "wire-node" else build(sticks, rw=1.0, rj=1.0)
    sol = solve_network(net)
    assert sol.percolates
    b = conductance_bracket(net, np.nan_to_num(sol.potentials))
    # The direct conductance is itself accurate to its stated accuracy (rounding of the electrode current).
    slack = 4 * sol.accuracy * sol.conductance
    assert b.lower - slack <= sol.conductance <= b.upper + slack
    assert b.relative_width < 1e-10
