"""The dashboard's other reads, each one aggregate query: revenue per ISO week of this year and last, the payments
received in a period, and a cumulative flow of the orders per board column over the last weeks (from the event
log: each created or column event is the order entering a column, its previous one it leaving)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import BoardColumn, ChangeType, Invoice, Payment, WorkOrder, WorkOrderEvent
from services.clock import day_start, shop_day, utcnow
from services.reports.period import Period
from services.reports.sql import bucket, json_text

FLOW_DAYS = 56  # eight weeks


@dataclass(frozen=True)
class WeeklyRevenue:
    """Revenue excl. VAT in cents per ISO week (index 0: week 1); this year's weeks after the current one None."""

    year: int
    this_year: list[int | None]
    last_year: list[int | None]


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar().week


def weekly_revenue(session: Session) -> WeeklyRevenue:
    today = shop_day(utcnow())
    year, current_week, _ = today.isocalendar()
    mondays = [date.fromisocalendar(year - 1, 1, 1) + timedelta(weeks=week) for week in range(_weeks_in(year - 1))]
    mondays += [date.fromisocalendar(year, 1, 1) + timedelta(weeks=week) for week in range(_weeks_in(year) + 1)]
    bounds = [day_start(monday) for monday in mondays]
    week = bucket(col(Invoice.issued_at), bounds)
    rows = session.exec(
        select(week, func.sum(Invoice.excluding_vat_cents))
        .where(col(Invoice.issued_at) >= bounds[0], col(Invoice.issued_at) < bounds[-1])
        .group_by(week)
    )
    sums = dict(rows.all())
    last_weeks = _weeks_in(year - 1)
    last: list[int | None] = [int(sums.get(index, 0)) for index in range(last_weeks)]
    this: list[int | None] = [
        int(sums.get(last_weeks + index, 0)) if index < current_week else None for index in range(_weeks_in(year))
    ]
    return WeeklyRevenue(year, this, last)


def payments_received(session: Session, period: Period) -> int:
    """What was paid in the period (counter and online), in cents."""
    total = session.exec(
        select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(period.covers(col(Payment.at)))
    ).one()
    return int(total)


@dataclass(frozen=True)
class Flow:
    """The number of orders in each column at the end of each day (every order ever made: Afgerond grows)."""

    days: list[date]
    columns: dict[str, list[int]]


def cumulative_flow(session: Session, days: int = FLOW_DAYS) -> Flow:
    """Walked back from the orders' columns now: a day's count is today's, less what entered the column after
    that day, plus what left it. Only the events of orders that moved in the window are read, in the database."""
    today = shop_day(utcnow())
    shown = [today - timedelta(days=offset) for offset in reversed(range(days))]
    bounds = [day_start(shown[0]), *(day_start(day + timedelta(days=1)) for day in shown)]
    moves = (ChangeType.CREATED.value, ChangeType.COLUMN.value)
    moved = sa_select(col(WorkOrderEvent.work_order_id)).where(
        col(WorkOrderEvent.created_at) >= bounds[0], col(WorkOrderEvent.change_type).in_(moves)
    )
    entered = (
        sa_select(
            col(WorkOrderEvent.work_order_id).label("order"),
            col(WorkOrderEvent.id).label("id"),
            col(WorkOrderEvent.created_at).label("at"),
            json_text(WorkOrderEvent.data, "workOrder", "column").label("column"),
        )
        .where(col(WorkOrderEvent.change_type).in_(moves), col(WorkOrderEvent.work_order_id).in_(moved))
        .subquery()
    )
    previous = func.lag(entered.c.column).over(partition_by=entered.c.order, order_by=entered.c.id)
    steps = sa_select(entered.c.at, entered.c.column, previous.label("previous")).subquery()
    day = bucket(steps.c.at, bounds)
    rows = session.execute(
        sa_select(day, steps.c.column, steps.c.previous, func.count())
        .where(steps.c.at >= bounds[0])
        .group_by(day, steps.c.column, steps.c.previous)
    ).all()
    now = dict(session.exec(select(WorkOrder.column, func.count()).group_by(col(WorkOrder.column))).all())
    columns = {column.value: [0] * days for column in BoardColumn}
    for index in range(days):
        for column in columns:
            columns[column][index] = int(now.get(column, 0))
        for moved_on, into, out_of, count in rows:
            if moved_on > index:  # undo what happened after that day
                if into in columns:
                    columns[into][index] -= count
                if out_of in columns:
                    columns[out_of][index] += count
    return Flow(shown, columns)
