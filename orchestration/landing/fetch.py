"""`airoi fetch <source> --since DATE`: pull a vendor's API into the landing zone, pages unchanged.

Each source calls its vendor's API with the key from an environment variable, follows the API's
own pagination with dlt's REST client (cursor, page number in the body, offset paginators) and
writes every response body byte for byte as one file, `<folder>/<window>/page-0001.json`, where the
loaders of `orchestration.landing.vendors` read it. dlt's client retries a rate-limited response
(429) after its `Retry-After` and a server error (5xx) with backoff. A cursor the API no longer
accepts part-way (an expired page token: 400, 404 or 410 after the first page) restarts that window
from its first page, once. A window's pages are rewritten only when their bytes changed, so fetching
the same days again is no new landing; restated days are.

Windows: one UTC day per call where the API reports one day (Claude Code, Copilot, Cursor events),
else spans of at most 31 days. Copilot's report API answers with signed links to the report's
NDJSON files, which are downloaded at once (they expire) without the key. The base URL of each
vendor can be replaced with `AIROI_FETCH_BASE_URL` (a local replay server in the tests).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

# dlt starts its anonymous usage telemetry with its first client unless told not to; no code path of
# this project phones home.
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

from dlt.sources.helpers.requests.retry import Client
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import APIKeyAuth, BearerTokenAuth, HttpBasicAuth
from dlt.sources.helpers.rest_client.paginators import (
    BasePaginator,
    HeaderLinkPaginator,
    JSONResponseCursorPaginator,
    OffsetPaginator,
    PageNumberPaginator,
    SinglePagePaginator,
)
from requests import HTTPError, RequestException
from requests.auth import AuthBase

#: Status codes with which an API refuses a page token it no longer accepts.
EXPIRED_CURSOR = (400, 404, 410)


class FetchError(Exception):
    """A source could not be fetched; the message says which window and why."""


@dataclass(frozen=True)
class Window:
    """One span of the API's time filter, and the folder its pages go to."""

    start: date
    end: date  # exclusive

    @property
    def name(self) -> str:
        return f"date={self.start.isoformat()}"

    def instant(self, day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass(frozen=True)
class Source:
    """One API endpoint of a vendor and how to page through it."""

    folder: str
    base_url: str
    key_variable: str
    path: str
    auth: Callable[[str], AuthBase]
    paginator: Callable[[], BasePaginator]
    #: Query parameters (GET) or JSON body (POST) of one window.
    request: Callable[[Window], dict[str, Any]]
    method: str = "GET"
    #: Days per window: 1 where the API answers one day per call.
    days: int = 31
    headers: dict[str, str] = field(default_factory=dict)
    #: A report API (Copilot) answers with links to the report's files: the field that lists them.
    links_field: str | None = None
    #: Environment variables the path names, e.g. `{AIROI_GITHUB_ORG}`.
    path_variables: tuple[str, ...] = ()


def _anthropic(key: str) -> AuthBase:
    return APIKeyAuth(name="x-api-key", api_key=key, location="header")


def _bearer(key: str) -> AuthBase:
    return BearerTokenAuth(token=key)


def _basic(key: str) -> AuthBase:
    return HttpBasicAuth(username=key, password="")


def _pagerduty(key: str) -> AuthBase:
    return APIKeyAuth(name="Authorization", api_key=f"Token token={key}", location="header")


def _cursor() -> BasePaginator:
    return JSONResponseCursorPaginator(cursor_path="next_page", cursor_param="page")


def _rfc3339(window: Window, day: date) -> str:
    return window.instant(day).isoformat().replace("+00:00", "Z")


def _epoch_ms(window: Window, day: date) -> int:
    return int(window.instant(day).timestamp() * 1000)


ANTHROPIC = "https://api.anthropic.com"
OPENAI = "https://api.openai.com"
CURSOR = "https://api.cursor.com"
PAGERDUTY = "https://api.pagerduty.com"
ANTHROPIC_HEADERS = {"anthropic-version": "2023-06-01"}

SOURCES: dict[str, Source] = {
    "claude_code": Source(
        folder="claude_code_analytics",
        base_url=ANTHROPIC,
        key_variable="ANTHROPIC_ADMIN_KEY",
        path="/v1/organizations/usage_report/claude_code",
        auth=_anthropic,
        paginator=_cursor,
        request=lambda window: {"starting_at": window.start.isoformat(), "limit": 1000},
        days=1,
        headers=ANTHROPIC_HEADERS,
    ),
    "anthropic_usage": Source(
        folder="anthropic_usage_report/messages",
        base_url=ANTHROPIC,
        key_variable="ANTHROPIC_ADMIN_KEY",
        path="/v1/organizations/usage_report/messages",
        auth=_anthropic,
        paginator=_cursor,
        request=lambda window: {
            "starting_at": _rfc3339(window, window.start),
            "ending_at": _rfc3339(window, window.end),
            "bucket_width": "1d",
            "group_by[]": ["model", "api_key_id"],
            "limit": 31,
        },
        headers=ANTHROPIC_HEADERS,
    ),
    "anthropic_cost": Source(
        folder="anthropic_usage_report/cost_report",
        base_url=ANTHROPIC,
        key_variable="ANTHROPIC_ADMIN_KEY",
        path="/v1/organizations/cost_report",
        auth=_anthropic,
        paginator=_cursor,
        request=lambda window: {
            "starting_at": _rfc3339(window, window.start),
            "ending_at": _rfc3339(window, window.end),
            "group_by[]": ["description", "workspace_id"],
            "limit": 31,
        },
        headers=ANTHROPIC_HEADERS,
    ),
    "openai_usage": Source(
        folder="openai_usage_completions/usage",
        base_url=OPENAI,
        key_variable="OPENAI_ADMIN_KEY",
        path="/v1/organization/usage/completions",
        auth=_bearer,
        paginator=_cursor,
        request=lambda window: {
            "start_time": int(window.instant(window.start).timestamp()),
            "end_time": int(window.instant(window.end).timestamp()),
            "bucket_width": "1d",
            "group_by": ["model", "api_key_id", "user_id", "project_id"],
            "limit": 31,
        },
    ),
    "openai_costs": Source(
        folder="openai_usage_completions/costs",
        base_url=OPENAI,
        key_variable="OPENAI_ADMIN_KEY",
        path="/v1/organization/costs",
        auth=_bearer,
        paginator=_cursor,
        request=lambda window: {
            "start_time": int(window.instant(window.start).timestamp()),
            "end_time": int(window.instant(window.end).timestamp()),
            "group_by": ["project_id", "line_item"],
            "limit": 31,
        },
    ),
    "cursor_events": Source(
        folder="cursor_daily_usage/events",
        base_url=CURSOR,
        key_variable="CURSOR_API_KEY",
        path="/teams/filtered-usage-events",
        auth=_basic,
        paginator=lambda: PageNumberPaginator(
            base_page=1, page_body_path="page", total_path="pagination.numPages"
        ),
        # Both bounds are inclusive: a day ends at its last millisecond.
        request=lambda window: {
            "startDate": _epoch_ms(window, window.start),
            "endDate": _epoch_ms(window, window.end) - 1,
            "pageSize": 1000,
        },
        method="POST",
        days=1,
    ),
    "cursor_daily": Source(
        folder="cursor_daily_usage/daily",
        base_url=CURSOR,
        key_variable="CURSOR_API_KEY",
        path="/teams/daily-usage-data",
        auth=_basic,
        paginator=lambda: PageNumberPaginator(
            base_page=1, page_body_path="page", total_path="pagination.totalPages"
        ),
        request=lambda window: {
            "startDate": _epoch_ms(window, window.start),
            "endDate": _epoch_ms(window, window.end) - 1,
            "pageSize": 500,
        },
        method="POST",
        days=30,
    ),
    "pagerduty_incidents": Source(
        folder="pagerduty_incidents/incidents",
        base_url=PAGERDUTY,
        key_variable="PAGERDUTY_API_KEY",
        path="/incidents",
        auth=_pagerduty,
        paginator=lambda: OffsetPaginator(limit=100, total_path=None, has_more_path="more"),
        request=lambda window: {
            "since": _rfc3339(window, window.start),
            "until": _rfc3339(window, window.end),
            "time_zone": "UTC",
            "sort_by": "created_at:asc",
        },
        headers={"Accept": "application/vnd.pagerduty+json;version=2"},
    ),
    "pagerduty_log_entries": Source(
        folder="pagerduty_incidents/log_entries",
        base_url=PAGERDUTY,
        key_variable="PAGERDUTY_API_KEY",
        path="/log_entries",
        auth=_pagerduty,
        paginator=lambda: OffsetPaginator(limit=100, total_path=None, has_more_path="more"),
        request=lambda window: {
            "since": _rfc3339(window, window.start),
            "until": _rfc3339(window, window.end),
            "time_zone": "UTC",
            "include[]": ["users"],
        },
        headers={"Accept": "application/vnd.pagerduty+json;version=2"},
    ),
    "copilot": Source(
        folder="copilot_user_metrics",
        base_url="https://api.github.com",
        key_variable="GITHUB_TOKEN",
        path="/orgs/{AIROI_GITHUB_ORG}/copilot/metrics/reports/users-1-day",
        auth=_bearer,
        paginator=SinglePagePaginator,
        request=lambda window: {"day": window.start.isoformat()},
        days=1,
        headers={"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"},
        links_field="download_links",
        path_variables=("AIROI_GITHUB_ORG",),
    ),
}

#: Sources fetched together under one name.
GROUPS = {
    "anthropic": ["anthropic_usage", "anthropic_cost"],
    "openai": ["openai_usage", "openai_costs"],
    "cursor": ["cursor_events", "cursor_daily"],
    "pagerduty": ["pagerduty_incidents", "pagerduty_log_entries"],
}


@dataclass
class FetchReport:
    """What one fetch wrote, per source."""

    pages: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    restarts: int = 0

    def render(self) -> str:
        lines = [f"{'source':<24}{'pages':>8}{'new or changed':>16}"]
        lines += [f"{name:<24}{count:>8}{self.written[name]:>16}" for name, count in self.pages.items()]
        if self.restarts:
            lines.append(f"Windows restarted after an expired cursor: {self.restarts}")
        return "\n".join(lines)


def windows(since: date, until: date, days: int) -> Iterator[Window]:
    start = since
    while start < until:
        end = min(start + timedelta(days=days), until)
        yield Window(start, end)
        start = end


def session(max_attempts: int = 5, backoff: float = 1.0, max_delay: float = 60.0) -> Any:
    """dlt's retrying HTTP session: 429 after `Retry-After`, 5xx with exponential backoff."""
    client = Client(
        raise_for_status=False,
        request_max_attempts=max_attempts,
        request_backoff_factor=backoff,
        request_max_retry_delay=max_delay,
    )
    return client.session


def fetch(
    names: list[str],
    landing_dir: Path,
    since: date,
    until: date | None = None,
    http_session: Any = None,
    environ: dict[str, str] | None = None,
) -> FetchReport:
    """Fetch every source of `names` (sources or groups) for the days `since` .. `until` (exclusive,
    today by default) into `landing_dir`."""
    environ = dict(os.environ) if environ is None else environ
    until = until or datetime.now(UTC).date() + timedelta(days=1)
    report = FetchReport()
    for name in expand(names):
        if name == "github":
            _fetch_github(environ, landing_dir, since, until, http_session or session(), report)
            continue
        source = SOURCES[name]
        key = environ.get(source.key_variable)
        if not key:
            raise FetchError(f"{name}: set {source.key_variable} to the API key")
        client = RESTClient(
            base_url=environ.get("AIROI_FETCH_BASE_URL") or source.base_url,
            headers=source.headers,
            auth=source.auth(key),
            session=http_session or session(),
        )
        missing = [variable for variable in source.path_variables if not environ.get(variable)]
        if missing:
            raise FetchError(f"{name}: set {', '.join(missing)}")
        values = {variable: environ[variable] for variable in source.path_variables}
        source = replace(source, path=source.path.format(**values))
        report.pages[name] = report.written[name] = 0
        for window in windows(since, until, source.days):
            pages, written, restarted = _fetch_window(client, source, window, landing_dir / source.folder)
            report.pages[name] += pages
            report.written[name] += written
            report.restarts += restarted
    return report


def expand(names: list[str]) -> list[str]:
    unknown = [name for name in names if name not in SOURCES and name not in GROUPS and name != "github"]
    if unknown:
        choices = ", ".join([*GROUPS, *SOURCES, "github"])
        raise FetchError(f"unknown source {', '.join(unknown)}; the sources are {choices}")
    return [source for name in names for source in GROUPS.get(name, [name])]


def _fetch_window(client: RESTClient, source: Source, window: Window, folder: Path) -> tuple[int, int, int]:
    """Every page of one window, written once all were read; (pages, files written, restarts)."""
    try:
        bodies, restarts = _pages(client, source, window), 0
    except _ExpiredCursor:
        bodies, restarts = _pages(client, source, window, restarted=True), 1
    suffix = ".json"
    if source.links_field is not None:
        bodies, suffix = _report_files(client, source, window, bodies), ".ndjson"
    written = 0
    for number, body in enumerate(bodies, start=1):
        written += _write(folder / window.name / f"page-{number:04d}{suffix}", body)
    return len(bodies), written, restarts


def _report_files(client: RESTClient, source: Source, window: Window, bodies: list[bytes]) -> list[bytes]:
    """Every file a report's answer links to, downloaded at once (the links are signed and expire);
    the links carry their own signature, so no key is sent with them."""
    files = []
    for body in bodies:
        links = json.loads(body).get(source.links_field) or []
        for link in links:
            response = client.session.get(link)
            if response.status_code != 200:
                raise FetchError(
                    f"{source.path} for {window.start}: a report file answered HTTP {response.status_code}"
                )
            files.append(response.content)
    return files


class _ExpiredCursor(Exception):
    """The API refused a page token after the first page."""


def _pages(client: RESTClient, source: Source, window: Window, restarted: bool = False) -> list[bytes]:
    bodies: list[bytes] = []
    request = source.request(window)
    arguments: dict[str, Any] = {"json": request} if source.method == "POST" else {"params": request}
    try:
        for page in client.paginate(
            source.path,
            method=source.method,  # type: ignore[arg-type]
            paginator=source.paginator(),
            data_selector="$",
            **arguments,
        ):
            bodies.append(page.response.content)  # type: ignore[attr-defined]
    except HTTPError as error:
        status = error.response.status_code if error.response is not None else None
        if bodies and status in EXPIRED_CURSOR and not restarted:
            raise _ExpiredCursor from error
        again = " again, after restarting the window" if restarted else ""
        raise FetchError(
            f"{source.path} for {window.start} .. {window.end}: HTTP {status} "
            f"after {len(bodies)} pages{again}"
        ) from error
    except RequestException as error:
        raise FetchError(f"{source.path} for {window.start} .. {window.end}: {error}") from error
    return bodies


def _write(path: Path, body: bytes) -> bool:
    """Write a page unless the same bytes are there already; True when it wrote."""
    if path.exists() and path.read_bytes() == body:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_bytes(body)
    temporary.replace(path)
    return True


GITHUB = "https://api.github.com"
GITHUB_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}


def _fetch_github(
    environ: dict[str, str],
    landing_dir: Path,
    since: date,
    until: date,
    http_session: Any,
    report: FetchReport,
) -> None:
    """Each repository of AIROI_GITHUB_REPOS (`owner/name,...`): pull requests updated since `since`
    (newest first, until the pages reach it) with each one's reviews, the commits of the period,
    and the deployments with each one's statuses; pages follow the `Link` header."""
    token, repositories = environ.get("GITHUB_TOKEN"), environ.get("AIROI_GITHUB_REPOS")
    if not token or not repositories:
        raise FetchError("github: set GITHUB_TOKEN and AIROI_GITHUB_REPOS (owner/name,...)")
    client = RESTClient(
        base_url=environ.get("AIROI_FETCH_BASE_URL") or GITHUB,
        headers=GITHUB_HEADERS,
        auth=_bearer(token),
        session=http_session,
    )
    start = Window(since, until)
    report.pages.setdefault("github", 0)
    report.written.setdefault("github", 0)

    def save(bodies: list[bytes], folder: str) -> list[object]:
        report.pages["github"] += len(bodies)
        for number, body in enumerate(bodies, start=1):
            report.written["github"] += _write(
                landing_dir / "github" / folder / f"page-{number:04d}.json", body
            )
        return [item for body in bodies for item in json.loads(body)]

    for repository in (name.strip() for name in repositories.split(",") if name.strip()):
        slug = repository.replace("/", "__")
        pulls = save(
            _link_pages(
                client,
                f"/repos/{repository}/pulls",
                {"state": "all", "sort": "updated", "direction": "desc", "per_page": 100},
                stop_before=_rfc3339(start, since),
            ),
            f"pulls/{slug}",
        )
        for pull in pulls:
            if isinstance(pull, dict) and str(pull.get("updated_at")) >= _rfc3339(start, since):
                reviews = _link_pages(
                    client, f"/repos/{repository}/pulls/{pull['number']}/reviews", {"per_page": 100}
                )
                save(reviews, f"reviews/{slug}/pull-{pull['number']}")
        period = {"since": _rfc3339(start, since), "until": _rfc3339(start, until), "per_page": 100}
        save(_link_pages(client, f"/repos/{repository}/commits", period), f"commits/{slug}/{start.name}")
        deployments = save(
            _link_pages(client, f"/repos/{repository}/deployments", {"per_page": 100}), f"deployments/{slug}"
        )
        for deployment in deployments:
            if isinstance(deployment, dict):
                path = f"/repos/{repository}/deployments/{deployment['id']}/statuses"
                save(
                    _link_pages(client, path, {"per_page": 100}),
                    f"deployments/{slug}/statuses-{deployment['id']}",
                )


def _link_pages(
    client: RESTClient, path: str, params: dict[str, Any], stop_before: str | None = None
) -> list[bytes]:
    """Every page of a GitHub list, following `Link: <...>; rel="next"`; with `stop_before`, no page
    after one whose last item was updated before it (the list is newest first)."""
    bodies: list[bytes] = []
    try:
        for page in client.paginate(path, params=params, paginator=HeaderLinkPaginator(), data_selector="$"):
            body = page.response.content  # type: ignore[attr-defined]
            bodies.append(body)
            items = json.loads(body)
            if stop_before and items and str(items[-1].get("updated_at")) < stop_before:
                break
    except HTTPError as error:
        status = error.response.status_code if error.response is not None else None
        raise FetchError(f"github {path}: HTTP {status} after {len(bodies)} pages") from error
    except RequestException as error:
        raise FetchError(f"github {path}: {error}") from error
    return bodies
