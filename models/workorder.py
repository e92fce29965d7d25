"""The work order: one car, one job, one card on the board."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class WorkOrder(SQLModel, table=True):
    __tablename__ = "work_order"
    __table_args__ = (
        Index("ix_work_order_column_position", "column", "position"),  # the board, and a move's shifts
        Index("ix_work_order_column_done_at", "column", "done_at"),  # the board's recent Afgerond
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    license_plate: str = Field(max_length=16, index=True)
    description: str = Field(max_length=4000)
    status: str = Field(max_length=32)
    column: str = Field(max_length=32)
    position: int = 0
    mileage: int | None = None  # kilometerstand when the car came in
    mileage_warning: bool = False  # the mileage is lower than the car's last known one: kept, but flagged
    status_token: str = Field(max_length=64, unique=True)  # the customer's own status page: /status/{token}
    booking_token: str | None = Field(default=None, max_length=64, unique=True)  # an online booking's own page
    version: int = 1
    signed_at: datetime | None = None
    done_at: datetime | None = None  # when it last entered Afgerond: the board shows the last BOARD_DONE_DAYS
    created_at: datetime
    updated_at: datetime
