"""Mollie's webhook under load: N invoices, each with a Mollie payment of its amount that the customer paid, and
their N webhooks — every payment recorded once, the time per webhook (target: p99 under 100 ms with the local
Mollie answering at once), and then every webhook again (Mollie retries), 8 at a time, recording nothing new.

The bench fills a fresh SQLite database in its own process first (the shop's details, N orders with a part, each
Klaar and invoiced, each invoice's payment link made at the Mollie-shaped server of the tests,
tests/mollie_server.py, through our Mollie client), marks every payment paid there, then starts the server and
posts the webhooks one at a time, as Mollie does: `id=tr_…`, form-encoded. Each webhook is a GET to Mollie and
one write transaction (payment, invoice status, `payment` event).

Run from the project root:

    .venv/bin/python -m bench.payments --invoices 1000
    .venv/bin/python -m bench.payments --quick     # 10 invoices (CI smoke)
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.common import bench_server, check_running, cpu_seconds, exit_code, log_findings, parse_args, percentile
from models import BoardColumn
from models.public import PartCreate, ShopSettingsUpdate, WorkOrderCreate
from services import parts, shop, workorders
from services.db import Database
from services.invoicing import invoices, payments
from services.invoicing.mollie import MollieGateway
from tests.api.billing import SHOP_SETTINGS
from tests.mollie_server import MollieServer
from tests.server import free_port

WEBHOOK = "/api/payments/mollie/webhook"
RETRY_THREADS = 8


def paid_invoices(database_url: str, count: int, mollie: MollieServer, public_url: str) -> list[str]:
    """`count` invoices with a payment link each, made through the services; the Mollie ids, all paid."""
    gateway = MollieGateway(mollie.env["MOLLIE_API_KEY"], mollie.url)
    ids = []
    with Database.opened(database_url) as database:
        shop.update_shop_settings(database, ShopSettingsUpdate.model_validate(SHOP_SETTINGS), actor=None)
        for number in range(count):
            new = WorkOrderCreate(
                customer_name=f"Klant {number}", license_plate=f"PB{number:04d}", description="Remmen"
            )
            order = workorders.create_work_order(database, new, actor=None)
            part = PartCreate(description="Remblokken", quantity=1, unit_price_cents=5_000 + number)
            parts.add_part(database, order.id, part, actor=None)
            workorders.move_to_column(database, order.id, BoardColumn.KLAAR.value, actor=None)
            invoice = invoices.issue_invoice(database, order.id, actor=None)
            payments.create_payment_link(database, gateway, invoice.id, public_url, actor=None)
            ids.append(mollie.newest())
            mollie.pay(ids[-1])
    return ids


def recorded(database: Path) -> tuple[int, int, int, int]:
    """(payments, distinct Mollie ids among them, invoices betaald, `paid` events), read straight from the file."""
    with sqlite3.connect(database) as connection:
        query = "SELECT count(*), count(DISTINCT provider_id) FROM payment"
        payments_made, distinct = connection.execute(query).fetchone()
        paid = connection.execute("SELECT count(*) FROM invoice WHERE status = 'betaald'").fetchone()[0]
        events = connection.execute(
            "SELECT count(*) FROM event_log WHERE change_type = 'payment' AND data LIKE '%\"action\":\"paid\"%'"
        ).fetchone()[0]
    return payments_made, distinct, paid, events


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--invoices", type=int, default=1000, help="invoices, each paid, each one webhook")
    args = parse_args(parser, argv, invoices=10)
    unmeasured: list[str] = []
    with tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as tmp, MollieServer() as mollie:
        database = Path(tmp) / "bench.db"
        port = free_port()
        public_url = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        ids = paid_invoices(f"sqlite:///{database}", args.invoices, mollie, public_url)
        print(f"# {len(ids)} paid invoices made in {time.monotonic() - started:.1f} s", file=sys.stderr)
        server = bench_server(
            f"sqlite:///{database}", log_path=Path(tmp) / "server.log", **mollie.env, PUBLIC_URL=public_url
        )
        server.port = port
        with server, httpx.Client(base_url=server.url, timeout=30) as client:
            cpu_before = cpu_seconds(server.running.pid)
            latencies, answers = [], []
            for payment_id in ids:
                began = time.perf_counter()
                answers.append(client.post(WEBHOOK, data={"id": payment_id}).status_code)
                latencies.append(1000 * (time.perf_counter() - began))
            cpu = cpu_seconds(server.running.pid) - cpu_before
            with ThreadPoolExecutor(RETRY_THREADS) as pool:  # Mollie retries every one: nothing new
                retried = list(pool.map(lambda pid: client.post(WEBHOOK, data={"id": pid}).status_code, ids))
            check_running(server)
        log_findings({"server": Path(tmp) / "server.log"})
        made, distinct, paid, events = recorded(database)
    print(f"{'webhooks':>8}  {'recorded':>8}  {'p50_ms':>7}  {'p99_ms':>7}  {'max_ms':>7}  {'cpu_ms_each':>11}  "
          f"{'retried':>7}  {'after_retries':>13}")  # fmt: skip
    print(f"{len(ids):>8}  {paid:>8}  {percentile(latencies, 50):>7.1f}  {percentile(latencies, 99):>7.1f}  "
          f"{max(latencies):>7.1f}  {1000 * cpu / len(ids):>11.2f}  {len(retried):>7}  {made:>13}")  # fmt: skip
    if set(answers) | set(retried) != {200}:
        unmeasured.append(f"not every webhook answered 200: {sorted(set(answers) | set(retried))}")
    if (made, distinct, paid, events) != (len(ids),) * 4:
        unmeasured.append(f"payments {made}, distinct {distinct}, betaald {paid}, paid events {events}: not {len(ids)}")
    return exit_code(args.quick, unmeasured)


if __name__ == "__main__":
    sys.exit(main())
