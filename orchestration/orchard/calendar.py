"""The organisation's calendar: offices and their time zones, public holidays, the two harvests,
release crunches and the usage leaderboard's snapshot schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY = 86_400
WEEK = 7 * DAY

#: Office → IANA zone. Field engineers of the southern offices follow the southern harvest.
OFFICES: dict[str, str] = {
    "moline": "America/Chicago",
    "denver": "America/Denver",
    "curitiba": "America/Sao_Paulo",
    "mannheim": "Europe/Berlin",
    "leeds": "Europe/London",
    "pune": "Asia/Kolkata",
    "adelaide": "Australia/Adelaide",
}
SOUTHERN = {"curitiba", "adelaide"}

#: Holidays that fall on the same day every year, per office (month, day).
_FIXED: dict[str, tuple[tuple[int, int], ...]] = {
    "moline": ((1, 1), (7, 4), (12, 24), (12, 25), (12, 31)),
    "denver": ((1, 1), (7, 4), (12, 24), (12, 25), (12, 31)),
    "curitiba": ((1, 1), (4, 21), (5, 1), (9, 7), (10, 12), (11, 2), (11, 15), (12, 25)),
    "mannheim": ((1, 1), (5, 1), (10, 3), (11, 1), (12, 24), (12, 25), (12, 26), (12, 31)),
    "leeds": ((1, 1), (12, 25), (12, 26)),
    "pune": ((1, 26), (5, 1), (8, 15), (10, 2), (12, 25)),
    "adelaide": ((1, 1), (1, 26), (4, 25), (12, 25), (12, 26)),
}
#: Movable holidays of the years the organisation is generated for.
_MOVABLE: dict[str, tuple[str, ...]] = {
    "moline": (
        "2025-05-26",
        "2025-09-01",
        "2025-11-27",
        "2025-11-28",
        "2026-05-25",
        "2026-09-07",
        "2026-11-26",
        "2026-11-27",
        "2027-05-31",
        "2027-09-06",
        "2027-11-25",
        "2027-11-26",
    ),
    "denver": (
        "2025-05-26",
        "2025-09-01",
        "2025-11-27",
        "2026-05-25",
        "2026-09-07",
        "2026-11-26",
        "2027-05-31",
        "2027-09-06",
        "2027-11-25",
    ),
    "curitiba": (
        "2025-03-03",
        "2025-03-04",
        "2025-04-18",
        "2025-06-19",
        "2026-02-16",
        "2026-02-17",
        "2026-04-03",
        "2026-06-04",
        "2027-02-08",
        "2027-02-09",
        "2027-03-26",
    ),
    "mannheim": (
        "2025-04-18",
        "2025-04-21",
        "2025-05-29",
        "2025-06-09",
        "2025-06-19",
        "2026-04-03",
        "2026-04-06",
        "2026-05-14",
        "2026-05-25",
        "2026-06-04",
        "2027-03-26",
        "2027-03-29",
        "2027-05-06",
        "2027-05-17",
        "2027-05-27",
    ),
    "leeds": (
        "2025-04-18",
        "2025-04-21",
        "2025-05-05",
        "2025-05-26",
        "2025-08-25",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2027-03-26",
        "2027-03-29",
    ),
    "pune": (
        "2025-03-14",
        "2025-10-02",
        "2025-10-21",
        "2025-10-22",
        "2026-03-04",
        "2026-10-20",
        "2026-11-08",
        "2026-11-09",
        "2027-03-22",
        "2027-10-09",
        "2027-10-29",
    ),
    "adelaide": (
        "2025-03-10",
        "2025-04-18",
        "2025-04-21",
        "2025-06-09",
        "2025-10-06",
        "2026-03-09",
        "2026-04-03",
        "2026-04-06",
        "2026-06-08",
        "2026-10-05",
        "2027-03-08",
        "2027-03-26",
    ),
}


def holidays(office: str, first: date, last: date) -> set[date]:
    days = {date.fromisoformat(text) for text in _MOVABLE[office]}
    for year in range(first.year, last.year + 1):
        days |= {date(year, month, day) for month, day in _FIXED[office]}
    return {day for day in days if first <= day <= last}


def in_harvest(office: str, day: date) -> bool:
    """Northern harvest mid-August to October; southern harvest February to April."""
    if office in SOUTHERN:
        return day.month in (2, 3, 4)
    return (day.month == 8 and day.day >= 15) or day.month in (9, 10)


def calendar_crunch(department: str, day: date) -> bool:
    """The crunches every year brings: the firmware model-year freeze before the February release and
    the autumn trade fair, the parts shop before pre-season and Black Friday, telematics before harvest."""
    month, dom = day.month, day.day
    if department == "firmware":
        return (month == 2 and dom <= 20) or (month == 10 and dom >= 20) or (month == 11 and dom <= 8)
    if department == "webshop":
        return (month == 3 and dom <= 14) or (month == 11 and 12 <= dom <= 28)
    if department == "telematics":
        return (month == 7 and dom >= 20) or (month == 8 and dom <= 10) or (month == 1 and dom >= 19)
    if department == "precision":
        return month == 6 and dom >= 15
    return False


class Clock:
    """UTC epoch seconds of local midnights, per zone and day of the period."""

    def __init__(self, start: date, days: int) -> None:
        self.start = start
        self.days = days
        self.start_epoch = int(datetime.combine(start, time(), ZoneInfo("UTC")).timestamp())
        self._midnight: dict[str, list[int]] = {}

    def midnight(self, zone: str, day: int) -> int:
        table = self._midnight.get(zone)
        if table is None:
            tz = ZoneInfo(zone)
            table = [
                int(datetime.combine(self.start + timedelta(days=d), time(), tz).timestamp())
                for d in range(-7, self.days + 8)
            ]
            self._midnight[zone] = table
        return table[day + 7]

    def local(self, zone: str, day: int, hour: float) -> int:
        return self.midnight(zone, day) + int(hour * 3600)


@dataclass(frozen=True)
class Board:
    """One group's leaderboard snapshot: weekday (0 = Monday), local time and zone."""

    name: str
    weekday: int
    hour: float
    zone: str

    def describe(self) -> str:
        day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[self.weekday]
        return f"{day} {int(self.hour):02d}:{int(self.hour % 1 * 60):02d} {self.zone}"


AMERICAS_BOARD = Board("americas", 4, 15.0, "America/Chicago")
AMERICAS_BOARD_LATER = Board("americas", 0, 8.0, "America/Chicago")
EMEA_BOARD = Board("emea_apac", 3, 17.0, "Europe/Berlin")


def board_group(office: str) -> str:
    return "americas" if office in ("moline", "denver", "curitiba", "adelaide") else "emea_apac"


@dataclass(frozen=True)
class Leaderboard:
    """The "AI Champions" leaderboard: launched in week `launch`; the Americas board moves its
    snapshot from Friday afternoon to the Monday all-hands in week `moved`."""

    launch: int
    moved: int

    def board(self, group: str, week: int) -> Board:
        if group == "emea_apac":
            return EMEA_BOARD
        return AMERICAS_BOARD_LATER if week >= self.moved else AMERICAS_BOARD

    def snapshot(self, clock: Clock, group: str, week: int) -> int:
        board = self.board(group, week)
        return clock.local(board.zone, week * 7 + board.weekday, board.hour)

    def describe(self) -> str:
        return (
            f"leaderboard from week {self.launch}: Americas {AMERICAS_BOARD.describe()}, from week "
            f"{self.moved} {AMERICAS_BOARD_LATER.describe()}; EMEA/APAC {EMEA_BOARD.describe()}"
        )


def leaderboard_for(weeks: int) -> Leaderboard:
    launch = min(max(1, weeks // 5), max(weeks - 1, 0))
    moved = max(launch + 1, round(weeks * 0.6))
    return Leaderboard(launch=launch, moved=moved)
