"""Delivery at Kestrel: pull requests, reviews, commits, deployments and incidents.

Kestrel squash-merges. A pull request's branch commits carry its number; merging adds one squash
commit on the base branch whose sha is the PR's ``merge_commit_sha`` and whose message repeats the
branch commits' subjects and AI co-author trailers. Every merge goes to staging within minutes;
production deploys run in two daily windows in the owning team's office (mornings only on Fridays, an
extra window during crunch), shipping the newest merged commit; Disruption Recovery's hotfixes deploy
at once. A failed production deploy is retried. Incidents come from three places: the services' own
background rate (platform and operations services around the clock, the rest mostly in office hours),
deployments that broke something (linked by ``caused_by_deployment_id``), and weather disruptions that
swamp the rebooking services. The owning team's on-call resolves an incident (Site Reliability rotates
two of its on-call engineers per week; serious incidents elsewhere are sometimes escalated to them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.kestrel.calendars import DAY_MS, HOUR_MS, MINUTE_MS
from orchestration.kestrel.org import AREAS, CC, COPILOT, CURSOR, Org, P

NORMAL, MIGRATION, CERT, HOTFIX, PROTOTYPE, PLAYBOOK, BOT = range(7)
DEPENDABOT, RENOVATE = -1, -2
BOTS = {
    DEPENDABOT: ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    RENOVATE: ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
}
TRAILERS = {
    CC: "🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
    "Co-Authored-By: Claude <noreply@anthropic.com>",
    CURSOR: "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
    COPILOT: "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
}  # fmt: skip

_VERBS = (
    "handle",
    "add",
    "fix",
    "support",
    "validate",
    "cache",
    "retry",
    "log",
    "expose",
    "migrate",
    "guard",
)
_THINGS = (
    "null fare basis", "codeshare segments", "infant passengers", "multi-city itineraries", "duplicate PNRs",
    "expired vouchers", "crew rest rules", "late inbound flights", "ULD weight limits", "gate swaps",
    "tail swaps", "timezone offsets", "partial refunds", "tier downgrades", "missing NOTAMs", "MEL deferrals",
    "bag transfer times", "unaccompanied minors", "seat blocking", "payment retries", "currency rounding",
    "schedule changes", "standby lists", "overbooking limits", "de-icing holds", "SSR codes",
)  # fmt: skip
_TYPES = ("fix", "feat", "chore", "refactor", "test", "perf", "docs")
_LABELS = ("bug", "enhancement", "chore", "tech-debt", "tests", "", "", "")
_SYMPTOMS = (
    "elevated 5xx rate", "p99 latency above SLO", "consumer lag growing", "queue backlog building",
    "pods in crashloop", "database connection pool exhausted", "stale cache after deploy",
    "GDS timeouts", "disk pressure on nodes", "failed message replay", "memory climbing steadily",
    "certificate about to expire", "error budget burn alert", "partner webhook failures",
)  # fmt: skip
_DISRUPTION = (
    "rebooking backlog above SLA", "reaccommodation jobs timing out", "hotel voucher issuance failing",
    "crew re-pairing solver overloaded", "passenger notifications delayed",
)  # fmt: skip
_SEVERITIES = np.array(["sev1", "sev2", "sev3", "sev4"])


@dataclass
class Git:
    prs: dict[str, np.ndarray]
    pr_titles: list[str]
    pr_labels: list[str]
    pr_merge_sha: list[str | None]
    reviews: dict[str, np.ndarray]
    review_states: list[str]
    commits: dict[str, np.ndarray]
    commit_shas: list[str]
    commit_messages: list[str]
    deployments: dict[str, np.ndarray]
    deployment_ids: list[str]
    deployment_shas: list[str]
    deployment_env: list[str]
    deployment_status: list[str]
    incidents: dict[str, np.ndarray]
    incident_ids: list[str]
    incident_titles: list[str]
    incident_caused_by: list[str | None]
    incident_repo: list[str | None]


def _shas(rng: np.random.Generator, count: int) -> list[str]:
    raw = rng.integers(0, 256, (count, 20), dtype=np.uint8)
    return [row.tobytes().hex() for row in raw]


def _working_hours(org: Org, office: np.ndarray, ts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Move instants that fall outside 08:00-19:00 local on weekdays to the next working morning."""
    cal = org.cal
    day = np.floor_divide(ts - cal.start_ms, DAY_MS)
    local = ts + cal.offset(office, day)
    local_day = np.floor_divide(local - cal.start_ms, DAY_MS)
    hour = (local - cal.start_ms - local_day * DAY_MS) / HOUR_MS
    dow = np.mod(local_day, 7)
    late = hour >= 19
    target = np.where(late | (hour < 8) | (dow >= 5), local_day + late, local_day)
    tdow = np.mod(target, 7)
    target = np.where(tdow >= 5, target + (7 - tdow), target)
    moved = (hour < 8) | late | (dow >= 5)
    new_hour = 8.5 + rng.uniform(0, 2.5, len(ts))
    new_ts = cal.local_to_utc(office, target, new_hour)
    return np.where(moved, new_ts, ts)


def _pick_day(avail_week: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each row of a [n, 7] availability mask, a random available day (or -1)."""
    weights = avail_week.astype(float)
    total = weights.sum(axis=1)
    cum = np.cumsum(weights, axis=1)
    draw = rng.random(len(weights)) * total
    day = (cum <= draw[:, None]).sum(axis=1)
    return np.where(total > 0, np.minimum(day, 6), -1)


class Rotation:
    """Who is on call for a team on a given day."""

    def __init__(self, org: Org):
        self.org = org
        self.pool: list[np.ndarray] = []
        self.everyone: list[np.ndarray] = []
        self.group: list[int] = []
        for team in org.teams:
            members = np.array([p for p in team.members if org.is_engineer[p]], dtype=np.int64)
            oncall = members[org.persona[members] == P["oncall_responder"]]
            is_sre = AREAS[team.area].key == "sre"
            pool = oncall if (is_sre and len(oncall) >= 2) else members
            self.pool.append(pool)
            self.everyone.append(members if len(members) else np.array([team.manager]))
            self.group.append(2 if is_sre else 1)

    def responder(self, team: int, day: int, rng: np.random.Generator) -> int:
        org = self.org
        day = int(min(max(day, 0), org.cal.days - 1))
        week = day // 7
        pool = self.pool[team]
        here = lambda p: bool(org.employed[p, day] and not org.vacation[p, day])  # noqa: E731
        if len(pool):
            group = self.group[team]
            on = [int(pool[(week * group + k) % len(pool)]) for k in range(group)]
            on = [p for p in on if here(p)]
            if on:
                return on[int(rng.integers(0, len(on)))]
            for k in range(len(pool)):
                p = int(pool[(week * group + group + k) % len(pool)])
                if here(p):
                    return p
        for p in self.everyone[team]:
            if here(int(p)):
                return int(p)
        return -1


def build_git(org: Org, rng: np.random.Generator) -> Git:
    cal = org.cal
    weeks, days = cal.weeks, cal.days
    start_ms, end_ms = cal.start_ms, cal.end_ms
    people = org.people
    persona = org.persona

    # --- How many pull requests of each kind each person opens each week.
    avail_w = org.avail.reshape(people, weeks, 7)
    workfrac = np.minimum(avail_w.sum(axis=2) / 5.0, 1.2)
    crunch = org.crunch[org.team]
    week_start_day = np.arange(weeks) * 7
    adopted = org.adopt_day[:, None] <= week_start_day[None, :] + 3
    effect = np.full(people, 0.08)
    for name, value in (
        ("steady_user", 0.10),
        ("light_user", 0.04),
        ("late_adopter", 0.12),
        ("power_user", 0.0),
    ):
        effect[persona == P[name]] = value
    since_hire = (week_start_day[None, :] - org.hired_day[:, None]) / 7.0
    ramp = np.clip(0.12 + since_hire / 8.0, 0.12, 1.0)
    leaving = (org.left_day[:, None] - week_start_day[None, :]) < 14
    rate = org.pr_rate[:, None] * workfrac * np.where(crunch, 1.8, 1.0) * (1 + effect[:, None] * adopted)
    rate *= ramp * np.where(leaving, 0.5, 1.0)
    rate = np.where(org.migration, rate * 0.5, rate)
    counts = {NORMAL: rng.poisson(rate)}
    has_work = workfrac > 0
    counts[MIGRATION] = np.where(org.migration & has_work, rng.poisson(1.3, rate.shape), 0)
    is_cert = (persona == P["certification_author"])[:, None]
    counts[CERT] = np.where(is_cert & has_work, rng.poisson(np.where(org.audit, 1.2, 0.25)), 0)
    is_coach = (persona == P["enablement_coach"])[:, None]
    counts[PLAYBOOK] = np.where(is_coach & has_work, rng.poisson(np.where(org.workshop, 1.4, 0.6)), 0)
    is_proto = (persona == P["throwaway_prototypes"])[:, None]
    counts[PROTOTYPE] = np.where(is_proto & org.active & has_work, 1 + rng.poisson(0.6, rate.shape), 0)

    authors, kinds, created, day_of = [], [], [], []
    for kind, matrix in counts.items():
        p_idx, w_idx = np.nonzero(matrix)
        reps = matrix[p_idx, w_idx]
        p_rep, w_rep = np.repeat(p_idx, reps), np.repeat(w_idx, reps)
        dow = _pick_day(avail_w[p_rep, w_rep], rng)
        ok = dow >= 0
        p_rep, w_rep, dow = p_rep[ok], w_rep[ok], dow[ok]
        d = w_rep * 7 + dow
        hours = org.chrono[p_rep] + rng.uniform(0.3, 8.5, len(p_rep))
        authors.append(p_rep)
        kinds.append(np.full(len(p_rep), kind))
        created.append(cal.local_to_utc(org.office[p_rep], d, hours))
        day_of.append(d)

    # Hotfixes during weather disruptions.
    irops = np.flatnonzero(persona == P["irops_analyst"])
    for first_day, length, _region in org.disruptions:
        for d in range(first_day, min(days, first_day + length)):
            here = irops[org.employed[irops, d] & ~org.vacation[irops, d]]
            n = rng.poisson(1.6, len(here))
            p_rep = np.repeat(here, n)
            authors.append(p_rep)
            kinds.append(np.full(len(p_rep), HOTFIX))
            day_arr = np.full(len(p_rep), d)
            created.append(cal.local_to_utc(org.office[p_rep], day_arr, rng.uniform(6.0, 23.0, len(p_rep))))
            day_of.append(day_arr)

    # Dependency bots.
    n_repos = len(org.repos)
    bot_counts = rng.poisson(0.22, (n_repos, weeks))
    r_idx, w_idx = np.nonzero(bot_counts)
    reps = bot_counts[r_idx, w_idx]
    bot_repo = np.repeat(r_idx, reps)
    bot_week = np.repeat(w_idx, reps)
    bot_day = bot_week * 7 + rng.integers(0, 5, len(bot_repo))
    authors.append(np.where(rng.random(len(bot_repo)) < 0.7, DEPENDABOT, RENOVATE))
    kinds.append(np.full(len(bot_repo), BOT))
    created.append(start_ms + bot_day * DAY_MS + rng.integers(3 * HOUR_MS, 6 * HOUR_MS, len(bot_repo)))
    day_of.append(bot_day)

    author = np.concatenate(authors).astype(np.int64)
    kind = np.concatenate(kinds).astype(np.int64)
    created_at = np.maximum(np.concatenate(created), start_ms + rng.integers(0, HOUR_MS, len(author)))
    n_pr = len(author)

    # --- Repository of each pull request.
    repo = np.zeros(n_pr, dtype=np.int64)
    repo[kind == BOT] = bot_repo
    cert_repo = next((i for i, r in enumerate(org.repos) if r.endswith("/certification-evidence")), -1)
    dept_repos: dict[str, list[int]] = {}
    for r, t in enumerate(org.repo_team):
        dept_repos.setdefault(org.department_of_team(int(t)), []).append(r)
    draws = rng.random(n_pr)
    for i in np.flatnonzero(kind != BOT):
        team = org.teams[int(org.team[author[i]])]
        own = team.repos
        if kind[i] == CERT and cert_repo >= 0:
            repo[i] = cert_repo
        elif kind[i] == NORMAL and draws[i] > 0.85:
            pool = dept_repos[AREAS[team.area].department]
            repo[i] = pool[int(draws[i] * 1e6) % len(pool)]
        else:
            repo[i] = (
                own[0]
                if (draws[i] < 0.45 or len(own) == 1)
                else own[1 + int(draws[i] * 1e6) % (len(own) - 1)]
            )

    # --- Lifecycle.
    def by_kind(values: dict[int, float]) -> np.ndarray:
        table = np.array([values.get(k, values.get(NORMAL, 0.0)) for k in range(7)])
        return table[kind]

    repo_office = np.array([org.teams[int(t)].office for t in org.repo_team])
    office = np.where(author >= 0, org.office[np.maximum(author, 0)], repo_office[repo])
    is_crunch = np.zeros(n_pr, dtype=bool)
    human = author >= 0
    pr_week = np.clip(np.floor_divide(created_at - start_ms, 7 * DAY_MS), 0, weeks - 1)
    is_crunch[human] = org.crunch[org.team[author[human]], pr_week[human]]

    first_commit = created_at - (rng.lognormal(np.log(5.0), 1.1, n_pr) * HOUR_MS).astype(np.int64)
    first_commit = np.maximum(first_commit, created_at - 6 * DAY_MS)
    first_commit = np.where(kind == BOT, created_at, first_commit)
    first_commit = np.where(kind == HOTFIX, created_at - rng.integers(5, 90, n_pr) * MINUTE_MS, first_commit)
    draft = rng.random(n_pr) < by_kind(
        {NORMAL: 0.18, MIGRATION: 0.6, CERT: 0.3, HOTFIX: 0, PROTOTYPE: 1.0, PLAYBOOK: 0.2, BOT: 0}
    )
    ready = np.where(
        draft, created_at + (rng.lognormal(np.log(8.0), 0.9, n_pr) * HOUR_MS).astype(np.int64), -1
    )
    proto_ready = (kind == PROTOTYPE) & (rng.random(n_pr) < 0.1)
    ready = np.where(kind == PROTOTYPE, np.where(proto_ready, ready, -1), ready)
    review_from = np.where(ready >= 0, ready, created_at)
    outcome = rng.random(n_pr)
    merge_p = by_kind(
        {NORMAL: 0.9, MIGRATION: 0.93, CERT: 0.95, HOTFIX: 0.98, PROTOTYPE: 0.0, PLAYBOOK: 0.9, BOT: 0.8}
    )
    close_p = by_kind(
        {NORMAL: 0.07, MIGRATION: 0.05, CERT: 0.03, HOTFIX: 0.02, PROTOTYPE: 1.0, PLAYBOOK: 0.07, BOT: 0.15}
    )
    merges = outcome < merge_p
    closes = (~merges) & (outcome < merge_p + close_p)
    wait_h = by_kind(
        {NORMAL: 20.0, MIGRATION: 60.0, CERT: 40.0, HOTFIX: 1.5, PROTOTYPE: 1.0, PLAYBOOK: 24.0, BOT: 30.0}
    )
    wait_h = np.where(is_crunch, wait_h * 0.6, wait_h)
    wait = (wait_h * rng.lognormal(0.0, np.where(kind == HOTFIX, 0.5, 0.95), n_pr) * HOUR_MS).astype(np.int64)
    merged = review_from + np.maximum(wait, 10 * MINUTE_MS)
    not_hotfix = kind != HOTFIX
    merged = np.where(not_hotfix, _working_hours(org, office, merged, rng), merged)
    merged = np.where(merges, merged, -1)
    closed_unmerged = created_at + (rng.lognormal(np.log(4.0 * 24), 0.8, n_pr) * HOUR_MS).astype(np.int64)
    closed_unmerged = _working_hours(org, office, closed_unmerged, rng)
    closed = np.where(merges, merged, np.where(closes, closed_unmerged, -1))
    merged = np.where(merged >= end_ms, -1, merged)
    closed = np.where(closed >= end_ms, -1, closed)
    ready = np.where(ready >= end_ms, -1, ready)
    merged = np.where(closed < 0, -1, merged)
    # A draft closed before it was ever marked ready stays a draft.
    ready = np.where((merged < 0) & (closed >= 0) & (ready >= closed), -1, ready)
    review_from = np.where(ready >= 0, ready, created_at)

    # Sizes.
    adds_med = by_kind(
        {NORMAL: 70, MIGRATION: 4000, CERT: 1200, HOTFIX: 25, PROTOTYPE: 2500, PLAYBOOK: 180, BOT: 12}
    )
    adds_sig = by_kind(
        {NORMAL: 1.1, MIGRATION: 0.8, CERT: 0.6, HOTFIX: 0.8, PROTOTYPE: 0.7, PLAYBOOK: 0.8, BOT: 1.2}
    )
    additions = np.maximum(1, np.round(adds_med * rng.lognormal(0, adds_sig))).astype(np.int64)
    del_ratio = by_kind(
        {NORMAL: 0.4, MIGRATION: 0.6, CERT: 0.15, HOTFIX: 0.5, PROTOTYPE: 0.05, PLAYBOOK: 0.2, BOT: 0.9}
    )
    deletions = np.round(additions * del_ratio * rng.lognormal(0, 0.8, n_pr)).astype(np.int64)
    changed = 1 + rng.poisson(
        np.sqrt(additions + deletions) / by_kind({NORMAL: 2.5, MIGRATION: 1.2, CERT: 6.0, BOT: 20.0})
    )
    changed = changed.astype(np.int64)

    # AI assistance (drives co-author trailers).
    hired = np.maximum(author, 0)
    adopted_at = org.adopt_day[hired] * DAY_MS + start_ms <= created_at
    ai_pr = human & adopted_at & (rng.random(n_pr) < org.ai_pr_share[hired])
    ai_pr |= (kind == PROTOTYPE) | ((kind == MIGRATION) & (rng.random(n_pr) < 0.9))

    # Numbers per repository in order of creation.
    order = np.lexsort((created_at, repo))
    number = np.zeros(n_pr, dtype=np.int64)
    base = rng.integers(40, 6000, n_repos)
    sorted_repo = repo[order]
    first_of_repo = np.searchsorted(sorted_repo, sorted_repo, side="left")
    number[order] = base[sorted_repo] + (np.arange(n_pr) - first_of_repo) + 1

    # Titles and labels.
    titles: list[str] = []
    labels: list[str] = []
    t_draw = rng.integers(0, 10**6, (n_pr, 4))
    for i in range(n_pr):
        a, b, c, e = (int(x) for x in t_draw[i])
        k = int(kind[i])
        component = org.repos[int(repo[i])].split("/", 1)[1].split("-")[0]
        thing = _THINGS[b % len(_THINGS)]
        if k == BOT:
            dep = (
                "axios",
                "jackson-databind",
                "spring-boot",
                "pydantic",
                "react",
                "grpc",
                "boto3",
                "lodash",
            )[a % 8]
            x, y = 1 + c % 7, c % 30
            titles.append(f"Bump {dep} from {x}.{y}.{e % 9} to {x}.{y}.{e % 9 + 1}")
            labels.append("dependencies")
        elif k == MIGRATION:
            target = (
                "Java 21",
                "Postgres 17",
                "the new PSS booking core",
                "Kotlin coroutines",
                "Gradle 9",
                "OpenTelemetry",
                "the shared auth SDK",
                "Python 3.12",
            )[a % 8]
            titles.append(f"Migrate {component} to {target} (part {1 + b % 9})")
            labels.append("migration")
        elif k == CERT:
            topic = ("EASA Part-CAMO", "PCI DSS 4.0", "IOSA", "GDPR Art. 30", "EU 261 refunds", "ETOPS")[
                a % 6
            ]
            titles.append(f"{topic} evidence: {thing} controls")
            labels.append("certification,docs")
        elif k == HOTFIX:
            titles.append(f"hotfix(irops): {_VERBS[a % len(_VERBS)]} {thing} during disruption")
            labels.append("irops,hotfix")
        elif k == PROTOTYPE:
            idea = (
                "AI seat recommender",
                "chat-based rebooking",
                "voice check-in",
                "dynamic bag pricing",
                "gamified loyalty quests",
                "auto-generated fare rules",
                "predictive gate changes",
            )[a % 7]
            titles.append(f"[prototype] {idea}")
            labels.append("prototype,do-not-merge")
        elif k == PLAYBOOK:
            titles.append(f"docs(playbook): {('workshop', 'recipe', 'guide', 'exercise')[a % 4]} for {thing}")
            labels.append("docs,enablement")
        else:
            t = _TYPES[a % len(_TYPES)]
            titles.append(f"{t}({component}): {_VERBS[c % len(_VERBS)]} {thing}")
            label = _LABELS[e % len(_LABELS)]
            if is_crunch[i] and c % 4 == 0:
                label = f"{label},release-blocker" if label else "release-blocker"
            labels.append(label)

    # --- Reviews.
    team_members = []
    for team in org.teams:
        team_members.append(np.array([p for p in team.members if org.is_engineer[p]], dtype=np.int64))
    staff_by_dept: dict[str, np.ndarray] = {}
    prs_by_dept: dict[str, int] = {}
    for p in np.flatnonzero(persona == P["staff_reviewer"]):
        dept = org.department_of_team(int(org.team[p]))
        staff_by_dept[dept] = np.append(staff_by_dept.get(dept, np.zeros(0, dtype=np.int64)), p)
    repo_dept = [org.department_of_team(int(t)) for t in org.repo_team]
    for r in repo:
        prs_by_dept[repo_dept[r]] = prs_by_dept.get(repo_dept[r], 0) + 1
    staff_q = {
        dept: min(0.9, 22.0 * len(staff) * weeks / max(1, prs_by_dept.get(dept, 1)))
        for dept, staff in staff_by_dept.items()
    }

    rv_repo, rv_number, rv_reviewer, rv_time, rv_state = [], [], [], [], []
    rnd = rng.random((n_pr, 8))
    pick = rng.integers(0, 10**9, (n_pr, 8))
    for i in range(n_pr):
        k = int(kind[i])
        is_merged = merged[i] >= 0
        begin = int(review_from[i])
        stop = int(merged[i] if is_merged else (closed[i] if closed[i] >= 0 else end_ms))
        if stop <= begin:
            stop = begin + 10 * MINUTE_MS
        u = rnd[i]
        if k == BOT:
            count = 1 if is_merged else 0
        elif k == PROTOTYPE:
            count = 1 if u[0] < 0.25 else 0
        elif k == MIGRATION:
            count = 2 + int(u[0] < 0.5)
        elif k == HOTFIX:
            count = 1
        else:
            count = 1 + int(u[0] < 0.45) + int(u[0] < 0.12)
        if count == 0:
            continue
        team_index = int(org.repo_team[repo[i]])
        pool = team_members[team_index]
        day = int(min(days - 1, max(0, (stop - start_ms) // DAY_MS)))
        chosen: list[int] = []
        dept = repo_dept[repo[i]]
        if k not in (BOT, HOTFIX, PROTOTYPE) and dept in staff_q and u[1] < staff_q[dept]:
            staff = staff_by_dept[dept]
            s = int(staff[pick[i, 0] % len(staff)])
            if s != author[i] and org.employed[s, day]:
                chosen.append(s)
        for attempt in range(6):
            if len(chosen) >= count or not len(pool):
                break
            cand = int(pool[pick[i, 1 + attempt] % len(pool)])
            if cand != author[i] and cand not in chosen and org.employed[cand, day]:
                chosen.append(cand)
        if not chosen:
            continue
        final = stop - int(u[2] * min(2 * HOUR_MS, 0.3 * (stop - begin))) - MINUTE_MS
        final = max(begin + MINUTE_MS, final)
        for slot, reviewer in enumerate(chosen):
            last = slot == len(chosen) - 1
            when = final if last else begin + int(u[3 + slot] * max(MINUTE_MS, final - begin))
            if is_merged:
                if last:
                    state = "APPROVED"
                elif slot == 0 and u[6] < 0.18:
                    state = "CHANGES_REQUESTED"
                elif u[7] < 0.02:
                    state = "DISMISSED"
                else:
                    state = "APPROVED" if u[6] < 0.6 else "COMMENTED"
            elif closed[i] >= 0:
                state = "CHANGES_REQUESTED" if u[6] < 0.4 else "COMMENTED"
            else:
                state = "COMMENTED" if u[6] < 0.7 else "APPROVED"
            if when >= end_ms:
                continue
            rv_repo.append(repo[i])
            rv_number.append(number[i])
            rv_reviewer.append(reviewer)
            rv_time.append(when)
            rv_state.append(state)
    reviews = {
        "repo": np.array(rv_repo, dtype=np.int64),
        "number": np.array(rv_number, dtype=np.int64),
        "reviewer": np.array(rv_reviewer, dtype=np.int64),
        "submitted": np.array(rv_time, dtype=np.int64),
    }
    rv_order = np.argsort(reviews["submitted"], kind="stable")
    reviews = {key: value[rv_order] for key, value in reviews.items()}
    rv_state = [rv_state[i] for i in rv_order]
    reviews["id"] = (
        2_100_000_000 + np.arange(len(rv_state), dtype=np.int64) * 7 + rng.integers(0, 7, len(rv_state))
    )

    # --- Commits.
    n_commits = np.ones(n_pr, dtype=np.int64)
    extra = by_kind(
        {NORMAL: 1.8, MIGRATION: 10.0, CERT: 3.0, HOTFIX: 0.3, PROTOTYPE: 6.0, PLAYBOOK: 2.0, BOT: 0.0}
    )
    n_commits += rng.poisson(extra) + np.where(kind == MIGRATION, 3, 0) + np.where(kind == PROTOTYPE, 2, 0)
    end_work = np.where(merged >= 0, merged, np.where(closed >= 0, closed, created_at + 3 * DAY_MS))
    end_work = np.minimum(end_work, end_ms) - MINUTE_MS
    end_work = np.maximum(end_work, first_commit)
    c_pr = np.repeat(np.arange(n_pr), n_commits)
    c_first = np.cumsum(n_commits) - n_commits
    c_j = np.arange(len(c_pr)) - np.repeat(c_first, n_commits)
    span = (end_work - first_commit)[c_pr]
    authored = first_commit[c_pr] + np.where(c_j == 0, 0, (rng.random(len(c_pr)) * span).astype(np.int64))
    committed = np.where(
        rng.random(len(c_pr)) < 0.2,
        authored + (rng.random(len(c_pr)) * (end_work[c_pr] - authored)),
        authored,
    ).astype(np.int64)
    weights = rng.random(len(c_pr)) + 0.1
    weight_sum = np.bincount(c_pr, weights, n_pr)
    c_add = np.round(additions[c_pr] * weights / weight_sum[c_pr]).astype(np.int64)
    c_del = np.round(deletions[c_pr] * weights / weight_sum[c_pr]).astype(np.int64)
    c_ai = ai_pr[c_pr] & (rng.random(len(c_pr)) < 0.8)
    subjects: list[str] = []
    messages: list[str] = []
    s_draw = rng.integers(0, 10**6, (len(c_pr), 3))
    for c in range(len(c_pr)):
        i = int(c_pr[c])
        a, b, e = (int(x) for x in s_draw[c])
        if kind[i] == BOT:
            subject = titles[i]
        elif c_j[c] == 0:
            subject = titles[i].removeprefix("[prototype] ")
        else:
            subject = (
                "address review comments",
                "fix tests",
                f"{_VERBS[a % len(_VERBS)]} {_THINGS[b % len(_THINGS)]}",
                "tidy up",
                "update snapshots",
                "handle edge case",
                "wip",
            )[e % 7]
        subjects.append(subject)
        if c_ai[c]:
            trailer_tool = int(org.trailer_tool[int(author[i])])
            messages.append(f"{subject}\n\n{TRAILERS[trailer_tool]}")
        else:
            messages.append(subject)
    commit_shas = _shas(rng, len(c_pr))
    commits = {
        "pr": c_pr,
        "author": author[c_pr],
        "authored": authored,
        "committed": committed,
        "additions": c_add,
        "deletions": c_del,
    }

    # Squash commits for merged pull requests.
    merged_idx = np.flatnonzero(merged >= 0)
    merge_shas = _shas(rng, len(merged_idx))
    pr_merge_sha: list[str | None] = [None] * n_pr
    squash_messages = []
    subjects_by_pr: dict[int, list[str]] = {}
    ai_by_pr: dict[int, bool] = {}
    for c in range(len(c_pr)):
        i = int(c_pr[c])
        subjects_by_pr.setdefault(i, []).append(subjects[c])
        ai_by_pr[i] = ai_by_pr.get(i, False) or bool(c_ai[c])
    for sha, i in zip(merge_shas, merged_idx, strict=True):
        pr_merge_sha[int(i)] = sha
        body = "\n".join(f"* {s}" for s in subjects_by_pr[int(i)][1:6])
        message = f"{titles[i]} (#{number[i]})"
        if body:
            message += f"\n\n{body}"
        if ai_by_pr.get(int(i)):
            message += f"\n\n{TRAILERS[int(org.trailer_tool[int(author[i])])]}"
        squash_messages.append(message)
    commits = {
        key: np.concatenate([value, extra_value])
        for (key, value), extra_value in zip(
            commits.items(),
            [
                merged_idx,
                author[merged_idx],
                merged[merged_idx],
                merged[merged_idx],
                additions[merged_idx],
                deletions[merged_idx],
            ],
            strict=True,
        )
    }
    commit_shas += merge_shas
    messages += squash_messages

    prs = {
        "repo": repo,
        "number": number,
        "author": author,
        "kind": kind,
        "created": created_at,
        "ready": ready,
        "first_commit": first_commit,
        "merged": merged,
        "closed": closed,
        "additions": additions,
        "deletions": deletions,
        "changed": changed,
    }

    # --- Deployments.
    dep_repo, dep_sha, dep_env, dep_status, dep_start, dep_finish = [], [], [], [], [], []
    by_repo_order = np.lexsort((merged, repo))
    by_repo_order = by_repo_order[merged[by_repo_order] >= 0]
    for r in range(n_repos):
        idx = by_repo_order[repo[by_repo_order] == r]
        if not len(idx):
            continue
        m_times = merged[idx]
        team = int(org.repo_team[r])
        team_office = org.teams[team].office
        # staging for every merge
        st = m_times + rng.integers(3, 16, len(idx)) * MINUTE_MS
        ok = rng.random(len(idx)) < 0.97
        for i, s, good in zip(idx, st, ok, strict=True):
            dep_repo.append(r)
            dep_sha.append(pr_merge_sha[int(i)])
            dep_env.append("staging")
            dep_status.append("success" if good else "failure")
            dep_start.append(int(s))
            dep_finish.append(int(s + rng.integers(3, 12) * MINUTE_MS))
        # production windows
        windows = []
        for d in range(days):
            if d % 7 >= 5 or cal.holiday[team_office, d]:
                continue
            hours = [10.5] if d % 7 == 4 else [10.5, 15.5]
            if org.crunch[team, d // 7] and d % 7 < 4:
                hours.append(13.0)
            for h in hours:
                windows.append(
                    int(cal.local_to_utc(np.array([team_office]), np.array([d]), np.array([h]))[0])
                )
        hotfix = [int(i) for i in idx if kind[i] == HOTFIX]
        events = [(w, -1) for w in windows] + [
            (int(merged[i]) + int(rng.integers(10, 31)) * MINUTE_MS, i) for i in hotfix
        ]
        events.sort()
        deployed_upto = -1
        for when, hot in events:
            if hot >= 0:
                target = int(np.searchsorted(m_times, merged[hot], side="right")) - 1
            else:
                target = int(np.searchsorted(m_times, when, side="right")) - 1
                if target <= deployed_upto:
                    continue
            sha = pr_merge_sha[int(idx[target])]
            attempt_at = when + int(rng.integers(0, 20)) * MINUTE_MS
            for attempt in range(3):
                u = rng.random()
                status = (
                    "success" if u < (0.92 if attempt == 0 else 0.9) else ("failure" if u < 0.98 else "error")
                )
                duration = int(rng.lognormal(np.log(9.0), 0.4) * MINUTE_MS)
                dep_repo.append(r)
                dep_sha.append(sha)
                dep_env.append("production")
                dep_status.append(status)
                dep_start.append(attempt_at)
                dep_finish.append(attempt_at + duration)
                if status == "success":
                    break
                attempt_at += duration + int(rng.integers(30, 91)) * MINUTE_MS
            deployed_upto = max(deployed_upto, target)
    dep_start_arr = np.array(dep_start, dtype=np.int64)
    keep = dep_start_arr < end_ms
    dep_order = np.flatnonzero(keep)[np.argsort(dep_start_arr[keep], kind="stable")]
    deployments = {
        "repo": np.array(dep_repo, dtype=np.int64)[dep_order],
        "start": dep_start_arr[dep_order],
        "finish": np.array(dep_finish, dtype=np.int64)[dep_order],
    }
    deployments["finish"] = np.where(deployments["finish"] >= end_ms, -1, deployments["finish"])
    deployment_ids = [str(1_700_000_000 + 13 * k + int(rng.integers(0, 13))) for k in range(len(dep_order))]
    deployment_shas = [dep_sha[i] for i in dep_order]
    deployment_env = [dep_env[i] for i in dep_order]
    deployment_status = [dep_status[i] for i in dep_order]

    # --- Incidents.
    rotation = Rotation(org)
    inc_service, inc_created, inc_sev, inc_title, inc_cause, inc_repo, inc_forced = [], [], [], [], [], [], []
    sev_p = np.array([0.04, 0.16, 0.45, 0.35])
    for s, service in enumerate(org.services):
        team = int(org.service_team[s])
        area = AREAS[org.teams[team].area]
        count = rng.poisson(area.incident_rate * (2.0 if area.key == "sre" else 1.0) * weeks)
        for _ in range(int(count)):
            if area.round_the_clock or rng.random() > 0.65:
                when = start_ms + int(rng.integers(0, days * DAY_MS))
            else:
                d = int(rng.integers(0, weeks)) * 7 + int(rng.integers(0, 5))
                when = int(
                    cal.local_to_utc(
                        np.array([org.teams[team].office]), np.array([d]), np.array([rng.uniform(9, 18)])
                    )[0]
                )
            inc_service.append(s)
            inc_created.append(when)
            inc_sev.append(int(rng.choice(4, p=sev_p)))
            inc_title.append(f"{service}: {_SYMPTOMS[int(rng.integers(0, len(_SYMPTOMS)))]}")
            inc_cause.append(None)
            inc_repo.append(None)
            inc_forced.append(-1)
    services_of_team: dict[int, list[int]] = {}
    for s, t in enumerate(org.service_team):
        services_of_team.setdefault(int(t), []).append(s)
    for k in range(len(deployment_ids)):
        if deployment_env[k] != "production" or deployments["finish"][k] < 0:
            continue
        chance = 0.22 if deployment_status[k] != "success" else 0.025
        r = int(deployments["repo"][k])
        owned = services_of_team.get(int(org.repo_team[r]), [])
        if not owned or rng.random() >= chance:
            continue
        s = owned[int(rng.integers(0, len(owned)))]
        inc_service.append(s)
        inc_created.append(int(deployments["finish"][k] + rng.lognormal(np.log(20.0), 0.8) * MINUTE_MS))
        inc_sev.append(int(rng.choice(4, p=[0.08, 0.3, 0.47, 0.15])))
        inc_title.append(f"{org.services[s]}: {_SYMPTOMS[int(rng.integers(0, len(_SYMPTOMS)))]} after deploy")
        inc_cause.append(deployment_ids[k])
        inc_repo.append(org.repos[r])
        inc_forced.append(-1)
    irops_services = [
        s for s, t in enumerate(org.service_team) if AREAS[org.teams[int(t)].area].key == "irops"
    ]
    for first_day, length, region in org.disruptions:
        for d in range(first_day, min(days, first_day + length)):
            if not irops_services:
                break
            for _ in range(int(rng.integers(1, 4))):
                s = irops_services[int(rng.integers(0, len(irops_services)))]
                here = irops[org.employed[irops, d] & ~org.vacation[irops, d]] if len(irops) else irops
                inc_service.append(s)
                inc_created.append(start_ms + d * DAY_MS + int(rng.integers(5 * HOUR_MS, 22 * HOUR_MS)))
                inc_sev.append(int(rng.choice(4, p=[0.1, 0.5, 0.35, 0.05])))
                inc_title.append(
                    f"{org.services[s]}: {_DISRUPTION[int(rng.integers(0, len(_DISRUPTION)))]} "
                    f"({region} weather disruption)"
                )
                inc_cause.append(None)
                inc_repo.append(None)
                inc_forced.append(int(here[int(rng.integers(0, len(here)))]) if len(here) else -1)

    created_inc = np.array(inc_created, dtype=np.int64)
    sev = np.array(inc_sev, dtype=np.int64)
    ack_med = np.array([3.0, 5.0, 10.0, 20.0])[sev]
    res_med = np.array([1.2, 2.5, 5.0, 14.0])[sev]
    ack = created_inc + (ack_med * rng.lognormal(0, 0.7, len(sev)) * MINUTE_MS).astype(np.int64) + 30_000
    resolved = created_inc + (res_med * rng.lognormal(0, 0.8, len(sev)) * HOUR_MS).astype(np.int64)
    resolved = np.maximum(resolved, ack + 5 * MINUTE_MS)
    sre_teams = [t for t, team in enumerate(org.teams) if AREAS[team.area].key == "sre"]
    responder = np.full(len(sev), -1, dtype=np.int64)
    for k in range(len(sev)):
        d = int((created_inc[k] - start_ms) // DAY_MS)
        if inc_forced[k] >= 0:
            responder[k] = inc_forced[k]
            continue
        team = int(org.service_team[inc_service[k]])
        if sev[k] <= 1 and sre_teams and team not in sre_teams and rng.random() < 0.35:
            team = sre_teams[int(rng.integers(0, len(sre_teams)))]
        responder[k] = rotation.responder(team, d, rng)
    keep = (created_inc < end_ms) & (created_inc >= start_ms)
    open_ = resolved >= end_ms
    inc_order = np.flatnonzero(keep)[np.argsort(created_inc[keep], kind="stable")]
    incidents = {
        "service": np.array(inc_service, dtype=np.int64)[inc_order],
        "created": created_inc[inc_order],
        "ack": np.where(ack[inc_order] >= end_ms, -1, ack[inc_order]),
        "resolved": np.where(open_[inc_order], -1, resolved[inc_order]),
        "responder": np.where(open_[inc_order], -1, responder[inc_order]),
        "severity": sev[inc_order],
    }
    incident_ids = []
    used: set[str] = set()
    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
    for _ in range(len(inc_order)):
        ident = "Q" + "".join(rng.choice(alphabet, 13))
        while ident in used:
            ident = "Q" + "".join(rng.choice(alphabet, 13))
        used.add(ident)
        incident_ids.append(ident)

    return Git(
        prs=prs,
        pr_titles=titles,
        pr_labels=labels,
        pr_merge_sha=pr_merge_sha,
        reviews=reviews,
        review_states=rv_state,
        commits=commits,
        commit_shas=commit_shas,
        commit_messages=messages,
        deployments=deployments,
        deployment_ids=deployment_ids,
        deployment_shas=deployment_shas,
        deployment_env=deployment_env,
        deployment_status=deployment_status,
        incidents=incidents,
        incident_ids=incident_ids,
        incident_titles=[inc_title[i] for i in inc_order],
        incident_caused_by=[inc_cause[i] for i in inc_order],
        incident_repo=[inc_repo[i] for i in inc_order],
    )


__all__ = ["BOTS", "Git", "build_git"]
