"""What an invoice's settlement adds to its JSON: the payments received and the newest Mollie payment we asked
for. Read for many invoices in two queries (the board shows every current invoice), never one per invoice."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import Invoice, Payment, PaymentLink


@dataclass
class Settlement:
    payments: list[Payment] = field(default_factory=list)
    link: PaymentLink | None = None  # the newest

    @property
    def paid_cents(self) -> int:
        return sum(payment.amount_cents for payment in self.payments)


def settlements_of(session: Session, invoice_ids: Collection[int | None]) -> defaultdict[int, Settlement]:
    """Per invoice id (an invoice without payments or links gets an empty one)."""
    settlements: defaultdict[int, Settlement] = defaultdict(Settlement)
    ids = [invoice_id for invoice_id in invoice_ids if invoice_id is not None]
    if not ids:
        return settlements
    payments = select(Payment).where(col(Payment.invoice_id).in_(ids)).order_by(col(Payment.id))
    for payment in session.exec(payments):
        settlements[payment.invoice_id].payments.append(payment)
    newest = (
        select(func.max(PaymentLink.id))
        .where(col(PaymentLink.invoice_id).in_(ids))
        .group_by(col(PaymentLink.invoice_id))
    )
    for link in session.exec(select(PaymentLink).where(col(PaymentLink.id).in_(newest))):
        settlements[link.invoice_id].link = link
    return settlements


def settlement_of(session: Session, invoice: Invoice | None) -> Settlement:
    if invoice is None or invoice.id is None:
        return Settlement()
    return settlements_of(session, [invoice.id])[invoice.id]
