"""Iterative solves: converged to a certified bracket that holds the direct solution, and bad input."""

import warnings

import numpy as np
import pytest

from nanograph import (
    InvalidInputError,
    Network,
    generate_sticks,
    junction_node_network,
    solve_network,
    wire_node_network,
)
from nanograph.linalg.iterative import segment_stiffness, solve_iterative, stick_aggregates
from nanograph.linalg.solve import kirchhoff_system


def bridge():
    """Wheatstone bridge of test_bracket.py: G = 5/7 S."""
    return Network.from_edges(4, [[0, 2], [0, 3], [2, 1], [3, 1], [2, 3]], [1, 0.5, 0.5, 1, 1], electrodes=(0, 1))


@pytest.mark.parametrize("method", ["cg-jacobi", "cg-amg"])
def test_bridge(method):
    sol = solve_iterative(bridge(), method=method, rtol=1e-12)
    assert sol.converged and sol.relative_width <= 1e-12
    assert sol.conductance_lower <= 5 / 7 <= sol.conductance_upper
    assert sol.conductance == pytest.approx(5 / 7, rel=1e-12)
    assert sol.potentials[[2, 3]] == pytest.approx([4 / 7, 3 / 7], rel=1e-6)


def test_non_percolating_network():
    sol = solve_iterative(Network.from_edges(4, [[0, 2], [3, 1]], 1.0, electrodes=(0, 1)))
    assert not sol.percolates and sol.conductance == 0.0 and sol.converged and sol.method == "none"


def sticks(periodic=False, seed=3):
    return generate_sticks(15, box=6, periodic=(periodic, False), rng=seed)


CASES = [
    ("wire-node", "cg-amg", False),
    ("wire-node", "cg-amg", True),
    ("junction-node", "cg-twolevel", False),
    ("junction-node", "cg-twolevel", True),
    ("junction-node", "cg-amg", False),
]


@pytest.mark.parametrize(("form", "method", "periodic"), CASES)
def test_bracket_holds_the_direct_conductance(form, method, periodic):
    s = sticks(periodic)
    net = wire_node_network(s, rj=1.0) if form == "wire-node" else junction_node_network(s, rw=1.0, rj=1.0)
    direct = solve_network(net)
    sol = solve_iterative(net, method=method, rtol=1e-9)
    assert sol.converged and sol.method == method and sol.iterations < 100
    assert sol.relative_width <= 1e-9
    slack = 4 * direct.accuracy * direct.conductance
    assert sol.conductance_lower - slack <= direct.conductance <= sol.conductance_upper + slack
    assert sol.conductance == pytest.approx(direct.conductance, rel=1e-9)
    assert sol.residual < 1e-4


@pytest.mark.parametrize("ratio", [1e-6, 1e-3, 1.0, 1e3, 1e6])
def test_auto_is_robust_in_rw_over_rj(ratio):
    net = junction_node_network(sticks(seed=5), rw=ratio, rj=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the direct solve's accuracy warning when stiff
        direct = solve_network(net)
    sol = solve_iterative(net, rtol=1e-8)
    assert sol.converged and sol.iterations <= 40
    assert sol.method == ("cg-twolevel" if ratio <= 1.0 else "cg-amg")
    # Both are accurate to the larger of the direct solve's stated accuracy and the bracket's width.
    assert sol.conductance == pytest.approx(direct.conductance, rel=max(1e-8, 4 * direct.accuracy))


def test_not_converged_warns_and_keeps_a_valid_bracket():
    net = junction_node_network(sticks(), rw=1.0, rj=1.0)
    direct = solve_network(net)
    with pytest.warns(RuntimeWarning, match="not converged"):
        sol = solve_iterative(net, method="cg-jacobi", rtol=1e-12, maxiter=3)
    assert not sol.converged and sol.iterations == 3 and sol.relative_width > 1e-12
    assert sol.conductance_lower <= direct.conductance <= sol.conductance_upper


def test_stick_aggregates_and_stiffness():
    s = sticks()
    jn = junction_node_network(s, rw=1.0, rj=1.0)
    agg = stick_aggregates(jn, kirchhoff_system(jn))
    assert agg is not None and agg.max() + 1 < len(agg)
    assert stick_aggregates(wire_node_network(s), kirchhoff_system(wire_node_network(s))) is None
    assert segment_stiffness(junction_node_network(s, rw=1e-3, rj=1.0)) > 1e3
    assert np.isnan(segment_stiffness(wire_node_network(s)))


@pytest.mark.parametrize("rtol", [0, 1, -1e-3, 2.0, float("nan")])
def test_bad_rtol(rtol):
    with pytest.raises(InvalidInputError, match="rtol"):
        solve_iterative(bridge(), rtol=rtol)


def test_bad_method_and_maxiter():
    with pytest.raises(InvalidInputError, match="method"):
        solve_iterative(bridge(), method="gmres")
    with pytest.raises(InvalidInputError, match="maxiter"):
        solve_iterative(bridge(), maxiter=0)
    with pytest.raises(InvalidInputError, match="cg-twolevel"):
        solve_iterative(wire_node_network(sticks()), method="cg-twolevel")


def test_a_prebuilt_system_is_reused():
    net = bridge()
    sol = solve_iterative(net, system=kirchhoff_system(net), method="cg-jacobi", rtol=1e-10)
    assert sol.converged and sol.conductance == pytest.approx(5 / 7, rel=1e-10)


def test_solve_network_dispatches_to_the_certified_iterative_solvers():
    from nanograph.geometry.sticks import generate_sticks
    from nanograph.graphs.builders import junction_node_network, wire_node_network
    from nanograph.linalg.solve import solve_network

    sticks = generate_sticks(12.0, box=6, rng=4)
    for net in (wire_node_network(sticks), junction_node_network(sticks, rw=1.0, rj=1.0)):
        direct = solve_network(net).conductance
        for solver in ("cg", "cg-amg", "cg-jacobi"):
            it = solve_network(net, solver=solver).check()
            assert it.conductance_lower <= direct * (1 + 1e-12) and direct <= it.conductance_upper * (1 + 1e-12)
            assert it.accuracy <= 1e-6 and abs(it.conductance / direct - 1) <= 1e-7
