"""Everything the Dagster code location defines, one concern per module, assembled here.

`build_definitions` takes the dbt project folder so a test can load the same definitions over a
copy of the project; `orchestration.definitions` loads them over this repository's project.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtProject, DbtProjectPreparer

from orchestration import settings
from orchestration.defs.checks import mart_checks
from orchestration.defs.cli_runs import cli_build_job
from orchestration.defs.dbt import build_dbt_assets, load_manifest
from orchestration.defs.fetch import fetch_assets
from orchestration.defs.ingest import build_landing_assets, landing_keys
from orchestration.defs.publish import build_publish_asset
from orchestration.defs.readers import bi_face, report
from orchestration.defs.resources import WarehouseResource, dbt_cli, default_warehouse
from orchestration.defs.schedules import build_daily_schedule, warehouse_job
from orchestration.defs.sensors import build_landing_sensor
from orchestration.landing.ingest import ALL_TABLES


class ManifestPreparer(DbtProjectPreparer):
    """Writes the manifest the asset definitions are read from, with this environment's dbt.

    `dagster dev` re-parses on every load so model edits show up at once; any other process parses
    only when there is no manifest yet (a fresh clone), and otherwise uses the one `dbt parse` left.
    It parses with the environment the builds run in (the working file), so that each build's dbt
    can reuse this parse instead of parsing the whole project again.
    """

    def __init__(self, warehouse: WarehouseResource) -> None:
        self._warehouse = warehouse

    def prepare_if_dev(self, project: DbtProject) -> None:
        if self.using_dagster_dev() or not project.manifest_path.exists():
            self.prepare(project)

    def prepare(self, project: DbtProject) -> None:
        with self._warehouse.dbt_environment():
            dbt_cli(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()


def dbt_project(project_dir: Path, warehouse: WarehouseResource) -> DbtProject:
    project = DbtProject(project_dir=project_dir, profiles_dir=project_dir)
    ManifestPreparer(warehouse).prepare_if_dev(project)
    return project


def _sensor_targets(
    keys: Mapping[str, dg.AssetKey], assets: list[dg.AssetsDefinition]
) -> dict[str, list[dg.AssetKey]]:
    """For each table ingest writes (the contract's and the vendor exports'): its asset, the ingest
    bookkeeping and everything downstream of both."""
    bookkeeping = [key for name, key in keys.items() if name not in ALL_TABLES]
    return {
        name: sorted(
            dg.AssetSelection.assets(key, *bookkeeping).downstream().resolve(assets),
            key=lambda item: item.to_user_string(),
        )
        for name, key in keys.items()
        if name in ALL_TABLES
    }


def build_definitions(
    project_dir: Path = settings.PROJECT_DIR, warehouse: WarehouseResource | None = None
) -> dg.Definitions:
    """`warehouse` replaces the landing zone and files taken from the environment."""
    warehouse = warehouse or default_warehouse()
    project = dbt_project(project_dir, warehouse)
    dbt_assets = build_dbt_assets(project)
    keys = landing_keys(project, load_manifest(project))
    landing = build_landing_assets(keys)
    publish = build_publish_asset(
        sorted({key for definition in dbt_assets for key in definition.keys}, key=str)
    )
    assets = [*fetch_assets, landing, *dbt_assets, publish, bi_face, report]
    partitioned = {key for definition in dbt_assets if definition.partitions_def for key in definition.keys}
    return dg.Definitions(
        assets=assets,
        asset_checks=mart_checks(dbt_assets),
        jobs=[warehouse_job, cli_build_job],
        schedules=[build_daily_schedule(partitioned=bool(partitioned))],
        sensors=[build_landing_sensor(_sensor_targets(keys, assets), partitioned)],
        resources={"warehouse": warehouse, "dbt": dbt_cli(project)},
        # DuckDB takes one writer per file: ingest, dbt and publish all write the working file, so a
        # run executes its steps one after the other in one process, and the instance runs one run
        # at a time (.dagster/dagster.yaml).
        executor=dg.in_process_executor,
    )
