"""The money of a work order, in integer cents with Decimal arithmetic (never float): the lines a customer
approves and is invoiced for, their totals with 21 % VAT rounded half up, when an estimate needs the customer's
approval again (BW 7:752: more than 10 % over what they approved), parts without a price yet ("prijs volgt"), clocked
time rounded up to the billing unit, and amounts the Dutch way (€ 1.234,56)."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from babel import Locale
from babel.numbers import format_currency

from models import PartStatus
from models.public import EstimateLine, InvoiceLine, Totals
from services.text import counted

VAT_RATE = 21  # percent: the general Dutch rate, the only one a workshop's parts and labour carry
APPROVAL_MARGIN = Decimal("1.10")  # more than 10 % over the approved total asks the customer again
PRICE_FOLLOWS = "prijs volgt"  # what a customer reads for a part without a price yet (never € 0,00)
_DUTCH = Locale.parse("nl_NL")  # parsed once: by its name babel parses it again for every amount (35 times slower)


class PartLine(Protocol):
    """A part as the table or the JSON has it: the lines and totals come out the same from either."""

    @property
    def description(self) -> str: ...
    @property
    def article_number(self) -> str | None: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_price_cents(self) -> int | None: ...
    @property
    def status(self) -> str: ...


class LabourEntry(Protocol):
    @property
    def description(self) -> str: ...
    @property
    def minutes(self) -> int: ...
    @property
    def rate_cents(self) -> int: ...


def half_up(amount: Decimal) -> int:
    """To whole cents, halves away from zero (a credit note mirrors its invoice)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def labour_cents(minutes: int, rate_cents: int) -> int:
    return half_up(Decimal(minutes) * rate_cents / 60)


def part_cents(part: PartLine) -> int:
    """A part without a price counts 0; one sent back (retour) is not charged."""
    if part.status == PartStatus.RETOUR.value or part.unit_price_cents is None:
        return 0
    return part.quantity * part.unit_price_cents


def vat_of(excluding_vat_cents: int, rate: int = VAT_RATE) -> int:
    """The VAT over an amount, rounded half up to the cent: once over the sum, never per line."""
    return half_up(Decimal(excluding_vat_cents) * rate / 100)


def totals_of(excluding_vat_cents: int) -> Totals:
    vat = vat_of(excluding_vat_cents)
    return Totals(excluding_vat_cents=excluding_vat_cents, vat_cents=vat, including_vat_cents=excluding_vat_cents + vat)


def order_totals(parts: Iterable[PartLine], labour: Iterable[LabourEntry]) -> Totals:
    """Each line rounded to the cent first, so the totals are the sum of the lines an invoice shows."""
    return totals_of(
        sum(part_cents(part) for part in parts) + sum(labour_cents(line.minutes, line.rate_cents) for line in labour)
    )


def needs_approval(including_vat_cents: int, approved_total_cents: int | None, signed_without_record: bool) -> bool:
    """True before the first approval, and when the total grew past the approved one by more than 10 % (exactly
    10 % is still covered). An order signed before approvals were recorded counts as approved."""
    if approved_total_cents is None:
        return not signed_without_record
    return Decimal(including_vat_cents) > Decimal(approved_total_cents) * APPROVAL_MARGIN


def duration(minutes: int) -> str:
    """Minutes as people say them: 1 u 15 min, 45 min, 2 u."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} u {rest} min" if rest else f"{hours} u"


def euro(cents: int) -> str:
    """€ 1.234,56 (with a non-breaking space, as babel writes it for nl)."""
    return format_currency(Decimal(cents) / 100, "EUR", locale=_DUTCH)


def unpriced_parts(parts: Iterable[PartLine]) -> list[PartLine]:
    """Parts the customer would pay for whose price nobody filled in yet."""
    return [part for part in parts if part.status != PartStatus.RETOUR.value and part.unit_price_cents is None]


def unpriced_text(count: int) -> str:
    """ "1 onderdeel zonder prijs", "2 onderdelen zonder prijs"."""
    return f"{counted(count, 'onderdeel', 'onderdelen')} zonder prijs"


def rounded_up(minutes: int, unit: int) -> int:
    """Minutes up to the next whole billing unit (7 → 15, 16 → 30 with a unit of 15; 15 stays 15)."""
    return -(-minutes // unit) * unit


def _part_description(part: PartLine) -> str:
    return f"{part.description} ({part.article_number})" if part.article_number else part.description


def estimate_lines(parts: Iterable[PartLine], labour: Iterable[LabourEntry]) -> list[EstimateLine]:
    """What the customer approves: every part not sent back (one without a price marked `unpriced`, with no amount),
    then the labour (one line per labour line, its time and hourly rate in the description)."""
    lines = [
        EstimateLine(
            description=_part_description(part),
            quantity=part.quantity,
            unit_price_cents=part.unit_price_cents,
            vat_rate=VAT_RATE,
            total_cents=None if part.unit_price_cents is None else part_cents(part),
            unpriced=part.unit_price_cents is None,
        )
        for part in parts
        if part.status != PartStatus.RETOUR.value
    ]
    for line in labour:
        cents = labour_cents(line.minutes, line.rate_cents)
        lines.append(
            EstimateLine(
                description=f"Arbeid: {line.description} ({duration(line.minutes)} à {euro(line.rate_cents)} per uur)",
                quantity=1,
                unit_price_cents=cents,
                vat_rate=VAT_RATE,
                total_cents=cents,
                unpriced=False,
            )
        )
    return lines


def bill_lines(parts: Iterable[PartLine], labour: Iterable[LabourEntry]) -> list[InvoiceLine]:
    """What the customer is invoiced for: the estimate's lines, a part still without a price at € 0,00 (the desk
    was warned before issuing)."""
    return [
        InvoiceLine(
            description=line.description,
            quantity=line.quantity,
            unit_price_cents=line.unit_price_cents or 0,
            vat_rate=line.vat_rate,
            total_cents=line.total_cents or 0,
        )
        for line in estimate_lines(parts, labour)
    ]
