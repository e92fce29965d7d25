"""Labour, approvals and invoices in a real browser: the shop settings form (a bad IBAN said at its field), labour
by hand and from the clocked hours, the totals, a re-approval shown on the board card and taken by telephone, the
invoice made, opened and credited, and the iPad showing what the customer signs for."""

import re
from datetime import datetime, timedelta

from playwright.sync_api import BrowserContext, Page, expect

from tests.api.billing import SHOP_SETTINGS, add_part, complete_shop, move, sign_on_ipad
from tests.api.billing import expect as expect_status
from tests.conftest import Shop
from tests.pages.conftest import log_in

LIVE = 1000  # ms
ANY = re.compile(".*")  # a boolean attribute: present, whatever its value


def order_page(context: BrowserContext, shop: Shop, staff: dict, order: dict) -> Page:
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], f"/admin/workorders/{order['id']}")
    return page


def test_the_settings_form_says_a_bad_iban_at_its_field(context: BrowserContext, shop: Shop, staff: dict) -> None:
    complete_shop(shop)
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/instellingen")
    expect(page.get_by_label("KvK-nummer")).to_have_value("12345678")
    page.get_by_label("Bedrijfsnaam").fill("Garage Zonnebloem")
    page.get_by_label("IBAN").fill("NL91ABNA0417164301")
    page.get_by_role("button", name="Opslaan").click()
    iban_field = page.locator(".q-field", has=page.get_by_label("IBAN"))
    expect(iban_field).to_contain_text("geen geldig IBAN")
    expect(iban_field).to_have_class(re.compile("q-field--error"))
    assert shop.admin.get("/api/settings/shop").json()["name"] == SHOP_SETTINGS["name"]  # nothing saved
    page.get_by_label("IBAN").fill("nl91 abna 0417 1643 00")
    page.get_by_label("Uurtarief").fill("92,50")
    expect(page.get_by_label("Arbeid afronden op")).to_have_value("15")
    page.get_by_label("Arbeid afronden op").fill("6")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_label("IBAN")).to_have_value("NL91 ABNA 0417 1643 00")
    saved = shop.admin.get("/api/settings/shop").json()
    assert (saved["name"], saved["hourlyRateCents"], saved["billingUnitMinutes"]) == ("Garage Zonnebloem", 9250, 6)
    complete_shop(shop)


def test_the_settings_form_says_every_bad_field_at_once(context: BrowserContext, shop: Shop, staff: dict) -> None:
    saved = complete_shop(shop)
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/instellingen")
    page.get_by_label("KvK-nummer").fill("1234567")
    page.get_by_label("IBAN").fill("NL91ABNA0417164301")
    page.get_by_label("Uurtarief").fill("87,5x")
    page.get_by_role("button", name="Opslaan").click()
    for label, message in (("KvK-nummer", "geen geldig KvK-nummer"), ("IBAN", "geen geldig IBAN"),
                           ("Uurtarief", "Geef een bedrag zoals 87,50")):  # fmt: skip
        bad = page.locator(".q-field", has=page.get_by_label(label))
        expect(bad).to_have_class(re.compile("q-field--error"))
        expect(bad).to_contain_text(message)
    expect(page.locator(".q-field--error")).to_have_count(3)
    assert shop.admin.get("/api/settings/shop").json() == saved  # nothing saved

    page.get_by_label("KvK-nummer").fill("12345678")
    page.get_by_label("IBAN").fill(str(SHOP_SETTINGS["iban"]))
    page.get_by_label("Uurtarief").fill("87,50")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Instellingen opgeslagen")).to_be_visible()
    expect(page.locator(".q-field--error")).to_have_count(0)


def test_labour_by_hand_and_from_the_clocked_hours(context: BrowserContext, shop: Shop, staff: dict) -> None:
    complete_shop(shop)
    order = shop.create(customer="Fam. Arbeid", description="Uitlaat vervangen")
    session = expect_status(
        shop.admin.post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "henk"}), 201
    ).json()
    now = datetime.fromisoformat(session["startedAt"])  # the server's now
    times = {"startedAt": (now - timedelta(hours=2)).isoformat(), "endedAt": (now - timedelta(minutes=83)).isoformat()}
    expect_status(shop.admin.patch(f"/api/workorders/{order['id']}/sessions/{session['id']}", json=times), 200)
    page = order_page(context, shop, staff, order)
    section = page.locator("[data-section=arbeid]")
    section.get_by_role("button", name="Arbeid").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Omschrijving").fill("Uitlaat lassen")
    dialog.get_by_label("Minuten").fill("30")
    expect(dialog.get_by_label("Uurtarief")).to_have_value("87,50")
    dialog.get_by_role("button", name="Toevoegen").click()
    expect(section.locator("[data-labour-id]")).to_have_count(1, timeout=LIVE)
    expect(section).to_contain_text("Uitlaat lassen")
    expect(page.locator("[data-section=totalen] [data-field=including-vat]")).to_have_text("€\xa052,94")  # 4375+919

    section.get_by_role("button", name="Uren overnemen").click()  # shown first: 37 clocked minutes become 45
    preview = page.get_by_role("dialog")
    expect(preview).to_contain_text("Op de rekening: Arbeid: Uitlaat vervangen, 45 min à €\xa087,50 per uur")
    expect(preview).to_contain_text("Geklokt: henk 37 min (samen 37 min), naar boven afgerond op 15 min.")
    preview.get_by_role("button", name="Annuleren").click()
    expect(preview).to_be_hidden()
    assert len(shop.admin.get(f"/api/workorders/{order['id']}").json()["labour"]) == 1
    section.get_by_role("button", name="Uren overnemen").click()
    page.get_by_role("dialog").get_by_role("button", name="Overnemen").click()
    expect(section.locator("[data-labour-id]")).to_have_count(2, timeout=LIVE)
    expect(page.get_by_text("Arbeid overgenomen: 45 min")).to_be_visible()
    expect(section).to_contain_text("Uitlaat vervangen")
    expect(section).not_to_contain_text("henk")  # the customer's line never names the mechanic
    section.locator("[data-labour-id]").first.get_by_role("button", name="Verwijder").click()
    question = page.locator("[data-confirm]")
    expect(question).to_contain_text("Arbeid 'Uitlaat lassen' verwijderen?")  # asked first, naming the line
    question.get_by_role("button", name="Verwijderen").click()
    expect(section.locator("[data-labour-id]")).to_have_count(1, timeout=LIVE)
    expect(page.get_by_text("Arbeid verwijderd")).to_be_visible()
    assert [
        (line["description"], line["minutes"])
        for line in shop.admin.get(f"/api/workorders/{order['id']}").json()["labour"]
    ] == [("Uitlaat vervangen", 45)]


def test_a_re_approval_on_the_board_and_by_telephone(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Fam. Toestemming")
    add_part(shop, order, 10_000)
    sign_on_ipad(shop, order["id"])
    page = order_page(context, shop, staff, order)
    board = context.new_page()  # the same desk, the board in a second tab
    board.goto(f"{shop.server.url}/admin/workoverzicht")
    card = board.locator(f'[data-column] [data-workorder-id="{order["id"]}"]')
    expect(card).to_be_visible()
    expect(card).not_to_have_attribute("data-needs-approval", ANY)
    section = page.locator("[data-section=toestemming]")
    expect(section.locator("[data-approval-id]")).to_have_count(1)

    add_part(shop, order, 2_000, description="Remschijven")  # 14.520 > 13.310: more than 10 % over
    expect(card).to_have_attribute("data-needs-approval", ANY, timeout=LIVE)
    expect(card).to_contain_text("Toestemming nodig")
    expect(section).to_contain_text("Toestemming nodig", timeout=LIVE)
    section.get_by_role("button", name="Telefonische toestemming").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Naam")).to_have_value("Fam. Toestemming")
    dialog.get_by_label("Notitie").fill("Akkoord met remschijven")
    dialog.get_by_role("button", name="Vastleggen").click()
    expect(section.locator("[data-approval-id]")).to_have_count(2, timeout=LIVE)
    expect(section).to_contain_text("Akkoord met remschijven")
    expect(section).not_to_contain_text("Toestemming nodig")
    expect(card).not_to_have_attribute("data-needs-approval", ANY, timeout=LIVE)
    expect(card.get_by_text("Toestemming nodig")).to_be_hidden()


def test_invoice_made_opened_and_credited(context: BrowserContext, shop: Shop, staff: dict) -> None:
    complete_shop(shop)
    order = shop.create(customer="Fam. Factuur")
    add_part(shop, order, 4595, 2)
    page = order_page(context, shop, staff, order)
    section = page.locator("[data-section=factuur]")
    expect(section.get_by_role("button", name="Factureren")).to_be_disabled()
    move(shop, order["id"], "Klaar")
    expect(section.get_by_role("button", name="Factureren")).to_be_enabled(timeout=LIVE)
    section.get_by_role("button", name="Factureren").click()
    page.get_by_role("dialog").get_by_role("button", name=re.compile("factureren", re.IGNORECASE)).click()
    number = section.locator("[data-invoice-number]")
    expect(number).to_be_visible(timeout=LIVE)
    invoice = shop.admin.get(f"/api/workorders/{order['id']}").json()["invoice"]
    expect(number).to_have_attribute("data-invoice-number", invoice["number"])
    expect(section).to_contain_text("€\xa0111,20")
    link = section.get_by_role("link", name="PDF")
    expect(link).to_have_attribute("href", invoice["pdfUrl"])
    pdf = page.request.get(f"{shop.server.url}{invoice['pdfUrl']}")  # with the desk's own session cookie
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    section.get_by_role("button", name="Crediteren").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Factuur {invoice['number']} crediteren?")
    dialog.get_by_role("button", name="Annuleren").click()  # asked first: nothing happens without a yes
    expect(dialog).to_be_hidden()
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["invoice"]["id"] == invoice["id"]
    section.get_by_role("button", name="Crediteren").click()
    page.get_by_role("dialog").get_by_role("button", name="Creditnota maken").click()
    expect(section).to_contain_text("Nog geen factuur", timeout=LIVE)
    assert shop.admin.get(f"/api/invoices/{invoice['id'] + 1}").json()["creditOf"] == invoice["id"]


def test_the_ipad_shows_the_lines_and_total_above_the_signature(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = shop.create(customer="Fam. iPad")
    add_part(shop, order, 33, 3, description="Ventieldopje")
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/display")
    expect_status(shop.admin.put("/api/display/current", json={"workOrderId": order["id"]}), 200)
    try:
        estimate = page.locator("[data-estimate]")
        expect(estimate).to_be_visible(timeout=LIVE)
        expect(estimate.locator("[data-estimate-line]")).to_have_text(["3×Ventieldopje€\xa00,99"])
        expect(estimate.locator("[data-field=including-vat]")).to_have_text("€\xa01,20")
        above = page.evaluate(
            "() => document.querySelector('[data-estimate]').getBoundingClientRect().bottom"
            " <= document.querySelector('canvas').getBoundingClientRect().top"
        )
        assert above
    finally:
        shop.admin.put("/api/display/current", json={"workOrderId": None})  # the shared iPad waits again


def test_factureren_asks_first_naming_the_number_and_every_warning(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    complete_shop(shop)
    order = shop.create(customer="Fam. Waarschuwing")  # no address
    add_part(shop, order, 5000, description="Remblokken")
    add_part(shop, order, None, description="Remschijven")
    move(shop, order["id"], "Klaar")  # never approved
    sessions = f"/api/workorders/{order['id']}/sessions"
    kees = expect_status(shop.admin.post(sessions, json={"mechanic": "kees"}), 201).json()
    now = datetime.fromisoformat(kees["startedAt"])  # the server's now
    times = {"startedAt": (now - timedelta(hours=3)).isoformat(), "endedAt": (now - timedelta(hours=2)).isoformat()}
    expect_status(shop.admin.patch(f"{sessions}/{kees['id']}", json=times), 200)
    expect_status(shop.admin.post(sessions, json={"mechanic": "henk"}), 201)  # still running
    page = order_page(context, shop, staff, order)
    section = page.locator("[data-section=factuur]")
    section.get_by_role("button", name="Factureren").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(re.compile(r"Factuur \d{4}-\d{4} maken\?"))
    asked = re.search(r"Factuur (\d{4}-\d{4}) maken", dialog.inner_text())
    assert asked is not None
    expect(dialog.locator("[data-warning]")).to_have_text(
        [
            "1 onderdeel zonder prijs (Remschijven): op de factuur voor €\xa00,00",
            "De klok loopt nog voor henk",
            re.compile(r"^1 u( \d+ min)? geklokt die nog niet als arbeid is overgenomen \(Uren overnemen\)$"),
            "Fam. Waarschuwing heeft geen volledig adres: de factuur noemt alleen de naam",
            "De klant heeft het totaal van €\xa060,50 niet goedgekeurd",
        ]
    )
    dialog.get_by_role("button", name="Annuleren").click()  # asked first: nothing happens without a yes
    expect(dialog).to_be_hidden()
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["invoice"] is None
    section.get_by_role("button", name="Factureren").click()
    expect(dialog).to_contain_text(f"Factuur {asked[1]} maken?")  # the number was not taken by asking
    dialog.get_by_role("button", name="Toch factureren").click()
    expect(section.locator("[data-invoice-number]")).to_have_attribute("data-invoice-number", asked[1], timeout=LIVE)
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["invoice"]["number"] == asked[1]


def test_an_unpriced_part_reads_prijs_volgt_on_the_ipad_after_a_warning(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = shop.create(customer="Fam. Prijs Volgt")
    add_part(shop, order, 5000, description="Remblokken")
    add_part(shop, order, None, 2, description="Remschijven")
    add_part(shop, order, None, 4, description="Bougies")
    page = order_page(context, shop, staff, order)
    section = page.locator("[data-section=toestemming]")
    expect(section.locator("[data-unpriced]")).to_have_text("2 onderdelen zonder prijs: Remschijven, Bougies")
    try:
        section.get_by_role("button", name="Naar iPad").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.locator("[data-warning]")).to_have_text(["2 onderdelen zonder prijs: Remschijven, Bougies"])
        dialog.get_by_role("button", name="Annuleren").click()
        expect(dialog).to_be_hidden()
        assert shop.admin.get("/api/display/current").json() is None  # not sent
        section.get_by_role("button", name="Naar iPad").click()
        dialog.get_by_role("button", name="Toch naar iPad").click()
        expect(page.get_by_text(f"{order['number']} staat op de iPad")).to_be_visible()
        assert shop.admin.get("/api/display/current").json()["id"] == order["id"]
        ipad = context.new_page()
        ipad.goto(f"{shop.server.url}/display")
        estimate = ipad.locator("[data-estimate]")
        expect(estimate.locator("[data-estimate-line]")).to_have_text(
            ["1×Remblokken€\xa050,00", "2×Remschijvenprijs volgt", "4×Bougiesprijs volgt"]
        )
        expect(estimate.locator("[data-price-follows]")).to_have_count(2)
        expect(estimate).not_to_contain_text("€\xa00,00")
        expect(estimate).to_contain_text("Onderdelen met “prijs volgt” zitten nog niet in het totaal.")
        expect(estimate.locator("[data-field=including-vat]")).to_have_text("€\xa060,50")
    finally:
        shop.admin.put("/api/display/current", json={"workOrderId": None})  # the shared iPad waits again
