"""Labour on a work order: lines typed by the desk or taken over from the mechanics' clocked sessions. Which
session minutes a line billed is kept (labour_session), so taking over the hours never bills a minute twice and
removing a line makes its minutes billable again."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class LabourLine(SQLModel, table=True):
    __tablename__ = "labour_line"

    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", index=True)
    description: str = Field(max_length=500)
    minutes: int
    rate_cents: int
    created_at: datetime


class LabourSession(SQLModel, table=True):
    """The minutes of one work session that one labour line billed."""

    __tablename__ = "labour_session"

    labour_line_id: int = Field(foreign_key="labour_line.id", primary_key=True)
    work_session_id: int = Field(foreign_key="work_session.id", primary_key=True, index=True)
    minutes: int
