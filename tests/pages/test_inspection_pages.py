"""The customer's inspection on a phone, in Chromium: green items in one line, the others with lazy thumbnails,
notes and prices; two of three recommendations approved with finger taps and a finger signature, the new total on
the way; the parts desk shows the approved part live, the hash recomputed from the API matches, and the declined
item is on the vehicle's next order."""

import io

from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from tests.api.billing import SHOP_SETTINGS, contract_sha256, order
from tests.api.billing import expect as expect_status
from tests.api.inspection import grade, item_of, send, start
from tests.api.test_inspection_answer import BRAKES
from tests.conftest import Shop
from tests.pages.conftest import SCREENSHOTS, log_in

LIVE = 3000  # ms


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (180, 60, 40)).save(out, "JPEG")
    return out.getvalue()


def sign_with_a_finger(context: BrowserContext, page: Page) -> None:
    page.locator("#signature").scroll_into_view_if_needed()
    box = page.locator("#signature").bounding_box()
    assert box is not None
    cdp = context.new_cdp_session(page)
    x, y = box["x"] + 30, box["y"] + box["height"] / 2
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 25):
        point = {"x": x + step * 10, "y": y + (15 if step % 2 else -15)}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_the_customer_approves_two_of_three_on_a_phone(
    phone: BrowserContext, context: BrowserContext, shop: Shop, staff: dict
) -> None:
    expect_status(shop.admin.put("/api/settings/shop", json=SHOP_SETTINGS), 200)
    work_order = shop.create(customer="Mevr. de Vries")
    inspection = start(shop, work_order)
    for label in ("Verlichting", "Accu", "Uitlaat"):
        grade(shop, inspection, item_of(inspection, label), grade="groen")
    brakes_item = item_of(inspection, "Remmen voor")
    grade(shop, inspection, brakes_item, grade="rood", note="Remschijven 2 mm, onder de grens",
          recommendation={"description": "Remschijven voor", "priceCents": 34950, **BRAKES})  # fmt: skip
    wipers = grade(shop, inspection, item_of(inspection, "Ruitenwissers"), grade="oranje",
                   recommendation={"description": "Ruitenwissers vervangen", "priceCents": 4500})  # fmt: skip
    tyre_item = item_of(inspection, "Band linksvoor")
    grade(shop, inspection, tyre_item, grade="rood", note="1,6 mm",
          recommendation={"description": "Band linksvoor vervangen", "priceCents": 12900})  # fmt: skip
    photos = f"/api/inspections/{inspection['id']}/items/{brakes_item['id']}/photos"
    for _ in range(2):
        shop.clients["monteur"].post(photos, files={"file": ("remmen.jpg", photo(), "image/jpeg")})
    send(shop, inspection)
    wipers_item = item_of(wipers, "Ruitenwissers")

    desk = context.new_page()
    log_in(desk, shop.server.url, "mila", staff["mila"], "/magazijn")
    page = phone.new_page()
    page.goto(f"{shop.server.url}{work_order['statusUrl']}")
    section = page.locator("#inspection")
    expect(section.locator("[data-green]")).to_have_text("In orde: Verlichting, Accu, Uitlaat")
    brakes = section.locator(f'[data-item-id="{brakes_item["id"]}"]')
    expect(brakes.locator("img")).to_have_count(2)
    expect(brakes.locator("img").first).to_have_attribute("loading", "lazy")
    expect(brakes).to_contain_text("Remschijven 2 mm, onder de grens")
    expect(brakes).to_contain_text("€\xa0349,50")
    page.wait_for_function("document.querySelector('#inspection img').naturalWidth > 0")  # the photo loads
    confirm = page.get_by_role("button", name="Bevestigen")
    expect(confirm).to_be_disabled()

    brakes.get_by_role("button", name="Akkoord").tap()
    section.locator(f'[data-item-id="{wipers_item["id"]}"]').get_by_role("button", name="Akkoord").tap()
    section.locator(f'[data-item-id="{tyre_item["id"]}"]').get_by_role("button", name="Niet nu").tap()
    expect(page.locator("#new-total")).to_have_text("€\xa0394,50")  # 349,50 + 45,00: what the customer saw
    page.get_by_label("Naam").fill("Mevr. de Vries")
    expect(confirm).to_be_disabled()  # not signed yet
    sign_with_a_finger(phone, page)
    expect(confirm).to_be_enabled()
    for button in page.locator(".choice, #confirm").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    page.screenshot(path=SCREENSHOTS / "status-inspection.png", full_page=True)
    confirm.tap()
    expect(page.get_by_text("Bedankt, we hebben uw keuze ontvangen.")).to_be_visible(timeout=LIVE)

    expect(desk.get_by_text("Remschijven voor (set)")).to_be_visible(timeout=LIVE)  # the parts desk, live
    after = order(shop, work_order["id"])
    approval = after["approval"]
    assert approval["method"] == "online" and approval["snapshotSha256"] == contract_sha256(approval["snapshot"])
    assert approval["approvedTotalCents"] == after["totals"]["includingVatCents"] == 39450
    assert [line["description"] for line in after["labour"]] == ["Remschijven voor", "Ruitenwissers vervangen"]
    next_time = shop.admin.post("/api/workorders", json={
        "customerId": work_order["customerId"], "licensePlate": work_order["licensePlate"], "description": "APK"
    }).json()  # fmt: skip
    assert [d["description"] for d in next_time["vehicle"]["deferred"]] == ["Band linksvoor vervangen, 1,6 mm"]
    page.reload()
    expect(page.locator("#answered")).to_be_visible()
    expect(page.get_by_role("button", name="Bevestigen")).to_have_count(0)
