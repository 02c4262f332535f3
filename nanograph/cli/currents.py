"""Command ``currents``: current analytics of a stick file as data (Cohn's sensitivities, 1/f noise, hot spots)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from nanograph.choices import FORMS
from nanograph.cli._common import (
    add_command,
    add_resistances,
    add_sticks_input,
    load_sticks_argument,
    print_json,
    resistances,
)
from nanograph.errors import InvalidInputError, NotPercolatingError

ORDER = 45

#: Python parameter -> command-line flag, for error messages raised below the CLI.
_FLAGS = {"junction": "--noise-junction", "wire": "--noise-wire", "electrode": "--noise-electrode", "k": "--top"}


def flagged(message: str, flags: dict) -> str:
    """``message`` with the Python parameter it starts with replaced by its command-line flag (from ``flags``)."""
    for name, flag in flags.items():
        if message.startswith(f"{name} "):
            return flag + message[len(name) :]
    return message


def currents_record(solution, *, noise_junction: float, noise_wire: float, noise_electrode: float = 0.0,
                    top: int = 10, by: str = "power", bins: int = 30) -> dict:  # fmt: skip
    """The ``nanograph currents --json`` record of a solution (a public contract: keep the keys).

    Parameters
    ----------
    solution : Solution
        A percolating solution of a bus-bar (or periodic-x) network.
    noise_junction, noise_wire, noise_electrode : float
        Relative noise amplitudes (see :func:`~nanograph.analysis.currents.relative_noise`).
    top : int
        Number of hot-spot edges.
    by : {"power", "current"}
        Ranking of the hot spots.
    bins : int
        Bins of the current histogram.

    Returns
    -------
    dict
    """
    from nanograph.analysis import currents as ca

    t1 = time.perf_counter()
    sol, network = solution, solution.network
    sens = ca.resistance_sensitivity(sol)
    noise = ca.relative_noise(sol, junction=noise_junction, wire=noise_wire, electrode=noise_electrode)
    dist = ca.current_distribution(sol, bins=bins)
    record = {
        "form": network.form,
        "resistance_ohm": sol.resistance,
        "conductance_s": sol.conductance,
        "current_a": sol.current,
        "voltage_v": sol.voltage,
        "sum_r_sensitivity": sens.sum_rule,
        "sum_rule_residual": sens.residual,
        "noise_relative": noise.relative,
        "noise_junction_part": noise.parts["junction"],
        "noise_wire_part": noise.parts["segment"],
        "noise_electrode_part": noise.parts["electrode"],
        "noise_amplitudes": {"junction": noise_junction, "wire_per_length": noise_wire, "electrode": noise_electrode},
        "tortuosity": ca.tortuosity(sol),
        "top_edges": ca.hot_spots(sol, top, by=by).records(),
        "current_histogram": {
            "bin_edges": dist.bin_edges,
            "density": dist.density,
            "n_zero": dist.n_zero,
            "n_nonzero": len(dist.values),
            "second_moment": dist.moment(2.0),
        },  # fmt: skip
        "n_nodes": network.n_nodes,
        "n_edges": network.n_edges,
        "kcl_residual": sol.kcl_residual,
        "accuracy": sol.accuracy,
        "backend": sol.backend,
    }
    record["timings"] = {"solve": sum(sol.timings.values()), "analysis": time.perf_counter() - t1}
    return record


def _print(record: dict) -> None:
    rows = [
        ("form", record["form"]),
        ("resistance R (ohm)", f"{record['resistance_ohm']:.10g}"),
        ("sum r dR/dr (ohm)", f"{record['sum_r_sensitivity']:.10g}  (residual {record['sum_rule_residual']:.1e})"),
        ("noise S_R/R^2", f"{record['noise_relative']:.6g}"),
        ("  junctions / wires", f"{record['noise_junction_part']:.6g} / {record['noise_wire_part']:.6g}"),
        ("  electrode contacts", f"{record['noise_electrode_part']:.6g}"),
        ("tortuosity", f"{record['tortuosity']:.6f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}} | {value}")
    if record["top_edges"]:
        key = "power" if "power" in record["top_edges"][0] else "current"
        print(f"top edges by {key} (share of the total):")
        for r in record["top_edges"]:
            print(f"  edge {r['edge']:>8}  {r['kind']:<9} at ({r['x']:.3f}, {r['y']:.3f})  {r[key]:.4g}")


def _cmd_currents(args) -> int:
    import numpy as np

    from nanograph.analysis.currents import SUM_RULE_TOLERANCE
    from nanograph.graphs.builders import build_network
    from nanograph.linalg.solve import solve_network

    sticks = load_sticks_argument(args)
    if len(args.grid) > 2:
        raise InvalidInputError(f"--grid takes N or NX NY, got {len(args.grid)} numbers")
    r = resistances(args, sticks)
    network = build_network(sticks, args.form, rw=r["rw"], rj=r["rj"], re=r["re"])
    solution = solve_network(network, solver=args.solver)
    try:
        record = currents_record(
            solution, noise_junction=args.noise_junction, noise_wire=args.noise_wire,
            noise_electrode=args.noise_electrode, top=args.top, by=args.by, bins=args.bins,
        )  # fmt: skip
    except NotPercolatingError:
        print("nanograph currents: error: the network does not percolate: no current flows", file=sys.stderr)
        return 1
    except InvalidInputError as exc:
        raise InvalidInputError(flagged(str(exc), _FLAGS)) from None
    if args.potential_map:
        from nanograph.analysis.currents import potential_map

        grid = potential_map(solution, bins=tuple(args.grid) if len(args.grid) == 2 else args.grid[0])
        np.savez(args.potential_map, potential=grid.values, x_edges=grid.x_edges, y_edges=grid.y_edges)
        record["potential_map"] = str(args.potential_map)
    import nanograph

    record = {"nanograph_version": nanograph.__version__, **record, "n_sticks": len(sticks), "density": sticks.density,
              "rj": args.rj, "rw": r["rw"] if args.form == "junction-node" else None,
              "re": r["re"]}  # fmt: skip
    if args.json:
        print_json(record)
    elif not args.quiet:
        _print(record)
    tolerance = max(SUM_RULE_TOLERANCE, 100 * solution.accuracy)  # the library's check (a warning there)
    return 1 if record["sum_rule_residual"] > tolerance else 0


def register(sub) -> None:
    """Add ``currents`` to the subparsers ``sub``."""
    p = add_command(
        sub,
        "currents",
        "current analytics: resistance, Cohn's sum rule, 1/f noise (junctions and wires), hot spots, tortuosity",
        "nanograph currents sticks.npz --box 16 --rj 1 --rw 1 --noise-junction 1 --noise-wire 0 --json",
        _cmd_currents,
    )
    add_sticks_input(p)
    p.add_argument("--form", choices=FORMS, default="junction-node", help="graph form. Default junction-node")
    add_resistances(p)
    p.add_argument("--noise-junction", type=float, default=1.0,
                   help="relative noise amplitude s of every junction (>= 0). Default 1")  # fmt: skip
    p.add_argument("--noise-wire", type=float, default=0.0,
                   help="relative noise of a unit length of wire (>= 0; a segment of length l gets s/l). Default 0")  # fmt: skip
    p.add_argument("--noise-electrode", type=float, default=0.0,
                   help="relative noise amplitude of every electrode contact (>= 0). Default 0")  # fmt: skip
    p.add_argument("--top", type=int, default=10, metavar="K", help="number of hot-spot edges listed. Default 10")
    p.add_argument("--by", choices=["power", "current"], default="power", help="hot-spot ranking. Default power")
    p.add_argument("--bins", type=int, default=30, help="logarithmic bins of the current histogram. Default 30")
    p.add_argument("--potential-map", type=Path, metavar="FILE.npz",
                   help="also write the potential on a grid (arrays potential, x_edges, y_edges)")  # fmt: skip
    p.add_argument("--grid", type=int, nargs="+", default=[64], metavar="N",
                   help="cells of the potential map, N or NX NY. Default 64")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors (the exit status tells)")
