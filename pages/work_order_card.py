"""A work order as a card on the board: number, plate, customer, parts progress, running sessions, and buttons a
finger hits on a tablet (Start/Stop for the logged-in mechanic where the work happens, Onderdeel). Lean on purpose:
every open board keeps its cards in server memory, and a change touches only the parts of the card that differ."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from models.public import PartPublic, SessionPublic, WorkOrderPublic
from pages.card_plan import show_plan
from pages.part_badges import all_parts_in, parts_progress
from pages.presence_badge import viewing_label
from pages.status_badge import session_badge
from pages.theme import (
    APPROVAL_CLASSES,
    CARD_BUTTON,
    CARD_BUTTON_CLASSES,
    OVERRUN_CLASSES,
    PLATE_CLASSES,
    TOUCH_TARGET,
    WORK_COLUMNS,
    work_order_path,
)
from services.plates import format_plate


class WorkOrderCard(ui.card):
    def __init__(
        self,
        order: WorkOrderPublic,
        mechanic: str | None,
        on_session: Callable[[WorkOrderPublic, SessionPublic | None], Awaitable[None]],
        on_add_part: Callable[[WorkOrderPublic], None],
    ) -> None:
        super().__init__()
        self.mechanic = mechanic
        self.on_session = on_session
        self.order = order
        self.props(f"data-workorder-id={order.id}").classes("w-full gap-1 p-3 cursor-grab select-none")
        with self:
            with ui.row().classes("w-full items-center justify-between gap-x-2 gap-y-0"):  # narrow: plate below
                self.number = ui.link(target=work_order_path(order.id)).classes(
                    f"{TOUCH_TARGET} font-mono text-xs text-gray-500 no-underline hover:underline whitespace-nowrap"
                )
                self.plate = ui.label().classes(f"{PLATE_CLASSES} text-sm whitespace-nowrap")
            self.customer = ui.label().classes("font-medium leading-tight")
            self.description = ui.label().classes("text-xs text-gray-600 line-clamp-2")
            self.parts = ui.label().classes("text-xs font-medium w-fit rounded px-1.5 whitespace-nowrap")
            self.approval = ui.label("Toestemming nodig").classes(APPROVAL_CLASSES)
            self.viewing = viewing_label()  # "klant kijkt mee", with data-viewing on the card (pages.presence_badge)
            self.planned = ui.label().classes("text-xs font-medium text-slate-700")
            self.overrun = ui.label("loopt uit").classes(OVERRUN_CLASSES)
            self.sessions = ui.row().classes("gap-1")
            with ui.row().classes("w-full gap-2 pt-1"):
                self.session_button = ui.button(on_click=lambda: self.on_session(self.order, self._mine()))
                self.session_button.props(CARD_BUTTON).classes(CARD_BUTTON_CLASSES)
                add = ui.button("Onderdeel", icon="add_shopping_cart", on_click=lambda: on_add_part(self.order))
                add.props(f'{CARD_BUTTON} outline aria-label="Onderdeel toevoegen"').classes(CARD_BUTTON_CLASSES)
        self.render(order, first=True)

    def render(self, order: WorkOrderPublic, first: bool = False) -> None:
        previous, self.order = self.order, order
        if first or previous.version != order.version:
            self.props(f"data-version={order.version}")
        for label, text in (
            (self.number, order.number),
            (self.plate, format_plate(order.license_plate)),
            (self.customer, order.customer_name),
            (self.description, order.description),
        ):
            if label.text != text:
                label.set_text(text)
        if first or previous.parts != order.parts:
            self._parts(order.parts)
        if first or previous.active_sessions != order.active_sessions:
            self._sessions(order.active_sessions)
        if first or (previous.active_sessions, previous.column) != (order.active_sessions, order.column):
            self._session_button(order)
        if first or (previous.needs_approval, previous.approval) != (order.needs_approval, order.approval):
            self._approval(order)
        if first or (previous.appointment, previous.progress.overrun) != (order.appointment, order.progress.overrun):
            show_plan(self, self.planned, self.overrun, order)
        if first or previous.invoice != order.invoice:  # `data-paid`: its invoice is paid in full
            if order.invoice is not None and order.invoice.status == "betaald":
                self.props("data-paid")
            else:
                self.props(remove="data-paid")

    def _approval(self, order: WorkOrderPublic) -> None:
        """`data-needs-approval` while the total outgrew the customer's last approval (not before the first)."""
        again = order.needs_approval and order.approval is not None
        if again:
            self.props("data-needs-approval")
        else:
            self.props(remove="data-needs-approval")
        self.approval.set_visibility(again)

    def _parts(self, parts: list[PartPublic]) -> None:
        """`data-parts="R/A"` on the card while it has parts; `data-all-parts-in` once none is needed or ordered."""
        received, counted = parts_progress(parts)
        complete = all_parts_in(parts)
        if counted:
            self.props(f'data-parts="{received}/{counted}"')
        else:
            self.props(remove="data-parts")
        if complete:
            self.props("data-all-parts-in")
        else:
            self.props(remove="data-all-parts-in")
        self.parts.set_text("Alle onderdelen binnen" if complete else f"Onderdelen {received}/{counted}")
        self.parts.classes(
            add="bg-green-100 text-green-800" if complete else "bg-slate-100 text-slate-700",
            remove="bg-slate-100 text-slate-700" if complete else "bg-green-100 text-green-800",
        )
        self.parts.set_visibility(counted > 0)

    def _sessions(self, running: list[SessionPublic]) -> None:
        self.sessions.clear()
        with self.sessions:
            for session in running:
                session_badge(session)
        self.sessions.set_visibility(bool(running))

    def _mine(self) -> SessionPublic | None:
        return next((s for s in self.order.active_sessions if s.mechanic == self.mechanic), None)

    def _session_button(self, order: WorkOrderPublic) -> None:
        """The logged-in mechanic's Stop wherever their clock runs; Start only where the work happens."""
        mine = self._mine() if self.mechanic else None
        offered = mine is not None or (self.mechanic is not None and order.column in WORK_COLUMNS)
        self.session_button.set_visibility(offered)
        label, icon, color = ("Stop", "stop", "negative") if mine else ("Start", "play_arrow", "primary")
        if self.session_button.text != label:
            self.session_button.set_text(label)
            self.session_button.props(f"icon={icon} color={color}")
