"""The customer's status page on a phone, in Chromium: plain Dutch, the car, live as the board moves (and the
screenshot for the README); and the e-mails on the work order page as the desk sees them."""

import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from playwright.sync_api import BrowserContext, Page, expect

from services.plates import format_plate
from tests.api.billing import SHOP_SETTINGS, complete_shop
from tests.conftest import Shop
from tests.pages.conftest import SCREENSHOTS, log_in
from tests.rdw_server import demo_rdw
from tests.server import Server

LIVE = 2000  # ms


def test_the_status_page_on_a_phone_follows_the_board(phone: BrowserContext, tmp_path: Path) -> None:
    yaris_only = demo_rdw(date(2026, 12, 1))  # the Yaris's dates are fixed: any day will do
    with yaris_only as rdw, Server(f"sqlite:///{tmp_path / 'w.db'}", env={"RDW_BASE_URL": rdw.url}) as server:
        token = server.token("admin")
        with server.client(token) as admin:
            body = {"customerName": "Mevr. Yaris", "licensePlate": "XG-771-B", "description": "Grote beurt"}
            order = admin.post("/api/workorders", json=body).json()
            page = phone.new_page()
            page.goto(f"{server.url}{order['statusUrl']}")
            stage = page.locator("[data-stage]")
            expect(stage).to_have_attribute("data-stage", "gepland")
            expect(stage).to_have_text("Uw auto staat gepland")
            expect(page.locator("#car")).to_have_text("Toyota Yaris, blauw", timeout=5000)  # the RDW answered later

            path = f"/api/workorders/{order['id']}"
            admin.patch(f"{path}/column", json={"column": "Onder handen"})
            expect(stage).to_have_attribute("data-stage", "in-uitvoering", timeout=LIVE)
            expect(stage).to_have_text("We werken aan uw auto")
            part = admin.post(f"{path}/parts", json={"description": "Distributieriem", "quantity": 1}).json()
            admin.patch(f"{path}/parts/{part['id']}", json={"status": "besteld", "expectedAt": "2026-12-03"})
            admin.patch(f"{path}/column", json={"column": "Wacht op onderdelen"})
            expect(stage).to_have_text("Wacht op onderdelen, verwacht 3 december", timeout=LIVE)
            expect(page.locator("[data-step=wacht-op-onderdelen]")).to_have_class("current")
            expect(page.locator("#invoice")).to_be_hidden()
            page.screenshot(path=SCREENSHOTS / "status-page.png", full_page=True)
            admin.patch(f"{path}/column", json={"column": "Klaar"})
            expect(stage).to_have_attribute("data-stage", "klaar", timeout=LIVE)
            expect(stage).to_have_text("Klaar om op te halen")
            assert "test-admin" not in page.content()


def email_section(page: Page) -> Any:
    return page.locator("[data-section=e-mails]")


def test_the_order_page_lists_the_emails_and_the_desk_resends(context: BrowserContext, shop: Shop, staff: dict) -> None:
    response = shop.admin.post(
        "/api/workorders",
        json={"customerName": "Mevr. Mail", "customerEmail": "mail@example.nl", "licensePlate": "ML-01-AB",
              "description": "APK"},
    )  # fmt: skip
    order = response.json()
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], f"/admin/workorders/{order['id']}")
    mails = email_section(page)
    expect(mails.locator("[data-mail-off]")).to_be_visible()  # the shared test server has no SMTP_HOST
    rows = mails.locator("[data-notification-id]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-notification-status", "uit")
    expect(rows.first).to_contain_text("Aanmelding · mail@example.nl")

    rows.first.get_by_role("button", name="Opnieuw versturen").click()
    expect(rows).to_have_count(2, timeout=LIVE)
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
    expect(rows).to_have_count(3, timeout=LIVE)
    expect(rows.first).to_contain_text("Auto klaar")
    expect(page.locator("[data-change-type=notification]")).to_have_count(3)


def test_a_customer_without_an_address_is_said_and_a_mechanic_cannot_resend(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = shop.create(customer="Dhr. Zonder Mail")
    page = context.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], f"/admin/workorders/{order['id']}")
    mails = email_section(page)
    expect(mails.locator("[data-no-email]")).to_have_text(re.compile("geen e-mailadres"))
    expect(mails.get_by_role("button", name="Opnieuw versturen")).to_have_count(0)


def test_the_desk_sets_the_garages_contact_and_shares_the_status_link_that_calls_the_garage(
    context: BrowserContext, phone: BrowserContext, shop: Shop, staff: dict
) -> None:
    complete_shop(shop)
    order = shop.create(customer="Mevr. Bellen")
    desk = context.new_page()
    log_in(desk, shop.server.url, "balie", staff["balie"], "/admin/instellingen")
    desk.get_by_label("Telefoonnummer").fill("bel me maar")
    desk.get_by_role("button", name="Opslaan").click()
    expect(desk.locator(".q-field", has=desk.get_by_label("Telefoonnummer"))).to_contain_text("geen geldig")
    desk.get_by_label("Telefoonnummer").fill("030 - 765 43 21")
    desk.get_by_label("Openingstijden").fill("ma–vr 07:30–18:00")
    desk.get_by_role("button", name="Opslaan").click()
    expect(desk.get_by_text("Instellingen opgeslagen")).to_be_visible()
    saved = shop.admin.get("/api/settings/shop").json()
    assert (saved["phone"], saved["openingHours"]) == ("030 - 765 43 21", "ma–vr 07:30–18:00")

    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=shop.server.url)
    desk.goto(f"{shop.server.url}/admin/workorders/{order['id']}")
    share = desk.locator("[data-status-link]")
    share.get_by_role("button", name="Statuslink kopiëren").click()
    expect(desk.get_by_text("Statuslink gekopieerd")).to_be_visible()
    link = f"http://localhost:8080{order['statusUrl']}"  # PUBLIC_URL, the address customers reach
    assert desk.evaluate("navigator.clipboard.readText()") == link
    whatsapp = share.get_by_role("link", name="Delen via WhatsApp").get_attribute("href") or ""
    assert whatsapp.startswith("https://wa.me/?text=")
    text = unquote(whatsapp.removeprefix("https://wa.me/?text="))
    plate = format_plate(order["licensePlate"])  # as on the car: TS-100-X
    assert text == f"Hallo, via deze link volgt u live hoe het met uw auto ({plate}) gaat: {link}"

    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
    page = phone.new_page()
    page.goto(f"{shop.server.url}{order['statusUrl']}")
    expect(page.locator("[data-stage]")).to_have_text("Klaar om op te halen")
    garage = page.locator("[data-garage]")
    expect(garage).to_contain_text(str(SHOP_SETTINGS["name"]))
    expect(garage).to_contain_text("ma–vr 07:30–18:00")
    call = garage.get_by_role("link", name="Bel 030 - 765 43 21")
    expect(call).to_have_attribute("href", "tel:0307654321")
    box = call.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    complete_shop(shop)
