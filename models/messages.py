"""The wire format of the live stream: one pydantic model per event kind. Services build them, the log stores
them encoded once, pages read them back typed, and /api/events/schema publishes their JSON Schema."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, field_serializer

from models.enums import BoardColumn, WorkOrderStatus
from models.public import (
    Actor,
    AppointmentPublic,
    ApprovalSummary,
    CustomerPublic,
    InspectionItemPublic,
    InvoiceSummary,
    LabourLinePublic,
    NotificationPublic,
    PartPublic,
    PaymentPublic,
    PublicModel,
    SessionPublic,
    VehiclePublic,
    WorkOrderOnStream,
    iso_utc,
)


class Change(PublicModel):
    """What a service says changed; the log wraps it in the envelope (WorkOrderUpdate)."""

    change_type: str


class Created(Change):
    change_type: Literal["created"] = "created"


class StatusChanged(Change):
    change_type: Literal["status"] = "status"
    status: WorkOrderStatus


class ColumnChanged(Change):
    change_type: Literal["column"] = "column"
    column: BoardColumn
    position: int
    without_invoice: bool = Field(
        default=False, description="true when the order entered Afgerond without a current invoice"
    )


class SessionChanged(Change):
    change_type: Literal["session"] = "session"
    session: SessionPublic
    action: Literal["started", "stopped", "corrected"]
    reason: Literal["auto", "klaar"] | None = Field(
        default=None,
        description='"auto": stopped by itself after MAX_SESSION_HOURS (a forgotten timer); "klaar": stopped because '
        "the order entered Klaar",
    )


class DetailsChanged(Change):
    change_type: Literal["details"] = "details"
    fields: list[Literal["description", "mileage", "customerId"]] = Field(
        description="the work order's fields this change set, by their JSON names"
    )


class CustomerChanged(Change):
    change_type: Literal["customer"] = "customer"
    customer: CustomerPublic


class VehicleChanged(Change):
    change_type: Literal["vehicle"] = "vehicle"
    vehicle: VehiclePublic


class PartsChanged(Change):
    change_type: Literal["parts"] = "parts"
    part: PartPublic
    action: Literal["added", "updated", "removed"]
    all_received: bool = Field(
        default=False,
        description="true on the change after which the order has parts and none nodig or besteld, while before it"
        " some were",
    )
    undone: bool = Field(default=False, description="true when a received part went back to besteld (a mis-tap)")


class LabourChanged(Change):
    change_type: Literal["labour"] = "labour"
    action: Literal["added", "removed"]
    lines: list[LabourLinePublic] = Field(
        description="the lines added or removed (taken over from sessions: one line, rounded up to the billing unit)"
    )
    from_sessions: bool = Field(default=False, description="true when the lines are the mechanics' clocked hours")


class ApprovalChanged(Change):
    change_type: Literal["approval"] = "approval"
    approval: ApprovalSummary = Field(description="the approval recorded, without its snapshot")
    note: str | None = Field(default=None, description="a telephone approval's note (part of its snapshot)")


class InvoiceChanged(Change):
    change_type: Literal["invoice"] = "invoice"
    invoice: InvoiceSummary = Field(
        description="the invoice issued, or the credit note that cancelled one, without its lines"
    )


class NotificationChanged(Change):
    change_type: Literal["notification"] = "notification"
    notification: NotificationPublic


class AppointmentChanged(Change):
    change_type: Literal["appointment"] = "appointment"
    action: Literal["planned", "moved", "cancelled"]
    appointment: AppointmentPublic = Field(description="as it is now; for cancelled, the one cancelled")


class InspectionChanged(Change):
    change_type: Literal["inspection"] = "inspection"
    action: Literal["started", "item", "photo", "sent", "answered"]
    item: InspectionItemPublic | None = Field(
        default=None, description="the item graded, noted or photographed (null for started, sent and answered)"
    )
    approved: int = Field(default=0, description="answered: how many recommendations the customer approved")
    declined: int = Field(default=0, description="answered: how many the customer declined (Niet nu)")


class PaymentChanged(Change):
    change_type: Literal["payment"] = "payment"
    action: Literal["link", "paid"] = Field(
        description="link: a Mollie payment of the open amount was made (invoice.paymentUrl); paid: money received"
    )
    invoice: InvoiceSummary = Field(description="the invoice after the change: status, paidCents, payments")
    payment: PaymentPublic | None = Field(default=None, description="paid: the payment recorded (null for link)")


class Envelope(PublicModel):
    """What every workorder-update carries besides its change: the work order after it as a list or board needs it
    (WorkOrderOnStream; the complete one is GET /api/workorders/{id}), who, when."""

    type: Literal["workorder-update"] = "workorder-update"
    work_order_id: int
    actor: Actor | None
    work_order: WorkOrderOnStream
    at: datetime

    @field_serializer("at")
    def _time(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class CreatedEvent(Envelope, Created):
    pass


class StatusEvent(Envelope, StatusChanged):
    pass


class ColumnEvent(Envelope, ColumnChanged):
    pass


class SessionEvent(Envelope, SessionChanged):
    pass


class DetailsEvent(Envelope, DetailsChanged):
    pass


class CustomerEvent(Envelope, CustomerChanged):
    pass


class VehicleEvent(Envelope, VehicleChanged):
    pass


class PartsEvent(Envelope, PartsChanged):
    pass


class LabourEvent(Envelope, LabourChanged):
    pass


class ApprovalEvent(Envelope, ApprovalChanged):
    pass


class InvoiceEvent(Envelope, InvoiceChanged):
    pass


class NotificationEvent(Envelope, NotificationChanged):
    pass


class AppointmentEvent(Envelope, AppointmentChanged):
    pass


class InspectionEvent(Envelope, InspectionChanged):
    pass


class PaymentEvent(Envelope, PaymentChanged):
    pass


EVENT_FOR_CHANGE: dict[type[Change], type[Envelope]] = {
    Created: CreatedEvent,
    StatusChanged: StatusEvent,
    ColumnChanged: ColumnEvent,
    SessionChanged: SessionEvent,
    DetailsChanged: DetailsEvent,
    CustomerChanged: CustomerEvent,
    VehicleChanged: VehicleEvent,
    PartsChanged: PartsEvent,
    LabourChanged: LabourEvent,
    ApprovalChanged: ApprovalEvent,
    InvoiceChanged: InvoiceEvent,
    NotificationChanged: NotificationEvent,
    AppointmentChanged: AppointmentEvent,
    InspectionChanged: InspectionEvent,
    PaymentChanged: PaymentEvent,
}

WorkOrderUpdate = Annotated[
    CreatedEvent
    | StatusEvent
    | ColumnEvent
    | SessionEvent
    | DetailsEvent
    | CustomerEvent
    | VehicleEvent
    | PartsEvent
    | LabourEvent
    | ApprovalEvent
    | InvoiceEvent
    | NotificationEvent
    | AppointmentEvent
    | InspectionEvent
    | PaymentEvent,
    Field(discriminator="change_type"),
]


SCHEMA_VERSION: Literal[2] = 2  # 2: workOrder is WorkOrderOnStream (no approval snapshot, invoice lines, items)


class Connected(PublicModel):
    """The first message of every stream: where it starts (resume from here without a gap), and the version of the
    event schema its messages follow (a client built for another version knows at once)."""

    type: Literal["connected"] = "connected"
    last_event_id: int
    schema_version: Literal[2] = Field(
        default=SCHEMA_VERSION, description="the event schema's version; its $id ends in :v2"
    )


class Reset(PublicModel):
    """The cursor cannot be replayed (older than the kept log): reload, then follow from this message's id."""

    type: Literal["reset"] = "reset"


class Presence(PublicModel):
    """How many of an order's status pages are open, sent when that number changes (the desk's "klant kijkt mee").
    Not a workorder-update: no change to the order, no actor, and never in its history."""

    type: Literal["presence"] = "presence"
    work_order_id: int
    viewing: int = Field(ge=0, description="the order's status pages open now, across every server process")
    at: datetime

    @field_serializer("at")
    def _time(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class DisplayChanged(PublicModel):
    """Internal, never on the stream: the counter iPad's order changed."""

    type: Literal["display"] = "display"
    work_order_id: int | None


StreamMessage = Annotated[Connected | Reset | WorkOrderUpdate | Presence, Field(discriminator="type")]

work_order_updates: TypeAdapter[WorkOrderUpdate] = TypeAdapter(WorkOrderUpdate)
stream_messages: TypeAdapter[StreamMessage] = TypeAdapter(StreamMessage)


SCHEMA_ID = "urn:werkplaats:events"  # a name, not an address: GET /api/events/schema serves it


def event_schema() -> dict[str, Any]:
    """The JSON Schema of every stream message, as the server sends them (defaults included)."""
    schema = stream_messages.json_schema(by_alias=True, mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_ID}:v{SCHEMA_VERSION}",
        "title": f"Werkplaats stream message, version {SCHEMA_VERSION}",
        "description": "One `data:` line of GET /api/workorders/stream, parsed as JSON. The stream's first message, "
        f"`connected`, says `schemaVersion: {SCHEMA_VERSION}`.",
        **schema,
    }
