"""The BI face: a read-only DuckDB file beside the restricted warehouse, with team-level figures only.

The warehouse at `--warehouse` holds every mart, the per-engineer ones included: it is the restricted
copy, for the people allowed to act on individual figures. BI tools, dashboards and the report read
this file instead (`warehouse.duckdb` -> `warehouse.bi.duckdb`). It has one schema, `bi`, and every
figure in it is computed over a group of engineers:

- a group below the threshold (dbt var `airoi_bi_min_engineers`, default 5) is *suppressed*: its
  figures are null, `is_suppressed` is true and `suppressed_because` says why, so a reader never takes
  a withheld cell for a zero;
- a count of engineers inside a group (flagged engineers, say) is shown when it is 0 or reaches the
  threshold; between the two, it and every figure it would reveal are withheld the same way;
- no table has a row per person, a person's key, or an order that ranks people.

Tables whose mart the warehouse does not have yet are left out, and `bi.about` says so.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import yaml

from orchestration.settings import PROJECT_DIR

SCHEMA = "bi"
THRESHOLD_VAR = "airoi_bi_min_engineers"
DEFAULT_THRESHOLD = 5


def bi_path(warehouse: Path) -> Path:
    """`data/warehouse.duckdb` -> `data/warehouse.bi.duckdb`."""
    return warehouse.with_name(f"{warehouse.stem}.bi{warehouse.suffix or '.duckdb'}")


def min_engineers(project_dir: Path = PROJECT_DIR) -> int:
    """The suppression threshold: AIROI_BI_MIN_ENGINEERS, else the dbt var, else 5."""
    if os.environ.get("AIROI_BI_MIN_ENGINEERS"):
        return int(os.environ["AIROI_BI_MIN_ENGINEERS"])
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text())
    return int((project.get("vars") or {}).get(THRESHOLD_VAR, DEFAULT_THRESHOLD))


@dataclass
class Sources:
    """What the restricted warehouse has: table -> its columns."""

    tables: dict[str, set[str]]

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Sources:
        rows = con.execute(
            "select table_schema || '.' || table_name, column_name from information_schema.columns "
            "where table_catalog = 'restricted'"
        ).fetchall()
        tables: dict[str, set[str]] = {}
        for table, column in rows:
            tables.setdefault(table, set()).add(column)
        return cls(tables)

    def has(self, table: str, *columns: str) -> bool:
        return table in self.tables and set(columns) <= self.tables[table]


@dataclass(frozen=True)
class BiTable:
    name: str
    description: str
    columns: dict[str, str]
    #: Engineers behind the row's figures: null when the row is suppressed, else at least the threshold.
    group_columns: tuple[str, ...]
    #: Engineers inside the group (flagged, say): 0, at least the threshold, or null (withheld).
    subgroup_columns: tuple[str, ...]
    sql: Callable[[Sources, int], str | None]
    needs: tuple[str, ...] = field(default=())


def _shown(expression: str, condition: str, alias: str) -> str:
    return f"case when {condition} then {expression} end as {alias}"


def _suppression(condition: str, because: str) -> str:
    return (
        f"not ({condition}) as is_suppressed,\n"
        f"        case when not ({condition}) then '{because}' end as suppressed_because"
    )


SUPPRESSION_COLUMNS = {
    "is_suppressed": "True when this row's figures are withheld: too few engineers are behind them.",
    "suppressed_because": "Why the figures are withheld (empty when shown). A withheld figure is not a zero.",
}


def _teams_sql(sources: Sources, k: int) -> str:
    shown = f"engineers >= {k}"
    return f"""
    select
        team_id,
        team_name,
        department,
        {_shown("engineers", shown, "engineers")},
        {_suppression(shown, f"fewer than {k} engineers in the team")}
    from restricted.marts.dim_teams
    order by team_name
    """


TEAM_WEEKLY_MEASURES = [
    "ai_total_tokens",
    "ai_cost_usd",
    "prs_merged",
    "ai_assisted_prs_merged",
    "median_pr_cycle_hours",
    "reviews_given",
    "incidents_resolved",
    "median_incident_resolve_hours",
    "tokens_per_merged_pr",
    "cost_per_merged_pr",
    "deployments",
    "failed_deployments",
    "change_failure_rate",
    "median_lead_time_hours",
    "median_time_to_restore_hours",
    "incidents_opened",
]


def _team_weekly_sql(sources: Sources, k: int) -> str:
    shown = f"team_weeks.engineers >= {k}"
    measures = ",\n        ".join(
        _shown(f"team_weeks.{name}", shown, name)
        for name in TEAM_WEEKLY_MEASURES
        if name in sources.tables["marts.fct_team_weekly"]
    )
    return f"""
    with team_weeks as (select * from restricted.marts.fct_team_weekly),
    teams as (select * from restricted.marts.dim_teams)
    select
        team_weeks.team_id,
        teams.team_name,
        teams.department,
        team_weeks.week_start,
        {_shown("team_weeks.engineers", shown, "engineers")},
        {measures},
        {_suppression(shown, f"fewer than {k} engineers in the team that week")}
    from team_weeks
    left join teams on team_weeks.team_id = teams.team_id
    order by team_weeks.week_start, teams.team_name
    """


def _demand_figures(k: int) -> tuple[str, str, str]:
    """The shown-condition of a group, of its flagged part, and the select list of the figures."""
    group = f"engineers_with_usage >= {k}"
    flagged = f"{group} and (engineers_flagged = 0 or engineers_flagged >= {k})"
    figures = ",\n        ".join(
        [
            _shown("engineers_with_usage", group, "engineers_with_usage"),
            _shown("engineers_flagged", flagged, "engineers_flagged"),
            _shown("total_tokens", group, "total_tokens"),
            _shown("flagged_tokens", flagged, "flagged_tokens"),
            _shown("total_tokens - flagged_tokens", flagged, "adjusted_tokens"),
            _shown("flagged_tokens / nullif(total_tokens, 0)", flagged, "flagged_token_share"),
            _shown("cost_usd", group, "cost_usd"),
            _shown("flagged_cost_usd", flagged, "flagged_cost_usd"),
            _shown("cost_usd - flagged_cost_usd", flagged, "adjusted_cost_usd"),
            _shown("flagged_cost_usd / nullif(cost_usd, 0)", flagged, "flagged_cost_share"),
        ]
    )
    return group, flagged, figures


def _demand_suppression(k: int) -> str:
    group, flagged, _ = _demand_figures(k)
    return f"""not ({flagged}) as is_suppressed,
        case
            when not ({group}) then 'fewer than {k} engineers with AI usage'
            when not ({flagged}) then 'fewer than {k} engineers flagged: the flagged part is withheld'
        end as suppressed_because"""


def _demand_weekly_sql(sources: Sources, k: int) -> str:
    _, _, figures = _demand_figures(k)
    return f"""
    with weeks as (
        select
            week_start,
            count(*) as engineers_with_usage,
            count(*) filter (where is_flagged) as engineers_flagged,
            sum(total_tokens) as total_tokens,
            coalesce(sum(total_tokens) filter (where is_flagged), 0) as flagged_tokens,
            cast(sum(cost_usd) as double) as cost_usd,
            coalesce(cast(sum(cost_usd) filter (where is_flagged) as double), 0) as flagged_cost_usd
        from restricted.marts.fct_consumption_flags
        group by week_start
    )
    select
        week_start,
        {figures},
        {_demand_suppression(k)}
    from weeks
    order by week_start
    """


def _demand_by_team_sql(sources: Sources, k: int) -> str:
    _, _, figures = _demand_figures(k)
    return f"""
    with team_totals as (
        select
            team_id,
            count(distinct employee_id) as engineers_with_usage,
            count(distinct employee_id) filter (where is_flagged) as engineers_flagged,
            count(*) filter (where is_flagged) as flagged_weeks,
            sum(total_tokens) as total_tokens,
            coalesce(sum(total_tokens) filter (where is_flagged), 0) as flagged_tokens,
            cast(sum(cost_usd) as double) as cost_usd,
            coalesce(cast(sum(cost_usd) filter (where is_flagged) as double), 0) as flagged_cost_usd
        from restricted.marts.fct_consumption_flags
        group by team_id
    ),
    teams as (select * from restricted.marts.dim_teams)
    select
        team_totals.team_id,
        teams.team_name,
        {figures},
        {_shown("flagged_weeks", _demand_figures(k)[1], "flagged_weeks")},
        {_demand_suppression(k)}
    from team_totals
    left join teams on team_totals.team_id = teams.team_id
    order by teams.team_name
    """


def _demand_by_department_sql(sources: Sources, k: int) -> str:
    """Departments are bigger than teams, so their flagged share is shown where a team's is withheld."""
    _, flagged, figures = _demand_figures(k)
    return f"""
    with flags as (select * from restricted.marts.fct_consumption_flags),
    teams as (select * from restricted.marts.dim_teams),
    department_totals as (
        select
            coalesce(teams.department, 'No department') as department,
            count(distinct flags.employee_id) as engineers_with_usage,
            count(distinct flags.employee_id) filter (where flags.is_flagged) as engineers_flagged,
            count(*) filter (where flags.is_flagged) as flagged_weeks,
            sum(flags.total_tokens) as total_tokens,
            coalesce(sum(flags.total_tokens) filter (where flags.is_flagged), 0) as flagged_tokens,
            cast(sum(flags.cost_usd) as double) as cost_usd,
            coalesce(cast(sum(flags.cost_usd) filter (where flags.is_flagged) as double), 0)
                as flagged_cost_usd
        from flags
        left join teams on flags.team_id = teams.team_id
        group by coalesce(teams.department, 'No department')
    )
    select
        department,
        {figures},
        {_shown("flagged_weeks", flagged, "flagged_weeks")},
        {_demand_suppression(k)}
    from department_totals
    order by department
    """


#: The signal columns of fct_consumption_flags, for warehouses whose flags carry no reason_codes.
SIGNAL_COLUMNS = {
    "has_snapshot_burst": ("snapshot_burst", "Burst of tokens before the weekly leaderboard snapshot"),
    "has_unfollowed_night_runs": ("unfollowed_night_runs", "Night agent runs with no commit after"),
    "has_repeated_prompts": ("repeated_prompts", "The same prompts sent again and again"),
    "has_spend_without_outcome": ("spend_without_outcome", "Spend with no commit, PR or accepted lines"),
    "has_step_change": ("step_change", "Tokens far above the engineer's usual week"),
    "has_pr_cost_outlier": ("pr_cost_outlier", "Tokens per merged PR far above usual"),
    "has_repeats_at_volume": ("repeats_at_volume", "Some repeated prompts in a high-volume week"),
    "has_low_acceptance_at_volume": ("low_acceptance_at_volume", "Few suggested lines accepted at volume"),
}


def reason_source(sources: Sources) -> str:
    """How the flagged weeks are broken down by reason in this warehouse."""
    if sources.has("marts.fct_consumption_flags", "reason_codes"):
        return "reason_codes"
    if any(sources.has("marts.fct_consumption_flags", column) for column in SIGNAL_COLUMNS):
        return "signal_columns"
    return "none"


def _flag_reasons_sql(sources: Sources, k: int) -> str:
    source = reason_source(sources)
    if source == "reason_codes":
        labels = (
            "select reason_code, label from restricted.reference.consumption_signals"
            if sources.has("reference.consumption_signals", "reason_code", "label")
            else "select cast(null as varchar) as reason_code, cast(null as varchar) as label where false"
        )
        fired = """
        select flags.employee_id, trim(code.reason_code) as reason_code
        from restricted.marts.fct_consumption_flags as flags,
            unnest(string_split(flags.reason_codes, ',')) as code (reason_code)
        where flags.is_flagged and trim(code.reason_code) <> ''
        """
    elif source == "signal_columns":
        present = [column for column in SIGNAL_COLUMNS if sources.has("marts.fct_consumption_flags", column)]
        labels = " union all ".join(
            f"select '{code}' as reason_code, {_quote(label)} as label"
            for code, label in (SIGNAL_COLUMNS[column] for column in present)
        )
        fired = " union all ".join(
            f"select employee_id, '{SIGNAL_COLUMNS[column][0]}' as reason_code "
            f"from restricted.marts.fct_consumption_flags where is_flagged and {column}"
            for column in present
        )
    else:
        labels = (
            "select 'flagged' as reason_code, 'Flagged (no breakdown by reason in this warehouse)' as label"
        )
        fired = (
            "select employee_id, 'flagged' as reason_code "
            "from restricted.marts.fct_consumption_flags where is_flagged"
        )
    shown = f"engineers >= {k}"
    return f"""
    with fired as ({fired}),
    labels as ({labels}),
    counted as (
        select reason_code, count(*) as flagged_weeks, count(distinct employee_id) as engineers
        from fired
        group by reason_code
    )
    select
        counted.reason_code,
        coalesce(labels.label, counted.reason_code) as label,
        {_shown("counted.flagged_weeks", shown, "flagged_weeks")},
        {_shown("counted.engineers", shown, "engineers")},
        {_suppression(shown, f"fewer than {k} engineers behind this reason")}
    from counted
    left join labels on counted.reason_code = labels.reason_code
    order by counted.reason_code
    """


def _adoption_weekly_sql(sources: Sources, k: int) -> str:
    shown = f"engineers >= {k}"
    return f"""
    with cohorts as (
        select
            week_start,
            adoption_cohort,
            count(*) as engineers,
            sum(ai_total_tokens) as ai_total_tokens,
            cast(sum(ai_cost_usd) as double) as ai_cost_usd,
            sum(prs_merged) as prs_merged
        from restricted.marts.fct_engineer_weekly
        group by week_start, adoption_cohort
    )
    select
        week_start,
        adoption_cohort,
        {_shown("engineers", shown, "engineers")},
        {_shown("ai_total_tokens", shown, "ai_total_tokens")},
        {_shown("ai_cost_usd", shown, "ai_cost_usd")},
        {_shown("prs_merged", shown, "prs_merged")},
        {_shown("prs_merged / engineers", shown, "prs_merged_per_engineer")},
        {_shown("ai_cost_usd / nullif(prs_merged, 0)", shown, "cost_per_merged_pr")},
        {_suppression(shown, f"fewer than {k} engineers in the cohort that week")}
    from cohorts
    order by week_start, adoption_cohort
    """


def _effect_sql(table: str, extra: list[str]) -> Callable[[Sources, int], str]:
    def sql(sources: Sources, k: int) -> str:
        shown = f"effect.adopters >= {k} and effect.comparison_engineers >= {k}"
        columns = ",\n        ".join(f"effect.{name}" for name in extra)
        figures = ",\n        ".join(
            _shown(f"effect.{name}", shown, name)
            for name in ("effect_relative", "ci_low", "ci_high", "adopters", "comparison_engineers")
        )
        weeks = ",\n        ".join(
            _shown(f"effect.{name}", shown, name)
            for name in ("adopter_weeks", "comparison_weeks")
            if name in sources.tables[f"marts.{table}"]
        )
        return f"""
        with effect as (select * from restricted.marts.{table}),
        teams as (select * from restricted.marts.dim_teams)
        select
            effect.scope,
            case when effect.scope = 'organisation' then 'Organisation' else teams.team_name end
                as scope_name,
            {columns},
            {figures},
            {weeks + "," if weeks else ""}
            effect.is_reportable and ({shown}) as is_reportable,
            {_suppression(shown, f"fewer than {k} adopters or comparison engineers")}
        from effect
        left join teams on effect.scope = teams.team_id
        order by effect.scope, {", ".join(f"effect.{name}" for name in extra)}
        """

    return sql


EFFECT_COLUMNS = {
    "scope": "organisation, or the team_id the estimate is for.",
    "scope_name": "Organisation, or the team's name.",
    "outcome": "What was measured, e.g. prs_merged_per_week or median_pr_cycle_hours.",
    "estimator": "How the effect was estimated, e.g. staggered_did (difference in differences).",
    "effect_relative": (
        "The effect of adopting AI as a share of what adopters would have done without it (+0.25 = 25% more)."
    ),
    "ci_low": "Lower end of the 95% interval of effect_relative.",
    "ci_high": "Upper end of the 95% interval of effect_relative.",
    "adopters": "Engineers who adopted AI, behind the estimate.",
    "comparison_engineers": "Engineers who had not (yet) adopted, the comparison.",
    "is_reportable": "False when the data are too few to say anything; the figures are then empty.",
}

TABLES: list[BiTable] = [
    BiTable(
        "teams",
        "One row per team: its name, department and current number of engineers.",
        {
            "team_id": "The team's key, as in every other table.",
            "team_name": "The team's name.",
            "department": "The department the team belongs to; empty when not given.",
            "engineers": "Engineers currently in the team.",
            **SUPPRESSION_COLUMNS,
        },
        ("engineers",),
        (),
        _teams_sql,
        ("marts.dim_teams",),
    ),
    BiTable(
        "team_weekly",
        "One row per team and week (weeks start on Monday, UTC): AI spend, what the team delivered, and "
        "the DORA measures of the repositories and services it owns.",
        {
            "team_id": "The team's key.",
            "team_name": "The team's name.",
            "department": "The team's department.",
            "week_start": "Monday of the week (UTC).",
            "engineers": "Engineers in the team that week.",
            "ai_total_tokens": "AI tokens the team's engineers used that week.",
            "ai_cost_usd": "What those tokens cost, in US dollars.",
            "prs_merged": "Pull requests of the team's engineers merged that week (bots not counted).",
            "ai_assisted_prs_merged": "Of those, pull requests written with an AI co-author.",
            "median_pr_cycle_hours": "Typical hours from first commit to merge of those PRs (median).",
            "reviews_given": "Reviews the team's engineers gave on other people's pull requests.",
            "incidents_resolved": "Incidents the team's engineers resolved that week.",
            "median_incident_resolve_hours": "Typical hours to resolve those incidents (median).",
            "tokens_per_merged_pr": "AI tokens per merged pull request; empty when none merged.",
            "cost_per_merged_pr": "AI cost per merged pull request, US dollars; empty when none merged.",
            "deployments": "Production deployments of the team's repositories started that week.",
            "failed_deployments": "Of those, deployments that failed or caused an incident.",
            "change_failure_rate": "Share of deployments that failed or caused an incident.",
            "median_lead_time_hours": "Typical hours from first commit to production (median).",
            "median_time_to_restore_hours": "Typical hours to restore service after an incident (median).",
            "incidents_opened": "Incidents of the team's services opened that week.",
            **SUPPRESSION_COLUMNS,
        },
        ("engineers",),
        (),
        _team_weekly_sql,
        ("marts.fct_team_weekly", "marts.dim_teams"),
    ),
    BiTable(
        "adjusted_demand_weekly",
        "One row per week for the whole organisation: AI tokens and spend, the part in weeks flagged as "
        "inflated consumption, and what is left (adjusted demand).",
        {
            "week_start": "Monday of the week (UTC).",
            "engineers_with_usage": "Engineers who used AI that week.",
            "engineers_flagged": "Of those, engineers whose week was flagged as inflated.",
            "total_tokens": "AI tokens used that week.",
            "flagged_tokens": "Tokens in flagged weeks.",
            "adjusted_tokens": "Tokens without the flagged weeks: the demand that looks real.",
            "flagged_token_share": "Share of the tokens in flagged weeks (0.1 = 10%).",
            "cost_usd": "AI spend that week, US dollars.",
            "flagged_cost_usd": "Spend in flagged weeks.",
            "adjusted_cost_usd": "Spend without the flagged weeks.",
            "flagged_cost_share": "Share of the spend in flagged weeks.",
            **SUPPRESSION_COLUMNS,
        },
        ("engineers_with_usage",),
        ("engineers_flagged",),
        _demand_weekly_sql,
        ("marts.fct_consumption_flags",),
    ),
    BiTable(
        "adjusted_demand_by_team",
        "One row per team over all weeks of the data: AI tokens and spend, the part in flagged weeks, and "
        "the adjusted demand.",
        {
            "team_id": "The team's key.",
            "team_name": "The team's name.",
            "engineers_with_usage": "Engineers of the team who used AI in any week.",
            "engineers_flagged": "Of those, engineers with at least one flagged week.",
            "total_tokens": "AI tokens used.",
            "flagged_tokens": "Tokens in flagged weeks.",
            "adjusted_tokens": "Tokens without the flagged weeks.",
            "flagged_token_share": "Share of the tokens in flagged weeks.",
            "cost_usd": "AI spend, US dollars.",
            "flagged_cost_usd": "Spend in flagged weeks.",
            "adjusted_cost_usd": "Spend without the flagged weeks.",
            "flagged_cost_share": "Share of the spend in flagged weeks.",
            "flagged_weeks": "Engineer-weeks flagged.",
            **SUPPRESSION_COLUMNS,
        },
        ("engineers_with_usage",),
        ("engineers_flagged",),
        _demand_by_team_sql,
        ("marts.fct_consumption_flags", "marts.dim_teams"),
    ),
    BiTable(
        "adjusted_demand_by_department",
        "One row per department over all weeks of the data: AI tokens and spend, the part in flagged weeks, "
        "and the adjusted demand. Departments are larger than teams, so fewer of their figures are withheld.",
        {
            "department": "The department (of the engineers' current teams).",
            "engineers_with_usage": "Engineers of the department who used AI in any week.",
            "engineers_flagged": "Of those, engineers with at least one flagged week.",
            "total_tokens": "AI tokens used.",
            "flagged_tokens": "Tokens in flagged weeks.",
            "adjusted_tokens": "Tokens without the flagged weeks.",
            "flagged_token_share": "Share of the tokens in flagged weeks.",
            "cost_usd": "AI spend, US dollars.",
            "flagged_cost_usd": "Spend in flagged weeks.",
            "adjusted_cost_usd": "Spend without the flagged weeks.",
            "flagged_cost_share": "Share of the spend in flagged weeks.",
            "flagged_weeks": "Engineer-weeks flagged.",
            **SUPPRESSION_COLUMNS,
        },
        ("engineers_with_usage",),
        ("engineers_flagged",),
        _demand_by_department_sql,
        ("marts.fct_consumption_flags", "marts.dim_teams"),
    ),
    BiTable(
        "flag_reasons",
        "One row per reason a week can be flagged: how many flagged engineer-weeks showed it, over all "
        "weeks of the data, and how many engineers. Counts only, no names.",
        {
            "reason_code": "Short code of the signal.",
            "label": "What the signal means, in words.",
            "flagged_weeks": "Flagged engineer-weeks in which the signal fired.",
            "engineers": "Engineers behind those weeks.",
            **SUPPRESSION_COLUMNS,
        },
        ("engineers",),
        (),
        _flag_reasons_sql,
        ("marts.fct_consumption_flags",),
    ),
    BiTable(
        "adoption_weekly",
        "One row per week and AI adoption cohort (none, light, moderate, heavy by the week's tokens) for the "
        "whole organisation: engineers, AI spend and pull requests merged.",
        {
            "week_start": "Monday of the week (UTC).",
            "adoption_cohort": "none, light, moderate or heavy, from the week's AI tokens.",
            "engineers": "Engineers in the cohort that week.",
            "ai_total_tokens": "AI tokens they used.",
            "ai_cost_usd": "What those tokens cost, US dollars.",
            "prs_merged": "Pull requests they merged.",
            "prs_merged_per_engineer": "Pull requests merged per engineer that week.",
            "cost_per_merged_pr": "AI cost per merged pull request; empty when none merged.",
            **SUPPRESSION_COLUMNS,
        },
        ("engineers",),
        (),
        _adoption_weekly_sql,
        ("marts.fct_engineer_weekly",),
    ),
    BiTable(
        "ai_effect",
        "One row per scope (organisation or team), outcome and estimator: the estimated effect of adopting "
        "AI on outcomes (difference in differences), with its 95% interval and the engineers behind it.",
        {
            **EFFECT_COLUMNS,
            "adopter_weeks": "Adopters' weeks after adoption behind the estimate.",
            "comparison_weeks": "Comparison engineers' weeks behind the estimate.",
            **SUPPRESSION_COLUMNS,
        },
        ("adopters", "comparison_engineers"),
        (),
        _effect_sql("fct_ai_effect", ["outcome", "estimator"]),
        ("marts.fct_ai_effect", "marts.dim_teams"),
    ),
    BiTable(
        "ai_effect_event_study",
        "One row per scope, outcome, estimator and week relative to adoption (-4 to +8): the effect week "
        "by week, to see whether it holds and whether adopters differed before adopting.",
        {
            **{key: value for key, value in EFFECT_COLUMNS.items() if key != "is_reportable"},
            "relative_week": "Weeks since adoption (0 = the adoption week; negative = before).",
            "adopter_weeks": "Adopters' weeks behind the estimate of this week.",
            "comparison_weeks": "Comparison engineers' weeks behind the estimate of this week.",
            "is_reportable": EFFECT_COLUMNS["is_reportable"],
            **SUPPRESSION_COLUMNS,
        },
        ("adopters", "comparison_engineers"),
        (),
        _effect_sql("fct_ai_effect_event_study", ["outcome", "estimator", "relative_week"]),
        ("marts.fct_ai_effect_event_study", "marts.dim_teams"),
    ),
]

ABOUT_COLUMNS = {
    "item": "What is described.",
    "value": "Its value.",
}


@dataclass
class BiFace:
    path: Path
    threshold: int
    rows: dict[str, int]
    missing: dict[str, str]
    reasons_from: str

    def render(self) -> str:
        lines = [f"BI face {self.path} (groups under {self.threshold} engineers suppressed):"]
        lines += [f"  {SCHEMA}.{name:<28} {rows:>8,} rows" for name, rows in self.rows.items()]
        lines += [f"  {SCHEMA}.{name:<28} not published: {why}" for name, why in self.missing.items()]
        return "\n".join(lines)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish_bi(warehouse: Path, threshold: int | None = None) -> BiFace:
    """Write the BI face of the restricted `warehouse` beside it, swapped in with one atomic rename."""
    threshold = min_engineers() if threshold is None else threshold
    if threshold < 1:
        raise ValueError(f"{THRESHOLD_VAR} must be at least 1, not {threshold}")
    target = bi_path(warehouse)
    staging = target.with_name(f".{target.name}.publishing")
    staging.unlink(missing_ok=True)
    rows: dict[str, int] = {}
    missing: dict[str, str] = {}
    with duckdb.connect(str(staging)) as con:
        con.execute(f"attach '{warehouse}' as restricted (read_only)")
        sources = Sources.read(con)
        con.execute(f"create schema {SCHEMA}")
        for table in TABLES:
            absent = [name for name in table.needs if name not in sources.tables]
            if absent:
                missing[table.name] = f"the warehouse has no {', '.join(absent)}"
                continue
            con.execute(f"create table {SCHEMA}.{table.name} as {table.sql(sources, threshold)}")
            _describe(con, table.name, table.description, table.columns)
            rows[table.name] = con.execute(f"select count(*) from {SCHEMA}.{table.name}").fetchone()[0]
        latest = con.execute("select max(week_start) from restricted.marts.fct_team_weekly").fetchone()[0]
        landed = [
            con.execute(f"select max(_landed_at) from restricted.{table}").fetchone()[0]
            for table, columns in sources.tables.items()
            if table.startswith("raw.") and "_landed_at" in columns
        ]
        about = {
            "min_engineers": str(threshold),
            "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "latest_week": str(latest),
            "latest_landed_at": str(max((value for value in landed if value), default="")),
            "flag_reasons_from": reason_source(sources),
            **{f"missing:{name}": why for name, why in missing.items()},
        }
        con.execute(f"create table {SCHEMA}.about (item varchar, value varchar)")
        con.executemany(f"insert into {SCHEMA}.about values (?, ?)", list(about.items()))
        _describe(
            con,
            "about",
            "What this file is: the suppression threshold, when it was published.",
            ABOUT_COLUMNS,
        )
        con.execute("detach restricted")
        con.execute("checkpoint")
    # Read-only on disk, like the published warehouse: readers open it, only a publish replaces it.
    staging.chmod(0o444)
    staging.replace(target)
    return BiFace(target, threshold, rows, missing, reason_source(sources))


def _describe(con: duckdb.DuckDBPyConnection, table: str, description: str, columns: dict[str, str]) -> None:
    actual = [row[0] for row in con.execute(f"describe {SCHEMA}.{table}").fetchall()]
    undocumented = [name for name in actual if name not in columns]
    if undocumented:
        raise ValueError(f"{SCHEMA}.{table} has columns without a description: {undocumented}")
    con.execute(f"comment on table {SCHEMA}.{table} is {_quote(description)}")
    for name in actual:
        con.execute(f"comment on column {SCHEMA}.{table}.{name} is {_quote(columns[name])}")
