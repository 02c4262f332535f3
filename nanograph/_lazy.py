"""Modules imported on first use, so that ``import nanograph`` and the command line start fast.

``special = lazy_module("scipy.special")`` at the top of a module reads like an import, and costs nothing until
``special.ndtr`` is first called (SciPy's special, stats, optimize and integrate take 0.1–0.6 s to import).

Examples
--------
>>> math_module = lazy_module("math")
>>> math_module.sqrt(4.0)
2.0
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["lazy_module"]


class _LazyModule:
    """A stand-in that imports ``name`` on the first attribute access and then forwards to it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str):
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> _LazyModule:
    """A module object that imports ``name`` when first used.

    Parameters
    ----------
    name : str
        The module's full name, e.g. ``"scipy.special"``.

    Returns
    -------
    object
        Forwards every attribute to the module, importing it on the first access.
    """
    return _LazyModule(name)
