"""Great Expectations suites over the published marts, and `validate_warehouse` that runs them.

Three layers check the data, each for what it does best; an assertion lives in exactly one of them.

dbt tests (models/**/*.yml and data-tests/, run by `dbt build` in the working file, at build time):
    everything row by row, within a model or across models. Keys `unique` + `not_null`,
    `relationships`, `accepted_values` (adoption_cohort, match_method, ...), model contracts
    (enforced on every mart: the columns and types its yml declares), unit tests of every measure,
    singular tests that reconcile models (team weeks add up engineer weeks, PR phases add up,
    change failure rate is a share), and our generic tests (data-tests/generic): `accepted_range`
    (hours, tokens, costs and shares within bounds, per row), `volume_anomaly` (a day's volume
    against the median of the same weekday in earlier weeks) and `robust_zscore_outlier` (heavy
    users per week by median and MAD), the last two as warnings.

Great Expectations (this module, on a DuckDB file opened read-only, table by table):
    the published file as a whole, against CONTRACT.md section 2, which no model yml states.
    Critical: every contract table exists with every contract column (more are welcome),
    `week_start` is a Monday, the engineer and team tables are not empty, and row-count relations
    between the marts hold (fct_team_weekly is the full grid of its teams and weeks and covers every
    week of fct_engineer_weekly; fct_consumption_flags has one row per engineer-week with AI usage).
    Warning: distributions within plausible bands (median and mean cost per merged PR, median PR
    cycle, lead time and time to restore, mean change failure rate, the share of flagged weeks).
    Nothing that dbt asserts is repeated here: no not-null, uniqueness, value sets, types or
    per-row ranges.

Dagster (orchestration/quality/asset_checks.py):
    runs these suites as asset checks of the mart assets after dbt has built them and before
    publish. A failed critical expectation fails a blocking check with severity ERROR, so the
    warehouse is not published; failed warnings fail a non-blocking WARN check. dbt's tests reach
    Dagster as checks through dagster-dbt and are not run again.

Great Expectations is imported inside the functions that use it: importing it takes seconds, and
the Dagster code location imports this module every time it loads.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from orchestration import settings
from orchestration.quality.data_docs import localise_data_docs

if TYPE_CHECKING:
    import great_expectations as gx
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.expectations import Expectation

MARTS_SCHEMA = "marts"
DEFAULT_DOCS_DIR = settings.PROJECT_DIR / "data" / "gx_docs"
DOCS_SITE = "airoi_marts"
CRITICAL = "critical"
WARNING = "warning"

#: How many example rows of a failed expectation are kept for a report or asset check metadata.
EXAMPLES_KEPT = 5

WEEKLY_MEASURES = (
    "ai_total_tokens",
    "ai_cost_usd",
    "prs_merged",
    "median_pr_cycle_hours",
    "reviews_given",
    "incidents_resolved",
    "median_incident_resolve_hours",
    "tokens_per_merged_pr",
    "cost_per_merged_pr",
)
DORA_MEASURES = (
    "deployments",
    "change_failure_rate",
    "median_lead_time_hours",
    "median_time_to_restore_hours",
)


@dataclass(frozen=True)
class PublishedMart:
    """One table of CONTRACT.md section 2 and the columns it must have."""

    name: str
    columns: tuple[str, ...]

    @property
    def has_week_start(self) -> bool:
        return "week_start" in self.columns


PUBLISHED_MARTS: dict[str, PublishedMart] = {
    mart.name: mart
    for mart in (
        PublishedMart("dim_engineers", ("employee_id", "team_id", "is_bot")),
        PublishedMart("fct_engineer_weekly", ("employee_id", "team_id", "week_start", *WEEKLY_MEASURES)),
        PublishedMart("fct_team_weekly", ("team_id", "week_start", *WEEKLY_MEASURES, *DORA_MEASURES)),
        PublishedMart(
            "fct_consumption_flags", ("employee_id", "week_start", "inflation_score", "is_flagged", "reasons")
        ),
    )
}


# Row-count relations between the marts, as queries that return a row (with the counts or the
# weeks concerned) when the relation breaks; `{batch}` is the table whose suite runs them.
TEAM_WEEK_GRID = """
with counts as (
    select
        count(*) as team_weeks,
        count(distinct team_id) as teams,
        count(distinct week_start) as weeks
    from {batch}
)

select * from counts where team_weeks <> teams * weeks
"""

TEAM_WEEKS_COVER_ENGINEER_WEEKS = f"""
with engineer_weeks as (
    select distinct week_start from {MARTS_SCHEMA}.fct_engineer_weekly
),

team_weeks as (
    select distinct week_start from {{batch}}
),

uncovered as (
    select * from engineer_weeks
    except
    select * from team_weeks
)

select * from uncovered order by week_start
"""

ONE_FLAGS_ROW_PER_USAGE_WEEK = f"""
with usage_weeks as (
    select count(*) as engineer_weeks_with_usage
    from {MARTS_SCHEMA}.fct_engineer_weekly
    where ai_total_tokens > 0 or ai_cost_usd > 0
),

flag_rows as (
    select count(*) as flags_rows from {{batch}}
)

select *
from usage_weeks
cross join flag_rows
where engineer_weeks_with_usage <> flags_rows
"""


def _contract_expectations(mart: PublishedMart) -> list[Expectation]:
    import great_expectations as gx

    expectations: list[Expectation] = [
        gx.expectations.ExpectTableColumnsToMatchSet(
            column_set=list(mart.columns),
            exact_match=False,
            description=f"Every column CONTRACT.md publishes for marts.{mart.name} is there.",
        )
    ]
    if mart.has_week_start:
        expectations.append(
            gx.expectations.UnexpectedRowsExpectation(
                unexpected_rows_query="select * from {batch} where isodow(week_start) <> 1",
                description="`week_start` is the Monday of its ISO week.",
            )
        )
    return expectations


def _not_empty(mart: str) -> Expectation:
    import great_expectations as gx

    return gx.expectations.ExpectTableRowCountToBeBetween(
        min_value=1, description=f"marts.{mart} has rows: an empty table means the build lost its input."
    )


def _band(expectation: type[Expectation], column: str, low: float, high: float, why: str) -> Expectation:
    from great_expectations.expectations.metadata_types import FailureSeverity

    return expectation(
        column=column, min_value=low, max_value=high, severity=FailureSeverity.WARNING, description=why
    )


def _weekly_bands(mart: str) -> list[Expectation]:
    """Plausible bands for a week of engineering with AI tools; far outside them, a unit or a join is wrong.

    Cost per merged PR: a few cents (tab completion) to hundreds of dollars (agents) is normal; a
    median above 500 USD means cost is counted many times over or PRs are missing. The median PR
    cycle of a team that merges anything lies between minutes and two weeks. Medians, not the
    quantile expectation: GX 1.24's result store cannot serialise the numpy booleans that
    `expect_column_quantile_values_to_be_between` reports.
    """
    import great_expectations as gx

    return [
        _band(
            gx.expectations.ExpectColumnMedianToBeBetween,
            "cost_per_merged_pr",
            0.01,
            500,
            "Median cost per merged PR between 1 cent and 500 USD.",
        ),
        _band(
            gx.expectations.ExpectColumnMeanToBeBetween,
            "cost_per_merged_pr",
            0.01,
            2000,
            "Mean cost per merged PR between 1 cent and 2,000 USD (heavy weeks pull the mean up).",
        ),
        _band(
            gx.expectations.ExpectColumnMedianToBeBetween,
            "median_pr_cycle_hours",
            0.05,
            336,
            f"In marts.{mart}, the typical PR cycle lies between 3 minutes and two weeks.",
        ),
    ]


def _rows_related(query: str, description: str) -> Expectation:
    """A relation between row counts, as a query that returns a row (with the counts) when it breaks."""
    import great_expectations as gx

    return gx.expectations.UnexpectedRowsExpectation(unexpected_rows_query=query, description=description)


def suite_expectations(name: str) -> list[Expectation]:
    """The expectations of one published mart's suite, critical ones first."""
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    if name not in PUBLISHED_MARTS:
        raise ValueError(f"{name} is not a published mart; known: {', '.join(PUBLISHED_MARTS)}")
    expectations = _contract_expectations(PUBLISHED_MARTS[name])
    if name == "dim_engineers":
        expectations.append(_not_empty(name))
    elif name == "fct_engineer_weekly":
        expectations += [_not_empty(name), *_weekly_bands(name)]
    elif name == "fct_team_weekly":
        expectations += [
            _not_empty(name),
            _rows_related(
                TEAM_WEEK_GRID, "One row for every team in every week: the team-week grid has no holes."
            ),
            _rows_related(
                TEAM_WEEKS_COVER_ENGINEER_WEEKS, "Every week of fct_engineer_weekly has its team weeks."
            ),
            *_weekly_bands(name),
            _band(
                gx.expectations.ExpectColumnMeanToBeBetween,
                "change_failure_rate",
                0,
                0.6,
                "Mean change failure rate at most 60%: DORA's low performers sit near 46-60%.",
            ),
            _band(
                gx.expectations.ExpectColumnMedianToBeBetween,
                "median_lead_time_hours",
                0.05,
                24 * 30,
                "Typical lead time from first commit to production between 3 minutes and 30 days.",
            ),
            _band(
                gx.expectations.ExpectColumnMedianToBeBetween,
                "median_time_to_restore_hours",
                0.01,
                24 * 14,
                "Typical time to restore between a minute and two weeks.",
            ),
        ]
    elif name == "fct_consumption_flags":
        expectations += [
            _rows_related(
                ONE_FLAGS_ROW_PER_USAGE_WEEK,
                "One row per engineer-week with AI usage (tokens or cost) in fct_engineer_weekly.",
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="is_flagged",
                value_set=[False],
                mostly=0.75,
                severity=FailureSeverity.WARNING,
                description=(
                    "At most a quarter of engineer-weeks are flagged as inflated; more means the "
                    "signals fire on ordinary use and nobody will read the flags."
                ),
            ),
        ]
    return expectations


def build_suite(name: str) -> gx.ExpectationSuite:
    import great_expectations as gx

    return gx.ExpectationSuite(name=name, expectations=suite_expectations(name))


@dataclass(frozen=True)
class FailedExpectation:
    """One unmet expectation: what it asserts, how bad it is, and what GX observed."""

    expectation: str
    severity: str
    description: str
    column: str | None
    observed: Any
    examples: list[Any] = field(default_factory=list)

    def render(self) -> str:
        where = f" [{self.column}]" if self.column else ""
        examples = f"; e.g. {json.dumps(self.examples[:3], default=str)}" if self.examples else ""
        return (
            f"{self.severity.upper():<8} {self.expectation}{where}: {self.description} "
            f"Observed: {json.dumps(self.observed, default=str)}{examples}"
        )


@dataclass(frozen=True)
class SuiteValidation:
    """The result of one mart's suite; `success` is false when any expectation failed."""

    mart: str
    evaluated: int
    failures: list[FailedExpectation]

    @property
    def success(self) -> bool:
        return not self.failures

    @property
    def critical_failures(self) -> list[FailedExpectation]:
        return [failure for failure in self.failures if failure.severity == CRITICAL]

    @property
    def warning_failures(self) -> list[FailedExpectation]:
        return [failure for failure in self.failures if failure.severity != CRITICAL]


@dataclass(frozen=True)
class WarehouseValidation:
    """Every suite run against one warehouse file, and where the data docs were written."""

    warehouse: Path
    suites: dict[str, SuiteValidation]
    docs_index: Path | None = None

    @property
    def success(self) -> bool:
        return all(suite.success for suite in self.suites.values())

    @property
    def blocking_success(self) -> bool:
        """True when no critical expectation failed: the warehouse may be published."""
        return not any(suite.critical_failures for suite in self.suites.values())

    def render(self) -> str:
        lines = [f"Great Expectations on {self.warehouse}:"]
        for name, suite in self.suites.items():
            state = "passed" if suite.success else f"{len(suite.failures)} of {suite.evaluated} failed"
            lines.append(f"  marts.{name}: {state}")
            lines += [f"    {failure.render()}" for failure in suite.failures]
        if self.docs_index is not None:
            lines.append(f"Data docs: {self.docs_index}")
        return "\n".join(lines)


def _published_tables(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [MARTS_SCHEMA]
        ).fetchall()
    return {name for (name,) in rows}


def _missing_table(name: str) -> SuiteValidation:
    failure = FailedExpectation(
        expectation="table_exists",
        severity=CRITICAL,
        description=f"CONTRACT.md publishes marts.{name}.",
        column=None,
        observed=f"no table {MARTS_SCHEMA}.{name} in the warehouse",
    )
    return SuiteValidation(mart=name, evaluated=1, failures=[failure])


def _json_safe(value: Any) -> Any:
    """Observed values as JSON holds them (dates as text, NaN as null), for reports and metadata."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return json.loads(json.dumps(value, default=str))


def _exception_message(info: Mapping[str, Any]) -> str | None:
    """GX reports an exception either flat or keyed by the metric that raised it."""
    if info.get("raised_exception"):
        return info.get("exception_message")
    nested = (value for value in info.values() if isinstance(value, Mapping))
    return next((value.get("exception_message") for value in nested if value.get("raised_exception")), None)


def _failure(result: Any) -> FailedExpectation:
    config = result.expectation_config
    details = result.result or {}
    error = _exception_message(result.exception_info or {})
    mismatched = details.get("details", {}).get("mismatched")
    if error is not None:
        observed: Any = f"error: {error}"
    elif mismatched:
        observed = mismatched
    elif "observed_value" in details:
        observed = details["observed_value"]
    else:
        observed = {
            key: details[key]
            for key in ("element_count", "unexpected_count", "unexpected_percent")
            if key in details
        }
    examples = (
        details.get("details", {}).get("unexpected_rows") or details.get("partial_unexpected_list") or []
    )
    return FailedExpectation(
        expectation=config.type,
        severity=str(config.severity.value),
        description=config.description or "",
        column=config.kwargs.get("column"),
        observed=_json_safe(observed),
        examples=_json_safe(list(examples)[:EXAMPLES_KEPT]),
    )


def _suite_validation(name: str, result: ExpectationSuiteValidationResult) -> SuiteValidation:
    return SuiteValidation(
        mart=name,
        evaluated=len(result.results),
        failures=[_failure(item) for item in result.results if not item.success],
    )


def _context(docs_dir: Path | None) -> gx.data_context.EphemeralDataContext:
    """An in-memory context: suites are built in code, so nothing needs to persist but the docs."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir.resolve()),
            },
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def validate_warehouse(
    warehouse: Path, docs_dir: Path | None = DEFAULT_DOCS_DIR, marts: Collection[str] | None = None
) -> WarehouseValidation:
    """Run the suites of `marts` (default: every published mart) against `warehouse`, read-only.

    A mart the file lacks fails its suite with a `table_exists` failure rather than an exception,
    so one report lists everything that is wrong. With `docs_dir`, GX data docs for the run are
    written there: open `index.html`. Neither building nor opening them needs a network: the pages
    load their scripts and stylesheets from copies beside them (orchestration/quality/data_docs.py).
    """
    import great_expectations as gx

    import orchestration.quality.gx_duckdb  # noqa: F401  (registers the duckdb_warehouse datasource)

    names = list(marts) if marts is not None else list(PUBLISHED_MARTS)
    unknown = sorted(set(names) - set(PUBLISHED_MARTS))
    if unknown:
        raise ValueError(f"not published marts: {', '.join(unknown)}; known: {', '.join(PUBLISHED_MARTS)}")
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse file at {warehouse}")
    present = _published_tables(warehouse)
    suites = {name: _missing_table(name) for name in names if name not in present}
    to_validate = [name for name in names if name in present]
    if to_validate:
        context = _context(docs_dir)
        datasource = context.data_sources.add_duckdb_warehouse(
            name="warehouse",
            connection_string=f"duckdb:///{warehouse.resolve()}",
            kwargs={"connect_args": {"read_only": True}},
            default_schema=MARTS_SCHEMA,
        )
        try:
            definitions = []
            for name in to_validate:
                asset = datasource.add_table_asset(name=name, table_name=name)
                definitions.append(
                    context.validation_definitions.add(
                        gx.ValidationDefinition(
                            name=name,
                            data=asset.add_batch_definition_whole_table("whole table"),
                            suite=context.suites.add(build_suite(name)),
                        )
                    )
                )
            actions = (
                []
                if docs_dir is None
                else [gx.checkpoint.UpdateDataDocsAction(name="docs", site_names=[DOCS_SITE])]
            )
            checkpoint = context.checkpoints.add(
                gx.Checkpoint(
                    name="published_marts",
                    validation_definitions=definitions,
                    actions=actions,
                    # COMPLETE, so the unexpected rows of a SQL expectation come back (GX caps them
                    # at MAX_RESULT_RECORDS); the one value-set expectation only lists flagged rows.
                    result_format={"result_format": "COMPLETE", "partial_unexpected_count": EXAMPLES_KEPT},
                )
            )
            run = checkpoint.run()
        finally:
            # The datasource keeps an engine of its own (asset checks) beside the execution engine;
            # both hold the file open, which would stop the next step from writing it.
            datasource.get_execution_engine().close()
            datasource.get_engine().dispose()
        if docs_dir is not None:
            localise_data_docs(docs_dir)
        for result in run.run_results.values():
            suites[result.suite_name] = _suite_validation(result.suite_name, result)
    docs_index = docs_dir / "index.html" if docs_dir is not None and to_validate else None
    return WarehouseValidation(
        warehouse=warehouse, suites={name: suites[name] for name in names}, docs_index=docs_index
    )
