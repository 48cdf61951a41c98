"""OpenAI organisation usage (`/v1/organization/usage/completions`) and costs
(`/v1/organization/costs`), pages as saved, under `openai_usage_completions/`.

Both are pages of buckets (`start_time`, `end_time` in Unix seconds) with `results[]`; a result's
`object` tells which. A file under an `org=<organization id>` folder belongs to that organisation.

Usage: `input_tokens` INCLUDES cached tokens (and, in the newer schema, cache writes), the opposite
of Anthropic. Uncached input is `input_uncached_tokens` where given, else `input_tokens -
input_cached_tokens - input_cache_write_tokens`; a result whose cached tokens exceed its input is
quarantined (`inconsistent_tokens`), which is how a report that counted them apart would show.
Costs: `amount.value` is in dollars (not cents), currency in lower case; billed.
"""

from __future__ import annotations

from orchestration.landing.vendors.export import (
    Export,
    Record,
    RecordProblem,
    Row,
    bucket_grain,
    bucket_records,
    decimal,
    epoch_seconds,
    get,
    number,
    path_value,
    record_object,
    stable_key,
)

USAGE_OBJECT = "organization.usage.completions.result"
COST_OBJECT = "organization.costs.result"
USAGE_DIMENSIONS = ("project_id", "user_id", "api_key_id", "model", "batch", "service_tier")
COST_DIMENSIONS = ("project_id", "line_item", "api_key_id")


def rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    start = number(record, record.bucket, "start_time", required=True)
    end = number(record, record.bucket, "end_time", required=True)
    assert start is not None and end is not None
    grain = bucket_grain(record, start, end)
    organization_id = path_value(relative, "org")
    common: Row = {
        "grain": grain,
        "source_tool": "openai_api",
        "occurred_at": epoch_seconds(record, start, "start_time"),
        "organization_id": organization_id,
    }
    kind = get(record, item, "object", required=False)
    if kind == COST_OBJECT or (kind is None and "amount" in item):
        currency = get(record, item, "amount.currency", required=False)
        if currency is not None and str(currency).lower() != "usd":
            raise RecordProblem("unknown_value", f"{record.where}: amount in {currency}, not usd")
        source = "openai.costs"
        line_item = get(record, item, "line_item", required=False)
        dimensions = [get(record, item, name, required=False) for name in COST_DIMENSIONS]
        return [
            {
                **common,
                "source": source,
                "event_id": stable_key(source, organization_id, start, *dimensions),
                "record_kind": "cost",
                "cost_kind": "billed",
                "line_item": line_item,
                "model": str(line_item).split(", ")[0] if line_item else None,
                "actor_id": get(record, item, "project_id", required=False),
                "actor_kind": "project_id" if get(record, item, "project_id", required=False) else None,
                "cost_usd": decimal(record, item, "amount.value", required=True),
            }
        ]
    if kind not in (USAGE_OBJECT, None):
        raise RecordProblem("unknown_value", f"{record.where}: object {kind!r} is neither usage nor cost")
    source = "openai.usage.completions"
    dimensions = [get(record, item, name, required=False) for name in USAGE_DIMENSIONS]
    total_input = number(record, item, "input_tokens", required=True)
    cached = number(record, item, "input_cached_tokens") or 0
    cache_write = number(record, item, "input_cache_write_tokens") or 0
    uncached = number(record, item, "input_uncached_tokens")
    assert total_input is not None
    if cached + cache_write > total_input:
        raise RecordProblem(
            "inconsistent_tokens",
            f"{record.where}: input_cached_tokens {cached} (+ cache writes {cache_write}) exceed "
            f"input_tokens {total_input}, which include them",
        )
    actor, actor_kind = next(
        (
            (value, name)
            for name in ("user_id", "api_key_id", "project_id")
            if (value := get(record, item, name, required=False))
        ),
        (None, None),
    )
    return [
        {
            **common,
            "source": source,
            "event_id": stable_key(source, organization_id, grain, start, *dimensions),
            "record_kind": "tokens",
            "cost_kind": "list",
            "model": get(record, item, "model", required=False),
            "actor_id": actor,
            "actor_kind": actor_kind,
            "input_tokens": uncached if uncached is not None else total_input - cached - cache_write,
            "cached_input_tokens": cached,
            "cache_write_tokens": cache_write,
            "output_tokens": number(record, item, "output_tokens", required=True),
            "requests": number(record, item, "num_model_requests"),
        }
    ]


EXPORT = Export(
    folder="openai_usage_completions",
    table="vendor_ai_usage",
    suffixes=(".json",),
    records=bucket_records,
    rows=rows,
)
