"""Sparse symmetric positive-definite factorisation behind one small adapter.

Back-ends: **CHOLMOD** (scikit-sparse, the default) and SciPy's **SuperLU** (fallback with a warning
when scikit-sparse is missing). nanograph uses the scikit-sparse 0.4 API (``cholesky(A).solve_A(b)``),
which builds against Debian bookworm's SuiteSparse 5; the 0.5 API (SuiteSparse 7) is detected and
reported with a clear message rather than guessed at.

CHOLMOD options (measured with ``benchmarks/pipeline.py --options``, see the README): AMD ordering
(METIS and NESDIS cut the fill by ~20 % but their ordering time doubles the total at these sizes), and
``mode="auto"`` = :func:`choose_mode`: the simplicial factorisation for very sparse systems up to
``SIMPLICIAL_MAX_UNKNOWNS`` unknowns (junction-node graphs, ~2.5 entries per column of the lower
triangle: as fast as supernodal there and 20 % less memory), supernodal otherwise (BLAS-3 supernodes with
OpenBLAS: 2x faster for wire-node systems, 4x for junction-node systems of 1.6 M unknowns).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from scipy import sparse
from scipy.sparse import linalg as sla

from nanograph.errors import BackendUnavailableError, InvalidInputError, SingularSystemError

__all__ = ["cholmod_available", "choose_mode", "cholesky_factor", "factorize", "SOLVERS", "CHOLMOD_INSTALL_HINT"]

SIMPLICIAL_MAX_UNKNOWNS = 800_000
SIMPLICIAL_MAX_ENTRIES_PER_COLUMN = 4.0

SOLVERS = ("auto", "cholmod", "superlu")

CHOLMOD_INSTALL_HINT = (
    "CHOLMOD (scikit-sparse) is not installed. Install it with: "
    "apt-get install -y libsuitesparse-dev && pip install 'scikit-sparse<0.5' "
    "(or run `make setup`, which does both)"
)


def _import_cholmod():
    try:
        from sksparse import cholmod
    except ImportError:
        return None
    return cholmod


def cholmod_available() -> bool:
    """Whether scikit-sparse's CHOLMOD can be imported.

    Returns
    -------
    bool
        ``True`` if ``sksparse.cholmod`` imports, so solves use CHOLMOD; ``False`` means SciPy's
        SuperLU fallback (with a warning) is used.
    """
    return _import_cholmod() is not None


def choose_mode(lower: sparse.csc_matrix) -> str:
    """CHOLMOD factorisation kind for a lower triangle: ``"simplicial"`` or ``"supernodal"`` (see above)."""
    n = lower.shape[0]
    sparse_enough = lower.nnz <= SIMPLICIAL_MAX_ENTRIES_PER_COLUMN * n
    return "simplicial" if sparse_enough and n <= SIMPLICIAL_MAX_UNKNOWNS else "supernodal"


def cholesky_factor(lower: sparse.csc_matrix, *, ordering: str = "amd", mode: str = "auto"):
    """CHOLMOD factor object of a sparse SPD matrix given by its lower triangle.

    For callers that need more than solves: the factor ``L_D()``/``LD()``, the permutation ``P()``
    (see :mod:`nanograph.linalg.resistance`). Explicitly stored zeros of ``lower`` stay in the symbolic
    pattern of the factor.

    Parameters
    ----------
    lower : scipy.sparse.csc_matrix
        Lower triangle, diagonal included, of a symmetric positive-definite matrix.
    ordering : str
        CHOLMOD fill-reducing ordering (``"amd"``, ``"metis"``, ``"nesdis"``, ``"natural"``, ``"best"``).
    mode : {"auto", "supernodal", "simplicial"}
        CHOLMOD factorisation kind; ``"auto"`` uses :func:`choose_mode`.

    Returns
    -------
    sksparse.cholmod.Factor

    Raises
    ------
    BackendUnavailableError
        scikit-sparse is missing or has the 0.5 API.
    SingularSystemError
        The matrix is not positive definite.
    """
    cholmod = _import_cholmod()
    if cholmod is None:
        raise BackendUnavailableError(CHOLMOD_INSTALL_HINT)
    if not hasattr(cholmod, "cholesky"):
        raise BackendUnavailableError(
            "this scikit-sparse has the 0.5 API, which needs SuiteSparse 7; nanograph uses the 0.4 API "
            "(`pip install 'scikit-sparse<0.5'` against SuiteSparse 5, as `make setup` does)"
        )
    try:
        return cholmod.cholesky(lower, ordering_method=ordering, mode=choose_mode(lower) if mode == "auto" else mode)
    except cholmod.CholmodNotPositiveDefiniteError as exc:
        raise SingularSystemError(f"the reduced Laplacian is not positive definite ({exc})") from None


def _cholmod_factor(lower: sparse.csc_matrix, ordering: str, mode: str) -> Callable[[np.ndarray], np.ndarray]:
    return cholesky_factor(lower, ordering=ordering, mode=mode).solve_A


def _superlu_factor(lower: sparse.csc_matrix) -> Callable[[np.ndarray], np.ndarray]:
    full = (lower + lower.T - sparse.diags(lower.diagonal())).tocsc()
    try:
        lu = sla.splu(full, permc_spec="COLAMD")
    except RuntimeError as exc:
        raise SingularSystemError(f"the reduced Laplacian is singular ({exc})") from None
    return lu.solve


def factorize(
    lower: sparse.csc_matrix, *, solver: str = "auto", ordering: str = "amd", mode: str = "auto"
) -> tuple[Callable[[np.ndarray], np.ndarray], str]:
    """Factor a sparse SPD matrix given by its lower triangle.

    Parameters
    ----------
    lower : scipy.sparse.csc_matrix
        Lower triangle, diagonal included, of a symmetric positive-definite matrix.
    solver : {"auto", "cholmod", "superlu"}
        ``"auto"`` uses CHOLMOD and falls back to SuperLU with a ``RuntimeWarning`` when scikit-sparse is
        missing; ``"cholmod"`` raises :class:`BackendUnavailableError` instead.
    ordering : str
        CHOLMOD fill-reducing ordering (``"amd"``, ``"metis"``, ``"nesdis"``, ``"natural"``, ``"best"``).
    mode : {"auto", "supernodal", "simplicial"}
        CHOLMOD factorisation kind; ``"auto"`` uses :func:`choose_mode`.

    Returns
    -------
    solve : callable
        ``solve(b)`` returns ``x`` with ``A x = b`` (``b`` of shape (n,) or (n, k)).
    backend : str
        ``"cholmod"`` or ``"superlu"``.
    """
    if solver not in SOLVERS:
        raise InvalidInputError(f"solver must be one of {SOLVERS}, got {solver!r}")
    if solver != "superlu" and cholmod_available():
        return _cholmod_factor(lower, ordering, mode), "cholmod"
    if solver == "cholmod":
        raise BackendUnavailableError(CHOLMOD_INSTALL_HINT)
    if solver == "auto":
        warnings.warn(CHOLMOD_INSTALL_HINT + "; falling back to SciPy's SuperLU (slower)", RuntimeWarning, stacklevel=3)
    return _superlu_factor(lower), "superlu"
