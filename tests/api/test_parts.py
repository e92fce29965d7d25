"""Parts over real HTTP and SSE: the whole life of a part, `allReceived` exactly once, every refused step
changing and emitting nothing, and who may do what."""

import pytest

from tests.conftest import Shop, assert_no_event_between

FIELDS = {"id", "workOrderId", "articleNumber", "description", "quantity", "unitPriceCents", "supplier",
          "supplierReference", "status", "expectedAt", "orderedAt", "receivedAt", "version"}  # fmt: skip


def add(shop: Shop, order: dict, role: str = "monteur", **fields: object) -> dict:
    body = {"description": "Remblokken voor", "quantity": 1, **fields}
    response = shop.clients[role].post(f"/api/workorders/{order['id']}/parts", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def patch(shop: Shop, part: dict, role: str = "magazijn", **fields: object) -> dict:
    response = shop.clients[role].patch(f"/api/workorders/{part['workOrderId']}/parts/{part['id']}", json=fields)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_whole_life_of_a_part_on_the_stream(shop: Shop) -> None:
    order = shop.create()
    with shop.stream(query=f"?workOrderId={order['id']}&changeType=parts") as stream:
        stream.next()
        part = add(shop, order, articleNumber="BP-123", unitPriceCents=4595, supplier="Van Wezel")
        assert set(part) == FIELDS and (part["status"], part["version"], part["orderedAt"]) == ("nodig", 1, None)
        ordered = patch(shop, part, status="besteld", expectedAt="2026-12-03", supplierReference="VW-889")
        received = patch(shop, ordered, status="ontvangen")
        fitted = patch(shop, received, role="monteur", status="gemonteerd")
        events = [stream.next().json for _ in range(4)]
    assert ordered["orderedAt"] and ordered["expectedAt"] == "2026-12-03" and ordered["supplierReference"] == "VW-889"
    assert received["receivedAt"] and fitted["status"] == "gemonteerd" and fitted["version"] == 4
    assert [(e["action"], e["part"]["status"], e["allReceived"]) for e in events] == [
        ("added", "nodig", False), ("updated", "besteld", False), ("updated", "ontvangen", True),
        ("updated", "gemonteerd", False),
    ]  # fmt: skip
    assert events[-1]["workOrder"]["parts"] == [fitted]
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"] == [fitted]
    sentences = [e["summary"] for e in shop.admin.get(f"/api/workorders/{order['id']}/events").json()][-4:]
    assert sentences == [
        "test-monteur vroeg 1 × Remblokken voor aan",
        "test-magazijn bestelde 1 × Remblokken voor bij Van Wezel, verwacht 3 december 2026",
        "test-magazijn ontving 1 × Remblokken voor: alle onderdelen binnen",
        "test-monteur monteerde 1 × Remblokken voor",
    ]


def test_all_received_comes_once_when_the_last_ordered_part_arrives(shop: Shop) -> None:
    order = shop.create()
    first, second, waiting = (add(shop, order, description=name) for name in ("Waterpomp", "Distributieriem", "Lamp"))
    first, second = (patch(shop, part, status="besteld") for part in (first, second))
    with shop.stream(query=f"?workOrderId={order['id']}&changeType=parts") as stream:
        stream.next()
        patch(shop, first, status="ontvangen")
        patch(shop, second, status="ontvangen")
        patch(shop, waiting, quantity=2)  # still nodig: it was never ordered, so it does not count
        flags = [stream.next().json["allReceived"] for _ in range(3)]
    assert flags == [False, True, False]


@pytest.mark.parametrize(
    ("start", "body", "status"),
    [
        ("nodig", {"status": "ontvangen"}, 409),
        ("nodig", {"status": "gemonteerd"}, 409),
        ("nodig", {"status": "retour"}, 409),
        ("besteld", {"status": "nodig"}, 409),
        ("gemonteerd", {"status": "retour"}, 409),
        ("retour", {"status": "besteld"}, 409),
        ("nodig", {"version": 99, "quantity": 3}, 409),
        ("nodig", {"status": "kwijt"}, 422),
        ("nodig", {"quantity": 0}, 422),
        ("nodig", {"quantity": -2}, 422),
        ("nodig", {"quantity": None}, 422),
        ("nodig", {"unitPriceCents": -1}, 422),
        ("nodig", {"expectedAt": "morgen"}, 422),
        ("nodig", {"colour": "rood"}, 422),
    ],
)
def test_a_refused_change_changes_and_emits_nothing(shop: Shop, start: str, body: dict, status: int) -> None:
    order = shop.create()
    part = add(shop, order)
    path = {"nodig": [], "besteld": ["besteld"], "gemonteerd": ["besteld", "ontvangen", "gemonteerd"],
            "retour": ["besteld", "retour"]}[start]  # fmt: skip
    for step in path:
        part = patch(shop, part, role="admin", status=step)

    def refused() -> None:
        response = shop.clients["magazijn"].patch(f"/api/workorders/{order['id']}/parts/{part['id']}", json=body)
        assert response.status_code == status, response.text
        assert isinstance(response.json()["detail"], str | list)

    assert_no_event_between(shop, refused)
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"] == [part]


@pytest.mark.parametrize(
    "body",
    [{"description": "x", "quantity": 0}, {"description": "x", "quantity": 1, "unitPriceCents": -5},
     {"description": "  ", "quantity": 1}, {"quantity": 1}, {"description": "x", "quantity": 1.5}],
)  # fmt: skip
def test_adding_refuses_bad_input(shop: Shop, body: dict) -> None:
    order = shop.create()

    def refused() -> None:
        assert shop.admin.post(f"/api/workorders/{order['id']}/parts", json=body).status_code == 422

    assert_no_event_between(shop, refused)


def test_unknown_orders_and_another_orders_part_are_404(shop: Shop) -> None:
    order, other = shop.create(), shop.create()
    part = add(shop, order)

    def refused() -> None:
        assert (
            shop.admin.patch(f"/api/workorders/{other['id']}/parts/{part['id']}", json={"quantity": 2}).status_code
            == 404
        )
        assert shop.admin.delete(f"/api/workorders/{other['id']}/parts/{part['id']}").status_code == 404
        assert (
            shop.admin.post("/api/workorders/999999/parts", json={"description": "x", "quantity": 1}).status_code == 404
        )
        assert shop.admin.patch(f"/api/workorders/{order['id']}/parts/999999", json={"quantity": 2}).status_code == 404

    assert_no_event_between(shop, refused)


def test_delete_only_while_needed(shop: Shop) -> None:
    order = shop.create()
    keep, drop = add(shop, order), add(shop, order, description="Ruitenwissers")
    keep = patch(shop, keep, status="besteld")

    def refused() -> None:
        assert shop.admin.delete(f"/api/workorders/{order['id']}/parts/{keep['id']}").status_code == 409

    assert_no_event_between(shop, refused)
    with shop.stream(query=f"?workOrderId={order['id']}&changeType=parts") as stream:
        stream.next()
        assert shop.clients["magazijn"].delete(f"/api/workorders/{order['id']}/parts/{drop['id']}").status_code == 204
        event = stream.next().json
    assert (event["action"], event["part"]["id"]) == ("removed", drop["id"])
    assert [p["id"] for p in shop.admin.get(f"/api/workorders/{order['id']}").json()["parts"]] == [keep["id"]]


def test_roles(shop: Shop) -> None:
    order = shop.create()
    part = add(shop, order, role="magazijn")
    path = f"/api/workorders/{order['id']}/parts/{part['id']}"

    def refused() -> None:
        new = {"description": "x", "quantity": 1}
        assert shop.clients["display"].post(f"/api/workorders/{order['id']}/parts", json=new).status_code == 403
        assert shop.clients["display"].patch(path, json={"status": "besteld"}).status_code == 403
        assert shop.clients["monteur"].patch(path, json={"status": "besteld"}).status_code == 403
        assert shop.clients["monteur"].patch(path, json={"quantity": 4}).status_code == 403
        assert shop.clients["monteur"].delete(path).status_code == 403

    assert_no_event_between(shop, refused)
