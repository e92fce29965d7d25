"""Invoices and credit notes. A number is YYYY-NNNN, the next of its year from a counter row advanced inside the
invoicing transaction (which holds the database-wide writer lock on PostgreSQL), so numbers have no gap and no
duplicate however many processes invoice at once. An invoice copies its lines, totals, the shop and the customer
when it is issued and never changes; a credit note cancels it (negated lines, its own number), after which the
order can be invoiced again (the credited invoice is then `gecrediteerd`: settled). While an order has a current
invoice its parts, labour and hours are fixed. Payments: services.invoicing.payments."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple, TypedDict

from sqlmodel import Session, col, select

from models import (
    BoardColumn,
    Customer,
    Invoice,
    InvoiceCounter,
    InvoiceCustomer,
    InvoiceDocument,
    InvoiceKind,
    InvoiceStatus,
    LabourLine,
    NotificationKind,
    Part,
    WorkOrder,
    WorkOrderEvent,
    WorkSession,
)
from models.messages import ColumnEvent, InvoiceChanged, work_order_updates
from models.public import InvoiceLine, InvoicePublic, ShopSettingsPublic, Totals
from services.approvals import approval_needed, lines_of
from services.auth import Principal
from services.billing import bill_lines, duration, euro, order_totals, unpriced_parts, unpriced_text
from services.clock import shop_day, utcnow
from services.clocked import unbilled_minutes
from services.db import Database
from services.errors import Conflict, NotFound
from services.events import Mutation, mutation
from services.invoicing.pdf import render_invoice
from services.invoicing.ubl import ubl_file
from services.invoicing.views import settlement_of
from services.mail import Attachment
from services.outbox import queue_notification
from services.shop import complete_settings
from services.views import current_invoice, invoice_document, invoice_public, latest_approval
from services.workorders import get_work_order_row

INVOICEABLE = {BoardColumn.KLAAR.value, BoardColumn.AFGEROND.value}


def refuse_if_invoiced(session: Session, work_order: WorkOrder) -> None:
    """Parts, labour and hours of an invoiced order are what the invoice says: change them after a credit note."""
    invoice = current_invoice(session, work_order.id)
    if invoice is not None:
        raise Conflict(f"Werkorder {work_order.number} is gefactureerd ({invoice.number}); crediteer de factuur eerst")


class _Number(TypedDict):
    number: str
    year: int
    sequence: int


def _numbered(session: Session, year: int) -> _Number:
    """The next number of the year: number, year and sequence of a new Invoice."""
    counter = session.get(InvoiceCounter, year) or InvoiceCounter(year=year, last=0)
    counter.last += 1
    session.add(counter)
    session.flush()
    return {"number": _number(year, counter.last), "year": year, "sequence": counter.last}


def _number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:04d}"


def _delivered_on(session: Session, work_order: WorkOrder, issued: date) -> date:
    """The day the car last entered Klaar (the work was delivered), as the log records it; else the invoice day."""
    rows = session.exec(
        select(WorkOrderEvent.data)
        .where(WorkOrderEvent.work_order_id == work_order.id, WorkOrderEvent.change_type == "column")
        .order_by(col(WorkOrderEvent.id).desc())
    )
    for data in rows:
        event = work_order_updates.validate_json(data)
        if isinstance(event, ColumnEvent) and event.column is BoardColumn.KLAAR:
            return shop_day(event.at)
    return issued


def _issue(change: Mutation, work_order: WorkOrder, invoice: Invoice) -> InvoicePublic:
    change.session.add(invoice)
    change.session.flush()
    public = invoice_public(invoice, settlement_of(change.session, invoice))
    change.record(work_order, InvoiceChanged(invoice=public.summary()))
    return public


class _Invoiceable(NamedTuple):
    shop: ShopSettingsPublic
    parts: list[Part]
    labour: list[LabourLine]
    lines: list[InvoiceLine]


def _invoiceable(session: Session, work_order: WorkOrder) -> _Invoiceable:
    """409 unless the order is Klaar or Afgerond, has something to invoice and no current invoice, and the shop's
    details are complete."""
    if work_order.column not in INVOICEABLE:
        raise Conflict(f"Werkorder {work_order.number} staat in {work_order.column}: factureren kan vanaf Klaar")
    refuse_if_invoiced(session, work_order)
    shop = complete_settings(session)
    assert work_order.id is not None
    parts, labour = lines_of(session, work_order.id)
    lines = bill_lines(parts, labour)
    if not lines:
        raise Conflict(f"Werkorder {work_order.number} heeft geen onderdelen of arbeid om te factureren")
    return _Invoiceable(shop, parts, labour, lines)


def _names(names: list[str]) -> str:
    """ "jan", "jan en fatima", "jan, fatima en pieter"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"


def _warnings(session: Session, work_order: WorkOrder, invoiceable: _Invoiceable) -> list[str]:
    """Everything the desk should know before the invoice goes out, in the desk's words."""
    assert work_order.id is not None
    warnings = []
    if unpriced := unpriced_parts(invoiceable.parts):
        described = _names([part.description for part in unpriced])
        warnings.append(f"{unpriced_text(len(unpriced))} ({described}): op de factuur voor {euro(0)}")
    running = session.exec(
        select(WorkSession.mechanic).where(
            WorkSession.work_order_id == work_order.id, col(WorkSession.ended_at).is_(None)
        )
    ).all()
    if running:
        warnings.append(f"De klok loopt nog voor {_names(sorted(set(running)))}")
    if minutes := unbilled_minutes(session, work_order.id):
        warnings.append(f"{duration(minutes)} geklokt die nog niet als arbeid is overgenomen (Uren overnemen)")
    customer = session.get(Customer, work_order.customer_id)
    assert customer is not None  # a foreign key
    if not (customer.street and customer.postal_code and customer.city):
        warnings.append(f"{customer.name} heeft geen volledig adres: de factuur noemt alleen de naam")
    if approval_needed(session, work_order):
        total = euro(order_totals(invoiceable.parts, invoiceable.labour).including_vat_cents)
        latest = latest_approval(session, work_order.id)
        warnings.append(
            f"De klant keurde {euro(latest.approved_total_cents)} goed, niet het totaal van {total}"
            if latest is not None
            else f"De klant heeft het totaal van {total} niet goedgekeurd"
        )
    return warnings


@dataclass(frozen=True)
class InvoicePreview:
    """What "Factureren" asks before it issues: the number the invoice will most likely get (another invoice issued
    first takes it) and every warning."""

    number: str
    including_vat_cents: int
    warnings: list[str]


def preview_invoice(db: Database, work_order_id: int) -> InvoicePreview:
    """The confirmation's content, read without reserving a number; the same 409s as issuing."""
    with db.read() as session:
        work_order = get_work_order_row(session, work_order_id)
        invoiceable = _invoiceable(session, work_order)
        year = shop_day(utcnow()).year
        counter = session.get(InvoiceCounter, year)
        return InvoicePreview(
            number=_number(year, (counter.last if counter else 0) + 1),
            including_vat_cents=order_totals(invoiceable.parts, invoiceable.labour).including_vat_cents,
            warnings=_warnings(session, work_order, invoiceable),
        )


def issue_invoice(db: Database, work_order_id: int, *, actor: Principal | None) -> InvoicePublic:
    """409 unless the order is Klaar or Afgerond, has something to invoice and no current invoice, and the shop's
    details are complete."""
    with mutation(db, actor) as change:
        session = change.session
        work_order = get_work_order_row(session, work_order_id)
        shop, parts, labour, lines = _invoiceable(session, work_order)
        customer = session.get(Customer, work_order.customer_id)
        assert customer is not None  # a foreign key
        now = utcnow()
        today = shop_day(now)
        document = InvoiceDocument(
            lines=lines,
            totals=order_totals(parts, labour),
            shop=shop,
            customer=InvoiceCustomer.of_row(customer),
            work_order_number=work_order.number,
            license_plate=work_order.license_plate,
        )
        invoice = Invoice(
            **_numbered(session, today.year),
            kind=InvoiceKind.FACTUUR.value,
            work_order_id=work_order_id,
            issued_at=now,
            delivered_on=_delivered_on(session, work_order, today),
            due_on=today + timedelta(days=shop.payment_term_days or 0),
            document=document.model_dump_json(by_alias=True),
            excluding_vat_cents=document.totals.excluding_vat_cents,
            labour_minutes=sum(line.minutes for line in labour),
        )
        public = _issue(change, work_order, invoice)
        queue_notification(change, work_order, NotificationKind.FACTUUR, document_id=invoice.id)
        return public


def _negated(line: InvoiceLine) -> InvoiceLine:
    return line.model_copy(update={"quantity": -line.quantity, "total_cents": -line.total_cents})


def credit_invoice(db: Database, invoice_id: int, *, actor: Principal | None) -> InvoicePublic:
    """A credit note for the whole invoice: its lines negated, the same shop and customer, its own number."""
    with mutation(db, actor) as change:
        session = change.session
        original = invoice_row(session, invoice_id)
        if original.kind != InvoiceKind.FACTUUR.value:
            raise Conflict(f"{original.number} is een creditnota; alleen een factuur kan gecrediteerd worden")
        if session.exec(select(Invoice.id).where(Invoice.credit_of == invoice_id)).first() is not None:
            raise Conflict(f"Factuur {original.number} is al gecrediteerd")
        document = invoice_document(original)
        totals = document.totals
        credit = document.model_copy(
            update={
                "lines": [_negated(line) for line in document.lines],
                "totals": Totals(
                    excluding_vat_cents=-totals.excluding_vat_cents,
                    vat_cents=-totals.vat_cents,
                    including_vat_cents=-totals.including_vat_cents,
                ),
                "credit_of_number": original.number,
            }
        )
        now = utcnow()
        today = shop_day(now)
        original.status = InvoiceStatus.GECREDITEERD.value  # settled: nothing more to pay, no reminder
        session.add(original)
        invoice = Invoice(
            **_numbered(session, today.year),
            kind=InvoiceKind.CREDITNOTA.value,
            status=InvoiceStatus.GECREDITEERD.value,
            work_order_id=original.work_order_id,
            credit_of=invoice_id,
            issued_at=now,
            delivered_on=original.delivered_on,
            due_on=today,
            document=credit.model_dump_json(by_alias=True),
            excluding_vat_cents=-original.excluding_vat_cents,
            labour_minutes=-original.labour_minutes,
        )
        return _issue(change, get_work_order_row(session, original.work_order_id), invoice)


def invoice_row(session: Session, invoice_id: int) -> Invoice:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound(f"Factuur {invoice_id} bestaat niet")
    return invoice


def get_invoice(db: Database, invoice_id: int) -> InvoicePublic:
    with db.read() as session:
        invoice = invoice_row(session, invoice_id)
        return invoice_public(invoice, settlement_of(session, invoice))


def invoice_pdf(db: Database, invoice_id: int) -> bytes:
    """The invoice as a PDF, from what was copied when it was issued (so it reads the same every time)."""
    with db.read() as session:
        invoice = invoice_row(session, invoice_id)
        return render_invoice(invoice, invoice_document(invoice))


def invoice_ubl(db: Database, invoice_id: int) -> Attachment:
    """The invoice or credit note as a UBL e-invoice (SI-UBL 2.0), from what was copied when it was issued."""
    with db.read() as session:
        invoice = invoice_row(session, invoice_id)
        return ubl_file(invoice, invoice_document(invoice))
