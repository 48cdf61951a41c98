"""Who works at Meridian: departments, teams, people, their personas, roles, zones, tenure, tools and
accounts, and the repositories and services each team owns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from orchestration.meridian import catalog as cat

PERSONAS = (
    "non_adopter",
    "light_user",
    "steady_user",
    "late_adopter",
    "power_user",
    "migration_lead",
    "oncall_responder",
    "staff_reviewer",
    "new_hire_learner",
    "inflator",
)
PERSONA_SHARES = (0.15, 0.20, 0.275, 0.09, 0.05, 0.02, 0.035, 0.025, 0.045, 0.11)
NON_ADOPTER, LIGHT, STEADY, LATE, POWER, MIGRATION, ONCALL, STAFF, LEARNER, INFLATOR = range(10)
#: The behaviour code of people who are not engineers.
MANAGER = 10
LEGITIMATE_HEAVY = (POWER, MIGRATION, ONCALL, STAFF, LEARNER)
ORDINARY = (NON_ADOPTER, LIGHT, STEADY, LATE)
#: Truth label of an ordinary adopter's week in a release crunch.
RELEASE_CRUNCH = "release_crunch"
NEVER = 10**6

AGENT_TOOLS = (cat.CLAUDE_CODE, cat.CURSOR, cat.INTERNAL_AGENT)
CHAT_TOOLS = (cat.CLAUDE_CODE, cat.CURSOR, cat.COPILOT, cat.OPENAI_API)
REVIEW_TOOLS = (cat.CLAUDE_CODE, cat.COPILOT, cat.INTERNAL_AGENT)
ROLE_COST = {
    "engineer": 180_000,
    "senior_engineer": 225_000,
    "staff_engineer": 285_000,
    "sre": 205_000,
    "data_engineer": 190_000,
    "mobile_engineer": 185_000,
    "manager": 255_000,
}


@dataclass
class Org:
    # teams
    team_id: list[str]
    team_name: list[str]
    team_dept: np.ndarray
    team_zone: np.ndarray
    team_manager: np.ndarray
    # people: engineers first, then managers
    employee_id: list[str]
    email: list[str]
    login: list[str]
    full_name: list[str]
    role: list[str]
    team: np.ndarray
    dept: np.ndarray
    zone: np.ndarray
    manager: np.ndarray
    hire_day: np.ndarray
    leave_day: np.ndarray
    is_engineer: np.ndarray
    persona: np.ndarray
    behaviour: np.ndarray
    style: np.ndarray
    second_style: np.ndarray
    day_start: np.ndarray
    day_len: np.ndarray
    level: np.ndarray
    output_level: np.ndarray
    annual_cost: np.ndarray
    tools: np.ndarray
    tool_weight: np.ndarray
    primary_account: np.ndarray
    secondary_account: np.ndarray
    replay_account: np.ndarray
    account_id: list[str]
    account_person: np.ndarray
    account_tool: np.ndarray
    account_listed: np.ndarray
    pagerduty_id: list[str | None]
    # what teams own
    repos: list[str]
    repo_team: np.ndarray
    repo_prod_env: list[str]
    services: list[str]
    service_team: np.ndarray
    service_rate: np.ndarray
    members: list[np.ndarray] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len(self.employee_id)

    @property
    def engineers(self) -> int:
        return int(self.is_engineer.sum())


def quotas(total: int, shares: tuple[float, ...], at_least_one: bool) -> np.ndarray:
    """Counts in proportion to `shares` that add up to `total` (largest remainders); every share gets
    at least one when asked and `total` allows it, taken from the largest count."""
    weights = np.asarray(shares, dtype=float)
    raw = weights / weights.sum() * total
    counts = np.floor(raw).astype(int)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    if at_least_one and total >= len(shares):
        for index in np.flatnonzero(counts == 0):
            counts[np.argmax(counts)] -= 1
            counts[index] = 1
    return counts


def _between(rng: np.random.Generator, low: int, high: int, size: int | None = None) -> np.ndarray:
    """Integers in [low, high], tolerant of a range that collapsed to one value."""
    return rng.integers(low, max(low, high) + 1, size=size)


def build_org(rng: np.random.Generator, engineers: int, weeks: int) -> Org:
    persona = np.repeat(np.arange(len(PERSONAS)), quotas(engineers, PERSONA_SHARES, engineers >= 40))
    rng.shuffle(persona)

    # Departments: on-call responders make up Reliability with about as many other SREs.
    others = [d for d in range(len(cat.DEPARTMENTS)) if d != cat.RELIABILITY]
    shares = np.array([cat.DEPARTMENTS[d].share for d in others])
    dept = np.array(others)[rng.choice(len(others), size=engineers, p=shares / shares.sum())]
    dept[persona == ONCALL] = cat.RELIABILITY
    ordinary = np.flatnonzero(np.isin(persona, (LIGHT, STEADY, LATE, NON_ADOPTER, INFLATOR)))
    extra = rng.choice(
        ordinary, size=min(len(ordinary), round(1.1 * (persona == ONCALL).sum())), replace=False
    )
    dept[extra] = cat.RELIABILITY
    movers = np.flatnonzero((persona == MIGRATION) & ~np.isin(dept, (0, 1, 3)))
    dept[movers] = rng.choice((0, 1, 3), size=len(movers))

    # Teams of about eight to nine engineers; Reliability teams share out the responders evenly.
    team = np.empty(engineers, dtype=np.int64)
    team_dept: list[int] = []
    for d in range(len(cat.DEPARTMENTS)):
        people = np.flatnonzero(dept == d)
        if len(people) == 0:
            continue
        count = max(1, round(len(people) / 8.5))
        first = len(team_dept)
        team_dept += [d] * count
        if d == cat.RELIABILITY:
            responders = people[persona[people] == ONCALL]
            rest = rng.permutation(people[persona[people] != ONCALL])
            team[responders] = first + np.arange(len(responders)) % count
            team[rest] = first + np.arange(len(rest)) % count
        else:
            order = rng.permutation(people)
            seats = np.concatenate(
                [
                    np.arange(min(count, len(order))),
                    rng.choice(count, size=max(0, len(order) - count), p=rng.dirichlet(np.full(count, 8.0))),
                ]
            )
            team[order] = first + seats
    teams = len(team_dept)
    team_dept_arr = np.array(team_dept)
    team_zone = np.array([cat.ZONES.index(rng.choice(cat.DEPARTMENTS[d].zones)) for d in team_dept])
    team_id, team_name = _team_names(rng, team_dept_arr)

    # Managers: one per team, a head per department, a CTO.
    heads = sorted(set(team_dept))
    managers = teams + len(heads) + 1
    people_total = engineers + managers
    team_manager = engineers + np.arange(teams)
    head_of = {d: engineers + teams + i for i, d in enumerate(heads)}
    cto = people_total - 1
    m_team = np.concatenate([np.arange(teams), [np.flatnonzero(team_dept_arr == d)[0] for d in heads], [0]])
    all_team = np.concatenate([team, m_team])
    all_dept = team_dept_arr[all_team]
    manager = np.concatenate(
        [team_manager[team], [head_of[d] for d in team_dept], [cto] * len(heads), [-1]]
    ).astype(np.int64)

    zone = team_zone[all_team].copy()
    remote = rng.random(people_total) < 0.15
    zone[remote] = rng.integers(0, len(cat.ZONES), size=int(remote.sum()))
    zone[cto] = cat.ZONES.index("America/New_York")

    full_name, email, login = _names(rng, people_total)
    role = _roles(rng, persona, dept, engineers, managers)

    hire_day, leave_day = _tenure(rng, persona, engineers, managers, weeks)
    behaviour = np.concatenate([persona, np.full(managers, MANAGER)])
    style = np.full(people_total, -1)
    second = np.full(people_total, -1)
    inflators = np.flatnonzero(persona == INFLATOR)
    if len(inflators):
        primary = np.repeat(np.arange(len(cat.STYLES)), quotas(len(inflators), cat.STYLE_SHARES, True))
        style[inflators] = rng.permutation(primary)
        has_second = inflators[rng.random(len(inflators)) < 0.2]
        offset = rng.integers(1, len(cat.STYLES), size=len(has_second))
        second[has_second] = (style[has_second] + offset) % len(cat.STYLES)
        base = rng.random(len(inflators))
        topup = style[inflators] == cat.TOPUP
        behaviour[inflators] = np.where(
            topup,
            np.where(base < 0.5, LIGHT, STEADY),
            np.select([base < 0.6, base < 0.85], [STEADY, LIGHT], POWER),
        )

    tools, tool_weight = _tools(rng, behaviour, persona, style, second, all_dept, engineers)
    accounts = _accounts(rng, tools, style, second, email, login)

    repos, repo_team, repo_env, services, service_team, service_rate = _owned(rng, team_id, team_dept_arr)
    members = [np.flatnonzero(team == t) for t in range(teams)]
    pagerduty = [f"P{v:06X}" for v in rng.choice(16**6, size=people_total, replace=False)]

    level = rng.lognormal(0.0, 0.35, people_total)
    output_level = rng.lognormal(0.0, 0.3, people_total)
    cost_base = np.array([ROLE_COST[r] for r in role], dtype=float)
    zone_cost = np.array([cat.ZONE_COST[cat.ZONES[z]] for z in zone])
    annual_cost = np.round(cost_base * zone_cost * rng.lognormal(0, 0.08, people_total), 2)

    return Org(
        team_id=team_id,
        team_name=team_name,
        team_dept=team_dept_arr,
        team_zone=team_zone,
        team_manager=team_manager,
        employee_id=[f"MER-{10000 + i}" for i in rng.permutation(people_total) * 7 + 3],
        email=email,
        login=login,
        full_name=full_name,
        role=role,
        team=all_team,
        dept=all_dept,
        zone=zone,
        manager=manager,
        hire_day=hire_day,
        leave_day=leave_day,
        is_engineer=np.arange(people_total) < engineers,
        persona=np.concatenate([persona, np.full(managers, -1)]),
        behaviour=behaviour,
        style=style,
        second_style=second,
        day_start=np.clip(rng.normal(9.0, 0.8, people_total), 7.0, 11.0),
        day_len=rng.uniform(7.5, 9.5, people_total),
        level=level,
        output_level=output_level,
        annual_cost=annual_cost,
        tools=tools,
        tool_weight=tool_weight,
        primary_account=accounts[0],
        secondary_account=accounts[1],
        replay_account=accounts[2],
        account_id=accounts[3],
        account_person=accounts[4],
        account_tool=accounts[5],
        account_listed=accounts[6],
        pagerduty_id=pagerduty,
        repos=repos,
        repo_team=repo_team,
        repo_prod_env=repo_env,
        services=services,
        service_team=service_team,
        service_rate=service_rate,
        members=members,
    )


def _team_names(rng: np.random.Generator, team_dept: np.ndarray) -> tuple[list[str], list[str]]:
    ids, names = [], []
    for d, department in enumerate(cat.DEPARTMENTS):
        count = int((team_dept == d).sum())
        words = list(department.team_words)
        combos = [f"{w}-{q}" for q in cat.TEAM_QUALIFIERS for w in department.team_words]
        chosen = [*rng.permutation(words), *rng.permutation(combos)]
        while len(chosen) < count:
            chosen += [f"{w}-{len(chosen)}" for w in words]
        for slug in chosen[:count]:
            ids.append(f"{department.slug}-{slug}")
            names.append(slug.replace("-", " ").title())
    order = np.argsort(np.argsort(team_dept, kind="stable"), kind="stable")
    return [ids[i] for i in order], [names[i] for i in order]


def _names(rng: np.random.Generator, count: int) -> tuple[list[str], list[str], list[str]]:
    firsts = rng.choice(cat.FIRST_NAMES, size=count)
    lasts = rng.choice(cat.LAST_NAMES, size=count)
    patterns = rng.integers(0, 4, size=count)
    full, emails, logins = [], [], []
    seen_email: set[str] = set()
    seen_login: set[str] = set()
    for first, last, pattern in zip(firsts, lasts, patterns, strict=True):
        f, ln = first.lower(), last.lower().replace(" ", "")
        local = f"{f}.{ln}"
        candidate, n = local, 1
        while candidate in seen_email:
            n += 1
            candidate = f"{local}{n}"
        seen_email.add(candidate)
        handle = (f[0] + ln, f + ln, f"{f}-{ln[:3]}", f"{ln}{f[:2]}")[pattern]
        login, n = handle, 1
        while login in seen_login:
            n += 1
            login = f"{handle}{n}"
        seen_login.add(login)
        full.append(f"{first} {last}")
        emails.append(f"{candidate}@{cat.EMAIL_DOMAIN}")
        logins.append(login)
    return full, emails, logins


def _roles(
    rng: np.random.Generator, persona: np.ndarray, dept: np.ndarray, engineers: int, managers: int
) -> list[str]:
    roles = []
    draw = rng.random(engineers)
    for p, d, u in zip(persona, dept, draw, strict=True):
        if p == ONCALL:
            roles.append("sre")
        elif p == STAFF:
            roles.append("staff_engineer")
        elif p == MIGRATION:
            roles.append("senior_engineer")
        elif p == LEARNER:
            roles.append("engineer")
        elif d == cat.RELIABILITY:
            roles.append("sre" if u < 0.7 else "engineer")
        elif p == POWER:
            roles.append("senior_engineer" if u < 0.5 else "engineer")
        elif d == 3 and u < 0.6:
            roles.append("data_engineer")
        elif d == 4 and u < 0.6:
            roles.append("mobile_engineer")
        else:
            roles.append("engineer" if u < 0.65 else "senior_engineer" if u < 0.95 else "staff_engineer")
    return roles + ["manager"] * managers


def _tenure(
    rng: np.random.Generator, persona: np.ndarray, engineers: int, managers: int, weeks: int
) -> tuple[np.ndarray, np.ndarray]:
    """Hire and leave days relative to the first Monday; most people joined long before it."""
    total = engineers + managers
    hire = -rng.integers(30, 3000, size=total)
    leave = np.full(total, NEVER)
    learners = np.flatnonzero(persona == LEARNER)
    hire[learners] = 7 * _between(rng, -1, weeks - 4, len(learners))
    ordinary = np.flatnonzero(np.isin(persona, ORDINARY))
    hires = ordinary[rng.random(len(ordinary)) < 0.04]
    hire[hires] = 7 * _between(rng, 1, weeks - 2, len(hires))
    can_leave = np.flatnonzero(np.isin(persona, (*ORDINARY, POWER, INFLATOR)) & (hire[:engineers] < 0))
    leavers = can_leave[rng.random(len(can_leave)) < 0.05]
    leave[leavers] = 7 * _between(rng, 2, weeks - 1, len(leavers)) + 4
    return hire, leave


def _tools(
    rng: np.random.Generator,
    behaviour: np.ndarray,
    persona: np.ndarray,
    style: np.ndarray,
    second: np.ndarray,
    dept: np.ndarray,
    engineers: int,
) -> tuple[np.ndarray, np.ndarray]:
    total = len(behaviour)
    affinity = np.array([cat.DEPARTMENTS[d].tool_affinity for d in dept])
    chance = np.clip(np.array(cat.TOOL_BASE_P) * affinity, 0.0, 0.95)
    tools = rng.random((total, len(cat.TOOLS))) < chance
    adopter = np.ones(total, dtype=bool)
    adopter[:engineers] = persona != NON_ADOPTER
    adopter[engineers:] = rng.random(total - engineers) < 0.6
    tools[~adopter] = False
    tools[engineers:, cat.OPENAI_API] = False
    tools[engineers:, cat.INTERNAL_AGENT] = False

    def ensure(who: np.ndarray, among: tuple[int, ...], give: tuple[int, ...]) -> None:
        lacking = who & adopter & ~tools[:, list(among)].any(axis=1)
        tools[lacking, rng.choice(give, size=int(lacking.sum()))] = True

    styles = np.stack([style, second], axis=1)

    def has_style(*codes: int) -> np.ndarray:
        return np.isin(styles, codes).any(axis=1)

    everyone = np.ones(total, dtype=bool)
    agentic = np.isin(behaviour, (POWER, MIGRATION)) | has_style(
        cat.IDLE, cat.PROTOTYPES, cat.TOPUP, cat.BURST
    )
    ensure(agentic, AGENT_TOOLS, (cat.CLAUDE_CODE, cat.CURSOR))
    ensure(everyone, CHAT_TOOLS, (cat.COPILOT, cat.CURSOR))
    ensure(behaviour == STAFF, REVIEW_TOOLS, (cat.CLAUDE_CODE, cat.COPILOT))
    ensure(has_style(cat.REPLAY), (cat.OPENAI_API, cat.CLAUDE_CODE), (cat.OPENAI_API, cat.CLAUDE_CODE))
    ensure(
        has_style(cat.TRIVIA, cat.STUFF), (cat.CLAUDE_CODE, cat.CURSOR, cat.OPENAI_API), (cat.CLAUDE_CODE,)
    )
    weight = rng.gamma(2.0, 1.0, size=tools.shape) * tools
    return tools, weight


def _accounts(
    rng: np.random.Generator,
    tools: np.ndarray,
    style: np.ndarray,
    second: np.ndarray,
    email: list[str],
    login: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Tool accounts: work emails (matched by email), legacy and alias emails, GitHub logins, API key
    names and internal agent handles (listed in identities)."""
    total = len(email)
    primary = np.full(tools.shape, -1, dtype=np.int64)
    secondary = np.full(tools.shape, -1, dtype=np.int64)
    replay = np.full(total, -1, dtype=np.int64)
    ids: list[str] = []
    person: list[int] = []
    tool_of: list[int] = []
    listed: list[bool] = []

    def add(p: int, t: int, account: str, is_listed: bool) -> int:
        ids.append(account)
        person.append(p)
        tool_of.append(t)
        listed.append(is_listed)
        return len(ids) - 1

    draws = rng.random((total, 4))
    purposes = ("notebook", "eval", "dev", "batch", "scratch")
    for p in range(total):
        local = email[p].split("@")[0]
        if tools[p, cat.CLAUDE_CODE]:
            shown = email[p] if draws[p, 0] > 0.05 else email[p].title()
            primary[p, cat.CLAUDE_CODE] = add(p, cat.CLAUDE_CODE, shown, False)
            if draws[p, 1] < 0.08:
                secondary[p, cat.CLAUDE_CODE] = add(p, cat.CLAUDE_CODE, f"{local}@{cat.LEGACY_DOMAIN}", True)
        if tools[p, cat.CURSOR]:
            alias = f"{login[p]}@{cat.ALIAS_DOMAIN}"
            if draws[p, 2] < 0.2:
                primary[p, cat.CURSOR] = add(p, cat.CURSOR, alias, True)
            else:
                primary[p, cat.CURSOR] = add(p, cat.CURSOR, email[p], False)
                if draws[p, 2] > 0.9:
                    secondary[p, cat.CURSOR] = add(p, cat.CURSOR, alias, True)
        if tools[p, cat.COPILOT]:
            primary[p, cat.COPILOT] = add(p, cat.COPILOT, login[p], True)
        if tools[p, cat.OPENAI_API]:
            first, other = rng.choice(len(purposes), size=2, replace=False)
            primary[p, cat.OPENAI_API] = add(p, cat.OPENAI_API, f"{login[p]}-{purposes[first]}", True)
            if draws[p, 3] < 0.4:
                secondary[p, cat.OPENAI_API] = add(p, cat.OPENAI_API, f"{login[p]}-{purposes[other]}", True)
        if tools[p, cat.INTERNAL_AGENT]:
            primary[p, cat.INTERNAL_AGENT] = add(p, cat.INTERNAL_AGENT, f"pilot/{login[p]}", True)
        if cat.REPLAY in (style[p], second[p]):
            if tools[p, cat.OPENAI_API]:
                replay[p] = add(p, cat.OPENAI_API, f"{login[p]}-nightly-prompts", True)
            else:
                replay[p] = primary[p, cat.CLAUDE_CODE]
    return (
        primary,
        secondary,
        replay,
        ids,
        np.array(person, dtype=np.int64),
        np.array(tool_of, dtype=np.int64),
        np.array(listed, dtype=bool),
    )


def _owned(
    rng: np.random.Generator, team_id: list[str], team_dept: np.ndarray
) -> tuple[list[str], np.ndarray, list[str], list[str], np.ndarray, np.ndarray]:
    repos, repo_team, envs, services, service_team, rates = [], [], [], [], [], []
    for t, slug in enumerate(team_id):
        name = slug.split("-", 1)[1]
        reliability = team_dept[t] == cat.RELIABILITY
        suffixes = ("terraform", "runbooks", "controllers") if reliability else ("api", "web", "worker")
        count = 1 + int(rng.random() < 0.5) + int(rng.random() < 0.15)
        env = "production" if rng.random() < 0.8 else "prod"
        for suffix in suffixes[:count]:
            repos.append(f"meridian/{name}-{suffix}")
            repo_team.append(t)
            envs.append(env)
        kinds = ("primary", "replica", "proxy") if reliability else ("svc", "jobs")
        for kind in kinds[: 1 + int(rng.random() < 0.5) + int(reliability)]:
            services.append(f"{name}-{kind}")
            service_team.append(t)
            rates.append(cat.DEPARTMENTS[team_dept[t]].incident_rate * rng.lognormal(0, 0.3))
    return repos, np.array(repo_team), envs, services, np.array(service_team), np.array(rates)
