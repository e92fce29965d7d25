"""Parts fan-out: the time receiving one part through the API takes to reach EVERY open `/magazijn` (parts
desk) and `/admin/workoverzicht` (board) page, and the server CPU per change.

The bench starts its own server (fresh temporary SQLite database, free port), an admin account and API token,
and makes warm-up + measured work orders, each with one part (`Remblokken`), ordered (`besteld`) through the
API. It logs in once as the admin with Debian's Chromium (Playwright, async API) and opens half the pages on
the desk and half on the board, all in that one context, until each shows every part as ordered.

Then, one change at a time, a part is PATCHed to `ontvangen`. Before each change every page arms a
MutationObserver (bench/fanout.py, shared with bench/board_clients.py) that stamps
`performance.timeOrigin + performance.now()` the first time the change shows: on the desk the row
`[data-part-id="ID"]` is gone, on the board the card's `data-parts` is "1/1". A sample is that browser stamp
minus Python's `time.time()` just before the PATCH.
Server CPU per change is the server process's utime + stime over the measured changes / their number.

Run from the project root:

    .venv/bin/python -m bench.parts_desk --pages 50 --changes 20
    .venv/bin/python -m bench.parts_desk --quick     # 2 + 2 pages, 3 changes (CI smoke)
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx
from playwright.async_api import Page, async_playwright

from bench.board_clients import BOARD_PATH
from bench.common import (
    cpu_seconds,
    exit_code,
    launch_chromium_async,
    parse_args,
    percentile,
)
from bench.fanout import (
    RENDERER_LIMIT,
    Shop,
    add_change_arguments,
    check_clocks,
    log_in,
    measure_change,
    open_page,
    run_on_shop,
)
from models import Role
from pages.theme import HOME_BY_ROLE

DESK_PATH = "/magazijn"
KINDS = ("magazijn", "board")

# A page shows a received part once the desk's row is gone, or the board card counts it in.
SHOWN_JS = """([kind, orderId, partId]) => kind === "magazijn"
  ? !document.querySelector(`[data-part-id="${partId}"]`)
  : document.querySelector(`[data-column] [data-workorder-id="${orderId}"]`)?.getAttribute("data-parts") === '1/1'"""


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

        async def receive(order: Order = order) -> None:
            path = f"/api/workorders/{order.work_order_id}/parts/{order.part_id}"
            (await http.patch(path, json={"status": "ontvangen"})).raise_for_status()

        armed = [(page, [kind, order.work_order_id, order.part_id]) for kind, page in every]
        start, arrivals = await measure_change(armed, SHOWN_JS, receive, timeout)
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
            await log_in(context, shop, HOME_BY_ROLE[Role.ADMIN])
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
            result.clock_inside, result.clock_worst_ms = await check_clocks(opened)
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
    add_change_arguments(parser, warmup=1)
    args = parse_args(parser, argv, pages=4, changes=3, warmup=1)
    if args.pages < 2 or args.changes < 1 or args.warmup < 0:
        parser.error("--pages must be at least 2, --changes at least 1, --warmup at least 0")

    result = run_on_shop("admin", lambda shop: run_bench(shop, args.pages, args.changes, args.warmup, args.timeout))
    report(result, args.warmup)
    return exit_code(args.quick, unmeasured(result))


if __name__ == "__main__":
    sys.exit(main())
