"""The work-order routes over real HTTP: success, every contract error, and no change or event on refusal."""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import Shop, assert_no_event_between
from tests.server import Server


def test_health_needs_no_auth(shop: Shop) -> None:
    import httpx

    response = httpx.get(f"{shop.server.url}/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_create_returns_the_contract_shape(shop: Shop) -> None:
    response = shop.admin.post(
        "/api/workorders",
        json={"customerName": "  Fam.   Jansen ", "licensePlate": "ab-123 c", "description": "APK"},
    )
    assert response.status_code == 201
    order = response.json()
    assert set(order) == {
        "id", "number", "customerName", "licensePlate", "description", "status", "column", "position",
        "version", "activeSessions", "signedAt", "createdAt", "updatedAt",
        "customerId", "customer", "vehicle", "mileage", "statusUrl", "parts",
        "labour", "totals", "approval", "needsApproval", "invoice", "appointment", "progress", "inspection",
        "mileageWarning",
    }  # fmt: skip
    assert re.fullmatch(r"WO-\d{4}-\d{4}", order["number"])
    assert order["customerName"] == "Fam. Jansen"
    assert order["licensePlate"] == "AB123C"
    assert (order["status"], order["column"], order["version"]) == ("NIEUW", "Gepland", 1)
    assert order["activeSessions"] == [] and order["signedAt"] is None
    assert order["customer"]["name"] == "Fam. Jansen" and order["customerId"] == order["customer"]["id"]
    assert order["vehicle"]["licensePlate"] == "AB123C" and order["vehicle"]["rdw"]["status"] == "pending"
    assert order["mileage"] is None and order["parts"] == []
    assert re.fullmatch(r"/status/[A-Za-z0-9_-]{32,}", order["statusUrl"])  # at least 128 random bits
    assert order["createdAt"].endswith("Z")
    assert shop.admin.get(f"/api/workorders/{order['id']}").json() == order


def test_numbers_are_sequential(shop: Shop) -> None:
    first, second = shop.create(), shop.create()
    assert int(second["number"][-4:]) == int(first["number"][-4:]) + 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"customerName": "", "licensePlate": "AB123C", "description": "x"}, 422),
        ({"customerName": "   ", "licensePlate": "AB123C", "description": "x"}, 422),
        ({"customerName": "K", "licensePlate": "AB_12!", "description": "x"}, 422),
        ({"customerName": "K", "licensePlate": "", "description": "x"}, 422),
        ({"customerName": "K", "licensePlate": "AB123C", "description": ""}, 422),
        ({"customerName": "K", "licensePlate": "AB123C"}, 422),
        ({"customerName": "K", "licensePlate": "AB123C", "description": "x", "colour": "red"}, 422),
        ({"customerName": 12, "licensePlate": "AB123C", "description": "x"}, 422),
        ({"customerName": "K" * 201, "licensePlate": "AB123C", "description": "x"}, 422),
        (["not", "an", "object"], 422),
    ],
)
def test_create_refuses_malformed_input(shop: Shop, body: object, status: int) -> None:
    before = shop.admin.get("/api/workorders").json()
    assert_no_event_between(shop, lambda: _expect(shop.admin.post("/api/workorders", json=body), status))
    after = shop.admin.get("/api/workorders").json()
    assert len(after) == len(before) + 1  # only the sentinel


def test_create_names_every_bad_field_at_once(shop: Shop) -> None:
    body = {"customerName": "K", "licensePlate": "AB_12!", "description": " ", "customerEmail": "geen-adres",
            "customerPostalCode": "12345"}  # fmt: skip
    answers = []
    assert_no_event_between(shop, lambda: answers.append(_expect(shop.admin.post("/api/workorders", json=body), 422)))
    assert set(answers[0].json()["fields"]) == {"licensePlate", "description", "customerEmail", "customerPostalCode"}


def test_create_keeps_a_new_customer_s_address(shop: Shop) -> None:
    body = {"customerName": "Fam. Adres", "licensePlate": "AD-123-R", "description": "APK", "customerStreet":
            "Dorpsstraat 1", "customerPostalCode": "1234ab", "customerCity": "Ergens"}  # fmt: skip
    customer = _expect(shop.admin.post("/api/workorders", json=body), 201).json()["customer"]
    assert (customer["street"], customer["postalCode"], customer["city"]) == ("Dorpsstraat 1", "1234 AB", "Ergens")


def test_create_refuses_broken_json(shop: Shop) -> None:
    response = shop.admin.post(
        "/api/workorders", content=b'{"customerName": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422 and "detail" in response.json()


def test_oversized_body_is_refused(shop: Shop) -> None:
    body = {"customerName": "K", "licensePlate": "AB123C", "description": "x" * 100_000}
    assert_no_event_between(shop, lambda: _expect(shop.admin.post("/api/workorders", json=body), 413))


def test_unknown_work_order_is_404(shop: Shop) -> None:
    _expect(shop.admin.get("/api/workorders/999999"), 404)
    _expect(shop.admin.patch("/api/workorders/999999/column", json={"column": "Klaar"}), 404)
    _expect(shop.admin.post("/api/workorders/999999/sessions", json={"mechanic": "Jan"}), 404)
    _expect(shop.admin.get("/api/nothing-here"), 404)


def test_list_is_in_board_order(shop: Shop) -> None:
    done = shop.create()
    shop.admin.patch(f"/api/workorders/{done['id']}/column", json={"column": "Afgerond", "position": 0})
    orders = shop.admin.get("/api/workorders").json()
    columns = ["Gepland", "Auto binnen", "Onder handen", "Wacht op onderdelen", "Klaar", "Afgerond"]
    keys = [(columns.index(o["column"]), o["position"]) for o in orders]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)  # positions are dense and unique per column


def test_move_sets_status_and_position(shop: Shop) -> None:
    first, second = shop.create(), shop.create()
    shop.admin.patch(f"/api/workorders/{first['id']}/column", json={"column": "Onder handen", "position": 0})
    response = shop.clients["monteur"].patch(
        f"/api/workorders/{second['id']}/column", json={"column": "Onder handen", "position": 0, "version": 1}
    )
    assert response.status_code == 200
    moved = response.json()
    assert (moved["column"], moved["status"], moved["position"], moved["version"]) == (
        "Onder handen", "IN_UITVOERING", 0, 2,
    )  # fmt: skip
    assert shop.admin.get(f"/api/workorders/{first['id']}").json()["position"] == 1


def test_move_past_the_end_goes_last(shop: Shop) -> None:
    order = shop.create()
    moved = shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar", "position": 9999})
    column = [o for o in shop.admin.get("/api/workorders").json() if o["column"] == "Klaar"]
    assert moved.json()["position"] == len(column) - 1


def test_stale_version_is_409_without_change_or_event(shop: Shop) -> None:
    order = shop.create()
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Auto binnen"})
    before = shop.admin.get(f"/api/workorders/{order['id']}").json()
    assert_no_event_between(
        shop,
        lambda: _expect(
            shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar", "version": 1}),
            409,
        ),
    )
    assert shop.admin.get(f"/api/workorders/{order['id']}").json() == before


@pytest.mark.parametrize(
    "body",
    [
        {"column": "Werkplaats"},
        {"column": ""},
        {},
        {"column": "Klaar", "position": -1},
        {"column": "Klaar", "x": 1},
    ],
)
def test_malformed_move_is_422(shop: Shop, body: dict) -> None:
    order = shop.create()
    assert_no_event_between(
        shop, lambda: _expect(shop.admin.patch(f"/api/workorders/{order['id']}/column", json=body), 422)
    )


def test_twenty_concurrent_moves_with_one_version_one_wins(shop: Shop) -> None:
    order = shop.create()
    columns = ["Auto binnen", "Onder handen", "Wacht op onderdelen", "Klaar"]  # Afgerond is the desk's step

    def move(index: int) -> int:
        body = {"column": columns[index % len(columns)], "version": order["version"]}
        return (
            shop.server.client(shop.tokens["monteur"])
            .patch(f"/api/workorders/{order['id']}/column", json=body)
            .status_code
        )

    with shop.stream(query=f"?workOrderId={order['id']}&changeType=column") as stream:
        stream.next()  # connected
        with ThreadPoolExecutor(20) as pool:
            codes = list(pool.map(move, range(20)))
        assert sorted(codes) == [200] + [409] * 19
        stream.next()  # the winner's column event
        shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Gepland"})
        assert stream.next().json["column"] == "Gepland"  # nothing else came in between
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["version"] == order["version"] + 2


def _expect(response, status: int):  # type: ignore[no-untyped-def]
    assert response.status_code == status, f"{response.status_code} {response.text}"
    if status >= 400:
        assert "detail" in response.json()
    return response


def test_positions_stay_dense_through_reorders(shop: Shop) -> None:
    cards = [shop.create() for _ in range(4)]
    for card in cards:
        shop.admin.patch(f"/api/workorders/{card['id']}/column", json={"column": "Klaar", "position": 0})
    moves = [(cards[0], "Klaar", 3), (cards[3], "Klaar", 1), (cards[1], "Afgerond", 0), (cards[2], "Klaar", 0)]
    for card, column, position in moves:
        moved = shop.admin.patch(f"/api/workorders/{card['id']}/column", json={"column": column, "position": position})
        assert moved.json()["position"] == position
    by_column: dict[str, list[int]] = {}
    for order in shop.admin.get("/api/workorders").json():
        by_column.setdefault(order["column"], []).append(order["position"])
    for column, positions in by_column.items():
        assert positions == list(range(len(positions))), f"{column}: {positions}"


def test_create_for_a_known_customer_with_mileage(shop: Shop) -> None:
    customer = shop.admin.post("/api/customers", json={"name": "Vaste Klant", "email": "vast@klant.nl"}).json()
    body = {"customerId": customer["id"], "licensePlate": "VK-12-AB", "description": "Beurt", "mileage": 123456}
    order = shop.admin.post("/api/workorders", json=body).json()
    assert (order["customerId"], order["customerName"], order["mileage"]) == (customer["id"], "Vaste Klant", 123456)
    assert order["customer"]["email"] == "vast@klant.nl"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"customerEmail": "nee@"}, "geen geldig e-mailadres"),
        ({"customerPhone": "??"}, "geen geldig telefoonnummer"),
        ({"mileage": -1}, None),
        ({"mileage": 10_000_000}, None),
        ({"customerId": 2**64}, None),
    ],
)
def test_create_refuses_bad_customer_fields(shop: Shop, extra: dict, message: str | None) -> None:
    body = {"customerName": "K", "licensePlate": "AB123C", "description": "x", **extra}

    def refused() -> None:
        response = shop.admin.post("/api/workorders", json=body)
        assert response.status_code == 422, response.text
        assert message is None or message in response.json()["detail"]

    assert_no_event_between(shop, refused)


def test_patch_details_emits_details_and_checks_the_version(shop: Shop) -> None:
    order = shop.create()
    other = shop.admin.post("/api/customers", json={"name": "Nieuwe Eigenaar"}).json()
    with shop.stream(query=f"?workOrderId={order['id']}") as stream:
        stream.next()
        body = {"description": "APK + remmen", "mileage": 98765, "customerId": other["id"], "version": 1}
        response = shop.admin.patch(f"/api/workorders/{order['id']}", json=body)
        assert response.status_code == 200, response.text
        event = stream.next().json
    changed = response.json()
    assert (changed["description"], changed["mileage"], changed["customerName"], changed["version"]) == (
        "APK + remmen", 98765, "Nieuwe Eigenaar", 2,
    )  # fmt: skip
    assert event["changeType"] == "details" and event["fields"] == ["description", "mileage", "customerId"]
    assert event["workOrder"] == changed and event["actor"] == {"name": "test-admin", "role": "admin"}

    def stale() -> None:
        response = shop.admin.patch(f"/api/workorders/{order['id']}", json={"mileage": 1, "version": 1})
        assert response.status_code == 409

    def unknown_customer() -> None:
        response = shop.admin.patch(f"/api/workorders/{order['id']}", json={"customerId": 999999})
        assert response.status_code == 404

    def unchanged() -> None:
        assert shop.admin.patch(f"/api/workorders/{order['id']}", json={"mileage": 98765}).status_code == 200

    for refused in (stale, unknown_customer, unchanged):
        assert_no_event_between(shop, refused)
    assert shop.admin.get(f"/api/workorders/{order['id']}").json() == changed
    cleared = shop.admin.patch(f"/api/workorders/{order['id']}", json={"mileage": None}).json()
    assert cleared["mileage"] is None
    assert shop.clients["monteur"].patch(f"/api/workorders/{order['id']}", json={"mileage": 5}).status_code == 403


def test_history_has_every_event_with_actor_and_a_dutch_sentence(shop: Shop) -> None:
    order = shop.create(customer="Historie Klant")
    path = f"/api/workorders/{order['id']}"
    shop.clients["monteur"].patch(f"{path}/column", json={"column": "Klaar"})
    session = shop.clients["monteur"].post(f"{path}/sessions", json={"mechanic": "jan"}).json()
    shop.clients["monteur"].patch(f"{path}/sessions/{session['id']}", json={"action": "stop"})
    shop.admin.patch(path, json={"mileage": 1000, "description": "Nieuw"})
    with shop.stream(query=f"?workOrderId={order['id']}&lastEventId=0") as stream:
        stream.next()
        streamed = [message for message in stream.take(6)]
    history = shop.clients["magazijn"].get(f"{path}/events").json()
    assert [entry["id"] for entry in history] == [int(message.id) for message in streamed]
    assert [entry["summary"] for entry in history] == [
        f"test-admin maakte werkorder {order['number']} aan voor Historie Klant ({order['licensePlate'][:2]}-"
        f"{order['licensePlate'][2:5]}-{order['licensePlate'][5:]})",
        "test-monteur verplaatste de auto naar Klaar",
        "De status is nu Gereed",
        "jan begon aan de auto (door test-monteur)",
        history[4]["summary"],
        "test-admin wijzigde de omschrijving en de kilometerstand",
    ]
    assert history[4]["summary"].startswith("jan stopte na ")
    assert history[1]["actor"] == {"name": "test-monteur", "role": "monteur"} and history[1]["column"] == "Klaar"
    assert history[3]["session"]["mechanic"] == "jan" and history[3]["action"] == "started"
    assert all("workOrder" not in entry and entry["at"].endswith("Z") for entry in history)
    assert shop.admin.get("/api/workorders/999999/events").status_code == 404
    assert shop.clients["display"].get(f"{path}/events").status_code == 403


def test_only_the_desk_closes_an_order(shop: Shop) -> None:
    order = shop.create()
    path = f"/api/workorders/{order['id']}"
    _expect(shop.clients["monteur"].patch(f"{path}/column", json={"column": "Klaar"}), 200)
    before = shop.admin.get(path).json()

    def refused() -> None:
        response = _expect(shop.clients["monteur"].patch(f"{path}/column", json={"column": "Afgerond"}), 403)
        assert response.json()["detail"] == "Alleen de balie kan een werkorder afronden (naar Afgerond)"

    assert_no_event_between(shop, refused)
    assert shop.admin.get(path).json() == before
    closed = _expect(shop.admin.patch(f"{path}/column", json={"column": "Afgerond"}), 200).json()
    assert (closed["column"], closed["status"]) == ("Afgerond", "AFGEROND")
    reorder = shop.clients["monteur"].patch(f"{path}/column", json={"column": "Afgerond", "position": 0})
    assert reorder.status_code == 403  # within Afgerond too: the column is the desk's
    _expect(shop.clients["monteur"].patch(f"{path}/column", json={"column": "Klaar"}), 200)  # out of it: allowed


def test_closing_without_an_invoice_says_so_in_the_history(shop: Shop) -> None:
    order = shop.create()
    path = f"/api/workorders/{order['id']}"
    _expect(shop.admin.patch(f"{path}/column", json={"column": "Klaar"}), 200)
    with shop.stream(query=f"?workOrderId={order['id']}&changeType=column") as stream:
        stream.next()
        _expect(shop.admin.patch(f"{path}/column", json={"column": "Afgerond", "position": 0}), 200)
        _expect(shop.admin.patch(f"{path}/column", json={"column": "Afgerond", "position": 0}), 200)  # where it is
        closed = stream.next().json
    assert (closed["column"], closed["withoutInvoice"]) == ("Afgerond", True)
    history = shop.admin.get(f"{path}/events").json()
    columns = [entry for entry in history if entry["changeType"] == "column"]
    assert [(entry["summary"], entry["withoutInvoice"]) for entry in columns] == [
        ("test-admin verplaatste de auto naar Klaar", False),
        ("test-admin verplaatste de auto naar Afgerond, zonder factuur", True),
    ]  # the second move changed nothing: the card was already on top of Afgerond


def test_entering_klaar_stops_the_clocks_running_on_the_order(shop: Shop) -> None:
    order, elsewhere = shop.create(), shop.create()
    path = f"/api/workorders/{order['id']}"
    mover = shop.clients["monteur"]
    jan, piet = (_expect(mover.post(f"{path}/sessions", json={"mechanic": m}), 201).json() for m in ("jan", "piet"))
    kees = _expect(mover.post(f"/api/workorders/{elsewhere['id']}/sessions", json={"mechanic": "kees"}), 201).json()
    with shop.stream(query="?changeType=column,status,session") as stream:
        stream.next()
        moved = _expect(mover.patch(f"{path}/column", json={"column": "Klaar"}), 200).json()
        events = [message for message in stream.take(4)]
    assert moved["activeSessions"] == []  # the move's own answer: stopped in the same transaction
    ids = [int(message.id) for message in events]
    assert ids == list(range(ids[0], ids[0] + 4))  # one commit, nothing in between
    summary = [(e.json["changeType"], e.json.get("column") or e.json.get("status") or e.json["action"]) for e in events]
    assert summary == [("column", "Klaar"), ("status", "GEREED"), ("session", "stopped"), ("session", "stopped")]
    stops = [message.json for message in events[2:]]
    assert [(s["session"]["id"], s["reason"], s["workOrderId"]) for s in stops] == [
        (jan["id"], "klaar", order["id"]),
        (piet["id"], "klaar", order["id"]),
    ]
    assert all(s["session"]["endedAt"] and s["workOrder"]["activeSessions"] == [] for s in stops)
    assert shop.admin.get(f"/api/workorders/{elsewhere['id']}").json()["activeSessions"] == [kees]  # runs on
    history = [entry["summary"] for entry in shop.admin.get(f"{path}/events").json()]
    assert any(
        line.startswith("De klok van jan stopte na ") and line.endswith(": de auto is klaar") for line in history
    )


@pytest.mark.parametrize("huge", [2**63, 2**64, 10**30])
def test_ids_beyond_64_bits_are_422_never_500(shop: Shop, huge: int) -> None:
    for response in (
        shop.admin.get(f"/api/workorders/{huge}"),
        shop.admin.patch(f"/api/workorders/{huge}/column", json={"column": "Klaar"}),
        shop.admin.patch(f"/api/workorders/{huge}", json={"mileage": 1}),
        shop.admin.get(f"/api/workorders/{huge}/events"),
        shop.admin.put("/api/display/current", json={"workOrderId": huge}),
    ):
        assert response.status_code == 422, (response.request.url, response.text)


def test_search_over_every_order_pages_newest_first_with_a_total(shop: Shop) -> None:
    customer = shop.admin.post("/api/customers", json={"name": "Zoek Historie"}).json()
    made = []
    for _ in range(7):
        body = {"customerId": customer["id"], "licensePlate": "ZH-321-K", "description": "Beurt"}
        made.append(shop.admin.post("/api/workorders", json=body).json())
    shop.admin.patch(f"/api/workorders/{made[0]['id']}/column", json={"column": "Afgerond"})
    newest_first = [order["id"] for order in reversed(made)]

    first = shop.clients["monteur"].get("/api/workorders", params={"q": "zoek hist", "limit": 3})
    second = shop.admin.get("/api/workorders", params={"q": "zoek hist", "limit": 3, "offset": 3})
    assert first.headers["X-Total-Count"] == second.headers["X-Total-Count"] == "7"
    assert [o["id"] for o in first.json() + second.json()] == newest_first[:6]
    for query in ("zh-321-k", "ZH321K", made[3]["number"].lower()):
        found = shop.admin.get("/api/workorders", params={"q": query}).json()
        assert made[3]["id"] in [o["id"] for o in found], query
    done = shop.admin.get("/api/workorders", params={"q": "Zoek Historie", "column": "Afgerond"})
    assert [o["id"] for o in done.json()] == [made[0]["id"]] and done.headers["X-Total-Count"] == "1"
    new = shop.admin.get("/api/workorders", params={"q": "Zoek Historie", "status": "NIEUW"})
    assert new.headers["X-Total-Count"] == "6"
    board = shop.admin.get("/api/workorders")
    assert board.headers["X-Total-Count"] == str(len(board.json()))
    assert made[0]["id"] in [o["id"] for o in board.json()]  # just finished: still on the board


def test_search_finds_a_description_in_any_case(shop: Shop) -> None:
    brakes = shop.create(customer="Fam. Zoekremmer", description="Remblokken voor vervangen, schijven meten")
    other = shop.create(customer="Fam. Zoekremmer", description="Ruitenwissers")
    for query in ("remblok", "REMBLOKKEN VOOR", "schijven meten"):
        found = shop.admin.get("/api/workorders", params={"q": query, "limit": 500}).json()
        ids = [order["id"] for order in found]
        assert brakes["id"] in ids and other["id"] not in ids, query


def test_search_finds_a_customer_phone_number_however_it_is_written(shop: Shop) -> None:
    body = {"customerName": "Dhr. Belmij", "customerPhone": "06-4817 2935", "licensePlate": "TB-481-P",
            "description": "Kleine beurt"}  # fmt: skip
    called = shop.admin.post("/api/workorders", json=body).json()
    unrelated = shop.create(customer="Dhr. Anders")
    for query in ("0648172935", "06 4817 2935", "06-4817", "72935"):
        response = shop.admin.get("/api/workorders", params={"q": query})
        ids = [order["id"] for order in response.json()]
        assert called["id"] in ids and unrelated["id"] not in ids, query
        assert response.headers["X-Total-Count"] == str(len(ids))
    assert shop.admin.get("/api/workorders", params={"q": "06-9999 0000"}).json() == []


@pytest.mark.parametrize(
    "params",
    [{"limit": 501}, {"limit": 0}, {"offset": -1}, {"status": "KLAAR"}, {"column": "Nergens"}, {"q": "x" * 201}],
)
def test_search_refuses_bad_parameters(shop: Shop, params: dict) -> None:
    response = shop.admin.get("/api/workorders", params=params)
    assert response.status_code == 422 and "detail" in response.json()


def test_the_board_leaves_out_what_was_finished_before_board_done_days(tmp_path: Path) -> None:
    server = Server(f"sqlite:///{tmp_path / 'w.db'}", env={"BOARD_DONE_DAYS": "0"})
    token = server.token("admin")
    server.start()
    try:
        with server.client(token) as client:
            body = {"customerName": "Oud Werk", "licensePlate": "OW-11-AB", "description": "x"}
            done, still_open = (client.post("/api/workorders", json=body).json() for _ in range(2))
            client.patch(f"/api/workorders/{done['id']}/column", json={"column": "Afgerond"})
            board = [o["id"] for o in client.get("/api/workorders").json()]
            found = [o["id"] for o in client.get("/api/workorders", params={"q": "oud werk"}).json()]
    finally:
        server.stop()
    assert board == [still_open["id"]]
    assert found == [still_open["id"], done["id"]]
