"""The work order: one car, one job, one card on the board."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class WorkOrder(SQLModel, table=True):
    __tablename__ = "work_order"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    license_plate: str = Field(max_length=16, index=True)
    description: str = Field(max_length=4000)
    status: str = Field(max_length=32)
    column: str = Field(max_length=32)
    position: int = 0
    mileage: int | None = None  # kilometerstand when the car came in
    status_token: str = Field(max_length=64, unique=True)  # the customer's own status page: /status/{token}
    version: int = 1
    signed_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
