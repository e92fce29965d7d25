"""Amounts typed in euros the Dutch way (87,50) into cents, and back, with Decimal (never float)."""

from decimal import Decimal, InvalidOperation

from nicegui import ui

from services.errors import Invalid


def euro_input(cents: int | None) -> str:
    return "" if cents is None else f"{Decimal(cents) / 100:.2f}".replace(".", ",")


def cents_from(text: str, field: str) -> int | None:
    """ "87,50" or "87.50" → 8750; empty → None; anything else raises Invalid for the form's field."""
    text = text.strip().replace("€", "").replace(" ", "")
    if not text:
        return None
    try:
        amount = Decimal(text.replace(".", "").replace(",", ".") if "," in text else text)
    except InvalidOperation:
        raise Invalid("Geef een bedrag zoals 87,50", field=field) from None
    if not amount.is_finite():
        raise Invalid("Geef een bedrag zoals 87,50", field=field)
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise Invalid("Geef een bedrag van nul of meer, in hele centen", field=field)
    return int(amount * 100)


PRICE_LABEL = "Prijs per stuk (excl. btw)"  # a part's unitPriceCents: VAT is added on the totals


def price_input() -> ui.input:
    """A part's price per piece in euros; empty means the price follows."""
    field = ui.input(PRICE_LABEL).classes("w-full")
    return field.props('prefix="€" hint="Leeg laten als de prijs nog niet bekend is" inputmode=decimal')
