"""The reminder scan over a big shop: how long does one scan take (the RDW refresh queueing and the reminders due
today), the day's first (which makes the day's reminders and their e-mails) and the rest of the day's (nothing new)?

The shop is made in this process with bulk inserts, one statement per table: N cars, each with a customer (an
e-mail address) and one order made a year ago; the APK expiries spread over a year from today, the RDW asked this
morning; half the orders finished with a maintenance package, their finishing days spread over 400 days; one
car in twenty with work declined, spread over the past four months. A scan on the day before makes what a shop's
first scan ever would (every car already in its window); then the day's first scan and its later ones are timed.
The scans run in this process on the shop's
clock (time-machine), on SQLite, as each server process runs them every REMINDER_SCAN_SECONDS.

    .venv/bin/python -m bench.reminders                 # 50,000 cars, 20 scans of a day
    .venv/bin/python -m bench.reminders --quick         # 2,000 cars, 5 scans (CI smoke)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import insert
from sqlmodel import func, select

from bench.common import exit_code, parse_args, percentile
from models import (
    BoardColumn,
    Customer,
    DeferredItem,
    Reminder,
    ServicePackage,
    Vehicle,
    WorkOrder,
    WorkOrderPackage,
    WorkOrderStatus,
)
from services.db import Database
from services.reminders import queue_due_reminders
from services.reminders.refresh import queue_refreshes

NOW = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)  # Monday 1 March 2027, 08:00 at the shop
WEEKS = 8
TARGET_MS = 2000.0


def make_shop(db: Database, cars: int) -> None:
    """N cars in one transaction, a bulk insert per table."""
    year_ago = NOW - timedelta(days=365)
    with db.write() as session:
        session.add(ServicePackage(name="Kleine beurt", kind="onderhoud", labour_minutes=60, created_at=year_ago))
        session.flush()
        session.execute(insert(Customer), [
            {"id": n, "name": f"Klant {n}", "email": f"klant{n}@example.nl", "created_at": year_ago,
             "updated_at": year_ago} for n in range(1, cars + 1)
        ])  # fmt: skip
        session.execute(insert(Vehicle), [
            {"license_plate": f"BX{n:06d}", "brand": "VOLKSWAGEN", "model": "GOLF", "rdw_status": "ok",
             "apk_expiry": NOW.date() + timedelta(days=n % 365), "rdw_checked_at": NOW - timedelta(days=n % 14)}
            for n in range(1, cars + 1)
        ])  # fmt: skip
        finished = {n: NOW - timedelta(days=n % 400, hours=2) for n in range(1, cars + 1) if n % 2 == 0}
        session.execute(insert(WorkOrder), [
            {"id": n, "number": f"WO-2026-{n:06d}", "customer_id": n, "license_plate": f"BX{n:06d}",
             "description": "Kleine beurt", "status_token": f"status-token-{n:020d}", "position": n,
             "status": (WorkOrderStatus.AFGEROND if n in finished else WorkOrderStatus.NIEUW).value,
             "column": (BoardColumn.AFGEROND if n in finished else BoardColumn.GEPLAND).value,
             "done_at": finished.get(n), "created_at": year_ago, "updated_at": year_ago}
            for n in range(1, cars + 1)
        ])  # fmt: skip
        session.execute(insert(WorkOrderPackage), [
            {"work_order_id": n, "package_id": 1, "name": "Kleine beurt", "labour_minutes": 60, "created_at": year_ago}
            for n in finished
        ])  # fmt: skip
        session.execute(insert(DeferredItem), [
            {"license_plate": f"BX{n:06d}", "label": "Remblokken voor", "description": "Remblokken vervangen",
             "since": NOW - timedelta(days=n % 120), "work_order_id": n}
            for n in range(1, cars + 1) if n % 20 == 0
        ])  # fmt: skip


def timed_scan(db: Database) -> tuple[float, int, int]:
    """(milliseconds, cars queued for the RDW, reminders made) of one scan, as the server's loop runs it."""
    began = time.perf_counter()
    refreshing = queue_refreshes(db, WEEKS)
    made = queue_due_reminders(db, WEEKS, rdw_on=True)
    return 1000 * (time.perf_counter() - began), refreshing, made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cars", type=int, default=50_000, help="vehicles, each with a customer and an order")
    parser.add_argument("--scans", type=int, default=20, help="scans of the same day after the first")
    args = parse_args(parser, argv, cars=2_000, scans=5)
    unmeasured: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as tmp,
        Database.opened(f"sqlite:///{Path(tmp) / 'bench.db'}") as db,
    ):
        started = time.monotonic()
        with time_machine.travel(NOW, tick=False):
            make_shop(db, args.cars)
        print(f"# {args.cars} cars made in {time.monotonic() - started:.1f} s", file=sys.stderr)
        with time_machine.travel(NOW - timedelta(days=1), tick=True):
            catch_up_ms, _, caught_up = timed_scan(db)  # yesterday's: what the shop's first scan ever makes
        with time_machine.travel(NOW, tick=True):
            first_ms, refreshing, made = timed_scan(db)
            rest = [timed_scan(db) for _ in range(args.scans)]
        with db.read() as session:
            reminders = session.exec(select(Reminder.kind, func.count()).group_by(Reminder.kind)).all()
    later = [ms for ms, _, _ in rest]
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(reminders))
    p50, p99 = percentile(later, 50), percentile(later, 99)
    print(f"load average {os.getloadavg()[0]:.1f} (2-core machine, shared); {args.cars} cars")
    print(f"the first scan ever (the day before): {catch_up_ms:.0f} ms, {caught_up} reminders made")
    print(f"the day's first scan: {first_ms:.0f} ms, {made} reminders made, {refreshing} cars queued for the RDW")
    print(f"the day's later scans ({len(later)}): p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(later):.1f} ms, "
          f"{sum(m for _, _, m in rest)} made (target: a scan < {TARGET_MS:.0f} ms); in all: {kinds}")  # fmt: skip
    if made == 0:
        unmeasured.append("the first scan made no reminder")
    if any(m for _, _, m in rest):
        unmeasured.append("a later scan of the same day made reminders again")
    return exit_code(args.quick, unmeasured)


if __name__ == "__main__":
    sys.exit(main())
