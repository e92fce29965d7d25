"""The JSON shapes of the API and of the events (camelCase on the wire), separate from the tables."""

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer
from pydantic.alias_generators import to_camel

from models.enums import BoardColumn


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, the form every browser's Date() parses."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


class PublicModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class InputModel(BaseModel):
    """Request bodies: camelCase keys, unknown keys refused so typos fail loudly."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class SessionPublic(PublicModel):
    id: int
    work_order_id: int
    mechanic: str
    started_at: datetime
    ended_at: datetime | None

    @field_serializer("started_at", "ended_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


class WorkOrderPublic(PublicModel):
    id: int
    number: str
    customer_name: str
    license_plate: str
    description: str
    status: str
    column: str
    position: int
    version: int
    active_sessions: list[SessionPublic]
    signed_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @field_serializer("signed_at", "created_at", "updated_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


class WorkOrderCreate(InputModel):
    customer_name: str
    license_plate: str
    description: str


class ColumnMove(InputModel):
    column: BoardColumn
    position: int | None = Field(default=None, ge=0)
    version: int | None = None


class SessionStart(InputModel):
    mechanic: str


class SessionAction(InputModel):
    action: Literal["stop"]


class SignatureSubmit(InputModel):
    work_order_id: int
    signer_name: str
    signature: str


class DisplayCurrent(InputModel):
    work_order_id: int | None


class Health(BaseModel):
    status: str


class Diagnostics(PublicModel):
    open_streams: int  # SSE responses still running (a cut-off or departed client's is gone)
    broadcaster_subscribers: int
    page_clients: int
    page_subscriptions: int
