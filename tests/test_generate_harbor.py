"""The Harbor generator family: deterministic files, every contract table, and a ground truth that
counts what the warehouse counts, checked through the real `airoi generate` and `airoi build`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration.generator import harbor

AIROI = str(Path(sys.executable).with_name("airoi"))
CONTRACT_TABLES = (
    "people", "teams", "repositories", "services", "identities", "ai_usage_events", "pull_requests",
    "pr_reviews", "commits", "deployments", "incidents",
)  # fmt: skip
TRUTH_COLUMNS = {
    "employee_id": "string",
    "week_start": "date32[day]",
    "persona": "string",
    "persona_kind": "string",
    "is_inflated": "bool",
    "inflation_style": "string",
    "ai_total_tokens": "int64",
    "prs_merged": "int64",
    "commits": "int64",
    "reviews_given": "int64",
    "incidents_resolved": "int64",
}


def _files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    first = harbor.generate(tmp_path / "a", engineers=40, weeks=4, seed=5)
    harbor.generate(tmp_path / "b", engineers=40, weeks=4, seed=5)
    harbor.generate(tmp_path / "c", engineers=40, weeks=4, seed=6)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert a.keys() == b.keys()
    differing = [name for name in a if a[name] != b[name]]
    assert differing == []
    assert (
        a["ai_usage_events/week=2026-05-04/events.parquet"]
        != c["ai_usage_events/week=2026-05-04/events.parquet"]
    )
    assert first.rows["ai_usage_events"] > 0
    assert "harbor" in first.render()


def test_every_contract_table_is_written_with_rows(tmp_path: Path) -> None:
    out = tmp_path / "landing"
    harbor.generate(out, engineers=40, weeks=4, seed=5)
    con = duckdb.connect()
    for table in CONTRACT_TABLES:
        files = [p for p in (out / table).rglob("*") if p.suffix in {".parquet", ".csv", ".jsonl"}]
        assert files, table
        rows = 0
        for path in files:
            reader = {".parquet": "read_parquet", ".csv": "read_csv", ".jsonl": "read_json"}[path.suffix]
            rows += con.execute(f"select count(*) from {reader}('{path}')").fetchone()[0]
        assert rows > 0, table
    truth = pq.read_table(out / "_ground_truth" / "engineer_weeks.parquet")
    assert {field.name: str(field.type) for field in truth.schema} == TRUTH_COLUMNS
    manifest = json.loads((out / "_ground_truth" / "manifest.json").read_text())
    assert manifest["family"] == "harbor"
    assert set(manifest["leaderboard_snapshot"]) == {"weekday", "hour", "timezone"}
    # the snapshot schedule is the organisation's secret: no landed file names its zone
    zone = manifest["leaderboard_snapshot"]["timezone"]
    people_zones = con.execute(
        f"select distinct timezone from read_csv('{out}/people/roster.csv')"
    ).fetchall()
    for path in (out / "ai_usage_events").rglob("*"):
        if path.is_file():
            assert zone.encode() not in path.read_bytes() or (zone,) in people_zones


def test_personas_shares_and_inflated_weeks(tmp_path: Path) -> None:
    out = tmp_path / "landing"
    harbor.generate(out, engineers=300, weeks=8, seed=9)
    con = duckdb.connect()
    con.execute(f"create table truth as select * from '{out}/_ground_truth/engineer_weeks.parquet'")
    engineers = dict(
        con.execute("select persona_kind, count(distinct employee_id) from truth group by all").fetchall()
    )
    total = sum(engineers.values())
    assert total == 300
    assert 0.10 <= engineers["inflator"] / total <= 0.15
    assert 0.08 <= engineers["legitimate_heavy"] / total <= 0.12
    wrong = con.execute(
        """
        select count(*) from truth
        where (is_inflated and (persona_kind <> 'inflator' or inflation_style <> persona))
            or (not is_inflated and inflation_style is not null)
        """
    ).fetchone()[0]
    assert wrong == 0
    # every inflator inflates in some weeks and not necessarily in all of them
    per_style = dict(
        con.execute(
            "select persona, sum(is_inflated::int) from truth where persona_kind = 'inflator' group by all"
        ).fetchall()
    )
    assert set(per_style) == set(harbor.org.STYLES)
    assert all(count > 0 for count in per_style.values())
    # staff reviewers review far more than they merge; on-call SREs resolve incidents
    staff = con.execute(
        "select sum(reviews_given), sum(prs_merged) from truth where persona = 'staff_reviewer'"
    ).fetchone()
    assert staff[0] > 5 * staff[1]
    resolved = con.execute(
        "select sum(incidents_resolved) from truth where persona = 'oncall_sre'"
    ).fetchone()
    assert resolved[0] > 0
    # one account, one person: logins and personal addresses stay unique when two names clash
    clashes = con.execute(
        f"""
        select count(*) from (
            select source_system, lower(account_id)
            from read_csv('{out}/identities/identities.csv')
            group by all
            having count(*) > 1
        ) as shared
        """
    ).fetchone()[0]
    assert clashes == 0


@pytest.mark.slow
def test_truth_counts_what_the_warehouse_counts(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    env = {**os.environ, "AIROI_DBT_TARGET_PATH": str(tmp_path / "target")}

    def airoi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [AIROI, *args], capture_output=True, text=True, env=env, check=False, timeout=900
        )

    generated = airoi("generate", "--family", "harbor", "--out", str(landing), "--engineers", "40",
                      "--weeks", "6", "--seed", "3", "--no-progress")  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    built = airoi("build", "--landing", str(landing), "--warehouse", str(warehouse))
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]

    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(
            f"create temp table truth as select * from '{landing}/_ground_truth/engineer_weeks.parquet'"
        )
        compared = con.execute(
            """
            select
                count(*) as truth_rows,
                count(weekly.employee_id) as warehouse_rows,
                count(*) filter (where truth.ai_total_tokens <> weekly.ai_total_tokens) as tokens_differ,
                count(*) filter (where truth.prs_merged <> weekly.prs_merged) as prs_differ,
                count(*) filter (where truth.reviews_given <> weekly.reviews_given) as reviews_differ,
                count(*) filter (where truth.incidents_resolved <> weekly.incidents_resolved) as inc_differ,
                sum(truth.ai_total_tokens) as tokens,
                sum(truth.prs_merged) as prs,
                sum(truth.reviews_given) as reviews
            from truth
            left join marts.fct_engineer_weekly as weekly
                on truth.employee_id = weekly.employee_id and truth.week_start = weekly.week_start
            """
        ).fetchone()
        truth_rows, warehouse_rows, *differ, tokens, prs, reviews = compared
        known = con.execute(
            """
            select count(*) from marts.fct_engineer_weekly
            where employee_id in (select employee_id from truth)
            """
        ).fetchone()[0]
        assert truth_rows == known
        assert warehouse_rows == truth_rows
        assert differ == [0, 0, 0, 0]
        assert tokens > 0 and prs > 0 and reviews > 0

        # a corrected replay lands after its original, so the warehouse keeps the corrected tokens
        replay_file = next((landing / "ai_usage_events" / "replays").rglob("*.jsonl"))
        replays = {row["event_id"]: row for row in map(json.loads, replay_file.read_text().splitlines())}
        original_file = landing / "ai_usage_events" / replay_file.parent.name / "events.parquet"
        originals = con.execute(f"select event_id, output_tokens from '{original_file}'").fetchall()
        changed = [
            event
            for event, tokens in originals
            if event in replays and replays[event]["output_tokens"] != tokens
        ]
        assert changed, "no corrected replay in the first week"
        event = changed[0]
        landed = con.execute(
            f"select output_tokens from marts.fct_ai_usage_events where event_id = '{event}'"
        ).fetchone()[0]
        assert landed == replays[event]["output_tokens"]

        # rows that land a week late are counted like the others
        late_file = next((landing / "ai_usage_events" / "late").rglob("*.parquet"))
        late = con.execute(
            f"""
            select count(*), count(facts.event_id)
            from '{late_file}' as late
            left join marts.fct_ai_usage_events as facts
                on late.source_tool = facts.source_tool and late.event_id = facts.event_id
            """
        ).fetchone()
        assert late[0] > 0 and late[0] == late[1]
