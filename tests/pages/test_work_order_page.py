"""The work order page in a real browser: reached from the list and the board, live history and sections,
editing as the desk, sessions per mechanic, the RDW's APK warning, and a plain 404."""

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from pages.work_time import duration_text
from services.plates import format_plate
from tests.clock import ServerClock, utc
from tests.conftest import Shop, assert_no_event_between
from tests.pages.conftest import log_in
from tests.rdw_server import FakeRdw, demo_rdw
from tests.server import Server, seed_account

LIVE = 1000  # ms: a change made elsewhere is on the page within a second


def order_page(page: Page, shop: Shop, staff: dict, order: dict, name: str = "balie") -> Locator:
    """Log in straight onto the order's page; its root element."""
    log_in(page, shop.server.url, name, staff[name], f"/admin/workorders/{order['id']}")
    root = page.locator(f'[data-workorder-id="{order["id"]}"]:has([data-section=kop])')
    expect(root).to_have_count(1)
    return root


def entries(page: Page) -> Locator:
    return page.locator("[data-event-id]")


def event_ids(page: Page) -> list[int]:
    return [int(value) for value in entries(page).evaluate_all("(els) => els.map((el) => el.dataset.eventId)")]


def section(page: Page, name: str) -> Locator:
    return page.locator(f"[data-section={name}]")


def shows_the_order(page: Page, order: dict) -> None:
    expect(page).to_have_url(re.compile(rf"/admin/workorders/{order['id']}$"))
    kop = section(page, "kop")
    expect(kop).to_contain_text(order["number"])
    expect(kop).to_contain_text(format_plate(order["licensePlate"]))
    expect(kop.locator("[data-field=description]")).to_have_text(order["description"])
    expect(section(page, "klant").locator("[data-field=customer-name]")).to_have_text(order["customerName"])


def test_opens_from_a_list_row_and_from_a_board_card(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Mevr. Doorklik", description="Distributieriem vervangen")
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Gepland", "position": 0})
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/workorders")
    page.locator(f'tr[data-workorder-id="{order["id"]}"]').get_by_role("link", name=order["number"]).click()
    shows_the_order(page, order)

    page.goto(f"{shop.server.url}/admin/workoverzicht")
    page.locator(f'[data-column] [data-workorder-id="{order["id"]}"]').get_by_role("link", name=order["number"]).click()
    shows_the_order(page, order)


def test_history_and_sections_follow_changes_live(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Live Volger")
    page = context.new_page()
    order_page(page, shop, staff, order)
    expect(entries(page)).to_have_count(1)
    created_id = event_ids(page)[0]

    with shop.stream(query=f"?workOrderId={order['id']}") as stream:
        assert stream.next().json["type"] == "connected"
        shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Onder handen"})
        shop.admin.patch(f"/api/workorders/{order['id']}", json={"mileage": 123456})
        shop.admin.patch(f"/api/customers/{order['customerId']}", json={"phone": "06 9876 5432"})
        streamed = [(int(m.id or 0), m.json["changeType"]) for m in stream.take(4)]
    assert [kind for _, kind in streamed] == ["column", "status", "details", "customer"]

    newest_first = [event_id for event_id, _ in reversed(streamed)]
    expect(entries(page)).to_have_count(5, timeout=LIVE)
    assert event_ids(page) == [*newest_first, created_id]
    sentences = {
        "column": "test-admin verplaatste de auto naar Onder handen",
        "status": "De status is nu In uitvoering",
        "details": "test-admin wijzigde de kilometerstand",
        "customer": "test-admin wijzigde de gegevens van klant Live Volger",
    }
    for event_id, kind in streamed:
        entry = page.locator(f'[data-event-id="{event_id}"]')
        expect(entry).to_contain_text(sentences[kind])
        expect(entry).to_contain_text("test-admin · ")

    kop = section(page, "kop")
    expect(kop.locator("[data-field=mileage]")).to_have_text("123.456 km")
    expect(kop.locator("[data-field=column]")).to_have_text("Onder handen")
    expect(kop.locator("[data-status=IN_UITVOERING]")).to_have_text("Onder handen")
    expect(kop).not_to_contain_text("IN_UITVOERING", use_inner_text=True)  # Dutch words, never the enum's name
    phone = section(page, "klant").locator("[data-field=phone]")
    expect(phone).to_have_text("06 9876 5432")
    expect(phone).to_have_attribute("href", "tel:0698765432")


def test_desk_edits_the_description_and_a_bad_email_changes_nothing(
    context: BrowserContext, shop: Shop, staff: dict
) -> None:
    order = shop.create(customer="Dhr. Wijziger", description="APK")
    page = context.new_page()
    order_page(page, shop, staff, order)

    section(page, "kop").get_by_role("button", name="Wijzig").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Omschrijving").fill("APK en ruitenwissers")
    dialog.get_by_label("Kilometerstand").fill("98765")
    dialog.get_by_role("button", name="Opslaan").click()
    expect(section(page, "kop").locator("[data-field=description]")).to_have_text("APK en ruitenwissers")
    expect(section(page, "kop").locator("[data-field=mileage]")).to_have_text("98.765 km")
    saved = shop.admin.get(f"/api/workorders/{order['id']}").json()
    assert (saved["description"], saved["mileage"]) == ("APK en ruitenwissers", 98765)
    expect(entries(page).first).to_contain_text("balie wijzigde de omschrijving en de kilometerstand")

    def refused() -> None:
        section(page, "klant").get_by_role("button", name="Wijzig klant").click()
        dialog.get_by_label("E-mail").fill("geen-adres")
        dialog.get_by_label("Telefoon").fill("010 123 4567")
        dialog.get_by_role("button", name="Opslaan").click()
        expect(dialog.get_by_text("'geen-adres' is geen geldig e-mailadres")).to_be_visible()

    assert_no_event_between(shop, refused)
    expect(dialog).to_be_visible()  # still open, so the desk can correct it
    customer = shop.admin.get(f"/api/customers/{order['customerId']}").json()
    assert (customer["email"], customer["phone"]) == (None, None)
    expect(section(page, "klant").locator("[data-field=phone]")).to_have_count(0)


def test_desk_makes_a_customer_a_business_with_kvk_and_btw(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Lease Nederland B.V.", description="Grote beurt")
    page = context.new_page()
    order_page(page, shop, staff, order)
    section(page, "klant").get_by_role("button", name="Wijzig klant").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("KvK-nummer").fill("8765 4321")
    dialog.get_by_label("BTW-id").fill("nl000099998b57")
    dialog.get_by_role("button", name="Opslaan").click()
    business = section(page, "klant").locator("[data-field=business]")
    expect(business).to_have_text("KvK 87654321 · BTW NL000099998B57")
    customer = shop.admin.get(f"/api/customers/{order['customerId']}").json()
    assert (customer["kvk"], customer["vatNumber"]) == ("87654321", "NL000099998B57")


def test_an_edit_that_crosses_another_shows_the_fresh_data(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Mevr. Tegelijk", description="Olie verversen")
    page = context.new_page()
    order_page(page, shop, staff, order)
    dialog = page.get_by_role("dialog")

    section(page, "kop").get_by_role("button", name="Wijzig").click()
    dialog.get_by_label("Omschrijving").fill("Olie en filter verversen")
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Auto binnen"})  # only the card moves
    expect(section(page, "kop").locator("[data-field=column]")).to_have_text("Auto binnen", timeout=LIVE)
    dialog.get_by_role("button", name="Opslaan").click()
    expect(section(page, "kop").locator("[data-field=description]")).to_have_text("Olie en filter verversen")

    section(page, "kop").get_by_role("button", name="Wijzig").click()
    dialog.get_by_label("Omschrijving").fill("Mijn versie")
    shop.admin.patch(f"/api/workorders/{order['id']}", json={"description": "Hun versie"})
    expect(section(page, "kop").locator("[data-field=description]")).to_have_text("Hun versie", timeout=LIVE)
    dialog.get_by_role("button", name="Opslaan").click()
    expect(dialog.get_by_text("intussen gewijzigd").first).to_be_visible()
    expect(dialog.get_by_label("Omschrijving")).to_have_value("Hun versie")
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["description"] == "Hun versie"


def test_work_time_per_mechanic_with_totals(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Klokker")
    page = context.new_page()
    order_page(page, shop, staff, order, name="jan")
    work_time = section(page, "werktijd")
    expect(work_time).to_contain_text("Er is nog niet aan gewerkt")

    sessions = f"/api/workorders/{order['id']}/sessions"
    jan = shop.admin.post(sessions, json={"mechanic": "jan"}).json()
    fatima = shop.admin.post(sessions, json={"mechanic": "fatima"}).json()
    expect(work_time.locator('[data-mechanic="jan"] [data-timer]')).to_have_text(
        re.compile(r"^\d\d:\d\d$"), timeout=LIVE
    )
    expect(work_time.locator('[data-mechanic="fatima"] [data-timer]')).to_be_visible(timeout=LIVE)
    expect(work_time.locator("[data-total]")).to_contain_text("+ wat nu loopt")

    shop.admin.patch(f"{sessions}/{jan['id']}", json={"action": "stop"})
    expect(work_time.locator('[data-mechanic="jan"] [data-timer]')).to_have_count(0, timeout=LIVE)
    second = shop.admin.post(sessions, json={"mechanic": "jan"}).json()
    shop.admin.patch(f"{sessions}/{second['id']}", json={"action": "stop"})
    shop.admin.patch(f"{sessions}/{fatima['id']}", json={"action": "stop"})
    expect(work_time.locator("[data-timer]")).to_have_count(0, timeout=LIVE)

    jan_block = work_time.locator('[data-mechanic="jan"]')
    expect(jan_block).to_contain_text("jan — 0 min")  # started and stopped within the second
    expect(jan_block.get_by_text(re.compile(r"\d\d:\d\d–\d\d:\d\d \(0 min\)"))).to_have_count(2)
    expect(work_time.locator('[data-mechanic="fatima"]')).to_contain_text("fatima — 0 min")
    expect(work_time.locator("[data-total]")).to_have_text("Totaal: 0 min")
    expect(entries(page).first).to_contain_text("fatima stopte na")


def test_durations_read_the_way_a_mechanic_writes_them() -> None:
    assert [duration_text(s) for s in (0, 59, 60, 85 * 60 + 30, 120 * 60, 600 * 60 + 60)] == [
        "0 min", "0 min", "1 min", "1 u 25 min", "2 u", "10 u 1 min",
    ]  # fmt: skip


def test_each_role_gets_its_own_buttons(context: BrowserContext, shop: Shop, staff: dict) -> None:
    order = shop.create(customer="Rollen")
    page = context.new_page()
    order_page(page, shop, staff, order, name="mila")
    expect(page.get_by_role("button", name=re.compile("Wijzig|Vernieuw RDW"))).to_have_count(0)

    page.goto(f"{shop.server.url}/auth/logout")
    order_page(page, shop, staff, order, name="jan")
    expect(page.get_by_role("button", name="Wijzig")).to_have_count(0)
    # This shop runs without the RDW: no button that can only fail, and the car says it is not asked.
    expect(page.get_by_role("button", name="Vernieuw RDW")).to_have_count(0)
    expect(section(page, "voertuig")).to_contain_text("RDW-gegevens worden niet opgevraagd")


def test_unknown_order_is_a_dutch_404(context: BrowserContext, shop: Shop, staff: dict) -> None:
    page = context.new_page()
    log_in(page, shop.server.url, "balie", staff["balie"], "/admin/workorders")
    for missing in (987654, 2**64, -1, "abc"):
        response = page.goto(f"{shop.server.url}/admin/workorders/{missing}")
        assert response is not None and response.status == 404
        expect(page.locator("[data-not-found]")).to_have_text(f"Werkorder {missing} bestaat niet")


def test_strangers_are_sent_to_log_in(shop: Shop) -> None:
    order = shop.create()
    response = httpx.get(f"{shop.server.url}/admin/workorders/{order['id']}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=/admin/workorders/{order['id']}"


@dataclass
class RdwShop:
    server: Server
    rdw: FakeRdw
    admin: httpx.Client
    password: str


RDW_SHOP_NOW = utc("2027-01-29 10:00")  # GH512K's APK then runs out on 21 February: within two months


@pytest.fixture(scope="module")
def rdw_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RdwShop]:
    """A server of its own that asks a fake RDW with the demo shop's cars."""
    database_url = f"sqlite:///{Path(tmp_path_factory.mktemp('rdw')) / 'w.db'}"
    folder = Path(tmp_path_factory.mktemp("rdw-clock"))
    clock = ServerClock(folder / "clock", RDW_SHOP_NOW)  # the APK warnings depend on the day
    with demo_rdw(clock.today()) as rdw:
        env = {"RDW_BASE_URL": rdw.url, "RDW_TIMEOUT_SECONDS": "5", "RDW_RETRY_SECONDS": "0.2"}
        server = Server(database_url, env=env, clock=clock)
        password = secrets.token_urlsafe(12)
        seed_account(database_url, "balie", "admin", password)
        token = server.token("admin")
        server.start()
        try:
            with server.client(token) as admin:
                yield RdwShop(server, rdw, admin, password)
        finally:
            server.stop()


def test_the_car_and_its_apk_warning_arrive_live(context: BrowserContext, rdw_shop: RdwShop) -> None:
    rdw_shop.rdw.answer("GH512K", "hang")  # the page opens before the RDW answers
    response = rdw_shop.admin.post(
        "/api/workorders", json={"customerName": "Mevr. Corsa", "licensePlate": "GH-512-K", "description": "APK"}
    )
    assert response.status_code == 201, response.text
    order = response.json()
    page = context.new_page()
    log_in(page, rdw_shop.server.url, "balie", rdw_shop.password, f"/admin/workorders/{order['id']}")
    vehicle = section(page, "voertuig")
    expect(vehicle).to_contain_text("RDW-gegevens worden opgevraagd")

    rdw_shop.rdw.answer("GH512K", "ok")
    expect(vehicle.locator("[data-apk=binnenkort]")).to_be_visible(timeout=5000)
    expect(vehicle).to_contain_text("OPEL CORSA")
    answered = page.locator("[data-change-type=vehicle]")
    expect(answered).to_have_count(1)
    expect(answered).to_contain_text("De RDW over GH-512-K: OPEL CORSA")
    expect(answered).to_contain_text("Systeem · ")

    before = entries(page).count()
    vehicle.get_by_role("button", name="Vernieuw RDW").click()
    expect(entries(page)).to_have_count(before + 1, timeout=5000)
    expect(entries(page).first).to_contain_text("balie vroeg de RDW opnieuw naar GH-512-K: OPEL CORSA, APK tot")
    expect(vehicle.locator("[data-apk=binnenkort]")).to_be_visible()


def test_an_expired_apk_is_flagged(context: BrowserContext, rdw_shop: RdwShop) -> None:
    response = rdw_shop.admin.post(
        "/api/workorders", json={"customerName": "Dhr. Clio", "licensePlate": "4-KXP-77", "description": "APK"}
    )
    assert response.status_code == 201, response.text
    page = context.new_page()
    log_in(page, rdw_shop.server.url, "balie", rdw_shop.password, f"/admin/workorders/{response.json()['id']}")
    expect(section(page, "voertuig").locator("[data-apk=verlopen]")).to_have_text(
        re.compile(r"^APK verlopen op \d+ \w+ \d{4}$"), timeout=5000
    )


def test_the_create_dialog_starts_with_the_plate_and_picks_a_known_customer(
    context: BrowserContext, rdw_shop: RdwShop
) -> None:
    customer = rdw_shop.admin.post("/api/customers", json={"name": "Fam. Golfrijder", "phone": "0612345678"}).json()
    page = context.new_page()
    log_in(page, rdw_shop.server.url, "balie", rdw_shop.password, "/admin/workorders")
    page.get_by_role("button", name="Nieuwe werkorder").click()
    page.get_by_label("Kenteken").fill("gz-183-v")
    rdw = page.locator("[data-rdw]")
    expect(rdw).to_contain_text("VOLKSWAGEN GOLF", timeout=5000)  # the RDW's answer, before anything is saved
    expect(rdw).to_contain_text("Benzine")
    page.get_by_label("Kilometerstand").fill("123456")
    page.get_by_label("Zoek klant").fill("golfrij")
    page.locator(f"[data-customer-id='{customer['id']}']").click()
    expect(page.locator("[data-chosen-customer]")).to_have_text("Fam. Golfrijder")
    expect(page.get_by_label("Klantnaam")).to_be_hidden()  # no new customer is made
    page.get_by_label("Omschrijving").fill("APK en kleine beurt")
    page.get_by_role("button", name="Aanmaken").click()
    expect(page.locator("[data-change-type=created]")).to_contain_text("balie maakte werkorder WO-")

    made = rdw_shop.admin.get("/api/workorders", params={"q": "GZ183V"}).json()[0]
    assert (made["customerId"], made["mileage"], made["description"]) == (customer["id"], 123456, "APK en kleine beurt")
    assert made["vehicle"]["brand"] == "VOLKSWAGEN" and made["vehicle"]["rdw"]["status"] == "ok"
    assert rdw_shop.rdw.count("GZ183V") == 2  # asked once (both datasets), by the dialog; the order knew it at once
    shows_the_order(page, {**made, "customerName": "Fam. Golfrijder"})  # "Aanmaken" opened the new order's page
