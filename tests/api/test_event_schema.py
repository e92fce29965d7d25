"""The published JSON Schema of the stream: every message a real stream sends validates against it, the way a
third-party EventSource client would check it, and the copy in docs/ is the one the server serves."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tests.api.billing import SHOP_SETTINGS, expect, move, order
from tests.api.inspection import grade, item_of, recommend, send, start
from tests.api.test_inspection_answer import BRAKES, answer
from tests.api.test_inspection_photos import jpeg, upload
from tests.conftest import Shop

DOCS_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "events.schema.json"


@pytest.fixture(scope="module")
def validator(shop: Shop) -> Draft202012Validator:
    response = shop.clients["monteur"].get("/api/events/schema")
    assert response.status_code == 200
    schema = response.json()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_every_kind_of_message_validates(shop: Shop, validator: Draft202012Validator) -> None:
    with shop.stream() as stream:
        messages = [stream.next().json]
        order = shop.create()
        path = f"/api/workorders/{order['id']}"
        shop.admin.patch(f"{path}/column", json={"column": "Onder handen"})
        session = shop.clients["monteur"].post(f"{path}/sessions", json={"mechanic": "fatima"}).json()
        shop.clients["monteur"].patch(f"{path}/sessions/{session['id']}", json={"action": "stop"})
        shop.admin.patch(path, json={"mileage": 42})
        shop.admin.patch(f"/api/customers/{order['customerId']}", json={"phone": "0201234567"})
        shop.clients["monteur"].post(f"{path}/parts", json={"description": "Oliefilter", "quantity": 1})
        messages += [message.json for message in stream.take(8)]
    kinds = [message.get("changeType", message["type"]) for message in messages]
    assert kinds == ["connected", "created", "column", "status", "session", "session", "details", "customer", "parts"]
    for message in messages:
        errors = [error.message for error in validator.iter_errors(message)]
        assert not errors, (message, errors)


def test_a_message_off_the_schema_is_caught(validator: Draft202012Validator) -> None:
    assert not validator.is_valid({"type": "workorder-update", "changeType": "column", "column": "Nergens"})
    assert not validator.is_valid({"type": "connected"})


def test_the_docs_copy_is_what_the_server_serves(shop: Shop) -> None:
    served = shop.admin.get("/api/events/schema").json()
    regenerate = "python main.py event-schema > docs/events.schema.json"
    assert json.loads(DOCS_SCHEMA.read_text()) == served, regenerate
    assert shop.clients["display"].get("/api/events/schema").status_code == 403


def _keys(value: object) -> set[str]:
    """Every key at any depth of a JSON value."""
    if isinstance(value, dict):
        return set(value).union(*(_keys(inner) for inner in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(inner) for inner in value))
    return set()


def test_version_2_streams_a_lean_order_and_get_stays_complete(shop: Shop, validator: Draft202012Validator) -> None:
    """An order with the preset inspection (recommendations, a photo), the customer's online approval and an
    invoice: each of its events is under 3 KB and carries no approval snapshot, inspection items or invoice lines,
    all valid against the published schema (version 2); GET /api/workorders/{id} still has all three."""
    expect(shop.admin.put("/api/settings/shop", json=SHOP_SETTINGS), 200)
    work_order = shop.create(customer="Mevr. de Vries")
    inspection = start(shop, work_order)
    grade(shop, inspection, item_of(inspection, "Verlichting"), grade="groen")
    brakes = recommend(shop, inspection, "Remmen voor", "Remschijven voor", 34950, **BRAKES)
    wipers = recommend(shop, inspection, "Ruitenwissers", "Ruitenwissers vervangen", 4500, note="scheuren")
    tyre = recommend(shop, inspection, "Band linksvoor", "Band linksvoor vervangen", 12900, note="1,6 mm")
    photos = f"/api/inspections/{inspection['id']}/items/{brakes['id']}/photos"
    expect(upload(shop, photos, jpeg(1200, 900)), 201)
    send(shop, inspection)
    decisions = {str(brakes["id"]): "akkoord", str(wipers["id"]): "akkoord", str(tyre["id"]): "afgewezen"}
    expect(answer(shop, work_order, decisions), 201)
    move(shop, work_order["id"], "Klaar")
    expect(shop.admin.post(f"/api/workorders/{work_order['id']}/invoice"), 201)
    complete = order(shop, work_order["id"])
    assert complete["approval"]["snapshot"]["lines"] and complete["invoice"]["lines"]
    assert len(complete["inspection"]["items"]) >= 15  # the preset checklist

    with shop.stream(query=f"?workOrderId={work_order['id']}", **{"Last-Event-ID": "0"}) as stream:
        connected = stream.next().json
        history = expect(shop.admin.get(f"/api/workorders/{work_order['id']}/events"), 200).json()
        messages = stream.take(len(history))
    assert connected["schemaVersion"] == 2 and validator.schema["$id"].endswith(":v2")
    kinds = {message.json["changeType"] for message in messages}
    assert {"inspection", "approval", "labour", "parts", "column", "invoice"} <= kinds
    for message in messages:
        size = len(message.data.encode())
        assert size < 3 * 1024, (message.json["changeType"], size)
        assert not {"snapshot", "items", "lines"} & _keys(message.json["workOrder"]), message.data
        assert "snapshot" not in _keys(message.json), message.data
        assert not list(validator.iter_errors(message.json)), message.data
    last = messages[-1].json["workOrder"]
    total = len(complete["inspection"]["items"])
    counted = {"total": total, "groen": 1, "oranje": 0, "rood": 3, "ungraded": total - 4, "photos": 1,
               "recommendations": 3, "approved": 2, "declined": 1}  # fmt: skip
    assert last["inspection"]["counts"] == counted
    assert last["approval"] == {k: v for k, v in complete["approval"].items() if k != "snapshot"}
    assert last["invoice"] == {k: v for k, v in complete["invoice"].items() if k != "lines"}
    assert set(last) == set(complete)  # every key of the complete order
