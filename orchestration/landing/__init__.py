"""The landing zone: what may land (`contract`), and how it gets into the typed `raw` schema.

Canonical ingest is split by concern, in the order a run goes through them: `find` (which files
are new), `read` (headers checked, rows typed), `quarantine` (rows that break a rule), `merge` (the
rest into raw by key); `ingest` runs them and `report` says what a run did. Beside it, `vendors/`
holds one loader per vendor export, read through the same steps, and `fetch` pulls the vendors'
APIs into the landing zone.
"""

from orchestration.landing.find import LandedFile, discover, file_hash
from orchestration.landing.ingest import ingest
from orchestration.landing.quarantine import TimestampWindow
from orchestration.landing.report import IngestReport, LandingError, TableReport

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
