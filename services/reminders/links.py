"""What a reminder's token opens: the e-mail's words and links, the booking page that knows the customer and the
car (/afspraak/{token}: two taps, a start and "Afspraak maken"), and the opt-out (/afmelden/{token}), recorded with
its moment for the AVG."""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date
from sqlmodel import Session, col, select

from models import Customer, NotificationKind, Reminder, ServicePackage, Vehicle, WorkOrder, WorkOrderPackage
from models.booking_public import BookingCreate
from models.public import Actor
from services.booking import Booking
from services.clock import shop_day
from services.customer_status import car_text
from services.customers import get_customer_row, set_reminders_opt_out, tell_customer_changed
from services.db import Database
from services.errors import Invalid, NotFound
from services.events import mutation
from services.planning import shop_time
from services.plates import format_plate
from services.tokens import by_token

REMINDER_KINDS = frozenset(
    {NotificationKind.APK, NotificationKind.APK2, NotificationKind.ONDERHOUD, NotificationKind.UITGESTELD}
)
PACKAGE_KIND = {"apk": "apk", "apk2": "apk", "onderhoud": "onderhoud"}  # what a reminder books; `uitgesteld`: a choice
UNKNOWN_LINK = "Deze link is niet (meer) geldig; maak een afspraak via /afspraak"


def _day(day: date) -> str:
    return format_date(day, "d MMMM yyyy", locale="nl")


def book_path(token: str) -> str:
    return f"/afspraak/{token}"


def opt_out_path(token: str) -> str:
    return f"/afmelden/{token}"


def letter_context(session: Session, reminder_id: int, public_url: str) -> dict[str, Any]:
    """What the templates `apk`, `apk2`, `onderhoud` and `uitgesteld` say beyond every e-mail's own fields."""
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise LookupError(f"herinnering {reminder_id} bestaat niet")
    return {
        "due_text": _day(reminder.due_on),
        "items": json.loads(reminder.items),
        "book_url": f"{public_url}{book_path(reminder.token)}",
        "opt_out_url": f"{public_url}{opt_out_path(reminder.token)}",
    }


def unsubscribe_headers(opt_out_url: str) -> dict[str, str]:
    """RFC 8058: a mail client's own "Afmelden" button posts to the opt-out link, one click."""
    return {"List-Unsubscribe": f"<{opt_out_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@dataclass(frozen=True)
class ReminderOffer:
    """What /afspraak/{token} knows: the customer's name, the car, and the packages the reminder is about."""

    kind: str
    customer_name: str
    license_plate: str
    car: str | None
    package_ids: list[int]


def _suggested(session: Session, reminder: Reminder) -> list[int]:
    """The package a reminder books: the active APK package, or the maintenance package the car had last (else
    the first active one); nothing for declined work, which the customer picks."""
    kind = PACKAGE_KIND.get(reminder.kind)
    if kind is None:
        return []
    active = select(ServicePackage.id).where(col(ServicePackage.active), col(ServicePackage.kind) == kind)
    last = session.exec(
        active.join(WorkOrderPackage, col(WorkOrderPackage.package_id) == col(ServicePackage.id))
        .join(WorkOrder, col(WorkOrder.id) == col(WorkOrderPackage.work_order_id))
        .where(col(WorkOrder.license_plate) == reminder.license_plate)
        .order_by(col(WorkOrder.id).desc())
        .limit(1)
    ).first()
    found = last or session.exec(active.order_by(col(ServicePackage.id)).limit(1)).first()
    return [] if found is None else [found]


def reminder_offer(db: Database, token: str) -> ReminderOffer | None:
    """The booking page of a reminder's link, or None for an unknown token."""
    with db.read() as session:
        reminder = by_token(session, Reminder, "token", token)
        if reminder is None:
            return None
        customer = get_customer_row(session, reminder.customer_id)
        return ReminderOffer(
            kind=reminder.kind, customer_name=customer.name, license_plate=format_plate(reminder.license_plate),
            car=car_text(session.get(Vehicle, reminder.license_plate)), package_ids=_suggested(session, reminder),
        )  # fmt: skip


def reminder_booking(db: Database, body: BookingCreate) -> Booking:
    """A booking from a reminder's link: for its customer and car, whatever the body says of them (the page
    sends neither); an unknown token is a 422 at `token`."""
    assert body.token is not None
    with db.read() as session:
        reminder = by_token(session, Reminder, "token", body.token)
        if reminder is None:
            raise Invalid(UNKNOWN_LINK, "token")
        customer = get_customer_row(session, reminder.customer_id)
        return Booking(
            license_plate=reminder.license_plate, package_ids=list(body.package_ids), start=shop_time(body.start),
            name=customer.name, email=customer.email or "", phone=customer.phone, customer_id=customer.id,
        )  # fmt: skip


@dataclass(frozen=True)
class OptOut:
    """The opt-out page: whose reminders, and since when they are off (None: still on)."""

    customer_name: str
    since: str | None


def _opt_out_view(customer: Customer) -> OptOut:
    since = customer.reminders_opt_out_at
    return OptOut(customer.name, None if since is None else format_date(shop_day(since), "d MMMM yyyy", locale="nl"))


def opt_out_state(db: Database, token: str) -> OptOut | None:
    """What the opt-out page shows before the customer presses the button; None for an unknown token."""
    with db.read() as session:
        reminder = by_token(session, Reminder, "token", token)
        return None if reminder is None else _opt_out_view(get_customer_row(session, reminder.customer_id))


def opt_out(db: Database, token: str) -> OptOut:
    """The customer opts out of every reminder: recorded with its moment, once (a second press changes nothing);
    every open order of the customer hears of it (`customer`). 404 for an unknown token."""
    with mutation(db, None) as change:
        reminder = by_token(change.session, Reminder, "token", token)
        if reminder is None:
            raise NotFound(UNKNOWN_LINK)
        customer = get_customer_row(change.session, reminder.customer_id)
        if set_reminders_opt_out(customer, True):
            change.actor = Actor(name=customer.name, role="klant")
            tell_customer_changed(change, customer)
        return _opt_out_view(customer)
