"""The benchmark's floor (orchestration/bench_floor.sql) equals `marts.fct_engineer_weekly`.

The floor is one hand-written DuckDB script over the landing zone's files; the bench measures the
warehouse against it, which is fair only while both compute the same numbers. A generated organisation,
with the generator's replays, late rows, corrections and malformed rows, is built with the real
`airoi build`; the floor then runs on its landing zone and every engineer-week with any of the five
measures must match: tokens, merged PRs and reviews exactly, cost and cycle hours to 1e-6 relative.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

FLOOR_SQL = Path(__file__).resolve().parents[1] / "orchestration" / "bench_floor.sql"
AIROI = str(Path(sys.executable).with_name("airoi"))
MEASURES = ("ai_total_tokens", "ai_cost_usd", "prs_merged", "median_pr_cycle_hours", "reviews_given")

pytestmark = pytest.mark.slow


def airoi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([AIROI, *args], capture_output=True, text=True, check=False, timeout=900)


def run_floor(landing: Path, out: Path) -> None:
    """Run the floor as the bench does: `{landing}` replaced, statements in order, the last one's rows
    written to `out` as Parquet."""
    sql = FLOOR_SQL.read_text().replace("{landing}", str(landing.resolve()))
    statements = [statement for statement in sql.split(";") if statement.strip()]
    with duckdb.connect() as con:
        for statement in statements[:-1]:
            con.execute(statement)
        con.execute(f"copy ({statements[-1]}) to '{out}' (format parquet)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("floor")
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    generated = airoi("generate", "--out", str(landing), "--engineers", "60", "--weeks", "4", "--seed", "5",
                      "--no-progress")  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    result = airoi("build", "--landing", str(landing), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return landing, warehouse


def mart_measures() -> str:
    """SQL for the mart's five measures per engineer-week."""
    return f"select employee_id, week_start, {', '.join(MEASURES)} from warehouse.marts.fct_engineer_weekly"


def test_the_landing_zone_has_rows_to_deduplicate_and_quarantine(built: tuple[Path, Path]) -> None:
    _, warehouse = built
    with duckdb.connect(str(warehouse), read_only=True) as con:
        deduplicated, quarantined = con.execute(
            "select sum(rows_deduplicated), sum(rows_quarantined) from raw._loads"
        ).fetchone()
    assert deduplicated > 0
    assert quarantined > 0


def test_the_floor_equals_fct_engineer_weekly(built: tuple[Path, Path], tmp_path: Path) -> None:
    landing, warehouse = built
    out = tmp_path / "floor.parquet"
    run_floor(landing, out)

    nonzero = " or ".join(f"coalesce({name}, 0) <> 0" for name in MEASURES)
    differs = " or ".join(
        f"abs(coalesce(floor.{name}, 0) - coalesce(mart.{name}, 0)) "
        f"> 1e-6 * greatest(abs(coalesce(mart.{name}, 0)), 1)"
        for name in ("ai_cost_usd", "median_pr_cycle_hours")
    )
    exact = " or ".join(
        f"coalesce(floor.{name}, 0) <> coalesce(mart.{name}, 0)"
        for name in ("ai_total_tokens", "prs_merged", "reviews_given")
    )
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        counts = con.execute(
            f"""
            with
            floor as (select * from read_parquet('{out}') where {nonzero}),
            mart as (select * from ({mart_measures()}) where {nonzero})
            select
                count(*) as compared,
                count(*) filter (where floor.employee_id is null) as only_in_mart,
                count(*) filter (where mart.employee_id is null) as only_in_floor,
                count(*) filter (where floor.employee_id is not null and mart.employee_id is not null
                    and ({exact} or {differs})) as differing,
                sum(mart.ai_total_tokens) as tokens,
                sum(mart.ai_cost_usd) as cost,
                sum(mart.prs_merged) as prs,
                sum(mart.median_pr_cycle_hours) as cycle_hours,
                sum(mart.reviews_given) as reviews
            from floor
            full outer join mart using (employee_id, week_start)
            """
        ).fetchone()
        columns = con.execute(f"describe select * from read_parquet('{out}')").fetchall()

    compared, only_in_mart, only_in_floor, differing, *totals = counts
    assert [name for name, *_ in columns] == ["employee_id", "week_start", *MEASURES]
    assert compared > 0
    assert all(total > 0 for total in totals), dict(zip(MEASURES, totals, strict=True))
    assert (only_in_mart, only_in_floor, differing) == (0, 0, 0), (
        f"of {compared} engineer-weeks: {only_in_mart} only in the mart, {only_in_floor} only in the floor, "
        f"{differing} with different measures"
    )
