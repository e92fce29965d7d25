"""customers and vehicles: a work order belongs to a customer and a vehicle, has a mileage and a status page;
the board reads only open and recently finished orders (done_at, and indexes for both)

Every distinct customer name of the existing orders becomes one customer; every plate a vehicle, queued for
the RDW when an open order has it. The stored stream messages are brought to the new shape (actor, customer,
vehicle, mileage, statusUrl), so a replay from an old cursor still matches the published event schema.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 02:30:00
"""

import json
import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DONE = "Afgerond"


def _iso(moment: datetime | None) -> str | None:
    """As models.public.iso_utc writes it (a migration keeps its own copy: it must not change with the app)."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def upgrade() -> None:
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=7), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_customer_name", "customer", ["name"])
    op.create_table(
        "vehicle",
        sa.Column("license_plate", sa.String(length=16), nullable=False),
        sa.Column("brand", sa.String(length=100), nullable=True),
        sa.Column("model", sa.String(length=100), nullable=True),
        sa.Column("color", sa.String(length=50), nullable=True),
        sa.Column("fuel", sa.String(length=100), nullable=True),
        sa.Column("first_admission", sa.Date(), nullable=True),
        sa.Column("apk_expiry", sa.Date(), nullable=True),
        sa.Column("rdw_status", sa.String(length=16), nullable=False),
        sa.Column("rdw_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rdw_attempts", sa.Integer(), nullable=False),
        sa.Column("rdw_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("license_plate"),
    )
    op.create_index("ix_vehicle_rdw_due_at", "vehicle", ["rdw_due_at"])
    with op.batch_alter_table("work_order") as batch:
        batch.add_column(sa.Column("customer_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("mileage", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("status_token", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))

    connection = op.get_bind()
    # When an order entered Afgerond was not kept: its last change is the best guess.
    connection.execute(sa.text('UPDATE work_order SET done_at = updated_at WHERE "column" = :done'), {"done": DONE})
    customers = _move_customers(connection)
    vehicles = _make_vehicles(connection)

    with op.batch_alter_table("work_order") as batch:
        batch.alter_column("customer_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("status_token", existing_type=sa.String(length=64), nullable=False)
        batch.create_foreign_key("fk_work_order_customer_id_customer", "customer", ["customer_id"], ["id"])
        batch.create_index("ix_work_order_customer_id", ["customer_id"])
        batch.create_index("ix_work_order_column_position", ["column", "position"])
        batch.create_index("ix_work_order_column_done_at", ["column", "done_at"])
        batch.create_unique_constraint("uq_work_order_status_token", ["status_token"])
        batch.drop_column("customer_name")

    _upgrade_stored_messages(connection, customers, vehicles)


def _move_customers(connection: sa.Connection) -> dict[int, dict[str, Any]]:
    """One customer per distinct name, dated by its first order; returns customer JSON by work order id."""
    first_orders = connection.execute(
        sa.text("SELECT customer_name, MIN(created_at) FROM work_order GROUP BY customer_name ORDER BY MIN(id)")
    ).all()
    customer = sa.table(
        "customer",
        sa.column("id"),
        sa.column("name"),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    for name, created in first_orders:
        created = created if isinstance(created, datetime) else datetime.fromisoformat(str(created))
        connection.execute(customer.insert().values(name=name, created_at=created, updated_at=created))
    connection.execute(
        sa.text(
            "UPDATE work_order SET customer_id = (SELECT c.id FROM customer c WHERE c.name = work_order.customer_name)"
        )
    )
    by_order: dict[int, dict[str, Any]] = {}
    rows = connection.execute(sa.text("SELECT id, customer_id FROM work_order ORDER BY id")).all()
    stored = {
        row.id: row
        for row in connection.execute(
            sa.select(customer.c.id, customer.c.name, customer.c.created_at, customer.c.updated_at)
        )
    }
    for order_id, customer_id in rows:
        token = secrets.token_urlsafe(24)
        connection.execute(
            sa.text("UPDATE work_order SET status_token = :token WHERE id = :id"), {"token": token, "id": order_id}
        )
        row = stored[customer_id]
        by_order[order_id] = {
            "customerId": customer_id,
            "customer": {
                "id": customer_id,
                "name": row.name,
                "email": None,
                "phone": None,
                "street": None,
                "postalCode": None,
                "city": None,
                "createdAt": _iso(row.created_at),
                "updatedAt": _iso(row.updated_at),
            },
            "statusUrl": f"/status/{token}",
        }
    return by_order


def _make_vehicles(connection: sa.Connection) -> set[str]:
    """A vehicle per plate, pending; the plates of open orders are due for the RDW at the first start."""
    now = datetime.now(UTC)
    open_plates = {
        plate
        for (plate,) in connection.execute(
            sa.text('SELECT DISTINCT license_plate FROM work_order WHERE "column" != :done'), {"done": DONE}
        )
    }
    plates = {plate for (plate,) in connection.execute(sa.text("SELECT DISTINCT license_plate FROM work_order"))}
    vehicle = sa.table(
        "vehicle",
        sa.column("license_plate"),
        sa.column("rdw_status"),
        sa.column("rdw_attempts"),
        sa.column("rdw_due_at", sa.DateTime(timezone=True)),
    )
    for plate in sorted(plates):
        due = now if plate in open_plates else None
        connection.execute(
            vehicle.insert().values(license_plate=plate, rdw_status="pending", rdw_attempts=0, rdw_due_at=due)
        )
    return plates


def _upgrade_stored_messages(connection: sa.Connection, customers: dict[int, dict[str, Any]], plates: set[str]) -> None:
    rows = connection.execute(
        sa.text("SELECT id, data FROM event_log WHERE kind = 'workorder-update' ORDER BY id")
    ).all()
    for event_id, data in rows:
        message = json.loads(data)
        message.setdefault("actor", None)
        snapshot = message.get("workOrder")
        if isinstance(snapshot, dict) and snapshot.get("id") in customers:
            snapshot.update(customers[snapshot["id"]])
            snapshot.setdefault("mileage", None)
            snapshot.setdefault(
                "vehicle",
                {
                    "licensePlate": snapshot.get("licensePlate"),
                    "brand": None,
                    "model": None,
                    "color": None,
                    "fuel": None,
                    "firstAdmission": None,
                    "apkExpiry": None,
                    "rdw": {"status": "pending", "checkedAt": None},
                },
            )
        encoded = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        connection.execute(
            sa.text("UPDATE event_log SET data = :data WHERE id = :id"), {"data": encoded, "id": event_id}
        )


def downgrade() -> None:
    raise NotImplementedError("0002 cannot be undone: restore the backup made before the upgrade")
