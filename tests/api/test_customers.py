"""Customers over real HTTP: create, search, edit; an edit reaches every open work order of the customer as a
`customer` event; bad input is a Dutch 422 (or 404) that changes and emits nothing."""

import pytest

from tests.conftest import Shop, assert_no_event_between

FIELDS = {"id", "name", "email", "phone", "street", "postalCode", "city", "kvk", "vatNumber", "remindersOptOut",
          "createdAt", "updatedAt"}  # fmt: skip


def new_customer(shop: Shop, **fields: str) -> dict:
    response = shop.admin.post("/api/customers", json={"name": "Garage Klant", **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_cleans_and_returns_the_contract_shape(shop: Shop) -> None:
    customer = new_customer(
        shop, name="  Bakker   B.V. ", email="Inkoop@Bakker.NL", phone="+31 20 123 4567",
        street="Dorpsstraat 1", postalCode="1234ab", city="Utrecht",
    )  # fmt: skip
    assert set(customer) == FIELDS
    assert (customer["name"], customer["email"], customer["postalCode"]) == (
        "Bakker B.V.",
        "Inkoop@bakker.nl",
        "1234 AB",
    )
    assert shop.clients["monteur"].get(f"/api/customers/{customer['id']}").json() == customer


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "jan@"}, "geen geldig e-mailadres"),
        ({"email": "jan at example.nl"}, "geen geldig e-mailadres"),
        ({"postalCode": "0123 AB"}, "geen geldige postcode"),
        ({"postalCode": "12345"}, "geen geldige postcode"),
        ({"phone": "bel me"}, "geen geldig telefoonnummer"),
        ({"name": "   "}, "Klantnaam mag niet leeg zijn"),
        ({"kvk": "1234567"}, "geen geldig KvK-nummer"),
        ({"vatNumber": "NL000099998B58"}, "geen geldig btw-identificatienummer"),
    ],
)
def test_bad_fields_are_a_dutch_422_and_change_nothing(shop: Shop, fields: dict, message: str) -> None:
    before = shop.admin.get("/api/customers").json()

    def refused() -> None:
        response = shop.admin.post("/api/customers", json={"name": "Fout", **fields})
        assert response.status_code == 422 and message in response.json()["detail"], response.text

    assert_no_event_between(shop, refused)
    customer = new_customer(shop)
    patched = shop.admin.patch(f"/api/customers/{customer['id']}", json=fields)
    assert patched.status_code == 422 and message in patched.json()["detail"]
    assert shop.admin.get(f"/api/customers/{customer['id']}").json() == customer
    assert len(shop.admin.get("/api/customers").json()) >= len(before)


def test_a_business_customer_has_its_kvk_number_and_btw_id(shop: Shop) -> None:
    customer = new_customer(shop, name="Lease B.V.", kvk="1234.5678", vatNumber="nl 0000.99998.B57")
    assert (customer["kvk"], customer["vatNumber"]) == ("12345678", "NL000099998B57")  # as the shop's are stored
    private = new_customer(shop, name="Jan Particulier")
    assert (private["kvk"], private["vatNumber"]) == (None, None)
    patched = shop.admin.patch(f"/api/customers/{private['id']}", json={"kvk": "87654321"})
    assert patched.status_code == 200 and patched.json()["kvk"] == "87654321"
    cleared = shop.admin.patch(f"/api/customers/{customer['id']}", json={"kvk": None, "vatNumber": ""})
    assert (cleared.json()["kvk"], cleared.json()["vatNumber"]) == (None, None)


def test_search_by_name_email_or_phone_in_any_case(shop: Shop) -> None:
    target = new_customer(shop, name="Zoekbare Zeeman", email="zee@voorbeeld.nl", phone="06-87654321")
    new_customer(shop, name="Iemand Anders")
    for query in ("zoekbare", "ZEEMAN", "zee@voorb", "87654", "0687654321", "06 8765 4321"):
        found = shop.clients["magazijn"].get("/api/customers", params={"q": query}).json()
        assert [c["id"] for c in found] == [target["id"]], query
    assert shop.admin.get("/api/customers", params={"q": "%"}).json() == []  # a wildcard is just a character


def test_edit_emits_customer_for_each_open_order_only(shop: Shop) -> None:
    customer = new_customer(shop, name="Fam. Verhuis")
    orders = []
    for _ in range(3):
        body = {"customerId": customer["id"], "licensePlate": "VH-01-AB", "description": "Beurt"}
        response = shop.admin.post("/api/workorders", json=body)
        assert response.status_code == 201 and response.json()["customerName"] == "Fam. Verhuis"
        orders.append(response.json())
    shop.admin.patch(f"/api/workorders/{orders[2]['id']}/column", json={"column": "Afgerond"})
    with shop.stream(query="?changeType=customer") as stream:
        stream.next()
        response = shop.admin.patch(
            f"/api/customers/{customer['id']}", json={"city": "Zwolle", "name": "Fam. Verhuisd"}
        )
        assert response.status_code == 200 and response.json()["city"] == "Zwolle"
        events = [stream.next().json for _ in range(2)]
        shop.admin.patch(f"/api/customers/{customer['id']}", json={"city": "Zwolle"})  # nothing changes: no event
        sentinel = shop.admin.patch(f"/api/customers/{customer['id']}", json={"phone": "0612345678"})
        assert stream.next().json["customer"]["phone"] == sentinel.json()["phone"]
    assert [e["workOrderId"] for e in events] == [orders[0]["id"], orders[1]["id"]]
    for event in events:
        assert event["customer"]["city"] == "Zwolle" and event["workOrder"]["customerName"] == "Fam. Verhuisd"
        assert event["actor"] == {"name": "test-admin", "role": "admin"}


def test_unknown_customer_is_404_everywhere(shop: Shop) -> None:
    assert shop.admin.get("/api/customers/999999").status_code == 404
    assert shop.admin.patch("/api/customers/999999", json={"city": "X"}).status_code == 404

    def refused() -> None:
        body = {"customerId": 999999, "licensePlate": "AB123C", "description": "x"}
        response = shop.admin.post("/api/workorders", json=body)
        assert response.status_code == 404 and response.json()["detail"] == "Klant 999999 bestaat niet"

    assert_no_event_between(shop, refused)
    assert shop.admin.get(f"/api/customers/{2**64}").status_code == 422


def test_roles(shop: Shop) -> None:
    assert shop.clients["monteur"].post("/api/customers", json={"name": "X"}).status_code == 403
    assert shop.clients["magazijn"].patch("/api/customers/1", json={"name": "X"}).status_code == 403
    assert shop.clients["display"].get("/api/customers").status_code == 403
