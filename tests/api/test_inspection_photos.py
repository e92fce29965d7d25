"""The photo pipeline over real HTTP: whatever a phone sends (JPEG with GPS, a rotated one, an iPhone's HEIC, a
PNG called .heic), what is stored is an upright JPEG of at most 1600 px with no EXIF; not-an-image is 415 and over
15 MB is 413 (read as a stream: the server never holds the 40 MB); photos are served to staff and to that order's
own status page only."""

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pillow_heif
from PIL import Image

from tests.api.billing import expect
from tests.api.inspection import item_of, start
from tests.conftest import Shop, assert_no_event_between

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg(width: int, height: int, exif: Image.Exif | None = None, halves: bool = False) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    if halves:  # left red, right blue: shows which way it was turned
        image.paste((30, 30, 200), (width // 2, 0, width, height))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes() if exif is not None else b"")
    return out.getvalue()


def with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 7.0, 12.0)})
    return exif


def upload(shop: Shop, path: str, data: bytes, name: str = "foto.jpg", kind: str = "image/jpeg"):  # type: ignore[no-untyped-def]
    return shop.clients["monteur"].post(path, files={"file": (name, data, kind)})


def photos_path(shop: Shop) -> tuple[dict, str]:
    work_order = shop.create()
    inspection = start(shop, work_order)
    item = item_of(inspection, "Remmen voor")
    return work_order, f"/api/inspections/{inspection['id']}/items/{item['id']}/photos"


def rgb(image: Image.Image, x: int, y: int) -> tuple[int, int, int]:
    red, green, blue = image.convert("RGB").getpixel((x, y))  # type: ignore[misc]
    return red, green, blue


def stored(shop: Shop, url: str) -> tuple[Image.Image, bytes]:
    response = expect(shop.clients["magazijn"].get(url), 200)
    assert response.headers["content-type"] == "image/jpeg"
    return Image.open(io.BytesIO(response.content)), response.content


def test_a_jpeg_with_gps_comes_out_without_any_exif(shop: Shop) -> None:
    work_order, path = photos_path(shop)
    original = jpeg(4000, 3000, with_gps())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test's photo does carry GPS
    with shop.stream(query=f"?workOrderId={work_order['id']}") as stream:
        stream.next()
        photo = expect(upload(shop, path, original), 201).json()
        event = stream.next().json
    assert photo["url"] == f"/api/photos/{photo['id']}"
    assert event["changeType"] == "inspection" and event["action"] == "photo"
    assert event["item"]["photos"] == [photo]
    image, raw = stored(shop, photo["url"])
    assert image.format == "JPEG" and image.size == (1600, 1200)
    assert not image.getexif() and b"Exif" not in raw and b"Apple" not in raw
    assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive", "progression"}
    thumbnail, _ = stored(shop, f"{photo['url']}?size=klein")
    assert max(thumbnail.size) == 320


def test_a_rotated_photo_comes_out_upright(shop: Shop) -> None:
    _, path = photos_path(shop)
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # the camera was held turned: show it turned 90° clockwise
    photo = expect(upload(shop, path, jpeg(800, 400, exif, halves=True)), 201).json()
    image, _ = stored(shop, photo["url"])
    assert image.size == (400, 800)
    top, bottom = rgb(image, 200, 100), rgb(image, 200, 700)
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # the left (red) half is on top now


def test_an_iphone_heic_converts_and_names_are_never_trusted(shop: Shop) -> None:
    _, path = photos_path(shop)
    heic = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (2000, 1500), (10, 120, 10))).save(heic, quality=80)
    assert heic.getvalue()[4:12] == b"ftypheic"
    photo = expect(upload(shop, path, heic.getvalue(), "IMG_0001.jpg", "image/jpeg"), 201).json()
    image, _ = stored(shop, photo["url"])
    assert image.format == "JPEG" and image.size == (1600, 1200) and rgb(image, 800, 600)[1] > 100
    png = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 0, 255)).save(png, "PNG")
    expect(upload(shop, path, png.getvalue(), "foto.heic", "image/heic"), 201)


def test_not_an_image_is_415_and_nothing_is_stored(shop: Shop) -> None:
    work_order, path = photos_path(shop)

    def refused() -> None:
        for data in (b"%PDF-1.7 not a photo at all", b"\xff\xd8\xff" + b"broken" * 100, b"GIF89a" + b"\x00" * 50):
            response = upload(shop, path, data, "foto.jpg")
            assert response.status_code == 415, response.text
            assert "foto" in response.json()["detail"].lower()
        expect(shop.clients["monteur"].post(path, content=b"raw", headers={"content-type": "image/jpeg"}), 422)
        expect(shop.clients["monteur"].post(path, files={"other": ("a.jpg", jpeg(10, 10), "image/jpeg")}), 422)
        expect(shop.clients["magazijn"].post(path, files={"file": ("a.jpg", jpeg(10, 10), "image/jpeg")}), 403)

    assert_no_event_between(shop, refused)
    assert all(item["photos"] == [] for item in shop.admin.get(f"/api/workorders/{work_order['id']}").json()
               ["inspection"]["items"])  # fmt: skip


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_40_mb_upload_is_refused_without_holding_it(shop: Shop) -> None:
    _, path = photos_path(shop)
    pid = shop.server.running.pid
    boundary = "grens"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="groot.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n").encode() + b"\xff\xd8\xff"  # fmt: skip
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    before = _rss_kib(pid)

    def chunked() -> Iterator[bytes]:  # no Content-Length: only reading it tells how big it is
        yield head
        block = b"\x00" * (1024 * 1024)
        for _ in range(40):
            yield block

    refused = shop.clients["monteur"].post(path, content=chunked(), headers=headers)
    assert refused.status_code == 413 and "15 MB" in refused.json()["detail"]
    declared = shop.clients["monteur"].post(path, content=head + b"\x00" * (40 * 1024 * 1024), headers=headers)
    assert declared.status_code == 413
    grown = _rss_kib(pid) - before
    assert grown < 40 * 1024, f"the server grew by {grown} KiB"


def test_photos_are_served_to_staff_and_to_that_orders_own_page_only(shop: Shop) -> None:
    work_order, path = photos_path(shop)
    photo = expect(upload(shop, path, jpeg(300, 200)), 201).json()
    other = shop.create()
    own = httpx.get(f"{shop.server.url}{work_order['statusUrl']}/photos/{photo['id']}")
    assert own.status_code == 200 and own.headers["content-type"] == "image/jpeg"
    assert own.headers["cache-control"] == "no-store" and own.headers["x-robots-tag"] == "noindex"
    assert httpx.get(f"{shop.server.url}{work_order['statusUrl']}/photos/{photo['id']}?size=klein").status_code == 200
    for address in (f"{other['statusUrl']}/photos/{photo['id']}", f"{work_order['statusUrl']}/photos/999999",
                    f"/status/{'x' * 32}/photos/{photo['id']}"):  # fmt: skip
        assert httpx.get(f"{shop.server.url}{address}").status_code == 404
    assert httpx.get(f"{shop.server.url}{photo['url']}").status_code == 401
    expect(shop.admin.get("/api/photos/999999"), 404)
