"""A reminder's two links on a phone (390×844, touch) in Chromium, on a server whose clock stands on Monday
7 December 2026, 10:00 at the shop: the APK reminder arrives at the real SMTP server; its booking link opens
/afspraak/{token} with the customer and the car known and the APK picked, and two taps (a start, "Afspraak maken")
book it, which an open planning page shows at once; its opt-out link shows a page whose button records the opt-out,
which the desk sees on the customer (and can undo)."""

import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import httpx
import pytest
import time_machine
from playwright.sync_api import BrowserContext, expect

from services import auth
from services.db import Database
from tests.api.billing import expect as expect_status
from tests.clock import ServerClock
from tests.pages.conftest import browser, log_in, playwright  # noqa: F401  (the real-browser fixtures)
from tests.planning_shop import NOW, TODAY
from tests.reminder_shop import car, shop_packages
from tests.server import Server, seed_account, wait_until
from tests.smtp_server import SmtpServer

LIVE = 5000  # ms: the machine is shared
PASSWORD = "geheim-balie-123"


class ReminderShop:
    def __init__(self, server: Server, smtp: SmtpServer, admin: httpx.Client, customer_id: int) -> None:
        self.server, self.smtp, self.admin, self.customer_id = server, smtp, admin, customer_id

    def reminder(self) -> EmailMessage:
        wait_until(lambda: self.smtp.inbox.count() >= 1, 30, "the APK reminder")
        return self.smtp.inbox.messages()[0]

    def link(self, path: str) -> str:
        text = self.reminder().get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        found = re.search(rf"https://garage\.example(/{path}/[\w-]+)", text)
        assert found is not None, text
        return f"{self.server.url}{found.group(1)}"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReminderShop]:
    """A car whose APK expires in 8 weeks, its customer's order made a month ago; a mechanic and the APK package."""
    folder = tmp_path_factory.mktemp("reminders")
    url = f"sqlite:///{folder / 'werkplaats.db'}"
    with Database.opened(url) as db, time_machine.travel(NOW - timedelta(days=30), tick=False):
        shop_packages(db)
        auth.create_user(db, "jan", "monteur", "geheim-jan-123")
        order = car(db, 7, TODAY + timedelta(weeks=8))
    seed_account(url, "balie", "admin", PASSWORD)
    with SmtpServer() as smtp:
        clock = ServerClock(folder / "clock", NOW - timedelta(minutes=2))
        server = Server(url, env={**smtp.env, "REMINDER_SCAN_SECONDS": "1"}, clock=clock)
        admin_token = server.token("admin")
        with server, server.client(admin_token) as admin:
            yield ReminderShop(server, smtp, admin, order["customerId"])


def test_a_booking_from_the_reminder_in_two_taps_appears_on_the_open_planning_page(
    shop: ReminderShop, phone: BrowserContext, office: BrowserContext
) -> None:
    reminder = shop.reminder()
    assert str(reminder["Subject"]) == "De APK van uw auto (RH-007-X) verloopt binnenkort"
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    planner = office.new_page()
    log_in(planner, shop.server.url, "balie", PASSWORD, "/admin/planning")
    blocks = planner.locator("[data-appointment-id]")
    before = blocks.count()

    page = phone.new_page()
    page.goto(shop.link("afspraak"))
    expect(page.locator("#known")).to_contain_text("Voor Klant 7, kenteken RH-007-X")
    expect(page.locator("[data-car]")).to_have_text("Volkswagen Golf, grijs")
    expect(page.locator("[data-package-id]", has_text="APK")).to_have_attribute("aria-pressed", "true")
    slot = page.locator("[data-slot]").first
    expect(slot).to_be_visible(timeout=LIVE)
    start = slot.get_attribute("data-slot")
    slot.tap()
    expect(page.get_by_label("Naam")).to_be_hidden()  # the customer is known: no details to type
    page.get_by_role("button", name="Afspraak maken").tap()
    expect(page.get_by_role("heading", name="Uw afspraak staat")).to_be_visible(timeout=LIVE)

    expect(blocks).to_have_count(before + 1, timeout=LIVE)
    expect(planner.locator(f'[data-appointment-id][data-start="{start}"]')).to_have_count(1)
    order = expect_status(shop.admin.get("/api/workorders", params={"q": "RH007X"}), 200).json()[0]
    assert (order["customerId"], order["appointment"]["start"]) == (shop.customer_id, start)


def test_the_opt_out_link_shows_a_page_whose_button_records_it(shop: ReminderShop, phone: BrowserContext) -> None:
    page = phone.new_page()
    page.goto(shop.link("afmelden"))
    expect(page.get_by_role("heading", name="Geen herinneringen meer?")).to_be_visible()
    customer = expect_status(shop.admin.get(f"/api/customers/{shop.customer_id}"), 200).json()
    assert customer["remindersOptOut"] is False  # opening the link changed nothing
    page.get_by_role("button", name="Afmelden voor herinneringen").tap()
    expect(page.get_by_role("heading", name="U bent afgemeld")).to_be_visible(timeout=LIVE)
    expect(page.locator("[data-opted-out]")).to_contain_text("sinds 7 december 2026")
    customer = expect_status(shop.admin.get(f"/api/customers/{shop.customer_id}"), 200).json()
    assert customer["remindersOptOut"] is True
    undone = shop.admin.patch(f"/api/customers/{shop.customer_id}", json={"remindersOptOut": False})
    assert expect_status(undone, 200).json()["remindersOptOut"] is False
    unknown = httpx.get(f"{shop.server.url}/afmelden/{'x' * 32}")
    assert unknown.status_code == 404
