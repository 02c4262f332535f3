"""Exception hierarchy of nanograph.

Every error raised on purpose by nanograph derives from :class:`NanographError`, so a caller (and the
command line) can catch one type and print its message instead of a traceback.
"""

from __future__ import annotations

__all__ = [
    "NanographError",
    "InvalidInputError",
    "NotPercolatingError",
    "SingularSystemError",
    "BackendUnavailableError",
]


class NanographError(Exception):
    """Base class of every error nanograph raises on purpose."""


class InvalidInputError(NanographError, ValueError):
    """A parameter, array or file is invalid; the message names it and says what is expected."""


class NotPercolatingError(NanographError):
    """No cluster connects the two electrodes (or wraps the periodic box) where one is required."""


class SingularSystemError(NanographError):
    """The linear system is singular, e.g. zero resistances short the two electrodes."""


class BackendUnavailableError(NanographError, ImportError):
    """An optional compiled back-end (CHOLMOD from scikit-sparse, igraph, ...) is not installed."""
