"""Intersections of sticks with each other, with the bus-bar electrodes and with electrode segments of any shape.

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

__all__ = [
    "Contacts",
    "ElectrodeContacts",
    "find_contacts",
    "find_electrode_contacts",
    "find_segment_contacts",
    "find_probe_contacts",
    "segments_touch",
]


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


def _cross(ax, ay, bx, by):
    return ax * by - ay * bx


def segments_touch(a, b) -> np.ndarray:
    """Whether closed segments touch: every segment of ``a`` against every one of ``b``.

    Collinear overlapping segments touch (unlike sticks, electrodes lying along one side of the box do
    overlap), and so do segments sharing an endpoint; zero-length segments are points.

    Parameters
    ----------
    a, b : array_like, shape (S, 4) and (T, 4)
        ``x0, y0, x1, y1`` of each segment.

    Returns
    -------
    ndarray of bool, shape (S, T)

    Examples
    --------
    >>> segments_touch([[0, 0, 2, 0]], [[1, 0, 3, 0], [0, 1, 2, 1], [1, -1, 1, 1]]).tolist()
    [[True, False, True]]
    """
    p = np.asarray(a, dtype=float).reshape(-1, 4)[:, None, :]
    q = np.asarray(b, dtype=float).reshape(-1, 4)[None, :, :]

    def side(s, t):  # orientation of the endpoints of t relative to segment s
        dx, dy = s[..., 2] - s[..., 0], s[..., 3] - s[..., 1]
        o0 = np.sign(_cross(dx, dy, t[..., 0] - s[..., 0], t[..., 1] - s[..., 1]))
        o1 = np.sign(_cross(dx, dy, t[..., 2] - s[..., 0], t[..., 3] - s[..., 1]))
        return o0, o1

    def within(s, x, y):  # a point collinear with s lies within its bounding box
        return ((np.minimum(s[..., 0], s[..., 2]) <= x) & (x <= np.maximum(s[..., 0], s[..., 2]))
                & (np.minimum(s[..., 1], s[..., 3]) <= y) & (y <= np.maximum(s[..., 1], s[..., 3])))  # fmt: skip

    o1, o2 = side(p, q)
    o3, o4 = side(q, p)
    proper = (o1 * o2 < 0) & (o3 * o4 < 0)
    touch = proper
    touch = touch | ((o1 == 0) & within(p, q[..., 0], q[..., 1])) | ((o2 == 0) & within(p, q[..., 2], q[..., 3]))
    touch = touch | ((o3 == 0) & within(q, p[..., 0], p[..., 1])) | ((o4 == 0) & within(q, p[..., 2], p[..., 3]))
    return touch


def find_segment_contacts(sticks: Sticks, segments) -> ElectrodeContacts:
    """Contacts of the sticks with one electrode made of straight segments (anywhere in the box).

    A stick contacts the electrode where it crosses or ends on one of its segments (closed segments);
    a stick parallel to a segment never contacts it (as for bus bars, the overlap has no single contact
    point); a zero-length segment is a point contact, touched by the sticks through it. Along a periodic axis
    the images of the sticks are tested, so a stick wrapping the box contacts a segment through its image.
    A stick crossing two segments of the electrode at the same point (a shared endpoint) contacts it once.

    Parameters
    ----------
    sticks : Sticks
        The sticks, their box and periodicity.
    segments : array_like, shape (S, 4)
        ``x0, y0, x1, y1`` of each segment of the electrode (box units).

    Returns
    -------
    ElectrodeContacts
        Stick ids, arc positions from each stick's first endpoint, and contact points (in the frame of the
        segment), sorted by stick then arc.

    Examples
    --------
    >>> s = Sticks([[0, 0, 2, 2], [0, 2, 2, 0], [0.2, 0.1, 0.2, 1.6]], box=2)
    >>> c = find_segment_contacts(s, [[0, 1, 2, 1]])         # a horizontal line through the centre
    >>> c.stick.tolist(), c.point.round(12).tolist()
    ([0, 1, 2], [[1.0, 1.0], [1.0, 1.0], [0.2, 1.0]])
    """
    seg = np.asarray(segments, dtype=float).reshape(-1, 4)
    coords, stick, _ = _images(sticks)
    lengths = sticks.lengths
    found_stick, found_t, found_point = [], [], []
    lo, hi = np.minimum(coords[:, :2], coords[:, 2:]), np.maximum(coords[:, :2], coords[:, 2:])
    for s in seg:  # a few segments per electrode; the sticks are vectorised
        near = np.flatnonzero(np.all(lo <= np.maximum(s[:2], s[2:]), axis=1)
                              & np.all(hi >= np.minimum(s[:2], s[2:]), axis=1))  # fmt: skip
        p = coords[near]
        rx, ry = p[:, 2] - p[:, 0], p[:, 3] - p[:, 1]
        sx, sy = s[2] - s[0], s[3] - s[1]
        wx, wy = s[0] - p[:, 0], s[1] - p[:, 1]
        if sx == 0 and sy == 0:  # a point contact: on the stick's line, within the stick
            t = np.where(np.abs(rx) >= np.abs(ry), wx / np.where(rx == 0, 1, rx), wy / np.where(ry == 0, 1, ry))
            hit = (_cross(rx, ry, wx, wy) == 0) & (t >= 0) & (t <= 1)
            u = np.zeros(len(near))
        else:
            denom = _cross(rx, ry, sx, sy)
            sign = np.sign(denom)
            t_num, u_num, denom = sign * _cross(wx, wy, sx, sy), sign * _cross(wx, wy, rx, ry), sign * denom
            hit = (denom > 0) & (t_num >= 0) & (t_num <= denom) & (u_num >= 0) & (u_num <= denom)
            t = t_num / np.where(denom > 0, denom, 1)
            u = u_num / np.where(denom > 0, denom, 1)
        idx = near[hit]
        found_stick.append(stick[idx])
        found_t.append(t[hit])
        found_point.append(s[:2] + u[hit, None] * (s[2:] - s[:2]))  # on the segment: exact on an axis-aligned one
    if not found_stick:
        return ElectrodeContacts(np.zeros(0, np.int64), np.zeros(0), np.zeros((0, 2)))
    ids = np.concatenate(found_stick)
    return _sorted_contacts(ids, np.concatenate(found_t) * lengths[ids], np.concatenate(found_point).reshape(-1, 2))


def _sorted_contacts(stick: np.ndarray, arc: np.ndarray, point: np.ndarray) -> ElectrodeContacts:
    """Electrode contacts sorted by stick and arc, exact duplicates (same stick, same arc) dropped."""
    order = np.lexsort((arc, stick))
    stick, arc, point = stick[order], arc[order], point[order]
    keep = np.r_[True, (stick[1:] != stick[:-1]) | (arc[1:] != arc[:-1])] if len(stick) else np.zeros(0, bool)
    return ElectrodeContacts(stick[keep].astype(np.int64), arc[keep], point[keep])


def find_probe_contacts(sticks: Sticks, stick_ids) -> ElectrodeContacts:
    """Contacts of a probe on the given sticks: each at its midpoint (arc position half its length).

    Parameters
    ----------
    sticks : Sticks
        The sticks.
    stick_ids : array_like of int
        The probed sticks.

    Returns
    -------
    ElectrodeContacts

    Raises
    ------
    InvalidInputError
        A stick id outside ``0 .. N-1``.
    """
    ids = np.unique(np.asarray(stick_ids, dtype=np.int64).ravel())
    if len(ids) and (ids.min() < 0 or ids.max() >= len(sticks)):
        raise InvalidInputError(f"sticks of a probe must be stick ids in 0..{len(sticks) - 1}, got {ids.tolist()}")
    return ElectrodeContacts(ids, 0.5 * sticks.lengths[ids], sticks.centres[ids])
