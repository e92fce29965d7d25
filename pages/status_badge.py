"""A work order's status as a coloured badge, a licence plate the way it looks on the car, and a running
session as a badge with a live timer."""

from nicegui import ui

from models import WorkOrderStatus
from models.public import SessionPublic, iso_utc
from pages.theme import PLATE_CLASSES, STATUS_COLORS
from services.plates import format_plate


def status_badge(column: str, status: str) -> ui.badge:
    """Where the order is, in the board's words ("Onder handen"), coloured by its status. The status's own name
    (IN_UITVOERING) is data for scripts (`data-status`), never shown: it would only repeat the column."""
    return ui.badge(column, color=STATUS_COLORS[WorkOrderStatus(status)]).props(f"data-status={status}")


def session_badge(session: SessionPublic) -> None:
    """Mechanic name and a timer the browser counts from startedAt (no server round trips)."""
    with ui.element("span").classes("inline-flex items-center gap-1 rounded-full bg-orange-100 px-2 py-0.5 text-xs"):
        ui.icon("timer", size="xs").classes("text-orange-700")
        ui.label(session.mechanic).classes("font-medium")
        ui.element("span").props(f'data-timer="{iso_utc(session.started_at)}"').classes("tabular-nums text-orange-800")


def plate_badge(plate: str) -> ui.label:
    """Yellow, black letters, the dashes of its sidecode."""
    return ui.label(format_plate(plate)).classes(PLATE_CLASSES)
