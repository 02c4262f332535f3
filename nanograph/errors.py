"""Exception hierarchy of nanograph.

Every error raised on purpose by nanograph derives from :class:`NanographError`, so a caller (and the
command line) can catch one type and print its message instead of a traceback.
"""

from __future__ import annotations

import re

__all__ = [
    "NanographError",
    "InvalidInputError",
    "NotPercolatingError",
    "SingularSystemError",
    "BackendUnavailableError",
    "InaccurateSolutionError",
    "InaccurateSolutionWarning",
]


class NanographError(Exception):
    """Base class of every error nanograph raises on purpose.

    Parameters
    ----------
    message : str
        One line, starting with the Python parameter it concerns where there is one.
    parameter : str, optional
        That parameter; by default the leading identifier of ``message``. The command line maps it to its flag.
    """

    def __init__(self, message: str = "", parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter if parameter is not None else _leading_name(str(message))


class InvalidInputError(NanographError, ValueError):
    """A parameter, array or file is invalid; the message names it (``"length: '20ohm' has ..."``) and says
    what is expected."""


def _leading_name(message: str) -> str | None:
    """``"length"`` from ``"length: ..."`` or ``"length must ..."``; None when the message starts otherwise."""
    match = re.match(r"([a-z_][a-z0-9_]*)(?=:|\[| must | has | is | needs | = | \()", message)
    return match.group(1) if match else None


class NotPercolatingError(NanographError):
    """No cluster connects the two electrodes (or wraps the periodic box) where one is required."""


class SingularSystemError(NanographError):
    """The linear system is singular, e.g. zero resistances short the two electrodes."""


class BackendUnavailableError(NanographError, ImportError):
    """An optional compiled back-end (CHOLMOD from scikit-sparse, igraph, ...) is not installed."""


class InaccurateSolutionError(NanographError):
    """A result is not accurate to the promised relative accuracy (``ACCURACY_THRESHOLD`` of
    :mod:`nanograph.linalg.solve`); raised by ``Solution.check``. The command line exits 1 on it."""


class InaccurateSolutionWarning(RuntimeWarning):
    """Issued by ``solve_network`` when the expected accuracy exceeds the threshold."""
