"""Sparse symmetric positive-definite factorisation behind one small adapter.

Back-ends: **CHOLMOD** (scikit-sparse, the extra ``nanograph[cholmod]``) and SciPy's **SuperLU** (the
fallback, with a one-line ``RuntimeWarning``, when scikit-sparse is missing). scikit-sparse 0.4
(``cholesky(A)`` returns a ``Factor``; SuiteSparse 5, Debian bookworm) and 0.5 (``cho_factor`` /
``ldl_factor`` return a ``CholeskyFactor``; SuiteSparse >= 7.4) have different APIs; :class:`CholeskyFactor`
hides the difference, so the rest of nanograph calls ``solve_A``, ``LD`` and ``P`` on either.

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

from nanograph.choices import SOLVERS
from nanograph.errors import BackendUnavailableError, InvalidInputError, SingularSystemError

__all__ = [
    "CHOLMOD_INSTALL_HINT",
    "SOLVERS",
    "CholeskyFactor",
    "cholesky_factor",
    "cholmod_api",
    "cholmod_available",
    "choose_mode",
    "factorize",
]

SIMPLICIAL_MAX_UNKNOWNS = 800_000
SIMPLICIAL_MAX_ENTRIES_PER_COLUMN = 4.0


CHOLMOD_INSTALL_HINT = (
    "CHOLMOD (scikit-sparse) is not installed: pip install 'nanograph[cholmod]' "
    "(needs SuiteSparse, e.g. apt-get install libsuitesparse-dev; `make setup` does both)"
)


def _import_cholmod():
    try:
        from sksparse import cholmod
    except ImportError:
        return None
    return cholmod


def cholmod_api(cholmod=None) -> str | None:
    """Which scikit-sparse API ``sksparse.cholmod`` has: ``"0.4"``, ``"0.5"``, or ``None`` when it is missing.

    Parameters
    ----------
    cholmod : module, optional
        The ``sksparse.cholmod`` module to inspect (default: import it).

    Returns
    -------
    str or None
        ``"0.5"`` when the module has ``cho_factor`` and ``ldl_factor`` (scikit-sparse >= 0.5), ``"0.4"`` when
        it has ``analyze`` and ``cholesky`` returning a ``Factor``, ``None`` when scikit-sparse is not installed.
    """
    cholmod = _import_cholmod() if cholmod is None else cholmod
    if cholmod is None:
        return None
    if hasattr(cholmod, "cho_factor") and hasattr(cholmod, "ldl_factor"):
        return "0.5"
    return "0.4" if hasattr(cholmod, "cholesky") else None


def cholmod_available() -> bool:
    """Whether scikit-sparse's CHOLMOD (0.4 or 0.5 API) can be imported.

    Returns
    -------
    bool
        ``True`` if ``sksparse.cholmod`` imports, so solves use CHOLMOD; ``False`` means SciPy's
        SuperLU fallback (with a warning) is used.
    """
    return cholmod_api() is not None


def choose_mode(lower: sparse.csc_matrix) -> str:
    """CHOLMOD factorisation kind for a lower triangle: ``"simplicial"`` or ``"supernodal"`` (see above)."""
    n = lower.shape[0]
    sparse_enough = lower.nnz <= SIMPLICIAL_MAX_ENTRIES_PER_COLUMN * n
    return "simplicial" if sparse_enough and n <= SIMPLICIAL_MAX_UNKNOWNS else "supernodal"


class CholeskyFactor:
    """A CHOLMOD factor ``P A P^T = L D L^T`` with one interface for scikit-sparse 0.4 and 0.5.

    Parameters
    ----------
    factor : sksparse.cholmod.Factor or sksparse.cholmod.CholeskyFactor
        The back-end's factor object.
    api : {"0.4", "0.5"}
        The scikit-sparse API that made ``factor``.

    Attributes
    ----------
    api : str
        ``"0.4"`` or ``"0.5"``.
    backend : object
        The wrapped scikit-sparse factor, for anything beyond the methods below.
    """

    def __init__(self, factor, api: str) -> None:
        self.backend = factor
        self.api = api

    def solve_A(self, b: np.ndarray) -> np.ndarray:  # scikit-sparse 0.4 names
        """``x`` with ``A x = b``; ``b`` of shape (n,) or (n, k)."""
        return self.backend.solve_A(b) if self.api == "0.4" else self.backend.solve(b)

    def LD(self) -> sparse.csc_matrix:
        """``L`` (strictly below the diagonal) and ``D`` (on it) in one CSC matrix, symbolic pattern kept (a copy)."""
        if self.api == "0.4":
            return self.backend.LD()
        return sparse.csc_matrix(self.backend.factor, copy=True)  # the LDL view of a simplicial factor

    def P(self) -> np.ndarray:
        """The fill-reducing permutation ``p``: ``L D L^T = A[p][:, p]``."""
        return np.asarray(self.backend.P() if self.api == "0.4" else self.backend.get_perm())


def _backend_factor(cholmod, api: str, lower: sparse.csc_matrix, ordering: str, mode: str):
    if api == "0.4":
        return cholmod.cholesky(lower, ordering_method=ordering, mode=mode)
    # 0.5: simplicial factors are LDL^T (as 0.4's default, so LD() keeps its meaning), supernodal ones LL^T
    make = cholmod.ldl_factor if mode == "simplicial" else cholmod.cho_factor
    return make(lower, lower=True, order=ordering, supernodal_mode=mode)


def cholesky_factor(lower: sparse.csc_matrix, *, ordering: str = "amd", mode: str = "auto") -> CholeskyFactor:
    """CHOLMOD factor of a sparse SPD matrix given by its lower triangle.

    For callers that need more than solves: the factor ``LD()``, the permutation ``P()``
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
    CholeskyFactor
        The factor behind the adapter (scikit-sparse 0.4 or 0.5).

    Raises
    ------
    BackendUnavailableError
        scikit-sparse is missing.
    SingularSystemError
        The matrix is not positive definite.
    """
    cholmod = _import_cholmod()
    api = cholmod_api(cholmod)
    if api is None:
        raise BackendUnavailableError(CHOLMOD_INSTALL_HINT)
    mode = choose_mode(lower) if mode == "auto" else mode
    try:
        return CholeskyFactor(_backend_factor(cholmod, api, lower, ordering, mode), api)
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
        warnings.warn(f"{CHOLMOD_INSTALL_HINT}; using SciPy's SuperLU (slower)", RuntimeWarning, stacklevel=3)
    return _superlu_factor(lower), "superlu"
