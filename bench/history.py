"""A year of history at full speed: with 10,000 work orders in the database (a small workshop's year: ~9,950
finished, ~50 on the board), how fast do the board and the work-order list open in Chromium, how fast does
`GET /api/workorders` answer (the board, and a search over everything), and does the server's memory grow with
the history? The same is measured on a shop with only its board's orders, for comparison.

The history is made through the services themselves (so every order has its customer, vehicle and events),
in this process, before the server starts; finished orders are then dated back over the past year.
Run from the project root:

    .venv/bin/python -m bench.history              # 50 orders (the board alone), then 10,000
    .venv/bin/python -m bench.history --quick      # 100 orders, one round (CI smoke)
"""

import argparse
import random
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import text

from bench.common import CYCLE, exit_code, launch_chromium, parse_args, percentile, proc_status_kib
from models import Role
from models.public import WorkOrderCreate
from services import workorders
from services.auth import Principal
from services.clock import utcnow
from services.db import Database
from tests.pages.conftest import log_in
from tests.server import Server, run_cli

OPEN_ORDERS = 50
COLUMNS = CYCLE[:-1]  # where open orders are: all but Afgerond
DESK = Principal("balie", Role.ADMIN)


def fill(database_url: str, orders: int) -> None:
    """`orders` work orders for ~orders/4 customers; all but OPEN_ORDERS finished, dated over the past year."""
    with Database.opened(database_url) as database:
        _fill(database, orders)


def _fill(database: Database, orders: int) -> None:
    rng = random.Random(7)
    customers: list[int] = []
    for n in range(orders):
        plate = f"{rng.choice('GHJKLNPRSTXZ')}{rng.choice('BDFGHJKL')}-{n % 1000:03d}-{rng.choice('BDFGHJK')}"
        if customers and rng.random() < 0.75:
            new = WorkOrderCreate(customer_id=rng.choice(customers), license_plate=plate, description="Onderhoud")
        else:
            new = WorkOrderCreate(customer_name=f"Klant {n}", license_plate=plate, description="Onderhoud")
        order = workorders.create_work_order(database, new, actor=DESK)
        if len(customers) < orders // 4 and order.customer_id not in customers:
            customers.append(order.customer_id)
        finished = n < orders - OPEN_ORDERS
        workorders.move_to_column(database, order.id, "Afgerond" if finished else COLUMNS[n % len(COLUMNS)], actor=DESK)
    year_ago = utcnow() - timedelta(days=365)
    with database.engine.begin() as connection:  # a year: finished orders spread over it, the newest last
        connection.execute(
            text(
                "UPDATE work_order SET done_at = datetime(:start, '+' || (id * :step) || ' seconds') "
                "WHERE \"column\" = 'Afgerond'"
            ),
            {"start": year_ago, "step": int(350 * 86400 / max(orders, 1))},
        )


def api_times(client: httpx.Client, rounds: int, **params: str) -> tuple[float, float, int]:
    samples = []
    total = 0
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get("/api/workorders", params=params)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
        total = int(response.headers["X-Total-Count"])
    return percentile(samples, 50), percentile(samples, 99), total


def open_times(page: Page, url: str, selector: str, expected: int, rounds: int) -> float:
    """Median ms from navigation start until `expected` elements matching `selector` are in the page."""
    samples = []
    for _ in range(rounds + 1):  # the first open warms up
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(
            "([s, n]) => document.querySelectorAll(s).length >= n", arg=[selector, expected], timeout=30_000
        )
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples[1:], 50)


def measure(orders: int, rounds: int, folder: Path) -> dict[str, float]:
    url = f"sqlite:///{folder / f'history-{orders}.db'}"
    started = time.perf_counter()
    fill(url, orders)
    filled = time.perf_counter() - started
    password = secrets.token_urlsafe(12)
    assert run_cli(url, "create-user", "balie", "--role", "admin", f"--password={password}").returncode == 0
    server = Server(url)
    token = server.token("admin")
    with server:
        with server.client(token) as client:
            client.get("/api/workorders")
            rss_start = proc_status_kib(server.running.pid)
            board_p50, board_p99, board_size = api_times(client, rounds * 10)
            search_p50, search_p99, _ = api_times(client, rounds * 10, q="klant 1", limit="100")
        with sync_playwright() as driver:
            browser = launch_chromium(driver)
            page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
            log_in(page, server.url, "balie", password, "/admin/workorders")
            board_ms = open_times(page, f"{server.url}/admin/workoverzicht", "[data-column] [data-workorder-id]",
                                  board_size, rounds)  # fmt: skip
            list_ms = open_times(page, f"{server.url}/admin/workorders", "tr[data-workorder-id]", board_size, rounds)
            browser.close()
        rss_end = proc_status_kib(server.running.pid)
    return {
        "orders": orders, "fill s": filled, "board size": board_size, "board p50": board_p50, "board p99": board_p99,
        "search p50": search_p50, "search p99": search_p99, "board page": board_ms, "list page": list_ms,
        "rss start": rss_start / 1024, "rss end": rss_end / 1024,
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default=f"{OPEN_ORDERS},10000", help="orders per database (default 50,10000)")
    parser.add_argument("--rounds", type=int, default=5, help="measured opens per page; API calls: 10x (default 5)")
    args = parse_args(parser, argv, sizes=str(2 * OPEN_ORDERS), rounds=1)
    sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    if not sizes or min(sizes) < OPEN_ORDERS or args.rounds < 1:
        parser.error(f"--sizes must be at least {OPEN_ORDERS} (the board's orders), --rounds at least 1")
    unmeasured = []
    print("| orders | board orders | GET board p50 / p99 | GET search p50 / p99 | board page | list page |"
          " server RSS after start → after pages | filled in |")  # fmt: skip
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            r = measure(size, args.rounds, Path(folder))
            print(
                f"| {r['orders']:,} | {r['board size']:.0f} | {r['board p50']:.1f} / {r['board p99']:.1f} ms | "
                f"{r['search p50']:.1f} / {r['search p99']:.1f} ms | {r['board page']:.0f} ms | "
                f"{r['list page']:.0f} ms | {r['rss start']:.0f} → {r['rss end']:.0f} MiB | {r['fill s']:.0f} s |",
                flush=True,
            )
            if r["board size"] != OPEN_ORDERS:
                unmeasured.append(f"{size:,} orders: {r['board size']:.0f} on the board, not {OPEN_ORDERS}")
    return exit_code(args.quick, unmeasured)


if __name__ == "__main__":
    sys.exit(main())
