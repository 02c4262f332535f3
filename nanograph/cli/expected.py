"""Command ``expected-adjacency``: σ* = σ(E A*) of Jagota & Scheinfeld 2020, optionally with a Monte Carlo σ̂."""

from __future__ import annotations

import math
import time

from nanograph.cli._common import add_command, add_deprecated, add_output, add_seed, emit, flag, fresh_seed, versioned
from nanograph.errors import InvalidInputError

ORDER = 60

#: Default of ``--max-wires``: larger systems take minutes (CG time grows like N / l).
MAX_WIRES = 5_000_000


def _cmd_expected(args) -> int:
    from nanograph.analysis.expected_adjacency import check_length, expected_adjacency, expected_conductance
    from nanograph.analysis.sorted_adjacency import sampled_conductances

    length = check_length(args.length)
    if args.n_sticks is not None:
        if args.n_sticks < 2:
            raise InvalidInputError(f"{flag(args, 'n_sticks')} must be at least 2 sticks, got {args.n_sticks}")
        n = args.n_sticks
    else:
        if not (math.isfinite(args.density) and args.density > 0):
            raise InvalidInputError(
                f"{flag(args, 'density')} (CN = N l^2) must be a positive number, got {args.density:g}"
            )
        n = max(int(round(args.density / length**2)), 2)
    if n > args.max_sticks:
        cap = flag(args, "max_sticks")
        raise InvalidInputError(
            f"N = {n} sticks ({flag(args, 'density')} / --length^2 or {flag(args, 'n_sticks')}) exceeds {cap} "
            f"{args.max_sticks}: use a longer --length or a smaller {flag(args, 'density')}, or raise {cap} "
            "(time grows like N / l)"
        )
    if args.samples is not None and args.samples < 1:
        raise InvalidInputError(f"--samples must be at least 1 (omit it to skip the Monte Carlo), got {args.samples}")
    ea = expected_adjacency(n, length, args.odf)
    result = expected_conductance(ea, rj=args.rj, re=args.re, method=args.method)
    record = result.to_dict()
    if args.samples:
        t0 = time.perf_counter()
        seed = fresh_seed(args.seed)
        sampled = sampled_conductances(n, args.length, args.odf, samples=args.samples, rj=args.rj, re=args.re,
                                       rng=seed)  # fmt: skip
        record["monte_carlo"] = {
            "samples": args.samples,
            "mean": float(sampled.mean()),
            "std_error": float(sampled.std(ddof=1) / len(sampled) ** 0.5) if len(sampled) > 1 else None,
            "timings": {"total": time.perf_counter() - t0},
        }
    record = versioned(record, seed=seed) if args.samples else versioned(record)
    emit(args, record, lambda: _print(args, n, record, result))
    return 0


def _print(args, n: int, record: dict, result) -> None:
    print(f"N = {n} sticks of length {args.length} (CN = {record['density']:g}), odf {record['odf']}")
    print(f"sigma* = {result.sigma_star:.10g} S (current at 1 V; Rj = {args.rj} ohm, Re = {args.re} ohm)")
    print(f"band width kept K = {result.band_width} (truncation bound {result.truncation:.1e}), "
          f"{result.n_unknowns} unknowns, {result.timings['total']:.3f} s")  # fmt: skip
    if result.method == "cg":
        print(f"solver cg: {result.iterations} iterations, proven error bound {result.error_bound:.1e} S")
    else:
        print("solver band: direct Cholesky of the folded half system")
    if args.samples:
        mc = record["monte_carlo"]
        print(f"Monte Carlo mean of {args.samples}: {mc['mean']:.10g} S (+- {mc['std_error'] or 0:.2g}), "
              f"{mc['timings']['total']:.2f} s")  # fmt: skip


def register(sub) -> None:
    """Add ``expected-adjacency`` to the subparsers ``sub``."""
    p = add_command(sub, "expected-adjacency",
                    "conductance sigma* of the sorted expected adjacency matrix (Jagota & Scheinfeld 2020)",
                    "nanograph expected-adjacency --density 50 --length 0.1 --odf theta2:alpha=60deg --json",
                    _cmd_expected)  # fmt: skip
    p.add_argument("--density", type=float, default=50.0, help="CN = N l^2 in the unit box (n <l>^2). Default 50")
    add_deprecated(p, "--cn", "density", "--density", type=float, metavar="CN")
    p.add_argument("--n-sticks", type=int, default=None, help="number of sticks N (overrides --density)")
    add_deprecated(p, "--n-wires", "n_sticks", "--n-sticks", type=int, metavar="N")
    p.add_argument("--length", type=float, default=0.1, help="stick length l in box widths (<= 0.5). Default 0.1")
    p.add_argument("--odf", default="isotropic", help="orientation distribution spec. Default isotropic")
    p.add_argument("--rj", type=float, default=1.0, help="stick-stick junction resistance (ohm). Default 1")
    p.add_argument("--re", type=float, default=0.01, help="stick-electrode resistance (ohm). Default 0.01")
    p.add_argument("--method", choices=("cg", "band"), default="cg",
                   help="solver: conjugate gradients with FFT products and a proven error bound (default), "
                        "or the folded band Cholesky")  # fmt: skip
    p.add_argument("--max-sticks", type=int, default=MAX_WIRES,
                   help=f"refuse a larger number of sticks N. Default {MAX_WIRES:,}")  # fmt: skip
    add_deprecated(p, "--max-wires", "max_sticks", "--max-sticks", type=int, metavar="N")
    p.add_argument("--samples", type=int, default=None, help="also a Monte Carlo mean over this many networks")
    add_seed(p)
    add_output(p)
