"""Pictures of failure: the crack left by a fuse-model cascade."""

from __future__ import annotations

import numpy as np

from nanograph.plotting.backend import require_matplotlib

__all__ = ["draw_cascade"]


def draw_cascade(network, cascade, *, sticks=None, ax=None, cmap: str = "inferno"):
    """Draw the film (its sticks, or its wire segments) in grey and the failed edges coloured by failure order.

    Parameters
    ----------
    network : Network
        The network the cascade ran on.
    cascade : Cascade
        The result of :func:`~nanograph.analysis.failure.fuse_cascade`.
    sticks : Sticks, optional
        Sticks to draw as the background (default: the network's wire segments, or its edges).
    ax : matplotlib.axes.Axes, optional
        Axes to draw into; default a new figure's.
    cmap : str
        Colour map of the failure order.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from nanograph.analysis.currents import edge_geometry
    from nanograph.graphs.network import EdgeKind
    from nanograph.plotting.style import RASTER_ABOVE, label_box_axes

    figure, line_collection, _ = require_matplotlib()
    if ax is None:
        lx, ly = network.box
        ax = figure(figsize=(6.0, 6.0 * ly / lx)).add_subplot()
    if sticks is not None:
        lines = sticks.endpoints.reshape(-1, 2, 2)
    else:
        e = network.edges
        wires = network.edge_kind == EdgeKind.SEGMENT
        pick = wires if wires.any() else np.all(network.edge_shift == 0, axis=1)
        lines = network.node_position[e[pick]]
    ax.add_collection(line_collection(lines, colors="0.7", linewidths=0.5, rasterized=len(lines) > RASTER_ABOVE))
    xy = edge_geometry(network)[0][cascade.failed_edges]
    points = ax.scatter(xy[:, 0], xy[:, 1], c=np.arange(len(xy)), cmap=cmap, s=14, zorder=3)
    ax.figure.colorbar(points, ax=ax, label="failure order (0 = first edge to fail)")
    ax.set_xlim(0, network.box[0])
    ax.set_ylim(0, network.box[1])
    ax.set_aspect("equal")
    label_box_axes(ax, sticks)  # in ⟨l⟩ or µm with sticks; box units without
    state = "open" if cascade.opened else cascade.reason
    ax.set_title(f"fuse cascade: {len(xy)} failures ({state})")
    return ax
