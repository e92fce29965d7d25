"""Work orders and sessions as the API and the events show them (WorkOrderPublic, SessionPublic)."""

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import bindparam
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


# Built once: every event's snapshot and every list read runs them.
_RUNNING = select(WorkSession).where(col(WorkSession.ended_at).is_(None)).order_by(col(WorkSession.id))
_RUNNING_FOR_ONE = _RUNNING.where(col(WorkSession.work_order_id) == bindparam("work_order_id"))
_ALL_ORDERS = select(WorkOrder)


def work_order_public(session: Session, work_order: WorkOrder) -> WorkOrderPublic:
    running = session.exec(_RUNNING_FOR_ONE, params={"work_order_id": work_order.id})
    return _public(work_order, list(running))


def board(session: Session) -> list[WorkOrderPublic]:
    """Every work order in board order: by column, then position."""
    orders = sorted(session.exec(_ALL_ORDERS), key=lambda w: (COLUMN_ORDER.get(w.column, 99), w.position))
    by_order: dict[int, list[WorkSession]] = defaultdict(list)
    for running in session.exec(_RUNNING):
        by_order[running.work_order_id].append(running)
    return [_public(order, by_order[order.id or 0]) for order in orders]
