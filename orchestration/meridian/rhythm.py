"""When people work: weekdays in their own zone's working hours, a tail of evenings, rare weekends."""

from __future__ import annotations

import numpy as np

from orchestration.meridian.clock import Clock
from orchestration.meridian.org import Org

#: Monday to Friday; Friday is a little quieter.
WEEKDAY_P = np.array([0.205, 0.21, 0.21, 0.2, 0.175])


def work_instants(
    rng: np.random.Generator,
    clock: Clock,
    org: Org,
    person: np.ndarray,
    week: np.ndarray | int,
    evening_p: np.ndarray | float = 0.06,
    weekend_p: np.ndarray | float = 0.025,
) -> tuple[np.ndarray, np.ndarray]:
    """(local day, UTC microseconds) of moments in each person's working week, inside employment."""
    n = len(person)
    dow = rng.choice(5, size=n, p=WEEKDAY_P)
    weekend = rng.random(n) < weekend_p
    dow = np.where(weekend, 5 + rng.integers(0, 2, size=n), dow)
    day = np.clip(7 * np.asarray(week) + dow, org.hire_day[person], org.leave_day[person])
    working = org.day_start[person] + rng.random(n) * org.day_len[person]
    hour = np.where(rng.random(n) < evening_p, rng.uniform(19.0, 23.5, size=n), working)
    return day, clock.to_utc(org.zone[person], day, hour * 3600.0)


def into_hours(
    rng: np.random.Generator, clock: Clock, org: Org, person: np.ndarray, utc_us: np.ndarray
) -> np.ndarray:
    """Moves each instant into the person's next working hours when it falls outside them (a review
    requested at 3 a.m. is written after breakfast)."""
    zone = org.zone[person]
    day, hour = clock.local(zone, utc_us)
    begin, end = org.day_start[person], org.day_start[person] + org.day_len[person] + 1.0
    weekday = (day % 7) < 5
    inside = weekday & (hour >= begin) & (hour <= end)
    next_day = np.where(hour > end, day + 1, day)
    next_day = np.where(next_day % 7 == 5, next_day + 2, np.where(next_day % 7 == 6, next_day + 1, next_day))
    moved = clock.to_utc(zone, next_day, (begin + rng.uniform(0.0, 1.5, size=len(person))) * 3600.0)
    return np.where(inside, utc_us, np.maximum(moved, utc_us))
