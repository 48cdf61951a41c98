"""The generated organisation's AI usage as the vendors' own exports (`airoi generate --vendor-formats`).

Each tool's requests go into the export of the vendor that serves and bills them, at the finest
grain that vendor offers; no tool's usage is written into another vendor's export:

- `claude_code`: Claude Code Analytics, one record per user and UTC day with each model's tokens and
  Anthropic's estimate at list prices (US cents). The organisation is an API (Console) customer, so
  the same tokens are in its usage report (hourly buckets per model) and what it was billed is in its
  cost report (one line per day, a decimal string of US cents).
- `cursor`: Cursor's filtered usage events, one per request (its time to the millisecond, its
  conversation, tokens and `chargedCents`), and each member's spend of every monthly billing cycle
  (`/teams/spend`), the same charges as a total.
- `openai_api`: OpenAI's completions usage in one-minute buckets per API key and model, and its
  costs per day in dollars.
- `copilot`: Copilot's users-1-day reports, one line per user and day: prompts, generated and
  accepted code, lines, per feature and, for chat, per model. Copilot reports no tokens for the IDE.
  The organisation's day report gives its active users and its pull requests of the day (all of
  them, as Copilot counts them). No user-teams report is written: it leaves out teams of fewer than
  five Copilot users.
- any other tool (the internal agent) has no vendor export: its events stay canonical.

A vendor bills a request at the organisation's prices: its `cost_usd` where the canonical event
states one, else the price the warehouse would give it (the organisation's `model_prices`, the list
prices the warehouse ships before and beside them). The accounts are the canonical ones: an e-mail,
the API key's id (the organisation's key names), a GitHub login with a user id derived from it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from orchestration.landing.contract import TABLES
from orchestration.settings import PROJECT_DIR

#: The tools written as a vendor's export; every other tool's events stay canonical.
VENDOR_TOOLS = ("claude_code", "cursor", "openai_api", "copilot")
LIST_PRICES = PROJECT_DIR / "seeds" / "model_list_prices.csv"
EPOCH = datetime(1970, 1, 1)
PRICE_COLUMNS = ("input", "cached_input", "cache_write", "output")
#: A release date at the end of a model's name (`-20250929`, `-2025-08-07`), as the warehouse strips it.
RELEASE_DATE = "-(20[0-9]{6}|20[0-9]{2}-[0-9]{2}-[0-9]{2})$"
#: Buckets or records per page, as each API pages them at the width used.
CLAUDE_CODE_PAGE = 1000
HOURS_PAGE = 168
DAYS_PAGE = 31
MINUTES_PAGE = 1440
COSTS_PAGE = 180
CURSOR_PAGE = 1000
#: Copilot's features for the canonical request kinds.
COPILOT_FEATURES = {
    "tab": "code_completion",
    "completion": "code_completion",
    "chat": "chat_panel_ask_mode",
    "agent": "chat_panel_agent_mode",
}
PROMPTED = ("chat", "agent")


def write_usage(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    """Write the AI usage of `con`'s `raw` tables (ingested from the canonical landing zone) into
    `out_dir` as vendor exports; returns the files written per export."""
    _price_events(con)
    bounds = con.execute("select min(usage_date), max(usage_date) from priced_events").fetchone()
    if bounds is None or bounds[0] is None:
        return {}
    days = _days(*bounds)
    organization = _organization(con)
    written = {
        "claude_code_analytics": _claude_code(con, out_dir / "claude_code_analytics", organization),
        "anthropic_usage_report": _anthropic(con, out_dir / "anthropic_usage_report", organization, days),
        "openai_usage_completions": _openai(con, out_dir / "openai_usage_completions", organization, days),
        "cursor_daily_usage": _cursor(con, out_dir / "cursor_daily_usage"),
        "copilot_user_metrics": _copilot(con, out_dir / "copilot_user_metrics", organization, days),
        "ai_usage_events": _canonical(con, out_dir / "ai_usage_events"),
    }
    return {export: count for export, count in written.items() if count}


# Prices -----------------------------------------------------------------------------------------


def _price_events(con: duckdb.DuckDBPyConnection) -> None:
    """`priced_events`: every canonical event with what its vendor bills (`billed_usd`) and
    Anthropic's list-price estimate of it (`list_usd`), computed as the warehouse prices a request."""
    with LIST_PRICES.open(newline="", encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    con.execute(
        "create or replace temp table list_prices (model varchar, effective_from date, "
        + ", ".join(f"{name}_usd_per_mtok decimal(18, 6)" for name in PRICE_COLUMNS)
        + ")"
    )
    con.executemany(
        "insert into list_prices values (?, ?, ?, ?, ?, ?)",
        [[row["model"], row["effective_from"], *(row[f"{name}_usd_per_mtok"] for name in PRICE_COLUMNS)]
         for row in listed],
    )  # fmt: skip
    mtok = ", ".join(f"{name}_usd_per_mtok" for name in PRICE_COLUMNS)
    con.execute(
        f"""
        create or replace temp table org_timeline as
        with org_starts as (
            select model, min(effective_from) as first_from from raw.model_prices group by model
        ),
        combined as (
            select model, effective_from, {mtok} from raw.model_prices
            union all
            select list_prices.model, list_prices.effective_from,
                {", ".join(f"list_prices.{name}_usd_per_mtok" for name in PRICE_COLUMNS)}
            from list_prices
            left join org_starts on list_prices.model = org_starts.model
            where org_starts.model is null or list_prices.effective_from < org_starts.first_from
        )
        select *, lead(effective_from) over (partition by model order by effective_from) as valid_to
        from combined
        """
    )
    con.execute(
        "create or replace temp table list_timeline as select *, lead(effective_from) over "
        "(partition by model order by effective_from) as valid_to from list_prices"
    )
    con.execute(
        f"""
        create or replace temp table priced_events as
        select
            events.*,
            cast(events.occurred_at as date) as usage_date,
            coalesce(events.cost_usd, {_cost("org")}) as billed_usd,
            {_cost("list")} as list_usd
        from raw.ai_usage_events as events
        {_price_join("org")}
        {_price_join("list")}
        """
    )


def _price_join(timeline: str) -> str:
    """The event's price on its UTC day from `timeline`: its model's own, else its family's (the
    name without a release date), as the warehouse looks prices up."""
    joins = []
    for alias, model in (
        (f"{timeline}_exact", "events.model"),
        (f"{timeline}_family", f"regexp_replace(events.model, '{RELEASE_DATE}', '')"),
    ):
        joins.append(
            f"left join {timeline}_timeline as {alias} on {alias}.model = {model} "
            f"and cast(events.occurred_at as date) >= {alias}.effective_from "
            f"and ({alias}.valid_to is null or cast(events.occurred_at as date) < {alias}.valid_to)"
        )
    return "\n".join(joins)


def _cost(timeline: str) -> str:
    tokens = ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens")
    terms = [
        f"coalesce(events.{column}, 0) * cast(coalesce({timeline}_exact.{name}_usd_per_mtok, "
        f"{timeline}_family.{name}_usd_per_mtok) * 0.000001 as decimal(18, 12))"
        for column, name in zip(tokens, PRICE_COLUMNS, strict=True)
    ]
    return f"cast({' + '.join(terms)} as decimal(18, 9))"


# Shared -----------------------------------------------------------------------------------------


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = con.execute(sql)
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _organization(con: duckdb.DuckDBPyConnection) -> str:
    """A stable name of the generated organisation, from its people's e-mail domain."""
    row = con.execute("select min(split_part(email, '@', 2)) from raw.people").fetchone()
    return (row[0] if row else None) or "generated"


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def _number(value: Decimal | int | None) -> float | int | None:
    """A JSON number: whole numbers as integers, decimals as the float that prints them exactly."""
    if value is None:
        return None
    if isinstance(value, int) or value == value.to_integral_value():
        return int(value)
    return float(value)


def _write(path: Path, document: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")


def _chunks(items: list[Any], size: int) -> Iterator[tuple[int, list[Any], bool]]:
    """Pages of `items`: their number from 1, their items, and whether another page follows."""
    starts = range(0, max(len(items), 1), size)
    for number, start in enumerate(starts, start=1):
        yield number, items[start : start + size], start + size < len(items)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _seconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(seconds=1)


def _day_instant(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _instant(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# Anthropic --------------------------------------------------------------------------------------


def _organization_uuid(organization: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"anthropic.{organization}"))


def _claude_code(con: duckdb.DuckDBPyConnection, folder: Path, organization: str) -> int:
    """`GET /v1/organizations/usage_report/claude_code`, one call per day (the API's own limit)."""
    models = _rows(
        con,
        """
        select usage_date, actor_id, model,
            sum(input_tokens) as input, sum(output_tokens) as output,
            sum(coalesce(cached_input_tokens, 0)) as cache_read,
            sum(coalesce(cache_write_tokens, 0)) as cache_creation,
            sum(list_usd) as list_usd
        from priced_events where source_tool = 'claude_code'
        group by all order by usage_date, actor_id, model
        """,
    )
    actors = _rows(
        con,
        """
        select usage_date, actor_id,
            count(distinct session_id) as sessions,
            sum(coalesce(lines_accepted, 0)) as lines_added,
            count(*) filter (where lines_suggested > 0 and lines_accepted > 0) as accepted,
            count(*) filter (where lines_suggested > 0 and coalesce(lines_accepted, 0) = 0) as rejected
        from priced_events where source_tool = 'claude_code'
        group by all order by usage_date, actor_id
        """,
    )
    breakdowns: dict[tuple[date, str], list[dict[str, Any]]] = {}
    for row in models:
        cents = None if row["list_usd"] is None else round(row["list_usd"] * 100, 4)
        breakdowns.setdefault((row["usage_date"], row["actor_id"]), []).append(
            {
                "model": row["model"],
                "tokens": {
                    "input": _number(row["input"]),
                    "output": _number(row["output"]),
                    "cache_read": _number(row["cache_read"]),
                    "cache_creation": _number(row["cache_creation"]),
                },
                "estimated_cost": {"currency": "USD", "amount": _number(cents)},
            }
        )
    records: dict[date, list[dict[str, Any]]] = {}
    for row in actors:
        actor = row["actor_id"]
        records.setdefault(row["usage_date"], []).append(
            {
                "date": _day_instant(row["usage_date"]),
                "actor": {"type": "user_actor", "email_address": actor}
                if "@" in actor
                else {"type": "api_actor", "api_key_name": actor},
                "organization_id": _organization_uuid(organization),
                "customer_type": "api",
                "subscription_type": None,
                "core_metrics": {
                    "num_sessions": row["sessions"],
                    "lines_of_code": {"added": _number(row["lines_added"])},
                },
                "tool_actions": {"edit_tool": {"accepted": row["accepted"], "rejected": row["rejected"]}}
                if row["accepted"] or row["rejected"]
                else {},
                "model_breakdown": breakdowns.get((row["usage_date"], actor), []),
            }
        )
    files = 0
    for day, day_records in records.items():
        for number, page, more in _chunks(day_records, CLAUDE_CODE_PAGE):
            token = f"page_{day:%Y%m%d}_{number + 1}" if more else None
            _write(folder / f"{day}-page-{number}.json", {"data": page, "has_more": more, "next_page": token})
            files += 1
    return files


def _anthropic(con: duckdb.DuckDBPyConnection, folder: Path, organization: str, days: list[date]) -> int:
    """The organisation's usage report (`usage_report/messages`, hourly buckets grouped by model) and
    cost report (`cost_report`, daily, not grouped), each one paginated call over the whole period."""
    usage = _rows(
        con,
        """
        select date_trunc('hour', occurred_at) as hour, model,
            sum(input_tokens) as uncached, sum(coalesce(cached_input_tokens, 0)) as cache_read,
            sum(coalesce(cache_write_tokens, 0)) as cache_write, sum(output_tokens) as output
        from priced_events where source_tool = 'claude_code'
        group by all order by hour, model
        """,
    )
    if not usage:
        return 0
    results: dict[datetime, list[dict[str, Any]]] = {}
    for row in usage:
        results.setdefault(row["hour"], []).append(
            {
                "api_key_id": None,
                "workspace_id": None,
                "model": row["model"],
                "service_tier": None,
                "context_window": None,
                "inference_geo": None,
                "uncached_input_tokens": _number(row["uncached"]),
                "cache_read_input_tokens": _number(row["cache_read"]),
                "cache_creation": {
                    "ephemeral_5m_input_tokens": _number(row["cache_write"]),
                    "ephemeral_1h_input_tokens": 0,
                },
                "output_tokens": _number(row["output"]),
                "server_tool_use": {"web_search_requests": 0},
            }
        )
    start = datetime.combine(days[0], datetime.min.time())
    hours = [start + timedelta(hours=offset) for offset in range(24 * len(days))]
    buckets = [
        {
            "starting_at": _instant(hour),
            "ending_at": _instant(hour + timedelta(hours=1)),
            "results": results.get(hour, []),
        }
        for hour in hours
    ]
    org = folder / f"org={_organization_uuid(organization)}"
    files = _report_pages(org, "messages", buckets, HOURS_PAGE)
    costs = {
        row["usage_date"]: row["cents"]
        for row in _rows(
            con,
            "select usage_date, sum(billed_usd) * 100 as cents from priced_events "
            "where source_tool = 'claude_code' group by usage_date",
        )
    }
    day_buckets = [
        {
            "starting_at": _day_instant(day),
            "ending_at": _day_instant(day + timedelta(days=1)),
            "results": [
                {
                    "currency": "USD",
                    "amount": format(costs[day].normalize(), "f"),
                    "workspace_id": None,
                    "description": None,
                    "cost_type": None,
                    "model": None,
                    "token_type": None,
                    "service_tier": None,
                    "context_window": None,
                    "inference_geo": None,
                }
            ]
            if day in costs
            else [],
        }
        for day in days
    ]
    return files + _report_pages(org, "cost", day_buckets, DAYS_PAGE)


def _report_pages(folder: Path, name: str, buckets: list[dict[str, Any]], size: int) -> int:
    """Anthropic's pages of buckets: `limit` buckets each, `has_more` and the next page's cursor."""
    count = 0
    for count, page, more in _chunks(buckets, size):
        token = f"page_{name}_{count + 1}" if more else None
        _write(folder / f"{name}-page-{count}.json", {"data": page, "has_more": more, "next_page": token})
    return count


# OpenAI -----------------------------------------------------------------------------------------


def _openai(con: duckdb.DuckDBPyConnection, folder: Path, organization: str, days: list[date]) -> int:
    """`/v1/organization/usage/completions` with `bucket_width=1m&group_by=api_key_id,model` (a day
    of minutes per page), and `/v1/organization/costs` per day, one paginated call each."""
    usage = _rows(
        con,
        """
        select date_trunc('minute', occurred_at) as minute, actor_id, model,
            sum(input_tokens) as uncached, sum(coalesce(cached_input_tokens, 0)) as cached,
            sum(coalesce(cache_write_tokens, 0)) as cache_write, sum(output_tokens) as output,
            count(*) as requests
        from priced_events where source_tool = 'openai_api'
        group by all order by minute, actor_id, model
        """,
    )
    if not usage:
        return 0
    results: dict[datetime, list[dict[str, Any]]] = {}
    for row in usage:
        results.setdefault(row["minute"], []).append(
            {
                "object": "organization.usage.completions.result",
                "input_tokens": _number(row["uncached"] + row["cached"] + row["cache_write"]),
                "input_cached_tokens": _number(row["cached"]),
                "input_cache_write_tokens": _number(row["cache_write"]),
                "input_uncached_tokens": _number(row["uncached"]),
                "output_tokens": _number(row["output"]),
                "input_audio_tokens": 0,
                "output_audio_tokens": 0,
                "num_model_requests": row["requests"],
                "project_id": None,
                "user_id": None,
                "api_key_id": row["actor_id"],
                "model": row["model"],
                "batch": None,
                "service_tier": None,
            }
        )
    org = folder / f"org=org-{_key('openai', organization)[:24]}"
    for number, day in enumerate(days, start=1):
        start = datetime.combine(day, datetime.min.time())
        minutes = [start + timedelta(minutes=offset) for offset in range(MINUTES_PAGE)]
        more = number < len(days)
        _write(
            org / f"usage-{day}.json",
            {
                "object": "page",
                "data": [
                    {
                        "object": "bucket",
                        "start_time": _seconds(minute),
                        "end_time": _seconds(minute + timedelta(minutes=1)),
                        "results": results.get(minute, []),
                    }
                    for minute in minutes
                ],
                "has_more": more,
                "next_page": f"page_{number + 1}" if more else None,
            },
        )
    costs = {
        row["usage_date"]: row["usd"]
        for row in _rows(
            con,
            "select usage_date, sum(billed_usd) as usd from priced_events "
            "where source_tool = 'openai_api' group by usage_date",
        )
    }
    buckets = [
        {
            "object": "bucket",
            "start_time": _seconds(datetime.combine(day, datetime.min.time())),
            "end_time": _seconds(datetime.combine(day + timedelta(days=1), datetime.min.time())),
            "results": [
                {
                    "object": "organization.costs.result",
                    "amount": {"value": _number(costs[day]), "currency": "usd"},
                    "line_item": None,
                    "project_id": None,
                }
            ]
            if day in costs
            else [],
        }
        for day in days
    ]
    files = len(days)
    for number, page, more in _chunks(buckets, COSTS_PAGE):
        document = {"object": "page", "data": page, "has_more": more, "next_page": None}
        if more:
            document["next_page"] = f"page_{number + 1}"
        _write(org / f"costs-page-{number}.json", document)
        files += 1
    return files


# Cursor -----------------------------------------------------------------------------------------


def _cursor(con: duckdb.DuckDBPyConnection, folder: Path) -> int:
    """`POST /teams/filtered-usage-events`, one call per UTC day (bounds inclusive, to .999)."""
    events = _rows(
        con,
        """
        select usage_date, occurred_at, actor_id, session_id, model, input_tokens,
            coalesce(cached_input_tokens, 0) as cached, coalesce(cache_write_tokens, 0) as cache_write,
            output_tokens, billed_usd
        from priced_events where source_tool = 'cursor'
        order by occurred_at, actor_id, event_id
        """,
    )
    by_day: dict[date, list[dict[str, Any]]] = {}
    for row in events:
        cents = None if row["billed_usd"] is None else row["billed_usd"] * 100
        event: dict[str, Any] = {
            "timestamp": str((row["occurred_at"] - EPOCH) // timedelta(milliseconds=1)),
            ("userEmail" if "@" in row["actor_id"] else "serviceAccountId"): row["actor_id"],
        }
        if row["session_id"]:
            event["conversationId"] = row["session_id"]
        event.update(
            {
                "model": row["model"],
                "kind": "Usage-based",
                "maxMode": False,
                "isTokenBasedCall": True,
                "isChargeable": True,
                "isHeadless": False,
                "tokenUsage": {
                    "inputTokens": row["input_tokens"],
                    "outputTokens": row["output_tokens"],
                    "cacheWriteTokens": row["cache_write"],
                    "cacheReadTokens": row["cached"],
                    "totalCents": _number(cents),
                },
                "chargedCents": _number(cents),
            }
        )
        by_day.setdefault(row["usage_date"], []).append(event)
    files = 0
    for day, day_events in by_day.items():
        start = _seconds(datetime.combine(day, datetime.min.time())) * 1000
        pages = -(-len(day_events) // CURSOR_PAGE)
        for number, page, more in _chunks(day_events, CURSOR_PAGE):
            _write(
                folder / f"events-{day}-page-{number}.json",
                {
                    "totalUsageEventsCount": len(day_events),
                    "pagination": {
                        "numPages": pages,
                        "currentPage": number,
                        "pageSize": CURSOR_PAGE,
                        "hasNextPage": more,
                        "hasPreviousPage": number > 1,
                    },
                    "usageEvents": page,
                    "period": {"startDate": start, "endDate": start + 86_399_999},
                },
            )
            files += 1
    return files + _cursor_spend(con, folder)


def _cursor_spend(con: duckdb.DuckDBPyConnection, folder: Path) -> int:
    """`POST /teams/spend` as fetched at the end of each monthly cycle: every member's charges."""
    members = _rows(
        con,
        """
        select date_trunc('month', occurred_at) as cycle_start, actor_id, sum(billed_usd) * 100 as cents
        from priced_events where source_tool = 'cursor'
        group by all order by cycle_start, actor_id
        """,
    )
    cycles: dict[datetime, list[dict[str, Any]]] = {}
    for row in members:
        cents = _number(row["cents"])
        cycles.setdefault(row["cycle_start"], []).append(
            {
                "userId": f"user_{_key('cursor-user', row['actor_id'])[:12]}",
                "email": row["actor_id"],
                "role": "member",
                "spendCents": cents,
                "overallSpendCents": cents,
            }
        )
    for start, spend in cycles.items():
        _write(
            folder / f"spend-{start:%Y-%m-%d}.json",
            {
                "teamMemberSpend": spend,
                "subscriptionCycleStart": _seconds(start) * 1000,
                "totalMembers": len(spend),
                "totalPages": 1,
            },
        )
    return len(cycles)


# Copilot ----------------------------------------------------------------------------------------


def copilot_user_id(login: str) -> int:
    """A stable numeric GitHub user id for a generated login."""
    return int(_key("github-user", login.lower())[:12], 16) % 100_000_000


def _copilot(con: duckdb.DuckDBPyConnection, folder: Path, organization: str, days: list[date]) -> int:
    """The organisation's `users-1-day` report of every day, one NDJSON file per day, and its
    `organization-1-day` report."""
    rows = _rows(
        con,
        """
        select usage_date, actor_id, request_kind, model,
            count(*) as generated,
            count(*) filter (where lines_accepted > 0) as accepted,
            sum(coalesce(lines_suggested, 0)) as suggested_lines,
            sum(coalesce(lines_accepted, 0)) as added_lines
        from priced_events where source_tool = 'copilot'
        group by all order by usage_date, actor_id, request_kind, model
        """,
    )
    organization_id = str(int(_key("github-org", organization)[:8], 16) % 10_000_000)
    users: dict[tuple[date, str], list[dict[str, Any]]] = {}
    for row in rows:
        users.setdefault((row["usage_date"], row["actor_id"]), []).append(row)
    lines: dict[date, list[str]] = {}
    for (day, login), parts in users.items():
        features: dict[str, dict[str, int]] = {}
        chat_models: dict[tuple[str, str], dict[str, int]] = {}
        for part in parts:
            kind = part["request_kind"] or "other"
            feature = COPILOT_FEATURES.get(kind, "chat_panel_unknown_mode")
            for target in [features.setdefault(feature, _counters())] + (
                [chat_models.setdefault((part["model"], feature), _counters())] if kind in PROMPTED else []
            ):
                _add(target, part, prompted=kind in PROMPTED)
        total = _counters()
        for counters in features.values():
            for name, value in counters.items():
                total[name] += value
        kinds = {part["request_kind"] for part in parts}
        record = {
            "day": day.isoformat(),
            "organization_id": organization_id,
            "user_id": copilot_user_id(login),
            "user_login": login,
            **total,
            "totals_by_feature": [{"feature": feature, **counters} for feature, counters in features.items()],
            "totals_by_model_feature": [
                {"model": model, "feature": feature, **counters}
                for (model, feature), counters in chat_models.items()
            ],
            "used_agent": "agent" in kinds,
            "used_chat": "chat" in kinds,
            "used_cli": False,
        }
        lines.setdefault(day, []).append(json.dumps(record, separators=(",", ":")))
    for day, day_lines in lines.items():
        path = folder / f"users-1-day-org-{organization_id}-{day}.ndjson"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(day_lines) + "\n", encoding="utf-8")
    if not lines:
        return 0
    return len(lines) + _copilot_organization(con, folder, organization_id, days, lines)


def _copilot_organization(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    organization_id: str,
    days: list[date],
    users: dict[date, list[str]],
) -> int:
    """`organization-1-day` of every day: the day's active users and the organisation's pull requests."""
    pulls: dict[tuple[date, str], int] = {
        (day, measure): count
        for day, measure, count in con.execute(
            """
            select cast(created_at as date), 'total_created', count(*) from raw.pull_requests group by 1
            union all
            select cast(merged_at as date), 'total_merged', count(*) from raw.pull_requests
            where merged_at is not null group by 1
            union all
            select cast(submitted_at as date), 'total_reviewed', count(distinct (repo, pr_number))
            from raw.pr_reviews group by 1
            """
        ).fetchall()
    }
    for day in days:
        record = {
            "day": day.isoformat(),
            "organization_id": organization_id,
            "daily_active_users": len(users.get(day, [])),
            "pull_requests": {
                measure: pulls.get((day, measure), 0)
                for measure in ("total_created", "total_reviewed", "total_merged")
            },
        }
        path = folder / f"organization-1-day-{organization_id}-{day}.ndjson"
        path.write_text(json.dumps(record, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(days)


def _counters() -> dict[str, int]:
    return dict.fromkeys(
        (
            "user_initiated_interaction_count",
            "code_generation_activity_count",
            "code_acceptance_activity_count",
            "loc_suggested_to_add_sum",
            "loc_suggested_to_delete_sum",
            "loc_added_sum",
            "loc_deleted_sum",
        ),
        0,
    )


def _add(counters: dict[str, int], part: dict[str, Any], prompted: bool) -> None:
    counters["user_initiated_interaction_count"] += part["generated"] if prompted else 0
    counters["code_generation_activity_count"] += part["generated"]
    counters["code_acceptance_activity_count"] += part["accepted"]
    counters["loc_suggested_to_add_sum"] += int(part["suggested_lines"])
    counters["loc_added_sum"] += int(part["added_lines"])


# Canonical --------------------------------------------------------------------------------------


def _canonical(con: duckdb.DuckDBPyConnection, folder: Path) -> int:
    """The events of tools no vendor export carries, as a canonical file."""
    kept = f"source_tool not in ({', '.join(repr(tool) for tool in VENDOR_TOOLS)})"
    count = con.execute(f"select count(*) from raw.ai_usage_events where {kept}").fetchone()
    if not count or not count[0]:
        return 0
    columns = ", ".join(TABLES["ai_usage_events"].column_names)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "without-vendor-export.parquet"
    con.execute(
        f"copy (select {columns} from raw.ai_usage_events where {kept} "
        f"order by source_tool, occurred_at, event_id) to '{target}' (format parquet)"
    )
    return 1
