"""A car by its licence plate, as the RDW's open data describes it; also the queue of RDW lookups still due."""

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class RdwStatus(StrEnum):
    PENDING = "pending"  # not asked yet
    OK = "ok"
    UNKNOWN = "unknown"  # the RDW does not know the plate
    UNREACHABLE = "unreachable"  # could not be asked; retried later


class Vehicle(SQLModel, table=True):
    __tablename__ = "vehicle"

    license_plate: str = Field(max_length=16, primary_key=True)  # RDW form: AB123C
    brand: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=100)
    color: str | None = Field(default=None, max_length=50)
    fuel: str | None = Field(default=None, max_length=100)
    first_admission: date | None = None
    apk_expiry: date | None = Field(default=None, index=True)  # the reminder scan reads the cars due by it
    rdw_status: str = Field(default=RdwStatus.PENDING.value, max_length=16)
    rdw_checked_at: datetime | None = None
    rdw_attempts: int = 0  # failed tries since the last answer: the back-off grows with it
    rdw_due_at: datetime | None = Field(default=None, index=True)  # when to ask the RDW next; None: not queued
