"""Views of a :class:`~nanograph.graphs.network.Network` as igraph and networkx multigraphs, and networks from theirs.

**To a graph.** Both views keep parallel edges and self-loops, and hold only ``str``, ``int``, ``float`` and
``bool`` attributes, so ``networkx.write_graphml`` / ``write_gexf`` / ``write_gml`` and igraph's writers take
them as they are:

* every node: ``x``, ``y`` (box units), ``stick`` (-1 for none), ``kind`` (``"wire"``, ``"contact"``,
  ``"electrode"``), ``electrode`` (``True`` for a bus bar: leave these nodes out of centralities), and
  ``potential`` (V) when a :class:`~nanograph.linalg.solve.Solution` is given;
* every edge: ``edge_id``, ``kind`` (``"junction"``, ``"segment"``, ``"electrode"``, ``"closure"``),
  ``conductance`` (S), ``length`` (box units), ``stick_i``, ``stick_j``, ``shift_x``, ``shift_y`` (periodic
  image shift of the head), ``tail`` (the tail node, since the graphs are undirected), and ``current``
  (A, from tail to head) with a solution;
* the graph: ``form``, ``box_x``, ``box_y``, ``periodic_x``, ``periodic_y``, ``nanograph_version`` and
  ``nanograph``, a JSON string with the rest (electrodes, stick ends, dead-end lengths, parameters), so that
  ``from_*(to_*(net))`` gives the same network back, also after a GraphML or GML file.

**From any graph.** ``from_networkx(g, conductance="weight")`` (an edge attribute name, or one number for
every edge), or ``resistance=`` likewise, turns a graph made by any tool into a :class:`Network`, with
``electrodes=(u, v)`` naming the two nodes between which :func:`~nanograph.linalg.solve.solve_network`
applies its voltage. The arrays stay the hot path; build the views for users and graph algorithms.
"""

from __future__ import annotations

import json
import numbers

import numpy as np

from nanograph.errors import BackendUnavailableError, InvalidInputError
from nanograph.graphs.network import EdgeKind, Network, NodeKind

__all__ = ["to_igraph", "from_igraph", "to_networkx", "from_networkx", "node_table", "edge_table"]

_NODE_NAMES = [k.name.lower() for k in NodeKind]
_EDGE_NAMES = [k.name.lower() for k in EdgeKind]
_META = "nanograph"  # graph attribute holding the JSON metadata
_NODE_KEYS = ("x", "y", "stick", "kind")
_EDGE_KEYS = ("kind", "conductance", "length", "stick_i", "stick_j", "shift_x", "shift_y", "tail")


def _check_solution(net: Network, solution) -> None:
    if solution is None:
        return
    potentials, currents = getattr(solution, "potentials", None), getattr(solution, "currents", None)
    if np.shape(potentials) != (net.n_nodes,) or np.shape(currents) != (net.n_edges,):
        raise InvalidInputError(
            f"solution must be the Solution of this network ({net.n_nodes} nodes, {net.n_edges} edges), "
            f"got potentials of shape {np.shape(potentials)} and currents of shape {np.shape(currents)}"
        )


def node_table(net: Network, solution=None) -> dict[str, list]:
    """The node attributes of the views, as columns of Python scalars (``potential`` with a ``solution``).

    Parameters
    ----------
    net : Network
        Any network.
    solution : Solution, optional
        :func:`~nanograph.linalg.solve.solve_network` of ``net``; adds ``potential`` (V).

    Returns
    -------
    dict of str to list
        ``node_id``, ``x``, ``y``, ``stick``, ``kind``, ``electrode`` (and ``potential``), each of length ``V``.

    Raises
    ------
    InvalidInputError
        If ``solution`` does not belong to ``net``.
    """
    _check_solution(net, solution)
    table = {
        "node_id": list(range(net.n_nodes)),
        "x": net.node_position[:, 0].tolist(),
        "y": net.node_position[:, 1].tolist(),
        "stick": net.node_stick.tolist(),
        "kind": [_NODE_NAMES[k] for k in net.node_kind],
        "electrode": (net.node_kind == NodeKind.ELECTRODE).tolist(),
    }
    if solution is not None:
        table["potential"] = np.asarray(solution.potentials, dtype=float).tolist()
    return table


def edge_table(net: Network, solution=None) -> dict[str, list]:
    """The edge attributes of the views, as columns of Python scalars (``current`` with a ``solution``).

    Parameters
    ----------
    net : Network
        Any network.
    solution : Solution, optional
        :func:`~nanograph.linalg.solve.solve_network` of ``net``; adds ``current`` (A, from tail to head).

    Returns
    -------
    dict of str to list
        ``edge_id``, ``tail``, ``head``, ``kind``, ``conductance`` (S), ``length``, ``stick_i``, ``stick_j``,
        ``shift_x``, ``shift_y`` (and ``current``), each of length ``E``.

    Raises
    ------
    InvalidInputError
        If ``solution`` does not belong to ``net``.
    """
    _check_solution(net, solution)
    table = {
        "edge_id": list(range(net.n_edges)),
        "tail": net.edges[:, 0].tolist(),
        "head": net.edges[:, 1].tolist(),
        "kind": [_EDGE_NAMES[k] for k in net.edge_kind],
        "conductance": net.edge_conductance.tolist(),
        "length": net.edge_length.tolist(),
        "stick_i": net.edge_stick[:, 0].tolist(),
        "stick_j": net.edge_stick[:, 1].tolist(),
        "shift_x": net.edge_shift[:, 0].tolist(),
        "shift_y": net.edge_shift[:, 1].tolist(),
    }
    if solution is not None:
        table["current"] = np.asarray(solution.currents, dtype=float).tolist()
    return table


def _jsonable(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return repr(value)


def _nan_to_none(values: np.ndarray) -> list:
    """``values.tolist()`` with NaN as ``None`` (JSON ``null``; NumPy reads it back as NaN)."""
    return np.where(np.isnan(values), None, values).tolist()


def _graph_table(net: Network) -> dict[str, str | float | bool]:
    from nanograph._version import __version__

    meta = {
        "n_nodes": net.n_nodes,
        "n_edges": net.n_edges,
        "electrodes": net.electrodes,
        "stick_end_nodes": net.stick_end_nodes,
        "dead_end_lengths": None if net.dead_end_lengths is None else _nan_to_none(net.dead_end_lengths),
        "params": dict(net.params),
    }
    return {
        "form": net.form,
        "box_x": net.box[0],
        "box_y": net.box[1],
        "periodic_x": net.periodic[0],
        "periodic_y": net.periodic[1],
        "nanograph_version": __version__,
        _META: json.dumps(meta, default=_jsonable),
    }


def _from_tables(graph: dict, nodes: dict, pairs: np.ndarray, edges: dict) -> Network:
    try:
        meta = json.loads(graph[_META])
        if (len(nodes["x"]), len(pairs)) != (meta["n_nodes"], meta["n_edges"]):
            raise InvalidInputError(
                f"graph has {len(nodes['x'])} nodes and {len(pairs)} edges, its nanograph metadata says "
                f"{meta['n_nodes']} and {meta['n_edges']}: read the file as a multigraph (e.g. "
                "networkx.read_graphml(path, force_multigraph=True)) and do not edit it"
            )
        tail = np.asarray(edges["tail"], dtype=np.int64)
        flip = pairs[:, 0] != tail
        pairs = np.where(flip[:, None], pairs[:, ::-1], pairs)
        return Network(
            form=str(graph["form"]),
            node_position=np.column_stack([nodes["x"], nodes["y"]]).astype(float),
            node_kind=[_NODE_NAMES.index(k) for k in nodes["kind"]],
            node_stick=nodes["stick"],
            edges=pairs,
            edge_kind=[_EDGE_NAMES.index(k) for k in edges["kind"]],
            edge_conductance=np.asarray(edges["conductance"], dtype=float),
            edge_length=np.asarray(edges["length"], dtype=float),
            edge_stick=np.column_stack([edges["stick_i"], edges["stick_j"]]).astype(np.int64).reshape(-1, 2),
            edge_shift=np.column_stack([edges["shift_x"], edges["shift_y"]]).astype(np.int64).reshape(-1, 2),
            box=(float(graph["box_x"]), float(graph["box_y"])),
            periodic=(_bool(graph["periodic_x"]), _bool(graph["periodic_y"])),
            electrodes=meta.get("electrodes"),
            stick_end_nodes=meta.get("stick_end_nodes"),
            dead_end_lengths=meta.get("dead_end_lengths"),
            params=dict(meta.get("params") or {}),
        )
    except InvalidInputError:
        raise
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise _not_ours(exc) from None


def _bool(value) -> bool:
    """A boolean read back from a file: ``True``/``False``, 0/1 or their strings."""
    return value.strip().lower() in ("true", "1") if isinstance(value, str) else bool(value)


_FOREIGN_GRAPH_FIX = (
    "name its conductance or resistance: conductance='weight' (an edge attribute) or conductance=1.0, "
    "or build the network with Network.from_edges(n_nodes, edges, conductance)"
)


def _not_ours(exc: Exception) -> InvalidInputError:
    what = f"lacks the nanograph attribute {exc}" if isinstance(exc, KeyError) else f"is not nanograph's ({exc})"
    return InvalidInputError(f"graph {what}; {_FOREIGN_GRAPH_FIX}")


def _edge_conductances(conductance, resistance, column) -> np.ndarray:
    """Edge conductances (S) from ``conductance`` or ``resistance``: an attribute name or one number."""
    if (conductance is None) == (resistance is None):
        raise InvalidInputError("give one of conductance or resistance (an edge attribute name or a number)")
    name, spec = ("conductance", conductance) if resistance is None else ("resistance", resistance)
    if isinstance(spec, str):
        values = column(spec)
        if any(v is None for v in values):
            raise InvalidInputError(f"{name}: some edges lack the attribute {spec!r}")
    elif isinstance(spec, numbers.Real) and not isinstance(spec, bool):
        values = [float(spec)] * len(column(None))
    else:
        raise InvalidInputError(f"{name} must be an edge attribute name or a number, got {spec!r}")
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name}: the attribute {spec!r} must hold numbers") from None
    if name == "conductance":
        return values
    if np.any(~(values > 0)):
        raise InvalidInputError("resistance must be positive (a zero resistance is a short: merge its two nodes)")
    return 1.0 / values


def _positions(x, y) -> np.ndarray | None:
    """Node positions from two columns, or ``None`` when a node lacks one or it is not a number."""
    if any(v is None for v in x) or any(v is None for v in y):
        return None
    try:
        return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)]).reshape(-1, 2)
    except (TypeError, ValueError):
        return None


def _electrode_ids(electrodes, index) -> list[int] | None:
    if electrodes is None:
        return None
    if isinstance(electrodes, str) or len(electrodes) != 2:
        raise InvalidInputError(f"electrodes must be two nodes of the graph, got {electrodes!r}")
    try:
        return [index(e) for e in electrodes]
    except (KeyError, ValueError, IndexError, TypeError):
        raise InvalidInputError(f"electrodes: {electrodes!r} are not two nodes of the graph") from None


def to_igraph(net: Network, solution=None):
    """The network as an undirected ``igraph.Graph`` multigraph with nanograph attributes.

    Parameters
    ----------
    net : Network
        Any network.
    solution : Solution, optional
        A :func:`~nanograph.linalg.solve.solve_network` result of ``net``: adds the vertex attribute
        ``potential`` (V) and the edge attribute ``current`` (A, from ``tail`` to head).

    Returns
    -------
    igraph.Graph
        Vertex ``i`` is node ``i`` and edge ``e`` is edge ``e`` of ``net``; the attributes (``str``, ``int``,
        ``float``, ``bool`` only) are listed in :mod:`nanograph.graphs.convert`. :func:`from_igraph` turns it
        back into ``net``.

    Raises
    ------
    BackendUnavailableError
        If python-igraph is not installed.
    InvalidInputError
        If ``solution`` does not belong to ``net``.

    Examples
    --------
    >>> from nanograph.geometry.sticks import Sticks
    >>> from nanograph.graphs.builders import wire_node_network
    >>> g = to_igraph(wire_node_network(Sticks([[-1, 0.5, 2, 0.5]], box=1)))
    >>> g.vcount(), g.ecount(), g.es["kind"], g.vs["electrode"]
    (3, 2, ['electrode', 'electrode'], [False, True, True])
    """
    try:
        import igraph
    except ImportError:
        raise BackendUnavailableError("to_igraph needs python-igraph: pip install igraph") from None
    g = igraph.Graph(n=net.n_nodes, edges=net.edges.tolist(), directed=False)
    nodes = node_table(net, solution)
    del nodes["node_id"]
    for key, values in nodes.items():
        g.vs[key] = values
    edges = edge_table(net, solution)
    del edges["head"]
    for key, values in edges.items():
        g.es[key] = values
    for key, value in _graph_table(net).items():
        g[key] = value
    return g


def from_igraph(g, conductance: str | float | None = None, *, resistance: str | float | None = None,
                electrodes=None) -> Network:  # fmt: skip
    """A :class:`Network` from an igraph graph: one made by :func:`to_igraph`, or any graph.

    Parameters
    ----------
    g : igraph.Graph
        A graph made by :func:`to_igraph` (extra attributes are ignored), or any graph when ``conductance``
        or ``resistance`` is given (directed edges are taken as undirected, parallel edges add).
    conductance : str or float, optional
        Name of the edge attribute holding each edge's conductance (S; e.g. ``"weight"``), or one conductance
        for every edge. Makes a network of ``g`` whatever made it.
    resistance : str or float, optional
        Likewise for resistances (ohm, positive); give ``conductance`` or ``resistance``, not both.
    electrodes : (int or str, int or str), optional
        The two vertices (ids, or values of the vertex attribute ``name``) between which
        :func:`~nanograph.linalg.solve.solve_network` applies its voltage; they get the node kind
        ``electrode``. Only with ``conductance`` or ``resistance``.

    Returns
    -------
    Network
        ``from_igraph(to_igraph(net))`` equals ``net`` array by array. From any graph: node ``i`` is vertex
        ``i``, edge ``e`` is edge ``e``, positions from the vertex attributes ``x`` and ``y`` when present,
        ``form = "graph"`` (see :meth:`Network.from_edges`).

    Raises
    ------
    InvalidInputError
        If ``g`` was not made by :func:`to_igraph` and neither ``conductance`` nor ``resistance`` is given; if
        the named attribute is missing, not numeric, or a resistance is not positive; bad ``electrodes``.

    Examples
    --------
    >>> import igraph
    >>> from nanograph.linalg.solve import solve_network
    >>> net = from_igraph(igraph.Graph.Ring(4), resistance=1.0, electrodes=(0, 2))
    >>> solve_network(net).conductance  # two parallel paths of 2 ohm
    1.0
    """
    if conductance is None and resistance is None:
        return _from_own_igraph(g, electrodes)

    def column(name):
        return g.es[name] if name is not None and name in g.es.attributes() else [None] * g.ecount()

    values = _edge_conductances(conductance, resistance, column)
    names = g.vs.attributes()
    position = _positions(g.vs["x"], g.vs["y"]) if {"x", "y"} <= set(names) else None

    def index(vertex) -> int:
        if isinstance(vertex, str):
            return g.vs.find(name=vertex).index
        if not isinstance(vertex, numbers.Integral) or not 0 <= vertex < g.vcount():
            raise IndexError(vertex)
        return int(vertex)

    pairs = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    return Network.from_edges(g.vcount(), pairs, values, position=position,
                              electrodes=_electrode_ids(electrodes, index))  # fmt: skip


def _from_own_igraph(g, electrodes) -> Network:
    if electrodes is not None:
        raise InvalidInputError("electrodes needs conductance or resistance (a graph made by to_igraph has its own)")
    try:
        pairs = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        graph = {key: g[key] for key in g.attributes()}
        nodes = {key: g.vs[key] for key in _NODE_KEYS} if g.vcount() else dict.fromkeys(_NODE_KEYS, [])
        edges = {key: g.es[key] for key in _EDGE_KEYS} if g.ecount() else {key: [] for key in _EDGE_KEYS}
        if g.ecount() and "edge_id" in g.es.attributes():  # a file written by networkx lists edges by node
            order = np.argsort(np.asarray(g.es["edge_id"], dtype=np.int64), kind="stable")
            pairs = pairs[order]
            edges = {key: [values[i] for i in order] for key, values in edges.items()}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise _not_ours(exc) from None
    return _from_tables(graph, nodes, pairs, edges)


def to_networkx(net: Network, solution=None):
    """The network as a ``networkx.MultiGraph`` (edge keys are the edge ids) with nanograph attributes.

    Parameters
    ----------
    net : Network
        Any network.
    solution : Solution, optional
        A :func:`~nanograph.linalg.solve.solve_network` result of ``net``: adds the node attribute
        ``potential`` (V) and the edge attribute ``current`` (A, from ``tail`` to head).

    Returns
    -------
    networkx.MultiGraph
        Node ``i`` is node ``i``, edge ``(tail, head, e)`` is edge ``e`` of ``net``; the attributes (``str``,
        ``int``, ``float``, ``bool`` only) are listed in :mod:`nanograph.graphs.convert`. :func:`from_networkx`
        turns it back into ``net``.

    Raises
    ------
    BackendUnavailableError
        If networkx is not installed.
    InvalidInputError
        If ``solution`` does not belong to ``net``.

    Examples
    --------
    >>> from nanograph.graphs.network import Network
    >>> g = to_networkx(Network.from_edges(3, [[0, 1], [1, 2], [1, 2]], 1.0, electrodes=(0, 2)))
    >>> g.number_of_nodes(), g.number_of_edges(), from_networkx(g).n_edges
    (3, 3, 3)
    >>> [n for n, is_bar in g.nodes(data="electrode") if not is_bar]  # leave the bus bars out of centralities
    [1]
    """
    try:
        import networkx as nx
    except ImportError:
        raise BackendUnavailableError("to_networkx needs networkx: pip install networkx") from None
    g = nx.MultiGraph(**_graph_table(net))
    nodes = node_table(net, solution)
    ids = nodes.pop("node_id")
    node_rows = (dict(zip(nodes, row, strict=True)) for row in zip(*nodes.values(), strict=True))
    g.add_nodes_from(zip(ids, node_rows, strict=True))
    edges = edge_table(net, solution)
    heads = edges.pop("head")
    edge_rows = (dict(zip(edges, row, strict=True)) for row in zip(*edges.values(), strict=True))
    g.add_edges_from(zip(edges["tail"], heads, edges["edge_id"], edge_rows, strict=True))
    return g


def from_networkx(g, conductance: str | float | None = None, *, resistance: str | float | None = None,
                  electrodes=None) -> Network:  # fmt: skip
    """A :class:`Network` from a networkx graph: one made by :func:`to_networkx`, or any graph.

    Parameters
    ----------
    g : networkx.Graph, MultiGraph, DiGraph or MultiDiGraph
        A graph made by :func:`to_networkx`, also after a GraphML or GML file read back as a multigraph
        (extra attributes are ignored), or any graph when ``conductance`` or ``resistance`` is given
        (directed edges are taken as undirected, parallel edges add).
    conductance : str or float, optional
        Name of the edge attribute holding each edge's conductance (S; e.g. ``"weight"``), or one conductance
        for every edge. Makes a network of ``g`` whatever made it.
    resistance : str or float, optional
        Likewise for resistances (ohm, positive); give ``conductance`` or ``resistance``, not both.
    electrodes : (node, node), optional
        The two nodes of ``g`` between which :func:`~nanograph.linalg.solve.solve_network` applies its
        voltage; they get the node kind ``electrode``. Only with ``conductance`` or ``resistance``.

    Returns
    -------
    Network
        ``from_networkx(to_networkx(net))`` equals ``net`` array by array. From any graph: node ``i`` is the
        ``i``-th node of ``list(g)``, edges in the order of ``g.edges``, positions from the node attribute
        ``pos`` or ``x`` and ``y`` when every node has them, ``form = "graph"`` (see :meth:`Network.from_edges`).

    Raises
    ------
    InvalidInputError
        If ``g`` was not made by :func:`to_networkx` and neither ``conductance`` nor ``resistance`` is given;
        if the named attribute is missing, not numeric, or a resistance is not positive; bad ``electrodes``.

    Examples
    --------
    Foster's theorem on the Petersen graph of unit resistors: 15 equivalent edges share ``|V| - 1 = 9``.

    >>> import networkx as nx
    >>> from nanograph.linalg.foster import foster_check
    >>> check = foster_check(from_networkx(nx.petersen_graph(), conductance=1.0))
    >>> round(check.foster_sum, 12), round(float(check.g_r.max()), 12)
    (9.0, 0.6)
    >>> from_networkx(nx.path_graph(3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nanograph.errors.InvalidInputError: graph lacks the nanograph attribute 'nanograph'; name its conductance ...
    """
    if conductance is None and resistance is None:
        return _from_own_networkx(g, electrodes)
    nodes = list(g)
    index = {node: i for i, node in enumerate(nodes)}
    data = list(g.edges(data=True))
    values = _edge_conductances(conductance, resistance, lambda name: [d.get(name) for _, _, d in data])
    attrs = g.nodes
    position = _positions([attrs[n].get("x") for n in nodes], [attrs[n].get("y") for n in nodes])
    if all(np.size(attrs[n].get("pos")) == 2 for n in nodes) and nodes:
        position = _positions([attrs[n]["pos"][0] for n in nodes], [attrs[n]["pos"][1] for n in nodes])
    pairs = np.array([(index[u], index[v]) for u, v, _ in data], dtype=np.int64).reshape(-1, 2)
    return Network.from_edges(len(nodes), pairs, values, position=position,
                              electrodes=_electrode_ids(electrodes, index.__getitem__))  # fmt: skip


def _node_index(labels: list) -> dict:
    """Node label -> node id: the labels themselves when they are 0 .. V-1 (or their strings), else file order."""
    try:
        ids = [int(label) for label in labels]
    except (TypeError, ValueError):
        ids = None
    if ids is None or sorted(ids) != list(range(len(labels))):
        ids = list(range(len(labels)))  # e.g. igraph's GraphML labels n0, n1, ... in order
    return dict(zip(labels, ids, strict=True))


def _from_own_networkx(g, electrodes) -> Network:
    if electrodes is not None:
        raise InvalidInputError("electrodes needs conductance or resistance (a graph made by to_networkx has its own)")
    try:
        if _META not in g.graph:
            raise KeyError(_META)
        index = _node_index(list(g))
        nodes_sorted = sorted(g.nodes(data=True), key=lambda item: index[item[0]])
        nodes = {key: [d[key] for _, d in nodes_sorted] for key in _NODE_KEYS}
        edge_list = list(g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True))
        edge_list.sort(key=lambda item: int(item[-1]["edge_id"]))
        pairs = np.array([(index[item[0]], index[item[1]]) for item in edge_list], dtype=np.int64).reshape(-1, 2)
        edges = {key: [item[-1][key] for item in edge_list] for key in _EDGE_KEYS}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise _not_ours(exc) from None
    return _from_tables(dict(g.graph), nodes, pairs, edges)
