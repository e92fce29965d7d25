"""Shortcuts for the inspection tests: an inspection on an order, an item graded with a recommendation, sent."""

from tests.api.billing import expect
from tests.conftest import Shop


def start(shop: Shop, work_order: dict, role: str = "monteur") -> dict:
    return expect(shop.clients[role].post(f"/api/workorders/{work_order['id']}/inspection", json={}), 201).json()


def item_of(inspection: dict, label_start: str) -> dict:
    return next(item for item in inspection["items"] if item["label"].startswith(label_start))


def grade(shop: Shop, inspection: dict, item: dict, **body: object) -> dict:
    path = f"/api/inspections/{inspection['id']}/items/{item['id']}"
    return expect(shop.clients["monteur"].patch(path, json=body), 200).json()


def recommend(shop: Shop, inspection: dict, label_start: str, description: str, price: int, **extra: object) -> dict:
    """A red item with a note and a recommendation of `price` cents incl. VAT."""
    note = extra.pop("note", "2 mm")
    recommendation = {"description": description, "priceCents": price, **extra}
    item = item_of(inspection, label_start)
    updated = grade(shop, inspection, item, grade="rood", note=note, recommendation=recommendation)
    return item_of(updated, label_start)


def send(shop: Shop, inspection: dict) -> dict:
    return expect(shop.admin.post(f"/api/inspections/{inspection['id']}/send"), 200).json()
