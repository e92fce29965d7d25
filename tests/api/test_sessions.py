"""Work sessions: start, stop, one running session per mechanic, and the contract's errors."""

import pytest

from tests.api.test_workorders import _expect
from tests.conftest import Shop, assert_no_event_between


def test_start_and_stop(shop: Shop) -> None:
    order = shop.create()
    started = _expect(
        shop.clients["monteur"].post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "Jan"}), 201
    )
    session = started.json()
    assert set(session) == {"id", "workOrderId", "mechanic", "startedAt", "endedAt"}
    assert (session["workOrderId"], session["mechanic"], session["endedAt"]) == (order["id"], "Jan", None)
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["activeSessions"] == [session]

    stopped = _expect(
        shop.clients["monteur"].patch(
            f"/api/workorders/{order['id']}/sessions/{session['id']}", json={"action": "stop"}
        ),
        200,
    ).json()
    assert stopped["endedAt"] is not None and stopped["id"] == session["id"]
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["activeSessions"] == []


def test_second_session_on_same_order_is_409(shop: Shop) -> None:
    order = shop.create()
    _expect(shop.admin.post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "Bas"}), 201)
    assert_no_event_between(
        shop,
        lambda: _expect(shop.admin.post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "Bas"}), 409),
    )


def test_starting_elsewhere_stops_the_running_session_first(shop: Shop) -> None:
    first, second = shop.create(), shop.create()
    running = _expect(shop.admin.post(f"/api/workorders/{first['id']}/sessions", json={"mechanic": "Ali"}), 201).json()
    with shop.stream(query="?changeType=session") as stream:
        stream.next()
        _expect(shop.admin.post(f"/api/workorders/{second['id']}/sessions", json={"mechanic": "Ali"}), 201)
        stopped, started = stream.next().json, stream.next().json
    assert (stopped["action"], stopped["workOrderId"], stopped["session"]["id"]) == (
        "stopped",
        first["id"],
        running["id"],
    )
    assert stopped["workOrder"]["activeSessions"] == []
    assert (started["action"], started["workOrderId"]) == ("started", second["id"])
    assert [s["mechanic"] for s in started["workOrder"]["activeSessions"]] == ["Ali"]


def test_stopping_twice_is_409(shop: Shop) -> None:
    order = shop.create()
    session = _expect(shop.admin.post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "Kim"}), 201).json()
    path = f"/api/workorders/{order['id']}/sessions/{session['id']}"
    _expect(shop.admin.patch(path, json={"action": "stop"}), 200)
    assert_no_event_between(shop, lambda: _expect(shop.admin.patch(path, json={"action": "stop"}), 409))


def test_unknown_session_or_wrong_order_is_404(shop: Shop) -> None:
    order, other = shop.create(), shop.create()
    session = _expect(shop.admin.post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "Eva"}), 201).json()
    _expect(shop.admin.patch(f"/api/workorders/{order['id']}/sessions/999999", json={"action": "stop"}), 404)
    _expect(
        shop.admin.patch(f"/api/workorders/{other['id']}/sessions/{session['id']}", json={"action": "stop"}),
        404,
    )


@pytest.mark.parametrize(
    "body", [{"mechanic": ""}, {"mechanic": "  "}, {}, {"mechanic": None}, {"mechanic": "x" * 101}]
)
def test_malformed_start_is_422(shop: Shop, body: dict) -> None:
    order = shop.create()
    assert_no_event_between(
        shop, lambda: _expect(shop.admin.post(f"/api/workorders/{order['id']}/sessions", json=body), 422)
    )


@pytest.mark.parametrize("body", [{"action": "pause"}, {}, {"action": "stop", "extra": True}])
def test_malformed_stop_is_422(shop: Shop, body: dict) -> None:
    order = shop.create()
    session = _expect(shop.admin.post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "Noor"}), 201).json()
    path = f"/api/workorders/{order['id']}/sessions/{session['id']}"
    assert_no_event_between(shop, lambda: _expect(shop.admin.patch(path, json=body), 422))
    assert shop.admin.get(f"/api/workorders/{order['id']}").json()["activeSessions"][0]["endedAt"] is None
