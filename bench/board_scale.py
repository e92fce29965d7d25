"""How the board and the work-order list grow with the open work: one server, its open orders grown step by step
(20 → 60 → 120 → 200 by default), and at each step the time, in Chromium, from navigation start until every card
of the board (`/admin/workoverzicht`) and every row of the list (`/admin/workorders`) is on the page.

The orders are made through the API while the server runs, spread over the five open columns like a busy shop's:
every third one has a part (one of two received), every tenth a mechanic's running clock. A time is the browser's
own `performance.now()` (milliseconds since the navigation started) at the first animation frame that has them
all, the median of `--rounds` opens after one warm-up open. Run from the project root:

    .venv/bin/python -m bench.board_scale                          # 20, 60, 120, 200 open orders
    .venv/bin/python -m bench.board_scale --chart docs/board_scale.png --earlier before.txt  # beside a saved run
    .venv/bin/python -m bench.board_scale --quick                  # 20 and 60, one open each (CI smoke)
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

from bench.common import CYCLE, bench_server, check_running, exit_code, launch_chromium, parse_args, percentile
from services.auth import create_token, create_user
from services.db import Database
from tests.pages.conftest import log_in

OPEN_COLUMNS = CYCLE[:-1]  # every column but Afgerond
PAGES = {  # page -> what one order looks like on it
    "board": ("/admin/workoverzicht", "[data-column] [data-workorder-id]"),
    "list": ("/admin/workorders", "tr[data-workorder-id]"),
}
# The first animation frame at which `n` elements match: its time since navigation start (browser clock).
SHOWN_JS = "([selector, n]) => document.querySelectorAll(selector).length >= n && performance.now()"


@dataclass
class Step:
    orders: int
    board_ms: float
    list_ms: float
    load: float  # the machine's 1-minute load average when the step was measured


def accounts(database_url: str) -> tuple[str, str]:
    """The desk's password and an admin token, made in this process before the server starts (two runs of the CLI
    would take longer than the quick run itself on a busy machine)."""
    with Database.opened(database_url) as database:
        password = secrets.token_urlsafe(12)
        create_user(database, "balie", "admin", password)
        return password, create_token(database, "bench", "admin")


def grow(http: httpx.Client, first: int, last: int) -> None:
    """Orders number `first` up to `last` (exclusive), each in its column, some with a part or a running clock."""
    for n in range(first, last):
        body = {"customerName": f"Klant {n}", "licensePlate": f"GZ{n:03d}X", "description": f"Onderhoud {n}"}
        order = http.post("/api/workorders", json=body).raise_for_status().json()
        column = OPEN_COLUMNS[n % len(OPEN_COLUMNS)]
        if column != order["column"]:
            http.patch(f"/api/workorders/{order['id']}/column", json={"column": column}).raise_for_status()
        if n % 3 == 0:
            part = {"description": "Remblokken", "quantity": 1, "unitPriceCents": 4595}
            added = http.post(f"/api/workorders/{order['id']}/parts", json=part).raise_for_status().json()
            if n % 2 == 0:
                http.patch(f"/api/workorders/{order['id']}/parts/{added['id']}", json={"status": "besteld"})
        if n % 10 == 0:
            body = {"mechanic": f"monteur-{n}"}
            http.post(f"/api/workorders/{order['id']}/sessions", json=body).raise_for_status()


def open_ms(page: Page, url: str, selector: str, expected: int, rounds: int) -> float:
    """Median ms (browser clock) from navigation start until `expected` elements match `selector`."""
    samples = []
    for _ in range(rounds + 1):  # the first open warms up
        page.goto(url, wait_until="commit")
        shown = page.wait_for_function(SHOWN_JS, arg=[selector, expected], polling="raf", timeout=60_000)
        samples.append(float(shown.json_value()))
    return percentile(samples[1:], 50)


def measure(sizes: Sequence[int], rounds: int) -> list[Step]:
    started = time.monotonic()
    steps = []
    with tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        password, token = accounts(database_url)
        server = bench_server(database_url, Path(tmp) / "server.log")
        with server, server.client(token) as http, sync_playwright() as driver:
            browser = launch_chromium(driver)
            page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL").new_page()
            log_in(page, server.url, "balie", password, "/admin/workorders")
            print(f"# server and browser ready after {time.monotonic() - started:.1f} s", file=sys.stderr)
            made = 0
            for size in sizes:
                grow(http, made, size)
                made = size
                on_board = len(http.get("/api/workorders").raise_for_status().json())
                times = {
                    name: open_ms(page, server.url + path, selector, on_board, rounds)
                    for name, (path, selector) in PAGES.items()
                }
                steps.append(Step(on_board, times["board"], times["list"], os.getloadavg()[0]))
                print(f"| {on_board} | {times['board']:.0f} ms | {times['list']:.0f} ms | {steps[-1].load:.2f} |",
                      flush=True)  # fmt: skip
            browser.close()
            check_running(server)
    return steps


def read_steps(path: Path) -> list[Step]:
    """The curve an earlier run printed (its table rows), to draw beside this one."""
    steps = []
    for line in path.read_text().splitlines():
        cells = [cell.strip().removesuffix(" ms") for cell in line.strip("| ").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            steps.append(Step(int(cells[0]), float(cells[1]), float(cells[2]), float(cells[3])))
    return steps


def chart(steps: Sequence[Step], path: Path, earlier: Sequence[Step] = ()) -> None:
    """Open time against open orders, board and list, with the 500 ms target (and an earlier run, dashed)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4))
    for run, style, when in ((earlier, "--", "voor"), (steps, "-", "na")):
        if run:
            orders = [step.orders for step in run]
            axes.plot(orders, [s.board_ms for s in run], style, marker="o", color="tab:blue", label=f"bord, {when}")
            axes.plot(orders, [s.list_ms for s in run], style, marker="s", color="tab:orange", label=f"lijst, {when}")
    axes.axhline(500, color="grey", linestyle=":", linewidth=1, label="doel: 500 ms")
    axes.set_xlabel("open werkorders")
    axes.set_ylabel("ms tot alles getoond (Chromium)")
    axes.set_yscale("log")
    axes.grid(alpha=0.3, which="both")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="20,60,120,200", help="open orders at each step (default 20,60,120,200)")
    parser.add_argument("--rounds", type=int, default=5, help="measured opens per page and step (default 5)")
    parser.add_argument("--chart", type=Path, help="save the curve as a PNG here")
    parser.add_argument("--earlier", type=Path, help="an earlier run's output, drawn dashed beside this one")
    args = parse_args(parser, argv, sizes="20,60", rounds=1, chart=None, earlier=None)
    sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    if not sizes or sizes != sorted(set(sizes)) or sizes[0] < 1 or args.rounds < 1:
        parser.error("--sizes must be growing numbers of at least 1, --rounds at least 1")
    started = time.monotonic()
    print(f"# load average at the start: {' / '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print("| open orders | board opens | list opens | load (1 min) |")
    print("| ---: | ---: | ---: | ---: |")
    steps = measure(sizes, args.rounds)
    print(f"# {time.monotonic() - started:.1f} s in all", file=sys.stderr)
    if args.chart:
        chart(steps, args.chart, read_steps(args.earlier) if args.earlier else ())
    unmeasured = [f"{size} orders made, {step.orders} on the board" for size, step in zip(sizes, steps, strict=True)
                  if step.orders != size]  # fmt: skip
    return exit_code(args.quick, unmeasured)


if __name__ == "__main__":
    sys.exit(main())
