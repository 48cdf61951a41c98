"""The landing-zone ingest against real files and a real DuckDB file, one landing zone per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from ingest_helpers import write_csv, write_jsonl, write_parquet, write_rows

from orchestration.landing import LandingError, ingest
from orchestration.landing.contract import DUCKDB_TYPES, TABLES, Column, Table

FORMATS = ["parquet", "csv", "jsonl"]

#: Types the Parquet files of these tests use: real timestamps with a zone, so an offset in the
#: written value is kept as the instant it names.
PARQUET_TYPES = {**DUCKDB_TYPES, "timestamp": "timestamptz"}


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


def set_mtime(path: Path, minute: int) -> None:
    """Give a file a known modification time, which orders files within a run."""
    seconds = datetime(2026, 3, 10, 12, minute).timestamp()
    os.utime(path, (seconds, seconds))


def event(
    event_id: str, occurred_at: str = "2026-03-02T09:15:00-08:00", **values: object
) -> dict[str, object]:
    row: dict[str, object] = {
        "event_id": event_id,
        "occurred_at": occurred_at,
        "source_tool": "claude_code",
        "actor_id": "ana@example.com",
        "session_id": "s-1",
        "model": "claude-sonnet-4-5",
        "input_tokens": 100,
        "output_tokens": 20,
    }
    row.update(values)
    return row


EVENT_TYPES = {
    "event_id": "varchar",
    "occurred_at": "timestamptz",
    "source_tool": "varchar",
    "actor_id": "varchar",
    "session_id": "varchar",
    "model": "varchar",
    "input_tokens": "bigint",
    "output_tokens": "bigint",
}


def sample_value(column: Column, row: int) -> str:
    """The value row 1 or 2 of the every-table test writes: row 1 has a `-08:00` timestamp, row 2 a
    timestamp without zone; accepted values are written in lower case."""
    if column.accepted:
        return column.accepted[row - 1].lower()
    return {
        "string": f"{column.name}-{row}",
        "integer": str(10 + row),
        "decimal": f"{row}.25",
        "timestamp": "2026-03-02T09:15:00-08:00" if row == 1 else "2026-03-02 09:15:00",
        "date": f"2026-03-0{row}",
    }[column.type]


def expected_value(column: Column, row: int) -> object:
    if column.accepted:
        return column.accepted[row - 1]
    return {
        "string": f"{column.name}-{row}",
        "integer": 10 + row,
        "decimal": Decimal(f"{row}.25"),
        "timestamp": datetime(2026, 3, 2, 17, 15) if row == 1 else datetime(2026, 3, 2, 9, 15),
        "date": date(2026, 3, row),
    }[column.type]


def raw_rows(con: duckdb.DuckDBPyConnection, table: Table) -> list[tuple]:
    key = ", ".join(table.key)
    return con.execute(
        f"select {', '.join(table.column_names)} from raw.{table.name} order by {key}"
    ).fetchall()


def count(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    return con.execute(f"select count(*) from {relation}").fetchone()[0]


def quarantine(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select source_file, source_row, column_name, reason_code, reason "
        "from raw._quarantine order by source_file, source_row"
    ).fetchall()


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("table_name", list(TABLES))
def test_every_table_loads_typed_from_every_format(
    con: duckdb.DuckDBPyConnection, landing: Path, table_name: str, file_format: str
) -> None:
    table = TABLES[table_name]
    rows = [{column.name: sample_value(column, row) for column in table.columns} for row in (1, 2)]
    if file_format == "jsonl":
        numbers = {"integer": int, "decimal": float}
        rows = [
            {column.name: numbers.get(column.type, str)(row[column.name]) for column in table.columns}
            for row in rows
        ]
    path = landing / table_name / f"part-0.{file_format}"
    write_rows(path, rows, {column.name: PARQUET_TYPES[column.type] for column in table.columns})

    report = ingest(con, landing)

    assert raw_rows(con, table) == [
        tuple(expected_value(column, row) for column in table.columns) for row in (1, 2)
    ]
    lineage = con.execute(
        f"select _load_id, _source_file, _source_row, _extra from raw.{table_name} order by _source_row"
    ).fetchall()
    first_row = 2 if file_format == "csv" else 1  # a CSV counts its header as line 1
    assert lineage == [
        (1, f"{table_name}/part-0.{file_format}", first_row, None),
        (1, f"{table_name}/part-0.{file_format}", first_row + 1, None),
    ]
    counts = report.tables[table_name]
    assert (counts.files_read, counts.rows_read, counts.rows_loaded, counts.rows_quarantined) == (1, 2, 2, 0)
    assert quarantine(con) == []


def test_parquet_timestamps_without_zone_are_utc(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    write_parquet(
        landing / "ai_usage_events" / "part-0.parquet",
        [event("e1", "2026-03-02 09:15:00")],
        {**EVENT_TYPES, "occurred_at": "timestamp"},
    )

    ingest(con, landing)

    assert con.execute("select occurred_at from raw.ai_usage_events").fetchall() == [
        (datetime(2026, 3, 2, 9, 15),)
    ]


def test_nested_folders_extra_columns_and_missing_optional_columns(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    events = landing / "ai_usage_events"
    write_csv(events / "date=2026-03-02" / "hour=09" / "part-0.csv", [event("e1", vendor_note="first try")])
    write_jsonl(events / "date=2026-03-03" / "part-0.jsonl", [event("e2", Vendor_Meta={"region": "eu"})])
    # Not data: a writer's marker, a hidden folder, ground truth and a vendor export beside the tables.
    (events / "_SUCCESS").write_text("")
    write_csv(events / ".staging" / "part-9.csv", [event("hidden")])
    write_csv(landing / "_ground_truth" / "events.csv", [event("truth")])
    write_csv(landing / "cursor_daily_usage" / "export.csv", [{"email": "ana@example.com", "lines": 3}])

    report = ingest(con, landing)

    assert con.execute(
        "select event_id, session_id, cached_input_tokens, cost_usd, _source_file, _extra "
        "from raw.ai_usage_events order by event_id"
    ).fetchall() == [
        (
            "e1",
            "s-1",
            None,
            None,
            "ai_usage_events/date=2026-03-02/hour=09/part-0.csv",
            '{"vendor_note":"first try"}',
        ),
        (
            "e2",
            "s-1",
            None,
            None,
            "ai_usage_events/date=2026-03-03/part-0.jsonl",
            '{"Vendor_Meta":{"region":"eu"}}',
        ),
    ]
    assert report.files_read == 2


def test_columns_match_case_insensitively_and_values_are_trimmed(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    write_csv(
        landing / "pr_reviews" / "reviews.csv",
        [
            {
                "Repo": " acme/web ",
                "PR_NUMBER": "7",
                "review_id": "r1",
                "reviewer_login": "bo\t",
                "State": "changes_requested",
                "submitted_at": "2026-03-02T09:15:00Z",
            }
        ],
    )

    ingest(con, landing)

    assert raw_rows(con, TABLES["pr_reviews"]) == [
        ("acme/web", 7, "r1", "bo", "CHANGES_REQUESTED", datetime(2026, 3, 2, 9, 15))
    ]


def test_a_replayed_file_is_not_double_counted_and_the_later_copy_wins(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    first = write_csv(landing / "ai_usage_events" / "a.csv", [event("e1"), event("e2")])
    replay = write_csv(
        landing / "ai_usage_events" / "replay" / "a.csv",
        [event("e1", input_tokens=111), event("e2", input_tokens=222)],
    )
    set_mtime(first, 1)
    set_mtime(replay, 2)

    report = ingest(con, landing).tables["ai_usage_events"]

    assert con.execute(
        "select event_id, input_tokens, _source_file from raw.ai_usage_events order by event_id"
    ).fetchall() == [("e1", 111, "ai_usage_events/replay/a.csv"), ("e2", 222, "ai_usage_events/replay/a.csv")]
    assert (report.rows_read, report.rows_loaded, report.rows_deduplicated) == (4, 2, 2)

    # The same rows landing again in a later run replace the stored ones, still without double counting.
    again = write_jsonl(landing / "ai_usage_events" / "b.jsonl", [event("e2", input_tokens=333)])
    set_mtime(again, 3)
    report = ingest(con, landing).tables["ai_usage_events"]

    assert con.execute(
        "select event_id, input_tokens from raw.ai_usage_events order by event_id"
    ).fetchall() == [
        ("e1", 111),
        ("e2", 333),
    ]
    assert (report.rows_read, report.rows_loaded, report.rows_deduplicated) == (1, 0, 1)


def test_rerunning_on_the_same_landing_zone_reads_nothing(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    write_parquet(landing / "ai_usage_events" / "part-0.parquet", [event("e1"), event("e2")], EVENT_TYPES)
    write_csv(landing / "teams" / "teams.csv", [{"team_id": "t1", "team_name": "Core"}])
    ingest(con, landing)
    before = (count(con, "raw.ai_usage_events"), count(con, "raw.teams"), count(con, "raw._ingested_files"))

    report = ingest(con, landing)

    assert report.files_read == 0
    assert report.total_read == 0
    assert (
        count(con, "raw.ai_usage_events"),
        count(con, "raw.teams"),
        count(con, "raw._ingested_files"),
    ) == before
    assert before == (2, 1, 2)


def test_a_late_file_is_loaded_by_the_next_run_and_only_it_is_read(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    events = landing / "ai_usage_events"
    write_parquet(
        events / "date=2026-03-09" / "part-0.parquet", [event("e9", "2026-03-09T10:00:00Z")], EVENT_TYPES
    )
    ingest(con, landing)

    write_parquet(
        events / "date=2026-03-02" / "part-0.parquet",
        [event("e2", "2026-03-02T10:00:00Z"), event("e3", "2026-03-03T10:00:00Z")],
        EVENT_TYPES,
    )
    report = ingest(con, landing)

    assert report.load_id == 2
    assert report.files_read == 1
    assert (report.tables["ai_usage_events"].rows_read, report.tables["ai_usage_events"].rows_loaded) == (
        2,
        2,
    )
    assert con.execute(
        "select source_file, rows_read, rows_loaded, _load_id from raw._ingested_files order by _load_id"
    ).fetchall() == [
        ("ai_usage_events/date=2026-03-09/part-0.parquet", 1, 1, 1),
        ("ai_usage_events/date=2026-03-02/part-0.parquet", 2, 2, 2),
    ]
    assert con.execute(
        "select cast(occurred_at as date), count(*) from raw.ai_usage_events group by all order by 1"
    ).fetchall() == [(date(2026, 3, 2), 1), (date(2026, 3, 3), 1), (date(2026, 3, 9), 1)]
    assert con.execute("select _load_id, files_read, rows_loaded from raw._loads order by 1").fetchall() == [
        (1, 1, 1),
        (2, 1, 2),
    ]


def test_a_changed_file_is_read_again_and_replaces_its_rows(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    path = write_csv(landing / "ai_usage_events" / "a.csv", [event("e1"), event("e2", input_tokens=-1)])
    set_mtime(path, 1)
    ingest(con, landing)
    write_csv(path, [event("e1", input_tokens=5), event("e2", input_tokens=6)])
    set_mtime(path, 2)

    report = ingest(con, landing).tables["ai_usage_events"]

    assert con.execute("select event_id, input_tokens from raw.ai_usage_events order by 1").fetchall() == [
        ("e1", 5),
        ("e2", 6),
    ]
    assert (report.rows_read, report.rows_loaded, report.rows_deduplicated) == (2, 1, 1)
    # The corrected file no longer has a bad row, so neither has the quarantine.
    assert quarantine(con) == []


def test_bad_rows_are_quarantined_with_file_row_and_reason(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    write_csv(
        landing / "ai_usage_events" / "day.csv",
        [
            event("ok-1"),
            event("bad-ts", "yesterday"),
            event("neg", input_tokens=-5),
            event("missing", actor_id=""),
            event("two-problems", "soon", output_tokens="lots"),
            event("ok-2"),
        ],
    )
    with (landing / "ai_usage_events" / "day.csv").open("a", encoding="utf-8") as handle:
        handle.write("short,row\n")
    (landing / "ai_usage_events" / "day.jsonl").write_text(
        '{"event_id": "j1", "occurred_at": "2026-03-02T09:15:00Z", "source_tool": "cursor",'
        ' "actor_id": "bo", "model": "gpt-5", "input_tokens": 1, "output_tokens": 2}\n'
        '{"event_id": "j2", "occurred_at": \n'
        "\n"
        "[1, 2]\n",
        encoding="utf-8",
    )
    write_jsonl(
        landing / "pr_reviews" / "reviews.jsonl",
        [
            {
                "repo": "acme/web",
                "pr_number": 1,
                "review_id": "r1",
                "reviewer_login": "bo",
                "state": "APPROVED",
                "submitted_at": "2026-03-02T10:00:00Z",
            },
            {
                "repo": "acme/web",
                "pr_number": 1,
                "review_id": "r2",
                "reviewer_login": "bo",
                "state": "LGTM",
                "submitted_at": "2026-03-02T11:00:00Z",
            },
        ],
    )

    report = ingest(con, landing)

    assert quarantine(con) == [
        (
            "ai_usage_events/day.csv",
            3,
            "occurred_at",
            "bad_timestamp",
            "occurred_at 'yesterday' is not a timestamp",
        ),
        ("ai_usage_events/day.csv", 4, "input_tokens", "negative_value", "input_tokens is negative (-5)"),
        ("ai_usage_events/day.csv", 5, "actor_id", "missing_value", "actor_id is missing"),
        (
            "ai_usage_events/day.csv",
            6,
            "occurred_at",
            "bad_timestamp",
            "occurred_at 'soon' is not a timestamp; output_tokens 'lots' is not an integer",
        ),
        ("ai_usage_events/day.csv", 8, None, "malformed_row", "line 8 has 2 fields, the header has 8"),
        (
            "ai_usage_events/day.jsonl",
            2,
            None,
            "malformed_row",
            "line 2 is not valid JSON (Expecting value: line 1 column 35 (char 34))",
        ),
        ("ai_usage_events/day.jsonl", 4, None, "malformed_row", "line 4 is a JSON array, not an object"),
        (
            "pr_reviews/reviews.jsonl",
            2,
            "state",
            "unknown_value",
            "state 'LGTM' is not one of APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED",
        ),
    ]
    assert con.execute("select event_id from raw.ai_usage_events order by 1").fetchall() == [
        ("j1",),
        ("ok-1",),
        ("ok-2",),
    ]
    assert con.execute("select review_id from raw.pr_reviews").fetchall() == [("r1",)]
    events = report.tables["ai_usage_events"]
    assert (events.rows_read, events.rows_loaded, events.rows_quarantined) == (10, 3, 7)
    assert events.quarantined_by_reason == {
        "bad_timestamp": 2,
        "malformed_row": 3,
        "missing_value": 1,
        "negative_value": 1,
    }
    assert report.total_quarantined == 8


def test_quarantined_rows_keep_their_original_values(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    write_csv(landing / "ai_usage_events" / "day.csv", [event("neg", input_tokens=" -5 ")])
    write_parquet(
        landing / "ai_usage_events" / "day.parquet", [event("p-neg", output_tokens=-7)], EVENT_TYPES
    )

    ingest(con, landing)

    contents = dict(con.execute("select source_file, row_content from raw._quarantine").fetchall())
    assert contents["ai_usage_events/day.csv"] == (
        '{"event_id":"neg","occurred_at":"2026-03-02T09:15:00-08:00","source_tool":"claude_code",'
        '"actor_id":"ana@example.com","session_id":"s-1","model":"claude-sonnet-4-5",'
        '"input_tokens":" -5 ","output_tokens":"20"}'
    )
    assert '"output_tokens":-7' in contents["ai_usage_events/day.parquet"]
    assert '"occurred_at":"2026-03-02 17:15:00+00"' in contents["ai_usage_events/day.parquet"]


def test_a_missing_required_column_stops_the_run_until_the_file_is_fixed(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    good = write_csv(landing / "teams" / "teams.csv", [{"team_id": "t1", "team_name": "Core"}])
    types = {name: type_ for name, type_ in EVENT_TYPES.items() if name != "occurred_at"}
    broken = landing / "ai_usage_events" / "date=2026-03-02" / "part-0.parquet"
    write_parquet(broken, [{key: value for key, value in event("e1").items() if key != "occurred_at"}], types)
    write_jsonl(landing / "people" / "people.jsonl", [{"employee_id": "p1", "full_name": "Ana"}])

    with pytest.raises(LandingError) as failure:
        ingest(con, landing)

    assert failure.value.problems == [
        "ai_usage_events/date=2026-03-02/part-0.parquet: missing required column 'occurred_at'",
        "people/people.jsonl: missing required columns 'email', 'team_id'",
    ]
    assert "ai_usage_events/date=2026-03-02/part-0.parquet: missing required column 'occurred_at'" in str(
        failure.value
    )
    for relation in (
        "raw.teams",
        "raw.ai_usage_events",
        "raw._ingested_files",
        "raw._loads",
        "raw._quarantine",
    ):
        assert count(con, relation) == 0, relation

    write_parquet(broken, [event("e1")], EVENT_TYPES)
    (landing / "people" / "people.jsonl").unlink()
    report = ingest(con, landing)

    assert report.load_id == 1
    assert sorted(con.execute("select source_file from raw._ingested_files").fetchall()) == [
        ("ai_usage_events/date=2026-03-02/part-0.parquet",),
        (good.relative_to(landing).as_posix(),),
    ]
    assert count(con, "raw.ai_usage_events") == 1


def test_json_lines_without_objects_lack_no_column_but_empty_objects_do(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    (landing / "teams").mkdir()
    (landing / "teams" / "garbled.jsonl").write_text("not json\n\n", encoding="utf-8")
    (landing / "teams" / "empty.ndjson").write_text("", encoding="utf-8")
    ingest(con, landing)
    assert quarantine(con) == [
        (
            "teams/garbled.jsonl",
            1,
            None,
            "malformed_row",
            "line 1 is not valid JSON (Expecting value: line 1 column 1 (char 0))",
        )
    ]

    (landing / "teams" / "objects.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(
        LandingError, match=r"^teams/objects\.jsonl: missing required columns 'team_id', 'team_name'$"
    ):
        ingest(con, landing)


def test_a_corrupt_parquet_file_names_the_file(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    write_csv(landing / "teams" / "teams.csv", [{"team_id": "t1", "team_name": "Core"}])
    corrupt = landing / "ai_usage_events" / "part-0.parquet"
    corrupt.parent.mkdir(parents=True)
    corrupt.write_bytes(b"PAR1 this is not a parquet file PAR1")

    with pytest.raises(LandingError, match=r"^ai_usage_events/part-0\.parquet: not a readable Parquet file"):
        ingest(con, landing)

    assert count(con, "raw.teams") == 0


def test_a_file_that_breaks_while_loading_rolls_the_whole_run_back(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    write_csv(landing / "teams" / "teams.csv", [{"team_id": "t1", "team_name": "Core"}])
    incidents = [
        {"incident_id": f"i{number}", "service": "api", "created_at": "2026-03-02 10:00:00"}
        for number in range(50)
    ]
    damaged = write_parquet(
        landing / "incidents" / "part-0.parquet", incidents, dict.fromkeys(incidents[0], "varchar")
    )
    content = bytearray(damaged.read_bytes())
    content[40:240] = b"\x55" * 200  # the column data; the footer with the schema stays intact
    damaged.write_bytes(bytes(content))

    with pytest.raises(LandingError, match=r"^incidents/part-0\.parquet: could not be read"):
        ingest(con, landing)

    for relation in ("raw.teams", "raw.incidents", "raw._ingested_files", "raw._loads"):
        assert count(con, relation) == 0, relation


def test_parquet_files_of_one_header_load_together_and_keep_each_files_lineage(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    types = {"incident_id": "varchar", "service": "varchar", "created_at": "varchar"}
    for day in range(1, 4):
        rows = [
            {"incident_id": f"i{day}-{n}", "service": "api", "created_at": f"2026-03-0{day} 10:00:00"}
            for n in range(day * 10)
        ]
        path = write_parquet(landing / "incidents" / f"date=2026-03-0{day}" / "part-0.parquet", rows, types)
        os.utime(path, ns=(day * 10**18, day * 10**18))
    # One file of the same rows with an extra column: another header, read on its own.
    extra = [{"incident_id": "i1-0", "service": "web", "created_at": "2026-03-01 10:00:00", "note": "x"}]
    later = write_parquet(
        landing / "incidents" / "corrections" / "part-0.parquet", extra, {**types, "note": "varchar"}
    )
    os.utime(later, ns=(4 * 10**18, 4 * 10**18))

    report = ingest(con, landing)

    assert report.tables["incidents"].files_read == 4
    per_file = con.execute(
        "select source_file, rows_read, rows_loaded from raw._ingested_files order by source_file"
    ).fetchall()
    assert per_file == [
        ("incidents/corrections/part-0.parquet", 1, 1),
        ("incidents/date=2026-03-01/part-0.parquet", 10, 9),
        ("incidents/date=2026-03-02/part-0.parquet", 20, 20),
        ("incidents/date=2026-03-03/part-0.parquet", 30, 30),
    ]
    lineage = con.execute(
        "select _source_file, count(*), min(_source_row), max(_source_row) from raw.incidents "
        "group by all order by 1"
    ).fetchall()
    assert lineage == [
        ("incidents/corrections/part-0.parquet", 1, 1, 1),
        ("incidents/date=2026-03-01/part-0.parquet", 9, 2, 10),
        ("incidents/date=2026-03-02/part-0.parquet", 20, 1, 20),
        ("incidents/date=2026-03-03/part-0.parquet", 30, 1, 30),
    ]
    # The correction landed last and wins its key.
    assert con.execute("select service from raw.incidents where incident_id = 'i1-0'").fetchone() == ("web",)


def test_a_damaged_file_among_files_read_together_is_named(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    incidents = [
        {"incident_id": f"i{number}", "service": "api", "created_at": "2026-03-02 10:00:00"}
        for number in range(50)
    ]
    types = dict.fromkeys(incidents[0], "varchar")
    write_parquet(landing / "incidents" / "date=2026-03-02" / "part-0.parquet", incidents, types)
    damaged = write_parquet(landing / "incidents" / "date=2026-03-03" / "part-0.parquet", incidents, types)
    write_parquet(landing / "incidents" / "date=2026-03-04" / "part-0.parquet", incidents, types)
    content = bytearray(damaged.read_bytes())
    content[40:240] = b"\x55" * 200
    damaged.write_bytes(bytes(content))

    with pytest.raises(LandingError, match=r"^incidents/date=2026-03-03/part-0\.parquet: could not be read"):
        ingest(con, landing)

    for relation in ("raw.incidents", "raw._ingested_files", "raw._loads"):
        assert count(con, relation) == 0, relation


def test_unreadable_text_files_name_the_file_and_why(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    (landing / "teams").mkdir()
    (landing / "teams" / "latin1.csv").write_bytes("team_id,team_name\nt1,Équipe\n".encode("latin-1"))
    (landing / "teams" / "empty.csv").write_text("\n")

    with pytest.raises(LandingError) as failure:
        ingest(con, landing)

    assert failure.value.problems == [
        "teams/empty.csv: empty header: the first line names no columns",
        "teams/latin1.csv: not UTF-8 text (byte 0xc9 on line 2)",
    ]
    assert str(failure.value).startswith("2 landing files cannot be ingested:")


def test_the_report_adds_up_and_renders(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    write_csv(landing / "ai_usage_events" / "a.csv", [event("e1"), event("e1"), event("e2", input_tokens=-1)])

    report = ingest(con, landing, tables=["ai_usage_events", "teams"])

    events = report.tables["ai_usage_events"]
    assert (events.rows_read, events.rows_loaded, events.rows_deduplicated, events.rows_quarantined) == (
        3,
        1,
        1,
        1,
    )
    assert list(report.tables) == ["ai_usage_events", "teams"]
    text = report.render()
    rows = [line.split() for line in text.splitlines()]
    assert ["table", "files", "read", "loaded", "deduplicated", "quarantined"] in rows
    assert ["ai_usage_events", "1", "3", "1", "1", "1"] in rows
    assert ["teams", "0", "0", "0", "0", "0"] in rows
    assert ["total", "1", "3", "1", "1", "1"] in rows
    assert ["ai_usage_events", "negative_value", "1"] in rows
    assert con.execute(
        "select files_read, rows_loaded, rows_deduplicated, rows_quarantined from raw._loads"
    ).fetchall() == [(1, 1, 1, 1)]


def test_unknown_tables_are_refused(con: duckdb.DuckDBPyConnection, landing: Path) -> None:
    with pytest.raises(ValueError, match="not contract tables: events"):
        ingest(con, landing, tables=["events"])


def test_a_folder_no_loader_reads_is_reported_with_its_file_count(
    con: duckdb.DuckDBPyConnection, landing: Path
) -> None:
    write_csv(landing / "teams" / "teams.csv", [{"team_id": "t1", "team_name": "Core"}])
    for name in ("a.csv", "sub/b.parquet", "notes.txt"):
        path = landing / "team_exports" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("team_id\nt2\n")
    (landing / "team_exports" / "_SUCCESS").write_text("")
    (landing / "events").mkdir()
    (landing / "stray.csv").write_text("x\n1\n")
    (landing / "_ground_truth").mkdir()
    (landing / "_ground_truth" / "manifest.json").write_text("{}")
    (landing / ".cache").mkdir()

    report = ingest(con, landing, tables=["teams"])

    assert report.unknown_folders == {"(landing zone root)": 1, "events": 0, "team_exports": 3}
    assert report.tables["teams"].rows_loaded == 1
    assert (
        "WARNING: folder 'team_exports' of the landing zone is not a table or vendor export airoi reads; "
        "the 3 files in it were not loaded"
    ) in report.render().splitlines()
    assert len(report.warnings()) == 3
