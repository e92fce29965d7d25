"""/admin/workorders: the work orders in a table. It opens with the board's orders (open, and recently
finished); searching (number, plate, customer) and the filters ask the server, over every order ever made, a page
at a time. Create, "Naar iPad"; a change anywhere updates only the affected row, briefly highlighted."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import Role
from models.public import WorkOrderPublic
from pages.access import require
from pages.create_work_order import CreateWorkOrderDialog
from pages.frame import flash, frame
from pages.live import follow_work_orders
from pages.state import board_orders, database, rdw_lookups
from pages.status_badge import plate_badge, session_badge, status_badge
from pages.theme import COLUMNS, STATUS_LABELS, work_order_path
from pages.unpriced_warning import send_despite_unpriced
from services import display, workorders
from services.auth import Principal
from services.errors import ServiceError

HEADERS = ["Nummer", "Klant", "Kenteken", "Omschrijving", "Status", "Kolom", "Monteurs", ""]
PAGE_SIZE = 50


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
        with ui.row().classes("w-full items-center gap-2"):
            self.count = ui.label().classes("text-sm text-slate-600").props("data-total")
            ui.space()
            self.previous = ui.button("Vorige", icon="chevron_left", on_click=lambda: self.turn(-1)).props("flat")
            self.next = ui.button("Volgende", icon="chevron_right", on_click=lambda: self.turn(+1)).props("flat")
        self.searching = False  # False: the board's orders, live; True: a page of search results
        self.query: tuple[str, str | None, str | None] = ("", None, None)
        self.offset = 0
        self._asked = 0  # loads overtake each other: only the newest question's answer is shown

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
        self.empty.set_visibility(False)

    def changed(self, order: WorkOrderPublic) -> None:
        """Live: a shown row follows its order; a new order joins the board view (a search is a snapshot)."""
        if order.id in self.rows or not self.searching:
            self.show(order, highlight=True)
            if not self.searching:
                self._count(len(self.rows))

    def fill(self, orders: list[WorkOrderPublic], total: int) -> None:
        self.body.clear()
        self.rows.clear()
        self.orders.clear()
        for order in orders:
            self.show(order)
        self.empty.set_visibility(not orders)
        self._count(total)

    def _count(self, total: int) -> None:
        if not self.searching:
            self.count.set_text(f"{total} werkorders op het bord (open en de laatste dagen afgerond)")
        elif total == 0:
            self.count.set_text("Geen werkorders gevonden")
        else:
            last = min(self.offset + PAGE_SIZE, total)
            self.count.set_text(f"{self.offset + 1}–{last} van {total} werkorders")
        self.previous.set_visibility(self.searching and self.offset > 0)
        self.next.set_visibility(self.searching and self.offset + PAGE_SIZE < total)

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
        if not await send_despite_unpriced(order):
            return
        try:
            await run.io_bound(display.set_current_display, database(), order.id, actor=self.principal)
            ui.notify(f"{order.number} staat op de iPad", type="positive")
        except ServiceError as error:
            ui.notify(error.message, type="negative")

    async def set_filters(self, search: str | None, status: str | None, column: str | None) -> None:
        self.query = ((search or "").strip(), status, column)
        self.offset = 0
        await self.load()

    async def turn(self, pages: int) -> None:
        self.offset = max(0, self.offset + pages * PAGE_SIZE)
        await self.load()

    async def load(self) -> None:
        """The board's orders when nothing is asked; else one page of the server's search."""
        self._asked += 1
        asked = self._asked
        search, status, column = self.query
        searching = bool(search or status or column)
        try:
            if searching:
                page = await run.io_bound(
                    workorders.search_work_orders, database(), search, status, column, PAGE_SIZE, self.offset
                )
                found = None if page is None else (page.orders, page.total)
            else:
                orders = await run.io_bound(board_orders)
                found = None if orders is None else (orders, len(orders))
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return
        if found is not None and asked == self._asked:
            self.searching = searching
            self.fill(*found)


def work_orders_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Werkorders", principal):
        create_dialog = CreateWorkOrderDialog(principal, rdw_lookups()) if principal.role is Role.ADMIN else None
        with ui.row().classes("w-full items-end gap-3"):
            search = ui.input("Zoeken", placeholder="nummer, klant, kenteken…").props("clearable dense debounce=300")
            search.classes("w-72")
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
        orders = board_orders()
        table.fill(orders, len(orders))
    return None
