"""The bridge from the broadcaster to the pages: one feed per process, re-emitted as a NiceGUI Event.

A page subscribes while it is built; NiceGUI runs its callback in that page's context and unsubscribes it when
the tab goes away. If the relay is ever dropped it reopens from the last id it saw, so pages miss nothing.
"""

import logging

from nicegui import Event

from services.broadcaster import LogEvent, broadcaster
from services.live import open_feed

log = logging.getLogger(__name__)
log_changed: Event[LogEvent] = Event()


async def relay_log_to_pages() -> None:
    cursor: int | None = None
    while not broadcaster.closed:
        async with open_feed(cursor) as feed:
            cursor = feed.newest if feed.reset else feed.start
            async for batch in feed.batches():
                for event in batch.events:
                    log_changed.emit(event)
                cursor = batch.events[-1].id
        if not broadcaster.closed:
            log.warning("page relay fell behind; catching up from event %s", cursor)
