"""MkDocs hooks of the nanograph docs: figures made at build time and the API reference from the docstrings.

* ``on_pre_build`` runs every ``docs/figures/*.py`` as ``python SCRIPT OUTDIR`` (see ``docs/figures/README.md``
  for how OUTDIR is chosen); a failing script fails the build with its error output.
* ``on_files`` adds one generated page ``api/<package>.md`` per subpackage of :mod:`nanograph`, holding a
  ``::: module`` block (rendered by mkdocstrings) for each public module, so new modules appear without
  editing anything; and it copies the JavaScript that ``scripts/docs_assets.py`` fetched from the npm registry
  (MathJax, the iframe-worker shim of the offline search) into the site under ``assets/vendor/``.
* ``on_post_build`` fails the build when a page or stylesheet of the site would load anything from another
  host (a script, a stylesheet, a font, an image, a frame): the docs must work without network.
* ``on_nav`` orders the sections that MkDocs builds from the folders: Home, Getting started, Guide, Theory,
  Teaching, API (then anything else, in MkDocs' order).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PACKAGE = ROOT / "nanograph"
ASSETS = ROOT / "out" / "docs-assets"  # written by scripts/docs_assets.py (`make docs` runs it)
VENDOR = "assets/vendor"  # where those assets are in the site
#: top-level order of the navigation: page file names or folder names (sections)
NAV_ORDER = ("index.md", "getting-started.md", "guide", "theory", "teaching", "api")
SECTION_TITLES = {"api": "API"}
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


def vendor_files(assets: Path = ASSETS) -> dict[str, Path]:
    """Site path (``assets/vendor/...``) -> file on disk, for every file ``scripts/docs_assets.py`` unpacked.

    Raises
    ------
    FileNotFoundError
        If the assets were not fetched (their completion stamp is missing).
    """
    if not (assets / ".complete").exists():
        raise FileNotFoundError(
            f"{assets} is missing: run `make docs` (or `python scripts/docs_assets.py {assets}`), which fetches "
            "MathJax and the offline-search shim from the npm registry"
        )
    return {f"{VENDOR}/{p.relative_to(assets).as_posix()}": p for p in sorted(assets.rglob("*")) if p.is_file()}


def on_files(files, config):
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File

    for name, modules in public_modules().items():
        files.append(File.generated(config, f"api/{name}.md", content=api_page(name, modules)))
    try:
        vendored = vendor_files()
    except FileNotFoundError as exc:
        raise PluginError(str(exc)) from None
    for site_path, path in vendored.items():
        if not path.name.startswith("."):
            files.append(File.generated(config, site_path, abs_src_path=str(path)))
    return files


# -- navigation -----------------------------------------------------------------------------------------------
def _nav_key(item) -> str:
    """The file name of a top-level page, or the folder name of a top-level section."""
    if getattr(item, "file", None) is not None:
        return item.file.src_uri
    first = item
    while getattr(first, "children", None):
        first = first.children[0]
    uri = getattr(getattr(first, "file", None), "src_uri", "")
    return uri.split("/", 1)[0] if "/" in uri else uri


def order_nav(items: list, order: tuple[str, ...] = NAV_ORDER) -> list:
    """``items`` sorted by ``order`` (pages and sections not in it come last, keeping their order)."""
    rank = {key: i for i, key in enumerate(order)}
    return sorted(items, key=lambda item: rank.get(_nav_key(item), len(order)))


def on_nav(nav, config, files):
    nav.items[:] = order_nav(nav.items)
    for item in nav.items:
        title = SECTION_TITLES.get(_nav_key(item))
        if title and getattr(item, "children", None) is not None:
            item.title = title
    return nav


# -- nothing from the network ---------------------------------------------------------------------------------
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host (scheme-relative)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)
#: (tag, attribute) pairs whose URL the browser loads with the page (an <a href> is only followed on a click)
_LOADED = {("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"), ("source", "src"),
           ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("embed", "src"),
           ("object", "data"), ("image", "href"), ("use", "href"), ("track", "src"), ("input", "src")}  # fmt: skip
_LINK_LOADS = {"stylesheet", "preload", "prefetch", "modulepreload", "preconnect", "dns-prefetch", "icon",
               "shortcut", "apple-touch-icon", "manifest", "mask-icon"}  # fmt: skip


class _RemoteLoads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in values.items():
            if value and (tag, name) in _LOADED and any(_REMOTE.match(v.split()[0]) for v in value.split(",")):
                self.found.append(f"<{tag} {name}={value}>")
        rel = set((values.get("rel") or "").lower().split())
        if tag == "link" and rel & _LINK_LOADS and _REMOTE.match(values.get("href") or ""):
            self.found.append(f"<link rel={values.get('rel')} href={values['href']}>")
        if values.get("style"):
            self.found += remote_css_urls(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.found += remote_css_urls(data)


def remote_css_urls(css: str) -> list[str]:
    """The ``url(...)`` and ``@import`` targets of ``css`` on another host."""
    return [url for url in _CSS_URL.findall(css) if _REMOTE.match(url)]


def remote_loads(html: str) -> list[str]:
    """What an HTML page would load from another host when opened (scripts, styles, fonts, images, frames)."""
    parser = _RemoteLoads()
    parser.feed(html)
    return parser.found


def site_remote_loads(site: Path) -> dict[str, list[str]]:
    """Page or stylesheet of the built ``site`` (relative path) -> what it would load from another host."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.suffix in {".html", ".css"}:
            text = path.read_text(errors="replace")
            loads = remote_loads(text) if path.suffix == ".html" else remote_css_urls(text)
            if loads:
                found[path.relative_to(site).as_posix()] = loads
    return found


def on_post_build(config) -> None:
    from mkdocs.exceptions import PluginError

    found = site_remote_loads(Path(config["site_dir"]))
    if found:
        lines = [f"  {page}: {', '.join(loads[:3])}" for page, loads in list(found.items())[:10]]
        raise PluginError("the docs must load nothing from the network; these pages do:\n" + "\n".join(lines))
