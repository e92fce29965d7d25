"""A work order's parts: asked for (anyone in the workshop), ordered and received (the warehouse), fitted."""

from fastapi import APIRouter, Response, status

from api.deps import DatabaseDep, DatabaseIdPath, PartsDesk, Staff
from models.public import PartCreate, PartPublic, PartUpdate
from services import parts

router = APIRouter(prefix="/api/workorders/{work_order_id}/parts", tags=["parts"])


@router.post("", response_model=PartPublic, status_code=status.HTTP_201_CREATED)
def add_part(db: DatabaseDep, work_order_id: DatabaseIdPath, body: PartCreate, principal: Staff) -> PartPublic:
    """A part the order needs (status `nodig`)."""
    return parts.add_part(db, work_order_id, body, actor=principal)


@router.patch("/{part_id}", response_model=PartPublic)
def update_part(
    db: DatabaseDep, work_order_id: DatabaseIdPath, part_id: DatabaseIdPath, body: PartUpdate, principal: Staff
) -> PartPublic:
    """`nodig` → `besteld` → `ontvangen` → `gemonteerd`, or `retour` from besteld or ontvangen; any other step or a
    stale `version` is 409. The warehouse and the desk change anything; a mechanic only marks a part fitted."""
    return parts.update_part(db, work_order_id, part_id, body, actor=principal)


@router.delete("/{part_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def remove_part(
    db: DatabaseDep, work_order_id: DatabaseIdPath, part_id: DatabaseIdPath, principal: PartsDesk
) -> Response:
    """Only while `nodig` (409 otherwise)."""
    parts.remove_part(db, work_order_id, part_id, actor=principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
