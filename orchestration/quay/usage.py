"""AI usage: sessions of work (and of show), expanded into one event per model request."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.quay.delivery import Delivery
from orchestration.quay.ids import DAY, HOUR
from orchestration.quay.ops import Incidents
from orchestration.quay.org import DOMAIN, OFFICE_INDEX, Org
from orchestration.quay.plan import CC, COPILOT, CURSOR, INTERNAL, OPENAI, STYLES, TOOLS, P, Plan

KINDS = ("chat", "completion", "agent", "tab", "review", "other")
CHAT, COMPLETION, AGENT, TAB, REVIEW, OTHER = range(6)

#: Models as each tool reports them, with how the tool reports caching:
#: 0 reads and writes (Anthropic), 1 reads only (OpenAI, the internal gateway), 2 nothing.
MODELS = (
    ("claude-sonnet-4-5-20250929", 0),
    ("claude-opus-4-1-20250805", 0),
    ("claude-haiku-4-5-20251001", 0),
    ("claude-4.5-sonnet", 0),
    ("gpt-5", 1),
    ("claude-4.1-opus", 0),
    ("cursor-tab", 2),
    ("gpt-4o-copilot", 2),
    ("gpt-4.1", 2),
    ("claude-sonnet-4.5", 2),
    ("gpt-5-2025-08-07", 1),
    ("gpt-5-mini-2025-08-07", 1),
    ("gpt-4.1-2025-04-14", 1),
    ("quay-coder-32b", 1),
)
M = {name: i for i, (name, _) in enumerate(MODELS)}
#: USD per million tokens: input, cached input, cache write, output.
LIST_PRICES = {
    "claude-sonnet-4-5-20250929": (3.0, 0.3, 3.75, 15.0),
    "claude-opus-4-1-20250805": (15.0, 1.5, 18.75, 75.0),
    "claude-haiku-4-5-20251001": (1.0, 0.1, 1.25, 5.0),
    "claude-4.5-sonnet": (3.0, 0.3, 3.75, 15.0),
    "gpt-5": (1.25, 0.125, 0.0, 10.0),
    "claude-4.1-opus": (15.0, 1.5, 18.75, 75.0),
    "cursor-tab": (0.0, 0.0, 0.0, 0.0),
    "gpt-4o-copilot": (0.0, 0.0, 0.0, 0.0),
    "gpt-4.1": (2.0, 0.5, 0.0, 8.0),
    "claude-sonnet-4.5": (3.0, 0.3, 3.75, 15.0),
    "gpt-5-2025-08-07": (1.25, 0.125, 0.0, 10.0),
    "gpt-5-mini-2025-08-07": (0.25, 0.025, 0.0, 2.0),
    "gpt-4.1-2025-04-14": (2.0, 0.5, 0.0, 8.0),
    "quay-coder-32b": (0.2, 0.02, 0.0, 0.6),
}
#: Mid-period price changes: (model, fraction of the period, prices).
PRICE_CHANGES = (
    ("quay-coder-32b", 0.35, (0.15, 0.015, 0.0, 0.45)),
    ("claude-sonnet-4-5-20250929", 0.5, (2.7, 0.27, 3.375, 13.5)),
)

# Request profiles: median uncached input, its sigma, median starting context, context growth per
# request, cap, median incremental cache write, median output, its sigma, share of requests that
# propose code, acceptance rate of proposed lines, median lines proposed.
PROFILES = {
    "tab": (1400, 0.5, 0, 0, 0, 0, 35, 0.6, 1.0, 0.3, 3),
    "chat": (1600, 0.8, 6000, 1500, 60000, 600, 520, 0.8, 0.45, 0.35, 18),
    "agent": (380, 1.0, 19000, 2300, 170000, 1400, 330, 1.0, 0.4, 0.55, 24),
    "review": (5500, 0.7, 12000, 0, 60000, 0, 900, 0.6, 0.0, 0.0, 0),
    "batch": (1300, 0.4, 2400, 0, 2400, 0, 110, 0.5, 0.0, 0.0, 0),
    "incident": (8500, 1.0, 24000, 3800, 180000, 2500, 650, 0.8, 0.15, 0.5, 12),
    "edi": (28000, 0.6, 55000, 2800, 190000, 4000, 2300, 0.7, 0.5, 0.6, 60),
    "stow": (800, 0.7, 30000, 400, 120000, 1200, 850, 0.7, 0.12, 0.5, 20),
    "migrate": (900, 0.9, 45000, 1500, 150000, 2500, 1100, 0.8, 0.55, 0.68, 70),
    "learn": (1400, 0.8, 16000, 2000, 90000, 1000, 950, 0.6, 0.2, 0.3, 12),
    "recon": (19000, 0.6, 30000, 1500, 120000, 2000, 1400, 0.6, 0.2, 0.5, 15),
    # Inflating kinds of request.
    "topup": (450, 1.0, 21000, 2100, 150000, 1500, 380, 1.0, 0.35, 0.08, 30),
    "burst": (550, 1.0, 24000, 1500, 120000, 1600, 450, 0.9, 0.3, 0.05, 40),
    "idle": (240, 0.8, 16000, 220, 80000, 700, 480, 0.7, 0.3, 0.02, 25),
    "regen": (2200, 0.6, 21000, 300, 60000, 800, 3000, 0.5, 1.0, 0.03, 160),
    "stuff": (4000, 0.5, 150000, 0, 196000, 0, 650, 0.7, 0.25, 0.15, 20),
    "trivia": (300, 0.6, 0, 0, 0, 0, 1800, 0.6, 0.05, 0.2, 4),
    "replay": (6200, 0.05, 0, 0, 0, 0, 1250, 0.2, 0.0, 0.0, 0),
    "doc": (4800, 0.7, 10000, 3000, 80000, 1500, 9000, 0.4, 0.0, 0.0, 0),
    "farm": (24000, 0.7, 0, 0, 0, 0, 1100, 0.5, 0.0, 0.0, 0),
    "proto": (450, 1.0, 20000, 1200, 120000, 1800, 900, 0.8, 0.8, 0.85, 90),
}
PROFILE_NAMES = tuple(PROFILES)
PR = {name: i for i, name in enumerate(PROFILE_NAMES)}
_PARAMS = np.array([PROFILES[name] for name in PROFILE_NAMES], dtype=float)


class Sessions:
    """Columns of sessions, appended in blocks."""

    FIELDS = (
        "person",
        "actor",
        "tool",
        "kind",
        "profile",
        "model",
        "start",
        "n",
        "gap",
        "regular",
        "style",
        "hash_mode",
        "tkey",
        "tk",
    )

    def __init__(self) -> None:
        self.blocks: dict[str, list[np.ndarray]] = {f: [] for f in self.FIELDS}

    def add(self, **cols) -> None:
        n = np.asarray(cols["start"]).size
        if n == 0:
            return
        defaults = {"regular": False, "style": -1, "hash_mode": 0, "tkey": 0, "tk": 1, "actor": -1}
        for f in self.FIELDS:
            value = cols.get(f, defaults.get(f))
            self.blocks[f].append(np.broadcast_to(np.asarray(value), (n,)).copy())

    def columns(self) -> dict[str, np.ndarray]:
        return {f: np.concatenate(v) for f, v in self.blocks.items()}


@dataclass
class Accounts:
    names: list[str]
    owner: np.ndarray  # person per actor, -1 for automation keys
    tool: np.ndarray
    by_person: np.ndarray  # [person, tool] -> actor
    listed: np.ndarray  # actor is in the identities table


def accounts(rng: np.random.Generator, org: Org, plan: Plan) -> Accounts:
    names, owner, tool, listed = [], [], [], []
    by_person = np.full((org.people, len(TOOLS)), -1, dtype=np.int64)
    u = rng.random((org.people, len(TOOLS)))
    for p in range(org.people):
        for t in range(len(TOOLS)):
            if t == CC:
                name, lst = org.email[p], u[p, t] < 0.7
            elif t == CURSOR:
                name, lst = org.email_roster[p], u[p, t] < 0.55
            elif t == COPILOT:
                name, lst = org.login[p], True
            elif t == OPENAI:
                name, lst = f"qlk-{org.login[p]}", True
            else:
                name, lst = org.email[p], False
            by_person[p, t] = len(names)
            names.append(name)
            owner.append(p)
            tool.append(t)
            listed.append(lst and (plan.tool_p[p, t] > 0.01 or plan.use_rate[p] > 0))
    for name, t in AUTOMATION:
        names.append(name)
        owner.append(-1)
        tool.append(t)
        listed.append(False)
    return Accounts(names, np.array(owner), np.array(tool), by_person, np.array(listed))


#: Service accounts and keys that belong to nobody.
AUTOMATION = (
    ("svc-edi-hs-classifier", OPENAI),
    ("ci-release-notes", OPENAI),
    ("ci-claude-review", CC),
    (f"tos-shift-summariser@svc.{DOMAIN}", INTERNAL),
)


def _choose_model(rng, tool: np.ndarray, kind: np.ndarray, pref: np.ndarray) -> np.ndarray:
    u = rng.random(tool.size)
    model = np.zeros(tool.size, dtype=np.int64)
    model = np.where(
        tool == CC,
        np.where(pref < 0.12, M["claude-opus-4-1-20250805"], M["claude-sonnet-4-5-20250929"]),
        model,
    )
    model = np.where((tool == CC) & (kind == AGENT) & (u < 0.15), M["claude-haiku-4-5-20251001"], model)
    cur = np.where(pref < 0.6, M["claude-4.5-sonnet"], np.where(pref < 0.9, M["gpt-5"], M["claude-4.1-opus"]))
    model = np.where(tool == CURSOR, np.where(kind == TAB, M["cursor-tab"], cur), model)
    cop = np.where(pref < 0.7, M["gpt-4.1"], M["claude-sonnet-4.5"])
    model = np.where(tool == COPILOT, np.where(kind == TAB, M["gpt-4o-copilot"], cop), model)
    oai = np.where(
        pref < 0.6,
        M["gpt-5-2025-08-07"],
        np.where(pref < 0.85, M["gpt-4.1-2025-04-14"], M["gpt-5-mini-2025-08-07"]),
    )
    model = np.where(tool == OPENAI, np.where(kind == COMPLETION, M["gpt-5-mini-2025-08-07"], oai), model)
    internal = np.where(
        pref < 0.6,
        M["quay-coder-32b"],
        np.where(pref < 0.85, M["claude-sonnet-4-5-20250929"], M["gpt-5-mini-2025-08-07"]),
    )
    model = np.where(tool == INTERNAL, internal, model)
    return model


def _hours(rng, n: int, chrono: np.ndarray, evening: float = 0.08) -> np.ndarray:
    u = rng.random(n)
    hour = np.where(
        u < (1 - evening) / 2,
        rng.normal(10.2, 1.3, n),
        np.where(u < 1 - evening, rng.normal(14.9, 1.6, n), rng.normal(20.6, 1.4, n)),
    )
    return np.clip(hour + chrono, 6.0, 23.9)


def _at(org: Org, person: np.ndarray, day: np.ndarray, hour: np.ndarray) -> np.ndarray:
    off = org.offsets[org.office[person], np.clip(day, 0, org.days - 1)]
    return (day * DAY + (hour - off) * HOUR).astype(np.int64)


_N_MEAN = {
    "tab": 6,
    "chat": 3.0,
    "agent": 8,
    "review": 1.8,
    "incident": 10,
    "edi": 8,
    "stow": 100,
    "migrate": 22,
    "learn": 5,
    "recon": 9,
}
_N_BASE = {"tab": 4, "agent": 3}


def _n_requests(rng, profile: np.ndarray, size: np.ndarray) -> np.ndarray:
    mean = np.array([_N_MEAN.get(name, 3) for name in PROFILE_NAMES])
    base = np.array([_N_BASE.get(name, 1) for name in PROFILE_NAMES])
    m = mean[profile] * size
    return base[profile] + rng.geometric(1 / np.maximum(m, 1.0001)) - 1


GAP_S = {
    "tab": 40,
    "chat": 140,
    "agent": 16,
    "review": 45,
    "learn": 130,
    "edi": 60,
    "recon": 90,
    "migrate": 20,
    "incident": 60,
    "stow": 35,
}


def base_sessions(rng, org: Org, plan: Plan, ss: Sessions, acc: Accounts) -> None:
    """Everyday work with the tools, for everyone who uses them."""
    n, days, weeks = org.people, org.days, org.weeks
    d = np.arange(days)[None, :]
    active = org.employed & (d >= plan.adopt_day[:, None]) & (d < plan.stop_day[:, None])
    ramp = np.where(d < plan.adopt_day[:, None] + 14, 0.5, 1.0)
    off_day = org.employed & ~org.leave & ~org.workday
    dept, office = org.dept, org.office
    crunch = plan.crunch[dept]
    weekend_w = np.where(off_day, 0.04 * (1 + 4 * (crunch - 1)), 0.0)
    lam = plan.use_rate[:, None] * active * ramp * (org.workday + weekend_w) * crunch
    lam *= plan.op_usage[dept[:, None], office[:, None], d]
    lam *= np.repeat(rng.gamma(5, 1 / 5, (n, weeks)), 7, axis=1)
    pers = plan.persona
    learner = pers == P["new_hire_learner"]
    lam[learner] *= 1 + 2.2 * np.exp(-np.clip(d - org.hire_day[learner, None], 0, None) / 24)
    billing = pers == P["billing_close_reconciler"]
    close = _close_days(org)
    lam[billing] *= np.where(close[None, :], 3.0, 1.0)
    stow = pers == P["stowage_scenario_runner"]
    lam[stow] *= np.where(plan.surge_days[office[stow]], 1.8, 1.0)
    counts = rng.poisson(lam)
    person, day = np.nonzero(counts)
    reps = counts[person, day]
    person, day = np.repeat(person, reps), np.repeat(day, reps)
    m = person.size
    cum = np.cumsum(plan.tool_p[person], axis=1)
    tool = np.minimum((rng.random(m)[:, None] > cum).sum(axis=1), len(TOOLS) - 1)
    u = rng.random(m)
    kind = np.select(
        [tool == CC, tool == CURSOR, tool == COPILOT, tool == OPENAI],
        [
            np.where(u < 0.8, AGENT, CHAT),
            np.where(u < 0.45, TAB, np.where(u < 0.8, AGENT, CHAT)),
            np.where(u < 0.7, TAB, CHAT),
            np.where(u < 0.85, CHAT, COMPLETION),
        ],
        np.where(u < 0.65, CHAT, np.where(u < 0.9, AGENT, REVIEW)),
    )
    auto = pers[person] == P["autocomplete_only"]
    kind[auto] = TAB
    profile = np.select(
        [kind == TAB, kind == CHAT, kind == AGENT, kind == REVIEW],
        [PR["tab"], PR["chat"], PR["agent"], PR["review"]],
        PR["batch"],
    )
    v = rng.random(m)
    week = day // 7
    profile = np.where(
        (pers[person] == P["migration_lead"]) & plan.window[person, week] & (kind == AGENT) & (v < 0.7),
        PR["migrate"],
        profile,
    )
    profile = np.where(
        learner[person] & (kind == CHAT) & (day - org.hire_day[person] < 56), PR["learn"], profile
    )
    profile = np.where(
        (pers[person] == P["edi_mapping_specialist"]) & (kind != TAB) & (v < 0.55), PR["edi"], profile
    )
    # Billing engineers work disputed invoices against tariff tables every day, and all day at month end.
    recon = billing[person] & (kind != TAB) & (v < np.where(close[day], 0.7, 0.3))
    profile = np.where(recon, PR["recon"], profile)
    yard = (pers[person] == P["yard_commissioning_engineer"]) & plan.window[person, week]
    profile = np.where(yard & (kind != TAB) & (v < 0.5), PR["incident"], profile)
    hour = _hours(rng, m, plan.chrono[person])
    start = _at(org, person, day, hour)
    pref = (plan.model_pref[person] * 7.3 + tool * 0.37) % 1.0
    model = _choose_model(rng, tool, kind, pref)
    size = plan.size[person]
    n_req = _n_requests(rng, profile, size)
    gap = np.array([GAP_S.get(name, 60) for name in PROFILE_NAMES])[profile] * rng.lognormal(0, 0.3, m)
    hash_mode = np.where(kind == TAB, 2, 0)
    ss.add(
        person=person,
        actor=acc.by_person[person, tool],
        tool=tool,
        kind=kind,
        profile=profile,
        model=model,
        start=start,
        n=n_req,
        gap=gap,
        hash_mode=hash_mode,
    )


def _close_days(org: Org) -> np.ndarray:
    """Month-end close: the last three and first two working days of each month."""
    import datetime as dt

    dates = [org.start + dt.timedelta(days=i) for i in range(org.days)]
    weekday = np.arange(org.days) % 7 < 5
    close = np.zeros(org.days, dtype=bool)
    months = np.array([d.month for d in dates])
    for month in np.unique(months):
        wd = np.flatnonzero((months == month) & weekday)
        if wd.size == 0:
            continue
        if dates[wd[0]].day <= 3:
            close[wd[:2]] = True
        last = dates[wd[-1]]
        if (last + dt.timedelta(days=3)).month != last.month:
            close[wd[-3:]] = True
    return close


def _add_simple(
    rng,
    org,
    plan,
    ss,
    acc,
    person,
    day,
    tool,
    kind,
    profile,
    hour,
    n_req,
    gap,
    style=-1,
    model=None,
    hash_mode=0,
    tkey=0,
    tk=1,
    regular=False,
) -> None:
    person = np.asarray(person, dtype=np.int64)
    m = person.size
    if m == 0:
        return
    tool = np.broadcast_to(np.asarray(tool), (m,)).astype(np.int64)
    kind = np.broadcast_to(np.asarray(kind), (m,)).astype(np.int64)
    if model is None:
        pref = (plan.model_pref[person] * 7.3 + tool * 0.37) % 1.0
        model = _choose_model(rng, tool, kind, pref)
    start = _at(org, person, np.asarray(day), np.asarray(hour))
    ss.add(
        person=person,
        actor=acc.by_person[person, tool],
        tool=tool,
        kind=kind,
        profile=profile,
        model=model,
        start=start,
        n=n_req,
        gap=gap,
        style=style,
        hash_mode=hash_mode,
        tkey=tkey,
        tk=tk,
        regular=regular,
    )


def _primary(plan: Plan, person: np.ndarray, allowed: tuple[int, ...]) -> np.ndarray:
    sub = plan.tool_p[np.ix_(person, allowed)]
    return np.array(allowed)[np.argmax(sub, axis=1)]


def legit_sessions(
    rng, org: Org, plan: Plan, ss: Sessions, acc: Accounts, inc: Incidents, dl: Delivery
) -> None:
    pers = plan.persona
    days = org.days
    # Incident response: whoever resolves a page and uses AI works the incident with it.
    r = inc.responder
    ok = (r >= 0) & (inc.acked >= 0)
    rr = np.where(ok, r, 0)
    aday = np.clip(inc.acked // DAY, 0, days - 1)
    adopted = ok & (plan.use_rate[rr] > 0) & (aday >= plan.adopt_day[rr]) & (aday < plan.stop_day[rr])
    heavy = pers[rr] == P["oncall_responder"]
    uses = adopted & (rng.random(r.size) < np.where(heavy, 0.97, 0.55))
    idx = np.flatnonzero(uses)
    hours = (inc.resolved[idx] - inc.acked[idx]) / HOUR
    rate = np.where(heavy[idx], 26.0, 7.0)
    cap = np.where(heavy[idx], 220, 40)
    n_req = np.clip((hours * rate * rng.lognormal(0, 0.3, idx.size)).astype(int), 3, cap)
    start = inc.acked[idx] + rng.integers(1, 6, idx.size) * 60_000_000
    gap = np.maximum(8.0, (inc.resolved[idx] - start) / 1e6 / np.maximum(n_req, 1) * 0.8)
    person = r[idx]
    tool = _primary(plan, person, (CC, CURSOR, INTERNAL, COPILOT))
    kind = np.where(tool == COPILOT, CHAT, AGENT)
    pref = (plan.model_pref[person] * 7.3 + tool * 0.37) % 1.0
    ss.add(
        person=person,
        actor=acc.by_person[person, tool],
        tool=tool,
        kind=kind,
        profile=PR["incident"],
        model=_choose_model(rng, tool, kind, pref),
        start=start,
        n=n_req,
        gap=gap,
    )

    # AI-assisted reviews, the staff reviewers' daily bread.
    rv = dl.rv_reviewer
    rday = np.clip(dl.rv_at // DAY, 0, days - 1)
    on = (plan.use_rate[rv] > 0) & (rday >= plan.adopt_day[rv]) & (rday < plan.stop_day[rv])
    use = on & (rng.random(rv.size) < plan.ai_review_p[rv]) & (pers[rv] != P["pr_review_farming"])
    idx = np.flatnonzero(use)
    person = rv[idx]
    tool = _primary(plan, person, (CC, INTERNAL, COPILOT, CURSOR))
    staff = pers[person] == P["staff_reviewer"]
    n_req = 1 + rng.poisson(np.where(staff, 3.5, 1.2))
    start = dl.rv_at[idx] - (rng.uniform(5, 50, idx.size) * 60_000_000).astype(np.int64)
    pref = (plan.model_pref[person] * 7.3 + tool * 0.37) % 1.0
    ss.add(
        person=person,
        actor=acc.by_person[person, tool],
        tool=tool,
        kind=REVIEW,
        profile=PR["review"],
        model=_choose_model(rng, tool, np.full(idx.size, REVIEW), pref),
        start=start,
        n=n_req,
        gap=50.0,
    )

    def working(p: int) -> np.ndarray:
        return np.flatnonzero(org.workday[p])

    for p in np.flatnonzero(pers == P["migration_lead"]):
        for d in working(p):
            if plan.window[p, d // 7]:
                k = rng.poisson(1.5)
                _add_simple(
                    rng,
                    org,
                    plan,
                    ss,
                    acc,
                    np.full(k, p),
                    d,
                    CC,
                    AGENT,
                    PR["migrate"],
                    _hours(rng, k, plan.chrono[p]),
                    15 + rng.geometric(1 / 25, k),
                    20.0,
                )
    for p in np.flatnonzero(pers == P["edi_mapping_specialist"]):
        days_p = working(p)
        k = rng.poisson(1.6, days_p.size)
        dd = np.repeat(days_p, k)
        tool = _primary(plan, np.array([p]), (CC, CURSOR, INTERNAL, OPENAI))[0]
        _add_simple(
            rng,
            org,
            plan,
            ss,
            acc,
            np.full(dd.size, p),
            dd,
            tool,
            CHAT if tool == OPENAI else AGENT,
            PR["edi"],
            _hours(rng, dd.size, plan.chrono[p]),
            5 + rng.geometric(1 / 12, dd.size),
            70.0,
        )
    close = _close_days(org)
    for p in np.flatnonzero(pers == P["billing_close_reconciler"]):
        dd = np.repeat(working(p), rng.poisson(3.5, working(p).size) * close[working(p)])
        _add_simple(
            rng,
            org,
            plan,
            ss,
            acc,
            np.full(dd.size, p),
            dd,
            INTERNAL,
            CHAT,
            PR["recon"],
            _hours(rng, dd.size, plan.chrono[p], 0.3),
            8 + rng.geometric(1 / 14, dd.size),
            100.0,
        )
    for p in np.flatnonzero(pers == P["stowage_scenario_runner"]):
        # Overnight scenario runs: every night of a vessel surge, now and then otherwise.
        emp = np.flatnonzero(org.employed[p] & ~org.leave[p])
        nights = emp[plan.surge_days[org.office[p], emp] | (rng.random(emp.size) < 0.12)]
        _add_simple(
            rng,
            org,
            plan,
            ss,
            acc,
            np.full(nights.size, p),
            nights,
            CC,
            AGENT,
            PR["stow"],
            rng.uniform(19, 23.5, nights.size),
            80 + rng.geometric(1 / 120, nights.size),
            60.0,
        )
    for p in np.flatnonzero(pers == P["yard_commissioning_engineer"]):
        # On site during commissioning: shifts around the clock, weekends included.
        emp = np.flatnonzero(org.employed[p] & plan.window[p, np.arange(days) // 7])
        k = rng.poisson(2.2, emp.size)
        dd = np.repeat(emp, k)
        _add_simple(
            rng,
            org,
            plan,
            ss,
            acc,
            np.full(dd.size, p),
            dd,
            CC,
            AGENT,
            PR["incident"],
            rng.uniform(0, 24, dd.size),
            5 + rng.geometric(1 / 14, dd.size),
            45.0,
        )
    for p in np.flatnonzero(pers == P["oncall_responder"]):
        # On-call weeks: alerts that never become incidents still get looked into, at any hour.
        weeks_on = np.flatnonzero((inc.rota[:, :, 0] == p).any(axis=0))
        emp = np.flatnonzero(org.employed[p] & np.isin(np.arange(days) // 7, weeks_on))
        dd = np.repeat(emp, rng.poisson(2.4, emp.size))
        tool = _primary(plan, np.array([p]), (CC, CURSOR, INTERNAL))[0]
        _add_simple(
            rng,
            org,
            plan,
            ss,
            acc,
            np.full(dd.size, p),
            dd,
            tool,
            AGENT,
            PR["incident"],
            rng.uniform(0, 24, dd.size),
            4 + rng.geometric(1 / 12, dd.size),
            40.0,
        )
    for p in np.flatnonzero(pers == P["new_hire_learner"]):
        wd = working(p)
        decay = np.exp(-np.clip(wd - org.hire_day[p], 0, None) / 21)
        dd = np.repeat(wd, rng.poisson(3.5 * decay))
        tool = _primary(plan, np.array([p]), (CC, CURSOR, INTERNAL, COPILOT))[0]
        _add_simple(
            rng,
            org,
            plan,
            ss,
            acc,
            np.full(dd.size, p),
            dd,
            tool,
            CHAT,
            PR["learn"],
            _hours(rng, dd.size, plan.chrono[p]),
            3 + rng.geometric(1 / 6, dd.size),
            120.0,
        )


def prototype_sessions(rng, org: Org, plan: Plan) -> dict:
    """The throwaway prototypes: agent runs whose output is opened as a PR and closed unmerged."""
    person, day, hour, n_req = [], [], [], []
    for p in np.flatnonzero(plan.persona == P["throwaway_prototype_prs"]):
        for w in np.flatnonzero(plan.infl_active[p]):
            wd = np.flatnonzero(org.workday[p, w * 7 : w * 7 + 7]) + w * 7
            if wd.size == 0:
                continue
            k = min(wd.size, int(rng.integers(1, 4) * plan.intensity[p] + 0.5) or 1)
            for d in rng.choice(wd, size=k, replace=False):
                person.append(p)
                day.append(int(d))
                hour.append(float(np.clip(rng.normal(13, 2.5) + plan.chrono[p], 8, 21)))
                n_req.append(int(25 + rng.geometric(1 / (35 * plan.intensity[p]))))
    person_a = np.array(person, dtype=np.int64)
    start = (
        _at(org, person_a, np.array(day, dtype=np.int64), np.array(hour)) if person else np.zeros(0, np.int64)
    )
    n = np.array(n_req, dtype=np.int64)
    return {"person": person_a, "start": start, "n": n, "end": start + n * 22 * 1_000_000}


def inflating_sessions(rng, org: Org, plan: Plan, ss: Sessions, acc: Accounts, protos: dict) -> None:
    pers = plan.persona
    days, weeks = org.days, org.weeks
    style_of = {name: i for i, name in enumerate(STYLES)}
    for p in np.flatnonzero(np.isin(pers, [P[s] for s in STYLES])):
        style = str(STYLES[pers[p] - P[STYLES[0]]])
        sid = style_of[style]
        x = plan.intensity[p]
        chrono = plan.chrono[p]
        active_w = plan.infl_active[p]
        wd_all = np.flatnonzero(org.workday[p] & active_w[np.arange(days) // 7])
        common = {"style": sid}
        if style == "leaderboard_topup":
            k = rng.poisson(plan.use_rate[p] * rng.uniform(0.8, 2.0) * x, wd_all.size)
            dd = np.repeat(wd_all, k)
            tool = _primary(plan, np.array([p]), (CC, CURSOR, INTERNAL))[0]
            kind = np.where(rng.random(dd.size) < 0.65, AGENT, CHAT)
            _add_simple(
                rng,
                org,
                plan,
                ss,
                acc,
                np.full(dd.size, p),
                dd,
                tool,
                kind,
                PR["topup"],
                _hours(rng, dd.size, chrono, 0.3),
                4 + rng.geometric(1 / (13 * x), dd.size),
                25.0,
                **common,
            )
        elif style == "snapshot_burst":
            office = org.office[p]
            if office in plan.snap_office:
                snaps = plan.snap_office[office]
            else:
                keeps_on = rng.random() < 0.7
                snaps = np.concatenate([plan.snap_org, plan.snap_dept if keeps_on else plan.snap_dept[:0]])
            for s in snaps:
                d = int(s // DAY)
                w = min(weeks - 1, max(0, (s - 20 * HOUR) // (7 * DAY)))
                if not active_w[w] or d >= days or not org.employed[p, max(0, d - 1)]:
                    continue
                k = int(rng.integers(1, 5) * x + 0.5) or 1
                lead = rng.uniform(1.0, 26.0, k) * HOUR
                start = (s - lead).astype(np.int64)
                start = start[start > 0]
                tool = np.full(start.size, _primary(plan, np.array([p]), (CC, CURSOR))[0])
                pref = (plan.model_pref[p] * 7.3 + tool * 0.37) % 1.0
                ss.add(
                    person=p,
                    actor=acc.by_person[p, tool],
                    tool=tool,
                    kind=AGENT,
                    profile=PR["burst"],
                    model=_choose_model(rng, tool, np.full(start.size, AGENT), pref),
                    start=start,
                    n=20 + rng.geometric(1 / (40 * x), start.size),
                    gap=12.0,
                    **common,
                )
        elif style == "idle_agent":
            for w in np.flatnonzero(active_w):
                emp = np.flatnonzero(org.employed[p, w * 7 : w * 7 + 7]) + w * 7
                if emp.size == 0:
                    continue
                k = max(1, int(rng.integers(1, 4) * x + 0.5))
                dd = rng.choice(emp, size=k)
                tool = CC if rng.random() < 0.75 else INTERNAL
                _add_simple(
                    rng,
                    org,
                    plan,
                    ss,
                    acc,
                    np.full(k, p),
                    dd,
                    tool,
                    AGENT,
                    PR["idle"],
                    rng.uniform(16.5, 23.0, k),
                    60 + rng.geometric(1 / (150 * x), k),
                    rng.uniform(40, 150, k),
                    **common,
                )
        elif style == "regenerate_code":
            k = rng.poisson(2.6 * x, wd_all.size)
            dd = np.repeat(wd_all, k)
            tool = _primary(plan, np.array([p]), (CURSOR, CC, COPILOT))[0]
            _add_simple(
                rng,
                org,
                plan,
                ss,
                acc,
                np.full(dd.size, p),
                dd,
                tool,
                CHAT,
                PR["regen"],
                _hours(rng, dd.size, chrono),
                4 + rng.geometric(1 / 9, dd.size),
                70.0,
                hash_mode=1,
                tkey=p * 1000 + dd // 7,
                tk=rng.integers(2, 6, dd.size),
                **common,
            )
        elif style == "context_stuffing":
            k = rng.poisson(1.9 * x, wd_all.size)
            dd = np.repeat(wd_all, k)
            tool = np.where(
                rng.random(dd.size) < 0.5, _primary(plan, np.array([p]), (CC, INTERNAL, OPENAI))[0], INTERNAL
            )
            _add_simple(
                rng,
                org,
                plan,
                ss,
                acc,
                np.full(dd.size, p),
                dd,
                tool,
                CHAT,
                PR["stuff"],
                _hours(rng, dd.size, chrono),
                2 + rng.geometric(1 / 6, dd.size),
                150.0,
                **common,
            )
        elif style == "premium_model_trivia":
            k = rng.poisson(11 * x, wd_all.size)
            dd = np.repeat(wd_all, k)
            tool = _primary(plan, np.array([p]), (CC, CURSOR))[0]
            model = M["claude-opus-4-1-20250805"] if tool == CC else M["claude-4.1-opus"]
            _add_simple(
                rng,
                org,
                plan,
                ss,
                acc,
                np.full(dd.size, p),
                dd,
                tool,
                CHAT,
                PR["trivia"],
                _hours(rng, dd.size, chrono, 0.15),
                rng.integers(1, 4, dd.size),
                90.0,
                model=model,
                **common,
            )
        elif style == "prompt_replay_script":
            tool = OPENAI if plan.tool_p[p, OPENAI] > 0.2 or rng.random() < 0.5 else CC
            templates = int(rng.integers(3, 9))
            for w in np.flatnonzero(active_w):
                emp = np.flatnonzero(org.employed[p, w * 7 : w * 7 + 7]) + w * 7
                if emp.size == 0:
                    continue
                k = max(1, int(rng.integers(3, 8) * x))
                dd = rng.choice(emp, size=k)
                cadence = rng.uniform(240, 720)
                _add_simple(
                    rng,
                    org,
                    plan,
                    ss,
                    acc,
                    np.full(k, p),
                    dd,
                    tool,
                    CHAT,
                    PR["replay"],
                    rng.uniform(0, 24, k),
                    rng.integers(25, 110, k),
                    cadence,
                    hash_mode=1,
                    tkey=p * 1000 + 999,
                    tk=templates,
                    regular=True,
                    **common,
                )
        elif style == "throwaway_prototype_prs":
            sel = protos["person"] == p
            tool = _primary(plan, np.array([p]), (CC, CURSOR))[0]
            m = int(sel.sum())
            tools = np.full(m, tool)
            pref = (plan.model_pref[p] * 7.3 + tools * 0.37) % 1.0
            ss.add(
                person=p,
                actor=acc.by_person[p, tool],
                tool=tools,
                kind=AGENT,
                profile=PR["proto"],
                model=_choose_model(rng, tools, np.full(m, AGENT), pref),
                start=protos["start"][sel],
                n=protos["n"][sel],
                gap=22.0,
                regular=True,
                **common,
            )
        elif style == "doc_bloat":
            k = rng.poisson(2.2 * x, wd_all.size)
            dd = np.repeat(wd_all, k)
            tool = INTERNAL if rng.random() < 0.6 else CC
            _add_simple(
                rng,
                org,
                plan,
                ss,
                acc,
                np.full(dd.size, p),
                dd,
                tool,
                CHAT,
                PR["doc"],
                _hours(rng, dd.size, chrono),
                2 + rng.geometric(1 / 5, dd.size),
                200.0,
                **common,
            )
        elif style == "pr_review_farming":
            k = rng.poisson(14 * x, wd_all.size)
            dd = np.repeat(wd_all, k)
            tool = COPILOT if plan.tool_p[p, COPILOT] > 0.2 else INTERNAL
            _add_simple(
                rng,
                org,
                plan,
                ss,
                acc,
                np.full(dd.size, p),
                dd,
                tool,
                REVIEW,
                PR["farm"],
                _hours(rng, dd.size, chrono),
                rng.integers(1, 3, dd.size),
                60.0,
                **common,
            )


def automation_sessions(rng, org: Org, ss: Sessions, acc: Accounts, scale: float) -> None:
    days = org.days
    first = int(np.flatnonzero(acc.owner < 0)[0])
    hs, notes, review, summary = range(first, first + 4)
    d = np.arange(days)
    # Nightly HS-code classification of yesterday's customs filings.
    k = max(1, int(300 * scale))
    ss.add(
        person=-1,
        actor=hs,
        tool=OPENAI,
        kind=COMPLETION,
        profile=PR["batch"],
        model=M["gpt-5-mini-2025-08-07"],
        start=d * DAY + 2 * HOUR + rng.integers(0, 600, days) * 1_000_000,
        n=rng.integers(k // 2, k * 2, days),
        gap=3.0,
    )
    weekday = d[d % 7 < 5]
    m = rng.poisson(max(1, 6 * scale), weekday.size)
    dd = np.repeat(weekday, m)
    ss.add(
        person=-1,
        actor=notes,
        tool=OPENAI,
        kind=CHAT,
        profile=PR["chat"],
        model=M["gpt-4.1-2025-04-14"],
        start=dd * DAY + rng.integers(6 * HOUR, 20 * HOUR, dd.size),
        n=rng.integers(1, 4, dd.size),
        gap=20.0,
    )
    m = rng.poisson(max(1, 20 * scale), weekday.size)
    dd = np.repeat(weekday, m)
    ss.add(
        person=-1,
        actor=review,
        tool=CC,
        kind=REVIEW,
        profile=PR["review"],
        model=M["claude-sonnet-4-5-20250929"],
        start=dd * DAY + rng.integers(5 * HOUR, 21 * HOUR, dd.size),
        n=rng.integers(1, 3, dd.size),
        gap=30.0,
    )
    rtm = OFFICE_INDEX["rtm"]
    shifts = np.repeat(d, 3)
    local = np.tile([6.0, 14.0, 22.0], days)
    start = (shifts * DAY + (local - org.offsets[rtm, shifts] - 0.25) * HOUR).astype(np.int64)
    ss.add(
        person=-1,
        actor=summary,
        tool=INTERNAL,
        kind=CHAT,
        profile=PR["chat"],
        model=M["quay-coder-32b"],
        start=start,
        n=rng.integers(10, 30, start.size) if scale > 0.3 else rng.integers(3, 8, start.size),
        gap=15.0,
    )


@dataclass
class Events:
    session: np.ndarray
    person: np.ndarray
    actor: np.ndarray
    tool: np.ndarray
    kind: np.ndarray
    model: np.ndarray
    at: np.ndarray
    input: np.ndarray
    cached: np.ndarray
    cache_write: np.ndarray
    output: np.ndarray
    cost: np.ndarray
    hash_key: np.ndarray  # uint64; 0 = no prompt hash
    lines_suggested: np.ndarray  # -1 = null
    lines_accepted: np.ndarray
    style: np.ndarray
    n_sessions: int


def price_table(org: Org) -> tuple[np.ndarray, np.ndarray]:
    """[model, 2, 4] prices before and after each model's change, and the change day per model."""
    prices = np.zeros((len(MODELS), 2, 4))
    change = np.full(len(MODELS), 10**6, dtype=np.int64)
    for name, i in M.items():
        prices[i, 0] = prices[i, 1] = LIST_PRICES[name]
    for name, frac, new in PRICE_CHANGES:
        i = M[name]
        change[i] = int(frac * org.days)
        prices[i, 1] = new
    return prices, change


def expand(rng, org: Org, ss: Sessions, seed: int) -> Events:
    s = ss.columns()
    n_s = s["start"].size
    n = np.maximum(s["n"], 1).astype(np.int64)
    total = int(n.sum())
    ev_s = np.repeat(np.arange(n_s), n)
    first = np.cumsum(n) - n
    k = np.arange(total) - np.repeat(first, n)
    gap = np.repeat(s["gap"], n)
    regular = np.repeat(s["regular"], n)
    step = np.where(
        regular, gap * rng.normal(1.0, 0.08, total).clip(0.7, 1.3), rng.exponential(1.0, total) * gap
    )
    step[first] = 0.0
    cum = np.cumsum(step)
    at = s["start"][ev_s] + ((cum - np.repeat(cum[first], n)) * 1e6).astype(np.int64)

    profile = np.repeat(s["profile"], n)
    model = np.repeat(s["model"], n)
    par = _PARAMS[profile]
    in_med, in_sig, _, growth, cap, cw_med, out_med, out_sig, code_p, acc_r, lines_med = par.T
    inp = rng.lognormal(np.log(in_med), in_sig)
    sp = _PARAMS[s["profile"]]
    ctx0_s = np.where(sp[:, 2] > 0, rng.lognormal(np.log(np.maximum(sp[:, 2], 1)), 0.5), 0)
    ctx0 = np.minimum(ctx0_s, np.maximum(sp[:, 4], 0))[ev_s]
    ctx = np.minimum(cap, ctx0 + growth * k * rng.uniform(0.5, 1.5, total))
    mode = np.array([m for _, m in MODELS])[model]
    first_req = k == 0
    sysprompt = np.where(s["tool"] == CC, rng.uniform(8000, 14000, n_s), 0)[ev_s]
    cached = np.where(first_req, sysprompt, ctx + sysprompt)
    write = np.where(
        first_req, ctx0, rng.lognormal(np.log(np.maximum(cw_med, 1)), 1.0) * (rng.random(total) < 0.7)
    )
    write = np.where(cw_med > 0, write, np.where(first_req, ctx0, 0))
    # OpenAI-style caches read automatically and write nothing; tab models and Copilot report no cache.
    inp = np.where((mode == 1) & first_req, inp + ctx0, inp)
    cached = np.where(mode == 1, np.where(first_req, 0, ctx), cached)
    write = np.where(mode == 1, 0, write)
    inp = np.where(mode == 2, inp + ctx, inp)
    cached = np.where(mode == 2, 0, cached)
    write = np.where(mode == 2, 0, write)
    inp_i = np.maximum(1, inp).astype(np.int64)
    cached_i = np.maximum(0, cached).astype(np.int64)
    write_i = np.maximum(0, write).astype(np.int64)
    out_i = np.maximum(1, rng.lognormal(np.log(out_med), out_sig)).astype(np.int64)

    code = rng.random(total) < code_p
    sugg = np.where(
        code, np.maximum(1, rng.lognormal(np.log(np.maximum(lines_med, 1)), 0.8)).astype(np.int64), 0
    )
    acc = rng.binomial(sugg, np.clip(acc_r * rng.uniform(0.7, 1.3, total), 0, 1))
    no_lines = code_p == 0
    sugg = np.where(no_lines, -1, sugg)
    acc = np.where(no_lines, -1, acc)

    hash_mode = np.repeat(s["hash_mode"], n)
    tkey = np.repeat(s["tkey"], n).astype(np.uint64)
    tk = np.maximum(np.repeat(s["tk"], n), 1)
    from orchestration.quay.ids import mix

    unique = mix(np.arange(total, dtype=np.uint64), seed * 7 + 1)
    template = mix(tkey * np.uint64(64) + (k % tk).astype(np.uint64), seed * 7 + 2)
    hash_key = np.where(hash_mode == 0, unique, np.where(hash_mode == 1, template, np.uint64(0)))
    hash_key = np.where(hash_key == 0, np.uint64(1), hash_key) * (hash_mode != 2)

    person = np.repeat(s["person"], n)
    return Events(
        session=ev_s,
        person=person,
        actor=np.repeat(s["actor"], n),
        tool=np.repeat(s["tool"], n),
        kind=np.repeat(s["kind"], n),
        model=model,
        at=at,
        input=inp_i,
        cached=cached_i,
        cache_write=write_i,
        output=out_i,
        cost=np.zeros(total),
        hash_key=hash_key.astype(np.uint64),
        lines_suggested=sugg,
        lines_accepted=acc,
        style=np.repeat(s["style"], n),
        n_sessions=n_s,
    )


def finish(org: Org, ev: Events) -> Events:
    """Keep requests inside the period and inside each owner's employment; price them."""
    day = ev.at // DAY
    ok = (ev.at >= 0) & (day < org.days)
    owned = ev.person >= 0
    pp = np.where(owned, ev.person, 0)
    ok &= ~owned | ((day >= np.maximum(org.hire_day[pp], 0)) & (day <= org.last_day[pp]))
    fields = {f: getattr(ev, f)[ok] for f in ev.__dataclass_fields__ if f != "n_sessions"}
    prices, change = price_table(org)
    d = fields["at"] // DAY
    row = prices[fields["model"], (d >= change[fields["model"]]).astype(int)]
    tokens = np.stack([fields["input"], fields["cached"], fields["cache_write"], fields["output"]], axis=1)
    fields["cost"] = (tokens * row).sum(axis=1) / 1e6
    order = np.lexsort((np.arange(fields["at"].size), fields["at"]))
    fields = {f: v[order] for f, v in fields.items()}
    return Events(n_sessions=ev.n_sessions, **fields)
