"""`airoi soak`: many daily incremental builds under realistic delivery faults, then one full build.

A synthetic organisation is generated once; its files are then delivered day by day into a fresh
landing zone, the way exports arrive: each day's files, some of them late (held back three days),
a byte-for-byte replay of an earlier file under another name, a corrected re-export of some earlier
events, and a malformed file (a line that is not JSON, timestamps in year 9999 and year 1, an empty
CSV and an empty Parquet file). After each delivery `airoi build` runs incrementally on the same
warehouse while a reader in another process queries the published file without pause.

At the end one full build over the same landing zone goes to a second warehouse, and every mart of
the two is compared row by row. The soak passes when they are equal and the reader saw no error. It
is a measurement, not a test: it prints its figures.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.synchronize
import shutil
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from orchestration.build import build
from orchestration.generate import generate
from orchestration.published import connect_published

#: A day's files of a dated folder are delivered this many days late, one day in `_LATE_EVERY`.
_LATE_DAYS = 3
_LATE_EVERY = 5


@dataclass
class DayFigures:
    day: int
    files_delivered: int
    rows_read: int
    rows_quarantined: int
    replays_skipped: int
    seconds: float


@dataclass
class SoakResult:
    days: list[DayFigures] = field(default_factory=list)
    full_build_seconds: float = 0.0
    reader_queries: int = 0
    reader_errors: int = 0
    reader_error_samples: list[str] = field(default_factory=list)
    differences: dict[str, int] = field(default_factory=dict)
    rows_compared: int = 0

    @property
    def ok(self) -> bool:
        return self.reader_errors == 0 and not any(self.differences.values())

    def render(self) -> str:
        seconds = [day.seconds for day in self.days]
        lines = [
            f"{'day':>4} {'files':>6} {'rows read':>10} {'quarantined':>12} "
            f"{'replays skipped':>16} {'seconds':>8}",
            *(
                f"{day.day:>4} {day.files_delivered:>6} {day.rows_read:>10,} {day.rows_quarantined:>12,} "
                f"{day.replays_skipped:>16} {day.seconds:>8.1f}"
                for day in self.days
            ),
            "",
            f"Daily builds: {len(self.days)}, {sum(seconds):.0f} s in all "
            f"(median {statistics.median(seconds):.1f} s, max {max(seconds):.1f} s)",
            f"Files delivered: {sum(day.files_delivered for day in self.days):,}; rows read: "
            f"{sum(day.rows_read for day in self.days):,}; quarantined: "
            f"{sum(day.rows_quarantined for day in self.days):,}; replays skipped: "
            f"{sum(day.replays_skipped for day in self.days):,}",
            f"Full build over the same files: {self.full_build_seconds:.1f} s",
            f"Reader: {self.reader_queries:,} queries, {self.reader_errors} errors",
            *(f"  {sample}" for sample in self.reader_error_samples),
            f"Marts compared: {len(self.differences)} tables, {self.rows_compared:,} rows; rows that differ: "
            f"{sum(self.differences.values())}",
            *(f"  {table}: {count} rows differ" for table, count in self.differences.items() if count),
            "PASS" if self.ok else "FAIL",
        ]
        return "\n".join(lines)


def soak(out: Path, days: int, engineers: int, seed: int) -> SoakResult:
    """Run the soak in `out` (replaced): `out/source` is the generated organisation, `out/landing`
    what has been delivered, `out/incremental` and `out/full` the two warehouses, `out/logs` the
    output of every build."""
    if out.exists():
        shutil.rmtree(out)
    source, landing, logs = out / "source", out / "landing", out / "logs"
    logs.mkdir(parents=True)
    weeks = days // 7 + 2
    start = date(2026, 5, 4)
    with (logs / "generate.log").open("w") as log, contextlib.redirect_stdout(log):
        generate(source, engineers=engineers, weeks=weeks, seed=seed, start=start, progress=False)
    incremental = out / "incremental" / "warehouse.duckdb"
    result = SoakResult()

    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    outcome = context.Queue()
    reader = context.Process(target=_poll, args=(incremental, stop, outcome), daemon=True)
    reader.start()
    try:
        for day in range(days):
            delivered = _deliver(source, landing, start, day)
            started = time.perf_counter()
            with (logs / f"day-{day + 1:02d}.log").open("w") as log, contextlib.redirect_stdout(log):
                built = build(landing, incremental)
            report = built.ingest
            result.days.append(
                DayFigures(
                    day=day + 1,
                    files_delivered=delivered,
                    rows_read=report.total_read,
                    rows_quarantined=report.total_quarantined,
                    replays_skipped=sum(table.files_already_seen for table in report.tables.values()),
                    seconds=time.perf_counter() - started,
                )
            )
            print(_day_line(result.days[-1]), flush=True)
    finally:
        stop.set()
        result.reader_queries, result.reader_errors, result.reader_error_samples = outcome.get(timeout=60)
        reader.join(timeout=60)

    full = out / "full" / "warehouse.duckdb"
    started = time.perf_counter()
    with (logs / "full.log").open("w") as log, contextlib.redirect_stdout(log):
        build(landing, full)
    result.full_build_seconds = time.perf_counter() - started
    result.differences, result.rows_compared = marts_differences(incremental, full)
    return result


def _day_line(figures: DayFigures) -> str:
    return (
        f"day {figures.day:>2}: {figures.files_delivered} files delivered, {figures.rows_read:,} rows read, "
        f"{figures.rows_quarantined:,} quarantined, {figures.replays_skipped} replays skipped, "
        f"built in {figures.seconds:.1f} s"
    )


def partition_day(path: Path) -> date | None:
    """The day a dated folder (`date=`, `week=`) is complete; None for files without one."""
    for part in path.parts:
        name, _, value = part.partition("=")
        if name == "date":
            return date.fromisoformat(value)
        if name == "week":
            return date.fromisoformat(value) + timedelta(days=6)
    return None


def _deliver(source: Path, landing: Path, start: date, day: int) -> int:
    """Copy into `landing` what arrives on `day` (0-based) and add the day's faults; returns the
    number of files written. Copies get the current time as modification time, so the order of
    delivery is the order of landing."""
    today = start + timedelta(days=day)
    delivered = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or relative.parts[0].startswith("_"):
            continue
        complete = partition_day(relative)
        if complete is None:
            due = start
        else:
            late = complete.toordinal() % _LATE_EVERY == 0
            due = complete + timedelta(days=_LATE_DAYS if late else 0)
        if due == today or (day == 0 and due < today):
            target = landing / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            delivered += 1
    if day == 0:
        return delivered

    events = sorted((landing / "ai_usage_events").glob("date=*/part-*.parquet"))
    if events:
        # A replay: the same bytes under another name.
        earlier = events[day % len(events)]
        replay = landing / "ai_usage_events" / "replays" / f"day-{day + 1:02d}-{earlier.parent.name}.parquet"
        replay.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(earlier, replay)
        # A corrected re-export of a few earlier events: new token counts for the same keys.
        corrected = events[(day * 7) % len(events)]
        correction = landing / "ai_usage_events" / "corrections" / f"day-{day + 1:02d}.jsonl"
        correction.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect() as con:
            con.execute("set TimeZone = 'UTC'")
            con.execute(
                f"""
                copy (
                    select * replace (output_tokens + 1000 * {day} as output_tokens)
                    from read_parquet('{corrected}', hive_partitioning = false)
                    order by event_id
                    limit 5
                ) to '{correction}' (format json)
                """
            )
        delivered += 2
    malformed = landing / "ai_usage_events" / "malformed"
    malformed.mkdir(parents=True, exist_ok=True)
    stamp = (start + timedelta(days=day)).isoformat()
    (malformed / f"day-{day + 1:02d}.jsonl").write_text(
        "this line is not JSON\n"
        f'{{"event_id": "bad-{day}-1", "occurred_at": "9999-12-31T00:00:00Z", "source_tool": "cursor", '
        f'"actor_id": "x@acme.com", "model": "gpt-5", "input_tokens": 1, "output_tokens": 1}}\n'
        f'{{"event_id": "bad-{day}-2", "occurred_at": "0001-01-01T00:00:00Z", "source_tool": "cursor", '
        f'"actor_id": "x@acme.com", "model": "gpt-5", "input_tokens": 1, "output_tokens": 1}}\n'
        f'{{"event_id": "bad-{day}-3", "occurred_at": "{stamp}T12:00:00Z", "source_tool": "cursor", '
        f'"actor_id": "x@acme.com", "model": "gpt-5", "input_tokens": -5, "output_tokens": 1}}\n'
    )
    (malformed / f"day-{day + 1:02d}-empty.csv").write_bytes(b"")
    (malformed / f"day-{day + 1:02d}-empty.parquet").write_bytes(b"")
    return delivered + 3


def _poll(published: Path, stop: multiprocessing.synchronize.Event, outcome: multiprocessing.Queue) -> None:
    """A reader that opens the published file afresh and queries two marts until told to stop."""
    queries, errors, samples = 0, 0, []
    while not stop.is_set():
        if not published.exists():
            time.sleep(0.2)
            continue
        try:
            with connect_published(published) as con:
                con.execute(
                    "select (select sum(ai_total_tokens) from marts.fct_engineer_weekly), "
                    "(select count(*) from marts.fct_team_weekly)"
                ).fetchone()
            queries += 1
        except duckdb.Error as error:
            errors += 1
            if len(samples) < 5:
                samples.append(str(error).splitlines()[0])
        time.sleep(0.05)
    outcome.put((queries, errors, samples))


def marts_differences(first: Path, second: Path) -> tuple[dict[str, int], int]:
    """Rows of each mart found in one warehouse and not the other (lineage columns, which start
    with `_`, left out; doubles rounded to 9 digits so summation order does not count), and the
    number of rows compared."""
    differences: dict[str, int] = {}
    compared = 0
    with duckdb.connect() as con:
        con.execute(f"attach '{first}' as first_warehouse (read_only)")
        con.execute(f"attach '{second}' as second_warehouse (read_only)")
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'first_warehouse' and table_schema = 'marts' order by table_name"
        ).fetchall()
        for (table,) in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'first_warehouse' and table_schema = 'marts' and table_name = ? "
                "order by ordinal_position",
                [table],
            ).fetchall()
            selected = ", ".join(
                f'round("{name}", 9)' if type_ in {"DOUBLE", "FLOAT"} else f'"{name}"'
                for name, type_ in columns
                if not name.startswith("_")
            )
            one = f'select {selected} from first_warehouse.marts."{table}"'
            other = f'select {selected} from second_warehouse.marts."{table}"'
            differences[table] = con.execute(
                f"select (select count(*) from ({one} except all {other})) "
                f"+ (select count(*) from ({other} except all {one}))"
            ).fetchone()[0]
            compared += con.execute(f"select count(*) from ({one})").fetchone()[0]
    return differences, compared
