"""Great Expectations 1.x on a DuckDB file: the generic route fails, ours works."""

from __future__ import annotations

from pathlib import Path

import duckdb
import great_expectations as gx
import pytest

import orchestration.quality.gx_duckdb  # noqa: F401  (registers the duckdb_warehouse datasource)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A DuckDB file with a table outside `main`, as the marts are: ids 0..99, values 0, 2, ..., 198."""
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.weekly as select range as id, range * 2 as value, "
            "cast(range * 1.5 as decimal(18, 6)) as cost_usd, 'team-a' as team_id from range(100)"
        )
    return path


def _batch(warehouse: Path, datasource_type: str):
    context = gx.get_context(mode="ephemeral")
    connection = {
        "connection_string": f"duckdb:///{warehouse}",
        "kwargs": {"connect_args": {"read_only": True}},
    }
    if datasource_type == "sql":
        datasource = context.data_sources.add_sql(name="warehouse", **connection)
        asset = datasource.add_table_asset(name="weekly", table_name="weekly", schema_name="marts")
    else:
        datasource = context.data_sources.add_duckdb_warehouse(
            name="warehouse", default_schema="marts", **connection
        )
        asset = datasource.add_table_asset(name="weekly", table_name="weekly")
    return asset.add_batch_definition_whole_table("all").get_batch()


def test_generic_sql_route_fails_on_duckdb(warehouse: Path) -> None:
    """The upstream bug this module works around; when GX fixes it, this test says so."""
    batch = _batch(warehouse, "sql")
    result = batch.validate(gx.expectations.ExpectTableRowCountToBeBetween(min_value=1))
    assert not result.success
    messages = [info["exception_message"] for info in result.exception_info.values()]
    assert any("list index out of range" in message for message in messages)


def test_duckdb_route_computes_metrics(warehouse: Path) -> None:
    batch = _batch(warehouse, "duckdb_warehouse")

    row_count = batch.validate(gx.expectations.ExpectTableRowCountToBeBetween(min_value=100, max_value=100))
    assert row_count.success
    assert row_count.result["observed_value"] == 100

    # values are 0, 2, ..., 198: the 49 values 102..198 lie above 100
    between = batch.validate(gx.expectations.ExpectColumnValuesToBeBetween(column="value", max_value=100))
    assert not between.success
    assert between.result["unexpected_count"] == 49

    unique = batch.validate(gx.expectations.ExpectColumnValuesToBeUnique(column="id"))
    assert unique.success

    # mean of 1.5 * (0..99) = 1.5 * 49.5 = 74.25
    mean = batch.validate(
        gx.expectations.ExpectColumnMeanToBeBetween(column="cost_usd", min_value=74, max_value=75)
    )
    assert mean.success
    assert mean.result["observed_value"] == pytest.approx(74.25)


def test_duckdb_route_reflects_schema_qualified_columns(warehouse: Path) -> None:
    batch = _batch(warehouse, "duckdb_warehouse")
    columns = batch.validate(
        gx.expectations.ExpectTableColumnsToMatchSet(column_set=["id", "value", "cost_usd", "team_id"])
    )
    assert columns.success
    decimal = batch.validate(gx.expectations.ExpectColumnValuesToBeOfType(column="cost_usd", type_="NUMERIC"))
    assert decimal.success
