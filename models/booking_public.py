"""The JSON shapes of online booking (camelCase on the wire): what anyone may read and send. Nothing here names a
customer, a mechanic or another car: the booking API answers strangers."""

from datetime import datetime
from typing import Annotated

from pydantic import Field, field_serializer

from models.planning_public import PackageKind
from models.public import DatabaseId, InputModel, PublicModel, iso_utc

MAX_PACKAGES = 10  # a booking with more is not a customer's


class BookablePackage(PublicModel):
    id: int
    name: str
    kind: PackageKind
    minutes: int
    price_cents: int | None = Field(description="incl. VAT; null while the shop has no hourly rate for it")


class BookingVehicle(PublicModel):
    """What the RDW's open data says of a plate, and nothing the shop knows of it."""

    license_plate: str
    car: str | None = Field(description='"Volkswagen Golf, grijs": make, model and colour as a customer says them')
    brand: str | None
    model: str | None
    color: str | None
    fuel: str | None
    found: bool | None = Field(description="true: the RDW knows it; false: it does not; null: not asked (yet)")


class BookingSlot(PublicModel):
    start: datetime

    @field_serializer("start")
    def _time(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class BookingCreate(InputModel):
    """Without `token`: plate, name and e-mail are needed (422 at each one missing). With a reminder's `token`:
    its customer and car, and those three are not read."""

    license_plate: str | None = None
    package_ids: Annotated[list[DatabaseId], Field(min_length=1, max_length=MAX_PACKAGES)]
    start: datetime
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    token: str | None = Field(default=None, max_length=100, description="a reminder's link: its customer and car")


class BookingConfirmed(PublicModel):
    number: str
    start: datetime

    @field_serializer("start")
    def _time(self, moment: datetime) -> str | None:
        return iso_utc(moment)


class BookingView(PublicModel):
    """An online booking as its own page (/afspraak/beheer/{token}) shows it to the customer who made it."""

    number: str
    license_plate: str
    car: str | None
    packages: list[str]
    start: datetime | None = Field(description="null once cancelled")
    start_text: str | None

    @field_serializer("start")
    def _time(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)
