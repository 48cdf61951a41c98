"""Who opens which AI sessions when: the everyday work, the heavy-but-real work, and the inflation.

``Streams.week(w)`` plans every session that starts in week ``w`` except the performative top-ups,
which ``Streams.topup`` adds once the week's other usage and the last leaderboard are known. Sessions
that carry an inflation style have ``style >= 0``; everything else is real work.
"""

from __future__ import annotations

import numpy as np

from orchestration.kestrel.calendars import DAY_MS, HOUR_MS, MINUTE_MS
from orchestration.kestrel.git import Git
from orchestration.kestrel.leaderboard import office_groups, snapshots
from orchestration.kestrel.org import AGENT, CC, COPILOT, CURSOR, FIRST_STYLE, OPENAI, STYLES, Org, P
from orchestration.kestrel.usage import PR, PROFILE_TOOL, REGENERATE, TEMPLATE, M, Planner

S = {name: i for i, name in enumerate(STYLES)}

#: Everyday sessions per working day at usage level 1, by profile.
DAILY = {
    "cc_agent": 0.7,
    "cc_chat": 0.35,
    "cursor_agent": 0.6,
    "cursor_chat": 0.3,
    "copilot_chat": 0.3,
    "openai_chat": 0.3,
    "agent_run": 0.4,
}
BUCKETS = ("cursor_tab", "copilot_tab")


class Streams:
    def __init__(self, org: Org, git: Git, rng: np.random.Generator):
        self.org = org
        self.git = git
        self.rng = rng
        self.plan = Planner(org, rng)
        people = org.people
        self.snap = snapshots(org.cal)
        self.group = office_groups()[org.office]
        self.rates = np.zeros((people, len(DAILY)))
        for k, (name, rate) in enumerate(DAILY.items()):
            tool = _tool(name)
            self.rates[:, k] = rate * org.level * org.has_tool[:, tool]
        both = org.has_tool[:, CC] | org.has_tool[:, CURSOR]
        # Agent users lean on their agent; the others chat through Copilot.
        self.rates[both, list(DAILY).index("copilot_chat")] *= 0.5
        managers = ~org.is_engineer
        for name in ("cc_agent", "cursor_agent", "agent_run", "openai_chat"):
            self.rates[managers, list(DAILY).index(name)] = 0.0
        self.bucket_p = np.zeros((people, 2))
        self.bucket_p[:, 0] = np.minimum(0.95, 0.8 * org.level**0.3) * org.has_tool[:, CURSOR]
        self.bucket_p[:, 1] = np.minimum(0.95, np.where(both, 0.45, 0.85) * org.level**0.3)
        self.bucket_p[managers] *= 0.2
        self.bucket_hours = 3.0 * np.minimum(org.level, 2.0) ** 0.5
        self.n_scale = np.where(org.persona == P["power_user"], 1.5, 1.0)
        self.scheduled = self._scheduled()

    # ----------------------------------------------------------------- helpers
    def _hours(self, person: np.ndarray, evening: np.ndarray | float = 0.0) -> np.ndarray:
        rng = self.rng
        n = len(person)
        base = self.org.chrono[person]
        morning = rng.random(n) < 0.5
        hours = np.where(morning, base + rng.uniform(0.2, 3.3, n), base + rng.uniform(4.3, 8.6, n))
        late = rng.random(n) < self.org.evening[person] + evening
        return np.where(late, np.minimum(18.0 + rng.exponential(1.8, n), 23.9), hours)

    def _at(self, person: np.ndarray, day: np.ndarray | int, hours: np.ndarray) -> np.ndarray:
        day = np.broadcast_to(np.asarray(day), person.shape)
        return self.org.cal.local_to_utc(self.org.office[person], day, hours)

    def _agent_profile(self, person: np.ndarray) -> np.ndarray:
        has = self.org.has_tool
        prefer_cursor = has[person, CURSOR] & (~has[person, CC] | (self.rng.random(len(person)) < 0.4))
        return np.where(prefer_cursor, PR["cursor_agent"], PR["cc_agent"])

    # ------------------------------------------------------- scheduled sessions
    def _scheduled(self) -> dict[str, np.ndarray]:
        """Sessions tied to delivery events: reviews, incidents and evaluation runs, over the period."""
        org, git, rng, plan = self.org, self.git, self.rng, self.plan
        has = org.has_tool
        persona = org.persona
        adopted = lambda p, ts: org.adopt_day[p] * DAY_MS + org.cal.start_ms <= ts  # noqa: E731

        # Reviews: staff engineers review with an AI at their side; others sometimes ask Copilot.
        rv = git.reviews
        reviewer, when = rv["reviewer"], rv["submitted"]
        staff = persona[reviewer] == P["staff_reviewer"]
        use = adopted(reviewer, when) & (rng.random(len(reviewer)) < np.where(staff, 0.92, 0.1))
        cc = use & has[reviewer, CC] & (staff | (rng.random(len(reviewer)) < 0.4))
        cop = use & ~cc
        lead = (rng.uniform(5, 45, len(reviewer)) * MINUTE_MS).astype(np.int64)
        plan.add(reviewer[cc], PR["cc_review"], when[cc] - lead[cc], n_scale=np.where(staff[cc], 1.3, 1.0))
        plan.add(reviewer[cop], PR["copilot_review"], when[cop] - lead[cop])

        # Incidents: the responder works the problem with AI help, at whatever hour it happens.
        inc = git.incidents
        resolved = inc["resolved"] >= 0
        responder = inc["responder"]
        ok = resolved & (responder >= 0)
        ok[ok] &= adopted(responder[ok], inc["created"][ok]) & org.is_engineer[responder[ok]]
        idx = np.flatnonzero(ok)
        heavy = persona[responder[idx]] == P["oncall_responder"]
        hours = (inc["resolved"][idx] - inc["ack"][idx]) / HOUR_MS
        count = rng.poisson(np.where(heavy, 1.5 + 1.2 * hours, 0.5 + 0.4 * hours))
        count = np.minimum(count, 40)
        rep = np.repeat(idx, count)
        who = responder[rep]
        begin = inc["ack"][rep]
        span = np.maximum(inc["resolved"][rep] - begin, MINUTE_MS)
        start = begin + (rng.random(len(rep)) * span * 0.9).astype(np.int64)
        pick = rng.random(len(rep))
        profile = np.where(has[who, AGENT] & (pick < 0.25), PR["agent_run"], PR["cc_agent"])
        profile = np.where(has[who, OPENAI] & (pick > 0.85), PR["openai_chat"], profile)
        profile = np.where(has[who, CC] | (profile != PR["cc_agent"]), profile, self._agent_profile(who))
        heavy_rep = persona[who] == P["oncall_responder"]
        plan.add(
            who,
            profile,
            start,
            n_scale=np.where(heavy_rep, 1.6, 1.0),
            ctx_scale=np.where(heavy_rep, 2.2, 1.5),
        )

        # Evaluation runs: the night after a day with commits, and a weekly regression run.
        owners = np.flatnonzero(persona == P["eval_harness_owner"])
        commits = git.commits
        for p in owners:
            mine = commits["authored"][commits["author"] == p]
            local_days = np.unique(
                (mine + org.cal.offset(org.office[p], (mine - org.cal.start_ms) // DAY_MS) - org.cal.start_ms)
                // DAY_MS
            )
            nights = local_days + 1
            saturdays = np.arange(5, org.cal.days, 7)
            runs_day = np.concatenate([nights, saturdays])
            weekly = np.concatenate([np.zeros(len(nights), bool), np.ones(len(saturdays), bool)])
            person = np.full(len(runs_day), p)
            items = org.params["eval_items"][p]
            n = np.where(weekly, np.round(items * 2.5), items).astype(np.int64)
            start = self._at(person, runs_day, rng.uniform(1.0, 3.0, len(person)))
            plan.add(
                person,
                PR["eval_item"],
                start,
                account=org.eval_account[p],
                n=n,
                pmode=TEMPLATE,
                pbase=p,
                pk=n,
            )

        # Kestrel's CI writes release notes through a service key nobody owns personally.
        for acct in org.service_accounts:
            per_day = rng.poisson(1.5, org.cal.days)
            day = np.repeat(np.arange(org.cal.days), per_day)
            day = day[np.mod(day, 7) < 5]
            start = org.cal.start_ms + day * DAY_MS + rng.integers(0, DAY_MS, len(day))
            plan.add(np.full(len(day), -1), PR["openai_chat"], start, account=acct)

        sessions = plan.take()
        order = np.argsort(sessions["start"], kind="stable")
        return {key: value[order] for key, value in sessions.items()}

    # ------------------------------------------------------------- the week
    def week(self, w: int) -> dict[str, np.ndarray]:
        org, rng, plan = self.org, self.rng, self.plan
        people = org.people
        cal = org.cal
        persona = org.persona
        everyone = np.arange(people)
        crunch = org.crunch[org.team, w]
        adopt_weeks = (w * 7 - org.adopt_day) / 7.0
        ramp = np.clip(0.3 + 0.25 * adopt_weeks, 0.0, 1.0)
        ramp = np.where(org.adopt_day < -1000, 1.0, ramp)
        leaving = org.left_day - w * 7 < 14
        week_mult = ramp * np.where(crunch, 1.8, 1.0) * np.where(leaving, 0.6, 1.0)
        since_hire = (w * 7 - org.hired_day) / 7.0
        learner = persona == P["new_hire_learner"]
        active = org.active[:, w]
        style = np.where(persona >= FIRST_STYLE, persona - FIRST_STYLE, -1)

        for dow in range(7):
            d = w * 7 + dow
            adopted = org.adopt_day <= d
            working = org.avail[:, d]
            free = org.employed[:, d] & ~org.vacation[:, d] & ~org.avail[:, d]
            weekend_work = free & (rng.random(people) < org.weekend + np.where(crunch, 0.3, 0.0))
            factor = np.where(working, 1.0, np.where(weekend_work, 0.5, 0.0)) * week_mult * adopted
            on = factor > 0
            evening = np.where(crunch, 0.2, 0.0)

            # Everyday work.
            counts = rng.poisson(self.rates * factor[:, None])
            for k, name in enumerate(DAILY):
                who = np.repeat(everyone, counts[:, k])
                if len(who):
                    plan.add(
                        who,
                        PR[name],
                        self._at(who, d, self._hours(who, evening[who])),
                        n_scale=self.n_scale[who],
                    )
            for k, name in enumerate(BUCKETS):
                who = everyone[on & (rng.random(people) < self.bucket_p[:, k] * np.minimum(1.0, factor))]
                if len(who):
                    n = 1 + rng.poisson(self.bucket_hours[who] / 4.0)
                    hours = org.chrono[who] + rng.uniform(0.0, 1.5, len(who))
                    plan.add(
                        who,
                        PR[name],
                        self._at(who, d, hours),
                        n=np.minimum(n, 10),
                        ctx_scale=np.minimum(org.level[who], 2.5) ** 0.5,
                    )

            # New hires learn the codebase by asking.
            learn_rate = np.where(
                learner & on & (since_hire >= 0), 4.0 * np.exp(-np.maximum(since_hire, 0) / 5.0) + 0.4, 0.0
            )
            who = np.repeat(everyone, rng.poisson(learn_rate))
            if len(who):
                has = org.has_tool
                prof = np.where(
                    has[who, CC],
                    PR["cc_chat"],
                    np.where(has[who, CURSOR], PR["cursor_chat"], PR["copilot_chat"]),
                )
                plan.add(who, prof, self._at(who, d, self._hours(who)), n_scale=1.6, ctx_scale=1.8)

            # Migration leads drive agents through the migration.
            mig = on & org.migration[:, w]
            who = np.repeat(everyone, rng.poisson(3.5 * mig))
            if len(who):
                plan.add(
                    who,
                    self._agent_profile(who),
                    self._at(who, d, self._hours(who, 0.3)),
                    n_scale=1.8,
                    ctx_scale=1.4,
                    accept=0.75,
                )

            # Certification authors read regulations and evidence in long contexts.
            cert = on & (persona == P["certification_author"])
            who = np.repeat(everyone, rng.poisson(np.where(org.audit[:, w], 2.5, 0.4) * cert))
            if len(who):
                plan.add(who, PR["cc_longdoc"], self._at(who, d, self._hours(who, 0.1)))

            # Enablement coaches run live workshops with the same demo prompts every time.
            coach = on & org.workshop[:, w] & (dow in (1, 2, 3))
            who = np.repeat(everyone, rng.poisson(10.0 * coach))
            if len(who):
                pick = rng.random(len(who))
                has = org.has_tool
                prof = np.where(
                    pick < 0.35,
                    PR["cc_agent"],
                    np.where(
                        pick < 0.6, PR["cursor_agent"], np.where(pick < 0.8, PR["cc_chat"], PR["openai_chat"])
                    ),
                )
                prof = np.where(has[who, CURSOR] | (prof != PR["cursor_agent"]), prof, PR["cc_agent"])
                hours = rng.uniform(10.0, 16.0, len(who))
                plan.add(who, prof, self._at(who, d, hours), pmode=TEMPLATE, pbase=who * 8 + 3, pk=14)

            # Inflation.
            infl = active & adopted
            self._background(d, dow, infl & (style == S["background_agents"]))
            self._regenerate(d, infl & on & (style == S["regenerating_code"]))
            self._stuff(d, infl & on & (style == S["context_stuffing"]))
            self._trivia(d, infl & on & (style == S["premium_model_for_trivia"]))
            self._replay(d, dow, infl & org.employed[:, d] & (style == S["prompt_replay_script"]))
            self._prototype(d, infl & on & (style == S["throwaway_prototypes"]))

        self._disruptions(w)
        self._bursts(w)
        sessions = plan.take()
        lo = np.searchsorted(self.scheduled["start"], cal.start_ms + w * 7 * DAY_MS)
        hi = np.searchsorted(self.scheduled["start"], cal.start_ms + (w + 1) * 7 * DAY_MS)
        if w == 0:
            lo = 0
        if w == cal.weeks - 1:
            hi = len(self.scheduled["start"])
        return {key: np.concatenate([sessions[key], self.scheduled[key][lo:hi]]) for key in sessions}

    # ------------------------------------------------ real heavy episodes
    def _disruptions(self, w: int) -> None:
        org, rng = self.org, self.rng
        analysts = np.flatnonzero(org.persona == P["irops_analyst"])
        if not len(analysts):
            return
        for first_day, length, _region in org.disruptions:
            for d in range(first_day, first_day + length):
                if d // 7 != w or d >= org.cal.days:
                    continue
                here = analysts[
                    org.employed[analysts, d] & ~org.vacation[analysts, d] & (org.adopt_day[analysts] <= d)
                ]
                who = np.repeat(here, rng.poisson(7.0, len(here)))
                if not len(who):
                    continue
                pick = rng.random(len(who))
                has = org.has_tool
                prof = np.where(
                    pick < 0.5, PR["cc_agent"], np.where(pick < 0.75, PR["openai_chat"], PR["agent_run"])
                )
                prof = np.where(has[who, AGENT] | (prof != PR["agent_run"]), prof, PR["cc_agent"])
                self.plan.add(
                    who, prof, self._at(who, d, rng.uniform(6.0, 23.5, len(who))), n_scale=1.4, ctx_scale=1.5
                )

    # ----------------------------------------------------------- inflation
    def _background(self, d: int, dow: int, mask: np.ndarray) -> None:
        org, rng = self.org, self.rng
        people = np.flatnonzero(mask & org.employed[:, d])
        if not len(people):
            return
        prm = org.params
        working = org.avail[people, d]
        weekend = (dow >= 5) & (rng.random(len(people)) < prm["bg_weekend"][people])
        away = org.vacation[people, d] & prm["bg_vacation"][people]
        holiday = ~working & ~org.vacation[people, d] & (dow < 5)
        runs_today = working | weekend | away | holiday
        lam = prm["bg_runs"][people] * org.intensity[people] * runs_today
        who = np.repeat(people, rng.poisson(lam))
        if not len(who):
            return
        u = rng.random(len(who))
        hours = np.where(
            u < 0.6,
            rng.uniform(17.0, 23.5, len(who)),
            np.where(u < 0.85, rng.uniform(0.0, 5.0, len(who)), rng.uniform(9.0, 17.0, len(who))),
        )
        has = org.has_tool
        use_agent = has[who, AGENT] & (~has[who, CC] | (rng.random(len(who)) < 0.5))
        prof = np.where(use_agent, PR["bg_agent"], PR["bg_cc"])
        self.plan.add(
            who,
            prof,
            self._at(who, d, hours),
            n_scale=np.sqrt(org.intensity[who]),
            pmode=TEMPLATE,
            pbase=who * 8 + 1,
            pk=6,
            accept=0.02,
            style=S["background_agents"],
        )

    def _regenerate(self, d: int, mask: np.ndarray) -> None:
        org, rng = self.org, self.rng
        who = np.repeat(np.arange(org.people), rng.poisson(2.5 * org.intensity * mask))
        if not len(who):
            return
        prof = np.where(org.has_tool[who, CURSOR], PR["cursor_agent"], PR["cc_agent"])
        self.plan.add(
            who,
            prof,
            self._at(who, d, self._hours(who)),
            n_scale=1.5,
            out_scale=1.3,
            pmode=REGENERATE,
            pk=org.params["regen_repeat"][who].astype(np.int64),
            accept=rng.uniform(0.03, 0.12, len(who)),
            style=S["regenerating_code"],
        )

    def _stuff(self, d: int, mask: np.ndarray) -> None:
        org, rng = self.org, self.rng
        who = np.repeat(np.arange(org.people), rng.poisson(3.0 * org.intensity * mask))
        if not len(who):
            return
        prof = np.where(org.has_tool[who, CURSOR], PR["stuffed_cursor"], PR["stuffed_cc"])
        self.plan.add(who, prof, self._at(who, d, self._hours(who)), style=S["context_stuffing"])

    def _trivia(self, d: int, mask: np.ndarray) -> None:
        org, rng = self.org, self.rng
        who = np.repeat(np.arange(org.people), rng.poisson(14.0 * org.intensity * mask))
        if not len(who):
            return
        has = org.has_tool
        prof = np.where(has[who, CC], PR["trivia_cc"], PR["trivia_cursor"])
        prof = np.where(has[who, OPENAI] & (rng.random(len(who)) < 0.3), PR["trivia_openai"], prof)
        self.plan.add(who, prof, self._at(who, d, self._hours(who)), style=S["premium_model_for_trivia"])

    def _replay(self, d: int, dow: int, mask: np.ndarray) -> None:
        org, rng = self.org, self.rng
        prm = org.params
        for p in np.flatnonzero(mask):
            round_clock = bool(prm["replay_round_clock"][p])
            if dow >= 5 and not round_clock:
                continue
            every = prm["replay_every_min"][p] / max(org.intensity[p], 0.3)
            every = float(np.clip(every * 2.0, 12.0, 240.0))
            first, last = (0.0, 24.0) if round_clock else (org.chrono[p], org.chrono[p] + 9.0)
            hours = np.arange(first, last, every / 60.0) + rng.uniform(0, 0.02)
            person = np.full(len(hours), p)
            k = int(prm["replay_templates"][p])
            model = int(_REPLAY_MODELS[p % len(_REPLAY_MODELS)])
            self.plan.add(
                person,
                PR["replay"],
                self._at(person, d, hours),
                account=org.script_account[p],
                model=model,
                n=k,
                pmode=TEMPLATE,
                pbase=p * 8 + 2,
                pk=k,
                style=S["prompt_replay_script"],
            )

    def _prototype(self, d: int, mask: np.ndarray) -> None:
        org, rng = self.org, self.rng
        who = np.repeat(np.arange(org.people), rng.poisson(3.5 * org.intensity * mask))
        if not len(who):
            return
        self.plan.add(
            who,
            self._agent_profile(who),
            self._at(who, d, self._hours(who, 0.15)),
            n_scale=1.6,
            ctx_scale=1.2,
            accept=0.75,
            style=S["throwaway_prototypes"],
        )

    def _bursts(self, w: int) -> None:
        org, rng = self.org, self.rng
        week_start = org.cal.start_ms + w * 7 * DAY_MS
        people = np.flatnonzero(org.chase[:, w] & (org.persona == P["leaderboard_burst"]))
        for p in people:
            snap = int(self.snap[self.group[p], w])
            day = (snap - org.cal.start_ms) // DAY_MS
            if not (0 <= day < org.cal.days) or not org.employed[p, day] or org.vacation[p, day]:
                continue
            if org.adopt_day[p] > day:
                continue
            count = round(3 + 9 * org.intensity[p] * rng.uniform(0.4, 1.2))
            lead = org.params["burst_hours"][p] * HOUR_MS
            start = snap - (rng.uniform(0.05, 1.0, count) * lead).astype(np.int64) - 10 * MINUTE_MS
            start = np.maximum(start, week_start)
            who = np.full(count, p)
            self.plan.add(
                who, self._agent_profile(who), start, n_scale=2.5, gap_scale=0.6, style=S["leaderboard_burst"]
            )

    def topup(self, w: int, own: np.ndarray, peers: np.ndarray) -> dict[str, np.ndarray]:
        """Candidate top-up sessions for performers below their target; more than needed, to be trimmed."""
        org, rng = self.org, self.rng
        performers = np.flatnonzero(
            (org.persona == P["performative_topup"]) & org.active[:, w] & (org.adopt_day <= w * 7 + 6)
        )
        target = peers * org.params["topup_factor"]
        need = np.clip(target - own, 0, 4.0 * np.maximum(peers, 1e6))
        rows = []
        for p in performers:
            if need[p] <= 0:
                continue
            days = np.flatnonzero(org.avail[p, w * 7 : w * 7 + 7]) + w * 7
            if not len(days):
                continue
            count = int(np.ceil(need[p] / 400_000)) + 2
            rows.append((p, days, count))
        for p, days, count in rows:
            who = np.full(count, p)
            day = rng.choice(days, count)
            pick = rng.random(count)
            has = org.has_tool
            prof = self._agent_profile(who)
            prof = np.where((pick < 0.3) & has[p, CC], PR["cc_chat"], prof)
            prof = np.where((pick > 0.85) & has[p, COPILOT], PR["copilot_chat"], prof)
            template = rng.random() < 0.4
            self.plan.add(
                who,
                prof,
                self._at(who, day, self._hours(who)),
                pmode=TEMPLATE if template else None,
                pbase=p * 8 + 4,
                pk=5,
                style=S["performative_topup"],
            )
        return self.plan.take()


def _tool(profile_name: str) -> int:
    return int(PROFILE_TOOL[PR[profile_name]])


_REPLAY_MODELS = np.array([M["gpt-5"], M["gpt-4.1"], M["gpt-5-mini"]])
