"""Everyday and legitimately heavy AI use at Brae, and the automation keys that belong to nobody."""

from __future__ import annotations

import numpy as np

from orchestration.brae.calendar import DAY_US, HOUR_US, US, Rhythm
from orchestration.brae.delivery import Delivery
from orchestration.brae.organisation import Org
from orchestration.brae.sessions import (
    GPT5,
    GPT5_MINI,
    GW_SONNET,
    LLAMA,
    S_AGENT,
    S_CHAT,
    S_CLASSIFY,
    S_EMBED,
    S_INCIDENT,
    S_LEARN,
    S_LONGOUT,
    S_MIGRATION,
    S_PASTE,
    S_REVIEW,
    S_TAB,
    SONNET,
    Sessions,
)
from orchestration.brae.traits import CLAUDE, COPILOT, CURSOR, INTERNAL, NEVER, OPENAI, Traits

#: Automation accounts with AI keys of their own: nobody's, so the warehouse reports them unmatched.
AUTOMATION = (
    ("openai_api", "svc-claims-edi-parser"),
    ("openai_api", "svc-discharge-summary-eval"),
    ("internal_agent", "ward-agent-scheduler"),
    ("claude_code", "ci-fhir-conformance@braehealth.org"),
)

_MEAN_LEN = np.array([1.0, 4.5, 6.5, 2.5, 1.5])


def _persona_mask(org: Org, *names: str) -> np.ndarray:
    return np.array([p in names for p in org.persona], dtype=bool)


def _work_hours(rng: np.random.Generator, chrono: np.ndarray) -> np.ndarray:
    n = chrono.size
    morning = rng.random(n) < 0.55
    hour = np.where(morning, rng.normal(10.3, 1.4, n), rng.normal(14.9, 1.7, n)) + chrono
    late = rng.random(n) < 0.04
    hour = np.where(late, rng.uniform(19, 23, n), hour)
    return np.clip(hour, 6.5, 23.5)


def baseline(org: Org, traits: Traits, rhythm: Rhythm, rng: np.random.Generator) -> Sessions:
    """Sessions of ordinary work: every person at their own rate, busier in a crunch, none on leave."""
    cal = org.cal
    n, days = org.size, cal.days
    day = np.arange(days)
    week = day // 7
    late = _persona_mask(org, "late_adopter")
    ramp_len = np.where(late, 14.0, 1.0)
    ramp = np.clip((day[None, :] - traits.adopt_day[:, None] + 1) / ramp_len[:, None], 0.0, 1.0)
    busy = rhythm.usage[org.department][:, week]
    noise = rng.lognormal(0, 0.3, (n, cal.weeks))[:, week]
    tinkerer = rng.random(n) < 0.2
    weekend = org.employed & ~org.working & (cal.weekday[None, :] >= 5)
    presence = org.working + weekend * tinkerer[:, None] * 0.08
    migrating = _persona_mask(org, "migration_lead")[:, None] & (
        (week[None, :] >= traits.phase_start[:, None]) & (week[None, :] < traits.phase_end[:, None])
    )
    lam = traits.session_rate[:, None] * busy * noise * ramp * presence * np.where(migrating, 1.5, 1.0)
    counts = rng.poisson(lam)
    person, d = np.nonzero(counts)
    k = counts[person, d]
    person, d = np.repeat(person, k), np.repeat(d, k)
    m = person.size
    cum = np.cumsum(traits.tool_p[person], axis=1)
    tool = np.minimum((rng.random(m)[:, None] > cum).sum(axis=1), 4)
    length = 1 + rng.poisson(_MEAN_LEN[tool] * traits.session_len[person])
    u = rng.random(m)
    power = _persona_mask(org, "power_user")[person]
    shape = np.select(
        [
            tool == COPILOT,
            (tool == CURSOR) & ((u < 0.6) | power),
            tool == CURSOR,
            tool == CLAUDE,
            tool == OPENAI,
            u < 0.5,
        ],
        [S_CHAT, S_AGENT, S_CHAT, S_AGENT, S_CHAT, S_REVIEW],
        S_AGENT,
    )
    in_phase = migrating[person, d] & np.isin(tool, (CLAUDE, CURSOR))
    shape = np.where(in_phase, S_MIGRATION, shape)
    is_weekend = cal.weekday[d] >= 5
    hour = np.where(is_weekend, rng.uniform(10, 22, m), _work_hours(rng, traits.chrono[person]))
    start = cal.local_to_utc_us(org.office[person], d, hour)
    gap = np.select([shape == S_REVIEW, shape == S_CHAT], [200.0, 120.0], 60.0)
    work = Sessions.make(person, tool, start, length, gap, shape)

    # Copilot completions in the editor, one bucket per active hour.
    tabs = rng.poisson(traits.tab_hours[:, None] * busy * ramp * org.working)
    tabs = np.minimum(tabs, 9)
    person, d = np.nonzero(tabs)
    k = tabs[person, d]
    person, d = np.repeat(person, k), np.repeat(d, k)
    hour = np.clip(9 + rng.integers(0, 9, person.size) + np.round(traits.chrono[person]), 6, 21)
    start = cal.local_to_utc_us(org.office[person], d, hour.astype(float))
    start = start - (start - cal.start_us) % HOUR_US
    tab = Sessions.make(person, COPILOT, start, 1, 0.0, S_TAB)
    return Sessions.concat([work, tab])


def legitimate_heavy(
    org: Org, traits: Traits, rhythm: Rhythm, d: Delivery, rng: np.random.Generator
) -> Sessions:
    """The work that makes some people heavy users for good reasons."""
    cal = org.cal
    days = cal.days
    day = np.arange(days)
    week = day // 7
    parts: list[Sessions] = []

    def daily(people: np.ndarray, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        counts = rng.poisson(lam)
        rows, cols = np.nonzero(counts)
        k = counts[rows, cols]
        return np.repeat(people[rows], k), np.repeat(cols, k)

    def start_at(person: np.ndarray, dd: np.ndarray) -> np.ndarray:
        return cal.local_to_utc_us(org.office[person], dd, _work_hours(rng, traits.chrono[person]))

    def seat(person: np.ndarray) -> np.ndarray:
        return np.where(traits.tool_p[person, CLAUDE] > 0, CLAUDE, CURSOR)

    # New hires learning the codebase: many questions over many files, fading over the first months.
    people = org.by_persona("new_hire_learner")
    if people.size:
        since = day[None, :] - org.hired_day[people, None]
        lam = 3.5 * np.exp(-np.maximum(since, 0) / 30.0) * org.working[people] + 0.6 * org.working[people]
        p, dd = daily(people, lam)
        parts.append(Sessions.make(p, seat(p), start_at(p, dd), 1 + rng.poisson(6, p.size), 90.0, S_LEARN))

    # Interface analysts paste batches of real HL7 messages; patient data goes to the in-house model.
    people = org.by_persona("interface_mapper")
    if people.size:
        p, dd = daily(people, 2.5 * org.working[people])
        internal = rng.random(p.size) < 0.5
        tool = np.where(internal, INTERNAL, seat(p))
        model = np.where(internal, LLAMA, -1)
        parts.append(
            Sessions.make(p, tool, start_at(p, dd), 1 + rng.poisson(4, p.size), 240.0, S_PASTE, model=model)
        )

    # Validation authors write test protocols and traceability evidence; most before the audit.
    people = org.by_persona("validation_author")
    if people.size:
        in_phase = (week[None, :] >= traits.phase_start[people, None]) & (
            week[None, :] < traits.phase_end[people, None]
        )
        p, dd = daily(people, 1.4 * np.where(in_phase, 2.5, 1.0) * org.working[people])
        internal = rng.random(p.size) < 0.35
        tool = np.where(internal, INTERNAL, seat(p))
        model = np.where(internal, GW_SONNET, -1)
        parts.append(
            Sessions.make(p, tool, start_at(p, dd), 1 + rng.poisson(3, p.size), 400.0, S_LONGOUT, model=model)
        )

    # Migration leads run long agent sessions over the legacy interfaces while the migration lasts.
    people = org.by_persona("migration_lead")
    if people.size:
        in_phase = (week[None, :] >= traits.phase_start[people, None]) & (
            week[None, :] < traits.phase_end[people, None]
        )
        p, dd = daily(people, 2.2 * in_phase * org.working[people])
        parts.append(
            Sessions.make(p, seat(p), start_at(p, dd), 1 + rng.poisson(14, p.size), 80.0, S_MIGRATION)
        )

    # Terminology releases: a night of embedding and classifying every changed concept, then review.
    people = org.by_persona("terminology_curator")
    for person in people:
        offset = int(rng.integers(0, 28))
        nights = [x for x in range(offset, days, 28) if org.employed[person, x]]
        weekly = [
            x for x in range(int(rng.integers(0, 7)), days, 7) if org.employed[person, x] and x not in nights
        ]
        for night in nights:
            begin = cal.local_to_utc_us(np.array([org.office[person]]), np.array([night]), np.array([22.0]))
            parts.append(
                Sessions.make(np.array([person]), OPENAI, begin, int(rng.integers(300, 900)), 5.0, S_EMBED)
            )
            parts.append(
                Sessions.make(
                    np.array([person]),
                    OPENAI,
                    begin + HOUR_US,
                    int(rng.integers(400, 1200)),
                    6.0,
                    S_CLASSIFY,
                    model=GPT5_MINI,
                )
            )
        if weekly:
            w = np.array(weekly)
            begin = cal.local_to_utc_us(np.full(w.size, org.office[person]), w, np.full(w.size, 21.5))
            parts.append(
                Sessions.make(
                    np.full(w.size, person),
                    OPENAI,
                    begin,
                    rng.integers(100, 250, w.size),
                    7.0,
                    S_CLASSIFY,
                    model=GPT5_MINI,
                )
            )

    # Incident responders: the commanders use AI at any hour while an incident is open; others a little.
    inc = d.incidents
    handled = (inc["responder"] >= 0) & (inc["acknowledged"] > 0) & (inc["resolved"] > 0)
    responder = inc["responder"][handled]
    acked, resolved = inc["acknowledged"][handled], inc["resolved"][handled]
    commander = _persona_mask(org, "oncall_responder")[responder]
    uses_ai = (traits.adopt_day[responder] < NEVER) & (traits.session_rate[responder] > 0.3)
    other = ~commander & uses_ai & (rng.random(responder.size) < 0.45)
    duration_s = (resolved - acked) / US
    n = np.where(commander, np.clip(4 + duration_s / 3600 * 5, 4, 70), rng.integers(2, 9, responder.size))
    n = n.astype(np.int64)
    gap = np.where(commander, np.minimum(duration_s / n, 600.0), 120.0)
    pick = commander | other
    tool = np.where(rng.random(responder.size) < 0.6, CLAUDE, INTERNAL)
    tool = np.where((tool == CLAUDE) & (traits.tool_p[responder, CLAUDE] == 0), INTERNAL, tool)
    begin = acked + (rng.uniform(1, 5, responder.size) * 60 * US).astype(np.int64)
    parts.append(Sessions.make(responder[pick], tool[pick], begin[pick], n[pick], gap[pick], S_INCIDENT))

    # Staff engineers ask the review agent about every change they review.
    rv = d.reviews
    staff = _persona_mask(org, "staff_reviewer")[np.maximum(rv["reviewer"], 0)] & (rv["reviewer"] >= 0)
    who = rv["reviewer"][staff]
    when = rv["submitted"][staff] - (rng.uniform(3, 30, who.size) * 60 * US).astype(np.int64)
    parts.append(
        Sessions.make(who, INTERNAL, when, 1 + rng.poisson(0.8, who.size), 150.0, S_REVIEW, model=GW_SONNET)
    )
    return Sessions.concat(parts)


def automation(org: Org, rng: np.random.Generator) -> Sessions:
    """Service keys: the claims parser, the nightly summary evaluation, the ward agent's scheduler, CI."""
    cal = org.cal
    days = np.arange(cal.days)
    day0 = cal.start_us + days * DAY_US
    weekdays = days[cal.weekday < 5]
    parts = [
        Sessions.make(
            np.full(days.size, -1),
            OPENAI,
            day0 + 5 * 60 * US,
            48,
            1790.0,
            S_CLASSIFY,
            model=GPT5_MINI,
            regular=True,
            account=0,
        ),
        Sessions.make(
            np.full(days.size, -1),
            OPENAI,
            day0 + HOUR_US,
            rng.integers(60, 120, days.size),
            9.0,
            S_CHAT,
            model=GPT5,
            account=1,
        ),
        Sessions.make(
            np.full(days.size, -1),
            INTERNAL,
            day0 + 120 * US,
            72,
            1190.0,
            S_AGENT,
            model=LLAMA,
            regular=True,
            account=2,
        ),
    ]
    runs = np.repeat(weekdays, 6)
    start = cal.start_us + runs * DAY_US + (rng.uniform(7, 19, runs.size) * HOUR_US).astype(np.int64)
    parts.append(
        Sessions.make(
            np.full(runs.size, -1),
            CLAUDE,
            start,
            rng.integers(8, 20, runs.size),
            20.0,
            S_AGENT,
            model=SONNET,
            account=3,
        )
    )
    return Sessions.concat(parts)
