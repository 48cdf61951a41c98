"""Fjord's people: business units, teams, the roster, personas and each person's schedule."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np

from orchestration.fjord.calendar import COUNTRY_ZONES, ZONE_INDEX, Calendar

DOMAIN = "fjord.example"

#: Business units: (key, display name, share of engineers, where their people sit).
DEPARTMENTS: tuple[tuple[str, str, float, dict[str, float]], ...] = (
    ("voyages", "Voyages & Booking", 0.22, {"NO": 0.65, "SE": 0.1, "PL": 0.25}),
    ("fleet", "Fleet & Port Operations", 0.15, {"NO": 0.8, "EE": 0.2}),
    ("payments", "Payments & Loyalty", 0.14, {"GB": 0.55, "EE": 0.35, "NO": 0.1}),
    ("platform", "Platform & Reliability", 0.19, {"NO": 0.45, "CA": 0.3, "IN": 0.25}),
    ("digital", "Digital Channels", 0.18, {"PL": 0.6, "NO": 0.25, "CA": 0.15}),
    ("data", "Data & ML", 0.12, {"NO": 0.4, "CA": 0.4, "GB": 0.2}),
)
DEPARTMENT_KEYS = tuple(d[0] for d in DEPARTMENTS)

ORDINARY = "ordinary"
HEAVY = "legitimate_heavy"
INFLATOR = "inflator"

#: persona -> (kind, share of engineers, inflation style or None)
PERSONAS: dict[str, tuple[str, float, str | None]] = {
    "non_adopter": (ORDINARY, 0.09, None),
    "light_user": (ORDINARY, 0.16, None),
    "steady_user": (ORDINARY, 0.27, None),
    "autocomplete_only": (ORDINARY, 0.07, None),
    "late_adopter": (ORDINARY, 0.09, None),
    "power_user": (HEAVY, 0.035, None),
    "migration_lead": (HEAVY, 0.013, None),
    "oncall_responder": (HEAVY, 0.02, None),
    "staff_reviewer": (HEAVY, 0.015, None),
    "new_hire_learner": (HEAVY, 0.015, None),
    "eval_harness_owner": (HEAVY, 0.008, None),
    "localisation_engineer": (HEAVY, 0.007, None),
    "performative_topper": (INFLATOR, 0.05, "performative_topup"),
    "leaderboard_climber": (INFLATOR, 0.022, "leaderboard_burst"),
    "agent_idler": (INFLATOR, 0.014, "background_agents"),
    "regenerator": (INFLATOR, 0.012, "regenerate_existing"),
    "context_dumper": (INFLATOR, 0.012, "context_stuffing"),
    "premium_defaulter": (INFLATOR, 0.014, "premium_for_trivial"),
    "replay_scripter": (INFLATOR, 0.009, "prompt_replay"),
    "prototype_churner": (INFLATOR, 0.012, "throwaway_prototypes"),
}
STYLES = tuple(style for _, _, style in PERSONAS.values() if style is not None)

_FIRST = {
    "NO": [
        "Kari",
        "Ola",
        "Ingrid",
        "Lars",
        "Solveig",
        "Håkon",
        "Sigrid",
        "Eirik",
        "Marit",
        "Øystein",
        "Astrid",
        "Bjørn",
        "Silje",
        "Torbjørn",
        "Hanne",
        "Vegard",
        "Ragnhild",
        "Jørgen",
        "Tuva",
        "Aksel",
        "Maren",
        "Sindre",
        "Live",
        "Espen",
    ],
    "SE": [
        "Elin",
        "Johan",
        "Frida",
        "Oskar",
        "Maja",
        "Anders",
        "Linnea",
        "Erik",
        "Saga",
        "Gustav",
        "Ebba",
        "Nils",
    ],
    "GB": [
        "Olivia",
        "George",
        "Amelia",
        "Harry",
        "Isla",
        "Jack",
        "Sophie",
        "Oliver",
        "Priya",
        "Callum",
        "Zara",
        "Rhys",
    ],
    "EE": [
        "Kadri",
        "Mart",
        "Liis",
        "Rasmus",
        "Triin",
        "Andres",
        "Kertu",
        "Priit",
        "Marju",
        "Siim",
        "Helen",
        "Tõnu",
    ],
    "PL": [
        "Agnieszka",
        "Piotr",
        "Zofia",
        "Krzysztof",
        "Małgorzata",
        "Tomasz",
        "Katarzyna",
        "Paweł",
        "Joanna",
        "Michał",
        "Ewa",
        "Łukasz",
        "Natalia",
        "Grzegorz",
    ],
    "CA": [
        "Emily",
        "Liam",
        "Chloé",
        "Noah",
        "Aisha",
        "Ethan",
        "Mei",
        "Lucas",
        "Hannah",
        "Mathieu",
        "Sarah",
        "Owen",
        "Amara",
        "Félix",
    ],
    "IN": [
        "Aarav",
        "Ananya",
        "Rohan",
        "Priyanka",
        "Vikram",
        "Kavya",
        "Arjun",
        "Meera",
        "Siddharth",
        "Divya",
        "Karthik",
        "Nisha",
    ],
}
_LAST = {
    "NO": [
        "Nordmann",
        "Hansen",
        "Johansen",
        "Olsen",
        "Larsen",
        "Andersen",
        "Pedersen",
        "Nilsen",
        "Kristiansen",
        "Jensen",
        "Berg",
        "Haugen",
        "Hagen",
        "Solberg",
        "Bakken",
        "Strand",
        "Lunde",
        "Dahl",
        "Sæther",
        "Aasen",
        "Økland",
        "Fjeldstad",
    ],
    "SE": [
        "Lindqvist",
        "Andersson",
        "Johansson",
        "Karlsson",
        "Nilsson",
        "Eriksson",
        "Larsson",
        "Olsson",
        "Persson",
        "Svensson",
        "Berglund",
        "Sjöberg",
    ],
    "GB": [
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Williams",
        "Wilson",
        "Evans",
        "Thomas",
        "Patel",
        "Walker",
        "Wright",
        "Hughes",
        "Clarke",
    ],
    "EE": [
        "Tamm",
        "Saar",
        "Sepp",
        "Mägi",
        "Kask",
        "Kukk",
        "Rebane",
        "Ilves",
        "Pärn",
        "Koppel",
        "Oja",
        "Lepik",
    ],
    "PL": [
        "Nowak",
        "Kowalski",
        "Wiśniewski",
        "Wójcik",
        "Kowalczyk",
        "Kamiński",
        "Lewandowski",
        "Zieliński",
        "Szymański",
        "Woźniak",
        "Dąbrowski",
        "Kozłowski",
    ],
    "CA": [
        "Tremblay",
        "Gagnon",
        "Roy",
        "Côté",
        "Bouchard",
        "MacDonald",
        "Campbell",
        "Wong",
        "Singh",
        "Martin",
        "Leblanc",
        "Fraser",
        "Chen",
    ],
    "IN": [
        "Sharma",
        "Iyer",
        "Reddy",
        "Nair",
        "Gupta",
        "Rao",
        "Menon",
        "Krishnan",
        "Bhat",
        "Pillai",
        "Kulkarni",
        "Joshi",
    ],
}
_SALARY = {
    "NO": 152_000,
    "SE": 138_000,
    "GB": 146_000,
    "EE": 88_000,
    "PL": 84_000,
    "CA": 158_000,
    "IN": 58_000,
}
_TEAM_WORDS = {
    "voyages": [
        "Timetables",
        "Booking",
        "Fares",
        "Seatmap",
        "Checkin",
        "Itinerary",
        "Cabins",
        "Groups",
        "Agents",
        "Rebooking",
    ],
    "fleet": ["Vessels", "Bunkering", "Crew", "Berths", "Cargo", "Telemetry", "Maintenance", "Ports"],
    "payments": ["Checkout", "Refunds", "Loyalty", "Ledger", "Fraud", "Invoicing", "Wallet"],
    "platform": [
        "Runtime",
        "Edge",
        "Datastores",
        "Identity",
        "Observability",
        "Delivery",
        "Network",
        "Cloud",
    ],
    "digital": ["Web", "App", "Android", "iOS", "Design", "Content", "Search", "Notifications"],
    "data": ["Forecasting", "Pricing", "Insights", "Lakehouse", "Assistant", "Recommendations"],
}
_SRE_WORDS = ["Harbour", "Lighthouse", "Breakwater", "Anchor", "Beacon", "Pilot"]
_REPO_WORDS = [
    "api",
    "service",
    "web",
    "worker",
    "lib",
    "jobs",
    "app",
    "gateway",
    "sdk",
    "pipelines",
    "schemas",
    "infra",
]


def ascii_slug(text: str) -> str:
    table = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ł": "l", "Ł": "L", "ß": "ss"})
    text = unicodedata.normalize("NFKD", text.translate(table))
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in " -")).lower()


@dataclass
class Team:
    idx: int
    team_id: str
    name: str
    department: str
    country: str
    is_sre: bool = False
    manager: int = -1
    members: list[int] = field(default_factory=list)
    repos: list[int] = field(default_factory=list)
    services: list[int] = field(default_factory=list)


@dataclass
class Person:
    idx: int
    employee_id: str
    full_name: str
    email: str
    login: str
    team: int
    department: str
    country: str
    zone: str
    role: str
    persona: str
    kind: str
    style: str | None
    hired_day: int  # period day (negative = before the period)
    left_day: int | None  # last employed period day
    annual_cost: float
    is_manager: bool = False
    manager_employee_id: str | None = None
    # working pattern
    work_start: float = 9.0  # local hour
    work_hours: float = 8.5
    intensity: float = 1.0
    capacity: float = 2.0  # merged PRs per full week, before AI and persona factors
    vacation_weeks: set[int] = field(default_factory=set)
    days_off: set[int] = field(default_factory=set)
    # tools
    has_cursor: bool = False
    has_claude: bool = True
    api_key: str | None = None
    agent_tool: str = "claude_code"
    chat_tool: str = "copilot"
    tab_tool: str | None = "copilot"
    # persona schedule
    adopt_week: int | None = None
    window: tuple[int, int] | None = None  # migration window (weeks, inclusive-exclusive)
    planned_inflation: set[int] = field(default_factory=set)
    base_level: str = "steady"

    @property
    def zone_idx(self) -> int:
        return ZONE_INDEX[self.zone]

    @property
    def is_engineer(self) -> bool:
        return not self.is_manager

    def employed_on(self, day: int) -> bool:
        return self.hired_day <= day and (self.left_day is None or day <= self.left_day)

    def employed_week(self, week: int) -> bool:
        return self.hired_day <= 7 * week + 6 and (self.left_day is None or self.left_day >= 7 * week)


@dataclass
class Repo:
    idx: int
    name: str
    team: int
    deploys: bool
    next_pr: int


@dataclass
class Service:
    idx: int
    name: str
    team: int
    repo: int
    weekly_incidents: float


@dataclass
class Org:
    people: list[Person]
    teams: list[Team]
    repos: list[Repo]
    services: list[Service]

    @property
    def engineers(self) -> list[Person]:
        return [p for p in self.people if p.is_engineer]


def persona_counts(engineers: int) -> dict[str, int]:
    """How many engineers of each persona: every persona at least once when the organisation is big enough."""
    counts = {name: int(share * engineers) for name, (_, share, _) in PERSONAS.items()}
    if engineers >= 2 * len(PERSONAS):
        counts = {name: max(1, n) for name, n in counts.items()}
    if counts["oncall_responder"] == 1 and engineers >= 60:
        counts["oncall_responder"] = 2
    rest = engineers - sum(counts.values())
    counts["steady_user"] += rest
    while counts["steady_user"] < 0:
        largest = max((n, name) for name, n in counts.items() if name != "steady_user")[1]
        counts[largest] -= 1
        counts["steady_user"] += 1
    return counts


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def build_org(rng: np.random.Generator, engineers: int, cal: Calendar) -> Org:
    counts = persona_counts(engineers)
    personas = [name for name, n in counts.items() for _ in range(n)]
    rng.shuffle(personas)

    # Teams: the SRE teams in Platform, then product teams per business unit.
    teams: list[Team] = []
    n_sre = counts["oncall_responder"]
    sre_teams = max(1, int(np.ceil(n_sre / 5))) if n_sre else 0
    for i in range(sre_teams):
        word = _SRE_WORDS[i % len(_SRE_WORDS)] + (
            "" if i < len(_SRE_WORDS) else f" {i // len(_SRE_WORDS) + 1}"
        )
        teams.append(Team(len(teams), f"T{len(teams) + 1:03d}", f"{word} SRE", "platform", "NO", is_sre=True))
    others = engineers - n_sre
    n_product = max(2, round(others / 8) if others >= 6 * len(DEPARTMENTS) else round(others / 7))
    shares = np.array([d[2] for d in DEPARTMENTS])
    per_dept = np.maximum(1, np.floor(shares / shares.sum() * n_product)).astype(int)
    if n_product < len(DEPARTMENTS):
        per_dept[:] = 0
        per_dept[np.argsort(-shares, kind="stable")[:n_product]] = 1
    for d_i, (key, _name, _share, where) in enumerate(DEPARTMENTS):
        words = _TEAM_WORDS[key]
        for j in range(per_dept[d_i]):
            word = words[j % len(words)] + ("" if j < len(words) else f" {j // len(words) + 1}")
            teams.append(Team(len(teams), f"T{len(teams) + 1:03d}", word, key, _pick(rng, where)))
    product = [t for t in teams if not t.is_sre]
    by_dept: dict[str, list[Team]] = {}
    for t in product:
        by_dept.setdefault(t.department, []).append(t)

    # Place engineers: constrained personas first, then every product team gets one, then the rest.
    placement: list[int] = [-1] * len(personas)
    sre_iter = iter([t for t in teams if t.is_sre for _ in range(5)])
    fill: list[int] = []
    for i, persona in enumerate(personas):
        if persona == "oncall_responder":
            placement[i] = next(sre_iter).idx
        elif persona == "eval_harness_owner" and "data" in by_dept:
            placement[i] = by_dept["data"][int(rng.integers(len(by_dept["data"])))].idx
        elif persona == "localisation_engineer" and ("digital" in by_dept or "voyages" in by_dept):
            pool = by_dept.get("digital", []) + by_dept.get("voyages", [])
            placement[i] = pool[int(rng.integers(len(pool)))].idx
        else:
            fill.append(i)
    for t, i in zip(product, fill, strict=False):
        placement[i] = t.idx
    weights = np.array(
        [dict((d[0], d[2]) for d in DEPARTMENTS)[t.department] / len(by_dept[t.department]) for t in product]
    )
    weights *= rng.uniform(0.6, 1.4, len(product))
    for i in fill[len(product) :]:
        placement[i] = product[int(rng.choice(len(product), p=weights / weights.sum()))].idx

    people: list[Person] = []
    used_emails: set[str] = set()
    used_logins: set[str] = set()

    def identity(country: str) -> tuple[str, str, str]:
        first = _FIRST[country][int(rng.integers(len(_FIRST[country])))]
        last = _LAST[country][int(rng.integers(len(_LAST[country])))]
        full = f"{first} {last}"
        f_slug, l_slug = ascii_slug(first).replace(" ", ""), ascii_slug(last).replace(" ", "")
        base = f"{f_slug}.{l_slug}"
        email, n = f"{base}@{DOMAIN}", 2
        while email in used_emails:
            email, n = f"{base}{n}@{DOMAIN}", n + 1
        used_emails.add(email)
        style = int(rng.integers(4))
        stem = [
            f"{f_slug}{l_slug[0]}",
            f"{f_slug[0]}{l_slug}",
            f"{f_slug}-{l_slug}",
            f"{l_slug}{f_slug[:2]}",
        ][style]
        login, n = stem, 2
        while login in used_logins:
            login, n = f"{stem}{n}", n + 1
        used_logins.add(login)
        return full, email, login

    for i, persona in enumerate(personas):
        team = teams[placement[i]]
        kind, _share, style = PERSONAS[persona]
        dept_where = next(d[3] for d in DEPARTMENTS if d[0] == team.department)
        if team.is_sre:
            country = "NO" if rng.random() < 0.6 else "CA"
        else:
            country = team.country if rng.random() < 0.8 else _pick(rng, dept_where)
        zones = COUNTRY_ZONES[country]
        zone = zones[0] if len(zones) == 1 or rng.random() < 0.75 else zones[1]
        full, email, login = identity(country)
        if persona == "oncall_responder":
            role = "sre"
        elif persona == "staff_reviewer" or rng.random() < 0.03:
            role = "staff_engineer"
        else:
            role = "engineer"
        level = {"staff_engineer": 1.35, "sre": 1.1}.get(role, float(rng.uniform(0.8, 1.15)))
        p = Person(
            idx=len(people),
            employee_id="",
            full_name=full,
            email=email,
            login=login,
            team=team.idx,
            department=team.department,
            country=country,
            zone=zone,
            role=role,
            persona=persona,
            kind=kind,
            style=style,
            hired_day=-int(rng.integers(60, 4000)),
            left_day=None,
            annual_cost=round(_SALARY[country] * level * float(rng.uniform(0.9, 1.12)), -2),
        )
        people.append(p)
        team.members.append(p.idx)

    _employment(rng, people, cal)
    for p in people:
        _working_pattern(rng, p, cal)
        _tools(rng, p)
        _schedule(rng, p, cal)

    # Managers: one per team, one director per business unit.
    directors: dict[str, int] = {}
    for key in DEPARTMENT_KEYS:
        if not any(t.department == key for t in teams):
            continue
        where = next(d[3] for d in DEPARTMENTS if d[0] == key)
        directors[key] = _manager(rng, people, cal, identity, teams[0].idx, key, _pick(rng, where))
    for t in teams:
        country = "NO" if t.is_sre else t.country
        m = _manager(rng, people, cal, identity, t.idx, t.department, country)
        t.manager = m
        people[m].team = t.idx
    for key, d in directors.items():
        people[d].team = next(t.idx for t in teams if t.department == key)

    # Stable employee ids: shuffled so that ids say nothing about persona or team.
    order = rng.permutation(len(people))
    for rank, i in enumerate(order):
        people[i].employee_id = f"FJ{10_000 + 37 * rank + int(rng.integers(0, 37)):06d}"
    _manager_links = {t.idx: t.manager for t in teams}
    for p in people:
        if not p.is_manager:
            p.manager_employee_id = people[_manager_links[p.team]].employee_id
        elif p.idx != directors.get(p.department):
            p.manager_employee_id = people[directors[p.department]].employee_id

    repos, services = _ownership(rng, teams)
    return Org(people=people, teams=teams, repos=repos, services=services)


def _manager(rng, people, cal, identity, team_idx, department, country) -> int:
    full, email, login = identity(country)
    zone = COUNTRY_ZONES[country][0]
    p = Person(
        idx=len(people),
        employee_id="",
        full_name=full,
        email=email,
        login=login,
        team=team_idx,
        department=department,
        country=country,
        zone=zone,
        role="manager",
        persona="manager",
        kind="manager",
        style=None,
        hired_day=-int(rng.integers(200, 5000)),
        left_day=None,
        annual_cost=round(_SALARY[country] * 1.45 * float(rng.uniform(0.92, 1.1)), -2),
        is_manager=True,
    )
    p.base_level = "manager" if rng.random() < 0.55 else "none"
    _working_pattern(rng, p, cal)
    _tools(rng, p)
    people.append(p)
    return p.idx


def _employment(rng: np.random.Generator, people: list[Person], cal: Calendar) -> None:
    """New hires (the learners, plus a share of everyone else), and leavers."""
    days = cal.days
    for p in people:
        if p.persona == "new_hire_learner":
            p.hired_day = int(rng.integers(-21, max(1, int(0.6 * days))))
        elif p.kind != HEAVY and rng.random() < 0.05 and days >= 21:
            p.hired_day = int(rng.integers(7, days - 7))
        if p.hired_day > 0:
            p.hired_day -= cal.date_of(p.hired_day).weekday()  # people start on a Monday
        if p.persona not in ("new_hire_learner", "oncall_responder") and rng.random() < 0.05 and days >= 21:
            left = int(rng.integers(14, days - 1))
            if left > p.hired_day + 28:
                p.left_day = left


def _working_pattern(rng: np.random.Generator, p: Person, cal: Calendar) -> None:
    if rng.random() < 0.08:
        p.work_start = float(rng.uniform(10.5, 13.0))
        p.work_hours = float(rng.uniform(8.0, 9.5))
    else:
        p.work_start = float(np.clip(rng.normal(8.6, 0.7), 7.0, 10.5))
        p.work_hours = float(rng.uniform(7.8, 9.0))
    p.intensity = float(rng.lognormal(0.0, 0.45))
    p.capacity = float(rng.lognormal(np.log(2.1), 0.38))
    if p.role == "staff_engineer":
        p.capacity *= 0.8
    # Summer: most of Norway takes three weeks of fellesferie in July; others two weeks.
    week_iso = [
        (cal.start.toordinal() + 7 * w, (cal.date_of(7 * w)).isocalendar().week) for w in range(cal.weeks)
    ]
    summer = [w for w, (_, iso) in enumerate(week_iso) if 27 <= iso <= 33]
    if summer:
        if p.country == "NO" and rng.random() < 0.82:
            first_iso = int(rng.choice([27, 28, 28, 28, 29]))
            p.vacation_weeks |= {w for w, (_, iso) in enumerate(week_iso) if first_iso <= iso < first_iso + 3}
        elif rng.random() < 0.75:
            first_iso = int(rng.integers(27, 33))
            p.vacation_weeks |= {w for w, (_, iso) in enumerate(week_iso) if first_iso <= iso < first_iso + 2}
    if cal.weeks >= 8 and rng.random() < 0.45:
        p.vacation_weeks.add(int(rng.integers(cal.weeks)))
    for _ in range(int(rng.poisson(0.12 * cal.weeks))):
        day = int(rng.integers(cal.days))
        if cal.date_of(day).weekday() in (0, 4):
            p.days_off.add(day)


def _tools(rng: np.random.Generator, p: Person) -> None:
    p.has_cursor = rng.random() < (0.7 if p.department == "digital" else 0.25)
    p.has_claude = rng.random() < 0.88 or p.kind != ORDINARY
    wants_key = {"eval_harness_owner", "localisation_engineer", "context_dumper"}
    if p.persona in wants_key or rng.random() < (0.75 if p.department == "data" else 0.08):
        suffix = {"eval_harness_owner": "evals", "localisation_engineer": "l10n-batch"}.get(p.persona, "dev")
        p.api_key = f"{p.login}-{suffix}"
    if p.persona == "replay_scripter" and rng.random() < 0.6 and p.api_key is None:
        p.api_key = f"{p.login}-dev"
    agent = {
        "claude_code": 0.6 if p.has_claude else 0.0,
        "cursor": 0.3 if p.has_cursor else 0.0,
        "copilot": 0.1,
    }
    chat = {
        "claude_code": 0.35 if p.has_claude else 0.0,
        "cursor": 0.25 if p.has_cursor else 0.0,
        "copilot": 0.4,
    }
    p.agent_tool = _pick(rng, agent)
    p.chat_tool = _pick(rng, chat)
    p.tab_tool = "cursor" if p.has_cursor and rng.random() < 0.8 else "copilot"


def _schedule(rng: np.random.Generator, p: Person, cal: Calendar) -> None:
    """Persona-specific weeks: adoption, migration window, and the weeks an inflator inflates."""
    weeks = cal.weeks
    employed = [w for w in range(weeks) if p.employed_week(w)]
    if not employed:
        return
    if p.persona == "late_adopter":
        p.adopt_week = int(rng.integers(max(1, int(0.15 * weeks)), max(2, int(0.8 * weeks))))
    if p.persona == "migration_lead":
        length = int(rng.integers(3, 9)) if weeks >= 10 else max(1, weeks // 2)
        first = int(rng.integers(0, max(1, weeks - length + 1)))
        p.window = (first, first + length)
    level = {
        "performative_topper": ("light", 0.55),
        "leaderboard_climber": ("steady", 0.7),
        "agent_idler": ("light", 0.5),
        "regenerator": ("steady", 0.75),
        "context_dumper": ("light", 0.5),
        "premium_defaulter": ("steady", 0.7),
        "replay_scripter": ("light", 0.7),
        "prototype_churner": ("steady", 0.8),
    }
    if p.kind == INFLATOR:
        first, share = level[p.persona]
        p.base_level = first if rng.random() < share else ("steady" if first == "light" else "light")
    elif p.persona in ("light_user",):
        p.base_level = "light"
    if p.kind != INFLATOR:
        return
    lo, hi = employed[0], employed[-1] + 1
    onset = lo if rng.random() < 0.55 else int(rng.integers(lo, max(lo + 1, lo + (hi - lo) // 2)))
    span = list(range(onset, hi))
    style = p.style
    planned: set[int] = set()
    if style == "performative_topup":
        stop = hi if rng.random() < 0.75 else int(rng.integers(onset + 1, hi + 1))
        planned = {w for w in range(onset, stop) if rng.random() < 0.92}
    elif style == "leaderboard_burst":
        keen = float(rng.uniform(0.55, 0.95))
        snaps = {s.week for s in cal.snapshots_for(p.department)}
        planned = {w for w in span if w in snaps and rng.random() < keen}
    elif style == "background_agents":
        if rng.random() < 0.3:
            planned = set(span)
        else:
            for _ in range(int(rng.integers(1, 4))):
                a = int(rng.integers(lo, hi))
                planned |= set(range(a, min(hi, a + int(rng.integers(1, 6)))))
    elif style == "regenerate_existing":
        share = float(rng.uniform(0.3, 0.7))
        planned = {w for w in span if rng.random() < share}
    elif style == "context_stuffing":
        share = float(rng.uniform(0.5, 1.0))
        planned = {w for w in span if rng.random() < share}
    elif style == "premium_for_trivial":
        planned = set(span)
    elif style == "prompt_replay":
        a = int(rng.integers(lo, hi))
        planned = set(range(a, hi if rng.random() < 0.35 else min(hi, a + int(rng.integers(2, 11)))))
    elif style == "throwaway_prototypes":
        for _ in range(int(rng.integers(1, 4))):
            a = int(rng.integers(lo, hi))
            planned |= set(range(a, min(hi, a + int(rng.integers(1, 4)))))
    if style != "background_agents":
        planned -= p.vacation_weeks
    if not planned:
        candidates = [w for w in span if w not in p.vacation_weeks] or span
        if style == "leaderboard_burst":
            snaps = {s.week for s in cal.snapshots_for(p.department)}
            candidates = [w for w in candidates if w in snaps] or candidates
        planned = {int(rng.choice(candidates))}
    p.planned_inflation = planned


def _ownership(rng: np.random.Generator, teams: list[Team]) -> tuple[list[Repo], list[Service]]:
    repos: list[Repo] = []
    services: list[Service] = []
    taken: set[str] = set()

    def unique(name: str) -> str:
        stem, n = name, 2
        while name in taken:
            name, n = f"{stem}-{n}", n + 1
        taken.add(name)
        return name

    for t in teams:
        slug = ascii_slug(t.name).replace(" ", "-")
        n_repos = 1 + int(rng.integers(0, 3))
        words = list(rng.permutation(_REPO_WORDS))
        for j in range(n_repos):
            name = unique(f"fjord/{slug}-{words[j]}")
            deploys = words[j] not in ("lib", "sdk", "schemas")
            repos.append(Repo(len(repos), name, t.idx, deploys, int(rng.integers(40, 4000))))
            t.repos.append(repos[-1].idx)
        deployable = [r for r in t.repos if repos[r].deploys] or t.repos[:1]
        n_services = (int(rng.integers(4, 8)) if t.is_sre else int(rng.integers(1, 3))) if deployable else 0
        for j in range(n_services):
            stem = (
                slug
                if not t.is_sre
                else ["edge-proxy", "pg-fleet", "kafka", "auth", "dns", "k8s", "vault"][j]
            )
            name = unique(f"{stem}-{['svc', 'api', 'worker', 'cron', 'gateway', 'stream', 'store'][j]}")
            rate = float(rng.uniform(0.8, 1.8)) if t.is_sre else float(rng.uniform(0.05, 0.25))
            services.append(Service(len(services), name, t.idx, deployable[j % len(deployable)], rate))
            t.services.append(services[-1].idx)
    return repos, services


def workdays(p: Person, cal: Calendar, week: int) -> list[int]:
    """The period days of `week` that `p` works: employed, a weekday, no holiday, no vacation."""
    if week in p.vacation_weeks:
        return []
    holiday = cal.holiday_mask(p.country)
    return [
        d
        for d in range(7 * week, 7 * week + 5)
        if p.employed_on(d) and not holiday[d] and d not in p.days_off
    ]


def ai_active(p: Person, week: int) -> bool:
    """Whether `p` uses AI tools at all in `week`."""
    if p.is_manager:
        return p.base_level == "manager"
    if p.persona == "non_adopter":
        return False
    if p.persona == "late_adopter":
        return p.adopt_week is not None and week >= p.adopt_week
    return True


def on_call_rotation(org: Org, cal: Calendar) -> np.ndarray:
    """Primary on-call per team and week (-1: nobody): a weekly rotation that skips people who are away."""
    rota = np.full((len(org.teams), cal.weeks), -1, dtype=np.int64)
    for t in org.teams:
        members = sorted(t.members, key=lambda i: org.people[i].employee_id)
        if not members:
            continue
        turn = t.idx % len(members)
        for w in range(cal.weeks):
            for k in range(len(members)):
                p = org.people[members[(turn + k) % len(members)]]
                if p.employed_week(w) and w not in p.vacation_weeks and p.hired_day <= 7 * w - 28:
                    rota[t.idx, w] = p.idx
                    turn = (turn + k + 1) % len(members)
                    break
    return rota
