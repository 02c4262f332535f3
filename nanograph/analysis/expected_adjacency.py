"""The sorted expected adjacency matrix ``E A*`` and its conductance ``σ* = σ(E A*)`` (Jagota & Scheinfeld 2020).

Setting (Sec. II.A): ``N`` sticks of length ``l`` with uniform centres in the unit square, periodic in y,
bus-bar electrodes at ``x = 0`` and ``x = 1``, junction resistance ``Rj`` between sticks and ``Re`` between a
stick and an electrode, wire resistance ignored; ``σ`` is the current at 1 V; ``CN = N l^2``.

Ranking the sticks by the x of their centre (Eq. 5) and replacing the i-th centre by its mean
``i/(N + 1)`` (Eq. 18), entry ``(i, j)`` of ``E A*`` depends only on ``|i - j|`` (constant diagonals): it is
``p_k = P(x = k/(N + 1))`` of :func:`~nanograph.analysis.expected_intersection.intersection_probability`,
zero for ``k >= l (N + 1)``. The electrode rows are ``q_i = P((l/2) cos θ >= i/(N + 1))`` (Eq. 19, left) and
``q_{N+1-i}`` (its mirror, right). So ``E A*`` is built in ``O(N)`` from these two generating rows.

``σ*`` solves Kirchhoff's equations with ``E A*`` as a weighted adjacency (conductances ``p/Rj`` and
``q/Re``): ``L V = a`` with ``L`` the grounded Laplacian, symmetric Toeplitz in the wire block plus a diagonal
that differs from the bulk only within ``K = ceil(l (N+1)) - 1`` ranks of the electrodes. The default solver
(:func:`expected_conductance`, ``method="cg"``) is Jacobi-preconditioned conjugate gradients with the
Toeplitz product done by FFT: ``O(N log N)`` per iteration, about ``l^{-1} log(1/rtol)`` iterations (19 at
``CN = 50``, ``N = 5000``, ``l = 0.1``), stopped by a proven bound on the error of ``σ*`` (``1e-12``
relative by default; ``L`` is an M-matrix and ``0 <= V <= 1``). ``method="band"`` keeps the direct solver:
by the mirror symmetry ``i -> N + 1 - i``, ``V -> 1 - V`` only the left half is solved, a symmetric
positive-definite band matrix of size ``N/2`` and half-band ``K``, factored by CHOLMOD's supernodal
Cholesky in band order: ``O(N K^2 / 2) = O(CN N^2 / 2)`` time, ``O(N K)`` memory. Measured at ``CN = 50``,
``N = 5000`` (``benchmarks/expected_adjacency.py``): CG 2-5 ms, band Cholesky 65-150 ms, LAPACK ``pbtrf``
on the same band 80-400 ms, all under load.
The band is exact: ``p_k = 0`` beyond it; entries below ``drop_below`` at its end are dropped, and the
relative change of the bulk conductance ``sum k^2 p_k`` this causes is reported as the truncation bound.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import fft as sp_fft
from scipy import sparse

from nanograph.analysis.expected_intersection import (
    check_length,
    electrode_probability,
    intersection_probability,
    max_cosine,
)
from nanograph.errors import InvalidInputError
from nanograph.geometry.odf import OrientationDistribution, parse_odf
from nanograph.linalg.factor import factorize
from nanograph.validation import count, positive

__all__ = ["ExpectedAdjacency", "ExpectedConductance", "expected_adjacency", "expected_conductance", "sigma_star"]

#: Default resistances of the paper (Sec. II.A): junction 1 ohm, stick-electrode 0.01 ohm.
RJ, RE = 1.0, 0.01
#: Largest N for which :meth:`ExpectedAdjacency.toarray` builds a dense matrix.
DENSE_MAX = 6000
#: Default relative bound on the error of σ* for the conjugate-gradient solve.
CG_RTOL = 1e-12
#: CG compares its recursive residual with the true one every this many iterations.
CG_CHECK_EVERY = 10


@dataclass(frozen=True, eq=False)
class ExpectedAdjacency:
    """``E A*`` in its two generating rows.

    Attributes
    ----------
    n_wires : int
        ``N``.
    length : float
        Stick length ``l`` (unit box).
    odf : str
        Spec of the orientation distribution.
    wire_row : ndarray, shape (K,)
        ``p_k = E A*_{i, i+k}`` for ``k = 1..K`` (Eq. 18); ``K`` is the half-band width kept.
    electrode_row : ndarray, shape (N,)
        ``q_i = E A*_{i, left}`` for ranks ``i = 1..N`` (Eq. 19); ``E A*_{i, right} = q_{N+1-i}``.
    truncation : float
        Relative change of ``sum_k k^2 p_k`` from the entries dropped at the end of the band (0 if none).
    timings : dict
        Seconds spent computing the rows.
    """

    n_wires: int
    length: float
    odf: str
    wire_row: np.ndarray
    electrode_row: np.ndarray
    truncation: float = 0.0
    timings: dict = field(default_factory=dict)

    @property
    def band_width(self) -> int:
        """Half-band width ``K`` kept: ``E A*_{ij} = 0`` for ``|i - j| > K``."""
        return len(self.wire_row)

    @property
    def mean_degree(self) -> np.ndarray:
        """Expected number of sticks met by each ranked stick (row sums of the wire block), shape (N,)."""
        prefix = np.concatenate([[0.0], np.cumsum(self.wire_row)])
        rank = np.arange(1, self.n_wires + 1)
        k = self.band_width
        return prefix[np.minimum(k, rank - 1)] + prefix[np.minimum(k, self.n_wires - rank)]

    def tosparse(self) -> sparse.csr_matrix:
        """``E A*`` as a sparse ``(N+2) x (N+2)`` matrix: ranked sticks, then left and right electrodes."""
        n, k = self.n_wires, self.band_width
        offsets = np.arange(1, min(k, n - 1) + 1)
        block = sparse.diags([np.full(n - d, self.wire_row[d - 1]) for d in offsets], offsets, shape=(n, n))
        wires = sparse.block_diag([block, sparse.csr_matrix((2, 2))], format="csr")
        rank = np.arange(n)
        q = self.electrode_row
        ends = sparse.csr_matrix(
            (np.concatenate([q, q[::-1]]), (np.concatenate([rank, rank]), np.repeat([n, n + 1], n))),
            shape=(n + 2, n + 2),
        )
        upper = wires + ends
        return (upper + upper.T).tocsr()

    def toarray(self) -> np.ndarray:
        """``E A*`` as a dense array (only for ``N <= DENSE_MAX``; use :meth:`tosparse` otherwise)."""
        if self.n_wires > DENSE_MAX:
            raise InvalidInputError(f"toarray: N = {self.n_wires} > {DENSE_MAX}; use tosparse()")
        return self.tosparse().toarray()


@dataclass(frozen=True)
class ExpectedConductance:
    """``σ* = σ(E A*)`` and how it was computed.

    Attributes
    ----------
    sigma_star : float
        Current at 1 V between the electrodes (S); Jagota's normalised conductivity is ``sigma_star * rj``.
    n_wires, length, density, odf, rj, re
        The parameters (``density = CN = N l^2``).
    band_width : int
        Half-band width ``K`` of ``E A*`` kept.
    truncation : float
        Relative truncation bound of the band (see :class:`ExpectedAdjacency`).
    n_unknowns : int
        Size of the system solved: ``N`` for ``"cg"``, ``floor(N/2)`` for the folded ``"band"``.
    potentials : ndarray, shape (N,)
        Potentials of the ranked sticks (V).
    timings : dict
        Seconds: ``rows`` (``E A*``), ``assemble``, ``solve``, ``total``.
    method : str
        ``"cg"`` or ``"band"`` (see :func:`expected_conductance`).
    iterations : int or None
        Conjugate-gradient iterations (None for the direct ``"band"``).
    error_bound : float or None
        Proven bound on ``|sigma_star - σ(E A*)|`` (S) from the final CG residual (None for the direct
        ``"band"``, exact to rounding).
    """

    sigma_star: float
    n_wires: int
    length: float
    density: float
    odf: str
    rj: float
    re: float
    band_width: int
    truncation: float
    n_unknowns: int
    potentials: np.ndarray
    timings: dict
    method: str = "cg"
    iterations: int | None = None
    error_bound: float | None = None

    def to_dict(self) -> dict:
        """JSON-ready summary (without the potentials)."""
        return {k: v for k, v in self.__dict__.items() if k != "potentials"}


def _check_wires(n_wires) -> int:
    if count("n_wires", n_wires) < 2:
        raise InvalidInputError(f"n_wires must be an integer >= 2, got {n_wires!r}")
    return int(n_wires)


def expected_adjacency(
    n_wires: int,
    length: float,
    odf: str | OrientationDistribution = "isotropic",
    *,
    drop_below: float = 1e-13,
) -> ExpectedAdjacency:
    """Build ``E A*`` (Eqs. 15–19) from its two generating rows, in ``O(N)``.

    Parameters
    ----------
    n_wires : int
        Number of sticks ``N``.
    length : float
        Stick length ``l`` in units of the box width, ``0 < l <= 1/2``.
    odf : str or OrientationDistribution
        Orientation distribution (spec such as ``"theta2:alpha=60deg"``).
    drop_below : float
        Entries ``p_k < drop_below`` at the end of the band are dropped (the integrals are accurate to
        about 1e-9 absolute); 0 keeps every non-zero entry.

    Returns
    -------
    ExpectedAdjacency

    Examples
    --------
    Away from the electrodes a row sums to ``(N + 1) l^2 <|sin|> - P(0)`` (the trapezoid rule of
    ``2 CN / pi`` for isotropic sticks, less the missing self term ``P(0) = 8 l / pi^2``):

    >>> ea = expected_adjacency(500, 0.2)
    >>> ea.band_width, round(float(ea.mean_degree[250]), 4), round(501 * 0.04 * 2 / math.pi - 1.6 / math.pi**2, 4)
    (100, 12.5957, 12.5957)
    """
    n = _check_wires(n_wires)
    length = check_length(length)
    odf = parse_odf(odf)
    t0 = time.perf_counter()
    reach = length * max_cosine(odf)
    k_max = max(0, min(n - 1, math.ceil(reach * (n + 1)) - 1))
    p = intersection_probability(np.arange(1, k_max + 1) / (n + 1), length, odf)
    keep = np.flatnonzero(p >= drop_below)
    kept = p[: keep[-1] + 1] if len(keep) else p[:0]
    k2 = np.arange(1, k_max + 1) ** 2 * p
    truncation = float(k2[len(kept) :].sum() / k2.sum()) if k2.sum() > 0 else 0.0
    t1 = time.perf_counter()
    q = np.zeros(n)
    touching = min(n, math.floor(reach / 2 * (n + 1)) + 1)
    q[:touching] = electrode_probability(np.arange(1, touching + 1) / (n + 1), length, odf)
    t2 = time.perf_counter()
    return ExpectedAdjacency(
        n_wires=n,
        length=float(length),
        odf=odf.spec(),
        wire_row=kept,
        electrode_row=q,
        truncation=truncation,
        timings={"wire_row": t1 - t0, "electrode_row": t2 - t1},
    )


def _folded_band(ea: ExpectedAdjacency, rj: float, re: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower band storage and right-hand side of the half system ``u_i = V_i - 1/2``, ranks ``1..floor(N/2)``.

    With ``V_{N+1-i} = 1 - V_i`` the equations of ranks ``i <= N/2`` read ``M u = (a - b)/2`` with
    ``M_ij = L_ij + g_{N+1-i-j}`` (``L`` the Laplacian of the wire block plus the electrode conductances on
    its diagonal, ``g_k = p_k / rj``); ``M`` is the Hessian of the Joule power restricted to antisymmetric
    potentials, hence symmetric positive definite, with the same half-band ``K``.
    """
    n, m = ea.n_wires, ea.n_wires // 2
    k = min(ea.band_width, max(m - 1, 0))
    g = np.zeros(n + 2)
    g[1 : ea.band_width + 1] = ea.wire_row / rj
    prefix = np.cumsum(g[: ea.band_width + 1])
    rank = np.arange(1, m + 1)
    a = ea.electrode_row[:m] / re
    b = ea.electrode_row[::-1][:m] / re
    kb = ea.band_width
    degree = prefix[np.minimum(kb, rank - 1)] + prefix[np.minimum(kb, n - rank)] + a + b

    def fold(index: np.ndarray) -> np.ndarray:
        return np.where((index >= 1) & (index <= kb), g[np.clip(index, 0, n + 1)], 0.0)

    band = np.zeros((k + 1, m))
    band[0] = degree + fold(n + 1 - 2 * rank)
    for d in range(1, k + 1):
        j = rank[: m - d]
        band[d, : m - d] = -g[d] + fold(n + 1 - 2 * j - d)
    return band, 0.5 * (a - b)


def expected_conductance(
    ea: ExpectedAdjacency,
    *,
    rj: float = RJ,
    re: float = RE,
    method: str = "cg",
    rtol: float = CG_RTOL,
) -> ExpectedConductance:
    """``σ* = σ(E A*)``: the current at 1 V through ``E A*`` read as a resistor network (Eq. 6).

    Kirchhoff's equations are ``L V = a`` with ``L = diag(d + a + b) - G`` the grounded Laplacian: ``G`` the
    wire block of ``E A*`` over ``rj`` (symmetric Toeplitz, half-band ``K``), ``d`` its row sums, ``a`` and
    ``b`` the left and right electrode conductances; ``σ* = a · (1 - V)``.

    Parameters
    ----------
    ea : ExpectedAdjacency
        From :func:`expected_adjacency`.
    rj, re : float
        Junction and stick-electrode resistances (ohm); default the paper's 1 and 0.01.
    method : {"cg", "band"}
        ``"cg"`` (default): Jacobi-preconditioned conjugate gradients on all ``N`` potentials with the
        Toeplitz product ``G x`` done by FFT, ``O(N log N)`` per iteration. ``L`` is a non-singular M-matrix
        (``L^{-1} >= 0``) with ``0 <= V* <= 1`` and ``V*_i + V*_{N+1-i} = 1``, so for the residual
        ``r = a - L V`` of any iterate ``|a · (1 - V) - σ*| = |V* · r| <= sum_i max(|r_i|, |r_{N+1-i}|)``
        (pairs ``i <= N/2``): iterations stop once this bound, reported as ``error_bound``, is below
        ``rtol σ*``, or at the rounding floor. The iterations use FFT products in float64; every ``CG_CHECK_EVERY``
        iterations the true residual is formed in extended precision (``longdouble`` FFT: float64 rounding
        of ``a - L V`` near the electrodes, where terms of size ``1/re`` cancel, would exceed the bound itself),
        and CG restarts from it
        when the recursive residual has drifted (iterative refinement), stopping when a restart no longer
        halves the bound (then the bound reached is reported). The preconditioned condition number grows like ``(N/K)^2 = l^{-2}``, so about
        ``l^{-1} log(1/rtol)`` iterations: ``O(l^{-1} N log N)`` in all (19 iterations at ``CN = 50, l = 0.1``).
        ``"band"``: the folded half system (``V_{N+1-i} = 1 - V_i``, ``floor(N/2)`` unknowns, half-band ``K``)
        by CHOLMOD's band Cholesky, ``O(N K^2 / 2) = O(CN N^2 / 2)``; exact to rounding (``iterations`` and
        ``error_bound`` None).
    rtol : float
        Relative bound on the error of ``σ*`` for ``"cg"`` (default ``1e-12``).

    Returns
    -------
    ExpectedConductance
    """
    rj, re = positive("rj", rj, unit="ohm"), positive("re", re, unit="ohm")
    if method not in ("cg", "band"):
        raise InvalidInputError(f"method must be 'cg' or 'band', got {method!r}")
    if not (isinstance(rtol, (int, float)) and 0 < rtol < 1):
        raise InvalidInputError(f"rtol must be in (0, 1), got {rtol!r}")
    n, m = ea.n_wires, ea.n_wires // 2
    t0 = time.perf_counter()
    if method == "band":
        band, rhs = _folded_band(ea, rj, re)
        if band[0].min() <= 0:
            raise _unconnected_error(ea)
    else:
        diagonal = ea.mean_degree / rj + (ea.electrode_row + ea.electrode_row[::-1]) / re
        if diagonal.min() <= 0:
            raise _unconnected_error(ea)
    t1 = time.perf_counter()
    iterations, bound = None, None
    if method == "band":
        u = np.zeros(0)
        if m:
            k = band.shape[0] - 1
            lower = sparse.diags([band[d, : m - d] for d in range(k + 1)], [-d for d in range(k + 1)], format="csc")
            solve, _ = factorize(lower, ordering="natural", mode="supernodal")
            u = solve(rhs)
        v = np.full(n, 0.5)
        v[:m] += u
        v[n - m :] -= u[::-1]
    else:
        v, iterations, bound = _conjugate_gradients(ea, rj, re, rtol)
    t2 = time.perf_counter()
    sigma = float(np.dot(ea.electrode_row / re, 1.0 - v))
    rows = sum(ea.timings.values())
    return ExpectedConductance(
        sigma_star=sigma,
        n_wires=n,
        length=ea.length,
        density=n * ea.length**2,
        odf=ea.odf,
        rj=rj,
        re=re,
        band_width=ea.band_width,
        truncation=ea.truncation,
        n_unknowns=m if method == "band" else n,
        potentials=v,
        timings={"rows": rows, "assemble": t1 - t0, "solve": t2 - t1, "total": rows + t2 - t0},
        method=method,
        iterations=iterations,
        error_bound=bound,
    )


def _unconnected_error(ea: ExpectedAdjacency) -> InvalidInputError:
    if not ea.wire_row.any() and parse_odf(ea.odf).mean_abs_sin_difference <= 1e-12:
        return InvalidInputError(
            f"E A* has no stick-stick contacts: odf = {ea.odf!r} makes every stick parallel, which no number "
            "or length of sticks can change; use an orientation distribution with a spread of angles",
            "odf",
        )
    return InvalidInputError(
        "E A* leaves a stick unconnected: use more sticks or longer ones (n_wires or density, length)"
    )


def _conjugate_gradients(ea: ExpectedAdjacency, rj: float, re: float, rtol: float) -> tuple[np.ndarray, int, float]:
    """Potentials ``V`` of ``L V = a`` by Jacobi-preconditioned CG (see :func:`expected_conductance`).

    The conductances ``g = p / rj``, ``a = q / re`` are rounded to float64 once; ``L`` is their exact Laplacian
    (diagonal = row sums, accumulated in extended precision: a diagonal off by ``eps`` per row would move
    ``σ*`` by about ``N eps`` relative). Returns ``V``, the iterations and the bound on ``|a · (1 - V) - σ*|`` (S).
    """
    n, k = ea.n_wires, ea.band_width
    extended = np.longdouble  # 64-bit mantissa on x86-64
    g, a = ea.wire_row / rj, ea.electrode_row / re
    prefix = np.concatenate([[0.0], np.cumsum(g.astype(extended))])
    rank = np.arange(1, n + 1)
    diagonal_ext = prefix[np.minimum(k, rank - 1)] + prefix[np.minimum(k, n - rank)] + a + a[::-1]
    diagonal = diagonal_ext.astype(float)
    size = sp_fft.next_fast_len(n + k, real=True)  # zero padding >= K: the circular product is the linear one
    kernel = np.zeros(size)
    kernel[1 : k + 1] = g
    kernel[size - k :] = g[::-1]
    spectrum = sp_fft.rfft(kernel)

    def laplacian(x: np.ndarray) -> np.ndarray:  # fast product for the iterations, error ~ eps ||G|| ||x||
        return diagonal * x - sp_fft.irfft(sp_fft.rfft(x, size) * spectrum, size)[:n]

    a_ext, spectrum_ext = a.astype(extended), sp_fft.rfft(kernel.astype(extended))

    def residual(x: np.ndarray) -> np.ndarray:  # a - L x in extended precision, rounded to float64 at the end
        x = x.astype(extended)
        product = diagonal_ext * x - sp_fft.irfft(sp_fft.rfft(x, size) * spectrum_ext, size)[:n]
        return (a_ext - product).astype(float)

    def error_bound(r: np.ndarray) -> float:
        pair = np.abs(r[: (n + 1) // 2])
        return float(np.maximum(pair, np.abs(r[::-1][: (n + 1) // 2])).sum())

    if not a.any():  # no stick touches the left electrode: no current, V = 0
        return np.zeros(n), 0, 0.0
    v = 1.0 - np.arange(1, n + 1) / (n + 1)  # the straight profile of a uniform conductor
    r = residual(v)
    restart_bound = error_bound(r)
    z = r / diagonal
    p, rz = z.copy(), float(r @ z)
    iterations, limit = 0, 20 * n + 100
    while iterations < limit and rz > 0 and restart_bound > rtol * np.dot(a, 1.0 - v):
        lp = laplacian(p)
        step = rz / float(p @ lp)
        v += step * p
        r -= step * lp
        z = r / diagonal
        rz, rz_old = float(r @ z), rz
        p = z + (rz / rz_old) * p
        iterations += 1
        bound = error_bound(r)
        if bound <= rtol * np.dot(a, 1.0 - v) or iterations % CG_CHECK_EVERY == 0:
            true = residual(v)
            true_bound = error_bound(true)
            if true_bound <= rtol * np.dot(a, 1.0 - v):
                break
            if true_bound > 4 * bound:  # the recursive residual has left the true one: restart from the true one
                if true_bound > 0.5 * restart_bound:
                    break  # no progress since the last restart: the rounding floor
                restart_bound, r = true_bound, true
                z = r / diagonal
                p, rz = z.copy(), float(r @ z)
    return v, iterations, error_bound(residual(v))


def sigma_star(
    density: float,
    length: float = 0.1,
    odf: str | OrientationDistribution = "isotropic",
    *,
    rj: float = RJ,
    re: float = RE,
) -> ExpectedConductance:
    """``σ*`` at ``CN = N l^2 = density`` (``N = round(density / l^2)``): :func:`expected_adjacency` then
    :func:`expected_conductance`.

    Parameters
    ----------
    density : float
        ``CN = N l^2 > 0``, the number of sticks times the squared stick length (unit box).
    length : float
        Stick length ``l`` in units of the box width, ``0 < l <= 1/2``.
    odf : str or OrientationDistribution
        Orientation distribution of the sticks (spec string or object).
    rj, re : float
        Stick-stick junction and stick-electrode resistances (ohm).

    Returns
    -------
    ExpectedConductance
        ``σ*`` (S, current at 1 V) with the parameters and the solver's report (conjugate gradients).

    Examples
    --------
    >>> result = sigma_star(50, 0.1)
    >>> result.n_wires, result.band_width, result.sigma_star > 0
    (5000, 500, True)
    """
    density = positive("density", density, unit="CN = N l^2")
    n = int(round(density / check_length(length) ** 2))
    return expected_conductance(expected_adjacency(n, length, odf), rj=rj, re=re)
