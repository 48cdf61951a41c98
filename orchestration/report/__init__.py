"""The managers' report: one self-contained HTML file drawn from the BI face, readable offline."""

from orchestration.report.render import ReportResult, report_path, write_report

__all__ = ["ReportResult", "report_path", "write_report"]
