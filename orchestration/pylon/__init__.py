"""Pylon Grid: an electricity network operator that writes its own software.

The organisation
    Engineering sits in five offices: Glasgow (HQ, Europe/London), Calgary (America/Edmonton), Adelaide
    (Australia/Adelaide, half-hour offset, southern hemisphere), Pune (Asia/Kolkata, half-hour offset, the
    engineering hub without a network of its own) and Auckland (Pacific/Auckland). Each office keeps its
    own public holidays (Scottish bank holidays, Alberta's, South Australia's with Adelaide Cup and
    Proclamation Day, Maharashtra's lunar festivals, Aotearoa's with Matariki). Teams belong to ten areas:
    SCADA & Control, Outage Management, Smart Metering, Market Settlement, Field Ops Mobile, Site
    Reliability, Data Platform, AI Enablement, Security and Network Planning; a team mostly sits in one
    office. Each team has a manager and each area a director (on the roster, not engineers). People are
    hired (on Mondays) and leave (on Fridays) during the period, take annual leave (northern summer in
    Glasgow and Calgary, July school holidays and summer in Adelaide and Auckland), and are sometimes
    sick. Every area has one or two release crunches (the ADMS cutover, five-minute settlement go-live,
    a meter firmware rollout, ...) with more work, some weekend work, more merged pull requests and a few
    more incidents. Storms, floods and heatwaves hit one grid region at a time (Scotland, Alberta, South
    Australia, New Zealand) and multiply the incidents of that region's services for a few days.

Tools and accounts
    `claude_code` and `cursor` accounts are work emails; `copilot` accounts are GitHub logins;
    `openai_api` personal keys are named `<login>-key`; the internal agent, GridPilot (`internal_agent`), is
    the default in SCADA and Security, where external tools are restricted, and logs by email. `identities`
    lists every GitHub login, every Copilot login and OpenAI key, on-call PagerDuty users, most Claude Code
    accounts and about half the Cursor ones; the rest are matched by email. Three automation accounts
    belong to nobody: `svc-outage-summariser` and `ci-settlement-recon` (OpenAI keys) and `gridpilot-pr-bot`
    (GridPilot). Agent requests read a growing prompt cache and write what each turn adds; OpenAI models
    cache without a write charge; Copilot reports prompt tokens only; tab completions arrive as hourly
    buckets. Claude Code, Cursor and OpenAI usage arrives billed (`cost_usd`); Copilot and GridPilot rows are
    priced from `model_prices`, which holds list prices for every model used and the Opus rates of the
    enterprise agreement signed half-way through the period. A few days' files are re-delivered in part
    (`part-1.parquet` with identical rows).

The token leaderboards
    Two boards rank engineers by tokens. Grid Operations (SCADA, Outage, Field Ops, Site Reliability,
    Security) snapshots weekly, Fridays 16:00 Adelaide time, until its programme moves to Glasgow part-way
    through (the week is drawn from the seed), then Thursdays 10:00 London time. Markets & Data (Smart
    Metering, Market Settlement, Data Platform, AI Enablement, Network Planning) snapshots every second
    Monday 09:00 Calgary time. The snapshot times are in the manifest only.

Personas
    Ordinary: non_adopter (a few try a tool once), light_user, steady_user, late_adopter (starts, then
    ramps over three weeks). Legitimate heavy, never inflated: power_user (ships proportionally more),
    migration_lead (a migration window of long agent runs and large pull requests), oncall_responder
    (resolves a large share of the area's incidents with AI, any hour), staff_reviewer (reviews across the
    area, few pull requests), new_hire_learner (hired in the period, chats about the codebase a lot),
    protection_engineer (reads relay manuals and substation configuration files of 110-185k cached tokens
    per request), grid_model_analyst (overnight load-flow scenario batches through the OpenAI API, heavier
    in the planning weeks of each quarter), storm_response_analyst (quiet until their region's storm, then
    triage around the clock), ai_enablement_trainer (live workshops that replay the same demo prompts in
    every tool). Inflators, one habit each, persona = style: performative_topup (make-work agent runs
    before the board's snapshot, aimed just above the area's average), leaderboard_burst (parallel agent
    runs in the hours before a snapshot), background_agents (agent loops at night, at weekends and on
    leave, nothing accepted), regenerating_code (the same prompt regenerated again and again, almost
    nothing accepted), context_stuffing (whole codebases pasted uncached), premium_model_for_trivia (the
    most expensive model of their tool for one-line questions), prompt_replay_script (a timer replaying a
    handful of prompts), throwaway_prototypes (agent-built prototypes in draft pull requests closed
    unmerged) and runbook_padding (long generated runbooks and test plans nobody commits). Each inflator
    has an intensity (subtle, moderate, blatant), a start week, weeks on and off, and 40% of them stop.

Ground truth
    `_ground_truth/engineer_weeks.parquet`: one row per engineer (managers and directors excluded) and UTC
    ISO week they were employed in, with persona, persona_kind, is_inflated, inflation_style and
    ai_total_tokens (input + cached + cache-write + output tokens of their events that week, each event
    once). A week is inflated when the engineer is an inflator and that week's inflating requests total at
    least 250,000 tokens and are at least 20% of the week's tokens or at least 20% of its cost. The
    manifest records the offices, boards and their snapshots, weather, crunches, each inflator's
    intensity and active weeks, and the rule.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.landing.contract import TABLES
from orchestration.pylon.calendar import DAY, OFFICES, Calendar, boards, crunches, weather_events
from orchestration.pylon.delivery import generate_delivery
from orchestration.pylon.ids import hex_ids, mix
from orchestration.pylon.org import (
    AREA_KEYS,
    AREAS,
    INTENSITIES,
    KIND,
    ONCALL_AREAS,
    PERSONAS,
    STYLES,
    TOOLS,
    Org,
    build_org,
)
from orchestration.pylon.usage import (
    AUTOMATION,
    BILLED_TOOL,
    KINDS,
    MODELS,
    Sessions,
    automation_sessions,
    cost,
    expand,
    incident_sessions,
    inflation_sessions,
    keep_in_period,
    make_plan,
    price_table,
    specialist_sessions,
    week_tokens,
    work_sessions,
)

__all__ = ["INFLATION_RULE", "Summary", "generate"]

#: A week counts as inflated when both hold (the engineer being an inflator).
MIN_INFLATING_TOKENS = 250_000
MIN_INFLATING_SHARE = 0.20
INFLATION_RULE = (
    "an inflator's week is inflated when its inflating requests total at least 250,000 tokens and are at "
    "least 20% of the week's tokens or at least 20% of the week's cost; legitimate heavy and ordinary "
    "personas are never inflated"
)

_ARROW = {
    "string": pa.string(),
    "integer": pa.int64(),
    "decimal": pa.decimal128(18, 6),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
}


@dataclass
class Summary:
    out: Path
    engineers: int
    weeks: int
    seed: int
    start: date
    people: int = 0
    teams: int = 0
    events: int = 0
    redelivered: int = 0
    pull_requests: int = 0
    reviews: int = 0
    commits: int = 0
    deployments: int = 0
    incidents: int = 0
    engineer_weeks: int = 0
    personas: dict[str, int] = field(default_factory=dict)
    inflated_by_style: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def render(self) -> str:
        lines = [
            f"Pylon Grid: {self.engineers:,} engineers ({self.people:,} people in {self.teams} teams), "
            f"{self.weeks} weeks from {self.start.isoformat()}, seed {self.seed} -> {self.out}",
            f"  usage events        {self.events:>12,}  (+{self.redelivered:,} re-delivered copies)",
            f"  pull requests       {self.pull_requests:>12,}",
            f"  reviews             {self.reviews:>12,}",
            f"  commits             {self.commits:>12,}",
            f"  deployments         {self.deployments:>12,}",
            f"  incidents           {self.incidents:>12,}",
            f"  engineer-weeks      {self.engineer_weeks:>12,}",
            "  personas: " + ", ".join(f"{k} {v}" for k, v in self.personas.items()),
            "  inflated engineer-weeks per style: "
            + ", ".join(f"{k} {v}" for k, v in self.inflated_by_style.items())
            + f" (total {sum(self.inflated_by_style.values())})",
            f"  generated in {self.seconds:.1f} s",
        ]
        return "\n".join(lines)


def _log(progress: bool, message: str, clock: float) -> None:
    if progress:
        print(f"[pylon {time.monotonic() - clock:6.1f}s] {message}", file=sys.stderr, flush=True)


def _timestamps(values: np.ndarray) -> pa.Array:
    v = np.asarray(values, dtype=np.int64)
    return pa.array(v * 1_000_000, type=pa.timestamp("us"), mask=v < 0)


def _table(name: str, columns: dict[str, object]) -> pa.Table:
    spec = TABLES[name]
    arrays = []
    for col in spec.columns:
        kind = col.type
        value = columns.get(col.name)
        if value is None:
            arrays.append(pa.nulls(len(next(iter(columns.values()))), type=_ARROW[kind]))
        elif kind == "timestamp" and isinstance(value, np.ndarray):
            arrays.append(_timestamps(value))
        elif kind == "integer" and isinstance(value, np.ndarray):
            v = value.astype(np.int64)
            arrays.append(pa.array(v, type=pa.int64(), mask=v < 0 if not col.required else None))
        elif kind == "decimal":
            v = np.asarray(value, dtype=np.float64)
            arrays.append(pa.array(np.round(v, 6), mask=np.isnan(v)).cast(_ARROW[kind], safe=False))
        else:
            arrays.append(pa.array(value, type=_ARROW[kind]))
    return pa.Table.from_arrays(arrays, names=spec.column_names)


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def generate(
    out: Path | str, *, engineers: int, weeks: int, seed: int, start: date, progress: bool
) -> Summary:
    """Write Pylon Grid's landing zone to `out` and its ground truth to `out/_ground_truth`."""
    clock = time.monotonic()
    out = Path(out)
    if start.weekday() != 0:
        raise ValueError(f"{start} is not a Monday")
    if engineers < 20 or weeks < 2:
        raise ValueError("Pylon Grid needs at least 20 engineers and 2 weeks")
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x9E1F0]))
    salt = int(mix(np.array([seed]), 0x5EED)[0])
    summary = Summary(out=out, engineers=engineers, weeks=weeks, seed=seed, start=start)

    cal = Calendar(start, weeks)
    org = build_org(cal, engineers, rng)
    wx = weather_events(cal, rng)
    crunch = crunches(cal, AREA_KEYS, rng)
    bds = boards(cal, rng)
    plan = make_plan(cal, org, bds, rng)
    _log(progress, f"roster: {org.people} people in {len(org.team_ids)} teams", clock)

    delivery = generate_delivery(cal, org, plan, crunch, wx, rng, salt)
    _log(progress, f"delivery: {len(delivery.pull_requests['repo']):,} pull requests", clock)

    # Usage: what people do anyway, then the inflating habits on top.
    base = Sessions()
    work_sessions(cal, org, plan, crunch, rng, base)
    specialist_sessions(cal, org, plan, wx, rng, base)
    incident_sessions(org, delivery.incidents, rng, base)
    automation_sessions(cal, rng, base, actor_base=org.people * len(TOOLS))
    s1 = base.concat()
    ev1 = keep_in_period(cal, org, expand(s1, rng))
    extra = Sessions()
    inflation_sessions(cal, org, plan, bds, week_tokens(cal, org, ev1), rng, extra)
    s2 = extra.concat()
    ev2 = keep_in_period(cal, org, expand(s2, rng))
    ev2["session"] = ev2["session"] + len(s1["n"])
    ev = {k: np.concatenate([ev1[k], ev2[k]]) for k in ev1}
    del ev1, ev2
    # Actors: a person's account in a tool, or an automation key.
    ev["actor"] = np.where(ev["person"] >= 0, ev["person"] * len(TOOLS) + ev["tool"], ev["actor"])
    order = np.lexsort((ev["i"], ev["session"], ev["t"]))
    ev = {k: v[order] for k, v in ev.items()}
    ev["cost"] = cost(cal, ev)
    _log(progress, f"usage: {len(ev['t']):,} requests", clock)

    # Replace what an earlier run wrote here; leave anything else in the folder alone.
    for name in [*TABLES, "_ground_truth"]:
        if (out / name).exists():
            shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)
    summary.redelivered = _write_usage(cal, org, ev, out, rng, salt, progress, clock)
    summary.events = len(ev["t"])
    _write_reference(cal, org, ev, out, rng, salt)
    _write_delivery(delivery, out)
    truth = _ground_truth(cal, org, plan, ev)
    gt = out / "_ground_truth"
    gt.mkdir()
    pq.write_table(truth, gt / "engineer_weeks.parquet", compression="zstd")

    styles = truth.filter(truth["is_inflated"]).column("inflation_style").to_pylist()
    summary.inflated_by_style = {s: styles.count(s) for s in STYLES}
    eng = ~org.is_manager
    summary.personas = {p: int((org.persona[eng] == k).sum()) for k, p in enumerate(PERSONAS)}
    summary.people = org.people
    summary.teams = len(org.team_ids)
    summary.pull_requests = len(delivery.pull_requests["repo"])
    summary.reviews = len(delivery.pr_reviews["repo"])
    summary.commits = len(delivery.commits["repo"])
    summary.deployments = len(delivery.deployments["repo"])
    summary.incidents = len(delivery.incidents["incident_id"])
    summary.engineer_weeks = truth.num_rows
    _manifest(cal, org, plan, wx, crunch, bds, summary, gt / "manifest.json")
    summary.seconds = time.monotonic() - clock
    _log(progress, "done", clock)
    return summary


def _write_usage(
    cal: Calendar,
    org: Org,
    ev: dict[str, np.ndarray],
    out: Path,
    rng: np.random.Generator,
    salt: int,
    progress: bool,
    clock: float,
) -> int:
    n = len(ev["t"])
    tool = ev["tool"]
    # Event ids in each tool's own shape, numbered in time order within the tool.
    ids = pa.nulls(n, pa.string())
    parts, where = [], []
    for k, name in enumerate(TOOLS):
        sel = np.flatnonzero(tool == k)
        seq = np.arange(len(sel))
        words = [mix(seq, salt + 100 + k), mix(seq, salt + 200 + k)]
        if name == "claude_code":
            arr = hex_ids(words, "msg_01", 24)
        elif name == "cursor":
            arr = hex_ids(words, "", 32, (8, 12, 16, 20))
        elif name == "copilot":
            arr = hex_ids(words, "cpl-", 20)
        elif name == "openai_api":
            arr = hex_ids(words, "chatcmpl-", 26)
        else:
            arr = hex_ids(words, "gp-evt-", 20)
        parts.append(arr)
        where.append(sel)
    pos = np.empty(n, dtype=np.int64)
    pos[np.concatenate(where)] = np.arange(n)
    ids = pa.concat_arrays(parts).take(pa.array(pos))

    # Sessions: Cursor conversations are UUIDs, the others the tools' own ids.
    sess, inv = np.unique(ev["session"], return_inverse=True)
    s_words = [mix(sess, salt + 300), mix(sess, salt + 301)]
    s_plain = hex_ids(s_words, "ses_", 22)
    s_uuid = hex_ids(s_words, "", 32, (8, 12, 16, 20))
    s_tool = np.zeros(len(sess), dtype=np.int64)
    s_tool[inv] = tool
    sess_ids = pa.array(
        np.where(
            s_tool == TOOLS.index("cursor"),
            s_uuid.to_numpy(zero_copy_only=False),
            s_plain.to_numpy(zero_copy_only=False),
        )
    ).take(pa.array(inv))

    # Prompt hashes: repeated prompts share one.
    key = ev["prompt_key"]
    unique = mix(np.arange(n), salt + 400)
    keyed = mix(np.maximum(key, 0), salt + 401)
    h1 = np.where(key < 0, unique, keyed)
    h2 = mix(h1, salt + 402)
    hashes = hex_ids([h1, h2], "", 32)

    actors = _actor_names(org)
    actor_ids = pa.array(actors).take(pa.array(ev["actor"]))
    model = pa.array(list(MODELS)).take(pa.array(ev["model"]))
    kind = pa.array(list(KINDS)).take(pa.array(ev["kind"]))
    tool_name = pa.array(list(TOOLS)).take(pa.array(tool))
    billed = BILLED_TOOL[tool]
    c = np.where(billed, ev["cost"], np.nan)
    cost_arr = pa.array(np.round(c, 6), mask=~billed).cast(pa.decimal128(18, 6), safe=False)
    lines_mask = ~ev["has_lines"]
    table = pa.Table.from_arrays(
        [
            ids,
            _timestamps(ev["t"]),
            tool_name,
            actor_ids,
            sess_ids,
            model,
            kind,
            pa.array(ev["input"]),
            pa.array(ev["cached"]),
            pa.array(ev["write"]),
            pa.array(ev["output"]),
            cost_arr,
            hashes,
            pa.array(ev["suggested"].astype(np.int64), mask=lines_mask),
            pa.array(ev["accepted"].astype(np.int64), mask=lines_mask),
        ],
        names=TABLES["ai_usage_events"].column_names,
    )
    day = (ev["t"] - cal.t0) // DAY
    bounds = np.searchsorted(day, np.arange(cal.days + 1))
    redeliver_days = set(
        rng.choice(cal.days, size=min(cal.days, max(2, cal.weeks // 3)), replace=False).tolist()
    )
    copies = 0
    for d in range(cal.days):
        lo, hi = int(bounds[d]), int(bounds[d + 1])
        folder = out / "ai_usage_events" / f"date={(cal.start + timedelta(days=d)).isoformat()}"
        part = table.slice(lo, hi - lo)
        _write(part, folder / "part-0.parquet")
        if d in redeliver_days and hi > lo:
            k = max(1, (hi - lo) // 250)
            rows = np.sort(rng.choice(hi - lo, size=k, replace=False))
            _write(part.take(pa.array(rows)), folder / "part-1.parquet")
            copies += k
        if progress and d % 28 == 27:
            _log(progress, f"wrote usage through {(cal.start + timedelta(days=d)).isoformat()}", clock)
    return copies


def _actor_names(org: Org) -> list[str]:
    names: list[str] = []
    for p in range(org.people):
        for tool in TOOLS:
            if tool == "copilot":
                names.append(org.login[p])
            elif tool == "openai_api":
                names.append(f"{org.login[p]}-key")
            else:
                names.append(org.email[p])
    names += [key for _, key in AUTOMATION]
    return names


def _write_reference(
    cal: Calendar, org: Org, ev: dict[str, np.ndarray], out: Path, rng: np.random.Generator, salt: int
) -> None:
    n = org.people
    start = cal.start
    hired = [start + timedelta(days=int(d)) for d in org.hired_day]
    left = [start + timedelta(days=int(d)) if d < 10**5 else None for d in org.left_day]
    base_cost = np.array([OFFICES[int(o)].loaded_cost for o in org.office])
    level = np.array(
        [
            {"staff_engineer": 1.3, "senior_engineer": 1.12, "manager": 1.35, "director": 1.8}.get(r, 1.0)
            for r in org.role
        ]
    )
    loaded = np.round(base_cost * level * np.exp(rng.normal(0, 0.08, n)), -2)
    people = _table(
        "people",
        {
            "employee_id": org.employee_id,
            "email": org.email,
            "full_name": org.full_name,
            "team_id": [org.team_ids[t] for t in org.team],
            "manager_employee_id": [org.employee_id[m] if m >= 0 else None for m in org.manager],
            "role": org.role,
            "timezone": [OFFICES[int(o)].zone for o in org.office],
            "hired_on": hired,
            "left_on": left,
            "annual_loaded_cost_usd": loaded,
        },
    )
    _write(people, out / "people" / "people.parquet")
    teams = _table(
        "teams",
        {
            "team_id": org.team_ids,
            "team_name": org.team_names,
            "department": [AREAS[AREA_KEYS[int(a)]][0] for a in org.team_area],
        },
    )
    _write(teams, out / "teams" / "teams.parquet")
    _write(
        _table("repositories", {"repo": org.repos, "team_id": [org.team_ids[t] for t in org.repo_team]}),
        out / "repositories" / "repositories.parquet",
    )
    _write(
        _table("services", {"service": org.services, "team_id": [org.team_ids[t] for t in org.service_team]}),
        out / "services" / "services.parquet",
    )

    prices, discount_day = price_table(cal)
    rows = {"model": [], "effective_from": [], "in": [], "cached": [], "write": [], "out": []}
    for m, name in enumerate(MODELS):
        changes = [0] + ([discount_day] if "opus" in name else [])
        for d in changes:
            rows["model"].append(name)
            rows["effective_from"].append(date(2025, 1, 1) if d == 0 else start + timedelta(days=d))
            for key, k in (("in", 0), ("cached", 1), ("write", 2), ("out", 3)):
                rows[key].append(float(prices[m, d, k]))
    _write(
        _table(
            "model_prices",
            {
                "model": rows["model"],
                "effective_from": rows["effective_from"],
                "input_usd_per_mtok": np.array(rows["in"]),
                "cached_input_usd_per_mtok": np.array(rows["cached"]),
                "cache_write_usd_per_mtok": np.array(rows["write"]),
                "output_usd_per_mtok": np.array(rows["out"]),
            },
        ),
        out / "model_prices" / "model_prices.parquet",
    )

    # Identities: GitHub and Copilot logins and OpenAI keys always; most Claude Code accounts; about half
    # of Cursor's; PagerDuty users of the paging areas. GridPilot and the rest match by email.
    used = np.unique(ev["person"][ev["person"] >= 0] * len(TOOLS) + ev["tool"][ev["person"] >= 0])
    seats = set(used.tolist())
    for p in range(n):
        for t in {int(org.agent_tool[p]), int(org.chat_tool[p]), int(org.tab_tool[p])}:
            if t >= 0:
                seats.add(p * len(TOOLS) + t)
        if org.has_openai_key[p]:
            seats.add(p * len(TOOLS) + TOOLS.index("openai_api"))
    actors = _actor_names(org)
    listed_share = {
        "claude_code": 0.8,
        "cursor": 0.5,
        "copilot": 1.0,
        "openai_api": 1.0,
        "internal_agent": 0.0,
    }
    src, acc, emp = [], [], []
    for p in range(n):
        src.append("github")
        acc.append(org.login[p])
        emp.append(org.employee_id[p])
    pd_users = np.isin(org.team_area[org.team], [AREA_KEYS.index(a) for a in ONCALL_AREAS]) & ~org.is_manager
    for p in np.flatnonzero(pd_users):
        src.append("pagerduty")
        acc.append(f"P{int(mix(np.array([p]), salt + 500)[0]) % 16**6:06X}")
        emp.append(org.employee_id[p])
    u = rng.random(n * len(TOOLS))
    for a in sorted(seats):
        p, t = divmod(a, len(TOOLS))
        if u[a] < listed_share[TOOLS[t]]:
            src.append(TOOLS[t])
            acc.append(actors[a])
            emp.append(org.employee_id[p])
    _write(
        _table("identities", {"source_system": src, "account_id": acc, "employee_id": emp}),
        out / "identities" / "identities.parquet",
    )


def _write_delivery(delivery, out: Path) -> None:
    _write(_table("pull_requests", delivery.pull_requests), out / "pull_requests" / "pull_requests.parquet")
    _write(_table("pr_reviews", delivery.pr_reviews), out / "pr_reviews" / "pr_reviews.parquet")
    _write(_table("commits", delivery.commits), out / "commits" / "commits.parquet")
    _write(_table("deployments", delivery.deployments), out / "deployments" / "deployments.parquet")
    incidents = {k: v for k, v in delivery.incidents.items() if k != "responder"}
    _write(_table("incidents", incidents), out / "incidents" / "incidents.parquet")


def _ground_truth(cal: Calendar, org: Org, plan, ev: dict[str, np.ndarray]) -> pa.Table:
    W = cal.weeks
    n = org.people
    p = ev["person"]
    ok = p >= 0
    w = cal.week_of(ev["t"][ok])
    key = p[ok] * W + w
    tokens = ev["input"][ok] + ev["cached"][ok] + ev["write"][ok] + ev["output"][ok]
    infl = ev["inflating"][ok]
    size = n * W
    total = np.bincount(key, weights=tokens, minlength=size)
    total_i = np.zeros(size, dtype=np.int64)
    np.add.at(total_i, key, tokens)
    infl_tok = np.bincount(key, weights=tokens * infl, minlength=size)
    c = ev["cost"][ok]
    total_cost = np.bincount(key, weights=c, minlength=size)
    infl_cost = np.bincount(key, weights=c * infl, minlength=size)
    share_t = np.divide(infl_tok, total, out=np.zeros(size), where=total > 0)
    share_c = np.divide(infl_cost, total_cost, out=np.zeros(size), where=total_cost > 0)
    inflated = (infl_tok >= MIN_INFLATING_TOKENS) & (
        (share_t >= MIN_INFLATING_SHARE) | (share_c >= MIN_INFLATING_SHARE)
    )

    weeks = np.arange(W)
    first_day = 7 * weeks
    employed = (first_day[None, :] <= org.left_day[:, None]) & (
        first_day[None, :] + 6 >= org.hired_day[:, None]
    )
    employed &= ~org.is_manager[:, None]
    pp, ww = np.nonzero(employed)
    flat = pp * W + ww
    style_of = plan.style[pp]
    is_inf = inflated[flat] & (style_of >= 0)
    persona = [PERSONAS[int(x)] for x in org.persona[pp]]
    return pa.table(
        {
            "employee_id": pa.array([org.employee_id[x] for x in pp], pa.string()),
            "week_start": pa.array([cal.start + timedelta(days=7 * int(x)) for x in ww], pa.date32()),
            "persona": pa.array(persona, pa.string()),
            "persona_kind": pa.array([KIND[x] for x in persona], pa.string()),
            "is_inflated": pa.array(is_inf, pa.bool_()),
            "inflation_style": pa.array(
                [STYLES[int(s)] if f else None for s, f in zip(style_of, is_inf, strict=True)], pa.string()
            ),
            "ai_total_tokens": pa.array(total_i[flat], pa.int64()),
        }
    )


def _manifest(cal, org, plan, wx, crunch, bds, summary: Summary, path: Path) -> None:
    def iso(t: int) -> str:
        return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    inflators = []
    for i in np.flatnonzero(plan.style >= 0):
        inflators.append(
            {
                "employee_id": org.employee_id[i],
                "style": STYLES[int(plan.style[i])],
                "intensity": INTENSITIES[int(org.style_intensity[i])],
                "active_weeks": [int(w) for w in np.flatnonzero(plan.active[i])],
            }
        )
    manifest = {
        "family": "pylon",
        "organisation": "Pylon Grid",
        "engineers": summary.engineers,
        "people": org.people,
        "weeks": summary.weeks,
        "seed": summary.seed,
        "start": summary.start.isoformat(),
        "offices": [{"city": o.city, "timezone": o.zone, "region": o.region} for o in OFFICES],
        "leaderboards": [
            {
                "name": b.name,
                "areas": list(b.areas),
                "schedule": b.schedule,
                "snapshots": [iso(t) for t in b.snapshots],
            }
            for b in bds
        ],
        "weather": [
            {
                "region": w.region,
                "event": w.name,
                "start": (cal.start + timedelta(days=w.first_day)).isoformat(),
                "days": w.days,
            }
            for w in wx
        ],
        "crunches": [
            {"area": c.area, "release": c.name, "first_week": c.first_week, "weeks": c.weeks} for c in crunch
        ],
        "inflation_rule": INFLATION_RULE,
        "personas": summary.personas,
        "inflated_engineer_weeks_per_style": summary.inflated_by_style,
        "inflators": inflators,
        "events": summary.events,
    }
    path.write_text(json.dumps(manifest, indent=2) + "\n")
