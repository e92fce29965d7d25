"""A work order's whole history, read from the event log: who did what and when, one Dutch sentence each.
The log keeps every work-order event for as long as the order exists (retention only bounds stream replay)."""

from datetime import date

from babel.dates import format_date, format_timedelta
from sqlmodel import col, select

from models import STATUS_WORDS, EventKind, RdwStatus, WorkOrderEvent
from models.messages import (
    AppointmentEvent,
    ApprovalEvent,
    ColumnEvent,
    CreatedEvent,
    CustomerEvent,
    DetailsEvent,
    InspectionEvent,
    InvoiceEvent,
    LabourEvent,
    NotificationEvent,
    PartsEvent,
    PaymentEvent,
    SessionEvent,
    StatusEvent,
    VehicleEvent,
    WorkOrderUpdate,
    work_order_updates,
)
from models.public import HistoryEntry
from services.billing import duration, euro
from services.clock import as_utc
from services.db import Database
from services.planning import dutch_moment
from services.plates import format_plate
from services.text import counted
from services.workorders import get_work_order_row

FIELD_WORDS = {"description": "de omschrijving", "mileage": "de kilometerstand", "customerId": "de klant"}


def dutch_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="nl")


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def _vehicle_sentence(event: VehicleEvent) -> str:
    vehicle = event.vehicle
    plate = format_plate(vehicle.license_plate)
    asked = f"{event.actor.name} vroeg de RDW opnieuw naar {plate}: " if event.actor else f"De RDW over {plate}: "
    match vehicle.rdw.status:
        case RdwStatus.OK:
            car = " ".join(part for part in (vehicle.brand, vehicle.model) if part) or "onbekend merk"
            apk = f", APK tot {dutch_date(vehicle.apk_expiry)}" if vehicle.apk_expiry else ""
            return f"{asked}{car}{apk}"
        case RdwStatus.UNKNOWN:
            return f"{asked}kenteken niet gevonden"
        case _:
            return f"{asked}niet bereikbaar, wordt later opnieuw geprobeerd"


PART_VERBS = {"nodig": "wijzigde", "besteld": "bestelde", "ontvangen": "ontving", "gemonteerd": "monteerde"}


def _part_sentence(who: str, event: PartsEvent) -> str:
    return _part_action(who, event) + (": alle onderdelen binnen" if event.all_received else "")


def _part_action(who: str, event: PartsEvent) -> str:
    part = event.part
    what = f"{part.quantity} × {part.description}"
    if event.action == "added":
        return f"{who} vroeg {what} aan"
    if event.action == "removed":
        return f"{who} schrapte {what}"
    if part.status == "retour":
        return f"{who} stuurde {what} retour"
    if event.undone:
        return f"{who} zette {what} terug op besteld"
    sentence = f"{who} {PART_VERBS[part.status]} {what}"
    if part.status == "besteld":
        sentence += f" bij {part.supplier}" if part.supplier else ""
        sentence += f", verwacht {dutch_date(part.expected_at)}" if part.expected_at else ""
    return sentence


def _session_sentence(event: SessionEvent) -> str:
    session = event.session
    mechanic = session.mechanic
    by = "" if event.actor is None or event.actor.name == mechanic else f" (door {event.actor.name})"
    if event.action == "started":
        return f"{mechanic} begon aan de auto{by}"
    worked = format_timedelta(
        as_utc(session.ended_at or session.started_at) - as_utc(session.started_at), locale="nl", threshold=1.5
    )
    if event.action == "corrected":
        who = event.actor.name if event.actor else "Het systeem"
        return f"{who} corrigeerde de tijden van {mechanic}: {worked} gewerkt"
    if event.reason == "auto":
        return f"De klok van {mechanic} stopte vanzelf na {worked} (vergeten te stoppen)"
    if event.reason == "klaar":
        return f"De klok van {mechanic} stopte na {worked}: de auto is klaar"
    return f"{mechanic} stopte na {worked}{by}"


def _labour_sentence(who: str, event: LabourEvent) -> str:
    lines = ", ".join(f"{line.description} ({duration(line.minutes)})" for line in event.lines)
    if event.action == "removed":
        return f"{who} schrapte arbeid: {lines}"
    if event.from_sessions:
        return f"{who} nam de gewerkte uren over: {lines}"
    return f"{who} schreef arbeid bij: {lines}"


def _approval_sentence(who: str, event: ApprovalEvent) -> str:
    approval = event.approval
    amount = euro(approval.approved_total_cents)
    if approval.method == "telefoon":
        note = event.note
        return f"{who} noteerde telefonische toestemming van {approval.signer_name} voor {amount}: {note}"
    if approval.method == "online":
        return f"{approval.signer_name} gaf op de statuspagina toestemming voor {amount}"
    return f"{approval.signer_name} gaf op de iPad toestemming voor {amount}"


GRADE_WORDS = {"groen": "groen", "oranje": "oranje", "rood": "rood", None: "zonder oordeel"}


def _inspection_sentence(who: str, event: InspectionEvent) -> str:
    """ "jan keurde Remmen voor: rood", "Mevr. de Vries keurde 2 van 3 aanbevelingen goed"."""
    item = event.item
    match event.action:
        case "started":
            return f"{who} begon de keuring"
        case "sent":
            return f"{who} verstuurde de keuring naar de klant"
        case "answered":
            total = event.approved + event.declined
            return f"{who} keurde {event.approved} van {total} aanbevelingen goed op de statuspagina"
        case "photo" if item is not None:
            return f"{who} maakte een foto bij {item.label}"
    assert item is not None
    advice = (
        f", advies: {item.recommendation.description} ({euro(item.recommendation.price_cents)})"
        if item.recommendation
        else ""
    )
    return f"{who} keurde {item.label}: {GRADE_WORDS[item.grade]}{advice}"


def _invoice_sentence(who: str, event: InvoiceEvent) -> str:
    invoice = event.invoice
    amount = euro(invoice.totals.including_vat_cents)
    if invoice.kind == "creditnota":
        return f"{who} crediteerde de factuur met creditnota {invoice.number} ({amount})"
    return f"{who} factureerde {amount} incl. btw (factuur {invoice.number})"


def _notification_sentence(event: NotificationEvent) -> str:
    notification = event.notification
    mail = f"E-mail ‘{notification.subject}’ aan {notification.to}"
    match notification.status:
        case "verzonden":
            return f"{mail} verzonden"
        case "uit":
            return f"{mail} niet verzonden: e-mail staat uit"
        case "mislukt":
            return f"{mail} mislukt na {counted(notification.attempts, 'poging', 'pogingen')}: {notification.error}"
    if notification.attempts:
        return f"{mail} niet verzonden (poging {notification.attempts}), wordt opnieuw geprobeerd: {notification.error}"
    return f"{mail} klaargezet" + (f" door {event.actor.name}" if event.actor else "")


PAID_WITH = {"ideal": "met iDEAL", "creditcard": "met een creditcard", "bancontact": "met Bancontact",
             "pin": "met de pin", "contant": "contant", "overboeking": "per overboeking"}  # fmt: skip


def _payment_sentence(who: str, event: PaymentEvent) -> str:
    """ "De klant betaalde € 243,55 met iDEAL (factuur 2026-0001, nu betaald)"."""
    invoice = event.invoice
    who = "De klant" if event.actor is None else who  # the status page's "Betalen", Mollie's webhook
    if event.payment is None:
        return f"{who} maakte een betaallink voor factuur {invoice.number} ({euro(invoice.open_cents)})"
    paid = f"{euro(event.payment.amount_cents)} {PAID_WITH[event.payment.method]}"
    state = "nu betaald" if invoice.status == "betaald" else f"nog {euro(invoice.open_cents)} open"
    return f"{who} betaalde {paid} (factuur {invoice.number}, {state})"


def _appointment_sentence(who: str, event: AppointmentEvent) -> str:
    """ "balie plande de auto in op di 8 dec 09:00 bij jan"."""
    appointment = event.appointment
    when = dutch_moment(appointment.start)
    if event.action == "cancelled":
        return f"{who} annuleerde de afspraak van {when}"
    verb = "plande de auto in op" if event.action == "planned" else "verplaatste de afspraak naar"
    mechanic = f" bij {appointment.mechanic}" if appointment.mechanic else ""
    promised = f" (ophalen {dutch_moment(appointment.promised_at)})" if appointment.promised_at else ""
    return f"{who} {verb} {when}{mechanic}{promised}"


def summary(event: WorkOrderUpdate) -> str:
    """One Dutch sentence: "jan verplaatste de auto naar Klaar"."""
    who = event.actor.name if event.actor else "Het systeem"
    match event:
        case CreatedEvent():
            order = event.work_order
            plate = format_plate(order.license_plate)
            return f"{who} maakte werkorder {order.number} aan voor {order.customer_name} ({plate})"
        case ColumnEvent():
            bare = ", zonder factuur" if event.without_invoice else ""
            return f"{who} verplaatste de auto naar {event.column.value}{bare}"
        case StatusEvent():
            return f"De status is nu {STATUS_WORDS[event.status].capitalize()}"
        case SessionEvent():
            return _session_sentence(event)
        case DetailsEvent():
            return f"{who} wijzigde {_joined([FIELD_WORDS[name] for name in event.fields])}"
        case CustomerEvent():
            return f"{who} wijzigde de gegevens van klant {event.customer.name}"
        case VehicleEvent():
            return _vehicle_sentence(event)
        case PartsEvent():
            return _part_sentence(who, event)
        case LabourEvent():
            return _labour_sentence(who, event)
        case ApprovalEvent():
            return _approval_sentence(who, event)
        case InvoiceEvent():
            return _invoice_sentence(who, event)
        case NotificationEvent():
            return _notification_sentence(event)
        case AppointmentEvent():
            return _appointment_sentence(who, event)
        case InspectionEvent():
            return _inspection_sentence(who, event)
        case PaymentEvent():
            return _payment_sentence(who, event)
    raise AssertionError(f"no sentence for {event.change_type}")


_LEFT_OUT = {"type", "work_order_id", "work_order"}


def history_entry(event_id: int, event: WorkOrderUpdate) -> HistoryEntry:
    fields = event.model_dump(mode="json", by_alias=True, exclude=_LEFT_OUT)
    return HistoryEntry.model_validate({**fields, "id": event_id, "summary": summary(event)})


def work_order_history(db: Database, work_order_id: int) -> list[HistoryEntry]:
    with db.read() as session:
        get_work_order_row(session, work_order_id)
        rows = session.exec(
            select(WorkOrderEvent.id, WorkOrderEvent.data)
            .where(WorkOrderEvent.work_order_id == work_order_id, WorkOrderEvent.kind == EventKind.WORKORDER_UPDATE)
            .order_by(col(WorkOrderEvent.id))
        ).all()
    return [history_entry(event_id, work_order_updates.validate_json(data)) for event_id, data in rows if event_id]
