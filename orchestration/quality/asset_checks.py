"""Dagster asset checks that run the Great Expectations suites on the marts dbt has just built.

Each published mart gets two checks, both answered by one GX run over the working file (read-only):
`gx_contract` fails when a critical expectation fails (a contract column missing, a week_start that
is not a Monday, a broken row-count relation) and is blocking with severity ERROR; `gx_plausibility`
fails when a distribution leaves its plausible band and only warns. What each layer asserts is
listed in `orchestration.quality.suites`.

Blocking works through asset dependencies: Dagster holds back an asset whose *direct* upstream asset
has a failed blocking check. The publish asset therefore has to depend on the checked marts
themselves, not only on the leaves of the dbt graph, for a failed contract check to stop it.

The checks read the resource `warehouse` (orchestration.defs.resources.WarehouseResource) for the
working file; data docs of every run go to `gx_docs/` beside it (data/gx_docs/ by default). They run
the suites as `airoi build` does (orchestration.build.validate_working), so a lock another process
holds on the working file fails the step with the line the command prints. That Failure is raised
here rather than through orchestration.defs.failures, whose package imports this module.
"""

from collections.abc import Iterable, Iterator, Mapping

import dagster as dg

from orchestration.build import BuildError, validate_working
from orchestration.quality.suites import (
    MARTS_SCHEMA,
    PUBLISHED_MARTS,
    FailedExpectation,
    SuiteValidation,
)

GX_CONTRACT = "gx_contract"
GX_PLAUSIBILITY = "gx_plausibility"
CHECKS_NAME = "great_expectations_marts"
DOCS_FOLDER = "gx_docs"


def default_mart_keys() -> dict[str, dg.AssetKey]:
    """The keys dagster-dbt's default translator gives the marts: the model's configured schema
    (`+schema: marts` in dbt_project.yml) followed by its name."""
    return {name: dg.AssetKey([MARTS_SCHEMA, name]) for name in PUBLISHED_MARTS}


def published_mart_keys(assets: Iterable[dg.AssetsDefinition]) -> dict[str, dg.AssetKey]:
    """The keys of the published marts among `assets`, matched by the last part of the key (the dbt
    model's name), so the checks follow whatever key prefix the translator gives the models."""
    return {
        key.path[-1]: key
        for definition in assets
        for key in definition.keys
        if key.path[-1] in PUBLISHED_MARTS
    }


def _described(failure: FailedExpectation) -> dict[str, object]:
    return {
        "expectation": failure.expectation,
        "column": failure.column,
        "description": failure.description,
        "observed": failure.observed,
        "examples": failure.examples,
    }


def _result(
    key: dg.AssetKey, check: str, suite: SuiteValidation, docs_index: str | None
) -> dg.AssetCheckResult:
    blocking = check == GX_CONTRACT
    failures = suite.critical_failures if blocking else suite.warning_failures
    kind = "critical" if blocking else "warning"
    if failures:
        description = f"{len(failures)} {kind} expectation(s) failed: " + "; ".join(
            failure.description for failure in failures
        )
    else:
        description = f"Every {kind} expectation of marts.{suite.mart} passed."
    metadata: dict[str, dg.RawMetadataValue] = {
        "evaluated_expectations": suite.evaluated,
        "failed": len(failures),
        "failed_expectations": dg.MetadataValue.json([_described(failure) for failure in failures]),
    }
    if docs_index is not None:
        metadata["data_docs"] = dg.MetadataValue.path(docs_index)
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=check,
        passed=not failures,
        severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
        description=description,
        metadata=metadata,
    )


def build_gx_asset_checks(
    mart_keys: Mapping[str, dg.AssetKey] | None = None,
) -> list[dg.AssetChecksDefinition]:
    """The GX checks of the published marts found under `mart_keys` (mart name -> asset key).

    Pass the keys of the marts the code location really has (`published_mart_keys(dbt_assets)`),
    so a mart not built yet gets no check; the default is every published mart under dagster-dbt's
    default keys.
    """
    keys = dict(mart_keys if mart_keys is not None else default_mart_keys())
    unknown = sorted(set(keys) - set(PUBLISHED_MARTS))
    if unknown:
        raise ValueError(f"not published marts: {', '.join(unknown)}; known: {', '.join(PUBLISHED_MARTS)}")
    specs = [
        spec
        for name, key in keys.items()
        for spec in (
            dg.AssetCheckSpec(
                GX_CONTRACT,
                asset=key,
                blocking=True,
                description=(
                    f"Great Expectations, critical: marts.{name} has the columns CONTRACT.md publishes, "
                    "Monday week starts and the row-count relations with the other marts."
                ),
            ),
            dg.AssetCheckSpec(
                GX_PLAUSIBILITY,
                asset=key,
                description=f"Great Expectations, warning: marts.{name} distributions in plausible bands.",
            ),
        )
    ]

    @dg.multi_asset_check(
        specs=specs,
        name=CHECKS_NAME,
        can_subset=True,
        required_resource_keys={"warehouse"},
        description="Runs the Great Expectations suites of the published marts on the working file.",
    )
    def great_expectations_marts(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
        selected = context.selected_asset_check_keys
        checked_assets = {check.asset_key for check in selected}
        marts = [name for name, key in keys.items() if key in checked_assets]
        warehouse = context.resources.warehouse.working_path
        try:
            validation = validate_working(warehouse, docs_dir=warehouse.parent / DOCS_FOLDER, marts=marts)
        except BuildError as error:
            raise dg.Failure(description=str(error)) from None
        context.log.info(validation.render())
        docs_index = str(validation.docs_index) if validation.docs_index is not None else None
        for name in marts:
            for check in (GX_CONTRACT, GX_PLAUSIBILITY):
                if dg.AssetCheckKey(keys[name], check) in selected:
                    yield _result(keys[name], check, validation.suites[name], docs_index)

    return [great_expectations_marts]


GX_ASSET_CHECKS: list[dg.AssetChecksDefinition] = build_gx_asset_checks()
