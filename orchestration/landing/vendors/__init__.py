"""Loaders of the vendors' own exports, one module per export (CONTRACT.md section 4).

Each module maps its export exactly as the vendor returns it into the rows of a vendor target
table (`contract.VENDOR_TABLES`); the files then go through canonical ingest's own steps (`find`,
`quarantine`, `merge`), so replays, late and corrected pages, quarantine and the report work as they
do for a canonical table. `export` holds what the loaders share.
"""

from orchestration.landing.vendors import (
    anthropic,
    claude_code,
    copilot,
    cursor,
    git,
    github,
    openai,
    pagerduty,
)
from orchestration.landing.vendors.export import Export, ExportError, RecordProblem

#: Every export folder the landing zone may hold, by folder name (`github/pulls` is a folder of `github`).
EXPORTS: dict[str, Export] = {
    export.folder: export
    for export in (
        claude_code.EXPORT,
        anthropic.EXPORT,
        openai.EXPORT,
        copilot.EXPORT,
        cursor.EXPORT,
        github.PULLS,
        github.REVIEWS,
        github.COMMITS,
        github.DEPLOYMENTS,
        pagerduty.EXPORT,
        git.EXPORT,
    )
}

__all__ = ["EXPORTS", "Export", "ExportError", "RecordProblem"]
