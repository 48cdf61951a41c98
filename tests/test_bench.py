"""`airoi bench` end to end at a small size: an organisation generated once and reused, a full build,
the hand-written SQL checked equal to the mart, one new day, nothing new (the result equal to one
full build over the same files), and the figures in a CSV."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.bench import (
    BenchError,
    Figure,
    SizeResult,
    append_csv,
    deliver,
    generated_pool,
    parse_size,
)
from orchestration.soak import marts_differences, partition_day

AIROI = str(Path(sys.executable).with_name("airoi"))


def test_sizes_are_counts_of_events() -> None:
    assert [parse_size(size) for size in ("1M", "10M", "100M", "50k")] == [10**6, 10**7, 10**8, 50_000]
    for wrong in ("10", "1G", "M", "-5k", "1.5M"):
        with pytest.raises(BenchError, match="is not a size"):
            parse_size(wrong)


def test_the_last_day_is_held_back_for_the_new_day_run(tmp_path: Path) -> None:
    pool, landing = tmp_path / "pool", tmp_path / "landing"
    files = [
        "people/people.csv",
        "ai_usage_events/date=2026-03-01/part-0.parquet",
        "ai_usage_events/date=2026-03-08/part-0.parquet",
        "commits/week=2026-03-02/part-0.parquet",
        "_ground_truth/engineer_weeks.parquet",
    ]
    for name in files:
        (pool / name).parent.mkdir(parents=True, exist_ok=True)
        (pool / name).write_text(name)
    later = deliver(pool, landing)
    # The week of 2 March is complete on Sunday 8 March, the last day, so it arrives with it.
    assert sorted(str(target.relative_to(landing)) for _, target in later) == [
        "ai_usage_events/date=2026-03-08/part-0.parquet",
        "commits/week=2026-03-02/part-0.parquet",
    ]
    assert sorted(str(path.relative_to(landing)) for path in landing.rglob("*") if path.is_file()) == [
        "ai_usage_events/date=2026-03-01/part-0.parquet",
        "people/people.csv",
    ]
    assert partition_day(Path("x/week=2026-03-02/a.parquet")).isoformat() == "2026-03-08"


@pytest.mark.slow
def test_bench_measures_every_run_and_checks_the_floor_against_the_mart(tmp_path: Path) -> None:
    out, results = tmp_path / "bench", tmp_path / "results.csv"
    args = [AIROI, "bench", "--sizes", "30k", "--engineers", "40", "--weeks", "4", "--seed", "5"]
    args += ["--out", str(out), "--csv", str(results)]
    first = subprocess.run(args, capture_output=True, text=True, check=False, timeout=1800)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "generating 30,000 events once" in first.stdout
    assert "the hand-written SQL equals fct_engineer_weekly on" in first.stdout

    rows = list(csv.DictReader(results.open()))
    steps = {(row["run"], row["step"]) for row in rows}
    for run in ("full build", "one new day"):
        assert {
            (run, step) for step in ("ingest", "dbt build", "checks", "publish", "whole command")
        } <= steps
    # Nothing new: ingest finds no file and nothing is rebuilt.
    assert {step for run, step in steps if run == "nothing new"} == {"ingest", "whole command"}
    assert ("floor", "hand-written SQL") in steps
    assert all(row["commit"] and row["size"] == "30k" and row["events"] == "30000" for row in rows)
    assert all(float(row["seconds"]) > 0 and float(row["peak_rss_mib"]) > 0 for row in rows)
    full = next(row for row in rows if row["run"] == "full build" and row["step"] == "whole command")
    assert float(full["peak_disk_mib"]) > 0
    log = (out / "30k" / "logs" / "one new day.log").read_text()
    assert "Ingest load 2" in log and "dbt:" in log

    # The warehouse built in three runs equals one full build over the same files.
    landing, incremental = out / "30k" / "landing", out / "30k" / "warehouse" / "warehouse.duckdb"
    full = tmp_path / "full" / "warehouse.duckdb"
    built = subprocess.run(
        [AIROI, "build", "--landing", str(landing), "--warehouse", str(full)],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    differences, compared = marts_differences(incremental, full)
    assert compared > 1000
    assert differences == dict.fromkeys(differences, 0)

    # The organisation is reused while its parameters hold, and figures are appended, not replaced.
    stamp = out / "30k" / "pool.json"
    before = stamp.stat().st_mtime_ns
    assert generated_pool(out / "30k", 30_000, 40, 4, 5) == out / "30k" / "pool"
    assert stamp.stat().st_mtime_ns == before
    append_csv(
        results, [SizeResult("30k", 30_000, [Figure("floor", "hand-written SQL", 1.0, 1.0, 0.0)])], "x"
    )
    assert len(list(csv.DictReader(results.open()))) == len(rows) + 1
