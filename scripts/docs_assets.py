"""Fetch the JavaScript the docs serve themselves (MathJax, the iframe-worker shim) from the npm registry.

Usage: ``python scripts/docs_assets.py [OUTDIR]`` (default ``out/docs-assets``); ``make docs`` runs it.

The built site must work on a laptop without network, opened from disk or served, so nothing is loaded from
a CDN: ``docs/hooks.py`` copies what this script unpacks into the site under ``assets/vendor/``.

* MathJax 3 (``tex-svg.js`` and the TeX extensions it may autoload). The SVG output needs no font files, so
  formulas typeset from ``file://`` in every browser (web fonts from ``file://`` are blocked by some).
* iframe-worker's ``shim``: mkdocs-material's ``offline`` plugin runs the search in an iframe instead of a web
  worker when the page is opened from disk; by default it would load the shim from a CDN.

Each package is taken with ``npm pack NAME@VERSION`` (the ordinary npm client, pinned versions) and checked
against its SHA-256 below before anything is unpacked. Idempotent: a complete OUTDIR is left alone.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: name, version, SHA-256 of the npm tarball, members to keep (prefixes inside the package, after ``package/``)
PACKAGES = (
    (
        "mathjax",
        "3.2.2",
        "1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09",
        ("LICENSE", "es5/tex-svg.js", "es5/input/tex/extensions/"),
    ),
    (
        "iframe-worker",
        "1.0.4",
        "e8c5d12d87829c503afba01d67772ea9f4aba5b7ae57a0c98e1917711030efbb",
        ("LICENSE", "shim/index.js"),
    ),
)
STAMP = ".complete"


class AssetError(Exception):
    """An asset could not be fetched or did not match its checksum."""


def npm_pack(name: str, version: str, workdir: Path) -> Path:
    """Download ``name@version`` from the npm registry into ``workdir``; return the tarball."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError("the docs need npm (Node.js) to fetch MathJax from the npm registry: apt-get install npm")
    done = subprocess.run(
        [npm, "pack", "--silent", f"{name}@{version}"], cwd=workdir, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise AssetError(f"npm pack {name}@{version} failed: {done.stderr.strip()[-2000:]}")
    return workdir / done.stdout.strip().splitlines()[-1]


def unpack(tarball: Path, sha256: str, keep: tuple[str, ...], dest: Path) -> int:
    """Check ``tarball`` against ``sha256`` and unpack the members under ``keep`` into ``dest``; return how many."""
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != sha256:
        raise AssetError(f"{tarball.name}: SHA-256 {digest}, expected {sha256}")
    count = 0
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            inner = member.name.removeprefix("package/")
            if not member.isfile() or ".." in Path(inner).parts or not inner.startswith(keep):
                continue
            target = dest / inner
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())
            count += 1
    return count


def fetch_assets(outdir: Path) -> Path:
    """Make ``outdir/<package>/...`` for every package of :data:`PACKAGES`; return ``outdir``."""
    stamp = outdir / STAMP
    wanted = "\n".join(f"{name}@{version} {sha}" for name, version, sha, _ in PACKAGES)
    if stamp.exists() and stamp.read_text() == wanted:
        return outdir
    if outdir.exists():
        shutil.rmtree(outdir)
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, sha256, keep in PACKAGES:
            if unpack(npm_pack(name, version, Path(tmp)), sha256, keep, outdir / name) == 0:
                raise AssetError(f"{name}@{version}: none of {keep} in the package")
    stamp.write_text(wanted)
    return outdir


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else Path("out/docs-assets")
    try:
        fetch_assets(outdir)
    except AssetError as exc:
        print(f"docs_assets: {exc}", file=sys.stderr)
        return 1
    print(f"docs assets ready in {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
