"""Command ``foster``: Foster's theorem on a stick file's junction-node network, open or regularly closed."""

from __future__ import annotations

import math
import time

from nanograph.cli._common import (
    add_command,
    add_output,
    add_resistances,
    add_seed,
    add_sticks_input,
    emit,
    fresh_seed,
    load_sticks_argument,
    resistances,
    versioned,
)
from nanograph.errors import InvalidInputError

ORDER = 40


def foster_record(sticks, *, rw: float, rj: float, re: float | None, closure: str, solver: str = "auto") -> dict:
    """The ``nanograph foster --json`` record (a public contract: keep the keys; ``timings`` in seconds).

    ``re`` defaults to ``rj`` through :func:`nanograph.model.contact_resistance`.
    """
    from nanograph.graphs.builders import junction_node_network
    from nanograph.linalg.foster import foster_check
    from nanograph.linalg.solve import solve_network
    from nanograph.model import contact_resistance
    from nanograph.transforms import regular_closure

    if closure not in ("3", "4", "none"):
        raise InvalidInputError(f"--closure must be 3, 4 or none, got {closure!r}")
    if closure == "4" and rj != 0:
        raise InvalidInputError("--closure 4 is the seamless closure: it needs --rj 0 (use --closure 3 for rj > 0)")
    if closure == "3" and rj == 0:
        raise InvalidInputError("--closure 3 needs junction resistances (--rj > 0); with --rj 0 use --closure 4")
    re = contact_resistance(re, rj)
    t0 = time.perf_counter()
    network = junction_node_network(sticks, rw=rw, rj=rj, re=re)
    closed = regular_closure(network) if closure != "none" else None
    if closed is not None:
        network = closed.network
    t1 = time.perf_counter()
    check = foster_check(network)
    conductance = solve_network(network, solver=solver).conductance
    record = check.summary()
    record.update(
        closure=closure,
        conductance=conductance,
        n_sticks=len(sticks),
        density=sticks.density,
        rj=rj,
        rw=rw,
        re=re,
    )
    if closed is not None:
        record["n_irregular_nodes"] = len(closed.irregular_nodes)  # bus-bar contacts with Re > 0 when z = 4
        record["n_isolated_sticks"] = closed.n_isolated_sticks
        record["edge_fractions"] = closed.edge_fractions
    record.pop("seconds", None)  # the check's own timings are kept below, under the common key
    record["timings"] = {"build": t1 - t0, **check.seconds, "total": time.perf_counter() - t0}
    return record


def _mean_gr(value: float) -> str:
    return f"{value:.6f}" if math.isfinite(value) else "n/a (no edges)"


def _print(record: dict) -> None:
    z = record["degrees"][0] if len(record["degrees"]) == 1 else None
    rows = [
        ("closure", record["closure"]),
        ("nodes |V| / edges |E|", f"{record['n_nodes']} / {record['n_edges']}"),
        ("components c", f"{record['n_components']}"),
        ("sum g R", f"{record['foster_sum']:.10g}"),
        ("|V| - c", f"{record['expected_sum']}"),
        ("relative residual", f"{record['relative_residual']:.1e}"),
        ("degrees (non-electrode)", " ".join(map(str, record["degrees"]))),
        ("mean g R  (2/z)", _mean_gr(record["mean_gR"]) + (f"  ({2 / z:.6f})" if z else "")),
    ]
    rows += [(f"  mean g R, {kind}", f"{value:.6f}") for kind, value in record["mean_gR_by_kind"].items()]
    if record.get("n_irregular_nodes"):
        rows.append(("irregular nodes", f"{record['n_irregular_nodes']} (bus-bar contacts, Re > 0)"))
    if "tree_edges_mean" in record:
        trees = f"{record['tree_edges_mean']:.6g} +- {record['tree_edges_err']:.2g} ({record['n_trees']} forests)"
        rows.append(("spanning forests: tree edges", trees))
        rows.append(("  max |z| of P(e in F) vs g R", f"{record['edge_probability_max_z']:.3f}"))
    rows.append(("conductance G (S)", f"{record['conductance']:.10g}"))
    rows.append(("time (s)", f"{record['timings']['total']:.2f}"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}} | {value}")


def _cmd_foster(args) -> int:
    sticks = load_sticks_argument(args)
    values = resistances(args, sticks)
    record = foster_record(sticks, rw=values["rw"], rj=values["rj"], re=values["re"], closure=args.closure,
                           solver=args.solver)  # fmt: skip
    provenance = {}
    if args.spanning_trees is not None:
        provenance["seed"] = fresh_seed(args.seed)
        record.update(_spanning_keys(sticks, values, args.closure, args.spanning_trees, provenance["seed"]))
    emit(args, versioned(record, **provenance), lambda: _print(record))
    return 0


def _spanning_keys(sticks, values: dict, closure: str, n_trees: int, seed: int) -> dict:
    """``tree_edges_mean``, ``tree_edges_err``, ``edge_probability_max_z`` of Wilson's sampler on the network."""
    from nanograph.cli.currents import flagged
    from nanograph.cli.spanning import spanning_tree_record
    from nanograph.graphs.builders import junction_node_network
    from nanograph.transforms import regular_closure

    network = junction_node_network(sticks, rw=values["rw"], rj=values["rj"], re=values["re"])
    if closure != "none":
        network = regular_closure(network).network
    try:
        trees = spanning_tree_record(network, n_trees, seed=seed)
    except InvalidInputError as exc:
        raise InvalidInputError(flagged(str(exc), {"n_trees": "--spanning-trees"})) from None
    keys = ("tree_edges_mean", "tree_edges_err", "expected_tree_edges", "edge_probability_max_z", "n_trees")
    return {key: trees[key] for key in keys}


def register(sub) -> None:
    """Add ``foster`` to the subparsers ``sub``."""
    p = add_command(
        sub,
        "foster",
        "Foster's theorem sum g R = |V| - c with exact R on every edge, on the junction-node network (closed or not)",
        "nanograph foster sticks.npz --rj 1 --rw 1 --closure 3 --json\n"
        "  nanograph foster sticks.npz --box 8 --spanning-trees 2000 --seed 1 --json",
        _cmd_foster,
    )
    add_sticks_input(p)
    add_resistances(p)
    p.add_argument(
        "--closure", choices=["3", "4", "none"], default="none",
        help="3: 3-regular closure (rj > 0); 4: seamless 4-regular closure (needs --rj 0; --re 0 makes the bus-bar "
        "contacts regular too, else they have degree 3); none: the network as built. Default none",
    )  # fmt: skip
    p.add_argument("--spanning-trees", type=int, default=None, metavar="N",
                   help="also sample N random spanning forests (Wilson) and compare with g R; slow on the junction-node "
                   "form beyond a few hundred nodes")  # fmt: skip
    add_seed(p)
    add_output(p)
