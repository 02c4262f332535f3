"""Intersections of sticks with each other and with the bus-bar electrodes.

Algorithm (expected cost ``O(N <k>)``): every stick image whose bounding box meets the box is registered
in the cells of a uniform grid (cell side about one mean stick length) that its bounding box overlaps;
candidate pairs are the pairs sharing a cell, counted once in the cell holding the lower-left corner of
their bounding-box overlap; candidates are tested exactly with orientation cross products. Along a
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
from dataclasses import dataclass

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks

__all__ = ["Contacts", "ElectrodeContacts", "find_contacts", "find_electrode_contacts"]

_PAIR_CHUNK = 2_000_000


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
    """Periodic images whose bounding box meets the box: coordinates, stick id, integer shift."""
    e = sticks.endpoints
    n = len(e)
    shifts_per_axis = []
    for axis in (0, 1):
        if not sticks.periodic[axis]:
            shifts_per_axis.append(np.zeros(1, dtype=np.int64))
            continue
        side = sticks.box[axis]
        lo = np.minimum(e[:, axis], e[:, axis + 2])
        hi = np.maximum(e[:, axis], e[:, axis + 2])
        kmax = int(math.ceil(max(np.max(np.abs(hi), initial=0), np.max(np.abs(lo), initial=0)) / side)) + 1
        shifts_per_axis.append(np.arange(-kmax, kmax + 1, dtype=np.int64))
    kx, ky = np.meshgrid(*shifts_per_axis, indexing="ij")
    kx, ky = kx.ravel(), ky.ravel()
    stick = np.repeat(np.arange(n, dtype=np.int64), len(kx))
    shift = np.column_stack([np.tile(kx, n), np.tile(ky, n)])
    coords = e[stick] + np.tile(shift * np.asarray(sticks.box), 2)
    keep = np.ones(len(stick), dtype=bool)
    for axis in (0, 1):
        if sticks.periodic[axis]:
            lo = np.minimum(coords[:, axis], coords[:, axis + 2])
            hi = np.maximum(coords[:, axis], coords[:, axis + 2])
            keep &= (hi >= 0) & (lo <= sticks.box[axis])
    return coords[keep], stick[keep], shift[keep]


def _pairs_within_groups(starts: np.ndarray, sizes: np.ndarray, chunk: int):
    """Yield index pairs ``(a, b)``, ``a < b``, of all pairs inside consecutive groups, in chunks."""
    total = len(starts) and int(starts[-1] + sizes[-1])
    group_of = np.repeat(np.arange(len(sizes)), sizes)
    rank = np.arange(total) - starts[group_of]
    count = sizes[group_of] - rank - 1
    cum = np.cumsum(count)
    begin = 0
    while begin < total:
        base = cum[begin - 1] if begin else 0
        end = int(np.searchsorted(cum, base + chunk, side="right"))
        end = max(end, begin + 1)
        c = count[begin:end]
        a = np.repeat(np.arange(begin, end), c)
        offsets = np.arange(len(a)) - np.repeat(np.cumsum(c) - c, c)
        yield a, a + 1 + offsets
        begin = end


def _candidate_pairs_grid(coords: np.ndarray, cell: float):
    """Candidate image pairs whose bounding boxes overlap, each once, via a uniform grid."""
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
    cx = clo[img, 0] + local // span[img, 1]
    cy = clo[img, 1] + local % span[img, 1]
    key = cx * ncy + cy
    order = np.argsort(key, kind="stable")
    img, key = img[order], key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
    sizes = np.diff(np.r_[starts, len(key)])
    for a, b in _pairs_within_groups(starts, sizes, _PAIR_CHUNK):
        ia, ib = img[a], img[b]
        # Bounding boxes must overlap; the pair is counted in the cell of the overlap's lower-left corner.
        rx = np.maximum(lo[ia, 0], lo[ib, 0])
        ry = np.maximum(lo[ia, 1], lo[ib, 1])
        ok = (rx <= np.minimum(hi[ia, 0], hi[ib, 0])) & (ry <= np.minimum(hi[ia, 1], hi[ib, 1]))
        ref = np.floor((rx - origin[0]) / cell).astype(np.int64) * ncy + np.floor((ry - origin[1]) / cell).astype(
            np.int64
        )
        ok &= ref == key[a]
        yield ia[ok], ib[ok]


def _candidate_pairs_all(n_images: int):
    """Every image pair (the O(N^2) reference method), in chunks."""
    yield from _pairs_within_groups(np.zeros(1, np.int64), np.array([n_images]), _PAIR_CHUNK)


def _segment_intersections(coords: np.ndarray, ia: np.ndarray, ib: np.ndarray):
    """Exact closed-segment test: mask and parameters ``t`` (along ``ia``), ``u`` (along ``ib``)."""
    p, q = coords[ia], coords[ib]
    rx, ry = p[:, 2] - p[:, 0], p[:, 3] - p[:, 1]
    sx, sy = q[:, 2] - q[:, 0], q[:, 3] - q[:, 1]
    wx, wy = q[:, 0] - p[:, 0], q[:, 1] - p[:, 1]
    denom = rx * sy - ry * sx
    t_num = wx * sy - wy * sx
    u_num = wx * ry - wy * rx
    sign = np.sign(denom)
    d = np.abs(denom)
    t_num *= sign
    u_num *= sign
    hit = (d > 0) & (t_num >= 0) & (t_num <= d) & (u_num >= 0) & (u_num <= d)
    with np.errstate(invalid="ignore", divide="ignore"):
        return hit, t_num[hit] / d[hit], u_num[hit] / d[hit]


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
        Grid cell side; default the mean stick length.

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
        cell = float(cell_size) if cell_size is not None else float(np.mean(sticks.lengths)) if len(sticks) else 1.0
        if not (math.isfinite(cell) and cell > 0):
            raise InvalidInputError(f"cell_size must be positive, got {cell_size!r}")
        candidates = _candidate_pairs_grid(coords, cell)
    elif method == "pairs":
        candidates = _candidate_pairs_all(len(coords))
    else:
        raise InvalidInputError(f"method must be 'grid' or 'pairs', got {method!r}")

    found = []
    for ia, ib in candidates:
        keep = stick[ia] != stick[ib]
        ia, ib = ia[keep], ib[keep]
        hit, t, u = _segment_intersections(coords, ia, ib)
        found.append((ia[hit], ib[hit], t, u))
    if found:
        ia, ib, t, u = (np.concatenate(parts) for parts in zip(*found, strict=False))
    else:
        ia = ib = np.zeros(0, np.int64)
        t = u = np.zeros(0)
    return _canonical_contacts(sticks, coords, stick, shift, ia, ib, t, u)


def _canonical_contacts(sticks, coords, stick, shift, ia, ib, t, u) -> Contacts:
    """Orient pairs as ``i < j``, express in the frame of ``i``, drop image duplicates, sort."""
    swap = stick[ia] > stick[ib]
    first = np.where(swap, ib, ia)
    second = np.where(swap, ia, ib)
    t_first = np.where(swap, u, t)
    t_second = np.where(swap, t, u)
    i, j = stick[first], stick[second]
    rel = shift[second] - shift[first]
    kmax = int(np.abs(rel).max(initial=0)) + 1
    n = max(len(sticks), 1)
    code = (rel[:, 0] + kmax) * (2 * kmax + 1) + (rel[:, 1] + kmax)
    key = (i * n + j) * (2 * kmax + 1) ** 2 + code
    key, index = np.unique(key, return_index=True)
    i, j, rel, t_first, t_second = i[index], j[index], rel[index], t_first[index], t_second[index]
    e = sticks.endpoints
    lengths = sticks.lengths
    point = e[i, :2] + t_first[:, None] * (e[i, 2:] - e[i, :2])
    return Contacts(
        stick_i=i,
        stick_j=j,
        shift=rel,
        point=point,
        arc_i=t_first * lengths[i],
        arc_j=t_second * lengths[j],
    )


def find_electrode_contacts(sticks: Sticks) -> tuple[ElectrodeContacts, ElectrodeContacts]:
    """Contacts of the sticks with the left (``x = 0``) and right (``x = Lx``) bus bars.

    A bus bar is the segment ``x = 0, 0 <= y <= Ly`` (every ``y`` when y is periodic), and likewise at
    ``x = Lx``; a stick contacts it where it crosses (or ends on) that segment.

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
