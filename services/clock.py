"""One notion of now: timezone-aware UTC, as every table stores it."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
