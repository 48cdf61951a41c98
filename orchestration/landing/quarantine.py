"""Quarantine: the contract's rules per column, and the rows that break them set aside.

A row that breaks a rule (a missing required value, a value of the wrong type, a timestamp outside
the plausible window of `TimestampWindow`, a negative count, a value not among the accepted ones, a
malformed line) is never dropped and never breaks the build: it goes to `raw._quarantine` with its
file, row number, the first column at fault and every reason in words.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from orchestration.landing.contract import Column, Table
from orchestration.landing.raw import RAW_SCHEMA
from orchestration.landing.sql import STAGE, sql_string, utc_now

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
            latest=datetime.fromisoformat(latest) if latest else utc_now() + timedelta(days=ahead),
        )

    def describe(self) -> str:
        return f"{self.earliest:%Y-%m-%d %H:%M:%S} .. {self.latest:%Y-%m-%d %H:%M:%S} UTC"


def rules_sql(column: Column, value: str, typed: str, window: TimestampWindow) -> list[tuple[str, str, str]]:
    """The contract rules of one column as (SQL condition, reason code, SQL for the reason in words),
    in the order they are checked; a value breaks at most the first rule that matches."""
    name = column.name
    rules: list[tuple[str, str, str]] = []
    if column.required:
        rules.append((f"{value} is null", "missing_value", sql_string(f"{name} is missing")))
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
            sql_string(f"{bound:%Y-%m-%d %H:%M:%S.%f}") for bound in (window.earliest, window.latest)
        )
        rules.append(
            (
                f"({typed} < timestamp {earliest} or {typed} > timestamp {latest})",
                "implausible_timestamp",
                f"{sql_string(name + ' ')} || cast({typed} as varchar) || "
                f"{sql_string(' is outside the plausible window ' + window.describe())}",
            )
        )
    if column.non_negative:
        shown = f"cast({value} as varchar)"
        rules.append(
            (f"{typed} < 0", "negative_value", f"{sql_string(name + ' is negative (')} || {shown} || ')'")
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
    quote = sql_string("'")
    return (
        f"{sql_string(name + ' ')} || {quote} || cast({value} as varchar) || {quote}"
        f" || {sql_string(' ' + complaint)}"
    )


def quarantine_staged(con: duckdb.DuckDBPyConnection, table: Table, load_id: int, reread: set[str]) -> None:
    """Move the staged rows that broke a rule into `raw._quarantine`.

    A changed file replaces what it said before, its bad rows included: the quarantined rows of the
    files read again (`reread`) give way to the ones they have now.
    """
    if reread:
        con.execute(
            f"delete from {RAW_SCHEMA}._quarantine where table_name = ? and list_contains(?, source_file)",
            [table.name, sorted(reread)],
        )
    con.execute(
        f"""
        insert into {RAW_SCHEMA}._quarantine
        select
            {sql_string(table.name)} as table_name,
            _source_file as source_file,
            _source_row as source_row,
            _column_name as column_name,
            _reason_code as reason_code,
            _reason as reason,
            _row_content as row_content,
            {load_id} as _load_id,
            ? as quarantined_at,
        from {STAGE}
        where _reason_code is not null
        order by _file_seq, _source_row
        """,
        [utc_now()],
    )
    con.execute(f"delete from {STAGE} where _reason_code is not null")
