"""Labour lines of a work order: typed by the desk, or taken over from the mechanics' clocked sessions ("Uren
overnemen": one line per mechanic with the minutes not yet billed). The minutes a line took from each session are
kept, so the hours are never billed twice, and removing the line makes them billable again."""

from collections import defaultdict

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from models import LabourLine, LabourSession, WorkOrder, WorkSession
from models.messages import LabourChanged
from models.public import LabourCreate, LabourLinePublic
from services.approvals import watching_approval
from services.auth import Principal
from services.billing import clocked_minutes
from services.clock import utcnow
from services.db import Database
from services.errors import Conflict, NotFound
from services.events import Mutation, mutation
from services.invoices import refuse_if_invoiced
from services.shop import hourly_rate_cents
from services.text import clean_line
from services.views import labour_public
from services.workorders import get_work_order_row


def open_for_changes(change: Mutation, work_order_id: int) -> WorkOrder:
    work_order = get_work_order_row(change.session, work_order_id)
    refuse_if_invoiced(change.session, work_order)
    return work_order


def add_labour(db: Database, work_order_id: int, body: LabourCreate, *, actor: Principal | None) -> LabourLinePublic:
    """A line by hand; without rateCents at the shop's hourly rate (409 while none is set)."""
    description = clean_line(body.description, "Omschrijving", 500)
    with mutation(db, actor) as change:
        work_order = open_for_changes(change, work_order_id)
        rate = body.rate_cents if body.rate_cents is not None else hourly_rate_cents(change.session)
        return add_labour_line(change, work_order, description, body.minutes, rate)


def add_labour_line(
    change: Mutation, work_order: WorkOrder, description: str, minutes: int, rate_cents: int
) -> LabourLinePublic:
    """One line and its `labour` event, inside a mutation that already checked the order may change (a package
    adds its labour this way, in the same transaction as its parts)."""
    assert work_order.id is not None
    with watching_approval(change, work_order):
        line = LabourLine(
            work_order_id=work_order.id,
            description=description,
            minutes=minutes,
            rate_cents=rate_cents,
            created_at=utcnow(),
        )
        change.session.add(line)
        change.session.flush()
    public = labour_public(line)
    change.record(work_order, LabourChanged(action="added", lines=[public]))
    return public


def _unbilled(session: Session, work_order_id: int) -> dict[str, list[tuple[WorkSession, int]]]:
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


def labour_from_sessions(db: Database, work_order_id: int, *, actor: Principal | None) -> list[LabourLinePublic]:
    """One line per mechanic with their clocked minutes not yet billed, at the shop's hourly rate; 409 when there
    are none."""
    with mutation(db, actor) as change:
        work_order = open_for_changes(change, work_order_id)
        per_mechanic = _unbilled(change.session, work_order_id)
        if not per_mechanic:
            raise Conflict(f"Werkorder {work_order.number} heeft geen geklokte minuten die nog niet zijn overgenomen")
        rate = hourly_rate_cents(change.session)
        lines = []
        with watching_approval(change, work_order):
            for mechanic, sessions in per_mechanic.items():
                line = LabourLine(
                    work_order_id=work_order_id,
                    description=f"Werkzaamheden {mechanic}",
                    minutes=sum(minutes for _, minutes in sessions),
                    rate_cents=rate,
                    created_at=utcnow(),
                )
                change.session.add(line)
                change.session.flush()
                assert line.id is not None
                for work_session, minutes in sessions:
                    assert work_session.id is not None
                    change.session.add(
                        LabourSession(labour_line_id=line.id, work_session_id=work_session.id, minutes=minutes)
                    )
                lines.append(line)
            change.session.flush()
        public = [labour_public(line) for line in lines]
        change.record(work_order, LabourChanged(action="added", lines=public, from_sessions=True))
        return public


def remove_labour(db: Database, work_order_id: int, line_id: int, *, actor: Principal | None) -> None:
    """The line goes; minutes it took from sessions can be taken over again."""
    with mutation(db, actor) as change:
        work_order = open_for_changes(change, work_order_id)
        line = change.session.get(LabourLine, line_id)
        if line is None or line.work_order_id != work_order_id:
            raise NotFound(f"Arbeidsregel {line_id} bestaat niet bij werkorder {work_order_id}")
        public = labour_public(line)
        change.session.exec(delete(LabourSession).where(col(LabourSession.labour_line_id) == line_id))  # type: ignore[call-overload]
        change.session.delete(line)
        change.session.flush()
        change.record(work_order, LabourChanged(action="removed", lines=[public]))
