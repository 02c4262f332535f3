# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled inner loops of nanograph (Cython). Everything else is vectorised NumPy.

Built with ``-ffp-contract=off`` so that ``a*b - c*d`` is never fused into an FMA: the intersection test
then gives bit-for-bit the same decisions as the NumPy reference in :mod:`nanograph.geometry.contacts`.
"""

import numpy as np

cimport numpy as cnp
from libc.math cimport floor

cnp.import_array()

ctypedef cnp.int64_t i64


cdef inline bint _cross(const double[:, ::1] c, i64 i, i64 j, double* t, double* u) noexcept nogil:
    """Closed-segment intersection of segments ``i`` and ``j``; parameters along each in ``t``, ``u``."""
    cdef double px = c[i, 0], py = c[i, 1]
    cdef double rx = c[i, 2] - px, ry = c[i, 3] - py
    cdef double sx = c[j, 2] - c[j, 0], sy = c[j, 3] - c[j, 1]
    cdef double wx = c[j, 0] - px, wy = c[j, 1] - py
    cdef double denom = rx * sy - ry * sx
    cdef double t_num = wx * sy - wy * sx
    cdef double u_num = wx * ry - wy * rx
    if denom < 0:
        denom = -denom
        t_num = -t_num
        u_num = -u_num
    if denom > 0 and 0 <= t_num <= denom and 0 <= u_num <= denom:
        t[0] = t_num / denom
        u[0] = u_num / denom
        return True
    return False


cdef i64 _scan_cells(const double[:, ::1] coords, const i64[::1] stick, const double[:, ::1] lo,
                     const double[:, ::1] hi, const i64[::1] members, const i64[::1] starts,
                     const i64[::1] cell_key, double ox, double oy, double cell, i64 ncy,
                     i64[::1] out_a, i64[::1] out_b, double[::1] out_t, double[::1] out_u,
                     i64 first_cell, i64 end_cell, i64* k) noexcept nogil:
    """Scan cells ``first_cell .. end_cell - 1``, appending hits at ``k[0]``; return the cell where the
    output filled up (to be rescanned after growing it), or ``end_cell`` when done."""
    cdef i64 capacity = out_a.shape[0]
    cdef i64 c, p, q, i, j, ref, k_cell
    cdef double rx, ry, t, u
    for c in range(first_cell, end_cell):
        k_cell = k[0]
        for p in range(starts[c], starts[c + 1]):
            i = members[p]
            for q in range(p + 1, starts[c + 1]):
                j = members[q]
                if stick[i] == stick[j]:
                    continue
                rx = lo[i, 0] if lo[i, 0] > lo[j, 0] else lo[j, 0]
                ry = lo[i, 1] if lo[i, 1] > lo[j, 1] else lo[j, 1]
                if rx > (hi[i, 0] if hi[i, 0] < hi[j, 0] else hi[j, 0]):
                    continue
                if ry > (hi[i, 1] if hi[i, 1] < hi[j, 1] else hi[j, 1]):
                    continue
                # Count the pair only in the cell holding the corner of the bounding-box overlap.
                ref = <i64>floor((rx - ox) / cell) * ncy + <i64>floor((ry - oy) / cell)
                if ref != cell_key[c]:
                    continue
                if _cross(coords, i, j, &t, &u):
                    if k[0] == capacity:
                        k[0] = k_cell
                        return c
                    out_a[k[0]] = i
                    out_b[k[0]] = j
                    out_t[k[0]] = t
                    out_u[k[0]] = u
                    k[0] += 1
    return end_cell


def grid_intersections(const double[:, ::1] coords, const i64[::1] stick, const double[:, ::1] lo,
                       const double[:, ::1] hi, const i64[::1] members, const i64[::1] starts,
                       const i64[::1] cell_key, double ox, double oy, double cell, i64 ncy,
                       i64 first_cell, i64 end_cell, i64 capacity=0):
    """Intersecting segment pairs among those sharing a grid cell, each pair tested once.

    ``members[starts[c]:starts[c+1]]`` are the segments registered in the cell with key ``cell_key[c]``
    (key ``floor((x - ox)/cell) * ncy + floor((y - oy)/cell)``); ``stick`` identifies images of one
    stick, never paired. Cells ``first_cell .. end_cell - 1`` are scanned without the GIL, so threads
    can share the work. ``capacity`` is a first guess of the number of hits (the output grows as
    needed). Returns ``(a, b, t, u)``: segment ids and parameters along each.
    """
    cdef i64 k = 0, cell_done = first_cell
    capacity = max(capacity, 1024)
    buffers = [np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.int64),
               np.empty(capacity), np.empty(capacity)]
    cdef i64[::1] av, bv
    cdef double[::1] tv, uv
    while True:
        av, bv, tv, uv = buffers
        with nogil:
            cell_done = _scan_cells(coords, stick, lo, hi, members, starts, cell_key, ox, oy, cell, ncy,
                                    av, bv, tv, uv, cell_done, end_cell, &k)
        if cell_done == end_cell:
            return tuple(buf[:k].copy() for buf in buffers)
        buffers = [np.concatenate([buf[:k], np.empty(len(buf), dtype=buf.dtype)]) for buf in buffers]


def order_by_stick_then_arc(const i64[::1] stick, const double[::1] arc, i64 n_sticks):
    """Permutation sorting entries by stick, then by arc; ties keep entry order.

    A counting sort by stick, then an insertion sort inside each stick (a handful of contacts each):
    ``O(K + sum k_i^2)``, several times faster than ``np.lexsort`` on the same keys.
    """
    cdef i64 k = stick.shape[0]
    count_array = np.zeros(n_sticks + 1, dtype=np.int64)
    order_array = np.empty(k, dtype=np.int64)
    cdef i64[::1] count = count_array, order = order_array
    cdef i64 i, s, p, q, item
    with nogil:
        for i in range(k):
            count[stick[i] + 1] += 1
        for s in range(n_sticks):
            count[s + 1] += count[s]
        for i in range(k):  # count[s] now runs from the start of stick s's block
            order[count[stick[i]]] = i
            count[stick[i]] += 1
        # count[s] is now the end of block s, so block s is [count[s - 1], count[s]).
        for s in range(n_sticks):
            for p in range(count[s - 1] + 1 if s else 1, count[s]):
                item = order[p]
                q = p - 1
                while q >= (count[s - 1] if s else 0) and arc[order[q]] > arc[item]:
                    order[q + 1] = order[q]
                    q -= 1
                order[q + 1] = item
    return order_array
