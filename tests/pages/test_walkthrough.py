"""A day in the shop, walked through in Chromium the way its people use it, each on their own device: the desk on a
desktop makes the order from a plate, prices a part and the expected labour and sends it to the counter iPad; the
customer signs with a finger; the mechanic on a 1024×768 tablet starts the clock and asks for a part; the warehouse
orders and receives it; the mechanic moves the car to Klaar; the desk takes over the hours and invoices; the customer
follows it all on their phone. Its screenshots are the README's (docs/screenshots/dag-*.png)."""

import re
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.api.billing import complete_shop
from tests.conftest import Shop
from tests.pages.conftest import IPAD, PHONE, SCREENSHOTS, log_in, sign_with_a_finger
from tests.pages.test_board import TABLET

LIVE = 5000  # ms: every page follows the others live
DESKTOP: dict[str, Any] = {"viewport": {"width": 1440, "height": 900}, "locale": "nl-NL"}


def move(mechanic: httpx.Client, order_id: int, column: str) -> None:
    assert mechanic.patch(f"/api/workorders/{order_id}/column", json={"column": column}).status_code == 200


def shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"dag-{name}.png")


@pytest.mark.timeout(360)  # seven people's devices, one after the other
def test_a_day_in_the_shop(browser: Browser, shop: Shop, staff: dict) -> None:
    complete_shop(shop)
    shop.admin.put("/api/display/current", json={"workOrderId": None})  # the counter iPad starts waiting
    desk_context, ipad_context = browser.new_context(**DESKTOP), browser.new_context(**IPAD)
    tablet_context, phone_context = browser.new_context(**TABLET), browser.new_context(**PHONE)
    warehouse_context = browser.new_context(**TABLET)  # the warehouse's own tablet
    try:
        ipad = ipad_context.new_page()
        ipad.goto(f"{shop.server.url}/display?token={shop.tokens['display']}")
        expect(ipad.locator("[data-display-state=waiting]")).to_be_visible()

        # The desk makes the order from the plate, with the customer's details.
        desk = desk_context.new_page()
        log_in(desk, shop.server.url, "balie", staff["balie"], "/admin/workorders")
        desk.get_by_role("button", name="Nieuwe werkorder").click()
        dialog = desk.get_by_role("dialog")
        dialog.get_by_label("Kenteken").fill("HX-512-T")
        dialog.get_by_label("Klantnaam").fill("Fam. Dagelijks")
        dialog.get_by_label("E-mail").fill("dagelijks@example.nl")
        dialog.get_by_text("Adres (optioneel)").click()
        dialog.get_by_label("Straat en huisnummer").fill("Dorpsstraat 8")
        dialog.get_by_label("Postcode").fill("3511 AB")
        dialog.get_by_label("Plaats").fill("Utrecht")
        dialog.get_by_label("Omschrijving").fill("Remmen voor piepen; kleine beurt")
        dialog.get_by_role("button", name="Aanmaken").click()
        desk.wait_for_url(re.compile(r"/admin/workorders/\d+$"))
        order_id = int(desk.url.rsplit("/", 1)[1])
        order = shop.admin.get(f"/api/workorders/{order_id}").json()

        # A priced part and the expected labour, then to the iPad.
        parts = desk.locator("[data-section=onderdelen]")
        parts.get_by_role("button", name="Onderdeel", exact=True).click()
        dialog = desk.get_by_role("dialog")
        dialog.get_by_label("Omschrijving").fill("Remblokkenset voor")
        dialog.get_by_label("Prijs per stuk (excl. btw)").fill("64,50")
        dialog.get_by_role("button", name="Toevoegen").click()
        expect(parts.locator("[data-part-id]")).to_have_count(1, timeout=LIVE)
        labour = desk.locator("[data-section=arbeid]")
        labour.get_by_role("button", name="Arbeid").click()
        dialog = desk.get_by_role("dialog")
        dialog.get_by_label("Omschrijving").fill("Remblokken voor vervangen")
        dialog.get_by_label("Minuten").fill("60")
        dialog.get_by_role("button", name="Toevoegen").click()
        expect(labour.locator("[data-labour-id]")).to_have_count(1, timeout=LIVE)
        total = "€\xa0183,92"  # (64,50 + 87,50) × 1,21
        expect(desk.locator("[data-section=totalen] [data-field=including-vat]")).to_have_text(total)
        shot(desk, "1-balie-werkorder")
        desk.get_by_role("button", name="Naar iPad").click()

        # The customer signs at the counter, with a finger.
        expect(ipad.locator(f'[data-display-state=order][data-workorder-id="{order_id}"]')).to_be_visible(timeout=LIVE)
        expect(ipad.get_by_text(total)).to_be_visible()
        sign_with_a_finger(ipad_context, ipad)
        ipad.get_by_label("Naam").fill("J. Dagelijks")
        shot(ipad, "2-ipad-handtekening")
        ipad.get_by_role("button", name="Ondertekenen").click()
        expect(ipad.get_by_text("Bedankt, J. Dagelijks!")).to_be_visible()

        # The customer follows it on their phone.
        phone = phone_context.new_page()
        phone.goto(f"{shop.server.url}{order['statusUrl']}")
        stage = phone.locator("[data-stage]")

        # The mechanic starts the clock on the tablet and asks for a part.
        board = tablet_context.new_page()
        log_in(board, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
        expect(board.locator(f'[data-column="Auto binnen"] [data-workorder-id="{order_id}"]')).to_be_visible(
            timeout=LIVE
        )
        card = board.locator(f'[data-column] [data-workorder-id="{order_id}"]')
        card.get_by_role("button", name="Start").tap()
        expect(card.locator("[data-timer]")).to_be_visible(timeout=LIVE)
        move(shop.clients["monteur"], order_id, "Onder handen")  # the car goes into the workshop
        expect(board.locator(f'[data-column="Onder handen"] [data-workorder-id="{order_id}"]')).to_be_visible(
            timeout=LIVE
        )
        card.get_by_role("button", name="Onderdeel toevoegen").tap()
        dialog = board.get_by_role("dialog")
        dialog.get_by_label("Omschrijving").fill("Remschijven voor")
        dialog.get_by_label("Aantal").fill("2")
        dialog.get_by_role("button", name="Toevoegen").tap()
        expect(card).to_have_attribute("data-parts", "0/2", timeout=LIVE)
        shot(board, "3-monteur-bord")

        # The warehouse orders the discs (pricing them) and receives both parts.
        warehouse = warehouse_context.new_page()
        log_in(warehouse, shop.server.url, "mila", staff["mila"], "/magazijn")
        for part in shop.admin.get(f"/api/workorders/{order_id}").json()["parts"]:
            row = warehouse.locator(f'[data-part-id="{part["id"]}"]')
            row.get_by_role("button", name="Besteld").tap()
            dialog = warehouse.get_by_role("dialog")
            if part["unitPriceCents"] is None:
                dialog.get_by_label("Prijs per stuk (excl. btw)").fill("89,00")
            dialog.get_by_label("Verwacht op").fill("2027-01-08")
            dialog.get_by_role("button", name="Opslaan").tap()
            expect(row).to_have_attribute("data-part-status", "besteld", timeout=LIVE)
            expect(dialog).to_be_hidden()
        shot(warehouse, "4-magazijn")
        for part in shop.admin.get(f"/api/workorders/{order_id}").json()["parts"]:
            row = warehouse.locator(f'[data-part-id="{part["id"]}"]')
            row.get_by_role("button", name="Ontvangen").tap()
            expect(row).to_have_count(0, timeout=LIVE)  # received: off the desk's list
        expect(card).to_contain_text("Alle onderdelen binnen", timeout=LIVE)

        # The discs took the total past the signed one by more than 10 %: the desk calls, the customer agrees.
        expect(card).to_have_attribute("data-needs-approval", "true", timeout=LIVE)
        desk.get_by_role("button", name="Telefonische toestemming").click()
        dialog = desk.get_by_role("dialog")
        dialog.get_by_label("Naam").fill("J. Dagelijks")
        dialog.get_by_label("Notitie").fill("Akkoord met remschijven voor, gebeld om 11:20")
        dialog.get_by_role("button", name="Vastleggen").click()
        expect(card).not_to_have_attribute("data-needs-approval", "true", timeout=LIVE)

        # The mechanic moves the car to Klaar (a finger's drag across the board is tested in test_board.py and
        # test_browser.py): the clock stops, the tablet and the customer's phone show it.
        move(shop.clients["monteur"], order_id, "Klaar")
        done = board.locator(f'[data-column="Klaar"] [data-workorder-id="{order_id}"]')
        expect(done).to_be_visible(timeout=LIVE)
        expect(done.locator("[data-timer]")).to_have_count(0)
        expect(stage).to_have_attribute("data-stage", "klaar", timeout=LIVE)

        # jan's clock ran for the seconds this test took; the desk corrects it to the 47 minutes he worked.
        [stopped] = [e["session"] for e in shop.admin.get(f"/api/workorders/{order_id}/events").json()
                     if e["changeType"] == "session" and e["action"] == "stopped"]  # fmt: skip
        ended = datetime.fromisoformat(stopped["endedAt"])
        body = {"startedAt": (ended - timedelta(minutes=47)).isoformat()}
        assert shop.admin.patch(f"/api/workorders/{order_id}/sessions/{stopped['id']}", json=body).status_code == 200

        # The desk replaces the estimated hour by the clocked time (47 minutes, rounded up to the billing unit: 1 u),
        # so the total is what the customer agreed to, and invoices.
        labour.locator("[data-labour-id]").get_by_role("button", name="Verwijder").click()
        desk.get_by_role("dialog").get_by_role("button", name="Verwijderen").click()
        expect(labour.locator("[data-labour-id]")).to_have_count(0, timeout=LIVE)
        labour.get_by_role("button", name="Uren overnemen").click()
        desk.get_by_role("dialog").get_by_role("button", name="Overnemen").click()
        expect(labour.locator("[data-labour-id]")).to_have_count(1, timeout=LIVE)
        expect(desk.locator("[data-section=totalen] [data-field=including-vat]")).to_have_text("€\xa0399,30")
        invoice = desk.locator("[data-section=factuur]")
        invoice.get_by_role("button", name="Factureren").click()
        question = desk.get_by_role("dialog")
        expect(question).to_contain_text(re.compile(r"Factuur \d{4}-\d{4} maken\?"))
        shot(desk, "5-balie-factureren")
        expect(question.locator("[data-warning]")).to_have_count(0)  # priced, approved, no clock running
        question.get_by_role("button", name="Factureren").click()
        expect(invoice).to_contain_text(re.compile(r"\d{4}-\d{4}"), timeout=LIVE)

        # The customer's phone: ready, the invoice, and the garage to call.
        expect(phone.locator("#invoice")).to_be_visible(timeout=LIVE)
        expect(phone.locator('a[href^="tel:"]')).to_be_visible()
        phone.screenshot(path=SCREENSHOTS / "dag-6-klant-telefoon.png", full_page=True)
        shot(desk, "7-balie-gefactureerd")
    finally:
        for context in (desk_context, ipad_context, tablet_context, warehouse_context, phone_context):
            context.close()
