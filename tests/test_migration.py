"""Upgrading a real database of the previous release (schema 0001): tests/data/werkplaats-0001.db was made by
commit 34fc25e's own `serve --demo`, plus a second order for "Fam. de Vries". Nothing may be lost: every order
keeps its number and customer name, each distinct name becomes one customer, and every stored event still
replays and matches the published event schema."""

import shutil
import sqlite3
from pathlib import Path

import httpx
from alembic.config import Config
from alembic.script import ScriptDirectory
from jsonschema import Draft202012Validator

from models.messages import event_schema
from services.db import MIGRATIONS
from tests.server import Server
from tests.sse import SSEClient

OLD_DATABASE = Path(__file__).with_name("data") / "werkplaats-0001.db"


def newest_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def _old_rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    with sqlite3.connect(path) as connection:
        orders = connection.execute(
            'SELECT id, number, customer_name, license_plate, description, status, "column", position, version '
            "FROM work_order ORDER BY id"
        ).fetchall()
        events = connection.execute("SELECT id, work_order_id, change_type FROM event_log ORDER BY id").fetchall()
    return orders, events


def test_the_previous_release_upgrades_without_losing_anything(tmp_path: Path) -> None:
    database = tmp_path / "werkplaats.db"
    shutil.copy(OLD_DATABASE, database)
    orders_before, events_before = _old_rows(database)
    server = Server(f"sqlite:///{database}")
    token = server.token("admin")  # the CLI upgrades the schema first
    server.start()
    try:
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as client:
            orders = {order["id"]: order for order in client.get("/api/workorders").json()}
            customers = client.get("/api/customers").json()
            histories = {order_id: client.get(f"/api/workorders/{order_id}/events").json() for order_id in orders}
        with SSEClient(server.url, token, **{"Last-Event-ID": "0"}) as stream:
            stream.next()
            replayed = [message.json for message in stream.take(sum(1 for e in events_before if e[2] != "display"))]
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

    assert sum(len(history) for history in histories.values()) == sum(1 for e in events_before if e[2] != "display")
    validator = Draft202012Validator(event_schema())
    for message in replayed:
        assert not list(validator.iter_errors(message)), message
    assert all(message["actor"] is None for message in replayed)  # who did it was not recorded before 0002


def test_open_orders_plates_are_queued_for_the_rdw(tmp_path: Path) -> None:
    database = tmp_path / "werkplaats.db"
    shutil.copy(OLD_DATABASE, database)
    server = Server(f"sqlite:///{database}")
    server.token("admin")  # runs the migration
    with sqlite3.connect(database) as connection:
        due = {row[0] for row in connection.execute("SELECT license_plate FROM vehicle WHERE rdw_due_at IS NOT NULL")}
        open_plates = {
            row[0] for row in connection.execute("SELECT license_plate FROM work_order WHERE \"column\" != 'Afgerond'")
        }
        plates = {row[0] for row in connection.execute("SELECT license_plate FROM vehicle")}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    assert due == open_plates and open_plates < plates
    assert version == newest_revision() and broken == []
