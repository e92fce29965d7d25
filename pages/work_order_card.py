"""A work order as a card on the board: number, plate, customer, running sessions, start/stop for the
logged-in mechanic. Lean on purpose: every open board keeps its cards in server memory."""

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
        self.order = order
        self.props(f"data-workorder-id={order['id']}").classes("w-full gap-1 p-3 cursor-grab select-none")
        self.render(order)

    def render(self, order: dict) -> None:
        self.order = order
        self.props(f"data-version={order['version']}")
        self.clear()
        with self:
            with ui.row().classes("w-full items-center justify-between no-wrap"):
                ui.label(order["number"]).classes("font-mono text-xs text-gray-500")
                ui.label(format_plate(order["licensePlate"])).classes(
                    "font-mono font-bold text-sm bg-yellow-300 px-1.5 rounded border border-black"
                )
            ui.label(order["customerName"]).classes("font-medium leading-tight")
            ui.label(order["description"]).classes("text-xs text-gray-600 line-clamp-2")
            running = order["activeSessions"]
            if running:
                with ui.row().classes("gap-1"):
                    for session in running:
                        session_badge(session)
            if self.mechanic:
                mine = next((s for s in running if s["mechanic"] == self.mechanic), None)
                label, icon, color = ("Stop", "stop", "negative") if mine else ("Start", "play_arrow", "primary")
                ui.button(label, icon=icon, color=color, on_click=lambda: self.on_session(self.order, mine)).props(
                    "dense unelevated no-caps size=sm"
                )
