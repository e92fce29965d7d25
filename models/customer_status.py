"""What the customer's own status page (/status/{token}) and its stream show: only this, never the staff's work
order JSON, so no staff name, note, actor or other order can reach a customer."""

from datetime import date, datetime
from typing import Literal

from pydantic import field_serializer

from models.public import PublicModel, iso_utc

Stage = Literal["gepland", "binnen", "in-uitvoering", "wacht-op-onderdelen", "klaar", "afgerond"]


class CustomerEstimate(PublicModel):
    """A price waiting for the customer's approval."""

    including_vat_cents: int
    total_text: str  # "€ 1.234,56"
    unpriced_text: str | None = None  # "Plus 1 onderdeel: prijs volgt" (not in the total); null when all are priced


class CustomerInvoice(PublicModel):
    number: str
    including_vat_cents: int
    total_text: str
    pdf_url: str  # /status/{token}/factuur.pdf
    paid: bool = False  # paid in full: "Betaald — bedankt"
    open_text: str = ""  # what is still to pay, "€ 243,55"


class CustomerPhoto(PublicModel):
    thumbnail_url: str  # /status/{token}/photos/{id}?size=klein
    url: str


class CustomerRecommendation(PublicModel):
    description: str
    price_cents: int  # incl. VAT
    price_text: str
    excluding_vat_cents: int  # what it adds to the order before VAT: the page's new total


class CustomerInspectionItem(PublicModel):
    id: int
    label: str
    grade: Literal["groen", "oranje", "rood"] | None
    note: str | None
    photos: list[CustomerPhoto]
    recommendation: CustomerRecommendation | None
    decision: Literal["akkoord", "afgewezen"] | None


class CustomerInspection(PublicModel):
    """The inspection once it was sent: green items in one line on the page, the others with photos and advice."""

    status: Literal["verstuurd", "beantwoord"]
    items: list[CustomerInspectionItem]
    excluding_vat_cents: int  # the order's total before VAT now; the approved advice adds to it


class CustomerAppointment(PublicModel):
    """When the car is expected, and the pick-up time once the desk confirmed one (never guessed)."""

    start: datetime
    start_text: str  # "maandag 7 december om 08:00"
    promised_at: datetime | None
    promised_text: str | None  # "U kunt uw auto ophalen op maandag 7 december vanaf 16:30"

    @field_serializer("start", "promised_at")
    def _times(self, moment: datetime | None) -> str | None:
        return iso_utc(moment)


class CustomerStatus(PublicModel):
    """Plain Dutch for a phone: where the car is, which car, when awaited parts come, what waits for approval and
    the invoice. `stage_text` is the sentence the page shows ("Wacht op onderdelen, verwacht 3 december")."""

    type: Literal["status"] = "status"
    number: str
    stage: Stage
    stage_text: str
    license_plate: str  # as on the plate: AB-123-C
    car: str | None  # "Toyota Yaris, blauw" once the RDW answered
    parts_expected_at: date | None  # the last expected date of the parts still on order
    estimate: CustomerEstimate | None
    invoice: CustomerInvoice | None
    inspection: CustomerInspection | None = None
    appointment: CustomerAppointment | None = None


class Garage(PublicModel):
    """How the customer reaches the shop, from its settings: on the status page itself, not in its stream."""

    name: str | None
    street: str | None
    town: str | None  # "1234 AB Utrecht"
    phone: str | None
    phone_uri: str | None  # tel:0301234567
    email: str | None
    opening_hours: str | None
    iban: str | None = None  # where to transfer the invoice's amount (when the shop takes no online payments)
