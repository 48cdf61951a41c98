"""Claude Code Analytics (`GET /v1/organizations/usage_report/claude_code`), pages as saved, under
`claude_code_analytics/`.

One record per actor and UTC day. Each record gives one activity row (sessions, lines, tool
proposals) and one token row per `model_breakdown[]` element. The estimated cost is in US cents and
is an estimate at list price: `cost_kind = estimated`, never billed spend. Whether `tokens.input`
excludes cache reads is undocumented; it is mapped as uncached input (Anthropic's convention), and
the dbt test `assert_claude_code_tokens_within_usage_report` fails when Claude Code reports more of
a token type than the organisation's usage report for the same day and model, which a wrong guess
would cause.
"""

from __future__ import annotations

from orchestration.landing.vendors.export import (
    Export,
    Record,
    RecordProblem,
    Row,
    cents_to_usd,
    day_start,
    decimal,
    get,
    number,
    page_records,
    record_object,
    stable_key,
)

SOURCE = "anthropic.claude_code"
ACTORS = {"user_actor": ("email_address", "email"), "api_actor": ("api_key_name", "api_key_name")}


def rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    occurred_at = day_start(record, get(record, item, "date"), "date")
    actor_type = get(record, item, "actor.type")
    if actor_type not in ACTORS:
        reason = f"{record.where}: actor.type {actor_type!r} is no known actor"
        raise RecordProblem("unknown_value", reason)
    actor_field, actor_kind = ACTORS[str(actor_type)]
    actor = str(get(record, item, f"actor.{actor_field}"))
    organization_id = str(get(record, item, "organization_id"))
    parent_key = (
        SOURCE,
        occurred_at[:10],
        organization_id,
        actor_type,
        actor,
        get(record, item, "terminal_type", required=False),
        get(record, item, "is_remote", required=False),
    )
    common: Row = {
        "source": SOURCE,
        "grain": "user_day",
        "source_tool": "claude_code",
        "occurred_at": occurred_at,
        "organization_id": organization_id,
        "actor_id": actor.lower() if actor_kind == "email" else actor,
        "actor_kind": actor_kind,
        "customer_type": get(record, item, "customer_type", required=False),
    }
    tool_actions = get(record, item, "tool_actions", required=False) or {}
    if not isinstance(tool_actions, dict):
        raise RecordProblem("malformed_row", f"{record.where}: tool_actions is not an object")
    accepted = [number(record, tool_actions, f"{tool}.accepted") or 0 for tool in tool_actions]
    rejected = [number(record, tool_actions, f"{tool}.rejected") or 0 for tool in tool_actions]
    activity: Row = {
        **common,
        "event_id": stable_key(*parent_key),
        "record_kind": "activity",
        "cost_kind": "none",
        "sessions": number(record, item, "core_metrics.num_sessions"),
        "lines_added": number(record, item, "core_metrics.lines_of_code.added"),
        "lines_removed": number(record, item, "core_metrics.lines_of_code.removed"),
        "suggestions_shown": sum(accepted) + sum(rejected),
        "suggestions_accepted": sum(accepted),
    }
    breakdown = get(record, item, "model_breakdown", required=False) or []
    if not isinstance(breakdown, list):
        raise RecordProblem("malformed_row", f"{record.where}: model_breakdown is not a list")
    tokens = []
    for index, part in enumerate(breakdown):
        place = f"model_breakdown[{index}]"
        model = get(record, part, "model", at=place)
        currency = get(record, part, "estimated_cost.currency", required=False)
        if currency is not None and str(currency).upper() != "USD":
            reason = f"{record.where}: {place}.estimated_cost in {currency}, not USD"
            raise RecordProblem("unknown_value", reason)
        tokens.append(
            {
                **common,
                "event_id": stable_key(*parent_key, model),
                "record_kind": "tokens",
                "cost_kind": "estimated",
                "model": model,
                "input_tokens": number(record, part, "tokens.input", required=True, at=place),
                "cached_input_tokens": number(record, part, "tokens.cache_read", at=place),
                "cache_write_tokens": number(record, part, "tokens.cache_creation", at=place),
                "output_tokens": number(record, part, "tokens.output", required=True, at=place),
                "cost_usd": cents_to_usd(decimal(record, part, "estimated_cost.amount", at=place)),
            }
        )
    return [activity, *tokens]


EXPORT = Export(
    folder="claude_code_analytics",
    table="vendor_ai_usage",
    suffixes=(".json",),
    records=lambda path: page_records(path, "data"),
    rows=rows,
)
