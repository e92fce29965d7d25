"""What an operator is told to look at when pages get no updates: /api/diagnostics and the server's log."""

import re

import httpx

from tests.conftest import Shop
from tests.server import wait_until


def _diagnostics(client: httpx.Client) -> dict:
    response = client.get("/api/diagnostics")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _streams_of(shop: Shop, who: str) -> list[dict]:
    return [stream for stream in _diagnostics(shop.admin)["streams"] if stream["who"] == who]


def test_the_log_has_a_line_for_each_event_and_for_each_stream(shop: Shop) -> None:
    with shop.stream("monteur", "?changeType=created") as stream:
        cursor = stream.next().id
        order = shop.create()
        created = stream.next()
    assert created.json["workOrderId"] == order["id"]
    wanted = f"INFO werkplaats.events: event {created.id} werkorder {order['id']} created"
    wait_until(lambda: wanted in shop.server.log_text(), 5, f"{wanted!r} in the server's log")
    log = shop.server.log_text()
    assert re.search(
        rf"SSE stream opened: test-monteur from .*, filter changeType=created, cursor None \(starts at {cursor}\)", log
    )
    wait_until(lambda: "SSE stream closed: test-monteur" in shop.server.log_text(), 5, "the stream's closing line")


def test_diagnostics_list_each_open_stream_until_its_client_leaves(shop: Shop) -> None:
    before = _diagnostics(shop.admin)
    assert {"openStreams", "broadcasterSubscribers", "pageClients", "pageSubscriptions"} <= before.keys()
    with shop.stream("magazijn", "?workOrderId=1&changeType=status,column") as stream:
        connected = stream.next().json
        [listed] = _streams_of(shop, "test-magazijn")
        assert listed["filter"] == "workOrderId=1&changeType=column,status"
        assert listed["lastEventId"] == connected["lastEventId"]
        assert listed["since"].endswith("Z")
        assert _diagnostics(shop.admin)["openStreams"] == before["openStreams"] + 1
    wait_until(lambda: not _streams_of(shop, "test-magazijn"), 5, "the closed stream to leave the list")


def test_diagnostics_count_recent_events_and_know_the_newest_id(shop: Shop) -> None:
    with shop.stream() as stream:
        stream.next()
        order = shop.create()
        newest = int(stream.next().id)
    now = _diagnostics(shop.admin)
    assert now["newestEventId"] == newest == now["clusterNewestEventId"]  # one process: it saw every event
    assert now["eventsLastMinute"] >= 1
    assert isinstance(now["processId"], int) and now["processId"] > 0
    assert order["id"] > 0
