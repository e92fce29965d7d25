"""A work order's history, newest first, one small element per entry: an order may collect hundreds of events,
and its page must still open at once. Dutch dates and times in the shop's own time zone."""

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from nicegui import ui

from models.public import HistoryEntry
from pages.frame import flash
from services.clock import as_utc

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SYSTEM = "Systeem"  # who did it, when no one did: the RDW's answer, a session that stopped by itself


def dutch_datetime(moment: datetime, pattern: str = "d MMMM y HH:mm") -> str:
    """26 november 2026 14:16, as the clock on the workshop wall shows it."""
    return format_datetime(as_utc(moment), pattern, locale="nl", tzinfo=AMSTERDAM)


class HistoryList:
    """The entries as they were loaded; `add` puts a live one on top. `newest` is the id of the newest entry
    shown, so an event that was already in the loaded history is recognised when it also arrives live."""

    def __init__(self, entries: list[HistoryEntry]) -> None:
        self.newest = entries[-1].id if entries else 0
        self.list = ui.element("ol").classes("w-full divide-y divide-slate-100")
        with self.list:
            for entry in reversed(entries):
                _entry(entry)

    def add(self, entry: HistoryEntry) -> None:
        with self.list:
            item = _entry(entry)
        item.move(target_index=0)
        flash(item)
        self.newest = entry.id


def _entry(entry: HistoryEntry) -> ui.html:
    """One element with its text as HTML, no components inside: hundreds of them stay cheap to send and draw."""
    who = entry.actor["name"] if entry.actor else SYSTEM
    content = (
        f'<div class="text-sm">{escape(entry.summary)}</div>'
        f'<div class="text-xs text-slate-500">{escape(who)} · {dutch_datetime(entry.at)}</div>'
    )
    item = ui.html(content, sanitize=False, tag="li").classes("py-1.5")
    item.props.update({"data-event-id": str(entry.id), "data-change-type": entry.change_type})
    return item
