"""`airoi generate`: a synthetic organisation's landing zone, with a ground truth to test against.

The organisation is realistic enough to exercise the whole product: every contract table, every
reader (Parquet, CSV, JSON lines), replays, late rows and malformed rows, and AI usage whose
honest and dishonest parts are known. Same arguments, same bytes: all randomness comes from
`numpy.random.Generator`s seeded from `seed`, files are written in a fixed order with fixed
metadata, and each file's modification time is set to when it "landed" (ingest takes the
last-landed copy of a key by modification time, then path).

The organisation
----------------
`engineers` people with role `engineer`, in teams of 3 to 25, plus one manager per team, one
head per department and a few SREs (team `team-sre`). Teams sit in America/Los_Angeles,
America/New_York, Europe/London, Europe/Berlin, Asia/Kolkata or Asia/Tokyo; most members share
their team's zone. About 5% of engineers are hired and 4% leave inside the period (only
non-adopters, gradual adopters and steady users). Work emails are `first.last@acme.com` (the
roster spells about 5% with capitals); GitHub logins are unrelated to them (`jdoe-gh`,
`jana-k`, ...); about 6% of engineers commit some of their work from a personal address. About
8% of engineers (again only the three ordinary personas) have no `github`, `copilot` or
`openai_api` row in `identities`: their Claude Code and Cursor usage still matches by email,
their Copilot and OpenAI usage and their pull requests do not (unless a warehouse infers the
login from commits with their work email). Bots (`dependabot[bot]`, `renovate[bot]`,
`github-actions[bot]`) open pull requests and author commits; they are not people.

Tools: `claude_code` (actor = email, or an `@acme.io` alias listed in `identities`; `cost_usd`
filled), `cursor` (actor = email), `copilot` (actor = GitHub login; `tab` and `chat`), `openai_api`
(actor = key name `key-<team>-<first>-<last>`; no lines), `internal_agent` (actor = email; written
as JSON lines). Only Claude Code reports a cost. The org's own `model_prices` cover
claude-sonnet-4-5 (10% cheaper from the Wednesday of the middle week; Claude Code bills the same)
and gpt-5.

Personas (per engineer, shares of `engineers`)
----------------------------------------------
- `non_adopter` (21%): rare AI use, about 3% of a steady user's volume.
- `gradual_adopter` (36%): rare use until an adoption week (random, after the first week), then
  usage ramps up over four weeks, and so does the true effect: cycle time falls 20-40% and
  pull-request throughput rises 15-35% at full effect.

`effect=` (`airoi generate --effect`) replaces the personas' effects with one known effect for
every AI user, so an estimate can be checked against it: `0.25` (25% more pull requests from the
adoption week on, each going 1.25 times as fast), `0` (no effect at all) or `ramp:0.3:6` (growing
to 30% in the sixth week after adoption). Gradual adopters then use AI at their full level from
their adoption week on. `true_throughput_effect_pct` in the ground truth holds the planted effect.
- `steady_user` (21%): uses AI all period; cycle time 8-20% shorter, throughput 5-15% higher.
- `heavy_agent_user` (8%): very high token volume from long Claude Code agent runs (about seven
  times a steady user's tokens, as much as most inflators), AND ships a lot: throughput +40-80%,
  cycle time -25-35%, 80-92% of commits carry an AI co-author trailer, many accepted lines, some
  evening agent runs that a commit follows the next morning. The legitimate heavy user; never
  inflated.
- `inflator` (14%): behaves as a steady user until the leaderboard launch (week `round(weeks/3)`),
  then inflates in most (about 80%, never all when 3+ weeks remain) of the following weeks, each
  inflator in one style. Non-inflated weeks look like a steady user's.

Every user works in their own zone's working hours (activity 07:00-20:00 local, little at
weekends, a little evening chat), uses mostly unique prompts (5% of prompts come from a personal
set of twenty), accepts 20-40% of suggested lines, and most of their agent runs end minutes before
one of their commits. People commit 08:30-19:30 local on weekdays (reviews follow the author's
working clock; bots commit at any hour). The natural volume is about 130-140 events per
engineer-week with any usage; `events=` scales every session rate alike.

Inflation styles (observable only in contract data)
---------------------------------------------------
- `no_outcome`: 3.5-6x their own baseline tokens (big chats and agent runs in working hours),
  ~zero accepted lines (0.2% acceptance), and no commit, no pull request opened and none merged
  that week (pull requests that would have touched the week are not written).
- `repeated_prompts`: 2-3.5x baseline tokens; 60-85% of prompted requests re-use one of the
  engineer's 3-5 prompt hashes (the same handful every week). Ships normally.
- `leaderboard_burst`: 70-90% of the week's tokens in sessions in the 3 hours before the weekly
  leaderboard snapshot, Friday 17:00 UTC (`LEADERBOARD_SNAPSHOT`), whatever the local time.
  Ships normally.
- `agent_loop`: 2-5 agent runs a week of 40-120 requests each (one `session_id` per run),
  starting 23:00-02:00 local and over by about 04:00; no commit by the engineer within 4 hours
  after (commits start 08:30 local). Ships normally otherwise.
- `mixed`: 2.5-5x baseline tokens, 20-40% of prompts from the repeated handful, acceptance
  down to 8%, and still ships a little (40% of the usual pull requests).

The landing zone
----------------
Reference tables land once as CSV (`teams`, `people`, `repositories`, `services`, `model_prices`)
and JSON lines (`identities`). Usage events land as `ai_usage_events/date=YYYY-MM-DD/part-0.parquet`
per UTC day, plus weekly JSON lines for the internal agent (`internal_agent/`) and for manual
uploads (`manual_uploads/`, which hold the malformed events). Delivery tables land as weekly
exports `<table>/week=YYYY-MM-DD/part-0.<ext>` (Parquet for pull requests and commits, JSON lines
for reviews and incidents, CSV for deployments; text timestamps are spelled per file with `Z`, the
person's local offset, or no zone). About 0.5% of rows arrive late in a later folder's `part-0`,
about 1% land again in a later folder's `replay-0` (usage replays: a third with corrected output
tokens; pull requests and incidents: the first copy is the stale, still-open one), and about 0.1%
are malformed (at least one of each kind per table), written under keys no valid row has.

The ground truth
----------------
`<out>/_ground_truth/` (ingest ignores folders starting with `_`):
- `engineer_weeks.parquet`: one row per person and ISO week employed (managers and SREs too,
  with a null persona): persona, role, `is_inflated` and `inflation_style` (null when not),
  `adoption_week_start` (null for non-adopters; before the period for steady, heavy and
  inflator), `true_cycle_time_effect_pct` and `true_throughput_effect_pct` (the factor the
  generator applied to that week's pull-request durations and start rate, as a percentage change
  against the engineer's own no-AI baseline; -100 throughput in a `no_outcome` week),
  `identity_mapped`, and what was landed for the week: `ai_total_tokens` and `ai_events` (of the
  events landed under the engineer's accounts, each key once with its last-landed values,
  malformed rows excluded), `prs_merged`, `commits` (authored that week, any address),
  `reviews_given`, `incidents_resolved`, accepted and suggested lines, and the evidence behind
  the labels (`snapshot_window_token_share`, `repeated_prompt_share`, `night_agent_requests`).
  A week is labelled inflated only if its landed data shows the style (`INFLATION_EVIDENCE` in
  `orchestration.generator.truth`). A warehouse can attribute all of a week's tokens and pull
  requests only where `identity_mapped` is true.
- `accounts.parquet`: every account and address each person really uses, and whether
  `identities` lists it.
- `manifest.json`: the arguments, rows per table, replayed, late and malformed rows per table
  (each malformed row with its file, row number as ingest counts it, reason kind and key), and
  every landed file with its row count and landing time.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from orchestration.generator.calendar import TIMEZONES, US_PER_SECOND, Period
from orchestration.generator.files import write_delivery, write_reference
from orchestration.generator.git import build_git
from orchestration.generator.landing import Landing
from orchestration.generator.org import PERSONAS, STYLES, Org, build_org
from orchestration.generator.plan import LEADERBOARD_SNAPSHOT, Plan, PlantedEffect, build_plan
from orchestration.generator.truth import INFLATION_EVIDENCE, Truth, write_ground_truth
from orchestration.generator.usage import UsageWriter, change_day
from orchestration.landing.contract import TABLES

__all__ = ["LEADERBOARD_SNAPSHOT", "GenerateSummary", "PlantedEffect", "generate"]


@dataclass
class GenerateSummary:
    out_dir: Path
    engineers: int
    people: int
    weeks: int
    seed: int
    rows_written: dict[str, int]
    files_written: int
    replayed_rows: dict[str, int]
    late_rows: dict[str, int]
    malformed_rows: dict[str, int]
    inflated_engineer_weeks: int
    seconds: float
    ground_truth_files: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [
            f"Generated {self.out_dir}: {self.engineers:,} engineers ({self.people:,} people), "
            f"{self.weeks} weeks, seed {self.seed}, in {self.seconds:.1f}s",
            "",
            f"{'table':<18} {'rows':>12} {'replayed':>9} {'late':>7} {'malformed':>10}",
        ]
        for name in TABLES:
            lines.append(
                f"{name:<18} {self.rows_written[name]:>12,} {self.replayed_rows[name]:>9,} "
                f"{self.late_rows[name]:>7,} {self.malformed_rows[name]:>10,}"
            )
        lines += [
            "",
            f"{self.files_written:,} files; {self.inflated_engineer_weeks:,} inflated engineer-weeks; "
            f"ground truth in {self.out_dir / '_ground_truth'}",
        ]
        return "\n".join(lines)


def generate(
    out_dir: Path,
    engineers: int,
    weeks: int,
    seed: int,
    events: int | None = None,
    start: date = date(2026, 5, 4),
    progress: bool = True,
    effect: PlantedEffect | None = None,
) -> GenerateSummary:
    """Write the landing zone and its ground truth into `out_dir`, which must be empty or absent.

    `effect` plants one known effect of AI on every user's delivery (see `PlantedEffect`); without
    it each persona has its own, as described above.
    """
    began = time.perf_counter()
    out_dir = Path(out_dir)
    if engineers < 1:
        raise ValueError(f"engineers must be at least 1, got {engineers}")
    if events is not None and events < 1:
        raise ValueError(f"events must be positive, got {events}")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty; generate into a new or empty folder")
    period = Period(start, weeks)
    org_rng, plan_rng, git_rng, file_rng, usage_rng = (
        np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(5)
    )
    org = build_org(org_rng, engineers, period)
    plan = build_plan(plan_rng, org, events, effect)
    git = build_git(git_rng, org, plan)
    truth = Truth(org, plan)
    accounts = truth.accounts()
    identities = accounts.filter(accounts.column("in_identities")).select(
        ["source_system", "account_id", "employee_id"]
    )

    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    landing = Landing(out_dir)
    try:
        write_reference(landing, org, identities)
        write_delivery(landing, file_rng, org, git)
        UsageWriter(org, plan, git, landing, truth, usage_rng).run(progress)
        manifest = _manifest(org, plan, landing, engineers, weeks, seed, events, start, effect)
        ground_truth = write_ground_truth(out_dir, truth, git, manifest)
    except BaseException:
        # A half-written landing zone would be ingested as if it were whole: leave none behind.
        for child in out_dir.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        if created:
            out_dir.rmdir()
        raise

    stats = landing.stats
    return GenerateSummary(
        out_dir=out_dir,
        engineers=engineers,
        people=org.n_people,
        weeks=weeks,
        seed=seed,
        rows_written={name: stats[name].rows for name in TABLES},
        files_written=len(landing.files) + len(ground_truth),
        replayed_rows={name: stats[name].replayed for name in TABLES},
        late_rows={name: stats[name].late for name in TABLES},
        malformed_rows={name: len(stats[name].malformed) for name in TABLES},
        inflated_engineer_weeks=truth.inflated_weeks,
        seconds=time.perf_counter() - began,
        ground_truth_files=ground_truth,
    )


def _manifest(
    org: Org,
    plan: Plan,
    landing: Landing,
    engineers: int,
    weeks: int,
    seed: int,
    events: int | None,
    start: date,
    effect: PlantedEffect | None,
) -> dict[str, object]:
    period = org.period
    roles = np.array(org.roles)
    tables = {}
    for name, stats in landing.stats.items():
        by_kind: dict[str, int] = {}
        for row in stats.malformed:
            by_kind[str(row["kind"])] = by_kind.get(str(row["kind"]), 0) + 1
        tables[name] = {
            "files": stats.files,
            "rows_written": stats.rows,
            "replayed_rows": stats.replayed,
            "late_rows": stats.late,
            "malformed_rows": len(stats.malformed),
            "malformed_by_kind": dict(sorted(by_kind.items())),
            "malformed": stats.malformed,
        }
    snapshot_day, snapshot_hour = LEADERBOARD_SNAPSHOT
    return {
        "arguments": {
            "engineers": engineers,
            "weeks": weeks,
            "seed": seed,
            "events": events,
            "start": start.isoformat(),
            "effect": None if effect is None else effect.render(),
        },
        "period": {
            "start": period.start.isoformat(),
            "end_exclusive": period.week_start(weeks).isoformat(),
            "leaderboard_launch_week_start": period.week_start(plan.launch_week).isoformat(),
            "leaderboard_snapshot": {"iso_weekday_index": snapshot_day, "hour_utc": snapshot_hour},
            "org_price_change_on": period.day_date(change_day(weeks)).isoformat(),
        },
        "usage": {
            "natural_events": round(plan.natural_events, 1),
            "expected_events": round(plan.expected_events, 1),
            "scale": round(plan.scale, 6),
        },
        "people": {
            "engineers": engineers,
            "managers": int((roles == "manager").sum()),
            "sres": int((roles == "sre").sum()),
            "teams": org.n_teams,
            "timezones": list(TIMEZONES),
            "hired_in_period": int((org.hired_day >= 0).sum()),
            "left_in_period": int((org.left_day < period.days).sum()),
            "engineers_without_identity_rows": int((~org.identity_mapped).sum()),
        },
        "personas": {name: int((org.persona == code).sum()) for code, name in enumerate(PERSONAS)},
        "inflation_styles": {name: int((org.style == code).sum()) for code, name in enumerate(STYLES)},
        "inflation_evidence": INFLATION_EVIDENCE,
        "tables": tables,
        "landing_order": "file modification time, then path; each file's mtime is when it landed",
        "files": [
            {
                "path": landed.path,
                "table": landed.table,
                "rows": landed.rows,
                "landed_at": np.datetime_as_string(np.datetime64(landed.landed_at_us // US_PER_SECOND, "s"))
                + "Z",
            }
            for landed in landing.files
        ],
    }
