"""Notebook display helpers: one-line ``__repr__`` texts, ``_repr_html_`` summary tables and ``to_pandas``.

Every result class (:class:`~nanograph.geometry.sticks.Sticks`, :class:`~nanograph.graphs.network.Network`,
:class:`~nanograph.linalg.solve.Solution`, :class:`~nanograph.analysis.backbone.Backbone`, ...) describes
itself by a short list of ``(name, value)`` pairs; this module turns that list into a one-line text (never an
array dump) or a small HTML ``<table>``. It imports nothing beyond the standard library, so it costs nothing
at ``import nanograph``; pandas is imported by :func:`require_pandas` only when a table is asked for.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from numbers import Integral, Real

__all__ = ["format_value", "html_table", "periodic_name", "require_pandas", "summary_repr"]

MAX_REPR = 400
"""Longest one-line ``__repr__`` (characters); longer texts are cut with an ellipsis."""


def format_value(value) -> str:
    """A short text for one summary value: numbers to 6 significant digits, sequences and mappings inline.

    Parameters
    ----------
    value : object
        A number, bool, string, None, short tuple/list or mapping (anything else is ``str``-ed).

    Returns
    -------
    str

    Examples
    --------
    >>> format_value(0.123456789), format_value((16.0, 16.0)), format_value({"segment": 3})
    ('0.123457', '16 x 16', 'segment 3')
    """
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        v = float(value)
        return str(v) if math.isnan(v) or math.isinf(v) else f"{v:.6g}"
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {format_value(v)}" for k, v in value.items())
    if isinstance(value, tuple | list) and len(value) <= 8:
        joiner = (
            " x " if len(value) == 2 and all(isinstance(v, Real) and not isinstance(v, bool) for v in value) else ", "
        )
        return joiner.join(format_value(v) for v in value)
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def summary_repr(name: str, fields: Iterable[tuple[str, object]]) -> str:
    """``Name(key=value, ...)`` on one line, at most :data:`MAX_REPR` characters.

    Parameters
    ----------
    name : str
        Class name.
    fields : iterable of (str, object)
        The summary, in display order.

    Returns
    -------
    str

    Examples
    --------
    >>> summary_repr("Sticks", [("n_sticks", 3), ("box", (4.0, 4.0))])
    'Sticks(n_sticks=3, box=4 x 4)'
    """
    body = ", ".join(f"{key}={format_value(value)}" for key, value in fields)
    text = " ".join(f"{name}({body})".split())  # one line whatever the values hold
    return text if len(text) <= MAX_REPR else text[: MAX_REPR - 4] + "...)"


def html_table(name: str, fields: Iterable[tuple[str, object]]) -> str:
    """A two-column HTML ``<table>`` (quantity, value) captioned by the class name.

    Parameters
    ----------
    name : str
        Class name (the caption).
    fields : iterable of (str, object)
        The summary, in display order.

    Returns
    -------
    str
        HTML, every text escaped.

    Examples
    --------
    >>> html_table("Sticks", [("n_sticks", 3)]).startswith("<table")
    True
    """
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(key))}</th>"
        f"<td style='text-align:left'>{html.escape(format_value(value))}</td></tr>"
        for key, value in fields
    )
    return f"<table><caption style='text-align:left'><b>{html.escape(name)}</b></caption><tbody>{rows}</tbody></table>"


def periodic_name(periodic: tuple[bool, bool]) -> str:
    """``"none"``, ``"x"``, ``"y"`` or ``"xy"``: a ``(x, y)`` periodicity in the ``periodic`` vocabulary.

    Examples
    --------
    >>> periodic_name((False, True)), periodic_name((False, False))
    ('y', 'none')
    """
    return "".join(axis for axis, p in zip("xy", periodic, strict=True) if p) or "none"


def require_pandas(what: str):
    """The pandas module, or a one-line :class:`~nanograph.errors.BackendUnavailableError` naming it.

    Parameters
    ----------
    what : str
        What needs pandas (for the message), e.g. ``"Backbone.to_pandas"``.

    Raises
    ------
    BackendUnavailableError
        When pandas is not installed.
    """
    try:
        import pandas
    except ImportError:
        from nanograph.errors import BackendUnavailableError

        raise BackendUnavailableError(f"{what} needs pandas: pip install pandas") from None
    return pandas
