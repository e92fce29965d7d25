"""Shop settings and invoices over real HTTP: numbers without gaps, an invoice that never changes (its PDF read
back with pypdf holds every field the law asks for), credit notes, the lock on an invoiced order's lines, and
every refusal silent."""

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from services.clock import SHOP_ZONE
from tests.api.billing import SHOP_SETTINGS, add_labour, add_part, complete_shop, expect, move, order
from tests.conftest import Shop, assert_no_event_between
from tests.server import Server

INVOICE_FIELDS = {"id", "number", "kind", "workOrderId", "creditOf", "issuedAt", "dueAt", "lines", "totals", "pdfUrl",
                  "status", "paidCents", "paymentUrl", "payments"}  # fmt: skip


def ready_order(shop: Shop) -> dict:
    """An order in Klaar with a part and labour, for a customer with an address."""
    complete_shop(shop)
    work_order = shop.create(customer="Fam. Jansen")
    customer = {"street": "Kerkstraat 1", "postalCode": "1234AB", "city": "Amersfoort"}
    expect(shop.admin.patch(f"/api/customers/{work_order['customerId']}", json=customer), 200)
    add_part(shop, work_order, 4595, 2, "Remblokken voor")
    add_labour(shop, work_order, 75, description="Remmen vervangen")
    move(shop, work_order["id"], "Klaar")
    return work_order


def invoice_day(issued: dict) -> str:
    """The invoice's date as the shop's calendar has it (Amsterdam), from the moment the server issued it."""
    return datetime.fromisoformat(issued["issuedAt"]).astimezone(SHOP_ZONE).date().isoformat()


def invoice(shop: Shop, work_order: dict) -> dict:
    return expect(shop.admin.post(f"/api/workorders/{work_order['id']}/invoice"), 201).json()


def pdf_text(shop: Shop, invoice_id: int) -> str:
    response = expect(shop.admin.get(f"/api/invoices/{invoice_id}/pdf"), 200)
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


def test_shop_settings_round_trip_and_bad_numbers(shop: Shop) -> None:
    saved = complete_shop(shop)
    assert saved == {**SHOP_SETTINGS, "vatNumber": "NL000099998B57", "iban": "NL91 ABNA 0417 1643 00"}
    assert expect(shop.admin.get("/api/settings/shop"), 200).json() == saved
    for field, bad in [("kvk", "1234567"), ("kvk", "1234567A"), ("vatNumber", "NL000099998B58"),
                       ("iban", "NL91ABNA0417164301"), ("postalCode", "12345")]:  # fmt: skip
        response = shop.admin.put("/api/settings/shop", json={**SHOP_SETTINGS, field: bad})
        assert response.status_code == 422 and isinstance(response.json()["detail"], str), (field, response.text)
    expect(shop.admin.put("/api/settings/shop", json={**SHOP_SETTINGS, "hourlyRateCents": -1}), 422)
    for unit in (0, 241, 7.5):
        expect(shop.admin.put("/api/settings/shop", json={**SHOP_SETTINGS, "billingUnitMinutes": unit}), 422)
    assert expect(shop.admin.get("/api/settings/shop"), 200).json() == saved
    for role in ("monteur", "magazijn", "display"):
        expect(shop.clients[role].get("/api/settings/shop"), 403)
        expect(shop.clients[role].put("/api/settings/shop", json=SHOP_SETTINGS), 403)
    without_unit = {name: value for name, value in SHOP_SETTINGS.items() if name != "billingUnitMinutes"}
    tenth = expect(shop.admin.put("/api/settings/shop", json={**SHOP_SETTINGS, "billingUnitMinutes": 6}), 200).json()
    assert tenth["billingUnitMinutes"] == 6
    assert expect(shop.admin.put("/api/settings/shop", json=without_unit), 200).json() == saved  # left out: 15


def test_every_bad_setting_is_named_in_one_refusal(shop: Shop) -> None:
    saved = complete_shop(shop)
    bad = {**SHOP_SETTINGS, "kvk": "1234567", "iban": "NL91ABNA0417164301", "postalCode": "12345"}
    refused = expect(shop.admin.put("/api/settings/shop", json=bad), 422).json()
    assert set(refused["fields"]) == {"kvk", "iban", "postalCode"}
    assert "KvK-nummer" in refused["fields"]["kvk"] and "IBAN" in refused["fields"]["iban"]
    assert all(message in refused["detail"] for message in refused["fields"].values())
    assert expect(shop.admin.get("/api/settings/shop"), 200).json() == saved


def test_an_invoice_for_a_finished_order(shop: Shop) -> None:
    work_order = ready_order(shop)
    with shop.stream(query=f"?workOrderId={work_order['id']}&changeType=invoice") as stream:
        stream.next()
        issued = invoice(shop, work_order)
        event = stream.next().json
    assert set(issued) == INVOICE_FIELDS and re.fullmatch(rf"{invoice_day(issued)[:4]}-\d{{4}}", issued["number"])
    assert (issued["kind"], issued["creditOf"], issued["pdfUrl"]) == (
        "factuur",
        None,
        f"/api/invoices/{issued['id']}/pdf",
    )
    assert issued["totals"] == {"excludingVatCents": 9190 + 10938, "vatCents": 4227, "includingVatCents": 24355}
    columns = [
        (line["quantity"], line["unitPriceCents"], line["vatRate"], line["totalCents"]) for line in issued["lines"]
    ]
    assert columns == [(2, 4595, 21, 9190), (1, 10938, 21, 10938)]
    summary = {key: value for key, value in issued.items() if key != "lines"}  # the stream's: without its lines
    assert event["invoice"] == summary and event["workOrder"]["invoice"] == summary
    assert order(shop, work_order["id"])["invoice"] == issued
    assert expect(shop.admin.get(f"/api/invoices/{issued['id']}"), 200).json() == issued
    year = expect(shop.admin.get(f"/api/invoices?year={issued['number'][:4]}"), 200).json()
    assert issued in [{key: row[key] for key in issued} for row in year]  # each row also says who owes it
    assert [i["number"] for i in year] == sorted(i["number"] for i in year)
    summary = shop.admin.get(f"/api/workorders/{work_order['id']}/events").json()[-1]["summary"]
    assert summary == f"test-admin factureerde €\xa0243,55 incl. btw (factuur {issued['number']})"


def test_the_pdf_holds_what_the_law_asks(shop: Shop) -> None:
    work_order = ready_order(shop)
    issued = invoice(shop, work_order)
    text = pdf_text(shop, issued["id"])
    day = datetime.fromisoformat(invoice_day(issued))
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december"]  # fmt: skip
    required = [
        "Garage De Vries", "Industrieweg 12", "3542 AD Utrecht", "KvK-nummer: 12345678", "Btw-id: NL000099998B57",
        "Fam. Jansen", "Kerkstraat 1", "1234 AB Amersfoort", issued["number"],
        f"Factuurdatum{day.day} {months[day.month - 1]} {day.year}", "Leverdatum",
        "Remblokken voor", "€ 45,95", "€ 91,90", "21%", "Arbeid: Remmen vervangen (1 u 15 min à € 87,50 per uur)",
        "Totaal excl. btw", "€ 201,28", "Btw 21% over € 201,28", "€ 42,27", "Totaal incl. btw", "€ 243,55",
        "Betalingstermijn: 14 dagen", "NL91 ABNA 0417 1643 00",
    ]  # fmt: skip
    squeezed = text.replace(" ", "")
    missing = [field for field in required if field not in text and field.replace(" ", "") not in squeezed]
    assert not missing, f"missing {missing} in:\n{text}"


def test_an_issued_invoice_never_changes(shop: Shop) -> None:
    work_order = ready_order(shop)
    issued = invoice(shop, work_order)
    before = pdf_text(shop, issued["id"])
    expect(shop.admin.put("/api/settings/shop", json={**SHOP_SETTINGS, "name": "Autobedrijf Anders"}), 200)
    expect(shop.admin.patch(f"/api/customers/{work_order['customerId']}", json={"name": "Fam. Pietersen"}), 200)
    try:
        assert expect(shop.admin.get(f"/api/invoices/{issued['id']}"), 200).json() == issued
        assert pdf_text(shop, issued["id"]) == before and "Autobedrijf Anders" not in before
    finally:
        complete_shop(shop)


def test_an_invoiced_order_is_fixed_until_credited(shop: Shop) -> None:
    work_order = ready_order(shop)
    session = expect(
        shop.admin.post(f"/api/workorders/{work_order['id']}/sessions", json={"mechanic": "frits"}), 201
    ).json()
    expect(
        shop.admin.patch(f"/api/workorders/{work_order['id']}/sessions/{session['id']}", json={"action": "stop"}), 200
    )
    issued = invoice(shop, work_order)
    part = order(shop, work_order["id"])["parts"][0]
    line = order(shop, work_order["id"])["labour"][0]
    base = f"/api/workorders/{work_order['id']}"

    def refused() -> None:
        expect(shop.admin.post(f"{base}/invoice"), 409)  # a second invoice
        expect(shop.admin.post(f"{base}/parts", json={"description": "x", "quantity": 1}), 409)
        expect(shop.admin.patch(f"{base}/parts/{part['id']}", json={"quantity": 3}), 409)
        expect(shop.admin.delete(f"{base}/parts/{part['id']}"), 409)
        expect(shop.admin.post(f"{base}/labour", json={"description": "x", "minutes": 5}), 409)
        expect(shop.admin.post(f"{base}/labour/from-sessions"), 409)
        expect(shop.admin.delete(f"{base}/labour/{line['id']}"), 409)
        expect(shop.admin.patch(f"{base}/sessions/{session['id']}", json={"startedAt": session["startedAt"]}), 409)

    assert_no_event_between(shop, refused)
    assert order(shop, work_order["id"])["invoice"] == issued

    credit = expect(shop.admin.post(f"/api/invoices/{issued['id']}/credit"), 201).json()
    assert (credit["kind"], credit["creditOf"]) == ("creditnota", issued["id"])
    assert int(credit["number"][5:]) > int(issued["number"][5:])
    assert credit["totals"] == {key: -value for key, value in issued["totals"].items()}
    assert [(c["quantity"], c["totalCents"]) for c in credit["lines"]] == [
        (-i["quantity"], -i["totalCents"]) for i in issued["lines"]
    ]
    assert order(shop, work_order["id"])["invoice"] is None
    assert "Correctie op factuur" in pdf_text(shop, credit["id"])

    def credit_refused() -> None:
        expect(shop.admin.post(f"/api/invoices/{issued['id']}/credit"), 409)  # credited already
        expect(shop.admin.post(f"/api/invoices/{credit['id']}/credit"), 409)  # a credit note itself
        expect(shop.admin.post("/api/invoices/999999/credit"), 404)

    assert_no_event_between(shop, credit_refused)
    add_labour(shop, work_order, 15, description="Nog even afstellen")  # open again
    again = invoice(shop, work_order)
    assert again["totals"]["excludingVatCents"] == issued["totals"]["excludingVatCents"] + 2188


@pytest.mark.parametrize("column", ["Gepland", "Auto binnen", "Onder handen", "Wacht op onderdelen"])
def test_no_invoice_before_klaar(shop: Shop, column: str) -> None:
    complete_shop(shop)
    work_order = shop.create()
    add_part(shop, work_order, 1000)
    if column != "Gepland":
        move(shop, work_order["id"], column)

    def refused() -> None:
        response = expect(shop.admin.post(f"/api/workorders/{work_order['id']}/invoice"), 409)
        assert "Klaar" in response.json()["detail"]

    assert_no_event_between(shop, refused)


def test_nothing_to_invoice_is_refused(shop: Shop) -> None:
    complete_shop(shop)
    work_order = shop.create()
    move(shop, work_order["id"], "Klaar")
    assert_no_event_between(shop, lambda: expect(shop.admin.post(f"/api/workorders/{work_order['id']}/invoice"), 409))


def test_incomplete_shop_settings_refuse_an_invoice(own_server: Server) -> None:
    token = own_server.token("admin")
    with own_server as server, server.client(token) as admin:
        created = admin.post(
            "/api/workorders", json={"customerName": "K", "licensePlate": "AB123C", "description": "x"}
        ).json()
        admin.post(
            f"/api/workorders/{created['id']}/parts", json={"description": "x", "quantity": 1, "unitPriceCents": 5}
        )
        admin.patch(f"/api/workorders/{created['id']}/column", json={"column": "Klaar"})
        admin.put("/api/settings/shop", json={**SHOP_SETTINGS, "iban": None})
        response = admin.post(f"/api/workorders/{created['id']}/invoice")
        assert response.status_code == 409 and "IBAN" in response.json()["detail"]
        assert admin.get("/api/invoices").json() == []
        assert admin.get(f"/api/workorders/{created['id']}/events").json()[-1]["changeType"] != "invoice"
        rate_missing = admin.put("/api/settings/shop", json={**SHOP_SETTINGS, "hourlyRateCents": None})
        assert rate_missing.status_code == 200
        labour = admin.post(f"/api/workorders/{created['id']}/labour", json={"description": "x", "minutes": 5})
        assert labour.status_code == 409 and "uurtarief" in labour.json()["detail"]


def test_roles(shop: Shop) -> None:
    work_order = ready_order(shop)
    issued = invoice(shop, work_order)

    def refused() -> None:
        for role in ("monteur", "magazijn", "display"):
            client = shop.clients[role]
            expect(client.post(f"/api/workorders/{work_order['id']}/invoice"), 403)
            expect(client.post(f"/api/invoices/{issued['id']}/credit"), 403)
            expect(client.get("/api/invoices"), 403)
            expect(client.get(f"/api/invoices/{issued['id']}"), 403)
            expect(client.get(f"/api/invoices/{issued['id']}/pdf"), 403)

    assert_no_event_between(shop, refused)
    expect(shop.admin.get("/api/invoices/999999"), 404)
    expect(shop.admin.get("/api/invoices?year=abc"), 422)


def test_closing_an_invoiced_order_is_no_closing_without_one(shop: Shop) -> None:
    complete_shop(shop)
    closing = shop.create()
    add_part(shop, closing, 1250)
    move(shop, closing["id"], "Klaar")
    expect(shop.admin.post(f"/api/workorders/{closing['id']}/invoice"), 201)
    move(shop, closing["id"], "Afgerond")
    closed = shop.admin.get(f"/api/workorders/{closing['id']}/events").json()[-2]
    assert (closed["summary"], closed["withoutInvoice"]) == ("test-admin verplaatste de auto naar Afgerond", False)
