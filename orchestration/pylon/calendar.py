"""Pylon Grid's calendar: offices and their clocks, public holidays, weather, release crunches and the
token leaderboards' snapshot times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

DAY = 86_400
HOUR = 3_600
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Office:
    code: str
    city: str
    zone: str
    #: The grid region the office looks after; Pune is an engineering hub without a network of its own.
    region: str | None
    #: Share of the engineering headcount.
    share: float
    #: Loaded annual cost of an engineer there, USD.
    loaded_cost: float
    southern: bool


OFFICES: tuple[Office, ...] = (
    Office("gla", "Glasgow", "Europe/London", "scotland", 0.29, 168_000, False),
    Office("yyc", "Calgary", "America/Edmonton", "alberta", 0.20, 182_000, False),
    Office("adl", "Adelaide", "Australia/Adelaide", "south_australia", 0.21, 158_000, True),
    Office("pnq", "Pune", "Asia/Kolkata", None, 0.19, 64_000, False),
    Office("akl", "Auckland", "Pacific/Auckland", "new_zealand", 0.11, 150_000, True),
)
REGIONS = tuple(office.region for office in OFFICES if office.region)


def epoch_seconds(day: date) -> int:
    return (day - EPOCH).days * DAY


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    return date(year, month, (h + ell - 7 * m + 114) % 31 + 1)


def _observed(day: date) -> date:
    """Weekend holidays move to the Monday, as the offices observe them."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


# Maharashtra's and Aotearoa's holidays that follow the lunar calendar, as gazetted.
_PUNE_LUNAR = {
    2025: [(3, 14), (8, 27), (10, 2), (10, 21), (10, 22)],
    2026: [(3, 4), (9, 14), (10, 20), (11, 9), (11, 10)],
    2027: [(3, 22), (9, 4), (10, 9), (10, 29), (10, 30)],
}
_MATARIKI = {2025: (6, 20), 2026: (7, 10), 2027: (6, 25)}


def holidays(office: str, year: int) -> set[date]:
    easter = _easter(year)
    mon = 0
    if office == "gla":
        days = [
            _observed(date(year, 1, 1)),
            _observed(date(year, 1, 2)),
            easter - timedelta(days=2),
            _nth_weekday(year, 5, mon, 1),
            _last_weekday(year, 5, mon),
            _nth_weekday(year, 8, mon, 1),
            _observed(date(year, 11, 30)),
            _observed(date(year, 12, 25)),
            date(year, 12, 28) if date(year, 12, 26).weekday() >= 5 else date(year, 12, 26),
        ]
    elif office == "yyc":
        victoria = date(year, 5, 24) - timedelta(days=date(year, 5, 24).weekday())
        days = [
            _observed(date(year, 1, 1)),
            _nth_weekday(year, 2, mon, 3),
            easter - timedelta(days=2),
            victoria,
            _observed(date(year, 7, 1)),
            _nth_weekday(year, 8, mon, 1),
            _nth_weekday(year, 9, mon, 1),
            _observed(date(year, 9, 30)),
            _nth_weekday(year, 10, mon, 2),
            _observed(date(year, 11, 11)),
            _observed(date(year, 12, 25)),
        ]
    elif office == "adl":
        days = [
            _observed(date(year, 1, 1)),
            _observed(date(year, 1, 26)),
            _nth_weekday(year, 3, mon, 2),
            easter - timedelta(days=2),
            easter + timedelta(days=1),
            date(year, 4, 25),
            _nth_weekday(year, 6, mon, 2),
            _nth_weekday(year, 10, mon, 1),
            _observed(date(year, 12, 25)),
            date(year, 12, 26) if date(year, 12, 26).weekday() < 5 else date(year, 12, 28),
        ]
    elif office == "pnq":
        days = [date(year, 1, 26), date(year, 5, 1), date(year, 8, 15), date(year, 10, 2), date(year, 12, 25)]
        days += [date(year, m, d) for m, d in _PUNE_LUNAR.get(year, [])]
    else:
        anniversary = date(year, 1, 29) + timedelta(days=-date(year, 1, 29).weekday())
        if date(year, 1, 29).weekday() > 3:
            anniversary += timedelta(days=7)
        days = [
            _observed(date(year, 1, 1)),
            _observed(date(year, 1, 2)),
            anniversary,
            _observed(date(year, 2, 6)),
            easter - timedelta(days=2),
            easter + timedelta(days=1),
            _observed(date(year, 4, 25)),
            _nth_weekday(year, 6, mon, 1),
            _nth_weekday(year, 10, mon, 4),
            _observed(date(year, 12, 25)),
            date(year, 12, 26) if date(year, 12, 26).weekday() < 5 else date(year, 12, 28),
        ]
        if year in _MATARIKI:
            days.append(date(year, *_MATARIKI[year]))
    return set(days)


class Calendar:
    """Days of the period, indexed from the first Monday. Local day `k` of an office is the calendar date
    `start + k`, seen on that office's clock; local days run from -1 to `days` so that local working hours
    on the period's edges can be cut at its UTC bounds."""

    def __init__(self, start: date, weeks: int) -> None:
        self.start = start
        self.weeks = weeks
        self.days = 7 * weeks
        self.t0 = epoch_seconds(start)
        self.t1 = self.t0 + self.days * DAY
        #: Local days -1 .. days (inclusive) as column 0 .. days + 1.
        self.local_dates = [start + timedelta(days=k) for k in range(-1, self.days + 1)]
        n = len(self.local_dates)
        self.offset = np.zeros((len(OFFICES), n), dtype=np.int64)
        self.holiday = np.zeros((len(OFFICES), n), dtype=bool)
        self.weekday = np.array([d.weekday() for d in self.local_dates], dtype=np.int64)
        for o, office in enumerate(OFFICES):
            zone = ZoneInfo(office.zone)
            years = {d.year for d in self.local_dates}
            offs = set().union(*(holidays(office.code, y) for y in years))
            for k, d in enumerate(self.local_dates):
                noon = datetime(d.year, d.month, d.day, 12, tzinfo=zone)
                self.offset[o, k] = int(noon.utcoffset().total_seconds())
                self.holiday[o, k] = d in offs
        self.local_midnight = np.array([epoch_seconds(d) for d in self.local_dates], dtype=np.int64)
        self.workday = (self.weekday[None, :] < 5) & ~self.holiday

    def utc(self, office: np.ndarray, local_col: np.ndarray, hour: np.ndarray) -> np.ndarray:
        """UTC epoch seconds of a local wall-clock time (`hour` as float hours after local midnight)."""
        return (
            self.local_midnight[local_col]
            + np.round(hour * HOUR).astype(np.int64)
            - self.offset[office, local_col]
        )

    def local_zone_time(self, zone: str, day: date, hour: float) -> int:
        tz = ZoneInfo(zone)
        h, m = int(hour), round((hour - int(hour)) * 60)
        return int(datetime(day.year, day.month, day.day, h, m, tzinfo=tz).timestamp())

    def week_of(self, t: np.ndarray) -> np.ndarray:
        return (t - self.t0) // (7 * DAY)


# ---------------------------------------------------------------------------------------------------------
# Weather that takes lines down, and releases that keep people late.


@dataclass(frozen=True)
class Weather:
    region: str
    name: str
    first_day: int
    days: int
    surge: float


def weather_events(cal: Calendar, rng: np.random.Generator) -> list[Weather]:
    """Storms, heatwaves and floods, each in one region; the kind follows the region's season."""
    count = max(2, round(cal.weeks / 6))
    events: list[Weather] = []
    slots = rng.permutation(np.arange(max(1, cal.days - 10)))
    used: list[int] = []
    for first in slots:
        if len(events) == count:
            break
        if any(abs(int(first) - u) < 12 for u in used):
            continue
        # Each region in turn before any is hit twice.
        spare = [r for r in REGIONS if r not in [e.region for e in events]] or list(REGIONS)
        region = spare[int(rng.integers(len(spare)))]
        month = (cal.start + timedelta(days=int(first))).month
        southern = region in ("south_australia", "new_zealand")
        winter = (month in (5, 6, 7, 8, 9)) == southern
        if region == "alberta":
            name = "hailstorm and tornado warnings" if not winter else "ice storm"
        elif region == "scotland":
            name = "heatwave and thunderstorms" if not winter else "named storm, gusts over 90 mph"
        elif region == "south_australia":
            name = "winter storm, transmission towers down" if winter else "heatwave, record demand"
        else:
            name = "atmospheric river, flooding" if winter else "cyclone remnants"
        events.append(
            Weather(region, name, int(first), int(rng.integers(3, 8)), float(rng.uniform(3.5, 8.0)))
        )
        used.append(int(first))
    return sorted(events, key=lambda w: w.first_day)


@dataclass(frozen=True)
class Crunch:
    area: str
    name: str
    first_week: int
    weeks: int
    lift: float


_RELEASES = {
    "scada": "ADMS 7.4 cutover",
    "outage": "storm-season outage map relaunch",
    "metering": "meter firmware 3.2 rollout",
    "markets": "five-minute settlement go-live",
    "fieldops": "crew app offline mode release",
    "sre": "data-centre exit weekend",
    "data": "telemetry lakehouse migration",
    "ai": "GridPilot 2.0 launch",
    "security": "OT segmentation audit deadline",
    "planning": "regulatory network plan submission",
}


def crunches(cal: Calendar, areas: list[str], rng: np.random.Generator) -> list[Crunch]:
    out: list[Crunch] = []
    for area in areas:
        n = 1 if cal.weeks < 14 or rng.random() < 0.5 else 2
        for k in range(n):
            lo = 1 + k * cal.weeks // n
            hi = max(lo + 1, (k + 1) * cal.weeks // n - 1)
            first = int(rng.integers(lo, hi))
            length = int(rng.integers(1, 3))
            name = _RELEASES[area] if k == 0 else f"{_RELEASES[area]} (second wave)"
            out.append(
                Crunch(area, name, first, min(length, cal.weeks - first), float(rng.uniform(1.3, 1.7)))
            )
    return out


# ---------------------------------------------------------------------------------------------------------
# The token leaderboards.


@dataclass(frozen=True)
class Board:
    name: str
    areas: tuple[str, ...]
    #: UTC epoch seconds of each published snapshot inside the period.
    snapshots: tuple[int, ...]
    schedule: str


def boards(cal: Calendar, rng: np.random.Generator) -> list[Board]:
    """Two boards. Grid Operations snapshots every Friday 16:00 Adelaide time until its programme moves to
    Glasgow part-way through the period, then every Thursday 10:00 London time. Markets & Data snapshots
    every second Monday at 09:00 Calgary time, on a rolling fourteen-day window."""
    switch = int(rng.integers(max(1, cal.weeks // 3), max(2, 2 * cal.weeks // 3) + 1))
    ops: list[int] = []
    for w in range(cal.weeks):
        monday = cal.start + timedelta(days=7 * w)
        if w < switch:
            ops.append(cal.local_zone_time("Australia/Adelaide", monday + timedelta(days=4), 16.0))
        else:
            ops.append(cal.local_zone_time("Europe/London", monday + timedelta(days=3), 10.0))
    markets: list[int] = []
    phase = int(rng.integers(0, 2))
    for w in range(phase, cal.weeks + 1, 2):
        monday = cal.start + timedelta(days=7 * w)
        markets.append(cal.local_zone_time("America/Edmonton", monday, 9.0))
    inside = [t for t in markets if cal.t0 < t < cal.t1]
    return [
        Board(
            "Grid Operations",
            ("scada", "outage", "fieldops", "sre", "security"),
            tuple(t for t in ops if cal.t0 < t < cal.t1),
            f"weekly: Fri 16:00 Adelaide for weeks 1-{switch}, then Thu 10:00 London",
        ),
        Board(
            "Markets & Data",
            ("metering", "markets", "data", "ai", "planning"),
            tuple(inside),
            "fortnightly: Mon 09:00 Calgary",
        ),
    ]
