"""Upgrading a SQLite database of the previous release (tests/upgrade.py): nothing is lost, and the plates of
open orders are queued for the RDW."""

import json
import shutil
import sqlite3
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import select

from models import WorkOrderEvent
from models.inspection_public import InspectionItemUpdate, RecommendationInput
from models.messages import work_order_updates
from models.public import PartCreate, PhoneApprovalCreate, ShopSettingsUpdate, WorkOrderCreate, WorkOrderOnStream
from services import approvals, parts, shop, workorders
from services.db import MIGRATIONS, Database, migrate
from services.inspections import keuring
from services.invoicing.invoices import issue_invoice
from tests.api.billing import SHOP_SETTINGS
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


def test_stored_messages_of_event_schema_1_become_schema_2(tmp_path: Path) -> None:
    """0019: a stored message with the complete order in it (schema 1: approval snapshot, invoice lines, inspection
    items; the approval and invoice of its own change complete too) reads back exactly as the server writes one of
    schema 2 now, and parses as such."""
    with Database.opened(f"sqlite:///{tmp_path / 'werkplaats.db'}") as db:
        order_id = _inspected_approved_and_invoiced(db)
        complete = workorders.get_work_order(db, order_id)
        assert complete.approval is not None and complete.invoice is not None
        full = {
            "workOrder": complete.model_dump(mode="json", by_alias=True),
            "approval": complete.approval.model_dump(mode="json", by_alias=True),
            "invoice": complete.invoice.model_dump(mode="json", by_alias=True),
        }
        lean = WorkOrderOnStream.of(complete).model_dump(mode="json", by_alias=True)
        with db.write() as session:
            rows = session.exec(select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order_id)).all()
            expected = {}
            for row in rows:  # each as schema 1 wrote it, with the order as it is now
                message = json.loads(row.data)
                old = {**message, **{key: value for key, value in full.items() if key in message}}
                old.pop("note", None)
                row.data = json.dumps(old, ensure_ascii=False)
                expected[row.id] = {**message, "workOrder": lean}
            session.execute(text("UPDATE alembic_version SET version_num = '0018'"))
        assert {"approval", "invoice", "inspection"} <= {row.change_type for row in rows}
        migrate(db.engine)
        with db.read() as session:
            after = session.exec(select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order_id)).all()
        for row in after:
            assert json.loads(row.data) == expected[row.id], row.change_type
            work_order_updates.validate_json(row.data)


def _inspected_approved_and_invoiced(db: Database) -> int:
    """An order with an inspection (a red item with advice, a green one), a telephone approval and an invoice."""
    shop.update_shop_settings(db, ShopSettingsUpdate.model_validate(SHOP_SETTINGS), actor=None)
    order = workorders.create_work_order(
        db, WorkOrderCreate(customer_name="Mevr. de Vries", license_plate="AB-123-C", description="Grote beurt"),
        actor=None,
    )  # fmt: skip
    inspection = keuring.start_inspection(db, order.id, actor=None)
    brakes, lights = inspection.items[4], inspection.items[6]
    advice = RecommendationInput(description="Remschijven voor", price_cents=34950)
    keuring.update_item(db, inspection.id, brakes.id, InspectionItemUpdate(grade="rood", recommendation=advice),
                        actor=None)  # fmt: skip
    keuring.update_item(db, inspection.id, lights.id, InspectionItemUpdate(grade="groen"), actor=None)
    parts.add_part(db, order.id, PartCreate(description="Remschijven", quantity=1, unit_price_cents=12000), actor=None)
    call = PhoneApprovalCreate(method="telefoon", signer_name="Dhr. Bakker", note="Akkoord, gebeld 10:12")
    approvals.approve_by_phone(db, order.id, call, actor=None)
    workorders.move_to_column(db, order.id, "Klaar", actor=None)
    issue_invoice(db, order.id, actor=None)
    return order.id
