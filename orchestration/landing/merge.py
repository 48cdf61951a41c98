"""Merge: the staged rows of one table into `raw.<table>` by the table's key, the last-landed copy winning.

Files of one run land in the order of their modification time, then path; a later run lands after
an earlier one. Of several copies of a key in one run the last landed is kept, and it replaces the
stored row of the same key, so replays, overlapping exports and corrected re-exports count once.
"""

from __future__ import annotations

import duckdb

from orchestration.landing.contract import Table
from orchestration.landing.quarantine import quarantine_staged
from orchestration.landing.raw import RAW_SCHEMA
from orchestration.landing.report import TableReport
from orchestration.landing.sql import COPIES, STAGE


def merge(
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
            f"select _source_file, count(*), count(_reason_code) from {STAGE} group by all"
        ).fetchall()
    }
    by_reason = con.execute(
        f"select _reason_code, count(*) from {STAGE} where _reason_code is not null group by all"
    ).fetchall()

    quarantine_staged(con, table, load_id, reread)

    keys = ", ".join(table.key)
    con.execute(
        f"create or replace temp table {COPIES} as "
        f"select {keys} from {STAGE} group by all having count(*) > 1"
    )
    if con.execute(f"select exists (select 1 from {COPIES})").fetchone()[0]:
        con.execute(
            f"""
            delete from {STAGE}
            where rowid in (
                select {STAGE}.rowid
                from {STAGE}
                semi join {COPIES} using ({keys})
                qualify row_number() over (
                    partition by {keys}
                    order by _file_seq desc, _source_row desc
                ) > 1
            )
            """
        )
    con.execute(f"drop table {COPIES}")

    key_match = " and ".join(f"{STAGE}.{key} = {target}.{key}" for key in table.key)
    if con.execute(f"select exists (select 1 from {target})").fetchone()[0]:
        con.execute(f"update {STAGE} set _is_new = false from {target} where {key_match}")
        if con.execute(f"select exists (select 1 from {STAGE} where not _is_new)").fetchone()[0]:
            con.execute(f"delete from {target} using {STAGE} where not {STAGE}._is_new and {key_match}")
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
        from {STAGE}
        """
    )
    loaded = con.execute(f"select _source_file, count(*) from {STAGE} where _is_new group by all").fetchall()
    for source, rows_loaded in loaded:
        per_file[source][1] = rows_loaded

    report = TableReport(table=table.name, quarantined_by_reason=dict(sorted(by_reason)))
    report.rows_read = sum(counts[0] for counts in per_file.values())
    report.rows_loaded = sum(counts[1] for counts in per_file.values())
    report.rows_quarantined = sum(counts[2] for counts in per_file.values())
    report.rows_deduplicated = report.rows_read - report.rows_loaded - report.rows_quarantined
    return report, per_file
