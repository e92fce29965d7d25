"""The customer's status link for the desk to send by hand (when e-mail is off, or the customer asks by phone):
"Statuslink kopiëren" and "Delen via WhatsApp", the link built from PUBLIC_URL."""

from urllib.parse import quote

from nicegui import ui

from models.public import WorkOrderPublic
from pages.clipboard import copy_text
from pages.state import public_url
from services.plates import format_plate

WHATSAPP = "https://wa.me/?text="  # WhatsApp's own share link: the desk picks the chat


def status_link(order: WorkOrderPublic) -> str:
    return f"{public_url()}{order.status_url}"


def whatsapp_link(order: WorkOrderPublic) -> str:
    text = (
        f"Hallo, via deze link volgt u live hoe het met uw auto ({format_plate(order.license_plate)}) gaat: "
        f"{status_link(order)}"
    )
    return WHATSAPP + quote(text, safe="")


def share_status_link(order: WorkOrderPublic) -> None:
    """Two buttons under the customer's details; the status link never changes, so they are drawn once."""
    link = status_link(order)
    with ui.row().classes("w-full items-center gap-2 pt-2 border-t border-slate-200").props("data-status-link"):
        copy = ui.button(
            "Statuslink kopiëren", icon="content_copy", on_click=lambda: copy_text(link, "Statuslink gekopieerd")
        )
        copy.props("outline no-caps")
        share = ui.link(target=whatsapp_link(order), new_tab=True).props("data-whatsapp")
        share.classes(
            "inline-flex items-center gap-1 rounded border border-green-700 text-green-800 px-3 py-1.5 no-underline"
        )
        with share:
            ui.icon("chat", size="1.25rem")
            ui.label("Delen via WhatsApp")
