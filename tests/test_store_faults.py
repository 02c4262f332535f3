"""Fault injection on the results store: foreign, damaged, read-only and full stores, kills during creation,
reading that writes nothing, validation before anything is created, and SIGTERM / Ctrl-C / kill -9 of a sweep.

Each failure must be one line (no traceback), leave every committed row readable, and never write to a file
that is not a nanograph store.
"""

import hashlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from nanograph.cli import main
from nanograph.ensemble import ResultsStore, SweepGrid, run_sweep
from nanograph.ensemble.store import _SCHEMA, APPLICATION_ID
from nanograph.errors import BackendUnavailableError, InvalidInputError, NanographError

GRID = SweepGrid.from_mapping({"density": 6, "box": 4, "form": "wire-node", "runs": 4, "seed": 1})
FLAGS = ["--density", "6", "--box", "4", "--form", "wire-node", "--seed", "1", "--executor", "serial"]
CLI = "import sys; from nanograph.cli import main; sys.exit(main(sys.argv[1:]))"
LINUX = sys.platform.startswith("linux")


def _sweep(store, runs=4, *extra):
    return ["sweep", *FLAGS, "--runs", str(runs), "--store", str(store), *extra]


def _digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _listing(folder) -> list[str]:
    return sorted(p.name for p in Path(folder).iterdir())


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _row(run: int) -> dict:
    return {"params": {"density": 1.0}, "run": run, "seed_entropy": 1, "seed_spawn_key": (0, 0, run),
            "status": "ok", "outputs": {"g": float(run)}, "seconds": 0.0}  # fmt: skip


def _filled(path, rows: int) -> Path:
    with ResultsStore(path, mode="a") as store:
        store.bind(1, ["test"], ["density"])
        for run in range(rows):
            store.add(_row(run))
    return Path(path)


# -- identity: never write to what is not ours ----------------------------------------------------------------
def _foreign(path, schema: str, application_id: int = 0) -> str:
    with sqlite3.connect(path) as db:
        db.executescript(f"PRAGMA application_id = {application_id}; {schema}")
    return _digest(path)


@pytest.mark.parametrize(
    "schema, application_id, words",
    [
        ("CREATE TABLE meta (name TEXT, v BLOB); CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT);"
         "INSERT INTO rows (payload) VALUES ('theirs');", 0, "not with nanograph's columns"),
        (_SCHEMA, 0x12345678, "another application (application_id 0x12345678)"),
        ("CREATE TABLE samples (x REAL);", 0, "no nanograph sweep (tables: samples)"),
        ("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);", APPLICATION_ID, "damaged"),
    ],
)  # fmt: skip
def test_a_foreign_sqlite_file_is_refused_byte_identical_without_a_wal_switch(tmp_path, capsys, schema,
                                                                              application_id, words):  # fmt: skip
    path = tmp_path / "other.sqlite"
    digest, files = _foreign(path, schema, application_id), _listing(tmp_path)
    for opener in (lambda: ResultsStore(path), lambda: ResultsStore(path, mode="a"),
                   lambda: run_sweep(GRID, path, executor="serial")):  # fmt: skip
        with pytest.raises(InvalidInputError, match=words.replace("(", r"\(").replace(")", r"\)")):
            opener()
    assert main(_sweep(path)) == 2 and words in _one_line(capsys.readouterr().err)
    assert _digest(path) == digest and _listing(tmp_path) == files  # no -wal, -shm or hidden file either
    assert path.read_bytes()[18:20] == b"\x01\x01"  # still a rollback-journal database: never switched to WAL


def test_a_store_of_nanograph_0_2_is_read_unchanged_and_stamped_when_resumed(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:  # what nanograph <= 0.2 wrote: the columns, no application id
        db.executescript(_SCHEMA)
    digest = _digest(path)
    with ResultsStore(path) as store:
        assert store.count() == 0 and store.application_id() == 0
    assert _digest(path) == digest
    assert run_sweep(GRID, path, executor="serial").computed == 4
    with ResultsStore(path) as store:
        assert store.application_id() == APPLICATION_ID and store.count("ok") == 4


def test_a_store_from_a_newer_nanograph_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 99; {_SCHEMA}")
    with pytest.raises(InvalidInputError, match="newer nanograph"):
        ResultsStore(path, mode="a")


# -- creation is atomic ----------------------------------------------------------------------------------------
KILL_AT = r"""
import os, sqlite3, sys
point = sys.argv[1]
connect = sqlite3.connect

class Killed(sqlite3.Connection):
    def execute(self, sql, *args):
        result = super().execute(sql, *args)
        if point == "wal" and "journal_mode = WAL" in sql:
            os._exit(137)  # kill -9 right when the -wal of the new store appears
        return result

    def executescript(self, sql):
        result = super().executescript(sql)
        if point == "schema":
            os._exit(137)  # the tables are committed, the store is not published yet
        return result

sqlite3.connect = lambda *a, **k: connect(*a, factory=Killed, **k)
def killed(publish):  # "link": killed right before the store is published; "linked": right after
    def call(src, dst):
        if point == "linked":
            publish(src, dst)
        os._exit(137)
    return call
if point in ("link", "linked"):
    os.link, os.replace = killed(os.link), killed(os.replace)  # a new file is linked, an empty one replaced
from nanograph.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize(
    "point, empty",
    [(point, empty) if (point, empty) in {("wal", False), ("linked", True)} else
     pytest.param(point, empty, marks=pytest.mark.slow) for point in ("wal", "schema", "link", "linked")
     for empty in (False, True)],
)  # fmt: skip
def test_kill_during_creation_leaves_no_store_or_a_complete_one_and_a_rerun_resumes(tmp_path, point, empty):
    path = tmp_path / "runs.sqlite"
    if empty:
        path.touch()
    killed = subprocess.run([sys.executable, "-c", KILL_AT, point, *_sweep(path)], capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert killed.returncode == 137, killed.stderr
    published = path.exists() and path.stat().st_size > 0
    assert published == (point == "linked")
    if published:
        with ResultsStore(path) as store:  # complete: identified, with both tables
            assert store.count() == 0 and store.application_id() == APPLICATION_ID
    assert main(_sweep(path)) == 0  # the same command again resumes
    with ResultsStore(path) as store:
        assert store.count("ok") == 4
    assert _listing(tmp_path) == ["runs.sqlite"]  # the killed creation's hidden files were removed


def test_kill_9_when_a_wal_appears_in_a_real_sweep(tmp_path):
    path = tmp_path / "runs.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", CLI, *_sweep(path, 40)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(name.endswith("-wal") for name in os.listdir(tmp_path)):
            break
    proc.kill()
    proc.wait()
    if path.exists():
        ResultsStore(path).close()  # a complete store (or none at all)
    assert main(_sweep(path, 40)) == 0
    with ResultsStore(path) as store:
        assert store.count("ok") == 40


def test_creation_removes_hidden_files_of_dead_creators_only(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".runs.sqlite.{dead.pid}-0000.creating"
    live = tmp_path / f".runs.sqlite.{os.getpid()}-0000.creating-wal"
    other = tmp_path / f".notes.sqlite.{dead.pid}-0000.creating"
    for p in (stale, live, other):
        p.write_bytes(b"x")
    ResultsStore(tmp_path / "runs.sqlite", mode="a").close()
    assert not stale.exists() and live.exists() and other.exists()


@pytest.mark.parametrize("empty", [False, True], ids=["missing", "empty"])
def test_concurrent_creators_share_one_store(tmp_path, empty):
    path = tmp_path / "runs.sqlite"
    if empty:
        path.touch()
    barrier, errors = threading.Barrier(4), []

    def create(first_run):
        try:
            barrier.wait()
            with ResultsStore(path, mode="a") as store:
                for run in range(first_run, first_run + 3):
                    store.add(_row(run))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(3 * i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with ResultsStore(path) as store:
        assert store.count() == 12  # nobody's rows went to a store that was replaced
    assert _listing(tmp_path) == ["runs.sqlite"]


# -- reading writes nothing --------------------------------------------------------------------------------------
def test_reading_a_live_store_never_changes_the_database_or_its_wal(tmp_path, capsys):
    path = tmp_path / "runs.sqlite"
    run_sweep(GRID, path, executor="serial")
    with ResultsStore(path, mode="a") as writer:  # a sweep still running: its last rows are in the -wal
        writer.add(_row(0))
        wal = Path(f"{path}-wal")
        before = _digest(path), _digest(wal)
        with ResultsStore(path) as reader:
            assert reader.count() == 5 and len(reader.frame()) == 5
        assert main(["results", str(path)]) == 0 and main(["results", str(path), "--json"]) == 0
        assert json.loads(capsys.readouterr().out.splitlines()[-1])["rows"] == 5
        assert (_digest(path), _digest(wal)) == before


@pytest.mark.parametrize("shm", [True, False], ids=["with-shm", "without-shm"])
def test_reading_a_killed_sweeps_wal_never_changes_the_database_or_its_wal(tmp_path, shm):
    path = tmp_path / "runs.sqlite"
    run_sweep(GRID, path, executor="serial")
    code = ("import os, sys; from nanograph.ensemble import ResultsStore; s = ResultsStore(sys.argv[1], mode='a');"
            "s.add({'params': {'density': 1.0}, 'run': 0, 'seed_entropy': 1, 'seed_spawn_key': [0, 0, 0], "
            "'status': 'ok', 'outputs': {}}); os._exit(0)")  # fmt: skip
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)  # dies holding the -wal
    wal = Path(f"{path}-wal")
    assert wal.stat().st_size > 0
    if not shm:
        Path(f"{path}-shm").unlink()
    before = _digest(path), _digest(wal)
    for _ in range(2):
        with ResultsStore(path) as reader:
            assert reader.count() == 5  # the killed sweep's last row is read from its -wal
    assert (_digest(path), _digest(wal)) == before  # only the -shm index may have been (re)built


# -- damaged, read-only, full ----------------------------------------------------------------------------------
def _corrupt_page_of(path, name: str) -> None:
    with sqlite3.connect(path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x0d" + bytes(range(256)) * (page_size // 256 - 1))


def test_a_damaged_index_refuses_rows_but_every_row_stays_readable(tmp_path, capsys):
    path = _filled(tmp_path / "runs.sqlite", 30)
    _corrupt_page_of(path, "sqlite_autoindex_rows_1")
    digest = _digest(path)
    with pytest.raises(InvalidInputError, match="damaged"):
        ResultsStore(path, mode="a")
    assert main(_sweep(path)) == 2 and "is damaged" in _one_line(capsys.readouterr().err)
    assert _digest(path) == digest and _listing(tmp_path) == ["runs.sqlite"]  # nothing written
    with ResultsStore(path) as store:
        assert store.count() == 30 and sorted(r["run"] for r in store.rows()) == list(range(30))


def test_a_damaged_table_is_a_one_line_error_everywhere(tmp_path, capsys):
    path = _filled(tmp_path / "runs.sqlite", 30)
    _corrupt_page_of(path, "rows")
    digest = _digest(path)
    assert main(_sweep(path)) == 2 and "is damaged" in _one_line(capsys.readouterr().err)
    assert main(["results", str(path)]) == 2 and "damaged" in _one_line(capsys.readouterr().err)
    assert _digest(path) == digest


@contextmanager
def _read_only_later(folder: Path):
    """A folder to fill, then made read-only by the function yielded: a remounted tmpfs as root (who may write
    to any file whatever its mode), ``chmod`` otherwise."""
    folder.mkdir()
    if os.geteuid() != 0:

        def freeze():
            for p in folder.iterdir():
                p.chmod(0o444)
            folder.chmod(0o555)

        try:
            yield freeze
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)]).returncode != 0:
        pytest.skip("running as root, and cannot mount a tmpfs to make a read-only folder")
    try:
        yield lambda: subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_read_only_folder_is_named_as_such(tmp_path, capsys):
    with _read_only_later(tmp_path / "ro") as freeze:
        freeze()
        assert main(_sweep(tmp_path / "ro" / "runs.sqlite")) == 2
        line = _one_line(capsys.readouterr().err)
        assert "read-only" in line and "folder" in line and "not a SQLite file" not in line
        assert _listing(tmp_path / "ro") == []


def test_a_read_only_store_refuses_rows_to_add_and_stays_readable(tmp_path, capsys):
    with _read_only_later(tmp_path / "ro") as freeze:
        path = tmp_path / "ro" / "runs.sqlite"
        assert main(_sweep(path, 2)) == 0
        freeze()
        digest = _digest(path)
        assert main(_sweep(path, 4)) == 2
        line = _one_line(capsys.readouterr().err)
        assert "read-only" in line and "2 rows still to add" in line
        assert main(_sweep(path, 2)) == 0  # nothing to add: a finished sweep on a read-only store is fine
        assert "0 realizations computed" in capsys.readouterr().out
        assert main(["results", str(path)]) == 0 and "2 rows" in capsys.readouterr().out
        assert _digest(path) == digest and _listing(tmp_path / "ro") == ["runs.sqlite"]


def test_a_read_only_store_cannot_record_a_new_sweep_or_a_wider_grid(tmp_path, capsys):
    with _read_only_later(tmp_path / "ro") as freeze:
        path = tmp_path / "ro" / "runs.sqlite"
        ResultsStore(path, mode="a").close()  # a store, but no sweep recorded in it yet
        freeze()
        assert main(_sweep(path)) == 2
        assert "read-only" in (line := _one_line(capsys.readouterr().err)) and "cannot be recorded" in line


def test_a_killed_sweeps_wal_in_a_read_only_folder_is_explained(tmp_path, capsys):
    with _read_only_later(tmp_path / "ro") as freeze:
        path = tmp_path / "ro" / "runs.sqlite"
        run_sweep(GRID, path, executor="serial")
        code = "import os, sys; from nanograph.ensemble import ResultsStore; ResultsStore(sys.argv[1], mode='a'); os._exit(0)"
        subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)  # leaves -wal and -shm
        Path(f"{path}-shm").unlink()
        freeze()
        assert main(["results", str(path)]) == 2
        line = _one_line(capsys.readouterr().err)
        assert "write-ahead log" in line and "read-only" in line and "not a SQLite file" not in line


def _limited(limit: int):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def _run_full(args, **how):
    done = subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, text=True, timeout=180, **how)
    return done.returncode, done.stderr


def test_a_full_disk_is_one_line_and_keeps_every_committed_row(tmp_path):
    path = tmp_path / "runs.sqlite"
    code, err = _run_full(_sweep(path, 40), preexec_fn=_limited(64 * 1024))  # no file may exceed 64 KiB
    assert code == 2 and "disk is full" in _one_line(err)
    with ResultsStore(path) as store:
        kept = {(r["run"], r["finished_at"]) for r in store.rows()}
    assert 0 < len(kept) < 40
    assert main(_sweep(path, 40)) == 0  # free space (no limit): the same command resumes
    with ResultsStore(path) as store:
        rows = {(r["run"], r["finished_at"]) for r in store.rows()}
    assert kept <= rows and len(rows) == 40


def test_a_disk_too_full_to_create_the_store_leaves_nothing(tmp_path):
    code, err = _run_full(_sweep(tmp_path / "runs.sqlite"), preexec_fn=_limited(2048))
    assert code == 2 and "disk is full" in _one_line(err)
    assert _listing(tmp_path) == []


@pytest.mark.skipif(not LINUX or os.geteuid() != 0, reason="needs root to mount a small tmpfs")
def test_a_full_tmpfs_is_one_line_and_keeps_every_committed_row(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(disk)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs")
    try:
        code, err = _run_full(_sweep(disk / "runs.sqlite", 60))
        assert code == 2 and "disk is full" in _one_line(err)
        with ResultsStore(disk / "runs.sqlite") as store:
            assert 0 < store.count("ok") < 60
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


# -- validate before creating ----------------------------------------------------------------------------------
def test_a_refused_sweep_creates_and_binds_nothing(tmp_path, monkeypatch, capsys):
    path = tmp_path / "runs.sqlite"
    with pytest.raises(InvalidInputError, match="solver"):
        run_sweep(GRID, path, executor="serial", solver="bogus")
    import nanograph.linalg.factor as factor

    monkeypatch.setattr(factor, "cholmod_available", lambda: False)
    with pytest.raises(BackendUnavailableError, match="CHOLMOD"):
        run_sweep(GRID, path, executor="serial", solver="cholmod")
    monkeypatch.setitem(sys.modules, "distributed", None)  # dask.distributed not installed
    with pytest.raises(BackendUnavailableError, match="dask"):
        run_sweep(GRID, path, scheduler="tcp://127.0.0.1:9")
    assert main(["sweep", *FLAGS[:-2], "--executor", "dask", "--store", str(path)]) == 2
    assert "needs dask.distributed" in _one_line(capsys.readouterr().err)
    monkeypatch.delitem(sys.modules, "distributed")
    assert main(["sweep", *FLAGS[:-2], "--executor", "dask", "--store", str(path)]) == 2
    assert "scheduler" in _one_line(capsys.readouterr().err)
    assert not path.exists()
    ResultsStore(path, mode="a").close()  # an existing store without a sweep: a refused sweep does not bind it
    with pytest.raises(InvalidInputError, match="solver"):
        run_sweep(GRID, path, executor="serial", solver="bogus")
    with ResultsStore(path) as store:
        assert store.meta() == {}


def test_an_unreachable_scheduler_creates_no_store(tmp_path):
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(InvalidInputError, match="Dask scheduler"):
            run_sweep(GRID, tmp_path / "runs.sqlite", scheduler="tcp://127.0.0.1:9")
    assert _listing(tmp_path) == []


# -- interrupts and dead parents ---------------------------------------------------------------------------------
def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                pids.append(int(entry))
    return pids


def _started_pool_sweep(path) -> subprocess.Popen:
    """A pool sweep (2 workers) in a session of its own, returned once it has stored two rows."""
    command = [sys.executable, "-c", CLI, "sweep", "--density", "10", "--box", "14", "--runs", "40", "--seed", "5",
               "--workers", "2", "--store", str(path)]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with ResultsStore(path) as store:
                if store.count() >= 2:
                    break
        except NanographError:
            continue
    assert proc.poll() is None, f"the sweep ended before it could be stopped: {proc.stderr.read()}"
    assert len(_session(proc.pid)) >= 3  # the parent, its workers (and the resource tracker)
    return proc


def _gone(sid: int, seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while _session(sid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _session(sid)


@pytest.mark.skipif(not LINUX, reason="reads sessions from /proc")
@pytest.mark.parametrize("how, code, words", [("SIGTERM", 143, "SIGTERM"), ("Ctrl-C", 130, "Ctrl-C (SIGINT)")])
def test_sigterm_and_ctrl_c_stop_with_one_line_keeping_every_finished_row(tmp_path, how, code, words):
    path = tmp_path / "runs.sqlite"
    proc = _started_pool_sweep(path)
    with ResultsStore(path) as store:
        before = {(r["run"], r["finished_at"]) for r in store.rows()}
    if how == "SIGTERM":
        proc.send_signal(signal.SIGTERM)  # `kill PID`: the parent alone
    else:
        os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C: the whole foreground process group
    assert proc.wait(timeout=60) == code
    line = _one_line(proc.stderr.read())
    assert words in line and "rerun the same command to resume" in line
    assert _gone(proc.pid) == []  # no worker or resource tracker left behind
    with ResultsStore(path) as store:
        after = {(r["run"], r["finished_at"]) for r in store.rows()}
    assert before <= after and len(after) < 40 and f"{len(after)} rows are stored" in line


@pytest.mark.skipif(not LINUX, reason="reads sessions from /proc")
def test_workers_exit_when_their_parent_is_killed(tmp_path):
    proc = _started_pool_sweep(tmp_path / "runs.sqlite")
    proc.kill()  # kill -9 of the parent alone: no clean-up ran
    proc.wait()
    assert _gone(proc.pid) == []  # workers (PR_SET_PDEATHSIG / watchdog), then the resource tracker, exit


def _count(path) -> int:
    try:
        with ResultsStore(path) as store:
            return store.count()
    except NanographError:
        return 0


@pytest.mark.slow
def test_kill_9_at_many_points_then_resume_gives_every_row_once(tmp_path):
    path = tmp_path / "runs.sqlite"
    command = [sys.executable, "-c", CLI, "sweep", "--density", "10", "--box", "12", "--runs", "30", "--seed", "2",
               "--workers", "2", "--store", str(path)]  # fmt: skip
    kept: set = set()
    counts = []
    # kills during start-up and store creation (fixed delays), then mid-way (once 2 more rows are stored,
    # plus 0-0.3 s: inside a commit, between rows, while workers compute)
    for delay, more in [(0.0, 0), (0.1, 0), (0.5, 0), (1.5, 0), (0.0, 2), (0.1, 2), (0.2, 2), (0.3, 2)]:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        target, deadline = len(kept) + more, time.monotonic() + 120
        while more and _count(path) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if path.exists():
            with ResultsStore(path) as store:
                rows = {(r["run"], r["finished_at"]) for r in store.rows()}
            assert kept <= rows  # nothing committed is ever lost
            kept = rows
        counts.append(len(kept))
    assert any(0 < n < 30 for n in counts), counts  # some kills landed mid-way
    assert main([*command[3:]]) == 0
    with ResultsStore(path) as store:
        rows = [(r["run"], r["finished_at"]) for r in store.rows()]
    assert kept <= set(rows) and sorted(run for run, _ in rows) == list(range(30))
