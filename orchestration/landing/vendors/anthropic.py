"""Anthropic Admin API usage report (`usage_report/messages`) and cost report (`cost_report`), pages
as saved, under `anthropic_usage_report/`.

Both are pages of time buckets, each with `results[]`; a result with `amount` is a cost line, any
other a usage result. Neither names the organisation: a file under an `org=<organization id>`
folder belongs to that organisation; otherwise dbt assigns it to the organisation of the Claude Code
export when there is exactly one.

Usage: the three input buckets are disjoint (uncached, cache reads, cache writes 5m + 1h), so the
total input is their sum. Cost: `amount` is a decimal string in US cents, billed (`cost_kind =
billed`); it is read as a Decimal and divided by 100. Both describe the same usage as Claude Code
Analytics of an API organisation, and each other: never added (dbt, int_ai_usage_vendor_counted).
"""

from __future__ import annotations

from datetime import datetime

from orchestration.landing.vendors.export import (
    Export,
    Record,
    RecordProblem,
    Row,
    bucket_grain,
    bucket_records,
    cents_to_usd,
    decimal,
    get,
    instant,
    number,
    path_value,
    record_object,
    stable_key,
)

USAGE_DIMENSIONS = (
    "api_key_id",
    "workspace_id",
    "model",
    "service_tier",
    "context_window",
    "inference_geo",
    "speed",
    "account_id",
    "service_account_id",
)
COST_DIMENSIONS = (
    "workspace_id",
    "description",
    "model",
    "token_type",
    "cost_type",
    "service_tier",
    "context_window",
    "inference_geo",
    "speed",
)


def _bucket(record: Record) -> tuple[str, str]:
    start = get(record, record.bucket, "starting_at")
    end = get(record, record.bucket, "ending_at")
    return instant(record, start, "starting_at"), instant(record, end, "ending_at")


def _width(record: Record, start: str, end: str) -> str:
    try:
        seconds = [datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() for text in (start, end)]
    except ValueError as error:
        raise RecordProblem("bad_timestamp", f"{record.where}: bucket bounds {start!r}..{end!r}") from error
    return bucket_grain(record, seconds[0], seconds[1])


def rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    start, end = _bucket(record)
    grain = _width(record, start, end)
    common: Row = {
        "grain": grain,
        "source_tool": "anthropic_api",
        "occurred_at": start,
        "organization_id": path_value(relative, "org"),
        "model": get(record, item, "model", required=False),
    }
    if "amount" in item:
        currency = get(record, item, "currency", required=False)
        if currency is not None and str(currency).upper() != "USD":
            raise RecordProblem("unknown_value", f"{record.where}: amount in {currency}, not USD")
        source = "anthropic.cost_report"
        dimensions = [get(record, item, name, required=False) for name in COST_DIMENSIONS]
        return [
            {
                **common,
                "source": source,
                "event_id": stable_key(source, common["organization_id"], start, *dimensions),
                "record_kind": "cost",
                "cost_kind": "billed",
                "line_item": get(record, item, "description", required=False)
                or get(record, item, "cost_type", required=False),
                "cost_usd": cents_to_usd(decimal(record, item, "amount", required=True)),
            }
        ]
    source = "anthropic.usage_report"
    dimensions = [get(record, item, name, required=False) for name in USAGE_DIMENSIONS]
    key_id, account_id = (get(record, item, name, required=False) for name in ("api_key_id", "account_id"))
    actor, actor_kind = (account_id, "account_id") if account_id else (key_id, "api_key_id")
    cache_writes = [
        number(record, item, f"cache_creation.ephemeral_{ttl}_input_tokens") for ttl in ("5m", "1h")
    ]
    return [
        {
            **common,
            "source": source,
            "event_id": stable_key(source, common["organization_id"], grain, start, *dimensions),
            "record_kind": "tokens",
            "cost_kind": "list",
            "actor_id": actor,
            "actor_kind": actor_kind if actor else None,
            "input_tokens": number(record, item, "uncached_input_tokens", required=True),
            "cached_input_tokens": number(record, item, "cache_read_input_tokens"),
            "cache_write_tokens": sum(value or 0 for value in cache_writes),
            "output_tokens": number(record, item, "output_tokens", required=True),
        }
    ]


EXPORT = Export(
    folder="anthropic_usage_report",
    table="vendor_ai_usage",
    suffixes=(".json",),
    records=bucket_records,
    rows=rows,
)
