"""On-call rotations and incidents: the terminals run around the clock, so the pager does too."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.quay.delivery import Delivery
from orchestration.quay.ids import DAY, HOUR
from orchestration.quay.org import DEPT_CODES, Org
from orchestration.quay.plan import P, Plan

TITLES: dict[str, tuple[str, ...]] = {
    "terminal": (
        "TOS event lag above 5 min",
        "berth plan not syncing to quay cranes",
        "yard inventory mismatch",
        "gate transactions timing out",
        "CHE dispatch queue stuck",
    ),
    "vessel": (
        "BAPLIE import rejected",
        "stowage optimiser out of memory",
        "crane sequence missing bays",
        "vessel call registry stale ETAs",
    ),
    "customs": (
        "customs declarations stuck in pending",
        "ICS2 filing rejected by gateway",
        "EDI ingest backlog",
        "CUSCAR acknowledgements missing",
        "sanctions screening latency",
    ),
    "landside": (
        "appointment API 5xx",
        "slot booking double-allocates",
        "driver app login failures",
        "rail order export failing",
    ),
    "automation": (
        "ASC fleet manager lost heartbeat",
        "straddle dispatch deadlock",
        "OCR recognition confidence drop",
        "robot telemetry gap",
        "safe-park routine not releasing",
    ),
    "commercial": (
        "invoice delivery failing",
        "billing run exceeded window",
        "tariff service errors",
        "customer portal slow search",
    ),
    "data": ("lakehouse ingest behind", "KPI refresh failed", "ETA scoring stale", "Trino coordinator OOM"),
    "sre": (
        "node pool exhausted",
        "Kafka under-replicated partitions",
        "edge proxy certificate expiry",
        "cluster DNS errors",
        "observability pipeline dropping logs",
    ),
    "security": (
        "credential-stuffing on appointment portal",
        "SIEM pipeline delayed",
        "suspicious OT traffic",
        "SSO gateway errors",
    ),
    "ai": ("AI gateway rate limiting all users", "model routing errors", "agent runtime sandbox failures"),
    "devex": ("CI runners saturated", "build cache misses", "dev portal down"),
}
SEVERITIES = ("sev1", "sev2", "sev3", "sev4")


@dataclass
class Incidents:
    service: np.ndarray
    title: list[str]
    severity: np.ndarray
    created: np.ndarray
    acked: np.ndarray  # -1 none
    resolved: np.ndarray  # -1 still open
    responder: np.ndarray  # person, -1 none
    acker: np.ndarray
    caused_by: np.ndarray  # deployment index, -1 none
    rota: np.ndarray  # [team, week, primary/secondary] person on call
    #: Hotfix commits pushed while resolving.
    hf_repo: np.ndarray
    hf_author: np.ndarray
    hf_at: np.ndarray
    hf_message: list[str]


def oncall_rota(rng: np.random.Generator, org: Org, plan: Plan) -> np.ndarray:
    """[team, week] -> (primary, secondary) person on call, -1 when the team has nobody."""
    n_teams, weeks = len(org.team_ids), org.weeks
    rota = np.full((n_teams, weeks, 2), -1, dtype=np.int64)
    present = org.employed.reshape(org.people, weeks, 7).sum(axis=2) >= 5
    away = org.leave.reshape(org.people, weeks, 7).sum(axis=2) >= 3
    for t in range(n_teams):
        members = np.flatnonzero((org.team == t) & org.is_engineer & (plan.oncall_weight > 0))
        if members.size == 0:
            continue
        # A rotation list in which the heavy responders hold more shifts.
        reps = np.maximum(1, np.round(plan.oncall_weight[members])).astype(int)
        cycle = rng.permutation(np.repeat(members, reps))
        pos = int(rng.integers(cycle.size))
        for w in range(weeks):
            chosen = []
            for _ in range(cycle.size):
                cand = cycle[pos % cycle.size]
                pos += 1
                if present[cand, w] and not away[cand, w] and cand not in chosen:
                    chosen.append(cand)
                    if len(chosen) == 2:
                        break
            for i, c in enumerate(chosen):
                rota[t, w, i] = c
    return rota


def build_incidents(rng: np.random.Generator, org: Org, plan: Plan, dl: Delivery) -> Incidents:
    days = org.days
    end = days * DAY
    n_serv = len(org.services)
    s_team = org.service_team
    s_dept = org.team_dept[s_team]
    s_office = org.team_office[s_team]
    mult = plan.op_incidents[s_dept[:, None], s_office[:, None], np.arange(days)[None, :]]
    crunch = 1 + (plan.crunch[s_dept] - 1) * 0.5
    lam = (org.service_rate[:, None] / 7) * mult * crunch
    counts = rng.poisson(lam)
    s_idx, d_idx = np.nonzero(counts)
    reps = counts[s_idx, d_idx]
    service = np.repeat(s_idx, reps)
    created = np.repeat(d_idx, reps) * DAY + rng.integers(0, DAY, service.size)
    severe_share = plan.op_severe[s_dept[service], s_office[service], np.repeat(d_idx, reps)]
    caused = np.full(service.size, -1, dtype=np.int64)

    # Changes that broke production.
    prod = np.flatnonzero(np.array([e == "production" for e in dl.dp_env]) & (dl.dp_started >= 0))
    status_bad = np.array([dl.dp_status[i] != "success" for i in prod])
    day_of = np.clip(dl.dp_started[prod] // DAY, 0, days - 1)
    r_dept = org.team_dept[org.repo_team[dl.dp_repo[prod]]]
    p_break = np.where(status_bad, 0.12, 0.022) * np.where(plan.crunch[r_dept, day_of] > 1.3, 1.8, 1.0)
    broke = prod[rng.random(prod.size) < p_break]
    b_service = np.empty(broke.size, dtype=np.int64)
    for i, dep in enumerate(broke):
        own = np.flatnonzero(s_team == org.repo_team[dl.dp_repo[dep]])
        b_service[i] = rng.choice(own) if own.size else rng.integers(n_serv)
    b_created = dl.dp_finished[broke] + (rng.uniform(0.1, 6.0, broke.size) * HOUR).astype(np.int64)
    service = np.concatenate([service, b_service])
    created = np.concatenate([created, b_created])
    severe_share = np.concatenate([severe_share, np.full(broke.size, 0.25)])
    caused = np.concatenate([caused, broke])
    keep = created < end - 10 * 60_000_000
    service, created, severe_share, caused = service[keep], created[keep], severe_share[keep], caused[keep]
    n = service.size

    u = rng.random(n)
    sev = np.where(u < severe_share * 0.3, 0, np.where(u < severe_share, 1, -1))
    base = rng.choice(4, size=n, p=[0.03, 0.14, 0.5, 0.33])
    sev = np.where(sev < 0, base, sev)

    rota = oncall_rota(rng, org, plan)
    week = np.clip(created // (7 * DAY), 0, org.weeks - 1)
    team = s_team[service]
    primary = rota[team, week, 0]
    secondary = rota[team, week, 1]
    # Follow the sun: an SRE service's page goes to whichever SRE team is in office hours.
    sre = DEPT_CODES.index("sre")
    sre_teams = np.flatnonzero(org.team_dept == sre)
    is_sre = org.team_dept[team] == sre
    if sre_teams.size and is_sre.any():
        idx = np.flatnonzero(is_sre)
        cday = np.clip(created[idx] // DAY, 0, days - 1)
        utc_hour = (created[idx] % DAY) / HOUR
        local = (utc_hour[:, None] + org.offsets[org.team_office[sre_teams]][:, cday].T) % 24
        awake = (local >= 8) & (local < 20)
        pick = np.where(awake.any(axis=1), np.argmax(awake, axis=1), 0)
        chosen_team = np.where(awake.any(axis=1), sre_teams[pick], team[idx])
        primary[idx] = rota[chosen_team, week[idx], 0]
        secondary[idx] = rota[chosen_team, week[idx], 1]
    # Commissioning engineers take the robotics pages of the weeks they are on site.
    yard = np.flatnonzero(plan.persona == P["yard_commissioning_engineer"])
    for p in yard:
        sel = np.flatnonzero(
            (org.team_dept[team] == org.dept[p]) & plan.window[p, week] & (rng.random(n) < 0.6)
        )
        primary[sel] = p

    ack_med = np.array([4.0, 8.0, 16.0, 45.0])[sev]
    utc_h = (created % DAY) / HOUR
    night = np.zeros(n, dtype=bool)
    has = primary >= 0
    local_h = (
        utc_h[has] + org.offsets[org.office[primary[has]], np.clip(created[has] // DAY, 0, days - 1)]
    ) % 24
    night[has] = (local_h < 7) | (local_h >= 22)
    ack = created + (rng.lognormal(np.log(ack_med), 0.7) * np.where(night, 1.8, 1.0) * 60_000_000).astype(
        np.int64
    )
    res_med = np.array([1.3, 2.6, 6.5, 28.0])[sev]
    resolved = created + (rng.lognormal(np.log(res_med), 0.85) * HOUR).astype(np.int64)
    resolved = np.maximum(resolved, ack + 5 * 60_000_000)
    escalate = (secondary >= 0) & (rng.random(n) < np.where(sev <= 1, 0.3, 0.1))
    responder = np.where(escalate, secondary, primary)
    acker = primary.copy()
    resolved = np.where((resolved >= end) | (responder < 0), -1, resolved)
    ack = np.where((ack >= end) | (acker < 0), -1, ack)
    responder = np.where(resolved < 0, -1, responder)

    titles = []
    tu = rng.random(n)
    for i in range(n):
        options = TITLES[DEPT_CODES[org.team_dept[team[i]]]]
        titles.append(options[int(tu[i] * len(options))])

    # Hotfixes pushed straight to main while resolving the worst ones.
    hf = np.flatnonzero((resolved >= 0) & (sev <= 1) & (rng.random(n) < 0.35))
    hf_repo = np.empty(hf.size, dtype=np.int64)
    for i, k in enumerate(hf):
        own = np.flatnonzero(org.repo_team == team[k])
        hf_repo[i] = rng.choice(own) if own.size else 0
    hf_at = resolved[hf] - (rng.uniform(0.1, 0.6, hf.size) * (resolved[hf] - ack[hf].clip(0))).astype(
        np.int64
    )
    hf_message = [f"hotfix: {titles[k]}" for k in hf]
    return Incidents(
        service=service,
        title=titles,
        severity=sev,
        created=created,
        acked=ack,
        resolved=resolved,
        responder=responder,
        acker=acker,
        caused_by=caused,
        rota=rota,
        hf_repo=hf_repo,
        hf_author=responder[hf],
        hf_at=hf_at,
        hf_message=hf_message,
    )
