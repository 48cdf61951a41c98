"""How each person works: tools and seats, habits, delivery pace, and the weeks their persona is busy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.brae.organisation import Org

#: Tool codes, in the order of `TOOLS`.
COPILOT, CURSOR, CLAUDE, OPENAI, INTERNAL = range(5)
TOOLS = ("copilot", "cursor", "claude_code", "openai_api", "internal_agent")
NEVER = 10**6

# Sessions per working day at full adoption, before each person's own spread.
_SESSION_RATE = {
    "non_user": 0.0,
    "tab_completer": 0.12,
    "occasional": 0.5,
    "regular": 1.5,
    "late_adopter": 1.4,
    "power_user": 5.5,
    "migration_lead": 2.4,
    "oncall_responder": 2.0,
    "staff_reviewer": 2.2,
    "new_hire_learner": 2.0,
    "interface_mapper": 2.0,
    "validation_author": 1.8,
    "terminology_curator": 1.8,
}
_PR_FACTOR = {
    "power_user": 2.1,
    "staff_reviewer": 0.45,
    "oncall_responder": 0.7,
    "migration_lead": 1.2,
    "interface_mapper": 1.1,
    "manager": 0.0,
    "director": 0.0,
}


@dataclass
class Traits:
    adopt_day: np.ndarray
    session_rate: np.ndarray
    tool_p: np.ndarray
    tab_hours: np.ndarray
    opus_pref: np.ndarray
    chrono: np.ndarray
    session_len: np.ndarray
    pr_rate: np.ndarray
    ai_lift: np.ndarray
    trailer_p: np.ndarray
    primary_tool: np.ndarray
    has_key: np.ndarray
    #: legitimate heavy phases: migration weeks (migration leads), busy weeks for validation authors
    phase_start: np.ndarray
    phase_end: np.ndarray


def build(org: Org, rng: np.random.Generator, audit_week: int) -> Traits:
    n = org.size
    days, weeks = org.cal.days, org.cal.weeks
    persona = org.persona
    dept = org.department
    base_rate = np.array([_SESSION_RATE.get(p, 1.7) for p in persona])
    base_rate[~org.is_engineer] = 0.25
    session_rate = base_rate * rng.lognormal(0, 0.45, n)

    adopt = np.zeros(n, dtype=np.int64)
    for i, p in enumerate(persona):
        if p == "non_user":
            adopt[i] = NEVER
        elif p == "late_adopter":
            adopt[i] = int(rng.integers(int(0.2 * days), max(int(0.2 * days) + 1, int(0.75 * days))))
    adopt = np.maximum(adopt, org.hired_day)
    adopt[(~org.is_engineer) & (rng.random(n) < 0.4)] = NEVER

    claude_share = np.array([0.45, 0.5, 0.72, 0.62])[dept]
    heavy = np.array([k in ("legitimate_heavy", "inflator") for k in org.kind])
    seat_claude = (rng.random(n) < claude_share) | (heavy & (rng.random(n) < 0.85))
    seat_cursor = rng.random(n) < np.where(seat_claude, 0.25, 0.5)
    has_key = (rng.random(n) < np.where(dept == 2, 0.3, 0.06)) | np.array(
        [p in ("terminology_curator", "prompt_replayer") for p in persona]
    )
    tool_w = np.zeros((n, 5))
    tool_w[:, COPILOT] = 0.7
    tool_w[:, CURSOR] = np.where(seat_cursor, 2.4, 0.0)
    tool_w[:, CLAUDE] = np.where(seat_claude, 3.0, 0.0)
    tool_w[:, OPENAI] = np.where(has_key, 0.5, 0.0)
    tool_w[:, INTERNAL] = 0.45
    tool_w *= rng.lognormal(0, 0.5, (n, 5))
    for i, p in enumerate(persona):
        if p == "tab_completer":
            tool_w[i] = [1, 0, 0, 0, 0]
        elif p == "occasional":
            tool_w[i, COPILOT] *= 3
    tool_p = tool_w / tool_w.sum(axis=1, keepdims=True)
    primary = np.argmax(tool_w, axis=1)

    tab_user = rng.random(n) < np.array(
        [{"non_user": 0.0, "tab_completer": 1.0, "occasional": 0.5}.get(p, 0.7) for p in persona]
    )
    tab_hours = np.where(tab_user, rng.uniform(1.0, 4.0, n), 0.0)
    tab_hours[~org.is_engineer] = 0.0

    # Claude Code defaults to Sonnet at Brae; Opus is allowed and a minority make it their habit.
    opus_pref = np.where(rng.random(n) < 0.15, rng.uniform(0.25, 0.7, n), rng.uniform(0.0, 0.05, n))
    chrono = rng.normal(0, 0.8, n)
    session_len = rng.lognormal(0, 0.3, n)
    for i, p in enumerate(persona):
        if p in ("power_user", "migration_lead"):
            session_len[i] *= 1.6

    pr_rate = rng.lognormal(np.log(2.0), 0.4, n) * np.array([_PR_FACTOR.get(p, 1.0) for p in persona])
    lift = np.where(
        np.array([p == "late_adopter" for p in persona]), rng.normal(0.10, 0.08, n), rng.normal(0.04, 0.06, n)
    )
    trailer_p = np.clip(rng.beta(2, 3, n) * (tool_p[:, CLAUDE] + tool_p[:, CURSOR] + 0.3), 0, 0.9)
    trailer_p[adopt >= NEVER] = 0.0
    for i, p in enumerate(persona):
        if p == "power_user":
            trailer_p[i] = max(trailer_p[i], 0.6)

    phase_start = np.full(n, NEVER)
    phase_end = np.full(n, NEVER)
    for i, p in enumerate(persona):
        if p == "migration_lead":
            length = int(rng.integers(max(2, weeks // 3), max(3, (2 * weeks) // 3) + 1))
            first = int(rng.integers(0, max(1, weeks - length + 1)))
            phase_start[i], phase_end[i] = first, first + length
        elif p == "validation_author":
            phase_start[i], phase_end[i] = max(0, audit_week - 3), audit_week
    return Traits(
        adopt_day=adopt,
        session_rate=session_rate,
        tool_p=tool_p,
        tab_hours=tab_hours,
        opus_pref=opus_pref,
        chrono=chrono,
        session_len=session_len,
        pr_rate=pr_rate,
        ai_lift=lift,
        trailer_p=trailer_p,
        primary_tool=primary,
        has_key=has_key,
        phase_start=phase_start,
        phase_end=phase_end,
    )
