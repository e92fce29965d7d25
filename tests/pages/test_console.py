"""Monitoring as the README's Troubleshooting section describes it, in a real browser: the console lines of a
live page (connected, each update, dropped and reconnected) and the connections page's list of streams."""

import secrets
import time
from datetime import datetime

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from services.clock import SHOP_ZONE
from tests.conftest import Shop
from tests.pages.conftest import log_in
from tests.server import Server, seed_account
from tests.sse import SSEClient

CONNECTED = "✅ SSE verbonden - live updates actief"
DROPPED = "❌ SSE verbinding verbroken, herverbinden..."


def update_line(change_type: str) -> str:
    return f"📡 Live update ontvangen: {change_type}"


class Console:
    """The page's console lines, as a user reads them in the developer tools."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.lines: list[str] = []
        page.on("console", lambda message: self.lines.append(message.text))

    def wait_for(self, line: str, count: int = 1, timeout: float = 10) -> None:
        """Until `line` was written `count` times; Playwright delivers console events while it waits."""
        deadline = time.monotonic() + timeout
        while self.lines.count(line) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{line!r} not written {count}x within {timeout}s; console: {self.lines}")
            self.page.wait_for_timeout(50)


def test_the_board_writes_the_troubleshooting_lines_to_the_console(context: BrowserContext, own_server: Server) -> None:
    password = secrets.token_urlsafe(12)
    seed_account(own_server.database_url, "balie", "admin", password)
    token = own_server.token("admin")
    own_server.start()
    page = context.new_page()
    console = Console(page)
    log_in(page, own_server.url, "balie", password, "/admin/workoverzicht")
    console.wait_for(CONNECTED)
    with own_server.client(token) as api:
        order = api.post(
            "/api/workorders", json={"customerName": "K", "licensePlate": "AB123C", "description": "Beurt"}
        ).json()
        console.wait_for(update_line("created"))
        api.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
    console.wait_for(update_line("column"))
    console.wait_for(update_line("status"))
    connected_before = console.lines.count(CONNECTED)
    own_server.stop()
    console.wait_for(DROPPED)
    own_server.start()
    console.wait_for(CONNECTED, count=connected_before + 1, timeout=30)  # the page came back by itself
    assert console.lines.count(DROPPED) == 1


@pytest.mark.parametrize("path", ["/admin/workorders", "/magazijn"])
def test_every_live_page_writes_its_updates(context: BrowserContext, shop: Shop, staff: dict, path: str) -> None:
    page = context.new_page()
    console = Console(page)
    log_in(page, shop.server.url, "balie", staff["balie"], path)
    console.wait_for(CONNECTED)
    order = shop.create()
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Wacht op onderdelen"})
    console.wait_for(update_line("column"))


def test_the_ipad_writes_each_turn_to_the_console(context: BrowserContext, shop: Shop, staff: dict) -> None:
    page = context.new_page()
    console = Console(page)
    log_in(page, shop.server.url, "balie", staff["balie"], "/display")
    console.wait_for(CONNECTED)
    order = shop.create(customer="Fam. Console")
    shop.admin.put("/api/display/current", json={"workOrderId": order["id"]})
    try:
        console.wait_for(update_line("display"))
    finally:
        shop.admin.put("/api/display/current", json={"workOrderId": None})  # the shared iPad waits again


def test_the_connections_page_lists_a_stream_until_its_client_leaves(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    token = shop.server.token("admin", "werkbank-console")
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/verbindingen")
    row = page.locator('[data-stream="werkbank-console"]')
    expect(row).to_have_count(0)
    with SSEClient(shop.server.url, token, "/api/workorders/stream?changeType=column") as stream:
        stream.next()
        expect(row).to_have_count(1, timeout=5_000)
        expect(row).to_have_attribute("data-filter", "changeType=column")
        [listed] = [s for s in shop.admin.get("/api/diagnostics").json()["streams"] if s["who"] == "werkbank-console"]
        since = datetime.fromisoformat(listed["since"]).astimezone(SHOP_ZONE)  # the shop's time, not the server's
        expect(row).to_contain_text(f"sinds {since.day} ")
        expect(row).to_contain_text(since.strftime("%H:%M:%S"))
        details = page.locator('[data-stream-details="werkbank-console"]')
        expect(details).to_be_hidden()  # the technical columns wait behind "Details"
        page.locator("[data-details]").get_by_text("Details").click()
        expect(details).to_contain_text("changeType=column")
        expect(page.locator('[data-page-kind="/admin/verbindingen"]')).to_be_visible()
    expect(row).to_have_count(0, timeout=5_000)
