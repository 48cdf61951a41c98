"""The three quality layers, each failing on bad data made for it and passing on good data.

dbt generic tests run in a tiny dbt project built in tmp (the project's own macros and tests over
hand-made seeds); the Great Expectations suites and the Dagster asset checks run against DuckDB
files shaped like the published marts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from orchestration.settings import PROJECT_DIR

DBT = str(Path(sys.executable).with_name("dbt"))
GATE_MACROS = ["median", "type_double", "rows_outside_range", "volume_anomaly_days", "robust_zscore_outliers"]
GATE_TESTS = ["accepted_range", "volume_anomaly", "robust_zscore_outlier"]

# --- dbt generic tests -------------------------------------------------------------------------

FIRST_MONDAY = date(2026, 3, 2)
SPIKE, DROP, GAP = date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 3)


def _daily_events(changes: dict[date, int | None]) -> str:
    """Five weeks from Monday 2026-03-02 to Sunday 2026-04-05: 100 events each weekday, 10 on weekend
    days; `changes` overrides a day's count, None leaves the day out."""
    rows = ["usage_date,events"]
    for offset in range(35):
        day = FIRST_MONDAY + timedelta(days=offset)
        events = changes.get(day, 10 if day.weekday() >= 5 else 100)
        if events is not None:
            rows.append(f"{day},{events}")
    return "\n".join(rows) + "\n"


# Week 1: five ordinary users and one at 100 USD; week 2: five users at 50..58 USD and one at 0.
WEEKLY_COSTS = """week_start,employee_id,ai_cost_usd
2026-03-02,e1,10
2026-03-02,e2,11
2026-03-02,e3,12
2026-03-02,e4,13
2026-03-02,e5,14
2026-03-02,e6,100
2026-03-09,e1,50
2026-03-09,e2,52
2026-03-09,e3,54
2026-03-09,e4,56
2026-03-09,e5,58
2026-03-09,e6,0
"""

TEAM_RATES = """team_id,change_failure_rate,ai_cost_usd
t1,0,0
t1,0.5,12.5
t1,1,
t2,1.2,3
t2,,-0.01
"""

SEEDS_YML = """
version: 2
seeds:
  - name: steady_daily
    data_tests:
      - volume_anomaly:
          name: volume_steady
          arguments: {date_column: usage_date, value_expression: sum(events)}
  - name: anomalous_daily
    data_tests:
      - volume_anomaly:
          name: volume_anomalous
          arguments: {date_column: usage_date, value_expression: sum(events)}
      - volume_anomaly:
          name: volume_anomalous_as_warning
          arguments: {date_column: usage_date, value_expression: sum(events)}
          config: {severity: warn}
      - volume_anomaly:
          name: volume_rows_per_day
          arguments: {date_column: usage_date}
  - name: weekly_costs
    columns:
      - name: ai_cost_usd
        data_tests:
          - robust_zscore_outlier:
              name: zscore_per_week_of_users
              arguments: {group_by: [week_start]}
              config: {where: ai_cost_usd > 0}
          - robust_zscore_outlier:
              name: zscore_per_week_with_non_users
              arguments: {group_by: [week_start]}
          - robust_zscore_outlier:
              name: zscore_across_weeks
              config: {where: ai_cost_usd > 0}
  - name: team_rates
    columns:
      - name: change_failure_rate
        data_tests:
          - accepted_range:
              name: rate_closed
              arguments: {min_value: 0, max_value: 1}
          - accepted_range:
              name: rate_open
              arguments: {min_value: 0, max_value: 1, inclusive: false}
          - accepted_range:
              name: rate_closed_team_t1
              arguments: {min_value: 0, max_value: 1}
              config: {where: "team_id = 't1'"}
      - name: ai_cost_usd
        data_tests:
          - accepted_range:
              name: cost_non_negative
              arguments: {min_value: 0}
              config: {severity: warn}
"""


def _gate_project(root: Path, seeds_yml: str, seeds: dict[str, str]) -> Path:
    """A dbt project named like ours (so `adapter.dispatch(..., 'airoi')` finds the macros) holding
    only the gate macros and generic tests, copied from the repository, and the given seeds."""
    for folder in ("macros", "data-tests/generic", "seeds"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name in GATE_MACROS:
        shutil.copy(PROJECT_DIR / "macros" / f"{name}.sql", root / "macros")
    for name in GATE_TESTS:
        shutil.copy(PROJECT_DIR / "data-tests" / "generic" / f"{name}.sql", root / "data-tests" / "generic")
    (root / "dbt_project.yml").write_text(
        "name: airoi\nprofile: airoi\nconfig-version: 2\ntest-paths: [data-tests]\n"
        "flags: {send_anonymous_usage_stats: false, require_generic_test_arguments_property: true}\n"
    )
    (root / "profiles.yml").write_text(
        "airoi:\n  target: duckdb\n  outputs:\n    duckdb:\n"
        f"      type: duckdb\n      path: {root / 'gates.duckdb'}\n      threads: 1\n"
    )
    (root / "seeds" / "_seeds.yml").write_text(seeds_yml)
    for name, text in seeds.items():
        (root / "seeds" / f"{name}.csv").write_text(text)
    return root


def _dbt(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            DBT,
            *args,
            "--project-dir",
            str(root),
            "--profiles-dir",
            str(root),
            "--target-path",
            str(root / "target"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def gates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One `dbt build --store-failures` of every gate case: status and failing rows per test name."""
    root = _gate_project(
        tmp_path_factory.mktemp("gates"),
        SEEDS_YML,
        {
            "steady_daily": _daily_events({}),
            "anomalous_daily": _daily_events({SPIKE: 1000, DROP: 10, GAP: None}),
            "weekly_costs": WEEKLY_COSTS,
            "team_rates": TEAM_RATES,
        },
    )
    completed = _dbt(root, "build", "--store-failures")
    results = json.loads((root / "target" / "run_results.json").read_text())["results"]
    tests = {
        node["unique_id"].split(".")[2]: node for node in results if node["unique_id"].startswith("test.")
    }
    errors = {name: node["message"] for name, node in tests.items() if node["status"] == "error"}
    assert not errors, f"dbt could not run some tests: {errors}\n{completed.stdout[-3000:]}"
    with duckdb.connect(str(root / "gates.duckdb"), read_only=True) as con:
        rows = {
            name: con.execute(f'select * from main_dbt_test__audit."{name}"').fetch_df().to_dict("records")
            for name in tests
        }
    return {"status": {name: node["status"] for name, node in tests.items()}, "rows": rows}


def test_volume_anomaly_passes_weekday_seasonality(gates: dict[str, Any]) -> None:
    """Monday 2026-03-30 has 100 events after a Sunday of 10: compared with the four Mondays
    before it (100 each), it is ordinary."""
    assert gates["status"]["volume_steady"] == "pass"


def test_volume_anomaly_fails_spike_drop_and_missing_day(gates: dict[str, Any]) -> None:
    """Against a same-weekday baseline of 100: Wednesday's 1000 is 10x, Thursday's 10 is 0.1x and
    Friday, with no rows at all, is 0x; the quiet weekend after them is not flagged."""
    assert gates["status"]["volume_anomalous"] == "fail"
    failed = {row["volume_date"].date(): row for row in gates["rows"]["volume_anomalous"]}
    assert sorted(failed) == [SPIKE, DROP, GAP]
    assert [failed[day]["volume_ratio"] for day in (SPIKE, DROP, GAP)] == [10.0, 0.1, 0.0]
    assert {row["baseline_volume"] for row in failed.values()} == {100.0}
    assert {row["baseline_weeks"] for row in failed.values()} == {4}
    assert gates["status"]["volume_anomalous_as_warning"] == "warn"


def test_volume_anomaly_counts_rows_by_default(gates: dict[str, Any]) -> None:
    """With count(*) every present day has 1 row, like its baseline; only the missing Friday fails."""
    assert [row["volume_date"].date() for row in gates["rows"]["volume_rows_per_day"]] == [GAP]


def test_robust_zscore_flags_the_heavy_user_of_a_week(gates: dict[str, Any]) -> None:
    """Week 1 of users: median 12.5, MAD 1.5, so 100 USD scores 0.6745 * 87.5 / 1.5 = 39.3.
    Week 2 of users (50..58): median 54, MAD 2, nobody beyond 1.35."""
    assert gates["status"]["zscore_per_week_of_users"] == "fail"
    [outlier] = gates["rows"]["zscore_per_week_of_users"]
    assert (outlier["employee_id"], outlier["median_value"], outlier["median_absolute_deviation"]) == (
        "e6",
        12.5,
        1.5,
    )
    assert outlier["robust_z"] == pytest.approx(0.6745 * 87.5 / 1.5)


def test_robust_zscore_where_config_keeps_non_users_out(gates: dict[str, Any]) -> None:
    """With the 0 USD non-user scored too, week 2 (median 53, MAD 3) flags the 0 at z = -11.9."""
    flagged = {
        (row["employee_id"], str(row["week_start"].date()))
        for row in gates["rows"]["zscore_per_week_with_non_users"]
    }
    assert flagged == {("e6", "2026-03-02"), ("e6", "2026-03-09")}


def test_robust_zscore_needs_the_group(gates: dict[str, Any]) -> None:
    """Both weeks pooled: median 50, MAD 36, so 100 USD scores only 0.94 and passes."""
    assert gates["status"]["zscore_across_weeks"] == "pass"


def test_accepted_range_bounds_and_where(gates: dict[str, Any]) -> None:
    assert gates["status"]["rate_closed"] == "fail"
    assert [row["change_failure_rate"] for row in gates["rows"]["rate_closed"]] == [1.2]
    # open interval: 0 and 1 fail too; the null rate passes (not_null says whether it may be missing)
    assert sorted(row["change_failure_rate"] for row in gates["rows"]["rate_open"]) == [0.0, 1.0, 1.2]
    assert gates["status"]["rate_closed_team_t1"] == "pass"
    assert gates["status"]["cost_non_negative"] == "warn"
    assert [row["ai_cost_usd"] for row in gates["rows"]["cost_non_negative"]] == [-0.01]


def _under_model(test: str) -> str:
    return f"version: 2\nseeds:\n  - name: weekly_costs\n    data_tests:\n      - {test}\n"


def _under_column(test: str) -> str:
    return (
        "version: 2\nseeds:\n  - name: weekly_costs\n    columns:\n      - name: ai_cost_usd\n"
        f"        data_tests:\n          - {test}\n"
    )


@pytest.mark.parametrize(
    ("seeds_yml", "message"),
    [
        (
            _under_model("volume_anomaly: {arguments: {date_column: week_start, lookback_weeks: 0}}"),
            "`lookback_weeks` must be a whole number >= 1, got 0",
        ),
        (
            _under_column("accepted_range: {arguments: {min_value: 1, max_value: 0}}"),
            "`min_value` 1 is greater than `max_value` 0",
        ),
        (
            _under_column("robust_zscore_outlier: {arguments: {group_by: week_start}}"),
            "`group_by` must be a list of column names, got week_start",
        ),
    ],
)
def test_bad_arguments_stop_the_parse(tmp_path: Path, seeds_yml: str, message: str) -> None:
    """A mistyped test is caught when dbt parses the project, before anything is built."""
    root = _gate_project(tmp_path, seeds_yml, {"weekly_costs": WEEKLY_COSTS})
    completed = _dbt(root, "parse")
    assert completed.returncode != 0
    assert message in completed.stdout


# --- Great Expectations on a published file -----------------------------------------------------

# Three engineers in two teams over two weeks. employee_id, team_id, week_start, ai_total_tokens,
# ai_cost_usd, prs_merged, median_pr_cycle_hours, reviews_given, incidents_resolved,
# median_incident_resolve_hours, tokens_per_merged_pr, cost_per_merged_pr
ENGINEER_WEEKS = """
    ('e1', 't1', date '2026-03-02', 1000, 10.00, 2, 20.0, 1, 0, null, 500.0, 5.00),
    ('e2', 't1', date '2026-03-02', 0, 0.00, 1, 30.0, 2, 1, 4.0, 0.0, 0.00),
    ('e3', 't2', date '2026-03-02', 3000, 30.00, 3, 10.0, 0, 0, null, 1000.0, 10.00),
    ('e1', 't1', date '2026-03-09', 2000, 20.00, 1, 40.0, 0, 0, null, 2000.0, 20.00),
    ('e2', 't1', date '2026-03-09', 500, 5.00, 0, null, 1, 0, null, null, null),
    ('e3', 't2', date '2026-03-09', 1500, 15.00, 3, 12.0, 1, 1, 2.0, 500.0, 5.00)
"""


def _publish_marts(path: Path) -> Path:
    """The contract marts as a build publishes them: 6 engineer-weeks, a full 2 x 2 team-week grid,
    one flags row per engineer-week with usage (5, one of them flagged)."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.dim_engineers as select * from (values ('e1', 't1', false), "
            "('e2', 't1', false), ('e3', 't2', false)) as engineers(employee_id, team_id, is_bot)"
        )
        con.execute(f"""
            create table marts.fct_engineer_weekly as
            select
                employee_id, team_id, week_start,
                cast(ai_total_tokens as bigint) as ai_total_tokens,
                cast(ai_cost_usd as decimal(18, 9)) as ai_cost_usd,
                cast(prs_merged as bigint) as prs_merged,
                cast(median_pr_cycle_hours as double) as median_pr_cycle_hours,
                cast(reviews_given as bigint) as reviews_given,
                cast(incidents_resolved as bigint) as incidents_resolved,
                cast(median_incident_resolve_hours as double) as median_incident_resolve_hours,
                cast(tokens_per_merged_pr as double) as tokens_per_merged_pr,
                cast(cost_per_merged_pr as decimal(18, 9)) as cost_per_merged_pr
            from (values {ENGINEER_WEEKS}) as weeks(
                employee_id, team_id, week_start, ai_total_tokens, ai_cost_usd, prs_merged,
                median_pr_cycle_hours, reviews_given, incidents_resolved, median_incident_resolve_hours,
                tokens_per_merged_pr, cost_per_merged_pr
            )
        """)
        con.execute("""
            create table marts.fct_team_weekly as
            with sums as (
                select
                    team_id, week_start,
                    sum(ai_total_tokens) as ai_total_tokens, sum(ai_cost_usd) as ai_cost_usd,
                    sum(prs_merged) as prs_merged, median(median_pr_cycle_hours) as median_pr_cycle_hours,
                    sum(reviews_given) as reviews_given, sum(incidents_resolved) as incidents_resolved,
                    median(median_incident_resolve_hours) as median_incident_resolve_hours
                from marts.fct_engineer_weekly
                group by team_id, week_start
            )
            select
                *,
                ai_total_tokens / nullif(prs_merged, 0) as tokens_per_merged_pr,
                ai_cost_usd / nullif(prs_merged, 0) as cost_per_merged_pr,
                cast(4 as bigint) as deployments,
                cast(0.25 as double) as change_failure_rate,
                cast(26.5 as double) as median_lead_time_hours,
                cast(1.5 as double) as median_time_to_restore_hours
            from sums
        """)
        con.execute("""
            create table marts.fct_consumption_flags as
            select
                employee_id,
                week_start,
                cast(
                    if(employee_id = 'e1' and week_start = date '2026-03-09', 3.2, 0.4) as double
                ) as inflation_score,
                inflation_score > 3 as is_flagged,
                if(is_flagged, 'tokens per merged PR 4x the team median', '') as reasons
            from marts.fct_engineer_weekly
            where ai_total_tokens > 0
        """)
    return path


def _break_marts(path: Path) -> Path:
    """Bad data, one fault per expectation it is made for."""
    with duckdb.connect(str(path)) as con:
        con.execute("drop table marts.dim_engineers")
        con.execute("alter table marts.fct_team_weekly drop column change_failure_rate")
        con.execute(
            "delete from marts.fct_team_weekly where team_id = 't2' and week_start = date '2026-03-09'"
        )
        con.execute(
            "update marts.fct_engineer_weekly set ai_cost_usd = -20, cost_per_merged_pr = -20 "
            "where employee_id = 'e1' and week_start = date '2026-03-09'"
        )
        con.execute(
            "update marts.fct_consumption_flags set week_start = date '2026-03-10' where employee_id = 'e2'"
        )
        con.execute("update marts.fct_consumption_flags set is_flagged = true where employee_id = 'e3'")
    return path


def _by_description(failures: list[Any], fragment: str) -> Any:
    [failure] = [failure for failure in failures if fragment in failure.description]
    return failure


def test_suites_pass_a_good_warehouse_and_write_data_docs(tmp_path: Path) -> None:
    from orchestration.quality.suites import PUBLISHED_MARTS, validate_warehouse

    warehouse = _publish_marts(tmp_path / "warehouse.duckdb")
    validation = validate_warehouse(warehouse, docs_dir=tmp_path / "docs")

    assert validation.success, validation.render()
    assert list(validation.suites) == list(PUBLISHED_MARTS)
    # GX has let go of the file: the next step (publish) can open it for writing
    duckdb.connect(str(warehouse)).close()
    assert validation.docs_index == tmp_path / "docs" / "index.html"
    assert validation.docs_index.is_file()
    pages = {page.parent.parent.parent.name for page in (tmp_path / "docs" / "validations").rglob("*.html")}
    assert pages == set(PUBLISHED_MARTS)


def test_suites_take_relative_paths_as_make_demo_passes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.quality.suites import validate_warehouse

    _publish_marts(tmp_path / "warehouse.duckdb")
    monkeypatch.chdir(tmp_path)
    validation = validate_warehouse(Path("warehouse.duckdb"), docs_dir=Path("gx_docs"))

    assert validation.success, validation.render()
    assert (tmp_path / "gx_docs" / "index.html").is_file()


def test_suites_fail_a_bad_warehouse_with_observed_values(tmp_path: Path) -> None:
    from orchestration.quality.suites import validate_warehouse

    warehouse = _break_marts(_publish_marts(tmp_path / "warehouse.duckdb"))
    validation = validate_warehouse(warehouse, docs_dir=None)
    suites = validation.suites

    assert not validation.blocking_success
    assert validation.docs_index is None
    [missing] = suites["dim_engineers"].critical_failures
    assert (missing.expectation, missing.observed) == (
        "table_exists",
        "no table marts.dim_engineers in the warehouse",
    )

    team = suites["fct_team_weekly"]
    columns = _by_description(team.critical_failures, "Every column CONTRACT.md publishes")
    assert columns.observed == {"missing": ["change_failure_rate"]}
    grid = _by_description(team.critical_failures, "grid has no holes")
    assert grid.examples == [{"team_weeks": 3, "teams": 2, "weeks": 2}]
    assert len(team.critical_failures) == 2

    # -20 USD replaces 20 USD: the mean cost per merged PR of (5, 0, 10, -20, 5) is 0, below its band;
    # a warning, since per-row negative costs are dbt's accepted_range to block.
    engineer = suites["fct_engineer_weekly"]
    assert engineer.critical_failures == []
    [mean_cost] = engineer.warning_failures
    assert (mean_cost.expectation, mean_cost.column, mean_cost.observed) == (
        "expect_column_mean_to_be_between",
        "cost_per_merged_pr",
        0.0,
    )

    flags = suites["fct_consumption_flags"]
    [tuesday] = flags.critical_failures
    assert "Monday" in tuesday.description
    assert [(row["employee_id"], row["week_start"]) for row in tuesday.examples] == [("e2", "2026-03-10")]
    [share] = flags.warning_failures
    assert share.observed["unexpected_percent"] == 60.0  # e1 in week 2 and e3 in both weeks: 3 of 5


# --- Dagster asset checks -----------------------------------------------------------------------


def _run_checked_marts(warehouse: Path) -> Any:
    """Materialize stand-ins for the four marts (their tables are already in the working file), the
    GX checks wired as the definitions wire them, and a publish asset that depends on the marts
    directly, in a temporary instance."""
    from orchestration.defs.resources import WarehouseResource
    from orchestration.quality.asset_checks import (
        build_gx_asset_checks,
        default_mart_keys,
        published_mart_keys,
    )

    marts = [dg.AssetSpec(key) for key in default_mart_keys().values()]

    @dg.multi_asset(specs=marts)
    def built_marts() -> Iterator[dg.MaterializeResult]:
        """dbt's part: the tables exist in the working file already."""
        for spec in marts:
            yield dg.MaterializeResult(asset_key=spec.key)

    @dg.asset(deps=[spec.key for spec in marts])
    def published() -> None:
        """Stands in for the publish step, which must not run after a failed blocking check."""

    with dg.instance_for_test() as instance:
        return dg.materialize(
            [built_marts, *build_gx_asset_checks(published_mart_keys([built_marts])), published],
            resources={
                "warehouse": WarehouseResource(landing_dir=str(warehouse.parent), warehouse=str(warehouse))
            },
            instance=instance,
            raise_on_error=False,
        )


def _evaluations(result: Any) -> dict[tuple[str, str], Any]:
    return {
        (evaluation.asset_key.path[-1], evaluation.check_name): evaluation
        for evaluation in result.get_asset_check_evaluations()
    }


def test_default_asset_checks_cover_the_published_marts() -> None:
    from orchestration.quality.asset_checks import GX_ASSET_CHECKS

    [checks] = GX_ASSET_CHECKS
    blocking = {(spec.asset_key.to_user_string(), spec.name) for spec in checks.check_specs if spec.blocking}
    assert blocking == {
        ("marts/dim_engineers", "gx_contract"),
        ("marts/fct_engineer_weekly", "gx_contract"),
        ("marts/fct_team_weekly", "gx_contract"),
        ("marts/fct_consumption_flags", "gx_contract"),
    }
    assert len(list(checks.check_specs)) == 8


def test_asset_checks_pass_and_publish_on_good_data(tmp_path: Path) -> None:
    from orchestration.settings import working_path

    published = tmp_path / "warehouse.duckdb"
    _publish_marts(working_path(published))
    result = _run_checked_marts(published)

    assert result.success
    evaluations = _evaluations(result)
    assert len(evaluations) == 8
    assert all(evaluation.passed for evaluation in evaluations.values())
    assert any(event.asset_key.path == ["published"] for event in result.get_asset_materialization_events())
    assert (tmp_path / "gx_docs" / "index.html").is_file()


def test_asset_checks_block_publish_on_bad_data(tmp_path: Path) -> None:
    from orchestration.settings import working_path

    published = tmp_path / "warehouse.duckdb"
    _break_marts(_publish_marts(working_path(published)))
    result = _run_checked_marts(published)

    assert not result.success
    evaluations = _evaluations(result)
    contract = evaluations[("fct_team_weekly", "gx_contract")]
    assert not contract.passed
    assert contract.severity == dg.AssetCheckSeverity.ERROR
    assert contract.blocking
    failed = contract.metadata["failed_expectations"].value
    assert [item["observed"] for item in failed] == [{"missing": ["change_failure_rate"]}, 1]
    warning = evaluations[("fct_engineer_weekly", "gx_plausibility")]
    assert (warning.passed, warning.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert warning.metadata["failed_expectations"].value[0]["observed"] == 0.0
    assert evaluations[("fct_engineer_weekly", "gx_contract")].passed
    assert not any(
        event.asset_key.path == ["published"] for event in result.get_asset_materialization_events()
    )
