"""`airoi generate --family fjord`: determinism, the ground truth, and the landing contract, on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.evaluate import TRUTH_COLUMNS, TRUTH_FILE, TRUTH_FOLDER
from orchestration.fjord import default_start, generate
from orchestration.fjord.org import PERSONAS, STYLES
from orchestration.landing.contract import TABLES

AIROI = str(Path(sys.executable).with_name("airoi"))
START = date(2026, 5, 4)
KINDS = {"ordinary", "legitimate_heavy", "inflator"}
TODAY = date.today()


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fjord") / "landing"
    generate(out, engineers=160, weeks=8, seed=11, start=START, progress=False)
    return out


@pytest.fixture(scope="module")
def truth(org: Path) -> pa.Table:
    return pq.read_table(org / TRUTH_FOLDER / TRUTH_FILE)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(tmp_path / name, engineers=40, weeks=5, seed=seed, start=START, progress=False)
    first, again, other = (_files(tmp_path / name) for name in "abc")
    assert first == again
    assert first.keys() & other.keys()
    differing = [name for name in first.keys() & other.keys() if first[name] != other[name]]
    assert any(name.startswith("ai_usage_events") for name in differing)
    assert any(name.startswith("_ground_truth") for name in differing)


def test_a_run_replaces_what_an_earlier_run_wrote(tmp_path: Path) -> None:
    generate(tmp_path, engineers=40, weeks=5, seed=5, start=START, progress=False)
    generate(tmp_path, engineers=20, weeks=4, seed=5, start=START, progress=False)
    weeks = pq.read_table(tmp_path / TRUTH_FOLDER / TRUTH_FILE).column("week_start").to_pylist()
    assert max(weeks) == START + timedelta(weeks=3)
    usage = sorted((tmp_path / "ai_usage_events").rglob("*.parquet"))
    assert usage and all(
        p.stem.split("reexport-")[-1] < (START + timedelta(weeks=4)).isoformat() for p in usage
    )


def test_truth_has_the_evaluation_columns_and_types(truth: pa.Table) -> None:
    schema = truth.schema
    for column in TRUTH_COLUMNS:
        assert column in schema.names
    assert schema.field("employee_id").type == pa.string()
    assert schema.field("week_start").type == pa.date32()
    assert schema.field("persona").type == pa.string()
    assert schema.field("persona_kind").type == pa.string()
    assert schema.field("is_inflated").type == pa.bool_()
    assert schema.field("inflation_style").type == pa.string()
    for column in ("employee_id", "week_start", "persona", "persona_kind", "is_inflated"):
        assert truth.column(column).null_count == 0, column
    keys = list(
        zip(truth.column("employee_id").to_pylist(), truth.column("week_start").to_pylist(), strict=True)
    )
    assert len(keys) == len(set(keys))
    assert all(week.weekday() == 0 for week in truth.column("week_start").to_pylist())


def test_truth_covers_every_persona_and_every_style(truth: pa.Table) -> None:
    rows = truth.to_pylist()
    assert {r["persona"] for r in rows} == set(PERSONAS)
    assert {r["persona_kind"] for r in rows} == KINDS
    inflated = {r["inflation_style"] for r in rows if r["is_inflated"]}
    assert inflated == set(STYLES)
    for r in rows:
        assert (r["inflation_style"] is not None) == r["is_inflated"]
        kind, _share, style = PERSONAS[r["persona"]]
        assert r["persona_kind"] == kind
        if r["is_inflated"]:
            assert kind == "inflator" and r["inflation_style"] == style
    heavy = [r for r in rows if r["persona_kind"] == "legitimate_heavy"]
    assert heavy and not any(r["is_inflated"] for r in heavy)
    # Inflators inflate in some weeks, not necessarily all; ordinary people never.
    assert any(not r["is_inflated"] for r in rows if r["persona_kind"] == "inflator")
    assert not any(r["is_inflated"] for r in rows if r["persona_kind"] == "ordinary")


def test_truth_rows_are_the_engineers_weeks_of_employment(org: Path, truth: pa.Table) -> None:
    con = duckdb.connect()
    people = con.execute(
        "select employee_id, role, hired_on, left_on from read_csv(?, all_varchar = true)",
        [str(next((org / "people").glob("*.csv")))],
    ).fetchall()
    expected = set()
    for employee, role, hired, left in people:
        if role == "manager":
            continue
        for w in range(8):
            monday = START + timedelta(weeks=w)
            if date.fromisoformat(hired) <= monday + timedelta(days=6) and (
                not left or date.fromisoformat(left) >= monday
            ):
                expected.add((employee, monday))
    got = set(
        zip(truth.column("employee_id").to_pylist(), truth.column("week_start").to_pylist(), strict=True)
    )
    assert got == expected
    managers = {e for e, role, _, _ in people if role == "manager"}
    assert managers and not managers & {e for e, _ in got}
    hired = [date.fromisoformat(h) for _, role, h, _ in people if role != "manager"]
    assert any(h > START for h in hired) and any(left for _, role, _, left in people if role != "manager")


def test_truth_tokens_are_the_tokens_of_the_usage_files(org: Path, truth: pa.Table) -> None:
    con = duckdb.connect()
    con.execute(
        f"""
        create view events as
        select * from read_parquet('{org}/ai_usage_events/*/*.parquet', filename = true, union_by_name = true)
        where filename not like '%reexport%'
        """
    )
    con.execute(f"create view ids as select * from read_parquet('{org}/identities/*.parquet')")
    con.execute(f"create view people as select * from read_csv('{org}/people/*.csv', all_varchar = true)")
    ((unmatched, tokens),) = con.execute(
        """
        with attributed as (
            select
                coalesce(ids.employee_id, people.employee_id) as employee_id,
                date_trunc('week', occurred_at at time zone 'UTC')::date as week_start,
                input_tokens + coalesce(cached_input_tokens, 0) + coalesce(cache_write_tokens, 0)
                    + output_tokens as tokens
            from events
            left join ids on ids.source_system = events.source_tool and ids.account_id = events.actor_id
            left join people on lower(people.email) = lower(events.actor_id)
        )
        select
            count(*) filter (where employee_id is null),
            list({'employee_id': employee_id, 'week_start': week_start, 'tokens': tokens})
        from (select employee_id, week_start, sum(tokens)::bigint as tokens from attributed group by all)
        """
    ).fetchall()
    assert unmatched == 0
    usage = {(e["employee_id"], e["week_start"]): e["tokens"] for e in tokens}
    for row in truth.select(["employee_id", "week_start", "ai_total_tokens"]).to_pylist():
        assert usage.pop((row["employee_id"], row["week_start"]), 0) == row["ai_total_tokens"]
    # What is left is the managers' usage.
    engineers = set(truth.column("employee_id").to_pylist())
    assert not {employee for employee, _ in usage} & engineers


def _source(path: Path) -> str:
    if path.suffix == ".parquet":
        return f"read_parquet('{path}')"
    if path.suffix == ".csv":
        return f"read_csv('{path}', all_varchar = true, header = true)"
    return f"read_json('{path}', format = 'newline_delimited', records = true)"


def _read(con: duckdb.DuckDBPyConnection, path: Path) -> duckdb.DuckDBPyRelation:
    """A landed file as written: JSON lines as their text values, so offsets can be checked."""
    if path.suffix == ".jsonl":
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        names = list(dict.fromkeys(k for r in records for k in r))
        columns = {
            n: pa.array([None if r.get(n) is None else str(r[n]) for r in records], pa.string())
            for n in names
        }
        return con.from_arrow(pa.table(columns))
    return con.sql(f"select * from {_source(path)}")


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchall()[0][0]


_PARQUET_TYPES = {
    "string": ("VARCHAR",),
    "integer": ("BIGINT", "INTEGER"),
    "decimal": ("DECIMAL(18,6)", "DOUBLE"),
    "timestamp": ("TIMESTAMP WITH TIME ZONE", "TIMESTAMP"),
    "date": ("DATE",),
}
_CAST = {
    "string": "varchar",
    "integer": "bigint",
    "decimal": "decimal(18, 6)",
    "timestamp": "timestamptz",
    "date": "date",
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_contract_table_is_written_as_the_contract_says(org: Path, name: str) -> None:
    table = TABLES[name]
    files = sorted(p for p in (org / name).rglob("*") if p.is_file())
    assert files, f"{name}: no files"
    con = duckdb.connect()
    rows = 0
    for path in files:
        assert path.suffix in (".parquet", ".csv", ".jsonl"), path
        relation = _read(con, path)
        types = dict(zip(relation.columns, map(str, relation.types), strict=True))
        missing = [c for c in table.required_columns if c not in types]
        assert not missing, f"{path}: lacks {missing}"
        con.register("landed", relation)
        for column in table.columns:
            if column.name not in types:
                continue
            if path.suffix == ".parquet":
                assert types[column.name] in _PARQUET_TYPES[column.type], (
                    path,
                    column.name,
                    types[column.name],
                )
            quoted = f'"{column.name}"'
            bad = _one(
                con,
                f"""
                select count(*) from landed
                where ({quoted} is not null and try_cast({quoted} as {_CAST[column.type]}) is null)
                   or ({str(column.required).lower()} and {quoted} is null)
                   or ({str(column.non_negative).lower()} and try_cast({quoted} as double) < 0)
                """,
            )
            assert bad == 0, f"{path}: {bad} rows break {column.name} ({column.type})"
            if column.accepted:
                values = {v for (v,) in con.execute(f"select distinct {quoted} from landed").fetchall()}
                assert values <= set(column.accepted), (path, column.name, values)
            if column.type == "timestamp" and path.suffix != ".parquet":
                offsets = _one(
                    con,
                    f"select count(*) from landed where {quoted} is not null "
                    f"and not regexp_matches({quoted}::varchar, '[+-][0-9]{{2}}:[0-9]{{2}}$')",
                )
                assert offsets == 0, f"{path}: {column.name} without a UTC offset"
        rows += _one(con, "select count(*) from landed")
        con.unregister("landed")
    assert rows > 0
    # Keys are unique, except for whole rows that land twice on purpose (a re-export).
    key = ", ".join(table.key)
    union = " union all ".join(f"select {key} from {_source(p)}" for p in files if "reexport" not in p.name)
    duplicates = _one(
        con, f"select count(*) from (select {key} from ({union}) group by all having count(*) > 1)"
    )
    assert duplicates == 0


def test_usage_has_the_tools_kinds_and_repetition_the_organisation_is_described_with(org: Path) -> None:
    con = duckdb.connect()
    events = con.read_parquet(f"{org}/ai_usage_events/*/*.parquet", union_by_name=True)
    con.register("events", events)
    tools = {t for (t,) in con.execute("select distinct source_tool from events").fetchall()}
    assert tools == {"claude_code", "cursor", "copilot", "openai_api", "internal_agent"}
    kinds = {k for (k,) in con.execute("select distinct request_kind from events").fetchall()}
    assert {"chat", "agent", "tab", "review", "completion"} <= kinds
    repeated = _one(
        con,
        "select count(*) from (select prompt_hash from events where prompt_hash is not null "
        "group by 1 having count(*) >= 20)",
    )
    assert repeated > 0
    prices = con.read_csv(str(next((org / "model_prices").glob("*.csv"))))
    con.register("prices", prices)
    unpriced = con.execute("select distinct model from events anti join prices using (model)").fetchall()
    assert unpriced == []


def test_throwaway_prototypes_open_prs_that_are_closed_unmerged(org: Path, truth: pa.Table) -> None:
    con = duckdb.connect()
    prs = con.read_parquet(f"{org}/pull_requests/*.parquet")
    con.register("prs", prs)
    ids = con.read_parquet(f"{org}/identities/*.parquet")
    con.register("ids", ids)
    churners = {
        r["employee_id"]
        for r in truth.to_pylist()
        if r["is_inflated"] and r["inflation_style"] == "throwaway_prototypes"
    }
    closed = con.execute(
        """
        select ids.employee_id, count(*) from prs
        join ids on ids.source_system = 'github' and ids.account_id = prs.author_login
        where merged_at is null and closed_at is not null and additions > 100
        group by 1
        """
    ).fetchall()
    assert churners and churners <= {employee for employee, _ in closed}


def test_refuses_a_period_that_reaches_past_today_and_a_start_that_is_not_a_monday(tmp_path: Path) -> None:
    late = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=3)
    with pytest.raises(ValueError, match="past today"):
        generate(tmp_path, engineers=20, weeks=4, seed=1, start=late, progress=False)
    with pytest.raises(ValueError, match="Monday"):
        generate(tmp_path, engineers=20, weeks=4, seed=1, start=START + timedelta(days=1), progress=False)
    assert not any(tmp_path.iterdir())


def test_default_start_is_a_monday_whose_period_ends_before_today() -> None:
    for weeks in (4, 26, 52):
        start = default_start(weeks)
        assert start.weekday() == 0
        assert start + timedelta(weeks=weeks) <= TODAY
        assert start + timedelta(weeks=weeks + 1) > TODAY


def test_smallest_organisation_generates(tmp_path: Path) -> None:
    summary = generate(tmp_path, engineers=20, weeks=4, seed=2, start=None, progress=False)
    assert summary.engineers == 20 and summary.events > 0
    text = summary.render()
    assert "20 engineers" in text and "performative_topup" in text


@pytest.mark.slow
def test_cli_generates_and_the_warehouse_builds_without_quarantine(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    generated = subprocess.run(
        [
            AIROI,
            "generate",
            "--family",
            "fjord",
            "--out",
            str(landing),
            "--engineers",
            "60",
            "--weeks",
            "5",
            "--seed",
            "4",
            "--start",
            "2026-06-01",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert generated.returncode == 0, generated.stderr
    assert "Fjord: 60 engineers" in generated.stdout
    assert (landing / TRUTH_FOLDER / TRUTH_FILE).is_file()
    built = subprocess.run(
        [AIROI, "build", "--landing", str(landing), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "quarantined this run: 0 rows" in built.stdout
    con = duckdb.connect(str(warehouse), read_only=True)
    quarantined = _one(con, "select count(*) from raw._quarantine")
    weekly = _one(con, "select count(*) from marts.fct_engineer_weekly")
    con.close()
    assert quarantined == 0
    truth_rows = pq.read_metadata(landing / TRUTH_FOLDER / TRUTH_FILE).num_rows
    assert weekly >= truth_rows
