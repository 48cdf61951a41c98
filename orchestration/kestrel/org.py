"""Kestrel Air's organisation: areas, teams, repositories, services, the roster and its personas.

Everything here is decided before a single usage event is drawn: who works where and when, who is on
leave, which teams crunch, which weeks each heavy worker's real episodes (migrations, audits, workshops,
disruptions) and each inflator's inflating episodes fall in, and which tool accounts everyone has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from orchestration.kestrel.calendars import DAY_MS, OFFICES, Calendar
from orchestration.kestrel.names import FIRST, LAST, ascii_fold, email_local, full_name, login_for

DOMAIN = "kestrelair.aero"
GITHUB_ORG = "kestrel-air"
TOOLS = ("claude_code", "cursor", "copilot", "openai_api", "internal_agent")
CC, CURSOR, COPILOT, OPENAI, AGENT = range(5)


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    department: str
    weight: float
    nouns: tuple[str, ...]
    incident_rate: float
    round_the_clock: bool = False


AREAS: tuple[Area, ...] = (
    Area("booking", "Booking & Checkout", "Commercial", 10, (
        "booking-api", "checkout", "seatmap", "pnr-store", "payment-orchestrator", "fare-quote",
        "order-service", "itinerary", "passenger-profile", "refunds", "vouchers", "gift-cards"), 0.30),
    Area("fares", "Fares & Pricing", "Commercial", 6, (
        "fare-engine", "pricing-rules", "fare-filing", "availability", "inventory", "offer-builder",
        "rbd-mapper", "promo-codes"), 0.25),
    Area("loyalty", "Kestrel Club Loyalty", "Commercial", 5, (
        "kestrel-club", "miles-ledger", "tier-status", "partner-earn", "redemption", "member-portal"), 0.15),
    Area("ancillaries", "Ancillaries & Bundles", "Commercial", 3, (
        "bags-pricing", "seat-upsell", "bundles", "lounge-pass", "insurance-broker", "meal-orders"), 0.12),
    Area("distribution", "Partner Distribution", "Commercial", 4, (
        "ndc-gateway", "gds-connector", "agency-portal", "schedule-feed", "interline", "codeshare"), 0.22),
    Area("mobile", "Mobile Apps", "Digital", 6, (
        "ios-app", "android-app", "mobile-bff", "boarding-pass", "push-notify", "wallet-pass"), 0.15),
    Area("web", "Web Experience", "Digital", 6, (
        "web-shell", "design-system", "search-ui", "manage-booking-ui", "cms-bridge", "seo-pages"), 0.12),
    Area("flightops", "Flight Operations Planning", "Operations", 5, (
        "flight-plan", "nav-db", "weight-balance", "fuel-planning", "notam-ingest", "ops-control"),
        0.30, True),
    Area("crew", "Crew Scheduling", "Operations", 5, (
        "crew-roster", "crew-pairing", "fatigue-risk", "crew-app", "duty-limits", "training-records"),
        0.25, True),
    Area("irops", "Disruption Recovery", "Operations", 3, (
        "rebooking-engine", "irops-console", "disruption-feed", "recovery-optimizer", "hotel-vouchers",
        "reaccom-scripts"), 0.35, True),
    Area("ground", "Ground & Turnaround", "Operations", 3, (
        "turnaround", "gate-allocation", "ramp-ops", "deicing-tracker", "pushback-planner",
        "catering-orders"), 0.25, True),
    Area("baggage", "Baggage Tracking", "Operations", 2, (
        "bag-tracker", "bag-reconcile", "lost-and-found", "bag-tags", "bsm-parser"), 0.25, True),
    Area("cargo", "Kestrel Cargo", "Cargo", 4, (
        "awb-service", "cargo-booking", "uld-tracker", "dangerous-goods", "cargo-rates", "customs-edi"),
        0.20),
    Area("mro", "Maintenance Records", "Engineering & Maintenance", 4, (
        "tech-log", "work-orders", "parts-inventory", "airworthiness", "mel-tracker", "component-history"),
        0.18, True),
    Area("fleet", "Fleet Health Telemetry", "Engineering & Maintenance", 3, (
        "acars-ingest", "engine-health", "qar-decoder", "fleet-analytics", "telemetry-lake"), 0.20, True),
    Area("sre", "Site Reliability", "Platform", 4, (
        "edge-gateway", "observability", "incident-bot", "k8s-prod", "service-mesh", "dns-config",
        "status-page", "kafka-platform"), 1.00, True),
    Area("cloud", "Cloud Platform", "Platform", 4, (
        "terraform-modules", "landing-zone", "ci-runners", "secrets-vault", "cost-explorer", "network-core"),
        0.20),
    Area("security", "Identity & Payments Security", "Platform", 3, (
        "identity-provider", "payments-vault", "fraud-screening", "pci-scanner", "access-reviews"), 0.18),
    Area("devex", "Developer Experience", "Platform", 2, (
        "build-tools", "service-templates", "dev-portal", "test-infra", "ci-lint"), 0.08),
    Area("data", "Data Platform", "Data & AI", 5, (
        "warehouse-dbt", "airflow-dags", "event-bus", "cdc-pipelines", "data-catalog", "feature-store"),
        0.20),
    Area("revml", "Revenue ML", "Data & AI", 3, (
        "demand-forecast", "fare-classifier", "overbooking-model", "price-elasticity", "eval-harness",
        "ml-serving"), 0.15),
    Area("enablement", "AI Enablement", "Data & AI", 1, (
        "ai-playbook", "prompt-library", "agent-gateway", "jetstream-agent", "ai-workshops"), 0.10),
    Area("compliance", "Compliance Engineering", "Safety & Compliance", 2, (
        "certification-evidence", "safety-reporting", "audit-trail", "regulatory-feeds", "gdpr-requests"),
        0.08),
)  # fmt: skip
AREA_INDEX = {area.key: i for i, area in enumerate(AREAS)}
#: Areas a small organisation staffs first, so that every kind of work exists at any size.
PRIORITY = (
    "sre", "irops", "revml", "enablement", "compliance", "booking", "fares", "flightops", "crew", "mobile",
    "web", "data", "cloud", "loyalty", "distribution", "mro", "ground", "cargo", "security", "devex",
    "baggage", "ancillaries", "fleet",
)  # fmt: skip
OPS_AREAS = {"flightops", "crew", "irops", "ground", "baggage", "mro", "fleet", "cargo"}
CODENAMES = (
    "Merlin", "Osprey", "Harrier", "Peregrine", "Swift", "Tern", "Gannet", "Puffin", "Shearwater", "Curlew",
    "Plover", "Lapwing", "Avocet", "Dunlin", "Godwit", "Skua", "Kittiwake", "Fulmar", "Petrel", "Heron",
    "Egret", "Crane", "Ibis", "Kite", "Buzzard", "Goshawk", "Falcon", "Hobby", "Sparrowhawk", "Condor",
)  # fmt: skip

ORDINARY = ("non_adopter", "light_user", "steady_user", "late_adopter")
LEGITIMATE = (
    "power_user", "migration_lead", "oncall_responder", "staff_reviewer", "new_hire_learner",
    "certification_author", "eval_harness_owner", "irops_analyst", "enablement_coach",
)  # fmt: skip
STYLES = (
    "performative_topup", "leaderboard_burst", "background_agents", "regenerating_code", "context_stuffing",
    "premium_model_for_trivia", "prompt_replay_script", "throwaway_prototypes",
)  # fmt: skip
PERSONAS = ORDINARY + LEGITIMATE + STYLES
P = {name: i for i, name in enumerate(PERSONAS)}
FIRST_STYLE = len(ORDINARY) + len(LEGITIMATE)


def persona_kind(code: int) -> str:
    if code < len(ORDINARY):
        return "ordinary"
    if code < FIRST_STYLE:
        return "legitimate_heavy"
    return "inflator"


#: Shares of the whole engineering roster drawn from the general pool (steady_user takes the rest).
POOL_SHARES = {
    "non_adopter": 0.09,
    "light_user": 0.19,
    "late_adopter": 0.08,
    "power_user": 0.045,
    "migration_lead": 0.015,
    "staff_reviewer": 0.022,
    "performative_topup": 0.05,
    "leaderboard_burst": 0.016,
    "background_agents": 0.012,
    "regenerating_code": 0.011,
    "context_stuffing": 0.010,
    "premium_model_for_trivia": 0.011,
    "prompt_replay_script": 0.008,
    "throwaway_prototypes": 0.011,
}


@dataclass
class Team:
    team_id: str
    name: str
    area: int
    office: int
    members: list[int] = field(default_factory=list)
    repos: list[int] = field(default_factory=list)
    services: list[int] = field(default_factory=list)
    manager: int = -1


@dataclass
class Org:
    """The roster and every plan the simulation follows, as arrays indexed by person, team, week, day."""

    cal: Calendar
    teams: list[Team]
    repos: list[str]
    repo_team: np.ndarray
    repo_branch: list[str]
    services: list[str]
    service_team: np.ndarray
    departments: list[str]
    employee_id: list[str]
    full_name: list[str]
    email: list[str]
    login: list[str]
    role: list[str]
    team: np.ndarray
    office: np.ndarray
    is_engineer: np.ndarray
    persona: np.ndarray
    manager: np.ndarray
    hired_day: np.ndarray
    left_day: np.ndarray
    cost: np.ndarray
    level: np.ndarray
    chrono: np.ndarray
    evening: np.ndarray
    weekend: np.ndarray
    accept: np.ndarray
    adopt_day: np.ndarray
    has_tool: np.ndarray
    pr_rate: np.ndarray
    ai_pr_share: np.ndarray
    trailer_tool: np.ndarray
    intensity: np.ndarray
    active: np.ndarray
    chase: np.ndarray
    migration: np.ndarray
    audit: np.ndarray
    workshop: np.ndarray
    crunch: np.ndarray
    employed: np.ndarray
    vacation: np.ndarray
    avail: np.ndarray
    disruptions: list[tuple[int, int, str]]
    accounts: list[tuple[int, str, int, bool]]
    account_of: np.ndarray
    eval_account: np.ndarray
    script_account: np.ndarray
    service_accounts: list[int]
    github_id: list[str]
    pagerduty_id: list[str]
    params: dict[str, np.ndarray]

    @property
    def people(self) -> int:
        return len(self.employee_id)

    @property
    def engineers(self) -> np.ndarray:
        return np.flatnonzero(self.is_engineer)

    def area_of(self, person: int) -> Area:
        return AREAS[self.teams[int(self.team[person])].area]

    def department_of_team(self, team: int) -> str:
        return AREAS[self.teams[team].area].department


def _team_areas(count: int, rng: np.random.Generator) -> list[int]:
    first = [AREA_INDEX[key] for key in PRIORITY[:count]]
    weights = np.array([area.weight for area in AREAS], dtype=float)
    rest = rng.choice(len(AREAS), size=max(0, count - len(first)), p=weights / weights.sum())
    return first + [int(a) for a in rest]


def _unique(name: str, used: set[str]) -> str:
    candidate, k = name, 2
    while candidate in used:
        candidate = f"{name}-{k}"
        k += 1
    used.add(candidate)
    return candidate


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _windows(rng: np.random.Generator, weeks: int, count: int, low: int, high: int) -> np.ndarray:
    """A boolean week mask with ``count`` windows of ``low``..``high`` weeks; at least one overlaps."""
    mask = np.zeros(weeks, dtype=bool)
    for k in range(max(1, count)):
        length = int(rng.integers(low, high + 1))
        begin = int(rng.integers(-length // 2, weeks)) if k else int(rng.integers(0, max(1, weeks - 1)))
        mask[max(0, begin) : max(0, begin + length)] = True
    if not mask.any():
        mask[int(rng.integers(0, weeks))] = True
    return mask


def build_org(engineers: int, cal: Calendar, rng: np.random.Generator) -> Org:
    weeks, days = cal.weeks, cal.days
    n_eng = max(4, int(engineers))
    n_teams = max(1, round(n_eng / 8.5))
    team_area = _team_areas(n_teams, rng)
    office_weights = np.array([office.weight for office in OFFICES])
    office_weights /= office_weights.sum()

    # Teams and their names.
    teams: list[Team] = []
    used_codenames: dict[int, int] = {}
    for area_index in team_area:
        area = AREAS[area_index]
        k = used_codenames.get(area_index, 0)
        used_codenames[area_index] = k + 1
        codename = CODENAMES[k % len(CODENAMES)] + (
            "" if k < len(CODENAMES) else f" {k // len(CODENAMES) + 1}"
        )
        office = int(rng.choice(len(OFFICES), p=office_weights))
        team_id = f"t-{area.key}-{ascii_fold(codename).replace(' ', '-')}"
        teams.append(Team(team_id, f"{area.name} · {codename}", area_index, office))

    # Repositories and services.
    repos: list[str] = []
    repo_team: list[int] = []
    repo_branch: list[str] = []
    services: list[str] = []
    service_team: list[int] = []
    used: set[str] = set()
    noun_cursor: dict[int, int] = {}
    suffixes = ("", "-api", "-worker", "-jobs", "-web", "-sdk", "-v2", "-infra")
    for t, team in enumerate(teams):
        area = AREAS[team.area]
        n_repos = int(min(5, 1 + rng.poisson(1.4)))
        for _ in range(n_repos):
            k = noun_cursor.get(team.area, 0)
            noun_cursor[team.area] = k + 1
            noun = area.nouns[k % len(area.nouns)] + suffixes[(k // len(area.nouns)) % len(suffixes)]
            name = _unique(noun, used)
            team.repos.append(len(repos))
            repos.append(f"{GITHUB_ORG}/{name}")
            repo_team.append(t)
            repo_branch.append(str(rng.choice(["main", "master", "develop"], p=[0.86, 0.1, 0.04])))
        n_services = int(min(len(team.repos), 1 + rng.poisson(0.9)))
        for r in team.repos[:n_services]:
            short = repos[r].split("/", 1)[1]
            if area.key in {"mobile", "web"} and not short.endswith("-bff"):
                short = f"{short}-edge"
            team.services.append(len(services))
            services.append(_unique(short, set(services)))
            service_team.append(t)

    # Engineers per team.
    weights = rng.lognormal(0.0, 0.3, n_teams)
    sizes = np.maximum(2, np.floor(weights / weights.sum() * n_eng)).astype(int)
    while sizes.sum() > n_eng and (sizes > 2).any():
        sizes[int(np.argmax(sizes))] -= 1
    k = 0
    while sizes.sum() < n_eng:
        sizes[k % n_teams] += 1
        k += 1
    eng_team = np.repeat(np.arange(n_teams), sizes)[:n_eng]

    # Hires and leavers over the period, on Mondays and Fridays.
    n_hired_in = round(0.06 * n_eng * weeks / 26) if weeks >= 3 else 0
    n_hired_recent = round(0.03 * n_eng)
    n_leavers = round(0.05 * n_eng * weeks / 26) if weeks >= 3 else 0
    order = rng.permutation(n_eng)
    hired_in = order[:n_hired_in]
    hired_recent = order[n_hired_in : n_hired_in + n_hired_recent]
    leavers = order[n_hired_in + n_hired_recent : n_hired_in + n_hired_recent + n_leavers]
    hired_day = np.zeros(n_eng, dtype=np.int64)
    tenure_days = rng.integers(9 * 7, 12 * 365, n_eng)
    hired_day[:] = -tenure_days
    hired_day[hired_in] = rng.integers(1, max(2, weeks - 1), n_hired_in) * 7
    hired_day[hired_recent] = -rng.integers(1, 9, n_hired_recent) * 7
    for p in range(n_eng):  # tenured people started on a Monday too
        hired_day[p] -= (cal.start + timedelta(days=int(hired_day[p]))).weekday()
    left_day = np.full(n_eng, 10**6, dtype=np.int64)
    left_day[leavers] = rng.integers(1, max(2, weeks - 1), n_leavers) * 7 + 4

    # Personas.
    persona = np.full(n_eng, -1, dtype=np.int64)
    new_hire = hired_day > -9 * 7
    persona[new_hire] = P["new_hire_learner"]
    eng_area = np.array([AREAS[teams[t].area].key for t in eng_team])
    small = n_eng < 120
    min_legit, min_style = (1, 1) if small else (2, 3)

    def take(name: str, candidates: np.ndarray, count: int) -> None:
        free = candidates[persona[candidates] < 0]
        free = free[rng.permutation(len(free))]
        persona[free[:count]] = P[name]

    sre = np.flatnonzero(eng_area == "sre")
    take("oncall_responder", sre, max(min_legit, round(0.75 * len(sre))))
    irops = np.flatnonzero(eng_area == "irops")
    take("irops_analyst", irops, max(min_legit, round(0.45 * len(irops))))
    ml = np.flatnonzero(np.isin(eng_area, ["revml", "data"]))
    take("eval_harness_owner", ml, max(min_legit, round(0.006 * n_eng)))
    enablement = np.flatnonzero(eng_area == "enablement")
    take("enablement_coach", enablement, max(min_legit, round(0.35 * len(enablement))))
    compliance = np.flatnonzero(np.isin(eng_area, ["compliance", "mro", "flightops"]))
    take("certification_author", compliance, max(min_legit, round(0.009 * n_eng)))
    everyone = np.arange(n_eng)
    stayers = np.setdiff1d(everyone, leavers)
    # Heavy and inflating personas first, so that a small organisation still has some of each.
    for name, share in sorted(POOL_SHARES.items(), key=lambda item: P[item[0]] < len(ORDINARY)):
        code = P[name]
        floor = min_style if code >= FIRST_STYLE else (min_legit if code >= len(ORDINARY) else 1)
        pool = stayers if name in {"migration_lead", "late_adopter"} else everyone
        take(name, pool, max(floor, round(share * n_eng)))
    persona[persona < 0] = P["steady_user"]

    # Managers (one per team) and directors (one per department).
    departments = sorted({AREAS[team.area].department for team in teams})
    n_people = n_eng + n_teams + len(departments)
    team = np.concatenate([eng_team, np.arange(n_teams), np.zeros(len(departments), dtype=np.int64)])
    for d_index, department in enumerate(departments):
        team[n_eng + n_teams + d_index] = next(
            t for t, tm in enumerate(teams) if tm.area >= 0 and (AREAS[tm.area].department == department)
        )
    is_engineer = np.zeros(n_people, dtype=bool)
    is_engineer[:n_eng] = True
    persona = np.concatenate([persona, np.full(n_people - n_eng, -1)])
    hired_day = np.concatenate([hired_day, -rng.integers(2 * 365, 10 * 365, n_people - n_eng)])
    for p in range(n_eng, n_people):
        hired_day[p] -= (cal.start + timedelta(days=int(hired_day[p]))).weekday()
    left_day = np.concatenate([left_day, np.full(n_people - n_eng, 10**6, dtype=np.int64)])

    office = np.zeros(n_people, dtype=np.int64)
    for p in range(n_people):
        home = teams[int(team[p])].office
        office[p] = (
            home if (p >= n_eng or rng.random() < 0.85) else int(rng.choice(len(OFFICES), p=office_weights))
        )

    role: list[str] = []
    for p in range(n_people):
        if p >= n_eng + n_teams:
            role.append("director")
        elif p >= n_eng:
            role.append("manager")
        elif persona[p] == P["staff_reviewer"]:
            role.append("staff_engineer")
        elif eng_area[p] == "sre":
            role.append("sre")
        elif eng_area[p] == "revml":
            role.append("ml_engineer")
        elif eng_area[p] == "data":
            role.append("data_engineer")
        else:
            role.append("engineer")
    manager = np.full(n_people, -1, dtype=np.int64)
    for t, tm in enumerate(teams):
        tm.manager = n_eng + t
    for p in range(n_eng):
        manager[p] = teams[int(team[p])].manager
    for t in range(n_teams):
        department = AREAS[teams[t].area].department
        manager[n_eng + t] = n_eng + n_teams + departments.index(department)
    for p in range(n_people):
        teams[int(team[p])].members.append(p)

    # Names, emails, logins, ids.
    names, emails, logins, ids, gh_ids, pd_ids = [], [], [], [], [], []
    used_emails: set[str] = set()
    used_logins: set[str] = set()
    used_ids: set[str] = set()
    for p in range(n_people):
        pool = OFFICES[int(office[p])].names
        first = str(rng.choice(FIRST[pool]))
        last = str(rng.choice(LAST[pool]))
        name = full_name(pool, first, last)
        names.append(name)
        local = email_local(first, last if pool != "pl" else name.split(" ", 1)[1])
        email, k = f"{local}@{DOMAIN}", 2
        while email in used_emails:
            email, k = f"{local}{k}@{DOMAIN}", k + 1
        used_emails.add(email)
        emails.append(email)
        login = _unique(
            login_for(first, last, int(rng.integers(0, 7)), int(rng.integers(0, 100))), used_logins
        )
        logins.append(login)
        employee = f"K{int(rng.integers(100_000, 999_999))}"
        while employee in used_ids:
            employee = f"K{int(rng.integers(100_000, 999_999))}"
        used_ids.add(employee)
        ids.append(employee)
        gh_ids.append(str(int(rng.integers(1_000_000, 190_000_000))))
        pd_ids.append("P" + "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"), 6)))

    cost = np.zeros(n_people)
    for p in range(n_people):
        low, high = OFFICES[int(office[p])].cost_range
        bump = {"staff_engineer": 1.3, "manager": 1.25, "director": 1.6}.get(role[p], 1.0)
        cost[p] = round(float(rng.uniform(low, high)) * bump, -2)

    # Working habits.
    level = rng.lognormal(0.0, 0.4, n_people)
    chrono = np.clip(rng.normal(8.8, 0.8, n_people), 7.0, 11.0)
    evening = np.full(n_people, 0.05)
    weekend = np.full(n_people, 0.025)
    accept = rng.uniform(0.22, 0.48, n_people)
    for name, ev, we in (
        ("power_user", 0.25, 0.12),
        ("oncall_responder", 0.12, 0.05),
        ("irops_analyst", 0.1, 0.04),
    ):
        evening[persona == P[name]] = ev
        weekend[persona == P[name]] = we

    adopt_day = np.full(n_people, -(10**6), dtype=np.int64)
    adopt_day[persona == P["non_adopter"]] = 10**6
    late = np.flatnonzero(persona == P["late_adopter"])
    adopt_day[late] = rng.integers(max(1, weeks // 4), max(2, (7 * weeks) // 10 + 1), len(late)) * 7
    adopt_day[late] += rng.integers(0, 5, len(late))

    # Tool accounts each person has.
    has_tool = np.zeros((n_people, len(TOOLS)), dtype=bool)
    for p in range(n_people):
        area_key = AREAS[teams[int(team[p])].area].key
        code = int(persona[p])
        has_tool[p, COPILOT] = True
        if p >= n_eng:
            has_tool[p, CC] = rng.random() < 0.3
            continue
        cursor_share = 0.55 if area_key in {"web", "mobile", "booking"} else 0.28
        has_tool[p, CC] = rng.random() < (0.92 if code == P["power_user"] else 0.62)
        has_tool[p, CURSOR] = rng.random() < cursor_share
        if not has_tool[p, CC] and not has_tool[p, CURSOR] and rng.random() < 0.5:
            has_tool[p, CC] = True
        heavy_api = area_key in {"revml", "data", "irops", "enablement"}
        has_tool[p, OPENAI] = rng.random() < (0.7 if heavy_api else 0.12)
        has_tool[p, AGENT] = rng.random() < (0.6 if area_key in OPS_AREAS or area_key == "sre" else 0.15)
        if code in (P["certification_author"], P["staff_reviewer"], P["migration_lead"]):
            has_tool[p, CC] = True
        if code in (P["eval_harness_owner"], P["irops_analyst"], P["enablement_coach"]):
            has_tool[p, OPENAI] = True
            has_tool[p, CC] = True
        if code == P["enablement_coach"]:
            has_tool[p, CURSOR] = True
        if code == P["oncall_responder"]:
            has_tool[p, CC] = True
            has_tool[p, AGENT] = rng.random() < 0.7
        if code >= FIRST_STYLE and not (has_tool[p, CC] or has_tool[p, CURSOR]):
            has_tool[p, CC if rng.random() < 0.7 else CURSOR] = True
        if code == P["prompt_replay_script"]:
            has_tool[p, OPENAI] = True
        if code == P["background_agents"] and not has_tool[p, AGENT] and rng.random() < 0.4:
            has_tool[p, AGENT] = True

    # Delivery habits.
    pr_rate = rng.lognormal(np.log(2.1), 0.33, n_people)
    for name, factor in (
        ("staff_reviewer", 0.3),
        ("certification_author", 0.55),
        ("enablement_coach", 0.6),
        ("oncall_responder", 0.75),
        ("migration_lead", 0.8),
        ("non_adopter", 0.95),
        ("premium_model_for_trivia", 0.95),
        ("light_user", 0.97),
    ):
        pr_rate[persona == P[name]] *= factor
    power = persona == P["power_user"]
    pr_rate[power] *= np.clip(0.9 + 0.55 * level[power] * 2.2, 1.6, 3.2)
    pr_rate[~is_engineer] = 0.0
    ai_pr_share = np.full(n_people, 0.35)
    for name, share in (
        ("light_user", 0.1),
        ("power_user", 0.8),
        ("migration_lead", 0.7),
        ("non_adopter", 0.0),
        ("new_hire_learner", 0.45),
        ("throwaway_prototypes", 0.5),
        ("late_adopter", 0.3),
    ):
        ai_pr_share[persona == P[name]] = share
    trailer_tool = np.where(has_tool[:, CC], CC, np.where(has_tool[:, CURSOR], CURSOR, COPILOT))

    # Usage level per persona.
    for name, lo, hi in (
        ("light_user", 0.15, 0.35),
        ("power_user", 2.2, 3.8),
        ("staff_reviewer", 0.6, 0.9),
        ("enablement_coach", 1.1, 1.5),
        ("migration_lead", 1.0, 1.4),
        ("certification_author", 0.7, 1.0),
        ("oncall_responder", 0.9, 1.3),
    ):
        mask = persona == P[name]
        level[mask] = rng.uniform(lo, hi, int(mask.sum())) * rng.lognormal(0, 0.15, int(mask.sum()))
    level[~is_engineer] *= 0.25

    # Inflators: intensity, onset, stop and episodes.
    intensity = np.zeros(n_people)
    active = np.zeros((n_people, weeks), dtype=bool)
    chase = np.zeros((n_people, weeks), dtype=bool)
    for p in np.flatnonzero(persona >= FIRST_STYLE):
        style = STYLES[int(persona[p]) - FIRST_STYLE]
        intensity[p] = float(rng.choice([0.45, 1.0, 2.2], p=[0.4, 0.42, 0.18])) * rng.lognormal(0, 0.2)
        onset = 0 if rng.random() < 0.6 or weeks < 4 else int(rng.integers(1, max(2, int(0.6 * weeks))))
        stop = weeks if rng.random() < 0.82 else int(rng.integers(min(weeks, onset + 2), weeks + 1))
        span = np.zeros(weeks, dtype=bool)
        span[onset:stop] = True
        if style in ("performative_topup", "premium_model_for_trivia"):
            mask = span & (rng.random(weeks) > 0.08)
        elif style in ("background_agents", "context_stuffing"):
            mask = span if rng.random() < 0.55 else span & (rng.random(weeks) < rng.uniform(0.35, 0.75))
        elif style == "regenerating_code":
            mask = span & (rng.random(weeks) < rng.uniform(0.4, 0.85))
        elif style == "prompt_replay_script":
            mask = span & _windows(rng, weeks, 1 + int(rng.poisson(weeks / 10)), 2, 6)
        elif style == "throwaway_prototypes":
            mask = span & _windows(rng, weeks, 1 + int(rng.poisson(weeks / 12)), 1, 3)
        else:  # leaderboard_burst: the board exists every week, chasing it does not
            mask = span.copy()
        if not mask.any():
            mask[min(weeks - 1, onset)] = True
        active[p] = mask
        if style == "leaderboard_burst":
            chase[p] = mask & (rng.random(weeks) < rng.uniform(0.35, 0.9))
            if not chase[p].any():
                chase[p, np.flatnonzero(mask)[0]] = True

    # Legitimate heavy episodes.
    migration = np.zeros((n_people, weeks), dtype=bool)
    audit = np.zeros((n_people, weeks), dtype=bool)
    workshop = np.zeros((n_people, weeks), dtype=bool)
    for p in np.flatnonzero(persona == P["migration_lead"]):
        migration[p] = _windows(rng, weeks, 1 + int(rng.random() < 0.35), 3, 8)
    for p in np.flatnonzero(persona == P["certification_author"]):
        audit[p] = _windows(rng, weeks, 1 + int(rng.random() < 0.4), 2, 4)
    for p in np.flatnonzero(persona == P["enablement_coach"]):
        period = int(rng.integers(3, 6))
        phase = int(rng.integers(0, min(period, max(1, weeks))))
        workshop[p] = (np.arange(weeks) % period) == phase
        if not workshop[p].any():
            workshop[p, 0] = True
    crunch = np.zeros((n_teams, weeks), dtype=bool)
    for t in range(n_teams):
        for _ in range(int(rng.poisson(weeks / 11))):
            begin = int(rng.integers(0, weeks))
            crunch[t, begin : begin + int(rng.integers(1, 3))] = True
    if weeks >= 2 and not crunch.any():
        crunch[int(rng.integers(0, n_teams)), int(rng.integers(0, weeks))] = True

    disruptions: list[tuple[int, int, str]] = []
    for _ in range(max(1, int(rng.poisson(weeks / 3.5)))):
        disruptions.append(
            (int(rng.integers(0, days)), int(rng.integers(1, 4)), str(rng.choice(["EMEA", "AMER", "APAC"])))
        )
    disruptions.sort()

    # Employment, leave and working days.
    day_index = np.arange(days)
    employed = (day_index[None, :] >= hired_day[:, None]) & (day_index[None, :] <= left_day[:, None])
    vacation = np.zeros((n_people, days), dtype=bool)
    dates = [cal.date_of(d) for d in range(days)]
    month = np.array([d.month for d in dates])
    for p in range(n_people):
        region = OFFICES[int(office[p])].region
        season = np.ones(days)
        if region == "EMEA":
            season[(month == 7) | (month == 8)] = 3.5
        elif region == "AMER":
            season[(month == 7) | (month == 8)] = 2.0
        else:
            season[(month == 10) | (month == 11) | (month == 12)] = 1.8
        season[month == 12] += 1.5
        for _ in range(int(rng.poisson(weeks / 12.0))):
            length = int(rng.choice([3, 5, 7, 10, 14], p=[0.15, 0.2, 0.3, 0.2, 0.15]))
            begin = int(rng.choice(days, p=season / season.sum()))
            if rng.random() < 0.6:
                begin -= dates[begin].weekday()
            vacation[p, max(0, begin) : begin + length] = True
        sick = rng.random(days) < 0.012
        vacation[p] |= sick
    weekday = np.array([d.weekday() < 5 for d in dates])
    holiday = cal.holiday[office]
    # Nobody takes leave in their first weeks.
    for p in np.flatnonzero(hired_day >= 0):
        vacation[p, : min(days, int(hired_day[p]) + 28)] &= False
    avail = employed & ~vacation & ~holiday & weekday[None, :]

    # Tool accounts and identities.
    accounts: list[tuple[int, str, int, bool]] = []
    account_of = np.full((n_people, len(TOOLS)), -1, dtype=np.int64)
    eval_account = np.full(n_people, -1, dtype=np.int64)
    script_account = np.full(n_people, -1, dtype=np.int64)
    okta = rng.integers(0, 2**62, n_people)
    for p in range(n_people):
        email, login = emails[p], logins[p]
        if has_tool[p, CC]:
            account_of[p, CC] = len(accounts)
            accounts.append((CC, email, p, True))
        if has_tool[p, CURSOR]:
            mixed = rng.random() < 0.05
            cursor_id = email
            if mixed:
                local = email.split("@")[0]
                cursor_id = ".".join(part.capitalize() for part in local.split(".")) + "@KestrelAir.aero"
            account_of[p, CURSOR] = len(accounts)
            accounts.append((CURSOR, cursor_id, p, not mixed and rng.random() > 0.1))
        if has_tool[p, COPILOT]:
            account_of[p, COPILOT] = len(accounts)
            accounts.append((COPILOT, login, p, True))
        if has_tool[p, OPENAI]:
            account_of[p, OPENAI] = len(accounts)
            accounts.append((OPENAI, f"kestrel-{login}", p, True))
        if has_tool[p, AGENT]:
            account_of[p, AGENT] = len(accounts)
            accounts.append((AGENT, f"00u{int(okta[p]):016x}"[:19], p, True))
        if persona[p] == P["eval_harness_owner"]:
            eval_account[p] = len(accounts)
            area_key = AREAS[teams[int(team[p])].area].key
            accounts.append((OPENAI, f"ka-{area_key}-eval-{login}", p, True))
        if persona[p] == P["prompt_replay_script"]:
            script_account[p] = len(accounts)
            accounts.append((OPENAI, f"kestrel-{login}-automation", p, True))
    service_accounts = []
    for name in ("ka-ci-release-notes", "ka-support-macros"):
        service_accounts.append(len(accounts))
        accounts.append((OPENAI, name, -1, False))

    params = {
        "topup_factor": np.where(
            rng.random(n_people) < 0.5, rng.uniform(1.02, 1.12, n_people), rng.uniform(1.1, 1.45, n_people)
        ),
        "burst_hours": rng.uniform(2.0, 20.0, n_people),
        "bg_runs": rng.uniform(0.6, 2.2, n_people),
        "bg_weekend": rng.uniform(0.2, 0.9, n_people),
        "bg_vacation": rng.random(n_people) < 0.5,
        "replay_every_min": rng.choice([10, 15, 20, 30, 45, 60], n_people).astype(float),
        "replay_round_clock": rng.random(n_people) < 0.3,
        "replay_templates": rng.integers(2, 9, n_people).astype(float),
        "eval_items": rng.integers(25, 70, n_people).astype(float),
        "regen_repeat": rng.integers(2, 6, n_people).astype(float),
    }

    return Org(
        cal=cal,
        teams=teams,
        repos=repos,
        repo_team=np.array(repo_team, dtype=np.int64),
        repo_branch=repo_branch,
        services=services,
        service_team=np.array(service_team, dtype=np.int64),
        departments=departments,
        employee_id=ids,
        full_name=names,
        email=emails,
        login=logins,
        role=role,
        team=team.astype(np.int64),
        office=office,
        is_engineer=is_engineer,
        persona=persona.astype(np.int64),
        manager=manager,
        hired_day=hired_day,
        left_day=left_day,
        cost=cost,
        level=level,
        chrono=chrono,
        evening=evening,
        weekend=weekend,
        accept=accept,
        adopt_day=adopt_day,
        has_tool=has_tool,
        pr_rate=pr_rate,
        ai_pr_share=ai_pr_share,
        trailer_tool=trailer_tool,
        intensity=intensity,
        active=active,
        chase=chase,
        migration=migration,
        audit=audit,
        workshop=workshop,
        crunch=crunch,
        employed=employed,
        vacation=vacation,
        avail=avail,
        disruptions=disruptions,
        accounts=accounts,
        account_of=account_of,
        eval_account=eval_account,
        script_account=script_account,
        service_accounts=service_accounts,
        github_id=gh_ids,
        pagerduty_id=pd_ids,
        params=params,
    )


def employed_weeks(org: Org) -> np.ndarray:
    """[person, week]: employed on at least one day of the UTC week."""
    days = org.employed.reshape(org.people, org.cal.weeks, 7)
    return days.any(axis=2)


def day_ms(org: Org, day: int) -> int:
    return org.cal.start_ms + day * DAY_MS
