"""Which reminders are due on a day: for each kind one set-based query over an indexed range (the cars whose APK
expires in the window, the services finished a year ago, the items declined three months ago), so a scan costs
what is due, never a loop over every vehicle. A reminder already made for a car, kind and date is left out; so is a
car whose customer opted out or has no e-mail address. The car's customer is the customer of its latest order."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models import (
    Appointment,
    BoardColumn,
    Customer,
    DeferredItem,
    Reminder,
    ReminderKind,
    ServicePackage,
    Vehicle,
    WorkOrder,
    WorkOrderPackage,
)
from services.clock import SHOP_ZONE, shop_day
from services.vehicles import months_later

APK2_DAYS = 21  # the second APK reminder: three weeks before the APK expires
SERVICE_MONTHS = 12  # `onderhoud`: a year after the last finished service
DEFERRED_MONTHS = 3  # `uitgesteld`: three months after the customer declined the work
LATE_DAYS = 30  # a service or declined-work reminder that fell due longer ago (a server that was off) is not sent
FRESH_DAYS = 7  # an APK reminder waits for RDW data this recent (services.reminders.refresh asks for it first)
CHUNK = 500  # plates per IN (...) list


@dataclass(frozen=True)
class Due:
    """A reminder to make: the car, the kind, the date it is about, and for `uitgesteld` what was declined."""

    kind: ReminderKind
    plate: str
    due_on: date
    labels: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Owner:
    """Who gets a car's reminders: the customer of its latest order, where the e-mail hangs."""

    work_order_id: int
    customer_id: int


def _midnight(day: date) -> datetime:
    """The start of a shop's day, in UTC as the tables store it."""
    return datetime.combine(day, time(), SHOP_ZONE).astimezone(UTC)


def _reminded(kind: ReminderKind, plate: Any, due_on: Any) -> ColumnElement[bool]:
    return exists().where(col(Reminder.license_plate) == plate, col(Reminder.kind) == kind.value,
                          col(Reminder.due_on) == due_on)  # fmt: skip


def fresh_enough(now: datetime) -> ColumnElement[bool]:
    """The car's RDW data was asked for recently: an APK renewed elsewhere shows as a later expiry."""
    return col(Vehicle.rdw_checked_at) >= now - timedelta(days=FRESH_DAYS)


def _apk(session: Session, today: date, weeks: int, fresh: Sequence[ColumnElement[bool]]) -> list[Due]:
    """`apk` while the APK expires in 22 days to `weeks` weeks; `apk2` in its last 21 days, once an `apk` went and
    no appointment was made for the car since."""
    plate, expiry = col(Vehicle.license_plate), col(Vehicle.apk_expiry)
    first_window = expiry.between(today + timedelta(days=APK2_DAYS + 1), today + timedelta(weeks=weeks))
    first = select(plate, expiry).where(first_window, ~_reminded(ReminderKind.APK, plate, expiry), *fresh)
    earlier = aliased(Reminder)
    booked_since = exists().where(
        col(Appointment.work_order_id) == col(WorkOrder.id), col(WorkOrder.license_plate) == col(earlier.license_plate),
        col(Appointment.created_at) >= col(earlier.created_at),
    )  # fmt: skip
    reminded_unbooked = exists().where(
        col(earlier.license_plate) == plate, col(earlier.kind) == ReminderKind.APK.value,
        col(earlier.due_on) == expiry, ~booked_since,
    )  # fmt: skip
    second_window = expiry.between(today + timedelta(days=1), today + timedelta(days=APK2_DAYS))
    second = select(plate, expiry).where(
        second_window, reminded_unbooked, ~_reminded(ReminderKind.APK2, plate, expiry), *fresh
    )
    found = [(ReminderKind.APK, row) for row in session.exec(first)] + [
        (ReminderKind.APK2, row) for row in session.exec(second)
    ]
    return [Due(kind, plate, expiry) for kind, (plate, expiry) in found if expiry is not None]


def _in_range(due_on: date, today: date) -> bool:
    return today - timedelta(days=LATE_DAYS) <= due_on <= today


def _around(today: date, months: int) -> tuple[datetime, datetime]:
    """The moments whose day, `months` later, may fall within the last LATE_DAYS: a day's margin either side for
    the months' lengths; _in_range decides exactly."""
    back = months_later(today, -months)
    return _midnight(back - timedelta(days=LATE_DAYS + 2)), _midnight(back + timedelta(days=2))


def _services(session: Session, today: date) -> list[Due]:
    """`onderhoud`: the car's last order with a maintenance package was finished a year ago, and no later one
    (finished or still open) has one."""
    since, until = _around(today, SERVICE_MONTHS)
    later, later_package, later_kind = aliased(WorkOrder), aliased(WorkOrderPackage), aliased(ServicePackage)
    done = BoardColumn.AFGEROND.value
    serviced_later = (
        exists()
        .where(col(later_package.work_order_id) == col(later.id), col(later_kind.id) == col(later_package.package_id))
        .where(col(later_kind.kind) == "onderhoud", col(later.license_plate) == col(WorkOrder.license_plate))
        .where(col(later.id) != col(WorkOrder.id))
        .where(or_(col(later.column) != done, col(later.done_at) > col(WorkOrder.done_at)))
    )  # fmt: skip
    rows = session.exec(
        select(WorkOrder.license_plate, WorkOrder.done_at)
        .join(WorkOrderPackage, col(WorkOrderPackage.work_order_id) == col(WorkOrder.id))
        .join(ServicePackage, col(ServicePackage.id) == col(WorkOrderPackage.package_id))
        .where(col(WorkOrder.column) == done, col(WorkOrder.done_at) >= since, col(WorkOrder.done_at) < until)
        .where(col(ServicePackage.kind) == "onderhoud", ~serviced_later)
    )
    found = {Due(ReminderKind.ONDERHOUD, plate, months_later(shop_day(at), SERVICE_MONTHS)) for plate, at in rows if at}
    return [due for due in found if _in_range(due.due_on, today)]


def _declined(session: Session, today: date) -> list[Due]:
    """`uitgesteld`: what a customer declined three months ago, one reminder per car and day naming every item;
    none once the car has been back since (its next order showed the items to the desk)."""
    since, until = _around(today, DEFERRED_MONTHS)
    back_since = exists().where(
        col(WorkOrder.license_plate) == col(DeferredItem.license_plate), col(WorkOrder.created_at) > DeferredItem.since
    )
    rows = session.exec(
        select(DeferredItem.license_plate, DeferredItem.since, DeferredItem.label)
        .where(col(DeferredItem.since) >= since, col(DeferredItem.since) < until, ~back_since)
        .order_by(col(DeferredItem.id))
    )
    labels: dict[tuple[str, date], list[str]] = defaultdict(list)
    for plate, declined_at, label in rows:
        due_on = months_later(shop_day(declined_at), DEFERRED_MONTHS)
        if _in_range(due_on, today) and label not in labels[plate, due_on]:
            labels[plate, due_on].append(label)
    return [Due(ReminderKind.UITGESTELD, plate, due_on, tuple(names)) for (plate, due_on), names in labels.items()]


def _chunks(plates: Iterable[str]) -> Iterable[list[str]]:
    listed = sorted(set(plates))
    for start in range(0, len(listed), CHUNK):
        yield listed[start : start + CHUNK]


def owners(session: Session, plates: Iterable[str]) -> dict[str, Owner]:
    """The customer of each car's latest order, where that customer may be reminded: an e-mail address and no
    opt-out."""
    found: dict[str, Owner] = {}
    for chunk in _chunks(plates):
        latest = (
            select(func.max(WorkOrder.id)).where(col(WorkOrder.license_plate).in_(chunk))
            .group_by(col(WorkOrder.license_plate))
        )  # fmt: skip
        rows = session.exec(
            select(WorkOrder.license_plate, WorkOrder.id, Customer.id)
            .join(Customer, col(Customer.id) == col(WorkOrder.customer_id))
            .where(col(WorkOrder.id).in_(latest.scalar_subquery()))
            .where(col(Customer.email).is_not(None), col(Customer.email) != "")
            .where(col(Customer.reminders_opt_out_at).is_(None))
        )  # fmt: skip
        for plate, work_order_id, customer_id in rows:
            assert work_order_id is not None and customer_id is not None
            found[plate] = Owner(work_order_id, customer_id)
    return found


def _not_made_yet(session: Session, dues: list[Due]) -> list[Due]:
    """Leaves out the service and declined-work reminders already made (the APK query does so itself)."""
    made: set[tuple[str, str, date]] = set()
    for kind in {due.kind for due in dues}:
        for chunk in _chunks(due.plate for due in dues if due.kind == kind):
            rows = session.exec(
                select(col(Reminder.license_plate), col(Reminder.due_on)).where(
                    col(Reminder.kind) == kind.value, col(Reminder.license_plate).in_(chunk)
                )
            )
            made |= {(plate, kind.value, due_on) for plate, due_on in rows}
    return [due for due in dues if (due.plate, due.kind.value, due.due_on) not in made]


def due_reminders(session: Session, today: date, now: datetime, weeks: int, rdw_on: bool) -> list[tuple[Due, Owner]]:
    """Every reminder due on `today` and not made yet, with who gets it. With the RDW lookups on, an APK reminder
    waits for fresh RDW data (`rdw_on` False: the stored expiry is all there is)."""
    fresh = [fresh_enough(now)] if rdw_on else []
    later = _not_made_yet(session, _services(session, today) + _declined(session, today))
    dues = _apk(session, today, weeks, fresh) + later
    reachable = owners(session, (due.plate for due in dues))
    return [(due, reachable[due.plate]) for due in dues if due.plate in reachable]
