"""The person-week plan: who is employed, away, in a release crunch, adopting AI, learning, migrating,
on call or inflating, and how much each person ships and asks of AI tools in each week."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.meridian import catalog as cat
from orchestration.meridian.org import (
    INFLATOR,
    LATE,
    LEARNER,
    LIGHT,
    MIGRATION,
    ONCALL,
    POWER,
    STAFF,
    Org,
    _between,
)

#: Weekly sessions of each kind, by behaviour: tab, chat, agent, review, completion.
RATE_KINDS = (cat.TAB, cat.CHAT, cat.AGENT, cat.REVIEW, cat.COMPLETION)
RATES = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0],  # non_adopter
        [4.5, 1.6, 0.25, 0.05, 0.6],  # light_user
        [6.5, 4.0, 2.0, 0.4, 1.5],  # steady_user
        [6.5, 4.0, 2.0, 0.4, 1.5],  # late_adopter, once adopted
        [8.0, 6.0, 2.8, 0.6, 2.0],  # power_user
        [6.5, 4.0, 2.0, 0.4, 1.5],  # migration_lead outside the migration
        [4.0, 4.0, 1.2, 0.3, 1.0],  # oncall_responder
        [3.5, 4.5, 1.0, 0.3, 1.0],  # staff_reviewer, besides the reviews
        [4.0, 4.0, 1.5, 0.1, 1.0],  # new_hire_learner once settled
        [6.5, 4.0, 2.0, 0.4, 1.5],  # (inflators use their base behaviour)
        [0.0, 1.5, 0.0, 0.15, 0.0],  # managers
    ]
)
#: Merged pull requests per week by role, before personal level and AI uplift.
ROLE_PRS = {
    "engineer": 1.7,
    "senior_engineer": 2.0,
    "staff_engineer": 0.9,
    "sre": 0.9,
    "data_engineer": 1.4,
    "mobile_engineer": 1.5,
    "manager": 0.0,
}
#: Chance that a commit carries an AI co-author trailer, by behaviour, once adopted.
TRAILER_P = np.array([0.0, 0.08, 0.28, 0.28, 0.5, 0.35, 0.2, 0.25, 0.2, 0.28, 0.0])


@dataclass
class Plan:
    employed: np.ndarray
    available: np.ndarray
    vacation: np.ndarray
    crunch: np.ndarray
    crunch_weeks: dict[str, list[int]]
    adoption: np.ndarray
    adoption_week: np.ndarray
    learner: np.ndarray
    migration: np.ndarray
    oncall: np.ndarray
    team_oncall: np.ndarray
    rates: np.ndarray
    pr_rate: np.ndarray
    trailer_p: np.ndarray
    top_p: np.ndarray
    style: np.ndarray
    intensity: np.ndarray
    topup_factor: np.ndarray
    uplift: np.ndarray


def employed_weeks(org: Org, weeks: int) -> np.ndarray:
    """Whether each person was employed on any day of each ISO week."""
    starts = 7 * np.arange(weeks)
    return (org.hire_day[:, None] <= starts + 6) & (org.leave_day[:, None] >= starts)


def build_plan(rng: np.random.Generator, org: Org, weeks: int) -> Plan:
    people = org.people
    starts = 7 * np.arange(weeks)
    first = np.maximum(org.hire_day[:, None], starts)
    last = np.minimum(org.leave_day[:, None], starts + 4)
    employed = np.clip(last - first + 1, 0, 5) / 5.0
    behaviour = org.behaviour

    vacation = np.zeros((people, weeks), dtype=bool)
    blocks = rng.poisson(weeks / 16.0, size=people)
    for p in np.flatnonzero(blocks):
        for _ in range(blocks[p]):
            begin = int(rng.integers(0, weeks))
            vacation[p, begin : begin + (2 if rng.random() < 0.35 else 1)] = True
    settling = (behaviour == LEARNER)[:, None] & (starts[None, :] < org.hire_day[:, None] + 28)
    vacation &= ~settling
    available = (employed > 0) & ~vacation

    # Release crunch: two weeks per department, and the whole organisation's mid-period release.
    crunch_weeks: dict[str, list[int]] = {}
    crunch_team = np.ones((len(org.team_id), weeks))
    intensity_team = rng.uniform(1.35, 1.9, size=len(org.team_id))
    for d, department in enumerate(cat.DEPARTMENTS):
        chosen: list[int] = []
        if weeks >= 6:
            begin = int(_between(rng, 1, weeks - 3))
            chosen = [begin, begin + 1]
        if weeks >= 10:
            chosen.append(weeks // 2)
        crunch_weeks[department.name] = sorted(set(chosen))
        teams = np.flatnonzero(org.team_dept == d)
        for w in crunch_weeks[department.name]:
            crunch_team[teams, w] = intensity_team[teams]
    crunch = crunch_team[org.team]

    adopter = org.tools.any(axis=1)
    adoption_week = np.where(adopter, -1, 10**6)
    late = np.flatnonzero((behaviour == LATE) & adopter)
    adoption_week[late] = _between(rng, min(3, weeks - 1), max(3, weeks - 3), len(late))
    since = np.arange(weeks)[None, :] - adoption_week[:, None]
    ramp = np.array([0.3, 0.6, 0.85])
    adoption = np.where(since < 0, 0.0, np.where(since < 3, ramp[np.clip(since, 0, 2)], 1.0))
    adoption[~adopter] = 0.0

    weeks_in = np.arange(weeks)[None, :] - (org.hire_day // 7)[:, None]
    learn_for = rng.integers(4, 9, size=people)
    learner = (behaviour == LEARNER)[:, None] & (weeks_in >= 0) & (weeks_in < learn_for[:, None])

    migration = np.zeros((people, weeks), dtype=bool)
    for p in np.flatnonzero(behaviour == MIGRATION):
        begin = int(_between(rng, 1, weeks - 4)) if weeks > 2 else 0
        migration[p, begin : begin + int(rng.integers(3, 7))] = True

    oncall, team_oncall = _rotation(rng, org, available, weeks)

    noise = rng.lognormal(0.0, 0.25, size=(people, weeks))
    active = np.where((behaviour == LIGHT)[:, None], rng.random((people, weeks)) < 0.65, True)
    scale = org.level[:, None] * noise * adoption * employed * available * active * crunch
    rates = RATES[behaviour][:, :, None] * scale[:, None, :]
    chat, agent = RATE_KINDS.index(cat.CHAT), RATE_KINDS.index(cat.AGENT)
    rates[:, chat] *= np.where(learner, 3.5, 1.0) * np.where(oncall, 1.3, 1.0) * np.where(migration, 1.5, 1.0)
    rates[:, agent] *= np.where(learner, 1.2, 1.0) * np.where(migration, 3.0, 1.0)

    uplift = np.clip(rng.normal(0.12, 0.06, size=people), -0.05, 0.35)
    uplift[behaviour == LIGHT] = np.clip(
        rng.normal(0.04, 0.03, size=int((behaviour == LIGHT).sum())), -0.03, 0.1
    )
    uplift[~adopter] = 0.0
    role_prs = np.array([ROLE_PRS[role] for role in org.role])
    persona_prs = np.select([behaviour == POWER, behaviour == STAFF], [2.4, 0.5], 1.0)
    ramp_in = np.where(
        (behaviour == LEARNER)[:, None],
        np.clip((weeks_in - 1) / learn_for[:, None], 0.0, 1.0),
        np.where(weeks_in < 2, 0.3, 1.0),
    )
    ramp_in = np.where(weeks_in < 0, 0.0, np.where(org.hire_day[:, None] < 0, 1.0, ramp_in))
    pr_rate = (
        (role_prs * persona_prs * org.output_level)[:, None]
        * (1.0 + uplift[:, None] * adoption)
        * (1.0 + 0.8 * (crunch - 1.0))
        * np.where(migration, 3.5, 1.0)
        * np.where(oncall, 0.8, 1.0)
        * employed
        * available
        * ramp_in
    )
    pr_rate[~org.is_engineer] = 0.0
    trailer_p = TRAILER_P[behaviour][:, None] * adoption * np.where(migration, 1.8, 1.0)
    trailer_p[~org.tools[:, [cat.CLAUDE_CODE, cat.CURSOR, cat.COPILOT]].any(axis=1)] = 0.0

    prefers_top = adopter & (rng.random(people) < 0.08)
    top_p = np.where(prefers_top, 0.25, 0.0)[:, None] * np.ones((1, weeks))
    style, intensity = _inflation(rng, org, available, weeks)
    top_p = np.where(style == cat.TRIVIA, 0.85, top_p)
    return Plan(
        employed=employed,
        available=available,
        vacation=vacation,
        crunch=crunch,
        crunch_weeks=crunch_weeks,
        adoption=adoption,
        adoption_week=adoption_week,
        learner=learner,
        migration=migration,
        oncall=oncall,
        team_oncall=team_oncall,
        rates=rates,
        pr_rate=pr_rate,
        trailer_p=np.clip(trailer_p, 0.0, 0.9),
        top_p=top_p,
        style=style,
        intensity=intensity,
        topup_factor=rng.uniform(1.05, 1.35, size=people),
        uplift=uplift,
    )


def _rotation(
    rng: np.random.Generator, org: Org, available: np.ndarray, weeks: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weekly primary on-call per team: the responders in Reliability, the engineers elsewhere."""
    oncall = np.zeros(available.shape, dtype=bool)
    team_oncall = np.full((len(org.team_id), weeks), -1, dtype=np.int64)
    for t, members in enumerate(org.members):
        if org.team_dept[t] == cat.RELIABILITY:
            pool = members[org.persona[members] == ONCALL]
        else:
            pool = members[(org.persona[members] != LEARNER) & (org.persona[members] != STAFF)]
        if len(pool) == 0:
            pool = members
        if len(pool) == 0:
            continue
        pool = rng.permutation(pool)
        for w in range(weeks):
            for step in range(len(pool)):
                person = pool[(w + step) % len(pool)]
                if available[person, w]:
                    team_oncall[t, w] = person
                    oncall[person, w] = True
                    break
    return oncall, team_oncall


def _inflation(
    rng: np.random.Generator, org: Org, available: np.ndarray, weeks: int
) -> tuple[np.ndarray, np.ndarray]:
    """The weeks each inflator means to inflate, with the style and how hard; the warehouse only ever
    sees what they then do (a performative top-up only happens when the person is below target)."""
    style = np.full(available.shape, -1, dtype=np.int64)
    intensity = np.zeros(available.shape)
    for p in np.flatnonzero(org.persona == INFLATOR):
        person_k = rng.lognormal(0.0, 0.45)
        onset = 0 if rng.random() < 0.4 else int(_between(rng, 1, int(0.7 * weeks)))
        pattern = rng.random()
        if org.style[p] == cat.BURST:
            planned = rng.random(weeks) < rng.uniform(0.5, 0.9)
        elif org.style[p] == cat.TOPUP:
            planned = (
                np.ones(weeks, dtype=bool) if pattern < 0.6 else rng.random(weeks) < rng.uniform(0.4, 0.8)
            )
        elif pattern < 0.45:
            planned = np.ones(weeks, dtype=bool)
        elif pattern < 0.8:
            planned = rng.random(weeks) < rng.uniform(0.35, 0.75)
        else:
            planned = np.zeros(weeks, dtype=bool)
            begin = int(_between(rng, onset, weeks - 2))
            planned[begin : begin + int(rng.integers(2, 7))] = True
        planned &= (np.arange(weeks) >= onset) & available[p]
        if not planned.any() and available[p].any():
            planned[rng.choice(np.flatnonzero(available[p]))] = True
        chosen = np.where(
            (org.second_style[p] >= 0) & (rng.random(weeks) < 0.3), org.second_style[p], org.style[p]
        )
        style[p] = np.where(planned, chosen, -1)
        intensity[p] = np.where(planned, person_k * rng.lognormal(0.0, 0.3, size=weeks), 0.0)
    return style, intensity
