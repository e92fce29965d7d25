"""Parts from request to fitted: a mechanic asks for one (nodig), the warehouse orders (besteld, with an expected
date) and receives it (ontvangen), the mechanic fits it (gemonteerd); ordered or received parts can go back
(retour). Each change is a `parts` event of its order; the one that makes its last ordered part received says
so (`allReceived`), so every page can tell the order has all its parts."""

from sqlmodel import Session, col, select

from models import PART_STEPS, Part, PartStatus, Role, WorkOrder
from models.messages import PartsChanged
from models.public import PartCreate, PartPublic, PartUpdate
from services.approvals import watching_approval
from services.auth import Principal
from services.clock import utcnow
from services.db import Database
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.events import Mutation, mutation
from services.invoices import refuse_if_invoiced
from services.text import clean_line
from services.views import part_public
from services.workorders import get_work_order_row


def _optional_line(raw: str | None, what: str, max_length: int) -> str | None:
    return None if raw is None or not raw.strip() else clean_line(raw, what, max_length)


def _open_order(session: Session, work_order_id: int) -> WorkOrder:
    """The order, if its parts may change: not while it has a current invoice (409)."""
    work_order = get_work_order_row(session, work_order_id)
    refuse_if_invoiced(session, work_order)
    return work_order


def _part_of(session: Session, work_order_id: int, part_id: int) -> Part:
    """The part, if it belongs to that order: another order's part is as unknown as a missing one."""
    _open_order(session, work_order_id)
    part = session.get(Part, part_id)
    if part is None or part.work_order_id != work_order_id:
        raise NotFound(f"Onderdeel {part_id} bestaat niet bij werkorder {work_order_id}")
    return part


def _record(change: Mutation, part: Part, action: str, all_received: bool = False) -> PartPublic:
    change.session.flush()
    public = part_public(part)
    work_order = get_work_order_row(change.session, part.work_order_id)
    change.record(work_order, PartsChanged(part=public, action=action, all_received=all_received))  # type: ignore[arg-type]
    return public


def add_part(db: Database, work_order_id: int, body: PartCreate, *, actor: Principal | None) -> PartPublic:
    """A part the order needs (status nodig)."""
    description = clean_line(body.description, "Omschrijving", 500)
    article_number = _optional_line(body.article_number, "Artikelnummer", 100)
    supplier = _optional_line(body.supplier, "Leverancier", 200)
    with mutation(db, actor) as change:
        work_order = _open_order(change.session, work_order_id)
        return add_part_line(change, work_order, body, description, article_number, supplier)


def add_part_line(
    change: Mutation,
    work_order: WorkOrder,
    body: PartCreate,
    description: str,
    article_number: str | None = None,
    supplier: str | None = None,
) -> PartPublic:
    """One part (nodig) and its `parts` event, inside a mutation that already checked the order may change (a
    package adds its parts this way, in the same transaction as its labour); the texts are cleaned already."""
    assert work_order.id is not None
    part = Part(
        work_order_id=work_order.id,
        article_number=article_number,
        description=description,
        quantity=body.quantity,
        unit_price_cents=body.unit_price_cents,
        supplier=supplier,
        created_at=utcnow(),
    )
    with watching_approval(change, work_order):
        change.session.add(part)
    return _record(change, part, "added")


_TEXT_FIELDS = {"supplier": ("Leverancier", 200), "supplier_reference": ("Referentie van de leverancier", 200)}


def update_part(
    db: Database, work_order_id: int, part_id: int, body: PartUpdate, *, actor: Principal | None
) -> PartPublic:
    """Only the fields sent change (null clears an optional one); a step the contract does not allow, or a stale
    `version`, is 409; a mechanic may only mark a part fitted."""
    sent = body.model_fields_set - {"version"}
    if (
        actor is not None
        and actor.role is Role.MONTEUR
        and (sent != {"status"} or body.status != PartStatus.GEMONTEERD)
    ):
        raise Forbidden("Een monteur kan een onderdeel alleen als gemonteerd melden")
    wanted: dict[str, object] = {}
    for name in sent - {"status"}:
        value = getattr(body, name)
        if name in _TEXT_FIELDS:
            value = _optional_line(value, *_TEXT_FIELDS[name])
        elif name == "quantity" and value is None:
            raise Invalid("Aantal mag niet leeg zijn")
        wanted[name] = value
    with mutation(db, actor) as change:
        part = _part_of(change.session, work_order_id, part_id)
        if body.version is not None and body.version != part.version:
            raise Conflict(f"Onderdeel {part_id} is intussen gewijzigd (versie {part.version})")
        was = PartStatus(part.status)
        step = None if body.status is None or body.status == was else PartStatus(body.status)
        if step is not None and step not in PART_STEPS[was]:
            raise Conflict(f"Een onderdeel dat {was.value} is kan niet {step.value} worden")
        changed = [name for name, value in wanted.items() if getattr(part, name) != value]
        if step is None and not changed:
            return part_public(part)
        with watching_approval(change, get_work_order_row(change.session, work_order_id)):
            for name in changed:
                setattr(part, name, wanted[name])
        all_received = False
        if step is not None:
            part.status = step.value
            if step is PartStatus.BESTELD:
                part.ordered_at = utcnow()
            elif step is PartStatus.ONTVANGEN:
                part.received_at = utcnow()
                change.session.flush()
                all_received = not _still_ordered(change.session, work_order_id)
        part.version += 1
        return _record(change, part, "updated", all_received)


def _still_ordered(session: Session, work_order_id: int) -> bool:
    statement = select(Part.id).where(Part.work_order_id == work_order_id, col(Part.status) == PartStatus.BESTELD.value)
    return session.exec(statement.limit(1)).first() is not None


def remove_part(db: Database, work_order_id: int, part_id: int, *, actor: Principal | None) -> None:
    """Only a part nobody ordered yet can go (409 otherwise: send an ordered one back instead, `retour`)."""
    with mutation(db, actor) as change:
        part = _part_of(change.session, work_order_id, part_id)
        if part.status != PartStatus.NODIG.value:
            raise Conflict(f"Onderdeel {part_id} is al {part.status}; alleen een onderdeel dat nodig is kan weg")
        public = part_public(part)
        change.session.delete(part)
        change.session.flush()
        work_order = get_work_order_row(change.session, work_order_id)
        change.record(work_order, PartsChanged(part=public, action="removed"))
