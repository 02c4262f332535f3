"""Command ``probe``: four-probe (van der Pauw) sheet resistance of a stick file, beside the bus-bar value."""

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

ORDER = 45


def probe_record(sticks, *, contacts: str, contact_size: float | None, form: str, rw: float, rj: float,
                 re: float | None, solver: str = "auto") -> dict:  # fmt: skip
    """The ``nanograph probe --json`` record (a public contract: keep the keys)."""
    from nanograph.analysis.vanderpauw import four_probe
    from nanograph.graphs.builders import build_network
    from nanograph.linalg.solve import solve_network

    t0 = time.perf_counter()
    result = four_probe(sticks, contacts=contacts, contact_size=contact_size, form=form, rw=rw, rj=rj, re=re,
                        solver=solver)  # fmt: skip
    result.matrix.check()
    t1 = time.perf_counter()
    bus = solve_network(build_network(sticks, form, rw=rw, rj=rj, re=re), solver=solver).check()
    lx, ly = sticks.box
    size = 0.05 * min(lx, ly) if contact_size is None else contact_size
    record = {
        **result.record(),
        "bus_bar_sheet_resistance_ohm_sq": 1.0 / bus.sheet_conductance if bus.sheet_conductance > 0 else None,
        "contacts_layout": contacts, "contact_size": size, "box": [lx, ly], "form": form,
        "n_sticks": len(sticks), "density": sticks.density, "rj": rj, "rw": rw, "re": rj if re is None else re,
        "seconds": {"four_probe": t1 - t0, "bus_bars": time.perf_counter() - t1},
    }  # fmt: skip
    return versioned(record)


def _print(record: dict) -> None:
    bus = record["bus_bar_sheet_resistance_ohm_sq"]
    rows = [
        ("contacts", f"{record['contacts_layout']}, size {record['contact_size']:g}"),
        ("R_AB,CD (ohm)", f"{record['r_ab_cd_ohm']:.8g}"),
        ("R_BC,DA (ohm)", f"{record['r_bc_da_ohm']:.8g}"),
        ("R_CD,AB (ohm)", f"{record['r_cd_ab_ohm']:.8g}  (reciprocity error {record['reciprocity_error']:.1e})"),
        ("sheet resistance, van der Pauw (ohm/sq)", f"{record['sheet_resistance_ohm_sq']:.8g}"),
        ("sheet resistance, bus bars (ohm/sq)", "n/a (does not percolate)" if bus is None else f"{bus:.8g}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}} | {value}")


def _cmd_probe(args) -> int:
    sticks = load_sticks_argument(args)
    values = resistances(args, sticks)
    record = probe_record(sticks, contacts=args.contacts, contact_size=args.contact_size, form=args.form,
                          rw=values["rw"], rj=values["rj"], re=args.re, solver=args.solver)  # fmt: skip
    emit(args, record, lambda: _print(record))
    return 0


def register(sub) -> None:
    """Add ``probe`` to the subparsers ``sub``."""
    p = add_command(
        sub,
        "probe",
        "van der Pauw four-probe sheet resistance (contacts A, B, C, D around an open box), with the bus-bar value",
        "nanograph probe sticks.npz --box 16 --contacts midpoints --contact-size 0.8 --rj 1 --rw 1 --json",
        _cmd_probe,
    )
    add_sticks_input(p)
    p.add_argument("--contacts", choices=["midpoints", "corners"], default="midpoints",
                   help="midpoints: contacts centred on the bottom (A), right (B), top (C), left (D) sides; corners: "
                   "on the bottom and top sides touching the corners. Default midpoints")  # fmt: skip
    p.add_argument("--contact-size", type=float, default=None,
                   help="length of each contact (box units). Default 0.05 L")  # fmt: skip
    p.add_argument("--form", choices=FORMS, default="junction-node", help="graph form. Default junction-node")
    add_resistances(p)
    add_output(p)
    p.set_defaults(flag_names={"periodic": "--periodic", "contact_size": "--contact-size", "contacts": "--contacts"})
