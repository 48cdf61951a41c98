"""Where things live, from the environment, with defaults that work for the embedded DuckDB.

The published warehouse is what BI tools open; the working file beside it is what ingest and dbt
write. Readers never see a half-built warehouse because only `publish` replaces the published file.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(os.environ.get("AIROI_PROJECT_DIR", Path(__file__).resolve().parents[1]))
DEFAULT_LANDING = Path(os.environ.get("AIROI_LANDING_DIR", "data/landing"))
DEFAULT_WAREHOUSE = Path(os.environ.get("AIROI_WAREHOUSE", "data/warehouse.duckdb"))


def working_path(published: Path) -> Path:
    """The file builds write, beside the published one: `warehouse.duckdb` -> `warehouse.build.duckdb`."""
    return published.with_name(f"{published.stem}.build{published.suffix or '.duckdb'}")


def dbt_target_path(work: Path) -> Path:
    """dbt's target folder for builds of `work`, beside it: `warehouse.build.duckdb` -> `warehouse.dbt/`.

    One per warehouse: two builds of different warehouses at once never read each other's run
    results, and a warehouse's next build parses only what changed (dbt keeps its parse only while
    the profile, the file's path included, stays the same). AIROI_DBT_TARGET_PATH overrides it.
    """
    name = work.name.removesuffix(work.suffix).removesuffix(".build")
    return (work.parent / f"{name}.dbt").resolve()


def temp_dir(published: Path) -> Path:
    """DuckDB's spill directory for this warehouse, so large sorts never fill the system /tmp."""
    return published.parent / "tmp"


def spill_dir(work: Path) -> Path:
    """Where DuckDB spills while it builds `work`: AIROI_DUCKDB_TEMP_DIR, or `tmp/` beside the file.

    Absolute, so dbt (which runs from the project folder) and this process name the same folder with
    the same text: DuckDB compares the settings of a second open of a file in one process as text.
    """
    return Path(os.environ.get("AIROI_DUCKDB_TEMP_DIR") or temp_dir(work)).resolve()


def quiet_environment() -> dict[str, str]:
    """Environment for every tool this project starts: no telemetry, no network."""
    env = dict(os.environ)
    env.update(
        {
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
            "GX_ANALYTICS_ENABLED": "false",
            "DBT_PROFILES_DIR": env.get("DBT_PROFILES_DIR", str(PROJECT_DIR)),
        }
    )
    return env
