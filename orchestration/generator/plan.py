"""The week-by-week plan of every engineer: how much AI they use, through which streams of
requests, whether they inflate, and how much AI really changes their delivery.

Usage is modelled as streams of sessions (Copilot tab completions, Claude Code agent runs, late
chat, ...). Each stream has a weekly session rate per engineer-week; the usage step spreads those
sessions over the days of the week by the stream's time-of-day profile in the engineer's zone.
Everything that persona and inflation style decide is fixed here, before any event exists, so
the expected number of events is known up front and `events=` can scale every rate alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.generator.calendar import TIMEZONES, US_PER_DAY, US_PER_MINUTE, Period
from orchestration.generator.org import (
    AGENT_LOOP,
    CLAUDE_CODE,
    COPILOT,
    CURSOR,
    GRADUAL_ADOPTER,
    HEAVY_AGENT_USER,
    INFLATOR,
    INTERNAL_AGENT,
    LEADERBOARD_BURST,
    MIXED,
    NO_OUTCOME,
    NON_ADOPTER,
    OPENAI_API,
    REPEATED_PROMPTS,
    STEADY_USER,
    TOOLS,
    Org,
)

#: The weekly leaderboard snapshot: Friday (ISO weekday index 4), 17:00 UTC.
LEADERBOARD_SNAPSHOT = (4, 17)
#: Burst sessions start in the three hours before the snapshot, early enough to finish before it.
BURST_WINDOW_HOURS = 3

KINDS: tuple[str, ...] = ("chat", "completion", "agent", "tab", "review", "other")
CHAT, COMPLETION, AGENT, TAB, REVIEW = range(5)

MODELS: tuple[str, ...] = (
    "claude-opus-4-1",
    "claude-sonnet-4-5",
    "claude-haiku-4-5",
    "gpt-5",
    "gpt-5-mini",
    "gpt-4.1",
)

# Time-of-day profiles.
WORK, EVENING, NIGHT, BURST = range(4)
N_PROFILES = 4
PRIMARY = -1


@dataclass(frozen=True)
class TokenProfile:
    """Log-normal token sizes of one kind of request; `*_share` of requests carry that component."""

    input_median: float
    input_sigma: float
    cached_median: float
    cached_sigma: float
    cached_share: float
    write_median: float
    write_sigma: float
    write_share: float
    output_median: float
    output_sigma: float

    def mean_tokens(self, tool: int = CLAUDE_CODE) -> float:
        """Expected tokens of one request; Copilot reports no cache use, OpenAI no cache writes."""

        def mean(median: float, sigma: float) -> float:
            return median * float(np.exp(sigma**2 / 2))

        cached = 0.0 if tool == COPILOT else self.cached_share * mean(self.cached_median, self.cached_sigma)
        write = (
            0.0
            if tool in (COPILOT, OPENAI_API)
            else self.write_share * mean(self.write_median, self.write_sigma)
        )
        return (
            mean(self.input_median, self.input_sigma)
            + cached
            + write
            + mean(self.output_median, self.output_sigma)
        )


TOKEN_PROFILES: tuple[TokenProfile, ...] = (
    # tab completion: small prompt, a line or two back
    TokenProfile(650, 0.5, 0, 0, 0.0, 0, 0, 0.0, 22, 0.6),
    # chat: a few thousand tokens of context
    TokenProfile(2200, 0.8, 3500, 0.8, 0.4, 1200, 0.8, 0.1, 450, 0.7),
    # agent step: tens of thousands of tokens, most of them read from the prompt cache
    TokenProfile(2800, 0.7, 32000, 0.55, 0.92, 2600, 0.9, 0.45, 850, 0.8),
    # big chat: whole files pasted in
    TokenProfile(9000, 0.6, 16000, 0.6, 0.5, 4000, 0.8, 0.2, 1400, 0.6),
)
TAB_TOKENS, CHAT_TOKENS, AGENT_TOKENS, BIG_CHAT_TOKENS = range(4)


@dataclass(frozen=True)
class Stream:
    name: str
    tool: int
    kinds: tuple[tuple[int, float], ...]
    profile: int
    tokens: int
    requests: float
    gap_minutes: float
    lines_mean: float
    lines_share: float
    #: Weekly sessions of an engineer at usage level 1 who uses the stream's tool.
    base_rate: float
    #: Sessions placed just before one of the engineer's commits that day, when there is one.
    anchored: bool = False
    inflation: bool = False


STREAMS: tuple[Stream, ...] = (
    Stream("copilot_tab", COPILOT, ((TAB, 1.0),), WORK, TAB_TOKENS, 6, 1.5, 3, 1.0, 8),
    Stream("copilot_chat", COPILOT, ((CHAT, 1.0),), WORK, CHAT_TOKENS, 3, 3, 10, 0.5, 2.7),
    Stream("cursor_tab", CURSOR, ((TAB, 1.0),), WORK, TAB_TOKENS, 6, 1.5, 3, 1.0, 6.3),
    Stream("cursor_chat", CURSOR, ((CHAT, 1.0),), WORK, CHAT_TOKENS, 4, 3, 10, 0.5, 3.6),
    Stream(
        "cursor_agent", CURSOR, ((AGENT, 1.0),), WORK, AGENT_TOKENS, 10, 1.2, 20, 0.5, 1.35, anchored=True
    ),
    Stream(
        "claude_agent", CLAUDE_CODE, ((AGENT, 1.0),), WORK, AGENT_TOKENS, 12, 1.2, 20, 0.5, 3.6, anchored=True
    ),
    Stream("claude_chat", CLAUDE_CODE, ((CHAT, 1.0),), WORK, CHAT_TOKENS, 3, 3, 8, 0.4, 1.8),
    Stream(
        "openai_chat", OPENAI_API, ((CHAT, 0.75), (COMPLETION, 0.25)), WORK, CHAT_TOKENS, 4, 2, 0, 0.0, 3.6
    ),
    Stream(
        "internal_run",
        INTERNAL_AGENT,
        ((AGENT, 0.7), (REVIEW, 0.3)),
        WORK,
        AGENT_TOKENS,
        8,
        1,
        15,
        0.5,
        1.8,
        anchored=True,
    ),
    Stream("evening_chat", PRIMARY, ((CHAT, 1.0),), EVENING, CHAT_TOKENS, 3, 4, 6, 0.4, 0.36),
    # Heavy agent users only: evening agent runs that a commit follows the next morning.
    Stream("evening_agent", PRIMARY, ((AGENT, 1.0),), EVENING, AGENT_TOKENS, 18, 1.2, 20, 0.5, 0.0),
    # Inflation streams: zero outside inflated weeks.
    Stream(
        "inflate_chat", PRIMARY, ((CHAT, 1.0),), WORK, BIG_CHAT_TOKENS, 8, 2, 10, 0.5, 0.0, inflation=True
    ),
    Stream(
        "inflate_agent", PRIMARY, ((AGENT, 1.0),), WORK, AGENT_TOKENS, 25, 1, 20, 0.5, 0.0, inflation=True
    ),
    Stream(
        "night_agent", PRIMARY, ((AGENT, 1.0),), NIGHT, AGENT_TOKENS, 80, 0.7, 20, 0.5, 0.0, inflation=True
    ),
    Stream("burst", PRIMARY, ((CHAT, 1.0),), BURST, BIG_CHAT_TOKENS, 15, 0.8, 10, 0.5, 0.0, inflation=True),
)
STREAM_INDEX = {stream.name: index for index, stream in enumerate(STREAMS)}
INFLATION_STREAMS = [index for index, stream in enumerate(STREAMS) if stream.inflation]
#: Inflation is never sized against a weekly baseline below this many tokens (before `events=`).
INFLATION_FLOOR_TOKENS = 400_000


def session_tokens(stream: int, tool: np.ndarray) -> np.ndarray:
    """Expected tokens of one session of a stream, per tool."""
    per_tool = [
        STREAMS[stream].requests * TOKEN_PROFILES[STREAMS[stream].tokens].mean_tokens(t)
        for t in range(len(TOOLS))
    ]
    return np.array(per_tool)[tool]


@dataclass
class DayProfiles:
    """`weights[profile, tz, day, quarter_hour]`: how a week's sessions of a stream spread over the
    UTC quarter-hours of each day, for people in each zone; a full week of a profile sums to ~1."""

    weights: np.ndarray

    @property
    def mass(self) -> np.ndarray:
        """`[profile, tz, day]`: expected share of a week's sessions that start on that UTC day."""
        return self.weights.sum(axis=3)


def _local_profiles() -> tuple[np.ndarray, np.ndarray]:
    """Quarter-hour weights of the local day and the weight of each local weekday, per profile."""
    hours = np.zeros((N_PROFILES, 24))
    hours[WORK, 7:20] = (0.15, 0.5, 1, 1, 1, 0.55, 1, 1, 1, 1, 0.6, 0.3, 0.1)
    hours[EVENING, 19:22] = 1
    hours[NIGHT, [23, 0, 1]] = 1
    hours[NIGHT, 2] = 0.5
    quarter_hours = np.repeat(hours, 4, axis=1)
    weekday = np.ones((N_PROFILES, 7))
    weekday[WORK, 5:] = 0.06
    weekday[EVENING, 5:] = 0.6
    return quarter_hours, weekday


def day_profiles(period: Period) -> DayProfiles:
    quarter_hours, weekday = _local_profiles()
    days = np.arange(period.days)
    weights = np.zeros((N_PROFILES, len(TIMEZONES), period.days, 96))
    utc_minutes = days[:, None] * 1440 + np.arange(96)[None, :] * 15
    for tz in range(len(TIMEZONES)):
        offset = period.offset_min(np.full(period.days, tz), days)[:, None]
        local = utc_minutes + offset
        local_day = np.floor_divide(local, 1440)
        local_quarter = (local % 1440) // 15
        for profile in (WORK, EVENING, NIGHT):
            weights[profile, tz] = (
                quarter_hours[profile, local_quarter] * weekday[profile, local_day % 7]
            ) / (quarter_hours[profile].sum() * weekday[profile].sum())
    snapshot_day, snapshot_hour = LEADERBOARD_SNAPSHOT
    first = (snapshot_hour - BURST_WINDOW_HOURS) * 4
    last = snapshot_hour * 4 - 3
    fridays = days[days % 7 == snapshot_day]
    weights[BURST][:, fridays, first:last] = 1.0 / (last - first)
    return DayProfiles(weights)


def burst_window(period: Period, week: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UTC [start, end) of the three hours before each week's leaderboard snapshot."""
    day, hour = LEADERBOARD_SNAPSHOT
    end = period.start_us + np.asarray(week) * 7 * US_PER_DAY + day * US_PER_DAY + hour * 60 * US_PER_MINUTE
    return end - BURST_WINDOW_HOURS * 60 * US_PER_MINUTE, end


@dataclass
class Plan:
    """Per engineer (rows) and week (columns) unless noted; engineers only, not managers or SREs."""

    rates: np.ndarray  # [engineer, week, stream] weekly sessions of ordinary streams, scaled
    inflation_sessions: np.ndarray  # [engineer, week, inflation stream] sessions of planned inflation
    request_factor: np.ndarray  # [engineer, stream] multiplier of a stream's requests per session
    accept_rate: np.ndarray
    pool_share: np.ndarray  # share of prompts drawn from the engineer's few inflation prompts
    pool_size: np.ndarray  # [engineer]
    planned_inflated: np.ndarray
    cycle_factor: np.ndarray
    throughput_factor: np.ndarray
    pr_rate: np.ndarray
    ai_commit_share: np.ndarray
    adoption_week: np.ndarray  # [engineer]; negative = before the period; NEVER = not at all
    launch_week: int
    baseline_tokens: np.ndarray  # [engineer] expected tokens of an ordinary full week, scaled
    scale: float
    natural_events: float
    profiles: DayProfiles

    @property
    def expected_events(self) -> float:
        return self.natural_events * self.scale


NEVER = 10**6


def expand(counts: np.ndarray) -> tuple[np.ndarray, ...]:
    """The index of every unit in an array of counts, one entry per unit (a session, a PR, ...)."""
    index = np.nonzero(counts)
    repeat = counts[index]
    return tuple(np.repeat(axis, repeat) for axis in index)


def _ramp(weeks_since: np.ndarray, weeks: int = 4) -> np.ndarray:
    """Usage and effect grow over the first `weeks` weeks after adoption."""
    return np.where(weeks_since < 0, 0.0, np.minimum(1.0, (weeks_since + 1) / weeks))


@dataclass(frozen=True)
class PlantedEffect:
    """One known effect of AI on every user's delivery, instead of the personas' own.

    `size` is the relative change in pull requests started per week (+0.25 = 25% more), reached
    `ramp_weeks` weeks after adoption (1 = at once, in the adoption week itself). Pull requests
    also go `1 + size` times as fast, so cycle durations scale by `1 / (1 + size)`. Usage starts
    at its full level in the adoption week, so the week the data shows as the start of sustained
    use is the week the effect begins. Zero plants no effect at all.
    """

    size: float
    ramp_weeks: int = 1

    @classmethod
    def parse(cls, text: str) -> PlantedEffect:
        """`0.25` (a step), `0` (none) or `ramp:0.3:6` (0.3 reached in the sixth week after adoption)."""
        parts = text.split(":")
        try:
            if len(parts) == 1:
                effect = cls(float(parts[0]))
            elif len(parts) == 3 and parts[0] == "ramp":
                effect = cls(float(parts[1]), int(parts[2]))
            else:
                raise ValueError(text)
        except ValueError:
            raise ValueError(
                f"an effect is a number like 0.25, or ramp:SIZE:WEEKS like ramp:0.3:6; got {text!r}"
            ) from None
        if effect.size <= -1 or effect.ramp_weeks < 1:
            raise ValueError(f"the effect must be above -1 and ramp over at least one week; got {text!r}")
        return effect

    def weight(self, weeks_since: np.ndarray) -> np.ndarray:
        """Share of the full effect reached that many weeks after adoption (0 before it)."""
        return _ramp(weeks_since, self.ramp_weeks)

    def render(self) -> str:
        return f"{self.size:g}" if self.ramp_weeks == 1 else f"ramp:{self.size:g}:{self.ramp_weeks}"


def build_plan(
    rng: np.random.Generator, org: Org, events: int | None, effect: PlantedEffect | None = None
) -> Plan:
    period = org.period
    n, weeks = org.n_engineers, period.weeks
    persona, style = org.persona, org.style
    week = np.arange(weeks)[None, :]
    hire_week = np.maximum(0, np.floor_divide(org.hired_day[:n], 7))

    # Adoption and the ramp that follows it.
    adoption = np.full(n, NEVER, dtype=np.int64)
    always = np.isin(persona, (STEADY_USER, HEAVY_AGENT_USER, INFLATOR))
    adoption[always] = -rng.integers(4, 40, size=always.sum())
    for person in np.flatnonzero(persona == GRADUAL_ADOPTER):
        low = min(max(1, int(hire_week[person]) + 1), weeks - 1)
        high = max(low + 1, weeks - 1)
        adoption[person] = rng.integers(low, high)
    ramp = _ramp(week - adoption[:, None])
    if effect is not None:
        # A planted effect starts with full use in the adoption week: no ramp of usage to blur it.
        ramp = (week >= adoption[:, None]).astype(float)

    # How much each engineer uses AI, week by week.
    person_level = rng.lognormal(0.0, 0.3, size=n)
    person_level[persona == HEAVY_AGENT_USER] = rng.lognormal(
        0.0, 0.2, size=(persona == HEAVY_AGENT_USER).sum()
    )
    noise = rng.lognormal(0.0, 0.2, size=(n, weeks))
    rare = 0.03 * noise
    level = np.where(
        (persona == NON_ADOPTER)[:, None],
        rare,
        np.where((persona == GRADUAL_ADOPTER)[:, None] & (ramp == 0), rare, person_level[:, None] * noise),
    )
    level = np.where((persona == GRADUAL_ADOPTER)[:, None] & (ramp > 0), level * ramp, level)

    uses = np.zeros((n, len(STREAMS)))
    stream_tokens = np.zeros((n, len(STREAMS)))
    for index, stream in enumerate(STREAMS):
        tool = org.primary_tool if stream.tool == PRIMARY else np.full(n, stream.tool)
        uses[:, index] = org.tools[np.arange(n), tool] * stream.base_rate
        per_tool = np.array([TOKEN_PROFILES[stream.tokens].mean_tokens(t) for t in range(len(TOOLS))])
        stream_tokens[:, index] = per_tool[tool]
    heavy = persona == HEAVY_AGENT_USER
    request_factor = np.ones((n, len(STREAMS)))
    for name, rate_factor in (("claude_agent", 2.5), ("cursor_agent", 2.0)):
        uses[heavy, STREAM_INDEX[name]] *= rate_factor
        request_factor[heavy, STREAM_INDEX[name]] = 2.5
    uses[heavy, STREAM_INDEX["evening_agent"]] = 1.0
    rates = uses[:, None, :] * level[:, :, None]

    profiles = day_profiles(period)
    week_mass = _week_mass(org, profiles)  # [engineer, week, profile]
    requests = np.array([stream.requests for stream in STREAMS])[None, :] * request_factor

    # Expected tokens of an ordinary full week, the baseline that inflation multiplies.
    baseline_tokens = (uses * person_level[:, None] * requests * stream_tokens).sum(axis=1)

    # Inflation: after the leaderboard launch, in most but not all weeks.
    launch_week = int(np.clip(round(weeks / 3), 0, weeks - 1))
    planned = np.zeros((n, weeks), dtype=bool)
    for person in np.flatnonzero(persona == INFLATOR):
        chosen = rng.random(weeks - launch_week) < 0.8
        if not chosen.any():
            chosen[0] = True
        if chosen.all() and len(chosen) >= 3:
            chosen[rng.integers(len(chosen))] = False
        planned[person, launch_week:] = chosen
    # Inflation is sized against the engineer's own baseline, but never a baseline below a light
    # user's, so that a light user's inflation still stands out in the week's data.
    inflated_base = np.maximum(baseline_tokens, INFLATION_FLOOR_TOKENS)[:, None]
    extra = np.zeros((n, weeks))
    extra_shape = rng.uniform(size=(n, weeks))
    primary = org.primary_tool
    agent_capable = primary != COPILOT
    chat, agent = STREAM_INDEX["inflate_chat"], STREAM_INDEX["inflate_agent"]
    for style_code, low, high, agent_half in (
        (NO_OUTCOME, 3.5, 6.0, True),
        (REPEATED_PROMPTS, 2.0, 3.5, False),
        (MIXED, 2.5, 5.0, True),
    ):
        rows = planned & (style == style_code)[:, None]
        extra = np.where(rows, (low + (high - low) * extra_shape - 1) * inflated_base, extra)
        to_agent = 0.5 if agent_half else 0.0
        share_agent = np.where(agent_capable, to_agent, 0.0)[:, None]
        rates[:, :, agent] += np.where(rows, extra * share_agent / session_tokens(agent, primary)[:, None], 0)
        rates[:, :, chat] += np.where(
            rows, extra * (1 - share_agent) / session_tokens(chat, primary)[:, None], 0
        )
    burst_rows = planned & (style == LEADERBOARD_BURST)[:, None]
    share = 0.7 + 0.2 * extra_shape
    rates[:, :, STREAM_INDEX["burst"]] = np.where(
        burst_rows,
        share / (1 - share) * inflated_base / session_tokens(STREAM_INDEX["burst"], primary)[:, None],
        0,
    )
    loop_rows = planned & (style == AGENT_LOOP)[:, None]
    rates[:, :, STREAM_INDEX["night_agent"]] = np.where(loop_rows, 2 + 3 * extra_shape, 0)

    accept = rng.uniform(0.2, 0.4, size=n)
    accept[heavy] = rng.uniform(0.3, 0.42, size=heavy.sum())
    accept_rate = np.repeat(accept[:, None], weeks, axis=1)
    accept_rate[planned & (style == NO_OUTCOME)[:, None]] = 0.002
    accept_rate[planned & (style == MIXED)[:, None]] = 0.08
    pool_share = np.zeros((n, weeks))
    pool_share = np.where(
        planned & (style == REPEATED_PROMPTS)[:, None], rng.uniform(0.6, 0.85, (n, weeks)), pool_share
    )
    pool_share = np.where(planned & (style == MIXED)[:, None], rng.uniform(0.2, 0.4, (n, weeks)), pool_share)

    # The true effect of AI on delivery, and what inflation does to it.
    cycle_effect = np.zeros(n)
    throughput_effect = np.zeros(n)
    steady_like = np.isin(persona, (STEADY_USER, INFLATOR))
    cycle_effect[steady_like] = rng.uniform(-0.2, -0.08, steady_like.sum())
    throughput_effect[steady_like] = rng.uniform(0.05, 0.15, steady_like.sum())
    cycle_effect[heavy] = rng.uniform(-0.35, -0.25, heavy.sum())
    throughput_effect[heavy] = rng.uniform(0.4, 0.8, heavy.sum())
    gradual = persona == GRADUAL_ADOPTER
    cycle_effect[gradual] = rng.uniform(-0.4, -0.2, gradual.sum())
    throughput_effect[gradual] = rng.uniform(0.15, 0.35, gradual.sum())
    effect_weight = np.where(gradual[:, None], ramp, 1.0)
    cycle_factor = 1 + cycle_effect[:, None] * effect_weight
    throughput_factor = 1 + throughput_effect[:, None] * effect_weight
    if effect is not None:
        # Every AI user (steady, heavy, inflator, adopter) gets the same known effect; the draws above
        # still happen, so the rest of the organisation is the one the same seed gives without it.
        planted = effect.size * effect.weight(week - adoption[:, None])
        throughput_factor = 1 + planted
        cycle_factor = 1 / (1 + planted)
        effect_weight = ramp
    throughput_factor = np.where(planned & (style == NO_OUTCOME)[:, None], 0.0, throughput_factor)
    throughput_factor = np.where(
        planned & (style == MIXED)[:, None], throughput_factor * 0.4, throughput_factor
    )

    base_pr = rng.lognormal(np.log(2.2), 0.35, size=n)
    base_pr[heavy] *= 1.3
    week_start_day = week * 7
    can_start = (org.hired_day[:n, None] <= week_start_day) & (org.left_day[:n, None] >= week_start_day + 20)
    pr_rate = base_pr[:, None] * throughput_factor * can_start

    commit_share = np.zeros(n)
    commit_share[steady_like] = rng.uniform(0.35, 0.55, steady_like.sum())
    commit_share[heavy] = rng.uniform(0.8, 0.92, heavy.sum())
    commit_share[gradual] = rng.uniform(0.4, 0.6, gradual.sum())
    ai_commit_share = commit_share[:, None] * effect_weight

    natural = float((rates * requests[:, None, :] * week_mass[:, :, [s.profile for s in STREAMS]]).sum())
    scale = 1.0 if events is None or natural == 0 else events / natural
    rates *= scale
    # A planned inflated week gets its sessions drawn once, at least one of each of its streams, so
    # that the behaviour the label promises is in the week's data, not left to a Poisson draw.
    expected = rates[:, :, INFLATION_STREAMS]
    sessions = np.floor(expected + rng.random(expected.shape)).astype(np.int32)
    inflation_sessions = np.where(expected > 0, np.maximum(sessions, 1), 0)
    rates[:, :, INFLATION_STREAMS] = 0
    return Plan(
        rates=rates,
        inflation_sessions=inflation_sessions,
        request_factor=request_factor,
        accept_rate=accept_rate,
        pool_share=pool_share,
        pool_size=rng.integers(3, 6, size=n),
        planned_inflated=planned,
        cycle_factor=cycle_factor,
        throughput_factor=throughput_factor,
        pr_rate=pr_rate,
        ai_commit_share=ai_commit_share,
        adoption_week=adoption,
        launch_week=launch_week,
        baseline_tokens=baseline_tokens * scale,
        scale=scale,
        natural_events=natural,
        profiles=profiles,
    )


def _week_mass(org: Org, profiles: DayProfiles) -> np.ndarray:
    """`[engineer, week, profile]`: share of a week's sessions that fall on days they are employed."""
    n, period = org.n_engineers, org.period
    employed = org.employed_days()[:n]
    mass = profiles.mass[:, org.tz[:n], :]  # [profile, engineer, day]
    per_week = (mass * employed[None]).reshape(len(mass), n, period.weeks, 7).sum(axis=3)
    return np.moveaxis(per_week, 0, 2)
