"""The desk and the counter iPad in a real browser: "Naar iPad" only while an order needs approval, a question
before it pushes away an order that waits for a signature, "iPad vrijmaken", and the iPad menu item opening a
read-only preview with a pairing link that pairs a real iPad."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import Shop
from tests.pages.conftest import IPAD, log_in

LIVE = 1000  # ms


@pytest.fixture
def ipad_waits(shop: Shop) -> Iterator[None]:
    """The iPad is shared by every test of the shop: it starts and ends waiting."""
    shop.admin.put("/api/display/current", json={"workOrderId": None})
    yield
    shop.admin.put("/api/display/current", json={"workOrderId": None})


def on_ipad(shop: Shop) -> int | None:
    current = shop.admin.get("/api/display/current").json()
    return None if current is None else current["id"]


def approve_by_phone(shop: Shop, order: dict) -> None:
    body = {"method": "telefoon", "signerName": order["customerName"], "note": "Akkoord per telefoon"}
    assert shop.admin.post(f"/api/workorders/{order['id']}/approvals", json=body).status_code == 201


def desk(context: BrowserContext, shop: Shop, staff: dict, path: str = "/admin/workorders") -> Page:
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], path)
    return page


def test_naar_ipad_is_offered_only_while_an_order_needs_approval(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    waiting, approved = shop.create(customer="Fam. Wacht"), shop.create(customer="Fam. Akkoord")
    approve_by_phone(shop, approved)
    page = desk(context, shop, staff)
    waiting_row = page.locator(f'tr[data-workorder-id="{waiting["id"]}"]')
    approved_row = page.locator(f'tr[data-workorder-id="{approved["id"]}"]')
    expect(waiting_row.get_by_role("button", name="Naar iPad")).to_be_visible()
    expect(approved_row).to_be_visible()
    expect(approved_row.get_by_role("button", name="Naar iPad")).to_have_count(0)

    approve_by_phone(shop, waiting)  # approved meanwhile: the offer goes, live
    expect(waiting_row.get_by_role("button", name="Naar iPad")).to_have_count(0, timeout=LIVE)
    page.goto(f"{shop.server.url}/admin/workorders/{approved['id']}")
    expect(page.locator("[data-section=toestemming]")).to_contain_text("Akkoord per telefoon")
    expect(page.get_by_role("button", name="Naar iPad")).to_have_count(0)


def test_sending_while_someone_signs_asks_first_and_the_desk_clears_the_ipad(
    context: BrowserContext, shop: Shop, staff: dict, ipad_waits: None
) -> None:
    signing, next_up = shop.create(customer="Fam. Tekent"), shop.create(customer="Fam. Volgende")
    page = desk(context, shop, staff)
    status = page.locator("[data-ipad-status]")
    expect(status).to_contain_text("De iPad wacht op een werkorder")
    expect(status.get_by_role("button", name="iPad vrijmaken")).to_be_hidden()
    send = page.locator(f'tr[data-workorder-id="{next_up["id"]}"]').get_by_role("button", name="Naar iPad")

    assert shop.admin.put("/api/display/current", json={"workOrderId": signing["id"]}).status_code == 200
    expect(status).to_contain_text(f"Op de iPad: {signing['number']} · Fam. Tekent", timeout=LIVE)
    send.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Er tekent nu iemand op de iPad")
    expect(dialog).to_contain_text(f"Op de iPad wacht {signing['number']} nog op een handtekening")
    dialog.get_by_role("button", name="Annuleren").click()
    expect(dialog).to_be_hidden()
    assert on_ipad(shop) == signing["id"]  # asked first: nothing changed without a yes

    send.click()
    dialog.get_by_role("button", name=f"{next_up['number']} toch sturen").click()
    expect(page.get_by_text(f"{next_up['number']} staat op de iPad")).to_be_visible()
    expect(status).to_have_attribute("data-ipad-order", str(next_up["id"]))
    assert on_ipad(shop) == next_up["id"]

    status.get_by_role("button", name="iPad vrijmaken").click()
    expect(status).to_contain_text("De iPad wacht op een werkorder")
    assert on_ipad(shop) is None
    send.click()  # nobody is signing: sent at once, no question
    expect(status).to_have_attribute("data-ipad-order", str(next_up["id"]))
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert on_ipad(shop) == next_up["id"]


def test_the_ipad_menu_item_opens_a_preview_and_a_pairing_link_that_pairs_an_ipad(
    context: BrowserContext, browser: Browser, shop: Shop, staff: dict, ipad_waits: None
) -> None:
    order = shop.create(customer="Fam. Voorbeeld", description="Banden wisselen")
    page = desk(context, shop, staff)
    page.get_by_role("link", name="iPad", exact=True).click()
    page.wait_for_url(f"{shop.server.url}/admin/ipad")
    preview = page.locator("[data-ipad-preview]")
    expect(preview.locator("[data-display-state=waiting]")).to_be_visible()

    shop.admin.put("/api/display/current", json={"workOrderId": order["id"]})
    expect(preview.locator(f'[data-display-state=order][data-workorder-id="{order["id"]}"]')).to_be_visible(
        timeout=LIVE
    )
    expect(preview).to_contain_text("Banden wisselen")
    expect(preview.locator("[data-estimate]")).to_be_visible()
    expect(preview.locator("canvas")).to_have_count(0)  # a preview: nobody signs at the desk
    expect(preview.get_by_role("button", name="Ondertekenen")).to_have_count(0)
    expect(preview.get_by_label("Naam")).to_have_count(0)

    pairing = page.locator("[data-pairing]")
    pairing.get_by_role("button", name="Koppellink maken").click()
    link = pairing.get_by_label("Koppellink")
    expect(link).to_have_value(re.compile(r"^http://localhost:8080/display\?token=wp_[\w-]+$"))  # PUBLIC_URL
    token = link.input_value().split("token=", 1)[1]
    ipad = browser.new_context(**IPAD, locale="nl-NL")
    try:
        screen = ipad.new_page()
        screen.goto(f"{shop.server.url}/display?token={token}")
        expect(screen).to_have_url(f"{shop.server.url}/display")  # paired: the token left the URL
        expect(screen.locator(f'[data-display-state=order][data-workorder-id="{order["id"]}"]')).to_be_visible()
        expect(screen.get_by_role("button", name="Ondertekenen")).to_be_visible()  # the real iPad signs
    finally:
        ipad.close()
    page.locator("[data-ipad-status]").get_by_role("button", name="iPad vrijmaken").click()
    expect(preview.locator("[data-display-state=waiting]")).to_be_visible()
