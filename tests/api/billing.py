"""Shortcuts for the labour, approval and invoice tests: lines on an order, a complete shop, an order in Klaar."""

import hashlib
import json

from tests.api.test_display import data_url, png
from tests.conftest import Shop

SHOP_SETTINGS = {
    "name": "Garage De Vries",
    "street": "Industrieweg 12",
    "postalCode": "3542 AD",
    "city": "Utrecht",
    "kvk": "12345678",
    "vatNumber": "NL000099998B57",
    "iban": "NL91ABNA0417164300",
    "hourlyRateCents": 8750,
    "paymentTermDays": 14,
    "phone": "030 123 45 67",
    "email": "info@garagedevries.nl",
    "openingHours": "ma–vr 08:00–17:30\nza 09:00–12:00",
    "billingUnitMinutes": 15,
}


def expect(response, status: int):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response


def complete_shop(shop: Shop) -> dict:
    return expect(shop.admin.put("/api/settings/shop", json=SHOP_SETTINGS), 200).json()


def add_part(shop: Shop, order: dict, cents: int | None, quantity: int = 1, description: str = "Onderdeel") -> dict:
    body = {"description": description, "quantity": quantity, "unitPriceCents": cents}
    return expect(shop.admin.post(f"/api/workorders/{order['id']}/parts", json=body), 201).json()


def add_labour(shop: Shop, order: dict, minutes: int, rate: int | None = None, description: str = "Werk") -> dict:
    body: dict = {"description": description, "minutes": minutes}
    if rate is not None:
        body["rateCents"] = rate
    return expect(shop.admin.post(f"/api/workorders/{order['id']}/labour", json=body), 201).json()


def order(shop: Shop, order_id: int) -> dict:
    return expect(shop.admin.get(f"/api/workorders/{order_id}"), 200).json()


def sign_on_ipad(shop: Shop, order_id: int, name: str = "Mevr. de Vries") -> dict:
    expect(shop.admin.put("/api/display/current", json={"workOrderId": order_id}), 200)
    body = {"workOrderId": order_id, "signerName": name, "signature": data_url(png())}
    return expect(shop.clients["display"].post("/api/display/signature", json=body), 201).json()


def move(shop: Shop, order_id: int, column: str) -> dict:
    return expect(shop.admin.patch(f"/api/workorders/{order_id}/column", json={"column": column}), 200).json()


def contract_sha256(snapshot: dict) -> str:
    """The contract's recipe, written out again here: not the server's code."""
    encoded = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()
