"""Pages subscribe when they open and unsubscribe when the tab goes: nothing leaks."""

from playwright.sync_api import BrowserContext, expect

from tests.conftest import Shop
from tests.pages.conftest import log_in
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
    # one each, the list's line saying what the counter iPad shows follows the iPad too, and the board follows
    # the customers' open status pages ("klant kijkt mee")
    assert opened["pageSubscriptions"] == baseline["pageSubscriptions"] + 6
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
