"""The counter iPad: the order waiting for signature, and the signature itself."""

from fastapi import APIRouter, status

from api.deps import Admin, AnyRole, DatabaseDep, Signer
from models import Role
from models.public import DisplayCurrent, SignatureSubmit, WorkOrderPublic
from services import display

router = APIRouter(prefix="/api/display", tags=["display"])


@router.get("/current", response_model=WorkOrderPublic | None)
def get_current(db: DatabaseDep, _: AnyRole) -> WorkOrderPublic | None:
    return display.current_display(db)


@router.put("/current", response_model=WorkOrderPublic | None)
def set_current(db: DatabaseDep, body: DisplayCurrent, principal: Admin) -> WorkOrderPublic | None:
    """Send an order to the iPad ("Naar iPad"); `null` clears it. The iPad page shows it at once."""
    return display.set_current_display(db, body.work_order_id, actor=principal)


@router.post("/signature", response_model=WorkOrderPublic, status_code=status.HTTP_201_CREATED)
def sign(db: DatabaseDep, body: SignatureSubmit, principal: Signer) -> WorkOrderPublic:
    """The customer's signature (a PNG data URL, at most 1 MiB); the display may sign only its current order."""
    return display.sign_work_order(
        db,
        body.work_order_id,
        body.signer_name,
        body.signature,
        actor=principal,
        only_current=principal.role is Role.DISPLAY,
    )
