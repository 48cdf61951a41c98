"""After every publish: the BI face beside the restricted warehouse, then the report drawn from it.

`airoi build` calls this after its atomic swap, and Dagster's `published/bi` and `published/report`
assets run the same two steps downstream of `published/warehouse`, so both paths leave the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration.bi.face import BiFace, publish_bi
from orchestration.report import ReportResult, write_report


@dataclass
class Publication:
    face: BiFace
    report: ReportResult

    def render(self) -> str:
        missing = f" ({', '.join(self.report.missing)} not in this warehouse)" if self.report.missing else ""
        return f"{self.face.render()}\nReport {self.report.path}: {self.report.charts} charts{missing}"


def publish_for_readers(warehouse: Path, threshold: int | None = None) -> Publication:
    face = publish_bi(warehouse, threshold)
    return Publication(face, write_report(warehouse))
