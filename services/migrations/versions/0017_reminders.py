"""reminders: one row per vehicle, kind and due date (its unique key makes each reminder go once across scans and
processes), a customer's dated opt-out, and the indexes the reminder scan reads by (a vehicle's APK expiry, a
declined item's day)

The stored stream messages' customers gain `remindersOptOut` (false: nobody had opted out), so a replay from an old
cursor still matches the published event schema.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 12:00:00
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from services.migrations.stored_messages import in_message_and_order, rewrite_work_order_messages

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("license_plate", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("work_order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("items", sa.String(), nullable=False, server_default="[]"),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("license_plate", "kind", "due_on", name="uq_reminder_vehicle_kind_due"),
        sa.UniqueConstraint("token", name="uq_reminder_token"),
    )
    op.create_index("ix_reminder_customer_id", "reminder", ["customer_id"])
    with op.batch_alter_table("customer") as table:
        table.add_column(sa.Column("reminders_opt_out_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_vehicle_apk_expiry", "vehicle", ["apk_expiry"])
    op.create_index("ix_deferred_item_since", "deferred_item", ["since"])
    rewrite_work_order_messages(in_message_and_order("customer", _with_opt_out), containing='"vatNumber"')


def _with_opt_out(customer: Any) -> bool:
    if isinstance(customer, dict) and "remindersOptOut" not in customer:
        customer["remindersOptOut"] = False
        return True
    return False


def downgrade() -> None:
    op.drop_index("ix_deferred_item_since", "deferred_item")
    op.drop_index("ix_vehicle_apk_expiry", "vehicle")
    with op.batch_alter_table("customer") as table:
        table.drop_column("reminders_opt_out_at")
    op.drop_index("ix_reminder_customer_id", "reminder")
    op.drop_table("reminder")
