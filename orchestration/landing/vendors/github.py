"""GitHub REST responses, pages as saved, under `github/pulls/`, `github/reviews/`, `github/commits/`
and `github/deployments/`, mapped straight into the canonical `pull_requests`, `pr_reviews`,
`commits` and `deployments`.

A page of a list endpoint is a JSON array; a single-object response (`GET .../pulls/{n}`, `GET
.../commits/{sha}`, which add `additions`, `deletions` and `changed_files` or `stats`) is one object.
The repository is read from each object's API URL, so a page needs no file name convention.

- Pulls: `merged_at` says whether it was merged (list items have no `merged`); `merge_commit_sha`
  is kept only once merged (before, it is a test merge); `ready_for_review_at` needs the timeline
  and stays null. A deleted author (`user: null`) is `ghost`, as GitHub shows it.
- Reviews: a `PENDING` review has no `submitted_at` and is no submitted review: it gives no row.
- Commits: `commit.author` is the authoring side (`authored_at`, `author_email`); the message keeps
  its trailers, from which dbt reads AI co-authors. A commit names no pull request: a page saved
  under a `pull=<number>` folder is a pull request's (`GET .../pulls/{number}/commits`, or a single
  commit of it with its `stats`), and its commits belong to that pull request of their repository.
- Deployments: the deployment pages and the pages of their statuses lie in the same folder (a
  status names its deployment in `deployment_url`). A deployment has no state of its own: its
  outcome is its latest status other than `inactive` (which means superseded, not failed), it
  started when it was created and finished at that status. One without a final status yet
  (`pending`, `queued`, `in_progress`) is no attempt to count yet and gives no row until its final
  status lands; the folder is then read again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from orchestration.landing.vendors.export import (
    Export,
    ExportError,
    Record,
    RecordProblem,
    Row,
    folder_context,
    get,
    instant,
    json_document,
    number,
    path_value,
    record_object,
)

_REPO_URL = re.compile(r"/repos/([^/]+/[^/]+?)(?:/(?:pulls|commits|deployments)(?:/([0-9a-f]+|\d+))?|/?$)")
FINAL_STATES = ("success", "failure", "error")


def records(path: Path) -> Iterator[Record]:
    """The objects of a list page (a JSON array), or the one object of a single-object response."""
    document = json_document(path)
    if isinstance(document, dict):
        yield Record(1, "the object", document, {})
        return
    if not isinstance(document, list):
        raise ExportError("neither a list page (a JSON array) nor one object")
    for index, item in enumerate(document):
        yield Record(index + 1, f"[{index}]", item, {})


def _repo(record: Record, url: object, field: str) -> tuple[str, str | None]:
    match = _REPO_URL.search(str(url or ""))
    if match is None:
        raise RecordProblem("missing_field", f"{record.where}: {field} {url!r} names no repository")
    return match.group(1), match.group(2)


def pull_rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    base = get(record, item, "base.repo.full_name", required=False)
    repo = str(base) if base else _repo(record, get(record, item, "url"), "url")[0]
    merged_at = get(record, item, "merged_at", required=False)
    labels = get(record, item, "labels", required=False) or []
    return [
        {
            "repo": repo,
            "pr_number": number(record, item, "number", required=True),
            "author_login": get(record, item, "user.login", required=False) or "ghost",
            "title": get(record, item, "title", required=False),
            "created_at": instant(record, get(record, item, "created_at"), "created_at"),
            "merged_at": merged_at,
            "closed_at": get(record, item, "closed_at", required=False),
            "additions": number(record, item, "additions"),
            "deletions": number(record, item, "deletions"),
            "changed_files": number(record, item, "changed_files"),
            "base_branch": get(record, item, "base.ref", required=False),
            "merge_commit_sha": get(record, item, "merge_commit_sha", required=False) if merged_at else None,
            "labels": ",".join(str(label.get("name")) for label in labels if isinstance(label, dict)) or None,
        }
    ]


def review_rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    if str(get(record, item, "state")).upper() == "PENDING":
        return []
    repo, pr_number = _repo(record, get(record, item, "pull_request_url"), "pull_request_url")
    if pr_number is None:
        raise RecordProblem("missing_field", f"{record.where}: pull_request_url names no pull request")
    return [
        {
            "repo": repo,
            "pr_number": pr_number,
            "review_id": str(get(record, item, "id")),
            "reviewer_login": get(record, item, "user.login", required=False) or "ghost",
            "state": get(record, item, "state"),
            "submitted_at": instant(record, get(record, item, "submitted_at"), "submitted_at"),
        }
    ]


def commit_rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    repo = _repo(record, get(record, item, "url"), "url")[0]
    return [
        {
            "repo": repo,
            "sha": get(record, item, "sha"),
            "author_email": str(get(record, item, "commit.author.email")).lower(),
            "author_login": get(record, item, "author.login", required=False),
            "authored_at": instant(record, get(record, item, "commit.author.date"), "commit.author.date"),
            "committed_at": get(record, item, "commit.committer.date", required=False),
            "message": get(record, item, "commit.message", required=False),
            "additions": number(record, item, "stats.additions"),
            "deletions": number(record, item, "stats.deletions"),
            "pr_number": _pull_number(record, relative),
        }
    ]


def _pull_number(record: Record, relative: str) -> int | None:
    value = path_value(relative, "pull")
    if value is None:
        return None
    if not value.isdigit():
        reason = f"{record.where}: folder pull={value} names no pull request number"
        raise RecordProblem("bad_integer", reason)
    return int(value)


def deployment_statuses(paths: list[Path]) -> dict[str, list[dict[str, object]]]:
    """Every status of the folder's status pages, by the id of its deployment, oldest first."""
    statuses: dict[str, list[dict[str, object]]] = {}
    for path in paths:
        try:
            document = json_document(path)
        except ExportError:
            continue
        for item in document if isinstance(document, list) else [document]:
            if isinstance(item, dict) and "deployment_url" in item:
                deployment = str(item["deployment_url"]).rstrip("/").rsplit("/", 1)[-1]
                statuses.setdefault(deployment, []).append(item)
    for found in statuses.values():
        found.sort(key=lambda status: (str(status.get("created_at")), str(status.get("id"))))
    return statuses


def deployment_rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    if "deployment_url" in item:
        return []
    deployment_id = str(get(record, item, "id"))
    url = get(record, item, "repository_url", required=False) or get(record, item, "url")
    repo = _repo(record, url, "repository_url")[0]
    statuses = folder_context(record).get(deployment_id, [])
    outcome = [status for status in statuses if status.get("state") != "inactive"]
    if not outcome or outcome[-1].get("state") not in FINAL_STATES:
        return []
    return [
        {
            "repo": repo,
            "deployment_id": deployment_id,
            "sha": get(record, item, "sha"),
            "environment": get(record, item, "environment"),
            "status": outcome[-1]["state"],
            "started_at": instant(record, get(record, item, "created_at"), "created_at"),
            "finished_at": outcome[-1].get("created_at"),
        }
    ]


PULLS = Export("github/pulls", "pull_requests", (".json",), records, pull_rows)
REVIEWS = Export("github/reviews", "pr_reviews", (".json",), records, review_rows)
COMMITS = Export("github/commits", "commits", (".json",), records, commit_rows)
DEPLOYMENTS = Export(
    "github/deployments", "deployments", (".json",), records, deployment_rows, deployment_statuses
)
