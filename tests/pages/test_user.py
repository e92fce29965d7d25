"""Page logic with NiceGUI's simulated user: login, filters, create, send to iPad, start/stop."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import pytest
from nicegui import app, ui
from nicegui.testing import User
from nicegui.testing.user_simulation import user_simulation

from pages.create_work_order import CHECK_FIELDS
from services import auth, display, workorders
from services.db import Database
from tests.factories import create_order

APP = Path(__file__).with_name("simulated_app.py")
PASSWORD = "werkplaats-test"
RETRIES = 40  # x 0.1 s: password hashing and database calls run in a worker thread


@pytest.fixture
async def user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[User]:
    monkeypatch.setenv("WERKPLAATS_SIMULATION_DATABASE", f"sqlite:///{tmp_path / 'sim.db'}")
    async with user_simulation(main_file=APP) as simulated:
        database = served_database()
        await asyncio.to_thread(auth.create_user, database, "balie", "admin", PASSWORD)  # writes: off the event loop
        await asyncio.to_thread(auth.create_user, database, "jan", "monteur", PASSWORD)
        yield simulated
    database.close()


def served_database() -> Database:
    """The database the simulated app was wired with (main.wire_app keeps it on the app's state)."""
    return cast(Database, app.state.database)


def field(user: User, label: str):  # type: ignore[no-untyped-def]
    """An input by its label (a table header may carry the same word)."""
    return user.find(kind=ui.input, content=label)


async def log_in(user: User, name: str, target: str) -> None:
    await user.open(f"/login?next={target}")
    field(user, "Gebruikersnaam").type(name)
    field(user, "Wachtwoord").type(PASSWORD)
    user.find("Inloggen").click()
    await user.should_see("Uitloggen", retries=RETRIES)


async def test_wrong_password_says_so_and_logs_nobody_in(user: User) -> None:
    await user.open("/login")
    field(user, "Gebruikersnaam").type("balie")
    field(user, "Wachtwoord").type("fout")
    user.find("Inloggen").click()
    await user.should_see("Onjuiste gebruikersnaam of wachtwoord", retries=RETRIES)
    assert "werkplaats_sessie" not in user.http_client.cookies


async def test_pages_send_strangers_to_login(user: User) -> None:
    await user.open("/admin/workorders")
    await user.should_see("Inloggen", retries=RETRIES)


async def test_login_then_filter_the_list(user: User) -> None:
    brakes = await asyncio.to_thread(create_order, served_database(), "Fam. Remmers", "AB-123-C", "Remblokken")
    tyres = await asyncio.to_thread(create_order, served_database(), "B. Banden", "12-XYZ-3", "Winterbanden")
    await asyncio.to_thread(workorders.move_to_column, served_database(), tyres.id, "Klaar", actor=None)
    await log_in(user, "balie", "/admin/workorders")
    await user.should_see(brakes.number, retries=RETRIES)
    await user.should_see(tyres.number, retries=RETRIES)

    field(user, "Zoeken").type("remmers")
    await user.should_see(brakes.number, retries=RETRIES)
    await user.should_not_see(tyres.number, retries=RETRIES)
    field(user, "Zoeken").clear()
    user.find("Kolom").click()
    user.find("Klaar").click()
    await user.should_see(tyres.number, retries=RETRIES)
    await user.should_not_see(brakes.number, retries=RETRIES)


async def create_at_the_desk(user: User, customer: str, plate: str) -> None:
    """The desk logs in, opens "Nieuwe werkorder", fills it in and presses "Aanmaken"."""
    await log_in(user, "balie", "/admin/workorders")
    user.find("Nieuwe werkorder").click()
    field(user, "Klantnaam").type(customer)
    field(user, "Kenteken").type(plate)
    field(user, "Omschrijving").type("APK")
    user.find("Aanmaken").click()


async def test_create_a_work_order(user: User) -> None:
    await create_at_the_desk(user, "Mevr. Nieuw", "gh-512-k")
    await user.should_see("Mevr. Nieuw", retries=RETRIES)
    await user.should_see("GH-512-K", retries=RETRIES)
    created = workorders.list_work_orders(served_database(), 7)
    assert [(o.customer_name, o.license_plate) for o in created] == [("Mevr. Nieuw", "GH512K")]


async def test_create_refuses_a_bad_plate_and_keeps_the_input(user: User) -> None:
    await create_at_the_desk(user, "Mevr. Fout", "!!")
    await user.should_see(CHECK_FIELDS, retries=RETRIES)
    assert field(user, "Kenteken").elements.pop().error == "Kenteken moet uit 1 tot 10 letters en cijfers bestaan"
    assert field(user, "Klantnaam").elements.pop().value == "Mevr. Fout"
    assert workorders.list_work_orders(served_database(), 7) == []


async def test_send_to_ipad(user: User) -> None:
    order = await asyncio.to_thread(create_order, served_database(), "K. Klant", "AB123C", "Kleine beurt")
    await log_in(user, "balie", "/admin/workorders")
    await user.should_see(order.number, retries=RETRIES)
    user.find("Naar iPad").click()
    await user.should_see(f"{order.number} staat op de iPad", retries=RETRIES)
    current = display.current_display(served_database())
    assert current is not None and current.id == order.id


async def test_mechanic_starts_and_stops_a_session(user: User) -> None:
    order = await asyncio.to_thread(create_order, served_database(), "K. Klant", "AB123C", "Kleine beurt")
    await asyncio.to_thread(workorders.move_to_column, served_database(), order.id, "Onder handen", actor=None)
    await log_in(user, "jan", "/admin/workoverzicht")
    await user.should_see(order.customer_name, retries=RETRIES)
    user.find(kind=ui.button, content="Start").click()
    await user.should_see(kind=ui.button, content="Stop", retries=RETRIES)
    assert [s.mechanic for s in workorders.get_work_order(served_database(), order.id).active_sessions] == ["jan"]
    user.find(kind=ui.button, content="Stop").click()
    await user.should_see(kind=ui.button, content="Start", retries=RETRIES)
    assert workorders.get_work_order(served_database(), order.id).active_sessions == []


async def test_staff_may_look_at_the_ipad_page_but_only_desk_and_ipad_sign(user: User) -> None:
    order = await asyncio.to_thread(create_order, served_database(), "K. Klant", "AB123C", "Remblokken voor")
    await asyncio.to_thread(display.set_current_display, served_database(), order.id, actor=None)
    await log_in(user, "jan", "/admin/workoverzicht")
    await user.open("/display")
    await user.should_see("Remblokken voor", retries=RETRIES)
    field(user, "Naam").type("Jan")
    user.find("Ondertekenen").click()
    await user.should_see("Alleen de iPad aan de balie of de balie zelf kan laten ondertekenen", retries=RETRIES)
    assert workorders.get_work_order(served_database(), order.id).signed_at is None
