"""Two desks on two server processes of one PostgreSQL database book the last free hour of a mechanic's day at
the same moment: exactly one gets it, the other a 409, and the day is never overbooked (the capacity check runs
inside the write transaction, which holds the database-wide writer lock)."""

import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.api.billing import expect
from tests.planning_shop import timed_server
from tests.postgres import throwaway_database
from tests.server import Server, seed_account

DAYS = ["2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-14"]


@pytest.fixture(scope="module")
def two_desks() -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with throwaway_database() as url:
        first, second = timed_server(url), timed_server(url)
        token = first.token("admin")  # migrates
        seed_account(url, "jan", "monteur", "geheim-jan-123")
        servers: list[Server] = []
        try:
            for server in (first, second):
                servers.append(server.start())
            yield first.client(token), second.client(token)
        finally:
            for server in servers:
                server.stop()


def race(desks: tuple[httpx.Client, httpx.Client], paths: list[str], day: str) -> list[int]:
    """Each desk books its order into jan's last hour of the day, released at the same moment."""
    barrier = threading.Barrier(2)
    answers = [0, 0]
    last_hour = {"start": f"{day}T15:30:00+01:00", "minutes": 60, "mechanic": "jan"}

    def book(index: int) -> None:
        barrier.wait(timeout=10)
        answers[index] = desks[index].put(paths[index], json=last_hour).status_code

    threads = [threading.Thread(target=book, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


def test_two_desks_booking_the_last_free_hour_exactly_one_gets_it(two_desks: tuple[httpx.Client, httpx.Client]) -> None:
    desks = two_desks
    for day in DAYS:
        orders = [
            expect(
                desks[0].post("/api/workorders", json={"customerName": f"Klant {n}", "licensePlate": f"RC-{n:03d}-X",
                                                       "description": "Beurt"}),
                201,
            ).json()
            for n in range(3)
        ]  # fmt: skip
        body = {"start": f"{day}T08:00:00+01:00", "minutes": 450, "mechanic": "jan"}  # 60 of 510 minutes left
        expect(desks[0].put(f"/api/workorders/{orders[0]['id']}/appointment", json=body), 200)
        answers = race(desks, [f"/api/workorders/{o['id']}/appointment" for o in orders[1:]], day)
        assert sorted(answers) == [200, 409], (day, answers)
        planned = desks[1].get("/api/planning", params={"from": day, "to": day}).json()["days"][0]
        assert planned["mechanics"] == [{"name": "jan", "capacityMinutes": 510, "plannedMinutes": 510}]
