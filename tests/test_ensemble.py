"""Sweeps: grids validated up front, seed provenance and regeneration, executors, the store, resume after kill -9."""

import importlib.util
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from nanograph.cli import main
from nanograph.ensemble import (
    ResultsStore,
    SweepGrid,
    load_grid,
    regenerate,
    regenerate_network,
    register_analysis,
    run_sweep,
    seed_sequence,
)
from nanograph.ensemble.progress import Progress
from nanograph.ensemble.seeds import geometry_key, realization_spawn_key
from nanograph.errors import InvalidInputError

SMALL = {"density": [6, 10], "box": 4, "form": ["wire-node", "junction-node"], "runs": 3, "seed": 11}


def _rows(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT params, run, status, outputs, finished_at FROM rows").fetchall()


# -- grids ------------------------------------------------------------------------------------------------
def test_grid_points_are_the_product_with_defaults_and_resolved_re():
    grid = SweepGrid.from_mapping({"density": [8, 10, 12], "box": 16, "rj": [1, 2], "runs": 5})
    points = grid.points()
    assert len(points) == 6 and grid.n_realizations == 30
    assert [(p["density"], p["rj"]) for p in points[:3]] == [(8.0, 1.0), (8.0, 2.0), (10.0, 1.0)]
    assert all(p["re"] == p["rj"] for p in points)  # re defaults to rj, point by point
    assert points[0]["form"] == "junction-node" and points[0]["odf"] == "isotropic" and points[0]["closure"] == "none"
    assert list(points[0]) == grid.columns


def test_grid_round_trips_through_its_mapping():
    grid = SweepGrid.from_mapping({"density": [8, 10], "re": [None, 0.5], "odf": "cross", "runs": 2, "seed": 4,
                                   "odf_params": {"omega": [0.2]}})  # fmt: skip
    again = SweepGrid.from_mapping(grid.to_mapping())
    assert again == grid and again.points() == grid.points()
    assert [p["re"] for p in grid.points()[:2]] == [1.0, 0.5]


def test_odf_parameters_expand_into_specs_and_columns():
    grid = SweepGrid.from_mapping({"density": 10, "odf": "cross", "odf_params": {"omega": [0.1, 0.3]}})
    assert [(p["odf"], p["omega"]) for p in grid.points()] == [("cross:omega=0.1", 0.1), ("cross:omega=0.3", 0.3)]
    assert grid.columns[-1] == "omega"


@pytest.mark.parametrize(
    "mapping, words",
    [
        ({"box": 16}, "density"),
        ({"density": [8, -1]}, "'density'"),
        ({"density": 8, "box": 0}, "'box'"),
        ({"density": 8, "form": "wire"}, "'form'"),
        ({"density": 8, "odf": "no-such-odf"}, "no-such-odf"),
        ({"density": 8, "length": "uniform:low=1"}, "length"),
        ({"density": 8, "rj": [1, float("nan")]}, "'rj'"),
        ({"density": 8, "runs": 0}, "runs"),
        ({"density": 8, "seed": -3}, "seed"),
        ({"density": 8, "analyses": ["conductance", "nope"]}, "nope"),
        ({"density": 8, "densty": 3}, "densty"),
        ({"density": 8, "odf_params": {"form": [1]}}, "clashes"),
    ],
)
def test_invalid_grids_name_the_parameter(mapping, words):
    with pytest.raises(InvalidInputError, match=words):
        SweepGrid.from_mapping(mapping)


@pytest.mark.parametrize(
    "args, words",
    [
        (({"density": [-1]},), "'density'"),
        (({"density": [8], "foo": 1},), "foo"),
        (({"density": [8], "runs": 3},), "runs"),
        (({"box": 4},), "density"),
        (({"density": 8}, {}, 0), "runs"),
        (({"density": 8}, {}, 1, -1), "seed"),
        (({"density": 8}, {}, 1, None, ("nope",)), "nope"),
        (({"density": 8, "odf": "cross"}, {"omega": ["x"]}), "omega"),
    ],
)
def test_direct_construction_is_validated_like_from_mapping(args, words):
    with pytest.raises(InvalidInputError, match=words):
        SweepGrid(*args)


def test_direct_construction_normalises_like_from_mapping():
    direct = SweepGrid({"density": [8, 10], "box": 4}, runs=2, seed=1, analyses="conductance")
    assert direct == SweepGrid.from_mapping({"density": [8, 10], "box": 4, "runs": 2, "seed": 1})
    assert direct.values["density"] == (8.0, 10.0) and direct.analyses == ("conductance",)


@pytest.mark.parametrize(
    "mapping, words",
    [
        ({"density": 8, "closure": "regular", "form": ["junction-node", "wire-node"]}, "form = junction-node"),
        ({"density": 8, "periodic": ["y", "x"], "analyses": ["backbone"]}, "periodic = x"),
        ({"density": 8, "rj": 0, "rw": [1, 0]}, "rj = rw = re = 0"),
    ],
)
def test_combinations_that_fail_for_every_realization_are_refused(mapping, words):
    with pytest.raises(InvalidInputError, match=words):
        SweepGrid.from_mapping(mapping)
    # the same parameters one by one are fine
    SweepGrid.from_mapping({"density": 8, "closure": "regular", "periodic": "y", "analyses": ["backbone"], "rj": 0})


@pytest.mark.parametrize(
    "flags, words",
    [
        (["--workers", "0"], "--workers"),
        (["--closure", "regular", "--form", "wire-node"], "closure"),
        (["--analyses", "backbone", "--periodic", "xy"], "backbone"),
        (["--rj", "0", "--rw", "0"], "rj = rw = re = 0"),
    ],
)
def test_sweep_refuses_bad_flags_before_creating_the_store(tmp_path, capsys, flags, words):
    store = tmp_path / "w.sqlite"
    assert main(["sweep", "--density", "8", "--box", "4", "--store", str(store), *flags]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert not store.exists()


def test_invalid_grid_fails_before_any_work(tmp_path, capsys):
    store = tmp_path / "runs.sqlite"
    code = main(["sweep", "--density", "8", "10", "--odf", "isotropic", "bogus:x=1", "--store", str(store)])
    assert code == 2
    assert "bogus" in capsys.readouterr().err
    assert not store.exists()


def test_toml_grid_file_and_flag_overrides(tmp_path):
    path = tmp_path / "grid.toml"
    path.write_text('density = [8, 10]\nbox = 6\nform = "wire-node"\nruns = 4\nseed = 2\n')
    grid = load_grid(path, runs=2)
    assert grid.runs == 2 and grid.seed == 2 and grid.values["box"] == (6.0,)
    path.write_text("density = [8, 10\n")
    with pytest.raises(InvalidInputError, match="not valid TOML"):
        load_grid(path)
    with pytest.raises(InvalidInputError, match="does not exist"):
        load_grid(tmp_path / "missing.toml")


# -- seeds and regeneration --------------------------------------------------------------------------------
def test_spawn_key_is_child_run_of_the_geometry_stream():
    point = SweepGrid.from_mapping({"density": 10}).points()[0]
    key = realization_spawn_key(point, 4)
    child = np.random.SeedSequence(123, spawn_key=key[:2]).spawn(6)[4]
    assert seed_sequence(123, list(key)).generate_state(4).tolist() == child.generate_state(4).tolist()
    other = {**point, "form": "wire-node", "rj": 5.0}  # same sticks for every form and resistance
    assert geometry_key(other) == geometry_key(point)
    assert geometry_key({**point, "density": 10.5}) != geometry_key(point)


def test_regeneration_from_a_row_gives_the_identical_network(tmp_path):
    path = tmp_path / "runs.sqlite"
    run_sweep(SweepGrid.from_mapping(SMALL), path, executor="serial")
    frame = ResultsStore(path).frame()
    assert frame["seed_spawn_key"].nunique() == 6  # 2 densities x 3 runs; the forms share sticks
    for _, row in frame.sample(4, random_state=0).iterrows():
        realization = regenerate(row)
        network = regenerate_network(row.to_dict())
        again = regenerate(json.loads(frame.to_json(orient="records"))[row.name])  # through JSON, as exported
        np.testing.assert_array_equal(realization.sticks.endpoints, again.sticks.endpoints)
        np.testing.assert_array_equal(network.edges, realization.network.edges)
        np.testing.assert_array_equal(network.edge_conductance, realization.network.edge_conductance)
        assert realization.solution.conductance == row["conductance"]
        assert len(realization.sticks) == row["n_sticks"] and network.n_edges == row["n_edges"]


def test_rows_at_different_density_or_run_have_different_sticks(tmp_path):
    path = tmp_path / "runs.sqlite"
    run_sweep(SweepGrid.from_mapping({**SMALL, "density": [6, 6.5], "form": "wire-node"}), path, executor="serial")
    frame = ResultsStore(path).frame()
    starts = {tuple(regenerate(r).sticks.endpoints[0]) for _, r in frame.iterrows()}
    assert len(starts) == len(frame) == 6


# -- executors and errors ------------------------------------------------------------------------------------
def test_process_pool_matches_serial_and_records_bad_parameter_rows(tmp_path):
    grid = SweepGrid.from_mapping({**SMALL, "density": [1, 10], "rj": 0, "re": 0})
    serial = run_sweep(grid, tmp_path / "a.sqlite", executor="serial")
    pooled = run_sweep(grid, tmp_path / "b.sqlite", workers=2)
    # zero rj and re short the bus bars through any wire-node spanning cluster (SingularSystemError);
    # junction-node keeps the wire resistance, and density 1 does not percolate: those rows are fine
    assert serial.errors == pooled.errors == 3 and pooled.computed == 12
    assert "SingularSystemError" in pooled.first_error
    a, b = ResultsStore(tmp_path / "a.sqlite").frame(), ResultsStore(tmp_path / "b.sqlite").frame()
    # same rows; workers run single-threaded BLAS, which may change the last digits of CHOLMOD's sums
    pd.testing.assert_frame_equal(a.drop(columns="seconds"), b.drop(columns="seconds"), rtol=1e-12)
    bad = b[b["status"] == "error"]
    assert set(zip(bad["form"], bad["density"], strict=True)) == {("wire-node", 10.0)}
    assert bad["error"].str.startswith("SingularSystemError").all()
    assert (b.loc[b["status"] == "ok", "conductance"] >= 0).all()


def test_a_script_without_the_main_guard_is_told_to_add_it(tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text("from nanograph.ensemble import SweepGrid, run_sweep\n"
                      "grid = SweepGrid.from_mapping({'density': 6, 'box': 4, 'runs': 2, 'seed': 3})\n"
                      "run_sweep(grid, 'runs.sqlite', workers=1)\n")  # fmt: skip
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert 'if __name__ == "__main__":' in done.stderr and "out of memory" not in done.stderr
    assert "worker process imported your script" in done.stderr  # the worker's own one-line message
    with sqlite3.connect(tmp_path / "runs.sqlite") as db:  # the parent's store: no row from any worker
        assert db.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == 0


def test_a_raising_analysis_records_an_error_and_the_sweep_goes_on(tmp_path):
    @register_analysis("test-fails-below-8", "raises for density < 8 (test only)")
    def fails(realization):
        if realization.point["density"] < 8:
            raise ValueError("density too low for this test analysis")
        return {"doubled_sticks": 2 * len(realization.sticks)}

    grid = SweepGrid.from_mapping({**SMALL, "form": "wire-node", "analyses": ["conductance", "test-fails-below-8"]})
    summary = run_sweep(grid, tmp_path / "runs.sqlite", executor="serial")
    assert (summary.computed, summary.errors) == (6, 3)
    frame = ResultsStore(tmp_path / "runs.sqlite").frame()
    assert (frame["status"] == np.where(frame["density"] < 8, "error", "ok")).all()
    ok = frame[frame["status"] == "ok"]
    assert (ok["doubled_sticks"] == 2 * ok["n_sticks"]).all()
    # rerun: the deterministic errors are kept, not recomputed, unless asked
    assert run_sweep(grid, tmp_path / "runs.sqlite", executor="serial").computed == 0
    assert run_sweep(grid, tmp_path / "runs.sqlite", executor="serial", retry_errors=True).computed == 3


def test_dask_local_cluster_gives_the_same_rows_as_serial(tmp_path):
    distributed = pytest.importorskip("distributed")
    grid = SweepGrid.from_mapping({**SMALL, "runs": 2})
    run_sweep(grid, tmp_path / "serial.sqlite", executor="serial")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_sweep(grid, tmp_path / "dask.sqlite", scheduler=cluster.scheduler_address)
    assert (summary.computed, summary.errors) == (8, 0)
    a = ResultsStore(tmp_path / "serial.sqlite").frame().drop(columns="seconds")
    b = ResultsStore(tmp_path / "dask.sqlite").frame().drop(columns="seconds")
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    grid = SweepGrid.from_mapping({"density": 6, "box": 4, "seed": 1})
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(InvalidInputError, match="Dask scheduler"):
            run_sweep(grid, tmp_path / "runs.sqlite", scheduler="tcp://127.0.0.1:9")


# -- resume after kill -9 --------------------------------------------------------------------------------------
def _sweep_command(store):
    code = "import sys; from nanograph.cli import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", code, "sweep", "--density", "10", "12", "--box", "14", "--runs", "40",
            "--seed", "5", "--workers", "2", "--store", str(store)]  # fmt: skip


def test_sweep_killed_mid_way_and_resumed_has_every_row_exactly_once(tmp_path):
    store = tmp_path / "runs.sqlite"
    proc = subprocess.Popen(_sweep_command(store), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    before = []
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
        if store.exists():
            try:
                before = _rows(store)
            except sqlite3.OperationalError:  # tables not created yet
                continue
            if len(before) >= 4:
                break
    assert proc.poll() is None, f"the sweep finished (or failed) before it could be killed: {proc.stderr.read()}"
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, no chance to clean up
    proc.wait()
    killed = _rows(store)
    assert 4 <= len(killed) < 80, "kill -9 landed mid-way"
    assert set(before) <= set(killed)  # nothing committed was lost

    done = subprocess.run(_sweep_command(store), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{len(killed)} already stored" in done.stdout
    final = _rows(store)
    keys = [(p, r) for p, r, *_ in final]
    assert len(keys) == len(set(keys)) == 80
    assert {(json.loads(p)["density"], r) for p, r in keys} == {(d, r) for d in (10.0, 12.0) for r in range(40)}
    assert set(killed) <= set(final)  # rows finished before the kill were kept as they were, not recomputed
    assert all(status == "ok" for _, _, status, *_ in final)


# -- the store and its tables ----------------------------------------------------------------------------------
def _store_with(path, values):
    store = ResultsStore(path, mode="a")
    store.bind(1, ["test"], ["density"])
    for density, run, g, status in values:
        outputs = {} if status == "error" else {"g": g, "percolates": g > 0}
        store.add({"params": {"density": density}, "run": run, "seed_entropy": 1, "seed_spawn_key": (0, 0, run),
                   "status": status, "error": "boom" if status == "error" else None, "outputs": outputs,
                   "seconds": 0.1})  # fmt: skip
    return store


def test_aggregate_is_mean_standard_error_and_count_per_point(tmp_path):
    store = _store_with(tmp_path / "s.sqlite", [(1.0, 0, 1.0, "ok"), (1.0, 1, 2.0, "ok"), (1.0, 2, 6.0, "ok"),
                                                (2.0, 0, 0.0, "ok"), (2.0, 1, 0, "error"), (3.0, 0, 5.0, "ok")])  # fmt: skip
    table = store.aggregate().set_index("density")
    assert table.loc[1.0, "g_mean"] == 3.0
    assert math.isclose(table.loc[1.0, "g_sem"], math.sqrt(7.0 / 3.0))  # s^2 = (4 + 1 + 9) / 2, / sqrt(3)
    assert table.loc[1.0, "g_count"] == 3 and table.loc[1.0, "runs"] == 3 and table.loc[1.0, "errors"] == 0
    assert (table.loc[2.0, "runs"], table.loc[2.0, "errors"], table.loc[2.0, "percolates_mean"]) == (1, 1, 0.0)
    assert math.isnan(table.loc[3.0, "g_sem"])  # one value: no standard error
    assert math.isclose(table.loc[1.0, "percolates_mean"], 1.0)


def test_non_finite_outputs_are_stored_as_missing(tmp_path):
    store = _store_with(tmp_path / "s.sqlite", [(1.0, 0, float("inf"), "ok"), (1.0, 1, 2.0, "ok")])
    frame = store.frame()
    assert frame["g"].isna().sum() == 1
    assert store.aggregate()["g_count"].tolist() == [1]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_export_has_a_row_per_realization_with_parameters_seeds_and_outputs(tmp_path, fmt, capsys):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    path = tmp_path / "runs.sqlite"
    run_sweep(SweepGrid.from_mapping(SMALL), path, executor="serial")
    out = tmp_path / f"runs.{fmt}"
    assert main(["results", str(path), "--format", fmt, "-o", str(out)]) == 0
    read = {"csv": pd.read_csv, "parquet": pd.read_parquet, "json": pd.read_json}[fmt]
    table = read(out, dtype={"seed_entropy": str}) if fmt == "csv" else read(out)
    expected = ResultsStore(path).frame()
    assert len(table) == 12
    for column in ["density", "box", "form", "rj", "re", "run", "seed_entropy", "seed_spawn_key", "conductance"]:
        assert column in table.columns
    np.testing.assert_allclose(table["conductance"], expected["conductance"])
    assert table["seed_spawn_key"].astype(str).tolist() == expected["seed_spawn_key"].tolist()
    regenerated = regenerate(table.iloc[5].to_dict())
    assert regenerated.solution.conductance == pytest.approx(table["conductance"].iloc[5], rel=1e-12)


def test_resume_refuses_another_seed_and_adopts_the_stored_entropy(tmp_path):
    path = tmp_path / "runs.sqlite"
    grid = SweepGrid.from_mapping({**SMALL, "seed": None, "form": "wire-node", "runs": 1})
    first = run_sweep(grid, path, executor="serial")
    assert first.computed == 2
    assert run_sweep(grid, path, executor="serial").skipped == 2  # no seed given: the store's entropy is used
    with pytest.raises(InvalidInputError, match="seed"):
        run_sweep(SweepGrid.from_mapping({**SMALL, "seed": 99}), path, executor="serial")
    with pytest.raises(InvalidInputError, match="analyses"):
        run_sweep(SweepGrid.from_mapping({**SMALL, "seed": None, "analyses": []}), path, executor="serial")
    bigger = SweepGrid.from_mapping({**SMALL, "seed": None, "form": "wire-node", "runs": 2, "density": [6, 8, 10]})
    summary = run_sweep(bigger, path, executor="serial")  # a larger grid reuses every stored row
    assert (summary.skipped, summary.computed) == (2, 4)


def test_progress_line_shows_rate_eta_and_errors():
    import io

    bar = Progress(10, stream=io.StringIO(), enabled=True)
    for k in range(4):
        bar.update(error=k == 0)
    line = bar.line(2.0)
    assert line.startswith("[" + "#" * 12 + "." * 18 + "] 4/10")
    assert "2/s" in line and "ETA 0:00:03" in line and "1 errors" in line
    quiet = Progress(3, stream=io.StringIO())  # not a terminal: nothing drawn
    quiet.update()
    quiet.close()
    assert quiet.stream.getvalue() == ""


# -- commands ------------------------------------------------------------------------------------------------
def test_sweep_results_and_plot_commands(tmp_path, capsys):
    store = tmp_path / "runs.sqlite"
    args = ["sweep", "--density", "6", "10", "--box", "4", "--runs", "3", "--form", "wire-node", "junction-node",
            "--store", str(store), "--executor", "serial", "--seed", "3", "--json"]  # fmt: skip
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["computed"], summary["errors"], summary["total"]) == (12, 0, 12)
    assert main(["results", str(store), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows"], report["points"]) == (12, 4)
    assert main(["results", str(store)]) == 0
    assert "conductance" in capsys.readouterr().out
    figure = tmp_path / "fig.png"
    assert main(["plot", str(store), "--x", "density", "--y", "conductance", "--hue", "form", "-o", str(figure)]) == 0
    assert figure.stat().st_size > 1000
    assert main(["plot", str(store), "--x", "density", "--y", "nope", "-o", str(figure)]) == 2
    assert "nope" in capsys.readouterr().err
    assert main(["results", str(tmp_path / "missing.sqlite")]) == 2
    assert not (tmp_path / "missing.sqlite").exists()
    assert main(["sweep", "--list-analyses"]) == 0
    assert "conductance" in capsys.readouterr().out


def test_sweep_exits_1_with_the_count_while_error_rows_remain(tmp_path, capsys):
    store = tmp_path / "runs.sqlite"
    args = ["sweep", "--density", "10", "--box", "4", "--runs", "2", "--rj", "0", "--re", "0", "--form", "wire-node",
            "--store", str(store), "--executor", "serial", "--seed", "1"]  # fmt: skip
    assert main(args) == 1  # zero rj and re short the bus bars: every row fails
    assert "2 of 2 rows failed" in capsys.readouterr().err
    assert main(args) == 1  # the error rows are kept on a rerun, and still counted
    out, err = capsys.readouterr()
    assert "2 earlier error rows kept" in out and "2 of 2 rows failed" in err
    assert main([*args, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["failed"] == 2
    ok = ["sweep", "--density", "10", "--box", "4", "--store", str(tmp_path / "ok.sqlite"), "--executor", "serial"]
    assert main(ok) == 0


def test_results_and_plot_on_a_store_without_successful_rows(tmp_path, capsys):
    failed, empty = tmp_path / "failed.sqlite", tmp_path / "empty.sqlite"
    main(["sweep", "--density", "10", "--box", "4", "--rj", "0", "--re", "0", "--form", "wire-node", "--store",
          str(failed), "--executor", "serial", "--seed", "1"])  # fmt: skip
    ResultsStore(empty, mode="a").close()
    capsys.readouterr()
    assert main(["results", str(failed)]) == 0
    out = capsys.readouterr().out
    assert "no successful rows" in out and "SingularSystemError" in out and "Empty DataFrame" not in out
    assert main(["results", str(empty)]) == 0
    out = capsys.readouterr().out
    assert "no rows yet" in out and "Empty DataFrame" not in out
    for path, words in [(failed, "all failed"), (empty, "no rows")]:
        assert main(["plot", str(path), "--x", "density", "--y", "conductance", "-o", str(tmp_path / "f.png")]) == 2
        err = capsys.readouterr().err
        assert "no successful rows" in err and words in err
    assert main(["plot", str(failed), "--x", "density", "--y", "conductance", "-o", str(tmp_path / "f.xyz")]) == 2
    assert "'.xyz'" in capsys.readouterr().err and not (tmp_path / "f.xyz").exists()


def test_plot_splits_lines_by_every_varying_parameter(tmp_path):
    from nanograph.ensemble.plot import plot_sweep

    path = tmp_path / "runs.sqlite"
    run_sweep(SweepGrid.from_mapping({**SMALL, "rj": [1, 2], "runs": 2}), path, executor="serial")
    ax = plot_sweep(ResultsStore(path).aggregate(), "density", "conductance", hue="form")
    labels = sorted(t.get_text() for t in ax.get_legend().get_texts())
    # re follows rj (its default), so it varies too and is named
    assert labels == [f"form = {f}, rj = {r}, re = {r}" for f in ("junction-node", "wire-node") for r in (1.0, 2.0)]


def test_registered_physics_analyses_agree_with_their_theorems(tmp_path):
    wanted = ["conductance", "foster", "backbone", "mfa", "emt"]
    from nanograph.ensemble import analysis_names

    if not set(wanted) <= set(analysis_names()):
        pytest.skip("a physics module is not installed")
    grid = SweepGrid.from_mapping({"density": [3, 10], "box": 5, "runs": 2, "seed": 7, "closure": ["none", "regular"],
                                   "analyses": wanted})  # fmt: skip
    assert run_sweep(grid, tmp_path / "runs.sqlite", executor="serial").errors == 0
    frame = ResultsStore(tmp_path / "runs.sqlite").frame()
    np.testing.assert_allclose(frame["foster_sum"], frame["foster_expected"], rtol=1e-9)  # Foster: sum g R = |V| - c
    closed, open_ = frame[frame["closure"] == "regular"], frame[frame["closure"] == "none"]
    np.testing.assert_array_equal(closed["conductance"].to_numpy(), open_["conductance"].to_numpy())  # g = 0 edges
    assert (closed["n_edges"].to_numpy() > open_["n_edges"].to_numpy()).all()
    assert (closed["mean_gR_closure"] == 0).all() and open_["mean_gR_closure"].isna().all()
    roles = frame[["backbone_stick_fraction", "dead_end_stick_fraction", "isolated_stick_fraction"]].sum(axis=1)
    np.testing.assert_allclose(roles, 1.0)
    np.testing.assert_allclose(frame["mfa_mean_contacts"], 2 * frame["density"] / np.pi)  # Eq. (16), isotropic
    assert frame.loc[frame["density"] == 3, "emt_gm"].isna().all()  # Eq. (21) has no root for n l^2 <= pi
    assert (frame.loc[frame["density"] == 10, "emt_gm"] > 0).all()


def test_sigma_star_is_a_per_point_prediction_above_the_mean_conductance(tmp_path):
    from nanograph.ensemble import analysis_names

    if "sigma-star" not in analysis_names():
        pytest.skip("nanograph.analysis.expected_adjacency is not installed")
    grid = SweepGrid.from_mapping({"density": 12, "box": 5, "form": "wire-node", "periodic": "y", "re": 0.01,
                                   "runs": 6, "seed": 2, "analyses": ["conductance", "sigma-star"]})  # fmt: skip
    run_sweep(grid, tmp_path / "runs.sqlite", executor="serial")
    frame = ResultsStore(tmp_path / "runs.sqlite").frame()
    assert frame["sigma_star"].nunique() == 1 and frame["sigma_star"].iloc[0] > 0
    # Jagota Eq. (11): sigma* >= E sigma (conductance is concave in the adjacency)
    assert frame["sigma_star"].iloc[0] >= frame["conductance"].mean()


# -- the same numbers whatever the executor ------------------------------------------------------------------------
def test_serial_pool_and_dask_rows_are_bit_identical_for_wire_node(tmp_path):
    # 1280 sticks: CHOLMOD goes supernodal, so BLAS's thread count would change the last digits (it did:
    # 0x1.c21354cbf9996p+2 serial vs ...999dp+2 before every executor ran one BLAS thread)
    grid = SweepGrid.from_mapping({"density": 20, "box": 8, "form": "wire-node", "runs": 3, "seed": 3})
    run_sweep(grid, tmp_path / "serial.sqlite", executor="serial")
    run_sweep(grid, tmp_path / "pool.sqlite", workers=2)
    stores = ["serial", "pool"]
    if importlib.util.find_spec("distributed") is not None:
        import distributed

        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster:  # fmt: skip
            run_sweep(grid, tmp_path / "dask.sqlite", scheduler=cluster.scheduler_address)
        stores.append("dask")
    frames = [ResultsStore(tmp_path / f"{name}.sqlite").frame().drop(columns="seconds") for name in stores]
    values = [[v.hex() for v in frame["conductance"]] for frame in frames]
    assert all(v == values[0] for v in values[1:]), dict(zip(stores, values, strict=True))
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frames[0], frame, check_exact=True)


def test_the_serial_executor_restores_the_callers_blas_threads():
    from threadpoolctl import threadpool_info, threadpool_limits

    from nanograph.ensemble import execute

    with threadpool_limits(limits=2):
        before = [pool["num_threads"] for pool in threadpool_info()]
        inside = list(execute(_blas_threads, [0, 1], executor="serial"))
        assert [pool["num_threads"] for pool in threadpool_info()] == before
    assert inside == [{1}, {1}]


def _blas_threads(_):
    from threadpoolctl import threadpool_info

    return {pool["num_threads"] for pool in threadpool_info()}


def test_worker_warnings_reach_the_user_once_each_as_one_line(tmp_path):
    import warnings

    from nanograph.ensemble.sweep import WorkerWarning

    @register_analysis("test-warns", "warns on every realization (test only)")
    def warns(realization):
        warnings.warn("a test warning\n  over two lines", RuntimeWarning, stacklevel=1)
        return {}

    grid = SweepGrid.from_mapping({**SMALL, "form": "wire-node", "analyses": ["conductance", "test-warns"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run_sweep(grid, tmp_path / "runs.sqlite", executor="serial")
    worker = [w for w in caught if issubclass(w.category, WorkerWarning)]
    assert [str(w.message) for w in worker] == ["a test warning over two lines"]
