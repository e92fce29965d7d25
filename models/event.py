"""The event log: every change, in commit order, with its message encoded once. The single source of truth."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Integer, Text
from sqlmodel import Field, SQLModel


class EventKind(StrEnum):
    WORKORDER_UPDATE = "workorder-update"  # sent on the SSE stream
    DISPLAY = "display"  # internal: the iPad's order changed
    PRESENCE = "presence"  # sent on the SSE stream: how many status pages of an order are open; never in a history


ON_THE_STREAM = frozenset({EventKind.WORKORDER_UPDATE, EventKind.PRESENCE})


class WorkOrderEvent(SQLModel, table=True):
    __tablename__ = "event_log"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused, even after pruning

    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    )
    kind: str = Field(max_length=32)
    work_order_id: int | None = Field(default=None, index=True)
    change_type: str = Field(max_length=32)
    data: str = Field(sa_column=Column(Text, nullable=False))  # the SSE message's JSON, encoded at append
    created_at: datetime = Field(index=True)


class LogState(SQLModel, table=True):
    """The replay horizon retention set: a stream's cursor below pruned_through gets a reset, not a replay."""

    __tablename__ = "event_log_state"

    id: int = Field(default=1, primary_key=True)
    pruned_through: int = 0
