"""NiceGUI pages: render, call services, subscribe to the broadcaster. register() puts them on the app."""

from collections.abc import Callable
from typing import Any

from nicegui import app, ui

from pages import (
    access,
    board,
    connections,
    dashboard_page,
    display,
    invoices_page,
    ipad_page,
    live,
    login,
    planning_page,
    settings_page,
    state,
    warehouse,
    work_order_page,
    workorders,
)
from services.db import Database
from services.invoicing.mollie import MollieGateway
from services.live import OpenStreams
from services.settings import Settings
from services.vehicles import RdwLookups

PAGES: dict[str, Callable[..., Any]] = {
    "/": login.start_page,
    "/login": login.login_page,
    "/admin/workorders": workorders.work_orders_page,
    "/admin/workorders/{work_order_id}": work_order_page.work_order_page,
    "/admin/workoverzicht": board.board_page,
    "/admin/planning": planning_page.planning_page,
    "/magazijn": warehouse.warehouse_page,
    "/display": display.display_page,
    "/admin/ipad": ipad_page.ipad_page,
    "/admin/verbindingen": connections.connections_page,
    "/admin/instellingen": settings_page.settings_page,
    "/admin/facturen": invoices_page.invoices_page,
    "/admin/dashboard": dashboard_page.dashboard_page,
}


def register(
    database: Database, rdw: RdwLookups, settings: Settings, streams: OpenStreams, mollie: MollieGateway | None
) -> None:
    """The pages, the login hand-off routes and the relay from the database's broadcaster to the pages (once per
    app: main.wire_app)."""
    state.hand_down(database, rdw, settings, streams, mollie)
    for path, page in PAGES.items():
        ui.page(path)(page)
    app.add_api_route("/auth/complete", access.complete_login, include_in_schema=False)
    app.add_api_route("/auth/logout", access.log_out, include_in_schema=False)
    app.on_startup(lambda: live.relay_log_to_pages(database))
