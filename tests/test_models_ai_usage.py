"""dbt integration tests of the AI-usage and identity models, on a hand-made landing zone.

One small organisation is landed, ingested with the real ingest and built with the real `dbt build`
three times, each time after a new landing:

1. the first landing: Ada (matched by her email), Grace (matched through the identity map), an API
   key nobody mapped, a bot, and an org price for sonnet that starts mid-week;
2. a replay of one of Ada's events with corrected tokens and a late event from the previous week;
3. an identity mapping for the API key and an org price for gpt-5, both landing after the events.

A copy of the warehouse is kept after each build, and every expected figure is worked out by hand
in the comments next to it, from these prices (USD per million tokens; blank where no event
here has such tokens):

    model              price                  input  cached  cache write  output
    claude-sonnet-4-5  list (seed)            3      0.30    3.75         15
    claude-sonnet-4-5  org, from Wed 03-04    2      0.20    2.50         10
    gpt-5              list (seed)            1.25                        10
    gpt-5              org, from 03-01        1.00                        8   (third landing)
    gpt-5-mini         list (seed)            0.25                        2
"""

from __future__ import annotations

import csv
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
from orchestration.settings import PROJECT_DIR, quiet_environment

#: The models under test and everything they read, with only the tests all of whose models are
#: built (`cautious`): the delivery marts are left out on purpose, and they test against dim_engineers.
SELECT = [
    "--indirect-selection",
    "cautious",
    "--select",
    "+fct_ai_usage_daily",
    "+fct_ai_sessions",
    "+mart_unmatched_accounts",
    "+dim_teams",
]

SONNET = "claude-sonnet-4-5"

# Ada's two big sonnet requests carry the same tokens; only the price of their UTC day differs.
BIG_REQUEST = {
    "model": SONNET,
    "request_kind": "agent",
    "input_tokens": 1_000_000,
    "cached_input_tokens": 2_000_000,
    "cache_write_tokens": 400_000,
    "output_tokens": 100_000,
}

FIRST_EVENTS: list[dict[str, Any]] = [
    # Tuesday 2026-03-03 in UTC: list price.
    {
        "event_id": "a1",
        "occurred_at": "2026-03-03T15:00:00Z",
        "source_tool": "claude_code",
        "actor_id": "Ada@Example.com",
        "session_id": "s-ada-1",
        **BIG_REQUEST,
    },
    # Tuesday evening in California is Wednesday 04:00 in UTC: the org price applies.
    {
        "event_id": "a2",
        "occurred_at": "2026-03-03T20:00:00-08:00",
        "source_tool": "claude_code",
        "actor_id": "Ada@Example.com",
        "session_id": "s-ada-2",
        **BIG_REQUEST,
    },
    # A billed cost is taken as it is.
    {
        "event_id": "a3",
        "occurred_at": "2026-03-04T09:00:00Z",
        "source_tool": "claude_code",
        "actor_id": "ada@example.com",
        "session_id": "s-ada-2",
        "model": SONNET,
        "request_kind": "chat",
        "input_tokens": 500,
        "output_tokens": 50,
        "cost_usd": "0.25",
    },
    # Grace's Cursor user id is in the identity map (as u-77).
    {
        "event_id": "g1",
        "occurred_at": "2026-03-04T10:00:00Z",
        "source_tool": "cursor",
        "actor_id": "U-77",
        "model": "gpt-5",
        "request_kind": "tab",
        "input_tokens": 1_000_000,
        "output_tokens": 200_000,
        "lines_suggested": 20,
        "lines_accepted": 5,
    },
    # An API key nobody mapped.
    {
        "event_id": "k1",
        "occurred_at": "2026-03-04T11:00:00Z",
        "source_tool": "openai_api",
        "actor_id": "ci-pipeline-key",
        "model": "gpt-5-mini",
        "input_tokens": 1_000_000,
        "output_tokens": 0,
    },
    # A bot.
    {
        "event_id": "b1",
        "occurred_at": "2026-03-04T12:00:00Z",
        "source_tool": "copilot",
        "actor_id": "dependabot[bot]",
        "model": "gpt-4.1",
        "input_tokens": 1_000,
        "output_tokens": 10,
    },
]

SECOND_EVENTS: list[dict[str, Any]] = [
    # The vendor re-exported a1 with the output tokens corrected from 100k to 200k.
    {
        "event_id": "a1",
        "occurred_at": "2026-03-03T15:00:00Z",
        "source_tool": "claude_code",
        "actor_id": "Ada@Example.com",
        "session_id": "s-ada-1",
        **{**BIG_REQUEST, "output_tokens": 200_000},
    },
    # A late event from Friday of the week before.
    {
        "event_id": "a0",
        "occurred_at": "2026-02-27T12:00:00Z",
        "source_tool": "claude_code",
        "actor_id": "ada@example.com",
        "model": SONNET,
        "input_tokens": 100_000,
        "output_tokens": 0,
    },
]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def land_first(landing: Path) -> None:
    write_csv(
        landing / "teams" / "teams.csv",
        [
            {"team_id": "t1", "team_name": "Payments", "department": "Engineering"},
            {"team_id": "t2", "team_name": "Platform", "department": "Engineering"},
        ],
    )
    write_csv(
        landing / "people" / "people.csv",
        [
            {"employee_id": "e1", "email": "ada@example.com", "full_name": "Ada", "team_id": "t1"},
            {"employee_id": "e2", "email": "grace@example.com", "full_name": "Grace", "team_id": "t1"},
            {"employee_id": "e3", "email": "linus@example.com", "full_name": "Linus", "team_id": "t2"},
        ],
    )
    write_csv(
        landing / "identities" / "identities.csv",
        [
            {"source_system": "cursor", "account_id": "u-77", "employee_id": "e2"},
            {"source_system": "github", "account_id": "adal", "employee_id": "e1"},
        ],
    )
    write_csv(
        landing / "model_prices" / "sonnet.csv",
        [
            {
                "model": SONNET,
                "effective_from": "2026-03-04",
                "input_usd_per_mtok": "2",
                "cached_input_usd_per_mtok": "0.2",
                "cache_write_usd_per_mtok": "2.5",
                "output_usd_per_mtok": "10",
            },
        ],
    )
    write_csv(
        landing / "pull_requests" / "pulls.csv",
        [
            {
                "repo": "acme/pay",
                "pr_number": 1,
                "author_login": "AdaL",
                "created_at": "2026-03-02T09:00:00Z",
                "merged_at": "2026-03-04T09:00:00Z",
            },
            {
                "repo": "acme/pay",
                "pr_number": 2,
                "author_login": "mystery-dev",
                "created_at": "2026-03-03T09:00:00Z",
            },
        ],
    )
    write_jsonl(landing / "ai_usage_events" / "date=2026-03-04" / "part-0.jsonl", FIRST_EVENTS)


def land_second(landing: Path) -> None:
    write_jsonl(landing / "ai_usage_events" / "replays" / "part-1.jsonl", SECOND_EVENTS)


def land_third(landing: Path) -> None:
    write_csv(
        landing / "identities" / "api_keys.csv",
        [{"source_system": "openai_api", "account_id": "ci-pipeline-key", "employee_id": "e3"}],
    )
    write_csv(
        landing / "model_prices" / "gpt5.csv",
        [
            {
                "model": "gpt-5",
                "effective_from": "2026-03-01",
                "input_usd_per_mtok": "1",
                "cached_input_usd_per_mtok": "0.1",
                "cache_write_usd_per_mtok": "1",
                "output_usd_per_mtok": "8",
            },
        ],
    )


@dataclass
class Build:
    """A copy of the warehouse right after one build, and the invocation id of that build."""

    warehouse: Path
    invocation_id: str

    def rows(self, sql: str) -> list[dict[str, Any]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            cursor = con.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def one(self, sql: str) -> dict[str, Any]:
        rows = self.rows(sql)
        assert len(rows) == 1, f"expected one row from {sql!r}, got {rows}"
        return rows[0]


@dataclass
class Builds:
    first: Build
    second: Build
    third: Build


def ingest_and_build(landing: Path, work: Path, target: Path, snapshot: Path) -> Build:
    with duckdb.connect(str(work)) as con:
        report = ingest(con, landing)
    assert report.total_quarantined == 0, report.render()
    result: DbtResult = run_dbt(["build", *SELECT], work, target_path=target, quiet=True)
    assert result.ok, "\n".join(failure.render() for failure in result.failures)
    shutil.copyfile(work, snapshot)
    invocation_id = json.loads((target / "run_results.json").read_text())["metadata"]["invocation_id"]
    return Build(warehouse=snapshot, invocation_id=invocation_id)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    root = tmp_path_factory.mktemp("ai_usage")
    landing, work, target = root / "landing", root / "warehouse.duckdb", root / "target"
    patch = pytest.MonkeyPatch()
    patch.setenv("DBT_LOG_PATH", str(root / "logs"))
    patch.setenv("AIROI_DUCKDB_TEMP_DIR", str(root / "tmp"))
    try:
        land_first(landing)
        first = ingest_and_build(landing, work, target, root / "after_first.duckdb")
        land_second(landing)
        second = ingest_and_build(landing, work, target, root / "after_second.duckdb")
        land_third(landing)
        third = ingest_and_build(landing, work, target, root / "after_third.duckdb")
        yield Builds(first=first, second=second, third=third)
    finally:
        patch.undo()


def test_engineer_day_cost_across_a_mid_week_org_price_change(builds: Builds) -> None:
    daily = builds.first.rows(
        "select usage_date::varchar as day, cost_usd, total_tokens from marts.fct_ai_usage_daily "
        "where employee_id = 'e1' order by usage_date"
    )
    assert daily == [
        # a1 at the list price: 1M x 3 + 2M x 0.30 + 400k x 3.75 + 100k x 15 = 3 + 0.6 + 1.5 + 1.5 USD.
        {"day": "2026-03-03", "cost_usd": Decimal("6.6"), "total_tokens": 3_500_000},
        # a2 at the org price: 1M x 2 + 2M x 0.20 + 400k x 2.50 + 100k x 10 = 2 + 0.4 + 1 + 1 = 4.40,
        # plus a3's billed 0.25. Tokens: 3.5M + 550.
        {"day": "2026-03-04", "cost_usd": Decimal("4.65"), "total_tokens": 3_500_550},
    ]
    sources = builds.first.rows(
        "select event_id, cost_source, price_source from marts.fct_ai_usage_events "
        "where employee_id = 'e1' order by event_id"
    )
    assert sources == [
        {"event_id": "a1", "cost_source": "priced", "price_source": "list"},
        {"event_id": "a2", "cost_source": "priced", "price_source": "org"},
        {"event_id": "a3", "cost_source": "reported", "price_source": None},
    ]


def test_accounts_are_matched_by_identity_map_and_by_email(builds: Builds) -> None:
    accounts = builds.first.rows(
        "select source_system, account_id, employee_id, match_method from intermediate.int_accounts_resolved "
        "where source_system in ('claude_code', 'cursor', 'github') order by source_system, account_id"
    )
    assert accounts == [
        # The event's email, lower-cased by staging, is Ada's people email.
        {
            "source_system": "claude_code",
            "account_id": "ada@example.com",
            "employee_id": "e1",
            "match_method": "email",
        },
        # The map says u-77; the tool reported U-77: logins match regardless of case.
        {
            "source_system": "cursor",
            "account_id": "U-77",
            "employee_id": "e2",
            "match_method": "identity_map",
        },
        {
            "source_system": "github",
            "account_id": "AdaL",
            "employee_id": "e1",
            "match_method": "identity_map",
        },
        {
            "source_system": "github",
            "account_id": "mystery-dev",
            "employee_id": None,
            "match_method": "unmatched",
        },
    ]
    grace = builds.first.one("select * from marts.fct_ai_usage_daily where employee_id = 'e2'")
    # g1 at gpt-5's list price: 1M x 1.25 + 200k x 10 = 1.25 + 2 = 3.25 USD; 5 of 20 lines accepted.
    assert grace["cost_usd"] == Decimal("3.25")
    assert grace["acceptance_rate"] == pytest.approx(0.25)
    engineers = builds.first.rows("select employee_id, team_name, github_logins from marts.dim_engineers")
    assert {"employee_id": "e1", "team_name": "Payments", "github_logins": "AdaL"} in engineers


def test_unmatched_account_is_listed_with_its_usage(builds: Builds) -> None:
    unmatched = builds.first.rows(
        "select source_system, account_id, usage_events, total_tokens, cost_usd, pull_requests_authored "
        "from marts.mart_unmatched_accounts order by source_system, account_id"
    )
    assert unmatched == [
        {
            "source_system": "github",
            "account_id": "mystery-dev",
            "usage_events": 0,
            "total_tokens": 0,
            "cost_usd": None,
            "pull_requests_authored": 1,
        },
        # k1 at gpt-5-mini's list price: 1M x 0.25 = 0.25 USD.
        {
            "source_system": "openai_api",
            "account_id": "ci-pipeline-key",
            "usage_events": 1,
            "total_tokens": 1_000_000,
            "cost_usd": Decimal("0.25"),
            "pull_requests_authored": 0,
        },
    ]
    # Its usage is in the event fact, attributed to nobody, and in no engineer's daily row.
    key_event = builds.first.one(
        "select employee_id, cost_usd from marts.fct_ai_usage_events where event_id = 'k1'"
    )
    assert key_event == {"employee_id": None, "cost_usd": Decimal("0.25")}


def test_bot_usage_is_kept_but_counts_for_nobody(builds: Builds) -> None:
    bot = builds.first.one(
        "select employee_id, is_bot, match_method from marts.fct_ai_usage_events where event_id = 'b1'"
    )
    assert bot == {"employee_id": None, "is_bot": True, "match_method": "bot"}
    daily_tools = builds.first.rows("select distinct source_tool from marts.fct_ai_usage_daily order by 1")
    assert daily_tools == [{"source_tool": "claude_code"}, {"source_tool": "cursor"}]
    assert (
        builds.first.rows("select * from marts.mart_unmatched_accounts where source_system = 'copilot'") == []
    )


def test_second_run_takes_the_replay_and_the_late_event_only(builds: Builds) -> None:
    events = builds.second.rows(
        f"select event_id, output_tokens, cost_usd, _dbt_invocation_id = '{builds.second.invocation_id}' "
        "as rewritten from marts.fct_ai_usage_events where source_tool = 'claude_code' order by event_id"
    )
    assert events == [
        # a0, late: 100k x 3 (list, Friday 02-27) = 0.30 USD.
        {"event_id": "a0", "output_tokens": 0, "cost_usd": Decimal("0.3"), "rewritten": True},
        # a1, once, with the corrected 200k output: 6.60 + 100k x 15 = 8.10 USD.
        {"event_id": "a1", "output_tokens": 200_000, "cost_usd": Decimal("8.1"), "rewritten": True},
        {"event_id": "a2", "output_tokens": 100_000, "cost_usd": Decimal("4.4"), "rewritten": False},
        {"event_id": "a3", "output_tokens": 50, "cost_usd": Decimal("0.25"), "rewritten": False},
    ]
    # Only the two rows of the second load were processed; the rest still carry the first run's id.
    second, first = builds.second.invocation_id, builds.first.invocation_id
    processed = builds.second.one(
        f"select count(*) filter (where _dbt_invocation_id = '{second}') as new, "
        f"count(*) filter (where _dbt_invocation_id = '{first}') as old, "
        f"count(distinct _load_id) filter (where _dbt_invocation_id = '{second}') as new_loads, "
        f"max(_load_id) filter (where _dbt_invocation_id = '{second}') "
        f"> max(_load_id) filter (where _dbt_invocation_id = '{first}') as newer_load "
        "from marts.fct_ai_usage_events"
    )
    # a2, a3, g1, k1 and b1 were left alone.
    assert processed == {"new": 2, "old": 5, "new_loads": 1, "newer_load": True}
    weeks = builds.second.rows(
        "select week_start::varchar as week, sum(cost_usd) as cost from marts.fct_ai_usage_daily "
        "where employee_id = 'e1' group by week_start order by week_start"
    )
    # The late event lands in its own ISO week; this week is 8.10 + 4.40 + 0.25.
    assert weeks == [
        {"week": "2026-02-23", "cost": Decimal("0.3")},
        {"week": "2026-03-02", "cost": Decimal("12.75")},
    ]


def test_third_run_restates_events_whose_account_or_price_changed(builds: Builds) -> None:
    rewritten = builds.third.rows(
        "select event_id, employee_id, match_method, cost_usd from marts.fct_ai_usage_events "
        f"where _dbt_invocation_id = '{builds.third.invocation_id}' order by event_id"
    )
    assert rewritten == [
        # g1 at the new org price for gpt-5: 1M x 1 + 200k x 8 = 2.60 USD (was 3.25 at list).
        {"event_id": "g1", "employee_id": "e2", "match_method": "identity_map", "cost_usd": Decimal("2.6")},
        # The API key is now mapped to Linus; its cost is unchanged.
        {"event_id": "k1", "employee_id": "e3", "match_method": "identity_map", "cost_usd": Decimal("0.25")},
    ]
    assert builds.third.rows("select account_id from marts.mart_unmatched_accounts") == [
        {"account_id": "mystery-dev"}
    ]
    linus = builds.third.one(
        "select employee_id, total_tokens from marts.fct_ai_usage_daily where employee_id = 'e3'"
    )
    assert linus == {"employee_id": "e3", "total_tokens": 1_000_000}


def semantic_project(root: Path) -> Path:
    """A project folder that links to this project's sources but has a `target/` of its own.

    `mf` reads the semantic manifest from `<project>/target/` and nowhere else, so this keeps the test
    from touching the checkout's `target/`.
    """
    project = root / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "data-tests"):
        (project / name).symlink_to(PROJECT_DIR / name)
    return project


def test_semantic_layer_answers_cost_per_merged_pr_by_week_and_team(builds: Builds, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(builds.third.warehouse, warehouse)
    project = semantic_project(tmp_path)
    env = quiet_environment()
    env.update(
        AIROI_DUCKDB_PATH=str(warehouse),
        AIROI_DUCKDB_TEMP_DIR=str(tmp_path / "tmp"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
        DBT_PROJECT_DIR=str(project),
        DBT_PROFILES_DIR=str(PROJECT_DIR),
    )
    bin_dir = Path(sys.executable).parent
    # cautious: only the tests whose models are all built here (the flags mart tests dim_engineers too)
    select = ["--indirect-selection", "cautious", "--select", "+fct_engineer_weekly", "+fct_team_weekly"]
    built = subprocess.run(
        [str(bin_dir / "dbt"), "build", "--project-dir", str(project), *select, "time_spine_daily"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:]
    answer = tmp_path / "answer.csv"
    query = [
        str(bin_dir / "mf"),
        "query",
        "--metrics",
        "cost_per_merged_pr,ai_cost_usd,prs_merged",
        "--group-by",
        "metric_time__week,team__team_name",
        "--order",
        "metric_time__week,team__team_name",
        "--csv",
        str(answer),
    ]
    asked = subprocess.run(query, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert asked.returncode == 0 and answer.exists(), asked.stdout[-3000:] + asked.stderr[-3000:]
    with answer.open(newline="") as handle:
        rows = [
            {
                "week": row["metric_time__week"][:10],
                "team": row["team__team_name"],
                "cost_per_merged_pr": Decimal(row["cost_per_merged_pr"])
                if row["cost_per_merged_pr"]
                else None,
                "ai_cost_usd": Decimal(row["ai_cost_usd"]),
                "prs_merged": int(row["prs_merged"]),
            }
            for row in csv.DictReader(handle)
        ]
    assert rows == [
        # Only Ada's late Friday event (0.30) and no merged PR: no cost per PR.
        {
            "week": "2026-02-23",
            "team": "Payments",
            "cost_per_merged_pr": None,
            "ai_cost_usd": Decimal("0.3"),
            "prs_merged": 0,
        },
        {
            "week": "2026-02-23",
            "team": "Platform",
            "cost_per_merged_pr": None,
            "ai_cost_usd": Decimal("0"),
            "prs_merged": 0,
        },
        # Ada 8.10 + 4.40 + 0.25 and Grace 2.60 (re-priced) = 15.35 USD over Ada's one merged PR.
        {
            "week": "2026-03-02",
            "team": "Payments",
            "cost_per_merged_pr": Decimal("15.35"),
            "ai_cost_usd": Decimal("15.35"),
            "prs_merged": 1,
        },
        # Linus's API key, mapped in the third landing: 0.25 USD and no PR.
        {
            "week": "2026-03-02",
            "team": "Platform",
            "cost_per_merged_pr": None,
            "ai_cost_usd": Decimal("0.25"),
            "prs_merged": 0,
        },
    ]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        published = con.execute(
            "select cost_per_merged_pr from marts.fct_team_weekly "
            "where team_id = 't1' and week_start = '2026-03-02'"
        ).fetchone()
        # Ada's own week across the price change: 8.10 (list price, before it) + 4.40 (org price, after
        # it) + 0.25 (billed) = 12.75 USD, over her one merged PR.
        ada = con.execute(
            "select ai_cost_usd, prs_merged, cost_per_merged_pr from marts.fct_engineer_weekly "
            "where employee_id = 'e1' and week_start = '2026-03-02'"
        ).fetchone()
    assert published == (Decimal("15.35"),)
    assert ada == (Decimal("12.75"), 1, Decimal("12.75"))
