"""Griffe extension of the nanograph docs: numpydoc/Sphinx roles in docstrings become API links.

The docstrings follow numpydoc and write cross-references as Sphinx roles (:class:`Network`,
:func:`~nanograph.graphs.network.junction_node_network`, :attr:`Solution.accuracy`). mkdocstrings renders
docstrings as Markdown, where such a role would stay literal text. Once griffe has loaded the package, this
extension rewrites every role into an autorefs link, ```[`Network`][nanograph.graphs.network.Network]```:

* the name is resolved in the scope of the object whose docstring it is in (its members, its module's
  imports, its parents), then as an absolute dotted path, then as a public name of ``nanograph``, and last
  as the one public object of the package with that name;
* the link goes to the canonical path (where the object is defined), or to its nearest parent that the API
  pages render when the object itself is not shown (a dataclass field without a docstring links to its class);
* a name outside nanograph (``numpy.random.Generator``, ``matplotlib.figure.Figure``) has no page to link to in
  an offline site: it is kept as inline code without the role;
* ``~name`` shows the last component only, as in Sphinx; ``title <name>`` shows the title.

It is loaded from ``mkdocs.yml`` (mkdocstrings' ``extensions: [docs/xrefs.py:NumpydocRoles]``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(class|func|meth|attr|data|mod|exc|obj|const):`([^`]+)`")
_TITLED = re.compile(r"^(.*?)\s*<([^<>]+)>$")


def split_role(text: str) -> tuple[str, str]:
    """``(target, shown text)`` of a role's content: ``~a.b.C`` shows ``C``, ``T <a.b>`` shows ``T``."""
    titled = _TITLED.match(text.strip())
    if titled:
        return titled.group(2).strip().lstrip("~"), titled.group(1)
    target = text.strip().lstrip("~").removesuffix("()")
    shown = target.rsplit(".", 1)[-1] if text.strip().startswith("~") else target
    return target, shown


def rewrite_roles(text: str, resolve: Callable[[str], str | None]) -> str:
    """``text`` with every role replaced by a Markdown autorefs link (``resolve(target)`` gives its identifier).

    Doctest lines (``>>>``, ``...``) are left as they are. A role whose target does not resolve becomes inline code.

    Examples
    --------
    >>> rewrite_roles("See :class:`~a.Net` and :func:`f`.", {"a.Net": "a.net.Net"}.get)
    'See [`Net`][a.net.Net] and `f`.'
    """

    def link(match: re.Match[str]) -> str:
        target, shown = split_role(match.group(2))
        identifier = resolve(target)
        return f"[`{shown}`][{identifier}]" if identifier else f"`{shown}`"

    lines = text.splitlines(keepends=True)
    return "".join(line if line.lstrip().startswith((">>>", "...")) else ROLE.sub(link, line) for line in lines)


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    """``obj`` and every object defined (not imported) under it."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _objects(member)


class _Resolver:
    """Names in a docstring -> identifiers of objects the API pages render."""

    def __init__(self, pkg: griffe.Module) -> None:
        self.pkg = pkg
        self.by_name: dict[str, list[str]] = {}
        for obj in _objects(pkg):
            if self._public(obj.path):
                self.by_name.setdefault(obj.name, []).append(obj.path)

    def lookup(self, path: str) -> griffe.Object | None:
        """The object at dotted ``path`` inside the package, following aliases; None outside it."""
        parts = path.split(".")
        if parts[0] != self.pkg.name:
            return None
        obj: Any = self.pkg
        for part in parts[1:]:
            for _ in range(10):  # follow aliases to their target, inside the package only
                if not obj.is_alias:
                    break
                obj = self.lookup(obj.target_path)
                if obj is None:
                    return None
            if part not in obj.members:
                return None
            obj = obj.members[part]
        while obj is not None and obj.is_alias:
            obj = self.lookup(obj.target_path)
        return obj

    @staticmethod
    def _public(path: str) -> bool:
        parts = path.split(".")
        return not any(p.startswith("_") for p in parts) and (len(parts) < 2 or parts[1] != "cli")

    def rendered(self, obj: griffe.Object | None) -> str | None:
        """The path of ``obj``, or of its nearest parent, that an API page shows; None when there is none."""
        while obj is not None:
            module = obj if obj.is_module else obj.module
            module_shown = module.path.count(".") >= 1 and (not module.is_package or bool(module.docstring))
            if not self._public(obj.path) or not module_shown:
                return None
            if obj.is_module or obj.has_docstrings:
                return obj.path
            obj = obj.parent
        return None

    def __call__(self, scope: griffe.Object, target: str) -> str | None:
        head, _, rest = target.partition(".")
        candidates = []
        try:
            candidates.append(scope.resolve(head) + (f".{rest}" if rest else ""))
        except (griffe.NameResolutionError, AttributeError, KeyError):
            pass
        candidates += [target, f"{self.pkg.name}.{target}"]
        for path in candidates:
            found = self.rendered(self.lookup(path))
            if found:
                return found
        unique = self.by_name.get(target.rsplit(".", 1)[-1], [])
        if len(unique) == 1 and ("." not in target or unique[0].endswith(f".{target}")):
            return self.rendered(self.lookup(unique[0]))
        return None


class NumpydocRoles(griffe.Extension):
    """Rewrite the Sphinx roles of every docstring of a loaded package into autorefs links."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        resolve = _Resolver(pkg)
        for obj in _objects(pkg):
            if obj.docstring is not None and ":" in obj.docstring.value:
                obj.docstring.value = rewrite_roles(obj.docstring.value, lambda t, o=obj: resolve(o, t))
