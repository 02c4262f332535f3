"""Write a :class:`~nanograph.graphs.network.Network` in open formats: GraphML, GEXF, GML, CSV, Parquet, VTK.

Every format carries the node and edge attributes of :mod:`nanograph.graphs.convert` (kind, conductance,
length, positions, stick ids, the ``electrode`` flag, and ``potential`` / ``current`` when a
:class:`~nanograph.linalg.solve.Solution` is given), for the tools users already have:

=========== ========================== ==============================================================
format      file(s)                    read with
=========== ========================== ==============================================================
``graphml`` ``net.graphml``            networkx ``read_graphml(path, force_multigraph=True)``, igraph,
                                       Cytoscape, Gephi
``gexf``    ``net.gexf``               Gephi (node positions as ``viz`` positions), networkx ``read_gexf``
``gml``     ``net.gml``                networkx ``read_gml``, igraph, Cytoscape
``csv``     ``net.nodes.csv``,         pandas, spreadsheets
            ``net.edges.csv``
``parquet`` ``net.nodes.parquet``,     pandas / pyarrow / polars (needs ``nanograph[parquet]``)
            ``net.edges.parquet``
``vtp``     ``net.vtp``                ParaView, VTK: PolyData, one line per edge
=========== ========================== ==============================================================

All are multigraphs: parallel edges stay separate edges. GraphML and GML keep the graph attributes too, so
``from_networkx(networkx.read_graphml(path, force_multigraph=True))`` gives the network back.
"""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np

from nanograph.choices import EXPORT_FORMATS
from nanograph.errors import BackendUnavailableError, InvalidInputError
from nanograph.graphs.convert import _check_solution, edge_table, node_table, to_networkx
from nanograph.graphs.network import Network, NodeKind

__all__ = ["EXPORT_FORMATS", "export_network", "network_frames", "write_vtp"]


def _format_of(path: Path, format: str | None) -> str:
    if format is not None:
        if format not in EXPORT_FORMATS:
            raise InvalidInputError(f"format must be one of {', '.join(EXPORT_FORMATS)}, got {format!r}")
        return format
    for name, suffixes in EXPORT_FORMATS.items():
        if path.suffix.lower() in suffixes:
            return name
    known = ", ".join(s for suffixes in EXPORT_FORMATS.values() for s in suffixes)
    raise InvalidInputError(
        f"format: cannot tell it from the file name {str(path)!r}; end it with one of {known}, or give format"
    )


def export_network(net: Network, path: str | Path, format: str | None = None, *, solution=None) -> list[Path]:
    """Write ``net`` (and its ``solution``) to ``path`` in an open format.

    Parameters
    ----------
    net : Network
        Any network, either graph form.
    path : str or Path
        The file to write. For ``csv`` and ``parquet`` two files are written beside it, ``<stem>.nodes.<ext>``
        and ``<stem>.edges.<ext>``.
    format : {"graphml", "gexf", "gml", "csv", "parquet", "vtp"}, optional
        Default: from the suffix of ``path`` (see :data:`EXPORT_FORMATS`).
    solution : Solution, optional
        :func:`~nanograph.linalg.solve.solve_network` of ``net``: adds node ``potential`` (V) and edge
        ``current`` (A, from ``tail`` to ``head``).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InvalidInputError
        An unknown ``format``, or a suffix that names none; a ``solution`` of another network.
    BackendUnavailableError
        networkx (graph formats), pandas (tables) or pyarrow (Parquet) is missing.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> from nanograph.graphs.network import Network, NodeKind
    >>> net = Network.from_edges(3, [[0, 1], [1, 2], [1, 2]], 1.0, electrodes=(0, 2))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "net.graphml"
    >>> [p.name for p in export_network(net, path)]
    ['net.graphml']
    >>> g = nx.read_graphml(path, force_multigraph=True)
    >>> g.number_of_nodes(), g.number_of_edges(), g.nodes["0"]["electrode"]
    (3, 3, True)
    """
    path = Path(path)
    format = _format_of(path, format)
    _check_solution(net, solution)
    if format == "vtp":
        return [write_vtp(net, path, solution=solution)]
    if format in ("csv", "parquet"):
        return _write_tables(net, path, format, solution)
    return [_write_graph(net, path, format, solution)]


def _write_graph(net: Network, path: Path, format: str, solution) -> Path:
    g = to_networkx(net, solution)  # raises BackendUnavailableError, naming the package, without networkx
    import networkx as nx

    if format == "graphml":
        nx.write_graphml(g, path)
    elif format == "gml":
        nx.write_gml(g, path)
    else:  # GEXF: Gephi lays the nodes out at their viz positions
        for _, data in g.nodes(data=True):
            data["viz"] = {"position": {"x": data["x"], "y": data["y"], "z": 0.0}}
        nx.write_gexf(g, path)
    return path


def network_frames(net: Network, solution=None):
    """The node and edge tables of ``net`` as two pandas DataFrames.

    Parameters
    ----------
    net : Network
        Any network.
    solution : Solution, optional
        Adds the columns ``potential`` (V) to the nodes and ``current`` (A, tail to head) to the edges.

    Returns
    -------
    nodes : pandas.DataFrame
        One row per node: ``node_id``, ``x``, ``y``, ``stick``, ``kind``, ``electrode`` (and ``potential``).
    edges : pandas.DataFrame
        One row per edge, parallel edges included: ``edge_id``, ``tail``, ``head``, ``kind``,
        ``conductance`` (S), ``length``, ``stick_i``, ``stick_j``, ``shift_x``, ``shift_y`` (and ``current``).

    Raises
    ------
    BackendUnavailableError
        If pandas is not installed.
    InvalidInputError
        If ``solution`` does not belong to ``net``.

    Examples
    --------
    >>> from nanograph.graphs.network import Network, NodeKind
    >>> nodes, edges = network_frames(Network.from_edges(2, [[0, 1], [0, 1]], [1.0, 2.0]))
    >>> len(nodes), edges["conductance"].sum()
    (2, np.float64(3.0))
    """
    try:
        import pandas as pd
    except ImportError:
        raise BackendUnavailableError("network_frames needs pandas: pip install pandas") from None
    return pd.DataFrame(node_table(net, solution)), pd.DataFrame(edge_table(net, solution))


def _write_tables(net: Network, path: Path, format: str, solution) -> list[Path]:
    nodes, edges = network_frames(net, solution)
    stem = path.with_suffix("") if path.suffix.lower() in EXPORT_FORMATS[format] else path
    suffix = path.suffix if path.suffix.lower() in EXPORT_FORMATS[format] else f".{format}"
    out = [stem.with_name(f"{stem.name}.nodes{suffix}"), stem.with_name(f"{stem.name}.edges{suffix}")]
    if format == "csv":
        nodes.to_csv(out[0], index=False)
        edges.to_csv(out[1], index=False)
        return out
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise BackendUnavailableError("Parquet needs pyarrow: pip install 'nanograph[parquet]'") from None
    nodes.to_parquet(out[0], index=False)
    edges.to_parquet(out[1], index=False)
    return out


_VTK_TYPES = {"f": "Float64", "i": "Int64", "u": "UInt8", "b": "UInt8"}


def _data_array(name: str | None, values: np.ndarray, components: int = 1) -> str:
    """One VTK XML ``DataArray`` in inline binary: base64 of a UInt64 byte count, then base64 of the data."""
    kind = values.dtype.kind
    values = np.ascontiguousarray(values, dtype={"f": "<f8", "i": "<i8", "u": "u1", "b": "u1"}[kind])
    raw = values.tobytes()
    text = base64.b64encode(np.uint64(len(raw)).tobytes()).decode() + base64.b64encode(raw).decode()
    label = f' Name="{name}"' if name else ""
    return (f'<DataArray type="{_VTK_TYPES[kind]}"{label} NumberOfComponents="{components}" format="binary">'
            f"{text}</DataArray>")  # fmt: skip


def _vtk_geometry(net: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points (node positions, then one image point per periodically shifted edge), their nodes, and lines."""
    tail, head = net.edges[:, 0], net.edges[:, 1].copy()
    shifted = np.flatnonzero(np.any(net.edge_shift != 0, axis=1))
    image = net.node_position[head[shifted]] + net.edge_shift[shifted] * np.asarray(net.box)
    points = np.vstack([net.node_position, image]).reshape(-1, 2)
    point_node = np.concatenate([np.arange(net.n_nodes), head[shifted]])
    head[shifted] = net.n_nodes + np.arange(len(shifted))
    lines = np.column_stack([tail, head]).ravel()
    return np.column_stack([points, np.zeros(len(points))]), point_node, lines


def write_vtp(net: Network, path: str | Path, *, solution=None) -> Path:
    """Write ``net`` as VTK PolyData (``.vtp``, XML, inline binary) for ParaView: one line per edge.

    Points are the node positions (box units, ``z = 0``); an edge across a periodic boundary ends at the image
    of its head (``position + shift * box``), which is an extra point, so no line crosses the box.

    Parameters
    ----------
    net : Network
        Any network.
    path : str or Path
        The ``.vtp`` file to write.
    solution : Solution, optional
        Adds the point array ``potential`` (V) and the cell arrays ``current`` (A, tail to head) and
        ``abs_current`` (A).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InvalidInputError
        If ``solution`` does not belong to ``net``.

    Notes
    -----
    Point arrays: ``node_id``, ``kind`` (:class:`~nanograph.graphs.network.NodeKind` code: 0 wire,
    1 contact, 2 electrode), ``stick``, ``electrode`` (0/1), ``potential``. Cell (line) arrays: ``edge_id``,
    ``kind`` (:class:`~nanograph.graphs.network.EdgeKind` code: 0 junction, 1 segment, 2 electrode,
    3 closure), ``conductance`` (S), ``length``, ``stick_i``, ``stick_j``, ``current``, ``abs_current``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from nanograph.graphs.network import Network, NodeKind
    >>> path = write_vtp(Network.from_edges(3, [[0, 1], [1, 2]], 1.0), pathlib.Path(tempfile.mkdtemp()) / "n.vtp")
    >>> path.read_text().count("<DataArray")
    13
    """
    _check_solution(net, solution)
    points, node, lines = _vtk_geometry(net)
    point_data = {"node_id": node, "kind": net.node_kind[node].astype(np.int64), "stick": net.node_stick[node],
                  "electrode": net.node_kind[node] == NodeKind.ELECTRODE}  # fmt: skip
    cell_data = {"edge_id": np.arange(net.n_edges), "kind": net.edge_kind.astype(np.int64),
                 "conductance": net.edge_conductance, "length": net.edge_length,
                 "stick_i": net.edge_stick[:, 0], "stick_j": net.edge_stick[:, 1]}  # fmt: skip
    if solution is not None:
        point_data["potential"] = np.asarray(solution.potentials, dtype=float)[node]
        cell_data["current"] = np.asarray(solution.currents, dtype=float)
        cell_data["abs_current"] = np.abs(cell_data["current"])
    scalars = ("potential", "current") if solution is not None else ("kind", "conductance")
    body = [
        '<?xml version="1.0"?>',
        '<VTKFile type="PolyData" version="1.0" byte_order="LittleEndian" header_type="UInt64">',
        "<PolyData>",
        f'<Piece NumberOfPoints="{len(points)}" NumberOfVerts="0" NumberOfLines="{net.n_edges}" '
        'NumberOfStrips="0" NumberOfPolys="0">',
        f'<PointData Scalars="{scalars[0]}">',
        *(_data_array(name, np.asarray(v)) for name, v in point_data.items()),
        "</PointData>",
        f'<CellData Scalars="{scalars[1]}">',
        *(_data_array(name, np.asarray(v)) for name, v in cell_data.items()),
        "</CellData>",
        "<Points>",
        _data_array("Points", points, 3),
        "</Points>",
        "<Lines>",
        _data_array("connectivity", lines.astype(np.int64)),
        _data_array("offsets", 2 * np.arange(1, net.n_edges + 1, dtype=np.int64)),
        "</Lines>",
        "</Piece>",
        "</PolyData>",
        "</VTKFile>",
    ]
    path = Path(path)
    path.write_text("\n".join(body) + "\n")
    return path
