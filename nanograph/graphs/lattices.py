"""Square, kagome, honeycomb and triangular resistor lattices in the bus-bar geometry, as :class:`Network`.

The test networks of the EMT/Foster paper (Tarasevich et al. 2025, Fig. 3): regular lattices whose edge
conductances are either identical or drawn from the nanowire-segment law, Eq. (13) with ``g0 = 1/Rw``,
``l0 = 1``: an edge is a wire segment of length ``s`` exponential with mean ``⟨l⟩`` (Eq. 11) and conductance
``1/(Rw s)``. The paper plots against ``n = π/(2⟨l⟩)`` (Eq. 12 read backwards, the density of sticks whose
segments have that mean length), so the ``density`` argument here is that ``n`` (``docs/theory/slips.md``).

Geometry (bond length 1; ``x`` is the current direction):

* the lattice is cut along two node lines ``x = 0`` and ``x = Lx``; the nodes on them are the two bus bars
  (merged into one electrode node each), every other node lies strictly inside. The lattices are oriented so
  that no bond crosses a node line, so every interior node keeps all ``z`` bonds.
* ``y`` is periodic by default (height ``Ly`` a whole number of periods): then every interior node has degree
  ``z`` and a uniform field solves Kirchhoff's equations *exactly*, so with identical edges ``g`` the sheet
  conductance ``G Lx/Ly`` equals ``σ = Σ_b g d_bx² / A_cell`` exactly:
  square ``g``, kagome ``(√3/2) g`` (``R□ = 2/(√3 g)``), honeycomb ``g/√3``, triangular ``√3 g``.
  With open ``y`` the square lattice stays exact (its vertical bonds carry no current); the others get a
  boundary correction of order ``1/Ly`` from the top and bottom rows.

======================  ===  ===================  ===========================  =========================
lattice                 z    cell (w × h)         ``size`` sets                node columns at
======================  ===  ===================  ===========================  =========================
square                  4    1 × 1                ``Lx = Ly = size``           every integer ``x``
kagome                  4    2 × 2√3              ``Lx = 2⌈size/2⌉``           ``x ≡ 0, 0.5, 1, 1.5 (mod 2)``
honeycomb               3    3 × √3               ``Lx = 3⌈size/3⌉``           ``x ≡ 0, 1, 1.5, 2.5 (mod 3)``
triangular              6    √3 × 1               ``Lx = (√3/2)⌈2 size/√3⌉``   ``x = k √3/2``
======================  ===  ===================  ===========================  =========================

``Ly`` is the whole number of cells closest to ``Lx`` (at least 2 cells), so the box is nearly square.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import as_rng
from nanograph.graphs.network import EdgeKind, Network, NodeKind

__all__ = ["LATTICES", "lattice_network", "sample_segment_conductances"]

_S3 = math.sqrt(3.0)

#: Per lattice: degree z, rectangular cell (width, height) and the node positions in it (bond length 1).
LATTICES: dict[str, tuple[int, tuple[float, float], tuple[tuple[float, float], ...]]] = {
    "square": (4, (1.0, 1.0), ((0.0, 0.0),)),
    "kagome": (4, (2.0, 2 * _S3), ((0, 0), (1, 0), (0.5, _S3 / 2), (0, _S3), (1, _S3), (1.5, 1.5 * _S3))),
    "honeycomb": (3, (3.0, _S3), ((0, 0), (1, 0), (1.5, _S3 / 2), (2.5, _S3 / 2))),
    "triangular": (6, (_S3, 1.0), ((0.0, 0.0), (_S3 / 2, 0.5))),
}


def sample_segment_conductances(
    size: int, density: float, *, rw: float = 1.0, rng: None | int | np.random.Generator = None
) -> tuple[np.ndarray, np.ndarray]:
    """Draw wire segments of Eq. (11) and their conductances, Eq. (13) (``l0 = 1``).

    Parameters
    ----------
    size : int
        Number of segments.
    density : float
        ``n`` with mean segment length ``⟨l⟩ = π/(2 n)`` (Eq. 12; the x axis of the paper's Fig. 3).
    rw : float
        Resistance of a unit length of wire (ohm); ``g0 = 1/rw``.
    rng : None, int or Generator
        Source of randomness.

    Returns
    -------
    lengths, conductances : ndarray
        Segment lengths (wire lengths) and conductances ``1/(rw s)`` (S); the conductances have the
        density of Eq. (14).

    Examples
    --------
    >>> s, g = sample_segment_conductances(4, 10.0, rng=1)
    >>> bool(np.allclose(g * s, 1.0))
    True
    """
    if not (math.isfinite(density) and density > 0):
        raise InvalidInputError(f"density must be a positive number (n = π/(2⟨l⟩)), got {density!r}")
    if not (math.isfinite(rw) and rw > 0):
        raise InvalidInputError(f"rw must be a positive resistance (ohm per length), got {rw!r}")
    lengths = as_rng(rng).exponential(math.pi / (2 * density), int(size))
    lengths = np.maximum(lengths, np.finfo(float).tiny)  # an exact zero would be an infinite conductance
    return lengths, 1.0 / (rw * lengths)


def _cells(lattice: str, size: float) -> tuple[int, int]:
    _, (w, h), _ = LATTICES[lattice]
    if lattice == "triangular":  # node columns every √3/2: count half cells
        nx2 = max(2, math.ceil(2 * size / _S3 - 1e-9))
        return nx2, max(2, round(nx2 * (w / 2) / h))
    nx = max(1, math.ceil(size / w - 1e-9))
    return nx, max(2, round(nx * w / h))


def lattice_network(
    lattice: str,
    size: float,
    *,
    conductance: float = 1.0,
    density: float | None = None,
    rw: float = 1.0,
    periodic_y: bool = True,
    rng: None | int | np.random.Generator = None,
) -> Network:
    """A regular lattice between two bus bars at ``x = 0`` and ``x = Lx``.

    Parameters
    ----------
    lattice : {"square", "kagome", "honeycomb", "triangular"}
        Lattice type (node degree 4, 4, 3, 6).
    size : float
        Linear size ``L`` in bond lengths: ``Lx`` is the smallest whole number of cells reaching it (see the
        module table), ``Ly`` the whole number of cells closest to ``Lx``.
    conductance : float
        Identical conductance of every edge (S), used when ``density`` is None.
    density : float, optional
        Draw every edge conductance from Eq. (13) with ``⟨l⟩ = π/(2 density)``
        (:func:`sample_segment_conductances`); ``edge_length`` then holds the drawn segment lengths.
    rw : float
        Resistance of a unit length of wire (ohm), with ``density``.
    periodic_y : bool
        Periodic in ``y`` (default; makes the identical-edge sheet conductance exact).
    rng : None, int or Generator
        Source of randomness, with ``density``.

    Returns
    -------
    Network
        ``form="lattice"``; bonds are :attr:`EdgeKind.SEGMENT` edges (a bond ending on a bus bar joins the
        electrode node directly); nodes ``0..V-3`` are the interior lattice nodes, then the left and right
        electrodes. ``params`` records the lattice, ``z``, the cell counts and the conductance law.

    Examples
    --------
    >>> from nanograph.linalg.solve import solve_network
    >>> net = lattice_network("kagome", 8)
    >>> round(solve_network(net).sheet_conductance / (3**0.5 / 2), 12)    # R□ = 2/(√3 g), exactly
    1.0
    """
    if lattice not in LATTICES:
        raise InvalidInputError(f"lattice must be one of {sorted(LATTICES)}, got {lattice!r}")
    if not (isinstance(size, (int, float, np.integer, np.floating)) and math.isfinite(size) and size >= 1):
        raise InvalidInputError(f"size must be a number >= 1 (bond lengths), got {size!r}")
    if density is None and not (math.isfinite(conductance) and conductance >= 0):
        raise InvalidInputError(f"conductance must be a finite number >= 0 (S), got {conductance!r}")
    z, (w, h), basis = LATTICES[lattice]
    nx, ny = _cells(lattice, size)
    lx = nx * (w / 2 if lattice == "triangular" else w)
    ly = ny * h
    eps = 1e-9

    # Nodes of the cells covering [0, Lx] x [0, Ly), plus one extra row of cells on top when y is periodic.
    basis = np.asarray(basis, dtype=float)
    cx = np.arange(math.ceil(lx / w) + 1)
    rows = ny + 1 if periodic_y else ny
    cy = np.arange(rows)
    gx, gy, gb = np.meshgrid(cx, cy, np.arange(len(basis)), indexing="ij")
    gx, gy, gb = gx.ravel(), gy.ravel(), gb.ravel()
    pos = np.column_stack([gx * w + basis[gb, 0], gy * h + basis[gb, 1]])
    # The node of row 0 that each node repeats (itself below the extra row), as an index into the kept nodes.
    same_in_row0 = (gx * rows) * len(basis) + gb
    keep = (pos[:, 0] > -eps) & (pos[:, 0] < lx + eps)
    kept_index = np.cumsum(keep) - 1
    pos, row, twin = pos[keep], gy[keep], kept_index[same_in_row0[keep]]

    # Bonds: node pairs at distance 1 (the bond length; the next distances are √2, √3 or 2).
    pairs = cKDTree(pos).query_pairs(1 + 1e-6, output_type="ndarray")
    d = np.linalg.norm(pos[pairs[:, 0]] - pos[pairs[:, 1]], axis=1)
    pairs = pairs[np.abs(d - 1) < 1e-6]
    if periodic_y:  # a bond with both ends in the extra row repeats one of row 0
        pairs = pairs[(row[pairs[:, 0]] < ny) | (row[pairs[:, 1]] < ny)]

    # Canonical node ids: interior nodes of the core rows, then the two electrodes; the extra row maps to row 0.
    x = pos[:, 0]
    side = np.where(x < eps, 0, np.where(x > lx - eps, 1, -1))
    core_interior = (side < 0) & (row < ny)
    n_interior = int(core_interior.sum())
    node = np.full(len(pos), -1, dtype=np.int64)
    node[core_interior] = np.arange(n_interior)
    node[side == 0], node[side == 1] = n_interior, n_interior + 1
    wrap = np.zeros(len(pos), dtype=np.int32)
    if periodic_y:
        top = (row == ny) & (side < 0)
        node[top], wrap[top] = node[twin[top]], 1
    edges = node[pairs]
    shift_y = wrap[pairs[:, 1]] - wrap[pairs[:, 0]]
    bus = edges >= n_interior
    on_one_bar = bus[:, 0] & bus[:, 1]  # a bond along a bus bar (or across a one-cell lattice) carries nothing
    if np.any(on_one_bar & (edges[:, 0] != edges[:, 1])):
        raise InvalidInputError(f"size {size!r} is too small for a {lattice} lattice: a bond joins the two bus bars")
    edges, shift_y = edges[~on_one_bar], shift_y[~on_one_bar]
    n_edges = len(edges)

    node_position = np.vstack([pos[core_interior], [[0.0, ly / 2], [lx, ly / 2]]])
    node_kind = np.full(n_interior + 2, NodeKind.CONTACT, dtype=np.int8)
    node_kind[n_interior:] = NodeKind.ELECTRODE
    edge_shift = np.zeros((n_edges, 2), dtype=np.int32)
    edge_shift[:, 1] = np.where(bus[~on_one_bar].any(axis=1), 0, shift_y)  # electrodes span the full height
    if density is None:
        g = np.full(n_edges, float(conductance))
        edge_length = np.ones(n_edges)
        law = {"conductance": float(conductance)}
    else:
        edge_length, g = sample_segment_conductances(n_edges, density, rw=rw, rng=rng)
        law = {"density": float(density), "rw": float(rw), "mean_segment_length": math.pi / (2 * density)}
    return Network(
        form="lattice",
        node_position=node_position,
        node_kind=node_kind,
        node_stick=np.full(n_interior + 2, -1, dtype=np.int32),
        edges=edges,
        edge_kind=np.full(n_edges, EdgeKind.SEGMENT, dtype=np.int8),
        edge_conductance=g,
        edge_length=edge_length,
        edge_stick=np.full((n_edges, 2), -1, dtype=np.int32),
        edge_shift=edge_shift,
        box=(lx, ly),
        periodic=(False, bool(periodic_y)),
        electrodes=np.array([n_interior, n_interior + 1]),
        params={"lattice": lattice, "z": z, "size": size, "cells": (nx, ny), **law},
    )
