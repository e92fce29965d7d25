"""Parts fan-out: the time receiving one part through the API takes to reach EVERY open `/magazijn` (parts
desk) and `/admin/workoverzicht` (board) page, and the server CPU per change.

The bench starts its own server (fresh temporary SQLite database, free port), an admin account and API token,
and makes warm-up + measured work orders, each with one part (`Remblokken`), ordered (`besteld`) through the
API. It logs in once as the admin with Debian's Chromium (Playwright, async API) and opens half the pages on
the desk and half on the board, all in that one context, until each shows every part as ordered.

Then, one change at a time, a part is PATCHed to `ontvangen`. Before each change every page arms a
MutationObserver (as bench/board_clients.py does) that stamps `performance.timeOrigin + performance.now()`
the first time the change shows: on the desk the row `[data-part-id="ID"]` is gone, on the board the card's
`data-parts` is "1/1". A sample is that browser stamp minus Python's `time.time()` just before the PATCH.
Server CPU per change is the server process's utime + stime over the measured changes / their number.

Run from the project root:

    .venv/bin/python -m bench.parts_desk --pages 50 --changes 20
    .venv/bin/python -m bench.parts_desk --quick     # 2 + 2 pages, 3 changes (CI smoke)
"""

from __future__ import annotations

import argparse
import asyncio
import math
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from playwright.async_api import BrowserContext, Page, async_playwright

from bench import board_clients
from bench.board_clients import BOARD_PATH, RENDERER_LIMIT, Shop, check_clocks
from bench.common import (
    bench_server,
    check_running,
    cpu_seconds,
    exit_code,
    launch_chromium_async,
    parse_args,
    percentile,
)
from models import Role
from pages.theme import HOME_BY_ROLE
from tests.server import Server, run_cli

DESK_PATH = "/magazijn"
KINDS = ("magazijn", "board")

# One observer per page; window.__wpArrival resolves with the browser's wall clock (ms since the epoch) when
# the received part shows, with "present" if it already did before the PATCH, or null after the timeout.
ARM_JS = """([kind, orderId, partId, timeoutMs]) => {
  const shown = kind === "magazijn"
    ? () => !document.querySelector(`[data-part-id="${partId}"]`)
    : () => document.querySelector(`[data-column] [data-workorder-id="${orderId}"]`)
              ?.getAttribute("data-parts") === "1/1";
  window.__wpArrival = new Promise((resolve) => {
    if (shown()) { resolve("present"); return; }
    let timer = 0;
    const observer = new MutationObserver(() => {
      const stamp = performance.timeOrigin + performance.now();  // first: the query is not latency
      if (shown()) { observer.disconnect(); clearTimeout(timer); resolve(stamp); }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    timer = setTimeout(() => { observer.disconnect(); resolve(null); }, timeoutMs);
  });
  return true;
}"""


@dataclass
class Result:
    pages: dict[str, int]  # kind -> open pages
    changes: int
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    missed_changes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    missed_any: int = 0  # changes that missed at least one page of either kind
    already_present: int = 0
    server_cpu_seconds: float = 0.0
    clock_inside: int = 0
    clock_worst_ms: float = 0.0
    page_errors: list[str] = field(default_factory=list)


@dataclass
class Order:
    work_order_id: int
    part_id: int


def make_admin(server: Server) -> Shop:
    """An admin account for the pages and an admin token for the changes, made before the server starts."""
    user, password = "bench-admin", secrets.token_urlsafe(12)
    made = run_cli(server.database_url, "create-user", user, "--role", "admin", f"--password={password}")
    if made.returncode != 0:
        raise RuntimeError(f"main.py create-user failed ({made.returncode}):\n{made.stderr[-2000:]}")
    return Shop(server, server.token("admin", "bench"), user, password)


async def make_orders(http: httpx.AsyncClient, count: int) -> list[Order]:
    """`count` work orders, each with one part, ordered (`besteld`)."""
    orders = []
    for number in range(count):
        created = await http.post(
            "/api/workorders",
            json={"customerName": f"Bench {number}", "licensePlate": "AB123C", "description": "parts desk"},
        )
        created.raise_for_status()
        work_order_id = int(created.json()["id"])
        part = await http.post(
            f"/api/workorders/{work_order_id}/parts", json={"description": "Remblokken", "quantity": 1}
        )
        part.raise_for_status()
        part_id = int(part.json()["id"])
        ordered = await http.patch(f"/api/workorders/{work_order_id}/parts/{part_id}", json={"status": "besteld"})
        ordered.raise_for_status()
        orders.append(Order(work_order_id, part_id))
    return orders


def ready_selector(kind: str, last: Order) -> str:
    """On a page that shows this, every part is there as ordered (the last order made is the last shown)."""
    if kind == "magazijn":
        return f'[data-part-id="{last.part_id}"][data-part-status="besteld"]'
    return f'[data-column] [data-workorder-id="{last.work_order_id}"][data-parts="0/1"]'


async def log_in(context: BrowserContext, shop: Shop) -> None:
    """Log in once: the context keeps the session cookie."""
    page = await context.new_page()
    try:
        await page.goto(f"{shop.url}/login")
        await page.get_by_label("Gebruikersnaam").fill(shop.user)
        await page.get_by_label("Wachtwoord").fill(shop.password)
        await page.get_by_role("button", name="Inloggen").click()
        await page.wait_for_url(f"{shop.url}{HOME_BY_ROLE[Role.ADMIN]}")
    finally:
        await page.close()


async def open_page(context: BrowserContext, url: str, selector: str, gate: asyncio.Semaphore) -> Page:
    async with gate:
        page = await context.new_page()
        await page.goto(url)
        if page.url != url:
            raise RuntimeError(f"{url} redirected to {page.url}")
        await page.wait_for_selector(selector, state="attached", timeout=60_000)
        return page


async def run_changes(
    pages: dict[str, list[Page]],
    http: httpx.AsyncClient,
    orders: Sequence[Order],
    result: Result,
    warmup: int,
    timeout: float,
    server_pid: int,
) -> None:
    every = [(kind, page) for kind in KINDS for page in pages[kind]]
    for number, order in enumerate(orders):
        if number == warmup:
            result.server_cpu_seconds = -cpu_seconds(server_pid)
        arm = [order.work_order_id, order.part_id, int(timeout * 1000)]
        await asyncio.gather(*(page.evaluate(ARM_JS, [kind, *arm]) for kind, page in every))
        start = time.time()
        response = await http.patch(
            f"/api/workorders/{order.work_order_id}/parts/{order.part_id}", json={"status": "ontvangen"}
        )
        response.raise_for_status()
        arrivals = await asyncio.wait_for(
            asyncio.gather(*(page.evaluate("() => window.__wpArrival") for _, page in every)), timeout + 15
        )
        if number < warmup:
            continue
        reached = dict.fromkeys(KINDS, 0)
        for (kind, _), arrival in zip(every, arrivals, strict=True):
            if arrival == "present":
                result.already_present += 1
            elif isinstance(arrival, int | float):
                result.latencies_ms[kind].append(float(arrival) - start * 1000)
                reached[kind] += 1
        for kind in KINDS:
            result.missed_changes[kind] += reached[kind] < len(pages[kind])
        result.missed_any += any(reached[kind] < len(pages[kind]) for kind in KINDS)
    result.server_cpu_seconds += cpu_seconds(server_pid)


async def run_bench(shop: Shop, page_count: int, changes: int, warmup: int, timeout: float) -> Result:
    counts = {"magazijn": page_count - page_count // 2, "board": page_count // 2}
    result = Result(counts, changes)
    paths = {"magazijn": DESK_PATH, "board": BOARD_PATH}
    headers = {"Authorization": f"Bearer {shop.token}"}
    async with (
        httpx.AsyncClient(base_url=shop.url, headers=headers, timeout=timeout + 50) as http,
        async_playwright() as driver,
    ):
        orders = await make_orders(http, warmup + changes)
        browser = await launch_chromium_async(driver, RENDERER_LIMIT)
        try:
            context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
            await log_in(context, shop)
            context.on("weberror", lambda error: result.page_errors.append(str(error.error)))
            gate = asyncio.Semaphore(4)
            opened = await asyncio.gather(
                *(
                    open_page(context, shop.url + paths[kind], ready_selector(kind, orders[-1]), gate)
                    for kind in KINDS
                    for _ in range(counts[kind])
                )
            )
            pages = {"magazijn": opened[: counts["magazijn"]], "board": opened[counts["magazijn"] :]}
            await asyncio.sleep(2)  # let the last pages' websocket handshakes settle
            clocks = board_clients.Result(len(opened), 0)
            await check_clocks(opened, clocks)
            result.clock_inside, result.clock_worst_ms = clocks.clock_inside, clocks.clock_worst_ms
            await run_changes(pages, http, orders, result, warmup, timeout, shop.server.running.pid)
        finally:
            await browser.close()
    return result


def report(result: Result, warmup: int) -> None:
    total = sum(result.pages.values())
    cpu_ms = result.server_cpu_seconds / result.changes * 1000
    print(
        f"Parts fan-out: {result.changes} parts received one at a time ({warmup} unmeasured warm-up first), "
        f"{result.pages['magazijn']} magazijn + {result.pages['board']} board pages\n"
    )
    print("| pages | samples | p50 | p99 | max | changes not reaching every page | server CPU per change |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    everything = [latency for kind in KINDS for latency in result.latencies_ms[kind]]
    rows = [(f"{result.pages[kind]} {kind}", result.latencies_ms[kind], result.missed_changes[kind]) for kind in KINDS]
    rows.append((f"{total} all", everything, result.missed_any))
    for name, samples, missed in rows:
        cpu = f"{cpu_ms:.0f} ms" if name.endswith("all") else ""
        print(
            f"| {name} | {len(samples)} | {percentile(samples, 50):.0f} ms | {percentile(samples, 99):.0f} ms | "
            f"{max(samples, default=math.nan):.0f} ms | {missed} | {cpu} |"
        )
    print(
        f"\nClock check: {result.clock_inside}/{total} browser reads inside Python's bracket, "
        f"worst outside by {result.clock_worst_ms:.2f} ms"
    )
    if result.already_present:
        print(f"WARNING: {result.already_present} page(s) showed a part received before the PATCH")
    if result.page_errors:
        print(f"WARNING: {len(result.page_errors)} page errors, first: {result.page_errors[0]}")


def unmeasured(result: Result) -> list[str]:
    """What the run should have measured and did not: every change on every page, without page errors."""
    reasons = []
    for kind in KINDS:
        expected = result.pages[kind] * result.changes
        if missing := expected - len(result.latencies_ms[kind]):
            reasons.append(f"{missing} of {expected} (change, {kind} page) samples missing")
    if result.already_present:
        reasons.append(f"{result.already_present} pages showed a change before it was made")
    if result.page_errors:
        reasons.append(f"page errors: {result.page_errors[0]}")
    return reasons


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=50, help="open pages, half magazijn, half board (default 50)")
    parser.add_argument("--changes", type=int, default=20, help="measured changes (default 20)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured changes first (default 1)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a page may take to show a change")
    args = parse_args(parser, argv, pages=4, changes=3, warmup=1)
    if args.pages < 2 or args.changes < 1 or args.warmup < 0:
        parser.error("--pages must be at least 2, --changes at least 1, --warmup at least 0")

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="werkplaats-parts-") as tmp:
        server = bench_server(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp) / "server.log")
        shop = make_admin(server)
        with server:
            try:
                result = asyncio.run(run_bench(shop, args.pages, args.changes, args.warmup, args.timeout))
            except BaseException:
                print(f"server log (tail):\n{server.log_text()[-3000:]}", file=sys.stderr)
                raise
            check_running(server)
    report(result, args.warmup)
    print(f"\n# total runtime {time.monotonic() - started:.1f} s", file=sys.stderr)
    return exit_code(args.quick, unmeasured(result))


if __name__ == "__main__":
    sys.exit(main())
