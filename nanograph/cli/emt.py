"""Command ``emt``: effective-medium conductance ``g_m`` of the paper's closed forms, per density."""

from __future__ import annotations

from nanograph.choices import LATTICES
from nanograph.cli._common import add_command, add_output, emit, versioned
from nanograph.errors import InvalidInputError

ORDER = 40


def _emt():
    """:mod:`nanograph.physics.emt`, imported when a model is evaluated (it loads SciPy)."""
    from nanograph.physics import emt

    return emt


#: model name -> (equation, node degree z, resistances it uses, function of (density, rw, rj) -> g_m)
MODELS = {
    "three-regular": ("Eq. (21)", 3, ("rw", "rj"), lambda d, rw, rj: _emt().three_regular_gm(d, rw, rj)),
    "three-regular-no-factor": (
        "Eq. (21) without (1 - pi/(2 n l^2))^-1 (reproduces Table 2)",
        3,
        ("rw", "rj"),
        lambda d, rw, rj: _emt().three_regular_gm(d, rw, rj, closure_factor=False),
    ),
    "three-regular-rw0": ("Rw -> 0 limit of Eq. (21): g_m Rj = 2 n l^2/pi - 2", 3, ("rj",), lambda d, rw, rj: _emt().three_regular_rw0_gm(d, rj)),
    "junction-only": ("Eq. (26), the paper's Rw = 0 result", 3, ("rj",), lambda d, rw, rj: _emt().junction_only_gm(d, rj)),
    "large-rj": ("Eq. (24)", 3, ("rw", "rj"), lambda d, rw, rj: _emt().large_rj_gm(d, rw, rj)),
    "seamless": ("Eq. (28), Rj = 0", 4, ("rw",), lambda d, rw, rj: _emt().seamless_gm(d, rw)),
    **{
        f"{name}-lattice": (
            f"Eq. (3), {name} lattice (z = {z}) with every edge from Eq. (13); density n = pi/(2<l>)",
            z,
            ("rw",),
            lambda d, rw, rj, z=z: _emt().lattice_gm(d, z, rw),
        )
        for name, z in LATTICES.items()
    },
}  # fmt: skip


def _record(model: str, density: float, rw: float, rj: float) -> dict:
    equation, z, uses, func = MODELS[model]
    gm = func(density, rw, rj)
    sheet = None
    if model.endswith("-lattice"):
        sheet = _emt().lattice_sheet_conductance(model.removesuffix("-lattice"), gm)
    return {
        "density": density, "g_m": gm, "g_m_rw": gm * rw if "rw" in uses else None,
        "g_m_rj": gm * rj if "rj" in uses else None, "sheet_conductance": sheet, "z": z, "equation": equation,
    }  # fmt: skip


#: The --model that drops the closure factor of each model that has it (the library's closure_factor=False).
_WITHOUT_FACTOR = {"three-regular": "three-regular-no-factor", "seamless": "square-lattice"}


def _cmd_emt(args) -> int:
    uses = MODELS[args.model][2]
    rw = args.rw if "rw" in uses else None  # a resistance the model does not use is reported as null
    rj = args.rj if "rj" in uses else None
    try:
        rows = [_record(args.model, d, args.rw, args.rj) for d in args.density]
    except InvalidInputError as exc:  # the library says closure_factor=False; on the command line that is a --model
        alternative = _WITHOUT_FACTOR.get(args.model)
        if alternative is None or "closure_factor=False" not in str(exc):
            raise
        raise InvalidInputError(str(exc).replace("closure_factor=False", f"--model {alternative}"), exc.parameter) from None
    record = versioned({"model": args.model, "rw": rw, "rj": rj, "units": {"rw": "ohm per <l> (= Rw of a whole "
                        "wire, <l> = 1)", "rj": "ohm", "g_m": "S", "sheet_conductance": "S per square"},
                        "results": rows})  # fmt: skip
    emit(args, record, lambda: _print(args.model, rows, rw, rj))
    return 0


def _print(model: str, rows: list, rw, rj) -> None:
    used = ", ".join(f"{name} = {value:g} ohm" for name, value in (("rw", rw), ("rj", rj)) if value is not None)
    ignored = " and ".join(f"--{name}" for name, value in (("rw", rw), ("rj", rj)) if value is None)
    print(f"model {model}: {rows[0]['equation']} (z = {rows[0]['z']}), {used}"
          + (f" ({ignored} not used by this model)" if ignored else ""))  # fmt: skip
    print(f"{'n l^2':>10}  {'g_m (S)':>14}  {'sheet (S/sq)':>14}")
    for r in rows:
        sheet = f"{r['sheet_conductance']:14.6g}" if r["sheet_conductance"] is not None else f"{'-':>14}"
        print(f"{r['density']:10.6g}  {r['g_m']:14.6g}  {sheet}")
    if rows[0]["sheet_conductance"] is None:
        print("(no sheet-conductance formula for a random network: the paper's Eq. (3) gives only g_m)")


def register(sub) -> None:
    """Add ``emt`` to the subparsers ``sub``."""
    p = add_command(
        sub, "emt", "effective-medium edge conductance g_m of random nanowire networks and lattices (EMT paper)",
        "nanograph emt --model three-regular --density 10 30 100 --rw 1 --rj 1 --json", _cmd_emt,
    )  # fmt: skip
    p.add_argument("--model", choices=list(MODELS), default="three-regular", help="closed form. Default three-regular")
    p.add_argument("--density", type=float, nargs="+", required=True, help="n l^2 (one or more)")
    p.add_argument("--rw", type=float, default=1.0,
                   help="resistance of a unit length <l> of wire (ohm per <l>; sticks of length 1, so the whole-wire "
                   "Rw). Default 1")  # fmt: skip
    p.add_argument("--rj", type=float, default=1.0, help="junction resistance Rj (ohm). Default 1")
    add_output(p)
