"""A work order's status as a coloured badge, and a running session as a badge with a live timer."""

from nicegui import ui

from models import WorkOrderStatus
from pages.theme import STATUS_COLORS, STATUS_LABELS


def status_badge(status: str) -> ui.badge:
    known = WorkOrderStatus(status)
    return ui.badge(STATUS_LABELS[known], color=STATUS_COLORS[known]).props(f"data-status={status}")


def session_badge(session: dict) -> None:
    """Mechanic name and a timer the browser counts from startedAt (no server round trips)."""
    with ui.element("span").classes("inline-flex items-center gap-1 rounded-full bg-orange-100 px-2 py-0.5 text-xs"):
        ui.icon("timer", size="xs").classes("text-orange-700")
        ui.label(session["mechanic"]).classes("font-medium")
        ui.element("span").props(f'data-timer="{session["startedAt"]}"').classes("tabular-nums text-orange-800")
