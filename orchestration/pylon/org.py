"""Pylon Grid's people: areas, teams, repositories, services, the roster, personas, tools and leave."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from orchestration.pylon.calendar import OFFICES, Calendar

AREAS: dict[str, tuple[str, list[str]]] = {
    "scada": (
        "SCADA & Control",
        ["scada-frontend", "rtu-gateway", "energy-management", "protection-settings"],
    ),
    "outage": ("Outage Management", ["outage-intake", "restoration-planning", "outage-comms"]),
    "metering": ("Smart Metering", ["meter-head-end", "meter-data", "firmware-rollout"]),
    "markets": ("Market Settlement", ["settlement-engine", "bidding-dispatch", "market-reporting"]),
    "fieldops": ("Field Ops Mobile", ["crew-app", "work-orders", "asset-inspection"]),
    "sre": ("Site Reliability", ["platform-sre", "observability", "ot-network"]),
    "data": ("Data Platform", ["lakehouse", "streaming-telemetry", "grid-analytics"]),
    "ai": ("AI Enablement", ["ai-platform", "developer-experience"]),
    "security": ("Security", ["ot-security", "identity-access", "appsec"]),
    "planning": ("Network Planning", ["load-forecasting", "network-model", "der-integration"]),
}
AREA_KEYS = list(AREAS)
#: Areas whose services page people, and areas whose services follow a grid region.
ONCALL_AREAS = ("scada", "outage", "fieldops", "sre", "metering")
REGIONAL_AREAS = ("scada", "outage", "fieldops")

ORDINARY = ("non_adopter", "light_user", "steady_user", "late_adopter")
LEGITIMATE = (
    "power_user",
    "migration_lead",
    "oncall_responder",
    "staff_reviewer",
    "new_hire_learner",
    "protection_engineer",
    "grid_model_analyst",
    "storm_response_analyst",
    "ai_enablement_trainer",
)
STYLES = (
    "performative_topup",
    "leaderboard_burst",
    "background_agents",
    "regenerating_code",
    "context_stuffing",
    "premium_model_for_trivia",
    "prompt_replay_script",
    "throwaway_prototypes",
    "runbook_padding",
)
PERSONAS = ORDINARY + LEGITIMATE + STYLES
KIND = {**dict.fromkeys(ORDINARY, "ordinary"), **dict.fromkeys(LEGITIMATE, "legitimate_heavy")}
KIND.update(dict.fromkeys(STYLES, "inflator"))
P = {name: i for i, name in enumerate(PERSONAS)}

_SHARES = {
    "power_user": 0.030,
    "migration_lead": 0.012,
    "oncall_responder": 0.025,
    "staff_reviewer": 0.015,
    "new_hire_learner": 0.015,
    "protection_engineer": 0.010,
    "grid_model_analyst": 0.010,
    "storm_response_analyst": 0.012,
    "ai_enablement_trainer": 0.008,
    "performative_topup": 0.040,
    "leaderboard_burst": 0.014,
    "background_agents": 0.012,
    "regenerating_code": 0.012,
    "context_stuffing": 0.012,
    "premium_model_for_trivia": 0.012,
    "prompt_replay_script": 0.010,
    "throwaway_prototypes": 0.010,
    "runbook_padding": 0.010,
}
_ORDINARY_SHARES = {"non_adopter": 0.15, "light_user": 0.30, "steady_user": 0.42, "late_adopter": 0.13}

TOOLS = ("claude_code", "cursor", "copilot", "openai_api", "internal_agent")
T = {name: i for i, name in enumerate(TOOLS)}
INTENSITIES = ("subtle", "moderate", "blatant")

_FIRST = {
    "gla": [
        "Callum",
        "Isla",
        "Fraser",
        "Morag",
        "Ewan",
        "Kirsty",
        "Ross",
        "Eilidh",
        "Hamish",
        "Skye",
        "Niamh",
        "Craig",
        "Aileen",
        "Lewis",
        "Catriona",
        "Euan",
        "Rhona",
        "Gregor",
        "Fiona",
        "Struan",
    ],
    "yyc": [
        "Tyler",
        "Brooke",
        "Connor",
        "Madison",
        "Logan",
        "Avery",
        "Dylan",
        "Harpreet",
        "Wei",
        "Nadia",
        "Jordan",
        "Kayla",
        "Marc",
        "Chantal",
        "Owen",
        "Leah",
        "Ravi",
        "Sofia",
        "Cole",
        "Megan",
    ],
    "adl": [
        "Lachlan",
        "Matilda",
        "Angus",
        "Chloe",
        "Hamish",
        "Ruby",
        "Jack",
        "Georgia",
        "Mitchell",
        "Tahlia",
        "Nguyen",
        "Lily",
        "Darcy",
        "Zoe",
        "Riley",
        "Bree",
        "Kane",
        "Jess",
        "Tom",
        "Priya",
    ],
    "pnq": [
        "Aditya",
        "Sneha",
        "Rohan",
        "Pooja",
        "Vikram",
        "Ananya",
        "Siddharth",
        "Neha",
        "Omkar",
        "Shruti",
        "Tejas",
        "Aishwarya",
        "Nikhil",
        "Rutuja",
        "Pranav",
        "Gauri",
        "Saurabh",
        "Madhura",
        "Amol",
        "Ketaki",
    ],
    "akl": [
        "Tama",
        "Aroha",
        "Nikau",
        "Mere",
        "Liam",
        "Hana",
        "Wiremu",
        "Ella",
        "Sione",
        "Grace",
        "Rawiri",
        "Kiri",
        "Finn",
        "Anahera",
        "Mateo",
        "Leilani",
        "Hemi",
        "Ngaio",
        "Kauri",
        "Olivia",
    ],
}
_LAST = {
    "gla": [
        "MacLeod",
        "Campbell",
        "Stewart",
        "Fraser",
        "Murray",
        "Robertson",
        "Ferguson",
        "Drummond",
        "Munro",
        "Cameron",
        "Paterson",
        "Sinclair",
        "MacKenzie",
        "Grant",
        "Baird",
        "Reid",
    ],
    "yyc": [
        "Tremblay",
        "Gagnon",
        "Singh",
        "Chen",
        "Roy",
        "Wilson",
        "Martin",
        "Anderson",
        "Thompson",
        "Leblanc",
        "Nguyen",
        "Dhillon",
        "Morrison",
        "Bergeron",
        "Kowalski",
        "Hughes",
    ],
    "adl": [
        "Smith",
        "Jones",
        "Williams",
        "Brown",
        "Taylor",
        "Nguyen",
        "Kelly",
        "Ryan",
        "Papadopoulos",
        "Walsh",
        "O'Brien",
        "Rossi",
        "Tran",
        "Murphy",
        "Zhang",
        "Harris",
    ],
    "pnq": [
        "Kulkarni",
        "Deshpande",
        "Joshi",
        "Patil",
        "Gokhale",
        "Kale",
        "Bhide",
        "Sathe",
        "Apte",
        "Pawar",
        "Jadhav",
        "Shinde",
        "Karve",
        "Ranade",
        "Phadke",
        "Gadgil",
    ],
    "akl": [
        "Ngata",
        "Parata",
        "Tawhiri",
        "Smith",
        "Wilson",
        "Tuilagi",
        "Henare",
        "Walker",
        "Fa'alogo",
        "Brown",
        "Horomona",
        "Clarke",
        "Te Huia",
        "Mason",
        "Lee",
        "Rangi",
    ],
}


@dataclass
class Org:
    engineers: int
    people: int
    employee_id: list[str]
    email: list[str]
    login: list[str]
    full_name: list[str]
    role: list[str]
    team: np.ndarray
    office: np.ndarray
    manager: np.ndarray
    hired_day: np.ndarray  # day index relative to the start (negative = before)
    left_day: np.ndarray  # last employed day index; large = still employed
    persona: np.ndarray
    is_manager: np.ndarray
    intensity: np.ndarray  # personal usage level
    chronotype: np.ndarray  # hour the working day starts, local
    agent_tool: np.ndarray
    tab_tool: np.ndarray  # -1 = none
    chat_tool: np.ndarray
    has_openai_key: np.ndarray
    adoption_week: np.ndarray  # first week of use; large = never
    premium_taste: np.ndarray  # share of agent sessions on the premium model
    trailer_rate: np.ndarray
    accept_rate: np.ndarray
    pr_rate: np.ndarray  # merged-work pull requests per full week
    style_intensity: np.ndarray  # index into INTENSITIES for inflators, -1 otherwise
    available: np.ndarray  # [person, local col] at work that day (employed, workday, not on leave)
    employed_local: np.ndarray  # [person, local col]
    on_leave: np.ndarray  # [person, local col] planned leave or sick day, on a day they are employed
    team_ids: list[str]
    team_names: list[str]
    team_area: np.ndarray
    team_office: np.ndarray
    repos: list[str]
    repo_team: np.ndarray
    repo_cadence: np.ndarray  # 0 continuous, 1 daily, 2 change window
    services: list[str]
    service_team: np.ndarray
    service_region: list[str | None]
    area_director: dict[str, int] = field(default_factory=dict)

    def members(self, team: int) -> np.ndarray:
        return np.flatnonzero((self.team == team) & ~self.is_manager)


def _team_layout(n_eng: int, rng: np.random.Generator) -> tuple[list[tuple[str, str]], np.ndarray]:
    bases = [(area, base) for area in AREA_KEYS for base in AREAS[area][1]]
    n_teams = max(min(len(bases), n_eng // 6), round(n_eng / 9.5))
    weights = np.array([1.6 if a in ("scada", "outage", "data", "markets") else 1.0 for a, _ in bases])
    # Every area's first team, then the others, then squads of the busiest kinds of team.
    firsts = [b for b, (a, _) in enumerate(bases) if b == 0 or bases[b - 1][0] != a]
    order = (firsts + [b for b in range(len(bases)) if b not in firsts])[:n_teams]
    if n_teams > len(bases):
        extra = rng.choice(len(bases), size=n_teams - len(bases), p=weights / weights.sum())
        order += sorted(int(x) for x in extra)
    teams: list[tuple[str, str]] = []
    seen: dict[int, int] = {}
    for b in order:
        seen[b] = seen.get(b, 0) + 1
        area, base = bases[b]
        teams.append((area, base if seen[b] == 1 else f"{base}-{seen[b]}"))
    p = rng.gamma(5.0, 1.0, n_teams)
    sizes = 3 + rng.multinomial(n_eng - 3 * n_teams, p / p.sum())
    return teams, sizes


def build_org(cal: Calendar, n_eng: int, rng: np.random.Generator) -> Org:
    teams, sizes = _team_layout(n_eng, rng)
    n_teams = len(teams)
    shares = np.array([o.share for o in OFFICES])
    team_office = rng.choice(len(OFFICES), size=n_teams, p=shares)
    team_area = np.array([AREA_KEYS.index(a) for a, _ in teams])
    team_ids = [f"pg-{name}" for _, name in teams]
    team_names = [
        name.replace("-", " ").title().replace("Ot ", "OT ").replace("Rtu", "RTU") for _, name in teams
    ]
    team_names = [n.replace("Der ", "DER ").replace("Scada", "SCADA") for n in team_names]

    # Engineers, then a manager per team and a director per area.
    eng_team = np.repeat(np.arange(n_teams), sizes)
    home = rng.random(n_eng) < 0.8
    eng_office = np.where(home, team_office[eng_team], rng.choice(len(OFFICES), size=n_eng, p=shares))
    n_mgr = n_teams + len(AREA_KEYS)
    n_people = n_eng + n_mgr
    team = np.concatenate([eng_team, np.arange(n_teams), np.full(len(AREA_KEYS), -1)])
    office = np.concatenate([eng_office, team_office, np.zeros(len(AREA_KEYS), dtype=np.int64)])
    director_team = []
    for a in range(len(AREA_KEYS)):
        cands = np.flatnonzero(team_area == a)
        director_team.append(int(cands[0]))
    team[n_eng + n_teams :] = director_team
    for k, t in enumerate(director_team):
        office[n_eng + n_teams + k] = team_office[t]
    is_manager = np.zeros(n_people, dtype=bool)
    is_manager[n_eng:] = True

    # Tenure, hires and leavers.
    D = cal.days
    hired_day = -np.ceil(rng.gamma(1.6, 700.0, n_people)).astype(np.int64) - 1
    hires = rng.random(n_eng) < 0.075
    hired_day[:n_eng][hires] = rng.integers(3, max(4, D - 10), hires.sum())
    hired_day[:n_eng][hires] -= (cal.start.weekday() + hired_day[:n_eng][hires]) % 7  # start on a Monday
    hired_day[:n_eng] = np.where(hires, np.maximum(hired_day[:n_eng], 0), hired_day[:n_eng])
    left_day = np.full(n_people, 10**6, dtype=np.int64)
    leavers = (rng.random(n_eng) < 0.055) & ~hires
    left_day[:n_eng][leavers] = rng.integers(10, max(11, D - 3), leavers.sum())
    # A leaver's last day is a Friday.
    left_day[:n_eng][leavers] += (4 - (left_day[:n_eng][leavers] % 7)) % 7
    left_day = np.where(left_day < D, np.minimum(left_day, D - 1), left_day)

    persona = _assign_personas(cal, n_eng, team_area, eng_team, eng_office, hired_day, left_day, rng)
    persona = np.concatenate([persona, np.full(n_mgr, P["light_user"])])

    # Names, emails, logins.
    first, last, emails, logins, names = [], [], [], [], []
    used_emails: set[str] = set()
    used_logins: set[str] = set()
    for i in range(n_people):
        code = OFFICES[int(office[i])].code
        f = _FIRST[code][int(rng.integers(len(_FIRST[code])))]
        ln = _LAST[code][int(rng.integers(len(_LAST[code])))]
        first.append(f)
        last.append(ln)
        base = f"{f}.{ln}".lower().replace("'", "").replace(" ", "")
        email, k = f"{base}@pylongrid.com", 1
        while email in used_emails:
            k += 1
            email = f"{base}{k}@pylongrid.com"
        used_emails.add(email)
        style = int(rng.integers(4))
        handle = [
            f"{f[0]}{ln}".lower(),
            f"{f}-{ln}".lower(),
            f"{f.lower()}{int(rng.integers(10, 99))}",
            f"{f[0]}{ln}-pg".lower(),
        ][style]
        handle = "".join(ch for ch in handle if ch.isalnum() or ch == "-")
        login, k = handle, 1
        while login in used_logins:
            k += 1
            login = f"{handle}{k}"
        used_logins.add(login)
        emails.append(email)
        logins.append(login)
        names.append(f"{f} {ln}")

    employee_id = [f"PG{10000 + i * 7 + int(rng.integers(7))}" for i in range(n_people)]
    # Roles.
    role: list[str] = []
    area_role = {"sre": "sre", "data": "data_engineer", "security": "security_engineer", "ai": "ml_engineer"}
    for i in range(n_people):
        if i >= n_eng + n_teams:
            role.append("director")
        elif i >= n_eng:
            role.append("manager")
        else:
            a = AREA_KEYS[int(team_area[eng_team[i]])]
            base = area_role.get(a, "engineer")
            pname = PERSONAS[int(persona[i])]
            if pname == "staff_reviewer" or (base == "engineer" and rng.random() < 0.08):
                role.append("staff_engineer")
            elif base == "engineer" and rng.random() < 0.3:
                role.append("senior_engineer")
            else:
                role.append(base)
    manager = np.full(n_people, -1, dtype=np.int64)
    area_director = {AREA_KEYS[a]: n_eng + n_teams + a for a in range(len(AREA_KEYS))}
    manager[:n_eng] = n_eng + eng_team
    manager[n_eng : n_eng + n_teams] = [area_director[AREA_KEYS[int(team_area[t])]] for t in range(n_teams)]

    # Tools.
    area_of = team_area[np.maximum(team, 0)]
    ot = np.isin(area_of, [AREA_KEYS.index("scada"), AREA_KEYS.index("security")])
    primary = rng.choice([T["claude_code"], T["cursor"], T["copilot"]], size=n_people, p=[0.40, 0.28, 0.32])
    primary = np.where(ot & (rng.random(n_people) < 0.6), T["internal_agent"], primary)
    agent_tool = primary.copy()
    tab_tool = np.where(
        primary == T["cursor"],
        T["cursor"],
        np.where(
            (primary == T["copilot"]) | (rng.random(n_people) < 0.55),
            T["copilot"],
            -1,
        ),
    )
    chat_tool = np.where(rng.random(n_people) < 0.85, primary, np.where(tab_tool >= 0, tab_tool, primary))
    analytic = np.isin(area_of, [AREA_KEYS.index(a) for a in ("data", "planning", "ai", "markets")])
    has_openai_key = rng.random(n_people) < np.where(analytic, 0.45, 0.07)

    intensity = np.exp(rng.normal(0.0, 0.38, n_people))
    chronotype = np.clip(rng.normal(8.6, 0.9, n_people), 6.5, 11.5)
    W = cal.weeks
    adoption_week = np.zeros(n_people, dtype=np.int64)
    late = persona == P["late_adopter"]
    adoption_week[late] = rng.integers(max(1, W // 5), max(2, 4 * W // 5), late.sum())
    adoption_week[persona == P["non_adopter"]] = 10**6
    premium_taste = np.where(rng.random(n_people) < 0.2, rng.uniform(0.05, 0.3, n_people), 0.0)
    trailer_rate = np.select(
        [agent_tool == T["claude_code"], agent_tool == T["cursor"], agent_tool == T["internal_agent"]],
        [rng.uniform(0.3, 0.8, n_people), rng.uniform(0.15, 0.5, n_people), rng.uniform(0.2, 0.6, n_people)],
        rng.uniform(0.05, 0.25, n_people),
    )
    accept_rate = np.clip(rng.normal(0.62, 0.12, n_people), 0.25, 0.92)

    base_pr = {
        "non_adopter": 1.7,
        "light_user": 1.8,
        "steady_user": 2.1,
        "late_adopter": 1.8,
        "power_user": 4.2,
        "migration_lead": 3.0,
        "oncall_responder": 1.2,
        "staff_reviewer": 0.6,
        "new_hire_learner": 1.0,
        "protection_engineer": 0.9,
        "grid_model_analyst": 0.7,
        "storm_response_analyst": 1.1,
        "ai_enablement_trainer": 1.0,
    }
    pr_rate = np.array([base_pr.get(PERSONAS[int(p)], 1.9) for p in persona]) * np.exp(
        rng.normal(0, 0.3, n_people)
    )
    pr_rate[is_manager] = 0.25
    style_intensity = np.full(n_people, -1, dtype=np.int64)
    infl = np.isin(persona, [P[s] for s in STYLES])
    style_intensity[infl] = rng.choice(3, size=int(infl.sum()), p=[0.35, 0.4, 0.25])

    # Employment, leave and presence on each local day.
    cols = np.arange(-1, D + 1)
    employed_local = (cols[None, :] >= hired_day[:, None]) & (cols[None, :] <= left_day[:, None])
    on_leave = np.zeros_like(employed_local)
    months = np.array([d.month for d in cal.local_dates])
    for i in range(n_people):
        off = OFFICES[int(office[i])]
        # One or two blocks of annual leave; summer (and school holidays) attract them.
        blocks = int(rng.choice([0, 1, 1, 2]) if D >= 42 else rng.choice([0, 0, 1]))
        for _ in range(blocks):
            summer = (months >= 12) | (months <= 2) if off.southern else (months >= 7) & (months <= 8)
            weights = np.where(summer, 3.0, 1.0)
            if off.southern:
                weights = np.where(months == 7, 2.0, weights)
            start = int(rng.choice(len(cols), p=weights / weights.sum()))
            length = int(rng.choice([3, 5, 7, 10, 14]))
            on_leave[i, start : start + length] = True
        sick = rng.random(len(cols)) < 0.012
        on_leave[i] |= sick
    on_leave &= employed_local
    available = employed_local & cal.workday[office] & ~on_leave

    # Repositories and services.
    repos: list[str] = []
    repo_team: list[int] = []
    repo_cadence: list[int] = []
    services: list[str] = []
    service_team: list[int] = []
    service_region: list[str | None] = []
    suffixes = ["api", "core", "ui", "jobs", "infra", "sdk"]
    for t, (area, name) in enumerate(teams):
        for k in range(int(rng.integers(1, 4))):
            repos.append(f"pylon-grid/{name}" if k == 0 else f"pylon-grid/{name}-{suffixes[k - 1]}")
            repo_team.append(t)
            cadence = 2 if area in ("scada", "markets", "security") else int(rng.choice([0, 0, 1]))
            repo_cadence.append(cadence)
        if area in REGIONAL_AREAS:
            region = OFFICES[int(team_office[t])].region
            regions = [region] if region else []
            if not regions or rng.random() < 0.4:
                regions.append(str(rng.choice([o.region for o in OFFICES if o.region])))
            for r in dict.fromkeys(regions):
                services.append(f"{name}-{r.replace('_', '-')}")
                service_team.append(t)
                service_region.append(r)
        n_svc = int(rng.integers(1, 3)) if area in ONCALL_AREAS else int(rng.integers(0, 2))
        for k in range(n_svc):
            services.append(f"{name}-svc" if k == 0 else f"{name}-worker")
            service_team.append(t)
            service_region.append(None)

    return Org(
        engineers=n_eng,
        people=n_people,
        employee_id=employee_id,
        email=emails,
        login=logins,
        full_name=names,
        role=role,
        team=team,
        office=office,
        manager=manager,
        hired_day=hired_day,
        left_day=left_day,
        persona=persona,
        is_manager=is_manager,
        intensity=intensity,
        chronotype=chronotype,
        agent_tool=agent_tool,
        tab_tool=tab_tool,
        chat_tool=chat_tool,
        has_openai_key=has_openai_key,
        adoption_week=adoption_week,
        premium_taste=premium_taste,
        trailer_rate=trailer_rate,
        accept_rate=accept_rate,
        pr_rate=pr_rate,
        style_intensity=style_intensity,
        available=available,
        employed_local=employed_local,
        on_leave=on_leave,
        team_ids=team_ids,
        team_names=team_names,
        team_area=team_area,
        team_office=team_office,
        repos=repos,
        repo_team=np.array(repo_team),
        repo_cadence=np.array(repo_cadence),
        services=services,
        service_team=np.array(service_team),
        service_region=service_region,
        area_director=area_director,
    )


def _assign_personas(
    cal: Calendar,
    n_eng: int,
    team_area: np.ndarray,
    eng_team: np.ndarray,
    eng_office: np.ndarray,
    hired_day: np.ndarray,
    left_day: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    D = cal.days
    area = team_area[eng_team]
    a = {k: AREA_KEYS.index(k) for k in AREA_KEYS}
    region_office = np.array([o.region is not None for o in OFFICES])
    tenured = hired_day[:n_eng] < 0
    stays = left_day[:n_eng] > D * 0.6
    new_hire = (hired_day[:n_eng] >= 0) & (hired_day[:n_eng] < D - 14)
    eligible = {
        "oncall_responder": np.isin(area, [a[k] for k in ONCALL_AREAS]) & tenured,
        "protection_engineer": np.isin(area, [a["scada"], a["planning"]]) & tenured,
        "grid_model_analyst": np.isin(area, [a["planning"], a["data"], a["markets"]]) & tenured,
        "storm_response_analyst": np.isin(area, [a["outage"], a["fieldops"]]) & region_office[eng_office],
        "ai_enablement_trainer": (area == a["ai"]) & tenured,
        "staff_reviewer": tenured & (hired_day[:n_eng] < -700),
        "new_hire_learner": new_hire,
        "migration_lead": tenured & stays,
    }
    minimum = 2 if n_eng >= 60 else 1
    persona = np.full(n_eng, -1, dtype=np.int64)
    for name, share in _SHARES.items():
        want = max(minimum, round(share * n_eng))
        ok = eligible.get(name, tenured & stays) & (persona < 0)
        pool = np.flatnonzero(ok)
        if len(pool) < want:  # widen rather than leave a persona out of a small organisation
            pool = np.concatenate([pool, rng.permutation(np.flatnonzero((persona < 0) & tenured & ~ok))])
            pool = pool[:want] if name != "new_hire_learner" else pool
        chosen = rng.choice(pool, size=min(want, len(pool)), replace=False) if len(pool) else pool
        persona[chosen] = P[name]
    rest = np.flatnonzero(persona < 0)
    names = list(_ORDINARY_SHARES)
    p = np.array([_ORDINARY_SHARES[n] for n in names])
    picks = rng.choice(len(names), size=len(rest), p=p / p.sum())
    persona[rest] = [P[names[k]] for k in picks]
    # Every ordinary kind appears, however small the organisation.
    for k, name in enumerate(names):
        if not (persona == P[name]).any():
            persona[rest[k]] = P[name]
    return persona
