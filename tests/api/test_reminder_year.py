"""A simulated year for a shop of 200 cars: every reminder arrives once at the real SMTP server on its day, and none
after an opt-out, after an appointment made from the first APK reminder, or for an APK renewed elsewhere.

The shop is made in-process through the services before the server starts (tests/reminder_shop.py), each car's
order at its own moment (time-machine); the server runs on a clock the test moves (tests/clock.py), with the RDW-
shaped server knowing every car. The cars' APK expiries fall in ten groups five weeks apart, so a group's first
reminder and the previous group's second one share a day: the year is eleven Mondays, each visited the day before
(the scan queues the cars due for fresh RDW data) and on the day (every reminder of that day has arrived, each once,
its Date that day). Services and declined work fall due on those Mondays too. The customers act on the e-mails as
they arrive: some opt out with the link, some book with the other."""

import re
import sqlite3
from collections import Counter
from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
import time_machine

from services import auth
from services.clock import SHOP_ZONE, shop_day
from services.db import Database
from services.vehicles import months_later
from tests.api.billing import expect
from tests.clock import ServerClock
from tests.rdw_server import FakeRdw
from tests.reminder_shop import car, declined, serviced, shop_packages
from tests.server import Server, wait_until
from tests.smtp_server import SmtpServer

FIRST = date(2027, 1, 4)  # a Monday
MONDAYS = [FIRST + timedelta(weeks=5 * number) for number in range(11)]
YEAR_END = FIRST + timedelta(days=364)
CARS = range(200)
SERVICED = range(100, 120)  # a service finished a year before Monday (number % 10) + 1
DECLINED = range(120, 128)  # work declined three months before Monday (number % 10) + 3
OPTING_OUT = {0, 1, 100, 101, 120}  # with the link in their first reminder
BOOKING = {2, 3, 12}  # with the link in their first APK reminder
RENEWED = {11, 13, 14, 15, 16}  # the APK renewed elsewhere before its first reminder
NO_EMAIL = {5, 6}
KINDS = {  # the subject's start says the kind
    "De APK van uw auto": "apk",
    "Nog 3 weken": "apk2",
    "Tijd voor de onderhoudsbeurt": "onderhoud",
    "Nog even over het uitgestelde": "uitgesteld",
    "Uw afspraak voor": "afspraak",
}


def at_opening(day: date) -> datetime:
    return datetime.combine(day, time(8), SHOP_ZONE).astimezone(UTC)


def plate(number: int) -> str:
    return f"RH{number:03d}X"


def address(number: int) -> str:
    return f"klant{number}@example.nl"


def expiry(number: int) -> date:
    return MONDAYS[number % 10] + timedelta(weeks=8)


def expected() -> Counter[tuple[date, str, str]]:
    """(day, to, kind) of every reminder the year should bring."""
    wanted: Counter[tuple[date, str, str]] = Counter()
    for number in CARS:
        if number in NO_EMAIL:
            continue
        first = MONDAYS[number % 10]
        to = address(number)
        if number not in RENEWED:
            wanted[first, to, "apk"] += 1
            if number not in OPTING_OUT | BOOKING and first + timedelta(weeks=5) <= MONDAYS[-1]:
                wanted[first + timedelta(weeks=5), to, "apk2"] += 1
        if number in SERVICED and number not in OPTING_OUT:
            wanted[MONDAYS[number % 10 + 1], to, "onderhoud"] += 1
        if number in DECLINED and number not in OPTING_OUT:
            wanted[MONDAYS[number % 10 + 3], to, "uitgesteld"] += 1
    return wanted


def make_shop(database_url: str) -> None:
    """200 cars, each order made at its own moment (a serviced car's a year before its service reminder), when the
    RDW answered with its APK expiry."""
    with Database.opened(database_url) as db:
        with time_machine.travel(at_opening(FIRST) - timedelta(days=40), tick=False):
            kleine_beurt, _ = shop_packages(db)
            auth.create_user(db, "jan", "monteur", "geheim-jan-123")
        for number in CARS:
            if number in SERVICED:
                moment = at_opening(months_later(MONDAYS[number % 10 + 1], -12))
            else:
                moment = at_opening(FIRST) - timedelta(days=30)
            with time_machine.travel(moment, tick=False):
                order = car(db, number, expiry(number), email=None if number in NO_EMAIL else "")
                if number in SERVICED:
                    serviced(db, order, kleine_beurt)
            if number in DECLINED:
                since = at_opening(months_later(MONDAYS[number % 10 + 3], -3))
                declined(db, order, ["Remblokken voor", "Ruitenwissers"], since)


def known_rdw(rdw: FakeRdw) -> None:
    for number in CARS:
        rdw.add(plate(number), "VOLKSWAGEN", "GOLF", "GRIJS", date(2015, 1, 1), expiry(number), ["Benzine"])


def queued_for_rdw(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM vehicle WHERE rdw_due_at IS NOT NULL").fetchone()[0])


def waiting_mail(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM notification WHERE status = 'wachtrij'").fetchone()[0])


def kind_of(message: EmailMessage) -> str:
    subject = str(message["Subject"])
    return next(kind for start, kind in KINDS.items() if subject.startswith(start))


def link(message: EmailMessage, path: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(rf"https://garage\.example/{path}/([\w-]+)", text)
    assert found is not None, text
    return found.group(1)


def act(client: httpx.Client, message: EmailMessage, apk_package: int) -> None:
    """The customer opts out, or books from an APK reminder, as the scenario says."""
    number = int(str(message["To"]).removeprefix("klant").split("@")[0])
    if number in OPTING_OUT:
        opted = client.post(f"/afmelden/{link(message, 'afmelden')}", data={"List-Unsubscribe": "One-Click"})
        assert opted.status_code == 200 and "U bent afgemeld" in opted.text
    elif number in BOOKING and kind_of(message) == "apk":
        token = link(message, "afspraak")
        start = expect(client.get("/api/booking/slots", params={"packages": apk_package}), 200).json()[0]["start"]
        expect(client.post("/api/booking", json={"token": token, "packageIds": [apk_package], "start": start}), 201)


@pytest.mark.timeout(420)
def test_a_year_of_reminders_each_once_on_its_day(tmp_path: Path) -> None:
    path = tmp_path / "werkplaats.db"
    url = f"sqlite:///{path}"
    make_shop(url)
    wanted = expected()
    with SmtpServer() as smtp, FakeRdw() as rdw:
        known_rdw(rdw)
        clock = ServerClock(tmp_path / "clock", at_opening(FIRST - timedelta(days=1)))
        env = {**smtp.env, "RDW_BASE_URL": rdw.url, "REMINDER_SCAN_SECONDS": "1", "BOOKINGS_PER_HOUR": "1000"}
        with Server(url, env=env, clock=clock) as server, httpx.Client(base_url=server.url, timeout=10) as client:
            for number in RENEWED:  # renewed elsewhere: the RDW says so at the car's next refresh
                rdw.add(plate(number), "VOLKSWAGEN", "GOLF", "GRIJS", date(2015, 1, 1),
                        expiry(number) + timedelta(days=365), ["Benzine"])  # fmt: skip
            apk_package = 2
            seen = 0
            for day in [*MONDAYS, YEAR_END]:
                clock.set(at_opening(day - timedelta(days=1)))
                wait_until(lambda: queued_for_rdw(path) > 0, 30, f"cars due queued for the RDW on {day}")
                clock.set(at_opening(day))
                due = sum(count for (when, _, _), count in wanted.items() if when <= day)
                booked = len([n for n in BOOKING if MONDAYS[n % 10] < day])
                with suppress(AssertionError):  # compared below, where a difference is shown
                    wait_until(lambda: smtp.inbox.count() >= due + booked, 60, f"{due} reminders by {day}")  # noqa: B023
                if day == YEAR_END:
                    wait_until(lambda: queued_for_rdw(path) == 0, 30, "the year's last refresh")
                wait_until(lambda: waiting_mail(path) == 0, 30, "the outbox empty")
                messages = smtp.inbox.messages()
                arrived = Counter(
                    (shop_day(parsedate_to_datetime(str(m["Date"]))), str(m["To"]), kind_of(m))
                    for m in messages
                    if kind_of(m) != "afspraak"
                )
                assert arrived == Counter({key: n for key, n in wanted.items() if key[0] <= day}), day
                for message in messages[seen:]:
                    if kind_of(message) != "afspraak":
                        act(client, message, apk_package)
                seen = len(messages)
                wait_until(lambda: waiting_mail(path) == 0, 30, "the confirmations sent before the clock moves on")
            confirmations = [m for m in smtp.inbox.messages() if kind_of(m) == "afspraak"]
            assert sorted(str(m["To"]) for m in confirmations) == sorted(address(n) for n in BOOKING)
