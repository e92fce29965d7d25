"""The planning read in one query per range: per day the capacity and planned minutes of the shop and of each
mechanic, the appointments themselves, and the first free starts for a job of so many minutes."""

import itertools
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import Appointment, WorkOrder
from models.planning_public import WEEK_MINUTES, FreeSlot, MechanicDay, PlannedAppointment, Planning, PlanningDay
from services.clock import SHOP_ZONE, as_utc, shop_day, utcnow
from services.db import Database
from services.errors import Invalid
from services.planning.capacity import Schedule, capacity_of, holiday_name, schedules

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
    """Every appointment of those days, by start (one query, the columns shown, no ORM rows)."""
    rows = session.execute(  # sqlmodel's select takes at most four columns
        sa_select(
            col(Appointment.work_order_id),
            col(WorkOrder.number),
            col(WorkOrder.license_plate),
            col(Appointment.start),
            col(Appointment.minutes),
            col(Appointment.mechanic),
            col(Appointment.loan_car),
        )
        .join(WorkOrder, col(WorkOrder.id) == col(Appointment.work_order_id))
        .where(col(Appointment.day) >= first, col(Appointment.day) <= last)
        .order_by(col(Appointment.start), col(Appointment.work_order_id))
    )
    return [
        PlannedAppointment(
            work_order_id=order_id,
            number=number,
            license_plate=plate,
            start=as_utc(start),
            minutes=minutes,
            mechanic=mechanic,
            loan_car=loan_car,
        )
        for order_id, number, plate, start, minutes, mechanic, loan_car in rows
    ]


def planned_minutes(session: Session, first: date, last: date) -> dict[tuple[date, str | None], int]:
    """Planned minutes per (day, mechanic) of those days: one sum over the covering index, no rows loaded."""
    rows = session.exec(
        select(col(Appointment.day), col(Appointment.mechanic), func.sum(Appointment.minutes))
        .where(col(Appointment.day) >= first, col(Appointment.day) <= last)
        .group_by(col(Appointment.day), col(Appointment.mechanic))
    )
    return {(day, mechanic): int(total or 0) for day, mechanic, total in rows}


def planning_days(
    active: list[Schedule], planned: dict[tuple[date, str | None], int], first: date, last: date
) -> list[PlanningDay]:
    per_day: dict[date, int] = defaultdict(int)
    for (day, _mechanic), minutes in planned.items():
        per_day[day] += minutes
    days = []
    for day in _days(first, last):
        mechanics = [
            MechanicDay(name=s.name, capacity_minutes=s.capacity(day), planned_minutes=planned.get((day, s.name), 0))
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
        planned = planned_minutes(session, first, last)
        appointments = appointments_between(session, first, last)
    return Planning(days=planning_days(active, planned, first, last), appointments=appointments)


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
    day to fit them, earliest first, looking at most MAX_DAYS days ahead: each mechanic's first such start of a
    day, or with `every` each one on that grid of minutes too (a customer choosing a time). The planned minutes of
    all those days are one sum per (day, mechanic); only the days where a mechanic has enough left have their busy
    times read, one such day in the first query, then two, four, … until `count` are found."""
    if not 0 < minutes <= WEEK_MINUTES:
        raise Invalid(f"minutes moet tussen 1 en {WEEK_MINUTES} liggen")
    if not 0 < count <= MAX_SLOTS:
        raise Invalid(f"count moet tussen 1 en {MAX_SLOTS} liggen")
    now = utcnow()
    earliest = _rounded_up(max(now, as_utc(start_from) if start_from is not None else now))
    first = earliest.astimezone(SHOP_ZONE).date()
    last = first + timedelta(days=MAX_DAYS - 1)
    found: list[FreeSlot] = []
    with db.read() as session:
        active = [schedule for schedule in schedules(session) if schedule.active]
        planned = planned_minutes(session, first, last)
        open_days = _open_days(active, planned, first, last, minutes)
        days, size = sorted(open_days), 1
        while days and len(found) < count:
            batch, days, size = days[:size], days[size:], size * 2
            busy = _busy_on(session, batch)
            for day in batch:
                found += _free_on(day, open_days[day], busy, earliest, minutes, every)
    return found[:count]


def mechanic_free_at(session: Session, start: datetime, minutes: int) -> str | None:
    """The first mechanic (by name) for whom `start` is one of the free starts free_slots offers that day: capacity
    left and a gap of `minutes` from exactly then. Read inside a write transaction, it decides a booking."""
    day = shop_day(start)
    active = [schedule for schedule in schedules(session) if schedule.active]
    open_days = _open_days(active, planned_minutes(session, day, day), day, day, minutes)
    slots = _free_on(day, open_days.get(day, []), _busy_on(session, [day]), as_utc(start), minutes)
    return next((slot.mechanic for slot in slots if slot.start == as_utc(start)), None)


def _open_days(
    active: list[Schedule], planned: dict[tuple[date, str | None], int], first: date, last: date, minutes: int
) -> dict[date, list[tuple[str, tuple[datetime, datetime]]]]:
    """Per day, the mechanics (with their day's bounds) who still have `minutes` of capacity left."""
    open_days: dict[date, list[tuple[str, tuple[datetime, datetime]]]] = defaultdict(list)
    for day in _days(first, last):
        for schedule in active:
            hours = schedule.hours_on(day)
            if hours is not None and capacity_of(*hours) - planned.get((day, schedule.name), 0) >= minutes:
                bounds = datetime.combine(day, hours[0], SHOP_ZONE), datetime.combine(day, hours[1], SHOP_ZONE)
                open_days[day].append((schedule.name, bounds))
    return open_days


def _busy_on(session: Session, days: list[date]) -> dict[tuple[date, str | None], list[Busy]]:
    """The mechanics' busy times on those days (start and minutes only, from the covering index)."""
    busy: dict[tuple[date, str | None], list[Busy]] = defaultdict(list)
    rows = session.exec(
        select(col(Appointment.day), col(Appointment.mechanic), col(Appointment.start), col(Appointment.minutes)).where(
            col(Appointment.day).in_(days)
        )
    )
    for day, mechanic, start, length in rows:
        begins = as_utc(start)
        busy[day, mechanic].append(Busy(begins, begins + timedelta(minutes=length)))
    return busy


def _free_on(
    day: date,
    mechanics: list[tuple[str, tuple[datetime, datetime]]],
    busy: dict[tuple[date, str | None], list[Busy]],
    earliest: datetime,
    minutes: int,
    every: int | None = None,
) -> list[FreeSlot]:
    today = []
    for name, bounds in mechanics:
        starts = _fitting_starts(bounds, busy.get((day, name), []), earliest, minutes, every)
        for start in starts if every else itertools.islice(starts, 1):
            today.append(FreeSlot(start=start.astimezone(UTC), mechanic=name))
    return sorted(today, key=lambda slot: (slot.start, slot.mechanic))
