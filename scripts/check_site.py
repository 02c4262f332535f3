"""Check the built docs in a headless browser: offline formulas, offline search, no external URL loaded.

Usage: ``python scripts/check_site.py SITE_DIR [--screenshot OUTDIR] [--page teaching/foster.html] [--all]``
(``make docs-check`` runs it on ``out/site``, after ``make docs``).

Debian's ``chromium`` opens the site twice, from disk (``file://``) and served by a local HTTP server on the
loopback address, with every other host made unreachable (a proxy that does not exist), and:

1. renders the page (the Foster teaching page by default) and checks that MathJax typeset every formula:
   each ``arithmatex`` element holds an ``mjx-container`` and no TeX delimiter (``\\(``, ``\\[``) is left
   in the page's text; a screenshot is written to OUTDIR; with ``--all``, every other page with a formula
   gets the same check (from disk);
2. opens ``index.html?q=foster`` and checks that the search lists results;
3. reads Chromium's network log and fails if any request left the machine (any http(s) URL whose host is
   not the local server).

Exit status 0 when every check holds, 1 otherwise (each failure printed on one line), 2 for bad usage or no
Chromium.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import functools
import http.server
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TEX_DELIMITERS = ("\\(", "\\[", "$$")
_SKIP_TEXT = {"script", "style", "code", "pre", "textarea", "mjx-assistive-mml", "svg"}


class Rendered(HTMLParser):
    """What a rendered DOM shows: formulas typeset or not, its visible text, search results."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []  # (tag, is an arithmatex element)
        self.formulas = 0
        self.typeset = 0
        self.text: list[str] = []
        self._math_has_container: list[bool] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        is_math = "arithmatex" in classes
        if is_math:
            self.formulas += 1
            self._math_has_container.append(False)
        if tag == "mjx-container" and self._math_has_container:
            self._math_has_container[-1] = True
        if tag not in {"br", "img", "input", "meta", "link", "hr", "path", "use", "rect"}:
            self.stack.append((tag, is_math))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, is_math = self.stack.pop()
            if is_math:
                self.typeset += self._math_has_container.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not any(tag in _SKIP_TEXT for tag, _ in self.stack):
            self.text.append(data)


def find_browser() -> str | None:
    """The first Chromium-like browser on PATH."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: no port).

    Every host other than the loopback is unreachable (a proxy where nothing listens), and Chromium's network
    log records every request to ``netlog``.
    """

    def __init__(self, executable: str, netlog: Path, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def pipes() -> None:  # in the child: the protocol's fds 3 (commands in) and 4 (answers out)
            high_r, high_w = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child_r, from_child_w))
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--remote-debugging-pipe",
             "--proxy-server=http://127.0.0.1:9", f"--user-data-dir={profile}", f"--log-net-log={netlog}",
             "--window-size=1280,1000", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pipes,
            pass_fds=(3, 4, to_child_r, from_child_w),
        )  # fmt: skip
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._id = 0
        page = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=page, flatten=True)["sessionId"]
        self.send("Page.enable", session=True)

    def send(self, method: str, session: bool = False, **params) -> dict:
        """Send one protocol command and return its result (events in between are dropped)."""
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            while b"\0" not in self._buffer:
                if not select.select([self._from_child], [], [], max(0.0, deadline - time.monotonic()))[0]:
                    raise RuntimeError(f"no answer to {method} in 60 s")
                chunk = os.read(self._from_child, 1 << 16)
                if not chunk:
                    raise RuntimeError(f"chromium closed the protocol pipe during {method}")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
        raise RuntimeError(f"no answer to {method} in 60 s")

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.send("Runtime.evaluate", session=True, expression=expression, awaitPromise=True,
                           returnByValue=True)  # fmt: skip
        return result.get("result", {}).get("value")

    def open(self, url: str, ready: str, timeout: float = 30.0) -> bool:
        """Navigate to ``url`` and wait until the JavaScript ``ready`` is true; False after ``timeout`` s."""
        self.send("Page.navigate", session=True, url=url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"document.readyState === 'complete' && !!({ready})"):
                return True
            time.sleep(0.2)
        return False

    def screenshot(self, path: Path) -> None:
        """A PNG of the whole page, 1280 px wide."""
        height = int(self.evaluate("document.documentElement.scrollHeight") or 1000)
        clip = {"x": 0, "y": 0, "width": 1280, "height": min(height, 16000), "scale": 1}
        data = self.send("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True, clip=clip)
        path.write_bytes(base64.b64decode(data["data"]))

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_child)
        os.close(self._from_child)


def requested_urls(netlog: Path) -> set[str]:
    """Every URL the pages requested, from Chromium's network log (``--log-net-log``).

    Requests of the browser itself (update checks, the spelling dictionary: initiator ``not an origin``) are
    left out; the top-level navigation is one of them, and it is a local URL anyway.
    """
    try:
        log = json.loads(netlog.read_text() or "{}")
    except json.JSONDecodeError:  # a log cut short: read what is there
        log = json.loads(netlog.read_text().rstrip().rstrip(",") + "]}")
    start = (log.get("constants", {}).get("logEventTypes") or {}).get("URL_REQUEST_START_JOB")
    urls = set()
    for event in log.get("events", []):
        params = event.get("params") or {}
        if event.get("type") == start and params.get("initiator") != "not an origin" and "url" in params:
            urls.add(params["url"])
    return urls


def external(urls: set[str], local_hosts: set[str]) -> list[str]:
    """The http(s)/ws URLs among ``urls`` whose host is not one of ``local_hosts``."""
    return sorted(u for u in urls if urlsplit(u).scheme in {"http", "https", "ws", "wss"}
                  and urlsplit(u).hostname not in local_hosts)  # fmt: skip


@contextlib.contextmanager
def serve(site: Path):
    """Serve ``site`` on 127.0.0.1 (a free port) for the duration of the block; yield the base URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name of the overridden method's parameter
        pass


def check_formulas(dom: str, where: str) -> list[str]:
    """Failures (one line each) of the formula check on a rendered page."""
    page = Rendered()
    page.feed(dom)
    failures = []
    if page.formulas == 0:
        failures.append(f"{where}: no formula found (is the page the right one?)")
    elif page.typeset < page.formulas:
        failures.append(f"{where}: {page.formulas - page.typeset} of {page.formulas} formulas not typeset by MathJax")
    text = "".join(page.text)
    left = [d for d in TEX_DELIMITERS if d in text]
    if left:
        at = text.find(left[0])
        failures.append(f"{where}: TeX left in the rendered text: {text[max(0, at - 40) : at + 60]!r}")
    return failures


MATH_READY = "window.MathJax && MathJax.startup && MathJax.startup.promise.then(() => true)"
SEARCH_READY = "document.querySelectorAll('.md-search-result__item').length > 0"


def check_site_from(
    base: str, site_page: str, shots: Path | None, browser: Browser, kind: str, timeout: float = 30.0
) -> list[str]:
    """The formula and search checks on the site at ``base`` (a ``file://`` or ``http://`` URL)."""
    failures = []
    if not browser.open(base + site_page, MATH_READY, timeout):
        failures.append(f"{kind}: {site_page}: MathJax did not start in {timeout:g} s")
    failures += check_formulas(browser.evaluate("document.documentElement.outerHTML") or "", f"{kind}: {site_page}")
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        browser.screenshot(shots / f"{Path(site_page).stem}-{kind}.png")
    if not browser.open(base + "index.html?q=foster", SEARCH_READY, timeout):
        failures.append(f"{kind}: search for 'foster' (index.html?q=foster) listed no result in {timeout:g} s")
    return failures


def math_pages(site: Path) -> list[str]:
    """The pages of ``site`` (relative paths) that hold a formula."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if 'class="arithmatex"' in p.read_text())


def run_checks(
    site: Path, page: str, shots: Path | None, executable: str, timeout: float = 30.0, more: tuple[str, ...] = ()
) -> tuple[list[str], dict]:
    """Every check on ``site`` from disk and served, each waiting at most ``timeout`` s; (failures, measurements).

    The pages ``more`` get the formula check too, from disk only (served, they are the same files).
    """
    failures: list[str] = []
    facts: dict = {}
    with tempfile.TemporaryDirectory() as tmp, serve(site) as served:
        netlog = Path(tmp) / "netlog.json"
        start = time.perf_counter()
        browser = Browser(executable, netlog, Path(tmp) / "profile")
        try:
            for kind, base in {"file": site.resolve().as_uri() + "/", "http": served}.items():
                failures += check_site_from(base, page, shots, browser, kind, timeout)
            for other in (p for p in more if p != page):
                if not browser.open(site.resolve().as_uri() + "/" + other, MATH_READY, timeout):
                    failures.append(f"file: {other}: MathJax did not start in {timeout:g} s")
                dom = browser.evaluate("document.documentElement.outerHTML") or ""
                failures += check_formulas(dom, f"file: {other}")
            facts["pages_with_formulas_checked"] = len({page, *more})
        finally:
            browser.close()
        failures += [f"external URL requested: {url}" for url in external(requested_urls(netlog), {"127.0.0.1"})]
        facts["seconds"] = round(time.perf_counter() - start, 2)
        facts["requests"] = len(requested_urls(netlog))
    if shots is not None:
        facts["screenshots"] = sorted(str(p) for p in shots.glob(f"{Path(page).stem}-*.png"))
    return failures, facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (out/site)")
    parser.add_argument("--page", default="teaching/foster.html", help="page whose formulas are checked")
    parser.add_argument("--screenshot", type=Path, default=None, help="folder for the screenshots")
    parser.add_argument("--all", action="store_true", help="check the formulas of every page that has one, too")
    args = parser.parse_args(argv)
    browser = find_browser()
    if browser is None or not (args.site / args.page).is_file():
        print(f"check_site: need chromium on PATH and {args.site / args.page} (run `make docs`)", file=sys.stderr)
        return 2
    more = tuple(math_pages(args.site)) if args.all else ()
    failures, facts = run_checks(args.site, args.page, args.screenshot, browser, more=more)
    for failure in failures:
        print(f"FAIL {failure}")
    print(json.dumps({"ok": not failures, **facts}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
