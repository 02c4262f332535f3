"""The results store: reading never creates or modifies a file; only a new or empty file gets the schema."""

import hashlib
import sqlite3

import pytest

from nanograph.cli import main
from nanograph.ensemble import ResultsStore, SweepGrid, run_sweep
from nanograph.errors import InvalidInputError

GRID = SweepGrid.from_mapping({"density": 6, "box": 4, "form": "wire-node", "runs": 2, "seed": 1})


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _foreign(path):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE samples (x REAL)")
    return _digest(path)


def test_reading_a_store_leaves_the_folder_and_the_file_unchanged(tmp_path, capsys):
    path = tmp_path / "runs.sqlite"
    run_sweep(GRID, path, executor="serial")
    before, files = _digest(path), sorted(tmp_path.iterdir())
    assert ResultsStore(path).count() == 2
    assert main(["results", str(path)]) == 0 and main(["results", str(path), "--json"]) == 0
    assert _digest(path) == before and sorted(tmp_path.iterdir()) == files  # no -wal/-shm left behind
    with pytest.raises(InvalidInputError, match="opened read-only"):
        ResultsStore(path).add({"params": {}, "run": 0, "seed_entropy": 1, "seed_spawn_key": [], "status": "ok",
                                "outputs": {}})  # fmt: skip
    with pytest.raises(InvalidInputError, match="read-only"):
        run_sweep(GRID, ResultsStore(path), executor="serial")


def test_reading_a_missing_empty_or_foreign_file_is_refused_and_creates_nothing(tmp_path, capsys):
    missing, empty, foreign = tmp_path / "missing.sqlite", tmp_path / "empty.sqlite", tmp_path / "other.sqlite"
    empty.touch()
    digest = _foreign(foreign)
    for path, words in [(missing, "no results store"), (empty, "is empty"), (foreign, "no nanograph sweep")]:
        with pytest.raises(InvalidInputError, match=words):
            ResultsStore(path)
        assert main(["results", str(path)]) == 2 and words in capsys.readouterr().err
    assert not missing.exists() and empty.stat().st_size == 0 and _digest(foreign) == digest
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database\n")
    with pytest.raises(InvalidInputError, match="not a SQLite file"):
        ResultsStore(text)
    assert text.read_text() == "not a database\n"


def test_a_sweep_refuses_a_foreign_database_and_a_missing_folder(tmp_path, capsys):
    foreign = tmp_path / "other.sqlite"
    digest = _foreign(foreign)
    with pytest.raises(InvalidInputError, match="no nanograph sweep"):
        run_sweep(GRID, foreign, executor="serial")
    assert _digest(foreign) == digest
    assert main(["sweep", "--density", "6", "--box", "4", "--store", str(tmp_path / "no" / "runs.sqlite")]) == 2
    err = capsys.readouterr().err
    assert "--store" in err and "does not exist" in err and not (tmp_path / "no").exists()


def test_a_new_or_empty_file_becomes_a_store(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    for path in (empty, tmp_path / "new.sqlite"):
        assert run_sweep(GRID, path, executor="serial").computed == 2
        assert ResultsStore(path).count("ok") == 2


def test_export_does_not_create_folders(tmp_path, capsys):
    path = tmp_path / "runs.sqlite"
    run_sweep(GRID, path, executor="serial")
    assert main(["results", str(path), "-o", str(tmp_path / "no" / "runs.csv")]) == 2
    assert "-o/--output" in capsys.readouterr().err and not (tmp_path / "no").exists()
