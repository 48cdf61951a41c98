"""The never-add rules between vendor sources, one test per pair of the double-counting matrix of
the vendor formats reference, on the recorded exports of tests/fixtures/vendors/ built with the real
ingest and `dbt build`.

The landing zone holds every AI vendor export of the fixtures, plus:
- organisation B, whose Claude Code reports more input tokens than its usage report (as it would if
  Claude Code's undocumented `tokens.input` included cache reads), in a record that does not say
  its customer type (an API organisation's, as the API covers Console organisations);
- an hourly OpenAI page for a day the daily page covers;
- a roster with Dana and D. Kim, so the engineer measures can be checked.
A second landing adds Anthropic's late cost report for 2026-03-10, after the first build.

Figures by hand, organisation A (4f7c...), 2026-03-09:
- usage report: sonnet 91,234 + 2,840,000 + 187,000 + 1,000 + 64,410 = 3,183,644 tokens, haiku
  1,000 + 200 = 1,200: 3,184,844 tokens;
- Claude Code, API customers: Dana 8,120 + 15,230 + 412,000 + 38,100 = 473,450 (sonnet), the
  review bot 1,200 (haiku): 474,650 tokens;
- cost report: "2737.5" + "150" + "12.25" cents = $28.9975, billed.
OpenAI, 2026-03-09: costs $3.4172 + $0.4230 = $3.8402 (the line in euros is quarantined); usage at
list prices $1.02725.
Cursor, the cycle from 2026-03-01: spend 24.82 + 0 + 150 cents (Bo's unknown); events 2 x 12.41 cents.
Copilot, 2026-03-09: D. Kim in the teams platform and exporter, Ana in platform, Bo (no activity) in
team 903; the enterprise's day totals 4 pull requests created and 2 merged, GitHub's landed
repository 1 created (#413) and 1 merged (#412, by D. Kim).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.build import DbtResult, run_dbt
from orchestration.landing import ingest

FIXTURES = Path(__file__).parent / "fixtures" / "vendors"
ORG_A = "4f7c2a10-9b1e-4d3a-8c55-0e2f6a9d1b33"
SELECT = [
    "--indirect-selection",
    "cautious",
    "--select",
    "+fct_engineer_weekly",
    "+fct_ai_usage_reconciliation",
    "assert_claude_code_tokens_within_usage_report",
]
WEEK = "2026-03-09"


@dataclass
class Build:
    path: Path
    result: DbtResult
    statuses: dict[str, str]

    def rows(self, sql: str) -> list[dict[str, Any]]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            result = con.execute(sql)
            names = [column[0] for column in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def one(self, sql: str) -> dict[str, Any]:
        (row,) = self.rows(sql)
        return row

    def comparison(self, name: str, day: str = WEEK, organization: str | None = None) -> dict[str, Any]:
        where = f"comparison = '{name}' and usage_date = '{day}'"
        if organization is not None:
            where += f" and organization_id = '{organization}'"
        return self.one(f"select * from marts.fct_ai_usage_reconciliation where {where}")


def write_json(path: Path, document: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document))


def land_first(landing: Path) -> None:
    shutil.copytree(FIXTURES, landing, dirs_exist_ok=True)
    organization_b = {
        "date": "2026-03-09",
        "actor": {"type": "user_actor", "email_address": "bo@example.com"},
        "organization_id": "org-b",
        "terminal_type": "vscode",
        "core_metrics": {"num_sessions": 1, "lines_of_code": {"added": 0, "removed": 0}},
        "tool_actions": {},
        "model_breakdown": [
            {
                "model": "claude-sonnet-4-5-20250929",
                "tokens": {"input": 5000, "output": 100, "cache_read": 0, "cache_creation": 0},
                "estimated_cost": {"currency": "USD", "amount": 2},
            }
        ],
    }
    write_json(
        landing / "claude_code_analytics" / "org-b.json", {"data": [organization_b], "has_more": False}
    )
    write_json(
        landing / "anthropic_usage_report" / "org=org-b" / "messages.json",
        {
            "data": [
                {
                    "starting_at": "2026-03-09T00:00:00Z",
                    "ending_at": "2026-03-10T00:00:00Z",
                    "results": [
                        {
                            "api_key_id": None,
                            "model": "claude-sonnet-4-5-20250929",
                            "uncached_input_tokens": 1000,
                            "cache_read_input_tokens": 0,
                            "output_tokens": 100,
                        }
                    ],
                }
            ],
            "has_more": False,
        },
    )
    write_json(
        landing / "openai_usage_completions" / "hourly.json",
        {
            "data": [
                {
                    "start_time": 1773050400,
                    "end_time": 1773054000,
                    "results": [
                        {
                            "object": "organization.usage.completions.result",
                            "input_tokens": 999,
                            "output_tokens": 1,
                            "num_model_requests": 1,
                            "api_key_id": "key_7QmZk2aP9sLw",
                            "model": "gpt-5-2025-08-07",
                        }
                    ],
                }
            ],
            "has_more": False,
        },
    )
    (landing / "teams").mkdir()
    (landing / "teams" / "teams.csv").write_text("team_id,team_name\nt1,Core\n")
    (landing / "people").mkdir()
    (landing / "people" / "people.csv").write_text(
        "employee_id,email,team_id,hired_on\n"
        "e1,dana@example.com,t1,2025-01-01\n"
        "e2,dkim@example.com,t1,2025-01-01\n"
    )


def land_second(landing: Path) -> None:
    write_json(
        landing / "anthropic_usage_report" / f"org={ORG_A}" / "cost-late.json",
        {
            "data": [
                {
                    "starting_at": "2026-03-10T00:00:00Z",
                    "ending_at": "2026-03-11T00:00:00Z",
                    "results": [{"currency": "USD", "amount": "50", "description": "late"}],
                }
            ],
            "has_more": False,
        },
    )


def ingest_and_build(landing: Path, work: Path, target: Path, snapshot: Path) -> Build:
    with duckdb.connect(str(work)) as con:
        ingest(con, landing)
    result = run_dbt(["build", *SELECT], work, target_path=target, quiet=True)
    shutil.copyfile(work, snapshot)
    results = json.loads((target / "run_results.json").read_text())["results"]
    statuses = {entry["unique_id"].split(".")[-1]: entry["status"] for entry in results}
    return Build(snapshot, result, statuses)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Build, Build]]:
    root = tmp_path_factory.mktemp("vendor_reconciliation")
    landing, work, target = root / "landing", root / "warehouse.duckdb", root / "target"
    land_first(landing)
    first = ingest_and_build(landing, work, target, root / "first.duckdb")
    assert first.result.ok, [failure.render() for failure in first.result.failures]
    land_second(landing)
    second = ingest_and_build(landing, work, target, root / "second.duckdb")
    assert second.result.ok, [failure.render() for failure in second.result.failures]
    yield first, second


@pytest.fixture(scope="module")
def first(builds: tuple[Build, Build]) -> Build:
    return builds[0]


def events(build: Build, where: str) -> dict[str, Any]:
    return build.one(
        "select count(*) as rows, sum(total_tokens) as tokens, sum(cost_usd) as cost_usd "
        f"from marts.fct_ai_usage_events where {where}"
    )


def test_claude_code_tokens_and_the_usage_report_are_one_usage(first: Build) -> None:
    compared = first.comparison("claude_code_vs_usage_report", organization=ORG_A)
    assert (compared["total_a"], compared["total_b"]) == (474650, 3184844)
    assert compared["difference"] == -2710194
    # Counted once: the usage report's total, Claude Code's per-user part included, not the sum.
    assert compared["counted_total"] == 3184844 and compared["counted_source"] == "anthropic.usage_report"
    on_bill = first.one(
        "select sum(total_tokens) as tokens from intermediate.int_ai_usage_vendor_counted "
        f"where organization_id = '{ORG_A}' and is_on_api_bill and occurred_at = '{WEEK}'"
    )
    assert on_bill["tokens"] == 3184844
    # Dana keeps her own tokens, per user; the rest of the report is the organisation's.
    dana = first.one(
        "select ai_total_tokens from marts.fct_engineer_weekly "
        f"where employee_id = 'e1' and week_start = '{WEEK}'"
    )
    assert dana["ai_total_tokens"] == 473450


def test_claude_code_estimates_give_way_to_the_billed_cost_report(first: Build) -> None:
    compared = first.comparison("claude_code_estimate_vs_cost_report", organization=ORG_A)
    # $5.14 + $0.125 estimated against $28.9975 billed: the billed amount is the spend, once.
    assert (compared["total_a"], compared["total_b"]) == (Decimal("5.265"), Decimal("28.9975"))
    assert abs(compared["counted_total"] - Decimal("28.9975")) < Decimal("0.000001")
    dana = first.one(
        "select cost_kind, cost_usd from marts.fct_ai_usage_events where actor_id = 'dana@example.com'"
    )
    assert dana["cost_kind"] == "billed" and dana["cost_usd"] != Decimal("5.14")
    # A subscription user's estimate is not on the API bill and stays an estimate.
    lee = first.one(
        "select cost_kind, cost_usd from marts.fct_ai_usage_events where actor_id = 'lee@example.com'"
    )
    assert (lee["cost_kind"], lee["cost_usd"]) == ("estimated", Decimal("2.1"))


def test_claude_code_commit_and_pull_request_counts_are_not_loaded_beside_github(first: Build) -> None:
    columns = {
        row["column_name"]
        for row in first.rows(
            "select column_name from information_schema.columns where table_name = 'vendor_ai_usage'"
        )
    }
    assert not {name for name in columns if "commit" in name or "pull" in name}


def test_the_usage_report_gives_tokens_and_the_cost_report_gives_spend(first: Build) -> None:
    # Cost lines carry no tokens into any event, and usage rows carry no cost of their own.
    assert first.rows("select * from marts.fct_ai_usage_events where source = 'anthropic.cost_report'") == []
    remainder = first.one(
        "select total_tokens, cost_kind from marts.fct_ai_usage_events "
        f"where source = 'anthropic.usage_report' and occurred_at = '{WEEK}' "
        "and model = 'claude-sonnet-4-5-20250929' and actor_id like '%4f7c%'"
    )
    # 3,183,644 sonnet tokens in the report less Dana's 473,450.
    assert remainder == {"total_tokens": 2710194, "cost_kind": "billed"}


def test_openai_usage_at_list_prices_gives_way_to_costs(first: Build) -> None:
    compared = first.comparison("openai_usage_at_list_vs_costs")
    assert (compared["total_a"], compared["total_b"]) == (Decimal("1.02725"), Decimal("3.8402"))
    assert abs(compared["counted_total"] - Decimal("3.8402")) < Decimal("0.000001")
    spend = events(first, f"source_tool = 'openai_api' and occurred_at = '{WEEK}'")
    assert abs(spend["cost_usd"] - Decimal("3.8402")) < Decimal("0.000001")


def test_openai_cached_tokens_are_inside_input_tokens(first: Build) -> None:
    key = events(first, f"actor_id = 'key_7QmZk2aP9sLw' and occurred_at = '{WEEK}'")
    # 1,840,000 input (1,510,000 of them cached) + 42,300 output; not 1,510,000 more.
    assert key["tokens"] == 1882300


def test_anthropic_cache_buckets_are_disjoint_and_add_up(first: Build) -> None:
    report = first.one(
        "select sum(total_tokens) as tokens from intermediate.int_ai_usage_vendor_resolved "
        f"where source = 'anthropic.usage_report' and organization_id = '{ORG_A}' and usage_date = '{WEEK}' "
        "and model = 'claude-sonnet-4-5-20250929'"
    )
    assert report["tokens"] == 91234 + 2840000 + 187000 + 1000 + 64410


def test_copilot_breakdowns_are_never_added_across(first: Build) -> None:
    dkim = first.rows(
        "select lines_accepted, lines_added from intermediate.int_ai_usage_vendor_resolved "
        "where actor_id = 'dkim' and record_kind = 'activity' and is_kept"
    )
    # The code completion feature's 52 lines, not the 52 + 301 of two breakdowns, nor 388 + ...
    assert dkim == [{"lines_accepted": 52, "lines_added": 388}]


def test_copilot_organisation_reports_are_not_summed_to_the_enterprise(first: Build) -> None:
    compared = first.comparison("copilot_organizations_vs_enterprise")
    # D. Kim is in the organisation's and the enterprise's report; Ana in the organisation's only.
    assert (compared["total_a"], compared["total_b"], compared["counted_total"]) == (2, 1, 2)


def test_cursor_charges_are_the_spend_once(first: Build) -> None:
    cursor = events(first, "source_tool = 'cursor'")
    # Two charged requests of $0.1241 and one not charged; the BYOK request is not Cursor's.
    assert (cursor["rows"], cursor["cost_usd"]) == (3, Decimal("0.2482"))


def test_cursor_byok_tokens_count_in_the_model_vendors_report_not_in_cursor(first: Build) -> None:
    compared = first.comparison("cursor_byok_vs_model_vendor")
    assert (compared["total_a"], compared["counted_total"]) == (600, 0)
    dkim = first.one(
        "select ai_total_tokens from marts.fct_engineer_weekly "
        f"where employee_id = 'e2' and week_start = '{WEEK}'"
    )
    # Two identical requests of 106,794 tokens; the 600 BYOK tokens are not added.
    assert dkim["ai_total_tokens"] == 2 * 106794


def test_cursor_daily_request_counters_are_not_added_to_events(first: Build) -> None:
    compared = first.comparison("cursor_daily_vs_events")
    assert (compared["total_a"], compared["total_b"], compared["counted_total"]) == (37, 4, 4)
    assert first.rows("select * from marts.fct_ai_usage_events where source = 'cursor.daily'") == []


def test_copilot_team_rows_are_not_summed_back_to_the_organisation(first: Build) -> None:
    compared = first.comparison("copilot_teams_vs_organization", organization="org:8812")
    # Three team rows (D. Kim in two teams, Ana in one) of the organisation's two users.
    assert (compared["total_a"], compared["total_b"], compared["difference"]) == (3, 2, 1)
    assert compared["counted_total"] == 2
    kept = first.rows(
        "select actor_id from intermediate.int_ai_usage_vendor_resolved "
        "where source = 'copilot.users_1_day' and record_kind = 'activity' and is_kept order by 1"
    )
    assert kept == [{"actor_id": "ana"}, {"actor_id": "dkim"}]
    # Memberships carry no usage: Copilot's tokens are Ana's CLI row, once.
    cli = events(first, "source_tool = 'copilot'")
    assert (cli["rows"], cli["tokens"]) == (1, 12800)


def test_copilot_pull_request_totals_are_not_added_to_githubs(first: Build) -> None:
    created = first.comparison("copilot_pull_requests_created_vs_github")
    merged = first.comparison("copilot_pull_requests_merged_vs_github")
    # Copilot counts every pull request of the enterprise's organisations; GitHub's are counted.
    assert (created["total_a"], created["total_b"], created["difference"], created["counted_total"]) == (
        4,
        1,
        3,
        1,
    )
    assert (merged["total_a"], merged["total_b"], merged["difference"], merged["counted_total"]) == (
        2,
        1,
        1,
        1,
    )
    assert created["source_a"] == "copilot.enterprise_1_day pull_requests.total_created"
    # D. Kim merged #412 that week: one pull request, not one more for each Copilot figure.
    dkim = first.one(
        f"select prs_merged from marts.fct_engineer_weekly where employee_id = 'e2' and week_start = '{WEEK}'"
    )
    assert dkim["prs_merged"] == 1


def test_cursor_spend_reconciles_the_events_and_is_never_added(first: Build) -> None:
    compared = first.comparison("cursor_events_vs_spend", day="2026-03-01")
    # Two charged requests of 12.41 cents against the members' 24.82 + 0 + 150 cents: Lee's requests
    # are not in the events landed.
    assert (compared["total_a"], compared["total_b"]) == (Decimal("0.2482"), Decimal("1.7482"))
    assert (compared["difference"], compared["counted_total"]) == (Decimal("-1.5"), Decimal("0.2482"))
    # The spend counts nowhere: Cursor's cost is the events' charges alone.
    cursor = events(first, "source_tool = 'cursor'")
    assert (cursor["rows"], cursor["cost_usd"]) == (3, Decimal("0.2482"))


def test_copilot_cli_tokens_coexist_with_the_model_vendors_reports(first: Build) -> None:
    cli = events(first, "source_tool = 'copilot'")
    # GitHub's bill, not Anthropic's or OpenAI's: the tokens count, at no usage price.
    assert (cli["rows"], cli["tokens"], cli["cost_usd"]) == (1, 12800, 0)


def test_hourly_buckets_of_a_day_with_daily_buckets_are_not_added(first: Build) -> None:
    openai = events(first, f"source_tool = 'openai_api' and cast(occurred_at as date) = '{WEEK}'")
    # The daily buckets' 1,882,300 + 10,700 tokens; the hourly bucket of the same day is left out.
    assert openai["tokens"] == 1882300 + 10700


def test_a_claude_code_report_above_its_usage_report_is_caught(first: Build) -> None:
    assert first.statuses["assert_claude_code_tokens_within_usage_report"] == "warn"
    compared = first.comparison("claude_code_vs_usage_report", organization="org-b")
    # 5,100 by Claude Code against 1,100 in the report: counted 5,100, never 6,200.
    assert (compared["total_a"], compared["total_b"], compared["counted_total"]) == (5100, 1100, 5100)


def test_a_late_cost_report_turns_the_day_to_billed_on_the_next_build(builds: tuple[Build, Build]) -> None:
    first, second = builds
    day = "source = 'anthropic.usage_report' and occurred_at = '2026-03-10'"
    before = first.one(f"select cost_kind, cost_usd from marts.fct_ai_usage_events where {day}")
    assert before["cost_kind"] == "list"
    after = second.one(f"select cost_kind, cost_usd from marts.fct_ai_usage_events where {day}")
    assert (after["cost_kind"], after["cost_usd"]) == ("billed", Decimal("0.5"))


@pytest.mark.slow
def test_a_landing_zone_mixing_every_vendor_export_with_canonical_tables_builds(tmp_path: Path) -> None:
    airoi = str(Path(sys.executable).with_name("airoi"))
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    generated = subprocess.run(
        [airoi, "generate", "--out", str(landing), "--engineers", "12", "--weeks", "3", "--seed", "5",
         "--no-progress"],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    shutil.copytree(FIXTURES, landing, dirs_exist_ok=True)
    (landing / "pagerduty_exports").mkdir()
    (landing / "pagerduty_exports" / "incidents.json").write_text("{}")
    repository = tmp_path / "exporter"
    repository.mkdir()
    (repository / "a.py").write_text("print(1)\n")
    git = ["git", "-C", str(repository)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "a.py"], check=True)
    subprocess.run(
        [*git, "-c", "user.name=Dana", "-c", "user.email=dana@example.com", "commit", "-q", "-m",
         "Start\n\nCo-authored-by: Claude <noreply@anthropic.com>"],
        check=True,
    )  # fmt: skip

    built = subprocess.run(
        [airoi, "build", "--landing", str(landing), "--warehouse", str(warehouse),
         "--git-repo", str(repository)],
        capture_output=True, text=True, check=False, timeout=1800,
    )  # fmt: skip

    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    assert (
        "WARNING: folder 'pagerduty_exports' of the landing zone is not a table or vendor export airoi "
        "reads; the 1 file in it was not loaded"
    ) in built.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sources = {
            row[0] for row in con.execute("select distinct source from marts.fct_ai_usage_events").fetchall()
        }
        comparisons = con.execute("select count(*) from marts.fct_ai_usage_reconciliation").fetchone()[0]
        local = con.execute("select message from raw.commits where repo = 'local/exporter'").fetchall()
    # The generated organisation's canonical tools next to every vendor export's counted rows.
    assert {"anthropic.claude_code", "anthropic.usage_report", "openai.usage.completions", "cursor.events",
            "copilot.users_1_day", "claude_code"} <= sources  # fmt: skip
    assert comparisons == 14
    assert local == [("Start\n\nCo-authored-by: Claude <noreply@anthropic.com>",)]
