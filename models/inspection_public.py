"""Request bodies of the inspection routes (the shapes they answer with are in models.public)."""

from typing import Annotated, Literal

from pydantic import Field

from models.planning_public import WEEK_MINUTES, PackagePartInput, Price
from models.public import DatabaseId, InputModel

Grade = Literal["groen", "oranje", "rood"]


class RecommendationInput(InputModel):
    """Either a package of the shop (`packageId`: its name, minutes, parts and price), or the work by hand. Without
    `priceCents` it is priced as a package is: the minutes at the hourly rate plus the parts, with VAT."""

    package_id: DatabaseId | None = None
    description: str | None = None
    labour_minutes: Annotated[int, Field(ge=0, le=WEEK_MINUTES)] = 0
    parts: list[PackagePartInput] = Field(default_factory=list, max_length=50)
    price_cents: Price | None = None


class InspectionItemUpdate(InputModel):
    """Only the fields sent change; null clears a note or a recommendation."""

    grade: Grade | None = None
    note: str | None = None
    recommendation: RecommendationInput | None = None


class ChecklistUpdate(InputModel):
    items: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=1, max_length=100)


class InspectionAnswer(InputModel):
    """The customer's decisions from the status page: one per item with a recommendation, signed with a finger."""

    decisions: dict[str, Literal["akkoord", "afgewezen"]] = Field(max_length=200)
    signer_name: str
    signature: str
