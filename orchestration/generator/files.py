"""The landing files of every table except the usage events: reference tables once, delivery
tables as weekly exports with the mess real exports have.

Reference tables (teams, people, repositories, services, model prices, identities) land once,
the day before the period. Each delivery table lands as one export per ISO week of its main
timestamp, in the format its real source tends to use: pull requests and commits as Parquet,
reviews and incidents as JSON lines, deployments as CSV. About 0.5% of rows arrive a week or two
late in a later week's export; about 1% are exported again in a later week's `replay-0` file, and
for pull requests and incidents the first copy is then the stale one (still open, not merged or
not resolved), so only the last-landed copy is right. The text exports also carry about 0.1%
malformed rows (at least one of each kind) that ingest must quarantine.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator.calendar import (
    TIMEZONES,
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_WEEK,
    format_timestamps,
)
from orchestration.generator.git import BOTS, DEPLOY_STATUSES, NULL, REVIEW_STATES, SEVERITIES, Git
from orchestration.generator.landing import Landing, arrow_schema
from orchestration.generator.org import Org
from orchestration.generator.plan import MODELS
from orchestration.generator.usage import ORG_PRICES, change_day
from orchestration.landing.contract import TABLES

LATE_SHARE = 0.005
REPLAY_SHARE = 0.01
MALFORMED_SHARE = 0.001

Breaker = Callable[[np.random.Generator, dict[str, object]], None]


def _bad_state(rng: np.random.Generator, record: dict[str, object]) -> None:
    record["state"] = ("PENDING", "LGTM", "REQUEST_CHANGES")[rng.integers(3)]


def _bad_time(column: str) -> Breaker:
    def breaker(rng: np.random.Generator, record: dict[str, object]) -> None:
        text = str(record[column])
        record[column] = (
            f"{text[:10]} 2{rng.integers(5, 10)}:7{rng.integers(10)}"
            if rng.random() < 0.6
            else "last tuesday 3pm"
        )

    return breaker


def _bad_status(rng: np.random.Generator, record: dict[str, object]) -> None:
    record["status"] = ("cancelled", "in_progress", "queued")[rng.integers(3)]


def _no_sha(rng: np.random.Generator, record: dict[str, object]) -> None:
    record["sha"] = None


#: How each text export breaks a row: (reason kind, function that breaks a record in place).
BREAKERS: dict[str, tuple[tuple[str, Breaker], ...]] = {
    "pr_reviews": (
        ("unknown_review_state", _bad_state),
        ("unparseable_timestamp", _bad_time("submitted_at")),
    ),
    "deployments": (("unknown_deployment_status", _bad_status), ("missing_required_value", _no_sha)),
    "incidents": (("unparseable_timestamp", _bad_time("created_at")),),
}


def _ts(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=np.int64)
    return pa.array(values, type=pa.timestamp("us", tz="UTC"), mask=values == NULL)


def _strings(values: object) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def write_reference(landing: Landing, org: Org, identities: pa.Table) -> None:
    period = org.period
    landed = period.start_us - US_PER_DAY
    landing.csv(
        "teams",
        "teams/teams.csv",
        ["team_id", "team_name", "department"],
        zip(org.team_ids, org.team_names, org.team_departments, strict=True),
        landed,
    )
    people = []
    for person in range(org.n_people):
        manager = org.manager[person]
        people.append(
            [
                org.employee_ids[person],
                org.roster_emails[person],
                org.full_names[person],
                org.team_ids[org.team[person]],
                org.employee_ids[manager] if manager >= 0 else None,
                org.roles[person],
                TIMEZONES[org.tz[person]],
                org.hired_on[person],
                org.left_on[person],
                f"{org.cost_usd[person]:.2f}",
            ]
        )
    landing.csv("people", "people/people.csv", TABLES["people"].column_names, people, landed)
    landing.csv(
        "repositories",
        "repositories/repositories.csv",
        ["repo", "team_id"],
        ([repo, org.team_ids[team]] for repo, team in zip(org.repos, org.repo_team, strict=True)),
        landed,
    )
    landing.csv(
        "services",
        "services/services.csv",
        ["service", "team_id"],
        ([service, org.team_ids[team]] for service, team in zip(org.services, org.service_team, strict=True)),
        landed,
    )
    prices = []
    for model, rows in ORG_PRICES.items():
        for label, values in rows:
            effective = (
                period.start - timedelta(days=90 if model == MODELS[1] else 60)
                if label == "before"
                else period.day_date(change_day(period.weeks))
            )
            prices.append([model, effective.isoformat(), *(f"{value:g}" for value in values)])
    landing.csv(
        "model_prices", "model_prices/model_prices.csv", TABLES["model_prices"].column_names, prices, landed
    )
    landing.jsonl("identities", "identities/identities.jsonl", identities.to_pylist(), landed)


def write_delivery(landing: Landing, rng: np.random.Generator, org: Org, git: Git) -> None:
    prs, commits, reviews = git.prs, git.commits, git.reviews
    deployments, incidents = git.deployments, git.incidents
    repo_names = np.array(org.repos, dtype=object)
    logins = np.array(org.logins + list(BOTS), dtype=object)
    pr_author = np.where(prs["author"] >= 0, prs["author"], org.n_people + prs["bot"])
    pr_table = pa.table(
        {
            "repo": _strings(repo_names[prs["repo"]]),
            "pr_number": pa.array(prs["number"], pa.int64()),
            "author_login": _strings(logins[pr_author]),
            "title": _strings(prs["title"]),
            "created_at": _ts(prs["created_at"]),
            "ready_for_review_at": _ts(prs["ready_for_review_at"]),
            "first_commit_at": _ts(prs["first_commit_at"]),
            "merged_at": _ts(prs["merged_at"]),
            "closed_at": _ts(prs["closed_at"]),
            "additions": pa.array(prs["additions"], pa.int64()),
            "deletions": pa.array(prs["deletions"], pa.int64()),
            "changed_files": pa.array(prs["changed_files"], pa.int64()),
            "base_branch": _strings(np.array(org.repo_base_branch, dtype=object)[prs["repo"]]),
            "merge_commit_sha": _strings(prs["merge_commit_sha"]),
            "labels": _strings(prs["labels"]),
        },
        schema=arrow_schema("pull_requests"),
    )
    team_tz = org.team_tz[org.repo_team]
    author_tz = np.where(prs["author"] >= 0, org.tz[np.maximum(prs["author"], 0)], team_tz[prs["repo"]])

    def unmerged(table: pa.Table) -> pa.Table:
        """The copy an earlier export held: the pull request still open."""
        for name in ("merged_at", "closed_at", "merge_commit_sha"):
            index = table.schema.get_field_index(name)
            table = table.set_column(index, name, pa.nulls(table.num_rows, table.schema.field(name).type))
        return table

    _land_weekly(landing, rng, org, "pull_requests", pr_table, prs["created_at"], author_tz, unmerged)

    commit_table = pa.table(
        {
            "repo": _strings(repo_names[commits["repo"]]),
            "sha": _strings(commits["sha"]),
            "author_email": _strings(commits["author_email"]),
            "author_login": _strings(commits["author_login"]),
            "authored_at": _ts(commits["authored_at"]),
            "committed_at": _ts(commits["committed_at"]),
            "message": _strings(commits["message"]),
            "additions": pa.array(commits["additions"], pa.int64()),
            "deletions": pa.array(commits["deletions"], pa.int64()),
            "pr_number": pa.array(prs["number"][commits["pr"]], pa.int64()),
        },
        schema=arrow_schema("commits"),
    )
    commit_tz = np.where(commits["author"] >= 0, org.tz[np.maximum(commits["author"], 0)], 0)
    _land_weekly(landing, rng, org, "commits", commit_table, commits["authored_at"], commit_tz)

    review_table = pa.table(
        {
            "repo": _strings(repo_names[prs["repo"][reviews["pr"]]]),
            "pr_number": pa.array(prs["number"][reviews["pr"]], pa.int64()),
            "review_id": _strings(reviews["review_id"].astype(str)),
            "reviewer_login": _strings(logins[reviews["reviewer"]]),
            "state": _strings(np.array(REVIEW_STATES, dtype=object)[reviews["state"]]),
            "submitted_at": _ts(reviews["submitted_at"]),
        },
        schema=arrow_schema("pr_reviews"),
    )
    _land_weekly(
        landing,
        rng,
        org,
        "pr_reviews",
        review_table,
        reviews["submitted_at"],
        org.tz[reviews["reviewer"]],
        fmt="jsonl",
    )

    deployment_table = pa.table(
        {
            "repo": _strings(repo_names[deployments["repo"]]),
            "deployment_id": _strings(deployments["deployment_id"].astype(str)),
            "sha": _strings(deployments["sha"]),
            "environment": _strings(deployments["environment"]),
            "status": _strings(np.array(DEPLOY_STATUSES, dtype=object)[deployments["status"]]),
            "started_at": _ts(deployments["started_at"]),
            "finished_at": _ts(deployments["finished_at"]),
        },
        schema=arrow_schema("deployments"),
    )
    _land_weekly(
        landing,
        rng,
        org,
        "deployments",
        deployment_table,
        deployments["started_at"],
        team_tz[deployments["repo"]],
        fmt="csv",
    )

    caused = incidents["caused_by"]
    has_cause = caused >= 0
    responder = incidents["responder"]
    roster_emails = np.array(org.roster_emails, dtype=object)
    incident_table = pa.table(
        {
            "incident_id": _strings(incidents["incident_id"]),
            "service": _strings(np.array(org.services, dtype=object)[incidents["service"]]),
            "title": _strings(incidents["title"]),
            "severity": _strings(np.array(SEVERITIES, dtype=object)[incidents["severity"]]),
            "created_at": _ts(incidents["created_at"]),
            "acknowledged_at": _ts(incidents["acknowledged_at"]),
            "resolved_at": _ts(incidents["resolved_at"]),
            "responder_email": _strings(
                np.where(responder >= 0, roster_emails[np.maximum(responder, 0)], None)
            ),
            "caused_by_deployment_id": _strings(
                np.where(has_cause, deployments["deployment_id"][np.maximum(caused, 0)].astype(str), None)
            ),
            "repo": _strings(
                np.where(has_cause, repo_names[deployments["repo"][np.maximum(caused, 0)]], None)
            ),
        },
        schema=arrow_schema("incidents"),
    )
    service_tz = org.team_tz[org.service_team[incidents["service"]]]

    def unresolved(table: pa.Table) -> pa.Table:
        """The copy an earlier export held: the incident not yet resolved."""
        for name in ("resolved_at", "responder_email"):
            index = table.schema.get_field_index(name)
            table = table.set_column(index, name, pa.nulls(table.num_rows, table.schema.field(name).type))
        return table

    _land_weekly(
        landing,
        rng,
        org,
        "incidents",
        incident_table,
        incidents["created_at"],
        service_tz,
        unresolved,
        fmt="jsonl",
    )


def _land_weekly(
    landing: Landing,
    rng: np.random.Generator,
    org: Org,
    table: str,
    data: pa.Table,
    main_at: np.ndarray,
    tz: np.ndarray,
    stale: Callable[[pa.Table], pa.Table] | None = None,
    fmt: str = "parquet",
) -> None:
    """Split a table into weekly exports, moving a few rows late and exporting a few twice."""
    period = org.period
    n = data.num_rows
    week = period.week_of(main_at)
    roll = rng.random(n)
    late = roll < LATE_SHARE
    replayed = np.flatnonzero((roll >= LATE_SHARE) & (roll < LATE_SHARE + REPLAY_SHARE))
    folder = week + np.where(late, rng.integers(1, 3, n), 0)
    replay_folder = week[replayed] + rng.integers(1, 3, len(replayed))
    stats = landing.stats[table]
    stats.late += int(late.sum())
    stats.replayed += len(replayed)

    original = data
    if stale is not None and len(replayed):
        is_replayed = np.zeros(n, dtype=bool)
        is_replayed[replayed] = True
        first_copies = stale(data.take(replayed))
        order = np.concatenate([np.flatnonzero(~is_replayed), replayed])
        merged = pa.concat_tables([data.filter(pa.array(~is_replayed)), first_copies])
        original = merged.take(pa.array(np.argsort(order, kind="stable")))

    malformed_done = False
    for folder_week in np.unique(np.concatenate([folder, replay_folder])):
        start = period.start_us + int(folder_week) * US_PER_WEEK
        label = period.week_start(int(folder_week)).isoformat()
        landed = start + US_PER_WEEK + 2 * US_PER_HOUR
        rows = np.flatnonzero(folder == folder_week)
        rows = rows[np.argsort(main_at[rows], kind="stable")]
        copies = replayed[replay_folder == folder_week]
        copies = copies[np.argsort(main_at[copies], kind="stable")]
        for name, source, index in (("part-0", original, rows), ("replay-0", data, copies)):
            if not len(index):
                landed += US_PER_HOUR
                continue
            relative = f"{table}/week={label}/{name}.{'parquet' if fmt == 'parquet' else fmt}"
            chunk = source.take(pa.array(index))
            if fmt == "parquet":
                landing.parquet(table, relative, chunk, landed)
            else:
                records = _text_records(rng, org, chunk, tz[index], main_at[index])
                if name == "part-0" and table in BREAKERS:
                    records = _break_some(landing, rng, table, relative, records, fmt, not malformed_done)
                    malformed_done = True
                if fmt == "csv":
                    columns = TABLES[table].column_names
                    landing.csv(table, relative, columns, ([r[c] for c in columns] for r in records), landed)
                else:
                    landing.jsonl(table, relative, records, landed)
            landed += US_PER_HOUR


def _text_records(
    rng: np.random.Generator, org: Org, chunk: pa.Table, tz: np.ndarray, main_at: np.ndarray
) -> list[dict[str, object]]:
    """Rows as text exports hold them: every timestamp in one spelling per file (UTC with `Z`, the
    row's local offset, or no zone), chosen at random."""
    period = org.period
    style = np.full(chunk.num_rows, rng.choice(3, p=[0.45, 0.4, 0.15]))
    offset = period.offset_min(tz, period.day_of(main_at))
    columns: dict[str, list[object]] = {}
    for field in chunk.schema:
        column = chunk.column(field.name)
        if pa.types.is_timestamp(field.type):
            values = pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False)
            valid = column.is_valid().to_numpy(zero_copy_only=False)
            values = np.where(valid, values, 0).astype(np.int64)
            text = format_timestamps(values, offset, style)
            columns[field.name] = [value if ok else None for value, ok in zip(text, valid, strict=True)]
        else:
            columns[field.name] = column.to_pylist()
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _break_some(
    landing: Landing,
    rng: np.random.Generator,
    table: str,
    relative: str,
    records: list[dict[str, object]],
    fmt: str,
    first: bool,
) -> list[dict[str, object]]:
    """Insert malformed copies of a few rows, each under a key no valid row has."""
    kinds = BREAKERS[table]
    count = rng.poisson(MALFORMED_SHARE * len(records))
    chosen = [kinds[i % len(kinds)] for i in range(count)]
    if first:
        chosen = list(kinds) + chosen
    key_column = TABLES[table].key[-1]
    serial_base = len(landing.stats[table].malformed)
    out = list(records)
    tags: list[str | None] = [None] * len(out)
    for serial, (kind, breaker) in enumerate(chosen, start=serial_base):
        record = dict(records[rng.integers(len(records))])
        record[key_column] = (
            f"INC-9{serial:05d}" if table == "incidents" else f"{record[key_column]}-x{serial}"
        )
        breaker(rng, record)
        position = int(rng.integers(len(out) + 1))
        out.insert(position, record)
        tags.insert(position, kind)
    header = 1 if fmt == "csv" else 0
    for index, (record, kind) in enumerate(zip(out, tags, strict=True)):
        if kind is not None:
            key = {name: record[name] for name in TABLES[table].key}
            landing.malformed(table, relative, index + 1 + header, kind, key)
    return out
