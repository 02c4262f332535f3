# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Selected inversion of a sparse LDLᵀ factor (Takahashi recurrences), compiled with Cython.

Given ``A = L D Lᵀ`` (``L`` unit lower triangular), the inverse ``Z = A⁻¹`` satisfies
``Z = D⁻¹ L⁻¹ + (I − Lᵀ) Z``. Read column by column from the last one, this gives every entry of ``Z``
on the pattern of ``L`` from entries already computed (Takahashi, Fagan & Chen 1973; Erisman & Tinney
1975)::

    Z[i, j] = − Σ_{k ∈ S_j} Z[i, k] L[k, j]          for i ∈ S_j
    Z[j, j] = 1 / D[j] − Σ_{k ∈ S_j} L[k, j] Z[k, j]

where ``S_j`` are the rows below the diagonal in column ``j`` of ``L``. The rows of ``S_j`` form a clique
of the filled graph, so every ``Z[i, k]`` needed lies on the pattern of ``L`` already computed. The cost is
about that of the numerical factorisation.
"""

import numpy as np

cimport numpy as cnp

cnp.import_array()

ctypedef cnp.int64_t i64


cdef i64 _takahashi(const i64[::1] indptr, const i64[::1] indices, const double[::1] ld,
                    double[::1] z) noexcept nogil:
    """Fill ``z`` (same pattern as ``ld``); return -1 on success, else the column whose pattern is not closed."""
    cdef i64 n = indptr.shape[0] - 1
    cdef i64 j, p0, p1, pa, pb, q, qend, k, rb
    cdef double la, zbk, acc, s
    for j in range(n - 1, -1, -1):
        p0 = indptr[j]
        p1 = indptr[j + 1]
        for pa in range(p0 + 1, p1):
            z[pa] = 0.0
        for pa in range(p0 + 1, p1):
            k = indices[pa]
            la = ld[pa]
            q = indptr[k]
            z[pa] -= z[q] * la  # Z[k, k] L[k, j]
            q += 1
            qend = indptr[k + 1]
            acc = 0.0
            for pb in range(pa + 1, p1):
                rb = indices[pb]
                while q < qend and indices[q] < rb:
                    q += 1
                if q == qend or indices[q] != rb:
                    return j
                zbk = z[q]  # Z[rb, k], with rb > k: stored in column k
                z[pb] -= zbk * la
                acc += zbk * ld[pb]
            z[pa] -= acc
        s = 0.0
        for pa in range(p0 + 1, p1):
            s += ld[pa] * z[pa]
        z[p0] = 1.0 / ld[p0] - s
    return -1


def takahashi(i64[::1] indptr, i64[::1] indices, double[::1] ld):
    """Entries of ``A⁻¹`` on the pattern of the factor ``A = L D Lᵀ``.

    Parameters
    ----------
    indptr, indices : ndarray of int64
        CSC pattern of the factor, rows sorted in every column, the diagonal first.
    ld : ndarray of float64
        CHOLMOD's combined ``LD`` values: ``D[j]`` on the diagonal, ``L[i, j]`` below it.

    Returns
    -------
    ndarray of float64
        ``Z[i, j] = (A⁻¹)[i, j]`` at every stored ``(i, j)`` of the pattern (``i >= j``).
    """
    cdef double[::1] z = np.empty(ld.shape[0])
    cdef i64 bad
    with nogil:
        bad = _takahashi(indptr, indices, ld, z)
    if bad >= 0:
        raise ValueError(f"the factor's pattern is not closed under fill at column {bad}")
    return np.asarray(z)
