"""The counter iPad: current order, signature (PNG data URL) and its errors."""

import base64
import struct
import zlib

import pytest

from tests.api.test_workorders import _expect
from tests.conftest import Shop, assert_no_event_between


def png(width: int = 4, height: int = 2, padding: int = 0) -> bytes:
    """A real, tiny PNG (optionally padded with a large private chunk)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    extra = chunk(b"prVt", b"\x00" * padding) if padding else b""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def data_url(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode()


def send_to_display(shop: Shop, order_id: int) -> None:
    _expect(shop.admin.put("/api/display/current", json={"workOrderId": order_id}), 200)


def test_desk_sends_an_order_to_the_ipad(shop: Shop) -> None:
    order = shop.create()
    response = _expect(shop.admin.put("/api/display/current", json={"workOrderId": order["id"]}), 200)
    assert response.json()["id"] == order["id"]
    assert shop.clients["display"].get("/api/display/current").json()["id"] == order["id"]
    _expect(shop.admin.put("/api/display/current", json={"workOrderId": None}), 200)
    assert shop.clients["display"].get("/api/display/current").json() is None


def test_only_admin_sets_the_display(shop: Shop) -> None:
    order = shop.create()
    for role in ("monteur", "magazijn", "display"):
        _expect(shop.clients[role].put("/api/display/current", json={"workOrderId": order["id"]}), 403)
    _expect(shop.admin.put("/api/display/current", json={"workOrderId": 999999}), 404)
    _expect(shop.admin.put("/api/display/current", json={}), 422)


def test_signature_approves_and_moves_to_auto_binnen(shop: Shop) -> None:
    order = shop.create()
    send_to_display(shop, order["id"])
    body = {"workOrderId": order["id"], "signerName": "Mevr. de Vries", "signature": data_url(png())}
    with shop.stream(query=f"?workOrderId={order['id']}") as stream:
        stream.next()
        signed = _expect(shop.clients["display"].post("/api/display/signature", json=body), 201).json()
        approval, column, status = stream.next().json, stream.next().json, stream.next().json
    assert (signed["column"], signed["status"]) == ("Auto binnen", "GOEDGEKEURD")
    assert signed["signedAt"] is not None
    assert (approval["changeType"], approval["approval"]["method"]) == ("approval", "ipad")
    assert approval["approval"]["signerName"] == "Mevr. de Vries"
    on_the_stream = {key: value for key, value in signed["approval"].items() if key != "snapshot"}  # event schema 2
    assert approval["approval"] == on_the_stream and "snapshot" in signed["approval"]
    assert signed["needsApproval"] is False
    assert (column["changeType"], column["column"]) == ("column", "Auto binnen")
    assert (status["changeType"], status["status"]) == ("status", "GOEDGEKEURD")
    assert shop.clients["display"].get("/api/display/current").json() is None  # back to waiting

    send_again = shop.admin.put("/api/display/current", json={"workOrderId": order["id"]})
    assert send_again.status_code == 409
    assert_no_event_between(shop, lambda: _expect(shop.admin.post("/api/display/signature", json=body), 409))


def test_display_signs_only_its_current_order(shop: Shop) -> None:
    waiting, other = shop.create(), shop.create()
    send_to_display(shop, waiting["id"])
    body = {"workOrderId": other["id"], "signerName": "K", "signature": data_url(png())}
    assert_no_event_between(
        shop, lambda: _expect(shop.clients["display"].post("/api/display/signature", json=body), 403)
    )
    _expect(shop.clients["monteur"].post("/api/display/signature", json=body), 403)


@pytest.mark.parametrize(
    ("signature", "name", "status"),
    [
        ("data:image/jpeg;base64,/9j/4AAQ", "K", 422),
        ("data:image/png;base64,not-base64!!", "K", 422),
        (data_url(b"GIF89a" + b"\x00" * 40), "K", 422),
        (data_url(png()), "", 422),
        (data_url(png(padding=1024 * 1024)), "K", 413),
    ],
)
def test_bad_signatures_are_refused(shop: Shop, signature: str, name: str, status: int) -> None:
    order = shop.create()
    send_to_display(shop, order["id"])
    body = {"workOrderId": order["id"], "signerName": name, "signature": signature}
    assert_no_event_between(
        shop, lambda: _expect(shop.clients["display"].post("/api/display/signature", json=body), status)
    )
    after = shop.admin.get(f"/api/workorders/{order['id']}").json()
    assert (after["signedAt"], after["column"]) == (None, "Gepland")


def test_signature_for_unknown_order_is_404(shop: Shop) -> None:
    body = {"workOrderId": 999999, "signerName": "K", "signature": data_url(png())}
    _expect(shop.admin.post("/api/display/signature", json=body), 404)


def test_signing_a_signed_order_again_is_409_whatever_the_ipad_shows(shop: Shop) -> None:
    order, next_order = shop.create(), shop.create()
    send_to_display(shop, order["id"])
    body = {"workOrderId": order["id"], "signerName": "K", "signature": data_url(png())}
    ipad = shop.clients["display"]
    _expect(ipad.post("/api/display/signature", json=body), 201)
    assert_no_event_between(shop, lambda: _expect(ipad.post("/api/display/signature", json=body), 409))  # waiting
    send_to_display(shop, next_order["id"])
    assert_no_event_between(shop, lambda: _expect(ipad.post("/api/display/signature", json=body), 409))  # another
    assert ipad.get("/api/display/current").json()["id"] == next_order["id"]
