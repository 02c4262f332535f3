"""Commands ``odf`` and ``mfa``: orientation distributions and the mean-field conductivity of the MFA paper."""

from __future__ import annotations

import argparse

from nanograph.choices import MFA_FORMULAS
from nanograph.cli._common import add_command, add_output, emit, versioned

ORDER = 40


def _cmd_odf(args) -> int:
    from nanograph.geometry.odf import parse_odf
    from nanograph.physics.mfa import mean_contacts

    odf = parse_odf(args.spec)
    record = odf.describe()
    if args.density is not None:
        record["density"] = args.density
        record["mean_contacts"] = mean_contacts(args.density, odf)
    emit(args, versioned(record), lambda: _print_odf(record))
    return 0


def _print_odf(record: dict) -> None:
    width = max(len(k) for k in record)
    for key, value in record.items():
        print(f"{key:<{width}}  {value:.12g}" if isinstance(value, float) else f"{key:<{width}}  {value}")


_OUTSIDE_VALIDITY = {
    15: "Eq. (15) needs <Nj> = n l^2 <|sin|> >= 1 (below, it is negative and meaningless)",
    17: "Eq. (17) needs Delta <Nj> >> 1 (here its bracket is negative)",
}


def _cmd_mfa(args) -> int:
    import math

    from nanograph.errors import InvalidInputError
    from nanograph.geometry.odf import parse_odf
    from nanograph.physics.mfa import mfa_conductivity

    if args.formula != 10 and (args.contacts is not None or args.box is not None):
        flag = "--contacts" if args.contacts is not None else "--box"
        raise InvalidInputError(f"{flag} applies to --formula 10 only: drop it, or use --formula 10")
    contacts = args.contacts or "poisson"
    if args.box is not None and contacts != "binomial":
        raise InvalidInputError("--box applies to --contacts binomial only: drop it, or add --contacts binomial")
    box = 32.0 if args.box is None else args.box
    odf = parse_odf(args.odf)
    n_sticks = None
    if args.formula == 10 and contacts == "binomial":
        if not (math.isfinite(box) and box > 0):
            raise InvalidInputError(f"--box must be a positive box side L / l (N = n L^2 sticks), got {box:g}")
        n_sticks = [int(round(d * box**2)) for d in args.density]
    rows = []
    for k, density in enumerate(args.density):
        for delta in args.delta:
            sigma = mfa_conductivity(
                density, delta, odf, formula=args.formula, contacts=contacts,
                n_sticks=None if n_sticks is None else n_sticks[k],
            )  # fmt: skip
            rows.append({"density": density, "delta": delta, "sigma": None if math.isnan(sigma) else sigma})
    invalid = any(row["sigma"] is None for row in rows)
    record = {
        "odf": odf.spec(),
        "formula": args.formula,
        "contacts": contacts if args.formula == 10 else None,
        "box": box if n_sticks else None,
        "mean_cos2": odf.mean_cos2,
        "mean_abs_sin": odf.mean_abs_sin_difference,
        "rows": rows,
        "note": f"sigma null: {_OUTSIDE_VALIDITY[args.formula]}; use --formula 10" if invalid else None,
    }
    emit(args, versioned(record), lambda: _print_mfa(record, args.formula, invalid))
    return 0


def _print_mfa(record: dict, formula: int, invalid: bool) -> None:
    print(f"# sigma (Rs + Rj) by MFA Eq. ({formula}), odf {record['odf']}")
    print(f"{'n l^2':>10} {'Delta':>10} {'sigma(Rs+Rj)':>16}")
    for row in record["rows"]:
        sigma = "n/a" if row["sigma"] is None else f"{row['sigma']:.8g}"
        print(f"{row['density']:>10.6g} {row['delta']:>10.3g} {sigma:>16}")
    if invalid:
        print(f"# n/a: {_OUTSIDE_VALIDITY[formula]}; use --formula 10")


def _odf_families() -> str:
    from nanograph.geometry.odf import odf_usage

    return "\n\nODF specs (angles in radians, or with a deg/rad suffix):\n  " + "\n  ".join(odf_usage())


def _epilog_on_help(p: argparse.ArgumentParser, extra) -> None:
    """Append ``extra()`` to the epilog of ``p`` when its help is formatted, not when the parser is built.

    (The ODF families live in :mod:`nanograph.geometry.odf`, which loads SciPy: ``nanograph --help`` and every
    other command should not pay for it.)
    """
    format_help = p.format_help

    def format_help_with_extra() -> str:
        if not getattr(p, "_extra_epilog", False):
            p.epilog += extra()
            p._extra_epilog = True
        return format_help()

    p.format_help = format_help_with_extra


def register(sub) -> None:
    """Add ``odf`` and ``mfa`` to the subparsers ``sub``."""
    p = add_command(sub, "odf", "moments of an orientation distribution: <cos^2>, <S^2>, <|sin(a1 - a2)|>",
                    "nanograph odf cos2m:m=10 --json", _cmd_odf)  # fmt: skip
    _epilog_on_help(p, _odf_families)
    p.add_argument("spec", help="ODF spec, e.g. cross:omega=0.5 (the list is below)")
    p.add_argument("--density", type=float, help="also print the mean contacts per stick n l^2 <|sin|> (Eq. 16)")
    add_output(p, "machine-readable output (mean_cos2, mean_S2, mean_abs_sin)")

    p = add_command(sub, "mfa", "mean-field conductivity sigma (Rs + Rj) of the MFA paper (Eqs. 10, 15, 17)",
                    "nanograph mfa --odf cross:omega=0.5 --density 10 20 50 --delta 1e-6 1 1e6 --json",
                    _cmd_mfa)  # fmt: skip
    p.add_argument("--odf", default="isotropic", help="ODF spec (see `nanograph odf --help`). Default isotropic")
    p.add_argument("--density", type=float, nargs="+", required=True, help="one or more densities n l^2")
    p.add_argument(
        "--delta", type=float, nargs="+", required=True, help="one or more Delta = Rs / Rj (Rs: whole stick)"
    )
    p.add_argument("--formula", type=int, choices=MFA_FORMULAS, default=15,
                   help="10: average over contacts; 15: contacts at their mean; 17: asymptotic. Default 15")  # fmt: skip
    p.add_argument("--contacts", choices=("poisson", "binomial"), default=None,
                   help="distribution of contacts per stick, --formula 10 only. Default poisson")  # fmt: skip
    p.add_argument("--box", type=float, default=None,
                   help="box side L / l giving N = n L^2 sticks, --contacts binomial only. Default 32")  # fmt: skip
    add_output(p, "machine-readable output (rows of density, delta, sigma)")
