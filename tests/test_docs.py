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


# -- docs that work without network ---------------------------------------------------------------------------
def _script(name):
    spec = importlib.util.spec_from_file_location(f"nanograph_docs_{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def xrefs():
    spec = importlib.util.spec_from_file_location("nanograph_docs_xrefs", DOCS / "xrefs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_remote_loads_are_scripts_styles_fonts_images_and_frames_not_links(hooks):
    page = (
        '<a href="https://example.org/paper">a link is not loaded</a><img src="img/local.png">'
        '<script src="https://cdn.example.org/mathjax.js"></script><link rel="stylesheet" href="//cdn.example.org/x.css">'
        '<link rel="preconnect" href="https://fonts.gstatic.com"><link rel="canonical" href="https://example.org/">'
        '<iframe src="http://example.org/frame"></iframe><div style="background: url(https://example.org/b.png)"></div>'
        "<style>@import 'https://fonts.example.org/css'; @font-face { src: url(data:font/woff2;base64,AA) }</style>"
    )
    assert hooks.remote_loads(page) == [
        "<script src=https://cdn.example.org/mathjax.js>",
        "<link rel=stylesheet href=//cdn.example.org/x.css>",
        "<link rel=preconnect href=https://fonts.gstatic.com>",
        "<iframe src=http://example.org/frame>",
        "https://example.org/b.png",
        "https://fonts.example.org/css",
    ]
    assert hooks.remote_css_urls("a { src: url('../fonts/x.woff2') } b { src: url(https://x.org/f.woff) }") == [
        "https://x.org/f.woff"
    ]


def test_the_navigation_order_is_getting_started_guide_theory_teaching_api(hooks):
    from types import SimpleNamespace as NS

    def page(uri):
        return NS(file=NS(src_uri=uri), children=None)

    def section(folder):
        return NS(file=None, children=[page(f"{folder}/a.md")])

    items = [section("api"), page("getting-started.md"), section("guide"), page("index.md"), section("teaching"),
             section("theory"), section("extra")]  # fmt: skip
    order = [hooks._nav_key(item) for item in hooks.order_nav(items)]
    assert order == ["index.md", "getting-started.md", "guide", "theory", "teaching", "api", "extra"]


def test_split_role_follows_sphinx_title_and_tilde(xrefs):
    assert xrefs.split_role("~nanograph.graphs.network.Network") == ("nanograph.graphs.network.Network", "Network")
    assert xrefs.split_role("Network") == ("Network", "Network")
    assert xrefs.split_role("the network <nanograph.Network>") == ("nanograph.Network", "the network")
    assert xrefs.split_role("solve()") == ("solve", "solve")


def test_numpydoc_roles_become_links_to_rendered_objects_or_code(xrefs):
    import griffe

    modules = {
        "__init__.py": '"""Package."""\nfrom pkg.net import Net\n',
        "net.py": '"""Nets."""\nimport numpy as np\n\n\nclass Net:\n    """A net, see :func:`make`.\n\n'
        '    >>> :func:`make`\n    """\n\n    size: int = 0\n\n\n'
        'def make():\n    """Make a :class:`Net` (its :attr:`Net.size`) or an :class:`np.ndarray`, :func:`_hidden`."""\n\n\n'
        'def _hidden():\n    """Private."""\n',
        "use.py": '"""Uses :class:`~pkg.Net` and :func:`pkg.net.make` and :class:`Unknown`."""\n',
    }
    with griffe.temporary_visited_package("pkg", modules) as pkg:
        xrefs.NumpydocRoles().on_package(pkg=pkg)
        make = pkg["net.make"].docstring.value
        net = pkg["net.Net"].docstring.value
        use = pkg["use"].docstring.value
    assert make == ("Make a [`Net`][pkg.net.Net] (its [`Net.size`][pkg.net.Net]) or an `np.ndarray`, `_hidden`.")
    assert net.startswith("A net, see [`make`][pkg.net.make].") and ">>> :func:`make`" in net  # doctest untouched
    assert use == "Uses [`Net`][pkg.net.Net] and [`pkg.net.make`][pkg.net.make] and `Unknown`."


def test_docs_assets_are_checked_against_their_checksum(tmp_path):
    import hashlib
    import io
    import tarfile

    assets = _script("docs_assets")
    tarball = tmp_path / "pkg.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        for name, data in {"package/es5/tex-svg.js": b"mathjax", "package/README.md": b"not kept"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    sha = hashlib.sha256(tarball.read_bytes()).hexdigest()
    assert assets.unpack(tarball, sha, ("es5/",), tmp_path / "out") == 1
    assert (tmp_path / "out/es5/tex-svg.js").read_bytes() == b"mathjax" and not (tmp_path / "out/README.md").exists()
    with pytest.raises(assets.AssetError, match="SHA-256"):
        assets.unpack(tarball, "0" * 64, ("es5/",), tmp_path / "bad")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The docs built as `make docs` builds them (strict), into a temporary folder."""
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    if not (ROOT / "out/docs-assets/.complete").exists():
        if shutil.which("npm") is None:
            pytest.skip("the docs assets are fetched with npm, which is not installed")
        assert _script("docs_assets").main(["docs_assets", str(ROOT / "out/docs-assets")]) == 0
    out = tmp_path_factory.mktemp("site")
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(out), strict=True))
    return out


def test_the_built_docs_load_nothing_from_the_network(hooks, site):
    assert hooks.site_remote_loads(site) == {}
    foster = (site / "teaching/foster.html").read_text()
    assert "assets/vendor/mathjax/es5/tex-svg.js" in foster and "assets/vendor/iframe-worker/shim/index.js" in foster
    assert (site / "assets/vendor/mathjax/es5/tex-svg.js").stat().st_size > 1_000_000
    assert (site / "search/search_index.js").exists()  # the offline plugin's index, readable from file://


def test_the_built_api_pages_link_the_numpydoc_roles(site):
    api = "\n".join(p.read_text() for p in (site / "api").glob("*.html"))
    left = re.findall(
        r":(?:class|func|meth|attr|data|mod|exc):", re.sub(r"<(pre|code)[^>]*>.*?</\1>", "", api, flags=re.S)
    )
    assert not left, f"{len(left)} numpydoc roles left as text on the API pages"
    links = re.findall(r'class="autorefs autorefs-internal"[^>]*href="([^"]+)"', api)
    assert len(links) > 200 and any("#nanograph.graphs.network.Network" in href for href in links)


def test_the_built_docs_have_their_figures_and_the_navigation_order(site):
    missing = []
    for page in site.rglob("*.html"):
        for src in re.findall(r'<img[^>]+src="([^"]+)"', page.read_text()):
            if not src.startswith("data:") and not (page.parent / src).resolve().exists():
                missing.append(f"{page.relative_to(site)}: {src}")
    assert not missing, f"figures missing after the build: {missing}"
    assert list((site / "teaching/img").glob("*.png")), "the teaching figures were not made"
    index = (site / "index.html").read_text()
    nav = index[index.index("md-nav--primary") :]
    at = [nav.index(s) for s in ('href="getting-started.html"', 'href="guide/', 'href="theory/', 'href="teaching/',
                                 'href="api/')]  # fmt: skip
    assert at == sorted(at), "navigation order: Getting started, Guide, Theory, Teaching, API"


@pytest.mark.skipif(not any(map(__import__("shutil").which, ("chromium", "chromium-browser"))), reason="no chromium")
def test_a_headless_browser_sees_typeset_formulas_search_and_no_network(site, tmp_path):
    import shutil

    check = _script("check_site")
    browser = check.find_browser()
    failures, facts = check.run_checks(site, "teaching/foster.html", tmp_path / "shots", browser)
    assert failures == [] and len(facts["screenshots"]) == 2
    # the same checks fail on a copy whose Foster page has no MathJax and loads a script from another host
    broken = tmp_path / "broken"
    shutil.copytree(site, broken)
    page = broken / "teaching/foster.html"
    html = page.read_text().replace("assets/vendor/mathjax/es5/tex-svg.js", "assets/vendor/none.js")
    page.write_text(html.replace("</body>", '<script src="https://cdn.example.org/x.js"></script></body>'))
    failures, _ = check.run_checks(broken, "teaching/foster.html", None, browser, timeout=3)
    assert any("MathJax did not start" in f for f in failures) and any("TeX left" in f for f in failures)
    assert any("external URL requested: https://cdn.example.org/x.js" in f for f in failures)
