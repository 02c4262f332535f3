"""One style for every nanograph figure, and figures saved with their provenance in the file's metadata.

:func:`save_figure` writes a figure (PNG, PDF, SVG, ...) with ``nanograph_version``, the parameters, their
units and the seed in the file itself (issue 13 §3): PNG ``tEXt`` chunks (``Software``, ``nanograph``), the
PDF ``Creator``/``Subject`` entries, the SVG ``Creator``/``Description``. :func:`read_png_metadata` reads them
back. :data:`STYLE` holds the matplotlib settings the drawings share (applied per figure, never globally).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from nanograph._version import __version__

__all__ = [
    "BUS_BAR_COLOR",
    "DEFAULT_DPI",
    "DENSE_COLOR",
    "POTENTIAL_LABEL",
    "RASTER_ABOVE",
    "STYLE",
    "current_label",
    "figure_metadata",
    "label_box_axes",
    "length_unit",
    "read_png_metadata",
    "save_figure",
    "styled",
]

#: Resolution of raster figures (dots per inch) unless ``dpi`` is given.
DEFAULT_DPI = 200

#: Shared matplotlib settings (a context for :func:`styled`; nothing is changed at import).
STYLE = {
    "font.size": 9.0,
    "axes.labelsize": 9.0,
    "axes.titlesize": 9.5,
    "legend.fontsize": 8.0,
    "xtick.direction": "out",
    "ytick.direction": "out",
    "savefig.bbox": "tight",
}

#: Colour of the bus bars (metal pads): distinct from the backbone red, the dead-end blue and the colour maps.
BUS_BAR_COLOR = "#8c6d1f"

#: Colour of the layer of all sticks under what a drawing shows (currents, graph form, roles).
DENSE_COLOR = "0.8"

#: Above this many line pieces a layer is rasterized (``rasterized=True``) inside vector files (PDF, SVG):
#: thousands of hair-thin vector lines make large, slow files that show nothing more than an image would.
RASTER_ABOVE = 3000

#: Colour-bar name of electric potentials.
POTENTIAL_LABEL = "potential (V)"


def styled():
    """A context manager applying :data:`STYLE` (``matplotlib.rc_context``) for the figures made inside it."""
    from matplotlib import rc_context

    return rc_context(STYLE)


def current_label(voltage: float) -> str:
    """Colour-bar name of currents driven by ``voltage`` (V) between the bus bars: ``"current (A) at 1 V"``."""
    return f"current (A) at {voltage:g} V"


def length_unit(sticks=None, *, unit_m: float | None = None, mean_length: float | None = None) -> tuple[str, float]:
    """The unit axes are labelled in, and the factor turning box coordinates into it.

    Parameters
    ----------
    sticks : Sticks, optional
        Supplies ``unit_m`` (``sticks.info["unit_m"]``, metres per box unit) and the mean stick length.
    unit_m : float, optional
        Metres per box unit; when known, lengths are shown in micrometres.
    mean_length : float, optional
        Mean stick length ``⟨l⟩`` (box units); without a unit, lengths are shown in units of ``⟨l⟩``.

    Returns
    -------
    unit : str
        ``"µm"``, ``"⟨l⟩"``, or ``"box units"`` when neither a unit nor ``⟨l⟩`` is known.
    scale : float
        Multiply a box coordinate by ``scale`` to express it in ``unit``.

    Examples
    --------
    >>> length_unit(unit_m=2e-6)
    ('µm', 2.0)
    >>> length_unit(mean_length=0.5)
    ('⟨l⟩', 2.0)
    """
    if sticks is not None:
        unit_m = sticks.info.get("unit_m") if unit_m is None else unit_m
        if mean_length is None and len(sticks):
            mean_length = float(sticks.lengths.mean())
    if unit_m:
        return "µm", float(unit_m) * 1e6
    if mean_length:
        return "⟨l⟩", 1.0 / float(mean_length)
    return "box units", 1.0


def label_box_axes(ax, sticks=None, *, unit_m: float | None = None, mean_length: float | None = None):
    """Label ``ax`` as ``x (unit)``, ``y (unit)`` (see :func:`length_unit`), ticks placed in that unit.

    The data stay in box coordinates; only the tick positions and labels are scaled. Returns ``ax``.
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    unit, scale = length_unit(sticks, unit_m=unit_m, mean_length=mean_length)
    ax.set_xlabel(f"x ({unit})")
    ax.set_ylabel(f"y ({unit})")
    if scale != 1.0:
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(_scaled_locator_class()(MaxNLocator(steps=[1, 2, 2.5, 5, 10]), scale))
            axis.set_major_formatter(FuncFormatter(lambda v, _pos, s=scale: f"{v * s:.6g}"))
    return ax


@functools.cache
def _scaled_locator_class():
    from matplotlib.ticker import Locator

    class ScaledLocator(Locator):
        """Ticks at round values of ``scale * coordinate`` (a unit other than the data's)."""

        def __init__(self, base, scale: float):
            self.base, self.scale = base, scale

        def __call__(self):
            lo, hi = sorted(self.axis.get_view_interval())
            return self.tick_values(lo, hi)

        def tick_values(self, vmin, vmax):
            import numpy as np

            return np.asarray(self.base.tick_values(vmin * self.scale, vmax * self.scale)) / self.scale

    return ScaledLocator


def figure_metadata(provenance: dict, suffix: str) -> dict:
    """The ``savefig(metadata=...)`` entries holding ``provenance`` for a file of type ``suffix``.

    Parameters
    ----------
    provenance : dict
        JSON-ready record (parameters, units, seed); ``nanograph_version`` is added.
    suffix : str
        ``".png"``, ``".pdf"``, ``".svg"``, ... (other formats get no metadata).

    Returns
    -------
    dict

    Examples
    --------
    >>> sorted(figure_metadata({"seed": 1}, ".png"))
    ['Software', 'nanograph']
    """
    text = json.dumps({"nanograph_version": __version__, **provenance}, default=str)
    software = f"nanograph {__version__}"
    suffix = suffix.lower()
    if suffix == ".png":
        return {"Software": software, "nanograph": text}
    if suffix == ".pdf":
        return {"Creator": software, "Subject": text}
    if suffix == ".svg":
        return {"Creator": software, "Description": text}
    return {}


def save_figure(figure, path: str | Path, provenance: dict, *, dpi: float | None = None) -> Path:
    """Save ``figure`` to ``path`` with ``provenance`` in its metadata; vector formats by their suffix.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    path : str or Path
        The image file; its suffix picks the format (``.png``, ``.pdf``, ``.svg``, ...).
    provenance : dict
        Parameters, units and seed of what is drawn (see :func:`figure_metadata`).
    dpi : float, optional
        Raster resolution; default :data:`DEFAULT_DPI`.

    Returns
    -------
    Path
    """
    path = Path(path)
    figure.savefig(path, dpi=DEFAULT_DPI if dpi is None else dpi, bbox_inches="tight",
                   metadata=figure_metadata(provenance, path.suffix) or None)  # fmt: skip
    return path


def read_png_metadata(path: str | Path) -> dict:
    """The provenance :func:`save_figure` wrote into a PNG (an empty dict when there is none).

    Reads the ``tEXt`` chunks with the standard library only (no image decoding).
    """
    import struct

    data = Path(path).read_bytes()
    pos, texts = 8, {}
    while pos + 8 <= len(data):
        (length,), kind = struct.unpack(">I", data[pos : pos + 4]), data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            texts[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            texts[key.decode("latin-1")] = rest[2:].split(b"\0", 2)[-1].decode("utf-8")
        pos += 12 + length
    return json.loads(texts["nanograph"]) if "nanograph" in texts else {}
