"""Executors of a sweep: each maps a function over tasks and yields the results as they finish.

* ``serial`` -- in this process, in order (debugging, tiny sweeps).
* ``processes`` -- a local pool of ``workers`` processes (the default). Workers are started with the
  ``spawn`` method and ``OMP/OPENBLAS/MKL_NUM_THREADS=1`` in their environment, so each imports NumPy with one
  BLAS thread: ``workers`` single-threaded solves use the cores better than threads fighting over them.
* ``dask`` -- a Dask distributed cluster at a scheduler address (``tcp://host:8786``) or a
  ``distributed.Client``. Dask's nanny already gives its worker processes one BLAS thread; start workers with
  ``--nthreads 1`` (see the sweep guide for SLURM with dask-jobqueue).

Results stream back in completion order; the caller stores each at once (crash safety).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from nanograph.errors import BackendUnavailableError, InvalidInputError, NanographError

__all__ = ["EXECUTORS", "THREAD_VARIABLES", "check_executor", "check_not_bootstrapping", "execute"]

EXECUTORS = ("serial", "processes", "dask")

#: Environment variables that set the thread count of the BLAS/OpenMP libraries NumPy and CHOLMOD load.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")  # fmt: skip


def execute(func: Callable, tasks: Iterable, executor: str = "processes", workers: int | None = None,
            scheduler=None) -> Iterator:  # fmt: skip
    """Yield ``func(task)`` for every task, in completion order.

    Parameters
    ----------
    func : callable
        A module-level function (it is pickled to the workers).
    tasks : iterable
        Picklable task objects.
    executor : {"serial", "processes", "dask"}
        Where to run; ``scheduler`` implies ``"dask"``.
    workers : int, optional
        Size of the process pool (default: the number of CPUs).
    scheduler : str or distributed.Client, optional
        Dask scheduler address (``tcp://host:8786``) or a connected client.
    """
    executor = check_executor(executor, workers, scheduler)
    if executor == "serial":
        return map(func, tasks)
    if executor == "processes":
        return _process_pool(func, tasks, workers or os.cpu_count() or 1)
    if scheduler is None:
        raise InvalidInputError("the dask executor needs a scheduler address, e.g. --scheduler tcp://host:8786")
    return _dask(func, tasks, scheduler)


_GUARD_ADVICE = ('put the code that runs the sweep under `if __name__ == "__main__":` (worker processes start by '
                 "importing your script), or use executor='serial'")  # fmt: skip


def check_not_bootstrapping() -> None:
    """Stop a worker process that is importing the user's script and reached a sweep call at top level.

    Worker processes are *spawned*: each starts by importing the main script. A script that calls
    :func:`~nanograph.ensemble.run_sweep` outside ``if __name__ == "__main__":`` would start the whole sweep
    again inside every worker; this exits the worker at once with a one-line message instead.

    Raises
    ------
    SystemExit
        In a worker that is still importing the main script (a no-op everywhere else).
    """
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise SystemExit(f"nanograph: a sweep was started while a worker process imported your script; {_GUARD_ADVICE}")


def check_executor(executor: str = "processes", workers: int | None = None, scheduler=None) -> str:
    """Check the execution arguments of :func:`execute` before any work; returns the executor that will run.

    Parameters
    ----------
    executor : {"serial", "processes", "dask"}
        Where to run; ``scheduler`` implies ``"dask"``.
    workers : int, optional
        Size of the process pool (a whole number >= 1).
    scheduler : str or distributed.Client, optional
        Dask scheduler address or client.

    Returns
    -------
    str
        ``"dask"`` when a scheduler is given, else ``executor``.

    Raises
    ------
    InvalidInputError
        Unknown executor, or ``workers`` not a whole number >= 1.

    Examples
    --------
    >>> check_executor("serial"), check_executor(scheduler="tcp://host:8786")
    ('serial', 'dask')
    """
    if scheduler is not None:
        executor = "dask"
    if executor not in EXECUTORS:
        raise InvalidInputError(f"executor (--executor) must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InvalidInputError(f"workers (--workers) must be a whole number >= 1, got {workers!r}")
    return executor


def limit_threads() -> None:
    """One BLAS/OpenMP thread in this process (worker initializer; also limits already-loaded libraries)."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with scipy's usual stacks
        return
    threadpool_limits(1)


@contextmanager
def _single_thread_environment():
    """Set the thread variables to 1 while workers are spawned (they inherit the environment)."""
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(THREAD_VARIABLES, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _process_pool(func: Callable, tasks: Iterable, workers: int) -> Iterator:
    check_not_bootstrapping()
    context = multiprocessing.get_context("spawn")
    queue = iter(tasks)
    with _single_thread_environment():
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=limit_threads)
        try:
            pending = {pool.submit(func, task) for task in _take(queue, 2 * workers)}
            returned = 0
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise NanographError(_died_message(returned)) from None
                    pending |= {pool.submit(func, task) for task in _take(queue, 1)}
                    returned += 1
                    yield result
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


def _died_message(returned: int) -> str:
    """Why the pool broke: before any result, most often a script without the ``__main__`` guard."""
    if returned == 0 and _main_is_script():
        return (f"a worker process exited before returning any realization, most likely while importing your script "
                f"({sys.modules['__main__'].__file__}): {_GUARD_ADVICE}; its own message is above")  # fmt: skip
    return ("a worker process died (out of memory, or killed); finished rows are stored: rerun the same command "
            "to resume")  # fmt: skip


def _main_is_script() -> bool:
    """Whether the main module is a script file that workers re-import (not ``python -m``, not interactive)."""
    main = sys.modules.get("__main__")
    return getattr(main, "__file__", None) is not None and getattr(main, "__spec__", None) is None


def _take(iterator: Iterator, n: int) -> list:
    out = []
    for item in iterator:
        out.append(item)
        if len(out) == n:
            break
    return out


def _dask(func: Callable, tasks: Iterable, scheduler) -> Iterator:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise BackendUnavailableError(
            "the dask executor needs dask.distributed: pip install 'nanograph[dask]'"
        ) from None
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler) if own else scheduler
    except OSError as exc:
        raise InvalidInputError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from None
    futures = client.map(func, list(tasks), pure=False)
    try:
        for future in as_completed(futures):
            result = future.result()
            future.release()
            yield result
    finally:
        client.cancel(futures)
        if own:
            client.close()
