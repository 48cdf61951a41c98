"""Quay Logistics: a container-port and logistics group that writes its own terminal software.

The organisation
----------------
Six offices: Rotterdam (head office, Europe/Amsterdam), Gdańsk (Europe/Warsaw), Santos
(America/Sao_Paulo), Busan (Asia/Seoul), Los Angeles (America/Los_Angeles) and Dubai (Asia/Dubai),
each with its own public holidays and its own season for long leave (Dutch and Polish summers,
the Brazilian January, the Korean August and Chuseok, the American Fourth and Thanksgiving, the
Gulf's summer and Eid). Eleven departments build the terminal operating system (TOS core, berth,
yard and gate), vessel planning (stowage, crane split, schedules), customs and trade integration
(customs gateways, ICS2, EDI/EDIFACT), landside apps (truck appointments, rail, the driver app),
yard automation and robotics (automated stacking cranes, straddle carriers, OCR gates), commercial
systems (billing, tariffs, the customer portal), the data platform, SRE (EMEA, Americas, APAC),
security, an internal AI platform team and developer experience. Larger organisations split a
team into squads with their own repositories and services. Every team has a manager, every
department a director; a few engineers work from another office than their team. People are
hired throughout the period (mostly on Mondays) and some leave.

The period holds release crunches (the TOS 2026.3 release, the ICS2 release 3 cut-over, the
appointment app v5 launch, the phase-2 stacking-crane go-live, the 2027 tariff book load, ...):
the crunch week and the week before it raise AI use and merged pull requests together, reviews
turn around faster and weekend work appears. Operational events drive incidents: an outage of the
national customs gateway, clusters of 24,000-TEU vessel calls at Maasvlakte and Busan New Port,
a dockworkers' strike at Santos and its backlog, a credential-stuffing attack on the appointment
portal, a typhoon closure in Busan, and the peak season. Services page their team's weekly on-call
engineer (a primary and a secondary who takes escalations); SRE services follow the sun to
whichever SRE team is in office hours. The worst incidents end with hotfix commits pushed to main.
Terminal and automation teams deploy on Tuesdays and Thursdays, everyone else after each day's
merges, always through staging; some production deployments fail and are retried, some break a
service and are named by the incident they caused.

AI tools
--------
Claude Code (account = work email; about 70% of accounts listed in `identities`, the others matched
by email), Cursor (the email as typed at sign-up, sometimes capitalised; about 55% listed), GitHub
Copilot (GitHub login, all listed), personal OpenAI API keys (`qlk-<login>`, all listed) and the AI
platform team's own gateway (`internal_agent`, SSO email, never listed). Four keys belong to nobody:
a nightly HS-code classifier, CI release notes, a CI review bot and the TOS shift-handover
summariser. Requests carry uncached input, cache reads and cache writes as each vendor reports them
(Anthropic models read and write caches, OpenAI models and the self-hosted `quay-coder-32b` only
read, Copilot and tab models report none); Cursor's events carry its charged cost, Copilot's cost
nothing (seats), the others are priced by the warehouse from `model_prices`, which holds the list
prices plus two mid-period changes (a cheaper self-hosted model after a GPU reservation renewal, and
an enterprise discount on Claude Sonnet 4.5). Some days' events are delivered a second time, as
identical rows in `part-1.parquet`.

Leaderboards
------------
Three boards, none of which leaves a trace in the landing zone:
- "Quay AI Top 50", organisation-wide, tokens of the trailing seven days, snapshot Fridays 15:00
  Europe/Amsterdam, published until 55% into the period;
- then department boards (top ten by tokens of the trailing fourteen days), snapshot every other
  Wednesday 12:00 UTC;
- the Santos and Busan office boards, every Monday 08:30 local time, covering the previous week.

Personas (ground truth)
-----------------------
Ordinary: `regular`, `occasional`, `non_user`, `late_adopter` (adopts mid-period),
`autocomplete_only` (tab completions only) and `lapsed` (stops mid-period).

Legitimately heavy (never inflated): `power_user` (ships in proportion to their usage),
`migration_lead` (a months-long migration read from legacy code with large contexts and large
pull requests), `oncall_responder` (takes more shifts and works every page with an agent, at any
hour, for as long as the incident lasts), `staff_reviewer` (reviews across the department, each
review prepared with an AI tool), `new_hire_learner` (asks a lot in the first weeks, less each
week), and four of the port's own: `edi_mapping_specialist` (whole EDIFACT/X12 interchanges and
mapping specs in context, many mapping pull requests), `stowage_scenario_runner` (overnight agent
runs over stowage and crane-split scenarios, every night of a vessel surge),
`yard_commissioning_engineer` (on site during crane commissioning: round-the-clock shifts,
weekends, PLC telegram and telemetry logs, the robotics pages of those weeks) and
`billing_close_reconciler` (month-end close: reconciling invoices against tariff tables in the
last three and first two working days of each month).

Inflators (one style each; the persona is the style): `leaderboard_topup` (the common kind: does
the normal job and adds agent and chat sessions on top, evenings included), `snapshot_burst`
(agent bursts in the hours before the snapshot of the board they are on), `idle_agent`
(background agents left running for hours on pointless tasks), `regenerate_code` (re-asking for
code already written: the same few prompts, many proposed lines, almost none accepted),
`context_stuffing` (whole codebases pasted into context), `premium_model_trivia` (the most
expensive Opus model for one-line questions), `prompt_replay_script` (a script replaying a handful
of prompts at a steady cadence, day and night, leave included), `throwaway_prototype_prs`
(agent-written prototypes opened as pull requests and closed unmerged), `doc_bloat` (long design
documents and runbooks generated and never committed) and `pr_review_farming` (AI reviews run on
dozens of other people's pull requests a day, with a drive-by comment now and then). Each starts
in the first 45% of the period, pauses now and then, and some stop for good; intensity varies.

Ground truth
------------
`_ground_truth/engineer_weeks.parquet`: one row per engineer (managers, directors and the CTO
excluded) and UTC ISO week with at least one day of employment. `ai_total_tokens` sums input,
cached input, cache writes and output of every request of the engineer's accounts in the week,
replays counted once. An inflator's week is inflated when the requests generated by their style
in that UTC week are material: they carry at least 25% of the week's tokens and at least 250,000
tokens, or at least 30% of the week's cost (priced as the warehouse prices them) and at least 5
USD. Other weeks of inflators, and every week of everyone else, are not inflated.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.quay import delivery, ops, usage
from orchestration.quay import org as org_mod
from orchestration.quay import plan as plan_mod
from orchestration.quay.ids import DAY, decimals, hex_matrix, mix, prefixed, strings, take_strings
from orchestration.quay.plan import PERSONAS, STYLES, TOOLS, kind_of

__all__ = ["Summary", "generate"]

MATERIAL_SHARE = 0.25
MATERIAL_TOKENS = 250_000
MATERIAL_COST_SHARE = 0.30
MATERIAL_COST_USD = 5.0


@dataclass
class Summary:
    out: Path
    engineers: int
    weeks: int
    seed: int
    start: dt.date
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    personas: dict[str, int] = field(default_factory=dict)
    inflated: dict[str, int] = field(default_factory=dict)
    engineer_weeks: int = 0

    def render(self) -> str:
        lines = [
            f"Quay Logistics (family quay, seed {self.seed}): {self.engineers} engineers, {self.weeks} weeks "
            f"from {self.start.isoformat()}, written to {self.out} in {self.seconds:.1f} s",
        ]
        for table, count in self.rows.items():
            lines.append(f"  {table:<18}{count:>12,} rows")
        lines.append("  personas: " + ", ".join(f"{k}={v}" for k, v in self.personas.items()))
        total = sum(self.inflated.values())
        lines.append(
            f"  inflated engineer-weeks per style ({total} of {self.engineer_weeks}): "
            + ", ".join(f"{k}={v}" for k, v in self.inflated.items())
        )
        return "\n".join(lines)


def _ts(rel: np.ndarray, base_us: int, nullable: bool = True) -> pa.Array:
    """Microseconds after the period start as timestamps; -1 means null where a value may be missing."""
    rel = np.asarray(rel, dtype=np.int64)
    mask = (rel == -1) if nullable else np.zeros(rel.size, dtype=bool)
    return pa.array(rel + base_us, type=pa.timestamp("us"), mask=mask if mask.any() else None)


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def generate(
    out: Path | str,
    *,
    engineers: int = 300,
    weeks: int = 26,
    seed: int = 7,
    start: dt.date = dt.date(2026, 5, 4),
    progress: bool = True,
) -> Summary:
    clock = time.monotonic()
    out = Path(out)
    if start.weekday() != 0:
        raise ValueError(f"{start} is not a Monday")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    steps = ["roster", "plan", "delivery", "incidents", "usage", "write"]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(steps), desc="quay", unit="step")

    def step(name: str) -> None:
        if bar is not None:
            bar.set_postfix_str(name)
            bar.update(1)

    def stream(k: int) -> np.random.Generator:
        return np.random.default_rng([seed, k])

    org = org_mod.build_org(stream(1), engineers, weeks, start)
    step("roster")
    plan = plan_mod.build_plan(stream(2), org)
    protos = usage.prototype_sessions(stream(3), org, plan)
    step("plan")
    dl = delivery.build_delivery(stream(4), org, plan, protos)
    step("delivery")
    inc = ops.build_incidents(stream(5), org, plan, dl)
    step("incidents")
    acc = usage.accounts(stream(6), org, plan)
    ss = usage.Sessions()
    rng = stream(7)
    usage.base_sessions(rng, org, plan, ss, acc)
    usage.legit_sessions(rng, org, plan, ss, acc, inc, dl)
    usage.inflating_sessions(rng, org, plan, ss, acc, protos)
    usage.automation_sessions(rng, org, ss, acc, scale=min(1.0, engineers / 2000))
    ev = usage.finish(org, usage.expand(stream(8), org, ss, seed))
    step("usage")

    base_us = _epoch_us(start)
    rows = {}
    rows["ai_usage_events"] = _write_events(out, org, acc, ev, base_us, seed, stream(9))
    rows.update(_write_tables(out, org, plan, acc, dl, inc, base_us, seed))
    truth, personas, inflated = _truth(org, plan, ev)
    _write(truth, out / "_ground_truth" / "engineer_weeks.parquet")
    manifest = {
        "family": "quay",
        "organisation": "Quay Logistics",
        "engineers": engineers,
        "weeks": weeks,
        "seed": seed,
        "start": start.isoformat(),
        "events": int(ev.at.size),
        "material_share": MATERIAL_SHARE,
        "material_tokens": MATERIAL_TOKENS,
        "material_cost_share": MATERIAL_COST_SHARE,
        "material_cost_usd": MATERIAL_COST_USD,
        "leaderboard_change_week": int(plan.board_change_week),
        "release_crunches": [
            {"department": d, "name": name, "week_start": (start + dt.timedelta(days=7 * w)).isoformat()}
            for d, name, w in plan.crunch_names
        ],
        "operational_events": [
            {
                "name": name,
                "from": (start + dt.timedelta(days=int(d0))).isoformat(),
                "to": (start + dt.timedelta(days=int(d1))).isoformat(),
            }
            for name, d0, d1 in plan.op_names
        ],
        "inflated_engineer_weeks": inflated,
    }
    (out / "_ground_truth" / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    step("write")
    if bar is not None:
        bar.close()
    return Summary(
        out=out,
        engineers=engineers,
        weeks=weeks,
        seed=seed,
        start=start,
        seconds=time.monotonic() - clock,
        rows=rows,
        personas=personas,
        inflated=inflated,
        engineer_weeks=truth.num_rows,
    )


def _epoch_us(day: dt.date) -> int:
    return (
        int((dt.datetime(day.year, day.month, day.day) - dt.datetime(1970, 1, 1)).total_seconds()) * 1_000_000
    )


EVENT_PREFIXES = [b"req_011C", b"cur-", b"cpl_", b"chatcmpl-", b"qag-"]
SESSION_PREFIXES = [b"cc-", b"cur-conv-", b"cpl-sess-", b"oai-run-", b"qag-sess-"]


def _write_events(out: Path, org, acc, ev, base_us: int, seed: int, rng: np.random.Generator) -> int:
    n = ev.at.size
    body = np.concatenate(
        [
            hex_matrix(mix(np.arange(n, dtype=np.uint64), seed * 11 + 3)),
            hex_matrix(mix(np.arange(n, dtype=np.uint64), seed * 11 + 4), 8),
        ],
        axis=1,
    )
    event_id = prefixed(EVENT_PREFIXES, ev.tool, body)
    s_tool = np.zeros(ev.n_sessions, dtype=np.int64)
    s_tool[ev.session] = ev.tool
    session_names = prefixed(
        SESSION_PREFIXES, s_tool, hex_matrix(mix(np.arange(ev.n_sessions), seed * 11 + 5), 14)
    )
    session_id = pa.DictionaryArray.from_arrays(pa.array(ev.session.astype(np.int32)), session_names).cast(
        pa.string()
    )
    valued = (ev.tool == TOOLS.index("cursor")) | (ev.tool == TOOLS.index("copilot"))
    cost = np.where(ev.tool == TOOLS.index("copilot"), 0.0, ev.cost)
    has_hash = ev.hash_key != 0
    lines_ok = ev.lines_suggested >= 0
    table = pa.table(
        {
            "event_id": event_id,
            "occurred_at": pa.array(ev.at + base_us, type=pa.timestamp("us")),
            "source_tool": take_strings(list(TOOLS), ev.tool),
            "actor_id": take_strings(acc.names, ev.actor),
            "session_id": session_id,
            "model": take_strings([m for m, _ in usage.MODELS], ev.model),
            "request_kind": take_strings(list(usage.KINDS), ev.kind),
            "input_tokens": pa.array(ev.input, type=pa.int64()),
            "cached_input_tokens": pa.array(ev.cached, type=pa.int64()),
            "cache_write_tokens": pa.array(ev.cache_write, type=pa.int64()),
            "output_tokens": pa.array(ev.output, type=pa.int64()),
            "cost_usd": decimals(cost, valued),
            "prompt_hash": strings(hex_matrix(ev.hash_key), valid=has_hash),
            "lines_suggested": pa.array(ev.lines_suggested, type=pa.int64(), mask=~lines_ok),
            "lines_accepted": pa.array(ev.lines_accepted, type=pa.int64(), mask=~lines_ok),
        }
    )
    bounds = np.searchsorted(ev.at, np.arange(org.days + 1) * DAY)
    replay_days = rng.random(org.days) < 0.3
    for d in range(org.days):
        lo, hi = int(bounds[d]), int(bounds[d + 1])
        folder = out / "ai_usage_events" / f"date={(org.start + dt.timedelta(days=d)).isoformat()}"
        _write(table.slice(lo, hi - lo), folder / "part-0.parquet")
        if replay_days[d] and hi > lo:
            k = max(1, int((hi - lo) * rng.uniform(0.002, 0.01)))
            begin = lo + int(rng.integers(0, max(1, hi - lo - k)))
            _write(table.slice(begin, min(k, hi - begin)), folder / "part-1.parquet")
    return n


def _write_tables(out: Path, org, plan, acc, dl, inc, base_us: int, seed: int) -> dict[str, int]:
    rows: dict[str, int] = {}
    eng = org.is_engineer

    def put(name: str, table: pa.Table) -> None:
        _write(table, out / name / "part-0.parquet")
        rows[name] = table.num_rows

    def dates(values: list[dt.date | None]) -> pa.Array:
        return pa.array(values, type=pa.date32())

    manager = [org.employee_id[m] if m >= 0 else None for m in org.manager]
    put(
        "people",
        pa.table(
            {
                "employee_id": pa.array(org.employee_id, pa.string()),
                "email": pa.array(org.email_roster, pa.string()),
                "full_name": pa.array(org.full_name, pa.string()),
                "team_id": take_strings(org.team_ids, org.team),
                "manager_employee_id": pa.array(manager, pa.string()),
                "role": pa.array(org.role, pa.string()),
                "timezone": pa.array([org_mod.OFFICES[o].tz for o in org.office], pa.string()),
                "hired_on": dates(org.hired_on),
                "left_on": dates(org.left_on),
                "annual_loaded_cost_usd": decimals(org.loaded_cost, scale=2),
            }
        ),
    )
    put(
        "teams",
        pa.table(
            {
                "team_id": pa.array(org.team_ids, pa.string()),
                "team_name": pa.array(org.team_names, pa.string()),
                "department": pa.array(
                    [org_mod.DEPARTMENTS[org_mod.DEPT_CODES[d]] for d in org.team_dept], pa.string()
                ),
            }
        ),
    )
    price_model, price_from, price_rows = [], [], []
    for name, prices in usage.LIST_PRICES.items():
        price_model.append(name)
        price_from.append(dt.date(2025, 1, 1))
        price_rows.append(prices)
    for name, frac, prices in usage.PRICE_CHANGES:
        price_model.append(name)
        price_from.append(org.start + dt.timedelta(days=int(frac * org.days)))
        price_rows.append(prices)
    pr_arr = np.array(price_rows)
    put(
        "model_prices",
        pa.table(
            {
                "model": pa.array(price_model, pa.string()),
                "effective_from": pa.array(price_from, pa.date32()),
                "input_usd_per_mtok": decimals(pr_arr[:, 0]),
                "cached_input_usd_per_mtok": decimals(pr_arr[:, 1]),
                "cache_write_usd_per_mtok": decimals(pr_arr[:, 2]),
                "output_usd_per_mtok": decimals(pr_arr[:, 3]),
            }
        ),
    )
    put(
        "repositories",
        pa.table(
            {"repo": pa.array(org.repos, pa.string()), "team_id": take_strings(org.team_ids, org.repo_team)}
        ),
    )
    put(
        "services",
        pa.table(
            {
                "service": pa.array(org.services, pa.string()),
                "team_id": take_strings(org.team_ids, org.service_team),
            }
        ),
    )

    # Identities.
    systems, accounts_, owners = [], [], []
    for p in range(org.people):
        systems.append("github")
        accounts_.append(org.login[p])
        owners.append(org.employee_id[p])
    pd_ids = hex_matrix(mix(np.arange(org.people), seed * 13 + 1), 7)
    for p in np.flatnonzero(eng):
        systems.append("pagerduty")
        accounts_.append("P" + pd_ids[p].tobytes().decode().upper())
        owners.append(org.employee_id[p])
    for a in np.flatnonzero(acc.listed):
        systems.append(TOOLS[acc.tool[a]])
        accounts_.append(acc.names[a])
        owners.append(org.employee_id[acc.owner[a]])
    put(
        "identities",
        pa.table(
            {
                "source_system": pa.array(systems, pa.string()),
                "account_id": pa.array(accounts_, pa.string()),
                "employee_id": pa.array(owners, pa.string()),
            }
        ),
    )

    # Pull requests.
    logins = org.login + list(delivery.BOTS)
    emails = org.email + list(delivery.BOT_EMAILS)

    def who(person: np.ndarray) -> np.ndarray:
        # Bots are -1 and -2: they map after the people.
        return np.where(person >= 0, person, org.people + (-1 - person))

    put(
        "pull_requests",
        pa.table(
            {
                "repo": take_strings(org.repos, dl.pr_repo),
                "pr_number": pa.array(dl.pr_number, pa.int64()),
                "author_login": take_strings(logins, who(dl.pr_author)),
                "title": pa.array(dl.pr_title, pa.string()),
                "created_at": _ts(dl.pr_created, base_us),
                "ready_for_review_at": _ts(dl.pr_ready, base_us),
                "first_commit_at": pa.array(dl.pr_first_commit + base_us, type=pa.timestamp("us")),
                "merged_at": _ts(dl.pr_merged, base_us),
                "closed_at": _ts(dl.pr_closed, base_us),
                "additions": pa.array(dl.pr_add, pa.int64()),
                "deletions": pa.array(dl.pr_del, pa.int64()),
                "changed_files": pa.array(dl.pr_files, pa.int64()),
                "base_branch": pa.array(dl.pr_base, pa.string()),
                "merge_commit_sha": pa.array(dl.pr_merge_sha, pa.string()),
                "labels": pa.array(dl.pr_labels, pa.string()),
            }
        ),
    )
    states = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"]
    n_rv = dl.rv_pr.size
    put(
        "pr_reviews",
        pa.table(
            {
                "repo": take_strings(org.repos, dl.pr_repo[dl.rv_pr]),
                "pr_number": pa.array(dl.pr_number[dl.rv_pr], pa.int64()),
                "review_id": prefixed(
                    [b"PRR_kwDO"],
                    np.zeros(n_rv, dtype=np.int64),
                    hex_matrix(mix(np.arange(n_rv), seed * 13 + 2), 14),
                ),
                "reviewer_login": take_strings(logins, dl.rv_reviewer),
                "state": take_strings(states, dl.rv_state),
                "submitted_at": _ts(dl.rv_at, base_us),
            }
        ),
    )
    # Commits: the pull requests' and the hotfixes.
    c_repo = np.concatenate([dl.cm_repo, inc.hf_repo])
    c_author = np.concatenate([who(dl.cm_author), inc.hf_author])
    c_at = np.concatenate([dl.cm_at, inc.hf_at])
    c_comm = np.concatenate([dl.cm_committed, inc.hf_at])
    c_msg = dl.cm_message + inc.hf_message
    c_add = np.concatenate([dl.cm_add, np.full(inc.hf_at.size, 3)])
    c_del = np.concatenate([dl.cm_del, np.full(inc.hf_at.size, 1)])
    c_pr = np.concatenate([dl.pr_number[dl.cm_pr], np.full(inc.hf_at.size, -1)])
    n_c = c_repo.size
    put(
        "commits",
        pa.table(
            {
                "repo": take_strings(org.repos, c_repo),
                "sha": strings(
                    np.concatenate(
                        [hex_matrix(mix(np.arange(n_c), seed * 13 + 3 + i)) for i in range(3)], axis=1
                    )[:, :40]
                ),
                "author_email": take_strings(emails, c_author),
                "author_login": take_strings(logins, c_author),
                "authored_at": _ts(c_at, base_us, nullable=False),
                "committed_at": _ts(c_comm, base_us, nullable=False),
                "message": pa.array(c_msg, pa.string()),
                "additions": pa.array(c_add, pa.int64()),
                "deletions": pa.array(c_del, pa.int64()),
                "pr_number": pa.array(c_pr, pa.int64(), mask=c_pr < 0),
            }
        ),
    )
    n_d = dl.dp_repo.size
    dep_ids = [f"{700_000_000 + 37 * i + (seed % 37)}" for i in range(n_d)]
    put(
        "deployments",
        pa.table(
            {
                "repo": take_strings(org.repos, dl.dp_repo),
                "deployment_id": pa.array(dep_ids, pa.string()),
                "sha": pa.array(dl.dp_sha, pa.string()),
                "environment": pa.array(dl.dp_env, pa.string()),
                "status": pa.array(dl.dp_status, pa.string()),
                "started_at": _ts(dl.dp_started, base_us),
                "finished_at": _ts(dl.dp_finished, base_us),
            }
        ),
    )
    n_i = inc.service.size
    order = np.lexsort((np.arange(n_i), inc.created))
    caused = inc.caused_by[order]
    put(
        "incidents",
        pa.table(
            {
                "incident_id": pa.array(
                    [f"Q{seed % 100:02d}-INC-{i + 1:06d}" for i in range(n_i)], pa.string()
                ),
                "service": take_strings(org.services, inc.service[order]),
                "title": pa.array([inc.title[i] for i in order], pa.string()),
                "severity": take_strings(list(ops.SEVERITIES), inc.severity[order]),
                "created_at": _ts(inc.created[order], base_us),
                "acknowledged_at": _ts(inc.acked[order], base_us),
                "resolved_at": _ts(inc.resolved[order], base_us),
                "responder_email": take_strings(org.email, inc.responder[order]),
                "caused_by_deployment_id": take_strings(dep_ids, caused),
                "repo": take_strings(org.repos, np.where(caused >= 0, dl.dp_repo[np.maximum(caused, 0)], -1)),
                "acknowledged_by_email": take_strings(
                    org.email, np.where(inc.acked[order] >= 0, inc.acker[order], -1)
                ),
            }
        ),
    )
    return rows


def _truth(org, plan, ev) -> tuple[pa.Table, dict[str, int], dict[str, int]]:
    weeks = org.weeks
    n = org.people
    owned = ev.person >= 0
    key = ev.person[owned] * weeks + ev.at[owned] // (7 * DAY)
    tok = (ev.input + ev.cached + ev.cache_write + ev.output)[owned].astype(float)
    cost = ev.cost[owned]
    infl = ev.style[owned] >= 0
    size = n * weeks
    tokens = np.bincount(key, weights=tok, minlength=size).reshape(n, weeks)
    cost_w = np.bincount(key, weights=cost, minlength=size).reshape(n, weeks)
    infl_tok = np.bincount(key, weights=tok * infl, minlength=size).reshape(n, weeks)
    infl_cost = np.bincount(key, weights=cost * infl, minlength=size).reshape(n, weeks)
    material = ((infl_tok >= MATERIAL_SHARE * tokens) & (infl_tok >= MATERIAL_TOKENS)) | (
        (infl_cost >= MATERIAL_COST_SHARE * cost_w) & (infl_cost >= MATERIAL_COST_USD)
    )
    employed = org.employed.reshape(n, weeks, 7).any(axis=2)
    people, week = np.nonzero(employed & org.is_engineer[:, None])
    persona = plan.persona[people]
    kinds = np.array([kind_of(i) for i in range(len(PERSONAS))], dtype=object)
    is_inflator = kinds[persona] == "inflator"
    inflated = is_inflator & material[people, week]
    style = np.where(inflated, persona, -1)
    table = pa.table(
        {
            "employee_id": take_strings(org.employee_id, people),
            "week_start": pa.array(
                [org.start + dt.timedelta(days=7 * int(w)) for w in range(weeks)], pa.date32()
            ).take(pa.array(week)),
            "persona": take_strings(list(PERSONAS), persona),
            "persona_kind": take_strings(
                ["ordinary", "legitimate_heavy", "inflator"],
                np.array([("ordinary", "legitimate_heavy", "inflator").index(k) for k in kinds])[persona],
            ),
            "is_inflated": pa.array(inflated, pa.bool_()),
            "inflation_style": take_strings(list(PERSONAS), style),
            "ai_total_tokens": pa.array(tokens[people, week].astype(np.int64), pa.int64()),
        }
    )
    eng_personas = plan.persona[org.is_engineer]
    personas = {name: int((eng_personas == i).sum()) for i, name in enumerate(PERSONAS)}
    per_style = {name: int((style == PERSONAS.index(name)).sum()) for name in STYLES}
    return table, personas, per_style
