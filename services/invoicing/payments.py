"""Getting paid: a Mollie payment of an invoice's open amount (the payment link), the webhook that records it once
Mollie itself says it is paid, and payments at the counter. Every recorded payment is a `payment` event in the
same transaction, and the invoice is `betaald` the moment it is paid in full.

The webhook believes nothing it is sent (Mollie posts only an id, unsigned): it asks Mollie, and records only a
`paid` payment that is one we asked for, for the same invoice, amount and currency; once per Mollie id however
often it is called and by however many processes (the writer lock serialises the check, the unique `provider_id`
backs it)."""

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import (
    ONLINE_METHODS,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    NotificationKind,
    Payment,
    PaymentLink,
    PaymentMethod,
)
from models.messages import PaymentChanged
from models.public import CounterPaymentCreate, InvoicePublic, NotificationPublic, PaymentLinkPublic, PaymentPublic
from services.auth import Principal
from services.billing import euro
from services.clock import utcnow
from services.customer_status import work_order_by_token
from services.db import Database
from services.errors import Conflict, Unavailable
from services.events import Mutation, mutation
from services.history import dutch_date
from services.invoicing.invoices import invoice_row
from services.invoicing.mollie import CURRENCY, MollieGateway, MolliePayment
from services.invoicing.views import settlement_of
from services.outbox import queue_notification
from services.views import current_invoice, invoice_document, invoice_public, status_url
from services.workorders import get_work_order_row

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/api/payments/mollie/webhook"
ONLINE_OFF = "Online betalen staat uit. Vraag uw beheerder om Mollie in te stellen."


def _payable(session: Session, invoice: Invoice) -> int:
    """The open amount in cents; 409 for a credit note, a credited or a paid invoice."""
    if invoice.kind != InvoiceKind.FACTUUR:
        raise Conflict(f"{invoice.number} is een creditnota: daar wordt niet op betaald")
    if invoice.status == InvoiceStatus.GECREDITEERD:
        raise Conflict(f"Factuur {invoice.number} is gecrediteerd")
    if invoice.status == InvoiceStatus.BETAALD:
        raise Conflict(f"Factuur {invoice.number} is al betaald")
    return invoice_document(invoice).totals.including_vat_cents - settlement_of(session, invoice).paid_cents


def _tell(change: Mutation, invoice: Invoice, payment: Payment | None = None) -> InvoicePublic:
    public = invoice_public(invoice, settlement_of(change.session, invoice))
    recorded = None if payment is None else PaymentPublic.of_row(payment)
    change.record(
        get_work_order_row(change.session, invoice.work_order_id),
        PaymentChanged(action="link" if payment is None else "paid", invoice=public.summary(), payment=recorded),
    )
    return public


def _record(change: Mutation, invoice: Invoice, payment: Payment) -> InvoicePublic:
    """The payment, and `betaald` once the invoice is paid in full."""
    session = change.session
    session.add(payment)
    session.flush()
    paid = settlement_of(session, invoice).paid_cents
    total = invoice_document(invoice).totals.including_vat_cents
    if invoice.status == InvoiceStatus.OPEN and paid >= total:
        invoice.status = InvoiceStatus.BETAALD.value
        session.add(invoice)
    if paid > total:  # Mollie took money after the rest was paid at the counter: the desk pays it back
        log.warning("invoice %s is overpaid: %s received of %s", invoice.number, euro(paid), euro(total))
    return _tell(change, invoice, payment)


def create_payment_link(
    db: Database, gateway: MollieGateway | None, invoice_id: int, public_url: str, *, actor: Principal | None
) -> PaymentLinkPublic:
    """A Mollie payment of the open amount, the customer's status page to return to and our webhook; 409 unless
    the invoice is open or while online payment is off (no MOLLIE_API_KEY), 503 when Mollie does not answer.
    Mollie is asked outside the transaction."""
    if gateway is None:
        raise Conflict(ONLINE_OFF)
    with db.read() as session:
        invoice = invoice_row(session, invoice_id)
        cents = _payable(session, invoice)
        work_order = get_work_order_row(session, invoice.work_order_id)
    created = gateway.create_payment(
        cents,
        f"Factuur {invoice.number} ({work_order.number})",
        f"{public_url}{status_url(work_order)}",
        f"{public_url}{WEBHOOK_PATH}",
        invoice_id,
    )
    if not created.checkout_url:
        raise Unavailable("Mollie gaf geen betaalpagina terug; probeer het zo opnieuw")
    with mutation(db, actor) as change:
        invoice = invoice_row(change.session, invoice_id)
        _payable(change.session, invoice)  # paid or credited meanwhile: the Mollie payment simply expires
        change.session.add(
            PaymentLink(
                invoice_id=invoice_id,
                provider_id=created.id,
                amount_cents=cents,
                checkout_url=created.checkout_url,
                created_at=utcnow(),
            )
        )
        change.session.flush()
        _tell(change, invoice)
    return PaymentLinkPublic(payment_url=created.checkout_url)


def checkout_for_customer(db: Database, gateway: MollieGateway | None, token: str, public_url: str) -> str | None:
    """Where the status page's "Betalen" (and the e-mail's link) takes the customer: the newest Mollie payment of
    the open amount while Mollie still has it open, else a new one. None: nothing to pay here."""
    with db.read() as session:
        work_order = work_order_by_token(session, token)
        invoice = None if work_order is None else current_invoice(session, work_order.id)
        if invoice is None or invoice.status != InvoiceStatus.OPEN or gateway is None:
            return None
        cents = _payable(session, invoice)
        link = settlement_of(session, invoice).link
    if link is not None and link.amount_cents == cents:
        known = gateway.fetch(link.provider_id)
        if known is not None and known.status == "open" and known.checkout_url:
            return known.checkout_url
    assert invoice.id is not None
    return create_payment_link(db, gateway, invoice.id, public_url, actor=None).payment_url


def _mismatch(link: PaymentLink | None, paid: MolliePayment) -> str | None:
    """Why a paid Mollie payment is not recorded, or None when it is exactly the one we asked for."""
    if link is None:
        return "not a payment we asked for"
    if paid.invoice_id != str(link.invoice_id):
        return f"metadata.invoiceId {paid.invoice_id!r}, asked for invoice {link.invoice_id}"
    if paid.currency != CURRENCY or paid.amount_cents != link.amount_cents:
        return f"amount {paid.amount_cents} {paid.currency}, asked for {link.amount_cents} {CURRENCY}"
    if paid.method not in {method.value for method in ONLINE_METHODS}:
        return f"method {paid.method!r} is not one we offered"
    return None


def record_mollie_payment(db: Database, gateway: MollieGateway | None, provider_id: str) -> PaymentPublic | None:
    """The webhook: Mollie says payment `provider_id` changed. Ask Mollie (MollieUnreachable: 503, and Mollie
    tries again); record it when it is paid and matches its link, once. None: nothing recorded."""
    if gateway is None:
        log.warning("Mollie webhook for %s while MOLLIE_API_KEY is not set: ignored", provider_id)
        return None
    paid = gateway.fetch(provider_id)
    if paid is None:
        log.info("Mollie webhook for an unknown payment %r: ignored", provider_id[:64])
        return None
    if paid.status != "paid":
        log.info("Mollie payment %s is %s: nothing to record", paid.id, paid.status)
        return None
    try:
        with mutation(db, None) as change:
            session = change.session
            if session.exec(select(Payment.id).where(Payment.provider_id == paid.id)).first() is not None:
                return None  # recorded at an earlier call
            link = session.exec(select(PaymentLink).where(PaymentLink.provider_id == paid.id)).first()
            if (problem := _mismatch(link, paid)) is not None:
                log.warning("Mollie payment %s is paid but not recorded: %s", paid.id, problem)
                return None
            assert link is not None and paid.amount_cents is not None and paid.method is not None
            payment = Payment(
                invoice_id=link.invoice_id, method=paid.method, amount_cents=paid.amount_cents, at=utcnow(),
                provider_id=paid.id,
            )  # fmt: skip
            invoice = _record(change, invoice_row(session, link.invoice_id), payment)
            log.info("Mollie payment %s recorded for invoice %s (%s)", paid.id, invoice.number, invoice.status)
            return PaymentPublic.of_row(payment)
    except IntegrityError:  # another process recorded it between our check and our insert
        log.info("Mollie payment %s was recorded by another process", paid.id)
        return None


def record_counter_payment(
    db: Database, invoice_id: int, body: CounterPaymentCreate, *, actor: Principal | None
) -> InvoicePublic:
    """Pin, cash or a bank transfer seen on the statement; a part of the open amount too, never more (409)."""
    with mutation(db, actor) as change:
        invoice = invoice_row(change.session, invoice_id)
        still_open = _payable(change.session, invoice)
        if body.amount_cents > still_open:
            raise Conflict(
                f"Op factuur {invoice.number} staat nog {euro(still_open)} open; {euro(body.amount_cents)} is te veel"
            )
        payment = Payment(
            invoice_id=invoice_id, method=PaymentMethod(body.method).value, amount_cents=body.amount_cents,
            at=utcnow(),
        )  # fmt: skip
        return _record(change, invoice, payment)


def send_invoice_again(db: Database, invoice_id: int, *, actor: Principal | None) -> NotificationPublic:
    """The desk mails an open invoice again (`factuur`, with its PDF and what is still open); 409 when it is not
    open or the customer has no e-mail address."""
    with mutation(db, actor) as change:
        invoice = invoice_row(change.session, invoice_id)
        _payable(change.session, invoice)
        work_order = get_work_order_row(change.session, invoice.work_order_id)
        queued = queue_notification(change, work_order, NotificationKind.FACTUUR, document_id=invoice_id)
        if queued is None:
            raise Conflict("De klant heeft geen e-mailadres; vul het eerst in bij de klant")
        return queued


@dataclass(frozen=True)
class PaymentRequest:
    """What an e-mail about an open invoice asks: how much, by when, and how (the link, or a bank transfer)."""

    number: str
    open_text: str
    due_text: str
    pay_url: str | None  # the status page's "Betalen" (Mollie); None: by bank transfer
    iban: str | None
    account_name: str | None


def payment_request(session: Session, invoice_id: int, pay_url: str | None) -> PaymentRequest | None:
    """None once the invoice is no longer open (paid or credited before the e-mail went out)."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.kind != InvoiceKind.FACTUUR or invoice.status != InvoiceStatus.OPEN:
        return None
    shop = invoice_document(invoice).shop
    return PaymentRequest(
        number=invoice.number, open_text=euro(_payable(session, invoice)), due_text=dutch_date(invoice.due_on),
        pay_url=pay_url, iban=shop.iban, account_name=shop.name,
    )  # fmt: skip
