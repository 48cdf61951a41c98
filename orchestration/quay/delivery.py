"""Pull requests, reviews, commits and deployments of Quay Logistics' repositories."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.quay.ids import DAY, HOUR, sha40_list
from orchestration.quay.org import DEPT_CODES, Org
from orchestration.quay.plan import CC, COPILOT, CURSOR, INTERNAL, OPENAI, PERSONAS, P, Plan

BOTS = ("dependabot[bot]", "renovate[bot]")
BOT_EMAILS = (
    "49699333+dependabot[bot]@users.noreply.github.com",
    "29139614+renovate[bot]@users.noreply.github.com",
)

TRAILERS = {
    CC: "Co-authored-by: Claude <noreply@anthropic.com>",
    CURSOR: "Co-authored-by: Cursor <cursoragent@cursor.com>",
    COPILOT: "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
    OPENAI: "Co-authored-by: Codex <codex@openai.com>",
    INTERNAL: "Co-authored-by: Claude <noreply@anthropic.com>",
}

SUBJECTS: dict[str, tuple[str, ...]] = {
    "terminal": (
        "berth window validation",
        "yard block reshuffle rules",
        "gate-in event schema",
        "reefer plug monitoring",
        "container move history",
        "hatch cover moves",
        "TOS event replay",
    ),
    "vessel": (
        "BAPLIE 2.2 parser",
        "crane split heuristics",
        "stowage weight limits",
        "lashing forces check",
        "ETA drift alerts",
        "dangerous goods segregation",
        "bay plan export",
    ),
    "customs": (
        "CUSCAR mapping",
        "ICS2 ENS filing",
        "DU-E status polling",
        "HS code validation",
        "customs hold release",
        "COPRAR acknowledgements",
        "AEO certificate cache",
    ),
    "landside": (
        "appointment slot booking",
        "truck turn time report",
        "rail wagon assignment",
        "driver check-in flow",
        "VGM submission",
        "slot overbooking guard",
        "push notifications",
    ),
    "automation": (
        "ASC job queue",
        "straddle carrier telemetry",
        "OCR confidence threshold",
        "PLC telegram decoder",
        "safe-park routine",
        "twistlock detection",
        "robot heartbeat",
    ),
    "commercial": (
        "demurrage calculation",
        "invoice PDF layout",
        "tariff rule engine",
        "storage day proration",
        "credit note flow",
        "customer portal search",
        "rate card import",
    ),
    "data": (
        "terminal KPI model",
        "lakehouse compaction",
        "ETA feature pipeline",
        "berth productivity mart",
        "CDC from TOS",
        "partition pruning",
        "data quality checks",
    ),
    "sre": (
        "node pool autoscaling",
        "alert routing",
        "Kafka broker rollout",
        "ingress TLS rotation",
        "SLO burn-rate alerts",
        "backup verification",
        "cluster upgrade",
    ),
    "security": (
        "detection rule for OT network",
        "secret rotation",
        "SSO session hardening",
        "WAF rules for appointment portal",
        "audit log shipping",
        "MFA enforcement",
    ),
    "ai": (
        "gateway rate limits",
        "model routing",
        "prompt cache metrics",
        "agent sandbox",
        "usage export",
        "token budget alerts",
    ),
    "devex": (
        "CI cache keys",
        "golden path template",
        "build runner images",
        "flaky test quarantine",
        "dev portal catalog",
        "monorepo affected targets",
    ),
}
VERBS = ("Add", "Fix", "Refactor", "Handle", "Improve", "Remove", "Support", "Speed up", "Validate", "Rework")


@dataclass
class Delivery:
    pr_repo: np.ndarray
    pr_number: np.ndarray
    pr_author: np.ndarray  # person, or -1 - bot index
    pr_title: list[str]
    pr_created: np.ndarray
    pr_ready: np.ndarray  # -1 = never a draft
    pr_first_commit: np.ndarray
    pr_merged: np.ndarray  # -1 = not merged
    pr_closed: np.ndarray  # -1 = open
    pr_add: np.ndarray
    pr_del: np.ndarray
    pr_files: np.ndarray
    pr_base: list[str]
    pr_labels: list[str | None]
    pr_merge_sha: list[str | None]
    rv_pr: np.ndarray
    rv_reviewer: np.ndarray
    rv_state: np.ndarray
    rv_at: np.ndarray
    cm_repo: np.ndarray
    cm_author: np.ndarray
    cm_at: np.ndarray
    cm_committed: np.ndarray
    cm_message: list[str]
    cm_add: np.ndarray
    cm_del: np.ndarray
    cm_pr: np.ndarray  # index into prs, -1 none
    dp_repo: np.ndarray
    dp_sha: list[str]
    dp_env: list[str]
    dp_status: list[str]
    dp_started: np.ndarray
    dp_finished: np.ndarray
    dp_prod_success: np.ndarray


def local_time(org: Org, person: np.ndarray, day: np.ndarray, hour: np.ndarray) -> np.ndarray:
    offset = org.offsets[org.office[person], day]
    return (day * DAY + ((hour - offset) * HOUR)).astype(np.int64)


def pick_day_in_week(rng, mask: np.ndarray, rows: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """A random day of each (row, week) whose mask is set; -1 when none."""
    block = mask[rows[:, None], weeks[:, None] * 7 + np.arange(7)[None, :]]
    count = block.sum(axis=1)
    target = np.floor(rng.random(rows.size) * np.maximum(count, 1)).astype(int)
    pos = np.argmax(np.cumsum(block, axis=1) > target[:, None], axis=1)
    return np.where(count > 0, weeks * 7 + pos, -1)


def ai_share(org: Org, plan: Plan, person: np.ndarray, day: np.ndarray) -> np.ndarray:
    """How likely a commit of this person on this day was written with an AI tool."""
    name = np.array((*PERSONAS, "manager"), dtype=object)[
        np.where(plan.persona[person] < 0, -1, plan.persona[person])
    ]
    base = np.full(person.size, 0.3)
    for personas, share in (
        (("occasional", "lapsed"), 0.1),
        (("autocomplete_only",), 0.04),
        (("power_user", "migration_lead", "edi_mapping_specialist"), 0.6),
        (("new_hire_learner", "stowage_scenario_runner"), 0.4),
    ):
        base[np.isin(name, personas)] = share
    on = (plan.use_rate[person] > 0) & (day >= plan.adopt_day[person]) & (day < plan.stop_day[person])
    return np.where(on, base, 0.0)


def build_delivery(rng: np.random.Generator, org: Org, plan: Plan, prototypes: dict) -> Delivery:
    days, weeks = org.days, org.weeks
    n_people = org.people
    team_repos = [np.flatnonzero(org.repo_team == t) for t in range(len(org.team_ids))]
    dept = org.dept

    # Expected pull requests per person and week.
    work = org.workday.reshape(n_people, weeks, 7).sum(axis=2) / 5.0
    crunch_w = plan.crunch[dept].reshape(n_people, weeks, 7).mean(axis=2)
    crunch_w = 1 + (crunch_w - 1) * 1.1
    adopted = (np.arange(weeks)[None, :] * 7 >= plan.adopt_day[:, None] + 14) & (plan.use_rate[:, None] > 0)
    effect = np.where(adopted, 1.08, 1.0)
    lam = plan.pr_rate[:, None] * work * crunch_w * effect
    since_hire = np.arange(weeks)[None, :] - org.hire_day[:, None] / 7
    ramp = np.clip(0.15 + 0.12 * since_hire, 0.15, 1.0)
    lam = np.where(org.is_hire[:, None], lam * ramp, lam)
    lam = np.where(plan.window & (plan.persona == P["migration_lead"])[:, None], lam * 1.4, lam)
    lam = np.where(plan.window & (plan.persona == P["yard_commissioning_engineer"])[:, None], lam * 1.3, lam)
    lam *= rng.gamma(6, 1 / 6, lam.shape)
    counts = rng.poisson(lam)
    rows, wks = np.nonzero(counts)
    reps = counts[rows, wks]
    author = np.repeat(rows, reps)
    week = np.repeat(wks, reps)
    day = pick_day_in_week(rng, org.workday, author, week)
    keep = day >= 0
    author, week, day = author[keep], week[keep], day[keep]
    n = author.size
    hour = np.clip(rng.normal(14, 2.6, n) + plan.chrono[author], 8, 22.5)
    created = local_time(org, author, day, hour)
    team = org.team[author]
    repo = np.empty(n, dtype=np.int64)
    cross = rng.random(n) < 0.08
    other_team = rng.integers(0, len(org.team_ids), n)
    same_dept = org.team_dept[other_team] == dept[author]
    use_team = np.where(cross & same_dept, other_team, team)
    for t in np.unique(use_team):
        sel = use_team == t
        repo[sel] = rng.choice(team_repos[t], size=sel.sum())
    kind = np.zeros(n, dtype=np.int64)  # 0 normal, 1 prototype, 2 bot
    migration = plan.window[author, week] & (plan.persona[author] == P["migration_lead"])

    # Throwaway prototypes, opened as pull requests after the agent session that wrote them.
    pa_person = prototypes["person"]
    if pa_person.size:
        p_created = prototypes["end"] + (rng.uniform(0.2, 2.0, pa_person.size) * HOUR).astype(np.int64)
        p_repo = np.array([rng.choice(team_repos[org.team[p]]) for p in pa_person], dtype=np.int64)
        author = np.concatenate([author, pa_person])
        created = np.concatenate([created, p_created])
        repo = np.concatenate([repo, p_repo])
        kind = np.concatenate([kind, np.ones(pa_person.size, dtype=np.int64)])
        migration = np.concatenate([migration, np.zeros(pa_person.size, dtype=bool)])

    # Dependency bots, on every repository now and then.
    bot_weeks = rng.poisson(0.45, (len(org.repos), weeks))
    b_repo, b_week = np.nonzero(bot_weeks)
    b_rep = bot_weeks[b_repo, b_week]
    b_repo, b_week = np.repeat(b_repo, b_rep), np.repeat(b_week, b_rep)
    b_created = (b_week * 7 + rng.integers(0, 5, b_repo.size)) * DAY + rng.integers(1, 6, b_repo.size) * HOUR
    b_author = -1 - (rng.random(b_repo.size) < 0.35).astype(np.int64)
    author = np.concatenate([author, b_author])
    created = np.concatenate([created, b_created])
    repo = np.concatenate([repo, b_repo])
    kind = np.concatenate([kind, np.full(b_repo.size, 2)])
    migration = np.concatenate([migration, np.zeros(b_repo.size, dtype=bool)])
    n = author.size
    human = author >= 0

    # Lifecycle.
    end = days * DAY
    first_commit = created - (rng.lognormal(np.log(7), 1.1, n) * HOUR).astype(np.int64)
    first_commit[kind == 2] = created[kind == 2] - rng.integers(5, 60, (kind == 2).sum()) * 1_000_000
    draft = (rng.random(n) < np.where(kind == 1, 0.75, 0.2)) & human
    ready = np.where(draft, created + (rng.lognormal(np.log(5), 1.0, n) * HOUR).astype(np.int64), -1)
    since = np.where(ready >= 0, ready, created)
    crunchy = plan.crunch[dept[np.maximum(author, 0)], np.clip(created // DAY, 0, days - 1)] > 1.3
    wait = rng.lognormal(np.log(17), 1.0, n) * np.where(crunchy, 0.65, 1.0)
    wait[kind == 2] = rng.lognormal(np.log(30), 1.0, (kind == 2).sum())
    merged = since + (wait * HOUR).astype(np.int64)
    fate = rng.random(n)
    merged_ok = np.where(kind == 1, False, fate < np.where(kind == 2, 0.72, 0.88))
    closed_only = ~merged_ok & (fate < np.where(kind == 1, 0.97, 0.96))
    closed = np.where(
        merged_ok, merged, created + (rng.lognormal(np.log(60), 0.8, n) * HOUR).astype(np.int64)
    )
    merged = np.where(merged_ok, merged, -1)
    closed = np.where(merged_ok | closed_only, closed, -1)
    merged = np.where(merged >= end, -1, merged)
    closed = np.where(closed >= end, -1, closed)
    ready = np.where(ready >= end, -1, ready)
    # A draft that was closed unmerged before anyone looked at it never left draft.
    ready = np.where((ready >= 0) & (closed >= 0) & (ready > closed), -1, ready)
    first_commit = np.maximum(first_commit, -30 * DAY)

    adds = np.maximum(1, rng.lognormal(np.log(110), 1.15, n)).astype(np.int64)
    adds[kind == 1] = rng.integers(900, 7000, (kind == 1).sum())
    adds[kind == 2] = rng.integers(2, 60, (kind == 2).sum())
    adds[migration] = (adds[migration] * rng.uniform(2, 6, migration.sum())).astype(np.int64)
    dels = (adds * rng.beta(1.2, 3.5, n)).astype(np.int64)
    dels[migration] = (adds[migration] * rng.uniform(0.6, 1.6, migration.sum())).astype(np.int64)
    files = np.maximum(1, (adds + dels) / rng.uniform(25, 90, n)).astype(np.int64)
    files[kind == 2] = rng.integers(1, 3, (kind == 2).sum())

    # Titles and labels.
    dept_name = np.array(DEPT_CODES)[org.team_dept[org.repo_team[repo]]]
    titles: list[str] = []
    labels: list[str | None] = []
    base: list[str] = []
    verb_i = rng.integers(0, len(VERBS), n)
    subj_u = rng.random(n)
    lab_u = rng.random(n)
    packages = (
        "spring-boot",
        "jackson-databind",
        "pydantic",
        "react",
        "grpc",
        "kafka-clients",
        "pandas",
        "opentelemetry-sdk",
        "terraform-provider-aws",
        "eslint",
    )
    for i in range(n):
        subjects = SUBJECTS[dept_name[i]]
        subject = subjects[int(subj_u[i] * len(subjects))]
        if kind[i] == 2:
            pkg = packages[int(subj_u[i] * len(packages))]
            titles.append(f"Bump {pkg} from 2.{verb_i[i]}.1 to 2.{verb_i[i] + 1}.0")
            labels.append("dependencies")
            base.append("main")
            continue
        if kind[i] == 1:
            titles.append(f"[spike] {subject}: try an agent-written {('rewrite', 'prototype', 'PoC')[i % 3]}")
            labels.append("prototype" if lab_u[i] < 0.5 else "prototype,do-not-merge")
            base.append("main")
            continue
        titles.append(f"{VERBS[verb_i[i]]} {subject}")
        if migration[i]:
            labels.append("migration")
        elif lab_u[i] < 0.25:
            labels.append("bug")
        elif lab_u[i] < 0.45:
            labels.append("feature")
        elif lab_u[i] < 0.5:
            labels.append("chore")
        else:
            labels.append(None)
        base.append("main" if lab_u[i] > 0.04 else "release/2026.3")

    # Numbers per repository in order of creation.
    order = np.lexsort((np.arange(n), created, repo))
    number = np.empty(n, dtype=np.int64)
    r_sorted = repo[order]
    start_of = np.r_[0, np.flatnonzero(np.diff(r_sorted)) + 1]
    run = np.arange(n) - np.repeat(start_of, np.diff(np.r_[start_of, n]))
    first_number = 1 + (np.arange(len(org.repos)) * 37 % 900)
    number[order] = first_number[r_sorted] + run

    merge_sha_all = sha40_list(np.arange(n), 101)
    merge_sha = [merge_sha_all[i] if merged[i] >= 0 else None for i in range(n)]

    # Reviews.
    rv = _reviews(rng, org, plan, repo, author, created, ready, merged, closed, kind, end)

    # Commits.
    cm = _commits(
        rng,
        org,
        plan,
        repo,
        author,
        first_commit,
        created,
        ready,
        merged,
        closed,
        adds,
        dels,
        kind,
        titles,
        end,
    )

    # Deployments.
    dp = _deployments(rng, org, repo, merged, merge_sha_all, end)

    return Delivery(
        pr_repo=repo,
        pr_number=number,
        pr_author=author,
        pr_title=titles,
        pr_created=created,
        pr_ready=ready,
        pr_first_commit=first_commit,
        pr_merged=merged,
        pr_closed=closed,
        pr_add=adds,
        pr_del=dels,
        pr_files=files,
        pr_base=base,
        pr_labels=labels,
        pr_merge_sha=merge_sha,
        **rv,
        **cm,
        **dp,
    )


def _reviews(rng, org: Org, plan: Plan, repo, author, created, ready, merged, closed, kind, end) -> dict:
    n = repo.size
    team = org.repo_team[repo]
    n_rev = np.where(merged >= 0, 1 + rng.poisson(0.7, n), rng.poisson(0.5, n))
    n_rev[kind == 1] = (rng.random((kind == 1).sum()) < 0.25).astype(int)
    n_rev[kind == 2] = np.where(merged[kind == 2] >= 0, 1, 0)
    pr = np.repeat(np.arange(n), n_rev)
    slot = np.arange(pr.size) - np.repeat(np.cumsum(n_rev) - n_rev, n_rev)
    last = slot == n_rev[pr] - 1
    opened = np.where(ready[pr] >= 0, ready[pr], created[pr])
    until = np.where(merged[pr] >= 0, merged[pr], np.where(closed[pr] >= 0, closed[pr], opened + 4 * DAY))
    span = np.maximum(until - opened, 10 * 60_000_000)
    frac = (slot + rng.uniform(0.1, 0.9, pr.size)) / (n_rev[pr] + 0.2)
    at = opened + (frac * span).astype(np.int64)
    at = np.where(last & (merged[pr] >= 0), merged[pr] - rng.integers(2, 120, pr.size) * 60_000_000, at)
    at = np.maximum(at, opened + 60_000_000)

    # Reviewers: teammates by weight, now and then someone senior from the department.
    people = np.flatnonzero(org.employed.any(axis=1))
    reviewer = np.full(pr.size, -1, dtype=np.int64)
    dept_of_team = org.team_dept
    day = np.clip(at // DAY, 0, org.days - 1)
    cross = rng.random(pr.size) < 0.14
    for group_cross in (False, True):
        for g in np.unique(dept_of_team[team] if group_cross else team):
            if group_cross:
                sel = np.flatnonzero(cross & (dept_of_team[team[pr]] == g))
                members = people[(org.dept[people] == g) & org.is_engineer[people]]
                weights = plan.review_weight[members] ** 1.6
            else:
                sel = np.flatnonzero(~cross & (team[pr] == g))
                members = people[org.team[people] == g]
                weights = plan.review_weight[members]
            if sel.size == 0 or members.size == 0:
                continue
            cum = np.cumsum(weights) / weights.sum()
            chosen = np.full(sel.size, -1, dtype=np.int64)
            for _ in range(6):
                todo = chosen < 0
                if not todo.any():
                    break
                cand = members[np.minimum(np.searchsorted(cum, rng.random(todo.sum())), members.size - 1)]
                ok = (
                    (cand != author[pr[sel[todo]]])
                    & org.employed[cand, day[sel[todo]]]
                    & ~org.leave[cand, day[sel[todo]]]
                )
                idx = np.flatnonzero(todo)[ok]
                chosen[idx] = cand[ok]
            reviewer[sel] = chosen
    keep = (reviewer >= 0) & (at < end)
    state = np.where(
        last & (merged[pr] >= 0),
        0,
        rng.choice([0, 1, 2, 3], size=pr.size, p=[0.12, 0.33, 0.54, 0.01]),
    )
    # One reviewer submits once per slot; a repeated reviewer on a PR is a second round.
    rv_pr, rv_reviewer, rv_state, rv_at = pr[keep], reviewer[keep], state[keep], at[keep]

    # Review farmers leave drive-by comments on pull requests across the organisation.
    farm = np.flatnonzero(plan.persona == P["pr_review_farming"])
    extra_pr, extra_rv, extra_at = [], [], []
    open_prs = np.flatnonzero((author >= 0) & (kind == 0))
    for p in farm:
        for w in np.flatnonzero(plan.infl_active[p]):
            for _ in range(rng.integers(1, 6)):
                d = w * 7 + int(rng.integers(0, 5))
                if d >= org.days or not org.employed[p, d]:
                    continue
                t = d * DAY + int(rng.integers(7, 20)) * HOUR
                cand = open_prs[(created[open_prs] < t) & ((closed[open_prs] < 0) | (closed[open_prs] > t))]
                cand = cand[author[cand] != p]
                if cand.size:
                    extra_pr.append(int(cand[rng.integers(cand.size)]))
                    extra_rv.append(p)
                    extra_at.append(t)
    if extra_pr:
        rv_pr = np.concatenate([rv_pr, extra_pr])
        rv_reviewer = np.concatenate([rv_reviewer, extra_rv])
        rv_state = np.concatenate([rv_state, np.full(len(extra_pr), 2)])
        rv_at = np.concatenate([rv_at, extra_at])
    return {"rv_pr": rv_pr, "rv_reviewer": rv_reviewer, "rv_state": rv_state, "rv_at": rv_at.astype(np.int64)}


def _commits(
    rng, org, plan, repo, author, first_commit, created, ready, merged, closed, adds, dels, kind, titles, end
):
    n = repo.size
    count = 1 + rng.poisson(np.where(kind == 2, 0, np.where(kind == 1, 1.5, 2.3)))
    pr = np.repeat(np.arange(n), count)
    slot = np.arange(pr.size) - np.repeat(np.cumsum(count) - count, count)
    open_at = np.where(ready >= 0, ready, created)
    upto = np.where(merged >= 0, merged, np.where(closed >= 0, closed, open_at + DAY))
    span = np.maximum(upto[pr] - first_commit[pr] - 10 * 60_000_000, 60_000_000)
    at = first_commit[pr] + np.where(slot == 0, 0, (rng.beta(1.0, 1.8, pr.size) * span).astype(np.int64))
    at = np.minimum(at, end - 60_000_000)
    committed = at + np.where(rng.random(pr.size) < 0.2, rng.integers(1, 48, pr.size) * HOUR // 4, 0)
    committed = np.minimum(committed, np.maximum(at, end - 1))
    weight = rng.gamma(1.0, 1.0, pr.size) + 0.05
    total = np.bincount(pr, weights=weight, minlength=n)
    c_add = (adds[pr] * weight / total[pr]).astype(np.int64)
    c_del = (dels[pr] * weight / total[pr]).astype(np.int64)
    a = author[pr]
    human = a >= 0
    day = np.clip(at // DAY, 0, org.days - 1)
    p_ai = np.zeros(pr.size)
    p_ai[human] = ai_share(org, plan, a[human], day[human])
    p_ai[kind[pr] == 1] = 0.9
    ai = rng.random(pr.size) < p_ai
    primary = np.argmax(plan.tool_p, axis=1)
    messages = []
    small = (
        "address review comments",
        "fix tests",
        "tidy up",
        "rename for clarity",
        "handle null case",
        "update fixtures",
        "lint",
        "add logging",
        "split function",
        "wip",
    )
    su = rng.integers(0, len(small), pr.size)
    for i in range(pr.size):
        j = pr[i]
        subject = titles[j] if slot[i] == 0 else small[su[i]]
        if ai[i]:
            messages.append(f"{subject}\n\n{TRAILERS[int(primary[a[i]])]}")
        else:
            messages.append(subject)
    return {
        "cm_repo": repo[pr],
        "cm_author": a,
        "cm_at": at,
        "cm_committed": committed,
        "cm_message": messages,
        "cm_add": c_add,
        "cm_del": c_del,
        "cm_pr": pr,
    }


def _deployments(rng, org: Org, repo, merged, merge_sha, end) -> dict:
    """Continuous teams deploy after each day's merges; terminal and automation teams ship on Tue/Thu."""
    batched_depts = {DEPT_CODES.index("terminal"), DEPT_CODES.index("automation")}
    d_repo, d_sha, d_env, d_status, d_start, d_fin, d_prod_ok = [], [], [], [], [], [], []
    ok = merged >= 0
    for r in range(len(org.repos)):
        sel = np.flatnonzero(ok & (repo == r))
        if sel.size == 0:
            continue
        sel = sel[np.argsort(merged[sel], kind="stable")]
        t_merge = merged[sel]
        team = org.repo_team[r]
        office = org.team_office[team]
        batched = org.team_dept[team] in batched_depts
        mday = t_merge // DAY
        if batched:
            wd = mday % 7
            # Next Tuesday (1) or Thursday (3) after the merge day.
            add = np.select([wd < 1, wd < 3, wd < 8], [1 - wd, 3 - wd, 8 - wd])
            deploy_day = mday + np.where(add == 0, 2, add)
        else:
            deploy_day = mday
        for dday in np.unique(deploy_day):
            if dday >= org.days:
                continue
            included = sel[deploy_day == dday]
            last_merge = merged[included].max()
            local_slot = 10.5 if batched else None
            if batched:
                stage_start = int(dday * DAY + (local_slot - 1 - org.offsets[office, dday]) * HOUR)
                stage_start = max(stage_start, int(last_merge) + 10 * 60_000_000)
            else:
                stage_start = int(last_merge + rng.uniform(0.1, 0.4) * HOUR)
            stage_end = stage_start + int(rng.uniform(3, 12) * 60_000_000)
            start = stage_end + int(rng.uniform(0.2, 2.0) * HOUR)
            if start >= end - HOUR:
                continue
            sha = merge_sha[int(included[np.argmax(merged[included])])]
            d_repo.append(r)
            d_sha.append(sha)
            d_env.append("staging")
            d_status.append("success")
            d_start.append(stage_start)
            d_fin.append(stage_end)
            d_prod_ok.append(False)
            status = rng.choice(["success", "failure", "error"], p=[0.925, 0.055, 0.02])
            d_repo.append(r)
            d_sha.append(sha)
            d_env.append("production")
            d_status.append(str(status))
            d_start.append(start)
            d_fin.append(start + int(rng.uniform(4, 25) * 60_000_000))
            d_prod_ok.append(status == "success")
            if status != "success":
                retry = start + int(rng.uniform(1, 4) * HOUR)
                if retry < end - HOUR:
                    d_repo.append(r)
                    d_sha.append(sha)
                    d_env.append("production")
                    d_status.append("success")
                    d_start.append(retry)
                    d_fin.append(retry + int(rng.uniform(4, 25) * 60_000_000))
                    d_prod_ok.append(True)
    return {
        "dp_repo": np.array(d_repo, dtype=np.int64),
        "dp_sha": d_sha,
        "dp_env": d_env,
        "dp_status": d_status,
        "dp_started": np.array(d_start, dtype=np.int64),
        "dp_finished": np.minimum(np.array(d_fin, dtype=np.int64), end - 1),
        "dp_prod_success": np.array(d_prod_ok, dtype=bool),
    }
