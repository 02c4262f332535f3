"""MkDocs hooks of the nanograph docs: figures made at build time and the API reference from the docstrings.

* ``on_pre_build`` runs every ``docs/figures/*.py`` as ``python SCRIPT OUTDIR`` (see ``docs/figures/README.md``
  for how OUTDIR is chosen); a failing script fails the build with its error output.
* ``on_files`` adds one generated page ``api/<package>.md`` per subpackage of :mod:`nanograph`, holding a
  ``::: module`` block (rendered by mkdocstrings) for each public module, so new modules appear without
  editing anything.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PACKAGE = ROOT / "nanograph"
_OUTDIR = re.compile(r"docs/[\w.-]+(?:/[\w.-]+)*/img\b")


class FigureError(Exception):
    """A figure script failed or does not say where its pictures go."""


# -- figures ------------------------------------------------------------------------------------------------
def figure_outdir(script: Path, docs: Path = DOCS) -> Path:
    """Where ``script`` writes its pictures.

    The first ``docs/<section>/img`` path named in the script's module docstring; otherwise
    ``docs/<section>/img`` for the one page ``docs/<section>/<script stem>.md``.

    Raises
    ------
    FigureError
        If neither rule gives exactly one folder.
    """
    docstring = ast.get_docstring(ast.parse(script.read_text())) or ""
    found = _OUTDIR.search(docstring)
    if found:
        return docs.parent / found.group(0)
    pages = sorted(p for p in docs.glob(f"*/{script.stem}.md") if p.parent.name != "figures")
    if len(pages) == 1:
        return pages[0].parent / "img"
    raise FigureError(
        f"{script}: name the output folder in the module docstring (e.g. 'OUTDIR = docs/teaching/img'), or name "
        f"the script after its page docs/<section>/{script.stem}.md (found {len(pages)} such pages)"
    )


def figure_scripts(docs: Path = DOCS) -> list[Path]:
    """The figure scripts, in name order."""
    return sorted((docs / "figures").glob("*.py"))


def _newest_source(script: Path) -> float:
    return max([script.stat().st_mtime, *(p.stat().st_mtime for p in PACKAGE.rglob("*.py"))])


def make_figure(script: Path, docs: Path = DOCS) -> Path:
    """Run ``script OUTDIR`` unless its stamp is newer than the script and every nanograph module."""
    outdir = figure_outdir(script, docs)
    outdir.mkdir(parents=True, exist_ok=True)
    stamp = outdir / f".{script.stem}.built"
    if stamp.exists() and stamp.stat().st_mtime >= _newest_source(script):
        return outdir
    done = subprocess.run([sys.executable, str(script), str(outdir)], cwd=docs.parent, capture_output=True, text=True)
    if done.returncode != 0:
        raise FigureError(f"{script} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    stamp.touch()
    return outdir


def on_pre_build(config) -> None:
    from mkdocs.exceptions import PluginError

    for script in figure_scripts(Path(config["docs_dir"])):
        try:
            make_figure(script, Path(config["docs_dir"]))
        except FigureError as exc:
            raise PluginError(str(exc)) from None


# -- API reference --------------------------------------------------------------------------------------------
def public_modules(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Subpackage name -> its public modules (dotted), from the source tree (nothing is imported).

    A module is public when no part of its dotted name starts with an underscore (the command line is
    documented in the user guide, not here); a subpackage with a docstring lists itself first (its
    ``__init__`` docstring introduces the page).
    """
    pages: dict[str, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if len(parts) < 2 or parts[1] == "cli" or any(p.startswith("_") for p in parts):
            continue
        if path.name == "__init__.py" and not ast.get_docstring(ast.parse(path.read_text())):
            continue  # a package without an introduction: its modules carry the page
        pages.setdefault(parts[1], []).append(".".join(parts))
    for modules in pages.values():
        modules.sort(key=lambda m: (m.count("."), m))
    return pages


def api_page(name: str, modules: list[str]) -> str:
    """Markdown of the API page of subpackage ``name``."""
    lines = [f"# `nanograph.{name}`", "", "Generated from the docstrings by `docs/hooks.py`.", ""]
    for module in modules:
        lines += [f"::: {module}", "    options:", "      heading_level: 2", "      show_submodules: false", ""]
    return "\n".join(lines)


def on_files(files, config):
    from mkdocs.structure.files import File

    for name, modules in public_modules().items():
        files.append(File.generated(config, f"api/{name}.md", content=api_page(name, modules)))
    return files
