"""The lattice generator family: same seed, same files; a truth the evaluation can read; every persona
and inflation style planted; the legitimately heavy never inflated; a landing zone the build takes whole."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration import lattice
from orchestration.lattice.simulate import HEAVY, ORDINARY, STYLES

START = date(2026, 3, 2)


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lattice") / "land"
    lattice.generate(out, engineers=160, weeks=10, seed=3, start=START, progress=False)
    return out


def _tables(root: Path) -> dict[str, pa.Table]:
    return {str(path.relative_to(root)): pq.read_table(path) for path in sorted(root.rglob("*.parquet"))}


def test_same_seed_same_files_and_another_seed_differs(org: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    lattice.generate(again, engineers=160, weeks=10, seed=3, start=START, progress=False)
    first, second = _tables(org), _tables(again)
    assert first.keys() == second.keys()
    for name, table in first.items():
        assert table.equals(second[name]), name
    other = tmp_path / "other"
    lattice.generate(other, engineers=160, weeks=10, seed=4, start=START, progress=False)
    name = "_ground_truth/engineer_weeks.parquet"
    assert not first[name].equals(_tables(other)[name])


def test_truth_columns_types_and_rows(org: Path) -> None:
    truth = pq.read_table(org / "_ground_truth" / "engineer_weeks.parquet")
    schema = truth.schema
    assert schema.field("employee_id").type == pa.string()
    assert schema.field("week_start").type == pa.date32()
    assert schema.field("persona").type == pa.string()
    assert schema.field("persona_kind").type == pa.string()
    assert schema.field("is_inflated").type == pa.bool_()
    assert schema.field("inflation_style").type == pa.string()
    rows = truth.to_pylist()
    assert all(row["week_start"].weekday() == 0 for row in rows)
    assert len({(row["employee_id"], row["week_start"]) for row in rows}) == len(rows)
    people = pq.read_table(org / "people").to_pylist()
    managers = {p["employee_id"] for p in people if p["role"] in ("manager", "director")}
    engineers = {p["employee_id"] for p in people} - managers
    assert {row["employee_id"] for row in rows} == engineers
    # a person hired in the period has no truth row before the Monday they start
    for person in people:
        if person["employee_id"] in engineers and person["hired_on"] > START:
            weeks = [row["week_start"] for row in rows if row["employee_id"] == person["employee_id"]]
            assert min(weeks) == person["hired_on"]
    assert all((row["inflation_style"] is None) == (not row["is_inflated"]) for row in rows)


def test_every_persona_and_style_and_heavy_never_inflated(org: Path) -> None:
    rows = pq.read_table(org / "_ground_truth" / "engineer_weeks.parquet").to_pylist()
    assert {row["persona"] for row in rows} == set(ORDINARY + HEAVY)
    assert {row["inflation_style"] for row in rows if row["is_inflated"]} == set(STYLES)
    heavy = [row for row in rows if row["persona_kind"] == "legitimate_heavy"]
    assert {row["persona"] for row in heavy} == set(HEAVY)
    assert not any(row["is_inflated"] for row in heavy)
    engineers = {row["employee_id"] for row in rows}
    inflators = {row["employee_id"] for row in rows if row["is_inflated"]}
    assert 0.08 <= len(inflators) / len(engineers) <= 0.15
    # inflators keep working: some of their weeks are not inflated
    assert any(not row["is_inflated"] for row in rows if row["employee_id"] in inflators)


def test_usage_is_in_the_past_and_accounts_are_known(org: Path) -> None:
    events = pq.read_table(org / "ai_usage_events")
    latest = max(events.column("occurred_at").to_pylist())
    assert latest < datetime.now(UTC)
    identities = pq.read_table(org / "identities").to_pylist()
    people = pq.read_table(org / "people").to_pylist()
    known = {row["account_id"] for row in identities} | {row["email"] for row in people}
    assert set(events.column("actor_id").to_pylist()) <= known


@pytest.mark.slow
def test_build_takes_every_row(tmp_path: Path) -> None:
    landing = tmp_path / "land"
    lattice.generate(landing, engineers=60, weeks=6, seed=2, start=START, progress=False)
    env = {**os.environ, "AIROI_DBT_TARGET_PATH": str(tmp_path / "target")}
    airoi = Path(sys.executable).with_name("airoi")
    result = subprocess.run(
        [str(airoi), "build", "--landing", str(landing), "--warehouse", str(tmp_path / "wh.duckdb")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "quarantined this run: 0 rows" in result.stdout
