"""Landing ingest as assets: one asset per landing table, all made by one subsettable step.

The asset keys are the ones dagster-dbt gives the `landing` dbt sources, so each staging model hangs
under the table it reads, and a run can ingest only the tables that got new files. The bookkeeping
tables of ingest (`raw._quarantine`, `raw._ingested_files`) are dbt sources too; they are outputs of
the same step because every ingest writes them.
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

from orchestration.build import connect_working
from orchestration.contract import LINEAGE_COLUMNS, TABLES, Table
from orchestration.defs.checks import NOTHING_QUARANTINED, quarantine_check_result, quarantine_check_specs
from orchestration.defs.failures import one_line_failure
from orchestration.defs.resources import WarehouseResource
from orchestration.landing.ingest import ALL_TABLES, IngestReport, LandingError, ingest
from orchestration.raw import RAW_SCHEMA

LANDING_SOURCE = "landing"
GROUP = "landing"


def landing_keys(project: DbtProject, manifest: Mapping[str, Any]) -> dict[str, dg.AssetKey]:
    """The asset key of every landing table, as dagster-dbt names the dbt source that reads it.

    Contract tables no dbt source reads yet keep the default key, `landing/<table>`.
    """
    translator = DagsterDbtTranslator()
    keys = {name: dg.AssetKey([LANDING_SOURCE, name]) for name in TABLES}
    for unique_id, source in manifest.get("sources", {}).items():
        if source["source_name"] == LANDING_SOURCE:
            keys[source["name"]] = translator.get_asset_spec(manifest, unique_id, project).key
    return keys


def _column_schema(table: Table) -> dg.TableSchema:
    columns = [
        dg.TableColumn(
            name=column.name,
            type=column.type,
            description=column.description or None,
            constraints=dg.TableColumnConstraints(nullable=not column.required),
        )
        for column in table.columns
    ]
    columns += [dg.TableColumn(name=name, type=type_) for name, type_ in LINEAGE_COLUMNS.items()]
    return dg.TableSchema(columns=columns)


def _spec(name: str, key: dg.AssetKey) -> dg.AssetSpec:
    metadata: dict[str, Any] = {"dagster/table_name": f"{RAW_SCHEMA}.{name}"}
    table = ALL_TABLES.get(name)
    if table is None:
        description = f"Ingest bookkeeping, written by every ingest run: {RAW_SCHEMA}.{name}."
    else:
        folder = f"<landing>/{name}/" if name in TABLES else "the vendor export folders"
        description = (
            f"{table.description} Landed files under {folder}, typed, in UTC, "
            f"deduplicated by ({', '.join(table.key)}), the last-landed copy winning."
        )
        metadata["dagster/column_schema"] = _column_schema(table)
        metadata["contract_key"] = ", ".join(table.key)
    return dg.AssetSpec(key, description=description, group_name=GROUP, kinds={"duckdb"}, metadata=metadata)


def _materialization(
    key: dg.AssetKey, name: str, report: IngestReport, rows_in_raw: int
) -> dg.MaterializeResult:
    if name not in report.tables:
        return dg.MaterializeResult(
            asset_key=key,
            metadata={
                "load_id": report.load_id,
                "rows_quarantined_this_run": report.total_quarantined,
                "dagster/row_count": rows_in_raw,
            },
        )
    table = report.tables[name]
    return dg.MaterializeResult(
        asset_key=key,
        metadata={
            "load_id": report.load_id,
            "files_read": table.files_read,
            "rows_read": table.rows_read,
            "rows_loaded": table.rows_loaded,
            "rows_deduplicated": table.rows_deduplicated,
            "rows_quarantined": table.rows_quarantined,
            "quarantined_by_reason": dg.MetadataValue.json(dict(sorted(table.quarantined_by_reason.items()))),
            "dagster/row_count": rows_in_raw,
        },
    )


def build_landing_assets(keys: Mapping[str, dg.AssetKey]) -> dg.AssetsDefinition:
    """One step that ingests the selected contract tables into the working file, as `airoi build` does
    (the same connection settings, and the same one line when the machine fails it)."""
    contract_keys = {name: key for name, key in keys.items() if name in ALL_TABLES}

    @dg.multi_asset(
        name="landing_ingest",
        specs=[_spec(name, key) for name, key in keys.items()],
        check_specs=quarantine_check_specs(contract_keys),
        can_subset=True,
    )
    def landing_ingest(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        landing = warehouse.landing_path
        if not landing.is_dir():
            raise dg.Failure(
                f"The landing zone {landing} does not exist or is not a folder (AIROI_LANDING_DIR)."
            )
        selected = context.selected_asset_keys
        tables = [name for name, key in contract_keys.items() if key in selected]
        try:
            with one_line_failure(), connect_working(warehouse.working_path, "ingest") as con:
                report = ingest(con, landing, tables=tables)
                rows_in_raw = {
                    name: con.execute(f'select count(*) from {RAW_SCHEMA}."{name}"').fetchone()[0]
                    for name, key in keys.items()
                    if key in selected
                }
        except LandingError as error:
            raise dg.Failure(
                description=f"Ingest loaded nothing; fix these files in {landing} and run again:\n{error}",
                metadata={"problems": dg.MetadataValue.json(error.problems)},
            ) from error
        context.log.info("\n" + report.render())
        for warning in report.warnings():
            context.log.warning(warning)
        for name, key in keys.items():
            if key not in selected:
                continue
            yield _materialization(key, name, report, rows_in_raw[name])
            check_key = dg.AssetCheckKey(key, NOTHING_QUARANTINED)
            if name in report.tables and check_key in context.selected_asset_check_keys:
                yield quarantine_check_result(key, report.tables[name])

    return landing_ingest
