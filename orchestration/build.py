"""`airoi build`: ingest the landing zone, build the dbt project, publish a read-only copy.

The three steps run in this order because DuckDB allows one writer per file: ingest writes the
working file and closes it, dbt (in its own process) writes it and exits, and only when every
blocking check passed is the working file copied over the published one with an atomic rename.
A failed build therefore leaves the last good warehouse in place for the readers.

What can go wrong outside the data ends in one line that says what to do: another build of the same
warehouse (a lock file beside it says which process), a process holding DuckDB's lock on the working
or the published file, a memory limit DuckDB does not accept, and running out of memory. dbt dies
with the build: it runs in its own process group and gets SIGKILL when its parent dies. Dagster's
steps call the same functions and fail with the same line (orchestration.defs.failures).
"""

from __future__ import annotations

import collections
import ctypes
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.bi.face import bi_path
from orchestration.bi.readers import publish_for_readers
from orchestration.landing import IngestReport, LandingError, ingest
from orchestration.landing.vendors import ExportError
from orchestration.landing.vendors.git import capture as capture_git_log
from orchestration.published import connect_published, first_line, lock_holder, wal_path
from orchestration.quality.suites import WarehouseValidation, validate_warehouse
from orchestration.report import report_path
from orchestration.settings import PROJECT_DIR, dbt_target_path, quiet_environment, spill_dir, working_path


class BuildError(Exception):
    """The build did not pass; the message says which step and what failed."""


@dataclass
class DbtFailure:
    unique_id: str
    status: str
    message: str

    def render(self) -> str:
        return f"  {self.status.upper():<6} {self.unique_id}: {self.message}"


@dataclass
class DbtResult:
    returncode: int
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[DbtFailure] = field(default_factory=list)
    warnings: list[DbtFailure] = field(default_factory=list)
    #: One line that says what to change, when the failure is the machine's and not the data's.
    diagnosis: str | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.failures


def dbt_environment(work: Path) -> dict[str, str]:
    env = quiet_environment()
    env["AIROI_DUCKDB_PATH"] = str(work.resolve())
    env["AIROI_DUCKDB_TEMP_DIR"] = str(spill_dir(work))
    return env


def run_dbt(args: list[str], work: Path, target_path: Path | None = None, quiet: bool = False) -> DbtResult:
    """Run dbt in its own process against `work` and read back what happened from run_results.json.

    A separate process guarantees dbt's DuckDB connection is closed when it returns, so the file can
    be copied or opened by the next step. It runs in its own process group and is killed when this
    process dies or is interrupted, so it never outlives the build holding the working file. Its
    output passes through (or is kept, `quiet`), and the last of it is read for a failure of the
    machine rather than of the data: out of memory, a lock held by another process.
    """
    spill_dir(work).mkdir(parents=True, exist_ok=True)
    memory_limit()
    target = target_path or Path(os.environ.get("AIROI_DBT_TARGET_PATH") or dbt_target_path(work))
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target),
    ]
    results_file = target / "run_results.json"
    before = results_file.stat().st_mtime_ns if results_file.exists() else None
    tail: collections.deque[str] = collections.deque(maxlen=200)
    with subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=dbt_environment(work),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        process_group=0,
        preexec_fn=_die_with(os.getpid()),
    ) as process:
        try:
            assert process.stdout is not None
            for line in process.stdout:
                tail.append(line)
                if not quiet:
                    sys.stdout.write(line)
                    sys.stdout.flush()
            returncode = process.wait()
        except BaseException:
            process.kill()
            raise
    result = DbtResult(returncode=returncode)
    # A run that stopped before writing results leaves the previous run's file behind.
    if results_file.exists() and results_file.stat().st_mtime_ns != before:
        for node in json.loads(results_file.read_text())["results"]:
            status = node["status"]
            result.counts[status] = result.counts.get(status, 0) + 1
            entry = DbtFailure(node["unique_id"], status, (node.get("message") or "").strip())
            if status in {"error", "fail", "runtime error"}:
                result.failures.append(entry)
            elif status == "warn":
                result.warnings.append(entry)
    output = "".join(tail)
    result.diagnosis = diagnose(" ".join([output, *(failure.message for failure in result.failures)]), work)
    if returncode != 0 and not result.failures:
        message = result.diagnosis or "\n".join(output.strip().splitlines()[-20:])
        result.failures.append(DbtFailure("dbt", "error", f"dbt exited with {returncode}: {message}"))
    return result


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> Callable[[], None]:
    """What the dbt process runs before it starts: ask the kernel for SIGKILL when its parent dies,
    so killing `airoi build` never leaves dbt holding the working file for the next build."""
    libc = ctypes.CDLL(None, use_errno=True)

    def arrange() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return arrange


#: What profiles.yml gives DuckDB when AIROI_DUCKDB_MEMORY_LIMIT is not set.
DEFAULT_MEMORY_LIMIT = "8GB"


def memory_limit() -> str:
    """AIROI_DUCKDB_MEMORY_LIMIT, checked the way DuckDB reads it, so a typo stops the build at once."""
    value = os.environ.get("AIROI_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
    try:
        duckdb.connect(config={"memory_limit": value}).close()
    except duckdb.Error as error:
        raise BuildError(
            f"AIROI_DUCKDB_MEMORY_LIMIT={value!r} is not a memory size DuckDB accepts "
            f"({first_line(error)}); set it to e.g. 4GB or 500MB"
        ) from error
    return value


def duckdb_config(work: Path) -> dict[str, str]:
    """The settings DuckDB takes when it opens `work`, as dbt's profile passes them (config_options).

    Whatever opens the working file in a process where dbt may have it open (dagster-dbt reads the
    built schemas in the process that runs every step) must pass exactly these: DuckDB refuses a
    second open of a file in one process with other settings.
    """
    return {"memory_limit": memory_limit(), "temp_directory": str(spill_dir(work))}


def out_of_memory(step: str, work: Path) -> str:
    return (
        f"{step} ran out of memory: DuckDB needed more than AIROI_DUCKDB_MEMORY_LIMIT="
        f"{os.environ.get('AIROI_DUCKDB_MEMORY_LIMIT', DEFAULT_MEMORY_LIMIT)} even after spilling to "
        f"{spill_dir(work)}; raise the limit, or set AIROI_DBT_THREADS=1 so fewer models run at once"
    )


def locked(path: Path, holder: str) -> str:
    return (
        f"{path} is locked by {holder}: another build, or a process that opened it read-write "
        "(readers must connect read-only); stop that process and build again"
    )


def diagnose(text: str, work: Path) -> str | None:
    """The line to show for a failure of the machine in dbt's output or errors about `work`: out of
    memory, or a lock another process holds on the file. None when the failure is the data's."""
    if "Out of Memory Error" in text:
        return out_of_memory("dbt build", work)
    holder = lock_holder(Exception(text))
    if holder is not None:
        return locked(work, holder)
    return None


@contextmanager
def one_line_failures(step: str, work: Path) -> Iterator[None]:
    """Run `step` on the working file with the machine's failures raised as BuildError in one line:
    another process holding DuckDB's lock on the file, running out of memory."""
    try:
        yield
    except duckdb.OutOfMemoryException as error:
        raise BuildError(out_of_memory(step, work)) from error
    except duckdb.IOException as error:
        holder = lock_holder(error)
        if holder is None:
            raise
        raise BuildError(locked(work, holder)) from error


def publish(work: Path, published: Path) -> None:
    """Swap a consistent copy of the working file in as the published warehouse.

    The copy is written next to the target and renamed over it, which is atomic on one file system:
    a reader that has the old file open keeps its snapshot, a reader that opens it afterwards gets
    the new one, and nobody sees a half-written file. The copy is read-only on disk (0444) and is
    opened read-only before and after the swap, so a publish that reports success left a file that
    opens. A write-ahead log beside the published file belongs to an old file (a process that opened
    it read-write and died) and would lock every reader out of the new one, so it goes.
    """
    with connect_working(work, "publish") as con:
        con.execute("checkpoint")
    _refuse_when_open_for_writing(published)
    staging = published.with_name(f".{published.name}.publishing")
    for leftover in (staging, wal_path(staging)):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(work, staging)
    with staging.open("rb+") as handle:
        os.fsync(handle.fileno())
    staging.chmod(0o444)
    try:
        _verify(staging, "the copy to publish")
    except BuildError:
        staging.unlink()
        raise
    wal_path(published).unlink(missing_ok=True)
    staging.replace(published)
    wal_path(published).unlink(missing_ok=True)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    _verify(published, "the published warehouse")


def _refuse_when_open_for_writing(published: Path) -> None:
    """A process with the published file open read-write holds DuckDB's lock, which shuts every
    reader out; swapping the file under it would not help them, so say who it is instead."""
    if not published.exists():
        return
    try:
        connect_published(published).close()
    except duckdb.Error as error:
        holder = lock_holder(error)
        if holder is not None:
            raise BuildError(locked(published, holder)) from error


def _verify(path: Path, what: str) -> None:
    try:
        with connect_published(path) as con:
            con.execute("select count(*) from information_schema.tables").fetchone()
    except duckdb.Error as error:
        raise BuildError(f"{what} {path} does not open read-only: {first_line(error)}") from error


@contextmanager
def connect_working(work: Path, step: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The working file open for `step` with the settings dbt's profile opens it with, closed after."""
    work.parent.mkdir(parents=True, exist_ok=True)
    config = duckdb_config(work)
    Path(config["temp_directory"]).mkdir(parents=True, exist_ok=True)
    with one_line_failures(step, work), duckdb.connect(str(work), config=config) as con:
        # Set once open, as the profile's `settings` are: DuckDB compares only what it was opened with.
        con.execute("set preserve_insertion_order = false")
        yield con


def run_ingest(landing: Path, work: Path, tables: list[str] | None = None) -> IngestReport:
    with connect_working(work, "ingest") as con:
        return ingest(con, landing, tables=tables, progress=sys.stderr.isatty())


def validate_working(
    work: Path, docs_dir: Path | None, marts: Collection[str] | None = None
) -> WarehouseValidation:
    """The Great Expectations suites of `marts` on the working file, read-only, before publish."""
    with one_line_failures("checks", work):
        return validate_warehouse(work, docs_dir=docs_dir, marts=marts)


@contextmanager
def build_lock(warehouse: Path) -> Iterator[None]:
    """Hold `<warehouse>.build.lock` for the length of a build, so a second build of the same
    warehouse stops at once and names the first. The kernel drops the lock when its process dies."""
    path = warehouse.with_name(f"{warehouse.name}.build.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BuildError(
                f"another airoi build (PID {holder}) is building {warehouse}; wait for it to finish"
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)


@dataclass(frozen=True)
class StepTiming:
    """One step of a build: when it started (seconds since the epoch) and how long it took."""

    step: str
    started_at: float
    seconds: float


@dataclass
class StepClock:
    """The steps of one build as they run, so an operator (and `airoi bench`) sees where time goes."""

    steps: list[StepTiming] = field(default_factory=list)

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        started_at, clock = time.time(), time.monotonic()
        try:
            yield
        finally:
            self.steps.append(StepTiming(step, started_at, time.monotonic() - clock))

    def render(self) -> str:
        return "Steps: " + ", ".join(f"{timing.step} {timing.seconds:.1f} s" for timing in self.steps)


@dataclass
class BuildResult:
    ingest: IngestReport
    #: None when nothing changed since the published build, which then stays as it is.
    dbt: DbtResult | None
    quality: WarehouseValidation | None
    published: Path
    #: (model, events, tokens) of models no price table prices, from the published warehouse.
    unpriced: list[tuple[str, int, int]] = field(default_factory=list)
    steps: list[StepTiming] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.dbt is None


#: What a published build is made of besides the data: the dbt project, and the code that checks it
#: and writes the readers' copy and the report. A change to any of these rebuilds even when no file
#: is new.
_PROJECT_PARTS = (
    "models",
    "macros",
    "seeds",
    "data-tests",
    "orchestration/quality",
    "orchestration/bi",
    "orchestration/report",
)
_PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
#: The working file's record of the published build: the last load it holds and what built it.
PUBLISHED_STATE = "raw._published_build"
_PUBLISHED_STATE_DDL = f"create table if not exists {PUBLISHED_STATE} (load_id integer, fingerprint varchar)"


def project_fingerprint(dbt_args: Sequence[str] = ()) -> str:
    """A hash of everything besides the landed data that decides what a build publishes."""
    digest = hashlib.sha256(json.dumps(list(dbt_args)).encode())
    paths = [PROJECT_DIR / name for name in _PROJECT_FILES]
    for part in _PROJECT_PARTS:
        paths += sorted(
            path
            for path in (PROJECT_DIR / part).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        )
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _last_load(con: duckdb.DuckDBPyConnection) -> int | None:
    return con.execute("select max(_load_id) from raw._ingested_files").fetchone()[0]


def unchanged_since_published(work: Path, warehouse: Path, fingerprint: str) -> bool:
    """True when the published warehouse was built from every file the working file holds, by the
    same project: a new build would publish the same marts."""
    if not warehouse.exists():
        return False
    with connect_working(work, "ingest") as con:
        con.execute(_PUBLISHED_STATE_DDL)
        recorded = con.execute(f"select load_id, fingerprint from {PUBLISHED_STATE}").fetchone()
        current = _last_load(con)
    if recorded is None or recorded != (current, fingerprint):
        return False
    try:
        with connect_published(warehouse) as con:
            return _last_load(con) == current
    except duckdb.Error:
        return False


def record_published(work: Path, fingerprint: str) -> None:
    with connect_working(work, "publish") as con:
        con.execute(_PUBLISHED_STATE_DDL)
        con.execute(f"delete from {PUBLISHED_STATE}")
        con.execute(f"insert into {PUBLISHED_STATE} values (?, ?)", [_last_load(con), fingerprint])


def build(
    landing: Path, warehouse: Path, dbt_args: list[str] | None = None, git_repos: Sequence[Path] = ()
) -> BuildResult:
    """Ingest `landing` (first saving `git log` of each of `git_repos` into it), build and test every
    model, validate the marts, publish to `warehouse`.

    Raises BuildError, and leaves the published file as it was, when a landing file or a repository
    cannot be read, a dbt model or error-severity test fails, or a blocking Great Expectations
    expectation fails.
    """
    if not landing.is_dir():
        raise BuildError(f"landing zone {landing} does not exist or is not a folder")
    memory_limit()
    with build_lock(warehouse):
        for repository in git_repos:
            try:
                capture_git_log(repository, landing)
            except ExportError as error:
                raise BuildError(f"--git-repo: {error}") from error
        return _build(landing, warehouse, dbt_args)


def _build(landing: Path, warehouse: Path, dbt_args: list[str] | None) -> BuildResult:
    work = working_path(warehouse)
    step = StepClock()
    fingerprint = project_fingerprint(dbt_args or [])
    try:
        with step("ingest"):
            report = run_ingest(landing, work)
    except LandingError as error:
        raise BuildError(f"ingest failed, nothing was loaded:\n{error}") from error
    print(report.render(), flush=True)
    if unchanged_since_published(work, warehouse, fingerprint):
        print(f"Nothing new since the published build: {warehouse} stays as it is.", flush=True)
        print(step.render(), flush=True)
        with connect_published(warehouse) as con:
            unpriced = unpriced_models(con)
        return BuildResult(report, None, None, warehouse, unpriced=unpriced, steps=step.steps)
    with step("dbt build"):
        # Unit tests check the models' logic on fixed rows, not the data: the test suite runs them.
        result = run_dbt(["build", "--exclude", "resource_type:unit_test", *(dbt_args or [])], work)
    if result.diagnosis is not None:
        raise BuildError(result.diagnosis)
    if not result.ok:
        lines = "\n".join(failure.render() for failure in result.failures)
        raise BuildError(
            f"dbt build failed; the published warehouse {warehouse} was left as it was.\n{lines}"
        )
    with step("checks"):
        quality = validate_working(work, docs_dir=warehouse.parent / "gx_docs")
    print(quality.render(), flush=True)
    if not quality.blocking_success:
        raise BuildError(
            f"blocking data-quality expectations failed; {warehouse} was left as it was (details above)."
        )
    with step("publish"):
        publish(work, warehouse)
        record_published(work, fingerprint)
    with step("readers"):
        readers = publish_for_readers(warehouse)
    print(readers.render(), flush=True)
    with connect_published(warehouse) as con:
        unpriced = unpriced_models(con)
    print(step.render(), flush=True)
    return BuildResult(
        ingest=report, dbt=result, quality=quality, published=warehouse, unpriced=unpriced, steps=step.steps
    )


def unpriced_models(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int]]:
    """(model, events, tokens) of every model with usage that no price table prices."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'mart_unpriced_models'"
    ).fetchone()[0]
    if not exists:
        return []
    return con.execute(
        "select model, unpriced_events, unpriced_tokens from marts.mart_unpriced_models order by model"
    ).fetchall()


def render_unpriced(unpriced: list[tuple[str, int, int]]) -> list[str]:
    if not unpriced:
        return []
    return [
        "",
        f"Unpriced models: {len(unpriced)} (their tokens count, their cost is missing: weekly cost is "
        "incomplete, fct_engineer_weekly.is_ai_cost_complete; land a price in model_prices)",
        *(f"  {model:<32} {events:>10,} events {tokens:>16,} tokens" for model, events, tokens in unpriced),
    ]


def summary(warehouse: Path) -> str:
    """What a newcomer needs after a build: what is in the marts, what was quarantined, how to look."""
    lines = [f"Warehouse: {warehouse.resolve()}", "", "Marts:"]
    with connect_published(warehouse) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        ).fetchall()
        for schema, name in tables:
            count = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            lines.append(f"  {schema}.{name:<40} {count:>12,} rows")
        quarantine = con.execute(
            "select table_name, reason_code, count(*) from raw._quarantine "
            "group by all order by table_name, reason_code"
        ).fetchall()
        unpriced = unpriced_models(con)
    lines += ["", f"Quarantined rows: {sum(row[2] for row in quarantine):,}"]
    lines += [f"  {table:<24} {reason:<21} {count:>8,}" for table, reason, count in quarantine]
    lines += render_unpriced(unpriced)
    lines += [
        "",
        "Look at it:",
        f'  .venv/bin/airoi query --warehouse {warehouse} "select * from marts.fct_team_weekly limit 20"',
        f"  BI tools, read-only: {bi_path(warehouse)} (schema bi, team-level; README: For BI users)",
        f"  the managers' report: {report_path(warehouse)}",
    ]
    return "\n".join(lines)
