"""Who is who at Quay Logistics, and what the period holds: crunches, operational events, leaderboards."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.quay.org import DEPT_CODES, OFFICE_INDEX, Org

TOOLS = ("claude_code", "cursor", "copilot", "openai_api", "internal_agent")
CC, CURSOR, COPILOT, OPENAI, INTERNAL = range(5)

ORDINARY = ("regular", "occasional", "non_user", "late_adopter", "autocomplete_only", "lapsed")
LEGIT = (
    "power_user",
    "migration_lead",
    "oncall_responder",
    "staff_reviewer",
    "new_hire_learner",
    "edi_mapping_specialist",
    "stowage_scenario_runner",
    "yard_commissioning_engineer",
    "billing_close_reconciler",
)
STYLES = (
    "leaderboard_topup",
    "snapshot_burst",
    "idle_agent",
    "regenerate_code",
    "context_stuffing",
    "premium_model_trivia",
    "prompt_replay_script",
    "throwaway_prototype_prs",
    "doc_bloat",
    "pr_review_farming",
)
PERSONAS = ORDINARY + LEGIT + STYLES
P = {name: i for i, name in enumerate(PERSONAS)}


def kind_of(persona: int) -> str:
    name = PERSONAS[persona]
    return "ordinary" if name in ORDINARY else "legitimate_heavy" if name in LEGIT else "inflator"


@dataclass(frozen=True)
class OpEvent:
    name: str
    start_frac: float
    days: int
    depts: tuple[str, ...]
    offices: tuple[str, ...] | None
    incidents: float
    usage: float
    #: Share of the event's extra incidents that are sev1/sev2.
    severe: float = 0.3


OP_EVENTS = (
    OpEvent("national customs gateway outage", 0.18, 2, ("customs",), None, 3.5, 1.2, 0.5),
    OpEvent(
        "ULCV cluster at Maasvlakte (three 24k TEU calls)",
        0.3,
        6,
        ("terminal", "vessel"),
        ("rtm", "gdn"),
        2.4,
        1.25,
    ),
    OpEvent("Santos dockworkers' strike", 0.44, 4, ("landside", "terminal"), ("ssz",), 2.2, 0.9),
    OpEvent(
        "post-strike backlog at Santos",
        0.44 + 4 / 182,
        4,
        ("landside", "terminal", "automation"),
        ("ssz",),
        1.9,
        1.2,
    ),
    OpEvent(
        "credential-stuffing attack on the appointment portal",
        0.53,
        3,
        ("security", "landside", "sre"),
        None,
        4.0,
        1.3,
        0.6,
    ),
    OpEvent("typhoon closure at Busan New Port", 0.62, 2, ("automation", "terminal"), ("pus",), 2.2, 0.8),
    OpEvent(
        "peak season",
        0.6,
        60,
        ("terminal", "vessel", "landside", "customs", "automation"),
        None,
        1.25,
        1.05,
        0.2,
    ),
    OpEvent(
        "ULCV cluster at Busan New Port", 0.72, 5, ("terminal", "vessel", "automation"), ("pus",), 2.2, 1.25
    ),
)

CRUNCHES: dict[str, tuple[tuple[str, float], ...]] = {
    "terminal": (("TOS 2026.3 release", 0.38),),
    "vessel": (("stowage engine 5 before peak season", 0.52),),
    "customs": (("ICS2 release 3 cut-over", 0.24), ("Siscomex DU-E changes", 0.82)),
    "landside": (("appointment app v5 launch", 0.48),),
    "automation": (("phase-2 automated stacking cranes go-live", 0.66),),
    "commercial": (("2027 tariff book load", 0.86),),
    "data": (("lakehouse cut-over", 0.7),),
    "sre": (("Kubernetes fleet upgrade", 0.34),),
    "security": (("ISO 27001 surveillance audit", 0.45),),
    "ai": (("AI gateway v2", 0.29),),
    "devex": (("monorepo CI switch", 0.6),),
}


@dataclass
class Plan:
    persona: np.ndarray  # [people] persona index, -1 for managers and directors
    use_rate: np.ndarray  # sessions per working day at full use
    size: np.ndarray  # requests per session multiplier
    tool_p: np.ndarray  # [people, tools]
    adopt_day: np.ndarray
    stop_day: np.ndarray
    pr_rate: np.ndarray  # pull requests per full week
    review_weight: np.ndarray
    oncall_weight: np.ndarray
    ai_review_p: np.ndarray
    model_pref: np.ndarray  # uniform draw fixing each person's preferred model
    chrono: np.ndarray  # hours the person's day is shifted
    infl_active: np.ndarray  # [people, weeks] the inflator is at it that week
    intensity: np.ndarray
    window: np.ndarray  # [people, weeks] special-work windows (migration, commissioning)
    crunch: np.ndarray  # [dept, day] multiplier
    crunch_names: list[tuple[str, str, int]]
    op_incidents: np.ndarray  # [dept, office, day] incident multiplier
    op_usage: np.ndarray  # [dept, office, day]
    op_severe: np.ndarray  # [dept, office, day]
    op_names: list[tuple[str, int, int]]
    surge_days: np.ndarray  # [office, day] a vessel surge is on
    board_change_week: int
    snap_org: np.ndarray  # UTC microseconds since the period start
    snap_dept: np.ndarray
    snap_office: dict[int, np.ndarray]


def _pick(rng, pool: np.ndarray, n: int, taken: np.ndarray) -> np.ndarray:
    free = pool[~taken[pool]]
    n = min(n, free.size)
    chosen = rng.choice(free, size=n, replace=False) if n else free[:0]
    taken[chosen] = True
    return chosen


def build_plan(rng: np.random.Generator, org: Org) -> Plan:
    n_people = org.people
    days, weeks = org.days, org.weeks
    eng = np.flatnonzero(org.is_engineer)
    n_eng = eng.size
    dept = org.dept
    dept_of = {code: i for i, code in enumerate(DEPT_CODES)}
    persona = np.full(n_people, -1, dtype=np.int64)
    taken = np.zeros(n_people, dtype=bool)
    taken[~org.is_engineer] = True
    stays = org.last_day >= int(days * 0.6)
    veteran = ~org.is_hire & stays

    def quota(frac: float, minimum: int) -> int:
        return max(minimum, round(frac * n_eng))

    def assign(name: str, pool: np.ndarray, n: int) -> np.ndarray:
        chosen = _pick(rng, pool, n, taken)
        persona[chosen] = P[name]
        return chosen

    in_dept = {code: eng[(dept[eng] == dept_of[code]) & veteran[eng]] for code in dept_of}
    assign("edi_mapping_specialist", in_dept["customs"], quota(0.005, 2))
    assign("stowage_scenario_runner", in_dept["vessel"], quota(0.005, 2))
    assign("yard_commissioning_engineer", in_dept["automation"], quota(0.005, 2))
    assign("billing_close_reconciler", in_dept["commercial"], quota(0.005, 2))
    hires = eng[org.is_hire[eng] & (org.hire_day[eng] < days * 0.6)]
    hires = hires[np.argsort(org.hire_day[hires], kind="stable")]
    assign("new_hire_learner", hires[: max(2, round(hires.size * 0.6))], max(2, round(hires.size * 0.45)))
    ops = eng[
        veteran[eng] & (np.isin(dept[eng], [dept_of["sre"]]) | np.array([org.role[p] == "sre" for p in eng]))
    ]
    assign("oncall_responder", ops, quota(0.015, 2))
    staff = eng[veteran[eng] & np.array([org.role[p] == "staff_engineer" for p in eng])]
    assign("staff_reviewer", staff, quota(0.01, 2))
    assign("migration_lead", eng[veteran[eng]], quota(0.006, 2))
    assign("power_user", eng[veteran[eng]], quota(0.02, 2))
    assign("leaderboard_topup", eng[veteran[eng]], quota(0.022, 3))
    for style in STYLES[1:]:
        assign(style, eng[veteran[eng]], quota(0.004, 2))
    rest = eng[~taken[eng]]
    rest = rng.permutation(rest)
    shares = np.array([0.37, 0.22, 0.13, 0.1, 0.12, 0.06])
    cuts = np.round(np.cumsum(shares) * rest.size).astype(int)
    for i, name in enumerate(ORDINARY):
        lo = 0 if i == 0 else cuts[i - 1]
        persona[rest[lo : cuts[i]]] = P[name]

    name_of = np.array([PERSONAS[max(i, 0)] if i >= 0 else "manager" for i in persona], dtype=object)

    def isin(*names: str) -> np.ndarray:
        return np.isin(name_of, names)

    # Usage intensity, tools and models.
    use_rate = rng.lognormal(np.log(1.1), 0.45, n_people)
    use_rate[isin("occasional")] *= 0.3
    use_rate[isin("lapsed")] *= 0.8
    use_rate[isin("late_adopter")] *= 0.9
    use_rate[isin("autocomplete_only")] *= 1.3
    use_rate[isin("non_user")] = 0
    use_rate[isin("power_user")] *= rng.uniform(3.0, 4.5, isin("power_user").sum())
    use_rate[isin("migration_lead")] *= 1.6
    use_rate[isin("oncall_responder")] *= 2.0
    use_rate[isin("staff_reviewer")] *= 1.1
    use_rate[isin("new_hire_learner")] *= 1.3
    use_rate[isin("edi_mapping_specialist")] *= 1.5
    port_specialists = isin(
        "stowage_scenario_runner", "yard_commissioning_engineer", "billing_close_reconciler"
    )
    use_rate[port_specialists] *= 1.7
    inflators = np.isin(name_of, STYLES)
    use_rate[inflators] *= rng.uniform(0.7, 1.4, inflators.sum())
    mgr = ~org.is_engineer
    use_rate[mgr] = rng.lognormal(np.log(0.25), 0.6, mgr.sum()) * (rng.random(mgr.sum()) < 0.7)

    size = rng.lognormal(0, 0.3, n_people)
    size[isin("power_user")] *= 1.5
    size[isin("migration_lead")] *= 1.4

    base_tools = np.array([[0.36, 0.24, 0.24, 0.03, 0.13]] * len(DEPT_CODES))
    base_tools[dept_of["ai"]] = [0.35, 0.15, 0.1, 0.1, 0.3]
    base_tools[dept_of["data"]] = [0.3, 0.25, 0.15, 0.15, 0.15]
    base_tools[dept_of["automation"]] = [0.3, 0.3, 0.3, 0.02, 0.08]
    tool_p = np.zeros((n_people, len(TOOLS)))
    for p in range(n_people):
        w = base_tools[dept[p]]
        primary = rng.choice(len(TOOLS), p=w)
        secondary = rng.choice(len(TOOLS), p=w)
        tool_p[p, primary] += 0.72
        tool_p[p, secondary] += 0.2
        tool_p[p, INTERNAL] += 0.05
        tool_p[p, rng.integers(len(TOOLS))] += 0.03
    auto = isin("autocomplete_only")
    tool_p[auto] = 0
    tool_p[auto, COPILOT] = 0.8
    tool_p[auto, CURSOR] = 0.2
    agentic = isin("power_user", "migration_lead", "stowage_scenario_runner", "idle_agent", "snapshot_burst")
    tool_p[agentic, CC] += 0.6
    tool_p[isin("prompt_replay_script"), OPENAI] += 0.3
    tool_p /= tool_p.sum(axis=1, keepdims=True)

    adopt_day = np.full(n_people, -(10**6), dtype=np.int64)
    adopt_day = np.maximum(adopt_day, org.hire_day)
    late = isin("late_adopter")
    adopt_day[late] = rng.integers(int(days * 0.15), max(int(days * 0.15) + 1, int(days * 0.75)), late.sum())
    # Some hires who are no learners wait a few weeks before getting a seat.
    slow = org.is_hire & ~isin("new_hire_learner") & (rng.random(n_people) < 0.5)
    adopt_day[slow] = org.hire_day[slow] + rng.integers(7, 35, slow.sum())
    stop_day = np.full(n_people, 10**6, dtype=np.int64)
    lap = isin("lapsed")
    stop_day[lap] = rng.integers(int(days * 0.3), max(int(days * 0.3) + 1, int(days * 0.8)), lap.sum())

    pr_rate = rng.lognormal(np.log(2.3), 0.4, n_people)
    role_pr = {
        "sre": 0.7,
        "security_engineer": 0.6,
        "data_engineer": 0.9,
        "ml_engineer": 0.8,
        "staff_engineer": 0.8,
    }
    pr_rate *= np.array([role_pr.get(r, 1.0) for r in org.role])
    # Power users ship in proportion to how much more they lean on the tools.
    pu = isin("power_user")
    pr_rate[pu] *= (
        0.55 * use_rate[pu] / np.median(use_rate[isin("regular")] if isin("regular").any() else 1.1)
    )
    pr_rate[isin("staff_reviewer")] *= 0.5
    pr_rate[isin("migration_lead")] *= 1.2
    pr_rate[isin("edi_mapping_specialist")] *= 1.5
    pr_rate[isin("non_user")] *= 0.95
    pr_rate[mgr] = 0.05

    review_weight = np.where(org.is_engineer, 1.0, 0.05)
    review_weight[np.array([r == "staff_engineer" for r in org.role])] = 2.5
    review_weight[isin("staff_reviewer")] = rng.uniform(9, 15, isin("staff_reviewer").sum())
    oncall_weight = np.where(org.is_engineer, 1.0, 0.0)
    oncall_weight[np.array([r == "sre" for r in org.role])] = 1.6
    oncall_weight[isin("oncall_responder")] = 3.5
    oncall_weight[isin("new_hire_learner")] = 0.3
    ai_review_p = np.where(use_rate > 0, 0.12, 0.0)
    ai_review_p[isin("staff_reviewer")] = 0.9

    model_pref = rng.random(n_people)
    chrono = rng.normal(0, 0.9, n_people)

    # Inflators: when they start, pause and stop.
    infl_active = np.zeros((n_people, weeks), dtype=bool)
    intensity = np.ones(n_people)
    for p in np.flatnonzero(inflators):
        start_w = int(rng.integers(0, max(1, int(weeks * 0.45))))
        stop_w = weeks
        if rng.random() < 0.3 and weeks - start_w > 3:
            stop_w = int(rng.integers(start_w + 2, weeks))
        on = True
        for w in range(start_w, stop_w):
            infl_active[p, w] = on
            on = rng.random() < 0.85 if on else rng.random() < 0.5
        infl_active[p, start_w] = True
        intensity[p] = rng.lognormal(0, 0.4)

    # Special-work windows of the legitimately heavy.
    window = np.zeros((n_people, weeks), dtype=bool)
    for p in np.flatnonzero(isin("migration_lead")):
        length = max(3, int(weeks * rng.uniform(0.35, 0.6)))
        begin = int(rng.integers(0, max(1, weeks - length + 1)))
        window[p, begin : begin + length] = True
    for p in np.flatnonzero(isin("yard_commissioning_engineer")):
        for _ in range(max(1, round(weeks / 9))):
            begin = int(rng.integers(0, weeks))
            window[p, begin : begin + int(rng.integers(1, 3))] = True

    # Release crunches.
    crunch = np.ones((len(DEPT_CODES), days))
    crunch_names = []
    for code, items in CRUNCHES.items():
        for name, frac in items:
            week = min(weeks - 1, int(frac * weeks))
            crunch[dept_of[code], week * 7 : week * 7 + 7] = 1.55
            if week > 0:
                crunch[dept_of[code], week * 7 - 7 : week * 7] = np.maximum(
                    crunch[dept_of[code], week * 7 - 7 : week * 7], 1.2
                )
            crunch_names.append((code, name, week))

    # Operational events.
    n_off = int(org.offsets.shape[0])
    op_inc = np.ones((len(DEPT_CODES), n_off, days))
    op_use = np.ones((len(DEPT_CODES), n_off, days))
    op_sev = np.zeros((len(DEPT_CODES), n_off, days))
    surge = np.zeros((n_off, days), dtype=bool)
    op_names = []
    for event in OP_EVENTS:
        d0 = min(days - 1, int(event.start_frac * days))
        d1 = min(days, d0 + event.days)
        ds = [dept_of[c] for c in event.depts]
        offs = list(range(n_off)) if event.offices is None else [OFFICE_INDEX[o] for o in event.offices]
        for d in ds:
            for o in offs:
                op_inc[d, o, d0:d1] *= event.incidents
                op_use[d, o, d0:d1] *= event.usage
                op_sev[d, o, d0:d1] = np.maximum(op_sev[d, o, d0:d1], event.severe)
        if event.name.startswith("ULCV"):
            for o in offs:
                surge[o, d0:d1] = True
        op_names.append((event.name, d0, d1))

    # Leaderboards (snapshot times in microseconds after the period start, UTC).
    hour = 3_600_000_000
    change = max(1, round(weeks * 0.55))
    rtm = OFFICE_INDEX["rtm"]
    snap_org = np.array(
        [(7 * w + 4) * 24 * hour + int((15 - org.offsets[rtm, 7 * w + 4]) * hour) for w in range(change)]
    )
    snap_dept = np.array(
        [(7 * w + 2) * 24 * hour + 12 * hour for w in range(change, weeks, 2)], dtype=np.int64
    )
    snap_office = {}
    for code in ("ssz", "pus"):
        o = OFFICE_INDEX[code]
        snap_office[o] = np.array(
            [7 * w * 24 * hour + int((8.5 - org.offsets[o, 7 * w]) * hour) for w in range(1, weeks)],
            dtype=np.int64,
        )

    return Plan(
        persona=persona,
        use_rate=use_rate,
        size=size,
        tool_p=tool_p,
        adopt_day=adopt_day,
        stop_day=stop_day,
        pr_rate=pr_rate,
        review_weight=review_weight,
        oncall_weight=oncall_weight,
        ai_review_p=ai_review_p,
        model_pref=model_pref,
        chrono=chrono,
        infl_active=infl_active,
        intensity=intensity,
        window=window,
        crunch=crunch,
        crunch_names=crunch_names,
        op_incidents=op_inc,
        op_usage=op_use,
        op_severe=op_sev,
        op_names=op_names,
        surge_days=surge,
        board_change_week=change,
        snap_org=snap_org,
        snap_dept=snap_dept,
        snap_office=snap_office,
    )
