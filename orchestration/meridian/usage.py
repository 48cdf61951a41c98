"""The token log: one week at a time, sessions are planned for everyone (ordinary work, reviews,
incidents, the heavy archetypes and the inflation styles), then expanded into requests.

A session is one sitting with one tool, model and account; its requests follow each other at the
profile's pace, and their context grows as a conversation or an agent run does. Copilot's inline
completions are reported as daily buckets per account, as its metrics export does.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyarrow as pa

from orchestration.meridian import catalog as cat
from orchestration.meridian.clock import US_PER_DAY, US_PER_S, US_PER_WEEK, Clock
from orchestration.meridian.delivery import Delivery
from orchestration.meridian.encode import hex_ids, mix64, salt
from orchestration.meridian.org import ONCALL, POWER, STAFF, Org
from orchestration.meridian.plan import RATE_KINDS, Plan
from orchestration.meridian.rhythm import work_instants

UNIQUE, CYCLE, PERSONAL, NOHASH = range(4)
P = cat.PROFILE
_PROFILES = cat.PROFILES
P_STEPS = np.array([p.steps for p in _PROFILES])
P_SHAPE = np.array([p.steps_shape for p in _PROFILES])
P_GAP = np.array([p.gap_s for p in _PROFILES])
P_LOG_IN = np.log(np.maximum([p.in_med for p in _PROFILES], 1.0))
P_IN_SIG = np.array([p.in_sig for p in _PROFILES])
P_CTX0 = np.array([p.ctx0 for p in _PROFILES])
P_CTX_STEP = np.array([p.ctx_step for p in _PROFILES])
P_CTX_CAP = np.array([p.ctx_cap for p in _PROFILES])
P_CW = np.array([p.cw_frac for p in _PROFILES])
P_LOG_OUT = np.log(np.maximum([p.out_med for p in _PROFILES], 1.0))
P_OUT_SIG = np.array([p.out_sig for p in _PROFILES])
P_LINES_P = np.array([p.lines_p for p in _PROFILES])
P_LOG_LINES = np.log(np.maximum([p.lines_med for p in _PROFILES], 1.0))
P_ACCEPT = np.array([p.accept for p in _PROFILES])
P_BIG_FIRST = np.array([p.big_first for p in _PROFILES])
P_LOG_BIG = np.log(np.maximum([p.big_med for p in _PROFILES], 1.0))

SUPPORT = np.zeros((len(cat.TOOLS), len(cat.KINDS)), dtype=bool)
for _tool, _kinds in cat.SUPPORTS.items():
    SUPPORT[_tool, list(_kinds)] = True
TOP_OF = np.array([m.top for m in cat.MODELS])
PRICES = np.array([[m.input, m.cached, m.cache_write, m.output] for m in cat.MODELS]) / 1e6
REPORTS_COST = np.array(cat.REPORTS_COST)
REPORTS_LINES = np.array(cat.REPORTS_LINES)
#: Chance that a review someone writes is prepared with an AI tool, by behaviour.
REVIEW_USE = np.array([0.0, 0.04, 0.15, 0.15, 0.4, 0.2, 0.15, 0.85, 0.2, 0.15, 0.05])


def _topup_step_tokens(length: float = 22.0) -> float:
    """Expected tokens of one request of a performative top-up session of `length` requests."""
    p = _PROFILES[P["topup"]]
    mean_in = p.in_med * np.exp(p.in_sig**2 / 2)
    mean_out = p.out_med * np.exp(p.out_sig**2 / 2)
    return p.ctx0 + p.ctx_step * (length - 1) / 2 + mean_in * (1 + p.cw_frac) + mean_out


TOPUP_STEP_TOKENS = _topup_step_tokens()

SESSION_FIELDS: dict[str, type] = {
    "person": np.int64,
    "account": np.int64,
    "tool": np.int64,
    "kind": np.int64,
    "profile": np.int64,
    "model": np.int64,
    "start": np.int64,
    "n": np.int64,
    "gap": np.float64,
    "regular": np.bool_,
    "repeat": np.int64,
    "style": np.int64,
    "hash_mode": np.int64,
    "hash_key": np.uint64,
    "hash_set": np.int64,
    "ctx_scale": np.float64,
    "accept": np.float64,
    "has_session": np.bool_,
}
DEFAULTS = {
    "regular": False,
    "repeat": 1,
    "style": -1,
    "hash_mode": UNIQUE,
    "hash_key": 0,
    "hash_set": 1,
    "ctx_scale": 1.0,
    "accept": 1.0,
    "has_session": True,
}

EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("occurred_at", pa.timestamp("us", tz="UTC")),
        ("source_tool", pa.string()),
        ("actor_id", pa.string()),
        ("session_id", pa.string()),
        ("model", pa.string()),
        ("request_kind", pa.string()),
        ("input_tokens", pa.int64()),
        ("cached_input_tokens", pa.int64()),
        ("cache_write_tokens", pa.int64()),
        ("output_tokens", pa.int64()),
        ("cost_usd", pa.decimal128(18, 8)),
        ("prompt_hash", pa.string()),
        ("lines_suggested", pa.int64()),
        ("lines_accepted", pa.int64()),
    ]
)


class Sessions:
    """Sessions of one week, collected in batches and concatenated once."""

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in SESSION_FIELDS}

    def add(self, person: np.ndarray, **values: object) -> None:
        n = len(person)
        if n == 0:
            return
        values["person"] = person
        if "gap" not in values:
            values["gap"] = P_GAP[np.asarray(values["profile"])]
        for name, dtype in SESSION_FIELDS.items():
            value = values[name] if name in values else DEFAULTS[name]
            self.parts[name].append(np.broadcast_to(np.asarray(value).astype(dtype), (n,)))

    def table(self) -> dict[str, np.ndarray]:
        return {
            name: np.concatenate(parts) if parts else np.empty(0, dtype=SESSION_FIELDS[name])
            for name, parts in self.parts.items()
        }


class TokenLog:
    """Writes nothing itself: `week(w)` returns each tool's Arrow table of that week, and the log keeps
    per person-week totals (tokens, events, cost, inflated requests by style) for the truth."""

    def __init__(self, clock: Clock, org: Org, plan: Plan, delivery: Delivery, seed: int) -> None:
        self.clock, self.org, self.plan, self.delivery, self.seed = clock, org, plan, delivery, seed
        people, weeks = org.people, clock.weeks
        self.tokens = np.zeros(people * weeks, dtype=np.int64)
        self.events = np.zeros(people * weeks, dtype=np.int64)
        self.cost = np.zeros(people * weeks)
        self.inflated = np.zeros(people * weeks * len(cat.STYLES), dtype=np.int64)
        self.previous = np.zeros(people)
        self.next_session = 0
        self.next_event = np.zeros(len(cat.TOOLS), dtype=np.int64)
        self.salts = {
            name: salt(name, seed)
            for name in ("prompt", "pool", "slash", "replay", "session", "bucket", "ci")
        }
        self.event_salt = [salt(f"event-{tool}", seed) for tool in cat.TOOLS]
        self.discount_us = clock.start_us + int(cat.SONNET_DISCOUNT_FROM * clock.weeks) * US_PER_WEEK
        self.accounts = pa.array(org.account_id, type=pa.string())
        self.models = pa.array([m.name for m in cat.MODELS], type=pa.string())
        self.kinds = pa.array(cat.KINDS, type=pa.string())
        self.tool_names = pa.array(cat.TOOLS, type=pa.string())
        incidents = delivery.incidents
        self.incident_week = incidents["week"]
        reviews = delivery.reviews
        self.review_week = (reviews["submitted"] - clock.start_us) // US_PER_WEEK

    # --- choosing tools, accounts, models ---------------------------------------------------------

    def pick_tool(
        self, rng: np.random.Generator, person: np.ndarray, kind: int, bias: Iterable[float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        weight = self.org.tool_weight[person] * SUPPORT[:, kind]
        if bias is not None:
            weight = weight * np.asarray(bias)
        total = weight.sum(axis=1)
        ok = total > 0
        cumulative = np.cumsum(weight, axis=1) / np.where(ok, total, 1.0)[:, None]
        tool = np.minimum((rng.random(len(person))[:, None] > cumulative).sum(axis=1), len(cat.TOOLS) - 1)
        return tool, ok

    def pick_account(self, rng: np.random.Generator, person: np.ndarray, tool: np.ndarray) -> np.ndarray:
        primary = self.org.primary_account[person, tool]
        secondary = self.org.secondary_account[person, tool]
        return np.where((secondary >= 0) & (rng.random(len(person)) < 0.3), secondary, primary)

    def pick_model(
        self, rng: np.random.Generator, tool: np.ndarray, kind: np.ndarray | int, top_p: np.ndarray | float
    ) -> np.ndarray:
        kind = np.broadcast_to(np.asarray(kind), tool.shape)
        model = np.full(len(tool), cat.SONNET)
        for (t, k), mix in cat.MODEL_MIX.items():
            chosen = (tool == t) & (kind == k)
            if chosen.any():
                ids, shares = zip(*mix, strict=True)
                model[chosen] = rng.choice(ids, size=int(chosen.sum()), p=np.array(shares) / sum(shares))
        upgrade = rng.random(len(tool)) < top_p
        return np.where(upgrade, TOP_OF[model], model)

    def _add(
        self,
        sessions: Sessions,
        rng: np.random.Generator,
        person: np.ndarray,
        kind: int,
        profile: np.ndarray | int,
        start: np.ndarray,
        n: np.ndarray,
        week: int,
        bias: Iterable[float] | None = None,
        model: np.ndarray | None = None,
        **values: object,
    ) -> None:
        """Sessions of `kind` for `person`, on a tool of theirs that serves it (dropped when none does)."""
        tool, ok = self.pick_tool(rng, person, kind, bias)
        keep = np.flatnonzero(ok)
        if len(keep) == 0:
            return
        person, tool = person[keep], tool[keep]
        for name, value in list(values.items()):
            if isinstance(value, np.ndarray) and value.shape == ok.shape:
                values[name] = value[keep]
        profile = np.broadcast_to(np.asarray(profile), ok.shape)[keep]
        chosen = (
            self.pick_model(rng, tool, kind, self.plan.top_p[person, week]) if model is None else model[keep]
        )
        values.setdefault("has_session", tool != cat.OPENAI_API)
        sessions.add(
            person,
            account=self.pick_account(rng, person, tool),
            tool=tool,
            kind=kind,
            profile=profile,
            model=chosen,
            start=start[keep],
            n=n[keep],
            **values,
        )

    @staticmethod
    def steps(rng: np.random.Generator, profile: np.ndarray) -> np.ndarray:
        mean, shape = P_STEPS[profile], P_SHAPE[profile]
        return 1 + rng.negative_binomial(shape, shape / (shape + np.maximum(mean - 1.0, 1e-9)))

    # --- one week ---------------------------------------------------------------------------------

    def week(self, w: int) -> dict[str, list[tuple[str, pa.Table]]]:
        rng = np.random.default_rng([self.seed, 0x6D6572, w])
        sessions = Sessions()
        self._ordinary(rng, sessions, w)
        self._reviews(rng, sessions, w)
        self._incidents(rng, sessions, w)
        self._inflation(rng, sessions, w)
        events = self.expand(rng, sessions.table())
        own = np.bincount(events["person"], weights=events["total"], minlength=self.org.people)
        topups = Sessions()
        self._topup(rng, topups, w, own)
        extra = self.expand(rng, topups.table())
        events = {key: np.concatenate([events[key], extra[key]]) for key in events}
        self.previous = own + np.bincount(extra["person"], weights=extra["total"], minlength=self.org.people)
        tables = self._tables(rng, events)
        tables.setdefault(cat.TOOLS[cat.OPENAI_API], []).append(
            ("service-accounts", self._service_account(rng, w))
        )
        return tables

    def _service_account(self, rng: np.random.Generator, w: int) -> pa.Table:
        """The CI evaluation job's shared API key: nobody's account, so the warehouse reports it as
        unmatched rather than charging it to a person."""
        per_day = rng.poisson(30, size=5)
        day = np.repeat(7 * w + np.arange(5), per_day)
        m = len(day)
        at = np.sort(
            self.clock.start_us
            + day * US_PER_DAY
            + (rng.uniform(1.0, 5.0, m) * 3600 * US_PER_S).astype(np.int64)
        )
        uncached = rng.lognormal(np.log(3000.0), 0.5, m).astype(np.int64)
        output = rng.lognormal(np.log(300.0), 0.5, m).astype(np.int64)
        price = PRICES[cat.GPT5_MINI]
        cost = np.round(uncached * price[0] + output * price[3], 8)
        number = (np.uint64(w) << np.uint64(32)) + np.arange(m, dtype=np.uint64)
        return pa.table(
            {
                "event_id": hex_ids(mix64(number ^ self.salts["ci"]), b"oai_"),
                "occurred_at": pa.array(at, type=pa.int64()).cast(pa.timestamp("us", tz="UTC")),
                "source_tool": pa.array([cat.TOOLS[cat.OPENAI_API]] * m, type=pa.string()),
                "actor_id": pa.array(["svc-ci-evals"] * m, type=pa.string()),
                "session_id": pa.nulls(m, type=pa.string()),
                "model": pa.array([cat.MODELS[cat.GPT5_MINI].name] * m, type=pa.string()),
                "request_kind": pa.array(["completion"] * m, type=pa.string()),
                "input_tokens": uncached,
                "cached_input_tokens": np.zeros(m, dtype=np.int64),
                "cache_write_tokens": np.zeros(m, dtype=np.int64),
                "output_tokens": output,
                "cost_usd": pa.array(cost).cast(pa.decimal128(18, 8), safe=False),
                "prompt_hash": hex_ids(
                    mix64(rng.integers(0, 200, m).astype(np.uint64) ^ self.salts["ci"]), b""
                ),
                "lines_suggested": pa.nulls(m, type=pa.int64()),
                "lines_accepted": pa.nulls(m, type=pa.int64()),
            },
            schema=EVENT_SCHEMA,
        )

    def _ordinary(self, rng: np.random.Generator, sessions: Sessions, w: int) -> None:
        org, plan = self.org, self.plan
        behaviour = org.behaviour
        for index, kind in enumerate(RATE_KINDS):
            count = rng.poisson(plan.rates[:, index, w])
            person = np.repeat(np.arange(org.people), count)
            n = len(person)
            if n == 0:
                continue
            draw = rng.random(n)
            if kind == cat.TAB:
                profile = np.full(n, P["tab"])
            elif kind == cat.CHAT:
                profile = np.where(plan.learner[person, w] & (draw < 0.7), P["learner"], P["chat"])
            elif kind == cat.AGENT:
                profile = np.select(
                    [plan.migration[person, w] & (draw < 0.75), behaviour[person] == POWER],
                    [P["migration"], P["agent_long"]],
                    P["agent"],
                )
            elif kind == cat.REVIEW:
                profile = np.full(n, P["review"])
            else:
                profile = np.full(n, P["completion"])
            crunching = plan.crunch[person, w] > 1.0
            evening = np.where(crunching, 0.2, np.where(behaviour[person] == POWER, 0.12, 0.06))
            _, start = work_instants(
                rng, self.clock, org, person, w, evening, np.where(crunching, 0.1, 0.025)
            )
            repeat = np.where((profile == P["chat"]) & (rng.random(n) < 0.05), 2, 1)
            style = np.full(n, -1)
            if kind in (cat.CHAT, cat.AGENT):
                regenerating = (plan.style[person, w] == cat.REGEN) & (
                    rng.random(n) < np.minimum(0.25 * plan.intensity[person, w], 0.7)
                )
                repeat = np.where(regenerating, rng.integers(2, 5, size=n), repeat)
                style = np.where(regenerating, cat.REGEN, style)
            self._add(
                sessions,
                rng,
                person,
                kind,
                profile,
                start,
                self.steps(rng, profile) * repeat,
                w,
                repeat=repeat,
                style=style,
                hash_mode=NOHASH if kind == cat.TAB else UNIQUE,
            )

        # Power users leave an agent working through the evening on a real task now and then.
        power = np.flatnonzero((behaviour == POWER) & (plan.adoption[:, w] > 0) & plan.available[:, w])
        power = power[rng.random(len(power)) < 0.15]
        if len(power):
            day = np.clip(
                7 * w + rng.integers(0, 4, size=len(power)), org.hire_day[power], org.leave_day[power]
            )
            start = self.clock.to_utc(org.zone[power], day, rng.uniform(18.5, 20.5, size=len(power)) * 3600.0)
            self._add(
                sessions,
                rng,
                power,
                cat.AGENT,
                P["overnight"],
                start,
                rng.integers(60, 160, size=len(power)),
                w,
                regular=True,
            )

    def _reviews(self, rng: np.random.Generator, sessions: Sessions, w: int) -> None:
        org, plan, reviews = self.org, self.plan, self.delivery.reviews
        mine = np.flatnonzero(self.review_week == w)
        reviewer = reviews["reviewer"][mine]
        use = (plan.adoption[reviewer, w] > 0) & (rng.random(len(mine)) < REVIEW_USE[org.behaviour[reviewer]])
        mine, reviewer = mine[use], reviewer[use]
        profile = np.where(org.behaviour[reviewer] == STAFF, P["review_deep"], P["review"])
        n = self.steps(rng, profile)
        lead = (n * P_GAP[profile] + rng.uniform(120, 900, size=len(n))) * US_PER_S
        start = reviews["submitted"][mine] - lead.astype(np.int64)
        self._add(sessions, rng, reviewer, cat.REVIEW, profile, start, n, w)

    def _incidents(self, rng: np.random.Generator, sessions: Sessions, w: int) -> None:
        org, plan, incidents = self.org, self.plan, self.delivery.incidents
        mine = np.flatnonzero(self.incident_week == w)
        responder = incidents["responder"][mine]
        chance = np.where(org.behaviour[responder] == ONCALL, 0.92, 0.5)
        use = (plan.adoption[responder, w] > 0) & (rng.random(len(mine)) < chance)
        mine, responder = mine[use], responder[use]
        acknowledged = incidents["acknowledged"][mine]
        resolved = incidents["resolved"][mine]
        until = np.where(resolved >= 0, resolved, acknowledged + 3 * 3600 * US_PER_S)
        n = np.clip((until - acknowledged) // (240 * US_PER_S), 3, 45)
        start = acknowledged + (rng.uniform(60, 480, size=len(mine)) * US_PER_S).astype(np.int64)
        agentic = rng.random(len(mine)) < 0.4
        for kind, chosen in ((cat.AGENT, agentic), (cat.CHAT, ~agentic)):
            self._add(sessions, rng, responder[chosen], kind, P["incident"], start[chosen], n[chosen], w)

    # --- inflation --------------------------------------------------------------------------------

    def _inflation(self, rng: np.random.Generator, sessions: Sessions, w: int) -> None:
        org, plan, clock = self.org, self.plan, self.clock
        style = np.where(plan.available[:, w], plan.style[:, w], -1)
        k = plan.intensity[:, w]

        def who(code: int, count: np.ndarray | None = None) -> np.ndarray:
            people = np.flatnonzero(style == code)
            return people if count is None else np.repeat(people, count[people])

        # Background agents left running on pointless tasks, mostly after hours.
        runs = 1 + np.minimum(rng.poisson(0.8 * k), 3)
        person = who(cat.IDLE, runs)
        if len(person):
            m = len(person)
            day = np.clip(7 * w + rng.integers(0, 5, size=m), org.hire_day[person], org.leave_day[person])
            evening = rng.random(m) < 0.7
            hour = np.where(
                evening, rng.uniform(17.0, 20.0, m), org.day_start[person] + rng.uniform(1.0, 5.0, m)
            )
            start = clock.to_utc(org.zone[person], day, hour * 3600.0)
            hours = np.clip(rng.lognormal(np.log(2.2 * np.sqrt(k[person])), 0.5), 0.75, 10.0)
            gap = rng.uniform(45.0, 150.0, m)
            model = np.where(rng.random(m) < 0.8, cat.SONNET, cat.HAIKU)
            self._add(
                sessions,
                rng,
                person,
                cat.AGENT,
                P["idle"],
                start,
                np.maximum(5, (hours * 3600 / gap).astype(np.int64)),
                w,
                bias=(2.0, 1.0, 0.0, 0.0, 4.0),
                model=model,
                gap=gap,
                regular=True,
                style=cat.IDLE,
                hash_mode=CYCLE,
                hash_key=mix64(rng.integers(0, 1 << 62, size=m)),
                hash_set=rng.integers(3, 7, size=m),
                ctx_scale=rng.uniform(0.4, 1.3, m),
                accept=0.0,
            )

        # Regenerating code that is already written, over and over.
        person = who(cat.REGEN, 2 + rng.poisson(2.0 * k))
        if len(person):
            m = len(person)
            repeat = rng.integers(2, 7, size=m)
            profile = np.full(m, P["regen"])
            _, start = work_instants(rng, clock, org, person, w)
            self._add(
                sessions,
                rng,
                person,
                cat.CHAT,
                profile,
                start,
                self.steps(rng, profile) * repeat,
                w,
                bias=(2.0, 2.0, 0.5, 1.0, 0.0),
                repeat=repeat,
                style=cat.REGEN,
            )

        # Whole codebases pasted into a fresh chat each time: huge inputs, nothing cached.
        person = who(cat.STUFF, np.maximum(1, rng.poisson(6.0 + 14.0 * k)))
        if len(person):
            m = len(person)
            _, start = work_instants(rng, clock, org, person, w)
            self._add(
                sessions,
                rng,
                person,
                cat.CHAT,
                P["stuff"],
                start,
                np.minimum(1 + rng.poisson(0.8, m), 3),
                w,
                bias=(2.0, 2.0, 0.0, 2.0, 0.0),
                style=cat.STUFF,
            )

        # The most expensive model for one-line questions.
        person = who(cat.TRIVIA, np.maximum(1, rng.poisson(30.0 + 50.0 * k)))
        if len(person):
            m = len(person)
            _, start = work_instants(rng, clock, org, person, w, 0.15)
            tool, _ = self.pick_tool(rng, person, cat.CHAT, (2.0, 1.0, 0.0, 1.0, 0.0))
            model = np.where(tool == cat.OPENAI_API, cat.O3_PRO, cat.OPUS)
            self._add(
                sessions,
                rng,
                person,
                cat.CHAT,
                P["trivia"],
                start,
                1 + rng.integers(0, 3, size=m),
                w,
                bias=(2.0, 1.0, 0.0, 1.0, 0.0),
                model=model,
                style=cat.TRIVIA,
            )

        self._replay(rng, sessions, w, who(cat.REPLAY), k)

        # Features nobody asked for, built by agents and thrown away (their pull requests close unmerged).
        person = who(cat.PROTOTYPES, 2 + rng.poisson(2.0 * k))
        if len(person):
            profile = np.full(len(person), P["prototype"])
            _, start = work_instants(rng, clock, org, person, w, 0.1)
            self._add(
                sessions,
                rng,
                person,
                cat.AGENT,
                profile,
                start,
                self.steps(rng, profile),
                w,
                style=cat.PROTOTYPES,
            )

        self._burst(rng, sessions, w, who(cat.BURST), k)

    def _replay(
        self, rng: np.random.Generator, sessions: Sessions, w: int, people: np.ndarray, k: np.ndarray
    ) -> None:
        """A script replays the same few prompts on a timer, through an API key or `claude -p`."""
        org = self.org
        for p in people:
            account = int(org.replay_account[p])
            if account < 0:
                continue
            habits = mix64(
                np.arange(4, dtype=np.uint64) + np.uint64(p) * np.uint64(16) ^ self.salts["replay"]
            )
            all_day = habits[0] % np.uint64(10) < np.uint64(4)
            interval = (
                (900.0, 1800.0)[int(habits[1] % np.uint64(2))]
                if all_day
                else (600.0, 900.0, 1800.0)[int(habits[1] % np.uint64(3))]
            )
            prompts = 1 + int(habits[2] % np.uint64(4))
            tool = int(org.account_tool[account])
            if tool == cat.OPENAI_API:
                model = (cat.GPT5_MINI, cat.GPT5)[int(habits[3] % np.uint64(2))]
            else:
                model = cat.SONNET
            days = rng.permutation(5)[: min(5, 1 + rng.poisson(1.5 * k[p]))]
            day = np.clip(7 * w + days, org.hire_day[p], org.leave_day[p])
            first_hour = np.zeros(len(day)) if all_day else rng.uniform(7.5, 9.0, len(day))
            length_h = 24.0 if all_day else 11.0
            start = self.clock.to_utc(np.full(len(day), org.zone[p]), day, first_hour * 3600.0)
            fires = int(length_h * 3600 / interval)
            person = np.full(len(day), p)
            sessions.add(
                person,
                account=account,
                tool=tool,
                kind=cat.COMPLETION if tool == cat.OPENAI_API else cat.CHAT,
                profile=P["replay"],
                model=model,
                start=start,
                n=fires * prompts,
                gap=interval,
                regular=True,
                style=cat.REPLAY,
                hash_mode=PERSONAL,
                hash_key=mix64(np.uint64(p) ^ self.salts["replay"]),
                hash_set=prompts,
                has_session=False,
            )

    def _burst(
        self, rng: np.random.Generator, sessions: Sessions, w: int, people: np.ndarray, k: np.ndarray
    ) -> None:
        """A rush of long, verbose requests in the hours before the department's leaderboard snapshot."""
        org, clock = self.org, self.clock
        if len(people) == 0:
            return
        weekday = np.array([cat.DEPARTMENTS[d].snapshot[0] for d in org.dept[people]])
        hour = np.array([cat.DEPARTMENTS[d].snapshot[1] for d in org.dept[people]], dtype=float)
        zone = np.array([cat.ZONES.index(cat.DEPARTMENTS[d].snapshot[2]) for d in org.dept[people]])
        day = 7 * w + weekday
        snapshot = clock.to_utc(zone, day, hour * 3600.0)
        employed = (org.hire_day[people] <= day) & (org.leave_day[people] >= day)
        people, snapshot = people[employed], snapshot[employed]
        count = 3 + rng.poisson(4.0 * k[people])
        person = np.repeat(people, count)
        snap = np.repeat(snapshot, count)
        window_h = np.repeat(rng.uniform(1.0, 5.0, len(people)) * k[people] ** 0.3, count)
        m = len(person)
        profile = np.full(m, P["burst"])
        n = self.steps(rng, profile)
        lead = rng.uniform(0.1, 1.0, m) * window_h * 3600 + n * P_GAP[profile]
        start = snap - (lead * US_PER_S).astype(np.int64)
        agentic = rng.random(m) < 0.5
        for kind, chosen in ((cat.AGENT, agentic), (cat.CHAT, ~agentic)):
            self._add(
                sessions,
                rng,
                person[chosen],
                kind,
                profile[chosen],
                start[chosen],
                n[chosen],
                w,
                style=cat.BURST,
            )

    def _topup(self, rng: np.random.Generator, sessions: Sessions, w: int, own: np.ndarray) -> None:
        """Performative use on top of a normal week, up to just above the team's average of last week
        (of this week in the first), as the team dashboard shows it."""
        org, plan = self.org, self.plan
        people = np.flatnonzero((plan.style[:, w] == cat.TOPUP) & plan.available[:, w])
        if len(people) == 0:
            return
        seen = self.previous if w > 0 else own
        users = org.is_engineer & (seen > 0)
        teams = len(org.team_id)
        average = np.bincount(org.team, weights=seen * users, minlength=teams) / np.maximum(
            np.bincount(org.team, weights=users, minlength=teams), 1
        )
        target = average[org.team[people]] * plan.topup_factor[people] * rng.uniform(0.95, 1.08, len(people))
        need = target - own[people]
        going = need > 0.1 * target
        people, need = people[going], need[going]
        steps = np.maximum(3, need / TOPUP_STEP_TOKENS).astype(np.int64)
        count = np.maximum(1, np.ceil(steps / 22.0).astype(np.int64))
        person = np.repeat(people, count)
        n = np.maximum(3, np.repeat(steps // count, count))
        _, start = work_instants(rng, self.clock, org, person, w)
        self._add(sessions, rng, person, cat.AGENT, P["topup"], start, n, w, style=cat.TOPUP)

    # --- requests ---------------------------------------------------------------------------------

    def expand(self, rng: np.random.Generator, s: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Every session's requests: times, tokens, lines, prompt hashes, cost; only those inside the
        period and the person's employment are kept."""
        n = s["n"]
        sessions = len(n)
        total = int(n.sum())
        sid = np.repeat(np.arange(sessions), n)
        first = np.cumsum(n) - n
        step = np.arange(total) - first[sid]
        profile = s["profile"][sid]
        repeat = s["repeat"][sid]
        logical = step // repeat
        within = step % repeat
        again = within > 0
        tool = s["tool"][sid]
        kind = s["kind"][sid]
        person = s["person"][sid]

        gap = s["gap"][sid]
        spacing = np.where(
            s["regular"][sid],
            gap * np.clip(rng.normal(1.0, 0.12, total), 0.5, 1.5),
            rng.exponential(1.0, total) * gap,
        )
        spacing = np.where(again, rng.uniform(8.0, 60.0, total), spacing)
        spacing[first[n > 0]] = 0.0
        elapsed = np.cumsum(spacing)
        elapsed -= elapsed[first][sid]
        start = s["start"][sid]
        at = start + (elapsed * US_PER_S).astype(np.int64)
        replay = profile == P["replay"]
        prompts = s["hash_set"][sid]
        timer = (step // prompts) * gap + (step % prompts) * 3.0 + rng.normal(0.0, 4.0, total)
        at = np.where(replay, start + (timer * US_PER_S).astype(np.int64), at)

        # Prompt hashes: new prompts, a few shared ones, loops, and scripts' fixed sets.
        mode = s["hash_mode"][sid]
        gid = (self.next_session + sid).astype(np.uint64)
        fresh = mix64(((gid << np.uint64(12)) + logical.astype(np.uint64)) ^ self.salts["prompt"])
        shared = mix64(self.salts["pool"] + rng.integers(0, 40, total).astype(np.uint64))
        slash = mix64(self.salts["slash"] + (person * 8 + rng.integers(0, 4, total)).astype(np.uint64))
        looped = mix64(s["hash_key"][sid] + (logical % s["hash_set"][sid]).astype(np.uint64))
        draw = rng.random(total)
        prompt = np.select(
            [
                (mode == CYCLE) | (mode == PERSONAL),
                (profile == P["agent_long"]) & (step == 0) & (draw < 0.5),
                (mode == UNIQUE) & (draw > 0.97),
            ],
            [looped, slash, shared],
            fresh,
        )

        # Tokens.
        uncached = rng.lognormal(P_LOG_IN[profile], P_IN_SIG[profile])
        big = step < P_BIG_FIRST[profile]
        uncached = np.where(big, np.minimum(rng.lognormal(P_LOG_BIG[profile], 0.6), 190_000.0), uncached)
        uncached = np.where(profile == P["stuff"], np.clip(uncached, 60_000, 195_000), uncached)
        scale = s["ctx_scale"][sid]
        base = P_CTX0[profile] * scale
        context = base + P_CTX_STEP[profile] * logical
        span = np.maximum(P_CTX_CAP[profile] * scale - base, 0.0)
        context = np.where(
            (span > 0) & (context > base + span),
            base + np.mod(context - base, np.maximum(span, 1.0)),
            context,
        )
        cached = np.where(step == 0, 0.6 * base, context)
        written = P_CW[profile] * uncached * rng.lognormal(0.0, 0.3, total) + np.where(
            step == 0, 0.4 * base, 0.0
        )
        group_first = np.arange(total) - within
        cached = np.where(again, cached[group_first] + uncached[group_first], cached)
        uncached = np.where(again, rng.uniform(40.0, 300.0, total), uncached)
        written = np.where(again, 0.0, written)
        output = rng.lognormal(P_LOG_OUT[profile], P_OUT_SIG[profile])

        fixed = 2500.0 + (prompt % np.uint64(12000)).astype(np.float64)
        warm = (step >= prompts) & (tool != cat.COPILOT)
        cached = np.where(replay, np.where(warm, 0.8 * fixed, 0.0), cached)
        uncached = np.where(replay, np.where(warm, 0.2 * fixed, fixed), uncached)
        written = np.where(replay, np.where(~warm & (tool == cat.CLAUDE_CODE), 0.8 * fixed, 0.0), written)
        answer = 250.0 + ((prompt >> np.uint64(20)) % np.uint64(900)).astype(np.float64)
        output = np.where(replay, answer * rng.uniform(0.85, 1.15, total), output)

        model = s["model"][sid]
        side = (
            (tool == cat.CLAUDE_CODE)
            & (kind == cat.AGENT)
            & (step > 0)
            & (profile != P["idle"])
            & (rng.random(total) < 0.1)
        )
        model = np.where(side, cat.HAIKU, model)
        uncached = np.where(side, rng.lognormal(np.log(700.0), 0.6, total), uncached)
        cached = np.where(side, 0.0, cached)
        written = np.where(side, 0.0, written)
        output = np.where(side, rng.lognormal(np.log(40.0), 0.6, total), output)

        copilot = tool == cat.COPILOT
        uncached = np.where(copilot, uncached + cached, uncached)
        cached = np.where(copilot, 0.0, cached)
        written = np.where(copilot | (tool == cat.OPENAI_API), 0.0, written)
        uncached, cached, written, output = (
            np.rint(values).astype(np.int64) for values in (uncached, cached, written, output)
        )

        # Lines of code proposed and accepted.
        reports = REPORTS_LINES[tool] & np.isin(kind, (cat.CHAT, cat.AGENT, cat.TAB)) & ~side & ~replay
        proposing = rng.random(total) < P_LINES_P[profile]
        suggested = np.where(proposing, 1 + np.floor(rng.lognormal(P_LOG_LINES[profile], 0.7)), 0).astype(
            np.int64
        )
        chance = P_ACCEPT[profile] * s["accept"][sid]
        whole = np.where(rng.random(total) < chance, suggested, 0)
        part = np.rint(suggested * np.clip(rng.normal(chance, 0.15), 0.0, 1.0)).astype(np.int64)
        accepted = np.where(kind == cat.TAB, whole, part)
        last = within == repeat - 1
        kept = np.where(rng.random(total) < 0.3, np.rint(0.8 * suggested).astype(np.int64), 0)
        accepted = np.where(profile == P["regen"], np.where(last, kept, 0), accepted)
        accepted = np.where((repeat > 1) & ~last, 0, np.minimum(accepted, suggested))

        # Cost as the tool bills it (Sonnet's price drops under the enterprise agreement).
        price = PRICES[model]
        discount = np.where((model == cat.SONNET) & (at >= self.discount_us), cat.SONNET_DISCOUNT, 1.0)
        cost = (
            uncached * price[:, 0] + cached * price[:, 1] + written * price[:, 2] + output * price[:, 3]
        ) * discount

        day = (at - self.clock.start_us) // US_PER_DAY
        keep = (
            (at >= self.clock.start_us)
            & (at < self.clock.end_us)
            & (day >= self.org.hire_day[person])
            & (day <= self.org.leave_day[person])
        )
        self.next_session += sessions
        events = {
            "person": person,
            "tool": tool,
            "account": s["account"][sid],
            "kind": kind,
            "model": model,
            "at": at,
            "input": uncached,
            "cached": cached,
            "written": written,
            "output": output,
            "total": uncached + cached + written + output,
            "cost": np.round(cost, 8),
            "prompt": prompt,
            "has_prompt": mode != NOHASH,
            "session": gid,
            "has_session": s["has_session"][sid] & ~(copilot & (kind == cat.TAB)),
            "suggested": suggested,
            "accepted": accepted,
            "has_lines": reports,
            "style": s["style"][sid],
        }
        return {key: value[keep] for key, value in events.items()}

    # --- tables -----------------------------------------------------------------------------------

    def _count(self, events: dict[str, np.ndarray]) -> None:
        weeks = self.clock.weeks
        week = np.clip((events["at"] - self.clock.start_us) // US_PER_WEEK, 0, weeks - 1)
        cell = events["person"] * weeks + week
        size = self.org.people * weeks
        self.tokens += np.bincount(cell, weights=events["total"], minlength=size).astype(np.int64)
        self.events += np.bincount(cell, minlength=size)
        self.cost += np.bincount(cell, weights=events["cost"], minlength=size)
        styled = events["style"] >= 0
        self.inflated += np.bincount(
            cell[styled] * len(cat.STYLES) + events["style"][styled], minlength=size * len(cat.STYLES)
        )

    def _bucket_copilot_tabs(self, events: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Copilot reports inline completions per account and day, not per request."""
        tabs = (events["tool"] == cat.COPILOT) & (events["kind"] == cat.TAB)
        rest = {key: value[~tabs] for key, value in events.items()}
        if not tabs.any():
            return rest
        day = (events["at"][tabs] - self.clock.start_us) // US_PER_DAY
        key = events["account"][tabs] * 4096 + day
        unique, inverse = np.unique(key, return_inverse=True)

        def total(column: str) -> np.ndarray:
            return np.bincount(inverse, weights=events[column][tabs], minlength=len(unique)).astype(np.int64)

        account = unique // 4096
        m = len(unique)
        bucket = {
            "person": self.org.account_person[account],
            "tool": np.full(m, cat.COPILOT),
            "account": account,
            "kind": np.full(m, cat.TAB),
            "model": np.full(m, cat.COPILOT_TAB),
            "at": self.clock.start_us + (unique % 4096) * US_PER_DAY,
            "input": total("input"),
            "cached": np.zeros(m, dtype=np.int64),
            "written": np.zeros(m, dtype=np.int64),
            "output": total("output"),
            "total": total("total"),
            "cost": np.zeros(m),
            "prompt": np.zeros(m, dtype=np.uint64),
            "has_prompt": np.zeros(m, dtype=bool),
            "session": mix64(unique.astype(np.uint64) ^ self.salts["bucket"]),
            "has_session": np.zeros(m, dtype=bool),
            "suggested": total("suggested"),
            "accepted": total("accepted"),
            "has_lines": np.ones(m, dtype=bool),
            "style": np.full(m, -1),
        }
        return {key: np.concatenate([rest[key], bucket[key]]) for key in rest}

    def _tables(
        self, rng: np.random.Generator, events: dict[str, np.ndarray]
    ) -> dict[str, list[tuple[str, pa.Table]]]:
        events = self._bucket_copilot_tabs(events)
        self._count(events)
        tables: dict[str, list[tuple[str, pa.Table]]] = {}
        for tool, name in enumerate(cat.TOOLS):
            rows = np.flatnonzero(events["tool"] == tool)
            if len(rows) == 0:
                continue
            rows = rows[np.argsort(events["at"][rows], kind="stable")]
            part = {key: value[rows] for key, value in events.items()}
            m = len(rows)
            number = (self.next_event[tool] + np.arange(m)).astype(np.uint64)
            self.next_event[tool] += m
            bucketed = (part["kind"] == cat.TAB) & (tool == cat.COPILOT)
            prefix = np.where(
                bucketed[:, None],
                np.frombuffer(b"cpd_", dtype=np.uint8)[None, :],
                np.frombuffer(cat.EVENT_PREFIX[tool], dtype=np.uint8)[None, :],
            ).astype(np.uint8)
            has_cost = np.full(m, REPORTS_COST[tool]) & ~bucketed
            table = pa.table(
                {
                    "event_id": hex_ids(mix64(number ^ self.event_salt[tool]), prefix),
                    "occurred_at": pa.array(part["at"], type=pa.int64()).cast(pa.timestamp("us", tz="UTC")),
                    "source_tool": self.tool_names.take(pa.array(part["tool"])),
                    "actor_id": self.accounts.take(pa.array(part["account"])),
                    "session_id": hex_ids(
                        mix64(part["session"] ^ self.salts["session"]), b"ses_", part["has_session"]
                    ),
                    "model": self.models.take(pa.array(part["model"])),
                    "request_kind": self.kinds.take(pa.array(part["kind"])),
                    "input_tokens": part["input"],
                    "cached_input_tokens": part["cached"],
                    "cache_write_tokens": part["written"],
                    "output_tokens": part["output"],
                    "cost_usd": pa.array(part["cost"], mask=~has_cost).cast(pa.decimal128(18, 8), safe=False),
                    "prompt_hash": hex_ids(part["prompt"], b"", part["has_prompt"]),
                    "lines_suggested": pa.array(part["suggested"], mask=~part["has_lines"]),
                    "lines_accepted": pa.array(part["accepted"], mask=~part["has_lines"]),
                },
                schema=EVENT_SCHEMA,
            )
            tables[name] = [("part-0", table)]
            if tool == cat.CURSOR:
                # Cursor's daily export overlaps the previous one: a few requests land twice.
                again = np.flatnonzero(rng.random(m) < 0.02)
                if len(again):
                    tables[name].append(("reexport-0", table.take(pa.array(again))))
        return tables
