"""status viewers: the open status pages per order and server process, for the desk's "klant kijkt mee"

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_viewer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("process", sa.String(length=200), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_order.id"], name="fk_status_viewer_work_order_id_work_order"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_status_viewer_work_order_id", "status_viewer", ["work_order_id"])
    op.create_index("ix_status_viewer_process", "status_viewer", ["process"])


def downgrade() -> None:
    op.drop_index("ix_status_viewer_process", table_name="status_viewer")
    op.drop_index("ix_status_viewer_work_order_id", table_name="status_viewer")
    op.drop_table("status_viewer")
