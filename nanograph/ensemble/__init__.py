"""Ensembles at scale: parameter grids, seeded realizations, executors and a crash-safe results store.

A sweep is a :class:`SweepGrid` (values per parameter, runs, root seed, analyses) run by :func:`run_sweep`
on an executor (serial, a local process pool, or Dask distributed) into a :class:`ResultsStore` (SQLite,
one committed row per realization, resumable). Every row keeps its seed provenance, so
:func:`regenerate_network` rebuilds the exact network behind any number.

Examples
--------
>>> import tempfile, pathlib
>>> from nanograph.ensemble import ResultsStore, SweepGrid, run_sweep
>>> grid = SweepGrid.from_mapping({"density": [6, 10], "box": 4, "runs": 3, "seed": 7})
>>> path = pathlib.Path(tempfile.mkdtemp()) / "runs.sqlite"
>>> print(run_sweep(grid, path, executor="serial").computed)
6
>>> table = ResultsStore(path).aggregate()
>>> print(table[["density", "runs", "percolates_mean"]].round(3).to_string(index=False))
 density  runs  percolates_mean
     6.0     3            0.667
    10.0     3            1.000
"""

from nanograph.ensemble.analyses import analysis_names, register_analysis
from nanograph.ensemble.executors import EXECUTORS, execute
from nanograph.ensemble.grid import GRID_PARAMETERS, SweepGrid, load_grid
from nanograph.ensemble.realization import Realization, regenerate, regenerate_network
from nanograph.ensemble.seeds import seed_sequence
from nanograph.ensemble.store import ResultsStore, aggregate
from nanograph.ensemble.sweep import SweepSummary, run_sweep

__all__ = [
    "EXECUTORS",
    "GRID_PARAMETERS",
    "Realization",
    "ResultsStore",
    "SweepGrid",
    "SweepSummary",
    "aggregate",
    "analysis_names",
    "execute",
    "load_grid",
    "regenerate",
    "regenerate_network",
    "register_analysis",
    "run_sweep",
    "seed_sequence",
]
