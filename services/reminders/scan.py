"""The reminder scan: every REMINDER_SCAN_SECONDS each server process queues the RDW refreshes of the cars due
soon and then every reminder due today, on the shop's clock. A reminder is its row and its e-mail (the outbox) in
one transaction, under the writer lock, re-read inside it: the unique (car, kind, date) key and that re-read make
each go once, however many scans and processes look."""

import asyncio
import json
import logging
import secrets

from anyio import to_thread

from models import NotificationKind, Reminder, WorkOrder
from services.clock import shop_day, utcnow
from services.db import Database
from services.events import Mutation, mutation
from services.outbox import queue_notification
from services.reminders.due import Due, Owner, due_reminders
from services.reminders.refresh import queue_refreshes
from services.vehicles import RdwLookups

log = logging.getLogger(__name__)
BATCH = 100  # reminders per transaction: the writer lock is never held long, also on a first day with thousands


def _remind(change: Mutation, due: Due, owner: Owner) -> None:
    now = utcnow()
    reminder = Reminder(
        license_plate=due.plate, kind=due.kind.value, due_on=due.due_on, customer_id=owner.customer_id,
        work_order_id=owner.work_order_id, items=json.dumps(list(due.labels), ensure_ascii=False),
        token=secrets.token_urlsafe(24), created_at=now,
    )  # fmt: skip
    change.session.add(reminder)
    change.session.flush()
    work_order = change.session.get(WorkOrder, owner.work_order_id)
    assert work_order is not None
    queue_notification(change, work_order, NotificationKind(due.kind.value), document_id=reminder.id)


def queue_due_reminders(db: Database, weeks: int, rdw_on: bool) -> int:
    """Make every reminder due today that was not made yet, with its e-mail; how many. Read first, so a scan with
    nothing due takes no writer lock."""
    now = utcnow()
    today = shop_day(now)
    with db.read() as session:
        if not due_reminders(session, today, now, weeks, rdw_on):
            return 0
    made = 0
    while True:
        with mutation(db, None) as change:
            batch = due_reminders(change.session, today, now, weeks, rdw_on)[:BATCH]
            for due, owner in batch:
                _remind(change, due, owner)
        made += len(batch)
        if len(batch) < BATCH:
            return made


def scan_once(db: Database, rdw: RdwLookups, weeks: int) -> tuple[int, int]:
    """(cars queued for the RDW, reminders made)."""
    refreshing = queue_refreshes(db, weeks) if rdw.enabled else 0
    return refreshing, queue_due_reminders(db, weeks, rdw.enabled)


async def remind_forever(db: Database, rdw: RdwLookups, weeks: int, every_seconds: float) -> None:
    while True:
        try:
            refreshing, made = await to_thread.run_sync(scan_once, db, rdw, weeks)
            if refreshing:
                rdw.wake()
                log.info("reminders: %s cars queued for fresh RDW data", refreshing)
            if made:
                log.info("reminders: %s queued", made)
        except Exception:  # the database away for a moment: the next scan tries again
            log.exception("reminders: the scan failed")
        await asyncio.sleep(every_seconds)
