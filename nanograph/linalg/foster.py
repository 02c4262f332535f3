"""Foster's theorem as a check on any network: ``Σ_e g_e R(e) = |V| − c``.

Foster (1949) for a connected network; summed over components it reads ``Σ_e g_e R(e) = |V| − c`` with
``c`` the number of connected components. Precisely, here:

* ``|V|`` counts **every** node of the network, electrodes (bus bars) included — they are ordinary nodes
  of the graph; nothing is grounded or held at a potential.
* ``c`` counts the connected components of the graph of **positive-conductance** edges (self-loops
  ignored); a node without such an edge is a component of its own (it adds 1 to ``|V|`` and to ``c``).
* A zero-conductance edge (a closure edge) contributes ``g R = 0`` to the sum whatever ``R`` is, and does
  not join components; a self-loop contributes 0; parallel edges each contribute their own ``g R``.

For every edge ``g R(e) = g / (g + G')`` with ``G'`` the conductance between its ends with the edge
removed: the quantity whose mean over a ``z``-regular network is ``2/z`` (EMT paper Eq. 1 and, with random
conductances, Eq. 17). The exact mean is ``(|V| − c)/|E|``, which is ``2/z · (1 − c/|V|)`` on a truly
``z``-regular network.

Accuracy: each ``R(e) = Z_uu + Z_vv − 2 Z_uv`` loses about ``eps · |Z| · g_e`` to cancellation on edges of
very large conductance, so the residual grows with the spread of conductances. Measured on closed
junction-node networks (``n l² = 30``, L = 8): 1e-15…1e-13 for ``rw/rj`` within 1e±3, 5e-11 at
``rw = 1e-6, rj = 1``, 5e-10 at ``rw = 1e-3, rj = 1e3``, and 4e-9 at ``rj = 1e-10, rw = 1`` (conductances
over 16 decades, where :func:`~nanograph.linalg.solve.solve_network` itself warns that the conductance is
inaccurate). Use the wire-node form, or ``rj = 0`` (exact merging), in such limits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.linalg.resistance import _GroundedInverse

__all__ = ["FosterCheck", "foster_check", "non_electrode_degrees"]


def non_electrode_degrees(network: Network) -> tuple[int, ...]:
    """Sorted distinct multigraph degrees (self-loops twice, every edge kind) of the non-electrode nodes."""
    degree = network.degree[network.node_kind != NodeKind.ELECTRODE]
    return tuple(int(d) for d in np.unique(degree))


@dataclass(frozen=True, eq=False)
class FosterCheck:
    """Foster's sum of a network and its per-edge terms.

    Attributes
    ----------
    foster_sum : float
        ``Σ_e g_e R(e)`` (dimensionless).
    n_nodes, n_edges : int
        ``|V|`` (electrodes included) and ``|E|`` (parallel, self-loop and zero-conductance edges included).
    n_components : int
        ``c``: components of the positive-conductance graph.
    relative_residual : float
        ``|foster_sum − (|V| − c)| / (|V| − c)`` (0 when ``|V| = c``).
    g_r : ndarray, shape (E,)
        ``g_e R(e) = g/(g + G')`` of every edge (0 for zero-conductance edges and self-loops).
    edge_kind : ndarray, shape (E,)
        :class:`~nanograph.graphs.network.EdgeKind` of every edge, for :meth:`values`.
    degrees : tuple of int
        Sorted distinct degrees of the non-electrode nodes.
    method : str
        ``"selinv"`` or ``"solves"``.
    seconds : dict
        Wall time of ``factor`` (components, assembly, factorisation, selected inversion) and ``edges``.
    edge_conductance : ndarray, shape (E,), or None
        ``g`` of every edge (S), for :meth:`to_pandas`.
    """

    foster_sum: float
    n_nodes: int
    n_edges: int
    n_components: int
    relative_residual: float
    g_r: np.ndarray
    edge_kind: np.ndarray
    degrees: tuple[int, ...]
    method: str
    seconds: dict = field(default_factory=dict)
    edge_conductance: np.ndarray | None = None

    @property
    def expected_sum(self) -> int:
        """``|V| − c``."""
        return self.n_nodes - self.n_components

    @property
    def mean_gR(self) -> float:  # noqa: N802 - the paper's symbol
        """``Σ g R / |E|``: the mean of ``g/(g + G')`` over all edges (Eq. 1 / Eq. 17's left side)."""
        return self.foster_sum / self.n_edges if self.n_edges else float("nan")

    @property
    def regular_degree(self) -> int | None:
        """``z`` when every non-electrode node has the same degree ``z``, else ``None``."""
        return self.degrees[0] if len(self.degrees) == 1 else None

    @property
    def regular_mean(self) -> float | None:
        """``2/z`` (Eq. 17) for a ``z``-regular network, else ``None``."""
        z = self.regular_degree
        return 2.0 / z if z else None

    def values(self, kind: EdgeKind | str) -> np.ndarray:
        """``g/(g + G')`` of the edges of one kind (an :class:`EdgeKind` or its lower-case name)."""
        kind = EdgeKind[kind.upper()] if isinstance(kind, str) else EdgeKind(kind)
        return self.g_r[self.edge_kind == kind]

    @property
    def kind_means(self) -> dict[str, float]:
        """Mean ``g/(g + G')`` per edge kind present (lower-case names)."""
        return {k.name.lower(): float(self.values(k).mean()) for k in EdgeKind if np.any(self.edge_kind == k)}

    @property
    def kind_counts(self) -> dict[str, int]:
        """Number of edges per kind present."""
        return {k.name.lower(): int(np.sum(self.edge_kind == k)) for k in EdgeKind if np.any(self.edge_kind == k)}

    def to_pandas(self):
        """One row per edge: ``edge`` (id), ``kind`` (lower-case :class:`EdgeKind` name), ``g`` (S), ``R`` (ohm), ``gR``.

        ``R(e)`` is the effective resistance between the ends of edge ``e`` (``gR / g``; 0 for a self-loop,
        NaN for a zero-conductance edge, whose ``R`` is not computed since its ``g R`` is 0 whatever ``R`` is).

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        BackendUnavailableError
            When pandas is not installed.
        """
        from nanograph._display import require_pandas

        pd = require_pandas("FosterCheck.to_pandas")
        g = np.full(self.n_edges, np.nan) if self.edge_conductance is None else np.asarray(self.edge_conductance)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(g > 0, self.g_r / g, np.nan)
        names = [k.name.lower() for k in EdgeKind]
        kind = pd.Categorical.from_codes(self.edge_kind.astype(np.int64), categories=names)
        return pd.DataFrame({"edge": np.arange(self.n_edges), "kind": kind, "g": g, "R": r, "gR": self.g_r})

    def _display(self) -> list[tuple[str, object]]:
        return [("foster_sum", self.foster_sum), ("expected_sum", self.expected_sum),
                ("relative_residual", self.relative_residual), ("n_nodes", self.n_nodes), ("n_edges", self.n_edges),
                ("n_components", self.n_components), ("mean_gR", self.mean_gR), ("regular_mean", self.regular_mean),
                ("degrees", self.degrees if len(self.degrees) <= 8 else f"{len(self.degrees)} distinct"),
                ("method", self.method)]  # fmt: skip

    def __repr__(self) -> str:
        """One line: Foster's sum against ``|V| - c``, residual, sizes, mean ``gR``, degrees, method."""
        from nanograph._display import summary_repr

        return summary_repr("FosterCheck", self._display())

    def _repr_html_(self) -> str:
        from nanograph._display import html_table

        return html_table("FosterCheck", self._display())

    def summary(self) -> dict:
        """The public record (the keys of ``nanograph foster --json``)."""
        return {
            "foster_sum": self.foster_sum,
            "expected_sum": self.expected_sum,
            "n_nodes": self.n_nodes,
            "n_edges": self.n_edges,
            "n_components": self.n_components,
            "relative_residual": self.relative_residual,
            "degrees": list(self.degrees),
            "mean_gR": self.mean_gR,
            "regular_mean": self.regular_mean,
            "mean_gR_by_kind": self.kind_means,
            "edges_by_kind": self.kind_counts,
            "method": self.method,
            "seconds": dict(self.seconds),
        }


def foster_check(network: Network, *, method: str = "auto") -> FosterCheck:
    """Check Foster's theorem ``Σ_e g_e R(e) = |V| − c`` on a network, with exact ``R`` for every edge.

    Parameters
    ----------
    network : Network
        Any network: open or closed (:func:`~nanograph.transforms.regular_closure`), with parallel,
        self-loop and zero-conductance edges, any number of components.
    method : {"auto", "selinv", "solves"}
        See :func:`~nanograph.linalg.resistance.edge_resistances`.

    Returns
    -------
    FosterCheck

    Examples
    --------
    >>> from nanograph.geometry.sticks import generate_sticks
    >>> from nanograph.graphs.builders import junction_node_network
    >>> check = foster_check(junction_node_network(generate_sticks(10, box=5, rng=1), rw=1.0, rj=1.0))
    >>> check.relative_residual < 1e-9
    True
    """
    t0 = time.perf_counter()
    grounded = _GroundedInverse(network, method, zero_edges=False)  # their g R is 0 whatever R is
    t1 = time.perf_counter()
    g = network.edge_conductance
    g_r = np.zeros(network.n_edges)
    conducting = (g > 0) & (network.edges[:, 0] != network.edges[:, 1])
    e = network.edges[conducting]
    g_r[conducting] = g[conducting] * grounded.resistance(e[:, 0], e[:, 1])
    t2 = time.perf_counter()
    total = float(np.sum(g_r))
    expected = network.n_nodes - grounded.n_components
    residual = abs(total - expected) / expected if expected else abs(total)
    return FosterCheck(
        foster_sum=total,
        n_nodes=network.n_nodes,
        n_edges=network.n_edges,
        n_components=grounded.n_components,
        relative_residual=float(residual),
        g_r=g_r,
        edge_kind=network.edge_kind,
        degrees=non_electrode_degrees(network),
        method=grounded.method,
        seconds={"factor": t1 - t0, "edges": t2 - t1},
        edge_conductance=g,
    )
