"""A page's view that is read again off the event loop when something changed: one read at a time, and a change
that arrives while a read runs makes one more read afterwards, not one per change (a burst of commits costs two)."""

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Reread(Generic[T]):
    def __init__(self, read: Callable[[], Awaitable[T | None]], show: Callable[[T], None]) -> None:
        """`read`: the read started on the event loop (its arguments taken there) and awaited off it, e.g.
        `lambda: run.io_bound(rows_of, database())`."""
        self._read = read
        self._show = show
        self._reading = False
        self._stale = False

    async def __call__(self) -> None:
        if self._reading:
            self._stale = True
            return
        self._reading = True
        try:
            while True:
                self._stale = False
                value = await self._read()
                if value is not None:  # None: the app is shutting down (run.io_bound's answer then)
                    self._show(value)
                if not self._stale:
                    break
        finally:
            self._reading = False
