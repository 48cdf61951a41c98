"""`airoi build` runs land in the Dagster instance's run history, as the UI lists them."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.cli_runs import CLI_JOB, TRIGGER_TAG, record_build
from orchestration.defs.publish import PUBLISHED_KEY
from orchestration.defs.readers import BI_KEY, REPORT_KEY

PROJECT_DIR = Path(__file__).resolve().parents[1]


def test_a_build_is_recorded_only_where_dagster_home_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    started = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert record_build(tmp_path / "landing", warehouse, started, 1.0, True, "ok") is None

    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((PROJECT_DIR / ".dagster" / "dagster.yaml").read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    succeeded = record_build(tmp_path / "landing", warehouse, started, 42.5, True, str(warehouse))
    failed = record_build(
        tmp_path / "landing",
        warehouse,
        started,
        3.0,
        False,
        "dbt build failed; the published warehouse was left",
    )

    with dg.DagsterInstance.get() as instance:
        runs = {run.run_id: run for run in instance.get_runs()}
        assert runs[succeeded].job_name == CLI_JOB and runs[succeeded].status == dg.DagsterRunStatus.SUCCESS
        assert runs[failed].status == dg.DagsterRunStatus.FAILURE
        assert runs[succeeded].tags[TRIGGER_TAG] == "cli"
        for key, name in ((PUBLISHED_KEY, "warehouse.duckdb"), (BI_KEY, "warehouse.bi.duckdb"),
                          (REPORT_KEY, "warehouse.report.html")):  # fmt: skip
            event = instance.get_latest_materialization_event(key)
            assert event is not None and event.run_id == succeeded
            assert event.asset_materialization.metadata["path"].value == str(tmp_path / name)
        messages = [
            entry.dagster_event.step_failure_data.error.message
            for entry in instance.all_logs(failed)
            if entry.dagster_event is not None and entry.dagster_event.is_step_failure
        ]
        assert any("the published warehouse was left" in message for message in messages), messages
