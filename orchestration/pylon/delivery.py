"""Pylon Grid's delivery: pull requests, reviews, commits, deployments and incidents, consistent with who
works where, when they are away, the release crunches and the weather."""

from __future__ import annotations

import numpy as np

from orchestration.pylon.calendar import DAY, HOUR, OFFICES, Calendar, Crunch, Weather
from orchestration.pylon.ids import hex_list, mix
from orchestration.pylon.org import AREA_KEYS, ONCALL_AREAS, Org, P, T
from orchestration.pylon.usage import Plan

_VERBS = ["Add", "Fix", "Refactor", "Handle", "Remove", "Speed up", "Validate", "Document", "Retry", "Harden"]
_OBJECTS = {
    "scada": [
        "RTU poll scheduler",
        "alarm flood suppression",
        "DNP3 event buffer",
        "one-line diagram cache",
        "breaker interlock check",
        "historian writer",
        "IEC 61850 GOOSE parser",
        "switching order form",
    ],
    "outage": [
        "outage polygon merge",
        "ETR estimator",
        "customer callback queue",
        "outage map tiles",
        "SMS notification batching",
        "trouble ticket dedup",
        "crew ETA feed",
    ],
    "metering": [
        "interval data gap fill",
        "meter event ingest",
        "firmware wave planner",
        "VEE rules",
        "head-end retry policy",
        "remote disconnect audit",
    ],
    "markets": [
        "five-minute settlement calc",
        "bid stack validation",
        "settlement reconciliation job",
        "market notice parser",
        "price curve loader",
        "dispatch instruction ack",
    ],
    "fieldops": [
        "offline sync",
        "job pack PDF",
        "pole inspection form",
        "crew location updates",
        "switching permit flow",
        "photo upload retry",
    ],
    "sre": [
        "alert routing",
        "Terraform module",
        "node pool autoscaling",
        "backup verification",
        "SLO dashboards",
        "certificate rotation",
    ],
    "data": [
        "telemetry compaction",
        "Kafka consumer lag",
        "dbt model for feeder loads",
        "schema registry",
        "partition pruning",
        "late-arriving readings",
    ],
    "ai": [
        "GridPilot prompt templates",
        "model gateway quotas",
        "eval harness",
        "usage export",
        "retrieval index refresh",
        "IDE plugin config",
    ],
    "security": [
        "OT firewall rule review",
        "SSO group sync",
        "secrets scanning",
        "jump host audit log",
        "SBOM generation",
        "vulnerability triage bot",
    ],
    "planning": [
        "load forecast features",
        "hosting capacity map",
        "DER interconnection queue",
        "network model import",
        "contingency analysis runner",
        "PV uptake scenarios",
    ],
}
_TRAILER = {
    T["claude_code"]: "Co-authored-by: Claude <noreply@anthropic.com>",
    T["cursor"]: "Co-authored-by: Cursor <cursoragent@cursor.com>",
    T["copilot"]: "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
    T["internal_agent"]: "Co-authored-by: GridPilot <gridpilot@pylongrid.com>",
    T["openai_api"]: "Co-authored-by: Claude <noreply@anthropic.com>",
}
BOTS = (
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
)
_SEV_NORMAL = np.array([0.02, 0.10, 0.45, 0.43])
_SEV_STORM = np.array([0.08, 0.30, 0.40, 0.22])
_RESOLVE_MEDIAN_H = np.array([2.5, 4.0, 9.0, 26.0])


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, size: int) -> np.ndarray:
    return np.exp(rng.normal(0.0, sigma, size)) * median


def _pick_day(rng: np.random.Generator, mask: np.ndarray) -> np.ndarray:
    """A random True column per row of `mask` (rows have at least one)."""
    cnt = mask.sum(axis=1)
    r = np.floor(rng.random(len(mask)) * cnt)
    return (np.cumsum(mask, axis=1) > r[:, None]).argmax(axis=1)


class Delivery:
    """Every table of Git and PagerDuty data, as column lists."""

    def __init__(self) -> None:
        self.pull_requests: dict[str, list] = {}
        self.pr_reviews: dict[str, list] = {}
        self.commits: dict[str, list] = {}
        self.deployments: dict[str, list] = {}
        self.incidents: dict[str, np.ndarray | list] = {}


def generate_delivery(
    cal: Calendar,
    org: Org,
    plan: Plan,
    crunch: list[Crunch],
    weather: list[Weather],
    rng: np.random.Generator,
    salt: int,
) -> Delivery:
    out = Delivery()
    prs = _pull_requests(cal, org, plan, crunch, rng)
    _finish_pull_requests(cal, org, prs, rng, salt, out)
    _reviews(cal, org, prs, rng, salt, out)
    _commits(cal, org, plan, prs, rng, salt, out)
    deploys = _deployments(cal, org, prs, rng, out)
    _incidents(cal, org, crunch, weather, deploys, rng, out)
    return out


def _pull_requests(
    cal: Calendar, org: Org, plan: Plan, crunch: list[Crunch], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    W = cal.weeks
    n = org.people
    avail = org.available[:, 1 : 1 + 7 * W].reshape(n, W, 7)
    present = avail.sum(axis=2)
    lift = np.ones((len(AREA_KEYS), W))
    for c in crunch:
        lift[AREA_KEYS.index(c.area), c.first_week : c.first_week + c.weeks] = c.lift
    area = org.team_area[np.maximum(org.team, 0)]
    weeks = np.arange(W)
    adopted = weeks[None, :] >= org.adoption_week[:, None]
    ai_gain = np.where(adopted, np.exp(rng.normal(0.08, 0.06, n))[:, None], 1.0)
    since_hire = (7 * weeks[None, :] - org.hired_day[:, None]) / 7.0
    ramp = np.clip(0.25 + since_hire / 8.0, 0.25, 1.0)
    mig = np.where(plan.migration, 2.0, 1.0)
    rate = org.pr_rate[:, None] * present / 5.0 * lift[area] * ai_gain * ramp * mig
    counts = rng.poisson(rate)
    person, week = np.nonzero(counts)
    reps = counts[person, week]
    person, week = np.repeat(person, reps), np.repeat(week, reps)
    day = _pick_day(rng, avail[person, week])
    col = 1 + 7 * week + day
    m = len(person)
    created = cal.utc(org.office[person], col, org.chronotype[person] + rng.uniform(0.8, 8.6, m))
    migrating = plan.migration[person, week]
    crunching = lift[area[person], week] > 1.0
    inside = (created >= cal.t0) & (created < cal.t1) & _employed_at(cal, org, person, created)
    person, created, migrating, crunching = (
        person[inside],
        created[inside],
        migrating[inside],
        crunching[inside],
    )
    m = len(person)

    # Throwaway prototypes: a draft opened after the agent session, closed without merging.
    proto_created = (
        plan.proto_start + plan.proto_n * 28 + rng.integers(HOUR // 3, 3 * HOUR, len(plan.proto_person))
    )
    inside = (proto_created >= cal.t0) & (proto_created < cal.t1)
    inside &= _employed_at(cal, org, plan.proto_person, proto_created)
    pp, proto_created = plan.proto_person[inside], proto_created[inside]
    k = len(pp)
    return {
        "person": np.concatenate([person, pp]),
        "created": np.concatenate([created, proto_created]),
        "migration": np.concatenate([migrating, np.zeros(k, bool)]),
        "crunch": np.concatenate([crunching, np.zeros(k, bool)]),
        "prototype": np.concatenate([np.zeros(m, bool), np.ones(k, bool)]),
        "bot": np.full(m + k, -1),
    }


def _finish_pull_requests(
    cal: Calendar, org: Org, prs: dict[str, np.ndarray], rng: np.random.Generator, salt: int, out: Delivery
) -> None:
    # Bots: dependency bumps in every repository.
    n_repo = len(org.repos)
    bot_counts = rng.poisson(0.35 * cal.weeks, n_repo)
    bot_repo = np.repeat(np.arange(n_repo), bot_counts)
    nb = len(bot_repo)
    bot_created = cal.t0 + rng.integers(0, cal.days * DAY, nb)

    person = prs["person"]
    m = len(person)
    team = org.team[person]
    # Most work lands in the team's main repository.
    team_repos = [np.flatnonzero(org.repo_team == t) for t in range(len(org.team_ids))]
    first_repo = np.array([r[0] for r in team_repos])
    n_team_repo = np.array([len(r) for r in team_repos])
    pick = np.where(rng.random(m) < 0.65, 0, rng.integers(0, 10**6, m) % n_team_repo[team])
    repo = first_repo[team] + pick
    repo = np.concatenate([repo, bot_repo])
    created = np.concatenate([prs["created"], bot_created])
    is_bot = np.concatenate([np.zeros(m, bool), np.ones(nb, bool)])
    bot_kind = np.concatenate([np.full(m, -1), rng.integers(0, 2, nb)])
    prototype = np.concatenate([prs["prototype"], np.zeros(nb, bool)])
    migration = np.concatenate([prs["migration"], np.zeros(nb, bool)])
    crunching = np.concatenate([prs["crunch"], np.zeros(nb, bool)])
    person = np.concatenate([person, np.full(nb, -1)])
    total = m + nb
    area = np.where(person >= 0, org.team_area[org.team[np.maximum(person, 0)]], 0)
    area_name = np.array(AREA_KEYS)[area]

    first_commit = created - np.round(
        _lognormal(rng, 12 * HOUR, 0.9, total) * np.where(migration, 2.5, 1)
    ).astype(np.int64)
    first_commit = np.where(is_bot, created - rng.integers(5, 60, total), first_commit)
    draft = (rng.random(total) < 0.17) & ~is_bot
    ready = np.where(draft, created + _lognormal(rng, 5 * HOUR, 1.0, total).astype(np.int64), -1)
    ready = np.where(prototype, -1, ready)
    opened = np.where(ready > 0, ready, created)
    slow = np.isin(area_name, ["scada", "markets", "security"])
    cycle = _lognormal(rng, np.where(slow, 34 * HOUR, 15 * HOUR), 1.0, total)
    cycle = np.where(crunching, cycle * 0.7, cycle)
    cycle = np.where(is_bot, _lognormal(rng, 20 * HOUR, 1.2, total), cycle)
    u = rng.random(total)
    merged = np.where((u < 0.88) & ~prototype, opened + cycle.astype(np.int64), -1)
    closed = np.where(
        (u >= 0.88) & (u < 0.95) & ~prototype, created + _lognormal(rng, 60 * HOUR, 1.0, total), -1
    )
    closed = np.where(prototype, created + rng.integers(4 * HOUR, 6 * DAY, total), closed).astype(np.int64)
    closed = np.where(merged > 0, merged, closed)
    # Still open when the period's data was taken.
    merged = np.where(merged >= cal.t1, -1, merged)
    closed = np.where(closed >= cal.t1, -1, closed)
    ready = np.where(ready >= cal.t1, -1, ready)

    adds = _lognormal(rng, 70.0, 1.1, total) * np.where(migration, 7.0, 1.0) * np.where(prototype, 12.0, 1.0)
    adds = np.where(is_bot, rng.integers(1, 30, total), np.maximum(1, np.round(adds))).astype(np.int64)
    dels = np.round(adds * rng.uniform(0.05, np.where(migration, 0.9, 0.5), total)).astype(np.int64)
    files = 1 + rng.poisson(np.minimum(adds / 45.0, 60.0)).astype(np.int64)

    # Numbers per repository, in order of creation.
    order = np.lexsort((np.arange(total), created, repo))
    repo_sorted = repo[order]
    starts = np.searchsorted(repo_sorted, np.arange(n_repo))
    base = 40 + (mix(np.arange(n_repo), salt + 11) % np.uint64(2500)).astype(np.int64)
    number = np.empty(total, dtype=np.int64)
    number[order] = np.arange(total) - starts[repo_sorted] + base[repo_sorted]

    sha_words = [
        mix(np.arange(total), salt + 21),
        mix(np.arange(total), salt + 22),
        mix(np.arange(total), salt + 23),
    ]
    merge_sha = hex_list(sha_words, 40)

    titles, labels, authors = [], [], []
    verbs = rng.integers(0, len(_VERBS), total)
    objs = rng.integers(0, 1000, total)
    label_pick = rng.random(total)
    for k in range(total):
        if is_bot[k]:
            b = int(bot_kind[k])
            lib = ["pyarrow", "react", "spring-boot", "grpcio", "terraform-provider-aws", "pydantic"][
                objs[k] % 6
            ]
            titles.append(
                f"Bump {lib} from 1.{objs[k] % 9}.0 to 1.{objs[k] % 9 + 1}.0"
                if b == 0
                else f"chore(deps): update {lib} to v{objs[k] % 7 + 2}"
            )
            labels.append("dependencies")
            authors.append(BOTS[b][0])
            continue
        a = str(area_name[k])
        obj = _OBJECTS[a][objs[k] % len(_OBJECTS[a])]
        if prototype[k]:
            titles.append(f"[spike] try {obj.lower()} with a new approach")
            labels.append("prototype,do-not-merge")
        elif migration[k]:
            titles.append(f"Migrate {obj.lower()} to the new platform (part {objs[k] % 12 + 1})")
            labels.append("migration")
        else:
            titles.append(f"{_VERBS[verbs[k]]} {obj.lower()}")
            tag = "bug" if label_pick[k] < 0.35 else "feature" if label_pick[k] < 0.75 else "chore"
            labels.append(f"{tag},release-blocker" if crunching[k] and label_pick[k] < 0.5 else tag)
        authors.append(org.login[int(person[k])])
    base_branch = np.where(crunching & (rng.random(total) < 0.25), "release/2026.2", "main")

    out.pull_requests = {
        "repo": [org.repos[r] for r in repo],
        "pr_number": number,
        "author_login": authors,
        "title": titles,
        "created_at": created,
        "ready_for_review_at": ready,
        "first_commit_at": first_commit,
        "merged_at": merged,
        "closed_at": closed,
        "additions": adds,
        "deletions": dels,
        "changed_files": files,
        "base_branch": base_branch.tolist(),
        "merge_commit_sha": [s if mg > 0 else None for s, mg in zip(merge_sha, merged, strict=True)],
        "labels": labels,
    }
    prs.update(
        person_all=person,
        repo=repo,
        number=number,
        created_all=created,
        opened=opened,
        ready=ready,
        first_commit=first_commit,
        merged=merged,
        closed=closed,
        adds=adds,
        dels=dels,
        is_bot=is_bot,
        bot_kind=bot_kind,
        prototype_all=prototype,
        migration_all=migration,
        merge_sha=np.array(merge_sha),
    )


def _employed_at(cal: Calendar, org: Org, person: np.ndarray, t: np.ndarray) -> np.ndarray:
    day = (t - cal.t0) // DAY
    return (day >= org.hired_day[person]) & (day <= org.left_day[person])


def _reviews(
    cal: Calendar, org: Org, prs: dict[str, np.ndarray], rng: np.random.Generator, salt: int, out: Delivery
) -> None:
    person = prs["person_all"]
    human = ~prs["is_bot"] & ~prs["prototype_all"]
    idx = np.flatnonzero(human)
    engineers = np.flatnonzero(~org.is_manager)
    by_team = engineers[np.argsort(org.team[engineers], kind="stable")]
    n_teams = len(org.team_ids)
    t_start = np.searchsorted(org.team[by_team], np.arange(n_teams))
    t_size = np.bincount(org.team[by_team], minlength=n_teams)

    k = 1 + rng.binomial(1, 0.45, len(idx))
    pr = np.repeat(idx, k)
    slot = np.arange(len(pr)) - np.repeat(np.cumsum(k) - k, k)
    author = person[pr]
    team = org.team[author]
    off = rng.integers(1, 10**6, len(pr)) + slot
    reviewer = by_team[t_start[team] + off % t_size[team]]
    reviewer = np.where(reviewer == author, by_team[t_start[team] + (off + 1) % t_size[team]], reviewer)
    boss = rng.random(len(pr)) < 0.07
    reviewer = np.where(boss, org.manager[author], reviewer)

    opened = prs["opened"][pr]
    merged = prs["merged"][pr]
    closed = prs["closed"][pr]
    end = np.where(merged > 0, merged, np.where(closed > 0, closed, opened + 3 * DAY))
    span = np.maximum(end - opened, 600)
    last = slot == (np.repeat(k, k) - 1)
    at = np.where(
        last & (merged > 0),
        merged - np.minimum(rng.integers(120, 3 * HOUR, len(pr)), span // 2),
        opened + (rng.uniform(0.1, 0.8, len(pr)) * span).astype(np.int64),
    )
    u = rng.random(len(pr))
    state = np.where(
        last & (merged > 0),
        "APPROVED",
        np.where(u < 0.45, "COMMENTED", np.where(u < 0.75, "CHANGES_REQUESTED", "APPROVED")),
    )
    state = np.where((u > 0.985) & ~last, "DISMISSED", state)

    # Staff reviewers read across their area, week in, week out.
    extra_pr, extra_rev, extra_at = [], [], []
    area_of_pr = org.team_area[org.team[np.maximum(person, 0)]]
    created = prs["created_all"]
    for s in np.flatnonzero(org.persona == P["staff_reviewer"]):
        a = org.team_area[org.team[s]]
        pool = np.flatnonzero(human & (area_of_pr == a) & (person != s))
        if len(pool) == 0:
            continue
        wk = cal.week_of(created[pool])
        for w in range(cal.weeks):
            days = int(org.available[s, 1 + 7 * w : 8 + 7 * w].sum())
            cand = pool[wk == w]
            if days == 0 or len(cand) == 0:
                continue
            take = min(len(cand), int(rng.poisson(3.4 * days * org.intensity[s])))
            chosen = rng.choice(cand, size=take, replace=False)
            extra_pr.append(chosen)
            extra_rev.append(np.full(take, s))
            o = prs["opened"][chosen]
            e = np.where(prs["merged"][chosen] > 0, prs["merged"][chosen], o + 2 * DAY)
            extra_at.append(o + (rng.uniform(0.05, 0.9, take) * np.maximum(e - o, 600)).astype(np.int64))
    if extra_pr:
        ep, er, ea = np.concatenate(extra_pr), np.concatenate(extra_rev), np.concatenate(extra_at)
        es = np.where(
            rng.random(len(ep)) < 0.55,
            "COMMENTED",
            np.where(rng.random(len(ep)) < 0.5, "APPROVED", "CHANGES_REQUESTED"),
        )
        pr = np.concatenate([pr, ep])
        reviewer = np.concatenate([reviewer, er])
        at = np.concatenate([at, ea])
        state = np.concatenate([state, es])

    ok = (at < cal.t1) & (reviewer >= 0) & (reviewer != person[pr]) & _employed_at(cal, org, reviewer, at)
    pr, reviewer, at, state = pr[ok], reviewer[ok], at[ok], state[ok]
    order = np.lexsort((reviewer, at))
    pr, reviewer, at, state = pr[order], reviewer[order], at[order], state[order]
    ids = hex_list([mix(np.arange(len(pr)), salt + 31)], 14)
    out.pr_reviews = {
        "repo": [org.repos[r] for r in prs["repo"][pr]],
        "pr_number": prs["number"][pr],
        "review_id": [f"PRR_kw{x}" for x in ids],
        "reviewer_login": [org.login[r] for r in reviewer],
        "state": state.tolist(),
        "submitted_at": at,
    }


def _commits(
    cal: Calendar,
    org: Org,
    plan: Plan,
    prs: dict[str, np.ndarray],
    rng: np.random.Generator,
    salt: int,
    out: Delivery,
) -> None:
    person = prs["person_all"]
    is_bot = prs["is_bot"]
    total = len(person)
    k = np.where(is_bot, 1, 1 + rng.poisson(np.where(prs["migration_all"], 4.0, 1.7), total))
    pr = np.repeat(np.arange(total), k)
    j = np.arange(len(pr)) - np.repeat(np.cumsum(k) - k, k)
    fc = prs["first_commit"][pr]
    created = prs["created_all"][pr]
    merged = prs["merged"][pr]
    upper = np.where(merged > 0, np.minimum(merged - 60, created + 20 * HOUR), created + 20 * HOUR)
    upper = np.maximum(upper, fc + 60)
    authored = np.where(j == 0, fc, fc + (rng.random(len(pr)) * (upper - fc)).astype(np.int64))
    rebased = rng.random(len(pr)) < 0.2
    committed = np.where(
        rebased, np.maximum(authored, np.minimum(upper, authored + rng.integers(60, 6 * HOUR))), authored
    )
    weights = rng.gamma(1.5, 1.0, len(pr))
    wsum = np.add.reduceat(weights, np.cumsum(k) - k)
    share = weights / np.repeat(wsum, k)
    adds = np.round(prs["adds"][pr] * share).astype(np.int64)
    dels = np.round(prs["dels"][pr] * share).astype(np.int64)

    # Direct pushes without a pull request: configuration and runbook tweaks.
    humans = np.flatnonzero(~org.is_manager)
    nd = int(0.02 * len(pr)) + 1
    d_person = rng.choice(humans, size=nd)
    d_time = cal.t0 + rng.integers(0, cal.days * DAY, nd)
    ok = _employed_at(cal, org, d_person, d_time)
    d_person, d_time = d_person[ok], d_time[ok]
    nd = len(d_person)
    team_repos = [np.flatnonzero(org.repo_team == t) for t in range(len(org.team_ids))]
    d_repo = np.array([team_repos[org.team[p]][-1] for p in d_person], dtype=np.int64)

    c_person = np.concatenate([person[pr], d_person])
    c_repo = np.concatenate([prs["repo"][pr], d_repo])
    c_authored = np.concatenate([authored, d_time])
    c_committed = np.concatenate([committed, d_time])
    c_adds = np.concatenate([adds, rng.integers(1, 40, nd)])
    c_dels = np.concatenate([dels, rng.integers(0, 20, nd)])
    c_pr = np.concatenate([prs["number"][pr], np.full(nd, -1)])
    c_bot = np.concatenate([prs["bot_kind"][pr], np.full(nd, -1)])
    c_proto = np.concatenate([prs["prototype_all"][pr], np.zeros(nd, bool)])
    c_mig = np.concatenate([prs["migration_all"][pr], np.zeros(nd, bool)])
    n = len(c_person)

    p0 = np.maximum(c_person, 0)
    week = np.clip(cal.week_of(c_authored), 0, cal.weeks - 1)
    adopted = (week >= org.adoption_week[p0]) & (c_person >= 0)
    rate = np.where(c_proto, 0.9, org.trailer_rate[p0])
    ai = adopted & (rng.random(n) < rate)
    signed = np.isin(org.team_area[org.team[p0]], [AREA_KEYS.index("scada"), AREA_KEYS.index("security")])
    shas = hex_list(
        [mix(np.arange(n), salt + 41), mix(np.arange(n), salt + 42), mix(np.arange(n), salt + 43)], 40
    )
    verbs = rng.integers(0, len(_VERBS), n)
    objs = rng.integers(0, 1000, n)
    messages, emails, logins = [], [], []
    for x in range(n):
        if c_bot[x] >= 0:
            b = int(c_bot[x])
            messages.append(f"Bump dependency group {objs[x] % 17}\n\nSigned-off-by: {BOTS[b][0]}")
            emails.append(BOTS[b][1])
            logins.append(BOTS[b][0])
            continue
        p = int(c_person[x])
        a = AREA_KEYS[int(org.team_area[org.team[p]])]
        obj = _OBJECTS[a][objs[x] % len(_OBJECTS[a])].lower()
        subject = (
            f"wip: prototype {obj}"
            if c_proto[x]
            else f"migrate {obj} (batch {objs[x] % 40 + 1})"
            if c_mig[x]
            else f"{_VERBS[verbs[x]].lower()} {obj}"
            if c_pr[x] >= 0
            else f"config: tune {obj} thresholds"
        )
        trailers = []
        if ai[x]:
            trailers.append(_TRAILER[int(org.agent_tool[p])])
        if signed[x]:
            trailers.append(f"Signed-off-by: {org.full_name[p]} <{org.email[p]}>")
        body = "" if objs[x] % 3 else f"\n\nRefs GRID-{1000 + objs[x] * 7 % 9000}."
        messages.append(subject + body + ("\n\n" + "\n".join(trailers) if trailers else ""))
        emails.append(org.email[p])
        logins.append(org.login[p])
    keep = c_authored < cal.t1
    sel = np.flatnonzero(keep)
    out.commits = {
        "repo": [org.repos[c_repo[x]] for x in sel],
        "sha": [shas[x] for x in sel],
        "author_email": [emails[x] for x in sel],
        "author_login": [logins[x] for x in sel],
        "authored_at": c_authored[sel],
        "committed_at": c_committed[sel],
        "message": [messages[x] for x in sel],
        "additions": c_adds[sel],
        "deletions": c_dels[sel],
        "pr_number": c_pr[sel],
    }
    del plan


def _next_slot(cal: Calendar, t: np.ndarray, office: np.ndarray, cadence: np.ndarray) -> np.ndarray:
    """The deployment slot after `t`: continuous (within the hour), daily at 16:00 local on working days,
    or the change window at 21:00 local on Tuesdays and Thursdays."""
    cont = (t // HOUR + 1) * HOUR + 20 * 60
    col = np.clip((t - cal.t0) // DAY + 1, 0, cal.days + 1)
    best = np.full(len(t), np.iinfo(np.int64).max)
    for step in range(0, 9):
        c = np.clip(col + step, 0, cal.days + 1)
        wd = cal.weekday[c]
        hour = np.where(cadence == 2, 21.0, 16.0)
        slot = cal.utc(office, c, hour)
        okday = np.where(cadence == 2, (wd == 1) | (wd == 3), cal.workday[office, c])
        good = okday & (slot > t + 1800) & (best == np.iinfo(np.int64).max)
        best = np.where(good, slot, best)
    best = np.where(best == np.iinfo(np.int64).max, t + 7 * DAY, best)
    return np.where(cadence == 0, cont, best)


def _deployments(
    cal: Calendar, org: Org, prs: dict[str, np.ndarray], rng: np.random.Generator, out: Delivery
) -> dict[str, np.ndarray]:
    merged = prs["merged"]
    idx = np.flatnonzero(merged > 0)
    repo = prs["repo"][idx]
    office = org.team_office[org.repo_team[repo]]
    slot = _next_slot(cal, merged[idx], office, org.repo_cadence[repo])
    order = np.lexsort((merged[idx], slot, repo))
    repo, slot, which = repo[order], slot[order], idx[order]
    last = np.ones(len(repo), bool)
    last[:-1] = (repo[1:] != repo[:-1]) | (slot[1:] != slot[:-1])
    d_repo, d_slot, d_pr = repo[last], slot[last], which[last]
    nd = len(d_repo)
    u = rng.random(nd)
    status = np.where(u < 0.045, "failure", np.where(u < 0.06, "error", "success"))
    rows_repo, rows_env, rows_status, rows_start, rows_sha = [], [], [], [], []
    staging = d_slot - rng.integers(20 * 60, 90 * 60, nd)
    retry = d_slot + rng.integers(40 * 60, 120 * 60, nd)
    sha = prs["merge_sha"][d_pr]
    for arr, env, st in ((staging, "staging", np.full(nd, "success")), (d_slot, "production", status)):
        rows_repo.append(d_repo)
        rows_env.append(np.full(nd, env))
        rows_status.append(st)
        rows_start.append(arr)
        rows_sha.append(sha)
    failed = status != "success"
    rows_repo.append(d_repo[failed])
    rows_env.append(np.full(int(failed.sum()), "production"))
    rows_status.append(np.full(int(failed.sum()), "success"))
    rows_start.append(retry[failed])
    rows_sha.append(sha[failed])
    r = np.concatenate(rows_repo)
    env = np.concatenate(rows_env)
    st = np.concatenate(rows_status)
    start = np.concatenate(rows_start)
    sh = np.concatenate(rows_sha)
    keep = start < cal.t1
    r, env, st, start, sh = r[keep], env[keep], st[keep], start[keep], sh[keep]
    order = np.lexsort((env, start))
    r, env, st, start, sh = r[order], env[order], st[order], start[order], sh[order]
    dep_id = 900_000_000 + np.arange(len(r)) * 7 + rng.integers(0, 7, len(r))
    finished = start + rng.integers(120, 25 * 60, len(r))
    out.deployments = {
        "repo": [org.repos[x] for x in r],
        "deployment_id": [str(x) for x in dep_id],
        "sha": sh.tolist(),
        "environment": env.tolist(),
        "status": st.tolist(),
        "started_at": start,
        "finished_at": finished,
    }
    return {"repo": r, "env": env, "status": st, "start": start, "id": dep_id}


def _incidents(
    cal: Calendar,
    org: Org,
    crunch: list[Crunch],
    weather: list[Weather],
    deploys: dict[str, np.ndarray],
    rng: np.random.Generator,
    out: Delivery,
) -> None:
    S = len(org.services)
    D = cal.days
    svc_area = org.team_area[org.service_team]
    ops = np.isin(svc_area, [AREA_KEYS.index(a) for a in ONCALL_AREAS])
    base = np.where(ops, rng.uniform(0.05, 0.16, S), rng.uniform(0.01, 0.05, S))
    rate = np.repeat(base[:, None], D, axis=1)
    storm = np.zeros((S, D), dtype=np.int64) - 1
    for e, ev in enumerate(weather):
        days = slice(ev.first_day, min(D, ev.first_day + ev.days))
        hit = np.array([r == ev.region for r in org.service_region])
        rate[hit, days] *= ev.surge
        rate[hit & ~ops, days] *= 1.0
        storm[hit, days] = e
        generic = ops & np.array([r is None for r in org.service_region])
        rate[generic, days] *= 1.4
    for c in crunch:
        a = AREA_KEYS.index(c.area)
        days = slice(7 * c.first_week, 7 * (c.first_week + c.weeks) + 7)
        rate[svc_area == a, days] *= 1.3
    counts = rng.poisson(rate)
    svc, day = np.nonzero(counts)
    reps = counts[svc, day]
    svc, day = np.repeat(svc, reps), np.repeat(day, reps)
    m = len(svc)
    ev_idx = storm[svc, day]
    in_storm = ev_idx >= 0
    office = org.team_office[org.service_team[svc]]
    business = rng.random(m) < 0.5
    local_h = np.where(business & ~in_storm, rng.uniform(8.0, 18.0, m), rng.uniform(0.0, 24.0, m))
    created = cal.utc(office, day + 1, local_h)
    created = np.clip(created, cal.t0, cal.t1 - 60)
    p = np.where(in_storm[:, None], _SEV_STORM[None, :], _SEV_NORMAL[None, :])
    sev = (np.cumsum(p, axis=1) > rng.random(m)[:, None]).argmax(axis=1)
    ack = created + _lognormal(rng, 6 * 60, 0.8, m).astype(np.int64) + 30
    resolved = ack + _lognormal(rng, _RESOLVE_MEDIAN_H[sev] * HOUR, 0.9, m).astype(np.int64)
    resolved = np.where(resolved >= cal.t1, -1, resolved)
    order = np.argsort(created, kind="stable")
    svc, created, ack, resolved, sev, ev_idx, office = (
        svc[order],
        created[order],
        ack[order],
        resolved[order],
        sev[order],
        ev_idx[order],
        office[order],
    )

    # Who picks it up: the team's weekly rotation, the area's on-call specialists, storm analysts.
    engineers = ~org.is_manager
    members = [np.flatnonzero(engineers & (org.team == t)) for t in range(len(org.team_ids))]
    for t in range(len(members)):
        members[t] = members[t][rng.permutation(len(members[t]))]
    oncall_by_area = {
        a: np.flatnonzero(engineers & (org.persona == P["oncall_responder"]) & (org.team_area[org.team] == a))
        for a in range(len(AREA_KEYS))
    }
    storm_by_region = {
        region: np.flatnonzero(
            engineers
            & (org.persona == P["storm_response_analyst"])
            & np.array([OFFICES[int(o)].region == region for o in org.office])
        )
        for region in {o.region for o in OFFICES if o.region}
    }
    responder = np.full(m, -1, dtype=np.int64)
    u = rng.random(m)
    pick = rng.integers(0, 10**6, m)
    for x in range(m):
        t_ = org.service_team[svc[x]]
        at = resolved[x] if resolved[x] > 0 else ack[x]
        col = int((at - cal.t0) // DAY) + 1
        cands: list[int] = []
        if ev_idx[x] >= 0 and u[x] < 0.35:
            cands += list(storm_by_region.get(weather[ev_idx[x]].region, []))
        a = int(svc_area[svc[x]])
        if not cands and u[x] < 0.6 and len(oncall_by_area[a]):
            cands += list(oncall_by_area[a])
        team_m = members[t_]
        w = int((created[x] - cal.t0) // (7 * DAY))
        rota = [int(team_m[(w + j) % len(team_m)]) for j in range(min(4, len(team_m)))] if len(team_m) else []
        cands = [cands[(pick[x] + j) % len(cands)] for j in range(len(cands))] + rota
        for c in cands:
            if org.employed_local[c, min(col, D + 1)] and not org.on_leave[c, min(col, D + 1)]:
                responder[x] = c
                break
    # Resolved by automation or by someone outside the roster: no responder recorded; open: nobody yet.
    responder[(rng.random(m) < 0.03) | (resolved < 0)] = -1

    # Some incidents follow a production change of the owning team.
    prod = deploys["env"] == "production"
    d_team = org.repo_team[deploys["repo"][prod]]
    d_start = deploys["start"][prod]
    d_id = deploys["id"][prod]
    d_repo = deploys["repo"][prod]
    d_failed = deploys["status"][prod] != "success"
    cause = np.full(m, -1, dtype=np.int64)
    cause_repo = np.full(m, -1, dtype=np.int64)
    by_team = {t: np.flatnonzero(d_team == t) for t in np.unique(d_team)}
    for x in range(m):
        rows = by_team.get(int(org.service_team[svc[x]]))
        if rows is None or ev_idx[x] >= 0:
            continue
        pos = np.searchsorted(d_start[rows], created[x]) - 1
        if pos < 0:
            continue
        r = rows[pos]
        recent = created[x] - d_start[r] < 48 * HOUR
        if recent and rng.random() < (0.6 if d_failed[r] else 0.12):
            cause[x], cause_repo[x] = d_id[r], d_repo[r]

    symptoms = [
        "elevated error rate",
        "latency above SLO",
        "queue backlog",
        "stale telemetry",
        "failed scheduled job",
        "pods crash-looping",
        "certificate expiry warning",
        "data feed gap",
    ]
    titles = []
    sym = rng.integers(0, len(symptoms), m)
    for x in range(m):
        name = org.services[svc[x]]
        if ev_idx[x] >= 0:
            titles.append(f"{name}: surge during {weather[ev_idx[x]].name}")
        else:
            titles.append(f"{name}: {symptoms[sym[x]]}")
    out.incidents = {
        "incident_id": [f"Q{0x1A2B3C + x * 13:07X}" for x in range(m)],
        "service": [org.services[s] for s in svc],
        "title": titles,
        "severity": [f"sev{s + 1}" for s in sev],
        "created_at": created,
        "acknowledged_at": ack,
        "resolved_at": resolved,
        "responder_email": [org.email[r] if r >= 0 else None for r in responder],
        "caused_by_deployment_id": [str(c) if c >= 0 else None for c in cause],
        "repo": [org.repos[r] if r >= 0 else None for r in cause_repo],
        "responder": responder,
    }
