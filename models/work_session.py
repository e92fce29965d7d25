"""A mechanic's work session on a work order: running while ended_at is empty."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class WorkSession(SQLModel, table=True):
    __tablename__ = "work_session"

    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", index=True)
    mechanic: str = Field(max_length=100, index=True)
    started_at: datetime = Field(index=True)  # the reports count a period's sessions by their start
    ended_at: datetime | None = None
