"""The payment reminder (`herinnering`): once, paymentTermDays + 7 days after an invoice that is still open, i.e.
seven of the shop's days after its due date. Each process looks every minute (and at its start, so one that was
down catches up); the queueing marks the invoice `reminded_at` in the same transaction as the outbox row, under
the writer lock, so however many processes look, one e-mail is queued per invoice."""

import asyncio
import logging
from datetime import date, timedelta

from anyio import to_thread
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from models import Invoice, InvoiceKind, InvoiceStatus, NotificationKind
from services.clock import shop_day, utcnow
from services.db import Database
from services.events import mutation
from services.outbox import queue_notification
from services.workorders import get_work_order_row

log = logging.getLogger(__name__)
REMINDER_AFTER_DUE = timedelta(days=7)
CHECK_SECONDS = 60.0


def _due(today: date) -> SelectOfScalar[Invoice]:
    return select(Invoice).where(
        col(Invoice.status) == InvoiceStatus.OPEN.value,
        col(Invoice.kind) == InvoiceKind.FACTUUR.value,
        col(Invoice.reminded_at).is_(None),
        col(Invoice.due_on) <= today - REMINDER_AFTER_DUE,
    )


def queue_due_reminders(db: Database) -> int:
    """Queue the reminder of every open invoice a week past its due date that has none yet; how many were due.
    Read first, so the minutely look takes the writer lock only when there is something to do."""
    today = shop_day(utcnow())
    with db.read() as session:
        if session.exec(_due(today).limit(1)).first() is None:
            return 0
    with mutation(db, None) as change:
        due = change.session.exec(_due(today).order_by(col(Invoice.id))).all()
        for invoice in due:
            invoice.reminded_at = utcnow()  # also without an e-mail address: asked once, not every minute
            change.session.add(invoice)
            work_order = get_work_order_row(change.session, invoice.work_order_id)
            queue_notification(change, work_order, NotificationKind.HERINNERING, document_id=invoice.id)
        return len(due)


async def remind_forever(db: Database) -> None:
    while True:
        try:
            if queued := await to_thread.run_sync(queue_due_reminders, db):
                log.info("payment reminders: %s queued", queued)
        except Exception:  # the database away for a moment: the next look tries again
            log.exception("payment reminders: could not queue")
        await asyncio.sleep(CHECK_SECONDS)
