"""The digital inspection: the shop's checklist, an order's inspection, its items, photos and sending it to the
customer. The customer's side is on their status page (api.status_page)."""

from typing import Literal

from fastapi import APIRouter, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from api.deps import Admin, DatabaseDep, DatabaseIdPath, Mover, Staff
from api.uploads import read_file_field
from models.inspection_public import ChecklistUpdate, InspectionItemUpdate
from models.public import InspectionPublic, PhotoPublic
from services.inspections import keuring
from services.inspections.photos import MAX_UPLOAD_BYTES, process_photo

router = APIRouter(tags=["inspections"])
PhotoSize = Query(default="groot", description="klein: the thumbnail (at most 320 px)")


@router.get("/api/inspections/checklist", response_model=list[str])
def get_checklist(db: DatabaseDep, _principal: Staff) -> list[str]:
    """The shop's checklist: its own, or the Dutch preset."""
    return keuring.get_checklist(db)


@router.put("/api/inspections/checklist", response_model=list[str])
def set_checklist(db: DatabaseDep, body: ChecklistUpdate, principal: Admin) -> list[str]:
    return keuring.set_checklist(db, body, actor=principal)


@router.post(
    "/api/workorders/{work_order_id}/inspection", response_model=InspectionPublic, status_code=status.HTTP_201_CREATED
)
def start_inspection(db: DatabaseDep, work_order_id: DatabaseIdPath, principal: Mover) -> InspectionPublic:
    """An item per line of the checklist (`inspection`); 409 when the order has one already."""
    return keuring.start_inspection(db, work_order_id, actor=principal)


@router.patch("/api/inspections/{inspection_id}/items/{item_id}", response_model=InspectionPublic)
def update_item(
    db: DatabaseDep,
    inspection_id: DatabaseIdPath,
    item_id: DatabaseIdPath,
    body: InspectionItemUpdate,
    principal: Mover,
) -> InspectionPublic:
    """Grade, note, recommendation (`inspection`); 409 once sent."""
    return keuring.update_item(db, inspection_id, item_id, body, actor=principal)


@router.post(
    "/api/inspections/{inspection_id}/items/{item_id}/photos",
    response_model=PhotoPublic,
    status_code=status.HTTP_201_CREATED,
)
async def add_photo(
    request: Request, db: DatabaseDep, inspection_id: DatabaseIdPath, item_id: DatabaseIdPath, principal: Mover
) -> PhotoPublic:
    """multipart `file`: JPEG, PNG or HEIC by its bytes (415 otherwise), at most 15 MB (413, read as a stream);
    stored upright, at most 1600 px, as a JPEG without EXIF (`inspection`)."""
    data = await read_file_field(request, "file", MAX_UPLOAD_BYTES)
    photo = await run_in_threadpool(process_photo, data)
    return await run_in_threadpool(keuring.add_photo, db, inspection_id, item_id, photo, actor=principal)


@router.post("/api/inspections/{inspection_id}/send", response_model=InspectionPublic)
def send_inspection(db: DatabaseDep, inspection_id: DatabaseIdPath, principal: Admin) -> InspectionPublic:
    """`verstuurd`, with the e-mail `keuring` and its status link (`inspection`, `notification`)."""
    return keuring.send_inspection(db, inspection_id, actor=principal)


@router.get("/api/photos/{photo_id}", response_class=Response, responses={200: {"content": {"image/jpeg": {}}}})
def staff_photo(
    db: DatabaseDep, photo_id: DatabaseIdPath, _principal: Staff, size: Literal["groot", "klein"] = PhotoSize
) -> Response:
    jpeg = keuring.staff_photo(db, photo_id, thumbnail=size == "klein")
    return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})
