"""Quay Logistics' offices, departments, teams, roster and calendar."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np

DOMAIN = "quaylogistics.com"
GITHUB_ORG = "quay-logistics"


@dataclass(frozen=True)
class Office:
    code: str
    city: str
    tz: str
    #: Public holidays as MM-DD (the office's calendar for the year in question).
    holidays: tuple[str, ...]
    #: Months in which people here take their long leave, most popular first.
    leave_months: tuple[int, ...]
    names: str
    loaded_cost_usd: float


OFFICES: tuple[Office, ...] = (
    Office(
        "rtm",
        "Rotterdam",
        "Europe/Amsterdam",
        ("01-01", "04-03", "04-06", "04-27", "05-05", "05-14", "05-25", "12-25", "12-26"),
        (7, 8, 5, 10, 12),
        "dutch",
        148_000,
    ),
    Office(
        "gdn",
        "Gdańsk",
        "Europe/Warsaw",
        ("01-01", "01-06", "04-06", "05-01", "05-03", "06-04", "08-15", "11-11", "12-24", "12-25", "12-26"),
        (7, 8, 6, 5),
        "polish",
        98_000,
    ),
    Office(
        "ssz",
        "Santos",
        "America/Sao_Paulo",
        (
            "01-01",
            "01-26",
            "02-16",
            "02-17",
            "04-03",
            "04-21",
            "05-01",
            "06-04",
            "09-07",
            "10-12",
            "11-02",
            "11-20",
            "12-25",
        ),
        (1, 7, 12, 2),
        "brazilian",
        72_000,
    ),
    Office(
        "pus",
        "Busan",
        "Asia/Seoul",
        (
            "01-01",
            "02-16",
            "02-17",
            "02-18",
            "03-02",
            "05-05",
            "05-25",
            "06-03",
            "08-17",
            "09-24",
            "09-25",
            "09-26",
            "10-05",
            "10-09",
            "12-25",
        ),
        (8, 7, 9, 10),
        "korean",
        108_000,
    ),
    Office(
        "lax",
        "Los Angeles",
        "America/Los_Angeles",
        ("01-01", "01-19", "02-16", "05-25", "06-19", "07-03", "09-07", "11-26", "11-27", "12-25"),
        (7, 8, 6, 12),
        "american",
        232_000,
    ),
    Office(
        "dxb",
        "Dubai",
        "Asia/Dubai",
        ("01-01", "03-19", "03-20", "05-26", "05-27", "05-28", "06-16", "08-25", "12-02", "12-03"),
        (7, 8, 6, 3),
        "gulf",
        138_000,
    ),
)
OFFICE_INDEX = {office.code: i for i, office in enumerate(OFFICES)}


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(","))


#: First names and family names by office.
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "dutch": (
        _names(
            "Daan, Sanne, Ruben, Femke, Joost, Lotte, Thijs, Anouk, Bram, Eva, Maarten, Iris, Sem, Noor, "
            "Wouter, Fleur, Jeroen, Marloes, Koen, Yara"
        ),
        _names(
            "de Vries, Jansen, Bakker, Visser, Smit, Meijer, de Boer, Mulder, Bos, Vos, Peters, Hendriks, "
            "van Dijk, Dekker, Brouwer, Kok, Verhoeven, El Amrani"
        ),
    ),
    "polish": (
        _names(
            "Jakub, Zofia, Piotr, Anna, Tomasz, Kasia, Michał, Agnieszka, Paweł, Magda, Krzysztof, Ola, "
            "Marcin, Ewa, Łukasz, Natalia"
        ),
        _names(
            "Nowak, Kowalski, Wiśniewska, Wójcik, Kamiński, Lewandowska, Zieliński, Szymańska, Dąbrowski, "
            "Kozłowska, Jankowski, Mazur, Krawczyk"
        ),
    ),
    "brazilian": (
        _names(
            "João, Ana, Lucas, Beatriz, Rafael, Camila, Thiago, Larissa, Gustavo, Fernanda, Bruno, Juliana, "
            "Felipe, Mariana, Caio, Letícia"
        ),
        _names(
            "Silva, Santos, Oliveira, Souza, Pereira, Costa, Rodrigues, Almeida, Nascimento, Lima, Araújo, "
            "Fernandes, Carvalho, Gomes, Ribeiro"
        ),
    ),
    "korean": (
        _names(
            "Minjun, Seoyeon, Jiho, Hayoon, Dohyun, Jiwoo, Junseo, Seoa, Yejun, Sumin, Hyunwoo, Eunji, "
            "Taeyang, Jiyoung, Sungmin, Dahye"
        ),
        _names("Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim, Han, Shin, Oh"),
    ),
    "american": (
        _names(
            "Michael, Jessica, Daniel, Ashley, Carlos, Maria, Kevin, Priya, Tyler, Vanessa, Andre, Emily, "
            "Jordan, Grace, Luis, Hannah, Wei, Monique"
        ),
        _names(
            "Johnson, Garcia, Nguyen, Martinez, Brown, Lopez, Williams, Chen, Patel, Rodriguez, Davis, "
            "Hernandez, Kim, Thompson, Robinson, Flores"
        ),
    ),
    "gulf": (
        _names(
            "Omar, Fatima, Rahul, Aisha, Arjun, Layla, Khalid, Sneha, Yusuf, Mariam, Joseph, Noura, Vikram, "
            "Reem, Miguel, Sarah, Imran, Divya"
        ),
        _names(
            "Al Mansoori, Khan, Nair, Haddad, Menon, Rahman, Fernandes, Al Hashimi, Iyer, Saleh, Reyes, "
            "Qureshi, Thomas, Farouk, Pillai"
        ),
    ),
}

DEPARTMENTS: dict[str, str] = {
    "terminal": "Terminal Operating System",
    "vessel": "Vessel Planning",
    "customs": "Customs & Trade Integration",
    "landside": "Landside & Trucking",
    "automation": "Yard Automation & Robotics",
    "commercial": "Commercial & Billing",
    "data": "Data Platform",
    "sre": "Site Reliability",
    "security": "Security",
    "ai": "AI Platform",
    "devex": "Developer Experience",
}
DEPT_CODES = tuple(DEPARTMENTS)


@dataclass(frozen=True)
class BaseTeam:
    slug: str
    name: str
    dept: str
    offices: tuple[str, ...]
    weight: float
    role: str
    repos: tuple[str, ...]
    services: tuple[str, ...]
    #: Incidents per service and week in a quiet week.
    incident_rate: float = 0.12


BASE_TEAMS: tuple[BaseTeam, ...] = (
    BaseTeam(
        "tos-core",
        "TOS Core",
        "terminal",
        ("rtm", "gdn"),
        1.4,
        "engineer",
        ("tos-core", "tos-events"),
        ("tos-core-api", "tos-event-bus"),
        0.18,
    ),
    BaseTeam(
        "berth-planning",
        "Berth Planning",
        "terminal",
        ("rtm",),
        1.0,
        "engineer",
        ("berth-planner",),
        ("berth-allocator",),
        0.12,
    ),
    BaseTeam(
        "yard-planning",
        "Yard Planning",
        "terminal",
        ("pus", "rtm"),
        1.0,
        "engineer",
        ("yard-planner", "yard-inventory"),
        ("yard-allocation", "yard-inventory-api"),
        0.14,
    ),
    BaseTeam(
        "gate-operations",
        "Gate Operations",
        "terminal",
        ("ssz", "lax"),
        1.0,
        "engineer",
        ("gate-transactions",),
        ("gate-transaction-api", "gate-kiosk"),
        0.2,
    ),
    BaseTeam(
        "equipment-control",
        "Equipment Control",
        "terminal",
        ("pus",),
        0.8,
        "engineer",
        ("equipment-control",),
        ("che-dispatch",),
        0.16,
    ),
    BaseTeam(
        "stowage-planning",
        "Stowage Planning",
        "vessel",
        ("rtm", "pus"),
        1.0,
        "engineer",
        ("stowage-engine", "baplie-tools"),
        ("stowage-optimiser",),
        0.1,
    ),
    BaseTeam(
        "crane-split",
        "Crane Split",
        "vessel",
        ("pus",),
        0.7,
        "engineer",
        ("crane-split",),
        ("crane-sequencer",),
        0.1,
    ),
    BaseTeam(
        "vessel-schedules",
        "Vessel Schedules",
        "vessel",
        ("dxb",),
        0.7,
        "engineer",
        ("vessel-schedules",),
        ("vessel-call-registry", "eta-feed-ingest"),
        0.12,
    ),
    BaseTeam(
        "customs-integration",
        "Customs Integration",
        "customs",
        ("rtm", "ssz"),
        1.0,
        "engineer",
        ("customs-gateway", "ics2-connector"),
        ("customs-declarations", "ics2-filing"),
        0.16,
    ),
    BaseTeam(
        "edi-gateway",
        "EDI Gateway",
        "customs",
        ("gdn", "dxb"),
        0.9,
        "engineer",
        ("edi-gateway", "edifact-mappings"),
        ("edi-ingest", "edi-outbound"),
        0.18,
    ),
    BaseTeam(
        "trade-compliance",
        "Trade Compliance",
        "customs",
        ("dxb",),
        0.6,
        "engineer",
        ("trade-compliance",),
        ("sanctions-screening",),
        0.08,
    ),
    BaseTeam(
        "truck-appointments",
        "Truck Appointments",
        "landside",
        ("lax", "ssz"),
        1.1,
        "engineer",
        ("truck-appointments", "appointment-web"),
        ("appointment-api", "appointment-web"),
        0.2,
    ),
    BaseTeam(
        "rail-planning",
        "Rail Planning",
        "landside",
        ("rtm",),
        0.6,
        "engineer",
        ("rail-planner",),
        ("rail-orders",),
        0.08,
    ),
    BaseTeam(
        "driver-app",
        "Driver App",
        "landside",
        ("lax", "gdn"),
        0.9,
        "engineer",
        ("driver-app-ios", "driver-app-android", "driver-bff"),
        ("driver-bff",),
        0.12,
    ),
    BaseTeam(
        "yard-robotics",
        "Yard Robotics",
        "automation",
        ("rtm", "pus"),
        1.0,
        "engineer",
        ("asc-control", "robot-telemetry"),
        ("asc-fleet-manager", "robot-telemetry"),
        0.2,
    ),
    BaseTeam(
        "straddle-fleet",
        "Straddle Fleet",
        "automation",
        ("pus",),
        0.7,
        "engineer",
        ("straddle-dispatch",),
        ("straddle-dispatch",),
        0.16,
    ),
    BaseTeam(
        "ocr-gates",
        "OCR Gates",
        "automation",
        ("ssz",),
        0.6,
        "engineer",
        ("ocr-portal", "container-ocr"),
        ("ocr-recognition",),
        0.14,
    ),
    BaseTeam(
        "billing",
        "Billing",
        "commercial",
        ("dxb", "gdn"),
        1.0,
        "engineer",
        ("billing-engine", "invoice-render"),
        ("billing-engine", "invoice-delivery"),
        0.1,
    ),
    BaseTeam(
        "tariffs",
        "Tariffs",
        "commercial",
        ("dxb",),
        0.6,
        "engineer",
        ("tariff-rules",),
        ("tariff-service",),
        0.06,
    ),
    BaseTeam(
        "customer-portal",
        "Customer Portal",
        "commercial",
        ("lax", "gdn"),
        0.9,
        "engineer",
        ("customer-portal", "portal-api"),
        ("customer-portal",),
        0.12,
    ),
    BaseTeam(
        "data-platform",
        "Data Platform",
        "data",
        ("rtm", "gdn"),
        1.0,
        "data_engineer",
        ("lakehouse", "ingest-pipelines"),
        ("lakehouse-ingest", "trino"),
        0.14,
    ),
    BaseTeam(
        "analytics-engineering",
        "Analytics Engineering",
        "data",
        ("gdn",),
        0.7,
        "data_engineer",
        ("terminal-kpis",),
        ("kpi-refresh",),
        0.08,
    ),
    BaseTeam(
        "eta-prediction",
        "ETA Prediction",
        "data",
        ("pus", "rtm"),
        0.6,
        "ml_engineer",
        ("eta-models",),
        ("eta-scoring",),
        0.08,
    ),
    BaseTeam(
        "sre-emea",
        "SRE EMEA",
        "sre",
        ("rtm",),
        0.7,
        "sre",
        ("platform-infra", "observability"),
        ("k8s-emea", "observability"),
        0.22,
    ),
    BaseTeam(
        "sre-americas",
        "SRE Americas",
        "sre",
        ("lax", "ssz"),
        0.6,
        "sre",
        ("platform-infra-amer",),
        ("k8s-americas", "edge-proxy"),
        0.2,
    ),
    BaseTeam(
        "sre-apac",
        "SRE APAC",
        "sre",
        ("pus", "dxb"),
        0.6,
        "sre",
        ("platform-infra-apac",),
        ("k8s-apac", "message-brokers"),
        0.2,
    ),
    BaseTeam(
        "security-engineering",
        "Security Engineering",
        "security",
        ("rtm", "dxb"),
        0.7,
        "security_engineer",
        ("detection-rules", "secrets-broker"),
        ("siem-pipeline",),
        0.12,
    ),
    BaseTeam(
        "identity-access",
        "Identity & Access",
        "security",
        ("gdn",),
        0.5,
        "security_engineer",
        ("sso-gateway",),
        ("sso-gateway",),
        0.1,
    ),
    BaseTeam(
        "ai-platform",
        "AI Platform",
        "ai",
        ("rtm", "lax"),
        0.7,
        "ml_engineer",
        ("ai-gateway", "agent-runtime"),
        ("ai-gateway",),
        0.12,
    ),
    BaseTeam(
        "developer-experience",
        "Developer Experience",
        "devex",
        ("gdn",),
        0.6,
        "engineer",
        ("golden-paths", "dev-portal"),
        ("dev-portal",),
        0.05,
    ),
    BaseTeam(
        "ci-build",
        "CI & Build",
        "devex",
        ("rtm",),
        0.5,
        "engineer",
        ("ci-runners", "build-cache"),
        ("ci-runners",),
        0.1,
    ),
)

SQUAD_NAMES = (
    "Bollard",
    "Hawser",
    "Capstan",
    "Fender",
    "Quayside",
    "Lashing",
    "Reefer",
    "Twistlock",
    "Spreader",
    "Gantry",
    "Mooring",
    "Ballast",
    "Pilot",
    "Tugboat",
    "Breakwater",
    "Slipway",
    "Dolphin",
    "Keel",
)


@dataclass
class Org:
    start: dt.date
    days: int
    weeks: int
    #: teams
    team_ids: list[str]
    team_names: list[str]
    team_dept: np.ndarray
    team_base: np.ndarray
    team_office: np.ndarray
    repos: list[str]
    repo_team: np.ndarray
    services: list[str]
    service_team: np.ndarray
    service_rate: np.ndarray
    #: people (engineers first, then managers, directors and the CTO)
    employee_id: list[str]
    email: list[str]
    email_roster: list[str]
    full_name: list[str]
    login: list[str]
    team: np.ndarray
    office: np.ndarray
    role: list[str]
    manager: np.ndarray
    hire_day: np.ndarray
    last_day: np.ndarray
    hired_on: list[dt.date | None]
    left_on: list[dt.date | None]
    loaded_cost: np.ndarray
    is_engineer: np.ndarray
    is_hire: np.ndarray
    #: calendar
    offsets: np.ndarray  # [office, day] hours east of UTC
    holiday: np.ndarray  # [office, day]
    leave: np.ndarray  # [person, day] vacation or sick
    employed: np.ndarray  # [person, day]
    workday: np.ndarray  # [person, day]
    extras: dict = field(default_factory=dict)

    @property
    def people(self) -> int:
        return len(self.employee_id)

    @property
    def dept(self) -> np.ndarray:
        return self.team_dept[self.team]


def _ascii(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def build_org(rng: np.random.Generator, engineers: int, weeks: int, start: dt.date) -> Org:
    days = weeks * 7
    n_base = len(BASE_TEAMS)
    weights = np.array([team.weight for team in BASE_TEAMS])
    total_teams = max(n_base, round(engineers / 9))
    squads = np.maximum(1, np.round(weights / weights.sum() * total_teams)).astype(int)

    team_ids: list[str] = []
    team_names: list[str] = []
    team_dept, team_base, team_office = [], [], []
    repos: list[str] = []
    repo_team: list[int] = []
    services: list[str] = []
    service_team: list[int] = []
    service_rate: list[float] = []
    for b, base in enumerate(BASE_TEAMS):
        for s in range(squads[b]):
            suffix = "" if squads[b] == 1 else f"-{s + 1}"
            t = len(team_ids)
            team_ids.append(f"{base.slug}{suffix}")
            nick = SQUAD_NAMES[(b * 7 + s) % len(SQUAD_NAMES)]
            team_names.append(base.name if squads[b] == 1 else f"{base.name} · {nick}")
            team_dept.append(DEPT_CODES.index(base.dept))
            team_base.append(b)
            team_office.append(OFFICE_INDEX[base.offices[s % len(base.offices)]])
            for repo in base.repos:
                repos.append(f"{GITHUB_ORG}/{repo}{suffix}")
                repo_team.append(t)
            for service in base.services:
                services.append(f"{service}{suffix}")
                service_team.append(t)
                service_rate.append(base.incident_rate * rng.lognormal(0, 0.3))
    n_teams = len(team_ids)

    # Engineers: the roster on the first day, then hires spread over the period.
    hires = max(6, round(engineers * 0.075 * weeks / 26))
    n_eng = engineers + hires
    team_w = weights[np.array(team_base)] / squads[np.array(team_base)]
    eng_team = rng.choice(n_teams, size=n_eng, p=team_w / team_w.sum())
    eng_team[:n_teams] = np.arange(n_teams) if n_eng >= n_teams else eng_team[:n_teams]
    eng_office = np.array(team_office)[eng_team]
    remote = rng.random(n_eng) < 0.12
    eng_office[remote] = rng.integers(0, len(OFFICES), remote.sum())

    hire_day = np.full(n_eng, -1, dtype=np.int64)
    is_hire = np.zeros(n_eng, dtype=bool)
    is_hire[engineers:] = True
    # New starters join on a Monday more often than not.
    hd = rng.integers(0, max(1, days - 7), hires)
    monday = rng.random(hires) < 0.7
    hd[monday] = hd[monday] // 7 * 7
    hire_day[engineers:] = hd
    tenure_days = (rng.gamma(1.6, 900, n_eng)).astype(int) + 30
    last_day = np.full(n_eng, 10**6, dtype=np.int64)
    leavers = rng.choice(engineers, size=max(3, round(engineers * 0.05 * weeks / 26)), replace=False)
    last_day[leavers] = rng.integers(3, days, leavers.size)

    roles = [BASE_TEAMS[team_base[t]].role for t in eng_team]
    staff = rng.random(n_eng) < 0.05
    roles = ["staff_engineer" if staff[i] and roles[i] == "engineer" else roles[i] for i in range(n_eng)]
    # Ops-facing product teams carry an SRE or two of their own.
    for i in range(n_eng):
        ops_facing = BASE_TEAMS[team_base[eng_team[i]]].incident_rate >= 0.16
        if roles[i] == "engineer" and ops_facing and rng.random() < 0.12:
            roles[i] = "sre"

    # Managers (one per team), directors (one per department), the CTO.
    n_dept = len(DEPT_CODES)
    mgr_team = np.arange(n_teams)
    dir_team = np.array([team_dept.index(d) for d in range(n_dept)])
    person_team = np.concatenate([eng_team, mgr_team, dir_team, [dir_team[0]]])
    person_office = np.concatenate(
        [eng_office, np.array(team_office), np.array(team_office)[dir_team], [OFFICE_INDEX["rtm"]]]
    )
    n_people = person_team.size
    role = roles + ["manager"] * n_teams + ["director"] * n_dept + ["cto"]
    is_engineer = np.zeros(n_people, dtype=bool)
    is_engineer[:n_eng] = True
    hire_all = np.concatenate([hire_day, np.full(n_people - n_eng, -1)])
    last_all = np.concatenate([last_day, np.full(n_people - n_eng, 10**6)])
    tenure_all = np.concatenate([tenure_days, rng.gamma(2.5, 900, n_people - n_eng).astype(int) + 200])
    is_hire_all = np.concatenate([is_hire, np.zeros(n_people - n_eng, dtype=bool)])

    cto = n_people - 1
    manager = np.full(n_people, -1, dtype=np.int64)
    manager[:n_eng] = n_eng + eng_team
    manager[n_eng : n_eng + n_teams] = n_eng + n_teams + np.array(team_dept)
    manager[n_eng + n_teams : cto] = cto

    # Names, emails, logins.
    employee_id, email, email_roster, full_name, login = [], [], [], [], []
    seen_email: set[str] = set()
    seen_login: set[str] = set()
    ids = rng.permutation(np.arange(10_000, 10_000 + n_people * 3))[:n_people]
    for p in range(n_people):
        firsts, lasts = NAMES[OFFICES[person_office[p]].names]
        first = firsts[rng.integers(len(firsts))]
        last = lasts[rng.integers(len(lasts))]
        a_first = _ascii(first).lower()
        a_last = _ascii(last).lower().replace(" ", "")
        local = f"{a_first}.{a_last}"
        k = 2
        while local in seen_email:
            local = f"{a_first}.{a_last}{k}"
            k += 1
        seen_email.add(local)
        address = f"{local}@{DOMAIN}"
        email.append(address)
        # The roster keeps some addresses as HR typed them.
        cased = rng.random() < 0.04
        number = local[len(a_first) + 1 + len(a_last) :]
        typed = f"{_ascii(first)}.{_ascii(last).replace(' ', '')}{number}@{DOMAIN}"
        email_roster.append(typed if cased else address)
        style = rng.integers(4)
        candidates = [
            f"{a_first[0]}{a_last}",
            f"{a_first}-{a_last}",
            f"{a_first}{a_last[:3]}-ql",
            f"{a_last}{a_first[:2]}",
        ]
        handle = candidates[style]
        k = 2
        while handle in seen_login:
            handle = f"{candidates[style]}{k}"
            k += 1
        seen_login.add(handle)
        login.append(handle)
        full_name.append(f"{first} {last}")
        employee_id.append(f"QL{ids[p]:05d}")

    hired_on = [start + dt.timedelta(days=int(h)) if h >= 0 else None for h in hire_all]
    hired_on = [
        h if h is not None else start - dt.timedelta(days=int(tenure_all[p])) for p, h in enumerate(hired_on)
    ]
    left_on = [start + dt.timedelta(days=int(d)) if d < days else None for d in last_all]

    base_cost = np.array([OFFICES[o].loaded_cost_usd for o in person_office])
    level = np.array(
        [{"manager": 1.3, "director": 1.7, "cto": 2.4, "staff_engineer": 1.35}.get(r, 1.0) for r in role]
    )
    loaded_cost = np.round(base_cost * level * rng.lognormal(0, 0.14, n_people), -2)

    offsets, holiday = _calendar(start, days)
    employed = (np.arange(days)[None, :] >= hire_all[:, None]) & (
        np.arange(days)[None, :] <= last_all[:, None]
    )
    leave = _leave(rng, start, days, person_office)
    weekend = (np.arange(days) % 7) >= 5
    workday = employed & ~leave & ~holiday[person_office] & ~weekend[None, :]

    return Org(
        start=start,
        days=days,
        weeks=weeks,
        team_ids=team_ids,
        team_names=team_names,
        team_dept=np.array(team_dept),
        team_base=np.array(team_base),
        team_office=np.array(team_office),
        repos=repos,
        repo_team=np.array(repo_team),
        services=services,
        service_team=np.array(service_team),
        service_rate=np.array(service_rate),
        employee_id=employee_id,
        email=email,
        email_roster=email_roster,
        full_name=full_name,
        login=login,
        team=person_team,
        office=person_office,
        role=role,
        manager=manager,
        hire_day=hire_all,
        last_day=last_all,
        hired_on=hired_on,
        left_on=left_on,
        loaded_cost=loaded_cost,
        is_engineer=is_engineer,
        is_hire=is_hire_all,
        offsets=offsets,
        holiday=holiday,
        leave=leave,
        employed=employed,
        workday=workday,
    )


def _calendar(start: dt.date, days: int) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros((len(OFFICES), days))
    holiday = np.zeros((len(OFFICES), days), dtype=bool)
    for o, office in enumerate(OFFICES):
        zone = ZoneInfo(office.tz)
        holidays = set(office.holidays)
        for d in range(days):
            day = start + dt.timedelta(days=d)
            noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=zone)
            offsets[o, d] = noon.utcoffset().total_seconds() / 3600
            holiday[o, d] = day.strftime("%m-%d") in holidays
    return offsets, holiday


def _leave(rng: np.random.Generator, start: dt.date, days: int, office: np.ndarray) -> np.ndarray:
    """Annual leave in the months each office prefers, and the odd sick day."""
    n = office.size
    leave = np.zeros((n, days), dtype=bool)
    months = np.array([(start + dt.timedelta(days=d)).month for d in range(days)])
    fraction = days / 365
    for p in range(n):
        prefs = OFFICES[office[p]].leave_months
        weight = np.full(days, 0.15)
        for rank, month in enumerate(prefs):
            weight[months == month] = 1.0 / (1 + rank)
        blocks = rng.poisson(2.6 * fraction + 0.3)
        for _ in range(blocks):
            length = int(rng.choice([3, 5, 7, 10, 14, 21], p=[0.2, 0.25, 0.15, 0.2, 0.15, 0.05]))
            begin = int(rng.choice(days, p=weight / weight.sum()))
            leave[p, begin : begin + length] = True
        sick = rng.poisson(4 * fraction)
        for _ in range(sick):
            begin = int(rng.integers(days))
            leave[p, begin : begin + int(rng.integers(1, 4))] = True
    return leave
