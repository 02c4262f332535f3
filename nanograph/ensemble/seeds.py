"""Seed provenance of a sweep: one root seed, an independent ``SeedSequence`` stream per realization.

Realization ``run`` of a grid point draws its sticks from ``SeedSequence(entropy, spawn_key=(a, b, run))``,
which is exactly child ``run`` of ``SeedSequence(entropy, spawn_key=(a, b)).spawn(runs)``. The pair
``(a, b)`` is a stable 64-bit hash of the point's *geometry* (:data:`~nanograph.ensemble.grid.GEOMETRY_PARAMETERS`:
density, box, length, odf, periodic), not of its position in the grid, so

* realizations are independent streams (distinct spawn keys of one root);
* adding values to a grid, or reordering it, never changes the sticks of an existing row (resuming a
  sweep with a larger grid reuses every finished row);
* grid points that differ only in ``form``, ``rj``, ``rw``, ``re`` or ``closure`` solve the *same* sticks
  run by run (common random numbers: their differences have less noise than independent draws).

Each row of the results stores ``seed_entropy`` and ``seed_spawn_key``; :func:`seed_sequence` turns them back
into the generator that made the row's sticks.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np

from nanograph.ensemble.grid import GEOMETRY_PARAMETERS
from nanograph.errors import InvalidInputError

__all__ = ["geometry_key", "realization_spawn_key", "root_entropy", "seed_sequence", "sweep_entropy"]


def root_entropy(seed: int | None) -> int:
    """The root entropy of a sweep: ``seed`` itself, or fresh entropy from the OS when ``seed`` is None."""
    if seed is None:
        return int(np.random.SeedSequence().entropy)
    return int(seed)


def sweep_entropy(seed: int | None, stored: int | str | None = None) -> int:
    """The root entropy a sweep runs with: the one place where a sweep's root seed is chosen.

    Parameters
    ----------
    seed : int or None
        The grid's ``seed`` (:attr:`~nanograph.ensemble.grid.SweepGrid.seed`).
    stored : int, str or None
        The root entropy recorded in the results store (a decimal string there), or None for a new store.

    Returns
    -------
    int
        ``seed`` when given (the store then checks that it matches a stored entropy, see
        :meth:`~nanograph.ensemble.store.ResultsStore.bind`); otherwise the stored entropy (resuming a sweep
        started without a seed); otherwise fresh entropy from the operating system.

    Examples
    --------
    >>> sweep_entropy(7), sweep_entropy(None, "12345678901234567890123"), sweep_entropy(7, "7")
    (7, 12345678901234567890123, 7)
    """
    if seed is not None:
        return root_entropy(seed)
    if stored is not None:
        return int(stored)
    return root_entropy(None)


def geometry_key(point: dict) -> tuple[int, int]:
    """Two 32-bit words hashing the geometry parameters of a grid point (SHA-256, stable across machines).

    Examples
    --------
    >>> a = geometry_key({"density": 10.0, "box": 16.0, "length": "1", "odf": "isotropic", "periodic": "none"})
    >>> b = geometry_key({"density": 10.0, "box": 16.0, "length": "1", "odf": "isotropic", "periodic": "none",
    ...                   "form": "wire-node", "rj": 2.0})
    >>> a == b
    True
    """
    text = json.dumps({k: point[k] for k in GEOMETRY_PARAMETERS}, sort_keys=True)
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:4], "little"), int.from_bytes(digest[4:8], "little")


def realization_spawn_key(point: dict, run: int) -> tuple[int, int, int]:
    """The spawn key of realization ``run`` of grid ``point``: ``(*geometry_key(point), run)``."""
    return (*geometry_key(point), int(run))


def seed_sequence(entropy: int | str, spawn_key) -> np.random.SeedSequence:
    """The ``SeedSequence`` of a row from its stored ``seed_entropy`` and ``seed_spawn_key``.

    Parameters
    ----------
    entropy : int or str
        The root entropy (a decimal string in the store, since it may exceed 64 bits).
    spawn_key : sequence of int or str
        The spawn key, or its JSON text as stored (``"[a, b, run]"``).

    Examples
    --------
    >>> child = np.random.SeedSequence(3, spawn_key=(7, 8)).spawn(5)[4]
    >>> seed_sequence("3", "[7, 8, 4]").generate_state(2).tolist() == child.generate_state(2).tolist()
    True
    """
    try:
        if isinstance(spawn_key, str):
            spawn_key = json.loads(spawn_key)
        return np.random.SeedSequence(int(entropy), spawn_key=tuple(int(k) for k in spawn_key))
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"seed provenance must be an integer entropy and a list of integers, got {entropy!r}, {spawn_key!r}"
        ) from exc
