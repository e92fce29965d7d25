"""Delivering the outbox (services.outbox) exactly once. The sender in each server process claims due e-mails
with a lease (`due_at` pushed ahead, as the RDW queue does): another process, or this one after a crash, takes
one over only when its lease has passed without an outcome. Failed tries are retried with a doubling back-off;
after the last one, or when the SMTP server refuses for good (5xx), the e-mail is `mislukt`. Every outcome is
a `notification` event.

The one window no outbox can close: the SMTP server answered 250 and this process died before committing
`verzonden`. That e-mail is sent again after the lease, with the same Message-ID, so the receiving side can
drop the copy (services.outbox.message_id)."""

import asyncio
import logging
from contextlib import suppress
from datetime import timedelta

import aiosmtplib
from anyio import to_thread
from jinja2 import Environment
from sqlalchemy import func
from sqlmodel import Session, col, select

from models import ChangeType, Customer, Invoice, Notification, NotificationKind, NotificationStatus, Vehicle
from models.messages import NotificationChanged, NotificationEvent
from models.public import NotificationPublic
from services import booking, reminders
from services.auth import Principal
from services.broadcaster import LogEvent
from services.clock import as_utc, utcnow
from services.customer_status import car_text
from services.db import Database
from services.errors import Conflict, NotFound
from services.events import Mutation, mutation
from services.invoicing.payments import payment_request
from services.invoicing.pdf import render_invoice
from services.invoicing.ubl import MEDIA_TYPE as UBL_MEDIA_TYPE
from services.invoicing.ubl import ubl_file
from services.mail import (
    Attachment,
    Letter,
    MailServer,
    Outgoing,
    compose,
    deliver,
    mail_templates,
    outgoing,
    refused_for_good,
)
from services.metrics import notifications_pending
from services.outbox import message_id, queue_notification
from services.plates import format_plate
from services.views import invoice_document, notification_public, status_url
from services.workorders import get_work_order_row

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=1)
IDLE_WAKE_SECONDS = 60.0
ERROR_LENGTH = 1000


def list_notifications(db: Database, work_order_id: int) -> list[NotificationPublic]:
    """GET /api/workorders/{id}/notifications: every e-mail of the order, oldest first."""
    with db.read() as session:
        get_work_order_row(session, work_order_id)
        rows = session.exec(
            select(Notification).where(Notification.work_order_id == work_order_id).order_by(col(Notification.id))
        )
        return [notification_public(row) for row in rows]


def resend_notification(db: Database, notification_id: int, *, actor: Principal | None) -> NotificationPublic:
    """The desk sends an e-mail again: a new notification of the same kind, to the customer's address now (it
    may have been corrected); 409 when the customer has no address any more."""
    with mutation(db, actor) as change:
        original = change.session.get(Notification, notification_id)
        if original is None:
            raise NotFound(f"E-mail {notification_id} bestaat niet")
        work_order = get_work_order_row(change.session, original.work_order_id)
        queued = queue_notification(change, work_order, NotificationKind(original.kind), original.document_id)
        if queued is None:
            raise Conflict("De klant heeft geen e-mailadres; vul het eerst in bij de klant")
        return queued


def _tell(change: Mutation, notification: Notification) -> None:
    work_order = get_work_order_row(change.session, notification.work_order_id)
    change.record(work_order, NotificationChanged(notification=notification_public(notification)))


def claim_due(db: Database, lease: timedelta, limit: int, max_attempts: int) -> list[int]:
    """Up to `limit` e-mails due now, each leased to this process for one try (counted now, so a try cut short by
    a crash counts too). One whose last try was cut short is not tried again: `mislukt`."""
    now = utcnow()
    with mutation(db, None) as change:
        due = change.session.exec(
            select(Notification)
            .where(col(Notification.status) == NotificationStatus.WACHTRIJ.value, col(Notification.due_at) <= now)
            .order_by(col(Notification.due_at), col(Notification.id))
            .limit(limit)
        ).all()
        claimed = []
        for notification in due:
            if notification.attempts >= max_attempts:
                notification.status, notification.due_at = NotificationStatus.MISLUKT.value, None
                notification.last_error = notification.last_error or "De laatste poging werd onderbroken"
                _tell(change, notification)
                continue
            notification.attempts += 1
            notification.due_at = now + lease
            assert notification.id is not None
            claimed.append(notification.id)
        return claimed


def _backoff(retry_seconds: float, attempts: int) -> timedelta:
    return min(timedelta(seconds=retry_seconds * 2 ** (attempts - 1)), MAX_BACKOFF)


def record_outcome(
    db: Database, notification_id: int, error: str | None, *, for_good: bool, retry_seconds: float, max_attempts: int
) -> None:
    """`verzonden`; or, after a failed try, the next try's time, or `mislukt` after the last one (or at once when
    the server refused for good). An e-mail no longer waiting is left alone: its lease ran out and another
    process finished it."""
    with mutation(db, None) as change:
        notification = change.session.get(Notification, notification_id)
        if notification is None or notification.status != NotificationStatus.WACHTRIJ.value:
            return
        now = utcnow()
        if error is None:
            notification.status, notification.sent_at = NotificationStatus.VERZONDEN.value, now
            notification.due_at, notification.last_error = None, None
        elif for_good or notification.attempts >= max_attempts:
            notification.status, notification.due_at = NotificationStatus.MISLUKT.value, None
            notification.last_error = error[:ERROR_LENGTH]
        else:
            notification.due_at = now + _backoff(retry_seconds, notification.attempts)
            notification.last_error = error[:ERROR_LENGTH]
        _tell(change, notification)


def switch_off_waiting(db: Database) -> int:
    """E-mail is off (no SMTP_HOST): what still waits from an earlier run will never be sent, so it says `uit`."""
    with mutation(db, None) as change:
        waiting = change.session.exec(
            select(Notification).where(col(Notification.status) == NotificationStatus.WACHTRIJ.value)
        ).all()
        for notification in waiting:
            notification.status, notification.due_at = NotificationStatus.UIT.value, None
            _tell(change, notification)
        return len(waiting)


def queue_state(db: Database) -> tuple[float | None, int]:
    """(seconds until the next try or lease end is due, or None; how many e-mails wait)."""
    waiting = col(Notification.status) == NotificationStatus.WACHTRIJ.value
    with db.read() as session:
        due = session.exec(select(func.min(Notification.due_at)).where(waiting)).one()
        pending = session.exec(select(func.count()).select_from(Notification).where(waiting)).one()
    return (None if due is None else max(0.0, (as_utc(due) - utcnow()).total_seconds())), int(pending)


ABOUT_AN_INVOICE = (NotificationKind.FACTUUR, NotificationKind.HERINNERING)


def attachments_for(session: Session, notification: Notification, public_url: str) -> list[Attachment]:
    """The files an e-mail carries, made when it is sent: a `factuur` or `herinnering` its invoice's PDF
    (`document_id`), rendered from what the invoice holds, so it is the same PDF the desk downloads, and for a
    business customer (a KvK number on the invoice) the same invoice as UBL, for its accounting software; an
    `afspraak` its .ics."""
    if notification.kind == NotificationKind.AFSPRAAK:
        return [booking.calendar_file(session, get_work_order_row(session, notification.work_order_id), public_url)]
    if notification.kind not in ABOUT_AN_INVOICE or notification.document_id is None:
        return []
    invoice = session.get(Invoice, notification.document_id)
    if invoice is None:
        raise LookupError(f"factuur {notification.document_id} bestaat niet")
    document = invoice_document(invoice)
    pdf = Attachment(f"factuur-{invoice.number}.pdf", "application/pdf", render_invoice(invoice, document))
    return [pdf, ubl_file(invoice, document)] if document.customer.kvk else [pdf]


def letter_for(db: Database, notification_id: int, server: MailServer, pays_online: bool = False) -> Letter:
    """What an e-mail says, read when it is sent: the order, its car and the customer's status link; about an
    open invoice also what to pay and how (`pays_online`: the status page's Mollie link, else a bank transfer)."""
    with db.read() as session:
        notification = session.get(Notification, notification_id)
        assert notification is not None
        work_order = get_work_order_row(session, notification.work_order_id)
        customer = session.get(Customer, work_order.customer_id)
        assert customer is not None
        vehicle = session.get(Vehicle, work_order.license_plate)
        attachments = attachments_for(session, notification, server.public_url)
        context: dict[str, object] = {
            "customer_name": customer.name,
            "number": work_order.number,
            "plate": format_plate(work_order.license_plate),
            "car": car_text(vehicle),
            "status_url": f"{server.public_url}{status_url(work_order)}",
            "e_invoice": any(attachment.content_type == UBL_MEDIA_TYPE for attachment in attachments),
            "payment": None,
        }
        if notification.kind == NotificationKind.AFSPRAAK:
            context |= booking.confirmation_context(session, work_order, server.public_url)
        headers: dict[str, str] = {}
        if notification.kind in reminders.REMINDER_KINDS and notification.document_id is not None:
            context |= reminders.letter_context(session, notification.document_id, server.public_url)
            headers = reminders.unsubscribe_headers(str(context["opt_out_url"]))
        if notification.kind in ABOUT_AN_INVOICE and notification.document_id is not None:
            pay_url = f"{server.public_url}{status_url(work_order)}/betalen" if pays_online else None
            context["payment"] = payment_request(session, notification.document_id, pay_url)
        return Letter(
            kind=notification.kind,
            to=notification.recipient,
            subject=notification.subject,
            message_id=message_id(notification, server.domain),
            context=context,
            attachments=attachments,
            headers=headers,
        )


class NotificationSender:
    """Sends what is due, a few at a time, in the server's event loop; the database work runs in worker threads.
    Woken by every newly queued e-mail (its `notification` event, also from other processes on PostgreSQL) and
    by the clock for retries and for leases that ran out. `server` None means SMTP_HOST is unset."""

    def __init__(
        self,
        db: Database,
        server: MailServer | None,
        retry_seconds: float = 30.0,
        max_attempts: int = 6,
        concurrency: int = 4,
        templates: Environment | None = None,
        pays_online: bool = False,
    ) -> None:
        self.db = db
        self.pays_online = pays_online  # MOLLIE_API_KEY is set: e-mails about an invoice carry the payment link
        self.server = server
        self.retry_seconds = retry_seconds
        self.max_attempts = max_attempts
        self.concurrency = concurrency
        self.templates = templates or mail_templates()
        self._running: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()

    @property
    def lease(self) -> timedelta:
        """Longer than a whole try (the send is bounded by the timeout), so a live process never loses its lease."""
        return timedelta(seconds=2 * (self.server.timeout if self.server else 0) + 5)

    async def run(self) -> None:
        """Until the server stops: claim as many as there are free slots, send, sleep until woken or due."""
        if self.server is None:
            log.info("e-mail to customers is off: SMTP_HOST is not set (the pages say so in the shop's words)")
            if switched := await to_thread.run_sync(switch_off_waiting, self.db):
                log.info("e-mail is off (no SMTP_HOST): %s waiting e-mails marked uit", switched)
            return
        listener = asyncio.create_task(self._listen())
        try:
            while not self.db.broadcaster.closed:
                self._wake.clear()
                free = self.concurrency - len(self._running)
                claimed = (
                    await to_thread.run_sync(claim_due, self.db, self.lease, free, self.max_attempts) if free else []
                )
                for notification_id in claimed:
                    task = asyncio.create_task(self._send(notification_id))
                    self._running.add(task)
                    task.add_done_callback(self._sent)
                wait, pending = await to_thread.run_sync(queue_state, self.db)
                notifications_pending.set(pending)
                if len(self._running) >= self.concurrency:
                    wait = None  # every slot is busy: the next to finish wakes the loop
                elif claimed:
                    continue  # more may be due right now
                with suppress(TimeoutError):
                    async with asyncio.timeout(IDLE_WAKE_SECONDS if wait is None else min(wait, IDLE_WAKE_SECONDS)):
                        await self._wake.wait()
        finally:
            for task in (listener, *self._running):
                task.cancel()

    def _prepare(self, notification_id: int) -> Outgoing:
        assert self.server is not None
        letter = letter_for(self.db, notification_id, self.server, self.pays_online)
        return outgoing(self.server, compose(self.server, letter, self.templates))

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._wake.set()  # a slot is free, and its retry time may now be the soonest

    async def _send(self, notification_id: int) -> None:
        server = self.server
        assert server is not None
        error, for_good = None, False
        try:
            message = await to_thread.run_sync(self._prepare, notification_id)
        except Exception as failure:  # a broken template or attachment must never lose the e-mail
            log.exception("e-mail %s could not be made", notification_id)
            error = f"Kon de e-mail niet opmaken: {type(failure).__name__}: {failure}"
        else:
            try:
                await deliver(server, message)
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as failure:
                for_good = refused_for_good(failure)
                error = f"Mailserver {server.host}:{server.port}: {failure or type(failure).__name__}"
                log.info("e-mail %s not sent: %s", notification_id, error)
        await to_thread.run_sync(
            lambda: record_outcome(
                self.db, notification_id, error, for_good=for_good, retry_seconds=self.retry_seconds,
                max_attempts=self.max_attempts,
            )
        )  # fmt: skip

    async def _listen(self) -> None:
        """Wake the loop for every newly queued e-mail (a dropped subscription is renewed)."""
        while not self.db.broadcaster.closed:
            subscription = self.db.broadcaster.subscribe()
            try:
                while (batch := await subscription.get()) is not None:
                    if any(_newly_queued(event) for event in batch.events):
                        self._wake.set()
            finally:
                subscription.unsubscribe()


def _newly_queued(event: LogEvent) -> bool:
    if event.change_type != ChangeType.NOTIFICATION:
        return False  # decided without parsing the event
    update = event.update
    return (
        isinstance(update, NotificationEvent)
        and update.notification.status == NotificationStatus.WACHTRIJ
        and update.notification.attempts == 0
    )
