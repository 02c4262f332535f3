"""The matplotlib classes the drawings use, imported on first use with a one-line install hint."""

from __future__ import annotations

from nanograph.errors import BackendUnavailableError

__all__ = ["require_matplotlib"]


def require_matplotlib() -> tuple[type, type, type]:
    """``(Figure, LineCollection, LogNorm)`` from matplotlib.

    Returns
    -------
    tuple of type
        :class:`matplotlib.figure.Figure` (figures are built without pyplot state),
        :class:`matplotlib.collections.LineCollection` and :class:`matplotlib.colors.LogNorm`.

    Raises
    ------
    BackendUnavailableError
        If matplotlib is not installed (the message says how to install it).

    Examples
    --------
    >>> Figure, LineCollection, LogNorm = require_matplotlib()
    >>> Figure.__name__
    'Figure'
    """
    try:
        from matplotlib.collections import LineCollection
        from matplotlib.colors import LogNorm
        from matplotlib.figure import Figure
    except ImportError:
        raise BackendUnavailableError("drawing needs matplotlib: pip install matplotlib") from None
    return Figure, LineCollection, LogNorm
