"""Follow the log from a cursor: subscribe first, replay what was missed, then go live, with no gap and no
duplicate. SSE streams and pages both catch up through here."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from anyio import to_thread

from services.broadcaster import PING, LogBatch, LogEvent, Subscription
from services.clock import utcnow
from services.db import Database
from services.events import REPLAY_BATCH, events_after, log_bounds


async def committed_after(db: Database, cursor: int) -> AsyncIterator[list[LogEvent]]:
    """What the log holds after a cursor, in id order, a read at a time (off the event loop)."""
    while True:
        events = await to_thread.run_sync(events_after, db, cursor)
        if events:
            yield events
            cursor = events[-1].id
        if len(events) < REPLAY_BATCH:
            return


@dataclass
class Feed:
    db: Database
    start: int  # the cursor the stream starts from (the client's own, or the newest id)
    newest: int  # the newest id when the feed opened
    reset: bool  # the cursor cannot be replayed (pruned, or from another log): start over from newest
    subscription: Subscription
    replay: bool  # the client asked to resume from a cursor

    async def batches(self) -> AsyncIterator[LogBatch]:
        """Every event after the cursor, in id order, a commit at a time, and PING when the subscription takes
        pings; ends when the subscriber is dropped or the server stops."""
        last = self.newest if self.reset else self.start
        # A stream with no cursor starts at the newest id read after subscribing: everything later is queued
        # already, so only a cursor from the client (or a reset) needs the log.
        if self.replay:
            async for replayed in committed_after(self.db, last):
                yield LogBatch(replayed)
                last = replayed[-1].id
        while (live := await self.subscription.get()) is not None:
            if live is PING:
                yield live
            elif live.events[-1].id > last:
                yield live.after(last)
                last = live.events[-1].id


@asynccontextmanager
async def open_feed(db: Database, cursor: int | None, pings: bool = False) -> AsyncIterator[Feed]:
    subscription = db.broadcaster.subscribe(pings)
    try:
        pruned, newest = await to_thread.run_sync(log_bounds, db)
        reset = cursor is not None and (cursor < pruned or cursor > newest)
        yield Feed(db, newest if cursor is None else cursor, newest, reset, subscription, replay=cursor is not None)
    finally:
        subscription.unsubscribe()


@dataclass(eq=False, slots=True)
class OpenStream:
    """One SSE stream as an operator sees it: who opened it, when, with which filter, the last id it was sent."""

    who: str
    filter: str | None
    since: datetime = field(default_factory=utcnow)
    last_event_id: int | None = None


class OpenStreams(set[OpenStream]):
    """The SSE streams an app has open, for /api/diagnostics, /metrics and /admin/verbindingen: made once with
    the app (main.wire_app) and handed to the stream route, the diagnostics and the metrics."""
