"""A reminder the shop sent a customer about a car (APK, service, declined work): one row per vehicle, kind and
the date it is about, made in the same transaction as its e-mail, so the unique key makes it go once however many
scans and processes look. Its token is the customer's link to book (/afspraak/{token}) and to opt out
(/afmelden/{token})."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class ReminderKind(StrEnum):
    APK = "apk"  # APK_REMINDER_WEEKS before the APK expires
    APK2 = "apk2"  # 3 weeks before, when no appointment was made since the first
    ONDERHOUD = "onderhoud"  # 12 months after the last finished service
    UITGESTELD = "uitgesteld"  # 3 months after the customer declined an inspection item


class Reminder(SQLModel, table=True):
    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("license_plate", "kind", "due_on", name="uq_reminder_vehicle_kind_due"),)

    id: int | None = Field(default=None, primary_key=True)
    license_plate: str = Field(max_length=16)  # RDW form, as WorkOrder.license_plate
    kind: str = Field(max_length=16)
    due_on: date  # what it is about: the APK's expiry, the service's or the declined work's due day
    customer_id: int = Field(foreign_key="customer.id", index=True)
    work_order_id: int = Field(foreign_key="work_order.id")  # the car's latest order: its e-mail hangs there
    items: str = "[]"  # JSON: the labels of the declined work an `uitgesteld` names
    token: str = Field(max_length=64, unique=True)
    created_at: datetime
