"""Graph topology of a stick network, from its arrays: degrees, clustering, loops, Kirchhoff index, λ₂, diameter.

The graph studied is the network's multigraph with self-loops dropped (they join no two nodes) and, by
default, the electrode nodes and their edges left out (a bus bar is a hub of hundreds of contacts, not a
wire or a junction). Parallel edges are kept where they count (degrees, loops, conductance weights) and
merged where the quantity is defined on a simple graph (clustering, unit weights, distances).

* **Degree** ``k_i``: edges at node ``i`` in the multigraph (networkx ``MultiGraph.degree``).
* **Clustering** (Watts & Strogatz 1998) on the simple graph with adjacency ``A``: triangles at ``i`` are
  ``t_i = (A² ∘ A) 1 / 2``; the local clustering is ``c_i = 2 t_i / (k_i (k_i − 1))`` (0 where the simple
  degree ``k_i < 2``), averaged over every node; the **transitivity** is ``Σ 2 t_i / Σ k_i (k_i − 1)``.
* **Cyclomatic number** (circuit rank, the number of independent loops): ``μ = E − V + c``.
* **Kirchhoff index** (Klein & Randić 1993): ``Kf = Σ_{u<v} R(u, v) = n tr(L⁺)`` for a connected graph of
  ``n`` nodes; here summed over the pairs inside each component (pairs in different components have
  ``R = ∞``). With the Laplacian grounded at one node, ``Z = L_g⁻¹`` (zero on the ground), the identity
  ``R(u, v) = Z_uu + Z_vv − 2 Z_uv`` gives ``Kf = n tr Z − 1ᵀ Z 1``: the diagonal of ``Z`` from the selected
  inverse (Takahashi recurrences, as in :mod:`nanograph.linalg.resistance`) and one solve with ``1``.
* **Algebraic connectivity** (Fiedler 1973): the second-smallest eigenvalue ``λ₂`` of the Laplacian of the
  largest component (shift-invert Lanczos, ``scipy.sparse.linalg.eigsh``).
* **Diameter** (hops, largest component): the double-sweep lower bound (Magnien, Latapy & Habib 2009):
  a breadth-first search from the node of highest degree finds a farthest node ``a``; the eccentricity
  of ``a`` is a lower bound and twice the smaller eccentricity an upper bound.

Weights of ``Kf`` and ``λ₂``: ``"unit"`` (every pair of neighbours joined by 1 S, the network-science
convention) or ``"conductance"`` (the edge conductances in S, parallel edges adding, zero-conductance edges
joining nothing; ``Kf`` is then in ohm and ``λ₂`` in S).

References
----------
D. J. Watts, S. H. Strogatz, Nature 393, 440 (1998). D. J. Klein, M. Randić, J. Math. Chem. 12, 81 (1993).
M. Fiedler, Czech. Math. J. 23, 298 (1973). C. Magnien, M. Latapy, M. Habib, ACM J. Exp. Algorithmics
13, 1.10 (2009).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError
from nanograph.graphs.network import Network, NodeKind

__all__ = [
    "WEIGHTS",
    "Topology",
    "algebraic_connectivity",
    "clustering",
    "cyclomatic_number",
    "degree_histogram",
    "diameter_bounds",
    "kirchhoff_index",
    "network_topology",
    "topology_graph",
]

WEIGHTS = ("unit", "conductance")

#: Components up to this size get a dense eigensolver for λ₂ (exact and robust); larger ones Lanczos.
_DENSE_MAX = 400


@dataclass(frozen=True)
class TopologyGraph:
    """The multigraph of a network that the topology functions read.

    Attributes
    ----------
    n_nodes : int
        Nodes ``V`` (electrodes removed unless kept).
    edges : ndarray of int64, shape (E, 2)
        Edges between distinct nodes, renumbered ``0 .. V-1``.
    conductance : ndarray of float, shape (E,)
        Edge conductances (S).
    nodes : ndarray of int64, shape (V,)
        The network's id of each node.
    """

    n_nodes: int
    edges: np.ndarray
    conductance: np.ndarray
    nodes: np.ndarray

    def adjacency(self, weights: str = "unit") -> sparse.csr_matrix:
        """Symmetric adjacency: 1 per pair of neighbours (``"unit"``) or summed conductances (``"conductance"``)."""
        if weights not in WEIGHTS:
            raise InvalidInputError(f"weights must be one of {WEIGHTS}, got {weights!r}")
        u, v = self.edges[:, 0], self.edges[:, 1]
        w = np.ones(len(u)) if weights == "unit" else self.conductance
        n = self.n_nodes
        a = sparse.coo_matrix((np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))), (n, n))
        a = a.tocsr()
        a.sum_duplicates()
        if weights == "unit":
            a.data[:] = 1.0
        a.eliminate_zeros()
        return a


def topology_graph(network: Network, *, electrodes: bool = False) -> TopologyGraph:
    """The graph of ``network`` that the topology is computed on (self-loops dropped, electrodes optional).

    Parameters
    ----------
    network : Network
        Either form.
    electrodes : bool
        Keep the electrode nodes and their contact edges (default ``False``).

    Returns
    -------
    TopologyGraph
    """
    keep = np.ones(network.n_nodes, dtype=bool)
    if not electrodes:
        keep &= network.node_kind != NodeKind.ELECTRODE
    nodes = np.flatnonzero(keep)
    index = np.full(network.n_nodes, -1, dtype=np.int64)
    index[nodes] = np.arange(len(nodes))
    e = index[network.edges]
    inside = (e >= 0).all(axis=1) & (e[:, 0] != e[:, 1])
    return TopologyGraph(len(nodes), e[inside], network.edge_conductance[inside].copy(), nodes)


def degree_histogram(graph: TopologyGraph) -> np.ndarray:
    """Number of nodes of each multigraph degree ``0 .. k_max`` (networkx ``degree_histogram``).

    Returns
    -------
    ndarray of int64, shape (k_max + 1,)
    """
    degree = np.bincount(graph.edges.ravel(), minlength=graph.n_nodes)
    return np.bincount(degree) if graph.n_nodes else np.zeros(0, dtype=np.int64)


def clustering(graph: TopologyGraph) -> tuple[float, float, np.ndarray]:
    """Average local clustering, transitivity and local clustering of every node, on the simple graph.

    Implements ``t = (A² ∘ A) 1 / 2``, ``c_i = 2 t_i / (k_i (k_i − 1))`` and ``T = Σ 2 t_i / Σ k_i (k_i − 1)``
    (Watts & Strogatz 1998), by sparse products.

    Returns
    -------
    average : float
        Mean of ``c_i`` over every node (0 for no node), as networkx ``average_clustering``.
    transitivity : float
        Global clustering (0 with no connected triple), as networkx ``transitivity``.
    local : ndarray of float, shape (V,)
    """
    a = graph.adjacency("unit")
    k = np.diff(a.indptr).astype(float)
    twice_t = np.asarray((a @ a).multiply(a).sum(axis=1)).ravel()
    pairs = k * (k - 1)
    local = np.divide(twice_t, pairs, out=np.zeros_like(pairs), where=pairs > 0)
    average = float(local.mean()) if graph.n_nodes else 0.0
    transitivity = float(twice_t.sum() / pairs.sum()) if pairs.sum() > 0 else 0.0
    return average, transitivity, local


def _components(graph: TopologyGraph, weights: str) -> tuple[int, np.ndarray]:
    return csgraph.connected_components(graph.adjacency(weights), directed=False)


def cyclomatic_number(graph: TopologyGraph) -> int:
    """Independent loops of the multigraph, ``μ = E − V + c`` (parallel edges count, self-loops are dropped)."""
    return int(len(graph.edges) - graph.n_nodes + _components(graph, "unit")[0])


def _selected_diagonal(lower: sparse.csc_matrix):
    """Diagonal of ``A⁻¹`` and a solve with ``A``, from one CHOLMOD factorisation and selected inversion."""
    from nanograph._selinv import takahashi
    from nanograph.linalg.factor import cholesky_factor

    factor = cholesky_factor(lower, ordering="metis", mode="simplicial")
    ld = factor.LD()
    ld.sort_indices()
    indptr = ld.indptr.astype(np.int64)
    z = takahashi(indptr, ld.indices.astype(np.int64), np.ascontiguousarray(ld.data, dtype=float))
    diagonal = np.empty(lower.shape[0])
    diagonal[factor.P()] = z[indptr[:-1]]
    return diagonal, factor.solve_A


def _dense_diagonal(lower: sparse.csc_matrix):
    from nanograph.errors import BackendUnavailableError

    if lower.shape[0] > 5000:
        raise BackendUnavailableError("kirchhoff_index of more than 5000 nodes needs scikit-sparse (CHOLMOD)")
    full = (lower + sparse.tril(lower, -1).T).toarray()
    inverse = np.linalg.inv(full)
    return np.diag(inverse).copy(), lambda b: inverse @ b


def kirchhoff_index(graph: TopologyGraph, weights: str = "unit") -> tuple[float, np.ndarray]:
    """Kirchhoff index ``Σ_{u<v} R(u, v)`` over the pairs inside each component (ohm with conductance weights).

    Implements ``Kf_c = n_c tr Z_c − 1ᵀ Z_c 1`` (``= n_c tr L_c⁺``, Klein & Randić 1993) with ``Z`` the inverse
    of the Laplacian grounded at the lowest node of each component: its diagonal by selected inversion,
    ``Z 1`` by one solve.

    Returns
    -------
    total : float
        Sum over every component.
    per_component : ndarray of float, shape (c,)
    """
    from nanograph.linalg.factor import cholmod_available
    from nanograph.linalg.laplacian import reduced_laplacian

    a = graph.adjacency(weights)
    n_comp, labels = csgraph.connected_components(a, directed=False)
    ground = np.zeros(graph.n_nodes, dtype=bool)
    ground[np.unique(labels, return_index=True)[1]] = True
    unknown = np.full(graph.n_nodes, -1, dtype=np.int64)
    m = graph.n_nodes - n_comp
    unknown[~ground] = np.arange(m)
    if m == 0:
        return 0.0, np.zeros(n_comp)
    coo = sparse.triu(a, 1).tocoo()
    lower = reduced_laplacian(unknown, m, np.column_stack([coo.row, coo.col]).astype(np.int64), coo.data)
    diagonal, solve = (_selected_diagonal if cholmod_available() else _dense_diagonal)(lower)
    ones_z = np.asarray(solve(np.ones(m))).ravel()
    lab = labels[~ground]
    size = np.bincount(labels, minlength=n_comp)
    trace = np.bincount(lab, weights=diagonal, minlength=n_comp)
    per = size * trace - np.bincount(lab, weights=ones_z, minlength=n_comp)
    return float(per.sum()), per


def _largest(graph: TopologyGraph, weights: str) -> np.ndarray:
    n_comp, labels = _components(graph, weights)
    return np.flatnonzero(labels == np.argmax(np.bincount(labels))) if graph.n_nodes else np.zeros(0, dtype=int)


def algebraic_connectivity(graph: TopologyGraph, weights: str = "unit") -> float:
    """Second-smallest Laplacian eigenvalue ``λ₂`` of the largest component (Fiedler 1973); NaN below 2 nodes.

    Dense ``eigvalsh`` up to 400 nodes, else shift-invert Lanczos (``eigsh``, ``sigma`` just below 0, a
    deterministic start vector). In S with conductance weights.
    """
    from scipy.sparse.linalg import eigsh

    nodes = _largest(graph, weights)
    if len(nodes) < 2:
        return float("nan")
    a = graph.adjacency(weights)[nodes][:, nodes]
    lap = sparse.diags(np.asarray(a.sum(axis=1)).ravel()) - a
    if len(nodes) <= _DENSE_MAX:
        return float(np.linalg.eigvalsh(lap.toarray())[1])
    sigma = -1e-6 * float(lap.diagonal().max())
    start = np.cos(np.arange(len(nodes)) * 0.7548776662466927)  # deterministic, not orthogonal to the modes
    values = eigsh(lap.tocsc(), k=2, sigma=sigma, which="LM", v0=start, return_eigenvectors=False,
                   OPinv=_shifted_inverse(lap, sigma))  # fmt: skip
    return float(np.sort(values)[1])


def _shifted_inverse(lap: sparse.spmatrix, sigma: float):
    """``(L − σ I)⁻¹`` as a LinearOperator from one CHOLMOD factorisation (SPD for ``σ < 0``); None without it."""
    from scipy.sparse.linalg import LinearOperator

    from nanograph.linalg.factor import cholesky_factor, cholmod_available

    if not cholmod_available():
        return None  # eigsh factors with SuperLU
    n = lap.shape[0]
    factor = cholesky_factor(sparse.tril(lap - sigma * sparse.eye(n), format="csc"), ordering="metis")
    return LinearOperator((n, n), matvec=lambda x: factor.solve_A(np.asarray(x).ravel()), dtype=float)


def diameter_bounds(graph: TopologyGraph) -> tuple[int, int]:
    """Double-sweep bounds on the hop diameter of the largest component: ``(lower, upper)``.

    Breadth-first search from the node of highest degree finds a farthest node ``a``; ``ecc(a) <= D <=
    2 min(ecc(start), ecc(a))`` (Magnien, Latapy & Habib 2009). The lower bound is exact on trees and
    usually on sparse spatial graphs.
    """
    nodes = _largest(graph, "unit")
    if len(nodes) < 2:
        return 0, 0
    a = graph.adjacency("unit")[nodes][:, nodes]
    start = int(np.argmax(np.diff(a.indptr)))
    first = csgraph.shortest_path(a, unweighted=True, indices=start, directed=False)
    far = int(np.argmax(first))
    second = csgraph.shortest_path(a, unweighted=True, indices=far, directed=False)
    lower = int(second.max())
    return lower, int(2 * min(first.max(), lower))


@dataclass(frozen=True)
class Topology:
    """Every topology number of one network (see the module docstring for the definitions).

    Attributes
    ----------
    n_nodes, n_edges, n_components : int
    degree_histogram : ndarray of int64
        Nodes of each degree ``0 .. k_max``.
    mean_degree : float
    clustering, transitivity : float
    cyclomatic_number : int
    kirchhoff_index : float
        Over the pairs inside each component (ohm with conductance weights).
    kirchhoff_index_largest : float
        Of the largest component alone.
    algebraic_connectivity : float
        ``λ₂`` of the largest component (S with conductance weights).
    largest_component : int
        Its nodes.
    diameter_lower, diameter_upper : int
        Hop diameter bounds of the largest component (``diameter_lower`` is the estimate).
    weights : str
    """

    n_nodes: int
    n_edges: int
    n_components: int
    degree_histogram: np.ndarray
    mean_degree: float
    clustering: float
    transitivity: float
    cyclomatic_number: int
    kirchhoff_index: float
    kirchhoff_index_largest: float
    algebraic_connectivity: float
    largest_component: int
    diameter_lower: int
    diameter_upper: int
    weights: str


def network_topology(network: Network, *, weights: str = "unit", electrodes: bool = False) -> Topology:
    """All topology numbers of a network (either form), from its arrays.

    Parameters
    ----------
    network : Network
        Wire-node or junction-node network.
    weights : {"unit", "conductance"}
        Edge weights of the Kirchhoff index and the algebraic connectivity.
    electrodes : bool
        Keep the electrode nodes (default: left out).

    Returns
    -------
    Topology

    Examples
    --------
    >>> from nanograph.geometry.sticks import Sticks
    >>> from nanograph.graphs.builders import wire_node_network
    >>> sticks = Sticks([[0.1, 0.5, 0.9, 0.5], [0.5, 0.1, 0.5, 0.9], [0.1, 0.2, 0.9, 0.8]], box=1)
    >>> t = network_topology(wire_node_network(sticks))
    >>> t.cyclomatic_number, t.clustering, t.kirchhoff_index   # a triangle: one loop, Kf = 3 x 2/3
    (1, 1.0, 2.0)
    """
    if weights not in WEIGHTS:
        raise InvalidInputError(f"weights must be one of {WEIGHTS}, got {weights!r}")
    graph = topology_graph(network, electrodes=electrodes)
    average, transitivity, _ = clustering(graph)
    total, per = kirchhoff_index(graph, weights)
    n_comp, labels = _components(graph, weights)
    big = int(np.argmax(np.bincount(labels))) if graph.n_nodes else 0
    lower, upper = diameter_bounds(graph)
    return Topology(
        n_nodes=graph.n_nodes,
        n_edges=len(graph.edges),
        n_components=int(_components(graph, "unit")[0]),
        degree_histogram=degree_histogram(graph),
        mean_degree=2 * len(graph.edges) / graph.n_nodes if graph.n_nodes else float("nan"),
        clustering=average,
        transitivity=transitivity,
        cyclomatic_number=cyclomatic_number(graph),
        kirchhoff_index=total,
        kirchhoff_index_largest=float(per[big]) if len(per) else 0.0,
        algebraic_connectivity=algebraic_connectivity(graph, weights),
        largest_component=int(np.bincount(labels).max()) if graph.n_nodes else 0,
        diameter_lower=lower,
        diameter_upper=upper,
        weights=weights,
    )
