"""The dbt models as assets, built with `dbt build` so every test runs as an asset check.

Following Dagster's own platform, the incremental models (`config.materialized:incremental`) form one
daily-partitioned group: a run of a partition range hands dbt the window as the vars `min_date`
(inclusive) and `max_date` (exclusive), and a backfill of many days runs as one dbt invocation. Every
other model forms one unpartitioned group. The selection comes from the manifest, so a model added to
the project appears here without a change to this file.

A dbt test of severity error is a blocking check: dbt skips everything downstream of a failing one
and exits non-zero, which fails the step, so nothing after it (publish included) runs. When the
machine rather than the data failed dbt (out of memory, a lock another process holds on the working
file), the step fails with the line `airoi build` prints for it.
"""

import gc
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from orchestration.build import BuildError, diagnose, memory_limit
from orchestration.defs.check_descriptions import describe_test
from orchestration.defs.failures import one_line_failure
from orchestration.defs.partitions import daily_partitions
from orchestration.defs.resources import WarehouseResource

INCREMENTAL = "config.materialized:incremental"
GROUP = "dbt"
DAILY_GROUP = "dbt_daily"
#: Where dagster-dbt records the dbt node behind an asset or a check.
UNIQUE_ID = "dagster_dbt/unique_id"


class GroupTranslator(DagsterDbtTranslator):
    """Puts every model of one `@dbt_assets` definition in one asset group."""

    def __init__(self, group: str, settings: DagsterDbtTranslatorSettings | None = None) -> None:
        super().__init__(settings=settings)
        self._group = group

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_group_name(dbt_resource_props)
        return self._group

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=describe_test(manifest["nodes"][unique_id], manifest))


def load_manifest(project: DbtProject) -> dict[str, Any]:
    return json.loads(Path(project.manifest_path).read_text())


def has_incremental_models(manifest: Mapping[str, Any]) -> bool:
    return any(
        node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"
        for node in manifest["nodes"].values()
    )


def partition_vars(window: dg.TimeWindow) -> dict[str, str]:
    return {"min_date": window.start.strftime("%Y-%m-%d"), "max_date": window.end.strftime("%Y-%m-%d")}


def _close_adapter(adapter: Any) -> None:
    """Release the DuckDB file that dagster-dbt's in-process adapter opened to read the schemas.

    dbt-duckdb keeps its database open (its `keep_open` default), and with it a lock on the file
    that the next step (dbt again, or publish) could not get.
    """
    adapter.cleanup_connections()
    close_database = getattr(type(adapter.connections), "close_all_connections", None)
    if close_database is not None:
        close_database()
    gc.collect()


class _DbtBuild:
    """Runs `dbt build` for the assets and checks one step selected, against the working file.

    The events carry each model's column schema, read by dagster-dbt after dbt has exited and
    released the file; without column lineage, whose SQL parsing costs more than the build itself
    on a small warehouse.

    A run that holds models of both definitions executes the unpartitioned one in two steps, before
    and after the incremental models. dbt adds to its selection every test that reads a selected
    model, including a relationships test from a model built in the later step to a dimension built
    in the earlier one, which would then fail on a table not built yet. So a test that reads a model
    outside the step and is not one of the step's own checks is excluded; it runs with the step
    whose check it is.
    """

    def __init__(self, manifest: Mapping[str, Any]) -> None:
        self.unique_ids: dict[dg.AssetKey, str] = {}
        self.tests = [
            (node["name"], frozenset(node["depends_on"]["nodes"]))
            for node in manifest["nodes"].values()
            if node["resource_type"] == "test"
        ]

    def register(self, definition: dg.AssetsDefinition) -> None:
        self.unique_ids.update({spec.key: spec.metadata[UNIQUE_ID] for spec in definition.specs})

    def tests_owned_elsewhere(self, context: dg.AssetExecutionContext) -> list[str]:
        built = {self.unique_ids[key] for key in context.selected_asset_keys}
        checks = {key.name for key in context.selected_asset_check_keys}
        return sorted(
            name
            for name, parents in self.tests
            if parents & built and not parents <= built and name not in checks
        )

    def __call__(
        self,
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        warehouse: WarehouseResource,
        extra_args: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ) -> Iterator[Any]:
        excluded = [*exclude, *self.tests_owned_elsewhere(context)]
        exclude_args = ["--exclude", " ".join(excluded)] if excluded else []
        with one_line_failure(), warehouse.dbt_environment():
            memory_limit()
            invocation = dbt.cli(["build", *extra_args, *exclude_args], context=context)
            try:
                yield from invocation.stream().fetch_column_metadata(with_column_lineage=False)
            except DagsterDbtCliRuntimeError as error:
                diagnosis = diagnose(str(error), warehouse.working_path)
                if diagnosis is None:
                    raise
                raise BuildError(diagnosis) from error
            finally:
                if invocation.adapter is not None:
                    _close_adapter(invocation.adapter)


def build_dbt_assets(project: DbtProject) -> list[dg.AssetsDefinition]:
    """The unpartitioned models, and the daily-partitioned incremental ones when the project has any.

    dbt source tests become checks of the landing assets; only the unpartitioned definition claims
    them, so the two definitions never declare the same check.
    """
    manifest = load_manifest(project)
    build = _DbtBuild(manifest)

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        exclude=INCREMENTAL,
        name="dbt_models",
        dagster_dbt_translator=GroupTranslator(
            GROUP, DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True)
        ),
    )
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        # As in `airoi build`: unit tests check logic on fixed rows, not the data; the suite runs them.
        yield from build(context, dbt, warehouse, exclude=["resource_type:unit_test"])

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        select=INCREMENTAL,
        name="dbt_daily_models",
        partitions_def=daily_partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        dagster_dbt_translator=GroupTranslator(DAILY_GROUP),
    )
    def dbt_daily_models(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ):
        dbt_vars = partition_vars(context.partition_time_window)
        context.log.info(f"dbt vars of this run: {dbt_vars}")
        # Unit tests check logic on fixed rows, and the window vars would change what they compute:
        # they run without vars, in the dbt tests of the test suite.
        yield from build(
            context, dbt, warehouse, ["--vars", json.dumps(dbt_vars)], exclude=["resource_type:unit_test"]
        )

    definitions = [dbt_models, dbt_daily_models] if has_incremental_models(manifest) else [dbt_models]
    for definition in definitions:
        build.register(definition)
    return definitions
