"""How fast the work order page opens with a long history: the target is 200 events on screen within 500 ms.

Starts its own server (fresh SQLite database, free port, RDW off), makes one work order with `--events` events
(the `created` event, then alternating column moves through the API, each a `column` and a `status` event, and a
mileage change when one more is needed), and a second order with only its `created` event: the floor, what any
page of the app costs. It logs in once with headless Chromium and opens the two pages in turn, `--opens` times
each, every time in a fresh tab, after two unmeasured warm-up rounds. Per open:

- browser: navigation start until the last history entry (`[data-event-id]`, the oldest) is in the DOM with a
  layout box, stamped in the page by a MutationObserver installed before any of the page's own scripts;
- html: navigation start until the server's HTML has arrived (`responseEnd`; the server builds the page then);
- wall: Python's clock from just before `page.goto` until Playwright sees that entry visible.

Run from the project root:

    .venv/bin/python -m bench.work_order_page            # 200 events, 20 opens
    .venv/bin/python -m bench.work_order_page --quick    # 20 events, 2 opens (CI smoke)
"""

import argparse
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from bench.common import MOVES, exit_code, launch_chromium, parse_args, percentile, require_chromium
from tests.pages.conftest import log_in
from tests.server import Server, run_cli

TARGET_MS = 500.0
WARMUP_OPENS = 2

# Stamps performance.now() (ms since navigation start) when the page holds `window.__wpExpected` history entries
# (set per tab) and the last of them has a layout box, i.e. the whole history is drawn.
STAMP_JS = """
(() => {
  const check = () => {
    if (window.__wpAllShown !== undefined || !window.__wpExpected) return;
    const items = document.querySelectorAll('[data-event-id]');
    if (items.length >= window.__wpExpected && items[items.length - 1].getClientRects().length > 0) {
      window.__wpAllShown = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true});
})();
"""
TIMINGS_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {shown: window.__wpAllShown ?? null, html: nav ? nav.responseEnd : null};
}"""


@dataclass
class Opens:
    """One order's page, opened again and again."""

    order_id: int
    events: int
    browser_ms: list[float] = field(default_factory=list)
    html_ms: list[float] = field(default_factory=list)
    wall_ms: list[float] = field(default_factory=list)
    entries: set[int] = field(default_factory=set)


def make_history(admin: httpx.Client, events: int, plate: str) -> int:
    """One work order with exactly `events` events in its history; returns its id."""
    created = admin.post(
        "/api/workorders", json={"customerName": "Bench Klant", "licensePlate": plate, "description": "Bench"}
    )
    created.raise_for_status()
    order_id = int(created.json()["id"])
    moves, odd = divmod(events - 1, 2)
    for move in range(moves):
        admin.patch(f"/api/workorders/{order_id}/column", json={"column": MOVES[move % 2]}).raise_for_status()
    if odd:
        admin.patch(f"/api/workorders/{order_id}", json={"mileage": 123456}).raise_for_status()
    history = admin.get(f"/api/workorders/{order_id}/events").json()
    assert len(history) == events, f"made {len(history)} events, wanted {events}"
    return order_id


def open_once(context: BrowserContext, url: str, opens: Opens, measured: bool) -> None:
    page = context.new_page()
    page.add_init_script(f"window.__wpExpected = {opens.events};")
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator("[data-event-id]").nth(opens.events - 1).wait_for(state="visible", timeout=10_000)
    wall_ms = (time.perf_counter() - started) * 1000
    page.wait_for_function("() => window.__wpAllShown !== undefined", timeout=10_000)
    timings = page.evaluate(TIMINGS_JS)
    count = page.locator("[data-event-id]").count()
    page.close()
    if measured:
        opens.browser_ms.append(float(timings["shown"]))
        opens.html_ms.append(float(timings["html"]))
        opens.wall_ms.append(wall_ms)
        opens.entries.add(count)


def measure(browser: Browser, server: Server, password: str, pages: list[Opens], rounds: int) -> None:
    """Each round opens every page once, in turn, so a busy moment of the machine falls on all of them alike."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
    context.add_init_script(STAMP_JS)
    log_in(context.new_page(), server.url, "balie", password, f"/admin/workorders/{pages[0].order_id}")
    for index in range(WARMUP_OPENS + rounds):
        for opens in pages:
            open_once(context, f"{server.url}/admin/workorders/{opens.order_id}", opens, index >= WARMUP_OPENS)
    context.close()


def report(pages: list[Opens]) -> None:
    full = pages[0]
    print(f"\nWork order page, {len(full.wall_ms)} opens of each order (after {WARMUP_OPENS} warm-up rounds)")
    print()
    print("| history | measured from navigation start | p50 | p90 | max |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for opens in pages:
        history = f"{opens.events} event" + ("s" if opens.events != 1 else "")
        for label, values in (
            ("server's HTML received (responseEnd)", opens.html_ms),
            ("all entries shown (browser clock)", opens.browser_ms),
            ("`goto` until the last entry is visible (wall clock)", opens.wall_ms),
        ):
            p50, p90, worst = percentile(values, 50), percentile(values, 90), max(values)
            print(f"| {history} | {label} | {p50:.0f} ms | {p90:.0f} ms | {worst:.0f} ms |")
    print()
    print(f"entries on the page: {sorted(full.entries)} (expected {full.events})")
    verdict = "within" if percentile(full.browser_ms, 90) < TARGET_MS else "OVER"
    print(f"{full.events} events, p90 (browser clock): {verdict} the {TARGET_MS:.0f} ms target")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=200, help="events in the order's history (default 200)")
    parser.add_argument("--opens", type=int, default=20, help="measured page opens (default 20)")
    args = parse_args(parser, argv, events=20, opens=2)
    events, opens = args.events, args.opens
    require_chromium()
    with tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as workdir:
        server = Server(f"sqlite:///{Path(workdir) / 'werkplaats.db'}")
        password = secrets.token_urlsafe(12)
        user = run_cli(server.database_url, "create-user", "balie", "--role", "admin", f"--password={password}")
        assert user.returncode == 0, user.stderr
        token = server.token("admin")
        with server:
            with server.client(token) as admin:
                pages = [Opens(make_history(admin, events, "BE-123-N"), events)]
                pages.append(Opens(make_history(admin, 1, "BE-124-N"), 1))  # the floor: the same page, no history
            with sync_playwright() as driver:
                browser = launch_chromium(driver)
                try:
                    measure(browser, server, password, pages, opens)
                finally:
                    browser.close()
    report(pages)
    full = pages[0]
    unmeasured = []
    if len(full.browser_ms) != opens or full.entries != {events}:
        unmeasured.append(f"{len(full.browser_ms)} of {opens} opens, entries {sorted(full.entries)} of {events}")
    return exit_code(args.quick, unmeasured)


if __name__ == "__main__":
    sys.exit(main())
