"""theme.py's constants for components drawn in the browser (a board card, a list row): put on the page once as
`window.wpTheme`, so a card or a row carries only its own data and the style constants stay in one place."""

import json

from nicegui import ui

from pages.theme import (
    APPROVAL_CLASSES,
    CARD_BUTTON_CLASSES,
    OVERRUN_CLASSES,
    PLATE_CLASSES,
    STATUS_COLORS,
    TOUCH_TARGET,
    VIEWING_CLASSES,
)

_THEME = {
    "approval": APPROVAL_CLASSES,
    "overrun": OVERRUN_CLASSES,
    "plate": PLATE_CLASSES,
    "touch": TOUCH_TARGET,
    "viewing": VIEWING_CLASSES,
    "cardButton": CARD_BUTTON_CLASSES,
    "statusColors": {status.value: color for status, color in STATUS_COLORS.items()},
}


def client_theme() -> None:
    ui.add_head_html(f"<script>window.wpTheme = {json.dumps(_THEME)};</script>")
