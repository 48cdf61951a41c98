"""Faults and bad input: what a new user meets when processes die, files are re-delivered and values
are impossible. Real DuckDB files, real `airoi` processes, real SIGKILLs; the slow tests build a
generated organisation with dbt.

Each test names the failure it guards against in its first line.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dbt.cli.main import dbtRunner
from ingest_helpers import write_csv, write_jsonl

from orchestration.build import PUBLISHED_STATE, BuildError, build_lock, publish, run_ingest
from orchestration.cli import main
from orchestration.defs.resources import WarehouseResource
from orchestration.ingest import TimestampWindow, ingest
from orchestration.published import connect_published, wal_path
from orchestration.settings import working_path
from orchestration.soak import marts_differences

AIROI = str(Path(sys.executable).with_name("airoi"))
PYTHON = sys.executable


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def event(event_id: str, occurred_at: str = "2026-03-02T09:15:00Z", **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "event_id": event_id,
        "occurred_at": occurred_at,
        "source_tool": "cursor",
        "actor_id": "ana@example.com",
        "model": "gpt-5",
        "input_tokens": 100,
        "output_tokens": 20,
    }
    row.update(values)
    return row


def set_mtime(path: Path, minute: int) -> None:
    seconds = datetime(2026, 3, 10, 12, minute).timestamp()
    os.utime(path, (seconds, seconds))


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def one_line(text: str) -> str:
    """The message of a failed command: it must be short and free of a traceback."""
    assert "Traceback" not in text, text
    lines = [line for line in text.strip().splitlines() if line != "airoi build: FAILED"]
    assert len(lines) == 1, text
    return lines[0]


def airoi(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [AIROI, *args], capture_output=True, text=True, check=False, timeout=timeout, env=env or None
    )


# --- 2, 3: impossible timestamps -----------------------------------------------------------------


def test_timestamps_outside_the_plausible_window_are_quarantined_with_file_row_and_column(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    """Year 1, 1970 and 9999 got through ingest and broke or stretched every later build."""
    write_jsonl(
        landing / "ai_usage_events" / "a.jsonl",
        [
            event("ok"),
            event("year-1", "0001-01-01T00:00:00Z"),
            event("year-1970", "1970-01-01T00:00:00Z"),
            event("year-9999", "9999-12-31T23:59:59Z"),
        ],
    )
    write_csv(
        landing / "pull_requests" / "prs.csv",
        [
            {"repo": "acme/api", "pr_number": 1, "author_login": "ana", "created_at": "2026-03-01T10:00:00Z",
             "merged_at": "2217-01-01T00:00:00Z"},
        ],
    )  # fmt: skip

    report = ingest(con, landing)

    assert rows(con, "select event_id from raw.ai_usage_events") == [("ok",)]
    assert rows(con, "select count(*) from raw.pull_requests") == [(0,)]
    assert rows(
        con,
        "select source_file, source_row, column_name, reason_code from raw._quarantine "
        "order by source_file, source_row",
    ) == [
        ("ai_usage_events/a.jsonl", 2, "occurred_at", "implausible_timestamp"),
        ("ai_usage_events/a.jsonl", 3, "occurred_at", "implausible_timestamp"),
        ("ai_usage_events/a.jsonl", 4, "occurred_at", "implausible_timestamp"),
        ("pull_requests/prs.csv", 2, "merged_at", "implausible_timestamp"),
    ]
    reason = rows(con, "select reason from raw._quarantine where source_row = 4")[0][0]
    assert reason.startswith("occurred_at 9999-12-31 23:59:59 is outside the plausible window 2000-01-01")
    assert report.tables["ai_usage_events"].quarantined_by_reason == {"implausible_timestamp": 3}
    assert "implausible_timestamp" in report.render()


def test_the_plausible_window_is_a_setting(
    con: duckdb.DuckDBPyConnection, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An organisation with older history widens the window instead of losing its rows."""
    write_jsonl(landing / "ai_usage_events" / "a.jsonl", [event("old", "1995-06-01T00:00:00Z")])
    monkeypatch.setenv("AIROI_TIMESTAMP_MIN", "1990-01-01")

    ingest(con, landing)

    assert rows(con, "select event_id from raw.ai_usage_events") == [("old",)]
    window = TimestampWindow.from_environment()
    assert window.earliest == datetime(1990, 1, 1)
    assert (window.latest - datetime.now()).days in {1, 2}


def _events_table(count: int) -> pa.Table:
    base = datetime(2026, 3, 2, 9, 0)
    return pa.table(
        {
            "event_id": pa.array([f"e{number:04d}" for number in range(count)]),
            "occurred_at": pa.array(
                [base.replace(minute=number % 60, second=number % 59) for number in range(count)],
                type=pa.timestamp("us", tz="UTC"),
            ),
            "source_tool": pa.array(["cursor"] * count),
            "actor_id": pa.array(["ana@example.com"] * count),
            "model": pa.array(["gpt-5"] * count),
            "input_tokens": pa.array([1000 + number for number in range(count)], type=pa.int64()),
            "output_tokens": pa.array([10] * count, type=pa.int64()),
        }
    )


def test_a_corrupt_parquet_page_redelivered_over_a_good_file_keeps_the_good_rows(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    """A damaged re-delivery replaced good rows with timestamps in year 196821."""
    path = landing / "ai_usage_events" / "date=2026-03-02" / "part-0.parquet"
    path.parent.mkdir(parents=True)
    table = _events_table(1135)
    pq.write_table(table, path, compression="NONE", use_dictionary=False, write_statistics=False)
    ingest(con, landing)
    before = rows(con, "select event_id, occurred_at, input_tokens from raw.ai_usage_events order by 1")
    tokens = rows(con, "select sum(input_tokens + output_tokens) from raw.ai_usage_events")

    # The same file again, with the most significant byte of every other timestamp damaged: the
    # page still decodes, into instants 180,000 years from now.
    data = bytearray(path.read_bytes())
    damaged = 0
    for number in range(0, 1135, 2):
        value = table["occurred_at"][number].value.to_bytes(8, "little", signed=True)
        offset = data.find(value)
        assert offset > 0
        data[offset + 7] = 0x50
        damaged += 1
    path.write_bytes(bytes(data))
    report = ingest(con, landing).tables["ai_usage_events"]

    assert report.quarantined_by_reason == {"implausible_timestamp": damaged}
    assert (
        rows(con, "select event_id, occurred_at, input_tokens from raw.ai_usage_events order by 1") == before
    )
    assert rows(con, "select sum(input_tokens + output_tokens) from raw.ai_usage_events") == tokens
    assert rows(con, "select max(occurred_at) < timestamp '2027-01-01' from raw.ai_usage_events") == [(True,)]


# --- 5: last landed is when the content was first seen --------------------------------------------


def test_touching_an_old_file_does_not_undo_a_later_correction(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    """`touch` of the original put 408 tokens back over a correction to 1,000,000."""
    original = write_csv(landing / "ai_usage_events" / "day-1.csv", [event("e1", output_tokens=308)])
    set_mtime(original, 1)
    ingest(con, landing)
    correction = write_csv(
        landing / "ai_usage_events" / "corrections" / "day-1.csv", [event("e1", input_tokens=999_980)]
    )
    set_mtime(correction, 2)
    ingest(con, landing)
    assert rows(con, "select input_tokens + output_tokens from raw.ai_usage_events") == [(1_000_000,)]

    original.touch()
    report = ingest(con, landing)

    assert rows(con, "select input_tokens + output_tokens from raw.ai_usage_events") == [(1_000_000,)]
    assert report.files_read == 0


def test_a_rewrite_with_the_same_size_and_time_is_a_new_landing(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    """A rewrite that kept size and modification time was never read."""
    path = write_csv(landing / "ai_usage_events" / "a.csv", [event("e1", input_tokens=111)])
    set_mtime(path, 1)
    ingest(con, landing)
    size = path.stat().st_size

    write_csv(path, [event("e1", input_tokens=222)])
    set_mtime(path, 1)
    assert path.stat().st_size == size
    report = ingest(con, landing)

    assert report.files_read == 1
    assert rows(con, "select input_tokens from raw.ai_usage_events") == [(222,)]


def test_bytes_already_read_change_nothing_under_another_name(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    """A re-sync that delivers an old file under a new name undid the correction that followed it."""
    original = write_csv(landing / "ai_usage_events" / "a.csv", [event("e1", input_tokens=1)])
    set_mtime(original, 1)
    ingest(con, landing)
    correction = write_csv(landing / "ai_usage_events" / "b.csv", [event("e1", input_tokens=2)])
    set_mtime(correction, 2)
    ingest(con, landing)

    replay = landing / "ai_usage_events" / "resync" / "a.csv"
    replay.parent.mkdir()
    replay.write_bytes(original.read_bytes())
    report = ingest(con, landing)

    assert rows(con, "select input_tokens from raw.ai_usage_events") == [(2,)]
    assert report.tables["ai_usage_events"].files_already_seen == 1
    assert "Replayed files (content already read under another name), skipped: 1" in report.render()
    # The replay is recorded as read, with no rows: the next run passes over it silently.
    assert ingest(con, landing).tables["ai_usage_events"].files_already_seen == 0
    assert rows(
        con, "select rows_read from raw._ingested_files where source_file = 'ai_usage_events/resync/a.csv'"
    ) == [(0,)]

    # One run over all three files decides the same way: the later copy of the same bytes is skipped.
    with duckdb.connect(str(landing.parent / "full.duckdb")) as full:
        ingest(full, landing)
        assert rows(full, "select input_tokens from raw.ai_usage_events") == [(2,)]


# --- 7: empty files -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_an_empty_file_is_zero_rows_and_reported(
    con: duckdb.DuckDBPyConnection, landing: Path, suffix: str
) -> None:
    """A 0-byte CSV or Parquet file stopped the whole ingest."""
    write_jsonl(landing / "ai_usage_events" / "a.jsonl", [event("e1")])
    (landing / "ai_usage_events" / f"empty{suffix}").write_bytes(b"")

    report = ingest(con, landing)

    assert rows(con, "select event_id from raw.ai_usage_events") == [("e1",)]
    assert report.tables["ai_usage_events"].files_read == 2
    assert report.tables["ai_usage_events"].empty_files == [f"ai_usage_events/empty{suffix}"]
    assert f"ai_usage_events/empty{suffix}" in report.render()
    assert rows(con, "select rows_read from raw._ingested_files where source_file like '%empty%'") == [(0,)]


def test_sql_looking_values_and_quoted_paths_are_stored_literally(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Holds already: values and file names are data, never SQL."""
    landing = tmp_path / 'land\'ing "zone"'
    hostile = "e1'); drop table raw.teams; --"
    write_jsonl(
        landing / "ai_usage_events" / 'it\'s "here".jsonl', [event(hostile, model="gpt-5' or '1'='1")]
    )
    write_csv(
        landing / "teams" / "o'neil.csv",
        [{"team_id": "t'1", "team_name": "Robert'); drop table raw.people; --"}],
    )

    ingest(con, landing)

    assert rows(con, "select event_id, model, _source_file from raw.ai_usage_events") == [
        (hostile, "gpt-5' or '1'='1", 'ai_usage_events/it\'s "here".jsonl')
    ]
    assert rows(con, "select team_id, team_name from raw.teams") == [
        ("t'1", "Robert'); drop table raw.people; --")
    ]


# --- 1, 9: the published file ---------------------------------------------------------------------


def _warehouse(path: Path, value: int) -> Path:
    with duckdb.connect(str(path)) as writer:
        writer.execute("create schema marts")
        writer.execute(f"create table marts.fct_team_weekly as select {value} as value from range(1000)")
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_python(code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for(condition: Callable[[], bool], timeout: float = 30, every: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(every)


def test_a_dead_writers_wal_does_not_lock_readers_out_of_the_next_publish(tmp_path: Path) -> None:
    """A read-write process that died left `<warehouse>.wal`; after the swap no reader could open."""
    published = tmp_path / "warehouse.duckdb"
    publish(_warehouse(tmp_path / "one.duckdb", 1), published)
    # What `dbt build` against the published file, or a plain duckdb.connect(), leaves when killed.
    writer = _run_python(
        f"""
        import os, signal, duckdb
        con = duckdb.connect({str(published)!r})
        con.execute("set wal_autocheckpoint = '1TB'")
        con.execute("delete from marts.fct_team_weekly")
        con.execute("create table marts.scratch as select * from range(100000)")
        print("written", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    assert wal_path(published).exists()

    publish(_warehouse(tmp_path / "two.duckdb", 2), published)

    assert not wal_path(published).exists()
    with connect_published(published) as reader:
        assert rows(reader, "select sum(value) from marts.fct_team_weekly") == [(2000,)]
    check = airoi("query", "select sum(value) from marts.fct_team_weekly", "--warehouse", str(published))
    assert check.returncode == 0, check.stderr
    assert "2000" in check.stdout


def test_the_published_file_is_read_only_on_disk(tmp_path: Path) -> None:
    """The published file was 0644: a plain duckdb.connect() deleted rows BI readers then saw."""
    published = tmp_path / "warehouse.duckdb"
    publish(_warehouse(tmp_path / "one.duckdb", 1), published)

    assert published.stat().st_mode & 0o777 == 0o444
    # A second publish replaces a read-only file as well.
    publish(_warehouse(tmp_path / "two.duckdb", 2), published)
    assert published.stat().st_mode & 0o777 == 0o444
    with connect_published(published) as reader:
        assert rows(reader, "select sum(value) from marts.fct_team_weekly") == [(2000,)]


def test_a_copy_that_does_not_open_is_never_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Publish reported success without opening what it had swapped in."""
    published = tmp_path / "warehouse.duckdb"
    publish(_warehouse(tmp_path / "one.duckdb", 1), published)
    before = _sha(published)
    copy = shutil.copyfile

    def torn(source: Path, target: Path) -> Path:
        """A copy that stops after DuckDB's headers, as a full disk or a dying file system leaves it."""
        copy(source, target)
        with Path(target).open("r+b") as handle:
            handle.truncate(3 * 4096)
        return target

    monkeypatch.setattr(shutil, "copyfile", torn)
    with pytest.raises(BuildError) as failure:
        publish(_warehouse(tmp_path / "two.duckdb", 2), published)

    assert str(failure.value).startswith("the copy to publish ")
    assert "does not open read-only" in str(failure.value)
    assert _sha(published) == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []
    with connect_published(published) as reader:
        assert rows(reader, "select sum(value) from marts.fct_team_weekly") == [(1000,)]


def test_publish_names_the_process_that_holds_the_published_file_read_write(tmp_path: Path) -> None:
    """A reader holding a write lock shut every other reader out and publish did not say why."""
    published = tmp_path / "warehouse.duckdb"
    publish(_warehouse(tmp_path / "one.duckdb", 1), published)
    holder = _run_python(
        f"""
        import time, duckdb
        con = duckdb.connect({str(published)!r})
        print("holding", flush=True)
        time.sleep(120)
        """
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        before = _sha(published)
        with pytest.raises(BuildError) as failure:
            publish(_warehouse(tmp_path / "two.duckdb", 2), published)
    finally:
        holder.kill()
        holder.wait()

    message = str(failure.value)
    assert "\n" not in message
    assert f"(PID {holder.pid})" in message
    assert "read-only" in message
    assert _sha(published) == before


def test_a_reader_that_holds_a_connection_sees_the_newest_publish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A long-lived reader kept seeing the old file while it held any connection to the path."""
    published = tmp_path / "warehouse.duckdb"
    publish(_warehouse(tmp_path / "one.duckdb", 1), published)
    held = duckdb.connect(str(published), read_only=True)
    try:
        publish(_warehouse(tmp_path / "two.duckdb", 2), published)
        assert rows(held, "select max(value) from marts.fct_team_weekly") == [(1,)]
        with connect_published(published) as fresh:
            assert rows(fresh, "select max(value) from marts.fct_team_weekly") == [(2,)]
        # `airoi query` in this same process answers from the new file as well.
        capsys.readouterr()
        assert main(["query", "select sum(value) as total from marts.fct_team_weekly",
                     "--warehouse", str(published)]) == 0  # fmt: skip
        answer = capsys.readouterr().out
        assert "2000" in answer and "1000" not in answer
    finally:
        held.close()


def test_sigkill_during_publish_leaves_the_published_file_intact(tmp_path: Path) -> None:
    """Holds already: publish is a copy and a rename; killing it leaves the last good file."""
    published = tmp_path / "warehouse.duckdb"
    publish(_warehouse(tmp_path / "one.duckdb", 1), published)
    before = _sha(published)
    big = tmp_path / "big.duckdb"
    with duckdb.connect(str(big)) as writer:
        writer.execute("create schema marts")
        writer.execute(
            "create table marts.fct_team_weekly as select hash(range) as value from range(30000000)"
        )
    staging = published.with_name(f".{published.name}.publishing")
    publisher = _run_python(
        f"""
        from pathlib import Path
        from orchestration.build import publish
        publish(Path({str(big)!r}), Path({str(published)!r}))
        """
    )
    _wait_for(staging.exists, every=0.001)
    publisher.send_signal(signal.SIGKILL)
    publisher.wait()

    assert _sha(published) == before
    with connect_published(published) as reader:
        assert rows(reader, "select sum(value) from marts.fct_team_weekly") == [(1000,)]
    publish(big, published)
    with connect_published(published) as reader:
        assert rows(reader, "select count(*) from marts.fct_team_weekly") == [(30_000_000,)]


# --- 6: locks and memory, one line each -----------------------------------------------------------


def _minimal_landing(landing: Path) -> Path:
    write_csv(landing / "teams" / "teams.csv", [{"team_id": "t1", "team_name": "One"}])
    return landing


def test_a_second_build_of_the_same_warehouse_says_which_build_holds_it(tmp_path: Path) -> None:
    """A second build on the same warehouse ended in a traceback."""
    warehouse = tmp_path / "warehouse.duckdb"
    with build_lock(warehouse):
        result = airoi("build", "--landing", str(_minimal_landing(tmp_path / "landing")),
                       "--warehouse", str(warehouse))  # fmt: skip

    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line == f"another airoi build (PID {os.getpid()}) is building {warehouse}; wait for it to finish"


def test_a_process_holding_the_working_file_is_named_in_one_line(tmp_path: Path) -> None:
    """A reader holding a write lock on the working file ended the build in a traceback."""
    warehouse = tmp_path / "warehouse.duckdb"
    work = working_path(warehouse)
    holder = _run_python(
        f"""
        import time, duckdb
        con = duckdb.connect({str(work)!r})
        print("holding", flush=True)
        time.sleep(120)
        """
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = airoi("build", "--landing", str(_minimal_landing(tmp_path / "landing")),
                       "--warehouse", str(warehouse))  # fmt: skip
    finally:
        holder.kill()
        holder.wait()

    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith(f"{work} is locked by ")
    assert f"(PID {holder.pid})" in line


@pytest.mark.parametrize("limit", ["lots", "8 gigs"])
def test_a_bad_memory_limit_says_what_to_change(tmp_path: Path, limit: str) -> None:
    """A memory limit DuckDB does not accept ended in a traceback."""
    env = {**os.environ, "AIROI_DUCKDB_MEMORY_LIMIT": limit}
    result = airoi("build", "--landing", str(_minimal_landing(tmp_path / "landing")),
                   "--warehouse", str(tmp_path / "warehouse.duckdb"), env=env)  # fmt: skip

    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith(f"AIROI_DUCKDB_MEMORY_LIMIT={limit!r} is not a memory size DuckDB accepts")
    assert line.endswith("set it to e.g. 4GB or 500MB")


def test_running_out_of_memory_says_so_in_one_line(tmp_path: Path) -> None:
    """Out of memory surfaced as an unreadable file or a traceback."""
    landing = tmp_path / "landing"
    path = landing / "ai_usage_events" / "date=2026-03-02" / "part-0.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(_events_table(200_000), path)
    env = {**os.environ, "AIROI_DUCKDB_MEMORY_LIMIT": "1MB"}

    result = airoi("build", "--landing", str(landing), "--warehouse", str(tmp_path / "w.duckdb"), env=env)

    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith("ingest ran out of memory: DuckDB needed more than AIROI_DUCKDB_MEMORY_LIMIT=1MB")
    assert "raise the limit" in line


def test_ingest_and_publish_open_the_working_file_that_dbt_keeps_open_in_the_same_process(
    tmp_path: Path, landing: Path, project_dir: Path
) -> None:
    """Dagster reads what dbt built through dbt's adapter, in the process that runs ingest and
    publish; they opened the working file with other settings than dbt's profile, and DuckDB refused
    ("a different configuration than existing connections")."""
    warehouse = tmp_path / "warehouse.duckdb"
    work = working_path(warehouse)
    write_jsonl(landing / "ai_usage_events" / "a.jsonl", [event("e1")])
    resource = WarehouseResource(landing_dir=str(landing), warehouse=str(warehouse))
    with resource.dbt_environment():
        shown = dbtRunner().invoke(
            ["show", "--inline", "select 1 as one", "--project-dir", str(project_dir),
             "--profiles-dir", str(project_dir), "--target-path", str(tmp_path / "target"),
             "--log-path", str(tmp_path / "logs"), "--quiet"]
        )  # fmt: skip
    assert shown.success, shown.exception
    with pytest.raises(duckdb.ConnectionException, match="different configuration"):
        duckdb.connect(str(work))

    report = run_ingest(landing, work)
    publish(work, warehouse)

    assert report.tables["ai_usage_events"].rows_loaded == 1
    with connect_published(warehouse) as reader:
        assert rows(reader, "select event_id from raw.ai_usage_events") == [("e1",)]


# --- whole builds: 4, 6, 8, and SIGKILL at every stage -------------------------------------------

UNPRICED_TOKENS = 2_000_000


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A generated organisation plus what broke builds: a model no price table knows, impossible
    timestamps and empty files. Returns the landing zone and the engineer the unpriced usage is his."""
    landing = tmp_path_factory.mktemp("organisation") / "landing"
    generated = airoi("generate", "--out", str(landing), "--engineers", "40", "--weeks", "8", "--seed", "5",
                      "--no-progress")  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    with duckdb.connect() as con:
        email, employee_id = con.execute(
            f"""
            select lower(email), employee_id
            from read_csv('{landing / "people" / "people.csv"}', all_varchar = true)
            where role = 'engineer' and coalesce(hired_on, '') < '2026-05-04' and coalesce(left_on, '') = ''
            order by employee_id
            limit 1
            """
        ).fetchone()
    extra = landing / "ai_usage_events" / "extra"
    write_jsonl(
        extra / "unpriced.jsonl",
        [event("unpriced-1", "2026-05-06T10:00:00Z", actor_id=email, model="gpt-unknown-9",
               input_tokens=1_500_000, output_tokens=500_000)],
    )  # fmt: skip
    write_jsonl(
        extra / "impossible.jsonl",
        [
            event("year-1", "0001-01-01T00:00:00Z", actor_id=email),
            event("year-1970", "1970-01-01T00:00:00Z", actor_id=email),
            event("year-9999", "9999-12-31T00:00:00Z", actor_id=email),
        ],
    )
    (extra / "empty.csv").write_bytes(b"")
    (landing / "commits" / "empty.parquet").write_bytes(b"")
    return landing, employee_id


@pytest.fixture(scope="module")
def reference(
    organisation: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess]:
    """One uninterrupted build with 100MB of memory, so DuckDB has to spill (this organisation's
    build failed at 100MB with "Cannot switch temporary directory after the current one has been
    used" while the spill folder was set on every connection). One dbt thread: two models at once
    can need more than 100MB between them in operators that do not spill."""
    landing, _ = organisation
    warehouse = tmp_path_factory.mktemp("reference") / "warehouse.duckdb"
    env = {
        **os.environ,
        "AIROI_DUCKDB_MEMORY_LIMIT": "100MB",
        "AIROI_DBT_THREADS": "1",
        "AIROI_DBT_TARGET_PATH": str(warehouse.parent / "target"),
    }
    result = airoi("build", "--landing", str(landing), "--warehouse", str(warehouse), env=env, timeout=900)
    return warehouse, result


@pytest.mark.slow
def test_a_build_that_must_spill_completes_and_ignores_impossible_rows(
    reference: tuple[Path, subprocess.CompletedProcess],
) -> None:
    """With 100MB every dbt step after the first spill failed; year 9999 stretched the week spine."""
    warehouse, result = reference
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Cannot switch temporary directory" not in result.stdout
    assert warehouse.stat().st_mode & 0o777 == 0o444
    assert "ai_usage_events/extra/empty.csv" in result.stdout
    assert "commits/empty.parquet" in result.stdout
    with connect_published(warehouse) as con:
        assert rows(con, "select min(week_start), max(week_start) from marts.fct_engineer_weekly") == [
            (datetime(2026, 5, 4).date(), datetime(2026, 6, 22).date())
        ]
        assert rows(
            con,
            "select count(*) from raw._quarantine where reason_code = 'implausible_timestamp' "
            "and source_file = 'ai_usage_events/extra/impossible.jsonl'",
        ) == [(3,)]


@pytest.mark.slow
def test_an_unpriced_model_keeps_its_tokens_and_marks_the_week_incomplete(
    organisation: tuple[Path, str], reference: tuple[Path, subprocess.CompletedProcess]
) -> None:
    """2,000,000 tokens of gpt-unknown-9 dropped out of weekly cost with only a warning to show."""
    _, employee_id = organisation
    warehouse, result = reference
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "gpt-unknown-9" in result.stdout
    assert "Unpriced models" in result.stdout
    with connect_published(warehouse) as con:
        week = rows(
            con,
            "select ai_total_tokens, ai_unpriced_tokens, is_ai_cost_complete from marts.fct_engineer_weekly "
            f"where employee_id = '{employee_id}' and week_start = date '2026-05-04'",
        )
        assert week[0][1:] == (UNPRICED_TOKENS, False)
        assert week[0][0] >= UNPRICED_TOKENS
        assert rows(
            con,
            "select unpriced_events, unpriced_tokens, engineers from marts.mart_unpriced_models "
            "where model = 'gpt-unknown-9'",
        ) == [(1, UNPRICED_TOKENS, 1)]
        # Weeks with only priced usage are complete, and their cost is what it always was.
        assert rows(
            con,
            "select count(*) from marts.fct_engineer_weekly "
            "where is_ai_cost_complete = (ai_unpriced_tokens = 0) and ai_unpriced_tokens <= ai_total_tokens",
        ) == rows(con, "select count(*) from marts.fct_engineer_weekly")


@pytest.mark.slow
def test_running_out_of_memory_inside_dbt_says_so_in_one_line_and_publishes_nothing(
    organisation: tuple[Path, str], reference: tuple[Path, subprocess.CompletedProcess], tmp_path: Path
) -> None:
    """A model that did not fit in memory ended the build in dbt's log or "dbt exited with 2"."""
    landing, _ = organisation
    reference_warehouse, _ = reference
    warehouse = tmp_path / "warehouse.duckdb"
    # The last good publish and the working file it came from: ingest has nothing new to read, and
    # dbt rebuilds every table model with 20MB, which some of them exceed even spilling to disk. The
    # working file forgets which build it published, as after a build that failed later, so this
    # build does not take itself for one with nothing new.
    for source in (reference_warehouse, working_path(reference_warehouse)):
        shutil.copyfile(source, tmp_path / source.name)
    with duckdb.connect(str(tmp_path / working_path(reference_warehouse).name)) as con:
        con.execute(f"drop table {PUBLISHED_STATE}")
    warehouse.chmod(0o444)
    published = _sha(warehouse)
    env = {
        **os.environ,
        "AIROI_DUCKDB_MEMORY_LIMIT": "20MB",
        "AIROI_DBT_TARGET_PATH": str(tmp_path / "target"),
    }

    result = airoi("build", "--landing", str(landing), "--warehouse", str(warehouse), env=env, timeout=900)

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Out of Memory Error" in result.stdout
    assert one_line(result.stderr) == (
        "dbt build ran out of memory: DuckDB needed more than AIROI_DUCKDB_MEMORY_LIMIT=20MB even after "
        f"spilling to {(tmp_path / 'tmp').resolve()}; raise the limit, or set AIROI_DBT_THREADS=1 so fewer "
        "models run at once"
    )
    assert _sha(warehouse) == published
    assert warehouse.stat().st_mode & 0o777 == 0o444


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _has_open(pid: int, path: Path) -> bool:
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for descriptor in descriptors:
        try:
            if descriptor.readlink() == path:
                return True
        except OSError:
            continue
    return False


def _dbt_child(pid: int) -> int | None:
    for child in _children(pid):
        try:
            if b"dbt" in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        except OSError:
            continue
    return None


@pytest.mark.slow
def test_sigkill_at_every_stage_leaves_the_published_file_and_the_next_build_equals_an_uninterrupted_one(
    organisation: tuple[Path, str], reference: tuple[Path, subprocess.CompletedProcess], tmp_path: Path
) -> None:
    """Killing `airoi build` left dbt running as an orphan that held the working file; the rest holds."""
    landing, _ = organisation
    reference_warehouse, _ = reference
    warehouse = tmp_path / "warehouse.duckdb"
    work = working_path(warehouse)
    # The last good publish, which every interrupted build must leave as it is.
    warehouse.write_bytes(reference_warehouse.read_bytes())
    warehouse.chmod(0o444)
    published = _sha(warehouse)
    env = {**os.environ, "AIROI_DBT_TARGET_PATH": str(tmp_path / "target")}

    def start() -> subprocess.Popen:
        return subprocess.Popen(
            [AIROI, "build", "--landing", str(landing), "--warehouse", str(warehouse)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )

    def kill(build: subprocess.Popen) -> None:
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert _sha(warehouse) == published
        assert not wal_path(warehouse).exists()
        with connect_published(warehouse) as reader:
            assert reader.execute("select count(*) from marts.fct_engineer_weekly").fetchone()[0] > 0

    # During ingest: the build has the working file open and has not started dbt.
    build = start()
    _wait_for(lambda: _has_open(build.pid, work), timeout=120, every=0.002)
    assert _dbt_child(build.pid) is None
    kill(build)

    # During dbt: the parent dies, and dbt must die with it instead of holding the working file.
    build = start()
    _wait_for(lambda: _dbt_child(build.pid) is not None, timeout=120)
    dbt = _dbt_child(build.pid)
    assert dbt is not None
    _wait_for(lambda: _has_open(dbt, work), timeout=120)
    # A second build of the same warehouse meanwhile stops at once and names this one.
    second = airoi("build", "--landing", str(landing), "--warehouse", str(warehouse), env=env, timeout=120)
    assert second.returncode == 1
    assert one_line(second.stderr) == (
        f"another airoi build (PID {build.pid}) is building {warehouse}; wait for it to finish"
    )
    assert build.poll() is None and _alive(dbt)
    time.sleep(3)
    kill(build)
    _wait_for(lambda: not _alive(dbt), timeout=15, every=0.1)

    # During the checks: dbt has finished and the build reads the working file again.
    build = start()
    _wait_for(lambda: _dbt_child(build.pid) is not None, timeout=120)
    _wait_for(lambda: _dbt_child(build.pid) is None, timeout=600, every=0.05)
    _wait_for(lambda: _has_open(build.pid, work) or build.poll() is not None, timeout=120, every=0.002)
    assert build.poll() is None, "the build ended before its checks could be interrupted"
    kill(build)

    # The build that finishes, with a reader querying the published file all the while.
    stop, seen, errors = threading.Event(), [], []

    def read() -> None:
        while not stop.is_set():
            try:
                with connect_published(warehouse) as reader:
                    seen.append(
                        reader.execute(
                            "select sum(ai_total_tokens) from marts.fct_engineer_weekly"
                        ).fetchone()[0]
                    )
            except duckdb.Error as error:
                errors.append(str(error))
            time.sleep(0.02)

    reader_thread = threading.Thread(target=read)
    reader_thread.start()
    try:
        finished = airoi(
            "build", "--landing", str(landing), "--warehouse", str(warehouse), env=env, timeout=900
        )
    finally:
        stop.set()
        reader_thread.join()
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    assert errors == []
    assert len(seen) > 100
    assert len(set(seen)) == 1
    differences, compared = marts_differences(warehouse, reference_warehouse)
    assert compared > 1000
    assert differences == dict.fromkeys(differences, 0)
