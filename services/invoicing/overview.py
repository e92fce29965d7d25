"""The desk's and the accountant's view of the invoices: who owes what and how late (in the shop's days,
services.clock), and a CSV per period that Dutch Excel opens as it is (`;` between fields, decimal commas,
UTF-8 with a byte-order mark)."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from sqlmodel import col, select

from models import Invoice, InvoiceStatus
from models.public import InvoiceRow
from services.clock import SHOP_ZONE, shop_day, utcnow
from services.db import Database
from services.invoicing.views import settlements_of
from services.plates import format_plate
from services.views import invoice_document, invoice_public

StatusFilter = Literal["open", "betaald", "gecrediteerd"]
CSV_HEADER = [
    "Factuurnummer", "Soort", "Factuurdatum", "Vervaldatum", "Werkorder", "Kenteken", "Klant", "Excl. btw", "Btw",
    "Incl. btw", "Betaald", "Openstaand", "Status", "Laatst betaald op", "Betaalwijze",
]  # fmt: skip
METHOD_WORDS = {"ideal": "iDEAL", "creditcard": "creditcard", "bancontact": "Bancontact", "pin": "pin",
                "contant": "contant", "overboeking": "overboeking"}  # fmt: skip


def _start_of(day: date) -> datetime:
    """The first moment of a shop day, in UTC as the table stores it."""
    return datetime.combine(day, time(0), SHOP_ZONE).astimezone(UTC)


def days_overdue(status: str, due_on: date, today: date) -> int:
    return max(0, (today - due_on).days) if status == InvoiceStatus.OPEN else 0


def invoice_rows(
    db: Database,
    *,
    year: int | None = None,
    status: StatusFilter | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
) -> list[InvoiceRow]:
    """Invoices and credit notes by number; the open ones (`status="open"`) longest overdue first."""
    statement = select(Invoice)
    if year is not None:
        statement = statement.where(Invoice.year == year)
    if status is not None:
        statement = statement.where(Invoice.status == status)
    if issued_from is not None:
        statement = statement.where(col(Invoice.issued_at) >= _start_of(issued_from))
    if issued_to is not None:
        statement = statement.where(col(Invoice.issued_at) < _start_of(issued_to + timedelta(days=1)))
    if status == InvoiceStatus.OPEN:
        statement = statement.order_by(col(Invoice.due_on), col(Invoice.id))
    else:
        statement = statement.order_by(col(Invoice.year), col(Invoice.sequence))
    today = shop_day(utcnow())
    with db.read() as session:
        invoices = list(session.exec(statement))
        settlements = settlements_of(session, [invoice.id for invoice in invoices])
        rows = []
        for invoice in invoices:
            public = invoice_public(invoice, settlements[invoice.id or 0])
            document = invoice_document(invoice)
            rows.append(
                InvoiceRow(
                    **dict(public),
                    customer_name=document.customer.name,
                    work_order_number=document.work_order_number,
                    license_plate=document.license_plate,
                    open_amount_cents=public.open_cents,
                    days_overdue=days_overdue(invoice.status, invoice.due_on, today),
                )
            )
        return rows


def _amount(cents: int) -> str:
    """1234,56: what a Dutch spreadsheet reads as a number (no thousands separator, no euro sign)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def _day(day: date | None) -> str:
    return "" if day is None else day.strftime("%d-%m-%Y")


def invoices_csv(db: Database, issued_from: date, issued_to: date) -> bytes:
    """Every invoice and credit note issued in the period (shop days, both included), with what was paid."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in invoice_rows(db, issued_from=issued_from, issued_to=issued_to):
        totals = row.totals
        last_paid = max((shop_day(payment.at) for payment in row.payments), default=None)
        methods = dict.fromkeys(METHOD_WORDS[payment.method] for payment in row.payments)
        writer.writerow([
            row.number, row.kind, _day(shop_day(row.issued_at)), _day(row.due_at), row.work_order_number,
            format_plate(row.license_plate), row.customer_name, _amount(totals.excluding_vat_cents),
            _amount(totals.vat_cents), _amount(totals.including_vat_cents), _amount(row.paid_cents),
            _amount(row.open_amount_cents), row.status, _day(last_paid), " + ".join(methods),
        ])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")
