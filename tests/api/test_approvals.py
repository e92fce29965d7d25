"""Approvals over real HTTP: the record of what was signed (its hash recomputed here), re-approval past +10 %
(not at +9 % nor at exactly +10 %), a re-approval on the iPad that only emits `approval`, by telephone with a note,
and signing with nothing to approve refused without a trace."""

from tests.api.billing import add_part, contract_sha256, expect, move, order, sign_on_ipad
from tests.api.test_display import data_url, png
from tests.conftest import Shop, assert_no_event_between

APPROVAL_FIELDS = {"id", "workOrderId", "method", "signerName", "signedAt", "approvedTotalCents", "consentVersion",
                   "snapshot", "snapshotSha256"}  # fmt: skip


def test_the_signature_stores_exactly_what_was_approved(shop: Shop) -> None:
    work_order = shop.create()
    add_part(shop, work_order, 4595, 2, "Remblokken voor")
    assert order(shop, work_order["id"])["needsApproval"] is True
    signed = sign_on_ipad(shop, work_order["id"], "Mevr. Ünal")
    approval = signed["approval"]
    assert set(approval) == APPROVAL_FIELDS and approval["method"] == "ipad"
    assert (approval["signerName"], approval["approvedTotalCents"]) == ("Mevr. Ünal", 11120)  # 9190 + 21 % VAT
    snapshot = approval["snapshot"]
    assert snapshot["totals"] == signed["totals"] and snapshot["consentVersion"] == approval["consentVersion"]
    assert [(line["description"], line["quantity"], line["unitPriceCents"]) for line in snapshot["lines"]] == [
        ("Remblokken voor", 2, 4595)
    ]
    assert approval["snapshotSha256"] == contract_sha256(snapshot)
    listed = expect(shop.clients["monteur"].get(f"/api/workorders/{work_order['id']}/approvals"), 200).json()
    assert listed == [approval] and contract_sha256(listed[0]["snapshot"]) == listed[0]["snapshotSha256"]
    history = shop.admin.get(f"/api/workorders/{work_order['id']}/events").json()
    assert "Mevr. Ünal gaf op de iPad toestemming voor €\xa0111,20" in [e["summary"] for e in history]


def test_the_snapshot_records_unpriced_lines_as_unpriced(shop: Shop) -> None:
    work_order = shop.create()
    add_part(shop, work_order, 4595, 2, "Remblokken voor")
    add_part(shop, work_order, None, 2, "Remschijven voor")
    approval = sign_on_ipad(shop, work_order["id"])["approval"]
    snapshot = approval["snapshot"]
    assert snapshot["lines"] == [
        {"description": "Remblokken voor", "quantity": 2, "unitPriceCents": 4595, "vatRate": 21, "totalCents": 9190,
         "unpriced": False},
        {"description": "Remschijven voor", "quantity": 2, "unitPriceCents": None, "vatRate": 21, "totalCents": None,
         "unpriced": True},
    ]  # fmt: skip
    assert snapshot["totals"]["excludingVatCents"] == 9190 and approval["approvedTotalCents"] == 11120
    assert approval["snapshotSha256"] == contract_sha256(snapshot)


def test_more_than_ten_percent_asks_again_and_not_before(shop: Shop) -> None:
    work_order = shop.create()
    add_part(shop, work_order, 10_000)  # 12.100 incl. VAT approved
    sign_on_ipad(shop, work_order["id"])
    steps = [(900, False), (100, False), (1, True)]  # +9 %, exactly +10 % (13.310), then one cent more
    for cents, needed in steps:
        add_part(shop, work_order, cents)
        now = order(shop, work_order["id"])
        assert now["needsApproval"] is needed, (cents, now["totals"])
    assert now["totals"]["includingVatCents"] == 13_311


def test_re_approval_on_the_ipad_emits_only_approval(shop: Shop) -> None:
    work_order = shop.create()
    add_part(shop, work_order, 10_000)
    sign_on_ipad(shop, work_order["id"])
    move(shop, work_order["id"], "Onder handen")
    add_part(shop, work_order, 5_000)
    assert order(shop, work_order["id"])["needsApproval"] is True
    with shop.stream(query=f"?workOrderId={work_order['id']}") as stream:
        stream.next()
        signed = sign_on_ipad(shop, work_order["id"], "Dhr. Bakker")
        event = stream.next().json
        add_part(shop, work_order, 1)
        assert stream.next().json["changeType"] == "parts"  # nothing came between: no column, no status
    assert (event["changeType"], event["approval"]["approvedTotalCents"]) == ("approval", 18_150)
    assert (signed["column"], signed["needsApproval"]) == ("Onder handen", False)
    approvals = shop.admin.get(f"/api/workorders/{work_order['id']}/approvals").json()
    assert [a["approvedTotalCents"] for a in approvals] == [12_100, 18_150]


def test_a_telephone_approval_with_a_note(shop: Shop) -> None:
    work_order = shop.create()
    add_part(shop, work_order, 10_000)
    sign_on_ipad(shop, work_order["id"])
    add_part(shop, work_order, 2_000, description="Remschijven")
    body = {"method": "telefoon", "signerName": "Dhr. Bakker", "note": "Akkoord met remschijven, gebeld 10:12"}
    path = f"/api/workorders/{work_order['id']}/approvals"
    with shop.stream(query=f"?workOrderId={work_order['id']}&changeType=approval") as stream:
        stream.next()
        approval = expect(shop.admin.post(path, json=body), 201).json()
        event = stream.next().json
    assert event["approval"] == {key: value for key, value in approval.items() if key != "snapshot"}
    assert event["note"] == body["note"] and approval["method"] == "telefoon"
    assert approval["snapshot"]["note"] == body["note"] and approval["snapshotSha256"] == contract_sha256(
        approval["snapshot"]
    )
    assert order(shop, work_order["id"])["needsApproval"] is False
    summary = shop.admin.get(f"/api/workorders/{work_order['id']}/events").json()[-1]["summary"]
    assert summary == (
        "test-admin noteerde telefonische toestemming van Dhr. Bakker voor €\xa0145,20: Akkoord met remschijven, "
        "gebeld 10:12"
    )


def test_nothing_to_approve_is_refused_and_silent(shop: Shop) -> None:
    work_order = shop.create()
    add_part(shop, work_order, 10_000)
    sign_on_ipad(shop, work_order["id"])
    add_part(shop, work_order, 500)  # +5 %: still covered
    path = f"/api/workorders/{work_order['id']}/approvals"
    signature = {"workOrderId": work_order["id"], "signerName": "K", "signature": data_url(png())}
    before = order(shop, work_order["id"])

    def refused() -> None:
        expect(shop.admin.post("/api/display/signature", json=signature), 409)
        expect(shop.admin.put("/api/display/current", json={"workOrderId": work_order["id"]}), 409)
        expect(shop.admin.post(path, json={"method": "telefoon", "signerName": "K", "note": "ja"}), 409)
        expect(shop.admin.post(path, json={"method": "ipad", "signerName": "K", "note": "ja"}), 422)
        expect(shop.admin.post(path, json={"method": "telefoon", "signerName": " ", "note": "ja"}), 422)

    assert_no_event_between(shop, refused)
    assert order(shop, work_order["id"]) == before
    assert len(shop.admin.get(path).json()) == 1


def test_roles(shop: Shop) -> None:
    work_order = shop.create()
    path = f"/api/workorders/{work_order['id']}/approvals"
    body = {"method": "telefoon", "signerName": "K", "note": "ja"}

    def refused() -> None:
        for role in ("monteur", "magazijn", "display"):
            expect(shop.clients[role].post(path, json=body), 403)
        expect(shop.clients["display"].get(path), 403)

    assert_no_event_between(shop, refused)
