"""A part's status as a badge, and an order's parts progress as the board and the parts desk count it:
received or fitted out of every part not sent back (retour)."""

from nicegui import ui

from models import PartStatus
from models.public import PartPublic
from pages.theme import PART_STATUS_COLORS
from services.billing import euro
from services.parts import AWAITED
from services.parts import all_parts_in as order_has_all_parts

OPEN = AWAITED  # parts the order still waits for
IN = (PartStatus.ONTVANGEN.value, PartStatus.GEMONTEERD.value)


def parts_progress(parts: list[PartPublic]) -> tuple[int, int]:
    """(received or fitted, all but retour)."""
    counted = [part for part in parts if part.status != PartStatus.RETOUR.value]
    return sum(part.status in IN for part in counted), len(counted)


def all_parts_in(parts: list[PartPublic]) -> bool:
    """At least one part and none still needed or ordered: the rule of the stream's `allReceived`."""
    return order_has_all_parts([part.status for part in parts])


def price_text(cents: int | None) -> str:
    return "—" if cents is None else euro(cents)


def unit_price_text(cents: int | None) -> str:
    """For staff: "€ 45,95 per stuk", or that the price is still missing."""
    return "zonder prijs" if cents is None else f"{euro(cents)} per stuk"


def part_status_badge(status: str) -> ui.badge:
    return ui.badge(status, color=PART_STATUS_COLORS[PartStatus(status)]).props(f"data-part-badge={status}")
