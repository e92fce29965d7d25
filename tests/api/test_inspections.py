"""The digital inspection over real HTTP: items from the shop's checklist (the Dutch preset, or the admin's own),
graded with notes and priced recommendations (by hand or a package), each change an `inspection` event with a
Dutch history sentence, frozen once sent; refusals change nothing and emit nothing."""

from tests.api.billing import SHOP_SETTINGS, expect, order
from tests.api.inspection import grade, item_of, recommend, send, start
from tests.conftest import Shop, assert_no_event_between


def test_an_inspection_starts_from_the_dutch_preset(shop: Shop) -> None:
    work_order = shop.create()
    with shop.stream(query=f"?workOrderId={work_order['id']}") as stream:
        stream.next()
        inspection = start(shop, work_order)
        event = stream.next().json
    labels = [item["label"] for item in inspection["items"]]
    assert [label for label in labels if label.startswith("Band")] == [
        "Band linksvoor (profieldiepte in mm)",
        "Band rechtsvoor (profieldiepte in mm)",
        "Band linksachter (profieldiepte in mm)",
        "Band rechtsachter (profieldiepte in mm)",
    ]
    for expected in ("Remmen voor", "Remmen achter", "Verlichting", "Ruitenwissers", "Vloeistoffen", "Accu",
                     "Uitlaat", "Schokdempers", "Lekkage"):  # fmt: skip
        assert any(label.startswith(expected) for label in labels), expected
    assert any("(APK)" in label for label in labels)
    assert inspection["status"] == "open" and inspection["workOrderId"] == work_order["id"]
    assert inspection["sentAt"] is None and inspection["answeredAt"] is None
    assert all(
        item["grade"] is None and item["photos"] == [] and item["recommendation"] is None and item["decision"] is None
        for item in inspection["items"]
    )
    assert event["changeType"] == "inspection" and event["action"] == "started"
    counted = {"total": len(labels), "groen": 0, "oranje": 0, "rood": 0, "ungraded": len(labels), "photos": 0,
               "recommendations": 0, "approved": 0, "declined": 0}  # fmt: skip
    assert event["workOrder"]["inspection"] == {
        **{k: v for k, v in inspection.items() if k != "items"},
        "counts": counted,
    }
    assert order(shop, work_order["id"])["inspection"] == inspection
    assert shop.create()["inspection"] is None


def test_grades_notes_and_recommendations_with_their_history(shop: Shop) -> None:
    work_order = shop.create()
    inspection = start(shop, work_order)
    with shop.stream(query=f"?workOrderId={work_order['id']}") as stream:
        stream.next()
        lights = item_of(inspection, "Verlichting")
        graded = grade(shop, inspection, lights, grade="groen")
        assert item_of(graded, "Verlichting")["grade"] == "groen"
        brakes = recommend(shop, inspection, "Remmen voor", "Remschijven en -blokken voor", 34950,
                           labourMinutes=90, parts=[{"description": "Remschijven voor (set)", "quantity": 1,
                                                     "unitPriceCents": 12000}])  # fmt: skip
        events = [stream.next().json, stream.next().json]
    assert brakes["grade"] == "rood" and brakes["note"] == "2 mm"
    assert brakes["recommendation"] == {
        "description": "Remschijven en -blokken voor",
        "labourMinutes": 90,
        "parts": [{"description": "Remschijven voor (set)", "articleNumber": None, "quantity": 1,
                   "unitPriceCents": 12000}],
        "priceCents": 34950,
    }  # fmt: skip
    assert [(e["changeType"], e["action"], e["item"]["id"]) for e in events] == [
        ("inspection", "item", lights["id"]),
        ("inspection", "item", brakes["id"]),
    ]
    history = expect(shop.admin.get(f"/api/workorders/{work_order['id']}/events"), 200).json()
    sentences = [entry["summary"] for entry in history if entry["changeType"] == "inspection"]
    assert sentences == [
        "test-monteur begon de keuring",
        "test-monteur keurde Verlichting: groen",
        "test-monteur keurde Remmen voor (schijven en blokken): rood, "
        "advies: Remschijven en -blokken voor (€\xa0349,50)",
    ]
    cleared = grade(shop, inspection, brakes, note=None, recommendation=None)
    assert item_of(cleared, "Remmen voor")["recommendation"] is None
    assert item_of(cleared, "Remmen voor")["grade"] == "rood"


def test_a_recommendation_priced_by_a_package_or_by_the_hour(shop: Shop) -> None:
    expect(shop.admin.put("/api/settings/shop", json=SHOP_SETTINGS), 200)  # € 87,50 an hour
    package = expect(
        shop.admin.post(
            "/api/packages",
            json={"name": "Accu vervangen", "kind": "reparatie", "labourMinutes": 30,
                  "parts": [{"description": "Accu 70 Ah", "quantity": 1, "unitPriceCents": 11000}]},
        ),
        201,
    ).json()  # fmt: skip
    inspection = start(shop, shop.create())
    battery = grade(shop, inspection, item_of(inspection, "Accu"), grade="oranje",
                    recommendation={"packageId": package["id"]})  # fmt: skip
    recommendation = item_of(battery, "Accu")["recommendation"]
    # 30 min at € 87,50 = € 43,75, plus € 110,00: € 153,75 excl., € 186,04 incl. VAT
    assert recommendation["description"] == "Accu vervangen" and recommendation["labourMinutes"] == 30
    assert recommendation["parts"][0]["description"] == "Accu 70 Ah" and recommendation["priceCents"] == 18604
    wipers = grade(shop, inspection, item_of(inspection, "Ruitenwissers"), grade="oranje",
                   recommendation={"description": "Ruitenwissers vervangen", "labourMinutes": 12})  # fmt: skip
    assert item_of(wipers, "Ruitenwissers")["recommendation"]["priceCents"] == 2118  # € 17,50 + 21 %


def test_refusals_change_nothing_and_emit_nothing(shop: Shop) -> None:
    work_order = shop.create()
    inspection = start(shop, work_order)
    item = inspection["items"][0]
    path = f"/api/inspections/{inspection['id']}/items/{item['id']}"
    monteur, magazijn = shop.clients["monteur"], shop.clients["magazijn"]
    other = shop.create()

    def refused() -> None:
        expect(monteur.post(f"/api/workorders/{work_order['id']}/inspection", json={}), 409)
        expect(magazijn.post(f"/api/workorders/{other['id']}/inspection", json={}), 403)
        expect(magazijn.patch(path, json={"grade": "rood"}), 403)
        expect(monteur.patch(path, json={"grade": "paars"}), 422)
        expect(monteur.patch(path, json={"recommendation": {"description": " ", "priceCents": 100}}), 422)
        expect(monteur.patch(path, json={"recommendation": {"description": "X", "priceCents": 100,
                                          "parts": [{"description": "Duur", "quantity": 1,
                                                     "unitPriceCents": 5000}]}}), 422)  # fmt: skip
        expect(monteur.patch(path, json={"recommendation": {"packageId": 999999}}), 422)
        expect(monteur.patch(path, json={"colour": "rood"}), 422)
        expect(monteur.patch(f"/api/inspections/{inspection['id']}/items/999999", json={"grade": "rood"}), 404)
        expect(monteur.patch(f"/api/inspections/999999/items/{item['id']}", json={"grade": "rood"}), 404)
        expect(monteur.post(f"/api/inspections/{inspection['id']}/send"), 403)

    assert_no_event_between(shop, refused)
    assert order(shop, work_order["id"])["inspection"] == inspection
    assert order(shop, other["id"])["inspection"] is None


def test_once_sent_it_is_frozen_and_mails_keuring(shop: Shop) -> None:
    response = shop.admin.post(
        "/api/workorders",
        json={"customerName": "Mevr. Jansen", "licensePlate": "KR-123-X", "description": "APK",
              "customerEmail": "jansen@example.nl"},
    )  # fmt: skip
    work_order = expect(response, 201).json()
    inspection = start(shop, work_order)
    recommend(shop, inspection, "Remmen voor", "Remblokken voor", 15000)
    with shop.stream(query=f"?workOrderId={work_order['id']}") as stream:
        stream.next()
        sent = send(shop, inspection)
        kinds = [(m.json["changeType"], m.json.get("action")) for m in stream.take(2)]
    assert sent["status"] == "verstuurd" and sent["sentAt"] is not None
    assert kinds == [("inspection", "sent"), ("notification", None)]
    mails = expect(shop.admin.get(f"/api/workorders/{work_order['id']}/notifications"), 200).json()
    assert mails[-1]["kind"] == "keuring" and mails[-1]["to"] == "jansen@example.nl"
    assert "bekijk de foto's" in mails[-1]["subject"]
    item = inspection["items"][0]
    expect(shop.clients["monteur"].patch(f"/api/inspections/{inspection['id']}/items/{item['id']}",
                                         json={"grade": "groen"}), 409)  # fmt: skip
    expect(shop.admin.post(f"/api/inspections/{inspection['id']}/send"), 409)


def test_the_admin_edits_the_checklist(shop: Shop) -> None:
    preset = expect(shop.clients["monteur"].get("/api/inspections/checklist"), 200).json()
    try:
        expect(shop.clients["monteur"].put("/api/inspections/checklist", json={"items": ["Band"]}), 403)
        expect(shop.admin.put("/api/inspections/checklist", json={"items": []}), 422)
        own = ["Banden (profieldiepte in mm)", "Remmen", "Trekhaak"]
        assert expect(shop.admin.put("/api/inspections/checklist", json={"items": own}), 200).json() == own
        assert [item["label"] for item in start(shop, shop.create())["items"]] == own
    finally:
        expect(shop.admin.put("/api/inspections/checklist", json={"items": preset}), 200)
