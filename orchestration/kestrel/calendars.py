"""Offices, time zones, public holidays and the day arithmetic of the Kestrel simulation.

Every instant is an integer count of milliseconds since the Unix epoch, in UTC. Day ``d`` is the
``d``-th calendar day from the first Monday of the period; an office's local clock on day ``d`` is UTC
plus ``Calendar.offsets_ms[office, d + 1]`` (taken at local noon, so the day of a daylight-saving switch
already uses the new offset). Day ``-1`` and day ``days`` are kept as margins for sessions that start
in one time zone's day and land in UTC's neighbouring day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MINUTE_MS = 60_000


@dataclass(frozen=True)
class Office:
    code: str
    city: str
    tz: str
    country: str
    region: str
    weight: float
    cost_range: tuple[int, int]
    names: str


OFFICES: tuple[Office, ...] = (
    Office("DUB", "Dublin", "Europe/Dublin", "IE", "EMEA", 0.27, (135_000, 215_000), "ie"),
    Office("KRK", "Kraków", "Europe/Warsaw", "PL", "EMEA", 0.20, (78_000, 132_000), "pl"),
    Office("YYZ", "Toronto", "America/Toronto", "CA", "AMER", 0.15, (125_000, 195_000), "na"),
    Office("DEN", "Denver", "America/Denver", "US", "AMER", 0.12, (165_000, 255_000), "na"),
    Office("BLR", "Bengaluru", "Asia/Kolkata", "IN", "APAC", 0.17, (42_000, 95_000), "in"),
    Office("SIN", "Singapore", "Asia/Singapore", "SG", "APAC", 0.09, (120_000, 200_000), "sg"),
)
OFFICE_INDEX = {office.code: i for i, office in enumerate(OFFICES)}


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (Monday = 0) of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


#: Holidays that follow a lunar or religious calendar, by country and year (month, day, name).
_LUNAR: dict[str, dict[int, list[tuple[int, int, str]]]] = {
    "IN": {
        2025: [(3, 30, "Ugadi"), (8, 27, "Ganesh Chaturthi"), (10, 20, "Deepavali")],
        2026: [(3, 19, "Ugadi"), (9, 14, "Ganesh Chaturthi"), (10, 20, "Vijayadashami"),
               (11, 9, "Deepavali")],
        2027: [(4, 7, "Ugadi"), (9, 4, "Ganesh Chaturthi"), (10, 9, "Vijayadashami"), (10, 29, "Deepavali")],
    },
    "SG": {
        2025: [(1, 29, "Chinese New Year"), (1, 30, "Chinese New Year"), (3, 31, "Hari Raya Puasa"),
               (5, 12, "Vesak Day"), (6, 7, "Hari Raya Haji"), (10, 20, "Deepavali")],
        2026: [(2, 17, "Chinese New Year"), (2, 18, "Chinese New Year"), (3, 21, "Hari Raya Puasa"),
               (5, 27, "Hari Raya Haji"), (5, 31, "Vesak Day"), (11, 8, "Deepavali")],
        2027: [(2, 6, "Chinese New Year"), (2, 7, "Chinese New Year"), (3, 10, "Hari Raya Puasa"),
               (5, 17, "Hari Raya Haji"), (5, 20, "Vesak Day"), (10, 28, "Deepavali")],
    },
}  # fmt: skip


def _observed(days: dict[date, str], *, saturday_to_friday: bool) -> dict[date, str]:
    """Move holidays that fall on a weekend to the nearest working day, as the US and Singapore do."""
    out: dict[date, str] = {}
    for day, name in sorted(days.items()):
        if day.weekday() == 6:
            day += timedelta(days=1)
            while day in days or day in out:
                day += timedelta(days=1)
        elif day.weekday() == 5 and saturday_to_friday:
            day -= timedelta(days=1)
        out[day] = name
    return out


def public_holidays(country: str, year: int) -> dict[date, str]:
    """The days an office of ``country`` is closed in ``year``."""
    easter = easter_sunday(year)
    d = date
    if country == "IE":
        brigid = d(year, 2, 1) if d(year, 2, 1).weekday() == 4 else nth_weekday(year, 2, 0, 1)
        return {
            d(year, 1, 1): "New Year's Day",
            brigid: "St Brigid's Day",
            d(year, 3, 17): "St Patrick's Day",
            easter + timedelta(days=1): "Easter Monday",
            nth_weekday(year, 5, 0, 1): "May Bank Holiday",
            nth_weekday(year, 6, 0, 1): "June Bank Holiday",
            nth_weekday(year, 8, 0, 1): "August Bank Holiday",
            nth_weekday(year, 10, 0, -1): "October Bank Holiday",
            d(year, 12, 25): "Christmas Day",
            d(year, 12, 26): "St Stephen's Day",
        }
    if country == "PL":
        return {
            d(year, 1, 1): "Nowy Rok",
            d(year, 1, 6): "Trzech Króli",
            easter + timedelta(days=1): "Poniedziałek Wielkanocny",
            d(year, 5, 1): "Święto Pracy",
            d(year, 5, 3): "Święto Konstytucji 3 Maja",
            easter + timedelta(days=60): "Boże Ciało",
            d(year, 8, 15): "Wniebowzięcie NMP",
            d(year, 11, 1): "Wszystkich Świętych",
            d(year, 11, 11): "Narodowe Święto Niepodległości",
            d(year, 12, 24): "Wigilia",
            d(year, 12, 25): "Boże Narodzenie",
            d(year, 12, 26): "Drugi dzień Bożego Narodzenia",
        }
    if country == "CA":
        victoria = nth_weekday(year, 5, 0, -1)
        if victoria.day > 24:
            victoria -= timedelta(days=7)
        return {
            d(year, 1, 1): "New Year's Day",
            nth_weekday(year, 2, 0, 3): "Family Day",
            easter - timedelta(days=2): "Good Friday",
            victoria: "Victoria Day",
            d(year, 7, 1): "Canada Day",
            nth_weekday(year, 8, 0, 1): "Civic Holiday",
            nth_weekday(year, 9, 0, 1): "Labour Day",
            nth_weekday(year, 10, 0, 2): "Thanksgiving",
            d(year, 12, 25): "Christmas Day",
            d(year, 12, 26): "Boxing Day",
        }
    if country == "US":
        fixed = _observed(
            {
                d(year, 1, 1): "New Year's Day",
                d(year, 6, 19): "Juneteenth",
                d(year, 7, 4): "Independence Day",
                d(year, 12, 25): "Christmas Day",
            },
            saturday_to_friday=True,
        )
        thanksgiving = nth_weekday(year, 11, 3, 4)
        return fixed | {
            nth_weekday(year, 1, 0, 3): "Martin Luther King Jr. Day",
            nth_weekday(year, 2, 0, 3): "Presidents' Day",
            nth_weekday(year, 5, 0, -1): "Memorial Day",
            nth_weekday(year, 9, 0, 1): "Labor Day",
            thanksgiving: "Thanksgiving",
            thanksgiving + timedelta(days=1): "Day after Thanksgiving",
        }
    if country == "IN":
        days = {
            d(year, 1, 26): "Republic Day",
            d(year, 5, 1): "May Day",
            d(year, 8, 15): "Independence Day",
            d(year, 10, 2): "Gandhi Jayanti",
            d(year, 11, 1): "Kannada Rajyotsava",
            d(year, 12, 25): "Christmas",
        }
        for month, day, name in _LUNAR["IN"].get(year, []):
            days[d(year, month, day)] = name
        return days
    if country == "SG":
        days = {
            d(year, 1, 1): "New Year's Day",
            easter - timedelta(days=2): "Good Friday",
            d(year, 5, 1): "Labour Day",
            d(year, 8, 9): "National Day",
            d(year, 12, 25): "Christmas Day",
        }
        for month, day, name in _LUNAR["SG"].get(year, []):
            days[d(year, month, day)] = name
        return _observed(days, saturday_to_friday=False)
    raise ValueError(f"no holiday calendar for {country}")


@dataclass
class Calendar:
    """The period's days, each office's UTC offset per day and its public holidays."""

    start: date
    weeks: int
    start_ms: int
    offsets_ms: np.ndarray
    holiday: np.ndarray
    holiday_names: dict[tuple[int, int], str]

    @property
    def days(self) -> int:
        return self.weeks * 7

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.days * DAY_MS

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=int(day))

    def week_start(self, week: int) -> date:
        return self.start + timedelta(weeks=int(week))

    def offset(self, office: np.ndarray, day: np.ndarray) -> np.ndarray:
        index = np.clip(np.asarray(day) + 1, 0, self.days + 1)
        return self.offsets_ms[np.asarray(office), index]

    def local_to_utc(self, office: np.ndarray, day: np.ndarray, hours: np.ndarray) -> np.ndarray:
        """UTC milliseconds of ``hours`` after local midnight of ``day`` in ``office``."""
        day = np.asarray(day, dtype=np.int64)
        local = self.start_ms + day * DAY_MS + np.round(np.asarray(hours) * HOUR_MS).astype(np.int64)
        return local - self.offset(office, day)

    def local_instant(self, tz: str, day: date, hour: float) -> int:
        """UTC milliseconds of a wall-clock time in any zone."""
        hh, rest = divmod(round(hour * 60), 60)
        wall = datetime.combine(day, time(int(hh), int(rest)), tzinfo=ZoneInfo(tz))
        return int(wall.timestamp() * 1000)


def make_calendar(start: date, weeks: int) -> Calendar:
    days = weeks * 7
    start_ms = int(datetime.combine(start, time(0), tzinfo=UTC).timestamp() * 1000)
    offsets = np.zeros((len(OFFICES), days + 2), dtype=np.int64)
    holiday = np.zeros((len(OFFICES), days), dtype=bool)
    names: dict[tuple[int, int], str] = {}
    years = {(start + timedelta(days=k)).year for k in range(-1, days + 1)}
    for o, office in enumerate(OFFICES):
        zone = ZoneInfo(office.tz)
        closed: dict[date, str] = {}
        for year in sorted(years):
            closed |= public_holidays(office.country, year)
        for k in range(-1, days + 1):
            day = start + timedelta(days=k)
            noon = datetime.combine(day, time(12), tzinfo=zone)
            offsets[o, k + 1] = int(noon.utcoffset().total_seconds() * 1000)
            if 0 <= k < days and day in closed:
                holiday[o, k] = True
                names[(o, k)] = closed[day]
    return Calendar(start, weeks, start_ms, offsets, holiday, names)
