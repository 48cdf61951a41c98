"""The lattice organisation, simulated with numpy and written as a landing zone (see the package doc)."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DAY = 86_400
HOUR = 3_600
DOMAIN = "latticeworks.io"

ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Warsaw",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)
ZONE_WEIGHTS = np.array([0.16, 0.16, 0.06, 0.12, 0.14, 0.08, 0.12, 0.06, 0.04, 0.06])

TOOLS = ("claude_code", "cursor", "copilot", "openai_api", "internal_agent")
CLAUDE, CURSOR, COPILOT, OPENAI, AGENT = range(5)

# name, input, cached input, cache write, output (USD per million tokens)
MODELS = (
    ("claude-opus-4-1", 15.0, 1.5, 18.75, 75.0),
    ("claude-sonnet-4-5", 3.0, 0.3, 3.75, 15.0),
    ("claude-haiku-4-5", 1.0, 0.1, 1.25, 5.0),
    ("gpt-5", 1.25, 0.125, 0.0, 10.0),
    ("gpt-5-mini", 0.25, 0.025, 0.0, 2.0),
    ("gpt-4.1", 2.0, 0.5, 0.0, 8.0),
    ("o3-pro", 20.0, 0.0, 0.0, 80.0),
    ("cursor-small", 0.1, 0.01, 0.0, 0.4),
    ("gpt-4o-mini", 0.15, 0.075, 0.0, 0.6),
)
OPUS, SONNET, HAIKU, GPT5, GPT5MINI, GPT41, O3PRO, CURSOR_SMALL, GPT4OMINI = range(9)
PRICES = np.array([m[1:] for m in MODELS])
TOOL_MODELS = np.zeros((5, 9))
TOOL_MODELS[CLAUDE, [OPUS, SONNET, HAIKU]] = [0.08, 0.72, 0.20]
TOOL_MODELS[CURSOR, [SONNET, GPT5, CURSOR_SMALL]] = [0.45, 0.25, 0.30]
TOOL_MODELS[COPILOT, [GPT41, GPT4OMINI, SONNET]] = [0.60, 0.25, 0.15]
TOOL_MODELS[OPENAI, [GPT5, GPT5MINI, O3PRO, GPT4OMINI]] = [0.35, 0.55, 0.02, 0.08]
TOOL_MODELS[AGENT, [SONNET, HAIKU]] = [0.6, 0.4]
TOP_TIER = {CLAUDE: OPUS, CURSOR: OPUS, COPILOT: OPUS, OPENAI: O3PRO, AGENT: OPUS}

KINDS = ("chat", "completion", "agent", "tab", "review", "other")
CHAT, COMPLETION, AGENTIC, TAB, REVIEW, OTHER = range(6)
TOOL_KINDS = np.zeros((5, 6))
TOOL_KINDS[CLAUDE, [AGENTIC, CHAT]] = [0.6, 0.4]
TOOL_KINDS[CURSOR, [TAB, CHAT, AGENTIC]] = [0.5, 0.2, 0.3]
TOOL_KINDS[COPILOT, [TAB, COMPLETION, CHAT, REVIEW]] = [0.72, 0.15, 0.1, 0.03]
TOOL_KINDS[OPENAI, [CHAT, COMPLETION, OTHER]] = [0.58, 0.4, 0.02]
TOOL_KINDS[AGENT, [AGENTIC]] = [1.0]
# per kind: median input, sigma, median output, sigma, median cached read (0 = none), suggested lines
KIND_TOKENS = np.array(
    [
        [2500, 0.8, 550, 0.7, 4000, 6],
        [1500, 0.6, 180, 0.7, 0, 8],
        [6000, 0.7, 1200, 0.8, 30000, 40],
        [700, 0.5, 35, 0.6, 0, 3],
        [9000, 0.6, 700, 0.6, 0, 0],
        [1200, 0.8, 300, 0.8, 0, 0],
    ]
)
KIND_MEAN_TOKENS = (
    KIND_TOKENS[:, 0] * np.exp(KIND_TOKENS[:, 1] ** 2 / 2)
    + KIND_TOKENS[:, 2] * np.exp(KIND_TOKENS[:, 3] ** 2 / 2)
    + KIND_TOKENS[:, 4] * np.exp(0.32) * 0.7
)
TRAILERS = {
    CLAUDE: "Co-authored-by: Claude <noreply@anthropic.com>",
    CURSOR: "Co-authored-by: Cursor <cursoragent@cursor.com>",
    COPILOT: "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
    OPENAI: "Co-authored-by: Claude <noreply@anthropic.com>",
    AGENT: "Co-authored-by: Claude <noreply@anthropic.com>",
}

ORDINARY = ("non_adopter", "light_user", "steady_user", "late_adopter")
HEAVY = (
    "power_user",
    "migration_lead",
    "oncall_sre",
    "staff_reviewer",
    "new_hire_learner",
    "platform_automator",
)
PERSONAS = ORDINARY + HEAVY
(NON, LIGHT, STEADY, LATE, POWER, MIGRATION, ONCALL, STAFF, LEARNER, PLATFORM) = range(10)
STYLES = (
    "peer_topping",
    "idle_agents",
    "code_regeneration",
    "context_stuffing",
    "premium_default",
    "prompt_replay",
    "throwaway_prototypes",
    "leaderboard_burst",
)
PEER, IDLE, REGEN, STUFF, PREMIUM, REPLAY, PROTO, BURST = range(8)
UNATTENDED = (IDLE, REPLAY)
SNAPSHOT_ZONE = "America/Chicago"
SNAPSHOT_WEEKDAY = 2
SNAPSHOT_HOUR = 18

FIRST = ("ana", "ben", "chen", "dara", "eli", "fatima", "goran", "hana", "ivan", "jun", "kofi", "lena")
FIRST += ("marco", "nadia", "omar", "priya", "quinn", "rosa", "sven", "tariq", "uma", "viktor", "wei")
FIRST += ("xenia", "yusuf", "zoe", "arjun", "bea", "carlos", "dmitri", "emma", "farah", "gus", "ines")
LAST = ("abe", "berg", "costa", "dutta", "evans", "fischer", "garcia", "haddad", "ito", "jensen", "kim")
LAST += ("lopez", "mensah", "novak", "okafor", "patel", "quist", "reyes", "sato", "tan", "ueda", "varga")
LAST += ("walsh", "xu", "yilmaz", "zhang", "moreau", "nowak", "silva", "kowalski", "ahmed", "brown")
NOUNS = ("billing", "auth", "search", "ingest", "checkout", "cache", "scheduler", "api", "exports", "alerts")
VERBS = ("fix", "add", "refactor", "speed up", "clean up", "handle", "test", "document", "rework")


@dataclass
class Summary:
    """What was written, for the command line."""

    out: Path
    rows: dict[str, int] = field(default_factory=dict)
    personas: dict[str, int] = field(default_factory=dict)
    styles: dict[str, int] = field(default_factory=dict)
    inflated_weeks: int = 0
    engineer_weeks: int = 0

    def render(self) -> str:
        lines = [f"lattice organisation written to {self.out}"]
        lines += [f"  {table:<22} {count:>12,}" for table, count in self.rows.items()]
        lines.append(f"  engineer-weeks {self.engineer_weeks:,}, inflated {self.inflated_weeks:,}")
        return "\n".join(lines)


def _hex(values: np.ndarray, prefix: str, digits: int = 16) -> pa.Array:
    """Hex strings of uint64 values with a prefix, built in numpy (millions of rows, no Python loop)."""
    values = values.astype(np.uint64)
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    width = len(head) + digits
    chars = np.empty((len(values), width), dtype=np.uint8)
    chars[:, : len(head)] = head
    lut = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    for i in range(digits):
        shift = np.uint64(4 * ((digits - 1 - i) % 16))
        chars[:, len(head) + i] = lut[((values >> shift) & np.uint64(15)).astype(np.int64)]
    return pa.array(chars.view(f"S{width}").ravel(), type=pa.binary()).cast(pa.string())


def _mix(values: np.ndarray) -> np.ndarray:
    """A stable 64-bit scramble, so ids derived from counters look like hashes."""
    x = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _ts(seconds: np.ndarray) -> pa.Array:
    return pa.array(seconds.astype(np.int64) * 1_000_000, type=pa.timestamp("us", tz="UTC"))


def _ts_nullable(seconds: np.ndarray, valid: np.ndarray) -> pa.Array:
    return pa.array(seconds.astype(np.int64) * 1_000_000, type=pa.timestamp("us", tz="UTC"), mask=~valid)


def _dict(codes: np.ndarray, names: list[str] | tuple[str, ...]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(list(names))).cast(
        pa.string()
    )


def _write(out: Path, table: str, data: dict[str, pa.Array | list], name: str = "part-0.parquet") -> int:
    folder = out / table
    folder.mkdir(parents=True, exist_ok=True)
    frame = pa.table(data)
    pq.write_table(frame, folder / name, compression="zstd")
    return frame.num_rows


class Clock:
    """Local wall-clock time of each person, as UTC seconds, with the zones' real offsets per day."""

    def __init__(self, start: date, weeks: int, zones: np.ndarray) -> None:
        self.start = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
        self.end = self.start + weeks * 7 * DAY
        days = weeks * 7 + 2
        offsets = np.zeros((len(ZONES) + 1, days), dtype=np.int64)
        for z, name in enumerate((*ZONES, SNAPSHOT_ZONE)):
            zone = ZoneInfo(name)
            for d in range(days):
                noon = datetime.fromtimestamp(self.start + (d - 1) * DAY + 12 * HOUR, tz=UTC)
                offsets[z, d] = int(noon.astimezone(zone).utcoffset().total_seconds())
        self.offsets = offsets
        self.zones = zones

    def local(self, person: np.ndarray, day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """UTC seconds of `seconds` after local midnight of period day `day` in the person's zone."""
        offset = self.offsets[self.zones[person], np.clip(day + 1, 0, self.offsets.shape[1] - 1)]
        return self.start + day * DAY + seconds - offset

    def within_week(self, seconds: np.ndarray, week: np.ndarray) -> np.ndarray:
        """Move times that fall into a neighbouring UTC week by a day, keeping the local hour."""
        lo = self.start + week * 7 * DAY
        seconds = np.where(seconds < lo, seconds + DAY, seconds)
        seconds = np.where(seconds >= lo + 7 * DAY, seconds - DAY, seconds)
        return np.clip(seconds, self.start, self.end - 1)


def _work_times(rng: np.random.Generator, clock: Clock, person: np.ndarray, week: np.ndarray) -> np.ndarray:
    n = len(person)
    weekend = rng.random(n) < 0.04
    day = np.where(weekend, rng.integers(5, 7, n), rng.integers(0, 5, n))
    hour = np.clip(rng.normal(13.2, 2.4, n), 7.5, 19.5)
    evening = rng.random(n) < 0.07
    hour = np.where(evening, rng.uniform(19.5, 23.5, n), hour)
    return clock.within_week(clock.local(person, week * 7 + day, (hour * HOUR).astype(np.int64)), week)


class Events:
    """The usage requests, gathered as column blocks and written once."""

    def __init__(self, rng: np.random.Generator, accept: np.ndarray) -> None:
        self.rng = rng
        self.accept = accept
        self.blocks: list[dict[str, np.ndarray]] = []

    def add(
        self,
        person: np.ndarray,
        at: np.ndarray,
        tool: np.ndarray,
        kind: np.ndarray,
        model: np.ndarray | None = None,
        scale_in: float | np.ndarray = 1.0,
        scale_out: float | np.ndarray = 1.0,
        session: np.ndarray | None = None,
        prompt: np.ndarray | None = None,
        accept: np.ndarray | None = None,
        suggest_scale: float = 1.0,
        no_cache: bool = False,
        sigma: float = 1.0,
    ) -> None:
        rng, n = self.rng, len(person)
        if n == 0:
            return
        if model is None:
            cdf = np.cumsum(TOOL_MODELS[tool], axis=1)
            model = (rng.random(n)[:, None] > cdf).sum(axis=1)
        spec = KIND_TOKENS[kind]
        inp = spec[:, 0] * np.exp(rng.normal(0, spec[:, 1] * sigma)) * scale_in
        out = spec[:, 2] * np.exp(rng.normal(0, spec[:, 3] * sigma)) * scale_out
        cached = np.where(
            (spec[:, 4] > 0) & np.isin(tool, (CLAUDE, CURSOR, AGENT)) & (rng.random(n) < 0.7),
            spec[:, 4] * np.exp(rng.normal(0, 0.8, n)),
            0.0,
        )
        if no_cache:
            cached = np.zeros(n)
        write = np.where((cached > 0) & (rng.random(n) < 0.3), cached * rng.uniform(0.05, 0.2, n), 0.0)
        if session is None:
            day = at // (4 * HOUR)
            session = _mix(person.astype(np.uint64) * np.uint64(1 << 24) + day.astype(np.uint64) * 8 + tool)
        if prompt is None:
            prompt = rng.integers(0, 2**63, n, dtype=np.int64).astype(np.uint64)
        suggested = np.where(spec[:, 5] > 0, rng.poisson(spec[:, 5] * suggest_scale), -1)
        rate = self.accept[person] if accept is None else accept
        accepted = np.where(suggested >= 0, rng.binomial(np.maximum(suggested, 0), rate), -1)
        self.blocks.append(
            {
                "person": person.astype(np.int32),
                "at": at.astype(np.int64),
                "tool": tool.astype(np.int8),
                "kind": kind.astype(np.int8),
                "model": model.astype(np.int8),
                "inp": np.maximum(inp, 1).astype(np.int64),
                "out": np.maximum(out, 1).astype(np.int64),
                "cached": cached.astype(np.int64),
                "write": write.astype(np.int64),
                "session": session.astype(np.uint64),
                "prompt": prompt.astype(np.uint64),
                "suggested": suggested.astype(np.int32),
                "accepted": accepted.astype(np.int32),
            }
        )

    def column(self, name: str) -> np.ndarray:
        return np.concatenate([block[name] for block in self.blocks])


def _pick(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One index per row of a weight matrix."""
    cdf = np.cumsum(weights, axis=1)
    cdf /= cdf[:, -1:]
    return np.minimum((rng.random(len(weights))[:, None] > cdf).sum(axis=1), weights.shape[1] - 1)


def _weeks_pattern(rng: np.random.Generator, first: int, weeks: int) -> np.ndarray:
    """Which weeks an inflator inflates: sustained, intermittent, or one episode."""
    mask = np.zeros(weeks, dtype=bool)
    first = min(max(first, 0), weeks - 1)
    begin = int(rng.integers(first, max(first + 1, weeks - 1)))
    style = rng.random()
    if style < 0.35:
        mask[begin:] = True
    elif style < 0.7:
        mask[begin:] = rng.random(weeks - begin) < rng.uniform(0.4, 0.8)
    else:
        mask[begin : begin + int(rng.integers(2, 6))] = True
    if not mask.any():
        mask[begin] = True
    return mask


def generate(
    out: Path | str,
    *,
    engineers: int = 300,
    weeks: int = 26,
    seed: int = 7,
    start: date | None = None,
    progress: bool = True,
) -> Summary:
    """Write the lattice organisation's landing zone and its truth into `out` (replaced)."""
    out = Path(out)
    if start is None:
        today = datetime.now(UTC).date()
        start = today - timedelta(days=today.weekday() + 7 * (weeks + 1))
    if engineers < 20 or weeks < 4:
        raise ValueError("lattice needs at least 20 engineers and 4 weeks")
    if start + timedelta(weeks=weeks) > datetime.now(UTC).date():
        raise ValueError(f"{weeks} weeks from {start} reach past today; choose an earlier start")
    rng = np.random.default_rng(seed)
    say = (
        (lambda text: print(f"lattice: {text}", file=sys.stderr, flush=True))
        if progress
        else (lambda _: None)
    )
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    P, W = engineers, weeks
    summary = Summary(out)

    # --- teams and people -----------------------------------------------------------------------
    n_teams = max(3, round(P / 8.5))
    n_rel = max(1, round(n_teams * 0.12))
    team_zone = rng.choice(len(ZONES), n_teams, p=ZONE_WEIGHTS / ZONE_WEIGHTS.sum())
    is_rel_team = np.zeros(n_teams, dtype=bool)
    is_rel_team[rng.choice(n_teams, n_rel, replace=False)] = True
    team = np.concatenate([np.arange(n_teams), rng.integers(0, n_teams, P - n_teams)])
    rng.shuffle(team)
    persona = rng.choice(4, P, p=[0.16, 0.27, 0.43, 0.14])
    rel_members = np.flatnonzero(is_rel_team[team])
    hired = np.full(P, -1)
    n_hires = max(len(HEAVY), round(P * 0.08))
    candidates = np.setdiff1d(np.arange(P), rel_members)
    hires = rng.choice(candidates, n_hires, replace=False)
    hired[hires] = rng.integers(1, max(2, W - 3), n_hires)
    learners = hires[: max(1, round(n_hires * 0.7))]
    persona[learners] = LEARNER
    persona[hires[len(learners) :]] = STEADY
    left = np.full(P, W)
    pool = np.setdiff1d(np.arange(P), hires)
    leavers = rng.choice(pool, max(1, round(P * 0.05)), replace=False)
    left[leavers] = rng.integers(2, W, len(leavers))

    def assign(code: int, share: float, among: np.ndarray) -> None:
        free = among[(persona[among] < 4) & (left[among] == W) & (hired[among] < 0)]
        count = min(len(free), max(1, round(P * share)))
        persona[rng.choice(free, count, replace=False)] = code

    assign(ONCALL, 0.04 if len(rel_members) else 0.0, rel_members)
    everyone = np.arange(P)
    assign(POWER, 0.04, everyone)
    assign(MIGRATION, 0.02, everyone)
    assign(STAFF, 0.04, everyone)
    assign(PLATFORM, 0.02, np.setdiff1d(everyone, rel_members))
    role = rng.choice(["engineer", "senior_engineer", "data_engineer", "sre"], P, p=[0.62, 0.27, 0.06, 0.05])
    role = role.astype(object)
    role[is_rel_team[team]] = "sre"
    role[persona == ONCALL] = "sre"
    role[persona == STAFF] = "staff_engineer"
    role[persona == PLATFORM] = "senior_engineer"
    zone = np.where(rng.random(P) < 0.2, rng.choice(len(ZONES), P), team_zone[team])

    week_idx = np.arange(W)
    employed = (week_idx[None, :] >= np.maximum(hired, 0)[:, None]) & (week_idx[None, :] <= left[:, None])

    # adoption week (-1 = before the data, W = never) and personal rates
    adopt = np.full(P, -1)
    adopt[persona == NON] = W
    steady_in = (persona == STEADY) & (rng.random(P) < 0.3)
    adopt[steady_in] = rng.integers(1, max(2, W // 2), steady_in.sum())
    adopt[persona == LATE] = rng.integers(
        int(W * 0.4), max(int(W * 0.4) + 1, int(W * 0.85)), (persona == LATE).sum()
    )
    adopt[persona == LEARNER] = hired[persona == LEARNER]
    level = np.select(
        [persona == LIGHT, persona == POWER, persona == STAFF, persona == ONCALL, persona == PLATFORM],
        [
            rng.uniform(8, 30, P),
            rng.uniform(320, 520, P),
            rng.uniform(60, 120, P),
            rng.uniform(60, 130, P),
            rng.uniform(50, 100, P),
        ],
        rng.uniform(55, 150, P),
    )
    level = np.where(persona == NON, 0.0, level)
    pr_rate = np.exp(rng.normal(np.log(2.2), 0.35, P))
    pr_rate = np.where(persona == POWER, pr_rate * rng.uniform(1.8, 2.6, P), pr_rate)
    pr_rate = np.where(persona == STAFF, pr_rate * 0.3, pr_rate)
    pr_rate = np.where(persona == PLATFORM, pr_rate * 0.35, pr_rate)
    ai_lift = rng.uniform(1.05, 1.2, P)
    accept_rate = rng.beta(4, 4, P) * np.where(persona == POWER, 1.4, 1.0)
    accept_rate = np.clip(accept_rate, 0.05, 0.9)
    tool_w = np.zeros((P, 5))
    base_tools = np.array([0.35, 0.25, 0.25, 0.15])
    for p in range(P):
        k = rng.integers(1, 4)
        chosen = rng.choice(4, k, replace=False, p=base_tools)
        tool_w[p, chosen] = rng.dirichlet(np.ones(k) * 2)
    tool_w[persona == POWER, CLAUDE] += 1.0
    tool_w[persona == PLATFORM, CLAUDE] += 0.5
    main_tool = tool_w.argmax(axis=1)
    ai_commit_share = rng.uniform(0.15, 0.6, P)

    # calendar
    season_use = np.ones(W)
    season_pr = np.ones(W)
    order = rng.permutation(np.arange(1, W - 1))
    holidays = order[: max(1, round(W / 13))]
    quiet = order[len(holidays) : len(holidays) + round(W / 10)]
    season_use[holidays] = season_pr[holidays] = 0.33
    season_use[quiet] = season_pr[quiet] = 0.75
    crunch: list[int] = []
    for _ in range(max(1, round(W / 12))):
        free = [w for w in range(1, W - 2) if season_use[w] == 1 and season_use[w + 1] == 1]
        if free:
            w = int(rng.choice(free))
            crunch += [w, w + 1]
            season_use[[w, w + 1]] = 1.5
            season_pr[[w, w + 1]] = 1.35
    vacation = rng.random((P, W)) < 0.07
    person_week = np.where(vacation, 0.05, 1.0) * employed

    # heavy archetypes' weekly multipliers
    usage_mult = np.ones((P, W))
    pr_mult = np.ones((P, W))
    migration_weeks = np.zeros((P, W), dtype=bool)
    for p in np.flatnonzero(persona == MIGRATION):
        span = int(rng.integers(4, 9))
        begin = int(rng.integers(0, max(1, W - span)))
        migration_weeks[p, begin : begin + span] = True
    usage_mult[migration_weeks] = rng.uniform(3.2, 4.8, migration_weeks.sum())
    pr_mult[migration_weeks] = rng.uniform(2.2, 2.8, migration_weeks.sum())
    learning = np.zeros((P, W), dtype=bool)
    for p in np.flatnonzero(persona == LEARNER):
        learning[p, hired[p] : hired[p] + int(rng.integers(3, 7))] = True
        rel = week_idx - hired[p]
        ramp = np.clip((rel + 1) / 8, 0.1, 1.0)
        pr_mult[p] = np.where(rel >= 0, ramp, 1.0)
    adopted = week_idx[None, :] >= adopt[:, None]
    ramp_in = np.clip((week_idx[None, :] - adopt[:, None] + 1) / 3, 0.3, 1.0)
    noise = np.exp(rng.normal(0, 0.25, (P, W)))
    expected_req = level[:, None] * adopted * ramp_in * season_use[None, :] * person_week * usage_mult * noise
    pr_expected = (
        pr_rate[:, None]
        * np.where(adopted, ai_lift[:, None], 1.0)
        * season_pr[None, :]
        * person_week
        * pr_mult
    )

    # inflators
    ordinary_adopters = np.flatnonzero((persona >= LIGHT) & (persona <= LATE) & (hired < 0) & (left == W))
    n_infl = min(len(ordinary_adopters), max(len(STYLES) + 1, round(P * 0.11)))
    inflators = rng.choice(ordinary_adopters, n_infl, replace=False)
    style_of = np.full(P, -1)
    n_peer = max(1, round(n_infl * 0.3))
    others = np.concatenate([np.arange(1, len(STYLES)), rng.integers(1, len(STYLES), n_infl)])
    styles = np.concatenate([[PEER] * n_peer, others])[:n_infl]
    style_of[inflators] = styles
    intensity = np.exp(rng.normal(0, 0.35, P))
    inflated = np.zeros((P, W), dtype=bool)
    for p in inflators:
        mask = _weeks_pattern(rng, max(adopt[p], 0) + 1, W) & employed[p]
        if style_of[p] not in UNATTENDED:
            mask &= ~vacation[p]
        if not mask.any():
            ok = np.flatnonzero(employed[p] & ~vacation[p] & (week_idx > adopt[p]))
            mask[ok[-1] if len(ok) else W - 1] = True
        inflated[p] = mask
    week_jitter = np.exp(rng.normal(0, 0.3, (P, W))) * intensity[:, None]

    normal_count = rng.poisson(expected_req)
    peers = np.flatnonzero(style_of == PEER)
    # the dashboard has no last week to show in the first week
    inflated[peers, 0] = False
    for p in peers:
        if not inflated[p].any():
            open_weeks = np.flatnonzero(employed[p] & ~vacation[p] & (week_idx >= 1))
            inflated[p, int(open_weeks[-1]) if len(open_weeks) else W - 1] = True

    clock = Clock(start, W, zone)
    events = Events(rng, accept_rate)
    say(f"{P} engineers in {n_teams} teams, {W} weeks from {start}")

    # --- ordinary usage ---------------------------------------------------------------------------
    cell = np.repeat(np.arange(P * W), normal_count.ravel())
    person, week = cell // W, cell % W
    tools = _pick(rng, tool_w[person])
    kinds = _pick(rng, TOOL_KINDS[tools])
    models = _pick(rng, TOOL_MODELS[tools])
    premium_cell = inflated[person, week] & (style_of[person] == PREMIUM) & (rng.random(len(person)) < 0.8)
    top = np.array([TOP_TIER[t] for t in range(5)])
    models = np.where(premium_cell, top[tools], models)
    power = persona[person] == POWER
    kinds = np.where(power & (rng.random(len(person)) < 0.5), AGENTIC, kinds)
    tools = np.where(power & (kinds == AGENTIC) & ~np.isin(tools, (CLAUDE, CURSOR, AGENT)), CLAUDE, tools)
    learn = learning[person, week] & (rng.random(len(person)) < 0.6)
    kinds = np.where(learn, CHAT, kinds)
    events.add(person, _work_times(rng, clock, person, week), tools, kinds, models)
    # new hires' learning: extra chat
    extra = rng.poisson(learning * rng.uniform(120, 260, (P, W)))
    cell = np.repeat(np.arange(P * W), extra.ravel())
    person, week = cell // W, cell % W
    tools = np.where(tool_w[person, OPENAI] > tool_w[person, CLAUDE], OPENAI, CLAUDE)
    events.add(
        person,
        _work_times(rng, clock, person, week),
        tools,
        np.full(len(person), CHAT),
        scale_in=1.4,
        scale_out=1.5,
    )
    say(f"ordinary usage: {sum(len(b['at']) for b in events.blocks):,} requests")

    # platform automators: maintenance windows with long agent sessions, direct commits, deploys
    windows = []
    for p in np.flatnonzero(persona == PLATFORM):
        for w in np.flatnonzero(employed[p] & ~vacation[p]):
            for day in rng.choice([1, 3], int(rng.integers(1, 3)), replace=False):
                windows.append((p, w, w * 7 + day, rng.uniform(2, 4)))
    windows_arr = np.array(windows, dtype=float).reshape(-1, 4)
    win_person = windows_arr[:, 0].astype(np.int64)
    win_start = clock.local(
        win_person, windows_arr[:, 2].astype(np.int64), np.full(len(windows_arr), 22 * HOUR)
    )
    win_len = (windows_arr[:, 3] * HOUR).astype(np.int64)
    n_steps = rng.integers(80, 200, len(windows_arr))
    idx = np.repeat(np.arange(len(windows_arr)), n_steps)
    at = np.clip(
        win_start[idx] + (rng.random(len(idx)) * win_len[idx]).astype(np.int64), clock.start, clock.end - 1
    )
    events.add(
        win_person[idx],
        at,
        np.full(len(idx), CLAUDE),
        np.full(len(idx), AGENTIC),
        np.where(rng.random(len(idx)) < 0.85, SONNET, OPUS),
        session=_mix(idx + 10_000_000),
        accept=np.full(len(idx), 0.7),
    )

    # --- inflation --------------------------------------------------------------------------------
    def cells(style: int, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
        counts = np.where(
            inflated & (style_of[:, None] == style), rng.uniform(low, high, (P, W)) * week_jitter, 0
        )
        counts = np.maximum(np.round(counts), inflated & (style_of[:, None] == style)).astype(np.int64)
        cell = np.repeat(np.arange(P * W), counts.ravel())
        return cell // W, cell % W

    # idle agents: runs of steps every 2-8 minutes
    runs_p, runs_w = cells(IDLE, 1, 4)
    run_day = np.where(rng.random(len(runs_p)) < 0.4, 4, rng.integers(0, 5, len(runs_p)))
    run_hour = np.where(run_day == 4, rng.uniform(14, 18, len(runs_p)), rng.uniform(18, 23, len(runs_p)))
    run_start = clock.local(runs_p, runs_w * 7 + run_day, (run_hour * HOUR).astype(np.int64))
    duration = rng.uniform(3, 14, len(runs_p)) * HOUR
    gap = rng.uniform(120, 480, len(runs_p))
    steps = np.maximum((duration / gap).astype(np.int64), 1)
    idx = np.repeat(np.arange(len(runs_p)), steps)
    offset = (np.arange(len(idx)) - np.repeat(np.cumsum(steps) - steps, steps)) * gap[idx]
    at = clock.within_week(
        run_start[idx] + (offset + rng.uniform(0, 40, len(idx))).astype(np.int64), runs_w[idx]
    )
    tool = np.where(rng.random(len(runs_p)) < 0.6, AGENT, CLAUDE)[idx]
    model = np.where(rng.random(len(runs_p)) < 0.25, OPUS, SONNET)[idx]
    events.add(
        runs_p[idx],
        at,
        tool,
        np.full(len(idx), AGENTIC),
        model,
        scale_in=0.6,
        scale_out=0.5,
        session=_mix(idx + 20_000_000),
        accept=np.zeros(len(idx)),
    )

    # code regeneration: bursts of identical prompts, big outputs, nothing kept
    bp, bw = cells(REGEN, 10, 45)
    size = rng.integers(3, 7, len(bp))
    idx = np.repeat(np.arange(len(bp)), size)
    first = _work_times(rng, clock, bp, bw)
    at = clock.within_week(first[idx] + rng.integers(30, 600, len(idx)), bw[idx])
    tool = np.where(tool_w[bp, CURSOR] > tool_w[bp, CLAUDE], CURSOR, CLAUDE)[idx]
    kind = np.where(rng.random(len(bp)) < 0.5, CHAT, AGENTIC)[idx]
    events.add(
        bp[idx],
        at,
        tool,
        kind,
        scale_out=3.5,
        prompt=_mix(idx + 30_000_000),
        accept=np.full(len(idx), 0.02),
        suggest_scale=4.0,
    )

    # context stuffing: whole repositories pasted into chat
    sp, sw = cells(STUFF, 15, 80)
    tool = np.array([CLAUDE, OPENAI, CURSOR])[rng.integers(0, 3, len(sp))]
    model = np.select([tool == CLAUDE, tool == OPENAI], [SONNET, GPT41], GPT5)
    scale = np.minimum(np.exp(rng.normal(np.log(100), 0.5, len(sp))), 360)
    events.add(
        sp,
        _work_times(rng, clock, sp, sw),
        tool,
        np.full(len(sp), CHAT),
        model,
        scale_in=scale,
        no_cache=True,
    )

    # premium by default: trivial questions on the top tier
    qp, qw = cells(PREMIUM, 80, 300)
    tool = np.where(tool_w[qp, OPENAI] > tool_w[qp, CLAUDE], OPENAI, CLAUDE)
    events.add(
        qp,
        _work_times(rng, clock, qp, qw),
        tool,
        np.full(len(qp), CHAT),
        top[tool],
        scale_in=0.15,
        scale_out=0.3,
        no_cache=True,
    )

    # prompt replay: a script on an API key
    rp, rw = cells(REPLAY, 1, 3)
    n_prompts = rng.integers(1, 6, len(rp))
    gap = rng.uniform(600, 1800, len(rp))
    duration = rng.uniform(6, 30, len(rp)) * HOUR
    steps = np.maximum((duration / gap).astype(np.int64), 2)
    run_start = clock.local(
        rp, rw * 7 + rng.integers(0, 5, len(rp)), (rng.uniform(8, 20, len(rp)) * HOUR).astype(np.int64)
    )
    idx = np.repeat(np.arange(len(rp)), steps)
    step = np.arange(len(idx)) - np.repeat(np.cumsum(steps) - steps, steps)
    at = clock.within_week(
        run_start[idx] + (step * gap[idx] + rng.uniform(0, 20, len(idx))).astype(np.int64), rw[idx]
    )
    which = step % n_prompts[idx]
    prompt = _mix(rp[idx].astype(np.uint64) * np.uint64(64) + which.astype(np.uint64) + np.uint64(40_000_000))
    flat = np.full(len(idx), 1.0)
    base_in = np.exp((_mix(prompt) % np.uint64(1000)).astype(float) / 1000 * 2 + 6)
    events.add(
        rp[idx],
        at,
        np.full(len(idx), OPENAI),
        np.full(len(idx), COMPLETION),
        np.where(n_prompts[idx] % 2 == 0, GPT5, GPT41),
        scale_in=base_in / 1500 * rng.uniform(0.98, 1.02, len(idx)),
        scale_out=flat,
        session=_mix(idx + 50_000_000),
        prompt=prompt,
        accept=np.zeros(len(idx)),
        sigma=0.02,
    )

    # throwaway prototypes: the agent work behind them (the PRs come with the delivery)
    tp, tw = cells(PROTO, 50, 200)
    events.add(
        tp,
        _work_times(rng, clock, tp, tw),
        np.where(tool_w[tp, CURSOR] > tool_w[tp, CLAUDE], CURSOR, CLAUDE),
        np.full(len(tp), AGENTIC),
        accept=np.full(len(tp), 0.8),
        suggest_scale=2.0,
    )

    # leaderboard bursts before the weekly snapshot
    lp, lw = cells(BURST, 60, 400)
    snap_day = lw * 7 + SNAPSHOT_WEEKDAY
    snap_offset = clock.offsets[len(ZONES), snap_day + 1]
    snapshot = clock.start + snap_day * DAY + SNAPSHOT_HOUR * HOUR - snap_offset
    keys = lp * W + lw
    uniq, inverse = np.unique(keys, return_inverse=True)
    window = rng.uniform(1, 7, len(uniq)) * HOUR
    lead = rng.random(len(lp)) ** 0.7 * window[inverse]
    at = np.clip((snapshot - lead).astype(np.int64), clock.start, clock.end - 1)
    tool = _pick(rng, tool_w[lp])
    events.add(
        lp,
        at,
        tool,
        np.where(rng.random(len(lp)) < 0.5, CHAT, AGENTIC),
        scale_in=1.5,
        scale_out=1.2,
        accept=np.full(len(lp), 0.03),
    )
    say(f"with inflation: {sum(len(b['at']) for b in events.blocks):,} requests")

    # --- delivery: pull requests, commits, reviews ------------------------------------------------
    repos_per_team = rng.integers(2, 5, n_teams)
    repo_team = np.repeat(np.arange(n_teams), repos_per_team)
    team_names = [f"{NOUNS[t % len(NOUNS)]}-{t:02d}" for t in range(n_teams)]
    repo_names = []
    for t in range(n_teams):
        for r in range(repos_per_team[t]):
            repo_names.append(f"lattice/{team_names[t]}-{['core', 'web', 'jobs', 'sdk'][r]}")
    infra_repo = np.array([len(repo_names) + t for t in range(n_teams)])
    repo_names += [f"lattice/{team_names[t]}-infra" for t in range(n_teams)]
    repo_team = np.concatenate([repo_team, np.arange(n_teams)])
    team_repo_start = np.concatenate([[0], np.cumsum(repos_per_team)[:-1]])

    pr_count = rng.poisson(pr_expected)
    proto_count = np.where(inflated & (style_of[:, None] == PROTO), rng.integers(1, 4, (P, W)), 0)
    cell = np.repeat(np.arange(P * W), (pr_count + proto_count).ravel())
    pr_person, pr_week = cell // W, cell % W
    n_pr = len(pr_person)
    rank = np.arange(n_pr) - np.repeat(
        np.cumsum((pr_count + proto_count).ravel()) - (pr_count + proto_count).ravel(),
        (pr_count + proto_count).ravel(),
    )
    is_proto = rank >= pr_count[pr_person, pr_week]
    t_of = team[pr_person]
    pr_repo = team_repo_start[t_of] + (rng.random(n_pr) * repos_per_team[t_of]).astype(np.int64)
    cross = rng.random(n_pr) < 0.08
    pr_repo = np.where(cross, rng.integers(0, int(repos_per_team.sum()), n_pr), pr_repo)
    created = _work_times(rng, clock, pr_person, pr_week)
    first_commit = created - (np.exp(rng.normal(np.log(6), 1.0, n_pr)) * HOUR).astype(np.int64)
    outcome = rng.random(n_pr)
    merged_ok = (outcome < 0.86) & ~is_proto
    closed_only = ((outcome >= 0.86) & (outcome < 0.93)) | is_proto
    merge_at = created + (np.exp(rng.normal(np.log(18), 0.9, n_pr)) * HOUR).astype(np.int64) + 1200
    close_at = np.where(
        is_proto,
        created + rng.integers(DAY, 4 * DAY, n_pr),
        created + (np.exp(rng.normal(np.log(48), 0.8, n_pr)) * HOUR).astype(np.int64),
    )
    merged = merged_ok & (merge_at < clock.end)
    closed = np.where(merged, True, closed_only & (close_at < clock.end))
    closed_time = np.where(merged, merge_at, close_at)
    draft = (rng.random(n_pr) < 0.2) | is_proto
    ready = created + (np.exp(rng.normal(np.log(3), 0.8, n_pr)) * HOUR).astype(np.int64)
    ready_valid = draft & ~is_proto & (ready < np.where(closed, closed_time, clock.end))
    additions = np.exp(rng.normal(np.log(120), 1.1, n_pr)).astype(np.int64) + 1
    additions = np.where(is_proto, rng.integers(400, 3000, n_pr), additions)
    additions = np.where(migration_weeks[pr_person, pr_week], additions * 2, additions)
    deletions = (additions * rng.uniform(0.05, 0.8, n_pr)).astype(np.int64)
    changed = np.maximum(1, (additions / rng.uniform(15, 60, n_pr)).astype(np.int64))
    plain_labels = np.array(["", "bug", "feature", "chore", "refactor", "feature,frontend", "bug,backend"])
    labels = plain_labels[rng.integers(0, len(plain_labels), n_pr)].astype(object)
    labels[migration_weeks[pr_person, pr_week]] = "migration"
    labels[is_proto] = np.array(["feature", "feature,experiment", "spike", ""])[
        rng.integers(0, 4, is_proto.sum())
    ]

    # bot PRs
    n_bot = rng.poisson(0.3 * W * int(repos_per_team.sum()))
    bot_repo = rng.integers(0, int(repos_per_team.sum()), n_bot)
    bot_created = clock.start + rng.integers(0, W * 7 * DAY - 3 * DAY, n_bot)
    bot_merge = bot_created + rng.integers(2 * HOUR, 3 * DAY, n_bot)
    bot_login = np.where(rng.random(n_bot) < 0.6, "dependabot[bot]", "renovate[bot]")

    logins = np.array(
        [f"{FIRST[i % len(FIRST)]}-{LAST[(i * 7) % len(LAST)]}{i}" for i in range(P)], dtype=object
    )
    all_repo = np.concatenate([pr_repo, bot_repo])
    all_created = np.concatenate([created, bot_created])
    order = np.lexsort((all_created, all_repo))
    number = np.empty(len(all_repo), dtype=np.int64)
    repo_sorted = all_repo[order]
    run_start_idx = np.searchsorted(repo_sorted, repo_sorted, side="left")
    repo_base = rng.integers(100, 4000, len(repo_names))
    number[order] = repo_base[repo_sorted] + (np.arange(len(order)) - run_start_idx)
    merge_sha = rng.integers(0, 2**63, n_pr + n_bot, dtype=np.int64).astype(np.uint64)
    all_merged = np.concatenate([merged, bot_merge < clock.end])
    all_merge_at = np.concatenate([merge_at, bot_merge])
    all_closed = np.concatenate([closed, bot_merge < clock.end])
    all_closed_at = np.concatenate([closed_time, bot_merge])
    subjects = np.array([f"{v} {n}" for v in VERBS for n in NOUNS], dtype=object)
    pr_subject = subjects[rng.integers(0, len(subjects), n_pr)]
    bot_subject = np.array(["bump dependencies"] * n_bot, dtype=object)
    sha_text = _hex(merge_sha, "", 16)
    sha_full = pa.array([s * 2 + s[:8] for s in sha_text.to_pylist()])
    summary.rows["pull_requests"] = _write(
        out,
        "pull_requests",
        {
            "repo": _dict(all_repo, repo_names),
            "pr_number": number,
            "author_login": np.concatenate([logins[pr_person], bot_login]).tolist(),
            "title": np.concatenate([pr_subject, bot_subject]).tolist(),
            "created_at": _ts(all_created),
            "ready_for_review_at": _ts_nullable(
                np.concatenate([ready, bot_created]), np.concatenate([ready_valid, np.zeros(n_bot, bool)])
            ),
            "first_commit_at": _ts(np.concatenate([first_commit, bot_created - 60])),
            "merged_at": _ts_nullable(all_merge_at, all_merged),
            "closed_at": _ts_nullable(all_closed_at, all_closed),
            "additions": np.concatenate([additions, rng.integers(1, 40, n_bot)]),
            "deletions": np.concatenate([deletions, rng.integers(1, 40, n_bot)]),
            "changed_files": np.concatenate([changed, np.ones(n_bot, np.int64)]),
            "base_branch": ["main"] * (n_pr + n_bot),
            "merge_commit_sha": pa.array(sha_full.to_pylist(), mask=~all_merged),
            "labels": np.concatenate([labels, np.array(["dependencies"] * n_bot, dtype=object)]).tolist(),
        },
    )

    # commits: 1-5 per PR, plus the platform automators' direct commits
    n_commits = 1 + np.minimum(rng.poisson(1.6, n_pr), 4)
    ci = np.repeat(np.arange(n_pr), n_commits)
    span = np.maximum(created[ci] - first_commit[ci], 60)
    authored = first_commit[ci] + (rng.random(len(ci)) * span).astype(np.int64)
    first_of_pr = np.concatenate([[True], ci[1:] != ci[:-1]])
    authored = np.where(first_of_pr, first_commit[ci], authored)
    cp = pr_person[ci]
    ai_commit = adopted[cp, pr_week[ci]] & (rng.random(len(ci)) < ai_commit_share[cp])
    ai_commit |= is_proto[ci]
    direct_idx = np.repeat(np.arange(len(windows_arr)), rng.integers(4, 13, len(windows_arr)))
    d_person = win_person[direct_idx]
    d_at = np.clip(
        win_start[direct_idx] + (rng.random(len(direct_idx)) * win_len[direct_idx]).astype(np.int64),
        clock.start,
        clock.end - 1,
    )
    c_person = np.concatenate([cp, d_person])
    c_at = np.concatenate([authored, d_at])
    c_repo = np.concatenate([pr_repo[ci], infra_repo[team[d_person]]])
    c_ai = np.concatenate([ai_commit, rng.random(len(d_person)) < 0.9])
    c_tool = np.concatenate([main_tool[cp], np.full(len(d_person), CLAUDE)])
    c_pr = np.concatenate([number[ci], np.full(len(d_person), -1)])
    c_subject = np.concatenate(
        [
            pr_subject[ci],
            np.array(["apply terraform plan for maintenance window"] * len(d_person), dtype=object),
        ]
    )
    trailer = np.array([f"\n\n{TRAILERS[t]}" for t in range(5)], dtype=object)
    message = np.where(c_ai, c_subject + trailer[c_tool], c_subject)
    c_sha = rng.integers(0, 2**63, len(c_person), dtype=np.int64).astype(np.uint64)
    c_hex = _hex(c_sha, "", 16).to_pylist()
    c_adds = np.exp(rng.normal(np.log(40), 1.0, len(c_person))).astype(np.int64)
    emails = np.array(
        [f"{logins[p].split('-')[0]}.{LAST[(p * 7) % len(LAST)]}{p}@{DOMAIN}" for p in range(P)], dtype=object
    )
    summary.rows["commits"] = _write(
        out,
        "commits",
        {
            "repo": _dict(c_repo, repo_names),
            "sha": [s * 2 + s[:8] for s in c_hex],
            "author_email": emails[c_person].tolist(),
            "author_login": logins[c_person].tolist(),
            "authored_at": _ts(c_at),
            "committed_at": _ts(np.minimum(c_at + rng.integers(0, 600, len(c_at)), clock.end - 1)),
            "message": message.tolist(),
            "additions": c_adds,
            "deletions": (c_adds * rng.uniform(0, 0.7, len(c_adds))).astype(np.int64),
            "pr_number": pa.array(c_pr, mask=c_pr < 0),
        },
    )
    say(f"{n_pr:,} pull requests, {len(c_person):,} commits")

    # reviews: teammates, plus staff engineers across the organisation
    n_rev = np.where(merged | closed, rng.integers(1, 3, n_pr), rng.integers(0, 2, n_pr))
    ri = np.repeat(np.arange(n_pr), n_rev)
    members_order = np.argsort(team, kind="stable")
    team_start = np.searchsorted(team[members_order], np.arange(n_teams))
    team_size = np.bincount(team, minlength=n_teams)
    rt = team[pr_person[ri]]
    reviewer = members_order[team_start[rt] + (rng.random(len(ri)) * team_size[rt]).astype(np.int64)]
    staff = np.flatnonzero(persona == STAFF)
    extra = np.flatnonzero(rng.random(n_pr) < (0.45 if len(staff) else 0.0))
    if len(staff):
        same_team = staff[None, :][np.zeros(len(extra), dtype=np.int64)]
        weights = 1.0 + 4.0 * (team[same_team] == team[pr_person[extra]][:, None])
        extra_reviewer = staff[_pick(rng, weights)]
    else:
        extra_reviewer = np.empty(0, dtype=np.int64)
    ri = np.concatenate([ri, extra])
    reviewer = np.concatenate([reviewer, extra_reviewer])
    by_pr = np.argsort(ri, kind="stable")
    ri, reviewer = ri[by_pr], reviewer[by_pr]
    end_of = np.where(closed[ri], closed_time[ri], clock.end - 1)
    begin_of = np.where(ready_valid[ri], ready[ri], created[ri])
    submitted = begin_of + (rng.uniform(0.1, 0.95, len(ri)) * np.maximum(end_of - begin_of, 120)).astype(
        np.int64
    )
    submitted = np.minimum(submitted, end_of - 30)
    rweek = np.clip((submitted - clock.start) // (7 * DAY), 0, W - 1)
    keep = (reviewer != pr_person[ri]) & employed[reviewer, rweek] & (submitted > created[ri])
    ri, reviewer, submitted, rweek = ri[keep], reviewer[keep], submitted[keep], rweek[keep]
    last = np.concatenate([ri[1:] != ri[:-1], [True]])
    state = np.where(rng.random(len(ri)) < 0.7, 0, np.where(rng.random(len(ri)) < 0.5, 1, 2))
    state = np.where(last & merged[ri], 0, state)
    states = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED")
    summary.rows["pr_reviews"] = _write(
        out,
        "pr_reviews",
        {
            "repo": _dict(pr_repo[ri], repo_names),
            "pr_number": number[ri],
            "review_id": _hex(_mix(np.arange(len(ri)) + 60_000_000), "rv-", 12),
            "reviewer_login": logins[reviewer].tolist(),
            "state": _dict(state, states),
            "submitted_at": _ts(submitted),
        },
    )
    # AI around reviews: staff engineers heavily, other adopters now and then
    is_staff = persona[reviewer] == STAFF
    n_ai = np.where(
        is_staff, rng.integers(2, 9, len(ri)), (rng.random(len(ri)) < 0.15) * rng.integers(1, 3, len(ri))
    )
    n_ai = np.where(adopted[reviewer, rweek] & (level[reviewer] > 0), n_ai, 0)
    ai = np.repeat(np.arange(len(ri)), n_ai)
    at = np.clip(submitted[ai] - rng.integers(60, 90 * 60, len(ai)), clock.start, clock.end - 1)
    tool = np.where(tool_w[reviewer[ai], COPILOT] > 0.3, COPILOT, CLAUDE)
    events.add(reviewer[ai], at, tool, np.where(rng.random(len(ai)) < 0.7, REVIEW, CHAT), scale_in=1.6)

    # --- deployments and incidents ----------------------------------------------------------------
    dep_src = np.flatnonzero(merged & (rng.random(n_pr) < 0.75))
    d_start = merge_at[dep_src] + (np.exp(rng.normal(np.log(3), 0.8, len(dep_src))) * HOUR).astype(np.int64)
    d_repo = pr_repo[dep_src]
    d_sha_idx = dep_src
    plat_dep = np.repeat(np.arange(len(windows_arr)), rng.integers(2, 6, len(windows_arr)))
    plat_start = win_start[plat_dep] + (rng.random(len(plat_dep)) * win_len[plat_dep]).astype(np.int64)
    sha_list = sha_full.to_pylist()
    direct_pick = len(cp) + rng.integers(0, max(len(d_person), 1), len(plat_dep))
    dep_sha = [sha_list[i] for i in d_sha_idx] + [c_hex[i] * 2 + c_hex[i][:8] for i in direct_pick]
    dep_start = np.concatenate([d_start, plat_start])
    dep_repo = np.concatenate([d_repo, infra_repo[team[win_person[plat_dep]]]])
    n_dep = len(dep_start)
    status = np.where(rng.random(n_dep) < 0.93, 0, np.where(rng.random(n_dep) < 0.7, 1, 2))
    # staging first, then production
    all_start = np.concatenate([dep_start - rng.integers(900, 3600, n_dep), dep_start])
    all_env = np.concatenate([np.zeros(n_dep, np.int64), np.ones(n_dep, np.int64)])
    all_status = np.concatenate([np.zeros(n_dep, np.int64), status])
    all_repo_d = np.concatenate([dep_repo, dep_repo])
    keep = all_start < clock.end - 1800
    prod_index = np.flatnonzero(keep[n_dep:]) + n_dep
    both_sha = dep_sha * 2
    dep_ids = _hex(_mix(np.arange(2 * n_dep) + 70_000_000), "dep-", 12).to_pylist()
    summary.rows["deployments"] = _write(
        out,
        "deployments",
        {
            "repo": _dict(all_repo_d[keep], repo_names),
            "deployment_id": [dep_ids[i] for i in np.flatnonzero(keep)],
            "sha": [both_sha[i] for i in np.flatnonzero(keep)],
            "environment": _dict(all_env[keep], ("staging", "production")),
            "status": _dict(all_status[keep], ("success", "failure", "error")),
            "started_at": _ts(all_start[keep]),
            "finished_at": _ts(
                np.minimum(all_start[keep] + rng.integers(300, 1500, keep.sum()), clock.end - 1)
            ),
        },
    )

    services_per_team = np.where(is_rel_team, rng.integers(3, 6, n_teams), rng.integers(1, 3, n_teams))
    service_team = np.repeat(np.arange(n_teams), services_per_team)
    service_names = [f"{team_names[t]}-svc{i}" for t in range(n_teams) for i in range(services_per_team[t])]
    rate = np.where(is_rel_team[service_team], 1.1, 0.3)
    inc_counts = rng.poisson(np.repeat(rate[:, None], W, axis=1))
    cell = np.repeat(np.arange(len(service_names) * W), inc_counts.ravel())
    inc_service, inc_week = cell // W, cell % W
    inc_created = clock.start + inc_week * 7 * DAY + rng.integers(0, 7 * DAY, len(cell))
    inc_cause = np.full(len(cell), -1)
    failed_prod = prod_index[all_status[prod_index] > 0]
    caused = failed_prod[rng.random(len(failed_prod)) < 0.5]
    caused_team = repo_team[all_repo_d[caused]]
    first_service = np.concatenate([[0], np.cumsum(services_per_team)[:-1]])
    inc_service = np.concatenate([inc_service, first_service[caused_team]])
    inc_created = np.concatenate([inc_created, all_start[caused] + rng.integers(600, 4 * HOUR, len(caused))])
    inc_cause = np.concatenate([inc_cause, caused])
    ok = inc_created < clock.end - HOUR
    inc_service, inc_created, inc_cause = inc_service[ok], inc_created[ok], inc_cause[ok]
    inc_week = (inc_created - clock.start) // (7 * DAY)
    n_inc = len(inc_service)
    # on-call: a weekly rotation among the owning team's engineers (reliability teams: SREs only)
    inc_team = service_team[inc_service]
    responder = np.full(n_inc, -1)
    for t in range(n_teams):
        crew = members_order[team_start[t] : team_start[t] + team_size[t]]
        if is_rel_team[t]:
            crew = crew[role[crew] == "sre"] if (role[crew] == "sre").any() else crew
        rotation = rng.permutation(crew)
        these = np.flatnonzero(inc_team == t)
        for i in these:
            w = inc_week[i]
            for k in range(len(rotation)):
                who = rotation[(w + k) % len(rotation)]
                if employed[who, w] and not vacation[who, w]:
                    responder[i] = who
                    break
    have = responder >= 0
    ack = inc_created + (np.exp(rng.normal(np.log(6), 0.8, n_inc)) * 60).astype(np.int64)
    resolved = inc_created + (np.exp(rng.normal(np.log(1.6), 0.9, n_inc)) * HOUR).astype(np.int64) + 900
    is_resolved = (resolved < clock.end) & have
    sev = _pick(rng, np.tile([0.03, 0.12, 0.45, 0.40], (n_inc, 1)))
    summary.rows["incidents"] = _write(
        out,
        "incidents",
        {
            "incident_id": _hex(_mix(np.arange(n_inc) + 80_000_000), "INC-", 10),
            "service": _dict(inc_service, service_names),
            "title": [f"{service_names[s]} error rate above threshold" for s in inc_service],
            "severity": _dict(sev, ("sev1", "sev2", "sev3", "sev4")),
            "created_at": _ts(inc_created),
            "acknowledged_at": _ts_nullable(np.minimum(ack, clock.end - 1), have),
            "resolved_at": _ts_nullable(resolved, is_resolved),
            "responder_email": pa.array(emails[np.maximum(responder, 0)].tolist(), mask=~have),
            "caused_by_deployment_id": pa.array(
                [dep_ids[c] if c >= 0 else "" for c in inc_cause], mask=inc_cause < 0
            ),
            "repo": pa.array(
                [repo_names[all_repo_d[c]] if c >= 0 else "" for c in inc_cause], mask=inc_cause < 0
            ),
        },
    )
    # AI while firefighting, at whatever hour the incident happens
    r = responder[is_resolved]
    rweek = inc_week[is_resolved]
    use = adopted[r, rweek] & (level[r] > 0)
    n_ai = np.where(persona[r] == ONCALL, rng.integers(15, 61, len(r)), rng.integers(3, 15, len(r))) * use
    ai = np.repeat(np.arange(len(r)), n_ai)
    lo = ack[is_resolved][ai]
    hi = resolved[is_resolved][ai]
    at = lo + (rng.random(len(ai)) * np.maximum(hi - lo, 60)).astype(np.int64)
    at = np.clip(at, clock.start, clock.end - 1)
    tool = np.where(tool_w[r[ai], OPENAI] > tool_w[r[ai], CLAUDE], OPENAI, CLAUDE)
    events.add(
        r[ai], at, tool, np.where(rng.random(len(ai)) < 0.6, CHAT, AGENTIC), session=_mix(ai + 90_000_000)
    )
    say(f"{n_inc:,} incidents, {len(keep):,} deployment attempts")

    # peer topping, last: the only figure a person sees is their team's dashboard, last week's mean
    # tokens per engineer, so the padding is sized against what the team really used the week before
    used = np.zeros(P * W)
    for block in events.blocks:
        slot = block["person"].astype(np.int64) * W + np.clip(
            (block["at"] - clock.start) // (7 * DAY), 0, W - 1
        )
        total = block["inp"] + block["out"] + block["cached"] + block["write"]
        used += np.bincount(slot, weights=total, minlength=P * W)
    used = used.reshape(P, W)
    heads = np.maximum(np.bincount(team, weights=employed[:, 0], minlength=n_teams), 1)
    per_pad = 0.6 * KIND_MEAN_TOKENS[CHAT] + 0.4 * KIND_MEAN_TOKENS[AGENTIC]
    for w in range(1, W):
        seen = np.bincount(team, weights=used[:, w - 1] * employed[:, w - 1], minlength=n_teams) / heads
        heads = np.maximum(np.bincount(team, weights=employed[:, w], minlength=n_teams), 1)
        todo = peers[inflated[peers, w]]
        if not len(todo):
            continue
        own = used[todo, w]
        target = np.maximum(seen[team[todo]] * rng.uniform(1.05, 1.3, len(todo)), 1.15 * own)
        per_request = np.full(len(todo), per_pad)
        count = np.maximum((0.6 * (target - own) / per_request).astype(np.int64), 5)
        # they watch their own figure and top up until it shows what they aimed for
        for _ in range(3):
            person = np.repeat(todo, count)
            events.add(
                person,
                _work_times(rng, clock, person, np.full(len(person), w)),
                _pick(rng, tool_w[person]),
                np.where(rng.random(len(person)) < 0.6, CHAT, AGENTIC),
                accept=np.full(len(person), 0.04),
                suggest_scale=0.5,
                sigma=0.6,
            )
            block = events.blocks[-1]
            total = block["inp"] + block["out"] + block["cached"] + block["write"]
            added = np.bincount(block["person"], weights=total, minlength=P)
            used[:, w] += added
            per_request = np.where(count > 0, added[todo] / np.maximum(count, 1), per_request)
            short = target - used[todo, w]
            count = np.where(short > 0, np.ceil(short / np.maximum(per_request, 1)), 0).astype(np.int64)
            if not count.any():
                break

    # --- people, teams, accounts ----------------------------------------------------------------
    director = P + n_teams
    names = [f"{FIRST[i % len(FIRST)].title()} {LAST[(i * 7) % len(LAST)].title()}" for i in range(P)]
    names += [
        f"{FIRST[(i * 5) % len(FIRST)].title()} {LAST[(i * 3) % len(LAST)].title()}"
        for i in range(n_teams + 1)
    ]
    ids = [f"L{10000 + i}" for i in range(P + n_teams + 1)]
    mgr_emails = [f"manager{t}.{LAST[(t * 3) % len(LAST)]}@{DOMAIN}" for t in range(n_teams + 1)]
    all_emails = emails.tolist() + mgr_emails
    hired_on = [
        start + timedelta(weeks=int(hired[p]))
        if hired[p] >= 0
        else start - timedelta(days=int(rng.integers(60, 3000)))
        for p in range(P)
    ] + [start - timedelta(days=int(rng.integers(400, 4000))) for _ in range(n_teams + 1)]
    left_on = [start + timedelta(weeks=int(left[p]), days=4) if left[p] < W else None for p in range(P)]
    left_on += [None] * (n_teams + 1)
    base_cost = {
        "engineer": 170_000,
        "senior_engineer": 215_000,
        "data_engineer": 180_000,
        "sre": 205_000,
        "staff_engineer": 265_000,
    }
    cost = (
        [base_cost[role[p]] * rng.uniform(0.85, 1.2) for p in range(P)] + [230_000.0] * n_teams + [300_000.0]
    )
    summary.rows["people"] = _write(
        out,
        "people",
        {
            "employee_id": ids,
            "email": all_emails,
            "full_name": names,
            "team_id": [f"T{t:03d}" for t in team] + [f"T{t:03d}" for t in range(n_teams)] + ["T000"],
            "manager_employee_id": [ids[P + t] for t in team] + [ids[director]] * n_teams + [None],
            "role": list(role) + ["manager"] * n_teams + ["director"],
            "timezone": [ZONES[z] for z in zone] + [ZONES[z] for z in team_zone] + [ZONES[team_zone[0]]],
            "hired_on": pa.array(hired_on, type=pa.date32()),
            "left_on": pa.array(left_on, type=pa.date32()),
            "annual_loaded_cost_usd": pa.array([round(c, 2) for c in cost], type=pa.float64()),
        },
    )
    departments = np.where(is_rel_team, "Reliability", rng.choice(["Product", "Platform", "Data"], n_teams))
    summary.rows["teams"] = _write(
        out,
        "teams",
        {
            "team_id": [f"T{t:03d}" for t in range(n_teams)],
            "team_name": team_names,
            "department": departments.tolist(),
        },
    )
    summary.rows["repositories"] = _write(
        out, "repositories", {"repo": repo_names, "team_id": [f"T{t:03d}" for t in repo_team]}
    )
    summary.rows["services"] = _write(
        out, "services", {"service": service_names, "team_id": [f"T{t:03d}" for t in service_team]}
    )
    summary.rows["model_prices"] = _write(
        out,
        "model_prices",
        {
            "model": [m[0] for m in MODELS],
            "effective_from": pa.array([start - timedelta(days=365)] * len(MODELS), type=pa.date32()),
            "input_usd_per_mtok": PRICES[:, 0],
            "cached_input_usd_per_mtok": PRICES[:, 1],
            "cache_write_usd_per_mtok": PRICES[:, 2],
            "output_usd_per_mtok": PRICES[:, 3],
        },
    )
    # accounts: claude_code = work email; cursor = a personal alias; copilot = GitHub login;
    # openai_api = one or two key names; internal_agent = a service account
    alias = [f"{logins[p].replace('-', '.')}@lattice-mail.dev" for p in range(P)]
    keys_of = [
        [f"key-{logins[p]}-{suffix}" for suffix in ("laptop", "ci")[: int(rng.integers(1, 3))]]
        for p in range(P)
    ]
    agent_acct = [f"svc-agent-{ids[p].lower()}" for p in range(P)]
    account = np.empty((P, 5), dtype=object)
    for p in range(P):
        account[p] = [emails[p], alias[p], logins[p], keys_of[p][0], agent_acct[p]]
    ident_rows: list[tuple[str, str, str]] = []
    for p in range(P):
        ident_rows.append(("github", logins[p], ids[p]))
        ident_rows.append(("pagerduty", emails[p], ids[p]))
        ident_rows.append(("cursor", alias[p], ids[p]))
        ident_rows.append(("copilot", logins[p], ids[p]))
        ident_rows.extend(("openai_api", key, ids[p]) for key in keys_of[p])
        ident_rows.append(("internal_agent", agent_acct[p], ids[p]))
        if rng.random() < 0.5:
            ident_rows.append(("claude_code", emails[p], ids[p]))
    summary.rows["identities"] = _write(
        out,
        "identities",
        {
            "source_system": [r[0] for r in ident_rows],
            "account_id": [r[1] for r in ident_rows],
            "employee_id": [r[2] for r in ident_rows],
        },
    )

    # --- usage events ---------------------------------------------------------------------------
    ev_person = events.column("person")
    ev_at = events.column("at")
    order = np.argsort(ev_at, kind="stable")
    ev_person, ev_at = ev_person[order], ev_at[order]
    ev_tool = events.column("tool")[order].astype(np.int64)
    ev_kind = events.column("kind")[order]
    ev_model = events.column("model")[order].astype(np.int64)
    inp = events.column("inp")[order]
    outp = events.column("out")[order]
    cached = events.column("cached")[order]
    write = events.column("write")[order]
    cost = (
        inp * PRICES[ev_model, 0]
        + cached * PRICES[ev_model, 1]
        + write * PRICES[ev_model, 2]
        + outp * PRICES[ev_model, 3]
    ) / 1e6
    billed = np.isin(ev_tool, (CLAUDE, OPENAI, AGENT))
    second_key = np.array([len(keys_of[p]) > 1 for p in range(P)])
    acct_index = ev_person * 5 + ev_tool
    flat_accounts = account.ravel().tolist()
    use_second = (
        (ev_tool == OPENAI) & second_key[ev_person] & (events.column("session")[order] % np.uint64(3) == 0)
    )
    actor_names = flat_accounts + [keys_of[p][-1] for p in range(P)]
    acct_index = np.where(use_second, 5 * P + ev_person, acct_index)
    suggested = events.column("suggested")[order]
    accepted = events.column("accepted")[order]
    ev_week = (ev_at - clock.start) // (7 * DAY)
    n_ev = len(ev_at)
    event_ids = _hex(_mix(np.arange(n_ev, dtype=np.uint64) + np.uint64(seed) * np.uint64(1 << 40)), "ev-")
    sessions = _hex(events.column("session")[order], "s-", 12)
    prompts = _hex(events.column("prompt")[order], "", 16)
    bounds = np.searchsorted(ev_week, np.arange(W + 1))
    for w in range(W):
        lo, hi = bounds[w], bounds[w + 1]
        sl = slice(lo, hi)
        _write(
            out,
            f"ai_usage_events/week={start + timedelta(weeks=w)}",
            {
                "event_id": event_ids[lo:hi],
                "occurred_at": _ts(ev_at[sl]),
                "source_tool": _dict(ev_tool[sl], TOOLS),
                "actor_id": pa.DictionaryArray.from_arrays(
                    pa.array(acct_index[sl].astype(np.int32)), pa.array(actor_names)
                ).cast(pa.string()),
                "session_id": sessions[lo:hi],
                "model": _dict(ev_model[sl], [m[0] for m in MODELS]),
                "request_kind": _dict(ev_kind[sl], KINDS),
                "input_tokens": inp[sl],
                "cached_input_tokens": cached[sl],
                "cache_write_tokens": write[sl],
                "output_tokens": outp[sl],
                "cost_usd": pa.array(np.round(cost[sl], 6), mask=~billed[sl]),
                "prompt_hash": prompts[lo:hi],
                "lines_suggested": pa.array(suggested[sl], mask=suggested[sl] < 0),
                "lines_accepted": pa.array(accepted[sl], mask=accepted[sl] < 0),
            },
        )
    # a replayed export: part of one week lands again
    replay_week = int(rng.integers(0, W))
    table = pq.read_table(out / f"ai_usage_events/week={start + timedelta(weeks=replay_week)}/part-0.parquet")
    _write(
        out,
        "ai_usage_events/replayed",
        dict(zip(table.column_names, table.slice(0, 2000).columns, strict=True)),
        f"week-{replay_week}.parquet",
    )
    summary.rows["ai_usage_events"] = n_ev
    say(f"{n_ev:,} usage requests written")

    # --- truth ----------------------------------------------------------------------------------
    tp_, tw_ = np.nonzero(employed)
    kind_of = np.where(persona >= POWER, "legitimate_heavy", np.where(style_of >= 0, "inflator", "ordinary"))
    is_infl = inflated[tp_, tw_] & (style_of[tp_] >= 0)
    style_names = np.array(STYLES, dtype=object)
    truth = pa.table(
        {
            "employee_id": [ids[p] for p in tp_],
            "week_start": pa.array([start + timedelta(weeks=int(w)) for w in tw_], type=pa.date32()),
            "persona": [PERSONAS[persona[p]] for p in tp_],
            "persona_kind": kind_of[tp_].tolist(),
            "is_inflated": pa.array(is_infl),
            "inflation_style": pa.array(
                np.where(is_infl, style_names[np.maximum(style_of[tp_], 0)], None).tolist(), type=pa.string()
            ),
            "team_id": [f"T{team[p]:03d}" for p in tp_],
        }
    )
    truth_dir = out / "_ground_truth"
    truth_dir.mkdir()
    pq.write_table(truth, truth_dir / "engineer_weeks.parquet")
    summary.engineer_weeks = truth.num_rows
    summary.inflated_weeks = int(is_infl.sum())
    summary.personas = {name: int((persona == i).sum()) for i, name in enumerate(PERSONAS)}
    summary.styles = {name: int((style_of == i).sum()) for i, name in enumerate(STYLES)}
    manifest = {
        "family": "lattice",
        "seed": seed,
        "engineers": P,
        "managers": n_teams + 1,
        "teams": n_teams,
        "weeks": W,
        "start": start.isoformat(),
        "rows": summary.rows,
        "personas": summary.personas,
        "inflators_per_style": summary.styles,
        "inflated_weeks_per_style": {
            name: int((is_infl & (style_of[tp_] == i)).sum()) for i, name in enumerate(STYLES)
        },
        "engineer_weeks": summary.engineer_weeks,
        "inflated_engineer_weeks": summary.inflated_weeks,
        "leaderboard_snapshot": {"weekday": "Wednesday", "local_time": "18:00", "zone": SNAPSHOT_ZONE},
        "holiday_weeks": sorted(int(w) for w in holidays),
        "quiet_weeks": sorted(int(w) for w in quiet),
        "crunch_weeks": sorted(crunch),
    }
    (truth_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return summary
