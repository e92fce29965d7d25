"""The customer's status page and its stream over real HTTP: plain Dutch for each stage, live, only that order,
only what the page shows (no staff name, actor or note, ever), and a plain 404 for any other token."""

import httpx
import pytest

from tests.api.billing import SHOP_SETTINGS, complete_shop
from tests.conftest import Shop
from tests.server import Server
from tests.sse import SSEClient

STATUS_KEYS = {"type", "number", "stage", "stageText", "licensePlate", "car", "partsExpectedAt", "estimate", "invoice",
               "inspection", "appointment"}  # fmt: skip
STAFF = ("test-admin", "test-monteur", "test-magazijn", "Jan de Monteur", "Interne notitie")


def watch(shop: Shop, order: dict) -> SSEClient:
    return SSEClient(shop.server.url, None, f"{order['statusUrl']}/stream")


def move(shop: Shop, order: dict, column: str, role: str = "admin") -> None:
    response = shop.clients[role].patch(f"/api/workorders/{order['id']}/column", json={"column": column})
    assert response.status_code == 200, response.text


def test_the_page_in_plain_dutch_and_without_staff(shop: Shop) -> None:
    order = shop.create(description="Interne notitie: klant is lastig")
    response = httpx.get(f"{shop.server.url}{order['statusUrl']}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert 'data-stage="gepland"' in page and "Uw auto staat gepland" in page and order["number"] in page
    assert order["licensePlate"][:2] in page and not any(secret in page for secret in STAFF)
    assert response.headers["cache-control"] == "no-store" and response.headers["referrer-policy"] == "no-referrer"
    assert (
        response.headers["x-frame-options"] == "DENY"
        and "frame-ancestors 'none'" in response.headers["content-security-policy"]
    )


def test_the_stream_follows_the_board_with_only_the_customers_view(shop: Shop) -> None:
    order = shop.create(description="Interne notitie")
    other = shop.create()
    with watch(shop, order) as stream:
        first = stream.next()
        opening = first.json
        assert first.retry == 5000 and set(opening) == STATUS_KEYS and (opening["stage"], opening["stageText"]) == (
            "gepland", "Uw auto staat gepland"
        )  # fmt: skip
        move(shop, other, "Onder handen")  # another order: nothing for this page
        move(shop, order, "Onder handen", role="monteur")
        working = stream.next().json
        assert (working["stage"], working["stageText"]) == ("in-uitvoering", "We werken aan uw auto")
        started = shop.clients["monteur"].post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": STAFF[3]})
        assert started.status_code == 201  # changes nothing the page shows: no message
        part = (
            shop.clients["magazijn"]
            .post(f"/api/workorders/{order['id']}/parts", json={"description": "Remblokken", "quantity": 1})
            .json()
        )
        shop.clients["magazijn"].patch(
            f"/api/workorders/{order['id']}/parts/{part['id']}", json={"status": "besteld", "expectedAt": "2026-12-03"}
        )
        ordered = stream.next().json  # the expected date is on the page
        assert ordered["partsExpectedAt"] == "2026-12-03" and ordered["stage"] == "in-uitvoering"
        move(shop, order, "Wacht op onderdelen", role="monteur")
        waiting = stream.next().json
        assert waiting["stageText"] == "Wacht op onderdelen, verwacht 3 december"
        move(shop, order, "Klaar")
        ready = stream.next().json
        raw = [working, ordered, waiting, ready]
    assert (ready["stage"], ready["stageText"]) == ("klaar", "Klaar om op te halen")
    assert all(set(message) == STATUS_KEYS for message in raw)
    assert not any(secret in str(message) for message in raw for secret in STAFF)
    assert (ready["estimate"], ready["invoice"]) == (None, None)


@pytest.mark.parametrize(
    "token",
    ["x" * 32, "A" * 200, "%00" * 20, "%C3%A9" * 20, "..%2F..%2Fapi%2Fworkorders", "0"],
)
def test_an_unknown_token_is_a_plain_404_for_page_and_stream(shop: Shop, token: str) -> None:
    for path in (f"/status/{token}", f"/status/{token}/stream"):
        response = httpx.get(f"{shop.server.url}{path}")
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "werkorder" not in response.text.lower()


def test_a_known_token_with_one_character_changed_is_unknown(shop: Shop) -> None:
    order = shop.create()
    token = order["statusUrl"].removeprefix("/status/")
    assert len(token) >= 22  # 128 bits and more, in URL-safe base64
    twisted = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert httpx.get(f"{shop.server.url}/status/{twisted}").status_code == 404


def test_the_page_shows_the_garage_with_a_number_to_call(shop: Shop) -> None:
    order = shop.create()
    named = {**SHOP_SETTINGS, "name": "Garage <De Vries>", "phone": "+31 (0)30-123 45 67"}
    assert shop.admin.put("/api/settings/shop", json=named).status_code == 200
    try:
        page = httpx.get(f"{shop.server.url}{order['statusUrl']}").text
    finally:
        complete_shop(shop)
    assert "<h2>Garage &lt;De Vries&gt;</h2>" in page  # the shop's own words, escaped
    assert "Industrieweg 12<br>3542 AD Utrecht" in page
    assert 'href="tel:+31301234567"' in page and "Bel +31 (0)30-123 45 67" in page
    assert 'href="mailto:info@garagedevries.nl"' in page
    assert "ma–vr 08:00–17:30\nza 09:00–12:00" in page


def test_without_shop_details_the_page_shows_no_garage(own_server: Server) -> None:
    server = own_server
    token = server.token("admin")
    server.start()
    with server.client(token) as admin:
        body = {"customerName": "Fam. Leeg", "licensePlate": "LE-123-G", "description": "Kleine beurt"}
        order = admin.post("/api/workorders", json=body).json()
    page = httpx.get(f"{server.url}{order['statusUrl']}").text
    assert "Uw auto staat gepland" in page and "data-garage" not in page


def test_an_unpriced_part_reads_prijs_volgt_never_zero(shop: Shop) -> None:
    order = shop.create()
    for body in ({"description": "Remblokken", "quantity": 1, "unitPriceCents": 5000},
                 {"description": "Remschijven", "quantity": 2}):  # fmt: skip
        unpriced = shop.admin.post(f"/api/workorders/{order['id']}/parts", json=body).json()
    page = httpx.get(f"{shop.server.url}{order['statusUrl']}").text
    assert "Plus 1 onderdeel: prijs volgt" in page and "€\xa00,00" not in page and "€\xa060,50" in page
    with watch(shop, order) as stream:
        opening = stream.next().json
        assert opening["estimate"] == {
            "includingVatCents": 6050, "totalText": "€\xa060,50", "unpricedText": "Plus 1 onderdeel: prijs volgt"
        }  # fmt: skip
        shop.admin.patch(f"/api/workorders/{order['id']}/parts/{unpriced['id']}", json={"unitPriceCents": 1000})
        priced = stream.next().json
    assert priced["estimate"] == {"includingVatCents": 8470, "totalText": "€\xa084,70", "unpricedText": None}
