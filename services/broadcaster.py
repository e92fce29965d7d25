"""One broadcaster per opened database (services.db.Database): fans committed log events out to SSE streams and
pages, each on a bounded queue.

A subscriber that falls behind is cut off (it resumes from the log by id); it never grows memory or slows others.
"""

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from sse_starlette import ServerSentEvent

from models import ON_THE_STREAM, EventKind
from models.messages import WorkOrderUpdate, work_order_updates
from services.metrics import events_published

event_log = logging.getLogger("werkplaats.events")  # one line per published event (README, Troubleshooting)
RECENT_SECONDS = 60.0
DEFAULT_QUEUE_SIZE = 1000  # commits (and pings) a subscriber may fall behind before it is cut off


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
        return ServerSentEvent(self.data, id=str(self.id)).encode()

    @cached_property
    def update(self) -> WorkOrderUpdate | None:
        """The typed workorder-update (parsed once per process, for every page that shows it), or None."""
        if self.kind != EventKind.WORKORDER_UPDATE:
            return None
        return work_order_updates.validate_json(self.data)


class LogBatch:
    """The events of one commit (or of one catch-up read), delivered together: one send per stream, not one
    per event; their SSE bytes are joined once for every stream that takes them all. `published_at` is the
    time.monotonic() of Broadcaster.publish (None for a replay from the log), for the delivery histogram."""

    __slots__ = ("__dict__", "events", "published_at")

    def __init__(self, events: Sequence[LogEvent], published_at: float | None = None) -> None:
        self.events = tuple(events)
        self.published_at = published_at

    @cached_property
    def sse(self) -> bytes:
        return b"".join(event.sse for event in self.events if event.kind in ON_THE_STREAM)

    def after(self, cursor: int) -> "LogBatch":
        """This batch without the events a replay already delivered."""
        if self.events[0].id > cursor:
            return self
        return LogBatch([e for e in self.events if e.id > cursor], self.published_at)


PING = LogBatch(())  # the keep-alive marker the ping timer hands to streams; pages never get it


class Subscription:
    """A subscriber's bounded backlog. get() returns None once the subscriber was dropped or the server stops.

    A list and at most one waiting future, not an asyncio.Queue: at 10,000 streams the queue's three deques
    and its bookkeeping were a tenth of each stream's memory. Not a deque either: an empty one holds a block
    of 64 slots (760 bytes a stream), an empty list none; the backlog is short, and bounded.
    """

    __slots__ = ("_backlog", "_broadcaster", "_waiter", "closed", "dropped", "on_drop", "pings")

    def __init__(self, owner: "Broadcaster", pings: bool) -> None:
        self._backlog: list[LogBatch] = []
        self._broadcaster = owner
        self._waiter: asyncio.Future[None] | None = None
        self.closed = False
        self.dropped = False
        self.on_drop: Callable[[], object] | None = None  # e.g. end a stream that is stuck sending
        self.pings = pings

    @property
    def backlog(self) -> int:
        return len(self._backlog)

    async def get(self) -> LogBatch | None:
        while not self._backlog:
            if self.closed:
                return None
            self._waiter = self._broadcaster.loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._backlog.pop(0)

    def _put(self, batch: LogBatch) -> None:
        self._backlog.append(batch)
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _close(self, dropped: bool) -> None:
        if self.closed:
            return
        self.closed, self.dropped = True, dropped
        self._backlog.clear()  # free the backlog at once
        self._wake()
        if dropped and self.on_drop is not None:
            self.on_drop()

    def unsubscribe(self) -> None:
        self._broadcaster.unsubscribe(self)


class Broadcaster:
    def __init__(self, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self.queue_size = queue_size
        self._subscriptions: set[Subscription] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False
        self.newest_event_id: int | None = None  # the newest id this process has seen published
        # (time.monotonic(), event count) per published commit of the last minute, for the connections page;
        # publish() runs in worker threads too, hence the lock.
        self._recent: deque[tuple[float, int]] = deque()
        self._recent_lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver on this event loop (the server's); publish() may then be called from any thread."""
        self._loop = loop

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("broadcaster is not bound to an event loop")
        return self._loop

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)

    def subscribe(self, pings: bool = False) -> Subscription:
        """Called on the event loop. A subscriber with pings=True also gets PING from the shared ping timer."""
        subscription = Subscription(self, pings)
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
        batch = LogBatch(events, time.monotonic())
        events_published.inc(len(batch.events))
        self._note(batch)
        if running is self._loop:
            self._fan_out(batch)
        else:
            self._loop.call_soon_threadsafe(self._fan_out, batch)

    def _note(self, batch: LogBatch) -> None:
        """Log each event (free when INFO is off) and count it for events_last_minute()."""
        if event_log.isEnabledFor(logging.INFO):
            for event in batch.events:
                event_log.info("event %s werkorder %s %s", event.id, event.work_order_id, event.change_type)
        assert batch.published_at is not None
        with self._recent_lock:
            self._recent.append((batch.published_at, len(batch.events)))
            self._forget_older_than(batch.published_at - RECENT_SECONDS)
            newest = batch.events[-1].id
            if self.newest_event_id is None or newest > self.newest_event_id:
                self.newest_event_id = newest

    def _forget_older_than(self, moment: float) -> None:
        while self._recent and self._recent[0][0] < moment:
            self._recent.popleft()

    def events_last_minute(self) -> int:
        """How many events this process published in the last 60 seconds."""
        with self._recent_lock:
            self._forget_older_than(time.monotonic() - RECENT_SECONDS)
            return sum(count for _, count in self._recent)

    def ping(self) -> None:
        """One timer for every stream (called on the event loop), instead of a sleeping task per stream."""
        self._fan_out(PING, only_pings=True)

    async def ping_forever(self, interval: float) -> None:
        """Every `interval` seconds; 0 (or less) turns pings off rather than spinning."""
        if interval <= 0:
            return
        while True:
            await asyncio.sleep(interval)
            self.ping()

    def _fan_out(self, batch: LogBatch, only_pings: bool = False) -> None:
        for subscription in list(self._subscriptions):
            if only_pings and not subscription.pings:
                continue
            if subscription.backlog >= self.queue_size:
                self._subscriptions.discard(subscription)
                subscription._close(dropped=True)
            else:
                subscription._put(batch)

    def close(self) -> None:
        """Server shutdown: every subscriber's get() returns None at once, and so will later ones'."""
        self.closed = True
        for subscription in list(self._subscriptions):
            self.unsubscribe(subscription)
