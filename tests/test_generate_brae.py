"""The brae family: Brae Health's landing zone, its ground truth, and a build of it."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from family_checks import ARROW, TRUTH_SCHEMA, generate_and_build

from orchestration.brae import generate
from orchestration.brae.organisation import LEGIT, ORDINARY, STYLES
from orchestration.landing.contract import TABLES

ENGINEERS, WEEKS, SEED = 300, 8, 5
START = date(2026, 5, 4)


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("brae") / "landing"
    summary = generate(out, engineers=ENGINEERS, weeks=WEEKS, seed=SEED, start=START, progress=False)
    return out, summary


@pytest.fixture(scope="module")
def con(org: tuple[Path, object]) -> duckdb.DuckDBPyConnection:
    out, _ = org
    db = duckdb.connect()
    for name in TABLES:
        files = sorted((out / name).rglob("*.parquet"))
        if files:
            listing = ", ".join(f"'{f}'" for f in files)
            db.execute(f"create view {name} as select distinct * from read_parquet([{listing}])")
    db.execute(
        f"create view truth as select * from read_parquet('{out}/_ground_truth/engineer_weeks.parquet')"
    )
    return db


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_bytes_and_another_seed_differs(org, tmp_path: Path) -> None:
    out, _ = org
    again = tmp_path / "again"
    generate(again, engineers=ENGINEERS, weeks=WEEKS, seed=SEED, start=START, progress=False)
    assert _files(again) == _files(out)
    other = tmp_path / "other"
    generate(other, engineers=ENGINEERS, weeks=WEEKS, seed=SEED + 1, start=START, progress=False)
    first_day = "ai_usage_events/date=2026-05-04/part-0.parquet"
    assert (other / first_day).read_bytes() != (out / first_day).read_bytes()
    assert (other / "people/part-0.parquet").read_bytes() != (out / "people/part-0.parquet").read_bytes()


def test_manifest_and_summary(org) -> None:
    out, summary = org
    manifest = json.loads((out / "_ground_truth" / "manifest.json").read_text())
    assert manifest["family"] == "brae"
    assert (manifest["engineers"], manifest["weeks"], manifest["seed"]) == (ENGINEERS, WEEKS, SEED)
    assert manifest["start"] == START.isoformat()
    text = summary.render()
    line = next(row for row in text.splitlines() if "inflated engineer-weeks per style" in row)
    for style in STYLES:
        assert re.search(rf"{style} \d+", line), style
    assert summary.events > 50_000


def test_ground_truth_schema_keys_and_values(org, con) -> None:
    out, _ = org
    truth = pq.read_table(out / "_ground_truth" / "engineer_weeks.parquet")
    assert truth.schema.equals(TRUTH_SCHEMA)
    assert (
        con.execute("select count(*) - count(distinct (employee_id, week_start)) from truth").fetchone()[0]
        == 0
    )
    weeks = {START + timedelta(days=7 * w) for w in range(WEEKS)}
    assert set(truth.column("week_start").to_pylist()) <= weeks
    assert set(truth.column("persona_kind").to_pylist()) == {"ordinary", "legitimate_heavy", "inflator"}
    wrong = con.execute(
        """
        select count(*) from truth
        where (is_inflated and (persona_kind <> 'inflator' or inflation_style <> persona))
           or (not is_inflated and inflation_style is not null)
           or ai_total_tokens < 0
        """
    ).fetchone()[0]
    assert wrong == 0
    # Every engineer is there, for every week employed; managers and directors are not.
    roles = dict(con.execute("select role, count(*) from people group by role").fetchall())
    engineers = sum(count for role, count in roles.items() if role not in ("manager", "director"))
    assert engineers == ENGINEERS
    assert con.execute("select count(distinct employee_id) from truth").fetchone()[0] == ENGINEERS
    outside = con.execute(
        """
        select count(*) from truth join people using (employee_id)
        where people.role in ('manager', 'director')
           or week_start + 6 < people.hired_on
           or (people.left_on is not null and week_start > people.left_on)
        """
    ).fetchone()[0]
    assert outside == 0
    stayers = con.execute(
        f"""
        select count(*) from people
        where role not in ('manager', 'director') and hired_on <= date '{START}' and left_on is null
        """
    ).fetchone()[0]
    full = con.execute(
        f"select count(*) from (select employee_id from truth group by 1 having count(*) = {WEEKS})"
    )
    assert full.fetchone()[0] >= stayers


def test_every_persona_and_style_is_present(con) -> None:
    personas = {row[0] for row in con.execute("select distinct persona from truth").fetchall()}
    assert personas == set(ORDINARY) | set(LEGIT) | set(STYLES)
    inflated = dict(
        con.execute("select inflation_style, count(*) from truth where is_inflated group by 1").fetchall()
    )
    assert set(inflated) == set(STYLES)
    # Some inflator weeks are not inflated: before they start, after they stop, or light weeks.
    quiet = con.execute(
        "select count(*) from truth where persona_kind = 'inflator' and not is_inflated"
    ).fetchone()[0]
    assert quiet > 0


def test_legitimate_heavy_are_never_inflated_and_heavier_than_ordinary(con) -> None:
    assert (
        con.execute("select count(*) from truth where persona_kind <> 'inflator' and is_inflated").fetchone()[
            0
        ]
        == 0
    )
    means = dict(con.execute("select persona, avg(ai_total_tokens) from truth group by 1").fetchall())
    ordinary = con.execute(
        "select avg(ai_total_tokens) from truth where persona_kind = 'ordinary'"
    ).fetchone()[0]
    for persona in LEGIT:
        assert means[persona] > 1.5 * ordinary, persona
    assert means["non_user"] == 0


def test_truth_tokens_equal_the_landed_events(con) -> None:
    """Recount every engineer-week from the events: accounts in identities, else the email."""
    mismatched = con.execute(
        """
        with matched as (
            select
                coalesce(identities.employee_id, people.employee_id) as employee_id,
                date_trunc('week', ai_usage_events.occurred_at)::date as week_start,
                ai_usage_events.input_tokens + ai_usage_events.cached_input_tokens
                    + ai_usage_events.cache_write_tokens + ai_usage_events.output_tokens as tokens
            from ai_usage_events
            left join identities
                on identities.source_system = ai_usage_events.source_tool
                and identities.account_id = ai_usage_events.actor_id
            left join people on lower(people.email) = lower(ai_usage_events.actor_id)
        ),
        weekly as (select employee_id, week_start, sum(tokens) as tokens from matched group by all)
        select count(*) from truth
        left join weekly using (employee_id, week_start)
        where coalesce(weekly.tokens, 0) <> truth.ai_total_tokens
        """
    ).fetchone()[0]
    assert mismatched == 0
    total = con.execute("select sum(ai_total_tokens) from truth").fetchone()[0]
    assert total > 0


def test_landing_tables_follow_the_contract(org) -> None:
    out, _ = org
    for name, table in TABLES.items():
        files = sorted((out / name).rglob("*.parquet"))
        assert files, name
        for path in files[:3] + files[-2:]:
            schema = pq.read_schema(path)
            assert schema.names == table.column_names, path
            for column in table.columns:
                assert schema.field(column.name).type == ARROW[column.type], (path, column.name)
        data = pa.concat_tables(pq.read_table(f) for f in files[:40])
        for column in table.columns:
            values = data.column(column.name)
            if column.required:
                assert values.null_count == 0, (name, column.name)
            if column.non_negative and values.null_count < len(values):
                assert min(v for v in values.to_pylist() if v is not None) >= 0, (name, column.name)
            if column.accepted:
                assert set(values.drop_null().to_pylist()) <= set(column.accepted), (name, column.name)
    events = out / "ai_usage_events"
    assert len(list(events.glob("date=*/part-0.parquet"))) == WEEKS * 7
    assert list(events.glob("date=*/part-1.parquet")), "an export re-run lands some rows twice"


def test_identities_and_ownership_are_consistent(con) -> None:
    def count(sql: str) -> int:
        return con.execute(sql).fetchone()[0]

    assert count("select count(*) - count(distinct (source_system, account_id)) from identities") == 0
    assert count("select count(*) from identities anti join people using (employee_id)") == 0
    assert count("select count(*) from people anti join teams using (team_id)") == 0
    assert (
        count(
            "select count(*) from people p where manager_employee_id is not null "
            "and manager_employee_id not in (select employee_id from people)"
        )
        == 0
    )
    assert count("select count(*) from repositories anti join teams using (team_id)") == 0
    assert count("select count(*) from services anti join teams using (team_id)") == 0
    github = "(select account_id from identities where source_system = 'github')"
    assert (
        count(
            "select count(*) from pull_requests "
            f"where author_login not like '%[bot]' and author_login not in {github}"
        )
        == 0
    )
    assert count(f"select count(*) from pr_reviews where reviewer_login not in {github}") == 0
    assert count("select count(*) from pull_requests anti join repositories using (repo)") == 0
    assert count("select count(*) from incidents anti join services using (service)") == 0
    # Every account is somebody's, through identities or by email, except the automation keys.
    unmatched = con.execute(
        """
        select distinct ai_usage_events.actor_id from ai_usage_events
        anti join identities
            on identities.source_system = ai_usage_events.source_tool
            and identities.account_id = ai_usage_events.actor_id
        where lower(ai_usage_events.actor_id) not in (select email from people)
        """
    ).fetchall()
    assert {row[0] for row in unmatched} == {
        "svc-claims-edi-parser",
        "svc-discharge-summary-eval",
        "ward-agent-scheduler",
        "ci-fhir-conformance@braehealth.org",
    }
    by_email = count(
        "select count(distinct actor_id) from ai_usage_events anti join identities "
        "on identities.source_system = ai_usage_events.source_tool and identities.account_id = actor_id "
        "where lower(actor_id) in (select email from people)"
    )
    assert by_email > 0
    assert (
        count(
            "select count(*) from ai_usage_events where actor_id <> lower(actor_id) and actor_id like '%@%'"
        )
        > 0
    )


def test_delivery_tables_are_consistent(con) -> None:
    def count(sql: str) -> int:
        return con.execute(sql).fetchone()[0]

    assert (
        count(
            "select count(*) from pull_requests where merged_at < created_at or created_at < first_commit_at"
        )
        == 0
    )
    assert (
        count("select count(*) from pull_requests where merged_at is not null and merge_commit_sha is null")
        == 0
    )
    assert (
        count(
            "select count(*) from pull_requests p where merged_at is not null "
            "and not exists (select 1 from commits c where c.repo = p.repo and c.sha = p.merge_commit_sha)"
        )
        == 0
    )
    assert (
        count(
            "select count(*) from pr_reviews r "
            "anti join pull_requests p on p.repo = r.repo and p.pr_number = r.pr_number"
        )
        == 0
    )
    assert (
        count(
            "select count(*) from pr_reviews r join pull_requests p using (repo, pr_number) "
            "where r.reviewer_login = p.author_login or r.submitted_at < p.created_at "
            "or (r.state = 'APPROVED' and p.merged_at is not null and r.submitted_at > p.merged_at)"
        )
        == 0
    )
    assert (
        count(
            "select count(*) from commits c "
            "anti join pull_requests p on p.repo = c.repo and p.pr_number = c.pr_number"
        )
        == 0
    )
    assert count("select count(*) from commits where message like '%Co-authored-by: Claude%'") > 0
    assert (
        count("select count(*) from deployments d anti join commits c on c.repo = d.repo and c.sha = d.sha")
        == 0
    )
    assert count("select count(*) from deployments where finished_at < started_at") == 0
    assert (
        count(
            "select count(*) from incidents "
            "where acknowledged_at < created_at or resolved_at < acknowledged_at"
        )
        == 0
    )
    assert (
        count(
            "select count(*) from incidents where resolved_at is not null "
            "and responder_email not in (select email from people)"
        )
        == 0
    )
    assert (
        count(
            "select count(*) from incidents i where caused_by_deployment_id is not null and not exists "
            "(select 1 from deployments d "
            "where d.deployment_id = i.caused_by_deployment_id and d.repo = i.repo)"
        )
        == 0
    )
    assert count("select count(*) from incidents where caused_by_deployment_id is not null") > 0
    # Prototypes are opened as drafts and closed without merging.
    prototypes = "regexp_matches(labels, 'prototype|spike|experiment')"
    assert count(f"select count(*) from pull_requests where {prototypes} and merged_at is not null") == 0
    assert count(f"select count(*) from pull_requests where {prototypes} and closed_at is not null") > 0


@pytest.mark.slow
def test_cli_generates_and_builds_with_nothing_quarantined(tmp_path: Path) -> None:
    assert generate_and_build("brae", tmp_path, engineers=120, weeks=6, seed=9) == 0
