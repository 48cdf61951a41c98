"""Meridian's fixed vocabulary: departments and their zones, AI tools, models and prices, and the
shapes of requests (profiles) that the token log is drawn from.

Everything here is data, so the design can be read and changed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

ZONES = (
    "America/Los_Angeles",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Berlin",
    "Europe/Warsaw",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)

#: Salary level by zone (the United States = 1), for `annual_loaded_cost_usd`.
ZONE_COST = {
    "America/Los_Angeles": 1.05,
    "America/Chicago": 0.95,
    "America/New_York": 1.0,
    "America/Sao_Paulo": 0.45,
    "Europe/London": 0.8,
    "Europe/Dublin": 0.75,
    "Europe/Lisbon": 0.55,
    "Europe/Berlin": 0.75,
    "Europe/Warsaw": 0.55,
    "Asia/Kolkata": 0.35,
    "Asia/Singapore": 0.8,
    "Asia/Tokyo": 0.75,
    "Australia/Sydney": 0.85,
}


@dataclass(frozen=True)
class Department:
    name: str
    slug: str
    share: float
    zones: tuple[str, ...]
    team_words: tuple[str, ...]
    #: The weekly AI leaderboard snapshot: (weekday 0 = Monday, local hour, zone).
    snapshot: tuple[int, int, str]
    #: Multipliers on the base chance of holding each tool (see TOOL_BASE_P).
    tool_affinity: tuple[float, float, float, float, float]
    incident_rate: float


DEPARTMENTS = (
    Department(
        "Payments",
        "pay",
        0.19,
        ("America/New_York", "Europe/London"),
        ("ledger", "refunds", "checkout", "payouts", "fraud", "billing", "wallet", "fx", "settlement"),
        (4, 15, "America/New_York"),
        (1.0, 0.9, 1.25, 0.8, 0.8),
        0.35,
    ),
    Department(
        "Platform",
        "plat",
        0.19,
        ("Europe/Berlin", "Europe/Warsaw", "America/Los_Angeles"),
        ("build", "runtime", "identity", "gateway", "messaging", "storage", "devex", "search"),
        (3, 17, "Europe/Berlin"),
        (1.4, 0.9, 0.8, 0.8, 1.7),
        0.4,
    ),
    Department(
        "Reliability",
        "rel",
        0.0,
        ("Europe/Dublin", "America/Chicago", "Asia/Kolkata", "Australia/Sydney"),
        ("edge", "databases", "compute", "observability", "network", "queues"),
        (3, 17, "Europe/Berlin"),
        (1.2, 0.8, 0.9, 0.8, 1.5),
        1.6,
    ),
    Department(
        "Data",
        "data",
        0.16,
        ("America/Los_Angeles", "Asia/Kolkata"),
        ("warehouse", "pipelines", "ml-platform", "experiments", "reporting", "features"),
        (1, 16, "America/Los_Angeles"),
        (1.0, 1.0, 0.9, 2.6, 1.0),
        0.3,
    ),
    Department(
        "Mobile",
        "mob",
        0.19,
        ("America/Sao_Paulo", "Europe/Lisbon"),
        ("ios", "android", "app-shell", "notifications", "onboarding", "design-system"),
        (4, 12, "America/Sao_Paulo"),
        (0.8, 1.25, 1.4, 0.6, 0.6),
        0.25,
    ),
    Department(
        "Growth",
        "grow",
        0.27,
        ("Asia/Singapore", "Asia/Tokyo", "Australia/Sydney"),
        ("acquisition", "lifecycle", "pricing", "referrals", "localisation", "marketplace"),
        (2, 10, "Asia/Singapore"),
        (0.9, 1.35, 1.0, 0.9, 0.7),
        0.3,
    ),
)
RELIABILITY = 2
TEAM_QUALIFIERS = (
    "core",
    "api",
    "web",
    "ops",
    "apps",
    "insights",
    "infra",
    "tools",
    "north",
    "south",
    "labs",
)

# --- AI tools -------------------------------------------------------------------------------------

TOOLS = ("claude_code", "cursor", "copilot", "openai_api", "internal_agent")
CLAUDE_CODE, CURSOR, COPILOT, OPENAI_API, INTERNAL_AGENT = range(5)
TOOL_BASE_P = (0.45, 0.4, 0.5, 0.12, 0.18)
#: Prefix of each tool's event ids (all four characters, so ids are fixed width).
EVENT_PREFIX = (b"msg_", b"crs_", b"cpl_", b"oai_", b"plt_")
#: Does the tool report cost per request? The others leave it to the price table.
REPORTS_COST = (True, False, False, True, True)
#: Does the tool report lines proposed and accepted?
REPORTS_LINES = (True, True, True, False, True)

KINDS = ("chat", "completion", "agent", "tab", "review", "other")
CHAT, COMPLETION, AGENT, TAB, REVIEW, OTHER = range(6)
#: Which tool serves which kind of request.
SUPPORTS = {
    CLAUDE_CODE: (CHAT, AGENT, REVIEW),
    CURSOR: (CHAT, AGENT, TAB),
    COPILOT: (CHAT, TAB, REVIEW),
    OPENAI_API: (CHAT, COMPLETION),
    INTERNAL_AGENT: (AGENT, REVIEW),
}

# --- Models and prices (USD per million tokens) -----------------------------------------------------


@dataclass(frozen=True)
class Model:
    name: str
    input: float
    cached: float
    cache_write: float
    output: float
    #: The model a session moves to when someone reaches for the top tier.
    top: int


MODELS = (
    Model("claude-opus-4-1-20250805", 15.0, 1.5, 18.75, 75.0, 0),
    Model("claude-sonnet-4-5-20250929", 3.0, 0.3, 3.75, 15.0, 0),
    Model("claude-haiku-4-5-20251001", 1.0, 0.1, 1.25, 5.0, 0),
    Model("gpt-5-2025-08-07", 1.25, 0.125, 1.25, 10.0, 5),
    Model("gpt-5-mini-2025-08-07", 0.25, 0.025, 0.25, 2.0, 5),
    Model("o3-pro-2025-06-10", 20.0, 20.0, 20.0, 80.0, 5),
    Model("gpt-4.1-2025-04-14", 2.0, 0.5, 2.0, 8.0, 0),
    Model("cursor-small", 0.1, 0.01, 0.1, 0.4, 7),
    Model("gpt-4o-copilot", 0.15, 0.075, 0.15, 0.6, 8),
    Model("meridian-coder-32b", 0.06, 0.0, 0.06, 0.24, 0),
)
OPUS, SONNET, HAIKU, GPT5, GPT5_MINI, O3_PRO, GPT41, CURSOR_SMALL, COPILOT_TAB, MERIDIAN_CODER = range(10)
TOP_TIER = (OPUS, O3_PRO)
#: Meridian's enterprise agreement lowers Sonnet's price from this share of the period on.
SONNET_DISCOUNT = 0.9
SONNET_DISCOUNT_FROM = 0.5

#: The models each (tool, kind) reaches for, with their shares.
MODEL_MIX = {
    (CLAUDE_CODE, CHAT): ((SONNET, 0.82), (OPUS, 0.08), (HAIKU, 0.10)),
    (CLAUDE_CODE, AGENT): ((SONNET, 0.88), (OPUS, 0.08), (HAIKU, 0.04)),
    (CLAUDE_CODE, REVIEW): ((SONNET, 0.9), (OPUS, 0.1)),
    (CURSOR, CHAT): ((SONNET, 0.5), (GPT5, 0.33), (GPT5_MINI, 0.12), (OPUS, 0.05)),
    (CURSOR, AGENT): ((SONNET, 0.62), (GPT5, 0.33), (OPUS, 0.05)),
    (CURSOR, TAB): ((CURSOR_SMALL, 1.0),),
    (COPILOT, CHAT): ((GPT41, 0.6), (SONNET, 0.25), (GPT5_MINI, 0.15)),
    (COPILOT, TAB): ((COPILOT_TAB, 1.0),),
    (COPILOT, REVIEW): ((GPT41, 0.7), (SONNET, 0.3)),
    (OPENAI_API, CHAT): ((GPT5, 0.6), (GPT5_MINI, 0.4)),
    (OPENAI_API, COMPLETION): ((GPT5_MINI, 0.55), (GPT5, 0.41), (O3_PRO, 0.04)),
    (INTERNAL_AGENT, AGENT): ((MERIDIAN_CODER, 0.5), (SONNET, 0.45), (HAIKU, 0.05)),
    (INTERNAL_AGENT, REVIEW): ((MERIDIAN_CODER, 0.6), (SONNET, 0.4)),
}

# --- Request profiles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """How the requests of one kind of session look in the token log.

    Uncached input is the new text of each request; cached input is the conversation or agent
    context, which grows by `ctx_step` per request from `ctx0` and is compacted back when it
    passes `ctx_cap`; `big_first` requests at the start of a session carry a large pasted input.
    """

    name: str
    kind: int
    steps: float
    steps_shape: float
    gap_s: float
    in_med: float
    in_sig: float
    ctx0: float
    ctx_step: float
    ctx_cap: float
    cw_frac: float
    out_med: float
    out_sig: float
    lines_p: float
    lines_med: float
    accept: float
    big_first: int = 0
    big_med: float = 0.0
    hash_cycle: bool = False


PROFILES = (
    Profile("tab", TAB, 30, 1.5, 45, 1800, 0.35, 0, 0, 0, 0, 35, 0.6, 1.0, 2, 0.3),
    Profile("chat", CHAT, 5, 4, 100, 900, 0.9, 3000, 1800, 60000, 0.6, 450, 0.8, 0.35, 18, 0.45),
    Profile("learner", CHAT, 9, 4, 150, 1200, 0.8, 4000, 6000, 180000, 0.7, 900, 0.6, 0.1, 10, 0.2, 1, 45000),
    Profile("agent", AGENT, 20, 2, 28, 2200, 0.9, 14000, 2600, 160000, 0.8, 650, 0.8, 0.4, 25, 0.7),
    Profile("agent_long", AGENT, 26, 2, 28, 2200, 0.9, 14000, 3000, 170000, 0.8, 800, 0.8, 0.5, 25, 0.72),
    Profile("migration", AGENT, 30, 2, 25, 3000, 0.8, 20000, 3000, 150000, 0.8, 1200, 0.7, 0.6, 60, 0.8),
    Profile("overnight", AGENT, 150, 6, 80, 1800, 0.8, 20000, 1500, 150000, 0.7, 600, 0.7, 0.3, 20, 0.65),
    Profile(
        "review", REVIEW, 2.5, 3, 70, 6000, 0.7, 2000, 3000, 100000, 0.5, 700, 0.6, 0.15, 8, 0.3, 1, 22000
    ),
    Profile(
        "review_deep", REVIEW, 6, 4, 90, 5000, 0.7, 10000, 8000, 150000, 0.6, 900, 0.6, 0.2, 8, 0.3, 1, 40000
    ),
    Profile("completion", COMPLETION, 6, 3, 40, 1500, 1.0, 1500, 0, 1500, 0.0, 350, 0.9, 0.0, 0, 0.0),
    Profile(
        "incident", CHAT, 20, 4, 240, 1500, 0.8, 6000, 3500, 120000, 0.7, 600, 0.7, 0.15, 12, 0.5, 2, 40000
    ),
    Profile("idle", AGENT, 100, 4, 90, 600, 0.6, 50000, 150, 70000, 0.1, 180, 0.5, 0.03, 3, 0.0, 0, 0, True),
    Profile("regen", CHAT, 8, 3, 25, 1400, 0.7, 6000, 1500, 80000, 0.5, 2400, 0.4, 0.9, 90, 0.0),
    Profile("stuff", CHAT, 2, 3, 240, 135000, 0.25, 0, 0, 0, 0.0, 600, 0.8, 0.2, 20, 0.2),
    Profile("trivia", CHAT, 2, 3, 120, 380, 0.6, 0, 0, 0, 0.0, 60, 0.7, 0.0, 0, 0.0),
    Profile("replay", CHAT, 1, 1, 600, 0, 0, 0, 0, 0, 0.0, 0, 0, 0.0, 0, 0.0),
    Profile("prototype", AGENT, 24, 2, 22, 2500, 0.8, 16000, 2500, 160000, 0.8, 1400, 0.6, 0.75, 70, 0.85),
    Profile("burst", CHAT, 15, 3, 20, 3500, 0.7, 20000, 4000, 120000, 0.6, 2200, 0.5, 0.2, 30, 0.03),
    Profile("topup", AGENT, 22, 3, 35, 1800, 0.9, 12000, 2400, 150000, 0.8, 600, 0.8, 0.35, 20, 0.06),
    Profile("aux", OTHER, 1, 1, 5, 700, 0.6, 0, 0, 0, 0.0, 40, 0.6, 0.0, 0, 0.0),
)
PROFILE = {profile.name: index for index, profile in enumerate(PROFILES)}

# --- Inflation styles -----------------------------------------------------------------------------

STYLES = (
    "idle_agents",
    "regeneration",
    "context_stuffing",
    "premium_trivia",
    "prompt_replay",
    "throwaway_prototypes",
    "leaderboard_burst",
    "performative_topup",
)
IDLE, REGEN, STUFF, TRIVIA, REPLAY, PROTOTYPES, BURST, TOPUP = range(8)
#: Share of the inflators whose main style each is.
STYLE_SHARES = (0.10, 0.09, 0.09, 0.10, 0.08, 0.07, 0.12, 0.35)

# --- Words ----------------------------------------------------------------------------------------

_FIRST_NAMES = (
    "Aisha Alejandro Amara Ananya Andrei Anna Arjun Astrid Ben Bianca Carlos Chen Chiara Chloe Daniel "
    "Dario Deepa Diego Dmitri Elena Emeka Emma Ewa Farah Felipe Fatima Finn Gabriel Grace Hana Hannah "
    "Hiroshi Ines Ivan Jakub Jamal James Javier Jin Joao Jonas Julia Kai Karan Kenji Kofi Lars Laura "
    "Leila Liam Lucas Lucia Maja Malik Marco Maria Mateo Mei Miguel Min Mohammed Nadia Naveen Nia Noah "
    "Olga Omar Oscar Paula Pedro Priya Rafael Rahul Rosa Ryo Sakura Samuel Sara Sebastian Shreya Sofia "
    "Soren Tariq Thomas Tomasz Uma Valentina Victor Wei Yara Yusuf Zainab Zoe"
)
_LAST_NAMES = (
    "Abebe Adeyemi Almeida Andersen Bauer Becker Bianchi Brennan Carvalho Chandra Chen Costa Dubois "
    "Eriksson Ferreira Fischer Fujita Garcia Gomez Gupta Hansen Haddad Ibrahim Iyer Jansen Jovanovic "
    "Kaur Kim Kowalski Kumar Larsen Lee Lima Lopez Martin Mendes Moreau Murphy Nakamura Nguyen Novak "
    "Okafor Oliveira Ortiz Park Patel Pereira Petrov Quinn Rahman Reddy Ribeiro Rossi Sato Schmidt "
    "Silva Singh Sokolov Suzuki Tanaka Torres Tran Visser Varga Wagner Walsh Wang Weber Wilson "
    "Wojcik Yamamoto Yilmaz Zhang Zielinski"
)
FIRST_NAMES = tuple(_FIRST_NAMES.split())
LAST_NAMES = tuple(_LAST_NAMES.split())

VERBS = (
    "add",
    "fix",
    "handle",
    "remove",
    "rename",
    "refactor",
    "speed up",
    "validate",
    "cache",
    "retry",
    "log",
    "migrate",
    "split",
    "simplify",
    "document",
    "test",
)
NOUNS = (
    "idempotency key",
    "retry budget",
    "null currency",
    "pagination cursor",
    "feature flag",
    "rate limiter",
    "audit log",
    "webhook signature",
    "session token",
    "batch export",
    "schema version",
    "timeout",
    "dead-letter queue",
    "config loader",
    "metrics labels",
    "error mapping",
    "locale fallback",
    "push payload",
    "search index",
    "price rounding",
)
CONVENTIONAL = ("feat", "fix", "chore", "refactor", "perf", "test", "docs")
INCIDENT_WORDS = (
    "elevated 5xx rate",
    "latency above SLO",
    "queue backlog growing",
    "replica lag",
    "certificate expiry warning",
    "disk pressure",
    "error budget burn",
    "failed health checks",
    "memory leak suspected",
    "DNS resolution failures",
)
#: AI co-author trailers as each tool writes them.
TRAILERS = {
    CLAUDE_CODE: "Co-authored-by: Claude <noreply@anthropic.com>",
    CURSOR: "Co-authored-by: Cursor <cursoragent@cursor.com>",
    COPILOT: "Co-authored-by: Copilot <198982749+Copilot@users.noreply.github.com>",
}
BOTS = ("dependabot[bot]", "renovate[bot]")
BOT_EMAILS = (
    "49699333+dependabot[bot]@users.noreply.github.com",
    "29139614+renovate[bot]@users.noreply.github.com",
)
EMAIL_DOMAIN = "meridian.io"
#: The domain of an acquired company, whose old accounts some people still use.
LEGACY_DOMAIN = "tessera.dev"
ALIAS_DOMAIN = "meridian.dev"
