"""Generate Brae Health's landing zone and its ground truth (see the package docstring)."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from orchestration.brae import calendar as cal_mod
from orchestration.brae import delivery as delivery_mod
from orchestration.brae import inflation, organisation, usage
from orchestration.brae import traits as traits_mod
from orchestration.brae.calendar import DAY_US, OFFICES
from orchestration.brae.hashing import hex_array, mix
from orchestration.brae.organisation import DEPARTMENTS, STYLES, Org
from orchestration.brae.sessions import ANTHROPIC, DISCOUNT, KINDS, MODELS, PRICES, Sessions, expand
from orchestration.brae.traits import COPILOT, CURSOR, TOOLS, Traits
from orchestration.landing.contract import TABLES

_ARROW = {
    "string": pa.string(),
    "integer": pa.int64(),
    "decimal": pa.decimal128(18, 6),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
}
_EVENT_PREFIX = ("cpl-", "cur-", "req_", "chatcmpl-", "wa-")

#: An inflator's week counts as inflated when its padding is material (see the package docstring).
MIN_REQUESTS = 5
MIN_TOKENS = 150_000
MIN_COST_USD = 10.0
MIN_SHARE = 0.20


@dataclass
class Summary:
    out: Path
    engineers: int
    weeks: int
    seed: int
    start: date
    seconds: float = 0.0
    events: int = 0
    employees: int = 0
    teams: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    personas: dict[str, int] = field(default_factory=dict)
    inflated: dict[str, int] = field(default_factory=dict)
    engineer_weeks: int = 0
    unmatched_events: int = 0

    def render(self) -> str:
        kinds = ", ".join(f"{name} {count}" for name, count in sorted(self.personas.items()))
        per_style = ", ".join(f"{style} {self.inflated.get(style, 0)}" for style in STYLES)
        rows = ", ".join(f"{name} {count:,}" for name, count in self.tables.items())
        return "\n".join(
            [
                f"Brae Health: {self.engineers} engineers over {self.weeks} weeks "
                f"from {self.start}, seed {self.seed}",
                f"  wrote {self.out} in {self.seconds:.1f} s: {self.events:,} AI usage events "
                f"({self.unmatched_events:,} from automation keys that belong to nobody)",
                f"  {self.employees} employees in {self.teams} teams across {len(OFFICES)} offices",
                f"  rows: {rows}",
                f"  personas: {kinds}",
                f"  engineer-weeks in the ground truth: {self.engineer_weeks:,}, "
                f"inflated: {sum(self.inflated.values()):,}",
                f"  inflated engineer-weeks per style: {per_style}",
            ]
        )


def generate(
    out: Path | str, *, engineers: int, weeks: int, seed: int, start: date, progress: bool
) -> Summary:
    began = time.perf_counter()
    out = Path(out)
    if start.weekday() != 0:
        raise ValueError(f"{start} is not a Monday")
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, 0xB4AE]).spawn(8)]
    salt = int(mix(seed, 0xB4AE)[0] % np.uint64(2**31))
    steps = _Progress(progress)

    cal = cal_mod.Calendar(start, weeks)
    rhythm = cal_mod.rhythm(cal)
    outages = cal_mod.outages(cal, streams[0])
    boards = cal_mod.leaderboards(cal)
    org = organisation.build(cal, engineers, streams[1], rhythm.crunch)
    traits = traits_mod.build(org, streams[2], rhythm.audit_week)
    plan = inflation.plan(org, boards, streams[3])
    steps.step("organisation")
    dlv = delivery_mod.build(org, traits, rhythm, outages, plan.weeks_of("draft_pr_padder"), streams[4], salt)
    steps.step("delivery")
    rng = streams[5]
    sessions = Sessions.concat(
        [
            usage.baseline(org, traits, rhythm, rng),
            usage.legitimate_heavy(org, traits, rhythm, dlv, rng),
            inflation.sessions(org, traits, plan, boards, dlv, rng, salt),
            usage.automation(org, rng),
        ]
    )
    events = expand(sessions, traits.opus_pref, streams[6], salt)
    events = _keep_in_period(org, events)
    steps.step("usage")

    if out.exists():
        for child in [*TABLES, "_ground_truth"]:
            shutil.rmtree(out / child, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    summary = Summary(out=out, engineers=engineers, weeks=weeks, seed=seed, start=start)
    identities, actor_names = _identities(org, traits, streams[7])
    summary.tables["ai_usage_events"] = _write_events(out, org, events, actor_names, salt, streams[7])
    steps.step("usage events written")
    for name, table in _tables(org, dlv, identities, cal).items():
        _write(out / name / "part-0.parquet", name, table)
        summary.tables[name] = table.num_rows
    _redeliver(out, "pull_requests", streams[7])
    _redeliver(out, "commits", streams[7])
    truth = _truth(org, events)
    truth_dir = out / "_ground_truth"
    truth_dir.mkdir(parents=True, exist_ok=True)
    pq.write_table(truth, truth_dir / "engineer_weeks.parquet")
    manifest = {
        "family": "brae",
        "organisation": "Brae Health",
        "engineers": engineers,
        "weeks": weeks,
        "seed": seed,
        "start": start.isoformat(),
        "offices": [o.city for o in OFFICES],
        "departments": list(DEPARTMENTS),
        "leaderboards": [{"name": b.name, "snapshots": int(b.snapshots_us.size)} for b in boards],
        "inflation_rule": {
            "min_inflating_requests": MIN_REQUESTS,
            "min_inflating_tokens": MIN_TOKENS,
            "min_inflating_cost_usd": MIN_COST_USD,
            "min_share_of_genuine": MIN_SHARE,
        },
    }
    (truth_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    steps.step("tables and ground truth")
    steps.close()

    summary.events = int(events["t"].size)
    summary.unmatched_events = int((events["person"] < 0).sum())
    summary.employees = org.size
    summary.teams = len(org.teams)
    summary.personas = dict(Counter(p for p, e in zip(org.persona, org.is_engineer, strict=True) if e))
    styles = truth.column("inflation_style").drop_null().to_pylist()
    summary.inflated = dict(Counter(styles))
    summary.engineer_weeks = truth.num_rows
    summary.seconds = time.perf_counter() - began
    return summary


class _Progress:
    def __init__(self, enabled: bool) -> None:
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=5, desc="brae", unit="step")

    def step(self, name: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(name)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _keep_in_period(org: Org, ev: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    cal = org.cal
    t = ev["t"]
    keep = (t >= cal.start_us) & (t < cal.start_us + cal.days * DAY_US)
    day = (t - cal.start_us) // DAY_US
    person = np.maximum(ev["person"], 0)
    keep &= (ev["person"] < 0) | ((day >= org.hired_day[person]) & (day <= org.left_day[person]))
    ev = {key: value[keep] for key, value in ev.items()}
    order = np.argsort(ev["t"], kind="stable")
    return {key: value[order] for key, value in ev.items()}


def _cost(org: Org, ev: dict[str, np.ndarray]) -> np.ndarray:
    """List cost of each request at the organisation's prices in force on its day."""
    price = PRICES[ev["model"]]
    day = (ev["t"] - org.cal.start_us) // DAY_US
    discounted = np.isin(ev["model"], ANTHROPIC) & (day >= discount_day(org.cal.weeks))
    factor = np.where(discounted, DISCOUNT, 1.0)
    tokens = np.stack([ev["input"], ev["cached"], ev["write"], ev["output"]], axis=1)
    return (tokens * price).sum(axis=1) / 1e6 * factor


def discount_day(weeks: int) -> int:
    """Brae's enterprise agreement with Anthropic starts on a Monday about two fifths into the period."""
    return 7 * max(1, round(0.4 * weeks))


def _identities(org: Org, traits: Traits, rng: np.random.Generator) -> tuple[pa.Table, list[str]]:
    """Accounts per tool; returns the identities table and every actor name (tool-major, then people)."""
    n = org.size
    rows: list[tuple[str, str, str]] = []
    names: list[str] = []
    listed = rng.random((5, n))
    mixed_case = rng.random(n) < 0.04
    for tool, source in enumerate(TOOLS):
        for p in range(n):
            email, login, emp = org.email[p], org.login[p], org.employee_id[p]
            if tool == COPILOT:
                actor = login
                rows.append((source, actor, emp))
            elif tool == CURSOR:
                actor = email
                if listed[tool, p] < 0.6:
                    rows.append((source, actor, emp))
                elif mixed_case[p]:
                    local, domain = email.split("@")
                    actor = ".".join(part.capitalize() for part in local.split(".")) + "@" + domain
            elif tool == 2:
                actor = email
                if listed[tool, p] < 0.75:
                    rows.append((source, actor, emp))
            elif tool == 3:
                actor = f"key-{login}"
                if traits.has_key[p]:
                    rows.append((source, actor, emp))
            else:
                actor = email
            names.append(actor)
    names += [name for _, name in usage.AUTOMATION]
    for p in range(n):
        rows.append(("github", org.login[p], org.employee_id[p]))
        if org.is_engineer[p]:
            code = int(mix(p, 97)[0] % np.uint64(36**6))
            rows.append(("pagerduty", "P" + np.base_repr(code, 36).rjust(6, "0"), org.employee_id[p]))
    table = pa.table(
        {
            "source_system": [r[0] for r in rows],
            "account_id": [r[1] for r in rows],
            "employee_id": [r[2] for r in rows],
        }
    )
    return table, names


def _write_events(
    out: Path,
    org: Org,
    ev: dict[str, np.ndarray],
    actor_names: list[str],
    salt: int,
    rng: np.random.Generator,
) -> int:
    m = ev["t"].size
    n = org.size
    tool = ev["tool"]
    actor_code = np.where(ev["person"] >= 0, tool * n + ev["person"], 5 * n + ev["account"])
    actor_dict = pa.array(actor_names, pa.string())
    tool_dict = pa.array(list(TOOLS), pa.string())
    ids = hex_array(mix(salt, 13, np.arange(m)))
    prefix = pa.DictionaryArray.from_arrays(
        pa.array(tool, pa.int32()), pa.array(list(_EVENT_PREFIX))
    ).dictionary_decode()
    event_id = pc.binary_join_element_wise(prefix, ids, "")
    copilot = tool == COPILOT
    session = pc.if_else(
        pa.array(copilot), pa.scalar(None, pa.string()), hex_array(mix(salt, 17, ev["session"]))
    )
    prompt = pc.if_else(
        pa.array(copilot), pa.scalar(None, pa.string()), hex_array(mix(salt, 19, ev["prompt"]))
    )
    cost = _cost(org, ev)
    billed = np.where(tool == CURSOR, np.round(cost, 6), 0.0)
    cost_mask = ~((tool == CURSOR) | copilot)
    cost_arr = pc.cast(pa.array(billed, mask=cost_mask), pa.decimal128(18, 6), safe=False)
    no_lines = ~ev["has_lines"]
    columns = {
        "event_id": event_id,
        "occurred_at": pa.array(ev["t"], pa.timestamp("us")),
        "source_tool": pa.DictionaryArray.from_arrays(
            pa.array(tool, pa.int32()), tool_dict
        ).dictionary_decode(),
        "actor_id": pa.DictionaryArray.from_arrays(
            pa.array(actor_code, pa.int32()), actor_dict
        ).dictionary_decode(),
        "session_id": session,
        "model": pa.DictionaryArray.from_arrays(
            pa.array(ev["model"], pa.int32()), pa.array(list(MODELS))
        ).dictionary_decode(),
        "request_kind": pa.DictionaryArray.from_arrays(
            pa.array(ev["kind"], pa.int32()), pa.array(list(KINDS))
        ).dictionary_decode(),
        "input_tokens": pa.array(ev["input"], pa.int64()),
        "cached_input_tokens": pa.array(ev["cached"], pa.int64()),
        "cache_write_tokens": pa.array(ev["write"], pa.int64()),
        "output_tokens": pa.array(ev["output"], pa.int64()),
        "cost_usd": cost_arr,
        "prompt_hash": prompt,
        "lines_suggested": pa.array(ev["suggested"], pa.int64(), mask=no_lines),
        "lines_accepted": pa.array(ev["accepted"], pa.int64(), mask=no_lines),
    }
    table = _conform("ai_usage_events", pa.table(columns))
    day = (ev["t"] - org.cal.start_us) // DAY_US
    bounds = np.searchsorted(day, np.arange(org.cal.days + 1))
    redeliver = rng.random(org.cal.days) < 0.05
    for d in range(org.cal.days):
        lo, hi = int(bounds[d]), int(bounds[d + 1])
        folder = out / "ai_usage_events" / f"date={(org.cal.start + timedelta(days=d)).isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        part = table.slice(lo, hi - lo)
        pq.write_table(part, folder / "part-0.parquet")
        if redeliver[d] and hi > lo:
            # An export re-run: part of the day delivered again, row for row the same.
            take = np.sort(rng.choice(hi - lo, size=max(1, (hi - lo) // 40), replace=False))
            pq.write_table(part.take(pa.array(take)), folder / "part-1.parquet")
    return m


def _conform(name: str, table: pa.Table) -> pa.Table:
    schema = pa.schema([(c.name, _ARROW[c.type]) for c in TABLES[name].columns])
    return pa.table([table.column(f.name).cast(f.type) for f in schema], schema=schema)


def _write(path: Path, name: str, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(_conform(name, table), path)


def _redeliver(out: Path, name: str, rng: np.random.Generator) -> None:
    table = pq.read_table(out / name / "part-0.parquet")
    take = np.sort(rng.choice(table.num_rows, size=max(1, table.num_rows // 100), replace=False))
    pq.write_table(table.take(pa.array(take)), out / name / "part-1.parquet")


def _ts(values: np.ndarray) -> pa.Array:
    return pa.array(values, pa.timestamp("us"), mask=values < 0)


def _tables(
    org: Org, d: delivery_mod.Delivery, identities: pa.Table, cal: cal_mod.Calendar
) -> dict[str, pa.Table]:
    team_ids = [t.team_id for t in org.teams]
    end_day = cal.days - 1

    def day_or_none(offset: int) -> date | None:
        return None if offset > end_day else cal.start + timedelta(days=int(offset))

    people = pa.table(
        {
            "employee_id": org.employee_id,
            "email": org.email,
            "full_name": org.full_name,
            "team_id": [
                team_ids[t] if t >= 0 else f"dept-{org.department[i]}" for i, t in enumerate(org.team)
            ],
            "manager_employee_id": [org.employee_id[m] if m >= 0 else None for m in org.manager],
            "role": org.role,
            "timezone": [OFFICES[o].timezone for o in org.office],
            "hired_on": [cal.start + timedelta(days=int(h)) for h in org.hired_day],
            "left_on": [day_or_none(int(x)) for x in org.left_day],
            "annual_loaded_cost_usd": pa.array(org.cost).cast(pa.decimal128(18, 6)),
        }
    )
    teams = pa.table(
        {
            "team_id": team_ids + [f"dept-{i}" for i in range(len(DEPARTMENTS))],
            "team_name": [t.name for t in org.teams] + [f"{name} leadership" for name in DEPARTMENTS],
            "department": [DEPARTMENTS[t.department] for t in org.teams] + list(DEPARTMENTS),
        }
    )
    repositories = pa.table({"repo": d.repos, "team_id": [team_ids[t] for t in d.repo_team]})
    services = pa.table({"service": d.services, "team_id": [team_ids[t] for t in d.service_team]})

    start = cal.start - timedelta(days=180)
    switch = cal.start + timedelta(days=discount_day(cal.weeks))
    price_rows = [(model, start, *PRICES[i]) for i, model in enumerate(MODELS)]
    price_rows += [(MODELS[i], switch, *(PRICES[i] * DISCOUNT)) for i in ANTHROPIC]
    model_prices = pa.table(
        {
            "model": [r[0] for r in price_rows],
            "effective_from": [r[1] for r in price_rows],
            **{
                name: pa.array([round(float(r[k + 2]), 6) for r in price_rows]).cast(pa.decimal128(18, 6))
                for k, name in enumerate(
                    (
                        "input_usd_per_mtok",
                        "cached_input_usd_per_mtok",
                        "cache_write_usd_per_mtok",
                        "output_usd_per_mtok",
                    )
                )
            },
        }
    )

    prs = d.prs
    logins = np.array(org.login, dtype=object)
    bots = np.array(delivery_mod.BOTS, dtype=object)
    # Bot authors are -1 (dependabot) and -2 (renovate).
    author = prs["author"]
    author_login = np.where(author >= 0, logins[np.maximum(author, 0)], bots[np.clip(-1 - author, 0, 1)])
    repo_names = np.array(d.repos, dtype=object)
    merge_sha = delivery_mod.merge_shas(d)
    pull_requests = pa.table(
        {
            "repo": repo_names[prs["repo"]],
            "pr_number": prs["number"],
            "author_login": author_login,
            "title": prs["title"],
            "created_at": _ts(prs["created"]),
            "ready_for_review_at": _ts(prs["ready"]),
            "first_commit_at": _ts(prs["first_commit"]),
            "merged_at": _ts(prs["merged"]),
            "closed_at": _ts(prs["closed"]),
            "additions": prs["additions"],
            "deletions": prs["deletions"],
            "changed_files": prs["changed_files"],
            "base_branch": prs["base"],
            "merge_commit_sha": merge_sha,
            "labels": prs["labels"],
        }
    )
    rv = d.reviews
    pr_reviews = pa.table(
        {
            "repo": repo_names[prs["repo"][rv["pr"]]],
            "pr_number": prs["number"][rv["pr"]],
            "review_id": pa.array(rv["review_id"]).cast(pa.string()),
            "reviewer_login": logins[rv["reviewer"]],
            "state": rv["state"],
            "submitted_at": _ts(rv["submitted"]),
        }
    )
    cm = d.commits
    commits = pa.table(
        {
            "repo": repo_names[cm["repo"]],
            "sha": cm["sha"],
            "author_email": cm["author_email"],
            "author_login": cm["author_login"],
            "authored_at": _ts(cm["authored"]),
            "committed_at": _ts(cm["committed"]),
            "message": cm["message"],
            "additions": cm["additions"],
            "deletions": cm["deletions"],
            "pr_number": cm["pr_number"],
        }
    )
    dp = d.deployments
    deployments = pa.table(
        {
            "repo": repo_names[dp["repo"]],
            "deployment_id": pa.array(dp["deployment_id"]).cast(pa.string()),
            "sha": dp["sha"],
            "environment": dp["environment"],
            "status": dp["status"],
            "started_at": _ts(dp["started"]),
            "finished_at": _ts(dp["finished"]),
        }
    )
    inc = d.incidents
    resolved = inc["resolved"] > 0
    emails = np.array(org.email, dtype=object)
    caused = inc["caused"]
    dep_ids = np.array([str(x) for x in dp["deployment_id"]], dtype=object)
    incidents = pa.table(
        {
            "incident_id": inc["incident_id"],
            "service": np.array(d.services, dtype=object)[inc["service"]],
            "title": inc["title"],
            "severity": inc["severity"],
            "created_at": _ts(inc["created"]),
            "acknowledged_at": _ts(inc["acknowledged"]),
            "resolved_at": _ts(inc["resolved"]),
            "responder_email": np.where(
                resolved & (inc["responder"] >= 0), emails[np.maximum(inc["responder"], 0)], None
            ),
            "caused_by_deployment_id": np.where(
                caused >= 0, dep_ids[np.maximum(caused, 0)] if dep_ids.size else None, None
            ),
            "repo": np.where(
                caused >= 0, repo_names[dp["repo"][np.maximum(caused, 0)]] if dep_ids.size else None, None
            ),
        }
    )
    return {
        "people": people,
        "teams": teams,
        "repositories": repositories,
        "services": services,
        "model_prices": model_prices,
        "identities": identities,
        "pull_requests": pull_requests,
        "pr_reviews": pr_reviews,
        "commits": commits,
        "deployments": deployments,
        "incidents": incidents,
    }


def _truth(org: Org, ev: dict[str, np.ndarray]) -> pa.Table:
    cal = org.cal
    weeks = cal.weeks
    engineers = np.flatnonzero(org.is_engineer)
    n = org.size
    mine = ev["person"] >= 0
    person = ev["person"][mine]
    week = (ev["t"][mine] - cal.start_us) // (7 * DAY_US)
    cell = person * weeks + week
    tokens = ev["input"] + ev["cached"] + ev["write"] + ev["output"]
    tokens = tokens[mine]
    cost = _cost(org, ev)[mine]
    infl = ev["inflating"][mine]
    size = n * weeks
    total = np.bincount(cell, weights=tokens, minlength=size)
    total_exact = np.zeros(size, dtype=np.int64)
    np.add.at(total_exact, cell, tokens)
    infl_tokens = np.bincount(cell[infl], weights=tokens[infl], minlength=size)
    infl_cost = np.bincount(cell[infl], weights=cost[infl], minlength=size)
    infl_count = np.bincount(cell[infl], minlength=size)
    genuine_tokens = total - infl_tokens
    genuine_cost = np.bincount(cell[~infl], weights=cost[~infl], minlength=size)
    material = (infl_count >= MIN_REQUESTS) & (
        ((infl_tokens >= MIN_TOKENS) & (infl_tokens >= MIN_SHARE * genuine_tokens))
        | ((infl_cost >= MIN_COST_USD) & (infl_cost >= MIN_SHARE * genuine_cost))
    )
    employed_week = org.employed.reshape(n, weeks, 7).any(axis=2)
    emp_ids, week_starts, personas, kinds, flags, styles, totals = [], [], [], [], [], [], []
    for p in engineers:
        kind = org.kind[p]
        for w in np.flatnonzero(employed_week[p]):
            c = p * weeks + w
            inflated = kind == "inflator" and bool(material[c])
            emp_ids.append(org.employee_id[p])
            week_starts.append(cal.start + timedelta(days=7 * int(w)))
            personas.append(org.persona[p])
            kinds.append(kind)
            flags.append(inflated)
            styles.append(org.persona[p] if inflated else None)
            totals.append(int(total_exact[c]))
    return pa.table(
        {
            "employee_id": pa.array(emp_ids, pa.string()),
            "week_start": pa.array(week_starts, pa.date32()),
            "persona": pa.array(personas, pa.string()),
            "persona_kind": pa.array(kinds, pa.string()),
            "is_inflated": pa.array(flags, pa.bool_()),
            "inflation_style": pa.array(styles, pa.string()),
            "ai_total_tokens": pa.array(totals, pa.int64()),
        }
    )
