"""Parts from request to fitted: a mechanic asks for one (nodig), the warehouse orders (besteld, with an expected
date) and receives it (ontvangen), the mechanic fits it (gemonteerd); ordered or received parts can go back
(retour); a part received by mistake goes back to besteld within UNDO_WINDOW. Each change is a `parts` event of
its order; the one after which the order waits for no part any more says so (`allReceived`)."""

from collections.abc import Collection
from datetime import timedelta

from sqlmodel import Session, select

from models import PART_STEPS, Part, PartStatus, Role, WorkOrder
from models.messages import PartsChanged
from models.public import PartCreate, PartPublic, PartUpdate
from services.approvals import watching_approval
from services.auth import Principal
from services.clock import as_utc, utcnow
from services.db import Database
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.events import Mutation, mutation
from services.invoicing.invoices import refuse_if_invoiced
from services.text import clean_line
from services.views import part_public
from services.workorders import get_work_order_row

AWAITED = frozenset({PartStatus.NODIG.value, PartStatus.BESTELD.value})  # what an order still waits for
UNDO_WINDOW = timedelta(seconds=60)  # how long "Ontvangen" can be taken back


def all_parts_in(statuses: Collection[str]) -> bool:
    """The order has parts and waits for none of them: the board's "Alle onderdelen binnen"."""
    return bool(statuses) and AWAITED.isdisjoint(statuses)


def parts_arrived(before: Collection[str], after: Collection[str]) -> bool:
    """`allReceived`: the change after which all parts are in, while before it some were awaited (the last
    awaited part received, or the last needed one removed); every page tells the news by this one rule."""
    return not AWAITED.isdisjoint(before) and all_parts_in(after)


def _statuses(session: Session, work_order_id: int) -> list[str]:
    return list(session.exec(select(Part.status).where(Part.work_order_id == work_order_id)))


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


def _record(
    change: Mutation, work_order_id: int, public: PartPublic, action: str, before: list[str], undone: bool = False
) -> PartPublic:
    """The part's event, with `allReceived` from the order's part statuses before and after the change."""
    change.session.flush()
    arrived = parts_arrived(before, _statuses(change.session, work_order_id))
    work_order = get_work_order_row(change.session, work_order_id)
    event = PartsChanged(part=public, action=action, all_received=arrived, undone=undone)  # type: ignore[arg-type]
    change.record(work_order, event)
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
    before = _statuses(change.session, work_order.id)
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
    change.session.flush()
    return _record(change, work_order.id, part_public(part), "added", before)


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
        undone = was is PartStatus.ONTVANGEN and step is PartStatus.BESTELD
        if undone:
            _refuse_late_undo(part)
        changed = [name for name, value in wanted.items() if getattr(part, name) != value]
        if step is None and not changed:
            return part_public(part)
        before = _statuses(change.session, work_order_id)
        with watching_approval(change, get_work_order_row(change.session, work_order_id)):
            for name in changed:
                setattr(part, name, wanted[name])
        if step is not None:
            part.status = step.value
            if undone:
                part.received_at = None  # ordered as it was: its orderedAt stays
            elif step is PartStatus.BESTELD:
                part.ordered_at = utcnow()
            elif step is PartStatus.ONTVANGEN:
                part.received_at = utcnow()
        part.version += 1
        change.session.flush()
        return _record(change, work_order_id, part_public(part), "updated", before, undone)


def _refuse_late_undo(part: Part) -> None:
    """Ontvangen back to besteld only within UNDO_WINDOW of its receipt (409 later: send it back, retour)."""
    received = part.received_at
    if received is None or utcnow() - as_utc(received) > UNDO_WINDOW:
        raise Conflict(
            f"{part.description} is langer dan een minuut geleden ontvangen; dat kan niet meer ongedaan worden"
            " gemaakt (stuur het retour als het niet klopt)"
        )


def remove_part(db: Database, work_order_id: int, part_id: int, *, actor: Principal | None) -> None:
    """Only a part nobody ordered yet can go (409 otherwise: send an ordered one back instead, `retour`)."""
    with mutation(db, actor) as change:
        part = _part_of(change.session, work_order_id, part_id)
        if part.status != PartStatus.NODIG.value:
            raise Conflict(f"Onderdeel {part_id} is al {part.status}; alleen een onderdeel dat nodig is kan weg")
        public = part_public(part)
        before = _statuses(change.session, work_order_id)
        change.session.delete(part)
        _record(change, work_order_id, public, "removed", before)
