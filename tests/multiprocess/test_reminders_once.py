"""Two server processes on one PostgreSQL database scan for reminders every second, at the same moments: each car's
reminder is sent once. Twenty cars' APK expires seven weeks after a Monday: on that Monday both processes find
every `apk` reminder due; four weeks later every `apk2`. The second batch's arrival is the proof that both
processes went on scanning after the first (a reminder made twice would have been sent by then)."""

from collections import Counter
from datetime import date, timedelta

import psycopg
import pytest
import time_machine

from services.db import Database
from tests.api.test_reminder_year import at_opening, kind_of
from tests.multiprocess.conftest import libpq
from tests.planning_shop import timed_server
from tests.postgres import throwaway_database
from tests.reminder_shop import car
from tests.server import Server, wait_until
from tests.smtp_server import SmtpServer

MONDAY = date(2027, 3, 1)
CARS = range(20)


def reminders_made(url: str) -> Counter[str]:
    with psycopg.connect(libpq(url)) as connection:
        rows = connection.execute("SELECT kind, count(*) FROM reminder GROUP BY kind").fetchall()
    return Counter({kind: count for kind, count in rows})


def waiting_mail(url: str) -> int:
    with psycopg.connect(libpq(url)) as connection:
        row = connection.execute("SELECT count(*) FROM notification WHERE status = 'wachtrij'").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.timeout(300)
def test_two_processes_send_each_reminder_once() -> None:
    with throwaway_database() as url, SmtpServer() as smtp:
        with Database.opened(url) as db, time_machine.travel(at_opening(MONDAY) - timedelta(days=1), tick=False):
            for number in CARS:
                car(db, number, MONDAY + timedelta(weeks=7))
        env = {**smtp.env, "REMINDER_SCAN_SECONDS": "1"}
        servers: list[Server] = [timed_server(url, at_opening(MONDAY), **env) for _ in range(2)]
        try:
            for server in servers:
                server.start()
            wait_until(lambda: smtp.inbox.count() >= len(CARS), 60, "the APK reminders")
            # a send under way keeps a lease on the clock; four weeks on, another process could take it over
            wait_until(lambda: waiting_mail(url) == 0, 30, "the outbox empty before the clock moves on")
            for server in servers:
                assert server.clock is not None
                server.clock.set(at_opening(MONDAY + timedelta(weeks=4)))  # the expiry 3 weeks away
            wait_until(lambda: smtp.inbox.count() >= 2 * len(CARS), 60, "the second APK reminders")
            sent = Counter((str(message["To"]), kind_of(message)) for message in smtp.inbox.messages())
            assert sent == Counter({(f"klant{n}@example.nl", kind): 1 for n in CARS for kind in ("apk", "apk2")})
            assert reminders_made(url) == Counter({"apk": len(CARS), "apk2": len(CARS)})
        finally:
            for server in servers:
                if server.process is not None:
                    server.stop()
