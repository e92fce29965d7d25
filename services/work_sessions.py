"""Mechanics starting and stopping work on an order; one running session per mechanic."""

from typing import Literal

from sqlmodel import col, select

from models import WorkOrder, WorkSession
from models.messages import SessionChanged
from models.public import SessionPublic
from services.auth import Principal
from services.clock import utcnow
from services.db import Database
from services.errors import Conflict, NotFound
from services.events import Mutation, mutation
from services.text import clean_line
from services.views import session_public
from services.workorders import get_work_order_row


def _record_session(change: Mutation, work_session: WorkSession, action: Literal["started", "stopped"]) -> None:
    work_order = change.session.get(WorkOrder, work_session.work_order_id)
    assert work_order is not None
    change.session.flush()
    change.record(work_order, SessionChanged(session=session_public(work_session), action=action))


def start_session(db: Database, work_order_id: int, mechanic: str, *, actor: Principal | None) -> SessionPublic:
    """Start the mechanic's clock here; a session of theirs running elsewhere is stopped first."""
    mechanic = clean_line(mechanic, "Monteur", 100)
    with mutation(db, actor) as change:
        work_order = get_work_order_row(change.session, work_order_id)
        running = change.session.exec(
            select(WorkSession).where(WorkSession.mechanic == mechanic, col(WorkSession.ended_at).is_(None))
        ).all()
        if any(other.work_order_id == work_order_id for other in running):
            raise Conflict(f"{mechanic} werkt al aan werkorder {work_order.number}")
        now = utcnow()
        for other in running:
            other.ended_at = now
            _record_session(change, other, "stopped")
        work_session = WorkSession(work_order_id=work_order_id, mechanic=mechanic, started_at=now)
        change.session.add(work_session)
        _record_session(change, work_session, "started")
        return session_public(work_session)


def stop_session(db: Database, work_order_id: int, session_id: int, *, actor: Principal | None) -> SessionPublic:
    with mutation(db, actor) as change:
        get_work_order_row(change.session, work_order_id)
        work_session = change.session.get(WorkSession, session_id)
        if work_session is None or work_session.work_order_id != work_order_id:
            raise NotFound(f"Sessie {session_id} bestaat niet bij werkorder {work_order_id}")
        if work_session.ended_at is not None:
            raise Conflict(f"Sessie {session_id} is al gestopt")
        work_session.ended_at = utcnow()
        _record_session(change, work_session, "stopped")
        return session_public(work_session)


def sessions_of(db: Database, work_order_id: int) -> list[SessionPublic]:
    """Every session on the order, running or not, oldest first (the work order page totals them per mechanic)."""
    with db.read() as session:
        get_work_order_row(session, work_order_id)
        rows = session.exec(
            select(WorkSession).where(WorkSession.work_order_id == work_order_id).order_by(col(WorkSession.id))
        )
        return [session_public(row) for row in rows]
