"""The one accuracy check of nanograph's results: ``accurate`` and ``check()`` beside an ``accuracy`` attribute.

A result class with a relative ``accuracy`` (and a ``SUBJECT`` naming it in messages) inherits :class:`AccuracyChecked`:
``result.accurate`` compares with :data:`~nanograph.linalg.solve.ACCURACY_THRESHOLD`, ``result.check()`` returns the
result or raises :class:`~nanograph.errors.InaccurateSolutionError` (the command line exits 1 on it).
"""

from __future__ import annotations

import numpy as np

from nanograph.errors import InaccurateSolutionError

__all__ = ["AccuracyChecked", "rounding_accuracy"]

_EPS = float(np.finfo(float).eps)


class AccuracyChecked:
    """Mixin: ``accurate`` and ``check()`` from the class's ``accuracy`` (relative) and ``SUBJECT`` (text)."""

    SUBJECT = "the result"

    @property
    def accurate(self) -> bool:
        """Whether :attr:`accuracy` is within :data:`~nanograph.linalg.solve.ACCURACY_THRESHOLD`."""
        from nanograph.linalg.solve import ACCURACY_THRESHOLD

        return bool(self.accuracy <= ACCURACY_THRESHOLD)

    def check(self, threshold: float | None = None):
        """``self``, or :class:`~nanograph.errors.InaccurateSolutionError` beyond ``threshold`` (default
        :data:`~nanograph.linalg.solve.ACCURACY_THRESHOLD`)."""
        from nanograph.linalg.solve import ACCURACY_THRESHOLD

        limit = ACCURACY_THRESHOLD if threshold is None else threshold
        if not self.accuracy <= limit:
            raise InaccurateSolutionError(f"{self.SUBJECT} is accurate to only about {self.accuracy:.1e} "
                                          f"(relative), beyond the {limit:.0e} threshold")  # fmt: skip
        return self


def rounding_accuracy(labels: np.ndarray, edges: np.ndarray, g: np.ndarray) -> float:
    """``eps · max(g)/min(g)`` within the worst component: the rounding floor of a factorisation's result.

    Parameters
    ----------
    labels : ndarray of int, shape (V,)
        Component of each node.
    edges : ndarray of int, shape (E, 2)
        The solved edges.
    g : ndarray of float, shape (E,)
        Their conductances (S), > 0.

    Returns
    -------
    float
        The relative accuracy estimate (0 without edges).
    """
    if not len(g):
        return 0.0
    comp = labels[edges[:, 0]]
    gmax, gmin = np.zeros(labels.max() + 1), np.full(labels.max() + 1, np.inf)
    np.maximum.at(gmax, comp, g)
    np.minimum.at(gmin, comp, g)
    used = gmax > 0
    return float(_EPS * np.max(gmax[used] / gmin[used]))
