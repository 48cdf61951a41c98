"""Delivery history: pull requests, their commits and reviews, deployments and incidents.

Each engineer starts pull requests at the week's planned rate (persona and true AI effect
applied). A pull request's life runs on the author's work clock: first commit, more commits,
opened (sometimes as a draft), picked up by a teammate after a delay, maybe changes requested
and fixed, approved, squash-merged; durations scale with the true cycle-time effect. Merges go to
staging and, batched, to production; some production deployments fail and some cause incidents.
Everything after the export time (the end of the period) is cut as an export would cut it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.generator.calendar import (
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    US_PER_SECOND,
    US_PER_WEEK,
    WORK_WEEK_MINUTES,
)
from orchestration.generator.ids import SALT_SHA, hex_list
from orchestration.generator.org import CLAUDE_CODE, COPILOT, CURSOR, NO_OUTCOME, TRAILERS, Org
from orchestration.generator.plan import Plan, expand

NULL = np.iinfo(np.int64).min

REVIEW_STATES = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED")
APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED = range(4)
DEPLOY_STATUSES = ("success", "failure", "error")

BOTS = ("dependabot[bot]", "renovate[bot]", "github-actions[bot]")
BOT_EMAILS = (
    "49699333+dependabot[bot]@users.noreply.github.com",
    "29139614+renovate[bot]@users.noreply.github.com",
    "41898282+github-actions[bot]@users.noreply.github.com",
)

_TYPES = ("feat", "fix", "refactor", "chore", "test", "perf", "docs")
_VERBS = ("add", "fix", "handle", "remove", "speed up", "simplify", "validate", "log", "retry", "cache")
_OBJECTS = (
    "pagination in list endpoint",
    "null currency codes",
    "stale cache entries",
    "timeout on upstream calls",
    "duplicate webhook deliveries",
    "feature flag for new flow",
    "metrics for queue depth",
    "input validation on signup",
    "race in session refresh",
    "retry budget for payments",
    "batch size of nightly job",
    "error messages for invalid tokens",
    "migration for order status",
    "flaky integration test",
    "rate limiting per tenant",
)
_BODIES = (
    "The previous behaviour dropped rows when the page ended on a boundary.",
    "Keeps the old path behind the flag until the rollout finishes.",
    "Measured locally: p95 drops from 340ms to 120ms.",
    "Follow-up to the incident review.",
)
_LABELS = ("bug", "feature", "chore", "refactor", "infra", "needs-review", "performance")
_PACKAGES = (
    "lodash",
    "requests",
    "urllib3",
    "eslint",
    "pydantic",
    "jackson-databind",
    "golang.org/x/net",
    "axios",
)
_SYMPTOMS = (
    "elevated 5xx rate",
    "p99 latency above SLO",
    "queue backlog growing",
    "error budget burn",
    "failed health checks",
    "database connection exhaustion",
    "stale reads after failover",
)
SEVERITIES = ("sev1", "sev2", "sev3", "sev4", "high", "low")
_SEVERITY_SHARES = (0.03, 0.12, 0.45, 0.30, 0.06, 0.04)


@dataclass
class Git:
    """Columns of each delivery table; timestamps are UTC microseconds, `NULL` where empty."""

    prs: dict[str, np.ndarray]
    commits: dict[str, np.ndarray]
    reviews: dict[str, np.ndarray]
    deployments: dict[str, np.ndarray]
    incidents: dict[str, np.ndarray]


def _take(columns: dict[str, np.ndarray], index: np.ndarray) -> dict[str, np.ndarray]:
    return {name: values[index] for name, values in columns.items()}


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _seconds(t_us: np.ndarray) -> np.ndarray:
    t_us = np.asarray(t_us, dtype=np.int64)
    return np.where(t_us == NULL, NULL, t_us // US_PER_SECOND * US_PER_SECOND)


def _trailer_tool(rng: np.random.Generator, org: Org) -> np.ndarray:
    """The one AI tool whose co-author trailer each engineer's assisted commits carry, or -1."""
    n = org.n_engineers
    choice = np.full(n, -1, dtype=np.int64)
    for person in range(n):
        capable = [tool for tool in (CLAUDE_CODE, CURSOR, COPILOT) if org.tools[person, tool]]
        if org.primary_tool[person] in capable:
            choice[person] = org.primary_tool[person]
        elif capable:
            choice[person] = capable[int(rng.integers(len(capable)))]
    return choice


def _team_members(org: Org) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """People who review each team's pull requests: its engineers and its manager."""
    people = np.concatenate([np.arange(org.n_engineers), org.team_manager])
    teams = np.concatenate([org.team[: org.n_engineers], np.arange(org.n_teams)])
    order = np.lexsort((people, teams))
    counts = np.bincount(teams, minlength=org.n_teams)
    return people[order], np.concatenate([[0], np.cumsum(counts)[:-1]]), counts


def _employed_at(org: Org, person: np.ndarray, t_us: np.ndarray) -> np.ndarray:
    day = org.period.day_of(t_us)
    return (org.hired_day[person] <= day) & (org.left_day[person] >= day)


def _pick_reviewers(
    rng: np.random.Generator, org: Org, author: np.ndarray, team: np.ndarray, at_us: np.ndarray
) -> np.ndarray:
    members, offset, counts = _team_members(org)
    pick = offset[team] + rng.integers(0, counts[team])
    reviewer = members[pick]
    same = reviewer == author
    reviewer[same] = members[offset[team[same]] + (pick[same] - offset[team[same]] + 1) % counts[team[same]]]
    absent = ~_employed_at(org, reviewer, at_us) | (reviewer == author)
    reviewer[absent] = org.team_manager[team[absent]]
    return reviewer


def build_git(rng: np.random.Generator, org: Org, plan: Plan) -> Git:
    period = org.period
    now = period.end_us
    author, week = expand(rng.poisson(plan.pr_rate))
    n_prs = len(author)
    cycle = plan.cycle_factor[author, week]

    # The pull request's life on the author's work clock (minutes of working time).
    # Tokyo's first working hour on the first Monday is still Sunday in UTC: start after it.
    start = np.maximum(week * WORK_WEEK_MINUTES + rng.uniform(0, WORK_WEEK_MINUTES, n_prs), 60)
    created = start + np.minimum(rng.lognormal(np.log(240 * cycle), 0.8), 2 * WORK_WEEK_MINUTES)
    draft = rng.random(n_prs) < 0.15
    ready = created + rng.lognormal(np.log(90), 0.8, n_prs)
    review_from = np.where(draft, ready, created)
    first_review = review_from + rng.lognormal(np.log(150 * cycle), 0.9, n_prs)
    roll = rng.random(n_prs)
    first_state = np.select(
        [roll < 0.22, roll < 0.34, roll < 0.35], [CHANGES_REQUESTED, COMMENTED, DISMISSED], APPROVED
    )
    second_round = first_state != APPROVED
    second_review = first_review + rng.lognormal(np.log(120 * cycle), 0.8, n_prs)
    approved = np.where(second_round, second_review, first_review)
    merged = approved + rng.lognormal(np.log(20), 0.8, n_prs)
    abandoned = rng.random(n_prs) < 0.06
    closed = review_from + rng.lognormal(np.log(600), 0.8, n_prs)
    end = np.where(abandoned, closed, merged)

    # Commits: the first at `start`, the rest before the PR opens, fixes after changes requested.
    n_commits = 1 + rng.binomial(7, 0.3, n_prs)
    n_fix = np.where(
        (first_state == CHANGES_REQUESTED) & (n_commits >= 2), 1 + rng.binomial(1, 0.5, n_prs), 0
    )
    n_fix = np.minimum(n_fix, n_commits - 1)
    commit_pr = np.repeat(np.arange(n_prs), n_commits)
    first_of_pr = np.concatenate([[0], np.cumsum(n_commits)[:-1]])
    position = np.arange(len(commit_pr)) - first_of_pr[commit_pr]
    is_fix = position >= (n_commits - n_fix)[commit_pr]
    spread = rng.random(len(commit_pr))
    commit_minute = np.where(
        position == 0,
        start[commit_pr],
        np.where(
            is_fix,
            first_review[commit_pr] + spread * (second_review - first_review)[commit_pr],
            start[commit_pr] + spread * (created - start)[commit_pr],
        ),
    )

    def utc(minutes: np.ndarray, owner: np.ndarray) -> np.ndarray:
        return period.work_to_utc(org.tz[owner], minutes)

    created_at = utc(created, author)
    ready_at = np.where(draft, utc(ready, author), NULL)
    first_commit_at = utc(start, author)
    merged_at = np.where(abandoned, NULL, utc(merged, author))
    closed_at = np.where(abandoned, utc(closed, author), merged_at)
    end_at = utc(end, author)
    commit_at = utc(commit_minute, author[commit_pr])
    first_review_at = utc(first_review, author)
    second_review_at = np.where(second_round, utc(second_review, author), NULL)

    # Which pull requests survive: opened before the export, finished while the author was on the
    # roster, and clear of every week in which the author inflated without any outcome.
    left_end = period.start_us + (org.left_day[author] + 1) * US_PER_DAY
    keep = (created_at < now) & (np.minimum(end_at, now) < left_end)
    blocked = plan.planned_inflated & (org.style == NO_OUTCOME)[:, None]

    def in_blocked(owner: np.ndarray, t_us: np.ndarray) -> np.ndarray:
        w = period.week_of(t_us)
        inside = (w >= 0) & (w < period.weeks) & (t_us != NULL)
        return inside & blocked[owner, np.clip(w, 0, period.weeks - 1)]

    commit_blocked = in_blocked(author[commit_pr], np.where(commit_at < now, commit_at, NULL))
    keep &= np.bincount(commit_pr, weights=commit_blocked, minlength=n_prs) == 0
    keep &= ~in_blocked(author, created_at) & ~in_blocked(author, np.where(merged_at < now, merged_at, NULL))
    merged_at = np.where(merged_at >= now, NULL, merged_at)
    closed_at = np.where(closed_at >= now, NULL, closed_at)

    team = org.team[author]
    # Repositories are listed team by team, so a team's repositories are one contiguous run.
    repo_count = np.bincount(org.repo_team, minlength=org.n_teams)
    repo_offset = np.concatenate([[0], np.cumsum(repo_count)[:-1]])
    repo = np.where(
        rng.random(n_prs) < 0.9,
        repo_offset[team] + rng.integers(0, np.maximum(repo_count[team], 1)),
        rng.integers(0, len(org.repos), n_prs),
    )
    prs = {
        "repo": repo,
        "author": author,
        "bot": np.full(n_prs, -1),
        "created_at": created_at,
        "ready_for_review_at": ready_at,
        "first_commit_at": first_commit_at,
        "merged_at": merged_at,
        "closed_at": closed_at,
    }

    # Reviews: a teammate picks the PR up; some PRs get a second reviewer's comment or approval.
    first_reviewer = _pick_reviewers(rng, org, author, team, first_review_at)
    extra = rng.random(n_prs) < 0.35
    extra_at = utc(first_review + rng.lognormal(np.log(60), 0.8, n_prs), author)
    extra_reviewer = _pick_reviewers(rng, org, author, team, extra_at)
    extra_state = np.where(rng.random(n_prs) < 0.6, COMMENTED, APPROVED)
    review_parts = []
    finish = np.where(abandoned, closed_at, merged_at)
    finish = np.where(finish == NULL, now, finish)
    for mask, at, reviewer, state in (
        (np.ones(n_prs, dtype=bool), first_review_at, first_reviewer, first_state),
        (second_round & ~abandoned, second_review_at, first_reviewer, np.full(n_prs, APPROVED)),
        (extra & (extra_reviewer != first_reviewer), extra_at, extra_reviewer, extra_state),
    ):
        chosen = np.flatnonzero(mask & keep & (at != NULL) & (at < finish) & (at < now))
        review_parts.append(
            {"pr": chosen, "reviewer": reviewer[chosen], "state": state[chosen], "submitted_at": at[chosen]}
        )

    commit_keep = keep[commit_pr] & (commit_at < now)
    trailer_tool = _trailer_tool(rng, org)
    commit_author = author[commit_pr]
    commit_week = np.clip(period.week_of(commit_at), 0, period.weeks - 1)
    assisted = (rng.random(len(commit_pr)) < plan.ai_commit_share[commit_author, commit_week]) & (
        trailer_tool[commit_author] >= 0
    )
    commits = {
        "pr": commit_pr,
        "author": commit_author,
        "bot": np.full(len(commit_pr), -1),
        "authored_at": commit_at,
        "ai_tool": np.where(assisted, trailer_tool[commit_author], -1),
    }

    # Keep the survivors and renumber their references.
    kept_prs = np.flatnonzero(keep)
    new_index = np.full(n_prs, -1)
    new_index[kept_prs] = np.arange(len(kept_prs))
    prs = _take(prs, kept_prs)
    commits = _take(commits, np.flatnonzero(commit_keep))
    commits["pr"] = new_index[commits["pr"]]
    reviews = _concat(review_parts)
    reviews["pr"] = new_index[reviews["pr"]]

    bot_prs, bot_commits, bot_reviews = _bot_activity(rng, org, len(prs["repo"]))
    prs = _concat([prs, bot_prs])
    commits = _concat([commits, bot_commits])
    reviews = _concat([reviews, bot_reviews])
    _finish_commits(rng, org, prs, commits)
    _finish_prs(rng, org, prs, commits)
    deployments = _deployments(rng, org, prs)
    incidents = _incidents(rng, org, deployments)
    order = np.lexsort((reviews["pr"], reviews["submitted_at"]))
    reviews = _take(reviews, order)
    reviews["review_id"] = 2_000_000_001 + np.arange(len(order))
    reviews["submitted_at"] = _seconds(reviews["submitted_at"])
    return Git(prs=prs, commits=commits, reviews=reviews, deployments=deployments, incidents=incidents)


def _bot_activity(
    rng: np.random.Generator, org: Org, first_pr: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Dependency and release bots: pull requests with one commit each, merged or closed by people."""
    period = org.period
    now = period.end_us
    n_repos = len(org.repos)
    dependency = rng.poisson(0.5, (n_repos, period.weeks))
    release = rng.poisson(0.15, (n_repos, period.weeks))
    repo_ids, week_ids, bots = [], [], []
    dependency_code = np.array([BOTS.index(name) for name in org.repo_dependency_bot])
    for counts, code in ((dependency, None), (release, 2)):
        repo, week = expand(counts)
        repo_ids.append(repo)
        week_ids.append(week)
        bots.append(dependency_code[repo_ids[-1]] if code is None else np.full(len(repo_ids[-1]), code))
    repo = np.concatenate(repo_ids)
    week = np.concatenate(week_ids)
    bot = np.concatenate(bots)
    n = len(repo)
    created = _seconds(period.start_us + week * US_PER_WEEK + rng.integers(US_PER_HOUR, US_PER_WEEK, n))
    merged = rng.random(n) < 0.75
    merged_at = created + (rng.lognormal(np.log(5), 1.0, n) * US_PER_HOUR).astype(np.int64)
    closed_at = created + (rng.lognormal(np.log(72), 0.8, n) * US_PER_HOUR).astype(np.int64)
    merged_at = np.where(merged & (merged_at < now), merged_at, NULL)
    closed_at = np.where(merged, merged_at, np.where(closed_at < now, closed_at, NULL))
    prs = {
        "repo": repo,
        "author": np.full(n, -1),
        "bot": bot,
        "created_at": created,
        "ready_for_review_at": np.full(n, NULL),
        "first_commit_at": created - rng.integers(1, 10, n) * US_PER_MINUTE,
        "merged_at": merged_at,
        "closed_at": closed_at,
    }
    commits = {
        "pr": first_pr + np.arange(n),
        "author": np.full(n, -1),
        "bot": bot,
        "authored_at": prs["first_commit_at"],
        "ai_tool": np.full(n, -1),
    }
    reviewed = np.flatnonzero((merged_at != NULL) & (rng.random(n) < 0.5))
    team = org.repo_team[repo[reviewed]]
    at = created[reviewed] + (rng.random(len(reviewed)) * (merged_at[reviewed] - created[reviewed])).astype(
        np.int64
    )
    reviewer = _pick_reviewers(rng, org, np.full(len(reviewed), -1), team, at)
    reviews = {
        "pr": first_pr + reviewed,
        "reviewer": reviewer,
        "state": np.full(len(reviewed), APPROVED),
        "submitted_at": at,
    }
    return prs, commits, reviews


def _commit_message(rng: np.random.Generator, ai_tool: int, bot: int, package: str) -> str:
    if bot == 2:
        return f"chore(release): v{rng.integers(1, 5)}.{rng.integers(0, 30)}.{rng.integers(0, 10)}"
    if bot >= 0:
        verb = "build(deps): bump" if bot == 0 else "chore(deps): update dependency"
        return f"{verb} {package} to {rng.integers(1, 12)}.{rng.integers(0, 20)}.{rng.integers(0, 9)}"
    kind = _TYPES[rng.integers(len(_TYPES))]
    subject = f"{kind}: {_VERBS[rng.integers(len(_VERBS))]} {_OBJECTS[rng.integers(len(_OBJECTS))]}"
    parts = [subject]
    if rng.random() < 0.4:
        parts.append(_BODIES[rng.integers(len(_BODIES))])
    if ai_tool >= 0:
        trailer = TRAILERS[ai_tool]
        if ai_tool == CLAUDE_CODE and rng.random() < 0.5:
            trailer = "🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n" + trailer
        parts.append(trailer)
    return "\n\n".join(parts)


def _finish_commits(rng: np.random.Generator, org: Org, prs: dict, commits: dict) -> None:
    """Shas, emails, logins, messages and sizes of every commit, in time order."""
    order = np.lexsort((commits["pr"], commits["authored_at"]))
    for name in list(commits):
        commits[name] = commits[name][order]
    n = len(order)
    commits["authored_at"] = _seconds(commits["authored_at"])
    rebased = rng.random(n) < 0.3
    commits["committed_at"] = commits["authored_at"] + np.where(
        rebased, rng.integers(60, 3600, n) * US_PER_SECOND, 0
    )
    commits["repo"] = prs["repo"][commits["pr"]]
    commits["sha"] = np.array(hex_list(np.arange(n), SALT_SHA, 40), dtype=object)
    author, bot = commits["author"], commits["bot"]
    personal = np.zeros(n, dtype=bool)
    human = author >= 0
    personal[human] = org.uses_personal_email[author[human]] & (rng.random(human.sum()) < 0.7)
    capitalised = rng.random(n) < 0.03
    no_login = rng.random(n) < 0.03
    emails, logins, messages = [], [], []
    packages = rng.integers(len(_PACKAGES), size=n)
    for i in range(n):
        if bot[i] >= 0:
            emails.append(BOT_EMAILS[bot[i]])
            logins.append(BOTS[bot[i]])
        else:
            person = author[i]
            emails.append(
                org.personal_emails[person]
                if personal[i]
                else (org.roster_emails[person] if capitalised[i] else org.emails[person])
            )
            logins.append(None if no_login[i] else org.logins[person])
        messages.append(_commit_message(rng, int(commits["ai_tool"][i]), int(bot[i]), _PACKAGES[packages[i]]))
    commits["author_email"] = np.array(emails, dtype=object)
    commits["author_login"] = np.array(logins, dtype=object)
    commits["message"] = np.array(messages, dtype=object)
    boost = np.where(commits["ai_tool"] >= 0, 1.4, 1.0)
    commits["additions"] = np.round(rng.lognormal(np.log(35), 1.0, n) * boost).astype(np.int64)
    commits["deletions"] = np.round(rng.lognormal(np.log(10), 1.1, n)).astype(np.int64)
    commits["additions"][bot >= 0] = rng.integers(1, 40, (bot >= 0).sum())


def _finish_prs(rng: np.random.Generator, org: Org, prs: dict, commits: dict) -> None:
    """Numbers in creation order per repository, titles, sizes, labels and squash-merge shas."""
    n = len(prs["repo"])
    order = np.lexsort((prs["created_at"], prs["repo"]))
    rank = np.empty(n, dtype=np.int64)
    first_of_repo = np.searchsorted(prs["repo"][order], prs["repo"][order], side="left")
    rank[order] = np.arange(n) - first_of_repo
    repo_start = rng.integers(1, 1500, size=len(org.repos))
    prs["number"] = repo_start[prs["repo"]] + rank
    for name in ("created_at", "ready_for_review_at", "first_commit_at", "merged_at", "closed_at"):
        prs[name] = _seconds(prs[name])
    first_commit = np.full(n, -1)
    with_commits, first_index = np.unique(commits["pr"], return_index=True)
    first_commit[with_commits] = first_index
    titles = [commits["message"][i].split("\n")[0] if i >= 0 else "Untitled" for i in first_commit]
    prs["title"] = np.array(titles, dtype=object)
    prs["additions"] = np.bincount(commits["pr"], weights=commits["additions"], minlength=n).astype(np.int64)
    prs["deletions"] = np.bincount(commits["pr"], weights=commits["deletions"], minlength=n).astype(np.int64)
    prs["changed_files"] = np.minimum(60, 1 + rng.poisson(prs["additions"] / 80))
    labels = []
    for i in range(n):
        if prs["bot"][i] >= 0:
            labels.append("dependencies")
        elif rng.random() < 0.55:
            labels.append(None)
        else:
            chosen = rng.choice(len(_LABELS), size=int(rng.integers(1, 3)), replace=False)
            labels.append(",".join(_LABELS[j] for j in sorted(chosen)))
    prs["labels"] = np.array(labels, dtype=object)
    shas = hex_list(len(commits["pr"]) + np.arange(n), SALT_SHA, 40)
    prs["merge_commit_sha"] = np.array(
        [sha if merged != NULL else None for sha, merged in zip(shas, prs["merged_at"], strict=True)],
        dtype=object,
    )


def _deployments(rng: np.random.Generator, org: Org, prs: dict) -> dict[str, np.ndarray]:
    """Staging after every merge; production for about half the merges (the rest ride along)."""
    now = org.period.end_us
    merged = np.flatnonzero(prs["merged_at"] != NULL)
    n = len(merged)
    repo = prs["repo"][merged]
    at = prs["merged_at"][merged]
    staging_start = at + rng.integers(3 * 60, 25 * 60, n) * US_PER_SECOND
    staging_status = np.where(rng.random(n) < 0.96, 0, 1)
    prod = rng.random(n) < 0.55
    prod_start = at + (rng.lognormal(np.log(90), 0.7, n) * US_PER_MINUTE).astype(np.int64)
    roll = rng.random(n)
    prod_status = np.select([roll < 0.07, roll < 0.10], [1, 2], 0)
    retry = prod & (prod_status > 0)
    retry_start = prod_start + rng.integers(20 * 60, 90 * 60, n) * US_PER_SECOND
    parts = []
    for mask, start, status, production in (
        (np.ones(n, dtype=bool), staging_start, staging_status, False),
        (prod, prod_start, prod_status, True),
        (retry, retry_start, np.zeros(n, dtype=np.int64), True),
    ):
        chosen = np.flatnonzero(mask)
        parts.append(
            {
                "repo": repo[chosen],
                "pr": merged[chosen],
                "started_at": _seconds(start[chosen]),
                "status": status[chosen],
                "production": np.full(len(chosen), production),
            }
        )
    deployments = _concat(parts)
    deployments = _take(deployments, np.flatnonzero(deployments["started_at"] < now))
    order = np.lexsort((deployments["repo"], deployments["started_at"]))
    deployments = _take(deployments, order)
    count = len(order)
    finished = deployments["started_at"] + rng.integers(2 * 60, 15 * 60, count) * US_PER_SECOND
    deployments["finished_at"] = np.where(rng.random(count) < 0.03, NULL, finished)
    deployments["deployment_id"] = 10_000_001 + np.arange(count)
    deployments["sha"] = prs["merge_commit_sha"][deployments["pr"]]
    prod_names = np.array(org.repo_prod_env, dtype=object)
    staging_names = np.array(org.repo_staging_env, dtype=object)
    deployments["environment"] = np.where(
        deployments["production"], prod_names[deployments["repo"]], staging_names[deployments["repo"]]
    )
    return deployments


def _incidents(rng: np.random.Generator, org: Org, deployments: dict) -> dict[str, np.ndarray]:
    """Incidents on services; some follow a production deployment of the owning team's repo."""
    period = org.period
    now = period.end_us
    service, week = expand(rng.poisson(0.25, (len(org.services), period.weeks)))
    n = len(service)
    created = period.start_us + week * US_PER_WEEK + rng.integers(0, US_PER_WEEK, n)
    caused = np.full(n, -1)
    production = np.flatnonzero(deployments["production"])
    prod_team = org.repo_team[deployments["repo"][production]]
    prod_start = deployments["started_at"][production]
    for i in np.flatnonzero(rng.random(n) < 0.4):
        team = org.service_team[service[i]]
        candidates = production[
            (prod_team == team) & (prod_start < created[i]) & (prod_start >= created[i] - 3 * US_PER_DAY)
        ]
        if len(candidates):
            caused[i] = candidates[-1]
            created[i] = deployments["started_at"][caused[i]] + int(
                rng.lognormal(np.log(45), 0.8) * US_PER_MINUTE
            )
    keep = created < now
    service, created, caused = service[keep], _seconds(created[keep]), caused[keep]
    n = len(service)
    order = np.argsort(created, kind="stable")
    service, created, caused = service[order], created[order], caused[order]
    acknowledged = created + (rng.lognormal(np.log(8), 0.8, n) * US_PER_MINUTE).astype(np.int64)
    resolved = created + (rng.lognormal(np.log(150), 1.1, n) * US_PER_MINUTE).astype(np.int64)
    # A few recent incidents are still open at export time, the latest one always.
    late_open = (created >= now - 14 * US_PER_DAY) & (rng.random(n) < 0.2)
    late_open[-1:] = True
    resolved = np.where((resolved >= now) | late_open, NULL, _seconds(resolved))
    acknowledged = np.where(acknowledged >= now, NULL, _seconds(acknowledged))
    responder = np.full(n, -1)
    for i in np.flatnonzero(resolved != NULL):
        team = org.service_team[service[i]]
        pool = org.sre if rng.random() < 0.5 else np.flatnonzero(org.team[: org.n_engineers] == team)
        pool = pool[_employed_at(org, pool, np.full(len(pool), resolved[i]))]
        if not len(pool):
            pool = org.sre
        responder[i] = pool[rng.integers(len(pool))]
    return {
        "incident_id": np.array([f"INC-{10001 + i}" for i in range(n)], dtype=object),
        "service": service,
        "title": np.array(
            [f"{org.services[s]}: {_SYMPTOMS[rng.integers(len(_SYMPTOMS))]}" for s in service], dtype=object
        ),
        "severity": rng.choice(len(SEVERITIES), size=n, p=_SEVERITY_SHARES),
        "created_at": created,
        "acknowledged_at": acknowledged,
        "resolved_at": resolved,
        "responder": responder,
        "caused_by": caused,
    }
