"""dbt integration tests of the staging layer and the reference seeds.

Each test writes a few hand-made rows into a real raw schema, runs the real `dbt seed` and
`dbt build --select staging` against that DuckDB file, and reads back what a person can check
by eye: the cleaned values, the reference data, and that a duplicated key really fails the
composite-key test.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt.artifacts.schemas.results import TestStatus
from dbt.cli.main import dbtRunner, dbtRunnerResult

from orchestration.landing.raw import ensure_raw_schema

LANDED_AT = dt.datetime(2026, 3, 2, 12, 0)

RAW_ROWS: dict[str, list[dict[str, Any]]] = {
    "ai_usage_events": [
        {
            "event_id": " e1 ",
            "occurred_at": dt.datetime(2026, 3, 2, 9, 15),
            "source_tool": "Claude_Code ",
            "actor_id": "Ada.Lovelace@Example.COM",
            "model": "Claude-Sonnet-4-5",
            "request_kind": None,
            "input_tokens": 100,
            "cached_input_tokens": None,
            "cache_write_tokens": None,
            "output_tokens": 20,
        },
        {
            "event_id": "e2",
            "occurred_at": dt.datetime(2026, 3, 2, 9, 30),
            "source_tool": "cursor",
            "actor_id": "AdaL",
            "session_id": "  ",
            "model": "gpt-5",
            "request_kind": "Tab",
            "input_tokens": 10,
            "cached_input_tokens": 5,
            "cache_write_tokens": 2,
            "output_tokens": 3,
            "cost_usd": Decimal("0.0125"),
        },
    ],
    "people": [
        {
            "employee_id": "E1",
            "email": " Ada.Lovelace@Example.COM ",
            "full_name": "Ada Lovelace",
            "team_id": "T1",
            "role": "Engineer",
            "timezone": None,
            "hired_on": dt.date(2024, 1, 15),
        },
        {
            "employee_id": "E2",
            "email": "grace@example.com",
            "team_id": "T1",
            "role": "SRE",
            "timezone": "Europe/Berlin",
        },
    ],
    "teams": [{"team_id": "T1", "team_name": "Platform", "department": ""}],
    "identities": [
        {"source_system": "GitHub", "account_id": "AdaL", "employee_id": "E1"},
        {"source_system": "claude_code", "account_id": "Ada.Lovelace@Example.COM", "employee_id": "E1"},
    ],
    "pr_reviews": [
        {
            "repo": "acme/api",
            "pr_number": 7,
            "review_id": "r1",
            "reviewer_login": "grace",
            "state": "approved",
            "submitted_at": dt.datetime(2026, 3, 3, 10, 0),
        },
        {
            "repo": "acme/api",
            "pr_number": 7,
            "review_id": "r2",
            "reviewer_login": "grace",
            "state": " changes_requested",
            "submitted_at": dt.datetime(2026, 3, 3, 9, 0),
        },
    ],
    "commits": [
        {
            "repo": "acme/api",
            "sha": "ABC123",
            "author_email": "Ada.Lovelace@Example.COM",
            "authored_at": dt.datetime(2026, 3, 2, 8, 0),
            "message": "Add retries\n\nCo-authored-by: Claude <noreply@anthropic.com>",
        }
    ],
    "deployments": [
        {
            "repo": "acme/api",
            "deployment_id": "d1",
            "sha": "ABC123",
            "environment": "PROD",
            "status": "Success",
            "started_at": dt.datetime(2026, 3, 3, 12, 0),
        },
        {
            "repo": "acme/api",
            "deployment_id": "d2",
            "sha": "abc123",
            "environment": "Staging",
            "status": "FAILURE",
            "started_at": dt.datetime(2026, 3, 3, 11, 0),
        },
    ],
    "incidents": [
        {
            "incident_id": "i1",
            "service": "api",
            "severity": "SEV2",
            "created_at": dt.datetime(2026, 3, 4, 1, 0),
            "resolved_at": dt.datetime(2026, 3, 4, 3, 30),
            "responder_email": "Grace@Example.com",
        }
    ],
}


def insert_raw(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows as ingest would leave them: contract columns plus lineage of load 1."""
    for number, row in enumerate(rows, start=1):
        values = {**row, "_load_id": 1, "_landed_at": LANDED_AT, "_source_file": f"{table}.csv"}
        values["_source_row"] = number
        columns = ", ".join(values)
        placeholders = ", ".join("?" for _ in values)
        con.execute(f"insert into raw.{table} ({columns}) values ({placeholders})", list(values.values()))


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty raw schema in a DuckDB file of the test's own, which dbt is pointed at."""
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        ensure_raw_schema(con)
    monkeypatch.setenv("AIROI_DUCKDB_PATH", str(path))
    monkeypatch.setenv("AIROI_DUCKDB_TEMP_DIR", str(tmp_path / "duckdb-tmp"))
    monkeypatch.setenv("AIROI_DUCKDB_MEMORY_LIMIT", "1GB")
    return path


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse as dbt's profile does (memory limit and spill folder set when the database
    is opened): dbt runs in this process and keeps its database open, and DuckDB refuses a second
    connection to the same file with another configuration."""
    config = {
        "memory_limit": os.environ["AIROI_DUCKDB_MEMORY_LIMIT"],
        "temp_directory": os.environ["AIROI_DUCKDB_TEMP_DIR"],
    }
    return duckdb.connect(str(path), config=config)


@pytest.fixture
def dbt(tmp_path: Path, project_dir: Path) -> Callable[..., dbtRunnerResult]:
    """Runs a dbt command on the project with the target and logs kept inside tmp_path.

    `events`, when given, collects the text of every event dbt logs, for errors that dbt reports
    only through its log (a failing `run-operation` returns no exception).
    """

    def invoke(*args: str, events: list[str] | None = None) -> dbtRunnerResult:
        callbacks = [] if events is None else [lambda event: events.append(event.info.msg)]
        return dbtRunner(callbacks=callbacks).invoke(
            [
                *args,
                "--project-dir",
                str(project_dir),
                "--profiles-dir",
                str(project_dir),
                "--target-path",
                str(tmp_path / "target"),
                "--log-path",
                str(tmp_path / "logs"),
                "--quiet",
            ]
        )

    return invoke


def key_test_statuses(result: dbtRunnerResult, table: str) -> dict[str, tuple[str, int | None]]:
    """Status and failure count of the composite-key tests on a landing table and its staging view."""
    statuses: dict[str, tuple[str, int | None]] = {}
    for run_result in result.result.results:
        node = run_result.node
        metadata = getattr(node, "test_metadata", None)
        if metadata is None or metadata.name != "unique_combination_of_columns":
            continue
        for parent in node.depends_on.nodes:
            if parent in (f"source.airoi.landing.{table}", f"model.airoi.stg_landing__{table}"):
                statuses[parent] = (run_result.status, run_result.failures)
    return statuses


def test_staging_cleans_raw_rows(warehouse: Path, dbt: Callable[..., dbtRunnerResult]) -> None:
    with connect(warehouse) as con:
        for table, rows in RAW_ROWS.items():
            insert_raw(con, table, rows)

    assert dbt("seed").success
    build = dbt("build", "--select", "staging")
    assert build.success, build.exception

    # The events' key is tested on raw and on the published fact, not on the view between them,
    # which every test would read whole again.
    assert key_test_statuses(build, "ai_usage_events") == {
        "source.airoi.landing.ai_usage_events": (TestStatus.Pass, 0),
    }

    with connect(warehouse) as con:
        events = con.execute(
            """
            select event_id, source_tool, actor_id, session_id, model, request_kind,
                cached_input_tokens, cache_write_tokens, total_tokens, cost_usd, _load_id, _landed_at
            from staging.stg_landing__ai_usage_events
            order by event_id
            """
        ).fetchall()
        assert events == [
            (
                "e1",
                "claude_code",
                "ada.lovelace@example.com",
                None,
                "claude-sonnet-4-5",
                "other",
                0,
                0,
                120,
                None,
                1,
                LANDED_AT,
            ),
            ("e2", "cursor", "AdaL", None, "gpt-5", "tab", 5, 2, 20, Decimal("0.0125"), 1, LANDED_AT),
        ]

        people = con.execute(
            "select employee_id, email, role, timezone from staging.stg_landing__people order by employee_id"
        ).fetchall()
        assert people == [
            ("E1", "ada.lovelace@example.com", "engineer", "UTC"),
            ("E2", "grace@example.com", "sre", "Europe/Berlin"),
        ]

        assert con.execute("select department from staging.stg_landing__teams").fetchall() == [(None,)]

        identities = con.execute(
            "select source_system, account_id from staging.stg_landing__identities order by 1"
        ).fetchall()
        assert identities == [("claude_code", "ada.lovelace@example.com"), ("github", "AdaL")]

        states = con.execute(
            "select review_id, state from staging.stg_landing__pr_reviews order by 1"
        ).fetchall()
        assert states == [("r1", "APPROVED"), ("r2", "CHANGES_REQUESTED")]

        commit = con.execute("select sha, author_email from staging.stg_landing__commits").fetchall()
        assert commit == [("abc123", "ada.lovelace@example.com")]

        deployments = con.execute(
            """
            select deployment_id, sha, environment, status, is_production
            from staging.stg_landing__deployments
            order by deployment_id
            """
        ).fetchall()
        assert deployments == [
            ("d1", "abc123", "prod", "success", True),
            ("d2", "abc123", "staging", "failure", False),
        ]

        incident = con.execute(
            "select severity, responder_email from staging.stg_landing__incidents"
        ).fetchall()
        assert incident == [("sev2", "grace@example.com")]


def test_staging_builds_on_an_empty_raw_schema(warehouse: Path, dbt: Callable[..., dbtRunnerResult]) -> None:
    assert dbt("seed").success
    build = dbt("build", "--select", "staging")
    assert build.success, build.exception

    with connect(warehouse) as con:
        views = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'staging'"
        ).fetchone()
        # The thirteen views of the canonical tables and bookkeeping, and the vendor exports' usage.
        assert views == (14,)


def test_duplicated_key_fails_the_unique_combination_test(
    warehouse: Path, dbt: Callable[..., dbtRunnerResult]
) -> None:
    event = RAW_ROWS["ai_usage_events"][1]
    with connect(warehouse) as con:
        insert_raw(
            con, "ai_usage_events", [RAW_ROWS["ai_usage_events"][0], event, {**event, "model": "gpt-5-mini"}]
        )

    # `dbt build` would skip the tests downstream once the source's fail, so run, then test.
    assert dbt("run", "--select", "staging").success
    tests = dbt("test", "--select", "staging")

    assert not tests.success
    assert key_test_statuses(tests, "ai_usage_events") == {
        "source.airoi.landing.ai_usage_events": (TestStatus.Fail, 1),
    }
    failed = [result for result in tests.result.results if result.status != TestStatus.Pass]
    assert len(failed) == 1
    with connect(warehouse) as con:
        for result in failed:
            assert con.execute(result.node.compiled_code).fetchall() == [("cursor", "e2", 2)]


def test_unique_combination_rejects_a_bare_column_name(
    warehouse: Path, dbt: Callable[..., dbtRunnerResult]
) -> None:
    events: list[str] = []
    result = dbt(
        "run-operation",
        "find_duplicate_keys",
        "--args",
        "{relation: raw.ai_usage_events, columns: event_id}",
        events=events,
    )

    assert not result.success
    assert any("`columns` must be a list of column names, got event_id" in event for event in events)


def test_model_list_prices_seed(warehouse: Path, dbt: Callable[..., dbtRunnerResult]) -> None:
    assert dbt("seed").success

    with connect(warehouse) as con:
        sonnet = con.execute(
            """
            select effective_from, input_usd_per_mtok, cached_input_usd_per_mtok,
                cache_write_usd_per_mtok, output_usd_per_mtok
            from reference.model_list_prices
            where model = 'claude-sonnet-4-5'
            """
        ).fetchall()
        assert sonnet == [(dt.date(2025, 1, 1), Decimal(3), Decimal("0.3"), Decimal("3.75"), Decimal(15))]
        price_type = con.execute(
            """
            select data_type from information_schema.columns
            where table_schema = 'reference' and table_name = 'model_list_prices'
                and column_name = 'output_usd_per_mtok'
            """
        ).fetchone()
        assert price_type == ("DECIMAL(18,6)",)
        models = {row[0] for row in con.execute("select model from reference.model_list_prices").fetchall()}
        assert models == {
            "claude-opus-4-1",
            "claude-sonnet-4-5",
            "claude-haiku-4-5",
            "gpt-5",
            "gpt-5-mini",
            "gpt-4.1",
        }


def test_bot_accounts_seed(warehouse: Path, dbt: Callable[..., dbtRunnerResult]) -> None:
    assert dbt("seed", "--select", "bot_accounts").success
    logins = {
        "dependabot[bot]": True,
        "Renovate": True,
        "github-actions": True,
        "copilot-pull-request-reviewer[bot]": True,
        "snyk-bot": True,
        "adal": False,
        "abbot": False,
        "renovated-ui-dev": False,
    }

    with connect(warehouse) as con:
        for login, is_bot in logins.items():
            matched = con.execute(
                """
                select count(*) > 0 from reference.bot_accounts
                where (match_kind = 'like' and lower(?) like pattern)
                    or (match_kind = 'exact' and lower(?) = pattern)
                """,
                [login, login],
            ).fetchone()
            assert matched == (is_bot,), login


def test_ai_coauthor_trailers_seed(warehouse: Path, dbt: Callable[..., dbtRunnerResult]) -> None:
    assert dbt("seed", "--select", "ai_coauthor_trailers").success
    messages = {
        "Fix retries\n\nCo-authored-by: Claude <noreply@anthropic.com>": {"claude_code"},
        "Refactor\n\nCO-AUTHORED-BY: Claude Opus 4.1 <noreply@anthropic.com>": {"claude_code"},
        "Docs\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>": {"copilot"},
        "Speed-up\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>": {"cursor"},
        "Parser\n\nCo-authored-by: aider (gpt-4.1) <noreply@aider.chat>": {"aider"},
        "Tests\n\nCo-authored-by: gemini-code-assist[bot] <1+gemini-code-assist[bot]@github.com>": {"gemini"},
        "Infra\n\nCo-authored-by: devin-ai-integration[bot] <1+devin-ai-integration[bot]@github.com>": {
            "devin"
        },
        "Lambda\n\nCo-authored-by: Amazon Q Developer <amazon-q-developer@amazon.com>": {"amazon_q"},
        "Pairing\n\nCo-authored-by: Claude Dupont <claude.dupont@example.com>": set(),
        "Pairing\n\nCo-authored-by: Devin Smith <devin@example.com>": set(),
        "Move the cursor handling into the reader": set(),
    }

    with connect(warehouse) as con:
        for message, tools in messages.items():
            matched = con.execute(
                """
                select distinct tool from reference.ai_coauthor_trailers
                where regexp_matches(?, pattern, 'i')
                """,
                [message],
            ).fetchall()
            assert {row[0] for row in matched} == tools, message
