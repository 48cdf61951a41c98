"""How Brae's inflators pad their numbers on top of their normal work, each in one style.

Each inflator starts in a week of their own, pads in some weeks and not others, at an intensity of
their own, and some give up part-way. Nothing here changes the work they do anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.brae.calendar import DAY_US, HOUR_US, US, Board
from orchestration.brae.delivery import Delivery
from orchestration.brae.organisation import STYLES, Org
from orchestration.brae.sessions import (
    CUR_GPT5,
    CUR_OPUS,
    GPT5,
    GPT41,
    GW_SONNET,
    OPUS,
    S_AGENT,
    S_BURST,
    S_FANOUT,
    S_IDLE,
    S_PROTO,
    S_RECHURN,
    S_REGEN,
    S_REPLAY,
    S_STUFF,
    S_TRIVIA,
    SONNET,
    Sessions,
)
from orchestration.brae.traits import CLAUDE, COPILOT, CURSOR, INTERNAL, OPENAI, Traits


@dataclass
class Plan:
    person: np.ndarray
    style: list[str]
    #: [inflator, week]: the weeks each inflator pads
    active: np.ndarray
    intensity: np.ndarray
    board: list[str]

    def weeks_of(self, style: str) -> dict[int, np.ndarray]:
        return {int(p): self.active[i] for i, p in enumerate(self.person) if self.style[i] == style}


def plan(org: Org, boards: list[Board], rng: np.random.Generator) -> Plan:
    cal = org.cal
    weeks = cal.weeks
    people: list[int] = []
    styles: list[str] = []
    for style in STYLES:
        mine = org.by_persona(style)
        people += [int(p) for p in mine]
        styles += [style] * mine.size
    n = len(people)
    person = np.array(people, dtype=np.int64)
    active = np.zeros((n, weeks), dtype=bool)
    intensity = np.where(rng.random(n) < 0.2, rng.uniform(0.15, 0.4, n), rng.lognormal(0, 0.45, n))
    board_names: list[str] = []
    first_of_style: set[str] = set()
    work_days = org.working[person].reshape(n, weeks, 7).sum(axis=2) if n else np.zeros((0, weeks))
    for i in range(n):
        style = styles[i]
        leader = style not in first_of_style
        first_of_style.add(style)
        begin = int(rng.integers(0, 2)) if leader else int(rng.integers(0, max(1, int(0.6 * weeks))))
        stop = weeks
        if not leader and rng.random() < 0.35:
            stop = min(weeks, begin + int(rng.integers(3, 11)))
        p_on = 1.0 if leader else rng.uniform(0.55, 1.0)
        if leader:
            intensity[i] = max(intensity[i], 1.0)
        on = (rng.random(weeks) < p_on) & (np.arange(weeks) >= begin) & (np.arange(weeks) < stop)
        on[begin] = True
        away = work_days[i] < 2
        if style == "idle_agent":
            away &= rng.random(weeks) < 0.5
        active[i] = on & ~away
        dep = int(org.department[people[i]])
        weekly = boards[1]
        board_names.append(
            weekly.name if dep in weekly.departments and rng.random() < 0.6 else boards[0].name
        )
    return Plan(person=person, style=styles, active=active, intensity=intensity, board=board_names)


def sessions(
    org: Org, traits: Traits, p: Plan, boards: list[Board], d: Delivery, rng: np.random.Generator, salt: int
) -> Sessions:
    cal = org.cal
    parts: list[Sessions] = []
    by_name = {b.name: b for b in boards}
    for i, person in enumerate(p.person):
        style = p.style[i]
        k = float(p.intensity[i])
        weeks = np.flatnonzero(p.active[i])
        if weeks.size == 0:
            continue
        office = int(org.office[person])
        days = (weeks[:, None] * 7 + np.arange(7)[None, :]).ravel()
        workdays = days[org.working[person, days]]
        has_claude = traits.tool_p[person, CLAUDE] > 0
        main_tool = CLAUDE if has_claude else (CURSOR if traits.tool_p[person, CURSOR] > 0 else COPILOT)

        def at(dd: np.ndarray, hours: np.ndarray, office: int = office) -> np.ndarray:
            return cal.local_to_utc_us(np.full(dd.size, office), dd, hours)

        def workday_sessions(
            rate: float, dd: np.ndarray = workdays, chrono: float = float(traits.chrono[person])
        ) -> tuple[np.ndarray, np.ndarray]:
            counts = rng.poisson(rate, dd.size)
            day = np.repeat(dd, counts)
            hours = np.clip(rng.normal(13.0, 2.5, day.size) + chrono, 8, 19.5)
            return day, at(day, hours)

        def who(size: int, person: int = int(person)) -> np.ndarray:
            return np.full(size, person)

        if style == "leaderboard_topper":
            day, start = workday_sessions(2.2 * k)
            tool = np.where(
                rng.random(day.size) < 0.7,
                main_tool,
                CURSOR if traits.tool_p[person, CURSOR] > 0 else main_tool,
            )
            parts.append(
                Sessions.make(
                    who(day.size),
                    tool,
                    start,
                    1 + rng.poisson(8, day.size),
                    60.0,
                    S_AGENT,
                    inflating=True,
                    accept=0.05,
                )
            )
        elif style == "snapshot_burster":
            board = by_name[p.board[i]]
            # The burst comes in the day and a half before a snapshot of the board they chase.
            snap_week = (board.snapshots_us - DAY_US // 2 - cal.start_us) // (7 * DAY_US)
            valid = (snap_week >= 0) & (snap_week < cal.weeks)
            targets = board.snapshots_us[valid][p.active[i][snap_week[valid]]]
            for snap in targets:
                count = max(2, round(rng.uniform(3, 7) * min(k, 2.0)))
                start = snap - (rng.uniform(1.0, 30.0, count) * HOUR_US).astype(np.int64)
                parts.append(
                    Sessions.make(
                        who(count),
                        main_tool,
                        start,
                        rng.integers(25, 70, count),
                        40.0,
                        S_BURST,
                        inflating=True,
                        accept=0.04,
                    )
                )
        elif style == "idle_agent":
            nights = days[(cal.weekday[days] < 5) & (rng.random(days.size) < min(0.9, 0.35 + 0.2 * k))]
            weekends = days[(cal.weekday[days] >= 5) & (rng.random(days.size) < 0.3)]
            tool = main_tool if has_claude else INTERNAL
            for dd, hour in (
                (nights, rng.uniform(18.5, 21.0, nights.size)),
                (weekends, rng.uniform(9.5, 12.0, weekends.size)),
            ):
                duration = rng.uniform(2, 7, dd.size) * 3600
                gap = rng.uniform(200, 600, dd.size)
                parts.append(
                    Sessions.make(
                        who(dd.size),
                        tool,
                        at(dd, hour),
                        (duration / gap).astype(np.int64),
                        gap,
                        S_IDLE,
                        inflating=True,
                        family=int(person) * 101 + 7,
                        pool=int(rng.integers(4, 9)),
                        regular=True,
                        accept=0.0,
                    )
                )
        elif style == "regenerator":
            day, start = workday_sessions(3.0 * k)
            week_of = day // 7
            parts.append(
                Sessions.make(
                    who(day.size),
                    np.where(
                        rng.random(day.size) < 0.5,
                        main_tool,
                        CURSOR if traits.tool_p[person, CURSOR] > 0 else main_tool,
                    ),
                    start,
                    rng.integers(2, 7, day.size),
                    90.0,
                    S_REGEN,
                    inflating=True,
                    family=(int(person) * 1000 + week_of).astype(np.uint64),
                    pool=6,
                    accept=0.01,
                )
            )
        elif style == "context_stuffer":
            day, start = workday_sessions(4.0 * k)
            tool = np.where(
                rng.random(day.size) < 0.7,
                main_tool,
                CURSOR if traits.tool_p[person, CURSOR] > 0 else main_tool,
            )
            model = np.where(tool == CURSOR, CUR_GPT5, -1)
            parts.append(
                Sessions.make(
                    who(day.size),
                    tool,
                    start,
                    rng.integers(1, 4, day.size),
                    300.0,
                    S_STUFF,
                    model=model,
                    inflating=True,
                    accept=0.02,
                )
            )
        elif style == "premium_for_trivia":
            day, start = workday_sessions(5.0 * k)
            tool = np.full(day.size, main_tool if main_tool != COPILOT else CURSOR)
            model = np.where(tool == CURSOR, CUR_OPUS, OPUS)
            parts.append(
                Sessions.make(
                    who(day.size),
                    tool,
                    start,
                    rng.integers(2, 7, day.size),
                    50.0,
                    S_TRIVIA,
                    model=model,
                    inflating=True,
                )
            )
        elif style == "prompt_replayer":
            day = workdays[rng.random(workdays.size) < min(1.0, 0.6 + 0.3 * k)]
            start = at(day, rng.uniform(9.2, 10.0, day.size))
            gap = rng.uniform(90, 240, day.size)
            duration = rng.uniform(5.0, 7.5, day.size) * 3600 * min(1.0, 0.5 + 0.5 * k)
            use_key = traits.has_key[person]
            tool = OPENAI if use_key else main_tool
            parts.append(
                Sessions.make(
                    who(day.size),
                    tool,
                    start,
                    (duration / gap).astype(np.int64),
                    gap,
                    S_REPLAY,
                    model=GPT5 if use_key else -1,
                    inflating=True,
                    family=int(person) * 31 + 1,
                    pool=int(rng.integers(3, 6)),
                    regular=True,
                    accept=0.0,
                )
            )
        elif style == "draft_pr_padder":
            prs = d.prs
            mine = np.flatnonzero((prs["author"] == person) & prs["padder"])
            for pr in mine:
                count = int(rng.integers(1, 3))
                start = prs["created"][pr] - (rng.uniform(2, 40, count) * HOUR_US).astype(np.int64)
                parts.append(
                    Sessions.make(
                        who(count),
                        main_tool,
                        start,
                        rng.integers(20, 60, count),
                        70.0,
                        S_PROTO,
                        inflating=True,
                        accept=0.8,
                    )
                )
        elif style == "model_fanout":
            day, start = workday_sessions(6.0 * k)
            tools = [main_tool if main_tool != COPILOT else CLAUDE, CURSOR, COPILOT, INTERNAL]
            models = [SONNET if main_tool != CURSOR else -1, CUR_GPT5, GPT41, GW_SONNET]
            if traits.has_key[person]:
                tools.append(OPENAI)
                models.append(GPT5)
            for q in range(day.size):
                pick = rng.choice(len(tools), size=int(rng.integers(3, len(tools) + 1)), replace=False)
                fam = int(person) * 100_000 + q
                parts.append(
                    Sessions.make(
                        who(pick.size),
                        np.array(tools)[pick],
                        start[q] + (rng.uniform(0, 90, pick.size) * US).astype(np.int64),
                        1,
                        30.0,
                        S_FANOUT,
                        model=np.array(models)[pick],
                        inflating=True,
                        family=fam,
                        pool=1,
                    )
                )
        elif style == "review_churner":
            prs = d.prs
            mine = np.flatnonzero(prs["author"] == person)
            day, start = workday_sessions(6.0 * k)
            if mine.size == 0 or day.size == 0:
                continue
            # Each re-request is about the person's latest change opened before it.
            latest = np.searchsorted(np.sort(prs["created"][mine]), start, side="right") - 1
            ordered = mine[np.argsort(prs["created"][mine])]
            pr = ordered[np.maximum(latest, 0)]
            parts.append(
                Sessions.make(
                    who(day.size),
                    INTERNAL,
                    start,
                    1 + rng.poisson(1.5, day.size),
                    45.0,
                    S_RECHURN,
                    model=GW_SONNET,
                    inflating=True,
                    family=(pr.astype(np.uint64) + np.uint64(salt)),
                    pool=2,
                )
            )
    return Sessions.concat(parts)
