"""Kestrel's internal token leaderboards.

The AI Enablement team publishes "who used the most AI tokens in the last seven days" boards, meant as
encouragement. Each board is a snapshot taken at a fixed local wall-clock time once a week; a person's
figure is the sum of their input, cached, cache-write and output tokens over the seven days before the
snapshot, across every tool. The Americas and Europe share one board and Asia-Pacific has its own; the
shared board's snapshot moved once during the period after a reorganisation. The schedules are
``LEADERBOARDS``; nothing in the landing zone states them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.kestrel.calendars import DAY_MS, OFFICES, Calendar


@dataclass(frozen=True)
class Board:
    name: str
    group: int
    tz: str
    weekday: int
    hour: float
    from_share: float
    to_share: float


#: Board group of each office: 0 for the Americas and Europe, 1 for Asia-Pacific.
GROUP_OF_REGION = {"EMEA": 0, "AMER": 0, "APAC": 1}
LEADERBOARDS: tuple[Board, ...] = (
    Board("Kestrel Token Tower", 0, "Europe/Dublin", 4, 16.0, 0.0, 0.45),
    Board("Kestrel Token Tower", 0, "America/Toronto", 1, 10.0, 0.45, 1.0),
    Board("APAC Token Board", 1, "Asia/Singapore", 3, 17.5, 0.0, 1.0),
)
WINDOW_MS = 7 * DAY_MS


def office_groups() -> np.ndarray:
    return np.array([GROUP_OF_REGION[office.region] for office in OFFICES], dtype=np.int64)


def snapshots(cal: Calendar) -> np.ndarray:
    """[group, week]: the UTC instant of each board's snapshot in each week of the period."""
    groups = 1 + max(board.group for board in LEADERBOARDS)
    out = np.zeros((groups, cal.weeks), dtype=np.int64)
    for week in range(cal.weeks):
        for board in LEADERBOARDS:
            lo, hi = round(board.from_share * cal.weeks), round(board.to_share * cal.weeks)
            if lo <= week < hi or (week == cal.weeks - 1 and hi == cal.weeks):
                day = cal.week_start(week).toordinal() + board.weekday
                out[board.group, week] = cal.local_instant(
                    board.tz, type(cal.start).fromordinal(day), board.hour
                )
    return out


def board_values(
    person: np.ndarray, ts: np.ndarray, tokens: np.ndarray, snap: int, people: int
) -> np.ndarray:
    """Each person's figure on a board snapshot taken at ``snap``."""
    inside = (ts >= snap - WINDOW_MS) & (ts < snap) & (person >= 0)
    return np.bincount(person[inside], tokens[inside].astype(np.float64), people)
