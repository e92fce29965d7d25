"""login failures: wrong passwords per account name, so every process throttles the same attempts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_failure_name_failed_at", "login_failure", ["name", "failed_at"])
    op.create_index("ix_login_failure_failed_at", "login_failure", ["failed_at"])


def downgrade() -> None:
    op.drop_table("login_failure")  # only recent failures: nothing of value is lost
