import math

import numpy as np
import pytest
from conftest import random_sticks
from hypothesis import given
from hypothesis import strategies as st

from nanograph import Sticks, find_contacts, find_electrode_contacts, generate_sticks


def _same(a, b):
    assert len(a) == len(b)
    for name in ("stick_i", "stick_j", "shift"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    for name in ("point", "arc_i", "arc_j"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), atol=1e-12)


def test_two_crossing_sticks_point_and_arcs():
    c = find_contacts(Sticks([[0, 0, 2, 2], [0, 2, 2, 0]], box=2))
    assert len(c) == 1
    np.testing.assert_allclose(c.point, [[1.0, 1.0]])
    np.testing.assert_allclose(c.arc_i, [math.sqrt(2)])
    np.testing.assert_allclose(c.arc_j, [math.sqrt(2)])


@pytest.mark.parametrize(
    "sticks, expected",
    [
        ([[0, 0, 2, 0], [1, 0, 1, 1]], 1),  # T: a stick ends exactly on another
        ([[0, 0, 1, 1], [1, 1, 2, 0]], 1),  # shared endpoint
        ([[0, 0, 2, 0], [1, 0, 3, 0]], 0),  # collinear overlap: no contact
        ([[0, 0, 2, 0], [0, 1, 2, 1]], 0),  # parallel
        ([[0, 0, 1, 0], [1.0000001, -1, 1.0000001, 1]], 0),  # just misses
        ([[0.5, 0, 0.5, 2], [0, 1, 1, 1]], 1),  # vertical stick
    ],
)
def test_degenerate_cases_are_decided_as_documented(sticks, expected):
    s = Sticks(sticks, box=4)
    assert len(find_contacts(s)) == expected
    assert len(find_contacts(s, method="pairs")) == expected


def test_shared_endpoint_arc_positions():
    c = find_contacts(Sticks([[0, 0, 1, 1], [1, 1, 2, 0]], box=4))
    np.testing.assert_allclose([c.arc_i[0], c.arc_j[0]], [math.sqrt(2), 0.0])


def test_periodic_image_contact_across_the_edge():
    # Stick 0 sticks out of the right edge; stick 1 sits near the left edge of a 4 x 4 periodic box.
    s = Sticks([[3.0, 2.0, 4.6, 2.0], [0.3, 1.5, 0.3, 2.5]], box=4, periodic=True)
    c = find_contacts(s)
    assert len(c) == 1
    assert c.shift.tolist() == [[1, 0]]  # image of stick 1 shifted by +Lx crosses stick 0
    np.testing.assert_allclose(c.point, [[4.3, 2.0]])
    np.testing.assert_allclose([c.arc_i[0], c.arc_j[0]], [1.3, 0.5])
    assert len(find_contacts(Sticks(s.endpoints, box=4, periodic=False))) == 0


@pytest.mark.parametrize("periodic", [(True, True), (False, False), (True, False), (False, True)])
@pytest.mark.parametrize("seed", range(4))
def test_grid_equals_all_pairs_reference(periodic, seed):
    s = random_sticks(seed, 400, (6.0, 5.0), periodic=periodic)
    _same(find_contacts(s), find_contacts(s, method="pairs"))


def test_grid_equals_reference_with_long_sticks_and_several_images():
    s = random_sticks(7, 60, (2.0, 3.0), length=2.5)  # longer than the box side: several images meet
    _same(find_contacts(s), find_contacts(s, method="pairs"))
    assert np.any(np.abs(find_contacts(s).shift) > 0)


def test_grid_with_length_distribution_matches_reference():
    s = generate_sticks(8.0, box=6, length="lognormal:mean=1,std=0.6", periodic=True, rng=3)
    _same(find_contacts(s), find_contacts(s, method="pairs"))
    _same(find_contacts(s, cell_size=0.2), find_contacts(s, cell_size=3.0))


coord = st.integers(0, 8).map(lambda v: v / 2)  # half-integers: shared endpoints, collinear, vertical


@given(st.lists(st.tuples(coord, coord, coord, coord).filter(lambda t: t[:2] != t[2:]), min_size=2, max_size=25),
       st.sampled_from([(True, True), (False, False), (False, True)]))  # fmt: skip
def test_adversarial_placements_grid_equals_reference(rows, periodic):
    s = Sticks(rows, box=4.0, periodic=periodic)
    _same(find_contacts(s), find_contacts(s, method="pairs"))


def test_contacts_are_sorted_and_unique():
    s = random_sticks(1, 500, (8.0, 8.0))
    c = find_contacts(s)
    assert np.all(c.stick_i < c.stick_j)
    key = np.column_stack([c.stick_i, c.stick_j, c.shift])
    assert len(np.unique(key, axis=0)) == len(c)
    assert np.all(np.diff(c.stick_i) >= 0)


def test_mean_contacts_per_stick_isotropic_periodic():
    # <k> = 2 n l^2 / pi (EMT paper Eq. 5); with N fixed the exact mean is that times (N - 1) / N.
    density, box, runs = 10.0, 20.0, 12
    means = []
    for seed in range(runs):
        s = generate_sticks(density, box=box, periodic=True, rng=seed)
        means.append(2 * len(find_contacts(s)) / len(s))
    n = density * box**2
    expected = 2 * density / math.pi * (n - 1) / n
    se = np.std(means, ddof=1) / math.sqrt(runs)
    assert abs(np.mean(means) - expected) < 3 * se


def test_electrode_contacts():
    s = Sticks(
        [
            [-0.5, 0.5, 0.5, 0.5],  # crosses the left bar at y = 0.5, arc 0.5
            [0.0, 0.2, 0.5, 0.9],  # ends exactly on the left bar: contact at arc 0
            [0.0, 0.1, 0.0, 0.9],  # lies along the left bar: no contact
            [-0.2, 1.3, 0.6, 0.5],  # crosses x = 0 above the open box: no contact
            [1.5, 0.5, 2.5, 0.5],  # crosses the right bar (Lx = 2) at arc 0.5
        ],
        box=(2.0, 1.0),
    )
    left, right = find_electrode_contacts(s)
    assert left.stick.tolist() == [0, 1]
    np.testing.assert_allclose(left.arc, [0.5, 0.0])
    assert right.stick.tolist() == [4]
    np.testing.assert_allclose(right.point, [[2.0, 0.5]])
    left_py, _ = find_electrode_contacts(Sticks(s.endpoints, box=(2.0, 1.0), periodic=(False, True)))
    assert left_py.stick.tolist() == [0, 1, 3]  # periodic in y: the bar covers every y


def test_electrodes_need_open_x():
    from nanograph import InvalidInputError

    with pytest.raises(InvalidInputError, match="open x"):
        find_electrode_contacts(Sticks([[0, 0, 1, 1]], box=2, periodic=True))


def test_empty_and_single():
    assert len(find_contacts(Sticks(np.zeros((0, 4)), box=2))) == 0
    assert len(find_contacts(Sticks([[0, 0, 1, 1]], box=2, periodic=True))) == 0


@pytest.mark.slow
@pytest.mark.parametrize("length", ["1", "lognormal:mean=1,std=0.5", "uniform:low=0.2,high=1.8"])
def test_mean_contacts_per_stick_any_length_distribution(length):
    # Isotropic sticks: <k> = 2 n <l>^2 / pi for any length distribution (times (N - 1) / N).
    density, box, runs = 20.0, 40.0, 10
    means = []
    for seed in range(runs):
        s = generate_sticks(density, box=box, length=length, periodic=True, rng=seed)
        means.append(2 * len(find_contacts(s)) / len(s) / np.mean(s.lengths) ** 2)
    n = len(s)
    expected = 2 * (n / box**2) / math.pi * (n - 1) / n
    se = np.std(means, ddof=1) / math.sqrt(runs)
    assert abs(np.mean(means) - expected) < 3 * se


def test_sticks_given_far_outside_a_periodic_box_are_wrapped():
    s = random_sticks(3, 300, (5.0, 5.0))
    far = Sticks(s.endpoints + np.tile([5.0 * 200, -5.0 * 37], 2), box=5.0, periodic=True)
    a, b = find_contacts(s), find_contacts(far)
    np.testing.assert_array_equal(a.stick_i, b.stick_i)
    np.testing.assert_array_equal(a.stick_j, b.stick_j)
    np.testing.assert_allclose(a.arc_i, b.arc_i, atol=1e-9)
