"""Names and SQL snippets the ingest steps share: the stage's helper columns and quoting."""

from __future__ import annotations

from datetime import UTC, datetime

#: Prefix of the helper columns and temporary tables ingest adds; no landed column is named so.
PREFIX = "__airoi_"
ROW = f"{PREFIX}row"
EXTRA = f"{PREFIX}extra"
CONTENT = f"{PREFIX}content"
CHUNK = f"{PREFIX}chunk"
MALFORMED = f"{PREFIX}malformed"
STAGE = f"{PREFIX}stage"
COPIES = f"{PREFIX}copies"

#: What the stage holds per row besides the contract's columns: lineage, the first broken rule, and
#: whether the row's key is new to raw.
STAGE_COLUMNS = {
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


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def indented(items: list[str], indent: int) -> str:
    return (",\n" + " " * indent).join(items)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def struct_json(columns: list[str]) -> str:
    """SQL for the given columns of a row as one JSON object, keyed by their names in the file."""
    fields = ", ".join(f"{quote(column)} := {quote(column)}" for column in columns)
    return f"to_json(struct_pack({fields}))"


def first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
