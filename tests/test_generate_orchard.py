"""The orchard generator family: determinism, the ground truth, and the landing-zone contract."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.landing.contract import TABLES
from orchestration.orchard import TODAY, default_start, generate
from orchestration.orchard.org import PERSONAS, STYLES

PROJECT = Path(__file__).resolve().parents[1]
START = date(2026, 7, 27)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("orchard") / "land"
    summary = generate(out, engineers=300, weeks=8, seed=11, start=START, progress=False)
    assert "inflated engineer-weeks per style" in summary.render()
    return out


@pytest.fixture(scope="module")
def truth(org: Path) -> pa.Table:
    return pq.read_table(org / "_ground_truth" / "engineer_weeks.parquet")


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    kwargs = {"engineers": 30, "weeks": 4, "start": START, "progress": False}
    generate(tmp_path / "a", seed=5, **kwargs)
    generate(tmp_path / "b", seed=5, **kwargs)
    generate(tmp_path / "c", seed=6, **kwargs)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert a == b
    assert a != c
    assert a["_ground_truth/engineer_weeks.parquet"] != c["_ground_truth/engineer_weeks.parquet"]


def test_truth_columns_types_and_key(truth: pa.Table) -> None:
    schema = truth.schema
    assert schema.field("employee_id").type == pa.string()
    assert schema.field("week_start").type == pa.date32()
    assert schema.field("persona").type == pa.string()
    assert schema.field("persona_kind").type == pa.string()
    assert schema.field("is_inflated").type == pa.bool_()
    assert schema.field("inflation_style").type == pa.string()
    rows = truth.to_pylist()
    keys = {(r["employee_id"], r["week_start"]) for r in rows}
    assert len(keys) == len(rows)
    assert all(r["week_start"].weekday() == 0 for r in rows)
    assert {r["persona_kind"] for r in rows} == {"ordinary", "legitimate_heavy", "inflator"}
    for r in rows:
        assert r["employee_id"] and r["is_inflated"] is not None
        assert (r["inflation_style"] is not None) == r["is_inflated"]


def test_every_persona_and_style_present(truth: pa.Table) -> None:
    rows = truth.to_pylist()
    assert {r["persona"] for r in rows} == set(PERSONAS)
    styles = {r["inflation_style"] for r in rows if r["is_inflated"]}
    assert styles == set(STYLES.values())
    for r in rows:
        if r["is_inflated"]:
            assert STYLES[r["persona"]] == r["inflation_style"]


def test_legitimate_heavy_never_inflated_and_heavier_than_ordinary(truth: pa.Table) -> None:
    rows = truth.to_pylist()
    assert not any(r["is_inflated"] for r in rows if r["persona_kind"] != "inflator")
    mean = {}
    for kind in ("ordinary", "legitimate_heavy"):
        tokens = [r["ai_total_tokens"] for r in rows if r["persona_kind"] == kind]
        mean[kind] = sum(tokens) / len(tokens)
    assert mean["legitimate_heavy"] > 2 * mean["ordinary"]


def test_inflated_weeks_have_usage_in_the_landing_zone(org: Path) -> None:
    con = duckdb.connect()
    missing = con.execute(
        f"""
        select count(*)
        from read_parquet('{org}/_ground_truth/engineer_weeks.parquet') t
        where t.is_inflated and not exists (
            select 1
            from read_parquet('{org}/ai_usage_events/**/*.parquet') e
            join read_parquet('{org}/identities/*.parquet') i
                on i.source_system = e.source_tool and i.account_id = e.actor_id
            where i.employee_id = t.employee_id
                and date_trunc('week', e.occurred_at at time zone 'UTC') = t.week_start
        )
        """
    ).fetchone()[0]
    assert missing == 0


def _arrow_kind(kind: str, dtype: pa.DataType) -> bool:
    return {
        "string": pa.types.is_string,
        "integer": pa.types.is_int64,
        "decimal": pa.types.is_decimal,
        "timestamp": pa.types.is_timestamp,
        "date": pa.types.is_date32,
    }[kind](dtype)


def test_landing_zone_follows_the_contract(org: Path) -> None:
    con = duckdb.connect()
    for name, table in TABLES.items():
        folder = org / name
        files = sorted(folder.rglob("*.parquet"))
        csvs = sorted(folder.rglob("*.csv"))
        assert files or csvs, f"{name}: nothing written"
        for path in files:
            schema = pq.read_schema(path)
            assert schema.names == table.column_names, path
            for column in table.columns:
                assert _arrow_kind(column.type, schema.field(column.name).type), (path, column.name)
        for path in csvs:
            header = path.read_text().splitlines()[0].replace('"', "").split(",")
            assert header == table.column_names, path
        source = (
            f"read_parquet('{folder}/**/*.parquet')"
            if files
            else f"read_csv('{folder}/*.csv', header = true)"
        )
        for column in table.columns:
            if column.required:
                nulls = con.execute(f"select count(*) from {source} where {column.name} is null").fetchone()[
                    0
                ]
                assert nulls == 0, (name, column.name)
            if column.non_negative:
                negative = con.execute(f"select count(*) from {source} where {column.name} < 0").fetchone()[0]
                assert negative == 0, (name, column.name)
            if column.accepted:
                values = {
                    v for (v,) in con.execute(f"select distinct {column.name} from {source}").fetchall()
                }
                assert values <= set(column.accepted), (name, column.name, values)
        if name != "ai_usage_events":
            key = ", ".join(table.key)
            dupes = con.execute(f"select count(*) - count(distinct ({key})) from {source}").fetchone()[0]
            assert dupes == 0, name


def test_people_and_identities_cover_the_usage(org: Path) -> None:
    con = duckdb.connect()
    unmatched = con.execute(
        f"""
        select count(*) from read_parquet('{org}/ai_usage_events/**/*.parquet') e
        where not exists (
            select 1 from read_parquet('{org}/identities/*.parquet') i
            where i.source_system = e.source_tool and i.account_id = e.actor_id
        )
        """
    ).fetchone()[0]
    assert unmatched == 0
    roles = {
        r
        for (r,) in con.execute(
            f"select distinct role from read_parquet('{org}/people/*.parquet')"
        ).fetchall()
    }
    assert "manager" in roles and "engineer" in roles


def test_period_must_end_before_today(tmp_path: Path) -> None:
    monday = TODAY - timedelta(days=TODAY.weekday())
    with pytest.raises(ValueError, match="past today"):
        generate(
            tmp_path / "x", engineers=20, weeks=4, seed=1, start=monday - timedelta(days=14), progress=False
        )
    assert default_start(26) + timedelta(days=7 * 26) <= TODAY
    summary = generate(tmp_path / "y", engineers=20, weeks=4, seed=1, start=None, progress=False)
    assert summary.start == default_start(4)


@pytest.mark.slow
def test_generate_and_build_from_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT)}
    airoi = [sys.executable, "-m", "orchestration.cli"]
    land, warehouse = tmp_path / "land", tmp_path / "w.duckdb"
    gen = subprocess.run(
        [
            *airoi,
            "generate",
            "--family",
            "orchard",
            "--engineers",
            "40",
            "--weeks",
            "4",
            "--seed",
            "3",
            "--out",
            str(land),
            "--no-progress",
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert gen.returncode == 0, gen.stderr
    assert (land / "_ground_truth" / "engineer_weeks.parquet").is_file()
    build = subprocess.run(
        [*airoi, "build", "--landing", str(land), "--warehouse", str(warehouse)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "quarantined this run: 0 rows" in build.stdout
