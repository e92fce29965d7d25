"""Upgrading a real database of the previous release (schema 0001): tests/data/werkplaats-0001.db was made by
commit 34fc25e's own `serve --demo`, plus a second order for "Fam. de Vries". The checks are shared by the
SQLite upgrade (tests/test_migration.py) and the PostgreSQL one (tests/multiprocess/test_migration_postgres.py)."""

import sqlite3
from pathlib import Path

import httpx
from jsonschema import Draft202012Validator

from models.messages import event_schema
from tests.clock import ServerClock, utc
from tests.server import Server
from tests.sse import SSEClient

OLD_DATABASE = Path(__file__).with_name("data") / "werkplaats-0001.db"
# The file's last event is of 2026-11-27 02:12 UTC, and two of its sessions were still running then. The upgraded
# server runs an hour later, so that they are still running: on the wall clock they would age past
# MAX_SESSION_HOURS and the server would stop them as forgotten timers at its start (two events more).
OLD_DATABASE_CLOCK = utc("2026-11-27 03:12")
OLD_TABLES = [
    "app_user",
    "api_token",
    "work_order",
    "login_session",
    "event_log",
    "event_log_state",
    "work_session",
    "signature",
    "display_state",
]  # fmt: skip  (in the order their references need)


def old_rows() -> tuple[list[tuple], list[tuple]]:
    """The orders and events of the old database, as the old schema holds them."""
    with sqlite3.connect(OLD_DATABASE) as connection:
        orders = connection.execute(
            'SELECT id, number, customer_name, license_plate, description, status, "column", position, version '
            "FROM work_order ORDER BY id"
        ).fetchall()
        events = connection.execute("SELECT id, work_order_id, change_type FROM event_log ORDER BY id").fetchall()
    return orders, events


def old_release_server(database_url: str, folder: Path) -> Server:
    """A server for the old database, its clock an hour after the file was made (OLD_DATABASE_CLOCK)."""
    return Server(database_url, clock=ServerClock(folder / "clock", OLD_DATABASE_CLOCK))


def assert_upgraded_without_loss(server: Server) -> None:
    """Start the server on the old database (it upgrades it) and find everything that was there."""
    orders_before, events_before = old_rows()
    shown = [event for event in events_before if event[2] != "display"]
    token = server.token("admin")  # the command line upgrades the schema first
    server.start()
    try:
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as client:
            found = client.get("/api/workorders", params={"limit": 500}).json()  # every order, not just the board
            orders = {order["id"]: order for order in found}
            customers = client.get("/api/customers").json()
            histories = {order_id: client.get(f"/api/workorders/{order_id}/events").json() for order_id in orders}
        with SSEClient(server.url, token, **{"Last-Event-ID": "0"}) as stream:
            stream.next()
            replayed = [message.json for message in stream.take(len(shown))]
    finally:
        server.stop()

    assert len(orders) == len(orders_before)
    for order_id, number, name, plate, description, status, column, position, version in orders_before:
        order = orders[order_id]
        assert (order["number"], order["customerName"], order["licensePlate"], order["description"]) == (
            number, name, plate, description,
        )  # fmt: skip
        assert (order["status"], order["column"], order["position"], order["version"]) == (
            status, column, position, version,
        )  # fmt: skip
        assert order["customer"]["name"] == name and order["vehicle"]["licensePlate"] == plate
        assert order["statusUrl"].startswith("/status/")
    names = [row[2] for row in orders_before]
    assert sorted(customer["name"] for customer in customers) == sorted(set(names))  # one customer per name
    de_vries = [order for order in orders.values() if order["customerName"] == "Fam. de Vries"]
    assert len(de_vries) == 2 and len({order["customerId"] for order in de_vries}) == 1

    assert sorted(entry["id"] for history in histories.values() for entry in history) == [e[0] for e in shown]
    validator = Draft202012Validator(event_schema())
    for message in replayed:
        assert not list(validator.iter_errors(message)), message
    assert [int(message["workOrderId"]) for message in replayed] == [e[1] for e in shown]
    assert all(message["actor"] is None for message in replayed)  # who did it was not recorded before 0002
