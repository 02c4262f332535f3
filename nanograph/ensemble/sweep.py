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
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nanograph.ensemble.analyses import run_analyses
from nanograph.ensemble.executors import check_executor, check_not_bootstrapping, connect_scheduler, execute
from nanograph.ensemble.grid import SweepGrid
from nanograph.ensemble.progress import Progress
from nanograph.ensemble.realization import realize
from nanograph.ensemble.seeds import realization_spawn_key, seed_sequence, sweep_entropy
from nanograph.ensemble.store import ResultsStore, point_key
from nanograph.errors import BackendUnavailableError, InvalidInputError

__all__ = ["Task", "SweepSummary", "WorkerWarning", "check_solver", "run_sweep", "run_task"]


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
    with warnings.catch_warnings(record=True) as caught:  # reported by the parent, once each, as one line
        warnings.simplefilter("always")
        try:
            realization = realize(task.point, seed_sequence(task.seed_entropy, task.seed_spawn_key), task.solver)
            outputs, status, error = run_analyses(realization, task.analyses), "ok", None
        except Exception as exc:  # noqa: BLE001 - a sweep records every failure and goes on
            outputs, status, error = {}, "error", f"{type(exc).__name__}: {exc}"
    messages = list(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))
    return {"params": task.point, "run": task.run, "seed_entropy": task.seed_entropy,
            "seed_spawn_key": task.seed_spawn_key, "status": status, "error": error, "outputs": outputs,
            "seconds": time.perf_counter() - start, "warnings": messages}  # fmt: skip


class WorkerWarning(UserWarning):
    """A warning a realization issued in a worker, re-issued once per distinct message by the sweep's process."""


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

    def _display(self) -> list[tuple[str, object]]:
        return [("computed", self.computed), ("skipped", self.skipped), ("errors", self.errors),
                ("failed", self.failed), ("total", self.total), ("seconds", self.seconds), ("rate_per_s", self.rate),
                ("store", str(self.store)), ("first_error", self.first_error)]  # fmt: skip

    def __repr__(self) -> str:
        """One line: computed, skipped, errors, failed, total, wall time, rate, store, first error."""
        from nanograph._display import summary_repr

        return summary_repr("SweepSummary", self._display())

    def _repr_html_(self) -> str:
        from nanograph._display import html_table

        return html_table("SweepSummary", self._display())

    def to_pandas(self, errors: bool = True):
        """The store's rows: :meth:`ResultsStore.to_pandas <nanograph.ensemble.store.ResultsStore.to_pandas>`."""
        with ResultsStore(self.store) as store:
            return store.to_pandas(errors=errors)

    def __str__(self) -> str:
        text = (f"{self.computed} realizations computed in {self.seconds:.1f} s ({self.rate:.3g}/s), "
                f"{self.skipped} already stored, {self.errors} errors; {self.total} in the grid; store {self.store}")  # fmt: skip
        if self.failed > self.errors:
            text += f"; {self.failed - self.errors} earlier error rows kept (retry_errors recomputes them)"
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


def check_solver(solver: str) -> None:
    """Refuse an unknown or missing linear-solver back-end before a sweep starts (not once per row).

    Parameters
    ----------
    solver : str
        ``auto``, ``cholmod`` or ``superlu`` (:data:`~nanograph.linalg.factor.SOLVERS`).

    Raises
    ------
    InvalidInputError
        Unknown name.
    BackendUnavailableError
        ``cholmod`` when scikit-sparse is not installed.
    """
    from nanograph.linalg.factor import CHOLMOD_INSTALL_HINT, SOLVERS, cholmod_available

    if solver not in SOLVERS:
        raise InvalidInputError(f"solver must be one of {', '.join(SOLVERS)}, got {solver!r}")
    if solver == "cholmod" and not cholmod_available():
        raise BackendUnavailableError(CHOLMOD_INSTALL_HINT)


@contextmanager
def _connected(executor: str, scheduler):
    """The scheduler to run on: for Dask a client connected now, before any store is created or bound."""
    if executor != "dask":
        yield scheduler
        return
    client, own = connect_scheduler(scheduler)
    try:
        yield client
    finally:
        if own:
            client.close()


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

    Everything that can be refused is checked before the store is created or its metadata written: the
    executor (installed, scheduler reachable), ``workers``, ``solver`` (the grid validated itself when it
    was built); then the store's identity, seed and analyses; then, if rows are still to add, that the store
    can be written.

    Parameters
    ----------
    grid : SweepGrid
        The validated grid (its ``seed`` is the root seed; ``None`` draws fresh entropy, or adopts the
        store's when resuming).
    store : str, Path or ResultsStore
        The SQLite results file: a new file (its folder must exist), an empty one, or a store of an earlier
        run of this sweep (a ``ResultsStore`` opened with ``mode="a"``). Other databases are refused.
    executor : {"serial", "processes", "dask"}
        Where realizations run (see :func:`~nanograph.ensemble.executors.execute`); every executor gives
        bit-identical rows (one BLAS thread each).
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
        If ``executor``, ``workers`` or ``solver`` is invalid, the scheduler cannot be reached, or the store
        is not a nanograph store, is damaged, holds a sweep with another seed or other analyses, or is
        read-only with rows still to add (all checked before any work).
    BackendUnavailableError
        If the executor or solver back-end is not installed (before the store is created).
    NanographError
        If the disk fills up or fails while rows are added (every committed row is kept), or a worker dies.
    KeyboardInterrupt
        On Ctrl-C: the workers are stopped at once; every finished row is kept.
    """
    start = time.perf_counter()
    check_not_bootstrapping()  # a worker importing a script without the __main__ guard: stop before the store
    executor = check_executor(executor, workers, scheduler)  # before the store is created
    check_solver(solver)
    with _connected(executor, scheduler) as scheduler:
        results = store if isinstance(store, ResultsStore) else ResultsStore(store, mode="a")
        try:
            if results.mode != "a":
                raise InvalidInputError(f"store {str(results.path)!r} was opened read-only; open it with mode='a' "
                                        "to add rows")  # fmt: skip
            entropy = results.bind(sweep_entropy(grid.seed, results.meta().get("entropy")), grid.analyses,
                                   grid.columns)  # fmt: skip
            tasks = plan(grid, entropy, results.finished(include_errors=not retry_errors), solver)
            results.check_writable(len(tasks))
            done, errors, first_error = _compute(tasks, results, progress, executor=executor, workers=workers,
                                                 scheduler=scheduler)  # fmt: skip
            grid_rows = {(point_key(p), run) for p in grid.points() for run in range(grid.runs)}
            failed = len(grid_rows & (results.finished() - results.finished(include_errors=False)))
        finally:
            if results is not store:
                results.close()
    return SweepSummary(results.path, grid.n_realizations, grid.n_realizations - len(tasks), done, errors,
                        time.perf_counter() - start, first_error, failed)  # fmt: skip


def _compute(tasks: list[Task], results: ResultsStore, progress: bool | None, **how) -> tuple[int, int, str | None]:
    """Run ``tasks``, committing each row as it arrives; returns (rows stored, errors, first error message)."""
    bar = Progress(len(tasks), enabled=progress)
    errors, first_error, seen = 0, None, set()
    rows = execute(run_task, tasks, **how)
    try:
        for row in rows:
            results.add(row)
            for message in row.get("warnings", ()):
                if message not in seen:  # each distinct worker warning reaches the user once, as one line
                    seen.add(message)
                    warnings.warn(message, WorkerWarning, stacklevel=2)
            failed = row["status"] == "error"
            errors += failed
            first_error = first_error or (row["error"] if failed else None)
            bar.update(error=failed)
    finally:
        rows.close()  # stops the workers at once when the loop was interrupted
        bar.close()
    return bar.done, errors, first_error
