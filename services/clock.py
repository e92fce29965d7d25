"""One notion of now: timezone-aware UTC, as every table stores it."""

from datetime import UTC, date, datetime, time
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


def day_start(day: date) -> datetime:
    """The first moment of a shop day, in UTC as the tables store it: a period of shop days is [start, next start)."""
    return datetime.combine(day, time(0), SHOP_ZONE).astimezone(UTC)
