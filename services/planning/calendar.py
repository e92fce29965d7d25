"""The planning read in one query per range: per day the capacity and planned minutes of the shop and of each
mechanic, the appointments themselves, and the first free starts for a job of so many minutes."""

import itertools
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from models import Appointment, WorkOrder
from models.planning_public import WEEK_MINUTES, FreeSlot, MechanicDay, PlannedAppointment, Planning, PlanningDay
from services.clock import SHOP_ZONE, as_utc, shop_day, utcnow
from services.db import Database
from services.errors import Invalid
from services.planning.capacity import Schedule, holiday_name, schedules

MAX_DAYS = 92  # about three months
MAX_SLOTS = 100
SLOT_STEP_MINUTES = 15  # a free start from "now" is rounded up to the next quarter


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _checked_range(first: date, last: date) -> None:
    if last < first:
        raise Invalid("'to' ligt voor 'from'")
    if (last - first).days >= MAX_DAYS:
        raise Invalid(f"Vraag de planning op voor hoogstens {MAX_DAYS} dagen tegelijk")


def appointments_between(session: Session, first: date, last: date) -> list[PlannedAppointment]:
    """Every appointment of those days, by start (one query)."""
    rows = session.exec(
        select(Appointment, WorkOrder.number, WorkOrder.license_plate)
        .join(WorkOrder, col(WorkOrder.id) == col(Appointment.work_order_id))
        .where(col(Appointment.day) >= first, col(Appointment.day) <= last)
        .order_by(col(Appointment.start), col(Appointment.work_order_id))
    )
    return [
        PlannedAppointment(
            work_order_id=row.work_order_id,
            number=number,
            license_plate=plate,
            start=as_utc(row.start),
            minutes=row.minutes,
            mechanic=row.mechanic,
            loan_car=row.loan_car,
        )
        for row, number, plate in rows
    ]


def planning_days(
    active: list[Schedule], appointments: list[PlannedAppointment], first: date, last: date
) -> list[PlanningDay]:
    planned: dict[tuple[date, str | None], int] = defaultdict(int)
    per_day: dict[date, int] = defaultdict(int)
    for appointment in appointments:
        day = shop_day(appointment.start)
        planned[day, appointment.mechanic] += appointment.minutes
        per_day[day] += appointment.minutes
    days = []
    for day in _days(first, last):
        mechanics = [
            MechanicDay(name=s.name, capacity_minutes=s.capacity(day), planned_minutes=planned[day, s.name])
            for s in active
        ]
        days.append(
            PlanningDay(
                date=day,
                capacity_minutes=sum(m.capacity_minutes for m in mechanics),
                planned_minutes=per_day[day],
                holiday=holiday_name(day),
                mechanics=mechanics,
            )
        )
    return days


def planning(db: Database, first: date, last: date) -> Planning:
    """GET /api/planning: at most MAX_DAYS days, the active mechanics only."""
    _checked_range(first, last)
    with db.read() as session:
        active = [schedule for schedule in schedules(session) if schedule.active]
        appointments = appointments_between(session, first, last)
    return Planning(days=planning_days(active, appointments, first, last), appointments=appointments)


@dataclass(frozen=True)
class Busy:
    start: datetime
    end: datetime


def _fitting_starts(
    bounds: tuple[datetime, datetime], busy: list[Busy], earliest: datetime, minutes: int, every: int | None = None
) -> Iterator[datetime]:
    """The starts from `earliest` within the day's hours where `minutes` fit between the appointments, earliest
    first: at the day's start and right after each appointment, and with `every` also on that grid of minutes."""
    day_start, day_end = bounds
    length = timedelta(minutes=minutes)
    candidates = {day_start, *(b.end for b in busy)}
    if every:
        steps = int((day_end - day_start).total_seconds() // (every * 60))
        candidates |= {day_start + timedelta(minutes=every * step) for step in range(steps + 1)}
    last = None
    for candidate in sorted(candidates):
        start = max(candidate, earliest)
        if start == last or start + length > day_end:
            continue
        if all(start >= b.end or start + length <= b.start for b in busy):
            last = start
            yield start


def _rounded_up(moment: datetime) -> datetime:
    step = SLOT_STEP_MINUTES * 60
    seconds = math.ceil(moment.timestamp() / step) * step
    return datetime.fromtimestamp(seconds, UTC)


def free_slots(
    db: Database, minutes: int, start_from: datetime | None = None, count: int = 10, every: int | None = None
) -> list[FreeSlot]:
    """The first `count` starts at which a mechanic still has `minutes` of capacity that day and a gap in their
    day to fit them, earliest first, looking at most MAX_DAYS days ahead (one query per fortnight): each mechanic's
    first such start of a day, or with `every` each one on that grid of minutes too (a customer choosing a time)."""
    if not 0 < minutes <= WEEK_MINUTES:
        raise Invalid(f"minutes moet tussen 1 en {WEEK_MINUTES} liggen")
    if not 0 < count <= MAX_SLOTS:
        raise Invalid(f"count moet tussen 1 en {MAX_SLOTS} liggen")
    now = utcnow()
    earliest = _rounded_up(max(now, as_utc(start_from) if start_from is not None else now))
    first = earliest.astimezone(SHOP_ZONE).date()
    found: list[FreeSlot] = []
    with db.read() as session:
        active = [schedule for schedule in schedules(session) if schedule.active]
        window = 14
        for offset in range(0, MAX_DAYS, window):
            start = first + timedelta(days=offset)
            end = min(start + timedelta(days=window - 1), first + timedelta(days=MAX_DAYS - 1))
            found += _free_in(active, appointments_between(session, start, end), start, end, earliest, minutes, every)
            if len(found) >= count:
                break
    return found[:count]


def mechanic_free_at(session: Session, start: datetime, minutes: int) -> str | None:
    """The first mechanic (by name) for whom `start` is one of the free starts free_slots offers that day: capacity
    left and a gap of `minutes` from exactly then. Read inside a write transaction, it decides a booking."""
    day = shop_day(start)
    active = [schedule for schedule in schedules(session) if schedule.active]
    slots = _free_in(active, appointments_between(session, day, day), day, day, as_utc(start), minutes)
    return next((slot.mechanic for slot in slots if slot.start == as_utc(start)), None)


def _free_in(
    active: list[Schedule],
    appointments: list[PlannedAppointment],
    first: date,
    last: date,
    earliest: datetime,
    minutes: int,
    every: int | None = None,
) -> list[FreeSlot]:
    busy: dict[tuple[date, str | None], list[Busy]] = defaultdict(list)
    for a in appointments:
        busy[shop_day(a.start), a.mechanic].append(Busy(a.start, a.start + timedelta(minutes=a.minutes)))
    found = []
    for day in _days(first, last):
        today = []
        for schedule in active:
            bounds = schedule.day_bounds(day)
            if bounds is None:
                continue
            theirs = busy[day, schedule.name]
            if schedule.capacity(day) - sum(b.end.timestamp() - b.start.timestamp() for b in theirs) / 60 < minutes:
                continue
            starts = _fitting_starts(bounds, theirs, earliest, minutes, every)
            for start in starts if every else itertools.islice(starts, 1):
                today.append(FreeSlot(start=start.astimezone(UTC), mechanic=schedule.name))
        found += sorted(today, key=lambda slot: (slot.start, slot.mechanic))
    return found
