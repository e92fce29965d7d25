"""The bridge from the broadcaster to the pages: one feed per process, re-emitted a commit at a time.

A page subscribes while it is built, through one of the follow_* helpers, and gets typed objects: each work
order a commit changed, once, as the stream carries it (WorkOrderOnStream); or a work order's events; or the iPad's
turn. NiceGUI runs the callback in that page's context and unsubscribes it when the tab goes away. If the relay is
ever dropped it reopens from the last id it saw, so pages miss nothing. Each page also writes what it received to
the browser's console ("📡 Live update ontvangen: column"; README, Troubleshooting), inside the commit's one update
of the page.
"""

import logging
import weakref
from collections import Counter
from collections.abc import Callable
from typing import Any

from nicegui import Client, Event, ui

from models import EventKind
from models.messages import Presence, WorkOrderUpdate
from models.public import WorkOrderOnStream
from pages.boundary import Boundary
from services.broadcaster import LogBatch
from services.db import Database
from services.diagnostics import PageCounts
from services.live import open_feed

log = logging.getLogger(__name__)
commits: Event[LogBatch] = Event()


async def relay_log_to_pages(db: Database) -> None:
    cursor: int | None = None
    while not db.broadcaster.closed:
        async with open_feed(db, cursor) as feed:
            cursor = feed.newest if feed.reset else feed.start
            async for batch in feed.batches():
                commits.emit(batch)
                cursor = batch.events[-1].id
        if not db.broadcaster.closed:
            log.warning("page relay fell behind; catching up from event %s", cursor)


class LiveConsole(ui.element, component="live_console.js"):
    """What the page received, for its browser console (live_console.js): a prop, so the lines go out in the same
    message as the commit's changes to the page; a message of their own would double every page's sends."""

    def __init__(self) -> None:
        super().__init__()
        self._props["received"] = {"commit": 0, "types": []}

    def log(self, batch: LogBatch, change_types: list[str]) -> None:
        """Every follower of this page adds its lines of the same commit; a new commit starts over."""
        if not change_types:
            return
        commit = batch.events[-1].id
        before = self._props["received"]
        types = [*before["types"], *change_types] if before["commit"] == commit else change_types
        self._props["received"] = {"commit": commit, "types": types}
        self.update()


_consoles: weakref.WeakKeyDictionary[Client, LiveConsole] = weakref.WeakKeyDictionary()


def _console() -> LiveConsole:
    """The page's one console element, made with its first follower."""
    client = ui.context.client
    console = _consoles.get(client)
    if console is None:
        with client.layout, Boundary():  # its updates redraw the boundary, not the page (pages/boundary.py)
            console = _consoles[client] = LiveConsole()
    return console


def follow_work_orders(show: Callable[[WorkOrderOnStream], Any]) -> None:
    """`show` gets every work order a commit changed, once per commit, as the commit left it (a move's column
    and status events carry the same snapshot: it is shown once). It is the stream's lean order: a page that shows
    an approval's snapshot, invoice lines or inspection items reads the complete one (workorders.get_work_order)."""
    console = _console()

    def on_commit(batch: LogBatch) -> None:
        latest: dict[int, WorkOrderOnStream] = {}
        received: list[str] = []
        for event in batch.events:
            if (update := event.update) is not None:
                latest[update.work_order_id] = update.work_order
                received.append(event.change_type)
        console.log(batch, received)
        for order in latest.values():
            show(order)

    commits.subscribe(on_commit)


def follow_work_order_events(work_order_id: int, show: Callable[[list[tuple[int, WorkOrderUpdate]]], Any]) -> None:
    """`show` gets the events of one work order a commit appended, with their log ids, in order: once per commit."""
    console = _console()

    def on_commit(batch: LogBatch) -> Any:
        mine = [e for e in batch.events if e.work_order_id == work_order_id and e.kind == EventKind.WORKORDER_UPDATE]
        if not mine:
            return None
        console.log(batch, [event.change_type for event in mine])
        return show([(event.id, update) for event in mine if (update := event.update) is not None])

    commits.subscribe(on_commit)


def follow_display(changed: Callable[[], Any]) -> None:
    """`changed` is called when the desk sends another order to the iPad (or clears it)."""
    console = _console()

    def on_commit(batch: LogBatch) -> Any:
        if any(event.kind == EventKind.DISPLAY for event in batch.events):
            console.log(batch, [EventKind.DISPLAY.value])
            return changed()
        return None

    commits.subscribe(on_commit)


def follow_presence(show: Callable[[Presence], Any], work_order_id: int | None = None) -> None:
    """`show` gets each change in how many status pages of an order (of this one, or of any) are open."""
    console = _console()

    def on_commit(batch: LogBatch) -> None:
        for event in batch.events:
            if event.kind == EventKind.PRESENCE and work_order_id in (None, event.work_order_id):
                console.log(batch, [event.change_type])
                show(Presence.model_validate_json(event.data))

    commits.subscribe(on_commit)


def follow_change_types(changed: Callable[[frozenset[str]], Any]) -> None:
    """`changed` gets the change types of each commit that changed work orders ("invoice", "column", …), so a page
    re-reads only what those touch (the dashboard)."""
    console = _console()

    def on_commit(batch: LogBatch) -> Any:
        kinds = [event.change_type for event in batch.events if event.kind == EventKind.WORKORDER_UPDATE]
        if not kinds:
            return None
        console.log(batch, kinds)
        return changed(frozenset(kinds))

    commits.subscribe(on_commit)


def follow_log(changed: Callable[[], Any]) -> None:
    """`changed` is called once per commit, whatever it holds (the connections page counts them all)."""
    console = _console()

    def on_commit(batch: LogBatch) -> Any:
        console.log(batch, [event.change_type for event in batch.events])
        return changed()

    commits.subscribe(on_commit)


def page_counts() -> PageCounts:
    """NiceGUI's side of the diagnostics: page clients, their live subscriptions, connected pages per path."""
    clients = list(Client.instances.values())
    connected = Counter(client.page.path for client in clients if client.has_socket_connection)
    return PageCounts(len(clients), sum(len(event.callbacks) for event in Event.instances), dict(connected))
