"""The JSON shapes of the API and of the events (camelCase on the wire), separate from the tables."""

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_serializer, field_validator
from pydantic.alias_generators import to_camel

from models.enums import BoardColumn


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, the form every browser's Date() parses."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


class PublicModel(BaseModel):
    # What the server sends always has every field, defaults included: the published schema says so.
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, json_schema_serialization_defaults_required=True
    )

    @classmethod
    def of_row(cls, row: object) -> Self:
        """From a record's attributes, read by their Python names only: looking for the camelCase alias first
        misses on every field a record has, and each miss costs a SQLModel lookup (16 % of reading the board)."""
        return cls.model_validate(row, from_attributes=True, by_alias=False, by_name=True)


def without_nul(text: str | None) -> str | None:
    """PostgreSQL cannot store a NUL character in text: refused as input (422), never a database error (500)."""
    if text is not None and "\x00" in text:
        raise ValueError("Tekst mag geen NUL-teken bevatten")
    return text


class InputModel(BaseModel):
    """Request bodies: camelCase keys, unknown keys refused so typos fail loudly, no NUL in any text."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    @field_validator("*")
    @classmethod
    def _text_without_nul(cls, value: object) -> object:
        return without_nul(value) if isinstance(value, str) else value


S = TypeVar("S", bound=PublicModel)


def _summary(shape: type[S], full: PublicModel, **given: Any) -> S:
    """The fields of `shape` taken from a fuller model, but those `given`, without validating again."""
    taken = {name: getattr(full, name) for name in shape.model_fields if name not in given}
    return shape.model_construct(**taken, **given)


class SessionPublic(PublicModel):
    id: int
    work_order_id: int
    mechanic: str
    started_at: datetime
    ended_at: datetime | None

    @field_serializer("started_at", "ended_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


class CustomerPublic(PublicModel):
    id: int
    name: str
    email: str | None
    phone: str | None
    street: str | None
    postal_code: str | None
    city: str | None
    kvk: str | None = Field(default=None, description="KvK number (8 digits): a business customer, also sent UBL")
    vat_number: str | None = Field(default=None, description="BTW-id, compact (NL000099998B57)")
    reminders_opt_out: bool = Field(default=False, description="true: the customer asked for no more reminders")
    created_at: datetime
    updated_at: datetime

    @field_serializer("created_at", "updated_at")
    def _times(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class RdwState(PublicModel):
    status: Literal["pending", "ok", "unknown", "unreachable"]
    checked_at: datetime | None

    @field_serializer("checked_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


class DeferredPublic(PublicModel):
    """Work the customer declined on an inspection ("Niet nu"): shown again on the vehicle's next order."""

    label: str
    description: str
    since: datetime
    work_order_id: int

    @field_serializer("since")
    def _times(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class VehiclePublic(PublicModel):
    license_plate: str
    brand: str | None
    model: str | None
    color: str | None
    fuel: str | None
    first_admission: date | None
    apk_expiry: date | None
    rdw: RdwState
    deferred: list[DeferredPublic] = Field(default_factory=list, description="declined inspection items, oldest first")


class PartPublic(PublicModel):
    id: int
    work_order_id: int
    article_number: str | None
    description: str
    quantity: int
    unit_price_cents: int | None
    supplier: str | None
    supplier_reference: str | None
    status: Literal["nodig", "besteld", "ontvangen", "gemonteerd", "retour"]
    expected_at: date | None
    ordered_at: datetime | None
    received_at: datetime | None
    version: int

    @field_serializer("ordered_at", "received_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


class LabourLinePublic(PublicModel):
    id: int
    description: str
    minutes: int
    rate_cents: int


class ClockedMinutes(PublicModel):
    mechanic: str
    minutes: int


class LabourProposal(PublicModel):
    """What "Uren overnemen" would add now: one line with the clocked minutes not yet billed, rounded up to the
    shop's billing unit. The mechanics are for the desk only; the line itself never names them."""

    description: str
    clocked_minutes: int
    minutes: int
    billing_unit_minutes: int
    rate_cents: int
    amount_cents: int
    mechanics: list[ClockedMinutes]


class Totals(PublicModel):
    """Parts and labour excl. VAT, the VAT (21 %, rounded half up to the cent) and the sum."""

    excluding_vat_cents: int
    vat_cents: int
    including_vat_cents: int


class ApprovalSummary(PublicModel):
    """An approval as the stream carries it: all but the snapshot (GET /api/workorders/{id}/approvals has it)."""

    id: int
    work_order_id: int
    method: Literal["ipad", "telefoon", "online"]
    signer_name: str
    signed_at: datetime
    approved_total_cents: int
    consent_version: str
    snapshot_sha256: str = Field(
        description='SHA-256 (hex) of json.dumps(snapshot, sort_keys=True, separators=(",", ":"), '
        "ensure_ascii=False) in UTF-8"
    )

    @field_serializer("signed_at")
    def _times(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class ApprovalPublic(ApprovalSummary):
    snapshot: dict[str, Any] = Field(description="exactly what was approved: lines, totals, consentVersion")

    def summary(self) -> ApprovalSummary:
        return _summary(ApprovalSummary, self)


class InvoiceLine(PublicModel):
    description: str
    quantity: int
    unit_price_cents: int
    vat_rate: int  # percent
    total_cents: int


class EstimateLine(PublicModel):
    """A line as the customer approves it: a part without a price yet is marked and has no amount ("prijs volgt"),
    so the total they sign for visibly leaves it out instead of counting it as € 0,00."""

    description: str
    quantity: int
    unit_price_cents: int | None = Field(description="excl. VAT; null: the price follows")
    vat_rate: int
    total_cents: int | None = Field(description="excl. VAT; null: the price follows")
    unpriced: bool = Field(description="true for a part without a price (not in the totals)")


InvoiceStatusName = Literal["open", "betaald", "gecrediteerd"]
PaymentMethodName = Literal["ideal", "creditcard", "bancontact", "pin", "contant", "overboeking"]


class PaymentPublic(PublicModel):
    id: int
    method: PaymentMethodName
    amount_cents: int
    at: datetime
    provider_id: str | None = Field(description="Mollie's payment id (tr_…); null for a payment at the counter")

    @field_serializer("at")
    def _times(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class InvoiceSummary(PublicModel):
    """An invoice as the stream carries it: all but its lines (GET /api/invoices/{id} has them)."""

    id: int
    number: str
    kind: Literal["factuur", "creditnota"]
    work_order_id: int
    credit_of: int | None
    issued_at: datetime
    due_at: date
    totals: Totals
    pdf_url: str
    # Defaults: a message stored before payments existed still reads back.
    status: InvoiceStatusName = Field(
        default="open", description="betaald: paid in full; gecrediteerd: a credit note settled it (or it is one)"
    )
    paid_cents: int = 0
    payment_url: str | None = Field(
        default=None, description="the newest Mollie checkout of the open amount while the invoice is open"
    )
    payments: list[PaymentPublic] = Field(default_factory=list)

    @field_serializer("issued_at")
    def _times(self, moment: datetime) -> str | None:
        return iso_utc(moment)

    @property
    def open_cents(self) -> int:
        return 0 if self.status != "open" else max(0, self.totals.including_vat_cents - self.paid_cents)


class InvoicePublic(InvoiceSummary):
    lines: list[InvoiceLine]

    def summary(self) -> InvoiceSummary:
        return _summary(InvoiceSummary, self)


class InvoiceRow(InvoicePublic):
    """GET /api/invoices: each invoice with who owes it and how late it is, in the shop's days."""

    customer_name: str
    work_order_number: str
    license_plate: str
    open_amount_cents: int
    days_overdue: int = Field(description="days past dueAt while open (0 before it or once settled)")


class PaymentLinkPublic(PublicModel):
    payment_url: str


class CounterPaymentCreate(InputModel):
    """Money taken at the counter (or a transfer seen on the bank statement)."""

    method: Literal["pin", "contant", "overboeking"]
    amount_cents: int = Field(gt=0, le=100_000_000)


class AppointmentPublic(PublicModel):
    """When the car is planned in, for how long, with whom; null mechanic: anyone."""

    start: datetime
    minutes: int
    mechanic: str | None
    promised_at: datetime | None = Field(description="the pick-up time promised to the customer")
    waiting: bool = Field(description="the customer waits at the shop")
    loan_car: str | None = Field(description="the loan car's plate")

    @field_serializer("start", "promised_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


class Progress(PublicModel):
    """Clocked minutes against planned ones (the appointment's, else the packages' norm minutes)."""

    planned_minutes: int
    clocked_minutes: int
    overrun: bool = Field(description="clocked past planned")


class RecommendationPart(PublicModel):
    description: str
    article_number: str | None = None
    quantity: int
    unit_price_cents: int | None = None


class Recommendation(PublicModel):
    """The work an inspection item needs, priced: becomes a labour line and parts when the customer approves."""

    description: str
    labour_minutes: int
    parts: list[RecommendationPart]
    price_cents: int = Field(description="incl. VAT")


class PhotoPublic(PublicModel):
    id: int
    url: str


class InspectionItemPublic(PublicModel):
    id: int
    label: str
    grade: Literal["groen", "oranje", "rood"] | None
    note: str | None
    photos: list[PhotoPublic]
    recommendation: Recommendation | None
    decision: Literal["akkoord", "afgewezen"] | None


class InspectionBase(PublicModel):
    id: int
    work_order_id: int
    status: Literal["open", "verstuurd", "beantwoord"]
    sent_at: datetime | None
    answered_at: datetime | None

    @field_serializer("sent_at", "answered_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


class InspectionPublic(InspectionBase):
    items: list[InspectionItemPublic]


class InspectionCounts(PublicModel):
    """An inspection's items counted: by grade, with photos, with a recommendation and the customer's answers."""

    total: int = Field(description="items on the checklist")
    groen: int
    oranje: int
    rood: int
    ungraded: int = Field(description="items without a grade yet")
    photos: int = Field(description="photos over all items")
    recommendations: int = Field(description="items with recommended work")
    approved: int = Field(description="recommendations the customer approved (akkoord)")
    declined: int = Field(description="recommendations the customer declined (afgewezen, Niet nu)")


class InspectionSummary(InspectionBase):
    """An inspection as the stream carries it: its state and counts (GET /api/workorders/{id} has the items)."""

    counts: InspectionCounts

    @classmethod
    def of(cls, inspection: InspectionPublic) -> "InspectionSummary":
        items = inspection.items
        grades = [item.grade for item in items]
        decisions = [item.decision for item in items if item.recommendation is not None]
        counts = InspectionCounts(
            total=len(items), groen=grades.count("groen"), oranje=grades.count("oranje"), rood=grades.count("rood"),
            ungraded=grades.count(None), photos=sum(len(item.photos) for item in items),
            recommendations=len(decisions), approved=decisions.count("akkoord"),
            declined=decisions.count("afgewezen"),
        )  # fmt: skip
        return _summary(cls, inspection, counts=counts)


class WorkOrderBase(PublicModel):
    """What every work order shape has; the approval, invoice and inspection as summaries at least."""

    id: int
    number: str
    customer_id: int
    customer_name: str
    customer: CustomerPublic
    license_plate: str
    vehicle: VehiclePublic
    mileage: int | None
    mileage_warning: bool = Field(description="the mileage is lower than the vehicle's last known one (kept, flagged)")
    description: str
    status: str
    column: str
    position: int
    version: int
    active_sessions: list[SessionPublic]
    parts: list[PartPublic]
    labour: list[LabourLinePublic]
    totals: Totals
    approval: ApprovalSummary | None = Field(description="the latest approval")
    needs_approval: bool = Field(
        description="true before the first approval, and again when totals.includingVatCents exceeds the latest "
        "approval's approvedTotalCents by more than 10 %"
    )
    invoice: InvoiceSummary | None = Field(description="the current invoice (issued, not credited)")
    appointment: AppointmentPublic | None
    progress: Progress
    inspection: InspectionBase | None = None
    signed_at: datetime | None
    status_url: str
    created_at: datetime
    updated_at: datetime

    @field_serializer("signed_at", "created_at", "updated_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


class WorkOrderPublic(WorkOrderBase):
    """The complete work order: GET /api/workorders/{id} and every answer of a change."""

    approval: ApprovalPublic | None = Field(description="the latest approval")
    invoice: InvoicePublic | None = Field(description="the current invoice (issued, not credited)")
    inspection: InspectionPublic | None = None


class WorkOrderOnStream(WorkOrderBase):
    """The work order in a stream message (event schema 2): every key of the complete one, with the approval
    without its snapshot, the invoice without its lines and the inspection counted instead of its items."""

    approval: ApprovalSummary | None = Field(description="the latest approval, without its snapshot")
    invoice: InvoiceSummary | None = Field(description="the current invoice (issued, not credited), without lines")
    inspection: InspectionSummary | None = Field(default=None, description="the inspection, its items counted")

    @classmethod
    def of(cls, order: WorkOrderPublic) -> "WorkOrderOnStream":
        """The complete order made lean, without validating again (it was built from the database just now)."""
        approval, invoice, inspection = order.approval, order.invoice, order.inspection
        return _summary(
            cls, order,
            approval=None if approval is None else approval.summary(),
            invoice=None if invoice is None else invoice.summary(),
            inspection=None if inspection is None else InspectionSummary.of(inspection),
        )  # fmt: skip


class NotificationPublic(PublicModel):
    """An e-mail to the customer and where it stands; `error` says why the last try failed (null otherwise)."""

    id: int
    work_order_id: int
    kind: Literal[
        "ontvangen",
        "toestemming",
        "klaar",
        "factuur",
        "keuring",
        "afspraak",
        "herinnering",
        "apk",
        "apk2",
        "onderhoud",
        "uitgesteld",
    ]
    to: str
    subject: str
    status: Literal["wachtrij", "verzonden", "mislukt", "uit"]
    attempts: int
    sent_at: datetime | None
    error: str | None

    @field_serializer("sent_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


MAX_MILEAGE = 9_999_999  # a kilometre counter has seven digits
Mileage = Annotated[int, Field(ge=0, le=MAX_MILEAGE)]
# The id columns are INTEGER, 32 bits on PostgreSQL: a larger id is a 422, never a database error (500).
MAX_ID = 2**31 - 1
DatabaseId = Annotated[int, Field(ge=0, le=MAX_ID)]


class WorkOrderCreate(InputModel):
    customer_name: str | None = None  # a new customer by this name, unless customerId picks a known one
    license_plate: str
    description: str
    customer_id: DatabaseId | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    customer_street: str | None = None
    customer_postal_code: str | None = None
    customer_city: str | None = None
    mileage: Mileage | None = None


class WorkOrderDetails(InputModel):
    description: str | None = None
    mileage: Mileage | None = None
    customer_id: DatabaseId | None = None
    version: int | None = None


MAX_QUANTITY = 10_000
MAX_PRICE_CENTS = 100_000_000  # € 1.000.000: beyond that a typo, not a part


class PartCreate(InputModel):
    description: str
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
    article_number: str | None = None
    unit_price_cents: Annotated[int, Field(ge=0, le=MAX_PRICE_CENTS)] | None = None
    supplier: str | None = None


class PartUpdate(InputModel):
    status: Literal["nodig", "besteld", "ontvangen", "gemonteerd", "retour"] | None = None
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY)] | None = None
    unit_price_cents: Annotated[int, Field(ge=0, le=MAX_PRICE_CENTS)] | None = None
    supplier: str | None = None
    supplier_reference: str | None = None
    expected_at: date | None = None
    version: int | None = None


MAX_MINUTES = 100_000  # some 70 days of work on one line: beyond that a typo


class LabourCreate(InputModel):
    description: str
    minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES)]
    rate_cents: Annotated[int, Field(ge=0, le=MAX_PRICE_CENTS)] | None = None  # default: the shop's hourly rate


class PhoneApprovalCreate(InputModel):
    method: Literal["telefoon"]
    signer_name: str
    note: str


class ShopSettingsPublic(PublicModel):
    name: str | None
    street: str | None
    postal_code: str | None
    city: str | None
    kvk: str | None
    vat_number: str | None
    iban: str | None
    hourly_rate_cents: int | None
    payment_term_days: int | None
    phone: str | None = None
    email: str | None = None
    opening_hours: str | None = None
    billing_unit_minutes: int = 15  # a default: invoices issued before it existed copied settings without it


MAX_BILLING_UNIT = 240


class ShopSettingsUpdate(InputModel):
    """PUT: the whole set; a field left out or null is empty (an invoice needs them all)."""

    name: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    kvk: str | None = None
    vat_number: str | None = None
    iban: str | None = None
    hourly_rate_cents: Annotated[int, Field(ge=0, le=MAX_PRICE_CENTS)] | None = None
    payment_term_days: Annotated[int, Field(ge=0, le=365)] | None = None
    phone: str | None = None
    email: str | None = None
    opening_hours: str | None = None
    billing_unit_minutes: Annotated[int, Field(ge=1, le=MAX_BILLING_UNIT)] | None = None  # left out: 15


class CustomerCreate(InputModel):
    name: str
    email: str | None = None
    phone: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    kvk: str | None = None
    vat_number: str | None = None


class CustomerUpdate(InputModel):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    kvk: str | None = None
    vat_number: str | None = None
    reminders_opt_out: bool | None = Field(default=None, description="the desk records or undoes an opt-out")


class ColumnMove(InputModel):
    column: BoardColumn
    position: int | None = Field(default=None, ge=0)
    version: int | None = None


class SessionStart(InputModel):
    mechanic: str


class SessionChange(InputModel):
    """Either `{"action": "stop"}` (a mechanic stops), or a correction of the times by the desk."""

    action: Literal["stop"] | None = None
    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None


class SignatureSubmit(InputModel):
    work_order_id: DatabaseId
    signer_name: str
    signature: str


class DisplayCurrent(InputModel):
    work_order_id: DatabaseId | None


class Health(BaseModel):
    status: str


class StreamDiagnostics(PublicModel):
    """One open SSE stream: who opened it, when, with which filter, and the last log id it was sent."""

    who: str
    since: datetime
    filter: str | None  # as the query string spells it; null: every change
    last_event_id: int | None

    @field_serializer("since")
    def _time(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class Diagnostics(PublicModel):
    """What one process holds open and has seen; with several processes each answers for itself, and
    clusterNewestEventId is the shared log's newest id."""

    open_streams: int  # SSE responses still running (a cut-off or departed client's is gone)
    broadcaster_subscribers: int
    page_clients: int
    page_subscriptions: int
    process_id: int
    streams: list[StreamDiagnostics]
    pages: dict[str, int]  # connected pages per page path ("/admin/workoverzicht": 3)
    events_last_minute: int  # published in this process
    newest_event_id: int | None  # the newest this process has seen (null: none since it started)
    cluster_newest_event_id: int  # the newest in the log, whichever process wrote it


class Actor(PublicModel):
    """Who made a change: a staff member or program (by its token's name); null for the system itself."""

    name: str
    role: str


class HistoryEntry(PublicModel):
    """One event of a work order's history: id, changeType, at, actor, summary, then the event's own fields
    (column, status, session, customer, vehicle, …) without the whole work order."""

    model_config = ConfigDict(extra="allow")

    id: int
    change_type: str
    at: datetime
    actor: Actor | None
    summary: str

    @field_serializer("at")
    def _time(self, moment: datetime) -> str | None:
        return iso_utc(moment)
