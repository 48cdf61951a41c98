"""GitHub Copilot usage metrics, `users-1-day` reports (NDJSON as downloaded from the report's
links), under `copilot_user_metrics/`.

One line per user, day and enterprise or organisation: one activity row (interactions, code
generation and acceptance, lines), keyed by the report's scope, its entity, the stable `user_id`
and the day. Lines accepted are the `code_completion` feature's lines added, read from the one
`totals_by_feature[]` breakdown: the breakdowns are alternative views of the same activity and are
never added to each other or to the top-level counters. The CLI's token usage, when there is any,
is one token row (prompt and output tokens, no cache split) with `cost_kind = seat`: Copilot's
usage is on GitHub's bill, not priced per token here.

A user appears in the report of every organisation they belong to and once in the enterprise's;
dbt counts one report per user and day (the enterprise's where it landed).
"""

from __future__ import annotations

from orchestration.landing.vendors.export import (
    Export,
    Record,
    RecordProblem,
    Row,
    day_start,
    get,
    ndjson_records,
    number,
    record_object,
    stable_key,
)

SOURCE = "copilot.users_1_day"
COMPLETION = "totals_by_feature[code_completion]"


def rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    day = day_start(record, get(record, item, "day"), "day")
    user_id = number(record, item, "user_id", required=True)
    organization = get(record, item, "organization_id", required=False)
    enterprise = get(record, item, "enterprise_id", required=False)
    if organization is None and enterprise is None:
        raise RecordProblem(
            "missing_field", f"{record.where}: required field 'organization_id' or 'enterprise_id' is missing"
        )
    # An organisation report names its organisation (and may name the enterprise too).
    scope, entity = ("org", organization) if organization is not None else ("ent", enterprise)
    common: Row = {
        "grain": "user_day",
        "source_tool": "copilot",
        "occurred_at": day,
        "organization_id": f"{scope}:{entity}",
        "actor_id": str(get(record, item, "user_login")),
        "actor_kind": "login",
    }
    features = get(record, item, "totals_by_feature", required=False) or []
    if not isinstance(features, list):
        raise RecordProblem("malformed_row", f"{record.where}: totals_by_feature is not a list")
    completion = next(
        (part for part in features if isinstance(part, dict) and part.get("feature") == "code_completion"), {}
    )
    key = (SOURCE, scope, entity, user_id, day[:10])
    activity: Row = {
        **common,
        "source": SOURCE,
        "event_id": stable_key(*key),
        "record_kind": "activity",
        "cost_kind": "none",
        "requests": number(record, item, "user_initiated_interaction_count"),
        "suggestions_shown": number(record, item, "code_generation_activity_count"),
        "suggestions_accepted": number(record, item, "code_acceptance_activity_count"),
        "lines_suggested": number(record, item, "loc_suggested_to_add_sum"),
        "lines_accepted": number(record, completion, "loc_added_sum", at=COMPLETION),
        "lines_added": number(record, item, "loc_added_sum"),
        "lines_removed": number(record, item, "loc_deleted_sum"),
    }
    cli = get(record, item, "totals_by_cli.token_usage", required=False)
    if not isinstance(cli, dict):
        return [activity]
    tokens: Row = {
        **common,
        "source": SOURCE,
        "event_id": stable_key(*key, "cli"),
        "record_kind": "tokens",
        "cost_kind": "seat",
        "model": "copilot-cli",
        "input_tokens": number(record, cli, "prompt_tokens_sum", at="totals_by_cli.token_usage") or 0,
        "output_tokens": number(record, cli, "output_tokens_sum", at="totals_by_cli.token_usage") or 0,
        "requests": number(record, item, "totals_by_cli.request_count"),
        "cost_usd": 0,
    }
    return [activity, tokens]


EXPORT = Export(
    folder="copilot_user_metrics",
    table="vendor_ai_usage",
    suffixes=(".ndjson", ".jsonl", ".json"),
    records=ndjson_records,
    rows=rows,
)
