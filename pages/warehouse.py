"""/magazijn: the parts desk. Every part still needed or ordered, across the open orders, by supplier and then
by order, live; the warehouse orders (Besteld) and receives (Ontvangen) with a finger on a tablet."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui

from models import BoardColumn, PartStatus, Role
from models.public import PartPublic, PartUpdate, WorkOrderBase
from pages.access import require
from pages.frame import frame
from pages.live import follow_work_orders
from pages.money_input import PRICE_LABEL, cents_from, euro_input, price_input
from pages.part_badges import OPEN, part_status_badge, unit_price_text
from pages.state import board_orders, database
from pages.status_badge import plate_badge
from pages.theme import NO_SUPPLIER, TOUCH_BUTTON, work_order_path
from pages.undo_receipt import RecentReceipts
from services import parts
from services.auth import Principal
from services.errors import Invalid, ServiceError
from services.history import dutch_date

WAITING = BoardColumn.WACHT_OP_ONDERDELEN.value


def open_parts(order: WorkOrderBase) -> list[PartPublic]:
    return [part for part in order.parts if part.status in OPEN]


def on_desk(order: WorkOrderBase) -> bool:
    """An order waits at the desk while it has open parts, or while the board says it waits for parts."""
    return order.column == WAITING or bool(open_parts(order))


def desk_view(order: WorkOrderBase) -> object:
    """What the desk shows of an order: a change elsewhere (a session, a note) does not redraw it."""
    return order.number, order.license_plate, order.vehicle, order.customer_name, order.column, open_parts(order)


def last_part_arrived(previous: WorkOrderBase, order: WorkOrderBase) -> bool:
    """The change after which the order waits for no part, while before it did (the stream's `allReceived`)."""
    return parts.parts_arrived([part.status for part in previous.parts], [part.status for part in order.parts])


def car_text(order: WorkOrderBase) -> str:
    return " ".join(word for word in (order.vehicle.brand, order.vehicle.model) if word)


class OrderedDialog(ui.dialog):
    """Besteld: where it was ordered, its price per piece (set or corrected here), when the supplier expects to
    deliver and their reference, sent with the version the row showed, so a part someone else changed meanwhile is
    refused (409) rather than overwritten."""

    def __init__(self, desk: "PartsDesk") -> None:
        super().__init__()
        self.desk = desk
        self.part: PartPublic | None = None
        with self, ui.card().classes("w-[26rem] max-w-full gap-3"):
            self.title = ui.label().classes("text-lg font-semibold")
            self.supplier = ui.input("Leverancier").classes("w-full")
            self.price = price_input()
            self.expected = ui.input("Verwacht op").props("type=date stack-label").classes("w-full")
            self.reference = ui.input("Referentie").classes("w-full")
            self.error = ui.label().classes("text-negative text-sm")
            with ui.row().classes("w-full justify-end"):
                ui.button("Annuleren", on_click=self.close).props("flat no-caps size=lg")
                ui.button("Opslaan", on_click=self.save).props(TOUCH_BUTTON)

    def ask(self, part: PartPublic) -> None:
        self.part = part
        self.title.set_text(f"{part.description} besteld")
        self.supplier.set_value(part.supplier or "")
        self.price.set_value(euro_input(part.unit_price_cents))
        self.error.set_text("")
        self.expected.set_value(part.expected_at.isoformat() if part.expected_at else "")
        self.reference.set_value(part.supplier_reference or "")
        self.open()

    async def save(self) -> None:
        assert self.part is not None
        expected = date.fromisoformat(self.expected.value) if self.expected.value else None
        try:
            body = PartUpdate(
                status=PartStatus.BESTELD.value,
                unit_price_cents=cents_from(self.price.value or "", "unit_price_cents"),
                supplier=(self.supplier.value or "").strip() or None,
                expected_at=expected,
                supplier_reference=(self.reference.value or "").strip() or None,
                version=self.part.version,
            )
        except Invalid as error:
            self.error.set_text(f"{PRICE_LABEL}: {error.message}")
            return
        except ValueError:  # the model's bound on the price
            self.error.set_text(f"{PRICE_LABEL}: dat bedrag is te hoog voor een onderdeel")
            return
        if await self.desk.update(self.part, body):
            self.close()
            ui.notify("Besteld opgeslagen", type="positive")


WITHOUT_PARTS = "Wacht op onderdelen, geen open onderdelen"  # the last section: orders waiting, nothing open


def section_order(name: str) -> tuple[int, str]:
    """Named suppliers alphabetically, then the parts without a supplier, then the orders without open parts."""
    return (2 if name == WITHOUT_PARTS else 1 if name == NO_SUPPLIER else 0), name.casefold()


def groups_of(order: WorkOrderBase) -> dict[str, list[PartPublic]]:
    """The order's open parts by supplier section; an order with none waits in the last section."""
    groups: dict[str, list[PartPublic]] = defaultdict(list)
    for part in open_parts(order):
        groups[part.supplier or NO_SUPPLIER].append(part)
    return dict(groups) or {WITHOUT_PARTS: []}


class SupplierSection(ui.column):
    """A supplier's heading and one card per order, the orders by number."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.classes("w-full gap-2").props(f'data-supplier="{name}"')
        self.groups: dict[int, tuple[str, ui.card]] = {}  # order id -> (number, card)
        with self:
            ui.label(name).classes("text-xl font-semibold text-slate-700")


class PartsDesk:
    """The open orders' snapshots as last shown. A change redraws only that order's cards, and only when what the
    desk shows of it changed: with many desks open, a part received costs each desk one order, not the whole list."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.can_change = principal.role in (Role.ADMIN, Role.MAGAZIJN)
        self.orders: dict[int, WorkOrderBase] = {}
        self.sections: dict[str, SupplierSection] = {}
        self.dialog = OrderedDialog(self)
        self.empty = ui.label("Er wachten geen onderdelen.").classes("text-gray-500 text-lg")
        self.body = ui.column().classes("w-full gap-6")
        self.receipts = RecentReceipts(principal)

    def load(self, orders: Sequence[WorkOrderBase]) -> None:
        for order in orders:
            if on_desk(order):
                self.orders[order.id] = order
                self._place(order)
        self.empty.set_visibility(not self.orders)

    def changed(self, order: WorkOrderBase) -> None:
        self.receipts.follow(order)
        previous = self.orders.get(order.id)
        if previous is not None and last_part_arrived(previous, order):
            ui.notify(f"Alle onderdelen binnen voor {order.number}", type="positive")
        if on_desk(order):
            self.orders[order.id] = order
            if previous is None or desk_view(previous) != desk_view(order):
                self._take_away(order.id)
                self._place(order)
        elif previous is not None:
            del self.orders[order.id]
            self._take_away(order.id)
        self.empty.set_visibility(not self.orders)

    def _take_away(self, order_id: int) -> None:
        for name, section in list(self.sections.items()):
            if (group := section.groups.pop(order_id, None)) is not None:
                group[1].delete()
                if not section.groups:
                    section.delete()
                    del self.sections[name]

    def _place(self, order: WorkOrderBase) -> None:
        """The order's cards, each at its place by number; the first carries `data-workorder-id` (one hook each)."""
        for index, (name, waiting) in enumerate(sorted(groups_of(order).items(), key=lambda i: section_order(i[0]))):
            section = self._section(name)
            with section:
                card = self._order_group(order, waiting, hook=index == 0)
            section.groups[order.id] = (order.number, card)
            numbers = sorted(number for number, _ in section.groups.values())
            card.move(section, target_index=1 + numbers.index(order.number))  # after the heading

    def _section(self, name: str) -> SupplierSection:
        if (section := self.sections.get(name)) is None:
            with self.body:
                section = self.sections[name] = SupplierSection(name)
            names = sorted(self.sections, key=section_order)
            section.move(self.body, target_index=names.index(name))
        return section

    def _order_group(self, order: WorkOrderBase, waiting: list[PartPublic], hook: bool) -> ui.card:
        group = ui.card().classes("w-full gap-0 p-0").props(f"data-order-group={order.id}")
        if hook:
            group.props(f"data-workorder-id={order.id}")
        with group:
            with ui.row().classes("w-full items-center gap-3 px-4 pt-3 pb-1"):
                ui.label(order.customer_name).classes("font-medium")
                ui.label(order.column).classes("text-xs rounded bg-slate-100 px-2 py-0.5")
            if not waiting:
                self._order_identity(order, "px-4 pb-3")
            for part in waiting:
                self._part_row(order, part)
        return group

    def _order_identity(self, order: WorkOrderBase, classes: str = "") -> None:
        with ui.column().classes(f"gap-1 min-w-[10rem] {classes}"):
            ui.link(order.number, work_order_path(order.id)).classes("font-mono font-semibold text-base")
            plate_badge(order.license_plate)
            if car := car_text(order):
                ui.label(car).classes("text-sm text-slate-600").props("data-field=car")

    def _part_row(self, order: WorkOrderBase, part: PartPublic) -> None:
        row = ui.row().classes("w-full items-center gap-4 px-4 py-3 border-t border-slate-200 min-h-[4.5rem] no-wrap")
        with row.props(f"data-part-id={part.id} data-part-status={part.status}"):
            self._order_identity(order)
            with ui.column().classes("gap-1 grow"):
                ui.label(part.description).classes("font-medium text-base").props("data-field=description")
                with ui.row().classes("gap-4 text-sm text-slate-600"):
                    ui.label(f"{part.quantity}×").props("data-field=quantity")
                    ui.label(unit_price_text(part.unit_price_cents)).props("data-field=price")
                    if part.article_number:
                        ui.label(f"Art.nr. {part.article_number}").props("data-field=article-number")
                    if part.supplier_reference:
                        ui.label(f"Ref. {part.supplier_reference}").props("data-field=reference")
            with ui.column().classes("gap-1 items-end"):
                part_status_badge(part.status)
                if part.status == PartStatus.BESTELD and part.expected_at:
                    ui.label(f"verwacht {dutch_date(part.expected_at)}").classes("text-sm").props("data-field=expected")
            if self.can_change:
                if part.status == PartStatus.NODIG:
                    ui.button("Besteld", icon="local_shipping", on_click=lambda: self.dialog.ask(part)).props(
                        TOUCH_BUTTON
                    )
                else:
                    ui.button(
                        "Ontvangen",
                        icon="inventory",
                        color="positive",
                        on_click=lambda: self.receive(order, part),
                    ).props(TOUCH_BUTTON)

    async def update(self, part: PartPublic, body: PartUpdate) -> PartPublic | None:
        """The desk redraws from the event like every other open desk; a refusal is said, nothing changes."""
        try:
            return await run.io_bound(
                parts.update_part, database(), part.work_order_id, part.id, body, actor=self.principal
            )
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return None

    async def receive(self, order: WorkOrderBase, part: PartPublic) -> None:
        """Ontvangen, then a minute to take it back ("Ongedaan maken")."""
        if received := await self.update(part, PartUpdate(status="ontvangen", version=part.version)):
            self.receipts.received(order, received)


def warehouse_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Magazijn — onderdelen", principal):
        desk = PartsDesk(principal)
        follow_work_orders(desk.changed)  # subscribe and load in one step of the event loop
        desk.load(board_orders())
    return None
