"""The customer's approval of the estimate, as a record that never changes: who, when, on which device, exactly
what they approved (a snapshot of the lines and totals) and its SHA-256. The first approval is the iPad signature
that lets the car in; when the total grows more than 10 % past the last approved one (BW 7:752, BOVAG), the order
needs approval again: on the iPad once more, or by telephone with a note."""

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from sqlmodel import Session, col, select

from models import Approval, NotificationKind, WorkOrder
from models.messages import ApprovalChanged
from models.public import ApprovalPublic, PhoneApprovalCreate
from services.auth import Principal
from services.billing import estimate_lines, needs_approval, order_totals
from services.clock import utcnow
from services.db import Database
from services.errors import Conflict
from services.events import Mutation, mutation
from services.outbox import queue_notification
from services.text import clean_line, clean_text
from services.views import approval_public, latest_approval, lines_of
from services.workorders import get_work_order_row

log = logging.getLogger(__name__)

# The text above the signature field; a new wording gets a new version, so each approval says which it agreed to.
CONSENT_VERSION = "2026-11-v1"
CONSENT_TEXT = (
    "Ik geef opdracht voor de werkzaamheden en onderdelen hierboven, tegen de getoonde prijs inclusief btw. "
    "Wordt het meer dan 10 % duurder, dan vraagt de werkplaats eerst opnieuw mijn toestemming."
)


def canonical_json(snapshot: dict[str, Any]) -> str:
    """The form the contract hashes: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


def approval_needed(session: Session, work_order: WorkOrder) -> bool:
    """The order's needsApproval, as its JSON says it (without building the whole JSON)."""
    assert work_order.id is not None
    totals = order_totals(*lines_of(session, work_order.id))
    latest = latest_approval(session, work_order.id)
    return needs_approval(
        totals.including_vat_cents,
        None if latest is None else latest.approved_total_cents,
        signed_without_record=work_order.signed_at is not None,
    )


def approval_due_again(change: Mutation, work_order: WorkOrder) -> None:
    """The one place where an approved order comes to need the customer's approval again (the total grew more than
    10 %), inside the transaction that made it so: the customer's e-mail is queued with it."""
    log.info("werkorder %s: het totaal groeide meer dan 10 %% boven de toestemming", work_order.number)
    queue_notification(change, work_order, NotificationKind.TOESTEMMING)


@contextmanager
def watching_approval(change: Mutation, work_order: WorkOrder) -> Iterator[None]:
    """Around a change of an order's lines: tells approval_due_again when the change made needsApproval true."""
    before = approval_needed(change.session, work_order)
    yield
    change.session.flush()
    if not before and not change.approving and approval_needed(change.session, work_order):
        approval_due_again(change, work_order)


def record_approval(
    change: Mutation,
    work_order: WorkOrder,
    method: Literal["ipad", "telefoon", "online"],
    signer_name: str,
    png: bytes | None = None,
    note: str | None = None,
    extra: dict[str, Any] | None = None,
) -> ApprovalPublic:
    """Stores what the customer approved now (a telephone approval's note is part of it, an online one's
    decisions per inspection item are `extra`) and its `approval` event. The caller checked that it may."""
    assert work_order.id is not None
    parts, labour = lines_of(change.session, work_order.id)
    totals = order_totals(parts, labour)
    snapshot: dict[str, Any] = {
        "workOrderNumber": work_order.number,
        "lines": [line.model_dump(mode="json", by_alias=True) for line in estimate_lines(parts, labour)],
        "totals": totals.model_dump(mode="json", by_alias=True),
        "consentVersion": CONSENT_VERSION,
    }
    if note is not None:
        snapshot["note"] = note
    snapshot.update(extra or {})
    actor = change.actor
    approval = Approval(
        work_order_id=work_order.id,
        method=method,
        signer_name=signer_name,
        signed_at=utcnow(),
        device=f"{actor.name} ({actor.role})" if actor else ("statuspagina" if method == "online" else "systeem"),
        approved_total_cents=totals.including_vat_cents,
        consent_version=CONSENT_VERSION,
        snapshot=canonical_json(snapshot),
        snapshot_sha256=snapshot_sha256(snapshot),
        png=png,
    )
    change.session.add(approval)
    change.session.flush()
    public = approval_public(approval)
    change.record(work_order, ApprovalChanged(approval=public.summary(), note=note))
    return public


def approve_by_phone(
    db: Database, work_order_id: int, body: PhoneApprovalCreate, *, actor: Principal | None
) -> ApprovalPublic:
    """The desk called the customer, who agreed: recorded with who agreed and a note of what was said."""
    signer_name = clean_line(body.signer_name, "Naam", 200)
    note = clean_text(body.note, "Notitie", 2000)
    with mutation(db, actor) as change:
        work_order = get_work_order_row(change.session, work_order_id)
        if not approval_needed(change.session, work_order):
            raise Conflict(f"Werkorder {work_order.number} heeft geen (nieuwe) toestemming nodig")
        return record_approval(change, work_order, "telefoon", signer_name, note=note)


def approvals_of(db: Database, work_order_id: int) -> list[ApprovalPublic]:
    """Every approval of the order, oldest first."""
    with db.read() as session:
        get_work_order_row(session, work_order_id)
        rows = session.exec(select(Approval).where(Approval.work_order_id == work_order_id).order_by(col(Approval.id)))
        return [approval_public(row) for row in rows]
