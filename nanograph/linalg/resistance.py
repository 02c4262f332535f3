"""Effective resistances between node pairs and across every edge, exact or estimated.

Conventions: edges carry conductances ``g >= 0`` (S); parallel edges add; self-loops and zero-conductance
edges are legal and carry no current. The **effective resistance** ``R(u, v)`` (ohm) is the voltage
between ``u`` and ``v`` when a unit current enters at ``u`` and leaves at ``v``; it is ``inf`` when no path
of positive conductances joins them, and 0 for ``u = v``.

Exact method: the Laplacian of every connected component of the positive-conductance graph is grounded
at its lowest node (that row and column removed). The grounded Laplacian is block diagonal and symmetric
positive definite; it is factored **once** by CHOLMOD (``P A P' = L D L'``, simplicial, METIS ordering:
as fast as AMD on an open junction-node network — 4.3 s against 4.1 s at ``L = 32`` — and 3.5× faster
once zero-conductance closure edges are in the pattern, where AMD triples the fill).
With ``Z = A⁻¹``, ``R(u, v) = Z[u, u] + Z[v, v] − 2 Z[u, v]`` (``Z`` is zero on the ground rows). Two ways to
get the entries of ``Z``:

* ``"selinv"`` — selected inversion (Takahashi recurrences, :mod:`nanograph._selinv`): every entry of
  ``Z`` on the pattern of the factor, at about the cost of the factorisation. The pattern holds every
  edge of the network, zero-conductance edges included (they are stored as explicit zeros so that the
  symbolic factorisation keeps them). Pairs off the pattern fall back to solves.
* ``"solves"`` — one solve with right-hand side ``e_u − e_v`` per pair, in batches.

Measured (``benchmarks/foster.py``, shared 2-core machine): on the closed junction-node network at
``n l² = 30`` every edge takes about 7 s at ``L = 32`` (0.58 M nodes, 0.87 M edges) and 38 s at ``L = 64``
(2.3 M nodes); one solve per edge was 37× slower already at 12 k edges, and the gap grows with size.
``"auto"`` uses selected inversion whenever CHOLMOD is present.

Estimated method (:func:`estimate_edge_resistances`): the Johnson–Lindenstrauss sketch of Spielman &
Srivastava (2011), ``k`` solves instead of a selected inversion, for networks beyond the exact method.

References
----------
K. Takahashi, J. Fagan, M.-S. Chen, "Formation of a sparse bus impedance matrix and its application to
short circuit study", PICA (1973). D. A. Spielman, N. Srivastava, "Graph sparsification by effective
resistances", SIAM J. Comput. 40, 1913 (2011).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import as_rng
from nanograph.graphs.components import conducting_edges, connected_components, lowest_nodes
from nanograph.graphs.network import Network
from nanograph.linalg.factor import cholesky_factor, cholmod_available, factorize
from nanograph.linalg.laplacian import reduced_laplacian
from nanograph.validation import count

__all__ = [
    "METHODS",
    "conducting_components",
    "effective_resistance",
    "edge_resistances",
    "estimate_edge_resistances",
    "ResistanceEstimate",
]

METHODS = ("auto", "selinv", "solves")

#: Dense right-hand sides of one batch of solves hold at most this many numbers (~160 MB).
_BATCH_ENTRIES = 20_000_000


def conducting_components(network: Network) -> tuple[int, np.ndarray]:
    """Connected components of the graph of positive-conductance edges (self-loops ignored).

    Every node counts, electrodes included; a node with no positive-conductance edge is a component of
    its own.

    Returns
    -------
    n_components : int
    labels : ndarray of int, shape (V,)
        Component of each node.

    Examples
    --------
    >>> from nanograph.geometry.sticks import Sticks
    >>> from nanograph.graphs.builders import wire_node_network
    >>> net = wire_node_network(Sticks([[-0.5, 0.5, 1.5, 0.5], [0.2, 0.1, 0.4, 0.1]], box=1))
    >>> conducting_components(net)[0]      # the crossing stick with both bars, and the lone stick
    2
    """
    e = network.edges
    return connected_components(network.n_nodes, e, conducting_edges(e, network.edge_conductance))


class _GroundedInverse:
    """The grounded Laplacian of every component, factored once; entries of its inverse on demand."""

    def __init__(self, network: Network, method: str, *, ordering: str = "metis", zero_edges: bool = True) -> None:
        if method not in METHODS:
            raise InvalidInputError(f"method must be one of {METHODS}, got {method!r}")
        if method == "auto":
            method = "selinv" if cholmod_available() else "solves"
        self.method = method
        n = network.n_nodes
        self.n_components, self.labels = conducting_components(network)
        ground = np.zeros(n, dtype=bool)
        ground[lowest_nodes(self.labels)] = True
        self.unknown = np.full(n, -1, dtype=np.int64)
        self.n_unknowns = n - self.n_components
        self.unknown[~ground] = np.arange(self.n_unknowns)
        # Every edge inside a component enters the pattern, zero conductances as explicit zeros (unless the
        # caller needs no resistance across them: closure edges triple the fill of an AMD ordering).
        e = network.edges
        inside = self.labels[e[:, 0]] == self.labels[e[:, 1]]
        if not zero_edges:
            inside &= network.edge_conductance > 0
        self.lower = reduced_laplacian(self.unknown, self.n_unknowns, e[inside], network.edge_conductance[inside])
        self._solve = None
        self._factor = None
        if self.n_unknowns and method == "selinv":
            self._factor = cholesky_factor(self.lower, ordering=ordering, mode="simplicial")
            self._solve = self._factor.solve_A
            self._selected_inverse()
        elif self.n_unknowns:
            self._solve = factorize(self.lower, ordering=ordering, mode="simplicial")[0]

    def _selected_inverse(self) -> None:
        from nanograph._selinv import takahashi

        ld = self._factor.LD()
        ld.sort_indices()
        m = self.n_unknowns
        self._position = np.empty(m, dtype=np.int64)
        self._position[self._factor.P()] = np.arange(m)
        indptr, rows = ld.indptr.astype(np.int64), ld.indices.astype(np.int64)
        self._z = takahashi(indptr, rows, np.ascontiguousarray(ld.data, dtype=float))
        self._keys = np.repeat(np.arange(m, dtype=np.int64), np.diff(indptr)) * m + rows  # column-major, sorted
        self._diagonal = self._z[indptr[:-1]]

    def _pattern_lookup(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``Z[a, b]`` for unknown indices ``a != b``, and whether each lies on the factor's pattern."""
        pa, pb = self._position[a], self._position[b]
        keys = np.minimum(pa, pb) * self.n_unknowns + np.maximum(pa, pb)
        where = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        found = self._keys[where] == keys
        return np.where(found, self._z[where], 0.0), found

    def _by_solves(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``R`` for unknown indices ``a``, ``b`` (-1 = ground) by solves with ``e_a − e_b``, in batches."""
        m = self.n_unknowns
        out = np.empty(len(a))
        batch = max(1, min(256, _BATCH_ENTRIES // max(m, 1)))
        for start in range(0, len(a), batch):
            aa, bb = a[start : start + batch], b[start : start + batch]
            cols = np.arange(len(aa))
            rhs = np.zeros((m, len(aa)))
            rhs[aa[aa >= 0], cols[aa >= 0]] += 1.0
            rhs[bb[bb >= 0], cols[bb >= 0]] -= 1.0
            x = self._solve(rhs)
            xa = np.where(aa >= 0, x[np.maximum(aa, 0), cols], 0.0)
            xb = np.where(bb >= 0, x[np.maximum(bb, 0), cols], 0.0)
            out[start : start + batch] = xa - xb
        return out

    def resistance(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Effective resistance between nodes ``u[i]`` and ``v[i]`` (ohm)."""
        r = np.full(len(u), np.inf)
        same = self.labels[u] == self.labels[v]
        r[u == v] = 0.0
        todo = np.flatnonzero(same & (u != v))
        if not len(todo):  # also when every component is a single node (nothing was factored)
            return r
        a, b = self.unknown[u[todo]], self.unknown[v[todo]]
        if self.method == "selinv":
            za = np.where(a >= 0, self._diagonal[self._position[np.maximum(a, 0)]], 0.0)
            zb = np.where(b >= 0, self._diagonal[self._position[np.maximum(b, 0)]], 0.0)
            both = (a >= 0) & (b >= 0)
            zab = np.zeros(len(todo))
            zab[both], found = self._pattern_lookup(a[both], b[both])
            r[todo] = za + zb - 2.0 * zab
            missing = np.flatnonzero(both)[~found]
            if len(missing):
                r[todo[missing]] = self._by_solves(a[missing], b[missing])
        else:
            r[todo] = self._by_solves(a, b)
        return r


def _pairs(network: Network, pairs) -> np.ndarray:
    pairs = np.asarray(pairs)
    if pairs.ndim == 1 and pairs.shape == (2,):
        pairs = pairs[None, :]
    if pairs.ndim != 2 or pairs.shape[1] != 2 or not np.issubdtype(pairs.dtype, np.integer):
        raise InvalidInputError(f"pairs must be integer node pairs of shape (P, 2), got shape {pairs.shape}")
    if len(pairs) and (pairs.min() < 0 or pairs.max() >= network.n_nodes):
        raise InvalidInputError(f"pairs must hold node ids in 0..{network.n_nodes - 1}")
    return pairs.astype(np.int64)


def effective_resistance(network: Network, pairs, *, method: str = "auto") -> np.ndarray:
    """Exact effective resistance between node pairs, from one factorisation.

    Parameters
    ----------
    network : Network
        Any network (parallel, self-loop and zero-conductance edges allowed).
    pairs : array_like of int, shape (P, 2) or (2,)
        Node pairs ``(u, v)``.
    method : {"auto", "selinv", "solves"}
        How the entries of the inverse grounded Laplacian are found (see the module docstring). Pairs
        that are not edges of the network cost one solve each with either method.

    Returns
    -------
    ndarray, shape (P,)
        ``R(u, v)`` (ohm); ``inf`` between different components, 0 for ``u = v``.

    Examples
    --------
    One stick across a unit box (junction-node form): contact, wire and contact in series.

    >>> from nanograph.geometry.sticks import Sticks
    >>> from nanograph.graphs.builders import junction_node_network
    >>> net = junction_node_network(Sticks([[-0.5, 0.5, 1.5, 0.5]], box=1), rw=2.0, re=0.25)
    >>> effective_resistance(net, net.electrodes).round(12)          # 0.25 + 2 * 1 + 0.25
    array([2.5])
    """
    pairs = _pairs(network, pairs)
    if not len(pairs):
        return np.zeros(0)
    return _GroundedInverse(network, method).resistance(pairs[:, 0], pairs[:, 1])


def edge_resistances(network: Network, *, method: str = "auto") -> np.ndarray:
    """Exact effective resistance across every edge of the network, from one factorisation.

    ``g_e R(e) = g_e / (g_e + G'_e)`` is the fraction of a current injected at the ends of edge ``e``
    that flows through ``e`` itself (``G'_e``: the conductance between its ends with ``e`` removed).

    Parameters
    ----------
    network : Network
        Any network (parallel, self-loop and zero-conductance edges allowed).
    method : {"auto", "selinv", "solves"}
        Selected inversion (default with CHOLMOD) or one solve per edge.

    Returns
    -------
    ndarray, shape (E,)
        ``R(e)`` (ohm): 0 for self-loops, ``inf`` for a zero-conductance edge joining two components.

    Examples
    --------
    A stick across a unit box: every edge is a bridge, so ``R(e) = 1 / g_e``.

    >>> from nanograph.geometry.sticks import Sticks
    >>> from nanograph.graphs.builders import junction_node_network
    >>> net = junction_node_network(Sticks([[-0.5, 0.5, 1.5, 0.5]], box=1), rw=2.0, re=0.25)
    >>> edge_resistances(net).round(12), 1 / net.edge_conductance
    (array([2.  , 0.25, 0.25]), array([2.  , 0.25, 0.25]))
    """
    if not network.n_edges:
        return np.zeros(0)
    return _GroundedInverse(network, method).resistance(network.edges[:, 0], network.edges[:, 1])


@dataclass(frozen=True, eq=False)
class ResistanceEstimate:
    """Johnson–Lindenstrauss estimate of the effective resistance of every edge.

    Attributes
    ----------
    values : ndarray, shape (E,)
        Estimated ``R(e)`` (ohm); unbiased; exactly 0 for self-loops and ``inf`` across components.
    n_probes : int
        Number ``k`` of random projections (one solve each).
    relative_std : float
        ``sqrt(2 / k)``: bound on the relative standard deviation of every single value (the estimate is
        ``R · χ²_k / k`` for Gaussian probes; Rademacher probes have a smaller variance). Sums over many
        edges are far more accurate than single values.
    """

    values: np.ndarray
    n_probes: int
    relative_std: float


def estimate_edge_resistances(network: Network, n_probes: int = 100, *, rng=None) -> ResistanceEstimate:
    """Randomised estimate of every edge's effective resistance (Spielman & Srivastava 2011).

    ``R(u, v) = ‖W^½ B L⁺ (e_u − e_v)‖²``; projecting the ``E`` rows with a random ``k × E`` sign matrix
    ``Q / sqrt(k)`` keeps every such norm within ``1 ± ε`` with high probability for ``k ≈ 24 ln V / ε²``,
    and costs ``k`` solves with the grounded Laplacian (one factorisation) instead of a selected inversion.

    Parameters
    ----------
    network : Network
        Any network.
    n_probes : int
        Number of random projections ``k``; the relative standard deviation of each value is at most
        ``sqrt(2/k)`` (14 % at ``k = 100``).
    rng : None, int or numpy.random.Generator
        Source of the random signs.

    Returns
    -------
    ResistanceEstimate
    """
    if count("n_probes", n_probes) < 1:
        raise InvalidInputError(f"n_probes must be a positive integer, got {n_probes!r}")
    n_probes = int(n_probes)
    rng = as_rng(rng)
    grounded = _GroundedInverse(network, "solves")
    e, g = network.edges, network.edge_conductance
    u, v = e[:, 0], e[:, 1]
    values = np.full(network.n_edges, np.inf)
    same = grounded.labels[u] == grounded.labels[v]
    values[same] = 0.0
    active = np.flatnonzero(same & (u != v) & (g > 0))
    m = grounded.n_unknowns
    if m and len(active):
        a, b = grounded.unknown[u[active]], grounded.unknown[v[active]]
        weight = np.sqrt(g[active])
        cols = np.arange(len(active))
        # B' W^½ restricted to the unknowns (ground rows dropped): m x (active edges).
        incidence = sparse.csr_matrix(
            (np.concatenate([weight[a >= 0], -weight[b >= 0]]),
             (np.concatenate([a[a >= 0], b[b >= 0]]), np.concatenate([cols[a >= 0], cols[b >= 0]]))),
            shape=(m, len(active)),
        )  # fmt: skip
        todo = np.flatnonzero(same & (u != v))
        ta, tb = grounded.unknown[u[todo]], grounded.unknown[v[todo]]
        sums = np.zeros(len(todo))
        batch = max(1, min(32, _BATCH_ENTRIES // m))
        for start in range(0, n_probes, batch):
            k = min(batch, n_probes - start)
            signs = rng.integers(0, 2, size=(len(active), k)) * 2.0 - 1.0
            x = np.vstack([grounded._solve(incidence @ signs), np.zeros((1, k))])  # row -1: the ground
            sums += np.sum((x[ta] - x[tb]) ** 2, axis=1)
        values[todo] = sums / n_probes
    return ResistanceEstimate(values=values, n_probes=n_probes, relative_std=float(np.sqrt(2.0 / n_probes)))
