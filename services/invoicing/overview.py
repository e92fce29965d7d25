"""The desk's and the accountant's view of the invoices: who owes what and how late (in the shop's days,
services.clock), and the invoices and payments of a period as tables, which services.reports exports for the
accountant (CSV and XLSX)."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from sqlmodel import col, select

from models import Invoice, InvoiceStatus, Payment
from models.public import InvoiceRow
from services.clock import shop_day, utcnow
from services.db import Database
from services.invoicing.views import settlements_of
from services.plates import format_plate
from services.views import invoice_document, invoice_public

if TYPE_CHECKING:  # services.reports exports these tables: imported at run time, it would import this module back
    from services.reports.period import Period

StatusFilter = Literal["open", "betaald", "gecrediteerd"]
INVOICE_HEADER = [
    "Factuurnummer", "Soort", "Factuurdatum", "Vervaldatum", "Werkorder", "Kenteken", "Klant", "Excl. btw", "Btw",
    "Incl. btw", "Betaald", "Openstaand", "Status", "Laatst betaald op", "Betaalwijze",
]  # fmt: skip
PAYMENT_HEADER = ["Betaald op", "Factuurnummer", "Werkorder", "Kenteken", "Klant", "Betaalwijze", "Bedrag",
                  "Referentie"]  # fmt: skip
METHOD_WORDS = {"ideal": "iDEAL", "creditcard": "creditcard", "bancontact": "Bancontact", "pin": "pin",
                "contant": "contant", "overboeking": "overboeking"}  # fmt: skip


def days_overdue(status: str, due_on: date, today: date) -> int:
    return max(0, (today - due_on).days) if status == InvoiceStatus.OPEN else 0


def invoice_rows(
    db: Database,
    *,
    year: int | None = None,
    status: StatusFilter | None = None,
    issued: "Period | None" = None,
) -> list[InvoiceRow]:
    """Invoices and credit notes by number; the open ones (`status="open"`) longest overdue first."""
    statement = select(Invoice)
    if year is not None:
        statement = statement.where(Invoice.year == year)
    if status is not None:
        statement = statement.where(Invoice.status == status)
    if issued is not None:
        statement = statement.where(issued.covers(col(Invoice.issued_at)))
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


Cell = str | int | date | Decimal | None  # Decimal: an amount in euros (the exports write it as money)


def euros_amount(cents: int) -> Decimal:
    return Decimal(cents) / 100


def invoice_table(db: Database, issued: "Period") -> tuple[list[str], list[list[Cell]]]:
    """Every invoice and credit note issued in the period (shop days, both included), with what was paid: the
    accountant's export (services.reports writes it as CSV or XLSX)."""
    rows: list[list[Cell]] = []
    for row in invoice_rows(db, issued=issued):
        totals = row.totals
        last_paid = max((shop_day(payment.at) for payment in row.payments), default=None)
        methods = dict.fromkeys(METHOD_WORDS[payment.method] for payment in row.payments)
        rows.append([
            row.number, row.kind, shop_day(row.issued_at), row.due_at, row.work_order_number,
            format_plate(row.license_plate), row.customer_name, euros_amount(totals.excluding_vat_cents),
            euros_amount(totals.vat_cents), euros_amount(totals.including_vat_cents), euros_amount(row.paid_cents),
            euros_amount(row.open_amount_cents), row.status, last_paid, " + ".join(methods),
        ])  # fmt: skip
    return INVOICE_HEADER, rows


def payment_table(db: Database, paid: "Period") -> tuple[list[str], list[list[Cell]]]:
    """Every payment received in the period (shop days, both included), oldest first, with its invoice."""
    statement = (
        select(Payment, Invoice)
        .join(Invoice, col(Invoice.id) == col(Payment.invoice_id))
        .where(paid.covers(col(Payment.at)))
        .order_by(col(Payment.at), col(Payment.id))
    )
    rows: list[list[Cell]] = []
    with db.read() as session:
        for payment, invoice in session.exec(statement):
            document = invoice_document(invoice)
            rows.append([
                shop_day(payment.at), invoice.number, document.work_order_number, format_plate(document.license_plate),
                document.customer.name, METHOD_WORDS[payment.method], euros_amount(payment.amount_cents),
                payment.provider_id or "",
            ])  # fmt: skip
    return PAYMENT_HEADER, rows
