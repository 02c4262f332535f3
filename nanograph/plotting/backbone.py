"""Drawings of the backbone, the dead ends and the isolated clusters. Functions take ``ax=``, return the Axes."""

from __future__ import annotations

import numpy as np

from nanograph.analysis.backbone import Backbone, Role
from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks
from nanograph.graphs.network import EdgeKind
from nanograph.linalg.solve import Solution
from nanograph.plotting.backend import require_matplotlib
from nanograph.plotting.draw import draw_network
from nanograph.plotting.style import RASTER_ABOVE

__all__ = ["draw_backbone", "ROLE_COLORS"]

#: Colour of each role: backbone, dead end, isolated (the bus bars have their own, ``style.BUS_BAR_COLOR``).
ROLE_COLORS = {Role.BACKBONE: "tab:red", Role.DEAD_END: "tab:blue", Role.ISOLATED: "0.7"}


def _role_pieces(backbone: Backbone, sticks: Sticks) -> tuple[np.ndarray, np.ndarray]:
    """Line pieces ``(K, 2, 2)`` and their roles: wire segments (junction-node) or whole sticks (wire-node)."""
    net = backbone.network
    if net.form != "junction-node":
        return sticks.endpoints.reshape(-1, 2, 2), backbone.stick_role
    seg = np.flatnonzero(net.edge_kind == EdgeKind.SEGMENT)
    pieces = [net.node_position[net.edges[seg]]]
    roles = [backbone.edge_role[seg]]
    # The dangling end pieces: from each stick's end to its first/last contact.
    ends = net.stick_end_nodes
    e = sticks.endpoints
    has = np.flatnonzero(ends[:, 0] >= 0)
    dangling = np.where(backbone.stick_role[has] == Role.ISOLATED, Role.ISOLATED, Role.DEAD_END)
    for column, start in ((0, e[has, :2]), (1, e[has, 2:])):
        pieces.append(np.stack([start, net.node_position[ends[has, column]]], axis=1))
        roles.append(dangling)
    lonely = np.flatnonzero(ends[:, 0] < 0)  # sticks without any contact
    pieces.append(e[lonely].reshape(-1, 2, 2))
    roles.append(np.full(len(lonely), Role.ISOLATED))
    return np.concatenate(pieces), np.concatenate(roles).astype(np.int8)


def draw_backbone(backbone: Backbone, sticks: Sticks, solution: Solution | None = None, *, color_by: str = "role",
                  ax=None, cmap: str = "inferno_r"):  # fmt: skip
    """Draw a network by role (backbone, dead ends, isolated) or the backbone by current magnitude.

    Parameters
    ----------
    backbone : Backbone
        From :func:`~nanograph.analysis.backbone.find_backbone`.
    sticks : Sticks
        The sticks of ``backbone.network``.
    solution : Solution, optional
        Needed for ``color_by="current"``: currents drawn by :func:`~nanograph.plotting.draw.draw_network`,
        dead ends overlaid in the dead-end colour.
    color_by : {"role", "current"}
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Axes in ``⟨l⟩`` or µm; layers of more than ``style.RASTER_ABOVE`` dead-end or isolated pieces are
        rasterized inside vector files, the backbone always stays vector.
    """
    Figure, LineCollection, _ = require_matplotlib()
    if ax is None:
        ax = Figure(figsize=(6.4, 5.6 * sticks.box[1] / sticks.box[0]), dpi=150).subplots()
    pieces, roles = _role_pieces(backbone, sticks)
    lw = float(np.clip(30 / np.sqrt(max(len(sticks), 1)), 0.15, 1.5))
    if color_by == "current":
        if solution is None:
            raise InvalidInputError("color_by='current' needs a solution (solve_network of backbone.network)")
        draw_network(sticks, solution, color_by="current", ax=ax, cmap=cmap)
        dead = pieces[roles == Role.DEAD_END]
        ax.add_collection(LineCollection(dead, colors=ROLE_COLORS[Role.DEAD_END], linewidths=lw, alpha=0.4,
                                         label="dead end", zorder=1.5, rasterized=len(dead) > RASTER_ABOVE))  # fmt: skip
        ax.legend(loc="upper right", fontsize="small")
        return ax
    if color_by != "role":
        raise InvalidInputError(f"color_by must be 'role' or 'current', got {color_by!r}")
    draw_network(sticks, network=backbone.network, color_by="none", ax=ax)
    fractions = backbone.length_fractions()  # NaN when find_backbone had no sticks (lengths unknown)
    for role in (Role.ISOLATED, Role.DEAD_END, Role.BACKBONE):
        sel = roles == role
        width = lw * (1.8 if role == Role.BACKBONE else 1.0)
        name, fraction = role.name.lower(), fractions[role.name.lower()]
        label = name.replace("_", " ") + (f" ({100 * fraction:.1f}% of wire)" if np.isfinite(fraction) else "")
        dense = role != Role.BACKBONE and int(sel.sum()) > RASTER_ABOVE  # the backbone stays vector
        ax.add_collection(LineCollection(pieces[sel], colors=ROLE_COLORS[role], linewidths=width, label=label,
                                         zorder=1.5 + (role == Role.BACKBONE), rasterized=dense))  # fmt: skip
    ax.legend(loc="upper right", fontsize="small")
    return ax
