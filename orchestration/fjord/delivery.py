"""What Fjord's engineers deliver: pull requests, reviews, commits, deployments and incidents.

Output follows people, not tokens: each person-week opens PRs at the person's own pace, scaled by
the days they work, release crunches, their persona (a power user ships about twice as much, a staff
engineer mostly reviews, a migration lead ships large mechanical PRs in their window, an SRE on call
ships less) and a modest lift once they use AI tools. Usage planned later reads this to time sessions.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field

import numpy as np

from orchestration.fjord.calendar import DAY, HOUR, ZONE_INDEX, Calendar
from orchestration.fjord.org import COUNTRY_ZONES, Org, Person, ai_active, on_call_rotation, workdays

BOTS = (
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
)
AI_TRAILERS = {
    "claude_code": "🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
    "Co-authored-by: Claude <noreply@anthropic.com>",
    "cursor": "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
    "copilot": "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
}
_VERBS = [
    "Add",
    "Fix",
    "Refactor",
    "Remove",
    "Rename",
    "Extract",
    "Simplify",
    "Document",
    "Harden",
    "Speed",
    "up",
    "Migrate",
    "Support",
]
_OBJECTS = [
    "fare rounding",
    "berth allocation",
    "seat map cache",
    "refund webhook",
    "loyalty tier sync",
    "timetable import",
    "crew roster export",
    "cabin upgrade flow",
    "payment retries",
    "departure board",
    "port call ETA",
    "booking search",
    "invoice PDF",
    "feature flags",
    "rate limiter",
    "retry budget",
    "session cookies",
    "vessel telemetry parser",
    "fuel report",
    "group bookings",
    "push notifications",
    "checkout validation",
    "pricing model",
    "tracing spans",
]
_COMPONENTS = ["api", "worker", "web", "app", "cli", "jobs", "schema", "client"]
_SYMPTOMS = [
    "elevated 5xx",
    "p99 latency above SLO",
    "consumer lag growing",
    "certificate expiring",
    "disk 90% full",
    "error budget burn",
    "queue backlog",
    "failed health checks",
    "pods crash-looping",
    "stale timetable cache",
    "payment provider timeouts",
    "replication lag",
]


@dataclass(slots=True)
class PR:
    author: int  # person index, or -1 for a bot
    bot: int  # index into BOTS, or -1
    repo: int
    week: int
    created: float
    first_commit: float | None
    ready: float | None  # None: never a draft
    merged: float | None
    closed: float | None
    additions: int
    deletions: int
    files: int
    title: str
    labels: str
    kind: str
    n_commits: int
    number: int = 0
    merge_sha: str | None = None


@dataclass(slots=True)
class Review:
    pr: int
    review_id: str
    reviewer: int
    state: str
    submitted: float


@dataclass(slots=True)
class Deployment:
    repo: int
    deployment_id: str
    sha: str
    environment: str
    status: str
    started: float
    finished: float


@dataclass(slots=True)
class Incident:
    incident_id: str
    service: int
    title: str
    severity: str
    created: float
    acked: float
    resolved: float | None
    responder: int
    caused_by: str | None
    repo: int


@dataclass(slots=True)
class Commit:
    repo: int
    sha: str
    email: str
    login: str | None
    authored: float
    committed: float
    message: str
    additions: int
    deletions: int
    pr_number: int | None


@dataclass
class Delivery:
    prs: list[PR] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    deployments: list[Deployment] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    commits: list[Commit] = field(default_factory=list)
    rota: np.ndarray | None = None


class Draw:
    """Scalar draws with the NumPy generator's method names, on Python's faster scalar generator."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def random(self) -> float:
        return self.r.random()

    def integers(self, a: int, b: int | None = None) -> int:
        return self.r.randrange(a) if b is None else self.r.randrange(a, b)

    def uniform(self, a: float, b: float) -> float:
        return self.r.uniform(a, b)

    def lognormal(self, mu: float, sigma: float) -> float:
        return self.r.lognormvariate(mu, sigma)

    def choice(self, seq, k: int, replace: bool = False) -> list:
        return self.r.sample(list(seq), k)

    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(self.r.gauss(lam, math.sqrt(lam))))
        limit, k, prod = math.exp(-lam), 0, self.r.random()
        while prod > limit:
            k += 1
            prod *= self.r.random()
        return k


def _sha(seed: int, *parts: object) -> str:
    return hashlib.sha1("/".join(map(str, (seed, *parts))).encode()).hexdigest()


def _local_moment(cal: Calendar, p: Person, day: int, rng: np.random.Generator) -> float:
    local = (p.work_start + rng.uniform(0.0, p.work_hours)) * HOUR
    return cal.moment(p.zone_idx, day, local)


def _to_work_hours(cal: Calendar, p: Person, moment: float, rng: np.random.Generator) -> float:
    """Move a moment that falls outside the person's day to the next morning (people merge at work)."""
    hour = cal.local_hour(p.zone_idx, moment)
    if p.work_start - 1 <= hour <= p.work_start + p.work_hours + 1.5:
        return moment
    day = cal.local_day(p.zone_idx, moment) + (1 if hour > p.work_start else 0)
    while cal.date_of(day).weekday() >= 5:
        day += 1
    return cal.moment(p.zone_idx, day, (p.work_start + rng.uniform(0.0, 2.0)) * HOUR)


def pr_factor(p: Person, week: int, cal: Calendar, on_call: bool) -> float:
    """How much more or less than their own baseline a person ships in a week."""
    f = 1.25 if cal.crunch[week] else 1.0
    persona = p.persona
    active = ai_active(p, week)
    if p.is_manager:
        return 0.08
    if persona == "staff_reviewer":
        f *= 0.3
    elif persona == "power_user":
        f *= 1.9
    elif persona == "migration_lead":
        f *= 3.2 if p.window and p.window[0] <= week < p.window[1] else 1.15
    elif persona == "oncall_responder":
        f *= 0.55 if on_call else 1.1
    elif persona == "new_hire_learner":
        f *= min(1.0, 0.1 + 0.13 * (7 * week - p.hired_day) / 7)
    elif persona in ("non_adopter", "late_adopter"):
        f *= 1.1 if active else 1.0
    elif p.base_level == "light" or persona == "autocomplete_only":
        f *= 1.04
    else:
        f *= 1.12
    weeks_in = (7 * week - p.hired_day) / 7
    if persona != "new_hire_learner" and weeks_in < 6:
        f *= min(1.0, 0.2 + 0.15 * max(0.0, weeks_in))
    return f


def ai_commit_share(p: Person, week: int, kind: str) -> float:
    """The share of a person's commits in a week that carry their agent's co-author trailer."""
    if not ai_active(p, week) or p.persona == "autocomplete_only":
        return 0.0
    if kind == "agent_draft":
        return 1.0
    if kind == "prototype":
        return 0.9
    if kind == "i18n":
        return 0.7
    share = {
        "power_user": 0.8,
        "eval_harness_owner": 0.45,
        "localisation_engineer": 0.5,
        "staff_reviewer": 0.3,
        "new_hire_learner": 0.35,
        "oncall_responder": 0.35,
        "late_adopter": 0.3,
        "manager": 0.1,
    }.get(p.persona)
    if p.persona == "migration_lead":
        share = 0.85 if p.window and p.window[0] <= week < p.window[1] else 0.4
    if share is None:
        share = 0.08 if p.base_level == "light" else 0.35
    return share


def build_delivery(org: Org, cal: Calendar, rng: np.random.Generator, seed: int) -> Delivery:
    out = Delivery()
    out.rota = on_call_rotation(org, cal)
    _pull_requests(org, cal, rng, out)
    _number(org, out, seed)
    _reviews(org, cal, rng, out, seed)
    _deployments(org, cal, rng, out)
    _incidents(org, cal, rng, out)
    _commits(org, cal, rng, out, seed)
    return out


def _title(rng: np.random.Generator, kind: str) -> str:
    thing = _OBJECTS[int(rng.integers(len(_OBJECTS)))]
    if kind == "migration":
        target = ("Java 21", "the new ORM", "Postgres 17", "gRPC v2", "pnpm")[int(rng.integers(5))]
        return f"Migrate {thing} to {target}"
    if kind == "i18n":
        langs = ["nb", "sv", "da", "de", "pl", "et", "lt", "nl", "fr"]
        return f"i18n: translate {thing} strings ({', '.join(rng.choice(langs, 3, replace=False))})"
    if kind == "prototype":
        return f"{['Prototype', 'Spike', 'POC', 'Try'][int(rng.integers(4))]}: {thing} with AI assistant"
    if kind == "agent_draft":
        return f"WIP: {['improve', 'clean up', 'add tests for', 'optimise'][int(rng.integers(4))]} {thing}"
    verb = _VERBS[int(rng.integers(len(_VERBS)))]
    return f"{verb} {thing} in {_COMPONENTS[int(rng.integers(len(_COMPONENTS)))]}"


def _pull_requests(org: Org, cal: Calendar, rng: np.random.Generator, out: Delivery) -> None:
    team_repos = {t.idx: t.repos for t in org.teams}
    dept_repos: dict[str, list[int]] = {}
    for r in org.repos:
        dept_repos.setdefault(org.teams[r.team].department, []).append(r.idx)
    rota = out.rota
    drafting_idlers = {p.idx for p in org.people if p.style == "background_agents" and rng.random() < 0.4}
    bots_rng, rng = rng, Draw(int(rng.integers(1 << 62)))
    for p in org.people:
        for w in range(cal.weeks):
            days = workdays(p, cal, w)
            inflating = w in p.planned_inflation
            if not days and not (p.idx in drafting_idlers and inflating and p.employed_week(w)):
                continue
            on_call = rota is not None and rota[p.team, w] == p.idx
            rate = p.capacity * len(days) / 5 * pr_factor(p, w, cal, on_call) * rng.lognormal(0.0, 0.25)
            kinds = ["normal"] * int(rng.poisson(rate))
            if p.persona == "migration_lead" and p.window and p.window[0] <= w < p.window[1]:
                kinds = ["migration" if rng.random() < 0.75 else k for k in kinds]
            if p.persona == "localisation_engineer" and days:
                kinds += ["i18n"] * int(rng.poisson(3.0 if cal.crunch[w] else 1.4))
            if p.persona == "prototype_churner" and inflating and days:
                kinds += ["prototype"] * (1 + int(rng.poisson(1.0)))
            if p.idx in drafting_idlers and inflating:
                kinds += ["agent_draft"] * int(rng.poisson(1.2))
            for kind in kinds:
                out.prs.append(_one_pr(org, cal, rng, p, w, days, kind, team_repos, dept_repos))
    # Dependency bots open version bumps in every repository.
    rng = bots_rng
    for r in org.repos:
        t = cal.start_epoch + rng.uniform(0, 9) * DAY
        while t < cal.end_epoch:
            bot = int(rng.integers(len(BOTS)))
            created = t
            merged = created + rng.lognormal(np.log(30 * HOUR), 0.9) if rng.random() < 0.8 else None
            closed = merged if merged is not None else created + rng.uniform(3, 20) * DAY
            merged = merged if merged is not None and merged < cal.end_epoch else None
            closed = closed if closed < cal.end_epoch else None
            adds = int(rng.integers(2, 60))
            lib = ["jackson", "spring-boot", "react", "axios", "pydantic", "grpc", "eslint", "kotlin"]
            name = lib[int(rng.integers(len(lib)))]
            out.prs.append(
                PR(
                    -1,
                    bot,
                    r.idx,
                    cal.week_of(created),
                    created,
                    created - 60.0,
                    None,
                    merged,
                    closed,
                    adds,
                    adds - int(rng.integers(0, adds)),
                    int(rng.integers(1, 4)),
                    f"Bump {name} from 1.{int(rng.integers(2, 9))}.0 to 1.{int(rng.integers(9, 14))}.1",
                    "dependencies",
                    "bot",
                    1,
                )
            )
            t += rng.uniform(4, 14) * DAY


def _one_pr(org, cal, rng, p: Person, w: int, days: list[int], kind: str, team_repos, dept_repos) -> PR:
    own = team_repos[p.team]
    if rng.random() < 0.85 or not dept_repos.get(p.department):
        repo = own[int(rng.integers(len(own)))]
    else:
        pool = dept_repos[p.department]
        repo = pool[int(rng.integers(len(pool)))]
    if days:
        created = _local_moment(cal, p, days[int(rng.integers(len(days)))], rng)
    else:  # an unattended agent opens a draft on any day of the week, at any hour
        created = cal.week_start_epoch(w) + rng.uniform(0, 7 * DAY - HOUR)
    if kind == "migration":
        adds = int(rng.lognormal(np.log(600), 1.0)) + 20
        dels = int(adds * rng.uniform(0.6, 1.1))
        files = int(min(400, 5 + rng.poisson(adds / 25)))
        labels, commits, draft = "migration", 2 + int(rng.poisson(4)), rng.random() < 0.3
    elif kind == "i18n":
        adds = int(rng.lognormal(np.log(2500), 0.7)) + 50
        dels = int(adds * rng.uniform(0.0, 0.2))
        files = int(rng.integers(9, 28))
        labels, commits, draft = "i18n", 1 + int(rng.poisson(1)), False
    elif kind == "prototype":
        adds = int(rng.lognormal(np.log(1500), 0.8)) + 100
        dels = int(adds * rng.uniform(0.0, 0.15))
        files = int(rng.integers(10, 60))
        choices = ["prototype", "spike", "experiment", "", "", "feature"]
        labels, commits, draft = (
            choices[int(rng.integers(len(choices)))],
            2 + int(rng.poisson(5)),
            rng.random() < 0.8,
        )
    elif kind == "agent_draft":
        adds = int(rng.lognormal(np.log(220), 0.9)) + 5
        dels = int(adds * rng.uniform(0.1, 0.6))
        files = int(rng.integers(1, 25))
        labels, commits, draft = "", 1 + int(rng.poisson(3)), True
    else:
        adds = int(rng.lognormal(np.log(70), 1.2)) + 1
        dels = int(adds * rng.lognormal(np.log(0.35), 0.8))
        files = int(min(120, 1 + rng.poisson(adds / 45)))
        choices = ["", "", "", "bug", "feature", "chore", "tech-debt"]
        if p.persona == "eval_harness_owner" and rng.random() < 0.5:
            choices = ["evals"]
        labels, commits, draft = (
            choices[int(rng.integers(len(choices)))],
            1 + int(rng.poisson(1.6)),
            rng.random() < 0.2,
        )
    first_commit = created - (
        rng.uniform(60, 900) if kind == "agent_draft" else min(10 * DAY, rng.lognormal(np.log(5 * HOUR), 1.1))
    )
    ready = created + rng.lognormal(np.log(4 * HOUR), 1.0) if draft else None
    if kind == "prototype" and draft and rng.random() < 0.7:
        ready = None
    if kind == "agent_draft" and rng.random() < 0.85:
        ready = None
    opened = ready if ready is not None else created
    merged = closed = None
    if kind == "prototype":
        closed = created + rng.uniform(1, 10) * DAY
    elif kind == "agent_draft":
        closed = created + rng.uniform(2, 14) * DAY if rng.random() < 0.7 else None
    elif rng.random() < (0.03 if kind == "migration" else 0.06):
        closed = opened + rng.lognormal(np.log(50 * HOUR), 0.8)
    else:
        size = max(1.0, (adds + dels) / 200) ** 0.2
        merged = _to_work_hours(cal, p, opened + rng.lognormal(np.log(18 * HOUR), 0.85) * size, rng)
        closed = merged
    if ready is not None and ready >= cal.end_epoch:
        ready = None
    if merged is not None and merged >= cal.end_epoch:
        merged = closed = None
    if closed is not None and closed >= cal.end_epoch:
        closed = None
    return PR(
        p.idx,
        -1,
        repo,
        w,
        created,
        first_commit,
        ready,
        merged,
        closed,
        adds,
        dels,
        files,
        _title(rng, kind),
        labels,
        kind,
        commits,
    )


def _number(org: Org, out: Delivery, seed: int) -> None:
    order = sorted(range(len(out.prs)), key=lambda i: (out.prs[i].repo, out.prs[i].created, i))
    counter: dict[int, int] = {}
    for i in order:
        pr = out.prs[i]
        n = counter.get(pr.repo, org.repos[pr.repo].next_pr)
        pr.number = n
        counter[pr.repo] = n + 1
        if pr.merged is not None:
            pr.merge_sha = _sha(seed, "merge", org.repos[pr.repo].name, n)


def employment_spans(org: Org, cal: Calendar) -> list[tuple[float, float]]:
    """Per person, the first and the end moment (UTC) of their employment."""
    spans = []
    for p in org.people:
        first = cal.moment(p.zone_idx, p.hired_day, 0.0)
        end = cal.end_epoch + 30 * DAY if p.left_day is None else cal.moment(p.zone_idx, p.left_day + 1, 0.0)
        spans.append((first, end))
    return spans


def _reviews(org: Org, cal: Calendar, rng: np.random.Generator, out: Delivery, seed: int) -> None:
    staff_by_dept: dict[str, list[int]] = {}
    for p in org.people:
        if p.persona == "staff_reviewer":
            staff_by_dept.setdefault(p.department, []).append(p.idx)
    # Each staff reviewer aims at 12-30 reviews a week across their business unit.
    appetite = {i: float(rng.uniform(12, 30)) for ids in staff_by_dept.values() for i in ids}
    dept_week_prs: dict[tuple[str, int], int] = {}
    for pr in out.prs:
        if pr.bot < 0:
            key = (org.people[pr.author].department, pr.week)
            dept_week_prs[key] = dept_week_prs.get(key, 0) + 1
    counter = 0
    alive = employment_spans(org, cal)
    present: dict[tuple[int, int], list[int]] = {}
    for i, pr in enumerate(out.prs):
        team = org.teams[org.repos[pr.repo].team]
        drafted = pr.bot < 0 and pr.ready is None and pr.kind in ("agent_draft", "prototype")
        if drafted and rng.random() < 0.75:
            continue  # drafts nobody was asked to look at
        opened = pr.ready if pr.ready is not None else pr.created
        end = pr.merged if pr.merged is not None else (pr.closed if pr.closed is not None else cal.end_epoch)
        if end <= opened + 300:
            continue
        week = min(cal.weeks - 1, max(0, cal.week_of(opened)))
        key = (team.idx, week)
        if key not in present:
            present[key] = [
                m
                for m in team.members
                if org.people[m].employed_week(week) and week not in org.people[m].vacation_weeks
            ]
        pool = [m for m in present[key] if m != pr.author]
        if team.manager >= 0 and rng.random() < 0.12:
            pool.append(team.manager)
        n = 1 if pr.bot >= 0 else 1 + int(rng.poisson(0.55)) + (1 if pr.kind == "migration" else 0)
        if not pool:
            reviewers = []
        elif n == 1:
            reviewers = [pool[int(rng.integers(len(pool)))]]
        else:
            reviewers = [pool[j] for j in rng.permutation(len(pool))[:n]]
        if pr.bot < 0:
            author = org.people[pr.author]
            staff = [
                s
                for s in staff_by_dept.get(author.department, [])
                if s != pr.author
                and org.people[s].employed_week(week)
                and week not in org.people[s].vacation_weeks
            ]
            if staff:
                expected = max(1, dept_week_prs.get((author.department, pr.week), 1))
                pick = staff[int(rng.integers(len(staff)))]
                if rng.random() < min(0.7, appetite[pick] * len(staff) / expected) and pick not in reviewers:
                    reviewers.append(pick)
        if not reviewers:
            continue
        span = end - opened
        times = sorted(opened + rng.uniform(0.1, 0.97, len(reviewers)) * span)
        for k, (reviewer, when) in enumerate(zip(reviewers, times, strict=True)):
            last = k == len(reviewers) - 1
            if pr.merged is not None and last:
                state, when = "APPROVED", max(opened + 60, pr.merged - rng.uniform(300, 3 * HOUR))
            else:
                state = ["COMMENTED", "COMMENTED", "CHANGES_REQUESTED", "APPROVED"][int(rng.integers(4))]
                if rng.random() < 0.01:
                    state = "DISMISSED"
            if not alive[reviewer][0] <= when < alive[reviewer][1]:
                continue  # joined after, or left before, the moment the review would have come
            counter += 1
            review_id = "PRR_" + _sha(seed, "review", counter)[:20]
            out.reviews.append(Review(i, review_id, int(reviewer), state, float(when)))


def _deployments(org: Org, cal: Calendar, rng: np.random.Generator, out: Delivery) -> None:
    merges: dict[int, list[tuple[float, str]]] = {}
    for pr in out.prs:
        if pr.merged is not None and pr.merge_sha is not None:
            merges.setdefault(pr.repo, []).append((pr.merged, pr.merge_sha))
    counter = 0
    for repo in org.repos:
        if not repo.deploys or repo.idx not in merges:
            continue
        team = org.teams[repo.team]
        zone = ZONE_INDEX[COUNTRY_ZONES[team.country][0]]
        pending = sorted(merges[repo.idx])
        k, last = 0, -np.inf
        for day in range(cal.days):
            if cal.date_of(day).weekday() >= 5:
                continue
            for train in (10.5, 14.5):
                t = cal.moment(zone, day, train * HOUR + rng.uniform(0, 900))
                while k < len(pending) and pending[k][0] <= t:
                    k += 1
                if k == 0 or pending[k - 1][0] <= last:
                    continue
                last = pending[k - 1][0]
                sha = pending[k - 1][1]
                for env, delay in (("staging", 0.0), ("production", rng.uniform(20, 45) * 60)):
                    start = t + delay
                    if start >= cal.end_epoch:
                        continue
                    roll = rng.random()
                    status = "success" if roll > 0.05 else ("failure" if roll > 0.015 else "error")
                    if env == "staging":
                        status = "success" if roll > 0.03 else "failure"
                    counter += 1
                    finish = start + rng.uniform(3, 15) * 60
                    out.deployments.append(
                        Deployment(repo.idx, str(880_000_000 + counter), sha, env, status, start, finish)
                    )
                    if env == "production" and status != "success":
                        retry = finish + rng.uniform(40, 120) * 60
                        if retry < cal.end_epoch:
                            counter += 1
                            out.deployments.append(
                                Deployment(
                                    repo.idx,
                                    str(880_000_000 + counter),
                                    sha,
                                    env,
                                    "success",
                                    retry,
                                    retry + rng.uniform(3, 15) * 60,
                                )
                            )


def _incidents(org: Org, cal: Calendar, rng: np.random.Generator, out: Delivery) -> None:
    rota = out.rota
    by_repo: dict[int, list[int]] = {}
    for s in org.services:
        by_repo.setdefault(s.repo, []).append(s.idx)
    raw: list[tuple[float, int, str | None]] = []
    for d in out.deployments:
        if d.environment != "production" or d.repo not in by_repo:
            continue
        service = by_repo[d.repo][int(rng.integers(len(by_repo[d.repo])))]
        sre = org.teams[org.services[service].team].is_sre
        p = 0.3 if d.status != "success" else (0.04 if sre else 0.02)
        if rng.random() < p:
            created = d.finished + rng.lognormal(np.log(1.5 * HOUR), 0.8)
            raw.append((created, service, d.deployment_id if rng.random() < 0.75 else None))
    for s in org.services:
        for _ in range(int(rng.poisson(s.weekly_incidents * cal.weeks))):
            raw.append((cal.start_epoch + rng.uniform(0, cal.days * DAY), s.idx, None))
    raw.sort(key=lambda x: (x[0], x[1]))
    alive = employment_spans(org, cal)
    dep_repo = {d.deployment_id: d.repo for d in out.deployments}
    for n, (created, service, cause) in enumerate(raw):
        if created >= cal.end_epoch - HOUR:
            continue
        svc = org.services[service]
        team = org.teams[svc.team]
        week = cal.week_of(created)
        responder = int(rota[team.idx, week]) if rota is not None else -1
        if responder < 0 or not alive[responder][0] <= created < alive[responder][1]:
            pool = [m for m in team.members if alive[m][0] <= created < alive[m][1]]
            responder = pool[int(rng.integers(len(pool)))] if pool else team.manager
        severity = ["sev1", "sev2", "sev3", "sev4"][int(rng.choice(4, p=[0.03, 0.14, 0.45, 0.38]))]
        p = org.people[responder]
        hour = cal.local_hour(p.zone_idx, created)
        paged = severity in ("sev1", "sev2") or team.is_sre
        if paged or 8 <= hour <= 18:
            acked = created + rng.uniform(1, 12 if paged else 45) * 60
        else:  # a low-severity alert waits for the morning
            day = cal.local_day(p.zone_idx, created) + (1 if hour > 18 else 0)
            acked = max(created + 300, cal.moment(p.zone_idx, day, (p.work_start + rng.uniform(0, 1)) * HOUR))
        median = {"sev1": 1.5, "sev2": 2.5, "sev3": 5.0, "sev4": 20.0}[severity] * HOUR
        resolved: float | None = acked + rng.lognormal(np.log(median), 0.8)
        if resolved is not None and resolved >= cal.end_epoch:
            resolved = None
        if rng.random() < 0.04:
            responder = -1  # auto-resolved: the alert cleared itself
        symptom = _SYMPTOMS[int(rng.integers(len(_SYMPTOMS)))]
        out.incidents.append(
            Incident(
                f"INC-{cal.start.year}-{n + 1:06d}",
                service,
                f"{svc.name}: {symptom}",
                severity,
                created,
                acked,
                resolved,
                responder,
                cause,
                dep_repo.get(cause, -1) if cause else -1,
            )
        )


def _commits(org: Org, cal: Calendar, rng: np.random.Generator, out: Delivery, seed: int) -> None:
    r = random.Random(int(rng.integers(1 << 62)))
    noreply = {p.idx for p in org.people if r.random() < 0.05}
    dco = {t.idx for t in org.teams if t.department == "payments"}
    for i, pr in enumerate(out.prs):
        repo = org.repos[pr.repo]
        if pr.bot >= 0:
            login, email = BOTS[pr.bot]
            sha = _sha(seed, "c", repo.name, i, 0)
            first = pr.first_commit or pr.created
            out.commits.append(
                Commit(
                    pr.repo, sha, email, login, first, first, pr.title, pr.additions, pr.deletions, pr.number
                )
            )
            if pr.merge_sha and pr.merged is not None:
                out.commits.append(
                    Commit(
                        pr.repo,
                        pr.merge_sha,
                        email,
                        login,
                        pr.merged,
                        pr.merged,
                        f"{pr.title} (#{pr.number})",
                        pr.additions,
                        pr.deletions,
                        pr.number,
                    )
                )
            continue
        p = org.people[pr.author]
        email = f"{10_000_000 + p.idx}+{p.login}@users.noreply.github.com" if p.idx in noreply else p.email
        first = pr.first_commit if pr.first_commit is not None else pr.created - 600
        last = max(first + 60, (pr.merged - HOUR) if pr.merged is not None else pr.created + 0.5 * DAY)
        last = max(first + 60, min(last, cal.end_epoch - 60))
        times = [first, *sorted(r.uniform(first, last) for _ in range(pr.n_commits - 1))]
        share = ai_commit_share(p, pr.week, pr.kind)
        weights = [r.random() + 1e-3 for _ in range(pr.n_commits)]
        total = sum(weights)
        trailers: set[str] = set()
        team = org.teams[p.team].members
        for k, when in enumerate(times):
            lines = [_commit_subject(r, pr)]
            if r.random() < 0.3:
                lines += ["", "Tests updated; see the PR description for the rollout plan."]
            tail = []
            if r.random() < share:
                tool = p.agent_tool if pr.kind != "agent_draft" else "claude_code"
                tail.append(AI_TRAILERS[tool])
            if r.random() < 0.04:
                mate = org.people[team[r.randrange(len(team))]]
                if mate.idx != p.idx:
                    tail.append(f"Co-authored-by: {mate.full_name} <{mate.email}>")
            if repo.team in dco:
                tail.append(f"Signed-off-by: {p.full_name} <{p.email}>")
            if tail:
                lines += ["", *tail]
            trailers.update(t.split("\n")[-1] for t in tail if not t.startswith("Signed-off-by"))
            committed = when + (r.uniform(0, 6) * HOUR if r.random() < 0.2 else 0.0)
            committed = min(committed, cal.end_epoch - 1)
            share_k = weights[k] / total
            out.commits.append(
                Commit(
                    pr.repo,
                    _sha(seed, "c", repo.name, i, k),
                    email,
                    p.login,
                    float(when),
                    float(committed),
                    "\n".join(lines),
                    int(pr.additions * share_k),
                    int(pr.deletions * share_k),
                    pr.number,
                )
            )
        if pr.merge_sha is not None and pr.merged is not None:
            body = sorted(trailers)
            message = f"{pr.title} (#{pr.number})" + ("\n\n" + "\n".join(body) if body else "")
            out.commits.append(
                Commit(
                    pr.repo,
                    pr.merge_sha,
                    email,
                    p.login,
                    pr.merged,
                    pr.merged,
                    message,
                    pr.additions,
                    pr.deletions,
                    pr.number,
                )
            )


def _commit_subject(r: random.Random, pr: PR) -> str:
    prefix = {"migration": "refactor", "i18n": "i18n", "prototype": "feat", "agent_draft": "chore"}.get(
        pr.kind
    )
    if prefix is None:
        prefix = ("fix", "feat", "chore", "refactor", "test", "docs")[r.randrange(6)]
    thing = _OBJECTS[r.randrange(len(_OBJECTS))]
    return f"{prefix}: {('handle', 'update', 'cover', 'tidy', 'wire up', 'split')[r.randrange(6)]} {thing}"
