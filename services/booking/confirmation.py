"""The confirmation e-mail `afspraak` of an online booking: when, what, where, the link to the booking's own page
(to cancel it) and an iCalendar file (`icalendar`) for the customer's agenda, in the shop's time zone with its
VTIMEZONE so every calendar shows the same hour. Made when the e-mail is sent, from the booking as it is then."""

from datetime import timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlmodel import Session

from models import Appointment, WorkOrder
from services.booking.online import booking_view, spoken_moment
from services.clock import SHOP_ZONE, as_utc, utcnow
from services.mail import Attachment, public_host
from services.shop import shop_settings_row


def manage_path(work_order: WorkOrder) -> str:
    """The booking's own page, where the customer sees and cancels it."""
    return f"/afspraak/beheer/{work_order.booking_token}"


def _appointment(session: Session, work_order: WorkOrder) -> Appointment:
    appointment = session.get(Appointment, work_order.id)
    if appointment is None:  # cancelled before its confirmation went out: a failed try, kept with this reason
        raise LookupError(f"de afspraak van werkorder {work_order.number} is intussen geannuleerd")
    return appointment


def _garage(session: Session) -> tuple[str, str | None]:
    shop = shop_settings_row(session)
    town = " ".join(part for part in (shop.postal_code, shop.city) if part)
    address = ", ".join(part for part in (shop.street, town) if part) or None
    return shop.name or "de werkplaats", address


def confirmation_context(session: Session, work_order: WorkOrder, public_url: str) -> dict[str, Any]:
    """What the templates `afspraak.html` and `afspraak.txt` say beyond every e-mail's own fields."""
    appointment = _appointment(session, work_order)
    name, address = _garage(session)
    return {
        "start_text": spoken_moment(appointment.start),
        "packages": booking_view(session, work_order).packages,
        "garage": name,
        "address": address,
        "manage_url": f"{public_url}{manage_path(work_order)}",
    }


def calendar_file(session: Session, work_order: WorkOrder, public_url: str) -> Attachment:
    """`afspraak.ics`: one event from the start for the booked minutes, with the link to cancel it."""
    appointment = _appointment(session, work_order)
    name, address = _garage(session)
    start = as_utc(appointment.start).astimezone(SHOP_ZONE)
    manage_url = f"{public_url}{manage_path(work_order)}"
    packages = ", ".join(booking_view(session, work_order).packages)
    event = Event()
    event.add("uid", f"werkorder-{work_order.id}@{public_host(public_url)}")  # the same on a resend: one agenda item
    event.add("dtstamp", utcnow())
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=appointment.minutes))
    event.add("summary", f"Afspraak {name}: {packages}")
    if address:
        event.add("location", address)
    event.add("description", f"Werkorder {work_order.number}. Annuleren: {manage_url}")
    event.add("url", manage_url)
    calendar = Calendar()
    calendar.add("prodid", "-//Werkplaats//Afspraak//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return Attachment("afspraak.ics", "text/calendar", calendar.to_ical())
