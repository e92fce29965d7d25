"""The workshop's day: service packages (werkpakketten) and the ones added to an order, mechanics' working hours,
loan cars and appointments. An appointment belongs to one work order; its `day` (the shop's calendar day of its
start) is what capacity and the planning read by."""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class ServicePackage(SQLModel, table=True):
    __tablename__ = "service_package"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    labour_minutes: int
    parts: str = "[]"  # JSON: [{"description", "articleNumber", "quantity", "unitPriceCents"}]
    fixed_price_cents: int | None = None  # incl. VAT
    active: bool = True
    created_at: datetime


class WorkOrderPackage(SQLModel, table=True):
    """A package as it was added to an order: its norm minutes are the order's default planned minutes."""

    __tablename__ = "work_order_package"

    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", index=True)
    package_id: int = Field(foreign_key="service_package.id")
    name: str = Field(max_length=200)
    labour_minutes: int
    created_at: datetime


class Mechanic(SQLModel, table=True):
    """A monteur's working hours and days off; a monteur without a row works the default hours."""

    __tablename__ = "mechanic"

    name: str = Field(primary_key=True, max_length=100)
    active: bool = True
    work_hours: str  # JSON: {"1": ["08:00", "17:00"], …, "7": null}
    days_off: str = "[]"  # JSON: ["YYYY-MM-DD", …]


class LoanCar(SQLModel, table=True):
    __tablename__ = "loan_car"

    id: int | None = Field(default=None, primary_key=True)
    license_plate: str = Field(max_length=16, unique=True)
    name: str = Field(max_length=200)
    created_at: datetime


class Appointment(SQLModel, table=True):
    __tablename__ = "appointment"
    # covering: the per-day sums and the busy times of the free starts are read from the index alone
    __table_args__ = (Index("ix_appointment_day_mechanic_start", "day", "mechanic", "start", "minutes"),)

    work_order_id: int = Field(foreign_key="work_order.id", primary_key=True)
    start: datetime
    day: date  # the shop's calendar day of `start`
    minutes: int
    mechanic: str | None = Field(default=None, max_length=100)
    promised_at: datetime | None = None
    waiting: bool = False
    loan_car: str | None = Field(default=None, max_length=16, index=True)
    created_at: datetime
    updated_at: datetime
