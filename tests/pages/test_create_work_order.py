"""The desk's "Nieuwe werkorder" dialog in a real browser: every wrong field said at that field at once, each
message gone the moment its field is right, the folded address, and "Aanmaken" opening the new order's page while
every open list shows it on top."""

import re

from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.conftest import Shop
from tests.pages.conftest import log_in

LIVE = 1000  # ms


def field(page: Page, label: str) -> Locator:
    """The Quasar field around an input: it carries the error class and shows the message."""
    return page.get_by_role("dialog").locator(".q-field", has=page.get_by_label(label, exact=True))


def has_error(locator: Locator, message: str) -> None:
    expect(locator).to_have_class(re.compile("q-field--error"))
    expect(locator).to_contain_text(message)


def has_no_error(locator: Locator) -> None:
    expect(locator).not_to_have_class(re.compile("q-field--error"))


def test_field_errors_show_at_once_and_go_when_fixed(context: BrowserContext, shop: Shop, staff: dict) -> None:
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/workorders")
    page.get_by_role("button", name="Nieuwe werkorder").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Postcode")).to_be_hidden()  # the address is optional: folded away
    dialog.get_by_label("Kenteken").fill("!!")
    dialog.get_by_text("Adres (optioneel)").click()
    dialog.get_by_label("Postcode").fill("12345")
    dialog.get_by_text("Adres (optioneel)").click()  # folded again: its error must still be seen
    dialog.get_by_label("Omschrijving").fill("APK")
    dialog.get_by_role("button", name="Aanmaken").click()

    plate, name, postcode = field(page, "Kenteken"), field(page, "Klantnaam"), field(page, "Postcode")
    has_error(plate, "Kenteken moet uit 1 tot 10 letters en cijfers bestaan")
    has_error(name, "Klantnaam mag niet leeg zijn")
    has_error(postcode, "geen geldige postcode")  # the address opened to show it
    has_no_error(field(page, "Omschrijving"))
    expect(dialog).to_contain_text("Controleer de rood gemarkeerde velden")

    dialog.get_by_label("Kenteken").fill("GH-5!")
    has_error(plate, "Kenteken moet uit")  # still wrong: still said, still at the field
    dialog.get_by_label("Kenteken").fill("GH-512-K")
    has_no_error(plate)  # right: the message went without pressing Aanmaken again
    has_error(name, "Klantnaam mag niet leeg zijn")  # the others stay until they are right
    dialog.get_by_label("Klantnaam").fill("Mevr. Verbeterd")
    dialog.get_by_label("Postcode").fill("1234 ab")
    has_no_error(name)
    has_no_error(postcode)
    expect(dialog).not_to_contain_text("Controleer de rood gemarkeerde velden")


def test_aanmaken_opens_the_new_order_and_every_list_shows_it_on_top(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    shop.create(customer="Eerder Gemaakt")  # the shared shop has orders already: the new one must come first
    other_desk = context.new_page()
    log_in(other_desk, shop.server.url, "balie", staff["balie"], "/admin/workorders")
    expect(other_desk.locator("tbody tr").first).to_contain_text("Eerder Gemaakt")
    page = context.new_page()
    page.goto(f"{shop.server.url}/admin/workorders")
    page.get_by_role("button", name="Nieuwe werkorder").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Kenteken").fill("NL-123-B")
    dialog.get_by_label("Klantnaam").fill("Fam. Bovenaan")
    dialog.get_by_text("Adres (optioneel)").click()
    dialog.get_by_label("Straat en huisnummer").fill("Kerkstraat 12")
    dialog.get_by_label("Postcode").fill("3511ab")
    dialog.get_by_label("Plaats").fill("Utrecht")
    dialog.get_by_label("Omschrijving").fill("Remblokken voor")
    dialog.get_by_role("button", name="Aanmaken").click()

    expect(page).to_have_url(re.compile(r"/admin/workorders/\d+$"))
    order_id = int(page.url.rsplit("/", 1)[1])
    root = page.locator(f'[data-workorder-id="{order_id}"]:has([data-section=kop])')
    expect(root.locator("[data-field=customer-name]")).to_have_text("Fam. Bovenaan")
    expect(root.locator("[data-field=address]")).to_have_text(["Kerkstraat 12", "3511 AB Utrecht"])
    customer = shop.admin.get(f"/api/workorders/{order_id}").json()["customer"]
    assert (customer["street"], customer["postalCode"], customer["city"]) == ("Kerkstraat 12", "3511 AB", "Utrecht")

    expect(other_desk.locator("tbody tr").first).to_have_attribute("data-workorder-id", str(order_id), timeout=LIVE)
    page.goto(f"{shop.server.url}/admin/workorders")
    expect(page.locator("tbody tr").first).to_have_attribute("data-workorder-id", str(order_id))
    ids = page.locator("tbody tr").evaluate_all("(rows) => rows.map((row) => Number(row.dataset.workorderId))")
    assert ids == sorted(ids, reverse=True)  # newest first, the finished ones too
