"""A Great Expectations 1.x SQL datasource that works on DuckDB.

GX's generic SQL route fails on DuckDB through duckdb-engine in two places:

1. `SqlAlchemyExecutionEngine.execute_query` opens a connection, runs the query, closes the
   connection and only then fetches the rows. Closing duckdb-engine's connection discards the
   pending result, so every bundled metric comes back empty and GX raises
   `list index out of range` (GX issues 10738 and 11579). GX keeps one connection open only for the
   dialects it lists in `_PERSISTED_CONNECTION_DIALECTS`; DuckDB is not one of them.
   `DuckDBExecutionEngine` keeps one connection open for the engine's life, as GX does for SQLite.
2. Column reflection: duckdb-engine's inspector inherits PostgreSQL's `get_columns`, which under
   SQLAlchemy 2.1 joins `pg_catalog.pg_collation`, a table DuckDB does not have. GX then falls back
   to `select * from <table>` without the schema, which fails for any table outside `main`.
   `DuckDBCatalogInspector` answers `get_columns` from `information_schema.columns` instead.

Register the datasource by importing this module; then
`context.data_sources.add_duckdb_warehouse(name=..., connection_string=..., default_schema="marts")`
is available (GX derives the method name from the `type` field).
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from typing import Any, ClassVar, Literal

import sqlalchemy as sa
from duckdb_engine import DuckDBInspector
from great_expectations.datasource.fluent import SQLDatasource
from great_expectations.execution_engine import SqlAlchemyExecutionEngine


class DuckDBCatalogInspector(DuckDBInspector):
    """Reflects columns from DuckDB's own information_schema, schema-qualified."""

    def get_columns(self, table_name: str, schema: str | None = None, **kw: Any) -> list[dict[str, Any]]:
        query = sa.text(
            "select column_name, data_type, is_nullable, column_default "
            "from information_schema.columns "
            "where table_name = :table_name and table_schema = coalesce(:schema, current_schema()) "
            "order by ordinal_position"
        )
        with self.bind.connect() if isinstance(self.bind, sa.Engine) else _same(self.bind) as connection:
            rows = connection.execute(query, {"table_name": str(table_name), "schema": schema}).fetchall()
        if not rows:
            raise sa.exc.NoSuchTableError(f"{schema}.{table_name}" if schema else str(table_name))
        return [
            {
                "name": name,
                "type": _sqlalchemy_type(self.dialect, data_type),
                "nullable": nullable == "YES",
                "default": default,
            }
            for name, data_type, nullable, default in rows
        ]

    def get_pk_constraint(self, table_name: str, schema: str | None = None, **kw: Any) -> dict[str, Any]:
        return {"constrained_columns": [], "name": None}


@contextmanager
def _same(connection: sa.Connection) -> Generator[sa.Connection, None, None]:
    yield connection


def _sqlalchemy_type(dialect: sa.Dialect, data_type: str) -> sa.types.TypeEngine:
    """Map a DuckDB type name (`DECIMAL(18,6)`, `TIMESTAMP`, `VARCHAR`) to a SQLAlchemy type."""
    base = data_type.split("(")[0].strip().lower()
    aliases = {
        "varchar": "character varying",
        "double": "double precision",
        "float": "real",
        "decimal": "numeric",
        "timestamp": "timestamp without time zone",
        "timestamp with time zone": "timestamp with time zone",
        "hugeint": "numeric",
    }
    type_class = dialect.ischema_names.get(aliases.get(base, base)) or dialect.ischema_names.get(base)
    return type_class() if type_class is not None else sa.types.NullType()


class DuckDBExecutionEngine(SqlAlchemyExecutionEngine):
    """Runs every metric query on one open connection, so results are read before it closes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine.dialect.inspector = DuckDBCatalogInspector
        self._inspector = None

    @contextmanager
    def get_connection(self) -> Generator[sa.Connection, None, None]:
        if self._connection is None or self._connection.closed:
            self._connection = self.engine.connect()
        yield self._connection

    def close(self) -> None:
        if self._connection is not None and not self._connection.closed:
            self._connection.close()
        self._connection = None
        self.engine.dispose()


class DuckDBWarehouseDatasource(SQLDatasource):
    """GX datasource for a DuckDB file; open the published warehouse read-only.

    `default_schema` is where its table assets live (GX 1.x takes the schema from the datasource,
    not from each asset).
    """

    type: Literal["duckdb_warehouse"] = "duckdb_warehouse"
    default_schema: str | None = None

    _EXTRA_EXCLUDED_EXEC_ENG_ARGS: ClassVar[set[str]] = {"default_schema"}

    @property
    def schema_(self) -> str | None:
        return self.default_schema

    @property
    def execution_engine_type(self) -> type[SqlAlchemyExecutionEngine]:
        return DuckDBExecutionEngine
