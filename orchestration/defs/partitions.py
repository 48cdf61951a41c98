"""The daily partitions of the incremental dbt models.

One partition is one UTC day, the grain at which the incremental models take their window
(dbt vars `min_date` inclusive, `max_date` exclusive). They start on the first day any landed data
can belong to; an organisation with older history sets AIROI_PARTITIONS_START before loading it.
"""

from __future__ import annotations

import os

import dagster as dg

PARTITIONS_START = os.environ.get("AIROI_PARTITIONS_START", "2026-05-04")

daily_partitions = dg.DailyPartitionsDefinition(start_date=PARTITIONS_START, timezone="UTC")
