"""Samples for the finite-size studies of the papers' open discrepancies (issue 17).

* :func:`wrapping_counts` -- Newman--Ziff first-wrapping counts along x *and* y of each realization on a
  square torus (one set of sticks and contacts per realization, two counts), for
  :func:`~nanograph.analysis.finite_size.pooled_crossing_density`.
* :func:`torus_lattice_network` -- a regular lattice on a torus (periodic x and y, an EMF across x): no
  bus-bar boundary layer, so its sheet conductance has no ``O(1/L)`` boundary correction.
* :func:`lattice_slope_samples` -- per realization, the sheet conductance divided by ``n`` of the EMT
  paper's Fig. 3 lattices (edges from Eq. 13) in three geometries. For one realization ``G`` is exactly
  proportional to ``n`` (every edge conductance scales with ``n``), so one ``n`` per realization suffices.

``scripts/discrepancies.py`` runs them in parallel and fits the sizes; the conclusions are in
``docs/theory/mfa.md`` and ``docs/theory/emt-foster.md`` ("Open discrepancies, decided").
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from nanograph.analysis.percolation import first_percolation_count
from nanograph.errors import InvalidInputError
from nanograph.geometry.contacts import find_contacts
from nanograph.geometry.sticks import Sticks, as_rng, generate_sticks
from nanograph.graphs.lattices import LATTICES, lattice_network, sample_segment_conductances
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.linalg.solve import solve_network

__all__ = ["LATTICE_GEOMETRIES", "wrapping_counts", "torus_lattice_network", "lattice_slope_samples"]

#: Geometries of :func:`lattice_slope_samples`: bus bars with periodic y, bus bars with open y, torus.
LATTICE_GEOMETRIES = ("bars-periodic-y", "bars-open-y", "torus")


def wrapping_counts(
    box: float, *, odf: str = "isotropic", runs: int = 100, density_guess: float = 6.5, rng=None
) -> np.ndarray:
    """First-wrapping counts ``(N*_x, N*_y)`` of ``runs`` realizations of unit sticks on an ``L x L`` torus.

    Sticks are drawn ``1.25 density_guess L^2`` at a time (the block grows by half until both axes wrap),
    their contacts found once, and each axis's count taken by
    :func:`~nanograph.analysis.percolation.first_percolation_count`. The counts are exact whatever the
    block size (they depend only on the order of the sticks).

    Parameters
    ----------
    box : float
        Torus side ``L`` (stick lengths, >= 1).
    odf : str
        Orientation distribution spec.
    runs : int
        Number of realizations.
    density_guess : float
        Expected threshold ``n l^2`` (sets the block size only).
    rng : None, int or Generator
        Source of randomness; realization ``r`` uses the ``r``-th spawned child.

    Returns
    -------
    ndarray of int64, shape (runs, 2)
        ``N*`` for wrapping along x (column 0) and along y (column 1).

    Examples
    --------
    >>> c = wrapping_counts(3.0, runs=2, rng=1)
    >>> c.shape, bool((c > 0).all())
    ((2, 2), True)
    """
    if isinstance(runs, bool) or int(runs) != runs or runs < 1:
        raise InvalidInputError(f"runs must be a positive integer, got {runs!r}")
    if not (math.isfinite(box) and box >= 1):
        raise InvalidInputError(f"box must be at least one stick length, got {box!r}")
    if not (math.isfinite(density_guess) and density_guess > 0):
        raise InvalidInputError(f"density_guess must be a positive density n l^2, got {density_guess!r}")
    area = float(box) ** 2
    counts = np.empty((int(runs), 2), dtype=np.int64)
    for r, child in enumerate(as_rng(rng).spawn(int(runs))):
        endpoints, target = np.zeros((0, 4)), int(math.ceil(1.25 * density_guess * area))
        while True:
            more = generate_sticks(n_sticks=target - len(endpoints), box=box, odf=odf, periodic=True, rng=child)
            endpoints = np.concatenate([endpoints, more.endpoints])
            sticks = Sticks(endpoints, (box, box), (True, True))
            contacts = find_contacts(sticks)
            pair = [first_percolation_count(sticks, c, contacts) for c in ("wrap-x", "wrap-y")]
            if min(pair) > 0:
                counts[r] = pair
                break
            if target > 40 * density_guess * area:
                raise InvalidInputError(f"realization {r} has not wrapped at 40 x density_guess; check odf {odf!r}")
            target = int(math.ceil(1.5 * target))
    return counts


def _torus_cells(lattice: str, size: float) -> tuple[int, int, float, float]:
    _, (w, h), _ = LATTICES[lattice]
    nx = max(2, math.ceil(size / w - 1e-9))
    ny = max(2, round(nx * w / h))
    return nx, ny, nx * w, ny * h


def torus_lattice_network(
    lattice: str, size: float, *, conductance: float = 1.0, density: float | None = None, rng=None
) -> Network:
    """A regular lattice on a torus, solved with an EMF across x (``electrodes=None``, periodic x and y).

    Parameters
    ----------
    lattice : {"square", "kagome", "honeycomb", "triangular"}
        Lattice of :data:`~nanograph.graphs.lattices.LATTICES` (bond length 1).
    size : float
        ``Lx`` is the smallest whole number (>= 2) of cells reaching ``size``; ``Ly`` the whole number of
        cells closest to ``Lx``.
    conductance : float
        Identical edge conductance (S) when ``density`` is None.
    density : float, optional
        Draw the edges from Eq. (13) with ``⟨l⟩ = π/(2 density)``
        (:func:`~nanograph.graphs.lattices.sample_segment_conductances`).
    rng : None, int or Generator
        Source of randomness, with ``density``.

    Returns
    -------
    Network
        ``form="lattice"``, every node of degree ``z``; bonds crossing the torus seam carry their image shift.

    Examples
    --------
    >>> net = torus_lattice_network("kagome", 6, conductance=2.0)
    >>> round(solve_network(net).sheet_conductance / (2.0 * 3**0.5 / 2), 12)   # σ = (√3/2) g exactly
    1.0
    """
    if lattice not in LATTICES:
        raise InvalidInputError(f"lattice must be one of {sorted(LATTICES)}, got {lattice!r}")
    if not (isinstance(size, (int, float, np.integer, np.floating)) and math.isfinite(size) and size >= 1):
        raise InvalidInputError(f"size must be a number >= 1 (bond lengths), got {size!r}")
    z, (w, h), basis = LATTICES[lattice]
    nx, ny, lx, ly = _torus_cells(lattice, size)
    gx, gy, gb = (a.ravel() for a in np.meshgrid(np.arange(nx), np.arange(ny), np.arange(len(basis)), indexing="ij"))
    basis = np.asarray(basis, dtype=float)
    pos = np.column_stack([gx * w + basis[gb, 0], gy * h + basis[gb, 1]])
    pos = np.mod(pos + 1e-9, (lx, ly)) - 1e-9  # basis points on the far edge fold onto the cell origin side
    pairs = cKDTree(np.mod(pos, (lx, ly)), boxsize=(lx, ly)).query_pairs(1 + 1e-6, output_type="ndarray")
    delta = pos[pairs[:, 1]] - pos[pairs[:, 0]]
    shift = -np.rint(delta / (lx, ly)).astype(np.int32)  # the head's image nearest to the tail
    length = np.linalg.norm(delta + shift * (lx, ly), axis=1)
    keep = np.abs(length - 1) < 1e-6
    edges, shift = pairs[keep].astype(np.int64), shift[keep]
    n_edges, n_nodes = len(edges), len(pos)
    if np.any(np.bincount(edges.ravel(), minlength=n_nodes) != z):
        raise InvalidInputError(f"size {size!r} is too small for a {lattice} torus (a node lacks its {z} bonds)")
    if density is None:
        g, edge_length, law = np.full(n_edges, float(conductance)), np.ones(n_edges), {"conductance": conductance}
    else:
        edge_length, g = sample_segment_conductances(n_edges, density, rng=rng)
        law = {"density": float(density), "mean_segment_length": math.pi / (2 * density)}
    return Network(
        form="lattice", node_position=np.mod(pos, (lx, ly)), node_kind=np.full(n_nodes, NodeKind.CONTACT, np.int8),
        node_stick=np.full(n_nodes, -1, np.int32), edges=edges, edge_kind=np.full(n_edges, EdgeKind.SEGMENT, np.int8),
        edge_conductance=g, edge_length=edge_length, edge_stick=np.full((n_edges, 2), -1, np.int32),
        edge_shift=shift, box=(lx, ly), periodic=(True, True), electrodes=None,
        params={"lattice": lattice, "z": z, "size": size, "cells": (nx, ny), "geometry": "torus", **law},
    )  # fmt: skip


def lattice_slope_samples(lattice: str, size: float, geometry: str, *, runs: int, rng=None) -> np.ndarray:
    """Sheet conductance over ``n`` of ``runs`` realizations of a Fig. 3 lattice (edges from Eq. 13, ``n = 1``).

    Parameters
    ----------
    lattice : str
        Lattice name (:data:`~nanograph.graphs.lattices.LATTICES`).
    size : float
        Linear size in bond lengths.
    geometry : str
        One of :data:`LATTICE_GEOMETRIES`.
    runs : int
        Number of realizations.
    rng : None, int or Generator
        Source of randomness; realization ``r`` uses the ``r``-th spawned child.

    Returns
    -------
    ndarray, shape (runs,)
        ``G Lx / (Ly n)`` (S): the slope of the paper's Fig. 3 for each realization.

    Examples
    --------
    >>> s = lattice_slope_samples("square", 8, "torus", runs=2, rng=1)
    >>> s.shape, bool((s > 0.5).all())
    ((2,), True)
    """
    if geometry not in LATTICE_GEOMETRIES:
        raise InvalidInputError(f"geometry must be one of {LATTICE_GEOMETRIES}, got {geometry!r}")
    if isinstance(runs, bool) or int(runs) != runs or runs < 1:
        raise InvalidInputError(f"runs must be a positive integer, got {runs!r}")
    out = np.empty(int(runs))
    for r, child in enumerate(as_rng(rng).spawn(int(runs))):
        if geometry == "torus":
            net = torus_lattice_network(lattice, size, density=1.0, rng=child)
        else:
            net = lattice_network(lattice, size, density=1.0, periodic_y=geometry == "bars-periodic-y", rng=child)
        out[r] = solve_network(net).sheet_conductance
    return out
