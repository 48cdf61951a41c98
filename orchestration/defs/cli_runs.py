"""Runs of `airoi build` in the Dagster UI's run history.

`airoi build` and the `warehouse_build` job are one pipeline: the same ingest, the same dbt project,
the same checks, the same atomic publish and the same BI face and report after it. The command runs
those steps directly, not through Dagster's executor, so that a build never depends on the state of
a Dagster instance and its output stays the plain report a person reads in the terminal. When
DAGSTER_HOME names an instance (the Makefile sets `.dagster/`), the finished build is recorded there
as a run of the job `airoi_build`: success or failure with the command's own message, and a
materialisation of `published/warehouse`, `published/bi` and `published/report`, so the UI's
**Runs** page and each asset's history show builds from both places. Recording is best effort: a
build that succeeded is not failed because the instance could not be written.
"""

import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import dagster as dg

from orchestration.defs.publish import PUBLISHED_KEY
from orchestration.defs.readers import BI_KEY, REPORT_KEY

CLI_JOB = "airoi_build"
TRIGGER_TAG = "airoi/trigger"


class CliBuild(dg.Config):
    """What one `airoi build` did, as the command saw it."""

    landing: str
    warehouse: str
    succeeded: bool
    started_at: str
    seconds: float
    summary: str


@dg.op(
    description=(
        "Records one `airoi build` from the command line: its outcome, its message, and the files it "
        "published. The build itself ran in the command (orchestration.build), not here."
    ),
    out={},
)
def record_cli_build(context: dg.OpExecutionContext, config: CliBuild) -> Iterator[dg.AssetMaterialization]:
    context.log.info(
        f"airoi build --landing {config.landing} --warehouse {config.warehouse}, "
        f"started {config.started_at}, took {config.seconds:.1f}s\n{config.summary}"
    )
    if not config.succeeded:
        raise dg.Failure(description=f"airoi build failed:\n{config.summary}")
    from orchestration.bi.face import bi_path
    from orchestration.report import report_path

    warehouse = Path(config.warehouse)
    for key, path in (
        (PUBLISHED_KEY, warehouse),
        (BI_KEY, bi_path(warehouse)),
        (REPORT_KEY, report_path(warehouse)),
    ):
        yield dg.AssetMaterialization(
            asset_key=key,
            description="Published by `airoi build` (command line).",
            metadata={
                "path": dg.MetadataValue.path(str(path)),
                "trigger": "airoi build",
                "build_seconds": round(config.seconds, 1),
            },
        )


@dg.job(
    name=CLI_JOB,
    description=(
        "The history of `airoi build` runs from the command line (one per build, recorded when it "
        "finished). To build from here, use warehouse_build."
    ),
    tags={TRIGGER_TAG: "cli"},
)
def cli_build_job() -> None:
    record_cli_build()


def record_build(
    landing: Path, warehouse: Path, started: datetime, seconds: float, succeeded: bool, summary: str
) -> str | None:
    """Record a finished build in the instance DAGSTER_HOME names; the run id, or None when not recorded."""
    if not os.environ.get("DAGSTER_HOME"):
        return None
    config = CliBuild(
        landing=str(landing.resolve()),
        warehouse=str(warehouse.resolve()),
        succeeded=succeeded,
        started_at=started.isoformat(timespec="seconds"),
        seconds=seconds,
        summary=summary,
    )
    try:
        with dg.DagsterInstance.get() as instance:
            result = cli_build_job.execute_in_process(
                run_config={
                    "ops": {"record_cli_build": {"config": config.model_dump()}},
                    "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
                },
                instance=instance,
                raise_on_error=False,
            )
        return result.run_id
    except Exception as error:  # a record that cannot be written must not fail the build
        print(
            f"Not recorded in the Dagster instance at {os.environ['DAGSTER_HOME']}: {error}", file=sys.stderr
        )
        return None
