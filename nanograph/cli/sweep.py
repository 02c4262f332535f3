"""Commands ``sweep``, ``results`` and ``plot``: ensembles over a parameter grid into a resumable SQLite store."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from nanograph.choices import EXECUTORS, FORMS, PERIODIC_CHOICES, SOLVERS
from nanograph.cli._common import BoxOrSizes, add_command, add_output, check_image_suffix, emit, print_json, versioned
from nanograph.errors import InvalidInputError

ORDER = 80

_GRID_FLAGS = ("density", "box", "length", "odf", "periodic", "form", "rj", "rw", "re", "closure", "runs", "seed",
               "analyses")  # fmt: skip


def _odf_params(items: list[str] | None) -> dict | None:
    if not items:
        return None
    out = {}
    for item in items:
        name, eq, values = item.partition("=")
        if not eq or not name.strip() or not values.strip():
            raise InvalidInputError(f"--odf-param {item!r}: expected NAME=V1,V2,..., e.g. omega=0.1,0.3")
        out[name.strip()] = [v.strip() for v in values.split(",")]
    return out


def _grid(args):
    from nanograph.ensemble import SweepGrid, load_grid

    if args.boxes is not None and args.box is not None:
        raise InvalidInputError("give --box (one box) or --boxes (several), not both")
    if args.boxes is not None:
        args.box = args.boxes
    given = {k: getattr(args, k) for k in _GRID_FLAGS if getattr(args, k) is not None}
    if "closure" in given:
        given["closure"] = _grid_closures(given["closure"], args.rj)
    odf_params = _odf_params(args.odf_param)
    if odf_params is not None:
        given["odf_params"] = odf_params
    return load_grid(args.config, **given) if args.config else SweepGrid.from_mapping(given)


#: ``--closure`` names, as in ``foster``: 3-regular (rj > 0) and seamless 4-regular (rj = 0) closures.
CLOSURE_NAMES = ("none", "3", "4")


class _ClosureChoices(tuple):
    """The closure names; also accepts the old ``regular`` (hidden from ``--help``; warned about)."""

    def __contains__(self, value) -> bool:
        return value == "regular" or tuple.__contains__(self, value)


class _ClosureAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None) -> None:
        if "regular" in values:
            namespace._deprecated = [*getattr(namespace, "_deprecated", ()),
                                     ("--closure regular", "--closure 3 (rj > 0) or --closure 4 (rj = 0)")]  # fmt: skip
        setattr(namespace, self.dest, values)


def _grid_closures(values: list[str], rj: list[float] | None) -> list[str]:
    """``none``, ``3``, ``4`` as the grid's closures (``none``, ``regular``: 3- or 4-regular by rj)."""
    rj = [1.0] if rj is None else rj
    if "3" in values and any(r == 0 for r in rj):
        raise InvalidInputError("--closure 3 needs junction resistances (--rj > 0); with --rj 0 use --closure 4")
    if "4" in values and any(r != 0 for r in rj):
        raise InvalidInputError("--closure 4 is the seamless closure: it needs --rj 0 (use --closure 3 for rj > 0)")
    return list(dict.fromkeys("none" if v == "none" else "regular" for v in values))


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread (a BaseException, so no ``except Exception`` of a row swallows it)."""


#: Exit status of a sweep stopped by a signal: 128 + the signal number, as a shell reports it.
_STOPPED = {signal.SIGINT: (130, "Ctrl-C (SIGINT)"), signal.SIGTERM: (143, "SIGTERM")}


@contextmanager
def _stop_on_signals():
    """SIGINT raises KeyboardInterrupt and SIGTERM raises _Terminated, once: a second signal during the clean-up
    (workers stopped, store closed) is ignored rather than breaking it with a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        for name in _STOPPED:
            signal.signal(name, signal.SIG_IGN)
        raise KeyboardInterrupt if signum == signal.SIGINT else _Terminated

    previous = {name: signal.signal(name, stop) for name in _STOPPED}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)


def _stored_rows(path: Path) -> str:
    """How many rows a stopped sweep left in its store (read-only; the store may not exist yet)."""
    from nanograph.ensemble import ResultsStore
    from nanograph.errors import NanographError

    try:
        with ResultsStore(path) as store:
            count = store.count()
    except NanographError:
        return "no row was stored"
    return f"{count} row{'s are' if count != 1 else ' is'} stored in {path}"


def _root_seed(path: Path, seed: int | None) -> int | None:
    """The sweep's root seed: ``--seed``, else the fresh entropy the store recorded (so the sweep can be redone)."""
    if seed is not None:
        return seed
    with _open_store(path) as store:
        entropy = store.meta().get("entropy")
    return None if entropy is None else int(entropy)


def _cmd_sweep(args) -> int:
    from nanograph.ensemble import run_sweep
    from nanograph.ensemble.analyses import describe_analyses
    from nanograph.ensemble.executors import check_executor
    from nanograph.ensemble.sweep import check_solver

    if args.list_analyses:
        for name, text in describe_analyses().items():
            print(f"{name:<16} {text}")
        return 0
    grid = _grid(args)
    check_executor(args.executor, args.workers, args.scheduler)
    check_solver(args.solver)
    if not (args.json or args.quiet):
        print(f"nanograph sweep: {len(grid.points())} grid points x {grid.runs} runs = {grid.n_realizations} "
              f"realizations; analyses {', '.join(grid.analyses)}; store {args.store}", flush=True)  # fmt: skip
    try:
        with _stop_on_signals():
            summary = run_sweep(grid, args.store, executor=args.executor, workers=args.workers,
                                scheduler=args.scheduler, retry_errors=args.retry_errors, solver=args.solver,
                                progress=None if not (args.json or args.quiet) else False)  # fmt: skip
    except (KeyboardInterrupt, _Terminated) as exc:
        code, name = _STOPPED[signal.SIGINT if isinstance(exc, KeyboardInterrupt) else signal.SIGTERM]
        print(f"nanograph sweep: stopped by {name}; {_stored_rows(args.store)} (every finished realization): "
              "rerun the same command to resume", file=sys.stderr)  # fmt: skip
        return code
    fields = {k: v for k, v in summary.__dict__.items() if k != "seconds"}
    record = versioned({**fields, "rate": summary.rate, "store": args.store, "timings": {"total": summary.seconds}},
                       seed=_root_seed(args.store, args.seed))  # fmt: skip
    emit(args, record, lambda: print(summary))
    if summary.failed:
        print(f"nanograph sweep: {summary.failed} of {summary.total} rows failed (kept as error rows; "
              f"`nanograph results {args.store}` shows the first error; fix it and rerun with --retry-errors)",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


def _open_store(path: Path):
    from nanograph.ensemble import ResultsStore

    return ResultsStore(path, mode="r")


def _cmd_results(args) -> int:
    from nanograph.ensemble.store import records

    with _open_store(args.store) as store:
        if args.output is not None:
            path = store.export(args.output, args.format, aggregated=args.aggregate)
            if args.json:
                print_json(versioned({"output": path, "aggregate": args.aggregate, "rows": store.count()}))
            elif not args.quiet:
                print(f"wrote {'the per-point aggregate' if args.aggregate else f'{store.count()} rows'} to {path}")
            return 0
        if args.format is not None:
            raise InvalidInputError("--format needs -o/--output FILE")
        table = store.aggregate()
        counts = {"rows": store.count(), "ok": store.count("ok"), "errors": store.count("error"), "points": len(table)}
        if args.json:
            print_json(versioned({**counts, "aggregate": records(table)}))
            return 0
        if args.quiet:
            return 0
        print(f"{args.store}: {counts['rows']} rows ({counts['errors']} errors) at {counts['points']} grid points")
        errors = [r for r in store.rows() if r["status"] == "error"]
        if counts["ok"]:
            _print_table(store, table)
        else:
            print(
                "no successful rows yet"
                if counts["rows"]
                else "no rows yet: the sweep has not finished any realization"
            )
        if errors:
            print(f"first error (run {errors[0]['run']} of {errors[0]['params']}): {errors[0]['error']}")
    return 0


def _print_table(store, table) -> None:
    """The aggregate with the varying grid parameters and ``mean ± s.e.`` of each output."""
    varying = [c for c in store.meta().get("columns", []) if c in table and table[c].nunique(dropna=False) > 1]
    means = [c for c in table.columns if c.endswith("_mean")]
    shown = table[varying + ["runs", "errors"]].copy()
    for mean in means:
        name = mean[: -len("_mean")]
        shown[name] = [f"{m:.6g} ± {s:.2g}" for m, s in zip(table[mean], table[f"{name}_sem"].fillna(0), strict=True)]
    print(shown.to_string(index=False))


def _cmd_plot(args) -> int:
    from nanograph.ensemble.plot import plot_sweep

    check_image_suffix(args.output)
    with _open_store(args.store) as store:
        table = store.aggregate()
        ok, errors = store.count("ok"), store.count("error")
    if not ok:
        what = f"its {errors} rows all failed (see `nanograph results {args.store}`)" if errors else "it has no rows"
        raise InvalidInputError(f"store {str(args.store)!r} holds no successful rows to plot: {what}")
    from nanograph.plotting.style import save_figure, styled

    with styled():
        ax = plot_sweep(table, args.x, args.y, args.hue, logx=args.logx, logy=args.logy)
        ax.set_title(args.title if args.title is not None else f"{args.y} vs {args.x} ({args.store.name})")
        provenance = {"command": "plot", "store": str(args.store), "x": args.x, "y": args.y, "hue": args.hue,
                      "points": len(table), "rows": ok}  # fmt: skip
        save_figure(ax.figure, args.output, provenance, dpi=args.dpi)
    emit(args, versioned({"output": args.output, **provenance}), lambda: print(f"wrote {args.output}"))
    return 0


def _add_grid_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("grid (each flag takes one or more values; the grid is their product)")
    g.add_argument("--config", type=Path, help="TOML grid file (keys as the flags); flags given here override it")
    g.add_argument("--density", type=float, nargs="+", help="n l^2 values")
    g.add_argument("--boxes", type=float, nargs="+", metavar="L",
                   help="box side L values (stick length 1). Default 16")  # fmt: skip
    g.add_argument("--box", type=float, nargs="+", metavar="L", action=BoxOrSizes, sizes="boxes",
                   help="one box side L (several values: use --boxes)")  # fmt: skip
    g.add_argument("--length", nargs="+", help="stick length or distribution specs. Default 1")
    g.add_argument("--odf", nargs="+", help="orientation distribution specs. Default isotropic")
    g.add_argument("--odf-param", action="append", metavar="NAME=V1,V2",
                   help="grid over a parameter of --odf, e.g. --odf cross --odf-param omega=0.1,0.3 (repeatable)")  # fmt: skip
    g.add_argument("--periodic", nargs="+", choices=PERIODIC_CHOICES, help="periodic axes. Default none (bus bars)")
    g.add_argument("--form", nargs="+", choices=FORMS, help="graph forms. Default junction-node")
    g.add_argument("--rj", type=float, nargs="+", help="junction resistances (ohm). Default 1")
    g.add_argument("--rw", type=float, nargs="+", help="wire resistances per unit length (ohm). Default 1")
    g.add_argument("--re", type=float, nargs="+", help="electrode contact resistances (ohm). Default: rj")
    g.add_argument("--closure", nargs="+", choices=_ClosureChoices(CLOSURE_NAMES), action=_ClosureAction,
                   help="closure: none, 3 (3-regular, rj > 0) or 4 (seamless 4-regular, rj = 0). Default none")  # fmt: skip
    g.add_argument("--runs", type=int, help="realizations per grid point. Default 1")
    g.add_argument("--seed", type=int, help="root seed (omit: fresh entropy, kept in the store)")
    g.add_argument("--analyses", nargs="+", help="per-realization analyses (see --list-analyses). Default conductance")
    x = p.add_argument_group("execution")
    x.add_argument("--store", type=Path, default=Path("runs.sqlite"), help="SQLite results file. Default runs.sqlite")
    x.add_argument("--executor", choices=EXECUTORS, default="processes", help="where to run. Default processes")
    x.add_argument("--workers", type=int, help="process-pool size. Default: all CPUs")
    x.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (implies --executor dask)")
    x.add_argument("--retry-errors", action="store_true", help="recompute rows stored as errors")
    x.add_argument("--solver", choices=SOLVERS, default="auto", help="linear solver back-end. Default auto")
    x.add_argument("--list-analyses", action="store_true", help="list the registered analyses and exit")
    add_output(x, "print the summary as one JSON object")


def register(sub) -> None:
    """Add ``sweep``, ``results`` and ``plot`` to the subparsers ``sub``."""
    p = add_command(sub, "sweep", "ensemble over a parameter grid into a resumable SQLite store (rerun to resume)",
                    "nanograph sweep --density 8 10 12 --box 16 --runs 20 --form wire-node --store runs.sqlite "
                    "--workers 2 --seed 3", _cmd_sweep)  # fmt: skip
    _add_grid_flags(p)

    p = add_command(sub, "results", "summarise a sweep store, or export it (csv, parquet, json)",
                    "nanograph results runs.sqlite --format csv -o runs.csv", _cmd_results)  # fmt: skip
    p.add_argument("store", type=Path, help="SQLite results file of `nanograph sweep`")
    p.add_argument("-o", "--output", type=Path, help="export to this file (one row per realization)")
    p.add_argument("--format", choices=["csv", "parquet", "json"], help="export format. Default: the file suffix")
    p.add_argument("--aggregate", action="store_true", help="export mean, standard error and count per grid point")
    add_output(p, "print the summary and aggregate (or what was exported) as JSON")

    p = add_command(sub, "plot", "plot an output of a sweep against a grid parameter, with standard-error bars",
                    "nanograph plot runs.sqlite --x density --y conductance --hue form -o fig.png", _cmd_plot)  # fmt: skip
    p.add_argument("store", type=Path, help="SQLite results file of `nanograph sweep`")
    p.add_argument("--x", required=True, help="grid parameter on the horizontal axis, e.g. density")
    p.add_argument("--y", required=True, help="output on the vertical axis, e.g. conductance")
    p.add_argument("--hue", help="grid parameter drawn as separate lines, e.g. form")
    p.add_argument("--logx", action="store_true", help="logarithmic x axis")
    p.add_argument("--logy", action="store_true", help="logarithmic y axis")
    p.add_argument("--title", help="figure title")
    p.add_argument("-o", "--output", type=Path, required=True, help="image file (.png, .pdf, .svg)")
    p.add_argument("--dpi", type=float, default=None, help="resolution of raster images. Default 200")
    add_output(p, "print a JSON summary of what was plotted and written")
