"""The mechanics' clocked time on a work order that no labour line billed yet: what "Uren overnemen" takes over and
what "Factureren" warns about."""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import LabourSession, WorkSession
from services.billing import half_up
from services.clock import as_utc, utcnow


def clocked_minutes(work_session: WorkSession) -> int:
    """A session's length in whole minutes (half a minute rounds up); a running one up to now."""
    end = as_utc(work_session.ended_at or utcnow())
    return max(0, half_up(Decimal((end - as_utc(work_session.started_at)).total_seconds()) / 60))


def unbilled_sessions(session: Session, work_order_id: int) -> dict[str, list[tuple[WorkSession, int]]]:
    """Per mechanic, each session with minutes not yet on a labour line."""
    billed = dict(
        session.exec(
            select(LabourSession.work_session_id, func.sum(LabourSession.minutes))
            .join(WorkSession, col(WorkSession.id) == col(LabourSession.work_session_id))
            .where(WorkSession.work_order_id == work_order_id)
            .group_by(col(LabourSession.work_session_id))
        ).all()
    )
    sessions = session.exec(
        select(WorkSession).where(WorkSession.work_order_id == work_order_id).order_by(col(WorkSession.id))
    )
    per_mechanic: dict[str, list[tuple[WorkSession, int]]] = defaultdict(list)
    for work_session in sessions:
        minutes = clocked_minutes(work_session) - int(billed.get(work_session.id or 0, 0))
        if minutes > 0:
            per_mechanic[work_session.mechanic].append((work_session, minutes))
    return per_mechanic


def unbilled_minutes(session: Session, work_order_id: int) -> int:
    """Clocked minutes of the order (running sessions up to now) not yet on a labour line."""
    return sum(minutes for sessions in unbilled_sessions(session, work_order_id).values() for _, minutes in sessions)
