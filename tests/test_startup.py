"""Start-up: building the command-line parser and ``import nanograph`` load no numerical module.

Not a timing test (times are measured by ``benchmarks/startup.py``): each check runs a fresh interpreter and
looks at ``sys.modules``, so it fails exactly when a heavy import comes back at module level.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import nanograph.choices as choices

#: Packages the parser (``nanograph --help``) must not load: the numerics load in the command handlers.
NOT_FOR_THE_PARSER = ["numpy", "scipy", "sksparse", "numba", "igraph", "networkx", "matplotlib", "pandas", "dask"]

#: Packages ``import nanograph`` must not load (optional or slow; imported inside the functions that use them).
NOT_AT_IMPORT = ["scipy.stats", "scipy.optimize", "scipy.integrate", "igraph", "networkx", "matplotlib", "pandas"]
NOT_AT_IMPORT += ["dask"]


def _loaded(statement: str, modules: list[str]) -> list[str]:
    code = f"import sys, json; {statement}; print(json.dumps([m for m in {modules!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_build_parser_loads_no_numerical_module():
    assert _loaded("import nanograph.cli as c; c.build_parser()", NOT_FOR_THE_PARSER) == []


def test_import_nanograph_loads_no_heavy_optional_module():
    assert _loaded("import nanograph", NOT_AT_IMPORT) == []


@pytest.mark.parametrize(
    ("home", "name"),
    [
        ("nanograph.graphs.builders", "FORMS"),
        ("nanograph.linalg.factor", "SOLVERS"),
        ("nanograph.graphs.export", "EXPORT_FORMATS"),
        ("nanograph.ensemble.executors", "EXECUTORS"),
        ("nanograph.physics.mfa", "MFA_FORMULAS"),
    ],
)
def test_choices_are_the_implementing_modules_names(home, name):
    """The parser's choices are the very names the library checks against (one home, re-exported)."""
    module = __import__(home, fromlist=[name])
    assert getattr(module, name) == getattr(choices, name)


def test_lattices_match_emt():
    from nanograph.physics import emt

    assert emt.LATTICE_DEGREE == choices.LATTICES


def test_periodic_choices_match_the_model():
    from nanograph.model import PERIODIC

    assert tuple(PERIODIC) == choices.PERIODIC_CHOICES
