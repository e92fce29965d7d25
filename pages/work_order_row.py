"""A work order as a row of the list: number (a link to its page), customer, plate, description, where it is, the
running mechanics with a live timer, and "Naar iPad" for the desk while it needs an approval.

One element per row, drawn in the browser from one dict (work_order_row.js), made once per commit and shared by
every open list (as the board's cards are: pages/work_order_card.py)."""

from collections.abc import Callable
from typing import Any

from nicegui import ui

from models.public import WorkOrderBase, iso_utc
from pages.theme import work_order_path
from services.plates import format_plate

_views: dict[int, tuple[WorkOrderBase, dict[str, Any]]] = {}
_KEPT = 2000  # bounded, like the card's


def row_view(order: WorkOrderBase) -> dict[str, Any]:
    cached = _views.get(order.id)
    if cached is not None and cached[0] is order:
        return cached[1]
    view = {
        "number": order.number,
        "href": work_order_path(order.id),
        "customer": order.customer_name,
        "plate": format_plate(order.license_plate),
        "description": order.description,
        "column": order.column,
        "status": order.status,
        "sessions": [{"mechanic": s.mechanic, "startedAt": iso_utc(s.started_at)} for s in order.active_sessions],
        "signed": order.signed_at is not None,
    }
    _views.pop(order.id, None)
    _views[order.id] = (order, view)
    if len(_views) > _KEPT:
        del _views[next(iter(_views))]
    return view


class WorkOrderRow(ui.element, component="work_order_row.js"):
    def __init__(self, order: WorkOrderBase, send_to_ipad: Callable[[WorkOrderBase], Any] | None) -> None:
        """`send_to_ipad`: the desk's "Naar iPad", offered while the order needs an approval (None: never)."""
        super().__init__()
        self.send_to_ipad = send_to_ipad
        self.order = order
        self._props["data-workorder-id"] = order.id
        if send_to_ipad is not None:
            self.on("click", self._send)  # only "Naar iPad" emits it (work_order_row.js)
        self.render(order)

    def render(self, order: WorkOrderBase) -> None:
        self.order = order
        view = row_view(order)
        offers = self.send_to_ipad is not None and order.needs_approval
        if self._props.get("row") is not view or self._props.get("offers-ipad") != offers:
            with self._props.suspend_updates():
                self._props["row"] = view
                self._props["offers-ipad"] = offers
            self.update()

    def _send(self) -> Any:
        assert self.send_to_ipad is not None
        return self.send_to_ipad(self.order)

    def _displayed_contents(self, *, only_visible: bool) -> list:
        """What NiceGUI's element filters (and its simulated user) read as this row's text."""
        view = self._props["row"]
        ipad = ["Naar iPad"] if self._props["offers-ipad"] else []
        return [view["number"], view["customer"], view["plate"], view["description"], view["column"], *ipad]
