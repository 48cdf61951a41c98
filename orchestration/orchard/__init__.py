"""The orchard family: a synthetic agricultural-machinery maker.

The organisation
    Orchard Agri Machines builds tractors, combines and sprayers. Its engineers sit in six departments:
    Embedded & Firmware (ECUs, ISOBUS, cab displays, over-the-air updates; mostly a self-hosted coding
    model, because machine code is export-controlled, plus Copilot), Telematics Cloud (fleet ingest,
    machine API; Claude Code and Copilot), Parts & Dealer Web (the parts shop and dealer portal; Cursor),
    Precision Ag Data Science (yield and soil models; OpenAI API keys and Claude Code), Field Support
    Engineering (on call for machines in the field; the internal agent) and Internal Platform & IT.
    Offices: Moline (America/Chicago), Denver, Curitiba (America/Sao_Paulo), Mannheim (Europe/Berlin),
    Leeds, Pune (Asia/Kolkata) and Adelaide. Each team has a manager (role `manager`, not in the truth).

Calendar
    Public holidays per office; one or two vacation weeks per person; the northern harvest (mid-August to
    October) and the southern one (February to April) triple the field incidents of the offices it
    touches; yearly crunches (firmware model-year freeze and trade fair, parts pre-season and Black
    Friday, telematics before harvest) plus a team deadline or two make everyone in a team work harder,
    with the output to match. Hires join during the period (on Mondays for new graduates); a few leave.

The leaderboard
    An "AI Champions" token leaderboard launches in week max(1, weeks // 5). The Americas board
    (Moline, Denver, Curitiba, Adelaide) is snapshotted Fridays 15:00 America/Chicago and, from week
    round(0.6 * weeks), Mondays 08:00 America/Chicago for the all-hands; the EMEA/APAC board (Mannheim,
    Leeds, Pune) Thursdays 17:00 Europe/Berlin.

Personas (persona_kind)
    ordinary: non_adopter, light_user, steady_user, late_adopter.
    legitimate_heavy (never inflated): power_user (three times the merged PRs), migration_lead (a three
    to six week window of agent work and large migration PRs), oncall_responder (incident sessions at
    any hour, the incidents resolved), staff_reviewer (reviews, with the assistant, instead of PRs),
    new_hire_learner (many long-context questions for eight weeks while learning the codebase),
    release_cruncher (a team crunch at 2.6 times usual use, evenings and a Saturday, PRs to match),
    harvest_field_debugger (pastes CAN-bus and telemetry dumps of broken machines, huge inputs at odd
    hours, and resolves the field incidents), batch_agronomist (a sanctioned nightly labelling run of
    warranty reports through an OpenAI key: large regular night-time usage buckets, every prompt new).
    inflator, each with one style: performative_topper → performative_topup (the normal job plus
    agent sessions up to 5-30% above the team's average of the week), background_agent_idler →
    idle_background_agents (agents left looping for hours, nights and vacations included),
    code_regenerator → regenerating_written_code, context_stuffer → whole_codebase_context,
    premium_defaulter → premium_model_for_trivia, prompt_replayer → scripted_prompt_replay (a script
    replays a handful of prompts at regular intervals), throwaway_prototyper → throwaway_prototypes (agent
    builds and PRs closed unmerged), leaderboard_sprinter → leaderboard_burst (dense usage in the hours
    before the group's snapshot). Some inflate persistently from their onset, others in episodes.

Truth
    `_ground_truth/engineer_weeks.parquet`: one row per engineer and UTC ISO week employed. A week is
    inflated when the person's inflating usage landed in it: at least ten such events or 5% of the
    week's tokens.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from orchestration.orchard.calendar import DAY, WEEK, Clock, leaderboard_for
from orchestration.orchard.delivery import build_delivery
from orchestration.orchard.org import STYLES, build_roster
from orchestration.orchard.plan import World, baseline, build_world, inflation, topup
from orchestration.orchard.usage import Events, expand
from orchestration.orchard.write import write_landing, write_truth

TODAY = date(2026, 12, 7)


@dataclass
class Summary:
    out: Path
    engineers: int
    managers: int
    weeks: int
    start: date
    events: int
    pull_requests: int
    reviews: int
    incidents: int
    deployments: int
    personas: dict[str, int] = field(default_factory=dict)
    inflated_weeks: dict[str, int] = field(default_factory=dict)
    leaderboard: str = ""

    def render(self) -> str:
        lines = [
            f"Orchard Agri Machines -> {self.out}",
            f"  {self.engineers:,} engineers and {self.managers:,} managers, "
            f"{self.weeks} weeks from {self.start}",
            f"  {self.events:,} AI usage events, {self.pull_requests:,} pull requests, "
            f"{self.reviews:,} reviews, {self.deployments:,} deployments, {self.incidents:,} incidents",
            f"  {self.leaderboard}",
            "  personas: " + ", ".join(f"{name} {count}" for name, count in sorted(self.personas.items())),
            "  inflated engineer-weeks per style:",
        ]
        lines += [f"    {style:<28}{count:>7,}" for style, count in sorted(self.inflated_weeks.items())]
        lines.append(f"  truth: {self.out / '_ground_truth' / 'engineer_weeks.parquet'}")
        return "\n".join(lines)


def default_start(weeks: int, today: date | None = None) -> date:
    today = today or TODAY
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7 * weeks)


def generate(
    out: Path, *, engineers: int, weeks: int, seed: int, start: date | None = None, progress: bool = False
) -> Summary:
    if engineers < 5:
        raise ValueError(f"engineers must be at least 5, not {engineers}")
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    today = max(TODAY, date.today())
    start = start or default_start(weeks, today)
    if start.weekday() != 0:
        raise ValueError(f"start {start} is not a Monday")
    last = start + timedelta(days=7 * weeks - 1)
    if last >= today:
        raise ValueError(
            f"the period {start} .. {last} reaches past today ({today}); choose an earlier start"
        )
    out = Path(out)

    def say(text: str) -> None:
        if progress:
            print(f"orchard: {text}", file=sys.stderr, flush=True)

    rng = random.Random(f"orchard-{seed}")
    nprng = np.random.default_rng([seed, 0x0C4A5D])
    clock = Clock(start, weeks * 7)
    board = leaderboard_for(weeks)
    teams, people = build_roster(rng, engineers, weeks, start)
    world = build_world(rng, clock, start, weeks, teams, people, board)
    say(f"{len(people)} people in {len(teams)} teams; delivery")
    delivery = build_delivery(world)
    say("usage")
    for p in people:
        for week in range(weeks):
            if p.employed_week(week) and week not in p.vacation:
                baseline(world, p, week)
            if p.employed_week(week):
                inflation(world, p, week)
    first = _clip(world, expand(world.blocks, nprng, seed))

    # The performative top-up, against the team's average of the week so far.
    own = _weekly(first, len(people), weeks, world)
    world.blocks = type(world.blocks)()
    for t, team in enumerate(teams):
        members = [people[m] for m in team.members]
        for week in range(weeks):
            used = [own[m.index, week] for m in members if own[m.index, week] > 0]
            if not used:
                continue
            peers = float(np.mean(used))
            for m in members:
                if m.persona == "performative_topper" and m.employed_week(week):
                    topup(world, m, week, float(own[m.index, week]), peers)
        del t
    events = Events.concat([first, _clip(world, expand(world.blocks, nprng, seed + 7919))])
    order = np.lexsort((events.prompt, events.eng, events.at))
    events = events.take(order)
    say(f"{len(events):,} events; writing")

    truth, inflated = _truth(world, events)
    write_landing(out, world, delivery, events, seed)
    write_truth(out, truth)
    engineers_only = [p for p in people if p.is_engineer]
    return Summary(
        out=out,
        engineers=len(engineers_only),
        managers=len(people) - len(engineers_only),
        weeks=weeks,
        start=start,
        events=len(events),
        pull_requests=len(delivery.pull_requests),
        reviews=len(delivery.reviews),
        incidents=len(delivery.incidents),
        deployments=len(delivery.deployments),
        personas=dict(Counter(p.persona for p in engineers_only)),
        inflated_weeks=inflated,
        leaderboard=board.describe(),
    )


def _clip(world: World, events: Events) -> Events:
    """Keep the events inside the period and the person's employment."""
    hire = np.array([p.hire_day for p in world.people], dtype=np.int64)
    leave = np.array(
        [p.leave_day if p.leave_day is not None else 10**6 for p in world.people], dtype=np.int64
    )
    day = (events.at - world.clock.start_epoch) // DAY
    keep = (day >= 0) & (day < world.days) & (day >= hire[events.eng]) & (day <= leave[events.eng])
    return events.take(np.flatnonzero(keep))


def _weekly(events: Events, people: int, weeks: int, world: World) -> np.ndarray:
    week = (events.at - world.clock.start_epoch) // WEEK
    cell = events.eng.astype(np.int64) * weeks + week
    totals = np.bincount(cell, weights=events.total_tokens.astype(np.float64), minlength=people * weeks)
    return totals.reshape(people, weeks)


def _truth(world: World, events: Events) -> tuple[dict[str, list], dict[str, int]]:
    people, weeks = world.people, world.weeks
    week = (events.at - world.clock.start_epoch) // WEEK
    cell = events.eng.astype(np.int64) * weeks + week
    size = len(people) * weeks
    tokens = events.total_tokens.astype(np.float64)
    total = np.bincount(cell, weights=tokens, minlength=size)
    infl_tokens = np.bincount(cell, weights=np.where(events.inflated, tokens, 0.0), minlength=size)
    infl_events = np.bincount(cell, weights=events.inflated.astype(np.float64), minlength=size)
    rows: dict[str, list] = {
        key: []
        for key in (
            "employee_id",
            "week_start",
            "team_id",
            "persona",
            "persona_kind",
            "is_inflated",
            "inflation_style",
            "ai_total_tokens",
        )
    }
    inflated: Counter = Counter({style: 0 for style in STYLES.values()})
    for p in people:
        if not p.is_engineer:
            continue
        for w in range(weeks):
            if not p.employed_week(w):
                continue
            i = p.index * weeks + w
            is_inflated = bool(
                p.persona in STYLES
                and infl_events[i] > 0
                and (infl_events[i] >= 10 or infl_tokens[i] >= 0.05 * total[i])
            )
            style = STYLES[p.persona] if is_inflated else None
            if style:
                inflated[style] += 1
            rows["employee_id"].append(p.employee_id)
            rows["week_start"].append(world.start + timedelta(days=7 * w))
            rows["team_id"].append(world.teams[p.team].team_id)
            rows["persona"].append(p.persona)
            rows["persona_kind"].append(p.kind)
            rows["is_inflated"].append(is_inflated)
            rows["inflation_style"].append(style)
            rows["ai_total_tokens"].append(int(total[i]))
    return rows, dict(inflated)
