"""The whole pipeline through the real `airoi` command: generate, build, publish, re-run, fail safely."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import PROJECT_DIR as PROJECT
from orchestration.settings import working_path

AIROI = str(Path(sys.executable).with_name("airoi"))

#: CONTRACT.md section 2: the published marts and the columns each must have.
CONTRACT_MARTS: dict[str, set[str]] = {
    "dim_engineers": {"employee_id", "team_id", "is_bot"},
    "fct_engineer_weekly": {
        "employee_id",
        "team_id",
        "week_start",
        "ai_total_tokens",
        "ai_cost_usd",
        "prs_merged",
        "median_pr_cycle_hours",
        "reviews_given",
        "incidents_resolved",
        "median_incident_resolve_hours",
        "tokens_per_merged_pr",
        "cost_per_merged_pr",
    },
    "fct_team_weekly": {
        "team_id",
        "week_start",
        "ai_total_tokens",
        "ai_cost_usd",
        "prs_merged",
        "median_pr_cycle_hours",
        "reviews_given",
        "incidents_resolved",
        "median_incident_resolve_hours",
        "tokens_per_merged_pr",
        "cost_per_merged_pr",
        "deployments",
        "change_failure_rate",
        "median_lead_time_hours",
        "median_time_to_restore_hours",
    },
    "fct_consumption_flags": {"employee_id", "week_start", "inflation_score", "is_flagged", "reasons"},
}


def airoi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AIROI, *args], capture_output=True, text=True, check=False, timeout=900)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    root = tmp_path_factory.mktemp("e2e")
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    generated = airoi("generate", "--out", str(landing), "--engineers", "16", "--weeks", "4", "--seed", "3",
                      "--no-progress")  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    result = airoi("build", "--landing", str(landing), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return landing, warehouse, result


def test_build_publishes_the_contract_marts(
    built: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    _, warehouse, result = built
    assert warehouse.exists()
    assert working_path(warehouse).exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, required in CONTRACT_MARTS.items():
            columns = {
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ?",
                    [table],
                ).fetchall()
            }
            assert required <= columns, f"marts.{table} lacks {sorted(required - columns)}"
        engineers = con.execute("select count(*) from marts.dim_engineers").fetchone()[0]
        weeks = con.execute("select count(distinct week_start) from marts.fct_engineer_weekly").fetchone()[0]
        mondays = con.execute(
            "select count(*) from marts.fct_engineer_weekly where isodow(week_start) <> 1"
        ).fetchone()[0]
    assert engineers >= 16
    assert weeks == 4
    assert mondays == 0
    # the run reports per table what it loaded, deduplicated and quarantined
    assert "ai_usage_events" in result.stdout
    assert "quarantined" in result.stdout.lower()


def test_dbt_keeps_its_target_beside_the_warehouse(
    built: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    """Builds of different warehouses never share dbt's run results: each has its own target folder."""
    import json

    _, warehouse, _ = built
    target = warehouse.parent / "warehouse.dbt"
    results = json.loads((target / "run_results.json").read_text())
    assert results["args"]["which"] == "build"
    assert Path(results["args"]["target_path"]).resolve() == target.resolve()
    assert len(results["results"]) > 100
    # The project's own target folder holds no trace of this build.
    shared = PROJECT / "target" / "run_results.json"
    if shared.exists():
        other = json.loads(shared.read_text())
        assert other["metadata"]["invocation_id"] != results["metadata"]["invocation_id"]
    # Kept for the next build of the same warehouse: dbt parses only what changed.
    assert (target / "partial_parse.msgpack").exists()


def test_rebuild_reads_no_file_and_changes_nothing(
    built: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    landing, warehouse, _ = built
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = con.execute(
            "select count(*), sum(ai_total_tokens) from marts.fct_engineer_weekly"
        ).fetchone()
    published = warehouse.stat()
    again = airoi("build", "--landing", str(landing), "--warehouse", str(warehouse))
    assert again.returncode == 0, again.stderr[-4000:]
    # Nothing new and the same project: no dbt run, and the published file is the one readers had.
    assert "Nothing new since the published build" in again.stdout
    assert f"Unchanged {warehouse}: nothing new was landed" in again.stdout
    assert "dbt:" not in again.stdout
    assert (warehouse.stat().st_ino, warehouse.stat().st_mtime_ns) == (
        published.st_ino,
        published.st_mtime_ns,
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        after = con.execute("select count(*), sum(ai_total_tokens) from marts.fct_engineer_weekly").fetchone()
    assert after == before
    with duckdb.connect(str(working_path(warehouse)), read_only=True) as con:
        last_load = con.execute(
            "select files_read, rows_loaded from raw._loads order by _load_id desc limit 1"
        ).fetchone()
    assert last_load == (0, 0)


def test_a_changed_project_or_a_new_load_is_not_mistaken_for_nothing_new(
    built: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    from orchestration.build import project_fingerprint, unchanged_since_published

    _, warehouse, _ = built
    work = working_path(warehouse)
    assert unchanged_since_published(work, warehouse, project_fingerprint())
    # Other vars (as Dagster's daily runs pass) are another project.
    assert not unchanged_since_published(work, warehouse, project_fingerprint(["--vars", "{a: 1}"]))
    # A published file from before the working file's last load (a build that failed after ingest).
    copy = warehouse.with_name("older.duckdb")
    with duckdb.connect(str(copy)) as con:
        con.execute("create schema raw")
        con.execute("create table raw._ingested_files as select 0 as _load_id")
    assert not unchanged_since_published(work, copy, project_fingerprint())
    assert not unchanged_since_published(work, warehouse.with_name("missing.duckdb"), project_fingerprint())


def test_every_dbt_unit_test_passes_on_the_built_warehouse(
    built: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    """Builds leave unit tests out (they check logic on fixed rows, not the data); they run here."""
    import json

    from orchestration.build import run_dbt

    _, warehouse, build = built
    assert "START unit_test" not in build.stdout and "START sql table model" in build.stdout
    target = warehouse.parent / "unit_target"
    result = run_dbt(["test", "--select", "test_type:unit"], working_path(warehouse), target_path=target)
    assert result.ok, [failure.render() for failure in result.failures]
    manifest = json.loads((target / "manifest.json").read_text())
    unit_tests = [key for key in manifest["unit_tests"]]
    assert len(unit_tests) >= 20
    assert result.counts.get("pass", 0) == len(unit_tests)


def test_summary_says_where_to_look(built: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    _, warehouse, _ = built
    shown = airoi("summary", "--warehouse", str(warehouse))
    assert shown.returncode == 0, shown.stderr
    assert str(warehouse.resolve()) in shown.stdout
    assert "marts.fct_engineer_weekly" in shown.stdout
    assert "Quarantined rows" in shown.stdout


def test_bad_landing_file_fails_the_build_and_keeps_the_published_warehouse(
    built: tuple[Path, Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    landing, warehouse, _ = built
    published = tmp_path / "warehouse.duckdb"
    published.write_bytes(warehouse.read_bytes())
    working_path(published).write_bytes(working_path(warehouse).read_bytes())
    before = published.read_bytes()

    broken = landing / "pull_requests" / "late" / "broken.csv"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("repo,pr_number,author_login\nacme/api,99999,someone\n")  # no created_at
    try:
        result = airoi("build", "--landing", str(landing), "--warehouse", str(published))
    finally:
        broken.unlink()
    assert result.returncode != 0
    assert "pull_requests/late/broken.csv" in result.stderr
    assert "created_at" in result.stderr
    assert published.read_bytes() == before
