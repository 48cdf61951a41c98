"""Put Fjord together: roster, delivery, usage (two passes), files and ground truth."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from orchestration.fjord.calendar import DAY, HOUR, Calendar
from orchestration.fjord.delivery import build_delivery
from orchestration.fjord.org import (
    DEPARTMENT_KEYS,
    INFLATOR,
    PERSONAS,
    STYLES,
    Org,
    Person,
    build_org,
    workdays,
)
from orchestration.fjord.usage import TAG_INFLATED, Events, Planner, expand, tokens_of
from orchestration.fjord.writer import (
    clear,
    iso_utc,
    write_delivery,
    write_reference,
    write_truth,
    write_usage,
)

#: Styles calibrated on what the leaderboard shows of everyone else, planted in a second pass.
CALIBRATED = ("performative_topup", "leaderboard_burst")
CHUNK = 48


@dataclass
class Summary:
    out: Path
    start: date
    weeks: int
    engineers: int
    managers: int
    hires: int
    leavers: int
    events: int
    tokens: int
    prs: int
    reviews: int
    commits: int
    deployments: int
    incidents: int
    engineer_weeks: int
    personas: dict[str, int] = field(default_factory=dict)
    inflated_weeks: dict[str, int] = field(default_factory=dict)
    inflators: dict[str, int] = field(default_factory=dict)
    snapshots: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def render(self) -> str:
        end = self.start + timedelta(days=7 * self.weeks - 1)
        lines = [
            f"Fjord: {self.engineers:,} engineers and {self.managers:,} managers ({self.hires} hired and "
            f"{self.leavers} leaving during the period), {self.weeks} weeks {self.start} to {end}",
            f"Wrote {self.out}: {self.events:,} AI usage events ({self.tokens / 1e9:,.2f}B tokens), "
            f"{self.prs:,} PRs, {self.reviews:,} reviews, {self.commits:,} commits, "
            f"{self.deployments:,} deployments, {self.incidents:,} incidents in {self.seconds:.1f} s",
            f"Ground truth: {self.out / '_ground_truth' / 'engineer_weeks.parquet'} "
            f"({self.engineer_weeks:,} engineer-weeks)",
            "Personas: " + ", ".join(f"{k} {v}" for k, v in self.personas.items()),
            "Inflated engineer-weeks per style (engineers):",
        ]
        lines += [
            f"  {style:<24}{self.inflated_weeks.get(style, 0):>7,}  ({self.inflators.get(style, 0)})"
            for style in STYLES
        ]
        lines.append("Leaderboard snapshots: " + "; ".join(self.snapshots))
        return "\n".join(lines)


def default_start(weeks: int, today: date | None = None) -> date:
    """The Monday such that the period's last week ends before today."""
    today = date.today() if today is None else today
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(days=7 * weeks)


def _rng(*key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(list(key))))


def generate(
    out: Path,
    *,
    engineers: int,
    weeks: int,
    seed: int,
    start: date | None = None,
    progress: bool = True,
) -> Summary:
    clock = time.monotonic()
    if engineers < 8:
        raise ValueError(f"fjord needs at least 8 engineers, not {engineers}")
    if weeks < 1:
        raise ValueError(f"fjord needs at least one week, not {weeks}")
    if seed < 0:
        raise ValueError(f"the seed must be a non-negative integer, not {seed}")
    today = date.today()
    start = default_start(weeks, today) if start is None else start
    if start.weekday() != 0:
        raise ValueError(f"the period starts on a Monday; {start} is a {start:%A}")
    end = start + timedelta(days=7 * weeks)
    if end > today:
        raise ValueError(
            f"{weeks} weeks from {start} run to {end - timedelta(days=1)}, past today ({today}); "
            f"start on {default_start(weeks, today)} or earlier"
        )
    out = Path(out)
    cal = Calendar(start, weeks, DEPARTMENT_KEYS)
    org = build_org(_rng(seed, 1), engineers, cal)
    delivery = build_delivery(org, cal, _rng(seed, 2), seed)
    planner = Planner(org, cal, delivery, seed)
    events = Events()
    sessions = 0

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(org.people), desc="fjord: people", unit="person", leave=False)

    deferred = [p for p in org.people if p.style in CALIBRATED]
    direct = [p for p in org.people if p.style not in CALIBRATED]
    for c in range(0, len(direct), CHUNK):
        for p in direct[c : c + CHUNK]:
            planner.plan(p, _rng(seed, 3, p.idx), deferred=False)
        rows = planner.take_rows()
        events.add(expand(rows, _rng(seed, 4, c), cal.start_epoch, sessions))
        sessions += len(rows)
        if bar is not None:
            bar.update(len(direct[c : c + CHUNK]))
    states = {}
    own = np.zeros((len(org.people), weeks), dtype=np.int64)
    for p in deferred:
        states[p.idx] = planner.plan(p, _rng(seed, 3, p.idx), deferred=True)
        rows = planner.take_rows()
        part = expand(rows, _rng(seed, 5, p.idx), cal.start_epoch, sessions)
        sessions += len(rows)
        events.add(part)
        week = ((part["ts"] - cal.start_epoch) // (7 * DAY)).astype(np.int64)
        own[p.idx] = np.bincount(week, weights=_tokens(part), minlength=weeks)[:weeks]

    # What the leaderboard shows: mean weekly tokens of the engineers with usage, per team and unit.
    seen = sum(
        (_person_week_tokens(part, len(org.people), weeks, cal) for part in events.parts),
        np.zeros((len(org.people), weeks)),
    )
    board = _board(org, seen)
    for p in deferred:
        rng = _rng(seed, 6, p.idx)
        for week in sorted(p.planned_inflation):
            if p.style == "performative_topup":
                sessions = _top_up(planner, events, p, week, rng, states[p.idx], board, own, sessions)
            else:
                sessions = _burst(planner, events, p, week, rng, states[p.idx], board, sessions)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()

    ev = events.concat()
    events.parts.clear()
    order = np.lexsort((ev["session"], ev["ts"]))
    for key in list(ev):
        ev[key] = ev[key][order]
    del order
    clear(out)
    out.mkdir(parents=True, exist_ok=True)
    write_reference(out, org, cal)
    write_delivery(out, org, cal, delivery)
    written = write_usage(out, org, cal, ev, seed)
    truth, inflated_weeks = _truth(org, cal, ev)
    snapshots = [
        [iso_utc(s.moment), cal.date_of(7 * s.week).isoformat(), " ".join(s.departments), s.label]
        for s in cal.snapshots
    ]
    write_truth(out, cal, org, truth, snapshots)

    engineers_list = org.engineers
    schedule = sorted({s.label for s in cal.snapshots if s.week < (cal.switch_week or weeks)})
    if cal.switch_week is not None:
        schedule.append(
            f"from week {cal.switch_week} ({cal.date_of(7 * cal.switch_week)}): "
            "company-wide every other Tuesday 10:00 Europe/Oslo"
        )
    return Summary(
        out=out,
        start=start,
        weeks=weeks,
        engineers=len(engineers_list),
        managers=len(org.people) - len(engineers_list),
        hires=sum(1 for p in engineers_list if p.hired_day > 0),
        leavers=sum(1 for p in engineers_list if p.left_day is not None),
        events=written,
        tokens=int(_tokens(ev).sum()),
        prs=len(delivery.prs),
        reviews=len(delivery.reviews),
        commits=len(delivery.commits),
        deployments=len(delivery.deployments),
        incidents=len(delivery.incidents),
        engineer_weeks=len(truth["employee_id"]),
        personas={name: sum(1 for p in engineers_list if p.persona == name) for name in PERSONAS},
        inflated_weeks=inflated_weeks,
        inflators={s: sum(1 for p in engineers_list if p.style == s) for s in STYLES},
        snapshots=schedule,
        seconds=time.monotonic() - clock,
    )


def _tokens(part: dict) -> np.ndarray:
    return (part["inp"] + part["cached"] + part["cw"] + part["out"]).astype(np.float64)


def _person_week_tokens(ev: dict, people: int, weeks: int, cal: Calendar) -> np.ndarray:
    week = ((ev["ts"] - cal.start_epoch) // (7 * DAY)).astype(np.int64)
    ok = (week >= 0) & (week < weeks)
    flat = ev["person"][ok].astype(np.int64) * weeks + week[ok]
    return np.bincount(flat, weights=_tokens(ev)[ok], minlength=people * weeks).reshape(people, weeks)


def _board(org: Org, seen: np.ndarray) -> dict[str, dict]:
    """Mean weekly tokens over engineers with any usage, per department and per team."""
    board: dict[str, dict] = {"department": {}, "team": {}}
    for scope, key in (("department", lambda p: p.department), ("team", lambda p: p.team)):
        groups: dict = {}
        for p in org.engineers:
            groups.setdefault(key(p), []).append(p.idx)
        for name, members in groups.items():
            block = seen[members]
            users = (block > 0).sum(axis=0)
            board[scope][name] = np.where(users > 0, block.sum(axis=0) / np.maximum(users, 1), 0.0)
    return board


def _fill(planner: Planner, events: Events, rng, target: float, sessions: int, make) -> int:
    """Add sessions made by `make()` in small batches until their requests reach `target` tokens."""
    added, per, made = 0.0, 0.0, 0
    while added < target and made < 400:
        batch = 2 if per <= 0 else int(np.clip((target - added) / per * 0.8, 1, 40))
        for _ in range(batch):
            make()
        rows = planner.take_rows()
        part = expand(rows, rng, planner.cal.start_epoch, sessions)
        sessions += len(rows)
        events.add(part)
        got = tokens_of(part)
        made += batch
        added += got
        per = added / made
        if got == 0 and per == 0:
            break
    return sessions


def _top_up(planner, events, p: Person, week: int, rng, state, board, own, sessions) -> int:
    """Usage added on top of a normal week, sized to sit just above the peers' average on the board."""
    days = workdays(p, planner.cal, week)
    if not days:
        return sessions
    seen_week = max(0, week - 1)
    scope = state["scope"]
    peers = board[scope][p.department if scope == "department" else p.team][seen_week]
    target = peers * state["factor"] * rng.lognormal(0.0, 0.08) - own[p.idx, week]
    if target <= 0:
        return sessions
    week_end = planner.cal.week_start_epoch(week + 1)
    pool_base = state["hash"] + 7

    def make() -> None:
        mode = state["mode"]
        if mode == "friday":
            day = days[-1]
            start = planner.at(p, day, rng.uniform(13.0, 17.5))
        elif mode == "evening":
            day = days[int(rng.integers(len(days)))]
            start = planner.at(p, day, rng.uniform(19.0, 23.0))
        else:
            start = planner.in_day(p, days[int(rng.integers(len(days)))], rng)
        if rng.random() < state["agentic"]:
            tool = planner.pick_tool(p, p.agent_tool, rng)
            planner.add(
                p,
                tool,
                planner.model(tool, "agent", rng),
                "agent",
                start,
                int(rng.integers(10, 41)),
                "agent",
                limit=week_end,
                tag=TAG_INFLATED,
                acc=0.03,
                sugg=1.5,
            )
        else:
            tool = planner.pick_tool(p, p.chat_tool, rng)
            planner.add(
                p,
                tool,
                planner.model(tool, "chat", rng),
                "chat",
                start,
                int(rng.integers(3, 15)),
                "topup",
                limit=week_end,
                tag=TAG_INFLATED,
                hbase=pool_base,
                pool=10,
            )

    return _fill(planner, events, rng, target, sessions, make)


def _burst(planner, events, p: Person, week: int, rng, state, board, sessions) -> int:
    """Agent sessions piled into the hours before the leaderboard is captured."""
    cal = planner.cal
    snaps = [s for s in cal.snapshots_for(p.department) if s.week == week]
    peers = board["department"][p.department][max(0, week - 1)]
    for snap in snaps:
        lead = state["lead"] * rng.lognormal(0.0, 0.3) * HOUR
        first = max(cal.week_start_epoch(week), snap.moment - lead)
        last = snap.moment - 15 * 60
        if last <= first or not p.employed_on(cal.local_day(p.zone_idx, snap.moment)):
            continue
        target = max(peers, 2e6) * state["ambition"] * rng.lognormal(0.0, 0.2)

        def make(first=first, last=last, snap=snap) -> None:
            tool = "claude_code" if p.has_claude else p.agent_tool
            purpose = "premium" if rng.random() < 0.4 else "agent"
            planner.add(
                p,
                tool,
                planner.model(tool, purpose, rng),
                "agent",
                rng.uniform(first, last),
                max(5, int(rng.lognormal(np.log(60), 0.5))),
                "burst",
                limit=snap.moment,
                tag=TAG_INFLATED,
            )

        sessions = _fill(planner, events, rng, target, sessions, make)
    return sessions


def _truth(org: Org, cal: Calendar, ev: dict) -> tuple[dict[str, list], dict[str, int]]:
    people, weeks = len(org.people), cal.weeks
    tokens = _person_week_tokens(ev, people, weeks, cal)
    week = ((ev["ts"] - cal.start_epoch) // (7 * DAY)).astype(np.int64)
    flat = ev["person"].astype(np.int64) * weeks + week
    counts = np.bincount(flat, minlength=people * weeks).reshape(people, weeks)
    tagged = ev["tag"] == TAG_INFLATED
    inflated = np.bincount(flat[tagged], weights=_tokens(ev)[tagged], minlength=people * weeks).reshape(
        people, weeks
    )
    rows: dict[str, list] = {
        k: []
        for k in (
            "employee_id",
            "week",
            "persona",
            "persona_kind",
            "is_inflated",
            "inflation_style",
            "team_id",
            "department",
            "ai_total_tokens",
            "ai_events",
            "inflated_tokens",
        )
    }
    per_style: dict[str, int] = dict.fromkeys(STYLES, 0)
    for p in sorted(org.engineers, key=lambda p: p.employee_id):
        for w in range(weeks):
            if not p.employed_week(w):
                continue
            is_inflated = p.kind == INFLATOR and w in p.planned_inflation and inflated[p.idx, w] > 0
            rows["employee_id"].append(p.employee_id)
            rows["week"].append(w)
            rows["persona"].append(p.persona)
            rows["persona_kind"].append(p.kind)
            rows["is_inflated"].append(bool(is_inflated))
            rows["inflation_style"].append(p.style if is_inflated else None)
            rows["team_id"].append(org.teams[p.team].team_id)
            rows["department"].append(p.department)
            rows["ai_total_tokens"].append(int(tokens[p.idx, w]))
            rows["ai_events"].append(int(counts[p.idx, w]))
            rows["inflated_tokens"].append(int(inflated[p.idx, w]))
            if is_inflated:
                per_style[p.style] += 1
    return rows, per_style
