"""Work orders and sessions as the API and the events show them (WorkOrderPublic, SessionPublic)."""

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from models import BoardColumn, WorkOrder, WorkSession
from models.public import SessionPublic, WorkOrderPublic

COLUMN_ORDER = {column.value: index for index, column in enumerate(BoardColumn)}


def session_public(work_session: WorkSession) -> SessionPublic:
    return SessionPublic.model_validate(work_session, from_attributes=True)


def _public(work_order: WorkOrder, active: Sequence[WorkSession]) -> WorkOrderPublic:
    fields = work_order.model_dump()
    fields["active_sessions"] = [session_public(s) for s in active]
    return WorkOrderPublic.model_validate(fields)


def running_sessions(session: Session, work_order_ids: Sequence[int] | None = None) -> list[WorkSession]:
    query = select(WorkSession).where(col(WorkSession.ended_at).is_(None)).order_by(col(WorkSession.id))
    if work_order_ids is not None:
        query = query.where(col(WorkSession.work_order_id).in_(work_order_ids))
    return list(session.exec(query))


def work_order_public(session: Session, work_order: WorkOrder) -> WorkOrderPublic:
    assert work_order.id is not None
    return _public(work_order, running_sessions(session, [work_order.id]))


def board(session: Session) -> list[WorkOrderPublic]:
    """Every work order in board order: by column, then position."""
    orders = sorted(session.exec(select(WorkOrder)), key=lambda w: (COLUMN_ORDER.get(w.column, 99), w.position))
    by_order: dict[int, list[WorkSession]] = defaultdict(list)
    for running in running_sessions(session):
        by_order[running.work_order_id].append(running)
    return [_public(order, by_order[order.id or 0]) for order in orders]
