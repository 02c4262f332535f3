"""Command ``expected-adjacency``: σ* = σ(E A*) of Jagota & Scheinfeld 2020, optionally with a Monte Carlo σ̂."""

from __future__ import annotations

import math
import time

from nanograph.cli._common import add_command, print_json
from nanograph.errors import InvalidInputError

ORDER = 60

#: Default of ``--max-wires``: larger systems take minutes (CG time grows like N / l).
MAX_WIRES = 5_000_000


def _cmd_expected(args) -> int:
    from nanograph.analysis.expected_adjacency import check_length, expected_adjacency, expected_conductance
    from nanograph.analysis.sorted_adjacency import sampled_conductances

    length = check_length(args.length)
    if args.n_wires is not None:
        if args.n_wires < 2:
            raise InvalidInputError(f"--n-wires must be at least 2 sticks, got {args.n_wires}")
        n = args.n_wires
    else:
        if not (math.isfinite(args.cn) and args.cn > 0):
            raise InvalidInputError(f"--cn (CN = N l^2) must be a positive number, got {args.cn:g}")
        n = max(int(round(args.cn / length**2)), 2)
    if n > args.max_wires:
        raise InvalidInputError(
            f"N = {n} sticks (--cn / --length^2 or --n-wires) exceeds --max-wires {args.max_wires}: "
            "use a longer --length or a smaller --cn, or raise --max-wires (time grows like N / l)"
        )
    if args.samples is not None and args.samples < 1:
        raise InvalidInputError(f"--samples must be at least 1 (omit it to skip the Monte Carlo), got {args.samples}")
    ea = expected_adjacency(n, length, args.odf)
    result = expected_conductance(ea, rj=args.rj, re=args.re, method=args.method)
    record = result.to_dict()
    if args.samples:
        t0 = time.perf_counter()
        sampled = sampled_conductances(n, args.length, args.odf, samples=args.samples, rj=args.rj, re=args.re,
                                       rng=args.seed)  # fmt: skip
        record["monte_carlo"] = {
            "samples": args.samples,
            "mean": float(sampled.mean()),
            "std_error": float(sampled.std(ddof=1) / len(sampled) ** 0.5) if len(sampled) > 1 else None,
            "seconds": time.perf_counter() - t0,
        }
    if args.json:
        print_json(record)
        return 0
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
              f"{mc['seconds']:.2f} s")  # fmt: skip
    return 0


def register(sub) -> None:
    """Add ``expected-adjacency`` to the subparsers ``sub``."""
    p = add_command(sub, "expected-adjacency",
                    "conductance sigma* of the sorted expected adjacency matrix (Jagota & Scheinfeld 2020)",
                    "nanograph expected-adjacency --cn 50 --length 0.1 --odf theta2:alpha=60deg --json",
                    _cmd_expected)  # fmt: skip
    p.add_argument("--cn", type=float, default=50.0, help="CN = N l^2 (unit box). Default 50")
    p.add_argument("--n-wires", type=int, default=None, help="number of sticks N (overrides --cn)")
    p.add_argument("--length", type=float, default=0.1, help="stick length l in box widths (<= 0.5). Default 0.1")
    p.add_argument("--odf", default="isotropic", help="orientation distribution spec. Default isotropic")
    p.add_argument("--rj", type=float, default=1.0, help="stick-stick junction resistance (ohm). Default 1")
    p.add_argument("--re", type=float, default=0.01, help="stick-electrode resistance (ohm). Default 0.01")
    p.add_argument("--method", choices=("cg", "band"), default="cg",
                   help="solver: conjugate gradients with FFT products and a proven error bound (default), "
                        "or the folded band Cholesky")  # fmt: skip
    p.add_argument("--max-wires", type=int, default=MAX_WIRES,
                   help=f"refuse a larger number of sticks N. Default {MAX_WIRES:,}")  # fmt: skip
    p.add_argument("--samples", type=int, default=None, help="also a Monte Carlo mean over this many networks")
    p.add_argument("--seed", type=int, default=None, help="seed of the Monte Carlo networks")
    p.add_argument("--json", action="store_true", help="machine-readable output")
