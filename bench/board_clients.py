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
    .venv/bin/python -m bench.board_clients --quick     # 2 pages, 3 changes, 3 s settle (CI smoke)
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
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from bench.common import (
    MOVES,
    bench_server,
    check_running,
    cpu_seconds,
    exit_code,
    launch_chromium_async,
    parse_args,
    percentile,
    proc_status_kib,
)
from services.settings import Settings
from tests.server import Server, run_cli

BOARD_PATH = "/admin/workoverzicht"
RECONNECT_TIMEOUT = Settings.page_reconnect_seconds  # the bench server's: a closed page's client lives this long
RENDERER_LIMIT = "--renderer-process-limit=4"  # the pages share at most 4 renderer processes, as measured

# Arms one observer per page; window.__wpArrival resolves with the browser's wall clock (ms since the epoch)
# when the card is first in the target column, with "present" if it already was, or null after the timeout.
ARM_JS = """([column, id, timeoutMs]) => {
  const selector = `[data-column="${column}"] [data-workorder-id="${id}"]`;
  window.__wpArrival = new Promise((resolve) => {
    if (document.querySelector(selector)) { resolve("present"); return; }
    let timer = 0;
    const observer = new MutationObserver(() => {
      const stamp = performance.timeOrigin + performance.now();  // first: the query is not latency
      if (document.querySelector(selector)) { observer.disconnect(); clearTimeout(timer); resolve(stamp); }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    timer = setTimeout(() => { observer.disconnect(); resolve(null); }, timeoutMs);
  });
  return true;
}"""
BROWSER_NOW_JS = "() => performance.timeOrigin + performance.now()"


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


# --- the server -------------------------------------------------------------------------------------------


@dataclass
class Shop:
    """The server with a monteur account (for the pages) and an admin token (for the changes)."""

    server: Server
    token: str
    user: str
    password: str

    @property
    def url(self) -> str:
        return self.server.url


def make_accounts(server: Server) -> tuple[str, str, str]:
    """(admin token, monteur name, password), made with the CLI before the server starts."""
    user, password = "bench-monteur", secrets.token_urlsafe(12)
    made = run_cli(server.database_url, "create-user", user, "--role", "monteur", f"--password={password}")
    if made.returncode != 0:
        raise RuntimeError(f"main.py create-user failed ({made.returncode}):\n{made.stderr[-2000:]}")
    return server.token("admin", "bench"), user, password


# --- the browser side -------------------------------------------------------------------------------------


def card_selector(work_order_id: int) -> str:
    return f'[data-column] [data-workorder-id="{work_order_id}"]'


async def log_in(context: BrowserContext, shop: Shop, work_order_id: int) -> None:
    """Log in once: the context keeps the session cookie. The monteur's home is the board; its page is the
    warm-up page, closed again here."""
    page = await context.new_page()
    try:
        await page.goto(f"{shop.url}/login")
        await page.get_by_label("Gebruikersnaam").fill(shop.user)
        await page.get_by_label("Wachtwoord").fill(shop.password)
        await page.get_by_role("button", name="Inloggen").click()
        await page.wait_for_url(f"{shop.url}{BOARD_PATH}")
        await page.wait_for_selector(card_selector(work_order_id), state="visible")
    finally:
        await page.close()


async def open_board(context: BrowserContext, url: str, work_order_id: int, gate: asyncio.Semaphore) -> Page:
    async with gate:
        page = await context.new_page()
        await page.goto(url)
        if not page.url.endswith(BOARD_PATH):
            raise RuntimeError(f"board page redirected to {page.url}")
        await page.wait_for_selector(card_selector(work_order_id), state="visible", timeout=60_000)
        return page


async def check_clocks(pages: Sequence[Page], result: Result) -> None:
    """Does the browser's `timeOrigin + now()` agree with Python's time.time()? One page at a time, so the
    bracket [before, after] stays tight."""
    for page in pages:
        before = time.time() * 1000
        browser_ms = float(await page.evaluate(BROWSER_NOW_JS))
        after = time.time() * 1000
        outside = max(before - browser_ms, browser_ms - after, 0.0)
        result.clock_inside += outside == 0.0
        result.clock_worst_ms = max(result.clock_worst_ms, outside)


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
        await asyncio.gather(*(page.evaluate(ARM_JS, [column, work_order_id, int(timeout * 1000)]) for page in pages))
        start = time.time()
        response = await http.patch(move_path, json={"column": column})
        answered = time.time()
        response.raise_for_status()
        arrivals = await asyncio.wait_for(
            asyncio.gather(*(page.evaluate("() => window.__wpArrival") for page in pages)), timeout + 15
        )
        if number < warmup:
            if number == warmup - 1:
                result.server_cpu_seconds = -cpu_seconds(server_pid)
            continue
        result.request_ms.append((answered - start) * 1000)
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


async def run_bench(shop: Shop, clients: int, changes: int, warmup: int, timeout: float, settle: float) -> Result:
    result = Result(clients, changes)
    pid = shop.server.running.pid
    headers = {"Authorization": f"Bearer {shop.token}"}
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
        browser: Browser = await launch_chromium_async(driver, RENDERER_LIMIT)
        try:
            context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
            await log_in(context, shop, work_order_id)
            closed = time.monotonic()
            await asyncio.sleep(3)
            result.rss_warm_early_kib = proc_status_kib(pid, "VmRSS")
            await asyncio.sleep(max(0.0, closed + settle - time.monotonic()))
            result.rss_before_kib = proc_status_kib(pid, "VmRSS")

            context.on("weberror", lambda error: result.page_errors.append(str(error.error)))
            gate = asyncio.Semaphore(4)
            started = time.monotonic()
            pages = await asyncio.gather(
                *(open_board(context, shop.url + BOARD_PATH, work_order_id, gate) for _ in range(clients))
            )
            result.open_seconds = time.monotonic() - started
            await asyncio.sleep(2)  # let the last pages' websocket handshakes settle
            result.rss_after_kib = proc_status_kib(pid, "VmRSS")

            await check_clocks(pages, result)
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
    parser.add_argument("--changes", type=int, default=20, help="measured changes (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured changes first (default 2)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a page may take to show a change")
    parser.add_argument(
        "--settle",
        type=float,
        default=RECONNECT_TIMEOUT + 5,
        help="seconds after closing the warm-up page before the baseline RSS (default: reconnect timeout + 5)",
    )
    args = parse_args(parser, argv, clients=2, changes=3, warmup=1, settle=3.0)
    if args.clients < 1 or args.changes < 1 or args.warmup < 0:
        parser.error("--clients and --changes must be at least 1, --warmup at least 0")

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="werkplaats-board-") as tmp:
        server = bench_server(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp) / "server.log")
        shop = Shop(server, *make_accounts(server))
        with server:
            try:
                result = asyncio.run(
                    run_bench(shop, args.clients, args.changes, args.warmup, args.timeout, args.settle)
                )
            except BaseException:
                print(f"server log (tail):\n{server.log_text()[-3000:]}", file=sys.stderr)
                raise
            check_running(server)
    report(result, args.warmup)
    print(f"\n# total runtime {time.monotonic() - started:.1f} s", file=sys.stderr)
    return exit_code(args.quick, unmeasured(result))


if __name__ == "__main__":
    sys.exit(main())
