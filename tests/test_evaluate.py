"""Tests of `airoi evaluate`: a hand count on a tiny fixture, bad inputs, and a small generated
organisation built with the real ingest and dbt, whose figures are recounted independently."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration.build import run_dbt
from orchestration.cli import main
from orchestration.evaluate import EvaluationError, Ratio, evaluate
from orchestration.generate import generate
from orchestration.landing import ingest

W1, W2 = date(2026, 3, 2), date(2026, 3, 9)

# (employee_id, week_start, persona, is_inflated, inflation_style, ai_total_tokens)
TRUTH = [
    ("e1", W1, "inflator", True, "no_outcome", 5_000_000),  # flagged: true positive
    ("e1", W2, "inflator", True, "no_outcome", 4_000_000),  # not flagged: false negative
    ("e2", W1, "inflator", True, "leaderboard_burst", 9_000_000),  # flagged: true positive
    ("e3", W1, "heavy_agent_user", False, None, 20_000_000),  # flagged: false positive
    ("e3", W2, "heavy_agent_user", False, None, 18_000_000),  # not flagged
    ("e4", W1, "steady_user", False, None, 1_000_000),  # flagged: false positive
    ("e4", W2, "steady_user", False, None, 1_000_000),  # not flagged
    ("e5", W1, "inflator", True, "agent_loop", 7_000_000),  # no flag row at all: false negative
    ("m1", W1, None, False, None, 0),  # a manager without AI usage: not in the population
]
# (employee_id, week_start, is_flagged); e9 is not in the truth.
FLAGS = [
    ("e1", W1, True),
    ("e1", W2, False),
    ("e2", W1, True),
    ("e3", W1, True),
    ("e3", W2, False),
    ("e4", W1, True),
    ("e4", W2, False),
    ("e9", W1, True),
]


def write_truth(path: Path, rows: list[tuple], columns: str | None = None) -> Path:
    names = columns or "employee_id, week_start, persona, is_inflated, inflation_style, ai_total_tokens"
    with duckdb.connect() as con:
        con.execute(
            "create table truth (employee_id varchar, week_start date, persona varchar, is_inflated boolean, "
            "inflation_style varchar, ai_total_tokens bigint)"
        )
        con.executemany("insert into truth values (?, ?, ?, ?, ?, ?)", rows)
        con.execute(f"copy (select {names} from truth) to '{path}' (format parquet)")
    return path


def write_flags(path: Path, rows: list[tuple]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_consumption_flags (employee_id varchar, week_start date, "
            "inflation_score double, is_flagged boolean, reasons varchar)"
        )
        con.executemany(
            "insert into marts.fct_consumption_flags values (?, ?, ?, ?, ?)",
            [(who, week, 1.0 if flagged else 0.0, flagged, None) for who, week, flagged in rows],
        )
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    return write_flags(tmp_path / "warehouse.duckdb", FLAGS), write_truth(
        tmp_path / "engineer_weeks.parquet", TRUTH
    )


def test_figures_match_a_hand_count(tiny: tuple[Path, Path]) -> None:
    warehouse, truth = tiny
    result = evaluate(warehouse, truth)
    # Population: the 8 engineer-weeks with tokens (the manager has none); e9 is not in the truth.
    assert (result.engineer_weeks, result.inflated, result.flagged) == (8, 4, 4)
    # True positives e1/W1 and e2/W1; false positives e3/W1 and e4/W1; misses e1/W2 and e5/W1.
    assert result.precision == Ratio(2, 4)
    assert result.recall == Ratio(2, 4)
    # e3 is the one heavy user: flagged in one of two weeks.
    assert result.heavy_fp_rate == Ratio(1, 2)
    assert result.heavy_fp_rate_by_persona == {"heavy_agent_user": Ratio(1, 2)}
    assert result.recall_by_style == {
        "agent_loop": Ratio(0, 1),
        "leaderboard_burst": Ratio(1, 1),
        "no_outcome": Ratio(1, 2),
    }
    assert result.flag_rate_by_persona == {"heavy_agent_user": Ratio(1, 2), "steady_user": Ratio(1, 2)}
    assert (result.inflated_without_usage_row, result.flags_without_truth) == (1, 1)
    assert not result.meets_target


def test_cli_prints_the_figures_with_their_counts(
    tiny: tuple[Path, Path], capsys: pytest.CaptureFixture
) -> None:
    warehouse, truth = tiny
    assert main(["evaluate", "--warehouse", str(warehouse), "--truth", str(truth.parent)]) == 0
    printed = capsys.readouterr().out
    assert "precision                                0.500 (2 / 4)" in printed
    assert "false-positive rate, legitimate heavy    0.500 (1 / 2)" in printed
    assert "  heavy_agent_user                       0.500 (1 / 2)" in printed
    assert "  agent_loop                             0.000 (0 / 1)" in printed
    assert "1 inflated weeks have no flag row" in printed
    assert "do NOT meet the target" in printed


def test_each_legitimate_archetype_named_by_the_truth_gets_its_own_rate(tmp_path: Path) -> None:
    """A truth with `persona_kind` names its legitimate heavy archetypes; the target holds only when each
    of them stays at or under 3%, however well the others do."""
    rows = [
        ("s1", W1, "oncall_sre", "legitimate_heavy", False, None, 5_000_000),  # flagged: 1 of 2
        ("s1", W2, "oncall_sre", "legitimate_heavy", False, None, 5_000_000),
        ("r1", W1, "staff_reviewer", "legitimate_heavy", False, None, 3_000_000),
        ("r1", W2, "staff_reviewer", "legitimate_heavy", False, None, 3_000_000),
        ("i1", W1, "background_agent", "inflator", True, "background_agents", 9_000_000),  # caught
        ("i1", W2, "background_agent", "inflator", False, None, 1_000_000),  # a clean week: not counted
    ]
    truth = tmp_path / "truth.parquet"
    with duckdb.connect() as con:
        con.execute(
            "create table truth (employee_id varchar, week_start date, persona varchar, "
            "persona_kind varchar, is_inflated boolean, inflation_style varchar, ai_total_tokens bigint)"
        )
        con.executemany("insert into truth values (?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute(f"copy truth to '{truth}' (format parquet)")
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_consumption_flags "
            "(employee_id varchar, week_start date, is_flagged boolean)"
        )
        con.executemany(
            "insert into marts.fct_consumption_flags values (?, ?, ?)",
            [("s1", W1, True), ("s1", W2, False), ("r1", W1, False), ("r1", W2, False), ("i1", W1, True)],
        )
    result = evaluate(warehouse, truth)
    assert result.heavy_fp_rate == Ratio(1, 4)
    assert result.heavy_fp_rate_by_persona == {"oncall_sre": Ratio(1, 2), "staff_reviewer": Ratio(0, 2)}
    assert (result.precision, result.recall) == (Ratio(1, 2), Ratio(1, 1))
    assert not result.meets_target


def test_truth_is_found_in_the_landing_zone_folder(tmp_path: Path) -> None:
    warehouse = write_flags(tmp_path / "warehouse.duckdb", FLAGS)
    folder = tmp_path / "landing" / "_ground_truth"
    folder.mkdir(parents=True)
    truth = write_truth(folder / "engineer_weeks.parquet", TRUTH)
    assert evaluate(warehouse, tmp_path / "landing").truth_path == truth


@pytest.mark.parametrize(
    ("make_truth", "message"),
    [
        (lambda folder: folder / "absent.parquet", "absent.parquet: no such file"),
        (lambda folder: folder, "no engineer_weeks.parquet in the folder or in its _ground_truth/ folder"),
        (
            lambda folder: write_text(
                folder / "engineer_weeks.parquet", "employee_id,week_start\ne1,2026-03-02\n"
            ),
            "engineer_weeks.parquet: not a readable Parquet file",
        ),
        (
            lambda folder: write_truth(
                folder / "t.parquet", TRUTH, "employee_id, week_start, persona, inflation_style"
            ),
            "t.parquet: missing column(s) is_inflated",
        ),
        (
            lambda folder: write_truth(
                folder / "t.parquet", [*TRUTH[:2], ("e7", None, "steady_user", False, None, 1)]
            ),
            "t.parquet: row 3: week_start is empty",
        ),
        (
            lambda folder: write_truth(folder / "t.parquet", [*TRUTH, TRUTH[0]]),
            "t.parquet: employee_id e1, week_start 2026-03-02 occurs 2 times",
        ),
    ],
    ids=[
        "missing file",
        "folder without truth",
        "not parquet",
        "missing column",
        "empty key",
        "duplicate key",
    ],
)
def test_bad_truth_is_a_clear_error_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture, make_truth: Callable[[Path], Path], message: str
) -> None:
    warehouse = write_flags(tmp_path / "warehouse.duckdb", FLAGS)
    folder = tmp_path / "truth"
    folder.mkdir()
    truth = make_truth(folder)
    with pytest.raises(EvaluationError, match=re.escape(message)):
        evaluate(warehouse, truth)
    assert main(["evaluate", "--warehouse", str(warehouse), "--truth", str(truth)]) == 2
    assert message in capsys.readouterr().err


def test_a_warehouse_without_flags_is_a_clear_error(tmp_path: Path) -> None:
    truth = write_truth(tmp_path / "engineer_weeks.parquet", TRUTH)
    with pytest.raises(EvaluationError, match="no such warehouse file"):
        evaluate(tmp_path / "absent.duckdb", truth)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(EvaluationError, match=re.escape("has no table marts.fct_consumption_flags")):
        evaluate(empty, truth)


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("evaluate")
    landing, work = root / "landing", root / "warehouse.duckdb"
    patch = pytest.MonkeyPatch()
    patch.setenv("DBT_LOG_PATH", str(root / "logs"))
    patch.setenv("AIROI_DUCKDB_TEMP_DIR", str(root / "tmp"))
    try:
        generate(landing, engineers=40, weeks=9, seed=4, progress=False)
        with duckdb.connect(str(work)) as con:
            ingest(con, landing)
        select = ["--indirect-selection", "cautious", "--select", "+fct_consumption_flags"]
        result = run_dbt(["build", *select], work, target_path=root / "target", quiet=True)
        assert result.ok, "\n".join(failure.render() for failure in result.failures)
        yield work, landing / "_ground_truth" / "engineer_weeks.parquet"
    finally:
        patch.undo()


def test_figures_on_a_generated_organisation_match_a_recount(generated: tuple[Path, Path]) -> None:
    warehouse, truth_path = generated
    result = evaluate(warehouse, truth_path)

    truth = {(row["employee_id"], row["week_start"]): row for row in pq.read_table(truth_path).to_pylist()}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        flags = dict(
            ((who, week), flagged)
            for who, week, flagged in con.execute(
                "select employee_id, week_start, is_flagged from marts.fct_consumption_flags"
            ).fetchall()
        )
    population = {key for key in flags if key in truth} | {
        key for key, row in truth.items() if row["ai_total_tokens"] > 0
    }
    outcome: Counter[tuple[bool, bool]] = Counter(
        (truth[key]["is_inflated"], flags.get(key, False)) for key in population
    )
    heavy = [flags.get(key, False) for key in population if truth[key]["persona"] == "heavy_agent_user"]
    caught: Counter[str] = Counter()
    styles: Counter[str] = Counter()
    for key in population:
        if truth[key]["is_inflated"]:
            styles[truth[key]["inflation_style"]] += 1
            caught[truth[key]["inflation_style"]] += flags.get(key, False)

    assert result.engineer_weeks == len(population)
    assert result.inflated > 0 and heavy, "the organisation should have inflated weeks and heavy users"
    assert result.precision == Ratio(outcome[True, True], outcome[True, True] + outcome[False, True])
    assert result.recall == Ratio(outcome[True, True], outcome[True, True] + outcome[True, False])
    assert result.heavy_fp_rate == Ratio(sum(heavy), len(heavy))
    assert result.recall_by_style == {style: Ratio(caught[style], styles[style]) for style in sorted(styles)}
