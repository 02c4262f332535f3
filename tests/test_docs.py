"""The docs build: figure scripts and their output folders, generated API pages, a guide page per command."""

import argparse
import ast
import importlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def hooks():
    spec = importlib.util.spec_from_file_location("nanograph_docs_hooks", DOCS / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _docs_tree(tmp_path, script_text, page=None):
    docs = tmp_path / "docs"
    (docs / "figures").mkdir(parents=True)
    script = docs / "figures" / "demo.py"
    script.write_text(script_text)
    if page:
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text("# page\n")
    return docs, script


def test_figure_outdir_from_the_docstring_or_the_page_of_the_same_name(hooks, tmp_path):
    docs, script = _docs_tree(tmp_path, '"""Pictures for the teaching page.\n\nOUTDIR = docs/teaching/img\n"""\n')
    assert hooks.figure_outdir(script, docs) == tmp_path / "docs/teaching/img"
    docs, script = _docs_tree(tmp_path / "b", '"""No folder named here."""\n', page="theory/demo.md")
    assert hooks.figure_outdir(script, docs) == docs / "theory" / "img"
    docs, script = _docs_tree(tmp_path / "c", '"""No folder, no page."""\n')
    with pytest.raises(hooks.FigureError, match="OUTDIR"):
        hooks.figure_outdir(script, docs)


def test_make_figure_runs_the_script_once_until_something_changes(hooks, tmp_path):
    body = ('"""OUTDIR = docs/guide/img"""\nimport sys, pathlib\nout = pathlib.Path(sys.argv[1])\n'
            'n = out / "runs.txt"\nn.write_text(str(int(n.read_text()) + 1 if n.exists() else 1))\n')  # fmt: skip
    docs, script = _docs_tree(tmp_path, body)
    outdir = hooks.make_figure(script, docs)
    hooks.make_figure(script, docs)  # stamp newer than the script and the package: not rerun
    assert outdir == tmp_path / "docs/guide/img" and (outdir / "runs.txt").read_text() == "1"
    stamp = outdir / ".demo.built"
    stamp.touch()
    import os

    os.utime(stamp, (0, 0))  # make the stamp old: the script runs again
    hooks.make_figure(script, docs)
    assert (outdir / "runs.txt").read_text() == "2"


def test_a_failing_figure_script_fails_with_its_error(hooks, tmp_path):
    docs, script = _docs_tree(tmp_path, '"""OUTDIR = docs/guide/img"""\nraise SystemExit("no data for the picture")\n')
    with pytest.raises(hooks.FigureError, match="no data for the picture"):
        hooks.make_figure(script, docs)


def test_every_figure_script_of_the_docs_names_its_folder(hooks):
    for script in hooks.figure_scripts():
        outdir = hooks.figure_outdir(script)
        assert outdir.parent.parent == DOCS and outdir.name == "img"


def test_api_pages_cover_every_public_module_and_each_has_a_docstring(hooks):
    pages = hooks.public_modules()
    modules = [m for mods in pages.values() for m in mods]
    on_disk = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "nanograph").rglob("*.py")
        if p.name != "__init__.py" or ast.get_docstring(ast.parse(p.read_text()))
    }
    public = {m for m in on_disk if m.count(".") >= 1 and not m.startswith("nanograph.cli")
              and not any(part.startswith("_") for part in m.split("."))}  # fmt: skip
    assert set(modules) == public
    assert {"geometry", "graphs", "linalg", "ensemble"} <= set(pages)
    for module in modules:
        assert (importlib.import_module(module).__doc__ or "").strip(), f"{module} has no docstring"
    text = hooks.api_page("ensemble", pages["ensemble"])
    assert "::: nanograph.ensemble.store" in text and text.index("::: nanograph.ensemble\n") < text.index("store")


def test_navigation_is_generated_from_the_folders():
    config = (ROOT / "mkdocs.yml").read_text()
    assert not re.search(r"^nav:", config, re.M), "no hand-written nav: pages appear from the folders"
    assert "docs/hooks.py" in config and "strict: true" in config


def _commands():
    sys.argv = ["nanograph"]
    from nanograph.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_every_command_has_a_guide_page():
    guide = "\n".join(p.read_text() for p in (DOCS / "guide").glob("*.md"))
    missing = [c for c in _commands() if not re.search(rf"nanograph {re.escape(c)}\b", guide)]
    assert not missing, f"commands without a docs/guide page showing `nanograph <command>`: {missing}"


def test_python_sweep_examples_keep_the_sweep_under_the_main_guard():
    """Workers are spawned and import the main script: a saved example without the guard would fail."""
    unguarded = []
    for page in sorted(DOCS.rglob("*.md")):
        for block in re.findall(r"```python\n(.*?)```", page.read_text(), re.S):
            calls = [line for line in block.splitlines() if "run_sweep(" in line and "import" not in line]
            guard = block.find('if __name__ == "__main__":')
            if any(guard < 0 or block.index(line) < guard or not line.startswith(" ") for line in calls):
                unguarded.append(f"{page.relative_to(DOCS)}: {calls[0].strip()}")
    assert not unguarded, f"run_sweep outside `if __name__ == '__main__':` in {unguarded}"
