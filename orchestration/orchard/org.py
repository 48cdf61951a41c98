"""The roster: departments, teams, engineers and their personas, managers, hires and leavers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from orchestration.orchard.calendar import OFFICES, board_group

DOMAIN = "orchardag.example"
GITHUB_ORG = "orchard-ag"

#: department → (name, weight, offices with weights, tools with adoption odds)
DEPARTMENTS: dict[str, tuple[str, float, dict[str, float], dict[str, float]]] = {
    "firmware": (
        "Embedded & Firmware",
        0.24,
        {"mannheim": 0.5, "moline": 0.2, "pune": 0.18, "curitiba": 0.12},
        {"internal_agent": 0.85, "copilot": 0.6, "claude_code": 0.3},
    ),
    "telematics": (
        "Telematics Cloud",
        0.2,
        {"moline": 0.45, "pune": 0.35, "mannheim": 0.2},
        {"claude_code": 0.8, "copilot": 0.5},
    ),
    "webshop": (
        "Parts & Dealer Web",
        0.17,
        {"moline": 0.3, "pune": 0.5, "leeds": 0.2},
        {"cursor": 0.75, "claude_code": 0.4},
    ),
    "precision": (
        "Precision Ag Data Science",
        0.14,
        {"mannheim": 0.4, "moline": 0.35, "denver": 0.25},
        {"openai_api": 0.8, "claude_code": 0.5, "cursor": 0.2},
    ),
    "field": (
        "Field Support Engineering",
        0.17,
        {"moline": 0.3, "curitiba": 0.3, "adelaide": 0.25, "mannheim": 0.15},
        {"internal_agent": 0.7, "copilot": 0.5, "claude_code": 0.35},
    ),
    "platform": (
        "Internal Platform & IT",
        0.08,
        {"moline": 0.5, "pune": 0.5},
        {"claude_code": 0.7, "copilot": 0.4},
    ),
}

TEAM_TOPICS: dict[str, tuple[str, ...]] = {
    "firmware": ("isobus", "engine-ecu", "cab-display", "hydraulics", "guidance", "ota", "sprayer-ctl"),
    "telematics": ("fleet-ingest", "machine-api", "alerts", "maps-tiles", "edge-sync"),
    "webshop": ("parts-shop", "dealer-portal", "checkout", "catalogue", "warranty-claims"),
    "precision": ("yield-models", "agronomy-insights", "soil-maps", "weather-feeds"),
    "field": ("remote-diagnostics", "field-tools", "service-apps"),
    "platform": ("ci-platform", "identity", "observability"),
}

#: persona → (kind, share of engineers, departments it is restricted to or None)
PERSONAS: dict[str, tuple[str, float, tuple[str, ...] | None]] = {
    "non_adopter": ("ordinary", 0.12, None),
    "light_user": ("ordinary", 0.2, None),
    "steady_user": ("ordinary", 0.23, None),
    "late_adopter": ("ordinary", 0.08, None),
    "power_user": ("legitimate_heavy", 0.04, None),
    "migration_lead": ("legitimate_heavy", 0.02, ("webshop", "telematics", "firmware", "platform")),
    "oncall_responder": ("legitimate_heavy", 0.035, ("telematics", "field", "platform", "webshop")),
    "staff_reviewer": ("legitimate_heavy", 0.025, None),
    "new_hire_learner": ("legitimate_heavy", 0.03, None),
    "release_cruncher": ("legitimate_heavy", 0.03, ("firmware", "webshop", "telematics")),
    "harvest_field_debugger": ("legitimate_heavy", 0.02, ("field",)),
    "batch_agronomist": ("legitimate_heavy", 0.015, ("precision",)),
    "performative_topper": ("inflator", 0.05, None),
    "background_agent_idler": ("inflator", 0.015, None),
    "code_regenerator": ("inflator", 0.012, None),
    "context_stuffer": ("inflator", 0.012, None),
    "premium_defaulter": ("inflator", 0.015, None),
    "prompt_replayer": ("inflator", 0.01, None),
    "throwaway_prototyper": ("inflator", 0.012, None),
    "leaderboard_sprinter": ("inflator", 0.025, None),
}

#: inflator persona → the inflation style its usage carries
STYLES: dict[str, str] = {
    "performative_topper": "performative_topup",
    "background_agent_idler": "idle_background_agents",
    "code_regenerator": "regenerating_written_code",
    "context_stuffer": "whole_codebase_context",
    "premium_defaulter": "premium_model_for_trivia",
    "prompt_replayer": "scripted_prompt_replay",
    "throwaway_prototyper": "throwaway_prototypes",
    "leaderboard_sprinter": "leaderboard_burst",
}

#: Base merged PRs per week by department.
PR_RATE = {
    "firmware": 1.4,
    "telematics": 2.8,
    "webshop": 3.2,
    "precision": 1.6,
    "field": 1.1,
    "platform": 2.4,
}

_FIRST = [
    "Anna",
    "Ben",
    "Carla",
    "Dieter",
    "Emma",
    "Felix",
    "Greta",
    "Hannes",
    "Ines",
    "Jonas",
    "Katrin",
    "Lukas",
    "Mia",
    "Nils",
    "Olga",
    "Paul",
    "Rosa",
    "Sven",
    "Tanja",
    "Uwe",
    "Aarav",
    "Diya",
    "Ishaan",
    "Kavya",
    "Rohan",
    "Sneha",
    "Vikram",
    "Priya",
    "Arjun",
    "Meera",
    "Lucas",
    "Beatriz",
    "Rafael",
    "Camila",
    "Thiago",
    "Juliana",
    "Mateus",
    "Larissa",
    "Jack",
    "Chloe",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Ethan",
    "Grace",
    "Mason",
    "Ruby",
    "Owen",
    "Harper",
    "Caleb",
    "Nora",
    "Wyatt",
    "Hazel",
    "Dylan",
    "Ivy",
    "Logan",
    "Maeve",
    "Tom",
    "Sophie",
    "Oliver",
    "Amelia",
    "Harry",
    "Isla",
    "George",
    "Freya",
]
_LAST = [
    "Schmidt",
    "Becker",
    "Wagner",
    "Hoffmann",
    "Keller",
    "Richter",
    "Vogel",
    "Brandt",
    "Krause",
    "Lehmann",
    "Sharma",
    "Patel",
    "Iyer",
    "Kulkarni",
    "Deshpande",
    "Joshi",
    "Nair",
    "Rao",
    "Silva",
    "Souza",
    "Oliveira",
    "Pereira",
    "Costa",
    "Almeida",
    "Ferreira",
    "Rocha",
    "Johnson",
    "Miller",
    "Anderson",
    "Larson",
    "Olson",
    "Peterson",
    "Nelson",
    "Carlson",
    "Hansen",
    "Baker",
    "Walsh",
    "Murphy",
    "Kelly",
    "Brooks",
    "Reid",
    "Hughes",
    "Evans",
    "Thompson",
    "Clarke",
    "Morgan",
    "Turner",
    "Campbell",
    "Mitchell",
    "Stewart",
    "Hughes",
    "Fraser",
    "Doyle",
    "Byrne",
]


@dataclass
class Team:
    team_id: str
    name: str
    department: str
    topic: str
    manager: int = -1
    members: list[int] = field(default_factory=list)
    repos: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)


@dataclass
class Person:
    index: int
    employee_id: str
    email: str
    full_name: str
    login: str
    team: int
    department: str
    office: str
    zone: str
    role: str
    persona: str
    kind: str
    hire_day: int
    leave_day: int | None
    cost: float
    tools: list[str]
    intensity: float
    pr_rate: float
    #: week index → True when the person is away the whole week
    vacation: set[int] = field(default_factory=set)
    #: persona-specific parameters
    params: dict = field(default_factory=dict)

    @property
    def is_engineer(self) -> bool:
        return self.role != "manager"

    @property
    def group(self) -> str:
        return board_group(self.office)

    def employed_week(self, week: int) -> bool:
        return self.hire_day <= week * 7 + 6 and (self.leave_day is None or self.leave_day >= week * 7)

    def employed_day(self, day: int) -> bool:
        return self.hire_day <= day and (self.leave_day is None or self.leave_day >= day)


def _counts(engineers: int) -> dict[str, int]:
    counts = {name: int(share * engineers) for name, (_, share, _) in PERSONAS.items()}
    if engineers >= 100:
        counts = {name: max(1, count) for name, count in counts.items()}
    counts["steady_user"] += engineers - sum(counts.values())
    if counts["steady_user"] < 0:  # very small organisations: trim the largest groups
        for name in sorted(counts, key=counts.get, reverse=True):
            while counts["steady_user"] < 0 and counts[name] > 1 and name != "steady_user":
                counts[name] -= 1
                counts["steady_user"] += 1
    return counts


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def build_roster(
    rng: random.Random, engineers: int, weeks: int, start: date
) -> tuple[list[Team], list[Person]]:
    counts = _counts(engineers)
    personas = [name for name, count in counts.items() for _ in range(count)]
    rng.shuffle(personas)
    dept_weights = {key: value[1] for key, value in DEPARTMENTS.items()}
    departments = []
    for persona in personas:
        allowed = PERSONAS[persona][2]
        weights = {k: v for k, v in dept_weights.items() if allowed is None or k in allowed}
        departments.append(_pick(rng, weights))

    # Teams of six to eleven engineers per department.
    teams: list[Team] = []
    by_dept: dict[str, list[int]] = {}
    for i, dept in enumerate(departments):
        by_dept.setdefault(dept, []).append(i)
    team_of = [0] * engineers
    for dept in DEPARTMENTS:
        members = by_dept.get(dept, [])
        if not members:
            continue
        n_teams = max(1, round(len(members) / 8.5))
        topics = TEAM_TOPICS[dept]
        for t in range(n_teams):
            topic = topics[t % len(topics)] + ("" if t < len(topics) else f"-{t // len(topics) + 1}")
            teams.append(
                Team(f"T-{dept[:4].upper()}-{t + 1:02d}", f"{DEPARTMENTS[dept][0]}: {topic}", dept, topic)
            )
        first = len(teams) - n_teams
        for j, member in enumerate(members):
            team_of[member] = first + j % n_teams

    people: list[Person] = []
    used_emails: set[str] = set()
    used_logins: set[str] = set()
    ids = rng.sample(range(10_000, 99_999), engineers + len(teams) + 5)
    days = weeks * 7

    def identity(i: int) -> tuple[str, str, str, str]:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        base = f"{first}.{last}".lower()
        email, n = f"{base}@{DOMAIN}", 1
        while email in used_emails:
            n += 1
            email = f"{base}{n}@{DOMAIN}"
        used_emails.add(email)
        login = f"{first[0]}{last}-oag".lower()
        k = 1
        while login in used_logins:
            k += 1
            login = f"{first[0]}{last}{k}-oag".lower()
        used_logins.add(login)
        return f"E{ids[i]}", email, f"{first} {last}", login

    for i, persona in enumerate(personas):
        dept = departments[i]
        team = team_of[i]
        office = _pick(rng, DEPARTMENTS[dept][2])
        employee_id, email, name, login = identity(i)
        kind = PERSONAS[persona][0]
        hire_day = -rng.randint(120, 5000)
        leave_day = None
        if persona == "new_hire_learner":
            hire_day = rng.randint(0, max(0, days - 21)) if days > 28 else 0
            hire_day -= (hire_day - 0) % 7  # they start on a Monday
        elif kind != "legitimate_heavy" and rng.random() < 0.04:
            hire_day = rng.randint(0, max(0, days - 14))
        elif persona in ("non_adopter", "light_user", "steady_user", "late_adopter") and rng.random() < 0.05:
            leave_day = rng.randint(14, max(14, days - 1)) if days > 14 else None
        adopt = DEPARTMENTS[dept][3]
        tools = [tool for tool, odds in adopt.items() if rng.random() < odds]
        if not tools:
            tools = [max(adopt, key=adopt.get)]
        if persona == "batch_agronomist" and "openai_api" not in tools:
            tools.append("openai_api")
        role = (
            "sre"
            if persona == "oncall_responder" or (dept == "platform" and rng.random() < 0.3)
            else "engineer"
        )
        if persona == "staff_reviewer":
            role = "staff_engineer"
        if dept == "precision" and role == "engineer" and rng.random() < 0.6:
            role = "data_scientist"
        person = Person(
            index=i,
            employee_id=employee_id,
            email=email,
            full_name=name,
            login=login,
            team=team,
            department=dept,
            office=office,
            zone=OFFICES[office],
            role=role,
            persona=persona,
            kind=kind,
            hire_day=hire_day,
            leave_day=leave_day,
            cost=round(rng.uniform(95_000, 240_000) * (0.55 if office in ("pune", "curitiba") else 1.0), 2),
            tools=tools,
            intensity=rng.lognormvariate(0.0, 0.3),
            pr_rate=PR_RATE[dept] * rng.lognormvariate(0.0, 0.3),
        )
        # Vacations: one or two whole weeks, northern summer or southern summer by office.
        for _ in range(rng.choice((0, 1, 1, 2))):
            if weeks >= 6:
                person.vacation.add(rng.randrange(weeks))
        people.append(person)
        teams[team].members.append(i)

    for t, team in enumerate(teams):
        employee_id, email, name, login = identity(engineers + t)
        office = people[team.members[0]].office if team.members else "moline"
        manager = Person(
            index=len(people),
            employee_id=employee_id,
            email=email,
            full_name=name,
            login=login,
            team=t,
            department=team.department,
            office=office,
            zone=OFFICES[office],
            role="manager",
            persona="manager",
            kind="manager",
            hire_day=-rng.randint(400, 6000),
            leave_day=None,
            cost=round(rng.uniform(160_000, 280_000), 2),
            tools=["claude_code"] if rng.random() < 0.5 else [],
            intensity=0.5,
            pr_rate=0.1,
        )
        team.manager = manager.index
        people.append(manager)
        slug = team.topic
        team.repos = [f"{GITHUB_ORG}/{slug}"] + ([f"{GITHUB_ORG}/{slug}-tools"] if rng.random() < 0.5 else [])
        if team.department != "firmware" or team.topic == "ota":
            team.services = [slug if team.department != "firmware" else "ota-rollout"]
            if team.department in ("telematics", "field") and rng.random() < 0.6:
                team.services.append(f"{slug}-worker")
    # Unique service names across teams.
    seen: dict[str, int] = {}
    for team in teams:
        renamed = []
        for service in team.services:
            seen[service] = seen.get(service, 0) + 1
            renamed.append(service if seen[service] == 1 else f"{service}-{seen[service]}")
        team.services = renamed
    seen_repo: dict[str, int] = {}
    for team in teams:
        renamed = []
        for repo in team.repos:
            seen_repo[repo] = seen_repo.get(repo, 0) + 1
            renamed.append(repo if seen_repo[repo] == 1 else f"{repo}-{seen_repo[repo]}")
        team.repos = renamed
    return teams, people


def hired_on(start: date, person: Person) -> date:
    return start + timedelta(days=person.hire_day)
