"""/admin/dashboard in Chromium: every chart is there (data-chart), an invoice issued elsewhere shows on the open
dashboard at once (the revenue, the invoice count), the period picker re-reads, and only the desk sees it."""

import re

from playwright.sync_api import BrowserContext, expect

from services.billing import euro
from tests.api.billing import expect as expect_status
from tests.api.payments import complete_settings, invoiced
from tests.conftest import Shop
from tests.pages.conftest import log_in

LIVE = 5000  # ms: the suite's live wait on a shared machine
CHARTS = ["omzet", "monteurs", "keuring", "doorstroom", "vandaag"]


def test_an_invoice_shows_on_the_open_dashboard(shop: Shop, staff: dict[str, str], context: BrowserContext) -> None:
    complete_settings(shop.admin)
    before = expect_status(shop.admin.get("/api/reports/summary"), 200).json()
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/dashboard")
    for chart in CHARTS:
        expect(page.locator(f"[data-chart={chart}] canvas").first).to_be_visible()
    revenue, count = page.locator("[data-kpi=omzet]"), page.locator("[data-kpi=facturen]")
    expect(revenue).to_have_text(euro(before["revenueExcludingVatCents"]))
    expect(count).to_have_text(str(before["invoiceCount"]))

    invoiced(shop.admin, cents=12_345)
    expect(revenue).to_have_text(euro(before["revenueExcludingVatCents"] + 12_345), timeout=LIVE)
    expect(count).to_have_text(str(before["invoiceCount"] + 1), timeout=LIVE)

    page.locator("input[data-period-from]").fill("2001-01-01")
    page.locator("input[data-period-to]").fill("2001-12-31")
    page.locator("[data-period-show]").click()
    expect(revenue).to_have_text(euro(0))


def test_a_mechanic_is_sent_to_the_board(shop: Shop, staff: dict[str, str], context: BrowserContext) -> None:
    page = context.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    page.goto(f"{shop.server.url}/admin/dashboard")
    page.wait_for_url(re.compile(r".*/admin/workoverzicht$"))
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
