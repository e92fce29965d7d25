"""notifications: the e-mail outbox (each e-mail written with its cause, then sent by the server's sender)

No stored event snapshot changes: notifications are not part of the work order JSON (they have their own
`notification` events and GET /api/workorders/{id}/notifications).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_order.id"], name="fk_notification_work_order_id_work_order"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notification_work_order_id", "notification", ["work_order_id"])
    op.create_index("ix_notification_status", "notification", ["status"])
    op.create_index("ix_notification_due_at", "notification", ["due_at"])


def downgrade() -> None:
    op.drop_table("notification")
