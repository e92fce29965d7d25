"""The customer's own status page: found by its token alone (no login), and shown through CustomerStatus only,
built from the work order JSON with everything staff-only left behind. The same builder serves the page and each
message of its stream: from the stream's lean order, or, once the inspection is sent and its items are shown, from
the complete order read again."""

from datetime import datetime
from weakref import WeakKeyDictionary

from anyio import to_thread
from babel.dates import format_date, format_datetime
from sqlmodel import Session
from sse_starlette import ServerSentEvent

from models import BoardColumn, InvoiceKind, PartStatus, Vehicle, WorkOrder
from models.customer_status import (
    CustomerAppointment,
    CustomerEstimate,
    CustomerInspection,
    CustomerInspectionItem,
    CustomerInvoice,
    CustomerPhoto,
    CustomerRecommendation,
    CustomerStatus,
    Garage,
    Stage,
)
from models.public import InspectionPublic, VehiclePublic, WorkOrderBase
from services.billing import PRICE_FOLLOWS, counted, euro, unpriced_parts
from services.broadcaster import LogEvent
from services.clock import SHOP_ZONE, as_utc
from services.customers import tel_uri
from services.db import Database
from services.invoicing.pdf import render_invoice
from services.packages import excluding_vat
from services.plates import format_plate
from services.shop import get_shop_settings
from services.tokens import by_token
from services.views import current_invoice, invoice_document, work_order_public
from services.workorders import get_work_order

STAGES: dict[BoardColumn, tuple[Stage, str]] = {
    BoardColumn.GEPLAND: ("gepland", "Uw auto staat gepland"),
    BoardColumn.AUTO_BINNEN: ("binnen", "Uw auto is binnen"),
    BoardColumn.ONDER_HANDEN: ("in-uitvoering", "We werken aan uw auto"),
    BoardColumn.WACHT_OP_ONDERDELEN: ("wacht-op-onderdelen", "Wacht op onderdelen"),
    BoardColumn.KLAAR: ("klaar", "Klaar om op te halen"),
    BoardColumn.AFGEROND: ("afgerond", "Afgerond: bedankt voor uw bezoek"),
}


def _word(word: str) -> str:
    return word if len(word) <= 3 else word.capitalize()  # the RDW writes TOYOTA YARIS; BMW stays BMW


def car_text(vehicle: Vehicle | VehiclePublic | None) -> str | None:
    """ "Toyota Yaris, blauw" from the RDW's capitals; None before it answered."""
    if vehicle is None or not (vehicle.brand or vehicle.model):
        return None
    brand, model = vehicle.brand or "", vehicle.model or ""
    name = model if brand and model.upper().startswith(brand.upper()) else f"{brand} {model}"
    words = " ".join(_word(word) for word in name.split())
    return f"{words}, {vehicle.color.lower()}" if vehicle.color else words


def _estimate(order: WorkOrderBase) -> CustomerEstimate | None:
    """The price waiting for the customer's approval: before the first, and again past +10 %. Parts without a price
    yet are said apart ("prijs volgt"), never counted as € 0,00."""
    total = order.totals.including_vat_cents
    if not order.needs_approval or not total:
        return None
    unpriced = len(unpriced_parts(order.parts))
    return CustomerEstimate(
        including_vat_cents=total,
        total_text=euro(total),
        unpriced_text=f"Plus {counted(unpriced, 'onderdeel', 'onderdelen')}: {PRICE_FOLLOWS}" if unpriced else None,
    )


def _invoice(order: WorkOrderBase) -> CustomerInvoice | None:
    """The current invoice, its PDF behind the customer's own token."""
    invoice = order.invoice
    if invoice is None or invoice.kind != InvoiceKind.FACTUUR:
        return None
    total = invoice.totals.including_vat_cents
    return CustomerInvoice(
        number=invoice.number,
        including_vat_cents=total,
        total_text=euro(total),
        pdf_url=f"{order.status_url}/factuur.pdf",
        paid=invoice.status == "betaald",
        open_text=euro(invoice.open_cents),
    )


def shows_inspection(order: WorkOrderBase) -> bool:
    """The customer sees the inspection's items once it is sent: the page is built from the complete order then."""
    return order.inspection is not None and order.inspection.status != "open"


def _inspection(order: WorkOrderBase) -> CustomerInspection | None:
    """The inspection as the customer sees it, once sent; photos behind the customer's own token."""
    inspection = order.inspection
    if inspection is None or inspection.status == "open":
        return None
    if not isinstance(inspection, InspectionPublic):
        raise TypeError("the inspection's items are on the complete order (WorkOrderPublic), not the stream's")
    items = []
    for item in inspection.items:
        advice = item.recommendation
        items.append(
            CustomerInspectionItem(
                id=item.id,
                label=item.label,
                grade=item.grade,
                note=item.note,
                photos=[
                    CustomerPhoto(
                        thumbnail_url=f"{order.status_url}/photos/{photo.id}?size=klein",
                        url=f"{order.status_url}/photos/{photo.id}",
                    )
                    for photo in item.photos
                ],
                recommendation=None
                if advice is None
                else CustomerRecommendation(
                    description=advice.description,
                    price_cents=advice.price_cents,
                    price_text=euro(advice.price_cents),
                    excluding_vat_cents=excluding_vat(advice.price_cents),
                ),
                decision=item.decision,
            )
        )
    return CustomerInspection(
        status=inspection.status, items=items, excluding_vat_cents=order.totals.excluding_vat_cents
    )


def _appointment(order: WorkOrderBase, stage: Stage) -> CustomerAppointment | None:
    """The day and time the car is expected (until it is in), and the pick-up time the desk promised (until it is
    picked up)."""
    appointment = order.appointment
    if appointment is None or stage == "afgerond":
        return None
    promised = appointment.promised_at
    promised_text = None if promised is None else f"U kunt uw auto ophalen op {_spoken(promised, 'vanaf')}"
    return CustomerAppointment(
        start=appointment.start, start_text=_spoken(appointment.start, "om"), promised_at=promised,
        promised_text=promised_text,
    )  # fmt: skip


def _spoken(moment: datetime, joint: str) -> str:
    """maandag 7 december om 08:00, in the shop's time."""
    return format_datetime(as_utc(moment).astimezone(SHOP_ZONE), f"EEEE d MMMM '{joint}' HH:mm", locale="nl")


def customer_status(order: WorkOrderBase) -> CustomerStatus:
    """What the customer may see of an order: the stream's lean one will do unless `shows_inspection`."""
    stage, text = STAGES[BoardColumn(order.column)]
    awaited = [part.expected_at for part in order.parts if part.status == PartStatus.BESTELD and part.expected_at]
    expected = max(awaited) if awaited else None
    if stage == "wacht-op-onderdelen" and expected is not None:
        text = f"{text}, verwacht {format_date(expected, 'd MMMM', locale='nl')}"
    return CustomerStatus(
        number=order.number,
        stage=stage,
        stage_text=text,
        license_plate=format_plate(order.license_plate),
        car=car_text(order.vehicle),
        parts_expected_at=expected,
        estimate=_estimate(order),
        invoice=_invoice(order),
        inspection=_inspection(order),
        appointment=_appointment(order, stage),
    )


def garage_contact(db: Database) -> Garage | None:
    """The shop as its customers see it on their status page; None while nothing of it is filled in."""
    shop = get_shop_settings(db)
    town = " ".join(part for part in (shop.postal_code, shop.city) if part) or None
    phone_uri = tel_uri(shop.phone) if shop.phone else None
    garage = Garage(
        name=shop.name, street=shop.street, town=town, phone=shop.phone, phone_uri=phone_uri, email=shop.email,
        opening_hours=shop.opening_hours, iban=shop.iban,
    )  # fmt: skip
    return garage if any(garage.model_dump().values()) else None


def work_order_by_token(session: Session, token: str) -> WorkOrder | None:
    """The order a status token belongs to. A known and an unknown token take the same path: one indexed read,
    then a constant-time comparison."""
    return by_token(session, WorkOrder, "status_token", token)


def find_status(db: Database, token: str) -> tuple[int, CustomerStatus] | None:
    """(work order id, what its page shows) for a token, or None."""
    with db.read() as session:
        work_order = work_order_by_token(session, token)
        if work_order is None:
            return None
        assert work_order.id is not None
        return work_order.id, customer_status(work_order_public(session, work_order))


def encode_status(status: CustomerStatus) -> bytes:
    """One unnamed SSE message: the whole status, so a page (re)connecting needs nothing else."""
    return ServerSentEvent(status.model_dump_json(by_alias=True)).encode()


_encoded: WeakKeyDictionary[LogEvent, bytes] = WeakKeyDictionary()


def status_message(event: LogEvent) -> bytes | None:
    """The status message an event of the order makes, built once per event however many pages watch it; None
    when it needs the complete order (`read_status_message`)."""
    if (message := _encoded.get(event)) is None:
        update = event.update
        assert update is not None
        if shows_inspection(update.work_order):
            return None
        message = _encoded[event] = encode_status(customer_status(update.work_order))
    return message


async def read_status_message(db: Database, event: LogEvent) -> bytes:
    """The status message of an event whose page shows the inspection's items: the complete order is read once
    (off the event loop) for the event, as it is after that commit or later."""
    if (message := _encoded.get(event)) is None:
        update = event.update
        assert update is not None
        complete = await to_thread.run_sync(get_work_order, db, update.work_order_id)
        message = _encoded[event] = encode_status(customer_status(complete))
    return message


def customer_invoice_pdf(db: Database, token: str) -> tuple[str, bytes] | None:
    """(number, PDF) of the current invoice of the order whose token this is, or None (no such order, or not
    invoiced; a credit note is not the customer's invoice)."""
    with db.read() as session:
        work_order = work_order_by_token(session, token)
        invoice = None if work_order is None else current_invoice(session, work_order.id)
        if invoice is None or invoice.kind != InvoiceKind.FACTUUR:
            return None
        return invoice.number, render_invoice(invoice, invoice_document(invoice))
