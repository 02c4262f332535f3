"""Faithful views of a :class:`~nanograph.graphs.network.Network` as igraph and networkx multigraphs.

Both converters keep parallel edges and self-loops, and store on every edge ``kind`` (``"junction"``,
``"segment"``, ``"electrode"``, ``"closure"``), ``conductance`` (S), ``length``, ``stick_i``,
``stick_j``, ``shift`` and ``tail`` (the tail node, since the graphs are undirected), and on every node
``x``, ``y``, ``stick`` and ``kind`` (``"wire"``, ``"contact"``, ``"electrode"``). Graph-level
attributes hold the form, box, periodicity, electrodes and parameters, so ``from_*(to_*(net))`` gives the
same network back. The arrays stay the hot path; build these views for users and graph algorithms.
"""

from __future__ import annotations

import numpy as np

from nanograph.errors import BackendUnavailableError, InvalidInputError
from nanograph.graphs.network import EdgeKind, Network, NodeKind

__all__ = ["to_igraph", "from_igraph", "to_networkx", "from_networkx"]

_NODE_NAMES = [k.name.lower() for k in NodeKind]
_EDGE_NAMES = [k.name.lower() for k in EdgeKind]


def _node_table(net: Network) -> dict[str, list]:
    return {
        "x": net.node_position[:, 0].tolist(),
        "y": net.node_position[:, 1].tolist(),
        "stick": net.node_stick.tolist(),
        "kind": [_NODE_NAMES[k] for k in net.node_kind],
    }


def _edge_table(net: Network) -> dict[str, list]:
    return {
        "kind": [_EDGE_NAMES[k] for k in net.edge_kind],
        "conductance": net.edge_conductance.tolist(),
        "length": net.edge_length.tolist(),
        "stick_i": net.edge_stick[:, 0].tolist(),
        "stick_j": net.edge_stick[:, 1].tolist(),
        "shift": [tuple(s) for s in net.edge_shift.tolist()],
        "tail": net.edges[:, 0].tolist(),
    }


def _graph_table(net: Network) -> dict:
    return {
        "form": net.form,
        "box": net.box,
        "periodic": net.periodic,
        "electrodes": None if net.electrodes is None else net.electrodes.tolist(),
        "stick_end_nodes": None if net.stick_end_nodes is None else net.stick_end_nodes.tolist(),
        "dead_end_lengths": None if net.dead_end_lengths is None else net.dead_end_lengths.tolist(),
        "params": dict(net.params),
    }


def _from_tables(graph: dict, nodes: dict, pairs: np.ndarray, edges: dict) -> Network:
    try:
        tail = np.asarray(edges["tail"], dtype=np.int64)
        flip = pairs[:, 0] != tail
        pairs = np.where(flip[:, None], pairs[:, ::-1], pairs)
        return Network(
            form=graph["form"],
            node_position=np.column_stack([nodes["x"], nodes["y"]]),
            node_kind=[_NODE_NAMES.index(k) for k in nodes["kind"]],
            node_stick=nodes["stick"],
            edges=pairs,
            edge_kind=[_EDGE_NAMES.index(k) for k in edges["kind"]],
            edge_conductance=edges["conductance"],
            edge_length=edges["length"],
            edge_stick=np.column_stack([edges["stick_i"], edges["stick_j"]]),
            edge_shift=np.asarray(edges["shift"], dtype=np.int64).reshape(-1, 2),
            box=graph["box"],
            periodic=graph["periodic"],
            electrodes=graph.get("electrodes"),
            stick_end_nodes=graph.get("stick_end_nodes"),
            dead_end_lengths=graph.get("dead_end_lengths"),
            params=dict(graph.get("params") or {}),
        )
    except InvalidInputError:
        raise
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise _not_ours(exc) from None


_FOREIGN_GRAPH_FIX = (
    "from_igraph/from_networkx read only graphs made by to_igraph/to_networkx; "
    "build any other graph with Network.from_edges(n_nodes, edges, conductance)"
)


def _not_ours(exc: Exception) -> InvalidInputError:
    what = f"lacks the nanograph attribute {exc}" if isinstance(exc, KeyError) else f"is not nanograph's ({exc})"
    return InvalidInputError(f"graph {what}; {_FOREIGN_GRAPH_FIX}")


def to_igraph(net: Network):
    """The network as an undirected ``igraph.Graph`` multigraph with nanograph attributes.

    Parameters
    ----------
    net : Network
        Any network.

    Returns
    -------
    igraph.Graph
        Vertex ``i`` is node ``i`` and edge ``e`` is edge ``e`` of ``net``; the attributes are listed in
        :mod:`nanograph.graphs.convert`. :func:`from_igraph` turns it back into ``net``.

    Raises
    ------
    BackendUnavailableError
        If python-igraph is not installed.

    Examples
    --------
    >>> from nanograph.geometry.sticks import Sticks
    >>> from nanograph.graphs.builders import wire_node_network
    >>> g = to_igraph(wire_node_network(Sticks([[-1, 0.5, 2, 0.5]], box=1)))
    >>> g.vcount(), g.ecount(), g.es["kind"]
    (3, 2, ['electrode', 'electrode'])
    """
    try:
        import igraph
    except ImportError:
        raise BackendUnavailableError("to_igraph needs python-igraph: pip install igraph") from None
    g = igraph.Graph(n=net.n_nodes, edges=net.edges.tolist(), directed=False)
    for key, values in _node_table(net).items():
        g.vs[key] = values
    for key, values in _edge_table(net).items():
        g.es[key] = values
    for key, value in _graph_table(net).items():
        g[key] = value
    return g


def from_igraph(g) -> Network:
    """Rebuild a :class:`Network` from a graph made by :func:`to_igraph`.

    Parameters
    ----------
    g : igraph.Graph
        A graph made by :func:`to_igraph` (possibly with extra attributes, which are ignored).

    Returns
    -------
    Network
        The network ``g`` was made from: ``from_igraph(to_igraph(net))`` equals ``net`` array by array.

    Raises
    ------
    InvalidInputError
        If ``g`` lacks nanograph's attributes (it was not made by :func:`to_igraph`); build such a network
        with :meth:`Network.from_edges`.
    """
    try:
        pairs = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        graph = {key: g[key] for key in g.attributes()}
        nodes = (
            {key: g.vs[key] for key in ("x", "y", "stick", "kind")}
            if g.vcount()
            else dict.fromkeys(("x", "y", "stick", "kind"), [])
        )
        keys = ("kind", "conductance", "length", "stick_i", "stick_j", "shift", "tail")
        edges = {key: g.es[key] for key in keys} if g.ecount() else {key: [] for key in keys}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise _not_ours(exc) from None
    return _from_tables(graph, nodes, pairs, edges)


def to_networkx(net: Network):
    """The network as a ``networkx.MultiGraph`` (edge keys are the edge ids) with nanograph attributes.

    Parameters
    ----------
    net : Network
        Any network.

    Returns
    -------
    networkx.MultiGraph
        Node ``i`` is node ``i``, edge ``(tail, head, e)`` is edge ``e`` of ``net``; the attributes are listed
        in :mod:`nanograph.graphs.convert`. :func:`from_networkx` turns it back into ``net``.

    Raises
    ------
    BackendUnavailableError
        If networkx is not installed.

    Examples
    --------
    >>> from nanograph.graphs.network import Network
    >>> g = to_networkx(Network.from_edges(3, [[0, 1], [1, 2], [1, 2]], 1.0))
    >>> g.number_of_nodes(), g.number_of_edges(), from_networkx(g).n_edges
    (3, 3, 3)
    """
    try:
        import networkx as nx
    except ImportError:
        raise BackendUnavailableError("to_networkx needs networkx: pip install networkx") from None
    g = nx.MultiGraph(**_graph_table(net))
    table = _node_table(net)
    g.add_nodes_from((i, {k: v[i] for k, v in table.items()}) for i in range(net.n_nodes))
    etable = _edge_table(net)
    names = list(etable)
    columns = list(zip(*etable.values(), strict=False))
    g.add_edges_from(
        (int(t), int(h), e, dict(zip(names, columns[e], strict=False))) for e, (t, h) in enumerate(net.edges.tolist())
    )
    return g


def from_networkx(g) -> Network:
    """Rebuild a :class:`Network` from a graph made by :func:`to_networkx` (edges ordered by key).

    Parameters
    ----------
    g : networkx.MultiGraph
        A graph made by :func:`to_networkx` (possibly with extra attributes, which are ignored).

    Returns
    -------
    Network
        The network ``g`` was made from: ``from_networkx(to_networkx(net))`` equals ``net`` array by array.

    Raises
    ------
    InvalidInputError
        If ``g`` lacks nanograph's attributes (it was not made by :func:`to_networkx`); build such a network
        with :meth:`Network.from_edges`.

    Examples
    --------
    >>> import networkx as nx
    >>> from_networkx(nx.path_graph(3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nanograph.errors.InvalidInputError: graph lacks the nanograph attribute 'x'; ... Network.from_edges(...)
    """
    try:
        nodes_sorted = sorted(g.nodes(data=True))
        nodes = {key: [d[key] for _, d in nodes_sorted] for key in ("x", "y", "stick", "kind")}
        edge_list = sorted(g.edges(keys=True, data=True), key=lambda item: item[2])
        pairs = np.array([(u, v) for u, v, _, _ in edge_list], dtype=np.int64).reshape(-1, 2)
        keys = ("kind", "conductance", "length", "stick_i", "stick_j", "shift", "tail")
        edges = {key: [d[key] for _, _, _, d in edge_list] for key in keys}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise _not_ours(exc) from None
    return _from_tables(dict(g.graph), nodes, pairs, edges)
