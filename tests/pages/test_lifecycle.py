"""Pages subscribe when they open and unsubscribe when the tab goes: nothing leaks. Screenshots for the docs."""

from playwright.sync_api import Browser, BrowserContext, expect

from tests.conftest import Shop
from tests.pages.conftest import IPAD, SCREENSHOTS, log_in
from tests.server import wait_until


def _diagnostics(shop: Shop) -> dict:
    response = shop.admin.get("/api/diagnostics")
    assert response.status_code == 200
    return response.json()


def test_closed_pages_leave_no_subscriptions(context: BrowserContext, shop: Shop, staff: dict) -> None:
    login = context.new_page()
    log_in(login, shop.server.url, "balie", staff["balie"], "/admin/workorders")
    login.close()
    # Pages of earlier tests that never connected their socket are pruned by NiceGUI after 60 s.
    wait_until(lambda: _diagnostics(shop)["pageSubscriptions"] == 0, 80, "earlier tabs to go", interval=0.5)
    baseline = _diagnostics(shop)
    pages = []
    for path in ("/admin/workorders", "/admin/workoverzicht", "/magazijn", "/display"):
        page = context.new_page()
        page.goto(f"{shop.server.url}{path}")
        expect(page.locator("#live-status[data-online=true]")).to_have_count(1 if path != "/display" else 0)
        pages.append(page)
    opened = _diagnostics(shop)
    assert opened["pageClients"] >= 4  # (a redirect-only client of the login may be pruned at any moment)
    assert opened["pageSubscriptions"] == baseline["pageSubscriptions"] + 4
    assert opened["broadcasterSubscribers"] == baseline["broadcasterSubscribers"]  # one relay serves all pages
    for page in pages:
        page.close()

    def released() -> bool:
        now = _diagnostics(shop)
        return (
            now["pageSubscriptions"] == baseline["pageSubscriptions"]
            and now["pageClients"] <= baseline["pageClients"]  # a redirect-only client may be pruned meanwhile
            and now["broadcasterSubscribers"] == baseline["broadcasterSubscribers"]
        )

    wait_until(released, 15, f"subscriptions back to {baseline}")


def test_page_screenshots(browser: Browser, shop: Shop, staff: dict) -> None:
    """Desktop and iPad screenshots of every page, for the README (docs/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    waiting = shop.create(customer="Fam. Jansen", description="APK-keuring en grote beurt; remblokken voor vervangen.")
    shop.admin.patch(f"/api/workorders/{waiting['id']}/column", json={"column": "Wacht op onderdelen"})
    parts_path = f"/api/workorders/{waiting['id']}/parts"
    pads = shop.admin.post(
        parts_path,
        json={"description": "Remblokken voor", "quantity": 1, "articleNumber": "BP-4711", "supplier": "Van Dam"},
    ).json()
    shop.admin.patch(
        f"{parts_path}/{pads['id']}",
        json={"status": "besteld", "expectedAt": "2026-12-03", "supplierReference": "VD-88", "unitPriceCents": 6450},
    )
    shop.admin.post(parts_path, json={"description": "Remschijven voor", "quantity": 2, "supplier": "Van Dam"})
    running = shop.create(customer="R. Visser", description="Distributieriem vervangen")
    shop.admin.patch(f"/api/workorders/{running['id']}/column", json={"column": "Onder handen"})
    shop.admin.post(f"/api/workorders/{running['id']}/sessions", json={"mechanic": "jan"})
    for size, options in (("desktop", {"viewport": {"width": 1440, "height": 900}}), ("ipad", IPAD)):
        context = browser.new_context(**options)
        try:
            page = context.new_page()
            page.goto(f"{shop.server.url}/login")
            page.screenshot(path=SCREENSHOTS / f"login-{size}.png")
            log_in(page, shop.server.url, "balie", staff["balie"], "/admin/workorders")
            for name, path, ready in (
                ("workorders", "/admin/workorders", "tr[data-workorder-id]"),
                ("workoverzicht", "/admin/workoverzicht", "[data-column] [data-timer]"),
                ("magazijn", "/magazijn", "[data-workorder-id]"),
                ("werkorder", f"/admin/workorders/{waiting['id']}", "[data-section=onderdelen] [data-part-id]"),
            ):
                page.goto(f"{shop.server.url}{path}")
                expect(page.locator(ready).first).to_be_visible()
                page.screenshot(path=SCREENSHOTS / f"{name}-{size}.png")
            shop.admin.put("/api/display/current", json={"workOrderId": waiting["id"]})
            page.goto(f"{shop.server.url}/display")
            expect(page.get_by_role("button", name="Ondertekenen")).to_be_visible()
            page.screenshot(path=SCREENSHOTS / f"display-{size}.png")
        finally:
            context.close()
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 12
