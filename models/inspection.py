"""The digital inspection (digitale keuring): one per work order, an item per line of the shop's checklist, each
graded with a note, photos and, when it needs work, a recommendation the customer approves or declines from their
status page. Photos are stored in the database (README: "Where photos live"), already stripped and resized."""

from datetime import datetime

from sqlalchemy import Column, LargeBinary, Text
from sqlmodel import Field, SQLModel


class Inspection(SQLModel, table=True):
    __tablename__ = "inspection"

    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", unique=True)
    status: str = Field(default="open", max_length=16)  # open | verstuurd | beantwoord
    sent_at: datetime | None = None
    answered_at: datetime | None = None
    created_at: datetime


class InspectionItem(SQLModel, table=True):
    __tablename__ = "inspection_item"

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    position: int
    label: str = Field(max_length=200)
    grade: str | None = Field(default=None, max_length=8)  # groen | oranje | rood
    note: str | None = Field(default=None, max_length=2000)
    recommendation: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON, priced
    decision: str | None = Field(default=None, max_length=16)  # akkoord | afgewezen


class InspectionPhoto(SQLModel, table=True):
    """The JPEG as served (≤ 1600 px, upright, no EXIF) and a small one for the lists, both in the database so every
    process and every backup has them."""

    __tablename__ = "inspection_photo"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="inspection_item.id", index=True)
    work_order_id: int = Field(foreign_key="work_order.id", index=True)
    jpeg: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    thumbnail: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    width: int
    height: int
    created_at: datetime


class ChecklistItem(SQLModel, table=True):
    """The shop's own checklist; while it has no rows, the Dutch preset (services.inspections.keuring.PRESET)."""

    __tablename__ = "checklist_item"

    id: int | None = Field(default=None, primary_key=True)
    position: int
    label: str = Field(max_length=200)


class DeferredItem(SQLModel, table=True):
    """Work a customer declined ("Niet nu"), kept on the vehicle to show on its next order and to remind about."""

    __tablename__ = "deferred_item"

    id: int | None = Field(default=None, primary_key=True)
    license_plate: str = Field(max_length=16, index=True)  # RDW form, as WorkOrder.license_plate
    label: str = Field(max_length=200)
    description: str = Field(max_length=500)
    since: datetime = Field(index=True)  # the reminder scan reads the items due by it
    work_order_id: int = Field(foreign_key="work_order.id")


class StatusViewer(SQLModel, table=True):
    """One open status page (its stream) of an order, in the server process that holds it: the desk's "klant kijkt
    mee" counts these rows, so every process agrees on the number (services.inspections.presence)."""

    __tablename__ = "status_viewer"

    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", index=True)
    process: str = Field(max_length=200, index=True)  # host:port of the server process holding the stream
    opened_at: datetime
