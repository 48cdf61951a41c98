"""`airoi build`: ingest the landing zone, build the dbt project, publish a read-only copy.

The three steps run in this order because DuckDB allows one writer per file: ingest writes the
working file and closes it, dbt (in its own process) writes it and exits, and only when every
blocking check passed is the working file copied over the published one with an atomic rename.
A failed build therefore leaves the last good warehouse in place for the readers.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.bi.readers import publish_for_readers
from orchestration.ingest import IngestReport, LandingError, ingest
from orchestration.quality.suites import WarehouseValidation, validate_warehouse
from orchestration.settings import PROJECT_DIR, quiet_environment, temp_dir, working_path


class BuildError(Exception):
    """The build did not pass; the message says which step and what failed."""


@dataclass
class DbtFailure:
    unique_id: str
    status: str
    message: str

    def render(self) -> str:
        return f"  {self.status.upper():<6} {self.unique_id}: {self.message}"


@dataclass
class DbtResult:
    returncode: int
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[DbtFailure] = field(default_factory=list)
    warnings: list[DbtFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.failures


def dbt_environment(work: Path) -> dict[str, str]:
    env = quiet_environment()
    env["AIROI_DUCKDB_PATH"] = str(work.resolve())
    env.setdefault("AIROI_DUCKDB_TEMP_DIR", str(temp_dir(work).resolve()))
    return env


def run_dbt(args: list[str], work: Path, target_path: Path | None = None, quiet: bool = False) -> DbtResult:
    """Run dbt in its own process against `work` and read back what happened from run_results.json.

    A separate process guarantees dbt's DuckDB connection is closed when it returns, so the file can
    be copied or opened by the next step.
    """
    temp_dir(work).mkdir(parents=True, exist_ok=True)
    target = target_path or Path(os.environ.get("AIROI_DBT_TARGET_PATH") or PROJECT_DIR / "target")
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target),
    ]
    completed = subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env=dbt_environment(work),
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
        text=True,
        check=False,
    )
    result = DbtResult(returncode=completed.returncode)
    results_file = target / "run_results.json"
    if results_file.exists():
        for node in json.loads(results_file.read_text())["results"]:
            status = node["status"]
            result.counts[status] = result.counts.get(status, 0) + 1
            entry = DbtFailure(node["unique_id"], status, (node.get("message") or "").strip())
            if status in {"error", "fail", "runtime error"}:
                result.failures.append(entry)
            elif status == "warn":
                result.warnings.append(entry)
    if completed.returncode != 0 and not result.failures:
        output = (completed.stdout or "").strip().splitlines()[-20:] if quiet else []
        message = "\n".join(output) or "see dbt's output above"
        result.failures.append(
            DbtFailure("dbt", "error", f"dbt exited with {completed.returncode}: {message}")
        )
    return result


def publish(work: Path, published: Path) -> None:
    """Swap a consistent copy of the working file in as the published warehouse.

    The copy is written next to the target and renamed over it, which is atomic on one file system:
    a reader that has the old file open keeps its snapshot, a reader that opens it afterwards gets
    the new one, and nobody sees a half-written file.
    """
    with duckdb.connect(str(work)) as con:
        con.execute("checkpoint")
    staging = published.with_name(f".{published.name}.publishing")
    shutil.copyfile(work, staging)
    with staging.open("rb+") as handle:
        os.fsync(handle.fileno())
    staging.replace(published)


def connect_working(work: Path) -> duckdb.DuckDBPyConnection:
    """Open the working file with the same memory limit and spill folder that dbt's profile uses."""
    work.parent.mkdir(parents=True, exist_ok=True)
    spill = temp_dir(work)
    spill.mkdir(parents=True, exist_ok=True)
    config = {
        "memory_limit": os.environ.get("AIROI_DUCKDB_MEMORY_LIMIT", "8GB"),
        "temp_directory": os.environ.get("AIROI_DUCKDB_TEMP_DIR", str(spill)),
        "preserve_insertion_order": False,
    }
    return duckdb.connect(str(work), config=config)


def run_ingest(landing: Path, work: Path, tables: list[str] | None = None) -> IngestReport:
    with connect_working(work) as con:
        return ingest(con, landing, tables=tables, progress=sys.stderr.isatty())


@dataclass
class BuildResult:
    ingest: IngestReport
    dbt: DbtResult
    quality: WarehouseValidation
    published: Path


def build(landing: Path, warehouse: Path, dbt_args: list[str] | None = None) -> BuildResult:
    """Ingest `landing`, build and test every model, validate the marts, publish to `warehouse`.

    Raises BuildError, and leaves the published file as it was, when a landing file cannot be read,
    a dbt model or error-severity test fails, or a blocking Great Expectations expectation fails.
    """
    if not landing.is_dir():
        raise BuildError(f"landing zone {landing} does not exist or is not a folder")
    work = working_path(warehouse)
    try:
        report = run_ingest(landing, work)
    except LandingError as error:
        raise BuildError(f"ingest failed, nothing was loaded:\n{error}") from error
    print(report.render(), flush=True)
    result = run_dbt(["build", *(dbt_args or [])], work)
    if not result.ok:
        lines = "\n".join(failure.render() for failure in result.failures)
        raise BuildError(
            f"dbt build failed; the published warehouse {warehouse} was left as it was.\n{lines}"
        )
    quality = validate_warehouse(work, docs_dir=warehouse.parent / "gx_docs")
    print(quality.render(), flush=True)
    if not quality.blocking_success:
        raise BuildError(
            f"blocking data-quality expectations failed; {warehouse} was left as it was (details above)."
        )
    publish(work, warehouse)
    print(publish_for_readers(warehouse).render(), flush=True)
    return BuildResult(ingest=report, dbt=result, quality=quality, published=warehouse)


def summary(warehouse: Path) -> str:
    """What a newcomer needs after a build: what is in the marts, what was quarantined, how to look."""
    lines = [f"Warehouse: {warehouse.resolve()}", "", "Marts:"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        ).fetchall()
        for schema, name in tables:
            count = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            lines.append(f"  {schema}.{name:<40} {count:>12,} rows")
        quarantine = con.execute(
            "select table_name, reason_code, count(*) from raw._quarantine "
            "group by all order by table_name, reason_code"
        ).fetchall()
    lines += ["", f"Quarantined rows: {sum(row[2] for row in quarantine):,}"]
    lines += [f"  {table:<24} {reason:<16} {count:>8,}" for table, reason, count in quarantine]
    lines += [
        "",
        "Look at it:",
        f'  .venv/bin/airoi query --warehouse {warehouse} "select * from marts.fct_team_weekly limit 20"',
        f"  or any DuckDB client, read-only: duckdb -readonly {warehouse}",
    ]
    return "\n".join(lines)
