"""Work orders, sessions, customers and vehicles as the API and the events show them (the *Public models)."""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, func, or_
from sqlmodel import Session, col, select

from models import (
    Appointment,
    Approval,
    BoardColumn,
    Customer,
    Invoice,
    InvoiceDocument,
    InvoiceKind,
    InvoiceStatus,
    LabourLine,
    Notification,
    Part,
    Vehicle,
    WorkOrder,
    WorkOrderPackage,
    WorkSession,
)
from models.public import (
    AppointmentPublic,
    ApprovalPublic,
    CustomerPublic,
    DeferredPublic,
    InspectionPublic,
    InvoicePublic,
    LabourLinePublic,
    NotificationPublic,
    PartPublic,
    PaymentPublic,
    Progress,
    RdwState,
    SessionPublic,
    VehiclePublic,
    WorkOrderPublic,
)
from services.billing import needs_approval, order_totals
from services.clocked import clocked_minutes
from services.inspections.views import deferred_of, inspections_of
from services.invoicing.views import Settlement, settlement_of, settlements_of

COLUMN_ORDER = {column.value: index for index, column in enumerate(BoardColumn)}


def session_public(work_session: WorkSession) -> SessionPublic:
    return SessionPublic.of_row(work_session)


def customer_public(customer: Customer) -> CustomerPublic:
    public = CustomerPublic.of_row(customer)
    public.reminders_opt_out = customer.reminders_opt_out_at is not None
    return public


def vehicle_public(vehicle: Vehicle, deferred: list[DeferredPublic] | None = None) -> VehiclePublic:
    fields = vehicle.model_dump()
    fields["deferred"] = deferred or []
    fields["rdw"] = RdwState(status=vehicle.rdw_status, checked_at=vehicle.rdw_checked_at)  # type: ignore[arg-type]
    return VehiclePublic.model_validate(fields)


def part_public(part: Part) -> PartPublic:
    return PartPublic.of_row(part)


def labour_public(line: LabourLine) -> LabourLinePublic:
    return LabourLinePublic.of_row(line)


def approval_public(approval: Approval) -> ApprovalPublic:
    fields = approval.model_dump(exclude={"png", "device"})
    fields["snapshot"] = json.loads(approval.snapshot)
    return ApprovalPublic.model_validate(fields)


def invoice_document(invoice: Invoice) -> InvoiceDocument:
    return InvoiceDocument.model_validate_json(invoice.document)


def invoice_public(invoice: Invoice, settlement: Settlement) -> InvoicePublic:
    """The invoice as issued, and how far it is paid (`settlement`: its payments and newest Mollie payment)."""
    document = invoice_document(invoice)
    paid = settlement.paid_cents
    link = settlement.link
    still_open = document.totals.including_vat_cents - paid
    live_link = invoice.status == InvoiceStatus.OPEN and link is not None and link.amount_cents == still_open
    return InvoicePublic(
        id=invoice.id or 0,
        number=invoice.number,
        kind=invoice.kind,  # type: ignore[arg-type]
        work_order_id=invoice.work_order_id,
        credit_of=invoice.credit_of,
        issued_at=invoice.issued_at,
        due_at=invoice.due_on,
        lines=document.lines,
        totals=document.totals,
        pdf_url=f"/api/invoices/{invoice.id}/pdf",
        status=invoice.status,  # type: ignore[arg-type]
        paid_cents=paid,
        payment_url=link.checkout_url if live_link and link is not None else None,
        payments=[PaymentPublic.of_row(payment) for payment in settlement.payments],
    )


def notification_public(notification: Notification) -> NotificationPublic:
    fields = notification.model_dump()
    fields["to"], fields["error"] = notification.recipient, notification.last_error
    return NotificationPublic.model_validate(fields)


def appointment_public(appointment: Appointment) -> AppointmentPublic:
    return AppointmentPublic.of_row(appointment)


@dataclass
class Plan:
    """What an order's progress is measured by: its appointment, its packages' norm minutes, its sessions."""

    appointment: Appointment | None = None
    package_minutes: int = 0
    sessions: list[WorkSession] = field(default_factory=list)
    inspection: InspectionPublic | None = None  # not the plan, but read beside it
    deferred: list[DeferredPublic] = field(default_factory=list)

    def progress(self) -> Progress:
        planned = self.appointment.minutes if self.appointment is not None else self.package_minutes
        clocked = sum(clocked_minutes(work_session) for work_session in self.sessions)
        return Progress(planned_minutes=planned, clocked_minutes=clocked, overrun=0 < planned < clocked)


def status_url(work_order: WorkOrder) -> str:
    return f"/status/{work_order.status_token}"


def _public(
    work_order: WorkOrder,
    customer: Customer,
    vehicle: Vehicle | None,
    active: Sequence[WorkSession],
    parts: Sequence[Part],
    labour: Sequence[LabourLine],
    approval: Approval | None,
    invoice: Invoice | None,
    settlement: Settlement,
    plan: Plan,
) -> WorkOrderPublic:
    fields = work_order.model_dump()
    fields["parts"] = [part_public(part) for part in parts]
    fields["labour"] = [labour_public(line) for line in labour]
    totals = order_totals(parts, labour)
    fields["totals"] = totals
    fields["approval"] = None if approval is None else approval_public(approval)
    fields["needs_approval"] = needs_approval(
        totals.including_vat_cents,
        None if approval is None else approval.approved_total_cents,
        signed_without_record=work_order.signed_at is not None,
    )
    fields["invoice"] = None if invoice is None else invoice_public(invoice, settlement)
    fields["customer_name"] = customer.name
    fields["customer"] = customer_public(customer)
    fields["vehicle"] = vehicle_public(vehicle or Vehicle(license_plate=work_order.license_plate), plan.deferred)
    fields["status_url"] = status_url(work_order)
    fields["active_sessions"] = [session_public(s) for s in active]
    fields["appointment"] = None if plan.appointment is None else appointment_public(plan.appointment)
    fields["progress"] = plan.progress()
    fields["inspection"] = plan.inspection
    return WorkOrderPublic.model_validate(fields)


# Built once: every event's snapshot and every list read runs them.
_RUNNING = select(WorkSession).where(col(WorkSession.ended_at).is_(None)).order_by(col(WorkSession.id))
_RUNNING_FOR_ONE = _RUNNING.where(col(WorkSession.work_order_id) == bindparam("work_order_id"))
_PARTS_OF_ONE = select(Part).where(col(Part.work_order_id) == bindparam("work_order_id")).order_by(col(Part.id))
_LABOUR_OF_ONE = (
    select(LabourLine).where(col(LabourLine.work_order_id) == bindparam("work_order_id")).order_by(col(LabourLine.id))
)
_SESSIONS_OF_ONE = select(WorkSession).where(col(WorkSession.work_order_id) == bindparam("work_order_id"))
_PACKAGE_MINUTES = select(WorkOrderPackage.work_order_id, func.sum(WorkOrderPackage.labour_minutes)).group_by(
    col(WorkOrderPackage.work_order_id)
)
_LATEST_APPROVALS = select(func.max(Approval.id)).group_by(col(Approval.work_order_id))
_CREDITED = select(Invoice.credit_of).where(col(Invoice.credit_of).is_not(None)).scalar_subquery()
# An order's current invoice: a factuur no credit note cancelled (there is at most one).
CURRENT_INVOICES = select(Invoice).where(
    col(Invoice.kind) == InvoiceKind.FACTUUR.value, col(Invoice.id).not_in(_CREDITED)
)
_OPEN = select(WorkOrder).where(
    col(WorkOrder.column).in_([c.value for c in BoardColumn if c is not BoardColumn.AFGEROND])
)
_RECENTLY_DONE = select(WorkOrder).where(
    col(WorkOrder.column) == BoardColumn.AFGEROND.value, col(WorkOrder.done_at) >= bindparam("since")
)


def open_work_orders(session: Session, condition: ColumnElement[bool]) -> Sequence[WorkOrder]:
    """The orders not yet Afgerond that match, oldest first: those a change to their customer or car concerns."""
    statement = select(WorkOrder).where(condition, col(WorkOrder.column) != BoardColumn.AFGEROND.value)
    return session.exec(statement.order_by(col(WorkOrder.id))).all()


def latest_approval(session: Session, work_order_id: int | None) -> Approval | None:
    statement = select(Approval).where(col(Approval.work_order_id) == work_order_id)
    return session.exec(statement.order_by(col(Approval.id).desc()).limit(1)).first()


def current_invoice(session: Session, work_order_id: int | None) -> Invoice | None:
    return session.exec(CURRENT_INVOICES.where(col(Invoice.work_order_id) == work_order_id)).first()


def lines_of(session: Session, work_order_id: int) -> tuple[list[Part], list[LabourLine]]:
    """An order's parts and labour lines, oldest first: what its totals are made of."""
    params = {"work_order_id": work_order_id}
    return list(session.exec(_PARTS_OF_ONE, params=params)), list(session.exec(_LABOUR_OF_ONE, params=params))


def work_order_public(session: Session, work_order: WorkOrder) -> WorkOrderPublic:
    params = {"work_order_id": work_order.id}
    plan = _plan_of_one(session, work_order.id)
    plan.deferred = deferred_of(session, [work_order.license_plate]).get(work_order.license_plate, [])
    running = session.exec(_RUNNING_FOR_ONE, params=params)
    parts = session.exec(_PARTS_OF_ONE, params=params)
    labour = session.exec(_LABOUR_OF_ONE, params=params)
    customer = session.get(Customer, work_order.customer_id)
    assert customer is not None  # a foreign key
    invoice = current_invoice(session, work_order.id)
    return _public(
        work_order,
        customer,
        session.get(Vehicle, work_order.license_plate),
        list(running),
        list(parts),
        list(labour),
        latest_approval(session, work_order.id),
        invoice,
        settlement_of(session, invoice),
        plan,
    )


def _plan_of_one(session: Session, work_order_id: int | None) -> Plan:
    package_minutes = session.exec(_PACKAGE_MINUTES.where(col(WorkOrderPackage.work_order_id) == work_order_id)).first()
    return Plan(
        session.get(Appointment, work_order_id),
        int(package_minutes[1]) if package_minutes else 0,
        list(session.exec(_SESSIONS_OF_ONE, params={"work_order_id": work_order_id})),
        inspections_of(session, [work_order_id]).get(work_order_id or 0),
    )


def _plans(session: Session, ids: list[int | None]) -> dict[int, Plan]:
    plans: dict[int, Plan] = defaultdict(Plan)
    for appointment in session.exec(select(Appointment).where(col(Appointment.work_order_id).in_(ids))):
        plans[appointment.work_order_id].appointment = appointment
    for work_order_id, minutes in session.exec(_PACKAGE_MINUTES.where(col(WorkOrderPackage.work_order_id).in_(ids))):
        plans[work_order_id].package_minutes = int(minutes)
    for work_session in session.exec(select(WorkSession).where(col(WorkSession.work_order_id).in_(ids))):
        plans[work_session.work_order_id].sessions.append(work_session)
    for work_order_id, inspection in inspections_of(session, ids).items():
        plans[work_order_id].inspection = inspection
    return plans


def publish_many(session: Session, orders: Iterable[WorkOrder]) -> list[WorkOrderPublic]:
    """Many work orders in a fixed number of reads, not several per order."""
    orders = list(orders)
    customers = {
        c.id: c for c in session.exec(select(Customer).where(col(Customer.id).in_({o.customer_id for o in orders})))
    }
    plates = {o.license_plate for o in orders}
    vehicles = {v.license_plate: v for v in session.exec(select(Vehicle).where(col(Vehicle.license_plate).in_(plates)))}
    by_order: dict[int, list[WorkSession]] = defaultdict(list)
    for running in session.exec(_RUNNING):
        by_order[running.work_order_id].append(running)
    parts: dict[int, list[Part]] = defaultdict(list)
    ids = [order.id for order in orders]
    for part in session.exec(select(Part).where(col(Part.work_order_id).in_(ids)).order_by(col(Part.id))):
        parts[part.work_order_id].append(part)
    labour: dict[int, list[LabourLine]] = defaultdict(list)
    for line in session.exec(
        select(LabourLine).where(col(LabourLine.work_order_id).in_(ids)).order_by(col(LabourLine.id))
    ):
        labour[line.work_order_id].append(line)
    latest = _LATEST_APPROVALS.where(col(Approval.work_order_id).in_(ids))
    approvals = {a.work_order_id: a for a in session.exec(select(Approval).where(col(Approval.id).in_(latest)))}
    invoices = {i.work_order_id: i for i in session.exec(CURRENT_INVOICES.where(col(Invoice.work_order_id).in_(ids)))}
    settlements = settlements_of(session, [invoice.id for invoice in invoices.values()])
    plans = _plans(session, ids)
    deferred = deferred_of(session, plates)
    for order in orders:
        plans[order.id or 0].deferred = deferred.get(order.license_plate, [])
    return [
        _public(
            order,
            customers[order.customer_id],
            vehicles.get(order.license_plate),
            by_order[order.id or 0],
            parts[order.id or 0],
            labour[order.id or 0],
            approvals.get(order.id or 0),
            invoices.get(order.id or 0),
            settlements[invoices[order.id].id or 0] if order.id in invoices else Settlement(),
            plans[order.id or 0],
        )
        for order in orders
    ]


def board_newest(session: Session, done_since: datetime, limit: int, offset: int) -> tuple[list[WorkOrderPublic], int]:
    """A page of the board's orders, newest first, and how many the board holds: the work-order list reads the page
    it shows, also when thousands of planned orders wait in Gepland."""
    on_board = or_(col(WorkOrder.column) != BoardColumn.AFGEROND.value, col(WorkOrder.done_at) >= done_since)
    total = session.exec(select(func.count()).select_from(WorkOrder).where(on_board)).one()
    newest = select(WorkOrder).where(on_board).order_by(col(WorkOrder.id).desc()).limit(limit).offset(offset)
    return publish_many(session, session.exec(newest).all()), int(total)


def board(session: Session, done_since: datetime) -> list[WorkOrderPublic]:
    """The board in board order (column, then position): every open order, and the Afgerond ones done since
    `done_since` (the rest of the history stays out, however long it grows; both reads use an index)."""
    orders = [*session.exec(_OPEN), *session.exec(_RECENTLY_DONE, params={"since": done_since})]
    orders.sort(key=lambda w: (COLUMN_ORDER[w.column], w.position))
    return publish_many(session, orders)
