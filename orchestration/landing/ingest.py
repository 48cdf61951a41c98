"""Landing-zone ingest: the files under `<landing>/<table>/` into the typed `raw` schema.

The landing zone is written by other people's exports, so ingest trusts nothing in it and loses
nothing from it. A run goes through the concerns of this package in order:

1. `find`: the files of every contract table whose bytes the warehouse has not read before. A file
   whose bytes were already read under another name (a replay) is skipped too, and so is each later
   copy of the same bytes within one run: "last landed" is when the warehouse first saw the content.
   A folder no loader reads is reported, with its number of files.
2. `read`: every new file's header is checked before anything is loaded; a file that cannot be
   ingested at all stops the run with one `LandingError` that lists every such file; nothing is
   loaded and nothing is marked as read, so the next run after the fix reads the same files again.
   Then, in one transaction, each file's rows are typed per the contract in SQL.
3. `quarantine`: a row that breaks a rule goes to `raw._quarantine` with its file, row number and
   reason.
4. `merge`: the valid rows are merged into `raw.<table>` by the table's key, the last-landed copy
   winning.

A changed file (new content) is read again whole: its rows replace the stored rows of the same
keys, and its earlier quarantined rows give way to the ones it has now. `report` says what the
counts of a run mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
from tqdm import tqdm

from orchestration.landing.contract import TABLES, VENDOR_TABLES, Table
from orchestration.landing.find import (
    LandedFile,
    discover,
    hashed,
    ingested_files,
    unchanged_before_hashing,
    unknown_folders,
)
from orchestration.landing.merge import merge
from orchestration.landing.quarantine import TimestampWindow
from orchestration.landing.raw import RAW_SCHEMA, ensure_raw_schema
from orchestration.landing.read import (
    READ_ERRORS,
    VENDOR_READER,
    FilePlan,
    FileProblem,
    batches,
    create_stage,
    plan_file,
    stage_batch,
    unreadable_parquet,
)
from orchestration.landing.report import IngestReport, LandingError, TableReport
from orchestration.landing.sql import STAGE, first_line, utc_now
from orchestration.landing.vendors import EXPORTS

#: Every table ingest writes: the contract's, then the vendor exports' targets.
ALL_TABLES: dict[str, Table] = {**TABLES, **VENDOR_TABLES}


def landed_files_of(landing_dir: Path, table: str) -> list[LandedFile]:
    """The data files of one table: its own folder's, and those of every vendor export mapped into it."""
    own = discover(landing_dir, table) if table in TABLES else []
    return own + [
        landed
        for export in EXPORTS.values()
        if export.table == table
        for landed in discover(
            landing_dir,
            table,
            folder_name=export.folder,
            readers=dict.fromkeys(export.suffixes, VENDOR_READER + export.folder),
        )
    ]


def _joined_folder_files(new_files: list[LandedFile], unchanged: list[LandedFile]) -> list[LandedFile]:
    """The unchanged files of every export folder whose rows join several files and got a new file:
    they are read again with it, so a late status or log entry updates the rows it belongs to."""
    joined = [export.folder + "/" for export in EXPORTS.values() if export.folder_context is not None]
    touched = {folder for landed in new_files for folder in joined if landed.relative.startswith(folder)}
    return [landed for landed in unchanged if any(landed.relative.startswith(folder) for folder in touched)]


def ingest(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    tables: Iterable[str] | None = None,
    progress: bool = False,
    window: TimestampWindow | None = None,
) -> IngestReport:
    """Load the new and changed files of `landing_dir` into `raw`; raise `LandingError` (loading
    nothing) when a file cannot be ingested at all.

    Every run is recorded in `raw._loads`, one that finds nothing new included. The connection is
    left with its TimeZone set to UTC, the zone every stored timestamp is in.
    """
    landing_dir = Path(landing_dir)
    names = list(ALL_TABLES) if tables is None else list(tables)
    unknown = [name for name in names if name not in ALL_TABLES]
    if unknown:
        raise ValueError(f"not contract tables: {', '.join(unknown)}; the tables are {', '.join(ALL_TABLES)}")
    ensure_raw_schema(con)
    con.execute("set TimeZone = 'UTC'")

    window = window or TimestampWindow.from_environment()

    seen, read_hashes = ingested_files(con)
    new_files: list[LandedFile] = []
    replays: list[LandedFile] = []
    # Oldest first, so that of several copies of the same bytes in one run the first landed is read.
    landed_files = sorted(
        (landed for name in names for landed in landed_files_of(landing_dir, name)),
        key=lambda landed: (landed.mtime_ns, landed.relative),
    )
    unchanged: list[LandedFile] = []
    for landed in landed_files:
        try:
            landed = hashed(landed)
        except OSError as error:
            raise LandingError(f"{landed.relative}: could not be read ({error})") from error
        previous = seen.get((landed.table, landed.relative))
        if previous is not None and (
            previous[2] == landed.content_hash or unchanged_before_hashing(previous, landed)
        ):
            unchanged.append(landed)
            continue
        key = (landed.table, landed.content_hash)
        if key in read_hashes:
            replays.append(landed)
            continue
        read_hashes.add(key)
        new_files.append(landed)
    new_files += _joined_folder_files(new_files, unchanged)
    new_files.sort(key=lambda landed: (names.index(landed.table), landed.relative))
    plans: list[FilePlan] = []
    problems: list[str] = []
    for landed in new_files:
        try:
            plans.append(plan_file(con, landed))
        except FileProblem as problem:
            problems.append(f"{landed.relative}: {problem}")
    if problems:
        raise LandingError(problems)

    started_at = utc_now()
    load_id = con.execute(f"select coalesce(max(_load_id), 0) + 1 from {RAW_SCHEMA}._loads").fetchone()[0]
    report = IngestReport(
        load_id=load_id,
        tables={name: TableReport(table=name) for name in names},
        unknown_folders=unknown_folders(landing_dir, [*TABLES, *EXPORTS]),
    )
    for replay in replays:
        report.tables[replay.table].files_already_seen += 1
    con.execute("begin transaction")
    try:
        con.execute(
            f"insert into {RAW_SCHEMA}._loads (_load_id, landing_dir, started_at) values (?, ?, ?)",
            [load_id, str(landing_dir.resolve()), started_at],
        )
        with tqdm(total=len(plans), desc="ingest", unit="file", disable=not progress) as bar:
            for name in names:
                table_plans = [plan for plan in plans if plan.file.table == name]
                if table_plans:
                    reread = {
                        plan.file.relative for plan in table_plans if (name, plan.file.relative) in seen
                    }
                    table = ALL_TABLES[name]
                    table_report = _load_table(con, table, table_plans, reread, load_id, bar, window)
                    table_report.files_already_seen = sum(replay.table == name for replay in replays)
                    report.tables[name] = table_report
        con.execute(
            f"""
            update {RAW_SCHEMA}._loads
            set
                finished_at = ?,
                files_read = ?,
                rows_loaded = ?,
                rows_deduplicated = ?,
                rows_quarantined = ?
            where _load_id = ?
            """,
            [
                utc_now(),
                report.files_read,
                report.total_loaded,
                report.total_deduplicated,
                report.total_quarantined,
                load_id,
            ],
        )
        # A replay is recorded as read with no rows, so the next run passes over it silently.
        if replays:
            con.executemany(
                f"""
                insert into {RAW_SCHEMA}._ingested_files (
                    table_name, source_file, file_size, file_mtime_ns, content_hash, rows_read, rows_loaded,
                    rows_quarantined, _load_id, ingested_at
                )
                values (?, ?, ?, ?, ?, 0, 0, 0, ?, ?)
                """,
                [
                    [
                        replay.table,
                        replay.relative,
                        replay.size,
                        replay.mtime_ns,
                        replay.content_hash,
                        load_id,
                        utc_now(),
                    ]
                    for replay in replays
                ],
            )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return report


def _load_table(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    plans: list[FilePlan],
    reread: set[str],
    load_id: int,
    bar: tqdm,
    window: TimestampWindow,
) -> TableReport:
    """Stage every new file of `table`, quarantine its bad rows and merge the rest by key."""
    create_stage(con, table)
    ordered = sorted(plans, key=lambda plan: (plan.file.mtime_ns, plan.file.relative))
    for batch in batches(list(enumerate(ordered))):
        files = [plan for _, plan in batch]
        bar.set_postfix_str(files[0].file.relative, refresh=False)
        try:
            stage_batch(con, table, batch, window)
        except duckdb.OutOfMemoryException:
            raise
        except READ_ERRORS as error:
            culprit = files[0] if len(files) == 1 else unreadable_parquet(files)
            named = (
                culprit.file.relative if culprit else f"one of {', '.join(p.file.relative for p in files)}"
            )
            raise LandingError(f"{named}: could not be read ({first_line(error)})") from error
        bar.update(len(batch))
    report, per_file = merge(con, table, load_id, reread)
    report.files_read = len(plans)
    report.empty_files = [plan.file.relative for plan in ordered if plan.empty]
    con.execute(f"drop table {STAGE}")
    ingested_at = utc_now()
    con.executemany(
        f"""
        insert into {RAW_SCHEMA}._ingested_files (
            table_name,
            source_file,
            file_size,
            file_mtime_ns,
            content_hash,
            rows_read,
            rows_loaded,
            rows_quarantined,
            _load_id,
            ingested_at
        )
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            [
                table.name,
                plan.file.relative,
                plan.file.size,
                plan.file.mtime_ns,
                plan.file.content_hash,
                *per_file.get(plan.file.relative, [0, 0, 0]),
                load_id,
                ingested_at,
            ]
            for plan in plans
        ],
    )
    return report
