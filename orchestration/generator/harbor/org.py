"""The Harbor organisation: people, teams, tool accounts, personas and their schedules.

Everything here is drawn once per seed before any activity is simulated, so the activity code only
reads plain numpy arrays: who is employed on which day, who uses which tool under which account, and
in which weeks a persona's special behaviour (a migration, an on-call rotation, inflation) is on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

DOMAIN = "harborline.dev"

#: IANA zones of the offices and remote staff, with the share of teams based there.
ZONES: tuple[tuple[str, float], ...] = (
    ("America/Los_Angeles", 0.17),
    ("America/New_York", 0.17),
    ("America/Sao_Paulo", 0.06),
    ("Europe/London", 0.12),
    ("Europe/Berlin", 0.15),
    ("Europe/Warsaw", 0.06),
    ("Asia/Kolkata", 0.12),
    ("Asia/Singapore", 0.05),
    ("Asia/Tokyo", 0.05),
    ("Australia/Sydney", 0.05),
)

#: AI tools, in a fixed order; an account matrix column per tool.
TOOLS: tuple[str, ...] = ("claude_code", "cursor", "copilot", "openai_api", "internal_agent")
CLAUDE, CURSOR, COPILOT, OPENAI, AGENT = range(len(TOOLS))

#: Persona name, kind, share of engineers.
PERSONAS: tuple[tuple[str, str, float], ...] = (
    ("non_adopter", "ordinary", 0.12),
    ("light_user", "ordinary", 0.17),
    ("steady_user", "ordinary", 0.37),
    ("late_adopter", "ordinary", 0.10),
    ("power_user", "legitimate_heavy", 0.03),
    ("migration_lead", "legitimate_heavy", 0.015),
    ("oncall_sre", "legitimate_heavy", 0.02),
    ("staff_reviewer", "legitimate_heavy", 0.015),
    ("new_hire", "legitimate_heavy", 0.02),
    ("idle_agent", "inflator", 0.017),
    ("regeneration", "inflator", 0.017),
    ("context_stuffing", "inflator", 0.017),
    ("premium_trivial", "inflator", 0.015),
    ("prompt_replay", "inflator", 0.017),
    ("throwaway_prototypes", "inflator", 0.015),
    ("performative", "inflator", 0.017),
    ("leaderboard", "inflator", 0.017),
)
PERSONA_NAMES = tuple(name for name, _, _ in PERSONAS)
PERSONA_KINDS = tuple(kind for _, kind, _ in PERSONAS)
P = {name: index for index, name in enumerate(PERSONA_NAMES)}
#: Inflators' style names are their persona names.
STYLES = tuple(name for name, kind, _ in PERSONAS if kind == "inflator")

DEPARTMENTS = ("Product", "Payments", "Data", "Mobile", "Platform")
FIRST = (
    "ada", "bela", "chen", "dara", "emeka", "farah", "goran", "hana", "ines", "jonas", "kofi", "lena",
    "mateo", "nadia", "oskar", "priya", "quinn", "rosa", "sven", "tariq", "uma", "viktor", "wen", "ximena",
    "yusuf", "zoe", "arjun", "beatriz", "caio", "divya", "elif", "felix", "grace", "hugo", "ivana", "jae",
)  # fmt: skip
LAST = (
    "abe", "berg", "costa", "dubois", "eze", "fischer", "gupta", "haddad", "ito", "jensen", "kowalski",
    "lopez", "moreau", "nair", "okafor", "park", "quist", "rossi", "silva", "tanaka", "ueda", "varga",
    "weber", "xu", "yilmaz", "zhang", "andersen", "bianchi", "chowdhury", "novak", "reyes", "singh",
)  # fmt: skip


@dataclass
class Org:
    """The roster and every per-person schedule, as arrays indexed by person."""

    start: date
    weeks: int
    seed: int
    # teams
    team_ids: list[str]
    team_names: list[str]
    team_departments: list[str]
    team_is_sre: np.ndarray
    team_manager: np.ndarray
    repos: list[str]
    repo_team: np.ndarray
    services: list[str]
    service_team: np.ndarray
    # people (engineers first, then managers)
    employee_ids: list[str]
    emails: list[str]
    logins: list[str]
    full_names: list[str]
    roles: list[str]
    team: np.ndarray
    manager: list[str | None]
    zone: np.ndarray
    hired_day: np.ndarray
    left_day: np.ndarray
    loaded_cost: np.ndarray
    persona: np.ndarray
    is_engineer: np.ndarray
    # tools: accounts[person, tool] is the actor id or "" when the person has no account
    accounts: np.ndarray
    tool_weight: np.ndarray
    # activity levels
    requests_per_week: np.ndarray
    pr_rate: np.ndarray
    adoption_week: np.ndarray
    migration_weeks: np.ndarray
    oncall_weeks: np.ndarray
    inflating_weeks: np.ndarray
    #: How hard each inflator inflates (1 = the style's full size); subtle inflators sit near 0.1.
    inflation_strength: np.ndarray
    crunch_weeks: np.ndarray
    zone_names: list[str]
    #: UTC offset in seconds of each zone on each day, days counted from `start` - 7.
    offsets: np.ndarray
    snapshot: dict[str, object] = field(default_factory=dict)

    @property
    def people(self) -> int:
        return len(self.employee_ids)

    def offset(self, zone: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Seconds to add to UTC to get local time, for zones and day numbers (0 = `start`)."""
        return self.offsets[zone, np.clip(day + 7, 0, self.offsets.shape[1] - 1)]

    def employed_days(self, week: int) -> np.ndarray:
        """Bool (person, 7): employed on each day of the week, both ends of employment included."""
        days = week * 7 + np.arange(7)
        return (self.hired_day[:, None] <= days[None, :]) & (days[None, :] <= self.left_day[:, None])

    def employed_weeks(self) -> np.ndarray:
        """Bool (person, week): the ISO week holds a day of employment (the warehouse's rule)."""
        weeks = np.arange(self.weeks)
        first = np.floor_divide(self.hired_day, 7)
        last = np.floor_divide(self.left_day, 7)
        return (first[:, None] <= weeks[None, :]) & (weeks[None, :] <= last[:, None])


def _counts(shares: np.ndarray, total: int) -> np.ndarray:
    """Largest-remainder split of `total` by `shares`, at least one each once the org is big."""
    raw = shares / shares.sum() * total
    counts = np.floor(raw).astype(int)
    if total >= 60:
        counts = np.maximum(counts, 1)
    remainder = total - counts.sum()
    order = np.argsort(-(raw - np.floor(raw)), kind="stable")
    steady = P["steady_user"]
    if remainder >= 0:
        counts[order[:remainder]] += 1
    else:
        counts[steady] += remainder
    return counts


def _offsets(zone_names: list[str], start: date, days: int) -> np.ndarray:
    table = np.zeros((len(zone_names), days), dtype=np.int64)
    for z, name in enumerate(zone_names):
        tz = ZoneInfo(name)
        for d in range(days):
            day = start + timedelta(days=d - 7)
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=tz)
            table[z, d] = int(noon.utcoffset().total_seconds())
    return table


def _active_weeks(rng: np.random.Generator, weeks: int) -> np.ndarray:
    """The weeks an inflator inflates: from an onset on, in bouts, or in one spell."""
    active = np.zeros(weeks, dtype=bool)
    pattern = rng.choice(3, p=[0.35, 0.4, 0.25])
    if pattern == 0:
        active[int(rng.integers(0, max(1, weeks // 2))) :] = True
    elif pattern == 1:
        active = rng.random(weeks) < rng.uniform(0.35, 0.75)
    else:
        length = int(rng.integers(3, 9))
        begin = int(rng.integers(0, max(1, weeks - min(length, weeks) + 1)))
        active[begin : begin + length] = True
    if not active.any():
        active[int(rng.integers(0, weeks))] = True
    return active


def build_org(engineers: int, weeks: int, seed: int, start: date) -> Org:
    rng = np.random.default_rng([seed, 0x4A7B])
    zone_names = [name for name, _ in ZONES]
    zone_share = np.array([share for _, share in ZONES])
    zone_share /= zone_share.sum()

    # personas and roles
    counts = _counts(np.array([share for _, _, share in PERSONAS]), engineers)
    persona = rng.permutation(np.repeat(np.arange(len(PERSONAS)), counts))
    roles = np.full(engineers, "engineer", dtype=object)
    roles[persona == P["oncall_sre"]] = "sre"
    roles[persona == P["staff_reviewer"]] = "staff_engineer"
    ordinary = np.isin(persona, [P["light_user"], P["steady_user"], P["late_adopter"], P["non_adopter"]])
    draw = rng.random(engineers)
    roles[ordinary & (draw < 0.08)] = "sre"
    roles[ordinary & (draw >= 0.08) & (draw < 0.12)] = "staff_engineer"
    is_sre = roles == "sre"

    # teams: a few SRE teams own the shared services, the rest build product
    n_teams = max(2, round(engineers / 9))
    n_sre_teams = max(1, round(n_teams * 0.12)) if is_sre.any() else 0
    team_is_sre = np.zeros(n_teams, dtype=bool)
    team_is_sre[:n_sre_teams] = True
    team_zone = rng.choice(len(zone_names), size=n_teams, p=zone_share)
    team = np.empty(engineers, dtype=np.int64)
    if n_sre_teams:
        team[is_sre] = rng.integers(0, n_sre_teams, size=int(is_sre.sum()))
    team[~is_sre] = rng.integers(n_sre_teams, n_teams, size=int((~is_sre).sum()))
    team_ids = [f"hb-team-{t:03d}" for t in range(n_teams)]
    words = ("tide", "anchor", "beacon", "keel", "mast", "reef", "buoy", "quay", "helm", "compass")
    team_names = [
        ("SRE " if team_is_sre[t] else "") + f"{words[t % len(words)].title()} {t // len(words) + 1}"
        for t in range(n_teams)
    ]
    team_departments = [
        "Infrastructure" if team_is_sre[t] else DEPARTMENTS[int(rng.integers(0, len(DEPARTMENTS)))]
        for t in range(n_teams)
    ]

    # managers: one per team, after the engineers
    people = engineers + n_teams
    team_all = np.concatenate([team, np.arange(n_teams)])
    role_all = [*roles.tolist(), *(["manager"] * n_teams)]
    persona_all = np.concatenate([persona, np.full(n_teams, -1)])
    is_engineer = np.arange(people) < engineers
    zone = np.where(rng.random(people) < 0.82, team_zone[team_all], rng.choice(len(zone_names), size=people))

    employee_ids = [f"HB{100000 + i * 7 + seed % 7:06d}" for i in range(people)]
    emails, logins, full_names = [], [], []
    seen: set[str] = set()
    taken_logins: set[str] = set()
    for _ in range(people):
        first = FIRST[int(rng.integers(0, len(FIRST)))]
        last = LAST[int(rng.integers(0, len(LAST)))]
        stem, n = f"{first}.{last}", 1
        while (stem if n == 1 else f"{stem}{n}") in seen:
            n += 1
        handle = stem if n == 1 else f"{stem}{n}"
        seen.add(handle)
        emails.append(f"{handle}@{DOMAIN}")
        # GitHub logins are shorter than emails, so two people can want the same one
        login, k = f"{first[0]}{last}-hb", 1
        while login in taken_logins:
            k += 1
            login = f"{first[0]}{last}{k}-hb"
        taken_logins.add(login)
        logins.append(login)
        full_names.append(f"{first.title()} {last.title()}")
    team_manager = np.arange(n_teams) + engineers
    manager = [employee_ids[team_manager[team_all[i]]] if is_engineer[i] else None for i in range(people)]

    # employment: new hires join inside the period, a few others leave during it
    horizon = weeks * 7
    hired_day = -rng.integers(60, 2600, size=people)
    new_hire = persona_all == P["new_hire"]
    latest_hire_week = max(1, weeks - 3)
    hired_day[new_hire] = rng.integers(0, latest_hire_week, size=int(new_hire.sum())) * 7 + rng.integers(
        0, 5, size=int(new_hire.sum())
    )
    left_day = np.full(people, horizon + 3650, dtype=np.int64)
    leaver = np.zeros(people, dtype=bool)
    leaver[:engineers] = ordinary & (rng.random(engineers) < 0.03) & (weeks >= 4)
    left_day[leaver] = rng.integers(horizon // 2, horizon, size=int(leaver.sum()))

    base_cost = np.where(np.array(role_all) == "staff_engineer", 260000.0, 185000.0)
    base_cost = np.where(np.array(role_all) == "manager", 230000.0, base_cost)
    loaded_cost = np.round(base_cost * rng.lognormal(0.0, 0.18, size=people), 2)

    # tools and accounts
    accounts = np.full((people, len(TOOLS)), "", dtype=object)
    tool_weight = np.zeros((people, len(TOOLS)))
    primary = rng.choice(4, size=people, p=[0.36, 0.3, 0.24, 0.1])
    for i in range(people):
        login, email = logins[i], emails[i]
        options = {
            CLAUDE: email if rng.random() < 0.8 else f"cc-{login}",
            CURSOR: email if rng.random() < 0.85 else f"{email.split('@')[0]}.home@gmail.com",
            COPILOT: login,
            OPENAI: f"key-{login}-{('scratch', 'notebook', 'cli')[int(rng.integers(0, 3))]}",
        }
        weights = np.zeros(len(TOOLS))
        weights[primary[i]] = 1.0
        for tool in range(4):
            if tool != primary[i] and rng.random() < 0.3:
                weights[tool] = rng.uniform(0.1, 0.45)
        for tool in np.flatnonzero(weights):
            accounts[i, tool] = options[int(tool)]
        tool_weight[i] = weights / weights.sum()
    # internal agents: the idle-agent inflators' runs, and real work for power users and a few others
    agent_users = np.isin(persona_all, [P["power_user"], P["migration_lead"]]) | (rng.random(people) < 0.04)
    for i in np.flatnonzero(agent_users | (persona_all == P["idle_agent"])):
        accounts[i, AGENT] = f"agent/{logins[i]}"
    tool_weight[agent_users, AGENT] = 0.2
    tool_weight /= tool_weight.sum(axis=1, keepdims=True)
    for i in np.flatnonzero(persona_all == P["prompt_replay"]):
        accounts[i, OPENAI] = f"key-{logins[i]}-batch"

    # activity levels
    level = {
        "non_adopter": 0.0, "light_user": 22.0, "steady_user": 110.0, "late_adopter": 110.0,
        "power_user": 300.0, "migration_lead": 130.0, "oncall_sre": 90.0, "staff_reviewer": 120.0,
        "new_hire": 110.0, "idle_agent": 90.0, "regeneration": 100.0, "context_stuffing": 90.0,
        "premium_trivial": 80.0, "prompt_replay": 90.0, "throwaway_prototypes": 100.0,
        "performative": 45.0, "leaderboard": 80.0,
    }  # fmt: skip
    persona_level = np.array([level[name] for name in PERSONA_NAMES] + [0.0])
    requests_per_week = persona_level[persona_all] * rng.lognormal(0.0, 0.35, size=people)
    managers = ~is_engineer
    requests_per_week[managers] = np.where(rng.random(n_teams) < 0.5, rng.uniform(8, 40, n_teams), 0.0)
    pr_rate = rng.lognormal(np.log(2.1), 0.4, size=people)
    pr_factor = {"power_user": 2.8, "oncall_sre": 0.6, "staff_reviewer": 0.25}
    for name, factor in pr_factor.items():
        pr_rate[persona_all == P[name]] *= factor
    pr_rate[managers] = 0.15
    pr_rate[np.array(role_all) == "sre"] *= 0.7

    adoption_week = np.full(people, -1, dtype=np.int64)
    late = persona_all == P["late_adopter"]
    adoption_week[late] = rng.integers(
        max(1, weeks // 5), max(2, (weeks * 7) // 10 + 1), size=int(late.sum())
    )

    migration_weeks = np.zeros((people, weeks), dtype=bool)
    for i in np.flatnonzero(persona_all == P["migration_lead"]):
        length = min(weeks, int(rng.integers(3, 7)))
        begin = int(rng.integers(0, weeks - length + 1))
        migration_weeks[i, begin : begin + length] = True

    oncall_weeks = np.zeros((people, weeks), dtype=bool)
    for i in np.flatnonzero(persona_all == P["oncall_sre"]):
        period = int(rng.integers(2, 5))
        phase = int(rng.integers(0, period))
        oncall_weeks[i, phase::period] = True

    inflating_weeks = np.zeros((people, weeks), dtype=bool)
    for i in np.flatnonzero(np.isin(persona_all, [P[name] for name in STYLES])):
        inflating_weeks[i] = _active_weeks(rng, weeks)

    inflation_strength = np.clip(rng.lognormal(np.log(0.5), 0.6, size=people), 0.1, 1.5)

    crunch_weeks = np.zeros(weeks, dtype=bool)
    if weeks >= 3:
        crunch_weeks[int(rng.integers(1, weeks - 1))] = True
    if weeks >= 12:
        crunch_weeks[int(rng.integers(weeks // 2, weeks - 1))] = True

    # the leaderboard snapshot: the organisation's own choice, never written into the landing zone
    snapshot = {
        "weekday": int(rng.integers(0, 7)),
        "hour": int(rng.integers(0, 24)),
        "timezone": zone_names[int(rng.integers(0, len(zone_names)))],
    }

    repos, repo_team, services, service_team = [], [], [], []
    for t in range(n_teams):
        stem = team_names[t].lower().replace(" ", "-")
        for k in range(int(rng.integers(2, 4))):
            repos.append(f"harborline/{stem}-{('api', 'web', 'jobs', 'lib')[k]}")
            repo_team.append(t)
        for k in range(int(rng.integers(1, 4))):
            services.append(f"{stem}-{('gateway', 'worker', 'store')[k]}")
            service_team.append(t)

    return Org(
        start=start,
        weeks=weeks,
        seed=seed,
        team_ids=team_ids,
        team_names=team_names,
        team_departments=team_departments,
        team_is_sre=team_is_sre,
        team_manager=team_manager,
        repos=repos,
        repo_team=np.array(repo_team),
        services=services,
        service_team=np.array(service_team),
        employee_ids=employee_ids,
        emails=emails,
        logins=logins,
        full_names=full_names,
        roles=role_all,
        team=team_all,
        manager=manager,
        zone=zone,
        hired_day=hired_day.astype(np.int64),
        left_day=left_day,
        loaded_cost=loaded_cost,
        persona=persona_all,
        is_engineer=is_engineer,
        accounts=accounts,
        tool_weight=tool_weight,
        requests_per_week=requests_per_week,
        pr_rate=pr_rate,
        adoption_week=adoption_week,
        migration_weeks=migration_weeks,
        oncall_weeks=oncall_weeks,
        inflating_weeks=inflating_weeks,
        inflation_strength=inflation_strength,
        crunch_weeks=crunch_weeks,
        zone_names=zone_names,
        offsets=_offsets(zone_names, start, weeks * 7 + 21),
        snapshot=snapshot,
    )


def epoch_seconds(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
