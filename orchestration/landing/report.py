"""What an ingest run did, per table, and the one error that stops it.

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

from dataclasses import dataclass, field


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
    """What one run did to one table; the module docstring says what each count means."""

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
    """What one ingest run did, per table, and what it found that nothing reads."""

    load_id: int
    tables: dict[str, TableReport] = field(default_factory=dict)
    #: Folder of the landing zone that no loader reads -> the number of files in it.
    unknown_folders: dict[str, int] = field(default_factory=dict)

    def warnings(self) -> list[str]:
        """One line per thing a person must look at that did not stop the run."""
        return [
            f"WARNING: folder {name!r} of the landing zone is not a table or vendor export airoi reads; "
            f"the {count:,} file{' in it was' if count == 1 else 's in it were'} not loaded"
            for name, count in self.unknown_folders.items()
        ]

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
        if self.unknown_folders:
            lines += ["", *self.warnings()]
        return "\n".join(lines)
