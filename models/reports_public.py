"""What GET /api/reports/summary answers (contract, "Shop insight"): the shop's numbers over a period."""

from pydantic import Field

from models.public import PublicModel


class MechanicHours(PublicModel):
    name: str
    clocked_minutes: int = Field(description="stopped work sessions that started in the period (shop's days)")
    billed_minutes: int = Field(
        description="labour minutes invoiced in the period (credit notes subtracted), each order's shared among its "
        "mechanics by their clocked minutes on it"
    )
    efficiency: float | None = Field(description="billed ÷ clocked, two decimals; null without clocked minutes")


class InspectionNumbers(PublicModel):
    items: int = Field(description="recommendations sent to customers in the period")
    approved: int
    declined: int
    approved_cents: int = Field(description="what the approved recommendations cost, incl. VAT, as the customer saw")


class ShopSummary(PublicModel):
    revenue_excluding_vat_cents: int = Field(description="invoices issued in the period less credit notes, excl. VAT")
    invoice_count: int = Field(description="invoices issued in the period less credit notes")
    average_invoice_cents: int = Field(description="revenue ÷ invoice count, to the cent; 0 without invoices")
    mechanics: list[MechanicHours]
    inspections: InspectionNumbers
    parts_lead_time_hours: float | None = Field(
        description="median hours from ordered to received of the parts received in the period, one decimal"
    )
