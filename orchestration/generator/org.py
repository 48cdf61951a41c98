"""The organisation: teams, people, who owns which repository and service, and every account.

Everything a later step needs about a person is an array indexed by the person's position
(`0..n_people-1`); engineers come first, then team managers, department heads and SREs, so
`person < n_engineers` means "is an engineer".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from orchestration.generator.calendar import TIMEZONES, Period

# Personas, per engineer.
NON_ADOPTER, GRADUAL_ADOPTER, STEADY_USER, HEAVY_AGENT_USER, INFLATOR = range(5)
PERSONAS: tuple[str, ...] = ("non_adopter", "gradual_adopter", "steady_user", "heavy_agent_user", "inflator")
PERSONA_SHARES = (0.21, 0.36, 0.21, 0.08, 0.14)

# Inflation styles, per inflator.
NO_OUTCOME, REPEATED_PROMPTS, LEADERBOARD_BURST, AGENT_LOOP, MIXED = range(5)
STYLES: tuple[str, ...] = ("no_outcome", "repeated_prompts", "leaderboard_burst", "agent_loop", "mixed")

# AI tools.
CLAUDE_CODE, CURSOR, COPILOT, OPENAI_API, INTERNAL_AGENT = range(5)
TOOLS: tuple[str, ...] = ("claude_code", "cursor", "copilot", "openai_api", "internal_agent")
#: Chance that an adopting engineer uses each tool.
TOOL_SHARES = (0.45, 0.30, 0.50, 0.15, 0.06)
#: The co-author trailer each tool's agent writes into commit messages (none for the others).
TRAILERS: dict[int, str] = {
    CLAUDE_CODE: "Co-authored-by: Claude <noreply@anthropic.com>",
    COPILOT: "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
    CURSOR: "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
}

TZ_SHARES = (0.24, 0.20, 0.14, 0.16, 0.16, 0.10)
#: Loaded yearly cost of an engineer by zone, before individual spread.
TZ_COST_USD = (265_000, 250_000, 175_000, 165_000, 72_000, 150_000)

DOMAIN = "acme.com"
ORG = "acme"

# fmt: off
_FIRST = (
    "aiko", "ana", "ben", "carla", "chen", "dev", "diego", "elena", "emma", "farah", "felix", "grace",
    "hana", "hugo", "ines", "ivan", "jack", "jana", "jin", "jonas", "julia", "kai", "karan", "lara", "leo",
    "lina", "lucas", "maya", "mei", "mia", "nadia", "nikhil", "noah", "olga", "omar", "pablo", "priya",
    "rahul", "rosa", "ryo", "sam", "sara", "sofia", "tariq", "theo", "uma", "victor", "wei", "yara", "yuki",
    "zoe", "arjun", "bea"
)
_LAST = (
    "abe", "adams", "ahmed", "alvarez", "bauer", "becker", "brown", "chen", "cohen", "costa", "das",
    "davis", "diaz", "fischer", "garcia", "gupta", "hall", "ito", "iyer", "jensen", "kato", "khan", "kim",
    "klein", "kumar", "lee", "lopez", "martin", "meyer", "miller", "moreau", "muller", "nakamura", "nguyen",
    "novak", "okafor", "park", "patel", "reddy", "rossi", "sato", "schmidt", "shah", "silva", "singh",
    "smith", "suzuki", "tanaka", "taylor", "wagner", "walker", "wang", "weber", "wilson", "wong", "yamada",
    "young", "zhang"
)
_TEAM_WORDS = (
    "payments", "search", "checkout", "identity", "billing", "growth", "mobile", "ledger", "notifications",
    "catalog", "pricing", "fraud", "onboarding", "messaging", "analytics", "storefront", "logistics",
    "inventory", "recommendations", "gateway", "observability", "devtools", "platform", "data-platform",
    "ml-infra", "auth", "shipping", "returns", "loyalty", "partners", "support-tools", "experimentation",
    "media", "maps", "reviews", "compliance", "tax", "risk"
)
# fmt: on
_DEPARTMENTS = ("Platform", "Product", "Commerce", "Data", "Mobile", "Infrastructure")
_REPO_SUFFIXES = ("api", "web", "service", "worker", "infra", "sdk", "jobs")
_SERVICE_SUFFIXES = ("api", "svc", "worker", "gateway", "db")
_PERSONAL_DOMAINS = ("gmail.com", "proton.me", "outlook.com", "fastmail.com")


@dataclass
class Org:
    """People and what they own, as parallel arrays and lists indexed by person or team."""

    period: Period
    n_engineers: int
    # Teams.
    team_ids: list[str]
    team_names: list[str]
    team_departments: list[str]
    team_tz: np.ndarray
    team_manager: np.ndarray
    # People.
    employee_ids: list[str]
    emails: list[str]
    roster_emails: list[str]
    full_names: list[str]
    roles: list[str]
    team: np.ndarray
    manager: np.ndarray
    tz: np.ndarray
    hired_day: np.ndarray
    left_day: np.ndarray
    hired_on: list[str]
    left_on: list[str | None]
    cost_usd: np.ndarray
    logins: list[str]
    personal_emails: list[str]
    uses_personal_email: np.ndarray
    # Engineers only (length n_engineers).
    persona: np.ndarray
    style: np.ndarray
    tools: np.ndarray
    primary_tool: np.ndarray
    identity_mapped: np.ndarray
    claude_alias: list[str | None]
    openai_keys: list[str]
    # Ownership.
    repos: list[str]
    repo_team: np.ndarray
    repo_prod_env: list[str]
    repo_staging_env: list[str]
    repo_base_branch: list[str]
    repo_dependency_bot: list[str]
    services: list[str]
    service_team: np.ndarray
    sre: np.ndarray

    @property
    def n_people(self) -> int:
        return len(self.employee_ids)

    @property
    def n_teams(self) -> int:
        return len(self.team_ids)

    def employed_days(self) -> np.ndarray:
        """`[person, day]`: whether the person is on the roster on that day of the period."""
        days = np.arange(self.period.days)
        return (days[None, :] >= self.hired_day[:, None]) & (days[None, :] <= self.left_day[:, None])

    def employed_weeks(self) -> np.ndarray:
        """`[person, week]`: employed on at least one day of the week (the published grain)."""
        return self.employed_days().reshape(self.n_people, self.period.weeks, 7).any(axis=2)

    def actor(self, person: int, tool: int) -> str:
        """The account a person uses in a tool, as the tool reports it."""
        if tool == COPILOT:
            return self.logins[person]
        if tool == OPENAI_API:
            return self.openai_keys[person]
        if tool == CLAUDE_CODE and self.claude_alias[person]:
            return self.claude_alias[person]
        return self.emails[person]


def _team_sizes(rng: np.random.Generator, engineers: int) -> list[int]:
    """Team sizes between 3 and 25 that add up to `engineers` (one smaller team below 3 people)."""
    if engineers < 3:
        return [engineers] if engineers else []
    sizes: list[int] = []
    remaining = engineers
    while remaining:
        size = int(np.clip(round(rng.lognormal(np.log(8), 0.55)), 3, 25))
        if remaining - size < 3:
            size = remaining if remaining <= 25 else remaining - 3
        sizes.append(size)
        remaining -= size
    return sizes


def _largest_remainder(total: int, shares: tuple[float, ...]) -> np.ndarray:
    exact = np.array(shares) * total / sum(shares)
    counts = np.floor(exact).astype(int)
    for index in np.argsort(-(exact - counts), kind="stable")[: total - counts.sum()]:
        counts[index] += 1
    return counts


def _unique(candidate: str, taken: set[str]) -> str:
    name, number = candidate, 2
    while name in taken:
        name = f"{candidate}{number}"
        number += 1
    taken.add(name)
    return name


def _login(rng: np.random.Generator, first: str, last: str, taken: set[str]) -> str:
    """A GitHub login in one of the shapes people pick, never derived from the email alone."""
    shape = rng.integers(6)
    candidate = (
        f"{first[0]}{last}-gh",
        f"{first}-{last[0]}",
        f"{first}{last}{rng.integers(10, 99)}",
        f"{last}-{first[0]}",
        f"{first[:3]}{last[:4]}",
        f"{first}-codes",
    )[shape]
    return _unique(candidate, taken)


def build_org(rng: np.random.Generator, engineers: int, period: Period) -> Org:
    if engineers < 1:
        raise ValueError(f"engineers must be at least 1, got {engineers}")
    sizes = _team_sizes(rng, engineers)
    n_teams = len(sizes)
    words = list(rng.permutation(_TEAM_WORDS))
    team_names = [
        words[i % len(words)] + ("" if i < len(words) else f"-{i // len(words) + 1}") for i in range(n_teams)
    ]
    n_departments = min(len(_DEPARTMENTS), max(1, n_teams // 3 + 1))
    departments = list(_DEPARTMENTS[:n_departments])
    team_department = [departments[i % n_departments] for i in rng.permutation(n_teams)]
    team_tz = rng.choice(len(TIMEZONES), size=n_teams, p=TZ_SHARES)
    n_sre = min(25, max(3, round(engineers * 0.025)))
    team_ids = [f"team-{name}" for name in team_names] + ["team-sre"]
    team_names_out = [name.replace("-", " ").title() for name in team_names] + ["Site Reliability"]
    team_department += ["Infrastructure" if "Infrastructure" in departments else departments[0]]
    team_tz = np.append(team_tz, 0)

    # People: engineers, then one manager per team, one head per department, then SREs.
    person_team = list(np.repeat(np.arange(n_teams), sizes))
    roles = ["engineer"] * engineers
    person_team += list(range(n_teams + 1))
    roles += ["manager"] * (n_teams + 1)
    heads = sorted(set(team_department))
    head_team = [team_department.index(department) for department in heads]
    person_team += head_team
    roles += ["manager"] * len(heads)
    person_team += [n_teams] * n_sre
    roles += ["sre"] * n_sre
    n_people = len(roles)
    team = np.array(person_team, dtype=np.int64)
    team_manager = np.arange(engineers, engineers + n_teams + 1)
    head_of = {department: engineers + n_teams + 1 + i for i, department in enumerate(heads)}
    manager = np.full(n_people, -1, dtype=np.int64)
    manager[:engineers] = team_manager[team[:engineers]]
    manager[team_manager] = [head_of[team_department[t]] for t in range(n_teams + 1)]
    manager[engineers + n_teams + 1 + len(heads) :] = team_manager[n_teams]

    # Time zones: most people sit where their team sits.
    tz = np.where(
        rng.random(n_people) < 0.82,
        team_tz[team],
        rng.choice(len(TIMEZONES), size=n_people, p=TZ_SHARES),
    )

    # Names, emails and logins.
    width = max(5, len(str(n_people)))
    employee_ids = [f"E{i + 1:0{width}d}" for i in range(n_people)]
    taken_names: set[str] = set()
    taken_emails: set[str] = set()
    taken_logins: set[str] = set()
    full_names, emails, roster_emails, logins, personal_emails = [], [], [], [], []
    firsts = rng.integers(len(_FIRST), size=n_people)
    lasts = rng.integers(len(_LAST), size=n_people)
    capitalised = rng.random(n_people) < 0.05
    for person in range(n_people):
        first, last = _FIRST[firsts[person]], _LAST[lasts[person]]
        name = f"{first.title()} {last.title()}"
        if name in taken_names:
            name = f"{first.title()} {chr(65 + int(rng.integers(26)))}. {last.title()}"
        taken_names.add(name)
        full_names.append(name)
        local = _unique(f"{first}.{last}", taken_emails)
        emails.append(f"{local}@{DOMAIN}")
        roster_emails.append(f"{local.title()}@{DOMAIN}" if capitalised[person] else f"{local}@{DOMAIN}")
        logins.append(_login(rng, first, last, taken_logins))
        personal_emails.append(f"{first}{last[0]}{rng.integers(1, 999)}@{rng.choice(_PERSONAL_DOMAINS)}")
    uses_personal_email = rng.random(n_people) < 0.06

    # Personas and styles (engineers only).
    counts = _largest_remainder(engineers, PERSONA_SHARES)
    persona = rng.permutation(np.repeat(np.arange(len(PERSONAS)), counts))
    style = np.full(engineers, -1, dtype=np.int64)
    inflators = np.flatnonzero(persona == INFLATOR)
    style[inflators] = (np.arange(len(inflators)) + rng.integers(len(STYLES))) % len(STYLES)

    # Employment: a few hires and leavers inside the period, among the ordinary personas, so that
    # every inflator and heavy user is on the roster the whole time.
    hired_day = -rng.integers(30, 8 * 365, size=n_people)
    left_day = np.full(n_people, 10**6, dtype=np.int64)
    ordinary = np.flatnonzero(np.isin(persona, (NON_ADOPTER, GRADUAL_ADOPTER, STEADY_USER)))
    if period.days >= 28 and engineers >= 20:
        movers = rng.permutation(ordinary)
        n_hires = max(1, round(0.05 * engineers))
        n_leavers = max(1, round(0.04 * engineers))
        hires, leavers = movers[:n_hires], movers[n_hires : n_hires + n_leavers]
        hired_day[hires] = rng.integers(7, period.days - 14, size=len(hires))
        left_day[leavers] = rng.integers(14, period.days - 7, size=len(leavers))
    hired_on = [(period.start + timedelta(days=int(day))).isoformat() for day in hired_day]
    left_on = [
        None if day >= 10**6 else (period.start + timedelta(days=int(day))).isoformat() for day in left_day
    ]

    # Loaded cost.
    spread = rng.lognormal(0.0, 0.15, size=n_people)
    role_factor = np.array([{"engineer": 1.0, "manager": 1.3, "sre": 1.1}[role] for role in roles])
    cost_usd = np.round(np.array(TZ_COST_USD)[tz] * spread * role_factor, 2)

    tools, primary_tool = _assign_tools(rng, persona, style)

    # Identity mapping: ~8% of engineers, all of them ordinary personas, have no github, copilot or
    # openai_api row in `identities`; email-based tools still match them by email.
    identity_mapped = np.ones(engineers, dtype=bool)
    n_unmapped = round(0.08 * engineers)
    if n_unmapped:
        identity_mapped[rng.permutation(ordinary)[:n_unmapped]] = False
    claude_alias: list[str | None] = [None] * engineers
    for person in np.flatnonzero(tools[:, CLAUDE_CODE] & identity_mapped & (rng.random(engineers) < 0.06)):
        claude_alias[person] = f"{emails[person].split('@')[0].replace('.', '')}@{ORG}.io"
    openai_keys = [
        f"key-{team_names[team[person]]}-{emails[person].split('@')[0].replace('.', '-')}"
        for person in range(engineers)
    ]

    repos, repo_team, prod_env, staging_env, branch, dependency_bot = _repositories(rng, team_names)
    services, service_team = _services(rng, team_names)

    return Org(
        period=period,
        n_engineers=engineers,
        team_ids=team_ids,
        team_names=team_names_out,
        team_departments=team_department,
        team_tz=team_tz,
        team_manager=team_manager,
        employee_ids=employee_ids,
        emails=emails,
        roster_emails=roster_emails,
        full_names=full_names,
        roles=roles,
        team=team,
        manager=manager,
        tz=tz,
        hired_day=hired_day,
        left_day=left_day,
        hired_on=hired_on,
        left_on=left_on,
        cost_usd=cost_usd,
        logins=logins,
        personal_emails=personal_emails,
        uses_personal_email=uses_personal_email,
        persona=persona,
        style=style,
        tools=tools,
        primary_tool=primary_tool,
        identity_mapped=identity_mapped,
        claude_alias=claude_alias,
        openai_keys=openai_keys,
        repos=repos,
        repo_team=repo_team,
        repo_prod_env=prod_env,
        repo_staging_env=staging_env,
        repo_base_branch=branch,
        repo_dependency_bot=dependency_bot,
        services=services,
        service_team=service_team,
        sre=np.flatnonzero(np.array(roles) == "sre"),
    )


def _assign_tools(
    rng: np.random.Generator, persona: np.ndarray, style: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which tools each engineer uses, and the one they use most for chat and agent work.

    Inflators inflate through their primary tool; agent loops need a tool that runs agents.
    """
    n = len(persona)
    tools = rng.random((n, len(TOOLS))) < np.array(TOOL_SHARES)
    primary = np.full(n, CLAUDE_CODE, dtype=np.int64)
    for person in range(n):
        if persona[person] == NON_ADOPTER:
            tools[person] = False
            tools[person, rng.choice([CLAUDE_CODE, CURSOR, COPILOT, OPENAI_API])] = True
        elif persona[person] == HEAVY_AGENT_USER:
            tools[person, CLAUDE_CODE] = True
            tools[person, INTERNAL_AGENT] = False
        elif persona[person] == INFLATOR:
            if style[person] == AGENT_LOOP:
                choice = CLAUDE_CODE if rng.random() < 0.7 else CURSOR
            else:
                choice = rng.choice([CLAUDE_CODE, CURSOR, OPENAI_API, COPILOT], p=[0.45, 0.3, 0.15, 0.1])
            tools[person, choice] = True
            primary[person] = choice
            continue
        if not tools[person].any():
            tools[person, rng.choice([CLAUDE_CODE, COPILOT])] = True
        for candidate in (CLAUDE_CODE, CURSOR, OPENAI_API, INTERNAL_AGENT, COPILOT):
            if tools[person, candidate]:
                primary[person] = candidate
                break
    # A few engineers always try the internal agent, however small the organisation.
    ordinary = np.flatnonzero(np.isin(persona, (GRADUAL_ADOPTER, STEADY_USER)))
    if not tools[:, INTERNAL_AGENT].any() and len(ordinary):
        tools[rng.permutation(ordinary)[:2], INTERNAL_AGENT] = True
    return tools, primary


def _repositories(
    rng: np.random.Generator, team_names: list[str]
) -> tuple[list[str], np.ndarray, list[str], list[str], list[str], list[str]]:
    repos, owners = [], []
    for team_index, name in enumerate(team_names):
        count = int(rng.integers(1, 4))
        for suffix in rng.choice(_REPO_SUFFIXES, size=count, replace=False):
            repos.append(f"{ORG}/{name}-{suffix}")
            owners.append(team_index)
    n = len(repos)
    prod = list(rng.choice(["production", "prod", "Production", "PROD"], size=n, p=[0.6, 0.25, 0.1, 0.05]))
    staging = list(rng.choice(["staging", "Staging"], size=n, p=[0.85, 0.15]))
    branch = list(rng.choice(["main", "master", "develop"], size=n, p=[0.88, 0.09, 0.03]))
    bot = list(rng.choice(["dependabot[bot]", "renovate[bot]"], size=n, p=[0.7, 0.3]))
    return repos, np.array(owners, dtype=np.int64), prod, staging, branch, bot


def _services(rng: np.random.Generator, team_names: list[str]) -> tuple[list[str], np.ndarray]:
    services, owners = [], []
    for team_index, name in enumerate(team_names):
        for suffix in rng.choice(_SERVICE_SUFFIXES, size=int(rng.integers(1, 3)), replace=False):
            services.append(f"{name}-{suffix}")
            owners.append(team_index)
    return services, np.array(owners, dtype=np.int64)
