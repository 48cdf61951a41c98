"""From sessions to requests: every AI interaction at Brae is a session of one or more requests.

A session names its person (or an automation account), tool, start, request count, pacing and a
token shape. Expanding sessions gives one row per request, with token counts that follow how each
tool really bills: Claude Code re-reads a growing cached context on every turn and writes the new
part to the cache; Copilot completions arrive as hourly buckets; embeddings have no output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.brae.calendar import US
from orchestration.brae.hashing import mix
from orchestration.brae.traits import CLAUDE, COPILOT, CURSOR, INTERNAL, OPENAI

MODELS = (
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-5-20251101",
    "claude-haiku-4-5-20251001",
    "claude-4.5-sonnet",
    "claude-4.5-opus",
    "gpt-5",
    "composer-1",
    "gpt-4.1",
    "gpt-4o-copilot",
    "gpt-5-2025-08-07",
    "gpt-5-mini-2025-08-07",
    "text-embedding-3-large",
    "claude-sonnet-4-5",
    "llama-3.3-70b-instruct",
)
(
    SONNET,
    OPUS,
    HAIKU,
    CUR_SONNET,
    CUR_OPUS,
    CUR_GPT5,
    COMPOSER,
    GPT41,
    COPILOT_TAB,
    GPT5,
    GPT5_MINI,
    EMBED_3,
    GW_SONNET,
    LLAMA,
) = range(14)
#: The organisation's prices per million tokens: input, cached input, cache write, output. Copilot is
#: a seat, so its models cost nothing per token; the self-hosted model is charged back at GPU cost.
PRICES = np.array(
    [
        (3.0, 0.30, 3.75, 15.0),
        (5.0, 0.50, 6.25, 25.0),
        (1.0, 0.10, 1.25, 5.0),
        (3.0, 0.30, 3.75, 15.0),
        (5.0, 0.50, 6.25, 25.0),
        (1.25, 0.125, 0.0, 10.0),
        (1.25, 0.125, 0.0, 10.0),
        (0.0, 0.0, 0.0, 0.0),
        (0.0, 0.0, 0.0, 0.0),
        (1.25, 0.125, 0.0, 10.0),
        (0.25, 0.025, 0.0, 2.0),
        (0.13, 0.0, 0.0, 0.0),
        (3.0, 0.30, 3.75, 15.0),
        (0.60, 0.15, 0.0, 0.90),
    ]
)
#: Models of Anthropic's enterprise agreement, discounted from its start.
ANTHROPIC = (SONNET, OPUS, HAIKU, GW_SONNET)
DISCOUNT = 0.85

KINDS = ("chat", "completion", "agent", "tab", "review", "other")
CHAT, COMPLETION, AGENT, TAB, REVIEW, OTHER = range(6)

# Token shapes.
(
    S_TAB,
    S_AGENT,
    S_CHAT,
    S_REVIEW,
    S_INCIDENT,
    S_MIGRATION,
    S_PASTE,
    S_LONGOUT,
    S_LEARN,
    S_TRIVIA,
    S_STUFF,
    S_IDLE,
    S_REGEN,
    S_FANOUT,
    S_BURST,
    S_PROTO,
    S_EMBED,
    S_CLASSIFY,
    S_REPLAY,
    S_RECHURN,
) = range(20)

# in_med, in_sig, base_lo, base_hi, growth, cap, writes_cache, out_med, out_sig, long_p, long_med, kind
_SHAPE = {
    S_AGENT: (150, 1.2, 12000, 22000, 3000, 160000, 1, 280, 1.0, 0.12, 2000, AGENT),
    S_CHAT: (3000, 0.8, 0, 0, 0, 0, 0, 450, 0.7, 0.05, 1500, CHAT),
    S_REVIEW: (25000, 0.6, 0, 0, 0, 0, 0, 900, 0.5, 0.0, 0, REVIEW),
    S_INCIDENT: (12000, 1.0, 10000, 16000, 4000, 150000, 1, 500, 0.7, 0.05, 1500, AGENT),
    S_MIGRATION: (400, 1.0, 40000, 60000, 7000, 190000, 1, 900, 0.8, 0.25, 5000, AGENT),
    S_PASTE: (45000, 0.5, 8000, 15000, 0, 15001, 1, 2500, 0.5, 0.0, 0, CHAT),
    S_LONGOUT: (2500, 0.6, 20000, 60000, 1500, 120000, 1, 7000, 0.4, 0.0, 0, CHAT),
    S_LEARN: (300, 1.0, 15000, 25000, 6000, 170000, 1, 700, 0.6, 0.0, 0, CHAT),
    S_TRIVIA: (60, 0.7, 14000, 20000, 300, 30000, 1, 90, 0.6, 0.0, 0, CHAT),
    S_STUFF: (150000, 0.15, 0, 0, 0, 0, 0, 500, 0.6, 0.0, 0, CHAT),
    S_IDLE: (120, 0.8, 45000, 90000, 200, 95000, 1, 150, 0.6, 0.0, 0, AGENT),
    S_REGEN: (2000, 0.6, 10000, 30000, 2500, 120000, 1, 3500, 0.5, 0.0, 0, CHAT),
    S_FANOUT: (8000, 0.6, 0, 0, 0, 0, 0, 1200, 0.6, 0.0, 0, CHAT),
    S_BURST: (300, 1.0, 30000, 45000, 5000, 180000, 1, 600, 0.8, 0.15, 2500, AGENT),
    S_PROTO: (300, 1.0, 20000, 30000, 4000, 170000, 1, 1800, 0.6, 0.3, 4000, AGENT),
    S_EMBED: (6000, 0.3, 0, 0, 0, 0, 0, 0, 0.0, 0.0, 0, OTHER),
    S_CLASSIFY: (700, 0.3, 1200, 1201, 0, 1202, 0, 60, 0.4, 0.0, 0, COMPLETION),
    S_RECHURN: (30000, 0.5, 0, 0, 0, 0, 0, 800, 0.5, 0.0, 0, REVIEW),
}

COLUMNS = (
    "person",
    "account",
    "tool",
    "start",
    "n",
    "gap",
    "shape",
    "model",
    "inflating",
    "family",
    "pool",
    "regular",
    "accept",
)


@dataclass
class Sessions:
    """Columns of sessions; `account` >= 0 marks an automation account that belongs to nobody."""

    cols: dict[str, np.ndarray]

    @staticmethod
    def make(
        person: np.ndarray,
        tool: np.ndarray | int,
        start: np.ndarray,
        n: np.ndarray | int,
        gap: np.ndarray | float,
        shape: np.ndarray | int,
        *,
        model: np.ndarray | int = -1,
        inflating: bool = False,
        family: np.ndarray | int = 0,
        pool: np.ndarray | int = 0,
        regular: bool = False,
        accept: np.ndarray | float = -1.0,
        account: np.ndarray | int = -1,
    ) -> Sessions:
        size = np.asarray(person).size

        def full(value, dtype):
            arr = np.asarray(value, dtype=dtype)
            return np.broadcast_to(arr, (size,)).copy() if arr.ndim == 0 else arr.astype(dtype)

        return Sessions(
            {
                "person": full(person, np.int64),
                "account": full(account, np.int64),
                "tool": full(tool, np.int64),
                "start": full(start, np.int64),
                "n": np.maximum(full(n, np.int64), 1),
                "gap": full(gap, np.float64),
                "shape": full(shape, np.int64),
                "model": full(model, np.int64),
                "inflating": full(inflating, bool),
                "family": full(family, np.uint64),
                "pool": full(pool, np.int64),
                "regular": full(regular, bool),
                "accept": full(accept, np.float64),
            }
        )

    @staticmethod
    def concat(parts: list[Sessions]) -> Sessions:
        kept = [p for p in parts if p.cols["person"].size]
        if not kept:
            return Sessions.make(np.zeros(0, np.int64), 0, np.zeros(0, np.int64), 1, 0.0, 0)
        return Sessions({c: np.concatenate([p.cols[c] for p in kept]) for c in COLUMNS})


def _lognormal(rng: np.random.Generator, median: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    return np.exp(np.log(np.maximum(median, 1e-9)) + sigma * rng.standard_normal(np.shape(median)))


def expand(s: Sessions, opus_pref: np.ndarray, rng: np.random.Generator, salt: int) -> dict[str, np.ndarray]:
    """One row per request: time, tool, model, kind, tokens, lines, prompt and session keys."""
    c = s.cols
    n_sess = c["n"].size
    idx = np.repeat(np.arange(n_sess), c["n"])
    first = np.cumsum(c["n"]) - c["n"]
    j = np.arange(idx.size) - first[idx]
    m = idx.size

    gap = c["gap"][idx]
    jitter = np.where(c["regular"][idx], gap * rng.uniform(0.9, 1.1, m), rng.exponential(gap))
    jitter[j == 0] = 0.0
    cs = np.cumsum(jitter)
    offset = cs - cs[first[idx]]
    t = c["start"][idx] + (offset * US).astype(np.int64)

    tool = c["tool"][idx]
    shape = c["shape"][idx]
    person = c["person"][idx]

    # Model: the session's own, or the person's habit for the tool.
    s_model = c["model"].copy()
    u = rng.random(n_sess)
    pref = np.where(c["person"] >= 0, opus_pref[np.maximum(c["person"], 0)], 0.0)
    auto = s_model < 0
    st = c["tool"]
    sh = c["shape"]
    choice = np.select(
        [
            st == CLAUDE,
            (st == CURSOR) & (u < pref * 0.5),
            (st == CURSOR) & (u < 0.45),
            (st == CURSOR) & (u < 0.72),
            st == CURSOR,
            (st == COPILOT) & (sh == S_TAB),
            st == COPILOT,
            (st == OPENAI) & (sh == S_EMBED),
            (st == OPENAI) & (u < 0.3),
            st == OPENAI,
            (st == INTERNAL) & (u < 0.6),
        ],
        [
            np.where(u < pref, OPUS, SONNET),
            CUR_OPUS,
            CUR_SONNET,
            CUR_GPT5,
            COMPOSER,
            COPILOT_TAB,
            GPT41,
            EMBED_3,
            GPT5,
            GPT5_MINI,
            GW_SONNET,
        ],
        LLAMA,
    )
    s_model[auto] = choice[auto]
    model = s_model[idx]

    inp = np.zeros(m)
    cached = np.zeros(m)
    write = np.zeros(m)
    out = np.zeros(m)
    kind = np.zeros(m, dtype=np.int64)
    base_s = np.zeros(n_sess)
    growth_s = np.zeros(n_sess)
    for code, (
        in_med,
        in_sig,
        lo,
        hi,
        growth,
        cap,
        writes,
        out_med,
        out_sig,
        long_p,
        long_med,
        k,
    ) in _SHAPE.items():
        sess = sh == code
        if not sess.any():
            continue
        base_s[sess] = rng.uniform(lo, max(hi, lo + 1), int(sess.sum()))
        growth_s[sess] = growth * rng.lognormal(0, 0.4, int(sess.sum()))
        rows = shape == code
        r = int(rows.sum())
        if r == 0:
            continue
        inp[rows] = _lognormal(rng, np.full(r, float(in_med)), np.full(r, in_sig))
        jr = j[rows]
        base = base_s[idx[rows]]
        grown = growth_s[idx[rows]] * jr
        span = max(cap - lo, 1)
        ctx = base + np.mod(grown, span) if growth else base
        if hi > 0:
            cached[rows] = np.where(jr == 0, 0.0, ctx)
            if writes:
                write[rows] = np.where(
                    jr == 0, base, growth_s[idx[rows]] * rng.uniform(0.3, 1.3, r) + inp[rows] * 0.5
                )
            else:
                cached[rows] = base
        if out_med:
            o = _lognormal(rng, np.full(r, float(out_med)), np.full(r, out_sig))
            if long_p:
                o = np.where(
                    rng.random(r) < long_p, _lognormal(rng, np.full(r, float(long_med)), np.full(r, 0.5)), o
                )
            out[rows] = o
        kind[rows] = k

    # Copilot completions, one row per hour bucket.
    rows = shape == S_TAB
    r = int(rows.sum())
    completions = np.maximum(1, _lognormal(rng, np.full(r, 30.0), np.full(r, 0.7)))
    inp[rows] = completions * rng.uniform(900, 1800, r)
    out[rows] = completions * rng.uniform(8, 40, r)
    kind[rows] = TAB

    # Replayed prompts: the same prompt gives nearly the same token counts every time.
    rows = shape == S_REPLAY
    if rows.any():
        key = mix(c["family"][idx[rows]], j[rows] % np.maximum(c["pool"][idx[rows]], 1))
        inp[rows] = (2000 + key % 8000) * rng.uniform(0.98, 1.02, int(rows.sum()))
        cached[rows] = ((key >> np.uint64(20)) % 15000).astype(float)
        out[rows] = (300 + (key >> np.uint64(40)) % 900) * rng.uniform(0.9, 1.1, int(rows.sum()))
        kind[rows] = np.where(tool[rows] == OPENAI, CHAT, AGENT)
    # Review re-requests of an unchanged change read the same diff each time.
    rows = shape == S_RECHURN
    if rows.any():
        key = mix(c["family"][idx[rows]], 3)
        inp[rows] = (15000 + key % 40000) * rng.uniform(0.97, 1.03, int(rows.sum()))

    # Claude Code hands small chores (titles, summaries, file search) to Haiku.
    helper = (tool == CLAUDE) & np.isin(shape, (S_AGENT, S_MIGRATION, S_BURST, S_PROTO, S_IDLE, S_INCIDENT))
    helper &= (j > 0) & (rng.random(m) < 0.12) & (model != OPUS)
    h = int(helper.sum())
    model = np.where(helper, HAIKU, model)
    inp[helper] = _lognormal(rng, np.full(h, 1500.0), np.full(h, 0.6))
    cached[helper] = 0
    write[helper] = 0
    out[helper] = _lognormal(rng, np.full(h, 120.0), np.full(h, 0.6))

    # What each vendor reports: no cache writes outside Anthropic's models, no caching in Copilot.
    no_write = ~np.isin(model, (SONNET, OPUS, HAIKU, CUR_SONNET, CUR_OPUS, GW_SONNET))
    write[no_write] = 0
    cached[tool == COPILOT] = 0
    cached[model == EMBED_3] = 0

    inp = np.round(inp).astype(np.int64)
    cached = np.round(cached).astype(np.int64)
    write = np.round(write).astype(np.int64)
    out = np.round(out).astype(np.int64)

    # Lines of code: proposed when a reply writes code; accepted at the person's (or session's) rate.
    accept_s = np.where(c["accept"] >= 0, c["accept"], rng.beta(6, 3, n_sess))
    codes = (out > 600) & np.isin(kind, (AGENT, CHAT))
    suggested = np.where(codes, out // 11, 0)
    tab = shape == S_TAB
    tab_lines = np.zeros(m)
    tab_lines[tab] = np.round(completions * rng.uniform(0.6, 1.4, completions.size))
    suggested = np.where(tab, tab_lines, suggested)
    accepted = np.floor(suggested * np.where(tab, rng.beta(3, 6, m), accept_s[idx]))
    has_lines = np.isin(kind, (AGENT, CHAT, TAB))

    # Prompts: unique by default; people reuse a few stock prompts; some sessions draw from a pool.
    prompt = mix(salt, 3, idx, j)
    pooled = c["pool"][idx] > 0
    prompt = np.where(pooled, mix(salt, 5, c["family"][idx], j % np.maximum(c["pool"][idx], 1)), prompt)
    stock = (~pooled) & (person >= 0) & (rng.random(m) < 0.07)
    prompt = np.where(stock, mix(salt, 7, person, rng.integers(0, 12, m)), prompt)
    common = (~pooled) & (rng.random(m) < 0.02)
    prompt = np.where(common, mix(salt, 11, rng.integers(0, 30, m)), prompt)
    return {
        "t": t,
        "person": person,
        "account": c["account"][idx],
        "tool": tool,
        "model": model,
        "kind": kind,
        "input": inp,
        "cached": cached,
        "write": write,
        "output": out,
        "suggested": suggested.astype(np.int64),
        "accepted": accepted.astype(np.int64),
        "has_lines": has_lines,
        "prompt": prompt,
        "session": idx,
        "inflating": c["inflating"][idx],
    }
