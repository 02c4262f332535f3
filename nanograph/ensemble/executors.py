"""Executors of a sweep: each maps a function over tasks and yields the results as they finish.

* ``serial`` -- in this process, in order (debugging, tiny sweeps).
* ``processes`` -- a local pool of ``workers`` processes (the default). Workers are started with the
  ``spawn`` method and ``OMP/OPENBLAS/MKL_NUM_THREADS=1`` in their environment, so each imports NumPy with one
  BLAS thread: ``workers`` single-threaded solves use the cores better than threads fighting over them.
  Workers ignore Ctrl-C (the parent stops them) and exit on their own when the parent dies (``kill -9``):
  ``PR_SET_PDEATHSIG`` on Linux, and a watchdog thread everywhere.
* ``dask`` -- a Dask distributed cluster at a scheduler address (``tcp://host:8786``) or a
  ``distributed.Client``. Start workers with ``--nthreads 1`` (see the sweep guide for SLURM with
  dask-jobqueue).

**The same numbers whatever the executor.** Every executor runs each task with one BLAS and one OpenMP
thread (threadpoolctl, after loading the libraries NumPy, SciPy and CHOLMOD use): the serial executor for
the duration of the sweep (the caller's limits are restored afterwards), each pool worker for its
lifetime, each Dask task while it runs. A thread count changes the order of BLAS's floating-point sums,
hence the last digits of a supernodal CHOLMOD solve; with one thread everywhere a row is bit-identical
whichever executor computed it.

Results stream back in completion order; the caller stores each at once (crash safety).
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import partial

from nanograph.choices import EXECUTORS
from nanograph.errors import BackendUnavailableError, InvalidInputError, NanographError

__all__ = [
    "EXECUTORS",
    "THREAD_VARIABLES",
    "check_executor",
    "check_not_bootstrapping",
    "connect_scheduler",
    "execute",
    "single_threaded",
]


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
        return _serial(func, tasks)
    if executor == "processes":
        return _process_pool(func, tasks, workers or os.cpu_count() or 1)
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
        Unknown executor, ``workers`` not a whole number >= 1, or ``"dask"`` without a scheduler.
    BackendUnavailableError
        ``"dask"`` when dask.distributed is not installed.

    Examples
    --------
    >>> check_executor("serial"), check_executor(scheduler="tcp://host:8786")
    ('serial', 'dask')
    """
    if scheduler is not None:
        executor = "dask"
    if executor not in EXECUTORS:
        raise InvalidInputError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InvalidInputError(f"workers must be a whole number >= 1, got {workers!r}")
    if executor == "dask":
        if importlib.util.find_spec("distributed") is None:
            raise BackendUnavailableError("the dask executor needs dask.distributed: pip install 'nanograph[dask]'")
        if scheduler is None:
            raise InvalidInputError("the dask executor needs a scheduler address (scheduler), "
                                    "e.g. tcp://host:8786")  # fmt: skip
    return executor


def connect_scheduler(scheduler):
    """A connected Dask client for ``scheduler`` and whether the caller owns it (must close it).

    Parameters
    ----------
    scheduler : str or distributed.Client
        Scheduler address (``tcp://host:8786``) or a connected client (returned as is, not owned).

    Returns
    -------
    (distributed.Client, bool)

    Raises
    ------
    InvalidInputError
        If the scheduler cannot be reached.
    BackendUnavailableError
        If dask.distributed is not installed.
    """
    try:
        from distributed import Client
    except ImportError:
        raise BackendUnavailableError(
            "the dask executor needs dask.distributed: pip install 'nanograph[dask]'"
        ) from None
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler), True
    except OSError as exc:
        raise InvalidInputError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from None


def _load_thread_pools() -> None:
    """Import the libraries whose thread pools a solve uses (threadpoolctl only sees loaded libraries)."""
    import numpy  # noqa: F401
    import scipy.linalg  # noqa: F401
    import scipy.sparse.linalg  # noqa: F401

    if importlib.util.find_spec("sksparse") is not None:
        try:
            import sksparse.cholmod  # noqa: F401 - CHOLMOD's BLAS and OpenMP
        except ImportError:  # pragma: no cover - a broken scikit-sparse: solves fall back to SuperLU
            pass


@contextmanager
def single_threaded() -> Iterator[None]:
    """One BLAS and one OpenMP thread in the calling thread while the block runs (restored afterwards).

    This is what makes rows bit-identical across executors: the serial executor runs the whole sweep in it,
    pool workers are limited the same way for their lifetime, Dask tasks each run in it.

    Examples
    --------
    >>> from threadpoolctl import threadpool_info
    >>> with single_threaded():
    ...     print({pool["num_threads"] for pool in threadpool_info()})
    {1}
    """
    _load_thread_pools()
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


def limit_threads() -> None:
    """One BLAS/OpenMP thread in this process for good (pool workers; the serial executor uses a context)."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    _load_thread_pools()
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def _serial(func: Callable, tasks: Iterable) -> Iterator:
    with single_threaded():
        for task in tasks:
            yield func(task)


def _single_threaded_call(func: Callable, task):
    """``func(task)`` with one BLAS/OpenMP thread (what a Dask worker runs)."""
    with single_threaded():
        return func(task)


def _worker_init(parent: int) -> None:
    """Pool worker initializer: ignore Ctrl-C (the parent stops the pool), die with the parent, one BLAS thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)
    limit_threads()


def _exit_with_parent(parent: int) -> None:
    """End this process when process ``parent`` dies: at once on Linux (``PR_SET_PDEATHSIG``), and within a
    second everywhere (a daemon thread that watches ``os.getppid()``; a dead parent's children are re-parented)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no usable libc: the watchdog remains
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="nanograph-parent-watch", daemon=True).start()


def _watch_parent(parent: int, interval: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


@contextmanager
def _children_ignore_sigint() -> Iterator[None]:
    """Ignore SIGINT while workers are spawned: Python keeps an inherited SIG_IGN, so a terminal's Ctrl-C
    (sent to the whole process group) never raises KeyboardInterrupt tracebacks in the workers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init, initargs=(os.getpid(),))
    finished = False
    try:
        with _single_thread_environment(), _children_ignore_sigint():  # every worker is spawned by these submits
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
        finished = True
    finally:
        if not finished:  # interrupted, or the caller stopped: in-flight realizations are not waited for
            _kill_workers(pool)
        pool.shutdown(wait=False, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """SIGKILL the pool's workers and reap them (their rows are not stored; a rerun computes them)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=5)


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
    client, own = connect_scheduler(scheduler)
    from distributed import as_completed

    futures = client.map(partial(_single_threaded_call, func), list(tasks), pure=False)
    try:
        for future in as_completed(futures):
            result = future.result()
            future.release()
            yield result
    finally:
        client.cancel(futures)
        if own:
            client.close()
