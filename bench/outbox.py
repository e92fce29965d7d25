"""E-mail outbox throughput: N queued e-mails delivered by the server's sender to a local SMTP server (aiosmtpd,
tests/smtp_server.py), the time that takes, and proof that none arrived twice.

The bench fills a fresh SQLite database in its own process first (N work orders, each for a customer with an
e-mail address, each queueing its `ontvangen` e-mail in the same transaction, as the desk would), then starts the
server with SMTP_HOST pointing at the local SMTP server. The sender finds N due e-mails at once. Measured: from
the server process's start to the last e-mail's arrival (and from the first arrival to the last, which leaves
out the server's start-up), the server's CPU for all of it, and afterwards: every Message-ID once, every
notification `verzonden` after exactly one try.

Run from the project root:

    .venv/bin/python -m bench.outbox --emails 1000
    .venv/bin/python -m bench.outbox --quick     # 50 e-mails (CI smoke)
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bench.common import bench_server, check_running, cpu_seconds, exit_code, log_findings, parse_args
from models.public import WorkOrderCreate
from services import workorders
from services.db import Database
from tests.smtp_server import SmtpServer


def queue_emails(database_url: str, count: int) -> None:
    """`count` orders, each queueing its e-mail in its own transaction, before the server runs."""
    with Database.opened(database_url) as database:
        database.mail_enabled = True  # as in a server with SMTP_HOST: the e-mails wait for the sender
        for number in range(count):
            new = WorkOrderCreate(
                customer_name=f"Klant {number}", customer_email=f"klant{number}@example.nl",
                license_plate=f"OB{number:04d}", description="Kleine beurt",
            )  # fmt: skip
            workorders.create_work_order(database, new, actor=None)


def outcomes(database: Path) -> Counter[tuple[str, int]]:
    """(status, attempts) of every notification, read straight from the database."""
    with sqlite3.connect(database) as connection:
        return Counter(connection.execute("SELECT status, attempts FROM notification").fetchall())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--emails", type=int, default=1000, help="e-mails to queue and deliver (default 1000)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for every e-mail")
    args = parse_args(parser, argv, emails=50, timeout=60.0)
    unmeasured: list[str] = []
    with tempfile.TemporaryDirectory(prefix="werkplaats-bench-") as tmp, SmtpServer() as smtp:
        database = Path(tmp) / "bench.db"
        started = time.monotonic()
        queue_emails(f"sqlite:///{database}", args.emails)
        print(f"# queued {args.emails} e-mails in {time.monotonic() - started:.1f} s", file=sys.stderr)
        server = bench_server(f"sqlite:///{database}", log_path=Path(tmp) / "server.log", **smtp.env)
        started = time.monotonic()
        first = last = None
        with server:
            deadline = started + args.timeout
            while (count := smtp.inbox.count()) < args.emails and time.monotonic() < deadline:
                check_running(server)
                if count and first is None:
                    first = time.monotonic()
                time.sleep(0.01)
            last = time.monotonic()
            cpu = cpu_seconds(server.running.pid)
            time.sleep(1.0)  # a second copy of anything would arrive now: it is counted below
            copies = smtp.inbox.by_message_id()
        log_findings({"server": Path(tmp) / "server.log"})
        states = outcomes(database)
    delivered = len(copies)
    twice = sum(1 for seen in copies.values() if seen > 1)
    total = last - started
    from_first = last - (first or started)
    print(f"{'emails':>6}  {'delivered':>9}  {'twice':>5}  {'total_s':>7}  {'first_to_last_s':>15}  "
          f"{'per_s':>6}  {'cpu_s':>6}  {'cpu_ms_per_email':>16}")  # fmt: skip
    rate, cpu_ms = delivered / from_first if from_first else 0, 1000 * cpu / max(delivered, 1)
    print(f"{args.emails:>6}  {delivered:>9}  {twice:>5}  {total:>7.2f}  {from_first:>15.2f}  "
          f"{rate:>6.0f}  {cpu:>6.2f}  {cpu_ms:>16.2f}")  # fmt: skip
    print(f"# notifications (status, attempts): {dict(states)}")
    if delivered != args.emails:
        unmeasured.append(f"{args.emails - delivered} of {args.emails} e-mails never arrived")
    if twice:
        unmeasured.append(f"{twice} e-mails arrived twice")
    if states != Counter({("verzonden", 1): args.emails}):
        unmeasured.append(f"not every e-mail verzonden after one try: {dict(states)}")
    return exit_code(args.quick, unmeasured)


if __name__ == "__main__":
    sys.exit(main())
