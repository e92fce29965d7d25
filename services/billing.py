"""The money of a work order, in integer cents with Decimal arithmetic (never float): the lines a customer
approves and is invoiced for, their totals with 21 % VAT rounded half up, when an estimate needs the customer's
approval again (BW 7:752: more than 10 % over what they approved), and amounts the Dutch way (€ 1.234,56)."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from babel import Locale
from babel.numbers import format_currency

from models import PartStatus, WorkSession
from models.public import InvoiceLine, Totals
from services.clock import as_utc, utcnow

VAT_RATE = 21  # percent: the general Dutch rate, the only one a workshop's parts and labour carry
APPROVAL_MARGIN = Decimal("1.10")  # more than 10 % over the approved total asks the customer again
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


def totals_of(excluding_vat_cents: int) -> Totals:
    vat = half_up(Decimal(excluding_vat_cents) * VAT_RATE / 100)
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


def clocked_minutes(work_session: WorkSession) -> int:
    """A session's length in whole minutes (half a minute rounds up); a running one up to now."""
    end = as_utc(work_session.ended_at or utcnow())
    return max(0, half_up(Decimal((end - as_utc(work_session.started_at)).total_seconds()) / 60))


def duration(minutes: int) -> str:
    """Minutes as people say them: 1 u 15 min, 45 min, 2 u."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} u {rest} min" if rest else f"{hours} u"


def euro(cents: int) -> str:
    """€ 1.234,56 (with a non-breaking space, as babel writes it for nl)."""
    return format_currency(Decimal(cents) / 100, "EUR", locale=_DUTCH)


def bill_lines(parts: Iterable[PartLine], labour: Iterable[LabourEntry]) -> list[InvoiceLine]:
    """What the customer approves and is invoiced for: every part not sent back, then the labour (one line per
    labour line, its time and hourly rate in the description)."""
    lines = [
        InvoiceLine(
            description=f"{part.description} ({part.article_number})" if part.article_number else part.description,
            quantity=part.quantity,
            unit_price_cents=part.unit_price_cents or 0,
            vat_rate=VAT_RATE,
            total_cents=part_cents(part),
        )
        for part in parts
        if part.status != PartStatus.RETOUR.value
    ]
    for line in labour:
        cents = labour_cents(line.minutes, line.rate_cents)
        lines.append(
            InvoiceLine(
                description=f"Arbeid: {line.description} ({duration(line.minutes)} à {euro(line.rate_cents)} per uur)",
                quantity=1,
                unit_price_cents=cents,
                vat_rate=VAT_RATE,
                total_cents=cents,
            )
        )
    return lines
