"""Odometer duty (tellerstandregistratie): a garage registers the mileage of every job over € 150 incl. VAT, so an
order that large is not closed without one; a reading lower than the car's last known one is kept (the counter may
have been replaced, or the last one mistyped) but flagged for the desk to look at."""

from sqlmodel import Session, col, select

from models import WorkOrder
from services.billing import order_totals
from services.errors import Precondition
from services.views import lines_of

REGISTRATION_THRESHOLD_CENTS = 15_000  # € 150 incl. VAT: above it the mileage must be registered
MILEAGE_MISSING = "kilometerstand ontbreekt"


def check_mileage_for_closing(session: Session, work_order: WorkOrder) -> None:
    """Refuses Afgerond (409) for an order over the threshold that has no mileage."""
    if work_order.mileage is not None:
        return
    assert work_order.id is not None
    if order_totals(*lines_of(session, work_order.id)).including_vat_cents > REGISTRATION_THRESHOLD_CENTS:
        raise Precondition(MILEAGE_MISSING)


def last_known_mileage(session: Session, work_order: WorkOrder) -> int | None:
    """The mileage of the car's latest earlier order that has one (a new order: of its latest order)."""
    statement = select(WorkOrder.mileage).where(
        col(WorkOrder.license_plate) == work_order.license_plate, col(WorkOrder.mileage).is_not(None)
    )
    if work_order.id is not None:
        statement = statement.where(col(WorkOrder.id) < work_order.id)
    return session.exec(statement.order_by(col(WorkOrder.id).desc()).limit(1)).first()


def flag_mileage(session: Session, work_order: WorkOrder) -> None:
    """Set `mileage_warning` for the order's mileage as it is now."""
    last = None if work_order.mileage is None else last_known_mileage(session, work_order)
    work_order.mileage_warning = last is not None and work_order.mileage is not None and work_order.mileage < last
