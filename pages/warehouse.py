"""/magazijn: the warehouse's view of the orders that wait for parts, live."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from models import BoardColumn, Role
from models.public import WorkOrderPublic
from pages.access import require
from pages.frame import flash, frame
from pages.live import follow_work_orders
from pages.state import board_orders
from pages.status_badge import plate_badge, session_badge
from pages.theme import work_order_path

WAITING = BoardColumn.WACHT_OP_ONDERDELEN.value


class PartsList:
    def __init__(self) -> None:
        self.rows: dict[int, ui.element] = {}
        self.list = ui.column().classes("w-full gap-2")
        self.empty = ui.label("Er wachten geen werkorders op onderdelen.").classes("text-gray-500")

    def show(self, order: WorkOrderPublic, highlight: bool = False) -> None:
        row = self.rows.get(order.id)
        if order.column != WAITING:
            if row is not None:
                row.delete()
                del self.rows[order.id]
        else:
            if row is None:
                with self.list:
                    row = ui.card().props(f"data-workorder-id={order.id}").classes("w-full")
                self.rows[order.id] = row
            row.clear()
            with row, ui.row().classes("w-full items-start gap-6 no-wrap"):
                with ui.column().classes("gap-0 min-w-[9rem]"):
                    ui.link(order.number, work_order_path(order.id)).classes("font-mono font-semibold")
                    plate_badge(order.license_plate)
                with ui.column().classes("gap-1 grow"):
                    ui.label(order.customer_name).classes("font-medium")
                    ui.label(order.description).classes("text-sm text-gray-700 whitespace-pre-line")
                with ui.column().classes("gap-1 items-end"):
                    ui.label(order.status).classes("text-xs text-red-700 font-semibold")
                    for session in order.active_sessions:
                        session_badge(session)
            if highlight:
                flash(row)
        self.empty.set_visibility(not self.rows)

    def changed(self, order: WorkOrderPublic) -> None:
        self.show(order, highlight=True)


def warehouse_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Magazijn — wacht op onderdelen", principal):
        parts = PartsList()
        follow_work_orders(parts.changed)
        for order in board_orders():
            parts.show(order)
    return None
