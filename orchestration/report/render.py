"""Write the report from the BI face (`warehouse.bi.duckdb`), never from the restricted warehouse.

Reading only the BI face is what keeps the report team-level: it cannot show a figure that the face
withholds, and it has no per-person rows to rank. Teams appear in alphabetical order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import duckdb

from orchestration.bi.face import SCHEMA, bi_path
from orchestration.published import connect_published
from orchestration.report import svg

COHORTS = [("none", "#c5cbd3"), ("light", "#9cc3e4"), ("moderate", "#3b6ea8"), ("heavy", "#1d3f66")]
OUTCOME_LABELS = {
    "prs_merged_per_week": "PRs merged per week",
    "median_pr_cycle_hours": "PR cycle time",
    "reviews_given_per_week": "Reviews given per week",
    "median_incident_resolve_hours": "Incident resolve time",
}
DORA = [
    ("deployments", "Deployments", "number"),
    ("change_failure_rate", "Change failure rate", "share"),
    ("median_lead_time_hours", "Lead time", "hours"),
    ("median_time_to_restore_hours", "Time to restore", "hours"),
]

STYLE = """
body { font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 24px 32px;
       color: #1f2933; background: #fff; max-width: 1400px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 4px; }
h3 { font-size: 14px; margin: 8px 0 2px; } p.lead { color: #52606d; margin: 0 0 6px; }
.meta { color: #52606d; font-size: 13px; } .grid { display: flex; flex-wrap: wrap; gap: 10px 18px; }
.panel { border: 1px solid #e4e7eb; border-radius: 6px; padding: 6px 8px; }
.row { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.tick { font-size: 10px; fill: #616e7c; } .label { font-size: 12px; fill: #1f2933; }
.note { font-size: 11px; fill: #7b8794; color: #7b8794; } .value { font-size: 11px; fill: #1f2933; }
.legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
.missing { background: #fff8e6; border: 1px solid #f0d58c; padding: 8px 12px; border-radius: 6px; }
table.dora { border-collapse: collapse; font-size: 13px; }
table.dora td, table.dora th { padding: 2px 10px; border-bottom: 1px solid #eef0f2; text-align: left; }
.legend i.hatched { background: repeating-linear-gradient(45deg, #c5cbd3 0 3px, #fff 3px 6px); }
.withheld { color: #7b8794; font-style: italic; }
footer { margin-top: 32px; color: #52606d; font-size: 12px; border-top: 1px solid #e4e7eb; padding-top: 8px; }
"""


def report_path(warehouse: Path) -> Path:
    """`data/warehouse.duckdb` -> `data/warehouse.report.html`."""
    return warehouse.with_name(f"{warehouse.stem}.report.html")


@dataclass
class ReportResult:
    path: Path
    charts: int
    missing: list[str]


class Face:
    """Read access to the BI face's tables, as lists of dicts."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.tables = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?", [SCHEMA]
            ).fetchall()
        }
        self.about = dict(con.execute(f"select item, value from {SCHEMA}.about").fetchall())

    def rows(self, table: str, order: str) -> list[dict[str, Any]]:
        if table not in self.tables:
            return []
        relation = self.con.execute(f"select * from {SCHEMA}.{table} order by {order}")
        names = [column[0] for column in relation.description]
        return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _legend(items: list[tuple[str, str]]) -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><i style="background:{colour}"></i>{escape(label)}</span>' for label, colour in items
        )
        + '<span><i class="hatched"></i>withheld (too few engineers)</span>'
        + "</div>"
    )


def _missing(what: str, why: str) -> str:
    return f'<p class="missing" data-missing="{escape(what)}">{escape(why)}</p>'


def _spend_vs_outcomes(face: Face, weeks: list[date], threshold: int) -> str:
    by_team: dict[str, dict[date, dict[str, Any]]] = defaultdict(dict)
    for row in face.rows("team_weekly", "team_name, week_start"):
        by_team[row["team_name"] or row["team_id"]][row["week_start"]] = row
    panels = []
    for team in sorted(by_team):
        cells = [by_team[team].get(week) for week in weeks]
        cost = [_float(cell["ai_cost_usd"]) if cell else None for cell in cells]
        prs = [_float(cell["prs_merged"]) if cell else None for cell in cells]
        chart = svg.bars_and_line(
            weeks,
            cost,
            prs,
            group=team,
            bar_series="ai_cost_usd",
            line_series="prs_merged",
            bar_kind="usd",
            line_kind="number",
        )
        withheld = sum(cell is None or cell["is_suppressed"] for cell in cells)
        note = f" · {withheld} weeks withheld (fewer than {threshold} engineers)" if withheld else ""
        panels.append(
            f'<div class="panel"><h3>{escape(team)}</h3>{chart}<div class="note">{note}</div></div>'
        )
    return (
        '<h2 id="spend">AI spend against outcomes, per team</h2>'
        '<p class="lead">Bars: AI spend per week (left axis, US dollars). Line: pull requests merged that '
        "week (right axis). Spend that rises while merged work stays flat is the question to ask.</p>"
        + _legend([("AI spend", svg.PALETTE[0]), ("PRs merged", svg.PALETTE[1])])
        + f'<div class="grid">{"".join(panels)}</div>'
    )


def _adjusted_demand(face: Face, weeks: list[date], threshold: int) -> str:
    rows = {row["week_start"]: row for row in face.rows("adjusted_demand_weekly", "week_start")}
    if not rows:
        return "<h2>Adjusted demand</h2>" + _missing(
            "adjusted_demand", "No consumption flags in this warehouse."
        )
    cells = [rows.get(week) for week in weeks]
    adjusted = [_float(cell["adjusted_cost_usd"]) if cell else None for cell in cells]
    flagged = [_float(cell["flagged_cost_usd"]) if cell else None for cell in cells]
    share = [_float(cell["flagged_cost_share"]) if cell else None for cell in cells]
    weekly = svg.stacked_weekly(
        weeks,
        [("adjusted_cost_usd", svg.ADJUSTED, adjusted), ("flagged_cost_usd", svg.FLAGGED, flagged)],
        kind="usd",
        group="organisation",
        line=("flagged_cost_share", share, "share"),
    )
    teams = face.rows("adjusted_demand_by_team", "team_name")
    team_rows = [
        (
            row["team_name"] or row["team_id"],
            _float(row["flagged_cost_share"]),
            f"withheld: fewer than {threshold} "
            + ("engineers" if row["engineers_with_usage"] is None else "engineers flagged"),
        )
        for row in teams
    ]
    by_team = svg.horizontal_bars(team_rows, series="flagged_cost_share_by_team", kind="share")
    departments = [
        (
            row["department"],
            _float(row["flagged_cost_share"]),
            f"withheld: fewer than {threshold} "
            + ("engineers" if row["engineers_with_usage"] is None else "engineers flagged"),
        )
        for row in face.rows("adjusted_demand_by_department", "department")
    ]
    by_department = (
        '<div class="panel"><h3>Flagged share of spend per department, all weeks</h3>'
        + svg.horizontal_bars(departments, series="flagged_cost_share_by_department", kind="share")
        + "</div>"
        if departments
        else ""
    )
    total = sum(value for value in flagged if value is not None)
    spend = sum((value or 0) for value in adjusted) + total
    headline = (
        f"{svg.fmt(total / spend, 'share')} of the AI spend of the weeks shown sits in flagged weeks "
        f"({svg.fmt(total, 'usd')} of {svg.fmt(spend, 'usd')})."
        if spend
        else ""
    )
    return (
        '<h2 id="demand">Adjusted demand: how much of the AI spend buys work</h2>'
        f'<p class="lead">{escape(headline)} A week is flagged when its consumption looks inflated '
        "(see the reasons below); adjusted demand is what is left without those weeks.</p>"
        '<div class="row"><div class="panel"><h3>Organisation, per week</h3>'
        + _legend(
            [
                ("adjusted spend", svg.ADJUSTED),
                ("spend in flagged weeks", svg.FLAGGED),
                ("flagged share", "#222"),
            ]
        )
        + weekly
        + '</div><div class="panel"><h3>Flagged share of spend per team, all weeks</h3>'
        + by_team
        + f'<div class="note">Withheld where fewer than {threshold} engineers were flagged or used AI.</div>'
        "</div>" + by_department + "</div>"
    )


def _adoption(face: Face, weeks: list[date], threshold: int) -> str:
    rows = face.rows("adoption_weekly", "week_start, adoption_cohort")
    cells = {(row["week_start"], row["adoption_cohort"]): row for row in rows}
    layers = []
    for cohort, colour in COHORTS:
        values = []
        for week in weeks:
            cell = cells.get((week, cohort))
            values.append(0.0 if cell is None else _float(cell["engineers"]))
        layers.append((cohort, colour, values))
    engineers = svg.stacked_weekly(weeks, layers, kind="number", group="adoption_cohorts")
    per_engineer = []
    for cohort, _ in COHORTS:
        shown = [row for row in rows if row["adoption_cohort"] == cohort and not row["is_suppressed"]]
        prs = sum(row["prs_merged"] for row in shown)
        engineer_weeks = sum(row["engineers"] for row in shown)
        per_engineer.append(
            (
                f"{cohort} ({engineer_weeks:,} engineer-weeks)",
                prs / engineer_weeks if engineer_weeks else None,
                f"withheld: fewer than {threshold} engineers",
            )
        )
    prs_chart = svg.horizontal_bars(per_engineer, series="prs_merged_per_engineer_week", kind="number")
    html = (
        '<h2 id="adoption">Adoption cohorts and the effect of adopting AI</h2>'
        '<p class="lead">Each week, engineers fall in a cohort by the AI tokens they used that week. '
        "Raw differences between cohorts are not the effect of AI (heavier users may differ anyway); the "
        "difference-in-differences estimate below compares adopters with themselves before adopting and "
        "with engineers who had not adopted yet.</p>"
        '<div class="row"><div class="panel"><h3>Engineers per cohort, per week</h3>'
        + _legend([(cohort, colour) for cohort, colour in COHORTS])
        + engineers
        + '</div><div class="panel"><h3>PRs merged per engineer-week, by cohort</h3>'
        + prs_chart
        + "</div></div>"
    )
    return html + _effect(face, threshold)


def _effect(face: Face, threshold: int) -> str:
    if "ai_effect" not in face.tables:
        why = face.about.get("missing:ai_effect", "the warehouse has no marts.fct_ai_effect")
        return _missing(
            "ai_effect",
            f"The difference-in-differences estimate is not available in this warehouse ({why}).",
        )
    rows = face.rows("ai_effect", "scope, outcome, estimator")
    organisation = [row for row in rows if row["scope"] == "organisation"]
    chart_rows = []
    for row in organisation:
        label = f"{OUTCOME_LABELS.get(row['outcome'], row['outcome'])} ({row['estimator']})"
        if row["is_reportable"]:
            note = f"{row['adopters']} adopters vs {row['comparison_engineers']} comparison engineers"
            chart_rows.append(
                (label, _float(row["effect_relative"]), _float(row["ci_low"]), _float(row["ci_high"]), note)
            )
        else:
            note = row["suppressed_because"] or "too few data to say anything"
            chart_rows.append((label, None, None, None, note))
    html = (
        '<div class="row"><div class="panel"><h3>Effect of adopting AI, organisation (95% interval)</h3>'
        + (svg.interval_chart(chart_rows, series="ai_effect") if chart_rows else "")
        + f'<div class="note">Estimates behind fewer than {threshold} adopters or comparison engineers '
        "are withheld.</div></div>"
    )
    study = face.rows("ai_effect_event_study", "scope, outcome, estimator, relative_week")
    outcomes = [row["outcome"] for row in study if row["scope"] == "organisation"]
    outcome = "prs_merged_per_week" if "prs_merged_per_week" in outcomes else next(iter(outcomes), None)
    if outcome:
        points = [
            (
                row["relative_week"],
                _float(row["effect_relative"]),
                _float(row["ci_low"]),
                _float(row["ci_high"]),
            )
            for row in study
            if row["scope"] == "organisation"
            and row["outcome"] == outcome
            and row["estimator"] == next(r["estimator"] for r in study if r["outcome"] == outcome)
        ]
        html += (
            f'<div class="panel"><h3>{escape(OUTCOME_LABELS.get(outcome, outcome))}: effect by week since '
            "adoption</h3>"
            + svg.event_study(points, series=f"event_study_{outcome}")
            + '<div class="note">Weeks before 0 should sit near zero: adopters did not differ before.'
            + "</div></div>"
        )
    elif "ai_effect_event_study" not in face.tables:
        html += _missing(
            "ai_effect_event_study", "The week-by-week effect is not available in this warehouse."
        )
    return html + "</div>"


def _dora(face: Face, weeks: list[date], threshold: int) -> str:
    by_team: dict[str, dict[date, dict[str, Any]]] = defaultdict(dict)
    for row in face.rows("team_weekly", "team_name, week_start"):
        by_team[row["team_name"] or row["team_id"]][row["week_start"]] = row
    lines = ["<tr><th>team</th>" + "".join(f"<th>{escape(label)}</th>" for _, label, _ in DORA) + "</tr>"]
    for team in sorted(by_team):
        cells = [by_team[team].get(week) for week in weeks]
        if all(cell is None or cell["is_suppressed"] for cell in cells):
            lines.append(
                f'<tr><td>{escape(team)}</td><td colspan="{len(DORA)}" class="withheld" '
                'data-suppressed="true">'
                f"withheld: fewer than {threshold} engineers</td></tr>"
            )
            continue
        sparks = "".join(
            "<td>"
            + svg.sparkline(
                weeks,
                [_float(cell[column]) if cell else None for cell in cells],
                series=column,
                group=team,
                kind=kind,
            )
            + "</td>"
            for column, _, kind in DORA
        )
        lines.append(f"<tr><td>{escape(team)}</td>{sparks}</tr>")
    return (
        '<h2 id="dora">DORA per team</h2>'
        '<p class="lead">Per week, for the repositories and services each team owns: production '
        "deployments, the share that failed or caused an incident, median hours from first commit to "
        "production, median hours to restore service. The figure beside each line is the latest week's.</p>"
        f'<table class="dora">{"".join(lines)}</table>'
    )


def _cost_per_pr(face: Face, threshold: int) -> str:
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    names: set[str] = set()
    for row in face.rows("team_weekly", "team_name, week_start"):
        team = row["team_name"] or row["team_id"]
        names.add(team)
        if not row["is_suppressed"]:
            totals[team][0] += float(row["ai_cost_usd"])
            totals[team][1] += float(row["prs_merged"])
    rows = []
    for team in sorted(names):
        if team not in totals:
            rows.append((team, None, f"withheld: fewer than {threshold} engineers"))
            continue
        cost, prs = totals[team]
        rows.append((team, cost / prs if prs else None, "no merged PRs"))
    cost = sum(value[0] for value in totals.values())
    prs = sum(value[1] for value in totals.values())
    if prs:
        rows.append(("All teams shown", cost / prs, ""))
    return (
        '<h2 id="cost">AI cost per merged pull request</h2>'
        '<p class="lead">AI spend divided by pull requests merged, over all weeks shown: what a merged '
        "change costs in AI. Weeks withheld for a team are left out of both.</p>"
        f'<div class="panel">{svg.horizontal_bars(rows, series="cost_per_merged_pr", kind="usd")}</div>'
    )


def _flag_reasons(face: Face, threshold: int) -> str:
    rows = face.rows("flag_reasons", "label")
    if not rows:
        return "<h2>Why weeks were flagged</h2>" + _missing("flag_reasons", "No consumption flags here.")
    bars = [
        (
            row["label"],
            _float(row["flagged_weeks"]),
            f"withheld: fewer than {threshold} engineers",
        )
        for row in rows
    ]
    source = face.about.get("flag_reasons_from", "")
    note = (
        "This warehouse's flags carry no breakdown by reason: only the count of flagged weeks is shown."
        if source == "none"
        else "A week can show more than one reason."
    )
    return (
        '<h2 id="reasons">Why weeks were flagged</h2>'
        '<p class="lead">Flagged engineer-weeks per reason, over all weeks of the data. Counts only: '
        f"who was flagged is not in this report. {escape(note)}</p>"
        '<div class="panel">'
        + svg.horizontal_bars(bars, series="flag_reasons", kind="number", width=620, label_width=330)
        + "</div>"
    )


def render(face: Face) -> tuple[str, int]:
    threshold = int(face.about["min_engineers"])
    weeks = [
        row[0]
        for row in face.con.execute(
            f"select distinct week_start from {SCHEMA}.team_weekly order by 1"
        ).fetchall()
    ]
    sections = [
        _spend_vs_outcomes(face, weeks, threshold),
        _adjusted_demand(face, weeks, threshold),
        _adoption(face, weeks, threshold),
        _dora(face, weeks, threshold),
        _cost_per_pr(face, threshold),
        _flag_reasons(face, threshold),
    ]
    period = f"{weeks[0]:%d %b %Y} to the week of {weeks[-1]:%d %b %Y}" if weeks else "no weeks"
    body = "".join(sections)
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Is our AI spend producing outcomes?</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>Is our AI spend producing outcomes?</h1>"
        f'<p class="meta">Weeks {escape(period)} (weeks start on Monday, UTC). Published '
        f"{escape(face.about.get('published_at', ''))}. Team-level figures only: a figure behind fewer than "
        f"{threshold} engineers is withheld and drawn hatched, never as a zero.</p>"
        f'<p class="meta">Newest landed data file: {escape(face.about.get("latest_landed_at") or "unknown")} '
        "(UTC). When that is days old, the figures are too.</p>"
        f"{body}"
        "<footer>Drawn from the BI face of the warehouse (schema <code>bi</code>): teams and groups, no "
        "individuals and no ranking of people. Individual consumption flags are kept in the restricted "
        "warehouse for the people allowed to act on them.</footer>"
        "</body></html>"
    )
    return html, body.count('<svg class="chart"') + body.count('class="dora"')


def write_report(warehouse: Path, out: Path | None = None) -> ReportResult:
    """Write the report of the BI face published beside `warehouse` (see orchestration.bi)."""
    source = bi_path(warehouse)
    if not source.exists():
        raise FileNotFoundError(f"{source} does not exist: publish the BI face first (airoi build or report)")
    target = out or report_path(warehouse)
    # Attached afresh: a process that holds a connection to the BI face would otherwise be handed
    # the file it opened first, not the one publish has just swapped in.
    with connect_published(source) as con:
        face = Face(con)
        html, charts = render(face)
        missing = sorted(name.removeprefix("missing:") for name in face.about if name.startswith("missing:"))
    staging = target.with_name(f".{target.name}.writing")
    staging.write_text(html, encoding="utf-8")
    staging.replace(target)
    return ReportResult(target, charts, missing)
