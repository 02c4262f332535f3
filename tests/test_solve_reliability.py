"""Reliability of Kirchhoff solves: stiff systems, accuracy flags, degenerate networks, checked inputs (issue 12)."""

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nanograph import (
    InvalidInputError,
    Network,
    SingularSystemError,
    Sticks,
    build_network,
    generate_sticks,
    junction_node_network,
    solve_network,
    wire_node_network,
)
from nanograph.errors import NanographError
from nanograph.linalg.solve import (
    ACCURACY_THRESHOLD,
    InaccurateSolutionError,
    InaccurateSolutionWarning,
    kirchhoff_system,
)


def exact_conductance(net: Network) -> Fraction:
    """Exact rational conductance of a bus-bar network's float conductances (sparse Gaussian elimination)."""
    left, right = (int(v) for v in net.electrodes)
    free = [v for v in range(net.n_nodes) if v not in (left, right)]
    idx = {v: k for k, v in enumerate(free)}
    rows, rhs = [{} for _ in free], [Fraction(0)] * len(free)
    pairs = [
        (t, h, Fraction(float(g))) for (t, h), g in zip(net.edges.tolist(), net.edge_conductance, strict=True) if t != h
    ]
    for t, h, g in pairs:
        for u, v in ((t, h), (h, t)):
            if u in idx:
                row = rows[idx[u]]
                row[idx[u]] = row.get(idx[u], 0) + g
                if v in idx:
                    row[idx[v]] = row.get(idx[v], 0) - g
                elif v == left:
                    rhs[idx[u]] += g
    for k, row in enumerate(rows):
        for i in [j for j in row if j > k and row[k]]:
            f = rows[i][k] / row[k]
            for j, val in row.items():
                if j >= k:
                    rows[i][j] = rows[i].get(j, 0) - f * val
            rhs[i] -= f * rhs[k]
    x = [Fraction(0)] * len(free)
    for k in reversed(range(len(free))):
        if rows[k].get(k):
            x[k] = (rhs[k] - sum(v * x[j] for j, v in rows[k].items() if j > k)) / rows[k][k]
    pot = [x[idx[v]] if v in idx else Fraction(int(v == left)) for v in range(net.n_nodes)]
    return sum(g * (pot[left] - pot[h if t == left else t]) for t, h, g in pairs if left in (t, h))


# --- 1. stiff systems are computed right ---------------------------------------------------------------


def test_exact_reference_of_a_hand_solved_circuit():
    net = Network.from_edges(3, [[0, 1], [1, 2], [0, 2]], [1.0, 2.0, 0.5], electrodes=[0, 2])
    assert exact_conductance(net) == Fraction(2, 3) + Fraction(1, 2)


def test_series_chain_with_a_tiny_resistor_is_exact():
    # 1 + 1e-13 + 1 ohm in series: the 1e-13 edge is contracted, its energy bounds and corrects the result.
    net = Network.from_edges(4, [[0, 1], [1, 2], [2, 3]], [1.0, 1e13, 1.0], electrodes=[0, 3])
    sol = solve_network(net)
    assert sol.n_contracted == 1 and sol.accurate
    assert sol.resistance == pytest.approx(2 + 1e-13, rel=1e-15)
    assert sol.contraction_error == pytest.approx(0.5e-13, rel=1e-6)
    assert np.allclose(sol.currents, 1 / (2 + 1e-13), rtol=1e-14)  # the contracted edge carries the current


def test_contracted_group_with_a_parallel_weak_edge():
    # Nodes 1, 2 joined by a 1e-12 ohm edge and a 1 ohm edge in parallel; 1 ohm on each side.
    net = Network.from_edges(4, [[0, 1], [1, 2], [1, 2], [2, 3]], [1.0, 1e12, 1.0, 1.0], electrodes=[0, 3])
    sol = solve_network(net)
    r_mid = 1 / (1e12 + 1.0)
    assert sol.n_contracted == 1 and sol.resistance == pytest.approx(2 + r_mid, rel=1e-15)
    i = 1 / (2 + r_mid)
    assert sol.currents[1] + sol.currents[2] == pytest.approx(i, rel=1e-12)
    assert sol.currents[2] == pytest.approx(i * r_mid, rel=1e-6)  # the weak edge's share, first order


@pytest.mark.parametrize("seed", [2, 3])
@pytest.mark.parametrize("rw", [1e-2, 1e-5, 1e-7, 1e-9, 1e-12, 1e-14])
def test_stiff_junction_node_network_matches_exact_rational_solve(seed, rw):
    net = build_network(generate_sticks(6.0, box=2.5, rng=seed), "junction-node", rw=rw, rj=1.0)
    exact = exact_conductance(net)
    with warnings.catch_warnings():
        warnings.simplefilter("error", InaccurateSolutionWarning)
        sol = solve_network(net)
    assert sol.accurate
    # Measured: <= 2e-13 for every rw (the stated accuracy is a conservative 1e-7-level estimate).
    assert abs(Fraction(sol.conductance) - exact) / exact < 1e-12


@given(st.integers(0, 2**16), st.sampled_from([1e6, 1e10, 1e13, 1e16]), st.floats(0.05, 0.6))
def test_random_stiff_circuits_match_exact_rational_solves(seed, stiffness, fraction):
    # A random circuit of 12 nodes; a random share of its edges made `stiffness` times more conductive.
    rng = np.random.default_rng(seed)
    edges = rng.integers(0, 12, size=(30, 2))
    g = rng.uniform(0.5, 2.0, 30) * np.where(rng.random(30) < fraction, stiffness, 1.0)
    net = Network.from_edges(12, edges, g, electrodes=[0, 11])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InaccurateSolutionWarning)
        sol = solve_network(net)
    exact = exact_conductance(net)
    if exact == 0:
        assert not sol.percolates and sol.conductance == 0.0
        return
    error = float(abs(Fraction(sol.conductance) - exact) / exact)
    assert error <= max(1e-12, sol.accuracy)  # right, or flagged (groups shorting the electrodes)
    assert sol.accurate or sol.n_contracted < int((net.edge_conductance > 1e5).sum())


def test_rw_to_zero_approaches_the_wire_node_answer_smoothly():
    s = generate_sticks(8.0, box=6, rng=3)
    g_wire = solve_network(wire_node_network(s, rj=1.0)).conductance
    deficit = {}
    for rw in 10.0 ** -np.arange(3, 15):
        sol = solve_network(junction_node_network(s, rw=rw, rj=1.0))
        assert sol.accurate
        assert sol.conductance <= g_wire * (1 + sol.accuracy + 1e-14)  # never above the rw = 0 limit
        deficit[rw] = 1 - sol.conductance / g_wire
    slope = deficit[1e-6] / 1e-6  # G(rw) = G_wire (1 - slope rw + O(rw^2))
    assert slope > 0
    for rw, d in deficit.items():
        if rw <= 1e-5:
            assert d == pytest.approx(slope * rw, rel=1e-3, abs=2e-15)


def test_issue_case_rw_1e_14_gives_the_wire_node_conductance():
    s = generate_sticks(8.0, box=6, rng=3)
    g_wire = solve_network(wire_node_network(s, rj=1.0)).conductance
    sol = solve_network(junction_node_network(s, rw=1e-14, rj=1.0))
    assert sol.conductance == pytest.approx(g_wire, rel=1e-13) and sol.accuracy < 1e-12


def test_stiff_periodic_torus_loop():
    # One loop winding around x: 2 Rj + rw (0.625 |A| + 0.625 |B|), with a tiny rw.
    s = Sticks([[0.2, 0.5, 1.8, 1.5], [1.0, 1.5, 2.6, 0.5]], box=2, periodic=True)
    rw = 1e-13
    sol = solve_network(junction_node_network(s, rw=rw, rj=1.0))
    assert sol.n_contracted > 0 and sol.accurate
    assert sol.resistance == pytest.approx(2 + rw * 1.25 * np.hypot(1.6, 1.0), rel=1e-15)


def test_stiff_periodic_network_tends_to_wire_node():
    s = generate_sticks(9.0, box=5, periodic=(True, True), rng=4)
    g_wire = solve_network(wire_node_network(s, rj=1.0)).conductance
    sol = solve_network(junction_node_network(s, rw=1e-12, rj=1.0))
    assert sol.accurate and sol.conductance == pytest.approx(g_wire, rel=1e-10)
    assert sol.kcl_residual < 1e-9


# --- 2. where it cannot be computed right, it is refused ----------------------------------------------------


def _uncontractible():
    # Two 1e-15 ohm edges in series join the electrodes; contracting them would short the electrodes.
    return Network.from_edges(3, [[0, 1], [1, 2], [0, 2]], [1e15, 1e15, 1.0], electrodes=[0, 2])


def test_inaccurate_solution_is_flagged_and_check_raises():
    with pytest.warns(InaccurateSolutionWarning, match="accurate to only"):
        sol = solve_network(_uncontractible())
    assert not sol.accurate and sol.accuracy > ACCURACY_THRESHOLD
    with pytest.raises(InaccurateSolutionError, match="accurate to only") as info:
        sol.check()
    assert isinstance(info.value, NanographError)
    assert sol.check(threshold=1.0) is sol


def test_accurate_solution_check_returns_itself(crossing_pair):
    sol = solve_network(junction_node_network(crossing_pair))
    assert sol.accurate and sol.check() is sol and sol.accuracy < 1e-12


# --- 3. degenerate networks give their physical answer ------------------------------------------------------

DEGENERATE = {
    "empty": np.zeros((0, 4)),
    "one stick": np.array([[0.3, 0.4, 0.7, 0.6]]),
    "no junction": np.array([[0.2, 0.2, 0.8, 0.2], [0.2, 0.6, 0.8, 0.6]]),
    "no electrode contact": np.array([[0.3, 0.3, 0.7, 0.7], [0.3, 0.7, 0.7, 0.3]]),
}


@pytest.mark.parametrize("case", DEGENERATE)
@pytest.mark.parametrize("periodic", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
def test_degenerate_networks_do_not_percolate(case, periodic, form):
    net = build_network(Sticks(DEGENERATE[case], box=1, periodic=periodic), form)
    sol = solve_network(net)
    assert not sol.percolates and sol.conductance == 0.0 and sol.current == 0.0
    assert sol.accurate and sol.kcl_residual == 0.0 and np.all(sol.currents == 0)


def test_low_density_periodic_sweep_has_no_error_rows(tmp_path):
    from nanograph.ensemble import SweepGrid, run_sweep
    from nanograph.ensemble.store import ResultsStore

    grid = SweepGrid.from_mapping({"density": [0.2, 1.0], "box": 3, "form": ["wire-node", "junction-node"],
                                   "periodic": ["x", "xy"], "runs": 3, "seed": 5})  # fmt: skip
    summary = run_sweep(grid, tmp_path / "s.sqlite", executor="serial", progress=False)
    assert summary.errors == 0
    with ResultsStore(tmp_path / "s.sqlite") as store:
        rows = list(store.rows())
    assert all(r["status"] == "ok" and r["outputs"]["accuracy"] <= ACCURACY_THRESHOLD for r in rows)
    assert any(not r["outputs"]["percolates"] and r["outputs"]["conductance"] == 0.0 for r in rows)


def test_inaccurate_sweep_row_is_not_ok():
    from nanograph.ensemble.sweep import Task, run_task

    point = {"density": 20.0, "box": 0.5, "length": "1", "odf": "isotropic", "periodic": "none",
             "form": "junction-node", "rj": 1.0, "rw": 1e-15, "re": 1e-15, "closure": "none"}  # fmt: skip
    row = run_task(Task(point, 0, 1, (0, 0), ("conductance",)))
    assert row["status"] == "error" and "InaccurateSolutionError" in row["error"]
    assert "accurate to only" in row["error"]


# --- 4. electrodes and names are checked up front -----------------------------------------------------------


def test_both_electrodes_on_one_node_is_an_error():
    net = Network.from_edges(3, [[0, 1], [1, 2]], 1.0, electrodes=[0, 0])
    with pytest.raises(SingularSystemError, match="electrodes"):
        solve_network(net)


@pytest.mark.parametrize("electrodes", [[0, 7], [-1, 2]])
def test_bad_electrode_ids_are_invalid_input(electrodes):
    net = Network.from_edges(3, [[0, 1], [1, 2]], 1.0, electrodes=[0, 2])
    try:
        bad = net.replace(electrodes=np.array(electrodes))
    except InvalidInputError:
        return  # refused when the network is built: also a clear error
    with pytest.raises(InvalidInputError, match="electrodes"):
        solve_network(bad)


@pytest.mark.parametrize("name", ["solver", "ordering", "mode"])
def test_unknown_names_are_refused_before_anything_is_solved(name):
    empty = junction_node_network(Sticks(np.zeros((0, 4)), box=1))  # nothing to solve
    with pytest.raises(InvalidInputError, match=name):
        solve_network(empty, **{name: "bogus"})
    with pytest.raises(InvalidInputError, match=name):
        solve_network(_uncontractible(), **{name: "bogus"})


def test_solution_arrays_are_read_only(crossing_pair):
    sol = solve_network(junction_node_network(crossing_pair))
    for array in (sol.potentials, sol.currents):
        with pytest.raises(ValueError):
            array[0] = 1.0


def test_kirchhoff_system_reports_the_contraction():
    net = Network.from_edges(4, [[0, 1], [1, 2], [2, 3]], [1.0, 1e13, 1.0], electrodes=[0, 3])
    system = kirchhoff_system(net)
    assert system.n_contracted == 1 and system.n_unknowns == 1 and system.accuracy < 1e-15
