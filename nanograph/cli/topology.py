"""Command ``topology``: graph topology of a stick file's network (degrees, clustering, loops, Kf, λ₂, diameter)."""

from __future__ import annotations

import time

from nanograph.choices import FORMS
from nanograph.cli._common import (
    add_command,
    add_output,
    add_resistances,
    add_sticks_input,
    emit,
    load_sticks_argument,
    resistances,
    versioned,
)

ORDER = 46


def topology_record(network, *, weights: str = "unit", electrodes: bool = False) -> dict:
    """The ``nanograph topology --json`` record (a public contract: keep the keys; ``timings`` in seconds).

    Parameters
    ----------
    network : Network
        Either form.
    weights : {"unit", "conductance"}
        Weights of the Kirchhoff index and the algebraic connectivity.
    electrodes : bool
        Keep the electrode nodes.

    Returns
    -------
    dict
    """
    from nanograph.analysis.topology import network_topology

    t0 = time.perf_counter()
    t = network_topology(network, weights=weights, electrodes=electrodes)
    return {
        "form": network.form,
        "weights": weights,
        "electrodes": electrodes,
        "n_nodes": t.n_nodes,
        "n_edges": t.n_edges,
        "n_components": t.n_components,
        "largest_component": t.largest_component,
        "degree_histogram": t.degree_histogram.tolist(),
        "mean_degree": t.mean_degree,
        "clustering": t.clustering,
        "transitivity": t.transitivity,
        "cyclomatic_number": t.cyclomatic_number,
        "kirchhoff_index": t.kirchhoff_index,
        "kirchhoff_index_largest": t.kirchhoff_index_largest,
        "algebraic_connectivity": t.algebraic_connectivity,
        "diameter_estimate": t.diameter_lower,
        "diameter_upper_bound": t.diameter_upper,
        "timings": {"total": time.perf_counter() - t0},
    }


def _print(record: dict) -> None:
    hist = record["degree_histogram"]
    mode = max(range(len(hist)), key=hist.__getitem__) if hist else None
    unit = " (ohm)" if record["weights"] == "conductance" else ""
    rows = [
        ("form", f"{record['form']} (electrodes {'kept' if record['electrodes'] else 'left out'})"),
        ("nodes / edges / components", f"{record['n_nodes']} / {record['n_edges']} / {record['n_components']}"),
        ("largest component", f"{record['largest_component']} nodes"),
        ("degree: mean / most common / max", f"{record['mean_degree']:.4f} / {mode} / {len(hist) - 1}"),
        ("clustering (average local)", f"{record['clustering']:.6f}"),
        ("transitivity", f"{record['transitivity']:.6f}"),
        ("cyclomatic number E - V + c", f"{record['cyclomatic_number']}"),
        (f"Kirchhoff index{unit}", f"{record['kirchhoff_index']:.10g}  (largest component "
                                   f"{record['kirchhoff_index_largest']:.10g})"),
        (f"algebraic connectivity ({record['weights']})", f"{record['algebraic_connectivity']:.6g}"),
        ("diameter (hops, double sweep)", f"{record['diameter_estimate']} (<= {record['diameter_upper_bound']})"),
        ("time (s)", f"{record['timings']['total']:.2f}"),
    ]  # fmt: skip
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}} | {value}")


def _cmd_topology(args) -> int:
    from nanograph.graphs.builders import build_network

    sticks = load_sticks_argument(args)
    r = resistances(args, sticks)
    network = build_network(sticks, args.form, rw=r["rw"], rj=r["rj"], re=r["re"])
    record = topology_record(network, weights=args.weights, electrodes=args.with_electrodes)
    record.update(n_sticks=len(sticks), density=sticks.density)
    emit(args, versioned(record), lambda: _print(record))
    return 0


def register(sub) -> None:
    """Add ``topology`` to the subparsers ``sub``."""
    p = add_command(
        sub,
        "topology",
        "graph topology: degree histogram, clustering, cyclomatic number, Kirchhoff index, algebraic "
        "connectivity, diameter",
        "nanograph topology sticks.npz --box 16 --form wire-node --json",
        _cmd_topology,
    )
    add_sticks_input(p)
    p.add_argument("--form", choices=FORMS, default="wire-node", help="graph form. Default wire-node")
    add_resistances(p)
    p.add_argument("--weights", choices=["unit", "conductance"], default="unit",
                   help="edge weights of the Kirchhoff index and the algebraic connectivity: unit (1 per pair of "
                   "neighbours) or conductance (S, parallel edges add). Default unit")  # fmt: skip
    p.add_argument("--with-electrodes", action="store_true",
                   help="keep the bus-bar nodes and their contacts in the graph (left out by default)")  # fmt: skip
    add_output(p)
