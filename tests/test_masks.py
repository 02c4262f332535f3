"""Holes, slits and cracks: hand-cut sticks, then properties of random films."""

import numpy as np
import pytest

from nanograph.errors import InvalidInputError
from nanograph.geometry.masks import circle_mask, rectangle_mask, slit_mask
from nanograph.geometry.sticks import Sticks, generate_sticks


def test_circle_cuts_and_removes_by_hand():
    s = Sticks([[0.5, 2.0, 3.5, 2.0], [0.5, 0.2, 1.5, 0.2], [2.0, 1.0, 2.0, 1.8]], box=4, population=[0, 1, 2])
    cut = circle_mask(s, (2, 2), 0.5)  # the third stick ends inside the hole, at y = 1.8: cut to y = 1.5
    assert cut.endpoints == pytest.approx(np.array([[0.5, 2, 1.5, 2], [2.5, 2, 3.5, 2], [0.5, 0.2, 1.5, 0.2],
                                                   [2, 1, 2, 1.5]]))  # fmt: skip
    assert cut.info["mask_parent"].tolist() == [0, 0, 1, 2] and cut.population.tolist() == [0, 0, 1, 2]
    assert circle_mask(s, (2, 2), 0.5, mode="remove").info["mask_parent"].tolist() == [1]


def test_stick_inside_a_hole_vanishes_and_a_miss_changes_nothing():
    s = Sticks([[1.9, 2.0, 2.1, 2.0]], box=4)
    assert len(circle_mask(s, (2, 2), 0.5)) == 0
    assert rectangle_mask(s, (0.5, 0.5), (0.2, 0.2)).endpoints.tolist() == s.endpoints.tolist()


def test_rotated_rectangle_and_slit_by_hand():
    s = Sticks([[1.0, 2.0, 3.0, 2.0]], box=4)
    # a 45 degree square of half-diagonal sqrt(2) * 0.25 around (2, 2): the stick is inside for |x - 2| < 0.3536
    half_diag = np.sqrt(2) * 0.25
    cut = rectangle_mask(s, (2, 2), (0.5, 0.5), angle=np.pi / 4)
    assert cut.endpoints == pytest.approx(np.array([[1, 2, 2 - half_diag, 2], [2 + half_diag, 2, 3, 2]]))
    slit = slit_mask(s, (2.0, 0.0), (2.0, 4.0), 0.1)  # a vertical crack of width 0.1
    assert slit.endpoints == pytest.approx(np.array([[1, 2, 1.95, 2], [2.05, 2, 3, 2]]))
    assert len(slit_mask(s, (2.0, 0.0), (2.0, 1.0), 0.1)) == 1  # the slit stops short of the stick


def test_pieces_with_a_centre_outside_an_open_box_are_dropped():
    s = Sticks([[-0.8, 1.0, 1.0, 1.0]], box=2)  # centre (0.1, 1); the piece left of a hole at x = 0.1 is outside
    assert circle_mask(s, (0.2, 1.0), 0.2).endpoints == pytest.approx(np.array([[0.4, 1.0, 1.0, 1.0]]))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cut_keeps_exactly_the_length_outside(seed):
    s = generate_sticks(8, box=6, periodic=(True, True), rng=seed)
    cut = circle_mask(s, (3, 3), 1.2)
    removed = circle_mask(s, (3, 3), 1.2, mode="remove")
    mid = cut.centres - 3.0
    assert np.all(np.hypot(mid[:, 0], mid[:, 1]) >= 1.2 - 1e-12)  # every piece lies outside (convex hole)
    assert set(removed.info["mask_parent"]) <= set(cut.info["mask_parent"])
    # length inside the disc by dense sampling of each stick, against what the cut removed
    t = np.linspace(0, 1, 20001)
    e = s.endpoints
    pts = e[:, None, :2] + t[None, :, None] * (e[:, None, 2:] - e[:, None, :2])
    inside = (np.hypot(pts[..., 0] - 3, pts[..., 1] - 3) < 1.2).mean(axis=1) * s.lengths
    assert s.lengths.sum() - cut.lengths.sum() == pytest.approx(inside.sum(), abs=2e-3 * len(s) / 1000 + 1e-3)


def test_a_crack_across_the_film_stops_the_current():
    from nanograph.graphs.builders import build_network
    from nanograph.linalg.solve import solve_network

    s = generate_sticks(8, box=6, rng=4)
    assert solve_network(build_network(s, "wire-node")).conductance > 0
    cracked = slit_mask(s, (3.0, -1.0), (3.0, 7.0), 0.05)
    assert solve_network(build_network(cracked, "wire-node")).conductance == 0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda s: circle_mask(s, (1, 1), -1), "radius"),
        (lambda s: circle_mask(s, (1, np.nan), 1), "centre"),
        (lambda s: circle_mask(s, (1, 1), 1, mode="hole"), "mode"),
        (lambda s: rectangle_mask(s, (1, 1), (1, 0)), "size"),
        (lambda s: slit_mask(s, (1, 1), (1, 1), 0.1), "end"),
        (lambda s: slit_mask(s, (1, 1), (2, 1), 0), "width"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(InvalidInputError, match=f"^{name} "):
        call(Sticks([[0.5, 0.5, 1.5, 0.5]], box=2))
