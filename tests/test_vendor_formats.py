"""One generated organisation landed twice, canonically and as vendor exports (`airoi generate
--vendor-formats`), builds the same marts row for row, up to what the vendor formats cannot carry.

What they cannot carry is listed below with the reason, column by column (or a whole mart, or the
rows of one tool). Where a measure still has to agree, the tests say how: the weekly AI tokens of
every engineer and team are the canonical ones less Copilot's, exactly; their cost agrees to a
micro-dollar per request of the week, because a vendor's daily bill is shared over the day's usage
by list price where the canonical landing zone rounds each request's cost.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

AIROI = str(Path(sys.executable).with_name("airoi"))

CAUSE = "PagerDuty does not know the deployment that caused an incident"
NO_END = "a GitHub deployment status always has a time: an attempt without an end gets its start's"
CYCLE = "cycles start at the pull request's creation"
GRAIN = (
    "the vendors report AI usage per user and day (Claude Code, Copilot) or per minute (OpenAI), not per "
    "request: sessions, prompt hashes, request kinds and each request's lines and time are not in them"
)
SIGNALS = "the consumption signals are measured on requests, sessions, prompt hashes and hours, " + GRAIN
COPILOT = "Copilot's reports carry no tokens for the IDE, so its requests count in no token or cost total"
BILL = "a vendor's daily bill is shared over the day's usage by list price, not rounded per request"
TOKENS = f"{COPILOT} (the rest agrees, tested below)"
COSTS = f"{COPILOT}, and {BILL} (the rest agrees, tested below)"

#: Per mart, the columns a vendor format cannot carry, and why; "*" is the whole mart.
NOT_CARRIED: dict[str, dict[str, str]] = {
    "fct_pull_requests": dict.fromkeys(
        [
            "first_commit_at",
            "ready_for_review_at",
            "was_draft",
            "ready_at",
            "cycle_started_at",
            "coding_hours",
            "pickup_hours",
            "cycle_hours",
            "lead_time_hours",
        ],
        "GitHub's pull request has no first commit time nor ready-for-review time (commits, timeline)",
    ),
    "fct_engineer_weekly": {
        "median_pr_cycle_hours": CYCLE,
        "ai_total_tokens": TOKENS,
        "tokens_per_merged_pr": TOKENS,
        "ai_cost_usd": COSTS,
        "cost_per_merged_pr": COSTS,
        "ai_cost_share_of_loaded_cost": COSTS,
        "adoption_cohort": f"a week's cohort follows its tokens: {COPILOT}",
        "adoption_week_start": f"adoption counts no week the consumption flags hold inflated: {SIGNALS}",
        "is_post_adoption": f"adoption counts no week the consumption flags hold inflated: {SIGNALS}",
    },
    "fct_team_weekly": {
        "median_pr_cycle_hours": CYCLE,
        "median_lead_time_hours": "lead times start at the pull request's creation",
        "change_failure_rate": CAUSE,
        "failed_deployments": CAUSE,
        "ai_total_tokens": TOKENS,
        "tokens_per_merged_pr": TOKENS,
        "ai_cost_usd": COSTS,
        "cost_per_merged_pr": COSTS,
        "ai_user_engineers": f"an engineer who used only Copilot in a week used no AI: {COPILOT}",
    },
    "fct_deployments": {
        "caused_incident": CAUSE,
        "caused_incident_count": CAUSE,
        "is_change_failure": CAUSE,
        "finished_at": NO_END,
        "duration_hours": NO_END,
    },
    "fct_incidents": {
        "caused_by_deployment_id": CAUSE,
        "repo": CAUSE,
    },
    "fct_ai_usage_events": {"*": f"one row per request: {GRAIN}"},
    "fct_ai_sessions": {"*": f"one row per session: {GRAIN}"},
    "fct_ai_usage_daily": {
        "events": GRAIN,
        "sessions": GRAIN,
        "lines_suggested": GRAIN,
        "lines_accepted": GRAIN,
        "acceptance_rate": GRAIN,
        "cost_usd": f"{BILL} (it agrees to a micro-dollar per request, tested below)",
    },
    "fct_consumption_flags": {"*": SIGNALS},
    "fct_adjusted_demand_weekly": {"*": f"demand less what the consumption flags hold inflated: {SIGNALS}"},
    "fct_ai_usage_reconciliation": {
        "*": "the canonical landing zone holds no two vendor sources of one usage to compare (tested below)"
    },
    "mart_unmatched_accounts": {
        "usage_events": COPILOT,
        "total_tokens": COPILOT,
        "cost_usd": COPILOT,
        "first_seen_at": "Copilot's reports see an account per day, not per request",
        "last_seen_at": "Copilot's reports see an account per day, not per request",
    },
}

#: Rows only one landing zone can give: per mart, the build that has them, which rows, and why.
ROWS_NOT_CARRIED: dict[str, tuple[str, str, str]] = {
    "fct_ai_usage_daily": ("canonical", "source_tool = 'copilot'", COPILOT),
    "mart_unmatched_accounts": (
        "vendor",
        "account_id like 'anthropic-org:%'",
        "Anthropic's usage report is the organisation's: what Claude Code's per-user records leave of it "
        "(nothing here) is the organisation's own account",
    ),
}

#: Tools written as vendor exports; the internal agent has none and stays canonical.
VENDOR_TOOLS = {"claude_code", "cursor", "openai_api", "copilot"}


def airoi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AIROI, *args], capture_output=True, text=True, check=False, timeout=1800)


@pytest.fixture(scope="module")
def landings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("vendor_formats")
    canonical, vendor = root / "canonical", root / "vendor"
    generated = airoi("generate", "--out", str(canonical), "--engineers", "12", "--weeks", "3", "--seed", "5",
                      "--no-progress", "--vendor-formats", str(vendor))  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    return canonical, vendor


@pytest.fixture(scope="module")
def con(landings: tuple[Path, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    """Both warehouses attached to one connection, as `canonical` and `vendor`."""
    connection = duckdb.connect()
    for landing in landings:
        warehouse = landing.with_suffix(".duckdb")
        built = airoi("build", "--landing", str(landing), "--warehouse", str(warehouse))
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        connection.execute(f"attach '{warehouse}' as {landing.name} (read_only)")
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = con.execute(sql)
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


@pytest.mark.slow
def test_each_tool_lands_in_its_own_vendors_export(landings: tuple[Path, Path]) -> None:
    vendor = landings[1]
    folders = {path.name for path in vendor.iterdir()}
    exports = {"github", "pagerduty_incidents", "claude_code_analytics", "anthropic_usage_report",
               "openai_usage_completions", "cursor_daily_usage", "copilot_user_metrics"}  # fmt: skip
    # Every converted table is vendor exports only; people and the other tables stay canonical.
    assert exports | {"people", "identities"} <= folders
    assert not {"pull_requests", "pr_reviews", "commits", "deployments", "incidents"} & folders
    # A tool without a vendor export, the internal agent, stays a canonical file, alone in it.
    (canonical_file,) = (vendor / "ai_usage_events").rglob("*.parquet")
    with duckdb.connect() as scratch:
        tools = scratch.execute(f"select distinct source_tool from '{canonical_file}'").fetchall()
    assert tools == [("internal_agent",)]
    # Claude Code's records name the organisation's API (Console) account, per user and day.
    (day, *_) = sorted((vendor / "claude_code_analytics").glob("*.json"))
    record = json.loads(day.read_text())["data"][0]
    assert record["customer_type"] == "api" and record["actor"]["type"] == "user_actor"
    # Commits are GitHub's single-commit responses, filed under their pull request.
    commit = next((vendor / "github" / "commits").rglob("pull=*/*.json"))
    assert "stats" in json.loads(commit.read_text())


@pytest.mark.slow
def test_the_vendor_format_landing_builds_the_same_marts_row_for_row(con: duckdb.DuckDBPyConnection) -> None:
    marts = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'canonical' and table_schema = 'marts' order by 1"
        ).fetchall()
    ]
    assert set(NOT_CARRIED) <= set(marts)
    differing = {}
    for mart in marts:
        not_carried = NOT_CARRIED.get(mart, {})
        if "*" in not_carried:
            continue
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from information_schema.columns "
                "where table_catalog = 'canonical' and table_schema = 'marts' and table_name = ? "
                "order by ordinal_position",
                [mart],
            ).fetchall()
            # Lineage of the run (load ids, dbt invocation) differs by construction.
            if not name.startswith("_") and name not in not_carried
        ]
        select = ", ".join(f'"{name}"' for name in columns)
        where = {"canonical": "true", "vendor": "true"}
        if mart in ROWS_NOT_CARRIED:
            build, condition, _ = ROWS_NOT_CARRIED[mart]
            where[build] = f"not ({condition})"
        canonical = f"select {select} from canonical.marts.{mart} where {where['canonical']}"
        vendor = f"select {select} from vendor.marts.{mart} where {where['vendor']}"
        counts = con.execute(
            f"select (select count(*) from ({canonical})), (select count(*) from ({vendor}))"
        )
        count_pair = counts.fetchone()
        missing = con.execute(f"select count(*) from ({canonical} except all {vendor})").fetchone()[0]
        extra = con.execute(f"select count(*) from ({vendor} except all {canonical})").fetchone()[0]
        if count_pair[0] != count_pair[1] or missing or extra:
            differing[mart] = (count_pair, missing, extra)
        # The rows one landing zone cannot give are there in the other.
        if mart in ROWS_NOT_CARRIED:
            build, condition, _ = ROWS_NOT_CARRIED[mart]
            assert con.execute(f"select count(*) from {build}.marts.{mart} where {condition}").fetchone()[0]
    delivered = con.execute("select count(*) from vendor.marts.fct_pull_requests").fetchone()[0]
    ai_assisted = con.execute("select sum(ai_assisted_commit_count) from vendor.marts.fct_pull_requests")

    assert differing == {}
    assert delivered > 0 and ai_assisted.fetchone()[0] > 0


def week_bounds(con: duckdb.DuckDBPyConnection) -> dict[Any, Decimal]:
    """A micro-dollar per request of the organisation's week: how far a shared daily bill may be from
    the requests' own rounded costs."""
    counted = con.execute(
        "select week_start, count(*) from canonical.marts.fct_ai_usage_events group by week_start"
    ).fetchall()
    return {week: Decimal(requests) / 1_000_000 for week, requests in counted}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("mart", "key", "tokens", "cost"),
    [
        ("fct_engineer_weekly", "employee_id", "ai_total_tokens", "ai_cost_usd"),
        ("fct_team_weekly", "team_id", "ai_total_tokens", "ai_cost_usd"),
        ("fct_adjusted_demand_weekly", "team_id", "total_tokens", "cost_usd"),
    ],
)
def test_weekly_ai_tokens_and_cost_agree_but_for_copilot(
    con: duckdb.DuckDBPyConnection, mart: str, key: str, tokens: str, cost: str
) -> None:
    compared = rows(
        con,
        f"""
        with copilot as (
            select {key}, week_start, sum(total_tokens) as tokens, sum(cost_usd) as cost_usd
            from canonical.marts.fct_ai_usage_daily where source_tool = 'copilot'
            group by all
        )
        select
            {key}, week_start,
            coalesce(canonical.{tokens}, 0) - coalesce(copilot.tokens, 0) as expected_tokens,
            coalesce(canonical.{cost}, 0) - coalesce(copilot.cost_usd, 0) as expected_cost,
            coalesce(vendor.{tokens}, 0) as tokens, coalesce(vendor.{cost}, 0) as cost
        from canonical.marts.{mart} as canonical
        left join copilot using ({key}, week_start)
        full outer join vendor.marts.{mart} as vendor using ({key}, week_start)
        order by 1, 2
        """,
    )
    bounds = week_bounds(con)
    # The same tokens, exactly, in every week of every row either build has; the same cost, to a
    # micro-dollar per request of the week.
    assert [(row[key], row["week_start"], row["tokens"]) for row in compared] == [
        (row[key], row["week_start"], row["expected_tokens"]) for row in compared
    ]
    far = [
        row for row in compared if abs(row["cost"] - row["expected_cost"]) > bounds.get(row["week_start"], 0)
    ]
    assert far == []
    assert sum(row["tokens"] for row in compared) > 0 and sum(row["cost"] for row in compared) > 0


@pytest.mark.slow
def test_daily_usage_costs_agree_to_a_micro_dollar_per_request(con: duckdb.DuckDBPyConnection) -> None:
    compared = rows(
        con,
        """
        select canonical.week_start, canonical.source_tool, canonical.cost_usd as expected, vendor.cost_usd
        from canonical.marts.fct_ai_usage_daily as canonical
        inner join vendor.marts.fct_ai_usage_daily as vendor
            using (employee_id, team_id, source_tool, model, usage_date)
        """,
    )
    bounds = week_bounds(con)
    assert {row["source_tool"] for row in compared} == {
        "claude_code",
        "cursor",
        "openai_api",
        "internal_agent",
    }
    assert [
        row for row in compared if abs(row["cost_usd"] - row["expected"]) > bounds[row["week_start"]]
    ] == []
    # The internal agent's events are the canonical ones: their cost is the same to the last digit.
    assert [
        row
        for row in compared
        if row["source_tool"] == "internal_agent" and row["cost_usd"] != row["expected"]
    ] == []


@pytest.mark.slow
def test_the_vendor_build_reconciles_each_usage_with_itself(con: duckdb.DuckDBPyConnection) -> None:
    comparisons = rows(
        con,
        "select comparison, count(*) as days, sum(total_a) as total_a, sum(total_b) as total_b, "
        "max(abs(difference)) as largest, sum(counted_total) as counted "
        "from vendor.marts.fct_ai_usage_reconciliation group by comparison",
    )
    found = {row["comparison"]: row for row in comparisons}
    claude_code = rows(
        con,
        "select sum(total_tokens) as tokens, sum(cost_usd) as cost_usd "
        "from canonical.marts.fct_ai_usage_events where source_tool = 'claude_code'",
    )[0]
    # Claude Code's per-user tokens are the usage report's, day by day; counted once.
    tokens = found["claude_code_vs_usage_report"]
    assert (tokens["largest"], tokens["total_a"], tokens["counted"]) == (
        0,
        claude_code["tokens"],
        tokens["total_b"],
    )
    # The cost report bills exactly the canonical costs (cents as a decimal string), counted once.
    bill = found["claude_code_estimate_vs_cost_report"]
    assert bill["total_b"] == claude_code["cost_usd"]
    assert abs(bill["counted"] - bill["total_b"]) < Decimal("0.0001")
    # Cursor's spend of the cycle is its events' charges, to a micro-dollar per request; counted once.
    spend = found["cursor_events_vs_spend"]
    cursor_requests = con.execute(
        "select count(*) from canonical.marts.fct_ai_usage_events where source_tool = 'cursor'"
    ).fetchone()[0]
    assert abs(spend["total_a"] - spend["total_b"]) <= Decimal(cursor_requests) / 1_000_000
    assert spend["counted"] == spend["total_a"] > 0
    # Copilot's day totals of pull requests are GitHub's, day by day, and GitHub's are counted.
    for name in ("copilot_pull_requests_created_vs_github", "copilot_pull_requests_merged_vs_github"):
        assert found[name]["largest"] == 0 and found[name]["counted"] == found[name]["total_a"] > 0
    # OpenAI's usage at the organisation's prices is its costs, to a micro-dollar per request.
    openai = found["openai_usage_at_list_vs_costs"]
    assert openai["largest"] < Decimal("0.0001") and abs(openai["counted"] - openai["total_b"]) < Decimal(
        "0.0001"
    )
