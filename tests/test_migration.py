"""Upgrading a SQLite database of the previous release (tests/upgrade.py): nothing is lost, and the plates of
open orders are queued for the RDW."""

import shutil
import sqlite3
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from services.db import MIGRATIONS
from tests.upgrade import OLD_DATABASE, assert_upgraded_without_loss, old_release_server


def newest_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_the_previous_release_upgrades_without_losing_anything(tmp_path: Path) -> None:
    database = tmp_path / "werkplaats.db"
    shutil.copy(OLD_DATABASE, database)
    assert_upgraded_without_loss(old_release_server(f"sqlite:///{database}", tmp_path))


def test_open_orders_plates_are_queued_for_the_rdw(tmp_path: Path) -> None:
    database = tmp_path / "werkplaats.db"
    shutil.copy(OLD_DATABASE, database)
    server = old_release_server(f"sqlite:///{database}", tmp_path)
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
