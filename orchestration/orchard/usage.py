"""AI usage: planned as blocks (a session, an hour of tab completions, a batch night, a burst) and
expanded to one row per request, or per usage bucket, with numpy."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np

TOOLS = ("claude_code", "cursor", "copilot", "openai_api", "internal_agent")
KINDS = ("chat", "completion", "agent", "tab", "review", "other")
MODELS = (
    "claude-sonnet-4-5",
    "claude-opus-4-1",
    "claude-haiku-4-5",
    "gpt-5",
    "gpt-5-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "o3-pro",
    "orchard-coder-32b",
    "cursor-small",
)
#: model → (input, cached input, cache write, output) USD per million tokens
PRICES: dict[str, tuple[float, float, float, float]] = {
    "claude-sonnet-4-5": (3.0, 0.3, 3.75, 15.0),
    "claude-opus-4-1": (15.0, 1.5, 18.75, 75.0),
    "claude-haiku-4-5": (1.0, 0.1, 1.25, 5.0),
    "gpt-5": (1.25, 0.125, 0.0, 10.0),
    "gpt-5-mini": (0.25, 0.025, 0.0, 2.0),
    "gpt-4.1": (2.0, 0.5, 0.0, 8.0),
    "gpt-4.1-mini": (0.4, 0.1, 0.0, 1.6),
    "o3-pro": (20.0, 20.0, 0.0, 80.0),
    "orchard-coder-32b": (0.2, 0.02, 0.0, 0.6),
    "cursor-small": (0.1, 0.01, 0.0, 0.4),
}
TOOL = {name: i for i, name in enumerate(TOOLS)}
KIND = {name: i for i, name in enumerate(KINDS)}
MODEL = {name: i for i, name in enumerate(MODELS)}

# Token profiles: (input mu, sigma, p cached, cached mu, sigma, p write, write mu, sigma, output mu, sigma,
# lines per output token or 0 for no code)
_P = {
    "tab": (2500, 0.6, 0.3, 3000, 0.5, 0.0, 1, 0.1, 300, 0.6, 0.1),
    "chat": (2200, 0.8, 0.5, 9000, 1.0, 0.2, 2000, 0.8, 650, 0.7, 0.0),
    "agent": (4500, 0.7, 0.95, 55000, 0.6, 0.6, 6000, 0.9, 1400, 0.8, 0.06),
    "review": (14000, 0.6, 0.6, 20000, 0.8, 0.3, 4000, 0.7, 900, 0.6, 0.0),
    "batch": (140000, 0.35, 1.0, 60000, 0.3, 0.0, 1, 0.1, 10000, 0.35, 0.0),
    "log": (110000, 0.6, 0.3, 20000, 0.6, 0.3, 30000, 0.5, 1100, 0.6, 0.0),
    "stuff": (480000, 0.35, 0.1, 100000, 0.5, 0.1, 50000, 0.5, 350, 0.7, 0.0),
    "trivia": (700, 0.5, 0.9, 16000, 0.4, 0.1, 3000, 0.5, 3800, 0.5, 0.0),
    "replay": (1, 0.0, 0.0, 1, 0.0, 0.0, 1, 0.0, 1, 0.0, 0.0),
    "learn": (1600, 0.7, 0.9, 32000, 0.6, 0.4, 8000, 0.7, 950, 0.6, 0.0),
    "idle": (2600, 0.4, 1.0, 95000, 0.35, 0.5, 3000, 0.6, 650, 0.5, 0.12),
    "regen": (6000, 0.5, 0.7, 30000, 0.6, 0.3, 5000, 0.6, 4200, 0.5, 0.08),
    "incident": (9000, 0.8, 0.7, 25000, 0.7, 0.4, 6000, 0.7, 900, 0.6, 0.0),
}
PROFILES = tuple(_P)
PROFILE = {name: i for i, name in enumerate(PROFILES)}
_TABLE = np.array([_P[name] for name in PROFILES], dtype=np.float64)


def expected_tokens(profile: str) -> float:
    """Mean tokens of one event of a profile (all four kinds together)."""
    mi, si, pc, mc, sc, pw, mw, sw, mo, so, _ = _P[profile]

    def mean(mu: float, sigma: float) -> float:
        return mu * math.exp(sigma * sigma / 2)

    return mean(mi, si) + pc * mean(mc, sc) + pw * mean(mw, sw) + mean(mo, so)


@dataclass
class Blocks:
    """Planned usage; each list is one column, one entry per block."""

    eng: list[int] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    span: list[int] = field(default_factory=list)
    n: list[int] = field(default_factory=list)
    tool: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    model: list[int] = field(default_factory=list)
    profile: list[int] = field(default_factory=list)
    inflated: list[bool] = field(default_factory=list)
    regular: list[bool] = field(default_factory=list)
    pool: list[int] = field(default_factory=list)
    pool_size: list[int] = field(default_factory=list)
    accept: list[float] = field(default_factory=list)

    def add(
        self,
        eng: int,
        start: int,
        span: int,
        n: int,
        tool: str,
        kind: str,
        model: str,
        profile: str,
        *,
        inflated: bool = False,
        regular: bool = False,
        pool: int = 0,
        pool_size: int = 0,
        accept: float = 0.3,
    ) -> None:
        if n <= 0:
            return
        self.eng.append(eng)
        self.start.append(start)
        self.span.append(max(span, 1))
        self.n.append(n)
        self.tool.append(TOOL[tool])
        self.kind.append(KIND[kind])
        self.model.append(MODEL[model])
        self.profile.append(PROFILE[profile])
        self.inflated.append(inflated)
        self.regular.append(regular)
        self.pool.append(pool)
        self.pool_size.append(pool_size)
        self.accept.append(accept)


_MASK = (1 << 64) - 1


def mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijection on uint64, so distinct inputs give distinct outputs."""
    z = values.astype(np.uint64)
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return z


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hex16(values: np.ndarray) -> np.ndarray:
    """uint64 → 16 lower-case hex digits, as a numpy bytes array."""
    v = values.astype(np.uint64)
    shifts = np.arange(60, -4, -4, dtype=np.uint64)
    digits = (v[:, None] >> shifts[None, :]) & np.uint64(15)
    return _HEX[digits.astype(np.intp)].reshape(len(v), 16).view("S16").ravel()


@dataclass
class Events:
    eng: np.ndarray
    at: np.ndarray  # epoch seconds
    tool: np.ndarray
    kind: np.ndarray
    model: np.ndarray
    session: np.ndarray  # uint64; 0 = no session
    prompt: np.ndarray  # uint64
    input_tokens: np.ndarray
    cached: np.ndarray
    cache_write: np.ndarray
    output: np.ndarray
    lines_suggested: np.ndarray  # -1 = null
    lines_accepted: np.ndarray
    inflated: np.ndarray

    @property
    def total_tokens(self) -> np.ndarray:
        return self.input_tokens + self.cached + self.cache_write + self.output

    def __len__(self) -> int:
        return len(self.eng)

    @staticmethod
    def concat(parts: list[Events]) -> Events:
        return Events(
            **{name: np.concatenate([getattr(p, name) for p in parts]) for name in Events.__annotations__}
        )

    def take(self, index: np.ndarray) -> Events:
        return Events(**{name: getattr(self, name)[index] for name in Events.__annotations__})


def expand(blocks: Blocks, rng: np.random.Generator, salt: int) -> Events:
    n = np.asarray(blocks.n, dtype=np.int64)
    total = int(n.sum())
    nb = len(n)
    block_of = np.repeat(np.arange(nb), n)
    first = np.concatenate(([0], np.cumsum(n)[:-1])) if nb else np.zeros(0, dtype=np.int64)
    position = np.arange(total) - first[block_of]

    def col(values: list, dtype) -> np.ndarray:
        return np.asarray(values, dtype=dtype)[block_of]

    span = col(blocks.span, np.float64)
    regular = col(blocks.regular, bool)
    nn = n[block_of].astype(np.float64)
    jitter = rng.uniform(-0.25, 0.25, total)
    offset = np.where(regular, (position + 0.5 + jitter) * span / nn, rng.uniform(0, 1, total) * span)
    at = col(blocks.start, np.int64) + offset.astype(np.int64)

    profile = col(blocks.profile, np.intp)
    t = _TABLE[profile]

    def draw(mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
        return np.exp(np.log(mu) + sigma * rng.standard_normal(total))

    inp = draw(t[:, 0], t[:, 1])
    cached = np.where(rng.random(total) < t[:, 2], draw(t[:, 3], t[:, 4]), 0.0)
    write = np.where(rng.random(total) < t[:, 5], draw(t[:, 6], t[:, 7]), 0.0)
    out = draw(t[:, 8], t[:, 9])

    pool = col(blocks.pool, np.int64)
    pool_size = np.maximum(col(blocks.pool_size, np.int64), 1)
    pick = rng.integers(0, 1 << 62, total) % pool_size
    salt64 = np.uint64(salt & _MASK)
    pooled = mix64((pool.astype(np.uint64) << np.uint64(8)) + pick.astype(np.uint64)) ^ salt64
    unique = rng.integers(0, np.iinfo(np.int64).max, total, dtype=np.int64).astype(np.uint64)
    prompt = np.where(pool > 0, pooled, unique)

    # A replayed prompt is the same text: the same input, nearly the same answer.
    replay = profile == PROFILE["replay"]
    if replay.any():
        h = prompt[replay]
        inp[replay] = 800 + (h % np.uint64(9000)).astype(np.float64)
        cached[replay] = np.where((h >> np.uint64(40)) % np.uint64(2) == 0, 0.0, 4000.0)
        write[replay] = 0.0
        base_out = 150 + ((h >> np.uint64(20)) % np.uint64(1800)).astype(np.float64)
        out[replay] = base_out * rng.uniform(0.97, 1.03, int(replay.sum()))

    lines_rate = t[:, 10]
    has_lines = lines_rate > 0
    suggested = np.where(has_lines, rng.poisson(np.maximum(out * lines_rate, 0.1)), -1)
    accept = col(blocks.accept, np.float64)
    accepted = np.where(has_lines, rng.binomial(np.maximum(suggested, 0), np.clip(accept, 0, 1)), -1)

    session_ids = mix64(np.arange(nb, dtype=np.uint64) + np.uint64((salt * 0x1000003) & _MASK))
    kind = col(blocks.kind, np.int8)
    session = np.where(kind == KIND["tab"], np.uint64(0), session_ids[block_of])

    return Events(
        eng=col(blocks.eng, np.int32),
        at=at,
        tool=col(blocks.tool, np.int8),
        kind=kind,
        model=col(blocks.model, np.int8),
        session=session,
        prompt=prompt,
        input_tokens=np.rint(inp).astype(np.int64),
        cached=np.rint(cached).astype(np.int64),
        cache_write=np.rint(write).astype(np.int64),
        output=np.rint(out).astype(np.int64),
        lines_suggested=suggested.astype(np.int64),
        lines_accepted=accepted.astype(np.int64),
        inflated=col(blocks.inflated, bool),
    )


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
