"""The work order page's Afspraak and Werkpakketten in Chromium, on a server whose clock starts on Monday
7 December 2026, 10:00: the desk books a caller (packages, then one tap on a free slot), adds a package, sees an
order run late with the later appointment at risk, confirms a pick-up time the customer's page then shows, moves
the appointment and cancels it after being asked."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.api.billing import expect as expect_status
from tests.conftest import Shop
from tests.pages.conftest import browser, log_in, playwright  # noqa: F401  (the real-browser fixtures)
from tests.planning_shop import day_shop_fixture
from tests.server import seed_account

day_shop = day_shop_fixture()
LIVE = 3000  # ms
PASSWORD = "geheim-balie-123"
OIL = {"description": "Motorolie 5W-30", "quantity": 5, "unitPriceCents": 1450}


@pytest.fixture(scope="module")
def desk(day_shop: Shop) -> Shop:
    seed_account(day_shop.server.database_url, "balie", "admin", PASSWORD)
    return day_shop


@pytest.fixture(scope="module")
def service(desk: Shop) -> dict:
    """The shop's Kleine beurt: 90 minutes at the hourly rate and five litres of oil."""
    body = {"name": "Kleine beurt", "kind": "onderhoud", "labourMinutes": 90, "parts": [OIL]}
    return expect_status(desk.admin.post("/api/packages", json=body), 201).json()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context: BrowserContext = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="nl-NL")
    yield context.new_page()
    context.close()


def test_the_desk_books_a_caller_with_a_package_in_one_tap_on_a_free_slot(
    desk: Shop, service: dict, page: Page
) -> None:
    log_in(page, desk.server.url, "balie", PASSWORD, "/admin/workorders")
    page.get_by_role("button", name="Nieuwe werkorder").click()
    page.get_by_label("Kenteken").fill("hx-512-k")
    page.get_by_label("Klantnaam").fill("Mevr. Beller")
    page.get_by_label("Omschrijving").fill("Kleine beurt, klant belde")
    page.get_by_role("button", name="Maken en inplannen").click()
    page.wait_for_url(re.compile(r"/admin/workorders/\d+\?inplannen=1$"))
    order_id = int(page.url.split("/")[-1].split("?")[0])
    dialog = page.locator("[data-plan-dialog]")
    expect(dialog).to_be_visible()

    dialog.locator(f'[data-package-id="{service["id"]}"]').click()
    expect(dialog.get_by_label("Duur (minuten)")).to_have_value("90")
    slot = dialog.locator("[data-slot]").first
    expect(slot).to_be_visible(timeout=LIVE)
    offered = desk.admin.get("/api/planning/free", params={"minutes": 90, "count": 1}).json()[0]
    assert (slot.get_attribute("data-slot"), slot.get_attribute("data-mechanic")) == (
        offered["start"],
        offered["mechanic"],
    )
    box = slot.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    slot.click()
    expect(page.get_by_text(re.compile(r"WO-\d{4}-\d{4} ingepland"))).to_be_visible(timeout=LIVE)
    expect(dialog).to_be_hidden()

    saved = desk.admin.get(f"/api/workorders/{order_id}").json()
    appointment = saved["appointment"]
    assert (appointment["start"], appointment["mechanic"], appointment["minutes"]) == (
        offered["start"],
        offered["mechanic"],
        90,
    )
    assert [line["description"] for line in saved["labour"]] == ["Kleine beurt"]
    assert [(part["description"], part["unitPriceCents"]) for part in saved["parts"]] == [("Motorolie 5W-30", 1450)]
    section = page.locator('[data-section="afspraak"]')
    expect(section).to_have_attribute("data-planned-start", offered["start"])
    expect(section.locator("[data-field=mechanic]")).to_have_text(offered["mechanic"])
    expect(page.locator('[data-section="werkpakketten"] [data-order-package]')).to_have_text(["Kleine beurt"])
    history = page.locator('[data-section="geschiedenis"]')
    expect(history).to_contain_text("balie plande de auto in op ma 7 dec")

    page.locator('[data-section="werkpakketten"]').get_by_role("button", name="Werkpakket toevoegen").click()
    page.locator(f'.q-dialog [data-package-id="{service["id"]}"]').click()
    expect(page.get_by_text("Kleine beurt toegevoegd")).to_be_visible(timeout=LIVE)
    expect(page.locator('[data-section="werkpakketten"] [data-order-package]')).to_have_count(2, timeout=LIVE)
    expect(section.locator("[data-field=minutes]")).to_have_text("3 u", timeout=LIVE)  # the appointment grew


def test_overrun_at_risk_pickup_move_and_cancel(desk: Shop, page: Page) -> None:
    late, next_one = desk.create(description="Loopt uit"), desk.create(description="Daarna")
    path = f"/api/workorders/{late['id']}"
    body = {"start": "2026-12-07T08:00:00+01:00", "minutes": 30, "mechanic": "jan"}
    expect_status(desk.admin.put(f"{path}/appointment", json=body), 200)
    body = {"start": "2026-12-07T15:00:00+01:00", "minutes": 60, "mechanic": "jan"}
    expect_status(desk.admin.put(f"/api/workorders/{next_one['id']}/appointment", json=body), 200)
    status_page = page.context.new_page()
    status_page.goto(desk.server.url + late["statusUrl"])
    expect(status_page.locator("[data-appointment]")).to_contain_text("maandag 7 december om 08:00")
    expect(status_page.locator("[data-promised]")).to_be_hidden()

    log_in(page, desk.server.url, "balie", PASSWORD, f"/admin/workorders/{late['id']}")
    section = page.locator('[data-section="afspraak"]')
    expect(section.locator("[data-field=start]")).to_have_text("ma 7 dec 08:00")
    expect(section.locator("[data-field=promised]")).to_have_text("nog niet beloofd")
    expect(section.locator("[data-overrun]")).to_have_count(0)

    assert desk.server.clock is not None
    now = desk.server.clock.now()
    session = expect_status(desk.clients["monteur"].post(f"{path}/sessions", json={"mechanic": "jan"}), 201).json()
    worked = {
        "startedAt": (now - timedelta(minutes=50)).isoformat(),
        "endedAt": (now - timedelta(minutes=1)).isoformat(),
    }
    expect_status(desk.admin.patch(f"{path}/sessions/{session['id']}", json=worked), 200)
    overrun = section.locator("[data-overrun]")
    expect(overrun).to_contain_text("Loopt uit", timeout=LIVE)
    expect(overrun.locator(f"[data-at-risk='{next_one['id']}']")).to_contain_text("15:00 " + next_one["number"])
    expect(section.locator("[data-field=progress]")).to_have_text("Gewerkt: 49 min van 30 min gepland")

    overrun.get_by_role("button", name="Nieuwe ophaaltijd bevestigen").click()
    pickup = page.locator("[data-pickup-dialog]")
    pickup.get_by_label("Dag").fill("2026-12-07")
    pickup.get_by_label("Tijd").fill("16:30")
    pickup.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Ophaaltijd bevestigd: ma 7 dec 16:30")).to_be_visible(timeout=LIVE)
    expect(section.locator("[data-field=promised]")).to_have_text("ma 7 dec 16:30", timeout=LIVE)
    assert desk.admin.get(path).json()["appointment"]["promisedAt"] == "2026-12-07T15:30:00.000Z"
    expect(page.locator('[data-section="geschiedenis"]')).to_contain_text(
        "balie verplaatste de afspraak naar ma 7 dec 08:00 bij jan (ophalen ma 7 dec 16:30)"
    )
    expect(status_page.locator("[data-promised]")).to_have_text(
        "U kunt uw auto ophalen op maandag 7 december vanaf 16:30", timeout=LIVE
    )  # live, on the customer's own stream

    section.get_by_role("button", name="Verplaatsen").click()
    dialog = page.locator("[data-plan-dialog]")
    dialog.get_by_label("Dag").fill("2026-12-08")
    dialog.get_by_label("Tijd").fill("09:00")
    dialog.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De beloofde ophaaltijd is vervallen")).to_be_visible(timeout=LIVE)
    expect(section.locator("[data-field=start]")).to_have_text("di 8 dec 09:00", timeout=LIVE)
    expect(section.locator("[data-field=promised]")).to_have_text("nog niet beloofd")
    expect(status_page.locator("[data-appointment]")).to_contain_text("dinsdag 8 december om 09:00", timeout=LIVE)
    expect(status_page.locator("[data-promised]")).to_be_hidden()

    section.get_by_role("button", name="Afspraak annuleren").click()
    page.get_by_role("button", name="Nee, houden").click()
    expect(section.locator("[data-field=start]")).to_have_text("di 8 dec 09:00")
    section.get_by_role("button", name="Afspraak annuleren").click()
    page.get_by_role("button", name="Ja, annuleren").click()
    expect(page.get_by_text("Afspraak geannuleerd")).to_be_visible(timeout=LIVE)
    expect(section.locator("[data-field=appointment]")).to_have_text("Nog niet ingepland", timeout=LIVE)
    assert desk.admin.get(path).json()["appointment"] is None
    expect(status_page.locator("[data-appointment]")).to_be_hidden(timeout=LIVE)
