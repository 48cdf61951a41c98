"""Who does what in which week: adoption, vacations, crunches, on-call, migrations, inflation, and the
AI usage blocks that follow from them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from orchestration.orchard.calendar import (
    DAY,
    OFFICES,
    Clock,
    Leaderboard,
    calendar_crunch,
    holidays,
    in_harvest,
)
from orchestration.orchard.org import STYLES, Person, Team
from orchestration.orchard.usage import Blocks, expected_tokens, poisson

AGENT_TOOLS = ("claude_code", "cursor", "internal_agent", "copilot")
TAB_TOOLS = ("copilot", "cursor", "internal_agent")
CHAT_TOOLS = ("claude_code", "cursor", "openai_api", "copilot", "internal_agent")

#: persona → (chat sessions per day, agent sessions per day, tab hours scale)
RATES: dict[str, tuple[float, float, float]] = {
    "light_user": (0.5, 0.08, 0.5),
    "steady_user": (1.1, 0.4, 1.0),
    "late_adopter": (1.0, 0.35, 0.9),
    "power_user": (1.6, 1.4, 1.3),
    "migration_lead": (1.1, 0.45, 1.0),
    "oncall_responder": (1.0, 0.35, 0.9),
    "staff_reviewer": (1.4, 0.15, 0.4),
    "new_hire_learner": (0.8, 0.25, 0.8),
    "release_cruncher": (1.1, 0.45, 1.0),
    "harvest_field_debugger": (0.8, 0.2, 0.7),
    "batch_agronomist": (1.0, 0.3, 0.6),
    "performative_topper": (1.0, 0.35, 0.9),
    "background_agent_idler": (0.9, 0.3, 0.9),
    "code_regenerator": (0.9, 0.3, 0.9),
    "context_stuffer": (0.9, 0.3, 0.9),
    "premium_defaulter": (1.0, 0.3, 0.9),
    "prompt_replayer": (0.8, 0.3, 0.9),
    "throwaway_prototyper": (1.0, 0.4, 1.0),
    "leaderboard_sprinter": (1.0, 0.35, 0.9),
    "manager": (0.4, 0.02, 0.0),
}


@dataclass
class World:
    rng: random.Random
    clock: Clock
    start: date
    weeks: int
    teams: list[Team]
    people: list[Person]
    board: Leaderboard
    blocks: Blocks = field(default_factory=Blocks)
    holiday_days: dict[str, set[int]] = field(default_factory=dict)
    crunch: dict[int, set[int]] = field(default_factory=dict)
    harvest: dict[str, set[int]] = field(default_factory=dict)
    pool_counter: int = 1

    @property
    def days(self) -> int:
        return self.weeks * 7

    def new_pool(self) -> int:
        self.pool_counter += 1
        return self.pool_counter

    def working(self, p: Person, day: int) -> bool:
        return (
            day % 7 < 5
            and p.employed_day(day)
            and day // 7 not in p.vacation
            and day not in self.holiday_days[p.office]
        )

    def workdays(self, p: Person, week: int) -> list[int]:
        return [d for d in range(week * 7, week * 7 + 5) if self.working(p, d)]

    def local(self, p: Person, day: int, hour: float) -> int:
        return self.clock.local(p.zone, day, hour)

    def in_crunch(self, p: Person, week: int) -> bool:
        return week in self.crunch.get(p.team, set())


def build_world(rng: random.Random, clock: Clock, start: date, weeks: int, teams, people, board) -> World:
    world = World(rng, clock, start, weeks, teams, people, board)
    last = start + timedelta(days=weeks * 7 - 1)
    for office in OFFICES:
        world.holiday_days[office] = {(d - start).days for d in holidays(office, start, last)}
        world.harvest[office] = {
            w for w in range(weeks) if in_harvest(office, start + timedelta(days=w * 7 + 3))
        }
    for t, team in enumerate(teams):
        weeks_in = {
            w for w in range(weeks) if calendar_crunch(team.department, start + timedelta(days=w * 7 + 3))
        }
        # Every team also has a deadline or two of its own.
        for _ in range(1 if weeks < 10 else 2):
            if weeks >= 3 and rng.random() < 0.8:
                weeks_in.add(rng.randrange(1, weeks))
        world.crunch[t] = weeks_in
    for p in people:
        _plan_person(world, p)
    return world


def _plan_person(world: World, p: Person) -> None:
    rng, weeks = world.rng, world.weeks
    params = p.params
    if p.persona == "late_adopter":
        params["adopt_week"] = rng.randint(1, weeks - 1) if weeks >= 3 else weeks
    if p.persona == "migration_lead":
        length = min(weeks, rng.randint(3, 6))
        first = rng.randint(0, weeks - length)
        params["migration"] = set(range(first, first + length))
    if p.persona == "harvest_field_debugger":
        # The weeks in the field: their office's harvest, or a dealer tour when the period has none.
        season = set(world.harvest[p.office])
        if not season:
            first = rng.randrange(weeks)
            season = set(range(first, min(weeks, first + 3)))
        params["field_weeks"] = season
    if p.persona == "premium_defaulter" and not {"claude_code", "cursor", "openai_api"} & set(p.tools):
        p.tools.append("claude_code")
    if p.persona in STYLES:
        # Agents and chats somewhere to inflate in.
        if not set(AGENT_TOOLS) & set(p.tools):
            p.tools.append("claude_code")
        params["inflating"] = _inflating_weeks(world, p)
    rewriters = ("background_agent_idler", "context_stuffer", "throwaway_prototyper", "code_regenerator")
    if p.persona in rewriters and not {"claude_code", "cursor"} & set(p.tools):
        p.tools.append(rng.choice(("claude_code", "cursor")))
    params["topup_factor"] = rng.uniform(1.05, 1.3)
    params["script_pool"] = world.new_pool()
    params["script_size"] = rng.randint(3, 10)
    params["idle_pool"] = world.new_pool()
    params["regen_pool"] = world.new_pool()
    params["burst_pool"] = world.new_pool()


def _inflating_weeks(world: World, p: Person) -> set[int]:
    rng, weeks, launch = world.rng, world.weeks, world.board.launch
    if p.persona in ("leaderboard_sprinter", "performative_topper"):
        onset = launch + rng.choice((0, 0, 0, 1, 2))
    else:
        onset = rng.choice((0, 0, launch, rng.randrange(weeks)))
    onset = min(onset, weeks - 1)
    persistent = rng.random() < 0.45
    active, on = set(), True
    for w in range(onset, weeks):
        if not persistent:
            on = rng.random() < (0.75 if on else 0.4)
        if on or w == onset:
            active.add(w)
    return active


# -- tools and models ---------------------------------------------------------------------------------


def agent_tool(p: Person) -> str | None:
    return next((t for t in AGENT_TOOLS if t in p.tools), None)


def chat_tool(rng: random.Random, p: Person) -> str | None:
    options = [t for t in CHAT_TOOLS if t in p.tools]
    return rng.choice(options) if options else None


def tab_tool(p: Person) -> str | None:
    return next((t for t in TAB_TOOLS if t in p.tools), None)


def model_for(rng: random.Random, tool: str, kind: str, premium: bool = False) -> str:
    if tool == "internal_agent":
        return "orchard-coder-32b"
    if premium:
        return "o3-pro" if tool == "openai_api" else "claude-opus-4-1"
    r = rng.random()
    if tool == "claude_code":
        return "claude-sonnet-4-5" if r < 0.85 else "claude-haiku-4-5" if r < 0.96 else "claude-opus-4-1"
    if tool == "cursor":
        return "cursor-small" if kind == "tab" else "claude-sonnet-4-5" if r < 0.6 else "gpt-5"
    if tool == "copilot":
        return "gpt-4.1" if kind in ("tab", "completion") or r < 0.5 else "claude-sonnet-4-5"
    return "gpt-5" if r < 0.7 else "gpt-5-mini"


def work_hour(rng: random.Random, evening: bool = False) -> float:
    hour = rng.triangular(8.0, 18.0, 10.5) if rng.random() < 0.6 else rng.triangular(12.5, 18.0, 14.5)
    if evening and rng.random() < 0.35:
        hour = rng.uniform(18.0, 22.5)
    return hour


# -- ordinary work ------------------------------------------------------------------------------------


def week_factor(world: World, p: Person, week: int) -> float:
    """How much of a usual week's AI use the person has this week (0 = none)."""
    if not p.tools or p.persona == "non_adopter":
        return 0.0
    factor = p.intensity
    if p.persona == "late_adopter":
        since = week - p.params["adopt_week"]
        if since < 0:
            return 0.0
        factor *= min(1.0, (since + 1) / 3)
    if world.in_crunch(p, week):
        factor *= 2.6 if p.persona == "release_cruncher" else 1.5
    return factor


def baseline(world: World, p: Person, week: int) -> None:
    rng, b = world.rng, world.blocks
    factor = week_factor(world, p, week)
    if p.persona == "non_adopter" and p.tools and rng.random() < 0.03:
        # Tried it once.
        days = world.workdays(p, week)
        if days:
            tool = chat_tool(rng, p) or p.tools[0]
            b.add(
                p.index,
                world.local(p, rng.choice(days), work_hour(rng)),
                600,
                rng.randint(1, 3),
                tool,
                "chat",
                model_for(rng, tool, "chat"),
                "chat",
            )
        return
    if factor <= 0:
        return
    chats, agents, tabs = RATES[p.persona]
    crunch = world.in_crunch(p, week)
    learning = 0.0
    if p.persona == "new_hire_learner":
        since = week - max(0, p.hire_day) // 7
        learning = max(0.0, 1.0 - since / 8)
    migrating = p.persona == "migration_lead" and week in p.params["migration"]
    days = world.workdays(p, week)
    if crunch and p.persona == "release_cruncher" and p.employed_day(week * 7 + 5) and week not in p.vacation:
        days = [*days, week * 7 + 5]  # the Saturday of a release crunch
    a_tool, t_tool = agent_tool(p), tab_tool(p)
    for day in days:
        if t_tool and tabs > 0:
            hours = max(1, round(rng.uniform(3, 7) * tabs * min(factor, 1.8)))
            kind = "completion" if t_tool == "internal_agent" else "tab"
            first = rng.uniform(8.0, 10.0)
            b.add(
                p.index,
                world.local(p, day, first),
                int(hours * 3600),
                hours,
                t_tool,
                kind,
                model_for(rng, t_tool, "tab"),
                "tab",
                accept=rng.uniform(0.2, 0.4),
            )
        for _ in range(poisson(rng, chats * factor)):
            tool = chat_tool(rng, p)
            if tool is None:
                break
            n = rng.randint(2, 5)
            b.add(
                p.index,
                world.local(p, day, work_hour(rng, crunch)),
                n * rng.randint(120, 420),
                n,
                tool,
                "chat",
                model_for(rng, tool, "chat"),
                "chat",
            )
        agent_rate = agents * factor * (3.5 / max(agents, 0.1) if migrating else 1.0)
        for _ in range(poisson(rng, agent_rate) if a_tool else 0):
            n = rng.randint(10, 30) if p.persona == "power_user" or migrating else rng.randint(4, 12)
            b.add(
                p.index,
                world.local(p, day, work_hour(rng, crunch)),
                n * rng.randint(60, 240),
                n,
                a_tool,
                "agent",
                model_for(rng, a_tool, "agent"),
                "agent",
                accept=rng.uniform(0.4, 0.8),
            )
        for _ in range(poisson(rng, 4.0 * learning + 0.3) if learning > 0 else 0):
            tool = chat_tool(rng, p)
            if tool is None:
                break
            n = rng.randint(4, 12)
            b.add(
                p.index,
                world.local(p, day, work_hour(rng)),
                n * rng.randint(120, 360),
                n,
                tool,
                "chat",
                model_for(rng, tool, "chat"),
                "learn",
            )
        if p.persona == "batch_agronomist" and day % 7 < 4:
            # The sanctioned nightly labelling run over warranty reports and agronomist notes.
            n = rng.randint(20, 45)
            b.add(
                p.index,
                world.local(p, day, rng.uniform(21.0, 23.0)),
                int(rng.uniform(3, 5) * 3600),
                n,
                "openai_api",
                "other",
                "gpt-4.1-mini",
                "batch",
                regular=True,
            )


# -- inflation -----------------------------------------------------------------------------------------


def inflation(world: World, p: Person, week: int) -> None:
    """The style's own usage in an inflating week (the top-up is added later, against the peers)."""
    if week not in p.params.get("inflating", ()):
        return
    rng, b, style = world.rng, world.blocks, STYLES[p.persona]
    employed = [d for d in range(week * 7, week * 7 + 7) if p.employed_day(d)]
    if not employed:
        return
    away = week in p.vacation
    days = world.workdays(p, week)
    if style == "idle_background_agents":
        # Left running, on vacation too: "keep improving the docs", "find more refactors".
        tool = "claude_code" if "claude_code" in p.tools else "cursor"
        for _ in range(rng.randint(2, 5)):
            hours = rng.uniform(2, 9)
            n = max(5, int(hours * 60 / rng.uniform(3, 6)))
            b.add(
                p.index,
                world.local(p, rng.choice(employed), rng.uniform(0, 24)),
                int(hours * 3600),
                n,
                tool,
                "agent",
                "claude-opus-4-1" if rng.random() < 0.3 else model_for(rng, tool, "agent"),
                "idle",
                inflated=True,
                regular=True,
                pool=p.params["idle_pool"],
                pool_size=4,
                accept=0.0,
            )
        return
    if away or not days:
        return
    if style == "regenerating_written_code":
        tool = "claude_code" if "claude_code" in p.tools else "cursor"
        for _ in range(rng.randint(3, 8)):
            n = rng.randint(8, 25)
            b.add(
                p.index,
                world.local(p, rng.choice(days), work_hour(rng)),
                n * rng.randint(90, 240),
                n,
                tool,
                rng.choice(("agent", "completion")),
                model_for(rng, tool, "agent"),
                "regen",
                inflated=True,
                pool=p.params["regen_pool"],
                pool_size=12,
                accept=0.03,
            )
    elif style == "whole_codebase_context":
        tools = [t for t in ("claude_code", "cursor", "openai_api") if t in p.tools]
        for _ in range(rng.randint(4, 10)):
            tool = rng.choice(tools)
            n = rng.randint(2, 6)
            b.add(
                p.index,
                world.local(p, rng.choice(days), work_hour(rng)),
                n * rng.randint(120, 400),
                n,
                tool,
                "chat",
                model_for(rng, tool, "chat"),
                "stuff",
                inflated=True,
            )
    elif style == "premium_model_for_trivia":
        tools = [t for t in ("claude_code", "cursor", "openai_api") if t in p.tools]
        for _ in range(rng.randint(10, 25)):
            tool = rng.choice(tools)
            n = rng.randint(1, 4)
            b.add(
                p.index,
                world.local(p, rng.choice(days), work_hour(rng)),
                n * rng.randint(60, 300),
                n,
                tool,
                rng.choice(("agent", "chat")),
                model_for(rng, tool, "chat", premium=True),
                "trivia",
                inflated=True,
            )
    elif style == "scripted_prompt_replay":
        tool = "openai_api" if "openai_api" in p.tools else "claude_code"
        overnight = p.index % 2 == 0
        for day in rng.sample(days, min(len(days), rng.randint(2, 5))):
            hours = rng.uniform(8, 14)
            first = rng.uniform(18, 21) if overnight else rng.uniform(8, 9.5)
            n = max(10, int(hours * 60 / rng.uniform(8, 20)))
            b.add(
                p.index,
                world.local(p, day, first),
                int(hours * 3600),
                n,
                tool,
                "chat",
                "gpt-5" if tool == "openai_api" else "claude-sonnet-4-5",
                "replay",
                inflated=True,
                regular=True,
                pool=p.params["script_pool"],
                pool_size=p.params["script_size"],
            )
    elif style == "throwaway_prototypes":
        tool = "claude_code" if "claude_code" in p.tools else "cursor"
        for day in rng.sample(days, min(len(days), rng.randint(1, 3))):
            for _ in range(rng.randint(2, 4)):
                n = rng.randint(15, 40)
                b.add(
                    p.index,
                    world.local(p, day, work_hour(rng)),
                    n * rng.randint(60, 200),
                    n,
                    tool,
                    "agent",
                    model_for(rng, tool, "agent"),
                    "agent",
                    inflated=True,
                    accept=rng.uniform(0.6, 0.9),
                )
    elif style == "leaderboard_burst" and week >= world.board.launch:
        snapshot = world.board.snapshot(world.clock, p.group, week)
        hours = rng.uniform(1.5, 5.0)
        n = max(20, int(hours * 60 / rng.uniform(0.8, 2.5)))
        tool = agent_tool(p) or chat_tool(rng, p) or "claude_code"
        kind = rng.choice(("agent", "chat"))
        b.add(
            p.index,
            snapshot - int(hours * 3600),
            int(hours * 3600) - 60,
            n,
            tool,
            kind,
            model_for(rng, tool, kind),
            "agent" if kind == "agent" else "chat",
            inflated=True,
            regular=True,
            pool=p.params["burst_pool"],
            pool_size=20,
        )


def topup(world: World, p: Person, week: int, own: float, peers: float) -> None:
    """Performative use on top of the normal job, up to just above the peers' average."""
    if week not in p.params.get("inflating", ()) or week in p.vacation:
        return
    days = world.workdays(p, week)
    target = peers * p.params["topup_factor"] * world.rng.uniform(0.97, 1.06)
    deficit = target - own
    if not days or deficit < 0.08 * target:
        return
    rng, b = world.rng, world.blocks
    tool = agent_tool(p) or chat_tool(rng, p) or "claude_code"
    per_event = expected_tokens("agent")
    events = max(10, int(deficit / per_event))
    while events > 0:
        n = min(events, rng.randint(8, 25))
        events -= n
        kind = "agent" if rng.random() < 0.7 else "chat"
        b.add(
            p.index,
            world.local(p, rng.choice(days), work_hour(rng)),
            n * rng.randint(60, 240),
            n,
            tool,
            kind,
            model_for(rng, tool, kind),
            "agent",
            inflated=True,
            accept=rng.uniform(0.05, 0.3),
        )


def epoch_day(world: World, at: int) -> int:
    return (at - world.clock.start_epoch) // DAY
