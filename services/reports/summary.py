"""The shop's numbers over a period, each one aggregate query (SQLite and PostgreSQL alike), never the orders
themselves: revenue, mechanics' clocked against billed minutes, inspection recommendations, parts lead time.
Each part is its own function, so the dashboard re-reads only the part a change touched."""

from decimal import Decimal

from sqlalchemy import Integer, and_, case, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import Inspection, InspectionItem, Invoice, InvoiceKind, Part, WorkSession
from models.reports_public import InspectionNumbers, MechanicHours, ShopSummary
from services.billing import half_up
from services.db import Database
from services.reports.period import Period
from services.reports.sql import json_text, seconds_between, whole_minutes


def revenue(session: Session, period: Period) -> tuple[int, int]:
    """(revenue excl. VAT, invoice count) of the invoices issued in the period: a credit note subtracts its
    (negative) amount and one invoice."""
    one_each = case((col(Invoice.kind) == InvoiceKind.FACTUUR.value, 1), else_=-1)
    total, count = session.exec(
        select(func.coalesce(func.sum(Invoice.excluding_vat_cents), 0), func.coalesce(func.sum(one_each), 0)).where(
            period.covers(col(Invoice.issued_at))
        )
    ).one()
    return int(total), int(count)


def average(total: int, count: int) -> int:
    """An invoice's average, to the cent; 0 without invoices."""
    return half_up(Decimal(total) / count) if count > 0 else 0


def _clocked(session: Session, period: Period) -> dict[str, int]:
    """Per mechanic, the minutes of their stopped sessions that started in the period: a session past midnight
    counts its true minutes, all on the day it started."""
    minutes = whole_minutes(WorkSession.started_at, WorkSession.ended_at)
    rows = session.exec(
        select(WorkSession.mechanic, func.sum(minutes))
        .where(
            col(WorkSession.ended_at).is_not(None),
            period.covers(col(WorkSession.started_at)),
        )
        .group_by(col(WorkSession.mechanic))
    )
    return {mechanic: int(total or 0) for mechanic, total in rows}


def _billed(session: Session, period: Period) -> dict[str, int]:
    """Per mechanic, the labour minutes invoiced in the period (credit notes subtracted), each order's minutes
    shared among the mechanics who clocked on it, by their clocked minutes there (an order nobody clocked on
    counts for no one)."""
    billed = (
        sa_select(col(Invoice.work_order_id).label("order"), func.sum(Invoice.labour_minutes).label("minutes"))
        .where(period.covers(col(Invoice.issued_at)))
        .group_by(col(Invoice.work_order_id))
        .subquery()
    )
    per_mechanic = (
        sa_select(
            col(WorkSession.work_order_id).label("order"),
            col(WorkSession.mechanic).label("mechanic"),
            func.sum(whole_minutes(WorkSession.started_at, WorkSession.ended_at)).label("minutes"),
        )
        .where(col(WorkSession.ended_at).is_not(None), col(WorkSession.work_order_id).in_(sa_select(billed.c.order)))
        .group_by(col(WorkSession.work_order_id), col(WorkSession.mechanic))
        .subquery()
    )
    per_order = (
        sa_select(per_mechanic.c.order, func.sum(per_mechanic.c.minutes).label("minutes"))
        .group_by(per_mechanic.c.order)
        .subquery()
    )
    share = billed.c.minutes * per_mechanic.c.minutes * 1.0 / per_order.c.minutes
    rows = session.execute(
        sa_select(per_mechanic.c.mechanic, func.sum(share))
        .join(billed, billed.c.order == per_mechanic.c.order)
        .join(per_order, and_(per_order.c.order == per_mechanic.c.order, per_order.c.minutes > 0))
        .group_by(per_mechanic.c.mechanic)
    )
    return {mechanic: half_up(Decimal(str(total or 0))) for mechanic, total in rows}


def mechanic_hours(session: Session, period: Period) -> list[MechanicHours]:
    """Clocked against billed minutes per mechanic, by name; efficiency = billed ÷ clocked."""
    clocked, billed = _clocked(session, period), _billed(session, period)
    return [
        MechanicHours(
            name=name,
            clocked_minutes=clocked.get(name, 0),
            billed_minutes=billed.get(name, 0),
            efficiency=round(billed.get(name, 0) / clocked[name], 2) if clocked.get(name) else None,
        )
        for name in sorted(clocked.keys() | billed.keys())
    ]


def inspection_numbers(session: Session, period: Period) -> InspectionNumbers:
    """The recommendations of inspections sent in the period: how many, approved, declined (Niet nu), and what
    the approved ones cost incl. VAT."""
    approved = col(InspectionItem.decision) == "akkoord"
    price = cast(json_text(InspectionItem.recommendation, "priceCents"), Integer)
    items, yes, no, cents = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(case((approved, 1), else_=0)), 0),
            func.coalesce(func.sum(case((col(InspectionItem.decision) == "afgewezen", 1), else_=0)), 0),
            func.coalesce(func.sum(case((approved, price), else_=0)), 0),
        )
        .join(Inspection, col(Inspection.id) == col(InspectionItem.inspection_id))
        .where(
            col(InspectionItem.recommendation).is_not(None),
            period.covers(col(Inspection.sent_at)),
        )
    ).one()
    return InspectionNumbers(items=int(items), approved=int(yes), declined=int(no), approved_cents=int(cents))


def parts_lead_time(session: Session, period: Period) -> float | None:
    """The median hours from ordered to received of the parts received in the period (one decimal): the middle
    one or two read by their rank, so no row but those leaves the database."""
    hours = seconds_between(Part.ordered_at, Part.received_at) / 3600.0
    received = and_(col(Part.ordered_at).is_not(None), period.covers(col(Part.received_at)))
    count = session.exec(select(func.count()).select_from(Part).where(received)).one()
    if not count:
        return None
    middle = session.exec(
        select(hours).where(received).order_by(hours).offset((count - 1) // 2).limit(2 - count % 2)
    ).all()
    return round(sum(middle) / len(middle), 1)


def summary(db: Database, period: Period) -> ShopSummary:
    """GET /api/reports/summary."""
    with db.read() as session:
        total, count = revenue(session, period)
        return ShopSummary(
            revenue_excluding_vat_cents=total,
            invoice_count=count,
            average_invoice_cents=average(total, count),
            mechanics=mechanic_hours(session, period),
            inspections=inspection_numbers(session, period),
            parts_lead_time_hours=parts_lead_time(session, period),
        )
