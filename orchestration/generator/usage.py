"""AI usage events, one UTC day at a time, vectorised, streamed to date-partitioned Parquet.

For each day: draw every engineer's sessions per stream from the plan's weekly rates and the
day's share of the stream's time-of-day profile in the engineer's zone; place each session (agent
runs of ordinary users end minutes before one of the engineer's commits that day); expand
sessions into requests with token sizes, models, prompt hashes and accepted lines; then hand the
rows to the landing zone with the mess real exports have: about 0.5% land days late in a later
date folder, about 1% are exported again in a later folder (a third of those with corrected
output tokens), and each week a manual upload holds a few malformed rows. Memory holds one day
(plus the few rows waiting for a later folder), so the size of the run is bounded by a day's
volume, not the total.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from datetime import timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from orchestration.generator.calendar import (
    TIMEZONES,
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    format_timestamps,
)
from orchestration.generator.git import Git
from orchestration.generator.ids import SALT_EVENT, SALT_PROMPT, SALT_SESSION, hex_ids
from orchestration.generator.landing import Landing, arrow_schema
from orchestration.generator.org import (
    CLAUDE_CODE,
    COPILOT,
    CURSOR,
    HEAVY_AGENT_USER,
    INTERNAL_AGENT,
    OPENAI_API,
    TOOLS,
    Org,
)
from orchestration.generator.plan import (
    INFLATION_STREAMS,
    KINDS,
    MODELS,
    PRIMARY,
    STREAM_INDEX,
    STREAMS,
    TAB,
    TOKEN_PROFILES,
    Plan,
    expand,
)
from orchestration.generator.truth import Truth

TABLE = "ai_usage_events"
LATE_SHARE = 0.005
REPLAY_SHARE = 0.01
CORRECTED_SHARE = 0.3
MALFORMED_SHARE = 0.001
MALFORMED_KINDS = ("unparseable_timestamp", "negative_tokens", "missing_required_value")

#: Event ids look like each vendor's: all prefixes have four characters.
_EVENT_PREFIXES = ("msg_", "cur-", "cop-", "req-", "iag-")

#: List prices per million tokens (input, cached input, cache write, output), as the vendors bill.
LIST_PRICES: dict[str, tuple[float, float, float, float]] = {
    "claude-opus-4-1": (15.0, 1.5, 18.75, 75.0),
    "claude-sonnet-4-5": (3.0, 0.3, 3.75, 15.0),
    "claude-haiku-4-5": (1.0, 0.1, 1.25, 5.0),
    "gpt-5": (1.25, 0.125, 1.25, 10.0),
    "gpt-5-mini": (0.25, 0.025, 0.25, 2.0),
    "gpt-4.1": (2.0, 0.5, 2.0, 8.0),
}
#: The organisation's negotiated prices (written to `model_prices`); Claude Code bills these too.
ORG_PRICES: dict[str, tuple[tuple[str, tuple[float, float, float, float]], ...]] = {
    "claude-sonnet-4-5": (("before", (3.0, 0.3, 3.75, 15.0)), ("change", (2.7, 0.27, 3.375, 13.5))),
    "gpt-5": (("before", (1.1, 0.11, 1.1, 9.0)),),
}

#: Model mix per tool; tab completions use the tool's completion model.
_MODEL_MIX: dict[tuple[int, bool], dict[str, float]] = {
    (CLAUDE_CODE, False): {"claude-sonnet-4-5": 0.7, "claude-opus-4-1": 0.15, "claude-haiku-4-5": 0.15},
    (CURSOR, False): {
        "claude-sonnet-4-5": 0.4,
        "gpt-5": 0.3,
        "gpt-4.1": 0.15,
        "gpt-5-mini": 0.1,
        "claude-opus-4-1": 0.05,
    },
    (CURSOR, True): {"gpt-4.1": 0.7, "gpt-5-mini": 0.3},
    (COPILOT, False): {"gpt-5": 0.4, "claude-sonnet-4-5": 0.35, "gpt-4.1": 0.25},
    (COPILOT, True): {"gpt-4.1": 1.0},
    (OPENAI_API, False): {"gpt-5": 0.45, "gpt-5-mini": 0.35, "gpt-4.1": 0.2},
    (INTERNAL_AGENT, False): {"claude-sonnet-4-5": 0.6, "gpt-5": 0.4},
}

_COLUMNS = (
    "t", "person", "tool", "kind", "model", "session", "prompt", "prompt_valid", "pooled", "input", "cached",
    "write", "output", "cost", "suggested", "accepted", "event",
)  # fmt: skip
Batch = dict[str, np.ndarray]

#: Columns with few distinct values; ids and hashes are random and gain nothing from a dictionary.
_DICTIONARY = ["source_tool", "actor_id", "model", "request_kind"]

#: Prompt hashes of the few prompts each engineer repeats live above every counter value.
_POOL_BASE = np.uint64(1 << 62)


def _take(batch: Batch, index: np.ndarray) -> Batch:
    return {name: values[index] for name, values in batch.items()}


def _concat(batches: list[Batch]) -> Batch:
    batches = [batch for batch in batches if len(batch["t"])]
    if not batches:
        return _empty()
    return {name: np.concatenate([batch[name] for batch in batches]) for name in _COLUMNS}


def _empty() -> Batch:
    batch = {name: np.zeros(0, dtype=np.int64) for name in _COLUMNS}
    batch["prompt"] = np.zeros(0, dtype=np.uint64)
    batch["pooled"] = np.zeros(0, dtype=bool)
    batch["prompt_valid"] = np.zeros(0, dtype=bool)
    batch["cost"] = np.zeros(0)
    return batch


def change_day(weeks: int) -> int:
    """The day the negotiated Sonnet price starts: the Wednesday of the middle week."""
    return 7 * (weeks // 2) + 2


def price_table(weeks: int) -> tuple[np.ndarray, np.ndarray]:
    """Prices per token `[model, component]` before and from the price change day."""
    before = np.array([LIST_PRICES[model] for model in MODELS]) / 1e6
    after = before.copy()
    for model, rows in ORG_PRICES.items():
        for label, prices in rows:
            target = (before, after) if label == "before" else (after,)
            for table in target:
                table[MODELS.index(model)] = np.array(prices) / 1e6
    return before, after


class UsageWriter:
    """Generates and lands every usage event, and tells the ground truth what it landed."""

    def __init__(
        self, org: Org, plan: Plan, git: Git, landing: Landing, truth: Truth, rng: np.random.Generator
    ) -> None:
        self.org, self.plan, self.landing, self.truth, self.rng = org, plan, landing, truth, rng
        self.period = org.period
        n = org.n_engineers
        self.tz = org.tz[:n]
        self.employed = org.employed_days()[:n]
        self.stream_tool = np.array([stream.tool for stream in STREAMS])
        self.stream_profile = np.array([stream.profile for stream in STREAMS])
        self.stream_tokens = np.array([stream.tokens for stream in STREAMS])
        self.stream_requests = np.array([stream.requests for stream in STREAMS])
        self.stream_gap_us = np.array([stream.gap_minutes for stream in STREAMS]) * US_PER_MINUTE
        self.stream_lines = np.array([stream.lines_mean for stream in STREAMS])
        self.stream_lines_share = np.array([stream.lines_share for stream in STREAMS])
        self.stream_anchored = np.array([stream.anchored for stream in STREAMS])
        self.stream_inflation = np.array([stream.inflation for stream in STREAMS])
        width = max(len(stream.kinds) for stream in STREAMS)
        self.kind_code = np.zeros((len(STREAMS), width), dtype=np.int64)
        self.kind_cum = np.ones((len(STREAMS), width))
        for index, stream in enumerate(STREAMS):
            for slot, (kind, _share) in enumerate(stream.kinds):
                self.kind_code[index, slot] = kind
            self.kind_cum[index, : len(stream.kinds)] = np.cumsum([share for _kind, share in stream.kinds])
        self.model_cum = np.ones((len(TOOLS) * 2, len(MODELS)))
        for (tool, tab), mix in _MODEL_MIX.items():
            shares = np.array([mix.get(model, 0.0) for model in MODELS])
            self.model_cum[tool * 2 + tab] = np.cumsum(shares / shares.sum())
        profiles = TOKEN_PROFILES
        self.token_mu = np.log(
            np.maximum(
                1.0,
                np.array(
                    [[p.input_median, p.cached_median, p.write_median, p.output_median] for p in profiles]
                ),
            )
        )
        self.token_sigma = np.array(
            [[p.input_sigma, p.cached_sigma, p.write_sigma, p.output_sigma] for p in profiles]
        )
        self.token_share = np.array([[1.0, p.cached_share, p.write_share, 1.0] for p in profiles])

        actors: dict[str, int] = {}
        self.actor_index = np.zeros((n, len(TOOLS)), dtype=np.int64)
        for person in range(n):
            for tool in range(len(TOOLS)):
                name = org.actor(person, tool)
                self.actor_index[person, tool] = actors.setdefault(name, len(actors))
        self.actor_names = pa.array(list(actors), type=pa.string())
        self.heavy = org.persona == HEAVY_AGENT_USER
        self.prices_before, self.prices_after = price_table(self.period.weeks)
        self.change_day = change_day(self.period.weeks)

        human = git.commits["author"] >= 0
        commit_t = git.commits["authored_at"][human]
        order = np.argsort(commit_t, kind="stable")
        self.commit_t = commit_t[order]
        self.commit_author = git.commits["author"][human][order]

        self.counters = {"event": 0, "session": 0, "prompt": 0}
        self.pending_late: dict[int, list[Batch]] = defaultdict(list)
        self.pending_replay: dict[int, list[Batch]] = defaultdict(list)
        self.internal_week: list[Batch] = []
        self.week_inflation = np.zeros((n, 7, len(INFLATION_STREAMS)), dtype=np.int64)
        self.templates = _empty()
        self.week_rows = 0

    # Generation ------------------------------------------------------------------------------

    def _counter(self, name: str, count: int) -> np.ndarray:
        start = self.counters[name]
        self.counters[name] += count
        return np.arange(start, start + count, dtype=np.int64)

    def _allocate_inflation(self, week: int) -> None:
        """Spread each planned week's inflation sessions over its days by the stream's profile.

        Night runs avoid the last UTC day of the week, so that none runs on into the next week.
        """
        rng = self.rng
        person, column = expand(self.plan.inflation_sessions[:, week, :])
        stream = np.array(INFLATION_STREAMS, dtype=np.int64)[column]
        days = week * 7 + np.arange(7)
        mass = self.plan.profiles.mass[:, :, days][self.stream_profile[stream], self.tz[person]]
        weights = mass * self.employed[person][:, days]
        weights[stream == STREAM_INDEX["night_agent"], 6] = 0
        cumulative = np.cumsum(weights, axis=1)
        cumulative /= np.maximum(cumulative[:, -1:], 1e-300)
        day = (rng.random(len(person))[:, None] > cumulative).sum(axis=1)
        self.week_inflation = np.zeros((self.org.n_engineers, 7, len(INFLATION_STREAMS)), dtype=np.int64)
        np.add.at(self.week_inflation, (person, np.minimum(day, 6), column), 1)

    def _start_bins(self, profile: np.ndarray, tz: np.ndarray, day: int) -> np.ndarray:
        """A quarter-hour of the day per session, drawn from its profile's weights in its zone."""
        weights = self.plan.profiles.weights[:, :, day, :].reshape(-1, 96)
        total = weights.sum(axis=1, keepdims=True)
        cumulative = np.cumsum(weights, axis=1) / np.where(total > 0, total, 1.0)
        rows = profile * len(TIMEZONES) + tz
        flat = (cumulative + 2.0 * np.arange(len(cumulative))[:, None]).ravel()
        draw = self.rng.random(len(rows)) * (1 - 1e-12) + 2.0 * rows
        return np.searchsorted(flat, draw, side="right") - rows * 96

    def _generate(self, day: int) -> Batch:
        rng, plan, period = self.rng, self.plan, self.period
        week = day // 7
        day_start = period.start_us + day * US_PER_DAY
        mass = plan.profiles.mass[:, :, day]
        rate = plan.rates[:, week, :] * mass[self.stream_profile][:, self.tz].T * self.employed[:, day, None]
        counts = rng.poisson(rate)
        counts[:, INFLATION_STREAMS] = self.week_inflation[:, day % 7, :]
        person, stream = expand(counts)
        sessions = len(person)
        if not sessions:
            return _empty()

        tool = np.where(
            self.stream_tool[stream] == PRIMARY, self.org.primary_tool[person], self.stream_tool[stream]
        )
        slot = (rng.random(sessions)[:, None] > self.kind_cum[stream]).sum(axis=1)
        kind = self.kind_code[stream, slot]
        mean = self.stream_requests[stream] * plan.request_factor[person, stream]
        requests = np.maximum(1, np.round(rng.lognormal(np.log(mean) - 0.18, 0.6))).astype(np.int64)
        night = stream == STREAM_INDEX["night_agent"]
        requests[night] = rng.integers(40, 121, night.sum())

        total = int(requests.sum())
        session_of = np.repeat(np.arange(sessions), requests)
        first = np.cumsum(requests) - requests
        gaps = (rng.exponential(1.0, total) * self.stream_gap_us[stream][session_of]).astype(np.int64)
        gaps[first] = 0
        elapsed = np.cumsum(gaps)
        offset = elapsed - elapsed[first][session_of]
        duration = offset[first + requests - 1]

        bins = self._start_bins(self.stream_profile[stream], self.tz[person], day)
        start = day_start + bins * 15 * US_PER_MINUTE + rng.integers(0, 15 * US_PER_MINUTE, sessions)
        start = self._anchor(start, duration, person, stream, day_start)
        t = start[session_of] + offset
        # Inflation stays inside the week it was planned for, so labels match the week's data.
        week_end = period.start_us + (week + 1) * 7 * US_PER_DAY
        inside = ~self.stream_inflation[stream[session_of]] | (t < week_end)

        person_r, stream_r, tool_r, kind_r = (
            person[session_of],
            stream[session_of],
            tool[session_of],
            kind[session_of],
        )
        is_tab = kind_r == TAB
        model = (rng.random(total)[:, None] > self.model_cum[tool_r * 2 + is_tab]).sum(axis=1)
        model = np.minimum(model, len(MODELS) - 1)

        profile = self.stream_tokens[stream_r]
        z = rng.standard_normal((4, total))
        present = rng.random((4, total)) < self.token_share[profile].T
        tokens = np.where(
            present, np.round(np.exp(self.token_mu[profile].T + self.token_sigma[profile].T * z)), 0
        )
        tokens = tokens.astype(np.int64)
        tokens[1:3, tool_r == COPILOT] = 0
        tokens[2, tool_r == OPENAI_API] = 0

        has_lines = tool_r != OPENAI_API
        lines_mean = self.stream_lines[stream_r] * np.where(self.heavy[person_r], 1.5, 1.0)
        suggested = np.where(
            rng.random(total) < self.stream_lines_share[stream_r], rng.poisson(lines_mean), 0
        )
        accepted = rng.binomial(suggested, plan.accept_rate[person_r, week])
        suggested = np.where(has_lines, suggested, -1)
        accepted = np.where(has_lines, accepted, -1)

        draw = rng.random(total)
        pool_share = plan.pool_share[person_r, week]
        has_prompt = ~is_tab
        pooled = has_prompt & (draw < pool_share)
        personal = has_prompt & ~pooled & (draw < pool_share + 0.05)
        unique = has_prompt & ~pooled & ~personal
        base = _POOL_BASE + person_r.astype(np.uint64) * np.uint64(256)
        prompt = np.zeros(total, dtype=np.uint64)
        prompt[pooled] = (
            base[pooled]
            + np.uint64(100)
            + rng.integers(0, plan.pool_size[person_r[pooled]]).astype(np.uint64)
        )
        prompt[personal] = base[personal] + rng.integers(0, 20, personal.sum()).astype(np.uint64)
        prompt[unique] = self._counter("prompt", int(unique.sum())).astype(np.uint64)
        prompt_valid = has_prompt
        session_ids = np.where(kind == TAB, -1, 0)
        session_ids[kind != TAB] = self._counter("session", int((kind != TAB).sum()))

        batch: Batch = {
            "t": t,
            "person": person_r,
            "tool": tool_r,
            "kind": kind_r,
            "model": model,
            "session": session_ids[session_of],
            "prompt": prompt,
            "prompt_valid": prompt_valid,
            "pooled": pooled,
            "input": tokens[0],
            "cached": tokens[1],
            "write": tokens[2],
            "output": tokens[3],
            "cost": np.zeros(total),
            "suggested": suggested,
            "accepted": accepted,
            "event": self._counter("event", total),
        }
        batch["cost"] = self._cost(batch)
        return _take(batch, np.flatnonzero(inside)) if not inside.all() else batch

    def _anchor(
        self, start: np.ndarray, duration: np.ndarray, person: np.ndarray, stream: np.ndarray, day_start: int
    ) -> np.ndarray:
        """Move most agent runs of a day with commits to end a few minutes before one of them."""
        rng = self.rng
        low, high = np.searchsorted(self.commit_t, [day_start, day_start + US_PER_DAY])
        if high == low:
            return start
        authors, times = self.commit_author[low:high], self.commit_t[low:high]
        order = np.lexsort((times, authors))
        authors, times = authors[order], times[order]
        count = np.bincount(authors, minlength=self.org.n_engineers)
        offset = np.cumsum(count) - count
        candidate = np.flatnonzero(self.stream_anchored[stream] & (rng.random(len(person)) < 0.7))
        candidate = candidate[count[person[candidate]] > 0]
        pick = offset[person[candidate]] + (rng.random(len(candidate)) * count[person[candidate]]).astype(
            np.int64
        )
        end = times[pick] - rng.integers(3 * US_PER_MINUTE, 40 * US_PER_MINUTE, len(candidate))
        anchored = end - duration[candidate]
        fits = anchored >= day_start
        start = start.copy()
        start[candidate[fits]] = anchored[fits]
        return start

    def _cost(self, batch: Batch) -> np.ndarray:
        """Billed cost of Claude Code requests; the other tools report none (NaN = null)."""
        day = self.period.day_of(batch["t"])
        prices = np.where(
            (day >= self.change_day)[:, None],
            self.prices_after[batch["model"]],
            self.prices_before[batch["model"]],
        )
        tokens = np.stack([batch["input"], batch["cached"], batch["write"], batch["output"]], axis=1)
        cost = np.round((tokens * prices).sum(axis=1), 6)
        return np.where(batch["tool"] == CLAUDE_CODE, cost, np.nan)

    # Landing ---------------------------------------------------------------------------------

    def run(self, progress: bool) -> None:
        period = self.period
        carry = _empty()
        days = tqdm(
            range(period.days), desc="usage events", unit="day", disable=not progress, file=sys.stderr
        )
        for day in days:
            if day % 7 == 0:
                self._allocate_inflation(day // 7)
            batch = _concat([carry, self._generate(day)])
            day_end = period.start_us + (day + 1) * US_PER_DAY
            later = batch["t"] >= day_end
            carry = _take(batch, np.flatnonzero(later & (batch["t"] < period.end_us)))
            self._land_day(day, _take(batch, np.flatnonzero(~later)))
            if day % 7 == 6:
                self._land_week(day // 7)
        for landing_day in sorted(set(self.pending_late) | set(self.pending_replay)):
            self._write_partition(landing_day, [])

    def _land_day(self, day: int, rows: Batch) -> None:
        rng, stats = self.rng, self.landing.stats[TABLE]
        internal = rows["tool"] == INTERNAL_AGENT
        self.internal_week.append(_take(rows, np.flatnonzero(internal)))
        self.truth.add_usage(_take(rows, np.flatnonzero(internal)))
        exported = _take(rows, np.flatnonzero(~internal))
        n = len(exported["t"])
        roll = rng.random(n)
        late = roll < LATE_SHARE
        replayed = np.flatnonzero((roll >= LATE_SHARE) & (roll < LATE_SHARE + REPLAY_SHARE))

        copies = _take(exported, replayed)
        corrected = rng.random(len(replayed)) < CORRECTED_SHARE
        copies["output"] = copies["output"] + np.where(corrected, rng.integers(1, 40, len(replayed)), 0)
        copies["cost"] = self._cost(copies)
        final = dict(exported)
        final["output"] = exported["output"].copy()
        final["output"][replayed] = copies["output"]
        self.truth.add_usage(final)

        replay_day = day + rng.integers(1, 4, len(replayed))
        for landing_day in np.unique(replay_day):
            self.pending_replay[int(landing_day)].append(
                _take(copies, np.flatnonzero(replay_day == landing_day))
            )
        late_rows = np.flatnonzero(late)
        late_day = day + rng.integers(1, 5, len(late_rows))
        for landing_day in np.unique(late_day):
            self.pending_late[int(landing_day)].append(_take(exported, late_rows[late_day == landing_day]))
        stats.late += len(late_rows)
        stats.replayed += len(replayed)
        if n:
            self.templates = _take(exported, rng.choice(n, size=min(n, 16), replace=False))
        self.week_rows += n
        self._write_partition(day, [_take(exported, np.flatnonzero(~late))])

    def _write_partition(self, day: int, own: list[Batch]) -> None:
        folder = f"{TABLE}/date={self.period.day_date(day).isoformat()}"
        landed = self.period.start_us + (day + 1) * US_PER_DAY + 2 * US_PER_HOUR
        for name, rows in (
            ("part-0", _concat(own + self.pending_late.pop(day, []))),
            ("replay-0", _concat(self.pending_replay.pop(day, []))),
        ):
            if len(rows["t"]):
                rows = _take(rows, np.argsort(rows["t"], kind="stable"))
                self.landing.parquet(
                    TABLE, f"{folder}/{name}.parquet", self._arrow(rows), landed, _DICTIONARY
                )
            landed += US_PER_HOUR

    def _arrow(self, rows: Batch) -> pa.Table:
        tool = rows["tool"]
        columns = {
            "event_id": hex_ids(rows["event"], SALT_EVENT, 24, _EVENT_PREFIXES, tool),
            "occurred_at": pa.array(rows["t"], type=pa.timestamp("us", tz="UTC")),
            "source_tool": _names(TOOLS, tool),
            "actor_id": self.actor_names.take(pa.array(self.actor_index[rows["person"], tool])),
            "session_id": _nullable(
                hex_ids(np.maximum(rows["session"], 0), SALT_SESSION, 20, ("ses_",)), rows["session"] >= 0
            ),
            "model": _names(MODELS, rows["model"]),
            "request_kind": _names(KINDS, rows["kind"]),
            "input_tokens": pa.array(rows["input"], type=pa.int64()),
            "cached_input_tokens": pa.array(rows["cached"], type=pa.int64()),
            "cache_write_tokens": pa.array(rows["write"], type=pa.int64()),
            "output_tokens": pa.array(rows["output"], type=pa.int64()),
            "cost_usd": pa.array(rows["cost"], mask=np.isnan(rows["cost"])).cast(
                pa.decimal128(18, 6), safe=False
            ),
            "prompt_hash": _nullable(hex_ids(rows["prompt"], SALT_PROMPT, 32), rows["prompt_valid"]),
            "lines_suggested": pa.array(rows["suggested"], mask=rows["suggested"] < 0, type=pa.int64()),
            "lines_accepted": pa.array(rows["accepted"], mask=rows["accepted"] < 0, type=pa.int64()),
        }
        return pa.table(columns, schema=arrow_schema(TABLE))

    def _records(self, rows: Batch) -> list[dict[str, object]]:
        """Rows as JSON objects: timestamps as text, in UTC or in the person's own offset."""
        table = self._arrow(rows)
        period = self.period
        offset = period.offset_min(self.tz[rows["person"]], period.day_of(rows["t"]))
        style = self.rng.integers(0, 2, len(rows["t"]))
        columns = {name: table.column(name).to_pylist() for name in table.column_names}
        columns["occurred_at"] = format_timestamps(rows["t"], offset, style, unit="ms")
        columns["cost_usd"] = [None if np.isnan(cost) else float(cost) for cost in rows["cost"]]
        return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]

    def _land_week(self, week: int) -> None:
        period, rng = self.period, self.rng
        week_start = period.week_start(week).isoformat()
        week_end = period.start_us + (week + 1) * 7 * US_PER_DAY
        internal = _concat(self.internal_week)
        self.internal_week = []
        if len(internal["t"]):
            internal = _take(internal, np.argsort(internal["t"], kind="stable"))
            relative = f"{TABLE}/internal_agent/events-{week_start}.jsonl"
            self.landing.jsonl(TABLE, relative, self._records(internal), week_end + 4 * US_PER_HOUR)

        templates = self.templates
        per_kind = max(1, round(MALFORMED_SHARE * self.week_rows / len(MALFORMED_KINDS)))
        self.week_rows = 0
        if not len(templates["t"]):
            return
        kinds = rng.permutation(np.repeat(np.arange(len(MALFORMED_KINDS)), per_kind))
        rows = _take(templates, rng.integers(0, len(templates["t"]), len(kinds)))
        rows["event"] = self._counter("event", len(kinds))
        records = self._records(rows)
        relative = f"{TABLE}/manual_uploads/upload-{week_start}.jsonl"
        for line, (record, kind) in enumerate(zip(records, kinds, strict=True), start=1):
            name = MALFORMED_KINDS[kind]
            if name == "unparseable_timestamp":
                date_text = (period.week_start(week) + timedelta(days=int(rng.integers(7)))).isoformat()
                record["occurred_at"] = (
                    f"{date_text}T2{rng.integers(5, 10)}:7{rng.integers(10)}:00Z"
                    if rng.random() < 0.5
                    else "yesterday afternoon"
                )
            elif name == "negative_tokens":
                column = "input_tokens" if rng.random() < 0.5 else "output_tokens"
                record[column] = -max(1, int(record[column] or 1))
            else:
                record["actor_id" if rng.random() < 0.7 else "model"] = None
            key = {"source_tool": record["source_tool"], "event_id": record["event_id"]}
            self.landing.malformed(TABLE, relative, line, name, key)
        self.landing.jsonl(TABLE, relative, records, week_end + 5 * US_PER_HOUR)


def _names(names: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    return pa.array(names, type=pa.string()).take(pa.array(codes, type=pa.int64()))


def _nullable(values: pa.Array, valid: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(valid, type=pa.bool_()), values, pa.scalar(None, pa.string()))
