"""What Meridian ships and runs: pull requests with their commits and reviews, deployments, and the
incidents the on-call people resolve."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.meridian import catalog as cat
from orchestration.meridian.clock import US_PER_DAY, US_PER_S, US_PER_WEEK, Clock
from orchestration.meridian.encode import mix64, salt, shas
from orchestration.meridian.org import MANAGER, STAFF, Org
from orchestration.meridian.plan import Plan
from orchestration.meridian.rhythm import into_hours, work_instants

US_PER_H = 3600 * US_PER_S
US_PER_MIN = 60 * US_PER_S
NORMAL, ABANDONED, PROTOTYPE, MIGRATED, BOT = range(5)
NONE = -1


@dataclass
class Delivery:
    prs: dict[str, np.ndarray]
    pr_title: list[str]
    pr_labels: list[str]
    pr_branch: list[str]
    merge_sha: list[str | None]
    commits: dict[str, np.ndarray]
    commit_message: list[str]
    commit_sha: list[str]
    commit_email: list[str]
    commit_login: list[str | None]
    reviews: dict[str, np.ndarray]
    deployments: dict[str, np.ndarray]
    deploy_sha: list[str]
    incidents: dict[str, np.ndarray]


def _hours(rng: np.random.Generator, median_h: float, sigma: float, size: int) -> np.ndarray:
    return (rng.lognormal(np.log(median_h), sigma, size=size) * US_PER_H).astype(np.int64)


def build_delivery(rng: np.random.Generator, clock: Clock, org: Org, plan: Plan, seed: int) -> Delivery:
    prs, titles, labels, branches = _pull_requests(rng, clock, org, plan)
    reviews = _reviews(rng, clock, org, plan, prs)
    _close_after_reviews(rng, clock, prs, reviews)
    merged = prs["merged"] >= 0
    merge_sha: list[str | None] = [None] * len(merged)
    for index, sha in zip(
        np.flatnonzero(merged), shas(np.flatnonzero(merged), salt("merge", seed)), strict=True
    ):
        merge_sha[index] = sha
    commits, messages, commit_shas, emails, logins = _commits(rng, clock, org, plan, prs, titles, seed)
    deployments, deploy_sha = _deployments(rng, clock, org, prs, merge_sha, seed)
    incidents = _incidents(rng, clock, org, plan, deployments)
    return Delivery(
        prs=prs,
        pr_title=titles,
        pr_labels=labels,
        pr_branch=branches,
        merge_sha=merge_sha,
        commits=commits,
        commit_message=messages,
        commit_sha=commit_shas,
        commit_email=emails,
        commit_login=logins,
        reviews=reviews,
        deployments=deployments,
        deploy_sha=deploy_sha,
        incidents=incidents,
    )


def _pull_requests(
    rng: np.random.Generator, clock: Clock, org: Org, plan: Plan
) -> tuple[dict[str, np.ndarray], list[str], list[str], list[str]]:
    people, weeks = plan.pr_rate.shape
    merged_n = rng.poisson(plan.pr_rate)
    abandoned_n = rng.poisson(0.1 * plan.pr_rate)
    prototyping = plan.style == cat.PROTOTYPES
    proto_n = np.where(prototyping, 1 + rng.poisson(0.8 * plan.intensity), 0)
    counts = merged_n + abandoned_n + proto_n
    cell = np.repeat(np.arange(people * weeks), counts.ravel())
    person, week = cell // weeks, cell % weeks
    rank = np.arange(len(cell)) - np.repeat(np.cumsum(counts.ravel()) - counts.ravel(), counts.ravel())
    kind = np.select(
        [rank < merged_n.ravel()[cell], rank < (merged_n + abandoned_n).ravel()[cell]],
        [NORMAL, ABANDONED],
        PROTOTYPE,
    )
    kind = np.where(
        (kind == NORMAL) & plan.migration[person, week] & (rng.random(len(cell)) < 0.75), MIGRATED, kind
    )
    n = len(cell)
    crunching = plan.crunch[person, week] > 1.0
    _, created = work_instants(
        rng, clock, org, person, week, np.where(crunching, 0.15, 0.05), np.where(crunching, 0.08, 0.02)
    )

    # Repositories: the team's own (the first one most), or any of the department's for a migration.
    team = org.team[person]
    repo_first = np.searchsorted(org.repo_team, np.arange(len(org.team_id)))
    repo_count = np.bincount(org.repo_team, minlength=len(org.team_id))
    own = repo_first[team] + np.minimum(rng.geometric(0.6, size=n) - 1, repo_count[team] - 1)
    dept_repos = [np.flatnonzero(org.team_dept[org.repo_team] == d) for d in range(len(cat.DEPARTMENTS))]
    repo = own.copy()
    for d, pool in enumerate(dept_repos):
        moving = (kind == MIGRATED) & (org.dept[person] == d)
        if len(pool) and moving.any():
            repo[moving] = rng.choice(pool, size=int(moving.sum()))

    draft = rng.random(n) < np.where(kind == PROTOTYPE, 0.5, 0.2)
    ready = np.where(draft, created + _hours(rng, 3.0, 0.8, n), NONE)
    lead_in = np.where(kind == PROTOTYPE, _hours(rng, 20.0, 0.6, n), _hours(rng, 5.0, 1.0, n))
    first_commit = created - np.maximum(lead_in, 10 * US_PER_MIN)
    opened = np.where(draft, ready, created)
    cycle = np.where(kind == MIGRATED, _hours(rng, 8.0, 0.7, n), _hours(rng, 16.0, 0.9, n))
    cycle = (cycle * np.where(crunching, 0.8, 1.0)).astype(np.int64)
    merged = np.where(np.isin(kind, (NORMAL, MIGRATED)), opened + cycle, NONE)
    closed_after = np.where(
        kind == PROTOTYPE, (rng.uniform(1.0, 5.0, n) * US_PER_DAY).astype(np.int64), _hours(rng, 30.0, 0.9, n)
    )
    closed = np.where(merged >= 0, merged, created + closed_after)

    additions = np.select(
        [kind == MIGRATED, kind == PROTOTYPE],
        [rng.lognormal(np.log(250), 0.9, n), rng.lognormal(np.log(1200), 0.6, n)],
        rng.lognormal(np.log(80), 1.1, n),
    ).astype(np.int64)
    deletions = np.select(
        [kind == MIGRATED, kind == PROTOTYPE],
        [rng.lognormal(np.log(300), 0.9, n), rng.lognormal(np.log(15), 1.0, n)],
        rng.lognormal(np.log(30), 1.2, n),
    ).astype(np.int64)

    # Dependency bots open small pull requests in every repository.
    bot_counts = rng.poisson(0.35, size=(len(org.repos), weeks))
    bot_cell = np.repeat(np.arange(bot_counts.size), bot_counts.ravel())
    bot_repo, bot_week = bot_cell // weeks, bot_cell % weeks
    b = len(bot_cell)
    bot_created = (
        clock.start_us
        + bot_week * US_PER_WEEK
        + rng.integers(0, 5, size=b) * US_PER_DAY
        + (rng.uniform(2.0, 6.0, size=b) * US_PER_H).astype(np.int64)
    )
    bot_fate = rng.random(b)
    bot_merged = np.where(bot_fate < 0.7, bot_created + _hours(rng, 20.0, 1.0, b), NONE)
    bot_closed = np.where(
        bot_merged >= 0, bot_merged, np.where(bot_fate < 0.88, bot_created + _hours(rng, 60, 0.7, b), NONE)
    )

    prs = {
        "repo": np.concatenate([repo, bot_repo]),
        "author": np.concatenate([person, np.full(b, NONE)]),
        "bot": np.concatenate([np.full(n, NONE), rng.integers(0, len(cat.BOTS), size=b)]),
        "week": np.concatenate([week, bot_week]),
        "kind": np.concatenate([kind, np.full(b, BOT)]),
        "created": np.concatenate([created, bot_created]),
        "ready": np.concatenate([ready, np.full(b, NONE)]),
        "first_commit": np.concatenate([first_commit, bot_created - 2 * US_PER_MIN]),
        "merged": np.concatenate([merged, bot_merged]),
        "closed": np.concatenate([closed, bot_closed]),
        "additions": np.concatenate([additions, rng.integers(2, 40, size=b)]),
        "deletions": np.concatenate([deletions, rng.integers(2, 40, size=b)]),
    }
    total = n + b
    prs["changed_files"] = np.minimum(
        1 + (prs["additions"] + prs["deletions"]) // 60 + rng.poisson(1.0, size=total), 300
    )
    keep = (prs["created"] >= clock.start_us) & (prs["created"] < clock.end_us)
    prs = {key: value[keep] for key, value in prs.items()}
    order = np.lexsort((prs["created"], prs["repo"]))
    prs = {key: value[order] for key, value in prs.items()}
    total = len(order)
    first_of_repo = np.searchsorted(prs["repo"], prs["repo"], side="left")
    base_number = rng.integers(100, 6000, size=len(org.repos))
    prs["number"] = base_number[prs["repo"]] + (np.arange(total) - first_of_repo)

    titles, label_list, branches = [], [], []
    kinds, authors, repos_of = prs["kind"], prs["author"], prs["repo"]
    words = rng.integers(0, 1 << 30, size=(total, 5))
    for i in range(total):
        verb = cat.VERBS[words[i, 0] % len(cat.VERBS)]
        noun = cat.NOUNS[words[i, 1] % len(cat.NOUNS)]
        area = org.repos[repos_of[i]].split("/")[1].split("-")[0]
        k = kinds[i]
        if k == BOT:
            library = ("lodash", "requests", "grpc", "react", "jackson", "protobuf", "boto3")[words[i, 2] % 7]
            minor = words[i, 3] % 20
            titles.append(f"chore(deps): bump {library} from 2.{minor}.0 to 2.{minor}.1")
            label_list.append("dependencies")
            branches.append("main")
            continue
        if k == MIGRATED:
            titles.append(f"chore(migration): move {noun} to the v2 client")
            label_list.append("migration" if words[i, 2] % 3 else "migration,automated")
        elif k == PROTOTYPE:
            titles.append(
                (f"spike: {verb} {noun} prototype", f"wip: experimental {noun}", f"{area}: try {noun} v2")[
                    words[i, 2] % 3
                ]
            )
            label_list.append(("experiment", "prototype", "", "do-not-merge")[words[i, 3] % 4])
        else:
            prefix = cat.CONVENTIONAL[words[i, 2] % len(cat.CONVENTIONAL)]
            titles.append(f"{prefix}({area}): {verb} {noun}")
            label_list.append(("", "", "bug", "feature", "tech-debt", "needs-qa")[words[i, 3] % 6])
        branches.append("main" if words[i, 4] % 20 else "release/2026.2")
    prs["is_bot"] = (authors < 0).astype(np.int64)
    return prs, titles, label_list, branches


def _team_tables(org: Org) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Engineers grouped by team: (flat list, first index per team, count per team)."""
    engineers = np.flatnonzero(org.is_engineer)
    order = engineers[np.argsort(org.team[engineers], kind="stable")]
    first = np.searchsorted(org.team[order], np.arange(len(org.team_id)))
    count = np.bincount(org.team[order], minlength=len(org.team_id))
    return order, first, count


def _reviews(
    rng: np.random.Generator, clock: Clock, org: Org, plan: Plan, prs: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    kind = prs["kind"]
    total = len(kind)
    slots = np.select(
        [kind == PROTOTYPE, kind == ABANDONED, kind == BOT],
        [rng.binomial(1, 0.4, total), 1 + rng.binomial(1, 0.3, total), np.ones(total, dtype=np.int64)],
        1 + rng.binomial(2, 0.3, total),
    )
    pr = np.repeat(np.arange(total), slots)
    slot = np.arange(len(pr)) - np.repeat(np.cumsum(slots) - slots, slots)
    count = slots[pr]
    n = len(pr)
    team = org.repo_team[prs["repo"][pr]]
    author = prs["author"][pr]
    week = np.clip(prs["week"][pr], 0, plan.available.shape[1] - 1)

    flat, first, size = _team_tables(org)
    pick = first[team] + (rng.random(n) * np.maximum(size[team], 1)).astype(np.int64)
    reviewer = np.where(size[team] > 0, flat[np.minimum(pick, len(flat) - 1)], org.team_manager[team])
    again = (reviewer == author) & (size[team] > 1)
    shifted = first[team] + (pick - first[team] + 1) % np.maximum(size[team], 1)
    reviewer = np.where(again, flat[np.minimum(shifted, len(flat) - 1)], reviewer)

    dept = org.team_dept[team]
    staff = [np.flatnonzero((org.persona == STAFF) & (org.dept == d)) for d in range(len(cat.DEPARTMENTS))]
    draw = rng.random(n)
    for d, pool in enumerate(staff):
        chosen = (dept == d) & (draw < 0.13) & (len(pool) > 0)
        if chosen.any():
            reviewer[chosen] = rng.choice(pool, size=int(chosen.sum()))
    to_manager = (draw >= 0.13) & (draw < 0.16)
    reviewer = np.where(to_manager, org.team_manager[team], reviewer)
    away = ~plan.available[reviewer, week] | (reviewer == author)
    reviewer = np.where(away, org.team_manager[team], reviewer)

    begin = np.where(prs["ready"][pr] >= 0, prs["ready"][pr], prs["created"][pr]) + 10 * US_PER_MIN
    end = np.where(prs["closed"][pr] >= 0, prs["closed"][pr], begin + 3 * US_PER_DAY) - 5 * US_PER_MIN
    end = np.maximum(end, begin + 30 * US_PER_MIN)
    fraction = (slot + rng.uniform(0.2, 0.9, n)) / count
    submitted = begin + (fraction * (end - begin)).astype(np.int64)
    submitted = into_hours(rng, clock, org, reviewer, submitted)

    merged = prs["merged"][pr] >= 0
    last = slot == count - 1
    state = rng.choice(4, size=n, p=(0.45, 0.25, 0.29, 0.01))
    state = np.where(merged & last, 0, state)
    state = np.where(~merged & (state == 0) & (kind[pr] != BOT), 2, state)
    keep = submitted < clock.end_us
    return {
        "pr": pr[keep],
        "reviewer": reviewer[keep],
        "state": state[keep],
        "submitted": submitted[keep],
        "review_id": 1_400_000_000 + np.flatnonzero(keep) * 3 + 1,
    }


def _close_after_reviews(
    rng: np.random.Generator, clock: Clock, prs: dict[str, np.ndarray], reviews: dict[str, np.ndarray]
) -> None:
    """A pull request merges after its last review, and stays open if that is beyond the period."""
    last_review = np.full(len(prs["kind"]), NONE)
    np.maximum.at(last_review, reviews["pr"], reviews["submitted"])
    merged = prs["merged"] >= 0
    after = last_review + (rng.uniform(10, 90, size=len(last_review)) * US_PER_MIN).astype(np.int64)
    prs["merged"] = np.where(merged & (last_review >= 0), np.maximum(prs["merged"], after), prs["merged"])
    prs["closed"] = np.where(merged, prs["merged"], prs["closed"])
    for column in ("merged", "closed", "ready"):
        prs[column] = np.where(prs[column] >= clock.end_us, NONE, prs[column])


def _commits(
    rng: np.random.Generator,
    clock: Clock,
    org: Org,
    plan: Plan,
    prs: dict[str, np.ndarray],
    titles: list[str],
    seed: int,
) -> tuple[dict[str, np.ndarray], list[str], list[str], list[str], list[str | None]]:
    kind = prs["kind"]
    total = len(kind)
    per_pr = np.select(
        [kind == PROTOTYPE, kind == MIGRATED, kind == BOT],
        [3 + rng.poisson(3.0, total), 1 + rng.poisson(1.0, total), np.ones(total, dtype=np.int64)],
        1 + rng.poisson(1.6, total),
    )
    pr = np.repeat(np.arange(total), per_pr)
    index = np.arange(len(pr)) - np.repeat(np.cumsum(per_pr) - per_pr, per_pr)
    count = per_pr[pr]
    start = prs["first_commit"][pr]
    finish = (
        np.where(prs["closed"][pr] >= 0, prs["closed"][pr], prs["created"][pr] + US_PER_DAY) - 5 * US_PER_MIN
    )
    finish = np.maximum(finish, start + US_PER_MIN)
    fraction = np.where(index == 0, 0.0, (index + rng.uniform(0.0, 0.9, len(pr))) / count)
    authored = start + (fraction * (finish - start)).astype(np.int64)
    committed = authored + np.where(rng.random(len(pr)) < 0.2, _hours(rng, 0.5, 1.0, len(pr)), 0)
    weights = rng.gamma(1.0, 1.0, len(pr))
    share = weights / np.bincount(pr, weights, minlength=total)[pr]
    additions = np.round(prs["additions"][pr] * share).astype(np.int64)
    deletions = np.round(prs["deletions"][pr] * share).astype(np.int64)
    author = prs["author"][pr]

    # Commits straight to main, without a pull request.
    people, weeks = plan.pr_rate.shape
    direct = rng.poisson(
        0.12 * plan.available * org.is_engineer[:, None] * (org.behaviour != MANAGER)[:, None]
    )
    cell = np.repeat(np.arange(people * weeks), direct.ravel())
    d_person, d_week = cell // weeks, cell % weeks
    _, d_time = work_instants(rng, clock, org, d_person, d_week)
    repo_first = np.searchsorted(org.repo_team, np.arange(len(org.team_id)))
    d = len(cell)

    commits = {
        "repo": np.concatenate([prs["repo"][pr], repo_first[org.team[d_person]]]),
        "pr": np.concatenate([pr, np.full(d, NONE)]),
        "author": np.concatenate([author, d_person]),
        "authored": np.concatenate([authored, d_time]),
        "committed": np.concatenate([committed, d_time]),
        "additions": np.concatenate([additions, rng.integers(1, 30, size=d)]),
        "deletions": np.concatenate([deletions, rng.integers(0, 10, size=d)]),
    }
    n = len(commits["repo"])
    position = np.concatenate([index, np.zeros(d, dtype=np.int64)])
    week = np.clip((commits["authored"] - clock.start_us) // US_PER_WEEK, 0, weeks - 1)
    who = np.maximum(commits["author"], 0)
    kinds = np.concatenate([kind[pr], np.full(d, NORMAL)])
    trailer_p = np.where(kinds == PROTOTYPE, 0.8, plan.trailer_p[who, week])
    with_ai = (commits["author"] >= 0) & (rng.random(n) < trailer_p)
    trailer_tools = np.array([cat.CLAUDE_CODE, cat.CURSOR, cat.COPILOT])
    weight = org.tool_weight[who][:, trailer_tools]
    cumulative = np.cumsum(weight, axis=1) / np.maximum(weight.sum(axis=1, keepdims=True), 1e-9)
    tool = trailer_tools[np.minimum((rng.random(n)[:, None] > cumulative).sum(axis=1), 2)]
    pair = rng.random(n) < 0.03
    partner = rng.integers(0, org.engineers, size=n)
    noreply = mix64(np.arange(org.people)) % np.uint64(10) == 0

    messages, emails, logins = [], [], []
    words = rng.integers(0, 1 << 30, size=(n, 3))
    follow_ups = ("address review comments", "fix tests", "tidy up", "handle edge case", "update snapshot")
    for i in range(n):
        person = commits["author"][i]
        p = commits["pr"][i]
        if person < 0:
            bot = int(prs["bot"][p])
            messages.append(titles[p])
            emails.append(cat.BOT_EMAILS[bot])
            logins.append(cat.BOTS[bot])
            continue
        if p < 0:
            verb, noun = cat.VERBS[words[i, 0] % len(cat.VERBS)], cat.NOUNS[words[i, 1] % len(cat.NOUNS)]
            subject = f"docs: {verb} {noun} notes"
        elif position[i] == 0:
            subject = titles[p]
        else:
            subject = follow_ups[words[i, 0] % len(follow_ups)]
        lines = [subject]
        if words[i, 2] % 4 == 0:
            lines += [
                "",
                f"Keeps the {cat.NOUNS[words[i, 1] % len(cat.NOUNS)]} behaviour unchanged for old clients.",
            ]
        trailers = []
        if with_ai[i]:
            trailers.append(cat.TRAILERS[int(tool[i])])
        if pair[i] and partner[i] != person:
            trailers.append(f"Co-authored-by: {org.full_name[partner[i]]} <{org.email[partner[i]]}>")
        if trailers:
            lines += ["", *trailers]
        messages.append("\n".join(lines))
        if noreply[person]:
            emails.append(f"{1000000 + person * 37}+{org.login[person]}@users.noreply.github.com")
            logins.append(org.login[person])
        else:
            emails.append(org.email[person])
            logins.append(org.login[person] if words[i, 2] % 5 else None)
    sha = shas(np.arange(n), salt("commit", seed))
    return commits, messages, sha, emails, logins


def _deployments(
    rng: np.random.Generator,
    clock: Clock,
    org: Org,
    prs: dict[str, np.ndarray],
    merge_sha: list[str | None],
    seed: int,
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Each repository deploys to production on working days after merges (staging first), with the
    latest merged commit."""
    repos, days = len(org.repos), clock.days
    merged = np.flatnonzero(prs["merged"] >= 0)
    merge_day = (prs["merged"][merged] - clock.start_us) // US_PER_DAY
    merges = np.zeros((repos, days + 1), dtype=np.int64)
    np.add.at(merges, (prs["repo"][merged], np.clip(merge_day, 0, days)), 1)
    yesterday = np.concatenate([np.zeros((repos, 1), dtype=np.int64), merges[:, :days]], axis=1)[:, :days]
    weekday = (np.arange(days) % 7) < 5
    rate = np.where(weekday, 0.15 + 0.5 * yesterday, 0.03)
    count = np.minimum(rng.poisson(rate), 4)
    cell = np.repeat(np.arange(repos * days), count.ravel())
    repo, day = cell // days, cell % days
    zone = org.team_zone[org.repo_team[repo]]
    started = clock.to_utc(zone, day, rng.uniform(10.0, 17.0, size=len(cell)) * 3600.0)

    key = prs["repo"][merged].astype(np.int64) * (1 << 46) + (
        prs["merged"][merged] - clock.start_us + (1 << 44)
    )
    order = np.argsort(key)
    sorted_key, sorted_pr = key[order], merged[order]
    probe = repo.astype(np.int64) * (1 << 46) + (started - clock.start_us + (1 << 44))
    at = np.searchsorted(sorted_key, probe, side="right") - 1
    same_repo = (at >= 0) & ((sorted_key[np.maximum(at, 0)] >> 46) == repo)
    fallback = shas(np.arange(len(cell)), salt("config-deploy", seed))
    prod_sha = [
        merge_sha[sorted_pr[at[i]]] if same_repo[i] else fallback[i]  # type: ignore[misc]
        for i in range(len(cell))
    ]
    staging = started - (rng.uniform(20, 90, size=len(cell)) * US_PER_MIN).astype(np.int64)
    prod_status = rng.choice(3, size=len(cell), p=(0.93, 0.05, 0.02))
    staging_status = rng.choice(2, size=len(cell), p=(0.95, 0.05))
    env = np.array([1 if org.repo_prod_env[r] == "production" else 2 for r in repo], dtype=np.int64)
    n = len(cell)
    deployments = {
        "repo": np.concatenate([repo, repo]),
        "environment": np.concatenate([env, np.zeros(n, dtype=np.int64)]),
        "status": np.concatenate([prod_status, staging_status]),
        "started": np.concatenate([started, staging]),
    }
    duration = (rng.lognormal(np.log(8.0), 0.5, size=2 * n) * US_PER_MIN).astype(np.int64)
    finished = deployments["started"] + duration
    deployments["finished"] = np.where(
        (deployments["status"] == 2) & (rng.random(2 * n) < 0.5), NONE, finished
    )
    deployments["id"] = 410_000_000 + np.arange(2 * n) * 7
    keep = (deployments["started"] >= clock.start_us) & (deployments["started"] < clock.end_us)
    deployments["finished"] = np.where(deployments["finished"] >= clock.end_us, NONE, deployments["finished"])
    sha_all = prod_sha + prod_sha
    deployments = {key: value[keep] for key, value in deployments.items()}
    return deployments, [sha for sha, kept in zip(sha_all, keep, strict=True) if kept]


def _incidents(
    rng: np.random.Generator, clock: Clock, org: Org, plan: Plan, deployments: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    services, weeks = len(org.services), clock.weeks
    team = org.service_team
    rate = org.service_rate[:, None] * plan.crunch[org.team_manager[team]] ** 0.5
    count = rng.poisson(rate)
    cell = np.repeat(np.arange(services * weeks), count.ravel())
    service, week = cell // weeks, cell % weeks
    n = len(cell)
    owner = team[service]
    business = rng.random(n) < np.where(org.team_dept[owner] == cat.RELIABILITY, 0.45, 0.6)
    day = 7 * week + rng.integers(0, 5, size=n)
    office = clock.to_utc(org.team_zone[owner], day, rng.uniform(9.0, 18.0, size=n) * 3600.0)
    anytime = clock.start_us + week * US_PER_WEEK + (rng.random(n) * US_PER_WEEK).astype(np.int64)
    created = np.where(business, office, anytime)
    severity = rng.choice(4, size=n, p=(0.05, 0.17, 0.43, 0.35))
    acknowledged = created + (rng.lognormal(np.log(5.0), 0.6, size=n) * US_PER_MIN).astype(np.int64)
    factor = np.array([0.7, 0.9, 1.0, 1.3])[severity]
    resolved = acknowledged + (rng.lognormal(np.log(100.0), 0.9, size=n) * factor * US_PER_MIN).astype(
        np.int64
    )
    responder = plan.team_oncall[owner, week]
    responder = np.where(responder >= 0, responder, org.team_manager[owner])

    # About a quarter follow a production deployment of the owning team in the two days before.
    production = deployments["environment"] > 0
    d_team = org.repo_team[deployments["repo"][production]]
    d_time = deployments["started"][production]
    d_status = deployments["status"][production]
    d_id = deployments["id"][production]
    d_repo = deployments["repo"][production]
    key = d_team.astype(np.int64) * (1 << 46) + (d_time - clock.start_us + (1 << 44))
    order = np.argsort(key)
    probe = owner.astype(np.int64) * (1 << 46) + (created - clock.start_us + (1 << 44))
    at = np.searchsorted(key[order], probe, side="right") - 1
    hit = order[np.maximum(at, 0)]
    near = (at >= 0) & (d_team[hit] == owner) & (created - d_time[hit] < 2 * US_PER_DAY)
    link = near & (rng.random(n) < np.where(d_status[hit] > 0, 0.7, 0.2))
    keep = created < clock.end_us
    incidents = {
        "service": service,
        "week": week,
        "created": created,
        "acknowledged": acknowledged,
        "resolved": np.where(resolved < clock.end_us, resolved, NONE),
        "severity": severity,
        "responder": responder,
        "deployment": np.where(link, d_id[hit], NONE),
        "repo": np.where(link, d_repo[hit], NONE),
        "title": rng.integers(0, len(cat.INCIDENT_WORDS), size=n),
    }
    return {key: value[keep] for key, value in incidents.items()}
