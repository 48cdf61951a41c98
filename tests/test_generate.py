"""The synthetic organisation: reproducible, complete, messy as promised, and honest.

Every check reads the landing zone back the way ingest does (files in landing order, the
last-landed copy of a key winning, malformed rows set aside) and compares it with the ground
truth the generator wrote beside it.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import pytest

from orchestration.generate import LEADERBOARD_SNAPSHOT, generate
from orchestration.landing.contract import TABLES

START = date(2026, 5, 4)
MAIN_TIMESTAMP = {
    "ai_usage_events": "occurred_at",
    "pull_requests": "created_at",
    "commits": "authored_at",
    "pr_reviews": "submitted_at",
    "deployments": "started_at",
    "incidents": "created_at",
}


# Reading a landing zone back --------------------------------------------------------------------


def _parse_ts(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _files(root: Path, table: str) -> list[Path]:
    """A table's data files in the order ingest lands them: modification time, then path."""
    found = [
        path
        for path in (root / table).rglob("*")
        if path.is_file() and not any(part.startswith(("_", ".")) for part in path.relative_to(root).parts)
    ]
    return sorted(found, key=lambda path: (path.stat().st_mtime_ns, path.relative_to(root).as_posix()))


def _rows(path: Path) -> list[dict[str, object]]:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _broken(table: str, row: dict[str, object]) -> str | None:
    """Why a row breaks the contract, judged from the contract alone, or None."""
    for column in TABLES[table].columns:
        value = row.get(column.name)
        if column.required and value in (None, ""):
            return "missing_required_value"
        if value in (None, ""):
            continue
        if column.type == "timestamp":
            try:
                _parse_ts(value)
            except ValueError:
                return "unparseable_timestamp"
        if column.non_negative and float(value) < 0:
            return "negative_tokens"
        if column.accepted and str(value).upper() not in {v.upper() for v in column.accepted}:
            return f"unknown_{column.name}"
    return None


class Landed:
    """One table of a landing zone: every row with its file, row number and landing position."""

    def __init__(self, root: Path, table: str) -> None:
        self.table = table
        self.rows: list[dict[str, object]] = []
        self.malformed: list[tuple[str, int, str]] = []
        header = 1
        for path in _files(root, table):
            relative = path.relative_to(root).as_posix()
            offset = header if path.suffix == ".csv" else 0
            for number, row in enumerate(_rows(path), start=1):
                reason = _broken(table, row)
                if reason:
                    self.malformed.append((relative, number + offset, reason))
                    continue
                row["_file"] = relative
                self.rows.append(row)

    def key(self, row: dict[str, object]) -> tuple[object, ...]:
        return tuple(row[name] for name in TABLES[self.table].key)

    def final(self) -> list[dict[str, object]]:
        """The last-landed copy of every key."""
        latest: dict[tuple[object, ...], dict[str, object]] = {}
        for row in self.rows:
            latest[self.key(row)] = row
        return list(latest.values())


def _week(value: object) -> date:
    moment = _parse_ts(value)
    assert moment is not None
    day = moment.date()
    return day - timedelta(days=day.weekday())


def _ground_truth(root: Path) -> list[dict[str, object]]:
    return pq.read_table(root / "_ground_truth" / "engineer_weeks.parquet").to_pylist()


def _accounts(root: Path) -> dict[tuple[str, str], str]:
    table = pq.read_table(root / "_ground_truth" / "accounts.parquet").to_pylist()
    return {(row["source_system"], row["account_id"].lower()): row["employee_id"] for row in table}


def _manifest(root: Path) -> dict[str, object]:
    return json.loads((root / "_ground_truth" / "manifest.json").read_text(encoding="utf-8"))


def _tokens(row: dict[str, object]) -> int:
    return sum(
        int(row[name] or 0)
        for name in ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens")
    )


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# Fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small") / "landing"
    generate(root, engineers=24, weeks=4, seed=1, progress=False)
    return root


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("medium") / "landing"
    generate(root, engineers=120, weeks=8, seed=3, progress=False)
    return root


@pytest.fixture(scope="module")
def medium_events(medium: Path) -> list[dict[str, object]]:
    return Landed(medium, "ai_usage_events").final()


# Reproducibility ------------------------------------------------------------------------------


def test_same_seed_writes_identical_bytes(tmp_path: Path, small: Path) -> None:
    again = tmp_path / "again"
    generate(again, engineers=24, weeks=4, seed=1, progress=False)
    first, second = _tree_digest(small), _tree_digest(again)
    assert len(first) > 60
    assert first == second


def test_another_seed_writes_another_organisation(tmp_path: Path, small: Path) -> None:
    other = tmp_path / "other"
    generate(other, engineers=24, weeks=4, seed=2, progress=False)
    first, second = _tree_digest(small), _tree_digest(other)
    assert first["people/people.csv"] != second["people/people.csv"]
    shared = set(first) & set(second)
    assert sum(first[name] == second[name] for name in shared) < len(shared) / 10


def test_refuses_a_folder_that_holds_files_and_a_start_that_is_not_monday(tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("x\n")
    with pytest.raises(FileExistsError, match="not empty"):
        generate(tmp_path, engineers=5, weeks=1, seed=1, progress=False)
    with pytest.raises(ValueError, match="Monday"):
        generate(tmp_path / "new", engineers=5, weeks=1, seed=1, start=date(2026, 5, 5), progress=False)
    assert not (tmp_path / "new").exists()


# The landing zone follows the contract --------------------------------------------------------


def test_every_contract_table_is_written_with_its_required_columns(small: Path) -> None:
    formats = Counter()
    for name, table in TABLES.items():
        files = _files(small, name)
        assert files, f"no files for {name}"
        for path in files:
            formats[path.suffix] += 1
            if path.suffix == ".parquet":
                columns = set(pq.read_schema(path).names)
            elif path.suffix == ".csv":
                columns = set(path.read_text(encoding="utf-8").splitlines()[0].split(","))
            else:
                columns = {key for row in _rows(path) for key in row}
            missing = set(table.required_columns) - columns
            assert not missing, f"{path} lacks {missing}"
    assert set(formats) == {".parquet", ".csv", ".jsonl"}
    assert (small / "_ground_truth" / "engineer_weeks.parquet").exists()


def test_text_exports_spell_timestamps_with_offsets_and_parquet_stores_utc(medium: Path) -> None:
    spellings = Counter()
    for table, column in (
        ("pr_reviews", "submitted_at"),
        ("deployments", "started_at"),
        ("incidents", "created_at"),
    ):
        for path in _files(medium, table):
            for row in _rows(path):
                text = str(row[column])
                spellings["Z" if text.endswith("Z") else "offset" if text[-6] in "+-" else "none"] += 1
    assert spellings["offset"] and spellings["Z"] and spellings["none"]
    schema = pq.read_schema(_files(medium, "pull_requests")[0])
    assert str(schema.field("created_at").type) == "timestamp[us, tz=UTC]"


# Messiness is as the manifest says ------------------------------------------------------------


@pytest.mark.parametrize("table", list(MAIN_TIMESTAMP))
def test_malformed_replayed_and_late_rows_match_the_manifest(small: Path, table: str) -> None:
    manifest = _manifest(small)["tables"][table]
    landed = Landed(small, table)

    listed = sorted((row["file"], row["row"], row["kind"]) for row in manifest["malformed"])
    found = sorted(landed.malformed)
    assert [(file, row) for file, row, _ in found] == [(file, row) for file, row, _ in listed]
    for (_, _, reason), (_, _, kind) in zip(found, listed, strict=True):
        assert reason == kind or (reason.startswith("unknown_") and kind.startswith("unknown_"))

    assert len(landed.rows) - len(landed.final()) == manifest["replayed_rows"]

    first_copy: dict[tuple[object, ...], dict[str, object]] = {}
    for row in landed.rows:
        first_copy.setdefault(landed.key(row), row)
    late = 0
    for row in first_copy.values():
        folder = [part for part in row["_file"].split("/") if part.startswith(("date=", "week="))]
        if not folder:
            continue
        landed_on = date.fromisoformat(folder[0].split("=")[1])
        moment = _parse_ts(row[MAIN_TIMESTAMP[table]]).date()
        late += (
            moment if folder[0].startswith("date=") else moment - timedelta(days=moment.weekday())
        ) < landed_on
    assert late == manifest["late_rows"]
    assert manifest["rows_written"] == len(landed.rows) + len(landed.malformed)


def test_every_kind_of_malformed_row_is_present(small: Path) -> None:
    kinds = {table: set(stats["malformed_by_kind"]) for table, stats in _manifest(small)["tables"].items()}
    assert kinds["ai_usage_events"] == {"unparseable_timestamp", "negative_tokens", "missing_required_value"}
    assert kinds["pr_reviews"] == {"unknown_review_state", "unparseable_timestamp"}
    assert kinds["deployments"] == {"unknown_deployment_status", "missing_required_value"}


def test_replayed_pull_requests_and_incidents_land_stale_first(medium: Path) -> None:
    landed = Landed(medium, "pull_requests")
    copies = defaultdict(list)
    for row in landed.rows:
        copies[landed.key(row)].append(row)
    replayed = [rows for rows in copies.values() if len(rows) > 1]
    assert replayed
    merged_late = [rows for rows in replayed if rows[-1]["merged_at"] is not None]
    assert merged_late and all(rows[0]["merged_at"] is None for rows in merged_late)


# The ground truth agrees with the files -------------------------------------------------------


def test_ground_truth_tokens_and_events_match_the_landed_events(small: Path) -> None:
    accounts = _accounts(small)
    tokens: Counter = Counter()
    events: Counter = Counter()
    for row in Landed(small, "ai_usage_events").final():
        employee = accounts[(row["source_tool"], str(row["actor_id"]).lower())]
        key = (employee, _week(row["occurred_at"]))
        tokens[key] += _tokens(row)
        events[key] += 1
    truth = {(row["employee_id"], row["week_start"]): row for row in _ground_truth(small)}
    assert set(tokens) <= set(truth)
    for key, row in truth.items():
        assert row["ai_total_tokens"] == tokens[key], key
        assert row["ai_events"] == events[key], key
    assert sum(events.values()) > 5000


def test_ground_truth_delivery_counts_match_the_landed_history(small: Path) -> None:
    accounts = _accounts(small)

    def person(login: object = None, email: object = None) -> str | None:
        if login and ("github", str(login).lower()) in accounts:
            return accounts[("github", str(login).lower())]
        for system in ("email", "git_author_email"):
            if email and (system, str(email).lower()) in accounts:
                return accounts[(system, str(email).lower())]
        return None

    merged, commits, reviews, resolved = Counter(), Counter(), Counter(), Counter()
    bots = 0
    for row in Landed(small, "pull_requests").final():
        if str(row["author_login"]).endswith("[bot]"):
            bots += 1
        elif row["merged_at"] is not None:
            merged[(person(row["author_login"]), _week(row["merged_at"]))] += 1
    for row in Landed(small, "commits").final():
        owner = person(row["author_login"], row["author_email"])
        if owner:
            commits[(owner, _week(row["authored_at"]))] += 1
    for row in Landed(small, "pr_reviews").final():
        reviews[(person(row["reviewer_login"]), _week(row["submitted_at"]))] += 1
    for row in Landed(small, "incidents").final():
        if row["resolved_at"]:
            resolved[(person(email=row["responder_email"]), _week(row["resolved_at"]))] += 1
    truth = {(row["employee_id"], row["week_start"]): row for row in _ground_truth(small)}
    assert bots > 0
    assert sum(merged.values()) > 100
    for key, row in truth.items():
        assert row["prs_merged"] == merged[key], key
        assert row["commits"] == commits[key], key
        assert row["reviews_given"] == reviews[key], key
        assert row["incidents_resolved"] == resolved[key], key
    assert sum(merged.values()) == sum(row["prs_merged"] for row in truth.values())


def test_events_argument_scales_the_volume(tmp_path: Path) -> None:
    summary = generate(tmp_path / "scaled", engineers=24, weeks=4, seed=1, events=3000, progress=False)
    unique = sum(row["ai_events"] for row in _ground_truth(tmp_path / "scaled"))
    assert 2400 <= unique <= 3600
    assert summary.rows_written["ai_usage_events"] >= unique
    assert "ai_usage_events" in summary.render()


# The organisation is realistic ----------------------------------------------------------------


def test_organisation_has_teams_zones_roles_movers_bots_and_unmapped_accounts(medium: Path) -> None:
    people = _rows(medium / "people" / "people.csv")
    engineers = [row for row in people if row["role"] == "engineer"]
    assert len(engineers) == 120
    team_sizes = Counter(row["team_id"] for row in engineers)
    assert (
        min(team_sizes.values()) >= 3 and max(team_sizes.values()) <= 25 and len(set(team_sizes.values())) > 2
    )
    assert len({row["timezone"] for row in people}) >= 5
    assert {row["role"] for row in people} == {"engineer", "manager", "sre"}
    assert any(row["left_on"] for row in people) and any(
        row["hired_on"] >= START.isoformat() for row in people
    )
    identities = _rows(medium / "identities" / "identities.jsonl")
    logins = {row["account_id"] for row in identities if row["source_system"] == "github"}
    assert not logins & {row["email"].split("@")[0] for row in people}
    mapped = {row["employee_id"] for row in identities if row["source_system"] == "github"}
    unmapped = [row for row in engineers if row["employee_id"] not in mapped]
    assert 0.04 <= len(unmapped) / len(engineers) <= 0.12
    authors = {row["author_login"] for row in Landed(medium, "commits").final()}
    assert {"dependabot[bot]", "github-actions[bot]"} <= authors | {"renovate[bot]"}
    deployments = Landed(medium, "deployments").final()
    production = [row for row in deployments if row["environment"].lower() in ("production", "prod")]
    failing = sum(row["status"] != "success" for row in production) / len(production)
    assert 0.04 <= failing <= 0.18
    incidents = Landed(medium, "incidents").final()
    assert any(row["caused_by_deployment_id"] for row in incidents)
    assert any(row["resolved_at"] is None for row in incidents)
    prices = _rows(medium / "model_prices" / "model_prices.csv")
    assert [row["effective_from"] for row in prices if row["model"] == "claude-sonnet-4-5"][1] == "2026-06-03"


def test_every_tool_and_only_the_listed_models_appear(medium_events: list[dict[str, object]]) -> None:
    tools = Counter(row["source_tool"] for row in medium_events)
    assert set(tools) == {"claude_code", "cursor", "copilot", "openai_api", "internal_agent"}
    assert {row["model"] for row in medium_events} <= {
        "claude-opus-4-1",
        "claude-sonnet-4-5",
        "claude-haiku-4-5",
        "gpt-5",
        "gpt-5-mini",
        "gpt-4.1",
    }
    for row in medium_events:
        assert (row["cost_usd"] is not None) == (row["source_tool"] == "claude_code")
    tabs = [row for row in medium_events if row["request_kind"] == "tab"]
    agents = [row for row in medium_events if row["request_kind"] == "agent"]
    assert sum(map(_tokens, tabs)) / len(tabs) < 2000 < sum(map(_tokens, agents)) / len(agents)


def test_natural_rate_is_about_130_events_per_adopting_engineer_week(medium: Path) -> None:
    weeks = [row["ai_events"] for row in _ground_truth(medium) if row["ai_events"] > 0]
    assert 100 <= sum(weeks) / len(weeks) <= 170


# Personas and inflation are present and honest ------------------------------------------------


def test_every_persona_and_every_style_is_present(medium: Path) -> None:
    truth = _ground_truth(medium)
    personas = Counter(row["persona"] for row in truth if row["week_start"] == START)
    assert set(personas) == {
        "non_adopter",
        "gradual_adopter",
        "steady_user",
        "heavy_agent_user",
        "inflator",
        None,
    }
    styles = {row["inflation_style"] for row in truth if row["is_inflated"]}
    assert styles == {"no_outcome", "repeated_prompts", "leaderboard_burst", "agent_loop", "mixed"}
    assert all(row["persona"] == "inflator" for row in truth if row["is_inflated"])
    launch = date.fromisoformat(_manifest(medium)["period"]["leaderboard_launch_week_start"])
    assert all(row["week_start"] >= launch for row in truth if row["is_inflated"])
    inflators = {row["employee_id"] for row in truth if row["persona"] == "inflator"}
    after_launch = defaultdict(list)
    for row in truth:
        if row["employee_id"] in inflators and row["week_start"] >= launch:
            after_launch[row["employee_id"]].append(row["is_inflated"])
    share = sum(map(sum, after_launch.values())) / sum(map(len, after_launch.values()))
    assert 0.6 <= share < 1.0


def _inflated(medium: Path, style: str) -> list[dict[str, object]]:
    rows = [row for row in _ground_truth(medium) if row["inflation_style"] == style]
    assert rows
    return rows


def _by_week(rows: list[dict[str, object]], column: str, accounts: dict, system: str | None = None) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        owner = accounts.get((system or row["source_tool"], str(row["actor_id"]).lower()))
        grouped[(owner, _week(row[column]))].append(row)
    return grouped


def test_no_outcome_weeks_have_tokens_but_no_commits_prs_or_accepted_lines(
    medium: Path, medium_events
) -> None:
    accounts = _accounts(medium)
    events = _by_week(medium_events, "occurred_at", accounts)
    commits = Counter()
    for row in Landed(medium, "commits").final():
        commits[(accounts.get(("github", str(row["author_login"]).lower())), _week(row["authored_at"]))] += 1
    opened = Counter()
    for row in Landed(medium, "pull_requests").final():
        opened[(accounts.get(("github", str(row["author_login"]).lower())), _week(row["created_at"]))] += 1
    for week in _inflated(medium, "no_outcome"):
        key = (week["employee_id"], week["week_start"])
        rows = events[key]
        suggested = sum(row["lines_suggested"] or 0 for row in rows)
        accepted = sum(row["lines_accepted"] or 0 for row in rows)
        assert commits[key] == 0 and opened[key] == 0 and week["prs_merged"] == 0
        assert accepted <= max(0.02 * suggested, 3)
        assert sum(map(_tokens, rows)) > 1_000_000


def test_repeated_prompt_weeks_reuse_a_handful_of_hashes(medium: Path, medium_events) -> None:
    events = _by_week(medium_events, "occurred_at", _accounts(medium))
    for week in _inflated(medium, "repeated_prompts"):
        hashes = Counter(row["prompt_hash"] for row in events[(week["employee_id"], week["week_start"])])
        hashes.pop(None, None)
        top = sum(count for _, count in hashes.most_common(5))
        assert top >= 0.4 * sum(hashes.values())
    checked = 0
    for week in _ground_truth(medium):
        hashes = Counter(row["prompt_hash"] for row in events[(week["employee_id"], week["week_start"])])
        hashes.pop(None, None)
        if week["persona"] == "steady_user" and sum(hashes.values()) >= 40:
            assert sum(count for _, count in hashes.most_common(5)) < 0.3 * sum(hashes.values())
            checked += 1
    assert checked > 20


def test_leaderboard_burst_weeks_spend_most_tokens_before_the_snapshot(medium: Path, medium_events) -> None:
    events = _by_week(medium_events, "occurred_at", _accounts(medium))
    day, hour = LEADERBOARD_SNAPSHOT
    for week in _inflated(medium, "leaderboard_burst"):
        snapshot = datetime.combine(week["week_start"] + timedelta(days=day), datetime.min.time(), UTC)
        snapshot += timedelta(hours=hour)
        rows = events[(week["employee_id"], week["week_start"])]
        window = [
            row for row in rows if snapshot - timedelta(hours=3) <= _parse_ts(row["occurred_at"]) < snapshot
        ]
        assert sum(map(_tokens, window)) >= 0.5 * sum(map(_tokens, rows))


def test_agent_loop_weeks_run_long_night_sessions_without_a_commit_after(medium: Path, medium_events) -> None:
    accounts = _accounts(medium)
    zones = {row["employee_id"]: ZoneInfo(row["timezone"]) for row in _rows(medium / "people" / "people.csv")}
    events = _by_week(medium_events, "occurred_at", accounts)
    commit_times = defaultdict(list)
    for row in Landed(medium, "commits").final():
        owner = accounts.get(("github", str(row["author_login"]).lower()))
        commit_times[owner].append(_parse_ts(row["authored_at"]))
    for week in _inflated(medium, "agent_loop"):
        zone = zones[week["employee_id"]]
        night = [
            row
            for row in events[(week["employee_id"], week["week_start"])]
            if row["request_kind"] == "agent"
            and (
                _parse_ts(row["occurred_at"]).astimezone(zone).hour >= 23
                or _parse_ts(row["occurred_at"]).astimezone(zone).hour < 5
            )
        ]
        assert len(night) >= 30
        sessions = Counter(row["session_id"] for row in night)
        assert max(sessions.values()) >= 30
        for row in night:
            moment = _parse_ts(row["occurred_at"])
            assert not any(
                moment < commit <= moment + timedelta(hours=4) for commit in commit_times[week["employee_id"]]
            )


def test_heavy_agent_users_use_the_most_tokens_ship_the_most_and_are_never_inflated(medium: Path) -> None:
    truth = _ground_truth(medium)

    def mean(persona: str, column: str) -> float:
        values = [row[column] for row in truth if row["persona"] == persona]
        return sum(values) / len(values)

    assert not any(row["is_inflated"] for row in truth if row["persona"] == "heavy_agent_user")
    assert mean("heavy_agent_user", "ai_total_tokens") > 4 * mean("steady_user", "ai_total_tokens")
    assert mean("heavy_agent_user", "prs_merged") > 1.2 * mean("steady_user", "prs_merged")
    assert mean("heavy_agent_user", "lines_accepted") > 3 * mean("steady_user", "lines_accepted")


def test_gradual_adopters_ramp_up_and_their_true_effect_follows(medium: Path) -> None:
    truth = [row for row in _ground_truth(medium) if row["persona"] == "gradual_adopter"]
    before = [row for row in truth if row["week_start"] < row["adoption_week_start"]]
    after = [row for row in truth if row["week_start"] >= row["adoption_week_start"] + timedelta(weeks=3)]
    assert before and after
    assert all(
        row["true_cycle_time_effect_pct"] == 0 and row["true_throughput_effect_pct"] == 0 for row in before
    )
    assert all(
        row["true_cycle_time_effect_pct"] <= -20 and row["true_throughput_effect_pct"] >= 15 for row in after
    )
    assert sum(row["ai_total_tokens"] for row in after) / len(after) > 10 * (
        sum(row["ai_total_tokens"] for row in before) / len(before)
    )
