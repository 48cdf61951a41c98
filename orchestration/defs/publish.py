"""Publish: swap a copy of the working file in as the warehouse BI tools read.

It depends on every dbt asset directly, not only on the last ones of the graph: Dagster holds back
an asset when a blocking check of a *direct* upstream asset fails, and checks such as the Great
Expectations suites of the marts run in their own step, after dbt. So any failed blocking check, or
a failed model, skips publish, and the readers keep the last good warehouse. The swap is one atomic
rename (`orchestration.build.publish`): a reader never sees a half-built file and never holds up a
build.
"""

from collections.abc import Sequence

import dagster as dg
import duckdb

from orchestration.build import publish
from orchestration.defs.failures import one_line_failure
from orchestration.defs.resources import WarehouseResource
from orchestration.published import connect_published

PUBLISHED_KEY = dg.AssetKey(["published", "warehouse"])
GROUP = "publish"


def _marts_summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
    ).fetchall()
    return {name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0] for (name,) in names}


def build_publish_asset(upstream: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=PUBLISHED_KEY,
        deps=upstream,
        group_name=GROUP,
        kinds={"duckdb"},
        description=(
            "The warehouse BI tools and notebooks open read-only (AIROI_WAREHOUSE, default "
            "data/warehouse.duckdb): a consistent copy of the working file, swapped in atomically."
        ),
    )
    def published_warehouse(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        work, published = warehouse.working_path, warehouse.published_path
        if not work.exists():
            raise dg.Failure(f"Nothing to publish: the working file {work} does not exist; build first.")
        with one_line_failure():
            publish(work, published)
        with connect_published(published) as con:
            marts = _marts_summary(con)
        context.log.info(f"Published {published} with {len(marts)} marts tables")
        table = "\n".join(
            [
                "| table | rows |",
                "|---|---:|",
                *(f"| marts.{name} | {rows:,} |" for name, rows in marts.items()),
            ]
        )
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(published)),
                "size_bytes": published.stat().st_size,
                "marts_tables": len(marts),
                "marts": dg.MetadataValue.md(table),
            }
        )

    return published_warehouse
