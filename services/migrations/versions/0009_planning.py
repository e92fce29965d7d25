"""planning: service packages, the packages added to an order, mechanics' hours, loan cars and appointments

The stored stream messages gain `workOrder.appointment` (null: no order had one) and `workOrder.progress` (nothing
planned), and the fields this release added to column and parts events, so a replay from an old cursor still matches
the published event schema.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:00:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_NO_PLAN = {"plannedMinutes": 0, "clockedMinutes": 0, "overrun": False}

# changeType → the field its events gained in this release, and its value for every stored one: no stored close skipped
# its invoice, no stored receipt was undone
_NEW_EVENT_FIELDS = {"column": ("withoutInvoice", False), "parts": ("undone", False)}


def upgrade() -> None:
    op.create_table(
        "service_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("labour_minutes", sa.Integer(), nullable=False),
        sa.Column("parts", sa.Text(), nullable=False),
        sa.Column("fixed_price_cents", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "work_order_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("labour_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_order_id"], ["work_order.id"], name="fk_work_order_package_work_order_id_work_order"
        ),
        sa.ForeignKeyConstraint(
            ["package_id"], ["service_package.id"], name="fk_work_order_package_package_id_service_package"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_work_order_package_work_order_id", "work_order_package", ["work_order_id"])
    op.create_table(
        "mechanic",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("work_hours", sa.Text(), nullable=False),
        sa.Column("days_off", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "loan_car",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("license_plate", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("license_plate", name="uq_loan_car_license_plate"),
    )
    op.create_table(
        "appointment",
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("mechanic", sa.String(length=100), nullable=True),
        sa.Column("promised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("waiting", sa.Boolean(), nullable=False),
        sa.Column("loan_car", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_order.id"], name="fk_appointment_work_order_id_work_order"),
        sa.PrimaryKeyConstraint("work_order_id"),
    )
    op.create_index("ix_appointment_day_mechanic", "appointment", ["day", "mechanic"])
    op.create_index("ix_appointment_loan_car", "appointment", ["loan_car"])
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, data FROM event_log WHERE kind = 'workorder-update'")).all()
    for event_id, data in rows:
        message = json.loads(data)
        order = message.get("workOrder")
        if not isinstance(order, dict) or "appointment" in order:
            continue
        order["appointment"] = None
        order["progress"] = _NO_PLAN
        if message.get("changeType") in _NEW_EVENT_FIELDS:
            name, value = _NEW_EVENT_FIELDS[message["changeType"]]
            message.setdefault(name, value)
        encoded = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        connection.execute(
            sa.text("UPDATE event_log SET data = :data WHERE id = :id"), {"data": encoded, "id": event_id}
        )


def downgrade() -> None:
    for table in ("appointment", "loan_car", "mechanic", "work_order_package", "service_package"):
        op.drop_table(table)
