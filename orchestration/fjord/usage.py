"""How Fjord's people use AI tools: sessions planned per person-week, then expanded into requests.

A session is one row of numbers (who, tool, model, kind, start, requests, pacing and token shape);
`expand` turns many sessions at once into per-request arrays with NumPy. Token shapes follow the
tools: an agent turn re-reads its growing conversation from the prompt cache, a chat carries its
history, an IDE's tab completions arrive as hourly usage buckets, a batch job sends fixed prompts
back to back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from orchestration.fjord.calendar import HOUR, Calendar
from orchestration.fjord.catalog import (
    KIND,
    MODEL,
    TOOL,
    TOOL_MODELS,
)
from orchestration.fjord.delivery import Delivery
from orchestration.fjord.org import INFLATOR, Org, Person, ai_active, workdays

# Columns of a session row.
(
    PERSON,
    TOOL_,
    MODEL_,
    KIND_,
    START,
    N,
    GAP,
    REGULAR,
    INP,
    INP_SIG,
    FIXED,
    CTX0,
    GROW,
    CAP,
    CW,
    OUT,
    OUT_SIG,
    SUGG,
    ACC,
    HMODE,
    HBASE,
    POOL,
    LIMIT,
    TAG,
) = range(24)
WIDTH = 24

# Prompt-hash modes: a new prompt every request, one of a fixed pool, the same prompt retried
# `pool` times in a row, none (usage buckets), or a fixed suite walked in order.
H_UNIQUE, H_POOL, H_RETRY, H_NONE, H_SUITE = range(5)
# What a session is, for the truth: the person's work, or usage planted by an inflation style.
TAG_WORK, TAG_INFLATED = 0, 1

_BASE = {
    "gap": 60.0,
    "regular": 0.0,
    "inp": 1_000.0,
    "inp_sig": 0.8,
    "fixed": 0.0,
    "ctx0": 0.0,
    "grow": 0.0,
    "cap": 150_000.0,
    "cw": 0.0,
    "out": 500.0,
    "out_sig": 0.7,
    "sugg": 0.0,
    "acc": 0.0,
    "hmode": H_UNIQUE,
    "pool": 0.0,
}
PRESETS: dict[str, dict[str, float]] = {
    name: _BASE | values
    for name, values in {
        "tab": {
            "inp": 32_000,
            "inp_sig": 0.5,
            "out": 1_300,
            "out_sig": 0.5,
            "sugg": 40,
            "acc": 0.3,
            "hmode": H_NONE,
        },
        "chat": {
            "gap": 80,
            "inp": 1_300,
            "inp_sig": 1.0,
            "grow": 1_500,
            "cap": 120_000,
            "out": 550,
            "out_sig": 0.8,
            "sugg": 6,
            "acc": 0.35,
        },
        "agent": {
            "gap": 22,
            "inp": 900,
            "inp_sig": 1.1,
            "ctx0": 16_000,
            "grow": 2_300,
            "cap": 170_000,
            "cw": 1_200,
            "out": 380,
            "out_sig": 1.0,
            "sugg": 2.5,
            "acc": 0.55,
        },
        "review": {
            "gap": 45,
            "inp": 26_000,
            "inp_sig": 0.7,
            "ctx0": 5_000,
            "cap": 60_000,
            "out": 1_000,
            "out_sig": 0.6,
        },
        "design": {
            "gap": 110,
            "inp": 2_000,
            "inp_sig": 0.9,
            "ctx0": 18_000,
            "grow": 2_200,
            "cap": 140_000,
            "cw": 1_500,
            "out": 1_100,
            "out_sig": 0.7,
            "sugg": 2,
            "acc": 0.2,
        },
        "learn": {
            "gap": 70,
            "inp": 2_800,
            "inp_sig": 1.1,
            "ctx0": 12_000,
            "grow": 3_000,
            "cap": 150_000,
            "cw": 2_000,
            "out": 900,
            "out_sig": 0.7,
            "sugg": 4,
            "acc": 0.3,
        },
        "incident": {
            "gap": 150,
            "inp": 32_000,
            "inp_sig": 0.9,
            "grow": 4_500,
            "cap": 180_000,
            "out": 750,
            "sugg": 1,
            "acc": 0.3,
        },
        "eval": {
            "gap": 1.6,
            "regular": 1,
            "inp": 3_200,
            "fixed": 1,
            "out": 550,
            "out_sig": 0.5,
            "hmode": H_SUITE,
        },
        "translate": {"gap": 3.0, "regular": 1, "inp": 6_500, "inp_sig": 0.5, "out": 7_000, "out_sig": 0.5},
        "bg_agent": {
            "gap": 90,
            "inp": 700,
            "inp_sig": 1.0,
            "ctx0": 30_000,
            "grow": 1_600,
            "cap": 140_000,
            "cw": 1_000,
            "out": 320,
            "out_sig": 1.0,
            "sugg": 3,
        },
        "codemod": {
            "gap": 18,
            "inp": 1_500,
            "ctx0": 22_000,
            "grow": 1_800,
            "cap": 150_000,
            "cw": 1_500,
            "out": 900,
            "sugg": 14,
            "acc": 0.8,
        },
        "regen": {
            "gap": 60,
            "inp": 2_600,
            "inp_sig": 0.0,
            "fixed": 1,
            "ctx0": 12_000,
            "grow": 400,
            "cap": 60_000,
            "cw": 800,
            "out": 5_200,
            "out_sig": 0.5,
            "sugg": 320,
            "acc": 0.02,
            "hmode": H_RETRY,
        },
        "stuff": {"gap": 300, "inp": 380_000, "inp_sig": 0.5, "out": 900, "sugg": 12, "acc": 0.1},
        "trivial": {
            "gap": 140,
            "inp": 450,
            "inp_sig": 0.7,
            "ctx0": 9_000,
            "grow": 600,
            "cap": 60_000,
            "cw": 600,
            "out": 2_600,
            "out_sig": 0.6,
            "sugg": 3,
            "acc": 0.2,
        },
        "replay": {
            "gap": 300,
            "regular": 1,
            "inp": 1_800,
            "fixed": 1,
            "out": 500,
            "out_sig": 0.25,
            "hmode": H_POOL,
        },
        "topup": {
            "gap": 70,
            "inp": 1_500,
            "inp_sig": 0.9,
            "grow": 1_800,
            "cap": 120_000,
            "out": 700,
            "sugg": 8,
            "acc": 0.05,
            "hmode": H_POOL,
        },
        "burst": {
            "gap": 16,
            "inp": 1_000,
            "inp_sig": 1.0,
            "ctx0": 20_000,
            "grow": 2_600,
            "cap": 170_000,
            "cw": 1_400,
            "out": 600,
            "out_sig": 0.9,
            "sugg": 4,
            "acc": 0.1,
        },
    }.items()
}
_ORDER = (
    "gap",
    "regular",
    "inp",
    "inp_sig",
    "fixed",
    "ctx0",
    "grow",
    "cap",
    "cw",
    "out",
    "out_sig",
    "sugg",
    "acc",
    "hmode",
    "hbase",
    "pool",
)

#: Per working day: tab-completion hours, chats, agent sessions, and agent turns (median).
LEVELS = {
    "light": (0.7, 0.35, 0.04, 8),
    "steady": (1.8, 0.8, 0.18, 12),
    "tab_only": (4.5, 0.03, 0.0, 8),
    "power": (1.5, 1.1, 0.9, 20),
    "staff": (1.8, 1.0, 0.25, 12),
    "learner": (1.5, 0.5, 0.25, 10),
    "manager": (0.0, 0.4, 0.01, 6),
}

#: Chance of some weekend use in a week, per level.
WEEKEND = {"light": 0.03, "steady": 0.07, "power": 0.3, "staff": 0.1, "learner": 0.06, "manager": 0.05}


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijection on 64-bit integers (distinct in, distinct out)."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


@dataclass
class Events:
    """Expanded requests, column arrays appended chunk by chunk."""

    parts: list[dict[str, np.ndarray]] = field(default_factory=list)

    def add(self, part: dict[str, np.ndarray]) -> None:
        if len(part["ts"]):
            self.parts.append(part)

    def concat(self) -> dict[str, np.ndarray]:
        keys = self.parts[0].keys() if self.parts else _EMPTY.keys()
        return {k: np.concatenate([p[k] for p in self.parts]) if self.parts else _EMPTY[k] for k in keys}


_EMPTY = {
    "ts": np.zeros(0),
    "person": np.zeros(0, np.int32),
    "tool": np.zeros(0, np.int8),
    "model": np.zeros(0, np.int16),
    "kind": np.zeros(0, np.int8),
    "session": np.zeros(0, np.int64),
    "inp": np.zeros(0, np.int64),
    "cached": np.zeros(0, np.int64),
    "cw": np.zeros(0, np.int64),
    "out": np.zeros(0, np.int64),
    "sugg": np.zeros(0, np.int32),
    "acc": np.zeros(0, np.int32),
    "hash": np.zeros(0, np.uint64),
    "tag": np.zeros(0, np.int8),
}
_COPILOT, _OPENAI = TOOL["copilot"], TOOL["openai_api"]


def expand(rows: np.ndarray, rng: np.random.Generator, start_epoch: float, session_offset: int) -> dict:
    """Requests of many sessions at once; requests at or after a session's limit are dropped."""
    if rows.shape[0] == 0:
        return {k: v.copy() for k, v in _EMPTY.items()}
    n = rows[:, N].astype(np.int64)
    total = int(n.sum())
    sid = np.repeat(np.arange(rows.shape[0]), n)
    first = np.cumsum(n) - n
    pos = np.arange(total) - np.repeat(first, n)
    ev = rows[sid]
    gap = ev[:, GAP]
    regular = ev[:, REGULAR] > 0
    step = np.where(
        regular, gap * (1.0 + rng.normal(0.0, 0.03, total)), rng.exponential(1.0, total) * gap + 2.0
    )
    step[pos == 0] = 0.0
    c = np.cumsum(step)
    ts = ev[:, START] + c - np.repeat(c[first], n)

    hmode = ev[:, HMODE].astype(np.int8)
    pool = np.maximum(ev[:, POOL], 1.0).astype(np.int64)
    pick = np.select(
        [hmode == H_POOL, hmode == H_RETRY, hmode == H_SUITE],
        [rng.integers(0, 1 << 30, total) % pool, pos // pool, pos % pool],
        0,
    )
    keyed = mix64(ev[:, HBASE].astype(np.uint64) * np.uint64(1_000_003) + pick.astype(np.uint64))
    fresh = rng.integers(1, np.iinfo(np.int64).max, total, dtype=np.int64).astype(np.uint64)
    digest = np.where(hmode == H_UNIQUE, fresh, np.where(hmode == H_NONE, np.uint64(0), keyed))
    unit = (keyed >> np.uint64(11)).astype(np.float64) / float(1 << 53)

    inp_random = ev[:, INP] * np.exp(ev[:, INP_SIG] * rng.normal(0.0, 1.0, total))
    inp = np.where(ev[:, FIXED] > 0, ev[:, INP] * (0.5 + unit), inp_random)
    inp = np.minimum(inp, 990_000.0)
    ctx0 = ev[:, CTX0] * (1.0 + 0.05 * rng.normal(0.0, 1.0, total))
    span = np.maximum(ev[:, CAP] - ev[:, CTX0], 1.0)
    cached = np.where(pos == 0, 0.0, ctx0 + np.mod(ev[:, GROW] * pos, span))
    cw_med = ev[:, CW]
    cw = np.where(cw_med > 0, cw_med * np.exp(0.8 * rng.normal(0.0, 1.0, total)), 0.0)
    cw = np.where((pos == 0) & (ctx0 > 0), cw + ctx0, cw)
    out = ev[:, OUT] * np.exp(ev[:, OUT_SIG] * rng.normal(0.0, 1.0, total))
    sugg = rng.poisson(ev[:, SUGG])
    acc = rng.binomial(sugg, np.clip(ev[:, ACC], 0.0, 1.0))

    tool = ev[:, TOOL_].astype(np.int8)
    no_cache = tool == _COPILOT
    inp = np.where(no_cache, inp + cached + cw, np.where(tool == _OPENAI, inp + cw, inp))
    cached = np.where(no_cache, 0.0, cached)
    cw = np.where(no_cache | (tool == _OPENAI), 0.0, cw)

    keep = (ts < ev[:, LIMIT]) & (ts >= start_epoch)
    return {
        "ts": ts[keep],
        "person": ev[keep, PERSON].astype(np.int32),
        "tool": tool[keep],
        "model": ev[keep, MODEL_].astype(np.int16),
        "kind": ev[keep, KIND_].astype(np.int8),
        "session": (sid[keep] + session_offset).astype(np.int64),
        "inp": np.rint(inp[keep]).astype(np.int64),
        "cached": np.rint(cached[keep]).astype(np.int64),
        "cw": np.rint(cw[keep]).astype(np.int64),
        "out": np.maximum(np.rint(out[keep]), 1).astype(np.int64),
        "sugg": sugg[keep].astype(np.int32),
        "acc": acc[keep].astype(np.int32),
        "hash": digest[keep],
        "tag": ev[keep, TAG].astype(np.int8),
    }


def tokens_of(part: dict) -> int:
    return int(part["inp"].sum() + part["cached"].sum() + part["cw"].sum() + part["out"].sum())


class Planner:
    """Plans every person's sessions week by week."""

    def __init__(self, org: Org, cal: Calendar, delivery: Delivery, seed: int):
        self.org, self.cal, self.seed = org, cal, seed
        self.rows: list[tuple[float, ...]] = []
        self.prs: dict[tuple[int, int], list[tuple[float, str]]] = {}
        for pr in delivery.prs:
            if pr.author >= 0:
                self.prs.setdefault((pr.author, pr.week), []).append((pr.created, pr.kind))
        self.reviews: dict[tuple[int, int], list[float]] = {}
        for r in delivery.reviews:
            week = cal.week_of(r.submitted)
            if 0 <= week < cal.weeks:
                self.reviews.setdefault((r.reviewer, week), []).append(r.submitted)
        self.incidents: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
        for inc in delivery.incidents:
            week = cal.week_of(inc.acked)
            if inc.responder >= 0 and 0 <= week < cal.weeks:
                end = inc.resolved if inc.resolved is not None else min(cal.end_epoch, inc.acked + 12 * HOUR)
                self.incidents.setdefault((inc.responder, week), []).append((inc.acked, end, inc.severity))
        self.limit: dict[int, float] = {}
        for p in org.people:
            last = cal.end_epoch
            if p.left_day is not None:
                last = min(last, cal.moment(p.zone_idx, p.left_day + 1, 0.0))
            self.limit[p.idx] = last
        self._model_cache: dict[tuple[str, str], tuple[list[str], np.ndarray]] = {}

    # --- building blocks --------------------------------------------------------------------------

    def model(self, tool: str, purpose: str, rng: np.random.Generator) -> str:
        return self._model(tool, purpose, rng.random())

    def _model(self, tool: str, purpose: str, u: float) -> str:
        key = (tool, purpose)
        if key not in self._model_cache:
            choices = TOOL_MODELS[tool][purpose]
            weights = np.array([w for _, w in choices])
            self._model_cache[key] = ([m for m, _ in choices], np.cumsum(weights / weights.sum()))
        names, cum = self._model_cache[key]
        for name, edge in zip(names, cum, strict=True):
            if u < edge:
                return name
        return names[-1]

    def _tool(self, p: Person, preferred: str, u: float, v: float) -> str:
        if u < 0.8:
            return preferred
        options = (
            ["copilot"] + (["claude_code"] if p.has_claude else []) + (["cursor"] if p.has_cursor else [])
        )
        return options[min(int(v * len(options)), len(options) - 1)]

    def add(
        self,
        p: Person,
        tool: str,
        model: str,
        kind: str,
        start: float,
        n: int,
        preset: str,
        *,
        limit: float | None = None,
        tag: int = TAG_WORK,
        hbase: int = 0,
        **over: float,
    ) -> None:
        if n <= 0:
            return
        params = PRESETS[preset] | over if over else PRESETS[preset]
        top = self.limit[p.idx] if limit is None else min(limit, self.limit[p.idx])
        values = [params[k] if k != "hbase" else float(hbase) for k in _ORDER]
        self.rows.append(
            (
                float(p.idx),
                float(TOOL[tool]),
                float(MODEL[model]),
                float(KIND[kind]),
                float(start),
                float(n),
                *values,
                float(top),
                float(tag),
            )
        )

    def take_rows(self) -> np.ndarray:
        rows = np.array(self.rows, dtype=np.float64).reshape(-1, WIDTH)
        self.rows = []
        return rows

    def at(self, p: Person, day: int, hour: float) -> float:
        return self.cal.moment(p.zone_idx, day, hour * HOUR)

    def in_day(self, p: Person, day: int, rng: np.random.Generator) -> float:
        return self.at(p, day, p.work_start + rng.uniform(0.0, p.work_hours))

    def pick_tool(self, p: Person, preferred: str, rng: np.random.Generator) -> str:
        return self._tool(p, preferred, rng.random(), rng.random())

    # --- the person's own work --------------------------------------------------------------------

    def level(self, p: Person, week: int) -> str:
        persona = p.persona
        if p.is_manager:
            return "manager"
        if persona == "autocomplete_only":
            return "tab_only"
        if persona == "power_user":
            return "power"
        if persona == "migration_lead":
            return "power" if p.window and p.window[0] <= week < p.window[1] else "steady"
        if persona == "staff_reviewer":
            return "staff"
        if persona == "new_hire_learner":
            return "learner" if 7 * week - p.hired_day < 70 else "steady"
        if persona == "light_user" or (p.kind == INFLATOR and p.base_level == "light"):
            return "light"
        return "steady"

    def scale(self, p: Person, week: int, rng: np.random.Generator) -> float:
        s = p.intensity * rng.lognormal(0.0, 0.3)
        if self.cal.crunch[week]:
            s *= 1.35
        if p.persona == "late_adopter" and p.adopt_week is not None:
            s *= min(1.0, (week - p.adopt_week + 1) / 4)
        if p.persona == "new_hire_learner":
            s *= max(1.0, 2.4 - 0.14 * (7 * week - p.hired_day) / 7)
        return s

    def organic(self, p: Person, week: int, days: list[int], rng: np.random.Generator, premium: bool) -> None:
        level = self.level(p, week)
        tab, chats, agents, turns = LEVELS[level]
        s = self.scale(p, week, rng)
        purpose_chat = "premium" if premium else "chat"
        purpose_agent = "premium" if premium else "agent"
        tag = TAG_INFLATED if premium else TAG_WORK
        hours = max(1, int(p.work_hours))
        if p.tab_tool is not None and tab > 0:
            tab_model = TOOL_MODELS[p.tab_tool]["tab"][0][0]
            busy = rng.random((len(days), hours)) < min(1.0, tab * s / hours)
            jitter = rng.random(busy.shape)
            for i, h in zip(*np.nonzero(busy), strict=True):
                t = self.at(p, days[i], p.work_start + float(h) + float(jitter[i, h]))
                self.add(p, p.tab_tool, tab_model, "tab", t - t % HOUR, 1, "tab")
        plan = [
            ("chat", d)
            for d, k in zip(days, rng.poisson(chats * s, len(days)), strict=True)
            for _ in range(k)
        ]
        plan += [
            ("agent", d)
            for d, k in zip(days, rng.poisson(agents * s, len(days)), strict=True)
            for _ in range(k)
        ]
        if level == "learner":
            counts = rng.poisson(3.0 * s, len(days))
            plan += [("learn", d) for d, k in zip(days, counts, strict=True) for _ in range(k)]
        if not plan:
            return
        u = rng.random((len(plan), 5))
        extra = rng.poisson(1.7, len(plan))
        lengths = rng.lognormal(np.log(turns), 0.6, len(plan))
        for j, (what, day) in enumerate(plan):
            start = self.at(p, day, p.work_start + u[j, 0] * p.work_hours)
            if what == "agent":
                tool = self._tool(p, p.agent_tool, u[j, 1], u[j, 2])
                self.add(
                    p,
                    tool,
                    self._model(tool, purpose_agent, u[j, 3]),
                    "agent",
                    start,
                    max(3, int(lengths[j])),
                    "agent",
                    tag=tag,
                )
            elif what == "chat":
                tool = self._tool(p, p.chat_tool, u[j, 1], u[j, 2])
                preset = "design" if level == "staff" and u[j, 4] < 0.5 else "chat"
                self.add(
                    p,
                    tool,
                    self._model(tool, purpose_chat, u[j, 3]),
                    "chat",
                    start,
                    1 + int(extra[j]),
                    preset,
                    tag=tag,
                )
            else:
                tool = self._tool(p, p.chat_tool, u[j, 1], u[j, 2])
                self.add(
                    p,
                    tool,
                    self._model(tool, purpose_chat, u[j, 3]),
                    "chat",
                    start,
                    2 + int(extra[j]),
                    "learn",
                    tag=tag,
                )

    def crunch_extra(
        self, p: Person, week: int, days: list[int], rng: np.random.Generator, premium: bool
    ) -> None:
        """Release crunch: an evening agent session now and then, and a Saturday chat."""
        level = self.level(p, week)
        turns = LEVELS[level][3]
        purpose_chat = "premium" if premium else "chat"
        purpose_agent = "premium" if premium else "agent"
        tag = TAG_INFLATED if premium else TAG_WORK
        if days:
            for day in days:
                if rng.random() < 0.2:
                    tool = self.pick_tool(p, p.agent_tool, rng)
                    self.add(
                        p,
                        tool,
                        self.model(tool, purpose_agent, rng),
                        "agent",
                        self.at(p, day, rng.uniform(20.0, 23.0)),
                        max(3, int(rng.lognormal(np.log(turns), 0.5))),
                        "agent",
                        tag=tag,
                    )
            saturday = 7 * week + 5
            if rng.random() < 0.35 and p.employed_on(saturday) and week not in p.vacation_weeks:
                tool = self.pick_tool(p, p.chat_tool, rng)
                self.add(
                    p,
                    tool,
                    self.model(tool, purpose_chat, rng),
                    "chat",
                    self.at(p, saturday, rng.uniform(10.0, 16.0)),
                    2 + int(rng.poisson(3)),
                    "chat",
                    tag=tag,
                )

    def weekend(self, p: Person, week: int, rng: np.random.Generator, premium: bool) -> None:
        """Some people open the laptop on a weekend now and then: a chat, sometimes an agent run."""
        chance = WEEKEND.get(self.level(p, week), 0.0)
        if rng.random() >= chance or week in p.vacation_weeks:
            return
        day = 7 * week + int(rng.integers(5, 7))
        if not p.employed_on(day):
            return
        tag = TAG_INFLATED if premium else TAG_WORK
        start = self.at(p, day, rng.uniform(9.0, 18.5))
        if rng.random() < 0.35 and self.level(p, week) != "light":
            tool = self.pick_tool(p, p.agent_tool, rng)
            purpose = "premium" if premium else "agent"
            turns = max(3, int(rng.lognormal(np.log(LEVELS[self.level(p, week)][3]), 0.6)))
            self.add(p, tool, self.model(tool, purpose, rng), "agent", start, turns, "agent", tag=tag)
        else:
            tool = self.pick_tool(p, p.chat_tool, rng)
            purpose = "premium" if premium else "chat"
            self.add(
                p,
                tool,
                self.model(tool, purpose, rng),
                "chat",
                start,
                1 + int(rng.poisson(2)),
                "chat",
                tag=tag,
            )

    def reviews_and_incidents(self, p: Person, week: int, rng: np.random.Generator) -> None:
        heavy_reviewer = p.persona == "staff_reviewer"
        for when in self.reviews.get((p.idx, week), []):
            if heavy_reviewer or (self.level(p, week) in ("steady", "power") and rng.random() < 0.15):
                tool = "claude_code" if p.has_claude and rng.random() < 0.6 else "copilot"
                start = when - rng.uniform(5, 40) * 60
                self.add(
                    p,
                    tool,
                    self.model(tool, "chat", rng),
                    "review",
                    start,
                    1 + int(rng.poisson(1.5)),
                    "review",
                    limit=when,
                )
        for acked, end, severity in self.incidents.get((p.idx, week), []):
            minutes = max(5.0, (end - acked) / 60)
            tool = self.pick_tool(p, p.chat_tool, rng)
            if p.persona == "oncall_responder":
                n = int(np.clip(minutes / 12, 2, 20))
                self.add(
                    p,
                    tool,
                    self.model(tool, "chat", rng),
                    "chat",
                    acked + rng.uniform(1, 6) * 60,
                    n,
                    "incident",
                    limit=end,
                    gap=max(30.0, minutes * 60 / n * 0.8),
                )
                agent = p.agent_tool
                turns = int(np.clip(minutes / 6, 4, 45))
                self.add(
                    p,
                    agent,
                    self.model(agent, "agent", rng),
                    "agent",
                    acked + rng.uniform(3, 10) * 60,
                    turns,
                    "agent",
                    limit=end,
                    inp=4_000,
                    gap=max(20.0, minutes * 60 / turns * 0.7),
                )
            elif severity in ("sev1", "sev2") or rng.random() < 0.5:
                n = int(np.clip(minutes / 8, 2, 20))
                self.add(
                    p,
                    tool,
                    self.model(tool, "chat", rng),
                    "chat",
                    acked + rng.uniform(2, 10) * 60,
                    n,
                    "incident",
                    limit=end,
                    gap=max(45.0, minutes * 60 / n * 0.8),
                )

    def heavy_extras(
        self, p: Person, week: int, days: list[int], rng: np.random.Generator, state: dict
    ) -> None:
        cal = self.cal
        if p.persona == "power_user" and days:
            for _ in range(int(rng.poisson(1.0))):
                tool = "internal_agent" if rng.random() < 0.5 else p.agent_tool
                day = days[int(rng.integers(len(days)))]
                self.add(
                    p,
                    tool,
                    self.model(tool, "agent", rng),
                    "agent",
                    self.in_day(p, day, rng),
                    max(10, int(rng.lognormal(np.log(80), 0.6))),
                    "bg_agent",
                    acc=0.5,
                )
        elif p.persona == "migration_lead" and p.window and p.window[0] <= week < p.window[1]:
            for day in days:
                for _ in range(int(rng.poisson(1.0))):
                    self.add(
                        p,
                        "internal_agent",
                        self.model("internal_agent", "agent", rng),
                        "agent",
                        self.at(p, day, rng.uniform(18.0, 23.0)),
                        max(20, int(rng.lognormal(np.log(120), 0.6))),
                        "codemod",
                    )
        elif p.persona == "eval_harness_owner":
            if week % state["suite_every"] == 0:
                state["suite"] += 1
            suite = state["size"]
            base = state["base"] + state["suite"]
            for d in range(7 * week, 7 * week + 7):
                if cal.date_of(d).weekday() < 5 and p.employed_on(d) and rng.random() < 0.5:
                    start = self.at(p, d, 2.0 + rng.uniform(0, 0.5))
                    for model in state["models"]:
                        self.add(
                            p, "openai_api", model, "completion", start, suite, "eval", hbase=base, pool=suite
                        )
                        start += suite * 1.8
            for _ in range(int(rng.poisson(1.0))) if days else ():
                start = self.in_day(p, days[int(rng.integers(len(days)))], rng)
                self.add(
                    p,
                    "openai_api",
                    state["models"][0],
                    "completion",
                    start,
                    suite,
                    "eval",
                    hbase=base,
                    pool=suite,
                )
        elif p.persona == "localisation_engineer":
            for created, kind in self.prs.get((p.idx, week), []):
                if kind != "i18n":
                    continue
                start = created - rng.uniform(0.5, 6.0) * HOUR
                n = int(rng.integers(30, 200))
                if p.api_key:
                    model = "gpt-4.1-2025-04-14" if rng.random() < 0.7 else "gpt-5-mini-2025-08-07"
                    self.add(p, "openai_api", model, "completion", start, n, "translate")
                else:
                    self.add(
                        p,
                        "internal_agent",
                        self.model("internal_agent", "chat", rng),
                        "completion",
                        start,
                        n,
                        "translate",
                    )

    # --- inflation styles planted before the leaderboard figures are known -------------------------

    def inflate(self, p: Person, week: int, days: list[int], rng: np.random.Generator, state: dict) -> None:
        cal = self.cal
        week_end = cal.week_start_epoch(week + 1)
        style = p.style
        if style == "background_agents":
            for _ in range(1 + int(rng.poisson(1.0))):
                day = 7 * week + int(rng.integers(0, 7 if rng.random() < 0.3 else 5))
                if not p.employed_on(day):
                    continue
                tool = state["bg_tool"]
                start = self.at(p, day, rng.uniform(8.0, 23.0))
                turns = max(20, int(rng.lognormal(np.log(150), 0.7)))
                self.add(
                    p,
                    tool,
                    self.model(tool, "agent", rng),
                    "agent",
                    start,
                    turns,
                    "bg_agent",
                    limit=week_end,
                    tag=TAG_INFLATED,
                    gap=state["bg_gap"],
                    acc=0.02 if tool == "cursor" else 0.0,
                )
        elif style == "regenerate_existing":
            for _ in range(2 + int(rng.poisson(3))) if days else ():
                tool = self.pick_tool(p, p.agent_tool, rng)
                repeat = int(rng.integers(3, 11))
                prompts = int(rng.integers(1, 4))
                state["regen"] += 1
                self.add(
                    p,
                    tool,
                    self.model(tool, "agent", rng),
                    "agent" if rng.random() < 0.6 else "chat",
                    self.in_day(p, days[int(rng.integers(len(days)))], rng),
                    repeat * prompts,
                    "regen",
                    limit=week_end,
                    tag=TAG_INFLATED,
                    hbase=state["hash"] + state["regen"],
                    pool=repeat,
                )
        elif style == "context_stuffing":
            for _ in range(4 + int(rng.poisson(12))) if days else ():
                if p.api_key and rng.random() < 0.4:
                    tool, model = "openai_api", "gpt-4.1-2025-04-14"
                else:
                    tool = "cursor" if p.has_cursor and rng.random() < 0.5 else "claude_code"
                    model = self.model(tool, "chat", rng)
                n = 1 + int(rng.poisson(0.8))
                self.add(
                    p,
                    tool,
                    model,
                    "chat",
                    self.in_day(p, days[int(rng.integers(len(days)))], rng),
                    n,
                    "stuff",
                    limit=week_end,
                    tag=TAG_INFLATED,
                )
        elif style == "premium_for_trivial":
            for _ in range(int(rng.poisson(state["trivial"]))) if days else ():
                tool = self.pick_tool(p, p.agent_tool, rng)
                agentic = rng.random() < 0.5
                n = int(rng.integers(4, 11)) if agentic else 1 + int(rng.poisson(0.5))
                self.add(
                    p,
                    tool,
                    self.model(tool, "premium", rng),
                    "agent" if agentic else "chat",
                    self.in_day(p, days[int(rng.integers(len(days)))], rng),
                    n,
                    "trivial",
                    limit=week_end,
                    tag=TAG_INFLATED,
                    ctx0=25_000 if agentic else 9_000,
                )
        elif style == "prompt_replay":
            tool, model = state["replay_tool"], state["replay_model"]
            for d in range(7 * week, 7 * week + 7):
                if not p.employed_on(d):
                    continue
                weekday = cal.date_of(d).weekday()
                mode = state["replay_mode"]
                if mode == "office" and (weekday >= 5 or d not in days):
                    continue
                windows = {
                    "office": ((9.0, 17.5),),
                    "always": ((0.0, 24.0),),
                    "nights": ((0.0, 6.0), (20.0, 24.0)),
                }
                for lo, hi in windows[mode]:
                    start = self.at(p, d, lo + rng.uniform(0, 0.2))
                    n = int((hi - lo) * HOUR / state["interval"])
                    self.add(
                        p,
                        tool,
                        model,
                        "chat",
                        start,
                        n,
                        "replay",
                        limit=min(week_end, self.at(p, d, hi)),
                        tag=TAG_INFLATED,
                        gap=state["interval"],
                        hbase=state["hash"],
                        pool=state["prompts"],
                        inp=state["replay_inp"],
                    )
        elif style == "throwaway_prototypes":
            for created, kind in self.prs.get((p.idx, week), []):
                if kind != "prototype":
                    continue
                # Built in the working days up to the day the PR is opened.
                opened_day = cal.local_day(p.zone_idx, created)
                before = [d for d in days if d <= opened_day] or [opened_day]
                for _ in range(int(rng.integers(2, 6))):
                    tool = self.pick_tool(p, p.agent_tool, rng)
                    day = before[int(rng.integers(len(before)))]
                    start = self.in_day(p, day, rng)
                    if start >= created - 1_800:  # on the day it is opened: in the hours before
                        morning = self.at(p, day, p.work_start - 1.0)
                        start = rng.uniform(min(morning, created - 3_600), created - 1_800)
                    start = max(cal.week_start_epoch(week), start)
                    self.add(
                        p,
                        tool,
                        self.model(tool, "agent", rng),
                        "agent",
                        start,
                        int(rng.integers(20, 61)),
                        "agent",
                        limit=created,
                        tag=TAG_INFLATED,
                        sugg=6,
                        acc=0.7,
                    )

    def person_state(self, p: Person, rng: np.random.Generator) -> dict:
        """Per-person habits drawn once: tools, pacing, prompt pools."""
        h = int(mix64(np.array([self.seed * 100_003 + p.idx]))[0] >> np.uint64(12))
        state = {"hash": h, "regen": 0}
        if p.persona == "eval_harness_owner":
            state |= {
                "size": int(rng.integers(30, 91)),
                "suite_every": int(rng.integers(3, 7)),
                "suite": 0,
                "base": h,
                "models": list(
                    rng.choice(
                        ["gpt-5-2025-08-07", "gpt-5-mini-2025-08-07", "gpt-4.1-2025-04-14"], 2, replace=False
                    )
                ),
            }
        if p.style == "background_agents":
            state["bg_tool"] = str(
                rng.choice(
                    ["internal_agent", "claude_code", "cursor" if p.has_cursor else "claude_code"],
                    p=[0.55, 0.3, 0.15],
                )
            )
            state["bg_gap"] = float(rng.uniform(45, 150))
        if p.style == "premium_for_trivial":
            state["trivial"] = float(rng.uniform(6, 22))
        if p.style == "prompt_replay":
            api = p.api_key is not None and rng.random() < 0.7
            state["replay_tool"] = "openai_api" if api else "claude_code"
            state["replay_model"] = (
                str(rng.choice(["gpt-5-2025-08-07", "gpt-4.1-2025-04-14"]))
                if api
                else "claude-sonnet-4-5-20250929"
            )
            state["replay_mode"] = str(rng.choice(["office", "always", "nights"], p=[0.45, 0.3, 0.25]))
            state["interval"] = float(rng.uniform(90, 900))
            state["prompts"] = int(rng.integers(1, 7))
            state["replay_inp"] = float(rng.lognormal(np.log(1_800), 0.6))
        if p.style == "performative_topup":
            state["factor"] = float(rng.uniform(1.02, 1.3))
            state["scope"] = "team" if rng.random() < 0.35 else "department"
            state["mode"] = str(rng.choice(["spread", "friday", "evening"], p=[0.55, 0.25, 0.2]))
            state["agentic"] = float(rng.uniform(0.4, 0.85))
        if p.style == "leaderboard_burst":
            state["ambition"] = float(rng.uniform(1.2, 3.5))
            state["lead"] = float(rng.uniform(3, 20))
        return state

    def plan(self, p: Person, rng: np.random.Generator, deferred: bool) -> dict:
        """Plan a person's sessions into `self.rows`; inflation calibrated on peers is left to the caller."""
        state = self.person_state(p, rng)
        trial = int(rng.integers(self.cal.weeks)) if p.persona == "non_adopter" and rng.random() < 0.3 else -1
        for week in range(self.cal.weeks):
            if not p.employed_week(week):
                continue
            days = workdays(p, self.cal, week)
            inflating = week in p.planned_inflation
            premium = inflating and p.style == "premium_for_trivial"
            if ai_active(p, week) and days:
                self.organic(p, week, days, rng, premium)
                if self.cal.crunch[week]:
                    self.crunch_extra(p, week, days, rng, premium)
                self.weekend(p, week, rng, premium)
            if ai_active(p, week):
                self.reviews_and_incidents(p, week, rng)
                self.heavy_extras(p, week, days, rng, state)
            if week == trial and days:
                self.add(
                    p,
                    "copilot",
                    "gpt-4.1",
                    "chat",
                    self.in_day(p, days[0], rng),
                    1 + int(rng.poisson(1)),
                    "chat",
                )
            if inflating and not deferred:
                self.inflate(p, week, days, rng, state)
        return state
