"""Work orders: list, create, read, move across the board, and the mechanics' work sessions."""

from fastapi import APIRouter, status

from api.deps import Admin, Mover, Staff
from models.public import (
    ColumnMove,
    SessionAction,
    SessionPublic,
    SessionStart,
    WorkOrderCreate,
    WorkOrderPublic,
)
from services import work_sessions, workorders

router = APIRouter(prefix="/api/workorders", tags=["workorders"])


@router.get("", response_model=list[WorkOrderPublic])
def list_work_orders(_: Staff) -> list[WorkOrderPublic]:
    """Every work order, in board order (column, then position)."""
    return workorders.list_work_orders()


@router.post("", response_model=WorkOrderPublic, status_code=status.HTTP_201_CREATED)
def create_work_order(body: WorkOrderCreate, _: Admin) -> WorkOrderPublic:
    return workorders.create_work_order(body.customer_name, body.license_plate, body.description)


@router.get("/{work_order_id}", response_model=WorkOrderPublic)
def get_work_order(work_order_id: int, _: Staff) -> WorkOrderPublic:
    return workorders.get_work_order(work_order_id)


@router.patch("/{work_order_id}/column", response_model=WorkOrderPublic)
def move_work_order(work_order_id: int, body: ColumnMove, _: Mover) -> WorkOrderPublic:
    """Move a card; send the card's `version` and a 409 tells you someone moved it first."""
    return workorders.move_to_column(work_order_id, body.column.value, body.position, body.version)


@router.post("/{work_order_id}/sessions", response_model=SessionPublic, status_code=status.HTTP_201_CREATED)
def start_session(work_order_id: int, body: SessionStart, _: Mover) -> SessionPublic:
    """Start a mechanic's session; one of theirs running elsewhere is stopped first."""
    return work_sessions.start_session(work_order_id, body.mechanic)


@router.patch("/{work_order_id}/sessions/{session_id}", response_model=SessionPublic)
def stop_session(work_order_id: int, session_id: int, body: SessionAction, _: Mover) -> SessionPublic:
    return work_sessions.stop_session(work_order_id, session_id)
