"""``nanograph film``: a nanowire film from datasheet values to ohm per square, transmittance and figure of merit.

A thin layer over :class:`nanograph.model.Film` and :func:`nanograph.analysis.film.simulate_film` /
:func:`~nanograph.analysis.film.design_film`. Every physical flag takes a unit (``20um``, ``50nm``, ``10ohm``,
``50mg/m^2``); bare numbers are box units of ``<l>`` (lengths) or ohm.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING

from nanograph._version import __version__
from nanograph.cli._common import add_command, print_json
from nanograph.published.materials import DEFAULT_Q_EXT, MATERIALS

if TYPE_CHECKING:  # annotations only: the numerical modules load in the handlers
    from nanograph.model import Film

ORDER = 25

#: Python parameters of the film model and the flags that give them (errors name the flag).
FLAGS = {
    "areal_mass_density": "--amd",
    "count": "--n-sticks",
    "q_ext": "--q-ext",
    "mass_density": "--mass-density",
    "size_effect": "--size-effect",
    "max_sticks": "--max-sticks",
}


def _film(args: argparse.Namespace) -> Film:
    from nanograph.model import BusBars, Film, WirePopulation

    amount = {"areal_mass_density": args.amd, "density": args.density, "count": args.n_sticks}
    population = WirePopulation(
        **{k: v for k, v in amount.items() if v is not None},
        length=args.length, odf=args.odf, diameter=args.diameter, material=args.material,
        resistivity=args.resistivity, mass_density=args.mass_density, rw=args.rw, size_effect=args.size_effect,
    )  # fmt: skip
    box = args.box[0] if len(args.box) == 1 else tuple(args.box)
    return Film(population, box=box, periodic=args.periodic, junctions=args.rj, electrodes=BusBars(re=args.re),
                form=args.form, max_sticks=args.max_sticks)  # fmt: skip


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\rrealization {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)

    return show


def _print_table(record: dict) -> None:
    def fmt(value, spec=".4g"):
        return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, spec)

    lines = [
        ("n <l>^2", fmt(record["density"])),
        ("sticks", str(record["n_sticks"])),
        ("rw per length (ohm/m)", fmt(record["rw_per_length_ohm_m"])),
        ("rw of a wire <l> (ohm)", fmt(record["rw_wire_ohm"])),
        ("area fraction", fmt(record["area_fraction"])),
        ("transmittance", fmt(record["transmittance"])),
        ("R_s (ohm/sq)", f"{fmt(record['sheet_resistance_ohm_sq'])} ± {fmt(record['sheet_resistance_ohm_sq_err'], '.2g')}"),
        ("R_s EMT (ohm/sq)", fmt(record["emt_sheet_resistance_ohm_sq"])),
        ("R_s MFA (ohm/sq)", fmt(record["mfa_sheet_resistance_ohm_sq"])),
        ("figure of merit", fmt(record["figure_of_merit"])),
        ("percolating runs", f"{record['n_percolating']}/{record['runs']}"),
        ("seed", str(record["seed"])),
    ]  # fmt: skip
    if "design_amd_kg_m2" in record:
        lines.insert(0, ("design amd (mg/m^2)", fmt(record["design_amd_kg_m2"] * 1e6)))
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key:<{width}}  {value}")


def _cmd_film(args: argparse.Namespace) -> int:
    from nanograph.analysis.film import design_film, simulate_film

    film = _film(args)
    if args.target_sheet_resistance is not None or args.target_transmittance is not None:
        from nanograph.units import parse_quantity

        target_rs = None
        if args.target_sheet_resistance is not None:
            target_rs = parse_quantity(args.target_sheet_resistance, "sheet_resistance")
        design = design_film(film, sheet_resistance=target_rs, transmittance=args.target_transmittance,
                             confidence=args.confidence, runs=args.runs, rng=args.seed, q_ext=args.q_ext)  # fmt: skip
        record = {"design_amd_kg_m2": design.areal_mass_density, "design_target": design.target,
                  "design_target_value": design.target_value, "design_confidence": design.confidence,
                  **design.result.summary()}  # fmt: skip
    else:
        result = simulate_film(film, args.runs, rng=args.seed, q_ext=args.q_ext, progress=_progress(args.quiet))
        record = result.summary()
    record = {"nanograph_version": __version__, **record}
    if args.json:
        print_json(record)
    elif not args.quiet:
        _print_table(record)
    return 1 if record["n_percolating"] < record["runs"] and not args.allow_insulating else 0


def register(sub) -> None:
    """Add ``film`` to the subparsers ``sub``."""
    p = add_command(
        sub, "film", "a nanowire film from datasheet values: sheet resistance (ohm/sq), transmittance, figure of merit",
        "nanograph film --material Ag --length 20um --diameter 50nm --amd 50mg/m^2 --rj 10ohm --box 200um "
        "--runs 10 --seed 1 --json", _cmd_film,
    )  # fmt: skip
    p.set_defaults(flag_names=FLAGS)
    wires = p.add_argument_group("wires")
    wires.add_argument(
        "--material", choices=list(MATERIALS), default=None, help="material preset (resistivity, mass density)"
    )
    wires.add_argument(
        "--length",
        default="1",
        help="wire length: 20um, a spec such as lognormal:mean=20um,std=5um, or <l> units. Default 1",
    )
    wires.add_argument("--diameter", default=None, help="wire diameter (e.g. 50nm, or lognormal:mean=50nm,std=8nm)")
    wires.add_argument("--resistivity", default=None, help="override the material's resistivity (e.g. 1.59e-8ohm*m)")
    wires.add_argument("--mass-density", default=None, help="override the material's mass density (e.g. 10.49g/cm^3)")
    wires.add_argument(
        "--rw",
        default=None,
        help="resistance per unit length of wire (ohm per <l>, or e.g. 8e6ohm/m); default from resistivity and diameter",
    )
    wires.add_argument(
        "--size-effect",
        choices=["fuchs-sondheimer", "mayadas-shatzkes"],
        default=None,
        help="size-dependent resistivity of thin wires (off by default)",
    )
    wires.add_argument("--odf", default="isotropic", help="orientation distribution. Default isotropic")
    amount = wires.add_mutually_exclusive_group(required=True)
    amount.add_argument("--amd", default=None, help="areal mass density (e.g. 50mg/m^2)")
    amount.add_argument("--density", type=float, default=None, help="number density n <l>^2")
    amount.add_argument("--n-sticks", type=int, default=None, help="number of sticks")
    film = p.add_argument_group("film")
    film.add_argument(
        "--box",
        nargs="+",
        default=["16"],
        metavar="L",
        help="box side L, or Lx Ly (e.g. 200um, or <l> units). Default 16",
    )
    film.add_argument(
        "--periodic", choices=["none", "x", "y", "xy"], default="none", help="periodic axes. Default none"
    )
    film.add_argument("--rj", default="1", help="junction resistance: 10ohm, or lognormal:median=10ohm,sigma=0.5, "
                      "uniform:low=5,high=15, resample:FILE. Default 1")  # fmt: skip
    film.add_argument("--re", default=None, help="stick-electrode contact resistance. Default: as --rj")
    film.add_argument(
        "--form",
        choices=["junction-node", "wire-node"],
        default="junction-node",
        help="graph form. Default junction-node",
    )
    film.add_argument(
        "--q-ext",
        type=float,
        default=DEFAULT_Q_EXT,
        help=f"extinction efficiency for T = exp(-Q_ext AF). Default {DEFAULT_Q_EXT}",
    )
    film.add_argument(
        "--max-sticks", type=int, default=20_000_000, help="refuse films that need more sticks. Default 2e7"
    )
    run = p.add_argument_group("realizations and design")
    run.add_argument("--runs", type=int, default=10, help="realizations. Default 10")
    run.add_argument("--seed", type=int, default=None, help="root seed (default: fresh entropy, reported as 'seed')")
    run.add_argument("--target-sheet-resistance", default=None, help="design: the amd giving R_s <= this (e.g. 30ohm)")
    run.add_argument("--target-transmittance", type=float, default=None, help="design: the amd giving T >= this")
    run.add_argument(
        "--confidence", type=float, default=0.9, help="design: fraction of films meeting the target. Default 0.9"
    )
    run.add_argument(
        "--allow-insulating", action="store_true", help="exit 0 even when some realizations do not percolate"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--quiet", action="store_true", help="no table and no progress")
