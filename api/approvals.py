"""A work order's approvals: every one so far, and a telephone approval recorded by the desk."""

from fastapi import APIRouter, status

from api.deps import Admin, DatabaseDep, DatabaseIdPath, Staff
from models.public import ApprovalPublic, PhoneApprovalCreate
from services import approvals

router = APIRouter(prefix="/api/workorders/{work_order_id}/approvals", tags=["approvals"])


@router.get("", response_model=list[ApprovalPublic])
def list_approvals(db: DatabaseDep, work_order_id: DatabaseIdPath, _: Staff) -> list[ApprovalPublic]:
    """Oldest first."""
    return approvals.approvals_of(db, work_order_id)


@router.post("", response_model=ApprovalPublic, status_code=status.HTTP_201_CREATED)
def approve_by_phone(
    db: DatabaseDep, work_order_id: DatabaseIdPath, body: PhoneApprovalCreate, principal: Admin
) -> ApprovalPublic:
    """The customer agreed on the telephone (who, and a note of what was said); 409 when nothing needs approval."""
    return approvals.approve_by_phone(db, work_order_id, body, actor=principal)
