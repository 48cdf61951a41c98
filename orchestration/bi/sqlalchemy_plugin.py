"""A SQLAlchemy plugin that lets duckdb-engine reflect keys and constraints, not only columns.

duckdb-engine answers the inspector with PostgreSQL's catalog queries. Those for primary keys, foreign
keys and unique and check constraints compare `pg_description.classoid` with
`CAST(:name AS REGCLASS)`, a type DuckDB does not have, so `Table(..., autoload_with=engine)` and the
table-metadata pages of BI tools fail. DuckDB's `pg_description` holds comments of tables and columns
only, never of constraints, so the comparison can only ever pick a constraint's comment, which DuckDB
cannot store: the plugin rewrites it to a test that keeps the bound parameter and is true, and
reflection goes through (DuckDB reports the keys and constraints its tables declare).

Use it by naming it in the URL: `duckdb:///data/warehouse.bi.duckdb?access_mode=read_only&plugin=airoi`
(registered under `sqlalchemy.plugins` in pyproject.toml).
"""

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import CreateEnginePlugin

REGCLASS = re.compile(r"CAST\((\$\d+|\?|%\(\w+\)s|:\w+) AS REGCLASS\)")


def rewrite_regclass(statement: str) -> str:
    """`x = CAST($2 AS REGCLASS)` -> `(CAST($2 AS VARCHAR) IS NULL OR true)`: true, parameter kept."""
    return re.sub(
        r"[\w.]+ = " + REGCLASS.pattern,
        lambda match: f"(CAST({match.group(1)} AS VARCHAR) IS NULL OR true)",
        statement,
    )


class DuckDBReflectionPlugin(CreateEnginePlugin):
    def update_url(self, url: sa.URL) -> sa.URL:
        return url.difference_update_query(["plugin"])

    def engine_created(self, engine: sa.Engine) -> None:
        @sa.event.listens_for(engine, "before_cursor_execute", retval=True)
        def _rewrite(
            connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
        ) -> tuple[str, Any]:
            return (rewrite_regclass(statement) if "REGCLASS" in statement else statement), parameters
