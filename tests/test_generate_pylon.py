"""The pylon family: Pylon Grid's landing zone and ground truth."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from family_checks import ARROW, TRUTH_SCHEMA, generate_and_build

from orchestration.landing.contract import TABLES
from orchestration.pylon import generate
from orchestration.pylon.org import KIND, LEGITIMATE, ORDINARY, PERSONAS, STYLES

START = date(2026, 5, 4)
WEEKS = 8


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    out = tmp_path_factory.mktemp("pylon") / "land"
    summary = generate(out, engineers=300, weeks=WEEKS, seed=11, start=START, progress=False)
    return out, summary


@pytest.fixture(scope="module")
def con(org):
    out, _ = org
    db = duckdb.connect()
    for name in TABLES:
        if name == "ai_usage_events":
            db.execute(
                f"create view ai_usage_events as select distinct * from read_parquet("
                f"'{out}/ai_usage_events/*/*.parquet', hive_partitioning = false)"
            )
        else:
            db.execute(f"create view {name} as select * from read_parquet('{out}/{name}/*.parquet')")
    db.execute(
        f"create view truth as select * from read_parquet('{out}/_ground_truth/engineer_weeks.parquet')"
    )
    return db


@pytest.fixture(scope="module")
def truth(org):
    out, _ = org
    return pq.read_table(out / "_ground_truth" / "engineer_weeks.parquet")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a = generate(tmp_path / "a", engineers=80, weeks=3, seed=5, start=START, progress=False)
    generate(tmp_path / "b", engineers=80, weeks=3, seed=5, start=START, progress=False)
    generate(tmp_path / "c", engineers=80, weeks=3, seed=6, start=START, progress=False)
    fa, fb, fc = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert a.events > 0
    assert fa == fb
    shared = set(fa) & set(fc)
    assert any(fa[name] != fc[name] for name in shared if name.startswith("ai_usage_events"))
    assert fa["people/people.parquet"] != fc["people/people.parquet"]


def test_manifest_and_summary(org):
    out, summary = org
    manifest = json.loads((out / "_ground_truth" / "manifest.json").read_text())
    assert manifest["family"] == "pylon"
    assert (manifest["engineers"], manifest["weeks"], manifest["seed"]) == (300, WEEKS, 11)
    assert manifest["start"] == START.isoformat()
    assert len(manifest["leaderboards"]) == 2 and all(b["snapshots"] for b in manifest["leaderboards"])
    assert manifest["inflation_rule"]
    text = summary.render()
    line = next(x for x in text.splitlines() if "inflated engineer-weeks per style" in x)
    for style in STYLES:
        assert re.search(rf"{style} \d+", line)
    assert summary.events == manifest["events"] > 50_000


def test_truth_schema_keys_and_values(truth, con):
    assert truth.schema == TRUTH_SCHEMA
    rows = truth.to_pylist()
    keys = {(r["employee_id"], r["week_start"]) for r in rows}
    assert len(keys) == len(rows)
    weeks = {START + timedelta(days=7 * w) for w in range(WEEKS)}
    for r in rows:
        assert r["week_start"] in weeks
        assert r["persona_kind"] == KIND[r["persona"]]
        assert (r["inflation_style"] is not None) == r["is_inflated"]
        if r["is_inflated"]:
            assert r["persona_kind"] == "inflator" and r["inflation_style"] == r["persona"]
        assert r["ai_total_tokens"] >= 0
    # Engineers only, and every engineer for every week they were employed.
    roles = dict(con.execute("select employee_id, role from people").fetchall())
    assert all(roles[e] not in ("manager", "director") for e, _ in keys)
    expected = con.execute(
        """
        select count(*) from people, range(0, ?) w(k)
        where role not in ('manager', 'director')
          and (hired_on is null or hired_on <= date '2026-05-04' + 7 * k::int + 6)
          and (left_on is null or left_on >= date '2026-05-04' + 7 * k::int)
        """,
        [WEEKS],
    ).fetchone()[0]
    assert expected == len(rows)


def test_every_persona_and_style_present(truth):
    personas = set(truth.column("persona").to_pylist())
    assert personas == set(PERSONAS)
    styles = set(truth.filter(truth["is_inflated"]).column("inflation_style").to_pylist())
    assert styles == set(STYLES)
    # Not every week of an inflator is inflated: subtle habits, pauses and stopping.
    infl = truth.filter(pa.compute.equal(truth["persona_kind"], "inflator"))
    assert 0 < sum(infl.column("is_inflated").to_pylist()) < infl.num_rows


def test_legitimate_heavy_never_inflated_and_heavier(truth):
    rows = truth.to_pylist()
    assert not any(r["is_inflated"] for r in rows if r["persona_kind"] != "inflator")

    def mean(kind: str) -> float:
        values = [r["ai_total_tokens"] for r in rows if r["persona_kind"] == kind]
        return sum(values) / len(values)

    assert mean("legitimate_heavy") > 2.5 * mean("ordinary")
    for persona in LEGITIMATE:
        values = [r["ai_total_tokens"] for r in rows if r["persona"] == persona]
        assert sum(values) / len(values) > mean("ordinary"), persona
    non = [r["ai_total_tokens"] for r in rows if r["persona"] == "non_adopter"]
    assert sum(v == 0 for v in non) > 0.8 * len(non)
    assert set(ORDINARY) <= {r["persona"] for r in rows}


def test_truth_tokens_equal_landed_events(con):
    con.execute(
        """
        create or replace temp table matched as
        select e.*, coalesce(i.employee_id, p.employee_id) as employee_id
        from ai_usage_events e
        left join identities i on i.source_system = e.source_tool and i.account_id = e.actor_id
        left join people p on lower(p.email) = lower(e.actor_id)
        """
    )
    unmatched = {
        r[0]
        for r in con.execute("select distinct actor_id from matched where employee_id is null").fetchall()
    }
    assert unmatched == {"svc-outage-summariser", "ci-settlement-recon", "gridpilot-pr-bot"}
    diff = con.execute(
        """
        with landed as (
            select employee_id, date_trunc('week', occurred_at)::date as week_start,
                   sum(input_tokens + cached_input_tokens + cache_write_tokens + output_tokens) as tokens
            from matched where employee_id is not null group by all
        )
        select t.employee_id, t.week_start, t.ai_total_tokens, l.tokens
        from truth t full join landed l using (employee_id, week_start)
        where coalesce(t.ai_total_tokens, -1) <> coalesce(l.tokens, 0)
          and not (t.employee_id is null and l.employee_id in (
              select employee_id from people where role in ('manager', 'director')))
        """
    ).fetchall()
    assert diff == []
    # Re-delivered rows are identical copies of rows already landed.
    dup = con.execute(
        "select count(*), count(distinct (source_tool, event_id)) from ai_usage_events"
    ).fetchone()
    assert dup[0] == dup[1]


def test_landing_tables_follow_the_contract(org):
    out, _ = org
    for name, spec in TABLES.items():
        files = sorted((out / name).rglob("*.parquet"))
        assert files, name
        for path in files[:3] + files[-2:]:
            schema = pq.read_schema(path)
            assert schema.names == spec.column_names, path
            for col in spec.columns:
                assert schema.field(col.name).type == ARROW[col.type], (path, col.name)
    days = sorted(p.name for p in (out / "ai_usage_events").iterdir())
    assert days[0] == f"date={START.isoformat()}" and len(days) == 7 * WEEKS
    assert any((out / "ai_usage_events" / d / "part-1.parquet").exists() for d in days)
    extra = {p.name for p in out.iterdir()} - set(TABLES) - {"_ground_truth"}
    assert extra == set()


def test_events_follow_the_rules(con):
    bad = con.execute(
        f"""
        select count(*) from ai_usage_events
        where input_tokens < 0 or cached_input_tokens < 0 or cache_write_tokens < 0 or output_tokens < 0
           or lines_accepted > lines_suggested or cost_usd < 0
           or occurred_at < date '{START}' or occurred_at >= date '{START}' + {7 * WEEKS}
           or request_kind not in ('chat', 'completion', 'agent', 'tab', 'review', 'other')
        """
    ).fetchone()[0]
    assert bad == 0
    # Every landed event's day matches its folder.
    wrong = con.execute(
        f"""
        select count(*) from read_parquet('{_events_glob(con)}', filename = true)
        where strftime(occurred_at, '%Y-%m-%d') <> regexp_extract(filename, 'date=([0-9-]+)', 1)
        """
    ).fetchone()[0]
    assert wrong == 0
    priced = {r[0] for r in con.execute("select distinct model from model_prices").fetchall()}
    used = {r[0] for r in con.execute("select distinct model from ai_usage_events").fetchall()}
    assert used <= priced
    tools = {r[0] for r in con.execute("select distinct source_tool from ai_usage_events").fetchall()}
    assert tools == {"claude_code", "cursor", "copilot", "openai_api", "internal_agent"}
    # Usage only while employed (UTC dates).
    outside = con.execute(
        """
        select count(*) from ai_usage_events e join people p on p.email = e.actor_id
        where e.occurred_at::date < p.hired_on or e.occurred_at::date > p.left_on
        """
    ).fetchone()[0]
    assert outside == 0


def _events_glob(con) -> str:
    sql = con.execute("select sql from duckdb_views() where view_name = 'ai_usage_events'").fetchone()[0]
    return re.search(r"read_parquet\('([^']+)'", sql).group(1)


def test_identities_and_ownership_consistent(con):
    assert (
        con.execute("select count(*) from identities i anti join people p using (employee_id)").fetchone()[0]
        == 0
    )
    assert (
        con.execute(
            "select count(*) - count(distinct (source_system, account_id)) from identities"
        ).fetchone()[0]
        == 0
    )
    assert con.execute("select count(*) from people p anti join teams t using (team_id)").fetchone()[0] == 0
    assert (
        con.execute("select count(*) from repositories r anti join teams t using (team_id)").fetchone()[0]
        == 0
    )
    assert con.execute("select count(*) from services s anti join teams t using (team_id)").fetchone()[0] == 0
    assert (
        con.execute(
            "select count(*) from people p where manager_employee_id is not null "
            "and manager_employee_id not in "
            "(select employee_id from people where role in ('manager', 'director'))"
        ).fetchone()[0]
        == 0
    )
    # Email-matched accounts exist next to listed ones, and identity emails are the owner's.
    by_source = dict(con.execute("select source_system, count(*) from identities group by 1").fetchall())
    assert {"github", "copilot", "claude_code", "cursor", "openai_api", "pagerduty"} <= set(by_source)
    email_only = con.execute(
        """
        select count(distinct actor_id) from ai_usage_events e
        where source_tool in ('claude_code', 'cursor', 'internal_agent')
          and not exists (select 1 from identities i where i.source_system = e.source_tool
                          and i.account_id = e.actor_id)
          and e.actor_id in (select email from people)
        """
    ).fetchone()[0]
    assert email_only > 20
    mismatched = con.execute(
        """
        select count(*) from identities i join people p using (employee_id)
        where i.source_system in ('claude_code', 'cursor') and i.account_id <> p.email
        """
    ).fetchone()[0]
    assert mismatched == 0
    zones = {r[0] for r in con.execute("select distinct timezone from people").fetchall()}
    assert {"Australia/Adelaide", "Asia/Kolkata", "Europe/London"} <= zones
    assert con.execute("select count(*) from people where hired_on > date '2026-05-04'").fetchone()[0] > 0
    assert con.execute("select count(*) from people where left_on is not null").fetchone()[0] > 0


def test_delivery_tables_consistent(con):
    checks = {
        "review of unknown PR": "select count(*) from pr_reviews r "
        "anti join pull_requests p using (repo, pr_number)",
        "self review": """select count(*) from pr_reviews r join pull_requests p using (repo, pr_number)
                          where r.reviewer_login = p.author_login""",
        "review before PR": """select count(*) from pr_reviews r join pull_requests p using (repo, pr_number)
                               where r.submitted_at < p.created_at""",
        "PR timeline": """select count(*) from pull_requests where merged_at < created_at
                          or first_commit_at > created_at or closed_at < created_at
                          or (merged_at is not null and closed_at <> merged_at)
                          or ready_for_review_at < created_at""",
        "PR repo unknown": "select count(*) from pull_requests p anti join repositories r using (repo)",
        "commit of unknown PR": """select count(*) from commits c where pr_number is not null and not exists
                                   (select 1 from pull_requests p where p.repo = c.repo
                                    and p.pr_number = c.pr_number)""",
        "commit after merge": """select count(*) from commits c join pull_requests p using (repo, pr_number)
                                 where c.authored_at > p.merged_at""",
        "deployed sha never merged": """select count(*) from deployments d where not exists (select 1 from
                                        pull_requests p where p.repo = d.repo
                                        and p.merge_commit_sha = d.sha)""",
        "incident timeline": """select count(*) from incidents where acknowledged_at < created_at
                                or resolved_at < acknowledged_at""",
        "open incident with responder": "select count(*) from incidents where resolved_at is null "
        "and responder_email is not null",
        "responder unknown": """select count(*) from incidents where responder_email is not null
                                and responder_email not in (select email from people)""",
        "incident service unknown": "select count(*) from incidents i anti join services s using (service)",
        "cause unknown": """select count(*) from incidents i where caused_by_deployment_id is not null
                            and not exists (select 1 from deployments d where d.deployment_id =
                            i.caused_by_deployment_id and d.repo = i.repo)""",
        "author unknown": """select count(*) from pull_requests where author_login not like '%[bot]'
                             and author_login not in (select account_id from identities
                                                      where source_system = 'github')""",
    }
    failures = {name: n for name, sql in checks.items() if (n := con.execute(sql).fetchone()[0])}
    assert failures == {}
    # Prototypes are drafts closed unmerged; AI co-authored commits and bots both appear.
    proto = con.execute(
        "select count(*), count(merged_at), count(ready_for_review_at) from pull_requests "
        "where labels like '%prototype%'"
    ).fetchone()
    assert proto[0] > 0 and proto[1] == 0 and proto[2] == 0
    assert (
        con.execute("select count(*) from commits where message like '%Co-authored-by: Claude%'").fetchone()[
            0
        ]
        > 0
    )
    assert (
        con.execute("select count(*) from pull_requests where author_login like '%[bot]'").fetchone()[0] > 0
    )
    prod = con.execute("select count(*) from deployments where environment = 'production'").fetchone()[0]
    assert prod > 0
    assert (
        con.execute("select count(*) from incidents where caused_by_deployment_id is not null").fetchone()[0]
        > 0
    )


def test_responders_and_specialists_show_up(con):
    per_persona = dict(
        con.execute(
            """
            select t.persona, count(*) from incidents i join people p on p.email = i.responder_email
            join (select distinct employee_id, persona from truth) t using (employee_id) group by 1
            """
        ).fetchall()
    )
    assert per_persona.get("oncall_responder", 0) > 0
    night = con.execute(
        """
        select count(*) from ai_usage_events e join people p on p.email = e.actor_id
        join (select distinct employee_id, persona from truth) t using (employee_id)
        where t.persona = 'oncall_responder'
          and (hour(timezone(p.timezone, e.occurred_at::timestamptz)) not between 8 and 18
               or dayofweek(timezone(p.timezone, e.occurred_at::timestamptz)) in (0, 6))
        """
    ).fetchone()[0]
    assert night > 0


@pytest.mark.slow
def test_cli_generate_and_build_publish_without_quarantine(tmp_path: Path) -> None:
    assert generate_and_build("pylon", tmp_path, engineers=120, weeks=6, seed=3) == 0
