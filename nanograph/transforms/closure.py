"""Regular closures: join the two extreme contacts of every stick by an edge of conductance 0.

EMT paper (Tarasevich et al. 2025), section 3: in the junction-node form (``Rj > 0``) a contact node
has one junction and at most two wire segments. Adding, for every stick, an edge of conductance 0 between
its first and last contact makes every contact node of degree exactly **3** (a stick with two contacts
gets a second edge parallel to its one segment; a stick with one contact gets a self-loop, which counts
twice). In the seamless form (``Rj = 0``) the two contacts of a junction are one node, and the same
closure makes every contact node of degree **4**. The end pieces of a stick beyond its extreme contacts
carry no current, so replacing them by a conductance-0 edge leaves every current and the conductance
between the electrodes exactly unchanged (the Laplacian is the same matrix).

Policy, precisely:

* **Contacts with a bus bar** are contact points of the stick like junctions: they count as extreme
  contacts. With ``Re > 0`` such a node has the electrode edge in place of the junction: degree 3 in the
  3-regular closure, and degree **3** (not 4) in the 4-regular closure — :attr:`Closure.irregular_nodes`
  lists them. With ``Re = 0`` the contact is merged into the electrode node, so the closure edge of that
  stick ends on the electrode and every remaining contact node is regular. Electrode nodes are never
  regular (their degree is their number of contacts) and are left out of :attr:`Closure.degrees`.
* **Isolated sticks** (no contact at all) have no node in the junction-node form and get no closure edge;
  :attr:`Closure.n_isolated_sticks` counts them.
* **Clusters that carry no current** (not touching both bus bars, or not wrapping a periodic axis) are
  closed like the rest — their nodes are regular too. A closure edge never joins two clusters (both of
  its ends lie on one stick), so the clusters, the components and the conductance stay as they were.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.validation import positive

__all__ = ["Closure", "regular_closure", "predicted_edge_fractions"]


def predicted_edge_fractions(density: float, degree: int = 3) -> dict[str, float]:
    """Fractions of junction, segment and closure edges of a closed network of isotropic sticks.

    A stick with ``k`` contacts has ``k − 1`` segments and one closure edge; with ``⟨k⟩ = 2 n l²/π``
    (Eq. 5) contacts per stick and ``N⟨k⟩/2`` junctions, the 3-regular closure has the fractions of
    Eqs. (8)–(9): junctions ``1/3``, segments ``2/3 − π/(3 n l²)``, closure edges ``π/(3 n l²)``. The
    4-regular (seamless) closure has no junction edges: segments ``1 − π/(2 n l²)``, closure edges
    ``π/(2 n l²) = 1/⟨k⟩`` (the factor in Eq. 28). Sticks without contact (a fraction ``exp(−⟨k⟩)``)
    and bus-bar contacts are neglected, as in the paper.

    Parameters
    ----------
    density : float
        Dimensionless number density ``n l²``.
    degree : {3, 4}
        3 for the junction-node closure, 4 for the seamless one.

    Examples
    --------
    >>> {k: round(v, 6) for k, v in predicted_edge_fractions(30).items()}
    {'junction': 0.333333, 'segment': 0.63176, 'closure': 0.034907}
    """
    density = positive("density", density, unit="n l^2")
    if degree == 3:
        closure = math.pi / (3 * density)
        return {"junction": 1 / 3, "segment": 2 / 3 - closure, "closure": closure}
    if degree == 4:
        closure = math.pi / (2 * density)
        return {"junction": 0.0, "segment": 1 - closure, "closure": closure}
    raise InvalidInputError(f"degree must be 3 (junction-node) or 4 (seamless), got {degree!r}")


@dataclass(frozen=True, eq=False)
class Closure:
    """A network closed by :func:`regular_closure`, with its map back to the sticks.

    Attributes
    ----------
    network : Network
        The closed network: the source's nodes and edges unchanged (same ids), then one
        :attr:`EdgeKind.CLOSURE` edge of conductance 0 per stick that has a contact.
    source : Network
        The network that was closed.
    closure_edges : ndarray of int64
        Ids (in :attr:`network`) of the closure edges: ``source.n_edges`` onwards.
    closure_stick : ndarray of int32
        Stick of each closure edge. Edge ``e < source.n_edges`` of :attr:`network` is edge ``e`` of the
        source; the sticks of every edge are in ``network.edge_stick`` and the stick of every node in
        ``network.node_stick`` (see :attr:`node_sticks` for merged seamless contacts).
    degree : int
        Target degree ``z``: 3 (junction-node, ``Rj > 0``) or 4 (seamless, ``Rj = 0``).
    n_isolated_sticks : int
        Sticks with no contact (no node, no closure edge).
    """

    network: Network
    source: Network
    closure_edges: np.ndarray
    closure_stick: np.ndarray
    degree: int
    n_isolated_sticks: int

    @property
    def _contact_nodes(self) -> np.ndarray:
        return np.flatnonzero(self.network.node_kind != NodeKind.ELECTRODE)

    @property
    def degrees(self) -> tuple[int, ...]:
        """Sorted distinct degrees of the non-electrode nodes of the closed network."""
        return tuple(int(d) for d in np.unique(self.network.degree[self._contact_nodes]))

    @property
    def degree_counts(self) -> dict[int, int]:
        """Number of non-electrode nodes of each degree."""
        values, counts = np.unique(self.network.degree[self._contact_nodes], return_counts=True)
        return {int(v): int(c) for v, c in zip(values, counts, strict=True)}

    @property
    def irregular_nodes(self) -> np.ndarray:
        """Non-electrode nodes whose degree is not :attr:`degree` (bus-bar contacts with ``Re > 0`` when z = 4)."""
        nodes = self._contact_nodes
        return nodes[self.network.degree[nodes] != self.degree]

    @property
    def is_regular(self) -> bool:
        """Every non-electrode node has degree :attr:`degree`."""
        return self.degrees == (self.degree,)

    @property
    def electrode_degrees(self) -> tuple[int, ...]:
        """Degrees of the electrode nodes (left, right), empty without bus bars."""
        if self.network.electrodes is None:
            return ()
        return tuple(int(d) for d in self.network.degree[self.network.electrodes])

    @property
    def n_self_loops(self) -> int:
        """Closure edges that are self-loops (sticks with one contact)."""
        e = self.network.edges[self.closure_edges]
        return int(np.sum(e[:, 0] == e[:, 1]))

    @property
    def edge_fractions(self) -> dict[str, float]:
        """Fraction of all edges of the closed network of each kind (compare :func:`predicted_edge_fractions`)."""
        counts = self.network.edge_counts()
        total = max(self.network.n_edges, 1)
        return {kind: count / total for kind, count in counts.items()}

    @property
    def node_sticks(self) -> np.ndarray:
        """Sticks through each node, shape (V, 2): ``(s, -1)`` for one stick, ``(s1, s2)`` for a seamless junction.

        Read off the segment and closure edges at each node (every contact node has at least one of
        them after the closure); ``(-1, -1)`` for the electrodes.
        """
        net = self.network
        on_stick = (net.edge_kind == EdgeKind.SEGMENT) | (net.edge_kind == EdgeKind.CLOSURE)
        stick = np.concatenate([net.edge_stick[on_stick, 0]] * 2).astype(np.int64)
        node = np.concatenate([net.edges[on_stick, 0], net.edges[on_stick, 1]])
        base = stick.max(initial=0) + 1
        node, stick = np.divmod(np.unique(node * base + stick), base)
        out = np.full((net.n_nodes, 2), -1, dtype=np.int64)
        first = np.ones(len(node), dtype=bool)
        first[1:] = node[1:] != node[:-1]
        out[node[first], 0] = stick[first]
        out[node[~first], 1] = stick[~first]
        out[net.node_kind == NodeKind.ELECTRODE] = -1
        return out

    def _display(self) -> list[tuple[str, object]]:
        degrees = self.degrees
        return [("degree", self.degree), ("is_regular", self.is_regular),
                ("degrees", degrees if len(degrees) <= 8 else f"{len(degrees)} distinct"),
                ("n_irregular_nodes", len(self.irregular_nodes)), ("n_closure_edges", len(self.closure_edges)),
                ("n_self_loops", self.n_self_loops), ("n_isolated_sticks", self.n_isolated_sticks),
                ("n_nodes", self.network.n_nodes), ("n_edges", self.network.n_edges)]  # fmt: skip

    def __repr__(self) -> str:
        """One line: target degree, regularity, closure edges, self-loops, isolated sticks, sizes."""
        from nanograph._display import summary_repr

        return summary_repr("Closure", self._display())

    def _repr_html_(self) -> str:
        from nanograph._display import html_table

        return html_table("Closure", self._display())

    def summary(self) -> dict:
        """Degree set, counts and edge-kind fractions as plain numbers."""
        return {
            "degree": self.degree,
            "degrees": list(self.degrees),
            "degree_counts": self.degree_counts,
            "n_irregular_nodes": len(self.irregular_nodes),
            "electrode_degrees": list(self.electrode_degrees),
            "n_closure_edges": len(self.closure_edges),
            "n_self_loops": self.n_self_loops,
            "n_isolated_sticks": self.n_isolated_sticks,
            "edge_fractions": self.edge_fractions,
        }


def regular_closure(network: Network) -> Closure:
    """Close a junction-node network: a conductance-0 edge between the extreme contacts of every stick.

    The 3-regular closure of the junction-node form (``Rj > 0``) or the 4-regular closure of the seamless
    form (``Rj = 0``) of the EMT paper; see the module docstring for bus-bar contacts, isolated sticks
    and clusters that carry no current.

    Parameters
    ----------
    network : Network
        A junction-node network (from :func:`~nanograph.graphs.builders.junction_node_network`), not
        already closed.

    Returns
    -------
    Closure

    Raises
    ------
    InvalidInputError
        The network is not in junction-node form or already has closure edges.

    Examples
    --------
    >>> from nanograph.geometry.sticks import generate_sticks
    >>> from nanograph.graphs.builders import junction_node_network
    >>> sticks = generate_sticks(10, box=6, periodic=True, rng=3)
    >>> closure = regular_closure(junction_node_network(sticks, rw=1.0, rj=1.0))
    >>> closure.degrees, float(closure.network.edge_conductance[closure.closure_edges].max())
    ((3,), 0.0)
    """
    if network.form != "junction-node" or network.stick_end_nodes is None:
        raise InvalidInputError(
            f"regular_closure needs the junction-node form (it joins the extreme contacts of every stick), got "
            f"form {network.form!r}; build it with junction_node_network(sticks, rw=..., rj=...)"
        )
    if np.any(network.edge_kind == EdgeKind.CLOSURE):
        raise InvalidInputError("the network already has closure edges; close the original network once")
    ends = network.stick_end_nodes
    stick = np.flatnonzero(ends[:, 0] >= 0).astype(np.int32)
    new_edges = ends[stick]
    # Image shift from the first to the last contact: the sum of the stick's segment shifts (non-zero only
    # where seamless or Re = 0 merging put contacts of one stick in different periodic frames).
    segment = network.edge_kind == EdgeKind.SEGMENT
    shift = np.zeros((len(ends), 2), dtype=np.int64)
    np.add.at(shift, network.edge_stick[segment, 0], network.edge_shift[segment])
    k = len(stick)
    rj = network.params.get("rj")
    degree = 4 if (rj == 0 if rj is not None else not np.any(network.edge_kind == EdgeKind.JUNCTION)) else 3
    closed = network.replace(
        edges=np.concatenate([network.edges, new_edges]),
        edge_kind=np.concatenate([network.edge_kind, np.full(k, EdgeKind.CLOSURE, dtype=np.int8)]),
        edge_conductance=np.concatenate([network.edge_conductance, np.zeros(k)]),
        edge_length=np.concatenate([network.edge_length, np.zeros(k)]),
        edge_stick=np.concatenate([network.edge_stick, np.column_stack([stick, stick])]),
        edge_shift=np.concatenate([network.edge_shift, shift[stick]]),
        params={**network.params, "closure": degree},
    )
    return Closure(
        network=closed,
        source=network,
        closure_edges=np.arange(network.n_edges, network.n_edges + k, dtype=np.int64),
        closure_stick=stick,
        degree=degree,
        n_isolated_sticks=int(len(ends) - k),
    )
