"""Multi-terminal conductance matrices: hand-solved circuits, properties, drives, electrodes of any shape."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanograph.errors import InvalidInputError, NotPercolatingError
from nanograph.geometry.contacts import find_segment_contacts, segments_touch
from nanograph.geometry.sticks import Sticks, generate_sticks
from nanograph.graphs.builders import build_network, junction_node_network, wire_node_network
from nanograph.graphs.network import EdgeKind, Network
from nanograph.linalg.multiterminal import conductance_matrix
from nanograph.linalg.solve import solve_network
from nanograph.model import Electrode, Electrodes, Film, WirePopulation

# --- hand-solved circuits ------------------------------------------------------------------------------------


def test_star_of_three_terminals_is_the_kron_reduction():
    g = np.array([1.0, 2.0, 3.0])
    star = Network.from_edges(4, [[0, 3], [1, 3], [2, 3]], g)
    m = conductance_matrix(star, [0, 1, 2])
    expected = np.diag(g) - np.outer(g, g) / g.sum()
    np.testing.assert_allclose(m.conductance, expected, rtol=1e-14, atol=1e-15)
    assert m.symmetry_error < 1e-14 and m.accurate
    np.testing.assert_allclose(m.conductance.sum(axis=0), 0, atol=1e-14)


def test_ring_of_four_terminals_by_hand():
    # ring A-B-C-D-A with r = 1, 2, 4, 0.5 ohm: direct resistors between neighbouring terminals only
    r = np.array([1.0, 2.0, 4.0, 0.5])
    ring = Network.from_edges(4, [[0, 1], [1, 2], [2, 3], [3, 0]], 1 / r)
    m = conductance_matrix(ring, [0, 1, 2, 3], names="ABCD")
    g = 1 / r
    expected = np.array([[g[0] + g[3], -g[0], 0, -g[3]], [-g[0], g[0] + g[1], -g[1], 0],
                         [0, -g[1], g[1] + g[2], -g[2]], [-g[3], 0, -g[2], g[2] + g[3]]])  # fmt: skip
    np.testing.assert_allclose(m.conductance, expected, rtol=1e-14)
    # current I from A to B: the path A-D-C-B carries I r_AB / (sum r); V_D - V_C = that current times r_DC
    assert m.resistance("A", "B", "C", "D") == pytest.approx(r[0] * r[2] / r.sum(), rel=1e-13)
    assert m.resistance("A", "B", "C", "D") == pytest.approx(m.resistance("C", "D", "A", "B"), rel=1e-13)
    # two-terminal: R_AB = r_AB || (r_BC + r_CD + r_DA)
    assert m.resistance("A", "B", "B", "A") == pytest.approx(1 / (1 / r[0] + 1 / r[1:].sum()), rel=1e-13)


def test_voltage_and_current_driven_terminals_and_a_probe_that_draws_no_current():
    # A -1S- x -1S- B, probe P on x through 1 S, terminal C on x through 2 S
    net = Network.from_edges(5, [[0, 4], [4, 1], [2, 4], [3, 4]], [1.0, 1.0, 1.0, 2.0])
    m = conductance_matrix(net, [0, 1, 2, 3], names=["A", "B", "P", "C"])
    state = m.drive(voltages={"A": 1.0, "B": 0.0}, currents={"C": 0.0})  # P left out: a probe
    assert state.voltages[2] == pytest.approx(0.5, abs=1e-14)  # probe reads the node it touches
    assert state.currents[2] == 0 and state.currents[3] == 0
    assert state.currents[0] == pytest.approx(0.5) and state.currents[1] == pytest.approx(-0.5)
    assert state.potentials[4] == pytest.approx(0.5, abs=1e-14)
    # drive current into C, holding A and B at 0: 1 A splits 1:1 over A and B, V_x = 0.5 V, V_C = 0.5 + 0.5
    state = m.drive(voltages={"A": 0.0, "B": 0.0}, currents={"C": 1.0})
    assert state.voltages[3] == pytest.approx(1.0) and state.currents[0] == pytest.approx(-0.5)


def test_terminal_sets_are_shorted_and_an_isolated_terminal_is_named():
    net = Network.from_edges(5, [[0, 1], [1, 2], [3, 3]], 1.0)
    m = conductance_matrix(net, [[0], [1, 2], [4]], names=["left", "right", "lonely"])
    np.testing.assert_allclose(m.conductance, [[1, -1, 0], [-1, 1, 0], [0, 0, 0]], atol=1e-15)
    with pytest.raises(NotPercolatingError, match="lonely"):
        m.drive(currents={"lonely": 1.0, "left": -1.0})
    assert np.isnan(m.drive(currents={"left": 1.0, "right": -1.0}).voltages[2])  # floating probe


def test_bad_terminals_and_drives_are_refused():
    net = Network.from_edges(3, [[0, 1], [1, 2]], 1.0)
    with pytest.raises(InvalidInputError, match="terminals"):
        conductance_matrix(net, [0, 7])
    with pytest.raises(InvalidInputError, match="disjoint"):
        conductance_matrix(net, [[0, 1], [1, 2]])
    m = conductance_matrix(net, [0, 2])
    with pytest.raises(InvalidInputError, match="sum to"):
        m.drive(currents={0: 1.0, 1: 0.5})
    with pytest.raises(InvalidInputError, match="both"):
        m.drive(voltages={0: 1.0}, currents={0: 1.0})


# --- properties -----------------------------------------------------------------------------------------------


@given(st.integers(0, 10_000), st.integers(3, 6))
def test_random_circuits_symmetric_zero_sums_and_match_two_terminal_solves(seed, k):
    rng = np.random.default_rng(seed)
    n = 12
    edges = np.concatenate([np.c_[np.arange(n - 1), np.arange(1, n)], rng.integers(0, n, (15, 2))])
    g = rng.uniform(0.1, 10, len(edges))
    net = Network.from_edges(n, edges, g)
    terms = rng.choice(n, k, replace=False)
    m = conductance_matrix(net, terms)
    G = m.conductance
    np.testing.assert_allclose(G, G.T, atol=1e-12 * G.max())
    np.testing.assert_allclose(G.sum(axis=1), 0, atol=1e-12 * G.max())
    # two-terminal resistance from the matrix against the bus-bar solver on the same nodes
    a, b = terms[0], terms[1]
    r_matrix = m.resistance(0, 1, 1, 0)
    r_solve = solve_network(Network.from_edges(n, edges, g, electrodes=[a, b])).resistance
    # the other terminals are probes (no current), so the two-terminal value is the network's own
    assert r_matrix == pytest.approx(r_solve, rel=1e-10)
    # reciprocity of four-terminal resistances
    if k >= 4:
        assert m.resistance(0, 1, 2, 3) == pytest.approx(m.resistance(2, 3, 0, 1), rel=1e-9, abs=1e-12)


# --- electrodes of any shape ---------------------------------------------------------------------------------


def test_segment_contacts_match_the_bus_bars():
    sticks = generate_sticks(density=12, box=5, rng=4)
    lx, ly = sticks.box
    net = wire_node_network(sticks)
    custom = wire_node_network(sticks, electrodes=[Electrode([[0, 0, 0, ly]], name="l"),
                                                   Electrode([[lx, 0, lx, ly]], name="r")])  # fmt: skip
    assert solve_network(custom).conductance == pytest.approx(solve_network(net).conductance, rel=1e-12)
    assert custom.params["electrode_names"] == ("l", "r") and not custom.params["bus_bars"]
    m = conductance_matrix(custom)
    assert m.names == ("l", "r") and 1 / m.conductance[0, 0] == pytest.approx(solve_network(net).resistance, rel=1e-9)


def test_segment_contacts_by_hand_and_probed_sticks():
    s = Sticks([[0, 0, 2, 2], [0, 2, 2, 0], [0.2, 0.1, 0.2, 1.6]], box=2)
    c = find_segment_contacts(s, [[0, 1, 2, 1], [0, 1, 1, 1]])  # a shared piece: stick 2 contacted once
    assert c.stick.tolist() == [0, 1, 2] and np.allclose(c.arc, [np.sqrt(2), np.sqrt(2), 0.9])
    point = find_segment_contacts(s, [[1, 1, 1, 1]])  # a point contact where sticks 0 and 1 cross
    assert point.stick.tolist() == [0, 1]
    # one stick across the box, a probe on it, wire resistance 2 per unit: R(left bar, probe) = re + 1 * 2 + re_p
    one = Sticks([[-0.5, 0.5, 1.5, 0.5]], box=1)
    net = junction_node_network(one, rw=2.0, rj=1.0, re=0.25,
                                electrodes=[Electrode([[0, 0, 0, 1]], name="bar"),
                                            Electrode(sticks=[0], re=0.5, name="probe")])  # fmt: skip
    m = conductance_matrix(net)
    assert 1 / m.conductance[0, 0] == pytest.approx(0.25 + 2.0 * 0.5 + 0.5, rel=1e-13)


def test_electrode_geometry_is_checked():
    assert segments_touch([[0, 0, 2, 0]], [[1, 0, 3, 0], [0, 1, 2, 1]]).tolist() == [[True, False]]
    with pytest.raises(InvalidInputError, match="'a' and 'b' overlap"):
        Electrodes([Electrode([[0, 0, 1, 0]], name="a"), Electrode([[0.5, 0, 2, 0]], name="b")])
    with pytest.raises(InvalidInputError, match="outside the box"):
        wire_node_network(Sticks([[0, 0.5, 1, 0.5]], box=1), electrodes=[Electrode([[0, 0, 0, 3]], name="tall")])
    with pytest.raises(InvalidInputError, match="distinct names"):
        Electrodes([Electrode([[0, 0, 0, 1]]), Electrode([[1, 0, 1, 1]])])
    with pytest.raises(InvalidInputError, match="probes stick 5"):
        wire_node_network(Sticks([[0, 0.5, 1, 0.5]], box=1), electrodes=[Electrode(sticks=[5], name="p")])


def test_film_carries_electrodes_in_physical_units():
    film = Film(WirePopulation(density=8, length="10um"), box="50um", form="wire-node",
                electrodes=[Electrode([["0um", "0um", "0um", "50um"]], name="left"),
                            Electrode([["50um", "20um", "50um", "30um"]], name="pad", re=2.0)])  # fmt: skip
    assert film.electrodes.items[1].segments.tolist() == [[5.0, 2.0, 5.0, 3.0]]
    from nanograph.geometry.sticks import film_sticks

    sticks = film_sticks(film, rng=1)
    net = build_network(sticks, film=film)
    kinds = net.edge_kind == EdgeKind.ELECTRODE
    pad = net.edges[kinds, 1] == net.electrodes[1]
    assert np.all(1 / net.edge_conductance[kinds][pad] == 2.0)  # the pad's own re; the bar's is rj = 1
    assert np.all(1 / net.edge_conductance[kinds][~pad] == 1.0)
    with pytest.raises(InvalidInputError, match="outside the box"):
        Film(
            WirePopulation(density=8, length="10um"),
            box="50um",
            form="wire-node",
            electrodes=[Electrode([["0um", "0um", "0um", "60um"]])],
        )


def test_a_terminal_in_a_cluster_of_its_own_is_exactly_uncoupled():
    sticks = generate_sticks(density=4, box=5, rng=4)  # does not percolate
    net = wire_node_network(sticks)
    assert not solve_network(net).percolates
    assert np.all(conductance_matrix(net).conductance == 0)
