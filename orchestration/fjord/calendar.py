"""Fjord's calendar: where people sit, their public holidays, release crunches and leaderboard snapshots.

Every simulated moment is seconds since the Unix epoch (UTC). People live in local days: a session
planned at 09:30 on a person's local day d is turned into UTC with the UTC offset of their zone on
that day (taken at local noon, so a daylight-saving switch shows up the day it happens).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

EPOCH = date(1970, 1, 1)
DAY = 86_400
HOUR = 3_600
#: Days simulated on either side of the period, for work that started before it or ends after it.
PAD_DAYS = 28

#: Where Fjord's people sit: country -> time zones used there.
COUNTRY_ZONES: dict[str, tuple[str, ...]] = {
    "NO": ("Europe/Oslo",),
    "SE": ("Europe/Stockholm",),
    "GB": ("Europe/London",),
    "EE": ("Europe/Tallinn",),
    "PL": ("Europe/Warsaw",),
    "CA": ("America/Toronto", "America/Halifax"),
    "IN": ("Asia/Kolkata",),
}

#: Zones the calendar converts for: people's zones and the leaderboard's.
ZONES: tuple[str, ...] = (
    "Europe/Oslo",
    "Europe/Stockholm",
    "Europe/London",
    "Europe/Tallinn",
    "Europe/Warsaw",
    "America/Toronto",
    "America/Halifax",
    "Asia/Kolkata",
)
ZONE_INDEX = {zone: i for i, zone in enumerate(ZONES)}

#: Diwali (a day off at the Bengaluru office) moves with the lunar calendar.
_DIWALI = {
    2024: date(2024, 11, 1),
    2025: date(2025, 10, 20),
    2026: date(2026, 11, 9),
    2027: date(2027, 10, 29),
}
_HOLI = {2024: date(2024, 3, 25), 2025: date(2025, 3, 14), 2026: date(2026, 3, 4), 2027: date(2027, 3, 22)}


def epoch_of(day: date) -> int:
    """Seconds since the epoch at 00:00 UTC of `day`."""
    return (day - EPOCH).days * DAY


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (0 = Monday) of a month; n = -1 is the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def holidays(country: str, year: int) -> set[date]:
    """Public holidays (and the days everyone takes off around Christmas) of one country and year."""
    sunday = easter(year)
    christmas = {date(year, 12, 24), date(year, 12, 25), date(year, 12, 26), date(year, 12, 31)}
    new_year = {date(year, 1, 1)}
    if country == "NO":
        moving = {-3, -2, 1, 39, 50}
        return (
            new_year
            | christmas
            | {sunday + timedelta(days=k) for k in moving}
            | {date(year, 5, 1), date(year, 5, 17)}
        )
    if country == "SE":
        midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
        return (
            new_year
            | christmas
            | {sunday + timedelta(days=k) for k in (-2, 1, 39)}
            | {date(year, 1, 6), date(year, 5, 1), date(year, 6, 6), midsummer_eve}
        )
    if country == "GB":
        return {
            date(year, 1, 1),
            sunday - timedelta(days=2),
            sunday + timedelta(days=1),
            _nth_weekday(year, 5, 0, 1),
            _nth_weekday(year, 5, 0, -1),
            _nth_weekday(year, 8, 0, -1),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    if country == "EE":
        return (
            new_year
            | christmas
            | {sunday - timedelta(days=2), sunday + timedelta(days=49)}
            | {date(year, 2, 24), date(year, 5, 1), date(year, 6, 23), date(year, 6, 24), date(year, 8, 20)}
        )
    if country == "PL":
        return {
            date(year, 1, 1),
            date(year, 1, 6),
            sunday + timedelta(days=1),
            sunday + timedelta(days=60),
            date(year, 5, 1),
            date(year, 5, 3),
            date(year, 8, 15),
            date(year, 11, 1),
            date(year, 11, 11),
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    if country == "CA":
        victoria = _nth_weekday(year, 5, 0, -1)
        if victoria.day > 24:
            victoria -= timedelta(days=7)
        return {
            date(year, 1, 1),
            _nth_weekday(year, 2, 0, 3),
            sunday - timedelta(days=2),
            victoria,
            date(year, 7, 1),
            _nth_weekday(year, 8, 0, 1),
            _nth_weekday(year, 9, 0, 1),
            _nth_weekday(year, 10, 0, 2),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    if country == "IN":
        days = {date(year, 1, 26), date(year, 8, 15), date(year, 10, 2), date(year, 12, 25)}
        days |= {d for d in (_DIWALI.get(year), _HOLI.get(year)) if d is not None}
        return days
    return new_year | christmas


#: Fjord's timetable releases: the summer and winter timetables and the shoulder-season changes go
#: live on the Monday of these ISO weeks; the two weeks before each are a crunch for everyone.
RELEASE_ISO_WEEKS = (4, 14, 25, 36, 44)


@dataclass(frozen=True)
class Snapshot:
    """One capture of the internal usage leaderboard ("Tidewater board")."""

    moment: float  # UTC seconds
    week: int  # period week (UTC) the capture falls in
    departments: tuple[str, ...]  # whose ranking it captures
    label: str


class Calendar:
    """The period (whole UTC weeks from a Monday), local days, holidays, crunches and snapshots."""

    def __init__(self, start: date, weeks: int, departments: tuple[str, ...]):
        self.start = start
        self.weeks = weeks
        self.days = 7 * weeks
        self.end = start + timedelta(days=self.days)
        self.start_epoch = float(epoch_of(start))
        self.end_epoch = float(epoch_of(self.end))
        first = start - timedelta(days=PAD_DAYS)
        span = self.days + 2 * PAD_DAYS
        self._first = first
        offsets = np.zeros((len(ZONES), span), dtype=np.float64)
        for z, name in enumerate(ZONES):
            zone = ZoneInfo(name)
            for i in range(span):
                noon = datetime.combine(first + timedelta(days=i), time(12), tzinfo=zone)
                offsets[z, i] = noon.utcoffset().total_seconds()
        self._offsets = offsets
        self._holidays: dict[str, np.ndarray] = {}
        years = range(first.year, (first + timedelta(days=span)).year + 1)
        for country in COUNTRY_ZONES:
            days = set().union(*(holidays(country, y) for y in years))
            self._holidays[country] = np.array(
                [(start + timedelta(days=d)) in days for d in range(self.days)], dtype=bool
            )
        self.crunch = self._crunch_weeks()
        self.snapshots = self._snapshots(departments)
        self.switch_week = self._switch_week()

    # --- days and moments -------------------------------------------------------------------------

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def day_of(self, when: date) -> int:
        return (when - self.start).days

    def offset(self, zone: int, day: int) -> float:
        """UTC offset of `zone` on period day `day` (days far outside the period take the nearest known)."""
        return self._offsets[zone, min(max(day + PAD_DAYS, 0), self._offsets.shape[1] - 1)]

    def moment(self, zone: int, day: int, local_seconds: float) -> float:
        """UTC seconds of `local_seconds` after local midnight of period day `day` in `zone`."""
        return self.start_epoch + day * DAY + local_seconds - self.offset(zone, day)

    def local_day(self, zone: int, moment: float) -> int:
        """The period day that `moment` falls on in `zone`."""
        approx = int((moment - self.start_epoch) // DAY)
        return int((moment + self.offset(zone, approx) - self.start_epoch) // DAY)

    def local_hour(self, zone: int, moment: float) -> float:
        day = self.local_day(zone, moment)
        return (moment - self.moment(zone, day, 0.0)) / HOUR

    def week_start_epoch(self, week: int) -> float:
        return self.start_epoch + week * 7 * DAY

    def week_of(self, moment: float) -> int:
        return int((moment - self.start_epoch) // (7 * DAY))

    def is_holiday(self, country: str, day: int) -> bool:
        return 0 <= day < self.days and bool(self._holidays[country][day])

    def holiday_mask(self, country: str) -> np.ndarray:
        return self._holidays[country]

    def iso_moment(self, moment: float, zone: str | None = None) -> str:
        """ISO-8601 with an offset: in `zone`, or UTC (`+00:00`)."""
        stamp = datetime.fromtimestamp(round(moment), tz=UTC)
        if zone is not None:
            stamp = stamp.astimezone(ZoneInfo(zone))
        return stamp.isoformat()

    # --- release crunches -------------------------------------------------------------------------

    def releases(self) -> list[date]:
        out = []
        for year in range(self.start.year - 1, self.end.year + 2):
            for iso_week in RELEASE_ISO_WEEKS:
                out.append(date.fromisocalendar(year, iso_week, 1))
        return out

    def _crunch_weeks(self) -> np.ndarray:
        crunch = np.zeros(self.weeks, dtype=bool)
        for release in self.releases():
            for before in (1, 2):
                week = (release - self.start).days // 7 - before
                if 0 <= week < self.weeks:
                    crunch[week] = True
        return crunch

    # --- the usage leaderboard --------------------------------------------------------------------

    def _switch_week(self) -> int | None:
        """The week the leaderboard became company-wide and fortnightly (None: not in the period)."""
        return max(2, round(0.55 * self.weeks)) if self.weeks >= 6 else None

    def _snapshots(self, departments: tuple[str, ...]) -> list[Snapshot]:
        """Weekly per-department captures, then (after the reorg) one fortnightly company-wide capture.

        Until the switch week each business unit's board is captured weekly at its own local time:
        Voyages and Fleet on Thursday 16:00 Oslo (the Friday "wins" post), Payments on Friday 11:30
        London, Platform and Data on Monday 09:00 Toronto (their leads sit there), Digital on
        Wednesday 18:00 Warsaw. From the switch week one board is captured every other Tuesday at
        10:00 Oslo for the all-hands slides.
        """
        weekly = {
            "voyages": (3, 16 * HOUR, "Europe/Oslo"),
            "fleet": (3, 16 * HOUR, "Europe/Oslo"),
            "payments": (4, 11.5 * HOUR, "Europe/London"),
            "platform": (0, 9 * HOUR, "America/Toronto"),
            "data": (0, 9 * HOUR, "America/Toronto"),
            "digital": (2, 18 * HOUR, "Europe/Warsaw"),
        }
        switch = self._switch_week()
        snaps: list[Snapshot] = []
        for week in range(self.weeks):
            if switch is not None and week >= switch:
                if (week - switch) % 2 == 0:
                    day = 7 * week + 1
                    moment = self.moment(ZONE_INDEX["Europe/Oslo"], day, 10 * HOUR)
                    snaps.append(
                        Snapshot(moment, week, departments, "company-wide, Tuesday 10:00 Europe/Oslo")
                    )
                continue
            for department in departments:
                weekday, seconds, zone = weekly[department]
                moment = self.moment(ZONE_INDEX[zone], 7 * week + weekday, seconds)
                names = ("Mon", "Tue", "Wed", "Thu", "Fri")
                clock = f"{int(seconds // HOUR):02d}:{int(seconds % HOUR // 60):02d}"
                label = f"{department}, {names[weekday]} {clock} {zone}"
                snaps.append(Snapshot(moment, week, (department,), label))
        return snaps

    def snapshots_for(self, department: str) -> list[Snapshot]:
        return [s for s in self.snapshots if department in s.departments]
