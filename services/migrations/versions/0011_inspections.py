"""inspections: the digital inspection, its items and photos, the shop's checklist, a vehicle's declined work

The stored stream messages gain `workOrder.inspection` (null: no order had one) and `vehicle.deferred` (empty), so
a replay from an old cursor still matches the published event schema.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02 02:00:00
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from services.migrations.stored_messages import in_message_and_order, order_gains, rewrite_work_order_messages

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, target_column: str = "id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.{target_column}"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("inspection", "work_order_id", "work_order"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("work_order_id", name="uq_inspection_work_order_id"),
    )
    op.create_table(
        "inspection_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("recommendation", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        _fk("inspection_item", "inspection_id", "inspection"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_inspection_item_inspection_id", "inspection_item", ["inspection_id"])
    op.create_table(
        "inspection_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("jpeg", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("inspection_photo", "item_id", "inspection_item"),
        _fk("inspection_photo", "work_order_id", "work_order"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_inspection_photo_item_id", "inspection_photo", ["item_id"])
    op.create_index("ix_inspection_photo_work_order_id", "inspection_photo", ["work_order_id"])
    op.create_table(
        "checklist_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "deferred_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("license_plate", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        _fk("deferred_item", "work_order_id", "work_order"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_deferred_item_license_plate", "deferred_item", ["license_plate"])
    rewrite_work_order_messages(_with_deferred_and_inspection)


def _with_deferred(vehicle: Any) -> bool:
    if isinstance(vehicle, dict) and "deferred" not in vehicle:
        vehicle["deferred"] = []
        return True
    return False


def _with_deferred_and_inspection(message: dict[str, Any]) -> bool:
    deferred = in_message_and_order("vehicle", _with_deferred)(message)
    return order_gains("inspection", None)(message) or deferred


def downgrade() -> None:
    for table in ("deferred_item", "checklist_item", "inspection_photo", "inspection_item", "inspection"):
        op.drop_table(table)
