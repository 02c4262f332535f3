"""Run a sweep: every realization of a grid, on an executor, each result committed to the store as it arrives.

Examples
--------
>>> import tempfile, pathlib
>>> from nanograph.ensemble import SweepGrid, run_sweep
>>> grid = SweepGrid.from_mapping({"density": [6, 8], "box": 4, "form": "wire-node", "runs": 2, "seed": 1})
>>> store = pathlib.Path(tempfile.mkdtemp()) / "runs.sqlite"
>>> summary = run_sweep(grid, store, executor="serial")
>>> summary.computed, summary.errors
(4, 0)
>>> run_sweep(grid, store, executor="serial").skipped   # rerun: everything is already stored
4
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from nanograph.ensemble.analyses import run_analyses
from nanograph.ensemble.executors import check_executor, check_not_bootstrapping, execute
from nanograph.ensemble.grid import SweepGrid
from nanograph.ensemble.progress import Progress
from nanograph.ensemble.realization import realize
from nanograph.ensemble.seeds import realization_spawn_key, seed_sequence
from nanograph.ensemble.store import ResultsStore, point_key
from nanograph.errors import InvalidInputError

__all__ = ["Task", "SweepSummary", "run_sweep", "run_task"]


@dataclass(frozen=True)
class Task:
    """One realization to compute: grid point, run index, seed provenance, analyses and solver."""

    point: dict
    run: int
    seed_entropy: int
    seed_spawn_key: tuple[int, ...]
    analyses: tuple[str, ...]
    solver: str = "auto"


def run_task(task: Task) -> dict:
    """Compute one realization; any exception becomes an ``error`` row instead of stopping the sweep."""
    start = time.perf_counter()
    try:
        realization = realize(task.point, seed_sequence(task.seed_entropy, task.seed_spawn_key), task.solver)
        outputs, status, error = run_analyses(realization, task.analyses), "ok", None
    except Exception as exc:  # noqa: BLE001 - a sweep records every failure and goes on
        outputs, status, error = {}, "error", f"{type(exc).__name__}: {exc}"
    return {"params": task.point, "run": task.run, "seed_entropy": task.seed_entropy,
            "seed_spawn_key": task.seed_spawn_key, "status": status, "error": error, "outputs": outputs,
            "seconds": time.perf_counter() - start}  # fmt: skip


@dataclass(frozen=True)
class SweepSummary:
    """What a call of :func:`run_sweep` did.

    Attributes
    ----------
    store : Path
        The results file.
    total : int
        Realizations in the grid.
    skipped : int
        Already stored (finished earlier), not recomputed.
    computed : int
        Computed and stored by this call (errors included).
    errors : int
        Rows of this call whose realization raised (their message is stored).
    seconds : float
        Wall time of this call.
    first_error : str or None
        Message of the first error of this call.
    failed : int
        Rows of the grid stored as errors after this call: this call's and earlier ones kept (not retried).
        ``nanograph sweep`` exits with status 1 when it is not 0.
    """

    store: Path
    total: int
    skipped: int
    computed: int
    errors: int
    seconds: float
    first_error: str | None = None
    failed: int = 0

    @property
    def rate(self) -> float:
        """Realizations per second computed by this call."""
        return self.computed / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        text = (f"{self.computed} realizations computed in {self.seconds:.1f} s ({self.rate:.3g}/s), "
                f"{self.skipped} already stored, {self.errors} errors; {self.total} in the grid; store {self.store}")  # fmt: skip
        if self.failed > self.errors:
            text += f"; {self.failed - self.errors} earlier error rows kept (--retry-errors recomputes them)"
        return text + (f"\nfirst error: {self.first_error}" if self.first_error else "")


def plan(grid: SweepGrid, entropy: int, finished: set, solver: str = "auto") -> list[Task]:
    """The tasks of ``grid`` not in ``finished`` (a set of ``(params, run)``), grid point by grid point."""
    tasks = []
    for point in grid.points():
        key = point_key(point)
        for run in range(grid.runs):
            if (key, run) not in finished:
                tasks.append(Task(point, run, entropy, realization_spawn_key(point, run), grid.analyses, solver))
    return tasks


def run_sweep(
    grid: SweepGrid,
    store: str | Path | ResultsStore,
    *,
    executor: str = "processes",
    workers: int | None = None,
    scheduler=None,
    retry_errors: bool = False,
    solver: str = "auto",
    progress: bool | None = None,
) -> SweepSummary:
    """Compute every realization of ``grid`` that ``store`` does not hold yet, committing each as it finishes.

    Parameters
    ----------
    grid : SweepGrid
        The validated grid (its ``seed`` is the root seed; ``None`` draws fresh entropy, or adopts the
        store's when resuming).
    store : str, Path or ResultsStore
        The SQLite results file: a new file (its folder must exist), an empty one, or a store of an earlier
        run of this sweep (a ``ResultsStore`` opened with ``mode="a"``). Other databases are refused.
    executor : {"serial", "processes", "dask"}
        Where realizations run (see :func:`~nanograph.ensemble.executors.execute`).
    workers : int, optional
        Process-pool size (default: the number of CPUs).
    scheduler : str or distributed.Client, optional
        Dask scheduler address; implies ``executor="dask"``.
    retry_errors : bool
        Recompute rows stored as errors (default: keep them, they are deterministic).
    solver : str
        Linear solver back-end (``auto``, ``cholmod``, ``superlu``).
    progress : bool, optional
        Draw a progress bar on stderr (default: only on a terminal).

    Returns
    -------
    SweepSummary

    Raises
    ------
    InvalidInputError
        If ``executor`` or ``workers`` is invalid, or the store is not a nanograph store or holds a sweep
        with another seed or other analyses (checked before any work).
    """
    start = time.perf_counter()
    check_not_bootstrapping()  # a worker importing a script without the __main__ guard: stop before the store
    check_executor(executor, workers, scheduler)  # before the store is created
    results = store if isinstance(store, ResultsStore) else ResultsStore(store, mode="a")
    if results.mode != "a":
        raise InvalidInputError(f"store {str(results.path)!r} was opened read-only; open it with mode='a' to add rows")
    try:
        entropy = results.bind(grid.seed, grid.analyses, grid.columns)
        tasks = plan(grid, entropy, results.finished(include_errors=not retry_errors), solver)
        bar = Progress(len(tasks), enabled=progress)
        errors, first_error = 0, None
        try:
            for row in execute(run_task, tasks, executor=executor, workers=workers, scheduler=scheduler):
                results.add(row)
                failed = row["status"] == "error"
                errors += failed
                first_error = first_error or (row["error"] if failed else None)
                bar.update(error=failed)
        finally:
            bar.close()
        grid_rows = {(point_key(p), run) for p in grid.points() for run in range(grid.runs)}
        failed = len(grid_rows & (results.finished() - results.finished(include_errors=False)))
        return SweepSummary(results.path, grid.n_realizations, grid.n_realizations - len(tasks), bar.done, errors,
                            time.perf_counter() - start, first_error, failed)  # fmt: skip
    finally:
        if results is not store:
            results.close()
