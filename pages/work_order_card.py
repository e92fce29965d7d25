"""A work order as a card on the board: number, plate, customer, parts progress, running sessions, and buttons a
finger hits on a tablet (Start/Stop for the logged-in mechanic where the work happens, Onderdeel).

One element per card, drawn in the browser from one dict (work_order_card.js): a board of 200 cards is 200
elements, not 3,000, for the server to build and for every live change to diff. The dict depends on the order
only, so it is made once per commit and shared by every open board; the `data-*` hooks are the element's props.
To show something new on a card: a field in `card_view` (and its line in the .js template); a hook: a prop in
`hooks`."""

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from models.public import SessionPublic, WorkOrderBase, iso_utc
from pages.part_badges import all_parts_in, parts_progress
from pages.theme import CARD_BUTTON, CARD_BUTTON_CLASSES, WORK_COLUMNS, work_order_path
from services.planning import dutch_moment
from services.plates import format_plate

_views: dict[int, tuple[WorkOrderBase, dict[str, Any], dict[str, Any]]] = {}  # id -> (order, view, hooks)
_KEPT = 2000  # views kept: more than a board shows, so the cache stays bounded however long the process runs


def card_view(order: WorkOrderBase) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the card shows, its data-* hooks) for this very order object: every board that gets the same commit
    gets the same object, so only the first one builds them."""
    cached = _views.get(order.id)
    if cached is not None and cached[0] is order:
        return cached[1], cached[2]
    received, counted = parts_progress(order.parts)
    complete = all_parts_in(order.parts)
    paid = order.invoice is not None and order.invoice.status == "betaald"
    again = order.needs_approval and order.approval is not None  # the total outgrew the last approval
    appointment = order.appointment
    mechanic = f" · {appointment.mechanic}" if appointment and appointment.mechanic else ""
    view = {
        "number": order.number,
        "href": work_order_path(order.id),
        "plate": format_plate(order.license_plate),
        "customer": order.customer_name,
        "description": order.description,
        "parts": ("Alle onderdelen binnen" if complete else f"Onderdelen {received}/{counted}") if counted else "",
        "partsIn": complete,
        "approval": again,
        "planned": f"{dutch_moment(appointment.start)}{mechanic}" if appointment else "",
        "overrun": order.progress.overrun,
        "sessions": [{"mechanic": s.mechanic, "startedAt": iso_utc(s.started_at)} for s in order.active_sessions],
    }
    hooks: dict[str, Any] = {"data-workorder-id": order.id, "data-version": order.version}
    if counted:
        hooks["data-parts"] = f"{received}/{counted}"
    if complete:
        hooks["data-all-parts-in"] = True
    if again:
        hooks["data-needs-approval"] = True
    if appointment is not None:
        hooks["data-planned-start"] = iso_utc(appointment.start)
    if order.progress.overrun:
        hooks["data-overrun"] = True
    if paid:  # its invoice is paid in full
        hooks["data-paid"] = True
    _views.pop(order.id, None)  # the newest last: the oldest is the first to go
    _views[order.id] = (order, view, hooks)
    if len(_views) > _KEPT:
        del _views[next(iter(_views))]
    return view, hooks


ON_THIS_CARD = {"data-viewing"}  # hooks a card keeps across renders: not the order's, so not in card_view's


class WorkOrderCard(ui.element, component="work_order_card.js"):
    def __init__(
        self,
        order: WorkOrderBase,
        mechanic: str | None,
        on_session: Callable[[WorkOrderBase, SessionPublic | None], Awaitable[None]],
        on_add_part: Callable[[WorkOrderBase], None],
    ) -> None:
        super().__init__()
        self.mechanic = mechanic
        self.on_session = on_session
        self.order = order
        self.session_button: ui.button | None = None  # made the first time it is offered
        self.on("addpart", lambda: on_add_part(self.order))
        self.render(order)

    def render(self, order: WorkOrderBase) -> None:
        """Show `order`; nothing is sent when the card already shows what it would."""
        self.order = order
        view, hooks = card_view(order)
        if self._props.get("card") is not view:
            with self._props.suspend_updates():
                for key in [
                    key
                    for key in self._props
                    if key.startswith("data-") and key not in hooks and key not in ON_THIS_CARD
                ]:
                    del self._props[key]
                self._props.update(hooks)
                self._props["card"] = view
            self.update()
        self._session_button(order)

    def show_viewing(self, viewing: int) -> None:
        """ "klant kijkt mee" (`data-viewing`: how many status pages are open): not part of the order, whose view
        every board shares, so it is set on this card alone and kept when the order changes."""
        if self._props.get("viewing", 0) == viewing:
            return
        with self._props.suspend_updates():
            self._props["viewing"] = viewing
            if viewing:
                self._props["data-viewing"] = viewing
            else:
                self._props.pop("data-viewing", None)
        self.update()

    def _displayed_contents(self, *, only_visible: bool) -> list:
        """What NiceGUI's element filters (and its simulated user) read as this card's text."""
        view = self._props["card"]
        return [view["number"], view["plate"], view["customer"], view["description"], view["parts"]]

    def _mine(self) -> SessionPublic | None:
        return next((s for s in self.order.active_sessions if s.mechanic == self.mechanic), None)

    def _session_button(self, order: WorkOrderBase) -> None:
        """The logged-in mechanic's Stop wherever their clock runs; Start only where the work happens."""
        mine = self._mine() if self.mechanic else None
        offered = mine is not None or (self.mechanic is not None and order.column in WORK_COLUMNS)
        if not offered:
            if self.session_button is not None:
                self.session_button.set_visibility(False)
            return
        if self.session_button is None:
            with self:
                self.session_button = ui.button(on_click=lambda: self.on_session(self.order, self._mine()))
            self.session_button.props(CARD_BUTTON).classes(CARD_BUTTON_CLASSES)
        self.session_button.set_visibility(True)
        label, icon, color = ("Stop", "stop", "negative") if mine else ("Start", "play_arrow", "primary")
        if self.session_button.text != label:
            self.session_button.set_text(label)
            self.session_button.props(f"icon={icon} color={color}")
