"""`airoi fetch` against a local server on 127.0.0.1 that replays recorded pages: pagination of each
kind, a rate limit with Retry-After, a server error, an expired cursor. No test reaches the internet.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dagster as dg
import duckdb
import pytest
from dlt.common.runtime import anon_tracker

from orchestration.defs.fetch import fetch_assets
from orchestration.defs.resources import WarehouseResource
from orchestration.landing import ingest
from orchestration.landing.fetch import FetchError, fetch, session

FIXTURES = Path(__file__).parent / "fixtures" / "vendors"
DAY = date(2026, 3, 9)
KEYS = {"ANTHROPIC_ADMIN_KEY": "sk-ant-admin-test", "CURSOR_API_KEY": "key_test", "PAGERDUTY_API_KEY": "pd"}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: object


@dataclass
class Replay:
    """Answers each request with `answer(request, number)`: (status, headers, body bytes)."""

    answer: Callable[[Request, int], tuple[int, dict[str, str], bytes]]
    requests: list[Request] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[tuple[str, Replay]]:
    replay = Replay(lambda request, number: (404, {}, b"{}"))

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            request = Request(self.command, url.path, parse_qs(url.query), dict(self.headers), body)
            replay.requests.append(request)
            status, headers, content = replay.answer(request, len(replay.requests))
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", replay
    httpd.shutdown()
    httpd.server_close()


def environ(base_url: str) -> dict[str, str]:
    return {**KEYS, "AIROI_FETCH_BASE_URL": base_url}


def quick() -> object:
    return session(max_attempts=3, backoff=0.01, max_delay=3)


PAGE_ONE = (FIXTURES / "claude_code_analytics" / "page-1.json").read_bytes()
PAGE_TWO = (FIXTURES / "claude_code_analytics" / "page-2.json").read_bytes()


def claude_code_pages(request: Request, number: int) -> tuple[int, dict[str, str], bytes]:
    """Page 1, then page 2 for the cursor page 1 names."""
    if request.query.get("page") == ["page_MjAyNi0wMy0wOXwy"]:
        return 200, {}, PAGE_TWO
    return 200, {}, PAGE_ONE


def test_pages_are_followed_and_written_unchanged(server: tuple[str, Replay], tmp_path: Path) -> None:
    url, replay = server
    replay.answer = claude_code_pages
    landing = tmp_path / "landing"

    report = fetch(["claude_code"], landing, DAY, date(2026, 3, 10), quick(), environ(url))

    folder = landing / "claude_code_analytics" / "date=2026-03-09"
    assert (folder / "page-0001.json").read_bytes() == PAGE_ONE
    assert (folder / "page-0002.json").read_bytes() == PAGE_TWO
    assert report.pages == {"claude_code": 2} and report.written == {"claude_code": 2}
    first = replay.requests[0]
    assert first.path == "/v1/organizations/usage_report/claude_code"
    assert first.query == {"starting_at": ["2026-03-09"], "limit": ["1000"]}
    assert first.headers["x-api-key"] == "sk-ant-admin-test"
    assert first.headers["anthropic-version"] == "2023-06-01"
    # What was fetched is what the loader reads.
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert ingest(con, landing).tables["vendor_ai_usage"].rows_loaded == 7

    again = fetch(["claude_code"], landing, DAY, date(2026, 3, 10), quick(), environ(url))
    assert again.written == {"claude_code": 0}
    # dlt's anonymous usage telemetry never started.
    assert anon_tracker._ANON_TRACKER_ENDPOINT is None


def test_a_rate_limit_waits_for_retry_after_and_a_server_error_is_retried(
    server: tuple[str, Replay], tmp_path: Path
) -> None:
    url, replay = server

    def answer(request: Request, number: int) -> tuple[int, dict[str, str], bytes]:
        if number == 1:
            return 429, {"Retry-After": "1"}, b'{"error": "rate_limited"}'
        if number == 2:
            return 503, {}, b"upstream unavailable"
        return claude_code_pages(request, number)

    replay.answer = answer
    started = time.monotonic()

    report = fetch(["claude_code"], tmp_path, DAY, date(2026, 3, 10), quick(), environ(url))

    assert time.monotonic() - started >= 1
    assert len(replay.requests) == 4 and report.pages == {"claude_code": 2}


def test_an_expired_cursor_restarts_the_window_once(server: tuple[str, Replay], tmp_path: Path) -> None:
    url, replay = server
    refused: list[int] = []

    def answer(request: Request, number: int) -> tuple[int, dict[str, str], bytes]:
        if request.query.get("page") and not refused:
            refused.append(number)
            return 400, {}, b'{"error": {"type": "invalid_request_error", "message": "page token expired"}}'
        return claude_code_pages(request, number)

    replay.answer = answer

    report = fetch(["claude_code"], tmp_path, DAY, date(2026, 3, 10), quick(), environ(url))

    assert report.restarts == 1 and report.pages == {"claude_code": 2}
    assert [bool(request.query.get("page")) for request in replay.requests] == [False, True, False, True]


def test_a_cursor_refused_twice_is_a_clear_error(server: tuple[str, Replay], tmp_path: Path) -> None:
    url, replay = server
    replay.answer = lambda request, number: (
        (400, {}, b"{}") if request.query.get("page") else (200, {}, PAGE_ONE)
    )

    with pytest.raises(FetchError, match="HTTP 400 after 1 pages again, after restarting the window"):
        fetch(["claude_code"], tmp_path, DAY, date(2026, 3, 10), quick(), environ(url))


def test_cursor_pages_by_number_in_the_body_and_pagerduty_by_offset(
    server: tuple[str, Replay], tmp_path: Path
) -> None:
    url, replay = server
    events = [json.loads((FIXTURES / "cursor_daily_usage" / name).read_bytes()) for name in
              ("events-page-1.json", "events-page-2.json")]  # fmt: skip
    incidents = json.loads((FIXTURES / "pagerduty_incidents" / "incidents-page-1.json").read_bytes())

    def answer(request: Request, number: int) -> tuple[int, dict[str, str], bytes]:
        if request.path == "/teams/filtered-usage-events":
            assert isinstance(request.body, dict)
            return 200, {}, json.dumps(events[request.body["page"] - 1]).encode()
        offset = int(request.query["offset"][0])
        return 200, {}, json.dumps({**incidents, "offset": offset, "more": offset == 0}).encode()

    replay.answer = answer

    report = fetch(["cursor_events", "pagerduty_incidents"], tmp_path, DAY, date(2026, 3, 10), quick(),
                   environ(url))  # fmt: skip

    assert report.pages == {"cursor_events": 2, "pagerduty_incidents": 2}
    cursor = [request for request in replay.requests if request.path == "/teams/filtered-usage-events"]
    # Inclusive bounds: the day ends at its last millisecond; the key is the Basic user.
    assert [request.body for request in cursor] == [
        {"startDate": 1773014400000, "endDate": 1773100799999, "pageSize": 1000, "page": page}
        for page in (1, 2)
    ]
    assert cursor[0].headers["Authorization"] == "Basic a2V5X3Rlc3Q6"
    pagerduty = [request for request in replay.requests if request.path == "/incidents"]
    assert [request.query["offset"] for request in pagerduty] == [["0"], ["100"]]
    assert pagerduty[0].headers["Authorization"] == "Token token=pd"


def test_a_missing_key_and_an_unknown_source_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="claude_code: set ANTHROPIC_ADMIN_KEY to the API key"):
        fetch(["claude_code"], tmp_path, DAY, date(2026, 3, 10), environ={})
    with pytest.raises(FetchError, match="unknown source jira"):
        fetch(["jira"], tmp_path, DAY, date(2026, 3, 10), environ={})


def test_the_command_fetches_into_the_landing_zone(server: tuple[str, Replay], tmp_path: Path) -> None:
    url, replay = server
    replay.answer = claude_code_pages
    airoi = str(Path(sys.executable).with_name("airoi"))

    completed = subprocess.run(
        [airoi, "fetch", "claude_code", "--since", "2026-03-09", "--until", "2026-03-10",
         "--landing", str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=120,
        env=environ(url) | {"PATH": "/usr/bin:/bin"},
    )  # fmt: skip

    assert completed.returncode == 0, completed.stderr
    assert "claude_code" in completed.stdout
    assert (tmp_path / "claude_code_analytics" / "date=2026-03-09" / "page-0002.json").exists()


def test_a_daily_source_is_a_daily_partitioned_asset_that_fetches_its_day(
    server: tuple[str, Replay], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, replay = server
    replay.answer = claude_code_pages
    for name, value in environ(url).items():
        monkeypatch.setenv(name, value)
    assets = {asset.key.to_user_string(): asset for asset in fetch_assets}
    warehouse = WarehouseResource(landing_dir=str(tmp_path / "landing"), warehouse=str(tmp_path / "w.duckdb"))

    result = dg.materialize(
        [assets["fetch/claude_code"]], partition_key="2026-05-09", resources={"warehouse": warehouse}
    )

    assert result.success
    assert [request.query["starting_at"] for request in replay.requests] == [["2026-05-09"], ["2026-05-09"]]
    assert (tmp_path / "landing" / "claude_code_analytics" / "date=2026-05-09" / "page-0002.json").exists()
    materialization = result.asset_materializations_for_node("fetch__claude_code")[0]
    assert materialization.metadata["pages"].value == 2
    assert assets["fetch/anthropic_usage"].partitions_def is None
    assert {asset.group_names_by_key[asset.key] for asset in fetch_assets} == {"landing"}


def test_copilot_reports_are_downloaded_from_their_links(server: tuple[str, Replay], tmp_path: Path) -> None:
    url, replay = server
    parts = [
        (FIXTURES / "copilot_user_metrics" / name).read_bytes()
        for name in ("users-1-day-org-8812-2026-03-09.ndjson", "users-1-day-ent-3301-2026-03-09.ndjson")
    ]

    def answer(request: Request, number: int) -> tuple[int, dict[str, str], bytes]:
        if request.path.startswith("/files/"):
            return 200, {"Content-Type": "application/x-ndjson"}, parts[int(request.path[-1]) - 1]
        links = [f"{url}/files/part-1?sig=abc", f"{url}/files/part-2?sig=def"]
        return 200, {}, json.dumps({"download_links": links, "report_day": "2026-03-09"}).encode()

    replay.answer = answer

    report = fetch(["copilot"], tmp_path, DAY, date(2026, 3, 10), quick(),
                   environ(url) | {"GITHUB_TOKEN": "ghp_test", "AIROI_GITHUB_ORG": "acme"})  # fmt: skip

    assert report.pages == {"copilot": 2}
    folder = tmp_path / "copilot_user_metrics" / "date=2026-03-09"
    assert [(folder / f"page-000{n}.ndjson").read_bytes() for n in (1, 2)] == parts
    asked, *downloads = replay.requests
    assert asked.path == "/orgs/acme/copilot/metrics/reports/users-1-day" and asked.query == {
        "day": ["2026-03-09"]
    }
    assert asked.headers["Authorization"] == "Bearer ghp_test"
    # The signed links carry their own authority: the token is not sent along.
    assert [("Authorization" in request.headers) for request in downloads] == [False, False]
    with pytest.raises(FetchError, match="copilot: set AIROI_GITHUB_ORG"):
        fetch(["copilot"], tmp_path, DAY, date(2026, 3, 10), quick(), environ(url) | {"GITHUB_TOKEN": "x"})


def test_github_follows_link_headers_and_fetches_each_pulls_reviews_and_deployments_statuses(
    server: tuple[str, Replay], tmp_path: Path
) -> None:
    url, replay = server
    github = FIXTURES / "github"
    pulls = json.loads((github / "pulls" / "page-1.json").read_bytes())
    pulls[0]["updated_at"], pulls[1]["updated_at"] = "2026-03-09T10:40:05Z", "2026-03-09T08:00:00Z"
    old = {**pulls[1], "number": 300, "updated_at": "2026-02-01T00:00:00Z"}
    files = {
        "/repos/acme/exporter/pulls/412/reviews": (github / "reviews" / "pull-412.json").read_bytes(),
        "/repos/acme/exporter/commits": (github / "commits" / "page-1.json").read_bytes(),
        "/repos/acme/exporter/deployments": (github / "deployments" / "deployments-page-1.json").read_bytes(),
        "/repos/acme/exporter/deployments/1001/statuses": (
            github / "deployments" / "statuses-1001.json"
        ).read_bytes(),
    }

    def answer(request: Request, number: int) -> tuple[int, dict[str, str], bytes]:
        if request.path == "/repos/acme/exporter/pulls":
            if request.query.get("page") == ["2"]:
                # Older than --since: the listing stops here, though GitHub offers a next page.
                return 200, {"Link": f'<{url}{request.path}?page=3>; rel="next"'}, json.dumps([old]).encode()
            return 200, {"Link": f'<{url}{request.path}?page=2>; rel="next"'}, json.dumps(pulls).encode()
        return 200, {}, files.get(request.path, b"[]")

    replay.answer = answer
    keys = {"GITHUB_TOKEN": "ghp_test", "AIROI_GITHUB_REPOS": "acme/exporter"}

    report = fetch(["github"], tmp_path, date(2026, 3, 5), date(2026, 3, 10), quick(), environ(url) | keys)

    asked = [
        request.path + ("?page=2" if request.query.get("page") == ["2"] else "")
        for request in replay.requests
    ]
    assert asked == [
        "/repos/acme/exporter/pulls",
        "/repos/acme/exporter/pulls?page=2",
        "/repos/acme/exporter/pulls/412/reviews",
        "/repos/acme/exporter/pulls/413/reviews",
        "/repos/acme/exporter/commits",
        "/repos/acme/exporter/deployments",
        "/repos/acme/exporter/deployments/1001/statuses",
        "/repos/acme/exporter/deployments/1002/statuses",
        "/repos/acme/exporter/deployments/1003/statuses",
    ]
    assert report.pages == {"github": 9}
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ingest(con, tmp_path)
        assert con.execute("select pr_number from raw.pull_requests order by 1").fetchall() == [
            (300,),
            (412,),
            (413,),
        ]
        assert con.execute("select review_id from raw.pr_reviews").fetchall() == [("80",)]
        assert con.execute("select deployment_id, status from raw.deployments").fetchall() == [
            ("1001", "success")
        ]
