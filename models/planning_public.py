"""The JSON shapes of packages, mechanics, loan cars, appointments and the planning (camelCase on the wire)."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, field_serializer

from models.public import MAX_PRICE_CENTS, MAX_QUANTITY, DatabaseId, InputModel, PublicModel, iso_utc

PackageKind = Literal["onderhoud", "apk", "banden", "reparatie", "overig"]
WEEK_MINUTES = 7 * 24 * 60  # an appointment or a package longer than a week is a typo
Price = Annotated[int, Field(ge=0, le=MAX_PRICE_CENTS)]


class PackagePart(PublicModel):
    description: str
    article_number: str | None = None
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
    unit_price_cents: Price | None = None


class PackagePublic(PublicModel):
    id: int
    name: str
    kind: PackageKind
    labour_minutes: int
    parts: list[PackagePart]
    fixed_price_cents: int | None = Field(description="incl. VAT; null: labour at the hourly rate plus the parts")
    active: bool


class PackagePartInput(InputModel):
    description: str
    article_number: str | None = None
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
    unit_price_cents: Price | None = None


class PackageCreate(InputModel):
    name: str
    kind: PackageKind = "overig"
    labour_minutes: Annotated[int, Field(ge=0, le=WEEK_MINUTES)]
    parts: list[PackagePartInput] = Field(default_factory=list, max_length=50)
    fixed_price_cents: Price | None = None
    active: bool = True


class PackageUpdate(InputModel):
    name: str | None = None
    kind: PackageKind | None = None
    labour_minutes: Annotated[int, Field(ge=0, le=WEEK_MINUTES)] | None = None
    parts: list[PackagePartInput] | None = Field(default=None, max_length=50)
    fixed_price_cents: Price | None = None
    active: bool | None = None


class PackageAdd(InputModel):
    package_id: DatabaseId


WorkHours = dict[str, list[str] | None]


class MechanicPublic(PublicModel):
    name: str
    active: bool
    work_hours: WorkHours = Field(description='ISO weekday ("1" Monday … "7" Sunday) → ["08:00", "17:00"] or null')
    days_off: list[date]


class MechanicUpdate(InputModel):
    active: bool | None = None
    work_hours: WorkHours | None = None
    days_off: list[date] | None = Field(default=None, max_length=1000)


class LoanCarPublic(PublicModel):
    id: int
    license_plate: str
    name: str


class LoanCarCreate(InputModel):
    license_plate: str
    name: str


class AppointmentSet(InputModel):
    """PUT: the whole appointment. `minutes` left out: the sum of the order's packages' norm minutes (at least
    one is needed then); a naive `start` is the shop's local time."""

    start: datetime
    minutes: int | None = None
    mechanic: str | None = None
    promised_at: datetime | None = None
    waiting: bool = False
    loan_car: str | None = None
    allow_overbooking: bool = False
    version: int | None = None


class MechanicDay(PublicModel):
    name: str
    capacity_minutes: int
    planned_minutes: int


class PlanningDay(PublicModel):
    date: date
    capacity_minutes: int
    planned_minutes: int
    holiday: str | None = Field(default=None, description="the public holiday's name")
    mechanics: list[MechanicDay]


class PlannedAppointment(PublicModel):
    work_order_id: int
    number: str
    license_plate: str
    start: datetime
    minutes: int
    mechanic: str | None
    loan_car: str | None

    @field_serializer("start")
    def _time(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class Planning(PublicModel):
    days: list[PlanningDay]
    appointments: list[PlannedAppointment]


class FreeSlot(PublicModel):
    start: datetime
    mechanic: str

    @field_serializer("start")
    def _time(self, moment: datetime) -> str | None:
        return iso_utc(moment)
