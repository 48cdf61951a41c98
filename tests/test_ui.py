"""The operators' UI, end to end: `dg dev` with the instance config of `make ui`, driven over its
GraphQL API like the UI drives it, then looked at in a headless Chromium.

The run launched here ingests the landing zone and publishes (no dbt, which tests/test_dagster.py
builds in full): it goes through the run queue, the daemon and a run worker that loads the code
location on its own, like every run started from the UI.
"""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.cli_runs import CLI_JOB, record_build
from orchestration.generate import generate
from orchestration.landing.contract import TABLES

PROJECT_DIR = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "data-tests", "analyses"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1600,1000",
]
#: Screenshots stay outside git: artifacts/ is ignored.
ARTIFACTS = PROJECT_DIR / "artifacts"

WORKSPACE_QUERY = """
{
  workspaceOrError {
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
}
"""

ASSETS_QUERY = """
{
  assetNodes {
    assetKey { path } groupName isPartitioned
    assetChecksOrError { ... on AssetChecks { checks { name description } } }
  }
  repositoriesOrError {
    ... on RepositoryConnection { nodes { name location { name } jobs { name } } }
    ... on PythonError { message }
  }
}
"""

LAUNCH_RUN = """
mutation Launch($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message stack }
    ... on InvalidSubsetError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}
"""

RUNS_QUERY = """
{
  runsOrError { ... on Runs { results { runId jobName status tags { key value } } } }
}
"""

RUN_STATUS = """
query Status($runId: ID!) {
  runOrError(runId: $runId) { ... on Run { status } ... on PythonError { message } }
}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dagster:
    """A running `dagster dev` and its GraphQL endpoint."""

    def __init__(self, url: str, log: Path, root: Path) -> None:
        self.url = url
        self.log = log
        self.root = root

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = json.loads(response.read())
        assert "errors" not in payload, payload["errors"]
        return payload["data"]

    def wait_for(self, what: str, ready, timeout: float) -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = ready()
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                value = None
            if value:
                return value
            time.sleep(1)
        pytest.fail(f"{what} within {timeout:.0f}s; dagster dev said:\n{self.log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def dagster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dagster]:
    root = tmp_path_factory.mktemp("ui")
    project = root / "airoi"
    project.mkdir()
    for name in PROJECT_PARTS:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        elif source.exists():
            shutil.copy2(source, project / name)
    generate(root / "landing", engineers=12, weeks=3, seed=11, progress=False)
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy2(PROJECT_DIR / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "AIROI_PROJECT_DIR": str(project),
        "AIROI_LANDING_DIR": str(root / "landing"),
        "AIROI_WAREHOUSE": str(root / "warehouse" / "warehouse.duckdb"),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    # A build from the command line, recorded in this instance before the UI starts.
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        record_build(
            root / "landing", root / "warehouse" / "warehouse.duckdb", datetime.now(UTC), 1.0, True, "ok"
        )
    finally:
        os.environ.pop("DAGSTER_HOME")
    log = root / "dagster-dev.log"
    # `make ui`'s command: dg dev serves the project that PROJECT_DIR's pyproject.toml describes.
    command = [
        str(Path(sys.executable).with_name("dg")),
        *("dev", "--use-active-venv", "--target-path", str(PROJECT_DIR)),
        *("--host", "127.0.0.1", "--port", str(port)),
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Dagster(f"http://127.0.0.1:{port}", log, root)
    try:
        server.wait_for("the webserver answers /server_info", lambda: _get(f"{server.url}/server_info"), 180)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def chromium(url: str, *args: str, profile: Path) -> subprocess.CompletedProcess:
    """Chromium with a private profile, after giving the page's scripts time to draw the graph."""
    return subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=20000", *args, url],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def png_summary(path: Path) -> tuple[int, int, int]:
    """Width, height and number of distinct byte values of the pixel data, from the PNG itself."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    offset, pixels = 8, b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            pixels += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return width, height, len(set(zlib.decompress(pixels)))


def loaded_location(dagster: Dagster) -> dict | None:
    """The code location once it has loaded; a load error fails the test with its message."""
    [entry] = dagster.graphql(WORKSPACE_QUERY)["workspaceOrError"]["locationEntries"]
    if entry["loadStatus"] != "LOADED" or entry["locationOrLoadError"] is None:
        return None
    if entry["locationOrLoadError"]["__typename"] == "PythonError":
        pytest.fail(f"the code location did not load:\n{entry['locationOrLoadError']['message']}")
    return entry


def test_operator_launches_a_run_and_sees_the_asset_graph(dagster: Dagster, tmp_path: Path) -> None:
    dagster.wait_for("the code location loads", lambda: loaded_location(dagster), 300)
    data = dagster.graphql(ASSETS_QUERY)
    keys = {"/".join(node["assetKey"]["path"]) for node in data["assetNodes"]}
    assert {f"landing/{name}" for name in TABLES} <= keys
    assert {"published/warehouse", "published/bi", "published/report"} <= keys
    checks = [
        check for node in data["assetNodes"] for check in (node["assetChecksOrError"] or {}).get("checks", [])
    ]
    assert checks and [check["name"] for check in checks if not check["description"]] == []
    assert any(key.startswith("staging/stg_landing__") for key in keys)
    [repository] = data["repositoriesOrError"]["nodes"]
    assert repository["location"]["name"] == "airoi"
    assert {"warehouse_build", CLI_JOB} <= {job["name"] for job in repository["jobs"]}
    # The run of `airoi build` recorded before the server started is in the run history.
    history = dagster.graphql(RUNS_QUERY)["runsOrError"]["results"]
    assert [(run["jobName"], run["status"]) for run in history] == [(CLI_JOB, "SUCCESS")]

    # Launch the job for the ingest assets and publish, as the UI's "Materialize selected" does.
    selection = [{"path": ["landing", name]} for name in TABLES] + [{"path": ["published", "warehouse"]}]
    params = {
        "selector": {
            "repositoryLocationName": repository["location"]["name"],
            "repositoryName": repository["name"],
            "jobName": "warehouse_build",
            "assetSelection": selection,
        },
        "executionMetadata": {"tags": [{"key": "airoi/trigger", "value": "ui-test"}]},
    }
    launched = dagster.graphql(LAUNCH_RUN, {"executionParams": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    status = dagster.wait_for(
        "the run finishes",
        lambda: (
            (state := dagster.graphql(RUN_STATUS, {"runId": run_id})["runOrError"]["status"])
            in {"SUCCESS", "FAILURE", "CANCELED"}
            and state
        ),
        300,
    )
    assert status == "SUCCESS", dagster.log.read_text()[-4000:]

    published = dagster.root / "warehouse" / "warehouse.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        people = con.execute("select count(*) from raw.people").fetchone()[0]
    assert people >= 12

    # The asset graph as an operator sees it: the global lineage of the groups, then the landing
    # group with its assets.
    ARTIFACTS.mkdir(exist_ok=True)
    repository_path = f"{repository['name']}@{repository['location']['name']}"
    pages = {
        "lineage": f"{dagster.url}/asset-groups",
        "landing": f"{dagster.url}/locations/{repository_path}/asset-groups/landing",
    }
    for name, page in pages.items():
        screenshot = tmp_path / f"dagster-{name}.png"
        shot = chromium(page, f"--screenshot={screenshot}", profile=tmp_path / f"chromium-{name}")
        assert screenshot.exists(), shot.stderr[-2000:]
        shutil.copyfile(screenshot, ARTIFACTS / screenshot.name)
        width, height, distinct = png_summary(screenshot)
        assert (width, height) == (1600, 1000)
        assert screenshot.stat().st_size > 30_000 and distinct > 100

    # On a loaded machine the graph can still be loading when the virtual time runs out: look again.
    for _ in range(3):
        lineage = chromium(pages["lineage"], "--dump-dom", profile=tmp_path / "chromium-dom").stdout
        if all(f">{group}<" in lineage for group in ("landing", "dbt", "publish")):
            break
    assert all(f">{group}<" in lineage for group in ("landing", "dbt", "publish")), lineage[-2000:]
    # The graph draws only the nodes in view; the group's list tab names every asset, and it too draws
    # only the rows in view: a window tall enough for the whole group (its tables and the vendors'
    # fetch assets).
    landing = chromium(
        f"{pages['landing']}/list", "--window-size=1600,6000", "--dump-dom", profile=tmp_path / "chromium-dom"
    ).stdout
    (ARTIFACTS / "dagster-landing.html").write_text(landing)
    assert all(name in landing for name in TABLES), [name for name in TABLES if name not in landing]
