"""Registry of per-realization analyses: each turns a :class:`Realization` into a flat dict of numbers.

An analysis is a function ``(realization) -> dict[str, float | int | bool]``; the keys become the output
columns of the results (they must be unique across the analyses of a sweep). The built-in ``conductance``
solves the network by Kirchhoff; others are registered here as the modules they call are available.
Add your own with :func:`register_analysis`; it must be importable by the workers (define it in a module,
not in ``__main__``, when using processes or Dask).

Examples
--------
>>> from nanograph.ensemble.analyses import analysis_names
>>> "conductance" in analysis_names()
True
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Callable
from dataclasses import dataclass

from nanograph.errors import InvalidInputError

__all__ = ["Analysis", "register_analysis", "analysis_names", "check_analyses", "run_analyses"]


@dataclass(frozen=True)
class Analysis:
    """A registered per-realization analysis."""

    name: str
    description: str
    func: Callable


_ANALYSES: dict[str, Analysis] = {}


def register_analysis(name: str, description: str, requires: str | None = None):
    """Decorator registering ``func(realization) -> dict`` as the analysis ``name``.

    Parameters
    ----------
    name : str
        Name used in ``analyses = [...]`` and ``nanograph sweep --analyses``.
    description : str
        One line for ``nanograph sweep --list-analyses``.
    requires : str, optional
        A module the analysis imports; when it is not installed the analysis is not registered.

    Returns
    -------
    callable
        A decorator that registers ``func`` and returns it unchanged.

    Raises
    ------
    InvalidInputError
        When the decorator is applied, if a different function is already registered as ``name``.
    """

    def decorate(func: Callable) -> Callable:
        if requires is not None and importlib.util.find_spec(requires) is None:
            return func
        if name in _ANALYSES and _ANALYSES[name].func is not func:
            raise InvalidInputError(f"analysis {name!r} is registered twice")
        _ANALYSES[name] = Analysis(name, description, func)
        return func

    return decorate


def analysis_names() -> list[str]:
    """Names of the registered analyses."""
    return sorted(_ANALYSES)


def describe_analyses() -> dict[str, str]:
    """Name -> one-line description of every registered analysis."""
    return {name: _ANALYSES[name].description for name in analysis_names()}


def check_analyses(names) -> None:
    """Raise :class:`InvalidInputError` unless every name is a registered analysis."""
    unknown = [n for n in names if n not in _ANALYSES]
    if unknown:
        raise InvalidInputError(f"unknown analysis {', '.join(map(repr, unknown))}; registered: "
                                f"{', '.join(analysis_names())}")  # fmt: skip


def run_analyses(realization, names) -> dict:
    """Run the analyses ``names`` on ``realization``; their outputs merged into one flat dict.

    Raises
    ------
    InvalidInputError
        If two analyses produce the same output name, or an output is not a number or a bool.
    """
    check_analyses(names)
    outputs: dict = {}
    for name in names:
        for key, value in _ANALYSES[name].func(realization).items():
            if key in outputs:
                raise InvalidInputError(f"analysis {name!r} repeats the output {key!r} of an earlier analysis")
            outputs[key] = _scalar(name, key, value)
    return outputs


def _scalar(name: str, key: str, value):
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()
    if value is None or isinstance(value, (bool, int, float)):
        return value
    raise InvalidInputError(f"analysis {name!r} output {key!r} must be a number or a bool, got {type(value).__name__}")


@register_analysis("conductance", "Kirchhoff conductance G (S), sheet conductance, percolation, graph size, accuracy")
def conductance(realization) -> dict:
    """Conductance of the realization's network between the bus bars (or across the periodic box) at 1 V.

    Degenerate networks (no sticks, no junction, no electrode contact) give ``percolates = False`` and
    ``conductance = 0``. ``accuracy`` is the solution's expected relative accuracy of G
    (:attr:`~nanograph.linalg.solve.Solution.accuracy`).

    Raises
    ------
    InaccurateSolutionError
        When ``accuracy`` exceeds :data:`~nanograph.linalg.solve.ACCURACY_THRESHOLD` (1e-6): the row is
        then stored as an error naming the accuracy, never as ``ok``. The outputs it would have had are on
        the exception's ``outputs`` attribute.
    """
    from nanograph.linalg.solve import InaccurateSolutionError

    solution = realization.solution
    network = realization.network
    outputs = {
        "conductance": solution.conductance,
        "sheet_conductance": solution.sheet_conductance,
        "percolates": solution.percolates,
        "n_sticks": len(realization.sticks),
        "n_junctions": len(realization.contacts),
        "n_nodes": network.n_nodes,
        "n_edges": network.n_edges,
        "kcl_residual": solution.kcl_residual if math.isfinite(solution.kcl_residual) else None,
        "accuracy": solution.accuracy,
    }
    try:
        solution.check()
    except InaccurateSolutionError as exc:
        exc.outputs = outputs
        raise
    return outputs


def _fixed_length(point: dict) -> float | None:
    """The stick length ``l`` when the point's lengths are all equal, else None."""
    from nanograph.geometry.lengths import FixedLength, parse_length

    dist = parse_length(point["length"])
    return dist.mean if isinstance(dist, FixedLength) else None


@register_analysis("foster", "Foster's sum of g R over the edges, |V| - c, relative residual, mean g R per edge kind",
                   requires="nanograph.linalg.foster")  # fmt: skip
def foster(realization) -> dict:
    """Foster's theorem on the analysed network (closed or not): ``sum_e g_e R(e) = |V| - c`` (EMT paper Eq. 1)."""
    from nanograph.graphs.network import EdgeKind
    from nanograph.linalg.foster import foster_check

    check = foster_check(realization.network)
    means = check.kind_means
    return {
        "foster_sum": check.foster_sum,
        "foster_expected": check.expected_sum,
        "foster_residual": check.relative_residual,
        "mean_gR": check.mean_gR,
        **{f"mean_gR_{k.name.lower()}": means.get(k.name.lower()) for k in EdgeKind},
    }


@register_analysis("backbone", "fractions of sticks, edges and wire length on the backbone, dead ends, isolated",
                   requires="nanograph.analysis.backbone")  # fmt: skip
def backbone(realization) -> dict:
    """Backbone / dead-end / isolated classification of the open (unclosed) network, bus bars only."""
    from nanograph.analysis.backbone import find_backbone

    found = find_backbone(realization.open_network, realization.sticks)
    fractions = found.fractions()
    return {
        **{f"{role}_stick_fraction": value for role, value in fractions["sticks"].items()},
        "backbone_edge_fraction": fractions["edges"]["backbone"],
        "backbone_length_fraction": found.length_fractions()["backbone"],
    }


@register_analysis("mfa", "mean-field predictions: contacts per stick (Eq. 16), backbone fraction (Eqs. 20/21), "
                   "sheet conductance (Eq. 15)", requires="nanograph.physics.mfa")  # fmt: skip
def mfa(realization) -> dict:
    """Mean-field (MFA paper) predictions at the point's density and ODF, to set beside the measured values.

    ``mfa_sheet_conductance`` is Eq. (15)'s ``sigma (Rs + Rj)`` divided by ``Rs + Rj`` with ``Rs = rw l``;
    it needs equal stick lengths and ``rw, rj > 0`` (None otherwise).
    """
    from nanograph.physics.mfa import backbone_fraction, mean_contacts, mfa_conductivity

    p, film = realization.point, realization.film
    sheet = None
    if _fixed_length(p) is not None and p["rw"] > 0 and p["rj"] > 0:
        rs = film.rw_wire
        sheet = float(mfa_conductivity(p["density"], rs / p["rj"], p["odf"])) / (rs + p["rj"])
    return {
        "mfa_mean_contacts": float(mean_contacts(p["density"], p["odf"])),
        "mfa_backbone_fraction": float(backbone_fraction(p["density"], p["odf"])),
        "mfa_sheet_conductance": sheet,
    }


@register_analysis("emt", "effective-medium edge conductance g_m of the 3-regular closure (EMT paper Eq. 21)",
                   requires="nanograph.physics.emt")  # fmt: skip
def emt(realization) -> dict:
    """EMT prediction ``g_m`` (S) of Eq. (21) with ``Rw = rw l`` (whole wire); None where Eq. (21) has no root
    (``n l^2 <= pi``), for unequal lengths, or for ``rw = 0``."""
    from nanograph.errors import InvalidInputError as _Invalid
    from nanograph.physics.emt import three_regular_gm

    p = realization.point
    if _fixed_length(p) is None or p["rw"] <= 0:
        return {"emt_gm": None}
    try:
        return {"emt_gm": three_regular_gm(p["density"], rw=realization.film.rw_wire, rj=p["rj"])}
    except _Invalid:
        return {"emt_gm": None}


@register_analysis("sigma-star", "conductance sigma* = sigma(E A*) of the sorted expected adjacency (Jagota Eq. 6)",
                   requires="nanograph.analysis.expected_adjacency")  # fmt: skip
def sigma_star(realization) -> dict:
    """``sigma*`` of the point: the paper's unit square is the box scaled by ``1/L`` (sticks of length ``l/L``).

    A prediction for the wire-node form with y periodic (the paper's geometry) at the point's ``rj`` and
    ``re``; the same for every run of a point. None for unequal stick lengths.
    """
    from nanograph.analysis.expected_adjacency import sigma_star as expected_sigma

    p = realization.point
    length = _fixed_length(p)
    if length is None:
        return {"sigma_star": None}
    return {"sigma_star": expected_sigma(p["density"], length / p["box"], p["odf"], rj=p["rj"], re=p["re"]).sigma_star}
