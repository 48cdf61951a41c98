"""Shared test setup: every test runs offline, with telemetry off, against files it makes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]

os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["GX_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
# `airoi build` records its runs in the Dagster instance DAGSTER_HOME names (make sets .dagster/);
# tests that want an instance make their own.
os.environ.pop("DAGSTER_HOME", None)


@pytest.fixture
def project_dir() -> Path:
    return PROJECT_DIR
