"""The Dagster code location (`[tool.dagster]` in pyproject.toml): landing ingest, dbt models,
checks, publish, the daily schedule and the landing sensor, as assembled in `orchestration.defs`."""

from orchestration.defs import build_definitions

defs = build_definitions()
