""" "klant kijkt mee": while a status page of the order is open on the customer's phone (services.inspections.presence),
on the work order page and on the order's board card, with `data-viewing="N"` (how many) on the element holding it."""

from collections.abc import Mapping
from typing import Protocol

from nicegui import ui

from models.messages import Presence
from pages.live import follow_presence
from pages.state import database
from pages.theme import VIEWING_CLASSES
from services.inspections import presence


class Watched(Protocol):
    """An element that shows "klant kijkt mee" itself (a board card, drawn in the browser)."""

    def show_viewing(self, viewing: int) -> None: ...


def viewing_label() -> ui.label:
    label = ui.label("klant kijkt mee").classes(VIEWING_CLASSES)
    label.set_visibility(False)
    return label


def show_viewing(holder: ui.element, label: ui.label, viewing: int) -> None:
    if viewing:
        holder.props(f"data-viewing={viewing}")
    else:
        holder.props(remove="data-viewing")
    label.set_visibility(viewing > 0)


def follow_viewing(holder: ui.element, label: ui.label, work_order_id: int) -> None:
    """The count now, then each change of it: subscribed and read in one step of the event loop."""
    follow_presence(lambda change: show_viewing(holder, label, change.viewing), work_order_id)
    show_viewing(holder, label, presence.viewing(database(), [work_order_id]).get(work_order_id, 0))


def follow_viewers(cards: Mapping[int, Watched]) -> None:
    """The board: every card whose order has an open status page, now and as that changes."""

    def changed(change: Presence) -> None:
        if (card := cards.get(change.work_order_id)) is not None:
            card.show_viewing(change.viewing)

    follow_presence(changed)
    for work_order_id, viewing in presence.viewing(database()).items():
        if (card := cards.get(work_order_id)) is not None:
            card.show_viewing(viewing)
