"""The `raw` schema: one table per contract table and per vendor target, plus the ingest's bookkeeping.

Every raw table holds the contract's columns, typed, with timestamps in UTC, deduplicated by
the contract key (the last-landed copy wins), and five lineage columns that say where each row
came from. The tables exist from the first run on, even for a table nothing has landed in yet,
so the dbt sources always resolve.
"""

from __future__ import annotations

import duckdb

from orchestration.landing.contract import DUCKDB_TYPES, LINEAGE_COLUMNS, TABLES, VENDOR_TABLES, Table

RAW_SCHEMA = "raw"

#: Rows that broke a contract rule: never dropped, never loaded.
QUARANTINE_DDL = f"""
create table if not exists {RAW_SCHEMA}._quarantine (
    table_name varchar not null,
    source_file varchar not null,
    source_row bigint,
    column_name varchar,
    reason_code varchar not null,
    reason varchar not null,
    row_content varchar,
    _load_id bigint not null,
    quarantined_at timestamp not null
)
"""

#: One row per landed file that was read, so a re-run reads only new or changed files. The SHA-256
#: of its bytes decides what is new: a touched file is not, a rewrite is, whatever its size and time.
INGESTED_FILES_DDL = f"""
create table if not exists {RAW_SCHEMA}._ingested_files (
    table_name varchar not null,
    source_file varchar not null,
    file_size bigint not null,
    file_mtime_ns bigint not null,
    content_hash varchar,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    _load_id bigint not null,
    ingested_at timestamp not null
)
"""

#: One row per ingest run.
LOADS_DDL = f"""
create table if not exists {RAW_SCHEMA}._loads (
    _load_id bigint not null,
    landing_dir varchar not null,
    started_at timestamp not null,
    finished_at timestamp,
    files_read bigint,
    rows_loaded bigint,
    rows_deduplicated bigint,
    rows_quarantined bigint
)
"""


def table_ddl(table: Table) -> str:
    columns = [f"    {column.name} {DUCKDB_TYPES[column.type]}" for column in table.columns]
    columns += [f"    {name} {type_}" for name, type_ in LINEAGE_COLUMNS.items()]
    return f"create table if not exists {RAW_SCHEMA}.{table.name} (\n" + ",\n".join(columns) + "\n)"


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and all its tables where they are missing."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    for table in (*TABLES.values(), *VENDOR_TABLES.values()):
        con.execute(table_ddl(table))
    for ddl in (QUARANTINE_DDL, INGESTED_FILES_DDL, LOADS_DDL):
        con.execute(ddl)
    # Warehouses built before content hashes were kept.
    con.execute(f"alter table {RAW_SCHEMA}._ingested_files add column if not exists content_hash varchar")
    # Warehouses built before a vendor table gained a column (rows are inserted by column name).
    for table in VENDOR_TABLES.values():
        for column in table.columns:
            con.execute(
                f"alter table {RAW_SCHEMA}.{table.name} "
                f"add column if not exists {column.name} {DUCKDB_TYPES[column.type]}"
            )
