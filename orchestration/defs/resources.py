"""The resources every asset shares: where the files are, and the dbt CLI.

The paths come from the environment (AIROI_LANDING_DIR, AIROI_WAREHOUSE) with the defaults of the
`airoi` command, so the UI and the command line build the same warehouse. A relative path is taken
from the project folder, not from wherever the Dagster process happens to start.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings


class WarehouseResource(dg.ConfigurableResource):
    """The landing zone that ingest reads and the DuckDB files the build writes and publishes.

    Every step that writes goes to the working file (`warehouse.build.duckdb`); only the publish
    step touches the published file, which BI tools open read-only.
    """

    landing_dir: str
    warehouse: str

    @property
    def landing_path(self) -> Path:
        return _from_project(self.landing_dir)

    @property
    def published_path(self) -> Path:
        return _from_project(self.warehouse)

    @property
    def working_path(self) -> Path:
        return settings.working_path(self.published_path)

    @contextmanager
    def dbt_environment(self) -> Iterator[None]:
        """Point dbt at the working file for the length of one dbt invocation.

        profiles.yml reads the file from AIROI_DUCKDB_PATH, and dagster-dbt hands this process's
        environment both to the dbt subprocess and to the adapter it opens afterwards to read column
        schemas, so the variable has to be set here rather than passed to one command. Steps run one
        after the other in one process (see definitions), so nothing else sees the change.
        """
        work = self.working_path
        spill = settings.spill_dir(work)
        spill.mkdir(parents=True, exist_ok=True)
        overrides = {"AIROI_DUCKDB_PATH": str(work), "AIROI_DUCKDB_TEMP_DIR": str(spill)}
        saved = {name: os.environ.get(name) for name in overrides}
        os.environ.update(overrides)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _from_project(path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else settings.PROJECT_DIR / candidate


def dbt_cli(project: DbtProject) -> DbtCliResource:
    """The dbt CLI of the environment Dagster runs in, whether or not its bin folder is on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return DbtCliResource(project_dir=project, dbt_executable=str(beside) if beside.exists() else "dbt")


def default_warehouse() -> WarehouseResource:
    return WarehouseResource(
        landing_dir=str(settings.DEFAULT_LANDING), warehouse=str(settings.DEFAULT_WAREHOUSE)
    )
