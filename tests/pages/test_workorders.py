"""The work order list in a real browser: its search finds a description and a customer's phone number, and a
search that finds nothing says so once."""

from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import Shop
from tests.pages.conftest import log_in


def rows(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("tbody tr[data-workorder-id]")


def test_search_finds_a_description_and_a_phone_number(context: BrowserContext, shop: Shop, staff: dict) -> None:
    body = {"customerName": "Fam. Zoekbaar", "customerPhone": "06-2468 1357", "licensePlate": "ZK-246-B",
            "description": "Remblokken en schijven achter"}  # fmt: skip
    order = shop.admin.post("/api/workorders", json=body).json()
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/workorders")
    search = page.get_by_label("Zoeken")
    for query in ("schijven acht", "0624681357", "2468 1357"):
        search.fill(query)
        expect(rows(page)).to_have_count(1)
        expect(rows(page).first).to_have_attribute("data-workorder-id", str(order["id"]))


def test_a_search_that_finds_nothing_says_so_once(context: BrowserContext, shop: Shop, staff: dict) -> None:
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/workorders")
    page.get_by_label("Zoeken").fill("bestaat-nergens-xq")
    expect(rows(page)).to_have_count(0)
    expect(page.get_by_text("Geen werkorders gevonden")).to_have_count(1)
    expect(page.get_by_text("Geen werkorders gevonden")).to_be_visible()
