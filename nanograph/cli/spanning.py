"""Command ``spanning-trees``: Foster's theorem as the expected size of a random spanning forest (teaching)."""

from __future__ import annotations

import time

from nanograph.choices import FORMS
from nanograph.cli._common import (
    add_command,
    add_resistances,
    add_sticks_input,
    load_sticks_argument,
    print_json,
    resistances,
)
from nanograph.cli.currents import flagged
from nanograph.errors import InvalidInputError

ORDER = 41


def spanning_tree_record(network, n_trees: int, *, seed=None) -> dict:
    """The ``nanograph spanning-trees --json`` record (a public contract: keep the keys).

    Parameters
    ----------
    network : Network
        Any network (small: the sampler's time grows with the conductance contrast).
    n_trees : int
        Forests to sample (> 0).
    seed : int, optional
        Seed of the random walks.

    Returns
    -------
    dict
    """
    import numpy as np

    from nanograph.analysis.spanning import spanning_tree_count, spanning_tree_edge_frequencies

    t0 = time.perf_counter()
    count = spanning_tree_count(network)
    t1 = time.perf_counter()
    freq = spanning_tree_edge_frequencies(network, n_trees, rng=seed)
    worst = int(np.argmax(np.abs(freq.z))) if network.n_edges else None
    return {
        "tree_edges_mean": freq.tree_edges_mean,
        "tree_edges_err": freq.tree_edges_err,
        "expected_tree_edges": freq.expected_tree_edges,
        "foster_sum": float(freq.exact.sum()),
        "edge_probability_max_z": freq.max_abs_z,
        "worst_edge": worst,
        "worst_edge_frequency": None if worst is None else float(freq.frequency[worst]),
        "worst_edge_gR": None if worst is None else float(freq.exact[worst]),
        "log_tree_count": count.log_count,
        "n_components": count.n_components,
        "n_trees": n_trees,
        "n_nodes": network.n_nodes,
        "n_edges": network.n_edges,
        "timings": {"count": t1 - t0, "sample": time.perf_counter() - t1},
    }


def _cmd_spanning(args) -> int:
    from nanograph.graphs.builders import build_network

    sticks = load_sticks_argument(args)
    r = resistances(args, sticks)
    network = build_network(sticks, args.form, rw=r["rw"], rj=r["rj"], re=r["re"])
    try:
        record = spanning_tree_record(network, args.spanning_trees, seed=args.seed)
    except InvalidInputError as exc:
        raise InvalidInputError(flagged(str(exc), {"n_trees": "--spanning-trees"})) from None
    import nanograph

    record = {"nanograph_version": nanograph.__version__, "seed": args.seed, "form": args.form, **record,
              "n_sticks": len(sticks), "rj": args.rj, "rw": r["rw"] if args.form == "junction-node" else None,
              "re": r["re"]}  # fmt: skip
    if args.json:
        print_json(record)
    elif not args.quiet:
        rows = [
            ("forests sampled", f"{record['n_trees']} (seed {record['seed']})"),
            ("tree edges, mean", f"{record['tree_edges_mean']:.6g} +- {record['tree_edges_err']:.2g}"),
            ("|V| - c", f"{record['expected_tree_edges']}"),
            ("Foster sum g R", f"{record['foster_sum']:.10g}"),
            ("max |z| of P(e in F) vs g R", f"{record['edge_probability_max_z']:.3f}"),
            ("log (weighted) tree count", f"{record['log_tree_count']:.10g}"),
        ]
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"{name:<{width}} | {value}")
    return 0


def register(sub) -> None:
    """Add ``spanning-trees`` to the subparsers ``sub``."""
    p = add_command(
        sub,
        "spanning-trees",
        "Foster's theorem through random spanning trees: Wilson's sampler against g R, Kirchhoff's tree count",
        "nanograph spanning-trees sticks.npz --box 8 --spanning-trees 2000 --seed 1 --json",
        _cmd_spanning,
    )
    add_sticks_input(p)
    p.add_argument("--form", choices=FORMS, default="wire-node",
                   help="graph form. Default wire-node (the junction-node form's short segments slow the walks)")  # fmt: skip
    add_resistances(p)
    p.add_argument("--spanning-trees", type=int, default=1000, metavar="N", help="forests to sample. Default 1000")
    p.add_argument("--seed", type=int, default=None, help="random seed (omit for fresh entropy)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors (the exit status tells)")
