"""A week of AI usage: sessions of requests, expanded into one event per request.

Every request belongs to a session with a start, a count, a mean gap between requests and how
regular the gaps are (a person's gaps vary a lot, a script's hardly at all). A session's token
profile says how large its requests are. Ordinary work, the legitimate heavy personas and each
inflation style only differ in which sessions they open; the expansion is one vectorised step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.generator.harbor.delivery import HOUR, ai_week_active, pick_days, utc, work_seconds
from orchestration.generator.harbor.org import AGENT, CLAUDE, COPILOT, CURSOR, OPENAI, STYLES, TOOLS, Org, P

KINDS = ("chat", "completion", "agent", "tab", "review", "other")
CHAT, COMPLETION, AGENT_KIND, TAB, REVIEW, OTHER = range(len(KINDS))

#: Models with the organisation's own prices (USD per million tokens): input, cached, cache write, output.
MODELS: tuple[tuple[str, float, float, float, float], ...] = (
    ("claude-sonnet-4-5", 3.0, 0.30, 3.75, 15.0),
    ("claude-haiku-4-5", 1.0, 0.10, 1.25, 5.0),
    ("claude-opus-4-1", 15.0, 1.50, 18.75, 75.0),
    ("gpt-5", 1.25, 0.125, 1.25, 10.0),
    ("gpt-5-mini", 0.25, 0.025, 0.25, 2.0),
    ("gpt-4.1", 2.0, 0.50, 2.0, 8.0),
    ("gpt-5-pro", 15.0, 15.0, 15.0, 120.0),
)
SONNET, HAIKU, OPUS, GPT5, GPT5_MINI, GPT41, GPT5_PRO = range(len(MODELS))
PRICES = np.array([prices for _, *prices in MODELS])

#: Token profiles: input (median, sigma), cached (share of requests, median, sigma), cache write
#: (share, median, sigma), output (median, sigma), lines suggested (share, median), acceptance.
PROFILES = np.array(
    [
        # in_med in_sig  c_p  c_med  c_sig  w_p  w_med w_sig out_med out_sig l_p  l_med  acc
        [1200, 0.50, 0.00, 0, 0.0, 0.00, 0, 0.0, 35, 0.60, 0.90, 4, 0.32],  # 0 tab / completion
        [3500, 0.80, 0.50, 6000, 0.8, 0.25, 1500, 0.7, 550, 0.70, 0.40, 12, 0.40],  # 1 chat
        [2600, 0.70, 0.95, 45000, 0.6, 0.60, 5000, 0.8, 900, 0.70, 0.50, 25, 0.60],  # 2 agent
        [22000, 0.60, 0.50, 12000, 0.8, 0.30, 3000, 0.6, 800, 0.50, 0.00, 0, 0.00],  # 3 review
        [2400, 0.15, 1.00, 38000, 0.12, 0.10, 800, 0.2, 380, 0.15, 0.10, 2, 0.00],  # 4 idle agent loop
        [3000, 0.50, 0.30, 4000, 0.5, 0.00, 0, 0.0, 1400, 0.40, 1.00, 60, 0.02],  # 5 regeneration
        [380000, 0.45, 0.15, 5000, 0.5, 0.05, 2000, 0.5, 700, 0.60, 0.30, 10, 0.40],  # 6 whole codebase
        [160, 0.50, 0.00, 0, 0.0, 0.00, 0, 0.0, 45, 0.50, 0.05, 2, 0.50],  # 7 trivial question
        [6200, 0.04, 0.00, 0, 0.0, 0.00, 0, 0.0, 820, 0.08, 0.00, 0, 0.00],  # 8 replayed prompt
        [18000, 0.70, 0.40, 15000, 0.7, 0.20, 4000, 0.6, 700, 0.60, 0.20, 8, 0.50],  # 9 incident
        [2600, 0.70, 0.95, 45000, 0.6, 0.60, 5000, 0.8, 1100, 0.70, 0.70, 60, 0.75],  # 10 prototype
        [4000, 0.60, 0.40, 5000, 0.6, 0.20, 1000, 0.5, 600, 0.60, 0.30, 10, 0.15],  # 11 leaderboard
    ]
)
(PR_TAB, PR_CHAT, PR_AGENT, PR_REVIEW, PR_IDLE, PR_REGEN, PR_STUFF, PR_TRIVIAL, PR_REPLAY, PR_INCIDENT,
 PR_PROTO, PR_BOARD) = range(len(PROFILES))  # fmt: skip

#: Mean tokens of one request of each profile, for calibrating top-ups.
_SIG = PROFILES
MEAN_TOKENS = (
    _SIG[:, 0] * np.exp(_SIG[:, 1] ** 2 / 2)
    + _SIG[:, 2] * _SIG[:, 3] * np.exp(_SIG[:, 4] ** 2 / 2)
    + _SIG[:, 5] * _SIG[:, 6] * np.exp(_SIG[:, 7] ** 2 / 2)
    + _SIG[:, 8] * np.exp(_SIG[:, 9] ** 2 / 2)
)

#: Per tool: request kinds with their shares, and the kind's (profile, mean session length, gap s).
TOOL_KINDS = {
    CLAUDE: ((AGENT_KIND, 0.7), (CHAT, 0.3)),
    CURSOR: ((TAB, 0.5), (AGENT_KIND, 0.3), (CHAT, 0.2)),
    COPILOT: ((COMPLETION, 0.7), (CHAT, 0.3)),
    OPENAI: ((CHAT, 0.6), (OTHER, 0.4)),
    AGENT: ((AGENT_KIND, 1.0),),
}
KIND_SHAPE = {
    CHAT: (PR_CHAT, 6, 110.0),
    COMPLETION: (PR_TAB, 25, 25.0),
    AGENT_KIND: (PR_AGENT, 18, 40.0),
    TAB: (PR_TAB, 25, 25.0),
    REVIEW: (PR_REVIEW, 4, 90.0),
    OTHER: (PR_CHAT, 5, 120.0),
}
#: Per tool: everyday models with their shares.
TOOL_MODELS = {
    CLAUDE: ((SONNET, 0.75), (HAIKU, 0.13), (OPUS, 0.12)),
    CURSOR: ((SONNET, 0.55), (GPT5, 0.3), (GPT5_MINI, 0.15)),
    COPILOT: ((GPT41, 0.7), (SONNET, 0.3)),
    OPENAI: ((GPT5, 0.5), (GPT5_MINI, 0.35), (GPT41, 0.15)),
    AGENT: ((SONNET, 1.0),),
}

NO_STYLE = -1
STYLE_INDEX = {name: k for k, name in enumerate(STYLES)}

#: Normal prompts are drawn from this many distinct prompt hashes.
PROMPT_POOL = 1 << 20


@dataclass
class Sessions:
    """Columns of sessions: one entry per session."""

    person: list[np.ndarray]
    tool: list[np.ndarray]
    kind: list[np.ndarray]
    model: list[np.ndarray]
    start: list[np.ndarray]
    count: list[np.ndarray]
    gap: list[np.ndarray]
    jitter: list[np.ndarray]
    profile: list[np.ndarray]
    style: list[np.ndarray]
    #: -1 = a fresh prompt per request; otherwise the id of a small fixed set of prompts.
    prompt_set: list[np.ndarray]

    @classmethod
    def empty(cls) -> Sessions:
        return cls(*([] for _ in range(11)))

    def add(
        self, person, tool, kind, model, start, count, gap, jitter, profile, style, prompt_set=-1
    ) -> None:
        n = len(person)
        if n == 0:
            return
        for name, value in (
            ("person", person), ("tool", tool), ("kind", kind), ("model", model), ("start", start),
            ("count", count), ("gap", gap), ("jitter", jitter), ("profile", profile), ("style", style),
            ("prompt_set", prompt_set),
        ):  # fmt: skip
            column = np.broadcast_to(np.asarray(value), (n,))
            getattr(self, name).append(column.astype(np.float64 if name in ("gap", "jitter") else np.int64))

    def columns(self) -> dict[str, np.ndarray]:
        return {
            name: np.concatenate(getattr(self, name)) if getattr(self, name) else np.array([], dtype=np.int64)
            for name in self.__dataclass_fields__
        }


def _choose(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One column index per row of a (rows, options) weight matrix."""
    cumulative = np.cumsum(weights, axis=1)
    draw = rng.random(len(weights)) * cumulative[:, -1]
    return np.minimum((cumulative <= draw[:, None]).sum(axis=1), weights.shape[1] - 1)


def _table(options: dict[int, tuple[tuple[int, float], ...]], width: int) -> np.ndarray:
    table = np.zeros((len(TOOLS), width))
    for tool, pairs in options.items():
        for value, share in pairs:
            table[tool, value] = share
    return table


KIND_TABLE = _table(TOOL_KINDS, len(KINDS))
MODEL_TABLE = _table(TOOL_MODELS, len(MODELS))
SHAPE = np.array([KIND_SHAPE[k] for k in range(len(KINDS))])


def _spread(
    org: Org, rng: np.random.Generator, t0: int, week: int, employed: np.ndarray, who: np.ndarray, **kw
) -> tuple[np.ndarray, np.ndarray]:
    """Working-hours start times for sessions of `who`; returns the kept rows and their starts."""
    day = pick_days(rng, employed, who, kw.get("weekend", 0.04))
    keep = day >= 0
    seconds = work_seconds(rng, int(keep.sum()), kw.get("centre", 13.5), kw.get("spread", 2.6))
    return keep, utc(org, t0, org.zone[who[keep]], week * 7 + day[keep], seconds)


def plan_week(
    org: Org,
    week: int,
    rng: np.random.Generator,
    t0: int,
    night_incidents: tuple[np.ndarray, np.ndarray, np.ndarray],
    prototypes: tuple[np.ndarray, np.ndarray],
    staff_reviews: tuple[np.ndarray, np.ndarray],
    crunch_factor: float,
) -> Sessions:
    """Every session of the week except the performative top-ups, which need the week's totals."""
    sessions = Sessions.empty()
    employed = org.employed_days(week)
    persona = org.persona
    workdays = employed[:, :5].sum(axis=1)
    weeks_in = week - np.floor_divide(org.hired_day, 7)
    primary = np.argmax(org.tool_weight, axis=1)

    # everyday work
    level = org.requests_per_week * ai_week_active(org, week) * workdays / 5.0
    level = level * np.where(week == org.adoption_week, 0.4, 1.0)
    level = level * np.where(org.migration_weeks[:, week], rng.uniform(5.0, 8.0, org.people), 1.0)
    new_hire = (persona == P["new_hire"]) & (weeks_in < 4)
    level = level * np.where(new_hire, np.interp(weeks_in, [0, 1, 2, 3], [3.0, 2.6, 2.0, 1.5]), 1.0)
    level = level * crunch_factor * rng.lognormal(0.0, 0.25, org.people)
    count = rng.poisson(level / 22.0)
    who = np.repeat(np.arange(org.people), count)
    tool = _choose(rng, org.tool_weight[who])
    kind_weights = KIND_TABLE[tool].copy()
    learning = new_hire[who]
    kind_weights[learning] = np.where(np.arange(len(KINDS)) == CHAT, 0.8, 0.2 * kind_weights[learning])
    migrating = org.migration_weeks[who, week]
    kind_weights[migrating, AGENT_KIND] += 1.5 * (tool[migrating] != COPILOT)
    kind = _choose(rng, kind_weights)
    model = _choose(rng, MODEL_TABLE[tool])
    # completions and tab suggestions come from each tool's small, fast model
    model = np.where(kind == TAB, GPT5_MINI, np.where(kind == COMPLETION, GPT41, model))
    keep, start = _spread(org, rng, t0, week, employed, who)
    shape = SHAPE[kind[keep]]
    sessions.add(
        who[keep], tool[keep], kind[keep], model[keep], start,
        1 + rng.poisson(shape[:, 1] - 1), shape[:, 2], 1.0, shape[:, 0], NO_STYLE,
    )  # fmt: skip

    # on-call SREs at night, inside the incidents they resolve
    person, created, resolved = night_incidents
    if len(person):
        n = rng.integers(8, 50, len(person))
        begin = created + rng.integers(120, 480, len(person))
        gap = np.maximum((resolved - begin) / (n + 1), 5.0)
        tool = np.where(org.accounts[person, CLAUDE] != "", CLAUDE, primary[person])
        model = _choose(rng, MODEL_TABLE[tool])
        sessions.add(person, tool, CHAT, model, begin, n, gap, 0.7, PR_INCIDENT, NO_STYLE)

    # staff engineers read the change with an assistant before submitting their review
    person, submitted = staff_reviews
    if len(person):
        n = rng.integers(2, 8, len(person))
        begin = submitted - n * 90 - rng.integers(60, 1200, len(person))
        tool = primary[person]
        sessions.add(
            person, tool, REVIEW, _choose(rng, MODEL_TABLE[tool]), begin, n, 90.0, 1.0, PR_REVIEW, NO_STYLE
        )

    inflating = org.inflating_weeks[:, week] & (employed.sum(axis=1) > 0)
    strength = org.inflation_strength

    def scaled(counts: np.ndarray, who: np.ndarray) -> np.ndarray:
        """Counts of a style's sessions or requests, scaled by each inflator's own strength."""
        return np.maximum(1, np.round(counts * strength[who])).astype(np.int64)

    def style_people(name: str) -> np.ndarray:
        return np.flatnonzero(inflating & (persona == P[name]))

    # idle agents: machine-regular loops through nights and weekends, nothing accepted
    people = style_people("idle_agent")
    if len(people):
        runs = np.repeat(people, 1 + rng.poisson(0.8, len(people)))
        day = rng.integers(0, 7, len(runs))
        local = rng.uniform(16.0, 23.5, len(runs)) * HOUR
        begin = utc(org, t0, org.zone[runs], week * 7 + day, local)
        period = rng.uniform(40.0, 150.0, len(runs))
        hours = np.maximum(2.0, rng.uniform(6.0, 30.0, len(runs)) * strength[runs])
        n = np.minimum((hours * HOUR / period).astype(np.int64), 1500)
        sessions.add(
            runs, AGENT, AGENT_KIND, SONNET, begin, n, period, 0.03, PR_IDLE, STYLE_INDEX["idle_agent"]
        )

    # regenerating code already written: bursts of suggestions that are thrown away
    people = style_people("regeneration")
    if len(people):
        bursts = np.repeat(people, scaled(rng.integers(6, 18, len(people)), people))
        keep, begin = _spread(org, rng, t0, week, employed, bursts)
        bursts = bursts[keep]
        tool = primary[bursts]
        kind = np.where(tool == COPILOT, COMPLETION, CHAT)
        n = rng.integers(25, 80, len(bursts))
        sessions.add(
            bursts, tool, kind, _choose(rng, MODEL_TABLE[tool]), begin, n, 20.0, 0.6, PR_REGEN,
            STYLE_INDEX["regeneration"], rng.integers(0, 1 << 30, len(bursts)),
        )  # fmt: skip

    # whole codebases pasted into the context, uncached
    people = style_people("context_stuffing")
    if len(people):
        stuffed = np.repeat(people, scaled(rng.integers(3, 12, len(people)), people))
        keep, begin = _spread(org, rng, t0, week, employed, stuffed)
        stuffed = stuffed[keep]
        tool = primary[stuffed]
        model = np.where(np.isin(tool, [COPILOT, OPENAI]), GPT41, SONNET)
        n = rng.integers(8, 25, len(stuffed))
        sessions.add(
            stuffed, tool, CHAT, model, begin, n, 150.0, 0.8, PR_STUFF, STYLE_INDEX["context_stuffing"]
        )

    # the most expensive model for trivial questions
    people = style_people("premium_trivial")
    if len(people):
        asks = np.repeat(people, scaled(rng.integers(25, 80, len(people)), people))
        keep, begin = _spread(org, rng, t0, week, employed, asks)
        asks = asks[keep]
        tool = primary[asks]
        model = np.where(tool == OPENAI, GPT5_PRO, OPUS)
        n = rng.integers(1, 5, len(asks))
        sessions.add(asks, tool, CHAT, model, begin, n, 60.0, 1.0, PR_TRIVIAL, STYLE_INDEX["premium_trivial"])

    # scripts replaying the same prompts
    people = style_people("prompt_replay")
    if len(people):
        runs = np.repeat(people, rng.integers(1, 4, len(people)))
        day = rng.integers(0, 7, len(runs))
        hour = (org.seed * 7 + runs * 5) % 24 + rng.uniform(0, 0.2, len(runs))
        begin = utc(org, t0, org.zone[runs], week * 7 + day, hour * HOUR)
        ok = employed[runs, day]
        runs, begin = runs[ok], begin[ok]
        n = scaled(rng.integers(100, 700, len(runs)), runs)
        model = np.where(runs % 2 == 0, GPT5, GPT5_MINI)
        sessions.add(
            runs, OPENAI, OTHER, model, begin, n, rng.uniform(3.0, 12.0, len(runs)), 0.05, PR_REPLAY,
            STYLE_INDEX["prompt_replay"], runs * 3 + rng.integers(0, 3, len(runs)),
        )  # fmt: skip

    # throwaway prototypes: an agent builds something no one merges
    person, created = prototypes
    if len(person):
        builds = np.repeat(np.arange(len(person)), scaled(rng.integers(3, 9, len(person)), person))
        who = person[builds]
        begin = created[builds] - rng.integers(HOUR, 30 * HOUR, len(builds))
        tool = np.where(np.isin(primary[who], [CLAUDE, CURSOR]), primary[who], CLAUDE)
        usable = org.accounts[who, tool] != ""
        tool = np.where(usable, tool, primary[who])
        n = rng.integers(20, 60, len(builds))
        sessions.add(
            who, tool, AGENT_KIND, SONNET, begin, n, 40.0, 1.0, PR_PROTO, STYLE_INDEX["throwaway_prototypes"]
        )

    # leaderboard gaming: bursts in the hours before the weekly snapshot
    people = style_people("leaderboard")
    if len(people):
        snap = snapshot_time(org, week, t0)
        lead = rng.uniform(1.0, 7.0, len(people)) * HOUR
        n = scaled(rng.integers(120, 600, len(people)), people)
        begin = snap - lead
        tool = primary[people]
        kind = np.where(tool == CLAUDE, AGENT_KIND, CHAT)
        sessions.add(
            people, tool, kind, _choose(rng, MODEL_TABLE[tool]), begin, n, lead / (n + 1), 0.5, PR_BOARD,
            STYLE_INDEX["leaderboard"],
        )  # fmt: skip
    return sessions


def snapshot_time(org: Org, week: int, t0: int) -> int:
    """UTC epoch seconds of this week's leaderboard snapshot."""
    zone = org.zone_names.index(str(org.snapshot["timezone"]))
    day = week * 7 + int(org.snapshot["weekday"])
    seconds = np.array([int(org.snapshot["hour"]) * HOUR])
    return int(utc(org, t0, np.array([zone]), np.array([day]), seconds)[0])


def performative_sessions(
    org: Org, week: int, rng: np.random.Generator, t0: int, tokens: np.ndarray, sessions: Sessions
) -> None:
    """Top-ups that lift each performative inflator just above their team's average this week."""
    employed = org.employed_days(week)
    people = np.flatnonzero(
        org.inflating_weeks[:, week] & (org.persona == P["performative"]) & (employed[:, :5].sum(axis=1) > 0)
    )
    if len(people) == 0:
        return
    honest = org.is_engineer & (tokens > 0) & ~np.isin(org.persona, [P[name] for name in STYLES])
    org_mean = tokens[honest].mean() if honest.any() else MEAN_TOKENS[PR_CHAT] * 100
    wanted = []
    for person in people:
        peers = honest & (org.team == org.team[person])
        mean = tokens[peers].mean() if peers.sum() >= 2 else org_mean
        target = mean * rng.uniform(1.03, 1.22)
        extra = target - tokens[person]
        wanted.append(extra if extra > 0 else tokens[person] * rng.uniform(0.05, 0.12) + MEAN_TOKENS[PR_CHAT])
    requests = np.maximum(1, np.round(np.array(wanted) / MEAN_TOKENS[PR_CHAT])).astype(np.int64)
    per_session = 6
    sessions_each = np.maximum(1, requests // per_session)
    who = np.repeat(people, sessions_each)
    n = np.repeat(np.maximum(1, requests // sessions_each), sessions_each)
    keep, begin = _spread(org, rng, t0, week, employed, who, weekend=0.0)
    who, n = who[keep], n[keep]
    primary = np.argmax(org.tool_weight, axis=1)[who]
    sessions.add(
        who, primary, CHAT, _choose(rng, MODEL_TABLE[primary]), begin, n, 110.0, 1.0, PR_CHAT,
        STYLE_INDEX["performative"],
    )  # fmt: skip


def expand(rng: np.random.Generator, columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One row per request of every session: times, tokens, lines and prompt ids."""
    count = columns["count"]
    session = np.repeat(np.arange(len(count)), count)
    n = len(session)
    gap = columns["gap"][session]
    jitter = columns["jitter"][session]
    # gaps: exponential for people (jitter 1), near-constant for machines (small jitter)
    sigma = np.sqrt(np.log1p(jitter**2))
    steps = gap * rng.lognormal(-(sigma**2) / 2, sigma)
    first = np.r_[0, np.cumsum(count)[:-1]]
    steps[first] = 0.0
    cumulative = np.cumsum(steps)
    offset = cumulative - np.repeat(cumulative[first], count)
    occurred = columns["start"][session] + offset.astype(np.int64)
    profile = PROFILES[columns["profile"][session]]

    def lognormal(median_col: int, sigma_col: int) -> np.ndarray:
        return np.exp(
            np.log(np.maximum(profile[:, median_col], 1.0)) + profile[:, sigma_col] * rng.standard_normal(n)
        )

    input_tokens = np.minimum(np.round(lognormal(0, 1)), 950_000).astype(np.int64)
    cached = np.where(rng.random(n) < profile[:, 2], np.round(lognormal(3, 4)), 0).astype(np.int64)
    cache_write = np.where(rng.random(n) < profile[:, 5], np.round(lognormal(6, 7)), 0).astype(np.int64)
    output = np.maximum(1, np.round(lognormal(8, 9))).astype(np.int64)
    suggests = rng.random(n) < profile[:, 10]
    suggested = np.where(suggests, 1 + rng.poisson(np.maximum(profile[:, 11] - 1, 0)), 0)
    accepted = rng.binomial(suggested, profile[:, 12])
    # a fresh prompt per request, or one of a session's few prompts: a regenerated answer is asked
    # in a handful of wordings, a replaying script sends one prompt verbatim
    prompt_set = columns["prompt_set"][session]
    variants = np.where(columns["style"][session] == STYLE_INDEX["regeneration"], 3, 1)
    fixed = PROMPT_POOL + (prompt_set % (1 << 30)) * 4 + rng.integers(0, 3, n) % variants
    prompt = np.where(prompt_set < 0, rng.integers(0, PROMPT_POOL, n), fixed)
    return {
        "session": session,
        "person": columns["person"][session],
        "tool": columns["tool"][session],
        "kind": columns["kind"][session],
        "model": columns["model"][session],
        "style": columns["style"][session],
        "occurred_at": occurred,
        "input_tokens": input_tokens,
        "cached_input_tokens": cached,
        "cache_write_tokens": cache_write,
        "output_tokens": output,
        "lines_suggested": suggested.astype(np.int64),
        "lines_accepted": accepted.astype(np.int64),
        "prompt": prompt.astype(np.int64),
    }


def cost_usd(events: dict[str, np.ndarray]) -> np.ndarray:
    price = PRICES[events["model"]]
    return (
        events["input_tokens"] * price[:, 0]
        + events["cached_input_tokens"] * price[:, 1]
        + events["cache_write_tokens"] * price[:, 2]
        + events["output_tokens"] * price[:, 3]
    ) / 1e6


def total_tokens(events: dict[str, np.ndarray]) -> np.ndarray:
    return (
        events["input_tokens"]
        + events["cached_input_tokens"]
        + events["cache_write_tokens"]
        + events["output_tokens"]
    )
