"""What each of the dashboard's tiles reads, one read each, so a change re-reads only the tiles it touches."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session

from models.planning_public import PlanningDay
from models.reports_public import InspectionNumbers, MechanicHours
from services import planning
from services.clock import shop_day, utcnow
from services.db import Database
from services.reports.charts import Flow, WeeklyRevenue, cumulative_flow, payments_received, weekly_revenue
from services.reports.period import Period
from services.reports.summary import average, inspection_numbers, mechanic_hours, parts_lead_time, revenue

T = TypeVar("T")


def _read(db: Database, read: Callable[[Session], T]) -> T:
    with db.read() as session:
        return read(session)


@dataclass(frozen=True)
class Money:
    revenue_cents: int
    invoice_count: int
    average_cents: int
    received_cents: int  # payments received in the period


def money(db: Database, period: Period) -> Money:
    def read(session: Session) -> Money:
        total, count = revenue(session, period)
        return Money(total, count, average(total, count), payments_received(session, period))

    return _read(db, read)


def mechanics(db: Database, period: Period) -> list[MechanicHours]:
    return _read(db, lambda session: mechanic_hours(session, period))


def inspections(db: Database, period: Period) -> InspectionNumbers:
    return _read(db, lambda session: inspection_numbers(session, period))


def lead_time(db: Database, period: Period) -> float | None:
    return _read(db, lambda session: parts_lead_time(session, period))


def weeks(db: Database) -> WeeklyRevenue:
    return _read(db, weekly_revenue)


def flow(db: Database) -> Flow:
    return _read(db, cumulative_flow)


def today(db: Database) -> PlanningDay:
    """Today's capacity and planned minutes, per mechanic (services.planning)."""
    day = shop_day(utcnow())
    return planning.planning(db, day, day).days[0]
