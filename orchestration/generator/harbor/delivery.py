"""A week of delivery work: pull requests, their commits and reviews, deployments and incidents.

Delivery is simulated before AI usage because some usage follows from it: an on-call engineer's
requests sit inside the incidents they resolve, a staff engineer's review requests precede the
reviews they submit, and a throwaway prototype's agent sessions precede the pull request that is
later closed unmerged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from orchestration.generator.harbor.org import CLAUDE, COPILOT, CURSOR, Org, P

HOUR = 3600
DAY = 86400
BOT_LOGIN = "dependabot[bot]"
BOT_EMAIL = "49699333+dependabot[bot]@users.noreply.github.com"
TRAILERS = {
    CLAUDE: "Co-authored-by: Claude <noreply@anthropic.com>",
    CURSOR: "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
    COPILOT: "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
}
SUBJECTS = (
    "Fix flaky retry in {0}", "Add metrics to {0}", "Refactor {0} client", "Handle timeouts in {0}",
    "Bump schema version for {0}", "Remove dead flag from {0}", "Speed up {0} queries", "Document {0} limits",
)  # fmt: skip
NOUNS = ("billing", "exporter", "auth", "ledger", "search", "sync", "cache", "scheduler", "webhooks")


@dataclass
class Week:
    """What one week of delivery produced, as columns; times are UTC epoch seconds, -1 = none."""

    prs: dict[str, np.ndarray]
    commits: dict[str, np.ndarray]
    reviews: dict[str, np.ndarray]
    deployments: dict[str, np.ndarray]
    incidents: dict[str, np.ndarray]
    #: (person, start, end) windows of work that AI usage follows.
    night_incidents: tuple[np.ndarray, np.ndarray, np.ndarray]
    prototypes: tuple[np.ndarray, np.ndarray]
    staff_reviews: tuple[np.ndarray, np.ndarray]


@dataclass
class Counters:
    """Numbering that runs across weeks: PR numbers per repo, ids of reviews, deployments, incidents."""

    pr_number: np.ndarray
    review: int = 0
    deployment: int = 0
    incident: int = 0
    last_merge_sha: dict[int, str] = field(default_factory=dict)


def hexes(rng: np.random.Generator, n: int, width: int = 40) -> np.ndarray:
    """`n` random lower-case hex strings of `width` characters."""
    if n == 0:
        return np.array([], dtype=object)
    text = rng.bytes(n * width // 2).hex()
    return np.array([text[i * width : (i + 1) * width] for i in range(n)], dtype=object)


def utc(org: Org, t0: int, zone: np.ndarray, day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """UTC epoch seconds of a local wall-clock time on a day of the period (0 = its first Monday)."""
    return t0 + day * DAY + seconds.astype(np.int64) - org.offset(zone, day)


def pick_days(
    rng: np.random.Generator, employed: np.ndarray, who: np.ndarray, weekend: float = 0.04
) -> np.ndarray:
    """A day of the week (0 = Monday) per item among the person's employed days, weekdays favoured;
    -1 when the person works no day of the week."""
    weights = employed[who].astype(float)
    weights[:, 5:] *= weekend
    total = weights.sum(axis=1)
    cumulative = np.cumsum(weights, axis=1)
    draw = rng.random(len(who)) * total
    day = (cumulative <= draw[:, None]).sum(axis=1)
    return np.where(total > 0, np.minimum(day, 6), -1)


def work_seconds(rng: np.random.Generator, n: int, centre: float = 13.5, spread: float = 2.6) -> np.ndarray:
    return np.clip(rng.normal(centre, spread, n), 7.0, 21.5) * HOUR


def _lognormal_hours(rng: np.random.Generator, median: float, sigma: float, n: int, cap: float) -> np.ndarray:
    return (np.minimum(rng.lognormal(np.log(median), sigma, n), cap) * HOUR).astype(np.int64)


def ai_week_active(org: Org, week: int) -> np.ndarray:
    """Whether each person uses AI at all this week (late adopters only from their adoption on)."""
    active = org.requests_per_week > 0
    late = org.adoption_week >= 0
    return active & (~late | (week >= org.adoption_week))


def simulate_week(org: Org, week: int, rng: np.random.Generator, counters: Counters, t0: int) -> Week:
    end_of_period = t0 + org.weeks * 7 * DAY
    employed = org.employed_days(week)
    workdays = employed[:, :5].sum(axis=1)
    persona = org.persona
    ai_on = ai_week_active(org, week)

    # pull requests of people
    rate = org.pr_rate * workdays / 5.0
    rate = rate * np.where(ai_on & org.is_engineer, 1.12, 1.0)
    rate = rate * np.where(org.migration_weeks[:, week], 3.0, 1.0)
    weeks_in = week - np.floor_divide(org.hired_day, 7)
    ramp = np.interp(weeks_in, [0, 1, 2, 3, 4, 5], [0.0, 0.1, 0.25, 0.45, 0.7, 1.0])
    rate = rate * np.where(persona == P["new_hire"], ramp, 1.0)
    if org.crunch_weeks[week]:
        rate = rate * 1.5
    count = rng.poisson(rate)
    author = np.repeat(np.arange(org.people), count)
    kind = np.where(org.migration_weeks[author, week], 1, 0)
    protos = (persona == P["throwaway_prototypes"]) & org.inflating_weeks[:, week] & (workdays > 0)
    proto_author = np.repeat(np.flatnonzero(protos), rng.integers(1, 4, size=int(protos.sum())))
    author = np.concatenate([author, proto_author])
    kind = np.concatenate([kind, np.full(len(proto_author), 2)])
    day = pick_days(rng, employed, author)
    keep = day >= 0
    author, kind, day = author[keep], kind[keep], day[keep]
    # the data begins at the period's first UTC Monday, also for people ahead of UTC
    created = np.maximum(utc(org, t0, org.zone[author], week * 7 + day, work_seconds(rng, len(author))), t0)
    team_repos = [np.flatnonzero(org.repo_team == t) for t in range(len(org.team_ids))]
    repo = np.array([team_repos[org.team[a]][rng.integers(0, len(team_repos[org.team[a]]))] for a in author])
    repo = repo.astype(np.int64) if len(repo) else np.array([], dtype=np.int64)

    # dependabot's pull requests, a few per repository
    bot_count = rng.poisson(0.25, size=len(org.repos))
    bot_repo = np.repeat(np.arange(len(org.repos)), bot_count)
    bot_created = t0 + week * 7 * DAY + rng.integers(0, 5 * DAY, size=len(bot_repo))
    author = np.concatenate([author, np.full(len(bot_repo), -1)])
    kind = np.concatenate([kind, np.full(len(bot_repo), 3)])
    repo = np.concatenate([repo, bot_repo])
    created = np.concatenate([created, bot_created])
    n = len(author)

    outcome = rng.random(n)
    merged = created + _lognormal_hours(rng, 18.0, 0.9, n, 14 * 24)
    closed_unmerged = created + _lognormal_hours(rng, 30.0, 0.8, n, 14 * 24)
    is_proto = kind == 2
    is_merged = (~is_proto) & (outcome < np.where(kind == 3, 0.75, 0.88))
    is_closed = is_proto | ((~is_merged) & (outcome < 0.95))
    is_merged &= merged < end_of_period
    is_closed &= ~is_merged & (closed_unmerged < end_of_period)
    merged_at = np.where(is_merged, merged, -1)
    closed_at = np.where(is_merged, merged, np.where(is_closed, closed_unmerged, -1))
    first_commit = created - _lognormal_hours(rng, 8.0, 1.0, n, 10 * 24)
    first_commit = np.where(kind == 3, created, first_commit)
    finish = np.where(closed_at > 0, closed_at, created + DAY)
    draft = (rng.random(n) < 0.25) & (kind != 3)
    ready = np.where(draft, created + ((finish - created) * rng.uniform(0.1, 0.6, n)).astype(np.int64), -1)

    order = np.lexsort((created, repo))
    author, kind, repo, created = author[order], kind[order], repo[order], created[order]
    merged_at, closed_at, first_commit = merged_at[order], closed_at[order], first_commit[order]
    ready, finish = ready[order], finish[order]
    numbers = np.zeros(n, dtype=np.int64)
    for r in np.unique(repo):
        rows = np.flatnonzero(repo == r)
        numbers[rows] = counters.pr_number[r] + 1 + np.arange(len(rows))
        counters.pr_number[r] += len(rows)
    additions = np.round(rng.lognormal(np.log(110), 1.0, n)).astype(np.int64) + 1
    additions = np.where(kind == 1, additions * 3, additions)
    deletions = np.round(additions * rng.uniform(0.05, 0.8, n)).astype(np.int64)
    changed = np.maximum(1, np.round(np.sqrt(additions + deletions) / 2)).astype(np.int64)
    merge_sha = hexes(rng, n)
    merge_sha = np.where(merged_at > 0, merge_sha, None)
    noun = rng.integers(0, len(NOUNS), n)
    subject = rng.integers(0, len(SUBJECTS), n)
    titles = np.array(
        [
            "Bump dependencies"
            if kind[i] == 3
            else ("Migrate " if kind[i] == 1 else "Prototype " if kind[i] == 2 else "")
            + SUBJECTS[subject[i]].format(NOUNS[noun[i]])
            for i in range(n)
        ],
        dtype=object,
    )
    label_names = np.array(["", "migration", "prototype", "dependencies"], dtype=object)
    labels = label_names[kind]
    prs = {
        "repo": repo,
        "pr_number": numbers,
        "author": author,
        "kind": kind,
        "title": titles,
        "created_at": created,
        "ready_for_review_at": ready,
        "first_commit_at": first_commit,
        "merged_at": merged_at,
        "closed_at": closed_at,
        "additions": additions,
        "deletions": deletions,
        "changed_files": changed,
        "merge_commit_sha": merge_sha,
        "labels": labels,
    }
    for i in np.flatnonzero(merged_at > 0):
        counters.last_merge_sha[int(repo[i])] = merge_sha[i]

    # commits on each pull request's branch
    per_pr = 1 + rng.poisson(np.where(kind == 2, 2.0, np.where(kind == 3, 0.0, 1.6)))
    pr_of = np.repeat(np.arange(n), per_pr)
    first = np.r_[0, np.cumsum(per_pr)[:-1]]
    is_first = np.zeros(len(pr_of), dtype=bool)
    is_first[first] = True
    span = np.maximum(finish[pr_of] - first_commit[pr_of] - 600, 60)
    authored = np.where(
        is_first, first_commit[pr_of], first_commit[pr_of] + (span * rng.random(len(pr_of))).astype(np.int64)
    )
    keep = authored < end_of_period
    pr_of, authored = pr_of[keep], authored[keep]
    commit_author = author[pr_of]
    primary = np.argmax(org.tool_weight, axis=1)
    human = commit_author >= 0
    tool = np.where(human, primary[np.maximum(commit_author, 0)], -1)
    p_trailer = np.where(np.isin(tool, [CLAUDE, CURSOR]), 0.35, np.where(tool == COPILOT, 0.15, 0.0))
    p_trailer = np.where(kind[pr_of] == 2, 0.9, p_trailer)
    p_trailer = np.where(human & ai_on[np.maximum(commit_author, 0)], p_trailer, 0.0)
    trailer = rng.random(len(pr_of)) < p_trailer
    messages = []
    for j in range(len(pr_of)):
        i = pr_of[j]
        text = titles[i] if kind[i] == 3 else f"{titles[i]} (part {j - first[i] + 1})"
        if trailer[j] and tool[j] in TRAILERS:
            text += f"\n\nKeeps the change small for review.\n\n{TRAILERS[int(tool[j])]}\n"
        messages.append(text)
    c_add = np.maximum(1, additions[pr_of] // per_pr[pr_of])
    commits = {
        "repo": repo[pr_of],
        "sha": hexes(rng, len(pr_of)),
        "author": commit_author,
        "authored_at": authored,
        "committed_at": authored + rng.integers(0, 3 * HOUR, len(pr_of)),
        "message": np.array(messages, dtype=object),
        "additions": c_add,
        "deletions": np.maximum(0, deletions[pr_of] // per_pr[pr_of]),
        "pr_number": numbers[pr_of],
    }

    # reviews: teammates review each other; staff reviewers review widely
    team_members = [
        np.flatnonzero((org.team == t) & org.is_engineer & (employed.any(axis=1)))
        for t in range(len(org.team_ids))
    ]
    everyone = np.flatnonzero(org.is_engineer & employed.any(axis=1))
    rev_pr, rev_who, rev_at, rev_state = [], [], [], []
    approvals = np.where(merged_at > 0, 1, 0)
    comments = rng.poisson(np.where(merged_at > 0, 0.6, 0.45))
    for i in range(n):
        total = int(approvals[i] + comments[i])
        if total == 0:
            continue
        pool = team_members[org.repo_team[repo[i]]]
        pool = pool[pool != author[i]]
        if len(pool) == 0:
            pool = everyone[everyone != author[i]]
        if len(pool) == 0:
            continue
        start = ready[i] if ready[i] > 0 else created[i]
        stop = merged_at[i] if merged_at[i] > 0 else (closed_at[i] if closed_at[i] > 0 else start + 2 * DAY)
        for k in range(total):
            last = approvals[i] and k == total - 1
            rev_pr.append(i)
            rev_who.append(int(pool[rng.integers(0, len(pool))]))
            when = (
                stop - int(rng.integers(60, 1800))
                if last
                else start + int(rng.random() * max(stop - start, 60))
            )
            rev_at.append(max(when, start + 30))
            rev_state.append(
                "APPROVED" if last else ("COMMENTED", "CHANGES_REQUESTED")[int(rng.random() < 0.3)]
            )
    staff = np.flatnonzero((persona == P["staff_reviewer"]) & (workdays > 0))
    humans = np.flatnonzero(author >= 0)
    for person in staff:
        candidates = humans[author[humans] != person]
        if len(candidates) == 0:
            continue
        for i in rng.choice(candidates, size=int(rng.poisson(rng.uniform(14, 30))), replace=True):
            rev_pr.append(int(i))
            rev_who.append(int(person))
            stop = merged_at[i] if merged_at[i] > 0 else created[i] + 2 * DAY
            rev_at.append(int(created[i] + 300 + rng.random() * max(stop - created[i] - 600, 60)))
            rev_state.append(
                ("COMMENTED", "APPROVED", "CHANGES_REQUESTED")[int(rng.choice(3, p=[0.5, 0.3, 0.2]))]
            )
    rev_pr_a = np.array(rev_pr, dtype=np.int64)
    rev_at_a = np.array(rev_at, dtype=np.int64)
    rev_who_a = np.array(rev_who, dtype=np.int64)
    keep = rev_at_a < end_of_period
    if rng.random() < 0.5 and keep.any():
        # a review dismissed now and then
        rev_state[int(np.flatnonzero(keep)[0])] = "DISMISSED"
    ids = counters.review + np.arange(len(rev_pr_a))
    counters.review += len(rev_pr_a)
    reviews = {
        "repo": repo[rev_pr_a][keep],
        "pr_number": numbers[rev_pr_a][keep],
        "review_id": np.array([f"{4_100_000_000 + k}" for k in ids[keep]], dtype=object),
        "reviewer": rev_who_a[keep],
        "state": np.array(rev_state, dtype=object)[keep],
        "submitted_at": rev_at_a[keep],
    }
    staff_rows = np.isin(rev_who_a[keep], staff)
    staff_reviews = (rev_who_a[keep][staff_rows], rev_at_a[keep][staff_rows])

    # deployments: each repository ships most working days, to staging then production
    deploy_repo, deploy_env, deploy_at = [], [], []
    repo_zone = np.array([org.zone[org.team_manager[t]] for t in org.repo_team], dtype=np.int64)
    for d in range(5):
        ships = rng.random(len(org.repos)) < 0.55
        for env, share in (("staging", 0.7), ("production", 1.0)):
            rows = np.flatnonzero(ships & (rng.random(len(org.repos)) < share))
            deploy_repo.append(rows)
            deploy_env.append(np.full(len(rows), env, dtype=object))
            at = utc(org, t0, repo_zone[rows], np.full(len(rows), week * 7 + d), work_seconds(rng, len(rows)))
            deploy_at.append(at + (HOUR if env == "production" else 0))
    d_repo = np.concatenate(deploy_repo)
    d_env = np.concatenate(deploy_env)
    d_at = np.concatenate(deploy_at)
    keep = (d_at >= t0) & (d_at < end_of_period)
    d_repo, d_env, d_at = d_repo[keep], d_env[keep], d_at[keep]
    d_env = np.where((d_env == "production") & (d_repo % 4 == 1), "prod", d_env)
    status = rng.choice(
        np.array(["success", "failure", "error"], dtype=object), size=len(d_repo), p=[0.92, 0.06, 0.02]
    )
    shas = hexes(rng, len(d_repo))
    for j, r in enumerate(d_repo):
        if int(r) in counters.last_merge_sha:
            shas[j] = counters.last_merge_sha[int(r)]
    d_ids = counters.deployment + np.arange(len(d_repo))
    counters.deployment += len(d_repo)
    deployments = {
        "repo": d_repo,
        "deployment_id": np.array([f"{7_300_000 + k}" for k in d_ids], dtype=object),
        "sha": shas,
        "environment": d_env,
        "status": status,
        "started_at": d_at,
        "finished_at": d_at + rng.integers(120, 1800, len(d_repo)),
    }

    # incidents: daytime ones for each owning team, night ones for the on-call SREs
    rate = np.where(org.team_is_sre[org.service_team], 0.6, 0.25)
    per_service = rng.poisson(rate)
    inc_service = np.repeat(np.arange(len(org.services)), per_service)
    inc_team = org.service_team[inc_service]
    inc_zone = org.zone[org.team_manager[inc_team]]
    inc_day = rng.integers(0, 7, len(inc_service))
    inc_created = utc(org, t0, inc_zone, week * 7 + inc_day, work_seconds(rng, len(inc_service), 13.0, 3.0))
    inc_resolve = _lognormal_hours(rng, 2.5, 1.0, len(inc_service), 72.0) + 300
    responders = []
    for t in inc_team:
        pool = team_members[t]
        responders.append(int(pool[rng.integers(0, len(pool))]) if len(pool) else -1)
    inc_responder = np.array(responders, dtype=np.int64)
    night_who, night_created, night_resolved, night_service = [], [], [], []
    for person in np.flatnonzero((persona == P["oncall_sre"]) & org.oncall_weeks[:, week]):
        days = np.flatnonzero(employed[person])
        services = np.flatnonzero(org.service_team == org.team[person])
        if len(days) == 0 or len(services) == 0:
            continue
        for _ in range(1 + int(rng.poisson(1.2))):
            d = int(rng.choice(days))
            local = 23 * HOUR + int(rng.uniform(0, 5.5) * HOUR)
            start = int(utc(org, t0, org.zone[[person]], np.array([week * 7 + d]), np.array([local]))[0])
            length = int(
                min(max(rng.lognormal(np.log(1.2), 0.5), 0.25), 6.9 - local / HOUR + 24 - 0.1) * HOUR
            )
            night_who.append(person)
            night_created.append(start)
            night_resolved.append(start + max(length, 900))
            night_service.append(int(rng.choice(services)))
    n_night = len(night_who)
    all_service = np.concatenate([inc_service, np.array(night_service, dtype=np.int64)])
    all_created = np.concatenate([inc_created, np.array(night_created, dtype=np.int64)])
    all_resolved = np.concatenate([inc_created + inc_resolve, np.array(night_resolved, dtype=np.int64)])
    all_responder = np.concatenate([inc_responder, np.array(night_who, dtype=np.int64)])
    keep = (all_created >= t0) & (all_created < end_of_period) & (all_responder >= 0)
    keep &= org.employed_days(week)[np.maximum(all_responder, 0)].any(axis=1)
    all_service, all_created = all_service[keep], all_created[keep]
    all_resolved, all_responder = all_resolved[keep], all_responder[keep]
    is_night = np.r_[np.zeros(len(inc_service), dtype=bool), np.ones(n_night, dtype=bool)][keep]
    open_forever = (rng.random(len(all_service)) < 0.03) & ~is_night
    all_resolved = np.where(open_forever | (all_resolved >= end_of_period), -1, all_resolved)
    acknowledged = all_created + rng.integers(60, 900, len(all_service))
    acknowledged = np.where(
        (all_resolved > 0) & (acknowledged > all_resolved), all_created + 30, acknowledged
    )
    i_ids = counters.incident + np.arange(len(all_service))
    counters.incident += len(all_service)
    severity = np.where(
        is_night,
        "sev2",
        rng.choice(np.array(["sev1", "sev2", "sev3", "sev4"]), len(all_service), p=[0.05, 0.2, 0.45, 0.3]),
    )
    caused = np.full(len(all_service), None, dtype=object)
    caused_repo = np.full(len(all_service), None, dtype=object)
    prod = np.flatnonzero(d_env != "staging")
    for j in np.flatnonzero(rng.random(len(all_service)) < 0.25):
        owned = prod[
            (org.repo_team[d_repo[prod]] == org.service_team[all_service[j]]) & (d_at[prod] < all_created[j])
        ]
        if len(owned):
            k = int(owned[-1])
            caused[j] = deployments["deployment_id"][k]
            caused_repo[j] = org.repos[int(d_repo[k])]
    incidents = {
        "incident_id": np.array([f"HBINC{500000 + k}" for k in i_ids], dtype=object),
        "service": all_service,
        "severity": severity,
        "created_at": all_created,
        "acknowledged_at": acknowledged,
        "resolved_at": all_resolved,
        "responder": all_responder,
        "caused_by_deployment_id": caused,
        "repo": caused_repo,
        "is_night": is_night,
    }
    night = is_night & (all_resolved > 0)
    night_incidents = (all_responder[night], all_created[night], all_resolved[night])
    proto_rows = np.flatnonzero(kind == 2)
    prototypes = (author[proto_rows], created[proto_rows])
    return Week(prs, commits, reviews, deployments, incidents, night_incidents, prototypes, staff_reviews)
