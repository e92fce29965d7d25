"""A report's period: shop days, both included, read from the query's `from` and `to` (JJJJ-MM-DD); this year up
to today when left out."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.elements import ColumnElement

from services.clock import day_start, shop_day, utcnow
from services.errors import Invalid

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(9998, 12, 31)  # the years an invoice number can have


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        """The first moment of the period (UTC)."""
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        """The first moment after it (UTC)."""
        return day_start(self.last + timedelta(days=1))

    def covers(
        self, moment: ColumnElement[datetime] | Mapped[datetime] | Mapped[datetime | None]
    ) -> ColumnElement[bool]:
        """SQL: the moment falls in the period, [start, end)."""
        return and_(moment >= self.start, moment < self.end)


def _day(raw: str, name: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"'{raw[:40]}' is geen datum: schrijf {name} als JJJJ-MM-DD", field=name) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(f"Kies een datum tussen {FIRST_DAY.year} en {LAST_DAY.year}", field=name)
    return day


def checked(first: date, last: date) -> Period:
    """The period from `first` to `last`; 422 (Invalid, naming `to`) when it ends before it begins."""
    if last < first:
        raise Invalid("De periode eindigt voor ze begint", field="to")
    return Period(first, last)


def period_of(first: str | None, last: str | None) -> Period:
    """422 (Invalid, naming `from` or `to`) for a date that is not one, or a period that ends before it begins."""
    today = shop_day(utcnow())
    return checked(_day(first, "from") if first else today.replace(month=1, day=1), _day(last, "to") if last else today)
