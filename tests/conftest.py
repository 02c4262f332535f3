import math

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
settings.load_profile("ci")

SQRT2 = math.sqrt(2.0)


def crossing_pair_sticks():
    """Two sticks in a 2 x 1 box: A touches the left bar, B the right bar, they cross at (1.5, 0.5).

    A: (-0.5, 0.5)-(1.8, 0.5), length 2.3, left-bar contact at arc 0.5, junction at arc 2.0.
    B: (1.0, 0.0)-(2.5, 1.5), length 1.5*sqrt(2), junction at arc sqrt(2)/2, right-bar contact at arc sqrt(2).
    """
    from nanograph import Sticks

    return Sticks([[-0.5, 0.5, 1.8, 0.5], [1.0, 0.0, 2.5, 1.5]], box=(2.0, 1.0))


@pytest.fixture
def crossing_pair():
    return crossing_pair_sticks()


@pytest.fixture
def ladder():
    """Two rails and two rungs in a 2 x 1 box (see test_solve.py for the circuit)."""
    from nanograph import Sticks

    return Sticks(
        [
            [-0.1, 0.7, 2.1, 0.7],  # rail 1: touches both bars
            [0.2, 0.3, 2.1, 0.3],  # rail 2: touches only the right bar
            [0.5, 0.1, 0.5, 0.9],  # rung A
            [1.5, 0.1, 1.5, 0.9],  # rung B
        ],
        box=(2.0, 1.0),
    )


def random_sticks(rng, n, box, length=1.0, periodic=(True, True)):
    from nanograph import Sticks

    rng = np.random.default_rng(rng)
    lx, ly = box
    c = rng.uniform([0, 0], [lx, ly], size=(n, 2))
    a = rng.uniform(-math.pi / 2, math.pi / 2, n)
    d = 0.5 * length * np.column_stack([np.cos(a), np.sin(a)])
    return Sticks(np.hstack([c - d, c + d]), box, periodic)
