"""Command ``tensor``: the sheet-conductivity tensor of a stick file in a box periodic in x and y."""

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
from nanograph.errors import InvalidInputError

ORDER = 46


def tensor_record(sticks, *, form: str, rw: float, rj: float, solver: str = "auto") -> dict:
    """The ``nanograph tensor --json`` record (a public contract: keep the keys)."""
    from nanograph.analysis.tensor import sheet_conductivity_tensor

    t0 = time.perf_counter()
    tensor = sheet_conductivity_tensor(sticks, form=form, rw=rw, rj=rj, solver=solver).check()
    record = {
        **tensor.record(), "box": list(sticks.box), "form": form, "n_sticks": len(sticks),
        "density": sticks.density, "rj": rj, "rw": rw, "n_unknowns": tensor.n_unknowns,
        "seconds": time.perf_counter() - t0,
    }  # fmt: skip
    return versioned(record)


def _print(record: dict) -> None:
    s1, s2 = record["principal_sigma"]
    rows = [
        ("sigma_xx (S)", f"{record['sigma_xx']:.8g}"),
        ("sigma_yy (S)", f"{record['sigma_yy']:.8g}"),
        ("sigma_xy (S)", f"{record['sigma_xy']:.8g}"),
        ("sigma_yy / sigma_xx", f"{record['sigma_yy_over_xx']:.6g}"),
        ("principal sigma (S)", f"{s1:.8g}, {s2:.8g} (ratio {record['anisotropy_ratio']:.6g})"),
        ("principal axis (deg from x)", f"{record['principal_angle_deg']:.3f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}} | {value}")


def _cmd_tensor(args) -> int:
    from nanograph.geometry.sticks import Sticks

    if args.periodic not in (None, "xy"):
        raise InvalidInputError(
            f"periodic: the tensor is measured in a box that wraps around x and y (xy), got {args.periodic}"
        )
    loaded = load_sticks_argument(args)
    sticks = Sticks(loaded.endpoints, loaded.box, (True, True), dict(loaded.info), loaded.population, loaded.diameter)
    values = resistances(args, sticks)
    record = tensor_record(sticks, form=args.form, rw=values["rw"], rj=values["rj"], solver=args.solver)
    emit(args, record, lambda: _print(record))
    return 0


def register(sub) -> None:
    """Add ``tensor`` to the subparsers ``sub``."""
    p = add_command(
        sub,
        "tensor",
        "sheet-conductivity tensor sigma_xx, sigma_yy, sigma_xy of sticks in a box periodic in x and y",
        "nanograph tensor sticks.npz --box 16 --rj 1 --rw 1 --form junction-node --json",
        _cmd_tensor,
    )
    add_sticks_input(p)
    p.add_argument("--form", choices=FORMS, default="junction-node", help="graph form. Default junction-node")
    add_resistances(p)
    add_output(p)
    p.set_defaults(flag_names={"periodic": "--periodic"})
