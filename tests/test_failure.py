"""Removal curves and fuse cascades: circuits followed by hand, update against refactor, properties, CLI."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nanograph.analysis.failure import fuse_cascade, removal_curve
from nanograph.cli import main
from nanograph.errors import InvalidInputError, NotPercolatingError
from nanograph.geometry.io import save_sticks
from nanograph.geometry.sticks import generate_sticks
from nanograph.graphs.builders import junction_node_network, wire_node_network
from nanograph.graphs.network import Network
from nanograph.linalg.solve import solve_network


def parallel_pair():
    return Network.from_edges(2, [[0, 1], [0, 1]], [1.0, 0.5], electrodes=(0, 1))


def series_then_parallel():
    """0 -(1 ohm)- 1 =(two 1-ohm edges in parallel)= 2; R = 1.5."""
    return Network.from_edges(3, [[0, 1], [1, 2], [1, 2]], 1.0, electrodes=(0, 2))


# -- cascades by hand -------------------------------------------------------------------------------------
def test_voltage_ramp_on_two_parallel_resistors():
    c = fuse_cascade(parallel_pair(), 1.0)
    assert c.failed_edges.tolist() == [0, 1] and c.voltage == pytest.approx([1.0, 2.0])
    assert c.current == pytest.approx([1.5, 1.0]) and c.conductance == pytest.approx([0.5, 0.0])
    assert c.avalanche.tolist() == [False, False] and c.opened and c.reason == "opened"
    assert c.initial_conductance == pytest.approx(1.5)


def test_current_ramp_makes_the_second_failure_an_avalanche():
    c = fuse_cascade(parallel_pair(), 1.0, drive="current")
    # 1 A through the 1-ohm edge at I = 1.5 A (V = 1); then all 1.5 A through the 2-ohm edge: V = 3, at once.
    assert c.failed_edges.tolist() == [0, 1] and c.voltage == pytest.approx([1.0, 3.0])
    assert c.current == pytest.approx([1.5, 1.5]) and c.avalanche.tolist() == [False, True]


def test_series_edge_fails_first_and_opens_the_film():
    c = fuse_cascade(series_then_parallel(), 1.0)
    assert c.failed_edges.tolist() == [0] and c.voltage == pytest.approx([1.5]) and c.opened


def test_unbreakable_series_edge_leaves_the_parallel_pair_to_fail_together():
    c = fuse_cascade(series_then_parallel(), [math.inf, 1.0, 1.0])
    # each parallel edge carries I/2: both reach 1 A at I = 2 A, V = 3; the second follows at once.
    assert c.failed_edges.tolist() == [1, 2] and c.voltage == pytest.approx([3.0, 3.0])
    assert c.avalanche.tolist() == [False, True] and c.conductance == pytest.approx([0.5, 0.0])


def test_power_thresholds():
    net = Network.from_edges(3, [[0, 1], [1, 2]], [1.0, 0.5], electrodes=(0, 2))  # 1 and 2 ohm in series
    c = fuse_cascade(net, 1.0, quantity="power")  # the 2-ohm edge reaches 1 W at I = 1/sqrt(2)
    assert c.failed_edges.tolist() == [1] and c.voltage == pytest.approx([3 / math.sqrt(2)]) and c.opened


def test_a_cascade_that_would_never_end_says_so_and_stops():
    with pytest.warns(RuntimeWarning, match="never end"):
        c = fuse_cascade(series_then_parallel(), math.inf)
    assert c.reason == "never" and not c.opened and len(c.failed_edges) == 0
    with pytest.warns(RuntimeWarning, match="never end"):
        assert fuse_cascade(series_then_parallel(), 1.0, kinds="closure").reason == "never"
    c = fuse_cascade(series_then_parallel(), 1.0, max_drive=1.0)  # the first failure needs 1.5 V
    assert c.reason == "max_drive" and len(c.failed_edges) == 0


# -- update against refactor ------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["junction-node", "wire-node"])
def test_downdates_equal_refactorisation(form):
    sticks = generate_sticks(10, box=6, rng=5)
    net = junction_node_network(sticks, rw=1.0, rj=1.0) if form == "junction-node" else wire_node_network(sticks)
    kwargs = {"spread": 0.5, "rng": 2, "check_every": 1}
    update = fuse_cascade(net, 0.05, method="update", **kwargs)
    refactor = fuse_cascade(net, 0.05, method="refactor", **kwargs)
    assert update.opened and np.array_equal(update.failed_edges, refactor.failed_edges)
    assert update.voltage == pytest.approx(refactor.voltage, rel=1e-10)
    assert update.conductance == pytest.approx(refactor.conductance, rel=1e-10, abs=1e-12)
    assert update.max_update_error < 1e-10 and update.method == "update"
    # the failed edges really open the film
    g = net.edge_conductance.copy()
    g[update.failed_edges] = 0
    assert solve_network(net.replace(edge_conductance=g)).conductance == 0.0
    g[update.failed_edges[-1]] = net.edge_conductance[update.failed_edges[-1]]
    assert solve_network(net.replace(edge_conductance=g)).conductance > 0


def test_staircase_is_monotone_under_a_voltage_ramp():
    net = junction_node_network(generate_sticks(10, box=6, rng=1), rw=1.0, rj=1.0)
    c = fuse_cascade(net, 0.1, spread=0.3, rng=0, kinds="junction")
    assert np.all(np.diff(c.voltage) >= -1e-12) and np.all(np.diff(c.conductance) <= 1e-12)
    assert np.all(c.avalanche == np.r_[False, np.diff(c.voltage) <= 1e-15][: len(c.voltage)])
    assert np.all(net.edge_kind[c.failed_edges] == 0)


# -- removal curves ---------------------------------------------------------------------------------------
def test_removal_by_hand():
    chain = Network.from_edges(4, [[0, 1], [1, 2], [2, 3]], 1.0, electrodes=(0, 3))
    curve = removal_curve(chain, steps=3, rng=0)
    assert curve.failure_fraction == pytest.approx(1 / 3) and curve.conductance.tolist()[1:] == [0, 0, 0]
    bundle = Network.from_edges(2, [[0, 1]] * 4, 1.0, electrodes=(0, 1))
    curve = removal_curve(bundle, steps=4, rng=0)
    assert curve.conductance == pytest.approx([4, 3, 2, 1, 0]) and curve.failure_fraction == 1.0
    assert curve.fraction_removed == pytest.approx([0, 0.25, 0.5, 0.75, 1])


@pytest.mark.parametrize("mode", ["random", "current", "betweenness"])
@pytest.mark.parametrize("target", ["junctions", "wires"])
def test_removal_curves_fall_and_fail_where_the_film_opens(mode, target):
    net = junction_node_network(generate_sticks(9, box=5, rng=2), rw=1.0, rj=1.0)
    curve = removal_curve(net, mode=mode, target=target, fraction=1.0, steps=10, rng=4, pairs=16)
    assert np.all(np.diff(curve.conductance) <= 1e-12)  # Rayleigh monotonicity
    assert 0 < curve.failure_fraction <= 1
    opened = curve.fraction_removed >= curve.failure_fraction - 1e-12
    assert np.all(curve.conductance[opened] == 0) and np.all(curve.conductance[~opened] > 0)


def test_targeted_removal_breaks_the_film_sooner_than_random():
    net = junction_node_network(generate_sticks(10, box=8, rng=3), rw=1.0, rj=1.0)
    random = [removal_curve(net, mode="random", fraction=0.1, steps=1, rng=s).failure_fraction for s in range(3)]
    assert removal_curve(net, mode="current", fraction=0.3, steps=15).failure_fraction < min(random)


@settings(max_examples=15)
@given(seed=st.integers(0, 1000))
def test_random_removal_is_reproducible_and_monotone(seed):
    net = wire_node_network(generate_sticks(8, box=4, rng=seed))
    a = removal_curve(net, fraction=0.5, steps=5, rng=seed, target="wires")
    b = removal_curve(net, fraction=0.5, steps=5, rng=seed, target="wires")
    assert np.array_equal(a.conductance, b.conductance) and np.array_equal(a.order, b.order)
    assert np.all(np.diff(a.conductance) <= 1e-12)


# -- bad input --------------------------------------------------------------------------------------------
def test_bad_inputs_name_the_parameter():
    net = series_then_parallel()
    for kwargs, match in [({"fraction": 1.5}, "^fraction"), ({"fraction": -0.1}, "^fraction"),
                          ({"steps": 0}, "^steps"), ({"mode": "worst"}, "^mode"), ({"target": "x"}, "^target")]:  # fmt: skip
        with pytest.raises(InvalidInputError, match=match):
            removal_curve(net, **kwargs)
    for args, kwargs, match in [((0.0,), {}, "^threshold"), ((-1.0,), {}, "^threshold"),
                                ((1.0,), {"spread": 1.0}, "^spread"), ((1.0,), {"drive": "x"}, "^drive"),
                                ((1.0,), {"quantity": "x"}, "^quantity"), ((1.0,), {"method": "x"}, "^method")]:  # fmt: skip
        with pytest.raises(InvalidInputError, match=match):
            fuse_cascade(net, *args, **kwargs)
    with pytest.raises(InvalidInputError, match="^network must have electrodes"):
        fuse_cascade(Network.from_edges(2, [[0, 1]], 1.0), 1.0)
    with pytest.raises(NotPercolatingError):
        fuse_cascade(Network.from_edges(3, [[0, 1]], 1.0, electrodes=(0, 2)), 1.0)


# -- command line -----------------------------------------------------------------------------------------
@pytest.fixture
def sticks_file(tmp_path):
    sticks = generate_sticks(10, box=6, rng=4)
    path = tmp_path / "sticks.npz"
    save_sticks(path, sticks)
    return sticks, path


def test_cli_removal_and_cascade(sticks_file, capsys):
    pytest.importorskip("matplotlib")
    sticks, path = sticks_file
    assert main(["failure", str(path), "--box", "6", "--mode", "random", "--fraction", "0.2", "--steps", "4",
                 "--seed", "3", "--json"]) == 0  # fmt: skip
    record = json.loads(capsys.readouterr().out)
    assert record["fraction_removed"][0] == 0 and len(record["conductance"]) == 5 and record["seed"] == 3
    assert "nanograph_version" in record and "failure_fraction" in record
    net = junction_node_network(sticks, rw=1.0, rj=1.0)
    expected = removal_curve(net, mode="random", fraction=0.2, steps=4, rng=3)
    assert record["conductance"] == pytest.approx(expected.conductance.tolist(), rel=1e-12)
    crack = path.parent / "crack.png"
    assert (
        main(["failure", str(path), "--mode", "cascade", "--threshold", "0.05", "--json", "--crack", str(crack)]) == 0
    )
    record = json.loads(capsys.readouterr().out)
    assert crack.stat().st_size > 0 and record["crack_image"] == str(crack)
    cascade = fuse_cascade(net, 0.05)
    assert record["failed_edges"] == cascade.failed_edges.tolist() and record["opened"]
    assert record["voltage"] == pytest.approx(cascade.voltage.tolist()) and len(record["current"]) == len(
        record["voltage"]
    )


def test_cli_errors(sticks_file, capsys):
    _, path = sticks_file
    assert main(["failure", str(path), "--fraction", "2"]) == 2
    assert "--fraction must be in [0, 1]" in capsys.readouterr().err
    assert main(["failure", str(path), "--mode", "cascade", "--threshold", "-1"]) == 2
    assert "--threshold must be" in capsys.readouterr().err
    assert main(["failure", str(path), "--mode", "cascade", "--threshold", "inf"]) == 1
    assert "never end" in capsys.readouterr().err
