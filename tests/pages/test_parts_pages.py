"""Parts in a real browser: a part's whole life seen live on the parts desk (/magazijn) and on the board, a
mechanic asking for one on the work order page, its price asked where it is added and set or corrected at Besteld,
and a desk click that crosses someone else's change."""

import re
import secrets
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from pages.part_badges import price_text
from services.history import dutch_date
from tests.conftest import Shop
from tests.pages.conftest import log_in

LIVE = 1000  # ms: a change made elsewhere is on the page within a second


@pytest.fixture
def other_context(browser: Browser) -> Iterator[BrowserContext]:
    """A second browser, as on the mechanic's own tablet."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
    yield context
    context.close()


@pytest.fixture
def tablet(browser: Browser) -> Iterator[BrowserContext]:
    """The warehouse's tablet: a touch screen, tapped with a finger."""
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=True, locale="nl-NL"
    )
    yield context
    context.close()


def add_part(shop: Shop, order: dict, **fields: object) -> dict:
    response = shop.admin.post(f"/api/workorders/{order['id']}/parts", json={"quantity": 1, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def part_in_api(shop: Shop, order: dict, part: dict) -> dict:
    parts = shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"]
    return next(found for found in parts if found["id"] == part["id"])


def desk_row(page: Page, part: dict) -> Locator:
    return page.locator(f'[data-part-id="{part["id"]}"]')


def board_card(page: Page, order: dict) -> Locator:
    return page.locator(f'[data-column] [data-workorder-id="{order["id"]}"]')


def test_a_part_from_needed_to_received_live_on_desk_and_board(
    tablet: BrowserContext, other_context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = shop.create(customer="Fam. Remmen", description="Remmen voor vervangen")
    tag = secrets.token_hex(3)  # the shop is shared: another test's supplier may be on the desk too
    first_supplier, second_supplier = f"Van Dam {tag}", f"Kroon Parts {tag}"
    desk = tablet.new_page()
    log_in(desk, shop.server.url, "mila", staff["mila"], "/magazijn")
    board = other_context.new_page()
    log_in(board, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    card = board_card(board, order)
    expect(card).to_be_visible()
    expect(card).not_to_have_attribute("data-parts", re.compile("."))

    part = add_part(
        shop, order, description="Remblokken voor", quantity=2, articleNumber="BP-4711", supplier=first_supplier
    )
    row = desk_row(desk, part)
    expect(row).to_have_attribute("data-part-status", "nodig", timeout=LIVE)
    for text in (order["number"], "Remblokken voor", "2×", "BP-4711"):
        expect(row).to_contain_text(text)
    expect(desk.locator(f'[data-supplier="{first_supplier}"]').locator(row)).to_have_count(1)
    expect(desk.locator(f'[data-workorder-id="{order["id"]}"]')).to_have_count(1)
    expect(card).to_have_attribute("data-parts", "0/1", timeout=LIVE)
    expect(card).to_contain_text("Onderdelen 0/1")

    expected = date(2027, 1, 8)  # any day: nothing depends on when the test runs
    row.get_by_role("button", name="Besteld").tap()
    dialog = desk.get_by_role("dialog")
    expect(dialog.get_by_label("Leverancier")).to_have_value(first_supplier)
    dialog.get_by_label("Leverancier").fill(second_supplier)  # ordered elsewhere after all
    dialog.get_by_label("Verwacht op").fill(expected.isoformat())
    dialog.get_by_label("Referentie").fill("VD-2024-88")
    dialog.get_by_role("button", name="Opslaan").tap()
    expect(row).to_have_attribute("data-part-status", "besteld")
    expect(row).to_contain_text(dutch_date(expected))
    expect(dialog).to_be_hidden()
    expect(desk.locator(f'[data-supplier="{second_supplier}"]').locator(row)).to_have_count(1)
    expect(desk.locator(f'[data-supplier="{first_supplier}"]')).to_have_count(0)
    ordered = part_in_api(shop, order, part)
    assert (ordered["status"], ordered["expectedAt"], ordered["supplierReference"], ordered["supplier"]) == (
        "besteld",
        expected.isoformat(),
        "VD-2024-88",
        second_supplier,
    )
    expect(card).to_have_attribute("data-parts", "0/1")

    row.get_by_role("button", name="Ontvangen").tap()
    expect(row).to_have_count(0)
    expect(desk.get_by_text(f"Alle onderdelen binnen voor {order['number']}")).to_be_visible(timeout=LIVE)
    assert part_in_api(shop, order, part)["status"] == "ontvangen"
    expect(card).to_have_attribute("data-parts", "1/1", timeout=LIVE)
    expect(card).to_have_attribute("data-all-parts-in", re.compile(".*"))
    expect(card).to_contain_text("Alle onderdelen binnen")


def test_a_mechanic_asks_for_a_part_in_two_taps_and_fits_it(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Dhr. Wisser", description="Ruitenwissers piepen")
    page = context.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], f"/admin/workorders/{order['id']}")
    parts = page.locator("[data-section=onderdelen]")
    expect(parts).to_contain_text("Nog geen onderdelen")

    parts.get_by_role("button", name="Onderdeel").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Aantal")).to_have_value("1")
    dialog.get_by_label("Omschrijving").fill("Ruitenwisserblad 60 cm")
    dialog.get_by_role("button", name="Toevoegen").click()
    row = parts.locator("[data-part-id]")
    expect(row).to_have_attribute("data-part-status", "nodig")
    expect(row).to_contain_text("Ruitenwisserblad 60 cm")
    [added] = shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"]
    assert (added["description"], added["quantity"], added["status"]) == ("Ruitenwisserblad 60 cm", 1, "nodig")
    expect(row.get_by_role("button", name="Verwijder")).to_have_count(0)  # not the mechanic's to remove

    for step in ("besteld", "ontvangen"):
        shop.admin.patch(f"/api/workorders/{order['id']}/parts/{added['id']}", json={"status": step})
    shop.admin.patch(f"/api/workorders/{order['id']}/parts/{added['id']}", json={"unitPriceCents": 4595})
    expect(row).to_have_attribute("data-part-status", "ontvangen", timeout=LIVE)
    expect(row.locator("[data-field=price]")).to_have_text(price_text(4595))
    assert price_text(4595) == "€\xa045,95"
    row.get_by_role("button", name="Gemonteerd").click()
    expect(row).to_have_attribute("data-part-status", "gemonteerd")
    assert part_in_api(shop, order, added)["status"] == "gemonteerd"


PRICE = "Prijs per stuk (excl. btw)"


def test_the_part_dialog_asks_the_price_on_the_order_page_and_on_the_card(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = shop.create(customer="Fam. Prijs")
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], f"/admin/workorders/{order['id']}")
    parts = page.locator("[data-section=onderdelen]")
    parts.get_by_role("button", name="Onderdeel", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Omschrijving").fill("Remblokken voor")
    dialog.get_by_label("Aantal").fill("2")
    dialog.get_by_label(PRICE).fill("45,9x")
    dialog.get_by_role("button", name="Toevoegen").click()
    expect(dialog).to_contain_text(f"{PRICE}: Geef een bedrag zoals 87,50")
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"] == []
    dialog.get_by_label(PRICE).fill("45,95")
    dialog.get_by_role("button", name="Toevoegen").click()
    expect(dialog).to_be_hidden()
    expect(parts.locator("[data-part-id] [data-field=price]")).to_have_text(price_text(4595))
    [added] = shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"]
    assert (added["quantity"], added["unitPriceCents"]) == (2, 4595)

    board = context.new_page()  # the same desk on the board: the card's button opens the same dialog
    board.goto(f"{shop.server.url}/admin/workoverzicht")
    board_card(board, order).get_by_role("button", name="Onderdeel toevoegen").click()
    dialog = board.get_by_role("dialog")
    expect(dialog.get_by_label(PRICE)).to_have_value("")
    dialog.get_by_label("Omschrijving").fill("Remschijven voor")
    dialog.get_by_label(PRICE).fill("89")
    dialog.get_by_role("button", name="Toevoegen").click()
    expect(dialog).to_be_hidden()
    expect(parts.locator("[data-part-id]")).to_have_count(2, timeout=LIVE)
    added = shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"][1]
    assert (added["description"], added["unitPriceCents"]) == ("Remschijven voor", 8900)


def test_the_warehouse_sets_and_corrects_the_price_at_besteld(tablet: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Fam. Besteld")
    unpriced = add_part(shop, order, description="Startmotor")
    priced = add_part(shop, order, description="Accu 70 Ah", unitPriceCents=14900)
    desk = tablet.new_page()
    log_in(desk, shop.server.url, "mila", staff["mila"], "/magazijn")
    expect(desk_row(desk, unpriced).locator("[data-field=price]")).to_have_text("zonder prijs")
    expect(desk_row(desk, priced).locator("[data-field=price]")).to_have_text(f"{price_text(14900)} per stuk")

    desk_row(desk, unpriced).get_by_role("button", name="Besteld").tap()
    dialog = desk.get_by_role("dialog")
    expect(dialog.get_by_label(PRICE)).to_have_value("")
    dialog.get_by_label(PRICE).fill("215")
    dialog.get_by_role("button", name="Opslaan").tap()
    expect(desk_row(desk, unpriced)).to_have_attribute("data-part-status", "besteld")
    expect(desk_row(desk, unpriced).locator("[data-field=price]")).to_have_text(f"{price_text(21500)} per stuk")

    desk_row(desk, priced).get_by_role("button", name="Besteld").tap()
    expect(dialog.get_by_label(PRICE)).to_have_value("149,00")
    dialog.get_by_label(PRICE).fill("139,50")  # the supplier's price turned out lower
    dialog.get_by_role("button", name="Opslaan").tap()
    expect(desk_row(desk, priced)).to_have_attribute("data-part-status", "besteld")
    assert [(p["status"], p["unitPriceCents"]) for p in shop.admin.get(f"/api/workorders/{order['id']}").json()[
        "parts"
    ]] == [("besteld", 21500), ("besteld", 13950)]  # fmt: skip


def test_the_warehouse_removes_a_needed_part_on_the_order_page_after_saying_yes(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = shop.create(customer="Mevr. Teveel")
    part = add_part(shop, order, description="Remblokkenset")
    page = context.new_page()
    log_in(page, shop.server.url, "mila", staff["mila"], f"/admin/workorders/{order['id']}")
    row = page.locator(f'[data-section=onderdelen] [data-part-id="{part["id"]}"]')
    question = page.locator("[data-confirm]")
    row.get_by_role("button", name="Verwijder").click()
    expect(question).to_contain_text("Onderdeel 'Remblokkenset' verwijderen?")  # asked first, naming the part
    question.get_by_role("button", name="Annuleren").click()
    expect(question).to_have_count(0)
    expect(row).to_have_count(1)
    assert len(shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"]) == 1  # no means nothing changes

    row.get_by_role("button", name="Verwijder").click()
    question.get_by_role("button", name="Verwijderen").click()
    expect(row).to_have_count(0)
    expect(page.get_by_text("Onderdeel verwijderd")).to_be_visible()
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"] == []


def test_a_desk_click_that_crosses_another_change_is_refused(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Fam. Tegelijk")
    part = add_part(shop, order, description="Distributieriem")
    page = context.new_page()
    log_in(page, shop.server.url, "mila", staff["mila"], "/magazijn")
    row = desk_row(page, part)
    expect(row).to_have_count(1)
    expect(page.locator(f'[data-supplier="Geen leverancier"] [data-part-id="{part["id"]}"]')).to_have_count(1)

    row.get_by_role("button", name="Besteld").click()
    shop.admin.patch(f"/api/workorders/{order['id']}/parts/{part['id']}", json={"quantity": 2})  # someone else
    expect(row).to_contain_text("2×", timeout=LIVE)
    page.get_by_role("dialog").get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("intussen gewijzigd")).to_be_visible()
    assert part_in_api(shop, order, part)["status"] == "nodig"


DESK_LAYOUT_JS = """() => [...document.querySelectorAll("[data-supplier]")].map((section) => [
  section.getAttribute("data-supplier"),
  [...section.querySelectorAll("[data-order-group]")].map((group) => Number(group.getAttribute("data-order-group"))),
])"""


def desk_layout(page: Page, orders: list[dict]) -> list[tuple[str, list[int]]]:
    """The desk's sections in page order with these orders' cards in each, in page order (other tests' orders
    share the desk)."""
    ids = {order["id"] for order in orders}
    layout = [(name, [i for i in groups if i in ids]) for name, groups in page.evaluate(DESK_LAYOUT_JS)]
    return [(name, groups) for name, groups in layout if groups]


def test_the_desk_keeps_suppliers_and_orders_in_place_as_parts_change(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    tag = secrets.token_hex(3)
    first, second, third = (shop.create(customer=f"Fam. Volgorde {n}") for n in range(3))
    alpha, beta = f"Aa {tag}", f"Ab {tag}"
    add_part(shop, second, description="Remschijf", supplier=beta)
    pads = add_part(shop, first, description="Remblokken", supplier=beta)
    add_part(shop, third, description="Bougie", supplier=alpha)
    loose = add_part(shop, second, description="Klemmetje")
    page = context.new_page()
    log_in(page, shop.server.url, "mila", staff["mila"], "/magazijn")
    orders = [first, second, third]
    expect(desk_row(page, loose)).to_have_count(1)
    assert desk_layout(page, orders) == [
        (alpha, [third["id"]]),
        (beta, [first["id"], second["id"]]),
        ("Geen leverancier", [second["id"]]),
    ]

    shop.admin.patch(f"/api/workorders/{second['id']}/parts/{loose['id']}", json={"supplier": alpha})
    expect(page.locator(f'[data-supplier="{alpha}"]').locator(desk_row(page, loose))).to_have_count(1, timeout=LIVE)
    assert desk_layout(page, orders) == [(alpha, [second["id"], third["id"]]), (beta, [first["id"], second["id"]])]
    assert page.locator(f'[data-workorder-id="{second["id"]}"]').get_attribute("data-supplier") is None
    expect(page.locator(f'[data-workorder-id="{second["id"]}"]')).to_have_count(1)  # one hook per order

    for step in ("besteld", "ontvangen"):
        shop.admin.patch(f"/api/workorders/{first['id']}/parts/{pads['id']}", json={"status": step})
    expect(desk_row(page, pads)).to_have_count(0, timeout=LIVE)
    assert desk_layout(page, orders) == [(alpha, [second["id"], third["id"]]), (beta, [second["id"]])]

    shop.admin.patch(f"/api/workorders/{first['id']}/column", json={"column": "Wacht op onderdelen"})
    waiting = page.locator('[data-supplier="Wacht op onderdelen, geen open onderdelen"]')
    expect(waiting.locator(f'[data-order-group="{first["id"]}"]')).to_have_count(1, timeout=LIVE)
    assert page.evaluate(DESK_LAYOUT_JS)[-1][0] == "Wacht op onderdelen, geen open onderdelen"


def test_a_mechanic_asks_for_a_part_from_the_board_card(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Dhr. Vanaf Het Bord")
    page = context.new_page()
    log_in(page, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    card = board_card(page, order)
    card.get_by_role("button", name="Onderdeel").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(order["number"])
    dialog.get_by_label("Omschrijving").fill("Poleriem")
    dialog.get_by_role("button", name="Toevoegen").click()
    expect(card).to_have_attribute("data-parts", "0/1")
    expect(dialog).to_be_hidden()
    [added] = shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"]
    assert (added["description"], added["quantity"], added["status"]) == ("Poleriem", 1, "nodig")


def test_a_receipt_can_be_taken_back_and_all_parts_in_waits_for_the_last_needed_one(
    tablet: BrowserContext, other_context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = shop.create(customer="Fam. Vergist", description="Koelsysteem")
    pump = add_part(shop, order, description="Waterpomp")
    shop.admin.patch(f"/api/workorders/{order['id']}/parts/{pump['id']}", json={"status": "besteld"})
    hose = add_part(shop, order, description="Koelslang")  # still nodig: not even ordered
    desk = tablet.new_page()
    log_in(desk, shop.server.url, "mila", staff["mila"], "/magazijn")
    board = other_context.new_page()
    log_in(board, shop.server.url, "jan", staff["jan"], "/admin/workoverzicht")
    card = board_card(board, order)
    expect(card).to_have_attribute("data-parts", "0/2")

    desk_row(desk, pump).get_by_role("button", name="Ontvangen").tap()
    expect(desk_row(desk, pump)).to_have_count(0)
    expect(card).to_have_attribute("data-parts", "1/2", timeout=LIVE)
    expect(card).to_contain_text("Onderdelen 1/2")
    expect(card).not_to_have_attribute("data-all-parts-in", re.compile(".*"))
    expect(desk.get_by_text(f"Alle onderdelen binnen voor {order['number']}")).to_have_count(0)
    notice = desk.locator(f'[data-undo-part-id="{pump["id"]}"]')
    expect(notice).to_contain_text(f"Waterpomp ontvangen voor {order['number']}")

    notice.get_by_role("button", name="Ongedaan maken").tap()
    expect(desk_row(desk, pump)).to_have_attribute("data-part-status", "besteld")
    expect(notice).to_have_count(0)
    expect(desk.get_by_text("Waterpomp staat weer als besteld")).to_be_visible()
    back = part_in_api(shop, order, pump)
    assert (back["status"], back["receivedAt"]) == ("besteld", None)
    expect(card).to_have_attribute("data-parts", "0/2", timeout=LIVE)
    history = [e["summary"] for e in shop.admin.get(f"/api/workorders/{order['id']}/events").json()]
    assert history[-1] == "mila zette 1 × Waterpomp terug op besteld"

    desk_row(desk, pump).get_by_role("button", name="Ontvangen").tap()
    expect(card).to_have_attribute("data-parts", "1/2", timeout=LIVE)
    assert shop.clients["magazijn"].delete(f"/api/workorders/{order['id']}/parts/{hose['id']}").status_code == 204
    expect(desk.get_by_text(f"Alle onderdelen binnen voor {order['number']}")).to_be_visible(timeout=LIVE)
    expect(card).to_have_attribute("data-parts", "1/1", timeout=LIVE)
    expect(card).to_contain_text("Alle onderdelen binnen")
