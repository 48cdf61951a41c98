"""The ground truth beside the landing zone: one row per engineer and ISO week employed, saying who
they are that week and whether (and how) they inflated their AI use; and a manifest of the run."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.meridian import catalog as cat
from orchestration.meridian.clock import Clock
from orchestration.meridian.org import (
    INFLATOR,
    LEGITIMATE_HEAVY,
    ORDINARY,
    PERSONAS,
    RELEASE_CRUNCH,
    Org,
)
from orchestration.meridian.plan import Plan, employed_weeks
from orchestration.meridian.usage import TokenLog

TRUTH_FILE = "engineer_weeks.parquet"
MANIFEST_FILE = "manifest.json"

TRUTH_SCHEMA = pa.schema(
    [
        ("employee_id", pa.string()),
        ("week_start", pa.date32()),
        ("persona", pa.string()),
        ("persona_kind", pa.string()),
        ("is_inflated", pa.bool_()),
        ("inflation_style", pa.string()),
        ("base_persona", pa.string()),
        ("team_id", pa.string()),
        ("department", pa.string()),
        ("role", pa.string()),
        ("is_release_crunch", pa.bool_()),
        ("is_on_call", pa.bool_()),
        ("ai_tokens", pa.int64()),
        ("ai_requests", pa.int64()),
        ("ai_cost_usd", pa.float64()),
        ("inflated_requests", pa.int64()),
    ]
)


def truth_table(clock: Clock, org: Org, plan: Plan, log: TokenLog) -> pa.Table:
    weeks = clock.weeks
    employed = employed_weeks(org, weeks) & org.is_engineer[:, None]
    person, week = np.nonzero(employed)
    tokens = log.tokens.reshape(org.people, weeks)[person, week]
    inflated = log.inflated.reshape(org.people, weeks, len(cat.STYLES))[person, week]
    is_inflated = inflated.sum(axis=1) > 0
    style = np.argmax(inflated, axis=1)
    persona = org.persona[person]
    crunch = plan.crunch[person, week] > 1.0
    crunch_week = np.isin(persona, ORDINARY) & crunch & (tokens > 0)
    label = np.where(crunch_week, RELEASE_CRUNCH, np.array(PERSONAS)[persona])
    kind = np.where(
        np.isin(persona, LEGITIMATE_HEAVY) | crunch_week,
        "legitimate_heavy",
        np.where(persona == INFLATOR, "inflator", "ordinary"),
    )
    monday = np.array([np.datetime64(clock.monday(w), "D") for w in range(weeks)])
    return pa.table(
        {
            "employee_id": [org.employee_id[p] for p in person],
            "week_start": pa.array(monday[week]),
            "persona": label.tolist(),
            "persona_kind": kind.tolist(),
            "is_inflated": is_inflated,
            "inflation_style": pa.array(
                [cat.STYLES[s] if flag else None for s, flag in zip(style, is_inflated, strict=True)],
                type=pa.string(),
            ),
            "base_persona": [PERSONAS[p] for p in persona],
            "team_id": [org.team_id[t] for t in org.team[person]],
            "department": [cat.DEPARTMENTS[d].name for d in org.dept[person]],
            "role": [org.role[p] for p in person],
            "is_release_crunch": crunch,
            "is_on_call": plan.oncall[person, week],
            "ai_tokens": tokens,
            "ai_requests": log.events.reshape(org.people, weeks)[person, week],
            "ai_cost_usd": np.round(log.cost.reshape(org.people, weeks)[person, week], 4),
            "inflated_requests": inflated.sum(axis=1),
        },
        schema=TRUTH_SCHEMA,
    )


def _counts(values: list[str] | np.ndarray) -> dict[str, int]:
    names, counts = np.unique(np.asarray(values), return_counts=True)
    return {str(name): int(count) for name, count in zip(names, counts, strict=True)}


def write_truth(
    out: Path, clock: Clock, org: Org, plan: Plan, log: TokenLog, seed: int, rows: dict[str, int]
) -> dict[str, object]:
    """Writes the truth and the manifest; returns the manifest."""
    folder = out / "_ground_truth"
    folder.mkdir(parents=True, exist_ok=True)
    table = truth_table(clock, org, plan, log)
    pq.write_table(table, folder / TRUTH_FILE, compression="zstd")

    engineers = np.flatnonzero(org.is_engineer)
    frame = table.to_pydict()
    inflated = np.array(frame["is_inflated"])
    styles = np.array([s or "" for s in frame["inflation_style"]])
    ids = np.array(frame["employee_id"])
    ever = sorted(set(ids[inflated].tolist()))
    by_style = {
        style: {
            "engineers": len(set(ids[styles == style].tolist())),
            "inflated_weeks": int((styles == style).sum()),
        }
        for style in cat.STYLES
    }
    adopters = engineers[org.tools[engineers].any(axis=1)]
    manifest: dict[str, object] = {
        "family": "meridian",
        "seed": seed,
        "start": clock.start.isoformat(),
        "weeks": clock.weeks,
        "engineers": len(engineers),
        "people": org.people,
        "teams": len(org.team_id),
        "engineer_weeks": table.num_rows,
        "personas": _counts([PERSONAS[p] for p in org.persona[engineers]]),
        "persona_weeks": _counts(frame["persona"]),
        "legitimate_heavy": [PERSONAS[p] for p in LEGITIMATE_HEAVY] + [RELEASE_CRUNCH],
        "inflators": int((org.persona == INFLATOR).sum()),
        "inflators_by_main_style": _counts([cat.STYLES[s] for s in org.style[org.persona == INFLATOR]]),
        "engineers_who_inflated": len(ever),
        "share_who_inflated": round(len(ever) / max(len(engineers), 1), 4),
        "inflated_weeks": int(inflated.sum()),
        "styles": by_style,
        "leaderboard_snapshots": {
            d.name: {
                "weekday": ("Mon", "Tue", "Wed", "Thu", "Fri")[d.snapshot[0]],
                "hour": d.snapshot[1],
                "zone": d.snapshot[2],
            }
            for d in cat.DEPARTMENTS
        },
        "release_crunch_weeks": {
            name: [(clock.start + timedelta(weeks=w)).isoformat() for w in weeks]
            for name, weeks in plan.crunch_weeks.items()
        },
        "planted_pr_uplift_mean_of_adopters": round(float(plan.uplift[adopters].mean()), 4)
        if len(adopters)
        else 0.0,
        "rows": rows,
        "models": [m.name for m in cat.MODELS],
    }
    (folder / MANIFEST_FILE).write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest
