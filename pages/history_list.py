"""A work order's history, newest first. An order may collect hundreds of events and its page must still open at
once, so an entry is one plain <li data-event-id> with no component of its own; Dutch times in the shop's zone."""

from datetime import datetime
from html import escape

from babel.dates import format_datetime
from nicegui import ui

from models.public import HistoryEntry
from pages.frame import flash
from services.clock import SHOP_ZONE, as_utc

AMSTERDAM = SHOP_ZONE
SYSTEM = "Systeem"  # who did it, when no one did: the RDW's answer, a session that stopped by itself
_STYLE = """
.wp-history li { padding: .375rem 0; border-bottom: 1px solid #f1f5f9; }
.wp-history li p { font-size: .875rem; line-height: 1.25rem; }
.wp-history li p + p { font-size: .75rem; line-height: 1rem; color: #64748b; }
"""


def dutch_datetime(moment: datetime, pattern: str = "d MMMM y HH:mm") -> str:
    """26 november 2026 14:16, as the clock on the workshop wall shows it."""
    return format_datetime(as_utc(moment), pattern, locale="nl", tzinfo=AMSTERDAM)


def _text(entry: HistoryEntry) -> str:
    who = entry.actor.name if entry.actor else SYSTEM
    return f"<p>{escape(entry.summary)}</p><p>{escape(who)} · {dutch_datetime(entry.at)}</p>"


class HistoryList:
    """What the page loaded is one block of HTML (sent once, never redrawn); an event that arrives live becomes an
    element of its own above it, so it can be highlighted. `newest` is the id of the newest entry shown: an event
    that was already in the loaded history is recognised when it also arrives live."""

    def __init__(self, entries: list[HistoryEntry]) -> None:
        ui.add_css(_STYLE)
        self.newest = entries[-1].id if entries else 0
        with ui.element("div").classes("wp-history w-full"):
            self.live = ui.element("ol")
            loaded = "".join(
                f'<li data-event-id="{entry.id}" data-change-type="{entry.change_type}">{_text(entry)}</li>'
                for entry in reversed(entries)
            )
            ui.html(loaded, sanitize=False, tag="ol")

    def add(self, entry: HistoryEntry) -> None:
        with self.live:
            item = ui.html(_text(entry), sanitize=False, tag="li")
        item.props.update({"data-event-id": str(entry.id), "data-change-type": entry.change_type})
        item.move(target_index=0)
        flash(item)
        self.newest = entry.id
