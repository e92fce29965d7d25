"""/magazijn: the warehouse's view of the orders that wait for parts, live."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import BoardColumn, Role
from pages.access import require
from pages.frame import flash, frame
from pages.live import log_changed
from pages.status_badge import session_badge
from services import workorders
from services.broadcaster import LogEvent
from services.plates import format_plate

WAITING = BoardColumn.WACHT_OP_ONDERDELEN.value


class PartsList:
    def __init__(self) -> None:
        self.rows: dict[int, ui.element] = {}
        self.shown: dict[int, dict] = {}
        self.list = ui.column().classes("w-full gap-2")
        self.empty = ui.label("Er wachten geen werkorders op onderdelen.").classes("text-gray-500")

    def show(self, order: dict, highlight: bool = False) -> None:
        if self.shown.get(order["id"]) == order:
            return  # the second event of one change carries the same snapshot
        self.shown[order["id"]] = order
        row = self.rows.get(order["id"])
        if order["column"] != WAITING:
            if row is not None:
                row.delete()
                del self.rows[order["id"]]
        else:
            if row is None:
                with self.list:
                    row = ui.card().props(f"data-workorder-id={order['id']}").classes("w-full")
                self.rows[order["id"]] = row
            row.clear()
            with row, ui.row().classes("w-full items-start gap-6 no-wrap"):
                with ui.column().classes("gap-0 min-w-[9rem]"):
                    ui.label(order["number"]).classes("font-mono font-semibold")
                    ui.label(format_plate(order["licensePlate"])).classes(
                        "font-mono font-bold bg-yellow-300 px-1.5 rounded border border-black w-fit"
                    )
                with ui.column().classes("gap-1 grow"):
                    ui.label(order["customerName"]).classes("font-medium")
                    ui.label(order["description"]).classes("text-sm text-gray-700 whitespace-pre-line")
                with ui.column().classes("gap-1 items-end"):
                    ui.label(order["status"]).classes("text-xs text-red-700 font-semibold")
                    for session in order["activeSessions"]:
                        session_badge(session)
            if highlight:
                flash(row)
        self.empty.set_visibility(not self.rows)

    def apply(self, event: LogEvent) -> None:
        if event.kind == "workorder-update":
            self.show(event.payload["workOrder"], highlight=True)


def warehouse_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Magazijn — wacht op onderdelen", principal):
        parts = PartsList()
        log_changed.subscribe(parts.apply)
        for order in workorders.list_work_orders():
            parts.show(order.model_dump(mode="json", by_alias=True))
    return None
