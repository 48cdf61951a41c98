"""What readers get after publish: the BI face (`published/bi`) and the report (`published/report`).

Both run the functions `airoi build` runs after its swap (orchestration.bi.readers), downstream of
`published/warehouse`, so a failed build publishes neither and readers keep the last good ones.
"""

import dagster as dg

from orchestration.bi.face import publish_bi
from orchestration.defs.publish import GROUP, PUBLISHED_KEY
from orchestration.defs.resources import WarehouseResource
from orchestration.report import write_report

BI_KEY = dg.AssetKey(["published", "bi"])
REPORT_KEY = dg.AssetKey(["published", "report"])


@dg.asset(
    key=BI_KEY,
    deps=[PUBLISHED_KEY],
    group_name=GROUP,
    kinds={"duckdb"},
    description=(
        "The BI face: warehouse.bi.duckdb beside the published warehouse, schema `bi` only, team-level "
        "figures with groups under airoi_bi_min_engineers withheld. What BI tools connect to."
    ),
)
def bi_face(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    face = publish_bi(warehouse.published_path)
    context.log.info(face.render())
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(face.path)),
            "min_engineers": face.threshold,
            "tables": dg.MetadataValue.json(face.rows),
            "not_published": dg.MetadataValue.json(face.missing),
        }
    )


@dg.asset(
    key=REPORT_KEY,
    deps=[BI_KEY],
    group_name=GROUP,
    kinds={"html"},
    description=(
        "The managers' report: one self-contained HTML file (warehouse.report.html) drawn from the BI "
        "face, with spend against outcomes, adjusted demand, adoption, DORA and flag reasons per team."
    ),
)
def report(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    result = write_report(warehouse.published_path)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "charts": result.charts,
            "not_available": dg.MetadataValue.json(result.missing),
        }
    )
