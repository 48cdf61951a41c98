"""Write the Harbor organisation's landing zone and its ground truth, week by week."""

from __future__ import annotations

import csv
import json
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.generator.harbor.delivery import BOT_EMAIL, BOT_LOGIN, DAY, Counters, Week, simulate_week
from orchestration.generator.harbor.org import (
    PERSONA_KINDS,
    PERSONA_NAMES,
    STYLES,
    TOOLS,
    Org,
    P,
    build_org,
    epoch_seconds,
)
from orchestration.generator.harbor.usage import (
    KINDS,
    MODELS,
    Sessions,
    cost_usd,
    expand,
    performative_sessions,
    plan_week,
    total_tokens,
)

FAMILY = "harbor"
TABLES = (
    "people", "teams", "repositories", "services", "identities", "model_prices", "ai_usage_events",
    "pull_requests", "pr_reviews", "commits", "deployments", "incidents",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Share of a week's usage events exported a second time; of those, the share that comes back corrected.
REPLAY_SHARE = 0.01
CORRECTED_SHARE = 0.4
#: Share of Copilot's usage events that land a week late.
LATE_SHARE = 0.03


@dataclass
class HarborSummary:
    out_dir: Path
    engineers: int
    people: int
    weeks: int
    seed: int
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    replayed: dict[str, int] = field(default_factory=dict)
    persona_weeks: dict[str, int] = field(default_factory=dict)
    inflated_weeks: dict[str, int] = field(default_factory=dict)

    def render(self) -> str:
        lines = [
            f"Generated {self.out_dir} (family harbor): {self.engineers:,} engineers "
            f"({self.people:,} people), "
            f"{self.weeks} weeks, seed {self.seed}, in {self.seconds:.1f}s",
            "",
            f"{'table':<18} {'rows':>12} {'replayed':>9}",
        ]
        for name in TABLES:
            lines.append(f"{name:<18} {self.rows.get(name, 0):>12,} {self.replayed.get(name, 0):>9,}")
        lines += ["", f"{'persona':<22} {'weeks':>7} {'inflated':>9}"]
        for name in PERSONA_NAMES:
            lines.append(
                f"{name:<22} {self.persona_weeks.get(name, 0):>7,} {self.inflated_weeks.get(name, 0):>9,}"
            )
        lines.append(f"\nGround truth: {self.out_dir / '_ground_truth'}")
        return "\n".join(lines)


class _Writer:
    """Writes files and gives each a modification time in writing order, so the landing order that
    ingest sees (modification time, then path) is the order the simulation produced them in."""

    def __init__(self, out: Path, base_seconds: int) -> None:
        self.out = out
        self.next_ns = base_seconds * 1_000_000_000
        self.rows: dict[str, int] = {}

    def _landed(self, path: Path, table: str, rows: int) -> None:
        os.utime(path, ns=(self.next_ns, self.next_ns))
        self.next_ns += 1_000_000_000
        self.rows[table] = self.rows.get(table, 0) + rows

    def path(self, table: str, relative: str) -> Path:
        path = self.out / table / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def parquet(self, table: str, relative: str, data: pa.Table) -> None:
        path = self.path(table, relative)
        pq.write_table(data, path, compression="zstd", row_group_size=1 << 20)
        self._landed(path, table, data.num_rows)

    def csv(self, table: str, relative: str, header: list[str], rows: list[list[object]]) -> None:
        path = self.path(table, relative)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(["" if value is None else value for value in row] for row in rows)
        self._landed(path, table, len(rows))

    def jsonl(self, table: str, relative: str, rows: list[dict[str, object]]) -> None:
        path = self.path(table, relative)
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, separators=(",", ":")) + "\n")
        self._landed(path, table, len(rows))


def _iso(seconds: np.ndarray, offsets: np.ndarray | None = None) -> list[str | None]:
    """ISO-8601 strings: UTC with `Z`, or wall-clock time with the given offsets; None for -1."""
    seconds = np.asarray(seconds, dtype=np.int64)
    shift = np.zeros(len(seconds), dtype=np.int64) if offsets is None else np.asarray(offsets, dtype=np.int64)
    text = np.datetime_as_string((seconds + shift).astype("datetime64[s]"), unit="s")
    if offsets is None:
        suffix = np.full(len(seconds), "Z", dtype=object)
    else:
        sign = np.where(shift < 0, "-", "+")
        minutes = np.abs(shift) // 60
        suffix = np.array([f"{s}{m // 60:02d}:{m % 60:02d}" for s, m in zip(sign, minutes, strict=True)])
    return [None if s < 0 else f"{t}{z}" for s, t, z in zip(seconds, text, suffix, strict=True)]


def _timestamps(seconds: np.ndarray) -> pa.Array:
    seconds = np.asarray(seconds, dtype=np.int64)
    return pa.array(seconds * 1_000_000, type=pa.int64(), mask=seconds < 0).cast(pa.timestamp("us", tz="UTC"))


def _dictionary(indices: np.ndarray, values: list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(indices, type=pa.int32()), pa.array(values, type=pa.string())
    )


def _prompt_hashes(ids: np.ndarray, seed: int) -> pa.Array:
    """Stable 16-hex prompt hashes of prompt ids (a splitmix64 of id and seed)."""
    unique, inverse = np.unique(ids, return_inverse=True)
    with np.errstate(over="ignore"):
        z = unique.astype(np.uint64) + np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return _dictionary(inverse, [f"{int(value):016x}" for value in z])


def _events_table(org: Org, events: dict[str, np.ndarray], week: int, session_names: list[str]) -> pa.Table:
    tool = events["tool"]
    actors = org.accounts[events["person"], tool]
    if (actors == "").any():
        raise RuntimeError("a usage event has no tool account")
    actor_values, actor_index = np.unique(actors.astype(str), return_inverse=True)
    cost = cost_usd(events)
    # Cursor bills per request; the other tools leave pricing to the warehouse
    billed = tool == TOOLS.index("cursor")
    return pa.table(
        {
            "event_id": pa.array([f"hb-{week:03d}-{i:08d}" for i in events["row"]], type=pa.string()),
            "occurred_at": _timestamps(events["occurred_at"]),
            "source_tool": _dictionary(tool, list(TOOLS)),
            "actor_id": _dictionary(actor_index, actor_values.tolist()),
            "session_id": _dictionary(events["session"], session_names),
            "model": _dictionary(events["model"], [name for name, *_ in MODELS]),
            "request_kind": _dictionary(events["kind"], list(KINDS)),
            "input_tokens": pa.array(events["input_tokens"], type=pa.int64()),
            "cached_input_tokens": pa.array(events["cached_input_tokens"], type=pa.int64()),
            "cache_write_tokens": pa.array(events["cache_write_tokens"], type=pa.int64()),
            "output_tokens": pa.array(events["output_tokens"], type=pa.int64()),
            "cost_usd": pa.array(np.round(cost, 6), type=pa.float64(), mask=~billed),
            "prompt_hash": _prompt_hashes(events["prompt"], org.seed),
            "lines_suggested": pa.array(events["lines_suggested"], type=pa.int64()),
            "lines_accepted": pa.array(events["lines_accepted"], type=pa.int64()),
        }
    )


def _json_rows(table: pa.Table) -> list[dict[str, object]]:
    """Rows of a table for JSON lines, timestamps as ISO-8601 strings in UTC."""
    rows = table.to_pylist()
    for row in rows:
        for name, value in row.items():
            if isinstance(value, datetime):
                row[name] = value.isoformat().replace("+00:00", "Z")
    return rows


def _subset(columns: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {name: values[rows] for name, values in columns.items()}


def _week_index(seconds: np.ndarray, t0: int) -> np.ndarray:
    return np.floor_divide(np.asarray(seconds, dtype=np.int64) - t0, 7 * DAY)


class _Truth:
    """Per person and week counts of what the landed data holds, the last-landed copy of each key."""

    def __init__(self, org: Org, t0: int) -> None:
        self.org, self.t0 = org, t0
        shape = (org.people, org.weeks)
        self.counts = {
            name: np.zeros(shape, dtype=np.int64)
            for name in ("ai_total_tokens", "prs_merged", "commits", "reviews_given", "incidents_resolved")
        }
        self.inflation_events = np.zeros(shape, dtype=np.int64)

    def add(
        self, name: str, person: np.ndarray, seconds: np.ndarray, weights: np.ndarray | None = None
    ) -> None:
        week = _week_index(seconds, self.t0)
        keep = (person >= 0) & (week >= 0) & (week < self.org.weeks) & (np.asarray(seconds) >= 0)
        flat = person[keep] * self.org.weeks + week[keep]
        size = self.org.people * self.org.weeks
        values = None if weights is None else weights[keep]
        target = self.inflation_events if name == "inflation" else self.counts[name]
        target += np.bincount(flat, weights=values, minlength=size).reshape(target.shape).astype(np.int64)

    def table(self) -> pa.Table:
        org = self.org
        employed = org.employed_weeks() & org.is_engineer[:, None]
        person, week = np.nonzero(employed)
        persona = org.persona[person]
        style_of = {P[name]: name for name in STYLES}
        inflated = self.inflation_events[person, week] > 0
        monday = [org.start + timedelta(days=7 * int(w)) for w in week]
        return pa.table(
            {
                "employee_id": pa.array([org.employee_ids[p] for p in person], type=pa.string()),
                "week_start": pa.array(monday, type=pa.date32()),
                "persona": pa.array([PERSONA_NAMES[k] for k in persona], type=pa.string()),
                "persona_kind": pa.array([PERSONA_KINDS[k] for k in persona], type=pa.string()),
                "is_inflated": pa.array(inflated, type=pa.bool_()),
                "inflation_style": pa.array(
                    [style_of[k] if flag else None for k, flag in zip(persona, inflated, strict=True)],
                    type=pa.string(),
                ),
                **{
                    name: pa.array(values[person, week], type=pa.int64())
                    for name, values in self.counts.items()
                },
            }
        )


def _static_tables(org: Org, writer: _Writer) -> None:
    horizon = org.weeks * 7
    teams = zip(org.team_ids, org.team_names, org.team_departments, strict=True)
    writer.csv("teams", "teams.csv", ["team_id", "team_name", "department"], [list(team) for team in teams])
    rows = []
    for i in range(org.people):
        hired = org.start + timedelta(days=int(org.hired_day[i]))
        left = org.start + timedelta(days=int(org.left_day[i])) if org.left_day[i] < horizon else None
        rows.append(
            [
                org.employee_ids[i], org.emails[i], org.full_names[i], org.team_ids[org.team[i]],
                org.manager[i], org.roles[i], org.zone_names[org.zone[i]], hired.isoformat(),
                left.isoformat() if left else None, f"{org.loaded_cost[i]:.2f}",
            ]
        )  # fmt: skip
    writer.csv(
        "people", "roster.csv",
        ["employee_id", "email", "full_name", "team_id", "manager_employee_id", "role", "timezone",
         "hired_on", "left_on", "annual_loaded_cost_usd"],
        rows,
    )  # fmt: skip
    writer.csv("repositories", "repositories.csv", ["repo", "team_id"],
               [[r, org.team_ids[t]] for r, t in zip(org.repos, org.repo_team, strict=True)])  # fmt: skip
    services = zip(org.services, org.service_team, strict=True)
    writer.jsonl(
        "services", "services.jsonl", [{"service": s, "team_id": org.team_ids[t]} for s, t in services]
    )
    identities = []
    for i in range(org.people):
        identities.append(["github", org.logins[i], org.employee_ids[i]])
        for tool, name in enumerate(TOOLS):
            account = org.accounts[i, tool]
            if account and (account != org.emails[i] or i % 3 == 0):
                identities.append([name, account, org.employee_ids[i]])
    writer.csv("identities", "identities.csv", ["source_system", "account_id", "employee_id"], identities)
    writer.csv(
        "model_prices", "prices.csv",
        ["model", "effective_from", "input_usd_per_mtok", "cached_input_usd_per_mtok",
         "cache_write_usd_per_mtok", "output_usd_per_mtok"],
        [[name, "2025-01-01", *prices] for name, *prices in MODELS],
    )  # fmt: skip


def _login(org: Org, person: np.ndarray) -> list[str]:
    return [BOT_LOGIN if p < 0 else org.logins[p] for p in person]


def _pull_rows(org: Org, prs: dict[str, np.ndarray], rows: np.ndarray, cutoff: int | None) -> pa.Table:
    """The pull requests as an export taken at `cutoff` sees them (None = their final state)."""

    def seen(values: np.ndarray) -> np.ndarray:
        values = values[rows]
        return values if cutoff is None else np.where(values <= cutoff, values, -1)

    merged = seen(prs["merged_at"])
    return pa.table(
        {
            "repo": pa.array([org.repos[r] for r in prs["repo"][rows]], type=pa.string()),
            "pr_number": pa.array(prs["pr_number"][rows], type=pa.int64()),
            "author_login": pa.array(_login(org, prs["author"][rows]), type=pa.string()),
            "title": pa.array(prs["title"][rows].tolist(), type=pa.string()),
            "created_at": _timestamps(prs["created_at"][rows]),
            "ready_for_review_at": _timestamps(seen(prs["ready_for_review_at"])),
            "first_commit_at": _timestamps(prs["first_commit_at"][rows]),
            "merged_at": _timestamps(merged),
            "closed_at": _timestamps(seen(prs["closed_at"])),
            "additions": pa.array(prs["additions"][rows], type=pa.int64()),
            "deletions": pa.array(prs["deletions"][rows], type=pa.int64()),
            "changed_files": pa.array(prs["changed_files"][rows], type=pa.int64()),
            "base_branch": pa.array(["main"] * len(rows), type=pa.string()),
            "merge_commit_sha": pa.array(
                [
                    sha if m > 0 else None
                    for sha, m in zip(prs["merge_commit_sha"][rows], merged, strict=True)
                ],
                type=pa.string(),
            ),
            "labels": pa.array([label or None for label in prs["labels"][rows]], type=pa.string()),
        }
    )


def _incident_rows(org: Org, inc: dict[str, np.ndarray], rows: np.ndarray, cutoff: int | None) -> list[dict]:
    def seen(values: np.ndarray) -> np.ndarray:
        values = values[rows]
        return values if cutoff is None else np.where(values <= cutoff, values, -1)

    resolved = seen(inc["resolved_at"])
    created = _iso(inc["created_at"][rows])
    acked = _iso(seen(inc["acknowledged_at"]))
    resolved_text = _iso(resolved)
    out = []
    for k, j in enumerate(rows):
        service = org.services[inc["service"][j]]
        out.append(
            {
                "incident_id": inc["incident_id"][j],
                "service": service,
                "title": f"{service}: {'error rate' if k % 2 else 'latency'} above objective",
                "severity": str(inc["severity"][j]),
                "created_at": created[k],
                "acknowledged_at": acked[k],
                "resolved_at": resolved_text[k],
                "responder_email": org.emails[inc["responder"][j]] if resolved[k] > 0 else None,
                "caused_by_deployment_id": inc["caused_by_deployment_id"][j],
                "repo": inc["repo"][j],
            }
        )
    return out


class _Landing:
    """One organisation's landing zone as it is written: the week's delivery files, the week's usage
    files, then the refreshes and the ground truth. It keeps what runs across weeks (numbering,
    rows still to land late, what the refreshes must restate)."""

    def __init__(self, out: Path, org: Org) -> None:
        self.org = org
        self.t0 = epoch_seconds(org.start)
        self.end = self.t0 + org.weeks * 7 * DAY
        self.writer = _Writer(out, self.end + 2 * DAY)
        self.truth = _Truth(org, self.t0)
        self.counters = Counters(pr_number=np.zeros(len(org.repos), dtype=np.int64))
        self.replayed = {"ai_usage_events": 0, "pull_requests": 0, "incidents": 0}
        self.prs: list[dict[str, np.ndarray]] = []
        self.incidents: list[dict[str, np.ndarray]] = []
        self.crunch_factor = np.random.default_rng([org.seed, 0xC0]).uniform(1.6, 2.1, org.weeks)
        self.session_base = 0
        self.late_events: pa.Table | None = None
        self.late_rows = 0

    def _folder(self, week: int) -> str:
        return f"week={(self.org.start + timedelta(days=7 * week)).isoformat()}"

    def week(self, week: int) -> None:
        week_end = self.t0 + (week + 1) * 7 * DAY - 1
        delivery = simulate_week(
            self.org, week, np.random.default_rng([self.org.seed, week, 1]), self.counters, self.t0
        )
        self._pull_requests(week, delivery.prs, week_end)
        self._commits(week, delivery.commits)
        self._reviews(week, delivery.reviews, delivery.prs)
        self._deployments(week, delivery.deployments)
        self._incidents(week, delivery.incidents, week_end)
        self._usage(week, delivery, week_end)

    def _pull_requests(self, week: int, prs: dict[str, np.ndarray], week_end: int) -> None:
        """Pull requests as the weekly export saw them; their final state lands in a later refresh."""
        self.prs.append({**prs, "exported_at": np.full(len(prs["repo"]), week_end)})
        rows = _pull_rows(self.org, prs, np.arange(len(prs["repo"])), week_end)
        self.writer.parquet("pull_requests", f"{self._folder(week)}/pulls.parquet", rows)
        human = prs["author"] >= 0
        self.truth.add("prs_merged", prs["author"][human], prs["merged_at"][human])

    def _commits(self, week: int, commits: dict[str, np.ndarray]) -> None:
        org, author = self.org, commits["author"]
        local_day = _week_index(commits["authored_at"], self.t0) * 7
        offsets = np.where(author >= 0, org.offset(org.zone[np.maximum(author, 0)], local_day), 0)
        authored = _iso(commits["authored_at"], offsets)
        committed = _iso(commits["committed_at"])
        rows = []
        for j in range(len(author)):
            person = int(author[j])
            rows.append(
                {
                    "repo": org.repos[commits["repo"][j]],
                    "sha": commits["sha"][j],
                    "author_email": BOT_EMAIL if person < 0 else org.emails[person],
                    # every tenth commit's email is linked to no GitHub account
                    "author_login": BOT_LOGIN if person < 0 else (org.logins[person] if j % 10 else None),
                    "authored_at": authored[j],
                    "committed_at": committed[j],
                    "message": commits["message"][j],
                    "additions": int(commits["additions"][j]),
                    "deletions": int(commits["deletions"][j]),
                    "pr_number": int(commits["pr_number"][j]),
                }
            )
        self.writer.jsonl("commits", f"{self._folder(week)}/commits.jsonl", rows)
        self.truth.add("commits", author, commits["authored_at"])

    def _reviews(self, week: int, reviews: dict[str, np.ndarray], prs: dict[str, np.ndarray]) -> None:
        org = self.org
        pr_author = {
            (int(r), int(number)): int(a)
            for r, number, a in zip(prs["repo"], prs["pr_number"], prs["author"], strict=True)
        }
        review_pr_author = np.array(
            [pr_author[(int(r), int(k))] for r, k in zip(reviews["repo"], reviews["pr_number"], strict=True)],
            dtype=np.int64,
        )
        submitted = _iso(reviews["submitted_at"])
        self.writer.csv(
            "pr_reviews", f"{self._folder(week)}/reviews.csv",
            ["repo", "pr_number", "review_id", "reviewer_login", "state", "submitted_at"],
            [
                [org.repos[reviews["repo"][j]], int(reviews["pr_number"][j]), reviews["review_id"][j],
                 org.logins[reviews["reviewer"][j]], reviews["state"][j], submitted[j]]
                for j in range(len(reviews["repo"]))
            ],
        )  # fmt: skip
        given = reviews["reviewer"] != review_pr_author
        self.truth.add("reviews_given", reviews["reviewer"][given], reviews["submitted_at"][given])

    def _deployments(self, week: int, dep: dict[str, np.ndarray]) -> None:
        repos = self.org.repos
        started, finished = _iso(dep["started_at"]), _iso(dep["finished_at"])
        self.writer.csv(
            "deployments", f"{self._folder(week)}/deployments.csv",
            ["repo", "deployment_id", "sha", "environment", "status", "started_at", "finished_at"],
            [
                [repos[dep["repo"][j]], dep["deployment_id"][j], dep["sha"][j], dep["environment"][j],
                 dep["status"][j], started[j], finished[j]]
                for j in range(len(dep["repo"]))
            ],
        )  # fmt: skip

    def _incidents(self, week: int, inc: dict[str, np.ndarray], week_end: int) -> None:
        self.incidents.append({**inc, "exported_at": np.full(len(inc["service"]), week_end)})
        rows = _incident_rows(self.org, inc, np.arange(len(inc["service"])), week_end)
        self.writer.jsonl("incidents", f"{self._folder(week)}/incidents.jsonl", rows)
        resolved = inc["resolved_at"] > 0
        self.truth.add("incidents_resolved", inc["responder"][resolved], inc["resolved_at"][resolved])

    def _usage(self, week: int, delivery: Week, week_end: int) -> None:
        """AI usage: everything but the performative top-ups, then those against the week's totals."""
        org, t0, seed = self.org, self.t0, self.org.seed
        rng = np.random.default_rng([seed, week, 2])
        crunch = float(self.crunch_factor[week]) if org.crunch_weeks[week] else 1.0
        sessions = plan_week(
            org, week, rng, t0, delivery.night_incidents, delivery.prototypes, delivery.staff_reviews, crunch
        )
        columns = sessions.columns()
        events = expand(rng, columns)
        in_week = (events["occurred_at"] >= t0 + week * 7 * DAY) & (events["occurred_at"] <= week_end)
        so_far = np.bincount(
            events["person"][in_week], weights=total_tokens(events)[in_week], minlength=org.people
        )
        top_ups = Sessions.empty()
        performative_sessions(org, week, rng, t0, so_far, top_ups)
        sessions_made = len(columns["count"])
        if top_ups.person:
            extra = top_ups.columns()
            more = expand(rng, extra)
            more["session"] += sessions_made
            events = {name: np.concatenate([events[name], more[name]]) for name in events}
            sessions_made += len(extra["count"])
        events = _subset(
            events, np.flatnonzero((events["occurred_at"] >= t0) & (events["occurred_at"] < self.end))
        )
        events = _subset(events, np.argsort(events["occurred_at"], kind="stable"))
        n = len(events["occurred_at"])
        events["row"] = np.arange(n)
        used, events["session"] = np.unique(events["session"], return_inverse=True)
        session_names = [f"hs-{self.session_base + int(k):09d}" for k in used]
        self.session_base += sessions_made

        # Copilot's metrics settle days later: a few of its rows land only with next week's files
        folder = self._folder(week)
        if self.late_events is not None:
            self.writer.parquet("ai_usage_events", f"late/{folder}/events.parquet", self.late_events)
        landed = _events_table(org, events, week, session_names)
        is_late = (events["tool"] == TOOLS.index("copilot")) & (
            np.random.default_rng([seed, week, 4]).random(n) < LATE_SHARE
        )
        self.writer.parquet("ai_usage_events", f"{folder}/events.parquet", landed.filter(pa.array(~is_late)))
        self.late_events = landed.filter(pa.array(is_late))
        self.late_rows += self.late_events.num_rows

        # a replayed export of some of the week's events, a share of them corrected; a replay
        # always follows its original, so no late row is replayed
        replay_rng = np.random.default_rng([seed, week, 3])
        picked = np.flatnonzero((replay_rng.random(n) < REPLAY_SHARE) & ~is_late)
        corrected = picked[replay_rng.random(len(picked)) < CORRECTED_SHARE]
        events["output_tokens"][corrected] = np.round(
            events["output_tokens"][corrected] * replay_rng.uniform(0.7, 1.3, len(corrected))
        ).astype(np.int64)
        if len(picked):
            again = _events_table(org, _subset(events, picked), week, session_names)
            self.writer.jsonl("ai_usage_events", f"replays/{folder}/events.jsonl", _json_rows(again))
            self.replayed["ai_usage_events"] += len(picked)
        tokens = total_tokens(events).astype(np.float64)
        self.truth.add("ai_total_tokens", events["person"], events["occurred_at"], tokens)
        styled = events["style"] >= 0
        self.truth.add("inflation", events["person"][styled], events["occurred_at"][styled])

    def finish(self) -> None:
        """The rows still to land: late usage events, then the refreshed pull requests and incidents
        whose state changed after the weekly export that carried them."""
        org, writer = self.org, self.writer
        if self.late_events is not None:
            writer.parquet(
                "ai_usage_events", f"late/{self._folder(org.weeks)}/events.parquet", self.late_events
            )
        prs = {name: np.concatenate([week_prs[name] for week_prs in self.prs]) for name in self.prs[0]}
        cutoff = prs["exported_at"]
        changed = np.flatnonzero(
            (prs["merged_at"] > cutoff) | (prs["closed_at"] > cutoff) | (prs["ready_for_review_at"] > cutoff)
        )
        writer.jsonl("pull_requests", "refresh/pulls.jsonl", _json_rows(_pull_rows(org, prs, changed, None)))
        self.replayed["pull_requests"] = len(changed)
        inc = {
            name: np.concatenate([week_inc[name] for week_inc in self.incidents])
            for name in self.incidents[0]
        }
        cutoff = inc["exported_at"]
        changed = np.flatnonzero((inc["resolved_at"] > cutoff) | (inc["acknowledged_at"] > cutoff))
        writer.jsonl("incidents", "refresh/incidents.jsonl", _incident_rows(org, inc, changed, None))
        self.replayed["incidents"] = len(changed)

    def ground_truth(self, truth_dir: Path) -> tuple[dict[str, int], dict[str, int]]:
        """Write the truth and the manifest; returns engineer-weeks and inflated weeks per persona."""
        org = self.org
        table = self.truth.table()
        truth_dir.mkdir()
        pq.write_table(table, truth_dir / "engineer_weeks.parquet")
        personas = table.column("persona").to_numpy(zero_copy_only=False)
        inflated = table.column("is_inflated").to_numpy(zero_copy_only=False)
        persona_weeks = {name: int((personas == name).sum()) for name in PERSONA_NAMES}
        inflated_weeks = {name: int(((personas == name) & inflated).sum()) for name in PERSONA_NAMES}
        engineer_persona = org.persona[org.is_engineer]
        manifest = {
            "family": FAMILY,
            "seed": org.seed,
            "engineers": int(org.is_engineer.sum()),
            "people": org.people,
            "weeks": org.weeks,
            "start": org.start.isoformat(),
            "leaderboard_snapshot": {
                "weekday": WEEKDAYS[int(org.snapshot["weekday"])],
                "hour": org.snapshot["hour"],
                "timezone": org.snapshot["timezone"],
            },
            "release_crunch_weeks": [
                (org.start + timedelta(days=7 * int(w))).isoformat() for w in np.flatnonzero(org.crunch_weeks)
            ],
            "engineers_per_persona": {
                name: int((engineer_persona == k).sum()) for k, name in enumerate(PERSONA_NAMES)
            },
            "engineer_weeks_per_persona": persona_weeks,
            "inflated_weeks_per_style": {name: inflated_weeks[name] for name in STYLES},
            "rows": self.writer.rows,
            "replayed_rows": self.replayed,
            "late_usage_events": self.late_rows,
        }
        (truth_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for path in (truth_dir / "engineer_weeks.parquet", truth_dir / "manifest.json"):
            os.utime(path, ns=(self.writer.next_ns, self.writer.next_ns))
        return persona_weeks, inflated_weeks


def generate(
    out: Path,
    *,
    engineers: int,
    weeks: int,
    seed: int,
    start: date | None = None,
    progress: bool = False,
) -> HarborSummary:
    """Write a Harbor organisation into `out` (which must be empty or absent) and its ground truth
    into `out/_ground_truth/`."""
    began = time.perf_counter()
    out = Path(out)
    if engineers < 1 or weeks < 1:
        raise ValueError("engineers and weeks must be at least 1")
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} is not empty")
    start = start or date(2026, 5, 4)
    if start.weekday() != 0:
        raise ValueError(f"{start} is not a Monday")
    out.mkdir(parents=True, exist_ok=True)
    org = build_org(engineers, weeks, seed, start)
    landing = _Landing(out, org)
    _static_tables(org, landing.writer)
    for week in range(weeks):
        if progress:
            print(f"\rharbor: week {week + 1}/{weeks}", end="", flush=True)
        landing.week(week)
    landing.finish()
    persona_weeks, inflated_weeks = landing.ground_truth(out / "_ground_truth")
    if progress:
        print()
    return HarborSummary(
        out_dir=out,
        engineers=engineers,
        people=org.people,
        weeks=weeks,
        seed=seed,
        seconds=time.perf_counter() - began,
        rows=dict(landing.writer.rows),
        replayed=landing.replayed,
        persona_weeks=persona_weeks,
        inflated_weeks=inflated_weeks,
    )
