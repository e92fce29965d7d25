"""The browser fan-out harness that bench/board_clients.py and bench/parts_desk.py share: an account and a token
made before the server starts, one logged-in Chromium context, pages opened a few at a time, the browser's
clock checked against Python's, and one change measured on every page by a MutationObserver armed before it."""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from playwright.async_api import BrowserContext, Page

from bench.common import bench_server, check_running
from tests.server import Server, run_cli

R = TypeVar("R")

RENDERER_LIMIT = "--renderer-process-limit=4"  # the pages share at most 4 renderer processes, as measured
BROWSER_NOW_JS = "() => performance.timeOrigin + performance.now()"
ARRIVAL_JS = "() => window.__wpArrival"
# Arms one observer per page: window.__wpArrival resolves with the browser's wall clock (ms since the epoch) the
# first time SHOWN(args) is true, with "present" if it already was before the change, or null after the timeout.
ARM_JS = """([args, timeoutMs]) => {
  const shown = SHOWN;
  window.__wpArrival = new Promise((resolve) => {
    if (shown(args)) { resolve("present"); return; }
    let timer = 0;
    const observer = new MutationObserver(() => {
      const stamp = performance.timeOrigin + performance.now();  // first: the query is not latency
      if (shown(args)) { observer.disconnect(); clearTimeout(timer); resolve(stamp); }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    timer = setTimeout(() => { observer.disconnect(); resolve(null); }, timeoutMs);
  });
  return true;
}"""


@dataclass
class Shop:
    """The server with a staff account (for the pages) and an admin token (for the changes)."""

    server: Server
    token: str
    user: str
    password: str

    @property
    def url(self) -> str:
        return self.server.url


def make_shop(server: Server, role: str) -> Shop:
    """An account of `role` and an admin token, made with the CLI before the server starts."""
    user, password = f"bench-{role}", secrets.token_urlsafe(12)
    made = run_cli(server.database_url, "create-user", user, "--role", role, f"--password={password}")
    if made.returncode != 0:
        raise RuntimeError(f"main.py create-user failed ({made.returncode}):\n{made.stderr[-2000:]}")
    return Shop(server, server.token("admin", "bench"), user, password)


def add_change_arguments(parser: argparse.ArgumentParser, warmup: int) -> None:
    parser.add_argument("--changes", type=int, default=20, help="measured changes (default 20)")
    parser.add_argument("--warmup", type=int, default=warmup, help=f"unmeasured changes first (default {warmup})")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a page may take to show a change")


def run_on_shop(role: str, bench: Callable[[Shop], Coroutine[Any, Any, R]]) -> R:
    """`bench` against a fresh shop (temporary SQLite database, an account of `role`); the server log's tail
    when it fails, and a failure when the server died under the load."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as tmp:
        server = bench_server(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp) / "server.log")
        shop = make_shop(server, role)
        with server:
            try:
                result = asyncio.run(bench(shop))
            except BaseException:
                print(f"server log (tail):\n{server.log_text()[-3000:]}", file=sys.stderr)
                raise
            check_running(server)
    print(f"# total runtime {time.monotonic() - started:.1f} s", file=sys.stderr)
    return result


async def log_in(context: BrowserContext, shop: Shop, home_path: str, ready_selector: str | None = None) -> None:
    """Log in once (the context keeps the session cookie); the home page, once shown, is closed again."""
    page = await context.new_page()
    try:
        await page.goto(f"{shop.url}/login")
        await page.get_by_label("Gebruikersnaam").fill(shop.user)
        await page.get_by_label("Wachtwoord").fill(shop.password)
        await page.get_by_role("button", name="Inloggen").click()
        await page.wait_for_url(f"{shop.url}{home_path}")
        if ready_selector:
            await page.wait_for_selector(ready_selector, state="visible")
    finally:
        await page.close()


async def open_page(context: BrowserContext, url: str, selector: str, gate: asyncio.Semaphore) -> Page:
    """A page of the logged-in context, once `selector` is on it; `gate` keeps a few opening at a time."""
    async with gate:
        page = await context.new_page()
        await page.goto(url)
        if page.url != url:
            raise RuntimeError(f"{url} redirected to {page.url}")
        await page.wait_for_selector(selector, state="attached", timeout=60_000)
        return page


async def check_clocks(pages: Sequence[Page]) -> tuple[int, float]:
    """Does the browser's `timeOrigin + now()` agree with Python's time.time()? One page at a time, so the
    bracket [before, after] stays tight. (pages whose read fell inside it, farthest outside in ms)"""
    inside, worst = 0, 0.0
    for page in pages:
        before = time.time() * 1000
        browser_ms = float(await page.evaluate(BROWSER_NOW_JS))
        after = time.time() * 1000
        outside = max(before - browser_ms, browser_ms - after, 0.0)
        inside += outside == 0.0
        worst = max(worst, outside)
    return inside, worst


async def measure_change(
    armed: Sequence[tuple[Page, object]], shown_js: str, change: Callable[[], Awaitable[None]], timeout: float
) -> tuple[float, list[object]]:
    """Arm every page with `shown_js` (a JS function of the page's argument: does the page show the change?),
    make the change, and collect each page's arrival. Returns Python's wall clock just before the change
    (seconds) and the arrivals in the pages' order: a stamp in ms, "present", or None."""
    arm_js = ARM_JS.replace("SHOWN", shown_js)
    await asyncio.gather(*(page.evaluate(arm_js, [argument, int(timeout * 1000)]) for page, argument in armed))
    start = time.time()
    await change()
    arrivals = await asyncio.wait_for(asyncio.gather(*(page.evaluate(ARRIVAL_JS) for page, _ in armed)), timeout + 15)
    return start, list(arrivals)
