"""The SSE stream over a real socket: headers, order, filters, keepalive, resume, reset, slow clients, shutdown."""

import base64
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from services import auth
from services.auth import SESSION_COOKIE
from services.db import Database
from tests.api.test_display import data_url, png
from tests.clock import ServerClock, utc
from tests.conftest import Shop
from tests.server import Server, seed_account, wait_until
from tests.sse import SSEClient

HELD_OPEN = ("openStreams", "broadcasterSubscribers", "pageClients", "pageSubscriptions")


def _diagnostics(client: httpx.Client) -> dict[str, int]:
    """What the process holds open (its recent-event counters and newest ids move on by themselves)."""
    numbers = client.get("/api/diagnostics").json()
    return {key: numbers[key] for key in HELD_OPEN}


def test_a_stream_that_the_client_closes_lets_go_of_its_subscription(shop: Shop) -> None:
    before = _diagnostics(shop.admin)
    streams = [shop.stream() for _ in range(5)]
    for stream in streams:
        stream.next()
    opened = _diagnostics(shop.admin)
    assert opened["openStreams"] >= before["openStreams"] + 5
    assert opened["broadcasterSubscribers"] >= before["broadcasterSubscribers"] + 5
    for stream in streams:
        stream.close()
    wait_until(lambda: _diagnostics(shop.admin) == before, 5, "the closed streams to end and unsubscribe")


def test_headers_and_connected_message(shop: Shop) -> None:
    with shop.stream() as stream:
        assert stream.response is not None
        headers = stream.response.headers
        first = stream.next()
    assert headers["content-type"].startswith("text/event-stream")
    assert headers["cache-control"] in ("no-cache", "no-store")
    assert headers["connection"] == "keep-alive"
    assert headers["x-accel-buffering"] == "no"
    assert "content-encoding" not in headers
    assert first.retry == 5000
    assert first.json == {"type": "connected", "lastEventId": int(first.id), "schemaVersion": 2}


def test_head_answers_the_headers_without_opening_a_stream(shop: Shop) -> None:
    before = _diagnostics(shop.admin)["openStreams"]
    response = shop.admin.head("/api/workorders/stream")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.content == b""
    assert _diagnostics(shop.admin)["openStreams"] == before
    assert httpx.head(f"{shop.server.url}/api/workorders/stream").status_code == 401


def test_connected_id_is_the_newest_event(shop: Shop) -> None:
    order = shop.create()
    with shop.stream() as stream:
        connected = stream.next()
    with shop.stream(query=f"?lastEventId=0&workOrderId={order['id']}&changeType=created") as replay:
        replay.next()
        created = replay.next()
    assert int(connected.id) >= int(created.id)


def _four_flows(shop: Shop, order: dict) -> None:
    """The seed's four flows: column move, signature, session start, session stop."""
    admin = shop.admin
    admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Wacht op onderdelen"})
    admin.put("/api/display/current", json={"workOrderId": order["id"]})
    body = {"workOrderId": order["id"], "signerName": "Klant", "signature": data_url(png())}
    assert shop.clients["display"].post("/api/display/signature", json=body).status_code == 201
    session = admin.post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "Jan"}).json()
    admin.patch(f"/api/workorders/{order['id']}/sessions/{session['id']}", json={"action": "stop"})


EXPECTED_FLOWS = [
    ("column", "Wacht op onderdelen"),
    ("status", "WACHT_OP_ONDERDELEN"),
    ("approval", "ipad"),
    ("column", "Auto binnen"),
    ("status", "GOEDGEKEURD"),
    ("session", "started"),
    ("session", "stopped"),
]


def _summary(event: dict) -> tuple[str, str | None]:
    detail = {"column": event.get("column"), "status": event.get("status"), "session": event.get("action"),
              "approval": (event.get("approval") or {}).get("method")}  # fmt: skip
    return event["changeType"], detail[event["changeType"]]


def test_four_flows_reach_two_concurrent_clients_in_order(shop: Shop) -> None:
    order = shop.create()
    with shop.stream() as one, shop.stream("monteur") as two:
        one.next(), two.next()
        _four_flows(shop, order)
        received = [[m for m in client.take(len(EXPECTED_FLOWS))] for client in (one, two)]
    for messages in received:
        events = [m.json for m in messages]
        assert [_summary(e) for e in events] == EXPECTED_FLOWS
        assert all(e["type"] == "workorder-update" and e["workOrderId"] == order["id"] for e in events)
        ids = [int(m.id) for m in messages]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        assert events[-1]["workOrder"]["signedAt"] is not None
        assert events[5]["session"]["mechanic"] == "Jan" and events[5]["workOrder"]["activeSessions"]
        assert events[6]["session"]["endedAt"] is not None and not events[6]["workOrder"]["activeSessions"]
    assert [m.id for m in received[0]] == [m.id for m in received[1]]


def test_filters(shop: Shop) -> None:
    watched, other = shop.create(), shop.create()
    with shop.stream(query=f"?workOrderId={watched['id']}&changeType=status,session") as stream:
        stream.next()
        for order in (other, watched):
            shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
            shop.admin.post(f"/api/workorders/{order['id']}/sessions", json={"mechanic": "Filter"})
        status, session = stream.next().json, stream.next().json
    assert (status["workOrderId"], status["changeType"]) == (watched["id"], "status")
    assert (session["workOrderId"], session["changeType"]) == (watched["id"], "session")


@pytest.mark.parametrize(
    ("query", "headers"),
    [("?changeType=bogus", {}), ("?changeType=", {}), ("?workOrderId=abc", {}), ("?lastEventId=-1", {}),
     ("", {"Last-Event-ID": "abc"})],
)  # fmt: skip
def test_malformed_stream_requests_are_422(shop: Shop, query: str, headers: dict) -> None:
    response = shop.admin.get(f"/api/workorders/stream{query}", headers=headers)
    assert response.status_code == 422 and "detail" in response.json()


def test_keepalive_comment(shop: Shop) -> None:
    """The test server pings every second (SSE_PING_SECONDS=1)."""
    with shop.stream() as stream:
        stream.next()
        assert stream.comments.get(timeout=5) == "ping"


def _changes(shop: Shop, order: dict, count: int) -> None:
    columns = ["Auto binnen", "Onder handen"]
    for index in range(count):
        shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": columns[index % 2]})


@pytest.mark.parametrize("how", ["header", "query", "header-wins"])
def test_resume_gets_exactly_what_was_missed(shop: Shop, how: str) -> None:
    order = shop.create()
    shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
    with shop.stream() as stream:
        cursor = stream.next().id
    _changes(shop, order, 5)  # 10 events: column + status each
    headers, query = {}, ""
    if how == "header":
        headers = {"Last-Event-ID": cursor}
    elif how == "query":
        query = f"?lastEventId={cursor}"
    else:
        headers, query = {"Last-Event-ID": cursor}, "?lastEventId=1"
    with shop.stream(query=query, **headers) as resumed:
        connected = resumed.next()
        missed = resumed.take(10)
        shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
        live = resumed.next()
    assert connected.json["lastEventId"] == int(cursor) and connected.id == cursor
    ids = [int(m.id) for m in missed]
    assert ids == sorted(ids) and ids[0] > int(cursor) and len(set(ids)) == 10
    assert [m.json["changeType"] for m in missed] == ["column", "status"] * 5
    assert all(m.json["workOrderId"] == order["id"] for m in missed)
    assert int(live.id) > ids[-1] and live.json["column"] == "Klaar"


def _create(client: httpx.Client, description: str = "Kleine beurt") -> dict:
    response = client.post(
        "/api/workorders", json={"customerName": "K", "licensePlate": "AB123C", "description": description}
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_resume_across_a_restart(own_server: Server) -> None:
    token = own_server.token("admin")
    own_server.start()
    with own_server.client(token) as client:
        order = _create(client)
        with SSEClient(own_server.url, token) as stream:
            cursor = stream.next().id
        for column in ("Auto binnen", "Klaar", "Afgerond"):
            client.patch(f"/api/workorders/{order['id']}/column", json={"column": column})
    own_server.stop()
    own_server.start()
    with SSEClient(own_server.url, token, **{"Last-Event-ID": cursor}) as resumed:
        assert resumed.next().json["lastEventId"] == int(cursor)
        missed = [m.json for m in resumed.take(6)]
    assert [(e["changeType"], e.get("column") or e.get("status")) for e in missed] == [
        ("column", "Auto binnen"), ("status", "GOEDGEKEURD"), ("column", "Klaar"), ("status", "GEREED"),
        ("column", "Afgerond"), ("status", "AFGEROND"),
    ]  # fmt: skip


def test_reset_when_the_cursor_is_older_than_the_log(own_server: Server, tmp_path: Path) -> None:
    """EVENT_RETENTION_DAYS as shipped (7): the server's clock is set, and set 8 days on before it starts again."""
    own_server.clock = ServerClock(tmp_path / "clock", utc("2027-01-04 09:00"))
    token = own_server.token("admin")
    own_server.start()
    with own_server.client(token) as client:
        order = _create(client)
        client.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
    own_server.stop()
    own_server.clock.set(utc("2027-01-12 09:00"), running=False)  # the stream keeps nothing but the newest event
    own_server.start()
    with SSEClient(own_server.url, token, **{"Last-Event-ID": "1"}) as stream:
        connected, reset = stream.next(), stream.next()
    assert connected.json == {"type": "connected", "lastEventId": 1, "schemaVersion": 2}
    assert reset.json == {"type": "reset"} and int(reset.id) > 1
    with own_server.client(token) as client:  # the stream's window moved; the order's own history did not
        history = client.get(f"/api/workorders/{order['id']}/events").json()
    assert [entry["changeType"] for entry in history] == ["created", "column", "status"]
    with SSEClient(own_server.url, token, **{"Last-Event-ID": "999999"}) as stream:
        stream.next()
        assert stream.next().json == {"type": "reset"}  # a cursor from another log is no cursor either
    with SSEClient(own_server.url, token, **{"Last-Event-ID": reset.id}) as stream:
        assert stream.next().json["type"] == "connected"
        with own_server.client(token) as client:
            client.patch(f"/api/workorders/{order['id']}/column", json={"column": "Gepland"})
        assert stream.next().json["changeType"] == "column"


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_client_that_stops_reading_is_cut_off_without_delaying_others(own_server: Server) -> None:
    own_server.env.update({"SSE_QUEUE_SIZE": "32"})
    token = own_server.token("admin")
    own_server.start()
    client = own_server.client(token)
    orders = [_create(client, description="Lange omschrijving. " * 190) for _ in range(4)]  # ~4 KB events
    before = _diagnostics(client)  # no stream yet; the pages' relay subscribes

    stalled = socket.socket()
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # and it never reads
    stalled.connect(("127.0.0.1", own_server.port))
    request = f"GET /api/workorders/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n"
    stalled.sendall(request.encode())
    rss_before = _rss_kib(own_server.running.pid)

    changes = 600  # far more than the stalled client's queue bound and socket buffers hold
    with SSEClient(own_server.url, token, "/api/workorders/stream?changeType=column") as reader:
        reader.next()
        for index in range(changes):
            order = orders[index % 4]
            column = "Klaar" if index // 4 % 2 == 0 else "Gepland"
            assert client.patch(f"/api/workorders/{order['id']}/column", json={"column": column}).status_code == 200
            event = reader.next(timeout=2)  # the reader keeps up: each change arrives before the next is made
            assert event.json["workOrderId"] == order["id"]
    growth = _rss_kib(own_server.running.pid) - rss_before
    # Cut off by the server while the stalled client still reads nothing: its response has ended.
    wait_until(lambda: _diagnostics(client) == before, 5, "the stalled stream to be cut off")

    stalled.settimeout(10)
    received = b""
    while chunk := stalled.recv(65536):  # drain what the kernel buffered, until the server's close
        received += chunk
    stalled.close()
    delivered = received.count(b'"type":"workorder-update"')
    assert delivered < changes * 2, "the stalled client was never cut off"
    assert growth < 30_000, f"server memory grew {growth} KiB while a client stalled"
    client.close()


def test_shutdown_ends_open_streams_within_two_seconds(own_server: Server) -> None:
    token = own_server.token("admin")
    own_server.start()
    streams = [SSEClient(own_server.url, token) for _ in range(3)]
    for stream in streams:
        stream.next()
    started = time.monotonic()
    own_server.running.send_signal(15)
    for stream in streams:
        assert stream.ended(timeout=2.5), "a stream was still open after shutdown"
    assert own_server.running.wait(timeout=5) in (0, -15)  # uvicorn re-raises the signal it handled
    assert time.monotonic() - started < 2.5
    for stream in streams:
        stream.close()
    assert "ASGI callable returned without completing response" not in own_server.log_text()


def test_cookie_is_not_a_token(shop: Shop) -> None:
    """The session cookie is only honoured when it names a real session."""
    cookie = base64.b64encode(b"forged").decode()
    response = httpx.get(f"{shop.server.url}/api/workorders", cookies={"werkplaats_sessie": cookie})
    assert response.status_code == 401


def _head(stream: SSEClient) -> list[tuple[bytes, bytes]]:
    assert stream.response is not None and stream.response.status_code == 200
    return [(name, value) for name, value in stream.response.headers.raw if name.lower() != b"date"]


def test_a_stream_opened_past_the_shortcut_is_the_same_stream(shop: Shop) -> None:
    """The plain request is opened ahead of the middleware (api.stream.DirectStream); one the route has to
    read (`+1` is 1 to FastAPI) takes the ordinary way: the same head, the same filter, the same messages."""
    order = shop.create()
    with (
        shop.stream(query=f"?workOrderId={order['id']}") as direct,
        shop.stream(query=f"?workOrderId=%2B{order['id']}") as routed,
    ):
        assert _head(direct) == _head(routed)
        direct.next(), routed.next()
        listed = shop.admin.get("/api/diagnostics").json()["streams"]
        assert sum(stream["filter"] == f"workOrderId={order['id']}" for stream in listed) >= 2
        shop.admin.patch(f"/api/workorders/{order['id']}/column", json={"column": "Klaar"})
        assert direct.next().data == routed.next().data


def test_a_logged_in_browser_streams_with_its_session_cookie(shop: Shop) -> None:
    password = seed_account(shop.server.database_url, "Stroom Monteur", "monteur", "stroom-wachtwoord-1")

    def log_in() -> str | None:
        with Database.opened(shop.server.database_url) as database:
            return auth.log_in(database, "Stroom Monteur", password)

    with ThreadPoolExecutor(1) as worker:  # the database refuses writes on an event loop: a thread, as seeding
        session = worker.submit(log_in).result()
    assert session is not None
    with SSEClient(shop.server.url, None, Cookie=f"{SESSION_COOKIE}={session}") as stream:
        assert stream.next().json["type"] == "connected"
        assert any(s["who"] == "Stroom Monteur" for s in shop.admin.get("/api/diagnostics").json()["streams"])
    forged = httpx.get(f"{shop.server.url}/api/workorders/stream", cookies={SESSION_COOKIE: "forged"})
    assert forged.status_code == 401
