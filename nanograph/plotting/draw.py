"""Matplotlib drawings of stick networks. Functions take ``ax=`` and return the Axes; never ``show()``."""

from __future__ import annotations

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.linalg.solve import Solution
from nanograph.plotting.backend import require_matplotlib

__all__ = ["draw_network"]


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
        The sticks to draw.
    solution : Solution, optional
        Needed for ``color_by="current"``: each stick (wire-node) or wire segment (junction-node) is
        coloured by its current magnitude on a logarithmic scale; sticks without current are grey.
    network : Network, optional
        For ``color_by="form"``: nodes are drawn as dots (stick centres for wire-node, contact points
        for junction-node) over grey sticks. Defaults to ``solution.network``.
    color_by : {"current", "form", "none"}
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Save its figure with ``ax.figure.savefig(path)``.
    """
    Figure, LineCollection, LogNorm = require_matplotlib()
    if ax is None:
        ax = Figure(figsize=(6.4, 5.6 * sticks.box[1] / sticks.box[0]), dpi=150).subplots()
    network = network if network is not None else (solution.network if solution is not None else None)
    e = sticks.endpoints
    lw = float(np.clip(30 / np.sqrt(max(len(sticks), 1)), 0.15, 1.5))
    grey = LineCollection(e.reshape(-1, 2, 2), colors="0.75", linewidths=lw)
    ax.add_collection(grey)
    if color_by == "current":
        if solution is None:
            raise InvalidInputError("color_by='current' needs a solution (solve_network result)")
        net = solution.network
        mag = np.abs(solution.currents)
        if net.form == "wire-node":
            values = _stick_current(solution, len(sticks))
            segments = e.reshape(-1, 2, 2)
        else:
            seg = np.flatnonzero(net.edge_kind == EdgeKind.SEGMENT)
            values = mag[seg]
            segments = net.node_position[net.edges[seg]]
        top = values.max(initial=0.0)
        carrying = values > 1e-9 * top  # below this, round-off in current-free parts
        if carrying.any():
            norm = LogNorm(vmin=max(values[carrying].min(), 1e-4 * top), vmax=top, clip=True)
            lines = LineCollection(
                segments[carrying], array=values[carrying], cmap=cmap, norm=norm, linewidths=1.6 * lw
            )
            ax.add_collection(lines)
            ax.figure.colorbar(lines, ax=ax, shrink=0.8, label="current magnitude (A at the applied voltage)")
    elif color_by == "form":
        if network is None:
            raise InvalidInputError("color_by='form' needs a network or a solution")
        inner = network.node_kind != NodeKind.ELECTRODE
        pos = network.node_position[inner]
        ax.scatter(pos[:, 0], pos[:, 1], s=max(4 * lw, 0.5), color="tab:blue", zorder=3, label=f"{network.form} nodes")
        ax.legend(loc="upper right", fontsize="small")
    elif color_by != "none":
        raise InvalidInputError(f"color_by must be 'current', 'form' or 'none', got {color_by!r}")
    lx, ly = sticks.box
    ax.plot([0, lx, lx, 0, 0], [0, 0, ly, ly, 0], color="0.3", lw=0.8, ls="--")
    if not sticks.periodic[0]:
        ax.plot([0, 0], [0, ly], color="tab:red", lw=3, solid_capstyle="butt")
        ax.plot([lx, lx], [0, ly], color="tab:red", lw=3, solid_capstyle="butt")
    pad = 0.5 * float(sticks.lengths.max(initial=0.0)) + 0.02 * max(lx, ly)
    ax.set_xlim(-pad, lx + pad)
    ax.set_ylim(-pad, ly + pad)
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return ax
