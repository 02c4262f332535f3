"""The canonical array form of a nanowire network: a multigraph as plain NumPy arrays.

Every analysis works on these arrays; igraph and networkx graphs are views built from them
(:mod:`nanograph.graphs.convert`). Edges carry *conductances* (siemens when resistances are in ohms);
parallel edges add, self-loops are allowed and carry no current, zero-conductance edges are legal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from nanograph.errors import InvalidInputError

__all__ = ["NodeKind", "EdgeKind", "Network", "NetworkParameters"]


class NodeKind(IntEnum):
    """What a node stands for."""

    WIRE = 0  #: a whole stick (wire-node form)
    CONTACT = 1  #: a contact point on a stick (junction-node form)
    ELECTRODE = 2  #: a bus bar


class EdgeKind(IntEnum):
    """What an edge stands for."""

    JUNCTION = 0  #: wire-wire contact, resistance ``rj``
    SEGMENT = 1  #: piece of wire between consecutive contacts, resistance ``rw * length``
    ELECTRODE = 2  #: wire-electrode contact, resistance ``re``
    CLOSURE = 3  #: conductance-0 edge added by a regular closure


def _frozen(array, dtype, shape_tail=()) -> np.ndarray:
    """A read-only copy of ``array`` as ``dtype``: the caller's array can change afterwards, the network cannot."""
    out = np.array(array, dtype=dtype, copy=True)
    if out.size == 0:
        out = out.reshape((0, *shape_tail))
    out = out.view()
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class Network:
    """A nanowire network in canonical array form.

    Attributes
    ----------
    form : str
        ``"wire-node"`` or ``"junction-node"`` (``"seamless"`` variants are junction-node with ``rj = 0``).
    node_position : ndarray, shape (V, 2)
        Position of each node (a stick's centre, a contact point in the frame of its stick, or the
        middle of an electrode).
    node_kind : ndarray of int8, shape (V,)
        :class:`NodeKind` of each node.
    node_stick : ndarray of int32, shape (V,)
        Stick of each node (the lowest stick id for a contact merged across sticks; -1 for electrodes).
    edges : ndarray of int64, shape (E, 2)
        ``(tail, head)`` node pairs.
    edge_kind : ndarray of int8, shape (E,)
        :class:`EdgeKind` of each edge.
    edge_conductance : ndarray of float, shape (E,)
        Conductance of each edge (S); finite and non-negative.
    edge_length : ndarray of float, shape (E,)
        Wire length of a segment edge (box units), 0 for the other kinds.
    edge_stick : ndarray of int32, shape (E, 2)
        Sticks of each edge: both the same for a segment, the two sticks of a junction, ``(stick, -1)``
        for an electrode contact.
    edge_shift : ndarray of int32, shape (E, 2)
        Periodic image shift: the head lies at ``node_position[head] + edge_shift * box`` as seen from
        the tail. All zero in an open box.
    box : (float, float)
        ``(Lx, Ly)``.
    periodic : (bool, bool)
        Periodicity of x and y.
    electrodes : ndarray of int64, shape (k,), or None
        Node ids of the electrodes (in ``0 .. V-1``; checked when the network is made): by default the left (``x = 0``) and right (``x = Lx``) bus bars
        (``k = 2``, what :func:`~nanograph.linalg.solve.solve_network` drives); ``k`` electrodes of any shape
        from ``electrodes=`` of the builders (measured by :mod:`nanograph.linalg.multiterminal`); ``None`` in
        the periodic geometry.
    stick_end_nodes : ndarray of int64, shape (N, 2), or None
        Junction-node form: nodes of the first and last contact along each stick (-1 when none).
    dead_end_lengths : ndarray of float, shape (N, 2), or None
        Junction-node form: lengths of the dangling pieces before the first and after the last contact
        of each stick (NaN for a stick with no contact).
    params : NetworkParameters
        What built the network, as typed fields (``form``, ``rw``, ``rj``, ``re``, ``heterogeneous``,
        ``bus_bars``, ``closure``, ``film``) plus free-form ``extra`` entries; a mapping too, so
        ``network.params["rj"]`` and ``{**network.params}`` work. A dict given here is converted.
    """

    form: str
    node_position: np.ndarray
    node_kind: np.ndarray
    node_stick: np.ndarray
    edges: np.ndarray
    edge_kind: np.ndarray
    edge_conductance: np.ndarray
    edge_length: np.ndarray
    edge_stick: np.ndarray
    edge_shift: np.ndarray
    box: tuple[float, float]
    periodic: tuple[bool, bool]
    electrodes: np.ndarray | None = None
    stick_end_nodes: np.ndarray | None = None
    dead_end_lengths: np.ndarray | None = None
    params: NetworkParameters = field(default_factory=lambda: NetworkParameters())

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "node_position", _frozen(self.node_position, float, (2,)))
        set_(self, "node_kind", _frozen(self.node_kind, np.int8))
        set_(self, "node_stick", _frozen(self.node_stick, np.int32))
        set_(self, "edges", _frozen(self.edges, np.int64, (2,)))
        set_(self, "edge_kind", _frozen(self.edge_kind, np.int8))
        set_(self, "edge_conductance", _frozen(self.edge_conductance, float))
        set_(self, "edge_length", _frozen(self.edge_length, float))
        set_(self, "edge_stick", _frozen(self.edge_stick, np.int32, (2,)))
        set_(self, "edge_shift", _frozen(self.edge_shift, np.int32, (2,)))
        if self.electrodes is not None:
            set_(self, "electrodes", _frozen(self.electrodes, np.int64))
        for name in ("stick_end_nodes", "dead_end_lengths"):
            if getattr(self, name) is not None:
                set_(self, name, _frozen(getattr(self, name), int if name == "stick_end_nodes" else float, (2,)))
        set_(self, "box", tuple(float(b) for b in self.box))
        set_(self, "periodic", tuple(bool(p) for p in self.periodic))
        set_(self, "params", NetworkParameters.of(self.params))
        self._validate()

    def _validate(self) -> None:
        v, e = self.n_nodes, self.n_edges
        for name in ("node_kind", "node_stick"):
            if len(getattr(self, name)) != v:
                raise InvalidInputError(f"{name} has length {len(getattr(self, name))}, expected {v} nodes")
        for name in ("edge_kind", "edge_conductance", "edge_length", "edge_stick", "edge_shift"):
            if len(getattr(self, name)) != e:
                raise InvalidInputError(f"{name} has length {len(getattr(self, name))}, expected {e} edges")
        if e and (self.edges.min() < 0 or self.edges.max() >= v):
            raise InvalidInputError("edges refer to node ids outside 0..n_nodes-1")
        g = self.edge_conductance
        if not np.all(np.isfinite(g)) or np.any(g < 0):
            raise InvalidInputError("edge_conductance must be finite and non-negative")
        if self.electrodes is not None:
            ids = self.electrodes
            if ids.ndim != 1 or (len(ids) and (ids.min() < 0 or ids.max() >= v)):
                raise InvalidInputError(f"electrodes must be node ids in 0..{v - 1}, got {ids.tolist()!r}")

    @property
    def n_nodes(self) -> int:
        """Number of nodes ``V``."""
        return len(self.node_position)

    @property
    def n_edges(self) -> int:
        """Number of edges ``E`` (parallel edges and self-loops counted)."""
        return len(self.edges)

    @property
    def degree(self) -> np.ndarray:
        """Multigraph degree of each node (a self-loop counts twice)."""
        return np.bincount(self.edges.ravel(), minlength=self.n_nodes)

    def _display(self) -> list[tuple[str, object]]:
        from nanograph._display import periodic_name

        counts = {kind: n for kind, n in self.edge_counts().items() if n}
        electrodes = "none" if self.electrodes is None else len(self.electrodes)
        return [("form", self.form), ("n_nodes", self.n_nodes), ("n_edges", self.n_edges), ("edges", counts),
                ("box", self.box), ("periodic", periodic_name(self.periodic)), ("electrodes", electrodes)]  # fmt: skip

    def __repr__(self) -> str:
        """One line: form, node and edge counts (by kind), box, periodicity, number of electrodes."""
        from nanograph._display import summary_repr

        return summary_repr("Network", self._display())

    def _repr_html_(self) -> str:
        from nanograph._display import html_table

        return html_table("Network", self._display())

    def edge_counts(self) -> dict[str, int]:
        """Number of edges of each :class:`EdgeKind`, by lower-case name."""
        counts = np.bincount(self.edge_kind, minlength=len(EdgeKind))
        return {kind.name.lower(): int(counts[kind]) for kind in EdgeKind}

    @classmethod
    def from_edges(
        cls,
        n_nodes: int,
        edges,
        conductance,
        *,
        position=None,
        electrodes=None,
        edge_kind: EdgeKind | np.ndarray = EdgeKind.JUNCTION,
        box: float | tuple[float, float] = (1.0, 1.0),
        form: str = "graph",
    ) -> Network:
        """A resistor network from an edge list: the way to build a :class:`Network` by hand.

        Parameters
        ----------
        n_nodes : int
            Number of nodes ``V``; nodes are ``0 .. V-1``.
        edges : array_like of int, shape (E, 2)
            ``(tail, head)`` of each edge; parallel edges and self-loops are allowed.
        conductance : float or array_like, shape (E,)
            Conductance of each edge (S; one number for all edges), finite and non-negative.
        position : array_like, shape (V, 2), optional
            Node positions (box units) for pictures; default all at the origin.
        electrodes : (int, int), optional
            Node ids of the two electrodes (left, right) between which :func:`~nanograph.linalg.solve.solve_network`
            applies the voltage; they get :attr:`NodeKind.ELECTRODE`. Default none.
        edge_kind : EdgeKind or array_like of int, shape (E,)
            Kind of every edge (default :attr:`EdgeKind.JUNCTION`).
        box : float or (float, float)
            ``L`` or ``(Lx, Ly)``, open in both directions (default 1 x 1).
        form : str
            Label stored in :attr:`form` (default ``"graph"``).

        Returns
        -------
        Network
            Nodes of kind :attr:`NodeKind.CONTACT` (electrodes :attr:`NodeKind.ELECTRODE`) on no stick
            (``node_stick = -1``); edges of zero length on no stick, with no periodic shift.

        Raises
        ------
        InvalidInputError
            A negative or non-integer ``n_nodes``, ``edges`` not of shape (E, 2) or naming a node outside
            ``0 .. V-1``, a ``conductance`` of the wrong length or negative/non-finite, bad ``electrodes``.

        Examples
        --------
        The Wheatstone bridge of the Foster teaching page (nodes A, B, C, D = 0, 1, 2, 3):

        >>> bridge = Network.from_edges(4, [[0, 2], [0, 3], [2, 1], [3, 1], [2, 3]], [1, 0.5, 0.5, 1, 1])
        >>> bridge.n_nodes, bridge.n_edges, bridge.degree.tolist()
        (4, 5, [2, 2, 3, 3])
        """
        if isinstance(n_nodes, bool) or not isinstance(n_nodes, (int, np.integer)) or n_nodes < 0:
            raise InvalidInputError(f"n_nodes must be a non-negative integer, got {n_nodes!r}")
        try:
            pairs = np.asarray(edges, dtype=float)
        except (TypeError, ValueError):
            pairs = np.full((1, 3), np.nan)  # reported below
        if pairs.size == 0:
            pairs = np.zeros((0, 2))
        if pairs.ndim != 2 or pairs.shape[1] != 2 or np.any(pairs != np.round(pairs)):
            raise InvalidInputError(f"edges must be integer node pairs (tail, head), shape (E, 2), got {edges!r}")
        n_edges = len(pairs)
        g = np.asarray(conductance, dtype=float)
        g = np.full(n_edges, float(g)) if g.ndim == 0 else g
        if g.shape != (n_edges,):
            raise InvalidInputError(f"conductance must be one number or {n_edges} (one per edge), got shape {g.shape}")
        kinds = np.asarray(edge_kind, dtype=np.int8)
        kinds = np.full(n_edges, kinds) if kinds.ndim == 0 else kinds
        if kinds.shape != (n_edges,):
            raise InvalidInputError(f"edge_kind must be one EdgeKind or {n_edges} (one per edge), got {kinds.shape}")
        xy = np.zeros((n_nodes, 2)) if position is None else np.asarray(position, dtype=float)
        if xy.shape != (n_nodes, 2):
            raise InvalidInputError(f"position must have shape ({n_nodes}, 2), got {xy.shape}")
        kind = np.full(n_nodes, NodeKind.CONTACT, dtype=np.int8)
        if electrodes is not None:
            electrodes = np.asarray(electrodes)
            if electrodes.shape != (2,) or electrodes.min() < 0 or electrodes.max() >= n_nodes:
                raise InvalidInputError(f"electrodes must be two node ids in 0..{n_nodes - 1}, got {electrodes!r}")
            kind[electrodes] = NodeKind.ELECTRODE
        side = np.broadcast_to(np.asarray(box, dtype=float), (2,))
        return cls(
            form=form,
            node_position=xy,
            node_kind=kind,
            node_stick=np.full(n_nodes, -1),
            edges=pairs.astype(np.int64),
            edge_kind=kinds,
            edge_conductance=g,
            edge_length=np.zeros(n_edges),
            edge_stick=np.full((n_edges, 2), -1),
            edge_shift=np.zeros((n_edges, 2)),
            box=(float(side[0]), float(side[1])),
            periodic=(False, False),
            electrodes=electrodes,
        )

    def replace(self, **changes) -> Network:
        """A copy with some attributes replaced (networks are immutable)."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        fields.update(changes)
        return Network(**fields)


_TYPED = ("form", "rw", "rj", "re", "heterogeneous", "bus_bars", "closure", "film")


@dataclass(frozen=True, eq=False)
class NetworkParameters(Mapping):
    """The parameters that built a :class:`Network`, as typed fields (and a read-only mapping of them).

    Attributes
    ----------
    form : str or None
        The builder's graph form.
    rw : float or None
        Resistance of a unit length of wire (ohm per box unit) when one value holds for every stick; None for
        the wire-node form or per-stick values.
    rj, re : float or None
        Junction and stick–electrode resistance (ohm) when one value holds for all; None otherwise.
    heterogeneous : bool
        Whether any of them varies element by element.
    bus_bars : bool or None
        Whether the network has the two bus bars.
    closure : int or None
        Degree of the regular closure applied (3 or 4), None when open.
    film : Film or None
        The model of the system the network was built from (``build_network(..., film=...)``).
    extra : dict
        Anything else a builder recorded (a lattice's cells, a backbone's source, ...).
    """

    form: str | None = None
    rw: float | None = None
    rj: float | None = None
    re: float | None = None
    heterogeneous: bool = False
    bus_bars: bool | None = None
    closure: int | None = None
    film: object | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def of(cls, params) -> NetworkParameters:
        """``params`` as :class:`NetworkParameters` (a mapping's typed keys become fields, the rest ``extra``)."""
        if isinstance(params, NetworkParameters):
            return params
        values = dict(params or {})
        typed = {k: values.pop(k) for k in _TYPED if k in values}
        for name in ("rw", "rj", "re"):
            if typed.get(name) is not None and not isinstance(typed[name], float):
                typed[name] = float(typed[name]) if np.ndim(typed[name]) == 0 else None
        return cls(**typed, extra={**dict(values.pop("extra", {}) or {}), **values})

    def _items(self) -> dict:
        typed = {k: getattr(self, k) for k in _TYPED if getattr(self, k) is not None}
        typed["heterogeneous"] = self.heterogeneous
        return {**typed, **self.extra}

    def __getitem__(self, key):
        return self._items()[key]

    def __iter__(self):
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._items().items() if k != "film")
        return f"NetworkParameters({shown}{', film=...' if self.film is not None else ''})"
