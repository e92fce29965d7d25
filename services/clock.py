"""One notion of now: timezone-aware UTC, as every table stores it."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

_recording: ContextVar[datetime | None] = ContextVar("recording", default=None)


def utcnow() -> datetime:
    """Now; inside `recorded_at`, in that context only, the moment given there."""
    return _recording.get() or datetime.now(UTC)


@contextmanager
def recorded_at(moment: datetime) -> Iterator[None]:
    """What the services record in this context happened at `moment`: the demo shop's past year is written
    through the services themselves, so its every number is a real one (services.demo_history)."""
    token = _recording.set(moment)
    try:
        yield
    finally:
        _recording.reset(token)


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
