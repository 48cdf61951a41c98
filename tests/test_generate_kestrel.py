"""The kestrel generator family: determinism, ground truth, the landing-zone contract and consistency."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from orchestration.kestrel import generate
from orchestration.kestrel.org import LEGITIMATE, ORDINARY, PERSONAS, STYLES
from orchestration.landing.contract import TABLES

PROJECT = Path(__file__).resolve().parents[1]
START = date(2026, 5, 4)
WEEKS = 8


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("kestrel") / "landing"
    summary = generate(out, engineers=300, weeks=WEEKS, seed=11, start=START, progress=False)
    return out, summary.render()


def read(out: Path, table: str) -> pa.Table:
    files = sorted((out / table).rglob("*.parquet"))
    assert files, f"{table} has no files"
    return pa.concat_tables([pq.read_table(f) for f in files])


@pytest.fixture(scope="module")
def truth(landing: tuple[Path, str]) -> pa.Table:
    return pq.read_table(landing[0] / "_ground_truth" / "engineer_weeks.parquet")


@pytest.fixture(scope="module")
def con(landing: tuple[Path, str]) -> duckdb.DuckDBPyConnection:
    out = landing[0]
    connection = duckdb.connect()
    for table in TABLES:
        files = sorted(str(f) for f in (out / table).rglob("*.parquet"))
        connection.register(table, pa.concat_tables([pq.read_table(f) for f in files]))
    connection.register("truth", pq.read_table(out / "_ground_truth" / "engineer_weeks.parquet"))
    return connection


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((a, 5), (b, 5), (c, 6)):
        generate(out, engineers=30, weeks=2, seed=seed, start=START, progress=False)
    assert _files(a) == _files(b)
    for rel in _files(a):
        assert filecmp.cmp(a / rel, b / rel, shallow=False), rel
    shared = [rel for rel in _files(a) if (c / rel).exists()]
    assert any(not filecmp.cmp(a / rel, c / rel, shallow=False) for rel in shared)


def test_manifest_and_summary(landing: tuple[Path, str]) -> None:
    import json

    out, rendered = landing
    manifest = json.loads((out / "_ground_truth" / "manifest.json").read_text())
    assert manifest | {"family": "kestrel", "engineers": 300, "weeks": WEEKS, "seed": 11} == manifest
    assert manifest["start"] == START.isoformat()
    line = next(line for line in rendered.splitlines() if "inflated engineer-weeks per style" in line)
    for style in STYLES:
        assert style in line


def test_truth_schema_keys_and_values(truth: pa.Table, con: duckdb.DuckDBPyConnection) -> None:
    schema = truth.schema
    expected = {
        "employee_id": pa.string(),
        "week_start": pa.date32(),
        "persona": pa.string(),
        "persona_kind": pa.string(),
        "is_inflated": pa.bool_(),
        "inflation_style": pa.string(),
        "ai_total_tokens": pa.int64(),
    }
    for name, kind in expected.items():
        assert schema.field(name).type == kind, name
    frame = truth.to_pandas()
    assert not frame.duplicated(["employee_id", "week_start"]).any()
    assert frame["is_inflated"].notna().all()
    assert (frame["inflation_style"].notna() == frame["is_inflated"]).all()
    assert set(frame["persona_kind"]) == {"ordinary", "legitimate_heavy", "inflator"}
    assert set(frame["persona"]) <= set(PERSONAS)
    weeks = {START + timedelta(weeks=k) for k in range(WEEKS)}
    assert set(frame["week_start"]) <= weeks
    assert all(day.weekday() == 0 for day in frame["week_start"])
    assert (frame["ai_total_tokens"] >= 0).all()
    assert set(frame.loc[frame.is_inflated, "inflation_style"]) <= set(STYLES)
    inflated_kind = frame.loc[frame.is_inflated, "persona_kind"]
    assert (inflated_kind == "inflator").all()
    # Every engineer-week belongs to an employed non-manager.
    bad = con.execute(
        """
        select count(*) from truth t left join people p using (employee_id)
        where p.employee_id is null or p.role in ('manager', 'director')
           or p.hired_on > t.week_start + 6 or (p.left_on is not null and p.left_on < t.week_start)
        """
    ).fetchone()[0]
    assert bad == 0
    missing = con.execute(
        """
        select count(*) from people p
        cross join (select distinct week_start from truth) w
        left join truth t on t.employee_id = p.employee_id and t.week_start = w.week_start
        where p.role not in ('manager', 'director') and p.hired_on <= w.week_start + 6
          and (p.left_on is null or p.left_on >= w.week_start) and t.employee_id is null
        """
    ).fetchone()[0]
    assert missing == 0


def test_every_persona_and_style_present(truth: pa.Table) -> None:
    frame = truth.to_pandas()
    assert set(frame["persona"]) == set(PERSONAS)
    assert set(frame.loc[frame.is_inflated, "inflation_style"]) == set(STYLES)
    for style in STYLES:  # an inflator's persona is named after their style
        assert (frame.loc[frame.inflation_style == style, "persona"] == style).all()


def test_legitimate_heavy_never_inflated_and_heavier(truth: pa.Table) -> None:
    frame = truth.to_pandas()
    legit = frame[frame.persona_kind == "legitimate_heavy"]
    ordinary = frame[frame.persona_kind == "ordinary"]
    assert not legit["is_inflated"].any()
    assert not ordinary["is_inflated"].any()
    assert legit["ai_total_tokens"].mean() > 2 * ordinary["ai_total_tokens"].mean()
    for persona in LEGITIMATE:
        assert (
            frame.loc[frame.persona == persona, "ai_total_tokens"].mean() > ordinary["ai_total_tokens"].mean()
        )
    assert set(ordinary["persona"]) == set(ORDINARY)
    assert frame.loc[frame.persona == "non_adopter", "ai_total_tokens"].sum() == 0
    inflated = frame[frame.is_inflated]
    assert (inflated["ai_total_tokens"] >= 250_000).all()
    inflators = frame[frame.persona_kind == "inflator"]
    assert (~inflators["is_inflated"]).any(), "inflators have honest weeks too"


def test_truth_tokens_match_the_landed_events(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        """
        with mapped as (
            select coalesce(i.employee_id, p.employee_id) as employee_id,
                   date_trunc('week', e.occurred_at)::date as week_start,
                   e.input_tokens + coalesce(e.cached_input_tokens, 0) + coalesce(e.cache_write_tokens, 0)
                       + e.output_tokens as tokens
            from (select distinct * from ai_usage_events) e
            left join identities i on i.source_system = e.source_tool and i.account_id = e.actor_id
            left join people p on p.email = lower(e.actor_id)
        ),
        landed as (
            select employee_id, week_start, sum(tokens) as tokens
            from mapped where employee_id in (select employee_id from truth) group by all
        )
        select count(*) filter (where coalesce(l.tokens, 0) <> t.ai_total_tokens),
               count(*) filter (where l.tokens is not null and t.employee_id is null)
        from truth t full join landed l using (employee_id, week_start)
        """
    ).fetchone()
    assert rows == (0, 0)


def test_landing_tables_follow_the_contract(landing: tuple[Path, str]) -> None:
    out = landing[0]
    types = {
        "string": pa.types.is_string,
        "integer": pa.types.is_integer,
        "decimal": pa.types.is_decimal,
        "timestamp": pa.types.is_timestamp,
        "date": pa.types.is_date,
    }
    for name, table in TABLES.items():
        data = read(out, name)
        assert data.num_rows > 0, name
        for column in table.columns:
            if column.name not in data.column_names:
                assert not column.required, f"{name}.{column.name} is required"
                continue
            values = data.column(column.name)
            assert types[column.type](values.type), f"{name}.{column.name}: {values.type}"
            if column.required:
                assert values.null_count == 0, f"{name}.{column.name} has nulls"
            if column.non_negative:
                assert pc.min(values).as_py() is None or pc.min(values).as_py() >= 0, f"{name}.{column.name}"
            if column.accepted is not None:
                seen = {v.upper() for v in pc.unique(values).to_pylist() if v is not None}
                assert seen <= {v.upper() for v in column.accepted}, f"{name}.{column.name}: {seen}"
            if column.type == "timestamp":
                assert values.type.tz is None, "timestamps are written as UTC without a zone"
        keys = data.select(list(table.key)).to_pandas()
        assert not keys.duplicated().any() or name == "ai_usage_events", f"{name} key not unique"
    # Usage events: a key lands at most twice (a re-delivered file), and then as the same row.
    events = read(out, "ai_usage_events").to_pandas()
    assert not events.drop_duplicates().duplicated(["source_tool", "event_id"]).any()
    low, high = np.datetime64(START), np.datetime64(START + timedelta(weeks=WEEKS))
    assert events["occurred_at"].between(low, high, inclusive="left").all()
    assert set(events["request_kind"]) <= {"chat", "completion", "agent", "tab", "review", "other"}
    assert set(events["source_tool"]) == {"claude_code", "cursor", "copilot", "openai_api", "internal_agent"}
    assert (events["lines_accepted"].fillna(0) <= events["lines_suggested"].fillna(0)).all()


SERVICE_KEYS = ("ka-ci-release-notes", "ka-support-macros")
GITHUB = "(select account_id from identities where source_system = 'github')"

OWNERSHIP_CHECKS = {
    "identities to people": "from identities where employee_id not in (select employee_id from people)",
    "people to teams": "from people where team_id not in (select team_id from teams)",
    "managers": """from people where manager_employee_id is not null
        and manager_employee_id not in (select employee_id from people)""",
    "repositories": "from repositories where team_id not in (select team_id from teams)",
    "services": "from services where team_id not in (select team_id from teams)",
    "unmatched usage is only the CI service keys": f"""from ai_usage_events e
        where not exists (select 1 from identities i
                          where i.source_system = e.source_tool and i.account_id = e.actor_id)
          and lower(e.actor_id) not in (select email from people)
          and e.actor_id not in {SERVICE_KEYS}""",
    "pr authors": f"from pull_requests where author_login not like '%[bot]' and author_login not in {GITHUB}",
    "pr repos": "from pull_requests where repo not in (select repo from repositories)",
    "incident services": "from incidents where service not in (select service from services)",
}

DELIVERY_CHECKS = {
    "reviews point at pull requests": """from pr_reviews r
        left join pull_requests p using (repo, pr_number) where p.repo is null""",
    "no self reviews": """from pr_reviews r join pull_requests p using (repo, pr_number)
        where r.reviewer_login = p.author_login""",
    "reviews after opening, before merge or close": """from pr_reviews r
        join pull_requests p using (repo, pr_number)
        where r.submitted_at < p.created_at
           or r.submitted_at > coalesce(p.merged_at, p.closed_at, timestamp '2100-01-01')""",
    "reviewers are people": f"from pr_reviews where reviewer_login not in {GITHUB}",
    "merged prs have commits": """from pull_requests p where merged_at is not null
        and not exists (select 1 from commits c where c.repo = p.repo and c.pr_number = p.pr_number)""",
    "merge commits exist": """from pull_requests p where merged_at is not null
        and not exists (select 1 from commits c where c.repo = p.repo and c.sha = p.merge_commit_sha)""",
    "only merged prs have merge commits": """from pull_requests
        where (merged_at is null) <> (merge_commit_sha is null)""",
    "merged prs close when merged": """from pull_requests
        where merged_at is not null and closed_at <> merged_at""",
    "pr timeline": """from pull_requests where first_commit_at > created_at or merged_at < created_at
        or closed_at < created_at or ready_for_review_at < created_at""",
    "commits belong to pull requests": """from commits c
        left join pull_requests p using (repo, pr_number) where p.repo is null""",
    "first commit time": """from pull_requests p where first_commit_at <> (
        select min(authored_at) from commits c where c.repo = p.repo and c.pr_number = p.pr_number)""",
    "deployed commits exist": """from deployments d
        where not exists (select 1 from commits c where c.repo = d.repo and c.sha = d.sha)""",
    "deployment timeline": "from deployments where finished_at < started_at",
    "incident causes exist": """from incidents i where caused_by_deployment_id is not null
        and not exists (select 1 from deployments d where d.deployment_id = i.caused_by_deployment_id
                        and d.repo = i.repo and d.environment = 'production')""",
    "incidents after their cause": """from incidents i
        join deployments d on d.deployment_id = i.caused_by_deployment_id
        where i.created_at < d.started_at""",
    "resolved incidents have resolvers": """from incidents where resolved_at is not null
        and (responder_email is null or responder_email not in (select email from people))""",
    "open incidents have none": "from incidents where resolved_at is null and responder_email is not null",
    "incident timeline": """from incidents
        where acknowledged_at < created_at or resolved_at < acknowledged_at""",
}


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(f"select count(*) {sql}").fetchone()[0]


def test_identities_and_ownership_are_consistent(con: duckdb.DuckDBPyConnection) -> None:
    for label, sql in OWNERSHIP_CHECKS.items():
        assert _count(con, sql) == 0, label
    assert _count(con, f"from ai_usage_events where actor_id in {SERVICE_KEYS}") > 0


def test_delivery_tables_are_consistent(con: duckdb.DuckDBPyConnection) -> None:
    for label, sql in DELIVERY_CHECKS.items():
        assert _count(con, sql) == 0, label
    assert _count(con, "from pull_requests where merged_at is not null") > 0
    assert _count(con, "from pull_requests where merged_at is null and closed_at is not null") > 0
    assert _count(con, "from pull_requests where closed_at is null") > 0
    prototypes = "from pull_requests where labels like '%prototype%'"
    assert _count(con, prototypes) > 0
    assert _count(con, f"{prototypes} and merged_at is not null") == 0
    assert _count(con, "from commits where message ilike '%co-authored-by: %'") > 0
    statuses = con.execute("select count(distinct status) from deployments where environment = 'production'")
    assert statuses.fetchone()[0] >= 2


@pytest.mark.slow
def test_cli_generates_and_the_warehouse_builds_without_quarantine(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    generated = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "generate", "--family", "kestrel", "--engineers", "40",
         "--weeks", "4", "--seed", "3", "--out", str(landing), "--no-progress"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    assert "inflated engineer-weeks per style" in generated.stdout
    built = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "build", "--landing", str(landing), "--warehouse",
         str(warehouse)],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "quarantined this run: 0 rows" in built.stdout, built.stdout[-3000:]
