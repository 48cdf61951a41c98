"""Vendor API pulls as assets: one asset per source of `airoi fetch`, in the landing group.

A source whose API answers one UTC day per call (Claude Code Analytics, Cursor's usage events) is
partitioned by day like the incremental models, so a backfill fetches exactly the days asked for.
The others re-fetch the last AIROI_FETCH_LOOKBACK_DAYS days (3 by default) on each materialisation,
since their vendors restate recent buckets. The pages land in the landing zone, where the landing
sensor sees them and starts the ingest of the tables they feed. The warehouse build job leaves these
assets out: a build never calls a vendor.
"""

import os
from datetime import UTC, date, datetime, timedelta

import dagster as dg

from orchestration.defs.partitions import daily_partitions
from orchestration.defs.resources import WarehouseResource
from orchestration.landing.fetch import SOURCES, FetchError, Source, fetch

PREFIX = "fetch"
GROUP = "landing"


def _days(context: dg.AssetExecutionContext) -> tuple[date, date]:
    if context.has_partition_key:
        day = date.fromisoformat(context.partition_key)
        return day, day + timedelta(days=1)
    today = datetime.now(UTC).date()
    lookback = int(os.environ.get("AIROI_FETCH_LOOKBACK_DAYS") or 3)
    return today - timedelta(days=lookback), today + timedelta(days=1)


def _fetch_asset(name: str, description: str, daily: bool) -> dg.AssetsDefinition:
    @dg.asset(
        key=[PREFIX, name],
        group_name=GROUP,
        partitions_def=daily_partitions if daily else None,
        kinds={"api"},
        description=description,
    )
    def fetched(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        since, until = _days(context)
        try:
            report = fetch([name], warehouse.landing_path, since, until)
        except FetchError as error:
            raise dg.Failure(description=str(error)) from error
        return dg.MaterializeResult(
            metadata={
                "since": since.isoformat(),
                "until": until.isoformat(),
                "pages": report.pages[name],
                "files_written": report.written[name],
                "restarts_after_expired_cursor": report.restarts,
            }
        )

    return fetched


def _description(source: Source) -> str:
    return (
        f"Pages of {source.base_url}{source.path}, written unchanged under <landing>/{source.folder}/ "
        f"with the key in {source.key_variable}."
    )


fetch_assets = [
    *(_fetch_asset(name, _description(source), source.days == 1) for name, source in SOURCES.items()),
    _fetch_asset(
        "github",
        "Pull requests with their reviews, commits, deployments with their statuses of each repository "
        "of AIROI_GITHUB_REPOS, pages written unchanged under <landing>/github/, with GITHUB_TOKEN.",
        daily=False,
    ),
]

#: Every fetch asset, for the jobs that must leave them out.
FETCH_SELECTION = dg.AssetSelection.key_prefixes([PREFIX])
