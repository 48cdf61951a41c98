"""The meridian generator family: same seed, same files; a truth the evaluation can read; every
persona and inflation style present; the legitimate heavy archetypes never inflated; a landing zone
that the real `airoi build` takes without quarantining a row."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration import meridian
from orchestration.meridian import catalog
from orchestration.meridian.org import LEGITIMATE_HEAVY, PERSONAS, RELEASE_CRUNCH
from orchestration.meridian.usage import EVENT_SCHEMA

AIROI = str(Path(sys.executable).with_name("airoi"))
START = date(2026, 5, 4)
HEAVY = {PERSONAS[p] for p in LEGITIMATE_HEAVY} | {RELEASE_CRUNCH}


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A moderate organisation: large enough that every persona and style turns up."""
    out = tmp_path_factory.mktemp("meridian") / "landing"
    meridian.generate(out, engineers=240, weeks=10, seed=21, start=START, progress=False)
    return out


def _truth(landing: Path) -> pa.Table:
    return pq.read_table(landing / "_ground_truth" / "engineer_weeks.parquet")


def test_same_seed_writes_identical_files(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((first, 4), (second, 4), (other, 5)):
        meridian.generate(out, engineers=40, weeks=3, seed=seed, start=START, progress=False)
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file())
    assert any(name.parts[0] == "ai_usage_events" for name in files)
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "people" / "people.csv").read_bytes() != (other / "people" / "people.csv").read_bytes()


def test_truth_has_the_evaluated_columns_and_types(org: Path) -> None:
    schema = _truth(org).schema
    expected = {
        "employee_id": pa.string(),
        "week_start": pa.date32(),
        "persona": pa.string(),
        "persona_kind": pa.string(),
        "is_inflated": pa.bool_(),
        "inflation_style": pa.string(),
    }
    for name, kind in expected.items():
        assert schema.field(name).type == kind, name
    assert (org / "_ground_truth" / "manifest.json").exists()


def test_truth_has_one_row_per_engineer_and_week_employed(org: Path) -> None:
    """Managers are not in it; an engineer hired or leaving mid-period has only the weeks employed."""
    truth = _truth(org).to_pydict()
    rows = set(zip(truth["employee_id"], truth["week_start"], strict=True))
    assert len(rows) == len(truth["employee_id"])
    with (org / "people" / "people.csv").open(encoding="utf-8") as handle:
        people = list(csv.DictReader(handle))
    expected = set()
    for person in people:
        if person["role"] == "manager":
            continue
        hired = date.fromisoformat(person["hired_on"])
        left = date.fromisoformat(person["left_on"]) if person["left_on"] else date.max
        for week in range(10):
            monday = START + timedelta(weeks=week)
            if hired <= monday + timedelta(days=6) and left >= monday:
                expected.add((person["employee_id"], monday))
    assert rows == expected
    assert any(p["hired_on"] > START.isoformat() for p in people if p["role"] != "manager")
    assert any(p["left_on"] for p in people)


def test_every_persona_and_style_is_present(org: Path) -> None:
    truth = _truth(org).to_pydict()
    assert set(truth["persona"]) == set(PERSONAS) | {RELEASE_CRUNCH}
    styles = {style for style in truth["inflation_style"] if style is not None}
    assert styles == set(catalog.STYLES)
    inflators = {e for e, flag in zip(truth["employee_id"], truth["is_inflated"], strict=True) if flag}
    engineers = set(truth["employee_id"])
    assert 0.08 <= len(inflators) / len(engineers) <= 0.15


def test_legitimate_heavy_archetypes_are_never_inflated(org: Path) -> None:
    truth = _truth(org).to_pydict()
    for persona, kind, inflated, style in zip(
        truth["persona"], truth["persona_kind"], truth["is_inflated"], truth["inflation_style"], strict=True
    ):
        assert (kind == "legitimate_heavy") == (persona in HEAVY)
        if kind == "legitimate_heavy":
            assert not inflated, persona
        assert (style is not None) == inflated
        if inflated:
            assert persona == "inflator"


def test_usage_events_follow_the_contract(org: Path) -> None:
    con = duckdb.connect()
    events = f"read_parquet('{org}/ai_usage_events/**/*.parquet', hive_partitioning = false)"
    columns = {row[0]: row[1] for row in con.sql(f"describe select * from {events}").fetchall()}
    assert columns["occurred_at"] == "TIMESTAMP WITH TIME ZONE"
    assert columns["cost_usd"].startswith("DECIMAL")
    assert set(columns) == {field.name for field in EVENT_SCHEMA}
    kinds, tools, negatives, over_accepted = con.sql(
        f"""
        select
            list(distinct request_kind),
            list(distinct source_tool),
            count(*) filter (
                where least(input_tokens, cached_input_tokens, cache_write_tokens, output_tokens) < 0
            ),
            count(*) filter (where lines_accepted > lines_suggested)
        from {events}
        """
    ).fetchall()[0]
    assert set(kinds) <= {"chat", "completion", "agent", "tab", "review", "other"}
    assert set(tools) == set(catalog.TOOLS)
    assert negatives == 0
    assert over_accepted == 0
    priced = {row[0] for row in con.sql(f"select model from read_csv('{org}/model_prices/*.csv')").fetchall()}
    used = {row[0] for row in con.sql(f"select distinct model from {events}").fetchall()}
    assert used <= priced


def test_a_replaying_script_sends_the_same_prompt_many_times_a_week(org: Path) -> None:
    """Each week the truth calls prompt_replay, one of the engineer's accounts sent one prompt hash
    at least twenty times."""
    con = duckdb.connect()
    truth = _truth(org)
    con.register("truth", truth)
    weeks = con.sql(
        f"""
        with accounts as (
            select lower(account_id) as account, employee_id
            from read_parquet('{org}/identities/*.parquet')
            union all
            select lower(email), employee_id from read_csv('{org}/people/*.csv')
        ),
        repeats as (
            select
                accounts.employee_id,
                date_trunc('week', occurred_at at time zone 'UTC')::date as week_start,
                prompt_hash,
                count(*) as sent
            from read_parquet('{org}/ai_usage_events/**/*.parquet', union_by_name = true) as events
            inner join accounts on lower(events.actor_id) = accounts.account
            where prompt_hash is not null
            group by all
        )
        select truth.employee_id, truth.week_start, max(repeats.sent) as most
        from truth
        left join repeats using (employee_id, week_start)
        where truth.inflation_style = 'prompt_replay'
        group by all
        """
    ).fetchall()
    assert weeks
    assert all(most is not None and most >= 20 for _, _, most in weeks)


def test_throwaway_prototypes_leave_pull_requests_closed_unmerged(org: Path) -> None:
    con = duckdb.connect()
    con.register("truth", _truth(org))
    found, weeks = con.sql(
        f"""
        with logins as (
            select account_id as login, employee_id from read_parquet('{org}/identities/*.parquet')
            where source_system = 'github'
        ),
        abandoned as (
            select distinct
                logins.employee_id,
                date_trunc('week', created_at at time zone 'UTC')::date as week_start
            from read_parquet('{org}/pull_requests/*.parquet') as prs
            inner join logins on prs.author_login = logins.login
            where merged_at is null and closed_at is not null
        )
        select count(abandoned.employee_id), count(*)
        from truth left join abandoned using (employee_id, week_start)
        where truth.inflation_style = 'throwaway_prototypes'
        """
    ).fetchall()[0]
    assert weeks > 0
    assert found / weeks >= 0.8


@pytest.mark.slow
def test_a_meridian_landing_zone_builds_without_quarantine(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    env = {**os.environ, "AIROI_DBT_TARGET_PATH": str(tmp_path / "target")}
    generated = subprocess.run(
        [AIROI, "generate", "--family", "meridian", "--out", str(landing),
         "--engineers", "40", "--weeks", "4", "--seed", "2", "--no-progress"],
        capture_output=True, text=True, check=False, timeout=600, env=env,
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    built = subprocess.run(
        [AIROI, "build", "--landing", str(landing), "--warehouse", str(warehouse)],
        capture_output=True, text=True, check=False, timeout=1200, env=env,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    assert "(quarantined this run: 0 rows)" in built.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.sql("select count(*) from raw._quarantine").fetchall()[0] == (0,)
        truth_weeks = _truth(landing).num_rows
        matched = con.sql(
            f"""
            select count(*) from marts.fct_engineer_weekly
            inner join read_parquet('{landing}/_ground_truth/engineer_weeks.parquet') as truth
                using (employee_id, week_start)
            where coalesce(fct_engineer_weekly.ai_total_tokens, 0) = truth.ai_tokens
            """
        ).fetchall()[0]
    assert matched == (truth_weeks,)
