"""Staff read the shop's words, never a developer's: with e-mail and the RDW lookups off (the shared test server
runs with neither SMTP_HOST nor an RDW), no page a staff member opens names a setting; and every button on the
desk's pages says in words (or a label) what it does."""

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.conftest import Shop
from tests.pages.conftest import log_in

DEVELOPER_WORDS = ("SMTP_HOST", "RDW_BASE_URL", "=off", "SMTP")
UNNAMED_BUTTONS = """(buttons) => buttons
    .filter((b) => b.offsetParent !== null)
    .filter((b) => !(b.innerText.trim() || b.getAttribute('aria-label') || b.getAttribute('title')))
    .map((b) => b.outerHTML.slice(0, 200))"""


@pytest.mark.parametrize("name", ["balie", "jan"])
def test_no_staff_page_names_a_setting(context: BrowserContext, shop: Shop, staff: dict, name: str) -> None:
    body = {"customerName": "Fam. Woorden", "customerEmail": "woorden@voorbeeld.nl", "licensePlate": "WD-123-W",
            "description": "Kleine beurt"}  # fmt: skip
    order = shop.admin.post("/api/workorders", json=body).json()
    shop.admin.post(f"/api/workorders/{order['id']}/parts", json={"description": "Oliefilter", "quantity": 1})
    page = context.new_page()
    log_in(page, shop.server.url, name, staff[name], f"/admin/workorders/{order['id']}")
    vehicle = page.locator("[data-section=voertuig]")
    expect(vehicle).to_contain_text("RDW-gegevens worden niet opgevraagd")  # not "worden opgevraagd…" forever
    mails = page.locator("[data-section=e-mails]")
    expect(mails.locator("[data-mail-off]")).to_have_text(
        "E-mail naar klanten staat uit. Vraag uw beheerder om het e-mailen in te stellen."
    )
    expect(mails.locator("[data-notification-status=uit]")).to_have_count(1)  # the `ontvangen` e-mail, not sent
    pages = {f"/admin/workorders/{order['id']}": f'[data-workorder-id="{order["id"]}"]',
             "/admin/workoverzicht": f'[data-column] [data-workorder-id="{order["id"]}"]',
             "/admin/workorders": f'tr[data-workorder-id="{order["id"]}"]',
             "/magazijn": "[data-supplier], main"}  # fmt: skip
    if name == "balie":
        pages |= {"/admin/instellingen": "[data-settings-form]", "/admin/verbindingen": "[data-details]"}
    for path, shown in pages.items():
        page.goto(f"{shop.server.url}{path}")
        expect(page.locator(shown).first).to_be_visible()
        html = page.content()
        assert not [word for word in DEVELOPER_WORDS if word in html], path
        if path != "/admin/workoverzicht":  # the board's buttons are measured with its touch targets
            assert page.locator("button, [role=button]").evaluate_all(UNNAMED_BUTTONS) == [], path
