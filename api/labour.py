"""A work order's labour lines: by hand, or the mechanics' clocked hours taken over (the desk)."""

from fastapi import APIRouter, Response, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath
from models.public import LabourCreate, LabourLinePublic, LabourProposal
from services import labour

router = APIRouter(prefix="/api/workorders/{work_order_id}/labour", tags=["labour"])


@router.post("", response_model=LabourLinePublic, status_code=status.HTTP_201_CREATED)
def add_labour(
    db: DatabaseDep, work_order_id: DatabaseIdPath, body: LabourCreate, principal: Admin
) -> LabourLinePublic:
    """Without `rateCents` at the shop's hourly rate."""
    return labour.add_labour(db, work_order_id, body, actor=principal)


@router.get("/from-sessions", response_model=LabourProposal)
def propose_labour_from_sessions(db: DatabaseDep, work_order_id: DatabaseIdPath, _: Admin) -> LabourProposal:
    """The line a POST would add now (a preview, nothing changes); 409 when there is nothing to take over."""
    return labour.propose_labour_from_sessions(db, work_order_id)


@router.post("/from-sessions", response_model=list[LabourLinePublic], status_code=status.HTTP_201_CREATED)
def labour_from_sessions(db: DatabaseDep, work_order_id: DatabaseIdPath, principal: Admin) -> list[LabourLinePublic]:
    """One line "Arbeid" with the clocked minutes not yet billed, rounded up to the shop's billing unit; 409 when
    there are none."""
    return labour.labour_from_sessions(db, work_order_id, actor=principal)


@router.delete("/{line_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def remove_labour(
    db: DatabaseDep, work_order_id: DatabaseIdPath, line_id: DatabaseIdPath, principal: Admin
) -> Response:
    labour.remove_labour(db, work_order_id, line_id, actor=principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
