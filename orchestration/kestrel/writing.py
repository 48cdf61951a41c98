"""Writing the landing zone: one folder per canonical table, Parquet files, usage partitioned by day.

Timestamps are written as Parquet timestamps without a zone, which the contract reads as UTC. Usage
events are written a day at a time as the simulation passes each UTC day; on a few days the AI gateway's
export job ran twice and re-delivered part of the day as a second file (``part-1.parquet``), identical
rows under the same keys, which the warehouse deduplicates.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from orchestration.kestrel.calendars import DAY_MS, OFFICES
from orchestration.kestrel.git import BOTS, Git
from orchestration.kestrel.org import AREAS, TOOLS, Org
from orchestration.kestrel.usage import KINDS, MODELS, PRICE_CHANGES, price_changes, tokens

CANONICAL = (
    "ai_usage_events", "people", "teams", "model_prices", "repositories", "services", "identities",
    "pull_requests", "pr_reviews", "commits", "deployments", "incidents",
)  # fmt: skip
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_SHIFTS = np.arange(60, -4, -4, dtype=np.uint64)


def mix64(x: np.ndarray) -> np.ndarray:
    """A bijective 64-bit mixer (the SplitMix64 finaliser): distinct inputs give distinct outputs."""
    x = np.asarray(x).astype(np.uint64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def hex_matrix(x: np.ndarray) -> np.ndarray:
    nibbles = (np.asarray(x, dtype=np.uint64)[:, None] >> _SHIFTS[None, :]) & np.uint64(0xF)
    return _HEX[nibbles.astype(np.intp)]


def _const(text: str, rows: int) -> np.ndarray:
    return np.tile(np.frombuffer(text.encode(), dtype=np.uint8), (rows, 1))


def uuid_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ha, hb = hex_matrix(a), hex_matrix(b)
    dash = _const("-", len(a))
    hb = hb.copy()
    hb[:, 0] = _HEX[4]  # version 4
    return np.hstack(
        [ha[:, :8], dash, ha[:, 8:12], dash, hb[:, :4], dash, hb[:, 4:8], dash, ha[:, 12:], hb[:, 8:]]
    )


def strings(
    rows: int, parts: list[tuple[np.ndarray, np.ndarray]], valid: np.ndarray | None = None
) -> pa.Array:
    """A string array of ``rows`` built from (row indices, fixed-width byte matrix) groups."""
    lengths = np.zeros(rows, dtype=np.int64)
    for index, matrix in parts:
        lengths[index] = matrix.shape[1]
    offsets = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = np.zeros(int(offsets[-1]), dtype=np.uint8)
    for index, matrix in parts:
        if len(index):
            positions = offsets[index][:, None] + np.arange(matrix.shape[1])[None, :]
            data[positions] = matrix
    array = pa.LargeStringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(data.tobytes()))
    array = array.cast(pa.string())
    if valid is not None:
        array = pc.if_else(pa.array(valid), array, pa.scalar(None, pa.string()))
    return array


def ts_array(ms: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    ms = np.asarray(ms, dtype=np.int64)
    mask = None if valid is None else ~np.asarray(valid)
    return pa.array(ms * 1000, type=pa.timestamp("us"), mask=mask)


def int_array(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~np.asarray(valid)
    return pa.array(np.asarray(values, dtype=np.int64), type=pa.int64(), mask=mask)


def decimal_array(values: np.ndarray, scale: int, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~np.asarray(valid)
    return pa.array(np.round(np.asarray(values, dtype=np.float64), scale), mask=mask).cast(
        pa.decimal128(18, scale), safe=False
    )


def write(out: Path, table_name: str, table: pa.Table, file: str | None = None) -> None:
    folder = out / table_name
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / (file or f"{table_name}.parquet"), compression="zstd")


def prepare(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in (*CANONICAL, "_ground_truth"):
        if (out / name).exists():
            shutil.rmtree(out / name)


class EventWriter:
    """Buffers usage events and writes each UTC day once no later week can add to it."""

    def __init__(self, out: Path, org: Org, seed: int, rng: np.random.Generator):
        self.out = out
        self.org = org
        self.rng = rng
        salt = mix64(np.array([seed * 2 + 1], dtype=np.uint64))[0]
        self.salts = [mix64(np.array([salt + np.uint64(k)], dtype=np.uint64))[0] for k in range(6)]
        self.pending: list[dict[str, np.ndarray]] = []
        self.actors = pa.array([account for _tool, account, _p, _listed in org.accounts], type=pa.string())
        self.models = pa.array([model.name for model in MODELS], type=pa.string())
        self.tools = pa.array(list(TOOLS), type=pa.string())
        self.kinds = pa.array(list(KINDS), type=pa.string())
        self.rows = 0
        self.files = 0
        self.duplicates = 0

    def add(self, events: dict[str, np.ndarray]) -> None:
        if len(events["uid"]):
            self.pending.append(events)

    def flush(self, through_day: int) -> None:
        if not self.pending:
            return
        events = {key: np.concatenate([part[key] for part in self.pending]) for key in self.pending[0]}
        day = np.floor_divide(events["ts"] - self.org.cal.start_ms, DAY_MS)
        ready = day <= through_day
        rest = {key: value[~ready] for key, value in events.items()}
        self.pending = [rest] if len(rest["uid"]) else []
        events = {key: value[ready] for key, value in events.items()}
        day = day[ready]
        order = np.lexsort((events["uid"], events["ts"], day))
        events = {key: value[order] for key, value in events.items()}
        day = day[order]
        bounds = np.flatnonzero(np.diff(day)) + 1
        for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(day)], strict=True):
            if hi > lo:
                self._write_day(int(day[lo]), {key: value[lo:hi] for key, value in events.items()})

    def _write_day(self, day: int, ev: dict[str, np.ndarray]) -> None:
        table = self.table(ev)
        folder = f"ai_usage_events/date={self.org.cal.date_of(day).isoformat()}"
        write(self.out, folder, table, "part-0.parquet")
        self.rows += table.num_rows
        self.files += 1
        if self.rng.random() < 0.06:
            share = self.rng.uniform(0.02, 0.08)
            again = np.flatnonzero(self.rng.random(table.num_rows) < share)
            if len(again):
                write(self.out, folder, table.take(pa.array(again)), "part-1.parquet")
                self.duplicates += len(again)

    def table(self, ev: dict[str, np.ndarray]) -> pa.Table:
        n = len(ev["uid"])
        salts = self.salts
        uid = ev["uid"].astype(np.uint64)
        ha = hex_matrix(mix64(uid ^ salts[0]))
        hb = hex_matrix(mix64(uid ^ salts[1]))
        tool = ev["tool"]
        groups = []
        for t, name in enumerate(TOOLS):
            rows = np.flatnonzero(tool == t)
            if not len(rows):
                continue
            a, b = ha[rows], hb[rows]
            if name == "claude_code":
                mat = np.hstack([_const("req_", len(rows)), a, b[:, :8]])
            elif name == "cursor":
                mat = uuid_matrix(mix64(uid[rows] ^ salts[0]), mix64(uid[rows] ^ salts[1]))
            elif name == "copilot":
                mat = np.hstack([_const("cpl-", len(rows)), a])
            elif name == "openai_api":
                mat = np.hstack([_const("chatcmpl-", len(rows)), a, b[:, :8]])
            else:
                mat = np.hstack([_const("evt_", len(rows)), a, b[:, :4]])
            groups.append((rows, mat))
        event_id = strings(n, groups)

        session = ev["session"]
        has_session = (session >= 0) & np.isin(tool, [0, 1, 4])
        sess = np.maximum(session, 0).astype(np.uint64)
        sa, sb = mix64(sess ^ salts[2]), mix64(sess ^ salts[3])
        session_groups = []
        for t in (0, 1):
            rows = np.flatnonzero((tool == t) & has_session)
            session_groups.append((rows, uuid_matrix(sa[rows], sb[rows])))
        rows = np.flatnonzero((tool == 4) & has_session)
        session_groups.append((rows, np.hstack([_const("run_", len(rows)), hex_matrix(sa[rows])])))
        session_id = strings(n, session_groups, has_session)

        key = ev["key"]
        prompt = np.hstack([hex_matrix(mix64(key ^ salts[4])), hex_matrix(mix64(key ^ salts[5]))])
        prompt_hash = strings(n, [(np.arange(n), prompt)], ev["has_hash"])

        return pa.table(
            {
                "event_id": event_id,
                "occurred_at": ts_array(ev["ts"]),
                "source_tool": self.tools.take(pa.array(tool)),
                "actor_id": self.actors.take(pa.array(ev["account"])),
                "session_id": session_id,
                "model": self.models.take(pa.array(ev["model"])),
                "request_kind": self.kinds.take(pa.array(ev["kind"])),
                "input_tokens": int_array(ev["input"]),
                "cached_input_tokens": int_array(ev["cached"]),
                "cache_write_tokens": int_array(ev["written"]),
                "output_tokens": int_array(ev["output"]),
                "cost_usd": decimal_array(ev["cost"], 6, ev["billed"]),
                "prompt_hash": prompt_hash,
                "lines_suggested": int_array(np.maximum(ev["lines"], 0), ev["lines"] >= 0),
                "lines_accepted": int_array(np.maximum(ev["accepted"], 0), ev["accepted"] >= 0),
            }
        )


def _date(org: Org, day: int):
    return org.cal.start + timedelta(days=int(day))


def write_static(out: Path, org: Org) -> dict[str, int]:
    """people, teams, repositories, services, identities and model_prices."""
    people = org.people
    hired = [_date(org, d) for d in org.hired_day]
    left = [_date(org, d) if d < 10**5 else None for d in org.left_day]
    manager = [org.employee_id[m] if m >= 0 else None for m in org.manager]
    write(
        out,
        "people",
        pa.table(
            {
                "employee_id": pa.array(org.employee_id),
                "email": pa.array(org.email),
                "full_name": pa.array(org.full_name),
                "team_id": pa.array([org.teams[int(t)].team_id for t in org.team]),
                "manager_employee_id": pa.array(manager, type=pa.string()),
                "role": pa.array(org.role),
                "timezone": pa.array([OFFICES[int(o)].tz for o in org.office]),
                "hired_on": pa.array(hired, type=pa.date32()),
                "left_on": pa.array(left, type=pa.date32()),
                "annual_loaded_cost_usd": decimal_array(org.cost, 2),
            }
        ),
    )
    write(
        out,
        "teams",
        pa.table(
            {
                "team_id": pa.array([team.team_id for team in org.teams]),
                "team_name": pa.array([team.name for team in org.teams]),
                "department": pa.array([AREAS[team.area].department for team in org.teams]),
            }
        ),
    )
    write(
        out,
        "repositories",
        pa.table(
            {
                "repo": pa.array(org.repos),
                "team_id": pa.array([org.teams[int(t)].team_id for t in org.repo_team]),
            }
        ),
    )
    write(
        out,
        "services",
        pa.table(
            {
                "service": pa.array(org.services),
                "team_id": pa.array([org.teams[int(t)].team_id for t in org.service_team]),
            }
        ),
    )

    systems, accounts, employees = [], [], []
    for tool, account, person, listed in org.accounts:
        if listed and person >= 0:
            systems.append(TOOLS[tool])
            accounts.append(account)
            employees.append(org.employee_id[person])
    for p in range(people):
        systems += ["github", "pagerduty"]
        accounts += [org.login[p], org.pagerduty_id[p]]
        employees += [org.employee_id[p]] * 2
    write(
        out,
        "identities",
        pa.table(
            {
                "source_system": pa.array(systems),
                "account_id": pa.array(accounts),
                "employee_id": pa.array(employees),
            }
        ),
    )

    rows = {"model": [], "effective_from": [], "input": [], "cached": [], "write": [], "output": []}
    changes = dict(price_changes(org))
    for model in MODELS:
        prices = [(org.cal.start.replace(year=2025, month=1, day=1), 1.0)]
        if model.name in changes:
            prices.append((_date(org, changes[model.name]), PRICE_CHANGES[model.name][1]))
        for since, factor in prices:
            rows["model"].append(model.name)
            rows["effective_from"].append(since)
            rows["input"].append(model.input * factor)
            rows["cached"].append(model.cached * factor)
            rows["write"].append(model.cache_write * factor)
            rows["output"].append(model.output * factor)
    write(
        out,
        "model_prices",
        pa.table(
            {
                "model": pa.array(rows["model"]),
                "effective_from": pa.array(rows["effective_from"], type=pa.date32()),
                "input_usd_per_mtok": decimal_array(np.array(rows["input"]), 6),
                "cached_input_usd_per_mtok": decimal_array(np.array(rows["cached"]), 6),
                "cache_write_usd_per_mtok": decimal_array(np.array(rows["write"]), 6),
                "output_usd_per_mtok": decimal_array(np.array(rows["output"]), 6),
            }
        ),
    )
    return {"people": people, "identities": len(systems), "model_prices": len(rows["model"])}


def write_git(out: Path, org: Org, git: Git) -> dict[str, int]:
    prs = git.prs
    author = prs["author"]

    def login(person: int) -> str:
        return BOTS[person][0] if person < 0 else org.login[person]

    def email(person: int) -> str:
        return BOTS[person][1] if person < 0 else org.email[person]

    repo_names = pa.array(org.repos)
    write(
        out,
        "pull_requests",
        pa.table(
            {
                "repo": repo_names.take(pa.array(prs["repo"])),
                "pr_number": int_array(prs["number"]),
                "author_login": pa.array([login(int(a)) for a in author]),
                "title": pa.array(git.pr_titles),
                "created_at": ts_array(prs["created"]),
                "ready_for_review_at": ts_array(prs["ready"], prs["ready"] >= 0),
                "first_commit_at": ts_array(prs["first_commit"]),
                "merged_at": ts_array(prs["merged"], prs["merged"] >= 0),
                "closed_at": ts_array(prs["closed"], prs["closed"] >= 0),
                "additions": int_array(prs["additions"]),
                "deletions": int_array(prs["deletions"]),
                "changed_files": int_array(prs["changed"]),
                "base_branch": pa.array([org.repo_branch[int(r)] for r in prs["repo"]]),
                "merge_commit_sha": pa.array(git.pr_merge_sha, type=pa.string()),
                "labels": pa.array([label or None for label in git.pr_labels], type=pa.string()),
            }
        ),
    )
    rv = git.reviews
    write(
        out,
        "pr_reviews",
        pa.table(
            {
                "repo": repo_names.take(pa.array(rv["repo"])),
                "pr_number": int_array(rv["number"]),
                "review_id": pa.array([str(x) for x in rv["id"]]),
                "reviewer_login": pa.array([org.login[int(p)] for p in rv["reviewer"]]),
                "state": pa.array(git.review_states),
                "submitted_at": ts_array(rv["submitted"]),
            }
        ),
    )
    cm = git.commits
    pr_of = cm["pr"]
    write(
        out,
        "commits",
        pa.table(
            {
                "repo": repo_names.take(pa.array(prs["repo"][pr_of])),
                "sha": pa.array(git.commit_shas),
                "author_email": pa.array([email(int(a)) for a in cm["author"]]),
                "author_login": pa.array([login(int(a)) for a in cm["author"]]),
                "authored_at": ts_array(cm["authored"]),
                "committed_at": ts_array(cm["committed"]),
                "message": pa.array(git.commit_messages),
                "additions": int_array(cm["additions"]),
                "deletions": int_array(cm["deletions"]),
                "pr_number": int_array(prs["number"][pr_of]),
            }
        ),
    )
    dp = git.deployments
    write(
        out,
        "deployments",
        pa.table(
            {
                "repo": repo_names.take(pa.array(dp["repo"])),
                "deployment_id": pa.array(git.deployment_ids),
                "sha": pa.array(git.deployment_shas),
                "environment": pa.array(git.deployment_env),
                "status": pa.array(git.deployment_status),
                "started_at": ts_array(dp["start"]),
                "finished_at": ts_array(dp["finish"], dp["finish"] >= 0),
            }
        ),
    )
    inc = git.incidents
    write(
        out,
        "incidents",
        pa.table(
            {
                "incident_id": pa.array(git.incident_ids),
                "service": pa.array([org.services[int(s)] for s in inc["service"]]),
                "title": pa.array(git.incident_titles),
                "severity": pa.array([f"sev{int(s) + 1}" for s in inc["severity"]]),
                "created_at": ts_array(inc["created"]),
                "acknowledged_at": ts_array(inc["ack"], inc["ack"] >= 0),
                "resolved_at": ts_array(inc["resolved"], inc["resolved"] >= 0),
                "responder_email": pa.array(
                    [org.email[int(p)] if p >= 0 else None for p in inc["responder"]], type=pa.string()
                ),
                "caused_by_deployment_id": pa.array(git.incident_caused_by, type=pa.string()),
                "repo": pa.array(git.incident_repo, type=pa.string()),
            }
        ),
    )
    return {
        "pull_requests": len(author),
        "pr_reviews": len(rv["id"]),
        "commits": len(git.commit_shas),
        "deployments": len(git.deployment_ids),
        "incidents": len(git.incident_ids),
    }


__all__ = ["EventWriter", "prepare", "tokens", "write_git", "write_static"]
