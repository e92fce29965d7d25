"""billing unit: the shop's unit for "Uren overnemen" (clocked time is rounded up to it), 15 minutes by default

No stored event snapshot changes: the shop's settings are not part of the work order JSON.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shop_settings") as batch:
        batch.add_column(sa.Column("billing_unit_minutes", sa.Integer(), nullable=False, server_default="15"))


def downgrade() -> None:
    with op.batch_alter_table("shop_settings") as batch:
        batch.drop_column("billing_unit_minutes")
