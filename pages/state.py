"""What main built once for the process and handed to the pages, kept on NiceGUI's app.state (a page function's
signature belongs to FastAPI: it cannot take it as an argument)."""

from typing import cast

from nicegui import app

from services.vehicles import RdwLookups


def hand_down(rdw: RdwLookups) -> None:
    app.state.rdw = rdw


def rdw_lookups() -> RdwLookups:
    return cast(RdwLookups, app.state.rdw)
