"""Work orders, sessions, customers and vehicles as the API and the events show them (the *Public models)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam
from sqlmodel import Session, col, select

from models import BoardColumn, Customer, Notification, Part, Vehicle, WorkOrder, WorkSession
from models.public import (
    CustomerPublic,
    NotificationPublic,
    PartPublic,
    RdwState,
    SessionPublic,
    VehiclePublic,
    WorkOrderPublic,
)

COLUMN_ORDER = {column.value: index for index, column in enumerate(BoardColumn)}


def session_public(work_session: WorkSession) -> SessionPublic:
    return SessionPublic.model_validate(work_session, from_attributes=True)


def customer_public(customer: Customer) -> CustomerPublic:
    return CustomerPublic.model_validate(customer, from_attributes=True)


def vehicle_public(vehicle: Vehicle) -> VehiclePublic:
    fields = vehicle.model_dump()
    fields["rdw"] = RdwState(status=vehicle.rdw_status, checked_at=vehicle.rdw_checked_at)  # type: ignore[arg-type]
    return VehiclePublic.model_validate(fields)


def part_public(part: Part) -> PartPublic:
    return PartPublic.model_validate(part, from_attributes=True)


def notification_public(notification: Notification) -> NotificationPublic:
    fields = notification.model_dump()
    fields["to"], fields["error"] = notification.recipient, notification.last_error
    return NotificationPublic.model_validate(fields)


def status_url(work_order: WorkOrder) -> str:
    return f"/status/{work_order.status_token}"


def _public(
    work_order: WorkOrder,
    customer: Customer,
    vehicle: Vehicle | None,
    active: Sequence[WorkSession],
    parts: Sequence[Part],
) -> WorkOrderPublic:
    fields = work_order.model_dump()
    fields["parts"] = [part_public(part) for part in parts]
    fields["customer_name"] = customer.name
    fields["customer"] = customer_public(customer)
    fields["vehicle"] = vehicle_public(vehicle or Vehicle(license_plate=work_order.license_plate))
    fields["status_url"] = status_url(work_order)
    fields["active_sessions"] = [session_public(s) for s in active]
    return WorkOrderPublic.model_validate(fields)


# Built once: every event's snapshot and every list read runs them.
_RUNNING = select(WorkSession).where(col(WorkSession.ended_at).is_(None)).order_by(col(WorkSession.id))
_RUNNING_FOR_ONE = _RUNNING.where(col(WorkSession.work_order_id) == bindparam("work_order_id"))
_PARTS_OF_ONE = select(Part).where(col(Part.work_order_id) == bindparam("work_order_id")).order_by(col(Part.id))
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


def work_order_public(session: Session, work_order: WorkOrder) -> WorkOrderPublic:
    running = session.exec(_RUNNING_FOR_ONE, params={"work_order_id": work_order.id})
    parts = session.exec(_PARTS_OF_ONE, params={"work_order_id": work_order.id})
    customer = session.get(Customer, work_order.customer_id)
    assert customer is not None  # a foreign key
    return _public(work_order, customer, session.get(Vehicle, work_order.license_plate), list(running), list(parts))


def publish_many(session: Session, orders: Iterable[WorkOrder]) -> list[WorkOrderPublic]:
    """Many work orders in three reads in all, not three per order."""
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
    return [
        _public(
            order,
            customers[order.customer_id],
            vehicles.get(order.license_plate),
            by_order[order.id or 0],
            parts[order.id or 0],
        )
        for order in orders
    ]


def board(session: Session, done_since: datetime) -> list[WorkOrderPublic]:
    """The board in board order (column, then position): every open order, and the Afgerond ones done since
    `done_since` (the rest of the history stays out, however long it grows; both reads use an index)."""
    orders = [*session.exec(_OPEN), *session.exec(_RECENTLY_DONE, params={"since": done_since})]
    orders.sort(key=lambda w: (COLUMN_ORDER[w.column], w.position))
    return publish_many(session, orders)
