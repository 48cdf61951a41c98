"""The Dagster code location on a tiny generated organisation: real dbt, real DuckDB, real runs.

The tests work on a copy of the dbt project in a temporary folder (nobody's `target/` is touched)
with two probe models added under `models/probe/`:

- `probe_events_per_day`, incremental, counts usage events per UTC day inside the dbt vars
  `min_date`/`max_date`, so a test sees which window a partitioned run handed to dbt;
- `probe_team_names`, a table that fails through DuckDB's `error()` when a team is named
  `probe: fail`, so a test can break a model with data alone.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.bi.face import bi_path
from orchestration.defs import build_definitions
from orchestration.defs.checks import NOTHING_QUARANTINED
from orchestration.defs.dbt import DAILY_GROUP, GROUP, UNIQUE_ID
from orchestration.defs.partitions import daily_partitions
from orchestration.defs.publish import PUBLISHED_KEY
from orchestration.defs.readers import BI_KEY, REPORT_KEY
from orchestration.defs.resources import WarehouseResource
from orchestration.defs.schedules import DAILY_SCHEDULE, WAREHOUSE_JOB, build_daily_schedule
from orchestration.defs.sensors import LANDING_SENSOR, PARTITION_RANGE_END, PARTITION_RANGE_START
from orchestration.generate import generate
from orchestration.landing.contract import TABLES
from orchestration.published import connect_published
from orchestration.quality.asset_checks import GX_CONTRACT, GX_PLAUSIBILITY
from orchestration.quality.suites import PUBLISHED_MARTS
from orchestration.report import report_path
from orchestration.settings import working_path

PROJECT_DIR = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "data-tests", "analyses"]

#: The tiny sample: 12 engineers over the 3 weeks from Monday 2026-05-04.
FIRST_DAY, LAST_DAY = "2026-05-04", "2026-05-24"
FULL_RANGE = {PARTITION_RANGE_START: FIRST_DAY, PARTITION_RANGE_END: LAST_DAY}

PROBE_EVENTS_PER_DAY = """\
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='event_date',
        schema='probe',
    )
}}

with

usage_events as (

    select * from {{ ref('stg_landing__ai_usage_events') }}

),

final as (

    select
        cast(occurred_at as date) as event_date,
        count(*) as events
    from usage_events
    where
        occurred_at >= cast('{{ var("min_date", "1900-01-01") }}' as timestamp)
        and occurred_at < cast('{{ var("max_date", "2999-01-01") }}' as timestamp)
    group by cast(occurred_at as date)

)

select * from final
"""

PROBE_TEAM_NAMES = """\
{{ config(materialized='table', schema='probe') }}

with

teams as (

    select * from {{ ref('stg_landing__teams') }}

),

final as (

    select
        team_id,
        case
            when team_name = 'probe: fail' then error('probe model failed on team ' || team_id)
            else team_name
        end as team_name
    from teams

)

select * from final
"""

PROBE_KEY = dg.AssetKey(["probe", "probe_events_per_day"])
FAILING_KEY = dg.AssetKey(["probe", "probe_team_names"])
TEAMS_KEY = dg.AssetKey(["landing", "teams"])
EVENTS_KEY = dg.AssetKey(["landing", "ai_usage_events"])

#: A BI tool in another process. `hold` keeps one read-only connection open throughout, as a
#: dashboard does; `reopen` opens a fresh read-only connection every 100 ms and notes each change in
#: the number of marts tables it sees. (In one process DuckDB shares a database per path, so a held
#: connection would show every later connection the old file: hence two processes.)
READER = """
import json, pathlib, sys, time
import duckdb
path, mode, stop, report = sys.argv[1:5]
held = duckdb.connect(path, read_only=True) if mode == "hold" else None
pathlib.Path(report).with_suffix(".ready").touch()
queries, errors, marts_seen = 0, [], []
while not pathlib.Path(stop).exists():
    try:
        con = held or duckdb.connect(path, read_only=True)
        con.execute("select count(*) from raw.ai_usage_events").fetchone()
        marts = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts'"
        ).fetchone()[0]
        if held is None:
            con.close()
        queries += 1
        if not marts_seen or marts_seen[-1] != marts:
            marts_seen.append(marts)
    except Exception as error:
        errors.append(repr(error))
    time.sleep(0.1)
pathlib.Path(report).write_text(json.dumps({"queries": queries, "errors": errors, "marts_seen": marts_seen}))
"""


def copy_project(destination: Path) -> Path:
    """The dbt project as it is in this checkout, without its target folder."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


def warehouse_at(landing: Path, folder: Path) -> WarehouseResource:
    return WarehouseResource(landing_dir=str(landing), warehouse=str(folder / "warehouse.duckdb"))


def run_job(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    selection: list[dg.AssetKey] | None = None,
    **kwargs: object,
) -> dg.ExecuteInProcessResult:
    job = defs.resolve_job_def(WAREHOUSE_JOB)
    return job.execute_in_process(
        instance=instance, asset_selection=selection, raise_on_error=False, **kwargs
    )


def materialized(result: dg.ExecuteInProcessResult | dg.JobExecutionResult) -> set[dg.AssetKey]:
    return {event.asset_key for event in result.get_asset_materialization_events()}


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def execute(path: Path, sql: str) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(sql)


def manifest_of(project: Path) -> dict:
    return json.loads((project / "target" / "manifest.json").read_text())


def downstream(defs: dg.Definitions, key: dg.AssetKey) -> set[dg.AssetKey]:
    """Everything downstream of `key`, without `key` itself."""
    return set(dg.AssetSelection.assets(key).downstream().resolve(defs.resolve_asset_graph())) - {key}


def partitioned_keys(defs: dg.Definitions) -> set[dg.AssetKey]:
    graph = defs.resolve_asset_graph()
    return {key for key in graph.get_all_asset_keys() if graph.get(key).partitions_def is not None}


@dataclass
class Build:
    defs: dg.Definitions
    ingest: dg.ExecuteInProcessResult
    full: dg.ExecuteInProcessResult
    readers: dict[str, dict]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the dbt project with the probe models, parsed by the first definitions built on it."""
    root = copy_project(tmp_path_factory.mktemp("project") / "airoi")
    probes = root / "models" / "probe"
    probes.mkdir()
    (probes / "probe_events_per_day.sql").write_text(PROBE_EVENTS_PER_DAY)
    (probes / "probe_team_names.sql").write_text(PROBE_TEAM_NAMES)
    return root


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("landing") / "landing"
    generate(out, engineers=12, weeks=3, seed=11, progress=False)
    return out


@pytest.fixture(scope="module")
def instance() -> Iterator[dg.DagsterInstance]:
    """An in-memory instance: a run of the whole project logs hundreds of events, and writing them
    to SQLite would cost a third of the build's time."""
    with dg.DagsterInstance.ephemeral(settings={"telemetry": {"enabled": False}}) as instance:
        yield instance


@pytest.fixture(scope="module")
def defs(project: Path, landing: Path, tmp_path_factory: pytest.TempPathFactory) -> dg.Definitions:
    return build_definitions(project, warehouse_at(landing, tmp_path_factory.mktemp("warehouse")))


@pytest.fixture(scope="module")
def built(defs: dg.Definitions, instance: dg.DagsterInstance) -> Build:
    """One full build over every partition, with readers querying the published file throughout.

    A first run ingests and publishes (no dbt), so a published file exists before the build: the
    readers must keep getting answers from it while the build writes the working file, and must see
    the new warehouse once it is published.
    """
    landing_keys = [key for key in defs.resolve_all_asset_keys() if key.path[0] == "landing"]
    quarantine_checks = [
        dg.AssetCheckKey(dg.AssetKey(["landing", name]), NOTHING_QUARANTINED) for name in TABLES
    ]
    ingest = dg.materialize(
        list(defs.assets),
        selection=dg.AssetSelection.assets(*landing_keys, PUBLISHED_KEY).without_checks()
        | dg.AssetSelection.checks(*quarantine_checks),
        instance=instance,
        resources=defs.resources,
    )
    assert ingest.success
    published = defs.resources["warehouse"].published_path
    stop = published.with_name("stop-readers")
    reports = {mode: published.with_name(f"reader-{mode}.json") for mode in ("hold", "reopen")}
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(published), mode, str(stop), str(report)])
        for mode, report in reports.items()
    ]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(
            report.with_suffix(".ready").exists() for report in reports.values()
        ):
            time.sleep(0.1)
        full = run_job(defs, instance, tags=FULL_RANGE)
        time.sleep(1)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)
    readings = {mode: json.loads(report.read_text()) for mode, report in reports.items()}
    return Build(defs=defs, ingest=ingest, full=full, readers=readings)


@pytest.fixture
def scratch_build(built: Build, tmp_path: Path) -> Iterator[dg.Definitions]:
    """The built warehouse for a test that breaks things; its files are put back afterwards.

    The test works on the files themselves rather than on copies elsewhere: dbt reuses the parse
    made with the same working-file path (partial parsing), which saves a full parse per run.
    """
    warehouse = built.defs.resources["warehouse"]
    files = [warehouse.working_path, warehouse.published_path]
    for path in files:
        shutil.copyfile(path, tmp_path / path.name)
    yield built.defs
    for path in files:
        shutil.copyfile(tmp_path / path.name, path)


def test_code_location_loads_on_a_fresh_clone(tmp_path: Path) -> None:
    """`dagster definitions validate` on the module pyproject names, with no manifest yet: the code
    location runs `dbt parse` itself, then loads."""
    clone = copy_project(tmp_path / "clone")
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = {**os.environ, "AIROI_PROJECT_DIR": str(clone), "DAGSTER_HOME": str(home)}
    dagster = Path(sys.executable).with_name("dagster")
    completed = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (clone / "target" / "manifest.json").exists()


def test_asset_graph_follows_the_contract_and_the_manifest(defs: dg.Definitions, project: Path) -> None:
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = set(graph.get_all_asset_keys())
    manifest = manifest_of(project)

    # Every contract table is an ingest asset under the key dagster-dbt gives its dbt source, and
    # no dbt source is left as an external asset that nothing materialises.
    assert {dg.AssetKey(["landing", name]) for name in TABLES} <= keys
    for source in manifest["sources"].values():
        key = dg.AssetKey([source["source_name"], source["name"]])
        assert graph.get(key).is_materializable, key
        assert graph.get(key).group_name == "landing"

    # Incremental models: one daily-partitioned group, backfilled in one run; the rest unpartitioned.
    by_unique_id = {graph.get(key).metadata.get("dagster_dbt/unique_id"): key for key in keys}
    nodes = [node for node in manifest["nodes"].values() if node["resource_type"] in {"model", "seed"}]
    incremental = {node["name"] for node in nodes if node["config"].get("materialized") == "incremental"}
    assert "probe_events_per_day" in incremental
    for node in nodes:
        asset = graph.get(by_unique_id[node["unique_id"]])
        if node["name"] in incremental:
            assert asset.group_name == DAILY_GROUP
            assert asset.partitions_def == daily_partitions
            assert asset.backfill_policy == dg.BackfillPolicy.single_run()
        else:
            assert (asset.group_name, asset.partitions_def) == (GROUP, None)
    assert daily_partitions.get_first_partition_key() == FIRST_DAY

    # dbt tests of severity error are blocking checks; the quarantine check only warns.
    checks = {check_key: graph.get_check_spec(check_key) for check_key in graph.asset_check_keys}
    people = dg.AssetKey(["landing", "people"])
    assert checks[dg.AssetCheckKey(people, "source_unique_landing_people_employee_id")].blocking
    assert not checks[dg.AssetCheckKey(people, "nothing_quarantined")].blocking
    dbt_checks = {
        key: manifest["nodes"][spec.metadata[UNIQUE_ID]]
        for key, spec in checks.items()
        if UNIQUE_ID in spec.metadata
    }
    errors = [
        key for key, node in dbt_checks.items() if (node["config"]["severity"] or "").lower() == "error"
    ]
    assert errors and all(checks[check_key].blocking for check_key in errors)

    # Publish depends directly on every dbt model and seed, so any failed blocking check holds it.
    assert graph.get(PUBLISHED_KEY).parent_keys == {
        key for unique_id, key in by_unique_id.items() if unique_id
    }

    # The published marts also carry the Great Expectations checks: the contract one blocks.
    for node in nodes:
        if node["config"].get("schema") == "marts" and node["name"] in PUBLISHED_MARTS:
            key = by_unique_id[node["unique_id"]]
            assert checks[dg.AssetCheckKey(key, GX_CONTRACT)].blocking
            assert not checks[dg.AssetCheckKey(key, GX_PLAUSIBILITY)].blocking


def test_a_project_without_incremental_models_has_no_partitions(tmp_path: Path, landing: Path) -> None:
    """Only the staging layer (views): one unpartitioned dbt group, and the daily schedule and the
    sensor ask for plain runs."""
    project = copy_project(tmp_path / "staging_only")
    for layer in ("intermediate", "marts", "semantic"):
        shutil.rmtree(project / "models" / layer, ignore_errors=True)
    defs = build_definitions(project, warehouse_at(landing, tmp_path))
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups == {"landing", GROUP, "publish"}
    # Only the vendor pulls whose APIs answer one day per call are partitioned.
    assert {key.path[0] for key in partitioned_keys(defs)} == {"fetch"}

    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 5, 20, 6, tzinfo=UTC))
    assert defs.resolve_schedule_def(DAILY_SCHEDULE)(context).partition_key is None
    sensor = defs.resolve_sensor_def(LANDING_SENSOR)
    first = sensor(dg.build_sensor_context(cursor=None, resources={"warehouse": defs.resources["warehouse"]}))
    assert first.run_requests and all(
        PARTITION_RANGE_START not in request.tags for request in first.run_requests
    )


def test_full_build_publishes_the_marts_while_readers_keep_reading(built: Build, project: Path) -> None:
    assert built.full.success
    graph = built.defs.resolve_asset_graph()
    # Everything but the vendor pulls: a build never calls a vendor's API.
    pulls = {key for key in graph.get_all_asset_keys() if key.path[0] == "fetch"}
    assert pulls and materialized(built.full) == set(graph.get_all_asset_keys()) - pulls

    # Every check ran; a failed one can only be a warning, which never blocks.
    evaluations = built.full.get_asset_check_evaluations()
    assert {evaluation.asset_check_key for evaluation in evaluations} == set(graph.asset_check_keys)
    for evaluation in evaluations:
        assert evaluation.passed or evaluation.severity == dg.AssetCheckSeverity.WARN, evaluation
        assert evaluation.passed or not graph.get_check_spec(evaluation.asset_check_key).blocking

    # The published file holds every marts model of the manifest, row for row as built.
    published = built.defs.resources["warehouse"].published_path
    marts = {
        name
        for (name,) in query(
            published, "select table_name from information_schema.tables where table_schema = 'marts'"
        )
    }
    expected = {
        node["alias"]
        for node in manifest_of(project)["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == "marts"
    }
    assert marts == expected
    for name in marts:
        count = f'select count(*) from marts."{name}"'
        assert query(published, count) == query(working_path(published), count)

    # Readers never failed: the one holding its connection kept the old warehouse (raw only), the
    # one reconnecting saw the old, then the new one.
    hold, reopen = built.readers["hold"], built.readers["reopen"]
    assert hold["errors"] == [] and reopen["errors"] == []
    assert hold["queries"] > 20 and reopen["queries"] > 20
    assert hold["marts_seen"] == [0]
    assert reopen["marts_seen"] == [0, len(marts)]


def test_dbt_assets_carry_the_schema_dbt_built(built: Build) -> None:
    """Each model's materialisation lists the columns of the relation dbt created, as the UI shows."""
    published = built.defs.resources["warehouse"].published_path
    events = {
        event.asset_key: event.materialization for event in built.full.get_asset_materialization_events()
    }
    for key in [dg.AssetKey(["staging", "stg_landing__people"]), PROBE_KEY]:
        schema, table = key.path
        columns = [column.name for column in events[key].metadata["dagster/column_schema"].value.columns]
        built_columns = query(
            published,
            "select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{table}' order by ordinal_position",
        )
        assert columns == [name for (name,) in built_columns]
    assert query(published, "select count(*) from staging.stg_landing__people")[0][0] >= 12


def test_ingest_reports_rows_and_quarantine_by_reason(built: Build) -> None:
    """The first run read every file; its materialisations say what raw and raw._quarantine hold."""
    published = built.defs.resources["warehouse"].published_path
    expected: dict[str, dict[str, int]] = {}
    for table, reason, count in query(
        published, "select table_name, reason_code, count(*) from raw._quarantine group by all"
    ):
        expected.setdefault(table, {})[reason] = count
    events = {
        event.asset_key: event.materialization for event in built.ingest.get_asset_materialization_events()
    }
    files = {
        table: count
        for table, count in query(
            published, "select table_name, count(*) from raw._ingested_files group by all"
        )
    }
    for name in TABLES:
        metadata = {
            entry: value.value for entry, value in events[dg.AssetKey(["landing", name])].metadata.items()
        }
        assert metadata["dagster/row_count"] == query(published, f"select count(*) from raw.{name}")[0][0]
        assert metadata["files_read"] == files.get(name, 0)
        assert metadata["quarantined_by_reason"] == expected.get(name, {})
        assert metadata["rows_quarantined"] == sum(expected.get(name, {}).values())
        assert metadata["rows_read"] == (
            metadata["rows_loaded"] + metadata["rows_deduplicated"] + metadata["rows_quarantined"]
        )
    assert sum(sum(reasons.values()) for reasons in expected.values()) > 0, "the sample lands some bad rows"

    # The quarantine check warns exactly where rows were quarantined.
    warned = {
        evaluation.asset_key.path[-1]
        for evaluation in built.ingest.get_asset_check_evaluations()
        if evaluation.check_name == "nothing_quarantined" and not evaluation.passed
    }
    assert warned == set(expected)


def test_a_full_range_run_hands_dbt_the_whole_window(built: Build) -> None:
    """probe_events_per_day counted, per UTC day from 2026-05-04 to 2026-05-24, what staging holds."""
    published = built.defs.resources["warehouse"].published_path
    probe = dict(query(published, "select event_date, events from probe.probe_events_per_day"))
    staged = dict(
        query(
            published,
            "select cast(occurred_at as date), count(*) from staging.stg_landing__ai_usage_events "
            f"where occurred_at >= '{FIRST_DAY}' and occurred_at < '2026-05-25' group by all",
        )
    )
    assert probe == staged
    assert min(probe) == date(2026, 5, 4) and max(probe) == date(2026, 5, 24)


def test_daily_schedule_builds_yesterdays_partition(
    scratch_build: dg.Definitions, instance: dg.DagsterInstance
) -> None:
    defs = scratch_build
    schedule = defs.resolve_schedule_def(DAILY_SCHEDULE)
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 5, 20, 6, tzinfo=UTC))
    request = schedule(context)
    assert request.partition_key == "2026-05-19"
    assert schedule.cron_schedule == "0 6 * * *" and schedule.execution_timezone == "UTC"
    unpartitioned = build_daily_schedule(partitioned=False)(context)
    assert unpartitioned.partition_key is None

    # Run the probe for that partition on an emptied table: dbt got the window of that one day.
    work = working_path(defs.resources["warehouse"].published_path)
    execute(work, "delete from probe.probe_events_per_day")
    result = run_job(defs, instance, [PROBE_KEY], partition_key=request.partition_key, tags=request.tags)
    assert result.success
    day_count = query(
        work,
        "select count(*) from staging.stg_landing__ai_usage_events "
        "where occurred_at >= '2026-05-19' and occurred_at < '2026-05-20'",
    )[0][0]
    assert query(work, "select event_date, events from probe.probe_events_per_day") == [
        (date(2026, 5, 19), day_count)
    ]


def test_sensor_requests_runs_for_new_files_only(tmp_path: Path, defs: dg.Definitions) -> None:
    landing, folder = tmp_path / "landing", tmp_path / "warehouse"
    folder.mkdir()
    warehouse = warehouse_at(landing, folder)
    sensor = defs.resolve_sensor_def(LANDING_SENSOR)
    partitioned = partitioned_keys(defs)

    # A build holds the working file's write lock the whole time: the sensor must not need it.
    lock = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); time.sleep(120)",
            str(warehouse.working_path),
        ]
    )
    try:
        events_file = landing / "ai_usage_events" / "date=2026-05-19" / "part-0.csv"
        events_file.parent.mkdir(parents=True)
        events_file.write_text(
            "event_id,occurred_at,source_tool,actor_id,model,input_tokens,output_tokens\n"
            "e1,2026-05-19T09:00:00Z,cursor,ada@example.com,gpt-5,10,1\n"
        )
        (landing / "people" / "_SUCCESS").parent.mkdir(parents=True)
        (landing / "people" / "_SUCCESS").write_text("")

        first = sensor(dg.build_sensor_context(cursor=None, resources={"warehouse": warehouse}))
        [request] = first.run_requests
        assert set(request.asset_selection) == {EVENTS_KEY} | downstream(defs, EVENTS_KEY) | {
            dg.AssetKey(["landing", "_quarantine"]),
            dg.AssetKey(["landing", "_ingested_files"]),
        } | downstream(defs, dg.AssetKey(["landing", "_quarantine"]))
        assert request.tags["airoi/tables"] == "ai_usage_events"
        # The file sits in a date=2026-05-19 folder: the partitions of that day and its neighbours.
        assert (request.tags[PARTITION_RANGE_START], request.tags[PARTITION_RANGE_END]) == (
            "2026-05-18",
            "2026-05-20",
        )

        again = sensor(dg.build_sensor_context(cursor=first.cursor, resources={"warehouse": warehouse}))
        assert again.run_requests == [] and again.skip_reason

        teams_file = landing / "teams" / "teams.csv"
        teams_file.parent.mkdir()
        teams_file.write_text("team_id,team_name\nt1,Platform\n")
        third = sensor(dg.build_sensor_context(cursor=again.cursor, resources={"warehouse": warehouse}))
        [request] = third.run_requests
        assert TEAMS_KEY in request.asset_selection and EVENTS_KEY not in request.asset_selection
        assert request.tags["airoi/tables"] == "teams"
        if set(request.asset_selection) & partitioned:
            assert request.tags[PARTITION_RANGE_START] == FIRST_DAY
        else:
            assert PARTITION_RANGE_START not in request.tags

        # A file rewritten in place (new size and time) is new again; the untouched one is not.
        with events_file.open("a") as handle:
            handle.write("e2,2026-05-19T10:00:00Z,cursor,ada@example.com,gpt-5,20,2\n")
        os.utime(events_file, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
        fourth = sensor(dg.build_sensor_context(cursor=third.cursor, resources={"warehouse": warehouse}))
        [request] = fourth.run_requests
        assert request.tags["airoi/tables"] == "ai_usage_events"
        assert lock.poll() is None, "the lock holder is still running"
    finally:
        lock.kill()
        lock.wait()


def test_a_failing_blocking_check_stops_everything_downstream(
    scratch_build: dg.Definitions, instance: dg.DagsterInstance
) -> None:
    """A duplicate team key in raw: the key test of the landing table fails, so dbt skips every
    model that reads it and publish never runs, while models that do not read it still build."""
    defs = scratch_build
    warehouse = defs.resources["warehouse"]
    published_before = warehouse.published_path.read_bytes()
    execute(warehouse.working_path, "insert into raw.teams select * from raw.teams limit 1")
    stg_people = dg.AssetKey(["staging", "stg_landing__people"])
    selection = downstream(defs, TEAMS_KEY) | {stg_people}
    extra = {"partition_key": "2026-05-19"} if selection & partitioned_keys(defs) else {}

    result = run_job(defs, instance, sorted(selection, key=str), **extra)

    assert not result.success
    graph = defs.resolve_asset_graph()
    failed = [evaluation for evaluation in result.get_asset_check_evaluations() if not evaluation.passed]
    assert [(evaluation.asset_key, evaluation.check_name) for evaluation in failed] == [
        (TEAMS_KEY, "source_unique_landing_teams_team_id")
    ]
    assert graph.get_check_spec(failed[0].asset_check_key).blocking
    built = materialized(result)
    assert stg_people in built
    assert not built & downstream(defs, TEAMS_KEY)
    assert PUBLISHED_KEY in downstream(defs, TEAMS_KEY)
    assert warehouse.published_path.read_bytes() == published_before


#: A process that opens the working file read-write, as a notebook's plain duckdb.connect() does,
#: and keeps DuckDB's write lock until it is killed.
LOCK_HOLDER = (
    "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('holding', flush=True); "
    "time.sleep(300)"
)


def one_line_failure(result: dg.ExecuteInProcessResult) -> tuple[str, str]:
    """The failed step of a run and the line it failed with: the description of a dg.Failure with
    no DuckDB exception behind it."""
    assert not result.success
    [failure] = result.get_step_failure_events()
    data = failure.event_specific_data
    assert data.user_failure_data is not None, data.error.to_string()
    line = data.user_failure_data.description
    assert "\n" not in line and "Traceback" not in line, line
    assert data.error.cause is None and data.error.context is None, data.error.to_string()
    return failure.step_key, line


def test_a_process_holding_the_working_file_fails_each_step_in_one_line(
    scratch_build: dg.Definitions, instance: dg.DagsterInstance
) -> None:
    """Ingest, dbt, the Great Expectations checks and publish each fail with the line `airoi build`
    prints: which process holds the working file and what to do, not DuckDB's traceback."""
    defs = scratch_build
    warehouse = defs.resources["warehouse"]
    work = warehouse.working_path
    published_before = warehouse.published_path.read_bytes()
    stg_teams = dg.AssetKey(["staging", "stg_landing__teams"])
    gx_check = dg.AssetCheckKey(dg.AssetKey(["marts", "fct_team_weekly"]), GX_CONTRACT)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(work)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        results = [
            run_job(defs, instance, [TEAMS_KEY]),
            run_job(defs, instance, [stg_teams]),
            dg.materialize(
                [*defs.assets, *defs.asset_checks],
                selection=dg.AssetSelection.checks(gx_check),
                instance=instance,
                resources=defs.resources,
                raise_on_error=False,
            ),
            run_job(defs, instance, [PUBLISHED_KEY]),
        ]
    finally:
        holder.kill()
        holder.wait()

    failures = dict(one_line_failure(result) for result in results)
    assert set(failures) == {
        "landing_ingest",
        "dbt_models",
        "great_expectations_marts",
        "published__warehouse",
    }
    for line in failures.values():
        assert line.startswith(f"{work} is locked by ")
        assert f"(PID {holder.pid}): another build, or a process that opened it read-write" in line
        assert line.endswith("stop that process and build again")
    assert warehouse.published_path.read_bytes() == published_before


@pytest.mark.parametrize("step", ["landing_ingest", "dbt_models"])
def test_a_bad_memory_limit_fails_the_step_in_one_line(
    scratch_build: dg.Definitions, instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    monkeypatch.setenv("AIROI_DUCKDB_MEMORY_LIMIT", "8 gigs")
    selection = {"landing_ingest": TEAMS_KEY, "dbt_models": dg.AssetKey(["staging", "stg_landing__teams"])}

    failed_step, line = one_line_failure(run_job(scratch_build, instance, [selection[step]]))

    assert failed_step == step
    assert line.startswith("AIROI_DUCKDB_MEMORY_LIMIT='8 gigs' is not a memory size DuckDB accepts")
    assert line.endswith("set it to e.g. 4GB or 500MB")


def test_publish_and_the_report_read_the_new_files_while_this_process_holds_the_old(
    scratch_build: dg.Definitions, instance: dg.DagsterInstance
) -> None:
    """In a process holding a connection to the published file and the BI face, the publish step
    summarised, and the report drew, the files that process had opened first."""
    defs = scratch_build
    warehouse = defs.resources["warehouse"]
    published, face = warehouse.published_path, bi_path(warehouse.published_path)
    execute(
        warehouse.working_path,
        "delete from marts.fct_team_weekly "
        "where week_start = (select min(week_start) from marts.fct_team_weekly)",
    )
    team_weeks = query(warehouse.working_path, "select count(*) from marts.fct_team_weekly")[0][0]
    held = [duckdb.connect(str(path), read_only=True) for path in (published, face)]
    try:
        old_team_weeks = held[0].execute("select count(*) from marts.fct_team_weekly").fetchone()[0]
        old_about = dict(held[1].execute("select item, value from bi.about").fetchall())
        time.sleep(1)  # the BI face says when it was published, to the second
        result = run_job(defs, instance, [PUBLISHED_KEY, BI_KEY, REPORT_KEY])
    finally:
        for con in held:
            con.close()

    assert result.success
    assert team_weeks < old_team_weeks
    [summary] = [
        event.materialization.metadata["marts"].value
        for event in result.get_asset_materialization_events()
        if event.asset_key == PUBLISHED_KEY
    ]
    assert f"| marts.fct_team_weekly | {team_weeks:,} |" in summary
    with connect_published(face) as con:
        about = dict(con.execute("select item, value from bi.about").fetchall())
    assert about["published_at"] != old_about["published_at"]
    assert about["published_at"] in report_path(published).read_text()


def reexecutable_job() -> dg.JobDefinition:
    """The warehouse job over the project and files the environment names, as Dagster rebuilds it
    to re-execute a run."""
    warehouse = WarehouseResource(
        landing_dir=os.environ["AIROI_LANDING_DIR"], warehouse=os.environ["AIROI_WAREHOUSE"]
    )
    return build_definitions(Path(os.environ["AIROI_PROJECT_DIR"]), warehouse).resolve_job_def(WAREHOUSE_JOB)


def test_a_failed_model_shows_dbts_error_and_reexecutes_from_failure(
    scratch_build: dg.Definitions,
    instance: dg.DagsterInstance,
    project: Path,
    landing: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warehouse = scratch_build.resources["warehouse"]
    monkeypatch.setenv("AIROI_PROJECT_DIR", str(project))
    monkeypatch.setenv("AIROI_LANDING_DIR", str(landing))
    monkeypatch.setenv("AIROI_WAREHOUSE", warehouse.warehouse)
    execute(
        warehouse.working_path, "insert into raw.teams (team_id, team_name) values ('t-probe', 'probe: fail')"
    )
    job = dg.reconstructable(reexecutable_job)
    stg_teams = dg.AssetKey(["staging", "stg_landing__teams"])

    with dg.execute_job(job, instance, asset_selection=[stg_teams, FAILING_KEY, PUBLISHED_KEY]) as failed:
        assert not failed.success
        [failure] = failed.get_step_failure_events()
        error = failure.event_specific_data.error
        messages = []
        while error is not None:
            messages.append(error.message)
            error = error.cause
        assert "probe model failed on team t-probe" in "\n".join(messages)
        assert materialized(failed) == {stg_teams}
        run_id = failed.run_id

    execute(warehouse.working_path, "update raw.teams set team_name = 'Probe team' where team_id = 't-probe'")
    options = dg.ReexecutionOptions.from_failure(run_id, instance)
    with dg.execute_job(job, instance, reexecution_options=options) as retried:
        assert retried.success
        assert {FAILING_KEY, PUBLISHED_KEY} <= materialized(retried)
    assert query(
        warehouse.published_path, "select team_name from probe.probe_team_names where team_id = 't-probe'"
    ) == [("Probe team",)]
