"""GitHub Copilot usage metrics reports (NDJSON as downloaded from the report's links), under
`copilot_user_metrics/`: `users-1-day`, `user-teams-1-day` and the entity reports
(`organization-1-day`, `enterprise-1-day`, and their 28-day `day_totals[]`).

One line per user, day and enterprise or organisation: one activity row (interactions, code
generation and acceptance, lines), keyed by the report's scope, its entity, the stable `user_id`
and the day. Lines accepted are the `code_completion` feature's lines added, read from the one
`totals_by_feature[]` breakdown: the breakdowns are alternative views of the same activity and are
never added to each other or to the top-level counters. The CLI's token usage, when there is any,
is one token row (prompt and output tokens, no cache split) with `cost_kind = seat`: Copilot's
usage is on GitHub's bill, not priced per token here.

A user appears in the report of every organisation they belong to and once in the enterprise's;
dbt counts one report per user and day (the enterprise's where it landed).

Two reports are kept for reconciliation only and count in no measure. A `user-teams-1-day` line
(it has a `team_id`) is a `membership` row: the user's team (its slug) on that day; team rows are
the join of users to their teams, where a user of two teams is in both and teams under five seats
are missing, so they never add up to the organisation. An entity report's line has no user: each
of its days gives one `total` row per figure it states (`daily_active_users`,
`pull_requests.total_created`, ...), the figure in `measure_value`. Its pull request totals count
every pull request of the organisation, not only Copilot's: GitHub's own pull requests are the ones
counted.
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
TEAMS_SOURCE = "copilot.user_teams_1_day"
COMPLETION = "totals_by_feature[code_completion]"
#: The figures of an entity report's day kept as totals.
ENTITY_MEASURES = (
    "daily_active_users",
    "pull_requests.total_created",
    "pull_requests.total_reviewed",
    "pull_requests.total_merged",
    "pull_requests.total_created_by_copilot",
    "pull_requests.total_reviewed_by_copilot",
    "pull_requests.total_merged_created_by_copilot",
)
ENTITY_FIELDS = ("day_totals", "daily_active_users", "pull_requests")


def _entity(record: Record, item: dict[str, object]) -> tuple[str, object]:
    """The report's scope and entity: an organisation report names its organisation (and may name
    the enterprise too)."""
    organization = get(record, item, "organization_id", required=False)
    enterprise = get(record, item, "enterprise_id", required=False)
    if organization is None and enterprise is None:
        raise RecordProblem(
            "missing_field", f"{record.where}: required field 'organization_id' or 'enterprise_id' is missing"
        )
    return ("org", organization) if organization is not None else ("ent", enterprise)


def rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    if "user_id" not in item and any(field in item for field in ENTITY_FIELDS):
        return _entity_totals(record, item)
    if "team_id" in item:
        return [_membership(record, item)]
    day = day_start(record, get(record, item, "day"), "day")
    user_id = number(record, item, "user_id", required=True)
    scope, entity = _entity(record, item)
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


def _membership(record: Record, item: dict[str, object]) -> Row:
    day = day_start(record, get(record, item, "day"), "day")
    user_id = number(record, item, "user_id", required=True)
    scope, entity = _entity(record, item)
    team_id = get(record, item, "team_id")
    return {
        "source": TEAMS_SOURCE,
        "event_id": stable_key(TEAMS_SOURCE, scope, entity, user_id, day[:10], team_id),
        "grain": "user_day",
        "record_kind": "membership",
        "cost_kind": "none",
        "source_tool": "copilot",
        "occurred_at": day,
        "organization_id": f"{scope}:{entity}",
        "actor_id": str(get(record, item, "user_login")),
        "actor_kind": "login",
        "line_item": str(get(record, item, "slug", required=False) or team_id),
    }


def _entity_totals(record: Record, item: dict[str, object]) -> list[Row]:
    scope, entity = _entity(record, item)
    source = "copilot.enterprise_1_day" if scope == "ent" else "copilot.organization_1_day"
    days = get(record, item, "day_totals", required=False)
    if days is not None and not isinstance(days, list):
        raise RecordProblem("malformed_row", f"{record.where}: day_totals is not a list")
    totals = []
    for index, day_total in enumerate(days if days is not None else [item]):
        place = f"day_totals[{index}]" if days is not None else ""
        day = day_start(record, get(record, day_total, "day", at=place), "day")
        for measure in ENTITY_MEASURES:
            value = number(record, day_total, measure, at=place)
            if value is None:
                continue
            totals.append(
                {
                    "source": source,
                    "event_id": stable_key(source, scope, entity, day[:10], measure),
                    "grain": "day",
                    "record_kind": "total",
                    "cost_kind": "none",
                    "source_tool": "copilot",
                    "occurred_at": day,
                    "organization_id": f"{scope}:{entity}",
                    "line_item": measure,
                    "measure_value": value,
                }
            )
    return totals


EXPORT = Export(
    folder="copilot_user_metrics",
    table="vendor_ai_usage",
    suffixes=(".ndjson", ".jsonl", ".json"),
    records=ndjson_records,
    rows=rows,
)
