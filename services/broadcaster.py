"""One broadcaster per process: fans committed log events out to SSE streams and pages, each on a bounded queue.

A subscriber that falls behind is cut off (it resumes from the log by id); it never grows memory or slows others.
"""

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from models import EventKind


@dataclass(eq=False)
class LogEvent:
    """A committed event as every subscriber sees it; its message is encoded once, not once per client."""

    id: int
    kind: str
    work_order_id: int | None
    change_type: str
    data: str

    @cached_property
    def sse(self) -> bytes:
        return f"id: {self.id}\r\ndata: {self.data}\r\n\r\n".encode()

    @cached_property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.data)  # type: ignore[no-any-return]


class LogBatch:
    """The events of one commit (or of one catch-up read), delivered together: one send per stream, not one
    per event; their SSE bytes are joined once for every stream that takes them all."""

    __slots__ = ("__dict__", "events")

    def __init__(self, events: Sequence[LogEvent]) -> None:
        self.events = tuple(events)

    @cached_property
    def sse(self) -> bytes:
        return b"".join(event.sse for event in self.events if event.kind == EventKind.WORKORDER_UPDATE)

    def after(self, cursor: int) -> "LogBatch":
        """This batch without the events a replay already delivered."""
        return self if self.events[0].id > cursor else LogBatch([e for e in self.events if e.id > cursor])


@dataclass(eq=False)
class Subscription:
    """A subscriber's bounded queue. get() returns None once the subscriber was dropped or the server stops."""

    queue: asyncio.Queue[LogBatch | None]
    dropped: bool = False
    closed: bool = False
    _broadcaster: "Broadcaster | None" = field(default=None, repr=False)

    async def get(self) -> LogBatch | None:
        if self.closed:
            return None
        return await self.queue.get()

    def _close(self, dropped: bool) -> None:
        if self.closed:
            return
        self.closed, self.dropped = True, dropped
        while not self.queue.empty():  # free the backlog at once
            self.queue.get_nowait()
        self.queue.put_nowait(None)  # wake the consumer

    def unsubscribe(self) -> None:
        if self._broadcaster is not None:
            self._broadcaster.unsubscribe(self)


class Broadcaster:
    def __init__(self, queue_size: int = 1000) -> None:
        self.queue_size = queue_size
        self._subscriptions: set[Subscription] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver on this event loop (the server's); publish() may then be called from any thread."""
        self._loop = loop

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)

    def subscribe(self) -> Subscription:
        """Called on the event loop. The queue holds queue_size commits plus the wake-up marker."""
        subscription = Subscription(asyncio.Queue(self.queue_size + 1), _broadcaster=self)
        if self.closed:
            subscription._close(dropped=False)
        else:
            self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)
        subscription._close(dropped=False)

    def publish(self, events: Sequence[LogEvent]) -> None:
        """Hand committed events to every subscriber, in order; safe from worker threads."""
        if not events or self._loop is None or self._loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        batch = LogBatch(events)
        if running is self._loop:
            self._fan_out(batch)
        else:
            self._loop.call_soon_threadsafe(self._fan_out, batch)

    def _fan_out(self, batch: LogBatch) -> None:
        for subscription in list(self._subscriptions):
            if subscription.queue.qsize() >= self.queue_size:
                self._subscriptions.discard(subscription)
                subscription._close(dropped=True)
            else:
                subscription.queue.put_nowait(batch)

    def close(self) -> None:
        """Server shutdown: every subscriber's get() returns None at once, and so will later ones'."""
        self.closed = True
        for subscription in list(self._subscriptions):
            self.unsubscribe(subscription)


broadcaster = Broadcaster()
