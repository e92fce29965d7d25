"""Working time: each mechanic's hours per ISO weekday, their days off, and the Dutch public holidays (from the
`holidays` package, never a hand-kept list). A day's capacity is the minutes between start and end, less a
30-minute break when that is over six hours; 0 on a day off or a holiday."""

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

import holidays
from sqlmodel import Session, col, select

from models import Mechanic, Role, User
from services.clock import SHOP_ZONE

WEEKDAYS = [str(day) for day in range(1, 8)]  # ISO: "1" Monday … "7" Sunday
DEFAULT_HOURS: dict[str, list[str] | None] = {day: ["08:00", "17:00"] if int(day) <= 5 else None for day in WEEKDAYS}
BREAK_MINUTES, BREAK_AFTER_MINUTES = 30, 6 * 60


@lru_cache(maxsize=16)
def _holidays_of(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year, language="nl")


@lru_cache(maxsize=1024)
def holiday_name(day: date) -> str | None:
    """The Dutch public holiday on `day`, by name, or None (asked for every mechanic and day of a planning read,
    so kept: a lookup in the holidays package costs more than the rest of a day's capacity)."""
    return _holidays_of(day.year).get(day)


@lru_cache(maxsize=256)
def clock_time(raw: str) -> time:
    return time.fromisoformat(raw)


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def capacity_of(start: time, end: time) -> int:
    span = minutes_between(start, end)
    return span - BREAK_MINUTES if span > BREAK_AFTER_MINUTES else span


@dataclass(frozen=True)
class Schedule:
    """One mechanic's working time, as stored (or the default when the desk never changed it)."""

    name: str
    active: bool
    work_hours: dict[str, list[str] | None]
    days_off: frozenset[date]

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """Start and end on that day; None when they do not work (their day off, a holiday, a free weekday)."""
        hours = self.work_hours.get(str(day.isoweekday()))
        if hours is None or day in self.days_off or holiday_name(day) is not None:
            return None
        return clock_time(hours[0]), clock_time(hours[1])

    def capacity(self, day: date) -> int:
        hours = self.hours_on(day)
        return 0 if hours is None else capacity_of(*hours)

    def works_at(self, moment: datetime) -> bool:
        """The moment (any zone) falls within their hours of that shop day."""
        local = moment.astimezone(SHOP_ZONE)
        hours = self.hours_on(local.date())
        return hours is not None and hours[0] <= local.time().replace(tzinfo=None) < hours[1]


def schedule_of(name: str, row: Mechanic | None) -> Schedule:
    if row is None:
        return Schedule(name, True, dict(DEFAULT_HOURS), frozenset())
    days_off = frozenset(date.fromisoformat(day) for day in json.loads(row.days_off))
    return Schedule(name, row.active, {**DEFAULT_HOURS, **json.loads(row.work_hours)}, days_off)


def schedules(session: Session) -> list[Schedule]:
    """Every monteur's schedule, by name (one read)."""
    statement = (
        select(User.name, Mechanic)
        .join(Mechanic, col(Mechanic.name) == col(User.name), isouter=True)
        .where(col(User.role) == Role.MONTEUR.value)
        .order_by(col(User.name))
    )
    return [schedule_of(name, row) for name, row in session.exec(statement)]
