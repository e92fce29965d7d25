"""/admin/workoverzicht: the workshop board. Drag a card (mouse or finger) to move a work order; the move
carries the card's version, so a card someone else moved first goes back to where the server says."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui
from nicegui.events import GenericEventArguments

from models import BoardColumn, Role
from models.public import SessionPublic, WorkOrderPublic
from pages.access import require
from pages.add_part import AddPartDialog
from pages.board_plan import is_later, plan_index
from pages.frame import frame
from pages.live import follow_work_orders
from pages.state import board_orders, database
from pages.theme import COLUMN_ACCENTS, COLUMNS
from pages.work_order_card import WorkOrderCard
from services import work_sessions, workorders
from services.auth import Principal
from services.clock import shop_day, utcnow
from services.errors import Conflict, ServiceError

# SortableJS: a long press starts a drag on touch screens, so scrolling the board with a finger still works;
# the fallback (pointer events instead of HTML5 drag and drop) behaves the same for mouse, finger and pen.
SORTABLE_OPTIONS = {"delay": 180, "delayOnTouchOnly": True, "touchStartThreshold": 5, "forceFallback": True}
# The drop reports the version the card showed when the finger went down (frame.py records it): a move made
# by someone else meanwhile makes this one stale, and the server refuses it.
DROP_HANDLER = "(event) => emit({...event.detail, version: window.wpDragVersion})"


class Board:
    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.mechanic = principal.name if principal.role is Role.MONTEUR else None
        can_move = principal.role in (Role.ADMIN, Role.MONTEUR)
        self.cards: dict[int, WorkOrderCard] = {}
        self.lists: dict[str, ui.column] = {}
        self.counts: dict[str, ui.label] = {}
        self.add_part = AddPartDialog(principal)  # one for the board, not one per card
        self.today = shop_day(utcnow())
        self.later: set[int] = set()  # planned in Gepland after tomorrow: counted under the column
        with ui.row().classes("w-full no-wrap items-start gap-3 overflow-x-auto pb-4"):
            for name in COLUMNS:
                column_classes = (
                    f"flex-1 min-w-[13rem] gap-2 rounded-lg bg-slate-100 p-2 border-t-4 {COLUMN_ACCENTS[name]}"
                )
                with ui.column().props(f'data-column="{name}"').classes(column_classes):
                    with ui.row().classes("w-full items-center justify-between px-1"):
                        ui.label(name).classes("font-semibold text-slate-700")
                        self.counts[name] = ui.label("0").classes("text-xs rounded-full bg-white px-2 text-slate-600")
                    cards = ui.column().classes("w-full gap-2 min-h-[4rem]")
                    if can_move:
                        cards.make_sortable(SORTABLE_OPTIONS, group="board")
                        cards.on("sortend", self.dropped, js_handler=DROP_HANDLER)
                    self.lists[name] = cards
                    if name == BoardColumn.GEPLAND.value:
                        self.later_link = ui.link("", "/admin/planning").classes("text-sm px-1")
                        self.later_link.props("data-later").set_visibility(False)

    def place(self, order: WorkOrderPublic) -> None:
        """Show the order where the server says it is; only this card is touched."""
        card = self.cards.get(order.id)
        if self._counted_later(order, card):
            return
        target = self.lists[order.column]
        if card is None:
            with target:
                card = WorkOrderCard(order, self.mechanic, self.toggle_session, self.add_part.ask)
            self.cards[order.id] = card
        else:
            card.render(order)  # touches only what differs
        index = order.position
        if order.column == BoardColumn.GEPLAND.value:  # by the plan: planned ones by their start, then the rest
            others = [c.order for c in target.default_slot.children if isinstance(c, WorkOrderCard) and c is not card]
            index = plan_index(order, others)
        if card.parent_slot is None or card.parent_slot.parent is not target or self._index(card) != index:
            card.move(target_container=target, target_index=index)
        self._count()

    def _counted_later(self, order: WorkOrderPublic, card: WorkOrderCard | None) -> bool:
        """An order planned after tomorrow leaves Gepland's cards for the "+ N later" link."""
        later = is_later(order, self.today)
        (self.later.add if later else self.later.discard)(order.id)
        if later and card is not None:
            del self.cards[order.id]
            card.delete()
        self.later_link.set_text(f"+ {len(self.later)} later")
        self.later_link.set_visibility(bool(self.later))
        if later:
            self._count()
        return later

    def _index(self, card: WorkOrderCard) -> int:
        assert card.parent_slot is not None
        return card.parent_slot.children.index(card)

    def _count(self) -> None:
        for name, cards in self.lists.items():
            count = str(len(cards.default_slot.children))
            if self.counts[name].text != count:
                self.counts[name].set_text(count)

    async def dropped(self, event: GenericEventArguments) -> None:
        card = event.client.elements.get(event.args["item_id"])
        target = event.client.elements.get(event.args["to_id"])
        column = next((name for name, cards in self.lists.items() if cards is target), None)
        if not isinstance(card, WorkOrderCard) or column is None:
            return
        order = card.order
        version = event.args.get("version") or order.version
        try:
            moved = await run.io_bound(
                workorders.move_to_column,
                database(),
                order.id,
                column,
                event.args["new_index"],
                version,
                actor=self.principal,
            )
            if moved is not None:  # None: the server is shutting down
                self.place(moved)
        except ServiceError as error:
            current = await run.io_bound(workorders.get_work_order, database(), order.id)
            if current is not None:  # put the card back where the server says
                self.place(current)
                self._remove_stale_copies(current.id, current.version)
            if isinstance(error, Conflict):
                ui.notify(f"{order.number} is intussen door iemand anders verplaatst", type="warning")
            else:
                ui.notify(error.message, type="negative")
        self._count()

    def _remove_stale_copies(self, order_id: int, version: int) -> None:
        """A card moved by someone else while it was being dragged can leave SortableJS's node behind, outside
        Vue's control; it still shows the old version, so it is recognisable and safe to drop."""
        ui.run_javascript(
            f'document.querySelectorAll(\'[data-workorder-id="{order_id}"]:not([data-version="{version}"])\')'
            ".forEach((el) => el.remove())"
        )

    async def toggle_session(self, order: WorkOrderPublic, running: SessionPublic | None) -> None:
        assert self.mechanic is not None
        try:
            if running:
                await run.io_bound(work_sessions.stop_session, database(), order.id, running.id, actor=self.principal)
            else:
                await run.io_bound(
                    work_sessions.start_session, database(), order.id, self.mechanic, actor=self.principal
                )
        except ServiceError as error:
            ui.notify(error.message, type="negative")


def board_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Werkoverzicht", principal):
        board = Board(principal)
        follow_work_orders(board.place)  # subscribe and load in one step of the event loop
        for order in board_orders():
            board.place(order)
    return None
