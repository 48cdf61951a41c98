"""Local working time to UTC, for people in thirteen zones with daylight-saving changes.

A day is indexed from the first Monday of the period (day 0); a person's activity is drawn as a local
day and a local second of that day, and converted with the zone's offset on that day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from orchestration.meridian.catalog import ZONES

US_PER_S = 1_000_000
US_PER_DAY = 86_400 * US_PER_S
US_PER_WEEK = 7 * US_PER_DAY


class Clock:
    def __init__(self, start: date, weeks: int, margin_days: int = 21) -> None:
        self.start = start
        self.weeks = weeks
        self.days = 7 * weeks
        self.margin = margin_days
        self.start_us = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()) * US_PER_S
        self.end_us = self.start_us + self.days * US_PER_DAY
        span = self.days + 2 * margin_days
        self.offsets = np.empty((len(ZONES), span), dtype=np.int64)
        for z, name in enumerate(ZONES):
            zone = ZoneInfo(name)
            for d in range(span):
                day = start + timedelta(days=d - margin_days)
                offset = datetime(day.year, day.month, day.day, 12, tzinfo=zone).utcoffset()
                self.offsets[z, d] = int(offset.total_seconds()) if offset is not None else 0

    def _offset(self, zone: np.ndarray, day: np.ndarray) -> np.ndarray:
        index = np.clip(np.asarray(day) + self.margin, 0, self.offsets.shape[1] - 1)
        return self.offsets[np.asarray(zone), index]

    def to_utc(self, zone: np.ndarray, day: np.ndarray, local_s: np.ndarray) -> np.ndarray:
        """UTC microseconds of a local day and second of that day."""
        day = np.asarray(day, dtype=np.int64)
        base = self.start_us + (day * 86_400 - self._offset(zone, day)) * US_PER_S
        return base + (np.asarray(local_s, dtype=np.float64) * US_PER_S).astype(np.int64)

    def local(self, zone: np.ndarray, utc_us: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(local day, local hour as a float) of UTC instants."""
        utc_day = (np.asarray(utc_us) - self.start_us) // US_PER_DAY
        shifted = np.asarray(utc_us) - self.start_us + self._offset(zone, utc_day) * US_PER_S
        day = shifted // US_PER_DAY
        return day, (shifted - day * US_PER_DAY) / (3600 * US_PER_S)

    def week_of(self, utc_us: np.ndarray) -> np.ndarray:
        return (np.asarray(utc_us) - self.start_us) // US_PER_WEEK

    def monday(self, week: int) -> date:
        return self.start + timedelta(days=7 * week)

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)
