"""The names importers of the former module use; the contract is in `orchestration.landing.contract`."""

from orchestration.landing.contract import DUCKDB_TYPES, FILE_FORMATS, LINEAGE_COLUMNS, TABLES, Column, Table

__all__ = ["DUCKDB_TYPES", "FILE_FORMATS", "LINEAGE_COLUMNS", "TABLES", "Column", "Table"]
