"""The public API (``nanograph.__all__``) keeps complete numpydoc docstrings.

Every public function that takes parameters documents them in a ``Parameters`` section and its result in
``Returns`` (or ``Yields``); every public class has a non-empty docstring.
"""

from __future__ import annotations

import dataclasses
import inspect
import re

import pytest

import nanograph

PUBLIC = {name: getattr(nanograph, name) for name in nanograph.__all__}
FUNCTIONS = sorted(name for name, obj in PUBLIC.items() if inspect.isfunction(obj))
CLASSES = sorted(name for name, obj in PUBLIC.items() if inspect.isclass(obj))


def _has_section(doc: str, title: str) -> bool:
    """Whether ``doc`` has a numpydoc section ``title`` (the title line underlined with dashes)."""
    return re.search(rf"^\s*{title}\s*\n\s*-{{3,}}\s*$", doc, flags=re.MULTILINE) is not None


def test_public_api_is_covered():
    assert FUNCTIONS and CLASSES
    assert len(FUNCTIONS) + len(CLASSES) == len(nanograph.__all__)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_docstring_sections(name):
    func = PUBLIC[name]
    doc = inspect.getdoc(func) or ""
    assert doc.strip(), f"{name} has no docstring"
    if inspect.signature(func).parameters:
        assert _has_section(doc, "Parameters"), f"{name}: docstring lacks a numpydoc 'Parameters' section"
    assert _has_section(doc, "Returns") or _has_section(doc, "Yields"), (
        f"{name}: docstring lacks a numpydoc 'Returns' (or 'Yields') section"
    )


@pytest.mark.parametrize("name", CLASSES)
def test_class_docstring(name):
    cls = PUBLIC[name]
    doc = (cls.__doc__ or "").strip()
    assert doc, f"class {name} has no docstring"
    # a dataclass without a docstring gets its signature, ``Name(field: type, ...)``, as ``__doc__``
    assert not (dataclasses.is_dataclass(cls) and doc.startswith(f"{name}(")), f"class {name} has no docstring"
