"""The mileages a garage registers (tellerstandregistratie): every order closed in a period whose total is over
€ 150 incl. VAT, with its plate and reading, for the shop's intermediary (written as CSV or XLSX by exports)."""

from sqlmodel import col, select

from models import WorkOrder
from services.billing import order_totals
from services.clock import shop_day
from services.db import Database
from services.invoicing.overview import Cell, euros_amount
from services.odometer import REGISTRATION_THRESHOLD_CENTS
from services.plates import format_plate
from services.reports.period import Period
from services.views import lines_of

MILEAGE_HEADER = ["Afgerond op", "Kenteken", "Kilometerstand", "Werkorder", "Totaal incl. btw", "Lager dan vorige keer"]


def mileage_table(db: Database, period: Period) -> tuple[list[str], list[list[Cell]]]:
    """Orders that entered Afgerond on the period's shop days (both included), oldest first, over the threshold."""
    statement = (
        select(WorkOrder)
        .where(
            col(WorkOrder.column) == "Afgerond",
            period.covers(col(WorkOrder.done_at)),
        )
        .order_by(col(WorkOrder.done_at), col(WorkOrder.id))
    )
    rows: list[list[Cell]] = []
    with db.read() as session:
        for order in session.exec(statement):
            assert order.id is not None and order.done_at is not None
            total = order_totals(*lines_of(session, order.id)).including_vat_cents
            if total > REGISTRATION_THRESHOLD_CENTS:
                rows.append([
                    shop_day(order.done_at), format_plate(order.license_plate), order.mileage, order.number,
                    euros_amount(total), "ja" if order.mileage_warning else "",
                ])  # fmt: skip
    return MILEAGE_HEADER, rows
