"""Crash-safe results store of a sweep: one SQLite file in WAL mode, a row committed per realization.

Each finished realization is one row keyed by ``(params, run)``: its grid point (canonical JSON), its run
index, the seed provenance (``seed_entropy``, ``seed_spawn_key``), ``status`` (``ok`` or ``error`` with the
error message), the outputs of its analyses (JSON), the seconds it took and when it finished. A row is
committed the moment it arrives, so killing a sweep (Ctrl-C, ``kill -9``, a crashed worker or machine)
loses at most the realizations still in flight; rerunning the same sweep skips every stored row.

The ``meta`` table records the sweep's root entropy and analyses; a store refuses to be resumed with a
different seed or different analyses (its rows would not be one ensemble).

What the store promises (see the reliability guide):

* **Identity.** A store carries nanograph's SQLite ``application_id`` (:data:`APPLICATION_ID`) and exactly
  nanograph's columns in its ``meta`` and ``rows`` tables. Both are checked, through a read-only
  connection, before any statement that writes; anything else is refused unchanged. (A store of
  nanograph <= 0.2 has the columns but no id: it is recognised by its columns and gets the id the first
  time rows are added to it.)
* **Atomic creation.** A new store is built completely in a hidden file beside it
  (``.runs.sqlite.<pid>-<token>.creating``) and then published under its name in one step (a hard link;
  a rename over an empty file). A kill at any moment leaves no store or a complete one; the hidden files of
  killed processes are removed by the next creation in that folder.
* **Reading** (``mode="r"``) never writes the database or its ``-wal`` file: without a ``-wal`` it opens the
  file as immutable and touches nothing; while a ``-wal`` exists (a sweep is running, or one was killed) it
  opens read-only, and SQLite may create or update the shared-memory index ``-shm`` only.
* **Errors** are one line (:class:`~nanograph.errors.InvalidInputError` for a file that is not a usable
  store: foreign, damaged, read-only; :class:`~nanograph.errors.NanographError` for a full disk or failed
  device). A failed write loses nothing that was committed. A damaged store (``PRAGMA quick_check``) is
  never written to.

Examples
--------
>>> import tempfile, pathlib
>>> store = ResultsStore(pathlib.Path(tempfile.mkdtemp()) / "runs.sqlite", mode="a")   # a new store
>>> store.count(), hex(store.application_id())
(0, '0x4e475357')
"""

from __future__ import annotations

import glob
import importlib.util
import json
import math
import os
import secrets
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nanograph.errors import InvalidInputError, NanographError

__all__ = ["APPLICATION_ID", "ResultsStore", "RowResult", "aggregate", "point_key", "records"]

#: SQLite ``application_id`` of a nanograph results store (the ASCII bytes ``NGSW``, header offset 68).
APPLICATION_ID = 0x4E475357
#: ``user_version`` of the store layout written by this nanograph (a store with a larger one is refused).
SCHEMA_VERSION = 1
#: Seconds a connection waits for another sweep's lock on the same store.
LOCK_TIMEOUT = 30.0

_COLUMNS = {
    "meta": ("key", "value"),
    "rows": ("params", "run", "seed_entropy", "seed_spawn_key", "status", "error", "outputs", "seconds", "finished_at"),
}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE rows (
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


def _version() -> str:
    """The installed nanograph version, recorded in a new store's ``meta`` (its one home: nanograph._version)."""
    from nanograph._version import __version__

    return __version__


class RowResult(dict):
    """One finished realization as stored: ``params`` (dict), ``run``, seed provenance, status and outputs."""


class ResultsStore:
    """A sweep's SQLite results file (WAL journal, one commit per row).

    Parameters
    ----------
    path : str or Path
        The ``.sqlite`` file.
    mode : {"r", "a"}
        ``"r"`` (default) reads an existing store and never creates a file or writes the database or its
        ``-wal``; ``"a"`` (what :func:`~nanograph.ensemble.run_sweep` uses) adds rows, creating the store
        atomically when ``path`` is missing or an empty file. Either way anything but a nanograph store is
        refused before a single write, and a missing folder is an error (it is never created). A store that
        cannot be written (read-only file, folder or file system) opens in ``"a"`` too, read-only, and refuses
        the first write (see :meth:`check_writable`).

    Attributes
    ----------
    path : Path
        The store file.
    mode : str
        ``"r"`` or ``"a"``.
    writable : bool
        Whether rows can be added (``"a"`` and the file, its folder and file system are writable).

    Raises
    ------
    InvalidInputError
        If ``path`` is a folder, its folder is missing or read-only (for a new store), it is not a SQLite
        file, it is not a nanograph store (foreign application id or other columns), it is damaged
        (``"a"``), or (``"r"``) it does not exist.
    NanographError
        If the disk is full or fails while the store is created.
    """

    def __init__(self, path: str | Path, mode: str = "r"):
        if mode not in ("r", "a"):
            raise InvalidInputError(f"store mode must be 'r' (read) or 'a' (add rows), got {mode!r}")
        self.path = Path(path)
        self.mode = mode
        self.writable = False
        self._read_only_reason = "it was opened with mode='r'"
        _check_location(self.path, mode)
        if mode == "a":
            _remove_stale_temporaries(self.path)
            if _is_new(self.path):
                _create(self.path)
        self._db = self._open()

    # -- opening -------------------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        """Identify the file through a read-only connection; for ``"a"`` then reopen it for writing."""
        db = self._connect_read_only()
        try:
            with self._sql("reading its header and tables"):
                legacy = _identify(db, str(self.path))
                if self.mode == "a":
                    _check_intact(db, str(self.path))
        except BaseException:
            db.close()
            raise
        if self.mode == "r":
            return db
        reason = _not_writable(self.path)
        if reason is not None:
            self._read_only_reason = reason
            return db
        db.close()
        return self._open_for_writing(legacy)

    def _connect_read_only(self) -> sqlite3.Connection:
        """Read-only, and ``immutable`` when no sweep is writing (no ``-wal``): nothing on disk is touched."""
        live = Path(f"{self.path}-wal").exists()
        uri = f"{self.path.resolve().as_uri()}?mode=ro" + ("" if live else "&immutable=1")
        with self._sql("opening it"):
            return sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT)

    def _open_for_writing(self, legacy: bool) -> sqlite3.Connection:
        with self._sql("opening it for writing"):
            db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT)
        try:
            with self._sql("opening it for writing"):
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                if legacy:  # identified by its columns: stamp it as ours
                    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            db.close()
            raise
        self.writable = True
        return db

    @contextmanager
    def _sql(self, doing: str) -> Iterator[None]:
        """Turn SQLite's exceptions into one-line nanograph errors naming the store and what failed."""
        try:
            yield
        except sqlite3.Error as exc:
            db = getattr(self, "_db", None)
            if db is not None and db.in_transaction:  # a failed COMMIT (disk full) leaves it open
                try:
                    db.rollback()
                except sqlite3.Error:
                    pass
            raise _store_error(str(self.path), exc, doing) from None

    def close(self) -> None:
        """Close the connection (the file stays consistent at any time, closed or not)."""
        self._db.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def application_id(self) -> int:
        """The SQLite ``application_id`` of the file (:data:`APPLICATION_ID`; 0 for a store of nanograph <= 0.2)."""
        with self._sql("reading its header"):
            return self._db.execute("PRAGMA application_id").fetchone()[0]

    def check_writable(self, rows_to_add: int = 1) -> None:
        """Refuse, before any work, to add ``rows_to_add`` rows to a store that cannot be written.

        Parameters
        ----------
        rows_to_add : int
            Rows the caller is about to add; 0 always passes (a finished sweep on a read-only store).

        Raises
        ------
        InvalidInputError
            If ``rows_to_add > 0`` and the store was opened with ``mode="r"`` or cannot be written.
        """
        if rows_to_add > 0 and not self.writable:
            count = f"{rows_to_add} row{'s' if rows_to_add != 1 else ''} still to add"
            if self.mode == "r":
                raise InvalidInputError(f"store {str(self.path)!r} was opened read-only ({count}); open it with "
                                        "mode='a' to add rows")  # fmt: skip
            raise InvalidInputError(f"store {str(self.path)!r} is read-only ({self._read_only_reason}) and has "
                                    f"{count}; every stored row can still be read: make it writable, or copy it "
                                    "to a folder you can write to and resume there")  # fmt: skip

    # -- sweep metadata ---------------------------------------------------------------------------------
    def meta(self) -> dict:
        """The sweep metadata (root entropy, analyses, grid columns, nanograph version, ...)."""
        with self._sql("reading its metadata"):
            return {k: json.loads(v) for k, v in self._db.execute("SELECT key, value FROM meta")}

    def bind(self, entropy: int, analyses, columns) -> int:
        """Record (or check) the sweep's root entropy, analyses and grid columns; returns the root entropy.

        The entropy is chosen by :func:`~nanograph.ensemble.seeds.sweep_entropy` (the stored one when the
        grid has no seed); the store records it, or checks it against the one it holds.

        Parameters
        ----------
        entropy : int
            The sweep's root entropy.
        analyses : sequence of str
            The analyses of every row.
        columns : sequence of str
            The grid's parameter columns (merged with the stored ones).

        Returns
        -------
        int
            ``entropy``.

        Raises
        ------
        InvalidInputError
            If ``entropy`` is not an integer, the store holds a sweep with another entropy or other analyses,
            or it cannot be written and has no sweep recorded yet.
        """
        if isinstance(entropy, bool) or not isinstance(entropy, int):
            raise InvalidInputError(f"entropy must be the sweep's root entropy (an int, see "
                                    f"nanograph.ensemble.seeds.sweep_entropy), got {entropy!r}")  # fmt: skip
        meta = self.meta()
        if "entropy" not in meta:
            self._set_meta({"entropy": str(entropy), "analyses": list(analyses), "columns": list(columns),
                            "nanograph": _version(), "created": time.time()})  # fmt: skip
            return entropy
        stored = int(meta["entropy"])
        if entropy != stored:
            raise InvalidInputError(f"store {str(self.path)!r} holds a sweep with seed {stored}, not {entropy}; "
                                    "use the same --seed to resume, or a new store path")  # fmt: skip
        if list(meta["analyses"]) != list(analyses):
            raise InvalidInputError(f"store {str(self.path)!r} holds the analyses {meta['analyses']}, not "
                                    f"{list(analyses)}; use the same analyses to resume, or a new store path")  # fmt: skip
        merged = list(dict.fromkeys([*meta["columns"], *columns]))
        if merged != meta["columns"]:
            self._set_meta({"columns": merged})
        return stored

    def _set_meta(self, items: dict) -> None:
        if not self.writable:
            raise InvalidInputError(f"store {str(self.path)!r} is read-only ({self._read_only_reason}), so the "
                                    "sweep's seed, analyses and grid columns cannot be recorded in it; make it "
                                    "writable, or give a new --store")  # fmt: skip
        with self._sql("recording the sweep's metadata"), self._db:
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                 [(k, json.dumps(v)) for k, v in items.items()])  # fmt: skip

    # -- rows ---------------------------------------------------------------------------------------------
    def finished(self, include_errors: bool = True) -> set[tuple[str, int]]:
        """``(params, run)`` of every stored row (only ``ok`` rows when ``include_errors`` is False)."""
        sql = "SELECT params, run FROM rows" + ("" if include_errors else " WHERE status = 'ok'")
        with self._sql("reading its rows"):
            return {(p, r) for p, r in self._db.execute(sql)}

    def add(self, row: dict) -> None:
        """Commit one finished realization (replacing an earlier error row of the same ``(params, run)``).

        Raises
        ------
        InvalidInputError
            If the store is read-only (:meth:`check_writable`).
        NanographError
            If the disk is full or the device fails: the row is not stored, every earlier row is kept.
        """
        self.check_writable()
        outputs = json.dumps({k: _json_number(v) for k, v in row["outputs"].items()}, allow_nan=False)
        with self._sql("adding a row"), self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (point_key(row["params"]), int(row["run"]), str(row["seed_entropy"]),
                 json.dumps(list(row["seed_spawn_key"])), row["status"], row.get("error"), outputs,
                 row.get("seconds"), time.time()),
            )  # fmt: skip

    def count(self, status: str | None = None) -> int:
        """Number of stored rows (of one ``status`` if given)."""
        with self._sql("counting its rows"):  # NOT INDEXED: the table alone, readable even if its index is damaged
            if status is None:
                return self._db.execute("SELECT COUNT(*) FROM rows NOT INDEXED").fetchone()[0]
            return self._db.execute("SELECT COUNT(*) FROM rows NOT INDEXED WHERE status = ?", (status,)).fetchone()[0]

    def rows(self) -> list[RowResult]:
        """Every stored row, in the order they finished."""
        with self._sql("reading its rows"):
            cur = self._db.execute("SELECT params, run, seed_entropy, seed_spawn_key, status, error, outputs, "
                                   "seconds, finished_at FROM rows NOT INDEXED ORDER BY finished_at, rowid").fetchall()  # fmt: skip
        out = []
        for params, run, entropy, key, status, error, outputs, seconds, finished_at in cur:
            out.append(RowResult(params=json.loads(params), run=run, seed_entropy=entropy, seed_spawn_key=key,
                                 status=status, error=error, outputs=json.loads(outputs), seconds=seconds,
                                 finished_at=finished_at))  # fmt: skip
        return out

    # -- tables -------------------------------------------------------------------------------------------
    def to_pandas(self, errors: bool = True):
        """One row per realization as a pandas DataFrame (:meth:`frame` is the same).

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

    frame = to_pandas  # the earlier name, kept

    def _display(self) -> list[tuple[str, object]]:
        fields: list[tuple[str, object]] = [("path", str(self.path)), ("mode", self.mode)]
        try:
            meta = self.meta()
            fields += [("rows", self.count()), ("ok", self.count("ok")), ("errors", self.count("error")),
                       ("columns", meta.get("columns", [])), ("analyses", meta.get("analyses", []))]  # fmt: skip
        except Exception:  # noqa: BLE001 - a closed or damaged store still shows where it is
            fields.append(("state", "unreadable or closed"))
        return fields

    def __repr__(self) -> str:
        """One line: path, mode, row counts (all, ok, errors), grid columns and analyses."""
        from nanograph._display import summary_repr

        return summary_repr("ResultsStore", self._display())

    def _repr_html_(self) -> str:
        from nanograph._display import html_table

        return html_table("ResultsStore", self._display())

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


# -- locating, creating and identifying a store --------------------------------------------------------------
def _check_location(path: Path, mode: str) -> None:
    """What can be said about ``path`` before opening it: a folder, a missing folder, unreadable, read-only."""
    name, flag = str(path), " (--store)" if mode == "a" else ""
    if path.is_dir():
        raise InvalidInputError(f"store {name!r}{flag} is a folder; give a file such as runs.sqlite")
    exists = path.exists()
    if mode == "r" and not exists:
        raise InvalidInputError(f"no results store at {name!r}; make one with run_sweep(grid, {name!r}) or `nanograph sweep`")
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInputError(f"store {name!r}{flag}: the folder {str(folder)!r} does not exist; "
                                "create it first or give a --store in an existing folder")  # fmt: skip
    if exists and not path.is_file():
        raise InvalidInputError(f"store {name!r}{flag} is not a regular file; give a file such as runs.sqlite")
    if exists and not os.access(path, os.R_OK):
        raise InvalidInputError(f"store {name!r}{flag} cannot be read (permission denied); give a store you can "
                                "read, or a new file name")  # fmt: skip
    if mode == "a" and _is_new(path) and not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInputError(f"store {name!r}{flag}: the folder {str(folder)!r} is read-only, so the store "
                                "cannot be created there; give a --store in a folder you can write to")  # fmt: skip


def _is_new(path: Path) -> bool:
    """A missing or empty file becomes a new store."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def _not_writable(path: Path) -> str | None:
    """Why rows cannot be added to the store at ``path`` (None when they can)."""
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"its folder {str(path.parent)!r} is read-only, and SQLite writes {path.name}-wal beside it"
    return None


def _create(path: Path) -> None:
    """Build a complete empty store in a hidden file beside ``path``, then publish it under ``path`` at once."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.creating")
    try:
        db = sqlite3.connect(temporary, isolation_level=None)
        try:  # no journal, no fsync while the hidden file is built: it is flushed once, below, before publishing
            db.executescript(f"PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; BEGIN; {_SCHEMA} "
                             f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION}; "
                             "COMMIT;")  # fmt: skip
            db.execute("PRAGMA journal_mode = WAL")
        finally:
            db.close()
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())  # complete on disk before it has its name
        _publish(temporary, path)
    except sqlite3.Error as exc:
        raise _store_error(str(path), exc, "creating it") from None
    except OSError as exc:
        raise _store_error(str(path), exc, "creating it") from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)


def _publish(temporary: Path, path: Path) -> None:
    """Give the complete store ``temporary`` the name ``path``, unless another sweep published one first."""
    try:
        os.link(temporary, path)  # atomic, and never replaces a file
        return
    except FileExistsError:
        pass  # an empty file, or another sweep's store published a moment ago
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(temporary, path)
            return
    _replace_if_empty(temporary, path)


def _replace_if_empty(temporary: Path, path: Path) -> None:
    """Rename ``temporary`` over ``path`` if that is still the same empty file (locked against a concurrent sweep)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        fcntl = None
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the rename
    except FileNotFoundError:
        return
    with handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)  # a concurrent creator waits here, then sees our store
        locked = os.fstat(handle.fileno())
        try:
            current = os.stat(path)
        except FileNotFoundError:
            return
        if (current.st_dev, current.st_ino) == (locked.st_dev, locked.st_ino) and locked.st_size == 0:
            os.chmod(temporary, stat.S_IMODE(locked.st_mode))
            os.replace(temporary, path)


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the hidden files of creations of ``path`` whose process is gone (killed during creation)."""
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) is not a probe on Windows
        return
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.creating*"):
        pid = leftover.name[len(path.name) + 2 :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:  # a read-only folder: harmless, the store itself is what matters
                pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _identify(db: sqlite3.Connection, name: str) -> bool:
    """Check the application id and both tables' columns; True for a store of nanograph <= 0.2 (no id yet).

    Only reads (``PRAGMA application_id``, ``PRAGMA table_info``). Raises InvalidInputError for anything else.
    """
    app, layout = db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]
    tables = sorted(t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    columns = {t: tuple(row[1] for row in db.execute(f"PRAGMA table_info({t})")) for t in ("meta", "rows")}
    ours, fix = columns == _COLUMNS, "give a store made by `nanograph sweep`, or a new file name for a new sweep"
    if app == APPLICATION_ID and layout > SCHEMA_VERSION:
        raise InvalidInputError(f"store {name!r} was made by a newer nanograph (store layout {layout}, this one "
                                f"reads {SCHEMA_VERSION}); upgrade nanograph to read it")  # fmt: skip
    if ours and app in (APPLICATION_ID, 0):
        return app == 0
    if app not in (0, APPLICATION_ID):
        raise InvalidInputError(f"store {name!r} is an SQLite file of another application (application_id "
                                f"{app:#010x}), not a nanograph results store; {fix}")  # fmt: skip
    found = ", ".join(tables) or "none"
    if app == APPLICATION_ID:
        raise InvalidInputError(f"store {name!r} is marked as a nanograph store but its tables ({found}) are not "
                                "nanograph's: it is damaged; give another store or a new file name")  # fmt: skip
    if {"meta", "rows"} <= set(tables):
        raise InvalidInputError(f"store {name!r} has tables named meta and rows, but not with nanograph's columns: "
                                f"no nanograph sweep; {fix}")  # fmt: skip
    what = "is empty" if not tables else f"has no nanograph sweep (tables: {found})"
    raise InvalidInputError(f"store {name!r} {what}; {fix}")


def _check_intact(db: sqlite3.Connection, name: str) -> None:
    """Refuse to write to a damaged store: SQLite's ``quick_check`` (pages, records, free list; no index contents)."""
    problems = [text for (text,) in db.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        first = " ".join(problems[0].replace("*** in database main ***", "").split())
        raise InvalidInputError(f"store {name!r} is damaged ({first}); nothing was written to it. Its intact "
                                f"rows may still be read (`nanograph results`, or `sqlite3 {name} .recover`); "
                                "resume the sweep with a new store path")  # fmt: skip


_FULL = ("SQLITE_FULL", "SQLITE_IOERR")
_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def _error_name(exc: BaseException) -> str:
    """SQLite's error code name (Python >= 3.11), else one guessed from the message (Python 3.10)."""
    code = getattr(exc, "sqlite_errorname", None)
    if code:
        return code
    text = str(exc).lower()
    for words, guess in [("disk is full", "SQLITE_FULL"), ("i/o error", "SQLITE_IOERR"),
                         ("malformed", "SQLITE_CORRUPT"), ("not a database", "SQLITE_NOTADB"),
                         ("readonly", "SQLITE_READONLY"), ("locked", "SQLITE_BUSY"),
                         ("unable to open", "SQLITE_CANTOPEN")]:  # fmt: skip
        if words in text:
            return guess
    return "SQLITE_ERROR"


def _store_error(name: str, exc: BaseException, doing: str) -> NanographError:
    """A one-line error for a failure of SQLite (or of the file system) on the store ``name`` while ``doing``."""
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return NanographError(f"store {name!r}: {doing} failed ({reason}); nothing was written under that name")
    code, text = _error_name(exc), " ".join(str(exc).split())
    if code.startswith(_FULL):
        return NanographError(f"store {name!r}: {doing} failed ({text}): the disk is full, a file-size limit was "
                              "reached or the device failed; every row committed before is kept: free space and "
                              "rerun the same command to resume")  # fmt: skip
    if code.startswith("SQLITE_NOTADB"):
        return InvalidInputError(f"store {name!r} is not a SQLite file ({text}); give a nanograph results store "
                                 "(made by `nanograph sweep`) or a new file name")  # fmt: skip
    if code.startswith(_DAMAGED):
        return InvalidInputError(f"store {name!r} is damaged ({text}) while {doing}; its intact rows may be saved "
                                 f"with `sqlite3 {name} .recover`; resume the sweep with a new store path")  # fmt: skip
    if code.startswith("SQLITE_READONLY"):
        return InvalidInputError(f"store {name!r} is read-only ({text}) while {doing}; make it (and its folder) "
                                 "writable, or copy it to a folder you can write to")  # fmt: skip
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return NanographError(f"store {name!r} stayed locked by another process for {LOCK_TIMEOUT:.0f} s while "
                              f"{doing}; wait for it, or use another store path")  # fmt: skip
    if code.startswith("SQLITE_CANTOPEN"):
        wal = Path(f"{name}-wal")
        if wal.exists() and not os.access(Path(name).parent, os.W_OK | os.X_OK):
            return InvalidInputError(f"store {name!r} has a write-ahead log ({wal.name}, left by a sweep that was "
                                     "running or killed) and its folder is read-only, so SQLite cannot create the "
                                     f"{Path(name).name}-shm it needs to read it; copy the store with its -wal to a "
                                     "writable folder")  # fmt: skip
        return InvalidInputError(f"store {name!r} cannot be opened ({text}); check the file and its folder")
    return NanographError(f"store {name!r}: {doing} failed ({code}: {text})")
