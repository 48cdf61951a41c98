"""The names importers of the former module use; the raw schema is in `orchestration.landing.raw`."""

from orchestration.landing.raw import RAW_SCHEMA, ensure_raw_schema

__all__ = ["RAW_SCHEMA", "ensure_raw_schema"]
