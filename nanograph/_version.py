"""The package version, read once from the installed distribution's metadata (its one home is pyproject.toml)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__: str = version("nanograph")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"
