"""Great Expectations data docs open from disk with no network, and show their content.

The docs are built by `validate_warehouse`, the step `airoi build` and the Dagster checks share, on
the contract marts of test_quality_gates (3 engineers, 2 teams, 2 weeks). Chromium opens the pages
through its DevTools protocol with every http(s) request refused, so a page that still needed a CDN
would lose its scripts and show an empty index, as it did before the pages had local copies.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import great_expectations as gx
import pytest
from test_quality_gates import _publish_marts
from websockets.sync.client import ClientConnection, connect

from orchestration.quality.data_docs import ASSETS_DIR, REMOTE_ASSETS, VENDOR_DIR
from orchestration.quality.suites import PUBLISHED_MARTS, WarehouseValidation, validate_warehouse

PROJECT_DIR = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Screenshots stay outside git: artifacts/ is ignored.
ARTIFACTS = PROJECT_DIR / "artifacts"
GX_TEMPLATES = Path(gx.__file__).parent / "render" / "view" / "templates"
#: A script, stylesheet or image a page loads, and the address it names.
LOADED = re.compile(r"""<(script|link|img)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.IGNORECASE)

#: What a page shows once its scripts have run, read after its fonts have loaded.
PROBE = """document.fonts.ready.then(() => ({
    jquery: window.jQuery ? jQuery.fn.jquery : null,
    bootstrap_table: Boolean(window.jQuery && jQuery.fn.bootstrapTable),
    modal: Boolean(window.jQuery && jQuery.fn.modal),
    datepicker: Boolean(window.jQuery && jQuery.fn.datepicker),
    vega_embed: typeof window.vegaEmbed === "function",
    grid: getComputedStyle(document.querySelector(".row")).display,
    icon_fonts: [...document.fonts].filter(font => font.status === "loaded").map(font => font.family),
    logo_width: document.querySelector(".navbar-brand img").naturalWidth,
    index_rows: [...document.querySelectorAll(
        "table.ge-index-page-validation-results-table tbody tr[data-href]")].map(row => row.dataset.href),
    tables: document.querySelectorAll("table[data-toggle=table]").length,
    drawn_tables: document.querySelectorAll(".bootstrap-table table[data-toggle=table]").length,
    evaluated: [...document.querySelectorAll("td")].find(
        cell => cell.textContent.trim() === "Evaluated Expectations")?.nextElementSibling.textContent.trim(),
    result_rows: document.querySelectorAll(
        ".ge-section:not(#section-1) .bootstrap-table table.table > tbody > tr").length,
}))"""


@dataclass
class PageLoad:
    """What Chromium did while loading one page, and what PROBE read from it."""

    shown: dict[str, Any] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class DevTools:
    """A headless Chromium's DevTools protocol: open a page, refuse its http(s) requests, watch it load."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.calls = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        self.calls += 1
        message = {"id": self.calls, "method": method, "params": params or {}}
        self.socket.send(json.dumps(message | ({"sessionId": session} if session else {})))
        return self.calls

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        call = self.send(method, params, session)
        while True:
            message = self.receive(timeout=60)
            if message.get("id") == call:
                assert "error" not in message, (method, message["error"])
                return message["result"]

    def receive(self, timeout: float) -> dict[str, Any]:
        message = json.loads(self.socket.recv(timeout=timeout))
        if "method" in message:
            self.events.append(message)
            if message["method"] == "Fetch.requestPaused":
                self.send(
                    "Fetch.failRequest",
                    {"requestId": message["params"]["requestId"], "errorReason": "BlockedByClient"},
                    message["sessionId"],
                )
        return message

    def load(self, page: Path, screenshot: Path | None = None) -> PageLoad:
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=session)
        self.call("Fetch.enable", {"patterns": [{"urlPattern": "http*"}, {"urlPattern": "ws*"}]}, session)
        self.call("Page.navigate", {"url": page.as_uri()}, session)
        deadline = time.monotonic() + 60
        while not any(event["method"] == "Page.loadEventFired" for event in self.events):
            self.receive(timeout=max(deadline - time.monotonic(), 0.1))
        probe = {"expression": PROBE, "returnByValue": True, "awaitPromise": True}
        shown = self.call("Runtime.evaluate", probe, session)
        assert "exceptionDetails" not in shown, shown["exceptionDetails"]
        if screenshot is not None:
            image = self.call("Page.captureScreenshot", {"captureBeyondViewport": True}, session)["data"]
            screenshot.write_bytes(base64.b64decode(image))
        self.call("Target.closeTarget", {"targetId": target})
        return self._page_load(shown["result"]["value"])

    def _page_load(self, shown: dict[str, Any]) -> PageLoad:
        load = PageLoad(shown=shown)
        for event in self.events:
            method, params = event["method"], event["params"]
            if method == "Network.requestWillBeSent":
                load.requests.append(params["request"]["url"])
            elif method == "Fetch.requestPaused":
                load.refused.append(params["request"]["url"])
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                load.errors.append(details.get("exception", {}).get("description", details["text"]))
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                load.errors.append(
                    " ".join(str(arg.get("value", arg.get("description"))) for arg in params["args"])
                )
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                load.errors.append(f"{params['entry']['text']} {params['entry'].get('url', '')}")
        return load


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[WarehouseValidation, Path]:
    root = tmp_path_factory.mktemp("gx_docs")
    validation = validate_warehouse(_publish_marts(root / "warehouse.duckdb"), docs_dir=root / "gx_docs")
    assert validation.success, validation.render()
    return validation, root / "gx_docs"


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[DevTools]:
    profile, log = tmp_path / "profile", tmp_path / "chromium.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--window-size=1400,1000", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=output,
        )  # fmt: skip
    try:
        # Chromium picks a free port on 127.0.0.1 and writes it, with the browser's path, here.
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and len(port_file.read_text().split()) == 2):
            assert process.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "Chromium did not open its DevTools port"
            time.sleep(0.1)
        port, path = port_file.read_text().split()
        with connect(f"ws://127.0.0.1:{port}{path}", max_size=None) as socket:
            yield DevTools(socket)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_copies_are_what_gx_pages_load_with_their_licences() -> None:
    """Every address GX's templates load a script or stylesheet from has a copy; the hashes GX pins
    match; each library keeps its licence; the fonts Font Awesome's stylesheet names are there."""
    remote = {
        url
        for template in GX_TEMPLATES.glob("*.j2")
        for tag, url in LOADED.findall(template.read_text())
        if tag.lower() != "img" and url.startswith(("http://", "https://", "//"))
    }
    assert remote, "no remote scripts in GX's templates: has GX changed where they live?"
    assert sorted(remote - set(REMOTE_ASSETS)) == [], "addresses GX loads that have no copy"

    for url, copy in REMOTE_ASSETS.items():
        assert (ASSETS_DIR / copy).is_file(), (url, copy)
    pinned = re.findall(
        r'src="([^"]+)" integrity="sha384-([^"]+)"', (GX_TEMPLATES / "js_script_imports.j2").read_text()
    )
    assert len(pinned) == 2  # popper.js and Bootstrap's script
    for url, digest in pinned:
        copy = (ASSETS_DIR / REMOTE_ASSETS[url]).read_bytes()
        assert base64.b64encode(hashlib.sha384(copy).digest()).decode() == digest, url

    libraries = {Path(copy).parts[0] for copy in REMOTE_ASSETS.values()}
    assert libraries == {folder.name for folder in ASSETS_DIR.iterdir() if folder.is_dir()}
    for library in libraries:
        assert list((ASSETS_DIR / library).glob("LICENSE*")), f"{library} has no licence file"

    font_awesome = (
        ASSETS_DIR
        / REMOTE_ASSETS["https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css"]
    )
    fonts = set(re.findall(r"url\(([^)]+)\)", font_awesome.read_text()))
    assert len(fonts) == 8  # four font files, each as woff2 and ttf
    for font in fonts:
        assert (font_awesome.parent / font).resolve().is_file(), font


def test_data_docs_load_nothing_from_the_network(docs: tuple[WarehouseValidation, Path]) -> None:
    """No page names a remote script, stylesheet or image, and every local one it names exists."""
    _, docs_dir = docs
    vendor = (docs_dir / VENDOR_DIR).resolve()
    pages = sorted(docs_dir.rglob("*.html"))
    assert len(pages) == 1 + 2 * len(PUBLISHED_MARTS)  # the index, a suite and a validation per mart
    for page in pages:
        text = page.read_text()
        loaded = [url for _, url in LOADED.findall(text)]
        assert [url for url in loaded if re.match(r"(https?:)?//", url)] == [], page
        assert re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", text) == [], page
        files = [(page.parent / unquote(urlsplit(url).path)).resolve() for url in loaded]
        assert [file for file in files if not file.is_file()] == [], page
        # 9 scripts and 6 stylesheets, each from its copy
        copies = {file.relative_to(vendor).as_posix() for file in files if file.is_relative_to(vendor)}
        assert copies == set(REMOTE_ASSETS.values()), page
        assert "integrity=" not in text, "a hash check would refuse the local copy of a file:// page"


def test_data_docs_render_offline_in_chromium(
    docs: tuple[WarehouseValidation, Path], chromium: DevTools
) -> None:
    """Chromium, refused any http(s) request, finds every script and stylesheet and draws the pages:
    the index's table of validations and a mart's results, with no error in the console."""
    validation, docs_dir = docs
    ARTIFACTS.mkdir(exist_ok=True)
    index = chromium.load(docs_dir / "index.html", screenshot=ARTIFACTS / "gx-data-docs-index.png")
    [team_page] = (docs_dir / "validations" / "fct_team_weekly").rglob("*.html")
    team = chromium.load(team_page, screenshot=ARTIFACTS / "gx-data-docs-fct_team_weekly.png")

    for load in (index, team):
        assert load.refused == [], "a page asked the network"
        assert load.errors == []
        # Bootstrap's stylesheet draws a few icons from data: URLs; everything else is a file here.
        elsewhere = [
            url for url in load.requests if not url.startswith((docs_dir.resolve().as_uri(), "data:"))
        ]
        assert elsewhere == []
        shown = load.shown
        assert shown["jquery"] == "3.7.1"
        assert shown["bootstrap_table"] and shown["modal"] and shown["datepicker"] and shown["vega_embed"]
        assert shown["grid"] == "flex", "Bootstrap's stylesheet lays out the page"
        assert "Font Awesome 6 Free" in shown["icon_fonts"], "the status icons are drawn"
        assert shown["logo_width"] > 0

    # The index's table of validations is drawn by bootstrap-table: one row per mart, each opening
    # that mart's validation page.
    rows = index.shown["index_rows"]
    assert sorted(Path(row).parts[1] for row in rows) == sorted(PUBLISHED_MARTS)
    assert all((docs_dir / row).is_file() for row in rows)

    # fct_team_weekly's suite evaluated its expectations; the page lists each one in a drawn table.
    evaluated = validation.suites["fct_team_weekly"].evaluated
    assert evaluated > 0
    assert team.shown["evaluated"] == str(evaluated)
    assert team.shown["result_rows"] == evaluated
    assert team.shown["drawn_tables"] == team.shown["tables"] > 0
