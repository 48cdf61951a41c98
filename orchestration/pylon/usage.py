"""Pylon Grid's AI usage: sessions of work, on-call, storms, batch analyses and workshops, the inflating
habits some people picked up around the token leaderboards, and every model request they expand into."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.pylon.calendar import DAY, HOUR, OFFICES, Board, Calendar, Crunch, Weather
from orchestration.pylon.org import AREA_KEYS, KIND, PERSONAS, STYLES, TOOLS, Org, P, T

MODELS = (
    "claude-sonnet-4-5-20250929",  # 0
    "claude-opus-4-1-20250805",  # 1
    "claude-haiku-4-5-20251001",  # 2
    "claude-4.5-sonnet",  # 3 cursor
    "claude-4.1-opus",  # 4 cursor
    "gpt-5",  # 5 cursor
    "cursor-small",  # 6 cursor tab
    "gpt-4.1",  # 7 copilot
    "claude-sonnet-4",  # 8 copilot
    "gpt-5-2025-08-07",  # 9
    "gpt-5-mini-2025-08-07",  # 10
    "o3-2025-04-16",  # 11
    "claude-opus-4.1",  # 12 copilot
    "o3-pro-2025-06-10",  # 13
)
OPENAI_FAMILY = np.array([m.startswith(("gpt", "o3", "cursor-small")) for m in MODELS])
#: List prices per million tokens: input, cached input, cache write, output.
LIST_PRICES = np.array(
    [
        [3.0, 0.30, 3.75, 15.0],
        [15.0, 1.50, 18.75, 75.0],
        [1.0, 0.10, 1.25, 5.0],
        [3.0, 0.30, 3.75, 15.0],
        [15.0, 1.50, 18.75, 75.0],
        [1.25, 0.125, 0.0, 10.0],
        [0.10, 0.01, 0.0, 0.40],
        [2.0, 0.50, 0.0, 8.0],
        [3.0, 0.30, 3.75, 15.0],
        [1.25, 0.125, 0.0, 10.0],
        [0.25, 0.025, 0.0, 2.0],
        [2.0, 0.50, 0.0, 8.0],
        [15.0, 1.50, 18.75, 75.0],
        [20.0, 20.0, 0.0, 80.0],
    ]
)
#: Pylon's enterprise agreement cut the Opus rates part-way through the period.
OPUS_DISCOUNT = 0.8

AGENT_MODEL = np.array([0, 3, 8, 9, 0])
PREMIUM_MODEL = np.array([1, 4, 12, 13, 1])
CHAT_MODEL = np.array([0, 3, 7, 9, 2])
CHAT_ALT_MODEL = np.array([2, 5, 8, 10, 0])
TAB_MODEL = np.array([6, 6, 7, 7, 6])
#: Tools whose usage arrives billed; the others are priced by the warehouse from model_prices.
BILLED_TOOL = np.array([True, True, False, True, False])

KINDS = ("chat", "completion", "agent", "tab", "review", "other")
K = {name: i for i, name in enumerate(KINDS)}
STYLE_INDEX = {name: i for i, name in enumerate(STYLES)}

#: Automation that belongs to nobody: (tool, key name).
AUTOMATION = (
    (T["openai_api"], "svc-outage-summariser"),
    (T["openai_api"], "ci-settlement-recon"),
    (T["internal_agent"], "gridpilot-pr-bot"),
)

# Sessions per available working day: tab buckets, chats, agent runs, reviews.
_RATES = {
    "non_adopter": (0.0, 0.0, 0.0, 0.0),
    "light_user": (0.37, 0.29, 0.1, 0.0),
    "steady_user": (0.74, 0.57, 0.61, 0.05),
    "late_adopter": (0.66, 0.49, 0.49, 0.03),
    "power_user": (0.9, 0.82, 1.97, 0.1),
    "migration_lead": (0.66, 0.57, 0.82, 0.1),
    "oncall_responder": (0.41, 0.41, 0.37, 0.05),
    "staff_reviewer": (0.25, 0.66, 0.25, 3.2),
    "new_hire_learner": (0.66, 0.98, 0.49, 0.0),
    "protection_engineer": (0.16, 0.25, 0.2, 0.0),
    "grid_model_analyst": (0.25, 0.49, 0.29, 0.0),
    "storm_response_analyst": (0.33, 0.49, 0.25, 0.0),
    "ai_enablement_trainer": (0.66, 0.82, 0.74, 0.1),
}
_SESSION_LENGTH = {"power_user": 1.6, "migration_lead": 1.3, "ai_enablement_trainer": 1.1}

FIELDS: dict[str, tuple[type, object]] = {
    "person": (np.int64, -1),
    "actor": (np.int64, -1),
    "tool": (np.int64, 0),
    "model": (np.int64, 0),
    "kind": (np.int64, 0),
    "start": (np.int64, 0),
    "n": (np.int64, 1),
    "gap": (np.float64, 30.0),
    "gap_fixed": (np.bool_, False),
    "mode": (np.int64, 0),
    "ctx": (np.float64, 0.0),
    "delta": (np.float64, 0.0),
    "cap": (np.float64, 180_000.0),
    "inp": (np.float64, 500.0),
    "out": (np.float64, 500.0),
    "noise": (np.float64, 0.55),
    "edit_p": (np.float64, 0.0),
    "lines": (np.float64, 0.0),
    "accept": (np.float64, 0.0),
    "has_lines": (np.bool_, False),
    "inflating": (np.bool_, False),
    "hash_base": (np.int64, 0),
    "hash_div": (np.int64, 1),
    "hash_mod": (np.int64, 0),
}


class Sessions:
    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, count: int, **values: object) -> None:
        if count == 0:
            return
        part = {}
        for name, (dtype, default) in FIELDS.items():
            value = np.asarray(values.pop(name, default), dtype=dtype)
            part[name] = np.broadcast_to(value, (count,)).copy()
        if values:
            raise TypeError(f"unknown session fields {sorted(values)}")
        self.parts.append(part)

    def concat(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate([p[name] for p in self.parts]) for name in FIELDS}


def _lognormal(
    rng: np.random.Generator, mean: np.ndarray, sigma: float | np.ndarray, size: int
) -> np.ndarray:
    sigma = np.asarray(sigma, dtype=np.float64)
    return np.exp(rng.normal(0.0, 1.0, size) * sigma - sigma**2 / 2) * mean


def expected_tokens(n: np.ndarray, mode: int, ctx: float, delta: float, inp: float, out: float) -> np.ndarray:
    if mode == 1:
        return n * (ctx + inp + out + delta) + delta * n * (n - 1) / 2
    if mode == 2:
        return n * (ctx + inp + out)
    return n * (inp + out)


# -------------------------------------------------------------------------------------------------------
# The plan: who inflates when, who migrates when, and the prototypes nobody merges.


@dataclass
class Plan:
    style: np.ndarray  # [person] index into STYLES, -1 for everyone else
    scale: np.ndarray  # [person] how hard they push (subtle < 1 < blatant)
    active: np.ndarray  # [person, week]
    migration: np.ndarray  # [person, week]
    board: np.ndarray  # [person] index of the leaderboard their area is on
    proto_person: np.ndarray
    proto_start: np.ndarray
    proto_n: np.ndarray
    workshop_weeks: np.ndarray  # [person, week] trainer's workshop count


_SCALE = np.array([0.45, 1.0, 2.3])


def make_plan(cal: Calendar, org: Org, boards: list[Board], rng: np.random.Generator) -> Plan:
    W = cal.weeks
    n = org.people
    style = np.full(n, -1, dtype=np.int64)
    for s, name in enumerate(STYLES):
        style[org.persona == P[name]] = s
    scale = np.where(style >= 0, _SCALE[np.maximum(org.style_intensity, 0)] * rng.uniform(0.8, 1.25, n), 0.0)
    week_days = org.employed_local[:, 1 : 1 + 7 * W].reshape(n, W, 7)
    employed_week = week_days.any(axis=2)
    present_week = (org.available[:, 1 : 1 + 7 * W].reshape(n, W, 7)).sum(axis=2)
    active = np.zeros((n, W), dtype=bool)
    for i in np.flatnonzero(style >= 0):
        first = int(rng.integers(0, max(1, int(0.55 * W))))
        last = W - 1
        if rng.random() < 0.4:  # a word from the manager, or the novelty wore off
            last = min(W - 1, first + int(rng.integers(2, 9)))
        p_on = rng.uniform(0.55, 0.95)
        weeks = np.arange(W)
        on = (weeks >= first) & (weeks <= last) & (rng.random(W) < p_on)
        on[first] = True
        if STYLES[style[i]] == "background_agents":
            on &= employed_week[i]
        else:
            on &= present_week[i] >= 2
        active[i] = on
    migration = np.zeros((n, W), dtype=bool)
    for i in np.flatnonzero(org.persona == P["migration_lead"]):
        length = int(rng.integers(3, 9))
        first = int(rng.integers(0, max(1, W - length + 1)))
        migration[i, first : first + length] = True
    area = np.array([AREA_KEYS[int(org.team_area[max(t, 0)])] for t in org.team])
    board = np.array([next(b for b, bd in enumerate(boards) if a in bd.areas) for a in area])

    # Prototypes: an afternoon of agent work, then a draft pull request that is closed unmerged.
    proto_person, proto_start, proto_n = [], [], []
    per_week = np.array([1, 2, 3])
    for i in np.flatnonzero(style == STYLE_INDEX["throwaway_prototypes"]):
        k = per_week[org.style_intensity[i]]
        for w in np.flatnonzero(active[i]):
            cols = 1 + 7 * w + np.flatnonzero(org.available[i, 1 + 7 * w : 8 + 7 * w])
            if len(cols) == 0:
                continue
            for _ in range(int(k + rng.integers(0, 2))):
                col = int(rng.choice(cols))
                hour = org.chronotype[i] + rng.uniform(1.0, 6.0)
                proto_person.append(i)
                proto_start.append(
                    int(cal.utc(np.array([org.office[i]]), np.array([col]), np.array([hour]))[0])
                )
                proto_n.append(int(rng.integers(35, 90) * max(0.7, scale[i])))
    workshop = np.zeros((n, W), dtype=np.int64)
    for i in np.flatnonzero(org.persona == P["ai_enablement_trainer"]):
        workshop[i] = np.where(present_week[i] >= 3, rng.integers(1, 4, W), 0)
    return Plan(
        style=style,
        scale=scale,
        active=active,
        migration=migration,
        board=board,
        proto_person=np.array(proto_person, dtype=np.int64),
        proto_start=np.array(proto_start, dtype=np.int64),
        proto_n=np.array(proto_n, dtype=np.int64),
        workshop_weeks=workshop,
    )


# -------------------------------------------------------------------------------------------------------
# Ordinary work.


def _col_week(cal: Calendar) -> np.ndarray:
    return np.clip((np.arange(cal.days + 2) - 1) // 7, 0, cal.weeks - 1)


def work_sessions(
    cal: Calendar, org: Org, plan: Plan, crunch: list[Crunch], rng: np.random.Generator, out: Sessions
) -> None:
    n = org.people
    W = cal.weeks
    cw = _col_week(cal)
    names = [PERSONAS[int(p)] for p in org.persona]
    rates = np.array(
        [
            _RATES.get(nm, _RATES["steady_user"] if KIND[nm] == "inflator" else _RATES["light_user"])
            for nm in names
        ]
    )
    # Inflators hold a normal job first: some lighter, some steadier.
    infl = plan.style >= 0
    rates[infl] *= rng.uniform(0.45, 1.1, (int(infl.sum()), 1))
    rates[org.is_manager] *= 0.5
    rates *= org.intensity[:, None]
    length = np.array([_SESSION_LENGTH.get(nm, 1.0) for nm in names])

    # Trials: some non-adopters poked at a tool once or twice.
    trial = (org.persona == P["non_adopter"]) & (rng.random(n) < 0.3)

    aw = org.adoption_week
    ramp = np.clip((cw[None, :] - aw[:, None] + 1) / 3.0, 0.0, 1.0)
    ramp[org.persona == P["non_adopter"]] = 0.0
    lift = np.ones((len(AREA_KEYS), W))
    weekend_push = np.zeros((len(AREA_KEYS), W))
    for c in crunch:
        a = AREA_KEYS.index(c.area)
        lift[a, c.first_week : c.first_week + c.weeks] = c.lift
        weekend_push[a, c.first_week : c.first_week + c.weeks] = 0.35
    area = org.team_area[np.maximum(org.team, 0)]
    crunch_f = lift[area][:, cw]
    present = org.available.astype(np.float64) * crunch_f
    weekend = org.employed_local & ~org.on_leave & ~cal.workday[org.office]
    present += weekend * weekend_push[area][:, cw]
    factor = present * ramp

    weeks_since_hire = (np.arange(cal.days + 2)[None, :] - 1 - org.hired_day[:, None]) / 7.0
    learner = org.persona == P["new_hire_learner"]
    chat_boost = np.ones_like(factor)
    chat_boost[learner] = 1.0 + 2.2 * np.exp(-np.clip(weeks_since_hire[learner], 0, None) / 5.0)
    agent_boost = np.ones_like(factor)
    mig = np.flatnonzero(org.persona == P["migration_lead"])
    agent_boost[mig] = 1.0 + 3.0 * plan.migration[mig][:, cw]

    def draw(kind_rate: np.ndarray, boost: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        lam = kind_rate[:, None] * factor
        if boost is not None:
            lam = lam * boost
        counts = rng.poisson(lam)
        person, col = np.nonzero(counts)
        reps = counts[person, col]
        return np.repeat(person, reps), np.repeat(col, reps)

    def hours(person: np.ndarray, col: np.ndarray) -> np.ndarray:
        h = org.chronotype[person] + rng.uniform(0.0, 8.8, len(person))
        evening = rng.random(len(person)) < 0.07
        h = np.where(evening, rng.uniform(19.0, 23.5, len(person)), h)
        wk = ~cal.workday[org.office[person], col]
        return np.where(wk, rng.uniform(10.0, 18.0, len(person)), h)

    # Tab completions, reported as hourly buckets.
    p, c = draw(rates[:, 0])
    p_tab = org.tab_tool[p] >= 0
    p, c = p[p_tab], c[p_tab]
    m = len(p)
    tool = org.tab_tool[p]
    out.add(
        m,
        person=p,
        tool=tool,
        model=TAB_MODEL[tool],
        kind=K["tab"],
        start=cal.utc(org.office[p], c, hours(p, c)),
        n=1 + rng.geometric(0.55, m),
        gap=3600.0,
        gap_fixed=True,
        noise=0.6,
        inp=_lognormal(rng, 24_000.0, 0.5, m),
        out=_lognormal(rng, 700.0, 0.5, m),
        edit_p=1.0,
        lines=rng.uniform(12, 40, m),
        accept=org.accept_rate[p] * 0.5,
        has_lines=True,
    )

    # Chats.
    p, c = draw(rates[:, 1], chat_boost)
    tp = np.concatenate([p, np.flatnonzero(trial)])
    tc = np.concatenate([c, rng.integers(1, cal.days + 1, int(trial.sum()))])
    p, c = tp, tc
    m = len(p)
    tool = org.chat_tool[p]
    premium = rng.random(m) < org.premium_taste[p] * 0.5
    model = np.where(rng.random(m) < 0.25, CHAT_ALT_MODEL[tool], CHAT_MODEL[tool])
    model = np.where(premium, PREMIUM_MODEL[tool], model)
    learn = org.persona[p] == P["new_hire_learner"]
    out.add(
        m,
        person=p,
        tool=tool,
        model=model,
        kind=K["chat"],
        start=cal.utc(org.office[p], c, hours(p, c)),
        n=1 + rng.geometric(0.3, m),
        gap=90.0,
        mode=np.where(tool == T["openai_api"], 2, 1),
        ctx=np.where(learn, _lognormal(rng, 28_000.0, 0.6, m), _lognormal(rng, 6_000.0, 0.7, m)),
        delta=_lognormal(rng, 1_500.0, 0.5, m),
        inp=_lognormal(rng, 700.0, 0.6, m),
        out=_lognormal(rng, 650.0, 0.5, m),
        edit_p=np.where(tool == T["openai_api"], 0.0, 0.2),
        lines=15.0,
        accept=org.accept_rate[p],
        has_lines=tool != T["openai_api"],
    )

    # Agent runs; Copilot's agent mode is used less than its completions and chat.
    p, c = draw(rates[:, 2], agent_boost)
    keep = (org.agent_tool[p] != T["copilot"]) | (rng.random(len(p)) < 0.45)
    p, c = p[keep], c[keep]
    m = len(p)
    tool = org.agent_tool[p]
    wk = cw[c]
    migrating = plan.migration[p, wk]
    premium = rng.random(m) < org.premium_taste[p]
    out.add(
        m,
        person=p,
        tool=tool,
        model=np.where(premium, PREMIUM_MODEL[tool], AGENT_MODEL[tool]),
        kind=K["agent"],
        start=cal.utc(org.office[p], c, hours(p, c)),
        n=2 + np.round(rng.negative_binomial(2, 2 / (2 + 9.0 * length[p] * np.where(migrating, 1.5, 1.0)))),
        gap=25.0,
        mode=1,
        ctx=_lognormal(rng, np.where(migrating, 38_000.0, 18_000.0), 0.5, m),
        delta=_lognormal(rng, 2_800.0, 0.6, m),
        cap=rng.uniform(140_000, 190_000, m),
        inp=_lognormal(rng, 260.0, 0.8, m),
        out=_lognormal(rng, 720.0, 0.6, m),
        edit_p=0.35,
        lines=np.where(migrating, 55.0, 28.0),
        accept=np.clip(org.accept_rate[p] + np.where(migrating, 0.1, 0.0), 0, 0.95),
        has_lines=True,
    )

    # Reviews: GridPilot reviews for those on the internal tools, Copilot reviews otherwise.
    p, c = draw(rates[:, 3])
    m = len(p)
    staff = org.persona[p] == P["staff_reviewer"]
    tool = np.where(org.agent_tool[p] == T["internal_agent"], T["internal_agent"], T["copilot"])
    tool = np.where(
        (org.persona[p] == P["staff_reviewer"]) & (rng.random(m) < 0.5), T["internal_agent"], tool
    )
    out.add(
        m,
        person=p,
        tool=tool,
        model=np.where(tool == T["internal_agent"], 0, 8),
        kind=K["review"],
        start=cal.utc(org.office[p], c, hours(p, c)),
        n=1 + rng.geometric(np.where(staff, 0.18, 0.5), m),
        gap=45.0,
        mode=1,
        ctx=_lognormal(rng, np.where(staff, 42_000.0, 22_000.0), 0.7, m),
        delta=_lognormal(rng, 1_200.0, 0.5, m),
        inp=_lognormal(rng, 400.0, 0.5, m),
        out=_lognormal(rng, 1_100.0, 0.5, m),
    )


def specialist_sessions(
    cal: Calendar,
    org: Org,
    plan: Plan,
    weather: list[Weather],
    rng: np.random.Generator,
    out: Sessions,
) -> None:
    """The legitimate heavy work of the specialists."""
    cw = _col_week(cal)
    # Protection-settings engineers read relay manuals and substation configuration files whole.
    prot = np.flatnonzero(org.persona == P["protection_engineer"])
    lam = 1.5 * org.intensity[prot, None] * org.available[prot]
    counts = rng.poisson(lam)
    pi, c = np.nonzero(counts)
    p = np.repeat(prot[pi], counts[pi, c])
    c = np.repeat(c, counts[pi, c])
    m = len(p)
    tool = np.where(org.agent_tool[p] == T["copilot"], T["claude_code"], org.agent_tool[p])
    out.add(
        m,
        person=p,
        tool=tool,
        model=AGENT_MODEL[tool],
        kind=np.where(rng.random(m) < 0.6, K["chat"], K["agent"]),
        start=cal.utc(org.office[p], c, org.chronotype[p] + rng.uniform(0.3, 8.5, m)),
        n=4 + rng.poisson(11, m),
        gap=110.0,
        mode=1,
        ctx=rng.uniform(110_000, 185_000, m),
        delta=_lognormal(rng, 1_400.0, 0.5, m),
        cap=199_000.0,
        inp=_lognormal(rng, 450.0, 0.6, m),
        out=_lognormal(rng, 950.0, 0.5, m),
        edit_p=0.1,
        lines=12.0,
        accept=0.7,
        has_lines=True,
    )

    # Network planners run load-flow scenario batches overnight through the OpenAI API.
    analysts = np.flatnonzero(org.persona == P["grid_model_analyst"])
    for i in analysts:
        for w in range(cal.weeks):
            cols = 1 + 7 * w + np.flatnonzero(org.available[i, 1 + 7 * w : 8 + 7 * w])
            if len(cols) == 0:
                continue
            jobs = int(rng.poisson(2.2 if (w % 13) not in (10, 11, 12) else 4.5))
            if jobs == 0:
                continue
            col = rng.choice(cols, size=jobs)
            start = cal.utc(np.full(jobs, org.office[i]), col, rng.uniform(19.0, 23.0, jobs))
            out.add(
                jobs,
                person=i,
                tool=T["openai_api"],
                model=np.where(rng.random(jobs) < 0.6, 9, 10),
                kind=K["other"],
                start=start,
                n=rng.integers(60, 220, jobs),
                gap=rng.uniform(6.0, 18.0, jobs),
                gap_fixed=True,
                mode=2,
                ctx=rng.uniform(18_000, 42_000, jobs),
                inp=_lognormal(rng, 9_000.0, 0.3, jobs),
                out=_lognormal(rng, 2_600.0, 0.3, jobs),
                noise=0.35,
                hash_base=int(rng.integers(1, 2**40)) * 4096,
                hash_div=1,
                hash_mod=0,
            )

    # Storm-response analysts: when their region's weather turns, they triage around the clock.
    storm = np.flatnonzero(org.persona == P["storm_response_analyst"])
    for ev in weather:
        mine = storm[[OFFICES[int(org.office[i])].region == ev.region for i in storm]]
        for i in mine:
            for d in range(ev.first_day, min(cal.days, ev.first_day + ev.days + 2)):
                col = d + 1
                if not org.employed_local[i, col] or (org.on_leave[i, col] and rng.random() < 0.7):
                    continue
                k = int(rng.poisson(5.5 * org.intensity[i]))
                if k == 0:
                    continue
                tool = np.where(rng.random(k) < 0.7, org.agent_tool[i], org.chat_tool[i])
                out.add(
                    k,
                    person=i,
                    tool=tool,
                    model=AGENT_MODEL[tool],
                    kind=K["agent"],
                    start=cal.utc(np.full(k, org.office[i]), np.full(k, col), rng.uniform(0, 24, k)),
                    n=5 + rng.poisson(18, k),
                    gap=40.0,
                    mode=1,
                    ctx=rng.uniform(40_000, 100_000, k),
                    delta=_lognormal(rng, 3_500.0, 0.5, k),
                    inp=_lognormal(rng, 600.0, 0.6, k),
                    out=_lognormal(rng, 1_100.0, 0.5, k),
                    edit_p=0.05,
                    lines=10.0,
                    accept=0.6,
                    has_lines=True,
                )

    # The enablement trainers' workshops: the same demo prompts, live, in every tool.
    for i in np.flatnonzero(org.persona == P["ai_enablement_trainer"]):
        base = int(rng.integers(1, 2**40)) * 4096
        for w in np.flatnonzero(plan.workshop_weeks[i]):
            cols = 1 + 7 * w + np.flatnonzero(org.available[i, 1 + 7 * w : 8 + 7 * w])
            for _ in range(int(plan.workshop_weeks[i, w])):
                col = int(rng.choice(cols))
                hour0 = float(rng.choice([9.5, 13.5]))
                k = int(rng.integers(12, 22))
                demo = np.arange(k)
                tool = np.array([T["claude_code"], T["cursor"], T["copilot"], T["internal_agent"]])[demo % 4]
                out.add(
                    k,
                    person=i,
                    tool=tool,
                    model=AGENT_MODEL[tool],
                    kind=np.where(demo % 3 == 0, K["chat"], K["agent"]),
                    start=cal.utc(
                        np.full(k, org.office[i]), np.full(k, col), hour0 + np.sort(rng.uniform(0, 2.2, k))
                    ),
                    n=rng.integers(3, 9, k),
                    gap=35.0,
                    mode=1,
                    ctx=_lognormal(rng, 16_000.0, 0.3, k),
                    delta=_lognormal(rng, 2_000.0, 0.4, k),
                    inp=350.0,
                    out=800.0,
                    noise=0.3,
                    edit_p=0.4,
                    lines=20.0,
                    accept=0.5,
                    has_lines=True,
                    hash_base=base + (demo % 8) * 16,
                    hash_div=1,
                    hash_mod=16,
                )
    del cw


def incident_sessions(
    org: Org, incidents: dict[str, np.ndarray], rng: np.random.Generator, out: Sessions
) -> None:
    """Responders who use AI open a session when they pick an incident up, whatever the hour."""
    r = incidents["responder"]
    ok = (r >= 0) & (incidents["resolved_at"] > 0)
    idx = np.flatnonzero(ok)
    r = r[idx]
    adopted = org.persona[r] != P["non_adopter"]
    p_use = np.select(
        [org.persona[r] == P["oncall_responder"], org.persona[r] == P["storm_response_analyst"]],
        [0.92, 0.85],
        0.35,
    )
    use = adopted & (rng.random(len(r)) < p_use)
    idx, r = idx[use], r[use]
    m = len(r)
    created = incidents["created_at"][idx]
    ack = incidents["acknowledged_at"][idx]
    dur = (incidents["resolved_at"][idx] - ack).astype(np.float64)
    n = np.clip(np.round(dur / 3600.0 * rng.uniform(3, 8, m)), 3, 90).astype(np.int64)
    tool = org.agent_tool[r]
    out.add(
        m,
        person=r,
        tool=tool,
        model=AGENT_MODEL[tool],
        kind=np.where(rng.random(m) < 0.75, K["agent"], K["chat"]),
        start=np.maximum(created, ack) + rng.integers(30, 600, m),
        n=n,
        gap=np.clip(dur / n * 0.8, 20, 900),
        mode=1,
        ctx=rng.uniform(25_000, 75_000, m),
        delta=_lognormal(rng, 3_000.0, 0.6, m),
        inp=_lognormal(rng, 400.0, 0.6, m),
        out=_lognormal(rng, 800.0, 0.5, m),
        edit_p=0.08,
        lines=8.0,
        accept=0.7,
        has_lines=True,
    )


def automation_sessions(cal: Calendar, rng: np.random.Generator, out: Sessions, actor_base: int) -> None:
    """Keys that belong to no one: the outage summariser, the settlement reconciliation, the PR bot."""
    D = cal.days
    # Outage summariser: every ten minutes, all day.
    starts = cal.t0 + np.arange(D) * DAY + 300
    out.add(
        D,
        actor=actor_base + 0,
        tool=T["openai_api"],
        model=10,
        kind=K["completion"],
        start=starts,
        n=144,
        gap=600.0,
        gap_fixed=True,
        mode=2,
        ctx=3_000.0,
        inp=_lognormal(rng, 1_800.0, 0.3, D),
        out=320.0,
        noise=0.4,
        hash_base=77 * 4096,
        hash_div=1,
        hash_mod=3,
    )
    # Settlement reconciliation: nightly batch in Adelaide market hours' wake.
    out.add(
        D,
        actor=actor_base + 1,
        tool=T["openai_api"],
        model=9,
        kind=K["other"],
        start=cal.t0 + np.arange(D) * DAY + 15 * HOUR + rng.integers(0, 900, D),
        n=rng.integers(20, 60, D),
        gap=12.0,
        gap_fixed=True,
        mode=2,
        ctx=12_000.0,
        inp=_lognormal(rng, 6_000.0, 0.4, D),
        out=900.0,
    )
    # PR bot: a review pass for a sample of pull requests, through working hours.
    k = D * 40
    out.add(
        k,
        actor=actor_base + 2,
        tool=T["internal_agent"],
        model=2,
        kind=K["review"],
        start=cal.t0 + rng.integers(0, D * DAY, k),
        n=1,
        mode=0,
        inp=_lognormal(rng, 9_000.0, 0.8, k),
        out=_lognormal(rng, 500.0, 0.5, k),
    )


# -------------------------------------------------------------------------------------------------------
# Inflation.


def _snapshot_in_week(cal: Calendar, board: Board, w: int) -> int | None:
    lo, hi = cal.t0 + w * 7 * DAY, cal.t0 + (w + 1) * 7 * DAY
    inside = [t for t in board.snapshots if lo <= t < hi]
    return inside[0] if inside else None


def inflation_sessions(
    cal: Calendar,
    org: Org,
    plan: Plan,
    boards: list[Board],
    week_tokens: np.ndarray,
    rng: np.random.Generator,
    out: Sessions,
) -> None:
    """Inflating usage, one habit per person, on their active weeks. `week_tokens` [person, week] is the
    usage they had anyway (performative top-ups aim just above their peers' average on the board)."""
    W = cal.weeks
    area = org.team_area[np.maximum(org.team, 0)]
    adopters = (org.persona != P["non_adopter"]) & ~org.is_manager
    peer_mean = np.zeros((len(AREA_KEYS), W))
    for a in range(len(AREA_KEYS)):
        sel = adopters & (area == a)
        if sel.any():
            t = week_tokens[sel]
            peer_mean[a] = np.where((t > 0).sum(0) > 0, t.sum(0) / np.maximum((t > 0).sum(0), 1), 0)

    def day_cols(i: int, w: int, *, any_day: bool = False) -> np.ndarray:
        row = org.employed_local[i] if any_day else org.available[i]
        return 1 + 7 * w + np.flatnonzero(row[1 + 7 * w : 8 + 7 * w])

    def at(i: int, cols: np.ndarray, hour: np.ndarray) -> np.ndarray:
        return cal.utc(np.full(len(cols), org.office[i]), cols, hour)

    for i in np.flatnonzero(plan.style >= 0):
        name = STYLES[int(plan.style[i])]
        s = float(plan.scale[i])
        level = int(org.style_intensity[i])
        board = boards[int(plan.board[i])]
        agent_tool = int(org.agent_tool[i])
        chat_tool = int(org.chat_tool[i])
        for w in np.flatnonzero(plan.active[i]):
            cols = day_cols(i, w)
            if name == "performative_topup":
                lo, hi = [(1.0, 1.08), (1.08, 1.3), (1.4, 2.0)][level]
                target = peer_mean[area[i], w] * rng.uniform(lo, hi)
                deficit = min(target - week_tokens[i, w], 4 * max(week_tokens[i, w], 2e6))
                if deficit < 150_000 or len(cols) == 0:
                    continue
                n_req = 18
                per = float(expected_tokens(np.array(n_req), 1, 24_000, 3_000, 300, 800))
                k = max(1, round(deficit / per))
                snap = _snapshot_in_week(cal, board, w)
                late = cols[-2:] if snap is None else cols[cols <= (snap - cal.t0) // DAY + 1][-2:]
                late = late if len(late) else cols[-1:]
                c = rng.choice(late, size=k)
                start = at(i, c, org.chronotype[i] + rng.uniform(0.5, 8.5, k))
                if snap is not None:
                    start = np.minimum(start, snap - rng.integers(1800, 6 * 3600, k))
                out.add(
                    k,
                    person=i,
                    tool=agent_tool,
                    model=AGENT_MODEL[agent_tool],
                    kind=K["agent"],
                    start=start,
                    n=np.maximum(3, rng.poisson(n_req, k)),
                    gap=30.0,
                    mode=1,
                    ctx=_lognormal(rng, 24_000.0, 0.4, k),
                    delta=_lognormal(rng, 3_000.0, 0.5, k),
                    inp=_lognormal(rng, 300.0, 0.6, k),
                    out=_lognormal(rng, 800.0, 0.5, k),
                    edit_p=0.3,
                    lines=25.0,
                    accept=rng.uniform(0.03, 0.15),
                    has_lines=True,
                    inflating=True,
                )
            elif name == "leaderboard_burst":
                snap = _snapshot_in_week(cal, board, w)
                if snap is None:
                    continue
                k = int([rng.integers(3, 5), rng.integers(5, 9), rng.integers(9, 17)][level])
                out.add(
                    k,
                    person=i,
                    tool=agent_tool,
                    model=AGENT_MODEL[agent_tool],
                    kind=K["agent"],
                    start=snap - rng.integers(int(0.6 * HOUR), int(2.6 * HOUR)) + rng.integers(0, 240, k),
                    n=rng.integers(15, 46, k),
                    gap=12.0,
                    mode=1,
                    ctx=_lognormal(rng, 45_000.0, 0.4, k),
                    delta=_lognormal(rng, 4_000.0, 0.5, k),
                    inp=_lognormal(rng, 200.0, 0.6, k),
                    out=_lognormal(rng, 900.0, 0.5, k),
                    edit_p=0.3,
                    lines=30.0,
                    accept=0.02,
                    has_lines=True,
                    inflating=True,
                )
            elif name == "background_agents":
                every = day_cols(i, w, any_day=True)
                if len(every) == 0:
                    continue
                k = min(len(every), int([rng.integers(1, 3), rng.integers(3, 5), rng.integers(5, 8)][level]))
                c = rng.choice(every, size=k, replace=False)
                off_day = ~org.available[i, c]
                hour = np.where(off_day, rng.uniform(8, 20, k), rng.uniform(21.0, 23.8, k))
                tool = agent_tool if agent_tool != T["copilot"] else T["claude_code"]
                out.add(
                    k,
                    person=i,
                    tool=tool,
                    model=AGENT_MODEL[tool],
                    kind=K["agent"],
                    start=at(i, c, hour),
                    n=(rng.integers(80, 260, k) * min(1.3, max(0.6, s))).astype(np.int64),
                    gap=rng.uniform(90, 200, k),
                    mode=1,
                    ctx=_lognormal(rng, 32_000.0, 0.3, k),
                    delta=_lognormal(rng, 1_300.0, 0.5, k),
                    cap=rng.uniform(90_000, 130_000, k),
                    inp=_lognormal(rng, 150.0, 0.5, k),
                    out=_lognormal(rng, 450.0, 0.5, k),
                    edit_p=0.3,
                    lines=20.0,
                    accept=0.0,
                    has_lines=True,
                    inflating=True,
                )
            elif name == "regenerating_code":
                if len(cols) == 0:
                    continue
                per_day = [
                    rng.poisson(1.2, len(cols)),
                    rng.poisson(2.5, len(cols)),
                    rng.poisson(5, len(cols)),
                ][level]
                c = np.repeat(cols, per_day)
                k = len(c)
                if k == 0:
                    continue
                n = rng.integers(8, 21, k)
                tool = np.where(chat_tool == T["openai_api"], agent_tool, chat_tool)
                out.add(
                    k,
                    person=i,
                    tool=tool,
                    model=AGENT_MODEL[tool],
                    kind=K["chat"],
                    start=at(i, c, org.chronotype[i] + rng.uniform(0.3, 8.5, k)),
                    n=n,
                    gap=50.0,
                    mode=2,
                    ctx=rng.uniform(18_000, 42_000, k),
                    inp=_lognormal(rng, 800.0, 0.3, k),
                    out=_lognormal(rng, 3_400.0, 0.3, k),
                    edit_p=1.0,
                    lines=120.0,
                    accept=0.01,
                    has_lines=True,
                    inflating=True,
                    hash_base=rng.integers(1, 2**40, k) * 4096,
                    hash_div=n,
                    hash_mod=0,
                )
            elif name == "context_stuffing":
                if len(cols) == 0:
                    continue
                per_day = [
                    rng.poisson(2.0, len(cols)),
                    rng.poisson(5, len(cols)),
                    rng.poisson(12, len(cols)),
                ][level]
                c = np.repeat(cols, per_day)
                k = len(c)
                tool = chat_tool
                out.add(
                    k,
                    person=i,
                    tool=tool,
                    model=CHAT_MODEL[tool] if tool != T["copilot"] else 8,
                    kind=K["chat"],
                    start=at(i, c, org.chronotype[i] + rng.uniform(0.3, 8.5, k)),
                    n=1 + rng.binomial(2, 0.3, k),
                    gap=120.0,
                    mode=0,
                    inp=rng.uniform(60_000, 175_000, k),
                    out=_lognormal(rng, 550.0, 0.5, k),
                    noise=0.15,
                    edit_p=0.1,
                    lines=10.0,
                    accept=0.3,
                    has_lines=tool != T["openai_api"],
                    inflating=True,
                )
            elif name == "premium_model_for_trivia":
                if len(cols) == 0:
                    continue
                per_day = [
                    rng.poisson(12, len(cols)),
                    rng.poisson(30, len(cols)),
                    rng.poisson(70, len(cols)),
                ][level]
                c = np.repeat(cols, per_day)
                k = len(c)
                tool = chat_tool
                out.add(
                    k,
                    person=i,
                    tool=tool,
                    model=PREMIUM_MODEL[tool],
                    kind=K["chat"],
                    start=at(i, c, org.chronotype[i] + rng.uniform(0.0, 9.0, k)),
                    n=1 + rng.binomial(1, 0.25, k),
                    gap=60.0,
                    mode=2 if tool == T["claude_code"] else 0,
                    ctx=13_500.0,
                    # A one-line question, with the open file attached by the tool.
                    inp=_lognormal(rng, 700.0 if tool == T["claude_code"] else 5_500.0, 0.6, k),
                    out=_lognormal(rng, 180.0, 0.6, k),
                    inflating=True,
                )
            elif name == "prompt_replay_script":
                run = cols if level < 2 else day_cols(i, w, any_day=True)
                if len(run) == 0:
                    continue
                interval = float([rng.uniform(40, 55), rng.uniform(15, 30), rng.uniform(8, 15)][level]) * 60
                all_day = level == 2
                first_hour = np.full(len(run), 0.2 if all_day else org.chronotype[i])
                span = 23.5 if all_day else 9.0
                key = T["openai_api"] if org.has_openai_key[i] else T["claude_code"]
                base = (int(i) + 1) * 4096 * 1024
                out.add(
                    len(run),
                    person=i,
                    tool=key,
                    model=10 if key == T["openai_api"] else 0,
                    kind=K["completion"] if key == T["openai_api"] else K["chat"],
                    start=at(i, run, first_hour),
                    n=int(span * 3600 / interval),
                    gap=interval,
                    gap_fixed=True,
                    mode=0,
                    inp=rng.uniform(2_500, 6_000),
                    out=rng.uniform(500, 1_200),
                    noise=0.01,
                    inflating=True,
                    hash_base=base,
                    hash_div=1,
                    hash_mod=int(rng.integers(3, 7)),
                )
            elif name == "runbook_padding":
                if len(cols) == 0:
                    continue
                per_day = [rng.poisson(2, len(cols)), rng.poisson(4, len(cols)), rng.poisson(9, len(cols))][
                    level
                ]
                c = np.repeat(cols, per_day)
                k = len(c)
                tool = chat_tool
                out.add(
                    k,
                    person=i,
                    tool=tool,
                    model=np.where(tool == T["copilot"], 8, AGENT_MODEL[tool]),
                    kind=K["chat"],
                    start=at(i, c, org.chronotype[i] + rng.uniform(0.3, 8.5, k)),
                    n=1 + rng.binomial(2, 0.35, k),
                    gap=240.0,
                    mode=1,
                    ctx=_lognormal(rng, 5_000.0, 0.4, k),
                    delta=_lognormal(rng, 9_000.0, 0.3, k),
                    inp=_lognormal(rng, 1_500.0, 0.4, k),
                    out=_lognormal(rng, 9_500.0, 0.35, k),
                    noise=0.35,
                    inflating=True,
                )
        if name == "throwaway_prototypes":
            sel = plan.proto_person == i
            k = int(sel.sum())
            out.add(
                k,
                person=i,
                tool=agent_tool,
                model=AGENT_MODEL[agent_tool],
                kind=K["agent"],
                start=plan.proto_start[sel],
                n=plan.proto_n[sel],
                gap=28.0,
                mode=1,
                ctx=_lognormal(rng, 22_000.0, 0.4, k),
                delta=_lognormal(rng, 4_000.0, 0.5, k),
                inp=_lognormal(rng, 300.0, 0.6, k),
                out=_lognormal(rng, 1_500.0, 0.5, k),
                edit_p=0.6,
                lines=60.0,
                accept=0.7,
                has_lines=True,
                inflating=True,
            )


# -------------------------------------------------------------------------------------------------------
# Expansion into requests.


def expand(s: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = s["n"]
    total = int(n.sum())
    sid = np.repeat(np.arange(len(n)), n)
    first = np.cumsum(n) - n
    i = np.arange(total) - np.repeat(first, n)

    g = rng.exponential(1.0, total)
    fixed = s["gap_fixed"][sid]
    g = np.where(fixed, 1.0 + rng.uniform(-0.004, 0.004, total), g) * s["gap"][sid]
    g[first] = 0.0
    cg = np.cumsum(g)
    offset = cg - np.repeat(cg[first], n)
    t = s["start"][sid] + np.round(offset).astype(np.int64)

    noise = s["noise"][sid]
    inp = _lognormal(rng, s["inp"][sid], noise, total)
    outp = _lognormal(rng, s["out"][sid], noise, total)
    mode = s["mode"][sid]
    ctx = s["ctx"][sid] * np.exp(rng.normal(0, 0.02, total))
    delta = _lognormal(rng, s["delta"][sid], 0.5, total)
    delta[first] = 0.0
    cd = np.cumsum(delta)
    cum = cd - np.repeat(cd[first], n)
    room = np.maximum(s["cap"][sid] - s["ctx"][sid], 10_000.0)
    grown = s["ctx"][sid] + np.mod(cum - delta, room)
    head = i == 0
    cached = np.where(
        mode == 1, np.where(head, 0.0, grown), np.where(mode == 2, np.where(head, 0.0, ctx), 0.0)
    )
    write = np.where(mode == 1, np.where(head, ctx, delta), np.where((mode == 2) & head, ctx, 0.0))

    inp_i = np.round(inp).astype(np.int64)
    out_i = np.maximum(1, np.round(outp)).astype(np.int64)
    cached_i = np.round(cached).astype(np.int64)
    write_i = np.round(write).astype(np.int64)
    tool = s["tool"][sid]
    model = s["model"][sid]
    # What each vendor reports: Copilot gives prompt tokens only; OpenAI caches without a write charge.
    copilot = tool == T["copilot"]
    openai = OPENAI_FAMILY[model] & ~copilot
    inp_i = np.where(copilot, inp_i + cached_i + write_i, np.where(openai, inp_i + write_i, inp_i))
    cached_i = np.where(copilot, 0, cached_i)
    write_i = np.where(copilot | openai, 0, write_i)

    has_lines = s["has_lines"][sid]
    edit = rng.random(total) < s["edit_p"][sid]
    suggested = np.where(edit, rng.poisson(s["lines"][sid]), 0)
    accepted = rng.binomial(suggested, np.clip(s["accept"][sid], 0.0, 1.0))

    hash_mod = s["hash_mod"][sid]
    step = i // np.maximum(s["hash_div"][sid], 1)
    prompt_key = np.where(hash_mod > 0, s["hash_base"][sid] + step % np.maximum(hash_mod, 1), -1)
    prompt_key = np.where((s["hash_div"][sid] > 1) & (hash_mod == 0), s["hash_base"][sid] + step, prompt_key)
    return {
        "session": sid,
        "i": i,
        "person": s["person"][sid],
        "actor": s["actor"][sid],
        "tool": tool,
        "model": model,
        "kind": s["kind"][sid],
        "t": t,
        "input": inp_i,
        "cached": cached_i,
        "write": write_i,
        "output": out_i,
        "has_lines": has_lines,
        "suggested": suggested,
        "accepted": accepted,
        "inflating": s["inflating"][sid],
        "prompt_key": prompt_key,
    }


def week_tokens(cal: Calendar, org: Org, ev: dict[str, np.ndarray]) -> np.ndarray:
    W = cal.weeks
    p = ev["person"]
    ok = p >= 0
    w = cal.week_of(ev["t"][ok])
    tot = ev["input"][ok] + ev["cached"][ok] + ev["write"][ok] + ev["output"][ok]
    return np.bincount(p[ok] * W + w, weights=tot, minlength=org.people * W).reshape(org.people, W)


def keep_in_period(cal: Calendar, org: Org, ev: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Requests inside the period, and inside their owner's employment (UTC dates)."""
    t = ev["t"]
    day = (t - cal.t0) // DAY
    ok = (t >= cal.t0) & (t < cal.t1)
    p = ev["person"]
    mine = p >= 0
    pp = np.where(mine, p, 0)
    ok &= ~mine | ((day >= org.hired_day[pp]) & (day <= org.left_day[pp]))
    return {k: v[ok] for k, v in ev.items()}


def price_table(cal: Calendar) -> tuple[np.ndarray, int]:
    """Price of each model on each day [model, day, 4], and the day the Opus discount starts."""
    prices = np.repeat(LIST_PRICES[:, None, :], cal.days, axis=1).copy()
    discount_day = 7 * max(1, cal.weeks // 2) - 3
    for m, name in enumerate(MODELS):
        if "opus" in name:
            prices[m, discount_day:] *= OPUS_DISCOUNT
    return prices, discount_day


def cost(cal: Calendar, ev: dict[str, np.ndarray]) -> np.ndarray:
    prices, _ = price_table(cal)
    day = (ev["t"] - cal.t0) // DAY
    pr = prices[ev["model"], day]
    tokens = np.stack([ev["input"], ev["cached"], ev["write"], ev["output"]], axis=1)
    return (tokens * pr).sum(axis=1) / 1e6


def tools_used() -> tuple[str, ...]:
    return TOOLS
