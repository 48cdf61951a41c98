"""The vendor loaders against recorded exports (tests/fixtures/vendors/, written from the vendors'
documented formats), each landed in its own folder and ingested with the real ingest.

Every expected figure can be checked by hand against the fixture files: for example Dana's Claude
Code estimate is `"amount": 514` US cents, so $5.14.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from orchestration.defs.ingest import build_landing_assets
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.sensors import landed_files, table_of
from orchestration.landing import LandingError, ingest
from orchestration.landing.ingest import ALL_TABLES
from orchestration.landing.vendors import ExportError
from orchestration.landing.vendors.git import capture as capture_git_log

FIXTURES = Path(__file__).parent / "fixtures" / "vendors"
ORG = "4f7c2a10-9b1e-4d3a-8c55-0e2f6a9d1b33"


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def land(landing: Path, folder: str, minute: int = 0) -> None:
    shutil.copytree(FIXTURES / folder, landing / folder, dirs_exist_ok=True)
    stamp(landing / folder, minute)


def stamp(path: Path, minute: int) -> None:
    """Give files a known modification time: later files land after earlier ones."""
    seconds = 1_773_100_800 + 60 * minute
    for file in [path] if path.is_file() else path.rglob("*"):
        os.utime(file, (seconds, seconds))


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = con.execute(sql)
    names = [column[0] for column in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def usage(con: duckdb.DuckDBPyConnection, where: str) -> list[dict[str, Any]]:
    order = "_source_file, _source_row, record_kind, model"
    return rows(con, f"select * from raw.vendor_ai_usage where {where} order by {order}")


def quarantined(con: duckdb.DuckDBPyConnection, folder: str) -> list[tuple[str, int, str, str]]:
    return con.execute(
        "select source_file, source_row, reason_code, reason from raw._quarantine "
        "where source_file like ? order by source_file, source_row",
        [f"{folder}/%"],
    ).fetchall()


def test_claude_code_pages_give_activity_and_token_rows_in_dollars(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "claude_code_analytics")

    report = ingest(con, landing)

    assert report.unknown_folders == {}
    # Both pages of the paginated response are read: 4 records on page 1 and 2 give rows, 2 do not.
    assert report.tables["vendor_ai_usage"].files_read == 2
    dana = usage(con, "actor_id = 'dana@example.com'")
    assert [row["record_kind"] for row in dana] == ["activity", "tokens"]
    activity, tokens = dana
    # 18 + 3 accepted and 2 + 0 rejected tool proposals; lines as reported.
    assert (activity["sessions"], activity["lines_added"], activity["lines_removed"]) == (4, 212, 57)
    assert (activity["suggestions_shown"], activity["suggestions_accepted"]) == (23, 21)
    assert activity["cost_kind"] == "none" and activity["grain"] == "user_day"
    # 514 cents, an estimate; the e-mail lower-cased; the RFC 3339 date as the day's start.
    assert tokens["cost_usd"] == Decimal("5.14") and tokens["cost_kind"] == "estimated"
    assert (tokens["input_tokens"], tokens["cached_input_tokens"], tokens["cache_write_tokens"]) == (
        8120,
        412000,
        38100,
    )
    assert str(tokens["occurred_at"]) == "2026-03-09 00:00:00"
    assert tokens["source"] == "anthropic.claude_code" and tokens["organization_id"] == ORG
    # A plain `YYYY-MM-DD` date, an API actor by key name, 12.5 cents, an unknown extra field.
    bot = usage(con, "actor_id = 'ci-review-bot' and record_kind = 'tokens'")[0]
    assert bot["cost_usd"] == Decimal("0.125") and bot["actor_kind"] == "api_key_name"
    assert str(bot["occurred_at"]) == "2026-03-09 00:00:00"
    # A null cache count stays null (not 0) in raw; a subscription user is kept as such.
    lee = usage(con, "actor_id = 'lee@example.com' and record_kind = 'tokens'")[0]
    assert lee["cache_write_tokens"] is None and lee["customer_type"] == "subscription"


def test_bad_records_are_quarantined_with_file_record_and_reason(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "claude_code_analytics")

    report = ingest(con, landing)

    assert quarantined(con, "claude_code_analytics") == [
        ("claude_code_analytics/page-2.json", 2, "malformed_row", "data[1] is not a JSON object"),
        (
            "claude_code_analytics/page-2.json",
            3,
            "missing_field",
            "data[2]: required field 'actor.email_address' is missing",
        ),
        ("claude_code_analytics/page-2.json", 4, "negative_value", "input_tokens is negative (-5)"),
    ]
    # The record itself is kept with the reason, as the vendor wrote it.
    content = con.execute("select row_content from raw._quarantine where source_row = 2").fetchone()[0]
    assert content == '"not a record"'
    vendor = report.tables["vendor_ai_usage"]
    assert (vendor.rows_read, vendor.rows_loaded, vendor.rows_quarantined) == (10, 7, 3)


def test_a_replayed_or_refetched_page_changes_nothing_and_a_correction_replaces_its_rows(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "claude_code_analytics")
    ingest(con, landing)
    before = con.execute("select count(*), sum(output_tokens) from raw.vendor_ai_usage").fetchone()

    # The same bytes under another name, and the same records fetched again with another cursor.
    folder = landing / "claude_code_analytics"
    shutil.copyfile(folder / "page-1.json", folder / "replay.json")
    page = json.loads((folder / "page-1.json").read_text())
    page["next_page"] = "page_refetched"
    (folder / "refetch.json").write_text(json.dumps(page))
    stamp(folder, 5)
    second = ingest(con, landing).tables["vendor_ai_usage"]

    assert second.files_already_seen == 1
    assert (second.rows_read, second.rows_loaded, second.rows_deduplicated) == (4, 0, 4)
    assert con.execute("select count(*), sum(output_tokens) from raw.vendor_ai_usage").fetchone() == before

    # Anthropic restates Dana's day: the later page wins, and a late day for her is added.
    page["data"][0]["model_breakdown"][0]["tokens"]["output"] = 16000
    late = json.loads(json.dumps(page["data"][0]))
    late["date"] = "2026-03-02T00:00:00Z"
    page["data"].append(late)
    (folder / "restated.json").write_text(json.dumps(page))
    stamp(folder / "restated.json", 10)
    ingest(con, landing)

    dana = usage(con, "actor_id = 'dana@example.com' and record_kind = 'tokens'")
    assert sorted((str(row["occurred_at"])[:10], row["output_tokens"]) for row in dana) == [
        ("2026-03-02", 16000),
        ("2026-03-09", 16000),
    ]


def test_a_file_that_is_not_the_export_stops_the_run_and_names_it(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "claude_code_analytics")
    (landing / "claude_code_analytics" / "members.json").write_text('{"items": []}')
    (landing / "cursor_daily_usage").mkdir()
    (landing / "cursor_daily_usage" / "broken.json").write_text('{"usageEvents": [')

    with pytest.raises(LandingError) as failure:
        ingest(con, landing)

    assert (
        failure.value.problems[0] == "claude_code_analytics/members.json: the page has no list field 'data'"
    )
    assert failure.value.problems[1].startswith("cursor_daily_usage/broken.json: not a JSON document")
    assert con.execute("select count(*) from raw.vendor_ai_usage").fetchone() == (0,)


def test_anthropic_usage_sums_disjoint_cache_buckets_and_cost_is_cents_as_a_decimal_string(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "anthropic_usage_report")

    ingest(con, landing)

    sonnet = usage(con, "source = 'anthropic.usage_report' and occurred_at = '2026-03-09'")[0]
    # Cache writes are the 5-minute and the 1-hour ones; the organisation comes from the folder.
    assert (sonnet["input_tokens"], sonnet["cached_input_tokens"], sonnet["cache_write_tokens"]) == (
        91234,
        2840000,
        188000,
    )
    assert sonnet["organization_id"] == ORG and sonnet["actor_id"] == "apikey_01HZX3Q7RM2K"
    assert sonnet["cost_usd"] is None and sonnet["cost_kind"] == "list" and sonnet["grain"] == "day"
    costs = usage(con, "source = 'anthropic.cost_report'")
    # "2737.5" cents is $27.375; "150" is $1.50; code execution is a cost line without a model.
    assert [row["cost_usd"] for row in costs] == [Decimal("27.375"), Decimal("1.5"), Decimal("0.1225")]
    assert {row["cost_kind"] for row in costs} == {"billed"}
    assert costs[2]["line_item"] == "Code Execution Usage" and costs[2]["input_tokens"] is None
    # Nulls where the vendor sent nulls; an empty bucket gives no row; a word is not a number.
    late = usage(con, "source = 'anthropic.usage_report' and occurred_at = '2026-03-10'")[0]
    assert (late["cached_input_tokens"], late["cache_write_tokens"]) == (None, 0)
    assert quarantined(con, "anthropic_usage_report") == [
        (
            f"anthropic_usage_report/org={ORG}/messages-page-2.json",
            2,
            "bad_integer",
            "data[0].results[1]: uncached_input_tokens 'many' is not a whole number",
        )
    ]


def test_openai_input_includes_cached_tokens_and_costs_are_dollars(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "openai_usage_completions")

    ingest(con, landing)

    gpt5 = usage(con, "source = 'openai.usage.completions' and actor_id = 'key_7QmZk2aP9sLw'")
    first = gpt5[0]
    # input_tokens 1,840,000 include the 1,510,000 cached: 330,000 are uncached.
    assert (first["input_tokens"], first["cached_input_tokens"], first["requests"]) == (330000, 1510000, 388)
    assert str(first["occurred_at"]) == "2026-03-09 00:00:00"
    # The newer schema states the uncached and cache-write tokens itself.
    mini = usage(con, "actor_id = 'user-ana'")[0]
    assert (mini["input_tokens"], mini["cached_input_tokens"], mini["cache_write_tokens"]) == (
        5000,
        4000,
        1000,
    )
    assert mini["actor_kind"] == "user_id"
    costs = usage(con, "source = 'openai.costs'")
    assert [row["cost_usd"] for row in costs] == [Decimal("3.4172"), Decimal("0.423")]
    assert costs[0]["model"] == "gpt-5-2025-08-07" and costs[0]["line_item"] == "gpt-5-2025-08-07, input"
    # More cached than input tokens means the report counted them apart: caught, not mis-counted.
    assert [(row[2], row[3]) for row in quarantined(con, "openai_usage_completions")] == [
        ("unknown_value", "data[0].results[2]: amount in eur, not usd"),
        (
            "inconsistent_tokens",
            "data[0].results[0]: input_cached_tokens 250 (+ cache writes 0) exceed input_tokens 100, "
            "which include them",
        ),
    ]


def test_cursor_events_keep_identical_requests_and_byok_costs_nothing(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "cursor_daily_usage")

    ingest(con, landing)

    events = usage(con, "source = 'cursor.events'")
    # Two byte-identical events of the same millisecond are two requests.
    assert [row["charge_status"] for row in events] == ["charged", "charged", "byok", "not_charged"]
    assert events[0]["event_id"] != events[1]["event_id"]
    # chargedCents 12.41 is $0.1241, billed; the BYOK request is billed by the model's vendor.
    assert [row["cost_usd"] for row in events] == [Decimal("0.1241"), Decimal("0.1241"), 0, 0]
    assert (events[0]["input_tokens"], events[0]["cached_input_tokens"], events[0]["cache_write_tokens"]) == (
        2204,
        88210,
        15400,
    )
    assert str(events[0]["occurred_at"]) == "2026-03-09 10:40:01.442000"
    assert events[0]["actor_id"] == "dkim@example.com" and events[0]["grain"] == "request"
    daily = usage(con, "source = 'cursor.daily'")
    # 0 composer + 9 chat + 22 agent + 6 cmd-K requests; a null counter is none.
    assert [(row["actor_id"], row["requests"], row["lines_accepted"]) for row in daily] == [
        ("dkim@example.com", 37, 395),
        ("ana@example.com", 0, 0),
    ]
    assert {row["record_kind"] for row in daily} == {"activity"}
    assert [(row[2], row[3]) for row in quarantined(con, "cursor_daily_usage") if "events" in row[0]] == [
        ("bad_timestamp", "usageEvents[1]: timestamp 'yesterday' is not a Unix time")
    ]


def test_copilot_reads_one_breakdown_and_the_cli_tokens(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "copilot_user_metrics")

    ingest(con, landing)

    dkim = usage(con, "actor_id = 'dkim' and source = 'copilot.users_1_day'")
    # Landed in the organisation's and the enterprise's report: both kept in raw, counted once later.
    assert sorted(row["organization_id"] for row in dkim) == ["ent:3301", "org:8812"]
    # Lines accepted are the code completion feature's 52, not 52 + 301 agent lines across breakdowns.
    assert {(row["lines_suggested"], row["lines_accepted"], row["lines_added"]) for row in dkim} == {
        (143, 52, 388)
    }
    cli = usage(con, "actor_id = 'ana' and record_kind = 'tokens'")[0]
    assert (cli["model"], cli["input_tokens"], cli["output_tokens"], cli["requests"]) == (
        "copilot-cli",
        12000,
        800,
        9,
    )
    assert cli["cost_kind"] == "seat" and cli["cost_usd"] == 0
    assert [
        (row[1], row[2]) for row in quarantined(con, "copilot_user_metrics") if "/users-1-day" in row[0]
    ] == [
        (3, "malformed_row"),
        (4, "missing_field"),
    ]


def test_cursor_spend_is_a_total_per_member_and_cycle_in_dollars(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "cursor_daily_usage")

    report = ingest(con, landing)

    # Both pages of the member list are read; each member's spend of the cycle is one total.
    spend = usage(con, "source = 'cursor.spend'")
    assert [(row["actor_id"], row["line_item"], row["cost_usd"]) for row in spend] == [
        # 24.82 cents is $0.2482 (the limits, in dollars, are not loaded).
        ("dkim@example.com", "overallSpendCents", Decimal("0.2482")),
        ("ana@example.com", "overallSpendCents", Decimal("0")),
        # A member without the overall figure (and with an extra field) has the on-demand one.
        ("lee@example.com", "spendCents", Decimal("1.5")),
        # Nulls where Cursor sent nulls.
        ("bo@example.com", None, None),
    ]
    assert {
        (row["record_kind"], row["grain"], row["cost_kind"], str(row["occurred_at"])) for row in spend
    } == {("total", "cycle", "billed", "2026-03-01 00:00:00")}
    assert [
        (row[1], row[2], row[3]) for row in quarantined(con, "cursor_daily_usage") if "spend" in row[0]
    ] == [
        (3, "malformed_row", "teamMemberSpend[2] is not a JSON object"),
        (4, "missing_field", "teamMemberSpend[3]: required field 'email' is missing"),
    ]
    assert report.tables["vendor_ai_usage"].rows_quarantined == 3

    # The same page saved again changes nothing; fetched again later in the cycle, it restates Dana.
    folder = landing / "cursor_daily_usage"
    shutil.copyfile(folder / "spend-page-1.json", folder / "spend-replay.json")
    page = json.loads((folder / "spend-page-1.json").read_text())
    page["teamMemberSpend"][0]["overallSpendCents"] = 37.23
    (folder / "spend-refetched.json").write_text(json.dumps(page))
    del page["subscriptionCycleStart"]
    (folder / "spend-without-cycle.json").write_text(json.dumps(page))
    stamp(folder, 5)
    second = ingest(con, landing).tables["vendor_ai_usage"]

    assert second.files_already_seen >= 1
    dana = usage(con, "source = 'cursor.spend' and actor_id = 'dkim@example.com'")
    assert [row["cost_usd"] for row in dana] == [Decimal("0.3723")]
    assert ("spend-without-cycle.json", "teamMemberSpend[0]: the page has no subscriptionCycleStart") in {
        (row[0].rsplit("/", 1)[-1], row[3]) for row in quarantined(con, "cursor_daily_usage")
    }


def test_copilot_teams_and_day_totals_are_kept_apart_from_the_users_activity(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "copilot_user_metrics")

    ingest(con, landing)

    teams = usage(con, "source = 'copilot.user_teams_1_day'")
    # One row per user and team of the day; a team without a slug is named by its id.
    assert sorted((row["actor_id"], row["line_item"]) for row in teams) == [
        ("ana", "platform"),
        ("bo", "903"),
        ("dkim", "exporter"),
        ("dkim", "platform"),
    ]
    assert {(row["record_kind"], row["organization_id"], row["grain"]) for row in teams} == {
        ("membership", "org:8812", "user_day")
    }
    totals = usage(con, "record_kind = 'total' and source like 'copilot.%'")
    figures = {
        (row["source"], str(row["occurred_at"])[:10], row["line_item"]): row["measure_value"]
        for row in totals
    }
    # The organisation's day and the enterprise's 28-day report, one day total at a time; a null
    # figure gives no row, nor does a median (not a count).
    assert figures[("copilot.organization_1_day", "2026-03-09", "pull_requests.total_created")] == 4
    assert figures[("copilot.organization_1_day", "2026-03-09", "pull_requests.total_merged")] == 2
    assert figures[("copilot.enterprise_1_day", "2026-03-08", "pull_requests.total_created")] == 2
    assert ("copilot.enterprise_1_day", "2026-03-09", "pull_requests.total_reviewed") not in figures
    assert len(figures) == 12
    assert {row["organization_id"] for row in totals} == {"org:8812", "ent:3301"}
    assert [(row[0].rsplit("/", 1)[-1], row[1], row[3]) for row in quarantined(con, "copilot_user_metrics")
            if "/users-1-day" not in row[0]] == [
        ("enterprise-28-day-3301.ndjson", 2, "line 2: day_totals is not a list"),
        ("enterprise-28-day-3301.ndjson", 3,
         "line 3: day_totals[0].pull_requests.total_merged 'two' is not a whole number"),
        ("user-teams-1-day-org-8812-2026-03-09.ndjson", 5, "line 5: required field 'user_login' is missing"),
    ]  # fmt: skip

    # Downloaded again, the organisation's report changes nothing; corrected, it restates its day.
    folder = landing / "copilot_user_metrics"
    original = folder / "organization-1-day-8812-2026-03-09.ndjson"
    shutil.copyfile(original, folder / "organization-1-day-again.ndjson")
    corrected = original.read_text().replace('"total_merged":2', '"total_merged":3')
    (folder / "organization-1-day-corrected.ndjson").write_text(corrected)
    stamp(folder, 5)
    ingest(con, landing)

    merged = usage(con, "source = 'copilot.organization_1_day' and line_item = 'pull_requests.total_merged'")
    assert [row["measure_value"] for row in merged] == [3]


def test_vendor_folders_are_known_and_other_folders_are_reported(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    for folder in ("claude_code_analytics", "anthropic_usage_report", "openai_usage_completions"):
        land(landing, folder)
    (landing / "jira_exports").mkdir()
    (landing / "jira_exports" / "issues.json").write_text("[]")

    report = ingest(con, landing)

    assert report.unknown_folders == {"jira_exports": 1}


def test_github_pages_map_into_the_canonical_tables(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    land(landing, "github")
    # The single-pull-request response (with additions) lands after the list page, and so does the
    # single-commit response of the pull request's commit (with its stats).
    stamp(landing / "github" / "pulls" / "pull-412.json", 5)
    stamp(landing / "github" / "commits" / "pull=412", 5)

    report = ingest(con, landing)

    assert report.unknown_folders == {}
    pulls = rows(con, "select * from raw.pull_requests order by pr_number")
    assert [(row["repo"], row["pr_number"], row["author_login"]) for row in pulls] == [
        ("acme/exporter", 412, "dkim"),
        ("acme/exporter", 413, "ghost"),
    ]
    merged, draft = pulls
    assert (merged["additions"], merged["deletions"], merged["changed_files"]) == (48, 6, 2)
    assert merged["labels"] == "ai-assisted,backend" and str(merged["merged_at"]) == "2026-03-09 10:40:04"
    # Before a merge, merge_commit_sha is a test merge: not kept.
    assert draft["merged_at"] is None and draft["merge_commit_sha"] is None
    reviews = rows(con, "select * from raw.pr_reviews")
    # The PENDING review is no submitted review; the one without submitted_at is quarantined.
    assert [(row["review_id"], row["reviewer_login"], row["state"]) for row in reviews] == [
        ("80", "ana", "APPROVED")
    ]
    assert [(row[2], row[3]) for row in quarantined(con, "github")] == [
        ("missing_field", "[2]: required field 'submitted_at' is missing")
    ]
    (commit,) = rows(con, "select * from raw.commits")
    # The commit of the list page (author null: the e-mail is linked to no account) is restated by the
    # single-commit response saved under its pull request's folder: one row, with its stats and PR.
    assert (commit["repo"], commit["author_email"], commit["author_login"]) == (
        "acme/exporter",
        "dkim@example.com",
        "dkim",
    )
    assert (commit["additions"], commit["deletions"], commit["pr_number"]) == (48, 6, 412)
    # 11:02:33 at +01:00 is 10:02:33 UTC; the trailer stays in the message.
    assert str(commit["authored_at"]) == "2026-03-09 10:02:33"
    assert commit["message"].endswith("Co-authored-by: Claude <noreply@anthropic.com>")


def test_github_commits_belong_to_the_pull_request_their_folder_names(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    page = json.loads((FIXTURES / "github" / "commits" / "page-1.json").read_text())
    folder = landing / "github" / "commits" / "acme" / "exporter"
    # A page of `GET /repos/acme/exporter/pulls/7/commits`, its commit with no stats (list items have
    # none) and an extra field; and a folder whose name is no pull request number.
    listed = {**page[0], "sha": "a" * 40, "url": page[0]["url"].replace(page[0]["sha"], "a" * 40), "x": 1}
    (folder / "pull=7").mkdir(parents=True)
    (folder / "pull=7" / "page-1.json").write_text(json.dumps([listed]))
    (folder / "pull=seven").mkdir()
    (folder / "pull=seven" / "page-1.json").write_text(json.dumps(page))

    ingest(con, landing)

    assert rows(con, "select sha, pr_number, additions from raw.commits") == [
        {"sha": "a" * 40, "pr_number": 7, "additions": None}
    ]
    assert quarantined(con, "github") == [
        (
            "github/commits/acme/exporter/pull=seven/page-1.json",
            1,
            "bad_integer",
            "[0]: folder pull=seven names no pull request number",
        )
    ]


def test_an_unknown_github_folder_is_reported(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    land(landing, "github")
    (landing / "github" / "issues").mkdir()
    (landing / "github" / "issues" / "page-1.json").write_text("[]")

    report = ingest(con, landing)

    assert report.unknown_folders == {"github/issues": 1}


def git(repository: Path, *args: str, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        ["git", "-C", str(repository), *args], capture_output=True, text=True, check=True, env=env
    )
    return completed.stdout.strip()


def commit(repository: Path, path: str, text: str, message: str, when: str) -> str:
    (repository / path).write_text(text)
    git(repository, "add", path)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Dana Kim",
        "GIT_AUTHOR_EMAIL": "Dana@Example.com",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "Dana Kim",
        "GIT_COMMITTER_EMAIL": "dana@example.com",
        "GIT_COMMITTER_DATE": when,
    }
    git(repository, "commit", "-q", "-m", message, env=env)
    return git(repository, "rev-parse", "HEAD")


def test_a_local_git_repository_is_read_with_git_and_its_trailers_kept(
    con: duckdb.DuckDBPyConnection, landing: Path, tmp_path: Path
) -> None:
    repository = tmp_path / "exporter"
    repository.mkdir()
    git(repository, "init", "-q", "-b", "main")
    git(repository, "remote", "add", "origin", "git@github.com:acme/exporter.git")
    first = commit(repository, "a.py", "1\n2\n3\n", "Start", "2026-03-02T09:00:00+01:00")
    second = commit(
        repository,
        "a.py",
        "1\n3\n4\n5\n",
        'Add retry to exporter (#412)\n\nWith | pipes, "quotes" and a tab\there.\n\n'
        "Co-authored-by: Claude <noreply@anthropic.com>",
        "2026-03-09T11:02:33+01:00",
    )

    saved = capture_git_log(repository, landing)
    ingest(con, landing)

    assert saved == landing / "git_log" / "acme" / "exporter.gitlog"
    commits = {row["sha"]: row for row in rows(con, "select * from raw.commits")}
    assert set(commits) == {first, second}
    latest = commits[second]
    assert (latest["repo"], latest["author_email"], latest["pr_number"]) == (
        "acme/exporter",
        "dana@example.com",
        412,
    )
    # One line removed (2), two added (4, 5).
    assert (latest["additions"], latest["deletions"]) == (2, 1)
    assert str(latest["authored_at"]) == "2026-03-09 10:02:33"
    assert latest["message"].endswith("Co-authored-by: Claude <noreply@anthropic.com>")
    assert '"quotes" and a tab\there' in latest["message"]

    # Nothing new in the repository: nothing new to read. A new commit: only the log is read again.
    capture_git_log(repository, landing)
    assert ingest(con, landing).tables["commits"].files_read == 0
    commit(repository, "b.py", "x\n", "Later", "2026-03-10T09:00:00Z")
    capture_git_log(repository, landing)
    again = ingest(con, landing).tables["commits"]
    assert (again.files_read, again.rows_loaded, again.rows_deduplicated) == (1, 1, 2)


def test_a_folder_that_is_no_git_repository_is_a_clear_error(landing: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="not a git repository git can read"):
        capture_git_log(tmp_path, landing)


def test_github_deployments_take_their_outcome_from_their_statuses(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "github")

    ingest(con, landing)

    deployments = rows(con, "select * from raw.deployments order by deployment_id")
    # 1001: in progress, then success (the later `inactive` only means superseded); 1002 failed;
    # 1003 has no final status yet and is no attempt to count yet.
    assert [(row["deployment_id"], row["status"], row["environment"]) for row in deployments] == [
        ("1001", "success", "production"),
        ("1002", "failure", "production"),
    ]
    assert (str(deployments[0]["started_at"]), str(deployments[0]["finished_at"])) == (
        "2026-03-09 11:00:00",
        "2026-03-09 11:06:00",
    )

    # Its status lands later: the folder is read again and the deployment appears, nothing doubles.
    (landing / "github" / "deployments" / "statuses-1003.json").write_text(
        json.dumps(
            [
                {
                    "id": 10,
                    "state": "error",
                    "created_at": "2026-03-10T09:03:00Z",
                    "deployment_url": "https://api.github.com/repos/acme/exporter/deployments/1003",
                }
            ]
        )
    )
    again = ingest(con, landing).tables["deployments"]

    assert (again.rows_loaded, again.rows_deduplicated) == (1, 2)
    assert con.execute("select deployment_id, status from raw.deployments order by 1").fetchall() == [
        ("1001", "success"),
        ("1002", "failure"),
        ("1003", "error"),
    ]


def test_pagerduty_acknowledgement_comes_from_the_log_entries(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    land(landing, "pagerduty_incidents")

    ingest(con, landing)

    incidents = {row["incident_id"]: row for row in rows(con, "select * from raw.incidents")}
    resolved = incidents["Q3V8XK2P1TNA7Z"]
    # Acknowledged twice: the first acknowledgement counts; the resolver's e-mail from its log entry.
    assert str(resolved["acknowledged_at"]) == "2026-03-09 02:20:00"
    assert (resolved["service"], resolved["severity"], resolved["responder_email"]) == (
        "checkout-api",
        "high",
        "dana@example.com",
    )
    assert str(resolved["resolved_at"]) == "2026-03-09 03:02:40"
    still_open = incidents["Q9OPEN"]
    assert (still_open["severity"], still_open["acknowledged_at"], still_open["resolved_at"]) == (
        "P3",
        None,
        None,
    )
    assert [(row[2], row[3]) for row in quarantined(con, "pagerduty_incidents")] == [
        ("missing_field", "incidents[2]: required field 'service.id' is missing")
    ]

    # A late log entry acknowledges the open incident on the next run.
    (landing / "pagerduty_incidents" / "log-entries-late.json").write_text(
        json.dumps(
            {
                "log_entries": [
                    {
                        "type": "acknowledge_log_entry",
                        "created_at": "2026-03-09T05:10:00Z",
                        "incident": {"id": "Q9OPEN"},
                    }
                ]
            }
        )
    )
    ingest(con, landing)

    acknowledged = con.execute("select acknowledged_at from raw.incidents where incident_id = 'Q9OPEN'")
    assert str(acknowledged.fetchone()[0]) == "2026-03-09 05:10:00"
    assert con.execute(
        "select count(*) from raw._quarantine where source_file like 'pagerduty%'"
    ).fetchone() == (1,)


def test_the_landing_sensor_sees_vendor_folders_as_their_tables(landing: Path) -> None:
    for folder in ("cursor_daily_usage", "github", "pagerduty_incidents"):
        land(landing, folder)

    files = landed_files(landing, ALL_TABLES)

    assert "cursor_daily_usage/events-page-1.json" in files
    assert "github/deployments/statuses-1001.json" in files
    assert {table_of(path) for path in files} == {"vendor_ai_usage", "pull_requests", "pr_reviews", "commits",
                                                   "deployments", "incidents"}  # fmt: skip


def test_the_dagster_ingest_step_loads_vendor_exports_and_warns_of_unknown_folders(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    land(landing, "cursor_daily_usage")
    (landing / "jira_exports").mkdir()
    (landing / "jira_exports" / "issues.json").write_text("[]")
    keys = {name: dg.AssetKey(["landing", name]) for name in [*ALL_TABLES, "_quarantine", "_ingested_files"]}
    warehouse = WarehouseResource(landing_dir=str(landing), warehouse=str(tmp_path / "warehouse.duckdb"))
    instance = dg.DagsterInstance.ephemeral()

    result = dg.materialize(
        [build_landing_assets(keys)], instance=instance, resources={"warehouse": warehouse}
    )

    assert result.success
    warnings = [
        entry.user_message for entry in instance.all_logs(result.run_id) if entry.level == logging.WARNING
    ]
    assert (
        "WARNING: folder 'jira_exports' of the landing zone is not a table or vendor export airoi reads; "
        "the 1 file in it was not loaded"
    ) in warnings
    vendor = next(
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.asset_key == keys["vendor_ai_usage"]
    )
    # Four events, two user-days and four members' spend; the event with an unreadable timestamp and
    # two records of the spend's second page are quarantined.
    assert (vendor.metadata["rows_loaded"].value, vendor.metadata["rows_quarantined"].value) == (10, 3)
