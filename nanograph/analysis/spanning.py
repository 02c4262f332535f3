"""Spanning trees of a network: Kirchhoff's matrix-tree count and Wilson's sampler, the meaning of Foster's theorem.

Conventions: edges carry conductances ``g >= 0``; parallel edges are distinct edges (a multigraph);
self-loops and zero-conductance edges never belong to a tree. A network with ``c`` components of
positive-conductance edges has spanning *forests* of ``|V| - c`` edges, one tree per component.

* **Matrix-tree theorem** (Kirchhoff 1847): ``sum over spanning forests F of prod_{e in F} g_e`` equals the
  determinant of the Laplacian grounded at one node per component; its logarithm is the sum of the
  logarithms of ``D`` in the ``L D L^T`` factorisation (one CHOLMOD factorisation).
* **Foster's theorem, probabilistically.** Draw a forest ``F`` with probability proportional to
  ``prod_{e in F} g_e``. Then ``P(e in F) = g_e R_e`` (Kirchhoff), with ``R_e`` the effective resistance
  between the ends of ``e``; summing over the edges, ``sum_e g_e R_e = E|F| = |V| - c`` — Foster's theorem is
  the expected (here: certain) number of tree edges.
* **Wilson's algorithm** (1996) draws such a forest exactly: from every node not yet in the forest, a random
  walk (each step along an edge chosen with probability proportional to ``g``) runs until it hits the
  forest, and its loop erasure joins the forest. The roots (one per component, its lowest node) do not
  change the distribution.

References
----------
G. Kirchhoff, Ann. Phys. Chem. 72, 497 (1847). R. Foster, "The average impedance of an electrical network"
(1949). D. B. Wilson, "Generating random spanning trees more quickly than the cover time", STOC 1996, 296.
R. Lyons, Y. Peres, *Probability on Trees and Networks*, Cambridge (2016), ch. 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import as_rng
from nanograph.graphs.network import Network
from nanograph.linalg.factor import cholesky_factor
from nanograph.linalg.laplacian import reduced_laplacian
from nanograph.linalg.resistance import edge_resistances

__all__ = [
    "SpanningTreeCount",
    "spanning_tree_count",
    "sample_spanning_tree",
    "TreeEdgeFrequencies",
    "spanning_tree_edge_frequencies",
]


def _tree_edges(network: Network) -> np.ndarray:
    """Edges that can belong to a tree: positive conductance, not a self-loop."""
    e = network.edges
    return (network.edge_conductance > 0) & (e[:, 0] != e[:, 1])


def _components(network: Network, usable: np.ndarray) -> tuple[int, np.ndarray]:
    e, n = network.edges, network.n_nodes
    graph = sparse.coo_matrix((np.ones(int(usable.sum())), (e[usable, 0], e[usable, 1])), shape=(n, n))
    c, labels = csgraph.connected_components(graph, directed=False)
    return int(c), labels


@dataclass(frozen=True, eq=False)
class SpanningTreeCount:
    """Weighted number of spanning forests, ``sum_F prod_{e in F} g_e`` (Kirchhoff's matrix-tree theorem).

    Attributes
    ----------
    log_count : float
        Natural logarithm of the weighted count (``log`` of S^(|V| - c) for conductances in S); 0 for a
        network without edges (one empty forest).
    n_components : int
        Components ``c`` of the positive-conductance graph (an isolated node counts as one).
    n_tree_edges : int
        Edges of every spanning forest, ``|V| - c``.
    """

    log_count: float
    n_components: int
    n_tree_edges: int

    @property
    def count(self) -> float:
        """``exp(log_count)`` (``inf`` when it overflows a float)."""
        with np.errstate(over="ignore"):
            return float(np.exp(self.log_count))


def spanning_tree_count(network: Network) -> SpanningTreeCount:
    """Weighted count of spanning forests from one Cholesky factorisation (matrix-tree theorem).

    Parameters
    ----------
    network : Network
        Any network; conductances are the weights (all 1 counts the trees of the multigraph).

    Returns
    -------
    SpanningTreeCount

    Examples
    --------
    The complete graph on four nodes has 4^2 = 16 spanning trees (Cayley):

    >>> k4 = Network.from_edges(4, [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]], 1.0)
    >>> round(spanning_tree_count(k4).count, 9)
    16.0
    """
    usable = _tree_edges(network)
    c, labels = _components(network, usable)
    n = network.n_nodes
    ground = np.zeros(n, dtype=bool)
    ground[np.unique(labels, return_index=True)[1]] = True
    unknown = np.full(n, -1, dtype=np.int64)
    m = n - c
    unknown[~ground] = np.arange(m)
    log_count = 0.0
    if m:
        lower = reduced_laplacian(unknown, m, network.edges[usable], network.edge_conductance[usable])
        factor = cholesky_factor(lower, mode="simplicial")
        log_count = float(np.sum(np.log(factor.LD().diagonal())))
    return SpanningTreeCount(log_count=log_count, n_components=c, n_tree_edges=m)


class _Walker:
    """Adjacency of the usable edges sorted by tail, with global cumulative weights for vectorised steps."""

    def __init__(self, network: Network) -> None:
        usable = np.flatnonzero(_tree_edges(network))
        e = network.edges[usable]
        g = network.edge_conductance[usable]
        tail = np.concatenate([e[:, 0], e[:, 1]])
        order = np.argsort(tail, kind="stable")
        self.head = np.concatenate([e[:, 1], e[:, 0]])[order]
        self.edge = np.concatenate([usable, usable])[order]
        self.start = np.searchsorted(tail[order], np.arange(network.n_nodes + 1))
        self.cum = np.cumsum(np.concatenate([g, g])[order])
        padded = np.concatenate([[0.0], self.cum])
        self.base = padded[self.start[:-1]]
        self.total = padded[self.start[1:]] - self.base

    def step(self, u: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Index (into ``head``/``edge``) of the edge taken from nodes ``u`` for uniform numbers ``r``."""
        k = np.searchsorted(self.cum, self.base[u] + r * self.total[u], side="right")
        return np.clip(k, self.start[u], self.start[u + 1] - 1)


_WALK, _RETRACE, _SEEK, _DONE = 0, 1, 2, 3


def _wilson(walker: _Walker, roots: np.ndarray, n: int, n_edges: int, size: int, rng) -> np.ndarray:
    """``size`` independent runs of Wilson's algorithm in lockstep (one NumPy step for all of them)."""
    in_tree = np.zeros((size, n), dtype=bool)
    in_tree[:, roots] = True
    next_node = np.zeros((size, n), dtype=np.int64)
    next_edge = np.zeros((size, n), dtype=np.int64)
    forest = np.zeros((size, n_edges), dtype=bool)
    state = np.full(size, _SEEK)
    start = np.full(size, -1, dtype=np.int64)
    pos = np.zeros(size, dtype=np.int64)
    rows = np.arange(size)
    while True:
        hit = in_tree[rows, pos]
        walk = np.flatnonzero((state == _WALK) & ~hit)
        k = walker.step(pos[walk], rng.random(len(walk)))
        next_node[walk, pos[walk]], next_edge[walk, pos[walk]] = walker.head[k], walker.edge[k]
        retrace = np.flatnonzero((state == _RETRACE) & ~hit)  # the loop-erased path joins the forest
        in_tree[retrace, pos[retrace]] = True
        forest[retrace, next_edge[retrace, pos[retrace]]] = True
        arrived = (state == _WALK) & hit
        finished = (state == _RETRACE) & hit
        pos[walk] = walker.head[k]
        pos[retrace] = next_node[retrace, pos[retrace]]
        pos[arrived] = start[arrived]
        state[arrived] = _RETRACE
        seek = np.flatnonzero((state == _SEEK) | finished)
        start[seek] += 1
        over = start[seek] >= n
        state[seek[over]] = _DONE
        seek = seek[~over]
        state[seek], pos[seek] = _WALK, start[seek]
        if np.all(state == _DONE):
            return forest


def sample_spanning_tree(network: Network, rng=None, *, size: int | None = None) -> np.ndarray:
    """Spanning forests drawn with probability proportional to ``prod_{e in F} g_e`` (Wilson's algorithm).

    Parameters
    ----------
    network : Network
        Any network (parallel edges are distinct edges; self-loops and zero conductances never in a tree).
    rng : None, int or numpy.random.Generator
        Source of the random walks.
    size : int, optional
        Number of forests; default one.

    Returns
    -------
    ndarray of bool, shape (E,) or (size, E)
        Whether each edge belongs to the forest; every forest has ``|V| - c`` edges.

    Raises
    ------
    InvalidInputError
        If ``size`` is not a positive integer.

    Examples
    --------
    >>> path = Network.from_edges(3, [[0, 1], [1, 2]], 1.0)
    >>> sample_spanning_tree(path, rng=0).tolist()
    [True, True]
    """
    if size is not None and (isinstance(size, bool) or int(size) != size or size < 1):
        raise InvalidInputError(f"size must be a positive integer, got {size!r}")
    rng = as_rng(rng)
    walker = _Walker(network)
    _, labels = _components(network, _tree_edges(network))
    roots = np.unique(labels, return_index=True)[1]
    count = 1 if size is None else int(size)
    batch = max(1, min(count, 4_000_000 // max(network.n_nodes, 1)))  # ~100 MB of walk state per batch
    out = np.concatenate(
        [
            _wilson(walker, roots, network.n_nodes, network.n_edges, min(batch, count - b), rng)
            for b in range(0, count, batch)
        ]
    )
    return out[0] if size is None else out


@dataclass(frozen=True, eq=False)
class TreeEdgeFrequencies:
    """Monte Carlo frequencies of the edges in weighted uniform spanning forests, against ``g_e R_e``.

    Attributes
    ----------
    frequency : ndarray, shape (E,)
        Fraction of the sampled forests holding each edge.
    exact : ndarray, shape (E,)
        ``g_e R_e`` (Kirchhoff: the exact probability); 0 for self-loops and zero conductances.
    z : ndarray, shape (E,)
        ``(frequency - exact) / sqrt(exact (1 - exact) / n_trees)``; 0 where ``exact`` is 0 or 1.
    tree_edges_mean : float
        Mean number of edges of a sampled forest (Foster's sum ``sum_e g_e R_e = |V| - c``).
    tree_edges_err : float
        Standard error of that mean (0: every forest has ``|V| - c`` edges).
    expected_tree_edges : int
        ``|V| - c``.
    n_trees : int
        Forests sampled.
    """

    frequency: np.ndarray
    exact: np.ndarray
    z: np.ndarray
    tree_edges_mean: float
    tree_edges_err: float
    expected_tree_edges: int
    n_trees: int

    @property
    def max_abs_z(self) -> float:
        """The largest ``|z|`` over the edges."""
        return float(np.max(np.abs(self.z), initial=0.0))


def spanning_tree_edge_frequencies(network: Network, n_trees: int, rng=None) -> TreeEdgeFrequencies:
    """Sample ``n_trees`` forests with Wilson's algorithm and compare each edge's frequency with ``g_e R_e``.

    Parameters
    ----------
    network : Network
        Any network (small: each forest costs a few random walks in Python).
    n_trees : int
        Number of forests (> 0).
    rng : None, int or numpy.random.Generator
        Source of the random walks.

    Returns
    -------
    TreeEdgeFrequencies

    Raises
    ------
    InvalidInputError
        If ``n_trees`` is not a positive integer.
    """
    if isinstance(n_trees, bool) or int(n_trees) != n_trees or n_trees < 1:
        raise InvalidInputError(f"n_trees must be a positive integer, got {n_trees!r}")
    n_trees = int(n_trees)
    forests = sample_spanning_tree(network, rng, size=n_trees)
    frequency = forests.mean(axis=0)
    usable = _tree_edges(network)
    exact = np.zeros(network.n_edges)
    exact[usable] = network.edge_conductance[usable] * edge_resistances(network)[usable]
    exact = np.clip(exact, 0.0, 1.0)
    var = exact * (1 - exact) / n_trees
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 1e-14, (frequency - exact) / np.sqrt(var), 0.0)
    sizes = forests.sum(axis=1)
    err = float(sizes.std(ddof=1) / np.sqrt(n_trees)) if n_trees > 1 else 0.0
    c, _ = _components(network, usable)
    return TreeEdgeFrequencies(frequency, exact, z, float(sizes.mean()), err, network.n_nodes - c, n_trees)
