"""/admin/workorders: every work order in a table. Search and filters, create, "Naar iPad"; a change anywhere
updates only the affected row, briefly highlighted."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import Role
from models.public import WorkOrderPublic
from pages.access import require
from pages.create_work_order import CreateWorkOrderDialog
from pages.frame import flash, frame
from pages.live import follow_work_orders
from pages.state import rdw_lookups
from pages.status_badge import plate_badge, session_badge, status_badge
from pages.theme import COLUMNS, STATUS_LABELS, work_order_path
from services import display, workorders
from services.auth import Principal
from services.errors import ServiceError
from services.plates import format_plate

HEADERS = ["Nummer", "Klant", "Kenteken", "Omschrijving", "Status", "Kolom", "Monteurs", ""]


class WorkOrderTable:
    """Rows indexed by work order id: an event re-renders one row, never the table."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.can_send_to_ipad = principal.role is Role.ADMIN
        self.orders: dict[int, WorkOrderPublic] = {}
        self.rows: dict[int, ui.element] = {}
        with ui.element("table").classes("w-full text-left border-collapse bg-white shadow-sm rounded"):
            with ui.element("thead"), ui.element("tr").classes("border-b bg-slate-100 text-sm text-slate-600"):
                for header in HEADERS:
                    with ui.element("th").classes("px-3 py-2 font-medium"):
                        ui.label(header)
            self.body = ui.element("tbody")
        self.empty = ui.label("Geen werkorders gevonden").classes("text-gray-500")
        self.search = ""
        self.status: str | None = None
        self.column: str | None = None

    def show(self, order: WorkOrderPublic, highlight: bool = False) -> None:
        if self.orders.get(order.id) == order:
            return  # loaded while its event was on the way: already shown
        self.orders[order.id] = order
        row = self.rows.get(order.id)
        if row is None:
            with self.body:
                row = ui.element("tr").props(f"data-workorder-id={order.id}").classes("border-b align-top")
            self.rows[order.id] = row
        row.clear()
        with row:
            self._cells(order)
        if highlight:
            flash(row)
        self._filter_row(order.id)

    def changed(self, order: WorkOrderPublic) -> None:
        self.show(order, highlight=True)

    def _cells(self, order: WorkOrderPublic) -> None:
        cell = "px-3 py-2"
        with ui.element("td").classes(f"{cell} font-mono whitespace-nowrap"):
            ui.link(order.number, work_order_path(order.id)).classes("text-blue-800")
        with ui.element("td").classes(cell):
            ui.label(order.customer_name)
        with ui.element("td").classes(f"{cell} whitespace-nowrap"):
            plate_badge(order.license_plate)
        with ui.element("td").classes(f"{cell} max-w-md"):
            ui.label(order.description).classes("text-sm line-clamp-2")
        with ui.element("td").classes(cell):
            status_badge(order.status)
        with ui.element("td").classes(f"{cell} whitespace-nowrap"):
            ui.label(order.column)
        with ui.element("td").classes(cell), ui.row().classes("gap-1"):
            for session in order.active_sessions:
                session_badge(session)
        with ui.element("td").classes(f"{cell} whitespace-nowrap"):
            if self.can_send_to_ipad and order.signed_at is None:
                ui.button("Naar iPad", icon="tablet_mac", on_click=lambda o=order: self.send_to_ipad(o)).props(
                    "dense flat no-caps"
                )
            elif order.signed_at is not None:
                ui.icon("draw", color="green").tooltip("Ondertekend")

    async def send_to_ipad(self, order: WorkOrderPublic) -> None:
        try:
            await run.io_bound(display.set_current_display, order.id, actor=self.principal)
            ui.notify(f"{order.number} staat op de iPad", type="positive")
        except ServiceError as error:
            ui.notify(error.message, type="negative")

    def set_filters(self, search: str | None, status: str | None, column: str | None) -> None:
        self.search, self.status, self.column = (search or "").strip().lower(), status, column
        for order_id in self.rows:
            self._filter_row(order_id)

    def _filter_row(self, order_id: int) -> None:
        order = self.orders[order_id]
        haystack = " ".join(
            [order.number, order.customer_name, order.license_plate, format_plate(order.license_plate),
             order.description]
        ).lower()  # fmt: skip
        visible = (
            (not self.search or self.search in haystack or self.search.replace("-", "") in haystack)
            and (self.status is None or order.status == self.status)
            and (self.column is None or order.column == self.column)
        )
        self.rows[order_id].set_visibility(visible)
        self.empty.set_visibility(not any(row.visible for row in self.rows.values()))


def work_orders_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Werkorders", principal):
        create_dialog = CreateWorkOrderDialog(principal, rdw_lookups()) if principal.role is Role.ADMIN else None
        with ui.row().classes("w-full items-end gap-3"):
            search = ui.input("Zoeken", placeholder="nummer, klant, kenteken…").props("clearable dense").classes("w-72")
            status = ui.select({None: "Alle statussen", **{k.value: v for k, v in STATUS_LABELS.items()}}, value=None,
                               label="Status").props("dense").classes("w-52")  # fmt: skip
            column = ui.select({None: "Alle kolommen", **{c: c for c in COLUMNS}}, value=None, label="Kolom")
            column.props("dense").classes("w-52")
            ui.space()
            if create_dialog is not None:
                ui.button("Nieuwe werkorder", icon="add", on_click=create_dialog.open)
        table = WorkOrderTable(principal)
        for control in (search, status, column):
            control.on_value_change(lambda: table.set_filters(search.value, status.value, column.value))
        # Subscribe and load without yielding to the event loop: no event can fall between the two, and none
        # can be applied before the (older) loaded state overwrites it.
        follow_work_orders(table.changed)
        for order in workorders.list_work_orders():
            table.show(order)
    return None
