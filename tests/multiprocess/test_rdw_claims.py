"""The RDW queue with several processes on one PostgreSQL database: each due plate is asked once, by one
process, whichever process made the order, and every process's clients hear the answer."""

from datetime import date

from tests.rdw_server import FakeRdw
from tests.server import Server
from tests.sse import SSEClient

PLATES = [f"PQ{n:03d}R" for n in range(12)]


def test_each_plate_is_asked_once_across_processes(pg_url: str, cluster: list[Server], pg_token: str) -> None:
    with FakeRdw() as rdw:
        for plate in PLATES:
            rdw.add(plate, "SKODA", "OCTAVIA", "GRIJS", date(2020, 1, 1), date(2027, 1, 1), ["Diesel"])
        env = {"RDW_BASE_URL": rdw.url, "RDW_TIMEOUT_SECONDS": "2"}
        askers = [Server(pg_url, env=env).start() for _ in range(2)]
        try:
            watched = SSEClient(cluster[0].url, pg_token, "/api/workorders/stream?changeType=vehicle")
            with watched:
                watched.next()
                for index, plate in enumerate(PLATES):
                    maker = askers[index % 2]
                    with maker.client(pg_token) as client:
                        body = {"customerName": "PG Klant", "licensePlate": plate, "description": "Beurt"}
                        assert client.post("/api/workorders", json=body).status_code == 201
                answered = {watched.next(timeout=15).json["vehicle"]["licensePlate"] for _ in PLATES}
            assert answered == set(PLATES)  # heard on a process that asked nothing itself
            for plate in PLATES:
                assert rdw.count(plate) == 2, plate  # both datasets, once each
        finally:
            for server in askers:
                server.stop()
