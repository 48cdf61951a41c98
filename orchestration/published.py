"""How anything opens the published warehouse: read-only, and always the newest publish.

`duckdb.connect(path)` keeps one database instance per path for as long as any connection to it is
open in the process, so a long-lived process that holds a connection goes on seeing the file it
first opened after publish has swapped in a new one. A read-only attach from a fresh in-memory
database opens the file as it is now, whatever else the process holds; the attached database is
made the default, so queries name tables as `marts.fct_team_weekly`.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

#: The alias the published file is attached under.
ALIAS = "warehouse"

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>\S+) \(PID (?P<pid>\d+)\)")


def connect_published(path: Path) -> duckdb.DuckDBPyConnection:
    """A new read-only connection to the file at `path` as it is now; close it when done."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {_sql_string(str(path))} as {ALIAS} (read_only)")
        con.execute(f"use {ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


def wal_path(path: Path) -> Path:
    """DuckDB's write-ahead log of a database file: `<file>.wal` beside it."""
    return path.with_name(f"{path.name}.wal")


def lock_holder(error: BaseException) -> str | None:
    """`program (PID n)` of the process that holds the lock DuckDB could not get, from its message;
    None when the error is not a lock conflict."""
    text = str(error)
    if "Could not set lock" not in text:
        return None
    match = _LOCK_HOLDER.search(text)
    if match is None:
        return "another process"
    return f"{match['program']} (PID {match['pid']})"


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
