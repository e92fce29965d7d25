"""Labour lines of a work order: typed by the desk, or taken over from the mechanics' clocked sessions ("Uren
overnemen": one line with the minutes not yet billed, rounded up to the shop's billing unit, previewed first). The
minutes a line took from each session are kept, so the hours are never billed twice, and removing the line makes
them billable again."""

from sqlalchemy import delete
from sqlmodel import Session, col

from models import LabourLine, LabourSession, WorkOrder, WorkSession
from models.messages import LabourChanged
from models.public import ClockedMinutes, LabourCreate, LabourLinePublic, LabourProposal
from services.approvals import watching_approval
from services.auth import Principal
from services.billing import labour_cents, rounded_up
from services.clock import utcnow
from services.clocked import unbilled_sessions
from services.db import Database
from services.errors import Conflict, NotFound
from services.events import Mutation, mutation
from services.invoicing.invoices import refuse_if_invoiced
from services.shop import hourly_rate_cents, shop_settings_row
from services.text import clean_line
from services.views import labour_public
from services.workorders import get_work_order_row


def open_for_changes(change: Mutation, work_order_id: int) -> WorkOrder:
    work_order = get_work_order_row(change.session, work_order_id)
    refuse_if_invoiced(change.session, work_order)
    return work_order


def add_labour(db: Database, work_order_id: int, body: LabourCreate, *, actor: Principal | None) -> LabourLinePublic:
    """A line by hand; without rateCents at the shop's hourly rate (409 while none is set)."""
    description = clean_line(body.description, "Omschrijving", 500)
    with mutation(db, actor) as change:
        work_order = open_for_changes(change, work_order_id)
        rate = body.rate_cents if body.rate_cents is not None else hourly_rate_cents(change.session)
        return add_labour_line(change, work_order, description, body.minutes, rate)


def add_labour_line(
    change: Mutation, work_order: WorkOrder, description: str, minutes: int, rate_cents: int
) -> LabourLinePublic:
    """One line and its `labour` event, inside a mutation that already checked the order may change (a package
    adds its labour this way, in the same transaction as its parts)."""
    assert work_order.id is not None
    with watching_approval(change, work_order):
        line = LabourLine(
            work_order_id=work_order.id,
            description=description,
            minutes=minutes,
            rate_cents=rate_cents,
            created_at=utcnow(),
        )
        change.session.add(line)
        change.session.flush()
    public = labour_public(line)
    change.record(work_order, LabourChanged(action="added", lines=[public]))
    return public


def _customer_description(work_order: WorkOrder) -> str:
    """What the customer reads after "Arbeid: ": the job as the order describes it (its first line), never who
    did it."""
    first = next((line.strip() for line in work_order.description.splitlines() if line.strip()), "")
    return (first[:197] + "...") if len(first) > 200 else first or "Werkzaamheden"


def _proposal(
    session: Session, work_order: WorkOrder
) -> tuple[LabourProposal, dict[str, list[tuple[WorkSession, int]]]]:
    """The line "Uren overnemen" would add, and the session minutes it takes; 409 when nothing is left to take
    over or no hourly rate is set."""
    assert work_order.id is not None
    per_mechanic = unbilled_sessions(session, work_order.id)
    if not per_mechanic:
        raise Conflict(f"Werkorder {work_order.number} heeft geen geklokte minuten die nog niet zijn overgenomen")
    rate = hourly_rate_cents(session)
    unit = shop_settings_row(session).billing_unit_minutes
    clocked = {mechanic: sum(minutes for _, minutes in sessions) for mechanic, sessions in per_mechanic.items()}
    total = sum(clocked.values())
    minutes = rounded_up(total, unit)
    proposal = LabourProposal(
        description=_customer_description(work_order),
        clocked_minutes=total,
        minutes=minutes,
        billing_unit_minutes=unit,
        rate_cents=rate,
        amount_cents=labour_cents(minutes, rate),
        mechanics=[ClockedMinutes(mechanic=mechanic, minutes=worked) for mechanic, worked in clocked.items()],
    )
    return proposal, per_mechanic


def propose_labour_from_sessions(db: Database, work_order_id: int) -> LabourProposal:
    """What "Uren overnemen" would add now, for the desk to see first; changes nothing."""
    with db.read() as session:
        work_order = get_work_order_row(session, work_order_id)
        refuse_if_invoiced(session, work_order)
        return _proposal(session, work_order)[0]


def labour_from_sessions(db: Database, work_order_id: int, *, actor: Principal | None) -> list[LabourLinePublic]:
    """One line with the clocked minutes not yet billed, rounded up to the shop's billing unit, at the shop's
    hourly rate, described as the order's job (never a mechanic's name); 409 when there are none."""
    with mutation(db, actor) as change:
        work_order = open_for_changes(change, work_order_id)
        proposal, per_mechanic = _proposal(change.session, work_order)
        with watching_approval(change, work_order):
            line = LabourLine(
                work_order_id=work_order_id,
                description=proposal.description,
                minutes=proposal.minutes,
                rate_cents=proposal.rate_cents,
                created_at=utcnow(),
            )
            change.session.add(line)
            change.session.flush()
            assert line.id is not None
            for sessions in per_mechanic.values():
                for work_session, minutes in sessions:
                    assert work_session.id is not None
                    change.session.add(
                        LabourSession(labour_line_id=line.id, work_session_id=work_session.id, minutes=minutes)
                    )
            change.session.flush()
        public = [labour_public(line)]
        change.record(work_order, LabourChanged(action="added", lines=public, from_sessions=True))
        return public


def remove_labour(db: Database, work_order_id: int, line_id: int, *, actor: Principal | None) -> None:
    """The line goes; minutes it took from sessions can be taken over again."""
    with mutation(db, actor) as change:
        work_order = open_for_changes(change, work_order_id)
        line = change.session.get(LabourLine, line_id)
        if line is None or line.work_order_id != work_order_id:
            raise NotFound(f"Arbeidsregel {line_id} bestaat niet bij werkorder {work_order_id}")
        public = labour_public(line)
        change.session.exec(delete(LabourSession).where(col(LabourSession.labour_line_id) == line_id))  # type: ignore[call-overload]
        change.session.delete(line)
        change.session.flush()
        change.record(work_order, LabourChanged(action="removed", lines=[public]))
