"""Several server processes on one PostgreSQL database: every change reaches every client on every process,
in log order, with no gap and no duplicate — also across a killed listener and a resume elsewhere."""

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg

from tests.multiprocess.conftest import committed_ids, libpq
from tests.server import Server, wait_until
from tests.sse import SSEClient

COLUMNS = ["Gepland", "Auto binnen", "Onder handen", "Wacht op onderdelen", "Klaar", "Afgerond"]


def _orders(server: Server, token: str, count: int) -> list[int]:
    with server.client(token) as client:
        return [
            client.post(
                "/api/workorders", json={"customerName": f"Klant {i}", "licensePlate": "PG001X", "description": "x"}
            ).json()["id"]
            for i in range(count)
        ]


def _collect_until(stream: SSEClient, expected: list[int], timeout: float = 20) -> list[int]:
    received: list[int] = []
    while len(received) < len(expected):
        message = stream.next(timeout=timeout)
        received.append(int(message.id))
    return received


def test_concurrent_changes_through_all_processes_reach_every_client(
    cluster: list[Server], pg_token: str, pg_url: str
) -> None:
    orders = _orders(cluster[1], pg_token, 10)
    streams = [SSEClient(server.url, pg_token) for server in cluster]
    try:
        cursors = [int(stream.next().id) for stream in streams]
        start = min(cursors)
        counter = itertools.count()
        lock = threading.Lock()

        def change(_: int) -> int:
            with lock:
                index = next(counter)
            server = cluster[index % 3]
            order = orders[index % len(orders)]
            with server.client(pg_token) as client:
                return client.patch(
                    f"/api/workorders/{order}/column", json={"column": COLUMNS[(index // len(orders)) % 6]}
                ).status_code

        with ThreadPoolExecutor(12) as pool:
            codes = list(pool.map(change, range(500)))
        assert codes == [200] * 500
        for stream, cursor in zip(streams, cursors, strict=True):
            expected = committed_ids(pg_url, cursor)
            assert len(expected) >= 500
            assert _collect_until(stream, expected) == expected  # log order, no gap, no duplicate
        assert cursors == [start] * 3 or all(c >= start for c in cursors)
    finally:
        for stream in streams:
            stream.close()


def test_resume_on_another_process_gets_exactly_what_was_missed(
    cluster: list[Server], pg_token: str, pg_url: str
) -> None:
    order = _orders(cluster[0], pg_token, 1)[0]
    with SSEClient(cluster[0].url, pg_token) as stream:
        cursor = stream.next().id
    with cluster[2].client(pg_token) as client:
        for column in COLUMNS[1:]:
            client.patch(f"/api/workorders/{order}/column", json={"column": column})
    expected = committed_ids(pg_url, int(cursor))
    assert len(expected) == 10
    with SSEClient(cluster[1].url, pg_token, **{"Last-Event-ID": cursor}) as resumed:
        assert resumed.next().json["lastEventId"] == int(cursor)
        assert _collect_until(resumed, expected) == expected


def _listener_pids(pg_url: str) -> set[int]:
    with psycopg.connect(libpq(pg_url)) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE application_name = 'werkplaats-listener' AND datname = current_database()"
        ).fetchall()
    return {row[0] for row in rows}


def test_a_killed_listener_loses_no_event(cluster: list[Server], pg_token: str, pg_url: str) -> None:
    orders = _orders(cluster[1], pg_token, 4)
    before = _listener_pids(pg_url)
    assert len(before) == 3  # one listening connection per process
    with SSEClient(cluster[0].url, pg_token) as stream:
        cursor = int(stream.next().id)
        with cluster[1].client(pg_token) as client:
            for index in range(200):
                if index == 60:
                    with psycopg.connect(libpq(pg_url), autocommit=True) as admin:
                        killed = admin.execute(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE application_name = 'werkplaats-listener' AND datname = current_database()"
                        ).fetchall()
                    assert len(killed) == 3
                order = orders[index % 4]
                client.patch(f"/api/workorders/{order}/column", json={"column": COLUMNS[(index // 4) % 6]})
        expected = committed_ids(pg_url, cursor)
        assert _collect_until(stream, expected) == expected
    after = wait_until(lambda: _listener_pids(pg_url) if len(_listener_pids(pg_url)) == 3 else None, 10, "listeners")
    assert not after & before  # every process reconnected with a new connection
