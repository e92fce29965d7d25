"""The digital inspection (digitale keuring): the mechanic grades each line of the shop's checklist at the car
(groen, oranje, rood), with a note, photos and, where work is needed, a priced recommendation; the desk sends it to
the customer, who approves or declines each recommendation on their status page and signs. That answer is one
transaction: an online approval (snapshot and SHA-256 as the iPad's), each approved recommendation as a labour
line and parts (`nodig`, so the parts desk sees them at once), each declined one kept on the vehicle."""

import json
from typing import Any

from sqlmodel import Session, col, delete, select

from models import (
    ChecklistItem,
    DeferredItem,
    Inspection,
    InspectionItem,
    InspectionPhoto,
    NotificationKind,
    ServicePackage,
    WorkOrder,
)
from models.inspection_public import ChecklistUpdate, InspectionAnswer, InspectionItemUpdate, RecommendationInput
from models.messages import InspectionChanged
from models.planning_public import PackagePart
from models.public import (
    Actor,
    ApprovalPublic,
    InspectionItemPublic,
    InspectionPublic,
    PartCreate,
    PhotoPublic,
    Recommendation,
    RecommendationPart,
)
from services.approvals import record_approval
from services.auth import Principal
from services.billing import labour_cents, totals_of
from services.clock import utcnow
from services.customer_status import work_order_by_token
from services.db import Database
from services.display import decode_signature_png
from services.errors import Conflict, Invalid, NotFound
from services.events import Mutation, mutation
from services.inspections.photos import Photo
from services.inspections.views import inspections_of, photo_url, recommendation_json
from services.labour import add_labour_line, open_for_changes
from services.outbox import queue_notification
from services.packages import excluding_vat, fixed_price_rate
from services.parts import add_part_line
from services.shop import hourly_rate_cents
from services.text import clean_line, clean_text
from services.workorders import get_work_order_row

# The Dutch preset: what a mechanic checks on every car, and the APK points a customer recognises.
PRESET = [
    "Band linksvoor (profieldiepte in mm)",
    "Band rechtsvoor (profieldiepte in mm)",
    "Band linksachter (profieldiepte in mm)",
    "Band rechtsachter (profieldiepte in mm)",
    "Remmen voor (schijven en blokken)",
    "Remmen achter",
    "Verlichting",
    "Ruitenwissers",
    "Vloeistoffen (olie, koelvloeistof, remvloeistof)",
    "Accu",
    "Uitlaat",
    "Schokdempers",
    "Lekkage",
    "Stuurinrichting en fuseekogels (APK)",
    "Ruiten en spiegels (APK)",
    "Gordels en claxon (APK)",
]


def checklist_labels(session: Session) -> list[str]:
    rows = session.exec(select(ChecklistItem).order_by(col(ChecklistItem.position))).all()
    return [row.label for row in rows] or list(PRESET)


def get_checklist(db: Database) -> list[str]:
    with db.read() as session:
        return checklist_labels(session)


def set_checklist(db: Database, body: ChecklistUpdate, *, actor: Principal | None) -> list[str]:
    """The admin's own checklist replaces the preset (inspections already started keep their items)."""
    labels = [clean_line(label, "Keuringspunt", 200) for label in body.items]
    with mutation(db, actor) as change:
        change.session.exec(delete(ChecklistItem))  # type: ignore[call-overload]
        for position, label in enumerate(labels):
            change.session.add(ChecklistItem(position=position, label=label))
        return labels


def _inspection_row(session: Session, inspection_id: int) -> Inspection:
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(f"Keuring {inspection_id} bestaat niet")
    return inspection


def _item_row(session: Session, inspection: Inspection, item_id: int) -> InspectionItem:
    item = session.get(InspectionItem, item_id)
    if item is None or item.inspection_id != inspection.id:
        raise NotFound(f"Keuringspunt {item_id} bestaat niet bij keuring {inspection.id}")
    return item


def _open_inspection(session: Session, inspection_id: int) -> Inspection:
    inspection = _inspection_row(session, inspection_id)
    if inspection.status != "open":
        raise Conflict("De keuring is al naar de klant verstuurd en kan niet meer veranderen")
    return inspection


def _public(session: Session, work_order_id: int) -> InspectionPublic:
    return inspections_of(session, [work_order_id])[work_order_id]


def _item_public(session: Session, inspection: Inspection, item_id: int | None) -> InspectionItemPublic:
    return next(item for item in _public(session, inspection.work_order_id).items if item.id == item_id)


def _record(change: Mutation, inspection: Inspection, event: InspectionChanged) -> None:
    change.record(get_work_order_row(change.session, inspection.work_order_id), event)


def start_inspection(db: Database, work_order_id: int, *, actor: Principal | None) -> InspectionPublic:
    """An item per line of the shop's checklist; one inspection per order (409 for a second)."""
    with mutation(db, actor) as change:
        session = change.session
        work_order = get_work_order_row(session, work_order_id)
        if session.exec(select(Inspection).where(Inspection.work_order_id == work_order_id)).first() is not None:
            raise Conflict(f"Werkorder {work_order.number} heeft al een keuring")
        inspection = Inspection(work_order_id=work_order_id, created_at=utcnow())
        session.add(inspection)
        session.flush()
        assert inspection.id is not None
        for position, label in enumerate(checklist_labels(session)):
            session.add(InspectionItem(inspection_id=inspection.id, position=position, label=label))
        change.record(work_order, InspectionChanged(action="started"))
        return _public(session, work_order_id)


def _priced(session: Session, body: RecommendationInput) -> Recommendation:
    """The recommendation as the customer will see it: a package's name, minutes, parts and price, or the work by
    hand; without a price, the minutes at the hourly rate plus the parts, with VAT."""
    if body.package_id is not None:
        package = session.get(ServicePackage, body.package_id)
        if package is None or not package.active:
            raise Invalid(f"Werkpakket {body.package_id} bestaat niet", "packageId")
        description = package.name
        minutes = package.labour_minutes
        parts = [PackagePart.model_validate(part) for part in json.loads(package.parts)]
        price = body.price_cents if body.price_cents is not None else package.fixed_price_cents
    else:
        description = clean_line(body.description, "Omschrijving van de aanbeveling", 500)
        minutes, price = body.labour_minutes, body.price_cents
        parts = [PackagePart.model_validate(part.model_dump()) for part in body.parts]
    lines = [
        RecommendationPart(
            description=clean_line(part.description, "Omschrijving van het onderdeel", 500),
            article_number=part.article_number,
            quantity=part.quantity,
            unit_price_cents=part.unit_price_cents,
        )
        for part in parts
    ]
    parts_cents = sum(part.quantity * (part.unit_price_cents or 0) for part in lines)
    if price is None:
        labour = labour_cents(minutes, hourly_rate_cents(session)) if minutes else 0
        price = totals_of(labour + parts_cents).including_vat_cents
    elif excluding_vat(price) < parts_cents:
        raise Invalid("De prijs is lager dan de onderdelen alleen", "priceCents")
    if price <= 0:
        raise Invalid("Een aanbeveling heeft een prijs", "priceCents")
    return Recommendation(description=description, labour_minutes=minutes, parts=lines, price_cents=price)


def update_item(
    db: Database, inspection_id: int, item_id: int, body: InspectionItemUpdate, *, actor: Principal | None
) -> InspectionPublic:
    """Grade, note or recommendation of one item (only those sent; null clears); 409 once sent."""
    sent = body.model_fields_set
    with mutation(db, actor) as change:
        session = change.session
        inspection = _open_inspection(session, inspection_id)
        item = _item_row(session, inspection, item_id)
        if "grade" in sent:
            item.grade = body.grade
        if "note" in sent:
            item.note = clean_text(body.note, "Notitie", 2000) if body.note and body.note.strip() else None
        if "recommendation" in sent:
            recommendation = body.recommendation
            item.recommendation = (
                None if recommendation is None else recommendation_json(_priced(session, recommendation))
            )
        session.add(item)
        session.flush()
        _record(change, inspection, InspectionChanged(action="item", item=_item_public(session, inspection, item.id)))
        return _public(session, inspection.work_order_id)


def add_photo(db: Database, inspection_id: int, item_id: int, photo: Photo, *, actor: Principal | None) -> PhotoPublic:
    """A processed photo (services.inspections.photos) on an item; 409 once sent."""
    with mutation(db, actor) as change:
        session = change.session
        inspection = _open_inspection(session, inspection_id)
        item = _item_row(session, inspection, item_id)
        assert item.id is not None
        row = InspectionPhoto(
            item_id=item.id,
            work_order_id=inspection.work_order_id,
            jpeg=photo.jpeg,
            thumbnail=photo.thumbnail,
            width=photo.width,
            height=photo.height,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        _record(change, inspection, InspectionChanged(action="photo", item=_item_public(session, inspection, item.id)))
        return PhotoPublic(id=row.id, url=photo_url(row.id))


def send_inspection(db: Database, inspection_id: int, *, actor: Principal | None) -> InspectionPublic:
    """To the customer: `verstuurd`, and the e-mail `keuring` with the status link (when they have an address)."""
    with mutation(db, actor) as change:
        session = change.session
        inspection = _open_inspection(session, inspection_id)
        inspection.status, inspection.sent_at = "verstuurd", utcnow()
        session.add(inspection)
        work_order = get_work_order_row(session, inspection.work_order_id)
        change.record(work_order, InspectionChanged(action="sent"))
        queue_notification(change, work_order, NotificationKind.KEURING)
        return _public(session, inspection.work_order_id)


def _add_recommended_work(change: Mutation, work_order: WorkOrder, recommendation: Recommendation) -> None:
    """Parts at their prices (`nodig`), and a labour line for the rest of the price, so the order grows by exactly
    what the customer saw (excl. VAT)."""
    parts_cents = 0
    for part in recommendation.parts:
        body = PartCreate(description=part.description, quantity=part.quantity, unit_price_cents=part.unit_price_cents)
        add_part_line(change, work_order, body, part.description, part.article_number)
        parts_cents += part.quantity * (part.unit_price_cents or 0)
    rest = excluding_vat(recommendation.price_cents) - parts_cents
    if rest > 0 or recommendation.labour_minutes > 0:
        minutes, rate = fixed_price_rate(recommendation.labour_minutes, max(rest, 0))
        add_labour_line(change, work_order, recommendation.description, minutes, rate)


def _decided(items: list[InspectionItem], body: InspectionAnswer) -> dict[int, str]:
    """item id → decision: exactly one for every item with a recommendation (422 otherwise)."""
    recommended = {str(item.id): item.id for item in items if item.recommendation is not None and item.id}
    unknown = [key for key in body.decisions if key not in recommended]
    if unknown:
        raise Invalid(f"Keuringspunt {', '.join(unknown)} heeft geen aanbeveling om over te beslissen", "decisions")
    missing = [key for key in recommended if key not in body.decisions]
    if missing:
        raise Invalid("Kies bij elke aanbeveling Akkoord of Niet nu", "decisions")
    return {recommended[key]: decision for key, decision in body.decisions.items()}


def answer_inspection(db: Database, token: str, body: InspectionAnswer) -> ApprovalPublic:
    """The customer's answer from the status page, all in one transaction (see the module's docstring)."""
    signer_name = clean_line(body.signer_name, "Naam", 200)
    png = decode_signature_png(body.signature)
    with mutation(db, None) as change:
        session = change.session
        work_order = work_order_by_token(session, token)
        if work_order is None:
            raise NotFound("Deze pagina bestaat niet")
        inspection = session.exec(select(Inspection).where(Inspection.work_order_id == work_order.id)).first()
        if inspection is None or inspection.status == "open":
            raise Conflict("Er is geen keuring om te beantwoorden")
        if inspection.status == "beantwoord":
            raise Conflict("U heeft deze keuring al beantwoord")
        items = list(session.exec(select(InspectionItem).where(InspectionItem.inspection_id == inspection.id)))
        decisions = _decided(items, body)
        open_for_changes(change, inspection.work_order_id)
        change.actor = Actor(name=signer_name, role="klant")
        change.approving = True
        now = utcnow()
        summary: list[dict[str, Any]] = []
        for item in sorted(items, key=lambda item: item.position):
            if item.id not in decisions or item.recommendation is None:
                continue
            recommendation = Recommendation.model_validate_json(item.recommendation)
            item.decision = decisions[item.id]
            session.add(item)
            summary.append({"itemId": item.id, "label": item.label, "description": recommendation.description,
                            "priceCents": recommendation.price_cents, "decision": item.decision})  # fmt: skip
            if item.decision == "akkoord":
                _add_recommended_work(change, work_order, recommendation)
            else:
                session.add(
                    DeferredItem(
                        license_plate=work_order.license_plate,
                        label=item.label,
                        description=_deferred_text(recommendation, item),
                        since=now,
                        work_order_id=inspection.work_order_id,
                    )
                )
        inspection.status, inspection.answered_at = "beantwoord", now
        session.add(inspection)
        approval = record_approval(change, work_order, "online", signer_name, png, extra={"inspection": summary})
        approved = sum(1 for entry in summary if entry["decision"] == "akkoord")
        change.record(
            work_order, InspectionChanged(action="answered", approved=approved, declined=len(summary) - approved)
        )
        return approval


def _deferred_text(recommendation: Recommendation, item: InspectionItem) -> str:
    """ "Remschijven voor, 2 mm": the work, and the mechanic's note when there is one."""
    return f"{recommendation.description}, {item.note}" if item.note else recommendation.description


def staff_photo(db: Database, photo_id: int, thumbnail: bool) -> bytes:
    with db.read() as session:
        photo = session.get(InspectionPhoto, photo_id)
        if photo is None:
            raise NotFound(f"Foto {photo_id} bestaat niet")
        return photo.thumbnail if thumbnail else photo.jpeg


def customer_photo(db: Database, token: str, photo_id: int, thumbnail: bool) -> bytes | None:
    """A photo of the order whose token this is; None for any other (the same plain 404)."""
    with db.read() as session:
        work_order = work_order_by_token(session, token)
        photo = session.get(InspectionPhoto, photo_id)
        if work_order is None or photo is None or photo.work_order_id != work_order.id:
            return None
        return photo.thumbnail if thumbnail else photo.jpeg
