"""`airoi evaluate`: how well `marts.fct_consumption_flags` finds the inflation a generated
organisation planted.

`airoi generate` writes the truth beside its landing zone (`_ground_truth/engineer_weeks.parquet`:
one row per person and ISO week, with `persona`, `is_inflated` and `inflation_style`). The flags
are joined with it on (employee_id, week_start) over the engineer-weeks with AI usage: every week
the warehouse has a flag row for, plus every week the truth says had tokens (a week whose usage the
warehouse could not attribute to the engineer counts as not flagged, so recall is not flattered).

The figures are the acceptance measures, each with the counts behind it: precision over all flags,
recall overall and per inflation style (flags carry no style, so precision is only overall), and the
false-positive rate of each legitimate heavy archetype separately: the people a volume-only detector
would wrongly accuse. A truth says which archetypes those are in `persona_kind`
(`legitimate_heavy`); a truth without that column (the acme family) has one, `heavy_agent_user`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

TRUTH_FILE = "engineer_weeks.parquet"
TRUTH_FOLDER = "_ground_truth"
TRUTH_COLUMNS = ("employee_id", "week_start", "persona", "is_inflated", "inflation_style")
FLAGS_TABLE = "marts.fct_consumption_flags"
FLAG_COLUMNS = ("employee_id", "week_start", "is_flagged")
LEGITIMATE_HEAVY = "legitimate_heavy"
#: The legitimate heavy archetype of a truth that does not say (the acme family's).
DEFAULT_HEAVY_PERSONAS = ("heavy_agent_user",)

#: The acceptance: precision, recall, and each legitimate heavy archetype's false-positive rate.
TARGET_PRECISION = 0.90
TARGET_RECALL = 0.85
TARGET_HEAVY_FP_RATE = 0.03


class EvaluationError(Exception):
    """The inputs cannot be evaluated; the message names the file, row and column and says why."""


@dataclass(frozen=True)
class Ratio:
    """A figure with the counts behind it, so a reader can check it by hand."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def render(self) -> str:
        shown = "n/a" if self.value is None else f"{self.value:.3f}"
        return f"{shown:>5} ({self.numerator:,} / {self.denominator:,})"


@dataclass
class Evaluation:
    truth_path: Path
    warehouse: Path
    engineer_weeks: int
    flagged: int
    inflated: int
    precision: Ratio
    recall: Ratio
    heavy_fp_rate: Ratio
    heavy_fp_rate_by_persona: dict[str, Ratio] = field(default_factory=dict)
    recall_by_style: dict[str, Ratio] = field(default_factory=dict)
    flag_rate_by_persona: dict[str, Ratio] = field(default_factory=dict)
    inflated_without_usage_row: int = 0
    flags_without_truth: int = 0

    @property
    def meets_target(self) -> bool:
        return (
            (self.precision.value or 0.0) >= TARGET_PRECISION
            and (self.recall.value or 0.0) >= TARGET_RECALL
            and bool(self.heavy_fp_rate_by_persona)
            and all(
                ratio.value is None or ratio.value <= TARGET_HEAVY_FP_RATE
                for ratio in self.heavy_fp_rate_by_persona.values()
            )
        )

    def render(self) -> str:
        lines = [
            f"Flags:  {self.warehouse} ({FLAGS_TABLE})",
            f"Truth:  {self.truth_path}",
            f"Engineer-weeks with AI usage: {self.engineer_weeks:,}; inflated {self.inflated:,}; "
            f"flagged {self.flagged:,}",
            "",
            f"{'precision':<40} {self.precision.render()}   flagged weeks that are inflated",
            f"{'recall':<40} {self.recall.render()}   inflated weeks that are flagged",
            f"{'false-positive rate, legitimate heavy':<40} {self.heavy_fp_rate.render()}   "
            "their weeks that are flagged",
            "",
            "False-positive rate per legitimate heavy archetype:",
        ]
        lines += [
            f"  {persona:<38} {ratio.render()}" for persona, ratio in self.heavy_fp_rate_by_persona.items()
        ]
        lines += ["", "Recall per inflation style:"]
        lines += [f"  {style:<38} {ratio.render()}" for style, ratio in self.recall_by_style.items()]
        lines += ["", "Flagged share of the weeks that are not inflated, per persona:"]
        lines += [f"  {persona:<38} {ratio.render()}" for persona, ratio in self.flag_rate_by_persona.items()]
        lines.append("")
        if self.inflated_without_usage_row:
            lines.append(
                f"{self.inflated_without_usage_row:,} inflated weeks have no flag row (their usage is not "
                "attributed to the engineer); they count as missed."
            )
        if self.flags_without_truth:
            lines.append(
                f"{self.flags_without_truth:,} flag rows have no engineer-week in the truth; "
                "they are left out."
            )
        verdict = "meet" if self.meets_target else "do NOT meet"
        lines.append(
            f"The flags {verdict} the target: precision >= {TARGET_PRECISION:.2f}, recall >= "
            f"{TARGET_RECALL:.2f}, false-positive rate of every legitimate heavy archetype <= "
            f"{TARGET_HEAVY_FP_RATE:.0%}."
        )
        return "\n".join(lines)


def resolve_truth(path: Path) -> Path:
    """The truth file itself, or `engineer_weeks.parquet` in the folder given or in its `_ground_truth`."""
    path = Path(path)
    if path.is_dir():
        for candidate in (path / TRUTH_FILE, path / TRUTH_FOLDER / TRUTH_FILE):
            if candidate.is_file():
                return candidate
        raise EvaluationError(f"{path}: no {TRUTH_FILE} in the folder or in its {TRUTH_FOLDER}/ folder")
    if not path.is_file():
        raise EvaluationError(f"{path}: no such file")
    return path


def evaluate(warehouse: Path, truth: Path) -> Evaluation:
    """Compare the warehouse's consumption flags with a generated organisation's ground truth."""
    warehouse = Path(warehouse)
    truth_path = resolve_truth(truth)
    if not warehouse.is_file():
        raise EvaluationError(f"{warehouse}: no such warehouse file; run `airoi build` first")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise EvaluationError(f"{warehouse}: cannot open as a DuckDB file ({_first_line(error)})") from error
    with con:
        _check_flags(con, warehouse)
        columns = _check_truth(con, truth_path)
        heavy = ", ".join(f"'{persona}'" for persona in DEFAULT_HEAVY_PERSONAS)
        query = _JOIN_SQL.format(
            tokens="ai_total_tokens" if "ai_total_tokens" in columns else "0",
            kind=(
                "persona_kind"
                if "persona_kind" in columns
                else f"case when persona in ({heavy}) then '{LEGITIMATE_HEAVY}' end"
            ),
        )
        counts = con.execute(query, [str(truth_path)]).fetchall()
    return _summarise(counts, truth_path, warehouse)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _check_flags(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    schema, table = FLAGS_TABLE.split(".")
    columns = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    }
    if not columns:
        raise EvaluationError(
            f"{warehouse}: has no table {FLAGS_TABLE}; build the warehouse with `airoi build`"
        )
    missing = [column for column in FLAG_COLUMNS if column not in columns]
    if missing:
        raise EvaluationError(f"{warehouse}: {FLAGS_TABLE} lacks the column(s) {', '.join(missing)}")


def _check_truth(con: duckdb.DuckDBPyConnection, path: Path) -> set[str]:
    """Fail on a truth file that is not Parquet, lacks a column, or has a row without its key or label.

    Returns its columns: `ai_total_tokens` widens the population to the weeks with tokens the
    warehouse has no flag row for; `persona_kind` names the legitimate heavy archetypes.
    """
    try:
        described = con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as error:
        raise EvaluationError(f"{path}: not a readable Parquet file ({_first_line(error)})") from error
    types = {row[0]: row[1] for row in described}
    missing = [column for column in TRUTH_COLUMNS if column not in types]
    if missing:
        raise EvaluationError(
            f"{path}: missing column(s) {', '.join(missing)}; a ground truth has "
            f"{', '.join(TRUTH_COLUMNS)} (written by `airoi generate`)"
        )
    expected = {"week_start": ("DATE",), "is_inflated": ("BOOLEAN",)}
    for column, accepted in expected.items():
        if types[column] not in accepted:
            raise EvaluationError(f"{path}: column {column} is {types[column]}, expected {accepted[0]}")
    bad = con.execute(
        """
        select file_row_number + 1, case
            when employee_id is null then 'employee_id'
            when week_start is null then 'week_start'
            else 'is_inflated'
        end
        from read_parquet(?, file_row_number = true)
        where employee_id is null or week_start is null or is_inflated is null
        order by file_row_number
        limit 1
        """,
        [str(path)],
    ).fetchone()
    if bad:
        raise EvaluationError(f"{path}: row {bad[0]}: {bad[1]} is empty; every engineer-week needs it")
    duplicate = con.execute(
        """
        select employee_id, week_start, count(*)
        from read_parquet(?)
        group by employee_id, week_start
        having count(*) > 1
        order by employee_id, week_start
        limit 1
        """,
        [str(path)],
    ).fetchone()
    if duplicate:
        raise EvaluationError(
            f"{path}: employee_id {duplicate[0]}, week_start {duplicate[1]} occurs {duplicate[2]} times; "
            "the key (employee_id, week_start) must be unique"
        )
    return set(types)


_JOIN_SQL = """
with

truth as (

    select
        employee_id,
        week_start,
        persona,
        {kind} as persona_kind,
        is_inflated,
        inflation_style,
        coalesce({tokens}, 0) as ai_total_tokens
    from read_parquet(?)

),

flags as (

    select
        employee_id,
        cast(week_start as date) as week_start,
        coalesce(is_flagged, false) as is_flagged
    from marts.fct_consumption_flags

)

select
    truth.persona,
    truth.persona_kind,
    truth.inflation_style,
    truth.employee_id is not null as in_truth,
    flags.employee_id is not null as in_flags,
    coalesce(truth.is_inflated, false) as is_inflated,
    coalesce(flags.is_flagged, false) as is_flagged,
    count(*) as weeks
from truth
full outer join flags
    on
        truth.employee_id = flags.employee_id
        and truth.week_start = flags.week_start
where
    flags.employee_id is not null
    or truth.ai_total_tokens > 0
group by all
"""


def _summarise(counts: list[tuple], truth_path: Path, warehouse: Path) -> Evaluation:
    true_pos = false_pos = false_neg = heavy_weeks = heavy_flagged = 0
    weeks = flagged = inflated = without_usage_row = without_truth = 0
    by_style: dict[str, list[int]] = {}
    by_persona: dict[str, list[int]] = {}
    by_heavy: dict[str, list[int]] = {}
    for persona, kind, style, in_truth, in_flags, is_inflated, is_flagged, n in counts:
        if not in_truth:
            without_truth += n
            continue
        weeks += n
        flagged += n if is_flagged else 0
        if is_inflated:
            inflated += n
            caught = by_style.setdefault(style or "unknown", [0, 0])
            caught[1] += n
            if is_flagged:
                true_pos += n
                caught[0] += n
            else:
                false_neg += n
            without_usage_row += 0 if in_flags else n
        else:
            false_pos += n if is_flagged else 0
            rate = by_persona.setdefault(persona or "not an engineer", [0, 0])
            rate[1] += n
            rate[0] += n if is_flagged else 0
        if kind == LEGITIMATE_HEAVY and not is_inflated:
            heavy_weeks += n
            heavy_flagged += n if is_flagged else 0
            rate = by_heavy.setdefault(persona, [0, 0])
            rate[1] += n
            rate[0] += n if is_flagged else 0
    return Evaluation(
        truth_path=truth_path,
        warehouse=warehouse,
        engineer_weeks=weeks,
        flagged=flagged,
        inflated=inflated,
        precision=Ratio(true_pos, true_pos + false_pos),
        recall=Ratio(true_pos, true_pos + false_neg),
        heavy_fp_rate=Ratio(heavy_flagged, heavy_weeks),
        heavy_fp_rate_by_persona={persona: Ratio(*pair) for persona, pair in sorted(by_heavy.items())},
        recall_by_style={style: Ratio(*pair) for style, pair in sorted(by_style.items())},
        flag_rate_by_persona={persona: Ratio(*pair) for persona, pair in sorted(by_persona.items())},
        inflated_without_usage_row=without_usage_row,
        flags_without_truth=without_truth,
    )
