"""Labour and totals over real HTTP: awkward amounts rounded half up to the cent, the clocked hours previewed, rounded
up to the shop's billing unit and taken over once (and again after their line goes) without a staff name, session
corrections and forgotten timers, each refusal silent."""

from datetime import datetime, timedelta

import pytest

from tests.api.billing import SHOP_SETTINGS, add_labour, add_part, complete_shop, expect, order, sign_on_ipad
from tests.conftest import Shop, assert_no_event_between
from tests.server import Server, wait_until
from tests.sse import SSEClient


def totals(shop: Shop, order_id: int) -> tuple[int, int, int]:
    t = order(shop, order_id)["totals"]
    return t["excludingVatCents"], t["vatCents"], t["includingVatCents"]


@pytest.mark.parametrize(
    ("parts", "labour", "expected"),
    [
        ([(33, 3)], [], (99, 21, 120)),  # 3 × € 0,33: VAT 20,79 rounds to 21
        ([], [(7, 8750)], (1021, 214, 1235)),  # 7 min at € 87,50/h = 1020,83 → 1021; VAT 214,41 → 214
        ([(50, 1)], [], (50, 11, 61)),  # VAT 10,5 rounds half up
        ([(150, 1)], [], (150, 32, 182)),  # VAT 31,5 rounds half up
        ([], [(1, 30)], (1, 0, 1)),  # 1 min at € 0,30/h = 0,5 cent → 1
        ([(None, 4), (1999, 2)], [(45, 6000), (1, 8750)], (3998 + 4500 + 146, 1815, 8644 + 1815)),
    ],
)
def test_totals_in_cents_rounded_half_up(
    shop: Shop, parts: list[tuple[int | None, int]], labour: list[tuple[int, int]], expected: tuple[int, int, int]
) -> None:
    work_order = shop.create()
    for cents, quantity in parts:
        add_part(shop, work_order, cents, quantity)
    for minutes, rate in labour:
        add_labour(shop, work_order, minutes, rate)
    assert totals(shop, work_order["id"]) == expected


def test_a_part_sent_back_does_not_count(shop: Shop) -> None:
    work_order = shop.create()
    kept, returned = add_part(shop, work_order, 1000), add_part(shop, work_order, 2500)
    path = f"/api/workorders/{work_order['id']}/parts/{returned['id']}"
    for status in ("besteld", "retour"):
        expect(shop.admin.patch(path, json={"status": status}), 200)
    assert kept and totals(shop, work_order["id"]) == (1000, 210, 1210)


def test_labour_lines_on_the_stream_and_in_the_history(shop: Shop) -> None:
    complete_shop(shop)
    work_order = shop.create()
    with shop.stream(query=f"?workOrderId={work_order['id']}&changeType=labour") as stream:
        stream.next()
        line = add_labour(shop, work_order, 75, description="Remmen vervangen")  # the shop's rate
        expect(shop.admin.delete(f"/api/workorders/{work_order['id']}/labour/{line['id']}"), 204)
        added, removed = stream.next().json, stream.next().json
    assert line == {"id": line["id"], "description": "Remmen vervangen", "minutes": 75, "rateCents": 8750}
    assert (added["action"], added["lines"], added["workOrder"]["labour"]) == ("added", [line], [line])
    assert (removed["action"], removed["workOrder"]["labour"]) == ("removed", [])
    sentences = [e["summary"] for e in shop.admin.get(f"/api/workorders/{work_order['id']}/events").json()][-2:]
    assert sentences == [
        "test-admin schreef arbeid bij: Remmen vervangen (1 u 15 min)",
        "test-admin schrapte arbeid: Remmen vervangen (1 u 15 min)",
    ]


@pytest.mark.parametrize(
    "body",
    [{"description": "x", "minutes": -5}, {"description": "x", "minutes": 0}, {"description": "x", "minutes": 1.5},
     {"description": "x", "minutes": 10, "rateCents": -1}, {"description": " ", "minutes": 10}, {"minutes": 10}],
)  # fmt: skip
def test_bad_labour_is_refused(shop: Shop, body: dict) -> None:
    work_order = shop.create()

    def refused() -> None:
        expect(shop.admin.post(f"/api/workorders/{work_order['id']}/labour", json=body), 422)

    assert_no_event_between(shop, refused)
    assert order(shop, work_order["id"])["labour"] == []


def started_at(session: dict) -> datetime:
    """When the server started a session: the tests' "now", as the server's clock has it."""
    return datetime.fromisoformat(session["startedAt"])


def _session(shop: Shop, order_id: int, mechanic: str, start: timedelta, end: timedelta) -> dict:
    """A session started now, then corrected by the desk to run from `start` to `end` before now."""
    session = expect(shop.admin.post(f"/api/workorders/{order_id}/sessions", json={"mechanic": mechanic}), 201).json()
    now = started_at(session)
    times = {"startedAt": (now - start).isoformat(), "endedAt": (now - end).isoformat()}
    return expect(shop.admin.patch(f"/api/workorders/{order_id}/sessions/{session['id']}", json=times), 200).json()


@pytest.mark.parametrize(
    ("clocked", "billed", "cents"),
    [(7, 15, 2188), (16, 30, 4375), (15, 15, 2188), (1, 15, 2188)],  # 15 min at € 87,50/h: 2187,5 → 2188
)
def test_clocked_hours_are_rounded_up_to_the_billing_unit(shop: Shop, clocked: int, billed: int, cents: int) -> None:
    complete_shop(shop)  # a billing unit of 15 minutes, € 87,50 per hour
    work_order = shop.create(description="Remmen voor vervangen\nKlant wacht")
    _session(shop, work_order["id"], "jan", timedelta(hours=1, minutes=clocked), timedelta(hours=1))
    path = f"/api/workorders/{work_order['id']}/labour/from-sessions"
    preview = expect(shop.admin.get(path), 200).json()
    assert preview == {
        "description": "Remmen voor vervangen",
        "clockedMinutes": clocked,
        "minutes": billed,
        "billingUnitMinutes": 15,
        "rateCents": 8750,
        "amountCents": cents,
        "mechanics": [{"mechanic": "jan", "minutes": clocked}],
    }
    assert_no_event_between(shop, lambda: expect(shop.admin.get(path), 200))  # a preview changes nothing
    lines = expect(shop.admin.post(path), 201).json()
    assert [(line["description"], line["minutes"], line["rateCents"]) for line in lines] == [
        ("Remmen voor vervangen", billed, 8750)
    ]


def test_clocked_hours_are_taken_over_once_without_a_staff_name(shop: Shop) -> None:
    complete_shop(shop)
    work_order = shop.create(description="Kleine beurt")
    _session(shop, work_order["id"], "jan", timedelta(hours=5), timedelta(hours=4))
    _session(shop, work_order["id"], "piet", timedelta(hours=4), timedelta(hours=3, minutes=53))
    _session(shop, work_order["id"], "jan", timedelta(hours=3), timedelta(hours=2, minutes=45))
    path = f"/api/workorders/{work_order['id']}/labour/from-sessions"
    assert expect(shop.admin.get(path), 200).json()["mechanics"] == [
        {"mechanic": "jan", "minutes": 75}, {"mechanic": "piet", "minutes": 7}
    ]  # fmt: skip
    lines = expect(shop.admin.post(path), 201).json()
    assert [(line["description"], line["minutes"]) for line in lines] == [("Kleine beurt", 90)]  # 82 → 90
    assert_no_event_between(shop, lambda: expect(shop.admin.post(path), 409))  # nothing left to take over
    assert_no_event_between(shop, lambda: expect(shop.admin.get(path), 409))
    expect(shop.admin.delete(f"/api/workorders/{work_order['id']}/labour/{lines[0]['id']}"), 204)
    again = expect(shop.admin.post(path), 201).json()  # every minute is billable again once its line is gone
    assert [(line["description"], line["minutes"]) for line in again] == [("Kleine beurt", 90)]
    history = shop.admin.get(f"/api/workorders/{work_order['id']}/events").json()
    assert history[-1]["summary"] == "test-admin nam de gewerkte uren over: Kleine beurt (1 u 30 min)"
    approved = sign_on_ipad(shop, work_order["id"])["approval"]["snapshot"]["lines"]  # what the customer signs
    assert [line["description"] for line in approved] == ["Arbeid: Kleine beurt (1 u 30 min à €\xa087,50 per uur)"]


def test_the_billing_unit_is_the_shops(shop: Shop) -> None:
    expect(shop.admin.put("/api/settings/shop", json={**SHOP_SETTINGS, "billingUnitMinutes": 10}), 200)
    try:
        work_order = shop.create()
        _session(shop, work_order["id"], "jan", timedelta(hours=1, minutes=11), timedelta(hours=1))
        lines = expect(shop.admin.post(f"/api/workorders/{work_order['id']}/labour/from-sessions"), 201).json()
        assert lines[0]["minutes"] == 20
    finally:
        complete_shop(shop)


def test_a_session_corrected_by_the_desk(shop: Shop) -> None:
    work_order = shop.create()
    session = expect(
        shop.clients["monteur"].post(f"/api/workorders/{work_order['id']}/sessions", json={"mechanic": "kees"}), 201
    ).json()
    start = started_at(session).replace(microsecond=0) - timedelta(hours=3)
    path = f"/api/workorders/{work_order['id']}/sessions/{session['id']}"
    with shop.stream(query=f"?workOrderId={work_order['id']}&changeType=session") as stream:
        stream.next()
        body = {"startedAt": start.isoformat(), "endedAt": (start + timedelta(hours=2)).isoformat()}
        corrected = expect(shop.admin.patch(path, json=body), 200).json()
        event = stream.next().json
    assert (event["action"], event["session"]) == ("corrected", corrected)
    assert corrected["startedAt"] == start.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    summary = shop.admin.get(f"/api/workorders/{work_order['id']}/events").json()[-1]["summary"]
    assert summary == "test-admin corrigeerde de tijden van kees: 2 uur gewerkt"

    def refused() -> None:
        expect(shop.clients["monteur"].patch(path, json={"endedAt": start.isoformat()}), 403)
        expect(shop.admin.patch(path, json={"endedAt": (start - timedelta(hours=1)).isoformat()}), 422)
        future = (started_at(session) + timedelta(hours=1)).isoformat()
        expect(shop.admin.patch(path, json={"endedAt": future}), 422)
        expect(shop.admin.patch(path, json={"endedAt": "2026-01-01T10:00:00"}), 422)  # no time zone
        expect(shop.admin.patch(path, json={"action": "stop", "endedAt": start.isoformat()}), 422)
        expect(shop.admin.patch(path, json={}), 422)

    assert_no_event_between(shop, refused)


def _session_events(client: SSEClient, count: int) -> list[dict]:
    return [client.next(timeout=20).json for _ in range(count)]


def test_a_forgotten_timer_stops_by_itself(own_server: Server) -> None:
    own_server.env["MAX_SESSION_HOURS"] = "0.0005"  # 1.8 seconds
    token = own_server.token("admin")
    with own_server as server, server.client(token) as admin:
        work_order = admin.post(
            "/api/workorders", json={"customerName": "K", "licensePlate": "AB123C", "description": "x"}
        ).json()
        with SSEClient(server.url, token, "/api/workorders/stream?changeType=session") as stream:
            stream.next()
            admin.post(f"/api/workorders/{work_order['id']}/sessions", json={"mechanic": "jan"})
            started, stopped = _session_events(stream, 2)
    assert (started["action"], stopped["action"], stopped["reason"], started["reason"]) == (
        "started", "stopped", "auto", None
    )  # fmt: skip
    worked = datetime.fromisoformat(stopped["session"]["endedAt"]) - datetime.fromisoformat(
        stopped["session"]["startedAt"]
    )
    assert worked == timedelta(seconds=1.8)  # stopped at startedAt + MAX_SESSION_HOURS, not when noticed
    assert stopped["actor"] is None


def test_a_timer_overdue_while_the_server_was_down_stops_at_startup(own_server: Server) -> None:
    token = own_server.token("admin")
    with own_server as server, server.client(token) as admin:
        work_order = admin.post(
            "/api/workorders", json={"customerName": "K", "licensePlate": "AB123C", "description": "x"}
        ).json()
        session = admin.post(f"/api/workorders/{work_order['id']}/sessions", json={"mechanic": "jan"}).json()
    own_server.env["MAX_SESSION_HOURS"] = "0.01"  # 36 s: this session is not overdue yet ...
    own_server.start()
    with own_server.client(token) as admin:
        assert admin.get(f"/api/workorders/{work_order['id']}").json()["activeSessions"]
    own_server.stop()
    own_server.env["MAX_SESSION_HOURS"] = "0.00001"  # ... and now it is, the moment the server starts
    with own_server as server, server.client(token) as admin:
        wait_until(
            lambda: not admin.get(f"/api/workorders/{work_order['id']}").json()["activeSessions"], 10, "auto stop"
        )
        history = admin.get(f"/api/workorders/{work_order['id']}/events").json()
    last = history[-1]
    assert (last["changeType"], last["action"], last["reason"], last["session"]["id"]) == (
        "session", "stopped", "auto", session["id"]
    )  # fmt: skip
    assert last["summary"].startswith("De klok van jan stopte vanzelf")


def test_roles(shop: Shop) -> None:
    work_order = shop.create()
    path = f"/api/workorders/{work_order['id']}/labour"
    line = add_labour(shop, work_order, 10, 6000)

    def refused() -> None:
        for role in ("monteur", "magazijn", "display"):
            client = shop.clients[role]
            expect(client.post(path, json={"description": "x", "minutes": 5, "rateCents": 100}), 403)
            expect(client.post(f"{path}/from-sessions"), 403)
            expect(client.get(f"{path}/from-sessions"), 403)
            expect(client.delete(f"{path}/{line['id']}"), 403)

    assert_no_event_between(shop, refused)
