"""Vehicles from the RDW, against an RDW-shaped server on 127.0.0.1 (tests/rdw_server.py): the order is made at
once whatever the RDW does, and its answer arrives later as a `vehicle` event on the stream."""

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft202012Validator

from tests.clock import ServerClock, utc
from tests.rdw_server import FakeRdw
from tests.server import Server, wait_until
from tests.sse import SSEClient

APP_TOKEN = "test-app-token"
_serial = itertools.count(10)


@pytest.fixture(scope="module")
def rdw() -> Iterator[FakeRdw]:
    with FakeRdw() as fake:
        yield fake


@pytest.fixture(scope="module")
def garage(rdw: FakeRdw, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    database = Path(tmp_path_factory.mktemp("rdw")) / "werkplaats.db"
    env = {"RDW_BASE_URL": rdw.url, "RDW_APP_TOKEN": APP_TOKEN, "RDW_TIMEOUT_SECONDS": "1", "RDW_RETRY_SECONDS": "0.3"}
    server = Server(f"sqlite:///{database}", env=env)
    token = server.token("admin")
    server.start()
    yield server, token
    server.stop()


@pytest.fixture
def admin(garage: tuple[Server, str]) -> Iterator[httpx.Client]:
    server, token = garage
    with server.client(token) as client:
        yield client


def new_plate() -> str:
    """A plate no other test used (sidecode 9: XX-999-X)."""
    return f"RD{next(_serial):03d}X"


def stream_of(garage: tuple[Server, str], work_order_id: int) -> SSEClient:
    server, token = garage
    stream = SSEClient(server.url, token, f"/api/workorders/stream?workOrderId={work_order_id}&lastEventId=0")
    return stream


def next_vehicle_event(stream: SSEClient, timeout: float = 10) -> dict:
    """The next `vehicle` event (the replay of created/column events before it is skipped)."""
    while True:
        message = stream.next(timeout)
        if message.json.get("changeType") == "vehicle":
            return message.json


def create(admin: httpx.Client, plate: str, customer: str = "R. de Wit") -> dict:
    response = admin.post(
        "/api/workorders", json={"customerName": customer, "licensePlate": plate, "description": "APK"}
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_create_by_plate_then_the_rdw_answers_as_a_vehicle_event(
    rdw: FakeRdw, garage: tuple[Server, str], admin: httpx.Client
) -> None:
    plate = new_plate()
    rdw.add(
        plate, "TOYOTA", "TOYOTA YARIS", "BLAUW", date(2021, 6, 18), date(2027, 6, 18), ["Benzine", "Elektriciteit"]
    )
    order = create(admin, plate)
    assert order["vehicle"]["rdw"]["status"] == "pending"
    with stream_of(garage, order["id"]) as stream:
        event = next_vehicle_event(stream)
    vehicle = event["vehicle"]
    assert vehicle == {
        "licensePlate": plate, "brand": "TOYOTA", "model": "TOYOTA YARIS", "color": "BLAUW",
        "fuel": "Benzine/Elektriciteit", "firstAdmission": "2021-06-18", "apkExpiry": "2027-06-18",
        "rdw": {"status": "ok", "checkedAt": vehicle["rdw"]["checkedAt"]}, "deferred": [],
    }  # fmt: skip
    assert vehicle["rdw"]["checkedAt"].endswith("Z")
    assert event["workOrder"]["vehicle"] == vehicle and event["actor"] is None  # the system did it
    schema = admin.get("/api/events/schema").json()
    assert not list(Draft202012Validator(schema).iter_errors(event))
    assert admin.get(f"/api/workorders/{order['id']}").json()["vehicle"] == vehicle
    asked = [request for request in rdw.requests if request.plate == plate]
    assert {request.path for request in asked} == {"/resource/m9d7-ebf2.json", "/resource/8ys7-d773.json"}
    assert all(request.app_token == APP_TOKEN for request in asked)


def test_an_unknown_plate_still_makes_the_order_and_says_unknown(
    garage: tuple[Server, str], admin: httpx.Client
) -> None:
    order = create(admin, new_plate())  # the RDW answers [] for it
    with stream_of(garage, order["id"]) as stream:
        event = next_vehicle_event(stream)
    assert event["vehicle"]["rdw"]["status"] == "unknown" and event["vehicle"]["brand"] is None


@pytest.mark.parametrize("failure", ["500", "429", "hang"])
def test_rdw_down_or_slow_makes_the_order_at_once_then_retries(
    rdw: FakeRdw, garage: tuple[Server, str], admin: httpx.Client, failure: str
) -> None:
    plate = new_plate()
    rdw.add(plate, "OPEL", "CORSA", "ROOD", date(2014, 10, 3), date(2027, 1, 5), ["Benzine"])
    rdw.answer(plate, failure)
    order = create(admin, plate)  # 201 while the RDW fails or never answers
    with stream_of(garage, order["id"]) as stream:
        unreachable = next_vehicle_event(stream)
        assert unreachable["vehicle"]["rdw"] == {"status": "unreachable", "checkedAt": None}
        tries = rdw.count(plate)
        wait_until(lambda: rdw.count(plate) > tries, 10, "a retry with back-off")
        rdw.answer(plate, "ok")
        recovered = next_vehicle_event(stream)
    assert recovered["vehicle"]["rdw"]["status"] == "ok" and recovered["vehicle"]["brand"] == "OPEL"


def test_a_plate_checked_today_is_not_asked_again(
    rdw: FakeRdw, garage: tuple[Server, str], admin: httpx.Client
) -> None:
    plate = new_plate()
    rdw.add(plate, "FORD", "FIESTA", "WIT", date(2016, 2, 2), date(2027, 2, 2), ["Benzine"])
    first = create(admin, plate)
    with stream_of(garage, first["id"]) as stream:
        next_vehicle_event(stream)
    asked = rdw.count(plate)
    second = create(admin, plate, customer="Tweede Eigenaar")
    assert second["vehicle"]["brand"] == "FORD"  # known at once, from the first answer
    third = create(admin, plate, customer="Derde")  # a later create is a cheap, sure marker that the worker woke
    with stream_of(garage, third["id"]) as stream:
        stream.next()
    assert rdw.count(plate) == asked


def test_an_answer_older_than_a_day_is_asked_again(rdw: FakeRdw, tmp_path: Path) -> None:
    """The 24 hours are the server's: its clock is set, an hour short of them and then past them."""
    clock = ServerClock(tmp_path / "clock", utc("2027-02-01 09:00"))
    env = {"RDW_BASE_URL": rdw.url, "RDW_TIMEOUT_SECONDS": "1", "RDW_RETRY_SECONDS": "0.3"}
    server = Server(f"sqlite:///{tmp_path / 'w.db'}", env=env, clock=clock)
    token = server.token("admin")
    plate = new_plate()
    rdw.add(plate, "SEAT", "IBIZA", "ROOD", date(2017, 5, 5), date(2027, 5, 5), ["Benzine"])
    with server, server.client(token) as admin:
        first = create(admin, plate)
        with stream_of((server, token), first["id"]) as stream:
            next_vehicle_event(stream)
        asked = rdw.count(plate)
        clock.set(utc("2027-02-02 08:00"))  # 23 hours later: still fresh
        marker = create(admin, plate, customer="Na 23 uur")
        with stream_of((server, token), marker["id"]) as stream:
            stream.next()
        assert rdw.count(plate) == asked
        clock.set(utc("2027-02-02 09:30"))  # 24.5 hours after the answer
        later = create(admin, plate, customer="Na een dag")
        with stream_of((server, token), later["id"]) as stream:
            assert next_vehicle_event(stream)["vehicle"]["brand"] == "SEAT"
        assert rdw.count(plate) == asked + 2  # both datasets asked again


def test_refresh_tells_every_open_order_of_the_plate(
    rdw: FakeRdw, garage: tuple[Server, str], admin: httpx.Client
) -> None:
    plate = new_plate()
    rdw.add(plate, "KIA", "PICANTO", "GEEL", date(2019, 9, 9), date(2027, 9, 9), ["Benzine"])
    orders = [create(admin, plate, customer=f"Klant {n}") for n in range(3)]
    done = admin.patch(f"/api/workorders/{orders[2]['id']}/column", json={"column": "Afgerond"})
    assert done.status_code == 200
    server, token = garage
    with SSEClient(server.url, token, "/api/workorders/stream?changeType=vehicle") as stream:
        stream.next()  # connected
        rdw.add(plate, "KIA", "PICANTO", "GEEL", date(2019, 9, 9), date(2028, 9, 9), ["Benzine"])  # APK renewed
        asked = rdw.count(plate)
        response = admin.post(f"/api/vehicles/{plate[:2]}-{plate[2:5]}-{plate[5:]}/refresh")
        assert response.status_code == 200 and response.json()["apkExpiry"] == "2028-09-09"
        events = [stream.next().json for _ in range(2)]
    assert rdw.count(plate) == asked + 2  # both datasets asked again, whenever the last answer was
    assert sorted(e["workOrderId"] for e in events) == [orders[0]["id"], orders[1]["id"]]  # not the Afgerond one
    assert all(e["vehicle"]["apkExpiry"] == "2028-09-09" and e["actor"]["role"] == "admin" for e in events)


def test_get_vehicle_asks_the_rdw_for_a_plate_never_seen(rdw: FakeRdw, admin: httpx.Client) -> None:
    plate = new_plate()
    rdw.add(plate, "SEAT", "IBIZA", "GRIJS", date(2018, 1, 1), None, ["Diesel"])
    response = admin.get(f"/api/vehicles/{plate.lower()}")
    assert response.status_code == 200
    assert response.json()["brand"] == "SEAT" and response.json()["apkExpiry"] is None
    assert admin.get("/api/vehicles/AB_12!").status_code == 422


def test_refresh_needs_a_mechanic_or_the_desk(garage: tuple[Server, str]) -> None:
    server, _ = garage
    with server.client(server.token("magazijn")) as warehouse:
        assert warehouse.post("/api/vehicles/GZ183V/refresh").status_code == 403
        assert warehouse.get("/api/vehicles/GZ183V").status_code == 200
