"""A work order as a card on the board: number, plate, customer, running sessions, start/stop for the
logged-in mechanic. Lean on purpose: every open board keeps its cards in server memory, and a change
touches only the parts of the card that differ."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from models.public import SessionPublic, WorkOrderPublic
from pages.status_badge import session_badge
from pages.theme import PLATE_CLASSES, work_order_path
from services.plates import format_plate


class WorkOrderCard(ui.card):
    def __init__(
        self,
        order: WorkOrderPublic,
        mechanic: str | None,
        on_session: Callable[[WorkOrderPublic, SessionPublic | None], Awaitable[None]],
    ) -> None:
        super().__init__()
        self.mechanic = mechanic
        self.on_session = on_session
        self.order = order
        self.props(f"data-workorder-id={order.id}").classes("w-full gap-1 p-3 cursor-grab select-none")
        with self:
            with ui.row().classes("w-full items-center justify-between no-wrap"):
                self.number = ui.link(target=work_order_path(order.id)).classes(
                    "font-mono text-xs text-gray-500 no-underline hover:underline"
                )
                self.plate = ui.label().classes(f"{PLATE_CLASSES} text-sm")
            self.customer = ui.label().classes("font-medium leading-tight")
            self.description = ui.label().classes("text-xs text-gray-600 line-clamp-2")
            self.sessions = ui.row().classes("gap-1")
            self.actions = ui.row()
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
        if first or previous.active_sessions != order.active_sessions:
            self._sessions(order.active_sessions)

    def _sessions(self, running: list[SessionPublic]) -> None:
        self.sessions.clear()
        with self.sessions:
            for session in running:
                session_badge(session)
        self.sessions.set_visibility(bool(running))
        if self.mechanic:
            mine = next((s for s in running if s.mechanic == self.mechanic), None)
            label, icon, color = ("Stop", "stop", "negative") if mine else ("Start", "play_arrow", "primary")
            self.actions.clear()
            with self.actions:
                ui.button(label, icon=icon, color=color, on_click=lambda: self.on_session(self.order, mine)).props(
                    "dense unelevated no-caps size=sm"
                )
