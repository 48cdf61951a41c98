"""The quay family: Quay Logistics, a port and logistics group, as a landing zone and its ground truth."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from family_checks import generate_and_build

from orchestration.landing.contract import TABLES
from orchestration.quay import generate
from orchestration.quay.plan import LEGIT, ORDINARY, PERSONAS, STYLES

ROOT = Path(__file__).resolve().parents[1]
ENGINEERS, WEEKS, SEED = 300, 8, 5
START = dt.date(2026, 5, 4)

ARROW_TYPES = {
    "string": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
    "integer": pa.types.is_int64,
    "decimal": pa.types.is_decimal,
    "timestamp": lambda t: pa.types.is_timestamp(t) and t.tz is None,
    "date": pa.types.is_date32,
}


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    root = tmp_path_factory.mktemp("quay")
    summary = generate(root / "a", engineers=ENGINEERS, weeks=WEEKS, seed=SEED, start=START, progress=False)
    return root / "a", summary


@pytest.fixture(scope="module")
def truth(org):
    return pq.read_table(org[0] / "_ground_truth" / "engineer_weeks.parquet")


@pytest.fixture(scope="module")
def con(org):
    land = org[0]
    connection = duckdb.connect()
    for name in TABLES:
        if name == "ai_usage_events":
            # Re-delivered rows are identical copies: count each event once.
            connection.execute(
                f"create view {name} as select distinct * from read_parquet('{land}/{name}/*/*.parquet')"
            )
        else:
            connection.execute(f"create view {name} as select * from read_parquet('{land}/{name}/*.parquet')")
    connection.execute(
        f"create view truth as select * from read_parquet('{land}/_ground_truth/engineer_weeks.parquet')"
    )
    yield connection
    connection.close()


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_differs(org, tmp_path):
    land, _ = org
    again = tmp_path / "again"
    generate(again, engineers=ENGINEERS, weeks=WEEKS, seed=SEED, start=START, progress=False)
    assert _files(land) == _files(again)
    other = tmp_path / "other"
    generate(other, engineers=ENGINEERS, weeks=WEEKS, seed=SEED + 1, start=START, progress=False)
    day = "ai_usage_events/date=2026-05-05/part-0.parquet"
    assert (land / day).read_bytes() != (other / day).read_bytes()
    assert (land / "people/part-0.parquet").read_bytes() != (other / "people/part-0.parquet").read_bytes()


def test_manifest_and_summary(org):
    land, summary = org
    manifest = json.loads((land / "_ground_truth" / "manifest.json").read_text())
    assert manifest["family"] == "quay"
    assert (manifest["engineers"], manifest["weeks"], manifest["seed"]) == (ENGINEERS, WEEKS, SEED)
    assert manifest["start"] == START.isoformat()
    text = summary.render()
    line = next(line for line in text.splitlines() if "inflated engineer-weeks per style" in line)
    for style in STYLES:
        assert re.search(rf"\b{style}=\d+", line), style
    assert summary.rows["ai_usage_events"] > 50_000


def test_one_parquet_file_per_utc_day(org):
    land, _ = org
    folders = sorted(p.name for p in (land / "ai_usage_events").iterdir())
    assert folders == [f"date={START + dt.timedelta(days=d)}" for d in range(WEEKS * 7)]
    for folder in (land / "ai_usage_events").iterdir():
        day = dt.date.fromisoformat(folder.name.removeprefix("date="))
        stamps = pq.read_table(folder / "part-0.parquet", columns=["occurred_at"]).column(0).to_pylist()
        assert all(s.date() == day for s in stamps)
    replays = list((land / "ai_usage_events").glob("*/part-1.parquet"))
    assert replays, "some days are delivered twice"
    for replay in replays:
        first = pq.read_table(replay.parent / "part-0.parquet").to_pylist()
        again = pq.read_table(replay).to_pylist()
        assert all(row in first for row in again)


def test_truth_schema_keys_and_values(org, truth, con):
    assert truth.schema.names == [
        "employee_id",
        "week_start",
        "persona",
        "persona_kind",
        "is_inflated",
        "inflation_style",
        "ai_total_tokens",
    ]
    expected = [pa.string(), pa.date32(), pa.string(), pa.string(), pa.bool_(), pa.string(), pa.int64()]
    assert [f.type for f in truth.schema] == expected
    assert _count(con, "select employee_id, week_start from truth group by all having count(*) > 1") == 0
    rows = truth.to_pylist()
    mondays = {START + dt.timedelta(days=7 * w) for w in range(WEEKS)}
    assert {r["week_start"] for r in rows} == mondays
    assert {r["persona_kind"] for r in rows} == {"ordinary", "legitimate_heavy", "inflator"}
    for r in rows:
        assert (r["inflation_style"] is not None) == r["is_inflated"]
        if r["is_inflated"]:
            assert r["persona_kind"] == "inflator" and r["inflation_style"] == r["persona"]
        kind = (
            "ordinary"
            if r["persona"] in ORDINARY
            else "legitimate_heavy"
            if r["persona"] in LEGIT
            else "inflator"
        )
        assert r["persona_kind"] == kind
    # Engineers only, for exactly the weeks they were employed.
    bad = con.execute(
        """
        select count(*) from truth join people using (employee_id)
        where role in ('manager', 'director', 'cto')
           or week_start + 6 < coalesce(hired_on, date '1900-01-01')
           or week_start > coalesce(left_on, date '2999-01-01')
        """
    ).fetchone()[0]
    assert bad == 0
    missing = con.execute(
        f"""
        select count(*) from people, range({WEEKS}) as w(i)
        where role not in ('manager', 'director', 'cto')
          and date '{START}' + 7 * i::int + 6 >= hired_on
          and (left_on is null or date '{START}' + 7 * i::int <= left_on)
          and (employee_id, date '{START}' + 7 * i::int) not in (select (employee_id, week_start) from truth)
        """
    ).fetchone()[0]
    assert missing == 0


def test_every_persona_and_style_present(truth):
    personas = set(truth.column("persona").to_pylist())
    assert personas == set(PERSONAS)
    styles = set(s for s in truth.column("inflation_style").to_pylist() if s)
    assert styles == set(STYLES)


def test_legitimate_heavy_never_inflated_and_heavier(con):
    assert (
        con.execute("select count(*) from truth where persona_kind <> 'inflator' and is_inflated").fetchone()[
            0
        ]
        == 0
    )
    medians = dict(
        con.execute(
            "select persona_kind, median(ai_total_tokens) from truth where ai_total_tokens > 0 group by all"
        ).fetchall()
    )
    assert medians["legitimate_heavy"] > 3 * medians["ordinary"]
    for persona in LEGIT:
        heavy = con.execute(
            f"select median(ai_total_tokens) from truth where persona = '{persona}' and ai_total_tokens > 0"
        ).fetchone()[0]
        assert heavy > medians["ordinary"], persona
    # Non-users never appear in the usage.
    assert con.execute("select sum(ai_total_tokens) from truth where persona = 'non_user'").fetchone()[0] == 0


ATTRIBUTED = """
    with accounts as (
        select e.*, coalesce(i.employee_id, p.employee_id) as employee_id
        from ai_usage_events as e
        left join identities as i on i.source_system = e.source_tool and i.account_id = e.actor_id
        left join people as p on lower(p.email) = lower(e.actor_id)
    )
    select * from accounts
"""


def test_truth_tokens_equal_landed_tokens(con):
    diff = con.execute(
        f"""
        with events as ({ATTRIBUTED}),
        weekly as (
            select employee_id, date_trunc('week', occurred_at)::date as week_start,
                   sum(input_tokens + cached_input_tokens + cache_write_tokens + output_tokens) as tokens
            from events where employee_id is not null group by all
        )
        select count(*) from truth
        full outer join weekly using (employee_id, week_start)
        left join people using (employee_id)
        where coalesce(people.role, '') not in ('manager', 'director', 'cto')
          and coalesce(truth.ai_total_tokens, -1) <> coalesce(weekly.tokens, 0)
        """
    ).fetchone()[0]
    assert diff == 0
    unowned = con.execute(
        f"select count(distinct actor_id) from ({ATTRIBUTED}) where employee_id is null"
    ).fetchone()[0]
    assert 1 <= unowned <= 4


def test_landing_tables_follow_the_contract(org):
    land, _ = org
    for name, table in TABLES.items():
        files = sorted((land / name).rglob("*.parquet"))
        assert files, name
        data = pa.concat_tables(pq.read_table(f) for f in files[:3] + files[-2:])
        for column in table.columns:
            assert column.name in data.schema.names, (name, column.name)
            assert ARROW_TYPES[column.type](data.schema.field(column.name).type), (name, column.name)
            values = data.column(column.name)
            if column.required:
                assert values.null_count == 0, (name, column.name)
            if column.accepted:
                seen = {v for v in values.to_pylist() if v is not None}
                assert seen <= set(column.accepted), (name, column.name, seen)
            if column.non_negative and column.type in ("integer", "decimal"):
                assert all(v >= 0 for v in values.to_pylist() if v is not None), (name, column.name)


def _count(con, sql: str) -> int:
    return con.execute(f"select count(*) from ({sql})").fetchone()[0]


def test_identities_and_ownership_consistent(con):
    for sql in (
        "select * from identities where employee_id not in (select employee_id from people)",
        "select source_system, account_id from identities group by all having count(*) > 1",
        "select * from people where team_id not in (select team_id from teams)",
        "select * from people where manager_employee_id not in (select employee_id from people)",
        "select lower(email) from people group by all having count(*) > 1",
        "select * from repositories where team_id not in (select team_id from teams)",
        "select * from services where team_id not in (select team_id from teams)",
        # Every login that authored or reviewed is a person's GitHub identity, or a bot.
        """
        select * from (select author_login as login from pull_requests
                       union select reviewer_login from pr_reviews)
        where login not like '%[bot]'
          and login not in (select account_id from identities where source_system = 'github')
        """,
        # The warehouse prices every event without a billed cost from the organisation's prices.
        """
        select * from ai_usage_events
        where cost_usd is null and model not in (select model from model_prices)
        """,
    ):
        assert _count(con, sql) == 0, sql
    by_email_only = """
        select distinct actor_id from ai_usage_events as e
        where not exists (
            select 1 from identities as i where i.source_system = e.source_tool and i.account_id = e.actor_id
        )
          and lower(actor_id) in (select lower(email) from people)
    """
    assert _count(con, by_email_only) > 10


def test_delivery_tables_consistent(con):
    for sql in (
        "select repo, pr_number from pull_requests group by all having count(*) > 1",
        "select * from pull_requests where repo not in (select repo from repositories)",
        """
        select * from pull_requests
        where merged_at < created_at or closed_at < created_at or first_commit_at > created_at
        """,
        """
        select * from pull_requests
        where merged_at is not null and (merge_commit_sha is null or closed_at <> merged_at)
        """,
        "select * from pr_reviews left join pull_requests as p using (repo, pr_number) where p.repo is null",
        """
        select * from pr_reviews as r join pull_requests as p using (repo, pr_number)
        where r.reviewer_login = p.author_login or r.submitted_at < p.created_at
        """,
        """
        select * from commits as c where pr_number is not null and not exists (
            select 1 from pull_requests as p where p.repo = c.repo and p.pr_number = c.pr_number
        )
        """,
        "select repo, sha from commits group by all having count(*) > 1",
        # Every deployment ships the merge commit of a pull request of its repository, after the merge.
        """
        select * from deployments as d where not exists (
            select 1 from pull_requests as p
            where p.repo = d.repo and p.merge_commit_sha = d.sha and p.merged_at <= d.started_at
        )
        """,
        """
        select * from incidents as i where caused_by_deployment_id is not null and not exists (
            select 1 from deployments as d
            where d.deployment_id = i.caused_by_deployment_id and d.repo = i.repo
              and d.finished_at <= i.created_at
        )
        """,
        "select * from incidents where service not in (select service from services)",
        "select * from incidents where acknowledged_at < created_at or resolved_at < acknowledged_at",
        "select * from incidents where (resolved_at is null) <> (responder_email is null)",
        "select * from incidents where responder_email not in (select lower(email) from people)",
        # Incidents are resolved by people on the payroll.
        """
        select * from incidents as i join people as p on lower(p.email) = i.responder_email
        where i.resolved_at::date < p.hired_on or i.created_at::date > coalesce(p.left_on, date '2999-01-01')
        """,
    ):
        assert _count(con, sql) == 0, sql
    assert _count(con, "select * from commits where message like '%Co-authored-by: Claude%'") > 100
    assert _count(con, "select * from commits where pr_number is null") > 0
    assert _count(con, "select * from pull_requests where labels like 'prototype%' and merged_at is null") > 0


@pytest.mark.slow
def test_cli_generates_and_builds_without_quarantine(tmp_path: Path) -> None:
    assert generate_and_build("quay", tmp_path, engineers=120, weeks=6, seed=17) == 0
