"""Lattices in the bus-bar geometry: counts by hand, exact identical-edge sheet conductances, Eq. (13) edges."""

import math

import numpy as np
import pytest

from nanograph.errors import InvalidInputError
from nanograph.graphs.lattices import LATTICES, lattice_network, sample_segment_conductances
from nanograph.graphs.network import EdgeKind
from nanograph.linalg.solve import solve_network
from nanograph.physics.emt import LATTICE_DEGREE, LATTICE_SHEET_FACTOR, lattice_gm


def _counts(lattice, net):
    """(interior nodes, edges) by hand from the cell counts (periodic y)."""
    nx, ny = net.params["cells"]
    return {
        "square": ((nx - 1) * ny, nx * ny + (nx - 1) * ny),  # L rows of L bonds, L-1 columns of L rungs
        "kagome": (6 * nx * ny - 2 * ny, 12 * nx * ny),  # 6 nodes, 12 bonds a cell; 2 nodes a row on a bar
        "honeycomb": (4 * nx * ny - ny, 6 * nx * ny),  # 4 nodes, 6 bonds a cell; 1 node a row on a bar
        "triangular": ((nx - 1) * ny, 3 * nx * ny - ny),  # nx columns of ny nodes; 2 bonds a node per gap
    }[lattice]


@pytest.mark.parametrize("lattice", sorted(LATTICES))
@pytest.mark.parametrize("size", [3, 8, 17])
def test_counts_and_degrees(lattice, size):
    net = lattice_network(lattice, size)
    interior, edges = _counts(lattice, net)
    assert (net.n_nodes, net.n_edges) == (interior + 2, edges)
    assert set(net.degree[:-2]) == {LATTICE_DEGREE[lattice]}
    assert np.all(net.edge_kind == EdgeKind.SEGMENT)
    assert net.box[0] >= size
    if net.params["cells"][1] > 2:  # at least two cells high; otherwise the box is as square as cells allow
        assert abs(net.box[1] - net.box[0]) <= LATTICES[lattice][1][1] / 2 + 1e-9


def test_square_by_hand():
    net = lattice_network("square", 4)
    assert net.box == (4.0, 4.0) and (net.n_nodes, net.n_edges) == (14, 28)
    left, right = net.electrodes
    assert net.degree[left] == net.degree[right] == 4  # one bond per row into each bar


@pytest.mark.parametrize("lattice", sorted(LATTICES))
@pytest.mark.parametrize("size", [4, 9, 32])
def test_identical_edges_give_the_exact_sheet_conductance(lattice, size):
    # Periodic y: a uniform field solves Kirchhoff's laws exactly, so G Lx / Ly = factor * g with no boundary term.
    g = 2.5
    sol = solve_network(lattice_network(lattice, size, conductance=g))
    assert sol.sheet_conductance == pytest.approx(LATTICE_SHEET_FACTOR[lattice] * g, rel=1e-12)


def test_kagome_sheet_resistance_is_two_over_root3_g():
    sol = solve_network(lattice_network("kagome", 12, conductance=4.0))
    assert 1 / sol.sheet_conductance == pytest.approx(2 / (math.sqrt(3) * 4.0), rel=1e-12)


def test_open_y_boundary_effects():
    # The square lattice stays exact (rungs carry nothing); the others lose conductance at the free rows,
    # by a relative amount of order 1/Ly that shrinks with size.
    assert solve_network(lattice_network("square", 7, periodic_y=False)).sheet_conductance == pytest.approx(1.0)
    for lattice in ("kagome", "honeycomb", "triangular"):
        deficits = []
        for size in (8, 32):
            net = lattice_network(lattice, size, periodic_y=False)
            deficits.append(1 - solve_network(net).sheet_conductance / LATTICE_SHEET_FACTOR[lattice])
        assert 0 < deficits[1] < deficits[0] and deficits[1] * 32 < 2.0, (lattice, deficits)


def test_segment_conductances_follow_eq13():
    lengths, g = sample_segment_conductances(200_000, density=10.0, rw=2.0, rng=7)
    assert np.allclose(g * lengths * 2.0, 1.0)
    mean = math.pi / 20
    assert lengths.mean() == pytest.approx(mean, rel=4 * 1 / math.sqrt(200_000))  # exponential: sd = mean
    assert np.median(lengths) == pytest.approx(mean * math.log(2), rel=0.02)


def test_random_lattice_is_reproducible_and_records_the_law():
    a = lattice_network("honeycomb", 10, density=5.0, rng=3)
    b = lattice_network("honeycomb", 10, density=5.0, rng=3)
    assert np.array_equal(a.edge_conductance, b.edge_conductance)
    assert np.allclose(a.edge_conductance * a.edge_length, 1.0)
    assert a.params["mean_segment_length"] == pytest.approx(math.pi / 10)


def test_random_square_lattice_near_emt():
    # Fig. 3 in miniature: sheet conductance / n ≈ the EMT 1.0435 within a few per cent at L = 48.
    n = 10.0
    values = [solve_network(lattice_network("square", 48, density=n, rng=s)).sheet_conductance for s in range(3)]
    assert np.mean(values) / (lattice_gm(n, 4) * n / n) == pytest.approx(1.0, abs=0.04)


def test_bad_input():
    with pytest.raises(InvalidInputError, match="lattice"):
        lattice_network("hexagonal", 8)
    with pytest.raises(InvalidInputError, match="size"):
        lattice_network("square", 0.5)
    with pytest.raises(InvalidInputError, match="density"):
        lattice_network("square", 8, density=-1.0)
