"""/admin/workoverzicht: the workshop board. Drag a card (mouse or finger) to move a work order; the move
carries the card's version, so a card someone else moved first goes back to where the server says. The board
scrolls inside itself, so the column headers stay in view, and snaps to a column when swiped sideways."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import run, ui
from nicegui.events import GenericEventArguments

from models import BoardColumn, Role
from models.public import SessionPublic, WorkOrderBase
from pages.access import require
from pages.add_part import AddPartDialog
from pages.board_plan import is_later, plan_index
from pages.boundary import Boundary
from pages.client_theme import client_theme
from pages.frame import frame
from pages.live import follow_work_orders
from pages.presence_badge import follow_viewers
from pages.state import board_orders, database
from pages.theme import COLUMN_ACCENTS, COLUMNS, TOUCH_TARGET
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

# Each column's card list fills the column below its header, so a drop below the last card or into an empty
# column lands in it. Snapping is off while a card is dragged, so the board can scroll under the finger.
_BOARD_CSS = """
[data-board] { scroll-snap-type: x mandatory; }
[data-board] [data-workorder-id] { content-visibility: auto; contain-intrinsic-size: auto 9rem; }
[data-board]:has(.sortable-chosen) { scroll-snap-type: none; }
"""
# The board fills the window below its top (the header's height varies with the window's width).
_FIT_SCRIPT = """
<script>
(() => {
  const fit = () => {
    const board = document.querySelector('[data-board]');
    if (!board) return;
    const top = board.getBoundingClientRect().top + window.scrollY;
    let below = 0;  // the padding of what holds it (the board is the last thing on the page)
    for (let el = board.parentElement; el && !el.classList.contains('q-page'); el = el.parentElement) {
      const style = getComputedStyle(el);
      below += parseFloat(style.paddingBottom) + parseFloat(style.borderBottomWidth);
    }
    const height = `${Math.max(320, Math.floor(window.innerHeight - top - below))}px`;
    if (board.style.height !== height) board.style.height = height;
  };
  window.addEventListener('resize', fit);
  new ResizeObserver(fit).observe(document.body);
})();
</script>
"""


def _scroll_to(column: str) -> str:
    return (
        f"() => document.querySelector('[data-column=\"{column}\"]')"
        ".scrollIntoView({behavior: 'smooth', block: 'nearest', inline: 'start'})"
    )


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"


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
        ui.add_css(_BOARD_CSS)
        ui.add_body_html(_FIT_SCRIPT)
        client_theme()
        self.root = ui.column().classes("w-full gap-2")
        with self.root:
            with ui.row().classes("xl:hidden w-full gap-2 no-wrap overflow-x-auto").props("data-column-switcher"):
                for name in COLUMNS:  # on a tablet the last columns start off-screen: one tap brings each in view
                    jump = ui.button(name).props("outline no-caps").classes(f"{TOUCH_TARGET} px-3")
                    jump.on("click", js_handler=_scroll_to(name))
            board = ui.element("div").props("data-board").classes("w-full h-[calc(100dvh-10rem)] overflow-auto")
            with board, ui.row().classes("no-wrap items-stretch gap-3 w-full min-h-full"):
                for name in COLUMNS:
                    self._column(name, can_move)

    def _column(self, name: str, can_move: bool) -> None:
        column_classes = (
            f"grow shrink-0 basis-64 xl:basis-52 snap-start gap-0 rounded-lg bg-slate-100 border-t-4 "
            f"{COLUMN_ACCENTS[name]}"
        )
        with Boundary().props(f'data-column="{name}"').classes(f"nicegui-column {column_classes}"):
            header = "sticky top-0 z-10 w-full items-center justify-between rounded-t-lg bg-slate-100 px-3 py-2"
            with ui.row().classes(header):
                ui.label(name).classes("font-semibold text-slate-700")
                self.counts[name] = ui.label("0").classes("text-xs rounded-full bg-white px-2 text-slate-600")
            cards = ui.column().classes("w-full grow gap-2 px-2 pb-8")
            if can_move:
                cards.make_sortable(SORTABLE_OPTIONS, group="board")
                cards.on("sortend", self.dropped, js_handler=DROP_HANDLER)
            self.lists[name] = cards
            if name == BoardColumn.GEPLAND.value:
                self.later_link = ui.link("", "/admin/planning").classes(
                    "text-sm px-3 min-h-[44px] inline-flex items-center"
                )
                self.later_link.props("data-later").set_visibility(False)

    def place(self, order: WorkOrderBase) -> None:
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
            card.render(order)  # sends nothing when the card shows it already
        index = order.position
        if order.column == BoardColumn.GEPLAND.value:  # by the plan: planned ones by their start, then the rest
            others = [c.order for c in target.default_slot.children if isinstance(c, WorkOrderCard) and c is not card]
            index = plan_index(order, others)
        if card.parent_slot is None or card.parent_slot.parent is not target or self._index(card) != index:
            card.move(target_container=target, target_index=index)
        self._count()

    def _counted_later(self, order: WorkOrderBase, card: WorkOrderCard | None) -> bool:
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
        if self._closes_without_invoice(order, column) and not await self._confirm_close(order):
            await self._put_back(order.id)
            return
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
                self._say_which_clocks_stopped(order, moved)
        except ServiceError as error:
            await self._put_back(order.id)
            if isinstance(error, Conflict):
                ui.notify(f"{order.number} is intussen door iemand anders verplaatst", type="warning")
            else:  # e.g. a mechanic at Afgerond: the reason, as the server gives it
                ui.notify(f"{order.number} kan daar niet heen: {error.message}", type="negative")
        self._count()

    async def _put_back(self, order_id: int) -> None:
        current = await run.io_bound(workorders.get_work_order, database(), order_id)
        if current is not None:  # put the card back where the server says
            self.place(current)
            self._remove_stale_copies(current.id, current.version)

    def _closes_without_invoice(self, order: WorkOrderBase, column: str) -> bool:
        """The desk closing an order nobody invoiced is asked first (a mechanic is refused by the server)."""
        return (
            column == BoardColumn.AFGEROND
            and order.column != BoardColumn.AFGEROND
            and order.invoice is None
            and workorders.may_close(self.principal)
        )

    async def _confirm_close(self, order: WorkOrderBase) -> bool:
        with self.root, ui.dialog() as dialog, ui.card().classes("w-[26rem] max-w-full gap-3"):
            dialog.props("data-confirm-close")
            ui.label("Afronden zonder factuur?").classes("text-lg font-semibold")
            ui.label(
                f"{order.number} ({order.customer_name}) heeft geen factuur. De geschiedenis van de werkorder "
                "vermeldt dat hij zonder factuur is afgerond."
            ).classes("text-sm")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Annuleren", on_click=lambda: dialog.submit(False)).props("flat no-caps").classes(
                    f"{TOUCH_TARGET} px-3"
                )
                ui.button("Afronden zonder factuur", on_click=lambda: dialog.submit(True)).props(
                    "unelevated no-caps"
                ).classes(f"{TOUCH_TARGET} px-3")
        confirmed = bool(await dialog)
        dialog.delete()
        return confirmed

    def _say_which_clocks_stopped(self, before: WorkOrderBase, after: WorkOrderBase) -> None:
        """Entering Klaar stops the clocks on the order: the page that moved it says whose."""
        still = {session.id for session in after.active_sessions}
        stopped = [session.mechanic for session in before.active_sessions if session.id not in still]
        if stopped:
            clocks = "de klok van" if len(stopped) == 1 else "de klokken van"
            verb = "is" if len(stopped) == 1 else "zijn"
            ui.notify(f"{after.number} is {after.column.lower()}: {clocks} {_joined(stopped)} {verb} gestopt")

    def _remove_stale_copies(self, order_id: int, version: int) -> None:
        """A card moved by someone else while it was being dragged can leave SortableJS's node behind, outside
        Vue's control; it still shows the old version, so it is recognisable and safe to drop."""
        ui.run_javascript(
            f'document.querySelectorAll(\'[data-workorder-id="{order_id}"]:not([data-version="{version}"])\')'
            ".forEach((el) => el.remove())"
        )

    async def toggle_session(self, order: WorkOrderBase, running: SessionPublic | None) -> None:
        assert self.mechanic is not None
        try:
            if running:
                await run.io_bound(work_sessions.stop_session, database(), order.id, running.id, actor=self.principal)
                return
            started = await run.io_bound(
                work_sessions.start_work, database(), order.id, self.mechanic, actor=self.principal
            )
        except ServiceError as error:
            ui.notify(error.message, type="negative")
            return
        for number in started.stopped_on if started else []:  # a mechanic's one running clock moved here: say so
            ui.notify(f"{self.mechanic} stopt met {number}", type="info")


def board_page(request: Request) -> RedirectResponse | None:
    principal = require(request, Role.ADMIN, Role.MONTEUR, Role.MAGAZIJN)
    if isinstance(principal, RedirectResponse):
        return principal
    with frame("Werkoverzicht", principal):
        board = Board(principal)
        follow_work_orders(board.place)  # subscribe and load in one step of the event loop
        for order in board_orders():
            board.place(order)
        follow_viewers(board.cards)
    return None
