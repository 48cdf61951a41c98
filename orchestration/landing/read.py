"""Read and type: a landed file's header checked, its rows read and typed per the contract into the stage.

Every new file's header is checked before anything is loaded: a file that cannot be ingested at all
(unreadable, not UTF-8, a required column missing) is a `FileProblem`, and ingest stops with one
`LandingError` listing every such file. Then each file's rows are typed in SQL into a temporary
stage table, each row with the first rule it breaks (`quarantine.rules_sql`).

Parquet is read by DuckDB end to end (millions of rows stay out of Python). CSV and JSON lines are
parsed in Python in chunks of strings, because a malformed line must become a quarantined row with
its line number instead of an error that stops the whole read.

Row numbers (`_source_row`, `raw._quarantine.source_row`) are the 1-based row of a Parquet file and
the 1-based line of a CSV or JSON lines file (a CSV header is line 1, so its first row is line 2).
An empty (0-byte) file of any format is read as zero rows.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.landing.contract import DUCKDB_TYPES, TABLES, VENDOR_TABLES, Column, Table
from orchestration.landing.find import LandedFile
from orchestration.landing.quarantine import TimestampWindow, rules_sql
from orchestration.landing.sql import (
    CHUNK,
    CONTENT,
    EXTRA,
    MALFORMED,
    PREFIX,
    ROW,
    STAGE,
    STAGE_COLUMNS,
    first_line,
    indented,
    quote,
    sql_string,
    struct_json,
)
from orchestration.landing.vendors import EXPORTS, ExportError, RecordProblem
from orchestration.landing.vendors.export import record_text

#: Rows of CSV or JSON lines held in Python at a time.
CHUNK_ROWS = 100_000
#: Parquet files of one header typed by one statement at most.
BATCH_FILES = 256
#: The column a batched Parquet read names each row's file in.
PATH = f"{PREFIX}path"

#: What can go wrong reading a file whose header was fine: a corrupt Parquet page (DuckDB raises
#: several error classes for those), a file that vanished or changed under the run. Running out of
#: memory is not the file's fault and is raised as it is.
READ_ERRORS = (duckdb.Error, OSError, UnicodeDecodeError, csv.Error)

_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


class FileProblem(Exception):
    """Why one file cannot be ingested; ingest prefixes the file's path."""


@dataclass
class FilePlan:
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
    #: A vendor export: its rows (record number, values in column order, the record's text) and the
    #: records it could not map (record number, reason code, reason, the record's text).
    vendor_rows: list[tuple[int, list[str | None], str]] = field(default_factory=list)
    vendor_problems: list[tuple[int, str, str, str]] = field(default_factory=list)


#: Reader of a vendor export's files: `vendor:<folder>`.
VENDOR_READER = "vendor:"


def _plan_export(landed: LandedFile) -> FilePlan:
    """Read a vendor export file whole (pages and reports are small) into rows of its table; a file
    that is not that export at all is a FileProblem."""
    export = EXPORTS[landed.reader.removeprefix(VENDOR_READER)]
    table = {**TABLES, **VENDOR_TABLES}[export.table]
    columns = table.column_names
    plan = FilePlan(landed, columns, dict.fromkeys(columns, "VARCHAR"), {name: name for name in columns}, [])
    relative = landed.relative.removeprefix(export.folder + "/")
    try:
        context = None
        if export.folder_context is not None:
            folder = landed.path.parents[len(Path(relative).parts) - 1]
            context = export.folder_context(sorted(path for path in folder.rglob("*") if path.is_file()))
        for record in export.records(landed.path):
            if context is not None:
                record = replace(record, bucket={**record.bucket, "folder": context})
            try:
                rows = export.rows(record, relative)
            except RecordProblem as problem:
                plan.vendor_problems.append((record.number, problem.code, str(problem), record_text(record)))
                continue
            text = record_text(record)
            for row in rows:
                values = [_json_text(row.get(name)) for name in columns]
                plan.vendor_rows.append((record.number, values, text))
    except ExportError as error:
        raise FileProblem(str(error)) from error
    return plan


def plan_file(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> FilePlan:
    if landed.size == 0:
        return FilePlan(landed, [], {}, {}, [], empty=True)
    if landed.reader.startswith(VENDOR_READER):
        return _plan_export(landed)
    table = TABLES[landed.table]
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
            raise FileProblem(f"not a readable Parquet file ({first_line(error)})") from error
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
        raise FileProblem(f"the same column appears more than once ({listed})")
    mapping = {column.name: by_name[column.name][0] for column in table.columns if column.name in by_name}
    missing = [name for name in table.required_columns if name not in mapping]
    if missing and has_rows:
        noun = "column" if len(missing) == 1 else "columns"
        raise FileProblem(f"missing required {noun} {', '.join(repr(name) for name in missing)}")
    contract = set(table.column_names)
    extras = [name for name in columns if name.lower() not in contract]
    return FilePlan(landed, columns, types, mapping, extras, spellings)


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
                raise FileProblem(f"not UTF-8 text (byte 0x{byte} on line {line})") from error
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise FileProblem("not UTF-8 text (it ends inside a multi-byte character)") from error


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            header = next(csv.reader(handle), [])
        except csv.Error as error:
            raise FileProblem(f"unreadable CSV header ({error})") from error
    if not any(name.strip() for name in header):
        raise FileProblem("empty header: the first line names no columns")
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
                raise FileProblem(f"not UTF-8 text (line {number}: {error.reason})") from error
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


def create_stage(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """The temporary table the files of one table are typed into, before quarantine and merge."""
    columns = [f"{column.name} {DUCKDB_TYPES[column.type]}" for column in table.columns]
    columns += [f"{name} {type_}" for name, type_ in STAGE_COLUMNS.items()]
    con.execute(f"create or replace temp table {STAGE} (\n    {indented(columns, 4)}\n)")


def _stage_file(
    con: duckdb.DuckDBPyConnection, table: Table, plan: FilePlan, file_seq: int, window: TimestampWindow
) -> None:
    """A CSV, JSON lines or vendor export file, parsed in Python in chunks; an empty file adds nothing."""
    if plan.empty:
        return
    lineage = _lineage_sql(plan, file_seq)
    if plan.file.reader.startswith(VENDOR_READER):
        chunks = _export_chunks(plan)
    elif plan.file.reader == "csv":
        chunks = _csv_chunks(plan)
    else:
        chunks = _jsonl_chunks(plan)
    statement = _stage_sql(table, plan, f"select * from {CHUNK}", window, lineage)
    for rows, malformed in chunks:
        if rows.num_rows:
            con.register(CHUNK, rows)
            con.execute(statement)
            con.unregister(CHUNK)
        if malformed.num_rows:
            con.register(MALFORMED, malformed)
            con.execute(
                f"""
                insert into {STAGE} by name
                select
                    {file_seq} as _file_seq,
                    {sql_string(plan.file.relative)} as _source_file,
                    source_row as _source_row,
                    make_timestamp({plan.file.mtime_ns // 1000}) as _landed_at,
                    reason_code as _reason_code,
                    reason as _reason,
                    row_content as _row_content,
                from {MALFORMED}
                """
            )
            con.unregister(MALFORMED)


def _typed_in_sql(plan: FilePlan) -> bool:
    """A non-empty Parquet file: DuckDB reads and types it, several such files in one statement."""
    return plan.file.reader == "parquet" and not plan.empty


def batches(plans: list[tuple[int, FilePlan]]) -> list[list[tuple[int, FilePlan]]]:
    """The files of a table, each with its sequence, in the groups `stage_batch` stages at once: the
    non-empty Parquet files grouped by header (same columns, types and mapping), every other file
    alone."""
    groups: dict[tuple, list[tuple[int, FilePlan]]] = {}
    alone: list[list[tuple[int, FilePlan]]] = []
    for file_seq, plan in plans:
        if not _typed_in_sql(plan):
            alone.append([(file_seq, plan)])
            continue
        header = (tuple(plan.columns), tuple(plan.types.items()), tuple(plan.mapping.items()))
        groups.setdefault(header, []).append((file_seq, plan))
    batches = [
        group[start : start + BATCH_FILES]
        for group in groups.values()
        for start in range(0, len(group), BATCH_FILES)
    ]
    return batches + alone


def stage_batch(
    con: duckdb.DuckDBPyConnection, table: Table, batch: list[tuple[int, FilePlan]], window: TimestampWindow
) -> None:
    """Type one group of `batches` into the stage."""
    file_seq, plan = batch[0]
    if _typed_in_sql(plan):
        _stage_parquet(con, table, batch, window)
    else:
        _stage_file(con, table, plan, file_seq, window)


def _stage_parquet(
    con: duckdb.DuckDBPyConnection, table: Table, batch: list[tuple[int, FilePlan]], window: TimestampWindow
) -> None:
    """Type the rows of Parquet files with one header in one statement; each row keeps its own file's
    lineage (sequence, path, landing time) through a join on the path DuckDB read it from."""
    plan = batch[0][1]
    files = ",\n        ".join(
        f"({sql_string(str(each.file.path))}, {file_seq}, {sql_string(each.file.relative)}, "
        f"make_timestamp({each.file.mtime_ns // 1000}))"
        for file_seq, each in batch
    )
    paths = ", ".join(sql_string(str(each.file.path)) for _, each in batch)
    source = f"""
    select
        parquet.* exclude ({PATH}, file_row_number),
        parquet.file_row_number + 1 as {ROW},
        files.file_seq as {PREFIX}file_seq,
        files.source_file as {PREFIX}source_file,
        files.landed_at as {PREFIX}landed_at
    from read_parquet(
        [{paths}], file_row_number = true, filename = '{PATH}', hive_partitioning = false
    ) as parquet
    inner join (
        values
        {files}
    ) as files (path, file_seq, source_file, landed_at)
        on parquet.{PATH} = files.path"""
    lineage = (f"{PREFIX}file_seq", f"{PREFIX}source_file", f"{PREFIX}landed_at")
    con.execute(_stage_sql(table, plan, source, window, lineage))


def unreadable_parquet(plans: list[FilePlan]) -> FilePlan | None:
    """The first of `plans` whose rows cannot be read whole, read apart from any transaction."""
    with duckdb.connect() as con:
        for plan in plans:
            try:
                con.execute(f"copy ({_parquet_sql(plan.file.path)}) to '/dev/null' (format csv)")
            except duckdb.OutOfMemoryException:
                raise
            except READ_ERRORS:
                return plan
    return None


def _lineage_sql(plan: FilePlan, file_seq: int) -> tuple[str, str, str]:
    """SQL of a single file's sequence, path and landing time."""
    return (str(file_seq), sql_string(plan.file.relative), f"make_timestamp({plan.file.mtime_ns // 1000})")


def _stage_sql(
    table: Table, plan: FilePlan, source: str, window: TimestampWindow, lineage: tuple[str, str, str]
) -> str:
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
        value, typed, code = (f"{PREFIX}{letter}{position}" for letter in "vtc")
        value_sql, typed_sql = _typed_sql(column, quote(source_column), plan.types[source_column])
        cleaned += [f"{value_sql} as {value}", f"{typed_sql} as {typed}"]
        rules = rules_sql(column, value, typed, window)
        if rules:
            when_code = " ".join(f"when {rule} then {sql_string(reason)}" for rule, reason, _ in rules)
            when_words = " ".join(f"when {rule} then {words}" for rule, _, words in rules)
            checked.append(f"case {when_code} end as {code}")
            codes.append(code)
            messages.append(f"case {when_words} end")
            names.append(f"when {code} is not null then {sql_string(column.name)}")
        final.append(f"{typed} as {column.name}")

    if plan.file.reader not in ("csv", "parquet"):
        extra = EXTRA if plan.extras else "cast(null as varchar)"
        content = CONTENT
    else:
        extra = struct_json(plan.extras) if plan.extras else "cast(null as varchar)"
        content = struct_json(plan.columns)
    reason_code = f"coalesce({', '.join(codes)})" if codes else "cast(null as varchar)"
    column_name = f"case {' '.join(names)} end" if names else "null"
    reason = f"nullif(concat_ws('; ', {', '.join(messages)}), '')" if messages else "null"
    is_bad = f"{PREFIX}reason_code is not null"
    final += [
        f"{lineage[0]} as _file_seq",
        f"{lineage[1]} as _source_file",
        f"{ROW} as _source_row",
        f"{lineage[2]} as _landed_at",
        f"{extra} as _extra",
        f"case when {is_bad} then {column_name} end as _column_name",
        f"{PREFIX}reason_code as _reason_code",
        f"case when {is_bad} then {reason} end as _reason",
        f"case when {is_bad} then {content} end as _row_content",
    ]
    return f"""
insert into {STAGE} by name
with
source as (
    {source}
),

cleaned as (
    select
        source.*,
        {indented([*cleaned, f"1 as {PREFIX}cleaned"], 8)},
    from source
),

checked as (
    select
        cleaned.*,
        {indented([*checked, f"1 as {PREFIX}checked"], 8)},
    from cleaned
),

flagged as (
    select
        checked.*,
        {reason_code} as {PREFIX}reason_code,
    from checked
)

select
    {indented(final, 4)},
from flagged
"""


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
                f"when {sql_string(accepted.upper())} then {sql_string(accepted)}"
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


def _csv_chunks(plan: FilePlan) -> Iterator[tuple[pa.Table, pa.Table]]:
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


def _jsonl_chunks(plan: FilePlan) -> Iterator[tuple[pa.Table, pa.Table]]:
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


def _export_chunks(plan: FilePlan) -> Iterator[tuple[pa.Table, pa.Table]]:
    """The rows a vendor export's records were mapped to, and the records that could not be."""
    for start in range(0, max(len(plan.vendor_rows), len(plan.vendor_problems), 1), CHUNK_ROWS):
        rows = plan.vendor_rows[start : start + CHUNK_ROWS]
        problems = plan.vendor_problems[start : start + CHUNK_ROWS]
        numbers = [number for number, _, _ in rows]
        table = _string_table(plan.columns, [values for _, values, _ in rows], numbers)
        table = table.append_column(EXTRA, pa.array([None] * len(rows), type=pa.string()))
        table = table.append_column(CONTENT, pa.array([text for _, _, text in rows], type=pa.string()))
        malformed = [(number, reason, text) for number, _, reason, text in problems]
        yield table, _malformed_table(malformed, [code for _, code, _, _ in problems])


def _first_present(record: dict[str, object], spellings: list[str]) -> object:
    for spelling in spellings:
        if spelling in record:
            return record[spelling]
    return None


def _json_text(value: object) -> str | None:
    """A JSON value as the text a CSV would hold, so both formats are typed by the same SQL."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _string_table(columns: list[str], rows: list[list[str]], numbers: list[int]) -> pa.Table:
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    arrays = [pa.array(column, type=pa.string()) for column in values]
    arrays.append(pa.array(numbers, type=pa.int64()))
    return pa.Table.from_arrays(arrays, names=[*columns, ROW])


def _jsonl_table(
    plan: FilePlan,
    rows: list[list[str | None]],
    numbers: list[int],
    extra_values: list[str | None],
    contents: list[str],
) -> pa.Table:
    table = _string_table(plan.columns, rows, numbers)
    extra = extra_values if plan.extras else [None] * len(rows)
    table = table.append_column(EXTRA, pa.array(extra, type=pa.string()))
    return table.append_column(CONTENT, pa.array(contents, type=pa.string()))


def _malformed_table(malformed: list[tuple[int, str, str]], codes: list[str] | None = None) -> pa.Table:
    """Rows that could not be read, with their number, reason and text; the reason code is
    `malformed_row` unless `codes` gives one per row."""
    numbers, reasons, contents = zip(*malformed, strict=True) if malformed else ((), (), ())
    return pa.table(
        {
            "source_row": pa.array(numbers, type=pa.int64()),
            "reason_code": pa.array(codes or ["malformed_row"] * len(numbers), type=pa.string()),
            "reason": pa.array(reasons, type=pa.string()),
            "row_content": pa.array(contents, type=pa.string()),
        }
    )


def _parquet_sql(path: Path) -> str:
    """A Parquet file's own columns and its 1-based row numbers; `date=...` folders add no column."""
    return (
        f"select *, file_row_number + 1 as {ROW} "
        f"from read_parquet({sql_string(str(path))}, file_row_number = true, hive_partitioning = false)"
    )
