"""Crash-safe results store of a sweep: one SQLite file in WAL mode, a row committed per realization.

Each finished realization is one row keyed by ``(params, run)``: its grid point (canonical JSON), its run
index, the seed provenance (``seed_entropy``, ``seed_spawn_key``), ``status`` (``ok`` or ``error`` with the
error message), the outputs of its analyses (JSON), the seconds it took and when it finished. A row is
committed the moment it arrives, so killing a sweep (Ctrl-C, ``kill -9``, a crashed worker or machine)
loses at most the realizations still in flight; rerunning the same sweep skips every stored row.

The ``meta`` table records the sweep's root entropy and analyses; a store refuses to be resumed with a
different seed or different analyses (its rows would not be one ensemble).

Examples
--------
>>> import tempfile, pathlib
>>> store = ResultsStore(pathlib.Path(tempfile.mkdtemp()) / "runs.sqlite", mode="a")   # a new store
>>> store.count()
0
"""

from __future__ import annotations

import importlib.util
import json
import math
import sqlite3
import time
from pathlib import Path

from nanograph.errors import InvalidInputError

__all__ = ["ResultsStore", "RowResult", "aggregate", "point_key", "records"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    params TEXT NOT NULL,
    run INTEGER NOT NULL,
    seed_entropy TEXT NOT NULL,
    seed_spawn_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error TEXT,
    outputs TEXT NOT NULL,
    seconds REAL,
    finished_at REAL NOT NULL,
    PRIMARY KEY (params, run)
);
"""


def point_key(point: dict) -> str:
    """Canonical JSON of a grid point (sorted keys): the ``params`` column that identifies it."""
    return json.dumps(point, sort_keys=True)


def _json_number(value):
    """JSON has no inf/NaN: store them as None (a missing value in the exported table)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class RowResult(dict):
    """One finished realization as stored: ``params`` (dict), ``run``, seed provenance, status and outputs."""


class ResultsStore:
    """A sweep's SQLite results file (WAL journal, one commit per row).

    Parameters
    ----------
    path : str or Path
        The ``.sqlite`` file.
    mode : {"r", "a"}
        ``"r"`` (default) reads an existing store and never creates or modifies a file; ``"a"`` (what
        :func:`~nanograph.ensemble.run_sweep` uses) adds rows, creating the store when ``path`` is missing
        or an empty file. Either way a database without nanograph's ``meta`` and ``rows`` tables is refused,
        and a missing folder is an error (it is never created).

    Raises
    ------
    InvalidInputError
        If ``path`` is a folder, its folder is missing, it is not a SQLite file, it is not a nanograph store,
        or (``"r"``) it does not exist.
    """

    def __init__(self, path: str | Path, mode: str = "r"):
        if mode not in ("r", "a"):
            raise InvalidInputError(f"store mode must be 'r' (read) or 'a' (add rows), got {mode!r}")
        self.path = Path(path)
        self.mode = mode
        name = str(self.path)
        flag = " (--store)" if mode == "a" else ""
        if self.path.is_dir():
            raise InvalidInputError(f"store {name!r}{flag} is a folder; give a file such as runs.sqlite")
        exists = self.path.is_file()
        if mode == "r" and not exists:
            raise InvalidInputError(f"no results store at {name!r}; make one with `nanograph sweep --store {name}`")
        if not self.path.parent.is_dir():
            raise InvalidInputError(f"store {name!r}{flag}: the folder {str(self.path.parent)!r} does not exist; "
                                    "create it first or give a --store in an existing folder")  # fmt: skip
        new = not exists or self.path.stat().st_size == 0
        try:
            self._db = self._connect(new)
            tables = {t for (t,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise InvalidInputError(f"store {name!r} is not a SQLite file ({exc}); give a nanograph results store "
                                    "(made by `nanograph sweep`) or a new file name") from None  # fmt: skip
        if not (new and mode == "a") and not {"meta", "rows"} <= tables:
            self._db.close()
            what = "is empty" if new else f"has no nanograph sweep (tables: {', '.join(sorted(tables)) or 'none'})"
            raise InvalidInputError(f"store {name!r} {what}; give a store made by `nanograph sweep`, or a new file "
                                    "name for a new sweep")  # fmt: skip
        if mode == "a":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)

    def _connect(self, new: bool) -> sqlite3.Connection:
        """A connection: read-write for ``"a"``; for ``"r"`` read-only, and ``immutable`` when no sweep is
        writing (no ``-wal`` file), so that reading does not leave SQLite's ``-shm``/``-wal`` files behind."""
        if self.mode == "a":
            return sqlite3.connect(self.path, timeout=30.0)
        live = Path(f"{self.path}-wal").exists()
        uri = f"{self.path.resolve().as_uri()}?mode=ro" + ("" if live else "&immutable=1")
        return sqlite3.connect(uri, uri=True, timeout=30.0)

    def close(self) -> None:
        """Close the connection (the file stays consistent at any time, closed or not)."""
        self._db.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- sweep metadata ---------------------------------------------------------------------------------
    def meta(self) -> dict:
        """The sweep metadata (root entropy, analyses, grid columns, nanograph version, ...)."""
        return {k: json.loads(v) for k, v in self._db.execute("SELECT key, value FROM meta")}

    def bind(self, entropy: int | None, analyses, columns) -> int:
        """Record (or check) the sweep's root entropy, analyses and grid columns; returns the root entropy.

        ``entropy=None`` adopts the stored entropy (resuming a sweep started without ``--seed``).

        Raises
        ------
        InvalidInputError
            If the store holds a sweep with another seed or other analyses.
        """
        from nanograph import __version__
        from nanograph.ensemble.seeds import root_entropy

        meta = self.meta()
        if "entropy" in meta:
            stored = int(meta["entropy"])
            if entropy is not None and int(entropy) != stored:
                raise InvalidInputError(f"store {str(self.path)!r} holds a sweep with seed {stored}, not {entropy}; "
                                        "use the same --seed to resume, or a new --store")  # fmt: skip
            if list(meta["analyses"]) != list(analyses):
                raise InvalidInputError(f"store {str(self.path)!r} holds the analyses {meta['analyses']}, not "
                                        f"{list(analyses)}; use the same analyses to resume, or a new --store")  # fmt: skip
            merged = list(dict.fromkeys([*meta["columns"], *columns]))
            if merged != meta["columns"]:
                self._set_meta({"columns": merged})
            return stored
        entropy = root_entropy(entropy)
        self._set_meta({"entropy": str(entropy), "analyses": list(analyses), "columns": list(columns),
                        "nanograph": __version__, "created": time.time()})  # fmt: skip
        return entropy

    def _set_meta(self, items: dict) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                 [(k, json.dumps(v)) for k, v in items.items()])  # fmt: skip

    # -- rows ---------------------------------------------------------------------------------------------
    def finished(self, include_errors: bool = True) -> set[tuple[str, int]]:
        """``(params, run)`` of every stored row (only ``ok`` rows when ``include_errors`` is False)."""
        sql = "SELECT params, run FROM rows" + ("" if include_errors else " WHERE status = 'ok'")
        return {(p, r) for p, r in self._db.execute(sql)}

    def add(self, row: dict) -> None:
        """Commit one finished realization (replacing an earlier error row of the same ``(params, run)``)."""
        outputs = json.dumps({k: _json_number(v) for k, v in row["outputs"].items()}, allow_nan=False)
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (point_key(row["params"]), int(row["run"]), str(row["seed_entropy"]),
                 json.dumps(list(row["seed_spawn_key"])), row["status"], row.get("error"), outputs,
                 row.get("seconds"), time.time()),
            )  # fmt: skip

    def count(self, status: str | None = None) -> int:
        """Number of stored rows (of one ``status`` if given)."""
        if status is None:
            return self._db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM rows WHERE status = ?", (status,)).fetchone()[0]

    def rows(self) -> list[RowResult]:
        """Every stored row, in the order they finished."""
        cur = self._db.execute("SELECT params, run, seed_entropy, seed_spawn_key, status, error, outputs, seconds, "
                               "finished_at FROM rows ORDER BY finished_at, rowid")  # fmt: skip
        out = []
        for params, run, entropy, key, status, error, outputs, seconds, finished_at in cur:
            out.append(RowResult(params=json.loads(params), run=run, seed_entropy=entropy, seed_spawn_key=key,
                                 status=status, error=error, outputs=json.loads(outputs), seconds=seconds,
                                 finished_at=finished_at))  # fmt: skip
        return out

    # -- tables -------------------------------------------------------------------------------------------
    def frame(self, errors: bool = True):
        """One row per realization as a pandas DataFrame.

        Columns: every grid parameter (``density``, ``box``, ..., then any ODF parameter), ``run``,
        ``seed_entropy``, ``seed_spawn_key``, ``status``, ``error``, every output, ``seconds``.
        ``errors=False`` keeps only the ``ok`` rows.
        """
        pd = _pandas()
        columns = self.meta().get("columns", [])
        records = []
        outputs: dict[str, None] = {}
        for row in self.rows():
            if not errors and row["status"] != "ok":
                continue
            outputs.update(dict.fromkeys(row["outputs"]))
            records.append({**row["params"], "run": row["run"], "seed_entropy": row["seed_entropy"],
                            "seed_spawn_key": row["seed_spawn_key"], "status": row["status"],
                            "error": row["error"], **row["outputs"], "seconds": row["seconds"]})  # fmt: skip
        order = [*columns, "run", "seed_entropy", "seed_spawn_key", "status", "error", *outputs, "seconds"]
        frame = pd.DataFrame.from_records(records, columns=order)
        return frame.sort_values([*columns, "run"], kind="stable", ignore_index=True) if len(frame) else frame

    def aggregate(self, outputs=None):
        """Mean, standard error and count of each numeric output per grid point (``ok`` rows only).

        Parameters
        ----------
        outputs : list of str, optional
            Output columns to aggregate (default: every numeric or boolean output; a boolean's mean is a
            fraction, e.g. the percolation probability).

        Returns
        -------
        pandas.DataFrame
            One row per grid point: the grid-parameter columns, ``runs`` (ok rows), ``errors``, then
            ``<output>_mean``, ``<output>_sem`` (sample standard deviation / sqrt(count); NaN for one
            value) and ``<output>_count`` (non-missing values) for each output.
        """
        return aggregate(self.frame(), self.meta().get("columns", []), outputs)

    def export(self, path: str | Path, format: str | None = None, aggregated: bool = False) -> Path:
        """Write the rows (or the per-point aggregate) to ``path`` as ``csv``, ``parquet`` or ``json``.

        The format defaults to the file suffix. JSON is a list of records (one object per row).

        Raises
        ------
        InvalidInputError
            Unknown format, or the folder of ``path`` is missing (it is not created);
            :class:`~nanograph.errors.BackendUnavailableError` when Parquet needs pyarrow.
        """
        path = Path(path)
        format = (format or path.suffix.lstrip(".")).lower()
        if format not in ("csv", "parquet", "json"):
            raise InvalidInputError(f"export format must be csv, parquet or json (or a file with that suffix), "
                                    f"got {format or str(path)!r}")  # fmt: skip
        if not path.parent.is_dir():
            raise InvalidInputError(f"export file {str(path)!r} (-o/--output): the folder {str(path.parent)!r} does "
                                    "not exist; create it first or write into an existing folder")  # fmt: skip
        table = self.aggregate() if aggregated else self.frame()
        if format == "csv":
            table.to_csv(path, index=False)
        elif format == "json":
            path.write_text(json.dumps(records(table), indent=1))
        else:
            if importlib.util.find_spec("pyarrow") is None:
                from nanograph.errors import BackendUnavailableError

                raise BackendUnavailableError("Parquet export needs pyarrow: pip install 'nanograph[parquet]'")
            table.to_parquet(path, index=False)
        return path


def records(table) -> list[dict]:
    """The rows of a DataFrame as JSON-ready dicts (missing values as None, floats to full precision)."""
    clean = table.astype(object).where(table.notna(), None)
    return [{k: v.item() if hasattr(v, "item") else v for k, v in row.items()} for row in clean.to_dict("records")]


def aggregate(frame, columns, outputs=None):
    """Mean, standard error and count of ``outputs`` per combination of ``columns`` (see :meth:`ResultsStore.aggregate`)."""
    pd = _pandas()
    ok = frame[frame["status"] == "ok"] if len(frame) else frame
    fixed = {*columns, "run", "seed_entropy", "seed_spawn_key", "status", "error", "seconds"}
    if outputs is None:
        outputs = [c for c in frame.columns if c not in fixed and _numeric(frame[c])]
    else:
        missing = [c for c in outputs if c not in frame.columns]
        if missing:
            raise InvalidInputError(f"no output column {', '.join(map(repr, missing))}; outputs are "
                                    f"{', '.join(c for c in frame.columns if c not in fixed)}")  # fmt: skip
    keys = list(columns)
    if not len(frame):
        return pd.DataFrame(columns=[*keys, "runs", "errors"])
    errors = (frame["status"] == "error").groupby([frame[k] for k in keys], dropna=False, sort=True).sum()
    parts = {"runs": ok.groupby(keys, dropna=False, sort=True).size(), "errors": errors}
    grouped = ok[keys + list(outputs)].astype({c: float for c in outputs}).groupby(keys, dropna=False, sort=True)
    for c in outputs:
        parts[f"{c}_mean"] = grouped[c].mean()
        parts[f"{c}_sem"] = grouped[c].sem()
        parts[f"{c}_count"] = grouped[c].count()
    table = pd.DataFrame(parts)
    table["runs"] = table["runs"].fillna(0).astype(int)
    return table.reset_index()


def _numeric(series) -> bool:
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, (bool, int, float)) for v in values)


def _pandas():
    try:
        import pandas
    except ImportError:
        from nanograph.errors import BackendUnavailableError

        raise BackendUnavailableError("results tables need pandas: pip install pandas") from None
    return pandas
