"""dbt integration tests of the consumption flags, on a hand-made landing zone.

Sixty-three engineers of one team (zone Europe/Berlin, UTC+1 until 2026-03-29, UTC+2 after) have the same
ordinary weeks from 2026-03-02 to 2026-03-30: on Tuesday from 10:00 UTC, twenty Claude Code chat
requests of 40k uncached and 10k cached input tokens (1M tokens a week, 5 lines suggested and 2
accepted each), one commit at 12:00 and one pull request merged. Their usual week is therefore 1M
tokens. The week of 2026-03-23 is a release crunch: everyone works Wednesday as well as Tuesday,
forty requests (2M tokens), two commits and two merged pull requests. In the week of 2026-04-06,
each signature fires for one engineer and stays silent for a twin who spends the same tokens the
way honest work does, while thirty-two colleagues have an ordinary week (so the organisation's swing
that week is 1):

    signature                fires for                                   silent twin
    snapshot burst           Ben and three others: 3M in the 3 hours     Bea: the same burst on Tuesday
                             before Thursday 20:00 UTC (inferred), in    morning; Dev07: the same burst,
                             the test week and in the week of 03-09      with four times his usual work;
                                                                         Bert: the same burst, once
    unattended agents        Nils: 60 agent requests at night            Nora: the same, during an incident
                                                                         she acknowledges and resolves;
                                                                         Noah: the same, in a maintenance
                                                                         window whose commits land as it runs
    replayed prompts         Rita: 20 chats re-sending 2 prompts         Ravi: 20 different prompts
    spend without outcome    Otto: 3M tokens, no commit, no PR,          Olga: the same tokens, 3 commits,
                             1 of 300 lines accepted                     a merged PR, 30% accepted
    usage without output     Pete: 3M tokens, output flat, 12 of 60      Pia: the same, with 4 commits and
    + some replayed prompts  prompts repeated (half a flag each)         4 merged PRs (output rose with it)
    context stuffing         Cora: 25 requests of 600k uncached input    Cole: the same 15M tokens as 300
                                                                         requests of 50k, half cached
    premium for trivia       Paul: 30 Opus requests of 50 output tokens  Pat: 30 Opus requests of 2k output
    premium by default       Dev01: every chat on Opus, every week,      Dev08: the same, shipping three
                             with his peers' work (a flag each week)     times his peers' work every week
    acceptance collapse      Dev02: 40 agent requests proposing 20       Dev03: the same, keeping 8 of each
                             lines each, none kept                       20 as usual
    replayed prompts, a      Rita (above)                                Dev04: a nightly suite, 30 prompts
    test suite                                                           each sent once a night, 3 nights
    context stuffing, with   Cora (above)                                Dev05: the same requests answered
    its answers                                                          with 12k each (a batch job);
                                                                         Dev06: the same, while resolving
                                                                         an incident
    idle agent swarm         Ivy: 12 agent runs on Thursday, nothing     Iris: the same runs, each followed
                             accepted, no work after                     by a commit, lines accepted
    snapshot burst, in       Lars: 120 small requests (2k tokens) in     Lina: the same 120 requests there,
    requests                 the 3 hours before the snapshot, 6x his     a burst of the size her busiest
                             usual busiest 3 hours, in the test week     3 hours hold every week
                             and in the week of 03-09
    throwaway pull requests  Theo: 3M tokens of agent work and three     Tess: the same work and pull
                             pull requests, closed unmerged a week       requests, merged
                             later

Omar chats 3M tokens every week and shows no work at all: far above the role's median with output
under half of it, a flag in each week past his first weeks of use (the fixture shortens the weeks of
learning to one); Orla spends the same and gives eight reviews a week. Dev01's habit of Opus for
everything is a flag in each week too. Besides the twins: Nina, hired
on 2026-03-25, chats 3M tokens while she learns and ships nothing (no history, so no usual week to step
up from); Rex, a staff engineer who reviews and never commits, triples his review-assistant usage in a
week he gives three times his usual reviews; Lea, in another team, left on 2026-03-15 but her account
was used in the week after. In team Mobile, Tara keeps her weeks just above the team's average of the
week before while Tom's wander. To keep the weeks small, the fixture counts agents at night from 50
requests (the default is 150). Each expected figure is worked out in the comments.
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
from orchestration.landing import ingest

SELECT = [
    "--indirect-selection", "cautious", "--select",
    "+fct_adjusted_demand_weekly", "+fct_consumption_snapshot_hours", "dim_teams",
]  # fmt: skip

TWINS = (
    "ben", "bea", "nils", "nora", "rita", "ravi", "otto", "olga",
    "pete", "pia", "cora", "cole", "paul", "pat", "ivy", "iris",
    "lars", "lina", "theo", "tess", "noah",
)  # fmt: skip
BURSTERS = ("bo", "bram", "bruno", "bert")
CHASERS = ("bo", "bram", "bruno")
COLLEAGUES = tuple(f"dev{number:02d}" for number in range(1, 39))
ENGINEERS = (*TWINS, *BURSTERS, *COLLEAGUES)
#: Team Mobile's chats of 50k tokens in each week from 03-02 to 04-06: five colleagues who spread from
#: 0.2M to 4M a week, Tara at 1.8M every week, and Tom, who spends about as much but wanders.
MOBILE_WEEKS = {
    "mia": (4,) * 6,
    "mo": (10,) * 6,
    "max": (20,) * 6,
    "meg": (40,) * 6,
    "mel": (80,) * 6,
    "tara": (36,) * 6,
    "tom": (10, 60, 12, 54, 10, 36),
}
MOBILE = tuple(MOBILE_WEEKS)
ORDINARY_WEEKS = tuple(datetime(2026, 3, day, tzinfo=UTC) for day in (2, 9, 16, 30))
#: Thursday 2026-03-12 17:00 UTC: the earlier burst before the snapshot of Ben, the chasers and Lars.
EARLIER_BURST = datetime(2026, 3, 12, 17, tzinfo=UTC)
CRUNCH_WEEK = datetime(2026, 3, 23, tzinfo=UTC)
TEST_WEEK = datetime(2026, 4, 6, tzinfo=UTC)
TRAILER = "Co-authored-by: Claude <noreply@anthropic.com>"


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(dict.fromkeys(name for row in rows for name in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
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
        self.reviews: list[dict[str, Any]] = []
        self.incidents: list[dict[str, Any]] = []

    def request(
        self,
        who: str,
        at: datetime,
        *,
        uncached: int = 40_000,
        cached: int = 10_000,
        output: int = 0,
        kind: str = "chat",
        model: str = "claude-sonnet-4-5",
        session: str | None = None,
        prompt: str | None = None,
        suggested: int | None = 5,
        accepted: int | None = 2,
    ) -> None:
        number = len(self.events)
        tokens = uncached + cached + output
        self.events.append(
            {
                "event_id": f"{who}-{number}",
                "occurred_at": iso(at),
                "source_tool": "claude_code",
                "actor_id": f"{who}@acme.com",
                "session_id": session or f"{who}-session-{at:%Y%m%d}",
                "model": model,
                "request_kind": kind,
                "input_tokens": uncached,
                "cached_input_tokens": cached,
                "output_tokens": output,
                "cost_usd": str(Decimal(tokens) / Decimal(1_000_000)),
                "prompt_hash": prompt or f"{who}-prompt-{number}",
                "lines_suggested": suggested,
                "lines_accepted": accepted,
            }
        )

    def chats(self, who: str, start: datetime, count: int, every: int = 5, **options: Any) -> None:
        """`count` requests of 50k tokens, `every` minutes apart from `start`."""
        for index in range(count):
            self.request(who, start + timedelta(minutes=every * index), **options)

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

    def abandoned_pull(self, who: str, opened: datetime, closed: datetime) -> None:
        self.pulls.append(
            {
                "repo": "acme/pay",
                "pr_number": len(self.pulls) + 1,
                "author_login": f"{who}-gh",
                "created_at": iso(opened),
                "closed_at": iso(closed),
            }
        )

    def merged_pull(self, who: str, at: datetime) -> None:
        self.pulls.append(
            {
                "repo": "acme/pay",
                "pr_number": len(self.pulls) + 1,
                "author_login": f"{who}-gh",
                "created_at": iso(at - timedelta(hours=3)),
                "merged_at": iso(at),
            }
        )

    def review(self, who: str, at: datetime) -> None:
        """A review by `who` of Bea's first pull request."""
        self.reviews.append(
            {
                "repo": "acme/pay",
                "pr_number": 1,
                "review_id": len(self.reviews) + 1,
                "reviewer_login": f"{who}-gh",
                "state": "COMMENTED",
                "submitted_at": iso(at),
            }
        )

    def ordinary_week(self, who: str, monday: datetime, days: int = 1, **options: Any) -> None:
        """From Tuesday (and the days after), each day from 10:00 UTC: 20 chats of 50k tokens, a commit
        at 12:00, a PR merged at 15:00."""
        for day in range(days):
            morning = monday + timedelta(days=1 + day, hours=10)
            self.chats(who, morning, 20, **options)
            self.commit(who, morning + timedelta(hours=2))
            self.merged_pull(who, morning + timedelta(hours=5))

    def write(self, landing: Path) -> None:
        write_csv(
            landing / "teams" / "teams.csv",
            [
                {"team_id": "t1", "team_name": "Payments"},
                {"team_id": "t2", "team_name": "Search"},
                {"team_id": "t3", "team_name": "Mobile"},
            ],
        )
        people = [
            {"employee_id": f"e-{who}", "email": f"{who}@acme.com", "team_id": "t1"} for who in ENGINEERS
        ]
        people += [
            {"employee_id": "e-nina", "email": "nina@acme.com", "team_id": "t1", "hired_on": "2026-03-25"},
            {"employee_id": "e-rex", "email": "rex@acme.com", "team_id": "t1"},
            {"employee_id": "e-omar", "email": "omar@acme.com", "team_id": "t1"},
            {"employee_id": "e-orla", "email": "orla@acme.com", "team_id": "t1"},
            *({"employee_id": f"e-{who}", "email": f"{who}@acme.com", "team_id": "t3"} for who in MOBILE),
            {"employee_id": "e-lea", "email": "lea@acme.com", "team_id": "t2", "left_on": "2026-03-15"},
        ]
        write_csv(
            landing / "people" / "people.csv",
            [{**person, "role": "engineer", "timezone": "Europe/Berlin"} for person in people],
        )
        write_csv(
            landing / "identities" / "github.csv",
            [
                {"source_system": "github", "account_id": f"{who}-gh", "employee_id": f"e-{who}"}
                for who in (*ENGINEERS, "nina", "rex", "lea", "omar", "orla", *MOBILE)
            ],
        )
        write_csv(landing / "repositories" / "repos.csv", [{"repo": "acme/pay", "team_id": "t1"}])
        write_csv(landing / "services" / "services.csv", [{"service": "payments-api", "team_id": "t1"}])
        write_csv(landing / "commits" / "commits.csv", self.commits)
        write_csv(landing / "pull_requests" / "pulls.csv", self.pulls)
        write_csv(landing / "pr_reviews" / "reviews.csv", self.reviews)
        write_csv(landing / "incidents" / "incidents.csv", self.incidents)
        write_jsonl(landing / "ai_usage_events" / "events.jsonl", self.events)


def hand_made_organisation() -> Landing:
    land = Landing()
    for who in (*ENGINEERS, "lea"):
        # Dev01 and Dev08 send every chat to Opus, with 1.5k tokens of answer each.
        options = {"model": "claude-opus-4-1", "output": 1_500} if who in ("dev01", "dev08") else {}
        for monday in ORDINARY_WEEKS:
            if who != "lea" or monday < datetime(2026, 3, 16, tzinfo=UTC):
                land.ordinary_week(who, monday, **options)
        if who != "lea":
            land.ordinary_week(who, CRUNCH_WEEK, days=2, **options)
        if who not in ("otto", "olga", "pete", "pia", "lea"):
            land.ordinary_week(who, TEST_WEEK, **options)
    # Dev08 ships two more commits and merged pull requests than his peers on each working day.
    for monday, days in (*((week, 1) for week in ORDINARY_WEEKS), (CRUNCH_WEEK, 2), (TEST_WEEK, 1)):
        for day in range(days):
            for number in range(2):
                land.commit("dev08", monday + timedelta(days=1 + day, hours=13 + number))
                land.merged_pull("dev08", monday + timedelta(days=1 + day, hours=16 + number))
    # Lea's account, used in the week after she left.
    land.chats("lea", datetime(2026, 3, 17, 10, tzinfo=UTC), 20)

    tuesday, wednesday = TEST_WEEK + timedelta(days=1), TEST_WEEK + timedelta(days=2)
    thursday = TEST_WEEK + timedelta(days=3)
    # Ben and four others: 60 chats of 50k (3M) from Thursday 17:00 to 19:57 UTC, before a snapshot at
    # 20:00 UTC that nobody told the warehouse about; Bea the same from Tuesday 06:00 (a 6M usage week
    # like theirs, but the burst lines up with nobody's).
    for who in ("ben", *BURSTERS, "dev07"):
        land.chats(who, thursday + timedelta(hours=17), 60, every=3, session=f"{who}-burst")
    # Ben and three of the others chase the board a second time, on Thursday of the week of 03-09; Bert
    # bursts before it once (chance gives a burst at the snapshot hour to someone most weeks).
    for who in ("ben", *CHASERS):
        land.chats(who, EARLIER_BURST, 60, every=3, session=f"{who}-earlier-burst")
    # Dev07's burst comes with three more commits and merged pull requests than his usual one: a push
    # to ship before the snapshot.
    for number in range(3):
        land.commit("dev07", thursday + timedelta(hours=10 + number))
        land.merged_pull("dev07", thursday + timedelta(hours=14 + number))
    land.chats("bea", tuesday + timedelta(hours=6), 60, every=3, session="bea-burst")

    # Wednesday 21:30 UTC is 23:30 in Berlin: 60 agent requests of 50k, one every four minutes until
    # 01:26 UTC. Nils has nothing else that night; Nora acknowledges an incident at 21:35 and resolves
    # it at 01:40 UTC.
    night = wednesday + timedelta(hours=21, minutes=30)
    for who in ("nils", "nora", "noah"):
        for index in range(60):
            land.request(
                who, night + timedelta(minutes=4 * index), kind="agent", session=f"{who}-night",
                suggested=None, accepted=None,
            )  # fmt: skip
    for hour in range(4):
        land.commit("noah", night + timedelta(minutes=30 + 60 * hour))
    land.incidents.append(
        {
            "incident_id": "INC-1",
            "service": "payments-api",
            "severity": "sev2",
            "created_at": iso(night - timedelta(minutes=10)),
            "acknowledged_at": iso(night + timedelta(minutes=5)),
            "resolved_at": iso(night + timedelta(hours=4, minutes=10)),
            "responder_email": "nora@acme.com",
        }
    )

    for index in range(20):
        at = thursday + timedelta(hours=9, minutes=5 * index)
        # Rita re-sends two prompts ten times each; Ravi sends twenty different ones.
        land.request("rita", at, prompt=f"rita-loop-{index % 2}")
        land.request("ravi", at)

    # Otto: 60 requests (3M tokens), 1 of 300 suggested lines accepted, no commit and no PR.
    # Olga: the same tokens, 30% accepted, three commits and a merged PR.
    for index in range(60):
        at = wednesday + timedelta(hours=9, minutes=5 * index)
        land.request("otto", at, suggested=5, accepted=1 if index == 0 else 0)
        land.request("olga", at, suggested=5, accepted=2 if index % 2 else 1)
    for hour in (12, 15, 17):
        land.commit("olga", wednesday + timedelta(hours=hour))
    land.merged_pull("olga", wednesday + timedelta(hours=18))

    # Pete and Pia: 60 chats without code (3M tokens), twelve of them one prompt sent twelve times. Pete
    # ships his ordinary commit and pull request; Pia four of each.
    for who, shipped in (("pete", 1), ("pia", 4)):
        for index in range(60):
            land.request(
                who, tuesday + timedelta(hours=8, minutes=3 * index),
                prompt=f"{who}-again" if index < 12 else None, suggested=None, accepted=None,
            )  # fmt: skip
        for number in range(shipped):
            land.commit(who, tuesday + timedelta(hours=12 + number))
            land.merged_pull(who, tuesday + timedelta(hours=15 + number))

    # Cora: 25 requests of 600k uncached input (15M tokens). Cole: 300 requests of 25k uncached and
    # 25k cached input (15M tokens) from Wednesday 06:00, one every two minutes.
    # Dev05 sends Cora's requests and gets 12k tokens (2% of each context) back from each; Dev06 sends
    # them while he resolves an incident on Thursday.
    for index in range(25):
        at = thursday + timedelta(hours=9, minutes=10 * index)
        land.request("cora", at, uncached=600_000, cached=0)
        land.request("dev05", at, uncached=600_000, cached=0, output=12_000)
        land.request("dev06", at, uncached=600_000, cached=0)
    land.incidents.append(
        {
            "incident_id": "INC-2",
            "service": "payments-api",
            "severity": "sev3",
            "created_at": iso(thursday + timedelta(hours=8, minutes=50)),
            "acknowledged_at": iso(thursday + timedelta(hours=9)),
            "resolved_at": iso(thursday + timedelta(hours=13, minutes=30)),
            "responder_email": "dev06@acme.com",
        }
    )
    for index in range(300):
        land.request(
            "cole", wednesday + timedelta(hours=6, minutes=2 * index), uncached=25_000, cached=25_000
        )

    # Paul: 30 Opus requests with 50 output tokens each; Pat: 30 with 2,000 (Opus output is 75 USD per
    # million tokens, a premium model).
    for who, output in (("paul", 50), ("pat", 2_000)):
        for index in range(30):
            land.request(
                who, thursday + timedelta(hours=9, minutes=5 * index),
                uncached=5_000, cached=0, output=output, model="claude-opus-4-1",
            )  # fmt: skip

    # Dev02 and Dev03: 20 agent requests on Wednesday and 20 on Thursday from 13:00 UTC, each proposing 20
    # lines; Dev02 keeps none, Dev03 keeps 8 of each 20 (the 40% of his usual weeks).
    for who, kept in (("dev02", 0), ("dev03", 8)):
        for day in (wednesday, thursday):
            for index in range(20):
                land.request(
                    who, day + timedelta(hours=13, minutes=5 * index), kind="agent",
                    session=f"{who}-agent-{day:%d}", suggested=20, accepted=kept,
                )  # fmt: skip

    # Dev04's regression suite: 30 prompts of 2k tokens, each sent once a night at 02:00 UTC on Tuesday,
    # Wednesday and Thursday, one a minute.
    for night_of in (tuesday, wednesday, thursday):
        for index in range(30):
            land.request(
                "dev04", night_of + timedelta(hours=2, minutes=index), uncached=1_000, cached=1_000,
                prompt=f"dev04-suite-{index}", suggested=None, accepted=None,
            )  # fmt: skip

    # Ivy and Iris: twelve agent runs of ten requests of 50k each on Thursday from 13:00 UTC, one every
    # twenty minutes. Ivy accepts nothing and shows no work after; Iris accepts lines and commits
    # after each run.
    for run in range(12):
        start = thursday + timedelta(hours=13, minutes=20 * run)
        for who in ("ivy", "iris"):
            for index in range(10):
                land.request(
                    who, start + timedelta(minutes=index), kind="agent", session=f"{who}-run-{run}",
                    suggested=5, accepted=0 if who == "ivy" else 3,
                )  # fmt: skip
        land.commit("iris", start + timedelta(minutes=15))

    # Lina's busiest three hours hold 120 requests of 2k tokens (1k uncached, 1k cached, 240k) every
    # week, on Monday from 09:00 UTC one every 90 seconds; in the test week the same 120 requests come
    # from Thursday 17:00 UTC, before the snapshot. Lars's usual busiest three hours hold his 20 Tuesday
    # chats, and in the test week he sends the same 120 small requests before the snapshot.
    for monday in (*ORDINARY_WEEKS, CRUNCH_WEEK):
        start = monday + timedelta(hours=9)
        for index in range(120):
            land.request("lina", start + timedelta(seconds=90 * index), uncached=1_000, cached=1_000)
    for who in ("lars", "lina"):
        for index in range(120):
            land.request(
                who, thursday + timedelta(hours=17, seconds=90 * index), uncached=1_000, cached=1_000,
                session=f"{who}-burst",
            )  # fmt: skip
    for index in range(120):
        land.request(
            "lars", EARLIER_BURST + timedelta(seconds=90 * index), uncached=1_000, cached=1_000,
            session="lars-earlier-burst",
        )  # fmt: skip

    # Theo and Tess: on Wednesday from 09:00 UTC, three agent runs of twenty 50k requests (3M tokens),
    # each followed by a pull request opened an hour after the run. Theo's three are closed unmerged
    # on the Tuesday after; Tess's are merged that evening.
    for run in range(3):
        start = wednesday + timedelta(hours=9 + 3 * run)
        for who in ("theo", "tess"):
            for index in range(20):
                land.request(
                    who, start + timedelta(minutes=5 * index), kind="agent", session=f"{who}-proto-{run}",
                )  # fmt: skip
        opened = start + timedelta(hours=2, minutes=40)
        land.abandoned_pull("theo", opened, TEST_WEEK + timedelta(days=8, hours=10))
        land.merged_pull("tess", opened + timedelta(hours=3))

    # Nina, hired on Wednesday 2026-03-25: her first two weeks chat 1M tokens, then 3M in the test
    # week, learning; no commit and no pull request yet.
    land.chats("nina", datetime(2026, 3, 26, 10, tzinfo=UTC), 20)
    land.chats("nina", datetime(2026, 3, 31, 10, tzinfo=UTC), 20)
    land.chats("nina", tuesday + timedelta(hours=8), 60)

    # Omar and Orla: 60 chats (3M tokens) on Wednesday of every week from 09:00 UTC; Orla gives eight
    # reviews each week, Omar nothing.
    for monday in (*ORDINARY_WEEKS, CRUNCH_WEEK, TEST_WEEK):
        for who in ("omar", "orla"):
            land.chats(who, monday + timedelta(days=2, hours=9), 60, suggested=None, accepted=None)
        for index in range(8):
            land.review("orla", monday + timedelta(days=2, hours=15, minutes=10 * index))

    # Team Mobile: each week's chats on Tuesday from 09:00 UTC, a commit at 16:00 and a merged PR.
    for who, counts in MOBILE_WEEKS.items():
        for monday, count in zip(
            (*ORDINARY_WEEKS[:3], CRUNCH_WEEK, ORDINARY_WEEKS[3], TEST_WEEK), counts, strict=True
        ):
            land.chats(who, monday + timedelta(days=1, hours=9), count, suggested=None, accepted=None)
            land.commit(who, monday + timedelta(days=1, hours=16))
            land.merged_pull(who, monday + timedelta(days=1, hours=18))

    # Rex reviews: in each ordinary and crunch week 20 review-assistant requests (1M) and two reviews;
    # in the test week 60 requests (3M) and six reviews.
    for monday in (*ORDINARY_WEEKS, CRUNCH_WEEK, TEST_WEEK):
        count = 60 if monday == TEST_WEEK else 20
        land.chats("rex", monday + timedelta(days=2, hours=9), count, kind="review")
        for index in range(count // 10):
            land.review("rex", monday + timedelta(days=2, hours=11, minutes=10 * index))
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
        result = run_dbt(
            [
                "build", *SELECT, "--vars",
                "{airoi_consumption_learning_weeks: 1, airoi_consumption_off_hours_min_agent_requests: 50}",
            ],
            work, target_path=target, quiet=True,
        )  # fmt: skip
        assert result.ok, "\n".join(failure.render() for failure in result.failures)
        yield work
    finally:
        patch.undo()


def rows(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def week_of(warehouse: Path, who: str, week: str = "2026-04-06") -> dict[str, Any]:
    found = rows(
        warehouse,
        f"select * from marts.fct_consumption_flags where employee_id = 'e-{who}' and week_start = '{week}'",
    )
    assert len(found) == 1, found
    return found[0]


def flagged(warehouse: Path, who: str) -> tuple[bool, float, str | None]:
    week = week_of(warehouse, who)
    return week["is_flagged"], week["inflation_score"], week["reason_codes"]


def test_ordinary_and_crunch_weeks_are_not_flagged(warehouse: Path) -> None:
    ordinary = rows(
        warehouse,
        "select count(*) as weeks, sum(case when is_flagged then 1 else 0 end) as flagged, "
        "max(inflation_score) as top_score from marts.fct_consumption_flags "
        "where week_start < '2026-04-06' and employee_id not in ('e-omar', 'e-dev01') and team_id != 't3' "
        "and not (week_start = '2026-03-09' "
        "and employee_id in ('e-ben', 'e-bo', 'e-bram', 'e-bruno', 'e-lars'))",
    )
    # 64 engineers' weeks from 03-02 to 03-30 (62 without Dev01, Rex and Orla: 320), Nina's from her
    # hiring week 03-23 (2), and Lea's two weeks while employed (2), less the five earlier bursts before
    # the snapshot (319). The crunch week doubles everyone's tokens and output, so it is no one's step up.
    assert ordinary == [{"weeks": 319, "flagged": 0, "top_score": 0.0}]
    crunch = week_of(warehouse, "ravi", "2026-03-23")
    # Usual week: the 35th percentile of the full weeks 03-09, 03-16, 03-23, 03-30 (1M, 1M, 2M, 1M) is
    # 1M; the organisation's swing that week is 2M / 1M = 2, so the crunch week is 2M / (1M x 2) = 1x.
    assert (crunch["usual_tokens"], crunch["org_tokens_swing"], crunch["tokens_vs_usual"]) == (1e6, 2.0, 1.0)


def test_the_snapshot_is_inferred_where_bursts_line_up(warehouse: Path) -> None:
    snapshot = rows(
        warehouse,
        "select hour_of_week, isodow_utc, hour_utc, ending_weeks, excess_burst_weeks, snapshot_source "
        "from marts.fct_consumption_snapshot_hours where is_snapshot",
    )
    # Twelve bursts end with the hour 19:00-20:00 UTC on Thursday: hour 3 x 24 + 20 = 92 of the week;
    # in the test week Ben's, the four others', Dev07's and Lars's, in the week of 03-09 Ben's, Bo's,
    # Bram's, Bruno's and Lars's. A burst is a busiest window of 2.5x the engineer's median one (20
    # requests, their ordinary Tuesday) and 30 requests or more: eighteen of the 443 engineer-weeks
    # (those twelve, and Bea's, Cole's, Pete's, Pia's, Ivy's and Iris's, at other hours). Of the other
    # 425 weeks one ends there (Lina's, whose 120 requests are her usual busiest window), so 18 x 1 / 425
    # bursts are expected there.
    assert snapshot == [
        {
            "hour_of_week": 92,
            "isodow_utc": 4,
            "hour_utc": 20,
            "ending_weeks": 12,
            "excess_burst_weeks": pytest.approx(12 - 18 / 425),
            "snapshot_source": "inferred",
        }
    ]


def test_a_burst_before_the_snapshot_is_flagged_and_the_same_burst_elsewhere_is_not(warehouse: Path) -> None:
    for who in ("ben", *CHASERS):
        for week in ("2026-03-09", "2026-04-06"):
            found = week_of(warehouse, who, week)
            assert (found["is_flagged"], found["inflation_score"], found["reason_codes"]) == (
                True,
                1.0,
                "snapshot_burst",
            ), (who, week)
            assert found["snapshot_burst_weeks_nearby"] == 2, (who, week)
    # 3M of Ben's 4M tokens (his ordinary 1M on Tuesday, the 3M burst) in the window; in his usual
    # weeks nothing there. His 60 requests there are 3x the 20 his busiest three hours usually hold.
    # Four weeks earlier he chased the board the same way.
    assert week_of(warehouse, "ben")["reasons"] == (
        "75% of 4.0M tokens in the 3 hours before Thursday 20:00 UTC, the leaderboard snapshot (inferred); "
        "the usual week has 0% there; 60 requests there, 3.0x the usual busiest 3 hours (20); "
        "2 weeks with such a burst within 8 weeks either side"
    )
    # Bert's burst is Ben's, once in his six weeks: what chance gives someone at the snapshot hour.
    bert = week_of(warehouse, "bert")
    assert (bert["is_flagged"], bert["snapshot_window_share"], bert["snapshot_burst_weeks_nearby"]) == (
        False,
        0.75,
        1,
    )
    assert "snapshot_burst" not in (bert["reason_codes"] or "")
    # Bea's burst is as big, on Tuesday morning; her 4x week with output flat is half a flag at most.
    assert flagged(warehouse, "bea") == (False, 0.0, None)
    # Dev07's burst is Ben's, with four commits and four merged pull requests: 4x his usual week's work.
    dev07 = week_of(warehouse, "dev07")
    assert (dev07["snapshot_window_share"], dev07["prs_merged"], dev07["is_flagged"]) == (0.75, 4, False)


def test_agents_left_running_at_night_are_flagged_and_an_on_call_night_is_not(warehouse: Path) -> None:
    assert flagged(warehouse, "nils") == (True, 1.5, "unattended_agents,usage_without_output")
    nils = week_of(warehouse, "nils")
    # 23:30 to 03:26 Berlin time (UTC+2): 60 requests in the hours 23, 0, 1, 2 and 3; 4M tokens = 4x.
    assert (nils["off_hours_agent_requests"], nils["off_hours_active_hours"], nils["tokens_vs_usual"]) == (
        60,
        5,
        4.0,
    )
    assert nils["reasons"].startswith(
        "60 agent requests in 5 hours at night or at the weekend, with no incident handled that week "
        "(role median 0, usual week 0), 60 of them with no work shown within 3 hours; 4.0M tokens, 4.0x the "
        "usual week of 1.0M net of the organisation's swing, while output was 1.0x the usual week's"
    )
    # Noah's same night is a maintenance window: a commit lands within the hour of each of his agent hours.
    noah = week_of(warehouse, "noah")
    assert (noah["off_hours_agent_requests"], noah["off_hours_unattended_agent_requests"]) == (60, 0)
    assert "unattended_agents" not in (noah["reason_codes"] or "")
    assert noah["is_flagged"] is False
    # Nora's same night ends with the incident she resolves: work followed, output rose with the usage.
    nora = week_of(warehouse, "nora")
    assert (nora["is_flagged"], nora["incidents_resolved"], nora["has_proportional_output"]) == (
        False,
        1,
        True,
    )


def test_replayed_prompts_are_flagged_and_varied_prompts_are_not(warehouse: Path) -> None:
    assert flagged(warehouse, "rita") == (True, 1.5, "replayed_prompts,usage_without_output")
    # 20 of the week's 40 prompted requests re-sent one of two prompts (each sent 10 times).
    assert week_of(warehouse, "rita")["reasons"].startswith(
        "50% of 40 prompted requests re-sent a prompt used 3+ times that week (role median 0%, usual week 0%)"
    )
    # Ravi's 2M week with output flat is half a flag.
    assert flagged(warehouse, "ravi") == (False, 0.5, "usage_without_output")


def test_a_test_suite_run_every_night_is_not_a_replay(warehouse: Path) -> None:
    # 90 of Dev04's 110 prompted requests re-send a prompt (82%, more than Rita's 50%), but 30 distinct
    # prompts each sent three times is a suite; Rita re-sent 2 prompts ten times each.
    dev04 = week_of(warehouse, "dev04")
    assert (dev04["repeated_prompts"], dev04["uses_per_repeated_prompt"]) == (30, 3.0)
    assert dev04["repeated_prompt_share"] == pytest.approx(90 / 110)
    assert flagged(warehouse, "dev04") == (False, 0.0, None)
    rita = week_of(warehouse, "rita")
    assert (rita["repeated_prompts"], rita["uses_per_repeated_prompt"]) == (2, 10.0)


def test_spend_without_outcome_is_flagged_and_the_same_spend_with_delivery_is_not(warehouse: Path) -> None:
    assert flagged(warehouse, "otto") == (
        True,
        2.5,
        "acceptance_collapse,spend_without_outcome,usage_without_output",
    )
    # Usual: a commit, a PR opened and one merged in three full weeks, twice that in the crunch week:
    # (3 + 3 + 6 + 3) / 4 = 3.75 a week; this week none, at 3M tokens = 3x the usual week. And 1 of
    # the 300 proposed lines kept, where he and his peers keep 40%.
    otto = week_of(warehouse, "otto")["reasons"]
    assert otto.startswith("1 of 300 proposed lines kept (0%; role median 40%, usual week 40%); ")
    assert otto.removeprefix(
        "1 of 300 proposed lines kept (0%; role median 40%, usual week 40%); "
    ).startswith(
        "3.0M tokens (3.0x the usual week, 3.0x the role's median) with no commit, no pull request and no "
        "incident handled, "
        "by someone who usually shows 3.8 commits and pull requests a week; output 0.0x the usual week's"
    )
    assert flagged(warehouse, "olga") == (False, 0.0, None)


def test_usage_up_with_output_flat_adds_up_and_the_same_usage_with_output_does_not(warehouse: Path) -> None:
    # Half a flag for 12 of 60 prompts repeated (20%), half for 3x the tokens with output at 0.8x.
    assert flagged(warehouse, "pete") == (True, 1.0, "some_replayed_prompts,usage_without_output")
    # Pia ships four commits and four merged PRs: output 3.1x against 3x the tokens, so the usage step
    # counts nothing, and the repeats alone are half a flag.
    pia = week_of(warehouse, "pia")
    assert (pia["has_proportional_output"], pia["is_flagged"], pia["reason_codes"]) == (
        True,
        False,
        "some_replayed_prompts",
    )


def test_context_stuffing_is_flagged_and_the_same_tokens_in_ordinary_requests_are_not(
    warehouse: Path,
) -> None:
    assert flagged(warehouse, "cora") == (True, 1.0, "context_stuffing")
    # (25 x 600k + 20 x 40k) / 45 requests = 351k uncached input per request; 200k of 15.8M from cache.
    assert week_of(warehouse, "cora")["reasons"] == (
        "351.1k input tokens per request, 1% read from cache (role median 40.0k, usual week 40.0k)"
    )
    # Cole's 16x week came with output to match (lines accepted on 300 requests).
    assert flagged(warehouse, "cole") == (False, 0.0, None)
    # Dev05 sent Cora's requests and got 12k tokens back from each, 2% of the context: a batch job's work,
    # not a question about pasted code.
    dev05 = week_of(warehouse, "dev05")
    assert dev05["input_tokens_per_request"] == week_of(warehouse, "cora")["input_tokens_per_request"]
    assert (dev05["has_context_stuffing"], dev05["is_flagged"]) == (False, False)
    # Dev06 sent them while he resolved an incident: logs pasted while debugging.
    dev06 = week_of(warehouse, "dev06")
    assert (dev06["incidents_resolved"], dev06["has_context_stuffing"], dev06["is_flagged"]) == (
        1,
        False,
        False,
    )


def test_the_premium_model_for_trivia_is_flagged_and_for_real_work_is_not(warehouse: Path) -> None:
    assert flagged(warehouse, "paul") == (True, 1.0, "premium_for_trivia")
    assert week_of(warehouse, "paul")["reasons"] == (
        "30 of 50 requests on a premium model with at most 200 output tokens (role median 0%, usual week 0%)"
    )
    pat = week_of(warehouse, "pat")
    assert (pat["is_flagged"], pat["premium_tiny_requests"]) == (False, 0)


def test_the_premium_model_by_default_is_flagged_and_with_the_work_to_match_is_not(warehouse: Path) -> None:
    # Dev01 sends all his requests to Opus, every week (nobody else in his role does), and ships what
    # his peers ship: a flag in each of his weeks.
    assert flagged(warehouse, "dev01") == (True, 1.0, "premium_default")
    dev01 = week_of(warehouse, "dev01")
    assert (dev01["premium_requests"], dev01["premium_share"], dev01["usual_premium_share"]) == (20, 1.0, 1.0)
    assert dev01["reasons"] == (
        "20 of 20 requests on a premium-tier model (100%; role median 0%, usual week 100%), with output "
        "1.0x the role's median week"
    )
    assert week_of(warehouse, "dev01", "2026-03-16")["reason_codes"] == "premium_default"
    # Dev08 does the same and ships three commits and merged pull requests a day: never flagged.
    dev08 = rows(
        warehouse,
        "select count(*) as weeks, sum(case when is_flagged then 1 else 0 end) as flagged, "
        "min(premium_share) as premium_share from marts.fct_consumption_flags where employee_id = 'e-dev08'",
    )[0]
    assert (dev08["weeks"], dev08["flagged"], dev08["premium_share"]) == (6, 0, 1.0)
    output = rows(
        warehouse,
        "select min(output_units / peer_median_output_units) as least "
        "from intermediate.int_consumption_weeks_signaled where employee_id = 'e-dev08'",
    )
    assert output[0]["least"] > 2
    # Pat's 60% on Opus in one week is no habit (his usual week has none).
    pat = week_of(warehouse, "pat")
    assert (pat["premium_share"], pat["has_premium_default"], pat["is_flagged"]) == (0.6, False, False)


def test_proposed_lines_thrown_away_are_flagged_and_the_usual_share_kept_is_not(warehouse: Path) -> None:
    # Dev02 kept 40 of 900 proposed lines (the 40 of his 20 Tuesday chats; none of the agents' 800):
    # 4.4% where he and his peers keep 40%, in a week of 3M tokens, 3x his usual.
    assert flagged(warehouse, "dev02") == (True, 1.5, "acceptance_collapse,usage_without_output")
    dev02 = week_of(warehouse, "dev02")
    assert (dev02["lines_suggested"], dev02["lines_accepted"], dev02["usual_acceptance_rate"]) == (
        900,
        40,
        0.4,
    )
    assert dev02["reasons"].startswith("40 of 900 proposed lines kept (4%; role median 40%, usual week 40%)")
    # Dev03 ran the same agents and kept 8 of each 20 lines, his usual 40%.
    dev03 = week_of(warehouse, "dev03")
    assert (dev03["acceptance_rate"], dev03["has_acceptance_collapse"], dev03["is_flagged"]) == (
        0.4,
        False,
        False,
    )


def test_a_swarm_of_idle_agent_runs_is_flagged_and_followed_runs_are_not(warehouse: Path) -> None:
    # Nothing kept of the 600 lines the runs proposed: 40 of 700 in the week.
    assert flagged(warehouse, "ivy") == (
        True,
        2.5,
        "acceptance_collapse,idle_agent_swarm,usage_without_output",
    )
    assert week_of(warehouse, "ivy")["idle_agent_sessions"] == 12
    iris = week_of(warehouse, "iris")
    assert (iris["is_flagged"], iris["idle_agent_sessions"], iris["has_proportional_output"]) == (
        False,
        0,
        True,
    )


def test_a_burst_of_small_requests_before_the_snapshot_is_flagged_and_a_habitual_one_is_not(
    warehouse: Path,
) -> None:
    # Lars's 120 requests hold 240k of his 1.24M tokens (19%, too little for the share in tokens), but
    # 120 requests are 6x the 20 his busiest three hours usually hold.
    lars = week_of(warehouse, "lars")
    assert (lars["is_flagged"], lars["reason_codes"], lars["snapshot_window_requests"]) == (
        True,
        "snapshot_burst",
        120,
    )
    assert lars["reasons"] == (
        "19% of 1.2M tokens in the 3 hours before Thursday 20:00 UTC, the leaderboard snapshot (inferred); "
        "the usual week has 0% there; 120 requests there, 6.0x the usual busiest 3 hours (20); "
        "2 weeks with such a burst within 8 weeks either side"
    )
    # Lina's busiest three hours hold 120 requests every week: the same burst is her habit.
    lina = week_of(warehouse, "lina")
    assert (lina["is_flagged"], lina["snapshot_window_requests"], lina["usual_busiest_window_requests"]) == (
        False,
        120,
        120.0,
    )


def test_pull_requests_thrown_away_are_flagged_in_the_week_they_were_opened(warehouse: Path) -> None:
    # Theo's three pull requests were opened in the test week and closed unmerged the week after: they
    # count in the week of the work behind them. 4M tokens (his ordinary 1M and 3M of agent runs) are 4x
    # the role's median week of 1M.
    theo = week_of(warehouse, "theo")
    assert (theo["is_flagged"], theo["prs_opened"], theo["prs_closed_unmerged"]) == (True, 4, 3)
    assert "throwaway_pull_requests" in theo["reason_codes"].split(",")
    assert (
        "3 of 4 pull requests opened that week closed unmerged, with 4.0M tokens "
        "(4.0x the role's median week)" in theo["reasons"]
    )
    # Tess did the same work and her pull requests were merged.
    tess = week_of(warehouse, "tess")
    assert (tess["prs_closed_unmerged"], tess["prs_merged"]) == (0, 4)
    assert "throwaway_pull_requests" not in (tess["reason_codes"] or "")


def test_spend_that_never_shows_work_is_flagged_and_the_same_spend_with_reviews_is_not(
    warehouse: Path,
) -> None:
    omar = rows(
        warehouse,
        "select cast(week_start as varchar) as week, is_flagged, reason_codes "
        "from marts.fct_consumption_flags where employee_id = 'e-omar' order by week_start",
    )
    # His first week is the first of the data and his second the week he took AI up (the first full
    # week at a quarter of the role's median); every week after is 3M tokens, 3x the role's median
    # week of 1M, with no work at all.
    assert [(week["week"], week["is_flagged"], week["reason_codes"]) for week in omar] == [
        ("2026-03-02", False, None),
        ("2026-03-09", False, None),
        ("2026-03-16", True, "spend_without_outcome"),
        ("2026-03-23", True, "spend_without_outcome"),
        ("2026-03-30", True, "spend_without_outcome"),
        ("2026-04-06", True, "spend_without_outcome"),
    ]
    assert week_of(warehouse, "omar")["reasons"] == (
        "3.0M tokens (1.0x the usual week, 3.0x the role's median) with no commit, no pull request and no "
        "incident handled, by someone who usually shows 0.0 commits and pull requests a week; output 0.0x "
        "the usual week's"
    )
    # Orla's eight reviews a week are her output.
    orla = rows(
        warehouse,
        "select count(*) as weeks, sum(case when is_flagged then 1 else 0 end) as flagged "
        "from marts.fct_consumption_flags where employee_id = 'e-orla'",
    )
    assert orla == [{"weeks": 6, "flagged": 0}]


def test_usage_kept_just_above_the_team_average_is_half_a_flag_and_usage_that_wanders_is_nothing(
    warehouse: Path,
) -> None:
    # Mobile's full weeks (03-09 to 03-30) average, over its seven engineers (0.2M + 0.5M + 1M + 2M + 4M
    # + Tara's 1.8M + Tom's): 03-09 (Tom 3M) 12.5M / 7 = 1.786M, 03-16 (0.6M) 1.443M, 03-23 (2.7M)
    # 1.743M, 03-30 (0.5M) 1.429M. Tara's 1.8M is 1.01x, 1.25x, 1.03x and 1.26x the week before's: in
    # the band in each of her last four weeks, 4 of her last 5 (03-09 has no week before). Many people
    # sit a little above an average week after week: half a flag, which alone flags no one.
    tara = week_of(warehouse, "tara")
    assert (
        tara["is_flagged"],
        tara["inflation_score"],
        tara["supporting_points"],
        tara["reason_codes"],
        tara["recent_weeks_in_team_band"],
    ) == (False, 0.5, 0.5, "team_average_tracked", 4)
    assert tara["reasons"] == (
        "1.8M tokens, 1.3x the team's average of the week before (1.4M); 4 of the last 5 weeks just above "
        "that average"
    )
    assert tara["tokens_vs_team_prior_mean"] == pytest.approx(1.8e6 / (10e6 / 7))
    # Tom's 1.8M this week is in the band too, but his weeks wander (0.34x, 1.87x, 0.29x before it).
    tom = week_of(warehouse, "tom")
    assert (tom["recent_weeks_in_team_band"], tom["is_flagged"]) == (1, False)
    assert "team_average_tracked" not in (tom["reason_codes"] or "")


def test_a_new_hire_and_a_reviewer_are_not_flagged(warehouse: Path) -> None:
    nina = week_of(warehouse, "nina")
    # Hired on 03-25: her only full week is 03-30, so she has no usual week; 3M tokens is learning.
    assert (nina["has_history"], nina["history_weeks"], nina["is_flagged"], nina["inflation_score"]) == (
        False,
        1,
        False,
        0.0,
    )
    rex = week_of(warehouse, "rex")
    # Three times his usual tokens and three times his usual reviews; he never commits, so no week
    # without commits is unusual for him.
    assert (rex["tokens_vs_usual"], rex["reviews_given"], rex["usual_code_outcomes"], rex["is_flagged"]) == (
        3.0,
        6,
        0.0,
        False,
    )


def test_usage_after_leaving_has_no_flag_row_as_in_the_engineer_weekly_mart(warehouse: Path) -> None:
    lea = rows(
        warehouse,
        "select week_start::varchar as week_start from marts.fct_consumption_flags "
        "where employee_id = 'e-lea' order by week_start",
    )
    assert lea == [{"week_start": "2026-03-02"}, {"week_start": "2026-03-09"}]


def test_adjusted_demand_takes_the_flagged_weeks_out(warehouse: Path) -> None:
    flags = rows(
        warehouse,
        "select sum(total_tokens) as tokens, "
        "sum(case when is_flagged then total_tokens else 0 end) as flagged, "
        "sum(case when is_flagged then greatest(total_tokens - usual_tokens, 0) else 0 end) as excess "
        "from marts.fct_consumption_flags where team_id = 't1' and week_start = '2026-04-06'",
    )[0]
    demand = rows(
        warehouse,
        "select total_tokens, flagged_tokens, adjusted_tokens, flagged_excess_tokens "
        "from marts.fct_adjusted_demand_weekly where team_id = 't1' and week_start = '2026-04-06'",
    )
    assert demand == [
        {
            "total_tokens": flags["tokens"],
            "flagged_tokens": flags["flagged"],
            "adjusted_tokens": flags["tokens"] - flags["flagged"],
            "flagged_excess_tokens": flags["excess"],
        }
    ]
