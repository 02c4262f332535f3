"""Finite-size runs that decide the papers' open discrepancies (issue 17), resumable, in parallel.

    python scripts/discrepancies.py run --raw RAW.jsonl --workers 16 --budget-s 500 [--only perc|lat] [--scale F]
    python scripts/discrepancies.py analyse --raw RAW.jsonl [MORE.jsonl ...] --json benchmarks/results/discrepancies.json

``run`` works through a fixed list of chunks (each a few seconds to a minute, with its own seed from
``SeedSequence([17, ...])``), most decisive first, skipping the chunks already in ``RAW`` and stopping
when ``budget-s`` of wall time is spent; so it resumes and extends. ``--scale`` multiplies every series'
number of chunks (the plan below is the base). ``analyse`` pools the chunks, estimates per size and
fits ``y(L) = y_inf + a L^(-w)`` (:func:`nanograph.analysis.finite_size.fit_finite_size`).

Series:

* ``perc``: first-wrapping counts (x and y) of unit sticks on L x L tori, isotropic and perfect cross;
  estimator: pooled R_x, R_y crossing of 0.521058290 (canonical ensemble), and the mean density.
* ``mfa``: Fig. 2 of the MFA paper, sigma (Rs + Rj) of the perfect cross at Delta = 1e-6 (wire-node form),
  L = 8 against L = 32, per density: the growth with L and the runs it takes to resolve it.
* ``lat``: Fig. 3 of the EMT paper, sheet conductance / n of lattices with Eq. (13) edges, in three
  geometries (bus bars with periodic y, with open y, torus with an EMF).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import zlib
from pathlib import Path

import numpy as np

#: (odf, density guess, sizes, chunks per size, runs per chunk), most decisive first.
PERC_PLAN = [
    ("cross:omega=0.5", 6.2, 32, 12, 250),
    ("isotropic", 5.64, 32, 8, 250),
    ("cross:omega=0.5", 6.2, 16, 8, 500),
    ("isotropic", 5.64, 16, 8, 500),
    ("cross:omega=0.5", 6.2, 8, 8, 1000),
    ("isotropic", 5.64, 8, 8, 1000),
    ("cross:omega=0.5", 6.2, 11.3137, 8, 700),
    ("isotropic", 5.64, 11.3137, 8, 700),
    ("cross:omega=0.5", 6.2, 22.6274, 8, 350),
    ("isotropic", 5.64, 22.6274, 8, 350),
    ("cross:omega=0.5", 6.2, 45.2548, 8, 120),
    ("isotropic", 5.64, 45.2548, 8, 120),
]
#: (lattice, geometry, size, chunks, runs per chunk). L = 32-64 give the most precision per CPU second
#: (the per-run spread falls like 1/L, the cost rises like L^2 or faster).
_LAT_SIZES = ((16, 4, 1000), (32, 8, 500), (64, 8, 150), (128, 8, 30), (256, 4, 4))
LAT_PLAN = [
    (lat, geo, size, chunks // (2 if lat == "kagome" else 1), runs)
    for lat, geos in (("square", ("torus", "bars-periodic-y", "bars-open-y")), ("kagome", ("torus", "bars-periodic-y")))
    for geo in geos
    for size, chunks, runs in _LAT_SIZES
]


#: MFA Fig. 2 (cross, Delta = 1e-6, wire-node): (density, size, chunks, runs per chunk). The spread of one
#: run is about 4 times larger at L = 8 than at L = 32, so L = 8 gets many more runs (they are cheap).
MFA_PLAN = [(d, size, chunks, runs) for d in (8.0, 10.0, 15.0, 20.0, 30.0)
            for size, chunks, runs in ((8.0, 40, 50), (32.0, 30, 3))]  # fmt: skip


def _tag(*parts) -> int:
    return zlib.crc32(json.dumps(parts).encode())


def plan(scale: float = 1.0, only: str | None = None) -> list[dict]:
    """Chunks, round-robin over the series so that an early stop still covers every size."""
    series = []
    if only in (None, "perc"):
        for odf, guess, size, chunks, runs in PERC_PLAN:
            series.append([{"kind": "perc", "odf": odf, "guess": guess, "size": size, "runs": runs, "chunk": c}
                           for c in range(max(1, round(chunks * scale)))])  # fmt: skip
    if only in (None, "lat"):
        for lat, geo, size, chunks, runs in LAT_PLAN:
            series.append([{"kind": "lat", "lattice": lat, "geometry": geo, "size": size, "runs": runs, "chunk": c}
                           for c in range(max(1, round(chunks * scale)))])  # fmt: skip
    if only in (None, "mfa"):
        for density, size, chunks, runs in MFA_PLAN:
            series.append([{"kind": "mfa", "density": density, "size": size, "runs": runs, "chunk": c}
                           for c in range(max(1, round(chunks * scale)))])  # fmt: skip
    out = []
    for k in range(max(len(s) for s in series)):
        out += [s[k] for s in series if k < len(s)]
    return out


def key(task: dict) -> str:
    return json.dumps({k: task[k] for k in sorted(task)}, sort_keys=True)


def run_task(task: dict) -> dict:
    from nanograph.reproduce.finite_size import lattice_slope_samples, wrapping_counts
    from nanograph.reproduce.mfa import direct_conductivity

    t0, c0 = time.perf_counter(), time.process_time()
    seed = np.random.SeedSequence([17, _tag(key(task))])
    rng = np.random.default_rng(seed)
    if task["kind"] == "perc":
        data = wrapping_counts(task["size"], odf=task["odf"], runs=task["runs"], density_guess=task["guess"], rng=rng)
        data = data.tolist()
    elif task["kind"] == "mfa":
        res = direct_conductivity(
            "cross:omega=0.5", task["density"], task["size"], (1e-6,), task["runs"], _tag(key(task))
        )
        data = [float(v) for v in res.values[:, 0]]
    else:
        data = lattice_slope_samples(task["lattice"], task["size"], task["geometry"], runs=task["runs"], rng=rng)
        data = [float(v) for v in data]
    return {"task": task, "data": data, "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}


def _done(raw: Path) -> set[str]:
    if not raw.exists():
        return set()
    return {key(json.loads(line)["task"]) for line in raw.read_text().splitlines() if line.strip()}


def run(args) -> None:
    raw = Path(args.raw)
    done = _done(raw)
    todo = [t for t in plan(args.scale, args.only) if key(t) not in done]
    if args.sizes:
        todo = [t for t in todo if any(abs(t["size"] - s) < 0.01 for s in args.sizes)]
    t_end = time.perf_counter() + args.budget_s
    print(f"{len(todo)} chunks to do ({len(done)} done); budget {args.budget_s:.0f} s wall", flush=True)
    with raw.open("a") as fh:
        if args.workers == 1:  # on a shared machine: also stop at cpu_budget_s of this process's CPU time
            cpu_end = time.process_time() + (args.cpu_budget_s or math.inf)
            for task in todo:
                if time.perf_counter() > t_end or time.process_time() > cpu_end:
                    break
                fh.write(json.dumps(run_task(task)) + "\n")
                fh.flush()
            return
        import multiprocessing as mp

        with mp.get_context("spawn").Pool(args.workers) as pool:
            pending = [pool.apply_async(run_task, (t,)) for t in todo]
            for res in pending:
                remaining = t_end - time.perf_counter()
                if remaining <= 0:
                    break
                try:
                    fh.write(json.dumps(res.get(timeout=remaining)) + "\n")
                    fh.flush()
                except mp.TimeoutError:
                    break
            pool.terminate()


def _perc_rows(records: list[dict]) -> list[dict]:
    from nanograph.analysis.finite_size import pooled_crossing_density
    from nanograph.analysis.percolation import UNIVERSAL_CROSSING

    level = UNIVERSAL_CROSSING["wrap-x"]
    groups: dict = {}
    for rec in records:
        t = rec["task"]
        g = groups.setdefault((t["odf"], t["size"]), {"counts": [], "cpu_s": 0.0})
        g["counts"] += rec["data"]
        g["cpu_s"] += rec["cpu_s"]
    rows = []
    for (odf, size), g in sorted(groups.items()):
        c = np.asarray(g["counts"], dtype=float)
        unit = 1.0 / size**2
        pooled = pooled_crossing_density(c, unit, level)
        x_only = pooled_crossing_density(c[:, 0], unit, level)
        dens = c * unit
        mean_xy = dens.mean(axis=1)
        rows.append({
            "odf": odf, "size": size, "runs": len(c), "cpu_s": round(g["cpu_s"], 1),
            "crossing": pooled[0], "crossing_error": pooled[1],
            "crossing_x": x_only[0], "crossing_x_error": x_only[1],
            "mean_density": float(mean_xy.mean()), "mean_density_error": float(mean_xy.std(ddof=1) / math.sqrt(len(c))),
            "sd_density_x": float(dens[:, 0].std(ddof=1)), "corr_xy": float(np.corrcoef(c.T)[0, 1]),
        })  # fmt: skip
    return rows


#: Below this many realizations a size's standard deviation is taken from the others (sd L is nearly constant).
MIN_RUNS_FOR_SD = 30


def _lat_rows(records: list[dict]) -> list[dict]:
    """Per (lattice, geometry, size): mean slope and its error. The spread of one realization falls like 1/L
    (sd L within about 10 % of constant over L = 16-256), so a size with fewer than :data:`MIN_RUNS_FOR_SD`
    runs takes ``sd = median(sd L) / L`` of the well-sampled sizes (flagged ``sd_model``)."""
    groups: dict = {}
    for rec in records:
        t = rec["task"]
        g = groups.setdefault((t["lattice"], t["geometry"], t["size"]), {"data": [], "cpu_s": 0.0})
        g["data"] += rec["data"]
        g["cpu_s"] += rec["cpu_s"]
    rows = []
    for (lat, geo, size), g in sorted(groups.items()):
        d = np.asarray(g["data"])
        sd = float(d.std(ddof=1)) if len(d) > 1 else math.nan
        rows.append({"lattice": lat, "geometry": geo, "size": size, "runs": len(d), "cpu_s": round(g["cpu_s"], 1),
                     "slope": float(d.mean()), "sd": sd, "sd_model": False})  # fmt: skip
    for lat, geo in {(r["lattice"], r["geometry"]) for r in rows}:
        same = [r for r in rows if (r["lattice"], r["geometry"]) == (lat, geo)]
        good = [r["sd"] * r["size"] for r in same if r["runs"] >= MIN_RUNS_FOR_SD]
        for r in same:
            if r["runs"] < MIN_RUNS_FOR_SD and good:
                r["sd"], r["sd_model"] = float(np.median(good)) / r["size"], True
            r["slope_error"] = r["sd"] / math.sqrt(r["runs"])
    return rows


def _mfa_rows(records: list[dict]) -> list[dict]:
    from nanograph.analysis.finite_size import runs_to_resolve

    groups: dict = {}
    for rec in records:
        t = rec["task"]
        g = groups.setdefault(t["density"], {}).setdefault(t["size"], {"data": [], "cpu_s": 0.0})
        g["data"] += rec["data"]
        g["cpu_s"] += rec["cpu_s"]
    rows = []
    for density, by_size in sorted(groups.items()):
        if len(by_size) < 2:
            continue
        (small, s), (large, b) = sorted(by_size.items())[0], sorted(by_size.items())[-1]
        xs, xb = np.asarray(s["data"]), np.asarray(b["data"])
        if len(xs) < 2 or len(xb) < 2:
            continue
        ms, mb, ss, sb = xs.mean(), xb.mean(), xs.std(ddof=1), xb.std(ddof=1)
        diff, diff_err = mb - ms, math.sqrt(ss**2 / len(xs) + sb**2 / len(xb))
        # Runs at the large size (the small one getting 10 times as many) that make a growth 3 s.e. large:
        # error^2 = ss^2 / (10 n) + sb^2 / n, i.e. one "run" has the spread pair_sd.
        pair_sd = math.sqrt(ss**2 / 10 + sb**2)
        rows.append({
            "density": density, "small": small, "large": large, "runs_small": len(xs), "runs_large": len(xb),
            "sigma_small": ms, "sigma_small_error": ss / math.sqrt(len(xs)), "sigma_large": mb,
            "sigma_large_error": sb / math.sqrt(len(xb)), "sd_small": ss, "sd_large": sb,
            "growth": diff, "growth_error": diff_err, "z": diff / diff_err, "ratio_small_over_large": ms / mb,
            "ratio_error": math.hypot(ss / math.sqrt(len(xs)) / mb, ms * sb / math.sqrt(len(xb)) / mb**2),
            "runs_large_for_1pct_at_3se": runs_to_resolve(pair_sd, 0.01 * mb, z=3),
            "runs_large_for_measured_at_3se": runs_to_resolve(pair_sd, diff, z=3) if diff else None,
            "cpu_s": round(s["cpu_s"] + b["cpu_s"], 1),
        })  # fmt: skip
    return rows


def _summed(rows: list[dict]) -> dict:
    """Growth summed over the densities (independent runs), over its standard error."""
    if not rows:
        return {}
    total = sum(r["growth"] for r in rows)
    error = math.sqrt(sum(r["growth_error"] ** 2 for r in rows))
    return {"densities": [r["density"] for r in rows], "growth_sum": total, "error": error, "z": total / error}


def _fits(sizes, values, errors, exponents) -> dict:
    from nanograph.analysis.finite_size import fit_finite_size
    from nanograph.errors import InvalidInputError

    out = {}
    for name, w in exponents.items():
        try:
            out[name] = fit_finite_size(sizes, values, errors, exponent=w).as_dict()
        except InvalidInputError as err:
            out[name] = {"error": str(err)}
    return out


def analyse(args) -> None:
    from nanograph.analysis.percolation import NU
    from nanograph.physics import emt
    from nanograph.published import emt_foster, mfa

    records = [json.loads(line) for raw in args.raw for line in Path(raw).read_text().splitlines() if line.strip()]
    perc = _perc_rows([r for r in records if r["task"]["kind"] == "perc"])
    lat = _lat_rows([r for r in records if r["task"]["kind"] == "lat"])
    mfa_rows = _mfa_rows([r for r in records if r["task"]["kind"] == "mfa"])
    result = {"perc": perc, "lat": lat, "mfa_fig2": mfa_rows, "mfa_fig2_summed": _summed(mfa_rows), "perc_fits": {}, "lat_fits": {}, "references": {
        "isotropic": mfa.THRESHOLD_ISOTROPIC, "cross_published": mfa.THRESHOLD_PERFECT_CROSS,
        "square_published": emt_foster.FIG3_SQUARE_SLOPE, "kagome_published": emt_foster.FIG3_KAGOME_SLOPE,
        "square_emt": emt.lattice_sheet_conductance("square", emt.lattice_gm(1.0, 4)),
        "kagome_emt": emt.lattice_sheet_conductance("kagome", emt.lattice_gm(1.0, 4)),
    }}  # fmt: skip
    for odf in sorted({r["odf"] for r in perc}):
        rows = [r for r in perc if r["odf"] == odf]
        sizes = [r["size"] for r in rows]
        fits = _fits(sizes, [r["crossing"] for r in rows], [r["crossing_error"] for r in rows],
                     {"crossing_free": None, "crossing_w=1/nu": 1 / NU, "crossing_w=2": 2.0,
                      "crossing_w=2+1/nu": 2 + 1 / NU})  # fmt: skip
        big = [r for r in rows if r["size"] >= 11]
        if len(big) >= 2:
            fits |= {f"{k}_L>=11": v for k, v in _fits([r["size"] for r in big], [r["crossing"] for r in big],
                                                        [r["crossing_error"] for r in big],
                                                        {"crossing_free": None, "crossing_w=2": 2.0}).items()}  # fmt: skip
        fits |= _fits(sizes, [r["mean_density"] for r in rows], [r["mean_density_error"] for r in rows],
                      {"mean_free": None, "mean_w=1/nu": 1 / NU})  # fmt: skip
        result["perc_fits"][odf] = fits
    for lattice, geo in sorted({(r["lattice"], r["geometry"]) for r in lat}):
        rows = [r for r in lat if r["lattice"] == lattice and r["geometry"] == geo and math.isfinite(r["sd"])]
        sizes = [r["size"] for r in rows]
        v, e = [r["slope"] for r in rows], [r["slope_error"] for r in rows]
        fits = _fits(sizes, v, e, {"free": None, "w=1": 1.0, "w=2": 2.0})
        big = [i for i, s in enumerate(sizes) if s >= 32]
        if len(big) >= 2:
            fits |= {f"{k}_L>=32": f for k, f in _fits([sizes[i] for i in big], [v[i] for i in big],
                                                       [e[i] for i in big], {"free": None, "w=1": 1.0,
                                                                             "w=2": 2.0}).items()}  # fmt: skip
        result["lat_fits"][f"{lattice}/{geo}"] = fits
    result["compute"] = {"chunks": len(records), "cpu_s": round(sum(r["cpu_s"] for r in records), 1)}
    text = json.dumps(result, indent=1)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run")
    r.add_argument("--raw", required=True)
    r.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    r.add_argument("--budget-s", type=float, default=300.0)
    r.add_argument("--scale", type=float, default=1.0)
    r.add_argument("--only", choices=("perc", "lat", "mfa"))
    r.add_argument("--sizes", type=float, nargs="+", help="only these box sizes")
    r.add_argument("--cpu-budget-s", type=float, help="with --workers 1: stop after this much CPU time")
    a = sub.add_parser("analyse")
    a.add_argument("--raw", required=True, nargs="+")
    a.add_argument("--json")
    args = parser.parse_args(argv)
    (run if args.command == "run" else analyse)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
