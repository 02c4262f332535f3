"""Kirchhoff solves against circuits solved by hand, and physical invariants."""

import math
import warnings

import numpy as np
import pytest
from conftest import SQRT2, random_sticks
from hypothesis import given
from hypothesis import strategies as st

from nanograph import (
    InvalidInputError,
    SingularSystemError,
    Sticks,
    generate_sticks,
    junction_node_network,
    solve_network,
    wire_node_network,
)

RW, RJ, RE = 0.3, 2.0, 0.7


def resistance(net):
    sol = solve_network(net)
    assert sol.percolates
    assert sol.kcl_residual < 1e-9 and sol.power_balance_error < 1e-9
    return sol.resistance


def test_single_stick_across_the_box():
    s = Sticks([[-0.5, 0.5, 1.5, 0.5]], box=1)
    assert resistance(junction_node_network(s, rw=RW, rj=RJ, re=RE)) == pytest.approx(2 * RE + RW * 1.0, abs=1e-12)
    assert resistance(wire_node_network(s, rj=RJ, re=RE)) == pytest.approx(2 * RE, abs=1e-12)


def test_two_crossing_sticks_both_forms(crossing_pair):
    # Series: Re + rw (2.0 - 0.5) on A + Rj + rw (sqrt2 - sqrt2/2) on B + Re.
    expected = 2 * RE + RW * 1.5 + RJ + RW * SQRT2 / 2
    assert resistance(junction_node_network(crossing_pair, rw=RW, rj=RJ, re=RE)) == pytest.approx(expected, abs=1e-12)
    assert resistance(wire_node_network(crossing_pair, rj=RJ, re=RE)) == pytest.approx(2 * RE + RJ, abs=1e-12)


resistance_values = st.floats(1e-3, 1e3)


@given(rw=resistance_values, rj=resistance_values, re=resistance_values)
def test_series_rule_for_any_resistances(rw, rj, re):
    from conftest import crossing_pair_sticks

    s = crossing_pair_sticks()
    expected = 2 * re + rw * (1.5 + SQRT2 / 2) + rj
    _assert_within_accuracy(solve_network(junction_node_network(s, rw=rw, rj=rj, re=re)), expected)
    _assert_within_accuracy(solve_network(wire_node_network(s, rj=rj, re=re)), 2 * re + rj)


def _assert_within_accuracy(solution, expected_resistance):
    """Exact to 1e-12, or to a few times the solver's stated accuracy eps * max(g) / min(g) if larger."""
    tolerance = max(1e-12, 4 * solution.accuracy)
    assert solution.resistance == pytest.approx(expected_resistance, rel=tolerance)


@given(rj=resistance_values, re=resistance_values, n=st.integers(1, 6))
def test_parallel_rule_for_identical_sticks(rj, re, n):
    # n parallel horizontal sticks spanning the box: n identical branches of Re + rw * Lx + Re.
    s = Sticks([[-0.2, (k + 0.5) / n, 1.3, (k + 0.5) / n] for k in range(n)], box=1)
    rw = rj / 7
    _assert_within_accuracy(solve_network(junction_node_network(s, rw=rw, rj=rj, re=re)), (2 * re + rw) / n)


def test_two_crossing_sticks_zero_resistances(crossing_pair):
    seamless = junction_node_network(crossing_pair, rw=RW, rj=0.0, re=RE)
    assert resistance(seamless) == pytest.approx(2 * RE + RW * (1.5 + SQRT2 / 2), abs=1e-12)
    assert seamless.edge_counts()["junction"] == 0
    no_wire = junction_node_network(crossing_pair, rw=0.0, rj=RJ, re=RE)
    assert resistance(no_wire) == pytest.approx(2 * RE + RJ, abs=1e-12)
    no_contact = junction_node_network(crossing_pair, rw=RW, rj=RJ, re=0.0)
    assert resistance(no_contact) == pytest.approx(RW * (1.5 + SQRT2 / 2) + RJ, abs=1e-12)


def _bridge(a, b, c, d, e):
    """Resistance from node 1 to ground of the bridge 1-2 (a), 1-3 (b), 2-3 (c), 2-0 (d), 3-0 (e).

    Kirchhoff at nodes 2 and 3 with V1 = 1, V0 = 0, solved by Cramer's rule.
    """
    m11, m12, m22 = 1 / a + 1 / c + 1 / d, -1 / c, 1 / b + 1 / c + 1 / e
    det = m11 * m22 - m12 * m12
    v2 = (1 / a * m22 - m12 * 1 / b) / det
    v3 = (m11 * 1 / b - m12 * 1 / a) / det
    return 1 / ((1 - v2) / a + (1 - v3) / b)


def test_ladder_junction_node(ladder):
    # Rail 1: L -Re- T0 -0.5rw- T1 -1.0rw- T2 -0.5rw- T3 -Re- R.  Rungs: T1 ~ B1 and T2 ~ B2 through
    # P = 2 Rj + 0.4 rw.  Rail 2: B1 -1.0rw- B2 -0.5rw- B3 -Re- R (B1 joins only rung A and B2).
    p = 2 * RJ + 0.4 * RW
    bridge = _bridge(a=RW * 1.0, b=p + RW * 1.0, c=p, d=0.5 * RW + RE, e=0.5 * RW + RE)
    expected = RE + 0.5 * RW + bridge
    assert resistance(junction_node_network(ladder, rw=RW, rj=RJ, re=RE)) == pytest.approx(expected, abs=1e-12)


def test_ladder_wire_node(ladder):
    # Rail 1 to R: Re in parallel with (two rungs of 2 Rj in parallel = Rj, then rail 2, then Re).
    expected = RE + RE * (RJ + RE) / (2 * RE + RJ)
    assert resistance(wire_node_network(ladder, rj=RJ, re=RE)) == pytest.approx(expected, abs=1e-12)


def test_torus_loop_winding_once():
    # Sticks A and B cross twice in a periodic 2 x 2 box, once through the x boundary: one loop that
    # wraps x, of resistance 2 Rj + rw (0.625 |A| + 0.625 |B|).
    s = Sticks([[0.2, 0.5, 1.8, 1.5], [1.0, 1.5, 2.6, 0.5]], box=2, periodic=True)
    length = math.hypot(1.6, 1.0)
    jn = solve_network(junction_node_network(s, rw=RW, rj=RJ))
    assert jn.resistance == pytest.approx(2 * RJ + RW * 1.25 * length, abs=1e-12)
    wn = solve_network(wire_node_network(s, rj=RJ))
    assert wn.resistance == pytest.approx(2 * RJ, abs=1e-12)
    assert wn.network.n_edges == 2  # parallel junction edges kept


def test_not_percolating_gives_zero_without_error():
    s = Sticks([[-0.5, 0.5, 0.5, 0.5], [1.5, 0.5, 2.5, 0.5]], box=(2.0, 1.0))
    for net in (junction_node_network(s), wire_node_network(s)):
        sol = solve_network(net)
        assert not sol.percolates and sol.conductance == 0.0 and sol.resistance == math.inf
        assert np.all(sol.currents == 0)
    empty = solve_network(junction_node_network(Sticks(np.zeros((0, 4)), box=3)))
    assert not empty.percolates and empty.conductance == 0.0
    torus = solve_network(wire_node_network(Sticks([[0.2, 0.2, 0.8, 0.8]], box=2, periodic=True)))
    assert not torus.percolates and torus.conductance == 0.0


def test_zero_resistances_that_short_the_electrodes_are_an_error():
    s = Sticks([[-0.5, 0.5, 1.5, 0.5]], box=1)
    with pytest.raises(SingularSystemError, match="electrodes"):
        junction_node_network(s, rw=0.0, re=0.0)
    with pytest.raises(SingularSystemError, match="electrodes"):
        wire_node_network(s, rj=1.0, re=0.0)


def test_zero_resistance_loop_wrapping_the_torus_is_an_error():
    s = Sticks([[0.2, 0.5, 1.8, 1.5], [1.0, 1.5, 2.6, 0.5]], box=2, periodic=True)
    with pytest.raises(SingularSystemError, match="wraps"):
        wire_node_network(s, rj=0.0)


@pytest.mark.parametrize("name", ["rw", "rj", "re"])
@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf"), "abc"])
def test_bad_resistances_name_the_parameter(name, value, crossing_pair):
    with pytest.raises(InvalidInputError, match=name):
        junction_node_network(crossing_pair, **{name: value})


def test_junction_node_tends_to_wire_node_as_rw_vanishes():
    s = generate_sticks(12.0, box=8, rng=5)
    g_wire = solve_network(wire_node_network(s, rj=1.0)).conductance
    g_exact = solve_network(junction_node_network(s, rw=0.0, rj=1.0)).conductance
    assert g_exact == pytest.approx(g_wire, rel=1e-12)
    previous = 0.0
    for rw in (1.0, 1e-1, 1e-2, 1e-3, 1e-4):
        g = solve_network(junction_node_network(s, rw=rw, rj=1.0)).conductance
        assert previous <= g <= g_wire * (1 + 1e-9)
        previous = g
    assert previous == pytest.approx(g_wire, rel=2e-4)


def test_stiff_wire_segments_are_contracted_and_accurate():
    # rw = 1e-9: segment conductances span ~15 decades; once warned with no correct digit, now contracted.
    s = generate_sticks(12.0, box=8, rng=5)
    g_wire = solve_network(wire_node_network(s, rj=1.0)).conductance
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning any more
        sol = solve_network(junction_node_network(s, rw=1e-9, rj=1.0))
    assert sol.n_contracted > 0 and sol.accurate and sol.accuracy < 1e-6
    assert g_wire * (1 - 1e-8) < sol.conductance <= g_wire * (1 + 1e-12)


@given(st.integers(0, 2**16), st.floats(1.0, 100.0), st.sampled_from(["wire-node", "junction-node"]))
def test_rayleigh_monotonicity(seed, factor, form):
    s = generate_sticks(9.0, box=5, rng=seed)
    net = junction_node_network(s) if form == "junction-node" else wire_node_network(s)
    base = solve_network(net).conductance
    rng = np.random.default_rng(seed)
    g = net.edge_conductance * np.where(rng.random(net.n_edges) < 0.3, factor, 1.0)
    raised = solve_network(net.replace(edge_conductance=g)).conductance
    assert raised >= base * (1 - 1e-12)


@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
def test_translation_invariance_in_periodic_box(form):
    s = random_sticks(11, 600, (7.0, 7.0), periodic=True)
    build = junction_node_network if form == "junction-node" else wire_node_network
    g0 = solve_network(build(s)).conductance
    assert g0 > 0
    for shift in [(0.3, 0.0), (0.0, 2.7), (3.9, 5.1)]:
        assert solve_network(build(s.translated(shift))).conductance == pytest.approx(g0, rel=1e-10)


def test_translation_in_y_with_bus_bars_periodic_in_y():
    s = random_sticks(2, 500, (6.0, 6.0), periodic=(False, True))
    g0 = solve_network(junction_node_network(s)).conductance
    assert solve_network(junction_node_network(s.translated((0.0, 2.2)))).conductance == pytest.approx(g0, rel=1e-10)


def test_mirror_symmetry_swaps_electrodes():
    s = generate_sticks(10.0, box=6, rng=9)
    e = s.endpoints
    mirrored = Sticks(np.column_stack([6.0 - e[:, 0], e[:, 1], 6.0 - e[:, 2], e[:, 3]]), box=6)
    for build in (junction_node_network, wire_node_network):
        assert solve_network(build(mirrored)).conductance == pytest.approx(
            solve_network(build(s)).conductance, rel=1e-10
        )


def test_current_conservation_and_direction():
    s = generate_sticks(10.0, box=6, rng=4)
    sol = solve_network(junction_node_network(s), voltage=2.0)
    left, right = sol.network.electrodes
    assert sol.potentials[left] == 2.0 and sol.potentials[right] == 0.0
    e = sol.network.edges
    into_right = sol.currents[e[:, 1] == right].sum() - sol.currents[e[:, 0] == right].sum()
    assert into_right == pytest.approx(sol.current, rel=1e-10)
    assert sol.conductance == pytest.approx(sol.current / 2.0)


def test_superlu_fallback_agrees_with_cholmod():
    s = generate_sticks(10.0, box=6, rng=8)
    net = junction_node_network(s)
    a = solve_network(net, solver="cholmod")
    b = solve_network(net, solver="superlu")
    assert a.backend == "cholmod" and b.backend == "superlu"
    assert b.conductance == pytest.approx(a.conductance, rel=1e-10)


def test_missing_cholmod_falls_back_with_warning(monkeypatch):
    from nanograph import BackendUnavailableError
    from nanograph.linalg import factor

    monkeypatch.setattr(factor, "_import_cholmod", lambda: None)
    net = wire_node_network(generate_sticks(10.0, box=5, rng=1))
    with pytest.warns(RuntimeWarning, match="SuperLU"):
        assert solve_network(net).backend == "superlu"
    with pytest.raises(BackendUnavailableError, match="libsuitesparse-dev"):
        solve_network(net, solver="cholmod")
