"""The generated organisation as vendor exports: `airoi generate --vendor-formats DIR`.

DIR becomes a second landing zone of the same organisation, written as the vendors return it:

- pull requests, reviews, commits and deployments (with their statuses) as GitHub REST pages; each
  commit is its single-commit response (with its `stats`), saved under its pull request's
  `pull=<number>` folder as the pull request's commits are listed;
- incidents as PagerDuty pages with their log entries;
- AI usage as each tool's vendor export (`vendor_usage`): Claude Code Analytics with the
  organisation's Anthropic usage and cost reports, Cursor's usage events and spend, OpenAI's usage
  and costs, Copilot's users-1-day and organisation day reports; a tool no vendor export carries
  (the internal agent) stays a canonical file.

People, teams and the other tables have no vendor format and are copied as they are. The rows are
the ones the canonical landing zone ingests to (its faults already set aside), so the two landing
zones build the same marts row for row (tests/test_vendor_formats.py), up to what the formats
cannot carry, which the test names:

- a pull request's `first_commit_at` and `ready_for_review_at` (GitHub gives them only through
  commits and the timeline), so PR cycle and lead times start at the pull request's creation;
- an incident's `caused_by_deployment_id` and `repo` (PagerDuty does not know the deployment), so
  no deployment is failed by an incident;
- a deployment attempt without an end: a status always has a time, so it ends when it started;
- AI usage below the grain a vendor reports (Claude Code per user and day, OpenAI per minute,
  Copilot per user and day): sessions, prompt hashes, request kinds and each request's lines and
  time, so the consumption signals built from them; and Copilot's tokens, which its reports do not
  carry for the IDE. Weekly tokens of every other tool agree, and so do their costs, up to how a
  vendor's daily bill is shared over the day's usage.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from orchestration.generator.vendor_usage import write_usage
from orchestration.landing import ingest
from orchestration.landing.contract import TABLES

#: Canonical tables written as vendor exports; the others are copied as they are.
CONVERTED = ("pull_requests", "pr_reviews", "commits", "deployments", "incidents", "ai_usage_events")
#: Canonical tables the exports are written from besides the converted ones (names and prices).
READ = ("people", "model_prices")
API = "https://api.github.com/repos"
#: Records per page, as the APIs page them.
PAGE = 100


def write_vendor_formats(canonical: Path, out_dir: Path) -> dict[str, int]:
    """Write `out_dir` from the canonical landing zone `canonical`; returns the pages per export."""
    if out_dir.exists() and any(out_dir.iterdir()):
        raise ValueError(f"{out_dir} is not empty")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        if name not in CONVERTED and (canonical / name).is_dir():
            shutil.copytree(canonical / name, out_dir / name)
    with (
        tempfile.TemporaryDirectory() as scratch,
        duckdb.connect(str(Path(scratch) / "scratch.duckdb")) as con,
    ):
        ingest(con, canonical, tables=[*CONVERTED, *READ])
        return {
            "github/pulls": _pages(out_dir / "github" / "pulls", _pulls(con)),
            "github/reviews": _pages(out_dir / "github" / "reviews", _reviews(con)),
            "github/commits": _commits(out_dir / "github" / "commits", con),
            "github/deployments": _deployments(out_dir / "github" / "deployments", con),
            "pagerduty_incidents": _incidents(out_dir / "pagerduty_incidents", con),
            **write_usage(con, out_dir),
        }


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = con.execute(sql)
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _instant(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="microseconds" if value.microsecond else "seconds") + "Z"


def _pages(folder: Path, items: list[Any], envelope: str | None = None) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for count, start in enumerate(range(0, len(items), PAGE), start=1):
        page = items[start : start + PAGE]
        document: Any = {envelope: page, "more": start + PAGE < len(items)} if envelope else page
        (folder / f"page-{count:04d}.json").write_text(json.dumps(document))
    return count


def _pulls(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return [
        {
            "number": row["pr_number"],
            "url": f"{API}/{row['repo']}/pulls/{row['pr_number']}",
            "state": "closed" if row["closed_at"] or row["merged_at"] else "open",
            "title": row["title"],
            "user": {"login": row["author_login"]},
            "labels": [{"name": label} for label in (row["labels"] or "").split(",") if label],
            "created_at": _instant(row["created_at"]),
            "closed_at": _instant(row["closed_at"]),
            "merged_at": _instant(row["merged_at"]),
            "merge_commit_sha": row["merge_commit_sha"],
            "base": {"ref": row["base_branch"], "repo": {"full_name": row["repo"]}},
            "additions": row["additions"],
            "deletions": row["deletions"],
            "changed_files": row["changed_files"],
        }
        for row in _rows(con, "select * from raw.pull_requests order by repo, pr_number")
    ]


def _reviews(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return [
        {
            "id": row["review_id"],
            "user": {"login": row["reviewer_login"]},
            "state": row["state"],
            "submitted_at": _instant(row["submitted_at"]),
            "pull_request_url": f"{API}/{row['repo']}/pulls/{row['pr_number']}",
        }
        for row in _rows(con, "select * from raw.pr_reviews order by repo, review_id")
    ]


def _commits(folder: Path, con: duckdb.DuckDBPyConnection) -> int:
    """`GET /repos/{owner}/{repo}/commits/{sha}` of every commit (the list items have no stats), saved
    under the folder of its pull request, whose commits they are."""
    rows = _rows(con, "select * from raw.commits order by repo, sha")
    for row in rows:
        commit: dict[str, Any] = {
            "sha": row["sha"],
            "url": f"{API}/{row['repo']}/commits/{row['sha']}",
            "commit": {
                "author": {"email": row["author_email"], "date": _instant(row["authored_at"])},
                "committer": {"date": _instant(row["committed_at"])},
                "message": row["message"],
            },
            "author": {"login": row["author_login"]} if row["author_login"] else None,
        }
        if row["additions"] is not None or row["deletions"] is not None:
            additions, deletions = row["additions"] or 0, row["deletions"] or 0
            commit["stats"] = {"total": additions + deletions, "additions": additions, "deletions": deletions}
        pull = f"pull={row['pr_number']}" if row["pr_number"] is not None else ""
        path = folder / row["repo"] / pull / f"{row['sha']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(commit))
    return len(rows)


def _deployments(folder: Path, con: duckdb.DuckDBPyConnection) -> int:
    rows = _rows(con, "select * from raw.deployments order by repo, deployment_id")
    deployments = [
        {
            "id": row["deployment_id"],
            "sha": row["sha"],
            "environment": row["environment"],
            "created_at": _instant(row["started_at"]),
            "repository_url": f"{API}/{row['repo']}",
        }
        for row in rows
    ]
    statuses = [
        {
            "id": f"{row['deployment_id']}-status",
            "state": row["status"],
            "created_at": _instant(row["finished_at"] or row["started_at"]),
            "deployment_url": f"{API}/{row['repo']}/deployments/{row['deployment_id']}",
        }
        for row in rows
    ]
    return _pages(folder / "deployments", deployments) + _pages(folder / "statuses", statuses)


def _incidents(folder: Path, con: duckdb.DuckDBPyConnection) -> int:
    rows = _rows(con, "select * from raw.incidents order by incident_id")
    incidents = [
        {
            "id": row["incident_id"],
            "type": "incident",
            "title": row["title"],
            "created_at": _instant(row["created_at"]),
            "resolved_at": _instant(row["resolved_at"]),
            "status": "resolved" if row["resolved_at"] else "triggered",
            "priority": {"summary": row["severity"]} if row["severity"] else None,
            "service": {"id": row["service"], "summary": row["service"]},
        }
        for row in rows
    ]
    entries = [
        entry
        for row in rows
        for entry in (
            row["acknowledged_at"]
            and {
                "type": "acknowledge_log_entry",
                "created_at": _instant(row["acknowledged_at"]),
                "incident": {"id": row["incident_id"]},
            },
            row["resolved_at"]
            and {
                "type": "resolve_log_entry",
                "created_at": _instant(row["resolved_at"]),
                "agent": {"email": row["responder_email"]} if row["responder_email"] else {},
                "incident": {"id": row["incident_id"]},
            },
        )
        if entry
    ]
    return _pages(folder / "incidents", incidents, "incidents") + _pages(
        folder / "log_entries", entries, "log_entries"
    )
