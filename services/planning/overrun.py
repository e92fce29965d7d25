"""An order running late: which later appointments of its mechanic today are now at risk. The desk sees them and
decides; nothing is moved or promised for it."""

from datetime import datetime

from sqlmodel import col, select

from models import Appointment, BoardColumn, WorkOrder, WorkSession
from models.planning_public import PlannedAppointment
from services.clock import as_utc, shop_day, utcnow
from services.db import Database
from services.planning.calendar import appointments_between

DONE = (BoardColumn.KLAAR.value, BoardColumn.AFGEROND.value)


def at_risk(db: Database, work_order_id: int) -> list[PlannedAppointment]:
    """Today's appointments, after this one's start (or after now, when it was planned on an earlier day), of its
    mechanic and of whoever clocks on it now, whose cars are not yet done; by start."""
    now = utcnow()
    today = shop_day(now)
    with db.read() as session:
        own = session.get(Appointment, work_order_id)
        running = session.exec(
            select(WorkSession.mechanic).where(
                col(WorkSession.work_order_id) == work_order_id, col(WorkSession.ended_at).is_(None)
            )
        ).all()
        mechanics = {*running, *([own.mechanic] if own is not None and own.mechanic else [])}
        if not mechanics:
            return []
        after: datetime = as_utc(own.start) if own is not None and own.day == today else now
        done = set(
            session.exec(
                select(WorkOrder.id)
                .join(Appointment, col(Appointment.work_order_id) == col(WorkOrder.id))
                .where(col(Appointment.day) == today, col(WorkOrder.column).in_(DONE))
            ).all()
        )
        today_planned = appointments_between(session, today, today)
    return [
        a
        for a in today_planned
        if a.mechanic in mechanics
        and a.start > after
        and a.work_order_id != work_order_id
        and a.work_order_id not in done
    ]
