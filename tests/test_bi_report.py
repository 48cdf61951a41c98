"""The BI face, the report and the restricted flags export, on a generated organisation built for real.

The organisation (80 engineers over 13 weeks, seed 7) has a team of 4 engineers, Site Reliability,
below the default threshold of 5: its figures must be withheld everywhere, and said to be.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from orchestration.bi.face import SCHEMA, SIGNAL_COLUMNS, TABLES, bi_path, publish_bi
from orchestration.bi.restricted import export_flags, pseudonym, reveal
from orchestration.report import report_path, write_report
from orchestration.report.render import OUTCOME_LABELS

PROJECT_DIR = Path(__file__).resolve().parents[1]
AIROI = str(Path(sys.executable).with_name("airoi"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_DIR / "artifacts"
THRESHOLD = 5
#: Columns that would name or key a person.
PERSON_COLUMNS = {"employee_id", "email", "full_name", "actor_id", "author_login", "person", "login", "name"}
SPECS = {table.name: table for table in TABLES}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bi")
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    env = {**os.environ, "AIROI_DBT_TARGET_PATH": str(root / "target")}
    run = lambda *args: subprocess.run(  # noqa: E731
        [AIROI, *args], capture_output=True, text=True, check=False, timeout=900, env=env
    )
    generated = run("generate", "--out", str(landing), "--engineers", "80", "--weeks", "13", "--seed", "7",
                    "--no-progress")  # fmt: skip
    assert generated.returncode == 0, generated.stderr
    built = run("build", "--landing", str(landing), "--warehouse", str(warehouse))
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    assert f"BI face {bi_path(warehouse)}" in built.stdout
    assert f"Report {report_path(warehouse)}" in built.stdout
    return warehouse


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def team_sizes(warehouse: Path) -> dict[str, int]:
    return dict(query(warehouse, "select team_name, engineers from marts.dim_teams"))


def test_the_organisation_has_a_team_below_the_threshold(warehouse: Path) -> None:
    sizes = team_sizes(warehouse)
    assert sizes["Site Reliability"] == 4
    assert sum(size >= THRESHOLD for size in sizes.values()) >= 5


def test_bi_face_holds_team_level_figures_only_and_withholds_small_groups(warehouse: Path) -> None:
    face = bi_path(warehouse)
    assert face.exists() and not (face.stat().st_mode & 0o222), "the BI face is read-only on disk"
    schemas = {row[0] for row in query(face, "select schema_name from information_schema.schemata")}
    assert schemas & {"raw", "staging", "intermediate", "marts", "reference"} == set()
    tables = {
        row[0]
        for row in query(
            face, f"select table_name from information_schema.tables where table_schema = '{SCHEMA}'"
        )
    }
    assert tables - {"about"} <= set(SPECS), "every BI table is one the privacy rules below know"
    assert {"teams", "team_weekly", "adjusted_demand_weekly", "adjusted_demand_by_team", "flag_reasons",
            "adoption_weekly"} <= tables  # fmt: skip
    withheld = 0
    for name in tables - {"about"}:
        spec = SPECS[name]
        with duckdb.connect(str(face), read_only=True) as con:
            relation = con.execute(f"select * from {SCHEMA}.{name}")
            columns = [column[0] for column in relation.description]
            rows = [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]
        assert not set(columns) & PERSON_COLUMNS, (name, columns)
        assert not [column for column in columns if "rank" in column], (name, columns)
        assert {"is_suppressed", "suppressed_because"} <= set(columns)
        for row in rows:
            for column in spec.group_columns:
                value = row[column]
                assert value is None or value >= THRESHOLD, (name, column, row)
                if value is None:
                    assert row["is_suppressed"] and "fewer than 5" in row["suppressed_because"], (name, row)
            for column in spec.subgroup_columns:
                assert row[column] is None or row[column] == 0 or row[column] >= THRESHOLD, (name, row)
            if row["is_suppressed"]:
                withheld += 1
                assert row["suppressed_because"].startswith("fewer than 5"), (name, row)
                assert [column for column in columns if row[column] is None], (
                    f"{name} withholds nothing: {row}"
                )
    assert withheld > 0

    # Site Reliability (4 engineers) shows no figure in any week; the other teams show theirs.
    sre = query(face, "select count(*), count(ai_cost_usd), count(engineers), bool_and(is_suppressed) "
                      "from bi.team_weekly where team_name = 'Site Reliability'")  # fmt: skip
    assert sre == [(13, 0, 0, True)]
    shown = query(
        face,
        "select team_id, week_start, engineers, ai_cost_usd, prs_merged, deployments from bi.team_weekly "
        "where not is_suppressed order by 1, 2",
    )
    marts = query(
        warehouse,
        "select team_id, week_start, engineers, ai_cost_usd, prs_merged, deployments "
        "from marts.fct_team_weekly "
        f"where engineers >= {THRESHOLD} order by 1, 2",
    )
    assert shown == marts and len(shown) > 50


def test_the_threshold_is_a_setting(warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    face = publish_bi(copy, threshold=10)
    teams = dict(query(face.path, "select team_name, is_suppressed from bi.teams"))
    sizes = team_sizes(warehouse)
    assert teams == {name: size < 10 for name, size in sizes.items()}
    assert ("min_engineers", "10") in query(face.path, "select item, value from bi.about")


def test_sqlalchemy_lists_the_columns_of_every_bi_table(warehouse: Path) -> None:
    """What Superset and most Python BI tools do through duckdb-engine: list tables and columns, then
    query. The plain URL lists columns; with `plugin=airoi` whole tables reflect, keys included."""
    engine = sa.create_engine(f"duckdb:///{bi_path(warehouse)}?access_mode=read_only")
    inspector = sa.inspect(engine)
    tables = inspector.get_table_names(schema=SCHEMA)
    assert set(tables) - {"about"} <= set(SPECS) and "team_weekly" in tables
    for name in tables:
        columns = inspector.get_columns(name, schema=SCHEMA)
        described = SPECS[name].columns if name in SPECS else {"item": "", "value": ""}
        names = [column["name"] for column in columns]
        assert names and set(names) <= set(described), (name, names)
        for column in columns:
            assert column["comment"], (name, column["name"])
            assert not column["comment"].startswith("Published"), column["comment"]
        assert inspector.get_table_comment(name, schema=SCHEMA)["text"]

    reflecting = sa.create_engine(f"duckdb:///{bi_path(warehouse)}?access_mode=read_only&plugin=airoi")
    with reflecting.connect() as connection:
        assert sa.inspect(connection).get_pk_constraint("teams", schema=SCHEMA)["constrained_columns"] == []
        for name in tables:
            table = sa.Table(name, sa.MetaData(), schema=SCHEMA, autoload_with=connection)
            assert [column.name for column in table.columns] == [
                column["name"] for column in inspector.get_columns(name, schema=SCHEMA)
            ]
            count = connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            assert count >= 1, name
        weekly = sa.Table("team_weekly", sa.MetaData(), schema=SCHEMA, autoload_with=connection)
        names = connection.execute(sa.select(weekly.c.team_name).distinct()).scalars().all()
        assert "Site Reliability" in names
        with pytest.raises(sa.exc.DBAPIError):
            connection.execute(sa.text("create table bi.scratch (x integer)"))
    # DuckDB keeps one database per file and process while a connection is open: let it go.
    engine.dispose()
    reflecting.dispose()


def test_read_only_duckdb_connection_cannot_write(warehouse: Path) -> None:
    with duckdb.connect(str(bi_path(warehouse)), read_only=True) as con:
        assert con.execute("select count(*) from bi.teams").fetchone()[0] == len(team_sizes(warehouse))
        with pytest.raises(duckdb.Error):
            con.execute("create table bi.scratch (x int)")


def test_flags_leave_the_restricted_warehouse_only_under_pseudonyms(warehouse: Path, tmp_path: Path) -> None:
    key = bytes(range(32))
    out = tmp_path / "flags.csv"
    written = export_flags(warehouse, out, key)
    flagged = query(
        warehouse, "select employee_id, week_start from marts.fct_consumption_flags where is_flagged"
    )
    assert written == len(flagged) > 0
    text = out.read_text()
    employees = [row[0] for row in query(warehouse, "select employee_id from marts.dim_engineers")]
    emails = [row[0] for row in query(warehouse, "select email from staging.stg_landing__people")]
    assert not [value for value in employees + emails if value in text]
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert Counter(row["person"] for row in rows) == Counter(
        pseudonym(employee, key) for employee, _ in flagged
    )
    first = rows[0]["person"]
    assert reveal(warehouse, first, key) in employees
    assert pseudonym(reveal(warehouse, first, key), key) == first
    assert reveal(warehouse, first, bytes(32)) is None, "another key reveals nobody"


class Marks(HTMLParser):
    """Every SVG mark of the rendered page with its data-* attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if "data-series" in values:
            self.marks.append({key.removeprefix("data-"): value for key, value in values.items()})


def png_summary(path: Path) -> tuple[int, int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    offset, pixels = 8, b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        if data[offset + 4 : offset + 8] == b"IDAT":
            pixels += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    return width, height, len(set(zlib.decompress(pixels)))


def chromium(url: str, *args: str, profile: Path) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}"]  # fmt: skip
    return subprocess.run(
        [CHROMIUM, *flags, *args, url], capture_output=True, text=True, timeout=180, check=False
    )


def test_report_renders_offline_with_the_marts_numbers(warehouse: Path, tmp_path: Path) -> None:
    result = write_report(warehouse)
    html = result.path.read_text()
    assert "http://" not in html and "https://" not in html and "<script" not in html, "no network, no CDN"
    assert result.charts >= 10

    dom = chromium(result.path.as_uri(), "--dump-dom", profile=tmp_path / "dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console
    parser = Marks()
    parser.feed(dom.stdout)
    marks = parser.marks
    values: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    for mark in marks:
        if "value" in mark:
            values[mark["series"]][(mark.get("group", ""), mark.get("week", ""))] = float(mark["value"])

    names = dict(query(warehouse, "select team_id, team_name from marts.dim_teams"))
    weekly = query(
        warehouse,
        "select team_id, week_start, engineers, ai_cost_usd, prs_merged, deployments "
        "from marts.fct_team_weekly",
    )
    expected_cost, expected_prs, expected_deployments, per_team = {}, {}, {}, defaultdict(lambda: [0.0, 0.0])
    for team, week, engineers, cost, prs, deployments in weekly:
        if engineers >= THRESHOLD:
            expected_cost[(names[team], str(week))] = float(cost)
            expected_prs[(names[team], str(week))] = float(prs)
            expected_deployments[(names[team], str(week))] = float(deployments)
            per_team[names[team]][0] += float(cost)
            per_team[names[team]][1] += prs
    assert values["ai_cost_usd"] == pytest.approx(expected_cost, rel=1e-6)
    assert values["prs_merged"] == expected_prs
    assert values["deployments"] == expected_deployments
    cost_per_pr = {(team, ""): cost / prs for team, (cost, prs) in per_team.items() if prs}
    assert {
        key: value for key, value in values["cost_per_merged_pr"].items() if key[0] != "All teams shown"
    } == (pytest.approx(cost_per_pr, rel=1e-6))

    flagged_cost = dict(
        query(
            warehouse,
            "select cast(week_start as varchar), coalesce(sum(cost_usd) filter (where is_flagged), 0) "
            "from marts.fct_consumption_flags group by 1 "
            "having count(*) filter (where is_flagged) = 0 "
            f"or count(*) filter (where is_flagged) >= {THRESHOLD}",
        )
    )
    # A week with one to four flagged engineers shows its total spend but withholds the flagged part.
    small = query(
        warehouse,
        "select cast(week_start as varchar) from marts.fct_consumption_flags group by 1 "
        f"having count(*) filter (where is_flagged) between 1 and {THRESHOLD - 1}",
    )
    hatched = {
        mark.get("week") for mark in marks if mark.get("group") == "organisation" and mark.get("suppressed")
    }
    assert {week for (week,) in small} <= hatched
    assert {week: value for (_, week), value in values["flagged_cost_usd"].items()} == pytest.approx(
        {week: float(value) for week, value in flagged_cost.items()}, rel=1e-6
    )

    # The flagged share of spend per department, where both the department and its flagged part are large.
    departments = query(
        warehouse,
        "select teams.department, count(distinct flags.employee_id), "
        "count(distinct flags.employee_id) filter (where flags.is_flagged), "
        "sum(flags.cost_usd) filter (where flags.is_flagged) / sum(flags.cost_usd) "
        "from marts.fct_consumption_flags as flags join marts.dim_teams as teams using (team_id) group by 1",
    )
    expected_departments = {
        (department, ""): float(share or 0)
        for department, engineers, flagged, share in departments
        if engineers >= THRESHOLD and (flagged == 0 or flagged >= THRESHOLD)
    }
    assert values["flagged_cost_share_by_department"] == pytest.approx(expected_departments, rel=1e-6)
    # A department with one to four flagged engineers shows no share, and says it is withheld.
    withheld_departments = {
        department
        for department, engineers, flagged, _ in departments
        if engineers >= THRESHOLD and 0 < flagged < THRESHOLD
    }
    assert {
        mark["group"]
        for mark in marks
        if mark.get("series") == "flagged_cost_share_by_department" and mark.get("suppressed") == "true"
    } == withheld_departments
    assert expected_departments or withheld_departments

    # Why weeks were flagged: the flagged engineer-weeks per reason, counted here from the flags.
    with duckdb.connect(str(bi_path(warehouse)), read_only=True) as con:
        labels = dict(con.execute("select reason_code, label from bi.flag_reasons").fetchall())
        source = dict(con.execute("select item, value from bi.about").fetchall())["flag_reasons_from"]
    counts = _reason_counts(warehouse, source)
    shown = {
        labels[code]: float(weeks) for code, (weeks, engineers) in counts.items() if engineers >= THRESHOLD
    }
    assert {group: value for (group, _), value in values["flag_reasons"].items()} == shown and shown

    # The difference-in-differences estimates of the organisation, with the engineers behind them.
    effects = query(
        warehouse,
        "select outcome, estimator, effect_relative, adopters, comparison_engineers from marts.fct_ai_effect "
        f"where scope = 'organisation' and is_reportable and adopters >= {THRESHOLD} "
        f"and comparison_engineers >= {THRESHOLD}",
    )
    expected_effects = {
        (f"{OUTCOME_LABELS.get(outcome, outcome)} ({estimator})", ""): effect
        for outcome, estimator, effect, _, _ in effects
    }
    assert values["ai_effect"] == pytest.approx(expected_effects, rel=1e-6)
    for outcome, _, _, adopters, comparison in effects:
        assert f"{adopters} adopters vs {comparison} comparison engineers" in dom.stdout, outcome
    study = [key for key in values if key.startswith("event_study_")]
    assert len(study) == 1 and values[study[0]], "the week-by-week effect is drawn"

    # Withheld is said, not drawn as zero: Site Reliability has hatched cells and no value anywhere.
    assert not [mark for mark in marks if mark.get("group") == "Site Reliability" and "value" in mark]
    assert [
        mark for mark in marks if mark.get("group") == "Site Reliability" and mark.get("suppressed") == "true"
    ]
    assert "withheld: fewer than 5 engineers" in dom.stdout
    # No chart is about a person: every group a mark belongs to is a team, a cohort, a reason or a week.
    allowed = (
        set(names.values()) | set(labels.values()) | {"organisation", "adoption_cohorts", "All teams shown"}
    )
    allowed |= {str(week) for week in range(-4, 9)}  # weeks since adoption, in the event study
    allowed |= {department for department, *_ in departments}
    allowed |= {
        f"{OUTCOME_LABELS.get(outcome, outcome)} ({estimator})"
        for outcome, estimator in query(warehouse, "select outcome, estimator from marts.fct_ai_effect")
    }
    cohort = re.compile(r"(none|light|moderate|heavy) \([0-9,]+ engineer-weeks\)")
    groups = {mark.get("group", "") for mark in marks}
    assert {group for group in groups - allowed - {""} if not cohort.fullmatch(group)} == set()

    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = tmp_path / "report.png"
    shot = chromium(result.path.as_uri(), f"--screenshot={screenshot}", "--window-size=1400,3800",
                    profile=tmp_path / "shot")  # fmt: skip
    assert screenshot.exists(), shot.stderr[-2000:]
    shutil.copyfile(screenshot, ARTIFACTS / "report.png")
    width, height, distinct = png_summary(screenshot)
    assert (width, height) == (1400, 3800) and distinct > 100


def _reason_counts(warehouse: Path, source: str) -> dict[str, tuple[int, int]]:
    """Flagged engineer-weeks and engineers per reason code, from the restricted flags."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if source == "reason_codes":
            rows = con.execute(
                "select employee_id, reason_codes from marts.fct_consumption_flags where is_flagged"
            ).fetchall()
            fired = [(employee, code.strip()) for employee, codes in rows for code in (codes or "").split(",")
                     if code.strip()]  # fmt: skip
        elif source == "signal_columns":
            present = {row[0] for row in con.execute("describe marts.fct_consumption_flags").fetchall()}
            fired = []
            for column in [column for column in SIGNAL_COLUMNS if column in present]:
                employees = con.execute(
                    f"select employee_id from marts.fct_consumption_flags where is_flagged and {column}"
                ).fetchall()
                fired += [(employee, SIGNAL_COLUMNS[column][0]) for (employee,) in employees]
        else:
            employees = con.execute(
                "select employee_id from marts.fct_consumption_flags where is_flagged"
            ).fetchall()
            fired = [(employee, "flagged") for (employee,) in employees]
    weeks = Counter(code for _, code in fired)
    people: dict[str, set[str]] = defaultdict(set)
    for employee, code in fired:
        people[code].add(employee)
    return {code: (weeks[code], len(people[code])) for code in weeks}


def test_saved_query_answers_the_headline_question_from_the_marts(warehouse: Path, tmp_path: Path) -> None:
    """`mf query --saved-query team_spend_and_outcomes_weekly` gives each team's weekly AI spend and merged
    pull requests as fct_team_weekly has them."""
    source = Path(os.environ.get("AIROI_PROJECT_DIR") or PROJECT_DIR)
    project = tmp_path / "project"
    project.mkdir()
    for name in ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "data-tests", "analyses"]:
        if (source / name).is_dir():
            shutil.copytree(source / name, project / name)
        elif (source / name).exists():
            shutil.copy2(source / name, project / name)
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    copy.chmod(0o644)
    env = {**os.environ, "AIROI_DUCKDB_PATH": str(copy), "DBT_PROFILES_DIR": str(project)}
    bin_dir = Path(sys.executable).parent
    parsed = subprocess.run([str(bin_dir / "dbt"), "parse", "--quiet"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert parsed.returncode == 0, parsed.stdout[-3000:] + parsed.stderr[-3000:]
    out = tmp_path / "answer.csv"
    answered = subprocess.run(
        [str(bin_dir / "mf"), "query", "--saved-query", "team_spend_and_outcomes_weekly", "--csv", str(out)],
        cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert answered.returncode == 0 and out.exists(), answered.stdout[-3000:] + answered.stderr[-3000:]
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    got = {
        (row["metric_time__week"][:10], row["team__team_name"]): (
            float(row["ai_cost_usd"]),
            int(row["prs_merged"]),
        )
        for row in rows
    }
    expected = {
        (str(week), name): (float(cost), prs)
        for week, name, cost, prs in query(
            warehouse,
            "select weekly.week_start, teams.team_name, weekly.ai_cost_usd, weekly.prs_merged "
            "from marts.fct_team_weekly as weekly join marts.dim_teams as teams using (team_id) "
            "where weekly.engineers > 0",
        )
    }
    assert got.keys() == expected.keys() and len(got) > 50
    assert {key: value[0] for key, value in got.items()} == pytest.approx(
        {key: value[0] for key, value in expected.items()}
    )
    assert {key: value[1] for key, value in got.items()} == {key: value[1] for key, value in expected.items()}
