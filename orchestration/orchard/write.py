"""Writing the landing zone (CONTRACT.md section 1) and the ground truth."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from orchestration.landing.contract import TABLES
from orchestration.orchard.calendar import WEEK
from orchestration.orchard.delivery import Delivery
from orchestration.orchard.plan import World
from orchestration.orchard.usage import KINDS, MODELS, PRICES, TOOLS, Events, hex16, mix64

TS = pa.timestamp("us", tz="UTC")
DEC = pa.decimal128(18, 6)
_ARROW = {"string": pa.string(), "integer": pa.int64(), "decimal": DEC, "timestamp": TS, "date": pa.date32()}
_PREFIX = {
    "claude_code": "cc_",
    "cursor": "cur-",
    "copilot": "cop-",
    "openai_api": "req_",
    "internal_agent": "ia-",
}


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def _table(name: str, rows: list[dict]) -> pa.Table:
    """Rows of python values (timestamps as epoch seconds) as the contract's types."""
    arrays, fields = [], []
    for column in TABLES[name].columns:
        values = [row.get(column.name) for row in rows]
        if column.type == "timestamp":
            arrays.append(
                pa.array([None if v is None else v * 1_000_000 for v in values], type=pa.int64()).cast(TS)
            )
        elif column.type == "decimal":
            arrays.append(
                pa.array([None if v is None else round(v, 6) for v in values], type=pa.float64()).cast(
                    DEC, safe=False
                )
            )
        else:
            arrays.append(pa.array(values, type=_ARROW[column.type]))
        fields.append(pa.field(column.name, _ARROW[column.type]))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _accounts(world: World) -> list[list[str]]:
    """The account of each person in each tool, indexed [tool][person]."""
    by_tool = []
    for tool in TOOLS:
        accounts = []
        for p in world.people:
            if tool in ("claude_code", "cursor"):
                accounts.append(p.email)
            elif tool == "openai_api":
                accounts.append(f"key-{p.department}-{p.login}")
            else:
                accounts.append(p.login)
        by_tool.append(accounts)
    return by_tool


def _costs(events: Events) -> np.ndarray:
    prices = np.array([PRICES[m] for m in MODELS], dtype=np.float64)[events.model.astype(np.intp)]
    return (
        events.input_tokens * prices[:, 0]
        + events.cached * prices[:, 1]
        + events.cache_write * prices[:, 2]
        + events.output * prices[:, 3]
    ) / 1e6


def _events_table(world: World, events: Events, ids: np.ndarray) -> pa.Table:
    accounts = _accounts(world)
    flat = pa.array([a for tool in accounts for a in tool], type=pa.string())
    actor = flat.take(pa.array(events.tool.astype(np.int64) * len(world.people) + events.eng))
    tool = pa.array(TOOLS, type=pa.string()).take(pa.array(events.tool.astype(np.int64)))
    prefix = pa.array([_PREFIX[t] for t in TOOLS], type=pa.string()).take(
        pa.array(events.tool.astype(np.int64))
    )
    event_id = pc.binary_join_element_wise(prefix, pa.array(hex16(ids)).cast(pa.string()), "")
    session = pa.array(hex16(events.session)).cast(pa.string())
    session = pc.if_else(pa.array(events.session == 0), pa.scalar(None, pa.string()), session)
    prompt = pc.binary_join_element_wise(pa.scalar("p"), pa.array(hex16(events.prompt)).cast(pa.string()), "")
    billed = events.tool == TOOLS.index("openai_api")
    cost = pa.array(np.round(_costs(events), 6), mask=~billed).cast(DEC, safe=False)
    columns = {
        "event_id": event_id,
        "occurred_at": pa.array(events.at * 1_000_000, type=pa.int64()).cast(TS),
        "source_tool": tool,
        "actor_id": actor,
        "session_id": session,
        "model": pa.array(MODELS, type=pa.string()).take(pa.array(events.model.astype(np.int64))),
        "request_kind": pa.array(KINDS, type=pa.string()).take(pa.array(events.kind.astype(np.int64))),
        "input_tokens": pa.array(events.input_tokens),
        "cached_input_tokens": pa.array(events.cached),
        "cache_write_tokens": pa.array(events.cache_write),
        "output_tokens": pa.array(events.output),
        "cost_usd": cost,
        "prompt_hash": prompt,
        "lines_suggested": pa.array(events.lines_suggested, mask=events.lines_suggested < 0),
        "lines_accepted": pa.array(events.lines_accepted, mask=events.lines_accepted < 0),
    }
    return pa.table(columns)


def write_landing(out: Path, world: World, delivery: Delivery, events: Events, seed: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    start = world.start
    people, teams = world.people, world.teams
    ids = mix64(np.arange(len(events), dtype=np.uint64) + np.uint64((seed * 0x9E3779B1) & ((1 << 64) - 1)))
    week = (events.at - world.clock.start_epoch) // WEEK
    bounds = np.searchsorted(week, np.arange(world.weeks + 1))
    for w in range(world.weeks):
        part = np.arange(bounds[w], bounds[w + 1])
        if not len(part):
            continue
        table = _events_table(world, events.take(part), ids[part])
        _write(table, out / "ai_usage_events" / f"week={start + timedelta(days=7 * w)}" / "part-0.parquet")
    # An overlapping re-export of part of the OpenAI usage: the same rows land twice.
    openai = np.flatnonzero((events.tool == TOOLS.index("openai_api")) & (ids % np.uint64(50) == 0))
    if len(openai):
        _write(
            _events_table(world, events.take(openai), ids[openai]),
            out / "ai_usage_events" / "reexports" / "openai-overlap.parquet",
        )

    def day(offset: int | None) -> date | None:
        return None if offset is None else start + timedelta(days=offset)

    _write(
        _table(
            "people",
            [
                {
                    "employee_id": p.employee_id,
                    "email": p.email,
                    "full_name": p.full_name,
                    "team_id": teams[p.team].team_id,
                    "manager_employee_id": None
                    if p.role == "manager"
                    else people[teams[p.team].manager].employee_id,
                    "role": p.role,
                    "timezone": p.zone,
                    "hired_on": day(p.hire_day),
                    "left_on": day(p.leave_day),
                    "annual_loaded_cost_usd": p.cost,
                }
                for p in people
            ],
        ),
        out / "people" / "people.parquet",
    )
    teams_table = _table(
        "teams", [{"team_id": t.team_id, "team_name": t.name, "department": t.department} for t in teams]
    )
    (out / "teams").mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(teams_table, out / "teams" / "teams.csv")
    prices = []
    for model, (i, c, w, o) in PRICES.items():
        prices.append(
            {
                "model": model,
                "effective_from": date(2025, 1, 1),
                "input_usd_per_mtok": i,
                "cached_input_usd_per_mtok": c,
                "cache_write_usd_per_mtok": w,
                "output_usd_per_mtok": o,
            }
        )
    if world.weeks >= 4:  # the enterprise agreement's renegotiated Sonnet price, mid-period
        i, c, w, o = PRICES["claude-sonnet-4-5"]
        prices.append(
            {
                "model": "claude-sonnet-4-5",
                "effective_from": start + timedelta(days=7 * (world.weeks // 2)),
                "input_usd_per_mtok": i * 0.9,
                "cached_input_usd_per_mtok": c * 0.9,
                "cache_write_usd_per_mtok": w * 0.9,
                "output_usd_per_mtok": o * 0.9,
            }
        )
    _write(_table("model_prices", prices), out / "model_prices" / "model_prices.parquet")
    _write(
        _table("repositories", [{"repo": r, "team_id": t.team_id} for t in teams for r in t.repos]),
        out / "repositories" / "repositories.parquet",
    )
    _write(
        _table("services", [{"service": s, "team_id": t.team_id} for t in teams for s in t.services]),
        out / "services" / "services.parquet",
    )
    used = np.unique(events.tool.astype(np.int64) * len(people) + events.eng)
    accounts_used: dict[int, set[str]] = {}
    for cell in used.tolist():
        accounts_used.setdefault(cell % len(people), set()).add(TOOLS[cell // len(people)])
    identities = []
    for p in people:
        identities.append({"source_system": "github", "account_id": p.login, "employee_id": p.employee_id})
        identities.append(
            {"source_system": "pagerduty", "account_id": f"P{p.index:06d}", "employee_id": p.employee_id}
        )
        for tool in sorted(set(p.tools) | accounts_used.get(p.index, set())):
            account = _accounts_for(p, tool)
            identities.append({"source_system": tool, "account_id": account, "employee_id": p.employee_id})
    _write(_table("identities", identities), out / "identities" / "identities.parquet")
    _write(_table("pull_requests", delivery.pull_requests), out / "pull_requests" / "pull_requests.parquet")
    _write(_table("pr_reviews", delivery.reviews), out / "pr_reviews" / "pr_reviews.parquet")
    _write(_table("commits", delivery.commits), out / "commits" / "commits.parquet")
    _write(_table("deployments", delivery.deployments), out / "deployments" / "deployments.parquet")
    _write(_table("incidents", delivery.incidents), out / "incidents" / "incidents.parquet")


def _accounts_for(p, tool: str) -> str:
    if tool in ("claude_code", "cursor"):
        return p.email
    if tool == "openai_api":
        return f"key-{p.department}-{p.login}"
    return p.login


def write_truth(out: Path, rows: dict[str, list]) -> None:
    schema = pa.schema(
        [
            ("employee_id", pa.string()),
            ("week_start", pa.date32()),
            ("team_id", pa.string()),
            ("persona", pa.string()),
            ("persona_kind", pa.string()),
            ("is_inflated", pa.bool_()),
            ("inflation_style", pa.string()),
            ("ai_total_tokens", pa.int64()),
        ]
    )
    _write(pa.table(rows, schema=schema), out / "_ground_truth" / "engineer_weeks.parquet")
