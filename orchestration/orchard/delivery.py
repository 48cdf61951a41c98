"""Delivery: pull requests, commits, reviews, deployments and incidents, and the AI use that reviews
and incident response bring with them."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from orchestration.orchard.calendar import DAY
from orchestration.orchard.org import Person
from orchestration.orchard.plan import World, chat_tool, model_for, week_factor, work_hour
from orchestration.orchard.usage import poisson

BOT_EMAIL = "49699333+dependabot[bot]@users.noreply.github.com"
TRAILERS = {
    "claude_code": "Co-authored-by: Claude <noreply@anthropic.com>",
    "copilot": "Co-authored-by: Copilot <copilot@github.com>",
    "cursor": "Co-authored-by: Cursor <cursoragent@cursor.com>",
}
VERBS = ("Fix", "Add", "Refactor", "Speed up", "Harden", "Document", "Remove", "Migrate")
THINGS = (
    "CAN frame decoder",
    "ISOBUS task controller",
    "yield map tiles",
    "parts search",
    "dealer login",
    "telemetry backfill",
    "hydraulic valve calibration",
    "OTA rollout gate",
    "checkout totals",
    "soil moisture join",
    "alert dedup",
    "guidance line import",
    "warranty claim form",
    "fleet dashboard",
)


@dataclass
class Delivery:
    pull_requests: list[dict] = field(default_factory=list)
    commits: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    deployments: list[dict] = field(default_factory=list)
    incidents: list[dict] = field(default_factory=list)


def _sha(rng: random.Random) -> str:
    return f"{rng.getrandbits(160):040x}"


def pr_factor(world: World, p: Person, week: int) -> float:
    if week in p.vacation or not p.employed_week(week):
        return 0.0
    persona, factor = p.persona, 1.0
    if persona == "power_user":
        factor = 3.0
    elif persona == "staff_reviewer":
        factor = 0.35
    elif persona == "migration_lead" and week in p.params["migration"]:
        factor = 3.0
    elif persona == "new_hire_learner":
        factor = min(1.0, 0.15 + 0.15 * (week - max(0, p.hire_day) // 7))
    elif persona == "harvest_field_debugger" and week in p.params["field_weeks"]:
        factor = 0.5
    elif persona == "late_adopter" and week_factor(world, p, week) > 0:
        factor = 1.1
    if world.in_crunch(p, week):
        factor *= 1.9 if persona == "release_cruncher" else 1.4
    employed = sum(1 for d in range(week * 7, week * 7 + 5) if p.employed_day(d))
    return factor * employed / 5


def build_delivery(world: World) -> Delivery:
    rng, out = world.rng, Delivery()
    end = world.clock.start_epoch + world.days * DAY
    next_number: dict[str, int] = {}
    merges: dict[str, list[tuple[int, str]]] = {}
    engineers = [p for p in world.people if p.is_engineer]

    def new_pr(
        p: Person,
        repo: str,
        first_commit: int,
        created: int,
        merged: int | None,
        closed: int | None,
        size: float,
        labels: str,
        title: str,
    ) -> dict:
        number = next_number.get(repo, rng.randint(100, 3000)) + 1
        next_number[repo] = number
        additions = max(1, int(rng.lognormvariate(math.log(80 * size), 0.9)))
        deletions = max(0, int(additions * rng.uniform(0.1, 0.8 if "migration" not in labels else 1.2)))
        pr = {
            "repo": repo,
            "pr_number": number,
            "author_login": p.login,
            "title": title,
            "created_at": created,
            "ready_for_review_at": created + rng.randint(600, 2 * DAY) if rng.random() < 0.25 else None,
            "first_commit_at": first_commit,
            "merged_at": merged,
            "closed_at": closed,
            "additions": additions,
            "deletions": deletions,
            "changed_files": max(1, int(additions / rng.uniform(20, 90))),
            "base_branch": "main" if rng.random() < 0.9 else "develop",
            "merge_commit_sha": None,
            "labels": labels,
        }
        if merged is not None:
            pr["merge_commit_sha"] = _sha(rng)
            merges.setdefault(repo, []).append((merged, pr["merge_commit_sha"]))
        out.pull_requests.append(pr)
        commits = rng.randint(1, 5)
        for c in range(commits):
            authored = first_commit + int((created - first_commit) * c / commits)
            ai = [
                t
                for t in p.tools
                if t in TRAILERS
                and week_factor(
                    world, p, min(world.weeks - 1, max(0, (authored - world.clock.start_epoch) // (7 * DAY)))
                )
                > 0
            ]
            message = f"{title} ({c + 1}/{commits})"
            if ai and rng.random() < 0.45:
                message += "\n\n" + TRAILERS[rng.choice(ai)]
            out.commits.append(
                {
                    "repo": repo,
                    "sha": _sha(rng),
                    "author_email": p.email,
                    "author_login": p.login,
                    "authored_at": authored,
                    "committed_at": authored + rng.randint(0, 3600),
                    "message": message,
                    "additions": additions // commits,
                    "deletions": deletions // commits,
                    "pr_number": number,
                }
            )
        return pr

    # Pull requests, planned by the week they close in.
    for p in engineers:
        team = world.teams[p.team]
        for week in range(world.weeks):
            k = poisson(rng, p.pr_rate * pr_factor(world, p, week))
            days = world.workdays(p, week)
            if p.persona == "release_cruncher" and world.in_crunch(p, week):
                days = days or [week * 7 + 5]
            for _ in range(k if days else 0):
                merged = world.local(p, rng.choice(days), rng.uniform(9.0, 18.0))
                cycle = rng.lognormvariate(math.log(40 if p.department == "firmware" else 18), 0.9) * 3600
                first_commit = merged - int(cycle)
                created = first_commit + int(cycle * rng.uniform(0.1, 0.6))
                status = rng.random()
                migrating = p.persona == "migration_lead" and week in p.params["migration"]
                labels = "migration" if migrating else rng.choice(("", "", "bug", "feature", "chore"))
                title = f"{rng.choice(VERBS)} {rng.choice(THINGS)}"
                if status < 0.05:
                    new_pr(p, rng.choice(team.repos), first_commit, created, None, merged, 1.0, labels, title)
                elif week == world.weeks - 1 and status < 0.2:
                    new_pr(p, rng.choice(team.repos), first_commit, created, None, None, 1.0, labels, title)
                else:
                    new_pr(
                        p,
                        rng.choice(team.repos),
                        first_commit,
                        created,
                        merged,
                        merged,
                        4.0 if migrating else 1.0,
                        labels,
                        title,
                    )
            if p.persona == "throwaway_prototyper" and week in p.params.get("inflating", ()) and days:
                for _ in range(rng.randint(2, 5)):
                    created = world.local(p, rng.choice(days), work_hour(rng))
                    closed = created + rng.randint(DAY, 4 * DAY)
                    new_pr(
                        p,
                        rng.choice(team.repos),
                        created - rng.randint(1800, 6 * 3600),
                        created,
                        None,
                        closed if closed < end else None,
                        6.0,
                        "prototype,spike",
                        f"Prototype: {rng.choice(THINGS)} {rng.choice(('v2', 'with AI', 'rewrite'))}",
                    )
    # Dependency bumps by a bot.
    for team in world.teams:
        for repo in team.repos:
            for week in range(world.weeks):
                if rng.random() < 0.6:
                    created = world.clock.start_epoch + week * 7 * DAY + rng.randint(0, 5 * DAY)
                    merged = created + rng.randint(3600, 2 * DAY)
                    bot = Person(
                        -1,
                        "",
                        BOT_EMAIL,
                        "",
                        "dependabot[bot]",
                        0,
                        "",
                        "",
                        "",
                        "bot",
                        "",
                        "",
                        0,
                        None,
                        0,
                        [],
                        0,
                        0,
                    )
                    new_pr(
                        bot,
                        repo,
                        created,
                        created,
                        merged if merged < end else None,
                        merged if merged < end else None,
                        0.1,
                        "dependencies",
                        "Bump dependencies",
                    )

    _reviews(world, out)
    _deployments(world, out, merges, end)
    _incidents(world, out, end)
    return out


def _reviews(world: World, out: Delivery) -> None:
    rng, b = world.rng, world.blocks
    by_login = {p.login: p for p in world.people}
    team_of_repo = {repo: t for t, team in enumerate(world.teams) for repo in team.repos}
    staff_by_dept: dict[str, list[Person]] = {}
    for p in world.people:
        if p.persona == "staff_reviewer":
            staff_by_dept.setdefault(p.department, []).append(p)
    review_id = 0
    for pr in out.pull_requests:
        end = pr["merged_at"] or pr["closed_at"]
        if end is None:
            end = pr["created_at"] + DAY
        week = max(0, min(world.weeks - 1, (pr["created_at"] - world.clock.start_epoch) // (7 * DAY)))
        team = world.teams[team_of_repo[pr["repo"]]]
        pool, weights = [], []
        for m in team.members:
            person = world.people[m]
            if (
                person.login != pr["author_login"]
                and person.employed_week(week)
                and week not in person.vacation
            ):
                pool.append(person)
                weights.append(5.0 if person.persona == "staff_reviewer" else 1.0)
        others = staff_by_dept.get(team.department, [])
        if others:
            guest = rng.choice(others)
            if guest.login != pr["author_login"] and guest not in pool and guest.employed_week(week):
                pool.append(guest)
                weights.append(1.5)
        if not pool:
            continue
        wanted = 0 if "prototype" in pr["labels"] and rng.random() < 0.6 else rng.choice((1, 1, 2, 2, 3))
        chosen: list[Person] = []
        for _ in range(min(wanted, len(pool))):
            pick = rng.choices(pool, weights=weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        for i, reviewer in enumerate(chosen):
            start = pr["ready_for_review_at"] or pr["created_at"]
            submitted = start + int(max(60, end - start) * rng.uniform(0.3, 0.98))
            if pr["merged_at"] is not None and i == len(chosen) - 1:
                state = "APPROVED"
            else:
                state = rng.choices(("COMMENTED", "CHANGES_REQUESTED", "APPROVED"), weights=(5, 2, 3))[0]
            review_id += 1
            out.reviews.append(
                {
                    "repo": pr["repo"],
                    "pr_number": pr["pr_number"],
                    "review_id": f"PRR_{review_id:08d}",
                    "reviewer_login": reviewer.login,
                    "state": state,
                    "submitted_at": submitted,
                }
            )
            # Reading the change with an assistant before writing the review.
            rweek = (submitted - world.clock.start_epoch) // (7 * DAY)
            if 0 <= rweek < world.weeks and week_factor(world, reviewer, rweek) > 0:
                heavy = reviewer.persona == "staff_reviewer"
                if heavy or rng.random() < 0.2:
                    tool = chat_tool(rng, reviewer)
                    if tool:
                        n = rng.randint(2, 6) if heavy else rng.randint(1, 2)
                        b.add(
                            reviewer.index,
                            submitted - n * 300,
                            n * 280,
                            n,
                            tool,
                            "review",
                            model_for(rng, tool, "review"),
                            "review",
                        )
    del by_login


def _deployments(world: World, out: Delivery, merges: dict[str, list[tuple[int, str]]], end: int) -> None:
    rng = world.rng
    deployment = 0
    for team in world.teams:
        zone = world.people[team.manager].zone
        for repo in team.repos:
            done = sorted(merges.get(repo, []))
            i, last_sha = 0, None
            cadence = 7 if team.department == "firmware" else 1
            for day in range(world.days):
                if day % 7 >= 5 or (cadence == 7 and day % 7 != 3):
                    continue
                at = world.clock.local(zone, day, rng.uniform(14.0, 17.0))
                fresh = False
                while i < len(done) and done[i][0] <= at:
                    last_sha, fresh, i = done[i][1], True, i + 1
                if not fresh or last_sha is None or at >= end:
                    continue
                for env in ("staging", "production"):
                    status = rng.choices(("success", "failure", "error"), weights=(93, 5, 2))[0]
                    deployment += 1
                    started = at + (0 if env == "staging" else rng.randint(1200, 3600))
                    out.deployments.append(
                        {
                            "repo": repo,
                            "deployment_id": f"dep-{deployment:07d}",
                            "sha": last_sha,
                            "environment": env,
                            "status": status,
                            "started_at": started,
                            "finished_at": started + rng.randint(240, 1500),
                        }
                    )
                    if status != "success" and env == "production":
                        deployment += 1
                        retry = started + rng.randint(1800, 5400)
                        out.deployments.append(
                            {
                                "repo": repo,
                                "deployment_id": f"dep-{deployment:07d}",
                                "sha": last_sha,
                                "environment": env,
                                "status": "success",
                                "started_at": retry,
                                "finished_at": retry + rng.randint(240, 1500),
                            }
                        )


INCIDENT_RATE = {
    "telematics": 0.8,
    "webshop": 0.5,
    "field": 0.6,
    "platform": 0.4,
    "precision": 0.2,
    "firmware": 0.3,
}


def _incidents(world: World, out: Delivery, end: int) -> None:
    rng, b = world.rng, world.blocks
    counter = 0
    prod = {}
    for d in out.deployments:
        if d["environment"] == "production":
            prod.setdefault(d["repo"], []).append(d)

    def record(
        service: str,
        responder: Person,
        created: int,
        resolve_hours: float,
        severity: str,
        title: str,
        repo_team,
    ) -> None:
        nonlocal counter
        counter += 1
        ack = created + int(rng.lognormvariate(math.log(8 * 60), 0.6))
        resolved = ack + int(resolve_hours * 3600)
        cause, cause_repo = None, None
        if repo_team is not None and rng.random() < 0.25:
            recent = [
                d
                for r in repo_team.repos
                for d in prod.get(r, [])
                if created - 2 * DAY <= d["started_at"] <= created
            ]
            if recent:
                chosen = rng.choice(recent)
                cause, cause_repo = chosen["deployment_id"], chosen["repo"]
        out.incidents.append(
            {
                "incident_id": f"INC-{counter:06d}",
                "service": service,
                "title": title,
                "severity": severity,
                "created_at": created,
                "acknowledged_at": ack,
                "resolved_at": resolved if resolved < end else None,
                "responder_email": responder.email,
                "caused_by_deployment_id": cause,
                "repo": cause_repo,
            }
        )
        week = (ack - world.clock.start_epoch) // (7 * DAY)
        if resolved >= end or not (0 <= week < world.weeks) or week_factor(world, responder, week) <= 0:
            return
        tool = chat_tool(rng, responder)
        if tool is None:
            return
        heavy = responder.persona in ("oncall_responder", "harvest_field_debugger")
        profile = "log" if responder.persona == "harvest_field_debugger" else "incident"
        n = rng.randint(10, 40) if heavy else rng.randint(2, 8)
        if profile == "log":
            n = rng.randint(4, 14)
        b.add(
            responder.index,
            ack,
            max(600, resolved - ack),
            n,
            tool,
            "chat",
            model_for(rng, tool, "chat"),
            profile,
        )

    for team in world.teams:
        if not team.services:
            continue
        for week in range(world.weeks):
            eligible = [
                world.people[m]
                for m in team.members
                if world.people[m].employed_week(week)
                and week not in world.people[m].vacation
                and world.people[m].employed_day(week * 7)
            ]
            if not eligible:
                continue
            weights = [
                4.0 if p.persona == "oncall_responder" else 2.0 if p.role == "sre" else 1.0 for p in eligible
            ]
            oncall = rng.choices(eligible, weights=weights)[0]
            office = world.people[team.manager].office
            rate = INCIDENT_RATE[team.department] * (
                2.5 if week in world.harvest[office] and team.department in ("telematics", "field") else 1.0
            )
            if oncall.persona == "oncall_responder":
                rate *= 1.6
            for _ in range(poisson(rng, rate * len(team.services))):
                created = world.clock.start_epoch + week * 7 * DAY + rng.randint(0, 7 * DAY - 1)
                record(
                    rng.choice(team.services),
                    oncall,
                    created,
                    rng.lognormvariate(math.log(1.5), 0.9),
                    rng.choices(("sev1", "sev2", "sev3", "sev4"), weights=(1, 4, 10, 6))[0],
                    f"{rng.choice(THINGS)} degraded",
                    team,
                )
        # Machines down in the field: the field debuggers take them on site, in their harvest weeks.
        for m in team.members:
            p = world.people[m]
            if p.persona != "harvest_field_debugger":
                continue
            for week in sorted(p.params["field_weeks"]):
                if week in p.vacation or not p.employed_week(week):
                    continue
                for _ in range(rng.randint(2, 5)):
                    day = week * 7 + rng.randrange(7)
                    if not p.employed_day(day):
                        continue
                    created = world.local(p, day, rng.uniform(5.5, 20.0))
                    record(
                        team.services[0],
                        p,
                        created,
                        rng.uniform(2, 10),
                        rng.choice(("sev2", "sev3")),
                        f"Machine down in field: {rng.choice(THINGS)} fault",
                        None,
                    )
