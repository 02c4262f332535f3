"""Open formats out (nanograph.graphs.export) and the ``nanograph export`` command."""

import base64
import json
import xml.etree.ElementTree as ET

import igraph
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import random_sticks

from nanograph.cli import main
from nanograph.errors import InvalidInputError
from nanograph.geometry.io import save_sticks
from nanograph.geometry.sticks import Sticks, generate_sticks
from nanograph.graphs.builders import build_network, junction_node_network, wire_node_network
from nanograph.graphs.convert import from_networkx
from nanograph.graphs.export import export_network, network_frames, write_vtp
from nanograph.graphs.network import EdgeKind
from nanograph.linalg.solve import solve_network


@pytest.fixture
def solved():
    net = build_network(random_sticks(2, 60, (4.0, 3.0), periodic=(False, True)), "junction-node", rw=0.5, rj=2.0)
    return net, solve_network(net)


@pytest.mark.filterwarnings("ignore:One or more unknown entities")  # igraph's GML reader keeps &#34; in strings
def test_graph_formats_read_back_with_networkx_and_igraph(tmp_path, solved):
    net, solution = solved
    for suffix in ("graphml", "gexf", "gml"):
        (path,) = export_network(net, tmp_path / f"net.{suffix}", solution=solution)
        g = {"graphml": lambda p: nx.read_graphml(p, force_multigraph=True), "gexf": nx.read_gexf,
             "gml": nx.read_gml}[suffix](path)  # fmt: skip
        assert (g.number_of_nodes(), g.number_of_edges()) == (net.n_nodes, net.n_edges), suffix
        current = {int(d["edge_id"]): d["current"] for *_, d in g.edges(data=True)}
        np.testing.assert_allclose([current[e] for e in range(net.n_edges)], solution.currents, err_msg=suffix)
        bars = sorted(int(n) for n, bar in g.nodes(data="electrode") if bar)
        assert bars == net.electrodes.tolist(), suffix
    h = igraph.Graph.Read_GraphML(str(tmp_path / "net.graphml"))
    assert (h.vcount(), h.ecount()) == (net.n_nodes, net.n_edges)
    np.testing.assert_allclose(h.vs["potential"], solution.potentials)
    h = igraph.Graph.Read_GML(str(tmp_path / "net.gml"))  # edges listed by node
    assert (h.vcount(), h.ecount()) == (net.n_nodes, net.n_edges)
    order = np.argsort(h.es["edge_id"])
    np.testing.assert_allclose(np.asarray(h.es["conductance"])[order], net.edge_conductance)


def test_gexf_carries_positions_for_gephi(tmp_path):
    net = wire_node_network(Sticks([[0.2, 0.5, 1.8, 1.5], [1.0, 1.5, 2.6, 0.5]], box=2, periodic=True))
    g = nx.read_gexf(export_network(net, tmp_path / "net.gexf")[0])
    assert g.nodes["1"]["viz"]["position"] == {"x": 1.8, "y": 1.0, "z": 0.0}
    assert g.number_of_edges("0", "1") == 2  # the parallel junctions stay two edges


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_tables_hold_every_node_and_edge(tmp_path, solved, fmt):
    net, solution = solved
    nodes_path, edges_path = export_network(net, tmp_path / f"net.{fmt}", solution=solution)
    assert (nodes_path.name, edges_path.name) == (f"net.nodes.{fmt}", f"net.edges.{fmt}")
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    nodes, edges = read(nodes_path), read(edges_path)
    np.testing.assert_allclose(nodes[["x", "y"]].to_numpy(), net.node_position)
    np.testing.assert_array_equal(edges[["tail", "head"]].to_numpy(), net.edges)
    np.testing.assert_allclose(edges["conductance"], net.edge_conductance)
    np.testing.assert_allclose(edges["current"], solution.currents)
    assert nodes["electrode"].sum() == 2 and (edges["kind"] == "junction").sum() == net.edge_counts()["junction"]
    frame_nodes, frame_edges = network_frames(net)
    assert "potential" not in frame_nodes and len(frame_edges) == net.n_edges


def _vtk_arrays(path) -> dict:
    """Decode every DataArray of a .vtp written with inline binary and a UInt64 header."""
    root = ET.parse(path).getroot()
    assert root.get("type") == "PolyData" and root.get("header_type") == "UInt64"
    dtypes = {"Float64": "<f8", "Int64": "<i8", "UInt8": "u1"}
    out = {}
    for section in ("PointData", "CellData", "Points", "Lines"):
        for array in root.find(f"PolyData/Piece/{section}"):
            text = array.text
            nbytes = int(np.frombuffer(base64.b64decode(text[:12]), "<u8")[0])
            data = np.frombuffer(base64.b64decode(text[12:]), dtypes[array.get("type")])
            assert data.nbytes == nbytes
            out[f"{section}/{array.get('Name')}"] = data.reshape(-1, int(array.get("NumberOfComponents")))
    return out


def test_vtp_polydata_has_points_lines_and_arrays(tmp_path, solved):
    net, solution = solved
    arrays = _vtk_arrays(write_vtp(net, tmp_path / "net.vtp", solution=solution))
    piece = ET.parse(tmp_path / "net.vtp").getroot().find("PolyData/Piece")
    points = arrays["Points/Points"]
    node = arrays["PointData/node_id"].ravel()
    lines = arrays["Lines/connectivity"].reshape(-1, 2)
    assert int(piece.get("NumberOfLines")) == net.n_edges and int(piece.get("NumberOfPoints")) == len(points)
    np.testing.assert_array_equal(arrays["Lines/offsets"].ravel(), 2 * np.arange(1, net.n_edges + 1))
    np.testing.assert_array_equal(node[lines], net.edges)  # every line joins its edge's nodes (or an image)
    np.testing.assert_allclose(points[: net.n_nodes, :2], net.node_position)
    np.testing.assert_allclose(arrays["PointData/potential"].ravel(), solution.potentials[node])
    np.testing.assert_allclose(arrays["CellData/current"].ravel(), solution.currents)
    # periodic edges end at the image of their head: no line crosses the box (segments and junctions <= l = 1)
    inner = net.edge_kind != EdgeKind.ELECTRODE
    assert np.any(net.edge_shift[inner] != 0)
    length = np.linalg.norm(points[lines[:, 1]] - points[lines[:, 0]], axis=1)
    assert length[inner].max() <= 1.0 + 1e-12
    np.testing.assert_allclose(length[net.edge_kind == EdgeKind.SEGMENT], net.edge_length[net.edge_kind == 1])


def test_unknown_format_and_foreign_solution_are_refused(tmp_path, solved):
    net, solution = solved
    with pytest.raises(InvalidInputError, match="format must be one of"):
        export_network(net, tmp_path / "net.graphml", "pdf")
    with pytest.raises(InvalidInputError, match="format: cannot tell"):
        export_network(net, tmp_path / "net.txt")
    other = junction_node_network(generate_sticks(4.0, box=3, rng=0))
    with pytest.raises(InvalidInputError, match="solution"):
        export_network(other, tmp_path / "net.vtp", solution=solution)


def test_cli_export_graphml_has_as_many_nodes_and_edges_as_the_network(tmp_path, capsys):
    sticks = generate_sticks(6.0, box=8, rng=4)
    save_sticks(tmp_path / "sticks.npz", sticks)
    out = tmp_path / "net.graphml"
    args = ["export", str(tmp_path / "sticks.npz"), "--box", "8", "--form", "junction-node", "--format", "graphml"]
    assert main([*args, "-o", str(out), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    net = junction_node_network(sticks)
    g = nx.read_graphml(out)
    assert (g.number_of_nodes(), g.number_of_edges()) == (net.n_nodes, net.n_edges)
    assert record["n_edges"] == net.n_edges and record["nanograph_version"] and record["files"] == [str(out)]
    assert from_networkx(nx.read_graphml(out, force_multigraph=True)).n_edges == net.n_edges
    assert main(["export", str(tmp_path / "sticks.npz"), "-o", str(tmp_path / "w.vtp"), "--form", "wire-node",
                 "--solve", "--quiet"]) == 0  # fmt: skip
    assert capsys.readouterr().out == "" and (tmp_path / "w.vtp").exists()
    assert main(["export", str(tmp_path / "sticks.npz"), "-o", str(tmp_path / "net.txt")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
