"""Service packages over real HTTP: the admin keeps the list, and a package added to an order prices the estimate
the iPad shows (labour at the hourly rate, or one line at a fixed price) with its parts, in one transaction."""

from collections.abc import Iterator

import pytest

from tests.api.billing import SHOP_SETTINGS, expect, order
from tests.conftest import Shop, assert_no_event_between
from tests.planning_shop import day_shop_fixture

day_shop = day_shop_fixture()
KLEINE_BEURT = {
    "name": "Kleine beurt",
    "kind": "onderhoud",
    "labourMinutes": 60,
    "parts": [
        {
            "description": "Motorolie 5W-30 (5 liter)",
            "articleNumber": "CAS-15D5E8",
            "quantity": 1,
            "unitPriceCents": 4995,
        },
        {"description": "Oliefilter", "articleNumber": "MANN-W712/95", "quantity": 1, "unitPriceCents": 1395},
    ],
}
APK = {"name": "APK", "kind": "apk", "labourMinutes": 45, "fixedPriceCents": 4950,
       "parts": [{"description": "Ruitenwisservloeistof", "quantity": 1, "unitPriceCents": 395}]}  # fmt: skip


@pytest.fixture(scope="module")
def packages(day_shop: Shop) -> Iterator[dict[str, dict]]:
    yield {
        str(body["name"]): expect(day_shop.admin.post("/api/packages", json=body), 201).json()
        for body in (KLEINE_BEURT, APK)
    }


def test_the_admin_keeps_the_list_and_staff_see_the_active_ones(day_shop: Shop, packages: dict) -> None:
    extra = expect(
        day_shop.admin.post("/api/packages", json={"name": "Ruitenwissers", "labourMinutes": 10}), 201
    ).json()
    assert extra["kind"] == "overig" and extra["active"] and extra["parts"] == [] and extra["fixedPriceCents"] is None
    names = [p["name"] for p in expect(day_shop.clients["monteur"].get("/api/packages"), 200).json()]
    assert {"Kleine beurt", "APK", "Ruitenwissers"} <= set(names) and names == sorted(names)
    patched = expect(day_shop.admin.patch(f"/api/packages/{extra['id']}", json={"active": False}), 200).json()
    assert patched["active"] is False and patched["name"] == "Ruitenwissers"
    assert "Ruitenwissers" not in [p["name"] for p in day_shop.admin.get("/api/packages").json()]
    assert packages["Kleine beurt"]["parts"][0] == KLEINE_BEURT["parts"][0]  # type: ignore[index]

    expect(day_shop.clients["monteur"].post("/api/packages", json={"name": "X", "labourMinutes": 5}), 403)
    expect(day_shop.admin.post("/api/packages", json={"name": " ", "labourMinutes": 5}), 422)
    expect(day_shop.admin.post("/api/packages", json={"name": "X", "labourMinutes": -1}), 422)
    expect(day_shop.admin.post("/api/packages", json={"name": "X", "labourMinutes": 5, "kind": "fout"}), 422)
    expect(day_shop.admin.patch("/api/packages/999999", json={"active": False}), 404)


def test_a_package_prices_the_estimate_the_ipad_shows(day_shop: Shop, packages: dict) -> None:
    work_order = day_shop.create(description="Onderhoud")
    with day_shop.stream(query=f"?workOrderId={work_order['id']}") as stream:
        stream.next()  # connected
        body = {"packageId": packages["Kleine beurt"]["id"]}
        added = expect(day_shop.admin.post(f"/api/workorders/{work_order['id']}/packages", json=body), 201).json()
        events = [message.json for message in stream.take(3)]
    assert [e["changeType"] for e in events] == ["labour", "parts", "parts"]
    assert [e["action"] for e in events] == ["added"] * 3
    [labour] = added["labour"]
    assert (labour["description"], labour["minutes"], labour["rateCents"]) == (
        "Kleine beurt", 60, SHOP_SETTINGS["hourlyRateCents"]
    )  # fmt: skip
    assert [(p["description"], p["articleNumber"], p["unitPriceCents"], p["status"]) for p in added["parts"]] == [
        ("Motorolie 5W-30 (5 liter)", "CAS-15D5E8", 4995, "nodig"),
        ("Oliefilter", "MANN-W712/95", 1395, "nodig"),
    ]
    excluding = 8750 + 4995 + 1395  # one hour at € 87,50 and the two parts
    vat = round(excluding * 0.21)
    assert added["totals"] == {"excludingVatCents": excluding, "vatCents": vat, "includingVatCents": excluding + vat}
    assert added["progress"] == {"plannedMinutes": 60, "clockedMinutes": 0, "overrun": False}
    expect(day_shop.admin.put("/api/display/current", json={"workOrderId": work_order["id"]}), 200)
    shown = expect(day_shop.clients["display"].get("/api/display/current"), 200).json()
    assert shown["totals"]["includingVatCents"] == excluding + vat and len(shown["labour"]) == 1
    history = expect(day_shop.admin.get(f"/api/workorders/{work_order['id']}/events"), 200).json()
    assert "balie" not in history[-1]["summary"] and "1 u" in history[-3]["summary"]


def test_a_fixed_price_is_what_the_customer_pays_parts_included(day_shop: Shop, packages: dict) -> None:
    work_order = day_shop.create(description="APK")
    body = {"packageId": packages["APK"]["id"]}
    added = expect(day_shop.admin.post(f"/api/workorders/{work_order['id']}/packages", json=body), 201).json()
    assert added["totals"]["includingVatCents"] == 4950
    [labour] = added["labour"]
    assert labour["description"] == "APK (vaste prijs)" and labour["minutes"] == 45
    assert [(p["description"], p["unitPriceCents"]) for p in added["parts"]] == [("Ruitenwisservloeistof", 0)]


def test_an_unknown_or_inactive_package_changes_nothing(day_shop: Shop) -> None:
    work_order = day_shop.create()
    inactive = expect(
        day_shop.admin.post("/api/packages", json={"name": "Oud", "labourMinutes": 5, "active": False}), 201
    )
    for package_id in (999_999, inactive.json()["id"]):
        assert_no_event_between(
            day_shop,
            lambda package_id=package_id: expect(
                day_shop.admin.post(f"/api/workorders/{work_order['id']}/packages", json={"packageId": package_id}),
                404,
            ),
        )
    assert order(day_shop, work_order["id"])["labour"] == []
    expect(day_shop.clients["monteur"].post(f"/api/workorders/{work_order['id']}/packages", json={"packageId": 1}), 403)
    expect(day_shop.admin.post("/api/workorders/999999/packages", json={"packageId": 1}), 404)
