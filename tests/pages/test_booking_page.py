"""/afspraak on a phone (390×844, touch) in Chromium, on a server whose clock starts on Monday 7 December 2026,
10:00 at the shop: the plate first (the RDW-shaped server names the car), a package with its price, a free start,
name and e-mail, and the booking appears at once on an open planning page; a start taken meanwhile is said in
Dutch and the next free one offered, one tap to take it; the booking's own page cancels it."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.api.billing import expect as expect_status
from tests.booking_shop import BookingShop, booking_shop_fixture
from tests.pages.conftest import browser, log_in, playwright  # noqa: F401  (the real-browser fixtures)
from tests.server import seed_account

booking_shop = booking_shop_fixture()
LIVE = 5000  # ms: the machine is shared
PASSWORD = "geheim-balie-123"
SHOTS = Path("/tmp/afspraak-screenshots")


@pytest.fixture(scope="module")
def desk(booking_shop: BookingShop) -> BookingShop:
    database = booking_shop.shop.server.database_url
    seed_account(database, "balie", "admin", PASSWORD)
    return booking_shop


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def choose_car_and_package(page: Page, shop: BookingShop, package: str) -> None:
    page.goto(f"{shop.url}/afspraak")
    page.get_by_label("Kenteken").fill("gz-183-v")
    shot(page, "1-kenteken")
    page.get_by_role("button", name="Zoek").tap()
    expect(page.locator("[data-car]")).to_have_text("Volkswagen Golf, grijs", timeout=LIVE)
    page.locator("[data-package-id]", has_text=package).tap()
    expect(page.locator("[data-slot]").first).to_be_visible(timeout=LIVE)


def fill_in_details(page: Page, name: str, email: str) -> None:
    page.get_by_label("Naam").fill(name)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Telefoonnummer").fill("06 1234 5678")


def test_a_booking_on_a_phone_appears_on_the_open_planning_page(
    desk: BookingShop, phone: BrowserContext, office: BrowserContext
) -> None:
    desk.at_opening()
    planner = office.new_page()
    log_in(planner, desk.url, "balie", PASSWORD, "/admin/planning")
    blocks = planner.locator("[data-appointment-id]")
    before = blocks.count()

    page = phone.new_page()
    choose_car_and_package(page, desk, "Kleine beurt")
    expect(page.locator("[data-package-id]", has_text="Kleine beurt")).to_contain_text("€ 166,38")
    expect(page.get_by_text("Samen € 166,38")).to_be_visible()
    shot(page, "2-tijden")
    slot = page.locator("[data-slot]").first
    start = slot.get_attribute("data-slot")
    assert start == "2026-12-07T09:00:00.000Z"  # today 10:00 at the shop, in ISO
    expect(slot).to_have_text("10:00")
    expect(page.get_by_role("heading", name="maandag 7 december")).to_be_visible()
    slot.tap()
    fill_in_details(page, "Bram Bakker", "bram@example.nl")
    expect(page.locator("#summary")).to_contain_text("maandag 7 december om 10:00")
    shot(page, "3-gegevens")
    page.get_by_role("button", name="Afspraak maken").tap()
    expect(page.get_by_role("heading", name="Uw afspraak staat")).to_be_visible(timeout=LIVE)
    expect(page.locator("#booked-text")).to_contain_text("maandag 7 december om 10:00, werkorder WO-2026-")
    shot(page, "4-bevestigd")

    expect(blocks).to_have_count(before + 1, timeout=LIVE)
    booked = planner.locator(f'[data-appointment-id][data-start="{start}"]')
    expect(booked).to_have_count(1)
    expect(booked).to_have_attribute("data-minutes", "60")


def test_a_start_taken_meanwhile_is_said_and_the_next_one_offered(desk: BookingShop, phone: BrowserContext) -> None:
    desk.at_opening()
    page = phone.new_page()
    choose_car_and_package(page, desk, "APK")
    wanted = page.locator("[data-slot]").first.get_attribute("data-slot")
    page.locator("[data-slot]").first.tap()
    fill_in_details(page, "Carla Smit", "carla@example.nl")
    apk = {"licensePlate": "XG771B", "packageIds": [desk.apk], "start": wanted, "name": "Ander", "email": "a@b.nl"}
    with desk.stranger() as other_phones:  # meanwhile the others take every mechanic at that start
        while other_phones.post("/api/booking", json=apk).status_code == 201:
            pass
    page.get_by_role("button", name="Afspraak maken").tap()
    error = page.locator("#confirm-error")
    expect(error).to_contain_text("Deze tijd is net door iemand anders geboekt.", timeout=LIVE)
    expect(error).to_contain_text("De eerstvolgende vrije tijd is maandag 7 december om 10:45.")
    shot(page, "5-bezet")
    page.get_by_role("button", name=re.compile("^Neem maandag 7 december om 10:45")).tap()
    expect(page.get_by_role("heading", name="Uw afspraak staat")).to_be_visible(timeout=LIVE)
    expect(page.locator("#booked-text")).to_contain_text("maandag 7 december om 10:45")
    number = page.locator("#booked-text").inner_text().split("werkorder ")[1].rstrip(".")
    order = expect_status(desk.shop.admin.get("/api/workorders", params={"q": number}), 200).json()[0]
    assert (order["customer"]["name"], order["appointment"]["start"]) == ("Carla Smit", "2026-12-07T09:45:00.000Z")


def test_the_bookings_own_page_cancels_it(desk: BookingShop, phone: BrowserContext) -> None:
    with desk.stranger() as client:
        start = client.get("/api/booking/slots", params={"packages": desk.apk}).json()[0]["start"]
        made = expect_status(
            client.post(
                "/api/booking",
                json={
                    "licensePlate": "GH512K",
                    "packageIds": [desk.apk],
                    "start": start,
                    "name": "Dirk",
                    "email": "d@k.nl",
                },
            ),
            201,
        ).json()
    order = expect_status(desk.shop.admin.get("/api/workorders", params={"q": made["number"]}), 200).json()[0]
    mail = desk.smtp.inbox
    from tests.server import wait_until

    letter = wait_until(
        lambda: next((m for m in mail.messages() if m["To"] == "d@k.nl"), None), 15, "the confirmation e-mail"
    )
    link = re.search(r"https://garage\.example(/afspraak/beheer/\S+)", letter.get_body(("plain",)).get_content())
    assert link is not None
    page = phone.new_page()
    page.goto(desk.url + link.group(1))
    expect(page.get_by_role("heading", name="Uw afspraak")).to_be_visible()
    expect(page.locator("#booking")).to_contain_text("Opel Corsa, rood, kenteken GH-512-K")
    page.get_by_role("button", name="Afspraak annuleren").tap()
    page.get_by_role("button", name="Ja, annuleren").tap()
    expect(page.get_by_role("heading", name="Uw afspraak is geannuleerd")).to_be_visible(timeout=LIVE)
    shot(page, "6-geannuleerd")
    assert expect_status(desk.shop.admin.get(f"/api/workorders/{order['id']}"), 200).json()["appointment"] is None
    page.get_by_role("link", name="Nieuwe afspraak maken").tap()
    expect(page.locator("[data-car]")).to_have_text("Opel Corsa, rood", timeout=LIVE)  # the same car again
