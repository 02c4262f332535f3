"""One style for every nanograph figure, and figures saved with their provenance in the file's metadata.

:func:`save_figure` writes a figure (PNG, PDF, SVG, ...) with ``nanograph_version``, the parameters, their
units and the seed in the file itself (issue 13 §3): PNG ``tEXt`` chunks (``Software``, ``nanograph``), the
PDF ``Creator``/``Subject`` entries, the SVG ``Creator``/``Description``. :func:`read_png_metadata` reads them
back. :data:`STYLE` holds the matplotlib settings the drawings share (applied per figure, never globally).
"""

from __future__ import annotations

import json
from pathlib import Path

from nanograph._version import __version__

__all__ = ["STYLE", "DEFAULT_DPI", "figure_metadata", "read_png_metadata", "save_figure", "styled"]

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


def styled():
    """A context manager applying :data:`STYLE` (``matplotlib.rc_context``) for the figures made inside it."""
    from matplotlib import rc_context

    return rc_context(STYLE)


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
