"""Two phones on two server processes of one PostgreSQL database book the last free slot of a day at the same
moment: exactly one gets it, the other a 409 that offers the next free start, and the day is never overbooked
(whether the start is still free is decided inside the write transaction, under the database-wide writer lock).
The two servers of the desks' race (test_planning_race), with the online booking API in front."""

import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.api.billing import expect
from tests.multiprocess.test_planning_race import two_desks  # noqa: F401  (the two servers on PostgreSQL)

DAYS = ["2026-12-08", "2026-12-09", "2026-12-10"]
APK = {"name": "APK", "kind": "apk", "labourMinutes": 60, "fixedPriceCents": 4950}


@pytest.fixture(scope="module")
def phones(two_desks: tuple[httpx.Client, httpx.Client]) -> Iterator[tuple[httpx.Client, httpx.Client]]:  # noqa: F811
    """Two strangers without a login, one on each process, from addresses of their own."""
    clients = tuple(
        httpx.Client(base_url=str(desk.base_url), headers={"X-Forwarded-For": f"192.0.2.{n}"}, timeout=10)
        for n, desk in enumerate(two_desks, start=1)
    )
    yield clients  # type: ignore[misc]
    for client in clients:
        client.close()


def race(phones: tuple[httpx.Client, httpx.Client], body: dict) -> list[httpx.Response]:
    barrier = threading.Barrier(2)
    answers: list[httpx.Response | None] = [None, None]

    def book(index: int) -> None:
        barrier.wait(timeout=10)
        answers[index] = phones[index].post(
            "/api/booking", json={**body, "email": f"telefoon{index}@example.nl", "name": f"Telefoon {index}"}
        )

    threads = [threading.Thread(target=book, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(answer is not None for answer in answers)
    return answers  # type: ignore[return-value]


def test_two_phones_want_the_last_slot_exactly_one_gets_it(
    two_desks: tuple[httpx.Client, httpx.Client],  # noqa: F811
    phones: tuple[httpx.Client, httpx.Client],
) -> None:
    desk = two_desks[0]
    apk = expect(desk.post("/api/packages", json=APK), 201).json()["id"]
    for day in DAYS:  # jan is the only mechanic: the desk fills his day up to its last free hour
        order = expect(
            desk.post(
                "/api/workorders",
                json={"customerName": "Balieklant", "licensePlate": "RB-001-X", "description": "Grote klus"},
            ),
            201,
        ).json()
        body = {"start": f"{day}T08:00:00+01:00", "minutes": 450, "mechanic": "jan"}
        expect(desk.put(f"/api/workorders/{order['id']}/appointment", json=body), 200)
        offered = expect(phones[0].get("/api/booking/slots", params={"packages": apk, "from": f"{day}T00:00:00"}), 200)
        last = offered.json()[0]["start"]
        assert last == f"{day}T14:30:00.000Z"  # 15:30 at the shop
        answers = race(phones, {"licensePlate": "RB-002-X", "packageIds": [apk], "start": last})
        assert sorted(answer.status_code for answer in answers) == [201, 409], [a.text for a in answers]
        won = next(answer.json() for answer in answers if answer.status_code == 201)
        lost = next(answer.json() for answer in answers if answer.status_code == 409)
        assert won["start"] == last
        next_day = expect(phones[1].get("/api/booking/slots", params={"packages": apk, "from": last}), 200).json()
        assert lost["nextStart"] == next_day[0]["start"] > last  # the next free start, the next morning
        planned = desk.get("/api/planning", params={"from": day, "to": day}).json()["days"][0]
        assert planned["mechanics"] == [{"name": "jan", "capacityMinutes": 510, "plannedMinutes": 510}]
