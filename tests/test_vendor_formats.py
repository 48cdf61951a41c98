"""One generated organisation landed twice, canonically and as vendor exports (`airoi generate
--vendor-formats`), builds the same marts row for row, up to what the vendor formats cannot carry.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

AIROI = str(Path(sys.executable).with_name("airoi"))

CAUSE = "PagerDuty does not know the deployment that caused an incident"
NO_END = "a GitHub deployment status always has a time: an attempt without an end gets its start's"

#: Per mart, the columns a vendor format cannot carry, and why.
NOT_CARRIED: dict[str, dict[str, str]] = {
    "fct_pull_requests": dict.fromkeys(
        [
            "first_commit_at",
            "ready_for_review_at",
            "was_draft",
            "ready_at",
            "cycle_started_at",
            "coding_hours",
            "pickup_hours",
            "cycle_hours",
            "lead_time_hours",
        ],
        "GitHub's pull request has no first commit time nor ready-for-review time (commits, timeline)",
    ),
    "fct_engineer_weekly": {"median_pr_cycle_hours": "cycles start at the pull request's creation"},
    "fct_team_weekly": {
        "median_pr_cycle_hours": "cycles start at the pull request's creation",
        "median_lead_time_hours": "lead times start at the pull request's creation",
        "change_failure_rate": CAUSE,
        "failed_deployments": CAUSE,
    },
    "fct_deployments": {
        "caused_incident": CAUSE,
        "caused_incident_count": CAUSE,
        "is_change_failure": CAUSE,
        "finished_at": NO_END,
        "duration_hours": NO_END,
    },
    "fct_incidents": {
        "caused_by_deployment_id": CAUSE,
        "repo": CAUSE,
    },
}


def airoi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AIROI, *args], capture_output=True, text=True, check=False, timeout=1800)


@pytest.mark.slow
def test_the_vendor_format_landing_builds_the_same_marts_row_for_row(tmp_path: Path) -> None:
    canonical, vendor = tmp_path / "canonical", tmp_path / "vendor"
    generated = airoi("generate", "--out", str(canonical), "--engineers", "12", "--weeks", "3", "--seed", "5",
                      "--no-progress", "--vendor-formats", str(vendor))  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    # The converted tables are vendor exports only; the others stay canonical.
    assert {path.name for path in vendor.iterdir()} >= {"github", "pagerduty_incidents", "people", "commits"}
    assert not (vendor / "pull_requests").exists() and not (vendor / "incidents").exists()
    warehouses = []
    for landing in (canonical, vendor):
        warehouse = tmp_path / f"{landing.name}.duckdb"
        built = airoi("build", "--landing", str(landing), "--warehouse", str(warehouse))
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        warehouses.append(warehouse)

    with duckdb.connect() as con:
        con.execute(f"attach '{warehouses[0]}' as canonical (read_only)")
        con.execute(f"attach '{warehouses[1]}' as vendor (read_only)")
        marts = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'canonical' and table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        assert set(NOT_CARRIED) <= set(marts)
        differing = {}
        for mart in marts:
            columns = [
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_catalog = 'canonical' and table_schema = 'marts' and table_name = ? "
                    "order by ordinal_position",
                    [mart],
                ).fetchall()
                # Lineage of the run (load ids, dbt invocation) differs by construction.
                if not name.startswith("_") and name not in NOT_CARRIED.get(mart, {})
            ]
            select = ", ".join(f'"{name}"' for name in columns)
            counts = con.execute(
                f"select (select count(*) from canonical.marts.{mart}), "
                f"(select count(*) from vendor.marts.{mart})"
            ).fetchone()
            missing = con.execute(
                f"select count(*) from (select {select} from canonical.marts.{mart} "
                f"except all select {select} from vendor.marts.{mart})"
            ).fetchone()[0]
            extra = con.execute(
                f"select count(*) from (select {select} from vendor.marts.{mart} "
                f"except all select {select} from canonical.marts.{mart})"
            ).fetchone()[0]
            if counts[0] != counts[1] or missing or extra:
                differing[mart] = (counts, missing, extra)
        delivered = con.execute("select count(*) from vendor.marts.fct_pull_requests").fetchone()[0]

    assert differing == {}
    assert delivered > 0
