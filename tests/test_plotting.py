"""Figures: axes in ⟨l⟩ or µm, physical colour-bar names, bus-bar colour, the graph form, vector files, scale."""

import re
import time

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.colors import same_color  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from nanograph.analysis.backbone import Role, find_backbone  # noqa: E402
from nanograph.errors import InvalidInputError  # noqa: E402
from nanograph.geometry.sticks import Sticks, generate_sticks  # noqa: E402
from nanograph.graphs.builders import build_network  # noqa: E402
from nanograph.graphs.network import EdgeKind  # noqa: E402
from nanograph.linalg.solve import solve_network  # noqa: E402
from nanograph.plotting import draw  # noqa: E402
from nanograph.plotting.backbone import ROLE_COLORS, draw_backbone  # noqa: E402
from nanograph.plotting.style import (  # noqa: E402
    BUS_BAR_COLOR,
    RASTER_ABOVE,
    current_label,
    label_box_axes,
    length_unit,
    save_figure,
    styled,
)


@pytest.fixture(scope="module")
def small():
    sticks = generate_sticks(7.0, box=5.0, rng=3)
    network = build_network(sticks, "junction-node", rw=1.0, rj=10.0, re=0.0)
    return sticks, network, solve_network(network)


def _bus_bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_facecolor()[3] > 0]


def _colorbar_labels(ax):
    return [other.get_ylabel() for other in ax.figure.axes if other is not ax]


def _pdf_images(data: bytes) -> int:
    return len(re.findall(rb"/Subtype\s*/Image", data))


def test_one_stick_edge_lines_end_on_the_bars_level_with_the_stick():
    # One horizontal stick across a unit box touches both bars: wire-node, two electrode edges at y = 0.3
    # from the stick's node at its centre (0.5, 0.3) to the bars at x = 0 and x = 1.
    sticks = Sticks(np.array([[-0.1, 0.3, 1.1, 0.3]]), (1.0, 1.0), (False, False))
    net = build_network(sticks, "wire-node", rw=1.0, rj=1.0, re=2.0)
    lines = draw.edge_lines(net)
    assert lines.shape == (net.n_edges, 2, 2)
    assert np.allclose(lines[:, :, 1], 0.3)
    assert sorted(np.round(lines[:, :, 0].ravel(), 12)) == [0.0, 0.5, 0.5, 1.0]


def test_length_unit_of_sticks_with_and_without_a_unit():
    assert length_unit(mean_length=1.0) == ("⟨l⟩", 1.0)
    assert length_unit(mean_length=0.25) == ("⟨l⟩", 4.0)
    assert length_unit(unit_m=5e-6, mean_length=1.0) == ("µm", pytest.approx(5.0))
    assert length_unit() == ("box units", 1.0)


def test_axes_labelled_in_mean_lengths(small):
    sticks, _, solution = small
    ax = draw.draw_network(sticks, solution)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x (⟨l⟩)", "y (⟨l⟩)")


def test_axes_in_micrometres_with_round_ticks_when_the_sticks_carry_a_unit(small):
    sticks, _, _ = small
    with_unit = Sticks(sticks.endpoints, sticks.box, sticks.periodic, {"unit_m": 7e-6})
    ax = draw.draw_network(with_unit, color_by="none")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x (µm)", "y (µm)")
    ax.figure.canvas.draw()
    ticks = ax.get_xticks() * 7.0  # µm
    assert len(ticks) >= 3 and np.allclose(ticks, np.round(ticks))
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[1] == f"{ticks[1]:.6g}"


def test_current_colorbar_is_named_with_the_applied_voltage(small):
    sticks, network, _ = small
    ax = draw.draw_network(sticks, solve_network(network, voltage=2.5))
    assert _colorbar_labels(ax) == ["current (A) at 2.5 V"]
    assert current_label(1.0) == "current (A) at 1 V"


def test_bus_bars_have_their_own_colour_distinct_from_the_backbone(small):
    sticks, network, _ = small
    ax = draw_backbone(find_backbone(network, sticks), sticks)
    bars = _bus_bars(ax)
    assert len(bars) == 2 and all(same_color(b.get_facecolor(), BUS_BAR_COLOR) for b in bars)
    assert not same_color(BUS_BAR_COLOR, ROLE_COLORS[Role.BACKBONE])
    labels = ax.get_legend_handles_labels()[1]
    assert "bus bar" in labels and any(label.startswith("backbone (") for label in labels)


def test_no_bus_bars_along_a_periodic_x():
    sticks = generate_sticks(6.0, box=4.0, periodic=(True, False), rng=1)
    ax = draw.draw_network(sticks, color_by="none")
    assert _bus_bars(ax) == []


@pytest.mark.parametrize("form", ["wire-node", "junction-node"])
def test_color_by_form_draws_every_edge_by_kind_and_every_node(small, form):
    sticks = small[0]
    net = build_network(sticks, form, rw=1.0, rj=10.0, re=5.0)
    ax = draw.draw_network(sticks, network=net, color_by="form")
    drawn = {}
    for c in ax.collections:
        if isinstance(c, LineCollection) and c.get_label().endswith(f" edges ({len(c.get_segments())})"):
            drawn[c.get_label().split()[0]] = len(c.get_segments())
    counts = np.bincount(net.edge_kind, minlength=4)
    expected = {k.name.lower(): int(counts[k]) for k in EdgeKind if counts[k]}
    assert drawn == expected and sum(drawn.values()) == net.n_edges
    assert (form == "junction-node") == ("segment" in drawn)
    nodes = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(nodes) == 1 and len(nodes[0].get_offsets()) == int((net.node_kind != 2).sum())


def test_bad_color_by_is_refused_naming_the_parameter(small):
    with pytest.raises(InvalidInputError, match="color_by"):
        draw.draw_network(small[0], color_by="colour")
    with pytest.raises(InvalidInputError, match="color_by='current' needs a solution"):
        draw.draw_network(small[0])


@pytest.mark.parametrize("suffix", [".pdf", ".svg", ".png"])
def test_vector_and_raster_files_by_suffix_with_provenance(small, tmp_path, suffix):
    sticks, _, solution = small
    with styled():
        ax = draw.draw_network(sticks, solution)
        path = save_figure(ax.figure, tmp_path / f"net{suffix}", {"seed": 3}, dpi=60)
    data = path.read_bytes()
    magic = {".pdf": b"%PDF", ".svg": b"<?xml", ".png": b"\x89PNG"}[suffix]
    assert data.startswith(magic)
    # Small networks stay vector: the one image is the colour bar's gradient (matplotlib rasterizes it).
    if suffix == ".svg":
        assert b"<svg" in data and b"nanograph" in data and data.count(b"<image") == 1
    if suffix == ".pdf":
        assert b"nanograph" in data and _pdf_images(data) == 1


def test_small_layers_stay_vector(small):
    sticks, _, solution = small
    ax = draw.draw_network(sticks, solution)
    assert len(sticks) <= RASTER_ABOVE
    assert not any(c.get_rasterized() for c in ax.collections)


def test_label_box_axes_without_sticks_says_box_units():
    from matplotlib.figure import Figure

    ax = label_box_axes(Figure().subplots())
    assert ax.get_xlabel() == "x (box units)"


def test_30k_sticks_drawing_is_rasterized_underneath_and_shows_the_strongest_currents(tmp_path):
    sticks = generate_sticks(8.0, box=float(np.sqrt(30_000 / 8.0)), rng=5)
    solution = solve_network(build_network(sticks, "junction-node", rw=1.0, rj=10.0, re=0.0))
    start = time.perf_counter()
    ax = draw.draw_network(sticks, solution)
    pdf = save_figure(ax.figure, tmp_path / "big.pdf", {}, dpi=50)
    elapsed = time.perf_counter() - start
    assert elapsed < 60.0, elapsed  # ~6 s on one busy core
    layer, currents = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(layer.get_segments()) == len(sticks) and layer.get_rasterized()
    n_seg = int((solution.network.edge_kind == EdgeKind.SEGMENT).sum())
    shown = len(currents.get_segments())
    assert draw.MAX_CURRENT_PIECES < shown <= (1 - draw.CURRENT_QUANTILE) * n_seg + 1
    assert np.all(np.diff(currents.get_array()) >= 0)  # strongest drawn last, on top
    bar = [a for a in ax.figure.axes if a is not ax][0]
    assert bar.get_ylabel() == "current (A) at 1 V" and "strongest 15% of currents" == bar.get_title(loc="left")
    assert _pdf_images(pdf.read_bytes()) >= 2  # the grey layer (and its alpha mask) besides the colour bar
