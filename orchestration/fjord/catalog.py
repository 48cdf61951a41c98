"""Fjord's AI tools, the model names each reports, and the organisation's negotiated prices."""

from __future__ import annotations

from datetime import date

TOOLS = ("claude_code", "cursor", "copilot", "openai_api", "internal_agent")
TOOL = {name: i for i, name in enumerate(TOOLS)}
KINDS = ("chat", "completion", "agent", "tab", "review", "other")
KIND = {name: i for i, name in enumerate(KINDS)}

#: Model names exactly as each tool reports them (vendors spell the same model differently).
MODELS = (
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-1-20250805",
    "claude-haiku-4-5-20251001",
    "cursor-tab",
    "claude-4.5-sonnet",
    "claude-4.1-opus",
    "gpt-5",
    "copilot-completions",
    "gpt-4.1",
    "claude-sonnet-4.5",
    "gpt-5-mini",
    "claude-opus-4.1",
    "gpt-5-2025-08-07",
    "gpt-5-mini-2025-08-07",
    "gpt-4.1-2025-04-14",
    "gpt-5-pro-2025-10-06",
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    "anthropic.claude-opus-4-1-20250805-v1:0",
)
MODEL = {name: i for i, name in enumerate(MODELS)}

_SONNET = (3.0, 0.30, 3.75, 15.0)
_OPUS = (15.0, 1.50, 18.75, 75.0)
_HAIKU = (1.0, 0.10, 1.25, 5.0)
_GPT5 = (1.25, 0.125, 0.0, 10.0)
_GPT5_DEAL = (1.0, 0.10, 0.0, 8.0)
_MINI = (0.25, 0.025, 0.0, 2.0)
_GPT41 = (2.0, 0.50, 0.0, 8.0)
_PRO = (15.0, 15.0, 0.0, 120.0)
_SEAT = (0.0, 0.0, 0.0, 0.0)

#: USD per million tokens: input, cached input, cache write, output. The OpenAI models get the
#: enterprise commitment's discount from `PRICE_CHANGE_WEEK` of the period on (when it has one).
PRICES: dict[str, tuple[float, float, float, float]] = {
    "claude-sonnet-4-5-20250929": _SONNET,
    "claude-opus-4-1-20250805": _OPUS,
    "claude-haiku-4-5-20251001": _HAIKU,
    "cursor-tab": _SEAT,
    "claude-4.5-sonnet": _SONNET,
    "claude-4.1-opus": _OPUS,
    "gpt-5": _GPT5,
    "copilot-completions": _SEAT,
    "gpt-4.1": _GPT41,
    "claude-sonnet-4.5": _SONNET,
    "gpt-5-mini": _MINI,
    "claude-opus-4.1": _OPUS,
    "gpt-5-2025-08-07": _GPT5,
    "gpt-5-mini-2025-08-07": _MINI,
    "gpt-4.1-2025-04-14": _GPT41,
    "gpt-5-pro-2025-10-06": _PRO,
    "anthropic.claude-sonnet-4-5-20250929-v1:0": _SONNET,
    "anthropic.claude-haiku-4-5-20251001-v1:0": _HAIKU,
    "anthropic.claude-opus-4-1-20250805-v1:0": _OPUS,
}
DISCOUNTED = {"gpt-5": _GPT5_DEAL, "gpt-5-2025-08-07": _GPT5_DEAL}
PRICES_FROM = date(2025, 1, 1)


def price_change_week(weeks: int) -> int | None:
    return weeks // 2 if weeks >= 4 else None


#: Which models a tool offers, for: chat, agent, premium (its most expensive), light (its cheapest).
TOOL_MODELS: dict[str, dict[str, tuple[tuple[str, float], ...]]] = {
    "claude_code": {
        "chat": (
            ("claude-sonnet-4-5-20250929", 0.82),
            ("claude-haiku-4-5-20251001", 0.12),
            ("claude-opus-4-1-20250805", 0.06),
        ),
        "agent": (
            ("claude-sonnet-4-5-20250929", 0.9),
            ("claude-opus-4-1-20250805", 0.06),
            ("claude-haiku-4-5-20251001", 0.04),
        ),
        "premium": (("claude-opus-4-1-20250805", 1.0),),
        "tab": (),
    },
    "cursor": {
        "chat": (("claude-4.5-sonnet", 0.55), ("gpt-5", 0.38), ("claude-4.1-opus", 0.07)),
        "agent": (("claude-4.5-sonnet", 0.7), ("gpt-5", 0.25), ("claude-4.1-opus", 0.05)),
        "premium": (("claude-4.1-opus", 1.0),),
        "tab": (("cursor-tab", 1.0),),
    },
    "copilot": {
        "chat": (("gpt-4.1", 0.5), ("claude-sonnet-4.5", 0.3), ("gpt-5-mini", 0.2)),
        "agent": (("claude-sonnet-4.5", 0.75), ("gpt-4.1", 0.25)),
        "premium": (("claude-opus-4.1", 1.0),),
        "tab": (("copilot-completions", 1.0),),
    },
    "openai_api": {
        "chat": (("gpt-5-2025-08-07", 0.5), ("gpt-5-mini-2025-08-07", 0.3), ("gpt-4.1-2025-04-14", 0.2)),
        "agent": (("gpt-5-2025-08-07", 1.0),),
        "premium": (("gpt-5-pro-2025-10-06", 1.0),),
        "tab": (),
    },
    "internal_agent": {
        "chat": (
            ("anthropic.claude-sonnet-4-5-20250929-v1:0", 0.7),
            ("anthropic.claude-haiku-4-5-20251001-v1:0", 0.3),
        ),
        "agent": (
            ("anthropic.claude-sonnet-4-5-20250929-v1:0", 0.85),
            ("anthropic.claude-haiku-4-5-20251001-v1:0", 0.15),
        ),
        "premium": (("anthropic.claude-opus-4-1-20250805-v1:0", 1.0),),
        "tab": (),
    },
}

#: Tools that report a cost per request (the others are priced by the warehouse from the price table).
REPORTS_COST = {"claude_code", "copilot", "openai_api"}
#: What each tool leaves out of its records.
NO_CACHE_COLUMNS = {"copilot"}
NO_CACHE_WRITE = {"copilot", "openai_api"}
NO_LINES = {"openai_api", "internal_agent"}
NO_SESSION = {"openai_api"}
