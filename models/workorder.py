"""The work order: one car, one job, one card on the board."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class WorkOrder(SQLModel, table=True):
    __tablename__ = "work_order"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    customer_name: str = Field(max_length=200)
    license_plate: str = Field(max_length=16, index=True)
    description: str = Field(max_length=4000)
    status: str = Field(max_length=32)
    column: str = Field(max_length=32)
    position: int = 0
    version: int = 1
    signed_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
