"""Throttling the booking pages per client address: at most so many requests in a sliding window, counted in
this process's memory. The login throttle keeps its failures in the database because it counts per account
across processes; here every request of a stranger would then be a write, which is the flood itself. Behind
the nginx of deploy/ an address always reaches the same process (ip_hash), so the count is exact there; without
it each process counts its own."""

import math
import time
from collections import deque
from dataclasses import dataclass

from services.errors import ServiceError
from services.settings import Settings
from services.text import counted


class TooManyRequests(ServiceError):
    status_code = 429


class AddressThrottle:
    """At most `limit` requests per address within `window_seconds`; the next one is refused with the wait."""

    def __init__(self, limit: int, window_seconds: float, max_addresses: int = 100_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_addresses = max_addresses
        self._seen: dict[str, deque[float]] = {}

    def admit(self, address: str | None) -> None:
        """Counts the request, or raises TooManyRequests (a refused one is not counted: waiting helps)."""
        now = time.monotonic()
        times = self._seen.get(address or "?")
        if times is None:
            if len(self._seen) >= self.max_addresses:
                self._forget_idle(now)
            times = self._seen.setdefault(address or "?", deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            minutes = max(1, math.ceil((times[0] + self.window - now) / 60))
            raise TooManyRequests(
                f"Te veel verzoeken vanaf uw adres; probeer het over {counted(minutes, 'minuut', 'minuten')} opnieuw"
            )
        times.append(now)

    def _forget_idle(self, now: float) -> None:
        self._seen = {key: times for key, times in self._seen.items() if times and times[-1] > now - self.window}


@dataclass(frozen=True)
class BookingThrottles:
    """One per server process (main builds it): the booking pages' reads, and the bookings made or cancelled."""

    lookups: AddressThrottle
    bookings: AddressThrottle

    @classmethod
    def from_settings(cls, settings: Settings) -> "BookingThrottles":
        hour = 3600.0
        return cls(
            AddressThrottle(settings.booking_lookups_per_hour, hour), AddressThrottle(settings.bookings_per_hour, hour)
        )
