"""Inspections and a vehicle's declined work as the work order JSON shows them (read in a fixed number of queries,
also for a whole board)."""

import json
from collections import defaultdict
from collections.abc import Collection

from sqlmodel import Session, col, select

from models import DeferredItem, Inspection, InspectionItem, InspectionPhoto
from models.public import DeferredPublic, InspectionItemPublic, InspectionPublic, PhotoPublic, Recommendation


def photo_url(photo_id: int) -> str:
    """The staff's address of a photo; the customer's page uses its own token's (/status/{token}/photos/{id})."""
    return f"/api/photos/{photo_id}"


def _item_public(item: InspectionItem, photo_ids: list[int]) -> InspectionItemPublic:
    assert item.id is not None
    recommendation = None if item.recommendation is None else Recommendation.model_validate_json(item.recommendation)
    return InspectionItemPublic(
        id=item.id,
        label=item.label,
        grade=item.grade,  # type: ignore[arg-type]
        note=item.note,
        photos=[PhotoPublic(id=photo_id, url=photo_url(photo_id)) for photo_id in photo_ids],
        recommendation=recommendation,
        decision=item.decision,  # type: ignore[arg-type]
    )


def inspections_of(session: Session, work_order_ids: Collection[int | None]) -> dict[int, InspectionPublic]:
    """The inspections of these orders, by work order id."""
    inspections = list(session.exec(select(Inspection).where(col(Inspection.work_order_id).in_(work_order_ids))))
    if not inspections:
        return {}
    ids = [inspection.id for inspection in inspections]
    items: dict[int, list[InspectionItem]] = defaultdict(list)
    statement = select(InspectionItem).where(col(InspectionItem.inspection_id).in_(ids))
    for item in session.exec(statement.order_by(col(InspectionItem.position), col(InspectionItem.id))):
        items[item.inspection_id].append(item)
    photos: dict[int, list[int]] = defaultdict(list)
    item_ids = [item.id for group in items.values() for item in group]
    photo_rows = session.exec(
        select(InspectionPhoto.id, InspectionPhoto.item_id)
        .where(col(InspectionPhoto.item_id).in_(item_ids))
        .order_by(col(InspectionPhoto.id))
    )
    for photo_id, item_id in photo_rows:
        if photo_id is not None:
            photos[item_id].append(photo_id)
    return {
        inspection.work_order_id: InspectionPublic(
            id=inspection.id or 0,
            work_order_id=inspection.work_order_id,
            status=inspection.status,  # type: ignore[arg-type]
            sent_at=inspection.sent_at,
            answered_at=inspection.answered_at,
            items=[_item_public(item, photos[item.id or 0]) for item in items[inspection.id or 0]],
        )
        for inspection in inspections
    }


def deferred_of(session: Session, plates: Collection[str]) -> dict[str, list[DeferredPublic]]:
    """What the customers of these cars declined, oldest first, by plate."""
    found: dict[str, list[DeferredPublic]] = defaultdict(list)
    statement = select(DeferredItem).where(col(DeferredItem.license_plate).in_(plates)).order_by(col(DeferredItem.id))
    for row in session.exec(statement):
        found[row.license_plate].append(DeferredPublic.of_row(row))
    return found


def recommendation_json(recommendation: Recommendation) -> str:
    return json.dumps(recommendation.model_dump(mode="json", by_alias=True), ensure_ascii=False)
