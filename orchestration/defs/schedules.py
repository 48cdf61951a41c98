"""The job that builds the whole warehouse, and the daily schedule that runs it.

The schedule runs at 06:00 UTC, when yesterday's data has landed, and builds yesterday's partition
of the incremental models together with everything unpartitioned (ingest, the other models,
publish). Earlier days are a backfill from the UI (see the README).
"""

from datetime import timedelta

import dagster as dg

from orchestration.defs.fetch import FETCH_SELECTION
from orchestration.defs.partitions import daily_partitions

WAREHOUSE_JOB = "warehouse_build"
DAILY_SCHEDULE = "daily_warehouse_build"


warehouse_job = dg.define_asset_job(
    WAREHOUSE_JOB,
    # Fetching calls the vendors' APIs: its assets run on their own, never within a build.
    selection=dg.AssetSelection.all() - FETCH_SELECTION,
    description="Ingest the landing zone, build every dbt model and test, publish the warehouse.",
)


def build_daily_schedule(partitioned: bool) -> dg.ScheduleDefinition:
    """`partitioned` says whether the job holds daily-partitioned models; a project without any
    still gets its daily build, as an unpartitioned run."""

    @dg.schedule(
        name=DAILY_SCHEDULE,
        job_name=WAREHOUSE_JOB,
        cron_schedule="0 6 * * *",
        execution_timezone="UTC",
        description="Every day at 06:00 UTC: yesterday's partition and everything unpartitioned.",
    )
    def daily_warehouse_build(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        day = (context.scheduled_execution_time - timedelta(days=1)).strftime("%Y-%m-%d")
        if partitioned and day < daily_partitions.get_first_partition_key():
            return dg.SkipReason(f"{day} is before the first daily partition (AIROI_PARTITIONS_START)")
        return dg.RunRequest(
            run_key=day,
            partition_key=day if partitioned else None,
            tags={"airoi/trigger": "schedule", "airoi/day": day},
        )

    return daily_warehouse_build
