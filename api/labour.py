"""A work order's labour lines: by hand, or the mechanics' clocked hours taken over (the desk)."""

from fastapi import APIRouter, Response, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath
from models.public import LabourCreate, LabourLinePublic
from services import labour

router = APIRouter(prefix="/api/workorders/{work_order_id}/labour", tags=["labour"])


@router.post("", response_model=LabourLinePublic, status_code=status.HTTP_201_CREATED)
def add_labour(
    db: DatabaseDep, work_order_id: DatabaseIdPath, body: LabourCreate, principal: Admin
) -> LabourLinePublic:
    """Without `rateCents` at the shop's hourly rate."""
    return labour.add_labour(db, work_order_id, body, actor=principal)


@router.post("/from-sessions", response_model=list[LabourLinePublic], status_code=status.HTTP_201_CREATED)
def labour_from_sessions(db: DatabaseDep, work_order_id: DatabaseIdPath, principal: Admin) -> list[LabourLinePublic]:
    """One line per mechanic with their clocked minutes not yet billed; 409 when there are none."""
    return labour.labour_from_sessions(db, work_order_id, actor=principal)


@router.delete("/{line_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def remove_labour(
    db: DatabaseDep, work_order_id: DatabaseIdPath, line_id: DatabaseIdPath, principal: Admin
) -> Response:
    labour.remove_labour(db, work_order_id, line_id, actor=principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
