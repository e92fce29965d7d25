"""The inspection on the work order page, in Chromium: the mechanic grades items with a finger on a 1024×768
tablet and photographs one through the page's own file input, the desk sends it, the customer's choices on the
phone appear live on the desk's page, and the declined item is offered again on the car's next order. Presence:
while the status page is open the desk's page and the board card say "klant kijkt mee", and a stream hears it."""

from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.api.billing import SHOP_SETTINGS
from tests.api.billing import expect as expect_status
from tests.conftest import Shop
from tests.pages.conftest import log_in
from tests.pages.test_inspection_pages import photo, sign_with_a_finger
from tests.server import wait_until

LIVE = 10_000  # ms: a waiting limit, not a speed: the customer's answer is one write of many lines, slower under load
# ms between the signature's last touch and the tap on "Bevestigen": Chromium makes no click of a tap that starts
# within its double-tap window (300 ms) of the drag before it (measured: 3 of 4 runs without a click); a finger
# takes longer than that to move, so this is the customer's pace, not a wait for the page
FINGER_LIFTED = 400
TABLET: dict[str, Any] = {"viewport": {"width": 1024, "height": 768}, "has_touch": True, "locale": "nl-NL"}


def item(page: Page, label_start: str) -> Locator:
    return page.locator("[data-section=keuring] [data-item-id]").filter(has_text=label_start)


def assert_finger_sized(page: Page, selector: str) -> None:
    """Every one at least 44 x 44 px, found and measured in one step in the page: an item redrawn by a live event (a
    note saved) replaces its buttons, and elements found first and measured after could be gone (0 x 0) by then."""
    sizes = page.evaluate(
        "selector => [...document.querySelectorAll(selector)].map(e => {"
        " const box = e.getBoundingClientRect(); return [box.width, box.height]; })",
        selector,
    )
    assert sizes and all(width >= 44 and height >= 44 for width, height in sizes), sizes


def advise(page: Page, row: Locator, description: str, minutes: str, price: str) -> None:
    row.locator("[data-advise]").tap()
    dialog = page.locator("[data-advice-dialog]")
    dialog.get_by_label("Wat moet er gebeuren").fill(description)
    dialog.get_by_label("Arbeid (minuten)").fill(minutes)
    dialog.get_by_label("Prijs voor de klant (incl. btw)").fill(price)
    dialog.get_by_role("button", name="Advies opslaan").tap()
    expect(row.locator("[data-advice]")).to_contain_text(f"€\xa0{price} incl. btw", timeout=LIVE)


def test_graded_at_the_tablet_sent_by_the_desk_answered_live(
    browser: Browser, context: BrowserContext, phone: BrowserContext, shop: Shop, staff: dict
) -> None:
    expect_status(shop.admin.put("/api/settings/shop", json=SHOP_SETTINGS), 200)
    order = shop.create(customer="Dhr. Keuring", description="Grote beurt")
    tablet = browser.new_context(**TABLET)
    mechanic = tablet.new_page()
    log_in(mechanic, shop.server.url, "jan", staff["jan"], f"/admin/workorders/{order['id']}")
    keuring = mechanic.locator("[data-section=keuring]")
    keuring.get_by_role("button", name="Keuring starten").tap()
    expect(keuring.locator("[data-item-id]")).to_have_count(16, timeout=LIVE)

    item(mechanic, "Verlichting").get_by_role("button", name="Groen").tap()
    expect(item(mechanic, "Verlichting")).to_have_attribute("data-grade", "groen", timeout=LIVE)
    brakes = item(mechanic, "Remmen voor")
    brakes.get_by_role("button", name="Rood").tap()
    expect(brakes).to_have_attribute("data-grade", "rood", timeout=LIVE)
    brakes.locator("input[type=file]").set_input_files(
        {"name": "IMG_0042.JPG", "mimeType": "image/jpeg", "buffer": photo()}
    )
    expect(brakes.locator("img")).to_have_count(1, timeout=LIVE)
    brakes.locator("img").scroll_into_view_if_needed()
    mechanic.wait_for_function(
        "document.querySelector('[data-section=keuring] img')?.naturalWidth > 0", timeout=LIVE
    )  # the thumbnail came through the staff's photo address
    assert brakes.locator("input[type=file]").get_attribute("capture") == "environment"
    advise(mechanic, brakes, "Remschijven voor", "90", "349,50")
    tyre = item(mechanic, "Band linksvoor")
    tyre.get_by_role("button", name="Oranje").tap()
    expect(tyre).to_have_attribute("data-grade", "oranje", timeout=LIVE)
    advise(mechanic, tyre, "Band linksvoor vervangen", "30", "129,00")
    for row, note in ((brakes, "2 mm"), (tyre, "1,6 mm")):
        row.get_by_label("Notitie").fill(note)
        row.get_by_label("Notitie").press("Tab")  # saved when the field is left
    keuring_controls = ", ".join(
        f"[data-section=keuring] {control}" for control in ("[data-grade-button]", "[data-camera]", "[data-advise]")
    )
    assert_finger_sized(mechanic, keuring_controls)
    expect(keuring.get_by_role("button", name="Verstuur naar klant")).to_have_count(0)  # the desk sends
    keuring.scroll_into_view_if_needed()
    mechanic.screenshot(path="/tmp/keuring-tablet.png")

    def graded() -> dict:
        inspection = shop.admin.get(f"/api/workorders/{order['id']}").json()["inspection"]
        return {i["label"]: (i["grade"], i["note"], len(i["photos"])) for i in inspection["items"] if i["grade"]}

    assert wait_until(lambda: graded()["Band linksvoor (profieldiepte in mm)"][1], 5, "the note saved")
    assert graded() == {
        "Verlichting": ("groen", None, 0),
        "Remmen voor (schijven en blokken)": ("rood", "2 mm", 1),
        "Band linksvoor (profieldiepte in mm)": ("oranje", "1,6 mm", 0),
    }

    desk = context.new_page()
    log_in(desk, shop.server.url, "balie", staff["balie"], f"/admin/workorders/{order['id']}")
    desk.locator("[data-section=keuring]").get_by_role("button", name="Verstuur naar klant").click()
    asked = desk.locator("[data-confirm=keuring-versturen]")
    expect(asked).to_contain_text("2 adviezen, samen €\xa0478,50 incl. btw")
    expect(asked.locator("[data-warning]")).to_contain_text(["13 punten zonder beoordeling"])
    asked.get_by_role("button", name="Versturen").click()
    expect(desk.locator("[data-section=keuring]")).to_have_attribute("data-inspection-status", "verstuurd")
    expect(keuring).to_have_attribute("data-inspection-status", "verstuurd", timeout=LIVE)  # the tablet too
    expect(keuring.locator("[data-grade-button]")).to_have_count(0)

    customer = phone.new_page()
    customer.goto(f"{shop.server.url}{order['statusUrl']}")
    brakes_id, tyre_id = item(desk, "Remmen voor").get_attribute("data-item-id"), tyre.get_attribute("data-item-id")
    customer.locator(f'[data-item-id="{brakes_id}"]').get_by_role("button", name="Akkoord").tap()
    customer.locator(f'[data-item-id="{tyre_id}"]').get_by_role("button", name="Niet nu").tap()
    customer.get_by_label("Naam").fill("Dhr. Keuring")
    sign_with_a_finger(phone, customer)
    expect(customer.get_by_role("button", name="Bevestigen")).to_be_enabled()
    customer.wait_for_timeout(FINGER_LIFTED)
    customer.get_by_role("button", name="Bevestigen").tap()
    expect(customer.get_by_text("Bedankt, we hebben uw keuze ontvangen.")).to_be_visible(timeout=LIVE)
    expect(item(desk, "Remmen voor").locator("[data-decision]")).to_have_text("Akkoord", timeout=LIVE)
    expect(item(desk, "Band linksvoor").locator("[data-decision]")).to_have_text("Niet nu", timeout=LIVE)
    expect(desk.locator("[data-section=keuring] [data-field=inspection]")).to_have_text(
        "De klant koos: 1 akkoord, 1 niet nu"
    )
    expect(desk.locator("[data-section=arbeid]")).to_contain_text("Remschijven voor", timeout=LIVE)

    body = {"customerId": order["customerId"], "licensePlate": order["licensePlate"], "description": "APK"}
    next_time = expect_status(shop.admin.post("/api/workorders", json=body), 201).json()
    desk.goto(f"{shop.server.url}/admin/workorders/{next_time['id']}")
    expect(desk.locator("[data-section=voertuig] [data-deferred]")).to_have_text(
        "Vorige keer uitgesteld: band linksvoor vervangen, 1,6 mm"
    )
    desk.goto(f"{shop.server.url}/admin/workorders/{order['id']}")  # on the order that declined it: not again
    expect(desk.locator("[data-section=keuring]")).to_be_visible()
    expect(desk.locator("[data-deferred]")).to_have_count(0)
    tablet.close()


def test_klant_kijkt_mee_while_the_status_page_is_open(
    browser: Browser, context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = shop.create(customer="Mevr. Meekijker")
    desk = context.new_page()
    log_in(desk, shop.server.url, "balie", staff["balie"], f"/admin/workorders/{order['id']}")
    root = desk.locator(f'[data-workorder-id="{order["id"]}"]:has([data-section=kop])')
    watching = root.get_by_text("klant kijkt mee")
    expect(watching).to_be_hidden()
    board = context.new_page()
    board.goto(f"{shop.server.url}/admin/workoverzicht")
    card = board.locator(f'[data-column] [data-workorder-id="{order["id"]}"]')
    expect(card).to_be_visible()
    expect(card).not_to_have_attribute("data-viewing", "1")

    with shop.stream(query=f"?workOrderId={order['id']}&changeType=presence") as stream:
        stream.next()  # connected
        phones = [browser.new_context(viewport={"width": 390, "height": 844}) for _ in range(2)]
        first = phones[0].new_page()
        first.goto(f"{shop.server.url}{order['statusUrl']}")
        expect(watching).to_be_visible(timeout=LIVE)
        expect(root).to_have_attribute("data-viewing", "1")
        expect(card).to_have_attribute("data-viewing", "1", timeout=LIVE)
        expect(card.get_by_text("klant kijkt mee")).to_be_visible()
        phones[1].new_page().goto(f"{shop.server.url}{order['statusUrl']}")
        expect(root).to_have_attribute("data-viewing", "2", timeout=LIVE)
        for context_ in phones:
            context_.close()
        expect(watching).to_be_hidden(timeout=LIVE)
        expect(card).not_to_have_attribute("data-viewing", "1", timeout=LIVE)
        heard = [message.json for message in stream.take(4)]
    assert [(m["type"], m["workOrderId"], m["viewing"]) for m in heard] == [
        ("presence", order["id"], 1), ("presence", order["id"], 2), ("presence", order["id"], 1),
        ("presence", order["id"], 0),
    ]  # fmt: skip
    history = shop.admin.get(f"/api/workorders/{order['id']}/events").json()
    assert history and "presence" not in {entry["changeType"] for entry in history}  # no part of the history
