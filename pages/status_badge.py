"""A work order's status as a coloured badge, a licence plate the way it looks on the car, and a running
session as a badge with a live timer."""

from nicegui import ui

from models import WorkOrderStatus
from models.public import SessionPublic, iso_utc
from pages.theme import PLATE_CLASSES, STATUS_COLORS, STATUS_LABELS
from services.plates import format_plate


def status_badge(status: str) -> ui.badge:
    """The status as the data says it (GOEDGEKEURD), so a search or a script finds it; the plain word on hover."""
    known = WorkOrderStatus(status)
    badge = ui.badge(status, color=STATUS_COLORS[known]).props(f"data-status={status}")
    badge.tooltip(STATUS_LABELS[known])
    return badge


def session_badge(session: SessionPublic) -> None:
    """Mechanic name and a timer the browser counts from startedAt (no server round trips)."""
    with ui.element("span").classes("inline-flex items-center gap-1 rounded-full bg-orange-100 px-2 py-0.5 text-xs"):
        ui.icon("timer", size="xs").classes("text-orange-700")
        ui.label(session.mechanic).classes("font-medium")
        ui.element("span").props(f'data-timer="{iso_utc(session.started_at)}"').classes("tabular-nums text-orange-800")


def plate_badge(plate: str) -> ui.label:
    """Yellow, black letters, the dashes of its sidecode."""
    return ui.label(format_plate(plate)).classes(PLATE_CLASSES)
