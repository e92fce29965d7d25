"""Before "Naar iPad": parts without a price read "prijs volgt" to the customer and are not in the total they sign
for, so the desk is told ("1 onderdeel zonder prijs") and may send the order anyway."""

from models.public import WorkOrderBase
from pages.confirm import confirm
from services.billing import unpriced_parts, unpriced_text


def unpriced_warning(order: WorkOrderBase) -> str | None:
    """ "2 onderdelen zonder prijs: Remblokken, Bougies", or None when every part has a price."""
    unpriced = unpriced_parts(order.parts)
    if not unpriced:
        return None
    return f"{unpriced_text(len(unpriced))}: {', '.join(part.description for part in unpriced)}"


async def send_despite_unpriced(order: WorkOrderBase) -> bool:
    """True when every part has a price, or the desk chose to send it anyway."""
    warning = unpriced_warning(order)
    if warning is None:
        return True
    return await confirm(
        f"{order.number} zonder alle prijzen naar de iPad?",
        ["De klant ziet bij deze onderdelen “prijs volgt” en tekent voor een totaal zonder die onderdelen."],
        "Toch naar iPad",
        warnings=[warning],
        hook="data-confirm=unpriced",
    )
