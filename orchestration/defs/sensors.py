"""A sensor that starts a build when files land.

It lists the landing zone and compares every data file's size and modification time with the
cursor of files it has seen. It never opens the DuckDB working file: a running build holds DuckDB's
one write lock, and a sensor waiting on it would stall every other sensor and schedule.

A run it requests ingests only the tables that got new files, plus everything downstream. When that
reaches the daily-partitioned models, the run covers the days the new files can hold: the days named
in hive-style folders (`date=2026-05-19/`) with one day either side, since a file dated in local time
can hold rows of the neighbouring UTC days; any other file may hold any day, so then the run covers
every partition.
"""

import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg

from orchestration.defs.partitions import daily_partitions
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.schedules import WAREHOUSE_JOB
from orchestration.landing.ingest import landed_files_of
from orchestration.landing.vendors import EXPORTS

LANDING_SENSOR = "landing_files"
PARTITION_RANGE_START = "dagster/asset_partition_range_start"
PARTITION_RANGE_END = "dagster/asset_partition_range_end"

_FOLDER_DATE = re.compile(r"(?:^|/)(?:date|dt|day)=(\d{4}-\d{2}-\d{2})(?:/|$)")


def landed_files(landing: Path, tables: Iterable[str]) -> dict[str, str]:
    """`<folder>/<path>` -> "size:mtime_ns" of every file ingest would read for `tables` (ingest's own
    rule), the vendor export folders mapped into them included."""
    return {
        landed.relative: f"{landed.size}:{landed.mtime_ns}"
        for table in tables
        for landed in landed_files_of(landing, table)
    }


def table_of(path: str) -> str:
    """The table a landed file's rows go to: its folder's, or that of the vendor export it is in."""
    for export in EXPORTS.values():
        if path.startswith(export.folder + "/"):
            return export.table
    return path.split("/", 1)[0]


def partition_range(paths: Collection[str], now: datetime) -> tuple[str, str] | None:
    """First and last daily partition the rows of `paths` can fall in; None when there is none yet."""
    keys = daily_partitions.get_partition_keys(current_time=now)
    if not keys:
        return None
    first, last = date.fromisoformat(keys[0]), date.fromisoformat(keys[-1])
    days = [_FOLDER_DATE.search(path) for path in paths]
    if not paths or any(match is None for match in days):
        return keys[0], keys[-1]
    named = [date.fromisoformat(match.group(1)) for match in days if match]
    start, end = max(min(named) - timedelta(days=1), first), min(max(named) + timedelta(days=1), last)
    if start > end:
        return None
    return start.isoformat(), end.isoformat()


def build_landing_sensor(
    targets_by_table: Mapping[str, Sequence[dg.AssetKey]],
    partitioned_keys: Collection[dg.AssetKey],
) -> dg.SensorDefinition:
    """`targets_by_table`: the assets a run must build when a table gets files (its ingest asset,
    the bookkeeping ingest writes, and everything downstream of them)."""

    @dg.sensor(
        name=LANDING_SENSOR,
        job_name=WAREHOUSE_JOB,
        minimum_interval_seconds=60,
        description="Builds the tables that got new or changed landing files, and everything downstream.",
    )
    def landing_files(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
        seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
        current = landed_files(warehouse.landing_path, targets_by_table)
        new = sorted(path for path, signature in current.items() if seen.get(path) != signature)
        if not new:
            return dg.SensorResult(
                skip_reason=f"No new files in {warehouse.landing_path}", cursor=json.dumps(current)
            )
        tables = sorted({table_of(path) for path in new})
        selection = {key for table in tables for key in targets_by_table[table]}
        tags = {"airoi/trigger": "landing_files", "airoi/tables": ",".join(tables)}
        if selection & set(partitioned_keys):
            dated = [path for path in new if set(targets_by_table[table_of(path)]) & set(partitioned_keys)]
            window = partition_range(dated, datetime.now(UTC))
            if window is None:
                selection -= set(partitioned_keys)
            else:
                tags |= {PARTITION_RANGE_START: window[0], PARTITION_RANGE_END: window[1]}
        context.log.info(f"{len(new)} new or changed files in {', '.join(tables)}")
        run_key = hashlib.sha1("\n".join(f"{path}={current[path]}" for path in new).encode()).hexdigest()
        request = dg.RunRequest(
            run_key=run_key,
            asset_selection=sorted(selection, key=lambda key: key.to_user_string()),
            tags=tags,
        )
        return dg.SensorResult(run_requests=[request], cursor=json.dumps(current))

    return landing_files
