"""`airoi generate --family meridian`: the organisation, its plan, what it ships, then the token log
week by week (so memory stays flat however long the period), then the truth."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from tqdm import tqdm

from orchestration.meridian.clock import Clock
from orchestration.meridian.delivery import build_delivery
from orchestration.meridian.landing import clean, write_events, write_landing
from orchestration.meridian.org import build_org
from orchestration.meridian.plan import build_plan
from orchestration.meridian.truth import write_truth
from orchestration.meridian.usage import TokenLog

DEFAULT_START = date(2026, 5, 4)


@dataclass
class Summary:
    out: Path
    manifest: dict[str, object]
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)

    def render(self) -> str:
        m = self.manifest
        lines = [
            f"Wrote the meridian organisation to {self.out} in {self.seconds:.1f} s "
            f"(seed {m['seed']}, {m['engineers']:,} engineers, {m['people']:,} people, {m['weeks']} weeks "
            f"from {m['start']})",
        ]
        width = max(len(name) for name in self.rows)
        lines += [f"  {name:<{width}}  {count:>12,}" for name, count in self.rows.items()]
        lines.append(
            f"Truth: {m['engineer_weeks']:,} engineer-weeks, "
            f"{m['engineers_who_inflated']:,} engineers inflated "
            f"({m['share_who_inflated']:.1%}) in {m['inflated_weeks']:,} weeks "
            f"-> {self.out / '_ground_truth' / 'engineer_weeks.parquet'}"
        )
        return "\n".join(lines)


def generate(
    out: Path | str,
    *,
    engineers: int = 300,
    weeks: int = 26,
    seed: int = 7,
    start: date = DEFAULT_START,
    progress: bool = True,
) -> Summary:
    began = time.monotonic()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clean(out)
    clock = Clock(start, weeks)
    org = build_org(np.random.default_rng([seed, 1]), engineers, weeks)
    plan = build_plan(np.random.default_rng([seed, 2]), org, weeks)
    delivery = build_delivery(np.random.default_rng([seed, 3]), clock, org, plan, seed)
    rows = write_landing(out, clock, org, plan, delivery)
    log = TokenLog(clock, org, plan, delivery, seed)
    for w in tqdm(range(weeks), desc="meridian token log", unit="week", disable=not progress):
        rows["ai_usage_events"] += write_events(out, clock.monday(w).isoformat(), log.week(w))
    manifest = write_truth(out, clock, org, plan, log, seed, rows)
    return Summary(out=out, manifest=manifest, seconds=time.monotonic() - began, rows=rows)
