"""The start page (a placeholder until the board and list pages land)."""

from nicegui import ui


@ui.page("/")
def home() -> None:
    ui.label("Werkplaats").classes("text-3xl font-bold")
    ui.label("Live werkorders voor de werkplaats.")
    ui.link("API-documentatie", "/docs")
