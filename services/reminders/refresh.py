"""Fresh RDW data before an APK reminder: the cars whose APK falls due within the reminder window (and a week
before it) and whose RDW data is older than a week are queued for the existing RDW lookups (services.vehicles),
spaced SECONDS_APART after whatever is queued already, so however many processes share the queue the RDW is asked
at most once a second. A car whose APK was renewed elsewhere then has its later expiry before its reminder is due,
and gets none for the old date."""

from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from models import Vehicle
from services.clock import as_utc, shop_day, utcnow
from services.db import Database
from services.reminders.due import fresh_enough, owners

LEAD_DAYS = 7  # cars are asked about this long before their first reminder's day
SECONDS_APART = 2.0  # a lookup asks the RDW's two datasets at once: two requests every two seconds


def _stale(today: date, now: datetime, weeks: int) -> SelectOfScalar[str]:
    window = col(Vehicle.apk_expiry).between(today + timedelta(days=1), today + timedelta(weeks=weeks, days=LEAD_DAYS))
    stale = or_(col(Vehicle.rdw_checked_at).is_(None), ~fresh_enough(now))
    return select(Vehicle.license_plate).where(window, stale, col(Vehicle.rdw_due_at).is_(None))


def queue_refreshes(db: Database, weeks: int) -> int:
    """Queue the due cars of customers who get reminders; how many. Read first, so a scan with nothing to refresh
    takes no writer lock; then again under it, so two processes never queue a car twice."""
    now = utcnow()
    query = _stale(shop_day(now), now, weeks)
    with db.read() as session:
        if not owners(session, session.exec(query).all()):
            return 0
    with db.write() as session:
        plates = sorted(owners(session, session.exec(query).all()))
        queued_until = session.exec(select(func.max(Vehicle.rdw_due_at))).one()
        after = max(now, as_utc(queued_until)) if queued_until is not None else now
        spaced = [
            {"license_plate": plate, "rdw_due_at": after + timedelta(seconds=SECONDS_APART * number), "rdw_attempts": 0}
            for number, plate in enumerate(plates, 1)
        ]
        if spaced:
            session.execute(update(Vehicle), spaced)  # by primary key, in one statement
        return len(spaced)
