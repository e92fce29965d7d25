"""The digital inspection's two speeds: a 12-megapixel photo uploaded and made safe (target: p99 under 400 ms), and
the customer's status page with an inspection of 30 photos opening on a phone (target: under 1.5 s).

Starts its own server (fresh SQLite database, free port, RDW off). The photo is made here with Pillow: 4000 × 3000,
a gradient with camera-like noise, saved as a phone saves it (JPEG quality 90, about 4.6 MB) with an EXIF
orientation and a GPS position the server must remove. Then:

- upload: `--uploads` POSTs of that photo, one at a time, to an item's photo endpoint over loopback (after one
  unmeasured warm-up): the request's time as the client sees it (it is nearly all server time on loopback:
  streaming the upload in, decode at reduced size, turn, scale to 1600 px, encode twice, one write) and the
  server process's CPU per upload (/proc);
- status page: an inspection with `--photos` photos (1600 × 1200 each, three per red item) sent to the customer,
  then the status page opened `--opens` times in fresh phone contexts (390 × 844, headless Chromium, after one
  warm-up): navigation start until the load event (thumbnails are `loading=lazy`, so only those in view count),
  and how many of the thumbnails had loaded by then.

Run from the project root:

    .venv/bin/python -m bench.inspection            # 20 uploads, 30 photos, 10 opens
    .venv/bin/python -m bench.inspection --quick    # 2 uploads, 3 photos, 1 open (CI smoke)
"""

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from PIL import Image
from playwright.sync_api import sync_playwright

from bench.common import cpu_seconds, exit_code, launch_chromium, parse_args, percentile
from tests.pages.conftest import PHONE
from tests.server import Server

UPLOAD_TARGET_MS = 400.0
PAGE_TARGET_MS = 1500.0
PHOTOS_PER_ITEM = 3
TIMINGS_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const thumbs = [...document.querySelectorAll('#inspection img')];
  return {load: nav.loadEventEnd, thumbs: thumbs.length, loaded: thumbs.filter((img) => img.complete
          && img.naturalWidth > 0).length};
}"""


def phone_photo(width: int, height: int, quality: int) -> bytes:
    """A photo as a phone delivers it: detail everywhere (noise over a gradient), EXIF orientation and GPS."""
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 16)
    image = Image.merge("RGB", (gradient, noise, Image.blend(gradient, noise, 0.5)))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the server turns it upright
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 7.0, 12.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def post_photo(client: httpx.Client, inspection: dict, item: dict, photo: bytes) -> float:
    """One upload; its time in ms."""
    path = f"/api/inspections/{inspection['id']}/items/{item['id']}/photos"
    started = time.perf_counter()
    response = client.post(path, files={"file": ("IMG_0001.JPG", photo, "image/jpeg")})
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed


def inspected_order(admin: httpx.Client, plate: str) -> tuple[dict, dict]:
    order = admin.post("/api/workorders", json={"customerName": "Bench Klant", "licensePlate": plate,
                                                "description": "Keuring"}).json()  # fmt: skip
    inspection = admin.post(f"/api/workorders/{order['id']}/inspection", json={}).json()
    return order, inspection


def measure_uploads(server: Server, admin: httpx.Client, uploads: int) -> tuple[list[float], float, int]:
    """(ms per upload, server CPU ms per upload, the photo's size in bytes)."""
    photo = phone_photo(4000, 3000, 90)
    _, inspection = inspected_order(admin, "BE-101-K")
    item = inspection["items"][4]
    post_photo(admin, inspection, item, photo)  # warm-up: imports, first decode
    cpu_before = cpu_seconds(server.running.pid)
    times = [post_photo(admin, inspection, item, photo) for _ in range(uploads)]
    cpu_ms = (cpu_seconds(server.running.pid) - cpu_before) * 1000 / uploads
    return times, cpu_ms, len(photo)


def status_page_with_photos(admin: httpx.Client, photos: int) -> str:
    """A sent inspection: its first items green, then red items with three photos and a price each."""
    order, inspection = inspected_order(admin, "BE-102-K")
    photo = phone_photo(1600, 1200, 85)
    items = inspection["items"]
    red = -(-photos // PHOTOS_PER_ITEM)
    for index, item in enumerate(items):
        path = f"/api/inspections/{inspection['id']}/items/{item['id']}"
        if index < red:
            body = {"grade": "rood", "note": "Versleten, 2 mm",
                    "recommendation": {"description": f"Vervangen ({item['label']})", "priceCents": 12900}}  # fmt: skip
            admin.patch(path, json=body).raise_for_status()
            for _ in range(min(PHOTOS_PER_ITEM, photos - index * PHOTOS_PER_ITEM)):
                post_photo(admin, inspection, item, photo)
        else:
            admin.patch(path, json={"grade": "groen"}).raise_for_status()
    admin.post(f"/api/inspections/{inspection['id']}/send").raise_for_status()
    return f"{order['statusUrl']}"


def measure_page(url: str, opens: int) -> tuple[list[float], list[tuple[int, int]]]:
    """(ms from navigation start to the load event, (thumbnails loaded by then, thumbnails)) per open."""
    times, loaded = [], []
    with sync_playwright() as driver:
        browser = launch_chromium(driver)
        try:
            for index in range(1 + opens):
                context = browser.new_context(**PHONE)
                page = context.new_page()
                page.goto(url, wait_until="load")
                timings = page.evaluate(TIMINGS_JS)
                context.close()
                if index:  # the first open warms the server's templates and the browser
                    times.append(float(timings["load"]))
                    loaded.append((int(timings["loaded"]), int(timings["thumbs"])))
        finally:
            browser.close()
    return times, loaded


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--uploads", type=int, default=20, help="measured 12-megapixel uploads (default 20)")
    parser.add_argument("--photos", type=int, default=30, help="photos on the status page (default 30)")
    parser.add_argument("--opens", type=int, default=10, help="measured status page opens (default 10)")
    args = parse_args(parser, argv, uploads=2, photos=3, opens=1)
    with tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as workdir:
        server = Server(f"sqlite:///{Path(workdir) / 'werkplaats.db'}")
        token = server.token("admin")
        with server, server.client(token) as admin:
            admin.timeout = httpx.Timeout(60)
            upload_ms, cpu_ms, size = measure_uploads(server, admin, args.uploads)
            url = status_page_with_photos(admin, args.photos)
            page_ms, loaded = measure_page(f"{server.url}{url}", args.opens)
    print(f"\nInspection bench (load average {load_average()})\n")
    print("| measured | samples | p50 | p99 | max | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| upload of a 12-megapixel photo ({size / 1e6:.1f} MB), request over loopback | {len(upload_ms)} | "
          f"{percentile(upload_ms, 50):.0f} ms | {percentile(upload_ms, 99):.0f} ms | {max(upload_ms):.0f} ms | "
          f"< {UPLOAD_TARGET_MS:.0f} ms |")  # fmt: skip
    print(f"| status page with {args.photos} photos, navigation start to load (phone) | {len(page_ms)} | "
          f"{percentile(page_ms, 50):.0f} ms | {percentile(page_ms, 99):.0f} ms | {max(page_ms):.0f} ms | "
          f"< {PAGE_TARGET_MS:.0f} ms |")  # fmt: skip
    print(f"\nserver CPU per upload: {cpu_ms:.0f} ms; thumbnails loaded at the load event (loaded/all): "
          f"{sorted(set(loaded))}")  # fmt: skip
    unmeasured = []
    if len(upload_ms) != args.uploads or len(page_ms) != args.opens:
        unmeasured.append(f"{len(upload_ms)} of {args.uploads} uploads, {len(page_ms)} of {args.opens} opens")
    if any(all_ != args.photos for _, all_ in loaded):
        unmeasured.append(f"the status page showed {sorted(set(loaded))} thumbnails, wanted {args.photos}")
    return exit_code(args.quick, unmeasured)


if __name__ == "__main__":
    sys.exit(main())
