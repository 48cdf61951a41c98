"""Asset checks of our own, beside the dbt tests that dagster-dbt turns into checks.

dbt tests guard the models. What they cannot see is what ingest set aside: a row that broke a
contract rule never reaches `raw`, so no model test fails because of it. The contract says such rows
never break the build, so this check warns rather than blocks: the run goes on, and the landing
table turns yellow in the UI with the count per reason until someone looks at `raw._quarantine`.
"""

from __future__ import annotations

from collections.abc import Mapping

import dagster as dg

from orchestration.ingest import TableReport

NOTHING_QUARANTINED = "nothing_quarantined"


def quarantine_check_specs(keys_by_table: Mapping[str, dg.AssetKey]) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            NOTHING_QUARANTINED,
            asset=key,
            description=(
                f"Warns when rows of {table} landed in this run broke a contract rule; they are kept in "
                "raw._quarantine with file, row and reason, and are not in the warehouse."
            ),
        )
        for table, key in keys_by_table.items()
    ]


def quarantine_check_result(key: dg.AssetKey, report: TableReport) -> dg.AssetCheckResult:
    reasons = dict(sorted(report.quarantined_by_reason.items()))
    if report.rows_quarantined:
        listed = ", ".join(f"{count} {reason}" for reason, count in reasons.items())
        description = (
            f"{report.rows_quarantined} of {report.rows_read} rows read went to raw._quarantine ({listed})."
        )
    else:
        description = f"All {report.rows_read} rows read this run passed the contract rules."
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=NOTHING_QUARANTINED,
        passed=report.rows_quarantined == 0,
        severity=dg.AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "rows_read": report.rows_read,
            "rows_quarantined": report.rows_quarantined,
            "quarantined_by_reason": dg.MetadataValue.json(reasons),
        },
    )
