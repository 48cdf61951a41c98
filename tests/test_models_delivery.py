"""dbt integration test of the delivery models and the weekly marts, on a hand-made organisation.

A small landing zone (CSV and JSON lines) is written to `tmp_path`, ingested with the real ingest
and built with the real `dbt build` of everything the delivery marts depend on. Every expected
value below is worked out by hand in the comments, from the rows in `LANDING`.

The organisation, in the ISO weeks of 2 March (week A), 9 March (week B) and 16 March 2026 (week C):

- team_a owns repo acme/api and service api-svc; team_b owns acme/web and web-svc.
- e1 Alice (team_a, GitHub alice-gh) and e2 Bob (team_a, bobby) are employed throughout; e3 Carol
  (team_b) is hired on Tuesday 10 March (weeks B and C only); e4 Dave (team_b) leaves on Friday
  6 March (week A only).
- dependabot[bot] opens and merges PR 3: it counts nowhere, but Alice's approval of it is a review given.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.build import run_dbt
from orchestration.landing import ingest

WEEK_A = dt.date(2026, 3, 2)
WEEK_B = dt.date(2026, 3, 9)
WEEK_C = dt.date(2026, 3, 16)

DELIVERY_MARTS = [
    "dim_engineers",
    "fct_pull_requests",
    "fct_deployments",
    "fct_incidents",
    "fct_engineer_weekly",
    "fct_team_weekly",
    "fct_ai_effect",
]

LANDING: dict[str, list[dict[str, Any]]] = {
    "teams": [
        {"team_id": "team_a", "team_name": "Platform"},
        {"team_id": "team_b", "team_name": "Payments"},
    ],
    "people": [
        {
            "employee_id": "e1",
            "email": "alice@example.com",
            "team_id": "team_a",
            "hired_on": "2025-01-01",
            "annual_loaded_cost_usd": "208000",
        },
        {"employee_id": "e2", "email": "bob@example.com", "team_id": "team_a", "hired_on": "2025-06-01"},
        {"employee_id": "e3", "email": "carol@example.com", "team_id": "team_b", "hired_on": "2026-03-10"},
        {
            "employee_id": "e4",
            "email": "dave@example.com",
            "team_id": "team_b",
            "hired_on": "2024-01-01",
            "left_on": "2026-03-06",
        },
    ],
    "repositories": [
        {"repo": "acme/api", "team_id": "team_a"},
        {"repo": "acme/web", "team_id": "team_b"},
    ],
    "services": [
        {"service": "api-svc", "team_id": "team_a"},
        {"service": "web-svc", "team_id": "team_b"},
    ],
    "identities": [
        {"source_system": "github", "account_id": "alice-gh", "employee_id": "e1"},
        {"source_system": "github", "account_id": "bobby", "employee_id": "e2"},
        {"source_system": "github", "account_id": "carol", "employee_id": "e3"},
        {"source_system": "github", "account_id": "dave", "employee_id": "e4"},
    ],
    "pull_requests": [
        # A draft: first commit Mon 09:00, opened Mon 12:00 (written with its -08:00 offset), ready
        # Tue 10:00, merged Wed 10:00.
        {
            "repo": "acme/api",
            "pr_number": 1,
            "author_login": "alice-gh",
            "created_at": "2026-03-02T04:00:00-08:00",
            "ready_for_review_at": "2026-03-03T10:00:00Z",
            "first_commit_at": "2026-03-02T09:00:00Z",
            "merged_at": "2026-03-04T10:00:00Z",
            "merge_commit_sha": "m1",
        },
        # No first commit time: the cycle starts when it was opened, Thu 08:00; merged Thu 20:00.
        {
            "repo": "acme/api",
            "pr_number": 2,
            "author_login": "alice-gh",
            "created_at": "2026-03-05T08:00:00Z",
            "merged_at": "2026-03-05T20:00:00Z",
        },
        {
            "repo": "acme/api",
            "pr_number": 3,
            "author_login": "dependabot[bot]",
            "created_at": "2026-03-03T00:00:00Z",
            "merged_at": "2026-03-03T01:00:00Z",
        },
        # Squash-merged: its only commit with a trailer is the squash commit m4.
        {
            "repo": "acme/api",
            "pr_number": 4,
            "author_login": "bobby",
            "created_at": "2026-03-04T02:00:00Z",
            "first_commit_at": "2026-03-04T00:00:00Z",
            "merged_at": "2026-03-04T15:00:00Z",
            "merge_commit_sha": "m4",
        },
        {
            "repo": "acme/api",
            "pr_number": 5,
            "author_login": "dave",
            "created_at": "2026-03-05T07:00:00Z",
            "first_commit_at": "2026-03-05T06:00:00Z",
            "merged_at": "2026-03-05T12:00:00Z",
        },
        {
            "repo": "acme/web",
            "pr_number": 6,
            "author_login": "carol",
            "created_at": "2026-03-10T09:00:00Z",
            "first_commit_at": "2026-03-10T08:00:00Z",
            "merged_at": "2026-03-11T08:00:00Z",
        },
        {
            "repo": "acme/api",
            "pr_number": 7,
            "author_login": "alice-gh",
            "created_at": "2026-03-16T09:00:00Z",
        },
    ],
    "pr_reviews": [
        # Alice on her own PR: neither pickup nor a review given.
        {
            "repo": "acme/api",
            "pr_number": 1,
            "review_id": "r1",
            "reviewer_login": "alice-gh",
            "state": "COMMENTED",
            "submitted_at": "2026-03-03T11:00:00Z",
        },
        {
            "repo": "acme/api",
            "pr_number": 1,
            "review_id": "r2",
            "reviewer_login": "bobby",
            "state": "APPROVED",
            "submitted_at": "2026-03-03T14:00:00Z",
        },
        {
            "repo": "acme/api",
            "pr_number": 2,
            "review_id": "r3",
            "reviewer_login": "bobby",
            "state": "approved",
            "submitted_at": "2026-03-05T10:00:00Z",
        },
        {
            "repo": "acme/api",
            "pr_number": 4,
            "review_id": "r4",
            "reviewer_login": "alice-gh",
            "state": "APPROVED",
            "submitted_at": "2026-03-04T05:00:00Z",
        },
        # On the bot's PR: the bot's PR counts nowhere, Alice's review of it is a review given.
        {
            "repo": "acme/api",
            "pr_number": 3,
            "review_id": "r5",
            "reviewer_login": "alice-gh",
            "state": "APPROVED",
            "submitted_at": "2026-03-03T00:30:00Z",
        },
        # Bob comments while PR 1 is still a draft: a review given, but not the end of pickup.
        {
            "repo": "acme/api",
            "pr_number": 1,
            "review_id": "r6",
            "reviewer_login": "bobby",
            "state": "COMMENTED",
            "submitted_at": "2026-03-02T15:00:00Z",
        },
    ],
    "commits": [
        {
            "repo": "acme/api",
            "sha": "a1",
            "author_email": "alice@example.com",
            "authored_at": "2026-03-02T09:00:00Z",
            "message": "Add the endpoint\n\nCo-authored-by: Claude <noreply@anthropic.com>",
            "pr_number": 1,
        },
        # The trailer is broken over two lines: no line of it names a co-author with an address.
        {
            "repo": "acme/api",
            "sha": "a2",
            "author_email": "alice@example.com",
            "authored_at": "2026-03-05T08:30:00Z",
            "message": "Fix a typo\n\nCo-authored-by: Claude\n<claude@example.com>",
            "pr_number": 2,
        },
        {
            "repo": "acme/api",
            "sha": "b4",
            "author_email": "bob@example.com",
            "authored_at": "2026-03-04T00:00:00Z",
            "message": "Cache the lookup",
            "pr_number": 4,
        },
        {
            "repo": "acme/api",
            "sha": "m4",
            "author_email": "bob@example.com",
            "authored_at": "2026-03-04T15:00:00Z",
            "message": "Cache the lookup (#4)\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>",
        },
    ],
    "deployments": [
        {
            "repo": "acme/api",
            "deployment_id": "d1",
            "sha": "x1",
            "environment": "production",
            "status": "success",
            "started_at": "2026-03-04T09:00:00Z",
        },
        {
            "repo": "acme/api",
            "deployment_id": "d2",
            "sha": "x2",
            "environment": "production",
            "status": "failure",
            "started_at": "2026-03-04T12:00:00Z",
        },
        {
            "repo": "acme/api",
            "deployment_id": "d3",
            "sha": "x3",
            "environment": "staging",
            "status": "success",
            "started_at": "2026-03-04T13:00:00Z",
        },
        {
            "repo": "acme/api",
            "deployment_id": "d4",
            "sha": "x4",
            "environment": "production",
            "status": "success",
            "started_at": "2026-03-04T16:00:00Z",
        },
        {
            "repo": "acme/api",
            "deployment_id": "d5",
            "sha": "x5",
            "environment": "Prod",
            "status": "success",
            "started_at": "2026-03-06T08:00:00Z",
        },
        {
            "repo": "acme/web",
            "deployment_id": "d6",
            "sha": "y6",
            "environment": "production",
            "status": "error",
            "started_at": "2026-03-05T10:00:00Z",
        },
        {
            "repo": "acme/web",
            "deployment_id": "d7",
            "sha": "y7",
            "environment": "production",
            "status": "success",
            "started_at": "2026-03-11T12:00:00Z",
        },
    ],
    "incidents": [
        {
            "incident_id": "i1",
            "service": "api-svc",
            "created_at": "2026-03-04T18:00:00Z",
            "acknowledged_at": "2026-03-04T18:30:00Z",
            "resolved_at": "2026-03-04T21:00:00Z",
            "responder_email": "alice@example.com",
            "caused_by_deployment_id": "d4",
            "repo": "acme/api",
        },
        {
            "incident_id": "i2",
            "service": "api-svc",
            "created_at": "2026-03-05T00:00:00Z",
            "resolved_at": "2026-03-05T05:00:00Z",
            "responder_email": "Alice@Example.com",
        },
        {
            "incident_id": "i3",
            "service": "api-svc",
            "created_at": "2026-03-06T10:00:00Z",
            "resolved_at": "2026-03-09T10:00:00Z",
            "responder_email": "bob@example.com",
        },
        {"incident_id": "i4", "service": "api-svc", "created_at": "2026-03-07T00:00:00Z"},
        {
            "incident_id": "i5",
            "service": "web-svc",
            "created_at": "2026-03-12T00:00:00Z",
            "resolved_at": "2026-03-12T02:00:00Z",
            "responder_email": "carol@example.com",
        },
    ],
    "ai_usage_events": [
        {
            "event_id": "ev1",
            "occurred_at": "2026-03-03T10:00:00Z",
            "source_tool": "claude_code",
            "actor_id": "alice@example.com",
            "model": "claude-sonnet-4-5",
            "input_tokens": 1000,
            "cached_input_tokens": 500,
            "cache_write_tokens": 0,
            "output_tokens": 500,
            "cost_usd": 0.30,
        },
        {
            "event_id": "ev2",
            "occurred_at": "2026-03-05T10:00:00Z",
            "source_tool": "claude_code",
            "actor_id": "alice@example.com",
            "model": "claude-sonnet-4-5",
            "input_tokens": 3000,
            "output_tokens": 1000,
            "cost_usd": 0.70,
        },
        {
            "event_id": "ev3",
            "occurred_at": "2026-03-17T10:00:00Z",
            "source_tool": "claude_code",
            "actor_id": "carol@example.com",
            "model": "claude-sonnet-4-5",
            "input_tokens": 100,
            "output_tokens": 100,
            "cost_usd": 0.01,
        },
    ],
}

#: Where the delivery models live, for selecting their dbt unit tests.
DELIVERY_MODEL_PATHS = [
    "models/intermediate/delivery",
    "models/intermediate/engineering",
    *(f"models/marts/{mart}.sql" for mart in DELIVERY_MARTS if mart != "dim_engineers"),
]

#: Tables written as JSON lines; the rest land as CSV.
JSONL_TABLES = {"commits", "ai_usage_events", "incidents"}


def write_landing(landing: Path) -> None:
    for table, rows in LANDING.items():
        folder = landing / table
        folder.mkdir(parents=True)
        if table in JSONL_TABLES:
            (folder / "part-0.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
            continue
        columns = list(dict.fromkeys(key for row in rows for key in row))
        with (folder / "part-0.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The hand-made landing zone, ingested and built once for every test of this module."""
    root = tmp_path_factory.mktemp("delivery")
    write_landing(root / "landing")
    path = root / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        report = ingest(con, root / "landing")
    assert report.total_quarantined == 0, report.render()

    selection = " ".join(f"+{mart}" for mart in DELIVERY_MARTS)
    # dbt runs in its own process (as `airoi build` runs it), so its DuckDB connection is closed
    # before the assertions open the file.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIROI_DUCKDB_MEMORY_LIMIT", "1GB")
        result = run_dbt(
            [
                "build",
                "--select",
                selection,
                # Tests reaching beyond the selection (a dimension's relationship to a table this
                # build does not need) are left to the full build, and the dbt unit tests run in
                # test_delivery_unit_tests below.
                "--indirect-selection",
                "buildable",
                "--exclude",
                "test_type:unit",
            ],
            path,
            target_path=root / "target",
            quiet=True,
        )
    assert result.ok, "dbt build failed:\n" + "\n".join(failure.render() for failure in result.failures)
    yield path


def test_delivery_unit_tests(warehouse: Path) -> None:
    """The dbt unit tests of the delivery models (phases, medians, DORA, difference in differences)."""
    selection = [f"test_type:unit,path:{folder}" for folder in DELIVERY_MODEL_PATHS]
    result = run_dbt(
        ["test", "--select", *selection], warehouse, target_path=warehouse.parent / "unit", quiet=True
    )
    assert result.ok, "\n".join(failure.render() for failure in result.failures)
    # One per model with logic, 12 of them: fewer means some were not found.
    assert result.counts.get("pass", 0) >= 12, result.counts


def query(path: Path, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(parameters)).fetchall()


def one(path: Path, sql: str, *parameters: object) -> dict[str, Any]:
    with duckdb.connect(str(path), read_only=True) as con:
        cursor = con.execute(sql, list(parameters))
        rows = cursor.fetchall()
        assert len(rows) == 1, f"expected one row, got {rows}"
        return dict(zip([column[0] for column in cursor.description], rows[0], strict=True))


def test_pull_request_phases(warehouse: Path) -> None:
    pr = one(
        warehouse,
        """
        select coding_hours, pickup_hours, review_hours, deploy_hours, cycle_hours, lead_time_hours,
            first_review_at, first_production_deploy_at, is_ai_assisted, author_employee_id, team_id
        from marts.fct_pull_requests where pull_request_id = 'acme/api#1'
        """,
    )
    # coding: first commit Mon 2 Mar 09:00 -> ready Tue 10:00 = 25 h.
    assert pr["coding_hours"] == 25.0
    # pickup: ready Tue 10:00 -> Bob's approval Tue 14:00 = 4 h. Alice's own comment (Tue 11:00) and
    # Bob's comment on the draft (Mon 15:00, before it was ready) do not end pickup.
    assert pr["first_review_at"] == dt.datetime(2026, 3, 3, 14, 0)
    assert pr["pickup_hours"] == 4.0
    # review: Tue 14:00 -> merged Wed 10:00 = 20 h.
    assert pr["review_hours"] == 20.0
    # deploy: merged Wed 10:00; d1 (Wed 09:00) is before the merge, d2 failed, d3 is staging, so the
    # first successful production deployment is d4 at Wed 16:00: 6 h.
    assert pr["first_production_deploy_at"] == dt.datetime(2026, 3, 4, 16, 0)
    assert pr["deploy_hours"] == 6.0
    # cycle 25 + 4 + 20 = 49 h; lead time 49 + 6 = 55 h.
    assert (pr["cycle_hours"], pr["lead_time_hours"]) == (49.0, 55.0)
    assert (pr["author_employee_id"], pr["team_id"]) == ("e1", "team_a")
    assert pr["is_ai_assisted"] is True


def test_ai_assisted_is_matched_per_line_and_on_the_squash_commit(warehouse: Path) -> None:
    flags = dict(query(warehouse, "select pr_number, is_ai_assisted from marts.fct_pull_requests"))
    # PR 1: a Claude trailer; PR 2: the trailer is split over two lines, so no line matches;
    # PR 4: only the squash commit m4 (linked by merge_commit_sha) carries a Cursor trailer.
    assert (flags[1], flags[2], flags[4]) == (True, False, True)


def test_bot_pull_request_is_flagged_and_counts_nowhere(warehouse: Path) -> None:
    bot = one(
        warehouse,
        "select is_bot, author_employee_id from marts.fct_pull_requests where pull_request_id = 'acme/api#3'",
    )
    assert bot == {"is_bot": True, "author_employee_id": None}
    # Week A merged PRs by people: Alice 1 and 2, Bob 4, Dave 5; the bot's PR 3 is not among them.
    total = query(
        warehouse, "select sum(prs_merged) from marts.fct_engineer_weekly where week_start = ?", WEEK_A
    )
    assert total == [(4,)]


def test_engineer_week(warehouse: Path) -> None:
    alice = one(
        warehouse,
        "select * from marts.fct_engineer_weekly where employee_id = 'e1' and week_start = ?",
        WEEK_A,
    )
    # Tokens: ev1 1000 + 500 cached + 0 + 500 = 2000, ev2 3000 + 1000 = 4000: 6000; cost 0.30 + 0.70.
    assert alice["ai_total_tokens"] == 6000
    assert float(alice["ai_cost_usd"]) == pytest.approx(1.00)
    # PR 1 (49 h) and PR 2 (opened Thu 08:00, merged Thu 20:00: 12 h): median (49 + 12) / 2 = 30.5.
    assert alice["prs_merged"] == 2
    assert alice["median_pr_cycle_hours"] == 30.5
    # r4 on Bob's PR 4 and r5 on the bot's PR 3; r1 is on her own PR.
    assert alice["reviews_given"] == 2
    # i1 (18:00 -> 21:00, 3 h) and i2 (00:00 -> 05:00, 5 h; responder email in another case):
    # median (3 + 5) / 2 = 4.
    assert alice["incidents_resolved"] == 2
    assert alice["median_incident_resolve_hours"] == 4.0
    # 6000 tokens / 2 PRs; $1.00 / 2 PRs.
    assert alice["tokens_per_merged_pr"] == 3000.0
    assert float(alice["cost_per_merged_pr"]) == pytest.approx(0.50)
    # $1.00 of a week's loaded cost, 208,000 / 52 = 4,000.
    assert alice["ai_cost_share_of_loaded_cost"] == pytest.approx(0.00025)
    assert alice["adoption_cohort"] == "none"

    bob_a = one(
        warehouse,
        "select * from marts.fct_engineer_weekly where employee_id = 'e2' and week_start = ?",
        WEEK_A,
    )
    # r2, r3 and the draft comment r6; no AI usage, so 0 tokens over 1 merged PR.
    assert (bob_a["prs_merged"], bob_a["reviews_given"]) == (1, 3)
    assert (bob_a["ai_total_tokens"], bob_a["tokens_per_merged_pr"]) == (0, 0.0)
    bob_b = one(
        warehouse,
        "select * from marts.fct_engineer_weekly where employee_id = 'e2' and week_start = ?",
        WEEK_B,
    )
    # i3 was opened in week A but resolved Mon 9 Mar 10:00, 72 h later: it belongs to week B.
    assert (bob_b["incidents_resolved"], bob_b["median_incident_resolve_hours"]) == (1, 72.0)
    # No PR merged: the per-PR ratios are null, not zero.
    assert (bob_b["tokens_per_merged_pr"], bob_b["cost_per_merged_pr"]) == (None, None)


def test_engineers_get_rows_only_for_weeks_employed(warehouse: Path) -> None:
    weeks = query(
        warehouse,
        "select employee_id, week_start from marts.fct_engineer_weekly order by employee_id, week_start",
    )
    assert weeks == [
        ("e1", WEEK_A),
        ("e1", WEEK_B),
        ("e1", WEEK_C),
        ("e2", WEEK_A),
        ("e2", WEEK_B),
        ("e2", WEEK_C),
        # Hired Tuesday 10 March: from week B on.
        ("e3", WEEK_B),
        ("e3", WEEK_C),
        # Left Friday 6 March: week A only.
        ("e4", WEEK_A),
    ]


def test_team_week_with_dora(warehouse: Path) -> None:
    team = one(
        warehouse,
        "select * from marts.fct_team_weekly where team_id = 'team_a' and week_start = ?",
        WEEK_A,
    )
    # Production attempts of acme/api started in week A: d1, d2, d4 and d5 ('Prod'); d3 is staging.
    assert team["deployments"] == 4
    # d2 failed and d4 caused incident i1: 2 / 4.
    assert team["change_failure_rate"] == 0.5
    # Lead times of acme/api's people PRs merged in week A, to the first successful production
    # deployment at or after the merge: PR 1 55 h; PR 2 Thu 08:00 -> d5 Fri 08:00 = 24 h; PR 4
    # Wed 00:00 -> d4 Wed 16:00 = 16 h; PR 5 (Dave's, team_b, but acme/api is team_a's) Thu 06:00 ->
    # d5 Fri 08:00 = 26 h. Sorted 16, 24, 26, 55: median (24 + 26) / 2 = 25. The bot's PR 3 (33 h)
    # would have made it 26.
    assert team["median_lead_time_hours"] == 25.0
    # api-svc incidents opened in week A: i1 3 h, i2 5 h, i3 72 h, i4 still open: median 5.
    assert team["median_time_to_restore_hours"] == 5.0
    # Alice and Bob; Alice 2 PRs + Bob 1; cycle times 49, 12 and 15 (PR 4 Wed 00:00 -> 15:00):
    # median 15 over the PRs, not the median of the engineers' medians (30.5, 15).
    assert (team["engineers"], team["prs_merged"]) == (2, 3)
    assert team["median_pr_cycle_hours"] == 15.0
    # Reviews: Alice 2 + Bob 3; incidents resolved in week A: Alice's i1 and i2.
    assert (team["reviews_given"], team["incidents_resolved"]) == (2 + 3, 2)
    assert team["ai_total_tokens"] == 6000
    # 6000 tokens / 3 PRs.
    assert team["tokens_per_merged_pr"] == 2000.0

    payments = one(
        warehouse,
        "select * from marts.fct_team_weekly where team_id = 'team_b' and week_start = ?",
        WEEK_A,
    )
    # Only Dave is employed; acme/web's one attempt, d6, errored.
    assert (payments["engineers"], payments["prs_merged"]) == (1, 1)
    assert (payments["deployments"], payments["change_failure_rate"]) == (1, 1.0)
    assert payments["median_lead_time_hours"] is None


def test_incident_fact(warehouse: Path) -> None:
    incident = one(warehouse, "select * from marts.fct_incidents where incident_id = 'i1'")
    # Opened 18:00, acknowledged 18:30, resolved 21:00.
    assert (incident["time_to_acknowledge_hours"], incident["time_to_resolve_hours"]) == (0.5, 3.0)
    assert (incident["responder_employee_id"], incident["team_id"]) == ("e1", "team_a")


def test_ai_effect_says_nothing_without_adopters(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select adopters, effect_relative, ci_low, is_reportable from marts.fct_ai_effect "
        "where scope = 'organisation' order by outcome",
    )
    # Nobody used AI for three weeks running, so nobody adopted: four outcomes, no number for any.
    assert rows == [(0, None, None, False)] * 4
