"""The bridge from the broadcaster to the pages: one feed per process, re-emitted a commit at a time.

A page subscribes while it is built, through one of the follow_* helpers, and gets typed objects: each work
order a commit changed, once, as WorkOrderPublic; or a work order's events; or the iPad's turn. NiceGUI runs the
callback in that page's context and unsubscribes it when the tab goes away. If the relay is ever dropped it
reopens from the last id it saw, so pages miss nothing.
"""

import logging
from collections.abc import Callable
from typing import Any

from nicegui import Event

from models import EventKind
from models.messages import WorkOrderUpdate
from models.public import WorkOrderPublic
from services.broadcaster import LogBatch, broadcaster
from services.live import open_feed

log = logging.getLogger(__name__)
commits: Event[LogBatch] = Event()


async def relay_log_to_pages() -> None:
    cursor: int | None = None
    while not broadcaster.closed:
        async with open_feed(cursor) as feed:
            cursor = feed.newest if feed.reset else feed.start
            async for batch in feed.batches():
                commits.emit(batch)
                cursor = batch.events[-1].id
        if not broadcaster.closed:
            log.warning("page relay fell behind; catching up from event %s", cursor)


def follow_work_orders(show: Callable[[WorkOrderPublic], Any]) -> None:
    """`show` gets every work order a commit changed, once per commit, as the commit left it (a move's column
    and status events carry the same snapshot: it is shown once)."""

    def on_commit(batch: LogBatch) -> None:
        latest: dict[int, WorkOrderPublic] = {}
        for event in batch.events:
            if (update := event.update) is not None:
                latest[update.work_order_id] = update.work_order
        for order in latest.values():
            show(order)

    commits.subscribe(on_commit)


def follow_work_order_events(work_order_id: int, show: Callable[[int, WorkOrderUpdate], Any]) -> None:
    """`show` gets each event of one work order, with its log id, in order."""

    def on_commit(batch: LogBatch) -> None:
        for event in batch.events:
            if event.work_order_id == work_order_id and (update := event.update) is not None:
                show(event.id, update)

    commits.subscribe(on_commit)


def follow_display(changed: Callable[[], Any]) -> None:
    """`changed` is called when the desk sends another order to the iPad (or clears it)."""

    def on_commit(batch: LogBatch) -> Any:
        if any(event.kind == EventKind.DISPLAY for event in batch.events):
            return changed()
        return None

    commits.subscribe(on_commit)
