"""The customer answers the inspection from their status page (POST /status/{token}/inspection): one online
approval with the contract's snapshot hash, the approved recommendations on the order as labour and parts
(`nodig`) and the declined one on the vehicle — all in one transaction; every refusal changes nothing."""

import httpx

from tests.api.billing import SHOP_SETTINGS, contract_sha256, expect, order
from tests.api.inspection import grade, item_of, recommend, send, start
from tests.api.test_display import data_url, png
from tests.conftest import Shop, assert_no_event_between

BRAKES = {"labourMinutes": 90, "parts": [{"description": "Remschijven voor (set)", "quantity": 1,
                                          "unitPriceCents": 12000}]}  # fmt: skip


def inspected(shop: Shop) -> tuple[dict, dict, list[dict]]:
    """An order with a sent inspection: three recommendations and a green item."""
    expect(shop.admin.put("/api/settings/shop", json=SHOP_SETTINGS), 200)
    work_order = shop.create(customer="Mevr. de Vries")
    inspection = start(shop, work_order)
    grade(shop, inspection, item_of(inspection, "Verlichting"), grade="groen")
    items = [
        recommend(shop, inspection, "Remmen voor", "Remschijven voor", 34950, **BRAKES),
        recommend(shop, inspection, "Ruitenwissers", "Ruitenwissers vervangen", 4500, note="scheuren"),
        recommend(shop, inspection, "Band linksvoor", "Band linksvoor vervangen", 12900, note="1,6 mm"),
    ]
    return work_order, send(shop, inspection), items


def answer(shop: Shop, work_order: dict, decisions: dict, signature: str | None = None) -> httpx.Response:
    body = {"decisions": decisions, "signerName": "Mevr. de Vries", "signature": signature or data_url(png())}
    return httpx.post(f"{shop.server.url}{work_order['statusUrl']}/inspection", json=body)


def test_two_approved_one_declined_in_one_transaction(shop: Shop) -> None:
    work_order, inspection, (brakes, wipers, tyre) = inspected(shop)
    decisions = {str(brakes["id"]): "akkoord", str(wipers["id"]): "akkoord", str(tyre["id"]): "afgewezen"}
    with shop.stream(query=f"?workOrderId={work_order['id']}") as stream:
        stream.next()
        approval = expect(answer(shop, work_order, decisions), 201).json()
        events = stream.take(5)
    assert [(e.json["changeType"], e.json.get("action")) for e in events] == [
        ("parts", "added"), ("labour", "added"), ("labour", "added"), ("approval", None), ("inspection", "answered"),
    ]  # fmt: skip
    assert events[-1].json["approved"] == 2 and events[-1].json["declined"] == 1
    assert approval["method"] == "online" and approval["signerName"] == "Mevr. de Vries"
    assert approval["snapshotSha256"] == contract_sha256(approval["snapshot"])
    assert [(entry["label"], entry["decision"]) for entry in approval["snapshot"]["inspection"]] == [
        (tyre["label"], "afgewezen"), (brakes["label"], "akkoord"), (wipers["label"], "akkoord"),
    ]  # fmt: skip
    after = order(shop, work_order["id"])
    assert abs(after["totals"]["includingVatCents"] - (34950 + 4500)) <= 1  # what the customer saw, incl. VAT
    assert approval["approvedTotalCents"] == after["totals"]["includingVatCents"]
    assert [(p["description"], p["status"], p["unitPriceCents"]) for p in after["parts"]] == [
        ("Remschijven voor (set)", "nodig", 12000)
    ]
    assert [line["description"] for line in after["labour"]] == ["Remschijven voor", "Ruitenwissers vervangen"]
    assert after["labour"][0]["minutes"] == 90 and after["needsApproval"] is False
    assert after["inspection"]["status"] == "beantwoord" and after["inspection"]["answeredAt"] is not None
    decided = {item["id"]: item["decision"] for item in after["inspection"]["items"]}
    assert decided[brakes["id"]] == "akkoord" and decided[tyre["id"]] == "afgewezen"
    assert decided[item_of(inspection, "Verlichting")["id"]] is None
    assert after["vehicle"]["deferred"] == [
        {"label": tyre["label"], "description": "Band linksvoor vervangen, 1,6 mm",
         "since": after["inspection"]["answeredAt"], "workOrderId": work_order["id"]},
    ]  # fmt: skip
    mails = expect(shop.admin.get(f"/api/workorders/{work_order['id']}/notifications"), 200).json()
    assert "toestemming" not in [mail["kind"] for mail in mails]  # approved as it grew: nothing to ask again
    history = expect(shop.admin.get(f"/api/workorders/{work_order['id']}/events"), 200).json()
    assert history[-1]["summary"] == "Mevr. de Vries keurde 2 van 3 aanbevelingen goed op de statuspagina"
    assert history[-2]["summary"].startswith("Mevr. de Vries gaf op de statuspagina toestemming voor €\xa0")

    next_time = expect(shop.admin.post("/api/workorders", json={
        "customerId": work_order["customerId"], "licensePlate": work_order["licensePlate"], "description": "APK"
    }), 201).json()  # fmt: skip
    assert next_time["vehicle"]["deferred"][0]["description"] == "Band linksvoor vervangen, 1,6 mm"
    vehicle = expect(shop.admin.get(f"/api/vehicles/{work_order['licensePlate']}"), 200).json()
    assert vehicle["deferred"] == after["vehicle"]["deferred"]


def test_refused_answers_change_nothing(shop: Shop) -> None:
    work_order, inspection, (brakes, wipers, tyre) = inspected(shop)
    all_three = {str(brakes["id"]): "akkoord", str(wipers["id"]): "afgewezen", str(tyre["id"]): "akkoord"}
    green = item_of(inspection, "Verlichting")
    unsent = shop.create()
    start(shop, unsent)

    def refused() -> None:
        expect(answer(shop, work_order, {**all_three, str(green["id"]): "akkoord"}), 422)  # no recommendation
        expect(answer(shop, work_order, {str(brakes["id"]): "akkoord"}), 422)  # one of three decided
        expect(answer(shop, work_order, {**all_three, str(brakes["id"]): "misschien"}), 422)
        expect(answer(shop, work_order, all_three, data_url(png(padding=1024 * 1024 + 10))), 413)
        expect(answer(shop, work_order, all_three, "data:image/png;base64,niet-een-png"), 422)
        expect(answer(shop, unsent, {}), 409)  # not sent yet
        response = httpx.post(f"{shop.server.url}{work_order['statusUrl']}/inspection", content=b"{" * 5_000_000)
        assert response.status_code == 413
        expect(httpx.post(f"{shop.server.url}/status/{'x' * 32}/inspection", json={
            "decisions": all_three, "signerName": "X", "signature": data_url(png())}), 404)  # fmt: skip

    assert_no_event_between(shop, refused)
    assert order(shop, work_order["id"])["parts"] == [] and order(shop, work_order["id"])["vehicle"]["deferred"] == []
    expect(answer(shop, work_order, all_three), 201)
    assert_no_event_between(shop, lambda: expect(answer(shop, work_order, all_three), 409))
