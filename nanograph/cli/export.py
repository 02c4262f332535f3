"""Command ``export``: a stick file's network in an open format (GraphML, GEXF, GML, CSV, Parquet, VTK)."""

from __future__ import annotations

from pathlib import Path

from nanograph._version import __version__
from nanograph.choices import EXPORT_FORMATS, FORMS
from nanograph.cli._common import add_command, add_resistances, add_sticks_input, load_sticks_argument, print_json

ORDER = 25

_EXAMPLE = "nanograph export sticks.npz --box 16 --form junction-node --format graphml -o net.graphml"


def export_record(sticks, output: Path, *, form: str, format: str | None, rw: float, rj: float, re: float | None,
                  solve: bool = False, solver: str = "auto") -> dict:  # fmt: skip
    """Build the network of ``sticks``, write it to ``output`` and return the ``export --json`` record.

    Parameters
    ----------
    sticks : Sticks
        The sticks and their box.
    output : Path
        The file to write (for tables, the stem of the two files).
    form : {"wire-node", "junction-node"}
        Graph form.
    format : str or None
        One of :data:`~nanograph.graphs.export.EXPORT_FORMATS`; ``None``: from the suffix of ``output``.
    rw, rj, re : float
        Resistances (ohm per unit length, ohm, ohm; ``re`` default ``rj``).
    solve : bool
        Solve at 1 V first and export ``potential`` and ``current`` too.
    solver : str
        Linear solver back-end for ``solve``.

    Returns
    -------
    dict
        ``nanograph_version``, ``form``, ``format``, ``files``, ``n_sticks``, ``n_nodes``, ``n_edges``,
        ``n_electrodes``, ``solved`` and, when solved, ``conductance_s`` (S).
    """
    from nanograph.graphs.builders import build_network
    from nanograph.graphs.export import export_network
    from nanograph.graphs.network import NodeKind

    network = build_network(sticks, form, rw=rw, rj=rj, re=re)
    solution = None
    if solve:
        from nanograph.linalg.solve import solve_network

        solution = solve_network(network, solver=solver)
    files = export_network(network, output, format, solution=solution)
    record = {
        "nanograph_version": __version__,
        "form": form,
        "format": format or next(k for k, s in EXPORT_FORMATS.items() if Path(files[0]).suffix.lower() in s),
        "files": [str(f) for f in files],
        "n_sticks": len(sticks),
        "n_nodes": network.n_nodes,
        "n_edges": network.n_edges,
        "n_electrodes": int((network.node_kind == NodeKind.ELECTRODE).sum()),
        "solved": solution is not None,
    }
    if solution is not None:
        record["conductance_s"] = solution.conductance
    return record


def _cmd_export(args) -> int:
    sticks = load_sticks_argument(args)
    record = export_record(sticks, args.output, form=args.form, format=args.format, rw=args.rw, rj=args.rj,
                           re=args.re, solve=args.solve, solver=args.solver)  # fmt: skip
    if args.json:
        print_json(record)
    elif not args.quiet:
        print(f"wrote {record['n_nodes']} nodes and {record['n_edges']} edges ({record['form']}, "
              f"{record['format']}) to {', '.join(record['files'])}")  # fmt: skip
    return 0


def register(sub) -> None:
    """Add ``export`` to the subparsers ``sub``."""
    p = add_command(sub, "export", "write a stick file's network as GraphML, GEXF, GML, CSV, Parquet or VTK (.vtp)",
                    _EXAMPLE, _cmd_export)  # fmt: skip
    add_sticks_input(p)
    p.add_argument("--form", choices=FORMS, default="junction-node", help="graph form. Default junction-node")
    p.add_argument("--format", choices=list(EXPORT_FORMATS), default=None,
                   help="file format. Default: from the suffix of -o (.graphml .gexf .gml .csv .parquet .vtp); "
                   "csv and parquet write <stem>.nodes.<ext> and <stem>.edges.<ext>")  # fmt: skip
    p.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    p.add_argument("--solve", action="store_true", help="solve at 1 V and add node potential and edge current")
    add_resistances(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quiet", action="store_true", help="print nothing on success")
