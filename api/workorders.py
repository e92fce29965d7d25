"""Work orders: list, create, read, change details, move across the board, the mechanics' work sessions, and
the order's whole history."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath, Mover, SearchText, SettingsDep, Staff
from models.public import (
    ColumnMove,
    HistoryEntry,
    SessionChange,
    SessionPublic,
    SessionStart,
    WorkOrderCreate,
    WorkOrderDetails,
    WorkOrderPublic,
)
from services import history, work_sessions, workorders
from services.workorders import DEFAULT_PAGE, MAX_PAGE

router = APIRouter(prefix="/api/workorders", tags=["workorders"])


@router.get("", response_model=list[WorkOrderPublic])
def list_work_orders(
    db: DatabaseDep,
    _: Staff,
    settings: SettingsDep,
    response: Response,
    q: SearchText = None,
    status: str | None = None,
    column: str | None = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE)] = None,
    offset: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
) -> list[WorkOrderPublic]:
    """Without parameters: the board, in board order (every open order, and those that entered Afgerond in the
    last BOARD_DONE_DAYS). With any of q, status, column, limit, offset: a search over every order ever made
    (number, plate, customer name), newest first, `limit` 100 by default and at most 500. Either way the
    header X-Total-Count says how many there are in all."""
    if q is None and status is None and column is None and limit is None and offset is None:
        board = workorders.list_work_orders(db, settings.board_done_days)
        response.headers["X-Total-Count"] = str(len(board))
        return board
    page = workorders.search_work_orders(db, q, status, column, limit or DEFAULT_PAGE, offset or 0)
    response.headers["X-Total-Count"] = str(page.total)
    return page.orders


@router.post("", response_model=WorkOrderPublic, status_code=status.HTTP_201_CREATED)
def create_work_order(db: DatabaseDep, body: WorkOrderCreate, principal: Admin) -> WorkOrderPublic:
    """For a known customer (`customerId`) or a new one (`customerName`, e-mail, phone). Never waits for the
    RDW: its answer follows as a `vehicle` event."""
    return workorders.create_work_order(db, body, actor=principal)


@router.get("/{work_order_id}", response_model=WorkOrderPublic)
def get_work_order(db: DatabaseDep, work_order_id: DatabaseIdPath, _: Staff) -> WorkOrderPublic:
    return workorders.get_work_order(db, work_order_id)


@router.patch("/{work_order_id}", response_model=WorkOrderPublic)
def update_work_order(
    db: DatabaseDep, work_order_id: DatabaseIdPath, body: WorkOrderDetails, principal: Admin
) -> WorkOrderPublic:
    """Description, mileage (kilometerstand) or customer; send `version` and a 409 tells you of a change first."""
    return workorders.update_details(db, work_order_id, body, actor=principal)


@router.get("/{work_order_id}/events", response_model=list[HistoryEntry])
def work_order_history(db: DatabaseDep, work_order_id: DatabaseIdPath, _: Staff) -> list[HistoryEntry]:
    """Every event of the order since it was made, oldest first, each with who did it and one Dutch sentence."""
    return history.work_order_history(db, work_order_id)


@router.patch("/{work_order_id}/column", response_model=WorkOrderPublic)
def move_work_order(
    db: DatabaseDep, work_order_id: DatabaseIdPath, body: ColumnMove, principal: Mover
) -> WorkOrderPublic:
    """Move a card; send the card's `version` and a 409 tells you someone moved it first."""
    return workorders.move_to_column(db, work_order_id, body.column.value, body.position, body.version, actor=principal)


@router.post("/{work_order_id}/sessions", response_model=SessionPublic, status_code=status.HTTP_201_CREATED)
def start_session(
    db: DatabaseDep, work_order_id: DatabaseIdPath, body: SessionStart, principal: Mover
) -> SessionPublic:
    """Start a mechanic's session; one of theirs running elsewhere is stopped first."""
    return work_sessions.start_session(db, work_order_id, body.mechanic, actor=principal)


@router.patch("/{work_order_id}/sessions/{session_id}", response_model=SessionPublic)
def change_session(
    db: DatabaseDep, work_order_id: DatabaseIdPath, session_id: DatabaseIdPath, body: SessionChange, principal: Mover
) -> SessionPublic:
    """`{"action": "stop"}` stops a running session; `{startedAt?, endedAt?}` corrects its times (admin only;
    409 while the order has a current invoice)."""
    return work_sessions.change_session(db, work_order_id, session_id, body, actor=principal)
