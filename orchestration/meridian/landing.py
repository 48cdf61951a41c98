"""Writing the landing zone as the contract's canonical tables: reference data as CSV, incidents as
JSON lines with local offsets (as a paging tool exports them), everything else as Parquet."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.meridian import catalog as cat
from orchestration.meridian.clock import Clock
from orchestration.meridian.delivery import Delivery
from orchestration.meridian.org import NEVER, Org
from orchestration.meridian.plan import Plan

TABLES = (
    "teams",
    "people",
    "model_prices",
    "repositories",
    "services",
    "identities",
    "pull_requests",
    "pr_reviews",
    "commits",
    "deployments",
    "incidents",
    "ai_usage_events",
)
TRUTH_FOLDER = "_ground_truth"
REVIEW_STATES = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED")
DEPLOY_STATUS = ("success", "failure", "error")
SEVERITIES = ("sev1", "sev2", "sev3", "sev4")


def clean(out: Path) -> None:
    """Removes what an earlier run wrote here (only the folders this generator writes)."""
    for name in (*TABLES, TRUTH_FOLDER):
        if (out / name).exists():
            shutil.rmtree(out / name)


def timestamps(values: np.ndarray) -> pa.Array:
    """UTC timestamps from microseconds; negative values are null."""
    values = np.asarray(values, dtype=np.int64)
    return pa.array(values, mask=values < 0, type=pa.int64()).cast(pa.timestamp("us", tz="UTC"))


def optional(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=np.int64)
    return pa.array(values, mask=values < 0, type=pa.int64())


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def _parquet(path: Path, table: pa.Table) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")
    return table.num_rows


def write_landing(out: Path, clock: Clock, org: Org, plan: Plan, delivery: Delivery) -> dict[str, int]:
    rows: dict[str, int] = {}
    rows["teams"] = _csv(
        out / "teams" / "teams.csv",
        ["team_id", "team_name", "department"],
        [
            [tid, name, cat.DEPARTMENTS[d].name]
            for tid, name, d in zip(org.team_id, org.team_name, org.team_dept, strict=True)
        ],
    )
    rows["people"] = _write_people(out, clock, org)
    rows["model_prices"] = _write_prices(out, clock)
    rows["repositories"] = _csv(
        out / "repositories" / "repositories.csv",
        ["repo", "team_id"],
        [[repo, org.team_id[t]] for repo, t in zip(org.repos, org.repo_team, strict=True)],
    )
    rows["services"] = _csv(
        out / "services" / "services.csv",
        ["service", "team_id"],
        [[service, org.team_id[t]] for service, t in zip(org.services, org.service_team, strict=True)],
    )
    rows["identities"] = _write_identities(out, org, plan)
    rows.update(_write_delivery(out, org, delivery))
    rows["incidents"] = _write_incidents(out, org, delivery)
    rows["ai_usage_events"] = 0
    return rows


def _write_people(out: Path, clock: Clock, org: Org) -> int:
    rows = []
    for p in range(org.people):
        manager = org.manager[p]
        rows.append(
            [
                org.employee_id[p],
                org.email[p],
                org.full_name[p],
                org.team_id[org.team[p]],
                org.employee_id[manager] if manager >= 0 else "",
                org.role[p],
                cat.ZONES[org.zone[p]],
                clock.day(int(org.hire_day[p])).isoformat(),
                clock.day(int(org.leave_day[p])).isoformat() if org.leave_day[p] < NEVER else "",
                f"{org.annual_cost[p]:.2f}",
            ]
        )
    header = [
        "employee_id",
        "email",
        "full_name",
        "team_id",
        "manager_employee_id",
        "role",
        "timezone",
        "hired_on",
        "left_on",
        "annual_loaded_cost_usd",
    ]
    return _csv(out / "people" / "people.csv", header, rows)


def _write_prices(out: Path, clock: Clock) -> int:
    rows = []
    first = clock.day(-365).isoformat()
    for model in cat.MODELS:
        rows.append([model.name, first, model.input, model.cached, model.cache_write, model.output])
    sonnet = cat.MODELS[cat.SONNET]
    change = clock.day(7 * int(cat.SONNET_DISCOUNT_FROM * clock.weeks)).isoformat()
    rows.append(
        [
            sonnet.name,
            change,
            *(
                round(price * cat.SONNET_DISCOUNT, 6)
                for price in (sonnet.input, sonnet.cached, sonnet.cache_write, sonnet.output)
            ),
        ]
    )
    header = [
        "model",
        "effective_from",
        "input_usd_per_mtok",
        "cached_input_usd_per_mtok",
        "cache_write_usd_per_mtok",
        "output_usd_per_mtok",
    ]
    return _csv(out / "model_prices" / "model_prices.csv", header, rows)


def _write_identities(out: Path, org: Org, plan: Plan) -> int:
    systems, accounts, employees = [], [], []
    for p in range(org.people):
        systems.append("github")
        accounts.append(org.login[p])
        employees.append(org.employee_id[p])
    for a in np.flatnonzero(org.account_listed):
        systems.append(cat.TOOLS[org.account_tool[a]])
        accounts.append(org.account_id[a])
        employees.append(org.employee_id[org.account_person[a]])
    on_call = sorted(set(plan.team_oncall[plan.team_oncall >= 0].tolist()))
    for p in on_call:
        systems.append("pagerduty")
        accounts.append(org.pagerduty_id[p])
        employees.append(org.employee_id[p])
    table = pa.table({"source_system": systems, "account_id": accounts, "employee_id": employees})
    return _parquet(out / "identities" / "identities.parquet", table)


def _write_delivery(out: Path, org: Org, delivery: Delivery) -> dict[str, int]:
    prs = delivery.prs
    repo_names = pa.array(org.repos, type=pa.string())
    logins = [org.login[a] if a >= 0 else cat.BOTS[b] for a, b in zip(prs["author"], prs["bot"], strict=True)]
    pull_requests = pa.table(
        {
            "repo": repo_names.take(pa.array(prs["repo"])),
            "pr_number": prs["number"],
            "author_login": logins,
            "title": delivery.pr_title,
            "created_at": timestamps(prs["created"]),
            "ready_for_review_at": timestamps(prs["ready"]),
            "first_commit_at": timestamps(prs["first_commit"]),
            "merged_at": timestamps(prs["merged"]),
            "closed_at": timestamps(prs["closed"]),
            "additions": prs["additions"],
            "deletions": prs["deletions"],
            "changed_files": prs["changed_files"],
            "base_branch": delivery.pr_branch,
            "merge_commit_sha": pa.array(delivery.merge_sha, type=pa.string()),
            "labels": pa.array([label or None for label in delivery.pr_labels], type=pa.string()),
        }
    )
    reviews = delivery.reviews
    pr_reviews = pa.table(
        {
            "repo": repo_names.take(pa.array(prs["repo"][reviews["pr"]])),
            "pr_number": prs["number"][reviews["pr"]],
            "review_id": reviews["review_id"],
            "reviewer_login": [org.login[r] for r in reviews["reviewer"]],
            "state": [REVIEW_STATES[s] for s in reviews["state"]],
            "submitted_at": timestamps(reviews["submitted"]),
        }
    )
    commits = delivery.commits
    pr_of = commits["pr"]
    commit_table = pa.table(
        {
            "repo": repo_names.take(pa.array(commits["repo"])),
            "sha": delivery.commit_sha,
            "author_email": delivery.commit_email,
            "author_login": pa.array(delivery.commit_login, type=pa.string()),
            "authored_at": timestamps(commits["authored"]),
            "committed_at": timestamps(commits["committed"]),
            "message": delivery.commit_message,
            "additions": commits["additions"],
            "deletions": commits["deletions"],
            "pr_number": optional(np.where(pr_of >= 0, prs["number"][np.maximum(pr_of, 0)], -1)),
        }
    )
    deployments = delivery.deployments
    environments = np.array(["staging", "production", "prod"])
    deployment_table = pa.table(
        {
            "repo": repo_names.take(pa.array(deployments["repo"])),
            "deployment_id": deployments["id"],
            "sha": delivery.deploy_sha,
            "environment": environments[deployments["environment"]].tolist(),
            "status": [DEPLOY_STATUS[s] for s in deployments["status"]],
            "started_at": timestamps(deployments["started"]),
            "finished_at": timestamps(deployments["finished"]),
        }
    )
    return {
        "pull_requests": _parquet(out / "pull_requests" / "pull_requests.parquet", pull_requests),
        "pr_reviews": _parquet(out / "pr_reviews" / "pr_reviews.parquet", pr_reviews),
        "commits": _parquet(out / "commits" / "commits.parquet", commit_table),
        "deployments": _parquet(out / "deployments" / "deployments.parquet", deployment_table),
    }


def _local_iso(utc_us: int, zone: ZoneInfo) -> str | None:
    if utc_us < 0:
        return None
    return datetime.fromtimestamp(utc_us / 1_000_000, tz=UTC).astimezone(zone).isoformat(timespec="seconds")


def _write_incidents(out: Path, org: Org, delivery: Delivery) -> int:
    incidents = delivery.incidents
    path = out / "incidents" / "incidents.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    zones = [ZoneInfo(name) for name in cat.ZONES]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(len(incidents["service"])):
            service = int(incidents["service"][i])
            zone = zones[org.team_zone[org.service_team[service]]]
            deployment = int(incidents["deployment"][i])
            record = {
                "incident_id": f"INC-{20000 + i}",
                "service": org.services[service],
                "title": f"{org.services[service]}: {cat.INCIDENT_WORDS[incidents['title'][i]]}",
                "severity": SEVERITIES[incidents["severity"][i]],
                "created_at": _local_iso(int(incidents["created"][i]), zone),
                "acknowledged_at": _local_iso(int(incidents["acknowledged"][i]), zone),
                "resolved_at": _local_iso(int(incidents["resolved"][i]), zone),
                "responder_email": org.email[incidents["responder"][i]]
                if incidents["resolved"][i] >= 0
                else None,
                "caused_by_deployment_id": deployment if deployment >= 0 else None,
                "repo": org.repos[incidents["repo"][i]] if deployment >= 0 else None,
            }
            handle.write(json.dumps(record) + "\n")
    return len(incidents["service"])


def write_events(out: Path, monday: str, tables: dict[str, list[tuple[str, pa.Table]]]) -> int:
    written = 0
    for tool, parts in tables.items():
        folder = out / "ai_usage_events" / f"tool={tool}" / f"week={monday}"
        for name, table in parts:
            written += _parquet(folder / f"{name}.parquet", table)
    return written
