"""One notion of now: timezone-aware UTC, as every table stores it."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands stored times back without their zone; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


SHOP_ZONE = ZoneInfo("Europe/Amsterdam")


def shop_day(moment: datetime) -> date:
    """The calendar day at the shop (an invoice's date and number year follow it, not UTC's)."""
    return as_utc(moment).astimezone(SHOP_ZONE).date()
