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


def parts_flags(stream, count: int) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    """(action, description, allReceived) of the next `count` parts events."""
    events = [stream.next().json for _ in range(count)]
    return [(e["action"], e["part"]["description"], e["allReceived"]) for e in events]


def test_all_received_only_on_the_change_after_which_nothing_is_awaited(shop: Shop) -> None:
    order = shop.create()
    pump, belt, lamp = (add(shop, order, description=name) for name in ("Waterpomp", "Distributieriem", "Lamp"))
    pump, belt = (patch(shop, part, status="besteld") for part in (pump, belt))
    with shop.stream(query=f"?workOrderId={order['id']}&changeType=parts") as stream:
        stream.next()
        patch(shop, pump, status="ontvangen")
        belt = patch(shop, belt, status="ontvangen")  # the last ordered one, but the lamp is still nodig
        lamp = patch(shop, lamp, quantity=2)
        assert shop.clients["magazijn"].delete(f"/api/workorders/{order['id']}/parts/{lamp['id']}").status_code == 204
        patch(shop, belt, role="monteur", status="gemonteerd")
        flags = parts_flags(stream, 5)
    assert flags == [
        ("updated", "Waterpomp", False), ("updated", "Distributieriem", False), ("updated", "Lamp", False),
        ("removed", "Lamp", True), ("updated", "Distributieriem", False),
    ]  # fmt: skip
    history = [e["summary"] for e in shop.admin.get(f"/api/workorders/{order['id']}/events").json()]
    assert history[-2] == "test-magazijn schrapte 2 × Lamp: alle onderdelen binnen"


def test_all_received_again_after_a_new_part_arrives_but_never_for_an_order_left_without_parts(shop: Shop) -> None:
    order, emptied = shop.create(), shop.create()
    first = patch(shop, patch(shop, add(shop, order, description="Accu"), status="besteld"), status="ontvangen")
    only = add(shop, emptied, description="Ruitenwisser")
    with shop.stream(query="?changeType=parts") as stream:
        stream.next()
        second = patch(shop, add(shop, order, description="Accupool"), status="besteld")
        patch(shop, second, status="ontvangen")
        patch(shop, first, status="retour")
        assert shop.admin.delete(f"/api/workorders/{emptied['id']}/parts/{only['id']}").status_code == 204
        flags = parts_flags(stream, 5)
    assert flags == [
        ("added", "Accupool", False), ("updated", "Accupool", False), ("updated", "Accupool", True),
        ("updated", "Accu", False), ("removed", "Ruitenwisser", False),
    ]  # fmt: skip


def test_a_received_part_goes_back_to_ordered_and_the_history_says_so(shop: Shop) -> None:
    order = shop.create()
    ordered = patch(shop, add(shop, order, description="Koplamp links", supplier="Kroon"), status="besteld")
    received = patch(shop, ordered, status="ontvangen")
    with shop.stream(query=f"?workOrderId={order['id']}&changeType=parts") as stream:
        stream.next()
        undone = patch(shop, received, status="besteld", version=received["version"])  # a mis-tap, taken back
        event = stream.next().json
    assert (undone["status"], undone["receivedAt"], undone["orderedAt"]) == ("besteld", None, ordered["orderedAt"])
    assert (event["action"], event["undone"], event["allReceived"], event["part"]) == ("updated", True, False, undone)
    history = [e["summary"] for e in shop.admin.get(f"/api/workorders/{order['id']}/events").json()]
    assert history[-2:] == [
        "test-magazijn ontving 1 × Koplamp links: alle onderdelen binnen",
        "test-magazijn zette 1 × Koplamp links terug op besteld",
    ]
    again = patch(shop, undone, status="ontvangen")
    assert again["receivedAt"] and again["status"] == "ontvangen"


def test_only_the_desk_and_the_warehouse_take_a_receipt_back(shop: Shop) -> None:
    order = shop.create()
    received = patch(shop, patch(shop, add(shop, order), status="besteld"), status="ontvangen")

    def refused() -> None:
        path = f"/api/workorders/{order['id']}/parts/{received['id']}"
        assert shop.clients["monteur"].patch(path, json={"status": "besteld"}).status_code == 403

    assert_no_event_between(shop, refused)
    assert patch(shop, received, role="admin", status="besteld")["status"] == "besteld"


@pytest.mark.parametrize(
    ("start", "body", "status"),
    [
        ("nodig", {"status": "ontvangen"}, 409),
        ("nodig", {"status": "gemonteerd"}, 409),
        ("nodig", {"status": "retour"}, 409),
        ("besteld", {"status": "nodig"}, 409),
        ("gemonteerd", {"status": "retour"}, 409),
        ("gemonteerd", {"status": "besteld"}, 409),
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
