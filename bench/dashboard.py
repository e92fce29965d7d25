"""Shop insight at a year's size: with 10,000 work orders of the past year in the database (each invoiced, ~1 %
credited, clocked by one of three mechanics, a part ordered and received, every fifth inspected, five column
events each), how fast does `GET /api/reports/summary` answer for the whole year (target p99 < 200 ms), and how
fast does /admin/dashboard open in Chromium (every chart drawn, target < 1.5 s)?

One order is made through the services, so the stored event is the real thing; the year's rows are then written
in bulk beside it, in this process, before the server starts (the services would take an hour for 10,000 orders
of a dozen changes each). Run from the project root:

    .venv/bin/python -m bench.dashboard            # 10,000 orders, 50 summaries, 5 dashboard opens
    .venv/bin/python -m bench.dashboard --quick    # 500 orders, one round (CI smoke)
"""

import argparse
import json
import os
import random
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from sqlalchemy import insert, select

from bench.common import exit_code, launch_chromium, parse_args, percentile
from models import (
    Customer,
    Inspection,
    InspectionItem,
    Invoice,
    LabourLine,
    Part,
    Role,
    WorkOrder,
    WorkOrderEvent,
    WorkSession,
)
from models.public import WorkOrderCreate
from services import workorders
from services.auth import Principal
from services.clock import shop_day, utcnow
from services.db import Database
from tests.pages.conftest import log_in
from tests.server import Server, seed_account

DESK = Principal("balie", Role.ADMIN)
MECHANICS = ("jan", "fatima", "pieter")
PATH = ["Gepland", "Auto binnen", "Onder handen", "Klaar", "Afgerond"]
SUMMARY_TARGET_MS, PAGE_TARGET_MS = 200, 1500


def _table(model: Any) -> Any:
    return model.__table__


def fill(database_url: str, orders: int) -> None:
    with Database.opened(database_url) as database:
        _fill(database, orders)


def _templates(database: Database) -> dict[str, str]:
    """A real column event per column, from one order made through the services."""
    made = workorders.create_work_order(
        database, WorkOrderCreate(customer_name="Sjabloon", license_plate="GB-001-K", description="Onderhoud"),
        actor=DESK,
    )  # fmt: skip
    workorders.move_to_column(database, made.id, "Klaar", actor=DESK)
    with database.read() as session:
        data = session.exec(
            select(WorkOrderEvent.data).where(WorkOrderEvent.change_type == "column")  # type: ignore[call-overload]
        ).one()[0]
    templates = {}
    for column in PATH:
        event = json.loads(data)
        event["column"] = event["workOrder"]["column"] = column
        templates[column] = json.dumps(event)
    return templates


def _fill(database: Database, orders: int) -> None:
    rng = random.Random(23)
    templates = _templates(database)
    now = utcnow()
    year_ago = now - timedelta(days=365)
    tables = (Customer, WorkOrder, WorkOrderEvent, WorkSession, LabourLine, Part, Invoice, Inspection, InspectionItem)
    rows: dict[Any, list[dict[str, Any]]] = {table: [] for table in tables}
    customers = max(1, orders // 4)
    rows[Customer] = [{"id": 1000 + n, "name": f"Klant {n}", "created_at": year_ago, "updated_at": year_ago}
                      for n in range(customers)]  # fmt: skip
    document = json.dumps({"bench": True})
    sequence: dict[int, int] = {}
    for n in range(orders):
        order_id = 1000 + n
        came_in = year_ago + timedelta(seconds=n * 364 * 86400 / orders, minutes=rng.randrange(600))
        done = came_in + timedelta(hours=rng.uniform(4, 80))
        finished = done < now - timedelta(hours=1)
        rows[WorkOrder].append({
            "id": order_id, "number": f"WB-{n:06d}", "customer_id": 1000 + n % customers,
            "license_plate": f"GB{n % 1000:03d}K", "description": "Onderhoud", "status": "AFGEROND",
            "column": "Afgerond" if finished else "Klaar", "position": n, "status_token": secrets.token_hex(8),
            "version": 6, "created_at": came_in, "updated_at": done, "done_at": done if finished else None,
        })  # fmt: skip
        steps = PATH if finished else PATH[:-1]
        for step, column in enumerate(steps):
            at = came_in + (done - came_in) * step / (len(steps) - 1)
            rows[WorkOrderEvent].append({
                "kind": "workorder-update", "work_order_id": order_id, "data": templates[column], "created_at": at,
                "change_type": "created" if step == 0 else "column",
            })  # fmt: skip
        minutes = rng.choice((30, 60, 90, 120, 180))
        mechanic = rng.choice(MECHANICS)
        started = came_in + timedelta(hours=1)
        clocked = round(minutes * rng.uniform(0.7, 1.3))
        rows[WorkSession].append({"work_order_id": order_id, "mechanic": mechanic, "started_at": started,
                                  "ended_at": started + timedelta(minutes=clocked)})  # fmt: skip
        rows[LabourLine].append({"work_order_id": order_id, "description": "Arbeid", "minutes": minutes,
                                 "rate_cents": 8750, "created_at": started})  # fmt: skip
        ordered = came_in + timedelta(minutes=20)
        rows[Part].append({
            "work_order_id": order_id, "description": "Onderdeel", "quantity": 1, "unit_price_cents": 5000,
            "status": "gemonteerd", "ordered_at": ordered, "received_at": ordered + timedelta(hours=rng.uniform(2, 72)),
            "version": 4, "created_at": came_in,
        })  # fmt: skip
        total = 5000 + minutes * 8750 // 60
        year = shop_day(done).year
        for kind, sign in (("factuur", 1), *((("creditnota", -1),) if n % 97 == 0 else ())):
            sequence[year] = sequence.get(year, 0) + 1
            rows[Invoice].append({
                "number": f"{year}-{sequence[year]:05d}", "year": year, "sequence": sequence[year], "kind": kind,
                "work_order_id": order_id, "issued_at": done, "delivered_on": shop_day(done), "due_on": shop_day(done),
                "document": document, "status": "betaald", "excluding_vat_cents": sign * total,
                "labour_minutes": sign * minutes,
            })  # fmt: skip
        if n % 5 == 0:
            rows[Inspection].append({"id": order_id, "work_order_id": order_id, "status": "beantwoord",
                                     "sent_at": came_in, "answered_at": came_in, "created_at": came_in})  # fmt: skip
            for position in range(3):
                recommendation = json.dumps({"description": "Werk", "labourMinutes": 30, "parts": [],
                                             "priceCents": 4500 * (position + 1)})  # fmt: skip
                rows[InspectionItem].append({
                    "inspection_id": order_id, "position": position, "label": f"Punt {position}", "grade": "rood",
                    "recommendation": recommendation, "decision": rng.choice(("akkoord", "afgewezen")),
                })  # fmt: skip
    with database.engine.begin() as connection:
        for model, table_rows in rows.items():
            for start in range(0, len(table_rows), 2000):
                connection.execute(insert(_table(model)), table_rows[start : start + 2000])


def summary_times(server: Server, token: str, rounds: int) -> tuple[float, float]:
    today = shop_day(utcnow())
    period = {"from": (today - timedelta(days=365)).isoformat(), "to": today.isoformat()}
    samples = []
    with server.client(token) as client:
        client.get("/api/reports/summary", params=period)  # warm up
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get("/api/reports/summary", params=period)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
    return percentile(samples, 50), percentile(samples, 99)


def open_times(server: Server, password: str, rounds: int) -> float:
    """Median ms from navigation start until every chart has drawn and the revenue is shown."""
    with sync_playwright() as driver:
        browser = launch_chromium(driver)
        page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        log_in(page, server.url, "balie", password, "/admin/workorders")
        samples = []
        for _ in range(rounds + 1):  # the first open warms up
            started = time.perf_counter()
            page.goto(f"{server.url}/admin/dashboard")
            page.wait_for_function(
                "() => document.querySelectorAll('[data-chart] canvas').length >= 5"
                " && document.querySelector('[data-kpi=omzet]')?.textContent.includes('€')",
                timeout=30_000,
            )
            samples.append((time.perf_counter() - started) * 1000)
        browser.close()
    return percentile(samples[1:], 50)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=10_000, help="orders of the past year (default 10,000)")
    parser.add_argument("--rounds", type=int, default=50, help="summaries measured; dashboard opens: 1/10 (default 50)")
    args = parse_args(parser, argv, orders=500, rounds=5)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'dashboard.db'}"
        started = time.perf_counter()
        fill(url, args.orders)
        filled = time.perf_counter() - started
        password = secrets.token_urlsafe(12)
        seed_account(url, "balie", "admin", password)
        server = Server(url)
        token = server.token("admin")
        with server:
            p50, p99 = summary_times(server, token, args.rounds)
            page_ms = open_times(server, password, max(1, args.rounds // 10))
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print("| orders | summary p50 / p99 | dashboard open (median) | load 1/5/15 min | filled in |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    print(f"| {args.orders:,} | {p50:.1f} / {p99:.1f} ms | {page_ms:.0f} ms | {load} | {filled:.1f} s |")
    unmeasured = []
    if p99 >= SUMMARY_TARGET_MS:
        unmeasured.append(f"summary p99 {p99:.0f} ms, target < {SUMMARY_TARGET_MS} ms")
    if page_ms >= PAGE_TARGET_MS:
        unmeasured.append(f"dashboard opens in {page_ms:.0f} ms, target < {PAGE_TARGET_MS} ms")
    for reason in unmeasured:
        print(f"# over target: {reason}", file=sys.stderr)
    return exit_code(args.quick, [])


if __name__ == "__main__":
    sys.exit(main())
