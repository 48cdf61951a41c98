"""A local git repository's commits, read with git itself (`airoi build --git-repo PATH`).

`capture` runs `git log --all` with control-character separators (so a message may hold anything
but 0x1D-0x1F) and saves git's output unchanged as `git_log/<owner>/<name>.gitlog` in the landing
zone; ingest then reads it like any export, so a repository read again changes only what changed.
The repository is named after its `origin` remote (`owner/name`, as GitHub names it), else
`local/<folder name>`.

Each commit is a canonical `commits` row: the author (mailmap applied, e-mail lower-cased) and
author date with its offset, the committer date, the full message with its trailers (dbt finds AI
co-authors there), lines added and deleted from `--numstat` (binary files count none), and the pull
request a squash merge names at the end of its subject (`... (#412)`).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from orchestration.landing.vendors.export import Export, ExportError, Record, RecordProblem, Row

FOLDER = "git_log"
SUFFIX = ".gitlog"
FIELDS = (
    "sha",
    "parents",
    "author_name",
    "author_email",
    "author_date",
    "committer_name",
    "committer_email",
    "committer_date",
    "coauthors",
    "message",
)
FORMAT = "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%aI%x1f%cN%x1f%cE%x1f%cI%x1f" + (
    "%(trailers:key=Co-authored-by,valueonly,separator=%x1d)%x1f%B%x1f"
)
_REMOTE = re.compile(r"[:/]([^/:]+/[^/]+?)(?:\.git)?/?$")
_PULL_REQUEST = re.compile(r"\(#(\d+)\)\s*$")


def repository_name(repository: Path) -> str:
    """`owner/name` of the `origin` remote, else `local/<folder name>`."""
    remote = subprocess.run(
        ["git", "-C", str(repository), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    match = _REMOTE.search(remote)
    return match.group(1) if match else f"local/{repository.resolve().name}"


def capture(repository: Path, landing_dir: Path) -> Path:
    """Save `git log` of every ref of `repository` into the landing zone; the file is rewritten only
    when git's output changed, so an unchanged repository is no new landing."""
    try:
        output = subprocess.run(
            ["git", "-C", str(repository), "log", "--all", "--numstat", f"--format={FORMAT}"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise ExportError(
            f"{repository}: not a git repository git can read ({detail.decode().strip()})"
        ) from error
    target = landing_dir / FOLDER / f"{repository_name(repository)}{SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_bytes() != output:
        target.write_bytes(output)
    return target


def records(path: Path) -> Iterator[Record]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ExportError(f"not UTF-8 text ({error.reason})") from error
    if text.strip() and not text.startswith("\x1e"):
        raise ExportError("not the output of `git log` in airoi's format")
    for number, chunk in enumerate(text.split("\x1e")[1:], start=1):
        parts = chunk.split("\x1f")
        if len(parts) != len(FIELDS) + 1:
            yield Record(number, f"commit {number}", chunk, {})
            continue
        commit: dict[str, object] = dict(zip(FIELDS, parts, strict=False))
        commit["numstat"] = parts[-1]
        yield Record(number, f"commit {number} ({parts[0][:12]})", commit, {})


def rows(record: Record, relative: str) -> list[Row]:
    if not isinstance(record.value, dict):
        raise RecordProblem("malformed_row", f"{record.where}: not a commit of airoi's `git log` format")
    commit = record.value
    added = deleted = 0
    for line in str(commit["numstat"]).strip().splitlines():
        counts = line.split("\t")
        if len(counts) == 3 and counts[0].isdigit() and counts[1].isdigit():
            added, deleted = added + int(counts[0]), deleted + int(counts[1])
    message = str(commit["message"])
    pull_request = _PULL_REQUEST.search(message.split("\n", 1)[0])
    return [
        {
            "repo": relative.removesuffix(SUFFIX),
            "sha": commit["sha"],
            "author_email": str(commit["author_email"]).lower(),
            "authored_at": commit["author_date"],
            "committed_at": commit["committer_date"],
            "message": message.rstrip("\n"),
            "additions": added,
            "deletions": deleted,
            "pr_number": pull_request.group(1) if pull_request else None,
        }
    ]


EXPORT = Export(FOLDER, "commits", (SUFFIX,), records, rows)
