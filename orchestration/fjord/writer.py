"""Write Fjord's landing zone (CONTRACT.md section 1) and its ground truth.

Layout: the roster and ownership tables as CSV (as the HR system and the service catalogue export
them), identities and the engineering tables as Parquet per month, deployments and incidents as
JSON lines with local-time offsets, AI usage as Parquet per tool and UTC week, plus one re-export of
a slice of Cursor usage that lands a second time (its rows must not be counted twice).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.fjord.calendar import DAY, Calendar
from orchestration.fjord.catalog import (
    DISCOUNTED,
    KINDS,
    MODELS,
    NO_CACHE_COLUMNS,
    NO_CACHE_WRITE,
    NO_LINES,
    NO_SESSION,
    PRICES,
    PRICES_FROM,
    REPORTS_COST,
    TOOLS,
    price_change_week,
)
from orchestration.fjord.delivery import BOTS, Delivery
from orchestration.fjord.org import DEPARTMENTS, Org
from orchestration.fjord.usage import mix64

TABLES = (
    "people",
    "teams",
    "identities",
    "repositories",
    "services",
    "model_prices",
    "pull_requests",
    "pr_reviews",
    "commits",
    "deployments",
    "incidents",
    "ai_usage_events",
)
TRUTH_FOLDER = "_ground_truth"
UTC_TS = pa.timestamp("us", tz="UTC")
MONEY = pa.decimal128(18, 6)


def _us(moment: float | None) -> int | None:
    return None if moment is None else round(moment * 1_000_000)


def _date(cal: Calendar, day: int | None) -> str:
    return "" if day is None else cal.date_of(day).isoformat()


def _stamp(path: Path, moment: float) -> None:
    """Give a file the modification time it would have had when it landed."""
    os.utime(path, (moment, moment))


def _write_csv(path: Path, header: list[str], rows: Iterable[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def _write_parquet(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)


_MONTHS: dict[int, str] = {}


def _month(moment: float) -> str:
    day = int(moment // DAY)
    if day not in _MONTHS:
        _MONTHS[day] = datetime.fromtimestamp(day * DAY, tz=UTC).strftime("%Y-%m")
    return _MONTHS[day]


def clear(out: Path) -> None:
    """Remove what an earlier run wrote here (only the folders this writer owns)."""
    import shutil

    for name in (*TABLES, TRUTH_FOLDER):
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)


def write_reference(out: Path, org: Org, cal: Calendar) -> None:
    people = org.people
    dept_name = {d[0]: d[1] for d in DEPARTMENTS}
    _write_csv(
        out / "people" / "hr_roster.csv",
        [
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
        ],
        (
            [
                p.employee_id,
                p.email,
                p.full_name,
                org.teams[p.team].team_id,
                p.manager_employee_id,
                p.role,
                p.zone,
                _date(cal, p.hired_day),
                _date(cal, p.left_day),
                f"{p.annual_cost:.2f}",
            ]
            for p in sorted(people, key=lambda p: p.employee_id)
        ),
    )
    _write_csv(
        out / "teams" / "teams.csv",
        ["team_id", "team_name", "department"],
        ([t.team_id, t.name, dept_name[t.department]] for t in org.teams),
    )
    _write_csv(
        out / "repositories" / "catalogue.csv",
        ["repo", "team_id"],
        ([r.name, org.teams[r.team].team_id] for r in org.repos),
    )
    _write_csv(
        out / "services" / "catalogue.csv",
        ["service", "team_id"],
        ([s.name, org.teams[s.team].team_id] for s in org.services),
    )
    rows = []
    for p in sorted(people, key=lambda p: p.employee_id):
        rows.append(("github", p.login, p.employee_id))
        rows.append(("copilot", p.login, p.employee_id))
        if p.has_claude and int(mix64(np.array([p.idx]))[0] % np.uint64(10)) < 7:
            rows.append(("claude_code", p.email, p.employee_id))  # the rest are matched by email
        if p.api_key:
            rows.append(("openai_api", p.api_key, p.employee_id))
        rows.append(("internal_agent", agent_account(p.login), p.employee_id))
        rows.append(("pagerduty", _pagerduty_id(p.idx), p.employee_id))
    _write_parquet(
        out / "identities" / "identities.parquet",
        pa.table(
            {
                "source_system": pa.array([r[0] for r in rows], pa.string()),
                "account_id": pa.array([r[1] for r in rows], pa.string()),
                "employee_id": pa.array([r[2] for r in rows], pa.string()),
            }
        ),
    )
    change = price_change_week(cal.weeks)
    price_rows = [[m, PRICES_FROM.isoformat(), *(f"{v:.4f}" for v in PRICES[m])] for m in MODELS]
    if change is not None:
        when = cal.date_of(7 * change).isoformat()
        price_rows += [[m, when, *(f"{v:.4f}" for v in DISCOUNTED[m])] for m in sorted(DISCOUNTED)]
    _write_csv(
        out / "model_prices" / "negotiated_prices.csv",
        [
            "model",
            "effective_from",
            "input_usd_per_mtok",
            "cached_input_usd_per_mtok",
            "cache_write_usd_per_mtok",
            "output_usd_per_mtok",
        ],
        price_rows,
    )


def _pagerduty_id(idx: int) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    value = int(mix64(np.array([idx + 1_000_003]))[0]) % len(alphabet) ** 3 * len(alphabet) ** 3 + idx
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    chars = []
    for _ in range(6):
        value, digit = divmod(value, len(alphabet))
        chars.append(alphabet[digit])
    return "P" + "".join(chars)


def agent_account(login: str) -> str:
    return f"svc-skipper/{login}"


def write_delivery(out: Path, org: Org, cal: Calendar, d: Delivery) -> None:
    people, repos = org.people, org.repos

    def login(i: int, bot: int) -> str:
        return BOTS[bot][0] if bot >= 0 else people[i].login

    by_month: dict[str, list[int]] = {}
    for i, pr in enumerate(d.prs):
        by_month.setdefault(_month(pr.created), []).append(i)
    for month, idx in sorted(by_month.items()):
        prs = [
            d.prs[i] for i in sorted(idx, key=lambda i: (d.prs[i].created, d.prs[i].repo, d.prs[i].number))
        ]
        table = pa.table(
            {
                "repo": pa.array([repos[p.repo].name for p in prs], pa.string()),
                "pr_number": pa.array([p.number for p in prs], pa.int64()),
                "author_login": pa.array([login(p.author, p.bot) for p in prs], pa.string()),
                "title": pa.array([p.title for p in prs], pa.string()),
                "created_at": pa.array([_us(p.created) for p in prs], UTC_TS),
                "ready_for_review_at": pa.array([_us(p.ready) for p in prs], UTC_TS),
                "first_commit_at": pa.array([_us(p.first_commit) for p in prs], UTC_TS),
                "merged_at": pa.array([_us(p.merged) for p in prs], UTC_TS),
                "closed_at": pa.array([_us(p.closed) for p in prs], UTC_TS),
                "additions": pa.array([p.additions for p in prs], pa.int64()),
                "deletions": pa.array([p.deletions for p in prs], pa.int64()),
                "changed_files": pa.array([p.files for p in prs], pa.int64()),
                "base_branch": pa.array(["main"] * len(prs), pa.string()),
                "merge_commit_sha": pa.array([p.merge_sha for p in prs], pa.string()),
                "labels": pa.array([p.labels or None for p in prs], pa.string()),
            }
        )
        path = out / "pull_requests" / f"{month}.parquet"
        _write_parquet(path, table)
        _stamp(path, min(cal.end_epoch, max(p.created for p in prs)) + 6 * 3600)

    by_month = {}
    for i, r in enumerate(d.reviews):
        by_month.setdefault(_month(r.submitted), []).append(i)
    for month, idx in sorted(by_month.items()):
        rows = [
            d.reviews[i] for i in sorted(idx, key=lambda i: (d.reviews[i].submitted, d.reviews[i].review_id))
        ]
        table = pa.table(
            {
                "repo": pa.array([repos[d.prs[r.pr].repo].name for r in rows], pa.string()),
                "pr_number": pa.array([d.prs[r.pr].number for r in rows], pa.int64()),
                "review_id": pa.array([r.review_id for r in rows], pa.string()),
                "reviewer_login": pa.array([people[r.reviewer].login for r in rows], pa.string()),
                "state": pa.array([r.state for r in rows], pa.string()),
                "submitted_at": pa.array([_us(r.submitted) for r in rows], UTC_TS),
            }
        )
        _write_parquet(out / "pr_reviews" / f"{month}.parquet", table)

    by_month = {}
    for i, c in enumerate(d.commits):
        by_month.setdefault(_month(c.authored), []).append(i)
    for month, idx in sorted(by_month.items()):
        rows = [d.commits[i] for i in sorted(idx, key=lambda i: (d.commits[i].authored, d.commits[i].sha))]
        table = pa.table(
            {
                "repo": pa.array([repos[c.repo].name for c in rows], pa.string()),
                "sha": pa.array([c.sha for c in rows], pa.string()),
                "author_email": pa.array([c.email for c in rows], pa.string()),
                "author_login": pa.array([c.login for c in rows], pa.string()),
                "authored_at": pa.array([_us(c.authored) for c in rows], UTC_TS),
                "committed_at": pa.array([_us(c.committed) for c in rows], UTC_TS),
                "message": pa.array([c.message for c in rows], pa.string()),
                "additions": pa.array([c.additions for c in rows], pa.int64()),
                "deletions": pa.array([c.deletions for c in rows], pa.int64()),
                "pr_number": pa.array([c.pr_number for c in rows], pa.int64()),
            }
        )
        _write_parquet(out / "commits" / f"{month}.parquet", table)

    zone_of_repo = {r.idx: org.teams[r.team].country for r in repos}
    from orchestration.fjord.calendar import COUNTRY_ZONES

    by_month = {}
    for i, dep in enumerate(d.deployments):
        by_month.setdefault(_month(dep.started), []).append(i)
    for month, idx in sorted(by_month.items()):
        path = out / "deployments" / f"{month}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            for i in sorted(idx, key=lambda i: (d.deployments[i].started, d.deployments[i].deployment_id)):
                dep = d.deployments[i]
                zone = COUNTRY_ZONES[zone_of_repo[dep.repo]][0]
                record = {
                    "repo": repos[dep.repo].name,
                    "deployment_id": dep.deployment_id,
                    "sha": dep.sha,
                    "environment": dep.environment,
                    "status": dep.status,
                    "started_at": cal.iso_moment(dep.started, zone),
                    "finished_at": cal.iso_moment(dep.finished, zone),
                }
                handle.write(json.dumps(record) + "\n")

    path = out / "incidents" / "incidents.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for inc in d.incidents:
            record = {
                "incident_id": inc.incident_id,
                "service": org.services[inc.service].name,
                "title": inc.title,
                "severity": inc.severity,
                "created_at": cal.iso_moment(inc.created, "Europe/Oslo"),
                "acknowledged_at": cal.iso_moment(inc.acked, "Europe/Oslo"),
                "resolved_at": None if inc.resolved is None else cal.iso_moment(inc.resolved, "Europe/Oslo"),
                "responder_email": (
                    people[inc.responder].email if inc.responder >= 0 and inc.resolved is not None else None
                ),
                "caused_by_deployment_id": inc.caused_by,
                "repo": repos[inc.repo].name if inc.repo >= 0 else None,
            }
            handle.write(json.dumps(record) + "\n")


def _hex(values: np.ndarray, prefix: str) -> list[str]:
    return [f"{prefix}{v:016x}" for v in values.tolist()]


def write_usage(out: Path, org: Org, cal: Calendar, ev: dict[str, np.ndarray], seed: int) -> int:
    """AI usage events (sorted by time) per tool and UTC week; returns the number of rows written."""
    n = len(ev["ts"])
    salt = np.uint64(seed * 7_919 + 17)
    ids = mix64(np.arange(n, dtype=np.uint64) ^ (salt << np.uint64(40)))
    sessions = mix64(ev["session"].astype(np.uint64) ^ (salt << np.uint64(44)))
    week = ((ev["ts"] - cal.start_epoch) // (7 * DAY)).astype(np.int64)

    people = org.people
    actors = {
        "claude_code": [p.email for p in people],
        "cursor": [p.email for p in people],
        "copilot": [p.login for p in people],
        "openai_api": [p.api_key or f"{p.login}-dev" for p in people],
        "internal_agent": [agent_account(p.login) for p in people],
    }
    model_names = pa.array(MODELS, pa.string())
    kind_names = pa.array(KINDS, pa.string())
    change = price_change_week(cal.weeks)
    change_at = cal.week_start_epoch(change) if change is not None else np.inf
    base = np.array([PRICES[m] for m in MODELS])
    deal = np.array([DISCOUNTED.get(m, PRICES[m]) for m in MODELS])
    written = 0
    for t, tool in enumerate(TOOLS):
        sel = np.flatnonzero(ev["tool"] == t)
        if not len(sel):
            continue
        actor_names = pa.array(actors[tool], pa.string())
        bounds = np.searchsorted(week[sel], np.arange(cal.weeks + 1))
        for w in range(cal.weeks):
            idx = sel[bounds[w] : bounds[w + 1]]
            if not len(idx):
                continue
            table = _usage_table(
                tool, ev, idx, ids, sessions, actor_names, model_names, kind_names, base, deal, change_at
            )
            path = out / "ai_usage_events" / tool / f"{cal.date_of(7 * w).isoformat()}.parquet"
            _write_parquet(path, table)
            _stamp(path, cal.week_start_epoch(w + 1) + 5 * 3600)
            written += len(idx)
            if tool == "cursor" and w == cal.weeks // 2:
                replay = np.sort(np.flatnonzero((ids[idx] % np.uint64(33)) == np.uint64(0)))
                if len(replay):
                    again = (
                        out / "ai_usage_events" / tool / f"reexport-{cal.date_of(7 * w).isoformat()}.parquet"
                    )
                    _write_parquet(again, table.take(pa.array(replay)))
                    _stamp(again, cal.week_start_epoch(w + 1) + 3 * DAY)
    return written


def _usage_table(tool, ev, idx, ids, sessions, actor_names, model_names, kind_names, base, deal, change_at):
    ts = ev["ts"][idx]
    model = ev["model"][idx].astype(np.int64)
    kind = ev["kind"][idx].astype(np.int64)
    inp, cached, cw, out = (ev[k][idx] for k in ("inp", "cached", "cw", "out"))
    tab = kind == KINDS.index("tab")
    if tool == "cursor":
        event_ids = [
            f"{v >> 32:08x}-{(v >> 16) & 0xFFFF:04x}-4{v & 0xFFF:03x}-8{(v >> 52) & 0xFFF:03x}-{i:012x}"
            for v, i in zip(ids[idx].tolist(), idx.tolist(), strict=True)
        ]
    else:
        prefix = {
            "claude_code": "req_",
            "copilot": "cp_",
            "openai_api": "chatcmpl-",
            "internal_agent": "skp-",
        }[tool]
        event_ids = _hex(ids[idx], prefix)
    session_prefix = {
        "claude_code": "",
        "cursor": "conv_",
        "copilot": "cps_",
        "openai_api": "",
        "internal_agent": "run-",
    }
    if tool in NO_SESSION:
        session = pa.nulls(len(idx), pa.string())
    else:
        values = _hex(sessions[idx], session_prefix[tool])
        session = pa.array([None if t else s for s, t in zip(values, tab.tolist(), strict=True)], pa.string())
    hashes = ev["hash"][idx]
    if tool == "copilot":
        prompt = pa.nulls(len(idx), pa.string())
    else:
        second = mix64(hashes)
        prompt = pa.array(
            [
                None if h == 0 else f"{h:016x}{s:016x}"
                for h, s in zip(hashes.tolist(), second.tolist(), strict=True)
            ],
            pa.string(),
        )
    if tool in REPORTS_COST:
        price = np.where((ts >= change_at)[:, None], deal[model], base[model])
        cost = (inp * price[:, 0] + cached * price[:, 1] + cw * price[:, 2] + out * price[:, 3]) / 1e6
        cost_col = pa.array(np.round(cost, 6)).cast(MONEY, safe=False)
    else:
        cost_col = pa.nulls(len(idx), MONEY)
    lines = tool not in NO_LINES
    return pa.table(
        {
            "event_id": pa.array(event_ids, pa.string()),
            "occurred_at": pa.array(np.rint(ts * 1000).astype(np.int64) * 1000, UTC_TS),
            "source_tool": pa.array([tool] * len(idx), pa.string()),
            "actor_id": actor_names.take(pa.array(ev["person"][idx])),
            "session_id": session,
            "model": model_names.take(pa.array(model)),
            "request_kind": kind_names.take(pa.array(kind)),
            "input_tokens": pa.array(inp, pa.int64()),
            "cached_input_tokens": pa.nulls(len(idx), pa.int64())
            if tool in NO_CACHE_COLUMNS
            else pa.array(cached),
            "cache_write_tokens": pa.nulls(len(idx), pa.int64()) if tool in NO_CACHE_WRITE else pa.array(cw),
            "output_tokens": pa.array(out, pa.int64()),
            "cost_usd": cost_col,
            "prompt_hash": prompt,
            "lines_suggested": pa.array(ev["sugg"][idx].astype(np.int64))
            if lines
            else pa.nulls(len(idx), pa.int64()),
            "lines_accepted": pa.array(ev["acc"][idx].astype(np.int64))
            if lines
            else pa.nulls(len(idx), pa.int64()),
        }
    )


def write_truth(
    out: Path, cal: Calendar, org: Org, rows: dict[str, list], snapshots: list[list[str]]
) -> Path:
    folder = out / TRUTH_FOLDER
    table = pa.table(
        {
            "employee_id": pa.array(rows["employee_id"], pa.string()),
            "week_start": pa.array([cal.date_of(7 * w) for w in rows["week"]], pa.date32()),
            "persona": pa.array(rows["persona"], pa.string()),
            "persona_kind": pa.array(rows["persona_kind"], pa.string()),
            "is_inflated": pa.array(rows["is_inflated"], pa.bool_()),
            "inflation_style": pa.array(rows["inflation_style"], pa.string()),
            "team_id": pa.array(rows["team_id"], pa.string()),
            "department": pa.array(rows["department"], pa.string()),
            "ai_total_tokens": pa.array(rows["ai_total_tokens"], pa.int64()),
            "ai_events": pa.array(rows["ai_events"], pa.int64()),
            "inflated_tokens": pa.array(rows["inflated_tokens"], pa.int64()),
        }
    )
    path = folder / "engineer_weeks.parquet"
    _write_parquet(path, table)
    people = sorted(org.people, key=lambda p: p.employee_id)
    _write_parquet(
        folder / "people.parquet",
        pa.table(
            {
                "employee_id": [p.employee_id for p in people],
                "persona": [p.persona for p in people],
                "persona_kind": [p.kind for p in people],
                "inflation_style": [p.style for p in people],
                "department": [p.department for p in people],
                "team_id": [org.teams[p.team].team_id for p in people],
                "role": [p.role for p in people],
                "timezone": [p.zone for p in people],
                "hired_on": pa.array([cal.date_of(p.hired_day) for p in people], pa.date32()),
                "left_on": pa.array(
                    [None if p.left_day is None else cal.date_of(p.left_day) for p in people], pa.date32()
                ),
            }
        ),
    )
    _write_csv(
        folder / "leaderboard_snapshots.csv",
        ["captured_at_utc", "week_start", "departments", "schedule"],
        snapshots,
    )
    return path


def iso_utc(moment: float) -> str:
    return datetime.fromtimestamp(round(moment), tz=UTC).isoformat()
