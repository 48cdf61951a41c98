"""`airoi bench`: what a build costs at 1M, 10M and 100M usage events, against hand-written SQL.

For each size an organisation is generated once (`<out>/<size>/pool`, reused while its parameters
match) and delivered into a landing zone without its last day. Then, each step in its own process:

1. full build: `airoi build` into a fresh warehouse (ingest, dbt build, checks, publish, readers);
2. floor: one hand-written DuckDB SQL file (`orchestration/bench_floor.sql`) over the same landing
   files computes `fct_engineer_weekly`'s tokens, cost, merged PRs, median cycle hours and reviews; its
   result must equal the mart, or the bench fails;
3. one new day: the last day's files land and `airoi build` runs again;
4. nothing new: `airoi build` once more.

While a step runs, the resident memory of its whole process tree (dbt included) and the disk used by
the warehouse's folder (working copy, published copy, spill files, BI face) are sampled four times a
second; each build step's share comes from the times the build records (`airoi build --timings`).
Figures are printed and appended to a CSV with the commit they were measured on.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.settings import PROJECT_DIR, quiet_environment
from orchestration.soak import partition_day

FLOOR_SQL = Path(__file__).with_name("bench_floor.sql")
#: The measures the floor computes, as `marts.fct_engineer_weekly` names them.
FLOOR_MEASURES = ("ai_total_tokens", "ai_cost_usd", "prs_merged", "median_pr_cycle_hours", "reviews_given")
#: The build's steps the targets count (publishing and the readers' copy come after).
COUNTED_STEPS = ("ingest", "dbt build", "checks")
_UNITS = {"k": 1_000, "M": 1_000_000}
SAMPLE_SECONDS = 0.25
CSV_COLUMNS = (
    "measured_at",
    "commit",
    "size",
    "events",
    "run",
    "step",
    "seconds",
    "peak_rss_mib",
    "peak_disk_mib",
)


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and why."""


def parse_size(text: str) -> int:
    """`1M`, `10M`, `100M`, or any count of events such as `50k` (smaller sizes check the bench)."""
    number, unit = text[:-1], text[-1:]
    if unit in _UNITS and number.isdigit() and int(number) > 0:
        return int(number) * _UNITS[unit]
    raise BenchError(f"{text!r} is not a size: use 1M, 10M, 100M or a count such as 50k")


@dataclass
class Sample:
    at: float
    rss: int
    disk: int


@dataclass
class Figure:
    run: str
    step: str
    seconds: float
    peak_rss_mib: float
    peak_disk_mib: float


@dataclass
class SizeResult:
    size: str
    events: int
    figures: list[Figure] = field(default_factory=list)
    warehouse_mib: float = 0.0
    floor_rows: int = 0

    def seconds(self, run: str, steps: tuple[str, ...] | None = None) -> float:
        return sum(
            figure.seconds
            for figure in self.figures
            if figure.run == run and (steps is None or figure.step in steps)
        )


# -- measuring a process ------------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry.name}/stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            total += int(Path(f"/proc/{pid}/statm").read_bytes().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total


def disk_bytes(folder: Path) -> int:
    """Bytes allocated to the files under `folder` (what the disk really holds, sparse files too)."""
    total = 0
    for directory, _, files in os.walk(folder):
        for name in files:
            try:
                total += (Path(directory) / name).lstat().st_blocks * 512
            except OSError:
                continue
    return total


def _measured(command: list[str], disk_of: Path, log: Path) -> tuple[int, float, list[Sample]]:
    """Run `command`, its output to `log`; return its exit code, seconds and samples."""
    samples: list[Sample] = []
    started = time.time()
    with log.open("w") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=quiet_environment(), cwd=PROJECT_DIR
        )
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                samples.append(Sample(time.time(), _tree_rss(process.pid), disk_bytes(disk_of)))
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        done.set()
        sampler.join()
    return code, time.time() - started, samples


def _peaks(samples: list[Sample], start: float, end: float) -> tuple[float, float]:
    inside = [sample for sample in samples if start <= sample.at <= end] or samples
    return (max(sample.rss for sample in inside) / 2**20, max(sample.disk for sample in inside) / 2**20)


def _failed(step: str, log: Path) -> BenchError:
    tail = log.read_text(errors="replace").splitlines()[-30:]
    return BenchError(f"{step} failed (log: {log}):\n" + "\n".join(tail))


# -- the organisation -----------------------------------------------------------------------------


def _airoi() -> str:
    return str(Path(sys.executable).with_name("airoi"))


def generated_pool(root: Path, events: int, engineers: int, weeks: int, seed: int) -> Path:
    """The generated organisation of this size, generated once and reused while its parameters hold."""
    pool, stamp = root / "pool", root / "pool.json"
    wanted = {"events": events, "engineers": engineers, "weeks": weeks, "seed": seed}
    if pool.is_dir() and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return pool
    shutil.rmtree(pool, ignore_errors=True)
    stamp.unlink(missing_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    log = root / "generate.log"
    command = [_airoi(), "generate", "--out", str(pool), "--engineers", str(engineers), "--weeks", str(weeks)]
    command += ["--seed", str(seed), "--events", str(events), "--no-progress"]
    print(f"  generating {events:,} events once into {pool} ...", flush=True)
    code, seconds, _ = _measured(command, root, log)
    if code != 0:
        raise _failed("generate", log)
    print(f"  generated in {seconds:.0f} s", flush=True)
    stamp.write_text(json.dumps(wanted))
    return pool


def deliver(pool: Path, landing: Path) -> list[tuple[Path, Path]]:
    """Link every file of `pool` into a fresh `landing` except the last day's; return the last day's
    (source, target) pairs, to be copied in later (with a new modification time, as a delivery)."""
    shutil.rmtree(landing, ignore_errors=True)
    files = [
        path.relative_to(pool)
        for path in sorted(pool.rglob("*"))
        if path.is_file() and not path.relative_to(pool).parts[0].startswith("_")
    ]
    last = max(day for day in map(partition_day, files) if day is not None)
    later: list[tuple[Path, Path]] = []
    for relative in files:
        target = landing / relative
        if partition_day(relative) == last:
            later.append((pool / relative, target))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(pool / relative, target)
    return later


# -- the steps --------------------------------------------------------------------------------


def _build(run: str, landing: Path, warehouse: Path, logs: Path) -> list[Figure]:
    timings, log = logs / f"{run}.timings.json", logs / f"{run}.log"
    command = [_airoi(), "build", "--landing", str(landing), "--warehouse", str(warehouse)]
    code, seconds, samples = _measured([*command, "--timings", str(timings)], warehouse.parent, log)
    if code != 0:
        raise _failed(f"build ({run})", log)
    figures = []
    for step in json.loads(timings.read_text()):
        rss, disk = _peaks(samples, step["started_at"], step["started_at"] + step["seconds"])
        figures.append(Figure(run, step["step"], step["seconds"], rss, disk))
    rss, disk = _peaks(samples, 0, float("inf"))
    figures.append(Figure(run, "whole command", seconds, rss, disk))
    return figures


def floor_sql(landing: Path) -> str:
    return FLOOR_SQL.read_text().replace("{landing}", str(landing.resolve()))


def run_floor(landing: Path, out: Path) -> None:
    """The hand-written SQL over `landing`, its result written to `out` (Parquet)."""
    statements = [part for part in floor_sql(landing).split(";") if part.strip()]
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for statement in statements[:-1]:
            con.execute(statement)
        con.execute(f"copy ({statements[-1]}) to '{out}' (format parquet)")


def floor_differences(floor: Path, warehouse: Path) -> tuple[int, int]:
    """(engineer-weeks that differ, engineer-weeks compared) between the floor's result and the mart,
    over the weeks with any of the measures above zero."""
    measures = ", ".join(FLOOR_MEASURES)
    nonzero = " or ".join(f"coalesce({name}, 0) <> 0" for name in FLOOR_MEASURES)
    differs = " or ".join(
        f"abs(coalesce(floor.{name}, 0) - coalesce(mart.{name}, 0)) "
        f"> 1e-6 * greatest(abs(coalesce(mart.{name}, 0)), 1)"
        for name in FLOOR_MEASURES
    )
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        return con.execute(
            f"""
            with
            floor as (select * from read_parquet('{floor}') where {nonzero}),
            mart as (
                select employee_id, week_start, {measures}
                from warehouse.marts.fct_engineer_weekly
                where {nonzero}
            )
            select count(*) filter (where {differs}), count(*)
            from floor
            full outer join mart using (employee_id, week_start)
            """
        ).fetchone()


def _floor(root: Path, landing: Path, warehouse: Path) -> tuple[Figure, int]:
    out, log = root / "floor.parquet", root / "logs" / "floor.log"
    command = [sys.executable, "-m", "orchestration.bench", "floor", str(landing), str(out)]
    code, seconds, samples = _measured(command, root / "logs", log)
    if code != 0:
        raise _failed("floor", log)
    rss, _ = _peaks(samples, 0, float("inf"))
    differing, compared = floor_differences(out, warehouse)
    if differing or not compared:
        raise BenchError(
            f"the hand-written SQL and marts.fct_engineer_weekly differ on {differing:,} of {compared:,} "
            "engineer-weeks: the comparison would not be of the same numbers"
        )
    return Figure("floor", "hand-written SQL", seconds, rss, 0.0), compared


def bench_size(root: Path, size: str, events: int, engineers: int, weeks: int, seed: int) -> SizeResult:
    print(f"{size}: {root}", flush=True)
    pool = generated_pool(root, events, engineers, weeks, seed)
    landing, warehouse_dir, logs = root / "landing", root / "warehouse", root / "logs"
    shutil.rmtree(warehouse_dir, ignore_errors=True)
    shutil.rmtree(logs, ignore_errors=True)
    warehouse_dir.mkdir(parents=True)
    logs.mkdir(parents=True)
    warehouse = warehouse_dir / "warehouse.duckdb"
    last_day = deliver(pool, landing)
    result = SizeResult(size, events)

    print("  full build ...", flush=True)
    result.figures += _build("full build", landing, warehouse, logs)
    result.warehouse_mib = warehouse.stat().st_size / 2**20
    print("  hand-written SQL ...", flush=True)
    floor, result.floor_rows = _floor(root, landing, warehouse)
    result.figures.append(floor)

    for source, target in last_day:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    print(f"  one new day ({len(last_day)} files) ...", flush=True)
    result.figures += _build("one new day", landing, warehouse, logs)
    print("  nothing new ...", flush=True)
    result.figures += _build("nothing new", landing, warehouse, logs)
    return result


def commit() -> str:
    completed = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        check=False,
    )
    return completed.stdout.strip() or "unknown"


def append_csv(path: Path, results: list[SizeResult], revision: str) -> None:
    """Append the figures, with the commit the bench started on (`-dirty` when files were changed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    measured_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with path.open("a", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(CSV_COLUMNS)
        for result in results:
            for figure in result.figures:
                writer.writerow(
                    [
                        measured_at,
                        revision,
                        result.size,
                        result.events,
                        figure.run,
                        figure.step,
                        f"{figure.seconds:.2f}",
                        f"{figure.peak_rss_mib:.0f}",
                        f"{figure.peak_disk_mib:.0f}",
                    ]
                )


def bench(
    out: Path, sizes: list[str], engineers: int, weeks: int, seed: int, csv_path: Path
) -> list[SizeResult]:
    counts = [parse_size(size) for size in sizes]
    revision = commit()
    results = []
    for size, events in zip(sizes, counts, strict=True):
        results.append(bench_size(out / size, size, events, engineers, weeks, seed))
        print(render([results[-1]]), flush=True)
    append_csv(csv_path, results, revision)
    return results


def render(results: list[SizeResult]) -> str:
    lines = []
    for result in results:
        full = result.seconds("full build", COUNTED_STEPS)
        floor = result.seconds("floor")
        lines += [
            "",
            f"{result.size} ({result.events:,} events asked; warehouse {result.warehouse_mib:,.0f} MiB; "
            f"the hand-written SQL equals fct_engineer_weekly on {result.floor_rows:,} engineer-weeks)",
            f"  {'run':<13} {'step':<15} {'seconds':>9} {'peak RSS MiB':>13} {'peak disk MiB':>14}",
        ]
        lines += [
            f"  {figure.run:<13} {figure.step:<15} {figure.seconds:>9.1f} {figure.peak_rss_mib:>13,.0f} "
            f"{figure.peak_disk_mib:>14,.0f}"
            for figure in result.figures
        ]
        new_day = result.seconds("one new day", COUNTED_STEPS)
        nothing = result.seconds("nothing new", COUNTED_STEPS)
        disk = max(figure.peak_disk_mib for figure in result.figures)
        lines += [
            f"  ingest + dbt build + checks: {full:.1f} s = {full / floor:.2f}x the hand-written SQL "
            f"({floor:.1f} s)",
            f"  one new day: {new_day:.1f} s = {new_day / full:.1%} of the full build; "
            f"nothing new: {nothing:.1f} s",
            f"  peak RSS {max(f.peak_rss_mib for f in result.figures):,.0f} MiB; peak disk of any run "
            f"{disk:,.0f} MiB = {disk / result.warehouse_mib:.2f}x the published warehouse",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["floor"]:
        run_floor(Path(sys.argv[2]), Path(sys.argv[3]))
