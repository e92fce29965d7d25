"""The reminder scan in-process, on the process's clock (time-machine), e-mail off (each reminder's notification is
queued as `uit`): which reminders are due on which day, each once however often the scan looks, none to a customer
who opted out or has no e-mail address, and the RDW asked first for the cars due, spaced two seconds apart."""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from sqlmodel import col, func, select
from time_machine import TimeMachineFixture

from models import Notification, Reminder, Vehicle
from models.planning_public import AppointmentSet
from models.public import CustomerUpdate
from services import auth, customers, planning
from services.clock import as_utc
from services.db import Database
from services.reminders import queue_due_reminders
from services.reminders.refresh import SECONDS_APART, queue_refreshes
from tests.reminder_shop import DESK, car, declined, serviced, shop_packages

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # Monday 1 March 2027, 09:00 at the shop
WEEKS = 8


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(START, tick=False)
    return time_machine


def on(clock: TimeMachineFixture, day: date) -> None:
    clock.move_to(datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC), tick=False)


def scan(db: Database, rdw_on: bool = False) -> int:
    return queue_due_reminders(db, WEEKS, rdw_on)


def made(db: Database) -> list[tuple[str, str, date]]:
    with db.read() as session:
        rows = session.exec(select(Reminder).order_by(col(Reminder.id))).all()
        return [(row.kind, row.license_plate, row.due_on) for row in rows]


def test_apk_eight_weeks_before_then_three_weeks_before_each_once(
    database: Database, clock: TimeMachineFixture
) -> None:
    expiry = START.date() + timedelta(weeks=WEEKS)
    car(database, 1, expiry)
    car(database, 2, expiry + timedelta(days=1))  # one day later: its first reminder is tomorrow
    assert scan(database) == 1
    assert scan(database) == 0
    assert made(database) == [("apk", "RH001X", expiry)]
    on(clock, START.date() + timedelta(days=1))
    assert scan(database) == 1
    on(clock, expiry - timedelta(days=22))
    assert scan(database) == 0
    on(clock, expiry - timedelta(days=21))
    assert scan(database) == 1
    assert scan(database) == 0
    assert made(database)[-1] == ("apk2", "RH001X", expiry)
    with database.read() as session:
        apk = col(Notification.kind).like("apk%")
        sent = session.exec(select(Notification.kind, Notification.recipient).where(apk))
        assert sorted(sent) == [
            ("apk", "klant1@example.nl"), ("apk", "klant2@example.nl"), ("apk2", "klant1@example.nl")
        ]  # fmt: skip


def test_no_second_apk_reminder_after_an_appointment_was_made(database: Database, clock: TimeMachineFixture) -> None:
    expiry = START.date() + timedelta(weeks=WEEKS)
    order = car(database, 1, expiry)
    car(database, 2, expiry)  # no appointment: still reminded
    assert scan(database) == 2
    clock.shift(timedelta(days=1))
    start = datetime(2027, 3, 9, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 at the shop
    auth.create_user(database, "jan", "monteur", "geheim-jan-123")  # a mechanic, on the default hours
    planning.set_appointment(database, order["id"], AppointmentSet(start=start, minutes=45), actor=DESK)
    on(clock, expiry - timedelta(days=21))
    assert scan(database) == 1
    assert [(kind, plate) for kind, plate, _ in made(database)] == [
        ("apk", "RH001X"),
        ("apk", "RH002X"),
        ("apk2", "RH002X"),
    ]


def test_none_after_an_opt_out_nor_without_an_e_mail_address(database: Database, clock: TimeMachineFixture) -> None:
    expiry = START.date() + timedelta(weeks=WEEKS)
    opted = car(database, 1, expiry)
    car(database, 2, expiry, email=None)
    customers.update_customer(database, opted["customerId"], CustomerUpdate(reminders_opt_out=True), actor=DESK)
    assert customers.get_customer(database, opted["customerId"]).reminders_opt_out is True
    assert scan(database) == 0
    customers.update_customer(database, opted["customerId"], CustomerUpdate(reminders_opt_out=False), actor=DESK)
    assert scan(database) == 1


def test_a_service_a_year_after_the_last_one_and_declined_work_after_three_months(
    database: Database, clock: TimeMachineFixture
) -> None:
    kleine_beurt, _ = shop_packages(database)
    first, second = car(database, 1, None), car(database, 2, None)
    serviced(database, first, kleine_beurt)
    declined(database, second, ["Remblokken voor", "Ruitenwisser"], START)
    on(clock, date(2027, 5, 31))
    assert scan(database) == 0
    on(clock, date(2027, 6, 1))
    assert scan(database) == 1
    with database.read() as session:
        reminder = session.exec(select(Reminder)).one()
        assert (reminder.kind, reminder.license_plate, reminder.items) == (
            "uitgesteld", "RH002X", '["Remblokken voor", "Ruitenwisser"]'
        )  # fmt: skip
    on(clock, date(2028, 2, 29))
    assert scan(database) == 0
    on(clock, date(2028, 3, 1))
    assert scan(database) == 1
    assert scan(database) == 0
    assert made(database)[-1] == ("onderhoud", "RH001X", date(2028, 3, 1))


def test_a_later_service_moves_the_next_reminder(database: Database, clock: TimeMachineFixture) -> None:
    kleine_beurt, _ = shop_packages(database)
    serviced(database, car(database, 1, None), kleine_beurt)
    on(clock, date(2027, 9, 1))
    again = car(database, 1, None)  # the same customer's car back: a second customer of that name, same plate
    serviced(database, again, kleine_beurt)
    on(clock, date(2028, 3, 1))
    assert scan(database) == 0
    on(clock, date(2028, 9, 1))
    assert scan(database) == 1


def test_stale_rdw_data_is_refreshed_first_spaced_apart(database: Database, clock: TimeMachineFixture) -> None:
    expiry = START.date() + timedelta(weeks=WEEKS)
    clock.move_to(START - timedelta(days=8), tick=False)
    for number in (1, 2, 3):
        car(database, number, expiry)
    clock.move_to(START, tick=False)  # the RDW's answers are now more than a week old
    assert scan(database, rdw_on=True) == 0  # waits for fresh data
    assert queue_refreshes(database, WEEKS) == 3
    assert queue_refreshes(database, WEEKS) == 0
    with database.read() as session:
        due = sorted(as_utc(moment) for moment in session.exec(select(Vehicle.rdw_due_at)) if moment)
    assert [(later - earlier).total_seconds() for earlier, later in pairwise(due)] == [SECONDS_APART] * 2
    with database.read() as session:
        assert session.exec(select(func.count()).select_from(Reminder)).one() == 0
