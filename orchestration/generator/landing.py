"""Writing landing-zone files byte-for-byte reproducibly, and counting what went into them.

Ingest decides which copy of a replayed key landed last by file modification time (then path), so
every file gets a modification time that says when it "landed": the day after the data it holds,
a replay a few hours after the original export of its landing day. The same arguments therefore
produce the same bytes and the same landing order on every machine.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.landing.contract import TABLES

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "decimal": pa.decimal128(18, 6),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(column.name, _ARROW_TYPES[column.type]) for column in TABLES[table].columns])


@dataclass
class TableStats:
    rows: int = 0
    files: int = 0
    replayed: int = 0
    late: int = 0
    malformed: list[dict[str, object]] = field(default_factory=list)


@dataclass
class LandedFile:
    path: str
    table: str
    rows: int
    landed_at_us: int


class Landing:
    """The output folder; every file written through it is recorded with its row count."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stats = {name: TableStats() for name in TABLES}
        self.files: list[LandedFile] = []

    def _path(self, relative: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def _landed(self, table: str, relative: str, rows: int, landed_at_us: int) -> None:
        nanoseconds = landed_at_us * 1000
        os.utime(self.root / relative, ns=(nanoseconds, nanoseconds))
        self.stats[table].rows += rows
        self.stats[table].files += 1
        self.files.append(LandedFile(relative, table, rows, landed_at_us))

    def parquet(
        self,
        table: str,
        relative: str,
        data: pa.Table,
        landed_at_us: int,
        dictionary: list[str] | None = None,
    ) -> None:
        """`dictionary` names the low-cardinality columns worth dictionary-encoding (default: all)."""
        pq.write_table(
            data,
            self._path(relative),
            compression="zstd",
            compression_level=1,
            use_dictionary=True if dictionary is None else dictionary,
        )
        self._landed(table, relative, data.num_rows, landed_at_us)

    def csv(
        self, table: str, relative: str, header: list[str], rows: Iterable[list[object]], landed_at_us: int
    ) -> None:
        count = 0
        with self._path(relative).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(["" if value is None else value for value in row])
                count += 1
        self._landed(table, relative, count, landed_at_us)

    def jsonl(
        self, table: str, relative: str, records: Iterable[dict[str, object]], landed_at_us: int
    ) -> None:
        count = 0
        with self._path(relative).open("w", encoding="utf-8", newline="\n") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
                handle.write("\n")
                count += 1
        self._landed(table, relative, count, landed_at_us)

    def malformed(self, table: str, relative: str, row: int, kind: str, key: dict[str, object]) -> None:
        """Record a deliberately broken row; `row` counts as ingest does (a CSV header is line 1)."""
        self.stats[table].malformed.append({"file": relative, "row": row, "kind": kind, "key": key})
