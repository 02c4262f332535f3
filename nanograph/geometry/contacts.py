"""Intersections of sticks with each other and with the bus-bar electrodes.

Algorithm (expected cost ``O(N <k>)``): every stick image whose bounding box meets the box is registered
in the cells of a uniform grid (cell side half the mean stick length) that its bounding box overlaps;
candidate pairs are the pairs sharing a cell, counted once in the cell holding the lower-left corner of
their bounding-box overlap; candidates are tested exactly with orientation cross products in a compiled
kernel (:mod:`nanograph._kernels`; the ``"pairs"`` reference is vectorised NumPy). Along a
periodic axis the images of a stick shifted by whole box sides are included, and a junction is the
unique triple (stick ``i``, stick ``j``, image shift of ``j`` relative to ``i``).

Degenerate cases, decided the same way on every IEEE-754 machine:

* Sticks are closed segments: a stick ending exactly on another, or two sticks sharing an endpoint, are
  in contact (arc position 0 or the stick length).
* Parallel sticks never touch, *collinear overlapping sticks included*: their overlap has no single
  contact point and the event has probability zero for continuous positions.
* A stick lying exactly along a bus bar (vertical at ``x = 0`` or ``x = Lx``) does not contact it, for
  the same reason; a stick that ends exactly on a bus bar does.
* Sticks are not clipped to the box: two sticks crossing outside an open box still form a junction.
* A stick touching the box edge ``y = 0`` or ``y = Ly`` of an open axis has no special role.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from nanograph._kernels import grid_intersections
from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks

__all__ = ["Contacts", "ElectrodeContacts", "find_contacts", "find_electrode_contacts"]


@dataclass(frozen=True, eq=False)
class Contacts:
    """Stick–stick junctions, sorted by ``(stick_i, stick_j, shift)`` with ``stick_i < stick_j``.

    Attributes
    ----------
    stick_i, stick_j : ndarray of int64, shape (M,)
        The two sticks of each junction.
    shift : ndarray of int64, shape (M, 2)
        The image of ``stick_j`` that crosses ``stick_i`` is ``stick_j`` moved by ``shift * box``
        (all zero in an open box).
    point : ndarray of float, shape (M, 2)
        Junction position, in the frame of ``stick_i`` (may lie outside the box).
    arc_i, arc_j : ndarray of float, shape (M,)
        Distance of the junction from the first endpoint ``(x0, y0)`` of each stick.
    """

    stick_i: np.ndarray
    stick_j: np.ndarray
    shift: np.ndarray
    point: np.ndarray
    arc_i: np.ndarray
    arc_j: np.ndarray

    def __len__(self) -> int:
        return len(self.stick_i)

    def contacts_per_stick(self, n_sticks: int) -> np.ndarray:
        """Number of junctions on each stick, shape (n_sticks,)."""
        return np.bincount(np.concatenate([self.stick_i, self.stick_j]), minlength=n_sticks)


@dataclass(frozen=True, eq=False)
class ElectrodeContacts:
    """Where sticks cross one bus bar: stick ids, arc positions from ``(x0, y0)`` and points."""

    stick: np.ndarray
    arc: np.ndarray
    point: np.ndarray

    def __len__(self) -> int:
        return len(self.stick)


def _images(sticks: Sticks) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Periodic images whose bounding box meets the box: coordinates, stick id, integer shift.

    Along a periodic axis a stick centred in the image ``b = floor(centre / side)`` of the box has its
    candidate images at shifts ``-b - K .. -b + K`` with ``K`` set by the longest stick, so sticks given
    far outside the box cost no more than sticks inside it.
    """
    e = sticks.endpoints
    n = len(e)
    offsets, base = [], []
    for axis in (0, 1):
        if not sticks.periodic[axis] or n == 0:
            offsets.append(np.zeros(1, dtype=np.int64))
            base.append(np.zeros(n, dtype=np.int64))
            continue
        side = sticks.box[axis]
        half_extent = 0.5 * np.abs(e[:, axis + 2] - e[:, axis]).max()
        k = int(math.ceil(half_extent / side)) + 1
        offsets.append(np.arange(-k, k + 1, dtype=np.int64))
        base.append(np.floor(0.5 * (e[:, axis] + e[:, axis + 2]) / side).astype(np.int64))
    kx, ky = np.meshgrid(*offsets, indexing="ij")
    stick = np.repeat(np.arange(n, dtype=np.int64), kx.size)
    shift = np.column_stack([np.tile(kx.ravel(), n) - base[0][stick], np.tile(ky.ravel(), n) - base[1][stick]])
    coords = e[stick] + np.tile(shift * np.asarray(sticks.box), 2)
    keep = np.ones(len(stick), dtype=bool)
    for axis in (0, 1):
        if sticks.periodic[axis]:
            lo = np.minimum(coords[:, axis], coords[:, axis + 2])
            hi = np.maximum(coords[:, axis], coords[:, axis + 2])
            keep &= (hi >= 0) & (lo <= sticks.box[axis])
    return coords[keep], stick[keep], shift[keep]


def _grid_intersections(coords: np.ndarray, stick: np.ndarray, cell: float):
    """All intersecting image pairs via a uniform grid: image ids ``(a, b)`` and parameters ``(t, u)``."""
    lo = np.minimum(coords[:, :2], coords[:, 2:])
    hi = np.maximum(coords[:, :2], coords[:, 2:])
    origin = lo.min(axis=0) if len(lo) else np.zeros(2)
    clo = np.floor((lo - origin) / cell).astype(np.int64)
    chi = np.floor((hi - origin) / cell).astype(np.int64)
    ncy = int(chi[:, 1].max()) + 1 if len(chi) else 1
    span = chi - clo + 1
    reps = span[:, 0] * span[:, 1]
    img = np.repeat(np.arange(len(coords)), reps)
    local = np.arange(len(img)) - np.repeat(np.cumsum(reps) - reps, reps)
    key = (clo[img, 0] + local // span[img, 1]) * ncy + clo[img, 1] + local % span[img, 1]
    order = np.argsort(key, kind="stable")
    members, key = img[order], key[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
    starts = np.r_[first, len(key)].astype(np.int64)
    # First guess of the number of hits, (sum l)^2 / (pi A) for isotropic sticks; the output grows if short.
    total_length = float(np.sum(np.hypot(*(hi - lo).T)))
    area = float(np.prod(np.maximum(hi.max(axis=0, initial=0) - origin, cell)))
    guess = min(1.1 * total_length**2 / (math.pi * area), 100.0 * len(lo))
    # The compiled scan releases the GIL: split the cells (by work, ~ registrations squared) over threads.
    n_threads = min(os.cpu_count() or 1, 8) if len(members) > 20_000 else 1
    work = np.cumsum(np.diff(starts) ** 2)
    bounds = np.searchsorted(work, work[-1] * np.arange(1, n_threads) / n_threads) if len(work) else []
    cuts = np.r_[0, bounds, len(first)].astype(np.int64)
    args = (coords, stick, lo, hi, members, starts, key[first], origin[0], origin[1], cell, ncy)

    def scan(part: int):
        return grid_intersections(*args, cuts[part], cuts[part + 1], int(guess / n_threads))

    with ThreadPoolExecutor(n_threads) as pool:
        parts = list(pool.map(scan, range(n_threads)))
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


def _all_pairs_intersections(coords: np.ndarray, stick: np.ndarray):
    """Reference: test every image pair, vectorised in NumPy, ``O(N^2)``; for tests and tiny inputs."""
    a, b = np.triu_indices(len(coords), k=1)
    keep = stick[a] != stick[b]
    a, b = a[keep], b[keep]
    p, q = coords[a], coords[b]
    rx, ry = p[:, 2] - p[:, 0], p[:, 3] - p[:, 1]
    sx, sy = q[:, 2] - q[:, 0], q[:, 3] - q[:, 1]
    wx, wy = q[:, 0] - p[:, 0], q[:, 1] - p[:, 1]
    sign = np.sign(rx * sy - ry * sx)
    denom = sign * (rx * sy - ry * sx)
    t_num = sign * (wx * sy - wy * sx)
    u_num = sign * (wx * ry - wy * rx)
    hit = (denom > 0) & (t_num >= 0) & (t_num <= denom) & (u_num >= 0) & (u_num <= denom)
    return a[hit], b[hit], t_num[hit] / denom[hit], u_num[hit] / denom[hit]


def find_contacts(sticks: Sticks, *, method: str = "grid", cell_size: float | None = None) -> Contacts:
    """Find every junction between two sticks.

    Parameters
    ----------
    sticks : Sticks
        The sticks, their box and periodicity.
    method : {"grid", "pairs"}
        ``"grid"``: spatial grid, expected ``O(N <k>)`` (default). ``"pairs"``: test every pair,
        ``O(N^2)``; a reference for tests and tiny inputs.
    cell_size : float, optional
        Grid cell side; default half the mean stick length (fastest in `benchmarks/`).

    Returns
    -------
    Contacts
        Sorted by ``(stick_i, stick_j, shift)``; identical for both methods.

    Examples
    --------
    >>> s = Sticks([[0, 0, 2, 2], [0, 2, 2, 0]], box=2)
    >>> c = find_contacts(s)
    >>> c.point.tolist(), c.arc_i.round(6).tolist()
    ([[1.0, 1.0]], [1.414214])
    """
    coords, stick, shift = _images(sticks)
    if method == "grid":
        mean_length = float(np.mean(sticks.lengths)) if len(sticks) else 1.0
        cell = float(cell_size) if cell_size is not None else 0.5 * mean_length
        if not (math.isfinite(cell) and cell > 0):
            raise InvalidInputError(f"cell_size must be positive, got {cell_size!r}")
        ia, ib, t, u = _grid_intersections(coords, stick, cell)
    elif method == "pairs":
        ia, ib, t, u = _all_pairs_intersections(coords, stick)
    else:
        raise InvalidInputError(f"method must be 'grid' or 'pairs', got {method!r}")
    return _canonical_contacts(sticks, coords, stick, shift, ia, ib, t, u)


def _canonical_contacts(sticks, coords, stick, shift, ia, ib, t, u) -> Contacts:
    """Orient pairs as ``i < j``, express in the frame of ``i``, drop image duplicates, sort."""
    swap = stick[ia] > stick[ib]
    first = np.where(swap, ib, ia)
    second = np.where(swap, ia, ib)
    t_first = np.where(swap, u, t)
    t_second = np.where(swap, t, u)
    i, j = stick[first], stick[second]
    key = i * max(len(sticks), 1) + j
    if any(sticks.periodic):
        rel_x = shift[second, 0] - shift[first, 0]
        rel_y = shift[second, 1] - shift[first, 1]
        kmax = int(max(np.abs(rel_x).max(initial=0), np.abs(rel_y).max(initial=0))) + 1
        key = (key * (2 * kmax + 1) + rel_x + kmax) * (2 * kmax + 1) + rel_y + kmax
        # The same junction seen through two pairs of images appears twice: keep its first occurrence.
        _, index = np.unique(key, return_index=True)
        rel = np.column_stack([rel_x[index], rel_y[index]])
    else:
        index = np.argsort(key, kind="stable")  # one image per stick: no duplicates
        rel = np.zeros((len(index), 2), dtype=np.int64)
    i, j, t_first, t_second = i[index], j[index], t_first[index], t_second[index]
    e = sticks.endpoints
    point = np.empty((len(i), 2))
    for axis in (0, 1):
        start = e[:, axis][i]
        point[:, axis] = start + t_first * (e[:, axis + 2][i] - start)
    lengths = sticks.lengths
    return Contacts(
        stick_i=i, stick_j=j, shift=rel, point=point, arc_i=t_first * lengths[i], arc_j=t_second * lengths[j]
    )


def find_electrode_contacts(sticks: Sticks) -> tuple[ElectrodeContacts, ElectrodeContacts]:
    """Contacts of the sticks with the left (``x = 0``) and right (``x = Lx``) bus bars.

    A bus bar is the segment ``x = 0, 0 <= y <= Ly`` (every ``y`` when y is periodic), and likewise at
    ``x = Lx``; a stick contacts it where it crosses (or ends on) that segment.

    Parameters
    ----------
    sticks : Sticks
        The sticks, open in x (periodic in y or not).

    Returns
    -------
    (ElectrodeContacts, ElectrodeContacts)
        Contacts with the left and the right bus bar: the stick ids, the arc position along each stick from
        its first endpoint (box length units), and the contact points ``(x_bar, y)``.

    Raises
    ------
    InvalidInputError
        If x is periodic: bus bars need an open x axis.
    """
    if sticks.periodic[0]:
        raise InvalidInputError(
            "bus-bar electrodes need an open x axis; the sticks are periodic in x "
            "(use geometry='periodic' for a potential drop across the periodic x boundary)"
        )
    e = sticks.endpoints
    lx, ly = sticks.box
    lengths = sticks.lengths
    result = []
    for x_bar in (0.0, lx):
        dx = e[:, 2] - e[:, 0]
        crosses = (np.minimum(e[:, 0], e[:, 2]) <= x_bar) & (np.maximum(e[:, 0], e[:, 2]) >= x_bar) & (dx != 0)
        idx = np.flatnonzero(crosses)
        t = (x_bar - e[idx, 0]) / dx[idx]
        y = e[idx, 1] + t * (e[idx, 3] - e[idx, 1])
        if not sticks.periodic[1]:
            inside = (y >= 0) & (y <= ly)
            idx, t, y = idx[inside], t[inside], y[inside]
        result.append(ElectrodeContacts(idx, t * lengths[idx], np.column_stack([np.full(len(idx), x_bar), y])))
    return result[0], result[1]
