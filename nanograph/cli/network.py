"""Commands ``run``, ``generate``, ``solve`` and ``draw``: sticks, graph forms and Kirchhoff conductance.

Every command takes ``--json`` (one object carrying ``nanograph_version``, and ``seed`` where randomness
entered) and ``--quiet``. Stick files carry their provenance (:func:`nanograph.geometry.io.save_sticks`);
``solve`` reads their unit (or ``--unit`` for a CSV) so ``--rw 8e6ohm/m`` or ``--resistivity`` with
``--diameter`` give the wire resistance, and it reports ``sheet_resistance_ohm_sq`` beside the conductance.
"""

from __future__ import annotations

import json
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from nanograph.choices import FORMS
from nanograph.cli._common import (
    add_box,
    add_command,
    add_output,
    add_periodic,
    add_resistances,
    add_seed,
    add_sticks_input,
    check_image_suffix,
    emit,
    fresh_seed,
    load_sticks_argument,
    resistances,
    to_json_value,
    versioned,
)
from nanograph.errors import InvalidInputError, SingularSystemError

if TYPE_CHECKING:  # annotations only: the numerical modules load in the handlers
    from nanograph.geometry.sticks import Sticks

ORDER = 10


def _solve(sticks: Sticks, form: str, args, values: dict | None = None):
    """Build the graph form ``form`` of ``sticks``, solve it and return ``(solution, record)``."""
    from nanograph.geometry.contacts import find_contacts
    from nanograph.graphs.builders import build_network
    from nanograph.linalg.solve import InaccurateSolutionWarning, solve_network

    values = resistances(args, sticks) if values is None else values
    t0 = time.perf_counter()
    contacts = find_contacts(sticks)
    t1 = time.perf_counter()
    net = build_network(sticks, form, rw=values["rw"], rj=values["rj"], re=values["re"], contacts=contacts)
    t2 = time.perf_counter()
    with warnings.catch_warnings():  # an inaccurate solution is refused just below, in one line
        warnings.simplefilter("ignore", InaccurateSolutionWarning)
        sol = solve_network(net, solver=args.solver)
    sol.check()  # InaccurateSolutionError: `main` prints one line and exits 1
    t3 = time.perf_counter()
    record = {
        "form": form,
        "conductance": sol.conductance,
        "sheet_conductance": sol.sheet_conductance,
        "sheet_resistance_ohm_sq": 1.0 / sol.sheet_conductance if sol.sheet_conductance > 0 else None,
        "resistance": sol.resistance if sol.percolates else None,
        "percolates": sol.percolates,
        "n_sticks": len(sticks),
        "n_junctions": len(contacts),
        "n_nodes": net.n_nodes,
        "n_edges": net.n_edges,
        "n_unknowns": sol.n_unknowns,
        "density": sticks.density,
        "box": list(sticks.box),
        "periodic": list(sticks.periodic),
        "unit_m": sticks.info.get("unit_m"),
        "rj": values["rj"],
        "rw": values["rw"] if form == "junction-node" else None,
        "rw_per_length_ohm_m": values["rw_per_length_ohm_m"] if form == "junction-node" else None,
        "re": values["re"],
        "kcl_residual": sol.kcl_residual,
        "power_balance_error": sol.power_balance_error,
        "accuracy": sol.accuracy,
        "backend": sol.backend,
        "timings": {"contacts": t1 - t0, "build": t2 - t1, **sol.timings, "total": t3 - t0},
    }
    return sol, record


def _generate(args, seed: int) -> Sticks:
    """Sticks of ``generate`` through the model: box units of ``<l>``, or physical when a length has a unit."""
    from nanograph.geometry.sticks import Sticks, film_sticks
    from nanograph.model import Film, WirePopulation

    amount = {"density": args.density} if args.density is not None else {"count": args.n_sticks}
    population = WirePopulation(**amount, length=args.length, odf=args.odf)
    box = args.box[0] if len(args.box) == 1 else tuple(args.box)
    # Geometry only: the wire-node form asks the model for no wire resistance.
    film = Film(population, box=box, periodic=args.periodic, form="wire-node")
    sticks = film_sticks(film, rng=seed)
    parameters = {
        "density": args.density, "n_sticks": len(sticks), "box": list(film.size), "length": args.length,
        "odf": population.odf.spec(), "periodic": args.periodic, "given_box": args.box,
    }  # fmt: skip
    return Sticks(sticks.endpoints, sticks.box, sticks.periodic, {"parameters": parameters, "unit_m": film.unit})


def _box_arguments(values: list[str]) -> list:
    """``--box`` of ``generate``: numbers stay numbers (box units of ``<l>``), quantities (``200um``) stay text."""
    from nanograph.units import has_unit, parse_number

    return [v if has_unit(v) else parse_number(v, "box") for v in values]


def _cmd_generate(args) -> int:
    from nanograph.geometry.io import save_sticks

    args.box = _box_arguments(args.box)
    seed = fresh_seed(args.seed)
    sticks = _generate(args, seed)
    save_sticks(args.output, sticks, metadata={"seed": seed, "seed_given": args.seed is not None})
    record = versioned({
        "output": args.output, "n_sticks": len(sticks), "density": sticks.density, "box": list(sticks.box),
        "periodic": list(sticks.periodic), "unit_m": sticks.info["unit_m"], "length": args.length, "odf": args.odf,
    }, seed=seed)  # fmt: skip
    emit(args, record, lambda: print(
        f"wrote {len(sticks)} sticks (n l^2 = {sticks.density:.4g}, box {sticks.box[0]:g} x {sticks.box[1]:g}"
        + (f" in units of {sticks.info['unit_m']:.4g} m" if sticks.info["unit_m"] else "")
        + f", seed {seed}) to {args.output}"
    ))  # fmt: skip
    return 0


def _file_provenance(sticks: Sticks) -> dict:
    return {"path": sticks.info.get("file"), "seed": sticks.info.get("seed"),
            "nanograph_version": sticks.info.get("nanograph_version")}  # fmt: skip


def _cmd_solve(args) -> int:
    sticks = load_sticks_argument(args)
    _, record = _solve(sticks, args.form, args)
    record = versioned(record, sticks_file=_file_provenance(sticks))
    emit(args, record, lambda: _print_table([record]))
    return 0


def _cmd_draw(args) -> int:
    from nanograph.graphs.builders import build_network
    from nanograph.plotting.draw import draw_network
    from nanograph.plotting.style import save_figure, styled

    check_image_suffix(args.output)
    sticks = load_sticks_argument(args)
    values = resistances(args, sticks)
    solution, record = _solve(sticks, args.form, args, values) if args.color_by == "current" else (None, None)
    network = None
    if solution is None:
        network = build_network(sticks, args.form, rw=values["rw"], rj=values["rj"], re=values["re"])
    with styled():
        ax = draw_network(sticks, solution, network=network, color_by=args.color_by)
        ax.set_title(f"{len(sticks)} sticks, {args.form}")
        provenance = {"command": "draw", "color_by": args.color_by, "form": args.form, "rj": values["rj"],
                      "rw": values["rw"], "re": values["re"], "units": _units(sticks),
                      "sticks_file": _file_provenance(sticks)}  # fmt: skip
        save_figure(ax.figure, args.output, provenance, dpi=args.dpi)
    summary = versioned({"output": args.output, **provenance, "n_sticks": len(sticks),
                         "conductance": None if record is None else record["conductance"]})  # fmt: skip
    emit(args, summary, lambda: print(f"wrote {args.output}"))
    return 0


def _units(sticks: Sticks) -> dict:
    unit = sticks.info.get("unit_m")
    return {"coordinates": f"{unit!r} m" if unit else "box units", "resistance": "ohm",
            "rw": "ohm per coordinate unit", "conductance": "S"}  # fmt: skip


def _print_table(records: list[dict]) -> None:
    rows = [
        ("form", lambda r: r["form"]),
        ("sticks N", lambda r: f"{r['n_sticks']}"),
        ("density n l^2", lambda r: f"{r['density']:.4g}"),
        ("junctions", lambda r: f"{r['n_junctions']}"),
        ("nodes / edges", lambda r: f"{r['n_nodes']} / {r['n_edges']}"),
        ("percolates", lambda r: str(r["percolates"])),
        ("conductance G (S)", lambda r: f"{r['conductance']:.8g}"),
        ("sheet conductance (S/sq)", lambda r: f"{r['sheet_conductance']:.8g}"),
        (
            "sheet resistance (ohm/sq)",
            lambda r: "inf" if r["sheet_resistance_ohm_sq"] is None else f"{r['sheet_resistance_ohm_sq']:.8g}",
        ),  # fmt: skip
        ("KCL residual (rel.)", lambda r: f"{r['kcl_residual']:.1e}"),
        ("power balance (rel.)", lambda r: f"{r['power_balance_error']:.1e}"),
        ("accuracy of G (rel.)", lambda r: f"{r['accuracy']:.1e}"),
        ("solver", lambda r: r["backend"]),
        ("time total (s)", lambda r: f"{r['timings']['total']:.3f}"),
    ]
    width = max(len(name) for name, _ in rows)
    cols = [[fmt(r) if "skipped" not in r or name == "form" else "n/a" for r in records] for name, fmt in rows]
    cw = max(len(c) for col in cols for c in col)
    for (name, _), col in zip(rows, cols, strict=False):
        print(f"{name:<{width}} | " + " | ".join(f"{c:>{cw}}" for c in col))
    for r in records:
        if "skipped" in r:
            print(f"n/a: {r['form']}: {r['skipped']}")


def _solve_forms(sticks: Sticks, args, values: dict) -> tuple[list, dict, list]:
    """Both graph forms of ``run``: records, solutions by form, and the forms solved inaccurately."""
    from nanograph.linalg.solve import InaccurateSolutionError

    records, solutions, inaccurate = [], {}, []
    for form in FORMS:
        try:
            solutions[form], record = _solve(sticks, form, args, values)
        except SingularSystemError as exc:  # e.g. rj = re = 0 shorts the wire-node form: show n/a, keep the other
            why = (
                " (the wire-node form has no wire resistance: with --rj 0 it needs --re > 0)"
                if form == "wire-node"
                else ""
            )
            record = {
                "form": form,
                "skipped": f"{exc}{why}",
                "rj": values["rj"],
                "rw": values["rw"],
                "re": values["re"],
            }
        except InaccurateSolutionError as exc:  # no number shown for it; the command exits 1 below
            record = {"form": form, "skipped": str(exc), "rj": values["rj"], "rw": values["rw"], "re": values["re"]}
            inaccurate.append(form)
        records.append(record)
    if not solutions and inaccurate:
        raise InaccurateSolutionError(f"{', '.join(inaccurate)}: {records[-1]['skipped']}")
    if not solutions:
        raise InvalidInputError(
            f"--rj {values['rj']}, --rw {values['rw']}, --re {values['re']}: both graph forms are shorted "
            "(infinite conductance); give --rj, --rw and --re positive values"
        )
    return records, solutions, inaccurate


def _cmd_run(args) -> int:
    from nanograph.geometry.io import save_sticks
    from nanograph.geometry.sticks import generate_sticks
    from nanograph.model import PERIODIC
    from nanograph.plotting.draw import draw_network
    from nanograph.plotting.style import save_figure, styled

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    box = tuple(args.box) if len(args.box) == 2 else args.box[0]
    sticks = generate_sticks(args.density, box=box, periodic=PERIODIC[args.periodic], rng=args.seed)
    values = resistances(args, sticks)
    records, solutions, inaccurate = _solve_forms(sticks, args, values)
    lx, ly = sticks.box
    parameters = {"density": args.density, "box": [lx, ly], "periodic": args.periodic, "length": 1.0,
                  "odf": "isotropic", "rj": values["rj"], "rw": values["rw"], "re": values["re"], "solver": args.solver}  # fmt: skip
    units = {"box": "box units (stick length 1)", "rj": "ohm", "rw": "ohm per unit length", "re": "ohm",
             "conductance": "S", "sheet_resistance_ohm_sq": "ohm per square"}  # fmt: skip
    files = {"sticks": out / "sticks.npz", "summary": out / "summary.json", "picture": out / "network.png"}
    summary = versioned({"parameters": parameters, "units": units, "results": records, "files": files},
                        seed=args.seed)  # fmt: skip
    save_sticks(files["sticks"], sticks, metadata={"seed": args.seed, "parameters": parameters})
    files["summary"].write_text(json.dumps(to_json_value(summary), indent=2, allow_nan=False))
    form = "junction-node" if "junction-node" in solutions else next(iter(solutions))
    with styled():
        ax = draw_network(sticks, solutions[form], color_by="current")
        ax.set_title(f"{form} currents, n l² = {args.density:g}, box {lx:g} x {ly:g}")
        save_figure(ax.figure, files["picture"], {"command": "run", "seed": args.seed, "form": form,
                                                  "parameters": parameters, "units": units})  # fmt: skip

    def table() -> None:
        print(f"nanograph run: {len(sticks)} unit sticks, n l^2 = {args.density:g}, box {lx:g} x {ly:g}, "
              f"seed {args.seed}, Rj = {values['rj']:g}, rw = {values['rw']:g}, Re = {values['re']:g}")  # fmt: skip
        _print_table(records)
        print(f"wrote {files['picture']}, {files['summary']} and {files['sticks']}")

    emit(args, summary, table)
    return 1 if inaccurate else 0  # a form whose conductance could not be computed accurately: tolerance missed


def _add_run(sub) -> None:
    p = add_command(sub, "run", "the main job on defaults: generate, solve both forms, print a table, draw",
                    "nanograph run --density 20 --box 16 --seed 3", _cmd_run)  # fmt: skip
    p.add_argument("--density", type=float, default=10.0, help="n <l>^2 (sticks per <l>^2). Default 10")
    add_box(p, default=[16.0], help="box side L, or LX LY (stick length 1). Default 16")
    add_seed(p, default=0)
    add_periodic(p, help="periodic axes (x periodic: current across the x boundary, no bus bars). Default none")
    p.add_argument("--out", default="out", help="folder for network.png, summary.json, sticks.npz. Default out/")
    add_resistances(p)
    add_output(p, "print the summary (also written to summary.json) as one JSON object")


def _add_generate(sub) -> None:
    p = add_command(sub, "generate", "generate random sticks and save them (.npz or .csv) with their provenance",
                    "nanograph generate --density 30 --box 32 --seed 1 -o sticks.npz", _cmd_generate)  # fmt: skip
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--density", type=float, help="dimensionless density n <l>^2")
    size.add_argument("--n-sticks", type=int, help="number of sticks N")
    add_box(p, required=True, type=str,
            help="box side L, or LX LY: <l> units, or with a unit (200um) when --length has one")  # fmt: skip
    p.add_argument("--length", default="1", help="stick length or distribution in <l> units, or with a unit: 1, "
                   "20um, uniform:low=0.5,high=1.5, normal:loc=1,scale=0.2, lognormal:mean=20um,std=5um, "
                   "gamma:mean=1,std=0.3. Default 1")  # fmt: skip
    p.add_argument("--odf", default="isotropic", help="orientation distribution spec. Default isotropic")
    add_periodic(p, old_flags=False)
    add_seed(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="output file, .npz or .csv")
    add_output(p)


def _add_solve(sub) -> None:
    p = add_command(sub, "solve", "conductance and sheet resistance of a stick file by Kirchhoff (CHOLMOD)",
                    "nanograph solve sticks.npz --rj 1 --rw 1 --form junction-node --json",
                    _cmd_solve)  # fmt: skip
    add_sticks_input(p)
    p.add_argument("--form", choices=FORMS, default="junction-node", help="graph form. Default junction-node")
    add_resistances(p)
    add_wire_material(p)
    add_output(p)


def add_wire_material(p) -> None:
    """``--resistivity`` and ``--diameter``: ``rw = resistivity / (pi D^2 / 4)`` for a file with a unit."""
    p.add_argument("--resistivity", default=None,
                   help="wire resistivity, e.g. 1.59e-8ohm*m (with --diameter, instead of --rw; needs a unit)")  # fmt: skip
    p.add_argument("--diameter", default=None, help="wire diameter, e.g. 50nm (with --resistivity)")


def _add_draw(sub) -> None:
    p = add_command(sub, "draw", "draw a stick file, coloured by current or showing the graph form",
                    "nanograph draw sticks.npz -o net.png", _cmd_draw)  # fmt: skip
    add_sticks_input(p)
    p.add_argument("-o", "--output", type=Path, required=True, help="image file (.png, .pdf, .svg)")
    p.add_argument("--color-by", choices=["current", "form", "none"], default="current", help="Default current")
    p.add_argument("--form", choices=FORMS, default="junction-node", help="graph form. Default junction-node")
    p.add_argument("--dpi", type=float, default=None, help="resolution of raster images. Default 200")
    add_resistances(p)
    add_wire_material(p)
    add_output(p, "print a JSON summary of what was drawn and written")


def register(sub) -> None:
    """Add ``run``, ``generate``, ``solve`` and ``draw`` to the subparsers ``sub``."""
    _add_run(sub)
    _add_generate(sub)
    _add_solve(sub)
    _add_draw(sub)
