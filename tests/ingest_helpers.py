"""Landing zones for the ingest tests, and a timing of a large Parquet ingest.

`python tests/ingest_helpers.py --rows 10000000` writes that many AI usage events as daily Parquet
files under a temporary folder, ingests them into a fresh DuckDB file and prints how long it took.
It is a measurement, not a test: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path

import duckdb

from orchestration.landing import ingest


def write_csv(path: Path, rows: list[dict[str, object]], header: list[str] | None = None) -> Path:
    """Write rows under a header (the union of their keys by default); None is an empty field."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = header or list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(column) is None else row.get(column) for column in columns])
    return path


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_parquet(path: Path, rows: list[dict[str, object]], types: dict[str, str]) -> Path:
    """Write rows as Parquet with the given DuckDB type per column, so timestamps are real timestamps."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(types)
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        values = ", ".join(
            "(" + ", ".join(f"cast(? as {types[column]})" for column in columns) + ")" for _ in rows
        )
        select = (
            f"select * from (values {values}) as landed ({', '.join(columns)})"
            if rows
            else "select "
            + ", ".join(f"cast(null as {types[column]}) as {column}" for column in columns)
            + " limit 0"
        )
        parameters = [row.get(column) for row in rows for column in columns]
        con.execute(f"copy ({select}) to '{path}' (format parquet)", parameters)
    return path


def write_rows(path: Path, rows: list[dict[str, object]], types: dict[str, str] | None = None) -> Path:
    """Write rows in the format the file name asks for."""
    if path.suffix == ".csv":
        return write_csv(path, rows)
    if path.suffix in {".jsonl", ".ndjson"}:
        return write_jsonl(path, rows)
    return write_parquet(path, rows, types or dict.fromkeys(rows[0], "varchar"))


def _write_events(landing: Path, rows: int, days: int) -> None:
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        per_day = rows // days
        for day in range(days):
            folder = landing / "ai_usage_events" / f"date=2026-03-{day + 1:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            con.execute(
                f"""
                copy (
                    select
                        md5(cast({day} * {per_day} + number as varchar)) as event_id,
                        timestamptz '2026-03-01 00:00:00+00' + interval ({day}) day
                            + to_microseconds(number * 86400000000 // {per_day}) as occurred_at,
                        ['claude_code', 'cursor', 'copilot', 'openai_api'][number % 4 + 1] as source_tool,
                        'engineer' || (number % 300) || '@example.com' as actor_id,
                        'session-' || (number // 40) as session_id,
                        ['claude-sonnet-4-5', 'gpt-5', 'claude-haiku-4-5'][number % 3 + 1] as model,
                        'chat' as request_kind,
                        number % 5000 as input_tokens,
                        number % 20000 as cached_input_tokens,
                        number % 700 as cache_write_tokens,
                        number % 3000 as output_tokens,
                        cast(null as decimal(18, 6)) as cost_usd,
                        md5(cast(number % 100000 as varchar)) as prompt_hash,
                    from range({per_day}) as numbers (number)
                ) to '{folder / "part-0.parquet"}' (format parquet)
                """
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as work:
        landing = Path(work) / "landing"
        started = time.perf_counter()
        _write_events(landing, args.rows, args.days)
        print(
            f"wrote {args.rows:,} events in {args.days} Parquet files: {time.perf_counter() - started:.1f} s"
        )
        with duckdb.connect(str(Path(work) / "warehouse.duckdb")) as con:
            started = time.perf_counter()
            report = ingest(con, landing, tables=["ai_usage_events"])
            first = time.perf_counter() - started
            print(report.render())
            print(f"first ingest: {first:.1f} s ({report.total_read / first:,.0f} rows/s)")
            replay = landing / "ai_usage_events" / "date=2026-03-01" / "part-0.parquet"
            replay.with_name("part-0-replay.parquet").write_bytes(replay.read_bytes())
            started = time.perf_counter()
            report = ingest(con, landing, tables=["ai_usage_events"])
            print(
                f"replay of one file ({report.total_read:,} rows) into the loaded table: "
                f"{time.perf_counter() - started:.1f} s"
            )


if __name__ == "__main__":
    main()
