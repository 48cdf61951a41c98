"""Brae Health's people: departments and teams, the roster with hires and leavers, personas, leave."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np

from orchestration.brae.calendar import DEPARTMENTS, OFFICES, Calendar

ORG = "braehealth"
DOMAIN = "braehealth.org"


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    department: int
    weight: float
    repos: tuple[str, ...]
    services: tuple[str, ...]
    role: str = "engineer"


AREAS: tuple[Area, ...] = (
    Area(
        "epr",
        "EPR Integrations",
        0,
        1.4,
        ("epr-adapter", "epr-events", "ward-view"),
        ("epr-adapter", "ward-view-api"),
    ),
    Area(
        "cds",
        "Clinical Decision Support",
        0,
        1.0,
        ("cds-rules", "sepsis-alerts", "news2-scorer"),
        ("cds-engine", "news2-scorer"),
    ),
    Area(
        "pharm",
        "Pharmacy Systems",
        0,
        1.0,
        ("eprescribing", "dispensing-bridge", "dmd-formulary"),
        ("eprescribing-api", "dispensing-bridge"),
    ),
    Area(
        "lab",
        "Laboratory Systems",
        0,
        0.8,
        ("lims-gateway", "results-router"),
        ("lims-gateway", "results-router"),
    ),
    Area(
        "img",
        "Imaging Pipeline",
        0,
        1.0,
        ("pacs-bridge", "dicom-ingest", "radiology-worklist"),
        ("pacs-bridge", "dicom-ingest", "radiology-worklist"),
    ),
    Area(
        "hl7",
        "Integration Engine",
        0,
        1.2,
        ("interface-engine", "fhir-gateway", "hl7-mappings"),
        ("interface-engine", "fhir-gateway"),
    ),
    Area(
        "app",
        "Patient App",
        1,
        1.4,
        ("patient-app-ios", "patient-app-android", "patient-app-bff"),
        ("patient-app-bff", "push-notifications"),
    ),
    Area(
        "sched",
        "Scheduling & Referrals",
        1,
        0.9,
        ("appointments", "e-referrals"),
        ("appointments-api", "e-referrals"),
    ),
    Area(
        "claims",
        "Billing & Claims",
        1,
        1.1,
        ("claims-engine", "tariff-tables", "remittance"),
        ("claims-engine", "remittance-processor"),
    ),
    Area(
        "consent",
        "Identity & Consent",
        1,
        0.7,
        ("patient-identity", "consent-registry"),
        ("patient-identity", "consent-registry"),
    ),
    Area(
        "data",
        "Data Platform",
        2,
        1.3,
        ("lakehouse", "ingest-jobs", "bed-occupancy"),
        ("lakehouse-ingest", "bed-occupancy-pipeline"),
        "data_engineer",
    ),
    Area(
        "analytics",
        "Clinical Analytics",
        2,
        0.9,
        ("quality-dashboards", "waiting-list-models"),
        ("quality-dashboards",),
        "data_engineer",
    ),
    Area(
        "aiplat",
        "AI Platform",
        2,
        0.9,
        ("ai-gateway", "ward-agent", "eval-harness"),
        ("ai-gateway", "ward-agent"),
    ),
    Area(
        "nlp",
        "Clinical NLP",
        2,
        0.6,
        ("discharge-summariser", "clinic-letter-coder"),
        ("discharge-summariser",),
    ),
    Area(
        "term", "Terminology Services", 2, 0.5, ("terminology-server", "snomed-maps"), ("terminology-server",)
    ),
    Area(
        "sre",
        "Site Reliability",
        3,
        1.1,
        ("k8s-platform", "observability", "runbooks"),
        ("k8s-platform", "observability"),
        "sre",
    ),
    Area(
        "sec",
        "Security Engineering",
        3,
        0.8,
        ("siem-rules", "secrets-broker", "access-reviews"),
        ("secrets-broker", "siem"),
        "security_engineer",
    ),
    Area(
        "devplat",
        "Developer Platform",
        3,
        0.8,
        ("ci-templates", "service-catalogue", "build-cache"),
        ("ci-runners", "build-cache"),
    ),
    Area("network", "Network & Devices", 3, 0.6, ("device-fleet", "vpn-config"), ("site-vpn", "device-mdm")),
)

ORDINARY = ("non_user", "tab_completer", "occasional", "regular", "late_adopter")
ORDINARY_SHARE = (0.11, 0.15, 0.26, 0.35, 0.13)
LEGIT = (
    "power_user",
    "migration_lead",
    "oncall_responder",
    "staff_reviewer",
    "new_hire_learner",
    "interface_mapper",
    "validation_author",
    "terminology_curator",
)
STYLES = (
    "leaderboard_topper",
    "snapshot_burster",
    "idle_agent",
    "regenerator",
    "context_stuffer",
    "premium_for_trivia",
    "prompt_replayer",
    "draft_pr_padder",
    "model_fanout",
    "review_churner",
)
STYLE_WEIGHT = (0.27, 0.12, 0.08, 0.08, 0.08, 0.08, 0.07, 0.08, 0.07, 0.07)

# Where each legitimate heavy archetype works: the areas that have that kind of work.
_LEGIT_AREAS = {
    "power_user": None,
    "migration_lead": ("epr", "hl7", "pharm", "lab", "claims", "data", "img"),
    "oncall_responder": ("sre", "network", "devplat"),
    "staff_reviewer": None,
    "new_hire_learner": None,
    "interface_mapper": ("hl7", "epr", "lab", "img"),
    "validation_author": ("cds", "pharm", "lab", "img"),
    "terminology_curator": ("term", "nlp", "pharm"),
}

_NAMES = {
    "edi": (
        "Ailsa Callum Eilidh Fraser Isla Hamish Morag Ruaridh Kirsty Euan Fiona Angus Catriona Duncan Mhairi "
        "Lachlan Shona Alasdair Rona Craig Niamh Stuart Heather Grant Iona Murray Gemma Rory Lorna Calum",
        "Mackenzie Fraser Campbell Stewart Robertson Macleod Murray Paterson Ross Gillespie Cameron Munro "
        "Drummond Buchanan Sinclair Ferguson Henderson Kerr Douglas Maclean Gunn Baird Crawford "
        "Lennox Dunbar",
    ),
    "krk": (
        "Agnieszka Piotr Katarzyna Tomasz Magdalena Michał Joanna Paweł Zofia Krzysztof Aleksandra Marcin "
        "Ewa Jakub Natalia Łukasz Barbara Wojciech Monika Grzegorz Karolina Bartosz Anna Mateusz",
        "Nowak Kowalski Wiśniewska Wójcik Kamińska Lewandowski Zielińska Szymański Woźniak Dąbrowski "
        "Kozłowska Jankowski Mazur Kwiatkowski Krawczyk Piotrowska Grabowski Pawlak Michalska Król",
    ),
    "pnq": (
        "Aarav Ananya Rohan Priya Siddharth Neha Aditya Kavya Vikram Sneha Arjun Pooja Rahul Meera Karan "
        "Ishita Nikhil Shruti Varun Aditi Omkar Tanvi Sahil Gauri Pranav Rutuja",
        "Kulkarni Deshpande Joshi Patil Gokhale Apte Bhide Sharma Iyer Nair Rao Menon Kale Pawar Shinde "
        "Jadhav Agarwal Mehta Chavan Ranade Natu Phadke",
    ),
    "hfx": (
        "Liam Chloe Owen Emma Logan Ava Declan Maeve Nathan Olivia Ryan Hannah Connor Abigail Ethan Sophie "
        "Mason Claire Tyler Megan Caleb Jenna",
        "MacDonald MacNeil Boudreau LeBlanc Comeau Chisholm MacIsaac Landry Doucet Robichaud Cormier "
        "MacKinnon Sampson Fitzgerald Gallant Arsenault MacEachern Walsh",
    ),
    "bne": (
        "Jack Charlotte Lachlan Matilda Cooper Ruby Harrison Zoe Riley Mia Angus Sienna Hamish Grace Flynn "
        "Isabella Archie Chloe Kai Tahlia Oscar Amelia",
        "Nguyen Smith Jones Williams Brown Wilson Taylor Martin Anderson Thompson White Kelly Ryan Walker "
        "Harris Clarke Lee Tran Morgan Hughes",
    ),
}


@dataclass
class Team:
    team_id: str
    name: str
    area: Area
    department: int
    office: int
    repos: list[str]
    services: list[str]
    members: list[int] = field(default_factory=list)
    manager: int = -1


@dataclass
class Org:
    cal: Calendar
    teams: list[Team]
    employee_id: list[str]
    email: list[str]
    login: list[str]
    full_name: list[str]
    role: list[str]
    team: np.ndarray
    office: np.ndarray
    department: np.ndarray
    manager: np.ndarray
    hired_day: np.ndarray
    left_day: np.ndarray
    cost: np.ndarray
    is_engineer: np.ndarray
    persona: list[str]
    kind: list[str]
    #: local working day (employed, weekday or crunch weekend, no holiday, no leave)
    working: np.ndarray
    #: employed on the day, in the person's office's local calendar
    employed: np.ndarray

    @property
    def size(self) -> int:
        return len(self.employee_id)

    def by_persona(self, persona: str) -> np.ndarray:
        return np.array([i for i, p in enumerate(self.persona) if p == persona], dtype=np.int64)


def _ascii(text: str) -> str:
    folded = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode().lower()


def _allocate(total: int, weights: np.ndarray, rng: np.random.Generator, floor: int) -> np.ndarray:
    spare = total - floor * len(weights)
    return floor + rng.multinomial(max(spare, 0), weights / weights.sum())


def build(cal: Calendar, engineers: int, rng: np.random.Generator, rhythm_crunch: np.ndarray) -> Org:
    n_teams = max(len(AREAS), round(engineers / 9.5))
    area_weights = np.array([a.weight for a in AREAS])
    per_area = _allocate(n_teams, area_weights, rng, 1)
    office_share = np.array([o.share for o in OFFICES])
    teams: list[Team] = []
    for a, area in enumerate(AREAS):
        for k in range(int(per_area[a])):
            suffix = "" if k == 0 else f"-{k + 1}"
            teams.append(
                Team(
                    team_id=f"{area.slug}{suffix}",
                    name=area.name if k == 0 else f"{area.name} {k + 1}",
                    area=area,
                    department=area.department,
                    office=int(rng.choice(len(OFFICES), p=office_share)),
                    repos=[f"{ORG}/{repo}{suffix}" for repo in area.repos],
                    services=[f"{service}{suffix}" for service in area.services],
                )
            )
    sizes = _allocate(engineers, rng.lognormal(0, 0.3, len(teams)), rng, 3)
    team_of = np.repeat(np.arange(len(teams)), sizes)
    n_people = engineers + len(teams) + len(DEPARTMENTS)
    team = np.concatenate([team_of, np.arange(len(teams)), np.full(len(DEPARTMENTS), -1)])
    dept_of_team = np.array([t.department for t in teams])
    department = np.where(team >= 0, dept_of_team[np.maximum(team, 0)], 0)
    department[engineers + len(teams) :] = np.arange(len(DEPARTMENTS))
    home = np.array([t.office for t in teams])
    office = np.where(
        rng.random(n_people) < 0.8, home[np.maximum(team, 0)], rng.choice(5, n_people, p=office_share)
    )
    directors = np.arange(engineers + len(teams), n_people)
    office[directors] = 0
    is_engineer = np.zeros(n_people, dtype=bool)
    is_engineer[:engineers] = True

    # Employment: a few hires and leavers inside the period; everyone else was here before and stays.
    days = cal.days
    hired_day = -rng.integers(30, 4000, n_people)
    left_day = np.full(n_people, 10**6)
    eng_order = rng.permutation(engineers)
    n_hires = max(3, round(0.07 * engineers))
    n_leavers = max(2, round(0.05 * engineers))
    hires = eng_order[:n_hires]
    leavers = eng_order[n_hires : n_hires + n_leavers]
    hired_day[hires] = rng.integers(0, max(1, days - 14), n_hires)
    left_day[leavers] = rng.integers(min(14, days - 1), days, n_leavers)
    stable = eng_order[n_hires + n_leavers :]

    # Personas. Legitimate heavy users and inflators are people who are here all period, except the
    # new hires who are learning.
    persona = ["manager"] * n_people
    kind = ["manager"] * n_people
    for d in directors:
        persona[d] = kind[d] = "director"
    area_slug = np.array([teams[t].area.slug if t >= 0 else "" for t in team])
    taken = np.zeros(n_people, dtype=bool)
    taken[engineers:] = True
    legit_each = max(2, round(0.075 * engineers / len(LEGIT)))
    early_hires = [h for h in hires if hired_day[h] <= max(1, days // 2)]
    for name in LEGIT:
        want = legit_each + (legit_each // 2 if name in ("power_user", "oncall_responder") else 0)
        if name == "new_hire_learner":
            pool = np.array(early_hires, dtype=np.int64)
        else:
            allowed = _LEGIT_AREAS[name]
            pool = np.array(
                [i for i in stable if not taken[i] and (allowed is None or area_slug[i] in allowed)],
                dtype=np.int64,
            )
            if len(pool) < want:
                pool = np.array([i for i in stable if not taken[i]], dtype=np.int64)
        chosen = rng.choice(pool, size=min(want, len(pool)), replace=False)
        for i in chosen:
            persona[i], kind[i] = name, "legitimate_heavy"
            taken[i] = True
    n_inflators = max(2 * len(STYLES), round(0.055 * engineers))
    style_counts = np.maximum(2, np.round(np.array(STYLE_WEIGHT) * n_inflators)).astype(int)
    pool = np.array([i for i in stable if not taken[i]], dtype=np.int64)
    chosen = rng.choice(pool, size=min(int(style_counts.sum()), len(pool)), replace=False)
    cursor = 0
    for s, style in enumerate(STYLES):
        for i in chosen[cursor : cursor + style_counts[s]]:
            persona[i], kind[i] = style, "inflator"
            taken[i] = True
        cursor += style_counts[s]
    share = np.array(ORDINARY_SHARE)
    for i in range(engineers):
        if not taken[i]:
            persona[i] = ORDINARY[int(rng.choice(len(ORDINARY), p=share / share.sum()))]
            kind[i] = "ordinary"
    # Nobody hired into the period is still a late adopter of tools they never had before; a new
    # hire who is not one of the heavy learners simply starts with the tools the team uses.
    for h in hires:
        if persona[h] == "late_adopter":
            persona[h] = "regular"

    # Managers: one per team, reporting to their department's director.
    manager = np.full(n_people, -1)
    for t, tm in enumerate(teams):
        tm.manager = engineers + t
        tm.members = [int(i) for i in np.flatnonzero(team_of == t)]
        manager[tm.members] = tm.manager
        manager[tm.manager] = directors[tm.department]

    role = []
    for i in range(n_people):
        if i >= engineers + len(teams):
            role.append("director")
        elif i >= engineers:
            role.append("manager")
        elif persona[i] == "staff_reviewer":
            role.append("staff_engineer")
        elif persona[i] == "oncall_responder":
            role.append("sre")
        else:
            role.append(teams[team[i]].area.role)

    names, emails, logins = _names(office, rng)
    base_cost = np.array([148_000, 96_000, 58_000, 132_000, 138_000])
    cost = np.round(base_cost[office] * rng.lognormal(0, 0.18, n_people), -2)
    cost[engineers:] *= 1.3
    for i in range(engineers):
        if persona[i] == "staff_reviewer":
            cost[i] *= 1.35

    grid = np.arange(days)
    employed = (grid[None, :] >= hired_day[:, None]) & (grid[None, :] <= left_day[:, None])
    working = _working(cal, office, department, employed, rhythm_crunch, rng)
    return Org(
        cal=cal,
        teams=teams,
        employee_id=_employee_ids(n_people, rng),
        email=emails,
        login=logins,
        full_name=names,
        role=role,
        team=team,
        office=office,
        department=department,
        manager=manager,
        hired_day=hired_day,
        left_day=left_day,
        cost=cost,
        is_engineer=is_engineer,
        persona=persona,
        kind=kind,
        working=working,
        employed=employed,
    )


def _employee_ids(n: int, rng: np.random.Generator) -> list[str]:
    numbers = rng.choice(np.arange(10_000, 99_999), size=n, replace=False)
    return [f"BH{int(x):05d}" for x in numbers]


def _names(office: np.ndarray, rng: np.random.Generator) -> tuple[list[str], list[str], list[str]]:
    names, emails, logins = [], [], []
    seen_email: set[str] = set()
    seen_login: set[str] = set()
    for o in office:
        firsts, lasts = (part.split() for part in _NAMES[OFFICES[int(o)].code])
        first, last = firsts[int(rng.integers(len(firsts)))], lasts[int(rng.integers(len(lasts)))]
        names.append(f"{first} {last}")
        local = f"{_ascii(first)}.{_ascii(last)}"
        candidate, k = local, 1
        while candidate in seen_email:
            k += 1
            candidate = f"{local}{k}"
        seen_email.add(candidate)
        emails.append(f"{candidate}@{DOMAIN}")
        style = int(rng.integers(4))
        if style == 0:
            login = f"{_ascii(first)[0]}{_ascii(last)}"
        elif style == 1:
            login = f"{_ascii(first)}-{_ascii(last)}"
        elif style == 2:
            login = f"{_ascii(first)}{_ascii(last)[:3]}{int(rng.integers(10, 99))}"
        else:
            login = f"{_ascii(last)}-bh"
        candidate, k = login, 1
        while candidate in seen_login:
            k += 1
            candidate = f"{login}{k}"
        seen_login.add(candidate)
        logins.append(candidate)
    return names, emails, logins


def _working(
    cal: Calendar,
    office: np.ndarray,
    department: np.ndarray,
    employed: np.ndarray,
    crunch: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Local working days: weekdays without holidays, leave or sickness; some crunch Saturdays."""
    n, days = employed.shape
    weekday = cal.weekday[None, :] < 5
    work = employed & weekday & ~cal.holiday[office]
    month = cal.month()
    # Leave: a few blocks per person, more of them in the local summer and around the year's end.
    season = np.ones((len(OFFICES), days))
    for o, code in enumerate(o.code for o in OFFICES):
        if code in ("edi", "krk", "hfx"):
            season[o, (month == 7) | (month == 8)] = 3.0
        if code == "bne":
            season[o, (month == 12) | (month == 1) | (month == 9)] = 2.5
        if code == "pnq":
            season[o, (month == 10) | (month == 11) | (month == 5)] = 2.0
        season[o, month == 12] = np.maximum(season[o, month == 12], 2.0)
    blocks = rng.poisson(2.4 * days / 182, n)
    for i in range(n):
        if blocks[i] == 0:
            continue
        weights = season[office[i]] / season[office[i]].sum()
        starts = rng.choice(days, size=int(blocks[i]), p=weights)
        lengths = rng.integers(2, 12, int(blocks[i]))
        for s, length in zip(starts, lengths, strict=True):
            work[i, s : s + length] = False
    winter = np.array([d.month in (11, 12, 1, 2, 3) for d in cal.dates])
    sick = rng.random((n, days)) < np.where(winter, 0.022, 0.012)[None, :]
    work &= ~sick
    # Crunch Saturdays: about a quarter of a crunching department puts in a Saturday.
    week = np.arange(days) // 7
    saturday = cal.weekday == 5
    crunch_day = crunch[department][:, week] & saturday[None, :]
    work |= crunch_day & employed & (rng.random((n, days)) < 0.25) & ~cal.holiday[office]
    return work
