"""The names importers of the former single-module ingest use; the code is in `orchestration.landing`."""

from orchestration.landing import (
    IngestReport,
    LandedFile,
    LandingError,
    TableReport,
    TimestampWindow,
    discover,
    file_hash,
    ingest,
)

__all__ = [
    "IngestReport",
    "LandedFile",
    "LandingError",
    "TableReport",
    "TimestampWindow",
    "discover",
    "file_hash",
    "ingest",
]
