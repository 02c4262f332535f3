"""One registry of every reproduced table and figure of the three source papers.

A module of this package per paper registers its experiments with :func:`experiment`; each experiment is a
function ``(quick: bool, out: pathlib.Path) -> Report`` whose :class:`Check` rows compare a published number
with nanograph's, with a stated tolerance. ``nanograph reproduce NAME`` prints the rows as
"quantity | published | nanograph | tolerance | ok" and writes the figures into ``out``.

Examples
--------
>>> from nanograph.reproduce import Check
>>> Check.close("EMT constant, Eq. (22)", published=3.275, computed=3.2784, abs_tol=0.005).ok
True
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nanograph.errors import InvalidInputError

__all__ = ["Check", "Experiment", "Report", "experiment", "experiments", "format_report", "run_experiment"]


@dataclass(frozen=True)
class Check:
    """One row of a reproduction: a published quantity, nanograph's value and whether they agree.

    Attributes
    ----------
    quantity : str
        What is compared, with the paper's equation, table or figure.
    published : float or str
        The printed value (a number, or a statement such as ``"below MFA"``).
    computed : float or str
        nanograph's value.
    tolerance : str
        The tolerance in words (``"abs 0.005"``, ``"rel 2%"``, ``"3 s.e. = 0.012"``).
    ok : bool
        Whether ``computed`` lies within ``tolerance`` of ``published``.
    note : str
        Why a difference is expected (a slip of the paper, a finite-size effect), or empty.
    """

    quantity: str
    published: float | str
    computed: float | str
    tolerance: str
    ok: bool
    note: str = ""

    @classmethod
    def close(
        cls,
        quantity: str,
        published: float,
        computed: float,
        *,
        abs_tol: float | None = None,
        rel_tol: float | None = None,
        note: str = "",
    ) -> Check:
        """A numeric check: ``|computed - published| <= abs_tol`` or ``<= rel_tol * |published|``."""
        if (abs_tol is None) == (rel_tol is None):
            raise InvalidInputError("Check.close: give exactly one of abs_tol and rel_tol")
        if abs_tol is not None:
            limit, words = abs_tol, f"abs {abs_tol:.3g}"
        else:
            limit, words = rel_tol * abs(published), f"rel {100 * rel_tol:.3g}%"
        ok = math.isfinite(computed) and abs(computed - published) <= limit
        return cls(quantity, float(published), float(computed), words, bool(ok), note)


@dataclass
class Report:
    """The outcome of one experiment: its checks, the figures written and free text (tables, remarks)."""

    name: str
    checks: list[Check] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(c.ok for c in self.checks)

    def to_dict(self) -> dict:
        """A JSON-ready dictionary."""
        return {
            "name": self.name,
            "ok": self.ok,
            "checks": [c.__dict__ for c in self.checks],
            "figures": [str(f) for f in self.figures],
            "text": self.text,
        }


@dataclass(frozen=True)
class Experiment:
    """A registered reproduction: ``run(quick, out) -> Report``."""

    name: str
    paper: str
    description: str
    run: Callable[[bool, Path], Report]


_REGISTRY: dict[str, Experiment] = {}


def experiment(name: str, paper: str, description: str):
    """Decorator registering ``func(quick, out) -> Report`` as the experiment ``name``."""

    def decorate(func: Callable[[bool, Path], Report]) -> Callable[[bool, Path], Report]:
        if name in _REGISTRY:
            raise InvalidInputError(f"experiment {name!r} is registered twice")
        _REGISTRY[name] = Experiment(name, paper, description, func)
        return func

    return decorate


def experiments() -> dict[str, Experiment]:
    """All registered experiments by name (importing every module of this package once)."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return dict(sorted(_REGISTRY.items()))


def run_experiment(name: str, quick: bool = False, out: Path | str = "out/reproduce") -> Report:
    """Run the experiment ``name``, writing its figures into ``out/name``.

    Raises
    ------
    InvalidInputError
        If ``name`` is not registered (the message lists the registered names).
    """
    registry = experiments()
    if name not in registry:
        raise InvalidInputError(f"unknown experiment {name!r}; registered: {', '.join(registry) or 'none'}")
    folder = Path(out) / name
    folder.mkdir(parents=True, exist_ok=True)
    return registry[name].run(quick, folder)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def format_report(report: Report) -> str:
    """The report as an aligned "quantity | published | nanograph | tolerance | ok" table, notes below."""
    header = ("quantity", "published", "nanograph", "tolerance", "ok")
    rows = [header] + [
        (c.quantity, _cell(c.published), _cell(c.computed), c.tolerance, "ok" if c.ok else "MISS")
        for c in report.checks
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [f"== {report.name} =="]
    for k, row in enumerate(rows):
        lines.append(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if k == 0:
            lines.append("-+-".join("-" * w for w in widths))
    notes = [f"  [{k}] {c.quantity}: {c.note}" for k, c in enumerate(report.checks, 1) if c.note]
    if notes:
        lines += ["notes:", *notes]
    lines += report.text
    lines += [f"figure: {f}" for f in report.figures]
    return "\n".join(lines)
