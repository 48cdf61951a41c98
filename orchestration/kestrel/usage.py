"""AI tools, models, prices and token shapes: how a planned session becomes usage events.

A *session* is one sitting with one tool: an agent run, a chat, an hour of tab completions (a usage
bucket), a scripted batch. Its requests share a context that grows as the conversation goes on; the
tools report that context the way their vendors do:

- Anthropic models (Claude Code, Claude in Cursor, the internal agent on Bedrock) write the prompt
  prefix to the cache on the first request and read it back on later ones, so ``cached_input_tokens``
  dominates and ``cache_write_tokens`` is the part the conversation grew by;
- OpenAI, Google and Cursor's own models cache the repeated prefix automatically, in 128-token steps,
  once a prompt passes 1,024 tokens; there is no cache write;
- Copilot reports no caching; its completions and Cursor's tab come as hourly buckets of suggestions;
- pasted context (whole codebases in a chat) defeats the cache: it is all uncached input.

Costs are list prices per million tokens (``MODELS``); the Sonnet 4.5 price drops mid-period when an
enterprise commitment starts (``PRICE_CHANGES``). Copilot (seats) and the internal agent (charged back
by the platform team) leave ``cost_usd`` empty and let the warehouse price them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.kestrel.calendars import DAY_MS
from orchestration.kestrel.org import AGENT, CC, COPILOT, CURSOR, OPENAI, TOOLS, Org


@dataclass(frozen=True)
class Model:
    name: str
    vendor: str
    input: float
    cached: float
    cache_write: float
    output: float


MODELS: tuple[Model, ...] = (
    Model("claude-sonnet-4-5-20250929", "anthropic", 3.0, 0.30, 3.75, 15.0),
    Model("claude-opus-4-1-20250805", "anthropic", 15.0, 1.50, 18.75, 75.0),
    Model("claude-opus-4-5-20251101", "anthropic", 5.0, 0.50, 6.25, 25.0),
    Model("claude-haiku-4-5-20251001", "anthropic", 1.0, 0.10, 1.25, 5.0),
    Model("claude-4.5-sonnet", "anthropic", 3.0, 0.30, 3.75, 15.0),
    Model("claude-4.5-sonnet-thinking", "anthropic", 3.0, 0.30, 3.75, 15.0),
    Model("claude-4.1-opus", "anthropic", 15.0, 1.50, 18.75, 75.0),
    Model("claude-sonnet-4.5", "anthropic", 3.0, 0.30, 3.75, 15.0),
    Model("gpt-5", "openai", 1.25, 0.125, 0.0, 10.0),
    Model("gpt-5-mini", "openai", 0.25, 0.025, 0.0, 2.0),
    Model("gpt-5-pro", "openai", 15.0, 15.0, 0.0, 120.0),
    Model("gpt-5-codex", "openai", 1.25, 0.125, 0.0, 10.0),
    Model("gpt-4.1", "openai", 2.0, 0.50, 0.0, 8.0),
    Model("o3-pro", "openai", 20.0, 20.0, 0.0, 80.0),
    Model("gemini-2.5-pro", "google", 2.50, 0.625, 0.0, 15.0),
    Model("composer-1", "cursor", 1.25, 0.125, 0.0, 10.0),
    Model("cursor-tab", "cursor", 0.0, 0.0, 0.0, 0.0),
    Model("gpt-4o-copilot", "copilot", 0.0, 0.0, 0.0, 0.0),
    Model("anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic", 3.30, 0.33, 4.125, 16.5),
    Model("anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic", 1.10, 0.11, 1.375, 5.5),
)
M = {model.name: i for i, model in enumerate(MODELS)}
#: Share of the original price from the given fraction of the period on.
PRICE_CHANGES = {
    "claude-sonnet-4-5-20250929": (0.5, 0.88),
    "anthropic.claude-sonnet-4-5-20250929-v1:0": (0.5, 0.88),
}
#: Tools whose rows carry no cost: seat-licensed, or charged back internally.
UNBILLED_TOOLS = (COPILOT, AGENT)
#: Tools whose gateway records a hash of each prompt.
HASHED_TOOLS = (CC, OPENAI, AGENT)
#: Tools that report proposed and accepted lines.
LINE_TOOLS = (CC, CURSOR, COPILOT)

CACHE_ANTHROPIC, CACHE_AUTO, CACHE_NONE = 0, 1, 2


@dataclass(frozen=True)
class Profile:
    name: str
    tool: int
    kind: str
    n: float
    n_sigma: float
    gap_s: float
    ctx0: float
    growth: float
    cap: float
    user_in: float
    out: float
    out_sigma: float
    lines: float
    models: tuple[tuple[str, float], ...]
    bucket: bool = False
    nocache: bool = False
    cache_share: float = 1.0
    calls: float = 1.0


_SONNET, _OPUS41, _OPUS45, _HAIKU = (
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-1-20250805",
    "claude-opus-4-5-20251101",
    "claude-haiku-4-5-20251001",
)
_BEDROCK_SONNET, _BEDROCK_HAIKU = (
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-haiku-4-5-20251001-v1:0",
)

PROFILES: tuple[Profile, ...] = (
    Profile("cc_agent", CC, "agent", 5, 0.6, 110, 24_000, 9_000, 168_000, 220, 650, 0.9, 22,
            ((_SONNET, 0.80), (_OPUS41, 0.05), (_OPUS45, 0.08), (_HAIKU, 0.07)), calls=5.0),
    Profile("cc_chat", CC, "chat", 3, 0.6, 120, 19_000, 1_800, 90_000, 350, 480, 0.8, 0,
            ((_SONNET, 0.75), (_HAIKU, 0.15), (_OPUS45, 0.10))),
    Profile("cursor_agent", CURSOR, "agent", 4, 0.6, 90, 14_000, 7_500, 120_000, 260, 720, 0.9, 28,
            (("claude-4.5-sonnet", 0.42), ("claude-4.5-sonnet-thinking", 0.13), ("gpt-5", 0.15),
             ("composer-1", 0.25), ("gpt-5-codex", 0.05)), calls=4.0),
    Profile("cursor_chat", CURSOR, "chat", 3, 0.6, 100, 6_000, 2_200, 60_000, 380, 430, 0.8, 0,
            (("claude-4.5-sonnet", 0.40), ("gpt-5", 0.30), ("composer-1", 0.20), ("gemini-2.5-pro", 0.10))),
    Profile("cursor_tab", CURSOR, "tab", 2, 0.5, 7200, 900, 0, 900, 0, 16, 0.3, 1.7,
            (("cursor-tab", 1.0),), bucket=True),
    Profile("copilot_tab", COPILOT, "completion", 2, 0.5, 7200, 1_500, 0, 1_500, 0, 20, 0.3, 1.9,
            (("gpt-4o-copilot", 1.0),), bucket=True),
    Profile("copilot_chat", COPILOT, "chat", 2, 0.6, 90, 4_500, 1_500, 40_000, 320, 420, 0.8, 0,
            (("gpt-4.1", 0.50), ("claude-sonnet-4.5", 0.35), ("gpt-5-mini", 0.15))),
    Profile("copilot_review", COPILOT, "review", 1.5, 0.4, 30, 14_000, 500, 60_000, 0, 850, 0.6, 0,
            (("gpt-4.1", 1.0),)),
    Profile("openai_chat", OPENAI, "chat", 2, 0.6, 70, 3_000, 1_400, 50_000, 700, 520, 0.8, 0,
            (("gpt-5", 0.40), ("gpt-5-mini", 0.40), ("gpt-4.1", 0.20))),
    Profile("agent_run", AGENT, "agent", 4, 0.5, 45, 9_000, 5_500, 70_000, 150, 380, 0.7, 0,
            ((_BEDROCK_SONNET, 0.70), (_BEDROCK_HAIKU, 0.30)), calls=3.5),
    Profile("cc_review", CC, "review", 2, 0.4, 90, 38_000, 12_000, 150_000, 200, 1_100, 0.7, 0,
            ((_SONNET, 0.85), (_OPUS45, 0.15)), calls=2.0),
    Profile("cc_longdoc", CC, "chat", 5, 0.5, 240, 125_000, 8_000, 190_000, 600, 1_900, 0.7, 0,
            ((_SONNET, 0.65), (_OPUS45, 0.35)), calls=1.6),
    Profile("eval_item", OPENAI, "completion", 60, 0.0, 2.5, 8_000, 0, 8_000, 0, 170, 0.5, 0,
            (("gpt-5-mini", 0.50), ("gpt-4.1", 0.30), ("gpt-5", 0.20)), cache_share=0.42),
    Profile("stuffed_cursor", CURSOR, "chat", 2.5, 0.5, 140, 380_000, 20_000, 950_000, 0, 900, 0.6, 0,
            (("gemini-2.5-pro", 0.40), ("claude-4.5-sonnet", 0.35), ("gpt-4.1", 0.25)), nocache=True),
    Profile("stuffed_cc", CC, "chat", 2.5, 0.5, 140, 420_000, 20_000, 980_000, 0, 900, 0.6, 0,
            ((_SONNET, 1.0),), nocache=True),
    Profile("trivia_cc", CC, "chat", 1.6, 0.5, 60, 17_000, 600, 30_000, 60, 1_600, 0.8, 0,
            ((_OPUS41, 0.75), (_OPUS45, 0.25))),
    Profile("trivia_openai", OPENAI, "chat", 1.5, 0.5, 60, 400, 100, 3_000, 80, 3_500, 0.8, 0,
            (("o3-pro", 0.45), ("gpt-5-pro", 0.55))),
    Profile("trivia_cursor", CURSOR, "chat", 1.5, 0.5, 60, 9_000, 500, 20_000, 60, 1_500, 0.8, 0,
            (("claude-4.1-opus", 1.0),)),
    Profile("replay", OPENAI, "completion", 4, 0.0, 2.0, 12_000, 0, 12_000, 200, 600, 0.6, 0,
            (("gpt-4.1", 0.50), ("gpt-5", 0.30), ("gpt-5-mini", 0.20)), cache_share=0.9),
    Profile("bg_cc", CC, "agent", 18, 0.6, 420, 32_000, 12_000, 160_000, 120, 850, 0.8, 35,
            ((_SONNET, 0.85), (_OPUS45, 0.15)), calls=5.0),
    Profile("bg_agent", AGENT, "agent", 22, 0.6, 320, 20_000, 9_000, 110_000, 90, 600, 0.8, 0,
            ((_BEDROCK_SONNET, 1.0),), calls=4.5),
)  # fmt: skip
PR = {profile.name: i for i, profile in enumerate(PROFILES)}


def _column(name: str, dtype=np.float64) -> np.ndarray:
    return np.array([getattr(profile, name) for profile in PROFILES], dtype=dtype)


PROFILE_TOOL = _column("tool", np.int64)
_N, _NSIG, _GAP = _column("n"), _column("n_sigma"), _column("gap_s")
_CTX0, _GROWTH, _CAP = _column("ctx0"), _column("growth"), _column("cap")
_USER, _OUT, _OUTSIG, _LINES = _column("user_in"), _column("out"), _column("out_sigma"), _column("lines")
_BUCKET, _NOCACHE, _CACHE_SHARE = _column("bucket", bool), _column("nocache", bool), _column("cache_share")
_CALLS = _column("calls")
KINDS = ("chat", "completion", "agent", "tab", "review", "other")
_KIND = np.array([KINDS.index(profile.kind) for profile in PROFILES], dtype=np.int64)
_MODEL_CUM = [
    (
        np.array([M[name] for name, _ in p.models]),
        np.cumsum([w for _, w in p.models]) / sum(w for _, w in p.models),
    )
    for p in PROFILES
]
_VENDOR_CACHE = np.array(
    [CACHE_ANTHROPIC if m.vendor == "anthropic" else CACHE_NONE if m.vendor == "copilot" else CACHE_AUTO
     for m in MODELS]
)  # fmt: skip
_PRICE = np.array([[m.input, m.cached, m.cache_write, m.output] for m in MODELS], dtype=np.float64)

#: Prompt modes: a fresh prompt per request, a fixed set of templates, regenerations, or no hash at all.
UNIQUE, TEMPLATE, REGENERATE, NOHASH = 0, 1, 2, 3

SESSION_FIELDS = (
    "person", "account", "profile", "model", "start", "n", "gap", "ctx", "growth", "out_scale", "pmode",
    "pbase", "pk", "accept", "style",
)  # fmt: skip


def price_table(org: Org) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per model: the price before, the price after and the instant the change takes effect."""
    before = _PRICE.copy()
    after = _PRICE.copy()
    change_ms = np.full(len(MODELS), np.iinfo(np.int64).max, dtype=np.int64)
    for name, (share, factor) in PRICE_CHANGES.items():
        week = round(org.cal.weeks * share)
        if 0 < week < org.cal.weeks:
            after[M[name]] *= factor
            change_ms[M[name]] = org.cal.start_ms + week * 7 * DAY_MS
    return before, after, change_ms


def price_changes(org: Org) -> list[tuple[str, int]]:
    """(model, first day index) of every price change inside the period."""
    out = []
    for name, (share, _factor) in PRICE_CHANGES.items():
        week = round(org.cal.weeks * share)
        if 0 < week < org.cal.weeks:
            out.append((name, week * 7))
    return out


class Planner:
    """Collects planned sessions; ``take()`` hands them over as one set of arrays."""

    def __init__(self, org: Org, rng: np.random.Generator):
        self.org = org
        self.rng = rng
        self.parts: list[dict[str, np.ndarray]] = []

    def add(
        self,
        person: np.ndarray,
        profile: np.ndarray | int,
        start: np.ndarray,
        *,
        account: np.ndarray | None = None,
        model: np.ndarray | None = None,
        n: np.ndarray | None = None,
        n_scale: np.ndarray | float = 1.0,
        gap_scale: np.ndarray | float = 1.0,
        ctx_scale: np.ndarray | float = 1.0,
        out_scale: np.ndarray | float = 1.0,
        pmode: np.ndarray | int | None = None,
        pbase: np.ndarray | int = 0,
        pk: np.ndarray | int = 1,
        accept: np.ndarray | float | None = None,
        style: int = -1,
    ) -> None:
        person = np.asarray(person, dtype=np.int64)
        size = len(person)
        if size == 0:
            return
        rng = self.rng
        profile = np.broadcast_to(np.asarray(profile, dtype=np.int64), (size,)).copy()
        tool = PROFILE_TOOL[profile]
        if account is None:
            account = self.org.account_of[person, tool]
        account = np.broadcast_to(np.asarray(account, dtype=np.int64), (size,)).copy()
        keep = account >= 0
        if model is None:
            model = np.zeros(size, dtype=np.int64)
            draw = rng.random(size)
            for k in np.unique(profile):
                mask = profile == k
                ids, cum = _MODEL_CUM[int(k)]
                model[mask] = ids[np.minimum(np.searchsorted(cum, draw[mask]), len(ids) - 1)]
        model = np.broadcast_to(np.asarray(model, dtype=np.int64), (size,)).copy()
        if n is None:
            sigma = _NSIG[profile]
            n = np.round(_N[profile] * np.exp(sigma * rng.standard_normal(size)) * n_scale)
        n = np.maximum(1, np.broadcast_to(np.asarray(n), (size,))).astype(np.int64)
        ctx = _CTX0[profile] * np.asarray(ctx_scale) * rng.lognormal(0.0, 0.3, size)
        growth = _GROWTH[profile] * np.asarray(ctx_scale) * rng.lognormal(0.0, 0.3, size)
        if pmode is None:
            pmode = np.where(_BUCKET[profile], NOHASH, UNIQUE)
        if accept is None:
            accept = self.org.accept[np.maximum(person, 0)]
        part = {
            "person": person,
            "account": account,
            "profile": profile,
            "model": model,
            "start": np.asarray(start, dtype=np.int64),
            "n": n,
            "gap": _GAP[profile] * np.broadcast_to(np.asarray(gap_scale, dtype=float), (size,)),
            "ctx": ctx,
            "growth": growth,
            "out_scale": np.broadcast_to(np.asarray(out_scale, dtype=float), (size,)),
            "pmode": np.broadcast_to(np.asarray(pmode, dtype=np.int64), (size,)),
            "pbase": np.broadcast_to(np.asarray(pbase, dtype=np.int64), (size,)),
            "pk": np.broadcast_to(np.asarray(pk, dtype=np.int64), (size,)),
            "accept": np.broadcast_to(np.asarray(accept, dtype=float), (size,)),
            "style": np.full(size, style, dtype=np.int64),
        }
        self.parts.append({key: np.ascontiguousarray(value)[keep] for key, value in part.items()})

    def take(self) -> dict[str, np.ndarray]:
        parts, self.parts = self.parts, []
        if not parts:
            return {
                key: np.zeros(0, dtype=np.float64 if key in FLOAT_FIELDS else np.int64)
                for key in SESSION_FIELDS
            }
        return {key: np.concatenate([part[key] for part in parts]) for key in SESSION_FIELDS}


FLOAT_FIELDS = {"ctx", "growth", "out_scale", "accept", "gap"}


class Expander:
    """Turns sessions into request rows with tokens, cost, prompt keys and lines."""

    def __init__(self, org: Org):
        self.org = org
        self.next_event = 0
        self.next_session = 0
        self.before, self.after, self.change_ms = price_table(org)

    def expand(self, s: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
        count = len(s["person"])
        if count == 0:
            return empty_events()
        n = s["n"]
        total = int(n.sum())
        session_uid = self.next_session + np.arange(count, dtype=np.int64)
        self.next_session += count
        uid = self.next_event + np.arange(total, dtype=np.int64)
        self.next_event += total
        sid = np.repeat(np.arange(count), n)
        first = np.cumsum(n) - n
        j = np.arange(total) - np.repeat(first, n)
        prof = s["profile"][sid]
        model = s["model"][sid]
        bucket = _BUCKET[prof]

        # Request times.
        gaps = np.where(bucket, _GAP[prof], s["gap"][sid] * (0.25 + rng.exponential(0.75, total)))
        gaps[j == 0] = 0.0
        cum = np.cumsum(gaps)
        offset = cum - np.repeat(cum[first], n)
        jitter = np.where(bucket, rng.integers(0, 600_000, total), rng.integers(0, 1000, total))
        ts = s["start"][sid] + (offset * 1000).astype(np.int64) + jitter

        # Context and tokens.
        ctx0 = s["ctx"][sid]
        growth = s["growth"][sid]
        cap = np.maximum(_CAP[prof], ctx0 + 1)
        span = np.where(growth > 0, np.maximum(1, np.floor((cap - ctx0) / np.maximum(growth, 1))), 10**9)
        steps = np.mod(j, span)
        ctx = ctx0 + growth * steps
        prev = np.where(steps > 0, ctx - growth, 0.0)
        user = np.where(_USER[prof] > 0, _USER[prof] * rng.lognormal(0.0, 1.0, total), 0.0)
        out = _OUT[prof] * s["out_scale"][sid] * np.exp(_OUTSIG[prof] * rng.standard_normal(total))
        mode = np.where(_NOCACHE[prof], CACHE_NONE, _VENDOR_CACHE[model])
        mode = np.where(PROFILE_TOOL[prof] == COPILOT, CACHE_NONE, mode)

        input_tokens = np.zeros(total)
        cached = np.zeros(total)
        written = np.zeros(total)
        anth = mode == CACHE_ANTHROPIC
        compacted = (steps == 0) & (j > 0)
        cached[anth] = np.where(compacted[anth], 0.55 * ctx0[anth], prev[anth])
        written[anth] = ctx[anth] - cached[anth]
        input_tokens[anth] = user[anth] + rng.integers(3, 40, int(anth.sum()))
        auto = mode == CACHE_AUTO
        prompt = ctx + user
        hit = np.where(j > 0, _CACHE_SHARE[prof] * rng.uniform(0.85, 1.0, total), 0.0)
        auto_cached = np.where(prompt >= 1024, np.floor(np.minimum(prev, prompt) * hit / 128) * 128, 0.0)
        shared = (j > 0) & (_CACHE_SHARE[prof] < 1.0)
        auto_cached = np.where(shared & (prompt >= 1024), np.floor(prompt * hit / 128) * 128, auto_cached)
        cached[auto] = auto_cached[auto]
        input_tokens[auto] = prompt[auto] - cached[auto]
        none = mode == CACHE_NONE
        input_tokens[none] = prompt[none]

        # Buckets: an hour of suggestions.
        suggestions = np.where(bucket, rng.poisson(np.maximum(1.0, 60.0 * s["ctx"][sid] / _CTX0[prof])), 0)
        suggestions = np.maximum(suggestions, bucket.astype(np.int64))
        input_tokens = np.where(
            bucket, suggestions * _CTX0[prof] * rng.lognormal(0, 0.2, total), input_tokens
        )
        out = np.where(bucket, suggestions * _OUT[prof] * rng.lognormal(0, 0.3, total), out)

        # A row of an agent's turn sums the model calls of its tool loop: each re-reads the context.
        calls = np.where(bucket, 1, 1 + rng.poisson(np.maximum(_CALLS[prof] - 1.0, 0.0)))
        cached = cached * calls
        input_tokens = np.where(bucket, input_tokens, input_tokens + (calls - 1) * rng.integers(3, 60, total))
        out = out * np.where(bucket, 1.0, np.sqrt(calls))

        input_tokens = np.round(input_tokens).astype(np.int64)
        cached = np.round(cached).astype(np.int64)
        written = np.round(written).astype(np.int64)
        out = np.maximum(1, np.round(out)).astype(np.int64)

        # Lines proposed and accepted.
        tool = PROFILE_TOOL[prof]
        accept = s["accept"][sid]
        proposes = np.where(bucket, True, (_LINES[prof] > 0) & (rng.random(total) < 0.55))
        proposes &= np.isin(tool, LINE_TOOLS)
        lines = np.where(
            bucket,
            np.round(suggestions * _LINES[prof] * rng.lognormal(0, 0.2, total)),
            np.round(np.maximum(_LINES[prof], 1) * rng.lognormal(0, 1.0, total)),
        ).astype(np.int64)
        accepted = rng.binomial(np.maximum(lines, 0), np.clip(accept, 0, 1))
        lines = np.where(proposes, lines, -1)
        accepted = np.where(proposes, accepted, -1)

        # Cost at the price of the day.
        after = ts >= self.change_ms[model]
        price = np.where(after[:, None], self.after[model], self.before[model])
        cost = (
            input_tokens * price[:, 0] + cached * price[:, 1] + written * price[:, 2] + out * price[:, 3]
        ) / 1e6
        cost = np.round(cost, 6)

        # Prompt keys: equal keys are equal prompts.
        pmode = s["pmode"][sid]
        retry = (rng.random(total) < 0.03) & (j > 0)
        key = np.zeros(total, dtype=np.uint64)
        key_unique = (uid - retry).astype(np.uint64) | np.uint64(1 << 62)
        key_template = (
            (s["pbase"][sid].astype(np.uint64) << np.uint64(20))
            + np.mod(j, np.maximum(s["pk"][sid], 1)).astype(np.uint64)
        ) | np.uint64(1 << 61)
        repeat = np.maximum(s["pk"][sid], 1)
        key_regen = (
            (session_uid[sid].astype(np.uint64) << np.uint64(8)) + (j // repeat).astype(np.uint64)
        ) | (np.uint64(1 << 60))
        key = np.where(pmode == TEMPLATE, key_template, np.where(pmode == REGENERATE, key_regen, key_unique))
        has_hash = (pmode != NOHASH) & np.isin(tool, HASHED_TOOLS)

        return {
            "uid": uid,
            "person": s["person"][sid],
            "account": s["account"][sid],
            "tool": tool,
            "kind": _KIND[prof],
            "model": model,
            "ts": ts,
            "session": np.where(bucket, -1, session_uid[sid]),
            "input": input_tokens,
            "cached": cached,
            "written": written,
            "output": out,
            "cost": cost,
            "billed": ~np.isin(tool, UNBILLED_TOOLS),
            "key": key,
            "has_hash": has_hash,
            "lines": lines,
            "accepted": accepted,
            "style": s["style"][sid],
        }


EVENT_FIELDS = (
    "uid", "person", "account", "tool", "kind", "model", "ts", "session", "input", "cached", "written",
    "output", "cost", "billed", "key", "has_hash", "lines", "accepted", "style",
)  # fmt: skip


def concat_events(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    parts = [part for part in parts if len(part["uid"])]
    if not parts:
        return empty_events()
    return {key: np.concatenate([part[key] for part in parts]) for key in EVENT_FIELDS}


def empty_events() -> dict[str, np.ndarray]:
    out = {key: np.zeros(0, dtype=np.int64) for key in EVENT_FIELDS}
    out["cost"] = np.zeros(0)
    out["billed"] = np.zeros(0, dtype=bool)
    out["has_hash"] = np.zeros(0, dtype=bool)
    out["key"] = np.zeros(0, dtype=np.uint64)
    return out


def select(events: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
    return {key: value[mask] for key, value in events.items()}


def tokens(events: dict[str, np.ndarray]) -> np.ndarray:
    return events["input"] + events["cached"] + events["written"] + events["output"]


__all__ = ["MODELS", "PR", "PROFILES", "TOOLS", "Expander", "Planner"]
