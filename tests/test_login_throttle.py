"""Login throttling: ten wrong passwords for one name within 15 minutes make the next attempts for it wait, without
their password being checked, until the window has passed; the failures live in the database (every process
sees them), every failed and refused attempt is logged, and an unknown name is treated like an account."""

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from time_machine import TimeMachineFixture

from services import auth
from services.db import Database
from tests.conftest import Shop
from tests.server import wait_until

PASSWORD = "juist-wachtwoord"
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CHROMIUM = Path("/usr/bin/chromium")


class Clock:
    """The process's wall clock (time-machine), stopped at START and moved on by the test."""

    def __init__(self, machine: TimeMachineFixture) -> None:
        self.machine = machine
        machine.move_to(START, tick=False)

    def advance(self, **delta: float) -> None:
        self.machine.shift(timedelta(**delta))


@pytest.fixture
def db(database: Database) -> Database:
    """A database with anna's account."""
    auth.create_user(database, "anna", "monteur", PASSWORD)
    return database


@pytest.fixture
def clock(db: Database, time_machine: TimeMachineFixture) -> Clock:
    return Clock(time_machine)


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The passwords log_in actually checked."""
    passwords: list[str] = []
    verify = auth.verify_password

    def counting(password: str, stored: str) -> bool:
        passwords.append(password)
        return verify(password, stored)

    monkeypatch.setattr(auth, "verify_password", counting)
    yield passwords


def fail(db: Database, name: str, times: int, clock: Clock | None = None) -> None:
    """Wrong passwords, all at once, or a minute apart on `clock`."""
    for attempt in range(times):
        if clock is not None and attempt:
            clock.advance(minutes=1)
        assert auth.log_in(db, name, "fout-wachtwoord", "192.0.2.7") is None


def test_ten_wrong_passwords_make_the_next_attempts_wait(db: Database, clock: Clock, checked: list[str]) -> None:
    fail(db, "anna", 10)  # all at 09:00
    clock.advance(minutes=3)
    checked.clear()
    for password in (PASSWORD, "fout-wachtwoord"):  # right or wrong: not even looked at
        with pytest.raises(auth.LoginThrottled) as refused:
            auth.log_in(db, "anna", password)
        assert refused.value.message == "Te veel mislukte pogingen voor anna; probeer het over 12 minuten opnieuw"
        assert refused.value.status_code == 429
    assert checked == []
    clock.advance(minutes=11, seconds=59)  # 09:14:59: a second before the failures leave the window
    with pytest.raises(auth.LoginThrottled, match="over 1 minuut opnieuw"):
        auth.log_in(db, "anna", PASSWORD)
    clock.advance(seconds=1)
    assert auth.log_in(db, "anna", PASSWORD) is not None


def test_the_window_slides(db: Database, clock: Clock) -> None:
    fail(db, "anna", 10, clock)  # 09:00 … 09:09
    with pytest.raises(auth.LoginThrottled, match="over 6 minuten opnieuw"):
        auth.log_in(db, "anna", PASSWORD)
    clock.advance(minutes=6)  # 09:15: the first failure has left the window, nine are in it
    fail(db, "anna", 1)  # the tenth within 15 minutes again
    with pytest.raises(auth.LoginThrottled, match="over 1 minuut opnieuw"):  # until 09:16, when 09:01 leaves
        auth.log_in(db, "anna", PASSWORD)
    clock.advance(minutes=1)
    assert auth.log_in(db, "anna", PASSWORD) is not None


def test_refused_attempts_do_not_extend_the_wait(db: Database, clock: Clock) -> None:
    fail(db, "anna", 10)
    for _ in range(5):
        clock.advance(minutes=2)
        with pytest.raises(auth.LoginThrottled):
            auth.log_in(db, "anna", "fout-wachtwoord")
    clock.advance(minutes=5, seconds=1)
    assert auth.log_in(db, "anna", PASSWORD) is not None


def test_a_success_forgets_the_failures(db: Database, clock: Clock) -> None:
    fail(db, "anna", 9)
    assert auth.log_in(db, "  anna ", PASSWORD) is not None  # the name as typed, spaces and all
    fail(db, "anna", 9)
    assert auth.log_in(db, "anna", PASSWORD) is not None  # nine again, not eighteen


def test_unknown_names_are_throttled_alike_and_names_apart(db: Database, clock: Clock, checked: list[str]) -> None:
    fail(db, "onbekend", 10)
    assert len(checked) == 10  # an unknown name costs a password check too: its answer comes as slowly
    with pytest.raises(auth.LoginThrottled) as refused:
        auth.log_in(db, "onbekend", "wat-dan-ook")
    assert refused.value.message == "Te veel mislukte pogingen voor onbekend; probeer het over 15 minuten opnieuw"
    assert auth.log_in(db, "anna", PASSWORD) is not None  # another name is not held up


def test_the_failures_are_in_the_database_for_every_process(db: Database, clock: Clock) -> None:
    fail(db, "anna", 10)
    url = db.engine.url.render_as_string(hide_password=False)
    with Database.opened(url) as other, pytest.raises(auth.LoginThrottled):  # as another process opens it
        auth.log_in(other, "anna", PASSWORD)


def test_failed_and_refused_attempts_are_logged_without_the_password(
    db: Database, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="services.auth")
    fail(db, "anna", 10)
    with pytest.raises(auth.LoginThrottled):
        auth.log_in(db, "anna", PASSWORD, "192.0.2.7")
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 11
    assert all("'anna'" in r.getMessage() and "192.0.2.7" in r.getMessage() for r in warnings)
    assert "(1 of 10)" in warnings[0].getMessage() and "too many failed attempts" in warnings[-1].getMessage()
    assert not any(secret in caplog.text for secret in ("fout-wachtwoord", PASSWORD))


def test_the_login_page_says_so_and_the_server_logs_it(shop: Shop) -> None:
    """Through a real browser on the real server: each wrong password is a warning in the server's log, with the
    browser's address; the eleventh attempt shows how long to wait."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is required: apt-get install chromium (make test does it as root)")
    name = "inbreker"  # no such account: it is throttled all the same, and no other test uses the name
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(locale="nl-NL")
        page.goto(f"{shop.server.url}/login")
        page.get_by_label("Gebruikersnaam").fill(name)

        def try_password(password: str) -> None:
            page.get_by_label("Wachtwoord").fill(password)
            page.get_by_role("button", name="Inloggen").click()

        for attempt in range(1, 11):
            try_password(f"geheim-{attempt}")
            logged = f"login failed for '{name}' from 127.0.0.1 ({attempt} of 10)"
            wait_until(lambda line=logged: line in shop.server.log_text(), 10, logged)
        expect(page.get_by_text("Onjuiste gebruikersnaam of wachtwoord")).to_be_visible()
        try_password("geheim-11")
        waiting = re.compile(f"Te veel mislukte pogingen voor {name}; probeer het over 1[45] minuten opnieuw")
        expect(page.get_by_text(waiting)).to_be_visible()
        browser.close()
    log = shop.server.log_text()
    assert f"login refused for '{name}' from 127.0.0.1" in log
    assert "geheim-" not in log
