"""The ground truth: what each engineer-week really was, and what was landed for it.

Usage aggregates are accumulated as the events are landed (the last-landed copy of each key:
corrected replays count with their corrected value, malformed rows not at all), so they agree
exactly with the landing zone. Delivery aggregates come from the final state of each pull request,
review and incident, which is also the last-landed copy.

An engineer-week is labelled inflated only when the plan said so AND the week's landed data shows
the style's behaviour (see `INFLATION_EVIDENCE`); a planned week whose behaviour did not come out
(too few events at a small `events=`, say) is labelled not inflated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.generator.calendar import US_PER_HOUR
from orchestration.generator.git import NULL, Git
from orchestration.generator.org import (
    AGENT_LOOP,
    CLAUDE_CODE,
    COPILOT,
    CURSOR,
    INTERNAL_AGENT,
    LEADERBOARD_BURST,
    MIXED,
    NO_OUTCOME,
    OPENAI_API,
    PERSONAS,
    REPEATED_PROMPTS,
    STYLES,
    Org,
)
from orchestration.generator.plan import AGENT, NEVER, TAB, Plan, burst_window

#: Local hours that count as night for agent loops: 23:00 to 05:00.
NIGHT_FROM_MINUTE, NIGHT_UNTIL_MINUTE = 23 * 60, 5 * 60

INFLATION_EVIDENCE = {
    "no_outcome": (
        "no commit, no PR opened or merged, accepted lines <= 3 or <= 2% of suggested, "
        "tokens >= 1.8x baseline"
    ),
    "repeated_prompts": (
        ">= 10 prompted requests, >= 40% of them from the engineer's handful of repeated prompts"
    ),
    "leaderboard_burst": ">= 50% of the week's tokens in the 3 hours before Friday 17:00 UTC",
    "agent_loop": (
        ">= 30 agent requests in the engineer's local night (23:00-05:00), no commit within 4 hours after"
    ),
    "mixed": "tokens >= 1.8x baseline and >= 10% of prompted requests from the repeated handful",
}

_MEASURES = (
    "tokens",
    "events",
    "window_tokens",
    "prompted",
    "pooled",
    "night_agent",
    "suggested",
    "accepted",
)


@dataclass
class Truth:
    org: Org
    plan: Plan

    def __post_init__(self) -> None:
        size = self.org.n_people * self.org.period.weeks
        self.sums = {name: np.zeros(size) for name in _MEASURES}
        self.night_requests: list[tuple[np.ndarray, np.ndarray]] = []
        self.planned_weeks = 0
        self.inflated_weeks = 0

    def add_usage(self, rows: dict[str, np.ndarray]) -> None:
        """Count landed events (one copy per key, final values) into their engineer-weeks."""
        if not len(rows["t"]):
            return
        period = self.org.period
        week = period.week_of(rows["t"])
        index = rows["person"] * period.weeks + week
        tokens = (rows["input"] + rows["cached"] + rows["write"] + rows["output"]).astype(np.float64)
        start, end = burst_window(period, week)
        minute = period.local_minute_of_day(self.org.tz[rows["person"]], rows["t"])
        night = (minute >= NIGHT_FROM_MINUTE) | (minute < NIGHT_UNTIL_MINUTE)
        weights = {
            "tokens": tokens,
            "events": np.ones(len(index)),
            "window_tokens": tokens * ((rows["t"] >= start) & (rows["t"] < end)),
            "prompted": (rows["kind"] != TAB).astype(np.float64),
            "pooled": rows["pooled"].astype(np.float64),
            "night_agent": (night & (rows["kind"] == AGENT)).astype(np.float64),
            "suggested": np.maximum(rows["suggested"], 0).astype(np.float64),
            "accepted": np.maximum(rows["accepted"], 0).astype(np.float64),
        }
        size = len(self.sums["tokens"])
        for name, values in weights.items():
            self.sums[name] += np.bincount(index, weights=values, minlength=size)
        night_agent = np.flatnonzero(night & (rows["kind"] == AGENT))
        self.night_requests.append((rows["person"][night_agent], rows["t"][night_agent]))

    def _count(self, person: np.ndarray, t_us: np.ndarray) -> np.ndarray:
        period = self.org.period
        valid = (person >= 0) & (t_us != NULL)
        week = period.week_of(t_us[valid])
        inside = (week >= 0) & (week < period.weeks)
        index = person[valid][inside] * period.weeks + week[inside]
        return np.bincount(index, minlength=self.org.n_people * period.weeks).reshape(self.org.n_people, -1)

    def _quiet_after_night(self, git: Git) -> np.ndarray:
        """`[person, week]`: no commit by the person within 4 hours after any of their night-time
        agent requests of the week."""
        person = np.concatenate([pair[0] for pair in self.night_requests] + [np.zeros(0, dtype=np.int64)])
        t = np.concatenate([pair[1] for pair in self.night_requests] + [np.zeros(0, dtype=np.int64)])
        commits = git.commits
        followed = np.zeros(len(t), dtype=bool)
        for owner in np.unique(person):
            mine = np.flatnonzero(person == owner)
            times = np.sort(commits["authored_at"][commits["author"] == owner])
            following = np.searchsorted(times, t[mine], side="left")
            has_next = following < len(times)
            gap = np.where(
                has_next, times[np.minimum(following, len(times) - 1)] - t[mine], np.iinfo(np.int64).max
            )
            followed[mine] = gap <= 4 * US_PER_HOUR
        return self._count(person[followed], t[followed]) == 0

    def engineer_weeks(self, git: Git) -> pa.Table:
        org, plan, period = self.org, self.plan, self.org.period
        n_people, weeks, n = org.n_people, period.weeks, org.n_engineers
        shape = (n_people, weeks)
        sums = {name: values.reshape(shape) for name, values in self.sums.items()}
        prs, commits = git.prs, git.commits
        prs_merged = self._count(prs["author"], prs["merged_at"])
        prs_opened = self._count(prs["author"], prs["created_at"])
        commit_count = self._count(commits["author"], commits["authored_at"])
        reviews = self._count(git.reviews["reviewer"], git.reviews["submitted_at"])
        incidents = self._count(git.incidents["responder"], git.incidents["resolved_at"])

        prompted = np.maximum(sums["prompted"], 1)
        repeated_share = sums["pooled"] / prompted
        window_share = sums["window_tokens"] / np.maximum(sums["tokens"], 1)
        baseline = np.zeros(n_people)
        baseline[:n] = plan.baseline_tokens
        heavy_tokens = sums["tokens"] >= 1.8 * baseline[:, None]
        evidence = {
            NO_OUTCOME: (commit_count == 0)
            & (prs_opened == 0)
            & (prs_merged == 0)
            & (sums["accepted"] <= np.maximum(0.02 * sums["suggested"], 3))
            & heavy_tokens,
            REPEATED_PROMPTS: (sums["prompted"] >= 10) & (repeated_share >= 0.4),
            LEADERBOARD_BURST: (sums["tokens"] > 0) & (window_share >= 0.5),
            AGENT_LOOP: (sums["night_agent"] >= 30),
            MIXED: heavy_tokens & (repeated_share >= 0.1),
        }
        style = np.full(n_people, -1)
        style[:n] = org.style
        planned = np.zeros(shape, dtype=bool)
        planned[:n] = plan.planned_inflated
        quiet = self._quiet_after_night(git)
        shown = np.zeros(shape, dtype=bool)
        for code, mask in evidence.items():
            shown |= (style == code)[:, None] & mask
        shown &= np.where((style == AGENT_LOOP)[:, None], quiet, True)
        inflated = planned & shown
        self.planned_weeks = int(planned.sum())
        self.inflated_weeks = int(inflated.sum())

        employed = org.employed_weeks()
        person, week = np.nonzero(employed)
        persona = [PERSONAS[org.persona[p]] if p < n else None for p in person]
        adoption = np.full(n_people, NEVER)
        adoption[:n] = plan.adoption_week
        adoption_start = [
            None
            if adoption[p] == NEVER
            else period.start.fromordinal(period.start.toordinal() + 7 * int(adoption[p]))
            for p in person
        ]
        cycle = np.ones(shape)
        cycle[:n] = plan.cycle_factor
        throughput = np.ones(shape)
        throughput[:n] = plan.throughput_factor
        mapped = np.ones(n_people, dtype=bool)
        mapped[:n] = org.identity_mapped
        flagged = inflated[person, week]
        columns = {
            "employee_id": pa.array([org.employee_ids[p] for p in person], pa.string()),
            "week_start": pa.array([period.week_start(int(w)) for w in week], pa.date32()),
            "persona": pa.array(persona, pa.string()),
            "role": pa.array([org.roles[p] for p in person], pa.string()),
            "is_inflated": pa.array(flagged),
            "inflation_style": pa.array(
                [STYLES[style[p]] if f else None for p, f in zip(person, flagged, strict=True)], pa.string()
            ),
            "adoption_week_start": pa.array(adoption_start, pa.date32()),
            "true_cycle_time_effect_pct": pa.array(np.round((cycle[person, week] - 1) * 100, 2)),
            "true_throughput_effect_pct": pa.array(np.round((throughput[person, week] - 1) * 100, 2)),
            "identity_mapped": pa.array(mapped[person]),
            "ai_total_tokens": pa.array(sums["tokens"][person, week].astype(np.int64)),
            "ai_events": pa.array(sums["events"][person, week].astype(np.int64)),
            "prs_merged": pa.array(prs_merged[person, week].astype(np.int64)),
            "commits": pa.array(commit_count[person, week].astype(np.int64)),
            "reviews_given": pa.array(reviews[person, week].astype(np.int64)),
            "incidents_resolved": pa.array(incidents[person, week].astype(np.int64)),
            "lines_suggested": pa.array(sums["suggested"][person, week].astype(np.int64)),
            "lines_accepted": pa.array(sums["accepted"][person, week].astype(np.int64)),
            "snapshot_window_token_share": pa.array(np.round(window_share[person, week], 4)),
            "repeated_prompt_share": pa.array(np.round(repeated_share[person, week], 4)),
            "night_agent_requests": pa.array(sums["night_agent"][person, week].astype(np.int64)),
        }
        return pa.table(columns)

    def accounts(self) -> pa.Table:
        """Every account and address each person really uses, and whether `identities` lists it."""
        org = self.org
        rows: list[tuple[str, str, str, bool]] = []
        for person in range(org.n_people):
            employee = org.employee_ids[person]
            engineer = person < org.n_engineers
            mapped = not engineer or bool(org.identity_mapped[person])
            rows.append(("github", org.logins[person], employee, mapped))
            rows.append(("email", org.emails[person], employee, False))
            if org.uses_personal_email[person]:
                rows.append(("git_author_email", org.personal_emails[person], employee, False))
            if not engineer:
                continue
            for tool, system in (
                (CLAUDE_CODE, "claude_code"),
                (CURSOR, "cursor"),
                (COPILOT, "copilot"),
                (OPENAI_API, "openai_api"),
                (INTERNAL_AGENT, "internal_agent"),
            ):
                if org.tools[person, tool]:
                    listed = (mapped and tool in (COPILOT, OPENAI_API)) or (
                        tool == CLAUDE_CODE and org.claude_alias[person] is not None
                    )
                    rows.append((system, org.actor(person, tool), employee, listed))
        names = ("source_system", "account_id", "employee_id", "in_identities")
        return pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})


def write_ground_truth(root: Path, truth: Truth, git: Git, manifest: dict[str, object]) -> list[str]:
    folder = root / "_ground_truth"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(truth.engineer_weeks(git), folder / "engineer_weeks.parquet", compression="zstd")
    pq.write_table(truth.accounts(), folder / "accounts.parquet", compression="zstd")
    manifest["inflated_engineer_weeks"] = truth.inflated_weeks
    manifest["planned_inflated_engineer_weeks"] = truth.planned_weeks
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    return [
        "_ground_truth/engineer_weeks.parquet",
        "_ground_truth/accounts.parquet",
        "_ground_truth/manifest.json",
    ]
