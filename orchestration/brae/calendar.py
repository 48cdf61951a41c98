"""Brae Health's calendar: offices and their holidays, release trains, freezes, leaderboards, outages.

Everything is laid out on a grid of UTC days from the first Monday; a person's working day is a
local day, converted to UTC with the office's offset on that day (daylight saving included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

US = 1_000_000
DAY_US = 86_400 * US
HOUR_US = 3_600 * US


@dataclass(frozen=True)
class Office:
    code: str
    city: str
    timezone: str
    region: str
    share: float


OFFICES: tuple[Office, ...] = (
    Office("edi", "Edinburgh", "Europe/London", "GB-SCT", 0.33),
    Office("krk", "Kraków", "Europe/Warsaw", "PL", 0.20),
    Office("pnq", "Pune", "Asia/Kolkata", "IN-MH", 0.22),
    Office("hfx", "Halifax", "America/Halifax", "CA-NS", 0.12),
    Office("bne", "Brisbane", "Australia/Brisbane", "AU-QLD", 0.13),
)

DEPARTMENTS: tuple[str, ...] = ("Clinical Systems", "Patient & Access", "Data & AI", "Platform & Security")

# Festival dates that follow lunar calendars, as the Pune office's holiday list gives them.
_PUNE_MOVABLE = {
    2025: ("2025-03-14", "2025-08-27", "2025-10-02", "2025-10-21"),
    2026: ("2026-03-04", "2026-09-14", "2026-10-20", "2026-11-09"),
    2027: ("2027-03-22", "2027-09-04", "2027-10-09", "2027-10-29"),
    2028: ("2028-03-11", "2028-08-23", "2028-09-27", "2028-10-17"),
}


def easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _in_lieu(days: list[date]) -> set[date]:
    """Fixed-date holidays that fall on a weekend move to the next free weekday (UK, Canada, Australia)."""
    taken: set[date] = set()
    for day in sorted(days):
        while day.weekday() >= 5 or day in taken:
            day += timedelta(days=1)
        taken.add(day)
    return taken


def holidays(region: str, year: int) -> set[date]:
    e = easter(year)
    if region == "GB-SCT":
        fixed = _in_lieu([date(year, 1, 1), date(year, 1, 2), date(year, 12, 25), date(year, 12, 26)])
        return (
            fixed
            | _in_lieu([date(year, 11, 30)])
            | {
                e - timedelta(days=2),
                _nth_weekday(year, 5, 0, 1),
                _last_weekday(year, 5, 0),
                _nth_weekday(year, 8, 0, 1),
            }
        )
    if region == "PL":
        return {
            date(year, 1, 1),
            date(year, 1, 6),
            e + timedelta(days=1),
            date(year, 5, 1),
            date(year, 5, 3),
            e + timedelta(days=60),
            date(year, 8, 15),
            date(year, 11, 1),
            date(year, 11, 11),
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    if region == "IN-MH":
        movable = {date.fromisoformat(text) for text in _PUNE_MOVABLE.get(year, ())}
        fixed = {
            date(year, 1, 26),
            date(year, 5, 1),
            date(year, 8, 15),
            date(year, 10, 2),
            date(year, 12, 25),
        }
        return fixed | movable
    if region == "CA-NS":
        return _in_lieu([date(year, 1, 1), date(year, 7, 1), date(year, 12, 25), date(year, 12, 26)]) | {
            _nth_weekday(year, 2, 0, 3),
            e - timedelta(days=2),
            _last_weekday(year, 5, 0) - timedelta(days=7),
            _nth_weekday(year, 8, 0, 1),
            _nth_weekday(year, 9, 0, 1),
            _nth_weekday(year, 10, 0, 2),
            date(year, 11, 11),
        }
    if region == "AU-QLD":
        return _in_lieu([date(year, 1, 1), date(year, 1, 26), date(year, 12, 25), date(year, 12, 26)]) | {
            e - timedelta(days=2),
            e + timedelta(days=1),
            date(year, 4, 25),
            _nth_weekday(year, 5, 0, 1),
            _nth_weekday(year, 8, 2, 2),
            _nth_weekday(year, 10, 0, 1),
        }
    raise ValueError(f"no holiday rules for {region}")


@dataclass
class Release:
    """A department's release milestone: crunch weeks before it, sometimes a freeze in its week."""

    department: int
    week: int
    name: str
    crunch_weeks: int
    freeze: bool


@dataclass
class Outage:
    """An operational event that pages several services of one department at once."""

    day: int
    hour: float
    department: int
    area: str
    title: str
    incidents: int
    severity: str


@dataclass
class Calendar:
    start: date
    weeks: int
    days: int = field(init=False)
    dates: list[date] = field(init=False)
    weekday: np.ndarray = field(init=False)
    #: UTC offset in seconds of each office on each day (at local noon).
    offset_s: np.ndarray = field(init=False)
    holiday: np.ndarray = field(init=False)
    start_us: int = field(init=False)

    def __post_init__(self) -> None:
        self.days = self.weeks * 7
        self.dates = [self.start + timedelta(days=i) for i in range(self.days)]
        self.weekday = np.array([d.weekday() for d in self.dates], dtype=np.int8)
        self.start_us = _epoch_us(self.start)
        offsets = np.zeros((len(OFFICES), self.days), dtype=np.int64)
        hol = np.zeros((len(OFFICES), self.days), dtype=bool)
        years = range(self.start.year - 1, self.dates[-1].year + 1)
        for o, office in enumerate(OFFICES):
            zone = ZoneInfo(office.timezone)
            days_off: set[date] = set()
            for year in years:
                days_off |= holidays(office.region, year)
            for i, day in enumerate(self.dates):
                offset = datetime(day.year, day.month, day.day, 12, tzinfo=zone).utcoffset()
                offsets[o, i] = int(offset.total_seconds()) if offset is not None else 0
                hol[o, i] = day in days_off
        self.offset_s = offsets
        self.holiday = hol

    def local_to_utc_us(self, office: np.ndarray, day: np.ndarray, local_hours: np.ndarray) -> np.ndarray:
        """UTC microseconds of a local clock time (hours, may exceed 24) on a grid day at an office."""
        seconds = np.round(local_hours * 3600.0).astype(np.int64)
        return self.start_us + day.astype(np.int64) * DAY_US + (seconds - self.offset_s[office, day]) * US

    def month(self) -> np.ndarray:
        return np.array([d.month for d in self.dates], dtype=np.int8)


def _epoch_us(day: date) -> int:
    return (day - date(1970, 1, 1)).days * DAY_US


def releases(weeks: int) -> list[Release]:
    """Each department's release train, placed relative to the period so short runs have them too."""
    out: list[Release] = []
    for frac in (0.42, 0.88):
        week = round(frac * weeks)
        if 2 <= week < weeks:
            out.append(Release(0, week, "EPR release go-live", 2, True))
    for week in range(3, weeks, 6):
        out.append(Release(1, week, "patient app release", 1, False))
    for frac in (0.3, 0.8):
        week = round(frac * weeks)
        if 1 <= week < weeks:
            out.append(Release(2, week, "quarterly data platform release", 1, False))
    week = round(0.6 * weeks)
    if 2 <= week < weeks:
        out.append(Release(3, week, "data-centre network cutover", 2, True))
    return out


@dataclass
class Rhythm:
    """Per department and week: how much busier than usual the department is."""

    usage: np.ndarray
    prs: np.ndarray
    freeze: np.ndarray
    crunch: np.ndarray
    audit_week: int
    releases: list[Release]


def rhythm(cal: Calendar) -> Rhythm:
    n_dep = len(DEPARTMENTS)
    usage = np.ones((n_dep, cal.weeks))
    prs = np.ones((n_dep, cal.weeks))
    freeze = np.zeros((n_dep, cal.weeks), dtype=bool)
    crunch = np.zeros((n_dep, cal.weeks), dtype=bool)
    rel = releases(cal.weeks)
    for release in rel:
        for back in range(1, release.crunch_weeks + 1):
            week = release.week - back
            if week >= 0:
                crunch[release.department, week] = True
        if release.freeze:
            freeze[release.department, release.week] = True
    # Hospitals freeze change over the holidays, when wards run on skeleton staff.
    for w in range(cal.weeks):
        monday = cal.dates[w * 7]
        if (monday.month == 12 and monday.day >= 18) or (monday.month == 1 and monday.day <= 2):
            freeze[:, w] = True
    # The ISO 27001 surveillance audit: security and clinical safety evidence is due the week before.
    audit_week = max(1, round(0.55 * cal.weeks))
    crunch[3, audit_week - 1] = True
    usage[crunch] = 1.35
    prs[crunch] = 1.4
    usage[freeze] = 0.8
    prs[freeze] = 0.3
    return Rhythm(usage=usage, prs=prs, freeze=freeze, crunch=crunch, audit_week=audit_week, releases=rel)


_OUTAGES = (
    (0, "imaging", "PACS image retrieval slow for radiology reporting", "sev2"),
    (0, "epr", "ADT feed backlog: admissions not reaching ward systems", "sev1"),
    (0, "pharmacy", "e-prescribing interface rejecting orders", "sev1"),
    (0, "lab", "lab results HL7 queue stalled", "sev2"),
    (1, "app", "patient app login failures after identity provider change", "sev2"),
    (1, "claims", "claims clearinghouse rejecting submissions", "sev2"),
    (2, "data", "nightly bed-occupancy pipeline late for morning huddle", "sev3"),
    (3, "network", "site-to-site VPN flapping between hospitals", "sev1"),
)


def outages(cal: Calendar, rng: np.random.Generator) -> list[Outage]:
    count = 2 + cal.weeks // 6
    out: list[Outage] = []
    for _ in range(count):
        dep, area, title, severity = _OUTAGES[int(rng.integers(len(_OUTAGES)))]
        out.append(
            Outage(
                day=int(rng.integers(0, cal.days)),
                hour=float(rng.uniform(0, 24)),
                department=dep,
                area=area,
                title=title,
                incidents=int(rng.integers(3, 9)),
                severity=severity,
            )
        )
    return out


def incident_pressure(cal: Calendar) -> np.ndarray:
    """Per day: winter surge in emergency departments raises clinical load and with it paging."""
    factor = np.ones(cal.days)
    for i, day in enumerate(cal.dates):
        md = (day.month, day.day)
        if md >= (11, 15) or md <= (3, 15):
            factor[i] = 1.5
    return factor


@dataclass
class Board:
    """An AI-usage leaderboard and the UTC instants (microseconds) its snapshots are taken."""

    name: str
    departments: tuple[int, ...]
    snapshots_us: np.ndarray


def leaderboards(cal: Calendar) -> list[Board]:
    """The monthly 'AI Champions' board for everyone and the weekly digest two departments asked for.

    The monthly board is cut at 16:00 Edinburgh time on the last Friday of each month; the weekly
    digest for Clinical Systems and Data & AI at 07:00 UTC on Mondays, from its launch in the
    period's first weeks.
    """
    london = ZoneInfo("Europe/London")
    monthly: list[int] = []
    end = cal.dates[-1]
    year, month = cal.start.year, cal.start.month
    while date(year, month, 1) <= end:
        friday = _last_weekday(year, month, 4)
        if cal.start <= friday <= end:
            local = datetime(friday.year, friday.month, friday.day, 16, tzinfo=london)
            monthly.append(int(local.timestamp()) * US)
        year, month = year + month // 12, month % 12 + 1
    launch = max(1, cal.weeks // 8)
    weekly = [cal.start_us + (w * 7) * DAY_US + 7 * HOUR_US for w in range(launch, cal.weeks)]
    return [
        Board("ai-champions-monthly", (0, 1, 2, 3), np.array(monthly, dtype=np.int64)),
        Board("department-digest-weekly", (0, 2), np.array(weekly, dtype=np.int64)),
    ]
