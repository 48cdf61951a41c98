"""The simulation loop: plan, expand, top up, judge and write, one UTC week at a time."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from orchestration.kestrel.calendars import DAY_MS, OFFICES, make_calendar
from orchestration.kestrel.git import build_git
from orchestration.kestrel.leaderboard import board_values, office_groups
from orchestration.kestrel.org import (
    FIRST_STYLE,
    PERSONAS,
    STYLES,
    TOOLS,
    Org,
    build_org,
    employed_weeks,
    persona_kind,
)
from orchestration.kestrel.streams import Streams
from orchestration.kestrel.usage import Expander, concat_events, select, tokens
from orchestration.kestrel.writing import EventWriter, prepare, write, write_git, write_static

FAMILY = "kestrel"
#: A week is inflated when its inflating usage is at least this many tokens ...
MATERIAL_TOKENS = 250_000
#: ... and at least this share of the week's tokens or of the week's cost.
MATERIAL_SHARE = 0.20
WEEK_MS = 7 * DAY_MS


@dataclass
class Summary:
    out: Path
    engineers: int
    weeks: int
    seed: int
    start: date
    people: int
    teams: int
    departments: int
    repositories: int
    services: int
    managers: int
    hires: int
    leavers: int
    events: int
    duplicates: int
    day_files: int
    events_by_tool: dict[str, int]
    tables: dict[str, int]
    engineer_weeks: int
    inflated_weeks: int
    persona_engineers: dict[str, int]
    persona_weeks: dict[str, int]
    inflated_by_style: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def render(self) -> str:
        tools = ", ".join(
            f"{tool} {count / max(1, self.events):.0%}" for tool, count in self.events_by_tool.items()
        )
        personas = ", ".join(f"{name} {count}" for name, count in self.persona_engineers.items() if count)
        styles = ", ".join(f"{name} {count:,}" for name, count in self.inflated_by_style.items())
        lines = [
            f"Kestrel Air (family {FAMILY}): {self.engineers:,} engineers over {self.weeks} weeks from "
            f"{self.start.isoformat()}, seed {self.seed}",
            f"  offices: {', '.join(office.city for office in OFFICES)}; {self.teams} teams in "
            f"{self.departments} departments; {self.repositories} repositories; {self.services} services",
            f"  people: {self.people:,} ({self.engineers:,} engineers, {self.managers} managers and "
            f"directors); {self.hires} hired and {self.leavers} leaving during the period",
            f"  ai_usage_events: {self.events:,} rows in {self.day_files} daily files "
            f"(+{self.duplicates:,} re-delivered duplicates); {tools}",
            "  " + ", ".join(f"{name} {count:,}" for name, count in self.tables.items()),
            f"  engineer-weeks: {self.engineer_weeks:,}, of which inflated {self.inflated_weeks:,}",
            f"  personas (engineers): {personas}",
            f"  inflated engineer-weeks per style: {styles}",
            f"  ground truth: {self.out / '_ground_truth' / 'engineer_weeks.parquet'} ({self.seconds:.1f} s)",
        ]
        return "\n".join(lines)


def _keep(org: Org, events: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Only requests inside the period, and only while their person is employed."""
    cal = org.cal
    person, ts = events["person"], events["ts"]
    p = np.maximum(person, 0)
    employed_from = cal.start_ms + org.hired_day[p] * DAY_MS
    employed_to = cal.start_ms + (np.minimum(org.left_day[p], 10**5) + 1) * DAY_MS
    ok = (ts >= cal.start_ms) & (ts < cal.end_ms)
    ok &= (person < 0) | ((ts >= employed_from) & (ts < employed_to))
    return select(events, ok)


def _peer_average(org: Org, board: np.ndarray) -> np.ndarray:
    """Per person, the average figure of their team-mates on the board (their department's if few)."""
    eng = org.is_engineer
    value = np.where(eng, board, 0.0)
    listed = (board > 0) & eng
    teams = len(org.teams)
    team_sum = np.bincount(org.team, value, teams)
    team_n = np.bincount(org.team, listed, teams)
    departments = np.array([org.departments.index(org.department_of_team(t)) for t in range(teams)])
    dept = departments[org.team]
    dept_sum = np.bincount(dept, value, len(org.departments))
    dept_n = np.bincount(dept, listed, len(org.departments))
    s, n = team_sum[org.team] - value, team_n[org.team] - listed
    ds, dn = dept_sum[dept] - value, dept_n[dept] - listed
    return np.where(n >= 3, s / np.maximum(n, 1), ds / np.maximum(dn, 1))


def _trim(events: dict[str, np.ndarray], need: np.ndarray) -> dict[str, np.ndarray]:
    """Keep each person's top-up sessions, in order, until their tokens reach what they needed."""
    if not len(events["uid"]):
        return events
    session = events["session"]
    ids, first, inverse = np.unique(session, return_index=True, return_inverse=True)
    per_session = np.bincount(inverse, tokens(events).astype(np.float64), len(ids))
    owner = events["person"][first]
    order = np.lexsort((ids, owner))
    cum = np.cumsum(per_session[order])
    group_start = np.r_[0, np.flatnonzero(np.diff(owner[order])) + 1]
    before = cum - per_session[order]
    offsets = np.repeat(
        cum[group_start] - per_session[order][group_start], np.diff(np.r_[group_start, len(order)])
    )
    keep_sorted = (before - offsets) < need[owner[order]]
    keep = np.zeros(len(ids), dtype=bool)
    keep[order] = keep_sorted
    return select(events, keep[inverse])


def generate(
    out: Path | str,
    *,
    engineers: int,
    weeks: int,
    seed: int,
    start: date,
    progress: bool = False,
) -> Summary:
    """Write Kestrel Air's landing zone and ground truth to ``out``; see the package docstring."""
    clock = time.monotonic()
    out = Path(out)
    if start.weekday() != 0:
        raise ValueError(f"{start} is not a Monday")
    weeks = max(1, int(weeks))
    org_rng, git_rng, use_rng, write_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)
    )
    cal = make_calendar(start, weeks)
    org = build_org(engineers, cal, org_rng)
    git = build_git(org, git_rng)
    prepare(out)
    streams = Streams(org, git, use_rng)
    expander = Expander(org)
    writer = EventWriter(out, org, seed, write_rng)

    people = org.people
    tok = np.zeros((people, weeks), dtype=np.int64)
    inflating_tok = np.zeros((people, weeks), dtype=np.int64)
    cost = np.zeros((people, weeks))
    inflating_cost = np.zeros((people, weeks))
    by_tool = np.zeros(len(TOOLS), dtype=np.int64)
    groups = office_groups()[org.office]
    previous: dict[str, np.ndarray] | None = None
    board: np.ndarray | None = None

    for w in range(weeks):
        if progress:
            print(f"\rkestrel: week {w + 1}/{weeks}", end="", file=sys.stderr, flush=True)
        events = _keep(org, expander.expand(streams.week(w), use_rng))
        lo, hi = cal.start_ms + w * WEEK_MS, cal.start_ms + (w + 1) * WEEK_MS
        in_week = (events["ts"] >= lo) & (events["ts"] < hi) & (events["person"] >= 0)
        own = np.bincount(events["person"][in_week], tokens(events)[in_week].astype(np.float64), people)
        peers = _peer_average(org, own if board is None else board)
        candidates = streams.topup(w, own, peers)
        need = np.clip(peers * org.params["topup_factor"] - own, 0, 4.0 * np.maximum(peers, 1e6))
        top = _trim(_keep(org, expander.expand(candidates, use_rng)), need)
        events = concat_events([events, top])

        person, ts = events["person"], events["ts"]
        mine = person >= 0
        week = np.floor_divide(ts - cal.start_ms, WEEK_MS)
        flat = person[mine] * weeks + week[mine]
        t = tokens(events)
        inflating = events["style"] >= 0
        tok += np.bincount(flat, t[mine], people * weeks).astype(np.int64).reshape(people, weeks)
        inflating_tok += (
            np.bincount(flat, (t * inflating)[mine], people * weeks).astype(np.int64).reshape(people, weeks)
        )
        cost += np.bincount(flat, events["cost"][mine], people * weeks).reshape(people, weeks)
        inflating_cost += np.bincount(flat, (events["cost"] * inflating)[mine], people * weeks).reshape(
            people, weeks
        )
        by_tool += np.bincount(events["tool"], minlength=len(TOOLS))

        recent = {"person": person, "ts": ts, "tokens": t}
        if previous is not None:
            recent = {key: np.concatenate([previous[key], recent[key]]) for key in recent}
        board = np.zeros(people)
        for g in np.unique(groups):
            values = board_values(
                recent["person"], recent["ts"], recent["tokens"], int(streams.snap[g, w]), people
            )
            board = np.where(groups == g, values, board)
        previous = {"person": person, "ts": ts, "tokens": t}

        writer.add(events)
        writer.flush(7 * (w + 1) - 2)
    writer.flush(10**6)
    if progress:
        print(file=sys.stderr)

    static = write_static(out, org)
    delivery = write_git(out, org, git)

    # Ground truth.
    employed = employed_weeks(org) & org.is_engineer[:, None]
    p_idx, w_idx = np.nonzero(employed)
    persona = org.persona[p_idx]
    is_inflator = persona >= FIRST_STYLE
    infl_t, all_t = inflating_tok[p_idx, w_idx], tok[p_idx, w_idx]
    infl_c, all_c = inflating_cost[p_idx, w_idx], cost[p_idx, w_idx]
    material = (infl_t >= MATERIAL_TOKENS) & (
        (infl_t >= MATERIAL_SHARE * all_t) | (infl_c >= MATERIAL_SHARE * np.maximum(all_c, 1e-9))
    )
    inflated = is_inflator & material
    style = [
        STYLES[int(c) - FIRST_STYLE] if flag else None for c, flag in zip(persona, inflated, strict=True)
    ]
    truth = pa.table(
        {
            "employee_id": pa.array([org.employee_id[int(p)] for p in p_idx], type=pa.string()),
            "week_start": pa.array([cal.week_start(int(w)) for w in w_idx], type=pa.date32()),
            "persona": pa.array([PERSONAS[int(c)] for c in persona], type=pa.string()),
            "persona_kind": pa.array([persona_kind(int(c)) for c in persona], type=pa.string()),
            "is_inflated": pa.array(inflated, type=pa.bool_()),
            "inflation_style": pa.array(style, type=pa.string()),
            "ai_total_tokens": pa.array(all_t, type=pa.int64()),
        }
    )
    write(out, "_ground_truth", truth, "engineer_weeks.parquet")
    manifest = {
        "family": FAMILY,
        "engineers": int(engineers),
        "weeks": int(weeks),
        "seed": int(seed),
        "start": start.isoformat(),
        "organisation": "Kestrel Air",
        "truth_rule": (
            f"an inflator's UTC week is inflated when its inflating usage is at least {MATERIAL_TOKENS:,} "
            f"tokens and at least {MATERIAL_SHARE:.0%} of the week's tokens or of its cost"
        ),
    }
    (out / "_ground_truth" / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")

    eng = org.is_engineer
    persona_weeks = {name: int((persona == k).sum()) for k, name in enumerate(PERSONAS)}
    return Summary(
        out=out,
        engineers=int(eng.sum()),
        weeks=weeks,
        seed=seed,
        start=start,
        people=people,
        teams=len(org.teams),
        departments=len(org.departments),
        repositories=len(org.repos),
        services=len(org.services),
        managers=int((~eng).sum()),
        hires=int(((org.hired_day > 0) & eng).sum()),
        leavers=int(((org.left_day < 10**5) & eng).sum()),
        events=writer.rows,
        duplicates=writer.duplicates,
        day_files=writer.files,
        events_by_tool={tool: int(by_tool[k]) for k, tool in enumerate(TOOLS)},
        tables={**{k: v for k, v in static.items() if k != "people"}, **delivery},
        engineer_weeks=len(p_idx),
        inflated_weeks=int(inflated.sum()),
        persona_engineers={name: int(((org.persona == k) & eng).sum()) for k, name in enumerate(PERSONAS)},
        persona_weeks=persona_weeks,
        inflated_by_style={name: int(sum(1 for s in style if s == name)) for name in STYLES},
        seconds=time.monotonic() - clock,
    )
