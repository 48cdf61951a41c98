"""Brae Health's delivery: pull requests, reviews, commits, deployments and the incidents that page people.

Pull requests follow each engineer's pace, their department's release rhythm (crunch before a
go-live, little merged in a change freeze) and their leave. Clinical repositories need two approvals
and ship through change-advisory windows; the rest deploy daily. Incidents come from the services'
own failure rates, the winter surge, bad deployments and the outages of the period, and are answered
by each team's weekly on-call or, for sev1 and sev2, by the incident commanders of Site Reliability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.brae.calendar import DAY_US, HOUR_US, US, Calendar, Outage, Rhythm
from orchestration.brae.hashing import mix, shas
from orchestration.brae.organisation import Org
from orchestration.brae.traits import CLAUDE, COPILOT, CURSOR, Traits

NULL = -1
BOTS = ("dependabot[bot]", "renovate[bot]")
BOT_EMAILS = (
    "49699333+dependabot[bot]@users.noreply.github.com",
    "29139614+renovate[bot]@users.noreply.github.com",
)
TRAILERS = {
    CLAUDE: "Co-authored-by: Claude <noreply@anthropic.com>",
    CURSOR: "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
    COPILOT: "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
}

_VERBS = (
    "Add",
    "Fix",
    "Handle",
    "Refactor",
    "Validate",
    "Log",
    "Retry",
    "Cache",
    "Migrate",
    "Remove",
    "Support",
)
_NOUNS = {
    "epr": (
        "ADT A08 updates",
        "ward transfer events",
        "discharge letters",
        "bed state sync",
        "allergy list view",
    ),
    "cds": (
        "NEWS2 thresholds",
        "sepsis screening rule",
        "AKI alert",
        "drug interaction check",
        "alert fatigue metric",
    ),
    "pharm": (
        "dm+d formulary import",
        "controlled drug register",
        "dose range check",
        "dispensing robot queue",
    ),
    "lab": ("LOINC result codes", "critical result paging", "specimen tracking", "HL7 ORU parsing"),
    "img": ("DICOM tag anonymiser", "radiology worklist filter", "PACS prefetch", "study routing rules"),
    "hl7": ("FHIR Patient mapping", "HL7 v2 ACK handling", "interface retry queue", "MLLP listener timeouts"),
    "app": ("appointment reminders", "repeat prescription flow", "NHS login callback", "push token refresh"),
    "sched": ("clinic slot search", "referral triage queue", "waiting list export", "overbooking guard"),
    "claims": ("tariff 2026 tables", "remittance matching", "claim rejection codes", "invoice PDF"),
    "consent": ("consent withdrawal", "identity matching score", "proxy access", "audit trail export"),
    "data": ("bed occupancy pipeline", "lakehouse partitioning", "ingest job retries", "PHI masking"),
    "analytics": (
        "readmission dashboard",
        "waiting list model",
        "quality indicators",
        "A&E four-hour metric",
    ),
    "aiplat": ("gateway rate limits", "ward agent tools", "eval harness", "PHI redaction filter"),
    "nlp": ("discharge summary sections", "clinic letter coding", "negation detection", "ICD-10 suggestions"),
    "term": ("SNOMED CT refsets", "LOINC mappings", "terminology server cache", "dm+d VMP lookup"),
    "sre": ("Kubernetes upgrade", "alert routing", "SLO burn alerts", "node pool autoscaling"),
    "sec": ("secrets rotation", "SIEM detection rule", "access review export", "TLS policy"),
    "devplat": ("CI cache keys", "service catalogue entries", "build runner images", "release pipeline"),
    "network": ("site VPN failover", "device enrolment", "Wi-Fi certificate renewal", "MDM policy"),
}
_FOLLOW_UPS = (
    "address review comments",
    "add tests",
    "fix lint",
    "update snapshots",
    "handle missing NHS number",
    "tidy up",
    "rename per review",
    "bump schema version",
    "fix flaky test",
    "update docs",
)
_INCIDENT_TITLES = (
    "{s}: error rate above SLO",
    "{s}: p95 latency breach",
    "{s}: queue depth above threshold",
    "{s}: failing health checks",
    "{s}: disk usage above 90%",
    "{s}: certificate expires in 7 days",
    "{s}: pod restarts looping",
    "{s}: upstream timeouts",
)


@dataclass
class Delivery:
    repos: list[str]
    repo_team: np.ndarray
    services: list[str]
    service_team: np.ndarray
    prs: dict[str, np.ndarray]
    reviews: dict[str, np.ndarray]
    commits: dict[str, np.ndarray]
    deployments: dict[str, np.ndarray]
    incidents: dict[str, np.ndarray]


def _local_day(cal: Calendar, office: np.ndarray, t_us: np.ndarray) -> np.ndarray:
    utc_day = np.clip((t_us - cal.start_us) // DAY_US, 0, cal.days - 1)
    local = t_us + cal.offset_s[office, utc_day] * US
    return (local - cal.start_us) // DAY_US


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def build(
    org: Org,
    traits: Traits,
    rhythm: Rhythm,
    outages: list[Outage],
    padder_weeks: dict[int, np.ndarray],
    rng: np.random.Generator,
    salt: int,
) -> Delivery:
    repos: list[str] = []
    repo_team: list[int] = []
    services: list[str] = []
    service_team: list[int] = []
    team_repo_first = np.zeros(len(org.teams), dtype=np.int64)
    team_repo_count = np.zeros(len(org.teams), dtype=np.int64)
    for t, team in enumerate(org.teams):
        team_repo_first[t] = len(repos)
        team_repo_count[t] = len(team.repos)
        repos += team.repos
        repo_team += [t] * len(team.repos)
        services += team.services
        service_team += [t] * len(team.services)
    d = Delivery(
        repos=repos,
        repo_team=np.array(repo_team),
        services=services,
        service_team=np.array(service_team),
        prs={},
        reviews={},
        commits={},
        deployments={},
        incidents={},
    )
    prs = _pull_requests(org, traits, rhythm, d, team_repo_first, team_repo_count, padder_weeks, rng)
    d.prs = _number(prs, d, rng)
    d.reviews = _reviews(org, d, rng, salt)
    d.commits = _commits(org, traits, d, rng, salt)
    d.deployments = _deployments(org, rhythm, d, rng, salt)
    d.incidents = _incidents(org, rhythm, outages, d, rng, salt)
    return d


def _pull_requests(
    org: Org,
    traits: Traits,
    rhythm: Rhythm,
    d: Delivery,
    team_repo_first: np.ndarray,
    team_repo_count: np.ndarray,
    padder_weeks: dict[int, np.ndarray],
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    cal = org.cal
    n_eng = int(org.is_engineer.sum())
    weeks = cal.weeks
    end_us = cal.start_us + cal.days * DAY_US
    working = org.working[:n_eng]
    wd = working.reshape(n_eng, weeks, 7).sum(axis=2) / 5.0
    week = np.arange(weeks)
    dept = org.department[:n_eng]
    lift = 1 + traits.ai_lift[:n_eng, None] * (week[None, :] >= (traits.adopt_day[:n_eng, None] // 7))
    hire_week = org.hired_day[:n_eng] // 7
    ramp = np.clip(0.25 + (week[None, :] - hire_week[:, None]) / 10.0, 0.25, 1.0)
    in_phase = (week[None, :] >= traits.phase_start[:n_eng, None]) & (
        week[None, :] < traits.phase_end[:n_eng, None]
    )
    phase = np.where(in_phase, 1.35, 1.0)
    lam = traits.pr_rate[:n_eng, None] * rhythm.prs[dept] * wd * lift * ramp * phase
    counts = rng.poisson(lam)
    flat = counts.ravel()
    cell = np.repeat(np.arange(flat.size), flat)
    author, pr_week = cell // weeks, cell % weeks

    # Throwaway prototypes opened as pull requests and closed without merging.
    pad_author, pad_week = [], []
    for person, active in padder_weeks.items():
        for w in np.flatnonzero(active):
            k = int(rng.integers(1, 4))
            pad_author += [person] * k
            pad_week += [int(w)] * k
    is_pad = np.concatenate([np.zeros(author.size, dtype=bool), np.ones(len(pad_author), dtype=bool)])
    author = np.concatenate([author, np.array(pad_author, dtype=np.int64)])
    pr_week = np.concatenate([pr_week, np.array(pad_week, dtype=np.int64)])

    n = author.size
    day_cols = pr_week[:, None] * 7 + np.arange(7)[None, :]
    mask = working[author[:, None], day_cols]
    keys = rng.random((n, 7)) * mask
    keep = mask.any(axis=1)
    day = pr_week * 7 + np.argmax(keys, axis=1)
    author, day, pr_week, is_pad = author[keep], day[keep], pr_week[keep], is_pad[keep]
    n = author.size
    office = org.office[author]
    hour = np.clip(rng.normal(13.0, 2.3, n) + traits.chrono[author], 7.5, 20.0)
    created = cal.local_to_utc_us(office, day, hour)

    team = org.team[author]
    migrating = (pr_week >= traits.phase_start[author]) & (pr_week < traits.phase_end[author])
    migrating &= np.array([org.persona[a] == "migration_lead" for a in author], dtype=bool)
    pick = np.floor(rng.random(n) * team_repo_count[team]).astype(np.int64)
    repo = team_repo_first[team] + np.where(migrating, 0, pick)
    stray = (rng.random(n) < 0.08) & ~migrating & ~is_pad
    repo[stray] = rng.integers(0, len(d.repos), int(stray.sum()))
    owner = d.repo_team[repo]
    repo_dept = np.array([org.teams[t].department for t in owner])

    first_commit = created - (np.minimum(rng.lognormal(np.log(5.0), 1.1, n), 240.0) * HOUR_US).astype(
        np.int64
    )
    draft = (rng.random(n) < 0.18) | is_pad
    ready_gap = (rng.lognormal(np.log(6.0), 0.9, n) * HOUR_US).astype(np.int64)
    ready = np.where(draft, created + ready_gap, NULL)
    ready[is_pad & (rng.random(n) < 0.75)] = NULL
    open_at = np.where(ready > 0, ready, created)
    crunching = rhythm.crunch[repo_dept, pr_week]
    cycle_h = (
        rng.lognormal(np.log(16.0), 0.85, n)
        * np.where(repo_dept == 0, 1.6, 1.0)
        * np.where(crunching, 0.7, 1.0)
    )
    merge_t = open_at + (cycle_h * HOUR_US).astype(np.int64)
    frozen_week = rhythm.freeze[repo_dept, pr_week]
    hotfix = frozen_week & (rng.random(n) < 0.15) & ~is_pad
    for _ in range(4):
        mw = np.clip((merge_t - cal.start_us) // (7 * DAY_US), 0, cal.weeks - 1)
        held = rhythm.freeze[repo_dept, mw] & ~hotfix & (merge_t < end_us)
        if not held.any():
            break
        monday = cal.start_us + (mw + 1) * 7 * DAY_US + 9 * HOUR_US
        merge_t = np.where(held, monday + (rng.random(n) * 8 * HOUR_US).astype(np.int64), merge_t)
    team_office = np.array([t.office for t in org.teams])[owner]
    local_weekday = _local_day(cal, team_office, merge_t) % 7
    merge_t += np.where(local_weekday == 5, 2 * DAY_US, np.where(local_weekday == 6, DAY_US, 0))

    outcome = rng.random(n)
    closed_unmerged = (outcome < 0.07) | is_pad
    close_h = np.where(is_pad, rng.uniform(20, 140, n), rng.lognormal(np.log(30.0), 0.9, n))
    close_t = open_at + (close_h * HOUR_US).astype(np.int64)
    merged_at = np.where(~closed_unmerged & (merge_t < end_us), merge_t, NULL)
    closed_at = np.where(closed_unmerged, np.where(close_t < end_us, close_t, NULL), merged_at)

    size = rng.lognormal(np.log(60.0), 1.15, n)
    size *= np.where(migrating, 5.0, 1.0) * np.where(is_pad, 12.0, 1.0)
    additions = np.minimum(size, 9000).astype(np.int64) + 1
    deletions = (additions * rng.beta(1.5, 3.5, n)).astype(np.int64)
    changed = 1 + rng.poisson(additions / 45.0)
    changed = np.minimum(changed, 180)

    slugs = [org.teams[t].area.slug for t in owner]
    verbs = rng.integers(0, len(_VERBS), n)
    nouns = rng.integers(0, 1000, n)
    title, labels, base = [], [], []
    for i in range(n):
        noun_list = _NOUNS[slugs[i]]
        noun = noun_list[int(nouns[i]) % len(noun_list)]
        label: list[str] = []
        if is_pad[i]:
            kind = ("Prototype", "Spike", "WIP: explore")[int(nouns[i]) % 3]
            title.append(f"{kind} {noun.lower()} with an agent-generated rewrite")
            label.append(("prototype", "spike", "experiment")[int(verbs[i]) % 3])
        else:
            title.append(f"{_VERBS[int(verbs[i])]} {noun}")
        if hotfix[i]:
            label.append("hotfix")
        if migrating[i]:
            label.append("migration")
        if repo_dept[i] == 0 and nouns[i] % 3 == 0:
            label.append("clinical-safety")
        if crunching[i] and nouns[i] % 2 == 0:
            label.append("release-train")
        if org.persona[author[i]] == "validation_author" and nouns[i] % 2 == 1:
            label.append("validation")
        if org.persona[author[i]] == "terminology_curator" and nouns[i] % 2 == 1:
            label.append("terminology")
        labels.append(",".join(label) if label else None)
        base.append("release" if hotfix[i] else "main")
    human = {
        "repo": repo,
        "author": author,
        "created": created,
        "ready": ready,
        "first_commit": first_commit,
        "merged": merged_at,
        "closed": closed_at,
        "additions": additions,
        "deletions": deletions,
        "changed_files": changed,
        "title": np.array(title, dtype=object),
        "labels": np.array(labels, dtype=object),
        "base": np.array(base, dtype=object),
        "padder": is_pad,
        "migrating": migrating,
    }
    return _concat([human, _bot_prs(org, d, rng)])


def _bot_prs(org: Org, d: Delivery, rng: np.random.Generator) -> dict[str, np.ndarray]:
    cal = org.cal
    end_us = cal.start_us + cal.days * DAY_US
    n_repo = len(d.repos)
    which = rng.random(n_repo) < 0.6
    hit = rng.random((n_repo, cal.weeks)) < 0.45
    repo, week = np.nonzero(hit)
    n = repo.size
    bot = np.where(which[repo], 0, 1)
    created = cal.start_us + week * 7 * DAY_US + ((4 + rng.random(n) * 3) * HOUR_US).astype(np.int64)
    merge_t = created + (rng.lognormal(np.log(20.0), 0.9, n) * HOUR_US).astype(np.int64)
    u = rng.random(n)
    merged = np.where((u < 0.75) & (merge_t < end_us), merge_t, NULL)
    close_t = created + (rng.lognormal(np.log(60.0), 0.6, n) * HOUR_US).astype(np.int64)
    closed = np.where(u < 0.75, merged, np.where((u < 0.9) & (close_t < end_us), close_t, NULL))
    deps = ("spring-boot", "hapi-fhir", "fastapi", "react-native", "pydantic", "terraform-aws", "log4j-core")
    title = np.array(
        [f"Bump {deps[int(x)]} to the latest patch" for x in rng.integers(0, len(deps), n)], dtype=object
    )
    additions = rng.integers(2, 40, n)
    return {
        "repo": repo.astype(np.int64),
        "author": -1 - bot.astype(np.int64),
        "created": created,
        "ready": np.full(n, NULL),
        "first_commit": created - 60 * US,
        "merged": merged,
        "closed": closed,
        "additions": additions,
        "deletions": (additions * 0.8).astype(np.int64),
        "changed_files": rng.integers(1, 3, n),
        "title": title,
        "labels": np.full(n, "dependencies", dtype=object),
        "base": np.full(n, "main", dtype=object),
        "padder": np.zeros(n, dtype=bool),
        "migrating": np.zeros(n, dtype=bool),
    }


def _number(prs: dict[str, np.ndarray], d: Delivery, rng: np.random.Generator) -> dict[str, np.ndarray]:
    order = np.lexsort((prs["created"], prs["repo"]))
    prs = {key: value[order] for key, value in prs.items()}
    repo = prs["repo"]
    starts = np.r_[0, np.flatnonzero(np.diff(repo)) + 1]
    group = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, repo.size]))
    rank = np.arange(repo.size) - starts[group]
    base = rng.integers(40, 4000, len(d.repos))
    prs["number"] = base[repo] + rank + 1
    return prs


def _reviews(org: Org, d: Delivery, rng: np.random.Generator, salt: int) -> dict[str, np.ndarray]:
    cal = org.cal
    end_us = cal.start_us + cal.days * DAY_US
    prs = d.prs
    n = prs["repo"].size
    owner = d.repo_team[prs["repo"]]
    dept = np.array([t.department for t in org.teams])[owner]
    start = np.where(prs["ready"] > 0, prs["ready"], prs["created"])
    never_ready = prs["padder"] & (prs["ready"] < 0)
    stop = np.where(prs["merged"] > 0, prs["merged"], np.where(prs["closed"] > 0, prs["closed"], end_us))
    stop = np.minimum(stop, start + 6 * DAY_US)
    stop = np.minimum(stop, end_us - 1)
    span = np.maximum(stop - start, 60 * US)
    required = np.where(dept == 0, 2, 1)
    required[never_ready] = (rng.random(int(never_ready.sum())) < 0.25).astype(np.int64)
    bot = prs["author"] < 0
    required[bot] = 1
    extra = (rng.random(n) < 0.25).astype(np.int64)
    extra[never_ready | bot] = 0
    slots = required + extra
    pr_idx = np.repeat(np.arange(n), slots)
    slot = np.arange(pr_idx.size) - np.repeat(np.cumsum(slots) - slots, slots)
    m = pr_idx.size
    reviewer = np.full(m, NULL)
    pr_team = owner[pr_idx]
    for t, team in enumerate(org.teams):
        members = np.array(team.members, dtype=np.int64)
        rows = np.flatnonzero(pr_team == t)
        if rows.size == 0 or members.size < 2:
            continue
        for _ in range(3):
            todo = rows[reviewer[rows] == NULL]
            if todo.size == 0:
                break
            cand = members[rng.integers(0, members.size, todo.size)]
            reviewer[todo] = cand
        reviewer[rows[reviewer[rows] == prs["author"][pr_idx[rows]]]] = NULL
    frac = rng.uniform(0.15, 0.95, m)
    frac = np.where(slot < required[pr_idx], frac, rng.uniform(0.05, 0.95, m))
    submitted = start[pr_idx] + (frac * span[pr_idx]).astype(np.int64)
    merged = prs["merged"][pr_idx] > 0
    closed = (prs["closed"][pr_idx] > 0) & ~merged
    is_required = slot < required[pr_idx]
    u = rng.random(m)
    state = np.where(
        merged & is_required,
        np.where(u < 0.985, "APPROVED", "DISMISSED"),
        np.where(
            closed,
            np.where(u < 0.6, "COMMENTED", "CHANGES_REQUESTED"),
            np.where(u < 0.45, "COMMENTED", np.where(u < 0.8, "APPROVED", "CHANGES_REQUESTED")),
        ),
    ).astype(object)
    # Some approvals follow a round of requested changes from the same reviewer.
    redo = merged & is_required & (rng.random(m) < 0.15)
    rows = {"pr": pr_idx, "reviewer": reviewer, "state": state, "submitted": submitted}
    before = {
        "pr": pr_idx[redo],
        "reviewer": reviewer[redo],
        "state": np.full(int(redo.sum()), "CHANGES_REQUESTED", dtype=object),
        "submitted": start[pr_idx[redo]] + (frac[redo] * 0.5 * span[pr_idx[redo]]).astype(np.int64),
    }
    staff = _staff_reviews(org, d, start, span, rng)
    out = _concat([rows, before, staff])
    local_day = _local_day(cal, org.office[np.maximum(out["reviewer"], 0)], out["submitted"])
    ok = out["reviewer"] >= 0
    ok &= out["submitted"] < end_us
    ok &= (local_day >= 0) & (local_day < cal.days)
    ok[ok] &= org.employed[out["reviewer"][ok], local_day[ok]]
    ok &= out["reviewer"] != prs["author"][out["pr"]]
    out = {key: value[ok] for key, value in out.items()}
    order = np.lexsort((out["submitted"], out["pr"]))
    out = {key: value[order] for key, value in out.items()}
    out["review_id"] = np.arange(out["pr"].size) + 1_200_000_000 + (salt % 997) * 1_000_000
    return out


def _staff_reviews(
    org: Org, d: Delivery, start: np.ndarray, span: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Staff engineers review across their department: most of their week is other people's changes."""
    prs = d.prs
    owner = d.repo_team[prs["repo"]]
    dept = np.array([t.department for t in org.teams])[owner]
    staff = org.by_persona("staff_reviewer")
    parts = []
    weeks = org.cal.weeks
    for dep in range(4):
        people = staff[org.department[staff] == dep]
        candidates = np.flatnonzero((dept == dep) & (prs["author"] >= 0) & ~prs["padder"])
        if people.size == 0 or candidates.size == 0:
            continue
        per_week = rng.uniform(16, 32, people.size)
        want = rng.poisson(per_week * weeks)
        reviewer = np.repeat(people, want)
        pr = rng.choice(candidates, size=reviewer.size)
        frac = rng.uniform(0.05, 0.9, reviewer.size)
        u = rng.random(reviewer.size)
        merged = prs["merged"][pr] > 0
        state = np.where(
            u < 0.5,
            np.where(merged, "APPROVED", "COMMENTED"),
            np.where(u < 0.85, "COMMENTED", "CHANGES_REQUESTED"),
        ).astype(object)
        parts.append(
            {
                "pr": pr,
                "reviewer": reviewer,
                "state": state,
                "submitted": start[pr] + (frac * span[pr]).astype(np.int64),
            }
        )
    if not parts:
        return {
            "pr": np.zeros(0, np.int64),
            "reviewer": np.zeros(0, np.int64),
            "state": np.zeros(0, object),
            "submitted": np.zeros(0, np.int64),
        }
    return _concat(parts)


def _commits(
    org: Org, traits: Traits, d: Delivery, rng: np.random.Generator, salt: int
) -> dict[str, np.ndarray]:
    cal = org.cal
    prs = d.prs
    n = prs["repo"].size
    author = prs["author"]
    human = author >= 0
    k = 1 + rng.poisson(np.where(prs["migrating"], 5.0, np.where(prs["padder"], 2.0, 1.8)))
    k[~human] = 1
    pr_idx = np.repeat(np.arange(n), k)
    pos = np.arange(pr_idx.size) - np.repeat(np.cumsum(k) - k, k)
    last_t = np.where(
        prs["merged"] > 0, prs["merged"], np.where(prs["closed"] > 0, prs["closed"], prs["created"])
    )
    lo = prs["first_commit"][pr_idx]
    hi = np.maximum(lo + 60 * US, lo + ((last_t[pr_idx] - lo) * 0.8).astype(np.int64))
    hi = np.minimum(hi, cal.start_us + cal.days * DAY_US - 60 * US)
    authored = np.where(pos == 0, lo, lo + (rng.random(pr_idx.size) * (hi - lo)).astype(np.int64))
    authored = np.maximum(authored, lo)
    order = np.lexsort((authored, pr_idx))
    pr_idx, authored = pr_idx[order], authored[order]
    pos = np.arange(pr_idx.size) - np.repeat(np.cumsum(k) - k, k)
    merged = prs["merged"][pr_idx] > 0
    committed = np.where(merged, prs["merged"][pr_idx], authored)
    weights = rng.random(pr_idx.size) + 0.2
    share = weights / np.bincount(pr_idx, weights, minlength=n)[pr_idx]
    additions = np.round(prs["additions"][pr_idx] * share).astype(np.int64)
    deletions = np.round(prs["deletions"][pr_idx] * share).astype(np.int64)
    a = author[pr_idx]
    sha = shas((salt, 17), pr_idx.size)

    person = np.maximum(a, 0)
    day = _local_day(cal, org.office[person], authored)
    adopted = day >= traits.adopt_day[person]
    ai = (a >= 0) & adopted & (rng.random(pr_idx.size) < traits.trailer_p[person])
    ai |= prs["padder"][pr_idx]
    tool = traits.primary_tool[person]
    tool = np.where(np.isin(tool, (CLAUDE, CURSOR, COPILOT)), tool, CLAUDE)
    pair = (a >= 0) & (rng.random(pr_idx.size) < 0.03)
    follow = rng.integers(0, len(_FOLLOW_UPS), pr_idx.size)
    mates = rng.integers(0, 10**6, pr_idx.size)
    messages = []
    emails, logins = [], []
    for i in range(pr_idx.size):
        p = int(pr_idx[i])
        if a[i] < 0:
            emails.append(BOT_EMAILS[-1 - int(a[i])])
            logins.append(BOTS[-1 - int(a[i])])
            messages.append(f"{prs['title'][p]}\n\nSigned-off-by: {BOTS[-1 - int(a[i])]}")
            continue
        emails.append(org.email[a[i]])
        logins.append(org.login[a[i]])
        subject = prs["title"][p] if pos[i] == 0 else _FOLLOW_UPS[int(follow[i])]
        lines = [subject]
        trailers = []
        if ai[i]:
            trailers.append(TRAILERS[int(tool[i])])
        if pair[i]:
            members = org.teams[org.team[a[i]]].members
            mate = members[int(mates[i]) % len(members)]
            if mate != a[i]:
                trailers.append(f"Co-authored-by: {org.full_name[mate]} <{org.email[mate]}>")
        if trailers:
            lines.append("")
            lines += trailers
        messages.append("\n".join(lines))
    return {
        "repo": prs["repo"][pr_idx],
        "sha": sha,
        "author_email": np.array(emails, dtype=object),
        "author_login": np.array(logins, dtype=object),
        "authored": authored,
        "committed": committed,
        "message": np.array(messages, dtype=object),
        "additions": additions,
        "deletions": deletions,
        "pr_number": prs["number"][pr_idx],
        "pr": pr_idx,
        "author": a,
        "is_last": np.r_[pr_idx[1:] != pr_idx[:-1], True],
    }


def merge_shas(d: Delivery) -> np.ndarray:
    """Brae rebases and merges: a merged pull request's merge commit is its last rebased commit."""
    out = np.full(d.prs["repo"].size, None, dtype=object)
    last = d.commits["is_last"]
    pr = d.commits["pr"][last]
    merged = d.prs["merged"][pr] > 0
    out[pr[merged]] = d.commits["sha"][last][merged]
    return out


def _deployments(
    org: Org, rhythm: Rhythm, d: Delivery, rng: np.random.Generator, salt: int
) -> dict[str, np.ndarray]:
    cal = org.cal
    end_us = cal.start_us + cal.days * DAY_US
    prs = d.prs
    merge_sha = merge_shas(d)
    hotfix = np.array(["hotfix" in (lab or "") for lab in prs["labels"]])
    out: dict[str, list] = {k: [] for k in ("repo", "sha", "env", "status", "started", "finished")}
    days = np.arange(cal.days)
    for r in range(len(d.repos)):
        team = org.teams[d.repo_team[r]]
        dep = team.department
        mine = np.flatnonzero((prs["repo"] == r) & (prs["merged"] > 0))
        if mine.size == 0:
            continue
        mine = mine[np.argsort(prs["merged"][mine])]
        merged_t = prs["merged"][mine]
        weekday = cal.weekday
        if dep == 0:
            slot_days = days[np.isin(weekday, (1, 3))]
            hour = 19.0
        else:
            slot_days = days[weekday < 5]
            hour = 11.0
        slot_days = slot_days[~cal.holiday[team.office, slot_days]]
        times = cal.local_to_utc_us(
            np.full(slot_days.size, team.office), slot_days, np.full(slot_days.size, hour)
        )
        times = times + (rng.random(times.size) * 40 * 60 * US).astype(np.int64)
        keep = times < end_us
        times, slot_days = times[keep], slot_days[keep]
        upto = np.searchsorted(merged_t, times, side="right")
        frozen = rhythm.freeze[dep, slot_days // 7]
        # A window skipped in a freeze ships later: the next open window takes everything merged since.
        shipped = 0
        for t, u, cold in zip(times, upto, frozen, strict=True):
            if u <= shipped or (cold and not hotfix[mine[shipped:u]].any()):
                continue
            shipped = int(u)
            sha = merge_sha[mine[u - 1]]
            staging = t - int((1.5 + rng.random()) * HOUR_US)
            out["repo"].append(r)
            out["sha"].append(sha)
            out["env"].append("staging")
            out["status"].append("success" if rng.random() < 0.96 else "failure")
            out["started"].append(staging)
            out["finished"].append(staging + int(rng.uniform(3, 15) * 60 * US))
            roll = rng.random()
            status = "success" if roll < 0.93 else ("failure" if roll < 0.98 else "error")
            out["repo"].append(r)
            out["sha"].append(sha)
            out["env"].append("production")
            out["status"].append(status)
            out["started"].append(t)
            out["finished"].append(t + int(rng.uniform(4, 25) * 60 * US))
            if status != "success":
                retry = t + int(rng.uniform(35, 90) * 60 * US)
                if retry < end_us:
                    out["repo"].append(r)
                    out["sha"].append(sha)
                    out["env"].append("production")
                    out["status"].append("success")
                    out["started"].append(retry)
                    out["finished"].append(retry + int(rng.uniform(4, 25) * 60 * US))
    result = {
        "repo": np.array(out["repo"], dtype=np.int64),
        "sha": np.array(out["sha"], dtype=object),
        "environment": np.array(out["env"], dtype=object),
        "status": np.array(out["status"], dtype=object),
        "started": np.array(out["started"], dtype=np.int64),
        "finished": np.array(out["finished"], dtype=np.int64),
    }
    result["finished"] = np.where(result["finished"] < end_us, result["finished"], NULL)
    result["deployment_id"] = 880_000_000 + (salt % 89) * 1_000_000 + np.arange(result["repo"].size)
    return result


def _rotation(members: list[int], rng: np.random.Generator) -> np.ndarray:
    return rng.permutation(np.array(members, dtype=np.int64)) if members else np.zeros(0, np.int64)


def _incidents(
    org: Org, rhythm: Rhythm, outages: list[Outage], d: Delivery, rng: np.random.Generator, salt: int
) -> dict[str, np.ndarray]:
    from orchestration.brae.calendar import incident_pressure

    cal = org.cal
    end_us = cal.start_us + cal.days * DAY_US
    n_svc = len(d.services)
    svc_dept = np.array([org.teams[t].department for t in d.service_team])
    rate = rng.lognormal(np.log(0.3), 0.5, n_svc) * np.where(svc_dept == 0, 1.3, 1.0)
    pressure = incident_pressure(cal)
    go_live = np.ones((4, cal.weeks))
    for release in rhythm.releases:
        go_live[release.department, release.week] = 1.6
    day_w = np.arange(cal.days) // 7
    lam = rate[:, None] / 7.0 * pressure[None, :] * go_live[svc_dept][:, day_w]
    counts = rng.poisson(lam)
    s0, d0 = np.nonzero(counts)
    svc = np.repeat(s0, counts[s0, d0])
    day = np.repeat(d0, counts[s0, d0])
    n = svc.size
    office = np.array([org.teams[t].office for t in d.service_team])[svc]
    daytime = rng.random(n) < 0.65
    hour = np.where(daytime, rng.uniform(8, 18, n), rng.uniform(0, 24, n))
    created = cal.local_to_utc_us(office, day, hour)
    sev = rng.choice(np.array(["sev4", "sev3", "sev2", "sev1"], dtype=object), n, p=[0.35, 0.41, 0.19, 0.05])
    title = np.array(
        [
            _INCIDENT_TITLES[int(x)].format(s=d.services[s])
            for x, s in zip(rng.integers(0, 8, n), svc, strict=True)
        ],
        dtype=object,
    )
    caused = np.full(n, NULL)
    parts = [{"service": svc, "created": created, "severity": sev, "title": title, "caused": caused}]

    # Bad deployments: a production rollout that went out fine and broke something an hour later.
    dep = d.deployments
    prod_ok = np.flatnonzero((dep["environment"] == "production") & (dep["status"] == "success"))
    bad = prod_ok[rng.random(prod_ok.size) < 0.035]
    if bad.size:
        team = d.repo_team[dep["repo"][bad]]
        first = np.array([d.services.index(org.teams[t].services[0]) for t in team])
        count = np.array([len(org.teams[t].services) for t in team])
        bsvc = first + rng.integers(0, 1000, bad.size) % count
        bcreated = dep["started"][bad] + (rng.uniform(0.2, 8.0, bad.size) * HOUR_US).astype(np.int64)
        parts.append(
            {
                "service": bsvc,
                "created": bcreated,
                "severity": rng.choice(
                    np.array(["sev3", "sev2", "sev1"], dtype=object), bad.size, p=[0.55, 0.35, 0.1]
                ),
                "title": np.array([f"{d.services[s]}: errors after release" for s in bsvc], dtype=object),
                "caused": bad,
            }
        )
    for outage in outages:
        matching = [s for s, t in enumerate(d.service_team) if org.teams[t].area.slug == outage.area]
        if not matching:
            matching = [s for s in range(n_svc) if svc_dept[s] == outage.department]
        pick = rng.choice(np.array(matching), size=outage.incidents)
        t0 = cal.start_us + outage.day * DAY_US + int(outage.hour * HOUR_US)
        ocreated = t0 + np.sort(rng.uniform(0, 3 * HOUR_US, outage.incidents)).astype(np.int64)
        osev = np.array([outage.severity] + ["sev2"] * (outage.incidents - 1), dtype=object)
        parts.append(
            {
                "service": pick,
                "created": ocreated,
                "severity": osev,
                "title": np.array([f"{outage.title} ({d.services[s]})" for s in pick], dtype=object),
                "caused": np.full(outage.incidents, NULL),
            }
        )
    inc = _concat(parts)
    keep = (inc["created"] >= cal.start_us) & (inc["created"] < end_us)
    inc = {key: value[keep] for key, value in inc.items()}
    order = np.argsort(inc["created"], kind="stable")
    inc = {key: value[order] for key, value in inc.items()}
    n = inc["service"].size

    # Who answers: the owning team's weekly on-call; sev1 and sev2 go to SRE's incident commanders.
    rotations = []
    for team in org.teams:
        eligible = [m for m in team.members if org.persona[m] != "new_hire_learner"]
        rotations.append(_rotation(eligible, rng))
    commanders = _rotation(list(org.by_persona("oncall_responder")), rng)
    week = np.clip((inc["created"] - cal.start_us) // (7 * DAY_US), 0, cal.weeks - 1)
    utc_day = np.clip((inc["created"] - cal.start_us) // DAY_US, 0, cal.days - 1)
    responder = np.full(n, NULL)
    svc_team = d.service_team[inc["service"]]
    major = np.isin(inc["severity"], ("sev1", "sev2"))
    hour_utc = ((inc["created"] - cal.start_us) % DAY_US) // HOUR_US
    for i in range(n):
        if major[i] and commanders.size:
            order_ = commanders
            start = int(week[i]) * 2 + int(hour_utc[i] >= 12)
        else:
            order_ = rotations[svc_team[i]]
            start = int(week[i])
        for step in range(order_.size):
            person = int(order_[(start + step) % order_.size])
            if org.employed[person, utc_day[i]] and (org.working[person, utc_day[i]] or step >= 2):
                responder[i] = person
                break
    night = (hour_utc < 6) | (hour_utc > 21)
    ack_min = rng.lognormal(np.log(np.where(night, 11.0, 4.0)), 0.7, n) * np.where(
        inc["severity"] == "sev4", 8, 1
    )
    acked = inc["created"] + (ack_min * 60 * US).astype(np.int64)
    resolve_median = np.select(
        [inc["severity"] == "sev1", inc["severity"] == "sev2", inc["severity"] == "sev3"],
        [1.8, 4.0, 14.0],
        50.0,
    )
    resolved = acked + (rng.lognormal(np.log(resolve_median), 0.8, n) * HOUR_US).astype(np.int64)
    inc["acknowledged"] = np.where(acked < end_us, acked, NULL)
    inc["resolved"] = np.where((resolved < end_us) & (responder >= 0), resolved, NULL)
    inc["responder"] = responder
    base = 1_000_000 + int(mix(salt, 41)[0] % 4_000_000)
    inc["incident_id"] = np.array([f"INC{base + i:07d}" for i in range(n)], dtype=object)
    return inc
