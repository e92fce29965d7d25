"""Board fan-out: server memory per open `/admin/workoverzicht` page, and the time one API change takes to
reach EVERY open board page.

The bench starts its own server (fresh temporary SQLite database, free port), creates a monteur account and
an admin API token, creates one work order and logs in once with Debian's Chromium (Playwright, async API).
All pages are opened in that one logged-in browser context.

1. Memory: the server's VmRSS (/proc/PID/status) when warm with no page open (the login page and one board
   page were opened and closed first; NiceGUI keeps a closed page's client for its reconnect timeout, 30 s
   here, so the baseline is read after that), and again once all N pages show the work order card.
   Per page = (after - before) / N.
2. Fan-out latency: the work order is moved back and forth between two columns through
   `PATCH /api/workorders/{id}/column`, one change at a time. Before each change every page arms a
   MutationObserver (document.body, subtree + childList + attributes) that stamps
   `performance.timeOrigin + performance.now()` the first time
   `[data-column="TARGET"] [data-workorder-id="ID"]` exists. The latency of a (change, page) sample is that
   browser stamp minus Python's `time.time()` taken just before the PATCH starts; both are the same
   machine's wall clock (the bench checks this and prints how far the browser's clock strays).

Run from the project root:

    .venv/bin/python -m bench.board_clients --clients 50 --changes 20
    .venv/bin/python -m bench.board_clients --clients 50 --changes 20 --orders 199   # a board of 200 cards
    .venv/bin/python -m bench.board_clients --quick     # 2 pages, 3 changes, 3 s settle (CI smoke)
    .venv/bin/python -m bench.board_clients --clients 30 --changes 40 --orders 199 --profile /tmp/board.txt
    .venv/bin/python -m bench.top_stacks /tmp/board.txt   # where the server's CPU went during the changes
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from playwright.async_api import Browser, Page, async_playwright

from bench.board_scale import grow
from bench.common import (
    MOVES,
    cpu_seconds,
    exit_code,
    launch_chromium_async,
    parse_args,
    percentile,
    proc_status_kib,
    profiled,
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
from services.settings import Settings

BOARD_PATH = "/admin/workoverzicht"
RECONNECT_TIMEOUT = Settings.page_reconnect_seconds  # the bench server's: a closed page's client lives this long

# The page shows a move once the card is in the target column.
SHOWN_JS = """([column, id]) => !!document.querySelector(`[data-column="${column}"] [data-workorder-id="${id}"]`)"""


@dataclass
class Result:
    clients: int
    changes: int
    open_seconds: float = 0.0
    rss_warm_early_kib: int = 0  # a few seconds after closing the warm-up page
    rss_before_kib: int = 0  # after the reconnect timeout: no client left
    rss_after_kib: int = 0  # all pages open and rendered
    rss_end_kib: int = 0  # after the changes
    rss_peak_kib: int = 0  # VmHWM at the end
    clock_inside: int = 0  # pages whose clock read fell inside Python's before/after bracket
    clock_worst_ms: float = 0.0  # farthest a browser clock read fell outside that bracket
    latencies_ms: list[float] = field(default_factory=list)
    worst_per_change_ms: list[float] = field(default_factory=list)
    missing_per_change: list[int] = field(default_factory=list)
    first_per_change_ms: list[float] = field(default_factory=list)
    request_ms: list[float] = field(default_factory=list)
    server_cpu_seconds: float = 0.0  # user + system CPU of the server process during the measured changes
    already_present: int = 0
    page_errors: list[str] = field(default_factory=list)


def card_selector(work_order_id: int) -> str:
    return f'[data-column] [data-workorder-id="{work_order_id}"]'


async def run_changes(
    pages: Sequence[Page],
    http: httpx.AsyncClient,
    work_order_id: int,
    first_column: str,
    result: Result,
    warmup: int,
    timeout: float,
    server_pid: int,
) -> None:
    if warmup == 0:
        result.server_cpu_seconds = -cpu_seconds(server_pid)
    columns = MOVES if first_column != MOVES[0] else (MOVES[1], MOVES[0])
    move_path = f"/api/workorders/{work_order_id}/column"
    for number in range(warmup + result.changes):
        column = columns[number % 2]
        request_seconds = 0.0

        async def move(column: str = column) -> None:
            nonlocal request_seconds
            started = time.monotonic()
            response = await http.patch(move_path, json={"column": column})
            request_seconds = time.monotonic() - started
            response.raise_for_status()

        armed = [(page, [column, work_order_id]) for page in pages]
        start, arrivals = await measure_change(armed, SHOWN_JS, move, timeout)
        if number < warmup:
            if number == warmup - 1:
                result.server_cpu_seconds = -cpu_seconds(server_pid)
            continue
        result.request_ms.append(request_seconds * 1000)
        latencies = []
        for arrival in arrivals:
            if arrival == "present":
                result.already_present += 1
            elif isinstance(arrival, int | float):
                latencies.append(float(arrival) - start * 1000)
        result.latencies_ms.extend(latencies)
        result.first_per_change_ms.append(min(latencies, default=math.nan))
        result.worst_per_change_ms.append(max(latencies) if len(latencies) == len(pages) else math.inf)
        result.missing_per_change.append(len(pages) - len(latencies))
    result.server_cpu_seconds += cpu_seconds(server_pid)


async def run_bench(
    shop: Shop,
    clients: int,
    changes: int,
    warmup: int,
    timeout: float,
    settle: float,
    orders: int,
    profile: Path | None = None,
) -> Result:
    result = Result(clients, changes)
    pid = shop.server.running.pid
    headers = {"Authorization": f"Bearer {shop.token}"}
    with httpx.Client(base_url=shop.url, headers=headers, timeout=10) as filler:
        await asyncio.to_thread(grow, filler, 0, orders)  # the rest of a busy shop's board
    async with (
        httpx.AsyncClient(base_url=shop.url, headers=headers, timeout=10) as http,
        async_playwright() as driver,
    ):
        created = await http.post(
            "/api/workorders",
            json={"customerName": "Bench", "licensePlate": "AB123C", "description": f"{clients} board pages"},
        )
        created.raise_for_status()
        work_order_id, first_column = int(created.json()["id"]), str(created.json()["column"])
        card = card_selector(work_order_id)
        browser: Browser = await launch_chromium_async(driver, RENDERER_LIMIT)
        try:
            context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
            await log_in(context, shop, BOARD_PATH, card)  # the monteur's home is the board: the warm-up page
            closed = time.monotonic()
            await asyncio.sleep(3)
            result.rss_warm_early_kib = proc_status_kib(pid, "VmRSS")
            await asyncio.sleep(max(0.0, closed + settle - time.monotonic()))
            result.rss_before_kib = proc_status_kib(pid, "VmRSS")

            context.on("weberror", lambda error: result.page_errors.append(str(error.error)))
            gate = asyncio.Semaphore(4)
            started = time.monotonic()
            pages = await asyncio.gather(
                *(open_page(context, shop.url + BOARD_PATH, card, gate) for _ in range(clients))
            )
            result.open_seconds = time.monotonic() - started
            await asyncio.sleep(2)  # let the last pages' websocket handshakes settle
            result.rss_after_kib = proc_status_kib(pid, "VmRSS")

            result.clock_inside, result.clock_worst_ms = await check_clocks(pages)
            with profiled(pid, profile):
                await run_changes(pages, http, work_order_id, first_column, result, warmup, timeout, pid)
            result.rss_end_kib = proc_status_kib(pid, "VmRSS")
            result.rss_peak_kib = proc_status_kib(pid, "VmHWM")
        finally:
            await browser.close()
    return result


# --- the report -------------------------------------------------------------------------------------------


def report(result: Result, warmup: int) -> None:
    n = result.clients
    grown = result.rss_after_kib - result.rss_before_kib
    print(f"Server memory (VmRSS, KiB), {n} board pages opened in {result.open_seconds:.1f} s")
    print(f"  {'warm, 0 pages, 3 s after closing the warm-up page':<58}{result.rss_warm_early_kib:>10}")
    print(f"  {'warm, 0 pages, after the reconnect timeout (before)':<58}{result.rss_before_kib:>10}")
    print(f"  {f'{n} pages open and rendered (after)':<58}{result.rss_after_kib:>10}")
    print(f"  {'total growth (after - before)':<58}{grown:>10}")
    print(f"  {'per page ((after - before) / N)':<58}{grown / n:>10.0f}")
    print(f"  {'after the changes':<58}{result.rss_end_kib:>10}")
    print(f"  {'peak (VmHWM)':<58}{result.rss_peak_kib:>10}")
    print()
    samples = result.latencies_ms
    expected = n * result.changes
    over = sum(latency > 1000 for latency in samples)
    missing = expected - len(samples)
    print(f"Fan-out latency (ms): {result.changes} changes x {n} pages ({warmup} unmeasured warm-up changes first)")
    print(f"  {'samples':>8}  {'missing':>7}  {'p50':>8}  {'p99':>8}  {'max':>8}  {'>1s':>5}  {'PATCH p50':>9}")
    print(
        f"  {len(samples):>8}  {missing:>7}  {percentile(samples, 50):>8.1f}  {percentile(samples, 99):>8.1f}  "
        f"{max(samples, default=math.nan):>8.1f}  {over:>5}  {percentile(result.request_ms, 50):>9.1f}"
    )
    worst = result.worst_per_change_ms
    print(
        f"  first page per change p50 {percentile(result.first_per_change_ms, 50):.1f}; server CPU "
        f"{result.server_cpu_seconds / result.changes * 1000:.0f} ms per change (user + system, {n} pages)"
    )
    print("  all pages reached (worst page per change):")
    print("   " + " ".join(f"{value:.0f}" for value in worst))
    finite = [value for value in worst if math.isfinite(value)]
    print(
        f"   p50 {percentile(finite, 50):.1f}  max {max(finite, default=math.nan):.1f}  "
        f"changes not reaching every page: {sum(not math.isfinite(value) for value in worst)}"
    )
    print()
    print(
        f"Clock check: {result.clock_inside}/{n} browser reads inside Python's bracket, "
        f"worst outside by {result.clock_worst_ms:.2f} ms"
    )
    if result.already_present:
        print(f"WARNING: {result.already_present} page(s) showed the card in the target column before the PATCH")
    if missing:
        print(f"WARNING: {missing} (change, page) samples never arrived; per change: {result.missing_per_change}")
    if result.page_errors:
        print(f"WARNING: {len(result.page_errors)} page errors, first: {result.page_errors[0]}")


def unmeasured(result: Result) -> list[str]:
    """What the run should have measured and did not: every change on every page, the memory, no page errors."""
    reasons = []
    if missing := result.clients * result.changes - len(result.latencies_ms):
        reasons.append(f"{missing} of {result.clients * result.changes} (change, page) samples missing")
    if result.already_present:
        reasons.append(f"{result.already_present} pages showed a change before it was made")
    if not (result.rss_before_kib and result.rss_after_kib):
        reasons.append("server memory not read")
    if result.page_errors:
        reasons.append(f"page errors: {result.page_errors[0]}")
    return reasons


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=50, help="open board pages (default 50)")
    parser.add_argument("--orders", type=int, default=0, help="other open orders on the board (default 0)")
    add_change_arguments(parser, warmup=2)
    parser.add_argument(
        "--settle",
        type=float,
        default=RECONNECT_TIMEOUT + 5,
        help="seconds after closing the warm-up page before the baseline RSS (default: reconnect timeout + 5)",
    )
    parser.add_argument("--profile", type=Path, help="py-spy the server during the changes into this file (raw)")
    args = parse_args(parser, argv, clients=2, changes=3, warmup=1, settle=3.0, orders=0, profile=None)
    if args.clients < 1 or args.changes < 1 or args.warmup < 0:
        parser.error("--clients and --changes must be at least 1, --warmup at least 0")

    result = run_on_shop(
        "monteur",
        lambda shop: run_bench(
            shop, args.clients, args.changes, args.warmup, args.timeout, args.settle, args.orders, args.profile
        ),
    )
    report(result, args.warmup)
    return exit_code(args.quick, unmeasured(result))


if __name__ == "__main__":
    sys.exit(main())
