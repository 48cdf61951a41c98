"""Asset checks beside the dbt tests, which dagster-dbt turns into checks of their models.

Two more kinds:

- `nothing_quarantined` on each landing table. dbt tests guard the models, but what ingest set
  aside never reaches `raw`, so no model test fails because of it. The contract says such rows
  never break the build, so this check warns rather than blocks: the run goes on, and the landing
  table turns yellow in the UI with the count per reason until someone looks at `raw._quarantine`.
- the Great Expectations suites of the published marts (`orchestration.quality`): after dbt has
  built the marts and before publish, a blocking `gx_contract` check against CONTRACT.md and a
  warning `gx_plausibility` check per mart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dagster as dg

from orchestration.landing import TableReport
from orchestration.quality.asset_checks import build_gx_asset_checks, published_mart_keys

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


def mart_checks(dbt_assets: Sequence[dg.AssetsDefinition]) -> list[dg.AssetChecksDefinition]:
    """The Great Expectations checks of the published marts the dbt project has so far."""
    keys = published_mart_keys(dbt_assets)
    return build_gx_asset_checks(keys) if keys else []
