"""/admin/workorders: the work orders in a table, newest first. It opens with the board's orders (open, and
recently finished), BOARD_PAGE at a time; searching (number, plate, description, customer name or phone) and the
filters ask the server, over every order ever made, a page at a time. Create, "Naar iPad"; a change anywhere updates
only the affected row, briefly highlighted, and a new order appears on top."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import Role
from models.public import WorkOrderBase
from pages.access import require
from pages.boundary import Boundary
from pages.client_theme import client_theme
from pages.counter_ipad import IpadStatus, send_to_ipad
from pages.create_work_order import CreateWorkOrderDialog
from pages.frame import flash, frame
from pages.live import follow_work_orders
from pages.state import board_page, database, rdw_lookups
from pages.theme import COLUMNS, STATUS_LABELS
from pages.work_order_row import WorkOrderRow
from services import workorders
from services.auth import Principal
from services.errors import ServiceError

HEADERS = ["Nummer", "Klant", "Kenteken", "Omschrijving", "Status", "Monteurs", ""]
PAGE_SIZE = 50  # a search's page
BOARD_PAGE = 200  # the board's orders, newest first: a busy shop's open work on one page, thousands paged


class WorkOrderTable:
    """Rows indexed by work order id: an event re-renders one row, never the table."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.send = (lambda order: send_to_ipad(order, principal)) if principal.role is Role.ADMIN else None
        self.rows: dict[int, WorkOrderRow] = {}
        self.total = 0  # every order of the view: the board's, or a search's matches
        self.newest = 0  # the board view: an order with a higher id is new, and joins it on top
        client_theme()
        boundary = Boundary().classes("w-full")  # a row's change redraws the table, not the page (pages/boundary.py)
        with boundary, ui.element("table").classes("w-full text-left border-collapse bg-white shadow-sm rounded"):
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

    @property
    def page_size(self) -> int:
        return PAGE_SIZE if self.searching else BOARD_PAGE

    def show(self, order: WorkOrderBase, highlight: bool = False) -> None:
        row = self.rows.get(order.id)
        if row is None:
            with self.body:
                row = WorkOrderRow(order, self.send)
            newer = sum(1 for shown in self.rows if shown > order.id)  # rows stay newest first
            if newer < len(self.rows):
                row.move(target_index=newer)
            self.rows[order.id] = row
        elif row.order is order or row.order == order:
            return  # loaded while its event was on the way: already shown
        else:
            row.render(order)
        if highlight:
            flash(row)
        self.empty.set_visibility(False)

    def changed(self, order: WorkOrderBase) -> None:
        """Live: a shown row follows its order; a new order joins the board view on top (a search is a
        snapshot, and so is a later page of the board)."""
        if order.id in self.rows:
            self.show(order, highlight=True)
        elif not self.searching and order.id > self.newest:
            self.newest = order.id
            self.total += 1
            if self.offset == 0:
                self.show(order, highlight=True)
                self._trim()
            self._count()

    def _trim(self) -> None:
        """A page holds page_size rows: a new order on top pushes the oldest to the next page."""
        while len(self.rows) > self.page_size:
            self.rows.pop(min(self.rows)).delete()

    def fill(self, page: workorders.SearchPage) -> None:
        self.body.clear()
        self.rows.clear()
        for order in sorted(page.orders, key=lambda o: o.id, reverse=True):
            self.show(order)
        if not self.searching and self.offset == 0:
            self.newest = max(self.rows, default=0)
        self.empty.set_visibility(not page.orders)
        self.total = page.total
        self._count()

    def _count(self) -> None:
        size, total = self.page_size, self.total
        if total == 0 and self.searching:
            self.count.set_text("")  # the empty table says "Geen werkorders gevonden" already
        elif not self.searching and total <= size and not self.offset:
            self.count.set_text(f"{total} werkorders op het bord (open en de laatste dagen afgerond)")
        else:
            last = min(self.offset + size, total)
            where = "werkorders" if self.searching else "werkorders op het bord"
            self.count.set_text(f"{self.offset + 1}–{last} van {total} {where}")
        self.previous.set_visibility(self.offset > 0)
        self.next.set_visibility(self.offset + size < total)

    async def set_filters(self, search: str | None, status: str | None, column: str | None) -> None:
        self.query = ((search or "").strip(), status, column)
        self.offset = 0
        await self.load()

    async def turn(self, pages: int) -> None:
        self.offset = max(0, self.offset + pages * self.page_size)
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
            else:
                page = await run.io_bound(board_page, BOARD_PAGE, self.offset)
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return
        if page is not None and asked == self._asked:  # None: the server is shutting down
            self.searching = searching
            self.fill(page)


def work_orders_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Werkorders", principal):
        create_dialog = CreateWorkOrderDialog(principal, rdw_lookups()) if principal.role is Role.ADMIN else None
        with ui.row().classes("w-full items-end gap-3"):
            search = ui.input("Zoeken", placeholder="nummer, kenteken, klant, telefoon, omschrijving…").props(
                "clearable dense debounce=300"
            )
            search.classes("w-96")
            status = ui.select({None: "Alle statussen", **{k.value: v for k, v in STATUS_LABELS.items()}}, value=None,
                               label="Status").props("dense").classes("w-52")  # fmt: skip
            column = ui.select({None: "Alle kolommen", **{c: c for c in COLUMNS}}, value=None, label="Kolom")
            column.props("dense").classes("w-52")
            ui.space()
            if create_dialog is not None:
                ui.button("Nieuwe werkorder", icon="add", on_click=create_dialog.open)
        if principal.role is Role.ADMIN:
            IpadStatus(principal)
        table = WorkOrderTable(principal)
        for control in (search, status, column):
            control.on_value_change(lambda: table.set_filters(search.value, status.value, column.value))
        # Subscribe and load without yielding to the event loop: no event can fall between the two, and none
        # can be applied before the (older) loaded state overwrites it.
        follow_work_orders(table.changed)
        table.fill(board_page(BOARD_PAGE, 0))
    return None
