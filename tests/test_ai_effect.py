"""The AI effect (marts.fct_ai_effect and its event study) on hand-made organisations, through the
real ingest and the real dbt build.

One team, six engineers, fourteen ISO weeks W0 (2 March 2026) to W13 (1 June 2026). W0 and W13 are
the data's first and last weeks, no one's baseline. Everyone merges every pull request the week it
opens; each takes 12 hours from first commit to merge.

- Levels: a1 and n1 merge 4 pull requests a week, a2 and n2 8, a3 and n3 4.
- a1, a2 and a3 adopt AI in W6, W7 and W8 (about 62,000 tokens every week from then on, none
  before); n1, n2 and n3 never use it.
- W7 is a holiday: everyone merges half their usual number, a3 (not yet adopted) and the never-
  adopters alike.
- Planted effect: from adoption on, an adopter merges 1.5 times their level (a1: 6 a week, 3 in the
  holiday week) and each pull request takes 8 hours instead of 12.

By hand: every untreated week is level x shock exactly (shock 1, and 0.5 in W7), so each adopter's
counterfactual is their level x that week's shock and every post-adoption week is 1.5 times it. The
effect is +50% on merged pull requests and 8 / 12 - 1 = -1/3 on the median cycle hours, in every
bootstrap replicate, so the interval is [0.5, 0.5]. Behind it: 3 adopters, 3 comparison engineers,
7 + 6 + 5 = 18 post-adoption weeks (W6-W12, W7-W12, W8-W12). A before-and-after reading would
mistake the holiday for a loss: a1's post-adoption weeks average (6 + 3 + 5 x 6) / 7 = 5.57 against
4 before, +39%, not +50%.

The second organisation is the same without the effect, and with an inflating team instead: from
the same weeks, a1, a2 and a3 spend 1.5 million tokens a week and merge what they always did. Tokens
rising while output stays flat must not read as a positive effect.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.build import run_dbt
from orchestration.landing import ingest

FIRST_MONDAY = dt.date(2026, 3, 2)
WEEKS = 14
HOLIDAY_WEEK = 7
LEVELS = {"a1": 4, "a2": 8, "a3": 4, "n1": 4, "n2": 8, "n3": 4}
ADOPTION_WEEK = {"a1": 6, "a2": 7, "a3": 8}
#: Enough engineers for a number from a team this small; the default asks for five on each side.
VARS = {"airoi_effect_min_adopters": 3, "airoi_effect_min_comparison_engineers": 3}


def monday(week: int) -> dt.date:
    return FIRST_MONDAY + dt.timedelta(weeks=week)


def at(week: int, day: int, hour: float) -> str:
    moment = dt.datetime.combine(monday(week), dt.time()) + dt.timedelta(days=day, hours=hour)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def landing_rows(effect: float, tokens_per_event: int) -> dict[str, list[dict[str, Any]]]:
    """The organisation: `effect` multiplies adopters' pull requests after adoption (and divides
    their cycle time); each adopter sends two requests of `tokens_per_event` input tokens a week
    from adoption on."""
    people = [
        {"employee_id": name, "email": f"{name}@example.com", "team_id": "t1", "hired_on": "2025-01-01"}
        for name in LEVELS
    ]
    identities = [
        {"source_system": "github", "account_id": f"{name}-gh", "employee_id": name} for name in LEVELS
    ]
    pull_requests, commits, events = [], [], []
    for name, level in LEVELS.items():
        adoption = ADOPTION_WEEK.get(name, WEEKS)
        for week in range(WEEKS):
            adopted = week >= adoption
            count = level * (1 + effect if adopted else 1) * (0.5 if week == HOLIDAY_WEEK else 1)
            assert count == int(count)
            cycle_hours = 12 / (1 + effect) if adopted else 12
            for number in range(int(count)):
                pr_number = len(pull_requests) + 1
                opened = 9 + 3 * number  # Tuesday 09:00, then every three hours
                pull_requests.append(
                    {
                        "repo": "acme/app",
                        "pr_number": pr_number,
                        "author_login": f"{name}-gh",
                        "created_at": at(week, 1, opened),
                        "first_commit_at": at(week, 1, opened),
                        "merged_at": at(week, 1, opened + cycle_hours),
                    }
                )
                commits.append(
                    {
                        "repo": "acme/app",
                        "sha": f"c{pr_number}",
                        "author_email": f"{name}@example.com",
                        "authored_at": at(week, 1, opened),
                        "message": f"Change {pr_number}",
                        "pr_number": pr_number,
                    }
                )
            if adopted:
                for day in (1, 3):
                    events.append(
                        {
                            "event_id": f"{name}-{week}-{day}",
                            "occurred_at": at(week, day, 10),
                            "source_tool": "claude_code",
                            "actor_id": f"{name}@example.com",
                            "model": "claude-sonnet-4-5",
                            "input_tokens": tokens_per_event,
                            "output_tokens": 1000,
                            "cost_usd": round(tokens_per_event * 3e-6, 6),
                        }
                    )
    return {
        "teams": [{"team_id": "t1", "team_name": "Platform"}],
        "people": people,
        "repositories": [{"repo": "acme/app", "team_id": "t1"}],
        "services": [{"service": "app-svc", "team_id": "t1"}],
        "identities": identities,
        "pull_requests": pull_requests,
        "commits": commits,
        "pr_reviews": [
            {
                "repo": "acme/app",
                "pr_number": 1,
                "review_id": "r1",
                "reviewer_login": "n2-gh",
                "state": "APPROVED",
                "submitted_at": at(0, 1, 10),
            }
        ],
        "deployments": [
            {
                "repo": "acme/app",
                "deployment_id": "d1",
                "sha": "x1",
                "environment": "production",
                "status": "success",
                "started_at": at(1, 2, 12),
            }
        ],
        "incidents": [
            {
                "incident_id": "i1",
                "service": "app-svc",
                "created_at": at(2, 2, 10),
                "resolved_at": at(2, 2, 12),
                "responder_email": "n1@example.com",
            }
        ],
        "ai_usage_events": events,
    }


JSONL_TABLES = {"commits", "ai_usage_events", "incidents", "identities", "pr_reviews"}


def build(root: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
    landing = root / "landing"
    for table, table_rows in rows.items():
        folder = landing / table
        folder.mkdir(parents=True)
        if table in JSONL_TABLES:
            (folder / "part-0.jsonl").write_text("".join(json.dumps(row) + "\n" for row in table_rows))
            continue
        with (folder / "part-0.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(
                handle, fieldnames=list(dict.fromkeys(k for row in table_rows for k in row))
            )
            writer.writeheader()
            writer.writerows(table_rows)
    path = root / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        report = ingest(con, landing)
    assert report.total_quarantined == 0, report.render()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIROI_DUCKDB_MEMORY_LIMIT", "1GB")
        result = run_dbt(
            [
                "build",
                "--select",
                "+fct_ai_effect +fct_ai_effect_event_study",
                "--indirect-selection",
                "buildable",
                "--exclude",
                "test_type:unit",
                "--vars",
                json.dumps(VARS),
            ],
            path,
            target_path=root / "target",
            quiet=True,
        )
    assert result.ok, "dbt build failed:\n" + "\n".join(failure.render() for failure in result.failures)
    return path


def rows(path: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(path), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build(tmp_path_factory.mktemp("planted"), landing_rows(effect=0.5, tokens_per_event=30_000))


@pytest.fixture(scope="module")
def inflated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build(tmp_path_factory.mktemp("inflated"), landing_rows(effect=0.0, tokens_per_event=750_000))


def test_planted_effect_is_found_and_the_holiday_is_not_mistaken_for_one(planted: Path) -> None:
    effects = {
        row["outcome"]: row
        for row in rows(planted, "select * from marts.fct_ai_effect where scope = 'organisation'")
    }
    prs = effects["prs_merged_per_week"]
    assert prs["is_reportable"]
    assert prs["effect_relative"] == pytest.approx(0.5, abs=1e-9)
    assert (prs["ci_low"], prs["ci_high"]) == (pytest.approx(0.5, abs=1e-9), pytest.approx(0.5, abs=1e-9))
    assert (prs["adopters"], prs["comparison_engineers"], prs["adopter_weeks"]) == (3, 3, 18)
    # Comparison weeks: n1, n2 and n3 in the weeks with an adopter-week, W6-W12 (the adopters' own
    # weeks before adoption fit their levels but are not counted as comparison).
    assert prs["comparison_weeks"] == 3 * 7
    cycle = effects["median_pr_cycle_hours"]
    assert cycle["effect_relative"] == pytest.approx(8 / 12 - 1, abs=1e-9)
    # The team is the organisation here: the same answer.
    team = rows(
        planted,
        "select * from marts.fct_ai_effect where scope = 't1' and outcome = 'prs_merged_per_week'",
    )[0]
    assert team["effect_relative"] == pytest.approx(0.5, abs=1e-9)


def test_event_study_is_flat_before_adoption_and_planted_after(planted: Path) -> None:
    study = {
        row["relative_week"]: row
        for row in rows(
            planted,
            "select * from marts.fct_ai_effect_event_study "
            "where scope = 'organisation' and outcome = 'prs_merged_per_week'",
        )
    }
    assert sorted(study) == list(range(-4, 9))
    # Weeks -4 to -1 are predicted from each adopter's earlier weeks (a1: W1; a2: W1-W2; a3: W1-W3),
    # the holiday included for a3 (its week -1 is W7): no effect before adoption.
    for week in range(-4, 0):
        assert study[week]["effect_relative"] == pytest.approx(0.0, abs=1e-9), week
        assert study[week]["adopters"] == 3
    # After: +50% in every week with the three adopters (weeks 0-4); week 5 has a1 and a2 only, week
    # 6 a1 only, and weeks 7-8 none: too few to report.
    for week in range(5):
        assert study[week]["effect_relative"] == pytest.approx(0.5, abs=1e-9), week
    assert [study[week]["adopters"] for week in range(5, 9)] == [2, 1, 0, 0]
    assert not any(study[week]["is_reportable"] for week in range(5, 9))
    assert all(study[week]["effect_relative"] is None for week in range(5, 9))


def test_inflated_usage_is_not_a_positive_effect(inflated: Path) -> None:
    prs = rows(
        inflated,
        "select * from marts.fct_ai_effect where scope = 'organisation' and outcome = 'prs_merged_per_week'",
    )[0]
    # Either the flags keep the inflated weeks from counting as adoption (no adopters, no number), or
    # the adopters' output is exactly what it was: an effect of zero.
    if prs["is_reportable"]:
        assert prs["effect_relative"] == pytest.approx(0.0, abs=1e-9)
        assert prs["ci_high"] == pytest.approx(0.0, abs=1e-9)
    else:
        assert prs["effect_relative"] is None
