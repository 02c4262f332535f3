"""The sheet-conductivity tensor: square lattice, agreement with solve_network, rotation by 90 degrees, CLI."""

import contextlib
import io
import json

import numpy as np
import pytest

from nanograph.analysis.tensor import conductivity_tensor, sheet_conductivity_tensor
from nanograph.cli import main
from nanograph.errors import InvalidInputError
from nanograph.geometry.io import save_sticks
from nanograph.geometry.sticks import Sticks, generate_sticks
from nanograph.graphs.builders import build_network
from nanograph.graphs.network import Network
from nanograph.linalg.solve import solve_network


def _periodic_square_lattice(n: int, g: float, aspect: int = 1) -> Network:
    ny = n * aspect
    ids = np.arange(n * ny).reshape(n, ny)  # ids[x, y]
    edges = np.concatenate(
        [np.c_[ids.ravel(), np.roll(ids, -1, 0).ravel()], np.c_[ids.ravel(), np.roll(ids, -1, 1).ravel()]]
    )
    shift = np.zeros((len(edges), 2), int)
    shift[: n * ny, 0] = (ids // ny == n - 1).ravel()
    shift[n * ny :, 1] = (ids % ny == ny - 1).ravel()
    pos = np.c_[ids.ravel() // ny, ids.ravel() % ny].astype(float)
    net = Network.from_edges(n * ny, edges, g, position=pos, box=(n, ny))
    return net.replace(edge_shift=shift, periodic=(True, True))


@pytest.mark.parametrize(("n", "aspect"), [(3, 1), (5, 2)])
def test_square_lattice_is_g_times_the_identity(n, aspect):
    t = conductivity_tensor(_periodic_square_lattice(n, 0.5, aspect))
    np.testing.assert_allclose(t.sigma, 0.5 * np.eye(2), atol=1e-14)
    assert t.anisotropy_ratio == pytest.approx(1.0) and t.accurate


def test_sigma_xx_equals_the_periodic_x_sheet_conductance_and_rotation_swaps_the_axes():
    sticks = generate_sticks(density=12, box=8, periodic=True, rng=5)
    t = sheet_conductivity_tensor(sticks, rw=0.5, rj=2.0)
    assert t.sigma_xx == pytest.approx(solve_network(build_network(sticks, rw=0.5, rj=2.0)).sheet_conductance,
                                       rel=1e-10)  # fmt: skip
    e, length = sticks.endpoints, 8.0
    rotated = Sticks(np.c_[length - e[:, 1], e[:, 0], length - e[:, 3], e[:, 2]], box=length, periodic=True)
    r = sheet_conductivity_tensor(rotated, rw=0.5, rj=2.0)
    assert r.sigma_xx == pytest.approx(t.sigma_yy, rel=1e-10) and r.sigma_yy == pytest.approx(t.sigma_xx, rel=1e-10)
    assert r.sigma_xy == pytest.approx(-t.sigma_xy, rel=1e-8, abs=1e-12)
    assert t.current_error < 1e-9
    s1, s2, angle = t.principal
    assert s1 >= s2 and -90 < angle <= 90


def test_isotropic_film_is_nearly_isotropic_and_aligned_films_are_not():
    iso = sheet_conductivity_tensor(generate_sticks(density=20, box=12, periodic=True, rng=3))
    assert iso.sigma_yy / iso.sigma_xx == pytest.approx(1.0, abs=0.1)  # measured 0.98 at L = 16
    aligned = sheet_conductivity_tensor(generate_sticks(density=20, box=12, periodic=True, odf="theta2:alpha=30deg",
                                                        rng=3))  # fmt: skip
    assert aligned.sigma_yy < 0.7 * aligned.sigma_xx and abs(aligned.principal[2]) < 10


def test_tensor_bad_input(tmp_path):
    with pytest.raises(InvalidInputError, match="periodic"):
        sheet_conductivity_tensor(generate_sticks(density=10, box=4, periodic=(True, False), rng=1))
    path = tmp_path / "s.npz"
    save_sticks(path, generate_sticks(density=12, box=6, periodic=True, rng=1))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["tensor", str(path), "--box", "6", "--rj", "1", "--rw", "1", "--form", "junction-node",
                     "--json"]) == 0  # fmt: skip
    record = json.loads(out.getvalue())
    assert {"sigma_xx", "sigma_yy", "sigma_xy", "nanograph_version"} <= set(record)
    assert main(["tensor", str(path), "--periodic", "x"]) == 2
