"""Matplotlib drawings of stick networks. Functions take ``ax=`` and return the Axes; never ``show()``.

Every drawing has the same layers: all sticks in light grey (rasterized inside vector files when there are
more than :data:`~nanograph.plotting.style.RASTER_ABOVE`), what is shown on top of them (currents, the graph
form, roles) as vector lines, the bus bars as filled pads in their own colour, axes in ``⟨l⟩`` or µm.
"""

from __future__ import annotations

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.linalg.solve import Solution
from nanograph.plotting.backend import require_matplotlib
from nanograph.plotting.style import BUS_BAR_COLOR, DENSE_COLOR, RASTER_ABOVE, current_label, label_box_axes

__all__ = ["draw_network", "draw_box", "draw_sticks_layer", "edge_lines", "CURRENT_QUANTILE", "FORM_COLORS",
           "MAX_CURRENT_PIECES"]  # fmt: skip

#: Largest number of current-carrying pieces all drawn; beyond it only those above the
#: :data:`CURRENT_QUANTILE` of current are drawn over the grey layer, so that the current paths stand out
#: (a 30 000-stick film drawn whole is a uniform mat of colour).
MAX_CURRENT_PIECES = 4000

#: Quantile of current above which the pieces of a large network are drawn (0.85: the strongest 15%).
CURRENT_QUANTILE = 0.85

#: Colour of each edge kind in ``color_by="form"`` drawings.
FORM_COLORS = {EdgeKind.JUNCTION: "tab:blue", EdgeKind.SEGMENT: "tab:orange", EdgeKind.ELECTRODE: "tab:green",
               EdgeKind.CLOSURE: "tab:purple"}  # fmt: skip


def _stick_current(solution: Solution, n_sticks: int) -> np.ndarray:
    """Largest current magnitude carried anywhere along each stick (A)."""
    net = solution.network
    current = np.zeros(n_sticks)
    mag = np.abs(solution.currents)
    for column in (0, 1):
        stick = net.edge_stick[:, column]
        ok = stick >= 0
        if net.form == "wire-node":
            np.add.at(current, stick[ok], 0.5 * mag[ok])
        else:
            seg = ok & (net.edge_kind == EdgeKind.SEGMENT)
            np.maximum.at(current, stick[seg], mag[seg])
    return current


def edge_lines(network: Network) -> np.ndarray:
    """The straight line of every edge, ``(E, 2, 2)`` in box coordinates.

    A periodic edge runs to its head's image (``edge_shift``); an edge to a bus bar ends on the bar, level
    with its other end (an electrode node stands for the whole bar).
    """
    p, e = network.node_position, network.edges
    a = p[e[:, 0]].copy()
    b = p[e[:, 1]] + network.edge_shift * np.asarray(network.box)
    kind = network.node_kind
    a_bar, b_bar = kind[e[:, 0]] == NodeKind.ELECTRODE, kind[e[:, 1]] == NodeKind.ELECTRODE
    a[a_bar, 1] = b[a_bar, 1]
    b[b_bar, 1] = a[b_bar, 1]
    return np.stack([a, b], axis=1)


def _line_width(n_sticks: int) -> float:
    """Width (points) of one stick: thinner as there are more of them."""
    return float(np.clip(30 / np.sqrt(max(n_sticks, 1)), 0.15, 1.5))


def _new_axes(box: tuple[float, float]):
    Figure, _, _ = require_matplotlib()
    return Figure(figsize=(6.4, 5.6 * box[1] / box[0]), dpi=150).subplots()


def draw_sticks_layer(ax, sticks: Sticks, *, color=DENSE_COLOR, lw: float | None = None):
    """All sticks as one light line collection, rasterized when there are more than ``RASTER_ABOVE``."""
    _, LineCollection, _ = require_matplotlib()
    lw = _line_width(len(sticks)) if lw is None else lw
    layer = LineCollection(sticks.endpoints.reshape(-1, 2, 2), colors=color, linewidths=lw, zorder=1,
                           rasterized=len(sticks) > RASTER_ABOVE)  # fmt: skip
    ax.add_collection(layer)
    return layer


def _current_pieces(solution: Solution, sticks: Sticks) -> tuple[np.ndarray, np.ndarray]:
    """Line pieces ``(K, 2, 2)`` and their current magnitudes (A): sticks (wire-node) or wire segments."""
    net = solution.network
    if net.form == "wire-node":
        return sticks.endpoints.reshape(-1, 2, 2), _stick_current(solution, len(sticks))
    seg = np.flatnonzero(net.edge_kind == EdgeKind.SEGMENT)
    return edge_lines(net)[seg], np.abs(solution.currents[seg])


def _draw_currents(ax, solution: Solution, sticks: Sticks, cmap: str, lw: float):
    """Current-carrying pieces coloured by current (log scale); only the top quantile when there are many."""
    _, LineCollection, LogNorm = require_matplotlib()
    segments, values = _current_pieces(solution, sticks)
    top = values.max(initial=0.0)
    carrying = np.flatnonzero(values > 1e-9 * top)  # below this, round-off in current-free parts
    if len(carrying) == 0:
        return None
    vmin = max(values[carrying].min(), 1e-4 * top)
    shown, title = carrying, None
    if len(carrying) > MAX_CURRENT_PIECES:
        order = carrying[np.argsort(values[carrying])]
        shown = order[int(CURRENT_QUANTILE * len(order)) :]
        vmin = values[shown[0]]
        title = f"strongest {100 * len(shown) / len(carrying):.2g}% of currents"
    order = shown[np.argsort(values[shown])]  # strongest drawn last, on top
    rank = np.linspace(0.0, 1.0, len(order))
    widths = (1.0 + rank) * lw * (1.2 if title is None else 2.0)
    # Vector even when there are many: what is shown stays sharp (only the grey layer is rasterized).
    lines = LineCollection(segments[order], array=values[order], cmap=cmap, linewidths=widths, zorder=2,
                           norm=LogNorm(vmin=vmin, vmax=top, clip=True))  # fmt: skip
    ax.add_collection(lines)
    bar = ax.figure.colorbar(lines, ax=ax, shrink=0.8, label=current_label(solution.voltage))
    if title is not None:
        bar.ax.set_title(title, fontsize="small", loc="left")
    return lines


def _draw_form(ax, network: Network, lw: float):
    """The graph: its edges by kind (junction, wire segment, electrode, closure) and its nodes as dots."""
    _, LineCollection, _ = require_matplotlib()
    lines = edge_lines(network)
    for kind, color in FORM_COLORS.items():
        sel = network.edge_kind == kind
        if sel.any():
            style = "--" if kind == EdgeKind.CLOSURE else "-"
            ax.add_collection(LineCollection(lines[sel], colors=color, linewidths=1.3 * lw, linestyles=style,
                                             zorder=2, rasterized=int(sel.sum()) > RASTER_ABOVE,
                                             label=f"{kind.name.lower()} edges ({int(sel.sum())})"))  # fmt: skip
    inner = network.node_kind != NodeKind.ELECTRODE
    pos = network.node_position[inner]
    ax.scatter(pos[:, 0], pos[:, 1], s=max(4 * lw, 0.5), color="k", zorder=3, linewidths=0,
               rasterized=len(pos) > RASTER_ABOVE, label=f"{network.form} nodes ({len(pos)})")  # fmt: skip


def draw_box(ax, sticks: Sticks):
    """The box outline, the bus bars as filled pads (open x only), limits, equal aspect and labelled axes."""
    from matplotlib.patches import Rectangle

    lx, ly = sticks.box
    ax.plot([0, lx, lx, 0, 0], [0, 0, ly, ly, 0], color="0.3", lw=0.8, ls="--", zorder=4)
    if not sticks.periodic[0]:
        w = 0.012 * max(lx, ly)
        for x0, label in ((-w, "bus bar"), (lx, None)):
            ax.add_patch(Rectangle((x0, 0), w, ly, facecolor=BUS_BAR_COLOR, edgecolor="none", zorder=5, label=label))
    pad = 0.5 * float(sticks.lengths.max(initial=0.0)) + 0.02 * max(lx, ly)
    ax.set_xlim(-pad, lx + pad)
    ax.set_ylim(-pad, ly + pad)
    ax.set_aspect("equal")
    label_box_axes(ax, sticks)
    return ax


def draw_network(
    sticks: Sticks,
    solution: Solution | None = None,
    *,
    network: Network | None = None,
    color_by: str = "current",
    ax=None,
    cmap: str = "viridis",
):
    """Draw sticks in their box with the bus bars, coloured by current or showing the graph form.

    Parameters
    ----------
    sticks : Sticks
        The sticks to draw (box units; axes are labelled in ``⟨l⟩``, or µm when ``sticks.info["unit_m"]``
        is set).
    solution : Solution, optional
        Needed for ``color_by="current"``: each stick (wire-node) or wire segment (junction-node) is
        coloured by its current magnitude on a logarithmic scale, over all sticks in light grey. With more
        than :data:`MAX_CURRENT_PIECES` carrying pieces only those above the :data:`CURRENT_QUANTILE` are
        drawn (the colour bar's title says so), so that the current paths of a large film stand out.
    network : Network, optional
        For ``color_by="form"``: the graph's edges coloured by kind (:data:`FORM_COLORS`; junction edges of
        the junction-node form have zero length) and its nodes as dots (stick centres for wire-node,
        contact points for junction-node) over grey sticks. Defaults to ``solution.network``.
    color_by : {"current", "form", "none"}
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    cmap : str
        Colour map of the currents.

    Returns
    -------
    matplotlib.axes.Axes
        Save its figure with :func:`nanograph.plotting.style.save_figure` (PNG, or PDF/SVG by the suffix).
    """
    if color_by not in ("current", "form", "none"):
        raise InvalidInputError(f"color_by must be 'current', 'form' or 'none', got {color_by!r}")
    if color_by == "current" and solution is None:
        raise InvalidInputError("color_by='current' needs a solution (solve_network result)")
    network = network if network is not None else (solution.network if solution is not None else None)
    if color_by == "form" and network is None:
        raise InvalidInputError("color_by='form' needs a network or a solution")
    ax = _new_axes(sticks.box) if ax is None else ax
    lw = _line_width(len(sticks))
    draw_sticks_layer(ax, sticks, lw=lw)
    if color_by == "current":
        _draw_currents(ax, solution, sticks, cmap, lw)
    elif color_by == "form":
        _draw_form(ax, network, lw)
    draw_box(ax, sticks)
    if color_by == "form":
        ax.legend(loc="upper right", fontsize="small")
    return ax
