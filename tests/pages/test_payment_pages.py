"""Getting paid, in Chromium: the customer taps "Betalen" on the status page and pays at the (Mollie-shaped)
checkout; the moment the webhook lands the open status page says "Betaald — bedankt", the desk's work order page
says "betaald" and the board card gets `data-paid`. The desk's open invoices: a payment at the counter in one tap
(asked first), which takes the row away."""

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from services.billing import euro
from tests.api.payments import complete_settings, invoiced, paying_server, sqlite_url
from tests.conftest import Shop
from tests.mollie_server import MollieServer
from tests.pages.conftest import log_in
from tests.server import seed_account

LIVE = 5000  # ms: the suite's live wait on a shared machine


@pytest.fixture(scope="module")
def mollie() -> Iterator[MollieServer]:
    with MollieServer() as server:
        yield server


@pytest.fixture(scope="module")
def till(mollie: MollieServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Shop, str]]:
    """A shop paid through `mollie`, and the desk's password (account `balie`)."""
    server = paying_server(sqlite_url(Path(tmp_path_factory.mktemp("till-pages"))), mollie)
    tokens = {"admin": server.token("admin")}
    password = secrets.token_urlsafe(12)
    seed_account(server.database_url, "balie", "admin", password)
    with server:
        clients = {role: server.client(token) for role, token in tokens.items()}
        complete_settings(clients["admin"])
        yield Shop(server, tokens, clients), password
        for client in clients.values():
            client.close()


def test_paid_online_every_open_page_says_so(
    till: tuple[Shop, str], mollie: MollieServer, phone: BrowserContext, context: BrowserContext
) -> None:
    shop, password = till
    order, invoice = invoiced(shop.admin)
    status = phone.new_page()
    status.goto(f"{shop.server.url}{order['statusUrl']}")
    pay = status.locator("[data-pay]")
    expect(pay).to_have_text("Betalen")
    expect(status.locator("#pay-open")).to_have_text(euro(12_100))
    expect(status.locator("#paid")).to_be_hidden()

    desk = context.new_page()
    log_in(desk, shop.server.url, "balie", password, f"/admin/workorders/{order['id']}")
    expect(desk.locator("[data-section=betalingen] [data-invoice-status=open]")).to_have_text(f"Open: {euro(12_100)}")
    board = context.new_page()
    board.goto(f"{shop.server.url}/admin/workoverzicht")
    card = board.locator(f'[data-column] [data-workorder-id="{order["id"]}"]')
    expect(card).to_be_visible(timeout=LIVE)
    expect(card).not_to_have_attribute("data-paid", re.compile(".*"))

    checkout = phone.new_page()  # the customer pays in a tab of its own; the status page stays open
    checkout.goto(f"{shop.server.url}{order['statusUrl']}")
    checkout.locator("[data-pay]").click()
    payment_id = mollie.newest()
    expect(checkout.locator("[data-checkout]")).to_have_text(payment_id)  # Mollie's checkout
    mollie.pay(payment_id)
    assert mollie.notify(payment_id).status_code == 200

    expect(status.locator("#paid")).to_have_text("Betaald — bedankt", timeout=LIVE)
    expect(status.locator("#paid")).to_be_visible()
    expect(status.locator("[data-pay]")).to_have_count(0)
    expect(desk.locator("[data-section=factuur] [data-invoice-paid]")).to_have_text("betaald", timeout=LIVE)
    expect(desk.locator("[data-section=betalingen] [data-invoice-status=betaald]")).to_have_text("Betaald")
    expect(desk.locator("[data-section=betalingen] [data-payment-id]")).to_contain_text("iDEAL")
    expect(card).to_have_attribute("data-paid", re.compile(".*"), timeout=LIVE)
    assert invoice["number"] in status.content()


def test_the_desk_takes_a_pin_payment_from_the_open_invoices(till: tuple[Shop, str], context: BrowserContext) -> None:
    shop, password = till
    _, invoice = invoiced(shop.admin, 20_000)  # € 242,00
    page = context.new_page()
    log_in(page, shop.server.url, "balie", password, "/admin/facturen")
    row = page.locator(f"[data-invoice-id='{invoice['id']}']")
    expect(row).to_contain_text(euro(24_200))
    expect(row).to_have_attribute("data-days-overdue", "0")
    expect(page.locator("[data-export]")).to_contain_text("CSV downloaden")

    row.get_by_role("button", name="Betaling").click()
    dialog = page.locator("[data-confirm=betaling]")
    expect(dialog).to_contain_text(f"Betaling voor factuur {invoice['number']}")
    expect(dialog.get_by_label("Bedrag")).to_have_value("242,00")
    dialog.get_by_role("button", name="Vastleggen").click()
    expect(row).to_have_count(0, timeout=LIVE)
    paid = shop.admin.get(f"/api/invoices/{invoice['id']}").json()
    assert (paid["status"], [(p["method"], p["amountCents"]) for p in paid["payments"]]) == (
        "betaald",
        [("pin", 24_200)],
    )
