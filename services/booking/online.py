"""A customer books online: the packages and a free start, the customer found by e-mail (or a known one, as a
reminder's page knows them) or made, the car by its plate. One transaction makes the work order in Gepland, adds
the packages, plans it in and queues the confirmation `afspraak`; whether the start is still free is decided inside
it, under the writer lock, so of two phones that want the last slot exactly one gets it and the other is offered the
next free start. The customer's own page (the booking's token) shows it and cancels it."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_datetime
from sqlalchemy import func
from sqlmodel import Session, col, select

from models import Appointment, BoardColumn, Customer, NotificationKind, Vehicle, WorkOrder, WorkOrderPackage
from models.booking_public import BookingConfirmed, BookingCreate, BookingView
from models.planning_public import AppointmentSet
from models.public import Actor
from services.booking.offer import booked_minutes, chosen_packages
from services.clock import SHOP_ZONE, as_utc, utcnow
from services.customer_status import car_text
from services.customers import clean_email, clean_phone, get_customer_row, new_customer
from services.db import Database
from services.errors import Conflict, NotFound, clean_fields
from services.events import Mutation, mutation
from services.outbox import queue_notification
from services.packages import add_package_in
from services.planning import cancel_in, dutch_moment, free_slots, mechanic_free_at, plan_in, shop_time
from services.plates import format_plate, normalize_plate
from services.text import clean_line
from services.tokens import by_token
from services.workorders import open_work_order

ONLINE = "Online afspraak"


class SlotTaken(Conflict):
    """The start is no longer free; `extra["nextStart"]` offers the first free one after it (or null)."""

    def __init__(self, start: datetime, next_start: datetime | None) -> None:
        super().__init__(f"{dutch_moment(start)} is net door iemand anders geboekt; kies een andere tijd")
        self.next_start = next_start


@dataclass(frozen=True)
class Booking:
    """What a booking asks for, checked. `customer_id` set: a known customer (a reminder's page) and the name,
    e-mail and phone are only what the page showed; None: found by e-mail, or made."""

    license_plate: str
    package_ids: list[int]
    start: datetime
    name: str
    email: str
    phone: str | None
    customer_id: int | None = None


def _required_email(raw: str | None) -> str:
    """The confirmation goes there, so a booking needs one."""
    return clean_email(raw) or clean_line(None, "E-mailadres", 254)


_FIELDS: dict[str, Callable[[str | None], str | None]] = {
    "license_plate": lambda raw: normalize_plate(raw or ""),
    "name": lambda raw: clean_line(raw, "Naam", 200),
    "email": _required_email,
    "phone": clean_phone,
}


def checked_booking(body: BookingCreate) -> Booking:
    """The request's fields, each bad one named at once (422)."""
    raw = {"license_plate": body.license_plate, "name": body.name, "email": body.email, "phone": body.phone}
    cleaned = clean_fields(_FIELDS, raw)
    return Booking(
        license_plate=str(cleaned["license_plate"]), package_ids=list(body.package_ids), start=shop_time(body.start),
        name=str(cleaned["name"]), email=str(cleaned["email"]), phone=cleaned["phone"],
    )  # fmt: skip


def _customer(session: Session, booking: Booking) -> Customer:
    """The known customer, else the oldest with this e-mail address, else a new one. A found customer's details
    are left as they are: a stranger's form never changes them."""
    if booking.customer_id is not None:
        return get_customer_row(session, booking.customer_id)
    found = session.exec(
        select(Customer).where(func.lower(Customer.email) == booking.email.lower()).order_by(col(Customer.id)).limit(1)
    ).first()
    if found is not None:
        return found
    customer = new_customer(session, {"name": booking.name, "email": booking.email, "phone": booking.phone})
    session.flush()
    return customer


def _description(booking: Booking, names: list[str]) -> str:
    """What the desk reads on the card: the packages, and who booked as they typed it."""
    who = ", ".join(part for part in (booking.name, booking.email, booking.phone) if part)
    return f"{ONLINE}: {', '.join(names)}\nGeboekt door {who}"


def _book_in(change: Mutation, booking: Booking) -> BookingConfirmed:
    session = change.session
    packages = chosen_packages(session, booking.package_ids)
    minutes = booked_minutes(packages)
    mechanic = None if booking.start < utcnow() else mechanic_free_at(session, booking.start, minutes)
    if mechanic is None:
        raise SlotTaken(booking.start, None)
    customer = _customer(session, booking)
    change.actor = Actor(name=booking.name, role="klant")
    description = _description(booking, [p.name for p in packages])
    work_order, _ = open_work_order(
        change, customer, booking.license_plate, description, booking_token=secrets.token_urlsafe(24)
    )
    for package in packages:
        assert package.id is not None
        add_package_in(change, work_order, package.id)
    assert work_order.id is not None
    plan_in(change, work_order.id, AppointmentSet(start=booking.start, minutes=minutes, mechanic=mechanic))
    queue_notification(change, work_order, NotificationKind.AFSPRAAK)
    return BookingConfirmed(number=work_order.number, start=booking.start)


def book_online(db: Database, booking: Booking) -> BookingConfirmed:
    """Make the booking, or refuse it whole: SlotTaken (409) with the next free start when the start was taken
    meanwhile (or has passed); Invalid (422) for packages that are not on offer."""
    try:
        with mutation(db, None) as change:
            return _book_in(change, booking)
    except SlotTaken:
        with db.read() as session:
            minutes = booked_minutes(chosen_packages(session, booking.package_ids))
        later = free_slots(db, minutes, max(as_utc(booking.start), utcnow()), 1)
        raise SlotTaken(booking.start, later[0].start if later else None) from None


def _by_token(session: Session, token: str) -> WorkOrder | None:
    """The order a booking token belongs to."""
    return by_token(session, WorkOrder, "booking_token", token)


def spoken_moment(moment: datetime) -> str:
    """ "donderdag 17 december om 13:00", in the shop's time: as a customer reads it."""
    return format_datetime(as_utc(moment).astimezone(SHOP_ZONE), "EEEE d MMMM 'om' HH:mm", locale="nl")


def booking_view(session: Session, work_order: WorkOrder) -> BookingView:
    appointment = session.get(Appointment, work_order.id)
    names = session.exec(
        select(WorkOrderPackage.name).where(WorkOrderPackage.work_order_id == work_order.id).order_by(
            col(WorkOrderPackage.id))
    ).all()  # fmt: skip
    start = None if appointment is None else as_utc(appointment.start)
    return BookingView(
        number=work_order.number, license_plate=format_plate(work_order.license_plate),
        car=car_text(session.get(Vehicle, work_order.license_plate)), packages=list(names), start=start,
        start_text=None if start is None else spoken_moment(start),
    )  # fmt: skip


def find_booking(db: Database, token: str) -> BookingView | None:
    """What the customer's own page of a booking shows, or None for an unknown token."""
    with db.read() as session:
        work_order = _by_token(session, token)
        return None if work_order is None else booking_view(session, work_order)


def cancel_booking(db: Database, token: str) -> BookingView:
    """The customer cancels from their booking's page: the appointment goes (`appointment`, "cancelled", by the
    customer); the order stays in Gepland, unplanned, for the desk. 404 for an unknown token, 409 once cancelled
    or once the car is in the shop."""
    with mutation(db, None) as change:
        work_order = _by_token(change.session, token)
        if work_order is None:
            raise NotFound("Deze afspraak bestaat niet")
        if change.session.get(Appointment, work_order.id) is None:
            raise Conflict("Deze afspraak is al geannuleerd")
        if work_order.column != BoardColumn.GEPLAND.value:
            raise Conflict("Uw auto is al bij ons binnen; bel ons om de afspraak te wijzigen")
        customer = get_customer_row(change.session, work_order.customer_id)
        change.actor = Actor(name=customer.name, role="klant")
        assert work_order.id is not None
        cancel_in(change, work_order.id)
        return booking_view(change.session, work_order)
