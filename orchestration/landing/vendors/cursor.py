"""Cursor Admin API: daily usage (`POST /teams/daily-usage-data`), usage events
(`POST /teams/filtered-usage-events`) and spend (`POST /teams/spend`), pages as saved, under
`cursor_daily_usage/`.

A page with `usageEvents[]` holds events, one per model request: tokens from `tokenUsage` (the input
is taken as uncached, as the vendor's example suggests), the charge from `chargedCents` in US cents,
billed. An event with `kind` "User API Key" (BYOK) is billed by the model vendor on the user's key:
`charge_status = byok`, cost 0, and its tokens count there, not here. Events carry no id: the key is
a hash of every field plus the event's ordinal among identical events of the same page.

A page with `data[]` holds one activity row per user and day (lines, tab completions, request
counters); its request counters are the same requests as the events at another grain and are never
added to them. It carries no tokens or cost.

A page with `teamMemberSpend[]` holds each member's spend of the billing cycle that starts at the
page's `subscriptionCycleStart` (epoch ms): `overallSpendCents` (on-demand and included usage, US
cents; `spendCents`, on-demand only, where a page has no overall figure), as a `total` row per
member and cycle. The events' `chargedCents` are the same spend: the total is kept to reconcile the
events with, never added to them (`cost_kind` says what it is, `record_kind = total` that it counts
nowhere). The limits in dollars are not loaded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from orchestration.landing.vendors.export import (
    Export,
    ExportError,
    Record,
    RecordProblem,
    Row,
    cents_to_usd,
    day_start,
    decimal,
    epoch_seconds,
    get,
    json_document,
    number,
    pages,
    record_object,
    stable_key,
)

BYOK = "user api key"
REQUEST_COUNTERS = ("composerRequests", "chatRequests", "agentRequests", "cmdkUsages")
#: The record lists a saved page may hold, by the endpoint it answers.
LISTS = ("usageEvents", "teamMemberSpend", "data")
#: A member's spend of the cycle, the overall figure first.
SPEND_FIELDS = ("overallSpendCents", "spendCents")


def records(path: Path) -> Iterator[Record]:
    """The events, the daily rows or the members' spend of a page; events are numbered among
    identical ones, so two byte-identical events of one page stay two."""
    document = json_document(path)
    first = document[0] if isinstance(document, list) and document else document
    list_key = next((key for key in LISTS if isinstance(first, dict) and key in first), None)
    if list_key is None:
        raise ExportError("the page has none of the lists 'usageEvents', 'teamMemberSpend' and 'data'")
    number_ = 0
    seen: dict[str, int] = {}
    saved = document if isinstance(document, list) else [document]
    for page, (where, items) in zip(saved, pages(document, list_key), strict=False):
        for index, item in enumerate(items):
            number_ += 1
            bucket: dict[str, object] = {"list": list_key, "cycle_start": page.get("subscriptionCycleStart")}
            if list_key == "usageEvents":
                text = json.dumps(item, sort_keys=True)
                seen[text] = seen.get(text, 0) + 1
                bucket["ordinal"] = seen[text]
            yield Record(number_, f"{where}[{index}]", item, bucket)


def rows(record: Record, relative: str) -> list[Row]:
    item = record_object(record)
    if record.bucket["list"] == "data":
        return [_daily(record, item)]
    if record.bucket["list"] == "teamMemberSpend":
        return [_spend(record, item)]
    return [_event(record, item)]


def _spend(record: Record, item: dict[str, object]) -> Row:
    cycle_start = record.bucket.get("cycle_start")
    if cycle_start is None:
        raise RecordProblem("missing_field", f"{record.where}: the page has no subscriptionCycleStart")
    email = get(record, item, "email", required=False)
    member = str(email).lower() if email is not None else get(record, item, "userId", required=False)
    if member is None:
        raise RecordProblem("missing_field", f"{record.where}: required field 'email' is missing")
    field, cents = next(
        ((name, value) for name in SPEND_FIELDS if (value := decimal(record, item, name)) is not None),
        (None, None),
    )
    return {
        "source": "cursor.spend",
        "event_id": stable_key("cursor.spend", cycle_start, member),
        "grain": "cycle",
        "record_kind": "total",
        "cost_kind": "billed",
        "source_tool": "cursor",
        "occurred_at": epoch_seconds(record, cycle_start, "subscriptionCycleStart", scale=1000),
        "actor_id": member,
        "actor_kind": "email" if email is not None else "user_id",
        "line_item": field,
        "cost_usd": cents_to_usd(cents),
    }


def _daily(record: Record, item: dict[str, object]) -> Row:
    user_id = get(record, item, "userId")
    day = day_start(record, get(record, item, "day"), "day")
    counters = [number(record, item, name) for name in REQUEST_COUNTERS]
    return {
        "source": "cursor.daily",
        "event_id": stable_key("cursor.daily", user_id, day[:10]),
        "grain": "user_day",
        "record_kind": "activity",
        "cost_kind": "none",
        "source_tool": "cursor",
        "occurred_at": day,
        "actor_id": str(get(record, item, "email")).lower(),
        "actor_kind": "email",
        "model": get(record, item, "mostUsedModel", required=False),
        "requests": sum(value or 0 for value in counters),
        "suggestions_shown": number(record, item, "totalTabsShown"),
        "suggestions_accepted": number(record, item, "totalTabsAccepted"),
        "lines_accepted": number(record, item, "acceptedLinesAdded"),
        "lines_added": number(record, item, "totalLinesAdded"),
        "lines_removed": number(record, item, "acceptedLinesDeleted"),
    }


def _event(record: Record, item: dict[str, object]) -> Row:
    timestamp = get(record, item, "timestamp")
    email = get(record, item, "userEmail", required=False)
    service_account = get(record, item, "serviceAccountId", required=False)
    if email is None and service_account is None:
        raise RecordProblem("missing_field", f"{record.where}: required field 'userEmail' is missing")
    kind = get(record, item, "kind", required=False)
    chargeable = get(record, item, "isChargeable", required=False)
    if str(kind).lower() == BYOK:
        charge_status = "byok"
    elif chargeable is False:
        charge_status = "not_charged"
    else:
        charge_status = "charged"
    usage = get(record, item, "tokenUsage", required=False) or {}
    charged = cents_to_usd(decimal(record, item, "chargedCents"))
    return {
        "source": "cursor.events",
        "event_id": stable_key(
            "cursor.events", json.dumps(item, sort_keys=True, ensure_ascii=False), record.bucket["ordinal"]
        ),
        "grain": "request",
        "record_kind": "tokens",
        "cost_kind": "billed",
        "source_tool": "cursor",
        "occurred_at": epoch_seconds(record, timestamp, "timestamp", scale=1000),
        "actor_id": str(email).lower() if email is not None else service_account,
        "actor_kind": "email" if email is not None else "service_account_id",
        "model": get(record, item, "model"),
        "session_id": get(record, item, "conversationId", required=False),
        "charge_status": charge_status,
        "input_tokens": number(record, usage, "inputTokens", at="tokenUsage") or 0,
        "cached_input_tokens": number(record, usage, "cacheReadTokens", at="tokenUsage"),
        "cache_write_tokens": number(record, usage, "cacheWriteTokens", at="tokenUsage"),
        "output_tokens": number(record, usage, "outputTokens", at="tokenUsage") or 0,
        "requests": 1,
        "cost_usd": 0 if charge_status != "charged" else (charged or 0),
    }


EXPORT = Export(
    folder="cursor_daily_usage",
    table="vendor_ai_usage",
    suffixes=(".json",),
    records=records,
    rows=rows,
)
