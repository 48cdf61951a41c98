"""Time in the generator: one integer clock (microseconds since the epoch, UTC) for everything.

People work by their local wall clock, so every placement in time goes through a per-zone table of
UTC offsets, one per calendar day, that follows daylight saving. Git work is placed on a
"work clock" (minutes of local working time) so that commits, reviews and merges keep their order
and always fall in the author's working hours, while the wall-clock durations between them still
span nights and weekends the way real cycle times do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR
US_PER_WEEK = 7 * US_PER_DAY

TIMEZONES: tuple[str, ...] = (
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
)

#: The local working window of the work clock: 08:30 to 19:30, Monday to Friday.
WORK_DAY_START_MINUTE = 8 * 60 + 30
WORK_DAY_MINUTES = 11 * 60
WORK_WEEK_MINUTES = 5 * WORK_DAY_MINUTES

#: Days before the period and after it that the offset table covers: work that starts inside the
#: period may finish weeks later, and local days start before the first UTC midnight.
_DAYS_BEFORE = 7
_DAYS_AFTER = 120


@dataclass(frozen=True)
class Period:
    """The ISO weeks the organisation covers, from `start` (a Monday) on."""

    start: date
    weeks: int
    start_us: int = field(init=False)
    offsets_min: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.start.weekday() != 0:
            raise ValueError(f"start must be a Monday, got {self.start} ({self.start:%A})")
        if self.weeks < 1:
            raise ValueError(f"weeks must be at least 1, got {self.weeks}")
        start_us = int(datetime.combine(self.start, time(), tzinfo=UTC).timestamp()) * US_PER_SECOND
        object.__setattr__(self, "start_us", start_us)
        object.__setattr__(self, "offsets_min", _offset_table(self.start, self.days))

    @property
    def days(self) -> int:
        return 7 * self.weeks

    @property
    def end_us(self) -> int:
        """The first instant after the period: the export time of every landed file."""
        return self.start_us + self.weeks * US_PER_WEEK

    def day_date(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def week_start(self, week: int) -> date:
        return self.start + timedelta(weeks=week)

    def offset_min(self, tz: np.ndarray, day: np.ndarray) -> np.ndarray:
        """UTC offset in minutes of zone `tz` on calendar day `day` (days since `start`)."""
        index = np.clip(np.asarray(day) + _DAYS_BEFORE, 0, self.offsets_min.shape[1] - 1)
        return self.offsets_min[np.asarray(tz), index]

    def week_of(self, t_us: np.ndarray) -> np.ndarray:
        """ISO week index (0-based within the period) of UTC instants; may fall outside 0..weeks-1."""
        return np.floor_divide(np.asarray(t_us, dtype=np.int64) - self.start_us, US_PER_WEEK)

    def day_of(self, t_us: np.ndarray) -> np.ndarray:
        return np.floor_divide(np.asarray(t_us, dtype=np.int64) - self.start_us, US_PER_DAY)

    def work_to_utc(self, tz: np.ndarray, work_minutes: np.ndarray) -> np.ndarray:
        """Wall-clock UTC instants of points on a person's work clock.

        Work minute 0 is 08:30 local on the period's first Monday; each weekday adds 660 minutes
        and weekends are skipped, so the mapping is monotonic and lands in working hours only.
        """
        minutes = np.asarray(work_minutes, dtype=np.float64)
        workday = np.floor_divide(minutes, WORK_DAY_MINUTES).astype(np.int64)
        within = minutes - workday * WORK_DAY_MINUTES
        calendar_day = workday + 2 * np.floor_divide(workday, 5)
        local_minute = WORK_DAY_START_MINUTE + within - self.offset_min(tz, calendar_day)
        t_us = self.start_us + calendar_day * US_PER_DAY + np.round(local_minute * US_PER_MINUTE)
        return (t_us // US_PER_SECOND * US_PER_SECOND).astype(np.int64)

    def local_minute_of_day(self, tz: np.ndarray, t_us: np.ndarray) -> np.ndarray:
        """Minute of the local day (0..1439) of UTC instants, for people in zone `tz`."""
        t_us = np.asarray(t_us, dtype=np.int64)
        offset = self.offset_min(tz, self.day_of(t_us)).astype(np.int64)
        return np.floor_divide(t_us + offset * US_PER_MINUTE, US_PER_MINUTE) % 1440


def _offset_table(start: date, days: int) -> np.ndarray:
    """Offsets at local noon of each calendar day, per zone: daylight saving switches at night."""
    table = np.zeros((len(TIMEZONES), _DAYS_BEFORE + days + _DAYS_AFTER), dtype=np.int32)
    for tz_index, name in enumerate(TIMEZONES):
        zone = ZoneInfo(name)
        for column in range(table.shape[1]):
            day = start + timedelta(days=column - _DAYS_BEFORE)
            offset = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
            table[tz_index, column] = int(offset.total_seconds() // 60) if offset else 0
    return table


def us_to_datetime64(t_us: np.ndarray) -> np.ndarray:
    return np.asarray(t_us, dtype=np.int64).astype("datetime64[us]")


def format_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(int(minutes)), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def format_timestamps(
    t_us: np.ndarray, offset_min: np.ndarray, style: np.ndarray, unit: str = "s"
) -> list[str]:
    """ISO-8601 text of UTC instants in one of three spellings exports use, chosen per row.

    style 0: UTC with `Z`; 1: local time with its offset (`-07:00`); 2: no zone (which the
    contract reads as UTC). All three denote the same instant.
    """
    t_us = np.asarray(t_us, dtype=np.int64)
    offset_min = np.asarray(offset_min, dtype=np.int64)
    style = np.asarray(style)
    local = np.where(style == 1, t_us + offset_min * US_PER_MINUTE, t_us)
    text = np.datetime_as_string(us_to_datetime64(local), unit=unit)
    offsets = {int(minutes): format_offset(int(minutes)) for minutes in np.unique(offset_min)}
    out: list[str] = []
    for value, kind, minutes in zip(text.tolist(), style.tolist(), offset_min.tolist(), strict=True):
        if kind == 0:
            out.append(value + "Z")
        elif kind == 1:
            out.append(value + offsets[minutes])
        else:
            out.append(value.replace("T", " "))
    return out
