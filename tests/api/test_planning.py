"""Planning over real HTTP on a server whose clock starts on Monday 7 December 2026, 10:00 at the shop: mechanics'
hours and capacity (a public holiday, a day off, a half day), appointments and every refusal (silent), overbooking
refused then allowed, loan cars, free starts, and progress against the plan."""

from datetime import timedelta
from typing import Any

import httpx

from tests.api.billing import expect, order
from tests.conftest import Shop, assert_no_event_between
from tests.planning_shop import NOW, day_shop_fixture

day_shop = day_shop_fixture()
FULL_DAY = 540 - 30  # 08:00-17:00 less the break


def plan(shop: Shop, work_order: dict, status: int = 200, **fields: object) -> httpx.Response:
    return expect(shop.admin.put(f"/api/workorders/{work_order['id']}/appointment", json=fields), status)


def planning_days(shop: Shop, first: str, last: str) -> dict[str, dict]:
    body = expect(shop.admin.get("/api/planning", params={"from": first, "to": last}), 200).json()
    return {day["date"]: day for day in body["days"]}


def capacity(day: dict) -> dict[str, tuple[int, int]]:
    return {m["name"]: (m["capacityMinutes"], m["plannedMinutes"]) for m in day["mechanics"]}


def test_capacity_with_a_public_holiday_a_day_off_and_a_half_day(day_shop: Shop) -> None:
    mechanics = expect(day_shop.clients["monteur"].get("/api/mechanics"), 200).json()
    assert [m["name"] for m in mechanics] == ["fatima", "jan", "pieter"]
    assert mechanics[0]["workHours"] == {**{str(d): ["08:00", "17:00"] for d in range(1, 6)}, "6": None, "7": None}
    jan = expect(day_shop.admin.put("/api/mechanics/jan", json={"daysOff": ["2026-12-23"]}), 200).json()
    assert jan["daysOff"] == ["2026-12-23"] and jan["workHours"]["3"] == ["08:00", "17:00"]
    pieter = expect(day_shop.admin.put("/api/mechanics/pieter", json={"workHours": {"2": ["08:00", "12:30"]}}), 200)
    assert pieter.json()["workHours"]["2"] == ["08:00", "12:30"] and pieter.json()["workHours"]["1"] == [
        "08:00",
        "17:00",
    ]

    days = planning_days(day_shop, "2026-12-21", "2026-12-27")
    assert capacity(days["2026-12-21"]) == {"fatima": (FULL_DAY, 0), "jan": (FULL_DAY, 0), "pieter": (FULL_DAY, 0)}
    assert capacity(days["2026-12-22"])["pieter"] == (270, 0)  # 4 1/2 hours: no break
    assert capacity(days["2026-12-23"]) == {"fatima": (FULL_DAY, 0), "jan": (0, 0), "pieter": (FULL_DAY, 0)}
    assert days["2026-12-25"]["holiday"] == "Eerste kerstdag" and days["2026-12-25"]["capacityMinutes"] == 0
    assert days["2026-12-26"]["capacityMinutes"] == days["2026-12-27"]["capacityMinutes"] == 0
    assert days["2026-12-22"]["capacityMinutes"] == 2 * FULL_DAY + 270

    expect(day_shop.clients["monteur"].put("/api/mechanics/jan", json={"active": True}), 403)
    expect(day_shop.admin.put("/api/mechanics/onbekend", json={"active": True}), 404)
    expect(day_shop.admin.put("/api/mechanics/jan", json={"workHours": {"8": ["08:00", "17:00"]}}), 422)
    expect(day_shop.admin.put("/api/mechanics/jan", json={"workHours": {"1": ["17:00", "08:00"]}}), 422)
    expect(day_shop.admin.get("/api/planning", params={"from": "2026-12-07", "to": "2027-03-09"}), 422)  # 93 days
    expect(day_shop.admin.get("/api/planning", params={"from": "2026-12-08", "to": "2026-12-07"}), 422)


def test_overbooking_is_refused_then_allowed_with_the_flag(day_shop: Shop) -> None:
    long_job, short_job, one_more = (day_shop.create(description=f"Klus {n}") for n in range(3))
    with day_shop.stream(query=f"?workOrderId={long_job['id']}") as stream:
        stream.next()
        planned = plan(day_shop, long_job, start="2026-12-08T08:00:00+01:00", minutes=480, mechanic="jan").json()
        event = stream.next().json
    assert (event["changeType"], event["action"]) == ("appointment", "planned")
    assert planned["appointment"] == {
        "start": "2026-12-08T07:00:00.000Z", "minutes": 480, "mechanic": "jan", "promisedAt": None,
        "waiting": False, "loanCar": None,
    }  # fmt: skip
    assert event["appointment"] == planned["appointment"] and planned["version"] == long_job["version"] + 1
    plan(day_shop, short_job, start="2026-12-08T16:00:00", minutes=30, mechanic="jan")  # the shop's time
    assert capacity(planning_days(day_shop, "2026-12-08", "2026-12-08")["2026-12-08"])["jan"] == (FULL_DAY, FULL_DAY)

    refused: dict[str, Any] = {"start": "2026-12-08T13:00:00+01:00", "minutes": 60, "mechanic": "jan"}
    assert_no_event_between(day_shop, lambda: plan(day_shop, one_more, 409, **refused))
    reason = plan(day_shop, one_more, 409, **refused).json()["detail"]
    assert reason.startswith("Overboekt: jan heeft op di 8 dec nog 0 min vrij van 8 u 30 min")
    assert order(day_shop, one_more["id"])["appointment"] is None

    plan(day_shop, one_more, **refused, allowOverbooking=True)
    assert capacity(planning_days(day_shop, "2026-12-08", "2026-12-08")["2026-12-08"])["jan"] == (FULL_DAY, 570)
    history = [e["summary"] for e in day_shop.admin.get(f"/api/workorders/{long_job['id']}/events").json()]
    assert history[-1] == "test-admin plande de auto in op di 8 dec 08:00 bij jan"


def test_bad_appointments_are_refused_and_change_nothing(day_shop: Shop) -> None:
    work_order = day_shop.create()
    good = {"start": "2026-12-09T09:00:00+01:00", "minutes": 60, "mechanic": "fatima"}
    refusals = [
        ({**good, "start": "2026-12-25T09:00:00+01:00"}, 422, "feestdag (Eerste kerstdag)"),
        ({**good, "start": "2026-12-09T07:30:00+01:00"}, 422, "buiten de werktijden van fatima (08:00–17:00)"),
        ({**good, "start": "2026-12-09T17:00:00+01:00"}, 422, "buiten de werktijden"),
        ({**good, "start": "2026-12-12T09:00:00+01:00"}, 422, "fatima werkt niet op za 12 dec"),
        ({**good, "start": "2026-12-04T09:00:00+01:00"}, 422, "in het verleden"),
        ({**good, "mechanic": "onbekend"}, 422, "Monteur onbekend bestaat niet"),
        ({**good, "minutes": 0}, 422, "tussen 1 en 10080"),
        ({**good, "minutes": 7 * 24 * 60 + 1}, 422, "tussen 1 en 10080"),
        ({"start": good["start"], "mechanic": "fatima"}, 422, "nog geen werkpakketten"),
        ({**good, "loanCar": "ZZ-999-Z"}, 422, "Leenauto ZZ-999-Z bestaat niet"),
        ({**good, "version": work_order["version"] + 5}, 409, "intussen gewijzigd"),
    ]
    for body, status, reason in refusals:
        assert_no_event_between(day_shop, lambda body=body, status=status: plan(day_shop, work_order, status, **body))
        assert reason in plan(day_shop, work_order, status, **body).json()["detail"], body
    expect(day_shop.clients["monteur"].put(f"/api/workorders/{work_order['id']}/appointment", json=good), 403)
    expect(day_shop.admin.put("/api/workorders/999999/appointment", json=good), 404)
    expect(day_shop.admin.delete(f"/api/workorders/{work_order['id']}/appointment"), 404)
    assert order(day_shop, work_order["id"])["appointment"] is None


def test_moved_and_cancelled_in_the_history(day_shop: Shop) -> None:
    work_order = day_shop.create()
    plan(day_shop, work_order, start="2026-12-10T10:00:00+01:00", minutes=90, mechanic="jan")
    moved = plan(day_shop, work_order, start="2026-12-11T14:15:00+01:00", minutes=90, mechanic="fatima").json()
    assert moved["appointment"]["start"] == "2026-12-11T13:15:00.000Z"
    same = plan(day_shop, work_order, start="2026-12-11T14:15:00+01:00", minutes=90, mechanic="fatima").json()
    assert same["version"] == moved["version"]  # nothing changed: no event
    expect(day_shop.admin.delete(f"/api/workorders/{work_order['id']}/appointment"), 204)
    history = day_shop.admin.get(f"/api/workorders/{work_order['id']}/events").json()
    assert [(e["changeType"], e["action"]) for e in history[-3:]] == [
        ("appointment", "planned"), ("appointment", "moved"), ("appointment", "cancelled")
    ]  # fmt: skip
    assert history[-2]["summary"] == "test-admin verplaatste de afspraak naar vr 11 dec 14:15 bij fatima"
    assert history[-1]["summary"] == "test-admin annuleerde de afspraak van vr 11 dec 14:15"
    assert order(day_shop, work_order["id"])["appointment"] is None


def test_a_loan_car_is_never_out_twice_on_one_day(day_shop: Shop) -> None:
    car = expect(day_shop.admin.post("/api/loan-cars", json={"licensePlate": "zh-123-l", "name": "Polo"}), 201).json()
    assert car["licensePlate"] == "ZH123L"
    expect(day_shop.admin.post("/api/loan-cars", json={"licensePlate": "ZH-123-L", "name": "Polo"}), 409)
    expect(day_shop.clients["monteur"].post("/api/loan-cars", json={"licensePlate": "ZH-9-L", "name": "X"}), 403)
    assert [c["licensePlate"] for c in day_shop.clients["monteur"].get("/api/loan-cars").json()] == ["ZH123L"]
    first, second = day_shop.create(), day_shop.create()
    plan(day_shop, first, start="2026-12-16T08:00:00+01:00", minutes=60, loanCar="ZH-123-L",
         promisedAt="2026-12-17T17:00:00+01:00")  # fmt: skip
    for day in ("16", "17"):
        body = {"start": f"2026-12-{day}T10:00:00+01:00", "minutes": 60, "loanCar": "ZH123L"}
        reason = plan(day_shop, second, 409, **body).json()["detail"]
        assert reason.startswith(f"Leenauto ZH-123-L is op wo 16 dec al uitgeleend ({first['number']})") or (
            reason.startswith(f"Leenauto ZH-123-L is op do 17 dec al uitgeleend ({first['number']})")
        )
    later = plan(day_shop, second, start="2026-12-18T10:00:00+01:00", minutes=60, loanCar="ZH-123-L").json()
    assert later["appointment"]["loanCar"] == "ZH123L" and later["appointment"]["mechanic"] is None


def test_the_first_free_starts(day_shop: Shop) -> None:
    busy = day_shop.create()
    plan(day_shop, busy, start="2026-12-29T08:00:00+01:00", minutes=240, mechanic="jan")
    params: dict[str, Any] = {"minutes": 60, "from": "2026-12-29T08:00:00+01:00", "count": 4}
    slots = expect(day_shop.clients["monteur"].get("/api/planning/free", params=params), 200).json()
    assert slots == [
        {"start": "2026-12-29T07:00:00.000Z", "mechanic": "fatima"},
        {"start": "2026-12-29T07:00:00.000Z", "mechanic": "pieter"},
        {"start": "2026-12-29T11:00:00.000Z", "mechanic": "jan"},
        {"start": "2026-12-30T07:00:00.000Z", "mechanic": "fatima"},
    ]
    today = expect(day_shop.admin.get("/api/planning/free", params={"minutes": 30, "count": 1}), 200).json()
    assert today[0]["start"] >= (NOW + timedelta(minutes=15)).isoformat()[:16]  # from now on, a quarter ahead
    assert today[0]["start"].startswith("2026-12-07T09:15")
    expect(day_shop.admin.get("/api/planning/free", params={"minutes": 0}), 422)


def test_packages_set_the_minutes_and_progress_follows_the_clock(day_shop: Shop) -> None:
    package = expect(day_shop.admin.post("/api/packages", json={"name": "Kleine beurt", "labourMinutes": 30}), 201)
    work_order = day_shop.create()
    path = f"/api/workorders/{work_order['id']}"
    expect(day_shop.admin.post(f"{path}/packages", json={"packageId": package.json()["id"]}), 201)
    planned = plan(day_shop, work_order, start="2026-12-07T13:00:00+01:00", mechanic="pieter").json()
    assert planned["appointment"]["minutes"] == 30
    grown = expect(day_shop.admin.post(f"{path}/packages", json={"packageId": package.json()["id"]}), 201).json()
    assert grown["appointment"]["minutes"] == 60
    assert grown["progress"] == {"plannedMinutes": 60, "clockedMinutes": 0, "overrun": False}

    session = expect(day_shop.clients["monteur"].post(f"{path}/sessions", json={"mechanic": "pieter"}), 201).json()
    start, end = NOW - timedelta(minutes=61), NOW - timedelta(seconds=5)
    times = {"startedAt": start.isoformat(), "endedAt": (NOW - timedelta(minutes=2)).isoformat()}
    expect(day_shop.admin.patch(f"{path}/sessions/{session['id']}", json=times), 200)
    assert order(day_shop, work_order["id"])["progress"] == {
        "plannedMinutes": 60,
        "clockedMinutes": 59,
        "overrun": False,
    }
    with day_shop.stream(query=f"?workOrderId={work_order['id']}") as stream:
        stream.next()
        times["endedAt"] = end.isoformat()
        expect(day_shop.admin.patch(f"{path}/sessions/{session['id']}", json=times), 200)
        event = stream.next().json
    assert event["workOrder"]["progress"] == {"plannedMinutes": 60, "clockedMinutes": 61, "overrun": True}
