"""Holes, slits and cracks: geometric masks that remove or cut the sticks of a film, vectorised.

A mask is a convex region of the plane: a disc, a rectangle (optionally rotated) or a slit (a rectangle of
width ``w`` around a line segment, a crack). Each stick ``p(t) = a + t (b − a)``, ``t ∈ [0, 1]``, meets a
convex region in one interval ``[t_in, t_out]`` (Liang–Barsky clipping in the region's own frame for a
rectangle, the roots of ``|p(t) − c|² = r²`` for a disc). Then

* ``mode="remove"`` drops every stick that meets the region;
* ``mode="cut"`` keeps the parts outside: ``[0, t_in]`` and ``[t_out, 1]``, each a new stick with the parent's
  population and diameter (so a stick across a slit becomes two pieces that no longer touch).

The mask is applied in box coordinates (not repeated across periodic images). A piece whose centre falls
outside the box along an open axis cannot be a stick of the box and is dropped. Pieces shorter than
``1e-12`` of their parent are dropped.

References
----------
Y.-D. Liang, B. A. Barsky, "A new concept and method for line clipping", ACM Trans. Graph. 3, 1 (1984).
"""

from __future__ import annotations

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks

__all__ = ["MODES", "circle_mask", "rectangle_mask", "slit_mask"]

MODES = ("cut", "remove")

_TINY = 1e-12


def _point(value, name: str) -> np.ndarray:
    p = np.asarray(value, dtype=float)
    if p.shape != (2,) or not np.all(np.isfinite(p)):
        raise InvalidInputError(f"{name} must be a finite point (x, y), got {value!r}")
    return p


def _positive(value, name: str) -> float:
    if not np.isfinite(value) or value <= 0:
        raise InvalidInputError(f"{name} must be positive and finite, got {value!r}")
    return float(value)


def _disc_interval(e: np.ndarray, centre: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """``[t_in, t_out]`` of each stick inside the disc (empty: ``t_in > t_out``)."""
    a, d = e[:, :2] - centre, e[:, 2:] - e[:, :2]
    qa, qb, qc = (d * d).sum(1), 2 * (a * d).sum(1), (a * a).sum(1) - radius**2
    disc = qb * qb - 4 * qa * qc
    root = np.sqrt(np.maximum(disc, 0.0))
    t0, t1 = (-qb - root) / (2 * qa), (-qb + root) / (2 * qa)
    miss = disc <= 0
    return np.where(miss, 1.0, np.maximum(t0, 0.0)), np.where(miss, 0.0, np.minimum(t1, 1.0))


def _box_interval(e: np.ndarray, centre, half, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """``[t_in, t_out]`` of each stick inside the rectangle ``|u| <= half`` in its rotated frame (Liang–Barsky)."""
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, s], [-s, c]])  # box frame -> rectangle frame
    a = (e[:, :2] - centre) @ rot.T
    d = (e[:, 2:] - e[:, :2]) @ rot.T
    lo, hi = np.zeros(len(e)), np.ones(len(e))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in (0, 1):
            t_a, t_b = (-half[k] - a[:, k]) / d[:, k], (half[k] - a[:, k]) / d[:, k]
            parallel = d[:, k] == 0
            inside = np.abs(a[:, k]) <= half[k]
            lo = np.where(parallel, np.where(inside, lo, 1.0), np.maximum(lo, np.minimum(t_a, t_b)))
            hi = np.where(parallel, np.where(inside, hi, 0.0), np.minimum(hi, np.maximum(t_a, t_b)))
    return lo, hi


def _apply(sticks: Sticks, t_in: np.ndarray, t_out: np.ndarray, mode: str, what: str) -> Sticks:
    if mode not in MODES:
        raise InvalidInputError(f"mode must be one of {MODES}, got {mode!r}")
    e = sticks.endpoints
    hit = t_in < t_out
    if mode == "remove":
        keep = np.flatnonzero(~hit)
        parent, lo, hi = keep, np.zeros(len(keep)), np.ones(len(keep))
    else:
        ids = np.arange(len(e))
        before, after = np.where(hit, t_in, 1.0), np.where(hit, t_out, 0.0)
        parent = np.concatenate([ids, ids[hit]])
        lo = np.concatenate([np.zeros(len(e)), after[hit]])
        hi = np.concatenate([before, np.ones(hit.sum())])
        order = np.argsort(parent, kind="stable")
        parent, lo, hi = parent[order], lo[order], hi[order]
        piece = hi - lo > _TINY
        parent, lo, hi = parent[piece], lo[piece], hi[piece]
    a, d = e[parent, :2], e[parent, 2:] - e[parent, :2]
    pieces = np.hstack([a + lo[:, None] * d, a + hi[:, None] * d])
    centre = 0.5 * (pieces[:, :2] + pieces[:, 2:])
    ok = np.ones(len(pieces), dtype=bool)
    for axis in (0, 1):
        if not sticks.periodic[axis]:
            ok &= (centre[:, axis] >= 0) & (centre[:, axis] <= sticks.box[axis])
    parent, pieces = parent[ok], pieces[ok]
    info = {**sticks.info, "masks": [*sticks.info.get("masks", []), what], "mask_parent": parent}
    return Sticks(pieces, sticks.box, sticks.periodic, info, sticks.population[parent], sticks.diameter[parent])


def circle_mask(sticks: Sticks, centre, radius: float, *, mode: str = "cut") -> Sticks:
    """Punch a circular hole of ``radius`` (box units) at ``centre`` into the film.

    Parameters
    ----------
    sticks : Sticks
    centre : (float, float)
        Centre of the hole (box units).
    radius : float
        Radius (box units, > 0).
    mode : {"cut", "remove"}
        Keep the parts of the sticks outside the hole, or drop every stick that meets it.

    Returns
    -------
    Sticks
        The masked sticks; ``info["mask_parent"]`` is the original stick of each.

    Examples
    --------
    >>> s = Sticks([[0.5, 2.0, 3.5, 2.0], [0.5, 0.2, 1.5, 0.2]], box=4)
    >>> circle_mask(s, (2, 2), 0.5).endpoints.round(3).tolist()   # the first stick is cut in two
    [[0.5, 2.0, 1.5, 2.0], [2.5, 2.0, 3.5, 2.0], [0.5, 0.2, 1.5, 0.2]]
    >>> len(circle_mask(s, (2, 2), 0.5, mode="remove"))
    1
    """
    c, r = _point(centre, "centre"), _positive(radius, "radius")
    t_in, t_out = _disc_interval(sticks.endpoints, c, r)
    return _apply(sticks, t_in, t_out, mode, {"shape": "circle", "centre": c.tolist(), "radius": r, "mode": mode})


def rectangle_mask(sticks: Sticks, centre, size, *, angle: float = 0.0, mode: str = "cut") -> Sticks:
    """Cut a rectangular hole of ``size = (width, height)`` centred at ``centre``, rotated by ``angle`` (radians).

    Parameters
    ----------
    sticks : Sticks
        The film.
    centre : (float, float)
        Centre of the hole (box units).
    size : float or (float, float)
        Width and height (box units, > 0).
    angle : float
        Rotation of the rectangle (radians).
    mode : {"cut", "remove"}
        Keep the pieces outside the hole, or drop every stick that meets it (as :func:`circle_mask`).

    Returns
    -------
    Sticks
        The masked film (``info["mask_parent"]`` maps each piece to its original stick).
    """
    c = _point(centre, "centre")
    w, h = (_positive(v, "size") for v in np.broadcast_to(np.asarray(size, dtype=float), (2,)))
    lo, hi = _box_interval(sticks.endpoints, c, (w / 2, h / 2), float(angle))
    what = {"shape": "rectangle", "centre": c.tolist(), "size": [w, h], "angle": float(angle), "mode": mode}
    return _apply(sticks, lo, hi, mode, what)


def slit_mask(sticks: Sticks, start, end, width: float, *, mode: str = "cut") -> Sticks:
    """A slit (crack) of ``width`` (box units, > 0) along the segment from ``start`` to ``end``.

    The slit is the rectangle of length ``|end − start|`` and width ``width`` around the segment: a stick
    across it is cut into two pieces ``width`` apart (at normal incidence), which no longer touch.

    Parameters
    ----------
    sticks : Sticks
        The film.
    start, end : (float, float)
        Ends of the slit (box units), distinct.
    width : float
        Width of the slit (box units, > 0).
    mode : {"cut", "remove"}
        As for :func:`circle_mask`.

    Returns
    -------
    Sticks
        The masked film.
    """
    p0, p1 = _point(start, "start"), _point(end, "end")
    length = float(np.hypot(*(p1 - p0)))
    if length == 0:
        raise InvalidInputError("end must differ from start (a slit of zero length)")
    w = _positive(width, "width")
    angle = float(np.arctan2(p1[1] - p0[1], p1[0] - p0[0]))
    lo, hi = _box_interval(sticks.endpoints, 0.5 * (p0 + p1), (length / 2, w / 2), angle)
    what = {"shape": "slit", "start": p0.tolist(), "end": p1.tolist(), "width": w, "mode": mode}
    return _apply(sticks, lo, hi, mode, what)
