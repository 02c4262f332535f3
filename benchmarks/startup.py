"""Start-up time of nanograph: fresh-process wall times and ``python -X importtime`` top offenders.

Three cases, each timed as a whole fresh process (interpreter start included), best of ``--repeat``:

- ``import nanograph``: ``python -c "import nanograph"``;
- ``nanograph --help``: the console command's parser, every command module registered;
- ``nanograph solve``: a 100-stick file (L = 5, n l^2 = 4, seed 1) solved in the junction-node form.

Targets (issue 13, section 2b; measured here, not asserted in timed tests): 0.3 s, 0.4 s and 0.6 s.
``python -X importtime`` of each case gives the modules with the largest cumulative import time that
nanograph itself imports (its own modules and the third-party packages it pulls in).

Usage::

    python benchmarks/startup.py                 # table + benchmarks/results/startup.json
    python benchmarks/startup.py --repeat 9 --top 15
    python benchmarks/startup.py --label before -o /tmp/before.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results" / "startup.json"
TARGETS = {"import nanograph": 0.3, "nanograph --help": 0.4, "nanograph solve (100 sticks)": 0.6}
THIRD_PARTY = {"numpy", "scipy", "sksparse", "numba", "igraph", "networkx", "matplotlib", "pandas", "dask"}
THIRD_PARTY |= {"tqdm", "rich", "pyarrow", "threadpoolctl", "hypothesis", "PIL"}
CLI = "import sys; from nanograph.cli import main; sys.exit(main(sys.argv[1:]))"


def _cases(sticks_file: str) -> dict[str, list[str]]:
    """The command line (after ``python``) of each case."""
    return {
        "import nanograph": ["-c", "import nanograph"],
        "nanograph --help": ["-c", CLI, "--help"],
        "nanograph solve (100 sticks)": ["-c", CLI, "solve", sticks_file, "--json"],
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=True)


def wall_times(args: list[str], repeat: int, env: dict[str, str]) -> list[float]:
    """Wall seconds of ``repeat`` fresh processes ``python <args>`` (after one untimed warm-up)."""
    _run(args, env)  # warm the OS file cache and the .pyc files
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        _run(args, env)
        times.append(time.perf_counter() - t0)
    return times


def import_offenders(args: list[str], top: int, env: dict[str, str]) -> list[dict]:
    """The ``top`` modules by cumulative import time (s), from ``python -X importtime <args>``.

    nanograph's own modules and third-party packages (and their first-level subpackages such as
    ``scipy.stats``) are listed, each with its cumulative time (self plus everything it imported first).
    """
    proc = _run(["-X", "importtime", *args], env)
    rows = []
    for line in proc.stderr.splitlines():
        fields = [f.strip() for f in line.removeprefix("import time:").split("|")]
        if len(fields) != 3 or not fields[0].isdigit():
            continue  # the header line, or a line the program printed
        name = fields[2]
        root = name.split(".")[0]
        if root == "nanograph" or (root in THIRD_PARTY and name.count(".") <= 1):
            rows.append({"module": name, "cumulative_s": int(fields[1]) * 1e-6, "self_s": int(fields[0]) * 1e-6})
    rows.sort(key=lambda r: -r["cumulative_s"])
    return rows[:top]


def _sticks_file(folder: str, env: dict[str, str]) -> str:
    path = os.path.join(folder, "sticks100.npz")
    _run(["-c", CLI, "generate", "--n-sticks", "100", "--box", "5", "--seed", "1", "-o", path, "--quiet"], env)
    return path


def heavy_modules(env: dict[str, str]) -> dict[str, list[str]]:
    """Which heavy optional packages each of ``import nanograph`` and ``build_parser()`` loads."""
    heavy = ["scipy.stats", "scipy.integrate", "scipy.optimize", "scipy.special", "igraph", "networkx"]
    heavy += ["matplotlib", "pandas", "dask", "numba", "sksparse", "scipy.sparse"]
    code = f"import sys, json; {{stmt}}; print(json.dumps([m for m in {heavy!r} if m in sys.modules]))"
    out = {}
    for label, stmt in [
        ("import nanograph", "import nanograph"),
        ("build_parser()", "import nanograph.cli as c; c.build_parser()"),
    ]:
        out[label] = json.loads(_run(["-c", code.format(stmt=stmt)], env).stdout)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed processes per case (best is reported)")
    parser.add_argument("--top", type=int, default=10, help="import-time offenders listed per case")
    parser.add_argument("--label", default="", help="a label stored in the JSON (e.g. before / after)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="JSON file written")
    args = parser.parse_args(argv)

    env = dict(os.environ, PYTHONWARNINGS="ignore")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, case in _cases(_sticks_file(folder, env)).items():
            times = wall_times(case, args.repeat, env)
            offenders = import_offenders(case, args.top, env)
            rows.append(
                {
                    "case": name,
                    "best_s": min(times),
                    "median_s": sorted(times)[len(times) // 2],
                    "target_s": TARGETS[name],
                    "met": min(times) < TARGETS[name],
                    "times_s": times,
                    "importtime_top": offenders,
                }
            )
        baseline = min(wall_times(["-c", "pass"], args.repeat, env))
    loaded = heavy_modules(env)

    print(f"python start-up alone (python -c pass): {baseline:.3f} s")
    print(f"{'case':<30} {'best s':>8} {'median s':>9} {'target s':>9}  met")
    for r in rows:
        print(f"{r['case']:<30} {r['best_s']:8.3f} {r['median_s']:9.3f} {r['target_s']:9.2f}  {r['met']}")
    for r in rows:
        print(f"\n-X importtime, {r['case']} (cumulative s):")
        for o in r["importtime_top"]:
            print(f"  {o['cumulative_s']:7.3f}  {o['module']}")
    for label, mods in loaded.items():
        print(f"\nheavy modules loaded by {label}: {', '.join(mods) or 'none'}")

    record = {
        "meta": {
            "label": args.label,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "repeat": args.repeat,
            "python_pass_s": baseline,
        },
        "rows": rows,
        "heavy_modules_loaded": loaded,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n")
    print(f"\nwritten {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
