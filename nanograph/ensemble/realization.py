"""One realization of a grid point: its sticks (from the row's seed), network and solution, built lazily.

:func:`regenerate` rebuilds the realization of any results row from the row alone (its grid parameters and
seed provenance), so a number in a sweep can always be traced back to the exact network that produced it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from nanograph.ensemble.grid import GRID_PARAMETERS, point_film
from nanograph.ensemble.seeds import seed_sequence
from nanograph.errors import InvalidInputError
from nanograph.geometry.contacts import Contacts, find_contacts
from nanograph.geometry.sticks import Sticks, film_sticks
from nanograph.graphs.builders import build_network
from nanograph.graphs.network import Network
from nanograph.linalg.solve import InaccurateSolutionWarning, Solution, solve_network
from nanograph.model import Film

__all__ = ["Realization", "realize", "regenerate", "regenerate_network"]


@dataclass(eq=False)
class Realization:
    """The sticks of one realization and, built on first use, its contacts, network and Kirchhoff solution.

    Attributes
    ----------
    point : dict
        The grid point (values of :data:`~nanograph.ensemble.grid.GRID_PARAMETERS`).
    sticks : Sticks
        The realization's sticks.
    solver : str
        Linear solver back-end for :attr:`solution`.
    """

    point: dict
    sticks: Sticks
    solver: str = "auto"

    @cached_property
    def film(self) -> Film:
        """The typed model of the point (:func:`~nanograph.ensemble.grid.point_film`)."""
        return point_film(self.point)

    @cached_property
    def contacts(self) -> Contacts:
        """Stick-stick contacts (:func:`~nanograph.geometry.contacts.find_contacts`)."""
        return find_contacts(self.sticks)

    @cached_property
    def open_network(self) -> Network:
        """The network in the point's ``form`` with its ``rj``, ``rw``, ``re``, before any closure."""
        return build_network(self.sticks, film=self.film, contacts=self.contacts)

    @cached_property
    def network(self) -> Network:
        """The analysed network: :attr:`open_network`, closed by the point's ``closure`` if it names one."""
        if self.point["closure"] == "none":
            return self.open_network
        from nanograph.transforms.closure import regular_closure

        return regular_closure(self.open_network).network

    @cached_property
    def solution(self) -> Solution:
        """Kirchhoff solution of :attr:`network` at 1 V (closure edges have conductance 0).

        Its :attr:`~nanograph.linalg.solve.Solution.accuracy` is not checked here (no warning is issued);
        the ``conductance`` analysis refuses an inaccurate one, so that a sweep row is never stored as ``ok``
        with a wrong number.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InaccurateSolutionWarning)
            return solve_network(self.network, solver=self.solver)


def realize(point: dict, seed: np.random.SeedSequence, solver: str = "auto") -> Realization:
    """Draw the sticks of grid ``point`` from the stream ``seed`` (nothing else is built yet).

    Examples
    --------
    >>> point = {"density": 6.0, "box": 4.0, "length": "1", "odf": "isotropic", "periodic": "none",
    ...          "form": "wire-node", "rj": 1.0, "rw": 1.0, "re": 1.0, "closure": "none"}
    >>> r = realize(point, np.random.SeedSequence(1, spawn_key=(2, 3, 0)))
    >>> len(r.sticks), r.network.form
    (96, 'wire-node')
    """
    realization = Realization(point, None, solver)  # type: ignore[arg-type]
    realization.sticks = film_sticks(realization.film, np.random.default_rng(seed))
    return realization


def regenerate(row, solver: str = "auto") -> Realization:
    """The realization of a results row (a dict, or a row of :meth:`ResultsStore.frame`).

    Uses the row's grid-parameter columns and its ``seed_entropy`` and ``seed_spawn_key``.

    Parameters
    ----------
    row : dict or pandas.Series
        A results row: from :meth:`~nanograph.ensemble.store.ResultsStore.frame`, a CSV/Parquet/JSON
        export, or a dict with the same keys.
    solver : str
        Linear solver back-end for the realization's :attr:`~Realization.solution`.

    Returns
    -------
    Realization
        The row's sticks (identical to the sweep's), with its network and solution built on first use.

    Raises
    ------
    InvalidInputError
        If the row lacks a grid-parameter or seed column.
    """
    missing = [k for k in (*GRID_PARAMETERS, "seed_entropy", "seed_spawn_key") if k not in row]
    if missing:
        raise InvalidInputError(f"the row lacks the column(s) {', '.join(missing)} needed to regenerate it")
    point = {k: _builtin(row[k]) for k in GRID_PARAMETERS}
    return realize(point, seed_sequence(row["seed_entropy"], row["seed_spawn_key"]), solver)


def regenerate_network(row) -> Network:
    """The analysed network of a results row, identical to the one the sweep built (see :func:`regenerate`).

    Parameters
    ----------
    row : dict or pandas.Series
        A results row with the grid-parameter columns and ``seed_entropy``, ``seed_spawn_key``.

    Returns
    -------
    Network
        The network in the row's ``form`` with its ``rj``, ``rw``, ``re`` (in ohm), closed when the row's
        ``closure`` is ``regular``: edge for edge the network whose outputs the row holds.

    Raises
    ------
    InvalidInputError
        If the row lacks a grid-parameter or seed column.

    Examples
    --------
    >>> row = {"density": 6.0, "box": 4.0, "length": "1", "odf": "isotropic", "periodic": "none",
    ...        "form": "wire-node", "rj": 1.0, "rw": 1.0, "re": 1.0, "closure": "none",
    ...        "seed_entropy": "1", "seed_spawn_key": "[2, 3, 0]"}
    >>> network = regenerate_network(row)     # the 96 sticks of realize()'s example, and the two bus bars
    >>> network.form, network.n_nodes, network.n_edges
    ('wire-node', 98, 174)
    """
    return regenerate(row).network


def _builtin(value):
    return value.item() if isinstance(value, np.generic) else value
