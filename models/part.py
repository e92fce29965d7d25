"""A part line of a work order: asked for by a mechanic, ordered and received by the warehouse, fitted."""

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class PartStatus(StrEnum):
    NODIG = "nodig"
    BESTELD = "besteld"
    ONTVANGEN = "ontvangen"
    GEMONTEERD = "gemonteerd"
    RETOUR = "retour"


# The steps a part may take; any other is refused (409). Ontvangen back to besteld undoes a mis-tap, only for a
# short while after it was received (services.parts.UNDO_WINDOW).
PART_STEPS: dict[PartStatus, set[PartStatus]] = {
    PartStatus.NODIG: {PartStatus.BESTELD},
    PartStatus.BESTELD: {PartStatus.ONTVANGEN, PartStatus.RETOUR},
    PartStatus.ONTVANGEN: {PartStatus.GEMONTEERD, PartStatus.RETOUR, PartStatus.BESTELD},
    PartStatus.GEMONTEERD: set(),
    PartStatus.RETOUR: set(),
}


class Part(SQLModel, table=True):
    __tablename__ = "part"

    id: int | None = Field(default=None, primary_key=True)
    work_order_id: int = Field(foreign_key="work_order.id", index=True)
    article_number: str | None = Field(default=None, max_length=100)
    description: str = Field(max_length=500)
    quantity: int
    unit_price_cents: int | None = None
    supplier: str | None = Field(default=None, max_length=200, index=True)
    supplier_reference: str | None = Field(default=None, max_length=200)
    status: str = Field(default=PartStatus.NODIG.value, max_length=16, index=True)
    expected_at: date | None = None
    ordered_at: datetime | None = None
    received_at: datetime | None = Field(default=None, index=True)  # the reports' lead time per period
    version: int = 1
    created_at: datetime
