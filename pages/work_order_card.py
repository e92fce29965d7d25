"""A work order as a card on the board: number, plate, customer, running sessions, start/stop for the
logged-in mechanic. Lean on purpose: every open board keeps its cards in server memory, and a change
touches only the parts of the card that differ."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from pages.status_badge import session_badge
from services.plates import format_plate


class WorkOrderCard(ui.card):
    def __init__(
        self, order: dict, mechanic: str | None, on_session: Callable[[dict, dict | None], Awaitable[None]]
    ) -> None:
        super().__init__()
        self.mechanic = mechanic
        self.on_session = on_session
        self.order: dict = {}
        self.props(f"data-workorder-id={order['id']}").classes("w-full gap-1 p-3 cursor-grab select-none")
        with self:
            with ui.row().classes("w-full items-center justify-between no-wrap"):
                self.number = ui.label().classes("font-mono text-xs text-gray-500")
                self.plate = ui.label().classes(
                    "font-mono font-bold text-sm bg-yellow-300 px-1.5 rounded border border-black"
                )
            self.customer = ui.label().classes("font-medium leading-tight")
            self.description = ui.label().classes("text-xs text-gray-600 line-clamp-2")
            self.sessions = ui.row().classes("gap-1")
            self.actions = ui.row()
        self.render(order)

    def render(self, order: dict) -> None:
        previous, self.order = self.order, order
        if previous.get("version") != order["version"]:
            self.props(f"data-version={order['version']}")
        for label, text in (
            (self.number, order["number"]),
            (self.plate, format_plate(order["licensePlate"])),
            (self.customer, order["customerName"]),
            (self.description, order["description"]),
        ):
            if label.text != text:
                label.set_text(text)
        if previous.get("activeSessions") != order["activeSessions"] or not previous:
            self._sessions(order["activeSessions"])

    def _sessions(self, running: list[dict]) -> None:
        self.sessions.clear()
        with self.sessions:
            for session in running:
                session_badge(session)
        self.sessions.set_visibility(bool(running))
        if self.mechanic:
            mine = next((s for s in running if s["mechanic"] == self.mechanic), None)
            label, icon, color = ("Stop", "stop", "negative") if mine else ("Start", "play_arrow", "primary")
            self.actions.clear()
            with self.actions:
                ui.button(label, icon=icon, color=color, on_click=lambda: self.on_session(self.order, mine)).props(
                    "dense unelevated no-caps size=sm"
                )
