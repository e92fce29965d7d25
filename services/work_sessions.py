"""Mechanics starting and stopping work on an order; one running session per mechanic. The desk corrects a
session's times; a forgotten timer stops by itself MAX_SESSION_HOURS after it started."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session, col, select

from models import Role, WorkOrder, WorkSession
from models.messages import SessionChanged
from models.public import SessionChange, SessionPublic
from services.auth import Principal
from services.clock import as_utc, utcnow
from services.db import Database
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.events import Mutation, mutation
from services.invoicing.invoices import refuse_if_invoiced
from services.text import clean_line
from services.views import session_public
from services.workorders import get_work_order_row


def _record_session(
    change: Mutation,
    work_session: WorkSession,
    action: Literal["started", "stopped", "corrected"],
    reason: Literal["auto"] | None = None,
) -> None:
    work_order = change.session.get(WorkOrder, work_session.work_order_id)
    assert work_order is not None
    change.session.flush()
    change.record(work_order, SessionChanged(session=session_public(work_session), action=action, reason=reason))


@dataclass(frozen=True)
class StartedWork:
    session: SessionPublic
    stopped_on: list[str]  # the numbers of the orders where the mechanic's running session stopped first


def start_session(db: Database, work_order_id: int, mechanic: str, *, actor: Principal | None) -> SessionPublic:
    return start_work(db, work_order_id, mechanic, actor=actor).session


def start_work(db: Database, work_order_id: int, mechanic: str, *, actor: Principal | None) -> StartedWork:
    """Start the mechanic's clock here; a session of theirs running elsewhere is stopped first (and named, so the
    page that started this one can say so)."""
    mechanic = clean_line(mechanic, "Monteur", 100)
    with mutation(db, actor) as change:
        work_order = get_work_order_row(change.session, work_order_id)
        running = change.session.exec(
            select(WorkSession).where(WorkSession.mechanic == mechanic, col(WorkSession.ended_at).is_(None))
        ).all()
        if any(other.work_order_id == work_order_id for other in running):
            raise Conflict(f"{mechanic} werkt al aan werkorder {work_order.number}")
        now = utcnow()
        stopped_on = []
        for other in running:
            other.ended_at = now
            _record_session(change, other, "stopped")
            stopped_on.append(get_work_order_row(change.session, other.work_order_id).number)
        work_session = WorkSession(work_order_id=work_order_id, mechanic=mechanic, started_at=now)
        change.session.add(work_session)
        _record_session(change, work_session, "started")
        return StartedWork(session_public(work_session), stopped_on)


def _session_of(session: Session, work_order_id: int, session_id: int) -> WorkSession:
    get_work_order_row(session, work_order_id)
    work_session = session.get(WorkSession, session_id)
    if work_session is None or work_session.work_order_id != work_order_id:
        raise NotFound(f"Sessie {session_id} bestaat niet bij werkorder {work_order_id}")
    return work_session


def change_session(
    db: Database, work_order_id: int, session_id: int, body: SessionChange, *, actor: Principal | None
) -> SessionPublic:
    """PATCH: `{"action": "stop"}`, or a correction of startedAt and/or endedAt (the desk only)."""
    times = body.model_fields_set & {"started_at", "ended_at"}
    if (body.action is None) == (not times):
        raise Invalid('Stuur {"action": "stop"} of een correctie met startedAt en/of endedAt, niet allebei')
    if body.action == "stop":
        return stop_session(db, work_order_id, session_id, actor=actor)
    if actor is not None and actor.role is not Role.ADMIN:
        raise Forbidden("Alleen de balie kan de tijden van een sessie corrigeren")
    return correct_session(db, work_order_id, session_id, body.started_at, body.ended_at, actor=actor)


def correct_session(
    db: Database,
    work_order_id: int,
    session_id: int,
    started_at: datetime | None,
    ended_at: datetime | None,
    *,
    actor: Principal | None,
) -> SessionPublic:
    """New start and/or end times (an end stops a running session at that time); never in the future, never an
    end before the start; 409 while the order has a current invoice."""
    if started_at is None and ended_at is None:
        raise Invalid("Geef startedAt en/of endedAt op")
    now = utcnow()
    if any(moment is not None and moment > now for moment in (started_at, ended_at)):
        raise Invalid("Een sessie kan niet in de toekomst beginnen of eindigen")
    with mutation(db, actor) as change:
        work_session = _session_of(change.session, work_order_id, session_id)
        refuse_if_invoiced(change.session, get_work_order_row(change.session, work_order_id))
        was = (as_utc(work_session.started_at), as_utc(work_session.ended_at) if work_session.ended_at else None)
        start, end = started_at or was[0], ended_at or was[1]
        if end is not None and end < start:
            raise Invalid("Het einde van een sessie kan niet voor het begin liggen")
        if (start, end) == was:
            return session_public(work_session)
        work_session.started_at, work_session.ended_at = start, end
        _record_session(change, work_session, "corrected")
        return session_public(work_session)


def stop_session(db: Database, work_order_id: int, session_id: int, *, actor: Principal | None) -> SessionPublic:
    with mutation(db, actor) as change:
        work_session = _session_of(change.session, work_order_id, session_id)
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


def stop_overdue_sessions(db: Database, max_hours: float) -> datetime | None:
    """Stops every session running longer than max_hours, as ended at started_at + max_hours (a forgotten timer
    bills no night); returns when the next running one falls due (None: none runs). Several processes may run
    this at once: the write re-reads which sessions still run."""
    limit = timedelta(hours=max_hours)
    with db.read() as session:
        starts = session.exec(select(WorkSession.started_at).where(col(WorkSession.ended_at).is_(None))).all()
    now = utcnow()
    dues = [as_utc(start) + limit for start in starts]
    if any(due <= now for due in dues):
        with mutation(db, None) as change:
            running = change.session.exec(
                select(WorkSession).where(col(WorkSession.ended_at).is_(None)).order_by(col(WorkSession.id))
            )
            for work_session in running:
                due = as_utc(work_session.started_at) + limit
                if due <= now:
                    work_session.ended_at = due
                    _record_session(change, work_session, "stopped", reason="auto")
    return min((due for due in dues if due > now), default=None)
