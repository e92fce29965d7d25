"""The workshop's day at full size: three months × 6 mechanics × 12 appointments a day. How fast does the planning
page open in Chromium (until every block of its week is shown), how fast does a move (through the API, as a drag
sends it) reach 20 open planning pages, and how fast do `GET /api/planning/free` (three months) and the booking page's
free starts (three weeks) answer?

The plan is made through the services themselves (every appointment has its work order, customer and events), in
this process, before the server starts, with the clock set to Monday 11 January 2027, 07:00 in Amsterdam (no
holiday that week); the server runs on the same clock (tests/clock.py), so its planning page opens on that week.
Each mechanic's day is twelve back-to-back 40-minute appointments from 08:00 (480 of 510 minutes): a free start
of 60 minutes exists on no day, so `?minutes=60` looks through all 92 days (the worst case) and `?minutes=30`
finds one on the first day. The booking page's free starts (`GET /api/booking/slots`, as a customer's phone asks)
are timed for a package of 30 and one of 60 minutes, from each of the plan's first 21 days. A move takes an
appointment of the week to another mechanic's row on the same day (`allowOverbooking`: every row is nearly full);
a page shows it once the block is in that cell (bench/fanout.py's MutationObserver, stamped by the browser).

    .venv/bin/python -m bench.planning             # 92 days × 6 mechanics × 12 a day, 20 pages, 20 moves
    .venv/bin/python -m bench.planning --quick     # 7 days × 2 mechanics × 3 a day, 2 pages, 3 moves (CI smoke)
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import time_machine
from playwright.async_api import BrowserContext, async_playwright

from bench.common import bench_server, check_running, exit_code, launch_chromium_async, parse_args, percentile
from bench.fanout import RENDERER_LIMIT, Shop, check_clocks, measure_change, open_page
from models import Role
from models.planning_public import AppointmentSet, PackageCreate
from models.public import WorkOrderCreate
from services import packages, planning, workorders
from services.auth import Principal
from services.clock import SHOP_ZONE
from services.db import Database
from services.planning.capacity import holiday_name
from tests.clock import ServerClock
from tests.server import seed_account

START = datetime(2027, 1, 11, 6, 0, tzinfo=UTC)  # Monday 07:00 in Amsterdam
FIRST_DAY = START.date()
MINUTES = 40
BOOKED_PACKAGES = {
    30: PackageCreate(name="Banden wisselen", kind="banden", labour_minutes=30, fixed_price_cents=3950),
    60: PackageCreate(name="Kleine beurt", kind="onderhoud", labour_minutes=60, fixed_price_cents=14900),
}
DESK = Principal("balie", Role.ADMIN)
PLANNING_PATH = "/admin/planning"
BLOCKS_JS = "(n) => document.querySelectorAll('[data-cell] [data-appointment-id]').length >= n"
SHOWN_JS = """([day, mechanic, orderId]) => !!document.querySelector(
  `[data-cell][data-day="${day}"][data-mechanic="${mechanic}"] [data-appointment-id="${orderId}"]`)"""


@dataclass
class Planned:
    work_order_id: int
    day: date
    mechanic: str
    start: datetime


@dataclass
class Result:
    appointments: int = 0
    fill_seconds: float = 0.0
    week_blocks: int = 0
    open_ms: list[float] = field(default_factory=list)
    move_ms: list[float] = field(default_factory=list)
    missed_moves: int = 0
    pages: int = 0
    free_ms: dict[int, list[float]] = field(default_factory=dict)
    free_found: dict[int, int] = field(default_factory=dict)
    booking_ms: dict[int, list[float]] = field(default_factory=dict)
    booking_found: dict[int, int] = field(default_factory=dict)
    clock_inside: int = 0
    clock_worst_ms: float = 0.0
    page_errors: list[str] = field(default_factory=list)


def mechanic_names(count: int) -> list[str]:
    return [f"monteur{n + 1}" for n in range(count)]


def fill(database_url: str, days: int, mechanics: list[str], per_day: int) -> tuple[list[Planned], dict[int, int]]:
    """`per_day` back-to-back appointments from 08:00 for each mechanic on each working day (not on a holiday
    or a weekend), made through the services with the clock at START; and the packages a customer books
    ({minutes: id})."""
    planned: list[Planned] = []
    with Database.opened(database_url) as database, time_machine.travel(START, tick=False):
        booked = {
            minutes: packages.create_package(database, body, actor=DESK).id for minutes, body in BOOKED_PACKAGES.items()
        }
        for offset in range(days):
            day = FIRST_DAY + timedelta(days=offset)
            if day.isoweekday() > 5 or holiday_name(day) is not None:
                continue
            for mechanic in mechanics:
                for slot in range(per_day):
                    start = datetime(day.year, day.month, day.day, 8, tzinfo=SHOP_ZONE) + timedelta(
                        minutes=slot * MINUTES
                    )
                    new = WorkOrderCreate(
                        customer_name=f"Klant {len(planned)}", license_plate=f"PL-{len(planned) % 1000:03d}-K",
                        description="Kleine beurt",
                    )  # fmt: skip
                    order = workorders.create_work_order(database, new, actor=DESK)
                    body = AppointmentSet(start=start, minutes=MINUTES, mechanic=mechanic)
                    planning.set_appointment(database, order.id, body, actor=DESK)
                    planned.append(Planned(order.id, day, mechanic, start))
    return planned, booked  # type: ignore[return-value]


async def log_in_to(context: BrowserContext, shop: Shop, path: str) -> None:
    """Logged in straight to `path`: the desk's home, the list of open orders, holds every planned one here."""
    page = await context.new_page()
    await page.goto(f"{shop.url}/login?next={path}")
    await page.get_by_label("Gebruikersnaam").fill(shop.user)
    await page.get_by_label("Wachtwoord").fill(shop.password)
    await page.get_by_role("button", name="Inloggen").click()
    await page.wait_for_url(f"{shop.url}{path}", timeout=60_000)
    await page.close()


async def open_times(context: BrowserContext, url: str, blocks: int, rounds: int) -> list[float]:
    """ms from goto until every block of the week is in its cell, in fresh tabs; the first open warms up."""
    samples = []
    for _ in range(rounds + 1):
        page = await context.new_page()
        started = time.perf_counter()
        await page.goto(url)
        await page.wait_for_function(BLOCKS_JS, arg=blocks, timeout=60_000)
        samples.append((time.perf_counter() - started) * 1000)
        await page.close()
    return samples[1:]


async def timed_gets(http: httpx.AsyncClient, path: str, queries: list[dict]) -> tuple[list[float], int]:
    """ms per GET of `path`, one per query (the first two again before, to warm up); how many the last found."""
    samples, found = [], 0
    for params in [*queries[:2], *queries]:
        started = time.perf_counter()
        response = await http.get(path, params=params)
        samples.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        found = len(response.json())
    return samples[2:], found


async def moves(
    context: BrowserContext, shop: Shop, http: httpx.AsyncClient, week: list[Planned], args: argparse.Namespace,
    mechanics: list[str], result: Result,
) -> None:  # fmt: skip
    gate = asyncio.Semaphore(4)
    pages = await asyncio.gather(
        *(
            open_page(context, shop.url + PLANNING_PATH, f'[data-appointment-id="{week[-1].work_order_id}"]', gate)
            for _ in range(args.pages)
        )
    )
    result.pages = len(pages)
    await asyncio.sleep(2)  # the last pages' websockets settle
    result.clock_inside, result.clock_worst_ms = await check_clocks(pages)
    for number in range(args.warmup + args.changes):
        moved = week[(number * 7) % len(week)]
        target = mechanics[(mechanics.index(moved.mechanic) + 1) % len(mechanics)]
        if len(mechanics) == 1:
            raise SystemExit("--mechanics must be at least 2: a move goes to another mechanic's row")

        async def move(moved: Planned = moved, target: str = target) -> None:
            body = {"start": moved.start.isoformat(), "minutes": MINUTES, "mechanic": target, "allowOverbooking": True}
            (await http.put(f"/api/workorders/{moved.work_order_id}/appointment", json=body)).raise_for_status()

        armed = [(page, [moved.day.isoformat(), target, moved.work_order_id]) for page in pages]
        start, arrivals = await measure_change(armed, SHOWN_JS, move, args.timeout)
        moved.mechanic = target
        if number < args.warmup:
            continue
        reached = [float(a) - start * 1000 for a in arrivals if isinstance(a, int | float)]
        result.move_ms += reached
        result.missed_moves += len(reached) < len(pages)


async def run_bench(
    shop: Shop, planned: list[Planned], booked: dict[int, int], args: argparse.Namespace, result: Result
) -> None:
    mechanics = mechanic_names(args.mechanics)
    week = [p for p in planned if p.day < FIRST_DAY + timedelta(days=7)]
    result.week_blocks = len(week)
    headers = {"Authorization": f"Bearer {shop.token}"}
    async with (
        httpx.AsyncClient(base_url=shop.url, headers=headers, timeout=args.timeout + 50) as http,
        async_playwright() as driver,
    ):
        for minutes in (60, 30):
            queries: list[dict] = [{"minutes": minutes}] * args.free_requests
            result.free_ms[minutes], result.free_found[minutes] = await timed_gets(http, "/api/planning/free", queries)
        for minutes, package in booked.items():
            days = [FIRST_DAY + timedelta(days=n % 21) for n in range(args.free_requests)]
            queries = [{"packages": package, "from": f"{day.isoformat()}T00:00:00"} for day in days]
            result.booking_ms[minutes], result.booking_found[minutes] = await timed_gets(
                http, "/api/booking/slots", queries
            )
        browser = await launch_chromium_async(driver, RENDERER_LIMIT)
        try:
            context = await browser.new_context(viewport={"width": 1600, "height": 1000}, locale="nl-NL")
            context.on("weberror", lambda error: result.page_errors.append(str(error.error)))
            await log_in_to(context, shop, PLANNING_PATH)
            result.open_ms = await open_times(context, shop.url + PLANNING_PATH, len(week), args.opens)
            await moves(context, shop, http, week, args, mechanics, result)
        finally:
            await browser.close()


def measure(args: argparse.Namespace) -> Result:
    result = Result()
    mechanics = mechanic_names(args.mechanics)
    with tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'planning.db'}"
        # one address asks for free starts hundreds of times: above the booking throttle a shop sets for strangers
        server = bench_server(url, Path(tmp) / "server.log", BOOKING_LOOKUPS_PER_HOUR="1000000")
        server.clock = ServerClock(Path(tmp) / "clock", START)
        password = secrets.token_urlsafe(12)
        for name in mechanics:
            seed_account(url, name, "monteur", password)
        seed_account(url, "bench-admin", "admin", password)
        started = time.perf_counter()
        planned, booked = fill(url, args.days, mechanics, args.per_day)
        result.fill_seconds, result.appointments = time.perf_counter() - started, len(planned)
        shop = Shop(server, server.token("admin", "bench"), "bench-admin", password)
        with server:
            try:
                asyncio.run(run_bench(shop, planned, booked, args, result))
            except BaseException:
                print(f"server log (tail):\n{server.log_text()[-3000:]}", file=sys.stderr)
                raise
            check_running(server)
    return result


def report(result: Result, args: argparse.Namespace) -> None:
    print(
        f"Planning: {result.appointments} appointments over {args.days} days ({args.mechanics} mechanics × "
        f"{args.per_day} a working day; made in {result.fill_seconds:.0f} s)\n"
    )
    print("| what | samples | p50 | p99 | max |")
    print("| --- | ---: | ---: | ---: | ---: |")
    rows = [(f"planning page opens, {result.week_blocks} blocks of its week shown", result.open_ms)]
    rows.append((f"a move reaches {result.pages} open planning pages", result.move_ms))
    for minutes, samples in result.free_ms.items():
        rows.append((f"`GET /api/planning/free?minutes={minutes}` ({result.free_found[minutes]} found)", samples))
    for minutes, samples in result.booking_ms.items():
        found = result.booking_found[minutes]
        rows.append(
            (f"`GET /api/booking/slots`, a {minutes}-minute package, from each of 21 days ({found} found)", samples)
        )
    for name, samples in rows:
        print(
            f"| {name} | {len(samples)} | {percentile(samples, 50):.0f} ms | {percentile(samples, 99):.0f} ms | "
            f"{max(samples, default=float('nan')):.0f} ms |"
        )
    print(
        f"\nClock check: {result.clock_inside}/{result.pages} browser reads inside Python's bracket, "
        f"worst outside by {result.clock_worst_ms:.2f} ms"
    )


def unmeasured(result: Result, args: argparse.Namespace) -> list[str]:
    reasons = []
    if missing := args.pages * args.changes - len(result.move_ms):
        reasons.append(f"{missing} of {args.pages * args.changes} (move, page) samples missing")
    if len(result.open_ms) < args.opens:
        reasons.append("the planning page did not open every time")
    if result.page_errors:
        reasons.append(f"page errors: {result.page_errors[0]}")
    return reasons


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--days", type=int, default=92, help="days planned from Monday 11 January 2027 (default 92)")
    parser.add_argument("--mechanics", type=int, default=6, help="mechanics (default 6)")
    parser.add_argument("--per-day", type=int, default=12, help="40-minute appointments a mechanic a day (max 12)")
    parser.add_argument("--pages", type=int, default=20, help="open planning pages a move must reach (default 20)")
    parser.add_argument("--changes", type=int, default=20, help="measured moves (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured moves first (default 2)")
    parser.add_argument("--opens", type=int, default=10, help="measured opens of the planning page (default 10)")
    parser.add_argument("--free-requests", type=int, default=200, help="requests per free-start query (default 200)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a page may take to show a move")
    args = parse_args(
        parser, argv, days=7, mechanics=2, per_day=3, pages=2, changes=3, warmup=1, opens=2, free_requests=10
    )
    if args.mechanics < 2 or not 1 <= args.per_day <= 12 or args.days < 1 or args.pages < 1:
        parser.error("--mechanics at least 2, --per-day 1 to 12, --days and --pages at least 1")
    result = measure(args)
    report(result, args)
    return exit_code(args.quick, unmeasured(result, args))


if __name__ == "__main__":
    sys.exit(main())
