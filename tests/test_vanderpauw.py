"""Van der Pauw: the equation, hand-solved four-probe circuits, the square lattice, sticks, the CLI."""

import json
import math

import numpy as np
import pytest

from nanograph.analysis.vanderpauw import four_probe, van_der_pauw, van_der_pauw_sheet_resistance
from nanograph.cli import main
from nanograph.errors import InvalidInputError, NotPercolatingError
from nanograph.geometry.io import save_sticks
from nanograph.geometry.sticks import Sticks, generate_sticks
from nanograph.graphs.builders import build_network
from nanograph.graphs.network import Network
from nanograph.linalg.solve import solve_network
from nanograph.model import Electrodes


@pytest.mark.parametrize("ratio", [1.0, 2.0, 1e-3, 1e-9, 1e6, 1e15])
def test_van_der_pauw_equation_is_solved_for_any_ratio(ratio):
    r1, r2 = 1.0, ratio
    rs = van_der_pauw_sheet_resistance(r1, r2)
    total = math.exp(-math.pi * r1 / rs) + math.exp(-math.pi * r2 / rs)
    assert total == pytest.approx(1.0, abs=1e-13)
    assert van_der_pauw_sheet_resistance(r2, r1) == pytest.approx(rs, rel=1e-13)


def test_van_der_pauw_equation_refuses_non_positive_resistances():
    with pytest.raises(InvalidInputError, match="r2"):
        van_der_pauw_sheet_resistance(1.0, -0.1)
    assert van_der_pauw_sheet_resistance(2.0, 2.0) == pytest.approx(2 * math.pi / math.log(2), rel=1e-15)


def test_ring_of_four_resistors_by_hand():
    r = np.array([1.0, 2.0, 4.0, 0.5])  # A-B, B-C, C-D, D-A
    ring = Network.from_edges(4, [[0, 1], [1, 2], [2, 3], [3, 0]], 1 / r)
    result = van_der_pauw(ring, [0, 1, 2, 3])
    assert result.r_ab_cd == pytest.approx(r[0] * r[2] / r.sum(), rel=1e-13)
    assert result.r_bc_da == pytest.approx(r[1] * r[3] / r.sum(), rel=1e-13)
    assert result.reciprocity_error < 1e-13
    rs = result.sheet_resistance
    assert math.exp(-math.pi * result.r_ab_cd / rs) + math.exp(-math.pi * result.r_bc_da / rs) == pytest.approx(1)


def _square_lattice(n: int, g: float) -> tuple[Network, np.ndarray]:
    idx = np.arange(n * n).reshape(n, n)  # idx[x, y]
    edges = np.concatenate([np.c_[idx[:-1].ravel(), idx[1:].ravel()], np.c_[idx[:, :-1].ravel(), idx[:, 1:].ravel()]])
    return Network.from_edges(n * n, edges, g), idx


@pytest.mark.parametrize("layout", ["corners", "midpoints"])
def test_uniform_square_lattice_gives_its_sheet_resistance(layout):
    """R_s = 1/g exactly in the continuum; point contacts on the lattice err by O(1/n^2), so Richardson's
    extrapolation of n = 33 and 65 nodes a side must give 1/g to 1e-4 (measured: 2e-5), and each grid to 1e-2."""
    g = 2.0
    values = []
    for n in (33, 65):
        net, idx = _square_lattice(n, g)
        m = n // 2
        nodes = ([idx[0, 0], idx[-1, 0], idx[-1, -1], idx[0, -1]] if layout == "corners"
                 else [idx[m, 0], idx[-1, m], idx[m, -1], idx[0, m]])  # fmt: skip
        result = van_der_pauw(net, nodes)
        assert result.r_ab_cd == pytest.approx(result.r_bc_da, rel=1e-12)  # square symmetry
        values.append(result.sheet_resistance)
    assert abs(values[1] * g - 1) < 0.5 * abs(values[0] * g - 1)  # converging
    assert abs(values[1] * g - 1) < 1e-2
    assert (4 * values[1] - values[0]) / 3 == pytest.approx(1 / g, rel=1e-4)


def test_four_probe_on_sticks_reciprocity_and_contact_resistance_hardly_enters():
    sticks = generate_sticks(density=15, box=8, rng=2)
    a = four_probe(sticks, contacts="midpoints", contact_size=0.8, rj=1.0, rw=1.0, re=0.1)
    b = four_probe(sticks, contacts="midpoints", contact_size=0.8, rj=1.0, rw=1.0, re=10.0)
    assert a.reciprocity_error < 1e-9 and a.matrix.symmetry_error < 1e-9
    # the probes draw no net current: re enters only through how the current spreads over the sticks of a
    # finite contact (measured 0.7 % for re 0.1 -> 10 ohm), where it would add 2 re / n_contacts to bus bars
    assert a.r_ab_cd == pytest.approx(b.r_ab_cd, rel=0.03)
    assert a.sheet_resistance == pytest.approx(b.sheet_resistance, rel=0.03)


def test_four_probe_bad_input():
    with pytest.raises(InvalidInputError, match="periodic"):
        four_probe(generate_sticks(density=10, box=4, periodic=(False, True), rng=1))
    with pytest.raises(InvalidInputError, match="contact_size"):
        four_probe(generate_sticks(density=10, box=4, rng=1), contacts="corners", contact_size=3.0)
    with pytest.raises(NotPercolatingError, match="contact 'A' touches no stick"):
        four_probe(Sticks([[1, 2, 3, 2]], box=4))
    with pytest.raises(InvalidInputError, match="four contacts"):
        van_der_pauw(Network.from_edges(3, [[0, 1], [1, 2]], 1.0), [0, 1, 2])


def test_cli_probe_json(tmp_path):
    path = tmp_path / "sticks.npz"
    save_sticks(path, generate_sticks(density=15, box=8, rng=2))
    argv = ["probe", str(path), "--box", "8", "--contacts", "midpoints", "--contact-size", "0.8", "--rj", "1",
            "--rw", "1", "--json"]  # fmt: skip
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    record = json.loads(out.getvalue())
    direct = four_probe(generate_sticks(density=15, box=8, rng=2), contact_size=0.8)
    assert record["r_ab_cd_ohm"] == pytest.approx(direct.r_ab_cd, rel=1e-12)
    assert {"r_bc_da_ohm", "sheet_resistance_ohm_sq", "nanograph_version"} <= set(record)
    assert main(["probe", str(path), "--periodic", "x"]) == 2


@pytest.mark.slow
def test_isotropic_films_van_der_pauw_agrees_with_bus_bars_over_realizations():
    """Density 20, L = 16, 12 realizations, paired on the same films. Bus bars measure 2 R_contact + R_s, so
    with re -> 0 their R_s and van der Pauw's agree within 3 standard errors of the paired difference
    (measured: 0.3020 +- 0.0086 vs 0.3053 +- 0.0049 ohm/sq); with re = rj the bus bars read high by the
    contact resistance (0.3276 +- 0.0062), which van der Pauw removes."""
    vdp, bus, bus_re = [], [], []
    for seed in range(12):
        sticks = generate_sticks(density=20, box=16, rng=100 + seed)
        vdp.append(four_probe(sticks, contact_size=0.8).sheet_resistance)
        bus.append(1 / solve_network(build_network(sticks, re=1e-6)).sheet_conductance)
        bus_re.append(1 / solve_network(build_network(sticks)).sheet_conductance)
    diff = np.array(vdp) - np.array(bus)
    assert abs(diff.mean()) < 3 * diff.std(ddof=1) / math.sqrt(len(diff))
    assert np.mean(bus_re) > np.mean(bus) + 3 * np.std(np.array(bus_re) - bus, ddof=1) / math.sqrt(len(diff))


def test_electrodes_layouts_are_around_the_box():
    e = Electrodes.van_der_pauw((4.0, 2.0), "corners", 0.5)
    assert [x.segments.tolist() for x in e.items] == [[[0, 0, 0.5, 0]], [[3.5, 0, 4, 0]], [[4, 2, 3.5, 2]],
                                                      [[0.5, 2, 0, 2]]]  # fmt: skip
    assert Electrodes.van_der_pauw(16.0).items[0].segments.tolist() == [[7.6, 0.0, 8.4, 0.0]]  # 0.05 L default
