"""The published JSON Schema of the stream: every message a real stream sends validates against it, the way a
third-party EventSource client would check it, and the copy in docs/ is the one the server serves."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

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
