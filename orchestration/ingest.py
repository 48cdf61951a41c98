"""Landing-zone ingest: the files under `<landing>/<table>/` into the typed `raw` schema.

The landing zone is written by other people's exports, so ingest trusts nothing in it and loses
nothing from it. It works in three steps:

1. Find the files of every contract table whose content the warehouse has not read before
   (`raw._ingested_files` keeps a SHA-256 of every file it read), so a re-run reads only what is new
   or changed. Touching or re-syncing a file changes nothing; bytes rewritten in place, even with
   the same size and modification time, are a new landing. A file whose bytes were already read
   under another name (a replay) is skipped too, and so is each later copy of the same bytes within
   one run: "last landed" is when the warehouse first saw the content.
2. Check every new file's header before loading anything. A file that cannot be ingested at all
   (unreadable, not UTF-8, a required column missing) stops the run with one `LandingError` that
   lists every such file; nothing is loaded and nothing is marked as read, so the next run after
   the fix reads the same files again.
3. Load every file in one transaction: each row is typed per the contract in SQL, a row that breaks
   a rule (a timestamp outside the plausible window of `TimestampWindow` included) goes to
   `raw._quarantine` with its file, row number and reason, and the valid rows are
   merged into `raw.<table>` by the table's key, the last-landed copy winning. Files of one run
   land in the order of their modification time, then path; a later run lands after an earlier one.

A changed file (new content) is read again whole: its rows replace the stored rows of the same
keys, and its earlier quarantined rows give way to the ones it has now. An empty (0-byte) file of
any format is read as zero rows and listed in the report.

Parquet is read by DuckDB end to end (millions of rows stay out of Python). CSV and JSON lines are
parsed in Python in chunks of strings, because a malformed line must become a quarantined row with
its line number instead of an error that stops the whole read.

Row numbers (`_source_row`, `raw._quarantine.source_row`) are the 1-based row of a Parquet file and
the 1-based line of a CSV or JSON lines file (a CSV header is line 1, so its first row is line 2).

The counts of a run, per table, add up: `rows_read = rows_loaded + rows_deduplicated +
rows_quarantined`, where

- `rows_read`: data rows in the files read this run, malformed lines included;
- `rows_quarantined`: rows that broke a contract rule and went to `raw._quarantine`;
- `rows_loaded`: keys this run added to `raw.<table>` that were not there before;
- `rows_deduplicated`: valid rows that added no new key: earlier copies of a key that a later copy
  in the same run superseded, and rows that replaced the stored row of a key already in raw
  (replays, overlapping exports, corrected re-exports).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
from tqdm import tqdm

from orchestration.contract import DUCKDB_TYPES, FILE_FORMATS, TABLES, Column, Table
from orchestration.raw import RAW_SCHEMA, ensure_raw_schema

#: Rows of CSV or JSON lines held in Python at a time.
CHUNK_ROWS = 100_000

#: Prefix of the helper columns and temporary tables ingest adds; no landed column is named so.
_PREFIX = "__airoi_"
_ROW = f"{_PREFIX}row"
_EXTRA = f"{_PREFIX}extra"
_CONTENT = f"{_PREFIX}content"
_CHUNK = f"{_PREFIX}chunk"
_MALFORMED = f"{_PREFIX}malformed"
_STAGE = f"{_PREFIX}stage"
_COPIES = f"{_PREFIX}copies"

#: What the stage holds per row besides the contract's columns: lineage, the first broken rule, and
#: whether the row's key is new to raw.
_STAGE_COLUMNS = {
    "_file_seq": "integer",
    "_source_file": "varchar",
    "_source_row": "bigint",
    "_landed_at": "timestamp",
    "_extra": "varchar",
    "_column_name": "varchar",
    "_reason_code": "varchar",
    "_reason": "varchar",
    "_row_content": "varchar",
    "_is_new": "boolean default true",
}

#: What can go wrong reading a file whose header was fine: a corrupt Parquet page (DuckDB raises
#: several error classes for those), a file that vanished or changed under the run. Running out of
#: memory is not the file's fault and is raised as it is.
_READ_ERRORS = (duckdb.Error, OSError, UnicodeDecodeError, csv.Error)

_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}

#: Bytes hashed at a time; large enough that hashing runs near the disk's read speed.
_HASH_BLOCK = 1 << 20

_TYPE_NOUNS = {"integer": "an integer", "decimal": "a decimal", "timestamp": "a timestamp", "date": "a date"}


@dataclass(frozen=True)
class TimestampWindow:
    """The instants a landed timestamp can plausibly hold; a row with one outside is quarantined
    (`implausible_timestamp`) instead of stretching every weekly spine to year 9999 or 1970.

    From the environment: AIROI_TIMESTAMP_MIN (default 2000-01-01) and AIROI_TIMESTAMP_MAX (default
    now + AIROI_TIMESTAMP_MAX_AHEAD_DAYS days, 2 by default, for clock skew across time zones).
    """

    earliest: datetime
    latest: datetime

    @classmethod
    def from_environment(cls) -> TimestampWindow:
        earliest = os.environ.get("AIROI_TIMESTAMP_MIN") or "2000-01-01"
        latest = os.environ.get("AIROI_TIMESTAMP_MAX")
        ahead = float(os.environ.get("AIROI_TIMESTAMP_MAX_AHEAD_DAYS") or 2)
        return cls(
            earliest=datetime.fromisoformat(earliest),
            latest=datetime.fromisoformat(latest) if latest else _utc_now() + timedelta(days=ahead),
        )

    def describe(self) -> str:
        return f"{self.earliest:%Y-%m-%d %H:%M:%S} .. {self.latest:%Y-%m-%d %H:%M:%S} UTC"


class LandingError(Exception):
    """A landed file that cannot be ingested at all; the message names each file and why.

    `problems` holds one line per problem, each starting with the file's path relative to the
    landing zone.
    """

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} landing files cannot be ingested:\n" + "\n".join(
                f"  {problem}" for problem in self.problems
            )
        super().__init__(message)


@dataclass
class TableReport:
    """What one run did to one table; see the module docstring for what each count means."""

    table: str
    files_read: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_deduplicated: int = 0
    rows_quarantined: int = 0
    quarantined_by_reason: dict[str, int] = field(default_factory=dict)
    #: Files of 0 bytes, read as zero rows.
    empty_files: list[str] = field(default_factory=list)
    #: Files with new names or rewritten whose bytes had been read before (replays): not read again.
    files_already_seen: int = 0


@dataclass
class IngestReport:
    """What one ingest run did, per table."""

    load_id: int
    tables: dict[str, TableReport] = field(default_factory=dict)

    @property
    def files_read(self) -> int:
        return sum(report.files_read for report in self.tables.values())

    @property
    def total_read(self) -> int:
        return sum(report.rows_read for report in self.tables.values())

    @property
    def total_loaded(self) -> int:
        return sum(report.rows_loaded for report in self.tables.values())

    @property
    def total_deduplicated(self) -> int:
        return sum(report.rows_deduplicated for report in self.tables.values())

    @property
    def total_quarantined(self) -> int:
        return sum(report.rows_quarantined for report in self.tables.values())

    def render(self) -> str:
        """A table a person reads after a build: per table what was read and where each row went."""
        header = ("table", "files", "read", "loaded", "deduplicated", "quarantined")
        rows = [
            (
                name,
                report.files_read,
                report.rows_read,
                report.rows_loaded,
                report.rows_deduplicated,
                report.rows_quarantined,
            )
            for name, report in self.tables.items()
        ]
        rows.append(
            (
                "total",
                self.files_read,
                self.total_read,
                self.total_loaded,
                self.total_deduplicated,
                self.total_quarantined,
            )
        )
        width = max(len(header[0]), *(len(row[0]) for row in rows))
        lines = [f"Ingest load {self.load_id}"]
        lines.append(f"{header[0]:<{width}}" + "".join(f"{title:>14}" for title in header[1:]))
        for index, row in enumerate(rows):
            if index == len(rows) - 1:
                lines.append("-" * (width + 14 * 5))
            lines.append(f"{row[0]:<{width}}" + "".join(f"{count:>14,}" for count in row[1:]))
        lines.append(
            "loaded = new keys; deduplicated = copies that replaced or were replaced by another copy "
            "of the same key"
        )
        quarantined = [
            (name, reason, count)
            for name, report in self.tables.items()
            for reason, count in sorted(report.quarantined_by_reason.items())
        ]
        if quarantined:
            lines += ["", "Quarantined rows (raw._quarantine):"]
            lines += [f"  {name:<{width}}  {reason:<21}{count:>12,}" for name, reason, count in quarantined]
        empty = [path for report in self.tables.values() for path in report.empty_files]
        if empty:
            lines += ["", f"Empty files, read as 0 rows: {len(empty)}"]
            lines += [f"  {path}" for path in empty]
        seen = sum(report.files_already_seen for report in self.tables.values())
        if seen:
            lines += ["", f"Replayed files (content already read under another name), skipped: {seen}"]
        return "\n".join(lines)


@dataclass(frozen=True)
class LandedFile:
    table: str
    path: Path
    relative: str
    reader: str
    size: int
    mtime_ns: int
    #: SHA-256 of the bytes, filled in by ingest (discovery alone does not read the files).
    content_hash: str = ""


@dataclass
class _FilePlan:
    """How a file's columns map onto its table, found by reading its header."""

    file: LandedFile
    #: The file's columns as the reader names them, in file order.
    columns: list[str]
    #: DuckDB type of each file column (always VARCHAR for CSV and JSON lines).
    types: dict[str, str]
    #: Contract column -> file column, matched case-insensitively.
    mapping: dict[str, str]
    extras: list[str]
    #: JSON lines only: file column -> every spelling of that key seen in the file.
    spellings: dict[str, list[str]] = field(default_factory=dict)
    #: A 0-byte file: nothing to read.
    empty: bool = False


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
    names = list(TABLES) if tables is None else list(tables)
    unknown = [name for name in names if name not in TABLES]
    if unknown:
        raise ValueError(f"not contract tables: {', '.join(unknown)}; the tables are {', '.join(TABLES)}")
    ensure_raw_schema(con)
    con.execute("set TimeZone = 'UTC'")

    window = window or TimestampWindow.from_environment()

    seen, read_hashes = _ingested_files(con)
    new_files: list[LandedFile] = []
    replays: list[LandedFile] = []
    # Oldest first, so that of several copies of the same bytes in one run the first landed is read.
    landed_files = sorted(
        (landed for name in names for landed in discover(landing_dir, name)),
        key=lambda landed: (landed.mtime_ns, landed.relative),
    )
    for landed in landed_files:
        try:
            landed = _hashed(landed)
        except OSError as error:
            raise LandingError(f"{landed.relative}: could not be read ({error})") from error
        previous = seen.get((landed.table, landed.relative))
        if previous is not None and (
            previous[2] == landed.content_hash or _unchanged_before_hashing(previous, landed)
        ):
            continue
        key = (landed.table, landed.content_hash)
        if key in read_hashes:
            replays.append(landed)
            continue
        read_hashes.add(key)
        new_files.append(landed)
    new_files.sort(key=lambda landed: (names.index(landed.table), landed.relative))
    plans: list[_FilePlan] = []
    problems: list[str] = []
    for landed in new_files:
        try:
            plans.append(_plan(con, landed))
        except _FileProblem as problem:
            problems.append(f"{landed.relative}: {problem}")
    if problems:
        raise LandingError(problems)

    started_at = _utc_now()
    load_id = con.execute(f"select coalesce(max(_load_id), 0) + 1 from {RAW_SCHEMA}._loads").fetchone()[0]
    report = IngestReport(load_id=load_id, tables={name: TableReport(table=name) for name in names})
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
                    table_report = _load_table(con, TABLES[name], table_plans, reread, load_id, bar, window)
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
                _utc_now(),
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
                        _utc_now(),
                    ]
                    for replay in replays
                ],
            )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return report


class _FileProblem(Exception):
    """Why one file cannot be ingested; ingest prefixes the file's path."""


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _ingested_files(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[tuple[str, str], tuple[int, int, str | None]], set[tuple[str, str]]]:
    """The size, modification time and content hash each landed file had when it was last read,
    and every (table, content hash) ever read."""
    rows = con.execute(
        f"""
        select
            table_name,
            source_file,
            arg_max(file_size, _load_id),
            arg_max(file_mtime_ns, _load_id),
            arg_max(content_hash, _load_id),
        from {RAW_SCHEMA}._ingested_files
        group by all
        """
    ).fetchall()
    hashes = con.execute(
        f"select distinct table_name, content_hash from {RAW_SCHEMA}._ingested_files "
        "where content_hash is not null"
    ).fetchall()
    return {(table, source): (size, mtime, digest) for table, source, size, mtime, digest in rows}, set(
        hashes
    )


def _unchanged_before_hashing(previous: tuple[int, int, str | None] | None, landed: LandedFile) -> bool:
    """A file read by a version of ingest that kept no hash is unchanged while its size and
    modification time are."""
    return previous is not None and previous[2] is None and previous[:2] == (landed.size, landed.mtime_ns)


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks so a large file never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _hashed(landed: LandedFile) -> LandedFile:
    return LandedFile(**{**landed.__dict__, "content_hash": file_hash(landed.path)})


def discover(landing_dir: Path, table: str) -> list[LandedFile]:
    """Every data file under the table's folder; names starting with `_` or `.` (markers such as
    `_SUCCESS`, hidden files, `_temporary` folders of writers) are not data."""
    folder = landing_dir / table
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        reader = FILE_FORMATS.get(path.suffix.lower())
        if reader is None or any(part.startswith(("_", ".")) for part in parts) or not path.is_file():
            continue
        stat = path.stat()
        found.append(
            LandedFile(
                table=table,
                path=path,
                relative=path.relative_to(landing_dir).as_posix(),
                reader=reader,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
            )
        )
    return found


def _plan(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> _FilePlan:
    table = TABLES[landed.table]
    if landed.size == 0:
        return _FilePlan(landed, [], {}, {}, [], empty=True)
    spellings: dict[str, list[str]] = {}
    # A JSON lines file has columns only through its objects: one with none (empty, or only
    # malformed lines) lacks no column, and its malformed lines are quarantined.
    has_rows = True
    if landed.reader == "parquet":
        try:
            described = con.execute(
                "select column_name, column_type "
                "from (describe select * from read_parquet(?, hive_partitioning = false))",
                [str(landed.path)],
            ).fetchall()
        except duckdb.OutOfMemoryException:
            raise
        except duckdb.Error as error:
            raise _FileProblem(f"not a readable Parquet file ({_first_line(error)})") from error
        columns = [name for name, _ in described]
        types = dict(described)
    elif landed.reader == "csv":
        _check_utf8(landed.path)
        columns = _csv_header(landed.path)
        types = dict.fromkeys(columns, "VARCHAR")
    else:
        spellings, has_rows = _jsonl_keys(landed.path)
        columns = list(spellings)
        types = dict.fromkeys(columns, "VARCHAR")

    by_name: dict[str, list[str]] = {}
    for name in columns:
        by_name.setdefault(name.lower(), []).append(name)
    duplicated = [names for names in by_name.values() if len(names) > 1]
    if duplicated:
        listed = "; ".join(" and ".join(repr(name) for name in names) for names in duplicated)
        raise _FileProblem(f"the same column appears more than once ({listed})")
    mapping = {column.name: by_name[column.name][0] for column in table.columns if column.name in by_name}
    missing = [name for name in table.required_columns if name not in mapping]
    if missing and has_rows:
        noun = "column" if len(missing) == 1 else "columns"
        raise _FileProblem(f"missing required {noun} {', '.join(repr(name) for name in missing)}")
    contract = set(table.column_names)
    extras = [name for name in columns if name.lower() not in contract]
    return _FilePlan(landed, columns, types, mapping, extras, spellings)


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _check_utf8(path: Path) -> None:
    """Decode the whole file up front so a bad byte stops the run before anything is loaded."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line = lines + chunk[: error.start].count(b"\n") + 1
                byte = chunk[error.start : error.start + 1].hex()
                raise _FileProblem(f"not UTF-8 text (byte 0x{byte} on line {line})") from error
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise _FileProblem("not UTF-8 text (it ends inside a multi-byte character)") from error


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            header = next(csv.reader(handle), [])
        except csv.Error as error:
            raise _FileProblem(f"unreadable CSV header ({error})") from error
    if not any(name.strip() for name in header):
        raise _FileProblem("empty header: the first line names no columns")
    return [name.strip() or f"column_{position}" for position, name in enumerate(header, start=1)]


def _jsonl_keys(path: Path) -> tuple[dict[str, list[str]], bool]:
    """The union of the keys of the file's objects, each with the spellings it was written in, and
    whether the file holds any object at all.

    Keys that differ only in case are one column, so a file may mix `Model` and `model`. This reads
    the whole file, as the keys of a JSON lines file are its header.
    """
    keys: dict[str, list[str]] = {}
    has_objects = False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise _FileProblem(f"not UTF-8 text (line {number}: {error.reason})") from error
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except ValueError:
                continue
            if isinstance(record, dict):
                has_objects = True
                for key in record:
                    spellings = keys.setdefault(key.lower(), [])
                    if key not in spellings:
                        spellings.append(key)
    return {spellings[0]: spellings for spellings in keys.values()}, has_objects


def _load_table(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    plans: list[_FilePlan],
    reread: set[str],
    load_id: int,
    bar: tqdm,
    window: TimestampWindow,
) -> TableReport:
    """Stage every new file of `table`, quarantine its bad rows and merge the rest by key."""
    columns = [f"{column.name} {DUCKDB_TYPES[column.type]}" for column in table.columns]
    columns += [f"{name} {type_}" for name, type_ in _STAGE_COLUMNS.items()]
    con.execute(f"create or replace temp table {_STAGE} (\n    {_indented(columns, 4)}\n)")
    ordered = sorted(plans, key=lambda plan: (plan.file.mtime_ns, plan.file.relative))
    for file_seq, plan in enumerate(ordered):
        bar.set_postfix_str(plan.file.relative, refresh=False)
        try:
            _stage_file(con, table, plan, file_seq, window)
        except duckdb.OutOfMemoryException:
            raise
        except _READ_ERRORS as error:
            raise LandingError(f"{plan.file.relative}: could not be read ({_first_line(error)})") from error
        bar.update()
    report, per_file = _merge(con, table, load_id, reread)
    report.files_read = len(plans)
    report.empty_files = [plan.file.relative for plan in ordered if plan.empty]
    con.execute(f"drop table {_STAGE}")
    ingested_at = _utc_now()
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


def _stage_file(
    con: duckdb.DuckDBPyConnection, table: Table, plan: _FilePlan, file_seq: int, window: TimestampWindow
) -> None:
    if plan.empty:
        return
    if plan.file.reader == "parquet":
        con.execute(_stage_sql(table, plan, file_seq, _parquet_sql(plan.file.path), window))
        return
    chunks = _csv_chunks(plan) if plan.file.reader == "csv" else _jsonl_chunks(plan)
    statement = _stage_sql(table, plan, file_seq, f"select * from {_CHUNK}", window)
    for rows, malformed in chunks:
        if rows.num_rows:
            con.register(_CHUNK, rows)
            con.execute(statement)
            con.unregister(_CHUNK)
        if malformed.num_rows:
            con.register(_MALFORMED, malformed)
            con.execute(
                f"""
                insert into {_STAGE} by name
                select
                    {file_seq} as _file_seq,
                    {_sql_string(plan.file.relative)} as _source_file,
                    source_row as _source_row,
                    make_timestamp({plan.file.mtime_ns // 1000}) as _landed_at,
                    'malformed_row' as _reason_code,
                    reason as _reason,
                    row_content as _row_content,
                from {_MALFORMED}
                """
            )
            con.unregister(_MALFORMED)


def _stage_sql(table: Table, plan: _FilePlan, file_seq: int, source: str, window: TimestampWindow) -> str:
    """One insert-select that types a file's rows and names every rule each row breaks.

    Each contract column gets a cleaned value (`v`: trimmed text, empty = null, or the Parquet
    value), a typed value (`t`) and a reason code (`c`); a row is quarantined when any column has a
    reason code, and the first such column names it. The reasons in words and the row as JSON are
    built only for quarantined rows, which keeps the clean rows of a large file cheap.
    """
    cleaned, checked, final, codes, messages, names = [], [], [], [], [], []
    for position, column in enumerate(table.columns):
        source_column = plan.mapping.get(column.name)
        if source_column is None:
            final.append(f"cast(null as {DUCKDB_TYPES[column.type]}) as {column.name}")
            continue
        value, typed, code = (f"{_PREFIX}{letter}{position}" for letter in "vtc")
        value_sql, typed_sql = _typed_sql(column, _quote(source_column), plan.types[source_column])
        cleaned += [f"{value_sql} as {value}", f"{typed_sql} as {typed}"]
        rules = _rules_sql(column, value, typed, window)
        if rules:
            when_code = " ".join(f"when {rule} then {_sql_string(reason)}" for rule, reason, _ in rules)
            when_words = " ".join(f"when {rule} then {words}" for rule, _, words in rules)
            checked.append(f"case {when_code} end as {code}")
            codes.append(code)
            messages.append(f"case {when_words} end")
            names.append(f"when {code} is not null then {_sql_string(column.name)}")
        final.append(f"{typed} as {column.name}")

    if plan.file.reader == "jsonl":
        extra = _EXTRA if plan.extras else "cast(null as varchar)"
        content = _CONTENT
    else:
        extra = _struct_json(plan.extras) if plan.extras else "cast(null as varchar)"
        content = _struct_json(plan.columns)
    reason_code = f"coalesce({', '.join(codes)})" if codes else "cast(null as varchar)"
    column_name = f"case {' '.join(names)} end" if names else "null"
    reason = f"nullif(concat_ws('; ', {', '.join(messages)}), '')" if messages else "null"
    is_bad = f"{_PREFIX}reason_code is not null"
    final += [
        f"{file_seq} as _file_seq",
        f"{_sql_string(plan.file.relative)} as _source_file",
        f"{_ROW} as _source_row",
        f"make_timestamp({plan.file.mtime_ns // 1000}) as _landed_at",
        f"{extra} as _extra",
        f"case when {is_bad} then {column_name} end as _column_name",
        f"{_PREFIX}reason_code as _reason_code",
        f"case when {is_bad} then {reason} end as _reason",
        f"case when {is_bad} then {content} end as _row_content",
    ]
    return f"""
insert into {_STAGE} by name
with
source as (
    {source}
),

cleaned as (
    select
        source.*,
        {_indented([*cleaned, f"1 as {_PREFIX}cleaned"], 8)},
    from source
),

checked as (
    select
        cleaned.*,
        {_indented([*checked, f"1 as {_PREFIX}checked"], 8)},
    from cleaned
),

flagged as (
    select
        checked.*,
        {reason_code} as {_PREFIX}reason_code,
    from checked
)

select
    {_indented(final, 4)},
from flagged
"""


def _indented(items: list[str], indent: int) -> str:
    return (",\n" + " " * indent).join(items)


def _clean_text_sql(text: str) -> str:
    """SQL for trimmed text, empty as null; trims only values that start or end in whitespace,
    which is several times faster than trimming every value of a large file."""
    trimmed = f"trim({text}, e' \\t\\r\\n')"
    return f"nullif(case when {text}[1] <= ' ' or {text}[-1] <= ' ' then {trimmed} else {text} end, '')"


def _typed_sql(column: Column, source: str, source_type: str) -> tuple[str, str]:
    """SQL for the cleaned value and the typed value of one column, given its type in the file."""
    target = DUCKDB_TYPES[column.type]
    is_text = source_type.upper() == "VARCHAR"
    if is_text:
        value = _clean_text_sql(source)
    elif column.type == "string":
        value = _clean_text_sql(f"cast({source} as varchar)")
    else:
        value = source
    if column.type == "string":
        typed = value
        if column.accepted:
            branches = " ".join(
                f"when {_sql_string(accepted.upper())} then {_sql_string(accepted)}"
                for accepted in column.accepted
            )
            typed = f"case upper({value}) {branches} end"
    elif column.type == "integer" and is_text:
        # DuckDB rounds '5.5' to 6 when casting text to an integer: accept only whole numbers.
        typed = f"case when try_cast({value} as double) % 1 = 0 then try_cast({value} as bigint) end"
    elif column.type == "integer" and source_type.upper().startswith(("FLOAT", "DOUBLE", "DECIMAL")):
        typed = f"case when {value} % 1 = 0 then try_cast({value} as bigint) end"
    elif column.type == "timestamp" and is_text:
        # With the session in UTC, a text value with an offset becomes the UTC instant and one
        # without an offset is read as UTC.
        typed = f"try_cast(try_cast({value} as timestamptz) as timestamp)"
    else:
        # Parquet timestamps with a zone become UTC the same way; those without one are UTC.
        typed = f"try_cast({value} as {target})"
    return value, typed


def _rules_sql(column: Column, value: str, typed: str, window: TimestampWindow) -> list[tuple[str, str, str]]:
    """The contract rules of one column as (SQL condition, reason code, SQL for the reason in words),
    in the order they are checked; a value breaks at most the first rule that matches."""
    name = column.name
    rules: list[tuple[str, str, str]] = []
    if column.required:
        rules.append((f"{value} is null", "missing_value", _sql_string(f"{name} is missing")))
    if column.type != "string":
        complaint = f"is not {_TYPE_NOUNS[column.type]}"
        rules.append(
            (
                f"{value} is not null and {typed} is null",
                f"bad_{column.type}",
                _quoted_value_sql(name, value, complaint),
            )
        )
    if column.type == "timestamp":
        earliest, latest = (
            _sql_string(f"{bound:%Y-%m-%d %H:%M:%S.%f}") for bound in (window.earliest, window.latest)
        )
        rules.append(
            (
                f"({typed} < timestamp {earliest} or {typed} > timestamp {latest})",
                "implausible_timestamp",
                f"{_sql_string(name + ' ')} || cast({typed} as varchar) || "
                f"{_sql_string(' is outside the plausible window ' + window.describe())}",
            )
        )
    if column.non_negative:
        shown = f"cast({value} as varchar)"
        rules.append(
            (f"{typed} < 0", "negative_value", f"{_sql_string(name + ' is negative (')} || {shown} || ')'")
        )
    if column.accepted:
        complaint = f"is not one of {', '.join(column.accepted)}"
        rules.append(
            (
                f"{value} is not null and {typed} is null",
                "unknown_value",
                _quoted_value_sql(name, value, complaint),
            )
        )
    return rules


def _quoted_value_sql(name: str, value: str, complaint: str) -> str:
    """SQL for the words `<name> '<value>' <complaint>`."""
    quote = _sql_string("'")
    return (
        f"{_sql_string(name + ' ')} || {quote} || cast({value} as varchar) || {quote}"
        f" || {_sql_string(' ' + complaint)}"
    )


def _csv_chunks(plan: _FilePlan) -> Iterator[tuple[pa.Table, pa.Table]]:
    """Chunks of well-formed rows (every field a string) and of malformed rows, with line numbers."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    width = len(plan.columns)
    rows: list[list[str]] = []
    numbers: list[int] = []
    malformed: list[tuple[int, str, str]] = []
    with plan.file.path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        line = reader.line_num
        for record in reader:
            start, line = line + 1, reader.line_num
            if not record:
                continue
            if len(record) == width:
                rows.append(record)
                numbers.append(start)
            else:
                malformed.append(
                    (
                        start,
                        f"line {start} has {len(record)} fields, the header has {width}",
                        json.dumps(record, ensure_ascii=False),
                    )
                )
            if len(rows) + len(malformed) >= CHUNK_ROWS:
                yield _string_table(plan.columns, rows, numbers), _malformed_table(malformed)
                rows, numbers, malformed = [], [], []
    yield _string_table(plan.columns, rows, numbers), _malformed_table(malformed)


def _jsonl_chunks(plan: _FilePlan) -> Iterator[tuple[pa.Table, pa.Table]]:
    """Chunks of JSON objects flattened to strings, and of lines that are not JSON objects."""
    columns = plan.columns
    extras = {spelling for column in plan.extras for spelling in plan.spellings[column]}
    lookups = [plan.spellings[column] for column in columns]
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    extra_values: list[str | None] = []
    contents: list[str] = []
    malformed: list[tuple[int, str, str]] = []
    with plan.file.path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except ValueError as error:
                malformed.append((number, f"line {number} is not valid JSON ({error})", text))
            else:
                if isinstance(record, dict):
                    rows.append([_json_text(_first_present(record, spellings)) for spellings in lookups])
                    numbers.append(number)
                    contents.append(text)
                    if extras:
                        extra = {key: item for key, item in record.items() if key in extras}
                        extra_values.append(json.dumps(extra, ensure_ascii=False, separators=(",", ":")))
                else:
                    kind = _JSON_KINDS.get(type(record), "value")
                    malformed.append((number, f"line {number} is a JSON {kind}, not an object", text))
            if len(rows) + len(malformed) >= CHUNK_ROWS:
                yield _jsonl_table(plan, rows, numbers, extra_values, contents), _malformed_table(malformed)
                rows, numbers, extra_values, contents, malformed = [], [], [], [], []
    yield _jsonl_table(plan, rows, numbers, extra_values, contents), _malformed_table(malformed)


def _first_present(record: dict[str, object], spellings: list[str]) -> object:
    for spelling in spellings:
        if spelling in record:
            return record[spelling]
    return None


def _json_text(value: object) -> str | None:
    """A JSON value as the text a CSV would hold, so both formats are typed by the same SQL."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _string_table(columns: list[str], rows: list[list[str]], numbers: list[int]) -> pa.Table:
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    arrays = [pa.array(column, type=pa.string()) for column in values]
    arrays.append(pa.array(numbers, type=pa.int64()))
    return pa.Table.from_arrays(arrays, names=[*columns, _ROW])


def _jsonl_table(
    plan: _FilePlan,
    rows: list[list[str | None]],
    numbers: list[int],
    extra_values: list[str | None],
    contents: list[str],
) -> pa.Table:
    table = _string_table(plan.columns, rows, numbers)
    extra = extra_values if plan.extras else [None] * len(rows)
    table = table.append_column(_EXTRA, pa.array(extra, type=pa.string()))
    return table.append_column(_CONTENT, pa.array(contents, type=pa.string()))


def _malformed_table(malformed: list[tuple[int, str, str]]) -> pa.Table:
    numbers, reasons, contents = zip(*malformed, strict=True) if malformed else ((), (), ())
    return pa.table(
        {
            "source_row": pa.array(numbers, type=pa.int64()),
            "reason": pa.array(reasons, type=pa.string()),
            "row_content": pa.array(contents, type=pa.string()),
        }
    )


def _merge(
    con: duckdb.DuckDBPyConnection, table: Table, load_id: int, reread: set[str]
) -> tuple[TableReport, dict[str, list[int]]]:
    """Quarantine the staged bad rows, keep the last copy of each key and merge it into raw.

    Returns the table's counts and, per file, its rows read, loaded (new keys) and quarantined.
    The stage is pared down in place (bad rows, then superseded copies) rather than copied, since
    it may hold millions of rows.
    """
    target = f"{RAW_SCHEMA}.{table.name}"
    per_file = {
        source: [rows_read, 0, rows_quarantined]
        for source, rows_read, rows_quarantined in con.execute(
            f"select _source_file, count(*), count(_reason_code) from {_STAGE} group by all"
        ).fetchall()
    }
    by_reason = con.execute(
        f"select _reason_code, count(*) from {_STAGE} where _reason_code is not null group by all"
    ).fetchall()

    if reread:
        # A changed file replaces what it said before, its bad rows included.
        con.execute(
            f"delete from {RAW_SCHEMA}._quarantine where table_name = ? and list_contains(?, source_file)",
            [table.name, sorted(reread)],
        )
    con.execute(
        f"""
        insert into {RAW_SCHEMA}._quarantine
        select
            {_sql_string(table.name)} as table_name,
            _source_file as source_file,
            _source_row as source_row,
            _column_name as column_name,
            _reason_code as reason_code,
            _reason as reason,
            _row_content as row_content,
            {load_id} as _load_id,
            ? as quarantined_at,
        from {_STAGE}
        where _reason_code is not null
        order by _file_seq, _source_row
        """,
        [_utc_now()],
    )
    con.execute(f"delete from {_STAGE} where _reason_code is not null")

    keys = ", ".join(table.key)
    con.execute(
        f"create or replace temp table {_COPIES} as "
        f"select {keys} from {_STAGE} group by all having count(*) > 1"
    )
    if con.execute(f"select exists (select 1 from {_COPIES})").fetchone()[0]:
        con.execute(
            f"""
            delete from {_STAGE}
            where rowid in (
                select {_STAGE}.rowid
                from {_STAGE}
                semi join {_COPIES} using ({keys})
                qualify row_number() over (
                    partition by {keys}
                    order by _file_seq desc, _source_row desc
                ) > 1
            )
            """
        )
    con.execute(f"drop table {_COPIES}")

    key_match = " and ".join(f"{_STAGE}.{key} = {target}.{key}" for key in table.key)
    if con.execute(f"select exists (select 1 from {target})").fetchone()[0]:
        con.execute(f"update {_STAGE} set _is_new = false from {target} where {key_match}")
        if con.execute(f"select exists (select 1 from {_STAGE} where not _is_new)").fetchone()[0]:
            con.execute(f"delete from {target} using {_STAGE} where not {_STAGE}._is_new and {key_match}")
    columns = ", ".join(table.column_names)
    con.execute(
        f"""
        insert into {target} ({columns}, _load_id, _landed_at, _source_file, _source_row, _extra)
        select
            {columns},
            {load_id} as _load_id,
            _landed_at,
            _source_file,
            _source_row,
            _extra,
        from {_STAGE}
        """
    )
    loaded = con.execute(f"select _source_file, count(*) from {_STAGE} where _is_new group by all").fetchall()
    for source, rows_loaded in loaded:
        per_file[source][1] = rows_loaded

    report = TableReport(table=table.name, quarantined_by_reason=dict(sorted(by_reason)))
    report.rows_read = sum(counts[0] for counts in per_file.values())
    report.rows_loaded = sum(counts[1] for counts in per_file.values())
    report.rows_quarantined = sum(counts[2] for counts in per_file.values())
    report.rows_deduplicated = report.rows_read - report.rows_loaded - report.rows_quarantined
    return report, per_file


def _parquet_sql(path: Path) -> str:
    """A Parquet file's own columns and its 1-based row numbers; `date=...` folders add no column."""
    return (
        f"select *, file_row_number + 1 as {_ROW} "
        f"from read_parquet({_sql_string(str(path))}, file_row_number = true, hive_partitioning = false)"
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _struct_json(columns: list[str]) -> str:
    """SQL for the given columns of a row as one JSON object, keyed by their names in the file."""
    fields = ", ".join(f"{_quote(column)} := {_quote(column)}" for column in columns)
    return f"to_json(struct_pack({fields}))"
