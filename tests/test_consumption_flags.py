"""dbt integration tests of the consumption flags, on a hand-made landing zone.

Nine engineers of one team (zone Europe/Berlin, UTC+1 in March 2026) have the same three ordinary
weeks (2026-03-02, 03-09, 03-16): one Claude Code agent request of 1M tokens on Tuesday (1 USD,
100 lines suggested, 30 accepted), one commit with a Claude co-author trailer and one pull request
merged. Their usual week is therefore 1M tokens. In the week of 2026-03-23 each signal fires for one
engineer and stays silent for a twin who uses the same tokens but shows the outcome or the timing
of honest work:

    signal                   fires for                                 silent twin
    snapshot burst           Ben: 5 x 0.6M on Friday 14:10-16:10 UTC   Bea: the same on Wednesday
    unfollowed night runs    Nils: 35 agent requests from 23:30 local  Nora: the same, then a commit
    repeated prompts         Rita: 20 chats re-sending 2 prompts       Ravi: 20 different prompts
    spend without outcome    Otto: 3M tokens, no commit, no PR, 0.3%   Olga: the same tokens, 3 commits,
                             of lines accepted                         a merged PR, 30% accepted
    repeats and low          Mia: 3M tokens, 4 of 21 prompts repeated,
    acceptance at volume     6% of lines accepted

In that week Otto and Olga make only the requests above; everyone else also has the ordinary week
and ships as usual, so the volume signals of the twins are offset by their outcome. Lea, in another
team, left on 2026-03-15 but her account was used in the week after. Each expected figure is worked
out in the comments.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.build import run_dbt
from orchestration.ingest import ingest

SELECT = ["--indirect-selection", "cautious", "--select", "+fct_adjusted_demand_weekly", "dim_teams"]

ENGINEERS = ("ben", "bea", "nils", "nora", "rita", "ravi", "otto", "olga", "mia")
ORDINARY_WEEKS = tuple(datetime(2026, 3, day, tzinfo=UTC) for day in (2, 9, 16))
TEST_WEEK = datetime(2026, 3, 23, tzinfo=UTC)
TRAILER = "Co-authored-by: Claude <noreply@anthropic.com>"


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Landing:
    """Collects the rows of the hand-made organisation and writes them as a landing zone."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.commits: list[dict[str, Any]] = []
        self.pulls: list[dict[str, Any]] = []

    def request(
        self,
        who: str,
        at: datetime,
        tokens: int,
        *,
        kind: str = "agent",
        session: str | None = None,
        prompt: str | None = None,
        suggested: int | None = None,
        accepted: int | None = None,
    ) -> None:
        number = len(self.events)
        self.events.append(
            {
                "event_id": f"{who}-{number}",
                "occurred_at": iso(at),
                "source_tool": "claude_code",
                "actor_id": f"{who}@acme.com",
                "session_id": session or f"{who}-session-{number}",
                "model": "claude-sonnet-4-5",
                "request_kind": kind,
                "input_tokens": tokens,
                "output_tokens": 0,
                "cost_usd": str(Decimal(tokens) / Decimal(1_000_000)),
                "prompt_hash": prompt or f"{who}-prompt-{number}",
                "lines_suggested": suggested,
                "lines_accepted": accepted,
            }
        )

    def commit(self, who: str, at: datetime) -> None:
        self.commits.append(
            {
                "repo": "acme/pay",
                "sha": f"{who}{len(self.commits):038d}",
                "author_email": f"{who}@acme.com",
                "author_login": f"{who}-gh",
                "authored_at": iso(at),
                "message": f"feat: work of {who}\n\n{TRAILER}",
            }
        )

    def merged_pull(self, who: str, monday: datetime) -> None:
        self.pulls.append(
            {
                "repo": "acme/pay",
                "pr_number": len(self.pulls) + 1,
                "author_login": f"{who}-gh",
                "created_at": iso(monday + timedelta(hours=9)),
                "merged_at": iso(monday + timedelta(days=1, hours=12)),
            }
        )

    def ordinary_week(self, who: str, monday: datetime) -> None:
        """Tuesday 10:00 UTC: one agent request of 1M tokens; 11:00 a commit; a PR merged Tuesday noon."""
        self.request(who, monday + timedelta(days=1, hours=10), 1_000_000, suggested=100, accepted=30)
        self.commit(who, monday + timedelta(days=1, hours=11))
        self.merged_pull(who, monday)

    def write(self, landing: Path) -> None:
        write_csv(
            landing / "teams" / "teams.csv",
            [{"team_id": "t1", "team_name": "Payments"}, {"team_id": "t2", "team_name": "Search"}],
        )
        people = [
            {"employee_id": f"e-{who}", "email": f"{who}@acme.com", "team_id": "t1", "left_on": None}
            for who in ENGINEERS
        ]
        people.append(
            {"employee_id": "e-lea", "email": "lea@acme.com", "team_id": "t2", "left_on": "2026-03-15"}
        )
        write_csv(
            landing / "people" / "people.csv",
            [{**person, "role": "engineer", "timezone": "Europe/Berlin"} for person in people],
        )
        write_csv(
            landing / "identities" / "github.csv",
            [
                {"source_system": "github", "account_id": f"{who}-gh", "employee_id": f"e-{who}"}
                for who in (*ENGINEERS, "lea")
            ],
        )
        write_csv(landing / "repositories" / "repos.csv", [{"repo": "acme/pay", "team_id": "t1"}])
        write_csv(landing / "commits" / "commits.csv", self.commits)
        write_csv(landing / "pull_requests" / "pulls.csv", self.pulls)
        write_jsonl(landing / "ai_usage_events" / "events.jsonl", self.events)


def hand_made_organisation() -> Landing:
    land = Landing()
    for who in ENGINEERS:
        for monday in ORDINARY_WEEKS:
            land.ordinary_week(who, monday)
        if who not in ("otto", "olga"):
            land.ordinary_week(who, TEST_WEEK)

    friday, wednesday = TEST_WEEK + timedelta(days=4), TEST_WEEK + timedelta(days=2)
    for index in range(5):
        # Ben: five sessions of 0.6M in the three hours before Friday 17:00 UTC; Bea: on Wednesday.
        land.request("ben", friday + timedelta(hours=14, minutes=10 + 30 * index), 600_000, kind="chat")
        land.request("bea", wednesday + timedelta(hours=14, minutes=10 + 30 * index), 600_000, kind="chat")

    # Wednesday 22:30 UTC is 23:30 in Berlin: a run of 35 agent requests of 40k tokens, one a minute.
    night = wednesday + timedelta(hours=22, minutes=30)
    for who in ("nils", "nora"):
        for minute in range(35):
            land.request(who, night + timedelta(minutes=minute), 40_000, session=f"{who}-night")
    # Nora commits at 01:30 UTC, under 4 hours after her run's last request (23:04 UTC).
    land.commit("nora", night + timedelta(hours=3))

    for index in range(20):
        at = TEST_WEEK + timedelta(days=3, hours=9, minutes=5 * index)
        # Rita re-sends two prompts ten times each; Ravi sends twenty different ones.
        land.request("rita", at, 50_000, kind="chat", prompt=f"rita-loop-{index % 2}")
        land.request("ravi", at, 50_000, kind="chat")
        # Mia: 20 chats of 100k, 4 of them the same prompt, 5 of 100 suggested lines accepted each.
        land.request(
            "mia",
            at,
            100_000,
            kind="chat",
            prompt="mia-loop" if index < 4 else None,
            suggested=100,
            accepted=5,
        )

    for index in range(3):
        at = TEST_WEEK + timedelta(days=2, hours=10 + index)
        # Otto: 3 x 1M with 1 of 300 suggested lines accepted, and (above) no commit and no PR.
        land.request("otto", at, 1_000_000, suggested=100, accepted=1 if index == 0 else 0)
        # Olga: the same tokens, 30% accepted, a commit after each request and a merged PR.
        land.request("olga", at, 1_000_000, suggested=100, accepted=30)
        land.commit("olga", at + timedelta(minutes=30))
    land.merged_pull("olga", TEST_WEEK)

    # Lea left on Sunday 2026-03-15; her account was still used on the Tuesday after.
    for monday in ORDINARY_WEEKS:
        land.ordinary_week("lea", monday)
    return land


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("consumption")
    landing, work, target = root / "landing", root / "warehouse.duckdb", root / "target"
    patch = pytest.MonkeyPatch()
    patch.setenv("DBT_LOG_PATH", str(root / "logs"))
    patch.setenv("AIROI_DUCKDB_TEMP_DIR", str(root / "tmp"))
    try:
        hand_made_organisation().write(landing)
        with duckdb.connect(str(work)) as con:
            report = ingest(con, landing)
        assert report.total_quarantined == 0, report.render()
        result = run_dbt(["build", *SELECT], work, target_path=target, quiet=True)
        assert result.ok, "\n".join(failure.render() for failure in result.failures)
        yield work
    finally:
        patch.undo()


def rows(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def week_of(warehouse: Path, who: str) -> dict[str, Any]:
    found = rows(
        warehouse,
        "select * from marts.fct_consumption_flags "
        f"where employee_id = 'e-{who}' and week_start = '2026-03-23'",
    )
    assert len(found) == 1, found
    return found[0]


def test_ordinary_weeks_are_not_flagged(warehouse: Path) -> None:
    ordinary = rows(
        warehouse,
        "select count(*) as weeks, sum(case when is_flagged then 1 else 0 end) as flagged, "
        "max(inflation_score) as top_score from marts.fct_consumption_flags where week_start < '2026-03-23'",
    )
    # Nine engineers' three weeks, and Lea's two weeks while employed.
    assert ordinary == [{"weeks": 29, "flagged": 0, "top_score": 0.0}]


def test_usage_after_leaving_has_no_flag_row_as_in_the_engineer_weekly_mart(warehouse: Path) -> None:
    lea = rows(
        warehouse,
        "select week_start::varchar as week_start from marts.fct_consumption_flags "
        "where employee_id = 'e-lea' order by week_start",
    )
    assert lea == [{"week_start": "2026-03-02"}, {"week_start": "2026-03-09"}]


def test_burst_before_the_snapshot_is_flagged_and_the_same_tokens_midweek_are_not(warehouse: Path) -> None:
    ben = week_of(warehouse, "ben")
    # 3M of Ben's 4M tokens in the window, 3 usual weeks of 1M (the test week is not clean).
    assert (ben["is_flagged"], ben["inflation_score"], ben["snapshot_window_sessions"]) == (True, 1.0, 5)
    assert ben["reasons"] == (
        "75% of 4.0M tokens in the 3 hours before Friday 17:00 UTC (5 sessions, 3.0x a usual week); "
        "4.0M tokens, 4.0x the usual week of 1.0M; "
        "offset by outcome: 1 commit (1 AI-assisted), 1 merged pull request, 30% of suggested lines accepted"
    )
    bea = week_of(warehouse, "bea")
    # Bea's week is clean, so her usual week is (1 + 1 + 1 + 4) / 4 = 1.75M: a 2.3x step, fully offset.
    assert (bea["is_flagged"], bea["inflation_score"], bea["has_snapshot_burst"]) == (False, 0.0, False)
    assert bea["baseline_tokens"] == 1_750_000
    assert bea["has_step_change"] and bea["outcome_credit"] == 1.0


def test_night_runs_without_a_commit_are_flagged_and_followed_runs_are_not(warehouse: Path) -> None:
    nils = week_of(warehouse, "nils")
    assert (nils["is_flagged"], nils["unfollowed_night_runs"], nils["unfollowed_night_agent_requests"]) == (
        True,
        1,
        35,
    )
    assert nils["reasons"].startswith(
        "1 agent run started at night (23:00-05:00 local) with 35 requests and 1.4M tokens, "
        "no commit within 4 hours after; 2.4M tokens, 2.4x the usual week of 1.0M"
    )
    nora = week_of(warehouse, "nora")
    # Nora's commit at 01:30 UTC follows the run; her clean week puts her usual week at 1.35M (1.8x: no).
    assert (nora["is_flagged"], nora["unfollowed_night_runs"], nora["inflation_score"]) == (False, 0, 0.0)
    assert nora["commits"] == 2
    assert nora["reasons"] is None


def test_repeated_prompts_are_flagged_and_varied_prompts_are_not(warehouse: Path) -> None:
    rita = week_of(warehouse, "rita")
    # 20 of 21 prompted requests re-used one of two prompts (each sent 10 times).
    assert (rita["is_flagged"], rita["prompted_requests"], rita["repeated_prompt_requests"]) == (True, 21, 20)
    assert rita["reasons"].startswith(
        "95% of 21 prompted requests re-sent a prompt used 3+ times that week; "
    )
    ravi = week_of(warehouse, "ravi")
    assert (ravi["is_flagged"], ravi["repeated_prompt_requests"], ravi["reasons"]) == (False, 0, None)


def test_spend_without_outcome_is_flagged_and_the_same_spend_with_delivery_is_not(warehouse: Path) -> None:
    otto = week_of(warehouse, "otto")
    # 1 point for spend without outcome, 0.5 for the 3.0x step with nothing to offset it.
    assert (otto["is_flagged"], otto["inflation_score"], otto["outcome_credit"]) == (True, 1.5, 0.0)
    assert otto["reasons"] == (
        "3.0M tokens (3.0x the usual week) with no commit and no pull request; "
        "0.3% of 300 suggested lines accepted"
    )
    olga = week_of(warehouse, "olga")
    # Olga's usual week: (1 + 1 + 1 + 3) / 4 = 1.5M, so a 2.0x step, offset by 3 commits, a merge, 30%.
    assert (olga["is_flagged"], olga["inflation_score"], olga["commits"]) == (False, 0.0, 3)
    assert olga["reasons"] == (
        "3.0M tokens, 2.0x the usual week of 1.5M; "
        "offset by outcome: 3 commits (3 AI-assisted), 1 merged pull request, 30% of suggested lines accepted"
    )


def test_repeats_and_low_acceptance_at_volume_add_up_to_a_flag(warehouse: Path) -> None:
    mia = week_of(warehouse, "mia")
    # 4 of 21 prompted requests repeated (19%), 130 of 2,100 lines accepted (6.2%), 3.0x her usual week.
    # Step 0.5 less 0.75 credit (commit, AI-assisted commit, merge) is 0; the two supporting signals 1.0.
    assert (mia["has_repeats_at_volume"], mia["has_low_acceptance_at_volume"]) == (True, True)
    assert (mia["is_flagged"], mia["inflation_score"], mia["outcome_credit"]) == (True, 1.0, 0.75)
    assert mia["reasons"] == (
        "19% of 21 prompted requests re-sent a prompt used 3+ times that week; "
        "only 6.2% of 2100 suggested lines accepted; 3.0M tokens, 3.0x the usual week of 1.0M; "
        "offset by outcome: 1 commit (1 AI-assisted), 1 merged pull request"
    )


def test_adjusted_demand_takes_the_flagged_weeks_out(warehouse: Path) -> None:
    demand = rows(
        warehouse,
        "select engineers_with_usage, engineers_flagged, total_tokens, flagged_tokens, adjusted_tokens, "
        "round(flagged_token_share, 4) as share, flagged_excess_tokens, cost_usd, flagged_cost_usd "
        "from marts.fct_adjusted_demand_weekly where team_id = 't1' and week_start = '2026-03-23'",
    )
    # Tokens: Ben 4M, Bea 4M, Nils 2.4M, Nora 2.4M, Rita 2M, Ravi 2M, Otto 3M, Olga 3M, Mia 3M = 25.8M.
    # Flagged: Ben 4 + Nils 2.4 + Rita 2 + Otto 3 + Mia 3 = 14.4M; above their 1M usual weeks: 9.4M.
    assert demand == [
        {
            "engineers_with_usage": 9,
            "engineers_flagged": 5,
            "total_tokens": 25_800_000,
            "flagged_tokens": 14_400_000,
            "adjusted_tokens": 11_400_000,
            "share": 0.5581,
            "flagged_excess_tokens": 9_400_000,
            "cost_usd": Decimal("25.8"),
            "flagged_cost_usd": Decimal("14.4"),
        }
    ]
