"""Appointments: when an order's car is planned in, for how many minutes, with which mechanic, the promised pick-up
time, whether the customer waits and which loan car it takes. Every check (working hours, holidays, capacity,
the loan car) runs inside the write transaction, which on PostgreSQL holds the database-wide writer lock: of two
desks booking the last free hour at once, exactly one gets it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from babel.dates import format_date, format_datetime
from sqlalchemy import func
from sqlmodel import Session, col, select

from models import Appointment, BoardColumn, LoanCar, WorkOrder, WorkOrderPackage
from models.messages import AppointmentChanged
from models.planning_public import WEEK_MINUTES, AppointmentSet
from models.public import WorkOrderPublic
from services.auth import Principal
from services.billing import duration
from services.clock import SHOP_ZONE, as_utc, shop_day, utcnow
from services.db import Database
from services.errors import Conflict, Invalid, NotFound
from services.events import Mutation, mutation
from services.planning.capacity import Schedule, holiday_name, schedules
from services.plates import format_plate, normalize_plate
from services.views import appointment_public, work_order_public
from services.workorders import get_work_order_row

LOAN_LOOKBACK_DAYS = 31  # a loan car out longer than this before a day is not looked at for that day


def dutch_moment(moment: datetime) -> str:
    """di 8 dec 09:00, in the shop's time."""
    return format_datetime(as_utc(moment).astimezone(SHOP_ZONE), "EEE d MMM HH:mm", locale="nl")


def dutch_day(day: date) -> str:
    return format_date(day, "EEE d MMM", locale="nl")


def shop_time(moment: datetime) -> datetime:
    """A time the desk typed without a zone is the shop's; stored in UTC."""
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=SHOP_ZONE)).astimezone(SHOP_ZONE)


@dataclass(frozen=True)
class Wanted:
    start: datetime
    day: date
    minutes: int | None
    mechanic: str | None
    promised_at: datetime | None
    loan_car: str | None


def _wanted(body: AppointmentSet) -> Wanted:
    start = shop_time(body.start)
    promised = None if body.promised_at is None else shop_time(body.promised_at)
    if body.minutes is not None and not 0 < body.minutes <= WEEK_MINUTES:
        raise Invalid(f"De duur moet tussen 1 en {WEEK_MINUTES} minuten (een week) liggen", "minutes")
    if promised is not None and promised < start:
        raise Invalid("De beloofde ophaaltijd ligt voor het begin van de afspraak", "promisedAt")
    loan_car = None if body.loan_car in (None, "") else normalize_plate(body.loan_car or "")
    mechanic = (body.mechanic or "").strip() or None
    return Wanted(start, start.date(), body.minutes, mechanic, promised, loan_car)


def _package_minutes(session: Session, work_order_id: int) -> int:
    total = session.exec(
        select(func.sum(WorkOrderPackage.labour_minutes)).where(col(WorkOrderPackage.work_order_id) == work_order_id)
    ).one()
    return int(total or 0)


def _check_day(wanted: Wanted) -> None:
    if wanted.day < shop_day(utcnow()):
        raise Invalid(f"{dutch_day(wanted.day)} ligt in het verleden", "start")
    if (holiday := holiday_name(wanted.day)) is not None:
        raise Invalid(f"{dutch_day(wanted.day)} is een feestdag ({holiday}): de werkplaats is dicht", "start")


def _who(session: Session, wanted: Wanted) -> tuple[Schedule | None, list[Schedule]]:
    """The mechanic's schedule (None: anyone), and every active one; refuses a start outside working hours."""
    active = [schedule for schedule in schedules(session) if schedule.active]
    when = dutch_moment(wanted.start)
    if wanted.mechanic is None:
        if not any(schedule.works_at(wanted.start) for schedule in active):
            raise Invalid(f"{when} valt buiten de werktijden", "start")
        return None, active
    schedule = next((s for s in active if s.name == wanted.mechanic), None)
    if schedule is None:
        raise Invalid(f"Monteur {wanted.mechanic} bestaat niet of is niet actief", "mechanic")
    hours = schedule.hours_on(wanted.day)
    if hours is None:
        raise Invalid(f"{schedule.name} werkt niet op {dutch_day(wanted.day)}", "start")
    if not schedule.works_at(wanted.start):
        span = f"{hours[0]:%H:%M}–{hours[1]:%H:%M}"
        raise Invalid(f"{when} valt buiten de werktijden van {schedule.name} ({span})", "start")
    return schedule, active


def _planned(session: Session, day: date, mechanic: str | None, without: int) -> int:
    statement = select(func.sum(Appointment.minutes)).where(
        col(Appointment.day) == day, col(Appointment.work_order_id) != without
    )
    if mechanic is not None:
        statement = statement.where(col(Appointment.mechanic) == mechanic)
    return int(session.exec(statement).one() or 0)


def _check_capacity(
    session: Session, wanted: Wanted, minutes: int, schedule: Schedule | None, active: list[Schedule], without: int
) -> None:
    if schedule is None:
        capacity, who = sum(s.capacity(wanted.day) for s in active), "de werkplaats"
    else:
        capacity, who = schedule.capacity(wanted.day), schedule.name
    planned = _planned(session, wanted.day, None if schedule is None else schedule.name, without)
    if planned + minutes > capacity:
        free = duration(max(0, capacity - planned))
        raise Conflict(
            f"Overboekt: {who} heeft op {dutch_day(wanted.day)} nog {free} vrij van {duration(capacity)}, deze "
            f"afspraak duurt {duration(minutes)}. Plan een andere dag of boek bewust over."
        )


def _loan_days(appointment: Appointment | Wanted) -> tuple[date, date]:
    """The days a loan car is out: the appointment's day up to the promised pick-up day."""
    last = appointment.day
    if appointment.promised_at is not None:
        last = max(last, shop_day(appointment.promised_at))
    return appointment.day, last


def _check_loan_car(session: Session, wanted: Wanted, without: int) -> None:
    assert wanted.loan_car is not None
    plate = format_plate(wanted.loan_car)
    if session.exec(select(LoanCar.id).where(col(LoanCar.license_plate) == wanted.loan_car)).first() is None:
        raise Invalid(f"Leenauto {plate} bestaat niet", "loanCar")
    first, last = _loan_days(wanted)
    others = session.exec(
        select(Appointment, WorkOrder.number)
        .join(WorkOrder, col(WorkOrder.id) == col(Appointment.work_order_id))
        .where(
            col(Appointment.loan_car) == wanted.loan_car,
            col(Appointment.work_order_id) != without,
            col(Appointment.day) <= last,
            col(Appointment.day) >= first - timedelta(days=LOAN_LOOKBACK_DAYS),
        )
    )
    for other, number in others:
        other_first, other_last = _loan_days(other)
        if other_first <= last and first <= other_last:
            day = dutch_day(max(first, other_first))
            raise Conflict(f"Leenauto {plate} is op {day} al uitgeleend ({number})")


def set_appointment(
    db: Database, work_order_id: int, body: AppointmentSet, *, actor: Principal | None
) -> WorkOrderPublic:
    """Plan the order in, or move its appointment: `appointment` event, "planned" or "moved"."""
    with mutation(db, actor) as change:
        return plan_in(change, work_order_id, body)


def plan_in(change: Mutation, work_order_id: int, body: AppointmentSet) -> WorkOrderPublic:
    """set_appointment inside a transaction someone else opened (the desk's booking adds packages in the same one)."""
    wanted = _wanted(body)
    session = change.session
    work_order = get_work_order_row(session, work_order_id)
    if body.version is not None and body.version != work_order.version:
        raise Conflict(f"Werkorder {work_order.number} is intussen gewijzigd (versie {work_order.version})")
    if work_order.column == BoardColumn.AFGEROND.value:
        raise Conflict(f"Werkorder {work_order.number} is afgerond")
    _check_day(wanted)
    minutes = wanted.minutes if wanted.minutes is not None else _package_minutes(session, work_order_id)
    if minutes <= 0:
        raise Invalid("Geef de duur op: de werkorder heeft nog geen werkpakketten", "minutes")
    schedule, active = _who(session, wanted)
    if not body.allow_overbooking:
        _check_capacity(session, wanted, minutes, schedule, active, work_order_id)
    if wanted.loan_car is not None:
        _check_loan_car(session, wanted, work_order_id)
    now = utcnow()
    row = session.get(Appointment, work_order_id)
    action: Literal["planned", "moved"] = "planned" if row is None else "moved"
    fields: dict[str, Any] = {
        "start": wanted.start.astimezone(UTC),
        "day": wanted.day,
        "minutes": minutes,
        "mechanic": wanted.mechanic,
        "promised_at": None if wanted.promised_at is None else wanted.promised_at.astimezone(UTC),
        "waiting": body.waiting,
        "loan_car": wanted.loan_car,
    }
    if row is None:
        row = Appointment(work_order_id=work_order_id, created_at=now, updated_at=now, **fields)
    elif all(_same(getattr(row, name), value) for name, value in fields.items()):
        return work_order_public(session, work_order)
    else:
        for name, value in fields.items():
            setattr(row, name, value)
        row.updated_at = now
    session.add(row)
    session.flush()
    work_order.version += 1
    work_order.updated_at = now
    return change.record(work_order, AppointmentChanged(action=action, appointment=appointment_public(row)))


def _same(stored: object, wanted: object) -> bool:
    if isinstance(stored, datetime) and isinstance(wanted, datetime):
        return as_utc(stored) == wanted
    return stored == wanted


def cancel_appointment(db: Database, work_order_id: int, *, actor: Principal | None) -> None:
    """The appointment goes: `appointment` event, "cancelled", carrying the one cancelled."""
    with mutation(db, actor) as change:
        cancel_in(change, work_order_id)


def cancel_in(change: Mutation, work_order_id: int) -> WorkOrderPublic:
    """cancel_appointment inside a transaction someone else opened (the customer cancelling an online booking)."""
    session = change.session
    work_order = get_work_order_row(session, work_order_id)
    row = session.get(Appointment, work_order_id)
    if row is None:
        raise NotFound(f"Werkorder {work_order.number} heeft geen afspraak")
    cancelled = appointment_public(row)
    session.delete(row)
    session.flush()
    work_order.version += 1
    work_order.updated_at = utcnow()
    return change.record(work_order, AppointmentChanged(action="cancelled", appointment=cancelled))


def confirm_pickup(
    db: Database, work_order_id: int, promised_at: datetime, *, version: int | None, actor: Principal | None
) -> WorkOrderPublic:
    """The desk promises the customer a (new) pick-up time, and only that changes: the start, the mechanic and the
    capacity are left as they are (an order running late stays on its day). Never done automatically: an overrun
    only shows the desk what is at risk. `appointment` event, "moved"."""
    promised = shop_time(promised_at)
    with mutation(db, actor) as change:
        session = change.session
        work_order = get_work_order_row(session, work_order_id)
        if version is not None and version != work_order.version:
            raise Conflict(f"Werkorder {work_order.number} is intussen gewijzigd (versie {work_order.version})")
        row = session.get(Appointment, work_order_id)
        if row is None:
            raise Conflict(f"Werkorder {work_order.number} heeft geen afspraak: plan hem eerst in")
        if promised < as_utc(row.start) or promised < utcnow():
            raise Invalid(
                "De ophaaltijd moet na het begin van de afspraak en niet in het verleden liggen", "promisedAt"
            )
        if _same(row.promised_at, promised.astimezone(UTC)):
            return work_order_public(session, work_order)
        if row.loan_car is not None:
            start = as_utc(row.start).astimezone(SHOP_ZONE)
            _check_loan_car(
                session, Wanted(start, row.day, row.minutes, row.mechanic, promised, row.loan_car), row.work_order_id
            )
        row.promised_at = promised.astimezone(UTC)
        row.updated_at = work_order.updated_at = utcnow()
        session.add(row)
        work_order.version += 1
        return change.record(work_order, AppointmentChanged(action="moved", appointment=appointment_public(row)))
