"""parts: the part lines of a work order, from asked for to fitted

The stored stream messages gain `workOrder.parts` (empty: no order had parts before), so a replay from an old
cursor still matches the published event schema.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 03:45:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("article_number", sa.String(length=100), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=True),
        sa.Column("supplier", sa.String(length=200), nullable=True),
        sa.Column("supplier_reference", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expected_at", sa.Date(), nullable=True),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_order.id"], name="fk_part_work_order_id_work_order"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_part_work_order_id", "part", ["work_order_id"])
    op.create_index("ix_part_status", "part", ["status"])
    op.create_index("ix_part_supplier", "part", ["supplier"])
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, data FROM event_log WHERE kind = 'workorder-update'")).all()
    for event_id, data in rows:
        message = json.loads(data)
        if isinstance(message.get("workOrder"), dict) and "parts" not in message["workOrder"]:
            message["workOrder"]["parts"] = []
            encoded = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
            connection.execute(
                sa.text("UPDATE event_log SET data = :data WHERE id = :id"), {"data": encoded, "id": event_id}
            )


def downgrade() -> None:
    op.drop_table("part")
